"""The echo contract (docs/endpoint-contract.md) as a sans-IO object.

Bytes in; bytes to write back and whether to close out.  The asyncio server and the
blocking reference client are thin I/O adapters around it.
"""

from __future__ import annotations

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES, DialectSelected, ProtocolError


class Echoer:
    """One connection's echo: every decoded frame re-encoded canonically."""

    def __init__(self, protocol: str, params: dict) -> None:
        self.spec = protocols.get(protocol)
        self.config = protocols.complete(self.spec, params)
        self.decoder = self.spec.decoder(self.config)
        # Frames are encoded in the agreed dialect, if the protocol has one: known once the handshake is done.
        self.encode = self.spec.encoder(self.config, None)

    def opening(self) -> bytes:
        """What to send on connect: a handshake server's offer, otherwise nothing."""
        return self.decoder.offer() if self.spec.handshake_role(self.config) == "server" else b""

    def receive(self, data: bytes) -> tuple[bytes, bool]:
        """(echo bytes for what ``data`` completed, True when the stream is invalid: close after writing)."""
        out = bytearray()
        failed = False
        for event in self.decoder.feed(data):
            if isinstance(event, ProtocolError):
                failed = True
            elif isinstance(event, DialectSelected):
                out += self.decoder.data_to_send()  # a client's choice; a server has nothing to say
                self.encode = self.spec.encoder(self.config, event.dialect)
            elif not isinstance(event, NOT_FRAMES):
                out += self.encode(event)
        return bytes(out), failed
