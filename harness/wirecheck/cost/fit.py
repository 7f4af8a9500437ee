"""How time grows with size: the fitted exponent and the verdict, guarded against noise.

Each size is measured several times and its median kept.  The exponent is the least-squares
slope of log(time) against log(size) over the largest sizes measured (the ones where a
quadratic term has overtaken the constant and linear ones).  A verdict of superlinear needs
all of:

* the slope over the last (up to four) sizes at least ``SUPERLINEAR_SLOPE`` (1.4), and
* each of the last two doublings at least ``DOUBLING_SLOPE`` (1.25: the time grew 2.38x or
  more when the size doubled, where a linear decoder grows 2x).

or, where a fixed cost per read hides the growth (a reactor's wake-up for every byte of a
one-byte-read workload), the part of the time above the linear growth extrapolated from
the smallest size (``excess``) makes up 30% or more of the time at the two largest sizes,
grows with an exponent of 1.7 or more over the three largest, 1.5 or more at each doubling,
and the time itself grows 1.15 or more at each.  Where the linear part was measured instead
(a control: the same reads carrying small frames, sample for sample beside the workload's),
the time's own growth is not asked: the part above linear is then a difference of two
measurements made under the same load, not a guess from one noisy size that the raw growth
must back.  A constant difference in cost per byte between a workload and its control grows
linearly, and the exponent tests turn it away.

A linear decoder is called superlinear only if noise inflates two medians in a row by a
fifth or more, each in the direction that hurts; the probe then measures those sizes again
and decides on every sample (``probe._confirm``).  The behaviour is named from the larger of
the raw exponent and the exponent of the part above linear (``excess_exponent``).  Sizes
whose time is under the meter's floor are left out of the fit: there the timer, the
interpreter's warm-up or a socket's round trip is what is measured.
"""

from __future__ import annotations

import enum
import itertools
import math
import statistics
from dataclasses import dataclass, field

SUPERLINEAR_SLOPE = 1.4
#: A fit is linear only at or under this exponent; between it and a superlinear fit, inconclusive.
LINEAR_SLOPE = 1.25
DOUBLING_SLOPE = 1.25
#: At or above this exponent the behaviour is named quadratic-time, below it superlinear-time.
QUADRATIC_SLOPE = 1.75
#: Sizes (the largest) the exponent is fitted over.
FIT_SIZES = 4
#: The second way to superlinear: the part above linear is at least this share of the time at
#: the two largest sizes, grows with an exponent of EXCESS_SLOPE over the three largest and
#: EXCESS_DOUBLING at each of their doublings, while the time itself grows EXCESS_RAW_DOUBLING.
EXCESS_SHARE = 0.3
EXCESS_SLOPE = 1.7
EXCESS_DOUBLING = 1.5
EXCESS_RAW_DOUBLING = 1.15


class CostVerdict(str, enum.Enum):
    LINEAR = "linear"
    SUPERLINEAR = "superlinear"
    TOO_SLOW = "too-slow-to-measure"
    #: Fewer than three sizes took long enough to time (or the target refused the workload).
    NOT_MEASURED = "not-measured"
    #: Measured, but the growth is neither linear nor established as superlinear: more sizes would tell.
    INCONCLUSIVE = "inconclusive"


@dataclass
class Point:
    size: int
    samples: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(self.samples)


def slope(points: list[Point]) -> float:
    """Least-squares slope of log2(seconds) against log2(size)."""
    xs = [math.log2(p.size) for p in points]
    ys = [math.log2(max(p.seconds, 1e-9)) for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def doublings(points: list[Point]) -> list[float]:
    """The local exponent between each pair of consecutive sizes."""
    return [
        math.log2(max(b.seconds, 1e-9) / max(a.seconds, 1e-9)) / math.log2(b.size / a.size)
        for a, b in itertools.pairwise(points)
    ]


@dataclass
class Excess:
    """The part of the time above linear growth at the largest sizes (``excess``)."""

    exponent: float
    #: Its local exponent at each of the last two doublings.
    local: list[float]
    #: Its share of the time at the two largest sizes.
    shares: list[float]
    #: The linear part was a measured control, not an extrapolation.
    controlled: bool = False


def excess(points: list[Point], control: list[Point] | None = None) -> Excess | None:
    """The part of the time above linear growth, over the three largest sizes.

    The linear part is the control's time at the same size where it was measured, otherwise
    extrapolated from the smallest size (its time per byte); what is left at the larger sizes
    is the superlinear part, whose slope approaches its true exponent (2 for a quadratic
    decoder) long before the raw slope does: a fixed cost per read (a reactor's wake-up, a
    socket's recv) drags the raw slope down at every size a probe can afford.  None when that
    part is not positive at the three largest sizes."""
    measured = {c.size: c.seconds for c in control or ()}
    controlled = len(points) >= 3 and all(p.size in measured for p in points[-3:])
    if not controlled:
        if len(points) < 4:
            return None
        per_byte = points[0].seconds / points[0].size
        measured = {p.size: per_byte * p.size for p in points[-3:]}
    tail = [Point(p.size, [p.seconds - measured[p.size]]) for p in points[-3:]]
    if any(e.seconds <= 0 for e in tail):
        return None
    shares = [e.seconds / p.seconds for e, p in zip(tail[-2:], points[-2:], strict=True)]
    return Excess(slope(tail), doublings(tail), shares, controlled)


@dataclass
class Fit:
    verdict: CostVerdict
    exponent: float | None
    #: The sizes the exponent was fitted over.
    used: list[Point]
    why: str
    #: The exponent of the part above linear (``excess``), when that part is large enough to fit.
    excess: float | None = None


def judge(points: list[Point], floor: float, control: list[Point] | None = None) -> Fit:
    """The verdict on ``points`` (sizes ascending), ignoring sizes under ``floor`` seconds;
    ``control``, where measured, is the linear part at the same sizes (``excess``)."""
    usable = [p for p in points if p.seconds >= floor]
    if len(usable) < 3:
        why = f"{len(usable)} of {len(points)} sizes took {floor * 1000:g} ms or more: too few to fit"
        return Fit(CostVerdict.NOT_MEASURED, None, usable, why)
    used = usable[-FIT_SIZES:]
    exponent = slope(used)
    local = doublings(used)[-2:]
    raw = exponent >= SUPERLINEAR_SLOPE and all(d >= DOUBLING_SLOPE for d in local)
    above = excess(usable, control)
    fitted = above is not None and min(above.shares) >= EXCESS_SHARE
    # Beside a control the part above linear is measured, not a guess that the raw growth must back.
    backed = fitted and (above.controlled or all(d >= EXCESS_RAW_DOUBLING for d in local))
    grows = backed and above.exponent >= EXCESS_SLOPE and all(d >= EXCESS_DOUBLING for d in above.local)
    steps = ", ".join(f"{d:.2f}" for d in local)
    part = "the part above its control" if fitted and above.controlled else "the part above linear"
    why = f"exponent {exponent:.2f}" + (f", {above.exponent:.2f} for {part}" if fitted else "")
    # Beside a control, a difference that is a large share of the time at the largest size and still
    # growing fast is a measurement, not noise to average away: such a fit is not called linear.
    unsettled = (above is not None and above.controlled and above.shares[-1] >= EXCESS_SHARE
                 and above.local[-1] >= EXCESS_DOUBLING)  # fmt: skip
    if raw or grows:
        verdict = CostVerdict.SUPERLINEAR
    elif exponent <= LINEAR_SLOPE and not unsettled:
        verdict = CostVerdict.LINEAR
    elif exponent <= LINEAR_SLOPE:
        verdict = CostVerdict.INCONCLUSIVE
        steps += (f"; the part above its control is {above.shares[-1]:.0%} of the time at the largest size, and "
                  "growing: larger sizes (a larger --budget or --cap) would decide")  # fmt: skip
    else:  # it grows faster than linear, but not for long enough to say so: never called linear
        verdict = CostVerdict.INCONCLUSIVE
        steps += "; more sizes (a larger --budget or --cap) would decide"
    return Fit(verdict, exponent, used, f"{why}; last doublings {steps}", above.exponent if fitted else None)


def behaviour(fit: Fit) -> str | None:
    """The behaviour a superlinear fit shows, in the vocabulary of the compatibility report."""
    if fit.verdict is not CostVerdict.SUPERLINEAR:
        return None
    growth = fit.exponent if fit.excess is None else max(fit.exponent, fit.excess)
    return "quadratic-time" if growth >= QUADRATIC_SLOPE else "superlinear-time"
