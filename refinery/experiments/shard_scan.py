"""The figures of the kept shards' rows, scanned in parts that merge in order.

A part (``scan_shard_part``) reads some row groups, one at a time and only the needed columns,
and counts them: every numeric signal column and the text lengths (``NumericSummary``: exact
count, min, max, mean, and the finite values at every ``stride``-th row of the whole scan),
exact length bins (``LENGTH_EDGES``) and the language mix. Because the sample is taken at row
positions of the whole scan, parts scanned apart (on Ray, in tasks on the workers) merge into
the figures of one scan. ``refinery.experiments.profile`` plans the parts and merges them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = [
    "LENGTH_EDGES",
    "MapParts",
    "NumericSummary",
    "ShardPart",
    "ShardScan",
    "empty_part",
    "map_here",
    "pieces",
    "scan_shard_part",
]

#: Bin edges (characters) of the length histogram; the last bin is open-ended.
LENGTH_EDGES = (0, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
_LANG = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,2}")


@dataclass
class NumericSummary:
    """One numeric column: exact count, nulls (and NaN), min, max, mean; a strided sample."""

    column: str
    count: int = 0
    missing: int = 0
    minimum: float = math.inf
    maximum: float = -math.inf
    total: float = 0.0
    sample: list[np.ndarray] = field(default_factory=list, repr=False)

    def add(self, values: pa.ChunkedArray | pa.Array, stride: int, first_row: int = 0) -> None:
        """Count ``values``, the rows from ``first_row`` on of the scan; the sample keeps the
        finite values at rows that are multiples of ``stride`` (so that scanning parts apart
        and merging them gives the same sample as one scan)."""
        arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        floats = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        finite = np.isfinite(floats)  # a null is NaN here
        kept = floats[finite]
        self.missing += len(arr) - len(kept)
        if not len(kept):
            return
        self.count += len(kept)
        self.total += float(kept.sum())
        self.minimum = min(self.minimum, float(kept.min()))
        self.maximum = max(self.maximum, float(kept.max()))
        start = (-first_row) % stride
        picked = floats[start::stride]
        self.sample.append(picked[np.isfinite(picked)].copy())

    def merge(self, other: NumericSummary) -> None:
        """Add the counts and sample of ``other``, a later part of the same scan."""
        self.count += other.count
        self.missing += other.missing
        self.total += other.total
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.sample.extend(other.sample)

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    def values(self) -> np.ndarray:
        return np.concatenate(self.sample) if self.sample else np.empty(0)

    def quantiles(self, qs: tuple[float, ...]) -> list[float | None]:
        vals = self.values()
        if not len(vals):
            return [None for _ in qs]
        return [float(v) for v in np.quantile(vals, qs)]

    def histogram(self, bins: int = 30) -> tuple[list[float], list[float]]:
        """Bin edges and counts, scaled from the sample to the exact count."""
        vals = self.values()
        if not len(vals):
            return [], []
        lo, hi = self.minimum, self.maximum
        if hi <= lo:
            return [lo, lo], [float(self.count)]
        if float(np.floor(lo)) == lo and float(np.floor(hi)) == hi and hi - lo < bins:
            bins = int(hi - lo) + 1  # small integer range: one bin per value
            counts, edges = np.histogram(vals, bins=bins, range=(lo - 0.5, hi + 0.5))
        else:
            counts, edges = np.histogram(vals, bins=bins, range=(lo, hi))
        scale = self.count / len(vals)
        return [float(e) for e in edges], [float(c) * scale for c in counts]


@dataclass(frozen=True)
class ShardScan:
    """What every part of a shard scan reads and how: the same for all parts."""

    signals: tuple[str, ...]
    has_lang: bool
    want_text: bool
    stride: int

    @property
    def columns(self) -> list[str]:
        return [
            *self.signals,
            *(["lang"] if self.has_lang else []),
            *(["text"] if self.want_text else []),
        ]


@dataclass
class ShardPart:
    """The figures of some row groups of the kept shards; parts merge in scan order."""

    scores: dict[str, NumericSummary]
    lengths: NumericSummary | None
    length_counts: list[int]
    langs: Counter[str] = field(default_factory=Counter)
    lang_chars: Counter[str] = field(default_factory=Counter)

    def merge(self, other: ShardPart) -> None:
        for c, summary in other.scores.items():
            self.scores[c].merge(summary)
        if self.lengths is not None and other.lengths is not None:
            self.lengths.merge(other.lengths)
        self.length_counts = [
            a + b for a, b in zip(self.length_counts, other.length_counts, strict=True)
        ]
        self.langs.update(other.langs)
        self.lang_chars.update(other.lang_chars)


#: ``map_parts(fn, items)`` -> ``[fn(*item) for item in items]``, in order; a runtime may run
#: the calls elsewhere (``refinery run`` on Ray runs them as tasks on the workers).
MapParts = Callable[[Callable[..., ShardPart], list[tuple[Any, ...]]], list[ShardPart]]


def map_here(fn: Callable[..., ShardPart], items: list[tuple[Any, ...]]) -> list[ShardPart]:
    return [fn(*item) for item in items]


def empty_part(scan: ShardScan) -> ShardPart:
    return ShardPart(
        scores={c: NumericSummary(c) for c in scan.signals},
        lengths=NumericSummary("text_chars") if scan.want_text else None,
        length_counts=[0] * len(LENGTH_EDGES) if scan.want_text else [],
    )


def scan_shard_part(
    fs: Any, scan: ShardScan, groups: list[tuple[str, int, int]], first_row: int
) -> ShardPart:
    """The figures of ``groups`` (path, row group, rows), whose first row is row ``first_row``
    of the whole scan: one row group in memory at a time, only the needed columns."""
    part = empty_part(scan)
    row = first_row
    by_file: dict[str, list[tuple[int, int]]] = {}
    for path, i, n in groups:
        by_file.setdefault(path, []).append((i, n))
    for path, indexes in by_file.items():
        with fs.open(path, "rb") as f:
            pf = pq.ParquetFile(f)
            for i, n in indexes:
                table = pf.read_row_group(i, columns=scan.columns)
                for c in scan.signals:
                    part.scores[c].add(table[c], scan.stride, row)
                lengths = None
                if scan.want_text:
                    lengths = pc.fill_null(pc.utf8_length(table["text"]), 0)
                    _count_lengths(part, lengths, scan.stride, row)
                if scan.has_lang:
                    _count_langs(table["lang"], lengths, part.langs, part.lang_chars)
                row += n
                del table
    return part


def pieces(groups: list[tuple[str, int, int]], rows: int) -> list[list[tuple[str, int, int]]]:
    """``groups`` cut, in order, into pieces of about ``rows`` rows (whole row groups)."""
    out: list[list[tuple[str, int, int]]] = []
    size = rows
    for g in groups:
        if size >= rows:
            out.append([])
            size = 0
        out[-1].append(g)
        size += g[2]
    return out


def _count_lengths(part: ShardPart, lengths: pa.ChunkedArray, stride: int, first_row: int) -> None:
    assert part.lengths is not None
    part.lengths.add(lengths, stride, first_row)
    arr = lengths.to_numpy() if isinstance(lengths, pa.ChunkedArray) else np.asarray(lengths)
    bins = np.searchsorted(np.asarray(LENGTH_EDGES), arr, side="right") - 1
    for b, n in enumerate(np.bincount(bins, minlength=len(LENGTH_EDGES))):
        part.length_counts[b] += int(n)


def _count_langs(
    column: pa.ChunkedArray,
    lengths: pa.ChunkedArray | None,
    langs: Counter[str],
    chars: Counter[str],
) -> None:
    table = pa.table({"lang": pc.fill_null(pc.cast(column, pa.string()), "(none)")})
    aggs: list[tuple[str, str]] = [("lang", "count")]
    if lengths is not None:
        table = table.append_column("n", lengths)
        aggs.append(("n", "sum"))
    for row in table.group_by("lang").aggregate(aggs).to_pylist():
        code = row["lang"]
        code = code if code == "(none)" or _LANG.fullmatch(code) else "other"
        langs[code] += int(row["lang_count"])
        if lengths is not None:
            chars[code] += int(row["n_sum"] or 0)
