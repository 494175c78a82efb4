from __future__ import annotations

import pyarrow as pa
import pytest

from stages.textutil import lines, punctuation, scripts, sentences, tokens
from stages.textutil import words as words_module
from stages.textutil.words import Vocabulary, count_words, split_words, split_words_batch


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", []),
        ("   \n\t ", []),
        ("Hello, world!", ["Hello", ",", "world", "!"]),
        ("don't stop", ["do", "n't", "stop"]),
        ("it's John's", ["it", "'s", "John", "'s"]),
        ("e.g. the U.S. and Mr. Smith.", ["e.g.", "the", "U.S.", "and", "Mr.", "Smith", "."]),
        ("non-trivial 1-2 a--b", ["non", "-", "trivial", "1", "-", "2", "a", "--", "b"]),
        ("(see above).", ["(", "see", "above", ")", "."]),
        ("os.path.join() self.x", ["os.path.join", "(", ")", "self.x"]),
        ("a/b and/or x=1 a=b", ["a", "/", "b", "and/or", "x=1", "a", "=", "b"]),
        ("$10 50% 10km", ["$", "10", "50", "%", "10", "km"]),
        ("https://example.org/a-b).", ["https://example.org/a-b", ")", "."]),
        ("wait... what…", ["wait", "...", "what", "…"]),
        ("#include <stdio.h>", ["#", "include", "<", "stdio.h", ">"]),
        ("cannot", ["can", "not"]),
        ("...!!", ["...", "!", "!"]),
    ],
)
def test_english_words_follow_spacy(text: str, words: list[str]) -> None:
    assert split_words(text) == words


def test_chinese_text_is_not_one_giant_word() -> None:
    words = split_words("我们今天去北京，天气很好。", cjk="jieba")
    assert "，" in words and "。" in words
    assert max(len(w) for w in words) <= 4
    assert len(words) >= 6


def test_chinese_char_mode_gives_one_word_per_character() -> None:
    assert split_words("北京欢迎你。", cjk="char") == ["北", "京", "欢", "迎", "你", "。"]


def test_mixed_script_chunks_are_split_between_scripts() -> None:
    words = split_words("使用Python编写（示例）", cjk="char")
    assert "Python" in words
    assert "（" in words and "）" in words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Hello.", 1),
        ("Hello. World!", 2),
        ("e.g. this is one.", 1),
        ('It is. " B? C', 3),
        ('A. " B? C', 2),  # spaCy keeps "A." whole: no sentence ends there
        ("你好。世界！", 2),
        ("...!!", 1),
    ],
)
def test_count_sentences_like_the_sentencizer(text: str, expected: int) -> None:
    assert sentences.count_sentences(pa.array([text, "One. Two."])).tolist() == [expected, 2]


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\nb", "a\r\nb\n\n", "\n", "x\u2028y", "line\x0bnext\n"],
)
def test_lines_match_str_splitlines(text: str) -> None:
    flat, parents, per_text = lines.split_lines(pa.array([text, "z"]))
    assert flat.to_pylist()[: per_text[0]] == text.splitlines()
    assert per_text.tolist() == [len(text.splitlines()), 1]
    assert parents.tolist() == [0] * len(text.splitlines()) + [1]


def test_han_ratio() -> None:
    ratios = scripts.han_ratio(pa.array(["中文", "abc", "", "中a"]))
    assert ratios.tolist() == [1.0, 0.0, 0.0, 0.5]


def test_full_width_marks_are_terminal_and_symbols() -> None:
    for mark in "。！？":
        assert mark in punctuation.TERMINAL_PUNCTUATION
        assert mark in punctuation.SYMBOL_CHARS
    assert "，" in punctuation.SYMBOL_CHARS


def test_terminal_punctuation_is_every_sentence_terminal_code_point() -> None:
    # the set is read from one string of all code points; each one matched alone must agree
    # (non-BMP terminals such as Brahmi's U+11047 included, surrogates skipped safely)
    import sys

    import regex

    pattern = regex.compile(r"\p{Sentence_Terminal}")
    alone = {chr(c) for c in range(sys.maxunicode + 1) if pattern.match(chr(c))}
    assert punctuation.TERMINAL_PUNCTUATION == alone
    assert "\U00011047" in alone and "." in alone


def test_vocabulary_overflow_keeps_the_current_request(monkeypatch) -> None:
    vocabulary = Vocabulary("char")
    monkeypatch.setitem(words_module._VOCABULARIES, "char", vocabulary)
    monkeypatch.setattr(vocabulary, "max_chunks", 5)
    assert split_words("a b c d") == ["a", "b", "c", "d"]
    assert split_words("a b e f g h") == ["a", "b", "e", "f", "g", "h"]
    words = split_words_batch(pa.array(["x y z", "a b c"]))
    assert words.strings().to_pylist() == ["x", "y", "z", "a", "b", "c"]
    assert len(vocabulary.chunk_slot) <= 6


def test_word_properties_cover_words_added_later() -> None:
    vocabulary = Vocabulary("char")
    calls = []

    def length(strings: pa.Array) -> list[int]:
        calls.append(len(strings))
        return [len(s) for s in strings.to_pylist()]

    vocabulary.add_missing(["ab", "cde"])
    assert vocabulary.word_property("len", length).tolist() == [2, 3]
    vocabulary.add_missing(["ab", "f", "(gh)"])
    assert vocabulary.word_property("len", length).tolist() == [2, 3, 1, 1, 2, 1]
    assert vocabulary.word_property("len", length).tolist() == [2, 3, 1, 1, 2, 1]
    assert calls == [2, 4]


def test_batch_split_matches_the_per_text_split() -> None:
    texts = [
        "a b",
        "  leading and trailing  ",
        "",
        None,
        " \t\n ",
        "It's 10km, e.g. (here)... don't!",
        "中文，没有空格。Mixed English 和中文",
        "a\u3000b\xa0c\x1cd",
        "a b",
    ]
    words = split_words_batch(pa.array(texts, pa.string()))
    expected = [split_words(t or "") for t in texts]
    assert words.counts.tolist() == [len(w) for w in expected]
    assert words.strings().to_pylist() == [w for ws in expected for w in ws]
    assert words.lengths().tolist() == [len(w) for ws in expected for w in ws]
    chunked = pa.chunked_array([pa.array(texts[:4]), pa.array(texts[4:])])
    assert split_words_batch(chunked).strings().equals(words.strings())


def test_batch_split_of_texts_without_words() -> None:
    words = split_words_batch(pa.array(["", "  ", None], pa.string()))
    assert words.strings().to_pylist() == [] and words.counts.tolist() == [0, 0, 0]


# Chunk shapes the direct path of _split_chunks takes, and near misses it must leave to the
# expressions: contractions, abbreviations, periods after capitals, marks it does not know,
# Han with other scripts, and punctuation without Han.
SIMPLE_AND_NEAR_CHUNKS = (
    "word Word WORD dont Dont cannot Cannot Im Id Id. Id, youre theyll wont wont. a a. A. I. "
    "Mr. Mrs. Messrs. Ms Co. co. Inc. e.g. i.e. U.S. USA. NASA. iPhone. aB. ABC, ABC; x: "
    "word, word; word: word! word? word) word\" word. words' word's don't can't 5km 5km. "
    'word.. word... word.) (word word), word-word end." www. http://x.y '
    "中文 中文。 中文，测试！ 《书名》 “引号” 中文abc 中文, 中文~文 ¥100中 中文™ ＊＊＊ －－ 。。 "
    "１２３中 中·文 中文… ——中文 "
    # words in brackets and quotes, and the marks that are left to the expressions
    '(see (dont [x] {Word}. "word", "word." word!) word;) word:) (Mr. (U. ((word)) '
    '\'word word\' (e.g. ""word"" word?" [I] (word... word),;'
).split()


@pytest.mark.parametrize("cjk", ["char", "jieba"])
def test_simple_chunks_split_as_the_expressions_do(cjk: str) -> None:
    import io
    import json
    from pathlib import Path

    zstandard = pytest.importorskip("zstandard")
    sample = Path(__file__).parents[2] / "data" / "quality" / "web_en_zh_sample.jsonl.zst"
    raw = zstandard.ZstdDecompressor().stream_reader(sample.open("rb"))
    texts = [json.loads(line)["text"] for line in io.TextIOWrapper(raw, encoding="utf-8")]
    chunks = list(dict.fromkeys([*SIMPLE_AND_NEAR_CHUNKS, *(c for t in texts for c in t.split())]))
    if cjk == "jieba":
        chunks = chunks[:3000] + list(SIMPLE_AND_NEAR_CHUNKS)
    direct = tokens.split_chunks(chunks, cjk)  # type: ignore[arg-type]
    assert direct == tokens._split_by_expressions(chunks, cjk)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the examples of the definition in stages/textutil/words.py
        ("我们用 Python 3.12, don't we?", 8),
        ("使用Python编写。", 5),
        ("", 0),
        ("... ，。！ -- !!", 0),
        ("(see above).", 2),
    ],
)
def test_count_words_counts_tokens_that_are_not_punctuation(text: str, expected: int) -> None:
    assert count_words(pa.array([text, None], pa.string())).tolist() == [expected, 0]


def test_the_pattern_count_agrees_with_the_tokens_on_prose() -> None:
    from stages.textutil.words import count_words_by_pattern
    from tests.stages.batches import CHINESE_PROSE, ENGLISH_PROSE

    texts = pa.array([ENGLISH_PROSE, CHINESE_PROSE, "中文text 混合 mixed。"])
    assert count_words_by_pattern(texts).to_pylist() == count_words(texts).tolist()
    # where they differ: spaCy keeps "3.14" whole and splits "10km"
    assert count_words_by_pattern(pa.array(["3.14 10km"])).to_pylist() == [3]
    assert count_words(pa.array(["3.14 10km"])).tolist() == [3]


def test_a_batch_of_the_last_batchs_texts_reuses_its_words(monkeypatch) -> None:
    from stages.textutil import words as words_mod

    first = pa.array(["使用Python编写。", "don't (see) this", None, "x y x"], pa.string())
    split_words_batch(first)
    subset = pa.array(["x y x", "使用Python编写。", "x y x", None], pa.string())

    def no_split(*args: object) -> None:
        raise AssertionError("the words of these texts were split already")

    with monkeypatch.context() as m:
        m.setattr(words_mod, "_split_batch", no_split)
        reused = split_words_batch(subset)
    fresh = words_mod._split_batch(subset, words_mod._VOCABULARIES["char"])
    assert (
        reused.counts.tolist() == fresh.counts.tolist() == [3, 6, 3, 0]
    )  # tokens: 使 用 Python 编 写 。
    assert reused.strings().equals(fresh.strings())
    # a text the last batch did not hold, or a vocabulary started afresh: split again
    assert split_words_batch(pa.array(["x y x", "new text"])).counts.tolist() == [3, 2]
    words_mod._VOCABULARIES["char"].reset()
    with monkeypatch.context() as m:
        m.setattr(words_mod, "_split_batch", no_split)
        with pytest.raises(AssertionError, match="split already"):
            split_words_batch(pa.array(["x y x"]))
