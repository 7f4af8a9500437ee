"""One fuzz input checked against the oracle: the inner loop, kept lean (tens of thousands a second).

The target's frames and close are compared with the oracle's prediction and its allowed
alternatives, as every check of wirecheck compares them.  An exception escaping the target
is a finding too (behaviour ``crashes``): a receiver must refuse bad input, not raise on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from wirecheck import protocols
from wirecheck.checks import Case, Target
from wirecheck.checks.definitions import behaviour_of
from wirecheck.checks.replay import replay_case
from wirecheck.codecs import NOT_FRAMES
from wirecheck.oracle import Observation, describe, judge, predict

from .inputs import decode

_BYTES = (bytes, bytearray)


@dataclass(frozen=True)
class Divergence:
    """An input the target got wrong: its reads, what went wrong, and a first name for it."""

    chunks: list
    problem: str
    behaviour: str
    observed: Observation | None
    #: The oracle's prediction (None for an exception, checked before it is asked).
    expected: Observation | None = None


class Differential:
    """``check(data)``: None when the target does what the oracle allows with the input ``data``."""

    def __init__(self, target: Target, protocol: str, params: dict) -> None:
        self.target = target
        self.protocol = protocol
        self.params = params
        #: What ``deliver`` reads of a vector is its protocol and parameters: one serves every input.
        self._vector = replay_case(protocol, params, [b""])
        self.executions = 0
        self._spec = protocols.get(protocol)

    def check(self, data: bytes) -> Divergence | None:
        self.executions += 1
        chunks = decode(data)
        try:
            if self._agrees_quickly(chunks):
                return None
            observed = self.target.deliver(self._vector, chunks)
        except (Exception, SystemExit) as exc:  # whatever the library raises (or exits with) is the finding
            problem = f"an exception escaped the target: {type(exc).__name__}: {exc}"[:300]
            return Divergence(chunks, problem, "crashes", None)
        expected, alternatives = predict(self.protocol, self.params, b"".join(chunks))
        allowed = [a.expectation() for a in alternatives]
        if judge(expected.expectation(), allowed, observed, self.target.reports_reasons) is not None:
            return None
        case = Case(self.protocol, self.params, chunks, expected, alternatives)
        problem = f"expected {describe(expected)}; observed {describe(observed)}"
        return Divergence(chunks, problem, behaviour_of(case, observed, target=self.target), observed, expected)

    def _agrees_quickly(self, chunks: list[bytes]) -> bool:
        """The target's frames and status are the reference's own (compared as the library
        returned them): it conforms, with no Observation built.  False: ask the slow way."""
        quick = self.target.quick_outcome(self.protocol, self.params, chunks)
        if quick is None:
            return False
        decoder = self._spec.decoder(self.params)
        frames = [event for event in decoder.feed(b"".join(chunks)) if not isinstance(event, NOT_FRAMES)]
        status = "close" if decoder.error is not None else "incomplete" if decoder.in_frame else "ok"
        got, got_status = quick
        return (
            got_status == status
            and len(got) == len(frames)
            and all(type(a) in _BYTES and a == b for a, b in zip(got, frames, strict=True))
        )
