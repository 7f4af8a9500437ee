"""Running the matrix: one ``wirecheck run`` per implementation and configuration (a cell).

Each cell is its own process (``python -m wirecheck run ... --json FILE``) in its own process
group: cells run side by side (``--jobs``), a crash or a hang in one cannot touch another,
and each has a deadline of its own.  Interrupted, every running cell is stopped (its run
stops its server) before the interrupt goes on.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wirecheck import protocols

from . import costs
from .manifest import Configuration, Implementation

#: A cell's JSON results are read up to this size.
RESULTS_LIMIT = 64 << 20
#: Seconds a cell's process gets beyond its own --deadline before it is stopped.
GRACE = 30.0


@dataclass
class Cell:
    """One implementation in one configuration, and what its run found."""

    impl: Implementation
    config: Configuration
    #: "ran", "not-available" or "not-run" (the harness could not finish it: never a failure).
    state: str = "not-run"
    reason: str = ""
    exit_code: int | None = None
    duration: float = 0.0
    results: dict = field(default_factory=dict)
    command: list[str] = field(default_factory=list)
    #: What ``wirecheck matrix --cost`` measured of it (``costs.summarize``), or None.
    cost: dict | None = None


def run_words(impl: Implementation, config: Configuration, seed: int, examples: int, deadline: float) -> list[str]:
    """The ``wirecheck run`` arguments of a cell (what its report prints to reproduce it)."""
    spec = protocols.get(config.protocol)
    words = ["run", "--protocol", config.protocol, *protocols.command_words(spec, config.params)]
    run = ["--seed", str(seed), "--examples", str(examples), "--deadline", f"{deadline:g}"]
    return [*words, "--target", impl.target(config), *run]


def reproduce(words: list[str]) -> str:
    return "wirecheck " + " ".join(shlex.quote(w) for w in words)


class Runner:
    """Runs cells, ``jobs`` at a time, reporting each as it ends through ``done(cell)``."""

    def __init__(self, jobs: int, seed: int, examples: int, deadline: float, done: Callable[[Cell], None],
                 cost: tuple[float, Path] | None = None) -> None:  # fmt: skip
        self.jobs, self.seed, self.examples, self.deadline, self.done = jobs, seed, examples, deadline, done
        #: (budget, plots directory) of the cost probe each cell that ran gets after its run.
        self.cost = cost
        self.running: dict[int, subprocess.Popen] = {}
        self.lock = threading.Lock()
        self.stopping = False

    def run(self, cells: list[Cell]) -> None:
        pool = ThreadPoolExecutor(max_workers=self.jobs)
        futures = [pool.submit(self._one, c) for c in cells if c.impl.unavailable == ""]
        try:
            for future in futures:
                while not future.done():  # a short wait: the main thread stays interruptible
                    time.sleep(0.05)
                future.result()
        except BaseException:
            self.stopping = True
            self.stop_all()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def stop_all(self) -> None:
        """SIGTERM every running cell's group (its run then stops its own server), then SIGKILL."""
        with self.lock:
            procs = list(self.running.values())
        for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 2.0)):
            for proc in procs:
                _signal(proc, sig)
            until = time.monotonic() + grace
            while any(p.poll() is None for p in procs) and time.monotonic() < until:
                time.sleep(0.05)

    def _one(self, cell: Cell) -> None:
        if self.stopping:
            return
        words = run_words(cell.impl, cell.config, self.seed, self.examples, self.deadline)
        cell.command = words
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="wirecheck-cell-") as tmp:
            out = Path(tmp) / "results.json"
            with open(Path(tmp) / "stderr", "w+b") as err:
                proc = subprocess.Popen([sys.executable, "-m", "wirecheck", *words, "--json", str(out)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                        start_new_session=True)  # fmt: skip
                with self.lock:
                    self.running[proc.pid] = proc
                try:
                    proc.wait(timeout=self.deadline + GRACE)
                except subprocess.TimeoutExpired:
                    _signal(proc, signal.SIGTERM)  # its run stops its own server
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        _signal(proc, signal.SIGKILL)
                        proc.wait()
                finally:
                    with self.lock:
                        self.running.pop(proc.pid, None)
                err.seek(0)
                tail = err.read()[-4000:].decode("utf-8", "replace").strip()
            cell.duration = time.monotonic() - started
            cell.exit_code = proc.returncode
            cell.results = _load(out)
        _judge(cell, tail)
        if self.cost is not None and cell.state == "ran" and not self.stopping:
            costs.probe_cell(cell, *self.cost, self.running, self.lock)
        if not self.stopping:
            self.done(cell)


def _signal(proc: subprocess.Popen, sig: int) -> None:
    """``sig`` to a cell's whole process group, if it is still there."""
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > RESULTS_LIMIT:
            return {}
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return doc if isinstance(doc, dict) else {}


def _judge(cell: Cell, stderr_tail: str) -> None:
    """Ran (a verdict, even if the run was cut short: what it found is true) or not run (nothing
    was checked: the harness's side or the endpoint's start-up, never a failure)."""
    last = stderr_tail.splitlines()[-1] if stderr_tail else ""
    aborted = cell.results.get("aborted") if cell.results else None
    checked = bool(cell.results.get("cases")) or bool(cell.results.get("properties", {}).get("results"))
    if cell.exit_code in (0, 1, 2) and checked:
        cell.state = "ran"
        cell.reason = str(aborted or "")[:500]  # a run cut short: shown as incomplete
        return
    cell.state = "not-run"
    cell.reason = str(aborted or last or f"the run exited with status {cell.exit_code}")[:500]
