"""Netstrings: ``[len]":"[payload]","`` (D. J. Bernstein, netstrings.txt).

The length is ``0`` or ``[1-9][0-9]*``: no sign, no space, no underscore, no
extra leading zero.  It is parsed one digit at a time, never with ``int()``
(which accepts ``+5``, `` 5`` and ``5_0``), and it is rejected at the first digit
that takes it past ``max_length``, before any colon arrives.

Cost is linear in the bytes fed, whatever the chunking: payload bytes are sliced
straight out of each chunk, and only the one partial frame is kept between calls.
"""

from __future__ import annotations

import re

from .events import EncodeError, ProtocolError
from .spec import Param, ProtocolSpec

DEFAULT_MAX_LENGTH = 99999

#: Reason codes this decoder can report, with what each means.
REASONS = {
    "bad_length_char": "a byte other than a digit or ':' where the length was expected",
    "empty_length": "':' with no digits before it",
    "leading_zero": "a digit after a leading '0' (netstrings.txt section 2)",
    "length_exceeds_max": "the digits received so far already exceed max_length",
    "missing_comma": "the byte after the payload is not ','",
}

_COLON = 0x3A
_COMMA = 0x2C
_ZERO = 0x30
_NINE = 0x39

# Decoder states.
_LENGTH, _PAYLOAD, _TERMINATOR, _FAILED = range(4)


def encode(payload: bytes, max_length: int | None = None) -> bytes:
    """Return ``payload`` as one netstring; refuse one longer than ``max_length``."""
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise EncodeError(f"netstring payload must be bytes, not {type(payload).__name__}")
    payload = bytes(payload)
    if max_length is not None and len(payload) > max_length:
        raise EncodeError(f"payload of {len(payload)} bytes exceeds max_length {max_length}")
    return b"%d:%s," % (len(payload), payload)


class NetstringDecoder:
    """Incremental netstring decoder: ``feed(bytes) -> list of events``."""

    def __init__(self, max_length: int = DEFAULT_MAX_LENGTH) -> None:
        if max_length < 0:
            raise ValueError("max_length must be >= 0")
        self.max_length = max_length
        self._state = _LENGTH
        self._digits = 0  # how many length digits have been seen for this frame
        self._length = 0
        self._partial = bytearray()  # payload bytes of the current frame so far
        self._base = 0  # stream offset of the first byte of the next chunk
        self.error: ProtocolError | None = None
        # Fast path for a whole, well-formed length: at most as many digits as max_length has,
        # so the match is bounded and int() only ever sees plain ASCII digits.
        self._whole_length = re.compile(rb"(0|[1-9][0-9]{0,%d}):" % (len(str(max_length)) - 1)).match

    @property
    def in_frame(self) -> bool:
        """True when part of a frame has been received but not all of it."""
        return self._state in (_PAYLOAD, _TERMINATOR) or (self._state == _LENGTH and self._digits > 0)

    @property
    def buffered(self) -> int:
        """Bytes held between calls (at most one maximal payload)."""
        return len(self._partial)

    def _fail(self, reason: str, offset: int, detail: str) -> ProtocolError:
        self._state = _FAILED
        self._partial = bytearray()
        self.error = ProtocolError(reason, offset, detail)
        return self.error

    def feed(self, data: bytes) -> list:
        """Consume ``data``; return the frames it completes, and at most one error."""
        if self._state == _PAYLOAD and len(data) < self._length - len(self._partial):
            self._partial += data  # the common case while a large payload trickles in
            self._base += len(data)
            return []
        if self._state == _FAILED or not data:
            return []
        if not isinstance(data, bytes):
            data = bytes(data)
        events: list = []
        n = len(data)
        i = 0
        base = self._base
        self._base += n
        max_length = self.max_length
        whole_length = self._whole_length
        append = events.append
        while i < n:
            state = self._state
            if state == _LENGTH and not self._digits:
                match = whole_length(data, i)
                if match is not None:
                    length = int(match.group(1))
                    start = match.end()
                    if length <= max_length and n - start > length and data[start + length] == _COMMA:
                        append(data[start : start + length])
                        i = start + length + 1
                        continue
            if state == _LENGTH:
                byte = data[i]
                if _ZERO <= byte <= _NINE:
                    if self._digits == 1 and self._length == 0:
                        events.append(self._fail("leading_zero", base + i, "length has a leading zero"))
                        return events
                    self._length = self._length * 10 + (byte - _ZERO)
                    self._digits += 1
                    if self._length > max_length:
                        events.append(
                            self._fail(
                                "length_exceeds_max",
                                base + i,
                                f"length exceeds max_length {max_length}",
                            )
                        )
                        return events
                    i += 1
                    continue
                if byte != _COLON:
                    events.append(self._fail("bad_length_char", base + i, f"byte 0x{byte:02x} in length"))
                    return events
                if self._digits == 0:
                    events.append(self._fail("empty_length", base + i, "no digits before ':'"))
                    return events
                i += 1
                length = self._length
                # Fast path: the whole payload and its comma are in this chunk.
                if n - i > length:
                    if data[i + length] != _COMMA:
                        events.append(self._fail("missing_comma", base + i + length, "payload not followed by ','"))
                        return events
                    events.append(data[i : i + length])
                    i += length + 1
                    self._digits = 0
                    self._length = 0
                    continue
                self._state = _PAYLOAD
            elif state == _PAYLOAD:
                take = min(self._length - len(self._partial), n - i)
                self._partial += data[i : i + take]
                i += take
                if len(self._partial) == self._length:
                    self._state = _TERMINATOR
            else:  # _TERMINATOR
                if data[i] != _COMMA:
                    events.append(self._fail("missing_comma", base + i, "payload not followed by ','"))
                    return events
                i += 1
                events.append(bytes(self._partial))
                self._partial = bytearray()
                self._state = _LENGTH
                self._digits = 0
                self._length = 0
        return events


def _frame_any_length(config, payload: bytes) -> bytes:
    return b"%d:%s," % (len(payload), payload)


def _cut_points(config, frame: bytes) -> tuple[int, ...]:
    colon = frame.find(b":")
    if colon < 0:
        return (len(frame) - 1,)
    return (colon, colon + 1, len(frame) - 1)  # the colon, the first payload byte, the comma


PROTOCOLS = (
    ProtocolSpec(
        name="netstring",
        family="netstring",
        order=10,
        summary='netstrings: [length]":"[payload]","',
        params=(Param("max_length", "int", DEFAULT_MAX_LENGTH, "the longest payload accepted, inclusive", minimum=0),),
        decoder=lambda config: NetstringDecoder(config["max_length"]),
        encoder=lambda config, dialect: encode,
        reasons=REASONS,
        frame_any_length=_frame_any_length,
        cut_points=_cut_points,
    ),
)
