"""Echo server on anyio: a TCP listener and ``BufferedByteStream``.

Lines: ``receive_until(delimiter, max_bytes=MAX_LENGTH)`` in a loop, each line echoed with
its delimiter; anyio decides what is too long (``DelimiterNotFound``).  Int8/16/32:
``receive_exactly(width)`` for the big-endian prefix and ``receive_exactly(length)`` for the
payload; anyio has no length-prefix framing, so the one check of the adapter's own is the
maximum (``length > max_length`` closes lingering).  At end of stream anyio raises
``IncompleteRead`` (a partial frame is dropped) and the connection is closed.

    python server.py --port PORT --protocol line --max-length 1024 --delimiter 0a
    python server.py --port PORT --protocol int16 --max-length 1024
"""

from __future__ import annotations

import argparse
import contextlib
import functools

import anyio
from anyio.streams.buffered import BufferedByteStream

WIDTHS = {"int8": 1, "int16": 2, "int32": 4}


async def close_lingering(stream: BufferedByteStream) -> None:
    """FIN after the echoes already sent, then drain the peer's input until it closes
    (closing with unread input would reset the connection and could lose those echoes)."""
    await stream.send_eof()
    with anyio.move_on_after(2.0), contextlib.suppress(anyio.EndOfStream):
        while True:
            await stream.receive()  # what anyio buffered first, then the socket


async def echo_lines(stream: BufferedByteStream, delimiter: bytes, max_length: int) -> None:
    while True:
        line = await stream.receive_until(delimiter, max_length)
        await stream.send(line + delimiter)


async def echo_prefixed(stream: BufferedByteStream, width: int, max_length: int) -> None:
    while True:
        prefix = await stream.receive_exactly(width)
        length = int.from_bytes(prefix, "big")
        if length > max_length:  # the adapter's own check: anyio has no maximum to apply
            await close_lingering(stream)
            return
        payload = await stream.receive_exactly(length)
        await stream.send(prefix + payload)


async def handle(args: argparse.Namespace, client) -> None:
    stream = BufferedByteStream(client)
    async with stream:
        try:
            if args.protocol == "line":
                await echo_lines(stream, args.delimiter, args.max_length)
            else:
                await echo_prefixed(stream, WIDTHS[args.protocol], args.max_length)
        except anyio.DelimiterNotFound:
            await close_lingering(stream)
        except (anyio.IncompleteRead, anyio.EndOfStream):
            pass  # end of stream; a partial frame is dropped
        except (anyio.BrokenResourceError, OSError):
            pass


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--protocol", required=True, choices=["line", *sorted(WIDTHS)])
    parser.add_argument("--max-length", type=int, default=1024)
    parser.add_argument("--delimiter", type=bytes.fromhex, default=b"\n", metavar="HEX")
    args = parser.parse_args()
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=args.port)
    await listener.serve(functools.partial(handle, args))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(main)
