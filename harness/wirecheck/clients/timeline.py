"""One scenario as the ordered things that happen, and what a run of it observed.

Both ways of running a client, in-process and as a command over TCP, walk the same
timeline: the actions that come before any step, then each server step followed by the
actions written after it, and the end of the application's input where the scenario puts
it.  What they observe is an ``Outcome``, which the verdict compares with the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .scenario import Event, Scenario, Step


@dataclass
class Outcome:
    """What one run of a scenario saw."""

    events: list[Event] = field(default_factory=list)
    #: The client crashed: its exception or exit status ('' when it did not).
    crash: str = ""
    #: It did not finish: why ('' when it did).
    hang: str = ""
    #: It broke its output contract (a bad line, too much output).
    broken: str = ""
    #: Requests still waiting when the run ended.
    waiting: list[str] = field(default_factory=list)
    #: What the server's script noticed (a request that never came, the client closing early).
    notes: list[str] = field(default_factory=list)
    #: The harness itself could not run the scenario (a verdict of not-run).
    not_run: str = ""
    #: The end of the client's standard error, for the report.
    stderr: str = ""


def timeline(scenario: Scenario) -> list[tuple[str, object]]:
    """``("action", line)``, ``("step", Step)`` and one ``("end", None)``, in the order they happen."""
    end_after = scenario.end_after
    if end_after is None:  # the application stays until the server's script is over, then finishes
        end_after = max([len(scenario.script) - 1, *(a.after for a in scenario.actions)])
    out: list[tuple[str, object]] = []
    for index in range(-1, len(scenario.script)):
        if index >= 0:
            step: Step = scenario.script[index]
            out.append(("step", step))
        out.extend(("action", a.line) for a in scenario.actions if a.after == index)
        if index == end_after:
            out.append(("end", None))
    return out
