from __future__ import annotations

import pyarrow as pa
import regex

from stages.textutil.scripts import HAN, KANA, LATIN, script_counts

_PATTERNS = {HAN: r"\p{Han}", LATIN: r"\p{Latin}", KANA: r"[\p{Hiragana}\p{Katakana}]"}


def _expected(text: str | None) -> list[int]:
    return [len(regex.findall(_PATTERNS[c], text or "")) for c in (HAN, LATIN, KANA)]


TEXTS = [
    "Plain English text.",
    "中文文本，有标点。",
    "日本語のテキスト、カタカナも。",
    "Mixed 中文 and English 混排",
    "",
    None,
    "Ａｂｃ full-width Latin, é ß Ø, 𠀀 (CJK Extension B), 😀 emoji",
    "\u3007\u3005 ideographic marks",
]


def test_counts_match_the_unicode_script_properties() -> None:
    got = script_counts(pa.array(TEXTS, pa.string()))
    assert got.tolist() == [_expected(t) for t in TEXTS]


def test_slices_chunks_and_large_strings() -> None:
    full = script_counts(pa.array(TEXTS, pa.string()))
    assert script_counts(pa.array(TEXTS, pa.string()).slice(2, 4)).tolist() == full[2:6].tolist()
    chunked = pa.chunked_array([pa.array(TEXTS[:3]), pa.array(TEXTS[3:])])
    assert script_counts(chunked).tolist() == full.tolist()
    assert script_counts(pa.array(TEXTS, pa.large_string())).tolist() == full.tolist()


def test_empty_inputs() -> None:
    assert script_counts(pa.array([], pa.string())).shape == (0, 3)
    assert script_counts(pa.array(["", None], pa.string())).tolist() == [[0, 0, 0], [0, 0, 0]]
