"""Scoring documents with a local fastText classifier (trained by ``refinery train-classifier``
or elsewhere), as DCLM (Li et al. 2024, https://arxiv.org/abs/2406.11794) and FineWeb-Edu
apply theirs.

Two ways to compute the scores, chosen by ``inference``:

- ``auto`` (default): our own implementation of fastText's prediction
  (``stages/textutil/fasttext_native.py``: one compiled pass over the batch's UTF-8 bytes, and
  the model reduced to its dictionary and ``W_in · W_outᵀ``), several times faster than the
  library, with the same scores within float32 rounding. Models it does not cover (losses
  other than softmax and hierarchical softmax) are scored by the library, and the stage logs
  why.
- ``fasttext``: the library's own prediction, batched: this fastText build's ``predict(list)``
  goes through the binding's ``multilinePredict``, one C++ call per batch. Some builds break
  ``predict(list)`` under numpy 2 (``ValueError: too many values to unpack`` from the Python
  wrapper); we call ``multilinePredict`` directly, after appending the newline the wrapper
  appends.

``stats.json`` counts the documents each way scored (``scored_native``, ``scored_fasttext``).
``tests/stages/classify`` checks both against the library's single-text ``predict``.
"""

from __future__ import annotations

import logging
import random
import tempfile
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.errors import ConfigError
from refinery.stage import FilterStage, Resources, SnakeName, StageConfig, register_stage
from stages.classify.model_card import NEGATIVE_LABEL, POSITIVE_LABEL, read_card
from stages.classify.preprocess import TextPrep, prepare_array
from stages.textutil.fasttext_file import ModelFileError
from stages.textutil.fasttext_native import NativeFastText, native_support

__all__ = [
    "FastTextClassifierConfig",
    "FastTextClassifierScorer",
    "fasttext_lines",
    "load_fasttext",
    "positive_scores",
]

log = logging.getLogger(__name__)


def load_fasttext(path: str, key: str = "model_path") -> Any:
    """A fastText model from a local file (``.bin`` / ``.ftz``); never downloads."""
    from fasttext.FastText import _FastText

    if not Path(path).is_file():
        raise ConfigError(f"fastText model {path!r} not found", key=key)
    from stages.textutil.fasttext_file import check_model_file

    try:
        check_model_file(path)  # before fastText, which trusts a damaged file's sizes
        return _FastText(model_path=path)
    except (OSError, ValueError, MemoryError, RuntimeError) as exc:
        raise ConfigError(f"cannot load fastText model {path!r}: {exc}", key=key) from exc


def fasttext_lines(prepared: pa.Array) -> list[bytes]:
    """Prepared text (``prepare_array``) as the lines fastText reads: UTF-8 bytes ending in the
    newline that its ``predict`` appends. Bytes pass the binding without a UTF-8 decode into
    Python strings and an encode back."""
    lines: list[bytes] = (
        pc.binary_join_element_wise(prepared, "", "\n").cast(pa.binary()).to_pylist()
    )
    return lines


def positive_scores(model: Any, lines: list[bytes] | list[str], label: str) -> np.ndarray:
    """P(``label``) for each line (prepared text without newlines inside), in one C++ call.

    Lines as ``fasttext_lines`` makes them (bytes with the final newline) or prepared ``str``
    (the newline is added). Equal to ``model.predict(line, k=-1)``'s probability of ``label``
    (0 if absent).
    """
    if not lines:
        return np.zeros(0, dtype=np.float32)
    raw = [x.encode("utf-8") + b"\n" if isinstance(x, str) else x for x in lines]
    labels, probs = model.f.multilinePredict(raw, -1, 0.0, "strict")
    out = np.zeros(len(lines), dtype=np.float32)
    for i, (labs, ps) in enumerate(zip(labels, probs, strict=True)):
        for lab, p in zip(labs, ps, strict=True):
            if lab == label:
                out[i] = p
                break
    return out


class FastTextClassifierConfig(StageConfig):
    model_path: str = Field(description="local fastText model file (.bin or .ftz)")
    classifier: SnakeName = Field(
        description="classifier name (snake_case); the score column is `<classifier>_score`"
    )
    label: str | None = Field(
        None,
        description="label whose probability is the score; default: the model card's positive "
        f"label, else {POSITIVE_LABEL!r}",
    )
    min_score: float | None = Field(
        None, ge=0, le=1, description="reject documents scored below this; None: score only"
    )
    preprocess: TextPrep | None = Field(
        None,
        description="text preparation; default: the model card's (what the model was trained "
        "on), else lower-case + whitespace + jieba",
    )
    inference: Literal["auto", "fasttext"] = Field(
        "auto",
        description="'auto': our own implementation of fastText's prediction where the model "
        "allows (same scores, faster), else the library; 'fasttext': always the library",
    )
    text_column: str = "text"


@register_stage("fasttext_classifier")
class FastTextClassifierScorer(FilterStage[FastTextClassifierConfig]):
    """Scores each document with a fastText classifier; optionally keeps those above a threshold.

    Writes ``<classifier>_score`` (float32, the probability of the positive label). With
    ``min_score``, rejects documents below it with ``<classifier>_below_min_score``. Several
    classifiers run in one pipeline as several entries with distinct ``classifier`` (and
    ``name``). For a global top-k% use ``top_fraction`` on the score column afterwards. The
    text is prepared as the model card says (``stages/classify/preprocess.py``).
    """

    config_cls = FastTextClassifierConfig
    runs_as_actor = True  # setup() loads a model/segmenter: once per actor
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        from stages.classify.train import fit_fasttext

        tmp = Path(tempfile.mkdtemp(prefix="refinery-fasttext-"))
        rng = random.Random(0)
        pos = "bank loan interest rate deposit credit mortgage payment 银行 贷款 利率 存款 账户"
        neg = "cat park weather walk tree river music garden 公园 天气 散步 河流 音乐"
        common = "the of and a to in 的 了 是".split()
        lines = []
        for i in range(200):
            label, words = (POSITIVE_LABEL, pos) if i % 2 else (NEGATIVE_LABEL, neg)
            vocab = words.split() + common
            lines.append(f"{label} " + " ".join(rng.choice(vocab) for _ in range(20)))
        (tmp / "train.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        model = fit_fasttext(
            str(tmp / "train.txt"), 0, epoch=5, dim=100, wordNgrams=2, bucket=10_000, thread=1
        )
        model.save_model(str(tmp / "example.bin"))
        return {"model_path": str(tmp / "example.bin"), "classifier": "example", "min_score": 0.5}

    @property
    def score_column(self) -> str:
        return f"{self.config.classifier}_score"

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self.score_column]

    def setup(self) -> None:
        cfg = self.config
        card = read_card(cfg.model_path)
        model = load_fasttext(cfg.model_path)
        card_prep = (card or {}).get("preprocess")
        self._prep = cfg.preprocess or (
            TextPrep.model_validate(card_prep) if card_prep else TextPrep()
        )
        self._label = cfg.label or (card or {}).get("labels", {}).get("positive") or POSITIVE_LABEL
        if self._label not in model.get_labels():
            raise ConfigError(
                f"label {self._label!r} is not one of the model's labels {model.get_labels()}",
                key="label",
            )
        reason = (
            native_support(model, cfg.model_path)
            if cfg.inference == "auto"
            else "inference: fasttext"
        )
        self._native: NativeFastText | None = None
        self._model: Any = None
        if reason is None:
            try:
                self._native = NativeFastText(model, cfg.model_path)  # the model is freed after
            except ModelFileError as exc:
                raise ConfigError(str(exc), key="model_path") from exc
        else:
            self._model = model
        self.engine = "native" if self._native is not None else "fasttext"
        why = f" ({reason})" if reason else ""
        log.info("%s: scores computed by %s%s", cfg.classifier, self.engine, why)

    def annotate(self, batch: pa.Table) -> pa.Table:
        if not hasattr(self, "engine"):
            self.setup()
        prepared = prepare_array(batch[self.config.text_column], self._prep)
        if self._native is not None:
            scores = self._native.label_scores(prepared, self._label)
        else:
            scores = positive_scores(self._model, fasttext_lines(prepared), self._label)
        return batch.append_column(self.score_column, pa.array(scores, pa.float32()))

    def batch_counters(self, out: pa.Table) -> dict[str, int]:
        """Documents scored by our implementation or by the library (``scored_<engine>``)."""
        return {f"scored_{self.engine}": out.num_rows} if out.num_rows else {}

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        threshold = self.config.min_score
        if threshold is None:
            return pa.nulls(batch.num_rows, pa.string())
        low = pc.less(batch[self.score_column], pa.scalar(threshold, pa.float32()))
        reason = pa.scalar(f"{self.config.classifier}_below_min_score")
        return pc.if_else(low, reason, pa.scalar(None, pa.string()))
