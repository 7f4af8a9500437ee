"""Cases per second over loopback against the bundled reference server.

    python benchmarks/bench_endpoint.py [--protocol P ...] [--jobs 1 2 4 8] [--repeat N]

Starts `wirecheck serve --impl reference` for each protocol, then runs every golden
vector of that protocol's default configuration through the socket driver, with
each --jobs value.  Reports vectors per second and connections per second: every
delivery of a vector (whole, byte by byte, each split, explicit chunks) is its own
connection, with its own sentinel round trip or half-close.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "harness"))

from wirecheck import protocols  # noqa: E402
from wirecheck.run import run, select  # noqa: E402
from wirecheck.targets import TcpTarget  # noqa: E402
from wirecheck.vectors import load  # noqa: E402


def start_server(protocol: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "wirecheck", "serve", "--protocol", protocol, "--port", "0"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, int(line.rsplit(":", 1)[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--protocol", nargs="+", default=["netstring", "int32", "line", "banana"])
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2, 4, 8])
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting; the best is kept")
    args = parser.parse_args()
    vectors = load().vectors
    print(f"{'protocol':10} {'jobs':>4} {'vectors':>8} {'conns':>7} {'seconds':>8} {'vectors/s':>10} {'conns/s':>9}")
    worst = float("inf")
    for protocol in args.protocol:
        chosen = select(vectors, [protocol], protocols.endpoint_config(protocols.get(protocol)))
        proc, port = start_server(protocol)
        try:
            target = TcpTarget("127.0.0.1", port, timeout=5.0)
            for jobs in args.jobs:
                best = None
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    result = run(target, chosen, jobs=jobs)
                    elapsed = time.perf_counter() - start
                    if result.failed:
                        raise SystemExit(f"{protocol}: {result.failed} cases failed against the reference server")
                    ran = [c for c in result.cases if c.verdict != "unimplemented"]
                    conns = sum(c.deliveries for c in ran)
                    if best is None or elapsed < best[0]:
                        best = (elapsed, len(ran), conns)
                elapsed, n, conns = best
                worst = min(worst, conns / elapsed)
                rates = f"{n / elapsed:10.0f} {conns / elapsed:9.0f}"
                print(f"{protocol:10} {jobs:4} {n:8} {conns:7} {elapsed:8.3f} {rates}")
        finally:
            proc.kill()
            proc.wait()
    print(f"slowest: {worst:.0f} connections (cases on a fresh connection) per second")
    return 0 if worst >= 500 else 1


if __name__ == "__main__":
    raise SystemExit(main())
