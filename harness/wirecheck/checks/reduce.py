"""Shrinking a failing case further than Hypothesis can.

Hypothesis draws cut points as absolute offsets, so deleting a frame moves every cut
after it and the failure usually goes.  Here whole frames (and runs of them) are
deleted with the cuts moved along, then cuts are dropped one at a time.  The oracle
re-predicts each candidate, so every accepted step is still a correct vector.
"""

from __future__ import annotations

import time
from itertools import pairwise

from .case import Case, case_of
from .cuts import stream_frame_ends
from .definitions import Property, check_case

#: Deliveries one reduction may make at most.
REDUCE_TRIALS = 400


def frame_boundaries(protocol: str, params: dict, data: bytes) -> list[int]:
    """Offsets where the reference finishes a frame (0 and the end included)."""
    ends = [0, *stream_frame_ends(protocol, params, data)]
    return ends if ends[-1] == len(data) else [*ends, len(data)]


def reduce(target, prop: Property, case: Case, problem: str, obs, until: float, keeps=None) -> dict:
    """The smallest failing case found by ``until`` (a monotonic time) or REDUCE_TRIALS deliveries.

    ``keeps(candidate, checked)``: does a smaller failure still show what is being reduced (the
    same behaviour)?  Default: any failure will do.  Returns ``{"case", "problem", "obs"}`` for
    it (the given case when nothing smaller fails).
    """
    best = {"case": case, "problem": problem, "obs": obs}
    trials = 0

    def fails(candidate: Case) -> bool:
        nonlocal trials
        trials += 1
        try:
            checked = check_case(target, prop, candidate)
        except Exception:  # a timeout or error while reducing: keep what we have
            return False
        found, seen = checked.problem, checked.observed
        if found and keeps is not None and not keeps(candidate, checked):
            return False
        if found:
            best.update(case=candidate, problem=found, obs=seen)
        return bool(found)

    def budget_left() -> bool:
        return trials < REDUCE_TRIALS and time.monotonic() < until

    progress = True
    while progress and budget_left():
        progress = False
        current = best["case"]
        data, cuts = current.data, _cuts(current.chunks)
        bounds = frame_boundaries(current.protocol, current.params, data)
        spans = [(a, b) for i, a in enumerate(bounds) for b in bounds[i + 1 :] if (a, b) != (0, len(data))]
        spans.sort(key=lambda span: span[0] - span[1])  # biggest first
        for a, b in spans:
            if not budget_left():
                break
            kept = [c if c < a else c - (b - a) for c in cuts if not a <= c < b]
            candidate = _rebuild(current, data[:a] + data[b:], kept)
            if candidate is not None and fails(candidate):
                progress = True
                break
        if progress:
            continue
        for c in cuts:
            if not budget_left():
                break
            candidate = _rebuild(current, data, [x for x in cuts if x != c])
            if candidate is not None and fails(candidate):
                progress = True
                break
    return best


def _cuts(chunks: list) -> list[int]:
    out, pos = [], 0
    for chunk in chunks[:-1]:
        pos += len(chunk)
        out.append(pos)
    return out


def _rebuild(case: Case, data: bytes, cuts: list[int]) -> Case | None:
    if not data:
        return None
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(data)}), len(data)]
    return case_of(case.protocol, case.params, [data[a:b] for a, b in pairwise(bounds)])
