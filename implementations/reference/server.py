"""An echo endpoint built on the reference codecs and asyncio.

Each connection gets a fresh decoder. Every decoded frame is written back,
re-encoded canonically with the same framing; on a protocol error the frames
before it are flushed and the connection is closed; at end of stream it closes.
For Banana it plays the server: it offers its dialects on connect and echoes in
the dialect the client chose.
"""

from __future__ import annotations

import asyncio

from harness.codecs import NOT_FRAMES, DialectSelected, ProtocolError, banana
from harness.oracle import make_decoder, make_encoder


class EchoProtocol(asyncio.Protocol):
    def __init__(self, protocol: str, params: dict) -> None:
        self.protocol = protocol
        self.params = params
        self.is_banana = protocol == "banana"
        self.decoder = make_decoder(protocol, params)
        self.encode = None if self.is_banana else make_encoder(protocol, params)
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        if self.is_banana:
            transport.write(self.decoder.offer())

    def data_received(self, data: bytes) -> None:
        out = bytearray()
        failed = False
        for event in self.decoder.feed(data):
            if isinstance(event, ProtocolError):
                failed = True
            elif isinstance(event, DialectSelected):
                continue
            elif not isinstance(event, NOT_FRAMES):
                if self.is_banana:
                    out += banana.encode(event, dialect=self.decoder.dialect)
                else:
                    out += self.encode(event)
        if out:
            self.transport.write(bytes(out))
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
