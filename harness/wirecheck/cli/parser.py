"""The ``wirecheck`` command line's options.

    wirecheck run [--protocol P] [parameters] [--target T | --listen HOST:PORT] [...]
    wirecheck replay --protocol P [parameters] --chunks SPEC [--target T | --listen HOST:PORT]
    wirecheck serve --protocol P [parameters] [--impl NAME]
    wirecheck echo-client --protocol P [parameters] --connect HOST:PORT
    wirecheck vectors lint [--vectors DIR]
    wirecheck matrix [--impl NAME...] [--protocol P...] [--out DIR] [--jobs N]
    wirecheck baseline write RESULTS.json [-o FILE]
    wirecheck diff OLD.json NEW.json
    wirecheck cost --protocol P [parameters] [--target T | --impl NAME] [--budget S] [--plots DIR]
    wirecheck clients [lint] [--target T] [--protocol P] [parameters] [--profile plain|numbered] [...]

The parameter options (``--max-length``, ``--delimiter``, ``--strict``, ...) are generated
from the protocol registry: every command that takes a configuration offers every
registered parameter, checked against the chosen protocol when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wirecheck import __version__, protocols
from wirecheck.checks import PROPERTY_NAMES
from wirecheck.endpoints.bundled import NAMES as IMPLEMENTATIONS
from wirecheck.errors import ParameterError
from wirecheck.run import option_params

from .clients_parser import add_clients_parser


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


def _param_type(option):
    def parse(text: str):
        try:
            return protocols.parse_text(option.param, text)
        except ParameterError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = option.flag  # argparse names the type in some messages
    return parse


def add_param_options(parser: argparse.ArgumentParser, endpoint_only: bool = False) -> None:
    """One option per registered parameter (only endpoint parameters with ``endpoint_only``)."""
    every = len(protocols.names())
    for option in option_params():
        if endpoint_only and not option.endpoint:
            continue
        param = option.param
        scope = "" if len(option.protocols) == every else f" [{', '.join(option.protocols)}]"
        if param.kind == "bool":
            group = parser.add_mutually_exclusive_group()
            group.add_argument(
                f"--{option.flag}",
                dest=option.name,
                action="store_const",
                const=True,
                default=None,
                help=option.help + scope,
            )
            if param.negation:
                group.add_argument(
                    f"--{param.negation}",
                    dest=option.name,
                    action="store_const",
                    const=False,
                    help=f"the opposite of --{option.flag}",
                )
            continue
        if param.kind == "bytes":
            metavar = "D"
            help_text = f"{option.help}: {', '.join(param.aliases)} or hex:.."
        elif param.kind == "choice":
            metavar, help_text = "{" + ",".join(param.choices) + "}", option.help
        elif param.kind == "names":
            metavar, help_text = "LIST", f"{option.help}, comma-separated"
        else:
            metavar, help_text = "N", option.help
        parser.add_argument(
            f"--{option.flag}", dest=option.name, type=_param_type(option), metavar=metavar, help=help_text + scope
        )


def params_from(args: argparse.Namespace) -> dict:
    """The parameter options that were given, in their JSON form."""
    return {o.name: getattr(args, o.name) for o in option_params() if getattr(args, o.name, None) is not None}


def _one_protocol(parser: argparse.ArgumentParser) -> None:
    names = protocols.names()
    parser.add_argument("--protocol", required=True, choices=names, metavar="P", help=", ".join(names))


def build_parser() -> argparse.ArgumentParser:
    names = protocols.names()
    parser = argparse.ArgumentParser(
        prog="wirecheck",
        description="Conformance tests for byte-stream framing protocols: " + ", ".join(names) + ".",
    )
    parser.add_argument("--version", action="version", version=f"wirecheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    r = sub.add_parser(
        "run",
        help="run the golden vectors, then the properties, against a target (default: the in-process reference)",
        description="Run the golden vectors (each whole, one byte per read up to 1 MiB, at every "
        "two-way split of inputs up to 64 bytes and in its explicit chunks), then the conformance properties "
        "(generated streams cut into generated reads, checked against the reference). Parameter options "
        "give the configuration under test: every vector that holds there runs (templates built from the "
        "parameters), and the properties use it.",
    )
    r.add_argument(
        "--protocol",
        action="append",
        choices=names,
        metavar="P",
        help=f"one of {', '.join(names)}; repeatable; default all",
    )
    add_param_options(r)
    _selection(r)
    r.add_argument(
        "--target",
        metavar="TARGET",
        help="tcp://HOST:PORT (a running echo server), 'cmd:COMMAND ... {port} ...' (started by "
        "wirecheck), 'stdio:COMMAND' or 'stdio-chunked:COMMAND' (a decoder fed on standard input; "
        "docs/stdio-contract.md) or python:MODULE:factory (a Python library, in-process; docs/properties.md); "
        "default: the in-process reference",
    )
    r.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="test a client: listen here; every connection the client makes gets the next case",
    )
    _waits(r, "per-case timeout (default 5)")
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
    r.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="expected failures (wirecheck baseline write): pass when only these fail, each still as recorded",
    )
    r.add_argument("--baseline-impl", metavar="NAME", help="which implementation of a baseline holding several")
    r.add_argument("-v", "--verbose", action="store_true", help="list every case, not only failures")
    r.set_defaults(command_module="run_cmd")

    m = sub.add_parser(
        "matrix",
        help="run every bundled implementation and write the compatibility report",
        description="Start each available implementation of implementations/ for each configuration it "
        "declares, run the vectors and the properties (fixed seed) against it, and write the report: "
        "index.html, one page per implementation, results.json, summary.md and JUnit (docs/matrix.md).",
    )
    m.add_argument("--impl", action="append", metavar="NAME", help="only this implementation; repeatable")
    m.add_argument("--protocol", action="append", choices=names, metavar="P", help="only this protocol; repeatable")
    m.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="where to write (default reports)")
    m.add_argument("--jobs", type=positive_int, default=2, metavar="N", help="configurations run at once (default 2)")
    m.add_argument("--seed", type=non_negative, default=1, metavar="S", help="seed of the properties (default 1)")
    m.add_argument("--examples", type=positive_int, default=100, metavar="N", help="examples per property (100)")
    m.add_argument(
        "--deadline", type=positive_float, default=300.0, metavar="S", help="per configuration (default 300)"
    )
    m.add_argument("--implementations", type=Path, metavar="DIR", help="the implementations folder (default: bundled)")
    m.add_argument("--baseline", type=Path, metavar="FILE", help="exit 0 when only these failures occur")
    m.add_argument("--cost", type=positive_float, metavar="S", help="also probe each configuration's cost and "
                   "memory (wirecheck cost) for S seconds: the report's cost and memory columns")  # fmt: skip
    m.add_argument("--list", action="store_true", help="list the implementations and whether each is available")
    m.add_argument("--install", action="store_true", help="print the install commands of those not available")
    m.set_defaults(command_module="matrix_cmd")

    add_clients_parser(sub, positive_int, non_negative, positive_float, add_param_options)

    b = sub.add_parser("baseline", help="write a baseline of expected failures from results")
    bsub = b.add_subparsers(dest="baseline_command", metavar="ACTION")
    bsub.required = True
    bw = bsub.add_parser("write", help="a baseline holding exactly the failures of RESULTS.json")
    bw.add_argument("results", type=Path, metavar="RESULTS.json", help="wirecheck run --json or matrix results.json")
    bw.add_argument("--impl", metavar="NAME", help="name a single run's implementation (default 'target')")
    bw.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (default: standard output)")
    bw.set_defaults(command_module="baseline_cmd")

    d = sub.add_parser("diff", help="what changed between two results files; exit 1 on a regression")
    d.add_argument("old", type=Path, metavar="OLD.json")
    d.add_argument("new", type=Path, metavar="NEW.json")
    d.set_defaults(command_module="baseline_cmd", baseline_command="diff")

    s = sub.add_parser(
        "serve",
        help="start a bundled echo implementation",
        description="Start a bundled echo endpoint and print 'listening on HOST:PORT'.",
    )
    _one_protocol(s)
    add_param_options(s, endpoint_only=True)
    s.add_argument("--impl", default="reference", choices=IMPLEMENTATIONS, help="which implementation")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=non_negative, default=0, help="0 picks a free port")
    s.set_defaults(command_module="serve_cmd", client=False)

    c = sub.add_parser(
        "echo-client",
        help="the reference client: connect to a --listen run, repeatedly, and echo",
        description="Connect to HOST:PORT again and again, echoing each connection as the contract "
        "says, until nothing accepts for --give-up seconds.",
    )
    _one_protocol(c)
    add_param_options(c, endpoint_only=True)
    c.add_argument("--connect", required=True, metavar="HOST:PORT")
    c.add_argument("--give-up", type=positive_float, default=5.0, metavar="S", help="stop after S s unaccepted")
    c.set_defaults(command_module="serve_cmd", client=True)

    rp = sub.add_parser(
        "replay",
        help="run one stream, cut into given reads, against a target (what a failed property prints)",
        description="Deliver the given reads (and the same bytes whole, one byte per read and split in two) "
        "and compare with what the reference does with them. Exit 0 if the target conforms, 1 if not.",
    )
    _one_protocol(rp)
    add_param_options(rp)
    rp.add_argument(
        "--chunks",
        required=True,
        metavar="SPEC",
        help="the reads, comma-separated; each is hex, with runs written BYTE*COUNT and joined by '+', "
        "e.g. '61*16384+0d,0a'",
    )
    rp.add_argument("--target", metavar="TARGET", help="as for run; default: the in-process reference")
    rp.add_argument("--listen", metavar="HOST:PORT", help="as for run: test a client")
    rp.add_argument("--print-vector", action="store_true", help="print the case as a golden-format vector")
    _waits(rp, "per-delivery timeout")
    rp.set_defaults(command_module="replay_cmd")

    fz = sub.add_parser(
        "fuzz",
        help="coverage-guided fuzzing (atheris) of an in-process target against the oracle; findings as vectors",
        description="Fuzz one protocol configuration. In-process targets (reference, python:) are fuzzed with "
        "atheris, guided by the coverage of the library under test; endpoints (tcp:, cmd:, stdio:) run the "
        "properties for the budget instead. Each distinct behaviour found is minimized and saved as a vector "
        "with its replay command. Exit 0 when nothing was found, 1 with findings, 2 on errors.",
    )
    _one_protocol(fz)
    add_param_options(fz, endpoint_only=True)
    fz.add_argument("--target", metavar="TARGET", help="reference (default), python:..., tcp://, cmd:, stdio:")
    budget = fz.add_mutually_exclusive_group()
    budget.add_argument("--seconds", type=positive_float, metavar="S", help="the budget in seconds (default 60)")
    budget.add_argument("--runs", type=positive_int, metavar="N", help="the budget in inputs (all jobs together)")
    fz.add_argument("--corpus", type=Path, metavar="DIR", help="kept between runs (default .wirecheck/fuzz/corpus/..)")
    fz.add_argument("--findings", type=Path, metavar="DIR", help="vector files of what was found "
                    "(default .wirecheck/fuzz/findings)")  # fmt: skip
    fz.add_argument("--jobs", type=positive_int, default=1, metavar="N", help="fuzzing processes (in-process targets)")
    fz.add_argument("--seed", type=positive_int, metavar="S", help="the first job's seed (default: random)")
    fz.add_argument("--max-len", type=positive_int, metavar="N", help="the longest input (default: twice the maximum)")
    _waits(fz, "per-delivery timeout (endpoints)")
    fz.set_defaults(command_module="fuzz_cmd")

    cost = sub.add_parser(
        "cost",
        help="how a target's time grows with its input: quadratic decoders found, with the exponent and a plot",
        description="Measure each workload of one protocol (many small frames in one write, one large frame "
        "in 1- and 16-byte reads, ...) at doubling sizes and fit how the time grows. Verdicts: linear, "
        "superlinear (quadratic-time or superlinear-time, with the exponent), too-slow-to-measure, "
        "inconclusive, not-measured. Exit 1 when a workload is superlinear or too slow, or memory is taken before "
        "validation; 0 otherwise; 2 on errors. See docs/cost.md.",
    )
    _one_protocol(cost)
    add_param_options(cost, endpoint_only=True)
    where = cost.add_mutually_exclusive_group()
    where.add_argument("--target", metavar="TARGET", help="reference (default), python:..., tcp://, cmd:, stdio:")
    where.add_argument("--impl", choices=IMPLEMENTATIONS, metavar="NAME",
                       help="a bundled server (wirecheck serve --impl), started with the probe's maximum")  # fmt: skip
    cost.add_argument("--workload", action="append", metavar="W", help="repeatable; default every one that applies")
    cost.add_argument("--budget", type=positive_float, default=60.0, metavar="S",
                      help="seconds for the whole probe (default 60)")  # fmt: skip
    cost.add_argument("--cap", type=positive_float, metavar="S", help="the longest one delivery may take; larger "
                      "sizes are not started (default 5 in-process, 20 over a socket or stdin)")  # fmt: skip
    cost.add_argument("--repeat", type=positive_int, default=3, metavar="N", help="measurements per size (median)")
    cost.add_argument("--max-bytes", type=positive_int, default=512 << 20, metavar="N",
                      help="bytes sent in all, every delivery counted (default 512 MiB)")  # fmt: skip
    cost.add_argument("--only", choices=("time", "memory"), help="only the time workloads, or only the memory probes")
    cost.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    cost.add_argument("--plots", type=Path, metavar="DIR", help="an SVG per superlinear workload (default: none)")
    cost.add_argument("--timeout", type=positive_float, default=5.0, metavar="S", help="connection timeout")
    cost.set_defaults(command_module="cost_cmd")

    v = sub.add_parser("vectors", help="work with the golden vector files")
    vsub = v.add_subparsers(dest="vectors_command", metavar="ACTION")
    vsub.required = True
    lint = vsub.add_parser(
        "lint",
        help="validate against the schema and check every vector, at many configurations, against the reference",
    )
    lint.add_argument("--vectors", type=Path, metavar="DIR", help="vector directory (default: the bundled vectors)")
    lint.set_defaults(command_module="vectors_cmd", action="lint")
    ls = vsub.add_parser("list", help="print the vectors a run with these options would run")
    ls.add_argument("--protocol", action="append", choices=names, metavar="P", help="repeatable; default all")
    add_param_options(ls)
    _selection(ls)
    ls.add_argument(
        "--endpoint",
        action="store_true",
        help="as a run against an endpoint (--target or --listen): its one configuration",
    )
    ls.set_defaults(command_module="vectors_cmd", action="list")
    ex = vsub.add_parser(
        "export",
        help="write the concrete vectors for one configuration, templates instantiated, for any language",
        description="Write the vectors an endpoint configured with these parameters is tested with, as "
        "vector files in the bundled format with every template built: a test suite in any language can "
        "read them without the expression language.",
    )
    _one_protocol(ex)
    add_param_options(ex)
    _selection(ex)
    ex.add_argument("directory", type=Path, metavar="DIR", help="where to write the files")
    ex.set_defaults(command_module="vectors_cmd", action="export")
    return parser


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--case",
        action="append",
        metavar="ID",
        help="only this vector id, a template instance (ID@name=value) or a glob pattern; repeatable",
    )
    parser.add_argument("--skip", action="append", metavar="PATTERN", help="leave out these ids (globs); repeatable")
    parser.add_argument("--flag", action="append", metavar="NAME", help="only vectors with this flag; repeatable")
    parser.add_argument("--vectors", type=Path, metavar="DIR", help="vector directory (default: the bundled vectors)")
    parser.add_argument(
        "--add-vectors",
        action="append",
        type=Path,
        metavar="DIR",
        help="more vector files to run alongside (your own); repeatable",
    )


def _waits(parser: argparse.ArgumentParser, timeout_help: str) -> None:
    parser.add_argument("--timeout", type=positive_float, default=5.0, metavar="S", help=timeout_help)
    parser.add_argument("--delay", type=non_negative_float, default=0.0, metavar="S", help="pause between writes")
