"""Sans-IO reference codecs: bytes in, events out, no I/O.

One module per protocol.  Nothing here imports from the rest of wirecheck.
"""

from .events import DialectSelected, EncodeError, Event, Frame, ProtocolError, RawData

__all__ = ["DialectSelected", "EncodeError", "Event", "Frame", "ProtocolError", "RawData"]
