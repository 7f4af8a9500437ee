"""The opening of a Banana connection over a socket: the server's offer and the client's choice.

Banana is the one registered protocol whose connections open with a handshake
(``ProtocolSpec.handshake``).  When wirecheck connects (``--target``), the endpoint is
the server: its offer is read and checked, and for peer vectors wirecheck chooses the
group's dialect.  When the endpoint connects (``--listen``), it is the client:
wirecheck offers the group's dialect for peer vectors, and for client vectors the
offer is the vector's own input and the client's answer is checked too.
"""

from __future__ import annotations

import hashlib
import re

from wirecheck.codecs import ProtocolError, banana
from wirecheck.errors import TargetTimeout, Unsupported
from wirecheck.oracle import Expectation
from wirecheck.protocols.values import to_json
from wirecheck.vectors import Vector

from .transport import Connection

#: The most bytes an offer may take.
OFFER_LIMIT = 4096


class BadOffer(Exception):
    """The Banana server's opening offer is missing or malformed: a conformance failure."""


class Opening:
    """How one delivery of ``vector`` opens, with the endpoint playing ``endpoint_role``."""

    def __init__(self, vector: Vector, endpoint_role: str) -> None:
        role = vector.params["role"]
        self.vector = vector
        self.endpoint_role = endpoint_role
        if endpoint_role == "server" and role == "client":
            raise Unsupported("the Banana client role is tested with --listen, not --target")
        if endpoint_role == "client" and role == "server":
            raise Unsupported("the Banana server role is tested with --target, not --listen")
        #: wirecheck picks (or offers) the group's dialect itself: peer vectors.
        self.choose = role == "peer"
        if self.choose:
            self.dialect = vector.params["dialect"].encode()
        else:
            if endpoint_role == "server" and vector.expected.dialect is None:
                if vector.expected.outcome["status"] != "close":
                    raise Unsupported("the input never completes the handshake: nothing a socket can observe")
            self.dialect = (vector.expected.dialect or "none").encode()
        #: The endpoint is a client answering a vector's own offer: its choice is observed.
        self.reports_choice = endpoint_role == "client" and not self.choose

    def echo_decoder(self, read_limit: int) -> banana.BananaDecoder:
        """Decodes the echoes, and first, from a client, its answer to the offer it was given."""
        if self.endpoint_role == "client":
            offered = tuple(x for x in self._offer() if isinstance(x, bytes))
            return banana.BananaDecoder(None, role="server", dialects=offered, size_limit=read_limit)
        return banana.BananaDecoder(self.dialect, size_limit=read_limit)

    def _offer(self) -> list:
        """What the client is offered: the group's dialect (peer vectors) or the vector's own offer."""
        if self.choose:
            return [self.dialect]
        (offer, *_) = banana.BananaDecoder(b"none").feed(self.vector.input) or [[]]
        return offer if isinstance(offer, list) else []

    def begin(self, conn: Connection, until: float, echo) -> bool:
        """Open the connection; False when the endpoint closed it already."""
        if self.endpoint_role == "client":
            if self.choose:  # we offer the group's dialect; the client's choice comes back first
                return conn.send(banana.encode([self.dialect], dialect=None), "send-offer")
            return True
        offer, early = read_offer(conn, until)
        offered = [x.decode("latin-1") for x in offer]
        if not self.choose and offered != self.vector.params["dialects"]:
            raise Unsupported(
                f"the endpoint offers {offered}; these vectors follow an offer of {self.vector.params['dialects']}"
            )
        if self.choose and self.dialect.decode() not in offered:
            raise Unsupported(f"the endpoint does not offer dialect {self.dialect.decode()!r} (it offers {offered})")
        if early and not echo.feed(early):
            return False
        return conn.send(banana.encode(self.dialect, dialect=None), "send-choice") if self.choose else True


def read_offer(conn: Connection, until: float) -> tuple[list[bytes], bytes]:
    """The server's opening expression, and any bytes that came after it.

    The offer is read a byte at a time through a reference decoder and refused as soon as
    it passes ``OFFER_LIMIT`` bytes, which also bounds its nesting: an endless or deeply
    nested offer costs at most that much.  It is described by its bytes, never by ``repr``.
    """
    decoder = banana.BananaDecoder(b"none")
    got = bytearray()
    while True:
        data = conn.recv(until, 4096)
        if data is None:
            raise TargetTimeout(f"the Banana server sent no complete offer ({len(got)} bytes of one)")
        if not data:
            raise BadOffer("the endpoint closed without sending a Banana offer")
        conn.note("recv-offer", len(got), data)
        for i in range(len(data)):
            got.append(data[i])
            if len(got) > OFFER_LIMIT:
                raise BadOffer(f"the endpoint's offer is longer than {OFFER_LIMIT} bytes: {bytes(got[:64]).hex()}...")
            events = decoder.feed(data[i : i + 1])
            if events:
                offer = events[0]
                if isinstance(offer, ProtocolError) or not isinstance(offer, list):
                    raise BadOffer(f"the endpoint's offer is not a Banana list: {bytes(got[:64]).hex()}")
                if not offer or not all(isinstance(x, bytes) for x in offer):
                    raise BadOffer(f"the endpoint's offer is not a list of dialect names: {bytes(got[:64]).hex()}")
                return offer, bytes(data[i + 1 :])


def _slug(name: str) -> str:
    """A dialect name as it may appear in a case id: itself when it is plain, else a digest of
    it (names come from the endpoint: escape sequences must not reach a terminal or an id)."""
    if re.fullmatch(r"[A-Za-z0-9._+-]{1,40}", name):
        return name
    return "x" + hashlib.sha256(name.encode("latin-1")).hexdigest()[:12]


def handshake_cases(offer: list[bytes] | None) -> list[Vector]:
    """Cases built from a Banana server's actual offer.

    Every offered dialect can be chosen (and an expression then echoes in it), and an
    unknown choice is refused with a close.  ``offer=None`` (no valid offer) yields one
    case that fails on the offer itself.
    """
    names = list(dict.fromkeys(x.decode("latin-1") for x in offer)) if offer else ["none"]
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
            f"choose-{_slug(name)}", f"The endpoint offers {name!r}; choosing it works and echoes follow in it.",
            banana.encode(raw, dialect=None) + banana.encode(probe, dialect=raw), [to_json(probe)],
            {"status": "ok"}, name,
        ))  # fmt: skip
    cases.append(case(
        "unknown-choice", "A dialect the endpoint did not offer is refused with a close.",
        banana.encode(b"wirecheck-no-such-dialect", dialect=None), [], {"status": "close"}, None,
    ))  # fmt: skip
    return cases
