"""jieba's segmentation and tagging of a few characters, the same words and tags, cheaper.

The name rules segment short windows (a cue's name, a candidate's surroundings: five to ten
characters) a few times a text. jieba's ``Tokenizer.cut`` and ``POSTokenizer.cut`` run each
through regular-expression splits, a dictionary of word ends (``get_DAG``), a dictionary of
routes (``calc``, a generator inside ``max``), generators at every level and, for the
characters no dictionary word covers, a hidden Markov model (``finalseg`` for words, the
tagger's own for tags). ``Segmenter`` takes the same steps in the same order over jieba's own
tables and regular expressions (the same sums, the same ties), in plain loops:

- ``words(s)`` is ``jieba.lcut(s)`` (``HMM=True``);
- ``tags(s)`` is ``[(p.word, p.flag) for p in jieba.posseg.cut(s)]``, the unknown characters
  tagged by ``search`` (``tagger.CompiledViterbi``, the tagger's model).

Tests compare both with jieba on every window the name rules segment in the labelled splits.
"""

from __future__ import annotations

from collections.abc import Callable
from math import log
from typing import Any

__all__ = ["Segmenter"]

State = tuple[str, str]


class Segmenter:
    """``dt``: jieba's loaded ``Tokenizer``; ``tag_table``: the tagger's word tags
    (``jieba.posseg.dt.word_tag_tab``); ``search``: its model's Viterbi search."""

    def __init__(
        self,
        dt: Any,
        tag_table: dict[str, str],
        search: Callable[[str], tuple[float, list[State]]],
    ) -> None:
        import jieba
        import jieba.finalseg as finalseg
        import jieba.posseg as posseg

        self._dt = dt
        self._freq: dict[str, int] = dt.FREQ
        self._tag_table = tag_table
        self._search = search
        # jieba's own patterns, so that a window splits as jieba splits it
        self._han = jieba.re_han_default
        self._skip = jieba.re_skip_default
        self._han_hmm = finalseg.re_han
        self._skip_hmm = finalseg.re_skip
        self._force_split = finalseg.Force_Split_Words
        self._han_tag = posseg.re_han_internal
        self._skip_tag = posseg.re_skip_internal
        self._han_detail = posseg.re_han_detail
        self._skip_detail = posseg.re_skip_detail
        self._num = posseg.re_num
        self._eng = posseg.re_eng
        self._start = finalseg.start_P
        self._trans = finalseg.trans_P
        self._emit = finalseg.emit_P
        trans, floor = finalseg.trans_P, -3.14e100
        # the transitions into B (from E, S), M (M, B), S (S, E), E (B, M): PrevStatus's
        if finalseg.PrevStatus != {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}:
            raise RuntimeError(f"jieba's word model has other states: {finalseg.PrevStatus}")
        self._bmes_trans = tuple(
            trans[x].get(y, floor) for y, x in ("BE", "BS", "MM", "MB", "SS", "SE", "EB", "EM")
        )

    # ------------------------------------------------------------------ the route

    def _route(self, s: str) -> list[int]:
        """Where the word that starts at each place ends (exclusive), on the route of the
        highest summed log frequency: ``Tokenizer.get_DAG`` and ``Tokenizer.calc`` in one
        pass from the end (each word's frequency read once)."""
        freq = self._freq
        n = len(s)
        logtotal = log(self._dt.total)
        score = [0.0] * (n + 1)
        last = [0] * n
        for k in range(n - 1, -1, -1):
            # the words from k (a prefix of a word is in the table with 0): jieba's DAG
            best = -1.0e308
            end = -1
            i = k
            frag = s[k]
            count = freq.get(frag)
            while count is not None:
                if count:
                    # calc's sum, in its order; a later end wins a tie (max over (sum, end))
                    option = log(count) - logtotal + score[i + 1]
                    if option >= best:
                        best, end = option, i
                i += 1
                if i >= n:
                    break
                frag = s[k : i + 1]
                count = freq.get(frag)
            if end < 0:  # no word: the character alone
                best, end = log(freq.get(s[k]) or 1) - logtotal + score[k + 1], k
            score[k], last[k] = best, end
        return last

    def _blocks(
        self,
        s: str,
        out: list[Any],
        unknown: Callable[[str, list[Any]], None],
        single: Callable[[str], Any],
    ) -> None:
        """``Tokenizer.__cut_DAG``: the route's words; a run of single characters that no
        dictionary word makes goes to ``unknown``, one that is one word goes as characters."""
        freq = self._freq

        def flush(buf: str) -> None:
            if len(buf) == 1:
                out.append(single(buf))
            elif not freq.get(buf):
                unknown(buf, out)
            else:
                out.extend(single(c) for c in buf)

        last = self._route(s)
        x = 0
        buf = ""
        n = len(s)
        while x < n:
            y = last[x] + 1
            if y - x == 1:
                buf += s[x]
            else:
                if buf:
                    flush(buf)
                    buf = ""
                out.append(single(s[x:y]))
            x = y
        if buf:
            flush(buf)

    # ------------------------------------------------------------------ words

    def words(self, s: str) -> list[str]:
        """``jieba.lcut(s)``."""
        out: list[str] = []
        for blk in self._han.split(s):
            if not blk:
                continue
            if self._han.match(blk):
                self._blocks(blk, out, self._hmm_words, str)
            else:
                for x in self._skip.split(blk):
                    if self._skip.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def _hmm_words(self, s: str, out: list[str]) -> None:
        """``finalseg.cut``: words of characters no dictionary word covers."""
        for blk in self._han_hmm.split(s):
            if self._han_hmm.match(blk):
                for word in self._bmes(blk):
                    if word not in self._force_split:
                        out.append(word)
                    else:
                        out.extend(word)
            else:
                out.extend(x for x in self._skip_hmm.split(blk) if x)

    def _bmes(self, obs: str) -> list[str]:
        """``finalseg.viterbi`` and ``finalseg.__cut``: the words of the best state route.
        The four states and their two predecessors each written out: the same sums in the
        same order, a tie to the later state name (jieba's ``max`` over (score, state))."""
        floor = -3.14e100  # jieba's MIN_FLOAT
        e_b, e_m, e_e, e_s = (self._emit[y] for y in "BMES")
        t_eb, t_sb, t_mm, t_bm, t_ss, t_es, t_be, t_me = self._bmes_trans
        c = obs[0]
        start = self._start
        b = start["B"] + e_b.get(c, floor)
        m = start["M"] + e_m.get(c, floor)
        e = start["E"] + e_e.get(c, floor)
        s = start["S"] + e_s.get(c, floor)
        back: list[tuple[str, str, str, str]] = []  # each state's predecessor, per character
        for c in obs[1:]:
            em = e_b.get(c, floor)
            x, y = e + t_eb + em, s + t_sb + em
            nb, pb = (x, "E") if x > y else (y, "S")
            em = e_m.get(c, floor)
            x, y = m + t_mm + em, b + t_bm + em
            nm, pm = (x, "M") if x >= y else (y, "B")
            em = e_s.get(c, floor)
            x, y = s + t_ss + em, e + t_es + em
            ns, ps = (x, "S") if x >= y else (y, "E")
            em = e_e.get(c, floor)
            x, y = b + t_be + em, m + t_me + em
            ne, pe = (x, "B") if x > y else (y, "M")
            b, m, s, e = nb, nm, ns, ne
            back.append((pb, pm, pe, ps))
        state = "E" if e > s else "S"
        route = [state]
        for pb, pm, pe, ps in reversed(back):
            state = {"B": pb, "M": pm, "E": pe, "S": ps}[state]
            route.append(state)
        route.reverse()
        words: list[str] = []
        begin = nexti = 0
        for i, char in enumerate(obs):
            pos = route[i]
            if pos == "B":
                begin = i
            elif pos == "E":
                words.append(obs[begin : i + 1])
                nexti = i + 1
            elif pos == "S":
                words.append(char)
                nexti = i + 1
        if nexti < len(obs):
            words.append(obs[nexti:])
        return words

    # ------------------------------------------------------------------ tags

    def tags(self, s: str) -> list[tuple[str, str]]:
        """``[(p.word, p.flag) for p in jieba.posseg.cut(s)]``."""
        out: list[tuple[str, str]] = []
        for blk in self._han_tag.split(s):
            if self._han_tag.match(blk):
                self._blocks(blk, out, self._hmm_tags, self._tagged)
            else:
                for x in self._skip_tag.split(blk):
                    if self._skip_tag.match(x):
                        out.append((x, "x"))
                    else:
                        for xx in x:
                            if self._num.match(xx):
                                out.append((xx, "m"))
                            elif self._eng.match(x):  # sic: jieba tests the block here
                                out.append((xx, "eng"))
                            else:
                                out.append((xx, "x"))
        return out

    def _tagged(self, word: str) -> tuple[str, str]:
        return word, self._tag_table.get(word, "x")

    def _hmm_tags(self, s: str, out: list[tuple[str, str]]) -> None:
        """``POSTokenizer.__cut_detail``: words and tags of characters no word covers."""
        for blk in self._han_detail.split(s):
            if self._han_detail.match(blk):
                _prob, route = self._search(blk)
                begin = nexti = 0
                for i, char in enumerate(blk):
                    pos = route[i][0]
                    if pos == "B":
                        begin = i
                    elif pos == "E":
                        out.append((blk[begin : i + 1], route[i][1]))
                        nexti = i + 1
                    elif pos == "S":
                        out.append((char, route[i][1]))
                        nexti = i + 1
                if nexti < len(blk):
                    out.append((blk[nexti:], route[nexti][1]))
            else:
                for x in self._skip_detail.split(blk):
                    if x:
                        if self._num.match(x):
                            out.append((x, "m"))
                        elif self._eng.match(x):
                            out.append((x, "eng"))
                        else:
                            out.append((x, "x"))
