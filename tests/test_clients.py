"""wirecheck clients: scenarios, the model, verdicts, the bundled clients in-process and over TCP."""

from __future__ import annotations

import json
import sys
import textwrap
import time
from pathlib import Path

import pytest

from wirecheck.cli import main
from wirecheck.clients import ClientOptions, ClientTarget, ClientVerdict, check_property, load, run_scenario
from wirecheck.clients.scenario import Event
from wirecheck.clients.timeline import Outcome
from wirecheck.clients.verdict import judge

ROOT = Path(__file__).resolve().parent.parent
IMPLS = ROOT / "implementations"
LINE = {"delimiter": "0a", "max_length": 16384}
BY_ID = {s.id: s for s in load()}


def adapter(name: str) -> str:
    return f"python:{IMPLS / name / 'adapter.py'}:factory"


def run(name: str, scenario_id: str, profile: str = "plain", command: bool = False, timeout: float = 5.0):
    target = f"cmd:{sys.executable} {IMPLS / name / 'client.py'} --host {{host}} --port {{port}}" if command else (
        adapter(name))  # fmt: skip
    options = ClientOptions(target, "line", LINE, profile, timeout=timeout)
    return run_scenario(ClientTarget(options), BY_ID[scenario_id])


def test_the_bundled_scenarios_lint_clean_and_cover_the_notes(capsys):
    assert main(["clients", "lint"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 problems")
    assert len(BY_ID) >= 30
    notes = [s for s in BY_ID.values() if s.reference.startswith("robust-line-client-notes.txt")]
    assert len(notes) >= 15


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["scenarios"].append(d["scenarios"][0]), "used twice"),
        (lambda d: d["scenarios"][0]["script"].append({"step": "expect", "request": "nobody"}), "no action requests"),
        (lambda d: d["scenarios"][0].update(expected=[{"event": "reply", "id": "1", "data": "5"}]), "the model gives"),
        (lambda d: d["scenarios"][0]["script"].append({"step": "explode"}), "does not match"),
    ],
)
def test_a_broken_scenario_file_is_one_clear_failure(tmp_path, capsys, change, message):
    doc = json.loads((ROOT / "vectors" / "client-scenarios.json").read_text())
    change(doc)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    code = main(["clients", "lint", "--scenarios", str(path)])
    captured = capsys.readouterr()
    assert code in (1, 2)
    assert message in captured.out + captured.err
    assert "Traceback" not in captured.err


def _outcome(*events: Event, **kw) -> Outcome:
    return Outcome(events=list(events), **kw)


def test_verdicts_name_what_went_wrong():
    model = _outcome(Event("reply", "1", b"a"), Event("reply", "2", b"b"), Event("notification", data=b"notif:x"))
    swapped = _outcome(Event("reply", "1", b"b"), Event("reply", "2", b"a"), Event("notification", data=b"notif:x"))
    judgement = judge(swapped, model)
    assert judgement.verdict == ClientVerdict.FAIL
    assert "the reply to request 2 was delivered to request 1" in judgement.message
    twice = _outcome(Event("reply", "1", b"a"), Event("reply", "1", b"a"), Event("reply", "2", b"b"),
                     Event("notification", data=b"notif:x"))  # fmt: skip
    assert [f.behaviour for f in judge(twice, model).findings] == ["duplicate-delivered"]
    taken = _outcome(Event("reply", "1", b"notif:x"), Event("reply", "2", b"b"))
    assert [f.behaviour for f in judge(taken, model).findings] == ["notification-taken-for-reply"]
    lost = _outcome(Event("reply", "1", b"a"), Event("notification", data=b"notif:x"), hang="still waiting")
    judgement = judge(lost, model)
    assert judgement.verdict == ClientVerdict.HANG and "request 2 never got its reply 'b'" in judgement.message
    extra = _outcome(*model.events, Event("unexpected", data=b"zz"))
    assert judge(extra, model).verdict == ClientVerdict.PASS
    crashed = _outcome(crash="AlreadyCalledError")
    assert judge(crashed, model).message == "crashed: AlreadyCalledError"


def test_a_fail_fast_client_is_acceptable_where_it_met_an_unexpected_frame():
    options = ClientOptions("python:wirecheck.clients.reference:fail_fast_factory", "line", LINE)
    target = ClientTarget(options)
    verdicts = {s.id: run_scenario(target, s).verdict for s in BY_ID.values() if "plain" in s.profiles}
    assert verdicts["line-before-any-request"] == ClientVerdict.ACCEPTABLE
    assert verdicts["duplicate-reply"] == ClientVerdict.PASS  # nothing was waiting after the duplicate
    assert verdicts["request-reply"] == ClientVerdict.PASS
    assert set(verdicts.values()) <= {ClientVerdict.PASS, ClientVerdict.ACCEPTABLE, ClientVerdict.NOT_RUN}


@pytest.mark.parametrize(
    "name, scenario_id, verdict, words",
    [
        ("twisted-client-naive", "line-before-any-request", "crash", "crashed: AttributeError"),
        ("twisted-client-naive", "duplicate-reply", "crash", "crashed: AlreadyCalledError"),
        ("twisted-client-naive", "burst-two", "crash", "the reply to request 1 was delivered to request 2"),
        ("twisted-client-ignore", "line-before-any-request", "pass", ""),
        ("twisted-client-ignore", "duplicate-reply", "crash", "AlreadyCalledError"),
        ("twisted-client-clear-after", "duplicate-reply", "pass", ""),
        ("twisted-client-clear-after", "chain-from-callback", "hang", "request 2 never got its reply '2'"),
        ("twisted-client-swap", "chain-from-callback", "pass", ""),
        ("twisted-client-swap", "burst-two", "crash", "crashed: AssertionError"),
        ("twisted-client-queue", "burst-two", "pass", ""),
        (
            "twisted-client-queue",
            "notification-just-before-reply",
            "fail",
            "the notification 'notif:x' was delivered to request 1 as its reply",
        ),
        ("twisted-client-prefix", "notification-just-before-reply", "pass", ""),
        ("twisted-client-prefix", "close-with-several-pending", "pass", ""),
    ],
)
def test_each_stage_of_the_notes_fails_where_the_notes_say(name, scenario_id, verdict, words):
    result = run(name, scenario_id)
    assert result.verdict.value == verdict, result.judgement.message
    assert words in result.judgement.message


@pytest.mark.parametrize("name", sorted(p.parent.name for p in IMPLS.glob("*client*/manifest.json")))
def test_each_bundled_client_fails_exactly_its_baseline_in_process(name, capsys):
    code = main(["clients", "--impl", name, "--in-process", "--only", "scenarios",
                 "--baseline", str(IMPLS / name / "baseline.json")])  # fmt: skip
    assert code == 0, capsys.readouterr().out


def test_the_robust_clients_pass_every_scenario_and_property(capsys):
    for name in ("twisted-client-prefix", "twisted-client-numbered", "asyncio-client"):
        assert main(["clients", "--impl", name, "--in-process", "--examples", "100"]) == 0, capsys.readouterr().out
        out = capsys.readouterr().out
        assert "0 failing behaviours" in out and " fail" not in out.split("scenarios:")[-1].split(";")[0]


def test_a_removed_baseline_entry_fails_and_a_fixed_bug_is_stale(tmp_path, capsys):
    baseline = json.loads((IMPLS / "twisted-client-swap" / "baseline.json").read_text())
    removed = dict(baseline, scenarios={k: v for k, v in baseline["scenarios"].items() if k != "burst-two"})
    (tmp_path / "removed.json").write_text(json.dumps(removed))
    args = ["clients", "--impl", "twisted-client-swap", "--in-process", "--only", "scenarios", "--baseline"]
    assert main([*args, str(tmp_path / "removed.json")]) == 1
    assert "unexpected: burst-two crash" in capsys.readouterr().out
    stale = dict(baseline, scenarios={**baseline["scenarios"], "request-reply": {"verdict": "fail", "behaviours": []}})
    (tmp_path / "stale.json").write_text(json.dumps(stale))
    assert main([*args, str(tmp_path / "stale.json")]) == 1
    assert "stale: request-reply" in capsys.readouterr().out


def test_the_property_finds_the_queue_clients_blind_spot_and_shrinks_it():
    target = ClientTarget(ClientOptions(adapter("twisted-client-queue"), "line", LINE))
    result = check_property(target, examples=200, seed=3)
    assert "notification-taken-for-reply" in result.failures
    scenario, _ = result.failures["notification-taken-for-reply"]
    assert scenario.id.startswith("generated-") and scenario.expected
    assert run_scenario(target, scenario).verdict == ClientVerdict.FAIL  # the shrunk scenario replays


@pytest.mark.parametrize("name", ["twisted-client-naive", "twisted-client-prefix", "asyncio-client"])
@pytest.mark.parametrize("scenario_id", ["burst-two", "duplicate-reply", "notification-just-before-reply",
                                         "chain-from-callback", "close-with-several-pending"])  # fmt: skip
def test_over_tcp_a_client_gets_the_verdict_it_gets_in_process(name, scenario_id):
    inproc, tcp = run(name, scenario_id), run(name, scenario_id, command=True, timeout=3.0)
    assert tcp.verdict == inproc.verdict, (tcp.judgement.message, tcp.outcome.stderr[-500:])
    assert [f.behaviour for f in tcp.judgement.findings] == [f.behaviour for f in inproc.judgement.findings]


def _script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "client.py"
    path.write_text(textwrap.dedent(body))
    return f"cmd:{sys.executable} {path} {{host}} {{port}}"


@pytest.mark.parametrize(
    "body, verdict, words",
    [
        (
            "import time, socket, sys\ns = socket.create_connection((sys.argv[1], int(sys.argv[2])))\ntime.sleep(60)\n",
            "hang",
            "did not finish within 2s",
        ),
        ("import time\ntime.sleep(60)\n", "hang", "never connected"),
        (
            'import sys\nwhile True:\n    sys.stdout.write(\'{"event": "unexpected", "data": "00"}\\n\')\n',
            "crash",
            "flooded",
        ),
        (
            "import os, socket, sys, time\ns = socket.create_connection((sys.argv[1], int(sys.argv[2])))\n"
            "if os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\ntime.sleep(60)\n",
            "hang",
            "did not finish",
        ),
    ],
)
def test_a_client_that_hangs_floods_or_never_connects_ends_in_time_and_leaves_nothing(tmp_path, body, verdict, words):
    options = ClientOptions(_script(tmp_path, body), "line", LINE, timeout=2.0)
    started = time.monotonic()
    result = run_scenario(ClientTarget(options), BY_ID["request-reply"])
    assert time.monotonic() - started < 9
    assert result.verdict.value == verdict and words in result.judgement.message
    time.sleep(0.2)
    assert not [p.name for p in Path("/proc").iterdir() if p.name.isdigit() and str(tmp_path) in _cmdline(p.name)]


def _cmdline(pid: str) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def test_the_client_matrix_puts_every_bundled_client_side_by_side(tmp_path, capsys):
    assert main(["clients", "matrix", "--in-process", "--examples", "20", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "results.json").read_text())
    naive = {r["id"]: r for r in report["clients"]["twisted-client-naive"]["results"]["scenarios"]}
    assert naive["line-before-any-request"]["verdict"] == "crash"
    assert report["clients"]["twisted-client-prefix"]["state"] == "ran"
    page = (tmp_path / "index.html").read_text()
    assert "<script" not in page and 'title="crashed: AttributeError' in page
    assert "| twisted-client-naive | 9 | 0 | 1 | 17 | 8 | 1 |" in (tmp_path / "summary.md").read_text()


FRAMINGS = [["--protocol", "netstring"], ["--protocol", "int8", "--max-length", "255"], ["--protocol", "int32"],
            ["--protocol", "varint"], ["--delimiter", "crlf"]]  # fmt: skip


@pytest.mark.parametrize("framing", FRAMINGS)
def test_the_protocol_runs_over_every_framing(framing, capsys):
    """The model against itself over each framing: the harness's own check that scenarios carry over."""
    assert main(["clients", *framing, "--examples", "30"]) == 0
    out = capsys.readouterr().out
    assert " fail" not in out.split("scenarios:")[-1].split(";")[0] and "0 failing behaviours" in out
