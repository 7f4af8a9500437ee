"""Every hostile endpoint, command and file of tests/hostile_servers.py against a default run:
exit code, wall time, peak RSS (of wirecheck and what it started), the last line printed.

    python benchmarks/hostile_table.py [MODE ...]

Prints a Markdown table; what docs/endpoint-contract.md promises is checked by
tests/test_hostile.py, this is the full picture with figures.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile_servers.py"
PY = sys.executable


def server(mode: str) -> str:
    return f"cmd:{PY} {HOSTILE} {mode} --port {{port}}"


SCENARIOS = {
    "silent": ["run", "--protocol", "netstring", "--target", server("silent")],
    "drip": ["run", "--protocol", "netstring", "--target", server("drip")],
    "slow-echo": ["run", "--protocol", "netstring", "--target", server("slow-echo")],
    "never-read": ["run", "--protocol", "netstring", "--target", server("never-read")],
    "refused": ["run", "--protocol", "netstring", "--target", "tcp://127.0.0.1:1"],
    "unresolvable": ["run", "--protocol", "netstring", "--target", "tcp://no-such-host.invalid:7000"],
    "closes": ["run", "--protocol", "netstring", "--target", server("closes")],
    "reset": ["run", "--protocol", "netstring", "--target", server("reset")],
    "garbage": ["run", "--protocol", "netstring", "--target", server("garbage")],
    "flood": ["run", "--protocol", "netstring", "--target", server("flood")],
    "listen-no-client": ["run", "--protocol", "netstring", "--listen", "127.0.0.1:0"],
    "escape-exit": ["run", "--protocol", "netstring", "--target", server("escape-exit")],
    "setsid-child": ["run", "--protocol", "netstring", "--only", "vectors", "--target", server("setsid-child")],
    "daemonize": ["run", "--protocol", "netstring", "--only", "vectors", "--target", server("daemonize")],
    "bad-offer": ["run", "--protocol", "banana", "--target", server("bad-offer")],
    "deep-offer": ["run", "--protocol", "banana", "--target", server("deep-offer")],
    "endless-offer": ["run", "--protocol", "banana", "--target", server("endless-offer")],
    "escape-offer": ["run", "--protocol", "banana", "--target", server("escape-offer")],
    "deep-echo": ["run", "--protocol", "banana", "--target", server("deep-echo")],
    "big-echo": ["run", "--protocol", "banana", "--target", server("big-echo")],
    "deep-echo-no-sanity": ["run", "--protocol", "banana", "--no-sanity", "--target", server("deep-echo")],
    "big-echo-no-sanity": ["run", "--protocol", "banana", "--no-sanity", "--target", server("big-echo")],
    "deadline-20-slow": [
        "run",
        "--protocol",
        "netstring",
        "--deadline",
        "20",
        "--no-sanity",
        "--target",
        server("slow-echo"),
    ],
    "delay-0.5-deadline-10": [
        "run",
        "--protocol",
        "netstring",
        "--delay",
        "0.5",
        "--deadline",
        "10",
        "--timeout",
        "2",
        "--target",
        f"cmd:{PY} -m wirecheck serve --protocol netstring --port {{port}}",
    ],
}


def measure(args: list[str], timeout: float = 900) -> tuple[int, float, int, str]:
    """(exit code, seconds, peak RSS in MiB of the child tree, last non-empty line of output)."""
    probe = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr); "
             "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
             "sys.exit(p.returncode)")  # fmt: skip
    started = time.monotonic()
    out = subprocess.run([PY, "-c", probe, PY, "-m", "wirecheck", *args], capture_output=True, text=True,
                         cwd=ROOT, timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip
    elapsed = time.monotonic() - started
    peak = int(out.stderr.rsplit("PEAK ", 1)[1]) // 1024
    lines = [x for x in (out.stdout + out.stderr.rsplit("PEAK ", 1)[0]).splitlines() if x.strip()]
    errors = [x for x in lines if x.startswith("wirecheck: error")]
    shown = (errors or lines or [""])[-1]
    assert "\x1b" not in out.stdout + out.stderr, "an escape byte reached the output"
    return out.returncode, elapsed, peak, shown


def main() -> None:
    names = sys.argv[1:] or list(SCENARIOS)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    print("| scenario | exit | wall s | peak RSS MiB | what wirecheck said |\n|---|---|---|---|---|")
    for name in names:
        code, elapsed, peak, line = measure(SCENARIOS[name])
        print(f"| {name} | {code} | {elapsed:.1f} | {peak} | {line[:160].replace('|', '/')} |", flush=True)


if __name__ == "__main__":
    main()
