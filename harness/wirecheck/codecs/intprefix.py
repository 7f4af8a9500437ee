"""Int-prefixed strings: an unsigned big-endian length of 1, 2 or 4 bytes, then the payload.

A prefix over ``max_length`` is rejected as soon as the prefix is complete, without
waiting for the payload, so a hostile peer cannot make us hold more than one
maximal frame.  Zero-length frames are frames.
"""

from __future__ import annotations

import struct

from ._prefixed import LengthPrefixedDecoder
from .events import EncodeError, ProtocolError
from .spec import Param, ProtocolSpec

#: Twisted's MAX_LENGTH; a protocol's default is this or, for int8 and int16, the largest
#: length the prefix can say (255, 65535), which is what 99999 means for them.
DEFAULT_MAX_LENGTH = 99999
WIDTHS = {"int8": 1, "int16": 2, "int32": 4}
_PREFIX = {1: struct.Struct(">B"), 2: struct.Struct(">H"), 4: struct.Struct(">I")}

REASONS = {
    "length_exceeds_max": "the length prefix is greater than max_length",
}


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


class IntPrefixDecoder(LengthPrefixedDecoder):
    """Incremental decoder for ``width``-byte length-prefixed frames.

    Between calls it keeps only the current frame's prefix and payload bytes."""

    def __init__(self, width: int, max_length: int = DEFAULT_MAX_LENGTH) -> None:
        if width not in (1, 2, 4):
            raise ValueError("width must be 1, 2 or 4")
        super().__init__(max_length)
        self.width = width

    @property
    def in_frame(self) -> bool:
        return self._length is not None or bool(self._pending)

    @property
    def buffered(self) -> int:
        return len(self._pending)

    def _fail(self, length: int, offset: int) -> ProtocolError:
        return self._error("length_exceeds_max", offset, f"prefix {length} exceeds max_length {self.max_length}")

    def _parse(self, data: bytes, base: int) -> list:
        events: list = []
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


def _spec(name: str, width: int, order: int) -> ProtocolSpec:
    largest = (1 << (8 * width)) - 1

    def frame_any_length(config, payload: bytes) -> bytes | None:
        return len(payload).to_bytes(width, "big") + payload if len(payload) <= largest else None

    return ProtocolSpec(
        name=name,
        family="intprefix",
        order=order,
        summary=f"an unsigned big-endian {8 * width}-bit length, then the payload",
        params=(
            Param(
                "max_length",
                "int",
                min(DEFAULT_MAX_LENGTH, largest),
                "the longest payload accepted, inclusive",
                minimum=0,
                maximum=largest,
            ),
        ),
        decoder=lambda config: IntPrefixDecoder(width, config["max_length"]),
        encoder=lambda config, dialect: lambda payload: encode(payload, width),
        reasons=REASONS,
        frame_any_length=frame_any_length,
        cut_points=lambda config, frame: range(1, width + 1),  # inside the prefix, and right after it
    )


PROTOCOLS = tuple(_spec(name, width, 20 + width) for name, width in WIDTHS.items())
