"""The compiled sketch (``sketch_kernel``) against the numpy path, bit for bit."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from stages.dedup import sketch_kernel
from stages.dedup.lsh import band_hashes
from stages.dedup.minhash import MinHashDedupConfig
from stages.dedup.shingles import ShingleHashes, shingle_hashes
from stages.dedup.signatures import signatures
from stages.dedup.sketch import _sketch_chunk

_rng = np.random.default_rng(7)
_WORDS = "data model text clean train corpus token shard filter score".split()
_HAN = "数据是产品模型帮助我们把原始文本变成干净的训练语料库"

#: Empty, blank, punctuation-only, one- and few-token, English, Chinese, mixed, Cyrillic
#: (the code point tokenizer), astral characters, repeated shingles, Hangul, markup, and two
#: long documents.
AWKWARD = [
    "",
    "   \n\t ",
    "。，、「」!?",
    "x",
    "one two",
    "短",
    "五个字符",
    "五个字符长",
    "The quick brown fox jumps over the lazy dog, again and again.",
    "数据是产品，模型帮助数据。我们把原始文本变成干净的训练数据。",
    "mixed 中文 and English words in one document with more English words than 中文",
    "Ｆｕｌｌ－ｗｉｄｔｈ TEXT, café, naïve; Привет мир, как дела сегодня утром",
    "𠀀𠀁𠀂 ancient 𠀃 ideographs 😀 and emoji 𝒳 letters, 𠀀𠀁𠀂𠀃𠀄",
    "_under_score_ tokens__ end_",
    "same same same same same same same same same same",
    "힘한 hello world",  # Hangul lead bytes 0xED: two CJK characters make it character-shingled
    "<p>An <b>HTML</b> page</p><p>with a few</p><p>paragraphs of text</p>",
    " ".join(_rng.choice(_WORDS, 20_000)),
    "".join(_rng.choice(list(_HAN), 30_000)),
    "trailing punctuation at the end...",
]

CONFIGS = {
    "default": {},
    "odd_perms": {"num_perm": 13, "prefix_rows": 3, "prefix_bands": 1, "prefix_shingles": 1},
    "no_containment": {"num_perm": 9, "bands": 3, "rows": 3, "containment": None},
    "char": {"shingle": "char", "ngram": 3},
    "word": {"shingle": "word", "ngram": 1},
    "punctuation_kept": {"strip_punctuation": False, "nfkc": False, "lowercase": False},
    "no_markup": {"strip_markup": False, "ngram": 7},
}


def _both(monkeypatch: pytest.MonkeyPatch, fn: Any) -> tuple[Any, Any]:
    """``fn()`` with the compiled kernels, then with the numpy path."""
    monkeypatch.setattr(sketch_kernel, "AVAILABLE", True)
    fast = fn()
    monkeypatch.setattr(sketch_kernel, "AVAILABLE", False)
    return fast, fn()


def _same(a: Any, b: Any) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        if x is None or y is None:
            assert x is None and y is None
        else:
            assert x.dtype == y.dtype and np.array_equal(x, y)


@pytest.mark.skipif(not sketch_kernel.AVAILABLE, reason="numba is not installed")
@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_compiled_sketch_equals_numpy_path(monkeypatch, name):
    cfg = MinHashDedupConfig(**CONFIGS[name])
    texts = pa.array(AWKWARD)
    fast, slow = _both(monkeypatch, lambda: _sketch_chunk(texts, cfg))
    _same(fast, slow)
    sigs, prefix, has, sizes = fast
    assert sigs.shape == (len(AWKWARD), cfg.num_perm) and not has[:2].any()
    assert has[2] == (not cfg.strip_punctuation)
    assert (sigs[~has] == 0xFFFFFFFF).all() and has[3:].all()
    sh = _both(
        monkeypatch,
        lambda: shingle_hashes(texts, cfg.ngram, cfg.shingle, cfg.cjk_ratio, cfg.normalization()),
    )
    _same(*[(s.hashes, s.offsets, s.char_mode) for s in sh])
    assert sh[0].char_mode[15] == (cfg.shingle != "word")
    if cfg.containment is not None:  # sizes are distinct shingles: one for the repeated word
        assert (sizes <= np.diff(sh[0].offsets)).all()
        assert sizes[14] == (1 if cfg.shingle != "char" else 4)


@pytest.mark.skipif(not sketch_kernel.AVAILABLE, reason="numba is not installed")
def test_compiled_signatures_equal_numpy_on_random_hashes(monkeypatch):
    # documents of 0..600 shingles with repeats; the prefix window shorter and longer than them
    counts = _rng.integers(0, 600, 300)
    counts[[0, 5, -1]] = 0
    counts[10] = 50
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    hashes = _rng.integers(0, 2**32, int(offsets[-1]), dtype=np.uint64).astype(np.uint32)
    hashes[offsets[10] : offsets[11]] = hashes[offsets[10]]
    sh = ShingleHashes(hashes=hashes, offsets=offsets, char_mode=np.zeros(300, bool))
    for num_perm, limit in ((256, None), (31, 32), (7, 1), (64, 10_000)):
        _same(
            *_both(
                monkeypatch, partial(lambda n, k: [signatures(sh, n, 3, limit=k)], num_perm, limit)
            )
        )
    _same(*_both(monkeypatch, lambda: [sh.distinct_counts()]))
    assert sh.distinct_counts()[10] == 1


def test_kernels_without_the_compiler_equal_numpy_path(monkeypatch):
    # the kernels' own code, run as plain Python, gives the numpy path's bits too
    cfg = MinHashDedupConfig(num_perm=9, prefix_rows=2, prefix_bands=2, prefix_shingles=4)
    texts = pa.array(AWKWARD[:17])
    monkeypatch.setattr(sketch_kernel, "AVAILABLE", False)
    slow = _sketch_chunk(texts, cfg)
    for name in [n for n in sketch_kernel.__all__ if n != "AVAILABLE"] + ["_fmix32", "_fmix64"]:
        fn = getattr(sketch_kernel, name)
        monkeypatch.setattr(sketch_kernel, name, getattr(fn, "py_func", fn))
    monkeypatch.setattr(sketch_kernel, "AVAILABLE", True)
    with np.errstate(over="ignore"):
        python = _sketch_chunk(texts, cfg)
    _same(python, slow)


@pytest.mark.parametrize("python", [False, True], ids=["compiled", "plain_python"])
def test_band_hash_kernel_equals_numpy_path(monkeypatch, python):
    # every band of rows, a band layout that leaves columns over, one row per band, no rows
    sigs = _rng.integers(0, 2**32, (40, 24), dtype=np.uint64).astype(np.uint32)
    sigs[3] = 0xFFFFFFFF
    if python:
        fn = sketch_kernel.band_rows_hashes
        monkeypatch.setattr(sketch_kernel, "band_rows_hashes", getattr(fn, "py_func", fn))
        monkeypatch.setattr(sketch_kernel, "_fmix64", sketch_kernel._fmix64.py_func)
    elif not sketch_kernel.AVAILABLE:
        pytest.skip("numba is not installed")
    for bands, rows, n in ((6, 4, 40), (5, 3, 40), (24, 1, 7), (2, 5, 0)):
        with np.errstate(over="ignore"):
            fast, slow = _both(monkeypatch, partial(band_hashes, sigs[:n], bands, rows))
        assert fast.shape == (n, bands) and fast.dtype == slow.dtype == np.uint64
        assert np.array_equal(fast, slow)
