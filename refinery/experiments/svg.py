"""Static SVG charts for reports: horizontal bars, grouped bars and column histograms.

Each function returns one self-contained ``<svg>`` element (explicit ``width``/``height`` and
``viewBox``, a ``<title>``, no script, no external reference), so a page that inlines it
draws the chart offline, in any browser, and prints it. Labels are escaped here; callers
pass plain strings.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from html import escape

__all__ = ["PALETTE", "bar_chart", "column_chart", "compact", "grouped_bar_chart"]

PALETTE = ("#3b6ea8", "#d9822b", "#4f9a5b", "#b5475a", "#7a5fa8", "#8a7452", "#3d9aa8")
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'
_BAR_H = 16
_GAP = 6
_LABEL_MAX = 320


def compact(value: float) -> str:
    """A short number for labels: 950, 12.3k, 4.5M, 0.25."""
    if value != value:  # NaN
        return "nan"
    a = abs(value)
    if a >= 1e9:
        return f"{value / 1e9:.3g}G"
    if a >= 1e6:
        return f"{value / 1e6:.3g}M"
    if a >= 1e4:
        return f"{value / 1e3:.3g}k"
    if a >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _text_width(text: str) -> int:
    """Approximate pixel width of ``text`` at 12 px: wide (CJK) characters count double."""
    return sum(
        12 if unicodedata.east_asian_width(c) in "WF" else 9 if c.isupper() or c in "mwMW" else 7
        for c in text
    )


def _fit(text: str, pixels: int) -> str:
    """``text`` cut with an ellipsis to about ``pixels`` wide (the full text goes in a title)."""
    if _text_width(text) <= pixels:
        return text
    out = ""
    for c in text:
        if _text_width(out + c + "…") > pixels:
            break
        out += c
    return out + "…"


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]


def bar_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    value_labels: Sequence[str] | None = None,
    width: int = 720,
    color: str = PALETTE[0],
) -> str:
    """Horizontal bars, one per ``(label, value)``, longest bar = largest value.

    ``value_labels`` (one per item) are printed after each bar; default the value itself."""
    if not items:
        raise ValueError("a bar chart needs at least one item")
    labels = value_labels or [compact(v) for _, v in items]
    label_w = min(_LABEL_MAX, max(_text_width(k) for k, _ in items) + 10)
    value_w = max(_text_width(v) for v in labels) + 10
    plot_w = max(80, width - label_w - value_w)
    top = max((v for _, v in items), default=0.0) or 1.0
    height = len(items) * (_BAR_H + _GAP) + _GAP
    out = _open(width, height, title)
    for i, ((name, value), shown) in enumerate(zip(items, labels, strict=True)):
        y = _GAP + i * (_BAR_H + _GAP)
        w = max(1.0, plot_w * max(value, 0.0) / top) if value > 0 else 0.0
        out.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" {_FONT}>{escape(_fit(name, label_w - 10))}</text>'
        )
        out.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{_BAR_H}" fill="{color}">'
            f"<title>{escape(name)}: {escape(shown)}</title></rect>"
        )
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" {_FONT}>{escape(shown)}</text>')
    out.append("</svg>")
    return "".join(out)


def grouped_bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str,
    width: int = 720,
) -> str:
    """Horizontal bars grouped by category, one colour per series, with a legend on top."""
    if not categories or not series:
        raise ValueError("a grouped bar chart needs categories and series")
    label_w = min(_LABEL_MAX, max(_text_width(c) for c in categories) + 10)
    value_w = 70
    plot_w = max(80, width - label_w - value_w)
    top = max((v for _, vals in series for v in vals), default=0.0) or 1.0
    legend_h = 22
    bar_h = 12
    group_h = len(series) * bar_h + 10
    height = legend_h + len(categories) * group_h + _GAP
    out = _open(width, height, title)
    x = label_w
    for j, (name, _) in enumerate(series):
        color = PALETTE[j % len(PALETTE)]
        out.append(f'<rect x="{x}" y="5" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{x + 16}" y="15" {_FONT}>{escape(name)}</text>')
        x += 16 + _text_width(name) + 16
    for i, cat in enumerate(categories):
        y0 = legend_h + i * group_h
        mid = y0 + (len(series) * bar_h) / 2 + 4
        out.append(
            f'<text x="{label_w - 6}" y="{mid:.1f}" text-anchor="end" {_FONT}>{escape(_fit(cat, label_w - 10))}</text>'
        )
        for j, (name, vals) in enumerate(series):
            value = vals[i] if i < len(vals) else 0.0
            w = max(1.0, plot_w * value / top) if value > 0 else 0.0
            y = y0 + j * bar_h
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(cat)}, {escape(name)}: '
                f"{compact(value)}</title></rect>"
            )
            out.append(
                f'<text x="{label_w + w + 4:.1f}" y="{y + 9}" font-family="system-ui, '
                f'sans-serif" font-size="10">{compact(value)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def column_chart(
    labels: Sequence[str],
    values: Sequence[float],
    title: str,
    width: int = 340,
    height: int = 170,
    color: str = PALETTE[0],
    max_ticks: int = 6,
) -> str:
    """Vertical columns (a histogram over ordered bins), at most ``max_ticks`` x labels."""
    if not values or len(labels) != len(values):
        raise ValueError("a column chart needs one label per value")
    left, bottom, top_pad = 44, 22, 8
    plot_w = width - left - 8
    plot_h = height - bottom - top_pad
    top = max(values) or 1.0
    col_w = plot_w / len(values)
    out = _open(width, height, title)
    out.append(
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{left + plot_w}" '
        f'y2="{top_pad + plot_h}" stroke="#888" stroke-width="1"/>'
    )
    out.append(f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end" {_FONT}>')
    out.append(f"{compact(top)}</text>")
    out.append(f'<text x="{left - 4}" y="{top_pad + plot_h}" text-anchor="end" {_FONT}>0</text>')
    for i, (name, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top if value > 0 else 0.0
        h = max(h, 1.0) if value > 0 else 0.0
        x = left + i * col_w
        out.append(
            f'<rect x="{x + 0.5:.1f}" y="{top_pad + plot_h - h:.1f}" '
            f'width="{max(col_w - 1, 0.5):.1f}" height="{h:.1f}" fill="{color}">'
            f"<title>{escape(name)}: {compact(value)}</title></rect>"
        )
    step = max(1, math.ceil(len(labels) / max_ticks))
    for i in range(0, len(labels), step):
        x = left + i * col_w + col_w / 2
        out.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-family="system-ui, '
            f'sans-serif" font-size="10">{escape(labels[i])}</text>'
        )
    out.append("</svg>")
    return "".join(out)
