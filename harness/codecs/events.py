"""Events that every sans-IO decoder returns.

A decoder turns bytes into a list of these.  They are slotted dataclasses: cheap
to create (a decoder may make millions), comparable with ``==`` and printable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Frame:
    """One complete frame: bytes for the framing protocols, a value for Banana."""

    value: Any


@dataclass(slots=True)
class RawData:
    """Bytes passed through untouched while a line decoder is in raw mode."""

    data: bytes


@dataclass(slots=True)
class DialectSelected:
    """A Banana handshake finished; later frames use this dialect."""

    dialect: bytes


@dataclass(slots=True)
class ProtocolError:
    """The stream is invalid.  A decoder returns at most one, and nothing after it.

    ``reason`` is a stable, machine-readable code (see each codec's ``REASONS``);
    ``offset`` is the index, in the bytes fed to the decoder, of the byte whose
    arrival made the stream certainly invalid.  Both are independent of how the
    stream was split into chunks.
    """

    reason: str
    offset: int
    detail: str = ""


Event = Frame | RawData | DialectSelected | ProtocolError


class EncodeError(ValueError):
    """A value cannot be expressed in the protocol (too long, wrong type, ...)."""
