"""Train and evaluate a fastText classifier from configured sources (``refinery
train-classifier``), following DCLM's recipe (Li et al. 2024, https://arxiv.org/abs/2406.11794:
positives from a reference set, negatives a random sample of the raw crawl, fastText with word
bigrams).

1. **read** each side through the run machinery (``refinery.pipeline.build_plan`` and the
   local executor): the configured readers, quarantine of bad records, pseudonymised ids,
   and the configured ``stages`` (a confidential source is refused unless one of them
   redacts PII, so no confidential text reaches the model unredacted);
2. **sample** a seeded reservoir of at most ``max_per_class`` kept documents per side, then
   the larger side down to the smaller (balanced classes);
3. **split** ``holdout_fraction`` of each class off for evaluation;
4. **prepare** the text (``preprocess.py``, the same function the stage uses) and train;
5. **evaluate** on the held-out documents with the stage's own scoring path: precision,
   recall, F1, accuracy, ROC AUC, and a PNG of the score histograms per class;
6. **write** ``<name>.bin``, ``<name>.card.json`` (sources, counts, parameters, metrics,
   sha256 of the model) and ``<name>.report.png`` into ``output``.

The model's vocabulary is made of words of its training text: treat the model file with the
sensitivity of its most sensitive source (the card records it).
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from refinery.errors import RefineryError
from refinery.stage import REJECT_REASON
from stages.classify.fasttext_classifier import load_fasttext, positive_scores
from stages.classify.model_card import NEGATIVE_LABEL, POSITIVE_LABEL, card_path, file_sha256
from stages.classify.preprocess import prepare_texts
from stages.classify.report import binary_metrics, write_histogram_png
from stages.classify.train_config import ClassifierConfig, side_run_config

__all__ = ["TrainResult", "TrainingError", "fit_fasttext", "train_classifier"]

_SENSITIVITY_ORDER = ("public", "internal", "confidential")


class TrainingError(RefineryError):
    """Training cannot proceed (too few documents, fastText diverged)."""


@dataclass
class _Side:
    read: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    empty: int = 0
    kept: int = 0
    sample: list[str] = field(default_factory=list)


@dataclass
class TrainResult:
    model_path: str
    card_path: str
    report_path: str
    card: dict[str, Any]


def _read_side(cfg: ClassifierConfig, side: str, rng: random.Random) -> _Side:
    """Stream one side through readers and stages; keep a reservoir of kept texts."""
    from refinery.pipeline import build_plan
    from refinery.runtime.local import LocalExecutor

    plan = build_plan(side_run_config(cfg, side))
    out = _Side()
    cap = cfg.max_per_class
    for batch in LocalExecutor(plan).batches():
        out.read += batch.num_rows
        active = pc.is_null(batch[REJECT_REASON]) if REJECT_REASON in batch.column_names else None
        if active is not None and not pc.all(active).as_py():
            rejected = batch.filter(pc.invert(active))
            for row in pc.value_counts(rejected[REJECT_REASON]).to_pylist():
                out.rejected[row["values"]] = out.rejected.get(row["values"], 0) + row["counts"]
            batch = batch.filter(active)
        texts = pc.fill_null(batch["text"], "")
        blank = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(texts)), 0)
        out.empty += int(pc.sum(blank).as_py() or 0)
        for text in texts.filter(pc.invert(blank)).to_pylist():
            out.kept += 1
            if len(out.sample) < cap:  # reservoir sampling (algorithm R)
                out.sample.append(text)
            else:
                j = rng.randrange(out.kept)
                if j < cap:
                    out.sample[j] = text
    return out


#: Why training runs in a fresh process with a fixed mmap threshold. fastText initialises
#: the input matrix (words and hashed n-grams × dim) in ``thread`` blocks of
#: ⌊rows·dim/10⌋ values each (``DenseMatrix::uniform``: the block size is written for 10
#: threads), so with ``thread: 1`` only the first 10% of it is drawn from the seed; the rest
#: keeps what the allocator returned, and this build does not zero it. In a fresh process
#: glibc serves such a large block with mmap, i.e. fresh zero pages (upstream fastText zeroes
#: it too), but a long-lived process that has freed large buffers raises glibc's dynamic mmap
#: threshold and gets recycled heap memory: leftovers of other data. Training then either
#: stops with "Encountered NaN" or, worse, returns a model with garbage weights (seen: after
#: freeing 40 MB of buffers filled with 0xd5 bytes, 90% of the rows held -2.9e13, that bit
#: pattern read as float32). A child process with the threshold fixed
#: (which turns the dynamic raise off) and without MALLOC_PERTURB_ always gets zero pages, so
#: with one thread the model is a function of the training file, the parameters and the seed.
_MMAP_THRESHOLD = 65_536
_FIT_IN_CHILD = """
import json, sys
import fasttext
train_file, out, seed, params = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
fasttext.train_supervised(input=train_file, seed=seed, verbose=0, **params).save_model(out)
"""


def fit_fasttext(train_file: str, seed: int, **params: Any) -> Any:
    """``fasttext.train_supervised`` in a fresh process whose large allocations are zero pages
    (see above); the trained model, loaded. Raises ``TrainingError`` when fastText fails."""
    import os
    import subprocess
    import sys

    out = f"{train_file}.model.bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_PERTURB")}
    tunable = f"glibc.malloc.mmap_threshold={_MMAP_THRESHOLD}"
    env["GLIBC_TUNABLES"] = ":".join(filter(None, [env.get("GLIBC_TUNABLES"), tunable]))
    done = subprocess.run(
        [sys.executable, "-c", _FIT_IN_CHILD, train_file, out, str(seed), json.dumps(params)],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        if "NaN" in reason:
            reason += (
                f" (the loss diverged at lr {params.get('lr')}: a lower `lr` or more documents "
                "help; the same data, parameters and seed diverge every time)"
            )
        raise TrainingError(f"fastText training failed: {reason}")
    return load_fasttext(out)


def _max_sensitivity(entries: list[dict[str, Any]]) -> str:
    levels = [str(e.get("sensitivity", "internal")) for e in entries]
    return max(levels, key=_SENSITIVITY_ORDER.index)


def _sources(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("name", "path", "reader", "sensitivity")
    return [{k: e[k] for k in keys if k in e} for e in entries]


def train_classifier(cfg: ClassifierConfig) -> TrainResult:
    """Read, sample, split, train, evaluate and write; see the module doc."""
    rng = random.Random(cfg.seed)
    sides = {side: _read_side(cfg, side, rng) for side in ("positive", "negative")}
    n = min(len(s.sample) for s in sides.values())
    holdout = max(1, round(n * cfg.holdout_fraction))
    if n - holdout < 1:
        counts = {k: len(s.sample) for k, s in sides.items()}
        raise TrainingError(
            f"classifier {cfg.name!r}: too few documents to train and hold out ({counts} "
            "usable after reading and stages); each class needs at least 2"
        )
    train_rows: list[tuple[str, str]] = []
    test_rows: list[tuple[str, int]] = []
    for side, label, y in (("positive", POSITIVE_LABEL, 1), ("negative", NEGATIVE_LABEL, 0)):
        s = sides[side]
        chosen = rng.sample(s.sample, n)  # balanced, and shuffled
        prepared = prepare_texts(pa.array(chosen, pa.string()), cfg.preprocess)
        test_rows += [(t, y) for t in prepared[:holdout]]
        train_rows += [(label, t) for t in prepared[holdout:]]
    rng.shuffle(train_rows)

    out_dir = Path(cfg.output)
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / f"{cfg.name}.bin"
    params = cfg.fasttext.model_dump()
    with tempfile.TemporaryDirectory(prefix="refinery-train-") as tmp:
        train_file = Path(tmp) / "train.txt"
        with train_file.open("w", encoding="utf-8") as f:
            for label, text in train_rows:
                f.write(f"{label} {text}\n")
        try:
            model = fit_fasttext(str(train_file), cfg.seed, **params)
        except TrainingError as exc:
            raise TrainingError(f"classifier {cfg.name!r}: {exc}") from None
        model.save_model(str(model_path))

    model = load_fasttext(str(model_path))
    texts = [t for t, _ in test_rows]
    labels = np.array([y for _, y in test_rows], dtype=np.int8)
    scores = positive_scores(model, texts, POSITIVE_LABEL)
    metrics = binary_metrics(scores, labels, cfg.threshold)
    report_path = out_dir / f"{cfg.name}.report.png"
    write_histogram_png(report_path, scores, labels, f"{cfg.name}: held-out scores", cfg.threshold)

    card = {
        "name": cfg.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "model": {
            "path": model_path.name,
            "sha256": file_sha256(model_path),
            "bytes": model_path.stat().st_size,
        },
        "labels": {"positive": POSITIVE_LABEL, "negative": NEGATIVE_LABEL},
        "score_column": f"{cfg.name}_score",
        "sensitivity": _max_sensitivity(cfg.positive + cfg.negative),
        "sources": {"positive": _sources(cfg.positive), "negative": _sources(cfg.negative)},
        "stages": [str(s.get("stage")) for s in cfg.stages],
        "seed": cfg.seed,
        "training": {
            "seed": cfg.seed,
            "threads": cfg.fasttext.thread,
            # one thread: same data, parameters and seed give the same model file (sha256);
            # several threads update the weights concurrently (Hogwild), so runs differ
            "reproducible": cfg.fasttext.thread == 1,
        },
        "preprocess": cfg.preprocess.model_dump(),
        "fasttext": params,
        "counts": {
            side: {
                "read": s.read,
                "rejected_by_stages": dict(sorted(s.rejected.items())),
                "empty": s.empty,
                "usable": s.kept,
                "sampled": n,
                "train": n - holdout,
                "heldout": holdout,
            }
            for side, s in sides.items()
        },
        "metrics": {"heldout": metrics},
        "report_png": report_path.name,
    }
    cpath = card_path(model_path)
    cpath.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return TrainResult(str(model_path), str(cpath), str(report_path), card)
