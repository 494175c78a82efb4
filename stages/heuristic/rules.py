"""Helpers of the heuristic filters' ``reject_reasons``: ordered checks against thresholds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

__all__ = ["below", "exceeds", "first_reason"]


def first_reason(checks: Sequence[tuple[np.ndarray, str]], n_rows: int) -> pa.Array:
    """Reason codes from ordered ``(failed, code)`` checks: the first failed check wins, null
    where every check passed (as datatrove's filters return at their first failing rule)."""
    reasons = np.full(n_rows, None, dtype=object)
    for failed, code in reversed(checks):
        reasons[failed] = code
    return pa.array(reasons, pa.string())


def exceeds(values: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """``values > limit`` where the limit is enabled (not NaN)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(~np.isnan(limit) & (values > limit))


def below(values: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """``values < limit`` where the limit is enabled (not NaN)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(~np.isnan(limit) & (values < limit))
