"""The client matrix: every bundled request/reply client against every scenario, side by side.

``wirecheck clients matrix`` runs each available client of ``implementations/`` (a manifest with
a ``client`` configuration) in a process of its own, over TCP as its command (``--in-process``:
its adapter), and writes ``DIR/index.html`` (scenarios x clients, each cell a verdict with what
went wrong, then behaviours x clients), ``DIR/results.json`` and ``DIR/summary.md``.  The page
is static and escapes everything a client printed, as the framing matrix does (``html``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from wirecheck import __version__
from wirecheck.checks import BEHAVIOURS
from wirecheck.clients import load
from wirecheck.fileio import write_atomically

from .html import badges, esc, page
from .manifest import Implementation, discover, probe

FORMAT = "wirecheck-client-matrix"
#: Seconds one client's whole run may take.
CLIENT_DEADLINE = 900.0
SHORT = {"pass": "pass", "acceptable": "ok*", "fail": "FAIL", "crash": "CRASH", "hang": "HANG", "not-run": "-"}


def clients_of(root: Path, names: list[str] | None = None) -> list[Implementation]:
    impls = [i for i in discover(root, names) if any(c.role == "client" for c in i.configurations)]
    return [probe(i) for i in impls]


def _run_one(impl: Implementation, root: Path, in_process: bool, examples: int | None) -> dict:
    """One client's ``wirecheck clients`` run, in a process of its own; its results, or why not."""
    with tempfile.TemporaryDirectory(prefix="wirecheck-clients-") as tmp:
        out = Path(tmp) / "results.json"
        argv = [sys.executable, "-m", "wirecheck", "clients", "--impl", impl.name, "--implementations", str(root),
                "--json", str(out)]  # fmt: skip
        argv += ["--in-process"] if in_process else []
        argv += ["--examples", str(examples)] if examples is not None else []
        started = time.monotonic()
        try:
            done = subprocess.run(argv, capture_output=True, timeout=CLIENT_DEADLINE, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return {"state": "not-run", "reason": f"did not finish within {CLIENT_DEADLINE:g}s"}
        if done.returncode not in (0, 1) or not out.exists():
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["(no output)"]
            return {"state": "not-run", "reason": f"wirecheck clients exited {done.returncode}: {tail[0][:300]}"}
        results = json.loads(out.read_text())
    return {"state": "ran", "duration": round(time.monotonic() - started, 1), "results": results}


def run_client_matrix(root: Path, out: Path, names: list[str] | None = None, jobs: int = 2,
                      in_process: bool = False, examples: int | None = None, progress=None) -> dict:  # fmt: skip
    started = time.monotonic()
    impls = clients_of(root, names)
    runs: dict[str, dict] = {}

    def one(impl: Implementation) -> None:
        runs[impl.name] = {"state": "not-available", "reason": impl.unavailable} if impl.unavailable else (
            _run_one(impl, root, in_process, examples))  # fmt: skip
        if progress is not None:
            progress(impl.name, runs[impl.name])

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, impls))
    report = {
        "format": FORMAT, "version": 1,
        "provenance": {"wirecheck": __version__, "python": sys.version.split()[0], "platform": sys.platform,
                       "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       "mode": "in-process" if in_process else "command over TCP",
                       "wall_time": round(time.monotonic() - started, 1)},
        "clients": {i.name: {"library": i.library, "language": i.language, "summary": i.summary, "notes": i.notes,
                             "version": i.version, **runs[i.name]} for i in impls},
    }  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "results.json", json.dumps(report, indent=1) + "\n")
    write_atomically(out / "index.html", render(report))
    write_atomically(out / "summary.md", summary(report))
    return report


def _scenario_results(client: dict) -> dict[str, dict]:
    return {r["id"]: r for r in ((client.get("results") or {}).get("scenarios") or [])}


def _behaviours(client: dict) -> dict[str, int]:
    found: dict[str, int] = {}
    for r in _scenario_results(client).values():
        for name in r.get("behaviours", []):
            if name in BEHAVIOURS and name != "fails-fast":
                found[name] = found.get(name, 0) + 1
    return found


def _cell(result: dict | None) -> str:
    if result is None:
        return '<td class="none">-</td>'
    verdict = result.get("verdict", "not-run")
    css = {"pass": "pass", "acceptable": "pass", "not-run": "notrun"}.get(verdict, "fail")
    title = esc(result.get("message") or verdict)
    names = sorted({n for n in result.get("behaviours", []) if n not in ("crashes", "stalls", "fails-fast", "not-run")})
    return f'<td class="{css}" title="{title}">{esc(SHORT.get(verdict, verdict))}{badges(names)}</td>'


def render(report: dict) -> str:
    clients = report["clients"]
    names = list(clients)
    head = "".join(f"<th>{esc(n)}</th>" for n in names)
    rows = []
    for scenario in load():
        cells = "".join(_cell(_scenario_results(clients[n]).get(scenario.id)) for n in names)
        rows.append(f'<tr><th class="sc" title="{esc(scenario.reference)}">{esc(scenario.id)}'
                    f'<div class="lang">{esc(scenario.description)}</div></th>{cells}</tr>')  # fmt: skip
    totals = []
    for n in names:
        client = clients[n]
        if client.get("state") != "ran":
            totals.append(f'<td class="notrun">{esc(client.get("state"))}: {esc(client.get("reason", ""))}</td>')
            continue
        verdicts = [r["verdict"] for r in _scenario_results(client).values()]
        counts = ", ".join(f"{verdicts.count(v)} {v}" for v in SHORT if verdicts.count(v))
        totals.append(f"<td>{esc(counts)}<div>{badges(sorted(_behaviours(client)))}</div></td>")
    behaviour_rows = []
    for name in BEHAVIOURS:
        marks = [_behaviours(clients[n]).get(name, 0) for n in names]
        if any(marks):
            cells = "".join(f'<td class="mark">{m or ""}</td>' for m in marks)
            behaviour_rows.append(f'<tr><th title="{esc(BEHAVIOURS[name])}">{esc(name)}</th>{cells}</tr>')
    about = "".join(f"<p><b>{esc(n)}</b> <span class='lang'>{esc(c.get('language'))}, {esc(c.get('version'))}</span>"
                    f": {esc(c.get('summary'))}</p>" for n, c in clients.items())  # fmt: skip
    p = report["provenance"]
    body = ("<style>th.sc{min-width:300px;max-width:380px;font-weight:600}th.sc .lang{font-weight:400}"
            "td.fail{background:#ffebe9}</style>"
            f"<p class='legend muted'>Each cell: the verdict of one scenario (vectors/client-scenarios.json) for one "
            f"client, as <code>wirecheck clients</code> gives it; hover for what went wrong. <b>ok*</b>: acceptable "
            f"(fails fast). <b>-</b>: not run (a profile or an ability the client does not have).</p>"
            f"<table><tr><th>scenario</th>{head}</tr><tr><th>all</th>{''.join(totals)}</tr>{''.join(rows)}</table>"
            f"<h2>Behaviours x clients</h2><p class='muted'>scenarios showing each behaviour "
            f"(docs/behaviours.md)</p><table><tr><th>behaviour</th>{head}</tr>{''.join(behaviour_rows)}</table>"
            f"<h2>The clients</h2><div class='card'>{about}</div>")  # fmt: skip
    subtitle = f"wirecheck {p['wirecheck']}, {p['date']}, {p['mode']}, {p['wall_time']} s"
    return page("wirecheck: request/reply clients", subtitle, body)


def summary(report: dict) -> str:
    lines = ["# wirecheck client matrix", "",
             f"wirecheck {report['provenance']['wirecheck']}, {report['provenance']['date']}, "
             f"{report['provenance']['mode']}; behaviours: docs/behaviours.md.", "",
             "| client | pass | acceptable | fail | crash | hang | not run | behaviours |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, client in report["clients"].items():
        if client.get("state") != "ran":
            reason = str(client.get("reason", "")).replace("|", "\\|")
            lines.append(f"| {name} | {client.get('state')}: {reason} | | | | | | |")
            continue
        verdicts = [r["verdict"] for r in _scenario_results(client).values()]
        counts = " | ".join(str(verdicts.count(v)) for v in SHORT)
        found = ", ".join(f"`{b}`" for b in sorted(_behaviours(client))) or "-"
        lines.append(f"| {name} | {counts} | {found} |")
    return "\n".join(lines) + "\n"
