import pytest
from conftest import feed_all, splits
from hypothesis import given
from hypothesis import strategies as st

from wirecheck.codecs import EncodeError, ProtocolError
from wirecheck.codecs.intprefix import IntPrefixDecoder, encode


@pytest.mark.parametrize("width", [1, 2, 4])
def test_zero_length_frames_are_frames(width):
    assert IntPrefixDecoder(width).feed(b"\x00" * width * 3) == [b""] * 3


def test_big_endian_unsigned():
    assert IntPrefixDecoder(2).feed(b"\x00\x05hello") == [b"hello"]
    d = IntPrefixDecoder(1)
    payload = bytes(200)
    assert d.feed(b"\xc8" + payload) == [payload]  # 0xc8 = 200, not -56


def test_over_max_rejected_at_prefix_without_payload():
    d = IntPrefixDecoder(4, max_length=10)
    assert d.feed(b"\x00\x00") == []
    assert d.feed(b"\x00\x0b") == [ProtocolError("length_exceeds_max", 3, "prefix 11 exceeds max_length 10")]
    assert d.feed(b"x" * 11) == []
    assert d.buffered == 0


def test_max_is_inclusive():
    assert IntPrefixDecoder(1, max_length=3).feed(b"\x03abc") == [b"abc"]


def test_encoder_refuses_what_the_prefix_cannot_express():
    assert encode(b"ab", 2) == b"\x00\x02ab"
    assert encode(b"x" * 255, 1)[:1] == b"\xff"
    with pytest.raises(EncodeError):
        encode(b"x" * 256, 1)
    with pytest.raises(EncodeError):
        encode(b"x" * 65536, 2)
    with pytest.raises(EncodeError):
        encode(b"x" * 5, 4, max_length=4)


@given(st.sampled_from([1, 2, 4]), st.lists(st.binary(max_size=300), max_size=10), st.data())
def test_round_trip_under_any_split(width, payloads, data):
    payloads = [p[: (1 << (8 * width)) - 1] for p in payloads]
    stream = b"".join(encode(p, width) for p in payloads)
    chunks = data.draw(splits(stream))
    assert feed_all(IntPrefixDecoder(width, max_length=1000), chunks) == payloads


@given(st.sampled_from([1, 2, 4]), st.binary(max_size=80), st.data())
def test_arbitrary_bytes_split_independent(width, stream, data):
    whole = IntPrefixDecoder(width, max_length=30)
    expected = whole.feed(stream)
    split = IntPrefixDecoder(width, max_length=30)
    assert feed_all(split, data.draw(splits(stream))) == expected
    assert split.in_frame == whole.in_frame
