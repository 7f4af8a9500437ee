"""The runner's verdicts, with targets that misbehave on purpose."""

from wirecheck.checks import Verdict, deliveries, run_case
from wirecheck.codecs.netstring import NetstringDecoder
from wirecheck.oracle import Observation, observe
from wirecheck.run import run
from wirecheck.targets import ReferenceTarget
from wirecheck.vectors import load


def _vector(vid):
    return next(v for v in load().vectors if v.id == vid)


def test_deliveries_cover_whole_bytes_splits_and_chunks():
    v = _vector("netstring-terminator-split")  # b"5:hello," with explicit chunks
    labels = [label for label, _ in deliveries(v)]
    assert labels[:2] == ["whole", "byte-by-byte"]
    assert labels.count("chunks") == 1
    assert sum(label.startswith("split@") for label in labels) == len(v.input) - 1
    for _, chunks in deliveries(v):
        assert b"".join(chunks) == v.input


class SplitBuggyTarget:
    """Netstrings that lose a frame when the comma arrives on its own (a realistic bug)."""

    name = "buggy"
    reports_reasons = True

    def deliver(self, vector, chunks):
        obs = observe(vector.protocol, vector.params, chunks)
        if len(chunks) > 1 and chunks[-1] == b"," and obs.frames:
            obs.frames = obs.frames[:-1]
        return obs


def test_split_dependent_bug_is_a_failure():
    case = run_case(SplitBuggyTarget(), _vector("netstring-spec-hello-world"))
    assert case.verdict == Verdict.FAIL
    assert case.delivery in ("byte-by-byte", "split@15")


class LenientTarget:
    name = "lenient"
    reports_reasons = False

    def deliver(self, vector, chunks):
        params = dict(vector.params, strict=False) if vector.protocol == "banana" else vector.params
        return observe(vector.protocol, params, chunks)


def test_acceptable_alternative_is_not_a_failure():
    case = run_case(LenientTarget(), _vector("banana-strict-non-minimal-int"))
    assert case.verdict == Verdict.ACCEPTABLE


class CrashingTarget:
    name = "crash"
    reports_reasons = True

    def deliver(self, vector, chunks):
        raise ConnectionResetError("peer reset")


def test_target_exceptions_become_error_verdicts():
    result = run(CrashingTarget(), [_vector("netstring-spec-empty")])
    assert result.cases[0].verdict == Verdict.ERROR and "peer reset" in result.cases[0].detail
    assert result.failed == 1


class WrongOffsetTarget:
    name = "offset"
    reports_reasons = True

    def deliver(self, vector, chunks):
        d = NetstringDecoder(vector.params["max_length"])
        for c in chunks:
            d.feed(c)
        return Observation(status="close", reason=d.error.reason, offset=d.error.offset + 1)


def test_reason_and_offset_are_checked_in_process():
    assert run_case(WrongOffsetTarget(), _vector("netstring-leading-zero-00")).verdict == Verdict.FAIL
    assert run_case(ReferenceTarget(), _vector("netstring-leading-zero-00")).verdict == Verdict.PASS
