"""``wirecheck clients lint``: the scenario file is valid and the model reproduces it.

Loading checks the schema, unique ids and the references between actions and steps; here
each scenario is then run through the model in every profile it applies to, over lines and
netstrings, and its expected transcript must be what the model gives (in the numbered
profile, unexpected frames carry their number, so they are left out of the comparison).
"""

from __future__ import annotations

from pathlib import Path

from .model import comparable, predict
from .scenario import Scenario, load

#: The framings a scenario's transcript must hold over.
FRAMINGS = (("line", {"delimiter": "0a", "max_length": 16384}), ("netstring", {"max_length": 16384}))


def problems_of(scenario: Scenario) -> list[str]:
    out = []
    for protocol, params in FRAMINGS:
        for profile in scenario.profiles:
            model = predict(scenario, protocol, params, profile)
            plain = profile == "plain"
            want, got = comparable(list(scenario.expected), plain), comparable(model.events, plain)
            if sorted(want) != sorted(got) or model.hang or model.crash:
                out.append(f"{scenario.id} ({protocol}, {profile}): the model gives {got}"
                           f"{' and hangs' if model.hang else ''}, the file expects {want}")  # fmt: skip
    return out


def lint(path: Path | None = None) -> tuple[int, list[str]]:
    """(scenarios checked, problems); VectorFileError when the file cannot be used at all."""
    scenarios = load(path)
    problems: list[str] = []
    for scenario in scenarios:
        problems += problems_of(scenario)
    return len(scenarios), problems
