"""Precision, recall and leak of the PII detector on the independent test split; false alarms
on public text; speed against Presidio.

Data: ``data/pii_eval/test.jsonl`` by default (``--split dev`` ... ``dev95`` while tuning; built
by ``scripts/build_pii_eval.py`` from values other authors wrote; see data/pii_eval/README.md).
``--data tests/data/pii/labelled.jsonl`` scores the older generated set.

Scoring: a predicted span matches a gold span of the same type one-to-one. Structured
identifiers must match exactly (a partly masked number still leaks digits); names and addresses
match when their character overlap is at least half of the union (IoU >= 0.5), since where an
address ends is a matter of convention. LEAK is what a bank audits: the share of gold PII
characters (not counting white space) that no predicted span of any type covers, i.e. what
redaction would leave readable.

False alarms: every span the detector reports on a slice of public text with no customer data
(``--public``, the shared corpus; skipped when absent), per 1,000 documents. Public text does
name real public people and organisations' addresses, so this is an upper bound.

Presidio (presidio-analyzer, a benchmark dependency) runs its predefined pattern recognizers
for English with the no-op NLP engine, so no model is loaded; both systems see the same texts in
the same process. The speed ratio is the whole detector's (all types, names and addresses
too); a second line times the detector asked for Presidio's five types only. On the entity types both support (EMAIL, IP_ADDRESS, IBAN, BANK_CARD ~
CREDIT_CARD, PHONE ~ PHONE_NUMBER) both are scored with IoU >= 0.5.

The last line is ``pii_recall=<r> pii_precision=<p> pii_leak=<l>`` (micro-averaged over all types).

Model recogniser (docs/pii.md, "Optional model recogniser"): ``--ner-spacy NAME_OR_PATH`` or
``--ner-model DIR`` (transformers) adds the model's names and addresses to the rules' spans,
as ``pii_redact`` with a ``ner:`` block does; ``--ner-labels PERSON=NAME,FAC=ADDRESS`` and
``--ner-min-score``, ``--ner-min-words`` override the defaults. Speed then counts the model, one document per call.

Usage: python scripts/bench_pii.py [--split dev|dev2|...|dev95|test] [--data FILE] [--public FILE]
       [--repeat 5] [--no-presidio] [--errors] [--ner-spacy NAME | --ner-model DIR]
       [--ner-labels L=TYPE,...] [--ner-min-score 0.5] [--ner-min-words 2]
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from stages.pii.detector import ENTITY_TYPES, Entity, PiiDetector
from stages.pii.ner import NerConfig, load_recogniser

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


FAMILIES: dict[str, tuple[str, ...]] = {
    "resident ID": ("ID_CARD",),
    "bank cards": ("BANK_CARD",),
    "credit codes": ("CREDIT_CODE",),
    "IBAN": ("IBAN",),
    "SWIFT/BIC": ("SWIFT_BIC",),
    "phones": ("PHONE",),
    "e-mails": ("EMAIL",),
    "names": ("NAME",),
    "addresses": ("ADDRESS",),
    "other identifiers": ("BANK_ACCOUNT", "IP_ADDRESS", "PASSPORT"),
}


def leak(
    texts: list[str], golds: list[list[Span]], preds: list[list[Span]]
) -> dict[str, list[int]]:
    """type → [gold characters left uncovered by every predicted span, gold characters];
    white space inside a gold span is not counted."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for text, gold, pred in zip(texts, golds, preds, strict=True):
        covered = bytearray(len(text))
        for s, e, _ in pred:
            covered[s:e] = b"\x01" * (e - s)
        for s, e, t in gold:
            for i in range(s, e):
                if not text[i].isspace():
                    table[t][1] += 1
                    table[t][0] += 0 if covered[i] else 1
    return table


def _public_texts(path: str, limit: int) -> list[str]:
    import zstandard

    texts: list[str] = []
    with open(path, "rb") as raw:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), "utf-8")
        for line in reader:
            texts.append(json.loads(line)["text"])
            if len(texts) >= limit:
                break
    return texts


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


def _ours_on(types: list[str]) -> Callable[[str], list[Span]]:
    """The detector restricted to ``types``."""
    detector = PiiDetector(types)
    detector.setup()
    return lambda text: [(e.start, e.end, e.type) for e in detector.detect(text)]


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
    splits = ("dev", *(f"dev{k}" for k in range(2, 96)), "test")
    ap.add_argument("--split", choices=splits, default="test")
    ap.add_argument("--data", help="a labelled JSONL file instead of data/pii_eval/<split>.jsonl")
    ap.add_argument("--public", default=None, help="default: ../shared or ../../shared of the repo")
    ap.add_argument("--public-docs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5, help="timing passes (best one counts)")
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--errors", action="store_true", help="print missed and spurious spans")
    model = ap.add_mutually_exclusive_group()
    model.add_argument("--ner-spacy", metavar="NAME_OR_PATH", help="add a spaCy pipeline's spans")
    model.add_argument("--ner-model", metavar="DIR", help="add a token-classification model's")
    ap.add_argument("--ner-labels", help="label=NAME|ADDRESS,... (default: the stage's)")
    ap.add_argument("--ner-min-score", type=float, default=0.5)
    ap.add_argument("--ner-min-words", type=int, default=2)
    args = ap.parse_args()

    path = Path(args.data or f"data/pii_eval/{args.split}.jsonl")
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts = [d["text"] for d in docs]
    golds = [[(e["start"], e["end"], e["type"]) for e in d["entities"]] for d in docs]

    detector = PiiDetector()
    detector.setup()
    recogniser = None
    if args.ner_spacy or args.ner_model:
        labels = None
        if args.ner_labels:
            labels = dict(pair.split("=", 1) for pair in args.ner_labels.split(","))
        started = time.perf_counter()
        recogniser = load_recogniser(
            NerConfig.model_validate(
                {
                    "backend": "spacy" if args.ner_spacy else "transformers",
                    "model": args.ner_spacy or args.ner_model,
                    "labels": labels,
                    "min_score": args.ner_min_score,
                    "min_words": args.ner_min_words,
                }
            )
        )
        print(
            f"model recogniser {args.ner_spacy or args.ner_model}: loaded in "
            f"{time.perf_counter() - started:.1f} s, labels {recogniser.label_map}"
        )

    def detect(text: str) -> list[Entity]:
        extra = recogniser.find([text])[0] if recogniser is not None and text else []
        return detector.detect(text, extra)

    def ours(text: str) -> list[Span]:
        return [(e.start, e.end, e.type) for e in detect(text)]

    fns: list[Callable[[str], list[Span]]] = [ours]
    if not args.no_presidio:
        fns.append(_presidio())
        if recogniser is None:
            # the same detector asked for Presidio's five types only: pattern recognizers
            # against pattern recognizers
            fns.append(_ours_on(sorted(set(PRESIDIO_TYPES.values()))))
    timings = _timed(fns, texts, args.repeat)
    preds, ours_dps = timings[0]
    table = score(golds, preds)
    leaks = leak(texts, golds, preds)

    if args.errors:
        for doc, gold, pred in zip(docs, golds, preds, strict=True):
            missed = [g for g in gold if not any(_matches(g, p, False) for p in pred)]
            extra = [p for p in pred if not any(_matches(g, p, False) for g in gold)]
            for s, e, t in missed:
                print(f"MISS {doc['id']} {t} {doc['text'][s:e]!r}")
            for s, e, t in extra:
                print(f"FP   {doc['id']} {t} {doc['text'][s:e]!r}")

    print(f"{path}: {len(docs)} documents, {sum(len(g) for g in golds)} gold spans")
    print(f"{'family':<20}{'gold':>6}{'pred':>6}{'precision':>11}{'recall':>9}{'leak':>9}")
    for family, types in FAMILIES.items():
        tp, ng, np_ = _sum(table, types)
        if not ng and not np_:
            continue
        r, p = _pr(tp, ng, np_)
        lk = [sum(leaks[t][i] for t in types if t in leaks) for i in (0, 1)]
        print(f"{family:<20}{ng:>6}{np_:>6}{p:>11.3f}{r:>9.3f}{lk[0] / max(lk[1], 1):>9.3%}")
    for label, types in (("checksummed", CHECKSUMMED), ("names+addresses", FUZZY)):
        r, p = _pr(*_sum(table, types))
        print(f"{label:<20} precision={p:.3f} recall={r:.3f}")
    recall, precision = _pr(*_sum(table, ENTITY_TYPES))
    leaked = sum(v[0] for v in leaks.values()) / max(sum(v[1] for v in leaks.values()), 1)
    print(f"{'all':<20} precision={precision:.3f} recall={recall:.3f} leak={leaked:.3%}")
    with_model = " with the model" if recogniser is not None else ""
    print(
        f"ours{with_model}: {ours_dps:,.0f} docs/s "
        f"(all {len(ENTITY_TYPES)} types; best of {args.repeat} passes)"
    )

    if not args.no_presidio:
        p_preds, p_dps = timings[1]
        common = sorted(set(PRESIDIO_TYPES.values()))
        ours_loose = score(golds, [[s for s in p if s[2] in common] for p in preds], loose=True)
        theirs = score(golds, p_preds, loose=True)
        print(
            f"presidio {_presidio_version()}: {p_dps:,.0f} docs/s; speed ratio ours/presidio = {ours_dps / p_dps:.1f}x"
        )
        if len(timings) > 2:
            same_dps = timings[2][1]
            print(
                f"ours on Presidio's {len(common)} types only ({', '.join(common)}): "
                f"{same_dps:,.0f} docs/s; speed ratio = {same_dps / p_dps:.1f}x"
            )
        print(f"{'type':<14}{'ours R':>8}{'presidio R':>12}{'ours P':>8}{'presidio P':>12}")
        for t in common:
            orr, op = _pr(*ours_loose.get(t, [0, 0, 0]))
            pr_, pp = _pr(*theirs.get(t, [0, 0, 0]))
            print(f"{t:<14}{orr:>8.3f}{pr_:>12.3f}{op:>8.3f}{pp:>12.3f}")
        orr, op = _pr(*_sum(ours_loose, common))
        pr_, pp = _pr(*_sum(theirs, common))
        print(f"{'common types':<14}{orr:>8.3f}{pr_:>12.3f}{op:>8.3f}{pp:>12.3f}")

    if args.public is None:
        root = Path(__file__).resolve().parents[1]
        candidates = [root.parent / "shared", root.parent.parent / "shared"]
        found = [c / "data" / "web_en_zh.jsonl.zst" for c in candidates]
        args.public = str(next((f for f in found if f.exists()), found[0]))
    public = _public_texts(args.public, args.public_docs) if Path(args.public).is_file() else []
    if public:
        by_type: dict[str, int] = defaultdict(int)
        docs_hit = 0
        for text in public:
            spans = detect(text)
            docs_hit += bool(spans)
            for e in spans:
                by_type[e.type] += 1
                if args.errors:
                    print(f"PUBLIC {e.type} {text[e.start : e.end]!r}")
        per_k = 1000 / len(public)
        detail = ", ".join(
            f"{t} {n * per_k:.1f}" for t, n in sorted(by_type.items(), key=lambda x: -x[1])
        )
        print(
            f"public text ({len(public)} docs of {args.public}): "
            f"{sum(by_type.values()) * per_k:.1f} spans per 1,000 docs, "
            f"{docs_hit * per_k:.1f} docs per 1,000 with any ({detail})"
        )
    else:
        print(f"public text: no documents in {args.public}, false alarms not measured")
    print(f"pii_recall={recall:.4f} pii_precision={precision:.4f} pii_leak={leaked:.4f}")


def _presidio_version() -> str:
    from importlib.metadata import version

    return version("presidio-analyzer")


if __name__ == "__main__":
    main()
