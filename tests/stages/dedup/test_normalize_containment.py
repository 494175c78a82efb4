"""Normalisation before shingling (width, case, punctuation, markup) and containment."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from stages.dedup.markup import strip_markup
from stages.dedup.minhash import MinHashDedupFilter
from stages.dedup.normalize import Normalization
from stages.dedup.shingles import shingle_hashes, shingle_tokens
from stages.dedup.verify import verify_pairs

ZH = "数据是产品，模型帮助数据。我们把原始文本变成干净的训练数据，并且记录每一步的来源。"
ZH_VARIANTS = [
    "数据是产品,模型帮助数据.我们把原始文本变成干净的训练数据,并且记录每一步的来源.",  # half-width
    "数据 是 产品 模型帮助数据 我们把原始文本\n变成干净的训练数据 并且记录每一步的来源",  # no punct
]
EN = "Refinery turns raw corpora into clean, deduplicated training shards for banks."
EN_FULL = "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) < 0x7F else c for c in EN)


def _shingle_set(text: str, **kw) -> set[int]:
    sh = shingle_hashes(pa.array([text]), **kw)
    return set(sh.hashes.tolist())


@pytest.mark.parametrize("variant", ZH_VARIANTS)
def test_chinese_width_and_punctuation_variants_shingle_alike(variant):
    assert _shingle_set(variant) == _shingle_set(ZH)
    # with punctuation kept the copies differ: the normalisation is what makes them equal
    keep = Normalization(strip_punctuation=False)
    assert _shingle_set(variant, norm=keep) != _shingle_set(ZH, norm=keep)


def test_full_width_english_and_case_fold():
    assert _shingle_set(EN_FULL) == _shingle_set(EN.upper()) == _shingle_set(EN)
    assert _shingle_set(EN_FULL, norm=Normalization(nfkc=False)) != _shingle_set(EN)


HTML = (
    "<html><head><title>Loans</title><style>p {color: red}</style></head><body>"
    '<h1>Loan notes</h1><p>See <a href="https://bank.example/policy">the policy page</a> '
    "for the rules &amp; the <code>review</code> cycle.</p><ol><li>Collect the notes</li>"
    "<li>Check them every quarter</li></ol></body></html>"
)
MARKDOWN = (
    "# Loan notes\n\nSee [the policy page](https://bank.example/policy) for the rules & "
    "the `review` cycle.\n\n1. Collect the notes\n2. Check them every quarter\n"
)
RST = (
    "Loan notes\n==========\n\nSee `the policy page <https://bank.example/policy>`_ for the "
    "rules & the ``review`` cycle.\n\n.. note::\n\n#. Collect the notes\n#. Check them every "
    "quarter\n"
)
PLAIN = (
    "Loan notes\nSee the policy page for the rules & the review cycle.\n"
    "Collect the notes\nCheck them every quarter"
)


@pytest.mark.parametrize("marked", [HTML, MARKDOWN, RST])
def test_markup_renderings_shingle_as_their_text(marked):
    assert _shingle_set(marked, ngram=3) == _shingle_set(PLAIN, ngram=3)
    raw = Normalization(strip_markup=False)
    assert _shingle_set(marked, ngram=3, norm=raw) != _shingle_set(PLAIN, ngram=3, norm=raw)


def test_plain_text_passes_through_markup_stripping():
    texts = ["a < b and c > d in plain prose", "数据 [注] 不是链接", "", "x" * 50]
    assert strip_markup(pa.array(texts)).to_pylist() == texts


def test_chinese_html_page_is_shingled_by_characters():
    page = f"<html><body><div class='nav'><p>{ZH}</p></div></body></html>"
    sh = shingle_hashes(pa.array([page]))
    assert sh.char_mode.tolist() == [True]
    assert set(sh.hashes.tolist()) == _shingle_set(ZH)


def test_reference_tokens_follow_the_normalisation():
    assert shingle_tokens(MARKDOWN, ngram=2)[:2] == [("loan", "notes"), ("notes", "see")]
    assert shingle_tokens(ZH_VARIANTS[0]) == shingle_tokens(ZH)


def test_verify_keeps_contained_pairs_and_names_the_contained_side():
    sig_a = np.arange(256, dtype=np.uint32).reshape(1, -1)
    sig_b = sig_a.copy()
    sig_b[0, 128:] += 1000  # half the positions agree: J ≈ 0.5
    edges = np.array([[7, 9]], dtype=np.uint64)
    # B (size 50) inside A (size 100): J = 50/100 = 0.5, containment = 1.0
    kept, contained = verify_pairs(
        edges, sig_a, sig_b, np.array([100]), np.array([50]), 0.8, 0.8, 0.2
    )
    assert kept.tolist() == [[7, 9]] and contained.to_pylist() == [9]
    # same J, equal sizes: containment 0.67 < 0.8, not a duplicate
    kept, _ = verify_pairs(edges, sig_a, sig_b, np.array([100]), np.array([100]), 0.8, 0.8, 0.2)
    assert len(kept) == 0
    # containment off: Jaccard only
    kept, _ = verify_pairs(edges, sig_a, sig_b, np.array([100]), np.array([50]), 0.8, None, 0.2)
    assert len(kept) == 0


def _long_doc(seed: int, zh: bool) -> str:
    rng = np.random.default_rng(seed)
    if zh:
        chars = list("银行贷款客户服务监管产品报告手册数据模型语料过滤质量评论文本清洗训练")
        lines = ["".join(rng.choice(chars, 30)) + "。" for _ in range(30)]
    else:
        words = "loan note bank report customer manual rule quarter review credit team".split()
        lines = [" ".join(rng.choice(words, 12)) + "." for _ in range(30)]
    return "\n".join(lines)


@pytest.mark.parametrize("zh", [False, True])
def test_truncated_copy_is_contained_in_its_original(zh):
    full = _long_doc(1, zh)
    half = "\n".join(full.split("\n")[:12])  # 40 %: Jaccard ≈ 0.4
    other = _long_doc(2, zh)
    table = pa.table(
        {"id": ["full", "half", "other"], "text": [full, half, other], "source": ["s"] * 3}
    )
    out = MinHashDedupFilter().run_local(table, None)
    assert out["reject_reason"].to_pylist() == [None, "contained_in", None]
    assert out["minhash_dedup_kept_id"].to_pylist()[:2] == ["full", "full"]
    off = MinHashDedupFilter(containment=None).run_local(table, None)
    assert off["reject_reason"].null_count == 3
    rejected = out.filter(pc.is_valid(out["reject_reason"]))
    assert rejected["id"].to_pylist() == ["half"]
