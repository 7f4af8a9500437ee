"""Length-prefixed echo server on asyncio streams: ``StreamReader.readexactly``.

asyncio has no framing of its own, so the frame loop is the smallest one a user writes:
``readexactly(width)`` for the big-endian prefix, ``readexactly(length)`` for the payload,
echo both.  The one check of the adapter's own is the maximum (``length > max_length``
closes lingering): asyncio knows nothing of frame lengths.  Everything else is asyncio's:
how reads are gathered, and ``IncompleteReadError`` at end of stream (a partial frame is
dropped and the connection closed).

    python server.py --port PORT --protocol int16 --max-length 1024
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

WIDTHS = {"int8": 1, "int16": 2, "int32": 4}


async def _discard(reader: asyncio.StreamReader) -> None:
    while await reader.read(65536):
        pass


async def close_lingering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """FIN after the echoes already written, then drain the peer's input until it closes
    (closing with unread input would reset the connection and could lose those echoes)."""
    with contextlib.suppress(OSError, asyncio.TimeoutError):
        await writer.drain()
        writer.write_eof()
        await asyncio.wait_for(_discard(reader), 2.0)


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, width: int, max_length: int) -> None:
    try:
        while True:
            prefix = await reader.readexactly(width)
            length = int.from_bytes(prefix, "big")
            if length > max_length:  # the adapter's own check: asyncio has no maximum to apply
                await close_lingering(reader, writer)
                return
            payload = await reader.readexactly(length)
            writer.write(prefix + payload)
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass  # end of stream; a partial frame is dropped
    except OSError:
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--protocol", required=True, choices=sorted(WIDTHS))
    parser.add_argument("--max-length", type=int, default=1024)
    args = parser.parse_args()
    width = WIDTHS[args.protocol]
    server = await asyncio.start_server(lambda r, w: handle(r, w, width, args.max_length), "127.0.0.1", args.port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
