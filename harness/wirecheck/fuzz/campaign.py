"""``wirecheck fuzz`` for in-process targets: atheris workers, progress in our words, findings settled.

libFuzzer ends its process when the budget is spent, so the search runs in worker processes
(``worker``) and this process does everything around it: it seeds the corpus from the golden
vectors, starts ``--jobs`` workers on the shared corpus (each with its own seed), prints
progress (executions a second, coverage, findings by behaviour), stops them at the budget or
on a signal, then settles what they found (``findings``).  A worker that dies of anything but
a finding is a harness error, never a finding.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck.errors import TargetError, UsageError

#: libFuzzer's artifacts (the worker's own exits) and the behaviour each stands for.
ARTIFACTS = {"timeout": "stalls", "oom": "out-of-memory", "crash": "crashes", "slow-unit": None, "leak": None}
#: Seconds a worker may run past its budget (start-up, a last slow input) before it is stopped.
GRACE = 30.0
#: Lines of a worker's standard error kept for a harness error's message.
LOG_LINES = 40
_COVERAGE = re.compile(rb"cov: (\d+)")
_CORPUS = re.compile(rb"corp: (\d+)/")
_EXECUTED = re.compile(rb"stat::number_of_executed_units: (\d+)")
_RATE = re.compile(rb"stat::average_exec_per_sec: (\d+)")


@dataclass
class FuzzPlan:
    protocol: str
    params: dict
    target: str  # "reference" or "python:..."
    corpus: Path
    findings: Path
    seconds: float | None = None
    runs: int | None = None
    jobs: int = 1
    seed: int = 1
    max_len: int = 4096
    #: libFuzzer's limit on one input, in seconds: an input that takes longer is a ``stalls`` finding.
    input_timeout: int = 10


@dataclass
class _Worker:
    proc: subprocess.Popen
    status: Path
    log: deque = field(default_factory=lambda: deque(maxlen=LOG_LINES))
    coverage: int = 0
    corpus: int = 0
    executed: int | None = None
    #: libFuzzer's own average, over its fuzzing time (the start-up, instrumenting, left out).
    rate: int | None = None

    def read(self) -> None:
        for line in self.proc.stderr:  # a thread per worker: libFuzzer's lines, bounded
            line = line[:400]
            self.log.append(line.decode("utf-8", "replace").rstrip())
            if m := _COVERAGE.search(line):
                self.coverage = max(self.coverage, int(m[1]))
            if m := _CORPUS.search(line):
                self.corpus = int(m[1])
            if m := _EXECUTED.search(line):
                self.executed = int(m[1])
            if m := _RATE.search(line):
                self.rate = int(m[1])

    def state(self) -> dict:
        try:
            return json.loads(self.status.read_text())
        except (OSError, ValueError):
            return {"executions": 0, "findings": {}}


def require_atheris() -> None:
    try:
        import atheris  # noqa: F401 - only whether it imports
    except ImportError:
        raise UsageError(
            "coverage-guided fuzzing needs atheris: pip install 'wirecheck[fuzz]' "
            "(or fuzz a tcp:, cmd: or stdio: target, which runs without it)"
        ) from None


def run(plan: FuzzPlan, out) -> tuple[dict, dict[str, list[bytes]]]:
    """Fuzz until the budget is spent; (figures, behaviour -> failing inputs)."""
    require_atheris()
    plan.corpus.mkdir(parents=True, exist_ok=True)
    raw = plan.findings / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="wirecheck-fuzz-"))
    workers: list[_Worker] = []
    started = time.monotonic()
    first = None
    try:
        for i in range(plan.jobs):
            workers.append(_start(plan, work, raw, i))
        first = _watch(plan, workers, started, out)
    finally:
        for worker in workers:
            _stop(worker.proc)
    elapsed = time.monotonic() - started
    for worker in workers:
        if worker.proc.returncode not in (0, None) and not _artifacts(raw):
            raise TargetError("a fuzzing worker failed: " + " | ".join(list(worker.log)[-6:]))
    states = [w.state() for w in workers]
    executions = sum(
        w.executed if w.executed is not None else s["executions"] for w, s in zip(workers, states, strict=True)
    )
    figures = {
        "executions": executions,
        "seconds": round(elapsed, 2),
        "per_second": (
            sum(w.rate for w in workers)
            if all(w.rate is not None for w in workers)
            else round(executions / elapsed)
            if elapsed
            else 0
        ),
        "coverage": max((w.coverage for w in workers), default=0),
        "corpus": len(list(plan.corpus.iterdir())),
        "first_finding": None if first is None else round(first, 1),
    }
    return figures, _collected(raw)


def _start(plan: FuzzPlan, work: Path, raw: Path, index: int) -> _Worker:
    job = work / f"job{index}.json"
    status = work / f"status{index}.json"
    job.write_text(
        json.dumps(
            {
                "protocol": plan.protocol,
                "params": plan.params,
                "target": plan.target,
                "raw": str(raw),
                "status": str(status),
            }
        )
    )
    budget = (
        [f"-runs={max(1, plan.runs // plan.jobs)}"] if plan.runs else [f"-max_total_time={max(1, int(plan.seconds))}"]
    )
    command = [
        sys.executable,
        "-m",
        "wirecheck.fuzz.worker",
        str(job),
        f"-seed={plan.seed + index}",
        f"-max_len={plan.max_len}",
        f"-timeout={plan.input_timeout}",
        "-rss_limit_mb=2048",
        f"-artifact_prefix={raw}{os.sep}",
        "-print_final_stats=1",
        "-print_pcs=0",
        "-use_value_profile=1",
        *budget,
        str(plan.corpus),
    ]
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    worker = _Worker(proc, status)
    threading.Thread(target=worker.read, daemon=True).start()
    return worker


def _watch(plan: FuzzPlan, workers: list[_Worker], started: float, out) -> float | None:
    """Wait for the workers, printing progress; the seconds to the first finding (None: none)."""
    budget = plan.seconds if plan.seconds is not None else None
    hard_stop = started + (budget if budget is not None else 24 * 3600) + GRACE
    next_line, next_look, first = started + 5, started, None
    while any(w.proc.poll() is None for w in workers):
        now = time.monotonic()
        if now >= hard_stop:
            break
        if first is None and now >= next_look:
            next_look = now + 0.5
            if any(w.state().get("findings") for w in workers):
                first = now - started
                print(f"  {first:6.1f}s  first finding", file=out, flush=True)
        if now >= next_line:
            print(_progress(workers, now - started), file=out, flush=True)
            next_line = now + 10
        time.sleep(0.1)
    return first


def _progress(workers: list[_Worker], elapsed: float) -> str:
    states = [w.state() for w in workers]
    executions = sum(s["executions"] for s in states)
    counts: Counter = Counter()
    for s in states:
        counts.update(s.get("findings", {}))
    found = ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) or "none"
    return (
        f"  {elapsed:6.0f}s  {executions:,} inputs ({executions / max(elapsed, 1e-9):,.0f}/s), "
        f"coverage {max(w.coverage for w in workers)}, corpus {max(w.corpus for w in workers)}; "
        f"findings: {found}"
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        for sig in (signal.SIGINT, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(5)
                break
            except subprocess.TimeoutExpired:
                continue
    proc.wait()


def _artifacts(raw: Path) -> list[Path]:
    return [p for p in raw.iterdir() if p.name.split("-", 1)[0] in ARTIFACTS]


def _collected(raw: Path) -> dict[str, list[bytes]]:
    """behaviour -> failing inputs, from the worker's files and libFuzzer's artifacts."""
    out: dict[str, list[bytes]] = {}
    for path in sorted(raw.iterdir()):
        kind, _, _ = path.name.rpartition("-")
        behaviour = ARTIFACTS.get(kind, kind) if kind in ARTIFACTS else kind
        if behaviour and path.is_file() and path.stat().st_size <= 1 << 24:
            out.setdefault(behaviour, []).append(path.read_bytes())
    return out


def clear_raw(findings: Path) -> None:
    raw = findings / "raw"
    for path in raw.iterdir() if raw.is_dir() else ():
        path.unlink()
    if raw.is_dir():
        raw.rmdir()
