"""Generated client scenarios: Hypothesis strategies for a server that misbehaves, and the property.

A generated scenario is an ordinary ``Scenario``: some requests (sent in a burst, one after
another's reply, or each from inside the previous reply's callback), optionally inside
notification mode, and a server that answers them with its replies cut at any points,
merged with notifications (in mode or not), with unsolicited frames where the protocol
can tell them apart (never while a plain-profile request waits: a plain client cannot know
it from a reply), with duplicates where a numbered client can tell them apart, an
over-long reply or a close.  The model predicts the transcript; the property holds when
the client's verdict is ``pass`` or ``acceptable``.  A failure shrinks to a scenario in
the golden format, printed with the command that runs it again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from wirecheck.errors import TargetError

from .scenario import Action, Fill, Reply, Scenario, Step
from .verdict import ClientVerdict, judge

_OK = (ClientVerdict.PASS, ClientVerdict.ACCEPTABLE, ClientVerdict.NOT_RUN)


def _cuts(draw) -> tuple[int, ...]:
    return tuple(sorted(set(draw(st.lists(st.integers(1, 60), max_size=4)))))


@st.composite
def client_scenarios(draw, profile: str = "plain") -> Scenario:
    """A scenario for a client of ``profile``: requests, and a server answering them badly but legally."""
    numbered = profile == "numbered"
    count = draw(st.integers(1, 4))
    mode = draw(st.sampled_from(["burst", "sequence", "chain"]))
    notify = draw(st.booleans())
    actions: list[Action] = []
    script: list[Step] = []
    n_notif = 0

    def notification() -> str:
        nonlocal n_notif
        n_notif += 1
        return f"notif:n{n_notif}"

    if draw(st.booleans()):  # the server speaks first
        script.append(Step("send", frames=("hello",)))
    if notify:
        actions.append(Action("notify", len(script) - 1))
        script += [Step("expect", request="notify"), Step("send", frames=(Reply("notify", "ok"),))]
    texts = [f"q{i}" for i in range(1, count + 1)]
    if mode == "burst":
        actions += [Action(f"request {i} {t}", len(script) - 1) for i, t in enumerate(texts, 1)]
        script += [Step("expect", request=t) for t in texts]
        order = draw(st.permutations(texts)) if numbered else texts
    elif mode == "chain":
        actions.append(Action(f"request 1 {texts[0]}", len(script) - 1))
        actions += [Action(f"chain {i} {t}", len(script) - 1) for i, t in enumerate(texts[1:], 2)]
        order = texts
    else:
        order = texts
    ending = draw(st.sampled_from(["normal", "normal", "close", "over-long"]))
    for index, text in enumerate(order):
        if mode == "sequence":
            actions.append(Action(f"request {index + 1} {text}", len(script) - 1))
        if mode != "burst":
            script.append(Step("expect", request=text))
        last = index == len(order) - 1
        if last and ending == "over-long":
            script.append(Step("send", frames=(Fill("x", None, 1),), cuts=_cuts(draw)))
            break
        frames: list = []
        if draw(st.booleans()):
            frames.append(notification())
        frames.append(Reply(text, draw(st.sampled_from(["", "1", "ok", f"v{index}", "notify"]))))
        nothing_waits = mode == "sequence" or (mode != "burst" and last) or (mode == "burst" and last)
        if draw(st.booleans()) and (numbered or (nothing_waits and mode != "chain")):
            frames.append(Reply(text, "again"))  # a duplicate: a plain client can tell it only when nothing waits
        if draw(st.booleans()) and nothing_waits and mode != "chain":
            frames.append("stray")
        if draw(st.booleans()):
            frames.append(notification())
        script.append(Step("send", frames=tuple(frames), cuts=_cuts(draw)))
        if last and ending == "close":
            script.append(Step("close"))
    if notify and ending == "normal":
        actions.append(Action("stop_notify", len(script) - 1))
        script += [Step("expect", request="stop_notify"), Step("send", frames=(Reply("stop_notify", "ok"),))]
    return Scenario("generated", "a generated scenario", "wirecheck.clients.strategies", tuple(actions),
                    tuple(script), profiles=(profile,))  # fmt: skip


def named(scenario: Scenario, model) -> Scenario:
    """``scenario`` as a golden entry: the model's transcript as its expectation, an id from its content."""
    body = json.dumps(scenario.to_json(False)["actions"]) + json.dumps(scenario.to_json(False)["script"])
    sid = "generated-" + hashlib.sha256(body.encode()).hexdigest()[:10]
    return dataclasses.replace(scenario, id=sid, expected=tuple(model.events))


@dataclass
class PropertyResult:
    examples: int = 0
    #: Why wirecheck could not run some examples ('' when it ran them all).
    error: str = ""
    #: behaviour -> (the smallest failing scenario found for it, its verdict, its message)
    failures: dict = field(default_factory=dict)


def check_property(target, examples: int = 100, seed: int = 1) -> PropertyResult:
    """Run generated scenarios against ``target`` (a session.ClientTarget); every distinct failing
    behaviour is kept with its shrunk scenario."""
    from .model import predict

    o = target.options
    result = PropertyResult()
    failure_types: dict[str, type] = {}

    @settings(max_examples=examples, database=None, deadline=None, derandomize=False, report_multiple_bugs=True,
              suppress_health_check=list(HealthCheck), print_blob=False)  # fmt: skip
    @given(client_scenarios(o.profile))
    def prop(scenario: Scenario) -> None:
        result.examples += 1
        try:
            model = predict(scenario, o.protocol, o.params, o.profile)
            fail_fast = predict(scenario, o.protocol, o.params, o.profile, fail_fast=True)
        except TargetError:  # a scenario this framing cannot express (an over-long int8 frame): not one to run
            return
        try:
            outcome = target.run(scenario)
        except TargetError as exc:  # wirecheck's trouble, not the client's: the property is not run
            result.error = result.error or str(exc)
            return
        judgement = judge(outcome, model, fail_fast)
        if judgement.verdict in _OK:
            return
        name = {ClientVerdict.CRASH: "crashes", ClientVerdict.HANG: "stalls"}.get(judgement.verdict)
        name = name or (judgement.findings[0].behaviour if judgement.findings else judgement.verdict.value)
        result.failures[name] = (named(scenario, model), judgement)
        kind = failure_types.setdefault(name, type(f"ClientFailure_{name.replace('-', '_')}", (AssertionError,), {}))
        raise kind(judgement.message)

    try:
        hypothesis_seed(seed)(prop)()
    except Exception:  # the failures are in result.failures, shrunk; Hypothesis's own report is not needed
        pass
    return result
