"""What a fuzzing run found, settled: minimized, named, one per behaviour, saved as vectors.

Each failing input is reduced (the shortest stream, the fewest reads that still show the same
behaviour), named by the compatibility report's vocabulary with the same probes a property
uses, and the smallest of each behaviour is kept.  They are saved as golden-format vectors in
``FINDINGS/FAMILY.json`` (``wirecheck vectors lint --vectors FINDINGS`` accepts the directory,
``wirecheck run --vectors FINDINGS`` runs it), with a content-derived id, and each comes with
the ``wirecheck replay`` command that runs it through any target.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wirecheck import protocols, vectors
from wirecheck.checks import PROPERTIES, Case, Target, case_of, digest, replay_command, sentence
from wirecheck.checks.definitions import Checked, check_case, example_behaviour
from wirecheck.checks.reduce import reduce
from wirecheck.fileio import write_atomically
from wirecheck.oracle import Observation
from wirecheck.vectors.export import documents, write

from .differential import Differential
from .inputs import encode

#: The property whose flag and probes a fuzz finding borrows: arbitrary bytes, the reference's answer.
_PROPERTY = PROPERTIES["differential"]
#: What libFuzzer stopped a worker for, whose inputs are not delivered again while settling (the
#: target would hang again, or take this process's memory): the behaviour each is, and why.
NOT_REPLAYED = {
    "stalls": ("stalls", "no answer within the fuzzer's time limit for one input"),
    "out-of-memory": ("crashes", "ran out of memory on this input (over the -rss_limit_mb of libFuzzer)"),
}


@dataclass
class FuzzFinding:
    behaviour: str
    case: Case
    detail: str
    vector: vectors.Vector
    replay: str

    def line(self) -> str:
        size = f"{len(self.case.data)} bytes in {len(self.case.chunks)} reads"
        return f"{self.behaviour}: it {sentence(self.behaviour)} ({size})"


class _Raising(Target):
    """The target, with an exception escaping it turned into an observation that fails, so the
    reducer can shrink a crash like any other failure."""

    def __init__(self, inner: Target) -> None:
        self.inner, self.name, self.reports_reasons = inner, inner.name, inner.reports_reasons
        self.endpoint = inner.endpoint

    def deliver(self, vector, chunks: Sequence[bytes], *, settle: float = 0.0) -> Observation:
        try:
            return self.inner.deliver(vector, chunks)
        except Exception as exc:
            obs = Observation()
            obs.problems.append(f"{type(exc).__name__}: {exc}"[:200])
            return obs


def settle(
    target: Target, target_spec: str, protocol: str, params: dict, inputs: dict[str, list[bytes]], until: float
) -> list[FuzzFinding]:
    """``inputs``: behaviour first seen -> failing inputs.  The findings, one per behaviour."""
    differential = Differential(target, protocol, params)
    best: dict[str, FuzzFinding] = {}
    for first, datas in sorted(inputs.items()):
        for data in sorted(datas, key=len)[:2]:
            found = _settle_one(differential, target, target_spec, protocol, params, first, data, until)
            if found is None:
                continue
            kept = best.get(found.behaviour)
            if kept is None or (len(found.case.data), len(found.case.chunks)) < (
                len(kept.case.data),
                len(kept.case.chunks),
            ):
                best[found.behaviour] = found
    return sorted(best.values(), key=lambda f: f.behaviour)


def _settle_one(
    differential: Differential,
    target: Target,
    target_spec: str,
    protocol: str,
    params: dict,
    first: str,
    data: bytes,
    until: float,
) -> FuzzFinding | None:
    if first in NOT_REPLAYED:
        behaviour, why = NOT_REPLAYED[first]
        return _finding(behaviour, _case_of(protocol, params, data), why, target_spec)
    divergence = differential.check(data)
    if divergence is None:  # it did not fail again: timing or state outside the input
        return None
    behaviour = divergence.behaviour
    case = case_of(protocol, params, divergence.chunks)

    def same_behaviour(candidate: Case, checked: Checked) -> bool:
        again = differential.check(encode(candidate.chunks))
        return again is not None and again.behaviour == behaviour

    raising = _Raising(target)
    checked = check_case(raising, _PROPERTY, case)
    if checked.problem:
        small = reduce(
            raising,
            _PROPERTY,
            case,
            checked.problem,
            checked.observed,
            min(until, time.monotonic() + 10),
            keeps=same_behaviour,
        )
        case = small["case"]
        checked = check_case(raising, _PROPERTY, case)
    if behaviour != "crashes" and checked.problem:
        try:
            behaviour = example_behaviour(target, _PROPERTY, case, checked)
        except Exception:
            pass
    final = differential.check(encode(case.chunks))
    detail = final.problem if final is not None else divergence.problem
    return _finding(behaviour, case, detail, target_spec)


def _case_of(protocol: str, params: dict, data: bytes) -> Case:
    from .inputs import decode

    return case_of(protocol, params, decode(data))


def _finding(behaviour: str, case: Case, detail: str, target_spec: str) -> FuzzFinding:
    spec = protocols.get(case.protocol)
    ident = f"fuzz-{case.protocol}-{behaviour}-{digest(case)}"
    vector = case.vector(
        ident, f"Found by wirecheck fuzz: it {sentence(behaviour)}", "wirecheck fuzz", (_PROPERTY.flag_for(spec),)
    )
    replay = replay_command(case.protocol, case.params, case.chunks, target_spec)
    return FuzzFinding(behaviour, case, detail, vector, replay)


def save(directory: Path, findings: list[FuzzFinding]) -> list[Path]:
    """Add ``findings`` to the vector files in ``directory`` (kept between runs; an id already
    there is not written twice).  The files written."""
    if not findings:
        return []
    vector_set = vectors.load()
    docs = documents(vector_set, [f.vector for f in findings], "findings of wirecheck fuzz")
    for family, doc in docs.items():
        path = directory / f"{family}.json"
        old = _readable(path)
        if old is not None:
            doc = _merged(old, doc)
        docs[family] = doc
    written = write(directory, docs)
    write_atomically(directory / "replay.txt", "".join(f"{f.vector.id}: {f.replay}\n" for f in findings))
    return written


def _readable(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("groups"), list) else None


def _merged(old: dict, new: dict) -> dict:
    """``old``'s groups with ``new``'s vectors added where their ids are new."""
    ids = {
        v.get("id") for g in old["groups"] if isinstance(g, dict) for v in g.get("vectors", []) if isinstance(v, dict)
    }
    for group in new["groups"]:
        fresh = [v for v in group["vectors"] if v["id"] not in ids]
        same = next(
            (g for g in old["groups"] if g.get("protocol") == group["protocol"] and g.get("params") == group["params"]),
            None,
        )
        if same is None:
            old["groups"].append({**group, "vectors": fresh})
        else:
            same["vectors"] = [*same.get("vectors", []), *fresh]
    old["numberOfVectors"] = sum(len(g.get("vectors", [])) for g in old["groups"])
    old.setdefault("notes", {}).update(new.get("notes", {}))
    return old
