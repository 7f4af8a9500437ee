"""``wirecheck vectors lint``: the vectors and the reference codecs check each other.

Every file must match the schema; ids must be unique across files; every flag
needs a note; chunks must add up to the input; close reasons must be ones the
codec defines; and the reference decoder, fed the input whole and in its chunks,
must produce exactly the vector's primary expectation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wirecheck import protocols
from wirecheck.errors import ParameterError, VectorFileError
from wirecheck.oracle import describe, matches, observe

from .model import SCHEMA_FILE, _validator, family_files, load_schema, read_document, vectors_of


@dataclass
class LintReport:
    files: int = 0
    vectors: int = 0
    per_family: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def lint(directory: Path) -> LintReport:
    """Check every vector file in ``directory``; raises VectorFileError only for a missing schema/dir."""
    report = LintReport()
    if not directory.is_dir():
        raise VectorFileError(f"{directory}: no such vector directory")
    validator = _validator(load_schema(directory))
    names = sorted(p.name for p in directory.glob("*.json") if p.name != SCHEMA_FILE)
    for expected_name in family_files():
        if expected_name not in names:
            report.errors.append(f"{expected_name}: missing")
    seen: dict[str, str] = {}
    for name in names:
        try:
            doc, _ = read_document(directory / name, validator)
        except VectorFileError as exc:
            report.errors.append(str(exc))
            continue
        report.files += 1
        family = doc["family"]
        if name != f"{family}.json":
            report.errors.append(f"{name}: family {family!r} belongs in {family}.json")
        vectors = vectors_of(doc)
        if doc["numberOfVectors"] != len(vectors):
            report.errors.append(f"{name}: numberOfVectors says {doc['numberOfVectors']}, file holds {len(vectors)}")
        report.vectors += len(vectors)
        report.per_family[family] = len(vectors)
        used: set[str] = set()
        for v in vectors:
            where = f"{name}: {v.id}"
            if v.id in seen:
                report.errors.append(f"{where}: id also used in {seen[v.id]}")
            seen[v.id] = name
            spec = protocols.get(v.protocol)  # the schema admits registered protocols only
            if spec.family != family:
                report.errors.append(f"{where}: protocol {v.protocol} does not belong in {name}")
            try:
                if protocols.complete(spec, v.params) != v.params:
                    report.errors.append(f"{where}: params {v.params} are not a complete {v.protocol} configuration")
            except ParameterError as exc:
                report.errors.append(f"{where}: {exc}")
                continue
            for flag in v.flags:
                used.add(flag)
                if flag not in doc["notes"]:
                    report.errors.append(f"{where}: flag {flag!r} has no entry in notes")
            if v.chunks is not None and b"".join(v.chunks) != v.input:
                report.errors.append(f"{where}: chunks do not add up to input")
            for exp in (v.expected, *v.alternatives):
                reason = exp.outcome.get("reason")
                if reason is not None and reason not in spec.reasons:
                    report.errors.append(f"{where}: reason {reason!r} is not one the {v.protocol} codec defines")
            if any(alt == v.expected for alt in v.alternatives):
                report.errors.append(f"{where}: an alternative repeats the primary expectation")
            try:
                deliveries = [("whole", [v.input])] + ([("chunks", list(v.chunks))] if v.chunks else [])
                for label, chunks in deliveries:
                    obs = observe(spec, v.params, chunks)
                    if not matches(v.expected, obs, exact=True):
                        report.errors.append(
                            f"{where}: the reference disagrees ({label}): vector says "
                            f"{describe(v.expected)}; reference gives {describe(obs)}"
                        )
            except Exception as exc:  # a vector that crashes the oracle is reported, not raised
                report.errors.append(f"{where}: the reference raised {type(exc).__name__}: {exc}")
        for flag in sorted(set(doc["notes"]) - used):
            report.warnings.append(f"{name}: note {flag!r} is not used by any vector")
    return report
