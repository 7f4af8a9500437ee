"""Echo endpoints over TCP (docs/endpoint-contract.md): a server wirecheck connects to, or a
client that connects to wirecheck.

Each delivery is one fresh connection.  The chunks are separate writes with TCP_NODELAY.
The outcome is decided without fixed sleeps:

* expected ``ok`` (or ``close``): send a sentinel frame after the input.  Its echo
  proves that every earlier echo has arrived and the connection is alive; a close
  first means the endpoint closed.  An endpoint that should have closed but echoes
  the sentinel carried on past invalid input, found without waiting out a timeout.
* expected ``incomplete``: half-close, and expect a close with nothing more echoed.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import contextmanager

from wirecheck import protocols
from wirecheck.checks import Target
from wirecheck.errors import RunDeadline, TargetTimeout
from wirecheck.oracle import Observation
from wirecheck.vectors import Vector

from .echo import EchoReader, choose_sentinel, echo_decoder
from .handshake import BadOffer, Opening, read_offer
from .transport import Connection, Listener, connect

#: Bytes an echo may have beyond the input's length: the sentinel's echo, a handshake answer.
ECHO_SLACK = 64 * 1024


class EndpointTarget(Target):
    """What the socket targets share; a subclass says how a connection is made (``_open``)
    and which side the endpoint plays (``endpoint_role``)."""

    endpoint = True
    reports_reasons = False
    # Over a socket every delivery is a connection: whole, one byte per write for inputs up to
    # 1 KiB, every two-way split up to 16 bytes, and explicit chunks.
    split_all_up_to = 16
    bytewise_up_to = 1024
    #: Properties cut streams into at most this many writes here: each gap is paced.
    max_chunks = 16
    #: Pause between the writes of a vector's explicit chunks (the splits the vector is about), so
    #: that the endpoint sees them as separate reads: without it the kernel may merge them and a
    #: split-dependent bug goes unseen.  Other deliveries are written back to back with TCP_NODELAY
    #: (the stack may still merge them); ``delay`` paces every write.  10 ms: at 2 ms a busy
    #: machine (a CI runner with every core taken) let the endpoint read two chunks as one.
    split_pause = 0.01
    #: "server" when wirecheck connects to the endpoint, "client" when the endpoint connects.
    endpoint_role = "server"

    def __init__(self, timeout: float = 5.0, read_limit: int = 1 << 20, delay: float = 0.0) -> None:
        self.timeout = timeout
        self.read_limit = read_limit
        self.delay = delay
        self.run_deadline: float | None = None

    def set_deadline(self, when: float | None) -> None:
        self.run_deadline = when

    def _open(self, until: float) -> Connection | None:
        """A connection for one delivery, bounded by ``until``; None when the endpoint reset it at once."""
        raise NotImplementedError

    def budget(self, chunks: Sequence[bytes], pause: float, settle: float) -> float:
        """When one delivery must be over (a monotonic time): ``timeout`` for the endpoint's
        part, plus the pauses wirecheck itself takes between writes, fixed before the first
        byte so that an endpoint dripping its answers cannot stretch it; never past the run's
        deadline."""
        until = time.monotonic() + self.timeout + pause * max(0, len(chunks) - 1) + settle
        return until if self.run_deadline is None else min(until, self.run_deadline)

    @contextmanager
    def _deadline_bound(self, until: float):
        """A timeout within a delivery whose budget the run's deadline cut is the deadline's
        doing, not the endpoint's: it becomes RunDeadline (not run), never a TIMEOUT verdict."""
        try:
            yield
        except TargetTimeout as exc:
            if self.run_deadline is not None and until >= self.run_deadline:
                raise RunDeadline(f"the run's deadline passed during this delivery ({exc})") from None
            raise

    def deliver(self, vector: Vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        spec = protocols.get(vector.protocol)
        status = vector.expected.outcome["status"]
        opening = Opening(vector, self.endpoint_role) if spec.handshake else None
        encode = spec.encoder(vector.params, opening.dialect if opening else None)
        sentinel = None if status == "incomplete" else choose_sentinel(spec, vector, encode)
        # A canonical echo is never longer than what was sent (and the sentinel): the budget grows with it.
        budget = max(self.read_limit, sum(map(len, chunks)) + ECHO_SLACK)
        if opening is not None:
            echo = EchoReader(spec, vector, encode, budget, opening.echo_decoder(budget),
                              reports_choice=opening.reports_choice)  # fmt: skip
        else:
            echo = EchoReader(spec, vector, encode, budget, echo_decoder(spec, vector.params, budget))
        explicit = vector.chunks is not None and len(chunks) > 1 and tuple(chunks) == vector.chunks
        pause = self.delay or (self.split_pause if explicit else 0.0)
        until = self.budget(chunks, pause, settle)
        with self._deadline_bound(until):
            conn = self._open(until)
            if conn is None:
                return echo.observation(sentinel, True)
            try:
                closed = self._exchange(conn, chunks, pause, opening, echo, encode, sentinel, settle)
            except BadOffer as exc:
                return Observation(status="close", problems=[str(exc)], dialect=...)
            finally:
                conn.close()
        obs = echo.observation(sentinel, closed)
        obs.trace = conn.trace
        return obs

    def _exchange(self, conn: Connection, chunks, pause: float, opening, echo, encode, sentinel, settle) -> bool:
        """Write the input and read the echoes; True when the endpoint closed the connection."""
        until = conn.until
        if opening is not None and not opening.begin(conn, until, echo):
            return True
        heard = _EchoSink(conn, echo)
        if self._write(conn, chunks, pause, heard):
            if sentinel is None:
                # A stream that ends inside a frame: first the echoes owed for the frames before it,
                # then the half-close.  An endpoint without half-close support (Twisted's protocols
                # that are not IHalfCloseableProtocol) drops its queued echoes when it sees the FIN.
                # Owed echoes that do not come within half the timeout are left to the frames to tell.
                owed_until = min(until, time.monotonic() + self.timeout / 2)
                if self._read(conn, echo, owed_until, owed=echo.expected_count):
                    return True
                conn.shutdown_write()  # if the endpoint is gone already, the read below sees the close
            else:
                if settle and conn.sent:
                    conn.pause(settle)
                conn.send(encode(sentinel), "send-sentinel", heard)
        # Read even when the endpoint closed while we wrote: what it echoed before closing is observed.
        if self._read(conn, echo, until, sentinel=sentinel) is None:
            waited = round(time.monotonic() - conn.started, 2)
            summary = f"no close and no sentinel echo within {waited}s; {echo.summary()}"
            raise TargetTimeout(summary, echo.received, kind="no-answer")
        return echo.closed

    @staticmethod
    def _write(conn: Connection, chunks, pause: float, heard: _EchoSink) -> bool:
        """The input, paced; False when the endpoint closed (or its echo went wrong) before it was all written."""
        for i, chunk in enumerate(chunks):
            if pause and i:
                conn.pause(pause)  # between writes only: the last one needs no gap after it
            if not conn.send(chunk, on_read=heard) or heard.stopped:
                return False  # it closed while we were still writing: a close, however it came
        return True

    @staticmethod
    def _read(conn: Connection, echo, until: float, sentinel=None, owed: int | None = None) -> bool | None:
        """Read echoes until the sentinel's echo (or ``owed`` frames) has come, the endpoint
        closed, or the echo went wrong.  True when it closed, False when done otherwise, None
        when ``until`` passed first."""
        while not echo.closed:
            if echo.problems or (len(echo.frames) >= owed if owed is not None else echo.done(sentinel)):
                return False
            data = conn.recv(until)
            if data is None:
                return None
            if not data:
                echo.closed = True
                return True
            conn.note("recv", echo.received, data)
            if not echo.feed(data):
                return False  # flooded: stop reading, the case has failed
        return True


class _EchoSink:
    """Where bytes read while writing go: the echo reader, as ``_read`` would give them."""

    def __init__(self, conn: Connection, echo) -> None:
        self.conn, self.echo = conn, echo

    def __call__(self, data: bytes) -> bool:
        if not data:
            self.echo.closed = True
            return True  # keep writing until the kernel says the connection is gone
        self.conn.note("recv", self.echo.received, data)
        return self.echo.feed(data)

    @property
    def stopped(self) -> bool:
        """The echo already failed (a flood, bytes that are not framing): writing more is pointless."""
        return bool(self.echo.problems)


class TcpTarget(EndpointTarget):
    """An echo server already listening at ``host:port``."""

    reads_offers = True

    def __init__(self, host: str, port: int, **options) -> None:
        super().__init__(**options)
        self.host, self.port = host, port
        self.name = f"tcp://{host}:{port}"

    def _open(self, until: float) -> Connection | None:
        sock = connect(self.host, self.port, max(0.001, min(self.timeout, until - time.monotonic())), self.name)
        return None if sock is None else Connection(sock, until)

    def offer(self) -> list[bytes]:
        """Connect once and return the Banana server's offer (for handshake cases)."""
        until = time.monotonic() + self.timeout
        until = until if self.run_deadline is None else min(until, self.run_deadline)
        with self._deadline_bound(until):
            conn = self._open(until)
            if conn is None:
                raise BadOffer("the endpoint reset the connection before offering")
            try:
                offer, _ = read_offer(conn, conn.until)
            finally:
                conn.close()
        return offer


class ListenTarget(EndpointTarget):
    """Client mode: wirecheck listens, and the client under test connects once per delivery."""

    endpoint_role = "client"

    def __init__(self, host: str, port: int, **options) -> None:
        super().__init__(**options)
        self.listener = Listener(host, port)
        self.host, self.port = self.listener.host, self.listener.port
        self.name = f"listen://{self.host}:{self.port}"

    def _open(self, until: float) -> Connection | None:
        return Connection(self.listener.accept(until), until)

    def close(self) -> None:
        self.listener.close()
