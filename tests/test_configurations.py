"""Vectors for any configuration: templates, conditions, narrowing, export, and configuration errors.

Servers are started through the command line (``cmd:``), configured like the run, as a user
testing their own server would.
"""

import json
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken_servers.py"
PY = sys.executable
sys.path.insert(0, str(ROOT / "tools"))
from test_endpoints import last_line, wirecheck  # noqa: E402  (the suite's way of running the command)

from coverage_table import CONFIGS  # noqa: E402
from wirecheck import protocols  # noqa: E402
from wirecheck.vectors import instances, load  # noqa: E402


def serve(impl: str, protocol: str, words: list[str]) -> str:
    return f"cmd:{PY} -m wirecheck serve --impl {impl} --protocol {protocol} {shlex.join(words)} --port {{port}}"


@cache
def bundled():
    return load()


def endpoint_ids(protocol: str, params: dict) -> set[str]:
    """The ids of the vectors a run against an endpoint configured with ``params`` runs."""
    config = {**protocols.endpoint_config(protocols.get(protocol)), **params}
    return {v.id for v in instances(bundled(), [protocol], config, endpoint=True).vectors}


def endpoint_count(protocol: str, params: dict) -> int:
    return len(endpoint_ids(protocol, params))


@pytest.mark.parametrize(
    ("protocol", "params"), CONFIGS, ids=[f"{p}-{'-'.join(map(str, c.values()))}" for p, c in CONFIGS]
)
def test_the_reference_server_passes_every_vector_that_holds_there(protocol, params):
    """The acceptance table: at each configuration, every vector that holds runs and passes, and
    they are at least 80% of the default configuration's (50% at a maximum of 0 or 1)."""
    words = protocols.command_words(protocols.get(protocol), params)
    out = wirecheck("run", "--only", "vectors", "--protocol", protocol, *words, "--jobs", "4", "-v",
                    "--target", serve("reference", protocol, words))  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    verdicts = dict(
        reversed(line.split()[:2]) for line in out.stdout.splitlines() if line.startswith(("PASS ", "UNIMPL"))
    )
    listed = endpoint_ids(protocol, params)
    assert listed <= {i.rstrip(":") for i in verdicts}  # every vector that holds ran (the rest: handshake checks)
    unimplemented = {i for i, v in verdicts.items() if v == "UNIMPLEMENTED"}
    assert all(i.startswith("banana-client-") or i.startswith("banana-server-") for i in unimplemented), unimplemented
    passed = int(last_line(out).split()[0])
    if protocol != "varint":  # the list; varint's own shares are in the closing note
        bar = 0.5 if params.get("max_length") in (0, 1) else 0.8
        assert passed >= bar * endpoint_count(protocol, {})


def _slow_if_large(protocol: str, params: dict):
    """In-process targets also get every vector byte by byte: megabyte maxima take minutes there."""
    marks = [pytest.mark.slow] if params.get("max_length", 0) >= 10**6 else []
    return pytest.param(protocol, params, marks=marks, id=f"{protocol}-{'-'.join(map(str, params.values()))}")


ASYNCIO = [(p, c) for p, c in CONFIGS if p not in ("banana", "varint")]


@pytest.mark.parametrize("adapter", ["protocol", "buffered_protocol"])
@pytest.mark.parametrize(("protocol", "params"), [_slow_if_large(p, c) for p, c in ASYNCIO])
def test_the_asyncio_parsers_pass_every_vector_that_holds_there(protocol, params, adapter):
    """The asyncio implementations' own parsers, driven in-process (the servers over TCP: below,
    marked slow), with every vector an endpoint so configured runs."""
    from wirecheck.checks import Verdict, run_case
    from wirecheck.targets import PythonTarget

    target = PythonTarget(f"{ROOT}/implementations/asyncio/adapter.py:{adapter}")
    config = {**protocols.endpoint_config(protocols.get(protocol)), **params}
    chosen = instances(bundled(), [protocol], config, endpoint=True).vectors
    verdicts = {v.id: run_case(target, v).verdict for v in chosen}
    assert len(verdicts) == endpoint_count(protocol, params) > 0
    assert {i: v for i, v in verdicts.items() if v not in (Verdict.PASS, Verdict.ACCEPTABLE)} == {}


@pytest.mark.slow
@pytest.mark.parametrize("impl", ["asyncio", "asyncio-buffered"])
@pytest.mark.parametrize(
    ("protocol", "params"), ASYNCIO, ids=[f"{p}-{'-'.join(map(str, c.values()))}" for p, c in ASYNCIO]
)
def test_the_asyncio_servers_pass_every_vector_that_holds_there(protocol, params, impl):
    words = protocols.command_words(protocols.get(protocol), params)
    out = wirecheck("run", "--only", "vectors", "--protocol", protocol, *words, "--jobs", "4",
                    "--target", serve(impl, protocol, words))  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert int(last_line(out).split()[0]) == endpoint_count(protocol, params)


def test_templates_are_built_at_any_maximum_with_ids_that_say_so():
    out = wirecheck("run", "--only", "vectors", "--protocol", "netstring", "--max-length", "12345", "-v")
    assert out.returncode == 0, out.stdout[-2000:]
    assert "PASS       netstring-max-at@max_length=12345" in out.stdout
    assert "PASS       netstring-spec-hello-world" in out.stdout  # a concrete vector keeps its id


def test_no_test_sends_two_gigabytes_templates_say_why_they_are_skipped():
    out = wirecheck("run", "--only", "vectors", "--protocol", "int32", "--max-length", str(2**31 - 1))
    assert out.returncode == 0, out.stdout[-2000:]
    assert "SKIPPED    intprefix-int32-max-at@max_length=2147483647: would send 2147483651 bytes" in out.stdout


def test_a_case_names_its_protocol_and_parameters():
    words = ["--max-length", "100"]
    out = wirecheck(
        "run", "--case", "netstring-max-at@max_length=100", "--target", serve("reference", "netstring", words)
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    assert last_line(out) == "1 passed, 0 failed"  # no --protocol, no --max-length, and no properties


def test_narrowing_runs_no_properties_unless_asked():
    narrowed = wirecheck("run", "--case", "intprefix-int8-hello")
    assert narrowed.returncode == 0 and last_line(narrowed) == "1 passed, 0 failed"
    asked = wirecheck("run", "--case", "intprefix-int8-hello", "--property", "round_trip", "--examples", "5")
    assert asked.returncode == 0 and last_line(asked) == "1 passed, 0 failed; properties: 1 held, 0 failed"


def test_a_failure_shows_its_description_and_the_command_that_reruns_it():
    target = f"cmd:{PY} {BROKEN} netstring-leading-zero --port {{port}}"
    out = wirecheck("run", "--only", "vectors", "--protocol", "netstring", "--timeout", "1", "--target", target)
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("FAIL       netstring-leading-zero-01 "))
    assert lines[at + 1].strip().startswith("leading-zero-accepted: it accepts a length written with leading zeros")
    assert lines[at + 2].strip() == "Length '01' has a leading zero."
    rerun = lines[at + 3].strip()
    assert rerun.startswith("rerun: wirecheck run --case netstring-leading-zero-01 --target")
    again = wirecheck(*shlex.split(rerun.removeprefix("rerun: wirecheck ")))
    assert again.returncode == 1 and last_line(again) == "0 passed, 1 failed"


def test_export_writes_concrete_vectors_that_lint_and_run(tmp_path):
    out = wirecheck(
        "vectors", "export", "--protocol", "line", "--delimiter", "lf", "--max-length", "100", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    count = int(last_line(out).split()[0])
    doc = json.loads((tmp_path / "lines.json").read_text())
    assert doc["numberOfVectors"] == count and all(
        isinstance(v["input"], str) for g in doc["groups"] for v in g["vectors"]
    )
    assert {json.dumps(g["params"], sort_keys=True) for g in doc["groups"]} == {
        '{"delimiter": "0a", "max_length": 100}'
    }
    lint = wirecheck("vectors", "lint", "--vectors", str(tmp_path))
    assert lint.returncode == 0 and ", 0 errors" in last_line(lint), lint.stdout[-2000:]
    run = wirecheck("run", "--only", "vectors", "--vectors", str(tmp_path), "--protocol", "line", "--delimiter", "lf",
                    "--max-length", "100")  # fmt: skip
    assert run.returncode == 0 and last_line(run) == f"{count} passed, 0 failed"


def test_a_users_own_vectors_run_alongside_the_bundled_ones(tmp_path):
    mine = {
        "family": "netstring", "schema": "vectors.schema.json", "version": 2, "numberOfVectors": 1,
        "header": ["mylib's own cases"],
        "notes": {"Mine": {"bugType": "BASIC", "description": "From mylib's bug tracker."}},
        "groups": [{"protocol": "netstring", "params": {}, "vectors": [{
            "id": "mylib-three-empty", "description": "Three empty netstrings.", "ref": "mylib#12", "flags": ["Mine"],
            "input": "303a2c303a2c303a2c", "frames": ["", "", ""], "outcome": {"status": "ok"}, "result": "valid"}]}],
    }  # fmt: skip
    (tmp_path / "mylib.json").write_text(json.dumps(mine))
    lint = wirecheck("vectors", "lint", "--vectors", str(tmp_path))
    assert lint.returncode == 0, lint.stdout
    out = wirecheck("run", "--only", "vectors", "--add-vectors", str(tmp_path), "--protocol", "netstring", "-v")
    assert out.returncode == 0 and "PASS       mylib-three-empty" in out.stdout
    assert "PASS       netstring-spec-hello-world" in out.stdout


def test_an_endpoint_with_a_smaller_maximum_is_a_configuration_error_with_a_suggestion():
    out = wirecheck("run", "--only", "vectors", "--protocol", "netstring",
                    "--target", serve("reference", "netstring", ["--max-length", "7"]))  # fmt: skip
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "likely a configuration error, not a conformance failure" in out.stderr
    assert "run with --max-length 7" in out.stderr


def test_a_run_that_selects_nothing_exits_2():
    out = wirecheck("run", "--only", "properties", "--protocol", "banana", "--role", "server")
    assert out.returncode == 2 and "the selection runs nothing" in out.stderr


def test_echo_client_with_nothing_to_connect_to_exits_2():
    out = wirecheck("echo-client", "--protocol", "int8", "--connect", "127.0.0.1:1", "--give-up", "0.5")
    assert out.returncode == 2 and "accepted a connection" in out.stderr


def test_lint_tries_each_condition_at_its_edges(tmp_path):
    """A vector whose condition admits one configuration too many is caught there."""
    shutil.copytree(ROOT / "vectors", tmp_path / "v")
    doc = json.loads((tmp_path / "v" / "lines.json").read_text())
    one = next(v for g in doc["groups"] for v in g["vectors"] if v["id"] == "lines-one")
    one["requires"] = [r.replace("max_length >= 5", "max_length >= 4") for r in one["requires"]]
    (tmp_path / "v" / "lines.json").write_text(json.dumps(doc))
    out = wirecheck("vectors", "lint", "--vectors", str(tmp_path / "v"))
    assert out.returncode == 1 and "lines-one@max_length=4," in out.stdout


def test_the_plugin_runs_vectors_at_the_configured_maximum(tmp_path):
    target = serve("reference", "int16", ["--max-length", "100"])
    out = subprocess.run(
        [PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--wirecheck-target", target,
         "--wirecheck-protocol", "int16", "--wirecheck-max-length", "100", "--wirecheck-only", "vectors"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:]
    assert f"{endpoint_count('int16', {'max_length': 100})} passed" in last_line(out)


def test_a_template_instance_makes_its_bytes_when_read_and_refuses_what_building_would():
    """Selected instances hold no bytes until read (a run selects every one before the first
    runs); what they make is what building the template makes, and a bad one fails at selection."""
    from wirecheck.vectors import TooLarge
    from wirecheck.vectors.expr import ExprError

    entry = next(e for e in load().entries if e.id == "netstring-max-at-split-before-comma")
    config = {"max_length": 300}
    lazy, made = entry.at(config), entry.built(config)
    assert "input" not in vars(lazy) and lazy.id == made.id == "netstring-max-at-split-before-comma@max_length=300"
    assert (lazy.input, lazy.chunks, lazy.expected, lazy.alternatives) == (
        made.input, made.chunks, made.expected, made.alternatives)  # fmt: skip
    assert len(lazy.chunks) == 2 and lazy.chunks[1] == b","
    with pytest.raises(TooLarge):
        entry.at({"max_length": 2**31 - 1})
    broken = type(entry)(entry.id, entry.family, entry.protocol, entry.fixed, entry.requires,
                         {**entry.raw, "cuts": ["max_length + 100"]})  # fmt: skip
    with pytest.raises(ExprError):
        broken.at(config)
