"""A run of the client scenarios against one client: which run, how, and with what verdict.

A client target is ``reference`` (the model itself, as a check of the harness),
``python:MODULE:factory`` (in-process) or ``cmd:COMMAND {host} {port}`` (over TCP).  A
scenario runs when its profiles include the client's and the client claims what it needs
(its own timeout); otherwise it is ``not-run``, with the reason.  Each result keeps the
transcript, the model's, the findings and the command that runs the scenario again.
"""

from __future__ import annotations

import shlex
import time
from dataclasses import dataclass, field

from wirecheck.errors import TargetError, UsageError
from wirecheck.modules import LoadError, load_attribute

from .command import run_command
from .inprocess import run_inprocess
from .model import predict
from .reference import ReferenceClient
from .scenario import PROFILES, Scenario
from .timeline import Outcome
from .verdict import ClientVerdict, Finding, Judgement, judge


@dataclass(frozen=True)
class ClientOptions:
    target: str = "reference"
    protocol: str = "line"
    params: dict = field(default_factory=lambda: {"delimiter": "0a", "max_length": 16384})
    profile: str = "plain"
    #: The client's own request timeout, if it claims one (seconds).
    client_timeout: float | None = None
    #: Seconds each scenario may take.
    timeout: float = 5.0


@dataclass
class ScenarioResult:
    scenario: Scenario
    judgement: Judgement
    outcome: Outcome
    model: Outcome
    duration: float = 0.0
    replay: str = ""

    @property
    def verdict(self) -> ClientVerdict:
        return self.judgement.verdict

    def to_json(self) -> dict:
        out = {
            "id": self.scenario.id,
            "verdict": self.verdict.value,
            "behaviours": [f.behaviour for f in self.judgement.findings],
            "message": self.judgement.message,
            "duration": round(self.duration, 3),
        }
        if self.verdict not in (ClientVerdict.PASS, ClientVerdict.NOT_RUN):
            out["observed"] = [e.to_json() for e in self.outcome.events]
            out["expected"] = [e.to_json() for e in self.model.events]
            out["notes"] = self.outcome.notes
            if self.outcome.stderr:
                out["stderr"] = self.outcome.stderr[-2000:]
            out["replay"] = self.replay
        return out


class ClientTarget:
    """One client under test, started afresh for every scenario."""

    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        target = options.target
        if options.profile not in PROFILES:
            raise UsageError(f"--profile: one of {', '.join(PROFILES)}")
        self._factory = None
        if target == "reference":
            self._factory = lambda: ReferenceClient(options.protocol, options.params, options.profile)
        elif target.startswith("python:"):
            try:
                self._factory = load_attribute(target[len("python:") :])
            except LoadError as exc:
                raise TargetError(f"{target}: {exc}") from None
            if not callable(self._factory):
                raise TargetError(f"{target}: not callable")
        elif target.startswith("cmd:"):
            if "{port}" not in target:
                raise UsageError("a cmd: client must contain {port} (and usually {host}), where it connects")
        else:
            forms = "reference, python:MODULE:factory or 'cmd:COMMAND {host} {port}'"
            raise UsageError(f"--target {target!r}: {forms}")
        self.name = target

    def claims(self, scenario: Scenario) -> str:
        """Why ``scenario`` cannot run against this client ('' when it can)."""
        if self.options.profile not in scenario.profiles:
            return f"a scenario of the {' and '.join(scenario.profiles)} profile only"
        if "timeout" in scenario.needs and self.options.client_timeout is None and self.name != "reference":
            return "needs the client's own request timeout, which it does not claim (--client-timeout)"
        return ""

    def run(self, scenario: Scenario) -> Outcome:
        o = self.options
        if self._factory is not None:
            return run_inprocess(self._factory, scenario, o.protocol, o.params, o.profile)
        timeout = o.timeout + (o.client_timeout or 0.0)
        return run_command(self.name[len("cmd:") :], scenario, o.protocol, o.params, o.profile, timeout)


def replay_command(options: ClientOptions, scenario_id: str, scenario_file: str | None = None) -> str:
    words = ["wirecheck", "clients", "--target", options.target, "--protocol", options.protocol]
    for name, value in sorted(options.params.items()):
        words += ["--" + name.replace("_", "-"), ("hex:" + value) if name == "delimiter" else str(value)]
    if options.profile != "plain":
        words += ["--profile", options.profile]
    if options.client_timeout is not None:
        words += ["--client-timeout", f"{options.client_timeout:g}"]
    if scenario_file:
        words += ["--scenarios", scenario_file]
    words += ["--scenario", scenario_id]
    return " ".join(shlex.quote(w) for w in words)


def run_scenario(target: ClientTarget, scenario: Scenario, scenario_file: str | None = None) -> ScenarioResult:
    o = target.options
    started = time.monotonic()
    try:
        model = predict(scenario, o.protocol, o.params, o.profile)
    except TargetError as exc:  # the framing cannot express the scenario (an over-long int8 frame)
        why = f"not for this framing: {exc}"
        return ScenarioResult(
            scenario, Judgement(ClientVerdict.NOT_RUN, [Finding("not-run", why)]), Outcome(), Outcome()
        )
    why = target.claims(scenario)
    if why:
        outcome = Outcome(not_run=why)
        return ScenarioResult(scenario, Judgement(ClientVerdict.NOT_RUN, [Finding("not-run", why)]), outcome, model)
    try:
        outcome = target.run(scenario)
    except TargetError as exc:
        outcome = Outcome(not_run=f"wirecheck could not run it: {exc}")
    judgement = judge(outcome, model, predict(scenario, o.protocol, o.params, o.profile, fail_fast=True))
    return ScenarioResult(scenario, judgement, outcome, model, time.monotonic() - started,
                          replay_command(o, scenario.id, scenario_file))  # fmt: skip
