"""``wirecheck vectors lint``: the vectors and the reference codecs check each other.

Every file must match the schema; ids must be unique; every flag needs a note; chunks
must add up to the input; close reasons must be ones the codec defines.  Then every
entry is instantiated at many configurations (``SWEEP``: 0, 1, the prefix widths' limits,
large values, a set of delimiters, both strict readings, and the files' own
configurations), wherever its group's parameters and its ``requires`` let it hold, and
the reference decoder, fed the input whole and in its chunks, must give exactly the
primary expectation there.  An entry that holds nowhere is an error too.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck import protocols
from wirecheck.codecs.spec import Param
from wirecheck.errors import ParameterError, VectorFileError
from wirecheck.oracle import describe, matches, observe

from .expr import ExprError, parse_condition
from .files import ENTRY_LIMIT, read_document, validator_for
from .model import (
    Entry,
    bundled_schema,
    configurations_of,
    entries_of,
    family_files,
    is_vector_file,
)
from .template import TooLarge

#: Values every open parameter is tried at, by kind (bounded by each parameter's own limits).
SWEEP = {
    "int": (*range(21), 63, 64, 100, 127, 128, 255, 256, 1000, 1024, 16383, 16384,
            65535, 65536, 99999, 100000, 2**20, 2**21, 2**22 + 1, 2**31 - 1, 2**32 - 1, 2**63, 2**64 - 1),
    "bytes": ("0d0a", "0a", "0d", "00", "0d0a0d0a", "787879", "0d0a0d", "7c", "616263"),
    "bool": (False, True),
}  # fmt: skip
#: Instances larger than this are not built by the linter (they are counted).
LINT_LIMIT = 256 * 1024


@dataclass
class LintReport:
    files: int = 0
    vectors: int = 0
    per_family: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    templates: int = 0
    instances: int = 0  # instantiations checked against the reference
    too_large: int = 0  # instantiations not built for their size


def _thresholds(entry: Entry, name: str) -> set[int]:
    """The integers ``entry``'s conditions compare parameter ``name`` with, and their neighbours:
    where a condition written one off would show."""
    out: set[int] = set()
    for condition in entry.requires:
        node = parse_condition(condition)
        if node[0] != "cmp":
            continue
        _, _, left, right = node
        for this, other in ((left, right), (right, left)):
            if this == ("name", name) and other[0] == "int":
                out.update((other[1] - 1, other[1], other[1] + 1))
    return out


def _values(param: Param, entry: Entry) -> list:
    if param.kind == "int":
        values = sorted(set(SWEEP["int"]) | _thresholds(entry, param.name))
        return [v for v in values if (param.minimum is None or v >= param.minimum)
                and (param.maximum is None or v <= param.maximum)]  # fmt: skip
    if param.kind == "bytes":
        return [param.default, *(v for v in SWEEP["bytes"] if v != param.default)]
    if param.kind == "bool":
        return list(SWEEP["bool"])
    if param.kind == "choice":
        return list(param.choices)
    return [param.default]


def sweep(entry: Entry, declared: list[dict]) -> list[dict]:
    """The complete configurations ``entry`` is checked at: its group's open parameters swept."""
    spec = protocols.get(entry.protocol)
    open_params = protocols.open_params(spec, entry.fixed)
    out: list[dict] = []
    for combo in itertools.product(*(_values(p, entry) for p in open_params)):
        try:
            config = protocols.complete(spec, {**entry.fixed, **dict(zip((p.name for p in open_params), combo))})
        except ParameterError:
            continue
        if config not in out:
            out.append(config)
    for config in declared:
        if config not in out:
            out.append(config)
    return out


def lint(directory: Path, complete_set: bool = False) -> LintReport:
    """Check every vector file in ``directory``; raises VectorFileError only for a missing directory.

    ``complete_set``: the directory is wirecheck's own, which has one file per registered family."""
    report = LintReport()
    if not directory.is_dir():
        raise VectorFileError(f"{directory}: no such vector directory")
    validator = validator_for(bundled_schema())
    names = sorted(p.name for p in directory.glob("*.json") if is_vector_file(p.name))
    if not names:
        report.errors.append(f"{directory}: holds no vector files")
    if complete_set:
        report.errors += [f"{name}: missing" for name in family_files() if name not in names]
    seen: dict[str, str] = {}
    for name in names:
        try:
            doc, _ = read_document(directory / name, validator)
        except VectorFileError as exc:
            report.errors.append(str(exc))
            continue
        report.files += 1
        if report.vectors + sum(len(g["vectors"]) for g in doc["groups"]) > ENTRY_LIMIT:
            report.errors.append(f"{name}: the files hold more than {ENTRY_LIMIT} entries, the most a run loads")
            continue
        _lint_file(name, doc, seen, report)
    return report


def _lint_file(name: str, doc: dict, seen: dict, report: LintReport) -> None:
    family = doc["family"]
    entries = entries_of(doc)
    if doc["numberOfVectors"] != len(entries):
        report.errors.append(f"{name}: numberOfVectors says {doc['numberOfVectors']}, file holds {len(entries)}")
    report.vectors += len(entries)
    report.per_family[family] = report.per_family.get(family, 0) + len(entries)
    declared: dict[str, list[dict]] = {}
    for protocol, params in configurations_of(doc):
        try:
            declared.setdefault(protocol, []).append(protocols.complete(protocols.get(protocol), params))
        except ParameterError as exc:
            report.errors.append(f"{name}: configuration {params} of {protocol}: {exc}")
    used: set[str] = set()
    for entry in entries:
        where = f"{name}: {entry.id}"
        if entry.id in seen:
            report.errors.append(f"{where}: id also used in {seen[entry.id]}")
        seen[entry.id] = name
        used.update(entry.flags)
        spec = protocols.get(entry.protocol)  # the schema admits registered protocols only
        if spec.family != family:
            report.errors.append(f"{where}: protocol {entry.protocol} does not belong in a {family} file")
            continue
        problems = _static(entry, doc, spec)
        if problems:
            report.errors.extend(f"{where}: {p}" for p in problems)
            continue
        report.templates += entry.template
        _check_against_reference(entry, where, sweep(entry, declared.get(entry.protocol, [])), report)
    for flag in sorted(set(doc["notes"]) - used):
        report.warnings.append(f"{name}: note {flag!r} is not used by any vector")


def _static(entry: Entry, doc: dict, spec) -> list[str]:
    """What can be checked without instantiating: parameters, conditions, flags, reasons."""
    out = []
    try:
        protocols.check(spec, entry.fixed)
    except ParameterError as exc:
        out.append(str(exc))
    for condition in entry.requires:
        try:
            parse_condition(condition)
        except ExprError as exc:
            out.append(f"requires: {exc}")
    out += [f"flag {flag!r} has no entry in notes" for flag in entry.flags if flag not in doc["notes"]]
    raw = entry.raw
    for exp in (raw, *raw.get("alternatives", ())):
        reason = exp["outcome"].get("reason")
        if reason is not None and reason not in spec.reasons:
            out.append(f"reason {reason!r} is not one the {spec.name} codec defines")
    if "chunks" in raw and "".join(raw["chunks"]) != raw["input"]:
        out.append("chunks do not add up to input")
    return out


def _check_against_reference(entry: Entry, where: str, configs: list[dict], report: LintReport) -> None:
    held = 0
    for config in configs:
        if not entry.applies(config):
            continue
        held += 1
        try:
            vector = entry.built(config, LINT_LIMIT)
        except TooLarge:
            report.too_large += 1
            continue
        except (ExprError, ValueError) as exc:
            report.errors.append(f"{where}@{config}: cannot be built: {exc}")
            return
        report.instances += 1
        label = vector.id if entry.template else f"{where} at {config}"
        if any(alt == vector.expected for alt in vector.alternatives):
            report.errors.append(f"{label}: an alternative repeats the primary expectation")
            return
        deliveries = [("whole", [vector.input])] + ([("chunks", list(vector.chunks))] if vector.chunks else [])
        try:
            for delivery, chunks in deliveries:
                obs = observe(entry.protocol, vector.params, chunks)
                if not matches(vector.expected, obs, exact=True):
                    report.errors.append(f"{label}: the reference disagrees ({delivery}): vector says "
                                         f"{describe(vector.expected)}; reference gives {describe(obs)}")  # fmt: skip
                    return
        except Exception as exc:  # a vector that crashes the oracle is reported, not raised
            report.errors.append(f"{label}: the reference raised {type(exc).__name__}: {exc}")
            return
    if not held:
        report.errors.append(f"{where}: holds in none of the configurations lint tries ({len(configs)})")
