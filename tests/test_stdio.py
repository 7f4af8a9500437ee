"""The ``stdio:`` target (docs/stdio-contract.md): a decoder fed on standard input, raw or chunked."""

import sys
import time
from pathlib import Path

import pytest

from wirecheck.checks import run_case
from wirecheck.errors import TargetError, TargetTimeout
from wirecheck.oracle import Expectation
from wirecheck.targets import StdioTarget
from wirecheck.vectors import Vector

ROOT = Path(__file__).resolve().parent.parent
DECODER = f"{sys.executable} {ROOT / 'tests' / 'stdio_decoder.py'}"


def vector(data: bytes, frames: list[str], outcome: dict, chunks=None) -> Vector:
    return Vector("t", "netstring", "netstring", {"max_length": 64}, "", "", (), data, chunks,
                  Expectation(tuple(frames), outcome), "valid", ())  # fmt: skip


@pytest.mark.parametrize("chunked", [False, True])
def test_a_correct_decoder_passes_every_delivery(chunked):
    target = StdioTarget(f"{DECODER} correct netstring --max-length 64" + (" --chunked" if chunked else ""),
                         chunked=chunked)  # fmt: skip
    ok = run_case(target, vector(b"2:ab,0:,", ["6162", ""], {"status": "ok"}))
    assert ok.verdict.value == "pass", ok.detail
    assert ok.deliveries == 9  # whole, byte by byte, and every two-way split of these 8 bytes
    bad = run_case(target, vector(b"1:a,x", ["61"], {"status": "close", "reason": "bad_length_char", "offset": 4}))
    assert bad.verdict.value == "pass", bad.detail
    partial = run_case(target, vector(b"1:a,5:ab", ["61"], {"status": "incomplete"}))
    assert partial.verdict.value == "pass", partial.detail


def test_chunked_reads_arrive_exactly():
    """A chunked decoder sees the cuts: a parser that merges reads would be caught here."""
    target = StdioTarget(f"{DECODER} correct netstring --chunked --max-length 64", chunked=True)
    obs = target.deliver(vector(b"3:abc,", ["616263"], {"status": "ok"}), [b"3", b":ab", b"c,"])
    assert obs.frames == ["616263"] and obs.status == "ok" and not obs.problems


@pytest.mark.parametrize(
    ("mode", "behaviour"),
    [("crash", "crashes"), ("garbage", "crashes"), ("drop-empty", "empty-frame-dropped"), ("flood", "floods")],
)
def test_a_broken_decoder_is_named(mode, behaviour):
    target = StdioTarget(f"{DECODER} {mode} netstring --max-length 64", timeout=5.0)
    result = run_case(target, vector(b"0:,1:a,", ["", "61"], {"status": "ok"}))
    assert result.verdict.value == "fail", result.detail
    assert result.behaviour == behaviour, result.detail


def test_a_hanging_decoder_times_out_and_is_stopped():
    target = StdioTarget(f"{DECODER} hang netstring", timeout=1.0)
    started = time.monotonic()
    with pytest.raises(TargetTimeout):
        target.deliver(vector(b"1:a,", ["61"], {"status": "ok"}), [b"1:a,"])
    assert time.monotonic() - started < 4


def test_bad_commands_are_usage_errors():
    with pytest.raises(TargetError, match="no such command"):
        StdioTarget("wirecheck-no-such-decoder --x")
    with pytest.raises(TargetError, match="cannot parse"):
        StdioTarget("decoder 'unclosed")


def test_banana_frames_are_compared_by_value():
    target = StdioTarget(f"{DECODER} correct banana --chunked", chunked=True)
    v = Vector("b", "banana", "banana", {"dialect": "none"}, "", "", (), bytes.fromhex("0181"), None,
               Expectation(({"int": 1},), {"status": "ok"}), "valid", ())  # fmt: skip
    obs = target.deliver(v, [v.input])
    assert obs.status == "ok" and len(obs.frames) == 1 and not obs.problems
