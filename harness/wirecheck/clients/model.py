"""The model: the transcript a robust client gives for a scenario, and its one acceptable alternative.

It is the reference client (``reference.py``) run in-process against the scenario's script,
once as it is (unexpected frames reported and ignored) and once failing fast (closing at
the first unexpected frame).  Every verdict compares with these two; ``wirecheck clients
lint`` checks that the scenario file's expected transcripts are what the model gives.
"""

from __future__ import annotations

from .inprocess import run_inprocess
from .reference import ReferenceClient
from .scenario import Event, Scenario
from .timeline import Outcome


def predict(scenario: Scenario, protocol: str, params: dict, profile: str = "plain",
            fail_fast: bool = False) -> Outcome:  # fmt: skip
    """What a robust client's application is told when the server plays ``scenario``."""
    return run_inprocess(lambda: ReferenceClient(protocol, params, profile, fail_fast), scenario, protocol, params,
                         profile)  # fmt: skip


def comparable(events: list[Event], with_unexpected: bool = True) -> list[tuple]:
    """Events as a scenario file writes them (error reasons are free text, left out)."""
    return [(e.kind, e.id, e.data) for e in events if with_unexpected or e.kind != "unexpected"]
