"""How many golden vectors run at each configuration an endpoint might have (issue-9 acceptance).

    python tools/coverage_table.py

For each configuration: the vectors a run against an endpoint configured so runs, and that
count against the protocol's default configuration (the bar: 80%, 50% for a maximum of 0 or 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "harness"))

from wirecheck import protocols
from wirecheck.vectors import instances, load

CONFIGS = (
    [("netstring", {"max_length": m}) for m in (0, 1, 100, 1000, 65536, 10**6)]
    + [("int8", {"max_length": m}) for m in (0, 100, 255)]
    + [("int16", {"max_length": m}) for m in (100, 1000, 65535)]
    + [("int32", {"max_length": m}) for m in (100, 10**6, 2**31 - 1)]
    + [("line", {"delimiter": "0d0a", "max_length": m}) for m in (0, 100, 1024, 8192)]
    + [
        ("line", {"delimiter": "0a", "max_length": 100}),
        ("line", {"delimiter": "00", "max_length": 64}),
        ("banana", {}),
        ("varint", {"max_length": 0}),
        ("varint", {"max_length": 127}),
        ("varint", {"max_length": 2**20}),
        ("varint", {"max_length": 2**32}),
        ("varint", {"strict": True}),
    ]
)


def count(vector_set, protocol: str, params: dict) -> tuple[int, int]:
    config = {**protocols.endpoint_config(protocols.get(protocol)), **params}
    chosen = instances(vector_set, [protocol], config, endpoint=True)
    return len(chosen.vectors), len(chosen.skipped)


def main() -> int:
    vector_set = load()
    short = 0
    head = f"| {'protocol':9} | {'configuration':32} | {'vectors':>7} | {'skipped':>7} | {'default':>7} | {'share':>6}"
    print(head + " | bar |")
    print("|---|---|---:|---:|---:|---:|---|")
    for protocol, params in CONFIGS:
        n, skipped = count(vector_set, protocol, params)
        default, _ = count(vector_set, protocol, {})
        bar = 0.5 if params.get("max_length") in (0, 1) else 0.8
        ok = n >= bar * default
        short += not ok
        shown = " ".join(protocols.command_words(protocols.get(protocol), params)) or "defaults"
        print(
            f"| {protocol:9} | {shown:32} | {n:7} | {skipped:7} | {default:7} | {n / default:6.0%} | "
            f"{'ok' if ok else 'SHORT'} ({bar:.0%}) |"
        )
    return 1 if short else 0


if __name__ == "__main__":
    raise SystemExit(main())
