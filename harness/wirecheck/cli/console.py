"""What a run prints: failures as they happen, a progress bar on terminals, tables at the end."""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict

from wirecheck import __version__, protocols
from wirecheck.checks import PropertyResult, Verdict, sentence
from wirecheck.run import Reporter, RunResult


class Progress:
    """A one-line progress bar on stderr, for terminals only."""

    WIDTH = 30

    def __init__(self, total: int) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.last = 0.0

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        filled = self.WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        terminal = _terminal()
        terminal.write(f"\r[{bar}] {self.done}/{self.total} cases, {self.failed} failed")
        terminal.flush()

    def clear(self) -> None:
        terminal = _terminal()
        terminal.write("\r\033[K")
        terminal.flush()


def _terminal():
    """stderr without the escaping: the bar's own carriage return and erase are meant."""
    return getattr(sys.stderr, "unescaped", sys.stderr)


class ConsoleReporter(Reporter):
    """Prints a run to ``out`` (stdout), warnings and the progress bar to stderr."""

    def __init__(self, out, verbose: bool = False) -> None:
        self.out = out
        self.verbose = verbose
        self.progress: Progress | None = None
        self.rerun = None

    def print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def warning(self, text: str) -> None:
        print(f"wirecheck: warning: {text}", file=sys.stderr)

    def listening(self, address: str) -> None:
        self.print(f"listening on {address}")

    def started(self, target_name: str) -> None:
        self.print(f"wirecheck {__version__}: against {target_name}")

    def vectors_started(self, vector_set, selection, rerun) -> None:
        count = len(selection.vectors)
        where = ", ".join(map(str, vector_set.directories))
        self.print(f"vectors: {where} (sha256 {vector_set.digest[:12]}, {count} selected)")
        for ident, reason in selection.skipped[:5]:
            self.print(f"{'SKIPPED':10} {ident}: {reason}")
        if len(selection.skipped) > 5:
            self.print(f"{'SKIPPED':10} ... and {len(selection.skipped) - 5} more template instances too large to send")
        self.rerun = rerun
        self.progress = Progress(count) if sys.stderr.isatty() else None

    def case_done(self, case) -> None:
        if self.progress is not None:
            self.progress.advance(case.verdict.failing)
        if self.verbose or case.verdict.failing or case.verdict == Verdict.UNIMPLEMENTED:
            if self.progress is not None:
                self.progress.clear()
            line = f"{case.verdict.word:10} {case.vector.id}"
            if case.delivery:
                line += f" [{case.delivery}]"
            if case.detail:
                line += f": {case.detail}"
            if case.verdict.failing:
                if case.behaviour:
                    line += f"\n{'':10} {case.behaviour}: it {sentence(case.behaviour)}"
                line += f"\n{'':10} {case.vector.description}"
                if self.rerun is not None:
                    line += f"\n{'':10} rerun: {self.rerun(case.vector.id)}"
            self.print(line)

    def vectors_done(self, result: RunResult) -> None:
        if self.progress is not None:
            self.progress.clear()
            self.progress = None
        rows: dict = defaultdict(lambda: defaultdict(int))
        for case in result.cases:
            row = rows[case.vector.protocol]
            row["vectors"] += 1
            row[case.verdict] += 1
            row["deliveries"] += case.deliveries
        self.print()
        self.print(f"{'protocol':10} {'vectors':>8} {'passed':>8} {'accept':>8} {'failed':>8} {'deliveries':>11}")
        for name in protocols.names():
            if name in rows:
                row = rows[name]
                failed = sum(row[v] for v in Verdict if v.failing)
                self.print(f"{name:10} {row['vectors']:8} {row[Verdict.PASS]:8} {row[Verdict.ACCEPTABLE]:8} "
                           f"{failed:8} {row['deliveries']:11}")  # fmt: skip
        if result.failed:
            by_flag: dict = defaultdict(int)
            by_behaviour: dict = defaultdict(int)
            for case in result.cases:
                if case.verdict.failing:
                    for flag in case.vector.flags:
                        by_flag[flag] += 1
                    if case.behaviour:
                        by_behaviour[case.behaviour] += 1
            self.print("\nfailures by flag: " + ", ".join(f"{f} {n}" for f, n in sorted(by_flag.items())))
            if by_behaviour:
                self.print("failures by behaviour: " + ", ".join(f"{b} {n}" for b, n in sorted(by_behaviour.items())))
        self.print(f"\n{sum(r['deliveries'] for r in rows.values())} deliveries in {result.duration:.2f}s")
        others = {v.value: result.count(v) for v in (Verdict.TIMEOUT, Verdict.ERROR) if result.count(v)}
        if others:
            self.print("of the failed: " + ", ".join(f"{n} {v}" for v, n in others.items()))
        if result.count(Verdict.UNIMPLEMENTED):
            self.print(f"{result.count(Verdict.UNIMPLEMENTED)} unimplemented (not run by this target; not failures)")
        if result.count(Verdict.NOT_RUN):
            self.print(f"{result.count(Verdict.NOT_RUN)} not run (not failures): {result.aborted}")

    def properties_started(self, names: list[str], configs: list, examples: int, seed: int) -> None:
        self.print(f"\nproperties: {len(names)} x {len(configs)} configurations, {examples} examples each, "
                   f"seed {seed} (--seed {seed} reproduces this run)")  # fmt: skip

    def property_done(self, result: PropertyResult) -> None:
        if result.verdict == Verdict.PASS:
            if self.verbose:
                self.print(f"{'HELD':10} property {result.name} ({result.protocol} {json.dumps(result.params)}): "
                           f"{result.examples} examples in {result.duration:.2f}s")  # fmt: skip
        elif result.verdict != Verdict.NOT_RUN or result.examples:  # the untouched ones are counted at the end
            self.print(result.report())

    def properties_done(self, results: list[PropertyResult]) -> None:
        by_protocol: dict = defaultdict(lambda: [0, 0, 0])
        for r in results:
            row = by_protocol[r.protocol]
            row[0 if r.verdict == Verdict.PASS else 1 if r.verdict == Verdict.FAIL else 2] += 1
        self.print(f"\n{'protocol':10} {'held':>8} {'failed':>8} {'other':>8}")
        for name in protocols.names():
            if name in by_protocol:
                held, failed, other = by_protocol[name]
                self.print(f"{name:10} {held:8} {failed:8} {other:8}")
        not_run = sum(r.verdict == Verdict.NOT_RUN for r in results)
        if not_run:
            self.print(f"{not_run} properties not run: the run was cut short")
        examples = sum(r.examples for r in results)
        self.print(f"\n{examples} property examples in {sum(r.duration for r in results):.2f}s")
