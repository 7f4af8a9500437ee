"""The reference banana codec fuzzed against its own invariants: `python fuzz/banana.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("banana", sys.argv)
