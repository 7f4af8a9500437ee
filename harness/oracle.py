"""The reference model: what a conforming receiver does with a stream, as data.

``observe(protocol, params, chunks)`` feeds the chunks to a fresh reference decoder
and reports frames, outcome, and for Banana handshakes the agreed dialect and the
reply, in the same JSON-ready shape the golden vectors use.  The vector linter and
the in-process target both call it, so there is one definition of "what the
reference did".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.codecs import NOT_FRAMES, banana, intprefix, lines, netstring
from harness.vectors.values import to_json

PROTOCOLS = ("netstring", "int8", "int16", "int32", "line", "banana")


@dataclass
class Observation:
    """What a receiver did with one delivery of a stream."""

    frames: list = field(default_factory=list)
    status: str = "ok"  # ok | incomplete | close
    reason: str | None = None
    offset: int | None = None
    dialect: Any = None  # ... when the target cannot see it
    reply: str = ""
    #: What an endpoint did that no outcome can express (a non-canonical echo, a flood, ...).
    problems: list = field(default_factory=list)
    #: (direction, offset, seconds since connect, hex) for each read and write, when recorded.
    trace: list = field(default_factory=list, compare=False, repr=False)

    def outcome(self) -> dict:
        if self.status != "close":
            return {"status": self.status}
        out: dict[str, Any] = {"status": "close"}
        if self.reason is not None:
            out["reason"] = self.reason
        if self.offset is not None:
            out["offset"] = self.offset
        return out


def make_decoder(protocol: str, params: dict):
    """A fresh reference decoder configured from a vector group's ``params``."""
    if protocol == "netstring":
        return netstring.NetstringDecoder(params.get("max_length", netstring.DEFAULT_MAX_LENGTH))
    if protocol in intprefix.WIDTHS:
        return intprefix.IntPrefixDecoder(
            intprefix.WIDTHS[protocol], params.get("max_length", intprefix.DEFAULT_MAX_LENGTH)
        )
    if protocol == "line":
        delimiter = bytes.fromhex(params["delimiter"]) if "delimiter" in params else lines.DEFAULT_DELIMITER
        return lines.LineDecoder(delimiter, params.get("max_length", lines.DEFAULT_MAX_LENGTH))
    if protocol == "banana":
        role = params.get("role", "peer")
        strict = bool(params.get("strict", False))
        if role == "peer":
            return banana.BananaDecoder(params.get("dialect", "none").encode(), strict=strict)
        dialects = tuple(d.encode() for d in params.get("dialects", ("pb", "none")))
        return banana.BananaDecoder(None, role=role, dialects=dialects, strict=strict)
    raise ValueError(f"unknown protocol {protocol!r}")


def make_encoder(protocol: str, params: dict, dialect: bytes | None = None):
    """frame -> canonical bytes for this configuration (Banana: in ``dialect``)."""
    if protocol == "banana":
        return lambda value: banana.encode(value, dialect=dialect)
    if protocol == "netstring":
        return netstring.encode
    if protocol in intprefix.WIDTHS:
        width = intprefix.WIDTHS[protocol]
        return lambda payload: intprefix.encode(payload, width)
    if protocol == "line":
        delimiter = bytes.fromhex(params["delimiter"]) if "delimiter" in params else lines.DEFAULT_DELIMITER
        return lambda line: lines.encode(line, delimiter)
    raise ValueError(f"unknown protocol {protocol!r}")


def observe(protocol: str, params: dict, chunks: Iterable[bytes]) -> Observation:
    """Feed ``chunks`` to a fresh reference decoder and report what it did."""
    decoder = make_decoder(protocol, params)
    frames: list = []
    reply = bytearray()
    is_banana = protocol == "banana"
    for chunk in chunks:
        for event in decoder.feed(chunk):
            if not isinstance(event, NOT_FRAMES):
                frames.append(to_json(event) if is_banana else event.hex())
        if is_banana:
            reply += decoder.data_to_send()
        if decoder.error is not None:
            break
    obs = Observation(frames=frames)
    if decoder.error is not None:
        obs.status, obs.reason, obs.offset = "close", decoder.error.reason, decoder.error.offset
    elif decoder.in_frame:
        obs.status = "incomplete"
    if is_banana and decoder.role != "peer":
        obs.dialect = decoder.dialect.decode() if decoder.dialect is not None else None
        obs.reply = reply.hex()
    return obs


def predict(protocol: str, params: dict, data: bytes) -> tuple[Observation, list[Observation]]:
    """What a conforming receiver does with ``data``: the reference's outcome, and the others allowed.

    Allowed besides the reference's reading: for lenient Banana, the strict reading
    (rejecting what the specification forbids is never wrong); for lines, closing as
    soon as an unterminated line is certainly too long instead of waiting for
    ``max_length + len(delimiter)`` bytes (the golden vectors' EarlyTooLong).
    """
    primary = observe(protocol, params, [data])
    others = []
    if protocol == "banana" and params.get("role", "peer") == "peer" and not params.get("strict"):
        strict = observe(protocol, {**params, "strict": True}, [data])
        if strict != primary:
            others.append(strict)
    if protocol == "line" and primary.status == "incomplete":
        early = _early_too_long(params, data, primary)
        if early is not None:
            others.append(early)
    return primary, others


def _early_too_long(params: dict, data: bytes, primary: Observation) -> Observation | None:
    decoder = make_decoder("line", params)
    decoder.feed(data)
    pending = decoder.buffered
    tail = data[len(data) - pending :]
    delimiter, top = decoder.delimiter, decoder.max_length
    for k in range(top + 1, pending + 1):
        head = tail[:k]
        if not any(delimiter.startswith(head[p:]) for p in range(max(0, k - len(delimiter) + 1), top + 1)):
            offset = len(data) - pending + k - 1
            return Observation(list(primary.frames), "close", "line_too_long", offset, primary.dialect, primary.reply)
    return None


def matches(expected, observed: Observation, exact: bool = True) -> bool:
    """Does ``observed`` meet ``expected`` (an Expectation)?

    ``exact`` also compares the close reason and offset, which only an in-process
    target can report; over a socket a close is a close.
    """
    if observed.problems or list(expected.frames) != observed.frames:
        return False
    want = expected.outcome
    if want["status"] != observed.status:
        return False
    if exact and want["status"] == "close":
        if want.get("reason") != observed.reason or want.get("offset") != observed.offset:
            return False
    if expected.dialect is not ... and observed.dialect is not ... and expected.dialect != observed.dialect:
        return False
    if expected.reply is not ... and expected.reply != observed.reply:
        return False
    return True
