"""The reference int32 codec fuzzed against its own invariants: `python fuzz/int32.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("int32", sys.argv)
