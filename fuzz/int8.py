"""The reference int8 codec fuzzed against its own invariants: `python fuzz/int8.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("int8", sys.argv)
