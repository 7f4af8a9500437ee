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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirecheck import protocols
from wirecheck import strategies as ws
from wirecheck.checks import BEHAVIOURS, Failure, classify, run_property, sentence
from wirecheck.checks.cuts import stream_frame_ends
from wirecheck.codecs import NOT_FRAMES
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


#: Over 20 s each under CI's load (every stalling example waits its timeout): run with -m slow.
SLOW_SERVERS = ("int32-no-max-check",)


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=[pytest.mark.slow] if n in SLOW_SERVERS else []) for n in sorted(KNOWN)]
)
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


def _failure(protocol, params, chunks, frames, outcome, obs_frames, obs_status, split=False, problems=(), echoes=True):
    return Failure(protocol, params, [bytes.fromhex(c) for c in chunks], Expectation(tuple(frames), outcome),
                   Observation(frames=obs_frames, status=obs_status, problems=list(problems)), split,
                   echoes=echoes)  # fmt: skip


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
    # a structured value decoded to another value; one lost; an unknown shape stays unclassified
    banana = _failure("banana", {}, ["0181"], [["int", 1]], {"status": "ok"}, [["int", 2]], "ok")
    assert classify(banana) == "not-bytes-clean"
    banana = _failure("banana", {}, ["01810281"], [["int", 1], ["int", 2]], {"status": "ok"}, [["int", 2]], "ok")
    assert classify(banana) == "frames-dropped"
    banana = _failure("banana", {}, ["0181"], [["int", 1]], {"status": "ok"}, [["int", 2], ["int", 3]], "ok")
    assert classify(banana) == "unclassified"


def test_rules_that_look_past_a_first_resemblance():
    """Each of these once got the wrong name: the evidence resembles one behaviour and is another."""
    lf, crlf = {"max_length": 4, "delimiter": "0a"}, {"max_length": 4, "delimiter": "0d0a"}
    ok, eof = {"status": "ok"}, {"status": "incomplete"}
    too_long = {"status": "close", "reason": "line_too_long", "offset": 4}
    # U+FFFD and the unterminated tail at the end: the tail is the behaviour, not the replacement
    both = _failure("line", lf, ["ff0a00"], ["ff"], eof, ["efbfbd", "00"], "incomplete")
    assert classify(both) == "partial-delivered-at-eof"
    # U+FFFD alone, in a stream whose tail has a bare LF: not a delimiter story
    assert classify(_failure("line", crlf, ["ff0d0a610a"], ["ff"], eof, ["efbfbd"], "incomplete")) == (
        "not-bytes-clean"
    )
    # a CR taking the place of CRLF makes an over-long line two short ones: not "continues after an error"
    cr = _failure("line", crlf, ["616263640d7a0d0a"], [], too_long, ["61626364", "7a"], "ok")
    assert classify(cr) == "delimiter-lenient"
    # ... nor a flood, when lenient line ends made more frames than were sent
    flood = _failure("line", crlf, ["0a310d0a0a320d0a"], ["0a31", "0a32"], ok, ["", "31", "", "32"], "close",
                     problems=["echoed over 4 frames for 2 sent"])  # fmt: skip
    assert classify(flood) == "delimiter-lenient"
    # ... and a bare LF at the end of the input is a line end, not a partial line delivered at EOF
    assert classify(_failure("line", crlf, ["0a"], [], eof, [""], "incomplete")) == "delimiter-lenient"
    # a line at the maximum refused silently (the connection went on) when its CRLF came apart
    quiet = _failure("line", crlf, ["616263640d", "0a650d0a"], ["61626364", "65"], ok, ["65"], "ok", split=True)
    assert classify(quiet) == "delimiter-split-rejected"
    # a decoder on standard input has no echo to lose: frames missing at the end are its own
    stdio = _failure("line", lf, ["610a62"], ["61"], eof, [], "incomplete", echoes=False)
    assert classify(stdio) == "frames-dropped"
    assert classify(_failure("line", lf, ["610a62"], ["61"], eof, [], "incomplete")) == "echo-lost-on-close"


class SplitMax:
    """A line reader that looks for the delimiter before it checks the maximum (anyio's
    ``receive_until``): a long line in one read passes, a line at the maximum without its LF refuses."""

    name, reports_reasons, endpoint = "split-max", False, False

    def deliver(self, vector, chunks):
        buffer, frames = b"", []
        for chunk in chunks:
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                frames.append(line.hex())
            if len(buffer) >= 8:
                return Observation(frames=frames, status="close")
        return Observation(frames=frames, status="incomplete" if buffer else "ok")


class DropsWithError:
    """A netstring reader that loses what it decoded in a read that then fails (Twisted's Banana and
    pynetstring do this)."""

    name, reports_reasons, endpoint = "drops-with-error", False, False

    def deliver(self, vector, chunks):
        from wirecheck import protocols

        spec = protocols.get("netstring")
        decoder = spec.decoder(protocols.complete(spec, {"max_length": 64}))
        frames = []
        for chunk in chunks:
            events = [e.hex() for e in decoder.feed(chunk) if isinstance(e, bytes)]
            if decoder.error is not None:
                return Observation(frames=frames, status="close")
            frames += events
        return Observation(frames=frames, status="incomplete" if decoder.buffered else "ok")


@pytest.mark.parametrize("prop", ["split_independence", "first_invalid", "max_length_boundary"])
def test_a_maximum_that_depends_on_the_split_is_named_so(prop):
    """The target is asked again (the stream up to a lost frame, with the same cuts, then whole), so
    neither a lost frame nor a whole delivery that failed where the cut held is misnamed."""
    result = run_property(SplitMax(), prop, "line", {"max_length": 8, "delimiter": "0a"}, examples=200, seed=5)
    names = {f.behaviour for f in result.findings}
    assert "max-depends-on-split" in names, names
    # one read holding a long line and its LF passes: "no maximum" for that read, which the matrix folds in
    assert names <= {"max-depends-on-split", "no-max", "max-off-by-one"}, names


def test_frames_lost_with_the_error_read_are_named_when_the_cut_passed():
    result = run_property(DropsWithError(), "split_independence", "netstring", {"max_length": 64}, examples=300,
                          seed=2)  # fmt: skip
    assert {f.behaviour for f in result.findings} == {"frames-before-error-dropped"}


def test_every_behaviour_has_a_sentence_and_is_documented():
    doc = (ROOT / "docs" / "behaviours.md").read_text()
    for name, text in BEHAVIOURS.items():
        assert text and not text.endswith(".")
        assert f"`{name}`" in doc, name


def test_habits_of_text_minded_and_lenient_decoders_together():
    """Seen in the bundled Node.js and Python libraries: several habits at once, each named truly."""
    lf, crlf = {"max_length": 1024, "delimiter": "0a"}, {"max_length": 1024, "delimiter": "0d0a"}
    ok, eof = {"status": "ok"}, {"status": "incomplete"}
    # a streaming text decoder holds c0 (a lead byte) back and hands it to the next line: bytes changed, not merged
    assert classify(_failure("line", lf, ["c00aff0a"], ["c0", "ff"], ok, ["efbfbdefbfbd"], "ok")) == "not-bytes-clean"
    # ... and emits what it holds alone at the end, after the tail: the tail is the behaviour
    assert classify(_failure("line", lf, ["00c0"], [], eof, ["00", "efbfbd"], "incomplete")) == (
        "partial-delivered-at-eof"
    )
    # a CR ends a line in LF mode, and the held c0 is never flushed (Node's readline)
    assert classify(_failure("line", lf, ["0d00c0"], [], eof, ["", "00"], "incomplete")) == "delimiter-lenient"
    # empty lines dropped and the tail delivered at the end
    assert classify(_failure("line", crlf, ["0d0a0d0a00"], ["", ""], eof, ["00"], "incomplete")) == (
        "partial-delivered-at-eof"
    )
    # a lenient reading must still end lines at the configured delimiter: LF mode's lines are never CR-only
    assert classify(_failure("line", lf, ["610a62"], ["61"], eof, [], "incomplete")) == "echo-lost-on-close"
    # bad bytes echoed unchanged in one frame: U+FFFD in another is that frame's own bytes (pynetstring)
    bad = {"status": "close", "reason": "bad_length_char", "offset": 13}
    lost = _failure("netstring", {"max_length": 1024}, ["313a802c333aefbfbd2c", "303a2c00"], ["80", "efbfbd", ""],
                    bad, ["80", "efbfbd"], "close")  # fmt: skip
    assert classify(lost) == "frames-before-error-dropped"
    # a max-length line lost to the endpoint's own read split, then a bare LF taken as a line end:
    # frames of other lengths are not "bytes changed" (Netty's LineBasedFrameDecoder)
    netty = _failure("line", crlf, ["61", "61" * 1023 + "0d0a000a0d0a"], ["61" * 1024, "000a"], ok, ["00", ""], "ok")
    assert classify(netty) != "not-bytes-clean"
    assert classify(_failure("line", crlf, ["41420d0a"], ["4142"], ok, ["6162"], "ok")) == "not-bytes-clean"


def test_an_overlong_varint_read_as_minimal_is_named():
    """it-length-prefixed takes a header to be varint.encodingLength(value) bytes long."""
    v, ok = {"max_length": 1024}, {"status": "ok"}
    # 84 80 80 80 80 00 is 4, overlong: its extra bytes become the payload, the rest shifts
    assert classify(_failure("varint", v, ["848080808000ff852530"], ["ff852530"], ok, ["80808080", ""], "close")) == (
        "header-misread"
    )
    assert classify(_failure("varint", v, ["8000"], [""], ok, ["", ""], "ok")) == "header-misread"
    # waiting for payload that the header's extra byte took the place of
    stall = Failure("varint", v, [bytes.fromhex("850068656c6c6f")], Expectation(("68656c6c6f",), ok), None)
    assert classify(stall) == "header-misread"
    # no overlong varint: never this name
    assert classify(_failure("varint", v, ["0568656c6c6f"], ["68656c6c6f"], ok, ["68656c6c"], "ok")) != "header-misread"


def test_a_wait_after_a_whole_over_long_frame_is_not_a_missing_maximum():
    """Netty's default handling drops an over-long frame and stops answering without closing: a
    receiver with no maximum would have echoed the whole frame and answered the sentinel."""
    from wirecheck.oracle import Expectation

    lf = {"delimiter": "0a", "max_length": 8}
    too_long = Expectation.from_json({"frames": [], "outcome": {"status": "close", "reason": "line_too_long",
                                                                "offset": 8}})  # fmt: skip
    stream = [b"a" * 20 + b"\nok\n"]
    assert classify(Failure("line", lf, stream, too_long, None, echoed=0)) == "continues-after-error"
    assert classify(Failure("line", lf, stream, too_long, None, echoed=21)) == "no-max"  # it echoed the long line
    assert classify(Failure("line", lf, [b"a" * 20], too_long, None, echoed=0)) == "no-max"  # unterminated: it waits
    declared = Expectation.from_json({"frames": [], "outcome": {"status": "close", "reason": "length_exceeds_max",
                                                                "offset": 1}})  # fmt: skip
    whole, short = [b"\x00\x14" + b"a" * 20], [b"\x00\x14" + b"a" * 3]
    assert classify(Failure("int16", {"max_length": 8}, whole, declared, None, echoed=0)) == "continues-after-error"
    assert classify(Failure("int16", {"max_length": 8}, short, declared, None, echoed=0)) == "no-max"


def _ends_a_byte_at_a_time(protocol: str, data: bytes) -> tuple[int, ...]:
    spec = protocols.get(protocol)
    decoder = spec.decoder(protocols.complete(spec, {}))
    ends: list[int] = []
    for i in range(len(data)):
        ends += [i + 1 for event in decoder.feed(data[i : i + 1]) if not isinstance(event, NOT_FRAMES)]
        if decoder.error is not None:
            break
    return tuple(ends)


@pytest.mark.parametrize("protocol", protocols.names())
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_frame_ends_are_found_as_a_byte_at_a_time_feed_finds_them(protocol, data):
    """The bisecting search for frame ends gives the answer of the slow byte-at-a-time feed, for
    valid, hostile and garbage streams, and for long frames (where it stops feeding bytewise)."""
    spec = protocols.get(protocol)
    sources = [
        ws.streams(protocol, {}).map(lambda s: s.data),
        ws.hostile_streams(protocol, {}).map(lambda h: h.data),
        ws.garbage_streams(protocol, {}).map(lambda g: g[0]),
    ]
    if spec.frame_any_length is not None:  # two frames long enough for the search to stop going bytewise
        params = protocols.complete(spec, {})
        sizes = st.integers(200, min(3000, params.get("max_length", 3000)))
        sources.append(sizes.map(lambda n: spec.frame_any_length(params, b"x" * n) * 2))
    stream = data.draw(st.one_of(sources))
    assert stream_frame_ends(protocol, {}, stream) == _ends_a_byte_at_a_time(protocol, stream)
