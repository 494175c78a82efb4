"""Scoring documents with a transformers sequence classifier or regressor, as FineWeb-Edu does
(Penedo et al. 2024, https://arxiv.org/abs/2406.17557: a regression head on a BERT-like
encoder predicts an educational score of 0-5; documents with ``int_score >= 3`` are kept).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
from pydantic import Field

from refinery.errors import ConfigError
from refinery.stage import FilterStage, SnakeName, register_stage
from stages.model.base import ModelScoring, ModelStageConfig

if TYPE_CHECKING:
    import torch

__all__ = ["ModelClassifierConfig", "ModelClassifierScorer", "int_scores"]


def int_scores(scores: np.ndarray, low: float, high: float) -> np.ndarray:
    """FineWeb-Edu's ``int_score = round(clamp(score, low, high))`` (NaN stays NaN); halves
    round to even, as Python's and numpy's ``round`` do."""
    out: np.ndarray = np.round(np.clip(scores, low, high))
    return out


class ModelClassifierConfig(ModelStageConfig):
    classifier: SnakeName = Field(
        description="name (snake_case); columns `<classifier>_score` and `<classifier>_int_score`"
    )
    label: str | None = Field(
        None,
        description="classification heads: the label whose probability is the score "
        "(default: the last label, e.g. the positive one of two)",
    )
    min_int_score: int | None = Field(
        3, description="regression heads: reject int_score below this (FineWeb-Edu: 3); None: keep"
    )
    min_score: float | None = Field(
        None, description="reject a score below this; None: no threshold"
    )
    int_score_range: tuple[float, float] = Field(
        (0.0, 5.0), description="regression heads: the clamp before rounding to int_score"
    )


@register_stage("model_classifier")
class ModelClassifierScorer(ModelScoring, FilterStage[ModelClassifierConfig]):
    """Scores each document with a local transformers sequence-classification model.

    A regression head (one output, FineWeb-Edu's educational-value classifier) writes the raw
    output as ``<classifier>_score`` and ``<classifier>_int_score`` = round(clamp(score, 0, 5))
    and by default rejects ``int_score < 3`` with ``<classifier>_below_min_int_score``. A
    classification head writes the probability of ``label`` as the score (int_score is the
    index of the most likely label). ``min_score`` rejects below a raw score
    (``<classifier>_below_min_score``); for a global top-k% put ``top_fraction`` on the score
    column afterwards. A document that tokenises to nothing gets a null score and is kept.
    """

    config_cls = ModelClassifierConfig
    kind: ClassVar = "classifier"

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        from stages.model.examples import tiny_model

        return {
            "model_path": tiny_model("regression"),
            "classifier": "example",
            "max_length": 64,
            "min_int_score": None,
            "min_score": 0.0,
        }

    @property
    def score_column(self) -> str:
        return f"{self.config.classifier}_score"

    @property
    def int_column(self) -> str:
        return f"{self.config.classifier}_int_score"

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self.score_column, self.int_column]

    def after_setup(self, model: Any, tokenizer: Any) -> None:
        labels = int(model.config.num_labels)
        self._regression = labels == 1
        self._label_index = labels - 1
        if self.config.label is not None:
            names = {str(v): int(k) for k, v in model.config.id2label.items()}
            if self.config.label not in names or self._regression:
                raise ConfigError(
                    f"label {self.config.label!r} is not a label of this classification head "
                    f"(labels: {sorted(names) if not self._regression else 'regression head'})",
                    key="label",
                )
            self._label_index = names[self.config.label]

    def forward(self, model: Any, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        logits = model(input_ids=input_ids, attention_mask=mask).logits.float()
        if self._regression:
            regression: torch.Tensor = logits[:, 0]
            return regression
        probs = logits.softmax(dim=-1)
        return torch_stack(probs[:, self._label_index], probs.argmax(dim=-1).float())

    def annotate(self, batch: pa.Table) -> pa.Table:
        texts = batch[self.config.text_column].to_pylist()
        n = len(texts)
        if n == 0:
            score = np.zeros(0, np.float32)
            integer = np.zeros(0)
        else:
            out = self.scores([t or "" for t in texts])
            if out.ndim == 1:  # regression
                score = out
                integer = int_scores(out, *self.config.int_score_range)
            else:
                score, integer = out[:, 0], out[:, 1]
        nan = np.isnan(score)
        return batch.append_column(
            self.score_column, pa.array(score.astype(np.float32), mask=nan)
        ).append_column(self.int_column, pa.array(np.nan_to_num(integer).astype(np.int8), mask=nan))

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        cfg = self.config
        score = batch[self.score_column].to_numpy(zero_copy_only=False).astype(np.float64)
        integer = batch[self.int_column].to_numpy(zero_copy_only=False).astype(np.float64)
        reasons = np.full(batch.num_rows, None, dtype=object)
        # NaN (no score) compares False: a document without a score is kept
        if cfg.min_int_score is not None and getattr(self, "_regression", True):
            reasons[integer < cfg.min_int_score] = f"{cfg.classifier}_below_min_int_score"
        if cfg.min_score is not None:
            reasons[score < cfg.min_score] = f"{cfg.classifier}_below_min_score"
        return pa.array(reasons, pa.string())


def torch_stack(*cols: torch.Tensor) -> torch.Tensor:
    import torch

    return torch.stack(cols, dim=1)
