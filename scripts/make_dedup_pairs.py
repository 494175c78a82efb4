"""Build the labelled near-duplicate pair set (``data/dedup_pairs/``) from real text.

usage: python scripts/make_dedup_pairs.py [--out data/dedup_pairs] [--per-kind 60]

Sources (``../shared/data``, see its README for provenance and licences):
``web_en_zh.jsonl.zst`` (documentation, dictionaries, news, reviews; human-written) and
``html_pages.jsonl.zst`` (raw HTML pages of the same packages). Every transformation below
is written here, independently of ``stages/dedup``: the renderings come from third-party
converters (``markdownify`` for HTML → Markdown, ``docutils`` for reStructuredText → HTML),
the rest from the tables in this file. Deterministic (fixed seed, sorted inputs).

Pairs (``a``, ``b``), ``label`` 1 = duplicate, 0 = distinct look-alike, per ``kind`` and
``lang`` (en, zh):

- ``width`` (1): ``b`` is ``a`` with ASCII letters, digits and punctuation turned full-width
  (U+FF01..U+FF5E, spaces U+3000) or, where ``a`` has full-width forms, half-width;
- ``punct_space`` (1): ``b`` differs only in punctuation and whitespace (Chinese
  punctuation swapped for ASCII or dropped, spaces between characters, lines re-wrapped);
- ``markup`` (1): one page as HTML and as Markdown (``markdownify``), or a reStructuredText
  document and its HTML rendering (``docutils``);
- ``truncated`` (1): ``b`` is the first 35–75 % of ``a``, cut at a line end;
- ``boilerplate`` (1): one body inside two different site templates (header and footer
  lines taken from real pages of other packages);
- ``template_lookalike`` (0): two different bodies inside the same template;
- ``neighbour`` (0): two different chunks of the same source file or package (same
  structure and vocabulary, different content).

Templates are reused by many documents, as a site's navigation is: a line-level dedup
across the set sees them repeated. ``split`` is ``dev`` or ``test`` by a hash of the pair.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared beside the repo
SEED = 20261202

_FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}
_HALF = {v: k for k, v in _FULL.items()}
_ZH_PUNCT = {
    "，": ",",
    "。": ".",
    "、": ",",
    "；": ";",
    "：": ":",
    "？": "?",
    "！": "!",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "（": "(",
    "）": ")",
    "《": "<",
    "》": ">",
    "「": '"',
    "」": '"',
}


def _read(path: Path) -> list[dict[str, Any]]:
    import zstandard

    with open(path, "rb") as f:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8")
        return [json.loads(line) for line in reader]


def to_width(text: str) -> str:
    if any(ch in _HALF for ch in text):
        return "".join(_HALF.get(ch, ch) for ch in text)
    return "".join(_FULL.get(ch, ch) for ch in text)


def punct_space(text: str, lang: str, rng: random.Random) -> str:
    if lang == "zh":
        out = []
        for ch in text:
            if ch in _ZH_PUNCT:
                roll = rng.random()
                out.append("" if roll < 0.3 else _ZH_PUNCT[ch] if roll < 0.8 else ch)
            elif ch == "\n":
                out.append("\n\n" if rng.random() < 0.5 else "\n")
            else:
                out.append(ch + (" " if rng.random() < 0.15 else ""))
        return "".join(out)
    text = re.sub(r"[,;:]", lambda m: "" if rng.random() < 0.5 else m.group(0), text)
    text = text.replace('"', "\u201c").replace("'", "\u2019").replace(" - ", " \u2014 ")
    words = text.split()
    lines, cur = [], []
    for w in words:
        cur.append(w)
        if len(cur) >= rng.randint(6, 14):
            lines.append("  ".join(cur) if rng.random() < 0.2 else " ".join(cur))
            cur = []
    lines.append(" ".join(cur))
    return "\n".join(lines)


def truncate(text: str, rng: random.Random) -> str | None:
    lines = text.split("\n")
    if len(lines) < 4:
        return None
    cut = int(len(text) * rng.uniform(0.35, 0.75))
    pos = text.rfind("\n", 0, cut)
    return text[:pos] if pos > len(text) * 0.25 else None


def html_text(html: str) -> str:
    """Visible text of a page (a small HTMLParser; script/style/head dropped)."""
    from html.parser import HTMLParser

    class _P(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.skip = 0
            self.parts: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in ("script", "style", "head"):
                self.skip += 1
            if tag in ("p", "div", "br", "li", "h1", "h2", "h3", "tr", "pre", "dt", "dd"):
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style", "head") and self.skip:
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    p = _P()
    p.feed(html)
    lines = [" ".join(x.split()) for x in "".join(p.parts).split("\n")]
    return "\n".join(x for x in lines if x)


def templates(pages: list[dict[str, Any]], lang: str, k: int) -> list[tuple[str, str]]:
    """(header, footer) of real pages: their first and last three text lines."""
    out, seen = [], set()
    for page in pages:
        if page["lang"] != lang or page["source"] in seen:
            continue
        lines = html_text(page["html"]).split("\n")
        if len(lines) < 12:
            continue
        seen.add(page["source"])
        out.append(("\n".join(lines[:3]), "\n".join(lines[-3:])))
        if len(out) == k:
            break
    return out


def rst_to_html(text: str) -> str | None:
    from docutils.core import publish_parts

    try:
        parts = publish_parts(
            text,
            writer_name="html",
            settings_overrides={
                "report_level": 5,
                "halt_level": 5,
                "warning_stream": io.StringIO(),
            },
        )
    except Exception:  # noqa: BLE001 - a document docutils cannot read is skipped
        return None
    body = parts["html_body"]
    return None if "problematic" in body or "system-message" in body else body


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("data/dedup_pairs"))
    ap.add_argument("--per-kind", type=int, default=60)
    args = ap.parse_args()
    rng = random.Random(SEED)
    docs = _read(DATA / "web_en_zh.jsonl.zst")
    pages = sorted(_read(DATA / "html_pages.jsonl.zst"), key=lambda p: p["id"])
    rng.shuffle(pages)
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: d["id"]):
        lo, hi = (300, 3000) if d["lang"] == "en" else (150, 1500)
        if lo <= len(d["text"]) <= hi:
            by_lang[d["lang"]].append(d)
    for pool in by_lang.values():
        rng.shuffle(pool)
    used: set[str] = set()
    pairs: list[dict[str, Any]] = []

    def take(lang: str, pred: Any = None) -> dict[str, Any]:
        for d in by_lang[lang]:
            if d["id"] not in used and (pred is None or pred(d)):
                used.add(d["id"])
                return d
        raise RuntimeError(f"ran out of {lang} documents")

    def add(kind: str, lang: str, label: int, a: str, b: str, prov: str) -> None:
        pid = hashlib.sha1(f"{kind}/{lang}/{prov}".encode()).hexdigest()[:12]
        split = "dev" if int(pid, 16) % 2 == 0 else "test"
        pairs.append(
            {
                "pair_id": pid,
                "kind": kind,
                "lang": lang,
                "label": label,
                "split": split,
                "a": a,
                "b": b,
                "provenance": prov,
            }
        )

    n = args.per_kind
    for lang in ("en", "zh"):
        tpl = templates(pages, lang, 8)
        for _ in range(n):
            d = take(lang)
            add("width", lang, 1, d["text"], to_width(d["text"]), d["path"])
            d = take(lang)
            add("punct_space", lang, 1, d["text"], punct_space(d["text"], lang, rng), d["path"])
            d = take(lang, lambda d: truncate(d["text"], random.Random(d["id"])) is not None)
            cut = truncate(d["text"], random.Random(d["id"]))
            assert cut is not None
            add("truncated", lang, 1, d["text"], cut, d["path"])
            d = take(lang)
            (h1, f1), (h2, f2) = rng.sample(tpl, 2)
            add(
                "boilerplate",
                lang,
                1,
                f"{h1}\n{d['text']}\n{f1}",
                f"{h2}\n{d['text']}\n{f2}",
                d["path"],
            )
            d1, d2 = take(lang), take(lang)
            h, f = rng.choice(tpl)
            add(
                "template_lookalike",
                lang,
                0,
                f"{h}\n{d1['text']}\n{f}",
                f"{h}\n{d2['text']}\n{f}",
                f"{d1['path']}|{d2['path']}",
            )
        # neighbours: consecutive chunks of one file, or two documents of one source
        by_src: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in by_lang[lang]:
            if d["id"] not in used:
                by_src[d["source"]].append(d)
        made = 0
        for src in sorted(by_src):
            group = sorted(by_src[src], key=lambda d: d["path"])
            for x, y in list(zip(group[0::2], group[1::2], strict=False))[:4]:
                if made >= n:
                    break
                used.update((x["id"], y["id"]))
                add("neighbour", lang, 0, x["text"], y["text"], f"{x['path']}|{y['path']}")
                made += 1
        # markup: HTML page vs its Markdown; RST source vs its HTML
        from markdownify import markdownify

        made = 0
        for page in pages:
            if page["lang"] != lang or made >= n // 2:
                continue
            if not 2000 <= len(page["html"]) <= 60000:
                continue
            add("markup", lang, 1, page["html"], markdownify(page["html"]), page["path"])
            made += 1
        rst_src = "debian:linux-doc-6.1/linux-docs" + ("" if lang == "en" else "-zh")
        for d in by_lang[lang]:
            if made >= n or d["id"] in used or d["source"] != rst_src:
                continue
            rendered = rst_to_html(d["text"])
            if rendered is None:
                continue
            used.add(d["id"])
            add("markup", lang, 1, d["text"], rendered, d["path"])
            made += 1
    args.out.mkdir(parents=True, exist_ok=True)
    import gzip

    with (
        gzip.GzipFile(args.out / "pairs.jsonl.gz", "wb", mtime=0) as raw,
        io.TextIOWrapper(raw, encoding="utf-8") as f,
    ):
        for p in sorted(pairs, key=lambda p: p["pair_id"]):
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for p in pairs:
        counts[f"{p['kind']}/{p['lang']}/{p['split']}"] += 1
    print(json.dumps(dict(sorted(counts.items())), indent=1))


if __name__ == "__main__":
    main()
