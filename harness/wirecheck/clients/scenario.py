"""Client scenarios as data: what the application does, what the server does, what must follow.

A scenario (``vectors/client-scenarios.json``, docs/client-contract.md) is read from an
untrusted file: bounded and schema-checked by the vector files' reader, then turned into
frozen objects here.  Frames in a scenario are text (UTF-8 on the wire), so that a file
reads like the conversation it describes; a frame item may also be a reply to a named
request (numbered in the numbered profile) or a run of one character of a length relative
to the maximum (an over-long reply).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck.errors import VectorFileError
from wirecheck.vectors.files import read_document, validator_for
from wirecheck.vectors.model import own_directory

SCENARIO_FILE = "client-scenarios.json"
SCHEMA_FILE = "client-scenarios.schema.json"
PROFILES = ("plain", "numbered")
#: Abilities a scenario may need that a client has to claim.
NEEDS = ("timeout",)
STEP_KINDS = ("expect", "send", "pause", "half_close", "close")
EVENT_KINDS = ("reply", "notification", "error", "unexpected")
#: The longest pause a scenario may ask for: scenarios are quick.
PAUSE_LIMIT = 2.0


@dataclass(frozen=True)
class Reply:
    """A reply frame to the request whose text is ``request`` (numbered: ``<its id> data``)."""

    request: str
    data: str


@dataclass(frozen=True)
class Fill:
    """``length`` copies of ``char`` (the maximum plus ``over`` when ``length`` is None)."""

    char: str
    length: int | None
    over: int = 0

    def size(self, max_length: int) -> int:
        return self.length if self.length is not None else max_length + self.over


FrameItem = str | Reply | Fill


@dataclass(frozen=True)
class Step:
    """One step of the server's script."""

    kind: str
    request: str = ""  # expect: the request text that must arrive next
    frames: tuple[FrameItem, ...] = ()  # send: the frames, written as one stream ...
    cuts: tuple[int, ...] = ()  # ... cut at these offsets into separate writes
    seconds: float = 0.0  # pause
    truncate: int | None = None  # send: only this many bytes of the stream are written


@dataclass(frozen=True)
class Action:
    """A line for the client's application, written once server step ``after`` is done (-1: at once)."""

    line: str
    after: int = -1


@dataclass(frozen=True)
class Event:
    """One thing the application was told."""

    kind: str
    id: str = ""
    data: bytes = b""
    reason: str = ""

    def to_json(self) -> dict:
        out: dict = {"event": self.kind}
        if self.id:
            out["id"] = self.id
        if self.kind in ("reply", "notification", "unexpected"):
            out["data"] = self.data.decode("utf-8", "backslashreplace")
        return out


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    reference: str
    actions: tuple[Action, ...]
    script: tuple[Step, ...]
    expected: tuple[Event, ...] = ()
    profiles: tuple[str, ...] = PROFILES
    needs: tuple[str, ...] = ()
    #: Standard input closes after this step (None: after the last step and the last action).
    end_after: int | None = None
    extra: dict = field(default_factory=dict)

    def request_texts(self) -> dict[str, str]:
        """Request id -> its text, as the actions name them."""
        out = {}
        for action in self.actions:
            words = action.line.split(" ", 2)
            if words[0] in ("request", "chain") and len(words) == 3:
                out[words[1]] = words[2]
            elif words[0] in ("notify", "stop_notify"):
                out[words[0]] = words[0]
        return out

    def to_json(self, with_expected: bool = True) -> dict:
        """The golden-format entry (what a generated scenario is printed as)."""
        out: dict = {"id": self.id, "description": self.description, "reference": self.reference}
        if tuple(self.profiles) != PROFILES:
            out["profiles"] = list(self.profiles)
        if self.needs:
            out["needs"] = list(self.needs)
        out["actions"] = [a.line if a.after == -1 else {"line": a.line, "after": a.after} for a in self.actions]
        out["script"] = [_step_json(s) for s in self.script]
        if self.end_after is not None:
            out["end_after"] = self.end_after
        if with_expected:
            out["expected"] = [e.to_json() for e in self.expected]
        return out


def _item_json(item: FrameItem):
    if isinstance(item, Reply):
        return {"reply_to": item.request, "data": item.data}
    if isinstance(item, Fill):
        return {"fill": item.char, "length": item.length} if item.length is not None else {
            "fill": item.char, "over_max": item.over}  # fmt: skip
    return item


def _step_json(step: Step) -> dict:
    out: dict = {"step": step.kind}
    if step.kind == "expect":
        out["request"] = step.request
    elif step.kind == "send":
        out["frames"] = [_item_json(i) for i in step.frames]
        if step.cuts:
            out["cuts"] = list(step.cuts)
        if step.truncate is not None:
            out["truncate"] = step.truncate
    elif step.kind == "pause":
        out["seconds"] = step.seconds
    return out


def _item(obj) -> FrameItem:
    if isinstance(obj, str):
        return obj
    if "reply_to" in obj:
        return Reply(obj["reply_to"], obj["data"])
    return Fill(obj["fill"], obj.get("length"), obj.get("over_max", 0))


def _step(obj: dict) -> Step:
    return Step(
        kind=obj["step"],
        request=obj.get("request", ""),
        frames=tuple(_item(i) for i in obj.get("frames", ())),
        cuts=tuple(obj.get("cuts", ())),
        seconds=float(obj.get("seconds", 0.0)),
        truncate=obj.get("truncate"),
    )


def _event(obj: dict) -> Event:
    return Event(obj["event"], obj.get("id", ""), obj.get("data", "").encode(), obj.get("reason", ""))


def scenario_from_json(obj: dict) -> Scenario:
    actions = tuple(Action(a) if isinstance(a, str) else Action(a["line"], a.get("after", -1)) for a in obj["actions"])
    return Scenario(
        id=obj["id"],
        description=obj["description"],
        reference=obj["reference"],
        actions=actions,
        script=tuple(_step(s) for s in obj["script"]),
        expected=tuple(_event(e) for e in obj.get("expected", ())),
        profiles=tuple(obj.get("profiles", PROFILES)),
        needs=tuple(obj.get("needs", ())),
        end_after=obj.get("end_after"),
    )


def _check_references(scenario: Scenario) -> list[str]:
    """What the schema cannot say: steps and requests named by index or text must exist."""
    problems = []
    steps = len(scenario.script)
    for action in scenario.actions:
        if not -1 <= action.after < steps:
            problems.append(f"action {action.line!r} comes after step {action.after}, which does not exist")
    if scenario.end_after is not None and not -1 <= scenario.end_after < steps:
        problems.append(f"end_after {scenario.end_after} names no step")
    texts = set(scenario.request_texts().values())
    for n, step in enumerate(scenario.script):
        for item in step.frames:
            if isinstance(item, Reply) and item.request not in texts:
                problems.append(f"step {n} replies to {item.request!r}, which no action requests")
        if step.kind == "expect" and step.request not in texts:
            problems.append(f"step {n} expects {step.request!r}, which no action requests")
        if step.kind == "pause" and not 0 <= step.seconds <= PAUSE_LIMIT:
            problems.append(f"step {n} pauses {step.seconds}s; at most {PAUSE_LIMIT}s")
    ids = [a.line.split(" ", 2)[1] for a in scenario.actions if a.line.split(" ")[0] in ("request", "chain")]
    if len(set(ids)) != len(ids):
        problems.append("two requests share an id")
    if len(set(scenario.request_texts().values())) != len(scenario.request_texts()):
        problems.append("two requests share a text (the server tells requests apart by their text)")
    return problems


def bundled_directory() -> Path:
    """wirecheck's own vectors folder (the checkout's, or the installed copy), which holds the scenarios."""
    return own_directory()


def load(path: Path | None = None) -> list[Scenario]:
    """The scenarios of ``path`` (default: the bundled file), schema-checked; VectorFileError otherwise."""
    path = path or bundled_directory() / SCENARIO_FILE
    schema_path = bundled_directory() / SCHEMA_FILE
    try:
        schema = json.loads(schema_path.read_text())
    except (OSError, ValueError) as exc:
        raise VectorFileError(f"{schema_path}: cannot read the scenario schema: {exc}") from None
    doc, _ = read_document(path, validator_for(schema))
    out, seen = [], set()
    for obj in doc["scenarios"]:
        scenario = scenario_from_json(obj)
        if scenario.id in seen:
            raise VectorFileError(f"{path}: scenario id {scenario.id!r} is used twice")
        seen.add(scenario.id)
        problems = _check_references(scenario)
        if problems:
            raise VectorFileError(f"{path}: scenario {scenario.id}: {problems[0]}")
        out.append(scenario)
    return out


def load_text(text: str) -> list[Scenario]:
    """Scenarios given inline (``--scenario-json``, what a shrunk property failure prints), checked
    exactly as a file is."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        return load(Path(f.name))
