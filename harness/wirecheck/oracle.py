"""The reference model: what a conforming receiver does with a stream, as data.

``observe(protocol, config, chunks)`` feeds the chunks to a fresh reference decoder and
reports frames, outcome and, for a handshake, the agreed dialect and the reply, in the
JSON-ready shape the golden vectors use.  ``predict`` adds the other outcomes a
conforming receiver may give.  The vector linter, the in-process target, the properties
and the strategies all ask here, so there is one definition of "what the reference did".
A configuration may be partial: what it lacks takes the protocol's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wirecheck import protocols
from wirecheck.codecs import NOT_FRAMES
from wirecheck.codecs.spec import ProtocolSpec


@dataclass(frozen=True)
class Expectation:
    """What a receiver must do: frames, outcome and, for Banana handshakes, dialect and reply."""

    frames: tuple
    outcome: dict
    dialect: Any = ...  # ... means "not part of this expectation"
    reply: Any = ...

    @classmethod
    def from_json(cls, obj: dict) -> Expectation:
        return cls(tuple(obj["frames"]), dict(obj["outcome"]), obj.get("dialect", ...), obj.get("reply", ...))

    def to_json(self) -> dict:
        out: dict[str, Any] = {"frames": list(self.frames), "outcome": self.outcome}
        if self.dialect is not ...:
            out["dialect"] = self.dialect
        if self.reply is not ...:
            out["reply"] = self.reply
        return out


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

    def expectation(self) -> Expectation:
        """This observation as an expectation (for a vector that records it)."""
        return Expectation(tuple(self.frames), self.outcome())


def _spec(protocol: str | ProtocolSpec) -> ProtocolSpec:
    return protocol if isinstance(protocol, ProtocolSpec) else protocols.get(protocol)


def observe(protocol: str | ProtocolSpec, config: dict, chunks: Iterable[bytes]) -> Observation:
    """Feed ``chunks`` to a fresh reference decoder and report what it did."""
    spec = _spec(protocol)
    return _observe(spec, protocols.complete(spec, config), chunks)


def _observe(spec: ProtocolSpec, config: dict, chunks: Iterable[bytes]) -> Observation:
    decoder = spec.decoder(config)
    handshake = spec.handshake_role(config) is not None
    frames: list = []
    reply = bytearray()
    for chunk in chunks:
        for event in decoder.feed(chunk):
            if not isinstance(event, NOT_FRAMES):
                frames.append(protocols.frame_to_json(spec, event))
        if handshake:
            reply += decoder.data_to_send()
        if decoder.error is not None:
            break
    obs = Observation(frames=frames)
    if decoder.error is not None:
        obs.status, obs.reason, obs.offset = "close", decoder.error.reason, decoder.error.offset
    elif decoder.in_frame:
        obs.status = "incomplete"
    if handshake:
        obs.dialect = decoder.dialect.decode() if decoder.dialect is not None else None
        obs.reply = reply.hex()
    return obs


def predict(protocol: str | ProtocolSpec, config: dict, data: bytes) -> tuple[Observation, list[Observation]]:
    """What a conforming receiver does with ``data``: the reference's outcome, and the others allowed.

    Allowed besides the reference's reading: the protocol's strict reading where the
    configuration is lenient (rejecting what the specification forbids is never wrong),
    and, for a stream that ends inside a frame, closing as soon as that frame is certainly
    too long (the protocol's ``early_close``, such as lines' EarlyTooLong in the golden vectors).
    """
    spec = _spec(protocol)
    config = protocols.complete(spec, config)
    primary = _observe(spec, config, [data])
    others = []
    strict = spec.strict_reading(config)
    if strict is not None:
        reading = _observe(spec, strict, [data])
        if reading != primary:
            others.append(reading)
    if primary.status == "incomplete":
        early = spec.early_close(config, data)
        if early is not None:
            reason, offset = early
            others.append(Observation(list(primary.frames), "close", reason, offset, primary.dialect, primary.reply))
    return primary, others


def matches(expected: Expectation, observed: Observation, exact: bool = True) -> bool:
    """Does ``observed`` meet ``expected``?

    ``exact`` also compares the close reason and offset, which only an in-process
    target can report; over a socket a close is a close.
    """
    if observed.problems or not same_frames(expected.frames, observed.frames):
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


def same_frames(left, right) -> bool:
    """``list(left) == list(right)`` for JSON-form frames, without recursion: an endpoint's
    Banana echo may be nested a million lists deep, and ``==`` on lists recurses in C."""
    pending = [(list(left), list(right))]
    while pending:
        a, b = pending.pop()
        if a is b:
            continue
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b, strict=True))
        elif isinstance(a, dict) and isinstance(b, dict):
            if a.keys() != b.keys():
                return False
            pending.extend((a[k], b[k]) for k in a)
        elif type(a) is not type(b) or a != b:
            return False
    return True


def same_observation(a: Observation, b: Observation) -> bool:
    """``a == b`` for two observations, without recursion into their frames (``same_frames``)."""
    fields = ("status", "reason", "offset", "dialect", "reply", "problems")
    return all(getattr(a, f) == getattr(b, f) for f in fields) and same_frames(a.frames, b.frames)


def judge(expected: Expectation, alternatives: Iterable[Expectation], observed: Observation, exact: bool) -> int | None:
    """0 when ``observed`` meets ``expected``, i + 1 when it meets alternative i, None when neither."""
    if matches(expected, observed, exact):
        return 0
    for i, alternative in enumerate(alternatives):
        if matches(alternative, observed, exact):
            return i + 1
    return None


def describe(obs: Observation | Expectation) -> str:
    """A one-line, bounded rendering of an expectation or observation."""
    if isinstance(obs, Expectation):
        frames, outcome = list(obs.frames), dict(obs.outcome)
        extra = {} if obs.dialect is ... else {"dialect": obs.dialect}
        problems: list = []
    else:
        frames, outcome = obs.frames, obs.outcome()
        extra = {"dialect": obs.dialect} if obs.dialect is not None and obs.dialect is not ... else {}
        problems = obs.problems
    shown = ", ".join(short_json(f) for f in frames[:4]) + (f", ... ({len(frames)} frames)" if len(frames) > 4 else "")
    status = outcome["status"]
    if status == "close" and "reason" in outcome:
        status += f" {outcome['reason']}@{outcome.get('offset')}"
    tail = "".join(f" {k}={short_json(v)}" for k, v in extra.items())
    if problems:
        tail += " (" + "; ".join(problems) + ")"
    return f"frames [{shown}] then {status}{tail}"


def short_json(value: Any, limit: int = 40) -> str:
    """A JSON-form frame (hex, or typed nested lists) in at most ``limit`` characters.

    Walks the value with an explicit stack and stops once ``limit`` is passed, so a frame
    nested a million lists deep costs no more than a short one (``repr`` would recurse).
    """
    if value == "":
        return "(empty)"
    out: list[str] = []
    size = 0
    stack = [iter((value,))]
    started = [False]  # per open list: has an item been written (a comma goes before the next)
    while stack and size <= limit:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
            started.pop()
            if stack:
                out.append("]")
                size += 1
            continue
        if started[-1]:
            out.append(", ")
            size += 2
        started[-1] = True
        if isinstance(item, list):
            out.append("[")
            size += 1
            stack.append(iter(item))
            started.append(False)
        else:
            text = item if isinstance(item, str) else repr(item)
            out.append(text)
            size += len(text)
    text = "".join(out)
    return text if not stack and len(text) <= limit else text[: limit - 3] + "..."


_END = object()
