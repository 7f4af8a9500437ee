"""The public strategies and the conformance properties, in-process."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from wirecheck import strategies as ws
from wirecheck.checks import (
    PROPERTIES,
    check_property,
    compact_hex,
    parse_compact_hex,
    run_property,
    vector_json,
)
from wirecheck.oracle import observe
from wirecheck.protocols.values import to_json
from wirecheck.targets import ReferenceTarget
from wirecheck.targets.python import PythonTarget

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [
    ("netstring", {"max_length": 20}),
    ("int8", {"max_length": 12}),
    ("int16", {"max_length": 300}),
    ("int32", {"max_length": 40}),
    ("line", {"delimiter": "0d0a", "max_length": 10}),
    ("line", {"delimiter": "0d0a0d0a", "max_length": 6}),
    ("banana", {"dialect": "pb"}),
    ("banana", {"dialect": "none", "strict": True}),
    ("varint", {"max_length": 300}),
    ("varint", {"max_length": 20, "strict": True}),
]


def as_json(protocol, frames):
    return [to_json(f) for f in frames] if protocol == "banana" else [f.hex() for f in frames]


@pytest.mark.parametrize(("protocol", "params"), CONFIGS)
@given(data=st.data())
def test_valid_streams_decode_to_their_frames_however_they_are_cut(protocol, params, data):
    stream = data.draw(ws.streams(protocol, params))
    chunks = data.draw(ws.chunkings(stream.data, favour=stream.marks))
    assert b"".join(chunks) == stream.data and all(chunks)
    obs = observe(protocol, params, chunks)
    assert obs.frames == as_json(protocol, stream.frames) and obs.status == "ok"


BYTE_CONFIGS = [(protocol, params) for protocol, params in CONFIGS if protocol != "banana"]


@pytest.mark.parametrize(("protocol", "params"), BYTE_CONFIGS)
@given(data=st.data())
def test_payloads_never_exceed_max_length(protocol, params, data):
    payload = data.draw(ws.payloads(protocol, params))
    assert len(payload) <= params["max_length"]


@pytest.mark.parametrize(("protocol", "params"), BYTE_CONFIGS)
def test_payloads_reach_max_length(protocol, params):
    top = params["max_length"]
    assert len(find(ws.payloads(protocol, params), lambda p: len(p) == top)) == top


def test_payloads_include_the_boundaries_empty_and_not_utf8():
    params = {"max_length": 30}
    found = find(ws.payloads("netstring", params), lambda p: len(p) == 30)
    assert len(found) == 30
    assert find(ws.payloads("netstring", params), lambda p: p == b"") == b""
    bad = find(ws.payloads("netstring", params), lambda p: not _utf8(p))
    assert not _utf8(bad)


def _utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_banana_values_reach_the_encoding_boundaries():
    values = ws.banana_values({"dialect": "none"})
    wide = settings(max_examples=5000, database=None, derandomize=True)
    for edge in (2**31 - 1, 2**31, -(2**31), -(2**31) - 1, 2 ** (7 * 64) - 1, -(2 ** (7 * 64) - 1)):
        found = find(values, lambda v, edge=edge: edge in [x for x in _leaves(v) if type(x) is int], settings=wide)
        assert edge in _leaves(found)
    assert any(x != x for x in _leaves(find(values, lambda v: any(x != x for x in _leaves(v)), settings=wide)))
    for edge in (float("inf"), float("-inf"), 5e-324):
        assert edge in _leaves(find(values, lambda v, edge=edge: edge in _leaves(v), settings=wide))
    assert find(values, lambda v: isinstance(v, list) and any(isinstance(x, list) for x in v), settings=wide)


def _leaves(value):
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_chunkings_shrink_to_the_fewest_splits():
    data = b"0123456789"
    assert find(ws.chunkings(data), lambda chunks: True) == [data]
    # The smallest cut that separates 4 from 5 is the one cut between them.
    assert find(ws.chunkings(data), lambda c: any(x.endswith(b"4") for x in c)) == [b"01234", b"56789"]


def test_the_command_line_knows_every_property():
    from wirecheck.checks import PROPERTY_NAMES

    assert tuple(PROPERTIES) == PROPERTY_NAMES


def test_every_chunking_is_every_chunking():
    data = b"abcde"
    all_ways = list(ws.every_chunking(data))
    assert len(all_ways) == 2 ** (len(data) - 1) == len({tuple(c) for c in all_ways})
    assert all(b"".join(c) == data for c in all_ways)


@pytest.mark.parametrize(("protocol", "params"), CONFIGS)
@settings(max_examples=60)
@given(data=st.data())
def test_hostile_streams_carry_the_oracles_prediction(protocol, params, data):
    hostile = data.draw(ws.hostile_streams(protocol, params))
    assert hostile.corruption in ws.CORRUPTIONS[protocol]
    # The frames before the corruption are delivered whatever the corruption does, and a close
    # is never blamed on a byte before the corrupted frame.
    want = as_json(protocol, hostile.valid_before)
    assert hostile.expected.frames[: len(want)] == want
    if hostile.expected.status == "close":
        assert hostile.expected.offset >= hostile.at
    # The same bytes cut byte by byte give the same outcome (the prediction is not an accident of one read).
    assert observe(protocol, params, [hostile.data[i : i + 1] for i in range(len(hostile.data))]) == hostile.expected


def test_every_corruption_happens():
    seen = set()
    for protocol, params in CONFIGS:

        @settings(max_examples=150, database=None)
        @given(ws.hostile_streams(protocol, params))
        def collect(hostile):
            seen.add((protocol, hostile.corruption))  # noqa: B023 - run before protocol changes

        collect()
    for protocol, kinds in ws.CORRUPTIONS.items():
        for kind in kinds:
            assert (protocol, kind) in seen, (protocol, kind)


@pytest.mark.parametrize("name", sorted(PROPERTIES))
@pytest.mark.parametrize(("protocol", "params"), CONFIGS)
def test_every_property_holds_for_the_reference(name, protocol, params):
    result = check_property(ReferenceTarget(), name, protocol, params, examples=25, seed=3)
    assert result.examples == 25


def test_runs_are_reproducible_with_a_seed():
    target = PythonTarget("wirecheck.adapters.twisted:line_only_receiver")
    runs = [run_property(target, "split_independence", "line", {}, examples=300, seed=2) for _ in range(2)]
    assert runs[0].verdict == "fail"
    assert (runs[0].examples, runs[0].replay) == (runs[1].examples, runs[1].replay)


@pytest.mark.parametrize("name", ["round_trip", "max_length_boundary", "split_independence"])
def test_lineonly_receivers_split_crlf_failure_is_found_and_shrunk(name):
    target = PythonTarget("wirecheck.adapters.twisted:line_only_receiver")
    result = run_property(target, name, "line", {}, examples=500, seed=1,
                          replay_target="python:wirecheck.adapters.twisted:line_only_receiver")  # fmt: skip
    assert result.verdict == "fail"
    # Shrunk to its essence: one max-length line whose CR and LF arrive in separate reads.
    first, second = result.vector.chunks
    assert len(first) == 16385 and first.endswith(b"\r") and second == b"\n"
    assert result.vector.expected.frames == (first[:-1].hex(),)
    assert result.replay.endswith(",0a' --target python:wirecheck.adapters.twisted:line_only_receiver")


def test_a_found_vector_pastes_into_the_golden_file_and_lints(tmp_path):
    """The printed vector is in the golden format: pasted into its group, the linter accepts it."""
    target = PythonTarget("wirecheck.adapters.twisted:line_only_receiver")
    result = run_property(target, "round_trip", "line", {"max_length": 10}, examples=500, seed=1)
    assert result.verdict == "fail", result.report()
    vectors = tmp_path / "vectors"
    shutil.copytree(ROOT / "vectors", vectors)
    doc = json.loads((vectors / "lines.json").read_text())
    doc["groups"].append({"protocol": "line", "params": result.params, "vectors": [vector_json(result.vector)]})
    doc["numberOfVectors"] += 1
    (vectors / "lines.json").write_text(json.dumps(doc))
    out = subprocess.run([sys.executable, "-m", "wirecheck", "vectors", "lint", "--vectors", str(vectors)],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout[-2000:]
    assert "0 errors" in out.stdout


def test_the_replay_command_reproduces_and_the_reference_passes_it():
    target = "python:wirecheck.adapters.twisted:line_only_receiver"
    result = run_property(PythonTarget(target.split(":", 1)[1]), "max_length_boundary", "line", {}, examples=500,
                          seed=4, replay_target=target)  # fmt: skip
    assert result.verdict == "fail"
    words = result.replay.split()
    assert words[:2] == ["wirecheck", "replay"]
    import shlex

    argv = shlex.split(result.replay)[1:]
    replay = subprocess.run([sys.executable, "-m", "wirecheck", *argv], capture_output=True, text=True, timeout=120)
    assert replay.returncode == 1 and "FAIL" in replay.stdout, replay.stdout + replay.stderr
    reference = [a for a in argv if not a.startswith("python:")]
    reference.remove("--target")
    ok = subprocess.run([sys.executable, "-m", "wirecheck", *reference], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stdout.strip().endswith("PASS"), ok.stdout + ok.stderr


@pytest.mark.parametrize("data", [b"", b"a", b"\x00" * 7, b"\x00" * 8 + b"ab", b"abc" + b"a" * 40 + b"\r\n"])
def test_compact_hex_round_trips(data):
    assert parse_compact_hex(compact_hex(data)) == data


@pytest.mark.parametrize("text", ["zz", "61*", "6*3", "61*-1", "61*99999999999"])
def test_compact_hex_rejects_malformed_input(text):
    with pytest.raises(ValueError):
        parse_compact_hex(text)


# --- python: targets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "protocols"),
    [
        ("wirecheck.adapters.twisted:receiver", ["netstring", "int8", "int16", "int32", "line", "banana"]),
        ("implementations/asyncio/adapter.py:protocol", ["netstring", "int16", "line"]),
        ("implementations/asyncio/adapter.py:buffered_protocol", ["int8", "int32", "line"]),
    ],
)
def test_properties_hold_for_twisted_and_asyncio_in_process(spec, protocols):
    target = PythonTarget(spec)
    for protocol in protocols:
        for name in PROPERTIES:
            result = run_property(target, name, protocol, {}, examples=30, seed=5)
            assert result.verdict == "pass", result.report()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nomodule", "expected python:package.module:factory"),
        ("no.such.module:f", "cannot import no.such.module"),
        ("wirecheck.adapters.twisted:nothing", "has no attribute nothing"),
        ("wirecheck.codecs.netstring:DEFAULT_MAX_LENGTH", "is not callable"),
    ],
)
def test_bad_python_targets_are_clear_usage_errors(spec, message):
    out = subprocess.run([sys.executable, "-m", "wirecheck", "run", "--target", f"python:{spec}"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


def test_a_python_target_runs_vectors_and_properties_from_the_command_line(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "wirecheck", "run", "--target", "python:wirecheck.adapters.twisted:line_only_receiver",
         "--protocol", "line", "--examples", "200", "--seed", "1", "--json", str(tmp_path / "r.json")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 1
    assert "FAIL       lines-max-delimiter-split@max_length=16384,delimiter=0d0a" in out.stdout
    assert ",0a' --target python:wirecheck.adapters.twisted:line_only_receiver" in out.stdout
    doc = json.loads((tmp_path / "r.json").read_text())
    failed = [p for p in doc["properties"]["results"] if p["verdict"] == "fail"]
    for prop in failed:
        first, second = prop["vector"]["chunks"]
        assert len(first) == 2 * 16385 and first.endswith("0d") and second == "0a", prop["name"]
    assert all(p["replay"].startswith("wirecheck replay --protocol line") for p in failed)
