"""The echo contract (docs/endpoint-contract.md) as a sans-IO object.

Bytes in; bytes to write back and whether to close out.  The asyncio server and the
blocking reference client are thin I/O adapters around it.
"""

from __future__ import annotations

from harness.codecs import NOT_FRAMES, DialectSelected, ProtocolError
from harness.oracle import make_decoder, make_encoder


class Echoer:
    def __init__(self, protocol: str, params: dict) -> None:
        self.protocol, self.params = protocol, params
        self.decoder = make_decoder(protocol, params)
        # Banana frames are encoded in the agreed dialect, known once the handshake is done.
        self.encode = make_encoder(protocol, params, getattr(self.decoder, "dialect", None))

    def opening(self) -> bytes:
        """What to send on connect: a Banana server's offer, otherwise nothing."""
        return self.decoder.offer() if getattr(self.decoder, "role", None) == "server" else b""

    def receive(self, data: bytes) -> tuple[bytes, bool]:
        """(echo bytes for what ``data`` completed, True when the stream is invalid: close after writing)."""
        out = bytearray()
        failed = False
        for event in self.decoder.feed(data):
            if isinstance(event, ProtocolError):
                failed = True
            elif isinstance(event, DialectSelected):
                out += self.decoder.data_to_send()  # a client's choice; a server has nothing to say
                self.encode = make_encoder(self.protocol, self.params, event.dialect)
            elif not isinstance(event, NOT_FRAMES):
                out += self.encode(event)
        return bytes(out), failed
