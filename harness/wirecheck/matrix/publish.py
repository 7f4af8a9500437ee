"""The matrix's outputs: ``results.json`` (every cell with provenance), ``index.html`` and one
page per implementation, ``summary.md`` and JUnit per implementation, written atomically.

``build(...)`` assembles the one report document every output is rendered from; rows whose
cells are identical are grouped, as JSONTestSuite's pruned view groups parsers.
"""

from __future__ import annotations

import json
import platform
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from wirecheck import __version__, protocols
from wirecheck.fileio import write_atomically
from wirecheck.report.junit import _cleaned

from . import html
from .costs import cost_state, costed
from .manifest import Implementation

FORMAT = "wirecheck-matrix"


def column(summary: dict) -> str:
    """A configuration's column heading: ``line 0d0a max 1024``, ``banana pb``."""
    words = [summary["protocol"]]
    for key, value in sorted(summary["params"].items()):
        words.append(str(value) if key in ("delimiter", "dialect") else f"{key.replace('max_length', 'max')} {value}")
    return " ".join(words) + (" (stdio)" if summary["role"] == "stdio" else "")


def _column_order(name: str) -> tuple:
    protocol = name.split(" ")[0]
    order = protocols.names().index(protocol) if protocol in protocols.names() else 99
    return order, name


def build(impls: list[Implementation], summaries: list[dict], provenance: dict) -> dict:
    by_impl: dict[str, list[dict]] = {i.name: [] for i in impls}
    for s in summaries:
        s["column"] = column(s)
        by_impl[s["implementation"]].append(s)
    columns = sorted({s["column"] for s in summaries}, key=_column_order)
    implementations = {}
    for impl in impls:
        cells = by_impl[impl.name]
        implementations[impl.name] = {
            "name": impl.name, "language": impl.language, "library": impl.library, "home": impl.home,
            "summary": impl.summary, "notes": impl.notes, "version": impl.version,
            "state": "not-available" if impl.unavailable else "ran", "reason": impl.unavailable,
            "install": impl.install_lines(), "cells": cells,
        }  # fmt: skip
    groups: list[dict] = []
    seen: dict[str, dict] = {}
    for name, impl in implementations.items():
        cells = {c["column"]: c for c in impl["cells"]}
        key = json.dumps({col: _cell_key(c) for col, c in cells.items()}, sort_keys=True)
        if key in seen and impl["state"] != "not-available":
            seen[key]["implementations"].append(name)
            continue
        group = {"implementations": [name], "cells": cells}
        seen[key] = group
        groups.append(group)
    behaviour_table: dict[str, list[str]] = {}
    for name, impl in implementations.items():
        for cell in impl["cells"]:
            for found in [b["name"] for b in cell["behaviours"]] + ((cell.get("cost") or {}).get("behaviours") or []):
                behaviour_table.setdefault(found, [])
                if name not in behaviour_table[found]:
                    behaviour_table[found].append(name)
    return {"format": FORMAT, "version": 1, "provenance": provenance, "columns": columns, "groups": groups,
            "implementations": implementations, "behaviour_table": behaviour_table}  # fmt: skip


def _cell_key(cell: dict) -> list:
    return [cell["state"], sorted(b["name"] for b in cell["behaviours"]), (cell.get("cost") or {}).get("behaviours")]


def provenance(seed: int, examples: int, deadline: float, wall_time: float, vectors_sha256) -> dict:
    return {
        "wirecheck": __version__,
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seed": seed,
        "examples": examples,
        "deadline": deadline,
        "wall_time": round(wall_time, 1),
        "vectors_sha256": vectors_sha256,
    }


def _md_cost(cells: list[dict], part: str) -> str:
    state, names = cost_state(cells, part)
    if names:
        return ", ".join(f"`{n}`" for n in names)
    return {"clean": "linear" if part == "time" else "clean", "none": "-"}.get(state, state.replace("-", " "))


def markdown(report: dict) -> str:
    cols = report["columns"]
    costed_ = costed(report)
    lines = ["# wirecheck compatibility summary", "",
             f"wirecheck {report['provenance']['wirecheck']}, {report['provenance']['date']}, seed "
             f"{report['provenance']['seed']}. `pass`: every vector and property held; names are behaviours "
             "(docs/behaviours.md); `n/a`: not available here; `-`: not declared.", "",
             "| implementation | version | " + " | ".join(cols) + " |" + (" cost | memory |" if costed_ else ""),
             "|---|---|" + "---|" * (len(cols) + 2 * costed_)]  # fmt: skip
    for name, impl in report["implementations"].items():
        cells = {c["column"]: c for c in impl["cells"]}
        row = [_md(name), _md(impl["version"] or "?")] + [_md_cell(cells.get(c)) for c in cols]
        if costed_:
            row += [_md_cost(impl["cells"], part) for part in ("time", "memory")]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")[:120]


def _md_cell(cell: dict | None) -> str:
    if cell is None:
        return "-"
    if cell["state"] == "not-available":
        return "n/a"
    if cell["state"] == "not-run":
        return "not run"
    names = [b["name"] for b in cell["behaviours"]]
    return ", ".join(f"`{n}`" for n in names) if names else "pass"


def junit(impl: dict) -> str:
    """One testsuite per configuration; each failing vector or property behaviour a failed testcase."""
    root = ET.Element("testsuites", name=impl["name"])
    for cell in impl["cells"]:
        suite = ET.SubElement(root, "testsuite", name=cell["configuration"])
        if cell["state"] != "ran":
            case = ET.SubElement(suite, "testcase", name="(configuration)", classname=impl["name"])
            ET.SubElement(case, "skipped", message=f"{cell['state']}: {cell['reason']}")
            continue
        failures = 0
        for ident, failure in cell["failures"]["vectors"].items():
            case = ET.SubElement(suite, "testcase", name=ident, classname=impl["name"])
            ET.SubElement(case, "failure", message=f"{failure['behaviour']} (observed {failure['observed']})")
            failures += 1
        for prop, names in cell["failures"]["properties"].items():
            case = ET.SubElement(suite, "testcase", name=f"property {prop}", classname=impl["name"])
            ET.SubElement(case, "failure", message=", ".join(names))
            failures += 1
        passed = cell["counts"].get("passed", 0) + cell["counts"].get("held", 0)
        suite.set("tests", str(failures + passed))
        suite.set("failures", str(failures))
    return ET.tostring(_cleaned(root), encoding="unicode") + "\n"


def write(report: dict, out: Path) -> list[Path]:
    """Every output under ``out``; the paths written."""
    written = []

    def put(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text)
        written.append(path)

    put(out / "results.json", json.dumps(report, indent=1, ensure_ascii=True, sort_keys=False) + "\n")
    put(out / "index.html", html.index(report))
    put(out / "summary.md", markdown(report))
    for name, impl in report["implementations"].items():
        put(out / "impl" / f"{name}.html", html.implementation(report, name))
        put(out / "junit" / f"{name}.xml", junit(impl))
    return written
