"""Many vectors against one target: concurrency, the run's deadline, giving up on a dead endpoint.

``run`` gives each vector to ``wirecheck.checks.run_case``, on ``jobs`` concurrent
connections, in vector order.  The run stops early, and ``aborted`` says why, when the
endpoint stops accepting connections, when ``STOP_AFTER_TIMEOUTS`` cases in a row time
out and a liveness probe (the sanity case it passed before the run) then fails too (it
stopped answering: waiting out every remaining case would take hours; cases that time
out because the endpoint mishandles them, at its maximum say, do not stop a run while it
still answers the probe), or when the deadline passes.  Cases not finished then are
``not-run``, never failed: a case cut off by the deadline says nothing about the endpoint.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from wirecheck.checks import FAILING, CaseResult, EndpointGone, Verdict, as_target, run_case
from wirecheck.vectors import Vector

#: Cases in a row that time out before the run gives up on the endpoint.
STOP_AFTER_TIMEOUTS = 3


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
    alive: Callable[[], str] | None = None,
) -> RunResult:
    """Run every vector; with ``jobs`` > 1, on that many concurrent connections.

    Results come back in vector order.  When the run stops early (see the module's
    header), the cases not yet done are marked ``not-run`` at once and ``aborted`` says why.
    ``alive()`` probes the endpoint after timeouts in a row: '' when it still answers, else
    what went wrong.  Without it, timeouts never stop the run (only the deadline does).
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
            return CaseResult(vector, Verdict.NOT_RUN, detail=f"not run: {out.aborted}")
        try:
            case = run_case(target, vector)
        except EndpointGone as exc:
            out.aborted = out.aborted or f"the endpoint went away: {exc}"
            return CaseResult(vector, Verdict.ERROR, detail=str(exc))
        if case.verdict == Verdict.NOT_RUN:  # the deadline cut it
            out.aborted = out.aborted or "the run's deadline passed"
        return case

    pool = ThreadPoolExecutor(max_workers=jobs) if jobs > 1 else None
    results = pool.map(one, vectors) if pool is not None else map(one, vectors)
    timeouts_in_a_row, answered = 0, ""
    try:
        for case in results:
            out.cases.append(case)
            if case.verdict == Verdict.TIMEOUT:
                timeouts_in_a_row += 1
            elif case.verdict != Verdict.NOT_RUN:
                timeouts_in_a_row, answered = 0, case.vector.id
            if timeouts_in_a_row == STOP_AFTER_TIMEOUTS and alive is not None and not out.aborted:
                problem = alive()
                if problem:
                    where = f"after case {answered}" if answered else "from the first case on"
                    out.aborted = (f"the endpoint stopped answering {where}: {STOP_AFTER_TIMEOUTS} cases in a "
                                   f"row timed out, and then the sanity case too ({problem})")  # fmt: skip
                timeouts_in_a_row = 0
            if on_result:
                on_result(case)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    out.duration = time.perf_counter() - start
    return out
