"""Known failures and what changed: baselines for CI, and diffs between two runs.

A baseline lists, per implementation and configuration, the failures that are expected, each
with what must still be observed (tlsfuzzer's expected failures): vector ids with their
behaviour and observed outcome, and the behaviours each property may find.  A run passes
against it when every failure is listed and still looks the same; a listed vector that now
passes is stale and fails the run too, so a fixed bug cannot hide behind an old entry.
Property entries are allowances, never required: a property's search is random, so one not
finding a listed behaviour this time proves nothing.

Results documents are read from disk: they are untrusted, bounded and shape-checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck import protocols
from wirecheck.errors import ParameterError, UsageError

FORMAT = "wirecheck-baseline"
READ_LIMIT = 64 << 20
FAILING = ("fail", "timeout", "error")


def read_json(path: Path, what: str) -> dict:
    try:
        with open(path, "rb") as f:
            raw = f.read(READ_LIMIT + 1)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > READ_LIMIT:
        raise UsageError(f"{path}: larger than {READ_LIMIT} bytes")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{path}: not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise UsageError(f"{path}: not a {what}")
    return doc


def failures_of(results: dict) -> dict:
    """A run's failures keyed by configuration: ``{(protocol, params-json): {"vectors": {id: {...}},
    "properties": {name: [behaviours]}, "ran": [vector ids]}}``."""
    out: dict = {}
    params = results.get("params") if isinstance(results.get("params"), dict) else {}

    def entry(protocol: str) -> dict:
        key = config_key(protocol, params)
        return out.setdefault(key, {"protocol": protocol, "params": _relevant(protocol, params), "vectors": {},
                                    "properties": {}, "ran": []})  # fmt: skip

    for case in results.get("cases") or []:
        if not isinstance(case, dict) or case.get("protocol") not in protocols.names():
            continue
        e = entry(case["protocol"])
        e["ran"].append(str(case.get("id")))
        if case.get("verdict") in FAILING:
            observed = (case.get("observed") or {}).get("outcome") or {}
            behaviour = str(case.get("behaviour") or "unclassified")
            status = str(observed.get("status") or case.get("verdict"))
            e["vectors"][str(case.get("id"))] = {"behaviour": behaviour, "observed": status}
    for prop in (results.get("properties") or {}).get("results") or []:
        if not isinstance(prop, dict) or prop.get("protocol") not in protocols.names():
            continue
        e = entry(prop["protocol"])
        names = sorted({str(f.get("behaviour")) for f in prop.get("findings") or [] if isinstance(f, dict)})
        if prop.get("verdict") == "fail":
            e["properties"][str(prop.get("name"))] = names or ["unclassified"]
    return out


def _relevant(protocol: str, params: dict) -> dict:
    """The run's parameters that belong to ``protocol``, completed with its defaults."""
    spec = protocols.get(protocol)
    names = {p.name for p in spec.params}
    try:
        return protocols.complete(spec, {k: v for k, v in params.items() if k in names})
    except ParameterError:
        return {k: v for k, v in params.items() if k in names}


def config_key(protocol: str, params: dict) -> str:
    return f"{protocol} {json.dumps(_relevant(protocol, params), sort_keys=True)}"


def write_baseline(documents: dict[str, list[dict]]) -> dict:
    """A baseline holding exactly the failures of ``documents`` (implementation name -> its runs' results)."""
    impls = {}
    for name, runs in documents.items():
        configs = {}
        for key, e in _merged(runs).items():
            if e["vectors"] or e["properties"]:
                configs[key] = {"protocol": e["protocol"], "params": e["params"], "vectors": e["vectors"],
                                "properties": e["properties"]}  # fmt: skip
        impls[name] = configs
    return {"format": FORMAT, "version": 1, "implementations": impls}


def check_baseline(baseline: dict, path: Path) -> dict:
    """The baseline's implementations; UsageError when it is not a baseline."""
    impls = baseline.get("implementations")
    if baseline.get("format") != FORMAT or not isinstance(impls, dict):
        raise UsageError(f"{path}: not a wirecheck baseline (format {FORMAT!r})")
    return impls


def implementation_entries(baseline: dict, name: str | None, path: Path) -> dict:
    impls = check_baseline(baseline, path)
    if name is None:
        if len(impls) != 1:
            raise UsageError(f"{path} holds {len(impls)} implementations: say which with --baseline-impl "
                             f"({', '.join(impls)})")  # fmt: skip
        name = next(iter(impls))
    if name not in impls or not isinstance(impls[name], dict):
        raise UsageError(f"{path}: no implementation {name!r} (it has {', '.join(impls)})")
    return impls[name]


@dataclass
class Check:
    unexpected: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    expected: int = 0

    @property
    def passed(self) -> bool:
        return not self.unexpected and not self.stale


def check(entries: dict, results: dict) -> Check:
    """``results`` against one implementation's baseline entries."""
    out = Check()
    for key, now in failures_of(results).items():
        known = entries.get(key) if isinstance(entries.get(key), dict) else {}
        known_vectors = known.get("vectors") if isinstance(known.get("vectors"), dict) else {}
        known_props = known.get("properties") if isinstance(known.get("properties"), dict) else {}
        for ident, seen in now["vectors"].items():
            want = known_vectors.get(ident)
            if want is None:
                out.unexpected.append(f"{key}: {ident} fails ({seen['behaviour']}, observed {seen['observed']})")
            elif want != seen:
                out.unexpected.append(f"{key}: {ident} now {seen['behaviour']}, observed {seen['observed']} "
                                      f"(the baseline says {want})")  # fmt: skip
            else:
                out.expected += 1
        for ident in known_vectors:
            if ident in now["ran"] and ident not in now["vectors"]:
                out.stale.append(f"{key}: {ident} passes now: the baseline entry is stale")
        # A behaviour listed for any property of the configuration is allowed for all: which
        # property happens on it first depends on the examples drawn, not on the implementation.
        allowed = {n for names in known_props.values() if isinstance(names, list) for n in names}
        for prop, names in now["properties"].items():
            extra = [n for n in names if n not in allowed]
            if extra:
                out.unexpected.append(f"{key}: property {prop} found {', '.join(extra)}")
            else:
                out.expected += 1
    return out


def diff(old: dict, new: dict) -> tuple[list[str], list[str], list[str]]:
    """(regressions, fixes, changes) between two documents: matrix results or run results."""
    regressions, fixes, changes = [], [], []
    old_runs, new_runs = _runs(old), _runs(new)
    for name in sorted(set(old_runs) | set(new_runs)):
        before = _merged(old_runs.get(name, []))
        after = _merged(new_runs.get(name, []))
        for key in sorted(set(before) | set(after)):
            b = before.get(key, {"vectors": {}, "properties": {}, "ran": []})
            a = after.get(key, {"vectors": {}, "properties": {}, "ran": []})
            where = f"{name} {key}"
            for ident, seen in a["vectors"].items():
                if ident not in b["vectors"]:
                    regressions.append(f"{where}: {ident} now fails ({seen['behaviour']})")
                elif b["vectors"][ident] != seen:
                    changes.append(f"{where}: {ident} was {b['vectors'][ident]['behaviour']}, now {seen['behaviour']}")
            for ident, seen in b["vectors"].items():
                if ident not in a["vectors"] and ident in a["ran"]:
                    fixes.append(f"{where}: {ident} passes now (was {seen['behaviour']})")
            was = {n for names in b["properties"].values() for n in names}
            now = {n for names in a["properties"].values() for n in names}
            regressions += [f"{where}: a property now finds {n}" for n in sorted(now - was)]
            fixes += [
                f"{where}: no property finds {n} any more" for n in sorted(was - now) if a["ran"] or a["properties"]
            ]
    return regressions, fixes, changes


def _merged(runs: list[dict]) -> dict:
    out: dict = {}
    for run in runs:
        out.update(failures_of(run))
    return out


def _runs(doc: dict) -> dict[str, list[dict]]:
    """Implementation name -> its runs' results; a single run's results is the implementation ``target``."""
    if doc.get("format") == "wirecheck-results":
        return {"target": [doc]}
    if doc.get("format") == "wirecheck-matrix" and isinstance(doc.get("runs"), list):
        out: dict[str, list[dict]] = {}
        for run in doc["runs"]:
            if isinstance(run, dict) and isinstance(run.get("results"), dict):
                out.setdefault(str(run.get("implementation")), []).append(run["results"])
        return out
    raise UsageError("not a wirecheck results document (wirecheck-results or wirecheck-matrix)")


def runs_by_implementation(doc: dict) -> dict[str, list[dict]]:
    return _runs(doc)
