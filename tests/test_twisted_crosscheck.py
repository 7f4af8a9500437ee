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


# Divergence 2: NetstringReceiver with MAX_LENGTH = 0 takes math.log10(0) in _maxLengthSize() and raises
# on every input, which closes the connection before anything is delivered: every max-0 vector that does
# not expect exactly that fails.
def netstring_max0(vector) -> bool:
    nothing_then_close = not vector.expected.frames and vector.expected.outcome["status"] == "close"
    return vector.protocol == "netstring" and vector.params["max_length"] == 0 and not nothing_then_close


# Divergence 1: LineOnlyReceiver checks len(buffer) > MAX_LENGTH on the unterminated buffer, which may
# already hold part of the delimiter: a legal line of L bytes is rejected whenever L + len(delimiter) - 1
# bytes can sit unterminated in its buffer, that is for L >= max_length - len(delimiter) + 2 (the read that
# brings the rest of the delimiter comes later, or the bytes come one per read), and so is a pending line
# of more than max_length bytes.  It rejects; it never delivers anything else.
def line_only_quirk(vector) -> bool:
    top, width = vector.params["max_length"], len(vector.params["delimiter"]) // 2
    lines = [len(bytes.fromhex(f)) for f in vector.expected.frames]
    long_line = any(n >= top - width + 2 for n in lines)
    long_pending = (
        vector.expected.outcome["status"] == "incomplete" and len(vector.input) - sum(lines) - width * len(lines) > top
    )
    return long_line or long_pending


@pytest.fixture(scope="module")
def vectors():
    return load().vectors


def _failures(result):
    return {c.vector.id for c in result.cases if c.verdict.failing}


def test_twisted_fails_only_its_known_divergences(vectors):
    result = run(PythonTarget("wirecheck.adapters.twisted:receiver"), vectors)
    assert _failures(result) == {v.id for v in vectors if netstring_max0(v)} != set()
    # Twisted has no varint receiver: those vectors are unimplemented, not failures; nothing else is.
    unimplemented = {c.vector.protocol for c in result.cases if c.verdict == Verdict.UNIMPLEMENTED}
    assert unimplemented == {"varint"}
    # Twisted is lenient, so it meets the strict groups' alternatives, and nothing else is merely acceptable.
    acceptable = {c.vector.id for c in result.cases if c.verdict == Verdict.ACCEPTABLE}
    assert acceptable and all(
        v.startswith("banana-strict-") or v.startswith("banana-client-strict-") for v in acceptable
    )


def test_line_only_receiver_fails_only_split_delimiter_cases(vectors):
    lines = [v for v in vectors if v.protocol == "line"]
    result = run(PythonTarget("wirecheck.adapters.twisted:line_only_receiver"), lines)
    failing = [c for c in result.cases if c.verdict.failing]
    assert [c.vector.id for c in failing if not line_only_quirk(c.vector)] == []
    # It rejects, and never delivers anything else.
    assert all(c.verdict == Verdict.FAIL and c.observed.status == "close" for c in failing)
    # A multi-byte delimiter's max-length line split before its last byte always fails (the quirk's signature).
    assert {
        "lines-max-delimiter-split@max_length=16384,delimiter=0d0a",
        "lines-below-max@max_length=20,delimiter=0d0a0d0a",
    } <= {c.vector.id for c in failing}
