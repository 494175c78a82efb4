"""Lines of a batch of texts, as Python's ``str.splitlines`` gives them."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LINE_BOUNDARY", "split_lines"]

#: The boundaries ``str.splitlines`` splits at, as an RE2 expression.
LINE_BOUNDARY = r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x{85}\x{2028}\x{2029}]"


def split_lines(texts: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Lines as ``str.splitlines`` gives them: flat lines, their text index, and lines per text.

    Arrow splits at every boundary and keeps a trailing empty piece; ``splitlines`` drops it
    (and returns no lines for an empty text), so those pieces are removed here.
    """
    pieces = pc.split_pattern_regex(texts, LINE_BOUNDARY)
    parents = pc.list_parent_indices(pieces).to_numpy()
    flat = pc.list_flatten(pieces)
    per_text = pc.list_value_length(pieces).to_numpy(zero_copy_only=False).astype(np.int64)
    ends_with_break = pc.match_substring_regex(texts, f"(?:{LINE_BOUNDARY})$")
    empty = pc.equal(pc.utf8_length(texts), 0)
    drop_last = pc.or_(ends_with_break, empty).to_numpy(zero_copy_only=False)
    if drop_last.any():
        last_index = np.cumsum(per_text) - 1
        keep = np.ones(len(flat), dtype=bool)
        keep[last_index[drop_last & (per_text > 0)]] = False
        flat = flat.filter(pa.array(keep))
        parents = parents[keep]
        per_text = per_text - drop_last.astype(np.int64)
    return flat, parents, per_text
