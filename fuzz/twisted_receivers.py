"""Twisted's receivers (in-process) against the oracle: ``python fuzz/twisted_receivers.py -runs=N``.

In-process, Twisted's NetstringReceiver, Int8/16/32StringReceiver, LineReceiver and Banana do what
the reference does, except divergence 2 of docs/twisted-divergences.md (a maximum of 0), which is
left out by fuzzing at a maximum of 64. Any input that fails is a new divergence: it belongs in
docs/twisted-divergences.md, with a vector.
"""

import sys

import atheris

from wirecheck.fuzz import differential_fuzzer, one_of

TWISTED = "python:wirecheck.adapters.twisted:receiver"

if __name__ == "__main__":
    fuzzers = [differential_fuzzer(p, TWISTED, max_length=64) for p in ("netstring", "int8", "int16", "int32")]
    fuzzers += [differential_fuzzer("line", TWISTED, max_length=64, delimiter=d) for d in ("0a", "0d0a")]
    fuzzers += [differential_fuzzer("banana", TWISTED, dialects=[d]) for d in ("none", "pb")]
    atheris.Setup(sys.argv, one_of(*fuzzers))
    atheris.Fuzz()
