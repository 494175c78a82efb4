"""The one-pass shingle hashes (``fused_shingles``) against the vector passes, bit for bit."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from stages.dedup import sketch_kernel
from stages.dedup.fused_shingles import fused_shingle_hashes
from stages.dedup.normalize import DEFAULT_NORMALIZATION, Normalization, prepare
from stages.dedup.shingles import _general, shingle_hashes

pytestmark = pytest.mark.skipif(not sketch_kernel.AVAILABLE, reason="numba is not installed")

#: Every code point of the Basic Multilingual Plane but the surrogates, each in a document of
#: its own between ASCII and Chinese neighbours (alone, doubled, inside a word): whatever
#: class the tables give it, its document is hashed both ways.
_BMP = [p for p in range(1, 0x10000) if not 0xD800 <= p < 0xE000]


def _context_docs(points: list[int]) -> list[str]:
    return [f"Ab {chr(p)}x 中{chr(p)}文 {chr(p)}{chr(p)} end. 数据" for p in points]


NORMS = {
    "default": DEFAULT_NORMALIZATION,
    "no_nfkc": Normalization(nfkc=False),
    "no_lower": Normalization(lowercase=False),
    "neither": Normalization(nfkc=False, lowercase=False, strip_markup=False),
}


def _fused(texts: list[str], ngram: int, mode: str, norm: Normalization) -> tuple:
    raw = prepare(pa.array(texts, pa.large_string()), norm)
    return fused_shingle_hashes(raw, ngram, mode, 0.2, norm), raw


def _check(texts: list[str], ngram: int, mode: str, norm: Normalization) -> np.ndarray:
    """Asserts that every document the one pass takes has the general path's hashes, mode
    and count; returns the mask of documents it left to the general path."""
    (hashes, counts, char_mode, slow), raw = _fused(texts, ngram, mode, norm)
    ref = _general(raw, ngram, mode, 0.2, norm)
    fast = ~slow
    assert np.array_equal(counts[fast], ref.counts[fast])
    assert np.array_equal(char_mode[fast], ref.char_mode[fast])
    mask = np.repeat(fast, ref.counts)
    assert np.array_equal(hashes, ref.hashes[mask])
    return slow


@pytest.mark.parametrize("name", sorted(NORMS))
@pytest.mark.parametrize(("ngram", "mode"), [(5, "auto"), (1, "auto"), (3, "char"), (2, "word")])
def test_every_bmp_character_hashes_as_the_general_path(name, ngram, mode):
    norm = NORMS[name]
    slow = _check(_context_docs(_BMP), ngram, mode, norm)
    taken = np.array(_BMP)[~slow]
    # the one pass takes most of the plane: CJK, kana, Hangul, Latin, Cyrillic, full-width
    assert len(taken) > 40_000
    for p in (0x4E2D, 0x3042, 0xAC00, 0xFF21, 0x0416, 0x00E9, 0x2122, 0x2105, 0x0130):
        assert p in taken, hex(p)
    if norm.nfkc:  # combining marks (NFKC composes them) go to the general path
        assert not {0x0301, 0x0308, 0x1161} & set(taken.tolist())


def test_forms_that_change_length_or_split_into_tokens():
    # ™ → "tm" (one token), ℅ → "c/o" (two), … → "..." (none), İ → "i" (utf8proc's lower
    # case), Ｋ/K (Kelvin) → "k", ß stays, Σ → σ; full-width words and digits
    docs = [
        "brand™ name ℅ office… end",
        "İstanbul KELVIN K ß Σίσυφος",
        "ＡＢＣ１２３ ｈｅｌｌｏ，ｗｏｒｌｄ！",
        "ｆｕｌｌ－ｗｉｄｔｈ 中文：全角，标点。",
        "",
        "  \n ",
        "。，、！",
        "a",
        "数据",
    ]
    for ngram in (1, 2, 5):
        for mode in ("auto", "char", "word"):
            slow = _check(docs, ngram, mode, DEFAULT_NORMALIZATION)
            assert not slow.any()


def test_documents_the_tables_cannot_normalise_take_the_general_path():
    docs = [
        "plain English text here",
        "cafe\u0301 with a combining accent",  # NFKC composes é
        "an emoji 😀 and 𠀀 outside the BMP",
        "ﬁne ligature",  # NFKC maps ﬁ to "fi": a table entry
        "中文文本，没有特殊字符。",
    ]
    (_, _, _, slow), _ = _fused(docs, 5, "auto", DEFAULT_NORMALIZATION)
    assert slow.tolist() == [False, True, True, False, False]
    # and shingle_hashes puts both kinds back in batch order
    got = shingle_hashes(pa.array(docs))
    monkey = pytest.MonkeyPatch()
    monkey.setattr(sketch_kernel, "AVAILABLE", False)
    try:
        ref = shingle_hashes(pa.array(docs))
    finally:
        monkey.undo()
    assert np.array_equal(got.offsets, ref.offsets)
    assert np.array_equal(got.hashes, ref.hashes)
    assert np.array_equal(got.char_mode, ref.char_mode)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_mixtures_equal_the_general_path(seed):
    rng = np.random.default_rng(seed)
    pool = np.array(
        [*range(0x20, 0x7F), *range(0x4E00, 0x4E80), *range(0xFF01, 0xFF5F), *range(0x3000, 0x3020)]
        + [0x00E9, 0x00DF, 0x0130, 0x2122, 0x2026, 0x00A0, 0x0416, 0x0301, 0xAC00, 0x1F600]
    )
    docs = ["".join(map(chr, rng.choice(pool, int(rng.integers(0, 400))))) for _ in range(300)]
    for ngram, mode in ((5, "auto"), (3, "char"), (1, "word")):
        slow = _check(docs, ngram, mode, DEFAULT_NORMALIZATION)
        assert 0 < slow.sum() < len(docs)  # both paths ran
