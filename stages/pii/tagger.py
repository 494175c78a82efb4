"""jieba's part-of-speech tagger with a faster Viterbi search, same tags.

jieba tags the characters that its dictionary does not cover with a hidden Markov model over
(position, part-of-speech) states, searched by ``jieba.posseg.viterbi.viterbi``. That search
builds a tuple for every pair of states at every character and spends most of the name
finder's tagging time there. ``viterbi`` below visits the same pairs in the same way, but skips
the pairs without a transition (jieba scores them minus infinity, so they never win) and keeps
the best as it goes; it breaks ties as jieba's ``max`` over ``(score, state)`` tuples does (the
larger state), so the route, and every tag, is the same.

``CompiledViterbi`` runs the same search compiled with numba over the tables as arrays (the
states in their sort order, so the larger state of a tie is the larger index; each
character's emission row and allowed states cached at first sight): the same sums in the same
order, so the same route and score, several times faster. ``tagger(dt)`` gives a tokenizer that
shares jieba's loaded tables (``dt`` is ``jieba.posseg.dt``) and uses the compiled search (the
one above without numba); nothing in jieba is changed for other callers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from stages.textutil.fasttext_hashing import jit, njit

__all__ = ["CompiledViterbi", "tagger", "viterbi"]

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


@jit
def _best_before(  # pragma: no cover - compiled; the tests also run it as Python
    scores: np.ndarray,
    trans: np.ndarray,
    has: np.ndarray,
    prev: np.ndarray,
    n_prev: int,
    y: int,
    emit: float,
) -> tuple[float, int]:
    """The best score of state ``y`` over the ``n_prev`` states in ``prev`` and the state it
    comes from (-1: none has a transition to ``y``)."""
    best = 0.0
    best_x = -1
    for k in range(n_prev):
        x = prev[k]
        if not has[x, y]:
            continue  # jieba: minus infinity, never the best
        s = scores[x] + trans[x, y] + emit  # jieba's sum, in its order
        if best_x < 0 or s > best or (s == best and x > best_x):
            best, best_x = s, x
    return best, best_x


@jit
def _search(  # pragma: no cover - compiled; the tests also run it as Python
    start: np.ndarray,
    trans: np.ndarray,
    has: np.ndarray,
    has_out: np.ndarray,
    emit: np.ndarray,
    allowed: np.ndarray,
    chars: np.ndarray,
) -> tuple[float, np.ndarray]:
    """``viterbi`` over arrays: ``start[y]``, ``trans[x, y]`` where ``has[x, y]`` (a
    transition), ``has_out[x]`` (x has any), and per character row ``c = chars[t]`` its
    ``emit[c, y]`` and ``allowed[c, y]`` (jieba's states for it, or all). Returns the score
    and the route as state indices.

    jieba's candidates for a character are its allowed states that some state before has a
    transition to; each allowed state's best predecessor is looked for at once, and a state
    without one is no candidate (jieba's ``expected`` set is only built when no allowed state
    has one, where jieba falls back to it)."""
    length = chars.shape[0]
    n = start.shape[0]
    scores = np.zeros(n)
    active = np.zeros(n, np.bool_)
    c = chars[0]
    for y in range(n):
        if allowed[c, y]:
            scores[y] = start[y] + emit[c, y]
            active[y] = True
    back = np.full((length, n), -1, np.int64)
    prev = np.empty(n, np.int64)
    for t in range(1, length):
        c = chars[t]
        n_prev = 0
        for x in range(n):
            if active[x] and has_out[x]:
                prev[n_prev] = x
                n_prev += 1
        new_scores = np.zeros(n)
        cand = np.zeros(n, np.bool_)
        found = False
        for y in range(n):
            if not allowed[c, y]:
                continue
            best, best_x = _best_before(scores, trans, has, prev, n_prev, y, emit[c, y])
            if best_x >= 0:
                new_scores[y] = best
                back[t, y] = best_x
                cand[y] = True
                found = True
        if not found:  # jieba's fallback: every expected state, or every state
            for k in range(n_prev):
                for y in range(n):
                    if has[prev[k], y]:
                        cand[y] = True
            if not cand.any():
                raise ValueError("no state to come from")
            for y in range(n):
                if not cand[y]:
                    continue
                best, best_x = _best_before(scores, trans, has, prev, n_prev, y, emit[c, y])
                new_scores[y] = best
                back[t, y] = best_x
        scores = new_scores
        active = cand
    state = -1
    for y in range(n):
        if active[y] and (state < 0 or scores[y] >= scores[state]):
            state = y  # the larger state of a tie, as max over (score, state) tuples
    prob = scores[state]
    route = np.empty(length, np.int64)
    for t in range(length - 1, -1, -1):
        route[t] = state
        state = back[t, state]
    return prob, route


class CompiledViterbi:
    """``viterbi`` with jieba's tables held as arrays, compiled (``_search``); called as
    ``viterbi`` is, on the tables it was built from."""

    def __init__(
        self,
        states: Mapping[str, Any],
        start_p: Mapping[State, float],
        trans_p: Mapping[State, Mapping[State, float]],
        emit_p: Mapping[State, Mapping[str, float]],
    ) -> None:
        self._states: list[State] = sorted(trans_p)
        index = {s: i for i, s in enumerate(self._states)}
        n = len(self._states)
        self._start = np.array([start_p[s] for s in self._states])
        self._trans = np.zeros((n, n))
        self._has = np.zeros((n, n), np.bool_)
        for x, out in trans_p.items():
            for y, p in out.items():
                self._trans[index[x], index[y]] = p
                self._has[index[x], index[y]] = True
        self._has_out = self._has.any(axis=1)
        self._index = index
        self._char_states = states
        self._emit_p = emit_p
        #: each character's row in ``_emit`` and ``_allowed`` (added at first sight)
        self._rows: dict[str, int] = {}
        self._emit = np.zeros((256, n))
        self._allowed = np.zeros((256, n), np.bool_)

    def _row(self, char: str) -> int:
        row = self._rows.get(char)
        if row is None:
            row = len(self._rows)
            if row == len(self._emit):  # full: twice the rows
                self._emit = np.concatenate([self._emit, np.zeros_like(self._emit)])
                self._allowed = np.concatenate([self._allowed, np.zeros_like(self._allowed)])
            self._emit[row] = [self._emit_p[s].get(char, MIN_FLOAT) for s in self._states]
            for s in self._char_states.get(char, self._states):
                self._allowed[row, self._index[s]] = True
            self._rows[char] = row
        return row

    def tables(self) -> tuple[Any, ...]:
        """The arrays ``_search`` takes before the characters' rows."""
        return (self._start, self._trans, self._has, self._has_out, self._emit, self._allowed)

    def __call__(self, obs: str) -> tuple[float, list[State]]:
        chars = np.array([self._row(c) for c in obs], np.int64)
        prob, route = _search(*self.tables(), chars)
        return float(prob), [self._states[i] for i in route]


def tagger(dt: Any) -> Any:
    """A ``jieba.posseg.POSTokenizer`` that shares ``dt``'s tables and searches with
    ``CompiledViterbi`` (``viterbi`` without numba)."""
    import jieba.posseg as posseg

    tables = (posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
    search = CompiledViterbi(*tables) if njit is not None else lambda obs: viterbi(obs, *tables)
    search("赟")  # compiled (or loaded from numba's cache) now, at set-up, not mid-run

    class _Tagger(posseg.POSTokenizer):  # type: ignore[misc]
        def _POSTokenizer__cut(self, sentence: str) -> Any:  # noqa: N802 (jieba's private name)
            _prob, pos_list = search(sentence)
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
    fast.search = search  # for ``segment.Segmenter``
    return fast
