"""The reference varint codec fuzzed against its own invariants: `python fuzz/varint.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("varint", sys.argv)
