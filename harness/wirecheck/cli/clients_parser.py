"""The options of ``wirecheck clients`` (docs/client-contract.md)."""

from __future__ import annotations

from pathlib import Path

from wirecheck import protocols


def add_clients_parser(sub, positive_int, non_negative, positive_float, add_param_options) -> None:
    c = sub.add_parser(
        "clients",
        help="test a request/reply client: wirecheck plays the misbehaving server (scenarios, then properties)",
        description="Start the client (cmd: over TCP, or python: in-process) once per scenario of "
        "vectors/client-scenarios.json, play the server's script, feed the application's actions, and judge "
        "what the application was told against the reference model; then generated scenarios "
        "(docs/client-contract.md). 'wirecheck clients lint' checks the scenario file.",
    )
    c.add_argument(
        "action",
        nargs="?",
        choices=("run", "lint", "matrix"),
        default="run",
        help="run (default), lint, or matrix (every bundled client, written to --out)",
    )
    c.add_argument(
        "--target",
        default="reference",
        metavar="TARGET",
        help="'cmd:COMMAND {host} {port}', python:MODULE:factory, or reference (the model; the default)",
    )
    c.add_argument(
        "--impl", metavar="NAME", help="a bundled client of implementations/ (its manifest gives the target)"
    )
    c.add_argument("--implementations", type=Path, metavar="DIR", help="the implementations folder (default: bundled)")
    c.add_argument("--in-process", action="store_true", help="with --impl: its python: adapter, not its command")
    framings = protocols.framings()  # not wirecheck.clients: every command's start-up would import it
    c.add_argument("--protocol", default="line", choices=framings, metavar="P",
                   help="the framing: " + ", ".join(framings) + " (default line, LF)")  # fmt: skip
    add_param_options(c, endpoint_only=True)
    c.add_argument("--profile", choices=("plain", "numbered"), default="plain", help="numbered: `<id> <text>`")
    c.add_argument(
        "--client-timeout",
        type=positive_float,
        metavar="S",
        help="the client claims a request timeout of S seconds (the scenarios that need one run)",
    )
    c.add_argument("--scenarios", type=Path, metavar="FILE", help="a scenario file (default: the bundled one)")
    c.add_argument("--scenario-json", metavar="JSON", help="scenarios given inline, as a shrunk failure prints them")
    c.add_argument("--scenario", action="append", metavar="ID", help="only this scenario id or glob; repeatable")
    c.add_argument("--only", choices=("scenarios", "properties"), help="run only the scenarios or the properties")
    c.add_argument("--examples", type=non_negative, metavar="N",
                   help="generated scenarios (default 200 in-process, 25 for a command)")  # fmt: skip
    c.add_argument("--seed", type=non_negative, default=1, metavar="S", help="seed of the generated scenarios")
    c.add_argument("--timeout", type=positive_float, default=5.0, metavar="S", help="per scenario (default 5)")
    c.add_argument(
        "--out",
        type=Path,
        default=Path("reports/clients"),
        metavar="DIR",
        help="matrix: where to write (default reports/clients)",
    )
    c.add_argument("--jobs", type=positive_int, default=2, metavar="N", help="matrix: clients run at once (default 2)")
    c.add_argument("--json", type=Path, metavar="FILE", help="write the results as JSON")
    c.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML")
    c.add_argument(
        "--baseline", type=Path, metavar="FILE", help="expected failures: exit 0 when exactly these fail, as recorded"
    )
    c.add_argument("--write-baseline", type=Path, metavar="FILE", help="write a baseline of this run's failures")
    c.add_argument("-v", "--verbose", action="store_true", help="list every scenario, not only failures")
    c.set_defaults(command_module="clients_cmd")
