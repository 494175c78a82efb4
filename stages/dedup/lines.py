"""Line- or paragraph-level exact dedup across the corpus: repeated boilerplate removed.

Navigation bars, footers, cookie notices and licence headers repeat across thousands of
pages of a site; they carry no training signal, and around the same body they hide a
duplicate from MinHash (the changed boilerplate outweighs a short body). CCNet (Wenzek et
al., 2020, ``cc_net/dedup.py``) removes every paragraph whose normalised hash was already
seen; Dolma's ``dedupe`` marks repeated paragraphs with a Bloom filter. Both keep the first
occurrence in reading order, so their output depends on the order of the shards. This stage
decides by counting, which does not:

1. Each document is cut into units: lines (``unit: line``) or paragraphs (blocks separated
   by blank lines, ``unit: paragraph``).
2. Each unit is normalised (NFKC, lower case, whitespace and punctuation removed, as
   ``exact_dedup`` with ``strip_punctuation``) and hashed (64 bits). Units shorter than
   ``min_length`` after normalisation are never removed (a CJK character counts two,
   roughly the information of two Latin letters), so short lines such as ``}``, ``Example:``
   or ``返回`` stay.
3. A unit found in more than ``max_docs`` distinct documents is removed from all of them,
   except, with ``keep_first`` (default), from the document with the smallest key (the
   64-bit hash of source and id, ``common.doc_keys``), so that text existing only as a
   repeated line is not lost from the corpus.
4. A document whose every countable unit was removed is rejected as ``repeated_lines``
   (it holds nothing that another document does not); the others keep their remaining
   units, in order.

Writes ``line_dedup_removed`` (units removed, int32) and ``line_dedup_removed_chars``
(characters removed, int64) on every row and rewrites ``text`` where units were removed.
On Ray: unit hashes are grouped by a partition of the hash (the counting needs no other
document), and the removals go back to their documents by broadcast when few, else by a
co-group on the document key; the result equals ``run_local``'s (tested).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import register_stage, set_reject_reasons
from stages.dedup import common
from stages.dedup.config import DedupConfig, DedupStage
from stages.dedup.hashing import hash_strings64

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["LineDedupConfig", "LineDedupFilter", "repeated_units", "unit_hashes"]

REASON = "repeated_lines"
PREFIX = "line_dedup"
_PARAGRAPH_BREAK = r"\n[ \t\r\f\v]*\n"
_PAIR = np.dtype([("k", np.uint64), ("h", np.uint64)])


class LineDedupConfig(DedupConfig):
    unit: Literal["line", "paragraph"] = Field(
        "line", description="'line': split at newlines; 'paragraph': at blank lines"
    )
    min_length: int = Field(
        20,
        ge=1,
        description="units shorter than this (normalised characters; CJK count two) are "
        "never removed",
    )
    max_docs: int = Field(
        3, ge=1, description="a unit in more than this many documents is repeated boilerplate"
    )
    keep_first: bool = Field(
        True, description="the document with the smallest key keeps its copy of a repeated unit"
    )


def _units(texts: pa.Array | pa.ChunkedArray, unit: str) -> pa.ListArray:
    arr = pc.fill_null(texts.cast(pa.large_string()), "")
    if unit == "line":
        return pc.split_pattern(arr, "\n")
    return pc.split_pattern_regex(arr, _PARAGRAPH_BREAK)


def unit_hashes(
    texts: pa.Array | pa.ChunkedArray, cfg: LineDedupConfig
) -> tuple[pa.ListArray, np.ndarray, np.ndarray, np.ndarray]:
    """(units per document, document index per unit, hash per unit, countable per unit)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.string())
    units = _units(texts, cfg.unit)
    flat = pc.list_flatten(units)
    doc = pc.list_parent_indices(units).to_numpy(zero_copy_only=False).astype(np.int64)
    norm = pc.utf8_lower(pc.utf8_normalize(flat, "NFKC"))
    norm = pc.replace_substring_regex(norm, r"[\s\pP\pS\p{Z}\p{C}]+", "")
    chars = pc.utf8_length(norm).to_numpy(zero_copy_only=False)
    ascii_chars = pc.utf8_length(pc.replace_substring_regex(norm, r"[^\x00-\x7f]", "")).to_numpy(
        zero_copy_only=False
    )
    weight = 2 * chars - ascii_chars  # non-ASCII (CJK) characters count two
    return units, doc, hash_strings64(norm), weight >= cfg.min_length


def repeated_units(
    keys: np.ndarray, hashes: np.ndarray, max_docs: int, keep_first: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(document key, unit hash) to remove: units in more than ``max_docs`` distinct
    documents, all occurrences but the smallest key's when ``keep_first``. Depends only on
    the set of (key, hash) pairs given, so any partition by hash gives the same union."""
    if len(keys) == 0:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, empty
    order = np.lexsort((keys, hashes))
    k, h = keys[order], hashes[order]
    distinct = np.ones(len(k), dtype=bool)
    distinct[1:] = (h[1:] != h[:-1]) | (k[1:] != k[:-1])
    k, h = k[distinct], h[distinct]
    head = np.ones(len(h), dtype=bool)
    head[1:] = h[1:] != h[:-1]
    group = np.cumsum(head) - 1
    ndocs = np.bincount(group)
    remove = ndocs[group] > max_docs
    if keep_first:
        remove &= ~head  # within a hash, keys are sorted: the head is the smallest key
    return k[remove], h[remove]


def _remove(
    table: pa.Table,
    keys: np.ndarray,
    drop_keys: np.ndarray,
    drop_hashes: np.ndarray,
    cfg: LineDedupConfig,
) -> pa.Table:
    """``table`` with the (key, hash) units removed from its texts, counted and judged."""
    n = table.num_rows
    units, doc, hashes, countable = unit_hashes(table[cfg.text_column], cfg)
    removed = np.zeros(len(hashes), dtype=bool)
    if len(drop_keys) and len(hashes):
        # exact (key, hash) membership: sorted structured pairs, one searchsorted
        drop = np.zeros(len(drop_keys), dtype=_PAIR)
        drop["k"], drop["h"] = drop_keys, drop_hashes
        drop = np.sort(drop)
        query = np.zeros(len(hashes), dtype=_PAIR)
        query["k"], query["h"] = keys[doc], hashes
        pos = np.minimum(np.searchsorted(drop, query), len(drop) - 1)
        removed = (drop[pos] == query) & countable
    per_doc = np.bincount(doc[removed], minlength=n).astype(np.int32)
    lengths = pc.utf8_length(pc.list_flatten(units)).to_numpy(zero_copy_only=False)
    chars = np.bincount(doc[removed], weights=lengths[removed], minlength=n).astype(np.int64)
    countable_left = np.bincount(doc[countable & ~removed], minlength=n)
    emptied = (per_doc > 0) & (countable_left == 0)
    text = table[cfg.text_column]
    touched = np.flatnonzero(per_doc > 0)
    if len(touched):
        sep = "\n" if cfg.unit == "line" else "\n\n"
        values = text.to_pylist()
        offsets = units.offsets.to_numpy()
        flat = pc.list_flatten(units).to_pylist()
        for i in touched:
            start, stop = offsets[i], offsets[i + 1]
            values[i] = sep.join(flat[u] for u in range(start, stop) if not removed[u])
        text = pa.array(values, table.schema.field(cfg.text_column).type)
    out = table.set_column(table.column_names.index(cfg.text_column), cfg.text_column, text)
    for name, col in (
        (f"{PREFIX}_removed", pa.array(per_doc, pa.int32())),
        (f"{PREFIX}_removed_chars", pa.array(chars, pa.int64())),
    ):
        if name in out.column_names:
            out = out.drop_columns([name])
        out = out.append_column(name, col)
    reasons = pc.if_else(pa.array(emptied), pa.scalar(REASON), pa.scalar(None, pa.string()))
    return set_reject_reasons(out, reasons)


@register_stage("line_dedup")
class LineDedupFilter(DedupStage[LineDedupConfig]):
    """Removes lines (or paragraphs) repeated in more than ``max_docs`` documents.

    Writes ``line_dedup_removed`` and ``line_dedup_removed_chars``, rewrites the text where
    units were removed, and rejects documents left without a countable unit as
    ``repeated_lines``. See the module docstring for the rule and its sources (CCNet, Dolma).
    """

    config_cls = LineDedupConfig
    outputs = (f"{PREFIX}_removed", f"{PREFIX}_removed_chars")

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        cfg = self.config
        keys = common.doc_keys(table)
        common.require_unique(keys, self.name)
        _, doc, hashes, countable = unit_hashes(table[cfg.text_column], cfg)
        drop_keys, drop_hashes = repeated_units(
            keys[doc[countable]], hashes[countable], cfg.max_docs, cfg.keep_first
        )
        return _remove(table, keys, drop_keys, drop_hashes, cfg)

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext) -> ray.data.Dataset:
        """Key the rows; (key, unit hash) rows grouped by a partition of the hash decide the
        removals; the removals go back to the rows (broadcast, or co-group on the key)."""
        cfg = self.config
        # whole blocks, in the task that reads them (``minhash_ray.sketch_pass``)
        keyed = common.map_pyarrow(common.isolated(ds), _add_key).materialize()
        n = keyed.count()
        parts = common.default_partitions(ctx, cfg.num_partitions, n * 10)
        pairs = common.map_pyarrow(keyed, _unit_rows, fn_kwargs={"cfg": cfg, "parts": parts})
        removals = common.group_pyarrow(
            pairs, "_part", parts, _repeated_group, fn_kwargs={"cfg": cfg}
        ).materialize()
        if removals.count() <= cfg.broadcast_max_rows:
            import ray

            refs = removals.to_arrow_refs()
            small = pa.concat_tables(ray.get(refs)) if refs else _empty_removals()
            return common.materialized(
                common.map_pyarrow(
                    keyed, _apply_broadcast, fn_kwargs={"removals": ray.put(small), "cfg": cfg}
                )
            )
        return common.materialized(
            common.cogroup(
                keyed, removals, common.KEY_COLUMN, "key", parts, _apply_group, {"cfg": cfg}
            )
        )


def _empty_removals() -> pa.Table:
    return pa.table({"key": pa.array([], pa.uint64()), "hash": pa.array([], pa.uint64())})


def _add_key(batch: pa.Table) -> pa.Table:
    return batch.append_column(common.KEY_COLUMN, pa.array(common.doc_keys(batch), pa.uint64()))


def _unit_rows(batch: pa.Table, cfg: LineDedupConfig, parts: int) -> pa.Table:
    _, doc, hashes, countable = unit_hashes(batch[cfg.text_column], cfg)
    keys = batch[common.KEY_COLUMN].to_numpy()[doc[countable]]
    h = hashes[countable]
    return pa.table(
        {
            "key": pa.array(keys, pa.uint64()),
            "hash": pa.array(h, pa.uint64()),
            "_part": pa.array(common.partition_of(h, parts)),
        }
    )


def _repeated_group(group: pa.Table, cfg: LineDedupConfig) -> pa.Table:
    keys, hashes = repeated_units(
        group["key"].to_numpy(), group["hash"].to_numpy(), cfg.max_docs, cfg.keep_first
    )
    return pa.table({"key": pa.array(keys, pa.uint64()), "hash": pa.array(hashes, pa.uint64())})


def _apply_broadcast(batch: pa.Table, removals: Any, cfg: LineDedupConfig) -> pa.Table:
    return _apply_group(batch, common.resolve(removals), cfg)


def _apply_group(left: pa.Table, right: pa.Table, cfg: LineDedupConfig) -> pa.Table:
    keys = left[common.KEY_COLUMN].to_numpy()
    out = _remove(left, keys, right["key"].to_numpy(), right["hash"].to_numpy(), cfg)
    return out.drop_columns([common.KEY_COLUMN])
