"""The bundled reference codecs, driven in-process."""

from __future__ import annotations

from collections.abc import Sequence

from harness.oracle import Observation, observe
from harness.vectors import Vector


class ReferenceTarget:
    """Each delivery gets a fresh reference decoder configured from the vector's group."""

    name = "reference (in-process)"
    reports_reasons = True

    def deliver(self, vector: Vector, chunks: Sequence[bytes]) -> Observation:
        return observe(vector.protocol, vector.params, chunks)
