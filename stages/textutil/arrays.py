"""Small Arrow and numpy helpers the stage families share."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ratio", "set_column", "text_array", "to_numpy"]


def text_array(batch: pa.Table, column: str) -> pa.Array:
    """The text column as one array, nulls read as empty texts."""
    return pc.fill_null(batch[column].combine_chunks(), "")


def set_column(batch: pa.Table, name: str, values: pa.Array) -> pa.Table:
    """Replace column ``name`` if present, else append it."""
    if name in batch.column_names:
        return batch.set_column(batch.column_names.index(name), name, values)
    return batch.append_column(name, values)


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Element-wise ratio, 0 where the denominator is 0."""
    out = np.zeros(len(numerator), dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def to_numpy(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False))
