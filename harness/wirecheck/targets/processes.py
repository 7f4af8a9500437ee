"""Finding and stopping the processes a started command left behind, through Linux's /proc.

A process is named by its pid and its start time (field 22 of /proc/PID/stat), so that a
pid reused by an unrelated process is never signalled.  Where /proc is missing (not
Linux), every function finds nothing and the process group is all that is stopped.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")
#: The most processes examined per scan: a fork bomb cannot make a scan take forever.
SCAN_LIMIT = 100_000
#: Bytes of one process's environment read when looking for a token.
ENVIRON_LIMIT = 1 << 20


def _stat(pid: int) -> tuple[int, int, bytes] | None:
    """(parent pid, start time, state letter) of a process, or None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_bytes()
    except OSError:
        return None
    fields = text[text.rfind(b")") + 2 :].split()  # the name may hold spaces and parentheses
    try:
        return int(fields[1]), int(fields[19]), fields[0]
    except (IndexError, ValueError):
        return None


def _pids() -> list[int]:
    try:
        names = os.listdir(PROC)
    except OSError:
        return []
    return [int(n) for n in names[:SCAN_LIMIT] if n.isdigit()]


def holding(variable: str, token: str) -> set[tuple[int, int]]:
    """Every process (pid, start time) whose environment has ``variable=token``."""
    needle = f"{variable}={token}".encode()
    me = os.getpid()
    out = set()
    for pid in _pids():
        if pid == me:
            continue
        try:
            with open(PROC / str(pid) / "environ", "rb") as f:
                environ = f.read(ENVIRON_LIMIT)
        except OSError:
            continue  # gone, or not ours to read
        if needle in environ.split(b"\0"):
            stat = _stat(pid)
            if stat is not None:
                out.add((pid, stat[1]))
    return out


def with_descendants(roots: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """``roots`` and every process descended from one of them (found by parent pid, iteratively)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for pid in _pids():
        stat = _stat(pid)
        if stat is not None:
            children.setdefault(stat[0], []).append((pid, stat[1]))
    out = set(roots)
    todo = [pid for pid, _ in roots]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child[0])
    return out


def signal_if_same(pid: int, started: int, sig: int) -> None:
    """Send ``sig`` to ``pid`` if it is still the process that started at ``started``."""
    stat = _stat(pid)
    if stat is None or stat[1] != started:
        return
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def alive(procs: set[tuple[int, int]]) -> set[int]:
    """The pids of ``procs`` still running as the same processes (zombies count as gone)."""
    out = set()
    for pid, started in procs:
        stat = _stat(pid)
        if stat is not None and stat[1] == started and stat[2] not in (b"Z", b"X"):
            out.add(pid)
    return out


def wait_gone(procs: set[tuple[int, int]], until: float) -> None:
    """Wait (polling) until none of ``procs`` is alive, or ``until``."""
    while alive(procs) and time.monotonic() < until:
        time.sleep(0.02)


def signal_tree(leader: int, variable: str, token: str, sig: int) -> set[tuple[int, int]]:
    """Send ``sig`` to the process group led by ``leader`` and to every process holding
    ``variable=token`` in its environment, with their descendants; returns the (pid, start
    time) of those signalled besides the group (a started command's processes, wherever
    they went)."""
    try:
        os.killpg(leader, sig)
    except (ProcessLookupError, PermissionError):
        pass
    found = with_descendants(holding(variable, token))
    for pid, started in found:
        signal_if_same(pid, started, sig)
    return found


#: How a started command is stopped: each signal, then the seconds it is given to go.
STOP_SEQUENCE = ((signal.SIGTERM, 2.0), (signal.SIGKILL, 2.0))
