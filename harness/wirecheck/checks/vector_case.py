"""One golden vector against one target: deliveries -> observations -> a verdict.

Every vector is delivered whole, one byte per read (inputs up to the target's
``bytewise_up_to`` bytes), at every two-way split point (inputs up to its ``split_all_up_to``
bytes) and in its explicit chunks.  A case
passes only when every delivery meets the expectation and all deliveries agree: an
outcome that depends on how the stream was split is a failure in itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from wirecheck.errors import EndpointUnavailable, RunDeadline, TargetTimeout, Unsupported
from wirecheck.oracle import Observation, describe, judge, same_observation, short_json
from wirecheck.vectors import Vector

from .behaviours import Failure, classify
from .probes import name_lost_frame
from .target import as_target
from .verdict import Verdict

#: Observed frames of a pass larger than this (in total) are not kept: they equal the expected ones.
KEEP_FRAMES_UP_TO = 1 << 16


class OneBytePerRead(Sequence[bytes]):
    """``data`` as one-byte reads, made as they are read: a list of them would take some
    forty bytes per input byte."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self.data[i : i + 1] for i in range(*index.indices(len(self.data)))]
        if index < 0:
            index += len(self.data)
        if not 0 <= index < len(self.data):
            raise IndexError(index)
        return self.data[index : index + 1]

    def __iter__(self) -> Iterator[bytes]:
        data = self.data
        return (data[i : i + 1] for i in range(len(data)))


def deliveries(
    vector: Vector, split_all_up_to: int = 64, bytewise_up_to: int | None = None, chunks_first: bool = False
) -> Iterator[tuple[str, list[bytes]]]:
    """The ways one vector's input is cut into reads, each with a short label."""
    data = vector.input
    if chunks_first and vector.chunks is not None:
        yield "chunks", list(vector.chunks)
    yield "whole", [data]
    if len(data) > 1 and (bytewise_up_to is None or len(data) <= bytewise_up_to):
        yield "byte-by-byte", OneBytePerRead(data)
    if len(data) <= split_all_up_to:
        for k in range(1, len(data)):
            yield f"split@{k}", [data[:k], data[k:]]
    if vector.chunks is not None and not chunks_first:
        yield "chunks", list(vector.chunks)


@dataclass
class CaseResult:
    """The verdict on one vector, with what was seen on the delivery that decided it."""

    vector: Vector
    verdict: Verdict
    deliveries: int = 0
    detail: str = ""
    delivery: str = ""  # the first delivery that went wrong (or, on a pass, the one recorded)
    observed: Observation | None = None
    duration: float = 0.0
    #: A pass whose large frames were the expected ones is not kept twice: ``observed.frames``
    #: is then empty and a report takes the vector's expected frames (megabyte templates).
    frames_as_expected: bool = False
    #: A failure's observed frames were too large to keep (over KEEP_FRAMES_UP_TO characters
    #: as JSON): how many there were.  The detail still shows their start.
    frames_not_kept: int = 0
    #: A failure's (or a timeout's) named behaviour (``wirecheck.checks.behaviours``).
    behaviour: str = ""


class EndpointGone(Exception):
    """The target stopped accepting connections: the rest of the run cannot proceed."""


def run_case(target, vector: Vector, chunks_first: bool = False) -> CaseResult:
    """Deliver ``vector`` every way there is to ``target``; the verdict on it."""
    target = as_target(target)
    start = time.perf_counter()
    result = CaseResult(vector, Verdict.PASS)
    matched: int | None = None
    first: Observation | None = None
    first_label = ""
    for label, chunks in deliveries(vector, target.split_all_up_to, target.bytewise_up_to, chunks_first):
        result.deliveries += 1
        try:
            obs = target.deliver(vector, chunks)
        except EndpointUnavailable as exc:
            raise EndpointGone(str(exc)) from None
        except TargetTimeout as exc:
            result.verdict, result.delivery, result.detail = Verdict.TIMEOUT, label, str(exc)
            echoed = exc.received if exc.kind == "no-answer" else None
            result.behaviour = _behaviour(target, vector, chunks, None, result.deliveries > 1, echoed)
            break
        except RunDeadline as exc:
            result.verdict, result.delivery, result.detail = Verdict.NOT_RUN, label, f"not run to its end: {exc}"
            break
        except Unsupported as exc:
            result.verdict, result.detail = Verdict.UNIMPLEMENTED, str(exc)
            break
        except Exception as exc:  # a target failing is reported, never raised
            result.verdict, result.delivery = Verdict.ERROR, label
            result.detail = f"{type(exc).__name__}: {exc}"
            break
        which = judge(vector.expected, vector.alternatives, obs, target.reports_reasons)
        if which is None:
            result.verdict, result.delivery, result.observed = Verdict.FAIL, label, obs
            result.detail = f"expected {describe(vector.expected)}; observed {describe(obs)}"
            result.behaviour = _behaviour(target, vector, chunks, obs, result.deliveries > 1)
            break
        if first is None:
            matched, first, first_label = which, obs, label
        elif not same_observation(obs, first):
            result.verdict, result.delivery, result.observed = Verdict.FAIL, label, obs
            result.detail = f"outcome depends on the split: whole gave {describe(first)}; {label} gave {describe(obs)}"
            result.behaviour = _behaviour(target, vector, chunks, obs, True)
            break
    observed = result.observed
    if result.verdict == Verdict.FAIL and len(short_json(observed.frames, KEEP_FRAMES_UP_TO)) >= KEEP_FRAMES_UP_TO:
        # A run of many such failures (an endpoint echoing 700 KB each time) must not hold them all.
        result.observed, result.frames_not_kept = replace(observed, frames=[]), len(observed.frames)
    if result.verdict == Verdict.PASS:
        result.observed = first  # the record of what crossed the wire
        if not matched and first is not None and sum(map(len, first.frames)) > KEEP_FRAMES_UP_TO:
            result.observed, result.frames_as_expected = replace(first, frames=[]), True
        if matched:
            result.verdict = Verdict.ACCEPTABLE
            result.detail = "matched an allowed alternative: " + describe(first)
        else:
            result.delivery = first_label
    result.duration = time.perf_counter() - start
    return result


def _behaviour(target, vector: Vector, chunks, observed: Observation | None, split_dependent: bool,
               echoed: int | None = None) -> str:  # fmt: skip
    """What a failed delivery shows; ``split_dependent``: an earlier cut of the same bytes met the
    expectation.  A lost frame that could be dropped with the error's read or refused on its own
    is asked about again (``probes``)."""
    failure = Failure(vector.protocol, vector.params, chunks, vector.expected, observed, split_dependent,
                      echoes=target.endpoint, echoed=echoed)  # fmt: skip
    return name_lost_frame(target, failure, classify(failure), vector)
