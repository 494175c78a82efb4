"""The HTML page around reports and comparisons: one self-contained file, inline CSS, no script.

Nothing on the page refers to anything outside it (no stylesheet, font, image or script
URL), so it reads the same offline, from an object store download or an email attachment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

__all__ = ["figure", "page", "section", "table"]

_CSS = """
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd}
h3{font-size:14px;margin:16px 0 4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}
td.n{text-align:right}th{background:#f4f4f4}
figure{margin:8px 0}figcaption{font-size:12px;color:#555}
.grid{display:flex;flex-wrap:wrap;gap:8px 16px}.grid figure{margin:0}
.note{color:#555;font-size:13px}.warn{color:#a33}
"""


def page(title: str, body: Sequence[str]) -> str:
    """A complete HTML document with ``body`` (already HTML) under an ``<h1>`` title."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def section(title: str, *parts: str) -> str:
    return f"<section><h2>{escape(title)}</h2>\n" + "\n".join(parts) + "\n</section>"


def figure(svg: str, caption: str = "") -> str:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; cells are escaped text."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(str(c)) for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_NUMBER = re.compile(r"[-+]?[\d,.]+[%kMGB]*( [/(].*)?")


def _cell(text: str) -> str:
    """A table cell; numbers (``1,234``, ``12.5%``, ``0.1 / 0.5 / 0.9``) align right."""
    numeric = bool(_NUMBER.fullmatch(text)) or text == "-"
    return f'<td class="n">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"
