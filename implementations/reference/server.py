"""An echo endpoint built on the reference codecs and asyncio.

Each connection gets a fresh decoder. Every decoded frame is written back,
re-encoded canonically with the same framing; on a protocol error the frames
before it are flushed and the connection is closed; at end of stream it closes.
For Banana it plays the server: it offers its dialects on connect and echoes in
the dialect the client chose.
"""

from __future__ import annotations

import asyncio

from .echo import Echoer


class EchoProtocol(asyncio.Protocol):
    def __init__(self, protocol: str, params: dict) -> None:
        self.echo = Echoer(protocol, params)
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        opening = self.echo.opening()
        if opening:
            transport.write(opening)

    def data_received(self, data: bytes) -> None:
        out, failed = self.echo.receive(data)
        if out:
            self.transport.write(out)
        if failed:
            self.transport.close()  # flushes what was written, then FIN

    def eof_received(self) -> bool:
        return False  # close our side too; a pending partial frame is dropped


async def serve(protocol: str, params: dict, host: str, port: int, ready=None) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: EchoProtocol(protocol, params), host, port)
    sockname = server.sockets[0].getsockname()
    if ready is not None:
        ready(sockname[0], sockname[1])
    async with server:
        await server.serve_forever()
