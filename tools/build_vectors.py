"""Write the golden vector files in vectors/ from the hand-written cases in tools/.

    python tools/build_vectors.py           # rewrite vectors/*.json and vectors/vectors.schema.json
    python tools/build_vectors.py --check   # exit 1 if the files differ from what this writes

The JSON files are the product; this script only keeps them consistent.  Each
``tools/vectors_FAMILY.py`` builds ``vectors/FAMILY.json``; the schema is
``tools/vectors.schema.in.json`` completed from the protocol registry.  After changing
a case, run it, then ``wirecheck vectors lint``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "harness")]

import vectorschema  # noqa: E402
from wirecheck import protocols  # noqa: E402


def builders() -> list:
    """One builder module per registered family, in the registry's order."""
    out = []
    for family in protocols.families():
        path = HERE / f"vectors_{family}.py"
        if not path.exists():
            raise SystemExit(f"no builder for family {family}: {path.relative_to(ROOT)} is missing")
        out.append(importlib.import_module(f"vectors_{family}"))
    return out


def write_all(directory: Path) -> dict[str, int]:
    counts = {}
    for builder in builders():
        family = builder.build()
        counts[family.family] = family.write(directory)
    (directory / "vectors.schema.json").write_text(vectorschema.text())
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
