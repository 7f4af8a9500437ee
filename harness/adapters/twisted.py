"""Drive Twisted's own receivers in memory, for cross-checks and benchmarks.

Needs the ``twisted`` package (``pip install 'wirecheck[twisted]'``).  Each
session is a real Twisted protocol instance on a StringTransport; bytes go in
through ``dataReceived`` exactly as the reactor would deliver them.  An exception
escaping ``dataReceived`` counts as a close, as it does under a real reactor.
"""

from __future__ import annotations

from collections.abc import Sequence

from twisted.internet.testing import StringTransport
from twisted.protocols import basic
from twisted.spread import banana as tbanana

from harness.oracle import Observation
from harness.vectors import Vector
from harness.vectors.values import to_json

#: Which Twisted class plays each protocol; "line-only" selects LineOnlyReceiver.
FLAVOURS = ("netstring", "int8", "int16", "int32", "line", "line-only", "banana")


def _collecting(cls, callback_name: str):
    class Collecting(cls):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.received: list = []

    setattr(Collecting, callback_name, lambda self, item: self.received.append(item))
    Collecting.__name__ = f"Collecting{cls.__name__}"
    return Collecting


_CLASSES = {
    "netstring": _collecting(basic.NetstringReceiver, "stringReceived"),
    "int8": _collecting(basic.Int8StringReceiver, "stringReceived"),
    "int16": _collecting(basic.Int16StringReceiver, "stringReceived"),
    "int32": _collecting(basic.Int32StringReceiver, "stringReceived"),
    "line": _collecting(basic.LineReceiver, "lineReceived"),
    "line-only": _collecting(basic.LineOnlyReceiver, "lineReceived"),
    "banana": _collecting(tbanana.Banana, "expressionReceived"),
}


class TwistedSession:
    """One connection's worth of a Twisted receiver."""

    def __init__(self, flavour: str, params: dict) -> None:
        cls = _CLASSES[flavour]
        self.flavour = flavour
        self.is_banana = flavour == "banana"
        role = params.get("role", "peer")
        self.proto = cls(isClient=0 if role == "server" else 1) if self.is_banana else cls()
        if "max_length" in params:
            self.proto.MAX_LENGTH = params["max_length"]
        if "delimiter" in params:
            self.proto.delimiter = bytes.fromhex(params["delimiter"])
        if self.is_banana and role != "peer":
            self.proto.knownDialects = [d.encode() for d in params.get("dialects", ("pb", "none"))]
        self.transport = StringTransport()
        self.proto.makeConnection(self.transport)
        if self.is_banana and role == "peer":
            self.proto._selectDialect(params.get("dialect", "none").encode())
        self.transport.clear()  # a server's offer is not part of what we observe
        self.role = role
        self.crashed: BaseException | None = None

    @property
    def closed(self) -> bool:
        return self.crashed is not None or self.transport.disconnecting

    def feed(self, data: bytes) -> None:
        if self.closed:
            return
        try:
            self.proto.dataReceived(data)
        except Exception as exc:  # the reactor would log it and drop the connection
            self.crashed = exc

    def pending(self) -> bool:
        p = self.proto
        if self.flavour == "netstring":
            return bool(p._remainingData) or p._state == p._PARSING_PAYLOAD
        if self.flavour in ("int8", "int16", "int32"):
            return bool(p._unprocessed)
        if self.is_banana:
            return bool(p.buffer) or bool(p.listStack)
        return bool(p._buffer)

    def observation(self) -> Observation:
        items = self.proto.received
        frames = [to_json(x) for x in items] if self.is_banana else [bytes(x).hex() for x in items]
        obs = Observation(frames=frames)
        if self.closed:
            obs.status = "close"
        elif self.pending():
            obs.status = "incomplete"
        if self.is_banana and self.role != "peer":
            d = self.proto.currentDialect
            obs.dialect = d.decode() if d is not None else None
            obs.reply = self.transport.value().hex() if self.role == "client" else ""
        return obs


class TwistedTarget:
    """A Target over Twisted's receivers; ``line_only`` picks LineOnlyReceiver for lines."""

    reports_reasons = False

    def __init__(self, line_only: bool = False) -> None:
        self.line_only = line_only
        self.name = "twisted" + (" (LineOnlyReceiver)" if line_only else "")

    def deliver(self, vector: Vector, chunks: Sequence[bytes]) -> Observation:
        flavour = "line-only" if (vector.protocol == "line" and self.line_only) else vector.protocol
        session = TwistedSession(flavour, vector.params)
        for chunk in chunks:
            session.feed(chunk)
        return session.observation()


class ReceiverSession:
    """The python: target session interface over a Twisted receiver (see harness.targets.python)."""

    def __init__(self, flavour: str, params: dict) -> None:
        self._session = TwistedSession(flavour, params)
        self._seen = 0

    def feed(self, data: bytes) -> list:
        self._session.feed(data)
        received = self._session.proto.received
        new, self._seen = received[self._seen :], len(received)
        return new

    @property
    def closed(self) -> bool:
        return self._session.closed

    @property
    def pending(self) -> bool:
        return self._session.pending()


def receiver(protocol: str, params: dict) -> ReceiverSession:
    """``--target python:harness.adapters.twisted:receiver``: Twisted's receiver for each protocol
    (NetstringReceiver, Int8/16/32StringReceiver, LineReceiver, Banana)."""
    return ReceiverSession(protocol, params)


def line_only_receiver(protocol: str, params: dict) -> ReceiverSession:
    """``--target python:harness.adapters.twisted:line_only_receiver``: LineOnlyReceiver for lines."""
    if protocol != "line":
        raise NotImplementedError("LineOnlyReceiver receives lines only")
    return ReceiverSession("line-only", params)
