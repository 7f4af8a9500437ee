"""wirecheck's errors: one small hierarchy, each reported to the user in one line.

``UsageError`` and its kin mean "you asked for something that cannot be done" (exit 2);
``VectorFileError`` a vector file that cannot be used (exit 2); ``TargetError`` and its
kin a target that could not be driven, which is never a conformance failure.  Nothing
here imports the rest of wirecheck, so every layer can raise them.
"""

from __future__ import annotations


class WirecheckError(Exception):
    """Anything wirecheck reports as one clear line rather than a traceback."""


class UsageError(WirecheckError):
    """Bad command-line input or options."""


class ParameterError(UsageError, ValueError):
    """A protocol or parameter that does not exist, or a value it cannot take."""


class VectorFileError(WirecheckError):
    """A vector file is missing, unreadable, not JSON or not valid against the schema."""


class TargetError(WirecheckError):
    """The target could not be driven (not a conformance failure)."""


class TargetTimeout(TargetError):
    """The endpoint neither answered nor closed within the time it was given.

    ``received``: bytes it had sent by then (0: it was silent); ``kind``: ``no-client`` when,
    in client mode, no client connected at all, ``no-answer`` when it kept reading but neither
    answered the sentinel nor closed."""

    def __init__(self, message: str, received: int = 0, kind: str = "") -> None:
        super().__init__(message)
        self.received = received
        self.kind = kind


class RunDeadline(TargetError):
    """The run's deadline passed before a delivery could finish: the check was not run to its
    end, which says nothing about the endpoint (a verdict of ``not-run``, never a failure)."""


class EndpointUnavailable(TargetError):
    """The endpoint does not accept connections (any more): the run cannot go on.

    ``kind`` says how: ``refused``, ``unresolvable``, ``unreachable`` or ``unavailable``."""

    def __init__(self, message: str, kind: str = "unavailable") -> None:
        super().__init__(message)
        self.kind = kind


class Unsupported(TargetError):
    """This target cannot run this case (a Banana role it does not play, a protocol it lacks)."""
