"""Varint-prefixed frames: an unsigned LEB128 length, then the payload.

The framing of protobuf's delimited streams (``writeDelimitedTo`` / ``parseDelimitedFrom``,
Go's ``protodelim``), of it-length-prefixed's default and of length-prefixed-stream.  The
length is 7 bits per byte, least significant group first; a byte with its high bit set
says another follows.

* At most 10 bytes: a tenth byte that asks for an eleventh is ``varint_too_long``, and a
  tenth byte carrying more than bit 63 is ``varint_overflow`` (the value needs more than
  64 bits).  Both are certain at the tenth byte.
* Overlong (non-minimal) forms, such as ``85 00`` for 5, are what protobuf decoders
  accept, so the default accepts them; ``strict=True`` rejects them
  (``non_minimal_varint``, at the byte that ends the varint).
* A length over ``max_length`` is rejected as soon as the varint is complete, before any
  payload is awaited (``length_exceeds_max``).  A receiver may reject earlier, once the
  groups received so far already exceed the maximum: the oracle allows that.

``DEFAULT_MAX_LENGTH`` is 4 MiB, the default of it-length-prefixed (``MAX_DATA_LENGTH``)
and of Go's ``protodelim`` (``UnmarshalOptions.MaxSize``).  Between calls the decoder keeps
at most the varint's value and one payload no longer than the maximum.
"""

from __future__ import annotations

from ._prefixed import LengthPrefixedDecoder
from .events import EncodeError
from .spec import Param, ProtocolSpec

DEFAULT_MAX_LENGTH = 4 * 1024 * 1024
MAX_VARINT_BYTES = 10
LARGEST = (1 << 64) - 1

REASONS = {
    "length_exceeds_max": "the varint length is greater than max_length",
    "varint_too_long": "a tenth varint byte with the continuation bit set: more than 10 bytes",
    "varint_overflow": "the varint's value does not fit in 64 bits",
    "non_minimal_varint": "strict: the varint ends in a zero group after another byte (an overlong form)",
}


def encode_varint(value: int) -> bytes:
    """The minimal LEB128 form of ``value`` (0 <= value < 2**64)."""
    if not 0 <= value <= LARGEST:
        raise EncodeError(f"{value} is not an unsigned 64-bit integer")
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode(payload: bytes, max_length: int | None = None) -> bytes:
    """``payload`` behind its minimal varint length; refuse one longer than ``max_length``."""
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise EncodeError(f"payload must be bytes, not {type(payload).__name__}")
    payload = bytes(payload)
    if max_length is not None and len(payload) > max_length:
        raise EncodeError(f"payload of {len(payload)} bytes exceeds max_length {max_length}")
    return encode_varint(len(payload)) + payload


class VarintDecoder(LengthPrefixedDecoder):
    """Incremental decoder for varint-prefixed frames: ``feed(bytes) -> list of events``."""

    def __init__(self, max_length: int = DEFAULT_MAX_LENGTH, strict: bool = False) -> None:
        super().__init__(max_length)
        self.strict = strict
        self._value = 0  # the varint's groups so far
        self._count = 0  # varint bytes so far (the payload goes to _pending once it is complete)

    @property
    def in_frame(self) -> bool:
        return self._length is not None or self._count > 0

    @property
    def buffered(self) -> int:
        return len(self._pending) + self._count

    def _parse(self, data: bytes, base: int) -> list:
        events: list = []
        append = events.append
        n = len(data)
        max_length = self.max_length
        i = 0
        while i < n:
            if self._length is not None:  # the rest of a payload begun in an earlier chunk
                take = min(self._length - len(self._pending), n - i)
                self._pending += data[i : i + take]
                i += take
                if len(self._pending) == self._length:
                    append(bytes(self._pending))
                    self._pending = bytearray()
                    self._length = None
                continue
            byte = data[i]
            count = self._count
            if count == 0 and byte < 0x80:  # a one-byte length: the common case, taken whole
                value = byte
                i += 1
            else:
                if count == MAX_VARINT_BYTES - 1:
                    if byte & 0x80:
                        append(self._error("varint_too_long", base + i, "more than 10 varint bytes"))
                        return events
                    if byte > 1:
                        append(self._error("varint_overflow", base + i, "the length needs more than 64 bits"))
                        return events
                self._value |= (byte & 0x7F) << (7 * count)
                self._count = count + 1
                i += 1
                if byte & 0x80:
                    continue
                value = self._value
                self._value = self._count = 0
                if self.strict and byte == 0:
                    append(self._error("non_minimal_varint", base + i - 1, "an overlong varint"))
                    return events
            if value > max_length:
                append(
                    self._error("length_exceeds_max", base + i - 1, f"length {value} exceeds max_length {max_length}")
                )
                return events
            end = i + value
            if end <= n:
                append(data[i:end])
                i = end
            else:
                self._length = value
                self._pending += data[i:]
                i = n
        return events


def _early_close(config, data: bytes) -> tuple[str, int] | None:
    """Where a receiver may already reject a varint whose groups so far exceed the maximum."""
    decoder = VarintDecoder(config["max_length"], config["strict"])
    decoder.feed(data)
    count = decoder._count
    if decoder.error is not None or not count:
        return None
    value = 0
    start = len(data) - count
    for k in range(count):
        value |= (data[start + k] & 0x7F) << (7 * k)
        if value > config["max_length"]:
            return "length_exceeds_max", start + k
    return None


def _cut_points(config, frame: bytes) -> range:
    size = 1
    while size < min(len(frame), MAX_VARINT_BYTES) and frame[size - 1] & 0x80:
        size += 1
    return range(1, size + 1)  # inside the varint, and right after it


PROTOCOLS = (
    ProtocolSpec(
        name="varint",
        family="varint",
        order=50,
        summary="an unsigned LEB128 varint length, then the payload (protobuf's delimited streams)",
        params=(
            Param("max_length", "int", DEFAULT_MAX_LENGTH, "the longest payload accepted, inclusive",
                  minimum=0, maximum=LARGEST),
            Param("strict", "bool", False, "reject overlong (non-minimal) varints, which protobuf accepts",
                  negation="lenient"),
        ),
        decoder=lambda config: VarintDecoder(config["max_length"], config["strict"]),
        encoder=lambda config, dialect: encode,
        reasons=REASONS,
        frame_any_length=lambda config, payload: encode_varint(len(payload)) + payload,
        cut_points=_cut_points,
        strict_reading=lambda config: None if config["strict"] else {**config, "strict": True},
        early_close=_early_close,
    ),
)  # fmt: skip
