"""The model card: what a trained classifier is, next to its model file.

``<name>.bin`` is the fastText model; ``<name>.card.json`` says how it was made (sources,
counts, parameters, metrics, the text preparation, the sha256 of the model file). The stage
reads the card to prepare text exactly as the trainer did and to find the positive label.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from refinery.errors import ConfigError

__all__ = [
    "NEGATIVE_LABEL",
    "POSITIVE_LABEL",
    "card_path",
    "file_sha256",
    "read_card",
]

#: fastText labels of the two classes a trained classifier knows.
POSITIVE_LABEL = "__label__positive"
NEGATIVE_LABEL = "__label__negative"


def card_path(model_path: str | Path) -> Path:
    """``models/x.bin`` → ``models/x.card.json``."""
    p = Path(model_path)
    return p.with_name(p.stem + ".card.json")


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_card(model_path: str | Path, key: str = "model_path") -> dict[str, Any] | None:
    """The card of ``model_path``, or None when there is none (a model trained elsewhere).

    A card whose sha256 does not match the model file is an error: the model was replaced
    and the card no longer describes it.
    """
    path = card_path(model_path)
    if not path.exists():
        return None
    try:
        card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"model card {str(path)!r} is not valid JSON: {exc}", key=key) from None
    expected = card.get("model", {}).get("sha256")
    if expected and Path(model_path).exists() and file_sha256(model_path) != expected:
        raise ConfigError(
            f"model card {str(path)!r} records sha256 {expected[:12]}..., but "
            f"{str(model_path)!r} differs: the card does not describe this model",
            key=key,
        )
    return card
