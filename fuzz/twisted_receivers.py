"""Twisted's receivers (in-process) against the oracle: ``python fuzz/twisted_receivers.py -runs=N``.

In-process, Twisted's NetstringReceiver, Int8/16/32StringReceiver, LineReceiver and Banana do what
the reference does, except the divergences of docs/twisted-divergences.md: 2 (a maximum of 0) is
left out by fuzzing at a maximum of 64, and 9 (a netstring length's bad byte seen only when more
bytes follow) is masked. Any other input that fails is a new divergence: it belongs in
docs/twisted-divergences.md, with a vector.
"""

import sys

import atheris

from wirecheck.fuzz import differential_fuzzer, one_of

TWISTED = "python:wirecheck.adapters.twisted:receiver"


def divergence_9(found) -> bool:
    """The stream ends after a bad byte in a netstring's length: Twisted still waits for more."""
    expected, observed = found.expected, found.observed
    return (
        expected is not None and observed is not None and expected.status == "close" and observed.status == "incomplete"
        and expected.reason == "bad_length_char" and observed.frames == expected.frames
    )  # fmt: skip


if __name__ == "__main__":
    fuzzers = [differential_fuzzer("netstring", TWISTED, known=divergence_9, max_length=64)]
    fuzzers += [differential_fuzzer(p, TWISTED, max_length=64) for p in ("int8", "int16", "int32")]
    fuzzers += [differential_fuzzer("line", TWISTED, max_length=64, delimiter=d) for d in ("0a", "0d0a")]
    fuzzers += [differential_fuzzer("banana", TWISTED, dialects=[d]) for d in ("none", "pb")]
    atheris.Setup(sys.argv, one_of(*fuzzers))
    atheris.Fuzz()
