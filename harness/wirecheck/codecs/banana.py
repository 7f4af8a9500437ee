"""Banana s-expressions (Twisted's ``twisted.spread.banana``), with its handshake.

An element is a base-128 prefix, least significant digit first, each digit a byte
below 0x80, then a type byte with the high bit set.  Lists nest; a child list
counts as one element of its parent.  Nesting is decoded with an explicit stack,
so depth is limited by memory, not by Python's recursion limit.

Twisted is lenient where the 2008 specification is not: it accepts an empty
prefix, non-minimal prefixes (trailing zero digits), INT values beyond 2**31-1,
NEG values beyond -2**31, a prefix before FLOAT and non-minimal vocabulary ids.
``strict=True`` rejects all of these; the default follows Twisted.

The specification puts a VOCAB id *after* the 0x87 byte; Twisted, and so every
deployed peer, sends it as the prefix *before* it.  We follow Twisted.
"""

from __future__ import annotations

import struct

from .banana_elements import (  # noqa: F401 - the element names are part of this module's face
    DIALECTS,
    FLOAT,
    INT,
    INT_MAX,
    LIST,
    LONGINT,
    LONGNEG,
    NEG,
    NEG_MAX,
    PREFIX_LIMIT,
    SIZE_LIMIT,
    STRING,
    VOCAB,
    VOCABULARY,
    WORD_IDS,
    _b128,
    encode,
)
from .banana_runs import scan
from .events import DialectSelected, ProtocolError
from .spec import Param, ProtocolSpec

REASONS = {
    "prefix_too_long": "more than prefix_limit bytes of base-128 prefix",
    "unknown_type": "a type byte above 0x87",
    "string_too_long": "a STRING length above size_limit",
    "list_too_long": "a LIST count above size_limit",
    "vocab_not_allowed": "VOCAB outside the pb dialect (or before the handshake)",
    "unknown_vocab": "a VOCAB id with no word in the table",
    "empty_prefix": "strict: an element with no prefix digits (only FLOAT has none)",
    "non_minimal_prefix": "strict: a prefix whose most significant digit is zero",
    "float_prefix": "strict: prefix digits before FLOAT",
    "int_out_of_range": "strict: INT above 2**31-1 or NEG below -2**31",
    "handshake_bad_offer": "client: the server's offer is not a list of strings",
    "handshake_no_common_dialect": "client: no offered dialect is known",
    "handshake_bad_choice": "server: the client's choice is not a string",
    "handshake_unknown_dialect": "server: the client chose a dialect that was not offered",
}

_PREFIX, _STRING, _FLOAT, _FAILED = range(4)
_unpack_double = struct.Struct("!d").unpack
#: Bytes left in a read below which a run of integers is not worth the bulk path's setup.
_RUN_WORTH = 64


class BananaDecoder:
    """Incremental Banana decoder.

    ``role`` is ``"peer"`` when the dialect is already agreed (``dialect`` is then
    ``b"none"`` or ``b"pb"``), ``"server"`` when we have sent our offer of
    ``dialects`` and the first expression is the client's choice, or ``"client"``
    when the first expression is the server's offer: we then pick the first offered
    dialect we know and queue its STRING for ``data_to_send()``.
    """

    def __init__(
        self,
        dialect: bytes | None = b"none",
        *,
        role: str = "peer",
        dialects: tuple[bytes, ...] = DIALECTS,
        strict: bool = False,
        size_limit: int = SIZE_LIMIT,
        prefix_limit: int = PREFIX_LIMIT,
    ) -> None:
        if role not in ("peer", "server", "client"):
            raise ValueError("role must be 'peer', 'server' or 'client'")
        if role == "peer" and dialect is None:
            raise ValueError("a peer needs the agreed dialect; use role='server' or 'client' to handshake")
        self.role = role
        self.dialects = tuple(bytes(d) for d in dialects)
        self.dialect = dialect if role == "peer" else None
        self.strict = strict
        self.size_limit = size_limit
        self.prefix_limit = prefix_limit
        self._state = _PREFIX
        self._num = 0
        self._digits = 0
        self._last_digit = 0
        self._partial = bytearray()
        self._need = 0
        self._stack: list[list] = []  # [elements still expected, items so far]
        self._base = 0
        self._outgoing = bytearray()
        self.error: ProtocolError | None = None

    def offer(self) -> bytes:
        """The server's opening offer: the list of dialect names it knows."""
        return encode(list(self.dialects), dialect=None)

    def data_to_send(self) -> bytes:
        """Bytes the handshake wants sent to the peer (the client's choice)."""
        out = bytes(self._outgoing)
        self._outgoing.clear()
        return out

    @property
    def in_frame(self) -> bool:
        return self._state in (_STRING, _FLOAT) or self._digits > 0 or bool(self._stack)

    @property
    def buffered(self) -> int:
        return len(self._partial) + self._digits

    def _fail(self, reason: str, offset: int, detail: str = "") -> ProtocolError:
        self._state = _FAILED
        self._need = 0
        self._partial = bytearray()
        self._stack = []
        self.error = ProtocolError(reason, offset, detail or REASONS[reason])
        return self.error

    def _deliver(self, item, events: list, offset: int) -> bool:
        """Hand a completed element upwards; False when the handshake failed."""
        stack = self._stack
        while stack:
            top = stack[-1]
            top[1].append(item)
            if len(top[1]) < top[0]:
                return True
            item = stack.pop()[1]
        if self.dialect is not None:
            events.append(item)
            return True
        return self._handshake(item, events, offset)

    def _deliver_run(self, values: list, events: list, offset: int) -> bool:
        """Hand a run of integers to the open lists (``banana_runs``): each list takes what it
        still expects, a completed one goes up like any element."""
        stack = self._stack
        k = 0
        while k < len(values):
            if not stack:
                if self.dialect is None:  # the handshake judges each expression alone
                    for value in values[k:]:
                        if not self._deliver(value, events, offset):
                            return False
                    return True
                events.extend(values[k:])
                return True
            top = stack[-1]
            take = top[0] - len(top[1])
            top[1].extend(values[k : k + take])
            k += take
            if len(top[1]) == top[0]:
                if not self._deliver(stack.pop()[1], events, offset):
                    return False
        return True

    def _handshake(self, item, events: list, offset: int) -> bool:
        if self.role == "server":
            if not isinstance(item, bytes):
                events.append(self._fail("handshake_bad_choice", offset))
                return False
            if item not in self.dialects:
                events.append(self._fail("handshake_unknown_dialect", offset, f"client chose {item!r}"))
                return False
            self.dialect = item
        else:
            if not isinstance(item, list) or (self.strict and not all(isinstance(x, bytes) for x in item)):
                events.append(self._fail("handshake_bad_offer", offset))
                return False
            chosen = next((x for x in item if isinstance(x, bytes) and x in self.dialects), None)
            if chosen is None:
                events.append(self._fail("handshake_no_common_dialect", offset))
                return False
            self._outgoing += encode(chosen, dialect=None)
            self.dialect = chosen
        events.append(DialectSelected(self.dialect))
        return True

    def _type_byte(self, t: int, at: int, events: list) -> object:
        """Handle a type byte at stream offset ``at``.

        Returns a completed scalar, ``None`` when the element continues (STRING,
        FLOAT) or opened a list, or an error (already appended to ``events``).
        """
        num, digits = self._num, self._digits
        self._num = self._digits = 0
        if t > VOCAB:
            return self._fail("unknown_type", at, f"type byte 0x{t:02x}")
        if self.strict:
            if t == FLOAT:
                if digits:
                    return self._fail("float_prefix", at)
            elif digits == 0:
                return self._fail("empty_prefix", at)
            elif digits > 1 and self._last_digit == 0:
                return self._fail("non_minimal_prefix", at)
        if t == LIST:
            if num > self.size_limit:
                return self._fail("list_too_long", at, f"list of {num} elements")
            if num == 0:
                return []
            self._stack.append([num, []])
            return None
        if t == STRING:
            if num > self.size_limit:
                return self._fail("string_too_long", at, f"string of {num} bytes")
            if num == 0:
                return b""
            self._need = num
            self._state = _STRING
            return None
        if t == FLOAT:
            self._need = 8
            self._state = _FLOAT
            return None
        if t == INT:
            if self.strict and num > INT_MAX:
                return self._fail("int_out_of_range", at, f"INT {num}")
            return num
        if t == NEG:
            if self.strict and num > NEG_MAX:
                return self._fail("int_out_of_range", at, f"NEG -{num}")
            return -num
        if t == LONGINT:
            return num
        if t == LONGNEG:
            return -num
        # VOCAB
        if self.dialect != b"pb":
            return self._fail("vocab_not_allowed", at)
        word = VOCABULARY.get(num)
        if word is None:
            return self._fail("unknown_vocab", at, f"vocab id {num}")
        return word

    def feed(self, data: bytes) -> list:
        """Consume ``data``; return completed top-level expressions and at most one error."""
        if self._need and len(data) < self._need - len(self._partial):
            self._partial += data  # the common case while a large STRING trickles in
            self._base += len(data)
            return []
        if self._state == _FAILED or not data:
            return []
        if not isinstance(data, bytes):
            data = bytes(data)
        events: list = []
        base = self._base
        self._base += len(data)
        n = len(data)
        i = 0
        limit = self.prefix_limit
        plain_until = 0  # a run of integers scan() declined ends here: the byte loop takes it all
        while i < n:
            state = self._state
            if state == _PREFIX and not self._digits and self._stack and i >= plain_until and n - i >= _RUN_WORTH:
                values, end = scan(data, i, limit, self.strict)
                if values is None:
                    plain_until = end
                else:
                    i = end
                    if not self._deliver_run(values, events, base + i - 1):
                        return events
                    continue
            if state == _PREFIX:
                byte = data[i]
                if byte < 0x80:
                    digits = self._digits
                    if digits == limit:
                        events.append(self._fail("prefix_too_long", base + i))
                        return events
                    self._num |= byte << (7 * digits)
                    self._digits = digits + 1
                    self._last_digit = byte
                    i += 1
                    continue
                item = self._type_byte(byte, base + i, events)
                i += 1
                if item is None:
                    continue
                if isinstance(item, ProtocolError):
                    events.append(item)
                    return events
                if not self._deliver(item, events, base + i - 1):
                    return events
                continue
            # _STRING or _FLOAT: collect self._need bytes.
            need = self._need
            if not self._partial and n - i >= need:
                chunk = data[i : i + need]
                i += need
            else:
                take = min(need - len(self._partial), n - i)
                self._partial += data[i : i + take]
                i += take
                if len(self._partial) < need:
                    return events
                chunk = bytes(self._partial)
                self._partial = bytearray()
            self._state = _PREFIX
            self._need = 0
            item = chunk if state == _STRING else _unpack_double(chunk)[0]
            if not self._deliver(item, events, base + i - 1):
                return events
        return events


ROLES = ("peer", "server", "client")
DIALECT_NAMES = tuple(d.decode() for d in DIALECTS)


def _decoder(config) -> BananaDecoder:
    strict = config["strict"]
    if config["role"] == "peer":
        return BananaDecoder(config["dialect"].encode(), strict=strict)
    dialects = tuple(d.encode() for d in config["dialects"])
    return BananaDecoder(None, role=config["role"], dialects=dialects, strict=strict)


def _encoder(config, dialect: bytes | None):
    """Values in ``dialect``, or, when it is not given, in the configuration's agreed dialect
    (none before a handshake has agreed one)."""
    if dialect is None and "dialect" in config:
        dialect = config["dialect"].encode()
    return lambda value: encode(value, dialect=dialect)


def _expand(config) -> list:
    """An endpoint configured with the dialects it offers (or knows) is a peer in each dialect
    it can speak, and one side of the handshake: the server when wirecheck connects to it, the
    client when it connects to wirecheck."""
    if "dialect" in config:
        return [{**{k: v for k, v in config.items() if k != "dialects"}, "role": "peer"}]
    if "dialects" not in config or config.get("role") in ("server", "client"):
        return [config]
    rest = {k: v for k, v in config.items() if k not in ("dialects", "role")}
    peers = [{**rest, "role": "peer", "dialect": d} for d in config["dialects"] if d in DIALECT_NAMES]
    if config.get("role") == "peer":
        return peers
    return peers + [{**config, "role": role} for role in ("server", "client")]


def _cut_points(config, frame: bytes) -> list[int]:
    return [i for i, b in enumerate(frame[:64]) if b >= 0x80]  # before each type byte


PROTOCOLS = (
    ProtocolSpec(
        name="banana",
        family="banana",
        order=40,
        summary="Twisted's Banana s-expressions, dialects none and pb, with the dialect handshake",
        params=(
            Param(
                "role",
                "choice",
                "peer",
                "which side of the handshake a vector group tests (peer: none, the dialect is agreed)",
                choices=ROLES,
                endpoint=False,
            ),
            Param(
                "dialect",
                "choice",
                "none",
                "the agreed dialect of a peer",
                choices=DIALECT_NAMES,
                when={"role": ("peer",)},
                endpoint=False,
            ),
            Param(
                "dialects",
                "names",
                list(DIALECT_NAMES),
                "the dialects offered (a server) or known (a client), in order of preference",
                choices=DIALECT_NAMES,
                when={"role": ("server", "client")},
            ),
            Param(
                "strict",
                "bool",
                False,
                "reject what the 2008 specification forbids and Twisted accepts",
                negation="lenient",
            ),
        ),
        decoder=_decoder,
        encoder=_encoder,
        reasons=REASONS,
        structured=True,
        limit=lambda config: None,
        cut_points=_cut_points,
        strict_reading=lambda config: (
            None if config["strict"] or config["role"] != "peer" else {**config, "strict": True}
        ),
        expand=_expand,
        handshake_role=lambda config: None if config["role"] == "peer" else config["role"],
        handshake=True,
    ),
)
