"""``wirecheck matrix``: every bundled implementation, side by side, written as the compatibility report."""

from __future__ import annotations

from wirecheck import matrix
from wirecheck.endpoints.bundled import implementations_directory


def main(args, out) -> int:
    root = args.implementations or implementations_directory()
    if args.list or args.install:
        impls, _ = matrix.plan(root, args.impl, args.protocol)
        for impl in impls:
            state = f"not available: {impl.unavailable}" if impl.unavailable else f"available, {impl.version}"
            if args.list:
                print(f"{impl.name:26} {impl.language:11} {state}", file=out)
            if args.install and impl.unavailable:
                for line in impl.install_lines():
                    print(f"(cd {impl.directory} && {line})" if "npm" in line else line, file=out)
        return 0
    baseline = None
    if args.baseline is not None:  # read first: a bad baseline is a usage error before any run
        baseline = matrix.read_json(args.baseline, "baseline")
        matrix.check_baseline(baseline, args.baseline)

    def progress(cell: matrix.Cell, done: int, total: int) -> None:
        counts = cell.results.get("summary", {}) if cell.results else {}
        state = cell.state if cell.state != "ran" else f"{counts.get('failed', 0)} vectors failed"
        print(f"[{done}/{total}] {cell.impl.name} {cell.config.key}: {state} ({cell.duration:.0f}s)", file=out)
        out.flush()

    report = matrix.run_matrix(root, args.out, args.impl, args.protocol, jobs=args.jobs, seed=args.seed,
                               examples=args.examples, deadline=args.deadline, progress=progress,
                               cost_budget=args.cost)  # fmt: skip
    impls = report["implementations"]
    shown = sum(i["state"] != "not-available" for i in impls.values())
    print(f"\n{shown} implementations run, {len(impls) - shown} not available; report in {args.out}/index.html "
          f"({report['provenance']['wall_time']} s)", file=out)  # fmt: skip
    if baseline is None:
        return 0
    failed = False
    for name, results in matrix.runs_by_implementation(report).items():
        entries = baseline["implementations"].get(name) or {}  # none listed: every failure is unexpected
        for run in results:
            found = matrix.check(entries, run)
            for line in found.unexpected + found.stale:
                print(f"{name}: {line}", file=out)
            failed = failed or not found.passed
    return 1 if failed else 0
