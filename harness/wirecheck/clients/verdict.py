"""Verdicts on a client's transcript: the model's, request by request, named in plain words.

The model is the reference client run against the same script; its fail-fast variant gives
the one alternative that is ``acceptable`` (docs/client-contract.md).  Reporting an
unexpected frame is optional, so ``unexpected`` events are left out of the comparison; a
frame the model found unexpected that the client took as a reply is caught all the same,
as a reply that went to the wrong place.  Each finding is a behaviour of the shared
vocabulary with one sentence that says what happened.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from wirecheck.checks import BEHAVIOURS
from wirecheck.safetext import printable

from .framing import NOTIFICATION_PREFIX
from .scenario import Event
from .timeline import Outcome


class ClientVerdict(enum.Enum):
    PASS = "pass"
    ACCEPTABLE = "acceptable"
    FAIL = "fail"
    CRASH = "crash"
    HANG = "hang"
    NOT_RUN = "not-run"


@dataclass(frozen=True)
class Finding:
    """A behaviour of the shared vocabulary (``wirecheck.checks.BEHAVIOURS``), in one sentence of this run."""

    behaviour: str
    sentence: str

    def __post_init__(self) -> None:
        if self.behaviour not in BEHAVIOURS and self.behaviour != "not-run":
            raise ValueError(f"{self.behaviour!r} is not in the behaviour vocabulary")


@dataclass
class Judgement:
    verdict: ClientVerdict
    findings: list[Finding] = field(default_factory=list)

    @property
    def message(self) -> str:
        return "; ".join(f.sentence for f in self.findings)


def show(data: bytes, limit: int = 40) -> str:
    text = data.decode("utf-8", "backslashreplace")
    text = text if len(text) <= limit else text[:limit] + f"... ({len(data)} bytes)"
    return printable(repr(text))


def _by_request(events: list[Event]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    for event in events:
        if event.kind in ("reply", "error"):
            out.setdefault(event.id, []).append(event)
    return out


def _notifications(events: list[Event]) -> list[bytes]:
    return [e.data for e in events if e.kind == "notification"]


def _same(outcome: Outcome, model: Outcome) -> bool:
    got, want = _by_request(outcome.events), _by_request(model.events)
    if set(got) != set(want):
        return False
    for rid, events in want.items():
        mine = got[rid]
        if len(mine) != 1 or mine[0].kind != events[0].kind:
            return False
        if events[0].kind == "reply" and mine[0].data != events[0].data:
            return False
    return _notifications(outcome.events) == _notifications(model.events)


def _owner(data: bytes, model: Outcome) -> str | None:
    """The request the model delivered these bytes to, if any."""
    return next((e.id for e in model.events if e.kind == "reply" and e.data == data), None)


def findings(outcome: Outcome, model: Outcome) -> list[Finding]:
    """What differs from the model, each named."""
    out: list[Finding] = []
    got, want = _by_request(outcome.events), _by_request(model.events)
    unexpected = {e.data for e in model.events if e.kind == "unexpected"}
    for rid in list(want) + [r for r in got if r not in want]:
        mine, theirs = got.get(rid, []), want.get(rid, [])
        expected = theirs[0] if theirs else None
        if len(mine) > 1:
            out.append(Finding("duplicate-delivered", f"request {rid} was answered {len(mine)} times"))
        first = mine[0] if mine else None
        if first is None:
            if expected is not None and expected.kind == "reply":
                out.append(Finding("reply-lost", f"request {rid} never got its reply {show(expected.data)}"))
            elif expected is not None:
                out.append(Finding("reply-lost", f"request {rid} was never failed, though the connection had ended"))
            continue
        if first.kind == "error":
            if expected is not None and expected.kind == "reply":
                out.append(Finding("error-for-answered-request",
                                   f"request {rid} failed ({printable(first.reason)}) though the server "
                                   f"answered it with {show(expected.data)}"))  # fmt: skip
            continue
        if expected is not None and expected.kind == "reply" and first.data == expected.data:
            continue
        out.append(_misdelivered(rid, first.data, model, unexpected))
    taken = {e.data for e in outcome.events if e.kind == "reply"}  # already named as taken for a reply
    missing = [n for n in _notifications(model.events) if n not in _notifications(outcome.events) and n not in taken]
    if missing:
        out.append(Finding("notification-lost", f"the notification {show(missing[0])} never reached the application"))
    return out


def _misdelivered(rid: str, data: bytes, model: Outcome, unexpected: set[bytes]) -> Finding:
    if data.startswith(NOTIFICATION_PREFIX):
        return Finding("notification-taken-for-reply", f"the notification {show(data)} was delivered to request "
                                                       f"{rid} as its reply")  # fmt: skip
    owner = _owner(data, model)
    if owner is not None and owner != rid:
        return Finding("reply-to-wrong-request", f"the reply to request {owner} was delivered to request {rid}")
    if data in unexpected:
        return Finding("unexpected-taken-for-reply", f"the unsolicited frame {show(data)} was delivered to request "
                                                     f"{rid} as its reply")  # fmt: skip
    return Finding("unclassified", f"request {rid} got {show(data)}, which the server never sent as its reply")


def judge(outcome: Outcome, model: Outcome, fail_fast_model: Outcome | None = None) -> Judgement:
    """The verdict on ``outcome``, the model's transcript being ``model``."""
    if outcome.not_run:
        return Judgement(ClientVerdict.NOT_RUN, [Finding("not-run", outcome.not_run)])
    found = [] if _same(outcome, model) else findings(outcome, model)
    if outcome.crash or outcome.broken:  # what it lost, it lost by dying: only what it got wrong is news
        found = [f for f in found if f.behaviour not in ("reply-lost", "notification-lost")]
    if outcome.crash:
        return Judgement(ClientVerdict.CRASH, [*found, Finding("crashes", f"crashed: {printable(outcome.crash)}")])
    if outcome.broken:
        return Judgement(ClientVerdict.CRASH, [*found, Finding("crashes", printable(outcome.broken))])
    if outcome.hang:
        return Judgement(ClientVerdict.HANG, [*found, Finding("stalls", printable(outcome.hang))])
    if not found:
        return Judgement(ClientVerdict.PASS)
    if fail_fast_model is not None and _same(outcome, fail_fast_model):
        return Judgement(ClientVerdict.ACCEPTABLE, [Finding("fails-fast", "it closed the connection at an "
                                                                          "unexpected frame (fail-fast)")])  # fmt: skip
    return Judgement(ClientVerdict.FAIL, found)
