"""One generated example, and how it becomes a golden-format vector.

A ``Case`` is a stream, the reads it is cut into, and what the oracle says a conforming
receiver must (``expected``) or may (``alternatives``) do with it.  A failing case is
reported as a vector in the golden format, ready to paste into a group of the vector
file its protocol belongs to.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from wirecheck import protocols
from wirecheck.oracle import Observation, predict
from wirecheck.vectors import Vector
from wirecheck.vectors.export import vector_json  # noqa: F401 - part of this module's face


@dataclass
class Case:
    """One generated example: a stream, how it is cut into reads, and what must happen."""

    protocol: str
    params: dict
    chunks: list
    expected: Observation
    alternatives: list = field(default_factory=list)
    note: str = ""

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    def vector(self, ident: str, description: str, ref: str, flags: tuple[str, ...]) -> Vector:
        """This case as a golden vector."""
        result = "acceptable" if self.alternatives else ("invalid" if self.expected.status == "close" else "valid")
        return Vector(
            id=ident,
            family=protocols.family_of(self.protocol),
            protocol=self.protocol,
            params=self.params,
            description=description,
            ref=ref,
            flags=flags,
            input=self.data,
            chunks=tuple(self.chunks) if len(self.chunks) > 1 else None,
            expected=self.expected.expectation(),
            result=result,
            alternatives=tuple(a.expectation() for a in self.alternatives),
        )


def case_of(protocol: str, params: dict, chunks: list[bytes], note: str = "") -> Case:
    """A case whose expectation is the oracle's prediction for these bytes."""
    expected, alternatives = predict(protocol, params, b"".join(chunks))
    return Case(protocol, params, list(chunks), expected, alternatives, note)


def digest(case: Case) -> str:
    """A short content digest: the same stream, reads and configuration give the same id."""
    h = hashlib.sha256(json.dumps(case.params, sort_keys=True).encode())
    for chunk in case.chunks:
        h.update(len(chunk).to_bytes(8, "big") + chunk)
    return h.hexdigest()[:10]
