import math

import pytest
from conftest import feed_all, splits
from hypothesis import given
from hypothesis import strategies as st
from twisted.spread import banana as tbanana

from wirecheck.codecs import DialectSelected, EncodeError, ProtocolError, banana
from wirecheck.codecs.banana import BananaDecoder, encode

SPEC_EXAMPLES = [
    (1, "0181"),
    (-1, "0183"),
    (1.5, "843ff8000000000000"),
    (b"hello", "058268656c6c6f"),
    ([], "0080"),
    ([1, 23], "028001811781"),
    (123456789123456789, "153e41663a69265b0185"),
    ([1, [b"hello"]], "028001810180058268656c6c6f"),
]


@pytest.mark.parametrize(("value", "hexa"), SPEC_EXAMPLES)
def test_spec_examples(value, hexa):
    assert encode(value).hex() == hexa
    assert BananaDecoder().feed(bytes.fromhex(hexa)) == [value]


ints = st.one_of(
    st.integers(-(2**448) + 1, 2**448 - 1),
    st.sampled_from([0, 2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2**448 - 1, -(2**448) + 1]),
)
scalars = st.one_of(ints, st.binary(max_size=20), st.floats(allow_nan=False))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5), max_leaves=25)


def _twisted_encode(value, dialect=b"none"):
    proto = tbanana.Banana()
    proto.connectionMade()
    proto._selectDialect(dialect)
    out = []
    proto.transport = type("T", (), {"write": staticmethod(out.append)})()
    proto.sendEncoded(value)
    return b"".join(out)


@given(values, st.sampled_from([b"none", b"pb"]))
def test_encoding_is_twisteds(value, dialect):
    assert encode(value, dialect=dialect) == _twisted_encode(value, dialect)


@given(st.lists(values, max_size=5), st.data())
def test_round_trip_under_any_split(exprs, data):
    stream = b"".join(encode(v) for v in exprs)
    events = feed_all(BananaDecoder(), data.draw(splits(stream)))
    assert events == exprs


def test_nan_and_negative_zero_round_trip():
    (nan,) = BananaDecoder().feed(encode(float("nan")))
    assert math.isnan(nan)
    (negzero,) = BananaDecoder().feed(encode(-0.0))
    assert math.copysign(1.0, negzero) == -1.0


def test_deep_nesting_needs_no_recursion():
    depth = 200_000
    value: list = []
    for _ in range(depth):
        value = [value]
    data = encode(value)
    assert len(data) == 2 * depth + 2
    (frame,) = BananaDecoder().feed(data)
    node = frame
    for _ in range(depth):
        (node,) = node
    assert node == []


def test_strict_mode_rejects_what_twisted_tolerates():
    for data, reason in [
        (b"\x81", "empty_prefix"),
        (b"\x05\x00\x81", "non_minimal_prefix"),
        (b"\x00\x00\x00\x00\x08\x81", "int_out_of_range"),
        (b"\x01" + encode(1.5), "float_prefix"),
    ]:
        assert not isinstance(BananaDecoder().feed(data)[0], ProtocolError)
        (err,) = BananaDecoder(strict=True).feed(data)
        assert err.reason == reason


def test_limits():
    (err,) = BananaDecoder().feed(b"\x01" * 65)
    assert (err.reason, err.offset) == ("prefix_too_long", 64)
    (err,) = BananaDecoder().feed(bytes([0x01, 0x00, 0x28, 0x82]))  # 655361
    assert err.reason == "string_too_long"
    d = BananaDecoder()
    assert d.feed(bytes([0x00, 0x00, 0x28, 0x82]) + b"abc") == [] and d.in_frame  # 655360 is allowed


def test_encoder_refuses_what_cannot_be_sent():
    with pytest.raises(EncodeError):
        encode(2**448)
    with pytest.raises(EncodeError):
        encode("text")
    with pytest.raises(EncodeError):
        encode(True)


def test_vocab_only_in_pb():
    assert BananaDecoder(b"pb").feed(b"\x01\x87") == [b"None"]
    assert BananaDecoder(b"none").feed(b"\x01\x87")[0].reason == "vocab_not_allowed"
    assert BananaDecoder(b"pb").feed(b"\x20\x87")[0].reason == "unknown_vocab"
    assert encode(b"None", dialect=b"pb") == b"\x01\x87"


def test_handshake_server_and_client_talk_to_each_other():
    server = BananaDecoder(None, role="server")
    client = BananaDecoder(None, role="client")
    assert client.feed(server.offer()) == [DialectSelected(b"pb")]
    reply = client.data_to_send()
    assert reply == encode(b"pb")
    assert server.feed(reply + encode(b"None", dialect=b"pb")) == [DialectSelected(b"pb"), b"None"]


def test_handshake_with_twisted_both_ways():
    # Twisted server's offer -> our client.
    tserver = tbanana.Banana(isClient=0)
    sent = []
    tserver.transport = type("T", (), {"write": staticmethod(sent.append), "loseConnection": lambda self: None})()
    tserver.connectionMade()
    client = BananaDecoder(None, role="client")
    assert client.feed(b"".join(sent)) == [DialectSelected(b"pb")]
    # Our client's reply -> Twisted server agrees on pb.
    tserver.dataReceived(client.data_to_send())
    assert tserver.currentDialect == b"pb"


def test_failed_handshakes_close():
    assert BananaDecoder(None, role="client").feed(encode([]))[0].reason == "handshake_no_common_dialect"
    assert BananaDecoder(None, role="client").feed(encode(b"pb"))[0].reason == "handshake_bad_offer"
    assert BananaDecoder(None, role="server").feed(encode(b"xx"))[0].reason == "handshake_unknown_dialect"
    assert BananaDecoder(None, role="server").feed(encode(5))[0].reason == "handshake_bad_choice"


@given(st.binary(max_size=60), st.data())
def test_arbitrary_bytes_split_independent(stream, data):
    whole = BananaDecoder(b"pb")
    expected = whole.feed(stream)
    split = BananaDecoder(b"pb")
    assert feed_all(split, data.draw(splits(stream))) == expected
    assert split.in_frame == whole.in_frame
    assert sum(isinstance(e, ProtocolError) for e in expected) <= 1


def test_peer_needs_a_dialect():
    with pytest.raises(ValueError, match="agreed dialect"):
        BananaDecoder(None)


def _bytewise(decoder, data: bytes) -> list:
    return [e for i in range(len(data)) for e in decoder.feed(data[i : i + 1])]


ELEMENTS = st.one_of(st.integers(-(2**70), 2**70), st.lists(st.integers(-5, 2**40), max_size=30), st.binary(max_size=3))


@given(st.lists(ELEMENTS, min_size=1, max_size=80), st.booleans(), st.integers(0, 3))
def test_runs_of_integers_decode_in_bulk_exactly_as_byte_by_byte(values, strict, damage):
    """banana_runs' fast path (whole reads of 64 bytes or more) against the byte loop (one byte per
    read never takes it): the same expressions and the same error at the same offset, valid or not."""
    data = bytearray(banana.encode([values, *values], dialect=b"none"))
    if damage and len(data) > 8:
        data[len(data) * damage // 4] = [0x00, 0x88, 0x7F][damage - 1]  # a digit, an unknown type, a digit
    whole = banana.BananaDecoder(b"none", strict=strict).feed(bytes(data))
    assert whole == _bytewise(banana.BananaDecoder(b"none", strict=strict), bytes(data))


def test_a_run_the_fast_path_declines_is_scanned_once(monkeypatch):
    """A long run of integers whose last one strict mode refuses: the run goes to the byte loop whole,
    not back to the scanner at every element (that would cost the run's length each time)."""
    calls = []
    real = banana.scan
    monkeypatch.setattr(banana, "scan", lambda *args: calls.append(args[1]) or real(*args))
    data = banana.encode([5] * 5000, dialect=b"none")[:-2] + b"\x05\x00\x81"  # a non-minimal last prefix
    events = banana.BananaDecoder(b"none", strict=True).feed(data)
    assert events[-1].reason == "non_minimal_prefix"
    assert len(calls) == 1
