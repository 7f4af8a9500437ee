"""Request/reply clients under test: wirecheck plays the misbehaving server (docs/client-contract.md).

The public face: the scenarios (``load``), a client target and a run of one scenario
(``ClientTarget``, ``run_scenario``), the model (``predict``, the ``ReferenceClient``), the
verdicts, and the generated scenarios (``client_scenarios``, ``check_property``).
"""

from __future__ import annotations

from .model import predict
from .reference import ReferenceClient
from .scenario import Scenario, load
from .session import ClientOptions, ClientTarget, ScenarioResult, run_scenario
from .strategies import check_property, client_scenarios
from .verdict import ClientVerdict, Judgement, judge

__all__ = [
    "ClientOptions",
    "ClientTarget",
    "ClientVerdict",
    "Judgement",
    "ReferenceClient",
    "Scenario",
    "ScenarioResult",
    "check_property",
    "client_scenarios",
    "judge",
    "load",
    "predict",
    "run_scenario",
]
