"""Many vectors against one target: concurrency, the run's deadline.

``run`` gives each vector to ``wirecheck.checks.run_case``, on ``jobs`` concurrent
connections, in vector order; when the endpoint stops accepting connections or the
deadline passes, the cases not yet done are marked at once and ``aborted`` says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from wirecheck.checks import FAILING, CaseResult, EndpointGone, Verdict, as_target, run_case
from wirecheck.vectors import Vector


@dataclass
class RunResult:
    target: str
    cases: list[CaseResult] = field(default_factory=list)
    duration: float = 0.0
    aborted: str = ""  # why the run stopped early, if it did

    def count(self, *verdicts: Verdict) -> int:
        return sum(1 for c in self.cases if c.verdict in verdicts)

    @property
    def passed(self) -> int:
        """Cases that met an allowed expectation (pass or acceptable)."""
        return self.count(Verdict.PASS, Verdict.ACCEPTABLE)

    @property
    def failed(self) -> int:
        return self.count(*FAILING)


def run(
    target,
    vectors: Iterable[Vector],
    on_result: Callable[[CaseResult], None] | None = None,
    jobs: int = 1,
    deadline: float | None = None,
) -> RunResult:
    """Run every vector; with ``jobs`` > 1, on that many concurrent connections.

    Results come back in vector order.  If the endpoint stops accepting connections,
    or ``deadline`` seconds pass, the cases not yet done are marked ``error`` at once
    and ``aborted`` says why.
    """
    target = as_target(target)
    start = time.perf_counter()
    out = RunResult(target.name)
    vectors = list(vectors)
    ends = None if deadline is None else time.monotonic() + deadline
    if ends is not None:
        target.set_deadline(ends)  # no single delivery may outlive the run

    def one(vector: Vector) -> CaseResult:
        if ends is not None and time.monotonic() >= ends and not out.aborted:
            out.aborted = "the run's deadline passed"
        if out.aborted:
            return CaseResult(vector, Verdict.ERROR, detail=f"not run: {out.aborted}")
        try:
            return run_case(target, vector)
        except EndpointGone as exc:
            out.aborted = out.aborted or str(exc)
            return CaseResult(vector, Verdict.ERROR, detail=str(exc))

    pool = ThreadPoolExecutor(max_workers=jobs) if jobs > 1 else None
    results = pool.map(one, vectors) if pool is not None else map(one, vectors)
    try:
        for case in results:
            out.cases.append(case)
            if on_result:
                on_result(case)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    out.duration = time.perf_counter() - start
    return out
