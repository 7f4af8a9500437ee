"""The reference echo client: connects to a wirecheck in --listen mode, again and again.

On each connection it echoes every frame it decodes, re-encoded canonically; for
Banana it is the client side of the handshake (it answers the offer first).  It
closes on invalid input or when the peer closes, then reconnects.  It stops once
nothing has accepted its connection for ``give_up`` seconds (the run is over).
"""

from __future__ import annotations

import socket
import time

from harness.codecs import NOT_FRAMES, DialectSelected, ProtocolError, banana
from harness.oracle import make_decoder, make_encoder


def serve_connection(sock: socket.socket, protocol: str, params: dict) -> None:
    decoder = make_decoder(protocol, params)
    is_banana = protocol == "banana"
    encode = None if is_banana else make_encoder(protocol, params)
    while True:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return
        if not data:
            return
        out = bytearray()
        failed = False
        for event in decoder.feed(data):
            if isinstance(event, ProtocolError):
                failed = True
            elif isinstance(event, DialectSelected):
                out += decoder.data_to_send()
            elif not isinstance(event, NOT_FRAMES):
                out += banana.encode(event, dialect=decoder.dialect) if is_banana else encode(event)
        try:
            if out:
                sock.sendall(bytes(out))
        except OSError:
            return
        if failed:
            return


def run(protocol: str, params: dict, host: str, port: int, give_up: float = 5.0, idle_timeout: float = 30.0) -> int:
    """Serve connections until nothing accepts for ``give_up`` seconds; returns how many were served."""
    served = 0
    last_success = time.monotonic()
    while time.monotonic() - last_success < give_up:
        try:
            sock = socket.create_connection((host, port), timeout=1.0)
        except OSError:
            time.sleep(0.05)
            continue
        last_success = time.monotonic()
        with sock:
            sock.settimeout(idle_timeout)
            serve_connection(sock, protocol, params)
        served += 1
        last_success = time.monotonic()
    return served
