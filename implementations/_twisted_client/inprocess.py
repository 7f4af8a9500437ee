"""The in-process adapters of the bundled clients (docs/client-contract.md, "the adapter").

wirecheck's in-memory transport has ``write(data)`` and ``close()``; it feeds the client with
``data_received(data)`` and ``connection_lost()``.  No reactor or loop is started here.

A Twisted protocol gets a transport shim with what a LineReceiver uses.  Twisted stops reading
once ``loseConnection`` was called and reports the connection lost (``ConnectionDone``) once
its write buffer is flushed, after the read that asked for it: the adapter does the same at
the end of that ``data_received`` (a line over ``MAX_LENGTH`` closes the connection this way),
and calls ``connectionLost`` once however often it is told.  Whatever the protocol raises
propagates out of ``data_received`` and ``request``: wirecheck counts it as a crash.
"""

from __future__ import annotations

import asyncio

from .session import Forwarder


class TransportShim:
    """What a Twisted protocol needs of ``self.transport``, over wirecheck's transport."""

    def __init__(self, transport) -> None:
        self._transport = transport
        self.connected = True
        self.disconnecting = False

    def write(self, data: bytes) -> None:
        if self.connected:
            self._transport.write(bytes(data))

    def writeSequence(self, data) -> None:
        self.write(b"".join(data))

    def loseConnection(self) -> None:
        if not self.disconnecting and self.connected:
            self.disconnecting = True
            self._transport.close()

    abortConnection = loseConnection

    def getPeer(self):
        from twisted.internet.address import IPv4Address

        return IPv4Address("TCP", "127.0.0.1", 0)

    getHost = getPeer

    def pauseProducing(self) -> None:
        pass

    def resumeProducing(self) -> None:
        pass

    def stopProducing(self) -> None:
        pass

    def registerProducer(self, producer, streaming) -> None:
        pass

    def unregisterProducer(self) -> None:
        pass


def _protocol_attribute(name: str) -> property:
    """An attribute of the adapter that is the protocol's own: read and set on ``self.proto``."""

    def get(self):
        return getattr(self.proto, name)

    def set_(self, value) -> None:
        setattr(self.proto, name, value)

    return property(get, set_)


class _Adapter(Forwarder):
    """``request``, ``notify`` and ``stop_notify`` forwarded to the protocol (``Forwarder``);
    ``on_notification`` / ``on_unexpected`` set on the adapter are the protocol's own."""

    on_notification = _protocol_attribute("on_notification")
    on_unexpected = _protocol_attribute("on_unexpected")


class TwistedAdapter(_Adapter):
    def __init__(self, protocol_class, max_length: int | None = None) -> None:
        self.proto = protocol_class()
        if max_length is not None:
            self.proto.MAX_LENGTH = max_length
        self.shim: TransportShim | None = None
        self.lost = False

    def connection_made(self, transport) -> None:
        self.shim = TransportShim(transport)
        self.proto.makeConnection(self.shim)

    def data_received(self, data: bytes) -> None:
        if self.lost or self.shim.disconnecting:
            return  # Twisted reads no more once the connection is being closed
        self.proto.dataReceived(data)
        self._settle()

    def connection_lost(self, exc: BaseException | None = None) -> None:
        if self.lost:
            return
        self.lost = True
        self.shim.connected = False
        from twisted.internet.error import ConnectionDone, ConnectionLost
        from twisted.python.failure import Failure

        self.proto.connectionLost(Failure(ConnectionDone() if exc is None else ConnectionLost(str(exc))))

    def _handle(self, deferred):
        self._settle()
        return deferred

    def _settle(self) -> None:
        """The protocol asked to close: the connection is lost now, as Twisted would report it."""
        if self.shim is not None and self.shim.disconnecting and not self.lost:
            self.connection_lost()


class AsyncioAdapter(_Adapter):
    """An asyncio protocol whose ``command()`` returns an asyncio Future when a loop is running
    and, with none, a loop-free waiter, returned here as a coroutine that awaits it."""

    def __init__(self, protocol_class, max_length: int | None = None) -> None:
        self.proto = protocol_class() if max_length is None else protocol_class(max_length=max_length)

    def connection_made(self, transport) -> None:
        self.proto.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        self.proto.data_received(data)

    def connection_lost(self, exc: BaseException | None = None) -> None:
        self.proto.connection_lost(exc)

    @staticmethod
    def _handle(waiter):
        if isinstance(waiter, asyncio.Future):
            return waiter

        async def reply():
            return await waiter

        return reply()
