"""Sans-IO reference codecs: bytes in, events out, no I/O.

One module per protocol.  Nothing here imports from the rest of wirecheck.
"""

from .events import NOT_FRAMES, DialectSelected, EncodeError, Event, ProtocolError, RawData

__all__ = ["NOT_FRAMES", "DialectSelected", "EncodeError", "Event", "ProtocolError", "RawData"]
