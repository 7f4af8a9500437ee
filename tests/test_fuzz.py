"""``wirecheck fuzz`` and the fuzzers of fuzz/: the input format, the check, the runs, the findings.

The deep bugs of ``fuzz_targets.py`` show what coverage guidance is for: the default properties
miss them, and the fuzzer finds them, saves them as vectors that lint, replay and run.
"""

import json
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wirecheck import protocols, vectors
from wirecheck.fuzz import MAX_CUTS, Differential, Mutator, decode, encode, settle
from wirecheck.fuzz.invariants import InvariantBroken, check, configurations
from wirecheck.targets import PythonTarget, ReferenceTarget

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEEP = f"python:{ROOT}/tests/fuzz_targets.py"


def wirecheck(*args, timeout=300, cwd=ROOT):
    return subprocess.run([PY, "-m", "wirecheck", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip


@given(st.lists(st.binary(min_size=1, max_size=20), min_size=1, max_size=MAX_CUTS + 1))
def test_an_input_stands_for_its_stream_and_reads(chunks):
    assert decode(encode(chunks)) == chunks


@given(st.binary(max_size=300), st.integers(1, 4096), st.integers(0, 2**32 - 1))
def test_every_mutation_fits_and_decodes(data, max_size, seed):
    mutator = Mutator("netstring", {"max_length": 16}, lambda d, n: (d + b"1")[:n])
    out = mutator(data, max_size, seed)
    assert len(out) <= max_size
    assert len(b"".join(decode(out))) <= len(out)


def test_the_reference_agrees_with_the_oracle_on_every_vector():
    for name in ("netstring", "line", "int16", "banana"):
        for vector in vectors.instances(vectors.load(), [name]).vectors:
            if protocols.get(name).handshake_role(vector.params) is not None:
                continue
            data = encode(list(vector.chunks) if vector.chunks else [vector.input])
            assert Differential(ReferenceTarget(), name, vector.params).check(data) is None, vector.id


def test_a_deep_bug_is_a_divergence_only_in_its_state():
    params = protocols.complete(protocols.get("netstring"), {})
    check_one = Differential(PythonTarget(f"{ROOT}/tests/fuzz_targets.py:netstring_after_empty"), "netstring",
                             params).check  # fmt: skip
    assert check_one(encode([b"0:,5:", b"!abcd,"])).behaviour == "frames-dropped"
    assert check_one(encode([b"0:,5:!abcd,"])) is None  # no read ended after the colon
    assert check_one(encode([b"1:x,5:", b"!abcd,"])) is None  # the frame before was not empty


def test_an_exception_escaping_the_target_is_named_crashes(tmp_path):
    module = tmp_path / "raising.py"
    module.write_text("class S:\n    closed = pending = False\n    def feed(self, data):\n"
                      "        if b'!' in data: raise KeyError('boom')\n        return []\n"
                      "def factory(protocol, params):\n    return S()\n")  # fmt: skip
    params = protocols.complete(protocols.get("netstring"), {})
    found = Differential(PythonTarget(f"{module}:factory"), "netstring", params).check(encode([b"1:!,"]))
    assert found.behaviour == "crashes" and "KeyError" in found.problem


def test_the_invariants_hold_for_the_vectors_and_catch_a_broken_codec(monkeypatch):
    for vector in vectors.instances(vectors.load(), ["netstring"]).vectors:
        for config in configurations("netstring"):
            check("netstring", config, encode(list(vector.chunks) if vector.chunks else [vector.input]))
    spec = protocols.get("netstring")
    real = spec.decoder

    def leaky(config):  # a decoder that keeps delivering after its error
        decoder = real(config)
        feed = decoder.feed
        decoder.feed = lambda data: feed(data) if decoder.error is None else [b"late"]
        return decoder

    monkeypatch.setattr(type(spec), "decoder", property(lambda self: leaky), raising=False)
    with pytest.raises(InvariantBroken, match="after its error"):
        check("netstring", configurations("netstring")[0], encode([b"x"]))


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "fuzz").glob("*.py")))
def test_each_invariant_fuzzer_runs_as_a_plain_script(script, tmp_path):
    """CI's short budget for the fuzzers of fuzz/, run as ClusterFuzzLite runs them (a protocol's
    own from the seed corpus its vectors make)."""
    if script[:-3] in protocols.names():
        seeded = subprocess.run([PY, "-m", "wirecheck.fuzz.seeds", script[:-3], tmp_path], capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert seeded.returncode == 0 and "seed inputs" in seeded.stdout, seeded.stderr
    budget = ["-runs=3000", "-max_len=600", f"-artifact_prefix={tmp_path}/"]
    done = subprocess.run([PY, ROOT / "fuzz" / script, *budget, tmp_path], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    # libFuzzer counts the seed corpus it loads into the runs, so a large corpus may pass 3000.
    ran = re.search(r"^Done (\d+) runs", done.stderr, re.M)
    assert ran and int(ran.group(1)) >= 3000, done.stderr[-2000:]


def test_fuzzing_the_reference_finds_nothing_and_reports_in_our_words(tmp_path):
    out = wirecheck("fuzz", "--protocol", "netstring", "--max-length", "64", "--runs", "20000", "--seed", "1",
                    "--corpus", tmp_path / "corpus", "--findings", tmp_path / "found")  # fmt: skip
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "coverage-guided (atheris)" in out.stdout and "inputs seeded from" in out.stdout
    last_two = out.stdout.strip().splitlines()[-2:]
    assert last_two[0].startswith("20,000 inputs in") and "coverage " in last_two[0], last_two
    assert int(last_two[0].split("coverage ")[1].split(",")[0]) > 10  # the instrumented codec was measured
    assert last_two[1] == "no finding"
    assert len(list((tmp_path / "corpus").iterdir())) > 50  # seeded from the vectors, and kept


def _properties_miss(protocol: str, target: str, *params: str) -> None:
    for seed in (1, 2, 3):  # 100 examples of each property, three seeds: not found
        blind = wirecheck("run", "--only", "properties", "--protocol", protocol, *params, "--seed", seed,
                          "--target", target)  # fmt: skip
        assert blind.returncode == 0, blind.stdout[-2000:]


def _fuzzed(tmp_path, protocol: str, target: str, seconds: int, *params: str):
    where = ["--corpus", tmp_path / "corpus", "--findings", tmp_path / "found"]
    out = wirecheck("fuzz", "--protocol", protocol, *params, "--target", target, "--seconds", seconds, "--seed", "1",
                    *where, timeout=seconds + 300)  # fmt: skip
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    assert "FOUND  frames-dropped:" in out.stdout and "first finding" in out.stdout
    return out


def test_the_properties_miss_a_deep_bug_that_the_fuzzer_finds_and_saves(tmp_path):
    """The third frame of a read dropped when it starts de ad be ef: the fuzzer's comparison hints
    find the magic (in about 7 s here); then the finding lints, replays, runs and fails in pytest."""
    target = f"{DEEP}:int16_magic_third"
    _properties_miss("int16", target, "--max-length", "1024")
    out = _fuzzed(tmp_path, "int16", target, 30, "--max-length", "1024")
    found_dir = tmp_path / "found"
    lint = wirecheck("vectors", "lint", "--vectors", found_dir)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    doc = json.loads((found_dir / "intprefix.json").read_text())
    saved = [v for g in doc["groups"] for v in g["vectors"]]
    assert all(v["id"].startswith("fuzz-int16-") for v in saved)
    vector = next(v for v in saved if v["id"].startswith("fuzz-int16-frames-dropped-"))
    assert vector["result"] == "valid"
    replay = next(line.split("replay: ", 1)[1] for line in out.stdout.splitlines() if vector["id"] in line)
    again = wirecheck(*shlex.split(replay)[1:])
    assert again.returncode == 1 and again.stdout.strip().splitlines()[-1].startswith("FAIL"), again.stdout
    run = wirecheck("run", "--only", "vectors", "--vectors", found_dir, "--protocol", "int16", "--max-length", "1024",
                    "--target", target)  # fmt: skip
    assert run.returncode == 1 and f"FAIL       {vector['id']}" in run.stdout, run.stdout[-2000:]
    passes = wirecheck("run", "--only", "vectors", "--vectors", found_dir, "--protocol", "int16", "--max-length", 1024)
    assert passes.returncode == 0, passes.stdout[-2000:]  # the reference passes its own findings
    # ... and through the pytest plugin, the saved file added to the bundled vectors.
    plugin = subprocess.run([PY, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--wirecheck-target", target,
                             "--wirecheck-protocol", "int16", "--wirecheck-max-length", "1024", "--wirecheck-only",
                             "vectors", "--wirecheck-add-vectors", str(found_dir), "-k", vector["id"]],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)  # fmt: skip
    assert plugin.returncode == 1 and "1 failed" in plugin.stdout, plugin.stdout[-3000:]
    assert vector["id"] in plugin.stdout


@pytest.mark.slow  # a minute and more of fuzzing
def test_a_bug_that_needs_a_state_and_a_cut_is_found_within_a_minute(tmp_path):
    """A 5-byte frame starting "!" dropped after an empty frame when the read ended at its colon:
    the properties miss it; the fuzzer follows each condition's coverage to it (20 to 30 s here)."""
    target = f"{DEEP}:netstring_after_empty"
    _properties_miss("netstring", target)
    _fuzzed(tmp_path, "netstring", target, 90)


def test_an_endpoint_is_fuzzed_with_the_properties_and_its_bug_named(tmp_path):
    server = f"cmd:{PY} {ROOT}/tests/broken_servers.py netstring-leading-zero --port {{port}} --max-length 64"
    out = wirecheck("fuzz", "--protocol", "netstring", "--max-length", "64", "--target", server, "--seconds", "12",
                    "--seed", "3", "--findings", tmp_path / "found", "--timeout", "1")  # fmt: skip
    assert out.returncode == 1, out.stdout[-3000:] + out.stderr[-2000:]
    assert "the properties without coverage" in out.stdout
    assert "FOUND  leading-zero-accepted:" in out.stdout
    assert wirecheck("vectors", "lint", "--vectors", tmp_path / "found").returncode == 0


def test_bad_fuzz_options_are_one_line_errors(tmp_path):
    for args, message in (
        (["--target", "python:nowhere.module:factory"], "cannot import nowhere"),
        (["--target", "bogus:thing"], "--target 'bogus:thing'"),
    ):
        out = wirecheck("fuzz", "--protocol", "netstring", "--runs", "10", *args, "--findings", tmp_path)
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr, out.stderr
    fake = tmp_path / "site"
    (fake / "atheris").mkdir(parents=True)
    (fake / "atheris" / "__init__.py").write_text("raise ImportError('not here')\n")
    hidden = subprocess.run([PY, "-m", "wirecheck", "fuzz", "--protocol", "netstring", "--runs", "10"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={"PYTHONPATH": str(fake), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert hidden.returncode == 2 and "needs atheris" in hidden.stderr and "Traceback" not in hidden.stderr


def test_inputs_libfuzzer_stopped_a_worker_for_are_saved_without_being_run_again(tmp_path):
    """A timeout or an out-of-memory input is named from libFuzzer's artifact: delivering it again
    would hang this process, or take its memory, so the target is never given it."""

    class Untouchable(ReferenceTarget):
        def deliver(self, vector, chunks, *, settle=0.0):
            raise AssertionError("delivered again")

    params = protocols.complete(protocols.get("netstring"), {"max_length": 64})
    data = encode([b"9999:", b"abc"])
    found = settle(Untouchable(), "python:lib:f", "netstring", params, {"stalls": [data], "out-of-memory": [data]},
                   time.monotonic() + 30)  # fmt: skip
    assert [(f.behaviour, f.detail.split(" ")[0]) for f in found] == [("crashes", "ran"), ("stalls", "no")]
    assert all(f.replay.endswith("--target python:lib:f") for f in found)


def test_a_saved_input_is_shown_as_a_vector_with_its_replay_command(tmp_path):
    saved = tmp_path / "crash-1"
    saved.write_bytes(encode([b"3:ab", b"c,"]))
    out = subprocess.run([PY, "-m", "wirecheck.fuzz.show", "netstring", "max_length=10", saved], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    vector_line, replay = out.stdout.strip().splitlines()
    assert out.returncode == 0 and not out.stderr
    assert json.loads(vector_line)["chunks"] == ["333a6162", "632c"]
    assert replay == "wirecheck replay --protocol netstring --max-length 10 --chunks 333a6162,632c"
    for args in (["nope", saved], ["netstring", tmp_path / "missing"]):
        bad = subprocess.run([PY, "-m", "wirecheck.fuzz.show", *map(str, args)], capture_output=True, text=True)
        assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr
