"""Write the golden vector files in vectors/ from the hand-written cases in tools/.

    python tools/build_vectors.py           # rewrite vectors/*.json
    python tools/build_vectors.py --check   # exit 1 if the files differ from what this writes

The JSON files are the product; this script only keeps them consistent.  After
changing a case, run it, then ``wirecheck vectors lint``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import vectors_banana  # noqa: E402
import vectors_intprefix  # noqa: E402
import vectors_lines  # noqa: E402
import vectors_netstring  # noqa: E402

BUILDERS = (vectors_netstring, vectors_intprefix, vectors_lines, vectors_banana)


def write_all(directory: Path) -> dict[str, int]:
    counts = {}
    for builder in BUILDERS:
        family = builder.build()
        counts[family.family] = family.write(directory)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with vectors/ instead of writing")
    args = parser.parse_args()
    target = ROOT / "vectors"
    if not args.check:
        counts = write_all(target)
        for family, n in counts.items():
            print(f"{family}: {n} vectors")
        print(f"total: {sum(counts.values())} vectors")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        write_all(Path(tmp))
        stale = [
            p.name
            for p in sorted(Path(tmp).glob("*.json"))
            if not (target / p.name).exists() or (target / p.name).read_bytes() != p.read_bytes()
        ]
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python tools/build_vectors.py)")
        return 1
    print("vectors/ is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
