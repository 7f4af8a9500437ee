"""What one cell found, in the behaviour vocabulary: the JSON every report is written from.

``summarize(cell)`` turns a cell's run results into ``{"state", "behaviours": [{name,
sentence, count, evidence}], "failures": {...}}``: each behaviour once, with its shortest
evidence (a vector or a property's shrunk example, the replay command and the wire trace).
Where one cause explains several names (a maximum that depends on the split also looks like
"no maximum" in one cut and "off by one" in another), the others are kept as ``also``.
"""

from __future__ import annotations

from collections import Counter

from wirecheck.checks import BEHAVIOURS, sentence

from .cells import Cell, reproduce, run_words

#: behaviour -> the names it explains when both are found in one configuration.
EXPLAINS = {
    "max-depends-on-split": ("no-max", "max-off-by-one", "max-counts-delimiter", "delimiter-split-rejected"),
    "no-max": ("max-off-by-one",),
}
#: Verdicts of a case that count as a finding.
FAILING = ("fail", "timeout", "error")
#: Wire trace entries kept per piece of evidence.
TRACE_LIMIT = 64
#: Observed frames kept per piece of evidence.
OBSERVED_FRAMES = 8


def summarize(cell: Cell, seed: int, examples: int, deadline: float) -> dict:
    out = {
        "implementation": cell.impl.name,
        "configuration": cell.config.key,
        "protocol": cell.config.protocol,
        "params": cell.config.params,
        "role": cell.config.role,
        "state": cell.state if not cell.impl.unavailable else "not-available",
        "reason": cell.impl.unavailable or cell.reason,
        "duration": round(cell.duration, 2),
        "command": reproduce(run_words(cell.impl, cell.config, seed, examples, deadline)),
        "counts": {},
        "behaviours": [],
        "also": [],
        "failures": {"vectors": {}, "properties": {}},
        "cost": cell.cost,
    }
    if out["state"] != "ran":
        return out
    results = cell.results
    cases = results.get("cases") or []
    props = (results.get("properties") or {}).get("results") or []
    counts = Counter(c.get("verdict") for c in cases)
    out["counts"] = {"vectors": len(cases), "passed": counts["pass"] + counts["acceptable"],
                     "failed": sum(counts[v] for v in FAILING), "not_run": counts["not-run"],
                     "properties": len(props), "held": sum(p.get("verdict") == "pass" for p in props),
                     "properties_failed": sum(p.get("verdict") == "fail" for p in props)}  # fmt: skip
    evidence: dict[str, dict] = {}
    found: Counter = Counter()
    heard: dict[str, bool] = {}  # name -> some finding of it was an answer, not a wait (a timeout)
    base = run_words(cell.impl, cell.config, seed, examples, deadline)[:-6]  # no seed, examples, deadline
    for case in cases:
        if case.get("verdict") not in FAILING:
            continue
        name = _known(case.get("behaviour"))
        found[name] += 1
        heard[name] = heard.get(name, False) or case.get("verdict") != "timeout"
        out["failures"]["vectors"][case["id"]] = {"behaviour": name, "verdict": case["verdict"],
                                                   "observed": _outcome(case)}  # fmt: skip
        _keep(evidence, name, _case_evidence(case, reproduce([*base, "--case", case["id"]])))
    for prop in props:
        findings = prop.get("findings") or []
        if prop.get("verdict") == "fail" and not findings:  # an older results file: one unnamed failure
            findings = [{"behaviour": prop.get("behaviour") or "unclassified", **prop}]
        names = []
        for finding in findings:
            name = _known(finding.get("behaviour"))
            names.append(name)
            found[name] += 1
            heard[name] = heard.get(name, False) or not str(finding.get("detail", "")).startswith("timeout")
            _keep(evidence, name, _finding_evidence(prop, finding))
        if names:
            out["failures"]["properties"][prop["name"]] = sorted(set(names))
    explained = {n for name in found for n in EXPLAINS.get(name, ()) if n in found}
    if "continues-after-error" in found and "no-max" in found and not heard["no-max"]:
        # It only ever waited where it should have closed, and it is known to ignore errors and go on:
        # an endpoint that discards an over-long frame as it arrives (Netty's default) waits the same.
        explained.add("no-max")
    for name, count in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        entry = {"name": name, "sentence": sentence(name), "count": count, "evidence": evidence[name]}
        (out["also"] if name in explained else out["behaviours"]).append(entry)
    return out


def _known(name) -> str:
    return name if isinstance(name, str) and name in BEHAVIOURS else "unclassified"


def _outcome(case: dict) -> str:
    observed = case.get("observed") or {}
    return str((observed.get("outcome") or {}).get("status") or case.get("verdict"))


def _keep(evidence: dict, name: str, candidate: dict) -> None:
    """The shortest input is the evidence a reader can check by hand."""
    current = evidence.get(name)
    if current is None or len(candidate["input"]) < len(current["input"]):
        evidence[name] = candidate


def _case_evidence(case: dict, replay: str) -> dict:
    v = case
    return {
        "kind": "vector",
        "id": v["id"],
        "input": _input_of(case),
        "delivery": v.get("delivery") or "",
        "detail": v.get("detail") or "",
        "replay": replay,
        "trace": (v.get("trace") or [])[:TRACE_LIMIT],
        "observed": _frames(v.get("observed")),
    }


def _input_of(case: dict) -> str:
    """The vector's input as hex: the results carry the expected side, the vector id and the trace."""
    sent = [t["bytes"] for t in case.get("trace") or [] if t.get("direction") == "send"]
    return case.get("input") or "".join(sent)


def _finding_evidence(prop: dict, finding: dict) -> dict:
    vector = finding.get("vector") or {}
    return {
        "kind": "property",
        "id": f"{prop['name']}: {vector.get('id', '')}",
        "input": vector.get("input", ""),
        "delivery": "reads " + ",".join(vector.get("chunks") or [vector.get("input", "")]),
        "detail": finding.get("detail") or "",
        "replay": finding.get("replay") or "",
        "trace": [],
        "observed": _frames(finding.get("observed")),
    }


def _frames(observed) -> list[str]:
    """What the target delivered, as hex (byte frames only; Banana's values are in the detail)."""
    frames = (observed or {}).get("frames") if isinstance(observed, dict) else None
    return [f[:8192] for f in (frames or [])[:OBSERVED_FRAMES] if isinstance(f, str)]
