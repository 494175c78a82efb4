"""Names whose words a double space parts: the text closed up, the names found across a gap
mapped back to the text's own offsets, and nothing else changed."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from stages.pii.names_gaps import closed_up, names_across_gaps
from stages.pii.patterns import Entity


def test_closed_up_takes_out_the_second_space_of_a_gap_between_name_words():
    assert closed_up("Ramiz  Təhmasibli and Nurşərəf  Dəmirbəyli") == (
        "Ramiz Təhmasibli and Nurşərəf Dəmirbəyli",
        [6, 31],
    )
    # a column gap of three, a gap before a digit, a bar or a Chinese character stays
    assert closed_up("Ramiz   Təhmasibli | Date  12 | Ann  |  李强") is None
    assert closed_up("no gaps here") is None


def _find_words(text: str, cjk: bool, skip: Sequence[tuple[int, int]]) -> list[Entity]:
    """Each pair of capitalised words a single space joins (punctuation and all), outside
    ``skip``."""
    out = []
    words = text.split(" ")
    pos = 0
    spans = []
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w) + 1
    for (a, _), (_, d), w1, w2 in zip(spans, spans[1:], words, words[1:], strict=False):
        if w1[:1].isupper() and w2[:1].isupper() and not any(s < d and a < e for s, e in skip):
            out.append(Entity(a, d, "NAME"))
    return out


def test_names_across_gaps_keeps_only_names_over_a_gap_at_the_texts_offsets():
    text = "Signed  by Ramiz  Təhmasibli, Ann Lee and Ona  Ruiz."
    found = names_across_gaps(_find_words, text, [])
    assert [text[e.start : e.end] for e in found] == ["Ramiz  Təhmasibli,", "Ona  Ruiz."]
    # a span the caller settled (an address) is left alone, at the short text's offsets too
    start = text.index("Ona")
    assert [
        text[e.start : e.end] for e in names_across_gaps(_find_words, text, [(start, start + 9)])
    ] == ["Ramiz  Təhmasibli,"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Ann", "Lee", "ab", "Ruiz", "x"]), st.sampled_from([" ", "  ", "   "])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_mapped_spans_hold_the_same_words_as_in_the_short_text(parts):
    text = "".join(w + s for w, s in parts)
    closed = closed_up(text)
    found = names_across_gaps(_find_words, text, [])
    if closed is None:
        assert found == []
        return
    short, _ = closed
    for e in found:
        assert "  " in text[e.start : e.end]
        assert " ".join(text[e.start : e.end].split()) in short
