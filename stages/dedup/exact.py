"""Exact deduplication: one document per normalised-text hash, across all sources.

The text is normalised (configurable: NFKC, lower case, whitespace collapsed, punctuation
dropped), hashed to 128 bits (xxh3-128, so collisions are out of the question at any corpus
size), and every group of equal hashes keeps one document by the same deterministic rule as
near-duplicate removal (``keep.py``). The others get ``reject_reason = "exact_duplicate"``;
every row gets ``exact_dedup_hash`` (hex) and group members ``exact_dedup_kept_id``.
On Ray the groups are formed by a group-by over a partition of the hash, like the LSH
buckets; the text itself is never shuffled until the final join of decisions to rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import register_stage
from stages.dedup.common import (
    KEY_COLUMN,
    apply_decisions,
    cogroup,
    default_partitions,
    doc_keys,
    group_pyarrow,
    isolated,
    map_pyarrow,
    materialized,
    require_unique,
    resolve,
)
from stages.dedup.config import DedupStage, KeeperConfig
from stages.dedup.keep import KeepRule, choose_keepers

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["ExactDedupConfig", "ExactDedupFilter", "normalized_hashes"]

REASON = "exact_duplicate"
PREFIX = "exact_dedup"
HASH_COLUMN = f"{PREFIX}_hash"


class ExactDedupConfig(KeeperConfig):
    nfkc: bool = Field(True, description="Unicode NFKC (full-width → half-width, ligatures)")
    lowercase: bool = Field(True, description="compare case-insensitively")
    collapse_whitespace: bool = Field(
        True, description="runs of whitespace count as one space; leading/trailing ignored"
    )
    strip_punctuation: bool = Field(False, description="ignore punctuation and symbols")


def normalized_hashes(texts: pa.Array | pa.ChunkedArray, cfg: ExactDedupConfig) -> list[str]:
    """xxh3-128 hex digest of each normalised text."""
    import xxhash

    arr = pc.fill_null(texts.cast(pa.large_string()), "")
    if cfg.nfkc:
        arr = pc.utf8_normalize(arr, "NFKC")
    if cfg.lowercase:
        arr = pc.utf8_lower(arr)
    if cfg.strip_punctuation:
        arr = pc.replace_substring_regex(arr, r"[\pP\pS]+", "")
    if cfg.collapse_whitespace:
        arr = pc.utf8_trim_whitespace(pc.replace_substring_regex(arr, r"[\s\p{Z}]+", " "))
    return [xxhash.xxh3_128_hexdigest(t.encode("utf-8")) for t in arr.to_pylist()]


def _members(table: pa.Table, cfg: ExactDedupConfig, keys: np.ndarray) -> pa.Table:
    """Rank columns of every row, grouped by ``cluster_id`` = the hash column."""
    cols: dict[str, Any] = {
        "key": pa.array(keys, pa.uint64()),
        "cluster_id": table[HASH_COLUMN],
        "id": table["id"].cast(pa.string()),
        "source": table["source"].cast(pa.string()),
        "length": pc.utf8_length(pc.fill_null(table[cfg.text_column].cast(pa.string()), "")).cast(
            pa.int64()
        ),
    }
    if cfg.keep == "score" and cfg.score_column in table.column_names:
        cols["score"] = table[cfg.score_column].cast(pa.float64())
    return pa.table(cols)


def _decide(members: pa.Table, rule: KeepRule) -> pa.Table:
    """Keeper decisions for the members of groups of two or more."""
    counts = pc.value_counts(members["cluster_id"])
    repeated = counts.filter(pc.greater(counts.field("counts"), 1)).field("values")
    return choose_keepers(members.filter(pc.is_in(members["cluster_id"], repeated)), rule)


@register_stage("exact_dedup")
class ExactDedupFilter(DedupStage[ExactDedupConfig]):
    """Removes documents whose normalised text equals another's, keeping one per group.

    Writes ``exact_dedup_hash`` (xxh3-128 hex of the normalised text, every row) and
    ``exact_dedup_kept_id`` (for members of a group of two or more: the id of the kept
    document); rejects the others with ``exact_duplicate``.
    """

    config_cls = ExactDedupConfig
    outputs = (HASH_COLUMN, f"{PREFIX}_kept_id")

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        keys = doc_keys(table)
        require_unique(keys, self.name)
        hashed = _add_hash(table, self.config)
        decisions = _decide(_members(hashed, self.config, keys), self.config.keep)
        return _apply(hashed, keys, decisions)

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext) -> ray.data.Dataset:
        """Hash every row in a map; group ``(hash, key, rank columns)`` rows by a partition of
        the hash and decide inside each group; bring the decisions (members of repeated
        groups only) back to the rows by broadcast when few, else by a key co-group."""
        cfg = self.config
        # whole blocks, in the task that reads them (``minhash_ray.sketch_pass``)
        keyed = map_pyarrow(isolated(ds), _add_key_and_hash, fn_kwargs={"cfg": cfg}).materialize()
        n = keyed.count()
        parts = default_partitions(ctx, cfg.num_partitions, n)
        members = map_pyarrow(keyed, _member_rows, fn_kwargs={"cfg": cfg, "parts": parts})
        decisions = group_pyarrow(
            members, "_part", parts, _decide_group, fn_kwargs={"rule": cfg.keep}
        ).materialize()
        slim = decisions.select_columns(["key", "cluster_id", "kept", "kept_id"])
        if slim.count() <= cfg.broadcast_max_rows:
            import ray

            refs = slim.to_arrow_refs()
            small = pa.concat_tables(ray.get(refs)) if refs else _empty_decisions()
            return materialized(
                map_pyarrow(keyed, _apply_broadcast, fn_kwargs={"decisions": ray.put(small)})
            )
        return materialized(cogroup(keyed, slim, KEY_COLUMN, "key", parts, _apply_part))


def _add_hash(table: pa.Table, cfg: ExactDedupConfig) -> pa.Table:
    hashes = pa.array(normalized_hashes(table[cfg.text_column], cfg), pa.string())
    if HASH_COLUMN in table.column_names:
        table = table.drop_columns([HASH_COLUMN])
    return table.append_column(HASH_COLUMN, hashes)


def _add_key_and_hash(batch: pa.Table, cfg: ExactDedupConfig) -> pa.Table:
    keyed = batch.append_column(KEY_COLUMN, pa.array(doc_keys(batch), pa.uint64()))
    return _add_hash(keyed, cfg)


def _empty_decisions() -> pa.Table:
    return pa.table(
        {
            "key": pa.array([], pa.uint64()),
            "cluster_id": pa.array([], pa.string()),
            "kept": pa.array([], pa.bool_()),
            "kept_id": pa.array([], pa.string()),
        }
    )


def _apply(table: pa.Table, keys: np.ndarray, decisions: pa.Table) -> pa.Table:
    """Set ``exact_dedup_kept_id`` and the reasons; the hash column is already there."""
    out = apply_decisions(table, keys, decisions, PREFIX, REASON)
    return out.drop_columns([f"{PREFIX}_cluster_id"])


def _member_rows(batch: pa.Table, cfg: ExactDedupConfig, parts: int) -> pa.Table:
    members = _members(batch, cfg, batch[KEY_COLUMN].to_numpy())
    part = np.array([int(h[:8], 16) % parts for h in members["cluster_id"].to_pylist()])
    return members.append_column("_part", pa.array(part, pa.int64()))


def _decide_group(group: pa.Table, rule: KeepRule) -> pa.Table:
    return _decide(group.drop_columns(["_part"]), rule)


def _apply_broadcast(batch: pa.Table, decisions: Any) -> pa.Table:
    return _apply_part(batch, resolve(decisions))


def _apply_part(left: pa.Table, right: pa.Table) -> pa.Table:
    out = _apply(left, left[KEY_COLUMN].to_numpy(), right)
    return out.drop_columns([KEY_COLUMN])
