"""Markup stripped to its text before shingling, so that renderings of one text agree.

The same page reaches a corpus as HTML, as Markdown or reStructuredText source, or as
extracted text. Their shingles differ by what the markup adds that a tokenizer keeps: tag
and attribute names, URLs of links, entity names, role and directive names, list numbers.
Markup made of punctuation alone (``**``, ``==== ``, ``> ``, table rules) needs no rule:
word tokens are runs of ``\\w`` and character shingles drop punctuation (``shingles.py``).

A document is treated as markup only where it looks like it. One RE2 pass over the batch
(``pyarrow.compute``; ~700 MB/s) finds the documents holding any markup construct; only
those are classified:

- **HTML**: at least three tags of common HTML elements (``<p``, ``</div>``, ``<a href``...).
  Script, style, head and comments are dropped with their content, the other tags are
  replaced by a space, entities are decoded (Python's ``html.unescape``).
- **Lightweight markup** (Markdown, reStructuredText): a Markdown link or heading, a code
  fence, an RST role, hyperlink reference or explicit markup line. Link targets are dropped
  and their text kept (``[text](url)``, ``\\`text <url>\\`_``, ``:ref:\\`text\\```);
  directive, link-target and fence lines are dropped; list numbers are dropped.

Everything else passes through unchanged. This is a normalisation for comparison only: the
text a stage outputs is never changed.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.dedup.normalize import splice

__all__ = ["looks_like_html", "looks_like_markup", "strip_markup"]

_HTML_ELEMENTS = (
    "html|head|body|div|p|span|a|h[1-6]|ul|ol|li|table|tr|td|th|br|pre|code|em|strong|b|i|tt"
    "|section|article|nav|header|footer|main|img|dl|dt|dd|blockquote|hr|title|meta|link"
)
#: One opening or closing tag of a common HTML element.
_HTML_TAG = rf"(?i)</?(?:{_HTML_ELEMENTS})(?:\s[^<>]*)?/?>"
_MIN_HTML_TAGS = 3

#: Constructs that only lightweight markup uses (Markdown links and headings, code fences;
#: RST roles, hyperlink references and explicit markup blocks).
_LIGHT = (
    r"(?m)\]\([^)\n]*\)|^#{1,6}[ \t]+\S|^[ \t]*```|:[A-Za-z][\w.+-]*:`[^`\n]+`"
    r"|`[^`\n]+`__?(?:\W|$)|^\.\. [\w|_:-]"
)

#: Any of the constructs above, loosely: the one pass over every document of a batch.
_ANY = (
    r"</?(?i:p|div|span|a|h[1-6]|li|ul|ol|br|td|pre|code|html|body|head|table|section)[\s>/]"
    r"|\]\(|```|:[A-Za-z][\w.+-]*:`|`__?(?:\W|$)|(?:^|\n)\.\. |(?:^|\n)#{1,6}[ \t]"
)

# (RE2 pattern, replacement) applied in order to lightweight markup documents.
_LIGHT_RULES: tuple[tuple[str, str], ...] = (
    # fenced code: the fence lines (and their info string) go, the code stays
    (r"(?m)^[ \t]*```[^\n]*$", ""),
    # RST explicit markup: directives (".. note::"), link targets (".. _x: url"), comments
    (r"(?m)^[ \t]*\.\. [^\n]*$", ""),
    # images keep no text, links keep theirs: ![alt](src), [text](url), [text][ref]
    (r"!\[[^\]\n]*\]\([^)\n]*\)", " "),
    (r"\[([^\]\n]*)\]\([^)\n]*\)", r"\1"),
    (r"\[([^\]\n]+)\]\[[^\]\n]*\]", r"\1"),
    # Markdown reference definitions: "[ref]: http://..."
    (r"(?m)^[ \t]*\[[^\]\n]+\]:[ \t]*\S+[^\n]*$", ""),
    # RST hyperlink references: `text <url>`_ and `text`_ ; roles :ref:`text <label>`
    (r"`([^`<\n]*?)\s*<[^`>\n]*>`__?", r"\1"),
    (r":[A-Za-z][\w.+-]*:`([^`<\n]*?)\s*<[^`>\n]*>`", r"\1"),
    (r":[A-Za-z][\w.+-]*:`([^`\n]*)`", r"\1"),
    (r"`([^`\n]+)`__?", r"\1"),
    # ordered-list numbers ("1.", "2)", "#."): HTML renders them, its text does not hold them
    (r"(?m)^([ \t]*)(?:\d{1,3}|#)[.)][ \t]+", r"\1"),
    # autolinks <http://...> keep the URL as text, as a browser shows it
    (r"<((?:https?|ftp|mailto):[^>\s]+)>", r"\1"),
)

_HTML_DROP = re.compile(
    r"<(script|style|head|template|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!\[CDATA\[.*?\]\]>"
    r"|<!DOCTYPE[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG_ANY = re.compile(r"</?[A-Za-z][^<>]*>")


def _as_large_string(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.string())
    return pc.fill_null(texts.cast(pa.large_string()), "")


def looks_like_html(texts: pa.Array) -> np.ndarray:
    """Boolean per document: at least three tags of common HTML elements."""
    if len(texts) == 0:
        return np.zeros(0, dtype=bool)
    maybe = pc.fill_null(pc.match_substring(texts, "<"), False)
    counts = pc.count_substring_regex(pc.if_else(maybe, texts, ""), _HTML_TAG)
    out: np.ndarray = pc.greater_equal(counts, _MIN_HTML_TAGS).to_numpy(zero_copy_only=False)
    return out


def looks_like_markup(texts: pa.Array) -> np.ndarray:
    """Boolean per document: a construct only Markdown or reStructuredText uses."""
    if len(texts) == 0:
        return np.zeros(0, dtype=bool)
    out: np.ndarray = pc.fill_null(pc.match_substring_regex(texts, _LIGHT), False).to_numpy(
        zero_copy_only=False
    )
    return out


def _strip_html(text: str) -> str:
    text = _HTML_DROP.sub(" ", text)
    text = _HTML_TAG_ANY.sub(" ", text)
    return html.unescape(text)


def _strip_light(texts: pa.Array) -> pa.Array:
    for pattern, replacement in _LIGHT_RULES:
        texts = pc.replace_substring_regex(texts, pattern, replacement)
    return texts


def strip_markup(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``texts`` (as large_string, nulls empty) with the markup of markup documents removed."""
    arr = _as_large_string(texts)
    if len(arr) == 0:
        return arr
    maybe = np.flatnonzero(
        pc.fill_null(pc.match_substring_regex(arr, _ANY), False).to_numpy(zero_copy_only=False)
    )
    if len(maybe) == 0:
        return arr
    sub = arr.take(pa.array(maybe))
    is_html = looks_like_html(sub)
    light = ~is_html & looks_like_markup(sub)
    rows: list[np.ndarray] = []
    parts: list[pa.Array] = []
    idx_html = np.flatnonzero(is_html)
    if len(idx_html):
        pages = sub.take(pa.array(idx_html)).to_pylist()
        parts.append(pa.array([_strip_html(t) for t in pages], pa.large_string()))
        rows.append(maybe[idx_html])
    idx_light = np.flatnonzero(light)
    if len(idx_light):
        parts.append(_strip_light(sub.take(pa.array(idx_light))))
        rows.append(maybe[idx_light])
    if not rows:
        return arr
    return splice(arr, np.concatenate(rows), pa.concat_arrays(parts))
