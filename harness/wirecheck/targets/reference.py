"""The bundled reference codecs, driven in-process."""

from __future__ import annotations

from collections.abc import Sequence

from wirecheck.checks import Target
from wirecheck.oracle import Observation, observe
from wirecheck.vectors import Vector


class ReferenceTarget(Target):
    """Each delivery gets a fresh reference decoder configured from the vector's group."""

    name = "reference (in-process)"
    reports_reasons = True

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        return observe(vector.protocol, vector.params, chunks)
