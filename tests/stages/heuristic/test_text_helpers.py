from __future__ import annotations

import pyarrow as pa
import pytest

from stages.heuristic import _text


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
    assert _text.split_words(text) == words


def test_chinese_text_is_not_one_giant_word() -> None:
    words = _text.split_words("我们今天去北京，天气很好。", cjk="jieba")
    assert "，" in words and "。" in words
    assert max(len(w) for w in words) <= 4
    assert len(words) >= 6


def test_chinese_char_mode_gives_one_word_per_character() -> None:
    assert _text.split_words("北京欢迎你。", cjk="char") == ["北", "京", "欢", "迎", "你", "。"]


def test_mixed_script_chunks_are_split_between_scripts() -> None:
    words = _text.split_words("使用Python编写（示例）", cjk="char")
    assert "Python" in words
    assert "（" in words and "）" in words


@pytest.mark.parametrize(
    ("words", "sentences"),
    [
        ([], 0),
        (["Hello", "."], 1),
        (["Hello", ".", "World", "!"], 2),
        (["e.g.", "this", "is", "one", "."], 1),
        (["A", ".", '"', "B", "?", "C"], 3),
        (["你好", "。", "世界", "！"], 2),
    ],
)
def test_count_sentences_like_the_sentencizer(words: list[str], sentences: int) -> None:
    assert _text.count_sentences(words) == sentences


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\nb", "a\r\nb\n\n", "\n", "x\u2028y", "line\x0bnext\n"],
)
def test_lines_match_str_splitlines(text: str) -> None:
    lines, parents, per_text = _text.lines_for_gopher(pa.array([text, "z"]))
    assert lines.to_pylist()[: per_text[0]] == text.splitlines()
    assert per_text.tolist() == [len(text.splitlines()), 1]
    assert parents.tolist() == [0] * len(text.splitlines()) + [1]


def test_han_ratio() -> None:
    ratios = _text.han_ratio(pa.array(["中文", "abc", "", "中a"]))
    assert ratios.tolist() == [1.0, 0.0, 0.0, 0.5]


def test_full_width_marks_are_terminal_and_symbols() -> None:
    for mark in "。！？":
        assert mark in _text.TERMINAL_PUNCTUATION
        assert mark in _text.SYMBOL_CHARS
    assert "，" in _text.SYMBOL_CHARS


def test_vocabulary_overflow_keeps_the_current_request(monkeypatch) -> None:
    vocabulary = _text.Vocabulary("char")
    monkeypatch.setitem(_text._VOCABULARIES, "char", vocabulary)
    monkeypatch.setattr(vocabulary, "max_chunks", 5)
    assert _text.split_words("a b c d") == ["a", "b", "c", "d"]
    assert _text.split_words("a b e f g h") == ["a", "b", "e", "f", "g", "h"]
    words = _text.split_words_batch(pa.array(["x y z", "a b c"]))
    assert words.strings().to_pylist() == ["x", "y", "z", "a", "b", "c"]
    assert len(vocabulary.chunk_slot) <= 6


def test_word_properties_cover_words_added_later() -> None:
    vocabulary = _text.Vocabulary("char")
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
    words = _text.split_words_batch(pa.array(texts, pa.string()))
    expected = [_text.split_words(t or "") for t in texts]
    assert words.counts.tolist() == [len(w) for w in expected]
    assert words.strings().to_pylist() == [w for ws in expected for w in ws]
    assert words.lengths().tolist() == [len(w) for ws in expected for w in ws]
    chunked = pa.chunked_array([pa.array(texts[:4]), pa.array(texts[4:])])
    assert _text.split_words_batch(chunked).strings().equals(words.strings())


def test_batch_split_of_texts_without_words() -> None:
    words = _text.split_words_batch(pa.array(["", "  ", None], pa.string()))
    assert words.strings().to_pylist() == [] and words.counts.tolist() == [0, 0, 0]
