"""The ``classifier:`` config of ``refinery train-classifier``, validated like a run config.

```yaml
classifier:
  name: finance_domain             # the model is <output>/<name>.bin, its column <name>_score
  output: models/finance_domain
  seed: 0                          # sampling, the held-out split and fastText's own seed
  positive:                        # sources, exactly as in a run config's `sources:`
    - {name: bank_docs, path: data/bank/*.jsonl, sensitivity: confidential}
  negative:
    - {name: web, path: data/web/*.jsonl.zst, sensitivity: public}
  stages:                          # run on both sides before sampling (a run's `stages:`)
    - {stage: pii_redact}          #   required when a source is confidential
  max_per_class: 100000            # balanced: min(positives, negatives, this) of each
  holdout_fraction: 0.1
  threshold: 0.5                   # for precision / recall / F1 in the report
  preprocess: {lowercase: true, chinese: jieba}
  fasttext: {lr: 0.1, dim: 100, ws: 5, epoch: 5, minCount: 1, wordNgrams: 2}
```

Sources and stages go through ``refinery.config.validate_config`` and
``refinery.pipeline.build_plan``: the same readers, the same checks of paths and formats,
and the same governance (a confidential source must pass a redacting stage that covers its
text and every identifier type). Errors name the key (``classifier.positive.0.path: ...``).
"""

from __future__ import annotations

import re
import tempfile
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from refinery.config import RunConfig, validate_config
from refinery.config_errors import config_error
from refinery.errors import ConfigError
from refinery.stage import SnakeName
from stages.classify.preprocess import TextPrep

__all__ = ["ClassifierConfig", "FastTextParams", "load_train_config", "side_run_config"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FastTextParams(_Model):
    """fastText supervised training; defaults are DCLM's recipe
    (mlfoundations/dclm ``baselines/train_fasttext_classifier.py``, with word bigrams)."""

    lr: float = Field(0.1, gt=0, description="learning rate")
    dim: int = Field(100, ge=8, description="size of the word and n-gram vectors")
    ws: int = Field(5, ge=1, description="context window (unused by supervised training)")
    epoch: int = Field(5, ge=1, description="passes over the training set")
    minCount: int = Field(1, ge=1, description="fewest occurrences of a word in the vocabulary")
    wordNgrams: int = Field(
        2,
        ge=2,
        description="longest word n-gram (2: bigrams, DCLM's choice). 1 is refused: without "
        "n-grams fastText drops the hashed rows, the input matrix can be small enough to come "
        "from recycled heap memory, and training would not be reproducible (see train.py)",
    )
    bucket: int = Field(
        2_000_000,
        ge=100_000,
        description="hash buckets for word n-grams (the input matrix has this many rows more "
        "than the vocabulary; at least 100,000 keep it far above glibc's mmap threshold)",
    )
    minn: int = Field(0, ge=0, description="shortest character n-gram (0: none)")
    maxn: int = Field(0, ge=0, description="longest character n-gram (0: none)")
    loss: Literal["softmax", "ns", "hs", "ova"] = "softmax"
    thread: int = Field(
        1,
        ge=1,
        description="training threads; 1 makes the model reproducible from the seed (several "
        "threads update the weights concurrently, so their models differ run to run)",
    )


class ClassifierConfig(_Model):
    name: SnakeName = Field(description="classifier name (snake_case); files <output>/<name>.*")
    output: str = Field(description="directory for the model, its card and report")
    seed: int = Field(0, ge=0, description="seed of sampling, the split and fastText")
    positive: list[dict[str, Any]] = Field(min_length=1, description="sources of positives")
    negative: list[dict[str, Any]] = Field(min_length=1, description="sources of negatives")
    stages: list[dict[str, Any]] = Field(
        default_factory=list, description="stages run on both sides before sampling"
    )
    max_per_class: int = Field(100_000, ge=2, description="documents sampled per class, at most")
    holdout_fraction: float = Field(0.1, gt=0, lt=0.5, description="share held out per class")
    threshold: float = Field(0.5, gt=0, lt=1, description="score cut for precision/recall/F1")
    preprocess: TextPrep = TextPrep()
    fasttext: FastTextParams = FastTextParams()


def load_train_config(raw: dict[str, Any]) -> ClassifierConfig:
    """Validate a raw config (``extends`` and ``--set`` applied) with a ``classifier:`` key."""
    unknown = sorted(set(raw) - {"classifier"})
    if unknown:
        raise ConfigError(f"unknown key(s) {unknown}. Allowed keys: classifier", key=unknown[0])
    section = raw.get("classifier")
    if not isinstance(section, dict):
        raise ConfigError("a training config has a `classifier:` mapping", key="classifier")
    try:
        cfg = ClassifierConfig.model_validate(section)
    except ValidationError as exc:
        raise config_error(exc, "classifier", lambda: [ClassifierConfig]) from None
    for side in ("positive", "negative"):
        side_run_config(cfg, side)  # sources and stages fail here, before anything is read
    return cfg


def side_run_config(
    cfg: ClassifierConfig, side: str, env: dict[str, str] | None = None
) -> RunConfig:
    """The run config that reads one side: its sources, the shared stages, the local runtime."""
    entries = cfg.positive if side == "positive" else cfg.negative
    raw = {
        "run": {"name": f"{cfg.name}_{side}", "seed": cfg.seed, "output": tempfile.gettempdir()},
        "runtime": "local",
        "sources": entries,
        "stages": cfg.stages,
    }
    try:
        return validate_config(raw, env=env)
    except ConfigError as exc:
        raise _rekeyed(exc, side) from None


def _rekeyed(exc: ConfigError, side: str) -> ConfigError:
    def fix(text: str) -> str:
        text = re.sub(r"\bsources\b", f"classifier.{side}", text)
        return re.sub(r"\bstages\b", "classifier.stages", text)

    if exc.key:
        message = str(exc)[len(exc.key) + 2 :]
        return type(exc)(fix(message), key=fix(exc.key))
    return type(exc)(fix(str(exc)))
