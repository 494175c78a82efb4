"""MinHash-LSH near-duplicate removal: a global stage made of small passes.

Passes (each a module, each testable alone):

1. **signatures** (``shingles.py``, ``signatures.py``): shingle every document (word
   5-grams, character 5-grams for CJK) and compute a datasketch-compatible MinHash per
   document, vectorised over a whole Arrow batch.
2. **bands** (``lsh.py``): cut each signature into ``b`` bands of ``r`` rows, ``(b, r)``
   from datasketch's optimal-parameter search for the threshold unless given; hash each band.
3. **candidate pairs** (``lsh.bucket_edges``): group ``(band, band_hash, key)`` rows by
   bucket — a Ray Data group-by over partitions of the band hash, never a gather — and emit
   a star of edges per bucket.
4. **verification** (optional, on by default): drop candidate pairs whose signature
   agreement (the MinHash estimate of their Jaccard similarity) is below the threshold,
   which removes the LSH false positives below the S-curve's knee.
5. **connected components** (``components.py``): large-star / small-star rounds on Ray
   (Kiveris et al. 2014), scipy in-process for ``run_local``; each cluster is named by its
   smallest key, so clusters are deterministic.
6. **keep one per cluster** (``keep.py``): highest quality score if the column exists,
   else longest, else smallest id. The others get ``reject_reason = "near_duplicate"``;
   every row gets ``minhash_dedup_cluster_id`` and ``minhash_dedup_kept_id`` (null outside
   clusters), and ``clusters/`` lists each cluster of two or more (``cluster_id``, ``id``,
   ``source``, ``kept``).

References: Broder, "On the resemblance and containment of documents" (1997); Leskovec,
Rajaraman & Ullman, *Mining of Massive Datasets* ch. 3; datasketch ``minhash.py`` and
``lsh.py``; datatrove ``pipeline/dedup/minhash.py`` (the same four-step workflow on files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, model_validator

from refinery.stage import GlobalStage, Resources, StageConfig, register_stage
from stages.dedup.common import (
    KEY_COLUMN,
    apply_decisions,
    broadcast_keys,
    cogroup,
    default_partitions,
    doc_keys,
    empty_result,
    group_pyarrow,
    isolated,
    keep_keys,
    lookup,
    map_pyarrow,
    materialized,
    partition_of,
    require_unique,
)
from stages.dedup.keep import KeepRule, choose_keepers
from stages.dedup.shingles import ShingleMode

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["MinHashDedupConfig", "MinHashDedupFilter", "compute_signatures"]

REASON = "near_duplicate"
PREFIX = "minhash_dedup"


class MinHashDedupConfig(StageConfig):
    text_column: str = Field("text", description="column holding the document text")
    threshold: float = Field(
        0.8, gt=0, lt=1, description="Jaccard similarity at or above which two docs are duplicates"
    )
    num_perm: int = Field(
        256,
        ge=8,
        le=1024,
        description="MinHash permutations; 256 halves the estimate's variance vs 128, which "
        "matters when verifying pairs near the threshold",
    )
    bands: int | None = Field(None, ge=1, description="LSH bands; default: datasketch's optimum")
    rows: int | None = Field(None, ge=1, description="rows per band; set together with `bands`")
    ngram: int = Field(5, ge=1, le=32, description="tokens (words, or CJK characters) per shingle")
    shingle: ShingleMode = Field(
        "auto", description="'auto': characters for CJK documents, words otherwise; or force one"
    )
    cjk_ratio: float = Field(
        0.2, ge=0, description="auto mode: char shingles when CJK chars >= this × ASCII letters"
    )
    seed: int = Field(1, description="permutation seed (datasketch's default is 1)")
    verify: bool = Field(
        True, description="drop candidate pairs whose signature Jaccard is below the threshold"
    )
    keep: KeepRule = Field("score", description="keeper rule: 'score', 'longest', 'smallest_id'")
    score_column: str = Field(
        "fasttext_quality_score", description="quality column for keep='score' (if present)"
    )
    fp_weight: float | None = Field(
        None,
        ge=0,
        description="false-positive weight in the (b, r) search; default 0.05 with `verify` "
        "(a false candidate only costs a signature comparison), else 0.5 as datasketch",
    )
    fn_weight: float | None = Field(
        None, ge=0, description="false-negative weight; default 1 - fp_weight"
    )
    batch_rows: int = Field(
        1024,
        ge=1,
        description="rows per signature computation; ~1k keeps the per-permutation vectors "
        "in cache (16k rows runs 2-3x slower)",
    )
    num_partitions: int | None = Field(
        None, ge=1, description="Ray shuffle partitions (default: 2 per CPU, ~1M rows each)"
    )
    write_clusters: bool = Field(True, description="write clusters/ (one row per member)")
    block_rows: int = Field(
        16384,
        ge=1,
        description="Ray: rows per block for the signature pass (coalesces small blocks)",
    )
    broadcast_max_rows: int = Field(
        5_000_000,
        ge=0,
        description="Ray: below this many candidate documents / decisions, broadcast them "
        "instead of shuffling the corpus (0: always shuffle)",
    )
    single_task_max_edges: int = Field(
        2_000_000,
        ge=0,
        description="Ray: with at most this many candidate pairs (and their documents under "
        "broadcast_max_rows), verification, components and keeper choice run in one task "
        "instead of a shuffle per pass (0: always the distributed passes)",
    )

    @model_validator(mode="after")
    def _check_bands(self) -> MinHashDedupConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("set both `bands` and `rows`, or neither")
        if self.bands is not None and self.rows is not None:
            if self.bands * self.rows > self.num_perm:
                raise ValueError(
                    f"bands*rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}"
                )
        return self

    def band_params(self) -> tuple[int, int]:
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        from stages.dedup.lsh import optimal_params

        fp = self.fp_weight if self.fp_weight is not None else (0.05 if self.verify else 0.5)
        fn = self.fn_weight if self.fn_weight is not None else 1.0 - fp
        return optimal_params(self.threshold, self.num_perm, fp, fn)


def compute_signatures(
    texts: pa.Array | pa.ChunkedArray, cfg: MinHashDedupConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of a batch, ``(n, num_perm)`` uint32; all-max rows have no shingles."""
    from stages.dedup.shingles import shingle_hashes
    from stages.dedup.signatures import signatures

    sh = shingle_hashes(texts, ngram=cfg.ngram, mode=cfg.shingle, cjk_ratio=cfg.cjk_ratio)
    return signatures(sh, cfg.num_perm, cfg.seed), sh.counts > 0


def _doc_features(table: pa.Table, cfg: MinHashDedupConfig, keys: np.ndarray) -> pa.Table:
    cols: dict[str, Any] = {
        "key": pa.array(keys, pa.uint64()),
        "id": table["id"].cast(pa.string()),
        "source": table["source"].cast(pa.string())
        if "source" in table.column_names
        else pa.nulls(table.num_rows, pa.string()),
        "length": pc.utf8_length(pc.fill_null(table[cfg.text_column].cast(pa.string()), "")).cast(
            pa.int64()
        ),
    }
    if cfg.keep == "score" and cfg.score_column in table.column_names:
        cols["score"] = table[cfg.score_column].cast(pa.float64())
    return pa.table(cols)


def _verify(
    edges: np.ndarray, sig_u: np.ndarray, sig_v: np.ndarray, threshold: float
) -> np.ndarray:
    """Keep the edges whose signature agreement (estimated Jaccard) reaches ``threshold``."""
    est = (sig_u == sig_v).mean(axis=1)
    kept: np.ndarray = edges[est >= threshold - 1e-12]
    return kept


def _sig_array(sigs: np.ndarray) -> pa.Array:
    width = sigs.shape[1] * 4
    buf = pa.py_buffer(np.ascontiguousarray(sigs).tobytes())
    return pa.FixedSizeBinaryArray.from_buffers(pa.binary(width), sigs.shape[0], [None, buf])


def _sig_numpy(arr: pa.Array | pa.ChunkedArray, num_perm: int) -> np.ndarray:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.binary(num_perm * 4))
    if len(arr) == 0:
        return np.zeros((0, num_perm), dtype=np.uint32)
    if pa.types.is_fixed_size_binary(arr.type):
        flat = np.frombuffer(arr.buffers()[1], dtype=np.uint32)
        return flat[arr.offset * num_perm : (arr.offset + len(arr)) * num_perm].reshape(
            -1, num_perm
        )
    # a join may hand the column back as (large_)binary: values are still contiguous
    from stages.dedup.hashing import string_buffers

    offsets, data = string_buffers(arr)
    assert len(data) == len(arr) * num_perm * 4, f"{len(data)=} {len(arr)=} {num_perm=}"
    return data.view(np.uint32).reshape(-1, num_perm)


@register_stage("minhash_dedup")
class MinHashDedupFilter(GlobalStage[MinHashDedupConfig]):
    """Removes near-duplicate documents (MinHash-LSH), keeping one per cluster.

    Writes ``minhash_dedup_cluster_id`` (uint64, smallest member key, null for singletons)
    and ``minhash_dedup_kept_id`` (id of the cluster's kept document); rejects the other
    members with ``near_duplicate``. See the module docstring for the passes.
    """

    config_cls = MinHashDedupConfig
    resources = Resources(num_cpus=1)

    def reads(self) -> list[str]:
        return ["id", "source", self.config.text_column]

    def writes(self) -> list[str]:
        return [f"{PREFIX}_cluster_id", f"{PREFIX}_kept_id"]

    # ------------------------------------------------------------------ local

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        from stages.dedup.lsh import band_hashes, bucket_edges

        cfg = self.config
        if table.num_rows == 0:
            return empty_result(table, PREFIX)
        keys = doc_keys(table)
        require_unique(keys, self.name)
        bands, rows = cfg.band_params()
        texts = table[cfg.text_column]
        sig_parts, has_parts = [], []
        for start in range(0, table.num_rows, cfg.batch_rows):
            s, h = compute_signatures(texts.slice(start, cfg.batch_rows), cfg)
            sig_parts.append(s)
            has_parts.append(h)
        sigs = np.concatenate(sig_parts)
        has = np.concatenate(has_parts)
        idx = np.flatnonzero(has)
        bh = band_hashes(sigs[idx], bands, rows)
        band_col = np.tile(np.arange(bands, dtype=np.int64), len(idx))
        edges = bucket_edges(band_col, bh.reshape(-1), np.repeat(keys[idx], bands))
        if len(edges) == 0:
            return empty_result(table, PREFIX)
        nodes = np.unique(edges)
        order = np.argsort(keys)
        rows_of = order[np.searchsorted(keys, nodes, sorter=order)]
        features = _doc_features(table.take(pa.array(rows_of)), cfg, nodes)
        decisions = _graph_decisions(edges, features, sigs[rows_of], cfg)
        if decisions.num_rows == 0:
            return empty_result(table, PREFIX)
        if ctx is not None and cfg.write_clusters:
            ctx.write_side_table("clusters", _clusters_table(decisions))
        return apply_decisions(table, keys, decisions, PREFIX, REASON)

    # ------------------------------------------------------------------ ray

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext) -> ray.data.Dataset:
        """The passes as Ray Data operations; every shuffle is a group-by on ``key % P``.

        Materialised intermediates: the keyed input (read once, used by the first and the
        last pass), the signatures, the edges after each components round, the decisions
        and the output.
        """
        cfg = self.config
        bands, rows = cfg.band_params()
        keyed = map_pyarrow(isolated(ds), _add_key, batch_size=cfg.block_rows).materialize()
        n = keyed.count()
        if n == 0:
            return materialized(map_pyarrow(keyed, _finish_empty))
        parts = default_partitions(ctx, cfg.num_partitions, n * bands)
        sigs = map_pyarrow(keyed, _signature_rows, fn_kwargs={"cfg": cfg}).materialize()
        band_rows = map_pyarrow(
            sigs, _band_rows, fn_kwargs={"cfg": cfg, "bands": bands, "rows": rows, "parts": parts}
        )
        edges = group_pyarrow(band_rows, "_part", parts, _bucket_group).materialize()
        if edges.count() == 0:
            return materialized(map_pyarrow(keyed, _finish_empty))
        # Only the documents on a candidate edge matter from here on. When they are few
        # enough, their keys are broadcast so that each pass shuffles their rows only.
        nodes = broadcast_keys(edges, ["u", "v"], cfg.broadcast_max_rows)
        feats = (
            sigs
            if nodes is None
            else map_pyarrow(
                sigs, keep_keys, fn_kwargs={"column": "key", "keys": nodes}
            ).materialize()
        )
        if nodes is not None and edges.count() <= cfg.single_task_max_edges:
            decisions = _decide_in_one_task(edges, feats, cfg, ctx if cfg.write_clusters else None)
            if decisions.count() == 0:
                return materialized(map_pyarrow(keyed, _finish_empty))
            return self._apply_decisions_ray(keyed, decisions, ctx, parts, clusters_written=True)
        if cfg.verify:
            sig_only = feats.select_columns(["key", "sig"])
            with_u = cogroup(edges, sig_only, "u", "key", parts, _attach_sig_u)
            edges = cogroup(
                with_u, sig_only, "v", "key", parts, _verify_part, {"cfg": cfg}
            ).materialize()
            if edges.count() == 0:
                return materialized(map_pyarrow(keyed, _finish_empty))
        stars = _components_ray(edges, parts)
        members = map_pyarrow(stars, _star_members)
        members = cogroup(
            members, feats.drop_columns(["sig", "bands"]), "key", "key", parts, _attach_features
        )
        members = map_pyarrow(members, _with_cluster_part, fn_kwargs={"parts": parts})
        decisions = group_pyarrow(
            members, "_part", parts, _keep_group, fn_kwargs={"rule": cfg.keep}
        ).materialize()
        return self._apply_decisions_ray(keyed, decisions, ctx, parts)

    def _apply_decisions_ray(
        self,
        keyed: ray.data.Dataset,
        decisions: ray.data.Dataset,
        ctx: GlobalContext,
        parts: int,
        clusters_written: bool = False,
    ) -> ray.data.Dataset:
        cfg = self.config
        if cfg.write_clusters and not clusters_written:
            _write_parquet(map_pyarrow(decisions, _clusters_table), ctx, "clusters")
        slim = decisions.select_columns(["key", "cluster_id", "kept", "kept_id"])
        if slim.count() <= cfg.broadcast_max_rows:
            import ray

            small = pa.concat_tables(ray.get(slim.to_arrow_refs())).sort_by("key")
            return materialized(
                map_pyarrow(keyed, _apply_broadcast, fn_kwargs={"decisions": ray.put(small)})
            )
        return materialized(cogroup(keyed, slim, KEY_COLUMN, "key", parts, _apply_part))


def _graph_decisions(
    edges: np.ndarray, features: pa.Table, sigs: np.ndarray, cfg: MinHashDedupConfig
) -> pa.Table:
    """Verification, components and keepers of one whole candidate graph, in this process.

    ``features`` (``_doc_features``) and ``sigs`` hold one row per document on an edge.
    """
    from stages.dedup.components import components_local

    keys = features["key"].to_numpy()
    order = np.argsort(keys)
    if cfg.verify and len(edges):
        row_u = order[np.searchsorted(keys, edges[:, 0], sorter=order)]
        row_v = order[np.searchsorted(keys, edges[:, 1], sorter=order)]
        edges = _verify(edges, sigs[row_u], sigs[row_v], cfg.threshold)
    nodes, roots = components_local(edges)
    rows_of = order[np.searchsorted(keys, nodes, sorter=order)]
    members = features.take(pa.array(rows_of, pa.int64()))
    members = members.append_column("cluster_id", pa.array(roots, pa.uint64()))
    return choose_keepers(members, cfg.keep)


def _decide_in_one_task(
    edges: ray.data.Dataset,
    feats: ray.data.Dataset,
    cfg: MinHashDedupConfig,
    clusters_ctx: GlobalContext | None,
) -> ray.data.Dataset:
    """The small-graph path: the candidate pairs and their documents' signatures and features
    go to one Ray task (not the driver), which returns the decisions and, given a context,
    writes ``clusters/``. Their size is bounded by ``single_task_max_edges`` and
    ``broadcast_max_rows``, not by the corpus."""
    import ray

    edge_refs = edges.to_arrow_refs()
    feat_refs = feats.to_arrow_refs()
    task = ray.remote(_decide_graph_task).options(num_cpus=1)
    decided = task.remote(cfg, clusters_ctx, len(edge_refs), *edge_refs, *feat_refs)
    return ray.data.from_arrow_refs([decided])


def _decide_graph_task(
    cfg: MinHashDedupConfig,
    clusters_ctx: GlobalContext | None,
    n_edge_parts: int,
    *parts: pa.Table,
) -> pa.Table:
    # only called with at least one candidate pair, so there is at least one edge block
    edges = _edges_of(pa.concat_tables(parts[:n_edge_parts]))
    feats = pa.concat_tables(parts[n_edge_parts:], promote_options="permissive")
    sigs = _sig_numpy(feats["sig"], cfg.num_perm)
    features = feats.drop_columns([c for c in ("sig", "bands") if c in feats.column_names])
    decisions = _graph_decisions(edges, features, sigs, cfg)
    if clusters_ctx is not None and decisions.num_rows:
        clusters_ctx.write_side_table("clusters", _clusters_table(decisions))
    return decisions


# ---------------------------------------------------------------------- Ray pass functions
# Module-level so Ray can pickle them; each takes and returns one pyarrow table.


def _write_parquet(ds: ray.data.Dataset, ctx: GlobalContext, subdir: str) -> None:
    """Write ``ds`` under the run directory through the run's own filesystem (any fsspec URL)."""
    import pyarrow.fs as pafs

    path = ctx.side_output_path(subdir)
    ds.write_parquet(path, filesystem=pafs.PyFileSystem(pafs.FSSpecHandler(ctx.filesystem)))


def _add_key(batch: pa.Table) -> pa.Table:
    return batch.append_column(KEY_COLUMN, pa.array(doc_keys(batch), pa.uint64()))


def _signature_rows(batch: pa.Table, cfg: MinHashDedupConfig) -> pa.Table:
    from stages.dedup.lsh import band_hashes

    keys = batch[KEY_COLUMN].to_numpy()
    texts = batch[cfg.text_column]
    sig_parts, has_parts = [], []
    for start in range(0, batch.num_rows, cfg.batch_rows):
        s, h = compute_signatures(texts.slice(start, cfg.batch_rows), cfg)
        sig_parts.append(s)
        has_parts.append(h)
    sigs = np.concatenate(sig_parts) if sig_parts else np.zeros((0, cfg.num_perm), np.uint32)
    has = np.concatenate(has_parts) if has_parts else np.zeros(0, dtype=bool)
    bands, rows = cfg.band_params()
    bh = band_hashes(sigs, bands, rows)
    out = _doc_features(batch, cfg, keys)
    out = out.append_column("sig", _sig_array(sigs))
    band_list = pa.FixedSizeListArray.from_arrays(pa.array(bh.reshape(-1), pa.uint64()), bands)
    mask = pa.array(~has)
    return out.append_column(
        "bands", pc.if_else(mask, pa.nulls(len(has), band_list.type), band_list)
    )


def _band_rows(
    batch: pa.Table, cfg: MinHashDedupConfig, bands: int, rows: int, parts: int
) -> pa.Table:
    valid = batch.filter(pc.is_valid(batch["bands"]))
    keys = valid["key"].to_numpy()
    flat = (
        valid["bands"].combine_chunks().flatten() if valid.num_rows else pa.array([], pa.uint64())
    )
    bh = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.uint64)
    # 22 bytes per row (uint16 band, uint64 hash, uint64 key, int32 partition): this is
    # the largest shuffle of the stage, ``bands`` rows per document
    band_idx = np.tile(np.arange(bands, dtype=np.uint16), len(keys))
    return pa.table(
        {
            "band": pa.array(band_idx, pa.uint16()),
            "bhash": pa.array(bh, pa.uint64()),
            "key": pa.array(np.repeat(keys, bands), pa.uint64()),
            "_part": pa.array(
                partition_of(bh ^ band_idx.astype(np.uint64), parts).astype(np.int32)
            ),
        }
    )


def _edges_table(edges: np.ndarray) -> pa.Table:
    return pa.table(
        {"u": pa.array(edges[:, 0], pa.uint64()), "v": pa.array(edges[:, 1], pa.uint64())}
    )


def _bucket_group(group: pa.Table) -> pa.Table:
    from stages.dedup.lsh import bucket_edges

    edges = bucket_edges(
        group["band"].to_numpy(), group["bhash"].to_numpy(), group["key"].to_numpy()
    )
    return _edges_table(edges)


def _attach_sig_u(left: pa.Table, right: pa.Table) -> pa.Table:
    """Edges of this partition of ``u`` with ``u``'s signature."""
    found, rows = lookup(left["u"].to_numpy(), right["key"].to_numpy())
    assert found.all(), f"{int((~found).sum())} edge endpoints have no signature"
    return pa.table({"u": left["u"], "v": left["v"], "sig_u": right["sig"].take(pa.array(rows))})


def _verify_part(left: pa.Table, right: pa.Table, cfg: MinHashDedupConfig) -> pa.Table:
    """Edges of this partition of ``v`` whose signatures agree on >= threshold."""
    if left.num_rows == 0:
        return _edges_table(np.zeros((0, 2), dtype=np.uint64))
    found, rows = lookup(left["v"].to_numpy(), right["key"].to_numpy())
    assert found.all(), f"{int((~found).sum())} edge endpoints have no signature"
    edges = _edges_of(left)
    kept = _verify(
        edges,
        _sig_numpy(left["sig_u"], cfg.num_perm),
        _sig_numpy(right["sig"].take(pa.array(rows)), cfg.num_perm),
        cfg.threshold,
    )
    return _edges_table(kept.reshape(-1, 2))


def _attach_features(left: pa.Table, right: pa.Table) -> pa.Table:
    """Cluster members of this key partition (centres deduplicated) with their features."""
    keys = left["key"].to_numpy()
    _, first = np.unique(keys, return_index=True)
    left = left.take(pa.array(np.sort(first)))
    found, rows = lookup(left["key"].to_numpy(), right["key"].to_numpy())
    assert found.all(), f"{int((~found).sum())} cluster members have no features"
    feats = right.take(pa.array(rows))
    return feats.append_column("cluster_id", left["cluster_id"])


def _apply_broadcast(batch: pa.Table, decisions: Any) -> pa.Table:
    from stages.dedup.common import resolve

    return _apply_part(batch, resolve(decisions))


def _apply_part(left: pa.Table, right: pa.Table) -> pa.Table:
    """Rows of this key partition with their decisions applied."""
    keys = left[KEY_COLUMN].to_numpy()
    out = apply_decisions(left, keys, right, PREFIX, REASON)
    return out.drop_columns([KEY_COLUMN])


def _edges_of(table: pa.Table) -> np.ndarray:
    if table.num_rows == 0:
        return np.zeros((0, 2), dtype=np.uint64)
    return np.stack([table["u"].to_numpy(), table["v"].to_numpy()], axis=1).astype(np.uint64)


def _emit_directed(batch: pa.Table, parts: int) -> pa.Table:
    from stages.dedup.components import both_directions, orient

    e = both_directions(orient(_edges_of(batch)))
    return _edges_table(e).append_column("_part", pa.array(partition_of(e[:, 0], parts)))


def _emit_oriented(batch: pa.Table, parts: int) -> pa.Table:
    e = _edges_of(batch)
    return _edges_table(e).append_column("_part", pa.array(partition_of(e[:, 0], parts)))


def _large_star_group(group: pa.Table) -> pa.Table:
    from stages.dedup.components import large_star

    return _edges_table(large_star(_edges_of(group)))


def _small_star_group(group: pa.Table) -> pa.Table:
    from stages.dedup.components import small_star

    return _edges_table(small_star(_edges_of(group)))


def _fingerprint_batch(batch: pa.Table) -> pa.Table:
    from stages.dedup.components import edge_fingerprint

    count, total = edge_fingerprint(_edges_of(batch))
    return pa.table({"count": pa.array([count], pa.int64()), "sum": pa.array([total], pa.uint64())})


def _fingerprint(ds: ray.data.Dataset) -> tuple[int, int]:
    rows = map_pyarrow(ds, _fingerprint_batch).take_all()
    count = sum(int(r["count"]) for r in rows)
    total = sum(int(r["sum"]) for r in rows) % (1 << 64)
    return count, total


def _components_ray(edges: ray.data.Dataset, parts: int, max_rounds: int = 100) -> ray.data.Dataset:
    """Large-star / small-star rounds on Ray until the edge set is stable (see components.py)."""
    cur = group_pyarrow(
        map_pyarrow(edges, _emit_oriented, fn_kwargs={"parts": parts}),
        "_part",
        parts,
        _dedupe_group,
    ).materialize()
    fp = _fingerprint(cur)
    for _ in range(max_rounds):
        large = group_pyarrow(
            map_pyarrow(cur, _emit_directed, fn_kwargs={"parts": parts}),
            "_part",
            parts,
            _large_star_group,
        )
        small = group_pyarrow(
            map_pyarrow(large, _emit_oriented, fn_kwargs={"parts": parts}),
            "_part",
            parts,
            _small_star_group,
        ).materialize()
        new_fp = _fingerprint(small)
        cur = small
        if new_fp == fp:
            return materialized(cur)
        fp = new_fp
    raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")


def _dedupe_group(group: pa.Table) -> pa.Table:
    from stages.dedup.components import orient
    from stages.dedup.lsh import unique_edges

    return _edges_table(unique_edges(orient(_edges_of(group))))


def _star_members(batch: pa.Table) -> pa.Table:
    """(key, cluster_id) for each star edge's member and centre (centres repeat)."""
    e = _edges_of(batch)
    keys = np.concatenate([e[:, 0], e[:, 1]])
    roots = np.concatenate([e[:, 1], e[:, 1]])
    return pa.table(
        {"key": pa.array(keys, pa.uint64()), "cluster_id": pa.array(roots, pa.uint64())}
    )


def _with_cluster_part(batch: pa.Table, parts: int) -> pa.Table:
    return batch.append_column(
        "_part", pa.array(partition_of(batch["cluster_id"].to_numpy(), parts))
    )


def _keep_group(group: pa.Table, rule: KeepRule) -> pa.Table:
    return choose_keepers(group.drop_columns(["_part"]), rule)


def _clusters_table(decisions: pa.Table) -> pa.Table:
    out = decisions.select(["cluster_id", "id", "source", "kept"])
    return out.sort_by([("cluster_id", "ascending"), ("kept", "descending"), ("id", "ascending")])


def _finish_empty(batch: pa.Table) -> pa.Table:
    return empty_result(batch.drop_columns([KEY_COLUMN]), PREFIX)
