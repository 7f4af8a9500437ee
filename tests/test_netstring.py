import pytest
from conftest import feed_all, splits
from hypothesis import given
from hypothesis import strategies as st

from wirecheck.codecs import EncodeError, ProtocolError
from wirecheck.codecs.netstring import NetstringDecoder, encode


def test_spec_example_and_empty():
    assert NetstringDecoder().feed(b"12:hello world!,0:,") == [b"hello world!", b""]


@pytest.mark.parametrize("text", [b"+5:hello,", b" 5:hello,", b"5 :hello,", b"5_0:", "\uff15:x,".encode(), b"-0:,"])
def test_lengths_python_int_would_accept_are_rejected(text):
    # int() accepts every one of these after decoding; the netstring grammar does not.
    events = NetstringDecoder().feed(text)
    assert len(events) == 1 and isinstance(events[0], ProtocolError)
    assert events[0].reason == "bad_length_char"


def test_leading_zero_is_rejected_but_zero_length_is_not():
    assert NetstringDecoder().feed(b"0:,") == [b""]
    assert NetstringDecoder().feed(b"05:hello,") == [ProtocolError("leading_zero", 1, "length has a leading zero")]


def test_oversized_length_rejected_before_colon():
    d = NetstringDecoder(max_length=100)
    assert d.feed(b"10") == []
    (err,) = d.feed(b"1")
    assert (err.reason, err.offset) == ("length_exceeds_max", 2)
    assert d.feed(b":" + b"x" * 101 + b",") == []  # nothing after an error


def test_endless_digits_never_buffered():
    d = NetstringDecoder()
    events = d.feed(b"1" * 10_000_000)
    assert events[0].reason == "length_exceeds_max" and events[0].offset == 5
    assert d.buffered == 0


def test_buffer_bounded_by_one_frame():
    d = NetstringDecoder(max_length=1000)
    d.feed(b"1000:" + b"a" * 999)
    assert d.buffered == 999 and d.in_frame
    assert d.feed(b"a,") == [b"a" * 1000]
    assert d.buffered == 0 and not d.in_frame


def test_missing_comma_offset_and_frames_before_error():
    assert NetstringDecoder().feed(b"1:a,5:hello;1:b,") == [
        b"a",
        ProtocolError("missing_comma", 11, "payload not followed by ','"),
    ]


def test_encoder_refuses_over_max_and_non_bytes():
    assert encode(b"hi") == b"2:hi,"
    with pytest.raises(EncodeError):
        encode(b"x" * 11, max_length=10)
    with pytest.raises(EncodeError):
        encode("text")


@given(st.lists(st.binary(max_size=40), max_size=20), st.data())
def test_round_trip_under_any_split(payloads, data):
    stream = b"".join(encode(p) for p in payloads)
    chunks = data.draw(splits(stream))
    assert feed_all(NetstringDecoder(), chunks) == payloads


@given(st.binary(max_size=60), st.data())
def test_outcome_on_arbitrary_bytes_does_not_depend_on_split(stream, data):
    whole = NetstringDecoder(max_length=20)
    expected = whole.feed(stream)
    chunks = data.draw(splits(stream))
    split = NetstringDecoder(max_length=20)
    assert feed_all(split, chunks) == expected
    assert split.in_frame == whole.in_frame
