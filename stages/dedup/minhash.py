"""MinHash-LSH near-duplicate removal: a global stage made of small passes.

Passes (each a module, each testable alone; ``run_ray`` names them in order, and
``minhash_ray.py`` maps each onto Ray Data operations):

1. **signatures** (``sketch.py`` over ``normalize.py``, ``shingles.py``, ``signatures.py``):
   normalise (markup, width, case, punctuation), shingle every document (word 5-grams,
   character 5-grams for CJK), a datasketch-compatible MinHash, the shingle-set size, and
   the band hashes, vectorised over a whole Arrow batch.
2. **bands** (``lsh.py``): each signature cut into ``b`` bands of ``r`` rows, ``(b, r)``
   from datasketch's optimal-parameter search for the threshold unless given; with
   containment on, ``prefix_bands`` more over a signature of each document's beginning.
3. **candidate pairs** (``lsh.bucket_edges``): ``(band, band_hash, key)`` rows grouped by
   bucket and a star of edges per bucket — on Ray, a group-by over partitions of the band
   hash, or for up to ``gather_bands_max_docs`` documents one sort per band in the driver
   (``lsh.band_edges``).
4. **verification** (``verify.py``, on by default): a pair stays when its estimated Jaccard
   similarity reaches ``threshold`` (near duplicate) or the smaller document's estimated
   containment in the larger reaches ``containment`` (a truncated copy).
5. **connected components** (``components.py``): large-star / small-star rounds on Ray
   (Kiveris et al. 2014), scipy in process; each cluster is named by its smallest key.
6. **keep one per cluster** (``keep.py``): highest ``score_column`` if configured and
   present, else longest, else smallest id. The others get ``reject_reason``
   ``contained_in`` (every verified pair of theirs made them the contained side) or
   ``near_duplicate``; every row gets ``minhash_dedup_cluster_id`` and
   ``minhash_dedup_kept_id`` (null outside clusters), and ``clusters/`` lists each cluster
   of two or more (``cluster_id``, ``id``, ``source``, ``kept``, ``reason``).
7. **apply**: the decisions joined back to the rows.

References: Broder, "On the resemblance and containment of documents" (1997); Leskovec,
Rajaraman & Ullman, *Mining of Massive Datasets* ch. 3; datasketch ``minhash.py`` and
``lsh.py``; datatrove ``pipeline/dedup/minhash.py`` (the same four-step workflow on files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
from pydantic import Field, model_validator

from refinery.stage import register_stage
from stages.dedup.common import (
    apply_decisions,
    broadcast_keys,
    default_partitions,
    doc_keys,
    empty_result,
    isolated,
    keep_keys,
    map_pyarrow,
    require_unique,
)
from stages.dedup.config import DedupStage, KeeperConfig
from stages.dedup.normalize import Normalization, ShingleMode
from stages.dedup.verify import REASON_NEAR

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["MinHashDedupConfig", "MinHashDedupFilter", "compute_signatures"]

PREFIX = "minhash_dedup"


class MinHashDedupConfig(KeeperConfig):
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
    strip_markup: bool = Field(
        True, description="compare HTML/Markdown/RST documents by their text (markup.py)"
    )
    nfkc: bool = Field(True, description="Unicode NFKC before shingling (full → half width)")
    lowercase: bool = Field(True, description="lower-case before shingling")
    strip_punctuation: bool = Field(
        True, description="character shingles of word characters only (no punctuation)"
    )
    containment: float | None = Field(
        0.8,
        gt=0,
        le=1,
        description="a document whose estimated share of shingles inside a larger candidate "
        "reaches this is its near-duplicate (`contained_in`); null: Jaccard only",
    )
    containment_min_ratio: float = Field(
        0.2,
        gt=0,
        le=1,
        description="containment is judged only when the smaller shingle set is at least "
        "this share of the larger (below it the estimate is noise)",
    )
    prefix_shingles: int = Field(
        32,
        ge=1,
        description="containment: shingles at the start of a document its prefix signature covers",
    )
    prefix_bands: int = Field(4, ge=1, description="containment: LSH bands of the prefix")
    prefix_rows: int = Field(8, ge=1, description="containment: rows per prefix band")
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
    write_clusters: bool = Field(True, description="write clusters/ (one row per member)")
    single_task_max_edges: int = Field(
        2_000_000,
        ge=0,
        description="Ray: with at most this many candidate pairs (and their documents under "
        "broadcast_max_rows), verification, components and keeper choice run in the driver "
        "on the candidates' signatures (1 KB each) instead of a shuffle per pass "
        "(0: always the distributed passes)",
    )
    gather_bands_max_docs: int = Field(
        1_000_000,
        ge=0,
        description="Ray: with at most this many documents, their band hashes (8 bytes per "
        "band, 232 B per document at the defaults) are bucketed in the driver instead of "
        "shuffled as band rows (0: always shuffle)",
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

    def total_bands(self) -> int:
        """Band hashes per document: the signature's, plus the prefix's with containment."""
        return self.band_params()[0] + (self.prefix_bands if self.containment is not None else 0)

    def normalization(self) -> Normalization:
        return Normalization(
            strip_markup=self.strip_markup,
            nfkc=self.nfkc,
            lowercase=self.lowercase,
            strip_punctuation=self.strip_punctuation,
        )


def compute_signatures(
    texts: pa.Array | pa.ChunkedArray, cfg: MinHashDedupConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of a batch, ``(n, num_perm)`` uint32, and whether each document has a
    shingle (all-max rows have none)."""
    from stages.dedup.sketch import sketch_texts

    sk = sketch_texts(texts, cfg)
    return sk.sigs, sk.has


@register_stage("minhash_dedup")
class MinHashDedupFilter(DedupStage[MinHashDedupConfig]):
    """Removes near-duplicate and contained documents (MinHash-LSH), keeping one per cluster.

    Writes ``minhash_dedup_cluster_id`` (uint64, smallest member key, null for singletons)
    and ``minhash_dedup_kept_id`` (id of the cluster's kept document); rejects the other
    members with ``near_duplicate`` or ``contained_in``. See the module docstring.
    """

    config_cls = MinHashDedupConfig
    outputs = (f"{PREFIX}_cluster_id", f"{PREFIX}_kept_id")

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        """The passes in this process, on the whole table."""
        from stages.dedup.graph import clusters_table, decide_graph
        from stages.dedup.lsh import band_edges
        from stages.dedup.sketch import doc_features, sketch_texts

        cfg = self.config
        if table.num_rows == 0:
            return empty_result(table, PREFIX)
        keys = doc_keys(table)
        require_unique(keys, self.name)
        sk = sketch_texts(table[cfg.text_column], cfg)  # 1. signatures, 2. bands
        idx = np.flatnonzero(sk.has)
        edges = band_edges(keys[idx], sk.bands[idx])  # 3. candidate pairs
        if len(edges) == 0:
            return empty_result(table, PREFIX)
        nodes = np.unique(edges)
        order = np.argsort(keys)
        rows_of = order[np.searchsorted(keys, nodes, sorter=order)]
        features = doc_features(table.take(pa.array(rows_of)), cfg, nodes)
        features = features.append_column("size", pa.array(sk.sizes[rows_of], pa.int64()))
        decisions = decide_graph(edges, features, sk.sigs[rows_of], cfg)  # 4.-6.
        if decisions.num_rows == 0:
            return empty_result(table, PREFIX)
        if ctx is not None and cfg.write_clusters:
            ctx.write_side_table("clusters", clusters_table(decisions))
        return apply_decisions(table, keys, decisions, PREFIX, REASON_NEAR)  # 7.

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext) -> ray.data.Dataset:
        """The passes as Ray Data operations (``minhash_ray.py``).

        The corpus is read, keyed and sketched in one pass and materialised once (the first
        and the last pass need it); the output is left lazy, so the decisions are applied in
        the tasks that write it. Small inputs skip the shuffles: up to
        ``gather_bands_max_docs`` documents, their band hashes are bucketed in the driver;
        up to ``single_task_max_edges`` candidate pairs among at most ``broadcast_max_rows``
        documents, the driver verifies them and chooses the keepers. Larger ones take the
        distributed passes, on the signatures of the candidates only when those are few.
        """
        import ray.data

        from stages.dedup import minhash_ray as passes
        from stages.dedup.graph import edges_table

        cfg = self.config
        # (b, r) resolved once here, not in every worker process
        bands, rows = cfg.band_params()
        cfg = cfg.model_copy(update={"bands": bands, "rows": rows})
        keyed = passes.sketch_pass(isolated(ds), cfg).materialize()  # 1.
        n = keyed.count()
        if n == 0:
            return passes.finish_empty(keyed)
        parts = default_partitions(ctx, cfg.num_partitions, n * cfg.total_bands())
        edge_rows: ray.data.Dataset | None = None
        edges: np.ndarray | None
        if n <= cfg.gather_bands_max_docs:
            edges = passes.gather_candidates(keyed)  # 2.-3. in the driver
        else:
            edge_rows = passes.candidate_pass(passes.sketches(keyed, cfg), parts).materialize()
            m = edge_rows.count()
            edges = passes.gather_edges(edge_rows) if m <= cfg.single_task_max_edges else None
        clusters_ctx = ctx if cfg.write_clusters else None
        if edges is not None:
            if len(edges) == 0:
                return passes.finish_empty(keyed)
            small = len(np.unique(edges)) <= cfg.broadcast_max_rows
            if small and len(edges) <= cfg.single_task_max_edges:
                decisions = passes.decide_in_driver(keyed, edges, cfg, clusters_ctx)  # 4.-6.
                if decisions.num_rows == 0:
                    return passes.finish_empty(keyed)
                return passes.apply_pass(keyed, decisions, cfg.broadcast_max_rows, parts)  # 7.
            if edge_rows is None:
                # a new chain: it gets the process's DataContext, so isolate it too (the
                # hash shuffle would start aggregator actors for each of its group-bys)
                edge_rows = isolated(ray.data.from_arrow(edges_table(edges)))
        assert edge_rows is not None
        feats = passes.sketches(keyed, cfg)
        nodes = broadcast_keys(edge_rows, ["u", "v"], cfg.broadcast_max_rows)
        if nodes is not None:
            feats = map_pyarrow(feats, keep_keys, fn_kwargs={"column": "key", "keys": nodes})
        feats = feats.materialize()
        if cfg.verify:
            edge_rows = passes.verify_pass(edge_rows, feats, cfg, parts).materialize()
        else:
            edge_rows = map_pyarrow(edge_rows, _unverified)
        if edge_rows.count() == 0:
            return passes.finish_empty(keyed)
        stars = passes.components_pass(edge_rows, parts)
        verdicts = passes.keeper_pass(stars, edge_rows, feats, cfg.keep, parts).materialize()
        if clusters_ctx is not None:
            passes.write_clusters(verdicts, clusters_ctx)
        if verdicts.count() == 0:
            return passes.finish_empty(keyed)
        return passes.apply_pass(keyed, verdicts, cfg.broadcast_max_rows, parts)


def _unverified(batch: pa.Table) -> pa.Table:
    """Candidate pairs taken as they are (``verify: false``): all near duplicates."""
    return batch.append_column("contained", pa.nulls(batch.num_rows, pa.uint64()))
