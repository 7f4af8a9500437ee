"""Rule-based state machines: LineReceiver-style mode switching, and the Banana handshake from both sides.

Each machine drives our sans-IO codec and Twisted's real protocol through the same
sequence of reads and mode changes, and requires the same observable behaviour after
every step.
"""

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from wirecheck import strategies as ws
from wirecheck.codecs import NOT_FRAMES, DialectSelected, ProtocolError, RawData, banana
from wirecheck.codecs.lines import LineDecoder
from wirecheck.protocols.values import to_json

basic = pytest.importorskip("twisted.protocols.basic")
tbanana = pytest.importorskip("twisted.spread.banana")
from twisted.internet.testing import StringTransport  # noqa: E402

MAX = 12
DELIMITER = b"\r\n"
#: Pieces that make switching happen: a line starting "raw" switches to raw mode, a "!" in raw
#: data switches back with the bytes after it as ``extra``.
PIECES = st.sampled_from([b"a", b"bc", b"\r", b"\n", b"\r\n", b"raw", b"raw\r\n", b"!", b"x" * 7, b"!\r\n"])
READS = st.lists(PIECES, min_size=1, max_size=6).map(b"".join)


class TwistedSwitching(basic.LineReceiver):
    MAX_LENGTH = MAX
    delimiter = DELIMITER

    def __init__(self):
        self.log = []

    def lineReceived(self, line):
        self.log.append(("line", line))
        if line.startswith(b"raw"):
            self.setRawMode()

    def rawDataReceived(self, data):
        self.log.append(("raw", data))
        if b"!" in data:
            self.setLineMode(data[data.index(b"!") + 1 :])

    def lineLengthExceeded(self, line):
        self.log.append(("too-long", b""))
        self.transport.loseConnection()


class OursSwitching:
    """The same application logic on the pull-based LineDecoder."""

    def __init__(self):
        self.decoder = LineDecoder(DELIMITER, MAX)
        self.log = []

    def drain(self):
        while (event := self.decoder.next_event()) is not None:
            if isinstance(event, ProtocolError):
                self.log.append(("too-long", b""))
                return
            if isinstance(event, RawData):
                self.log.append(("raw", event.data))
                if b"!" in event.data:
                    self.decoder.set_line_mode(event.data[event.data.index(b"!") + 1 :])
            else:
                self.log.append(("line", event))
                if event.startswith(b"raw"):
                    self.decoder.set_raw_mode()

    def feed(self, data):
        self.decoder.receive_data(data)
        self.drain()


class LineModeSwitching(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.theirs = TwistedSwitching()
        self.transport = StringTransport()
        self.theirs.makeConnection(self.transport)
        self.ours = OursSwitching()

    def closed(self):
        return self.transport.disconnecting

    @precondition(lambda self: not self.closed())
    @rule(data=READS)
    def read(self, data):
        self.theirs.dataReceived(data)
        self.ours.feed(data)

    @precondition(lambda self: not self.closed())
    @rule()
    def switch_to_raw(self):
        # From outside a callback: like Twisted, the application next hears of buffered
        # bytes when more data arrives, so no events are pulled here.
        self.theirs.setRawMode()
        self.ours.decoder.set_raw_mode()

    @precondition(lambda self: not self.closed())
    @rule(extra=st.one_of(st.just(b""), READS))
    def switch_to_lines(self, extra):
        if self.ours.decoder.buffered:
            # With bytes still buffered, Twisted parses extra after them and we parse it before
            # them (docs/codecs.md: extra is what the application took from the stream before
            # those bytes).  Only the case where the order cannot matter is compared.
            extra = b""
        self.theirs.setLineMode(extra)  # parses extra at once, if there is any
        self.ours.decoder.set_line_mode(extra)
        if extra:
            self.ours.drain()

    @precondition(lambda self: self.closed())
    @rule()
    def reconnect(self):
        self.__init__()

    @invariant()
    def same_behaviour(self):
        assert self.ours.log == self.theirs.log
        assert (self.ours.decoder.error is not None) == self.closed()


TestLineModeSwitching = LineModeSwitching.TestCase
TestLineModeSwitching.settings = settings(max_examples=300, stateful_step_count=20, deadline=None)


# --- Banana: the handshake, then expressions both ways, across every pairing ------------------


class OurBanana:
    def __init__(self, is_client: bool, dialects: list):
        role = "client" if is_client else "server"
        self.decoder = banana.BananaDecoder(None, role=role, dialects=tuple(dialects))
        self.outbox = bytearray(b"" if is_client else self.decoder.offer())
        self.received, self.closed = [], False

    @property
    def dialect(self):
        return self.decoder.dialect

    def receive(self, data):
        if self.closed:
            return
        for event in self.decoder.feed(data):
            if isinstance(event, ProtocolError):
                self.closed = True
            elif isinstance(event, DialectSelected):
                self.outbox += self.decoder.data_to_send()
            elif not isinstance(event, NOT_FRAMES):
                self.received.append(event)

    def send(self, value):
        self.outbox += banana.encode(value, dialect=self.dialect)


class TheirBanana:
    def __init__(self, is_client: bool, dialects: list):
        outer = self

        class Collecting(tbanana.Banana):
            def expressionReceived(self, item):
                outer.received.append(item)

        self.received, self.crashed = [], False
        self.proto = Collecting(isClient=int(is_client))
        self.proto.knownDialects = list(dialects)
        self.transport = StringTransport()
        self.proto.makeConnection(self.transport)

    @property
    def outbox(self):
        return _TransportBox(self.transport)

    @property
    def closed(self):
        return self.crashed or self.transport.disconnecting

    @property
    def dialect(self):
        return self.proto.currentDialect

    def receive(self, data):
        if self.closed:
            return
        try:
            self.proto.dataReceived(data)
        except Exception:  # under a reactor: logged, connection dropped
            self.crashed = True

    def send(self, value):
        self.proto.sendEncoded(value)


class _TransportBox:
    """Lets the machine take bytes from a StringTransport as from a bytearray outbox."""

    def __init__(self, transport):
        self.transport = transport

    def take(self, n):
        data = self.transport.value()
        self.transport.clear()
        self.transport.write(data[n:])
        return data[:n]

    def __len__(self):
        return len(self.transport.value())


def take(side, n):
    box = side.outbox
    if isinstance(box, _TransportBox):
        return box.take(n)
    data = bytes(box[:n])
    del box[:n]
    return data


DIALECT_LISTS = st.lists(st.sampled_from([b"pb", b"none"]), min_size=1, max_size=2, unique=True)
PAIRINGS = {"ours-ours": (OurBanana, OurBanana), "ours-twisted": (OurBanana, TheirBanana),
            "twisted-ours": (TheirBanana, OurBanana)}  # fmt: skip
VALUES = ws.banana_values(max_leaves=6)


def same(received, sent):
    """Equal as Banana values: compared in the vectors' JSON form, where NaN equals NaN."""
    return [to_json(v) for v in received] == [to_json(v) for v in sent]


class BananaHandshake(RuleBasedStateMachine):
    """Server and client from any pairing of implementations exchange bytes in arbitrary pieces."""

    @initialize(pairing=st.sampled_from(sorted(PAIRINGS)), offered=DIALECT_LISTS, known=DIALECT_LISTS)
    def connect(self, pairing, offered, known):
        server_cls, client_cls = PAIRINGS[pairing]
        self.server, self.client = server_cls(False, offered), client_cls(True, known)
        self.common = [d for d in offered if d in known]
        self.offered = offered
        self.sent = {"server": [], "client": []}

    def ready(self):
        return self.server.dialect is not None and self.client.dialect is not None

    @rule(n=st.integers(1, 64))
    def server_to_client(self, n):
        self.client.receive(take(self.server, n))

    @rule(n=st.integers(1, 64))
    def client_to_server(self, n):
        self.server.receive(take(self.client, n))

    @precondition(lambda self: self.ready() and not self.client.closed)
    @rule(value=VALUES)
    def client_sends(self, value):
        self.client.send(value)
        self.sent["client"].append(value)

    @precondition(lambda self: self.ready() and not self.server.closed)
    @rule(value=VALUES)
    def server_sends(self, value):
        self.server.send(value)
        self.sent["server"].append(value)

    @invariant()
    def consistent(self):
        if not self.common:
            assert self.server.dialect is None
            return
        assert not self.server.closed and not self.client.closed
        if self.client.dialect is not None:
            assert self.client.dialect == self.common[0]  # the first offered dialect the client knows
        if self.ready():
            assert self.server.dialect == self.client.dialect
        assert same(self.server.received, self.sent["client"][: len(self.server.received)])
        assert same(self.client.received, self.sent["server"][: len(self.client.received)])

    def teardown(self):
        if not hasattr(self, "server"):
            return
        for _ in range(64):
            if not (len(self.server.outbox) or len(self.client.outbox)):
                break
            self.client.receive(take(self.server, 1 << 20))
            self.server.receive(take(self.client, 1 << 20))
        if not self.common:
            assert self.client.closed, "a client that knows no offered dialect must give up"
            return
        assert same(self.server.received, self.sent["client"])
        assert same(self.client.received, self.sent["server"])


TestBananaHandshake = BananaHandshake.TestCase
TestBananaHandshake.settings = settings(max_examples=200, stateful_step_count=25, deadline=None)
