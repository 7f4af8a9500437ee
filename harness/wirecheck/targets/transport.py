"""TCP for the socket targets: connecting, accepting, and one connection's writes and reads.

Every wait has a bound.  A connection records a trace of what crossed the wire (the
first bytes of each read and write, a bounded number of entries), which reports show.
What the endpoint does to the connection (a close, a reset) is returned as data, never
raised: it is an observation about the endpoint, not an error of the harness.
"""

from __future__ import annotations

import errno
import select
import socket
import time

from wirecheck.errors import EndpointUnavailable, TargetTimeout

TRACE_BYTES = 256  # bytes of each read or write kept in the trace
WRITE_SLICE = 256 * 1024  # bytes per send() call while writing
TRACE_ENTRIES = 200  # reads and writes kept per delivery; a dripping endpoint cannot grow it
#: Errors that mean the endpoint closed or reset the connection under us.
PEER_GONE = (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN, errno.ECONNABORTED, errno.ESHUTDOWN)
#: Errors that mean no route leads to the endpoint.
UNREACHABLE = (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN, errno.EADDRNOTAVAIL)


def connect(host: str, port: int, timeout: float, name: str) -> socket.socket | None:
    """A fresh connection with TCP_NODELAY; None when the endpoint accepted and reset it at once.

    EndpointUnavailable says which of the ways an endpoint cannot be reached it was: a name
    that does not resolve, a refusal, no route, no answer to the connection attempt."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as exc:
        raise EndpointUnavailable(f"{name}: cannot resolve {host!r} ({exc.strerror or exc})", "unresolvable") from None
    except ConnectionRefusedError:
        raise EndpointUnavailable(f"{name} refused the connection: nothing listens there", "refused") from None
    except ConnectionResetError:
        return None  # accepted, then reset at once: the endpoint closed this connection
    except TimeoutError:
        raise EndpointUnavailable(f"{name} did not accept within {timeout:g}s", "unreachable") from None
    except OSError as exc:
        if exc.errno in UNREACHABLE:
            raise EndpointUnavailable(f"{name}: {exc.strerror}", "unreachable") from None
        raise EndpointUnavailable(f"{name}: {exc.strerror or exc}") from None
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

    def accept(self, until: float) -> socket.socket:
        """The next client's connection; TargetTimeout when none came before ``until``."""
        waited = time.monotonic()
        self.sock.settimeout(max(0.001, until - waited))
        try:
            sock, _ = self.sock.accept()
        except TimeoutError:
            waited = time.monotonic() - waited
            raise TargetTimeout(
                f"no client connected to {self.host}:{self.port} within {waited:.1f}s", kind="no-client"
            ) from None
        sock.settimeout(max(0.001, until - time.monotonic()))  # never blocking: every call below has a bound
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # the client is gone already: the reads see it
        return sock

    def close(self) -> None:
        self.sock.close()


class Connection:
    """One delivery's connection: writes and reads bounded by ``until`` (a monotonic time, the
    delivery's budget), and the trace of both."""

    def __init__(self, sock: socket.socket, until: float) -> None:
        self.sock = sock
        self.until = until
        self.started = time.monotonic()
        self.trace: list = []
        self.sent = 0

    def note(self, direction: str, offset: int, data: bytes) -> None:
        if len(self.trace) < TRACE_ENTRIES:
            when = round(time.monotonic() - self.started, 6)
            self.trace.append((direction, offset, when, data[:TRACE_BYTES].hex()))

    def send(self, data: bytes, label: str = "send", on_read=None) -> bool:
        """Write all of ``data``; False when the endpoint closed or reset the connection first,
        or when ``on_read`` returned False.

        While writing, whatever the endpoint sends is read and given to ``on_read`` (b"" when
        it closed): an echo endpoint that answers as it reads is never left blocked on a full
        socket buffer, which would stop it reading what we write.  TargetTimeout when the
        budget runs out first (an endpoint that stopped reading)."""
        view = memoryview(data)
        done = 0
        reading = on_read is not None
        self.sock.setblocking(False)
        poller = select.poll()  # poll, not select: no FD_SETSIZE limit on which descriptors it can watch
        poller.register(self.sock, (select.POLLIN if reading else 0) | select.POLLOUT)
        try:
            while done < len(view):
                remaining = self.until - time.monotonic()
                if remaining <= 0:
                    raise TargetTimeout(f"the endpoint stopped reading after {self.sent + done} bytes")
                ready = {mask for _, mask in poller.poll(remaining * 1000)}
                readable = any(m & (select.POLLIN | select.POLLHUP | select.POLLERR) for m in ready) and reading
                writable = any(m & (select.POLLOUT | select.POLLERR | select.POLLHUP) for m in ready)
                if readable:
                    got = self._recv_now()
                    if got is not None:
                        reading = bool(got)
                        if not got:
                            poller.modify(self.sock, select.POLLOUT)  # it closed: only writing is left
                            self.note("recv-close", self.sent + done, b"")
                        if on_read(got) is False:
                            return False
                if writable:
                    try:
                        done += self.sock.send(view[done : done + WRITE_SLICE])
                    except BlockingIOError:
                        continue
                    except OSError as exc:
                        if exc.errno in PEER_GONE:
                            return False
                        raise
        finally:
            if done:
                self.note(label, self.sent, data[: min(done, TRACE_BYTES)])  # the trace keeps no more
                self.sent += done
        return True

    def _recv_now(self) -> bytes | None:
        """Bytes that are ready, b"" for a close or reset, None when nothing was after all."""
        try:
            return self.sock.recv(65536)
        except BlockingIOError:
            return None
        except OSError as exc:
            if exc.errno in PEER_GONE:
                return b""
            raise

    def pause(self, seconds: float) -> None:
        """Sleep between paced writes, never past the budget."""
        remaining = self.until - time.monotonic()
        if seconds >= remaining:
            raise TargetTimeout(f"the delivery's time ran out while pacing writes, after {self.sent} bytes")
        time.sleep(seconds)

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
