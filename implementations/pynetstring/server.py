"""Netstring echo server on pynetstring's Decoder (PyPI ``pynetstring``).

Each read is fed to one ``pynetstring.Decoder(maxlen=MAX_LENGTH)`` per connection and every
string it returns is echoed with ``pynetstring.encode``.  What is invalid is pynetstring's
decision: when ``feed`` raises, the connection is closed lingering.

    python server.py --port PORT --max-length 1024
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

import pynetstring


async def close_lingering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """FIN after the echoes already written, then drain the peer's input until it closes
    (closing with unread input would reset the connection and could lose those echoes)."""
    with contextlib.suppress(OSError, asyncio.TimeoutError):
        await writer.drain()
        writer.write_eof()
        await asyncio.wait_for(_discard(reader), 2.0)


async def _discard(reader: asyncio.StreamReader) -> None:
    while await reader.read(65536):
        pass


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, max_length: int) -> None:
    decoder = pynetstring.Decoder(maxlen=max_length)
    try:
        while data := await reader.read(65536):
            try:
                strings = decoder.feed(data)
            except pynetstring.NetstringException:
                await close_lingering(reader, writer)
                return
            if strings:
                writer.write(b"".join(pynetstring.encode(strings)))
                await writer.drain()
        # End of stream: a partial string still pending in the decoder is dropped.
    except OSError:
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--protocol", default="netstring", choices=["netstring"])
    parser.add_argument("--max-length", type=int, default=1024)
    args = parser.parse_args()
    server = await asyncio.start_server(lambda r, w: handle(r, w, args.max_length), "127.0.0.1", args.port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
