from __future__ import annotations

import pyarrow as pa
import pytest

from refinery.stage import REJECT_REASON
from stages.heuristic.gopher_quality import GopherQualityFilter
from stages.heuristic.gopher_repetition import GopherRepetitionFilter
from tests.stages.batches import CHINESE_PROSE, ENGLISH_PROSE, make_batch
from tests.stages.heuristic.outcomes import kept_row, reasons

# --------------------------------------------------------------------------- quality


def test_quality_keeps_english_prose_and_annotates() -> None:
    row = kept_row(GopherQualityFilter(), ENGLISH_PROSE)
    assert row["gopher_quality_n_words"] >= 50
    assert 3 <= row["gopher_quality_mean_word_length"] <= 10
    assert row["gopher_quality_stop_words"] >= 2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "gopher_short_doc"),
        ("!!! ... ??? ,,, ;;;", "gopher_short_doc"),
        ("word " * 20, "gopher_short_doc"),
        ("supercalifragilistic " * 60, "gopher_above_avg_threshold"),
        ("a an is to of " * 20, "gopher_below_avg_threshold"),
        (ENGLISH_PROSE + " #tag" * 20, "gopher_too_many_hashes"),
        (ENGLISH_PROSE + " wait..." * 20 + " end.", "gopher_too_many_ellipsis"),
        (
            "\n".join(f"- item number {i} of the list of things to do" for i in range(12)),
            "gopher_too_many_bullets",
        ),
        (
            "\n".join(
                f"and then the story went on and on with this line, number {i}..."
                for i in range(12)
            ),
            "gopher_too_many_end_ellipsis",
        ),
        (
            ENGLISH_PROSE + " 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24" * 2,
            "gopher_below_alpha_threshold",
        ),
        (
            "lorem ipsum dolor sit amet consectetur adipiscing elit sed do " * 6,
            "gopher_too_few_stop_words",
        ),
    ],
)
def test_quality_rules(text: str, reason: str) -> None:
    assert reasons(GopherQualityFilter(), [text]) == [reason]


def test_quality_one_long_line_without_spaces() -> None:
    assert reasons(GopherQualityFilter(), ["x" * 5000]) == ["gopher_short_doc"]


def test_quality_chinese_prose_is_kept_not_one_giant_word() -> None:
    row = kept_row(GopherQualityFilter(), CHINESE_PROSE)
    assert row["gopher_quality_n_words"] > 50
    assert row["gopher_quality_mean_word_length"] < 3


def test_quality_chinese_with_english_rules_is_rejected() -> None:
    # datatrove's behaviour: English thresholds on Chinese words fail the word-length rule
    stage = GopherQualityFilter(chinese=None)
    assert reasons(stage, [CHINESE_PROSE]) == ["gopher_below_avg_threshold"]


def test_quality_full_width_ellipsis_lines() -> None:
    line = "这是新的一行，我们的故事还在继续，后来的事情谁也不知道……"
    text = "\n".join([line] * 10 + [CHINESE_PROSE])
    assert reasons(GopherQualityFilter(), [text]) == ["gopher_too_many_end_ellipsis"]


def test_quality_thresholds_are_configurable_and_disable_with_none() -> None:
    assert reasons(
        GopherQualityFilter(min_doc_words=None, min_stop_words=None), ["word " * 20]
    ) == [None]
    assert reasons(GopherQualityFilter(min_doc_words=200), [ENGLISH_PROSE]) == ["gopher_short_doc"]


def test_quality_empty_batch_has_declared_columns() -> None:
    stage = GopherQualityFilter()
    out = stage(make_batch([]))
    assert out.num_rows == 0
    assert set(stage.writes()) <= set(out.column_names)
    assert out.schema.field("gopher_quality_n_words").type == pa.int32()


def test_quality_rejects_unknown_config_keys() -> None:
    with pytest.raises(ValueError, match="min_doc_wrods"):
        GopherQualityFilter(min_doc_wrods=3)


# ------------------------------------------------------------------------- repetition


def test_repetition_keeps_prose_and_writes_every_signal() -> None:
    stage = GopherRepetitionFilter()
    out = stage(make_batch([ENGLISH_PROSE, CHINESE_PROSE]))
    assert out[REJECT_REASON].to_pylist() == [None, None]
    assert set(stage.writes()) <= set(out.column_names)
    assert "gopher_repetition_dup_10_gram_frac" in stage.writes()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "gopher_empty"),
        ("\n\n".join(["same paragraph here"] * 3 + ["other one", "third"]), "gopher_dup_para_frac"),
        ("\n".join(["one line"] * 4 + ["a", "b", "c", "d"]), "gopher_dup_line_frac"),
        ("the cat " * 40, "gopher_top_2_gram"),
        (ENGLISH_PROSE + " " + ENGLISH_PROSE[:200], "gopher_duplicated_5_n_grams"),
        ("我爱北京天安门。" * 30, "gopher_dup_line_char_frac"),
    ],
)
def test_repetition_rules(text: str, reason: str) -> None:
    got = reasons(GopherRepetitionFilter(), [text])
    if reason == "gopher_dup_line_char_frac":
        # one line repeated inside itself: caught by the n-gram rules, not the line rules
        assert got[0] is not None and got[0].startswith("gopher_")
    else:
        assert got == [reason]


def test_repetition_only_punctuation_and_one_long_line() -> None:
    # punctuation marks are words, so a repeated run of them is a repeated n-gram
    assert reasons(GopherRepetitionFilter(), ["!?.,;" * 3, "x" * 5000]) == [
        "gopher_top_2_gram",
        None,
    ]


def test_repetition_counts_ngrams_per_document() -> None:
    # the same prose in two rows of one batch is not a repeat inside either document
    assert reasons(GopherRepetitionFilter(), [ENGLISH_PROSE, ENGLISH_PROSE]) == [None, None]


def test_repetition_matches_reference_counting() -> None:
    from collections import Counter

    from stages.textutil.words import split_words

    text = "a b c a b c a b d e f g a b c " * 3 + ENGLISH_PROSE
    out = GopherRepetitionFilter()(make_batch([text]))
    words = split_words(text)
    for n in (2, 3, 4):
        grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        gram, count = Counter(grams).most_common(1)[0]
        expected = len(gram) * count / len(text)
        got = out[f"gopher_repetition_top_{n}_gram_frac"][0].as_py()
        assert got == pytest.approx(expected, rel=1e-5)
    for n in (5, 7):
        seen, idx, dup = set(), 0, 0
        while idx < len(words) - n + 1:
            gram = "".join(words[idx : idx + n])
            if gram in seen:
                dup += len(gram)
                idx += n
            else:
                seen.add(gram)
                idx += 1
        got = out[f"gopher_repetition_dup_{n}_gram_frac"][0].as_py()
        assert got == pytest.approx(dup / len(text), rel=1e-5)


def test_repetition_empty_batch() -> None:
    stage = GopherRepetitionFilter()
    out = stage(make_batch([]))
    assert out.num_rows == 0 and set(stage.writes()) <= set(out.column_names)


def test_partial_chinese_override_keeps_the_other_chinese_defaults() -> None:
    cfg = GopherQualityFilter(chinese={"min_doc_words": 100}).config.chinese
    assert cfg is not None and cfg.min_doc_words == 100
    assert cfg.stop_words[0] == "的" and cfg.min_avg_word_length is None
    rep = GopherRepetitionFilter(chinese={"dup_line_frac": 0.5}).config.chinese
    assert rep is not None and rep.top_n_grams[0] == (4, 0.35)


def test_the_chinese_decision_is_a_column_that_reject_reasons_reads() -> None:
    stage = GopherQualityFilter()
    annotated = stage.annotate(make_batch([CHINESE_PROSE, ENGLISH_PROSE]))
    assert annotated["gopher_quality_chinese"].to_pylist() == [True, False]
    assert stage.reject_reasons(annotated).to_pylist() == [None, None]
    # judged as English (the column says so), Chinese prose fails the word-length rule
    as_english = annotated.set_column(
        annotated.column_names.index("gopher_quality_chinese"),
        "gopher_quality_chinese",
        pa.array([False, False]),
    )
    assert stage.reject_reasons(as_english).to_pylist() == ["gopher_below_avg_threshold", None]
