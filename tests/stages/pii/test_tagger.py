"""The tagger's Viterbi search gives jieba's route and score, so the names it tags are jieba's."""

from __future__ import annotations

import random

import pytest

jieba = pytest.importorskip("jieba")

import numpy as np  # noqa: E402
from jieba import posseg  # noqa: E402
from jieba.posseg.viterbi import viterbi as jieba_viterbi  # noqa: E402

from stages.pii import tagger as tagger_module  # noqa: E402
from stages.pii.tagger import CompiledViterbi, tagger, viterbi  # noqa: E402

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


@pytest.mark.parametrize("text", SENTENCES)
def test_the_compiled_search_gives_jiebas_route_and_score(text: str) -> None:
    assert CompiledViterbi(*TABLES)(text) == jieba_viterbi(text, *TABLES)


def test_the_compiled_search_on_random_runs() -> None:
    compiled = CompiledViterbi(*TABLES)
    rng = random.Random(11)
    chars = [c for c in posseg.char_state_tab_P if "\u4e00" <= c <= "\u9fff"]
    chars += ["赟", "A", "7", "の"]  # a character jieba has no states for, and non-Chinese ones
    for _ in range(400):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 14)))
        assert compiled(text) == jieba_viterbi(text, *TABLES), text


def test_the_search_as_python_gives_the_same_route() -> None:
    # the kernel's own code, run by the interpreter (numba compiles the same function)
    compiled = CompiledViterbi(*TABLES)
    python = getattr(tagger_module._search, "py_func", tagger_module._search)
    for text in SENTENCES:
        chars = np.array([compiled._row(c) for c in text], np.int64)
        prob, route = python(*compiled.tables(), chars)
        assert (float(prob), [compiled._states[i] for i in route]) == jieba_viterbi(text, *TABLES)
