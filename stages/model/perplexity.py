"""Perplexity of each document under a causal language model, as CCNet scores web text
(Wenzek et al. 2019, https://arxiv.org/abs/1911.00359, with a 5-gram model; here any local
transformers causal LM). Bucketing by global percentiles is ``perplexity_buckets``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
from pydantic import Field

from refinery.stage import FilterStage, SnakeName, register_stage
from stages.model.base import ModelScoring, ModelStageConfig

if TYPE_CHECKING:
    import torch

__all__ = ["ModelPerplexityConfig", "ModelPerplexityScorer", "token_nll"]

#: bytes of fp32 logits upcast at once: the vocabulary can be 150k wide
_CHUNK_BYTES = 1 << 30


def token_nll(logits: torch.Tensor, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Per document: (mean negative log-likelihood in nats of each token given the ones before
    it, number of predicted tokens). Padding is not predicted, nor is the first token."""
    import torch

    b, t, v = logits.shape
    rows = max(1, _CHUNK_BYTES // max(1, t * v * 4))
    sums = []
    for s in range(0, b, rows):
        lg = logits[s : s + rows, :-1].float()
        nll = torch.nn.functional.cross_entropy(
            lg.reshape(-1, v), input_ids[s : s + rows, 1:].reshape(-1), reduction="none"
        ).view(lg.shape[0], t - 1)
        sums.append((nll * mask[s : s + rows, 1:]).sum(dim=1))
    count = mask[:, 1:].sum(dim=1).float()
    total = torch.cat(sums) if sums else torch.zeros(0, device=logits.device)
    mean = torch.where(count > 0, total / count.clamp(min=1), torch.full_like(total, float("nan")))
    return torch.stack([mean, count], dim=1)


class ModelPerplexityConfig(ModelStageConfig):
    model_name: SnakeName = Field(
        "lm", description="names the columns: `<model_name>_nll`, `_perplexity`, `_tokens`"
    )
    max_perplexity: float | None = Field(
        None, gt=0, description="reject documents above this perplexity; None: score only"
    )


@register_stage("model_perplexity")
class ModelPerplexityScorer(ModelScoring, FilterStage[ModelPerplexityConfig]):
    """Scores each document's perplexity under a local causal language model.

    Writes ``<model_name>_nll`` (mean token negative log-likelihood, nats, float32),
    ``<model_name>_perplexity`` (exp of it) and ``<model_name>_tokens`` (tokens predicted,
    after truncation to ``max_length``). A document of fewer than two tokens gets null scores
    and is kept. With ``max_perplexity``, rejects documents above it
    (``<model_name>_above_max_perplexity``). For CCNet's head/middle/tail buckets by global
    percentiles per language, add ``perplexity_buckets`` after it.
    """

    config_cls = ModelPerplexityConfig
    kind: ClassVar = "causal_lm"

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        from stages.model.examples import tiny_model

        return {"model_path": tiny_model("causal_lm"), "max_length": 64, "max_perplexity": 1e9}

    def _col(self, what: str) -> str:
        return f"{self.config.model_name}_{what}"

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self._col("nll"), self._col("perplexity"), self._col("tokens")]

    def forward(self, model: Any, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        logits = model(input_ids=input_ids, attention_mask=mask).logits
        return token_nll(logits, input_ids, mask)

    def annotate(self, batch: pa.Table) -> pa.Table:
        texts = batch[self.config.text_column].to_pylist()
        if texts:
            out = self.scores([t or "" for t in texts])
            nll, count = out[:, 0], np.nan_to_num(out[:, 1])
        else:
            nll, count = np.zeros(0, np.float32), np.zeros(0)
        none = np.isnan(nll)
        with np.errstate(over="ignore"):
            ppl = np.exp(nll.astype(np.float64))
        return (
            batch.append_column(self._col("nll"), pa.array(nll.astype(np.float32), mask=none))
            .append_column(self._col("perplexity"), pa.array(ppl.astype(np.float32), mask=none))
            .append_column(self._col("tokens"), pa.array(count.astype(np.int32)))
        )

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        limit = self.config.max_perplexity
        reasons = np.full(batch.num_rows, None, dtype=object)
        if limit is not None:
            ppl = batch[self._col("perplexity")].to_numpy(zero_copy_only=False).astype(np.float64)
            reasons[ppl > limit] = f"{self.config.model_name}_above_max_perplexity"
        return pa.array(reasons, pa.string())
