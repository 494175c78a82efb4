"""SemDeDup: semantic deduplication on sentence embeddings (Abbas et al. 2023,
https://arxiv.org/abs/2303.09540), as NeMo Curator runs it.

Passes:

1. **fit** k-means on a sample of the embeddings (a fixed, seeded hash of (source, id)
   picks the sample, so it does not depend on how the data is partitioned);
2. **assign** each document to its nearest centroid (a map);
3. **dedup** each cluster (a group-by on the cluster): members are ranked (by
   ``score_column`` when set, higher first, then ``id`` and ``source``), and a member whose
   cosine similarity to an already *kept* member exceeds ``threshold`` is a duplicate of the
   most similar one; it is rejected with ``semantic_duplicate`` and the kept twin's id.

Pairs in different clusters are never compared: that is the approximation that makes it
scale (more clusters, faster and more missed pairs). Rows without an embedding are kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import GlobalStage, Resources, StageConfig, register_stage, set_reject_reasons
from stages.dedup.common import isolated
from stages.model.embedding import COLUMN as EMBEDDING_COLUMN
from stages.model.kmeans import assign, fit_kmeans
from stages.textutil.hashing import hash_strings64

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["SemanticDedupConfig", "SemanticDedupFilter", "dedup_cluster"]

PREFIX = "semantic_dedup"
REASON = "semantic_duplicate"
_CLUSTER, _KEPT, _SIM = f"{PREFIX}_cluster", f"{PREFIX}_kept_id", f"{PREFIX}_similarity"
_BLOCK = 1024


class SemanticDedupConfig(StageConfig):
    embedding_column: str = Field(EMBEDDING_COLUMN, description="unit vectors (list<float32>)")
    threshold: float = Field(
        0.9, gt=0, le=1, description="cosine similarity above which two documents are duplicates"
    )
    n_clusters: int | None = Field(
        None, ge=1, description="k-means clusters; None: about sqrt(documents / 10)"
    )
    sample_size: int = Field(100_000, ge=1, description="most embeddings k-means is fitted on")
    iterations: int = Field(20, ge=1, description="Lloyd iterations of k-means")
    seed: int = Field(0, ge=0, description="k-means seeding and the sample's hash")
    score_column: str | None = Field(
        None, description="keep the best-scored member of a duplicate group (higher first)"
    )


def _matrix(table: pa.Table, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(embeddings of the rows that have one, as float32 [m, dim]; their row positions)."""
    if column not in table.column_names:  # no embeddings at all: nothing to compare
        return np.zeros((0, 0), np.float32), np.zeros(0, dtype=np.int64)
    col = table[column].combine_chunks()
    valid = pc.is_valid(col).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(valid)
    if len(rows) == 0:
        return np.zeros((0, 0), np.float32), rows
    present = col.filter(pa.array(valid))
    values = present.flatten().to_numpy(zero_copy_only=False).astype(np.float32)
    return values.reshape(len(rows), -1), rows


def _row_hash(table: pa.Table, seed: int) -> np.ndarray:
    joined = pc.binary_join_element_wise(
        pa.scalar(str(seed)),
        pc.fill_null(table["source"].cast(pa.string()), ""),
        pc.fill_null(table["id"].cast(pa.string()), ""),
        "\x1f",
    )
    return hash_strings64(joined)


def dedup_cluster(vecs: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """For members in keep-priority order: (index of the kept member each one duplicates, or
    -1 when kept; the similarity to it). Greedy: only kept members can be twins."""
    n = len(vecs)
    twin = np.full(n, -1, dtype=np.int64)
    best = np.zeros(n, dtype=np.float32)
    kept: list[int] = []
    for s in range(0, n, _BLOCK):
        block = vecs[s : s + _BLOCK]
        if kept:
            ks = np.asarray(kept)
            outer = block @ vecs[ks].T
            o_arg = outer.argmax(axis=1)
            o_best, o_twin = outer[np.arange(len(block)), o_arg], ks[o_arg]
        else:
            o_best, o_twin = np.full(len(block), -np.inf), np.full(len(block), -1)
        inner = block @ block.T
        block_kept: list[int] = []
        for j in range(len(block)):
            b, t = o_best[j], o_twin[j]
            if block_kept:
                cand = np.asarray(block_kept)
                i = int(cand[np.argmax(inner[j, cand])])
                if inner[j, i] > b:
                    b, t = inner[j, i], s + i
            if b > threshold:
                twin[s + j], best[s + j] = t, b
            else:
                block_kept.append(j)
        kept.extend(s + j for j in block_kept)
    return twin, best


def _decide_group(group: pa.Table, cfg: SemanticDedupConfig) -> pa.Table:
    """Decisions for the members of one cluster (rows with an embedding, one cluster id)."""
    keys: list[tuple[str, str]] = []
    if cfg.score_column and cfg.score_column in group.column_names:
        keys.append(("_score", "descending"))
        group = group.append_column(
            "_score", pc.fill_null(group[cfg.score_column].cast(pa.float64()), -np.inf)
        )
    group = group.sort_by([*keys, ("id", "ascending"), ("source", "ascending")])
    if "_score" in group.column_names:
        group = group.drop_columns(["_score"])
    vecs, rows = _matrix(group, cfg.embedding_column)
    twin, sim = dedup_cluster(vecs, cfg.threshold)
    dup = twin >= 0
    ids = group["id"].to_numpy(zero_copy_only=False)
    kept_id = np.where(dup, ids[np.maximum(twin, 0)], None)
    group = group.append_column(_KEPT, pa.array(kept_id, pa.string()))
    group = group.append_column(_SIM, pa.array(sim, pa.float32(), mask=~dup))
    reasons = pc.if_else(pa.array(dup), pa.scalar(REASON), pa.scalar(None, pa.string()))
    return set_reject_reasons(group, reasons)


def _without_embedding(table: pa.Table) -> pa.Table:
    n = table.num_rows
    out = table.append_column(_KEPT, pa.nulls(n, pa.string()))
    out = out.append_column(_SIM, pa.nulls(n, pa.float32()))
    return set_reject_reasons(out, pa.nulls(n, pa.string()))


@register_stage("semantic_dedup")
class SemanticDedupFilter(GlobalStage[SemanticDedupConfig]):
    """Rejects documents whose embedding is within ``threshold`` cosine similarity of a kept
    document in the same k-means cluster (SemDeDup), with ``semantic_duplicate``.

    Writes ``semantic_dedup_cluster`` (int32, -1 without an embedding),
    ``semantic_dedup_kept_id`` (the kept twin's id, on duplicates) and
    ``semantic_dedup_similarity`` (cosine similarity to it). Deterministic: the sample, the
    k-means seed and the keep order depend on the data and the config only. Reads the
    ``model_embedding`` column of ``model_embedding``.
    """

    config_cls = SemanticDedupConfig
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        return {"n_clusters": 2}

    def reads(self) -> list[str]:
        cols = ["id", "source", self.config.embedding_column]
        return [*cols, self.config.score_column] if self.config.score_column else cols

    def writes(self) -> list[str]:
        return [_CLUSTER, _KEPT, _SIM]

    def _k(self, n: int) -> int:
        return self.config.n_clusters or max(1, int(round(np.sqrt(n / 10))))

    def _fit(self, sample: pa.Table, n: int) -> np.ndarray:
        order = np.argsort(_row_hash(sample, self.config.seed), kind="stable")
        vecs, _ = _matrix(sample.take(pa.array(order)), self.config.embedding_column)
        if len(vecs) == 0:
            return np.zeros((0, 0), np.float32)
        return fit_kmeans(vecs, self._k(n), self.config.iterations, self.config.seed)

    def _sample_mask(self, table: pa.Table, n: int) -> np.ndarray:
        if n <= self.config.sample_size:
            return np.ones(table.num_rows, dtype=bool)
        cut = np.uint64(int(self.config.sample_size / n * float(2**64 - 1)))
        return _row_hash(table, self.config.seed + 1) <= cut

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        n = table.num_rows
        centroids = self._fit(table.filter(pa.array(self._sample_mask(table, n))), n)
        labelled = _add_cluster(table, self.config, centroids)
        parts = [_without_embedding(labelled.filter(pc.equal(labelled[_CLUSTER], -1)))]
        for c in range(len(centroids)):
            group = labelled.filter(pc.equal(labelled[_CLUSTER], c))
            if group.num_rows:
                parts.append(_decide_group(group, self.config))
        return pa.concat_tables(parts)

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext | None) -> ray.data.Dataset:
        """Passes: ``sample`` (a map keeping the hashed sample, collected), ``fit`` on the
        driver, ``assign`` (a map), then ``dedup`` (group by cluster, one call per cluster)."""
        cfg = self.config
        n = ds.count()
        cols = ["id", "source", cfg.embedding_column]
        sample_ds = ds.select_columns(cols).map_batches(
            _keep_sample,  # type: ignore[arg-type]  # fn_kwargs supplies the rest
            fn_kwargs={"stage": self, "n": n},
            batch_format="pyarrow",
            batch_size=None,
        )
        parts = list(sample_ds.iter_batches(batch_format="pyarrow", batch_size=None))
        sample = pa.concat_tables(parts) if parts else pa.table({c: [] for c in cols})
        centroids = self._fit(sample, n)
        labelled = ds.map_batches(
            _add_cluster,  # type: ignore[arg-type]  # fn_kwargs supplies the rest
            fn_kwargs={"cfg": cfg, "centroids": centroids},
            batch_format="pyarrow",
            batch_size=None,
        )
        out: ray.data.Dataset = (
            isolated(labelled)
            .groupby(_CLUSTER)
            .map_groups(
                _decide_or_pass,  # type: ignore[arg-type]  # fn_kwargs supplies cfg
                fn_kwargs={"cfg": cfg},
                batch_format="pyarrow",
            )
        )
        return out


def _keep_sample(batch: pa.Table, stage: SemanticDedupFilter, n: int) -> pa.Table:
    return batch.filter(pa.array(stage._sample_mask(batch, n)))


def _add_cluster(table: pa.Table, cfg: SemanticDedupConfig, centroids: np.ndarray) -> pa.Table:
    vecs, rows = _matrix(table, cfg.embedding_column)
    cluster = np.full(table.num_rows, -1, dtype=np.int32)
    if len(rows) and len(centroids):
        cluster[rows] = assign(vecs, centroids)[0]
    return table.append_column(_CLUSTER, pa.array(cluster))


def _decide_or_pass(group: pa.Table, cfg: SemanticDedupConfig) -> pa.Table:
    if group.num_rows and group[_CLUSTER][0].as_py() == -1:
        return _without_embedding(group)
    return _decide_group(group, cfg)
