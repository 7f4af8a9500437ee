"""``wirecheck matrix``, baselines and diffs, over the small implementations of tests/impls/.

One matrix run (module fixture) covers: a correct stdio decoder (pass), one whose output carries
markup and terminal escapes (escaped everywhere, rendered by Chromium without running any of
it), a server with a known bug (named by its behaviour), and a toolchain that is missing (listed
as not available with its install line, never failed).
"""

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IMPLS = ROOT / "tests" / "impls"
PY = sys.executable
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def wirecheck(*args, timeout=300, cwd=ROOT):
    return subprocess.run([PY, "-m", "wirecheck", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """One matrix run for the whole session: under xdist the first worker to get here runs it (a
    lock in the directory the workers share) and the others read what it wrote."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    out, stdout = shared / "matrix-fixture", shared / "matrix-fixture.stdout"
    with open(shared / "matrix-fixture.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stdout.exists():
            done = wirecheck("matrix", "--implementations", IMPLS, "--out", out, "--examples", "5", "--jobs", "2")
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
            stdout.write_text(done.stdout)
    return out, json.loads((out / "results.json").read_text()), stdout.read_text()


def test_matrix_writes_every_output(report):
    out, doc, stdout = report
    for name in ("index.html", "summary.md", "results.json"):
        assert (out / name).stat().st_size > 0
    for impl in ("good-stdio", "hostile-stdio", "leading-zero", "drops-empty", "missing-tool"):
        assert (out / "impl" / f"{impl}.html").is_file()
        assert (out / "junit" / f"{impl}.xml").read_text().startswith("<testsuites")
    prov = doc["provenance"]
    assert prov["wirecheck"] and prov["date"] and prov["platform"] and prov["seed"] == 1
    assert re.fullmatch(r"[0-9a-f]{64}", prov["vectors_sha256"])
    assert doc["implementations"]["good-stdio"]["version"] == "1.0"
    assert "4 implementations run, 1 not available" in stdout


def test_cells_say_pass_behaviour_or_not_available(report):
    _, doc, _ = report
    impls = doc["implementations"]
    (good,) = impls["good-stdio"]["cells"]
    assert good["state"] == "ran" and good["behaviours"] == [] and good["counts"]["failed"] == 0
    (bug,) = impls["leading-zero"]["cells"]
    assert [b["name"] for b in bug["behaviours"]] == ["leading-zero-accepted"]
    evidence = bug["behaviours"][0]["evidence"]
    assert evidence["replay"].startswith("wirecheck run --protocol netstring") and "--case" in evidence["replay"]
    assert evidence["input"] and evidence["trace"]
    missing = impls["missing-tool"]
    assert missing["state"] == "not-available" and "wirecheck-no-such-tool not found" in missing["reason"]
    assert missing["install"] == ["apt-get install -y wirecheck-no-such-tool"]
    assert missing["cells"][0]["state"] == "not-available"
    assert doc["behaviour_table"]["leading-zero-accepted"] == ["leading-zero"]


def test_summary_markdown_is_a_table(report):
    out, _, _ = report
    text = (out / "summary.md").read_text()
    assert re.search(r"^\| good-stdio \| 1\.0 \|( - \|)* pass \|", text, re.M), text
    assert "`leading-zero-accepted`" in text and "| missing-tool |" in text and "n/a" in text
    assert "<script" not in text


def test_endpoint_bytes_are_escaped_in_html(report):
    out, _, _ = report
    for page in [out / "index.html", *sorted((out / "impl").glob("*.html"))]:
        text = page.read_text()
        assert "<script" not in text and "<img" not in text and "\x1b" not in text, page
        assert "javascript:" not in text.replace("javascript:alert(3)</", "")  # never as a link
    hostile = (out / "impl" / "hostile-stdio.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\\x1b[31mred" in hostile, hostile
    assert 'href="#"' in hostile  # the javascript: home page is not a link


def test_a_row_of_identical_implementations_names_every_language(report):
    """A row groups implementations with identical results: it names each of their languages,
    once, not only the first member's."""
    from wirecheck.matrix import html

    _, doc, _ = report
    doc = json.loads(json.dumps(doc))
    doc["implementations"]["good-stdio"]["language"] = "Python"
    doc["implementations"]["leading-zero"]["language"] = "Java"
    doc["implementations"]["drops-empty"]["language"] = "Python"
    doc["groups"] = [{"implementations": ["good-stdio", "leading-zero", "drops-empty"], "cells": {}}]
    page = html.index(doc)
    assert '<div class="lang">Python, Java</div>' in page
    assert "3 with identical results" in page


def test_chromium_renders_the_matrix_and_runs_nothing(report, tmp_path):
    assert CHROMIUM, "this test needs Debian's chromium (apt-get install chromium; .ci/run installs it)"
    out, _, _ = report
    pages = {}
    for name, path in (("index", out / "index.html"), ("hostile", out / "impl" / "hostile-stdio.html")):
        done = subprocess.run(
            [CHROMIUM, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / name}", "--dump-dom", path.as_uri()],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        pages[name] = done.stdout
    dom = pages["index"]
    assert dom.count("<table") == 2 and "implementation" in dom
    for impl in ("good-stdio", "hostile-stdio", "leading-zero"):
        assert f'href="impl/{impl}.html"' in dom
    assert '<td class="pass">pass' in dom and "not available" in dom and "leading-zero-accepted" in dom
    hostile = pages["hostile"]
    # The DOM after parsing: an injected element would be a real tag here; the bytes are text.
    assert "<script" not in hostile and "<img" not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    shot = tmp_path / "index.png"
    flags = [*BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'shot'}", "--window-size=1400,900", f"--screenshot={shot}"]
    subprocess.run([CHROMIUM, *flags, (out / "index.html").as_uri()], capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000


@pytest.mark.slow  # two more matrix runs (a minute and a half under CI's load)
def test_a_matrix_passes_its_own_baseline_and_fails_without_an_entry(report, tmp_path):
    out, _, _ = report
    baseline = tmp_path / "baseline.json"
    done = wirecheck("baseline", "write", out / "results.json", "-o", baseline)
    assert done.returncode == 0, done.stderr
    entries = json.loads(baseline.read_text())["implementations"]
    assert {"good-stdio", "drops-empty", "leading-zero"} <= set(entries)
    assert entries["good-stdio"] == {}  # nothing fails: nothing expected
    # The matrix passes against its own baseline ...
    again = wirecheck("matrix", "--implementations", IMPLS, "--impl", "drops-empty", "--out", tmp_path / "m2",
                      "--examples", "5", "--baseline", baseline)  # fmt: skip
    assert again.returncode == 0, again.stdout[-2000:]
    # ... and fails without an entry.
    trimmed = json.loads(baseline.read_text())
    config = next(iter(trimmed["implementations"]["drops-empty"].values()))
    config["vectors"].pop("netstring-spec-empty")
    baseline.write_text(json.dumps(trimmed))
    fails = wirecheck("matrix", "--implementations", IMPLS, "--impl", "drops-empty", "--out", tmp_path / "m3",
                      "--examples", "5", "--baseline", baseline)  # fmt: skip
    assert fails.returncode == 1 and "netstring-spec-empty fails (empty-frame-dropped" in fails.stdout


def test_diff_names_regressions_and_fixes(report, tmp_path):
    out, _, _ = report
    results = out / "results.json"
    same = wirecheck("diff", results, results)
    assert same.returncode == 0 and "0 regressions" in same.stdout
    fixed = json.loads(results.read_text())
    fixed["runs"] = [r for r in fixed["runs"] if r["implementation"] != "drops-empty"]
    (tmp_path / "old.json").write_text(json.dumps(fixed))
    regressed = wirecheck("diff", tmp_path / "old.json", results)
    assert regressed.returncode == 1 and "REGRESSION drops-empty netstring" in regressed.stdout
    improved = wirecheck("diff", results, tmp_path / "old.json")
    assert improved.returncode == 0


def test_bad_manifests_are_one_line_errors(tmp_path):
    impl = tmp_path / "broken"
    impl.mkdir()
    for text, message in (
        ("{", "not JSON"),
        ('{"name": "other"}', "'name' must be the folder's name"),
        ('{"name": "broken", "language": "x", "library": "x", "home": "x", "summary": "x", "version": [],'
         ' "configurations": [{"protocol": "nope", "command": "x"}]}', "unknown protocol 'nope'"),
    ):  # fmt: skip
        (impl / "manifest.json").write_text(text)
        done = wirecheck("matrix", "--implementations", tmp_path, "--list")
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


TWISTED_BASELINE = ROOT / "implementations" / "twisted" / "baseline.json"
LINEONLY = ["run", "--only", "vectors", "--protocol", "line", "--delimiter", "crlf", "--max-length", "1024",
            "--target", f"cmd:{PY} -m wirecheck serve --impl twisted-lineonly --protocol line --max-length 1024 "
            "--port {port}", "--baseline-impl", "twisted-lineonly"]  # fmt: skip


def test_twisted_passes_its_bundled_baseline_and_a_changed_one_fails(tmp_path):
    passes = wirecheck(*LINEONLY, "--baseline", TWISTED_BASELINE)
    assert passes.returncode == 0, passes.stdout[-3000:]
    assert "3 expected failures, 0 unexpected, 0 stale" in passes.stdout
    doc = json.loads(TWISTED_BASELINE.read_text())
    (config,) = doc["implementations"]["twisted-lineonly"].values()
    removed = sorted(config["vectors"])[0]
    config["vectors"].pop(removed)
    # A fixed bug: an entry for a vector that passes is stale, and fails the run too.
    config["vectors"]["lines-three@max_length=1024,delimiter=0d0a"] = {"behaviour": "no-max", "observed": "ok"}
    changed = tmp_path / "baseline.json"
    changed.write_text(json.dumps(doc))
    fails = wirecheck(*LINEONLY, "--baseline", changed)
    assert fails.returncode == 1
    assert "UNEXPECTED line " in fails.stdout and removed in fails.stdout
    assert "STALE" in fails.stdout and "lines-three@" in fails.stdout


def test_a_file_that_is_not_a_baseline_is_one_line_before_any_run(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text('{"format": "something-else"}')
    for args in (["matrix", "--implementations", IMPLS, "--out", tmp_path / "o"], ["run", "--protocol", "int8"]):
        done = wirecheck(*args, "--baseline", bad)
        assert done.returncode == 2 and "not a wirecheck baseline" in done.stderr and "Traceback" not in done.stderr
        assert not (tmp_path / "o").exists()  # nothing was run


def test_with_cost_each_configuration_gets_cost_and_memory_columns(tmp_path):
    """``--cost S``: after its run, each configuration is probed by ``wirecheck cost`` (its maximum
    raised where the command takes ``{max_length}``); the report gains a cost and a memory column,
    and each configuration's page the probe's table, plots embedded as data: URIs."""
    out = tmp_path / "m"
    done = wirecheck("matrix", "--implementations", IMPLS, "--impl", "leading-zero", "--examples", "5", "--cost", "6",
                     "--out", out)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads((out / "results.json").read_text())
    (cell,) = doc["implementations"]["leading-zero"]["cells"]
    cost = cell["cost"]
    assert cost["state"] == "ran", cost
    assert "--max-length 8388608" in cost["command"] and "--budget 6" in cost["command"]
    assert {w["workload"] for w in cost["time"]} == {"many-small-frames", "large-frame-bytewise", "large-frame-16"}
    assert all(w["verdict"] in ("linear", "superlinear", "inconclusive", "not-measured") for w in cost["time"])
    assert {m["probe"] for m in cost["memory"]} == {"declared-over-max", "declared-at-max-dripped",
                                                     "unterminated-beyond-max"}  # fmt: skip
    summary = (out / "summary.md").read_text()
    assert "| cost | memory |" in summary
    index = (out / "index.html").read_text()
    assert "<th>cost</th><th>memory</th>" in index
    page = (out / "impl" / "leading-zero.html").read_text()
    assert "<b>cost</b>" in page and "large-frame-16" in page
    for w in cost["time"]:
        if w["verdict"] == "superlinear":
            assert w["behaviour"] in doc["behaviour_table"] and 'src="data:image/svg+xml;base64,' in page
