"""The JSON results format, version 1 (documented in docs/results-format.md)."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone

from wirecheck import __version__
from wirecheck.checks import CaseResult, Finding, PropertyResult, Verdict, sentence, vector_json
from wirecheck.run import Outcome

FORMAT = "wirecheck-results"
#: A failing case's input is written (as hex) when it is at most this many bytes.
INPUT_KEPT_UP_TO = 4096
VERSION = 1


def case_json(case: CaseResult) -> dict:
    v = case.vector
    out = {
        "id": v.id,
        "base_id": v.base_id or v.id,
        "protocol": v.protocol,
        "params": v.params,
        "flags": list(v.flags),
        "result": v.result,
        # The input of a failure, when small enough to be evidence a reader checks by hand.
        "input": v.input.hex() if case.verdict.failing and len(v.input) <= INPUT_KEPT_UP_TO else None,
        "input_length": len(v.input),
        "verdict": case.verdict.value,
        "expected": v.expected.to_json(),
        "alternatives": [a.to_json() for a in v.alternatives],
        "observed": None,
        "delivery": case.delivery or None,
        "detail": case.detail,
        "behaviour": case.behaviour or None,
        "deliveries": case.deliveries,
        "duration": round(case.duration, 6),
        "trace": [],
    }
    obs = case.observed
    if obs is not None:
        frames = out["expected"]["frames"] if case.frames_as_expected else obs.frames
        observed = {"frames": frames, "outcome": obs.outcome()}
        if obs.dialect is not None and obs.dialect is not ...:  # ... = a socket cannot see it
            observed["dialect"] = obs.dialect
        if obs.problems:
            observed["problems"] = list(obs.problems)
        if case.frames_not_kept:
            observed["frames_not_kept"] = case.frames_not_kept
        out["observed"] = observed
        out["trace"] = [{"direction": d, "offset": off, "time": t, "bytes": data} for d, off, t, data in obs.trace]
    return out


def results_json(outcome: Outcome) -> dict:
    """The whole run as a document of the results format."""
    result = outcome.result
    vector_set = outcome.vector_set
    properties = outcome.properties
    return {
        "format": FORMAT,
        "version": VERSION,
        "harness": {"name": "wirecheck", "version": __version__, "python": platform.python_version()},
        "vectors": {  # both null with --only properties, which reads no vector file
            "directory": None if vector_set is None else str(vector_set.directory),
            "sha256": None if vector_set is None else vector_set.digest,
        },
        "target": result.target or outcome.target,
        "target_output": outcome.target_output,
        "target_notes": outcome.target_notes,
        "params": outcome.params,
        "started": outcome.started.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "duration": round(result.duration, 3),
        "aborted": result.aborted or None,
        "sanity": outcome.sanity or None,
        "summary": {
            "cases": len(result.cases),
            "passed": result.passed,
            "failed": result.failed,
            **{v.value: result.count(v) for v in Verdict},
        },
        "cases": [case_json(c) for c in result.cases],
        "properties": {
            "seed": outcome.seed,
            "held": sum(p.verdict == Verdict.PASS for p in properties),
            "failed": sum(p.verdict == Verdict.FAIL for p in properties),
            "not_run": sum(p.verdict == Verdict.NOT_RUN for p in properties),
            "results": [property_json(p) for p in properties],
        },
    }


def property_json(result: PropertyResult) -> dict:
    """One property run; a failure carries its shrunk vector in the golden format and the replay command."""
    out = {
        "name": result.name,
        "protocol": result.protocol,
        "params": result.params,
        "verdict": result.verdict.value,
        "examples": result.examples,
        "seed": result.seed,
        "duration": round(result.duration, 3),
        "detail": result.detail,
        "vector": vector_json(result.vector) if result.vector is not None else None,
        "observed": None,
        "replay": result.replay or None,
        "flaky": result.flaky,
        "behaviour": result.behaviour or None,
        "findings": [finding_json(f) for f in result.findings],
    }
    obs = result.observed
    if obs is not None:
        out["observed"] = {"frames": obs.frames, "outcome": obs.outcome()}
        if obs.problems:
            out["observed"]["problems"] = list(obs.problems)
    return out


def finding_json(finding: Finding) -> dict:
    """One behaviour a property found: its name, sentence, shrunk vector and replay command."""
    out = {
        "behaviour": finding.behaviour,
        "sentence": sentence(finding.behaviour),
        "detail": finding.detail,
        "vector": vector_json(finding.vector),
        "observed": None,
        "replay": finding.replay,
    }
    if finding.observed is not None:
        out["observed"] = {"frames": finding.observed.frames, "outcome": finding.observed.outcome()}
    return out


#: Values nested deeper than this (an endpoint's Banana echo, say) are replaced by a note: the
#: JSON encoder recurses, and a report must be written whatever the endpoint sent.
DEPTH_LIMIT = 200
TOO_DEEP = f"(nested more than {DEPTH_LIMIT} levels deep: not shown)"


def capped(doc):
    """A copy of ``doc`` with every list or object deeper than DEPTH_LIMIT replaced by TOO_DEEP,
    made with an explicit stack (strings are shared, not copied)."""
    root: list = [None]
    stack: list = [(doc, root, 0, 0)]
    while stack:
        value, parent, key, depth = stack.pop()
        if isinstance(value, (list, tuple, dict)) and depth >= DEPTH_LIMIT:
            parent[key] = TOO_DEEP
        elif isinstance(value, (list, tuple)):
            parent[key] = copy = [None] * len(value)
            stack.extend((item, copy, i, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, dict):
            parent[key] = copy = dict.fromkeys(value)
            stack.extend((item, copy, k, depth + 1) for k, item in value.items())
        else:
            parent[key] = value
    return root[0]


def dumps(doc: dict) -> str:
    return json.dumps(capped(doc), indent=1, ensure_ascii=True) + "\n"


def now() -> datetime:
    return datetime.now(timezone.utc)
