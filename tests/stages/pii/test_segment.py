"""``Segmenter`` gives jieba's words and tags: on windows of a labelled split's Chinese texts
(every third place, five and nine characters, as the name rules cut them) and on strings of
characters that exercise the splits (digits, Latin letters, spaces, punctuation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stages.pii.hanzi import to_simplified
from stages.pii.patterns import has_cjk

jieba = pytest.importorskip("jieba")


@pytest.fixture(scope="module")
def both(detector):
    """Our segmenter and jieba's tagger (with the compiled search), as the name rules use."""
    names = detector._names
    return names._segment, names._posseg


def _jieba(posseg, window: str) -> tuple[list[str], list[tuple[str, str]]]:
    return jieba.lcut(window, HMM=True), [(p.word, p.flag) for p in posseg.cut(window)]


def test_the_windows_of_a_split_segment_as_jieba_does(both):
    segment, posseg = both
    path = Path(__file__).parents[3] / "data/pii_eval/test.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [to_simplified(json.loads(line)["text"]) for line in lines if line.strip()]
    windows = [
        t[i : i + k] for t in texts if has_cjk(t) for i in range(0, len(t), 3) for k in (5, 9)
    ]
    assert len(windows) > 10_000
    for window in windows:
        assert (segment.words(window), segment.tags(window)) == _jieba(posseg, window), window


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="王建国来电称持卡张伟于客户经理的了7 8.5%a-B_&#，。\n\t", max_size=14))
def test_any_string_segments_as_jieba_does(both, text):
    segment, posseg = both
    assert (segment.words(text), segment.tags(text)) == _jieba(posseg, text)
