"""Client baselines: the scenarios a client is known to fail, each with the verdict it must still get.

A run with ``--baseline FILE`` passes when the failures are exactly these: a failure not
listed is unexpected, a listed scenario that now passes is stale (the bug was fixed: take the
entry out), one that fails differently has changed.  Behaviours the generated scenarios find
must be listed too; one listed but not found again is not stale (generation is a search,
and a scenario states the same thing for certain).
"""

from __future__ import annotations

import json
from pathlib import Path

from wirecheck.errors import UsageError

FORMAT = "wirecheck-client-baseline"
#: Verdicts a baseline lists (acceptable and not-run are not failures).
FAILING = ("fail", "crash", "hang")
SIZE_LIMIT = 4 << 20


def read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            raw = f.read(SIZE_LIMIT + 1)
        doc = json.loads(raw)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the baseline: {exc}") from None
    if len(raw) > SIZE_LIMIT or not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise UsageError(f"{path}: not a client baseline (format {FORMAT!r}; wirecheck clients --write-baseline)")
    scenarios = doc.get("scenarios", {})
    if not isinstance(scenarios, dict) or not all(isinstance(v, dict) and v.get("verdict") in FAILING
                                                  for v in scenarios.values()):  # fmt: skip
        raise UsageError(f"{path}: 'scenarios' maps ids to {{'verdict': {' | '.join(FAILING)}, 'behaviours': [...]}}")
    if not isinstance(doc.get("properties", []), list):
        raise UsageError(f"{path}: 'properties' is a list of behaviour names")
    return doc


def from_results(results: dict) -> dict:
    """A baseline holding exactly the failures of one run's results."""
    scenarios = {r["id"]: {"verdict": r["verdict"], "behaviours": r["behaviours"], "message": r["message"]}
                 for r in results["scenarios"] if r["verdict"] in FAILING}  # fmt: skip
    props = sorted({f["behaviour"] for f in (results.get("properties") or {}).get("failures", [])})
    return {"format": FORMAT, "version": 1, "target": results["target"], "profile": results["profile"],
            "scenarios": scenarios, "properties": props}  # fmt: skip


def check(baseline: dict, results: dict) -> list[str]:
    """What differs from the baseline, one line each (empty: it holds)."""
    expected = baseline.get("scenarios", {})
    out = []
    for r in results["scenarios"]:
        entry = expected.get(r["id"])
        failing = r["verdict"] in FAILING
        if entry is None:
            if failing:
                out.append(f"unexpected: {r['id']} {r['verdict']}: {r['message']}")
        elif not failing:
            out.append(f"stale: {r['id']} is listed as {entry['verdict']} but now gives {r['verdict']}")
        elif entry["verdict"] != r["verdict"] or sorted(entry.get("behaviours", [])) != sorted(r["behaviours"]):
            out.append(f"changed: {r['id']} was {entry['verdict']} {entry.get('behaviours')}, now {r['verdict']} "
                       f"{r['behaviours']}: {r['message']}")  # fmt: skip
    known = set(baseline.get("properties", []))
    for f in (results.get("properties") or {}).get("failures", []):
        if f["behaviour"] not in known:
            out.append(f"unexpected: property {f['behaviour']}: {f['message']}")
    return out
