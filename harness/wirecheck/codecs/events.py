"""What the sans-IO decoders return.

``feed(data)`` returns a list in stream order.  A frame is returned as itself: the
payload ``bytes`` for the framing protocols, the decoded value for Banana.  There is
no wrapper object, because one chunk can hold hundreds of thousands of frames and a
Python object per frame would double the cost of decoding them.  Everything that is
not a frame has a class of its own, listed in ``NOT_FRAMES``, so a consumer tests
``isinstance(event, NOT_FRAMES)`` (or just ``ProtocolError``) and treats the rest as
frames.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


#: The event classes; anything else a decoder returns is a frame.
NOT_FRAMES = (RawData, DialectSelected, ProtocolError)

Event = Any  # a frame (bytes, or a Banana value) or an instance of one of NOT_FRAMES


class EncodeError(ValueError):
    """A value cannot be expressed in the protocol (too long, wrong type, ...)."""
