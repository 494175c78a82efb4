"""Pass 1 of ``minhash_dedup``: a sketch of every document, one batch at a time.

For each document: its MinHash signature (``signatures.py``, datasketch-compatible for the
normalised text), the size of its shingle set (for the containment estimate), and its LSH
band hashes: ``bands`` bands of the signature and, when containment is on, ``prefix_bands``
bands of a second, small signature over its first ``prefix_shingles`` shingles. A truncated
copy shares its beginning with the original, so the prefix bands make the two a candidate
pair at any Jaccard similarity; verification (``verify.py``) then decides by containment.

``sketch_texts`` is the one signature loop; ``run_local`` calls it over the whole table and
the Ray signature pass (``sketch_rows``) over each block, keeping the block's rows beside
their sketches; ``sketch_table`` is the text-free view the later passes read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.dedup.common import KEY_COLUMN, doc_keys

if TYPE_CHECKING:
    from stages.dedup.minhash import MinHashDedupConfig

__all__ = [
    "SKETCH_COLUMNS",
    "Sketches",
    "band_rows",
    "doc_features",
    "sig_array",
    "sig_numpy",
    "sketch_rows",
    "sketch_table",
    "sketch_texts",
]

#: The columns ``sketch_rows`` adds beside ``KEY_COLUMN`` (dropped again by the last pass).
LENGTH, SIZE, SIG, BANDS = "_minhash_length", "_minhash_size", "_minhash_sig", "_minhash_bands"
SKETCH_COLUMNS = (LENGTH, SIZE, SIG, BANDS)


@dataclass(frozen=True)
class Sketches:
    """``sigs`` (n, num_perm) uint32; ``has`` (n,) bool: the document has a shingle;
    ``sizes`` (n,) int64: distinct shingles; ``bands`` (n, total bands) uint64."""

    sigs: np.ndarray
    has: np.ndarray
    sizes: np.ndarray
    bands: np.ndarray


def _sketch_chunk(
    texts: pa.Array | pa.ChunkedArray, cfg: MinHashDedupConfig
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]:
    """Signatures, prefix signatures (with containment), has-a-shingle and set sizes."""
    from stages.dedup.shingles import shingle_hashes
    from stages.dedup.signatures import signatures

    sh = shingle_hashes(
        texts,
        ngram=cfg.ngram,
        mode=cfg.shingle,
        cjk_ratio=cfg.cjk_ratio,
        norm=cfg.normalization(),
    )
    sigs = signatures(sh, cfg.num_perm, cfg.seed)
    prefix = None
    if cfg.containment is not None:
        prefix = signatures(
            sh, cfg.prefix_bands * cfg.prefix_rows, cfg.seed, limit=cfg.prefix_shingles
        )
    sizes = sh.distinct_counts() if cfg.containment is not None else sh.counts
    return sigs, prefix, sh.counts > 0, sizes


def sketch_texts(texts: pa.Array | pa.ChunkedArray, cfg: MinHashDedupConfig) -> Sketches:
    """Sketches of ``texts``: signatures ``cfg.batch_rows`` documents at a time (the numpy
    path's per-permutation vectors stay in cache; the compiled path is as fast in 1,024-row
    chunks as in larger ones), band hashes once over all of them."""
    from stages.dedup.lsh import band_hashes

    parts = [
        _sketch_chunk(texts.slice(start, cfg.batch_rows), cfg)
        for start in range(0, len(texts), cfg.batch_rows)
    ]
    if not parts:
        return Sketches(
            sigs=np.zeros((0, cfg.num_perm), np.uint32),
            has=np.zeros(0, bool),
            sizes=np.zeros(0, np.int64),
            bands=np.zeros((0, cfg.total_bands()), np.uint64),
        )
    sigs = np.concatenate([p[0] for p in parts])
    bands, rows = cfg.band_params()
    band_parts = [band_hashes(sigs, bands, rows)]
    if cfg.containment is not None:
        prefix = np.concatenate([p[1] for p in parts if p[1] is not None])
        band_parts.append(band_hashes(prefix, cfg.prefix_bands, cfg.prefix_rows))
    return Sketches(
        sigs=sigs,
        has=np.concatenate([p[2] for p in parts]),
        sizes=np.concatenate([p[3] for p in parts]),
        bands=np.hstack(band_parts),
    )


def doc_features(
    table: pa.Table, cfg: MinHashDedupConfig, keys: np.ndarray, lengths: pa.Array | None = None
) -> pa.Table:
    """What the keeper rule and ``clusters/`` need of each document: key, id, source, length
    (characters of the text, or ``lengths`` when given) and, where configured and present,
    the quality score."""
    if lengths is None:
        text = pc.fill_null(table[cfg.text_column].cast(pa.string()), "")
        lengths = pc.utf8_length(text).cast(pa.int64())
    cols: dict[str, Any] = {
        "key": pa.array(keys, pa.uint64()),
        "id": table["id"].cast(pa.string()),
        "source": table["source"].cast(pa.string())
        if "source" in table.column_names
        else pa.nulls(table.num_rows, pa.string()),
        "length": lengths,
    }
    if cfg.keep == "score" and cfg.score_column and cfg.score_column in table.column_names:
        cols["score"] = table[cfg.score_column].cast(pa.float64())
    return pa.table(cols)


def sig_array(sigs: np.ndarray) -> pa.Array:
    """Signatures as one fixed-size binary value per document."""
    width = sigs.shape[1] * 4
    buf = pa.py_buffer(np.ascontiguousarray(sigs))  # no copy: the buffer keeps the array
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), sigs.shape[0], [None, buf])


def sig_numpy(arr: pa.Array | pa.ChunkedArray, num_perm: int) -> np.ndarray:
    """``sig_array``'s inverse (also for the binary column a join may hand back)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.binary(num_perm * 4))
    if len(arr) == 0:
        return np.zeros((0, num_perm), dtype=np.uint32)
    if pa.types.is_fixed_size_binary(arr.type):
        flat = np.frombuffer(arr.buffers()[1], dtype=np.uint32)
        return flat[arr.offset * num_perm : (arr.offset + len(arr)) * num_perm].reshape(
            -1, num_perm
        )
    from stages.dedup.hashing import string_buffers

    offsets, data = string_buffers(arr)
    assert len(data) == len(arr) * num_perm * 4, f"{len(data)=} {len(arr)=} {num_perm=}"
    return data.view(np.uint32).reshape(-1, num_perm)


def sketch_rows(batch: pa.Table, cfg: MinHashDedupConfig) -> pa.Table:
    """The Ray signature pass over one block: its rows with their document key
    (``KEY_COLUMN``) and their sketch in the ``SKETCH_COLUMNS`` (length, set size, signature,
    band hashes: null for documents without a shingle).

    The rows keep their text: the last pass applies the decisions to this same table, so the
    corpus is read, keyed and sketched in one task per block and materialised once.
    """
    keys = doc_keys(batch)
    sk = sketch_texts(batch[cfg.text_column], cfg)
    text = pc.fill_null(batch[cfg.text_column].cast(pa.string()), "")
    nb = sk.bands.shape[1]
    band_list = pa.FixedSizeListArray.from_arrays(pa.array(sk.bands.reshape(-1), pa.uint64()), nb)
    cols = {
        KEY_COLUMN: pa.array(keys, pa.uint64()),
        LENGTH: pc.utf8_length(text).cast(pa.int64()),
        SIZE: pa.array(sk.sizes, pa.int64()),
        SIG: sig_array(sk.sigs),
        BANDS: pc.if_else(pa.array(~sk.has), pa.nulls(len(sk.has), band_list.type), band_list),
    }
    out = batch.drop_columns([c for c in cols if c in batch.column_names])
    for name, col in cols.items():
        out = out.append_column(name, col)
    return out


def sketch_table(rows: pa.Table, cfg: MinHashDedupConfig, bands: bool = True) -> pa.Table:
    """``sketch_rows``' output without the text: ``doc_features`` + ``size``, ``sig`` and
    (with ``bands``) ``bands``, one row per document (what the later passes join on ``key``)."""
    out = doc_features(rows, cfg, rows[KEY_COLUMN].to_numpy(), rows[LENGTH])
    cols = [("size", SIZE), ("sig", SIG)] + ([("bands", BANDS)] if bands else [])
    for name, col in cols:
        out = out.append_column(name, rows[col])
    return out


def band_rows(batch: pa.Table, parts: int) -> pa.Table:
    """One row per (document, band): ``band``, ``bhash``, ``key`` and the shuffle ``_part``.

    22 bytes per row (uint16 band, uint64 hash, uint64 key, int32 partition): the largest
    shuffle of the stage, one row per band per document.
    """
    from stages.dedup.common import partition_of

    valid = batch.filter(pc.is_valid(batch["bands"]))
    keys = valid["key"].to_numpy()
    nb = batch.schema.field("bands").type.list_size
    flat = (
        valid["bands"].combine_chunks().flatten() if valid.num_rows else pa.array([], pa.uint64())
    )
    bh = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.uint64)
    band_idx = np.tile(np.arange(nb, dtype=np.uint16), len(keys))
    return pa.table(
        {
            "band": pa.array(band_idx, pa.uint16()),
            "bhash": pa.array(bh, pa.uint64()),
            "key": pa.array(np.repeat(keys, nb), pa.uint64()),
            "_part": pa.array(
                partition_of(bh ^ band_idx.astype(np.uint64), parts).astype(np.int32)
            ),
        }
    )
