"""Chinese names where jieba's part-of-speech tagger reads a person, and the tables' lookups.

``ChineseTaggedNames`` holds what the Chinese name rules share (a family name's length, a
dictionary word, given-name characters) and the tagger's rule: a family name from the list
with given-name characters, where jieba's tagger tags the span as a person (``nr``) and the
span is not an ordinary dictionary word (``黄金``, ``高新``). ``NameFinder`` (``names.py``) sets
the tables in its ``__init__`` and ``setup()``; ``ChineseCuedNames`` (``names_zh_cued.py``)
builds on this class.
"""

from __future__ import annotations

import re
from typing import Any

from stages.pii.names_cues import PREFIX_CUES
from stages.pii.names_zh_stats import COMMON_NR_FREQ, ZhNameStats
from stages.pii.names_zh_words import FUNCTION_SURNAMES, ZH_NR_WORDS
from stages.pii.names_zh_words import ZH_STOP as _ZH_STOP
from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["CJK_RUN", "RARE_WORD_FREQ", "ChineseTaggedNames", "form_dan"]

CJK_RUN = guarded(r"[\u4e00-\u9fff]+")
#: An ordinal, after which a character is a counted thing, not a family name (第六孔音偏高: the
#: sixth hole's pitch).
_ORDINAL_BEFORE = guarded(r"第[一二三四五六七八九十百零两\d]{1,3}$")
#: Characters that end a word before a person's name (文件中, 运营组, 清分员, 打井队): the
#: tagger reads the name from its family name on.
_WORD_ENDS = frozenset("中组员队")
#: A role that leads a name: a family name's character before it is none (经绣娘郭玉珍: 经 is
#: "through", 绣娘 the embroiderer).
_CUE_AFTER = guarded(rf"(?:{PREFIX_CUES})")
#: A seal's carved and raised characters (对章白文刻其父姓名, 朱文刻“寿山福海”), names too
#: (说明人：朱文): read as a seal's side after 章 or 印, or before 刻 or 印.
_SEAL_SIDES = frozenset({"白文", "朱文"})
#: What ends a studio's or a workshop's name that jieba tags as a person's (惠音斋, 墨缘斋).
_SHOP_ENDS = frozenset("斋坊")
#: The words a form's 单 ends (委托单, 汇款单, 申请单): that 单 is no family name (委托单另行汇出).
_FORM_BEFORE_DAN = guarded(
    r"(?:委托|委託|申请|申請|汇款|匯款|付款|收款|报销|報銷|结算|結算|对账|對賬|存款|取款|缴款|繳款|"
    r"进账|進賬|提货|提貨|装箱|裝箱|送货|送貨|发货|發貨|入库|入庫|出库|出庫|登记|登記|回执|回執|"
    r"订|訂|清|账|賬|保|传|傳|表|菜|名|报|報|回)$"
)


def form_dan(text: str, i: int) -> bool:
    """Whether the 单 at ``i`` ends a form's word before it (委托单, 汇款单, 订单)."""
    return text[i] == "单" and _FORM_BEFORE_DAN.search(text, max(0, i - 2), i) is not None


#: A run of two to four Chinese characters in English prose: after an English word in lower
#: case, a comma or a sentence's full stop and one space (``Customer accepted. 包秀英 will``),
#: before a comma, a full stop or a bracket (closing, or opening on a note: ``angel investor
#: 林建军（持股6%）``), or a space and an English word in lower case (``Club manager 王兵 now
#: says``, ``travel companion, 宋晨, who``).
_ZH_IN_LATIN = guarded(
    r"(?:[a-z,;:]|(?<=[a-z])\.)[ ](?P<name>[\u4e00-\u9fff]{2,4})(?=[ ]?[,.;:?!)（(]|[ ][a-z]|[ \t]*(?:\n|$))"
)
#: After a cue, a dictionary word that jieba's corpus counts fewer times than this is read as
#: a name all the same (户名许成: 许成/m, 5); 客户余额 (余额) is far more frequent.
RARE_WORD_FREQ = 10


class ChineseTaggedNames:
    """The tables' lookups and the tagger's rule; ``NameFinder`` sets the tables."""

    _single: frozenset[str]
    _compound: frozenset[str]
    _given: frozenset[str]
    _word_tags: dict[str, str]
    _freq: dict[str, int]
    _jieba: Any
    _posseg: Any
    _segment: Any
    _stats: ZhNameStats
    _zh_candidate: re.Pattern[str]

    def _surname_len(self, text: str, i: int) -> int:
        if text[i : i + 2] in self._compound:
            return 2
        return 1 if text[i : i + 1] in self._single else 0

    def _is_common_word(self, word: str, allow_proper: tuple[str, ...] = ()) -> bool:
        """Whether jieba's dictionary holds ``word`` as something other than a person name;
        tags in ``allow_proper`` (proper nouns such as 金华/nz) do not count as common."""
        tag = self._word_tags.get(word)
        if tag is None or tag.startswith("nr"):
            return False
        return tag not in allow_proper

    def _given_ok(self, given: str) -> bool:
        return bool(given) and all(c in self._given and c not in _ZH_STOP for c in given)

    def _rare_word_name(self, word: str, sl: int) -> bool:
        """Whether a dictionary ``word`` after a cue is a name all the same: jieba's corpus
        counts it a few times only and its given name is of the list (许成/m; not 代发/v)."""
        return self._freq.get(word, 0) < RARE_WORD_FREQ and self._given_ok(word[sl:])

    def _word_at(self, text: str, i: int) -> bool:
        """Whether a dictionary word of two or three characters starts at ``i``."""
        return any(self._is_common_word(text[i : i + k]) for k in (2, 3))

    def _find_zh_in_latin(self, text: str, out: list[Entity]) -> None:
        """A Chinese name standing alone in English prose (``_ZH_IN_LATIN``): a family name and
        one or two characters, no particle, neither it nor its start a word of the dictionary
        (杭州, 红包, 支付宝: 支付), a given-name character that a name has; the English around
        it bounds the name."""
        for m in _ZH_IN_LATIN.finditer(text):
            name = m.group("name")
            sl = self._surname_len(name, 0)
            given = name[sl:]
            if (
                sl
                and name[0] not in FUNCTION_SURNAMES  # boolean 和数值
                and name[:2] not in ZH_NR_WORDS  # Jute bags 黄麻袋
                and 1 <= len(given) <= 2
                and not any(c in _ZH_STOP for c in given)
                # a compound family name is a word of its own (欧阳/ns, 上官/n): from its end on
                and not any(
                    self._is_common_word(name[:k]) for k in range(max(2, sl + 1), len(name) + 1)
                )
                and any(self._stats.in_names(c) for c in given)
            ):
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))

    def _find_zh_tagged(self, text: str, out: list[Entity], taken: list[tuple[int, int]]) -> None:
        covered = {p for s, e in taken for p in range(s, e)}
        for m in self._zh_candidate.finditer(text):
            i = m.start()
            if i in covered:
                continue
            sl = m.end() - i
            two = text[i : i + sl + 1]
            if two[-1] not in self._given and not self._word_tags.get(two, "").startswith("nr"):
                continue
            # after a word's last character that no name glues on (名单中, 运营组, 清分员) the
            # name's window starts at the family name: the tagger would read 中马, 组马
            bounded = i > 0 and text[i - 1] in _WORD_ENDS
            if (
                form_dan(text, i)
                or _ORDINAL_BEFORE.search(text, max(0, i - 4), i)
                or _CUE_AFTER.match(text, i + sl)
                or (
                    two in _SEAL_SIDES
                    and (text[i - 1 : i] in ("章", "印") or text[i + 2 : i + 3] in ("刻", "印"))
                )
            ):
                continue  # a form's 单 (委托单另行汇出), 第六孔 (a hole), 经绣娘, a seal's 白文
            # a word jieba tags as a person that is none starts no name (司琴尤淑芬: an organist)
            if (
                self._is_common_word(two)
                or two in ZH_NR_WORDS
                or (
                    # the family-name character belongs to the word before (提高), unless that
                    # character ends a word itself (清算中心王建国: 中心, not 心王)
                    i > 0
                    and not bounded
                    and self._is_common_word(text[i - 1 : i + 1])
                    and not any(self._is_common_word(text[max(0, i - k) : i]) for k in (2, 3))
                )
            ):
                continue
            # a short window keeps the tagger's HMM cheap, and settles where the name ends
            lo = i if bounded else max(0, i - 3)
            hi = min(len(text), i + sl + 4)
            pos = lo
            tokens = self._segment.tags(text[lo:hi])  # jieba.posseg's words and tags
            for k, (word, _flag) in enumerate(tokens):
                if pos > i:
                    break
                if pos == i:
                    length = self._tagged_length(tokens, k, sl)
                    if length and text[i + length - 1] not in _SHOP_ENDS:
                        out.append(Entity(i, i + length, "NAME"))
                        taken.append((i, i + length))
                        covered.update(range(i, i + length))
                    break
                pos += len(word)

    def _tagged_length(self, tokens: list[tuple[str, str]], k: int, sl: int) -> int:
        """Length of the person name the tagger starts at token ``k`` (0: none).

        jieba tags a known name as one ``nr`` token, but often splits an unseen one into a
        tagged family name and the given name (朱/nr 勇毅/a, 汤梓/nrfg 晨/nr); the given
        part is accepted when it reads as one (no particles or verbs).
        """
        word, flag = tokens[k]
        if not flag.startswith("nr") or len(word) > sl + 2 or len(word) < sl:
            return 0
        length = len(word)
        for nxt, nflag in tokens[k + 1 :]:
            if length >= sl + 1 and not nflag.startswith("nr"):
                break
            if length + len(nxt) > sl + 2 or not CJK_RUN.fullmatch(nxt):
                break
            doubled = len(nxt) == 2 and nxt[0] == nxt[1] and nflag == "z"  # 丁/nr 婷婷/z
            if any(c in _ZH_STOP for c in nxt) or (
                self._is_common_word(nxt) and len(nxt) > 1 and not doubled
            ):
                break
            length += len(nxt)
        name = "".join(w for w, _ in tokens[k:])[:length]
        if name[-1] == "持" and len(name) > sl + 1:
            name, length = name[:-1], length - 1  # 杜飞持结婚证: the verb the HMM glued on
        given = name[sl:]
        if not given or any(c in _ZH_STOP for c in given) or self._is_common_word(name):
            return 0
        if self._freq.get(name, 0) >= COMMON_NR_FREQ:
            # jieba's dictionary tags many ordinary words as names (雷达, 宫殿, 孔雀); a
            # private person's name is rare in its corpus, an ordinary word is not.
            return 0
        outside = sum(c not in self._given for c in given)
        if outside > 1 or (outside == 1 and (len(word) != length or len(given) < 2)):
            # Given-name characters, or one rare character inside a name the tagger read
            # as a single token (胡彧平).
            return 0
        return length
