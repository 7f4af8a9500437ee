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
        [sys.executable, "-m", "harness", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_run_all_passes():
    out = wirecheck("run")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    last = out.stdout.strip().splitlines()[-1]
    passed, failed = last.split(", ")
    assert failed == "0 failed" and int(passed.split()[0]) >= 400
    for proto in ("netstring", "int8", "int16", "int32", "line", "banana"):
        assert f"\n{proto} " in out.stdout


@pytest.mark.parametrize(
    ("args", "count"),
    [
        (["--protocol", "int16", "--max-length", "255"], 6),
        (["--protocol", "line", "--delimiter", "lf", "--max-length", "10"], None),
        (["--protocol", "banana", "--dialect", "pb", "--strict"], None),
        (["--case", "netstring-spec-hello-world"], 1),
        (["--flag", "SpecVocabOrder"], 3),
    ],
)
def test_run_subsets(args, count):
    out = wirecheck("run", *args)
    assert out.returncode == 0, out.stdout + out.stderr
    last = out.stdout.strip().splitlines()[-1]
    n = int(last.split()[0])
    assert n > 0 and last.endswith(", 0 failed")
    if count is not None:
        assert n == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--protocol", "http"], "invalid choice"),
        (["run", "--max-length", "-1"], "must be 0 or more"),
        (["run", "--max-length", "ten"], "not a whole number"),
        (["run", "--delimiter", "hex:zz"], "not valid hex"),
        (["run", "--protocol", "netstring", "--max-length", "12345"], "no vectors match"),
        (["run", "--case", "no-such-id"], "no vectors match"),
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
    out = wirecheck("run", "--vectors", str(d), "--protocol", "int8")
    assert out.returncode == 1
    assert "FAIL" in out.stdout and "intprefix-int8-hello" in out.stdout
    assert out.stdout.strip().splitlines()[-1].endswith(", 1 failed")
    lint = wirecheck("vectors", "lint", "--vectors", str(d))
    assert lint.returncode == 1 and "intprefix-int8-hello" in lint.stdout


def test_broken_vector_file_is_a_clear_error(tmp_path):
    d = tmp_path / "vectors"
    shutil.copytree(ROOT / "vectors", d)
    (d / "banana.json").write_text('{"family": "banana"')
    out = wirecheck("run", "--vectors", str(d))
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
        "run", "--protocol", "netstring", "--protocol", "int8",
        "--json", str(tmp_path / "r.json"), "--junit", str(tmp_path / "r.xml"),
    )  # fmt: skip
    assert out.returncode == 0
    doc = json.loads((tmp_path / "r.json").read_text())
    assert (doc["format"], doc["version"]) == ("wirecheck-results", 1)
    assert doc["summary"]["cases"] == doc["summary"]["passed"] == len(doc["cases"]) > 100
    assert len(doc["vectors"]["sha256"]) == 64 and doc["harness"]["name"] == "wirecheck"
    assert {c["verdict"] for c in doc["cases"]} == {"pass"}
    root = ET.parse(tmp_path / "r.xml").getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"netstring", "int8"}
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
    out = wirecheck("run", "--vectors", str(d), "--protocol", "netstring", "--junit", str(tmp_path / "r.xml"))
    assert out.returncode == 1
    (failure,) = ET.parse(tmp_path / "r.xml").getroot().iter("failure")
    assert "expected: frames [00]" in failure.text and "observed: frames [" in failure.text


def test_report_into_a_missing_directory_is_a_usage_error(tmp_path):
    out = wirecheck("run", "--protocol", "int8", "--json", str(tmp_path / "no" / "such" / "r.json"))
    assert out.returncode == 2 and "no such directory" in out.stderr
