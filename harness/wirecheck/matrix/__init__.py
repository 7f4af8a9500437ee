"""The compatibility matrix: real implementations side by side (``wirecheck matrix``).

manifest  implementations/NAME/manifest.json, loaded and probed
cells     one ``wirecheck run`` per implementation and configuration, in parallel
costs     with --cost, one ``wirecheck cost`` per cell after its run: the cost and memory columns
summary   a cell's results in the behaviour vocabulary, with evidence
publish   results.json, index.html, one page per implementation, summary.md, JUnit
baseline  expected failures for CI, and diffs between two runs
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .baseline import (
    check,
    check_baseline,
    diff,
    failures_of,
    implementation_entries,
    read_json,
    runs_by_implementation,
    write_baseline,
)
from .cells import Cell, Runner
from .manifest import Configuration, Implementation, discover, probe
from .publish import build, provenance, write
from .summary import summarize

__all__ = [
    "Cell",
    "Configuration",
    "Implementation",
    "check",
    "check_baseline",
    "diff",
    "discover",
    "failures_of",
    "implementation_entries",
    "read_json",
    "run_matrix",
    "runs_by_implementation",
    "write_baseline",
]

#: Trace entries and vector inputs kept per failing case in results.json.
SLIM_TRACE = 64


def plan(root: Path, names: list[str] | None, only: list[str] | None) -> tuple[list[Implementation], list[Cell]]:
    impls = [probe(i) for i in discover(root, names)]
    cells = [Cell(i, c) for i in impls for c in i.configurations
             if c.role != "client" and (not only or c.protocol in only)]  # fmt: skip
    impls = [i for i in impls if any(c.impl is i for c in cells)]
    return impls, cells


def run_matrix(root: Path, out: Path, names: list[str] | None = None, only: list[str] | None = None, jobs: int = 2,
               seed: int = 1, examples: int = 100, deadline: float = 300.0,
               progress: Callable[[Cell, int, int], None] | None = None,
               cost_budget: float | None = None) -> dict:  # fmt: skip
    """Run every available implementation in each configuration it declares; write ``out``; the report."""
    started = time.monotonic()
    impls, cells = plan(root, names, only)
    runnable = [c for c in cells if not c.impl.unavailable]
    finished: list[Cell] = []

    def done(cell: Cell) -> None:
        finished.append(cell)
        if progress is not None:
            progress(cell, len(finished), len(runnable))

    cost = None if cost_budget is None else (cost_budget, out / "plots")
    Runner(jobs, seed, examples, deadline, done, cost).run(cells)
    summaries = [summarize(c, seed, examples, deadline) for c in cells]
    digests = {c.results.get("vectors", {}).get("sha256") for c in cells if c.results}
    digests.discard(None)
    prov = provenance(seed, examples, deadline, time.monotonic() - started,
                      sorted(digests)[0] if len(digests) == 1 else sorted(digests))  # fmt: skip
    report = build(impls, summaries, prov)
    report["runs"] = [{"implementation": c.impl.name, "configuration": c.config.key, "results": slim(c.results)}
                      for c in cells if c.results]  # fmt: skip
    write(report, out)
    return report


def slim(results: dict) -> dict:
    """A run's results without what the pages already show: passing cases keep their id and verdict."""
    out = {k: v for k, v in results.items() if k not in ("cases", "properties")}
    cases = []
    for case in results.get("cases") or []:
        if case.get("verdict") in ("pass", "acceptable", "unimplemented"):
            cases.append({k: case.get(k) for k in ("id", "protocol", "verdict")})
        else:
            kept = dict(case)
            kept["trace"] = (case.get("trace") or [])[:SLIM_TRACE]
            cases.append(kept)
    out["cases"] = cases
    props = results.get("properties") or {}
    out["properties"] = {**props, "results": props.get("results") or []}
    return out
