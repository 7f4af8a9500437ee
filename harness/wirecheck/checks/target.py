"""What the conformance checks drive: the ``Target`` interface, with its abilities spelled out.

A target delivers a stream, cut into given reads, to one fresh session of the thing
under test and reports what happened as an ``Observation``.  Everything else a check
may want from a target is an explicit attribute or method here, with a default that
is right for an in-process target, never a ``hasattr`` probe: a target says what it can
do by overriding it.  (Like trio's ``check_two_way_stream(..., clogged_stream_maker=None)``,
which takes its optional abilities as documented arguments.)

An object that is not a ``Target`` but has ``name``, ``reports_reasons`` and
``deliver(vector, chunks)`` is adopted with the defaults (``as_target``).
"""

from __future__ import annotations

from collections.abc import Sequence

from wirecheck.oracle import Observation
from wirecheck.vectors import Vector


class Target:
    """Base class of every target.  Subclasses implement ``deliver``."""

    #: Short name for reports.
    name: str = "target"
    #: True when the target reports close reasons and offsets, not only that it closed.
    reports_reasons: bool = False
    #: Two-way splits are delivered for inputs up to this many bytes.
    split_all_up_to: int = 64
    #: Byte-by-byte delivery for inputs up to this many bytes (None: every input).  A MiB:
    #: beyond it a call per byte costs seconds per vector, and the boundary templates built at
    #: smaller maxima put the same cuts at the same places relative to the limit.
    bytewise_up_to: int | None = 1 << 20
    #: The most reads a property may cut one stream into (None: any number); targets that
    #: pace their writes ask for fewer.
    max_chunks: int | None = None
    #: A socket endpoint, whose health a run checks with a sanity case before and after.
    endpoint: bool = False
    #: The target can connect and read a handshake offer (``offer()``) before a run.
    reads_offers: bool = False
    #: What a run should tell its user about the target itself (a server that daemonized,
    #: a process that could not be stopped), filled in as the target learns it.
    notes: tuple | list = ()

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        """Deliver ``chunks`` as separate reads on a fresh session; report what happened.

        ``settle``: seconds to wait after the input before asking whether the endpoint is
        alive (the sanity case asks "does it still answer?", not "does it merge frames").
        Raises TargetTimeout, EndpointUnavailable or Unsupported for the verdicts timeout,
        error (the run stops) and unimplemented.
        """
        raise NotImplementedError

    def quick_outcome(self, protocol: str, params: dict, chunks: Sequence[bytes]) -> tuple[list, str] | None:
        """One delivery's frames, as the library returned them, and its status ("ok", "close" or
        "incomplete"), without building an ``Observation``: the fuzz loop's fast path, offered by
        in-process targets of byte-string framings.  None: not offered (``deliver`` is used)."""
        return None

    def session(self, protocol: str, params: dict):
        """A fresh in-process session, for measuring the library itself (``wirecheck cost``):
        ``feed(data) -> list`` of what it completed (frames, and for the reference an error
        event), and ``closed`` once it has rejected the stream.  None: not in-process."""
        return None

    def set_deadline(self, when: float | None) -> None:
        """No delivery may run past ``when`` (a ``time.monotonic()`` value)."""

    def offer(self) -> list[bytes]:
        """The handshake offer of a server that speaks first (Banana's dialect list)."""
        from wirecheck.errors import Unsupported

        raise Unsupported(f"{self.name} cannot read a handshake offer")

    def output(self) -> str | None:
        """What a process the target started printed (its last part), if there is one."""
        return None

    def close(self) -> None:
        """Release what the target holds (a server process, a listening socket)."""


class _Adopted(Target):
    """A plain object with ``name``, ``reports_reasons`` and ``deliver`` as a Target."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.reports_reasons = inner.reports_reasons

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        return self.inner.deliver(vector, chunks)


def as_target(obj) -> Target:
    """``obj`` itself when it is a Target, else ``obj`` adopted with the default abilities."""
    return obj if isinstance(obj, Target) else _Adopted(obj)
