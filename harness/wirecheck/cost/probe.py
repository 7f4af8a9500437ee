"""The cost probe: each workload at doubling sizes, within a time budget and a byte budget.

For each workload the size doubles from its first size until the largest worth measuring,
the per-delivery cap (``cap`` seconds: a size predicted to take longer is not started), the
workload's share of the budget, or the byte budget.  Each size is measured ``repeat`` times
and the median kept (``fit``).  A superlinear verdict is confirmed before it is given: the
two largest sizes are measured ``repeat`` times more and the fit decided on every sample.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from . import workloads as wl
from .fit import CostVerdict, Fit, Point, behaviour, judge

#: Seconds of one delivery past which a size is measured once, not ``repeat`` times.
LONG_ENOUGH = 1.0


@dataclass
class WorkloadResult:
    workload: str
    summary: str
    verdict: CostVerdict
    exponent: float | None
    points: list[Point]
    why: str
    behaviour: str | None = None
    #: The exponent of the part above linear growth (superlinear fits only).
    excess: float | None = None
    #: Bytes sent to the target for this workload, every repeat counted.
    sent: int = 0
    plot: str | None = None

    def as_json(self) -> dict:
        return {
            "workload": self.workload,
            "summary": self.summary,
            "verdict": self.verdict.value,
            "behaviour": self.behaviour,
            "exponent": None if self.exponent is None else round(self.exponent, 3),
            "exponent_above_linear": None if self.excess is None else round(self.excess, 3),
            "why": self.why,
            "bytes_sent": self.sent,
            "plot": self.plot,
            "points": [
                {"size": p.size, "seconds": round(p.seconds, 6), "samples": [round(s, 6) for s in p.samples]}
                for p in self.points
            ],
        }


@dataclass
class Limits:
    #: Seconds for the whole probe of one target and protocol.
    budget: float = 60.0
    #: The longest one delivery may take; a size predicted to take longer is not started.
    cap: float = 5.0
    repeat: int = 3
    #: Bytes the probe may send in all (every delivery, every repeat).
    max_bytes: int = 512 * wl.MiB
    #: The largest stream (one delivery).
    max_size: int = 4 * wl.MiB


@dataclass
class _Budget:
    until: float
    bytes_left: int


def probe(meter, protocol: str, params: dict, chosen: list[wl.Workload], limits: Limits) -> list[WorkloadResult]:
    """Every workload of ``chosen`` measured with ``meter``; each gets an equal share of what is left."""
    budget = _Budget(time.monotonic() + limits.budget, limits.max_bytes)
    results = []
    for i, workload in enumerate(chosen):
        share = max(0.0, budget.until - time.monotonic()) / (len(chosen) - i)
        results.append(_one(meter, protocol, params, workload, limits, budget, time.monotonic() + share))
    return results


def _one(meter, protocol, params, workload, limits, budget: _Budget, until: float) -> WorkloadResult:
    top = wl.largest(workload, protocol, params, limits.max_size)
    result = WorkloadResult(workload.name, workload.summary, CostVerdict.NOT_MEASURED, None, [], "")
    if top < workload.first_size * 4:
        result.why = f"not run: frames of this configuration are at most {top} bytes, too few sizes to fit"
        return result
    size, stopped = workload.first_size, ""
    while size <= top:
        reads, frames, length = wl.build(workload, protocol, params, size)
        last = result.points[-1].seconds if result.points else 0.0
        predicted = last * 4 * limits.repeat  # as if quadratic: a superlinear target is not given hours
        if length * limits.repeat > budget.bytes_left:
            stopped = f"the byte budget stopped it at {size} bytes"
            break
        if result.points and predicted / limits.repeat > limits.cap:
            stopped = f"not run at {size} bytes: it could take {predicted / limits.repeat:.1f} s, over the cap"
            break
        if result.points and time.monotonic() + predicted > until:
            stopped = f"not run at {size} bytes: the workload's share of the budget is spent"
            break
        point = Point(size)
        for _ in range(limits.repeat):
            sample = meter.measure(reads, frames, min(limits.cap * 2, max(0.1, until - time.monotonic())))
            budget.bytes_left -= length
            result.sent += length
            if sample.refused:
                result.why = f"not run: at {size} bytes {sample.refused}"
                return result
            if sample.over:
                break
            point.samples.append(sample.seconds)
            if sample.seconds >= LONG_ENOUGH:
                break  # a delivery this long averages out a busy machine's short stalls; _confirm repeats it
        if not point.samples:  # the first delivery of this size ran past its time
            if not result.points:
                result.verdict = CostVerdict.TOO_SLOW
                result.why = f"{size} bytes took more than {limits.cap * 2:g} s: too slow to measure"
                return result
            stopped = f"{size} bytes took more than {limits.cap * 2:g} s"
            break
        result.points.append(point)
        if point.seconds > limits.cap:
            stopped = f"{size} bytes took {point.seconds:.2f} s, past the cap"
            break
        size *= 2
    fit = judge(result.points, meter.floor)
    if fit.verdict is CostVerdict.SUPERLINEAR:
        fit = _confirm(meter, protocol, params, workload, result, fit, limits, budget, until)
    result.verdict, result.exponent, result.behaviour = fit.verdict, fit.exponent, behaviour(fit)
    result.excess = fit.excess
    result.why = fit.why + (f"; {stopped}" if stopped else "")
    return result


def _confirm(meter, protocol, params, workload, result: WorkloadResult, fit: Fit, limits, budget: _Budget,
             until: float) -> Fit:  # fmt: skip
    """Measure the fit's two largest sizes ``repeat`` times more and judge again on the medians of
    every sample: one unlucky round of measurements cannot make the verdict alone."""
    for point in fit.used[-2:]:
        reads, frames, length = wl.build(workload, protocol, params, point.size)
        if time.monotonic() + point.seconds * limits.repeat > until + limits.cap or length > budget.bytes_left:
            break  # no time or bytes left to confirm: the medians decide
        for _ in range(limits.repeat):
            sample = meter.measure(reads, frames, limits.cap * 4)
            result.sent += length
            budget.bytes_left -= length
            if sample.seconds is not None:
                point.samples.append(sample.seconds)
    return judge(result.points, meter.floor)
