"""The asyncio echo protocols as python: targets, driven without a socket or an event loop.

    wirecheck run --protocol line --target python:implementations/asyncio/adapter.py:protocol
    wirecheck run --protocol line --target python:implementations/asyncio/adapter.py:buffered_protocol

The real ``EchoProtocol`` / ``EchoBufferedProtocol`` run against a transport that
records what they write and whether they close; the echoed bytes are decoded back
into frames with a fresh parser of the same implementation.
"""

from __future__ import annotations

from .server import EchoBufferedProtocol, EchoProtocol, make_parser


class _RecordingTransport:
    def __init__(self) -> None:
        self.written = bytearray()
        self.closing = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closing = True

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.closing = True  # a FIN after the echoes: the stream is over for the peer

    def is_closing(self) -> bool:
        return self.closing


class EchoSession:
    def __init__(self, cls, protocol: str, params: dict) -> None:
        self.echo_reader = make_parser(protocol, params)  # NotImplementedError for what it does not cover
        self.transport = _RecordingTransport()
        self.proto = cls(protocol, params)
        self.proto.connection_made(self.transport)
        self.buffered = cls is EchoBufferedProtocol

    def feed(self, data: bytes) -> list:
        if self.buffered:
            view = self.proto.get_buffer(len(data))
            for start in range(0, len(data), len(view)):  # a read never exceeds the buffer
                part = data[start : start + len(view)]
                view[: len(part)] = part
                self.proto.buffer_updated(len(part))
        else:
            self.proto.data_received(data)
        out = bytes(self.transport.written)
        self.transport.written.clear()
        return self.echo_reader.feed(out)

    @property
    def closed(self) -> bool:
        return self.transport.closing

    @property
    def pending(self) -> bool:
        return bool(self.proto.parser.buf)


def protocol(protocol: str, params: dict) -> EchoSession:
    return EchoSession(EchoProtocol, protocol, params)


def buffered_protocol(protocol: str, params: dict) -> EchoSession:
    return EchoSession(EchoBufferedProtocol, protocol, params)
