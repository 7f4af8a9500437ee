"""The reference echo client: connects to a wirecheck in --listen mode, again and again.

On each connection it echoes every frame it decodes, re-encoded canonically; for
Banana it is the client side of the handshake (it answers the offer first).  It
closes on invalid input or when the peer closes, then reconnects.  It stops once
nothing has accepted its connection for ``give_up`` seconds (the run is over).
"""

from __future__ import annotations

import socket
import time

from .echo import Echoer


def serve_connection(sock: socket.socket, protocol: str, params: dict) -> None:
    echo = Echoer(protocol, params)
    while True:
        try:
            data = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return
        if not data:
            return
        out, failed = echo.receive(data)
        try:
            if out:
                sock.sendall(out)
        except OSError:
            return
        if failed:
            linger(sock)
            return


def linger(sock: socket.socket, seconds: float = 2.0) -> None:
    """FIN after the echoes, then drain until the peer closes: closing with unread input
    would reset the connection and could discard echoes still in the send queue."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(seconds)
        ends = time.monotonic() + seconds
        while time.monotonic() < ends and sock.recv(65536):
            pass
    except OSError:
        pass


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
