"""Reading what an echo endpoint sends back, and the sentinel that ends a delivery.

Echoed bytes are untrusted: they are read up to a byte budget, decoded with a reference
decoder, and must be exactly the canonical encoding of what they decode to.  The
sentinel is a frame sent after the input: its echo proves that every earlier echo has
arrived and that the connection is alive (docs/endpoint-contract.md).
"""

from __future__ import annotations

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES, DialectSelected, ProtocolError
from wirecheck.codecs.spec import ProtocolSpec
from wirecheck.oracle import Observation
from wirecheck.vectors import Vector

SENTINEL = b"wirecheck-sentinel"
EXTRA_FRAMES = 8  # echoed frames beyond those sent (and the sentinel) before we stop listening


def choose_sentinel(spec: ProtocolSpec, vector: Vector, encode):
    """A frame the endpoint must accept, and unlike every expected frame where possible."""
    if spec.structured:
        return [SENTINEL, 7]
    limit = spec.limit(vector.params)
    expected = {bytes.fromhex(f) for f in vector.expected.frames}  # byte payloads: hex frames
    for candidate in (SENTINEL, b"wcs", b"w", b"x"):
        payload = candidate if limit is None else candidate[:limit]
        try:
            encode(payload)
        except ValueError:
            continue
        if payload not in expected:
            return payload
    return b""


def echo_decoder(spec: ProtocolSpec, params: dict, read_limit: int):
    """A reference decoder for the echoes, whose maximum is the read budget, not the run's."""
    if spec.param("max_length") is not None:
        params = {**params, "max_length": read_limit}
    return spec.decoder(params)


class EchoReader:
    """Decodes what the endpoint echoes, within a byte budget.

    ``reports_choice``: the endpoint is a handshake client whose first answer (its choice
    of dialect) is part of what the vector checks.
    """

    def __init__(self, spec: ProtocolSpec, vector: Vector, encode, read_limit: int, decoder,
                 reports_choice: bool = False) -> None:  # fmt: skip
        self.spec = spec
        self.params = vector.params
        self.decoder = decoder
        self.encode = encode
        self.read_limit = read_limit
        self.reports_choice = reports_choice
        self.expected_count = len(vector.expected.frames)
        self.chosen: bytes | None = None
        self.choice_bytes = b""
        self.frames: list = []
        self.received = 0
        self.raw = bytearray()
        self.problems: list[str] = []
        #: The endpoint closed the connection (its side of it).
        self.closed = False

    def feed(self, data: bytes) -> bool:
        """Take echoed bytes; False once reading should stop (a flood, or bytes that are not framing)."""
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
                self.choice_bytes = self.spec.encoder(self.params, None)(event.dialect)
                self.encode = self.spec.encoder(self.params, event.dialect)
            elif not isinstance(event, NOT_FRAMES):
                if len(self.frames) > self.expected_count + EXTRA_FRAMES:
                    self.problems.append(f"echoed over {len(self.frames)} frames for {self.expected_count} sent")
                    return False
                self.frames.append(event)
        return True

    def done(self, sentinel) -> bool:
        """Has the delivery's outcome been seen (the sentinel's echo, or a problem)?"""
        if self.problems:
            return True
        if sentinel is None or not self.frames:
            return False
        if self.frames[-1] == sentinel and (len(self.frames) > self.expected_count or sentinel != b""):
            return True
        return len(self.frames) > self.expected_count + EXTRA_FRAMES  # far past anything expected

    def summary(self) -> str:
        return f"{len(self.frames)} frames echoed ({self.received} bytes)"

    def observation(self, sentinel, closed: bool) -> Observation:
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
        try:
            canonical = self.choice_bytes + b"".join(self.encode(f) for f in self.frames)
        except ValueError as exc:  # EncodeError: a value beyond what the protocol allows (Banana's size limit)
            obs.problems.append(f"the echo holds what the protocol cannot carry: {exc}")
        else:
            if not obs.problems and canonical != bytes(self.raw):
                obs.problems.append("echo is not the canonical encoding of the frames it holds")
        obs.frames = [protocols.frame_to_json(self.spec, f) for f in frames]
        if self.reports_choice:  # the endpoint's own answer to an offer: both are on the wire
            obs.dialect = self.chosen.decode("latin-1") if self.chosen is not None else None
            obs.reply = self.choice_bytes.hex()
        else:
            obs.dialect = ...  # a socket cannot see which dialect a server settled on
        return obs
