"""The varint-prefixed frame codec: LEB128 lengths, overlong forms, the 10-byte bound, the maximum."""

import pytest
from conftest import feed_all, splits
from hypothesis import given
from hypothesis import strategies as st

from wirecheck.codecs import EncodeError, ProtocolError
from wirecheck.codecs.varint import VarintDecoder, encode, encode_varint
from wirecheck.oracle import predict


@pytest.mark.parametrize(
    ("value", "wire"),
    [(0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"), (16383, "ff7f"), (16384, "808001"),
     (2**21, "80808001"), (2**64 - 1, "ffffffffffffffffff01")],
)  # fmt: skip
def test_varints_are_minimal_leb128(value, wire):
    assert encode_varint(value).hex() == wire
    decoder = VarintDecoder(max_length=2**64 - 1)
    assert decoder.feed(bytes.fromhex(wire)) == ([b""] if value == 0 else [])  # the payload is still to come
    assert decoder.in_frame == (value > 0) and decoder.error is None


def test_zero_length_frames_are_frames():
    assert VarintDecoder().feed(b"\x00\x00\x01x") == [b"", b"", b"x"]


def test_overlong_forms_are_accepted_unless_strict():
    assert VarintDecoder().feed(b"\x85\x00hello") == [b"hello"]
    assert VarintDecoder().feed(b"\x80" * 9 + b"\x00") == [b""]
    strict = VarintDecoder(strict=True)
    assert strict.feed(b"\x85\x00hello") == [ProtocolError("non_minimal_varint", 1, "an overlong varint")]
    assert VarintDecoder(strict=True).feed(b"\x00\x80\x01" + bytes(128)) == [b"", bytes(128)]


def test_ten_bytes_at_most_and_64_bits_at_most():
    assert VarintDecoder().feed(b"\x80" * 10)[-1].reason == "varint_too_long"
    assert VarintDecoder().feed(b"\x80" * 10)[-1].offset == 9
    assert VarintDecoder().feed(b"\xff" * 9 + b"\x02")[-1] == ProtocolError(
        "varint_overflow", 9, "the length needs more than 64 bits"
    )
    assert VarintDecoder(max_length=2**64 - 1).feed(b"\xff" * 9 + b"\x01") == []  # 2**64 - 1 fits


def test_over_max_rejected_when_the_varint_completes_without_payload():
    d = VarintDecoder(max_length=127)
    assert d.feed(b"\x80") == []
    (error,) = d.feed(b"\x01" + b"x" * 200)
    assert (error.reason, error.offset) == ("length_exceeds_max", 1)
    assert d.buffered == 0 and d.feed(b"x") == []


def test_an_earlier_close_is_allowed_once_the_groups_exceed_the_maximum():
    primary, others = predict("varint", {"max_length": 127}, b"\xff\x81")
    assert primary.status == "incomplete"
    assert [(o.status, o.reason, o.offset) for o in others] == [("close", "length_exceeds_max", 1)]
    _, none_yet = predict("varint", {"max_length": 127}, b"\xff")  # may still end as ff 00 = 127
    assert none_yet == []


def test_the_lenient_reading_allows_the_strict_one():
    primary, others = predict("varint", {}, b"\x85\x00hello")
    assert primary.frames == [b"hello".hex()] and primary.status == "ok"
    assert [(o.status, o.reason) for o in others] == [("close", "non_minimal_varint")]


def test_encoder_refuses_what_the_maximum_forbids():
    assert encode(b"ab") == b"\x02ab"
    with pytest.raises(EncodeError):
        encode(b"x" * 5, max_length=4)
    with pytest.raises(EncodeError):
        encode_varint(2**64)


@given(st.lists(st.binary(max_size=300), max_size=10), st.data())
def test_round_trip_under_any_split(payloads, data):
    stream = b"".join(encode(p) for p in payloads)
    chunks = data.draw(splits(stream))
    assert feed_all(VarintDecoder(max_length=300), chunks) == payloads


@given(st.binary(max_size=80), st.booleans(), st.data())
def test_arbitrary_bytes_split_independent(stream, strict, data):
    whole = VarintDecoder(max_length=30, strict=strict)
    expected = whole.feed(stream)
    split = VarintDecoder(max_length=30, strict=strict)
    assert feed_all(split, data.draw(splits(stream))) == expected
    assert (split.in_frame, split.buffered) == (whole.in_frame, whole.buffered)
    assert split.buffered <= 30 + 10  # one maximal payload and its varint, never more
