"""What every model-scored stage shares: the config fields, loading once per actor, the
runner, and the counters for stats.json.

A stage of this family declares its model ``kind`` and a ``forward`` (model, input_ids,
attention_mask → one row per document); ``scores(texts)`` runs it over a batch's texts.
Resources: by default one CPU and no GPU, so a run works anywhere (CPU fallback); a GPU run
sets ``resources: {num_gpus: 1, batch_size: 1024}`` in YAML, or ``num_gpus: 0.5`` to put two
models on one GPU (each actor then keeps to its share of the GPU's memory).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from refinery.stage import Resources, StageConfig
from stages.model.loading import (
    DeviceName,
    DtypeName,
    ModelKind,
    load_model,
    pick_device,
    pick_dtype,
)
from stages.model.runner import ModelRunner

if TYPE_CHECKING:
    import torch

__all__ = ["ModelScoring", "ModelStageConfig", "gpu_share"]


class ModelStageConfig(StageConfig):
    model_path: str = Field(description="local directory of a transformers model (safetensors)")
    text_column: str = "text"
    max_length: int = Field(
        512, ge=2, le=131072, description="tokens per document; longer ones are truncated"
    )
    truncation_side: Literal["right", "left"] = Field(
        "right", description="right: keep a document's first max_length tokens; left: its last"
    )
    device: DeviceName = Field("auto", description="auto: a GPU when the actor has one, else CPU")
    dtype: DtypeName = Field("auto", description="auto: bf16 (fp16) on GPU, fp32 on CPU")
    token_budget: int | None = Field(
        None,
        ge=2,
        description="padded tokens per forward; None: automatic (probed on a GPU, 4096 on CPU)",
    )
    max_token_budget: int = Field(
        1 << 18, ge=2, description="the largest budget the GPU probe tries"
    )
    max_rows: int = Field(1024, ge=1, description="most documents in one forward")


def gpu_share() -> float:
    """The share of its GPU this process was given: Ray's ``num_gpus`` of the current actor
    (0.5 when two actors share one GPU), or 1 outside Ray."""
    try:
        import ray

        if not ray.is_initialized():
            return 1.0
        assigned = ray.get_runtime_context().get_assigned_resources()  # type: ignore[no-untyped-call]
        gpus = assigned.get("GPU", 0.0)
    except Exception:  # not inside a Ray worker: the whole GPU is ours
        return 1.0
    return float(gpus) if 0 < gpus < 1 else 1.0


class ModelScoring:
    """Mixin for a ``Stage`` whose config is a ``ModelStageConfig``."""

    kind: ClassVar[ModelKind]
    resources: ClassVar[Resources] = Resources(num_cpus=1, batch_size=256)
    #: an actor pool on Ray: the model is loaded once per actor (the engine's declared flag;
    #: engines that infer it from an overridden ``setup()`` reach the same answer)
    runs_as_actor: ClassVar[bool] = True

    def _model_config(self) -> ModelStageConfig:
        cfg = self.config  # type: ignore[attr-defined]  # the Stage's, a ModelStageConfig
        assert isinstance(cfg, ModelStageConfig), f"{type(cfg)=} is not a ModelStageConfig"
        return cfg

    def forward(self, model: Any, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def setup(self) -> None:
        import torch

        cfg = self._model_config()
        device = pick_device(cfg.device)
        if device.type == "cuda":
            share = gpu_share()
            if share < 1.0:  # out-of-memory errors then come at our share, not the whole GPU
                torch.cuda.set_per_process_memory_fraction(share, device)
        model, tokenizer = load_model(
            cfg.model_path, self.kind, device, pick_dtype(cfg.dtype, device)
        )
        self.runner = ModelRunner(
            model,
            tokenizer,
            device,
            self.forward,
            max_length=cfg.max_length,
            truncation_side=cfg.truncation_side,
            token_budget=cfg.token_budget,
            max_rows=cfg.max_rows,
        )
        if device.type == "cuda" and cfg.token_budget is None:
            self.runner.autosize(cap=cfg.max_token_budget)
        self.after_setup(model, tokenizer)

    def after_setup(self, model: Any, tokenizer: Any) -> None:
        """Checks of the loaded model against the config (a head's labels, ...)."""

    def scores(self, texts: list[str]) -> np.ndarray:
        if not hasattr(self, "runner"):
            self.setup()
        return self.runner.run(texts)

    def batch_counters(self, out: Any) -> dict[str, int]:
        # counts of the batch just scored (the runner's, reset here): tokens, time, back-offs
        runner = getattr(self, "runner", None)
        return runner.stats.take() if runner is not None else {}
