"""Behaviours: each deliberately broken server is named by the behaviour it has, and a correct one by none.

The broken servers of ``broken_servers.py`` each carry one known bug; a run's failures must
be classified into the behaviour that bug is, over a real socket, with no other name
invented.  The classifier's rules are also checked directly on hand-made failures.
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from wirecheck.checks import BEHAVIOURS, Failure, classify, run_property, sentence
from wirecheck.oracle import Expectation, Observation

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken_servers.py"
PY = sys.executable

#: broken server -> (protocol, max_length, the behaviour its bug is, names also allowed for it)
KNOWN = {
    "netstring-leading-zero": ("netstring", 64, "leading-zero-accepted", ()),
    "netstring-int-length": ("netstring", 64, "length-syntax-lenient", ("leading-zero-accepted",)),
    "netstring-no-comma-check": ("netstring", 64, "terminator-unchecked", ()),
    "netstring-max-off-by-one": ("netstring", 64, "max-off-by-one", ("echo-lost-on-close",)),
    # A case that declares max + 1 and waits cannot tell "no maximum" from "one off": the matrix's
    # summary folds such cases into no-max when both appear (test_matrix.py).
    "int32-no-max-check": ("int32", 1024, "no-max", ("max-off-by-one",)),
    "int32-max-off-by-one": ("int32", 1024, "max-off-by-one", ()),
    "int16-zero-length-dropped": ("int16", 1024, "empty-frame-dropped", ()),
    "line-empty-dropped": ("line", 64, "empty-frame-dropped", ()),
    "line-max-counts-delimiter": ("line", 64, "max-counts-delimiter", ()),
    "line-lineonly-quirk": ("line", 64, "delimiter-split-rejected", ()),
    "line-echoes-partial-at-eof": ("line", 64, "partial-delivered-at-eof", ()),
    # Dropping an over-long line and waiting on looks, from outside, like having no maximum when the
    # sentinel is swallowed too (a timeout): both keep the connection open without an answer.
    "line-skips-long-line": ("line", 64, "continues-after-error", ("no-max", "max-off-by-one")),
}


def run_json(tmp_path, name, protocol, max_length):
    out = tmp_path / f"{name}.json"
    target = f"cmd:{PY} {BROKEN} {name} --port {{port}} --max-length {max_length}"
    done = subprocess.run(
        [PY, "-m", "wirecheck", "run", "--only", "vectors", "--protocol", protocol, "--max-length", str(max_length),
         "--jobs", "4", "--target", target, "--json", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return json.loads(out.read_text()), done.stdout


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_each_broken_server_is_named_by_its_bug(tmp_path, name):
    protocol, max_length, behaviour, allowed = KNOWN[name]
    doc, stdout = run_json(tmp_path, name, protocol, max_length)
    found = Counter(c["behaviour"] for c in doc["cases"] if c["verdict"] in ("fail", "timeout"))
    assert found[behaviour] >= 1, found
    assert set(found) <= {behaviour, *allowed}, found
    assert f"{behaviour}: it {sentence(behaviour)}" in stdout  # the console says it in words


def test_a_correct_server_has_no_behaviour(tmp_path):
    doc, _ = run_json(tmp_path, "correct-line", "line", 64)
    assert doc["summary"]["failed"] == 0
    assert all(c["behaviour"] is None for c in doc["cases"])


def test_a_property_reports_each_distinct_behaviour_shrunk():
    """A decoder with two bugs shows both, not only the one that shrank first."""

    class TwoBugs:
        name, reports_reasons = "two-bugs", False

        def deliver(self, vector, chunks):
            data = b"".join(chunks)
            frames, rest = [], data
            while rest:  # leading zeros accepted, and empty frames dropped
                head, sep, tail = rest.partition(b":")
                if not sep or not head.isdigit():
                    return Observation(frames=frames, status="close")
                n = int(head)
                if n > 64:
                    return Observation(frames=frames, status="close")
                if len(tail) < n + 1:
                    return Observation(frames=frames, status="incomplete")
                if tail[n : n + 1] != b",":
                    return Observation(frames=frames, status="close")
                if n:
                    frames.append(tail[:n].hex())
                rest = tail[n + 1 :]
            return Observation(frames=frames)

    result = run_property(TwoBugs(), "split_independence", "netstring", {"max_length": 64}, examples=300, seed=3)
    names = {f.behaviour for f in result.findings}
    assert {"leading-zero-accepted", "empty-frame-dropped"} <= names, names
    for finding in result.findings:
        assert finding.replay.startswith("wirecheck replay --protocol netstring")
        assert finding.vector.input  # each shrunk on its own, with its own vector


def _failure(protocol, params, chunks, frames, outcome, obs_frames, obs_status, split=False):
    return Failure(protocol, params, [bytes.fromhex(c) for c in chunks], Expectation(tuple(frames), outcome),
                   Observation(frames=obs_frames, status=obs_status), split)  # fmt: skip


def test_rules_on_hand_made_failures():
    crlf = {"max_length": 4, "delimiter": "0d0a"}
    # U+FFFD in place of a byte that is not UTF-8
    assert classify(_failure("line", crlf, ["ff0d0a"], ["ff"], {"status": "ok"}, ["efbfbd"], "ok")) == "not-bytes-clean"
    # two lines echoed as one
    merged = _failure("line", crlf, ["610d0a620d0a"], ["61", "62"], {"status": "ok"}, ["610d0a62"], "ok")
    assert classify(merged) == "frames-merged"
    # a bare LF taken as a line end
    assert classify(_failure("line", crlf, ["610a620d0a"], ["610a62"], {"status": "ok"}, ["61", "62"], "ok")) == (
        "delimiter-lenient"
    )
    # a 4-byte line (the maximum) refused only when CR and LF came apart
    split = _failure("line", crlf, ["616263640d", "0a"], ["61626364"], {"status": "ok"}, [], "close", split=True)
    assert classify(split) == "delimiter-split-rejected"
    # ... and refused whole: the delimiter counted
    whole = _failure("line", crlf, ["616263640d0a"], ["61626364"], {"status": "ok"}, [], "close")
    assert classify(whole) == "max-counts-delimiter"
    # an unknown shape stays unclassified, never hidden
    banana = _failure("banana", {}, ["0181"], [["int", 1]], {"status": "ok"}, [["int", 2]], "ok")
    assert classify(banana) == "unclassified"


def test_every_behaviour_has_a_sentence_and_is_documented():
    doc = (ROOT / "docs" / "behaviours.md").read_text()
    for name, text in BEHAVIOURS.items():
        assert text and not text.endswith(".")
        assert f"`{name}`" in doc, name
