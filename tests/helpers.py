"""Helpers shared by the tests that run wirecheck as a command: running it, measuring it,
and finding the processes a run left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

#: Runs a command and reports the peak RSS of its process tree (its children's, to this wrapper).
_MEASURE = (
    "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
    "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)"
)


def measured(*args: str, timeout: float = 120, env: dict | None = None):
    """``wirecheck ARGS`` in a process of its own: (completed process, seconds, peak RSS in MiB)."""
    started = time.monotonic()
    with subprocess.Popen(
        [PY, "-c", _MEASURE, PY, "-m", "wirecheck", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
    ) as proc:  # fmt: skip
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)  # the run under test too, which then stops its server
            try:
                proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
            raise
    out = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    elapsed = time.monotonic() - started
    stderr, _, peak = out.stderr.rpartition("PEAK_KIB ")
    out.stderr = stderr
    return out, elapsed, int(peak) / 1024


def running(marker: str) -> list[int]:
    """Pids of live processes whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


def gone(marker: str, within: float = 5.0) -> bool:
    """Wait until nothing with ``marker`` in its command line runs; True if that happened."""
    until = time.monotonic() + within
    while running(marker) and time.monotonic() < until:
        time.sleep(0.1)
    return not running(marker)
