"""Precision and recall of the PII detector on the labelled set, and a comparison with Presidio.

Scoring: a predicted span matches a gold span of the same type one-to-one. Structured
identifiers must match exactly (a partly masked number still leaks digits); names and addresses
match when their character overlap is at least half of the union (IoU >= 0.5), since where an
address ends is a matter of convention.

Presidio (presidio-analyzer, a benchmark dependency) runs its predefined pattern recognizers
for English with the no-op NLP engine, so no model is loaded; both systems see the same texts in
the same process. On the entity types both support (EMAIL, IP_ADDRESS, IBAN, BANK_CARD ~
CREDIT_CARD, PHONE ~ PHONE_NUMBER) both are scored with IoU >= 0.5, so a span that differs only
by a ``+`` or a bracket counts for either.

The last line is ``pii_recall=<r> pii_precision=<p>`` (micro-averaged over all types).

Usage: python scripts/bench_pii.py [--data tests/data/pii/labelled.jsonl] [--repeat 3] [--no-presidio]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from stages.pii.detector import ENTITY_TYPES, PiiDetector

CHECKSUMMED = ("ID_CARD", "BANK_CARD", "CREDIT_CODE", "IBAN")
FUZZY = ("NAME", "ADDRESS")
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "EMAIL",
    "IP_ADDRESS": "IP_ADDRESS",
    "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "BANK_CARD",
    "PHONE_NUMBER": "PHONE",
}

Span = tuple[int, int, str]


def _iou(a: Span, b: Span) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def _matches(gold: Span, pred: Span, loose: bool) -> bool:
    if gold[2] != pred[2]:
        return False
    if loose or gold[2] in FUZZY:
        return _iou(gold, pred) >= 0.5
    return gold[0] == pred[0] and gold[1] == pred[1]


def score(
    golds: list[list[Span]], preds: list[list[Span]], loose: bool = False
) -> dict[str, list[int]]:
    """type → [true positives, gold count, predicted count]."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gold, pred in zip(golds, preds, strict=True):
        used: set[int] = set()
        for g in gold:
            table[g[2]][1] += 1
            for j, p in enumerate(pred):
                if j not in used and _matches(g, p, loose):
                    used.add(j)
                    table[g[2]][0] += 1
                    break
        for p in pred:
            table[p[2]][2] += 1
    return table


def _pr(tp: int, n_gold: int, n_pred: int) -> tuple[float, float]:
    return (tp / n_gold if n_gold else 1.0), (tp / n_pred if n_pred else 1.0)


def _sum(table: dict[str, list[int]], types: Iterable[str]) -> list[int]:
    rows = [table[t] for t in types if t in table]
    return [sum(r[i] for r in rows) for i in range(3)]


def _timed(
    fns: list[Callable[[str], list[Span]]], texts: list[str], repeat: int
) -> list[tuple[list[list[Span]], float]]:
    """Predictions and docs/s of each function: the best of ``repeat`` passes over the texts,
    passes of the functions interleaved so that load on the machine hits both alike."""
    preds = [[fn(t) for t in texts] for fn in fns]
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            for t in texts:
                fn(t)
            best[k] = min(best[k], time.perf_counter() - start)
    return [(p, len(texts) / b) for p, b in zip(preds, best, strict=True)]


def _presidio() -> Callable[[str], list[Span]]:
    import logging

    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    # Presidio's e-mail recognizer asks tldextract for the public suffix list; use the copy
    # bundled with tldextract so no run (and no timing) depends on the network.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    nlp.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    keep = [r for r in registry.recognizers if type(r).__name__ not in ("SpacyRecognizer",)]
    registry.recognizers = keep
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])

    def run(text: str) -> list[Span]:
        out = []
        for r in engine.analyze(text=text, language="en"):
            kind = PRESIDIO_TYPES.get(r.entity_type)
            if kind is not None:
                out.append((r.start, r.end, kind))
        return out

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="tests/data/pii/labelled.jsonl")
    ap.add_argument("--repeat", type=int, default=5, help="timing passes (best one counts)")
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--errors", action="store_true", help="print missed and spurious spans")
    args = ap.parse_args()

    docs = [
        json.loads(line)
        for line in Path(args.data).read_text(encoding="utf-8").splitlines()
        if line
    ]
    texts = [d["text"] for d in docs]
    golds = [[(e["start"], e["end"], e["type"]) for e in d["entities"]] for d in docs]

    detector = PiiDetector()
    detector.setup()

    def ours(text: str) -> list[Span]:
        return [(e.start, e.end, e.type) for e in detector.detect(text)]

    fns: list[Callable[[str], list[Span]]] = [ours]
    if not args.no_presidio:
        fns.append(_presidio())
    timings = _timed(fns, texts, args.repeat)
    preds, ours_dps = timings[0]
    table = score(golds, preds)

    if args.errors:
        for doc, gold, pred in zip(docs, golds, preds, strict=True):
            missed = [g for g in gold if not any(_matches(g, p, False) for p in pred)]
            extra = [p for p in pred if not any(_matches(g, p, False) for g in gold)]
            for s, e, t in missed:
                print(f"MISS {doc['id']} {t} {doc['text'][s:e]!r}")
            for s, e, t in extra:
                print(f"FP   {doc['id']} {t} {doc['text'][s:e]!r}")

    print(f"{len(docs)} documents, {sum(len(g) for g in golds)} gold spans")
    print(f"{'type':<14}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>9}")
    for t in ENTITY_TYPES:
        tp, ng, np_ = table.get(t, [0, 0, 0])
        r, p = _pr(tp, ng, np_)
        print(f"{t:<14}{ng:>6}{np_:>6}{p:>11.3f}{r:>9.3f}")
    for label, types in (("checksummed", CHECKSUMMED), ("names+addresses", FUZZY)):
        r, p = _pr(*_sum(table, types))
        print(f"{label:<20} precision={p:.3f} recall={r:.3f}")
    recall, precision = _pr(*_sum(table, ENTITY_TYPES))
    print(
        f"ours: {ours_dps:,.0f} docs/s (all {len(ENTITY_TYPES)} types, names with jieba; best of {args.repeat} passes)"
    )

    if not args.no_presidio:
        p_preds, p_dps = timings[1]
        common = sorted(set(PRESIDIO_TYPES.values()))
        ours_loose = score(golds, [[s for s in p if s[2] in common] for p in preds], loose=True)
        theirs = score(golds, p_preds, loose=True)
        print(
            f"presidio {_presidio_version()}: {p_dps:,.0f} docs/s; speed ratio ours/presidio = {ours_dps / p_dps:.1f}x"
        )
        print(f"{'type':<14}{'ours R':>8}{'presidio R':>12}{'ours P':>8}{'presidio P':>12}")
        for t in common:
            orr, op = _pr(*ours_loose.get(t, [0, 0, 0]))
            pr_, pp = _pr(*theirs.get(t, [0, 0, 0]))
            print(f"{t:<14}{orr:>8.3f}{pr_:>12.3f}{op:>8.3f}{pp:>12.3f}")
        orr, op = _pr(*_sum(ours_loose, common))
        pr_, pp = _pr(*_sum(theirs, common))
        print(f"{'common types':<14}{orr:>8.3f}{pr_:>12.3f}{op:>8.3f}{pp:>12.3f}")
    print(f"pii_recall={recall:.4f} pii_precision={precision:.4f}")


def _presidio_version() -> str:
    from importlib.metadata import version

    return version("presidio-analyzer")


if __name__ == "__main__":
    main()
