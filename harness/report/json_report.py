"""The JSON results format, version 1 (documented in docs/results-format.md)."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone

from harness import __version__
from harness.runner import ACCEPTABLE, ERROR, FAIL, PASS, TIMEOUT, UNIMPLEMENTED, CaseResult, RunResult

FORMAT = "wirecheck-results"
VERSION = 1


def case_json(case: CaseResult) -> dict:
    v = case.vector
    out = {
        "id": v.id,
        "protocol": v.protocol,
        "params": v.params,
        "flags": list(v.flags),
        "result": v.result,
        "verdict": case.verdict,
        "expected": v.expected.to_json(),
        "alternatives": [a.to_json() for a in v.alternatives],
        "observed": None,
        "delivery": case.delivery or None,
        "detail": case.detail,
        "deliveries": case.deliveries,
        "duration": round(case.duration, 6),
        "trace": [],
    }
    obs = case.observed
    if obs is not None:
        observed = {"frames": obs.frames, "outcome": obs.outcome()}
        if obs.dialect is not None and obs.dialect is not ...:  # ... = a socket cannot see it
            observed["dialect"] = obs.dialect
        if obs.problems:
            observed["problems"] = list(obs.problems)
        out["observed"] = observed
        out["trace"] = [{"direction": d, "offset": off, "time": t, "bytes": data} for d, off, t, data in obs.trace]
    return out


def results_json(
    result: RunResult,
    *,
    vectors_digest: str,
    vectors_dir: str,
    params: dict,
    started: datetime,
    target_output: str | None = None,
    properties: list | None = None,
    seed: int | None = None,
) -> dict:
    properties = properties or []
    return {
        "format": FORMAT,
        "version": VERSION,
        "harness": {"name": "wirecheck", "version": __version__, "python": platform.python_version()},
        "vectors": {"directory": vectors_dir, "sha256": vectors_digest},
        "target": result.target,
        "target_output": target_output,
        "params": params,
        "started": started.astimezone(timezone.utc).isoformat(timespec="seconds"),
        "duration": round(result.duration, 3),
        "aborted": result.aborted or None,
        "summary": {
            "cases": len(result.cases),
            "passed": result.passed,
            "failed": result.failed,
            **{v: result.count(v) for v in (PASS, ACCEPTABLE, FAIL, TIMEOUT, ERROR, UNIMPLEMENTED)},
        },
        "cases": [case_json(c) for c in result.cases],
        "properties": {
            "seed": seed,
            "held": sum(p.verdict == PASS for p in properties),
            "failed": sum(p.verdict == FAIL for p in properties),
            "results": [property_json(p) for p in properties],
        },
    }


def property_json(result) -> dict:
    """One property run; a failure carries its shrunk vector in the golden format and the replay command."""
    from harness.properties import vector_json

    out = {
        "name": result.name,
        "protocol": result.protocol,
        "params": result.params,
        "verdict": result.verdict,
        "examples": result.examples,
        "seed": result.seed,
        "duration": round(result.duration, 3),
        "detail": result.detail,
        "vector": vector_json(result.vector) if result.vector is not None else None,
        "observed": None,
        "replay": result.replay or None,
        "flaky": result.flaky,
    }
    obs = result.observed
    if obs is not None:
        out["observed"] = {"frames": obs.frames, "outcome": obs.outcome()}
        if obs.problems:
            out["observed"]["problems"] = list(obs.problems)
    return out


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=True) + "\n"


def now() -> datetime:
    return datetime.now(timezone.utc)
