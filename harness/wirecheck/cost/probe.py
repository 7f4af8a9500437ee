"""The cost probe: each workload at doubling sizes, within a time budget and a byte budget.

For each workload the size doubles from its first size until the largest worth measuring,
the per-delivery cap (``cap`` seconds: a size predicted to take longer is not started), the
workload's share of the budget, or the byte budget.  Each size is measured ``repeat`` times
and the median kept (``fit``).  A superlinear verdict is confirmed before it is given: the
two largest sizes are measured ``repeat`` times more and the fit decided on every sample.

Where a meter reads an endpoint over a socket, each write read alone, a small-read workload
is measured beside its control (``workloads.control``: the same bytes in the same reads, as
small frames), sample for sample, and the fit judges the difference: the endpoint's own price
per read, which can be most of the time, is measured rather than extrapolated.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from . import workloads as wl
from .fit import CostVerdict, Fit, Point, behaviour, judge
from .meters import Sample

#: Seconds of one delivery past which a size is measured once, not ``repeat`` times.
LONG_ENOUGH = 1.0
#: Seconds past its share of the budget a workload may run to measure its deciding sizes again.
CONFIRM_GRACE = 5.0


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
    #: How the workload was measured beyond its summary (beside a control, over a socket).
    delivery: str | None = None
    #: The control's medians at the same sizes (small-read workloads over a socket).
    control: list[Point] = field(default_factory=list)

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
            "delivery": self.delivery,
            "points": _points_json(self.points),
            "control": _points_json(self.control),
        }


def _points_json(points: list[Point]) -> list[dict]:
    return [{"size": p.size, "seconds": round(p.seconds, 6), "samples": [round(s, 6) for s in p.samples]}
            for p in points]  # fmt: skip


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
    """Every workload of ``chosen`` measured with ``meter``, the results in ``chosen``'s order.

    Each gets an equal share of what is left, and they run from the fewest reads a byte to the most
    (one write, 16-byte reads, 1-byte reads): what a cheap workload leaves goes to the dearest,
    whose sizes take longest to show a growth behind a price per read."""
    budget = _Budget(time.monotonic() + limits.budget, limits.max_bytes)
    order = sorted(range(len(chosen)), key=lambda i: -(chosen[i].read_size or 1 << 62))
    results: dict[int, WorkloadResult] = {}
    for done, i in enumerate(order):
        share = max(0.0, budget.until - time.monotonic()) / (len(chosen) - done)
        results[i] = _one(meter, protocol, params, chosen[i], limits, budget, time.monotonic() + share)
    return [results[i] for i in range(len(chosen))]


def _one(meter, protocol, params, workload, limits, budget: _Budget, until: float) -> WorkloadResult:
    top = wl.largest(workload, protocol, params, limits.max_size)
    result = WorkloadResult(workload.name, workload.summary, CostVerdict.NOT_MEASURED, None, [], "")
    control = wl.control(workload) if workload.read_size is not None and meter.controls else None
    if control is not None:
        result.delivery = f"beside its control: {control.summary}, the fit judging the difference"
    if top < workload.first_size * 4:
        result.why = f"not run: frames of this configuration are at most {top} bytes, too few sizes to fit"
        return result
    size, stopped = workload.first_size, ""
    while size <= top:
        deliveries = [wl.build(w, protocol, params, size) for w in (workload, control) if w]
        length = sum(d[2] for d in deliveries)
        last = result.points[-1].seconds if result.points else 0.0
        longest = last * 4  # as if quadratic: a superlinear target is not given hours
        # The control grows at most linearly, as the workload would if it were linear.
        each = longest + (2 * result.control[-1].seconds if result.control else 0.0)
        predicted = each * (1 if longest >= LONG_ENOUGH else limits.repeat)
        if length * limits.repeat > budget.bytes_left:
            stopped = f"the byte budget stopped it at {size} bytes"
            break
        if result.points and longest > limits.cap:
            stopped = f"not run at {size} bytes: it could take {longest:.1f} s, over the cap"
            break
        if result.points and time.monotonic() + predicted > until:
            stopped = f"not run at {size} bytes: the workload's share of the budget is spent"
            break
        points = [Point(size) for _ in deliveries]
        for _ in range(limits.repeat):
            samples = [_sample(meter, d, min(limits.cap * 2, max(0.1, until - time.monotonic())), budget, result)
                       for d in deliveries]  # fmt: skip
            refused = next((s.refused for s in samples if s.refused), None)
            if refused:
                which = "" if samples[0].refused else f" its control ({control.summary})"
                result.why = f"not run: at {size} bytes{which} {refused}"
                return result
            if any(s.over for s in samples):
                break
            for point, sample in zip(points, samples, strict=True):
                point.samples.append(sample.seconds)
            if samples[0].seconds >= LONG_ENOUGH:
                break  # a delivery this long averages out a busy machine's short stalls; _confirm repeats it
        if not points[0].samples:  # the first delivery of this size ran past its time
            if not result.points:
                result.verdict = CostVerdict.TOO_SLOW
                result.why = f"{size} bytes took more than {limits.cap * 2:g} s: too slow to measure"
                return result
            stopped = f"{size} bytes took more than {limits.cap * 2:g} s"
            break
        result.points.append(points[0])
        result.control.extend(points[1:])
        if points[0].seconds > limits.cap:
            stopped = f"{size} bytes took {points[0].seconds:.2f} s, past the cap"
            break
        size *= 2
    fit = judge(result.points, meter.floor, result.control or None)
    if fit.verdict in (CostVerdict.SUPERLINEAR, CostVerdict.INCONCLUSIVE):
        fit = _confirm(meter, protocol, params, (workload, control), result, fit, limits, budget, until)
    result.verdict, result.exponent, result.behaviour = fit.verdict, fit.exponent, behaviour(fit)
    result.excess = fit.excess
    result.why = fit.why + (f"; {stopped}" if stopped else "")
    return result


def _sample(meter, delivery: tuple[list[bytes], int, int], seconds: float, budget: _Budget, result) -> Sample:
    reads, frames, length = delivery
    budget.bytes_left -= length
    result.sent += length
    return meter.measure(reads, frames, seconds)


def _confirm(meter, protocol, params, chosen: tuple, result: WorkloadResult, fit: Fit, limits, budget: _Budget,
             until: float) -> Fit:  # fmt: skip
    """Measure the sizes that decide the fit ``repeat`` times more (and their control) and judge again
    on the medians of every sample: one unlucky round of measurements cannot make the verdict alone.
    A superlinear fit is decided by its two largest sizes; an inconclusive one is measured again at
    its three largest, where a single stalled sample (sizes of a second or more are measured once)
    can leave a growth unsettled either way."""
    controls = {p.size: p for p in result.control}
    for point in reversed(fit.used[-2:] if fit.verdict is CostVerdict.SUPERLINEAR else fit.used[-3:]):
        pairs = [(point, chosen[0])] + ([(controls[point.size], chosen[1])] if point.size in controls else [])
        deliveries = [(p, wl.build(w, protocol, params, p.size)) for p, w in pairs]
        length = sum(d[2] for _, d in deliveries)
        spent = point.seconds + (controls[point.size].seconds if point.size in controls else 0.0)
        if time.monotonic() + spent * limits.repeat > until + CONFIRM_GRACE or length > budget.bytes_left:
            continue  # no time or bytes left to confirm this size: its medians decide
        for _ in range(limits.repeat):
            samples = [(p, _sample(meter, d, limits.cap * 4, budget, result)) for p, d in deliveries]
            if all(s.seconds is not None for _, s in samples):
                for p, s in samples:
                    p.samples.append(s.seconds)
    return judge(result.points, meter.floor, result.control or None)
