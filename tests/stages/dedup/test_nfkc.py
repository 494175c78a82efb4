"""The batch NFKC (``stages/dedup/nfkc.py``) equals Arrow's and Python's, byte for byte."""

from __future__ import annotations

import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from stages.dedup import nfkc as nfkc_module
from stages.dedup.nfkc import nfkc

# Each needs care: full-width forms, spaces and "…" (ASCII-mapped, shorter or not), a
# combining mark after a full-width letter (composes only after mapping), compatibility
# ideographs and ligatures, Hangul jamo composition, kana voicing marks (before and after a
# kana), characters outside the BMP, circled digits, the Ångström sign, Greek with tonos.
SAMPLES = [
    "ＡＢＣ１２３，：（）！？",
    "数据是产品，模型帮助数据。「引号」《书名》",
    "a\u3000b\u00a0c…d²™ e\u2002f",
    "ｅ\u0301 and e\u0301",
    "\uf900漢字 ﬁle",
    "가\u11a8 \u1100\u1161",
    "ｶﾞｷﾞ \u3099か か\u3099",
    "𠀀ｘ 😀，",
    "①② \u212b Å ΆΑ\u0301",
    "plain ASCII only",
    "",
    "中文，English：混合 ｍｉｘｅｄ…",
]


def test_equals_arrow_and_python_nfkc():
    arr = pa.array(SAMPLES * 2, pa.large_string()).slice(3)  # a non-zero offset too
    assert nfkc(arr).equals(pc.utf8_normalize(arr, "NFKC"))
    for text in SAMPLES:
        got = nfkc(pa.array([text], pa.large_string()))[0].as_py()
        assert got == unicodedata.normalize("NFKC", text)


def test_inert_and_ascii_mapped_documents_skip_the_general_normaliser(monkeypatch):
    calls: list[int] = []
    real = pc.utf8_normalize

    def counting(texts, form):
        calls.append(len(texts))
        return real(texts, form)

    monkeypatch.setattr(nfkc_module.pc, "utf8_normalize", counting)
    fast = ["数据是产品，模型帮助数据。", "ＡＢＣ　１２３…", "naïve café"]
    out = nfkc(pa.array(fast, pa.large_string()))
    assert out.to_pylist() == ["数据是产品,模型帮助数据。", "ABC 123...", "naïve café"]
    assert calls == []
    # one document with a combining mark: only that one goes to the general normaliser
    out = nfkc(pa.array([*fast, "e\u0301"], pa.large_string()))
    assert out.to_pylist()[-1] == "é"
    assert calls == [1]


@pytest.mark.parametrize("seed", range(3))
def test_random_mixtures_equal_arrow(seed):
    import random

    rng = random.Random(seed)
    pool = "".join(SAMPLES) + "abcXYZ 012\n\t，。、；：？！“”‘’（）【】—·ｱｲｳ"
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    arr = pa.array(texts, pa.large_string())
    assert nfkc(arr).equals(pc.utf8_normalize(arr, "NFKC"))
