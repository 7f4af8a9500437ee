"""Drive Twisted's own receivers in memory, as ``python:`` targets, for cross-checks and benchmarks.

    wirecheck run --target python:wirecheck.adapters.twisted:receiver
    wirecheck run --target python:wirecheck.adapters.twisted:line_only_receiver --protocol line

Needs the ``twisted`` package (``pip install 'wirecheck[twisted]'``).  Each
session is a real Twisted protocol instance on a StringTransport; bytes go in
through ``dataReceived`` exactly as the reactor would deliver them.  An exception
escaping ``dataReceived`` counts as a close, as it does under a real reactor.
Banana sessions play the handshake roles too (``handshakes = True``).
"""

from __future__ import annotations

from twisted.internet.testing import StringTransport
from twisted.protocols import basic
from twisted.spread import banana as tbanana


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


class ReceiverSession:
    """One connection's worth of a Twisted receiver, as a ``python:`` target session
    (see ``wirecheck.targets.python``)."""

    def __init__(self, flavour: str, params: dict) -> None:
        cls = _CLASSES.get(flavour)
        if cls is None:
            raise NotImplementedError(f"Twisted has no receiver for {flavour}")
        self.flavour = flavour
        self.is_banana = flavour == "banana"
        self.role = params.get("role", "peer")
        self.proto = cls(isClient=0 if self.role == "server" else 1) if self.is_banana else cls()
        if "max_length" in params:
            self.proto.MAX_LENGTH = params["max_length"]
        if "delimiter" in params:
            self.proto.delimiter = bytes.fromhex(params["delimiter"])
        if self.is_banana and self.role != "peer":
            self.proto.knownDialects = [d.encode() for d in params.get("dialects", ("pb", "none"))]
        self.transport = StringTransport()
        self.proto.makeConnection(self.transport)
        if self.is_banana and self.role == "peer":
            self.proto._selectDialect(params.get("dialect", "none").encode())
        self.transport.clear()  # a server's offer is not part of what we observe
        self.crashed: BaseException | None = None
        self._seen = 0

    def feed(self, data: bytes) -> list:
        """The frames ``data`` completed."""
        if not self.closed:
            try:
                self.proto.dataReceived(data)
            except Exception as exc:  # the reactor would log it and drop the connection
                self.crashed = exc
        received = self.proto.received
        new, self._seen = received[self._seen :], len(received)
        return new

    @property
    def closed(self) -> bool:
        return self.crashed is not None or self.transport.disconnecting

    @property
    def pending(self) -> bool:
        p = self.proto
        if self.flavour == "netstring":
            return bool(p._remainingData) or p._state == p._PARSING_PAYLOAD
        if self.flavour in ("int8", "int16", "int32"):
            return bool(p._unprocessed)
        if self.is_banana:
            return bool(p.buffer) or bool(p.listStack)
        return bool(p._buffer)

    @property
    def dialect(self) -> str | None:
        """The dialect a Banana handshake agreed on (None before it has)."""
        d = self.proto.currentDialect
        return d.decode() if d is not None else None

    @property
    def reply(self) -> bytes:
        """What a Banana client wrote back (its choice); a server's offer was cleared at connect."""
        return self.transport.value() if self.role == "client" else b""


def receiver(protocol: str, params: dict) -> ReceiverSession:
    """``--target python:wirecheck.adapters.twisted:receiver``: Twisted's receiver for each protocol
    (NetstringReceiver, Int8/16/32StringReceiver, LineReceiver, Banana)."""
    return ReceiverSession(protocol, params)


receiver.handshakes = True  # Banana sessions play the server and client roles too


def line_only_receiver(protocol: str, params: dict) -> ReceiverSession:
    """``--target python:wirecheck.adapters.twisted:line_only_receiver``: LineOnlyReceiver for lines."""
    if protocol != "line":
        raise NotImplementedError("LineOnlyReceiver receives lines only")
    return ReceiverSession("line-only", params)
