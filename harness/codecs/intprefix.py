"""Int-prefixed strings: an unsigned big-endian length of 1, 2 or 4 bytes, then the payload.

A prefix over ``max_length`` is rejected as soon as the prefix is complete, without
waiting for the payload, so a hostile peer cannot make us hold more than one
maximal frame.  Zero-length frames are frames.
"""

from __future__ import annotations

import struct

from .events import EncodeError, ProtocolError

DEFAULT_MAX_LENGTH = 99999
WIDTHS = {"int8": 1, "int16": 2, "int32": 4}
_PREFIX = {1: struct.Struct(">B"), 2: struct.Struct(">H"), 4: struct.Struct(">I")}

REASONS = {
    "length_exceeds_max": "the length prefix is greater than max_length",
}

_FAILED = object()


def encode(payload: bytes, width: int, max_length: int | None = None) -> bytes:
    """Return ``payload`` behind a ``width``-byte length prefix.

    Refuses a payload the prefix cannot express (Twisted raises StringTooLongError
    for the same case) and, when given, one longer than ``max_length``.
    """
    if width not in (1, 2, 4):
        raise ValueError("width must be 1, 2 or 4")
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise EncodeError(f"payload must be bytes, not {type(payload).__name__}")
    payload = bytes(payload)
    if len(payload) >= 1 << (8 * width):
        raise EncodeError(f"payload of {len(payload)} bytes does not fit a {width}-byte length prefix")
    if max_length is not None and len(payload) > max_length:
        raise EncodeError(f"payload of {len(payload)} bytes exceeds max_length {max_length}")
    return len(payload).to_bytes(width, "big") + payload


class IntPrefixDecoder:
    """Incremental decoder for ``width``-byte length-prefixed frames."""

    def __init__(self, width: int, max_length: int = DEFAULT_MAX_LENGTH) -> None:
        if width not in (1, 2, 4):
            raise ValueError("width must be 1, 2 or 4")
        if max_length < 0:
            raise ValueError("max_length must be >= 0")
        self.width = width
        self.max_length = max_length
        # Between calls we keep only the current frame's prefix and payload bytes.
        self._pending = bytearray()
        self._length: int | None = None  # the current frame's length, once its prefix is in
        self._base = 0
        self.error: ProtocolError | None = None

    @property
    def in_frame(self) -> bool:
        return self._length is not None or bool(self._pending)

    @property
    def buffered(self) -> int:
        return len(self._pending)

    def _fail(self, length: int, offset: int) -> ProtocolError:
        self._pending = bytearray()
        self._length = None
        self.error = ProtocolError(
            "length_exceeds_max", offset, f"prefix {length} exceeds max_length {self.max_length}"
        )
        return self.error

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
        events: list = []
        base = self._base
        self._base += len(data)
        i = 0
        n = len(data)
        width = self.width
        max_length = self.max_length
        pending = self._pending
        # Finish the frame carried over from earlier calls, taking only what it needs.
        if pending or self._length is not None:
            if self._length is None:
                take = min(width - len(pending), n)
                pending += data[:take]
                i = take
                if len(pending) < width:
                    return events
                length = int.from_bytes(pending, "big")
                if length > max_length:
                    events.append(self._fail(length, base + i - 1))
                    return events
                self._length = length
                pending.clear()
            take = min(self._length - len(pending), n - i)
            pending += data[i : i + take]
            i += take
            if len(pending) < self._length:
                return events
            events.append(bytes(pending))
            pending.clear()
            self._length = None
        # Whole frames straight out of the chunk.
        unpack_from = _PREFIX[width].unpack_from
        append = events.append
        while n - i >= width:
            (length,) = unpack_from(data, i)
            if length > max_length:
                events.append(self._fail(length, base + i + width - 1))
                return events
            start = i + width
            end = start + length
            if end > n:
                self._length = length
                pending += data[start:]
                return events
            append(data[start:end])
            i = end
        pending += data[i:]
        return events
