"""N-gram repetition of many documents at once, for Gopher's repetition rules.

N-grams are hashed, not joined: each distinct word gets a 64-bit value (a hash of the word and
a seed) and an n-gram the rolling hash of its words' values. An n-gram can only repeat where
the (n-1)-gram at the same position repeats, so each n only groups the positions that
repeated at n-1.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stages.heuristic.rules import exceeds
from stages.textutil.arrays import ratio, to_numpy
from stages.textutil.hashing import fmix64, hash_strings64
from stages.textutil.words import BatchWords

__all__ = ["ngram_fractions"]

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_DOC_SALT = np.uint64(0xD6E8FEB86659FD93)
_SEED_SALT = np.uint64(0x2545F4914F6CDD1D)


def ngram_fractions(
    words: BatchWords,
    chars: np.ndarray,
    limits: dict[tuple[str, int], np.ndarray],
    *,
    count_single: np.ndarray,
    seed: int,
) -> dict[tuple[str, int], np.ndarray]:
    """Per ``(kind, n)`` of ``limits`` and document: the fraction of its ``chars`` characters
    covered by the commonest n-gram (kind ``"top"``) or in repeated n-grams (kind ``"dup"``).

    ``top``: (characters of the n-gram joined with spaces) x (its count), for the n-gram with
    the highest count, the earliest one on ties (``Counter.most_common(1)``). Where
    ``count_single`` is false (Chinese documents), an n-gram seen once does not count.
    ``dup``: datatrove ``find_all_duplicate``: scanning left to right, a repeat adds its
    characters (joined without spaces) and skips the next n-1 positions.
    n grows, and a document whose fraction exceeds its limit (``limits``: one per document,
    NaN for none) is not counted for larger n: its later fractions are NaN, as datatrove
    stops at the first failing rule. ``seed`` seeds the per-word hash values.
    """
    top_ns = sorted(n for kind, n in limits if kind == "top")
    dup_ns = sorted(n for kind, n in limits if kind == "dup")
    counts = words.counts
    n_docs = len(counts)
    alive = np.ones(n_docs, dtype=bool)
    top = {ngram: np.zeros(n_docs) for ngram in top_ns}
    dup = {ngram: np.zeros(n_docs) for ngram in dup_ns}
    total = int(counts.sum())
    seed_mix = fmix64(np.array([seed], dtype=np.uint64) + _SEED_SALT)

    def word_values(strings: pa.Array) -> np.ndarray:
        return fmix64(hash_strings64(strings) ^ seed_mix)

    values = words.vocabulary.word_property(("ngram_value", seed), word_values)[words.ids]
    lengths = words.lengths()
    cum = np.concatenate([[0], np.cumsum(lengths)])
    doc_of = np.repeat(np.arange(n_docs), counts)
    doc_end = np.cumsum(counts)[doc_of]
    salt = doc_of.astype(np.uint64) * _DOC_SALT

    doc_start = np.cumsum(counts) - counts
    hashes = values.copy()
    # An n-gram can only repeat where the (n-1)-gram at the same position repeats, so each
    # step groups only the previous step's repeated positions (most positions drop out early).
    candidates = np.arange(total)
    out: dict[tuple[str, int], np.ndarray] = {}
    for ngram in range(2, max([*top_ns, *dup_ns, 1]) + 1):
        size = total - ngram + 1
        if size > 0:
            hashes = hashes[:size] * _MULTIPLIER + values[ngram - 1 :]
        if candidates.size:
            in_doc = candidates + ngram <= doc_end[candidates]
            candidates = candidates[in_doc & alive[doc_of[candidates]]]
        if ngram in top:
            # without repeats the commonest n-gram is the first one, counted once
            long_enough = np.flatnonzero((counts >= ngram) & count_single & alive)
            first = doc_start[long_enough]
            top[ngram][long_enough] = cum[first + ngram] - cum[first] + ngram - 1
        if candidates.size:
            keys = hashes[candidates] ^ salt[candidates]
            groups = _group_ids(keys)
            group_counts = np.bincount(groups)
            repeated = group_counts[groups] > 1
            if ngram in top and repeated.any():
                _top_repeated(top[ngram], candidates, groups, group_counts, ngram, cum, doc_of)
            if ngram in dup and repeated.any():
                dup[ngram] = _greedy_repeats(
                    candidates[repeated].tolist(),
                    groups[repeated].tolist(),
                    ngram,
                    cum,
                    doc_of,
                    n_docs,
                )
            candidates = candidates[repeated]
        for kind, table in (("top", top), ("dup", dup)):
            if ngram in table:
                frac = ratio(table[ngram], chars)
                frac[~alive] = np.nan
                out[(kind, ngram)] = frac
                alive &= ~exceeds(frac, limits[(kind, ngram)])
    return out


def _group_ids(keys: np.ndarray) -> np.ndarray:
    """Ids of equal keys, numbered in order of first appearance (a hash table, no sort)."""
    try:
        import pandas as pd  # Ray Data's dependency; its factorize is about twice Arrow's speed
    except ImportError:
        return to_numpy(pc.dictionary_encode(pa.array(keys)).indices).astype(np.int64)
    return np.asarray(pd.factorize(keys)[0], dtype=np.int64)


def _top_repeated(
    out: np.ndarray,
    positions: np.ndarray,
    groups: np.ndarray,
    group_counts: np.ndarray,
    ngram: int,
    cum: np.ndarray,
    doc_of: np.ndarray,
) -> None:
    """Set ``out[doc]`` for documents with a repeated n-gram: the commonest one, earliest on ties.

    Group ids follow first appearance (positions are sorted), so a group's first occurrence is
    where the running maximum of the ids grows, and groups come in document order.
    """
    running = np.maximum.accumulate(groups)
    is_first = np.ones(len(groups), dtype=bool)
    is_first[1:] = running[1:] > running[:-1]
    first_pos = positions[is_first]
    keep = group_counts > 1
    first_pos = first_pos[keep]
    counts = group_counts[keep]
    group_doc = doc_of[first_pos]
    starts = np.flatnonzero(np.r_[True, group_doc[1:] != group_doc[:-1]])
    best = np.maximum.reduceat(counts, starts)
    is_best = counts == np.repeat(best, np.diff(np.r_[starts, len(group_doc)]))
    order = np.arange(len(counts))
    pick = np.minimum.reduceat(np.where(is_best, order, len(order)), starts)
    span = cum[first_pos[pick] + ngram] - cum[first_pos[pick]] + ngram - 1
    out[group_doc[starts]] = span * best


def _greedy_repeats(
    positions: list[int],
    groups: list[int],
    ngram: int,
    cum: np.ndarray,
    doc_of: np.ndarray,
    n_docs: int,
) -> np.ndarray:
    """datatrove ``find_all_duplicate`` over the positions whose n-gram occurs twice or more.

    Positions whose n-gram is unique never change the outcome: they are never a repeat and
    their n-gram is never looked up. Group ids are per document, so one pass serves the batch.
    """
    out = np.zeros(n_docs)
    hits: list[int] = []
    seen: set[int] = set()
    skip_until = -1
    for pos, group in zip(positions, groups, strict=True):
        if pos < skip_until:
            continue
        if group in seen:
            hits.append(pos)
            skip_until = pos + ngram
        else:
            seen.add(group)
    if hits:
        at = np.asarray(hits, dtype=np.int64)
        np.add.at(out, doc_of[at], cum[at + ngram] - cum[at])
    return out
