"""``wirecheck run``: the golden vectors, then the properties, against a target."""

from __future__ import annotations

import sys
from pathlib import Path

from wirecheck import matrix
from wirecheck.errors import UsageError
from wirecheck.report import write_atomically
from wirecheck.report.json_report import dumps, results_json
from wirecheck.report.junit import junit_xml
from wirecheck.run import RunOptions, execute

from .console import ConsoleReporter
from .parser import params_from


def options_from(args) -> RunOptions:
    return RunOptions(
        protocols=list(args.protocol or []),
        params=params_from(args),
        target=args.target,
        listen=args.listen,
        timeout=args.timeout,
        delay=args.delay,
        jobs=args.jobs,
        deadline=args.deadline,
        sanity=not args.no_sanity,
        only=args.only,
        examples=args.examples,
        properties=list(args.property or []),
        seed=args.seed,
        cases=list(args.case or []),
        skip=list(args.skip or []),
        flags=list(args.flag or []),
        vectors=args.vectors,
        extra_vectors=list(args.add_vectors or []),
    )


def _check_writable(path: Path | None, option: str) -> None:
    if path is not None and not path.parent.resolve().is_dir():
        raise UsageError(f"{option} {path}: no such directory {path.parent}")


def main(args, out) -> int:
    _check_writable(args.json, "--json")
    _check_writable(args.junit, "--junit")
    entries = None
    if args.baseline is not None:  # read first: a bad baseline is a usage error before any run
        entries = matrix.implementation_entries(matrix.read_json(args.baseline, "baseline"), args.baseline_impl,
                                                args.baseline)  # fmt: skip
    reporter = ConsoleReporter(out, verbose=args.verbose)
    outcome = execute(options_from(args), reporter)
    try:
        if args.json is not None:
            write_atomically(args.json, dumps(results_json(outcome)))
        if args.junit is not None:
            write_atomically(args.junit, junit_xml(outcome.result, outcome.properties))
    except OSError as exc:
        raise UsageError(f"cannot write the report: {exc}") from None
    if outcome.aborted:
        print(f"wirecheck: error: the run stopped early: {outcome.aborted}", file=sys.stderr)
    print(outcome.summary(), file=out)
    if not outcome.aborted and outcome.ran_nothing():
        print(f"wirecheck: error: {outcome.nothing_reason()}", file=sys.stderr)
    if entries is not None and outcome.exit_code in (0, 1):
        return _against_baseline(entries, results_json(outcome), args.baseline, out)
    return outcome.exit_code


def _against_baseline(entries: dict, results: dict, path: Path, out) -> int:
    """Exit 0 when every failure is an expected one, still observed as recorded, and no entry is stale."""
    found = matrix.check(entries, results)
    for line in found.unexpected:
        print(f"UNEXPECTED {line}", file=out)
    for line in found.stale:
        print(f"STALE      {line}", file=out)
    verdict = "passes" if found.passed else "fails"
    print(f"baseline {path}: {found.expected} expected failures, {len(found.unexpected)} unexpected, "
          f"{len(found.stale)} stale: the run {verdict} against it", file=out)  # fmt: skip
    return 0 if found.passed else 1
