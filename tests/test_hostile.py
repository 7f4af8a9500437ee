"""Hostile endpoints, clients, commands and files (issue: nothing an endpoint or a file sends
can crash, hang, flood or fool wirecheck).  Each test states the bound it must meet.

Every run goes through the real command line.  Servers are copies of
tests/hostile_servers.py under a name unique to the test, so that afterwards the process
table can be searched for anything the run left behind.
"""

from __future__ import annotations

import json
import socket
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import PY, ROOT, gone, measured, running

HOSTILE = ROOT / "tests" / "hostile_servers.py"
TIMEOUT = 2  # --timeout for these runs: a silent endpoint must be given up on within 3x this
#: What a run may take beyond 3 x --timeout: interpreter start-up, a server's start and stop.
SLACK = 4.0
RSS_LIMIT_MIB = 200

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")


def server_copy(tmp_path: Path, mode: str) -> Path:
    copy = tmp_path / f"hostile_{mode.replace('-', '_')}_{tmp_path.name}.py"
    copy.write_text(HOSTILE.read_text())
    return copy


def error_lines(out) -> list[str]:
    return [line for line in out.stderr.splitlines() if line.startswith("wirecheck: error")]


def assert_clean(out, peak_mib: float, marker: str | None = None) -> None:
    """No traceback, no raw escape byte, bounded memory, nothing left running."""
    text = out.stdout + out.stderr
    assert "Traceback" not in text and "internal error" not in text, text[-3000:]
    assert "\x1b" not in text and "\x07" not in text, "an endpoint's control byte reached the terminal"
    assert peak_mib < RSS_LIMIT_MIB, f"peak RSS {peak_mib:.0f} MiB"
    if marker is not None:
        assert gone(marker), f"left running: {running(marker)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("protocol", "mode", "says"),
    [
        ("netstring", "silent", "answered nothing"),
        ("netstring", "never-read", "answered nothing"),
        ("netstring", "drip", "answers what the protocol does not"),
        ("netstring", "slow-echo", "answered, but not with the echo"),
        ("netstring", "closes", "closed the connection without echoing"),
        ("netstring", "reset", "closed the connection without echoing"),
        ("netstring", "garbage", "answers what the protocol does not"),
        ("netstring", "flood", "answers what the protocol does not"),
        ("banana", "bad-offer", "offer is not a Banana list"),
        ("banana", "deep-offer", "offer is not a list of dialect names"),
        ("banana", "endless-offer", "offer is longer than 4096 bytes"),
        ("banana", "deep-echo", "answered, but not with the echo"),
        ("banana", "big-echo", "floods"),
    ],
)
def test_a_broken_endpoint_stops_the_run_at_the_sanity_case(tmp_path, protocol, mode, says):
    """One line that says what the endpoint did, exit 2, within 3 x --timeout, in bounded memory."""
    server = server_copy(tmp_path, mode)
    out, elapsed, peak = measured(
        "run", "--protocol", protocol, "--timeout", str(TIMEOUT), "--json", str(tmp_path / "r.json"),
        "--target", f"cmd:{PY} {server} {mode} --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 2, out.stdout[-2000:] + out.stderr[-2000:]
    (line,) = error_lines(out)
    assert "sanity case" in line and says in line, line
    assert elapsed < 3 * TIMEOUT + SLACK, f"{elapsed:.1f}s"
    assert_clean(out, peak, str(server))
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["aborted"] and doc["sanity"] and doc["summary"]["fail"] == 0


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("tcp://127.0.0.1:{free}", "refused the connection"),
        ("tcp://no-such-host.invalid:7000", "unresolvable"),
        ("listen", "no client under test connected"),
    ],
)
def test_an_endpoint_that_is_not_there_is_one_line(target, says):
    where = ["--listen", "127.0.0.1:0"] if target == "listen" else ["--target", target.format(free=free_port())]
    out, elapsed, peak = measured("run", "--protocol", "netstring", "--timeout", str(TIMEOUT), *where)
    assert out.returncode == 2
    (line,) = error_lines(out)
    assert says in line, line
    assert elapsed < 3 * TIMEOUT + SLACK, f"{elapsed:.1f}s"
    assert_clean(out, peak)


@pytest.mark.parametrize(
    ("mode", "code", "message", "deadline"),
    [
        ("flood", 1, "frames for", 30),
        ("silent", 2, "no close and no sentinel echo", 12),  # it never answers: the deadline ends the run
        ("reset", 1, "then close", 45),  # every example fails, and each behaviour is shrunk
        ("exit", 2, "refused the connection", 30),
        ("drip", 1, "length_exceeds_max", 30),
    ],
)
def test_past_the_sanity_case_hostile_endpoints_end_within_the_deadline(tmp_path, mode, code, message, deadline):
    """Without the sanity case, on four connections at once: every case still has its bounds.
    (30 s: properties keep looking after a first failure, and the run must be able to end with its
    verdict, not only be cut short: 40 examples a property, so that it does on a loaded machine.)"""
    server = server_copy(tmp_path, mode)
    out, elapsed, peak = measured(
        "run", "--protocol", "netstring", "--timeout", "1", "--deadline", str(deadline), "--jobs", "4", "--no-sanity",
        "--examples", "40",
        "--target", f"cmd:{PY} {server} {mode} --port {{port}}",
    )  # fmt: skip
    assert out.returncode == code, out.stdout[-2000:] + out.stderr[-2000:]
    assert message in out.stdout + out.stderr
    assert elapsed < deadline + SLACK, f"{elapsed:.1f}s"
    assert_clean(out, peak, str(server))


def test_an_endpoint_that_stops_answering_mid_run_stops_the_run(tmp_path):
    """It passed the sanity case, then goes silent: three cases in a row time out, the sanity case
    (probed then) fails too, and the run stops there instead of waiting out every case."""
    server = server_copy(tmp_path, "goes-silent")
    out, elapsed, peak = measured(
        "run", "--protocol", "netstring", "--timeout", "1", "--target", f"cmd:{PY} {server} goes-silent --port {{port}}"
    )
    assert out.returncode == 2
    (line,) = error_lines(out)
    assert "the endpoint stopped answering after case " in line, line
    assert "3 cases in a row timed out, and then the sanity case too" in line, line
    assert "not run" in out.stdout.splitlines()[-1]
    assert elapsed < 4 * 1 + SLACK, f"{elapsed:.1f}s"  # three cases and the probe
    assert_clean(out, peak, str(server))


@pytest.mark.parametrize("mode", ["deep-echo", "big-echo"])
def test_an_echo_nothing_can_encode_is_a_failure_with_its_reason(tmp_path, mode):
    """Past the sanity case: a 3,000-deep echo or a STRING over Banana's limit fails the cases
    (exit 1); the reports are written and the JUnit file parses."""
    server = server_copy(tmp_path, mode)
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    out, _, peak = measured(
        "run", "--protocol", "banana", "--no-sanity", "--only", "vectors", "--case", "banana-spec-one",
        "--case", "banana-spec-empty-list", "--timeout", "1", "--json", str(report), "--junit", str(junit),
        "--target", f"cmd:{PY} {server} {mode} --port {{port}}",
    )  # fmt: skip
    assert out.returncode in (1, 2), out.stdout[-2000:] + out.stderr[-2000:]
    assert_clean(out, peak, str(server))
    doc = json.loads(report.read_text())
    assert doc["summary"]["pass"] == 0
    ET.parse(junit)
    if mode == "big-echo":
        assert out.returncode == 1
        assert "cannot carry" in out.stdout and "exceeds size_limit" in out.stdout


def test_endpoint_bytes_are_escaped_on_the_terminal_and_in_junit(tmp_path):
    """A dialect name holding ESC and BEL: hashed in case ids, escaped in messages, valid XML."""
    server = server_copy(tmp_path, "escape-offer")
    junit = tmp_path / "r.xml"
    out, _, peak = measured(
        "run", "--protocol", "banana", "--dialect", "none", "--no-sanity", "--only", "vectors", "--timeout", "1",
        "--junit", str(junit), "--target", f"cmd:{PY} {server} escape-offer --port {{port}}",
    )  # fmt: skip
    assert_clean(out, peak, str(server))
    assert "\\x1b[31m\\x07bad" in out.stdout  # shown, escaped
    names = [tc.get("name") for tc in ET.parse(junit).getroot().iter("testcase")]
    choose = [n for n in names if n.startswith("banana-endpoint-handshake-choose-")]
    assert choose and all(n.isprintable() and "\x1b" not in n for n in choose), choose


def test_a_server_that_prints_escapes_and_exits_is_shown_escaped(tmp_path):
    server = server_copy(tmp_path, "escape-exit")
    out, _, peak = measured(
        "run", "--protocol", "netstring", "--target", f"cmd:{PY} {server} escape-exit --port {{port}}"
    )
    assert out.returncode == 2
    (line,) = error_lines(out)
    assert "exited with code 3 before listening" in line and "\\x1b]0;pwned\\x07" in line
    assert_clean(out, peak, str(server))


@pytest.mark.parametrize("mode", ["setsid-child", "daemonize"])
def test_processes_that_leave_the_group_are_stopped_too(tmp_path, mode):
    """A child that calls setsid, a server that daemonizes (its command exits 0 at once): both
    serve the run, and nothing of either is left afterwards."""
    server = server_copy(tmp_path, mode)
    out, _, peak = measured(
        "run", "--protocol", "netstring", "--only", "vectors", "--case", "netstring-spec-hello-world",
        "--target", f"cmd:{PY} {server} {mode} --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert_clean(out, peak, str(server))
    if mode == "daemonize":
        assert "the server daemonized" in out.stderr


def cut_short(tmp_path: Path, protocol: str, *options: str) -> dict:
    """A run of a correct server that --deadline 6 cuts short: exit 2 near the deadline, clean; its JSON."""
    report = tmp_path / "r.json"
    serve = f"cmd:{PY} -m wirecheck serve --protocol {protocol} --port {{port}}"
    out, elapsed, peak = measured(
        "run", "--protocol", protocol, *options, "--deadline", "6", "--json", str(report), "--target", serve
    )
    assert out.returncode == 2, out.stdout[-2000:] + out.stderr[-2000:]
    assert elapsed < 6 + SLACK, f"{elapsed:.1f}s"
    assert_clean(out, peak)
    doc = json.loads(report.read_text())
    assert doc["aborted"] == "the run's deadline passed"
    return doc


def test_a_deadline_cuts_a_correct_endpoint_short_as_not_run_never_failed(tmp_path):
    """--delay makes every case slow; the deadline passes mid-run: what did not finish is
    "not-run", nothing is failed, the JSON says why, exit 2, and the run ends near the deadline."""
    doc = cut_short(tmp_path, "netstring", "--delay", "0.2", "--timeout", "2")
    assert doc["summary"]["fail"] == doc["summary"]["timeout"] == doc["summary"]["error"] == 0
    assert doc["summary"]["not-run"] > 0
    assert all(p["verdict"] == "not-run" for p in doc["properties"]["results"])


def test_a_deadline_during_the_properties_is_not_run_never_failed(tmp_path):
    doc = cut_short(tmp_path, "line", "--only", "properties", "--examples", "100000")
    verdicts = [p["verdict"] for p in doc["properties"]["results"]]
    assert doc["properties"]["failed"] == 0
    assert verdicts[0] == "not-run" and set(verdicts) == {"not-run"}
    assert doc["properties"]["results"][0]["examples"] > 0  # it ran, and was cut short


def test_a_correct_endpoint_passes_with_paced_writes():
    """--delay pauses are inside each case's budget: a correct endpoint never times out for them."""
    serve = f"cmd:{PY} -m wirecheck serve --protocol netstring --port {{port}}"
    out, _, _ = measured(
        "run", "--protocol", "netstring", "--delay", "0.01", "--timeout", "1", "--examples", "5",
        "--case", "netstring-spec-hello-world", "--case", "netstring-two-frames", "--case", "netstring-spec-empty",
        "--property", "split_independence", "--target", serve,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "3 passed, 0 failed; properties: 1 held, 0 failed"


def test_a_client_that_never_reads_cannot_hold_the_run(tmp_path):
    """Client mode: a 4 MB case to a client that connects and never reads ends within the timeout."""
    port = free_port()
    client = server_copy(tmp_path, "client-never-read")
    clients = subprocess.Popen([PY, str(client), "client-never-read", "--port", str(port)])
    try:
        out, elapsed, peak = measured(
            "replay", "--protocol", "netstring", "--max-length", "5000000", "--listen", f"127.0.0.1:{port}",
            "--timeout", "2", "--chunks", "343030303030303a+61*4000000+2c",
        )  # fmt: skip
    finally:
        clients.kill()
        clients.wait()
    assert out.returncode in (1, 2), out.stdout[-2000:] + out.stderr[-2000:]
    assert "TIMEOUT" in out.stdout and "stopped reading" in out.stdout
    assert elapsed < 2 * 2 + SLACK, f"{elapsed:.1f}s"
    assert_clean(out, peak)


def test_a_server_that_resets_while_we_write_is_observed_not_a_harness_error(tmp_path):
    server = server_copy(tmp_path, "reset")
    out, _, peak = measured(
        "run", "--protocol", "int32", "--no-sanity", "--only", "vectors", "--jobs", "4",
        "--target", f"cmd:{PY} {server} reset --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 1, out.stdout[-2000:] + out.stderr[-2000:]
    assert_clean(out, peak, str(server))


def _vector_dir(tmp_path: Path, name: str, text: str, schema: str | None = None) -> Path:
    where = tmp_path / name
    where.mkdir()
    (where / "netstring.json").write_text(text)
    if schema is not None:
        (where / "vectors.schema.json").write_text(schema)
    return where


def _banana_nested(depth: int) -> str:
    doc = json.loads((ROOT / "vectors" / "banana.json").read_text())
    group = doc["groups"][0]
    vector = {**group["vectors"][0], "id": "banana-deep", "frames": ["DEEP"]}
    doc.update(groups=[{**group, "vectors": [vector]}], numberOfVectors=1)
    return json.dumps(doc).replace('"DEEP"', "[" * depth + '{"int": "1"}' + "]" * depth)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("too-large", "larger than 8 MiB"),
        ("deep-1500", "nested more than 400 levels deep"),
        ("deep-159", "the reference disagrees"),  # validated and linted: the frames are not the input's
        ("permissive-schema", "'groups' is a required property"),
    ],
)
def test_hostile_vector_files_are_refused_with_one_clear_message(tmp_path, name, says):
    env = None
    if name == "too-large":
        where = _vector_dir(tmp_path, name, '{"pad": "' + " " * (9 << 20) + '"}')
    elif name == "permissive-schema":
        where = _vector_dir(tmp_path, name, '{"family": "netstring"}', schema="{}")
        import os

        env = {**os.environ, "WIRECHECK_VECTORS": str(where)}
    else:
        where = tmp_path / name
        where.mkdir()
        (where / "banana.json").write_text(_banana_nested(int(name.split("-")[1])))
    given = [] if env is not None else ["--vectors", str(where)]
    for args in (["vectors", "lint", *given], ["run", "--protocol", "banana", *given]):
        out, _, peak = measured(*args, env=env)
        assert out.returncode in (1, 2), out.stdout[-2000:] + out.stderr[-2000:]
        assert says in out.stdout + out.stderr or (args[0] == "run" and name == "deep-159")
        assert_clean(out, peak)


def test_hex_in_vector_files_is_checked_in_memory_proportional_to_it(tmp_path):
    """A 7.8 MB file holding a 3.9 MB input: loaded and linted in well under 200 MB."""
    doc = json.loads((ROOT / "vectors" / "netstring.json").read_text())
    group = doc["groups"][0]
    vector = {"id": "netstring-big-incomplete", "description": "A 3.9 MB prefix of a 4 MB netstring.",
              "ref": "netstrings.txt section 2", "flags": ["Spec"], "requires": ["max_length >= 4000000"],
              "input": (b"4000000:" + b"a" * 3_900_000).hex(), "frames": [], "outcome": {"status": "incomplete"},
              "result": "valid"}  # fmt: skip
    doc.update(groups=[{**group, "vectors": [vector]}], numberOfVectors=1)
    where = _vector_dir(tmp_path, "big", json.dumps(doc))
    out, _, peak = measured("vectors", "lint", "--vectors", str(where))
    assert out.returncode in (0, 1) and " 0 errors" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    assert_clean(out, peak)
    assert peak < 120, f"peak RSS {peak:.0f} MiB"


def test_the_plugin_stops_at_session_start_for_a_dead_endpoint(tmp_path):
    """One usage error (exit 4), not a failure per collected test."""
    out = subprocess.run(
        [PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--wirecheck-target", f"tcp://127.0.0.1:{free_port()}",
         "--wirecheck-protocol", "netstring", "--wirecheck-timeout", "1", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert out.returncode == 4, out.stdout[-2000:] + out.stderr[-2000:]
    assert "refused the connection" in out.stderr and "failed" not in out.stdout
    bad = subprocess.run(
        [PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--wirecheck-target", "python:no_such_module:factory",
         "--wirecheck-protocol", "netstring", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 4, bad.stdout[-2000:] + bad.stderr[-2000:]
    assert "no_such_module" in bad.stderr and "Traceback" not in bad.stdout + bad.stderr


def test_the_deadline_covers_a_server_that_never_listens():
    """A started command that never listens is given up on at --deadline, not after 15 s."""
    never = "cmd:sleep 60 {port}"
    out, elapsed, peak = measured("run", "--protocol", "netstring", "--deadline", "3", "--target", never)
    assert out.returncode == 2
    (line,) = error_lines(out)
    assert "did not listen" in line and "within 3s" in line, line
    assert elapsed < 3 + SLACK, f"{elapsed:.1f}s"
    assert_clean(out, peak, "sleep 60")


def test_printable_escapes_what_would_drive_a_terminal():
    from wirecheck.safetext import printable

    assert printable("ok\tline\n") == "ok\tline\n"
    assert printable("\x1b[2J\x07\x9b\u202e\x7f") == "\\x1b[2J\\x07\\x9b\\u202e\\x7f"
    assert printable("caf\u00e9 \u2603") == "caf\u00e9 \u2603"  # printable text is left alone
