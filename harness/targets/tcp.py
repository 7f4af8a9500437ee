"""Drive an echo endpoint over TCP (see docs/endpoint-contract.md).

Each delivery is one fresh connection.  The chunks are separate writes with
TCP_NODELAY.  The outcome is decided without fixed sleeps:

* expected ``ok`` (or ``close``): send a sentinel frame after the input.  Its echo
  proves that every earlier echo has arrived and the connection is alive; a close
  first means the endpoint closed.  An endpoint that should have closed but echoes
  the sentinel carried on past invalid input, found without waiting out a timeout.
* expected ``incomplete``: half-close, and expect a close with nothing more echoed.

Echoed bytes are untrusted: they are read up to ``read_limit`` bytes, decoded with
the reference decoder, and must be exactly the canonical encoding of what they
decode to.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Sequence

from harness.codecs import NOT_FRAMES, DialectSelected, ProtocolError, banana
from harness.oracle import Observation, make_decoder, make_encoder
from harness.vectors import Vector
from harness.vectors.values import to_json

from .base import EndpointUnavailable, TargetTimeout, Unsupported

SENTINEL = b"wirecheck-sentinel"
TRACE_BYTES = 256  # bytes of each read or write kept in the trace
TRACE_ENTRIES = 200  # reads and writes kept per delivery; a dripping endpoint cannot grow it
EXTRA_FRAMES = 8  # echoed frames beyond those sent (and the sentinel) before we stop listening


BANANA_SENTINEL = [b"wirecheck-sentinel", 7]


class BadOffer(Exception):
    """The Banana server's opening offer is missing or malformed: a conformance failure."""


def choose_sentinel(vector: Vector, encode):
    """A frame the endpoint must accept, and unlike every expected frame where possible."""
    if vector.protocol == "banana":
        return BANANA_SENTINEL
    max_length = vector.params.get("max_length", len(SENTINEL))
    expected = {bytes.fromhex(f) for f in vector.expected.frames}  # framing protocols: hex frames
    for candidate in (SENTINEL, b"wcs", b"w", b"x"):
        payload = candidate[:max_length]
        try:
            encode(payload)
        except ValueError:
            continue
        if payload not in expected:
            return payload
    return b""


class TcpTarget:
    """An endpoint already listening at ``host:port``."""

    reports_reasons = False
    # Over a socket every delivery is a connection: whole, one byte per write for inputs up to
    # 1 KiB, every two-way split up to 16 bytes, and explicit chunks.
    split_all_up_to = 16
    bytewise_up_to = 1024
    #: Pause between the writes of a vector's explicit chunks (the splits the vector is about), so
    #: that the endpoint sees them as separate reads: without it the kernel may merge them and a
    #: split-dependent bug goes unseen.  Other deliveries are written back to back with TCP_NODELAY
    #: (the stack may still merge them); --delay paces every write.
    split_pause = 0.002
    #: Properties cut streams into at most this many writes here: each gap is paced.
    property_max_chunks = 16
    #: Pause before the sentinel: the sanity case sets it, so that an endpoint that merges
    #: frames arriving together is not mistaken for one that stopped answering.
    sentinel_pause = 0.0
    #: Set by the runner: a monotonic time no delivery may run past.
    run_deadline: float | None = None

    def __init__(self, host: str, port: int, timeout: float = 5.0, read_limit: int = 1 << 20, delay: float = 0.0):
        self.host, self.port = host, port
        self.name = f"tcp://{host}:{port}"
        self.timeout = timeout
        self.read_limit = read_limit
        self.delay = delay

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except ConnectionRefusedError as exc:
            raise EndpointUnavailable(f"{self.name} refused the connection") from exc
        except ConnectionResetError:
            return None  # accepted, then reset at once: the endpoint closed this connection
        except TimeoutError as exc:
            raise EndpointUnavailable(f"{self.name} did not accept within {self.timeout}s") from exc
        except OSError as exc:
            raise EndpointUnavailable(f"{self.name}: {exc.strerror or exc}") from exc
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            sock.close()
            return None
        return sock

    def _banana_plan(self, vector: Vector) -> tuple[bytes | None, bool]:
        """(dialect the echoes will use, whether we send the choice ourselves)."""
        role = vector.params.get("role")
        if role == "client":
            raise Unsupported("the Banana client role is tested with --listen, not --target")
        if role == "peer":
            return vector.params["dialect"].encode(), True
        if vector.expected.dialect is None and vector.expected.outcome["status"] != "close":
            raise Unsupported("the input never completes the handshake: nothing a socket can observe")
        return (vector.expected.dialect or "none").encode(), False

    def _read_offer(self, sock: socket.socket, deadline: float, note) -> tuple[list, bytes]:
        """The server's opening expression, and any bytes that came after it."""
        decoder = banana.BananaDecoder(b"none")
        got = bytearray()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TargetTimeout("the Banana server sent no offer")
            sock.settimeout(remaining)
            try:
                data = sock.recv(4096)
            except TimeoutError:
                continue
            if not data:
                raise BadOffer("the endpoint closed without sending a Banana offer")
            note("recv-offer", len(got), data)
            for i in range(len(data)):
                got.append(data[i])
                events = decoder.feed(data[i : i + 1])
                if events:
                    offer = events[0]
                    if isinstance(offer, ProtocolError) or not isinstance(offer, list) or len(got) > 4096:
                        raise BadOffer(f"the endpoint's offer is not a Banana list: {bytes(got[:64]).hex()}")
                    if not offer or not all(isinstance(x, bytes) for x in offer):
                        raise BadOffer(f"the endpoint's offer is not a list of dialect names: {offer!r:.200}")
                    return offer, bytes(data[i + 1 :])

    def _open_banana(self, sock, vector: Vector, dialect: bytes, choose: bool, started: float, note, echo) -> bool:
        """The endpoint is the server: read and check its offer, and answer it for peer vectors.

        Returns False if the endpoint already closed."""
        offer, early = self._read_offer(sock, started + self.timeout, note)
        offered = [x.decode("latin-1") for x in offer if isinstance(x, bytes)]
        if not choose and offered != vector.params["dialects"]:
            raise Unsupported(
                f"the endpoint offers {offered}; these vectors follow an offer of {vector.params['dialects']}"
            )
        if choose and dialect.decode() not in offered:
            raise Unsupported(f"the endpoint does not offer dialect {dialect.decode()!r} (it offers {offered})")
        if early and not echo.feed(early):
            return False
        if choose:
            sock.sendall(banana.encode(dialect, dialect=None))
        return True

    def _echo_reader(self, vector: Vector, encode, dialect: bytes | None) -> _EchoReader:
        return _EchoReader(vector, encode, self.read_limit, dialect)

    def deliver(self, vector: Vector, chunks: Sequence[bytes]) -> Observation:
        status = vector.expected.outcome["status"]
        is_banana = vector.protocol == "banana"
        dialect, choose = self._banana_plan(vector) if is_banana else (None, False)
        encode = make_encoder(vector.protocol, vector.params, dialect)
        sentinel = None if status == "incomplete" else choose_sentinel(vector, encode)
        echo = self._echo_reader(vector, encode, dialect)
        sock = self._connect()
        if sock is None:
            return echo.observation(sentinel, True, status)
        try:
            return self._deliver_on(sock, vector, chunks, status, is_banana, dialect, choose, encode, sentinel, echo)
        except BadOffer as exc:
            sock.close()
            return Observation(status="close", problems=[str(exc)], dialect=...)

    def offer(self) -> list[bytes]:
        """Connect once and return the Banana server's offer (for handshake cases)."""
        sock = self._connect()
        if sock is None:
            raise BadOffer("the endpoint reset the connection before offering")
        with sock:
            offer, _ = self._read_offer(sock, time.monotonic() + self.timeout, lambda *a: None)
        return offer

    def _deliver_on(self, sock, vector, chunks, status, is_banana, dialect, choose, encode, sentinel, echo):
        started = time.monotonic()
        trace: list = []
        sent = 0
        explicit = vector.chunks is not None and len(chunks) > 1 and tuple(chunks) == vector.chunks
        pause = self.delay or (self.split_pause if explicit else 0.0)

        def note(direction: str, offset: int, data: bytes) -> None:
            if len(trace) < TRACE_ENTRIES:
                trace.append((direction, offset, round(time.monotonic() - started, 6), data[:TRACE_BYTES].hex()))

        with sock:
            closed = False
            if is_banana and not self._open_banana(sock, vector, dialect, choose, started, note, echo):
                closed = True
            try:
                for i, chunk in enumerate(chunks):
                    if pause and i:
                        time.sleep(pause)  # between writes only: the last one needs no gap after it
                    sock.sendall(chunk)
                    note("send", sent, chunk)
                    sent += len(chunk)
                if sentinel is None:
                    sock.shutdown(socket.SHUT_WR)
                else:
                    if self.sentinel_pause and sent:
                        time.sleep(self.sentinel_pause)
                    frame = encode(sentinel)
                    sock.sendall(frame)
                    note("send-sentinel", sent, frame)
            except (BrokenPipeError, ConnectionResetError):
                closed = True  # it closed while we were still writing: a close, however it came
            except TimeoutError:
                raise TargetTimeout(f"the endpoint stopped reading after {sent} bytes") from None
            deadline = started + self.timeout
            if self.run_deadline is not None:
                deadline = min(deadline, self.run_deadline)
            while not echo.done(sentinel):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    waited = round(time.monotonic() - started, 2)
                    raise TargetTimeout(f"no close and no sentinel echo within {waited}s; {echo.summary()}")
                sock.settimeout(remaining)
                try:
                    data = sock.recv(65536)
                except (ConnectionResetError, BrokenPipeError):
                    data = b""
                except TimeoutError:
                    continue
                if not data:
                    closed = True
                    break
                note("recv", echo.received, data)
                if not echo.feed(data):
                    break  # flooded: stop reading, the case has failed
        obs = echo.observation(sentinel, closed, status)
        obs.trace = trace
        return obs


class _EchoReader:
    """Decodes what the endpoint echoes, within a byte budget."""

    def __init__(
        self, vector: Vector, encode, read_limit: int, dialect: bytes | None = None, choice_from: list | None = None
    ) -> None:
        """``choice_from``: the endpoint is a Banana client that first answers this offer."""
        self.is_banana = vector.protocol == "banana"
        self.chosen: bytes | None = None
        self.choosing = choice_from is not None
        if self.choosing:
            offered = tuple(x for x in choice_from if isinstance(x, bytes))
            self.decoder = banana.BananaDecoder(None, role="server", dialects=offered, size_limit=read_limit)
        elif self.is_banana:
            self.decoder = banana.BananaDecoder(dialect or b"none", size_limit=read_limit)
        else:
            self.decoder = make_decoder(vector.protocol, dict(vector.params, max_length=read_limit))
        self.encode = encode
        self.read_limit = read_limit
        self.expected_count = len(vector.expected.frames)
        self.frames: list[bytes] = []
        self.received = 0
        self.raw = bytearray()
        self.problems: list[str] = []

    def feed(self, data: bytes) -> bool:
        self.received += len(data)
        if self.received > self.read_limit:
            self.problems.append(f"endpoint sent more than {self.read_limit} bytes: flood")
            return False
        self.raw += data
        for event in self.decoder.feed(data):
            if isinstance(event, ProtocolError):
                self.problems.append(f"echo is not valid framing: {event.reason} at echo offset {event.offset}")
                return False
            if isinstance(event, DialectSelected):
                self.chosen = event.dialect
                self.encode = make_encoder("banana", {}, event.dialect)
            elif not isinstance(event, NOT_FRAMES):
                if len(self.frames) > self.expected_count + EXTRA_FRAMES:
                    self.problems.append(f"echoed over {len(self.frames)} frames for {self.expected_count} sent")
                    return False
                self.frames.append(event)
        return True

    def done(self, sentinel: bytes | None) -> bool:
        if self.problems:
            return True
        if sentinel is None or not self.frames:
            return False
        if self.frames[-1] == sentinel and (len(self.frames) > self.expected_count or sentinel != b""):
            return True
        return len(self.frames) > self.expected_count + EXTRA_FRAMES  # far past anything expected

    def summary(self) -> str:
        return f"{len(self.frames)} frames echoed ({self.received} bytes)"

    def observation(self, sentinel: bytes | None, closed: bool, expected_status: str) -> Observation:
        frames = list(self.frames)
        obs = Observation(problems=list(self.problems))
        if sentinel is not None and frames and frames[-1] == sentinel and not closed:
            frames.pop()
            obs.status = "ok"
        elif sentinel is None:
            obs.status = "incomplete" if closed else "ok"
        else:
            obs.status = "close"
        if self.decoder.in_frame and not obs.problems:
            obs.problems.append("the echo ends inside a frame")
        handshake = banana.encode(self.chosen, dialect=None) if self.chosen is not None else b""
        canonical = handshake + b"".join(self.encode(f) for f in self.frames)
        if not obs.problems and canonical != bytes(self.raw):
            obs.problems.append("echo is not the canonical encoding of the frames it holds")
        obs.frames = [to_json(f) for f in frames] if self.is_banana else [f.hex() for f in frames]
        if self.choosing:  # the endpoint's own answer to an offer: both are on the wire
            obs.dialect = self.chosen.decode("latin-1") if self.chosen is not None else None
            obs.reply = handshake.hex()
        else:
            obs.dialect = ...  # a socket cannot see which dialect a server settled on
        return obs


def banana_handshake_cases(offer: list[bytes] | None) -> list[Vector]:
    """Cases built from a Banana server's actual offer.

    Every offered dialect can be chosen (and an expression then echoes in it), and an
    unknown choice is refused with a close.  ``offer=None`` (no valid offer) yields one
    case that fails on the offer itself.
    """
    from harness.vectors import Expectation

    names = [x.decode("latin-1") for x in offer] if offer else ["none"]
    params = {"role": "server", "dialects": names, "strict": False}
    probe = [1, b"hi"]

    def case(slug: str, description: str, data: bytes, frames: list, outcome: dict, dialect) -> Vector:
        return Vector(
            id=f"banana-endpoint-handshake-{slug}", family="banana", protocol="banana", params=params,
            description=description, ref="Banana spec 9.2.5", flags=("Handshake",), input=data, chunks=None,
            expected=Expectation(tuple(frames), outcome, dialect, ...), result="valid" if frames else "invalid",
            alternatives=(),
        )  # fmt: skip

    cases = []
    for name in names:
        raw = name.encode("latin-1")
        cases.append(case(
            f"choose-{name}", f"The endpoint offers {name!r}; choosing it works and echoes follow in it.",
            banana.encode(raw, dialect=None) + banana.encode(probe, dialect=raw), [to_json(probe)],
            {"status": "ok"}, name,
        ))  # fmt: skip
    cases.append(case(
        "unknown-choice", "A dialect the endpoint did not offer is refused with a close.",
        banana.encode(b"wirecheck-no-such-dialect", dialect=None), [], {"status": "close"}, None,
    ))  # fmt: skip
    return cases
