"""What each text-quality rule rejects on the Chinese documents of the benchmark corpus.

For every rule of gopher_repetition, gopher_quality, c4_quality and fineweb_quality, prints
(as Markdown) the share of Chinese documents that fail it alone (rules are not chained), under
the published English thresholds and under our Chinese ones, the same share on the English
documents for reference, quantiles of each signal, and a few sampled rejected documents per
rule. docs/quality_filters.md quotes its output.

    .venv/bin/python scripts/zh_quality_report.py > /tmp/zh_report.md
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_filters import DEFAULT_CORPUS, read_corpus, to_batches  # noqa: E402

from stages.heuristic.c4 import C4QualityFilter  # noqa: E402
from stages.heuristic.fineweb import FineWebQualityFilter  # noqa: E402
from stages.heuristic.gopher_quality import GopherQualityFilter  # noqa: E402
from stages.heuristic.gopher_repetition import GopherRepetitionFilter  # noqa: E402


def run(stage: Any, docs: list[dict[str, Any]]) -> pa.Table:
    return pa.concat_tables([stage(b) for b in to_batches(docs, 2000)])


def rule_table(
    title: str,
    rules: list[tuple[str, str, Callable[[pa.Table], np.ndarray]]],
    zh_out: pa.Table,
    zh_en_out: pa.Table,
    en_out: pa.Table,
    zh_docs: list[dict[str, Any]],
    samples: int,
    rng: random.Random,
) -> None:
    """rules: (reason code, threshold description, failed(table) -> bool array)."""
    print(f"\n### {title}\n")
    print("| rule | zh: English thresholds | zh: Chinese thresholds | en: English thresholds |")
    print("| --- | ---: | ---: | ---: |")
    rejected: dict[str, list[int]] = {}
    for code, threshold, failed in rules:
        zh_en = failed(zh_en_out)
        zh = failed(zh_out)
        en = failed(en_out)
        rejected[code] = np.flatnonzero(zh).tolist()
        print(
            f"| `{code}` ({threshold}) | {zh_en.mean():.1%} | {zh.mean():.1%} | {en.mean():.1%} |"
        )
    reasons = zh_out["reject_reason"].to_pylist()
    print(
        f"\nAll rules chained, Chinese thresholds: {sum(r is not None for r in reasons) / len(reasons):.1%}"
        f" of {len(reasons)} Chinese documents rejected.\n"
    )
    for code, idx in rejected.items():
        if not idx:
            continue
        print(f"Sampled `{code}` rejects:\n")
        for i in rng.sample(idx, min(samples, len(idx))):
            doc = zh_docs[i]
            snippet = doc["text"][:160].replace("\n", "⏎").replace("|", "\\|")
            print(f"- `{doc['source'].split('/')[-1]}`: {snippet}")
        print()


def col(name: str) -> Callable[[pa.Table], np.ndarray]:
    def get(table: pa.Table) -> np.ndarray:
        values = table[name].cast(pa.float64()).fill_null(np.nan)
        return np.asarray(values.to_numpy(zero_copy_only=False))

    return get


def quantiles(names: list[str], zh_out: pa.Table, en_out: pa.Table) -> None:
    """A Markdown table of the quantiles of each signal, Chinese | English."""
    print("\nSignal quantiles (1/5/10/50/90/95/99%), Chinese | English:\n")
    print("| signal | zh | en |\n| --- | --- | --- |")
    qs = [0.01, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99]
    for name in names:
        row = []
        for values in (col(name)(zh_out), col(name)(en_out)):
            q = np.nanquantile(values, qs) if np.isfinite(values).any() else [np.nan] * len(qs)
            row.append(" / ".join(f"{v:.3g}" for v in q))
        print(f"| `{name}` | {row[0]} | {row[1]} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--en-docs", type=int, default=20_000, help="English docs for reference")
    parser.add_argument("--samples", type=int, default=3, help="sampled rejects per rule")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    docs = read_corpus(args.corpus)
    zh_docs = [d for d in docs if d["lang"] == "zh"]
    en_docs = [d for d in docs if d["lang"] == "en"][: args.en_docs]
    print(f"Corpus: {args.corpus.name}; {len(zh_docs)} Chinese, {len(en_docs)} English documents.")

    def report(title: str, rules: list[Any], *outputs: pa.Table) -> None:
        rule_table(title, rules, *outputs, zh_docs, args.samples, rng)

    def three_ways(cls: Any) -> tuple[pa.Table, pa.Table, pa.Table]:
        """The stage's output on the Chinese documents with its Chinese thresholds, on the
        same documents with the English ones, and on the English documents."""
        return run(cls(), zh_docs), run(cls(chinese=None), zh_docs), run(cls(), en_docs)

    # ---------------------------------------------------------------- gopher_quality
    q = GopherQualityFilter()
    zh_cfg = q.config.chinese
    assert zh_cfg is not None
    outputs = three_ways(GopherQualityFilter)
    zh_o, zh_en_o, en_o = outputs
    en_cfg = q.config

    def lim(field: str, table: pa.Table) -> float:
        # the Chinese profile applies to the zh table only when run with Chinese thresholds
        return float(getattr(zh_cfg if table is zh_o else en_cfg, field) or np.nan)

    def rule(name: str, field: str, below: bool) -> Callable[[pa.Table], np.ndarray]:
        def failed(table: pa.Table) -> np.ndarray:
            values = col(f"gopher_quality_{name}")(table)
            limit = lim(field, table)
            if np.isnan(limit):
                return np.zeros(len(values), dtype=bool)
            with np.errstate(invalid="ignore"):
                return values < limit if below else values > limit

        return failed

    # (reason code, signal column, threshold field, "<" or ">")
    specs = [
        ("gopher_short_doc", "n_words", "min_doc_words", "<"),
        ("gopher_below_avg_threshold", "mean_word_length", "min_avg_word_length", "<"),
        ("gopher_above_avg_threshold", "mean_word_length", "max_avg_word_length", ">"),
        ("gopher_too_many_hashes", "hash_ratio", "max_symbol_word_ratio", ">"),
        ("gopher_too_many_ellipsis", "ellipsis_ratio", "max_symbol_word_ratio", ">"),
        ("gopher_too_many_bullets", "bullet_lines_ratio", "max_bullet_lines_ratio", ">"),
        (
            "gopher_too_many_end_ellipsis",
            "end_ellipsis_lines_ratio",
            "max_ellipsis_lines_ratio",
            ">",
        ),
        ("gopher_below_alpha_threshold", "alpha_words_ratio", "min_alpha_words_ratio", "<"),
        ("gopher_too_few_stop_words", "stop_words", "min_stop_words", "<"),
    ]
    report(
        "gopher_quality",
        [
            (
                code,
                f"{field}: {op} {getattr(en_cfg, field)} / {getattr(zh_cfg, field)}",
                rule(name, field, op == "<"),
            )
            for code, name, field, op in specs
        ],
        *outputs,
    )
    quantiles(
        [
            f"gopher_quality_{name}"
            for name in ("n_words", "mean_word_length", "alpha_words_ratio", "stop_words")
        ],
        zh_o,
        en_o,
    )

    # ------------------------------------------------------------- gopher_repetition
    r = GopherRepetitionFilter()
    rzh = r.config.chinese
    assert rzh is not None
    outputs = three_ways(GopherRepetitionFilter)
    zh_o, zh_en_o, en_o = outputs

    def rep_rule(name: str, en_limit: float, zh_limit: float) -> Callable[[pa.Table], np.ndarray]:
        def failed(table: pa.Table) -> np.ndarray:
            column = f"gopher_repetition_{name}"
            limit = zh_limit if table is zh_o else en_limit
            if column not in table.column_names or not limit:
                return np.zeros(table.num_rows, dtype=bool)
            return col(column)(table) > limit

        return failed

    rules = [
        ("gopher_dup_para_frac", "dup_para_frac", r.config.dup_para_frac, rzh.dup_para_frac),
        (
            "gopher_dup_para_char_frac",
            "dup_para_char_frac",
            r.config.dup_para_char_frac,
            rzh.dup_para_char_frac,
        ),
        ("gopher_dup_line_frac", "dup_line_frac", r.config.dup_line_frac, rzh.dup_line_frac),
        (
            "gopher_dup_line_char_frac",
            "dup_line_char_frac",
            r.config.dup_line_char_frac,
            rzh.dup_line_char_frac,
        ),
    ]
    table_rules = [
        (code, f"> {en_l} / {zh_l}", rep_rule(name, en_l or 0, zh_l or 0))
        for code, name, en_l, zh_l in rules
    ]
    for kind, attr, code in (
        ("top", "top_n_grams", "gopher_top_{n}_gram"),
        ("dup", "dup_n_grams", "gopher_duplicated_{n}_n_grams"),
    ):
        en_n, zh_n = dict(getattr(r.config, attr)), dict(getattr(rzh, attr))
        for n in sorted(set(en_n) | set(zh_n)):
            limits = f"> {en_n.get(n, '-')} / {zh_n.get(n, '-')}"
            failed = rep_rule(f"{kind}_{n}_gram_frac", en_n.get(n, 0), zh_n.get(n, 0))
            table_rules.append((code.format(n=n), limits, failed))
    report(
        "gopher_repetition (thresholds: English / Chinese; '-': not applied)",
        table_rules,
        *outputs,
    )

    # ------------------------------------------------------------------ c4_quality
    outputs = three_ways(C4QualityFilter)
    zh_o, zh_en_o, en_o = outputs

    def reason_is(code: str) -> Callable[[pa.Table], np.ndarray]:
        def failed(table: pa.Table) -> np.ndarray:
            return np.asarray(
                pc.equal(table["reject_reason"], code)
                .fill_null(False)
                .to_numpy(zero_copy_only=False)
            )

        return failed

    c4 = C4QualityFilter().config
    assert c4.chinese is not None
    report(
        "c4_quality (page rules after line cleaning; first failing rule)",
        [
            (
                "c4_too_few_sentences",
                f"< {c4.min_num_sentences} / {c4.chinese.min_num_sentences} sentences, lines of >= {c4.min_words_per_line} / {c4.chinese.min_words_per_line} words",
                reason_is("c4_too_few_sentences"),
            ),
            ("c4_curly_bracket", "'{' in a kept line", reason_is("c4_curly_bracket")),
            ("c4_lorem_ipsum", "'lorem ipsum'", reason_is("c4_lorem_ipsum")),
        ],
        *outputs,
    )

    def lines(table: pa.Table, which: str) -> float:
        return float(pc.sum(table[f"c4_quality_lines_{which}"]).as_py() or 0)

    for label, table in (
        ("zh, Chinese thresholds", zh_o),
        ("zh, English thresholds", zh_en_o),
        ("en", en_o),
    ):
        k, d = lines(table, "kept"), lines(table, "dropped")
        print(f"- lines kept, {label}: {k / max(k + d, 1):.1%}")
    quantiles(["c4_quality_sentences"], zh_o, en_o)

    # -------------------------------------------------------------- fineweb_quality
    outputs = three_ways(FineWebQualityFilter)
    zh_o, zh_en_o, en_o = outputs
    fw = FineWebQualityFilter().config
    assert fw.chinese is not None
    report(
        "fineweb_quality (first failing rule)",
        [
            (
                "fineweb_line_punct_ratio",
                f"< {fw.line_punct_thr} / {fw.chinese.line_punct_thr}",
                reason_is("fineweb_line_punct_ratio"),
            ),
            (
                "fineweb_short_line_ratio",
                f"> {fw.short_line_thr} of lines <= {fw.short_line_length} / {fw.chinese.short_line_length} chars",
                reason_is("fineweb_short_line_ratio"),
            ),
            (
                "fineweb_char_dup_ratio",
                f"> {fw.char_duplicates_ratio} / {fw.chinese.char_duplicates_ratio}",
                reason_is("fineweb_char_dup_ratio"),
            ),
            (
                "fineweb_list_ratio",
                f"> {fw.new_line_ratio} / {fw.chinese.new_line_ratio} newlines per word",
                reason_is("fineweb_list_ratio"),
            ),
        ],
        *outputs,
    )
    quantiles(
        [
            f"fineweb_quality_{name}"
            for name in ("line_punct_ratio", "short_line_ratio", "char_dup_ratio", "list_ratio")
        ],
        zh_o,
        en_o,
    )


if __name__ == "__main__":
    main()
