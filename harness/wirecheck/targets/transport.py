"""TCP for the socket targets: connecting, accepting, and one connection's writes and reads.

Every wait has a bound.  A connection records a trace of what crossed the wire (the
first bytes of each read and write, a bounded number of entries), which reports show.
What the endpoint does to the connection (a close, a reset) is returned as data, never
raised: it is an observation about the endpoint, not an error of the harness.
"""

from __future__ import annotations

import errno
import socket
import time

from wirecheck.errors import EndpointUnavailable, TargetTimeout

TRACE_BYTES = 256  # bytes of each read or write kept in the trace
TRACE_ENTRIES = 200  # reads and writes kept per delivery; a dripping endpoint cannot grow it
#: Errors that mean the endpoint closed or reset the connection under us.
PEER_GONE = (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN, errno.ECONNABORTED, errno.ESHUTDOWN)


def connect(host: str, port: int, timeout: float, name: str) -> socket.socket | None:
    """A fresh connection with TCP_NODELAY; None when the endpoint accepted and reset it at once."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError as exc:
        raise EndpointUnavailable(f"{name} refused the connection") from exc
    except ConnectionResetError:
        return None  # accepted, then reset at once: the endpoint closed this connection
    except TimeoutError as exc:
        raise EndpointUnavailable(f"{name} did not accept within {timeout}s") from exc
    except OSError as exc:
        raise EndpointUnavailable(f"{name}: {exc.strerror or exc}") from exc
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        sock.close()
        return None
    return sock


class Listener:
    """A listening socket that hands out one accepted connection per delivery."""

    def __init__(self, host: str, port: int) -> None:
        try:
            self.sock = socket.create_server((host, port), backlog=64, reuse_port=False)
        except OSError as exc:
            raise EndpointUnavailable(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self.host, self.port = self.sock.getsockname()[:2]

    def accept(self, timeout: float) -> socket.socket:
        self.sock.settimeout(timeout)
        try:
            sock, _ = self.sock.accept()
        except TimeoutError:
            raise TargetTimeout(f"no client connected to {self.host}:{self.port} within {timeout}s") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def close(self) -> None:
        self.sock.close()


class Connection:
    """One delivery's connection: bounded writes and reads, and the trace of both."""

    def __init__(self, sock: socket.socket, write_timeout: float) -> None:
        self.sock = sock
        self.write_timeout = write_timeout
        self.started = time.monotonic()
        self.trace: list = []
        self.sent = 0

    def note(self, direction: str, offset: int, data: bytes) -> None:
        if len(self.trace) < TRACE_ENTRIES:
            when = round(time.monotonic() - self.started, 6)
            self.trace.append((direction, offset, when, data[:TRACE_BYTES].hex()))

    def send(self, data: bytes, label: str = "send") -> bool:
        """Write all of ``data``; False when the endpoint closed or reset the connection first.

        TargetTimeout when the endpoint stops reading for ``write_timeout`` seconds."""
        self.sock.settimeout(self.write_timeout)
        try:
            self.sock.sendall(data)
        except TimeoutError:
            raise TargetTimeout(f"the endpoint stopped reading after {self.sent} bytes") from None
        except OSError as exc:
            if exc.errno in PEER_GONE or isinstance(exc, (BrokenPipeError, ConnectionResetError)):
                return False
            raise
        self.note(label, self.sent, data)
        self.sent += len(data)
        return True

    def shutdown_write(self) -> bool:
        """Half-close: no more data from us.  False when the connection is already gone."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError as exc:
            if exc.errno in PEER_GONE:
                return False
            raise
        return True

    def recv(self, until: float, size: int = 65536) -> bytes | None:
        """The next bytes, b"" when the endpoint closed or reset, None when ``until`` passed."""
        while True:
            remaining = until - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                return self.sock.recv(size)
            except TimeoutError:
                continue
            except OSError as exc:
                if exc.errno in PEER_GONE or isinstance(exc, ConnectionResetError):
                    return b""
                raise

    def close(self) -> None:
        self.sock.close()
