"""The pytest plugin, run the way a library's CI runs it: pytest in a subprocess, under xdist."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken_servers.py"
PY = sys.executable


def pytest_run(cwd, *args, timeout=300):
    return subprocess.run(
        [PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        capture_output=True, text=True, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow  # a nested pytest under xdist: forty seconds under CI's load
def test_a_broken_server_fails_with_vector_ids_under_xdist(tmp_path):
    target = f"cmd:{PY} {BROKEN} line-lineonly-quirk --port {{port}}"
    out = pytest_run(tmp_path, "--wirecheck-target", target, "--wirecheck-protocol", "line",
                     "--wirecheck-examples", "200", "-n", "2")  # fmt: skip
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    failed = {line.split()[1] for line in out.stdout.splitlines() if line.startswith("FAILED ")}
    assert "wirecheck::lines-max-delimiter-split@max_length=16384,delimiter=0d0a" in failed
    assert "FAILED wirecheck::property-line-max_length_boundary" in out.stdout
    assert "--chunks '61*16384+0d,0a'" in out.stdout
    assert "bringing up nodes" in out.stdout  # xdist really ran it


def test_the_reference_server_passes_under_xdist(tmp_path):
    target = f"cmd:{PY} -m wirecheck serve --protocol int16 --port {{port}}"
    out = pytest_run(tmp_path, "--wirecheck-target", target, "--wirecheck-protocol", "int16",
                     "--wirecheck-examples", "20", "-n", "2")  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    last = out.stdout.strip().splitlines()[-1]
    assert " passed" in last and "failed" not in last and int(last.split()[0]) >= 20 + 6


def test_markers_select_vectors_or_properties(tmp_path):
    target = "python:wirecheck.adapters.twisted:receiver"
    out = pytest_run(tmp_path, "--wirecheck-target", target, "--wirecheck-protocol", "int8",
                     "-m", "wirecheck_property", "--collect-only")  # fmt: skip
    ids = [line for line in out.stdout.splitlines() if line.startswith("wirecheck::")]
    assert len(ids) == 6 and all(i.startswith("wirecheck::property-int8-") for i in ids), out.stdout
    out = pytest_run(tmp_path, "--wirecheck-target", target, "--wirecheck-protocol", "int8",
                     "-m", "wirecheck_vector", "--collect-only")  # fmt: skip
    ids = [line for line in out.stdout.splitlines() if line.startswith("wirecheck::")]
    assert "wirecheck::intprefix-int8-hello" in ids and not any("property" in i for i in ids)


USER_TEST = """
from hypothesis import given, settings, strategies as st
from wirecheck import strategies as ws

@settings(max_examples=300, deadline=None, derandomize=True)  # the same examples every run
@given(stream=ws.streams("line", {"max_length": 16384}, min_frames=1), data=st.data())
def test_lines_survive_any_split(wirecheck_target, stream, data):
    chunks = data.draw(ws.chunkings(stream.data, favour=stream.marks))
    wirecheck_target.expect(chunks)
"""


def test_users_write_their_own_properties_with_the_fixture(tmp_path):
    (tmp_path / "test_mine.py").write_text(USER_TEST)
    ok = pytest_run(tmp_path, "--wirecheck-protocol", "line")  # the in-process reference
    assert ok.returncode == 0, ok.stdout[-3000:]
    assert "1 passed" in ok.stdout
    bad = pytest_run(tmp_path, "--wirecheck-protocol", "line", "--wirecheck-only", "vectors",
                     "--wirecheck-target", "python:wirecheck.adapters.twisted:line_only_receiver",
                     "-k", "test_lines_survive_any_split")  # fmt: skip
    assert bad.returncode == 1, bad.stdout[-3000:]
    assert "then close" in bad.stdout and "1 failed" in bad.stdout


def test_a_bad_target_is_a_usage_error_not_a_pile_of_failures(tmp_path):
    out = pytest_run(tmp_path, "--wirecheck-target", "udp://127.0.0.1:9", "--wirecheck-protocol", "int8")
    assert out.returncode == 4  # pytest's usage-error exit code
    assert "--wirecheck-target 'udp://127.0.0.1:9': use tcp://" in out.stderr and "Traceback" not in out.stderr
