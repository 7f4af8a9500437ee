"""The reference int16 codec fuzzed against its own invariants: `python fuzz/int16.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("int16", sys.argv)
