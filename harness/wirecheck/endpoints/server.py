"""An echo endpoint built on the reference codecs and asyncio.

Each connection gets a fresh decoder. Every decoded frame is written back,
re-encoded canonically with the same framing; at end of stream it closes.

On a protocol error it closes *lingering*: the echoes already written are
followed by a FIN (write_eof), later input is read and thrown away, and the
socket is closed when the peer closes or LINGER seconds pass.  Closing a socket
that still has unread input makes the kernel send a reset and discard whatever
echo it had not yet sent, so a plain close() loses frames the contract promises,
the more likely the larger the echo (docs/endpoint-contract.md).
For Banana it plays the server: it offers its dialects on connect and echoes in
the dialect the client chose.
"""

from __future__ import annotations

import asyncio

from .echo import Echoer

#: Seconds a connection that has failed waits for the peer to close before closing itself.
LINGER = 2.0


def close_lingering(transport) -> asyncio.TimerHandle | None:
    """FIN after the pending writes, then close for good after LINGER seconds at most."""
    if not transport.can_write_eof():
        transport.close()
        return None
    transport.write_eof()
    return asyncio.get_running_loop().call_later(LINGER, transport.close)


class EchoProtocol(asyncio.Protocol):
    def __init__(self, protocol: str, params: dict) -> None:
        self.echo = Echoer(protocol, params)
        self.transport: asyncio.Transport | None = None
        self.failed = False
        self.linger: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        opening = self.echo.opening()
        if opening:
            transport.write(opening)

    def data_received(self, data: bytes) -> None:
        if self.failed:
            return  # lingering: read and discard until the peer closes
        out, failed = self.echo.receive(data)
        if out:
            self.transport.write(out)
        if failed:
            self.failed = True
            self.linger = close_lingering(self.transport)

    def eof_received(self) -> bool:
        return False  # close our side too; a pending partial frame is dropped

    def connection_lost(self, exc) -> None:
        if self.linger is not None:
            self.linger.cancel()


async def serve(protocol: str, params: dict, host: str, port: int, ready=None) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: EchoProtocol(protocol, params), host, port)
    sockname = server.sockets[0].getsockname()
    if ready is not None:
        ready(sockname[0], sockname[1])
    async with server:
        await server.serve_forever()


def serve_forever(protocol: str, params: dict, host: str, port: int, ready=None) -> None:
    """``serve`` on a fresh event loop, until the process is stopped."""
    asyncio.run(serve(protocol, params, host, port, ready))
