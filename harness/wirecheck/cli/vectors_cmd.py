"""``wirecheck vectors lint | list | export``: the vector files, checked, listed and made concrete."""

from __future__ import annotations

from wirecheck import protocols
from wirecheck.errors import UsageError
from wirecheck.run import EXIT_FAIL, EXIT_OK, RunOptions
from wirecheck.run.selection import choose, infer_from_cases
from wirecheck.vectors import default_directory, load
from wirecheck.vectors.export import documents, write
from wirecheck.vectors.lint import lint

from .parser import params_from


def main(args, out) -> int:
    return {"lint": _lint, "list": _list, "export": _export}[args.action](args, out)


def _lint(args, out) -> int:
    directory = args.vectors if args.vectors is not None else default_directory()
    report = lint(directory, complete_set=args.vectors is None)
    for warning in report.warnings:
        print(f"warning: {warning}", file=out)
    for error in report.errors:
        print(f"error: {error}", file=out)
    families = ", ".join(f"{k} {n}" for k, n in sorted(report.per_family.items()))
    print(f"{report.files} files, {report.vectors} vectors ({families}), {report.templates} templates, "
          f"{report.instances} instances checked ({report.too_large} too large to build), "
          f"{len(report.errors)} errors, {len(report.warnings)} warnings", file=out)  # fmt: skip
    return EXIT_OK if not report.errors else EXIT_FAIL


def _options(args, endpoint: bool):
    """The run options these arguments stand for, and the vector set (loaded once: ``--case``
    infers the protocol and parameters from it)."""
    names = args.protocol if isinstance(args.protocol, list) else [args.protocol] if args.protocol else []
    options = RunOptions(
        protocols=list(names),
        params=params_from(args),
        # An endpoint's selection without an endpoint: tcp:// is never connected to here.
        target="tcp://selection-only:1" if endpoint else None,
        only="vectors",
        cases=list(args.case or []),
        skip=list(args.skip or []),
        flags=list(args.flag or []),
        vectors=args.vectors,
        extra_vectors=list(args.add_vectors or []),
    )
    vector_set = load(options.vectors, extra=options.extra_vectors)
    if options.cases:
        infer_from_cases(vector_set, options)
    return options, vector_set


def _list(args, out) -> int:
    options, vector_set = _options(args, args.endpoint)
    _, selection = choose(options, options.resolved_params(), vector_set)
    for vector in selection.vectors:
        print(f"{vector.id}  [{', '.join(vector.flags)}]  {vector.description}", file=out)
    for ident, reason in selection.skipped:
        print(f"{ident}  (skipped: {reason})", file=out)
    for name, configs in selection.configurations.items():
        shown = "; ".join(" ".join(protocols.command_words(protocols.get(name), c)) or "defaults" for c in configs)
        print(f"# {name}: {len(configs)} configurations: {shown}", file=out)
    print(f"{len(selection.vectors)} vectors, {len(selection.skipped)} skipped", file=out)
    return EXIT_OK


def _export(args, out) -> int:
    options, vector_set = _options(args, endpoint=True)
    params = options.resolved_params()
    _, selection = choose(options, params, vector_set)
    shown = " ".join(protocols.command_words(protocols.get(args.protocol), params))
    try:
        written = write(args.directory, documents(vector_set, selection.vectors, f"{args.protocol} {shown}".strip()))
    except OSError as exc:
        raise UsageError(f"cannot write to {args.directory}: {exc.strerror or exc}") from None
    for path in written:
        print(f"wrote {path}", file=out)
    for ident, reason in selection.skipped:
        print(f"skipped {ident}: {reason}", file=out)
    print(f"{len(selection.vectors)} vectors for {args.protocol} {shown}, {len(selection.skipped)} skipped", file=out)
    return EXIT_OK
