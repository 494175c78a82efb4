"""The tagger's Viterbi search gives jieba's route and score, so the names it tags are jieba's."""

from __future__ import annotations

import random

import pytest

jieba = pytest.importorskip("jieba")

from jieba import posseg  # noqa: E402
from jieba.posseg.viterbi import viterbi as jieba_viterbi  # noqa: E402

from stages.pii.tagger import tagger, viterbi  # noqa: E402

TABLES = (posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
SENTENCES = [
    "客户谢想来电称卡被盗刷",
    "王丹丹和妻子马荣两人均在场",
    "巴彦呼布尔嘎查黄家25号",
    "致电借款人周淑英三次均未接通",
    "林美鳳君於民國一一三年間向本人承租",
    "赟",
    "の日本語とEnglish混在",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_route_and_score_are_jiebas(text: str) -> None:
    assert viterbi(text, *TABLES) == jieba_viterbi(text, *TABLES)


def test_random_runs_of_common_and_rare_characters() -> None:
    rng = random.Random(7)
    chars = [c for c in posseg.char_state_tab_P if "\u4e00" <= c <= "\u9fff"]
    for _ in range(400):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 14)))
        assert viterbi(text, *TABLES) == jieba_viterbi(text, *TABLES), text


def test_the_tagger_tags_as_jieba_does() -> None:
    jieba.initialize()
    fast = tagger(posseg.dt)
    for text in SENTENCES:
        mine = [(p.word, p.flag) for p in fast.cut(text)]
        assert mine == [(p.word, p.flag) for p in posseg.dt.cut(text)]
    assert type(posseg.dt) is posseg.POSTokenizer  # jieba's own tokenizer is left as it was
