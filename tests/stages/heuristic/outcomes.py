"""What a filter stage did with texts, for the heuristic filter tests."""

from __future__ import annotations

from typing import Any

from refinery.stage import REJECT_REASON
from tests.stages.batches import make_batch


def reasons(stage: Any, texts: list[str]) -> list[str | None]:
    """The reject reason ``stage`` gave each text (None: kept)."""
    return stage(make_batch(texts))[REJECT_REASON].to_pylist()


def kept_row(stage: Any, text: str) -> dict[str, Any]:
    """The row ``stage`` made of ``text`` alone, checked to be kept and to carry the batch's
    unrelated ``extra`` column through unchanged."""
    out = stage(make_batch([text]))
    assert out[REJECT_REASON].to_pylist() == [None]
    assert out["extra"].to_pylist() == [0]
    return out.to_pylist()[0]
