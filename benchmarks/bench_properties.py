"""How long the properties take: per property and protocol in-process, and the default run end to end.

    python benchmarks/bench_properties.py [--examples N] [--repeat R]

The issue's goal: a default `wirecheck run` (every golden vector, then every property for every
protocol, against the in-process reference) finishes in under 60 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from wirecheck import protocols
from wirecheck.checks import PROPERTIES, run_property
from wirecheck.run import configurations
from wirecheck.targets import ReferenceTarget


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    target = ReferenceTarget()
    print(f"seconds per property run, {args.examples} examples, in-process reference (seed 1)")
    print(f"{'configuration':34}" + "".join(f"{name[:12]:>13}" for name in PROPERTIES))
    for protocol, params in configurations(protocols.names(), {}):
        row = []
        for name in PROPERTIES:
            start = time.perf_counter()
            result = run_property(target, name, protocol, params, examples=args.examples, seed=1)
            assert result.verdict == "pass", result.report()
            row.append(time.perf_counter() - start)
        label = f"{protocol} {params.get('dialect', params.get('max_length'))}"
        print(f"{label:34}" + "".join(f"{t:13.2f}" for t in row))
    walls = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "wirecheck", "run", "--seed", "1"], capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    print(f"default `wirecheck run --seed 1`: {', '.join(f'{w:.1f}' for w in walls)} s "
          f"(median {statistics.median(walls):.1f} s); last line: {out.stdout.strip().splitlines()[-1]}")  # fmt: skip


if __name__ == "__main__":
    main()
