"""The ``wirecheck`` command line.

    wirecheck run [--protocol P] [parameters] [--case ID] [--flag NAME]
    wirecheck vectors lint [--vectors DIR]

Exit codes: 0 all passed, 1 a conformance failure (or lint errors), 2 a usage or
harness error.  Bad input gets a one-line message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

from harness import __version__
from harness.oracle import PROTOCOLS
from harness.runner import ACCEPTABLE, ERROR, FAILING, PASS, TIMEOUT, UNIMPLEMENTED, run, select
from harness.targets import ReferenceTarget
from harness.vectors import VectorFileError, load

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

DELIMITER_NAMES = {"crlf": b"\r\n", "lf": b"\n", "cr": b"\r", "nul": b"\x00"}


class UsageError(Exception):
    """Bad command-line input: reported in one line with exit code 2."""


def parse_delimiter(text: str) -> bytes:
    """``crlf``, ``lf``, ``cr``, ``nul`` or ``hex:0d0a``."""
    if text.lower() in DELIMITER_NAMES:
        return DELIMITER_NAMES[text.lower()]
    if text.lower().startswith("hex:"):
        try:
            value = bytes.fromhex(text[4:])
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: not valid hex after 'hex:'") from None
        if value:
            return value
    raise argparse.ArgumentTypeError(f"{text!r}: use crlf, lf, cr, nul or hex:<bytes>, e.g. hex:0d0a")


def non_negative(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 or more")
    return value


def positive_int(text: str) -> int:
    value = non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a finite number, 0 or more")
    return value


def positive_float(text: str) -> float:
    value = non_negative_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
    return value


PROPERTY_NAMES = (
    "round_trip", "split_independence", "differential", "first_invalid", "max_length_boundary", "burst",
)  # fmt: skip

IMPLEMENTATIONS = ("reference", "twisted", "twisted-lineonly", "asyncio", "asyncio-buffered")

#: What an external endpoint is assumed to be configured with when an option is not given.
DEFAULT_PARAMS = {
    "netstring": {"max_length": 99999},
    "int8": {"max_length": 99999},
    "int16": {"max_length": 99999},
    "int32": {"max_length": 99999},
    "line": {"delimiter": "0d0a", "max_length": 16384},
    "banana": {"strict": False, "dialects": ["pb", "none"]},
}


def split_host_port(text: str, option: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise UsageError(f"{option} {text!r}: expected HOST:PORT")
    return host.strip("[]"), int(port)


def _endpoint_params(args, role: str) -> dict:
    """The configuration of a bundled endpoint from serve / echo-client options."""
    protocol = args.protocol
    if protocol == "banana":
        dialects = [d for d in args.dialects.split(",") if d]
        if not dialects:
            raise UsageError("--dialects needs at least one name")
        return {"role": role, "dialects": dialects, "strict": args.strict}
    params = dict(DEFAULT_PARAMS[protocol])
    if args.max_length is not None:
        params["max_length"] = args.max_length
    if args.delimiter is not None:
        if protocol != "line":
            raise UsageError("--delimiter is for --protocol line")
        params["delimiter"] = args.delimiter.hex()
    return params


def cmd_echo_client(args, out) -> int:
    from implementations.reference.client import run as run_client

    host, port = split_host_port(args.connect, "--connect")
    served = run_client(args.protocol, _endpoint_params(args, "client"), host, port, give_up=args.give_up)
    print(f"served {served} connections", file=out)
    return EXIT_OK


def make_target(spec: str, timeout: float, delay: float):
    from harness.targets.command import CommandTarget
    from harness.targets.tcp import TcpTarget

    if spec.startswith("tcp://"):
        host, port = split_host_port(spec[len("tcp://") :], "--target")
        if port == 0:
            raise UsageError(f"--target {spec!r}: port 0 is not a port to connect to")
        return TcpTarget(host, port, timeout=timeout, delay=delay)
    if spec.startswith("cmd:"):
        return CommandTarget(spec[len("cmd:") :], timeout=timeout, delay=delay)
    if spec.startswith("python:"):
        from harness.targets.python import PythonTarget

        return PythonTarget(spec[len("python:") :])
    raise UsageError(
        f"--target {spec!r}: use tcp://HOST:PORT, 'cmd:COMMAND ... {{port}} ...' or python:package.module:factory"
    )


def _endpoint_options(parser) -> None:
    """--protocol (one, required), --max-length and --delimiter: one configuration."""
    parser.add_argument("--protocol", required=True, choices=PROTOCOLS, metavar="P", help=", ".join(PROTOCOLS))
    parser.add_argument("--max-length", type=non_negative, metavar="N")
    parser.add_argument("--delimiter", type=parse_delimiter, metavar="D", help="lines: crlf, lf, cr, nul or hex:..")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirecheck",
        description="Conformance tests for byte-stream framing protocols: netstrings, "
        "int8/16/32-prefixed strings, delimited lines and Banana.",
    )
    parser.add_argument("--version", action="version", version=f"wirecheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    r = sub.add_parser(
        "run",
        help="run the golden vectors, then the properties, against a target (default: the in-process reference)",
        description="Run the golden vectors (each whole, one byte per read, at every two-way "
        "split of inputs up to 64 bytes and in its explicit chunks), then the conformance properties "
        "(generated streams cut into generated reads, checked against the reference). Parameter options "
        "select the vector groups with exactly those parameters and configure the properties.",
    )
    r.add_argument(
        "--protocol",
        action="append",
        choices=PROTOCOLS,
        metavar="P",
        help=f"one of {', '.join(PROTOCOLS)}; repeatable; default all",
    )
    r.add_argument("--max-length", type=non_negative, metavar="N", help="only groups with this max_length")
    r.add_argument("--delimiter", type=parse_delimiter, metavar="D", help="lines: crlf, lf, cr, nul or hex:..")
    r.add_argument("--dialect", choices=("none", "pb"), help="Banana peer groups with this dialect")
    r.add_argument("--role", choices=("peer", "server", "client"), help="Banana groups for this role")
    r.add_argument(
        "--dialects",
        metavar="LIST",
        help="Banana: the dialects the endpoint offers (server) or knows (client), in order; "
        "default for an endpoint pb,none",
    )
    strict = r.add_mutually_exclusive_group()
    strict.add_argument("--strict", dest="strict", action="store_true", default=None, help="Banana strict groups only")
    strict.add_argument("--lenient", dest="strict", action="store_false", help="Banana lenient groups only")
    r.add_argument("--case", action="append", metavar="ID", help="only this vector id; repeatable")
    r.add_argument("--flag", action="append", metavar="NAME", help="only vectors with this flag; repeatable")
    r.add_argument("--vectors", type=Path, metavar="DIR", help="vector directory (default: the bundled vectors)")
    r.add_argument(
        "--target",
        metavar="TARGET",
        help="tcp://HOST:PORT (a running echo server), 'cmd:COMMAND ... {port} ...' (started by "
        "wirecheck) or python:package.module:factory (a Python library, in-process; docs/python-targets.md); "
        "default: the in-process reference",
    )
    r.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="test a client: listen here; every connection the client makes gets the next case",
    )
    r.add_argument("--timeout", type=positive_float, default=5.0, metavar="S", help="per-case timeout (default 5)")
    r.add_argument("--delay", type=non_negative_float, default=0.0, metavar="S", help="pause between writes")
    r.add_argument("--jobs", type=positive_int, default=1, metavar="N", help="cases on N concurrent connections")
    r.add_argument(
        "--deadline",
        type=positive_float,
        default=900.0,
        metavar="S",
        help="the whole run ends within S seconds; cases not done by then are errors (default 900)",
    )
    r.add_argument(
        "--no-sanity", action="store_true", help="skip the sanity case an endpoint must pass before and after the run"
    )
    r.add_argument(
        "--only", choices=("vectors", "properties"), help="run only the golden vectors, or only the properties"
    )
    r.add_argument(
        "--examples", type=positive_int, default=100, metavar="N", help="examples per property (default 100)"
    )
    r.add_argument(
        "--property",
        action="append",
        metavar="NAME",
        help="only this property; repeatable (" + ", ".join(PROPERTY_NAMES) + ")",
    )
    r.add_argument("--seed", type=non_negative, metavar="S", help="seed for the properties: reproduces a run exactly")
    r.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON (docs/results-format.md)")
    r.add_argument("--junit", type=Path, metavar="FILE", help="write the results as JUnit XML")
    r.add_argument("-v", "--verbose", action="store_true", help="list every case, not only failures")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser(
        "serve",
        help="start a bundled echo implementation",
        description="Start a bundled echo endpoint and print 'listening on HOST:PORT'.",
    )
    _endpoint_options(s)
    s.add_argument("--impl", default="reference", choices=IMPLEMENTATIONS, help="which implementation")
    s.add_argument("--dialects", default="pb,none", metavar="LIST", help="Banana: dialects to offer, in order")
    s.add_argument("--strict", action="store_true", help="Banana: reject what the specification does not allow")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=non_negative, default=0, help="0 picks a free port")
    s.set_defaults(func=cmd_serve)

    c = sub.add_parser(
        "echo-client",
        help="the reference client: connect to a --listen run, repeatedly, and echo",
        description="Connect to HOST:PORT again and again, echoing each connection as the contract "
        "says, until nothing accepts for --give-up seconds.",
    )
    _endpoint_options(c)
    c.add_argument("--connect", required=True, metavar="HOST:PORT")
    c.add_argument("--dialects", default="pb,none", metavar="LIST", help="Banana: dialects known, in order")
    c.add_argument("--strict", action="store_true", help="Banana: reject what the specification does not allow")
    c.add_argument("--give-up", type=positive_float, default=5.0, metavar="S", help="stop after S s unaccepted")
    c.set_defaults(func=cmd_echo_client)

    rp = sub.add_parser(
        "replay",
        help="run one stream, cut into given reads, against a target (what a failed property prints)",
        description="Deliver the given reads (and the same bytes whole, one byte per read and split in two) "
        "and compare with what the reference does with them. Exit 0 if the target conforms, 1 if not.",
    )
    _endpoint_options(rp)
    rp.add_argument(
        "--chunks",
        required=True,
        metavar="SPEC",
        help="the reads, comma-separated; each is hex, with runs written BYTE*COUNT and joined by '+', "
        "e.g. '61*16384+0d,0a'",
    )
    rp.add_argument("--dialect", choices=("none", "pb"), default="none", help="Banana dialect (default none)")
    rp.add_argument("--strict", action="store_true", help="Banana: the strict reading")
    rp.add_argument("--target", metavar="TARGET", help="as for run; default: the in-process reference")
    rp.add_argument("--listen", metavar="HOST:PORT", help="as for run: test a client")
    rp.add_argument("--print-vector", action="store_true", help="print the case as a golden-format vector")
    rp.add_argument("--timeout", type=positive_float, default=5.0, metavar="S", help="per-delivery timeout")
    rp.add_argument("--delay", type=non_negative_float, default=0.0, metavar="S", help="pause between writes")
    rp.set_defaults(func=cmd_replay)

    v = sub.add_parser("vectors", help="work with the golden vector files")
    vsub = v.add_subparsers(dest="vectors_command", metavar="ACTION")
    vsub.required = True
    lint = vsub.add_parser("lint", help="validate against the schema and check every vector against the reference")
    lint.add_argument("--vectors", type=Path, metavar="DIR", help="vector directory (default: the bundled vectors)")
    lint.set_defaults(func=cmd_lint)
    return parser


def _params_from(args) -> dict:
    params: dict = {}
    if args.max_length is not None:
        params["max_length"] = args.max_length
    if args.delimiter is not None:
        params["delimiter"] = args.delimiter.hex()
    if args.dialect is not None:
        params["dialect"] = args.dialect
    if args.role is not None:
        params["role"] = args.role
    if args.strict is not None:
        params["strict"] = args.strict
    if args.dialects is not None:
        params["dialects"] = [d for d in args.dialects.split(",") if d]
        if not params["dialects"]:
            raise UsageError("--dialects needs at least one name")
    return params


def _choices_hint(vectors, protocols) -> str:
    seen = defaultdict(set)
    for vec in vectors:
        if protocols and vec.protocol not in protocols:
            continue
        for key, value in vec.params.items():
            seen[key].add(",".join(value) if isinstance(value, list) else json.dumps(value).strip('"'))
    return "; ".join(f"{k}: {', '.join(sorted(vals))}" for k, vals in sorted(seen.items()))


def _check_writable(path: Path | None, option: str) -> None:
    if path is not None and not path.parent.resolve().is_dir():
        raise UsageError(f"{option} {path}: no such directory {path.parent}")


def _is_endpoint(args) -> bool:
    """A socket endpoint (tcp:, cmd: or --listen), as opposed to something driven in-process."""
    return args.listen is not None or (args.target is not None and not args.target.startswith("python:"))


def cmd_run(args, out) -> int:
    _check_writable(args.json, "--json")
    _check_writable(args.junit, "--junit")
    params = _params_from(args)
    if args.target is not None and args.listen is not None:
        raise UsageError("--target and --listen exclude each other: test a server or a client")
    if _is_endpoint(args):
        if not args.protocol or len(set(args.protocol)) != 1:
            raise UsageError("an endpoint is tested one protocol at a time: give exactly one --protocol")
        params = {**DEFAULT_PARAMS[args.protocol[0]], **params}
    args.effective_params = params
    if args.only == "properties":
        if args.case or args.flag:
            raise UsageError("--case and --flag select golden vectors; --only properties runs none")
        vector_set, chosen = None, []
    else:
        vector_set = load(args.vectors)
        chosen = select(vector_set.vectors, args.protocol, params, args.case, args.flag)
        if not chosen:
            hint = _choices_hint(vector_set.vectors, args.protocol)
            raise UsageError(f"no vectors match the given protocol, parameters, cases and flags (groups have {hint})")
        if args.case:
            missing = sorted(set(args.case) - {v.id for v in chosen})
            if missing:
                raise UsageError(f"no such vector id (or excluded by other options): {', '.join(missing)}")
    for name in args.property or ():
        if name not in PROPERTY_NAMES:
            raise UsageError(f"--property {name!r}: no such property; choose from {', '.join(PROPERTY_NAMES)}")
    target = open_target(args, out)
    try:
        return _run_and_report(args, out, vector_set, chosen, target)
    finally:
        if hasattr(target, "close"):
            target.close()


def open_target(args, out):
    from harness.targets.base import TargetError

    try:
        if args.listen is not None:
            from harness.targets.listen import ListenTarget

            host, port = split_host_port(args.listen, "--listen")
            target = ListenTarget(host, port, timeout=args.timeout, delay=args.delay)
            print(f"listening on {target.host}:{target.port}", file=out, flush=True)
            return target
        if args.target is not None:
            return make_target(args.target, args.timeout, args.delay)
        return ReferenceTarget()
    except TargetError as exc:
        raise UsageError(str(exc)) from None


class Progress:
    """A one-line progress bar on stderr, for terminals only."""

    WIDTH = 30

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.last = 0.0

    def advance(self, failed: bool) -> None:
        import time

        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} cases, {self.failed} failed")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def sanity_vector(chosen):
    """The plainest valid vector with one non-empty frame: what any working endpoint echoes."""
    candidates = [
        v for v in chosen
        if v.result == "valid" and v.expected.outcome["status"] == "ok" and len(v.expected.frames) == 1
        and v.expected.frames[0] != "" and v.chunks is None and v.params.get("role", "peer") == "peer"
    ]  # fmt: skip
    plain = [v for v in candidates if {"Spec", "Basic"} & set(v.flags)] or candidates
    return min(plain, key=lambda v: len(v.input), default=None)


#: Seconds between the sanity frame and the sentinel: the sanity case asks "does it still
#: answer?", not "does it merge frames that arrive together?" (the run asks that).
SANITY_SENTINEL_PAUSE = 0.05


def _sanity(target, vector, attempts: int = 1) -> str:
    """Deliver the sanity vector whole; '' when it passed, else why not.

    After a run it gets a few attempts: an endpoint whose bug is timing-dependent (merging
    frames that arrive together) can fail it once without having degraded.
    """
    from harness.oracle import matches
    from harness.runner import describe

    problem = ""
    paced = hasattr(target, "sentinel_pause")
    if paced:
        target.sentinel_pause = SANITY_SENTINEL_PAUSE
    try:
        for _ in range(attempts):
            try:
                obs = target.deliver(vector, [vector.input])
            except Exception as exc:  # any failure to drive the endpoint is the answer here
                problem = f"{type(exc).__name__}: {exc}"
                continue
            if matches(vector.expected, obs, exact=False):
                return ""
            problem = f"expected {describe(vector.expected)}; observed {describe(obs)}"
        return problem
    finally:
        if paced:
            target.sentinel_pause = 0.0


def _with_handshake_cases(target, chosen):
    """Prepend the handshake cases for this Banana server's actual offer."""
    from harness.targets.base import TargetError
    from harness.targets.tcp import BadOffer, banana_handshake_cases

    try:
        offer = target.offer()
    except BadOffer:
        offer = None  # the cases below then fail on the offer, with its reason
    except TargetError as exc:
        raise UsageError(f"cannot read the Banana offer: {exc}") from None
    return banana_handshake_cases(offer) + list(chosen)


def _run_and_report(args, out, vector_set, chosen, target) -> int:
    import time

    from harness.runner import RunResult

    run_ends = time.monotonic() + args.deadline  # covers the sanity cases and the handshake probe too
    if hasattr(target, "run_deadline"):
        target.run_deadline = run_ends
    endpoint = _is_endpoint(args)
    if endpoint and chosen and args.protocol == ["banana"] and args.listen is None and not args.case:
        chosen = _with_handshake_cases(target, chosen)
    sanity = None
    if endpoint and not args.no_sanity:  # drawn from the whole configuration, --case/--flag aside
        if vector_set is not None:
            sanity = sanity_vector(select(vector_set.vectors, args.protocol, args.effective_params))
        else:
            from harness.properties import configurations
            from harness.properties import sanity_vector as oracle_sanity

            configs = configurations(args.protocol, args.effective_params)
            sanity = oracle_sanity(*configs[0]) if configs else None
    sane_before = True
    if sanity is not None:
        problem = _sanity(target, sanity)
        if problem:
            sane_before = False
            print(
                f"wirecheck: warning: sanity case {sanity.id} failed before the run: {problem}. "
                "Is the endpoint configured with the same parameters?",
                file=sys.stderr,
            )
    print(f"wirecheck {__version__}: against {target.name}", file=out)
    from harness.report import json_report

    started = json_report.now()
    if chosen:
        result = _run_vectors(args, out, vector_set, chosen, target, run_ends)
    else:
        result = RunResult(target.name)
    properties: list = []
    seed = None
    if args.only != "vectors" and not result.aborted:
        properties, seed = _run_properties(args, out, target, run_ends)
        for prop in properties:
            if prop.verdict == "error" and not result.aborted:
                result.aborted = f"property {prop.name} ({prop.protocol}): {prop.detail}"
    _write_reports(args, result, vector_set, started, target, properties, seed)
    if sanity is not None and sane_before and not result.aborted:
        problem = _sanity(target, sanity, attempts=3)
        if problem:
            result.aborted = f"the endpoint degraded during the run: sanity case {sanity.id} now fails: {problem}"
    failed_props = sum(p.verdict == "fail" for p in properties)
    if result.aborted:
        print(f"wirecheck: error: the run stopped early: {result.aborted}", file=sys.stderr)
    summary = []
    if chosen:
        summary.append(f"{result.passed} passed, {result.failed} failed")
    if properties:
        held = sum(p.verdict == "pass" for p in properties)
        summary.append(f"properties: {held} held, {failed_props} failed")
    print("; ".join(summary) or "nothing was run", file=out)
    if result.aborted:
        return EXIT_USAGE
    ran = [c for c in result.cases if c.verdict != UNIMPLEMENTED] + [
        p for p in properties if p.verdict != "unimplemented"
    ]
    if (result.cases or properties) and not ran:
        print("wirecheck: error: the target could run none of the selected vectors or properties", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if result.failed == 0 and failed_props == 0 else EXIT_FAIL


def _run_vectors(args, out, vector_set, chosen, target, run_ends):
    import time

    print(f"vectors: {vector_set.directory} (sha256 {vector_set.digest[:12]}, {len(chosen)} selected)", file=out)
    verbose = args.verbose
    progress = Progress(len(chosen)) if sys.stderr.isatty() else None

    def report(case) -> None:
        if progress is not None:
            progress.advance(case.verdict in FAILING)
        if verbose or case.verdict in FAILING or case.verdict == UNIMPLEMENTED:
            if progress is not None:
                progress.clear()
            line = f"{case.verdict.upper():10} {case.vector.id}"
            if case.delivery:
                line += f" [{case.delivery}]"
            if case.detail:
                line += f": {case.detail}"
            print(line, file=out, flush=True)

    try:
        result = run(target, chosen, report, jobs=args.jobs, deadline=max(0.001, run_ends - time.monotonic()))
    finally:
        if progress is not None:
            progress.clear()
    rows = defaultdict(lambda: defaultdict(int))
    for case in result.cases:
        row = rows[case.vector.protocol]
        row["vectors"] += 1
        row[case.verdict] += 1
        row["deliveries"] += case.deliveries
    print("", file=out)
    print(f"{'protocol':10} {'vectors':>8} {'passed':>8} {'accept':>8} {'failed':>8} {'deliveries':>11}", file=out)
    for proto in PROTOCOLS:
        if proto in rows:
            row = rows[proto]
            print(
                f"{proto:10} {row['vectors']:8} {row[PASS]:8} {row[ACCEPTABLE]:8} "
                f"{sum(row[v] for v in FAILING):8} {row['deliveries']:11}",
                file=out,
            )
    if result.failed:
        by_flag = defaultdict(int)
        for case in result.cases:
            if case.verdict in FAILING:
                for flag in case.vector.flags:
                    by_flag[flag] += 1
        print("\nfailures by flag: " + ", ".join(f"{f} {n}" for f, n in sorted(by_flag.items())), file=out)
    print(f"\n{sum(r['deliveries'] for r in rows.values())} deliveries in {result.duration:.2f}s", file=out)
    others = {v: result.count(v) for v in (TIMEOUT, ERROR) if result.count(v)}
    if others:
        print("of the failed: " + ", ".join(f"{n} {v}" for v, n in others.items()), file=out)
    if result.count(UNIMPLEMENTED):
        print(f"{result.count(UNIMPLEMENTED)} unimplemented (not run by this target; not failures)", file=out)
    return result


def _replay_target_spec(args) -> str:
    if args.listen is not None:
        return ""  # a client is replayed with --listen; the command says so below
    return args.target or ""


def _run_properties(args, out, target, run_ends):
    import random
    import time

    from harness.properties import configurations, run_property

    protocols = args.protocol or list(PROTOCOLS)
    configs = configurations(protocols, args.effective_params)
    names = args.property or list(PROPERTY_NAMES)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"\nproperties: {len(names)} x {len(configs)} configurations, {args.examples} examples each, "
          f"seed {seed} (--seed {seed} reproduces this run)", file=out, flush=True)  # fmt: skip
    results = []
    replay_target = _replay_target_spec(args)
    for protocol, params in configs:
        for name in names:
            if time.monotonic() >= run_ends:
                break
            result = run_property(
                target, name, protocol, params, examples=args.examples, seed=seed, deadline=run_ends,
                replay_target=replay_target,
            )  # fmt: skip
            if args.listen is not None and result.replay:
                result.replay += f" --listen {args.listen}"
            if _is_endpoint(args) and result.replay:
                result.replay += "".join(
                    f" {flag} {value:g}" for flag, value, default in
                    (("--timeout", args.timeout, 5.0), ("--delay", args.delay, 0.0)) if value != default
                )  # fmt: skip
            results.append(result)
            if result.verdict == "pass":
                if args.verbose:
                    print(f"{'HELD':10} property {name} ({protocol} {json.dumps(params)}): {result.examples} "
                          f"examples in {result.duration:.2f}s", file=out, flush=True)  # fmt: skip
            else:
                print(result.report(), file=out, flush=True)
            if result.verdict == "error":
                return results, seed
    by_protocol = defaultdict(lambda: [0, 0, 0])
    for r in results:
        row = by_protocol[r.protocol]
        row[0 if r.verdict == "pass" else 1 if r.verdict == "fail" else 2] += 1
    print(f"\n{'protocol':10} {'held':>8} {'failed':>8} {'other':>8}", file=out)
    for proto in PROTOCOLS:
        if proto in by_protocol:
            held, failed, other = by_protocol[proto]
            print(f"{proto:10} {held:8} {failed:8} {other:8}", file=out)
    examples = sum(r.examples for r in results)
    print(f"\n{examples} property examples in {sum(r.duration for r in results):.2f}s", file=out)
    return results, seed


def _write_reports(args, result, vector_set, started, target, properties, seed) -> None:
    from harness.report import json_report, write_atomically
    from harness.report.junit import junit_xml

    try:
        if args.json is not None:
            doc = json_report.results_json(
                result,
                vectors_digest=vector_set.digest if vector_set is not None else None,
                vectors_dir=str(vector_set.directory) if vector_set is not None else None,
                params=args.effective_params,
                started=started,
                target_output=target.output() if hasattr(target, "output") else None,
                properties=properties,
                seed=seed,
            )
            write_atomically(args.json, json_report.dumps(doc))
        if args.junit is not None:
            write_atomically(args.junit, junit_xml(result, properties))
    except OSError as exc:
        raise UsageError(f"cannot write the report: {exc}") from None


def cmd_replay(args, out) -> int:
    from harness.properties import parse_compact_hex, replay_case
    from harness.runner import describe, run_case

    params: dict = {}
    if args.max_length is not None:
        params["max_length"] = args.max_length
    if args.delimiter is not None:
        if args.protocol != "line":
            raise UsageError("--delimiter is for --protocol line")
        params["delimiter"] = args.delimiter.hex()
    if args.protocol == "banana":
        params.update(dialect=args.dialect, strict=args.strict)
    elif _is_endpoint(args):
        params = {**DEFAULT_PARAMS[args.protocol], **params}
    try:
        chunks = [parse_compact_hex(c) for c in args.chunks.split(",")] if args.chunks else []
    except ValueError as exc:
        raise UsageError(f"--chunks: {exc}") from None
    chunks = [c for c in chunks if c]
    if not chunks:
        raise UsageError("--chunks: no bytes to send")
    vector = replay_case(args.protocol, params, chunks)
    args.effective_params = vector.params
    if args.print_vector:
        from harness.properties import vector_json

        print(json.dumps(vector_json(vector)), file=out)
    if args.target is not None and args.listen is not None:
        raise UsageError("--target and --listen exclude each other: test a server or a client")
    target = open_target(args, out)
    try:
        case = run_case(target, vector, chunks_first=True)
    finally:
        if hasattr(target, "close"):
            target.close()
    size = sum(map(len, chunks))
    print(f"replay: {args.protocol} {json.dumps(vector.params)}, {size} bytes in {len(chunks)} reads, "
          f"against {target.name}", file=out)  # fmt: skip
    print(f"expected: {describe(vector.expected)}", file=out)
    for alt in vector.alternatives:
        print(f"     or: {describe(alt)}", file=out)
    if case.observed is not None:
        print(f"observed: {describe(case.observed)}" + (f" [{case.delivery}]" if case.delivery else ""), file=out)
    print(f"{case.verdict.upper()}" + (f": {case.detail}" if case.detail and case.verdict != PASS else ""), file=out)
    if case.verdict == UNIMPLEMENTED:
        return EXIT_USAGE
    return EXIT_FAIL if case.verdict in FAILING else EXIT_OK


def cmd_serve(args, out) -> int:
    import asyncio

    from implementations.reference.server import serve

    protocol = args.protocol
    params = _endpoint_params(args, "server")

    def ready(host, port):
        print(f"listening on {host}:{port}", file=out, flush=True)

    try:
        if args.impl.startswith("twisted"):
            try:
                from implementations.twisted.server import serve as serve_twisted
            except ImportError:
                raise UsageError("--impl twisted needs Twisted: pip install 'wirecheck[twisted]'") from None
            if args.impl == "twisted-lineonly" and protocol != "line":
                raise UsageError("--impl twisted-lineonly is for --protocol line")
            serve_twisted(protocol, params, args.host, args.port, ready, line_only=args.impl == "twisted-lineonly")
        elif args.impl.startswith("asyncio"):
            from implementations.asyncio_impl.server import serve as serve_asyncio

            if protocol == "banana":
                raise UsageError("--impl asyncio covers the framing protocols, not banana")
            buffered = args.impl == "asyncio-buffered"
            asyncio.run(serve_asyncio(protocol, params, args.host, args.port, ready, buffered=buffered))
        else:
            asyncio.run(serve(protocol, params, args.host, args.port, ready))
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return EXIT_OK


def cmd_lint(args, out) -> int:
    from harness.vectors.lint import lint
    from harness.vectors.model import default_directory

    directory = args.vectors if args.vectors is not None else default_directory()
    report = lint(directory)
    for warning in report.warnings:
        print(f"warning: {warning}", file=out)
    for error in report.errors:
        print(f"error: {error}", file=out)
    families = ", ".join(f"{k} {n}" for k, n in sorted(report.per_family.items()))
    print(
        f"{report.files} files, {report.vectors} vectors ({families}), "
        f"{len(report.errors)} errors, {len(report.warnings)} warnings",
        file=out,
    )
    return EXIT_OK if not report.errors else EXIT_FAIL


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with a usage message on bad arguments
    out = sys.stdout
    try:
        return args.func(args, out)
    except (UsageError, VectorFileError) as exc:
        print(f"wirecheck: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("wirecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:
        if os.environ.get("WIRECHECK_DEBUG"):
            raise
        where = "WIRECHECK_DEBUG=1 shows where"
        print(f"wirecheck: internal error: {type(exc).__name__}: {exc} ({where})", file=sys.stderr)
        return EXIT_USAGE


def entry_point() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `wirecheck run | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_USAGE
    raise SystemExit(code)


if __name__ == "__main__":
    entry_point()
