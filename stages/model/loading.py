"""Loading a transformers model and its tokenizer from a local directory, safely.

Rules (DESIGN.md, "Models"): a local directory only, never a hub id; weights in safetensors
only (no pickle checkpoints, whose loading can run code); ``trust_remote_code`` never (a
config that needs custom code is refused with a clear error). The device and precision
follow the hardware: bf16 (or fp16 where bf16 is missing) on a GPU, fp32 on a CPU.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from refinery.errors import ConfigError

if TYPE_CHECKING:
    import torch

__all__ = [
    "DeviceName",
    "DtypeName",
    "ModelKind",
    "check_model_dir",
    "load_model",
    "pick_device",
    "pick_dtype",
]

DeviceName = Literal["auto", "cpu", "cuda"]
DtypeName = Literal["auto", "float32", "bfloat16", "float16"]
ModelKind = Literal["classifier", "causal_lm", "encoder"]


def check_model_dir(path: str, key: str = "model_path") -> Path:
    """The directory ``path`` if it holds a config and safetensors weights; else ConfigError."""
    p = Path(path)
    if not p.is_dir():
        raise ConfigError(
            f"model directory {path!r} not found (a local directory is required; hub ids are "
            "never downloaded)",
            key=key,
        )
    if not (p / "config.json").is_file():
        raise ConfigError(f"{path!r} holds no config.json: not a transformers model", key=key)
    if not any(p.glob("*.safetensors")):
        pickles = sorted(f.name for f in p.iterdir() if f.suffix in (".bin", ".pt", ".pth"))
        hint = f" (found {pickles}: convert them to safetensors first)" if pickles else ""
        raise ConfigError(f"{path!r} holds no *.safetensors weights{hint}", key=key)
    try:
        cfg = json.loads((p / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}/config.json is unreadable: {exc}", key=key) from exc
    if isinstance(cfg, dict) and cfg.get("auto_map"):
        raise ConfigError(
            f"{path!r} needs custom model code (config.json has auto_map); "
            "trust_remote_code is never enabled",
            key=key,
        )
    return p


def pick_device(device: DeviceName) -> torch.device:
    """``auto``: the first visible GPU if any, else the CPU. Inside a Ray actor the visible
    GPUs are the ones Ray assigned (an actor without ``num_gpus`` sees none: CPU fallback)."""
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("device 'cuda' requested but no CUDA device is visible", key="device")
    if device == "cpu" or (device == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    return torch.device("cuda", torch.cuda.current_device())


def pick_dtype(dtype: DtypeName, device: torch.device) -> torch.dtype:
    """``auto``: bf16 on a GPU that has it, else fp16; fp32 on a CPU (CPU half precision is
    slow and less accurate)."""
    import torch

    if dtype != "auto":
        return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[
            dtype
        ]
    if device.type != "cuda":
        return torch.float32
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def load_model(
    path: str, kind: ModelKind, device: torch.device, dtype: torch.dtype
) -> tuple[Any, Any]:
    """(model in eval mode on ``device``, fast tokenizer), both from ``path`` only."""
    import transformers

    check_model_dir(path)
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # no bars in Ray's logs
    auto = {
        "classifier": transformers.AutoModelForSequenceClassification,
        "causal_lm": transformers.AutoModelForCausalLM,
        "encoder": transformers.AutoModel,
    }[kind]
    common: dict[str, Any] = {"local_files_only": True, "trust_remote_code": False}
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, use_fast=True, **common)
        model = auto.from_pretrained(path, use_safetensors=True, dtype=dtype, **common)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            f"cannot load {kind} model from {path!r}: {type(exc).__name__}: {exc}",
            key="model_path",
        ) from exc
    if not getattr(tokenizer, "is_fast", False):
        raise ConfigError(f"{path!r} has no fast tokenizer (tokenizer.json)", key="model_path")
    if tokenizer.pad_token_id is None:
        # causal LMs often ship without a pad token; padded positions are masked out anyway
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    model.to(device)
    model.eval()
    return model, tokenizer
