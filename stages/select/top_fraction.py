"""Global top-k%: keep the ``fraction`` of all documents with the highest score, exactly.

A cut taken per batch keeps k% of every batch, not the best k% of the corpus; a quantile
sketch bounds its error but not the count. This stage finds the exact cut with a radix
select over 64-bit keys, in passes that are plain maps over the dataset:

- **key.** Each document gets an order-preserving uint64: the score as float32, its bits
  mapped so that unsigned order is numeric order, in the high 32 bits; a 32-bit hash of
  (source, id) in the low 32 bits, so that equal scores are ordered by a fixed, seeded
  pseudo-random rule instead of by position. A missing score (null, NaN, or no score
  column at all) ranks below every real score.
- **select.** With ``n`` documents and ``k = round(fraction * n)`` to keep, the cut is the
  ``k``-th largest key. Four passes each read 16 bits of it: a map returns the non-zero bins
  of a 65,536-bin histogram of the next 16-bit digit among the keys whose higher digits equal
  the prefix found so far; the driver sums the bins (at most 65,536 numbers per block) and
  walks down from the top to the bin holding the ``k``-th key. After four passes the prefix
  is the key itself.
- **apply.** Rows with a key at or above the cut are kept, the rest rejected with
  ``below_top_fraction``.

Exactly ``k`` documents are kept unless two documents share a key (same score and the same
32-bit hash: about ``m² / 2^33`` pairs among ``m`` documents of one score); both are then
kept. The driver only ever holds histograms. ``run_local`` and ``run_ray`` call the same
functions, so they decide identically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import GlobalStage, Resources, StageConfig, register_stage, set_reject_reasons

if TYPE_CHECKING:
    import ray.data

    from refinery.runtime.context import GlobalContext

__all__ = ["TopFractionConfig", "TopFractionFilter", "cut_from_histograms", "selection_keys"]

REASON = "below_top_fraction"
_KEY = "_top_fraction_key"
_DIGIT_BITS = 16
_BINS = 1 << _DIGIT_BITS
_PASSES = 64 // _DIGIT_BITS


class TopFractionConfig(StageConfig):
    score_column: str = Field(description="numeric column to rank by (e.g. `quality_score`)")
    fraction: float = Field(
        gt=0, le=1, description="share of all documents to keep (0.1: the top 10%)"
    )
    higher_is_better: bool = Field(True, description="False: keep the lowest scores instead")
    seed: int = Field(0, ge=0, lt=2**32, description="seed of the id hash that orders equal scores")


def _sortable(scores: np.ndarray) -> np.ndarray:
    """float32 → uint32 with the same order (IEEE-754 trick: flip all bits of negatives,
    the sign bit of the rest); -0.0 and 0.0 become neighbours, which is fine for ranking."""
    bits = scores.astype(np.float32).view(np.uint32)
    negative = (bits >> np.uint32(31)).astype(bool)
    return np.where(negative, ~bits, bits | np.uint32(0x80000000)).astype(np.uint32)


def _id_hashes(table: pa.Table, seed: int) -> np.ndarray:
    import xxhash

    n = table.num_rows
    source = table["source"] if "source" in table.column_names else pa.nulls(n, pa.string())
    joined = pc.binary_join_element_wise(
        pc.fill_null(source.cast(pa.string()), ""),
        pc.fill_null(table["id"].cast(pa.string()), ""),
        "\x1f",
    ).cast(pa.binary())
    h = xxhash.xxh32_intdigest
    return np.fromiter(
        (h(b, seed) for b in joined.to_pylist()),
        dtype=np.uint32,
        count=n,
    )


def selection_keys(table: pa.Table, cfg: TopFractionConfig) -> np.ndarray:
    """The uint64 ranking key of every row (higher = better; see the module doc)."""
    n = table.num_rows
    if cfg.score_column in table.column_names:
        col = table[cfg.score_column].cast(pa.float64())
        missing = pc.fill_null(pc.is_nan(col), True).to_numpy(zero_copy_only=False)
        scores = pc.fill_null(col, 0.0).to_numpy(zero_copy_only=False)
    else:
        missing = np.ones(n, dtype=bool)
        scores = np.zeros(n, dtype=np.float64)
    high = _sortable(scores)
    if not cfg.higher_is_better:
        high = ~high
    high = np.where(missing, np.uint32(0), high).astype(np.uint64)
    return (high << np.uint64(32)) | _id_hashes(table, cfg.seed).astype(np.uint64)


def _digit_histogram(keys: np.ndarray, prefix: int, pass_index: int) -> pa.Table:
    """Non-zero bins of the histogram of digit ``pass_index`` among keys matching ``prefix``."""
    shift = np.uint64(64 - _DIGIT_BITS * (pass_index + 1))
    if pass_index > 0:
        keys = keys[(keys >> np.uint64(64 - _DIGIT_BITS * pass_index)) == np.uint64(prefix)]
    digits = ((keys >> shift) & np.uint64(_BINS - 1)).astype(np.int64)
    counts = np.bincount(digits, minlength=_BINS)
    bins = np.flatnonzero(counts)
    return pa.table(
        {"bin": pa.array(bins, pa.int64()), "count": pa.array(counts[bins], pa.int64())}
    )


def cut_from_histograms(hists: list[pa.Table], prefix: int, rank: int) -> tuple[int, int]:
    """Extend ``prefix`` by the digit holding the ``rank``-th largest key (1-based); return the
    new prefix and the key's rank among the keys with that prefix."""
    total = np.zeros(_BINS, dtype=np.int64)
    for h in hists:
        if h.num_rows:
            np.add.at(total, h["bin"].to_numpy(), h["count"].to_numpy())
    above = np.cumsum(total[::-1])  # above[j]: keys in the top j+1 bins
    j = int(np.searchsorted(above, rank))  # first j with above[j] >= rank
    assert j < _BINS, f"rank {rank} exceeds the {int(above[-1])} keys under prefix {prefix:#x}"
    digit = _BINS - 1 - j
    before = int(above[j - 1]) if j > 0 else 0
    return (prefix << _DIGIT_BITS) | digit, rank - before


def _decide(table: pa.Table, keys: np.ndarray, cut: int | None) -> pa.Table:
    if cut is None:  # keep nothing
        rejected = np.ones(table.num_rows, dtype=bool)
    else:
        rejected = keys < np.uint64(cut)
    reasons = pc.if_else(pa.array(rejected), pa.scalar(REASON), pa.scalar(None, pa.string()))
    return set_reject_reasons(table, reasons)


@register_stage("top_fraction")
class TopFractionFilter(GlobalStage[TopFractionConfig]):
    """Keeps the top ``fraction`` of all documents by ``score_column``, a cut over the whole
    dataset (exact radix select, not per batch); rejects the rest with ``below_top_fraction``.

    Any numeric column works: a classifier's ``<name>_score``, a model score, a length.
    Documents without a score rank last. Ties are ordered by a seeded hash of (source, id).
    Writes no column.
    """

    config_cls = TopFractionConfig
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    @classmethod
    def example_config(cls) -> dict[str, Any]:
        return {"score_column": "example_score", "fraction": 0.5}

    def reads(self) -> list[str]:
        return ["id", "source", self.config.score_column]

    def _target(self, n: int) -> int:
        return int(round(self.config.fraction * n))

    def run_local(self, table: pa.Table, ctx: GlobalContext | None) -> pa.Table:
        keys = selection_keys(table, self.config)
        k = self._target(table.num_rows)
        cut: int | None = None
        if k > 0:
            prefix, rank = 0, k
            for p in range(_PASSES):
                prefix, rank = cut_from_histograms(
                    [_digit_histogram(keys, prefix, p)], prefix, rank
                )
            cut = prefix
        return _decide(table, keys, cut)

    def run_ray(self, ds: ray.data.Dataset, ctx: GlobalContext | None) -> ray.data.Dataset:
        """Passes: ``keys`` (a map adding the key column, materialised), four ``histogram``
        maps summed on the driver, then ``apply`` (a map setting the reasons)."""
        cfg = self.config
        keyed = ds.map_batches(
            _add_key,  # type: ignore[arg-type]  # fn_kwargs supplies cfg
            fn_kwargs={"cfg": cfg},
            batch_format="pyarrow",
            batch_size=None,
        ).materialize()
        k = self._target(keyed.count())
        cut: int | None = None
        if k > 0:
            prefix, rank = 0, k
            for p in range(_PASSES):
                hist = keyed.select_columns([_KEY]).map_batches(
                    _histogram_batch,
                    fn_kwargs={"prefix": prefix, "pass_index": p},
                    batch_format="pyarrow",
                    batch_size=None,
                )
                tables = [t for t in hist.iter_batches(batch_format="pyarrow", batch_size=None)]
                prefix, rank = cut_from_histograms(tables, prefix, rank)
            cut = prefix
        out: ray.data.Dataset = keyed.map_batches(
            _apply_cut, fn_kwargs={"cut": cut}, batch_format="pyarrow", batch_size=None
        )
        return out


def _add_key(batch: pa.Table, cfg: TopFractionConfig) -> pa.Table:
    return batch.append_column(_KEY, pa.array(selection_keys(batch, cfg), pa.uint64()))


def _histogram_batch(batch: pa.Table, prefix: int, pass_index: int) -> pa.Table:
    keys = batch[_KEY].to_numpy(zero_copy_only=False).astype(np.uint64)
    return _digit_histogram(keys, prefix, pass_index)


def _apply_cut(batch: pa.Table, cut: int | None) -> pa.Table:
    keys = batch[_KEY].to_numpy(zero_copy_only=False).astype(np.uint64)
    return _decide(batch.drop_columns([_KEY]), keys, cut)
