"""Conformance checks as a library: golden vectors and properties, against any target.

    from wirecheck.checks import check_property, run_case
    from wirecheck.targets import ReferenceTarget

    run_case(ReferenceTarget(), vector)                      # -> CaseResult, verdict and why
    check_property(target, "round_trip", "netstring", {"max_length": 100})   # raises PropertyFailure

A target is a ``Target`` (see ``wirecheck.checks.target``): ``deliver(vector, chunks)``
plus explicit, documented abilities.  Verdicts are ``Verdict`` members.
"""

from .behaviours import BEHAVIOURS, Failure, classify, sentence
from .case import Case, case_of, digest, vector_json
from .definitions import PROPERTIES, PROPERTY_NAMES, Property, check_case
from .engine import PRINT_VECTOR_UP_TO, Finding, PropertyFailure, PropertyResult, check_property, run_property
from .reduce import frame_boundaries
from .replay import compact_hex, parse_compact_hex, replay_case, replay_command
from .target import Target, as_target
from .vector_case import CaseResult, EndpointGone, deliveries, run_case
from .verdict import FAILING, Verdict

__all__ = [
    "BEHAVIOURS",
    "FAILING",
    "PRINT_VECTOR_UP_TO",
    "PROPERTIES",
    "PROPERTY_NAMES",
    "Case",
    "CaseResult",
    "EndpointGone",
    "Failure",
    "Finding",
    "Property",
    "PropertyFailure",
    "PropertyResult",
    "Target",
    "Verdict",
    "as_target",
    "case_of",
    "check_case",
    "check_property",
    "classify",
    "compact_hex",
    "deliveries",
    "digest",
    "frame_boundaries",
    "parse_compact_hex",
    "replay_case",
    "replay_command",
    "run_case",
    "run_property",
    "sentence",
    "vector_json",
]
