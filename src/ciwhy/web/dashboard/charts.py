"""Charts as SVG strings, drawn on the server: a bar or line chart with axes, and a sparkline.

Pure: numbers and labels in, markup out; every label is escaped here, so the result is safe to
put in a page as it is (it is returned as `Markup`). Each chart is an image to assistive
technology (`role="img"`, an `aria-label` and a `<title>`), and each bar or point carries its
own `<title>` for a tooltip. Colours come from CSS classes, so light and dark schemes apply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

Point = tuple[str, float]

#: Space around the plot for the axis labels, in viewBox units.
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 8, 10, 24


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _num(v: float) -> str:
    """A coordinate, short: 12.5, 3 (not 3.0), never an exponent."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k that is >= value (1 for nothing to show)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return float(step * exp)
    return float(10 * exp)  # pragma: no cover - the loop always returns


def _fmt_tick(v: float) -> str:
    if v >= 1000:
        return f"{v / 1000:g}k"
    return f"{v:g}"


def _open(width: int, height: int, label: str, css: str) -> list[str]:
    lab = _attr(label)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {_attr(css)}" '
        f'viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{lab}" focusable="false">',
        f"<title>{lab}</title>",
    ]


def _x_labels(n: int, every: int | None) -> int:
    """Label every k-th point so that about 8 labels fit."""
    return every if every else max(1, math.ceil(n / 8))


def chart(
    points: Sequence[Point],
    *,
    label: str,
    kind: str = "bar",
    unit: str = "",
    width: int = 640,
    height: int = 200,
    label_every: int | None = None,
) -> Markup:
    """A bar (`kind="bar"`) or line (`kind="line"`) chart of (x label, value) points, with a
    y axis from 0 to a round maximum (three ticks) and x labels spaced to fit."""
    if kind not in DRAW:
        raise ValueError(f"kind must be one of {', '.join(DRAW)}")
    values = [max(0.0, float(v)) if math.isfinite(v) else 0.0 for _, v in points]
    top = nice_ceiling(max(values, default=0))
    plot_w = width - PAD_LEFT - PAD_RIGHT
    plot_h = height - PAD_TOP - PAD_BOTTOM
    base = PAD_TOP + plot_h
    out = _open(width, height, label, f"chart-{kind}")
    out.append('<g class="axis">')
    for frac in (0, 0.5, 1):
        y = base - plot_h * frac
        out.append(
            f'<line x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" y1="{_num(y)}" y2="{_num(y)}"/>'
            f'<text x="{PAD_LEFT - 4}" y="{_num(y + 4)}" text-anchor="end">'
            f"{escape(_fmt_tick(top * frac))}</text>"
        )
    out.append("</g>")
    n = len(points)
    if n:
        slot = plot_w / n
        out.append(DRAW[kind](points, values, top, slot, base, plot_h, unit))
        every = _x_labels(n, label_every)
        out.append('<g class="axis x">')
        for i, (x_label, _) in enumerate(points):
            if i % every == 0:
                x = PAD_LEFT + slot * (i + 0.5)
                out.append(
                    f'<text x="{_num(x)}" y="{height - 6}" text-anchor="middle">'
                    f"{escape(x_label)}</text>"
                )
        out.append("</g>")
    else:
        out.append(
            f'<text class="empty" x="{width / 2:g}" y="{PAD_TOP + plot_h / 2:g}" '
            f'text-anchor="middle">No data</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def _tip(x_label: str, value: float, unit: str) -> str:
    return escape(f"{x_label}: {value:g}{' ' + unit if unit else ''}")


def _bars(
    points: Sequence[Point], values: list[float], top: float, slot: float, base: float,
    plot_h: float, unit: str,
) -> str:  # fmt: skip
    gap = min(4.0, slot * 0.2)
    parts = ['<g class="bars">']
    for i, ((x_label, _), v) in enumerate(zip(points, values, strict=True)):
        h = plot_h * v / top
        x = PAD_LEFT + slot * i + gap / 2
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(base - h)}" width="{_num(slot - gap)}" '
            f'height="{_num(h)}"><title>{_tip(x_label, v, unit)}</title></rect>'
        )
    parts.append("</g>")
    return "".join(parts)


def _line(
    points: Sequence[Point], values: list[float], top: float, slot: float, base: float,
    plot_h: float, unit: str,
) -> str:  # fmt: skip
    xy = [(PAD_LEFT + slot * (i + 0.5), base - plot_h * v / top) for i, v in enumerate(values)]
    path = " ".join(f"{_num(x)},{_num(y)}" for x, y in xy)
    parts = [f'<g class="line"><polyline points="{path}"/>']
    for (x, y), (x_label, _), v in zip(xy, points, values, strict=True):
        parts.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3">'
            f"<title>{_tip(x_label, v, unit)}</title></circle>"
        )
    parts.append("</g>")
    return "".join(parts)


DRAW = {"bar": _bars, "line": _line}


def sparkline(values: Sequence[float], *, label: str, width: int = 120, height: int = 24) -> Markup:
    """A small line of `values` (oldest first) scaled to its own maximum, with no axes; the
    last value is marked with a dot."""
    vals = [max(0.0, float(v)) if math.isfinite(v) else 0.0 for v in values]
    out = _open(width, height, label, "spark")
    if vals:
        top = max(vals) or 1.0
        step = width / max(1, len(vals) - 1) if len(vals) > 1 else 0.0
        xy = [(step * i if len(vals) > 1 else width / 2, height - 2 - (height - 4) * v / top)
              for i, v in enumerate(vals)]  # fmt: skip
        out.append(f'<polyline points="{" ".join(f"{_num(x)},{_num(y)}" for x, y in xy)}"/>')
        x, y = xy[-1]
        out.append(f'<circle cx="{_num(min(x, width - 2))}" cy="{_num(y)}" r="2"/>')
    out.append("</svg>")
    return Markup("".join(out))
