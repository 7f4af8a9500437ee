"""Every golden vector against Twisted's own receivers.

This is the independent check on the vectors: Twisted 26.10 is the reference
implementation, so any vector it fails must be one of its known, documented
divergences (docs/twisted-divergences.md), and nothing else.
"""

import pytest

from wirecheck.checks import Verdict
from wirecheck.run import run
from wirecheck.targets import PythonTarget
from wirecheck.vectors import load

# NetstringReceiver with MAX_LENGTH = 0: _maxLengthSize() takes math.log10(0) and raises on every input.
NETSTRING_MAX0 = {
    "netstring-max0-at-max",
    "netstring-max0-after-frame",
    "netstring-max0-at-max-digits-pending",
    "netstring-max0-at-max-split",
}

# LineOnlyReceiver checks len(buffer) > MAX_LENGTH on the unterminated buffer, which may already hold
# part of the delimiter: a legal line is rejected when the delimiter is split across reads.
LINE_ONLY = {
    "lines-crlf-max16384-at-max",
    "lines-crlf-max16384-max-plus-partial-delimiter",
    "lines-crlf-max16384-max-delimiter-split",
    "lines-crlf-max16384-max-delimiter-split-then-line",
    "lines-crlf-max10-at-max",
    "lines-crlf-max10-max-plus-partial-delimiter",
    "lines-crlf-max10-max-delimiter-split",
    "lines-crlf-max10-max-delimiter-split-then-line",
    "lines-crlf-max10-nine-plus-cr",
    "lines-crlf-max0-empty-line",
    "lines-crlf-max0-empty-lines",
    "lines-crlf-max0-at-max",
    "lines-crlf-max0-max-plus-partial-delimiter",
    "lines-crlf-max0-max-delimiter-split",
    "lines-crlf-max0-max-delimiter-split-then-line",
    "lines-crlf-max0-delimiter-split-short",
    "lines-crlf-max0-burst",
    "lines-crlfcrlf-max20-below-max",
    "lines-crlfcrlf-max20-at-max",
    "lines-crlfcrlf-max20-max-plus-partial-delimiter",
    "lines-crlfcrlf-max20-max-delimiter-split",
    "lines-crlfcrlf-max20-max-delimiter-split-then-line",
    "lines-xxy-max8-below-max",
    "lines-xxy-max8-at-max",
    "lines-xxy-max8-max-plus-partial-delimiter",
    "lines-xxy-max8-max-delimiter-split",
    "lines-xxy-max8-max-delimiter-split-then-line",
}


@pytest.fixture(scope="module")
def vectors():
    return load().vectors


def _failures(result):
    return {c.vector.id for c in result.cases if c.verdict.failing}


def test_twisted_fails_only_its_known_divergences(vectors):
    result = run(PythonTarget("wirecheck.adapters.twisted:receiver"), vectors)
    assert _failures(result) == NETSTRING_MAX0
    # Twisted has no varint receiver: those vectors are unimplemented, not failures; nothing else is.
    unimplemented = {c.vector.protocol for c in result.cases if c.verdict == Verdict.UNIMPLEMENTED}
    assert unimplemented == {"varint"}
    # Twisted is lenient, so it meets the strict groups' alternatives, and nothing else is merely acceptable.
    acceptable = {c.vector.id for c in result.cases if c.verdict == Verdict.ACCEPTABLE}
    assert acceptable and all(
        v.startswith("banana-strict-") or v.startswith("banana-client-strict-") for v in acceptable
    )


def test_line_only_receiver_fails_only_split_delimiter_cases(vectors):
    result = run(
        PythonTarget("wirecheck.adapters.twisted:line_only_receiver"), [v for v in vectors if v.protocol == "line"]
    )
    assert _failures(result) == LINE_ONLY
    for case in result.cases:
        if case.vector.id in LINE_ONLY:
            assert case.verdict == "fail"
