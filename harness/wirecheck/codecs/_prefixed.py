"""What the decoders of "a length, then that many bytes" share.

The frame in progress keeps its payload in one ``bytearray``; a read that cannot finish
it is appended and nothing else happens, so a large payload trickling in costs one
append per read.  Subclasses parse the rest (``_parse``) and say how to fail.
"""

from __future__ import annotations

from .events import ProtocolError


class LengthPrefixedDecoder:
    """Base of IntPrefixDecoder and VarintDecoder: ``feed(bytes) -> list of events``."""

    def __init__(self, max_length: int) -> None:
        if max_length < 0:
            raise ValueError("max_length must be >= 0")
        self.max_length = max_length
        self._length: int | None = None  # the current frame's length, once its header is in
        self._pending = bytearray()  # what is kept of the current frame between calls
        self._base = 0  # stream offset of the next chunk's first byte
        self.error: ProtocolError | None = None

    def feed(self, data: bytes) -> list:
        """Consume ``data``; return the frames it completes, and at most one error."""
        length = self._length
        if length is not None and len(data) < length - len(self._pending):
            self._pending += data  # the common case while a large payload trickles in
            self._base += len(data)
            return []
        if self.error is not None or not data:
            return []
        if not isinstance(data, bytes):
            data = bytes(data)
        base = self._base
        self._base += len(data)
        return self._parse(data, base)

    def _parse(self, data: bytes, base: int) -> list:
        """The events of ``data``, whose first byte is at stream offset ``base``."""
        raise NotImplementedError

    def _error(self, reason: str, offset: int, detail: str) -> ProtocolError:
        """Record the stream's one error; nothing of the frame in progress is kept."""
        self._pending = bytearray()
        self._length = None
        self.error = ProtocolError(reason, offset, detail)
        return self.error
