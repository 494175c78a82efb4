"""Runs side by side: documents and tokens (or bytes) per stage, rejection reasons, score
quantiles and the language mix, as tables for a terminal, Markdown or an HTML page.

The first run is the baseline: counts of the others carry their change against it. A sweep
directory (one holding ``sweep.json``) stands for its variants, in sweep order.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from html import escape
from typing import Any

from refinery.experiments.page import figure, page, section, table
from refinery.experiments.profile import RunProfile, profile_run, tokens_of
from refinery.experiments.svg import grouped_bar_chart

__all__ = [
    "SWEEP_INDEX",
    "Comparison",
    "Table",
    "compare_runs",
    "expand_runs",
    "to_html",
    "to_markdown",
]

SWEEP_INDEX = "sweep.json"
_KEY_HEADERS = ("", "stage", "reason", "column", "language")
QUANTILES = (0.1, 0.5, 0.9)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass
class Comparison:
    labels: list[str]
    profiles: list[RunProfile]
    tables: list[Table] = field(default_factory=list)


def expand_runs(fs: Any, paths: list[str]) -> list[str]:
    """Run directories to compare: a sweep directory stands for its finished variants."""
    out: list[str] = []
    for path in paths:
        index = posixpath.join(path, SWEEP_INDEX)
        if fs.exists(index):
            with fs.open(index, "r", encoding="utf-8") as f:
                sweep = json.load(f)
            out += [
                posixpath.join(path, v["dir"]) for v in sweep["variants"] if v["status"] == "ok"
            ]
        else:
            out.append(path)
    return out


def _labels(paths: list[str]) -> list[str]:
    """Short distinct names: the directory names, with parents added where they repeat."""
    parts = [p.rstrip("/").split("/") for p in paths]
    for depth in range(1, max(len(p) for p in parts) + 1):
        labels = ["/".join(p[-depth:]) for p in parts]
        if len(set(labels)) == len(labels):
            return labels
    return [f"{i}:{p}" for i, p in enumerate(paths)]


def compare_runs(
    fs: Any,
    run_dirs: list[str],
    max_rows: int | None = 1_000_000,
    labels: list[str] | None = None,
) -> Comparison:
    """Profile each run (no text read: lengths are not compared) and build the tables.

    ``labels`` name the runs in the headers (default: their directory names)."""
    if not run_dirs:
        raise ValueError("nothing to compare: no run directory")
    profiles = [profile_run(fs, d, read_text=False, max_rows=max_rows) for d in run_dirs]
    cmp = Comparison(labels=labels or _labels(run_dirs), profiles=profiles)
    cmp.tables = [
        _overview(cmp),
        _per_stage(cmp, "docs_out", "Documents per stage", "documents each stage passed on"),
        _volume(cmp),
        _reasons(cmp),
        _quantiles(cmp),
        _languages(cmp),
    ]
    return cmp


def _delta(value: float, base: float | None) -> str:
    if base is None or base == 0 or value == base:
        return ""
    return f" ({100 * (value - base) / base:+.1f}%)"


def _count_cells(values: list[float | None]) -> list[str]:
    base = values[0]
    cells = []
    for i, v in enumerate(values):
        if v is None:
            cells.append("-")
        else:
            cells.append(f"{v:,.0f}" + (_delta(v, base) if i else ""))
    return cells


def _overview(cmp: Comparison) -> Table:
    rows: list[list[str]] = []
    stats = [p.stats for p in cmp.profiles]
    for key, title in (
        ("docs_in", "documents in"),
        ("docs_out", "documents out"),
        ("docs_rejected", "documents rejected"),
        ("bytes_out", "text bytes out"),
    ):
        rows.append([title, *_count_cells([s.get(key) for s in stats])])
    tokens = [_run_tokens(p) for p in cmp.profiles]
    if any(t is not None for t in tokens):
        rows.append(["tokens out", *_count_cells([float(t) if t else None for t in tokens])])
    rows.append(
        [
            "kept share",
            *(
                f"{100 * s.get('docs_out', 0) / s['docs_in']:.1f}%" if s.get("docs_in") else "-"
                for s in stats
            ),
        ]
    )
    rows.append(["wall seconds", *(str(s.get("seconds", "-")) for s in stats)])
    rows.append(["reconciled", *("yes" if s.get("reconciled") else "NO" for s in stats)])
    return Table("Runs", ["", *cmp.labels], rows)


def _run_tokens(p: RunProfile) -> int | None:
    if isinstance(p.stats.get("tokens_out"), int):
        return int(p.stats["tokens_out"])
    stages = p.stages
    return tokens_of(stages[-1]) if stages else None


def _stage_names(cmp: Comparison) -> list[str]:
    names: list[str] = []
    for p in cmp.profiles:
        names += [s["name"] for s in p.stages if s["name"] not in names]
    return names


def _per_stage(cmp: Comparison, key: str, title: str, note: str) -> Table:
    rows = []
    for name in _stage_names(cmp):
        values: list[float | None] = []
        for p in cmp.profiles:
            st = next((s for s in p.stages if s["name"] == name), None)
            raw = None if st is None else (tokens_of(st) if key == "tokens_out" else st.get(key))
            values.append(None if raw is None else float(raw))
        rows.append([name, *_count_cells(values)])
    return Table(title, ["stage", *cmp.labels], rows, note)


def _volume(cmp: Comparison) -> Table:
    with_tokens = [any(tokens_of(s) is not None for s in p.stages) for p in cmp.profiles]
    if all(with_tokens):
        return _per_stage(cmp, "tokens_out", "Tokens per stage", "tokens each stage passed on")
    note = "UTF-8 bytes of text each stage passed on"
    if any(with_tokens):
        note += " (not every run counts tokens, so bytes are compared)"
    return _per_stage(cmp, "bytes_out", "Text bytes per stage", note)


def _reasons(cmp: Comparison) -> Table:
    keys: list[tuple[str, str]] = []
    for p in cmp.profiles:
        for s in p.stages:
            keys += [
                (s["name"], r)
                for r in sorted(s.get("rejected") or {})
                if (s["name"], r) not in keys
            ]
    rows = []
    for stage, reason in keys:
        values: list[float | None] = []
        for p in cmp.profiles:
            st = next((s for s in p.stages if s["name"] == stage), None)
            values.append(None if st is None else float((st.get("rejected") or {}).get(reason, 0)))
        rows.append([stage, reason, *_count_cells(values)])
    return Table(
        "Rejection reasons",
        ["stage", "reason", *cmp.labels],
        rows,
        "documents rejected per stage and reason",
    )


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.4g}"


def _quantiles(cmp: Comparison) -> Table:
    columns: list[str] = []
    for p in cmp.profiles:
        columns += [c for c, s in p.scores.items() if s.count and c not in columns]
    rows = []
    for c in columns:
        cells = []
        for p in cmp.profiles:
            s = p.scores.get(c)
            cells.append(
                " / ".join(_fmt(q) for q in s.quantiles(QUANTILES))
                if s is not None and s.count
                else "-"
            )
        rows.append([c, *cells])
    note = "p10 / p50 / p90 of each numeric signal column over the kept documents"
    notes = [
        f"{label}: {n}" for label, p in zip(cmp.labels, cmp.profiles, strict=True) for n in p.notes
    ]
    return Table("Score quantiles", ["column", *cmp.labels], rows, "; ".join([note, *notes]))


def _languages(cmp: Comparison) -> Table:
    codes: list[str] = []
    for p in cmp.profiles:
        codes += [c for c in p.languages if c not in codes]
    rows = []
    for code in codes:
        cells = []
        for p in cmp.profiles:
            total = sum(int(v[0] or 0) for v in p.languages.values())
            n = int((p.languages.get(code) or [0])[0] or 0)
            cells.append(f"{100 * n / total:.1f}% ({n:,})" if total else "-")
        rows.append([code, *cells])
    return Table(
        "Language mix", ["language", *cmp.labels], rows, "share of kept documents per `lang` value"
    )


def to_markdown(cmp: Comparison) -> str:
    """The comparison as GitHub-flavoured Markdown tables."""

    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    out = [f"# Comparison of {len(cmp.labels)} runs", ""]
    for t in cmp.tables:
        out += [f"## {t.title}", ""]
        if t.note:
            out += [esc(t.note), ""]
        if not t.rows:
            out += ["(none)", ""]
            continue
        out.append("| " + " | ".join(esc(h) for h in t.headers) + " |")
        out.append("|" + "|".join("---" if h in _KEY_HEADERS else "---:" for h in t.headers) + "|")
        out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in t.rows]
        out.append("")
    return "\n".join(out)


def to_html(cmp: Comparison) -> str:
    """The comparison as a self-contained HTML page: the tables, and charts of documents per
    stage and of the language mix."""
    charts: dict[str, str] = {}
    stages = _stage_names(cmp)
    series = []
    for label, p in zip(cmp.labels, cmp.profiles, strict=True):
        by_name = {s["name"]: float(s.get("docs_out", 0)) for s in p.stages}
        series.append((label, [by_name.get(n, 0.0) for n in stages]))
    if stages:
        charts["Documents per stage"] = figure(
            grouped_bar_chart(stages, series, "documents passed on per stage, per run"),
            "documents each stage passed on, per run",
        )
    codes = list(dict.fromkeys(c for p in cmp.profiles for c in p.languages))
    if codes:
        shares = []
        for label, p in zip(cmp.labels, cmp.profiles, strict=True):
            total = sum(int(v[0] or 0) for v in p.languages.values()) or 1
            shares.append(
                (label, [100 * float((p.languages.get(c) or [0])[0] or 0) / total for c in codes])
            )
        charts["Language mix"] = figure(
            grouped_bar_chart(codes, shares, "share of kept documents per language, per run"),
            "percent of kept documents per language, per run",
        )
    body = []
    for t in cmp.tables:
        parts = [charts[t.title]] if t.title in charts else []
        parts += [f'<p class="note">{escape(t.note)}</p>'] if t.note else []
        parts.append(table(t.headers, t.rows) if t.rows else '<p class="note">(none)</p>')
        body.append(section(t.title, *parts))
    return page(f"Comparison of {len(cmp.labels)} runs", body)
