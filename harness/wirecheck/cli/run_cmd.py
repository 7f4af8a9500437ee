"""``wirecheck run``: the golden vectors, then the properties, against a target."""

from __future__ import annotations

import sys
from pathlib import Path

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
    return outcome.exit_code
