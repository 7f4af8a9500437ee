"""Line echo server on asyncio streams: ``StreamReader.readuntil(delimiter)``.

The server is ``asyncio.start_server(..., limit=MAX_LENGTH)`` and each connection calls
``reader.readuntil(delimiter)`` in a loop, echoing every line (returned with its delimiter)
as it is.  asyncio decides what is too long: ``readuntil`` raises ``LimitOverrunError``
and the connection is closed lingering.  At end of stream it raises
``IncompleteReadError`` (a partial line is dropped) and the connection is closed.

    python server.py --port PORT --max-length 1024 --delimiter 0d0a
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib


async def _discard(reader: asyncio.StreamReader) -> None:
    # readuntil leaves what it refused in the stream's buffer; it is discarded with the rest.
    while await reader.read(65536):
        pass


async def close_lingering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """FIN after the echoes already written, then drain the peer's input until it closes
    (closing with unread input would reset the connection and could lose those echoes)."""
    with contextlib.suppress(OSError, asyncio.TimeoutError):
        await writer.drain()
        writer.write_eof()
        await asyncio.wait_for(_discard(reader), 2.0)


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delimiter: bytes) -> None:
    try:
        while True:
            line = await reader.readuntil(delimiter)
            writer.write(line)
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass  # end of stream; a partial line is dropped
    except asyncio.LimitOverrunError:
        await close_lingering(reader, writer)
    except OSError:
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--protocol", default="line", choices=["line"])
    parser.add_argument("--max-length", type=int, default=1024)
    parser.add_argument("--delimiter", type=bytes.fromhex, default=b"\n", metavar="HEX")
    args = parser.parse_args()
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, args.delimiter), "127.0.0.1", args.port, limit=args.max_length
    )
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
