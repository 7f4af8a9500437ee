"""``wirecheck baseline write RESULTS.json`` and ``wirecheck diff OLD.json NEW.json``."""

from __future__ import annotations

import json

from wirecheck import matrix
from wirecheck.errors import UsageError
from wirecheck.report import write_atomically


def main(args, out) -> int:
    if args.baseline_command == "diff":
        return _diff(args, out)
    doc = matrix.read_json(args.results, "results document")
    runs = matrix.runs_by_implementation(doc)
    if args.impl is not None:
        if list(runs) == ["target"]:
            runs = {args.impl: runs["target"]}
        elif args.impl in runs:
            runs = {args.impl: runs[args.impl]}
        else:
            raise UsageError(f"--impl {args.impl!r}: not in {args.results} ({', '.join(runs)})")
    text = json.dumps(matrix.write_baseline(runs), indent=1, sort_keys=True) + "\n"
    if args.output is None:
        out.write(text)
        return 0
    try:
        write_atomically(args.output, text)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc}") from None
    return 0


def _diff(args, out) -> int:
    old = matrix.read_json(args.old, "results document")
    new = matrix.read_json(args.new, "results document")
    regressions, fixes, changes = matrix.diff(old, new)
    for label, lines in (("REGRESSION", regressions), ("FIXED", fixes), ("CHANGED", changes)):
        for line in lines:
            print(f"{label:10} {line}", file=out)
    print(f"{len(regressions)} regressions, {len(fixes)} fixes, {len(changes)} changed behaviours", file=out)
    return 1 if regressions else 0
