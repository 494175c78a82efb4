"""The finance recipe's precision on a labelled sample, overall and per origin and language.

The committed set (``tests/data/classify``, README says which texts are real and which are
template-made) is split per origin, seeded: ``--holdout`` of every origin is set aside, the
recipe (``configs/classifiers/finance_domain.yaml``, same preparation and fastText
parameters) is trained on the rest, and the set-aside documents are scored by the
``fasttext_classifier`` stage. Printed: precision / recall / F1 / ROC AUC overall, precision
and recall per language, and the share kept (score >= threshold) per origin, which for a
finance origin is its recall and for a general origin its false-positive rate.

    .venv/bin/python scripts/eval_finance_recipe.py
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stages.classify.fasttext_classifier import FastTextClassifierScorer  # noqa: E402
from stages.classify.report import binary_metrics  # noqa: E402
from stages.classify.train import train_classifier  # noqa: E402
from stages.classify.train_config import load_train_config  # noqa: E402

DATA = REPO / "tests" / "data" / "classify"
RECIPE = REPO / "configs" / "classifiers" / "finance_domain.yaml"


def _origin(doc: dict[str, Any]) -> str:
    """``debian:linux-doc-6.1`` and its siblings are one origin: general Debian text."""
    origin = str(doc["origin"])
    return "debian:*" if origin.startswith("debian:") and doc["label"] == "general" else origin


def _split(docs: list[dict[str, Any]], holdout: float, rng: random.Random) -> tuple[list, list]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        groups[_origin(d)].append(d)
    train, test = [], []
    for key in sorted(groups):
        rows = groups[key][:]
        rng.shuffle(rows)
        n = max(1, round(len(rows) * holdout))
        test += rows[:n]
        train += rows[n:]
    return train, test


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--holdout", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    docs = [json.loads(x) for f in ("finance", "general") for x in (DATA / f"{f}.jsonl").open()]
    train, test = _split(docs, args.holdout, rng)
    raw = yaml.safe_load(RECIPE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("finance", "general"):
            with (Path(tmp) / f"{label}.jsonl").open("w", encoding="utf-8") as f:
                for d in train:
                    if d["label"] == label:
                        f.write(json.dumps(d, ensure_ascii=False) + "\n")
        section = raw["classifier"]
        section["output"] = str(Path(tmp) / "model")
        section["positive"][0]["path"] = str(Path(tmp) / "finance.jsonl")
        section["negative"][0]["path"] = str(Path(tmp) / "general.jsonl")
        cfg = load_train_config(raw)
        result = train_classifier(cfg)
        stage = FastTextClassifierScorer(model_path=result.model_path, classifier="finance")
        stage.setup()
        table = pa.table({"id": [d["id"] for d in test], "text": [d["text"] for d in test]})
        scores = stage(table)["finance_score"].to_numpy()
    labels = np.array([d["label"] == "finance" for d in test], dtype=np.int8)
    threshold = cfg.threshold
    m = binary_metrics(scores, labels, threshold)
    print(
        f"recipe trained on {len(train)} documents, evaluated on {len(test)} set aside "
        f"({int(labels.sum())} finance, {int(len(labels) - labels.sum())} general), "
        f"threshold {threshold}"
    )
    print(
        f"overall: precision {m['precision']:.3f}  recall {m['recall']:.3f}  f1 {m['f1']:.3f}  "
        f"roc_auc {m['roc_auc']:.3f}  confusion {m['confusion']}"
    )
    for lang in ("en", "zh"):
        sel = np.array([d["lang"] == lang for d in test])
        ml = binary_metrics(scores[sel], labels[sel], threshold)
        print(
            f"{lang}: precision {ml['precision']:.3f}  recall {ml['recall']:.3f}  "
            f"({int(sel.sum())} documents, confusion {ml['confusion']})"
        )
    print(f"{'origin':45s} {'label':8s} {'docs':>5s} {'kept':>6s}")
    by: dict[tuple[str, str], list[float]] = defaultdict(list)
    for d, s in zip(test, scores, strict=True):
        by[(_origin(d), d["label"])].append(float(s))
    for (origin, label), ss in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        kept = sum(s >= threshold for s in ss) / len(ss)
        print(f"{origin:45s} {label:8s} {len(ss):5d} {kept:6.1%}")


if __name__ == "__main__":
    main()
