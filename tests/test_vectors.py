"""The golden vectors: size, coverage, schema, and agreement with the reference."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from wirecheck.vectors import VectorFileError, load
from wirecheck.vectors.lint import lint

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "vectors"


@pytest.fixture(scope="module")
def vector_set():
    return load(VECTORS)


def test_counts(vector_set):
    per_family = Counter(v.family for v in vector_set.vectors)
    assert sum(per_family.values()) >= 400
    assert set(per_family) == {"netstring", "intprefix", "lines", "banana", "varint"}
    assert min(per_family.values()) >= 60, per_family


def test_ids_unique_and_stable_shape(vector_set):
    ids = [v.id for v in vector_set.vectors]
    assert len(ids) == len(set(ids))
    assert all(v.id.startswith(v.family + "-") for v in vector_set.vectors)


def test_lint_is_clean():
    report = lint(VECTORS)
    assert report.errors == []
    assert report.vectors == len(load(VECTORS).entries)
    assert (
        report.templates > 50 and report.instances > 10 * report.vectors
    )  # each template tried at many configurations


def test_files_are_what_the_sources_build():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_vectors.py"), "--check"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize(
    "flag",
    [
        "LeadingZero",
        "LengthSyntax",
        "MaxLength",
        "EarlyReject",
        "Terminator",
        "EmptyFrame",
        "AllOnes",
        "Endianness",
        "BareCrLf",
        "DelimiterSplit",
        "Handshake",
        "HandshakeFailure",
        "Vocab",
        "PrefixLimit",
        "SizeLimit",
        "DeepNesting",
        "UnknownType",
        "Garbage",
        "IntRange",
        "Spec",
        "Binary",
    ],
)
def test_required_coverage_is_present(vector_set, flag):
    assert any(flag in v.flags for v in vector_set.vectors)


def test_every_result_kind_and_outcome_present(vector_set):
    assert {v.result for v in vector_set.vectors} == {"valid", "invalid", "acceptable"}
    assert {v.expected.outcome["status"] for v in vector_set.vectors} == {"ok", "incomplete", "close"}


def _copy(tmp_path):
    dest = tmp_path / "vectors"
    shutil.copytree(VECTORS, dest)
    return dest


def _edit(path, fn):
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc))


def test_lint_catches_a_wrong_expectation(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "netstring.json", lambda doc: doc["groups"][0]["vectors"][0]["frames"].__setitem__(0, "00"))
    report = lint(d)
    assert any("netstring-spec-hello-world" in e and "reference disagrees" in e for e in report.errors)


def test_lint_catches_duplicate_ids_and_unknown_flags(tmp_path):
    d = _copy(tmp_path)

    def mutate(doc):
        vectors = doc["groups"][0]["vectors"]
        vectors[1]["id"] = vectors[0]["id"]
        vectors[2]["flags"] = ["NoSuchFlag"]

    _edit(d / "lines.json", mutate)
    errors = "\n".join(lint(d).errors)
    assert "id also used" in errors and "NoSuchFlag" in errors


def test_lint_catches_schema_violations(tmp_path):
    d = _copy(tmp_path)
    _edit(d / "banana.json", lambda doc: doc["groups"][0]["vectors"][0].__setitem__("input", "xyz"))
    errors = lint(d).errors
    assert len(errors) == 1 and "does not match vectors.schema.json" in errors[0] and "input" in errors[0]


def test_load_rejects_broken_json_clearly(tmp_path):
    d = _copy(tmp_path)
    (d / "intprefix.json").write_text("{ not json")
    with pytest.raises(VectorFileError, match=r"intprefix\.json: not valid JSON"):
        load(d)
