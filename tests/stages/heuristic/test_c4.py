from __future__ import annotations

import re

import pyarrow as pa
import pytest

from refinery.stage import REJECT_REASON
from stages.heuristic.c4 import (
    CHINESE_END_PUNCTUATION,
    CHINESE_POLICY_SUBSTRINGS,
    ELLIPSES,
    END_PUNCTUATION,
    POLICY_SUBSTRINGS,
    C4QualityFilter,
)
from stages.textutil.chinese import chinese_mask
from stages.textutil.punctuation import SYMBOL_CHARS
from stages.textutil.sentences import count_sentences
from stages.textutil.words import split_words
from tests.stages.batches import CHINESE_PROSE, ENGLISH_PROSE, make_batch
from tests.stages.heuristic.outcomes import kept_row, reasons

# five sentences: exactly C4's minimum
PROSE = ENGLISH_PROSE + " It is well worth a visit."

PAGE = "\n".join(
    [
        "Home | About | Contact",
        ENGLISH_PROSE,
        "This line has no terminal punctuation",
        "Too short.",
        "Please enable JavaScript to view the comments.",
        "By using this site you agree to our privacy policy.",
        "A citation follows here and it is fine.[1]",
    ]
)


def test_cleans_lines_of_kept_pages() -> None:
    row = kept_row(C4QualityFilter(), PAGE)
    assert row["text"] == ENGLISH_PROSE + "\nA citation follows here and it is fine."
    assert row["c4_quality_lines_kept"] == 2
    assert row["c4_quality_lines_dropped"] == 5
    assert row["c4_quality_sentences"] >= 5


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "c4_too_few_sentences"),
        ("...!!!", "c4_too_few_sentences"),
        ("One short sentence here.", "c4_too_few_sentences"),
        (ENGLISH_PROSE + "\nLorem ipsum dolor sit amet.", "c4_lorem_ipsum"),
        (ENGLISH_PROSE + "\nThe value is {x} in the code.", "c4_curly_bracket"),
        ("x" * 5000 + ".", "c4_too_few_sentences"),
    ],
)
def test_page_rules(text: str, reason: str) -> None:
    assert reasons(C4QualityFilter(), [text]) == [reason]


def test_rejected_pages_keep_their_text() -> None:
    text = ENGLISH_PROSE + "\nLorem ipsum dolor sit amet."
    assert C4QualityFilter()(make_batch([text]))["text"][0].as_py() == text


def test_curly_bracket_in_a_dropped_line_does_not_reject() -> None:
    # the bracket check only sees lines that survived the punctuation and length checks
    kept_row(C4QualityFilter(), PROSE + "\nint main() {")


def test_ellipsis_lines_are_dropped() -> None:
    out = C4QualityFilter()(make_batch([PROSE + "\nAnd then it went on and on..."]))
    assert out["text"][0].as_py() == PROSE


def test_chinese_lines_use_full_width_punctuation_and_character_words() -> None:
    page = "\n".join(["首页 | 关于我们", CHINESE_PROSE, "本网站使用cookie，详见隐私政策。", "好。"])
    assert kept_row(C4QualityFilter(), page)["text"] == CHINESE_PROSE


def test_chinese_with_english_rules_loses_every_line() -> None:
    assert reasons(C4QualityFilter(chinese=None), [CHINESE_PROSE]) == ["c4_too_few_sentences"]


def test_empty_batch() -> None:
    stage = C4QualityFilter()
    out = stage(make_batch([]))
    assert out.num_rows == 0 and set(stage.writes()) <= set(out.column_names)


# Pages that take every branch of the line rules, for the stage against the oracle below.
EDGE_PAGES = [
    "",
    "\n\n\n",
    "   \u3000  ",
    PROSE,
    PAGE,
    PROSE + "\r\nLorem Ipsum dolor sit amet.\r\nThe value is {x}.",
    PROSE + "\nThe value is {x}, they said.\nLorem ipsum dolor sit amet.",
    PROSE + "\nSee the JavaScript {code} here now.",
    PROSE + "\nA line\u2028split by a separator.\x1cAnd a file separator here too.",
    PROSE + "\nTwo\u3000words\u00a0and more.\n[1]\n[citation needed] Cited words here now.",
    # words are counted before citations go: three words, then two
    PROSE + "\n[1] See [XDS].\n[edit] linux/arch/arm/common/vlock.S, www.kernel.org.",
    PROSE + "\nIt ends in an ellipsis…\nIt ends in dots....\nMr. Smith met Dr. Who. Yes.",
    PROSE + "\n" + "y" * 1500 + " is a long word.",
    # words of 30 and 31 characters, at the limit of the config with max_word_length=30
    PROSE + "\n" + "z" * 31 + " is one too long.\n" + "w" * 30 + " is not too long.",
    CHINESE_PROSE
    + "\n这一行有一个很长的词"
    + "x" * 31
    + "，它太长了。\n这一行的词"
    + "v" * 30
    + "不长。",
    "这是第一句。这是第二句！这是第三句？\n第四句话在这里。第五句话也在这里。\n短。",
    "首页\u3000关于我们。\n" + CHINESE_PROSE + "\n请阅读我们的隐私政策。\nabc…",
    CHINESE_PROSE + "\n使用Cookie的说明在这里，请看看。\nPython3和C++都是语言。",
    "Mixed 中文 and English words here. 还有句号。\n" + CHINESE_PROSE,
    # a run of Latin letters at the end of a line and one at the start of the next: two words
    CHINESE_PROSE + "\n中文中文abc\nxyz中文字词。",
]


def _line_by_line(stage: C4QualityFilter, texts: list[str]) -> list[tuple]:
    """The rules as C4's reference code writes them, a line at a time (the test's oracle)."""
    is_zh = chinese_mask(make_batch(texts), stage.config)
    return [
        _judge_page(stage.config, text, bool(zh)) for text, zh in zip(texts, is_zh, strict=True)
    ]


def _words(line: str, zh: bool, segmenter: str) -> list[str]:
    if not zh:
        return line.split()
    return [w for w in split_words(line, segmenter) if not set(w) <= SYMBOL_CHARS]


def _judge_page(cfg, text: str, zh: bool) -> tuple:
    t = cfg.chinese if zh and cfg.chinese is not None else cfg
    end_punct = END_PUNCTUATION + CHINESE_END_PUNCTUATION if zh else END_PUNCTUATION
    policies = POLICY_SUBSTRINGS + CHINESE_POLICY_SUBSTRINGS if zh else POLICY_SUBSTRINGS
    kept, dropped, n_sentences = [], 0, 0
    for raw in text.splitlines():
        line = raw.strip()
        words = _words(line, zh, cfg.cjk_segmenter)
        if t.max_word_length != -1 and any(len(w) > t.max_word_length for w in words):
            dropped += 1
            continue
        if cfg.remove_citations:
            line = re.sub(r"\[\d*]|\[edit]|\[citation needed]", "", line)
        ellipsis = ELLIPSES if zh else ELLIPSES[:1]
        if cfg.filter_no_terminal_punct and (
            not line.endswith(end_punct) or line.endswith(ellipsis)
        ):
            dropped += 1
            continue
        if len(words) < t.min_words_per_line:
            dropped += 1
            continue
        lower = line.lower()
        if cfg.filter_lorem_ipsum and "lorem ipsum" in lower:
            return text, len(kept), dropped, n_sentences, "c4_lorem_ipsum"
        if cfg.filter_javascript and "javascript" in lower:
            dropped += 1
            continue
        if cfg.filter_curly_bracket and "{" in line:
            return text, len(kept), dropped, n_sentences, "c4_curly_bracket"
        if cfg.filter_policy and any(p in lower for p in policies):
            dropped += 1
            continue
        if t.min_num_sentences != -1:
            n_sentences += int(count_sentences(pa.array([line]), cfg.cjk_segmenter)[0])
        kept.append(line)
    if n_sentences < t.min_num_sentences:
        return text, len(kept), dropped, n_sentences, "c4_too_few_sentences"
    return "\n".join(kept).strip(), len(kept), dropped, n_sentences, None


def _batch(stage: C4QualityFilter, texts: list[str]) -> list[tuple]:
    out = stage(make_batch(texts))
    columns = ["text", "c4_quality_lines_kept", "c4_quality_lines_dropped"]
    columns += ["c4_quality_sentences", REJECT_REASON]
    return list(zip(*(out[c].to_pylist() for c in columns), strict=True))


CONFIGS = [
    {},
    {"chinese": None},
    {"cjk_segmenter": "jieba"},
    {"max_word_length": 30, "min_words_per_line": 1, "min_num_sentences": 2},
    {"remove_citations": False, "filter_no_terminal_punct": False, "min_num_sentences": -1},
    {"filter_lorem_ipsum": False, "filter_curly_bracket": False, "filter_policy": False},
    {"min_words_per_line": 150, "filter_javascript": False},
]


@pytest.mark.parametrize("config", CONFIGS)
def test_batch_rules_equal_the_line_by_line_rules(config: dict) -> None:
    # the stage judges all lines of a batch at once with Arrow; the oracle applies the rules a
    # line at a time in Python, in the order C4's reference code does
    stage = C4QualityFilter(**config)
    assert _batch(stage, EDGE_PAGES) == _line_by_line(stage, EDGE_PAGES)


def test_batch_rules_equal_the_line_by_line_rules_on_real_pages() -> None:
    import io
    import json
    from pathlib import Path

    zstandard = pytest.importorskip("zstandard")
    sample = Path(__file__).parents[2] / "data" / "quality" / "web_en_zh_sample.jsonl.zst"
    raw = zstandard.ZstdDecompressor().stream_reader(sample.open("rb"))
    texts = [json.loads(line)["text"] for line in io.TextIOWrapper(raw, encoding="utf-8")]
    for config in CONFIGS[:2]:
        stage = C4QualityFilter(**config)
        assert _batch(stage, texts) == _line_by_line(stage, texts)
