"""The compatibility report as static HTML: ``index.html`` (the matrix) and one page per implementation.

Everything that came from an endpoint, a manifest or a library's version output goes
through ``esc`` (HTML-escaped) or ``shown_bytes`` (hex plus a printable rendering): no byte
of it reaches the page as markup.  The pages load nothing: inline CSS, no script, and a
Content-Security-Policy that forbids scripts even if escaping were ever wrong.
"""

from __future__ import annotations

import html

from wirecheck.checks import BEHAVIOURS, compact_hex

from .costs import cost_state, costed

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#c9d1d9;font-size:13px}main{padding:20px 32px;max-width:1500px}
h2{font-size:18px;margin:28px 0 8px}table{border-collapse:collapse;background:#fff;font-size:13px}
th,td{border:1px solid #d0d7de;padding:5px 8px;vertical-align:top;text-align:left}
th{background:#eef1f4;font-weight:600}td.pass{background:#dafbe1;color:#116329;font-weight:600}
td.fail{background:#fff8c5}td.na,td.notrun{background:#f0f0f0;color:#57606a}td.none{color:#aaa}
.b{display:inline-block;margin:1px 2px;padding:0 6px;border-radius:10px;background:#ffebe9;color:#82071e;
border:1px solid #ffcecb;font-size:12px;white-space:nowrap}.b.u{background:#eee;color:#333;border-color:#ccc}
.lang{color:#57606a;font-size:12px}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;margin:12px 0}
.muted{color:#57606a}a{color:#0969da;text-decoration:none}.legend span{margin-right:14px}
td.mark{text-align:center;font-weight:700;color:#82071e}
"""


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def printable(hex_text: str, limit: int = 2048) -> str:
    """Bytes (given as hex) as text a reader can scan: printable ASCII kept, the rest as \\xNN."""
    try:
        data = bytes.fromhex(hex_text[: 2 * limit])
    except ValueError:
        return "(not hex)"
    out = "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x5C else f"\\x{b:02x}" for b in data)
    return out + ("..." if len(hex_text) > 2 * limit else "")


def shown_bytes(hex_text: str, limit: int = 256) -> str:
    """Bytes (as hex) shown twice: compact hex (runs as ``61*1024``) and text; the first ``limit`` bytes."""
    try:
        data = bytes.fromhex(hex_text)
    except ValueError:
        return f"<pre>{esc(hex_text[:200])} (not hex)</pre>"
    more = f" ... ({len(data)} bytes in all)" if len(data) > limit else ""
    head = compact_hex(data[:limit]) if data else "(empty)"
    return f"<pre>hex  {esc(head)}{more}\ntext {esc(printable(data[:limit].hex(), limit))}{more}</pre>"


def shown_reads(delivery: str) -> str:
    """A delivery as the reads it was cut into, each in compact hex, at most a few hundred characters."""
    if not delivery.startswith("reads "):
        return delivery[:200]
    try:
        reads = [compact_hex(bytes.fromhex(h)) for h in delivery[len("reads ") :].split(",")]
    except ValueError:
        return delivery[:200]
    text = ", ".join(reads)
    return f"{len(reads)} reads: " + (text if len(text) <= 300 else text[:300] + " ...")


def page(title: str, subtitle: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header>"
            f"<main>{body}</main></body></html>\n")  # fmt: skip


def badges(names: list[str]) -> str:
    return "".join(f'<span class="b{" u" if n == "unclassified" else ""}" title="{esc(BEHAVIOURS.get(n, ""))}">'
                   f"{esc(n)}</span>" for n in names)  # fmt: skip


def cell_html(cell: dict | None) -> str:
    if cell is None:
        return '<td class="none">&mdash;</td>'
    state = cell["state"]
    if state == "not-available":
        return '<td class="na">not available</td>'
    if state == "not-run":
        return f'<td class="notrun" title="{esc(cell["reason"])}">not run</td>'
    names = [b["name"] for b in cell["behaviours"]]
    incomplete = ' <span class="muted">(incomplete)</span>' if cell["reason"] else ""
    if not names:
        return f'<td class="pass">pass{incomplete}</td>'
    return f'<td class="fail">{badges(names)}{incomplete}</td>'


def _cost_html(state: str, names: list[str], part: str) -> str:
    if names:
        return f'<td class="fail">{badges(names)}</td>'
    text = {"clean": "linear" if part == "time" else "clean", "none": "&mdash;"}.get(state, state.replace("-", " "))
    return f'<td class="{"pass" if state == "clean" else "notrun"}">{text}</td>'


def _cost_card(cost: dict) -> str:
    """A cell's cost probe: each workload's verdict and exponent, its plot, each memory probe."""
    if cost.get("state") != "ran":
        return f"<div class='card'><b>cost</b>: not run: {esc(cost.get('reason'))}</div>"
    rows = []
    for w in cost.get("time") or []:
        exponent = "" if w.get("exponent") is None else f"{w['exponent']:.2f}"
        above = w.get("exponent_above_linear")
        exponent += "" if above is None else f" ({above:.2f} above linear)"
        rows.append(
            f"<tr><td>{esc(w.get('workload'))}</td><td>{esc(w.get('verdict'))}</td>"
            f"<td>{esc(w.get('behaviour') or '')}</td><td>{esc(exponent)}</td><td>{esc(w.get('why'))}</td></tr>"
        )
    for m in cost.get("memory") or []:
        rows.append(
            f"<tr><td>memory {esc(m.get('probe'))}</td><td>{esc(m.get('verdict'))}</td>"
            f"<td>{esc(m.get('behaviour') or '')}</td><td></td><td>{esc(m.get('why'))}</td></tr>"
        )
    plots = "".join(
        f'<img src="data:image/svg+xml;base64,{esc(w["svg"])}" alt="{esc(w.get("workload"))}: time '
        'against size" width="420" height="280">'
        for w in cost.get("time") or []
        if w.get("svg")
    )
    return (f"<div class='card'><b>cost</b> <span class='muted'>({esc(cost.get('measure'))})</span>"
            f"<table><tr><th>workload</th><th>verdict</th><th>behaviour</th><th>exponent</th><th>figures</th></tr>"
            f"{''.join(rows)}</table>{plots}<pre>{esc(cost.get('command'))}</pre></div>")  # fmt: skip


def index(report: dict) -> str:
    columns = report["columns"]
    rows = report["groups"]
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    with_cost = costed(report)
    if with_cost:
        head += "<th>cost</th><th>memory</th>"
    body = []
    for group in rows:
        names = ", ".join(f'<a href="impl/{esc(n)}.html">{esc(n)}</a>' for n in group["implementations"])
        languages = dict.fromkeys(report["implementations"][n]["language"] for n in group["implementations"])
        lang = f'<div class="lang">{esc(", ".join(languages))}</div>'
        same = f'<div class="lang">{len(group["implementations"])} with identical results</div>' if len(
            group["implementations"]) > 1 else ""  # fmt: skip
        cells = "".join(cell_html(group["cells"].get(c)) for c in columns)
        if with_cost:
            own = report["implementations"][group["implementations"][0]]["cells"]
            cells += "".join(_cost_html(*cost_state(own, part), part) for part in ("time", "memory"))
        body.append(f"<tr><th>{names}{lang}{same}</th>{cells}</tr>")
    matrix = f"<table><tr><th>implementation</th>{head}</tr>{''.join(body)}</table>"
    found = report["behaviour_table"]
    impls = [n for n in report["implementations"] if report["implementations"][n]["state"] != "not-available"]
    bt_head = "".join(f'<th><a href="impl/{esc(n)}.html">{esc(n)}</a></th>' for n in impls)
    bt_rows = []
    for name in BEHAVIOURS:
        if name not in found:
            continue
        marks = "".join('<td class="mark">&#9679;</td>' if n in found[name] else "<td></td>" for n in impls)
        bt_rows.append(f'<tr><th><span class="b">{esc(name)}</span><div class="lang">{esc(BEHAVIOURS[name])}'
                       f"</div></th>{marks}</tr>")  # fmt: skip
    behaviours = f"<table><tr><th>behaviour</th>{bt_head}</tr>{''.join(bt_rows)}</table>" if bt_rows else (
        "<p>No implementation showed any behaviour.</p>")  # fmt: skip
    missing = [i for i in report["implementations"].values() if i["state"] == "not-available"]
    na = ""
    if missing:
        items = "".join(f"<li><b>{esc(i['name'])}</b> ({esc(i['language'])}): {esc(i['reason'])}; install: "
                        f"<code>{esc(' && '.join(i['install']))}</code></li>" for i in missing)  # fmt: skip
        na = f"<h2>Not available here</h2><p class='muted'>Listed, never failed.</p><ul>{items}</ul>"
    p = report["provenance"]
    prov = (f"<div class='card muted'>wirecheck {esc(p['wirecheck'])} &middot; vectors sha256 "
            f"<code>{esc(str(p['vectors_sha256'])[:16])}</code> &middot; seed {esc(p['seed'])}, "
            f"{esc(p['examples'])} examples per property &middot; {esc(p['platform'])} &middot; {esc(p['date'])}"
            f" &middot; {esc(p['wall_time'])} s</div>")  # fmt: skip
    legend = ("<p class='legend muted'><span><b>pass</b>: every vector and property held</span>"
              "<span><span class='b'>name</span>: a behaviour found (hover for its meaning; the implementation's "
              "page has the evidence)</span><span><b>&mdash;</b>: not declared</span></p>")  # fmt: skip
    body_html = (f"{prov}<h2>Implementations &times; configurations</h2>{legend}{matrix}"
                 f"<h2>Behaviours &times; implementations</h2>{behaviours}{na}")  # fmt: skip
    subtitle = (f"{len(report['implementations'])} implementations, {len(columns)} configurations: "
                "which framing decoders agree with the specification and with each other")  # fmt: skip
    return page("wirecheck compatibility report", subtitle, body_html)


def implementation(report: dict, name: str) -> str:
    impl = report["implementations"][name]
    info = (f"<div class='card'><b>{esc(impl['library'])}</b> &middot; {esc(impl['language'])} &middot; version "
            f"<code>{esc(impl['version'] or 'unknown')}</code> &middot; <a href=\"{esc(_safe_url(impl['home']))}\">"
            f"{esc(impl['home'])}</a><p>{esc(impl['summary'])}</p>"
            + (f"<p class='muted'>{esc(impl['notes'])}</p>" if impl["notes"] else "") + "</div>")  # fmt: skip
    parts = [info, '<p><a href="../index.html">&larr; the matrix</a></p>']
    for cell in impl["cells"]:
        parts.append(f"<h2>{esc(cell['configuration'])}</h2>")
        if cell["state"] != "ran":
            parts.append(f"<p class='muted'>{esc(cell['state'].replace('-', ' '))}: {esc(cell['reason'])}</p>")
            continue
        c = cell["counts"]
        parts.append(f"<p class='muted'>vectors: {c['passed']} passed, {c['failed']} failed; properties: "
                     f"{c['held']} held, {c['properties_failed']} failed &middot; {cell['duration']} s"
                     + (f" &middot; incomplete: {esc(cell['reason'])}" if cell["reason"] else "") + "</p>")  # fmt: skip
        parts.append(f"<pre>{esc(cell['command'])}</pre>")
        if not cell["behaviours"]:
            parts.append("<p>Every vector and property held.</p>")
        for b in cell["behaviours"] + cell["also"]:
            parts.append(_behaviour_card(b, b in cell["also"]))
        if cell.get("cost"):
            parts.append(_cost_card(cell["cost"]))
    return page(f"{name}: wirecheck compatibility report", impl["summary"], "".join(parts))


def _behaviour_card(b: dict, also: bool) -> str:
    ev = b["evidence"]
    trace = ""
    if ev["trace"]:
        rows = "".join(f"<tr><td>{esc(t.get('direction'))}</td><td>{esc(t.get('offset'))}</td>"
                       f"<td>{esc(t.get('time'))}</td><td><code>{esc(str(t.get('bytes'))[:256])}</code></td>"
                       f"<td><code>{esc(printable(str(t.get('bytes')), 128))}</code></td></tr>"
                       for t in ev["trace"])  # fmt: skip
        trace = (
            f"<details><summary>wire trace</summary><table><tr><th>dir</th><th>offset</th><th>s</th>"
            f"<th>hex</th><th>text</th></tr>{rows}</table></details>"
        )
    frames = ev.get("observed") or []
    observed = ("<p>Frames it delivered:</p>" + "".join(shown_bytes(f) for f in frames)) if frames else ""
    note = (
        "<p class='muted'>Also seen as this; explained by another behaviour of the same configuration.</p>"
        if also
        else ""
    )
    return (f"<div class='card'><span class='b'>{esc(b['name'])}</span> it {esc(b['sentence'])} "
            f"<span class='muted'>({b['count']} failing checks)</span>{note}"
            f"<p>Shortest evidence: {esc(ev['kind'])} <code>{esc(ev['id'])}</code>"
            + (f", delivered {esc(shown_reads(ev['delivery']))}" if ev["delivery"] else "") + "</p>"
            f"{shown_bytes(ev['input'])}<p class='muted'>{esc(ev['detail'][:600])}</p>{observed}"
            f"<p>Replay:</p><pre>{esc(ev['replay'])}</pre>{trace}</div>")  # fmt: skip


def _safe_url(url: str) -> str:
    return url if url.startswith(("https://", "http://")) else "#"
