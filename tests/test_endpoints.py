"""Endpoints over TCP: the bundled reference server, deliberately broken servers, dead endpoints.

Every run goes through the real command line with a ``cmd:`` target, so process
start-up, port discovery and process-group clean-up are exercised each time.
"""

import json
import re
import socket
import subprocess
import sys
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from helpers import running as _running

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken_servers.py"
PY = sys.executable
SLOW = pytest.mark.slow


def wirecheck(*args, timeout=120):
    return subprocess.run(
        [PY, "-m", "wirecheck", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def last_line(out):
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("protocol", "options"),
    [
        ("netstring", []),
        ("int8", []),
        ("int16", ["--max-length", "255"]),
        ("int32", []),
        ("line", []),
        ("line", ["--delimiter", "lf", "--max-length", "10"]),
        ("banana", []),
        ("banana", ["--strict"]),
        ("varint", []),
        ("varint", ["--strict"]),
        ("varint", ["--max-length", "127"]),
    ],
)
def test_reference_server_passes_every_vector(protocol, options):
    serve = f"cmd:{PY} -m wirecheck serve --protocol {protocol} {' '.join(options)} --port {{port}}"
    out = wirecheck("run", "--only", "vectors", "--protocol", protocol, *options, "--jobs", "4", "--target", serve)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    passed, failed = last_line(out).split(", ")
    assert failed == "0 failed" and int(passed.split()[0]) >= 6


def test_varint_passes_vectors_and_properties_over_tcp():
    """The fifth protocol end to end: vectors and properties against the reference server, 4 MiB frames included."""
    out = wirecheck(
        "run", "--protocol", "varint", "--examples", "30", "--seed", "2",
        "--target", f"cmd:{PY} -m wirecheck serve --protocol varint --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    listed = wirecheck("vectors", "list", "--protocol", "varint", "--endpoint")
    count = int(last_line(listed).split()[0])
    assert last_line(out) == f"{count} passed, 0 failed; properties: 6 held, 0 failed"


# Each bug, the vector that names it (``{m}``: the maximum the run uses) and, for the run at a small
# maximum, that maximum: 100, or where the bug cannot show at 100 its protocol's equivalent (a signed
# int8 prefix is an unsigned one for every length up to 127).
BUGS = [
    ("netstring-int-length", "netstring", "netstring-length-plus-sign", 100),
    ("netstring-leading-zero", "netstring", "netstring-leading-zero-01", 100),
    ("netstring-no-comma-check", "netstring", "netstring-missing-comma-semicolon", 100),
    ("netstring-loose-terminator", "netstring", "netstring-crlf-terminator", 100),
    ("netstring-max-off-by-one", "netstring", "netstring-max-at@max_length={m}", 100),
    ("netstring-carries-on", "netstring", "netstring-garbage-then-valid", 100),
    ("int16-little-endian", "int16", "intprefix-int16-hello", 100),
    ("int16-zero-length-dropped", "int16", "intprefix-int16-empty", 100),
    ("int8-signed-prefix", "int8", "intprefix-int8-top-bit-set", 200),
    ("int32-max-off-by-one", "int32", "intprefix-int32-max-over@max_length={m}", 100),
    ("int32-wrong-echo-length", "int32", "intprefix-int32-hello", 100),
    ("int32-no-max-check", "int32", "intprefix-int32-all-ones-over", 100),
    ("int16-frames-merged", "int16", "intprefix-int16-two", 100),
    ("line-per-read-split", "line", "lines-max-delimiter-split@max_length={m},delimiter=0d0a", 100),
    ("line-lineonly-quirk", "line", "lines-max-delimiter-split@max_length={m},delimiter=0d0a", 100),
    ("line-empty-dropped", "line", "lines-empty-line@max_length={m},delimiter=0d0a", 100),
    ("line-bare-lf-ends-line", "line", "lines-crlf-bare-lf", 100),
    ("line-skips-long-line", "line", "lines-over@max_length={m},delimiter=0d0a", 100),
    ("line-max-counts-delimiter", "line", "lines-at-max@max_length={m},delimiter=0d0a", 100),
    ("line-stripped", "line", "lines-crlf-cr-before-crlf", 100),
    ("line-echoes-partial-at-eof", "line", "lines-incomplete@max_length={m},delimiter=0d0a", 100),
]
DEFAULT_MAX = {"netstring": 99999, "int8": 255, "int16": 65535, "int32": 99999, "line": 16384}


#: Bugs whose default-maximum variant runs only with -m slow: the same bug and vector as at the
#: small maximum, minutes of CI between them.  The bugs about the maximum itself keep both in the
#: default run (whether the limit is right at 99999 is not the question it is at 100).
BOTH_IN_DEFAULT_RUN = ("netstring-max-off-by-one", "int32-max-off-by-one", "int32-no-max-check")


@pytest.mark.parametrize(
    ("bug", "protocol", "vector", "small_max", "small"),
    [
        pytest.param(*bug, small, id=f"{bug[0]}-{'small-max' if small else 'defaults'}",
                     marks=[] if small or bug[0] in BOTH_IN_DEFAULT_RUN else [pytest.mark.slow])
        for bug in BUGS
        for small in (False, True)
    ],
)  # fmt: skip
def test_broken_server_fails_with_the_right_vector(bug, protocol, vector, small_max, small):
    """Each deliberately broken server is flagged by the vector that names its bug, configured as
    it is by default, and configured with a small maximum (server and run alike)."""
    top = small_max if small else DEFAULT_MAX[protocol]
    options = ["--max-length", str(top)] if small else []
    target = f"cmd:{PY} {BROKEN} {bug} --port {{port}} {' '.join(options)}"
    # These two bugs show only when the endpoint reads the two chunks separately: on a loaded
    # machine the default 10 ms between them is not always enough, which is what --delay is for.
    paced = ["--delay", "0.02"] if bug in ("line-per-read-split", "line-lineonly-quirk") else []
    # No sanity case: some bugs (a little-endian prefix) break the plainest frame, which would stop the
    # run before any vector (tests/test_hostile.py); here the vector that names the bug is the point.
    out = wirecheck(
        "run", "--only", "vectors", "--protocol", protocol, *options, "--jobs", "4", "--timeout", "1", *paced,
        "--no-sanity", "--target", target,
    )  # fmt: skip
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    failing = {line.split()[1] for line in out.stdout.splitlines() if line.startswith(("FAIL ", "TIMEOUT "))}
    assert vector.format(m=top) in failing, sorted(failing)


@pytest.mark.parametrize("base", ["netstring", "int8", "int16", "int32", "line"])
def test_the_broken_servers_bases_are_correct(base):
    """Every vector and every property (25 examples each: the bases are the fixture, the
    properties' own strength is tested elsewhere) pass against the unbroken server."""
    out = wirecheck(
        "run", "--protocol", base, "--jobs", "4", "--examples", "25",
        "--target", f"cmd:{PY} {BROKEN} correct-{base} --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:]


def test_nothing_listening_is_a_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    out = wirecheck("run", "--only", "vectors", "--protocol", "netstring", "--target", f"tcp://127.0.0.1:{port}")
    assert out.returncode == 2
    assert "refused" in out.stderr and "Traceback" not in out.stderr


def test_a_command_that_exits_is_a_clear_error():
    out = wirecheck(
        "run", "--only", "vectors", "--protocol", "netstring", "--target", f"cmd:{PY} -c 'raise SystemExit(3)' {{port}}"
    )
    assert out.returncode == 2
    assert "exited with code 3" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "target", ["tcp://nohost", "tcp://127.0.0.1:99999", "udp://x:1", "cmd:server --no-port-placeholder"]
)
def test_bad_targets_are_usage_errors(target):
    out = wirecheck("run", "--only", "vectors", "--protocol", "netstring", "--target", target)
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_target_needs_exactly_one_protocol():
    out = wirecheck("run", "--only", "vectors", "--target", "tcp://127.0.0.1:1")
    assert out.returncode == 2 and "exactly one --protocol" in out.stderr


HOSTILE = Path(__file__).resolve().parent / "hostile_servers.py"


def test_banana_dialect_not_offered_is_unimplemented_not_failed():
    serve = f"cmd:{PY} -m wirecheck serve --protocol banana --dialects none --port {{port}}"
    out = wirecheck("run", "--only", "vectors", "--protocol", "banana", "--dialect", "pb", "--target", serve)
    # The handshake cases for its real offer run and pass; every pb vector is unimplemented.
    assert out.returncode == 0, out.stdout[-2000:]
    assert "UNIMPLEMENTED" in out.stdout and "does not offer dialect 'pb'" in out.stdout
    assert last_line(out) == "2 passed, 0 failed"  # choose-none, unknown-choice
    mixed = wirecheck("run", "--only", "vectors", "--protocol", "banana", "--target", serve, "--jobs", "4")
    assert mixed.returncode == 0, mixed.stdout[-2000:]
    assert "unimplemented (not run by this target; not failures)" in mixed.stdout


def documented(*divergences: int) -> list[str]:
    """The vector ids and patterns docs/twisted-divergences.md names for these divergences."""
    text = (ROOT / "docs" / "twisted-divergences.md").read_text()
    rows = {int(m.group(1)): m.group(0) for m in re.finditer(r"^\| (\d+) \|.*$", text, re.MULTILINE)}
    return [p for n in divergences for p in re.findall(r"`([a-z0-9][a-z0-9*@=_,.-]*)`", rows[n]) if "-" in p]


@pytest.mark.parametrize(
    ("impl", "protocol", "max_length"),
    [("twisted", p, m) for p in ("netstring", "int8", "int16", "int32", "line") for m in (None, 100)]
    + [("twisted-lineonly", "line", m) for m in (None, 100)]
    + [("twisted", "banana", None)],  # Banana has no maximum
)
def test_twisted_on_its_reactor_fails_only_documented_divergences(tmp_path, impl, protocol, max_length):
    """Twisted's own servers, on the reactor, as configured (the defaults, and max 100): every failure is
    one the divergences document names (1: LineOnlyReceiver, 7: Banana's errors drop earlier echoes)."""
    options = [] if max_length is None else ["--max-length", str(max_length)]
    serve = f"cmd:{PY} -m wirecheck serve --impl {impl} --protocol {protocol} {' '.join(options)} --port {{port}}"
    report = tmp_path / "r.json"
    out = wirecheck(
        "run", "--only", "vectors", "--protocol", protocol, *options, "--jobs", "4", "--json", str(report),
        "--target", serve,
    )  # fmt: skip
    assert out.returncode in (0, 1), out.stderr
    cases = json.loads(report.read_text())["cases"]
    failing = {c["base_id"] for c in cases if c["verdict"] in ("fail", "timeout", "error")}
    patterns = documented(1, 7) if impl == "twisted-lineonly" else documented(7)
    assert [f for f in failing if not any(fnmatchcase(f, p) for p in patterns)] == []
    if impl == "twisted-lineonly":
        assert "lines-max-delimiter-split" in failing  # the quirk's signature, whatever the timing
    if protocol != "banana" and impl == "twisted":
        assert not failing  # the basic receivers pass every vector at these configurations
    assert sum(c["verdict"] == "pass" for c in cases) >= len(cases) * 0.8


@pytest.mark.parametrize("impl", ["asyncio", "asyncio-buffered"])
@pytest.mark.parametrize(
    ("protocol", "options"),
    [  # their parsers pass every configuration in-process (test_configurations.py): two here over TCP
        pytest.param("netstring", [], marks=SLOW),
        ("netstring", ["--max-length", "10"]),
        pytest.param("int8", [], marks=SLOW),
        pytest.param("int16", [], marks=SLOW),
        ("int32", ["--max-length", "1000"]),
        pytest.param("line", [], marks=SLOW),
        ("line", ["--delimiter", "hex:787879", "--max-length", "8"]),
    ],
)
def test_asyncio_implementations_pass_every_vector(impl, protocol, options):
    serve = f"cmd:{PY} -m wirecheck serve --impl {impl} --protocol {protocol} {' '.join(options)} --port {{port}}"
    out = wirecheck("run", "--only", "vectors", "--protocol", protocol, *options, "--jobs", "4", "--target", serve)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert last_line(out).endswith(", 0 failed")


@pytest.mark.parametrize(
    ("protocol", "options"),
    [("netstring", []), ("int16", []), ("line", ["--delimiter", "lf", "--max-length", "10"]), ("banana", []),
     ("banana", ["--dialects", "none"])],
)  # fmt: skip
def test_client_mode_with_the_reference_echo_client(protocol, options):
    run = subprocess.Popen(
        [PY, "-m", "wirecheck", "run", "--protocol", protocol, *options, "--listen", "127.0.0.1:0", "--jobs", "2",
         "--examples", "10"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    first = run.stdout.readline()
    assert first.startswith("listening on 127.0.0.1:"), first + run.stderr.read()
    address = first.split()[-1]
    client_options = [o for o in options if o != "--dialects"] if protocol != "banana" else options
    client = subprocess.Popen(
        [PY, "-m", "wirecheck", "echo-client", "--protocol", protocol, *client_options, "--connect", address,
         "--give-up", "2"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        stdout, stderr = run.communicate(timeout=180)
        client_out, _ = client.communicate(timeout=60)
    finally:
        run.kill()
        client.kill()
    assert run.returncode == 0, stdout[-3000:] + stderr
    assert stdout.strip().splitlines()[-1].endswith(", 0 failed")
    assert int(client_out.split()[1]) >= 20  # "served N connections"


def test_client_mode_with_no_client_ends_within_the_deadline():
    import time

    started = time.monotonic()
    out = wirecheck(
        "run", "--only", "vectors", "--protocol", "int8", "--listen", "127.0.0.1:0", "--timeout", "1", "--deadline", "4"
    )
    assert out.returncode == 2 and "no client connected" in out.stderr
    assert time.monotonic() - started < 4 + 1 + 5


def test_an_endpoint_that_degrades_during_the_run_is_reported():
    # 'exit' serves 20 connections correctly, then exits: the sanity case passes before, not after.
    out = wirecheck(
        "run", "--protocol", "netstring", "--case", "netstring-spec-empty", "--case", "netstring-two-frames",
        "--target", f"cmd:{PY} {HOSTILE} exit --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "degraded during the run" in out.stderr or "refused the connection" in out.stderr


def test_banana_handshake_cases_follow_the_actual_offer():
    serve = f"cmd:{PY} -m wirecheck serve --protocol banana --dialects none,pb --port {{port}}"
    out = wirecheck(
        "run",
        "--only",
        "vectors",
        "--protocol",
        "banana",
        "--dialects",
        "none,pb",
        "-v",
        "--target",
        serve,
        "--jobs",
        "4",
    )
    assert out.returncode == 0, out.stdout[-2000:]
    for case in ("choose-none", "choose-pb", "unknown-choice"):
        assert f"PASS       banana-endpoint-handshake-{case}" in out.stdout


def test_a_banana_offer_that_is_not_a_list_fails():
    # Without the sanity case, which would stop the run on the offer (tests/test_hostile.py); the
    # vectors alone (the properties would wait out a timeout on each example).
    out = wirecheck(
        "run", "--protocol", "banana", "--only", "vectors", "--timeout", "1", "--no-sanity",
        "--target", f"cmd:{PY} {HOSTILE} bad-offer --port {{port}}",
    )  # fmt: skip
    assert out.returncode == 1, out.stdout[-2000:] + out.stderr
    assert "FAIL       banana-endpoint-handshake-choose-none" in out.stdout
    assert "offer is not a Banana list" in out.stdout


def test_a_started_servers_output_is_kept_in_the_json_report(tmp_path):

    report = tmp_path / "r.json"
    serve = f"cmd:{PY} -m wirecheck serve --protocol int8 --port {{port}}"
    out = wirecheck("run", "--only", "vectors", "--protocol", "int8", "--json", str(report), "--target", serve)
    assert out.returncode == 0
    assert "listening on 127.0.0.1:" in json.loads(report.read_text())["target_output"]


#: Broken servers whose bug is about splits, the max_length boundary or merged frames: the
#: properties alone, without a single golden vector, must catch each of them.
#: Those over a minute or more each under CI's load (each stalling example waits its timeout)
#: run with ``-m slow``; the default run keeps one of each kind: a split bug, a limit bug.
PROPERTY_BUGS = [
    pytest.param("netstring-max-off-by-one", "netstring", marks=SLOW),
    pytest.param("int32-max-off-by-one", "int32", marks=SLOW),
    pytest.param("int32-no-max-check", "int32", marks=SLOW),
    pytest.param("int16-frames-merged", "int16", marks=SLOW),
    pytest.param("line-per-read-split", "line", marks=SLOW),
    pytest.param("line-lineonly-quirk", "line", marks=SLOW),  # in-process: test_properties.py
    ("line-skips-long-line", "line"),
    pytest.param("line-max-counts-delimiter", "line", marks=SLOW),
]
PROPERTY_BUG_IDS = [b.values[0] if hasattr(b, "values") else b[0] for b in PROPERTY_BUGS]


@pytest.mark.parametrize(("bug", "protocol"), PROPERTY_BUGS, ids=PROPERTY_BUG_IDS)
def test_properties_alone_catch_split_boundary_and_merge_bugs(bug, protocol, tmp_path):

    import shlex

    target = f"cmd:{PY} {BROKEN} {bug} --port {{port}}"
    out = wirecheck(
        "run", "--only", "properties", "--protocol", protocol, "--examples", "60", "--seed", "1",
        "--timeout", "1", "--vectors", str(tmp_path / "no-vectors-here"), "--json", str(tmp_path / "r.json"),
        "--target", target, timeout=300,  # six properties, each example of a stalling server waits 1 s
    )  # fmt: skip
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    doc = json.loads((tmp_path / "r.json").read_text())
    failed = [p for p in doc["properties"]["results"] if p["verdict"] == "fail"]
    assert failed and all(p["vector"]["input"] and p["replay"] for p in failed)
    assert doc["summary"]["cases"] == 0  # not one golden vector was run
    replay = failed[0]["replay"]
    assert replay in out.stdout
    again = wirecheck(*shlex.split(replay)[1:])
    verdict = again.stdout.strip().splitlines()[-1]
    assert again.returncode == 1 and verdict.startswith(("FAIL", "TIMEOUT")), again.stdout[-2000:] + again.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_stops_the_run_and_the_server_it_started(tmp_path, signame):
    """CI cancelling a job (SIGTERM), a closed terminal (SIGHUP) and Ctrl-C (SIGINT) alike: the run
    stops with 128 + the signal's number and leaves no ``cmd:`` server behind."""
    import signal
    import time

    server = tmp_path / f"silent_server_{signame}.py"
    server.write_text(HOSTILE.read_text())
    run = subprocess.Popen(
        [PY, "-m", "wirecheck", "run", "--protocol", "netstring", "--no-sanity",
         "--target", f"cmd:{PY} {server} silent --port {{port}}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, stdin=subprocess.DEVNULL,
        # A shell without job control starts background commands with SIGINT ignored, and a Python
        # started so keeps ignoring it (rightly): the run under test gets the default disposition.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        started = time.monotonic()
        while not _running(str(server)) and time.monotonic() - started < 20:
            time.sleep(0.1)
        assert _running(str(server)), "the server never started"
        time.sleep(1)
        sig = getattr(signal, signame)
        run.send_signal(sig)
        _, err = run.communicate(timeout=20)
        assert run.returncode == 128 + sig, err
        assert "Traceback" not in err
        waited = time.monotonic()
        while _running(str(server)) and time.monotonic() - waited < 5:
            time.sleep(0.1)
        assert _running(str(server)) == []
    finally:
        if run.poll() is None:
            run.kill()


DEEP_ADAPTER = '''
class Deep:
    """Answers every read with one Banana list nested 5000 levels deep."""
    closed = pending = False

    def feed(self, data):
        value = []
        for _ in range(5000):
            value = [value]
        return [value]


def factory(protocol, params):
    return Deep()
'''


def test_a_value_nested_thousands_deep_is_a_failure_not_a_crash(tmp_path):
    """Compared, described and written to the JSON report and JUnit without recursion."""
    adapter = tmp_path / "deep_adapter.py"
    adapter.write_text(DEEP_ADAPTER)
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    out = wirecheck(
        "run", "--only", "vectors", "--protocol", "banana", "--case", "banana-spec-empty-list",
        "--target", f"python:{adapter}:factory", "--json", str(report), "--junit", str(junit),
    )  # fmt: skip
    assert out.returncode == 1, out.stdout[-2000:] + out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "RecursionError" not in out.stdout + out.stderr
    assert "FAIL       banana-spec-empty-list" in out.stdout
    case = json.loads(report.read_text())["cases"][0]
    assert case["verdict"] == "fail"
    assert "nested more than" in json.dumps(case["observed"]["frames"])
    import xml.etree.ElementTree as ET

    assert ET.parse(junit).getroot().find(".//failure") is not None
