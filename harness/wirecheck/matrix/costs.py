"""The matrix's cost and memory columns (``wirecheck matrix --cost``): one ``wirecheck cost`` per cell.

After a cell's conformance run, the same target is probed by ``wirecheck cost`` in its own
process (a deadline of its own, its plots written under the report's ``plots/``).  Its JSON
becomes the cell's ``cost``: the verdict of each workload and memory probe, and the behaviours
they show, in the same vocabulary as the conformance findings.  A probe that could not run is
"not run" with the reason, never a finding.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from wirecheck import protocols
from wirecheck.cost.workloads import PROBE_MAX

#: Seconds a cost probe's process gets beyond its budget before it is stopped.
GRACE = 90.0
#: A cost probe's JSON is read up to this size.
COST_LIMIT = 8 << 20
#: A plot is embedded in the report up to this size.
PLOT_LIMIT = 64 << 10


def cost_words(target: str, protocol: str, params: dict, budget: float, plots: Path) -> list[str]:
    words = protocols.command_words(protocols.get(protocol), params)
    return ["cost", "--protocol", protocol, *words, "--target", target, "--budget", f"{budget:g}", "--plots",
            str(plots)]  # fmt: skip


def probe_config(config):
    """The configuration a cell's cost is probed at: where its command takes ``{max_length}``, the
    probe's own maximum (a maximum of 1024 leaves a one-frame workload too few sizes to fit)."""
    names = {p.name: p for p in protocols.get(config.protocol).params}
    if "{max_length}" not in config.command or "max_length" not in config.params or "max_length" not in names:
        return config
    top = names["max_length"].maximum
    return dataclasses.replace(config, params={**config.params, "max_length": min(top or PROBE_MAX, PROBE_MAX)})


def probe_cell(cell, budget: float, plots: Path, running: dict, lock) -> None:
    """Run the cost probe of a cell that ran; its summary goes to ``cell.cost``."""
    config = probe_config(cell.config)
    words = cost_words(cell.impl.target(config), config.protocol, config.params, budget, plots / cell.impl.name)
    with tempfile.TemporaryDirectory(prefix="wirecheck-cost-") as tmp:
        out = Path(tmp) / "cost.json"
        proc = subprocess.Popen([sys.executable, "-m", "wirecheck", *words, "--json", str(out)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)  # fmt: skip
        with lock:
            running[proc.pid] = proc
        try:
            _, err = proc.communicate(timeout=budget + GRACE)
        except subprocess.TimeoutExpired:
            _stop(proc)
            err = b""
        finally:
            with lock:
                running.pop(proc.pid, None)
        doc = _load(out)
    if doc is None:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        reason = last[0][:300] if last else f"the cost probe exited with status {proc.returncode}"
        cell.cost = {"state": "not-run", "reason": reason, "command": "wirecheck " + " ".join(words)}
        return
    cell.cost = summarize(doc, "wirecheck " + " ".join(words), plots / cell.impl.name)


def _svg_of(path, plots: Path) -> str | None:
    """The plot the probe wrote, base64 for a data: URI (the pages load nothing else), if it is
    one of its own: under ``plots`` and small."""
    import base64

    try:
        where = Path(str(path)).resolve()
        if plots.resolve() not in where.parents or where.stat().st_size > PLOT_LIMIT:
            return None
        return base64.b64encode(where.read_bytes()).decode("ascii")
    except (OSError, ValueError):
        return None


_WORKLOAD_KEYS = ("workload", "verdict", "behaviour", "exponent", "exponent_above_linear", "why", "plot")


def _workload_row(w: dict, plots: Path) -> dict:
    return {**{k: w.get(k) for k in _WORKLOAD_KEYS}, "svg": _svg_of(w["plot"], plots) if w.get("plot") else None}


def summarize(doc: dict, command: str, plots: Path) -> dict:
    """A cost probe's JSON as a matrix cell shows it."""
    time_rows = [w for w in doc.get("workloads") or [] if isinstance(w, dict)]
    memory_rows = [m for m in doc.get("memory") or [] if isinstance(m, dict)]
    found = [str(r.get("behaviour")) for r in time_rows + memory_rows if r.get("behaviour")]
    return {
        "state": "ran",
        "reason": "",
        "command": command,
        "measure": str(doc.get("measure", "")),
        "time": [_workload_row(w, plots) for w in time_rows],
        "memory": [{k: m.get(k) for k in ("probe", "verdict", "behaviour", "why", "per_byte")} for m in memory_rows],
        "behaviours": sorted(set(found)),
    }


def column_text(cost: dict | None, part: str) -> tuple[str, list[str]]:
    """(state, behaviours) of a cell's ``part`` ("time" or "memory") for the matrix's columns."""
    if not cost:
        return "none", []
    if cost.get("state") != "ran":
        return "not-run", []
    rows = cost.get(part) or []
    names = sorted({r["behaviour"] for r in rows if r.get("behaviour")})
    if names:
        return "found", names
    verdicts = {r.get("verdict") for r in rows}
    if "inconclusive" in verdicts:
        return "inconclusive", []
    if verdicts & {"linear", "ok"}:
        return "clean", []
    return "not-measured", []


def costed(report: dict) -> bool:
    """Did the run measure cost (``--cost``)?"""
    return any(c.get("cost") for i in report["implementations"].values() for c in i["cells"])


def cost_state(cells: list[dict], part: str) -> tuple[str, list[str]]:
    """An implementation's cost or memory column, over its configurations: the behaviours found in
    any, else "clean" when one was measured clean, else "not run" or "not measured"."""
    states = [column_text(c.get("cost"), part) for c in cells if c["state"] == "ran"]
    names = sorted({n for _, found in states for n in found})
    if names:
        return "found", names
    for state in ("inconclusive", "clean", "not-measured", "not-run"):
        if any(s == state for s, _ in states):
            return state, []
    return "none", []


def _load(path: Path) -> dict | None:
    try:
        if path.stat().st_size > COST_LIMIT:
            return None
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def _stop(proc: subprocess.Popen) -> None:
    import os

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue
