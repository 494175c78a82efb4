"""``report.html``: one run directory as a page of tables and static SVG charts.

Sections: the run, the funnel (documents and bytes, tokens when counted, per stage), rejection
reasons, document lengths, score histograms (every numeric signal column of the kept shards),
the language mix, dedup cluster sizes and PII entities per type (counts only). The page is
built from ``refinery.experiments.profile`` figures, never from document text or ids, and is
deterministic: rebuilding it from the same run directory gives the same bytes.

``try_write_report`` is what a run calls at its end: a report that cannot be built is a
warning, never a failed run. ``refinery report RUN_DIR`` rebuilds it.
"""

from __future__ import annotations

import logging
import posixpath
from html import escape
from typing import Any

from refinery.experiments.page import figure, page, section, table
from refinery.experiments.profile import (
    LENGTH_EDGES,
    MapParts,
    RunProfile,
    profile_run,
    tokens_of,
)
from refinery.experiments.svg import PALETTE, bar_chart, column_chart, compact
from refinery.rundir import REPORT

__all__ = ["REPORT", "render_report", "try_write_report", "write_report"]

QUANTILES = (0.1, 0.5, 0.9)
_CLUSTER_BUCKETS = ((2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, 100))
_TOP_REASONS = 25
log = logging.getLogger(__name__)


def write_report(
    fs: Any, run_dir: str, max_rows: int | None = 1_000_000, map_parts: MapParts | None = None
) -> str:
    """Build ``report.html`` in ``run_dir`` (written under a temporary name, then renamed);
    ``map_parts`` runs the scans of the kept shards (``profile.profile_run``)."""
    from refinery.io.manifest import write_text

    path = posixpath.join(run_dir, REPORT)
    profile = profile_run(fs, run_dir, max_rows=max_rows, map_parts=map_parts)
    write_text(fs, path, render_report(profile))
    return path


def try_write_report(fs: Any, run_dir: str, map_parts: MapParts | None = None) -> str | None:
    """``write_report``, for the end of a run: returns a warning instead of raising."""
    try:
        write_report(fs, run_dir, map_parts=map_parts)
    except Exception as exc:  # a report is a view of the run; it must never fail the run
        warning = f"report.html was not written: {type(exc).__name__}: {_short(exc)}"
        log.warning(warning)
        return warning
    return None


def _short(exc: Exception) -> str:
    # The message of a library error could quote a value; keep the first line, bounded.
    text = str(exc).splitlines()[0] if str(exc) else ""
    return text[:200]


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render_report(p: RunProfile) -> str:
    s = p.stats
    body = [
        _overview(p),
        _funnel(p),
        _reasons(p),
        _lengths(p),
        _scores(p),
        _languages(p),
        _dedup(p),
        _pii(p),
        _counters(p),
    ]
    if p.notes:
        body.append(section("Notes", *(f'<p class="note">{escape(n)}</p>' for n in p.notes)))
    return page(f"Refinery run {s.get('run', '')}", [b for b in body if b])


def _overview(p: RunProfile) -> str:
    s = p.stats
    rows: list[tuple[str, object]] = [
        ("run", s.get("run", "")),
        ("started", s.get("started", "")),
        ("runtime", s.get("runtime", "")),
        ("wall seconds", s.get("seconds", "")),
        (
            "documents in / out / rejected",
            f"{s.get('docs_in', 0):,} / {s.get('docs_out', 0):,} / {s.get('docs_rejected', 0):,}",
        ),
        ("text bytes in / out", f"{s.get('bytes_in', 0):,} / {s.get('bytes_out', 0):,}"),
        ("reconciled", "yes" if s.get("reconciled") else "NO"),
    ]
    gov = s.get("governance") or {}
    if gov.get("confidential_sources"):
        rows.append(("confidential sources", ", ".join(gov["confidential_sources"])))
        rows.append(("redaction stage", gov.get("redaction_stage", "")))
    parts = [
        "<table><tbody>"
        + "".join(
            f'<tr><td class="l">{escape(k)}</td><td class="l">{escape(str(v))}</td></tr>'
            for k, v in rows
        )
        + "</tbody></table>"
    ]
    for problem in s.get("problems") or []:
        parts.append(f'<p class="warn">{escape(str(problem))}</p>')
    return section("Run", *parts)


def _per_stage(
    stages: list[dict[str, Any]],
    values: list[Any],
    title: str,
    caption: str,
    value_labels: list[str] | None = None,
    color: str = PALETTE[0],
) -> str:
    """A figure of one bar per stage: ``values[i]`` is stage ``i``'s."""
    items = [(st["name"], float(v)) for st, v in zip(stages, values, strict=True)]
    return figure(bar_chart(items, title, value_labels, color=color), caption)


def _funnel(p: RunProfile) -> str:
    stages = p.stages
    if not stages:
        return section("Funnel", '<p class="note">stats.json lists no stages</p>')
    docs = [st.get("docs_out", 0) for st in stages]
    nbytes = [st.get("bytes_out", 0) for st in stages]
    docs0, bytes0 = stages[0].get("docs_in", 0), stages[0].get("bytes_in", 0)
    parts = [
        _per_stage(
            stages,
            docs,
            "documents passed on per stage",
            "documents each stage passed on (share of documents read)",
            [f"{n:,} ({_pct(n, docs0)})" for n in docs],
        ),
        _per_stage(
            stages,
            nbytes,
            "text bytes passed on per stage",
            "UTF-8 bytes of text each stage passed on (share of bytes read)",
            [f"{compact(n)}B ({_pct(n, bytes0)})" for n in nbytes],
            color=PALETTE[1],
        ),
    ]
    tokens = [tokens_of(st) for st in stages]
    has_tokens = any(t is not None for t in tokens)
    if has_tokens:
        parts.append(
            _per_stage(
                stages,
                [t or 0 for t in tokens],
                "tokens passed on per stage",
                "tokens each stage passed on",
                color=PALETTE[2],
            )
        )
    headers = ["stage", "docs in", "docs out", "rejected", "bytes in", "bytes out", "seconds"]
    headers += ["tokens out"] if has_tokens else []
    rows = []
    for st, t in zip(stages, tokens, strict=True):
        row: list[object] = [
            st["name"],
            f"{st.get('docs_in', 0):,}",
            f"{st.get('docs_out', 0):,}",
            f"{st.get('docs_rejected', 0):,}",
            f"{st.get('bytes_in', 0):,}",
            f"{st.get('bytes_out', 0):,}",
            st.get("seconds", ""),
        ]
        rows.append(row + ([f"{t:,}" if t is not None else "-"] if has_tokens else []))
    parts.append(table(headers, rows))
    return section("Funnel", *parts)


def _reasons(p: RunProfile) -> str:
    items = [
        (st["name"], reason, int(n), st.get("docs_in", 0))
        for st in p.stages
        for reason, n in (st.get("rejected") or {}).items()
    ]
    if not items:
        return section("Rejection reasons", '<p class="note">no document was rejected</p>')
    items.sort(key=lambda r: (-r[2], r[0], r[1]))
    top = items[:_TOP_REASONS]
    chart = bar_chart(
        [(f"{stage}: {reason}", float(n)) for stage, reason, n, _ in top],
        "documents rejected per reason",
        color="#b5475a",
    )
    caption = "documents rejected, by stage and reason"
    if len(items) > len(top):
        caption += f" (the {len(top)} largest of {len(items)}; all in the table)"
    rows = [[stage, reason, f"{n:,}", _pct(n, docs_in)] for stage, reason, n, docs_in in items]
    return section(
        "Rejection reasons",
        figure(chart, caption),
        table(["stage", "reason", "documents", "of the stage's input"], rows),
    )


def _quantile_text(values: list[float | None]) -> str:
    return " / ".join(compact(v) if v is not None else "-" for v in values)


def _lengths(p: RunProfile) -> str:
    if p.lengths is None or not p.lengths.count:
        return section("Document lengths", '<p class="note">no kept document to measure</p>')
    labels = [compact(e) for e in LENGTH_EDGES[:-1]] + [f"{compact(LENGTH_EDGES[-1])}+"]
    chart = column_chart(
        labels,
        [float(n) for n in p.length_counts],
        "kept documents by length in characters",
        width=720,
        height=200,
        max_ticks=len(labels),
    )
    q = p.lengths.quantiles(QUANTILES)
    caption = (
        f"kept documents per length bin (characters; bins start at the label); "
        f"p10 / p50 / p90: {_quantile_text(q)}; mean {compact(p.lengths.mean or 0)}"
    )
    return section("Document lengths", figure(chart, caption))


def _scores(p: RunProfile) -> str:
    figures = []
    for name, summary in p.scores.items():
        if not summary.count:
            continue
        edges, counts = summary.histogram()
        labels = [compact(e) for e in edges[:-1]]
        chart = column_chart(labels, counts, f"{name} histogram", color="#7a5fa8")
        caption = (
            f"{name}: {summary.count:,} values, mean {compact(summary.mean or 0)}, "
            f"p10 / p50 / p90 {_quantile_text(summary.quantiles(QUANTILES))}"
        )
        if summary.missing:
            caption += f", {summary.missing:,} missing"
        figures.append(figure(chart, caption))
    if not figures:
        return section(
            "Scores", '<p class="note">the kept shards hold no numeric signal column</p>'
        )
    return section("Scores", '<div class="grid">' + "".join(figures) + "</div>")


def _languages(p: RunProfile) -> str:
    if not p.languages:
        return section("Language mix", '<p class="note">the kept shards have no `lang` column</p>')
    docs = sum(int(v[0] or 0) for v in p.languages.values())
    chars = sum(int(v[1] or 0) for v in p.languages.values())
    chart = bar_chart(
        [(code, float(v[0] or 0)) for code, v in p.languages.items()],
        "kept documents per language",
        [f"{v[0]:,} ({_pct(v[0] or 0, docs)})" for v in p.languages.values()],
        color="#3d9aa8",
    )
    rows = [
        [
            code,
            f"{v[0]:,}",
            _pct(v[0] or 0, docs),
            f"{v[1]:,}" if v[1] is not None else "-",
            _pct(v[1] or 0, chars) if chars else "-",
        ]
        for code, v in p.languages.items()
    ]
    return section(
        "Language mix",
        figure(chart, "kept documents per language (the `lang` column)"),
        table(["language", "documents", "share", "characters", "share"], rows),
    )


def _dedup(p: RunProfile) -> str:
    if not p.dedup:
        return ""
    parts = []
    for stage, cs in p.dedup.items():
        buckets = list(_CLUSTER_BUCKETS)
        top = max(cs.sizes, default=2)
        if top > _CLUSTER_BUCKETS[-1][1]:
            buckets.append((_CLUSTER_BUCKETS[-1][1] + 1, top))
        items = []
        for lo, hi in buckets:
            label = str(lo) if lo == hi else (f"{lo}+" if hi == top and lo > 100 else f"{lo}-{hi}")
            items.append((label, float(sum(n for s, n in cs.sizes.items() if lo <= s <= hi))))
        parts.append(f"<h3>{escape(stage)}</h3>")
        parts.append(
            figure(
                bar_chart(items, f"{stage}: clusters by size", color="#8a7452"),
                f"clusters of two or more documents: {cs.clusters:,}; copies removed: "
                f"{cs.removed:,}; largest cluster: {top:,} documents (from {cs.column} of "
                "the rejects)",
            )
        )
    return section("Dedup clusters", *parts)


def _pii(p: RunProfile) -> str:
    parts = []
    for stage, counts in p.pii_counts().items():
        parts.append(f"<h3>{escape(stage)}</h3>")
        if not counts:
            parts.append('<p class="note">no entity found</p>')
            continue
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        parts.append(
            figure(
                bar_chart(
                    [(k, float(v)) for k, v in items],
                    f"{stage}: entities per type",
                    color="#b5475a",
                ),
                "entities redacted per type (counts only)",
            )
        )
    return section("PII entities", *parts) if parts else ""


def _counters(p: RunProfile) -> str:
    rows = [
        [stage, key, f"{value:,}" if isinstance(value, int) else value]
        for stage, counters in p.other_counters().items()
        for key, value in counters.items()
    ]
    return section("Stage counters", table(["stage", "counter", "value"], rows)) if rows else ""
