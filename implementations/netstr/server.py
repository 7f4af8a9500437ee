"""Netstring echo server on the PyPI package ``netstr`` (module ``netstr``).

netstr 1.0.0 has no streaming decoder: it offers ``decode(b)`` (the first netstring at the
start of ``b``), ``size(b)`` (how many bytes that netstring takes) and ``is_valid(b)``, all on
a buffer.  So the adapter keeps the bytes of a connection in a buffer and, after each read,
calls ``netstr.decode`` on it while it can:

- ``decode`` needs the length's colon to do anything (without one, every call fails the same
  way, however the next read goes), so it is called only once the buffer holds a ``:``;
- an ``IndexError`` from ``decode`` means the payload or its comma has not arrived yet (the
  library indexes past the end of the buffer): wait for more;
- a ``ValueError`` (a length ``int()`` refuses, a negative length, a byte other than ``,``
  after the payload) is the library rejecting the input: echo what was decoded before it,
  then close lingering;
- a decoded string is echoed with ``netstr.encode`` and ``netstr.size`` bytes are dropped.

netstr has no maximum length; ``--max-length`` is accepted and ignored.

    python server.py --port PORT
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

import netstr


def decode_available(buf: bytearray) -> tuple[list[bytes], bool]:
    """The netstrings at the start of ``buf`` (removed from it), and whether netstr rejected
    what follows them."""
    strings = []
    try:
        while b":" in buf:
            try:
                payload = netstr.decode(buf)
            except IndexError:
                break
            strings.append(payload)
            del buf[: netstr.size(buf)]
    except ValueError:
        return strings, True
    return strings, False


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


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    buf = bytearray()
    try:
        while data := await reader.read(65536):
            buf += data
            strings, rejected = decode_available(buf)
            if strings:
                writer.write(b"".join(netstr.encode(bytes(s)) for s in strings))
                await writer.drain()
            if rejected:
                await close_lingering(reader, writer)
                return
        # End of stream: a partial netstring still in the buffer is dropped.
    except OSError:
        pass
    finally:
        writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--protocol", default="netstring", choices=["netstring"])
    parser.add_argument("--max-length", type=int, help="ignored: netstr has no maximum")
    args = parser.parse_args()
    server = await asyncio.start_server(handle, "127.0.0.1", args.port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
