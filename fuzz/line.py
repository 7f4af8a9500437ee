"""The reference line codec fuzzed against its own invariants: `python fuzz/line.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("line", sys.argv)
