import pytest
from conftest import feed_all, splits
from hypothesis import given
from hypothesis import strategies as st
from twisted.internet.testing import StringTransport
from twisted.protocols.basic import LineReceiver

from wirecheck.codecs import NOT_FRAMES, EncodeError, ProtocolError, RawData
from wirecheck.codecs.lines import LineDecoder, encode


def test_empty_lines_and_bare_cr_lf_are_data():
    assert LineDecoder().feed(b"\r\n\r\na\rb\nc\r\n") == [b"", b"", b"a\rb\nc"]


def test_max_length_line_with_split_delimiter_is_accepted():
    # Twisted's LineOnlyReceiver rejects this: the unterminated buffer holds max+1 bytes.
    d = LineDecoder(max_length=10)
    assert d.feed(b"x" * 10 + b"\r") == []
    assert d.feed(b"\n") == [b"x" * 10]


def test_too_long_rejected_once_certain():
    d = LineDecoder(max_length=10)
    assert d.feed(b"x" * 11) == []  # the count rule: not yet max + len(delimiter)
    (err,) = d.feed(b"y")
    assert (err.reason, err.offset) == ("line_too_long", 11)
    assert d.feed(b"\r\nok\r\n") == []


def test_buffer_is_bounded_and_search_resumes():
    d = LineDecoder(max_length=1 << 20)
    for _ in range(1000):
        d.feed(b"a" * 100)
    assert d.buffered == 100_000
    assert d.feed(b"\r\n") == [b"a" * 100_000]
    assert d.buffered == 0


def test_raw_mode_and_back_with_extra():
    d = LineDecoder()
    d.receive_data(b"HEAD\r\nbody-bytes\r\nNEXT\r\n")
    assert d.next_event() == b"HEAD"
    d.set_raw_mode()
    assert d.next_event() == RawData(b"body-bytes\r\nNEXT\r\n")
    assert d.next_event() is None
    d.set_line_mode(b"NEXT\r\nTAIL")
    assert d.next_event() == b"NEXT"
    assert d.next_event() is None
    assert d.feed(b"\r\n") == [b"TAIL"]


def test_encoder_refuses_lines_that_would_not_decode_back():
    assert encode(b"a\r") == b"a\r\r\n"
    with pytest.raises(EncodeError):
        encode(b"a\r\nb")
    with pytest.raises(EncodeError):
        encode(b"a", delimiter=b"aa")
    with pytest.raises(EncodeError):
        encode(b"x" * 5, max_length=4)


class _TwistedLines(LineReceiver):
    def __init__(self, max_length, delimiter):
        self.MAX_LENGTH = max_length
        self.delimiter = delimiter
        self.lines = []

    def lineReceived(self, line):
        self.lines.append(line)


@given(
    st.binary(max_size=80).map(lambda b: bytes(b"ab\r\n"[x % 4] for x in b)),
    st.integers(0, 12),
    st.sampled_from([b"\r\n", b"\n", b"\r\n\r\n"]),
    st.data(),
)
def test_agrees_with_twisted_linereceiver_under_any_split(stream, max_length, delimiter, data):
    twisted = _TwistedLines(max_length, delimiter)
    transport = StringTransport()
    twisted.makeConnection(transport)
    twisted.dataReceived(stream)
    ours = LineDecoder(delimiter, max_length)
    events = feed_all(ours, data.draw(splits(stream)))
    assert [e for e in events if not isinstance(e, NOT_FRAMES)] == twisted.lines
    assert (ours.error is not None) == transport.disconnecting


class _TwistedRawSwitch(LineReceiver):
    """On a line 'RAW n' read n raw bytes, then go back to lines with the rest."""

    def __init__(self):
        self.out = []
        self.want = 0

    def lineReceived(self, line):
        self.out.append(("line", line))
        if line.startswith(b"RAW "):
            self.want = int(line[4:])
            self.setRawMode()

    def rawDataReceived(self, data):
        body, rest = data[: self.want], data[self.want :]
        self.want -= len(body)
        self.out.append(("raw", body))
        if self.want == 0:
            self.setLineMode(rest)


def _ours_raw_switch(chunks):
    d = LineDecoder()
    out, want = [], 0
    pending_extra = b""
    for chunk in chunks:
        d.receive_data(chunk)
        while (event := d.next_event()) is not None:
            if isinstance(event, bytes):
                out.append(("line", event))
                if event.startswith(b"RAW "):
                    want = int(event[4:])
                    d.set_raw_mode()
            else:
                body, pending_extra = event.data[:want], event.data[want:]
                want -= len(body)
                out.append(("raw", body))
                if want == 0:
                    d.set_line_mode(pending_extra)
    return out


@given(st.data())
def test_raw_mode_switching_matches_twisted(data):
    stream = b"A\r\nRAW 7\r\nx\r\ny\r\nzB\r\nRAW 0\r\nC\r\nRAW 3\r\n\r\n\rD\r\n"
    chunks = data.draw(splits(stream))
    twisted = _TwistedRawSwitch()
    twisted.makeConnection(StringTransport())
    for chunk in chunks:
        twisted.dataReceived(chunk)

    def merged(events):  # raw data may arrive in different pieces; compare it joined up
        out = []
        for kind, value in events:
            if kind == "raw" and out and out[-1][0] == "raw":
                out[-1] = ("raw", out[-1][1] + value)
            elif not (kind == "raw" and not value):
                out.append((kind, value))
        return out

    assert merged(_ours_raw_switch(chunks)) == merged(twisted.out)


def test_error_event_is_last():
    d = LineDecoder(max_length=2)
    events = d.feed(b"ab\r\nabc\r\nab\r\n")
    assert events == [b"ab", ProtocolError("line_too_long", 7, "no delimiter within max_length 2")]
