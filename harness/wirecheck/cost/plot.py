"""A small SVG of time against size (both logarithmic), for a workload whose cost grows too fast.

Dashed guides through the smallest point show what linear and quadratic growth would look
like, so the curve reads at a glance; a control measured beside the workload (the same reads
as small frames, over a socket) is drawn in grey.  Every text is escaped: names come from manifests.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT, PAD = 420, 280, 48


def _size_label(n: float) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n:g} B"


def svg(title: str, subtitle: str, points: list[tuple[int, float]], exponent: float | None,
        control: list[tuple[int, float]] = (), excess: float | None = None) -> str:  # fmt: skip
    """The plot of ``points`` ((size, seconds), ascending) titled ``title``, ``subtitle`` under it;
    ``excess`` is the exponent of the part above linear (above ``control`` where it is drawn)."""
    pts = [(s, max(t, 1e-6)) for s, t in points]
    xs = [math.log2(s) for s, _ in pts]
    ys = [math.log10(t) for _, t in pts]
    beside = [(math.log2(s), math.log10(max(t, 1e-6))) for s, t in control]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys + [y for _, y in beside]) - 0.2, max(ys) + 0.2

    def at(x: float, y: float) -> tuple[float, float]:
        px = PAD + (x - x0) / (x1 - x0) * (WIDTH - 2 * PAD)
        py = HEIGHT - PAD - (min(max(y, y0), y1) - y0) / (y1 - y0) * (HEIGHT - 2 * PAD)
        return round(px, 1), round(py, 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="8" y="18" font-size="13">{escape(title)}'
           + ("" if exponent is None else f": time ~ size^{exponent:.2f}")
           + ("" if excess is None else f", above {'its control' if control else 'linear'} ^{excess:.2f}")
           + "</text>",
           f'<text x="8" y="32" font-size="10" fill="#555">{escape(subtitle[:80])}</text>']  # fmt: skip
    left, bottom = at(x0, y0)
    right, top = at(x1, y1)
    out.append(f'<path d="M{left},{top} V{bottom} H{right}" stroke="#444" fill="none"/>')
    for x, (size, _) in zip(xs, pts, strict=True):
        px, _ = at(x, y0)
        out.append(f'<text x="{px}" y="{bottom + 14}" text-anchor="middle">{escape(_size_label(size))}</text>')
    for decade in range(math.floor(y0), math.ceil(y1) + 1):
        if y0 <= decade <= y1:
            _, py = at(x0, decade)
            out.append(f'<text x="{left - 4}" y="{py + 4}" text-anchor="end">{10.0**decade:g} s</text>')
    for slope, label in ((1, "linear"), (2, "quadratic")):
        rise = slope * math.log10(2)  # decades per doubling
        end_x = min(x1, xs[0] + (y1 - ys[0]) / rise)  # where the guide leaves the plot
        (ax, ay), (bx, by) = at(xs[0], ys[0]), at(end_x, ys[0] + rise * (end_x - xs[0]))
        out.append(f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="#999" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{bx - 2}" y="{by - 4}" text-anchor="end" fill="#777">{label}</text>')
    if beside:
        out += _series([at(x, y) for x, y in beside], "#888")
        cx, cy = at(*beside[-1])
        out.append(f'<text x="{cx - 6}" y="{cy + 14}" text-anchor="end" fill="#777">control</text>')
    out += _series([at(x, y) for x, y in zip(xs, ys, strict=True)], "#c0392b")
    out.append(f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle">bytes</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _series(corners: list[tuple[float, float]], colour: str) -> list[str]:
    """A polyline through ``corners`` with a dot at each."""
    path = " ".join(f"{'M' if i == 0 else 'L'}{px},{py}" for i, (px, py) in enumerate(corners))
    return [f'<path d="{path}" stroke="{colour}" stroke-width="2" fill="none"/>'] + [
        f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>' for cx, cy in corners
    ]
