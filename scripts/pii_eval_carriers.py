"""The carrier texts of a PII evaluation split, kept as data in ``data/pii_eval/carriers/``.

Each file holds ``templates`` (``[kind, lang, text]``, a ``{SLOT}`` filled with a value from
the split's pools) and ``negatives`` (``[lang, text]``, no PII); the module of the same name
in ``scripts/`` says which split they build and how they were written.
"""

from __future__ import annotations

import json
from pathlib import Path

CARRIERS = Path(__file__).resolve().parents[1] / "data" / "pii_eval" / "carriers"


def load(name: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """``(TEMPLATES, NEGATIVES)`` of ``data/pii_eval/carriers/<name>.json``."""
    data = json.loads((CARRIERS / f"{name}.json").read_text(encoding="utf-8"))
    templates = [(kind, lang, text) for kind, lang, text in data["templates"]]
    negatives = [(lang, text) for lang, text in data["negatives"]]
    return templates, negatives
