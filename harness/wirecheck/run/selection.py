"""What a run's vector options select: cases inferred, patterns matched, and why nothing was.

``--case`` takes ids and glob patterns over ids: a plain id (``netstring-spec-hello-world``),
a template instance (``netstring-max-at@max_length=100``) or a pattern
(``'netstring-leading-zero-*'``).  Without ``--protocol`` the protocols come from the
matching vectors, and an instance id gives its parameters too.  ``--skip`` takes the same
patterns and leaves them out.
"""

from __future__ import annotations

import shlex
from fnmatch import fnmatchcase

from wirecheck import protocols
from wirecheck.errors import ParameterError, UsageError
from wirecheck.vectors import Selection, VectorSet, instances, load, parse_instance_id

from .options import RunOptions

GLOB = set("*?[")


def _value(spec, name: str, text: str):
    param = spec.param(name)
    if param is None:
        raise ParameterError(f"{spec.name} has no parameter {name!r}")
    if param.kind == "int":
        return protocols.check_value(param, int(text, 10)) if text.isdigit() else protocols.parse_text(param, text)
    if param.kind == "bool":
        return protocols.parse_text(param, text)
    if param.kind == "bytes":
        return protocols.check_value(param, text)
    return protocols.parse_text(param, text)


def infer_from_cases(vector_set: VectorSet, options: RunOptions) -> None:
    """Fill in ``options.protocols`` (and parameters an instance id names) from ``--case``."""
    found: list[str] = []
    for pattern in options.cases:
        base, values = parse_instance_id(pattern) if not GLOB & set(pattern) else (pattern, {})
        matching = [e for e in vector_set.entries if fnmatchcase(e.id, base) or fnmatchcase(e.id, pattern)]
        if not matching:
            raise UsageError(f"--case {pattern!r}: no vector has that id")
        for entry in matching:
            if entry.protocol not in found:
                found.append(entry.protocol)
        if values and not options.protocols:
            spec = protocols.get(matching[0].protocol)
            for name, text in values.items():
                options.params.setdefault(name, _value(spec, name, text))
    if not options.protocols:
        options.protocols = [n for n in protocols.names() if n in found]


def choose(
    options: RunOptions, params: dict, vector_set: VectorSet | None = None
) -> tuple[VectorSet | None, Selection]:
    """The vector set (``vector_set`` when already loaded, say for ``infer_from_cases``) and
    what the run's options select from it (UsageError when nothing)."""
    if options.only == "properties":
        if options.cases or options.flags:
            raise UsageError("--case and --flag select golden vectors; --only properties runs none")
        return None, Selection()
    if vector_set is None:
        vector_set = load(options.vectors, extra=options.extra_vectors)
    selection = instances(
        vector_set, options.protocols or None, params, options.endpoint, options.cases, options.skip, options.flags
    )
    if not selection.vectors and not selection.skipped:
        raise UsageError(why_nothing(vector_set, options, params))
    return vector_set, selection


def why_nothing(vector_set: VectorSet, options: RunOptions, params: dict) -> str:
    """One line on why a selection is empty."""
    if options.cases or options.flags or options.skip:
        return (
            "no vectors match the given cases, flags and skips at these parameters (wirecheck vectors list shows them)"
        )
    names = ", ".join(options.protocols or protocols.names())
    given = ", ".join(f"{k}={v}" for k, v in params.items()) or "no parameters"
    return f"no vectors match protocol {names} with {given}"


def rerun_command(options: RunOptions, ident: str) -> str:
    """The command that runs one case again, as this run ran it."""
    words = ["wirecheck", "run", "--case", ident]
    if "@" not in ident and options.protocols:
        for name in options.protocols[:1]:
            words += protocols.command_words(protocols.get(name), options.params) if options.params else []
    if options.target is not None:
        words += ["--target", options.target]
    if options.listen is not None:
        words += ["--listen", options.listen]
    for flag, value, default in (("--timeout", options.timeout, 5.0), ("--delay", options.delay, 0.0)):
        if value != default:
            words += [flag, f"{value:g}"]
    return " ".join(shlex.quote(w) for w in words)
