"""The reference netstring codec fuzzed against its own invariants: `python fuzz/netstring.py -runs=N`."""

import sys

from wirecheck.fuzz.invariants import main

if __name__ == "__main__":
    main("netstring", sys.argv)
