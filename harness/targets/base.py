"""The interface every target implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from harness.oracle import Observation
from harness.vectors import Vector


class TargetError(Exception):
    """The target could not be driven (not a conformance failure)."""


class TargetTimeout(TargetError):
    """The endpoint neither answered nor closed within the per-case timeout."""


class EndpointUnavailable(TargetError):
    """The endpoint does not accept connections (any more)."""


class Unsupported(TargetError):
    """This target cannot run this vector (e.g. a Banana role it does not play)."""


class Target(Protocol):
    """What the runner drives.

    Optional attributes a target may have: ``split_all_up_to`` / ``bytewise_up_to``
    (which deliveries the runner makes, see runner.deliveries), ``run_deadline`` (a
    monotonic time the runner sets; no delivery may run past it) and ``close()``
    (called once when the run is over).  ``deliver`` raises TargetTimeout,
    EndpointUnavailable or Unsupported for the verdicts timeout, error (and the run
    stops) and unimplemented.
    """

    #: Short name for reports.
    name: str
    #: True when the target reports close reasons and offsets, not only that it closed.
    reports_reasons: bool

    def deliver(self, vector: Vector, chunks: Sequence[bytes]) -> Observation:
        """Deliver ``chunks`` as separate reads on a fresh session; report what happened."""
        ...
