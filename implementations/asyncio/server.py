"""Echo servers on plain asyncio: a ``Protocol`` and a ``BufferedProtocol`` per framing protocol.

The parsers here share no code with wirecheck's codecs: they are a second,
independent implementation, which is the point of testing them.  Each keeps a
bytearray, parses from a read position, and drops consumed bytes once per read.
"""

from __future__ import annotations

import asyncio


class ParseError(Exception):
    pass


class _Parser:
    failed = False


class NetstringParser(_Parser):
    def __init__(self, max_length: int, delimiter: bytes) -> None:
        self.max_length = max_length
        self.max_digits = len(str(max_length))
        self.buf = bytearray()

    def encode(self, payload: bytes) -> bytes:
        return b"%d:%s," % (len(payload), payload)

    def _length(self, head: bytes) -> int:
        if not all(0x30 <= b <= 0x39 for b in head):
            raise ParseError("non-digit in length")
        if len(head) > 1 and head[0] == 0x30:
            raise ParseError("leading zero")
        if len(head) > self.max_digits or (head and int(head) > self.max_length):
            raise ParseError("length over the maximum")
        return int(head) if head else -1

    def feed(self, data: bytes) -> list[bytes]:
        buf = self.buf
        buf += data
        frames, pos = [], 0
        try:
            while pos < len(buf):
                colon = buf.find(b":", pos, pos + self.max_digits + 1)
                head = bytes(buf[pos:colon] if colon >= 0 else buf[pos : pos + self.max_digits + 1])
                length = self._length(head)
                if colon < 0:
                    break
                if length < 0:
                    raise ParseError("empty length")
                end = colon + 1 + length
                if len(buf) <= end:
                    break
                if buf[end] != 0x2C:
                    raise ParseError("missing comma")
                frames.append(bytes(buf[colon + 1 : end]))
                pos = end + 1
        except ParseError:
            self.failed = True  # the frames before the bad byte still go back to the caller
        finally:
            del buf[:pos]
        return frames


class IntPrefixParser(_Parser):
    def __init__(self, width: int, max_length: int) -> None:
        self.width, self.max_length = width, max_length
        self.buf = bytearray()

    def encode(self, payload: bytes) -> bytes:
        return len(payload).to_bytes(self.width, "big") + payload

    def feed(self, data: bytes) -> list[bytes]:
        buf, w = self.buf, self.width
        buf += data
        frames, pos = [], 0
        try:
            while len(buf) - pos >= w:
                length = int.from_bytes(buf[pos : pos + w], "big")
                if length > self.max_length:
                    raise ParseError("length over the maximum")
                if len(buf) - pos - w < length:
                    break
                frames.append(bytes(buf[pos + w : pos + w + length]))
                pos += w + length
        except ParseError:
            self.failed = True  # the frames before the bad byte still go back to the caller
        finally:
            del buf[:pos]
        return frames


class LineParser(_Parser):
    def __init__(self, max_length: int, delimiter: bytes) -> None:
        self.max_length, self.delimiter = max_length, delimiter
        self.buf = bytearray()
        #: Where the search for the unterminated line's delimiter goes on from: each read is searched
        #: once (a search from the line's start on every read would cost a long line's length each time).
        self.searched = 0

    def encode(self, line: bytes) -> bytes:
        return line + self.delimiter

    def feed(self, data: bytes) -> list[bytes]:
        buf, delim = self.buf, self.delimiter
        buf += data
        frames, pos = [], 0
        limit = self.max_length + len(delim)
        try:
            while True:
                end = buf.find(delim, max(pos, self.searched), pos + limit)
                if end < 0:
                    if len(buf) - pos >= limit:
                        raise ParseError("line too long")
                    self.searched = max(pos, len(buf) - len(delim) + 1)  # a delimiter may start in the tail
                    break
                frames.append(bytes(buf[pos:end]))
                pos = end + len(delim)
        except ParseError:
            self.failed = True  # the frames before the bad byte still go back to the caller
        finally:
            del buf[:pos]
            self.searched = max(0, self.searched - pos)
        return frames


def make_parser(protocol: str, params: dict):
    if protocol == "netstring":
        return NetstringParser(params["max_length"], b"")
    if protocol in ("int8", "int16", "int32"):
        return IntPrefixParser({"int8": 1, "int16": 2, "int32": 4}[protocol], params["max_length"])
    if protocol == "line":
        return LineParser(params["max_length"], bytes.fromhex(params["delimiter"]))
    raise NotImplementedError(f"the asyncio implementation does not cover {protocol}")


class _Echo:
    def _handle(self, data: bytes) -> None:
        if self.parser.failed:
            return
        frames = self.parser.feed(data)
        if frames:
            self.transport.write(b"".join(map(self.parser.encode, frames)))
        if self.parser.failed:
            # After the frames before the bad byte: FIN once they are flushed, then drain the
            # peer's input until it closes (a close with unread input would reset the
            # connection and could discard those frames), giving up after two seconds.
            if self.transport.can_write_eof():
                self.transport.write_eof()
                try:
                    asyncio.get_running_loop().call_later(2.0, self.transport.close)
                except RuntimeError:  # driven without an event loop (adapter.py)
                    self.transport.close()
            else:
                self.transport.close()

    def eof_received(self) -> bool:
        return False


class EchoProtocol(_Echo, asyncio.Protocol):
    def __init__(self, protocol: str, params: dict) -> None:
        self.parser = make_parser(protocol, params)

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self._handle(data)


class EchoBufferedProtocol(_Echo, asyncio.BufferedProtocol):
    """Reads into one preallocated buffer (get_buffer / buffer_updated)."""

    def __init__(self, protocol: str, params: dict) -> None:
        self.parser = make_parser(protocol, params)
        self._buffer = bytearray(65536)
        self._view = memoryview(self._buffer)

    def connection_made(self, transport) -> None:
        self.transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._view

    def buffer_updated(self, nbytes: int) -> None:
        # The parser copies what it keeps, so the buffer can be reused for the next read.
        self._handle(bytes(self._view[:nbytes]))


def serve(protocol: str, params: dict, host: str, port: int, ready, buffered: bool = False) -> None:
    """Echo until stopped (``wirecheck serve --impl asyncio`` / ``asyncio-buffered``)."""
    make_parser(protocol, params)  # refuse unsupported protocols before listening
    asyncio.run(_serve(protocol, params, host, port, ready, buffered))


async def _serve(protocol: str, params: dict, host: str, port: int, ready, buffered: bool) -> None:
    cls = EchoBufferedProtocol if buffered else EchoProtocol
    server = await asyncio.get_running_loop().create_server(lambda: cls(protocol, params), host, port)
    ready(*server.sockets[0].getsockname()[:2])
    async with server:
        await server.serve_forever()
