"""Sentence embeddings: mean of the encoder's last hidden states over a document's tokens,
L2-normalised, as sentence-transformers computes them for all-MiniLM-L6-v2 (its
``1_Pooling/config.json`` sets mean pooling; the model card normalises)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
from pydantic import Field

from refinery.stage import Stage, register_stage
from stages.model.base import ModelScoring, ModelStageConfig

if TYPE_CHECKING:
    import torch

__all__ = ["ModelEmbeddingConfig", "ModelEmbeddingScorer", "mean_pool"]

COLUMN = "model_embedding"


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor, normalize: bool) -> torch.Tensor:
    """Mean of ``hidden`` [batch, tokens, dim] over the positions where ``mask`` is 1 (fp32)."""
    import torch

    m = mask.unsqueeze(-1).to(torch.float32)
    pooled = (hidden.float() * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, p=2, dim=1) if normalize else pooled


class ModelEmbeddingConfig(ModelStageConfig):
    max_length: int = Field(256, ge=2, le=131072, description="tokens per document (MiniLM: 256)")
    normalize: bool = Field(True, description="unit length (cosine similarity = dot product)")


@register_stage("model_embedding")
class ModelEmbeddingScorer(ModelScoring, Stage[ModelEmbeddingConfig]):
    """Adds ``model_embedding``: a mean-pooled, L2-normalised sentence embedding
    (``list<float32>``) from a local encoder (e.g. all-MiniLM-L6-v2). Rejects nothing; for
    ``semantic_dedup``. A document that tokenises to nothing gets a null embedding.
    """

    config_cls = ModelEmbeddingConfig
    kind: ClassVar = "encoder"

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        from stages.model.examples import tiny_model

        return {"model_path": tiny_model("encoder"), "max_length": 64}

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [COLUMN]

    def forward(self, model: Any, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
        return mean_pool(hidden, mask, self.config.normalize)

    def __call__(self, batch: pa.Table) -> pa.Table:
        texts = batch[self.config.text_column].to_pylist()
        typ = pa.list_(pa.float32())
        if not texts:
            return batch.append_column(COLUMN, pa.array([], typ))
        vecs = self.scores([t or "" for t in texts]).astype(np.float32)
        dim = vecs.shape[1]
        missing = np.isnan(vecs).any(axis=1)
        offsets = pa.array(np.arange(0, (len(texts) + 1) * dim, dim, dtype=np.int32))
        values = pa.array(np.nan_to_num(vecs).reshape(-1))
        arr = pa.ListArray.from_arrays(offsets, values, mask=pa.array(missing))
        return batch.append_column(COLUMN, arr.cast(typ))
