"""jieba's part-of-speech tagger with a faster Viterbi search, same tags.

jieba tags the characters that its dictionary does not cover with a hidden Markov model over
(position, part-of-speech) states, searched by ``jieba.posseg.viterbi.viterbi``. That search
builds a tuple for every pair of states at every character and spends most of the name
finder's tagging time there. ``viterbi`` below visits the same pairs in the same way, but skips
the pairs without a transition (jieba scores them minus infinity, so they never win) and keeps
the best as it goes; it breaks ties as jieba's ``max`` over ``(score, state)`` tuples does (the
larger state), so the route, and every tag, is the same.

``tagger(dt)`` gives a tokenizer that shares jieba's loaded tables (``dt`` is
``jieba.posseg.dt``) and uses this search; nothing in jieba is changed for other callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["tagger", "viterbi"]

#: jieba's score for a character that a state never emits.
MIN_FLOAT = -3.14e100

State = tuple[str, str]


def viterbi(
    obs: str,
    states: Mapping[str, Any],
    start_p: Mapping[State, float],
    trans_p: Mapping[State, Mapping[State, float]],
    emit_p: Mapping[State, Mapping[str, float]],
) -> tuple[float, list[State]]:
    """The most likely state of each character of ``obs`` and its score, as jieba's
    ``viterbi`` returns them (same arguments: jieba's ``char_state_tab_P``, ``start_P``,
    ``trans_P``, ``emit_P``)."""
    all_states = trans_p.keys()
    first = obs[0]
    scores: dict[State, float] = {}
    for y in states.get(first, all_states):
        scores[y] = start_p[y] + emit_p[y].get(first, MIN_FLOAT)
    paths: list[dict[State, Any]] = [dict.fromkeys(scores, "")]
    for t in range(1, len(obs)):
        char = obs[t]
        prev = [(x, scores[x], trans_p[x]) for x in scores if trans_p[x]]
        expected: set[State] = set()
        for _x, _score, out in prev:
            expected.update(out)
        candidates = set(states.get(char, all_states)) & expected
        if not candidates:
            candidates = expected if expected else set(all_states)
        new_scores: dict[State, float] = {}
        back: dict[State, Any] = {}
        for y in candidates:
            emit = emit_p[y].get(char, MIN_FLOAT)
            best: float | None = None
            best_state: State | None = None
            for x, score, out in prev:
                p = out.get(y)
                if p is None:
                    continue  # jieba: minus infinity, never the best
                s = score + p + emit  # the same sum, in the same order, as jieba's
                if (
                    best is None
                    or s > best
                    or (s == best and best_state is not None and x > best_state)
                ):
                    best, best_state = s, x
            if best is None:  # no state before has a transition to y: jieba's max of -inf
                best, best_state = float("-inf"), max(x for x, _, _ in prev)
            new_scores[y] = best
            back[y] = best_state
        scores = new_scores
        paths.append(back)
    prob, state = max((scores[y], y) for y in paths[-1])
    route: list[State] = [("", "")] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return prob, route


def tagger(dt: Any) -> Any:
    """A ``jieba.posseg.POSTokenizer`` that shares ``dt``'s tables and searches with
    ``viterbi``."""
    import jieba.posseg as posseg

    class _Tagger(posseg.POSTokenizer):  # type: ignore[misc]
        def _POSTokenizer__cut(self, sentence: str) -> Any:  # noqa: N802 (jieba's private name)
            _prob, pos_list = viterbi(
                sentence, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P
            )
            begin, nexti = 0, 0
            for i, char in enumerate(sentence):
                pos = pos_list[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    yield posseg.pair(sentence[begin : i + 1], pos_list[i][1])
                    nexti = i + 1
                elif pos == "S":
                    yield posseg.pair(char, pos_list[i][1])
                    nexti = i + 1
            if nexti < len(sentence):
                yield posseg.pair(sentence[nexti:], pos_list[nexti][1])

    fast = _Tagger.__new__(_Tagger)
    fast.__dict__.update(dt.__dict__)
    return fast
