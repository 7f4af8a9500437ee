"""The command line, as users run it: exit codes, summary line, clear errors."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def wirecheck(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "wirecheck", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_run_all_passes():
    """The quick start's main job, as the README writes it: every vector, then every property,
    for every protocol; the seed it drew is printed, with how to draw it again."""
    import re

    out = wirecheck("run")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    last = out.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"(\d+) passed, (\d+) failed; properties: (\d+) held, (\d+) failed", last)
    assert m, last
    assert int(m[1]) >= 600 and m[2] == "0" and m[4] == "0"
    assert int(m[3]) == 6 * 8  # six properties, for six framing protocols and two Banana dialects
    assert re.search(r"seed (\d+) \(--seed \1 reproduces this run\)", out.stdout), out.stdout[:2000]
    for proto in ("netstring", "int8", "int16", "int32", "line", "banana", "varint"):
        assert f"\n{proto} " in out.stdout


@pytest.mark.parametrize(
    ("args", "count"),
    [
        (["--protocol", "int16", "--max-length", "255"], None),
        (["--protocol", "line", "--delimiter", "lf", "--max-length", "10"], None),
        (["--protocol", "netstring", "--max-length", "12345"], None),  # a maximum no file names: templates built at it
        (["--protocol", "banana", "--dialect", "pb", "--strict"], None),
        (["--case", "netstring-spec-hello-world"], 1),
        (["--case", "netstring-max-at@max_length=100"], 1),
        (["--case", "netstring-leading-zero-*"], 7),
        (["--case", "netstring-leading-zero-*", "--skip", "*after-frame"], 6),
        (["--flag", "SpecVocabOrder"], 3),
    ],
)
def test_run_subsets(args, count):
    """A run runs what ``vectors list`` says it would, and passes against the reference."""
    out = wirecheck("run", "--only", "vectors", *args)
    assert out.returncode == 0, out.stdout + out.stderr
    last = out.stdout.strip().splitlines()[-1]
    n = int(last.split()[0])
    assert n > 0 and last.endswith(", 0 failed")
    listed = wirecheck("vectors", "list", *args)
    assert listed.returncode == 0 and listed.stdout.strip().splitlines()[-1] == f"{n} vectors, 0 skipped"
    if count is not None:
        assert n == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--protocol", "http"], "invalid choice"),
        (["run", "--max-length", "-1"], "must be 0 or more"),
        (["run", "--max-length", "ten"], "not a whole number"),
        (["run", "--delimiter", "hex:zz"], "not valid hex"),
        (["run", "--protocol", "int8", "--max-length", "1000"], "must be at most 255"),
        (["run", "--protocol", "line", "--delimiter", "hex:"], "must not be empty"),
        (["run", "--protocol", "banana", "--dialects", "foo"], "'foo' is not one of pb, none"),
        (["run", "--protocol", "netstring", "--delimiter", "lf"], "--delimiter: netstring has no such parameter"),
        (["serve", "--protocol", "int8", "--max-length", "1000"], "must be at most 255"),
        (["run", "--case", "no-such-id"], "no vector has that id"),
        (["run", "--vectors", "/nonexistent/dir"], "no such vector directory"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args, message):
    out = wirecheck(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_a_wrong_vector_fails_the_run_with_its_id(tmp_path):
    d = tmp_path / "vectors"
    shutil.copytree(ROOT / "vectors", d)
    doc = json.loads((d / "intprefix.json").read_text())
    doc["groups"][0]["vectors"][0]["frames"] = ["00"]  # int8-hello now claims a wrong frame
    (d / "intprefix.json").write_text(json.dumps(doc))
    out = wirecheck("run", "--only", "vectors", "--vectors", str(d), "--protocol", "int8")
    assert out.returncode == 1
    assert "FAIL" in out.stdout and "intprefix-int8-hello" in out.stdout
    assert out.stdout.strip().splitlines()[-1].endswith(", 1 failed")
    lint = wirecheck("vectors", "lint", "--vectors", str(d))
    assert lint.returncode == 1 and "intprefix-int8-hello" in lint.stdout


def test_broken_vector_file_is_a_clear_error(tmp_path):
    d = tmp_path / "vectors"
    shutil.copytree(ROOT / "vectors", d)
    (d / "banana.json").write_text('{"family": "banana"')
    out = wirecheck("run", "--only", "vectors", "--vectors", str(d))
    assert out.returncode == 2 and "banana.json: not valid JSON" in out.stderr
    assert "Traceback" not in out.stderr


def test_lint_passes():
    out = wirecheck("vectors", "lint")
    assert out.returncode == 0, out.stdout
    assert ", 0 errors" in out.stdout


def test_version():
    out = wirecheck("--version")
    assert out.returncode == 0 and out.stdout.startswith("wirecheck ")


def test_json_and_junit_reports(tmp_path):
    import xml.etree.ElementTree as ET

    out = wirecheck(
        "run", "--protocol", "netstring", "--protocol", "int8", "--examples", "20",
        "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"),
    )  # fmt: skip
    assert out.returncode == 0
    doc = json.loads((tmp_path / "r.json").read_text())
    assert (doc["format"], doc["version"]) == ("wirecheck-results", 1)
    assert doc["summary"]["cases"] == doc["summary"]["passed"] == len(doc["cases"]) > 100
    assert len(doc["vectors"]["sha256"]) == 64 and doc["harness"]["name"] == "wirecheck"
    assert {c["verdict"] for c in doc["cases"]} == {"pass"}
    props = doc["properties"]
    assert props["held"] == 12 and props["failed"] == 0 and isinstance(props["seed"], int)
    assert {(p["protocol"], p["verdict"], p["examples"]) for p in props["results"]} == {
        ("netstring", "pass", 20), ("int8", "pass", 20)
    }  # fmt: skip
    root = ET.parse(tmp_path / "r.xml").getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"netstring", "int8", "properties"}
    assert len(list(suites["properties"].iter("testcase"))) == 12
    names = [tc.get("name") for tc in suites["netstring"].iter("testcase")]
    assert "netstring-spec-hello-world" in names
    assert all(tc.get("classname") == "wirecheck.netstring" for tc in suites["netstring"].iter("testcase"))
    assert not list(root.iter("failure"))


def test_failures_reach_junit_with_expected_and_observed(tmp_path):
    import xml.etree.ElementTree as ET

    d = tmp_path / "vectors"
    shutil.copytree(ROOT / "vectors", d)
    doc = json.loads((d / "netstring.json").read_text())
    doc["groups"][0]["vectors"][0]["frames"] = ["00"]
    (d / "netstring.json").write_text(json.dumps(doc))
    out = wirecheck(
        "run", "--only", "vectors", "--vectors", str(d), "--protocol", "netstring", "--junit", str(tmp_path / "r.xml")
    )
    assert out.returncode == 1
    (failure,) = ET.parse(tmp_path / "r.xml").getroot().iter("failure")
    assert "expected: frames [00]" in failure.text and "observed: frames [" in failure.text


def test_report_into_a_missing_directory_is_a_usage_error(tmp_path):
    out = wirecheck(
        "run", "--only", "vectors", "--protocol", "int8", "--json", str(tmp_path / "no" / "such" / "r.json")
    )
    assert out.returncode == 2 and "no such directory" in out.stderr
