"""The bundled reference codecs, driven in-process."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from wirecheck import protocols
from wirecheck.checks import Target
from wirecheck.codecs import NOT_FRAMES
from wirecheck.oracle import Observation, observe
from wirecheck.vectors import Vector


class ReferenceTarget(Target):
    """Each delivery gets a fresh reference decoder configured from the vector's group."""

    name = "reference (in-process)"
    reports_reasons = True

    def __init__(self, decoder=None) -> None:
        #: config -> a decoder, instead of the protocol's own: ``wirecheck fuzz`` passes a copy
        #: of the codec instrumented for coverage, so that the oracle's stays uninstrumented.
        self.decoder = decoder

    def _spec(self, protocol: str):
        spec = protocols.get(protocol)
        return spec if self.decoder is None else dataclasses.replace(spec, decoder=self.decoder)

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        return observe(self._spec(vector.protocol), vector.params, chunks)

    def quick_outcome(self, protocol: str, params: dict, chunks: Sequence[bytes]) -> tuple[list, str] | None:
        spec = self._spec(protocol)
        if spec.structured or spec.handshake_role(params) is not None:
            return None
        decoder = spec.decoder(params)
        frames: list = []
        for chunk in chunks:
            frames += [event for event in decoder.feed(chunk) if not isinstance(event, NOT_FRAMES)]
            if decoder.error is not None:
                return frames, "close"
        return frames, "incomplete" if decoder.in_frame else "ok"

    def session(self, protocol: str, params: dict):
        return _ReferenceSession(self._spec(protocol).decoder(params))


class _ReferenceSession:
    """A reference decoder behind the session interface: what ``feed`` returns, ``closed`` at its error."""

    def __init__(self, decoder) -> None:
        self.feed = decoder.feed
        self.decoder = decoder

    @property
    def closed(self) -> bool:
        return self.decoder.error is not None
