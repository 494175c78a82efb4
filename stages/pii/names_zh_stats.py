"""Chinese person names with no cue, told by how their characters are used.

Both rates come from jieba's dictionary, which the Chinese path loads anyway:

- names: the entries that jieba tags as person names (``nr``) and that start with a listed
  family name, each counted once (48,317 names);
- ordinary text: the other entries' characters, weighted by the entries' frequencies.

A character's score is the log of the ratio of the two rates (smoothed); a given-name
character of ``data/given_chars_zh.txt`` gets one more. A family name and one or two
characters, after a word or a particle (会上 邹丹丹, 是 王芳), are a name:

- anywhere, when the family name scores at least ``SURNAME_MIN`` and the given name at least
  ``GIVEN_MIN`` per character on average (both tuned on the dev splits against the public
  text's false alarms);
- before a verb that a person does (``_DOES``: 陆坤反映, 押运员张兵持枪), when every character
  scores at least 0.

A name that fills a field needs only the second test (``field_at``): after a short label, a
numbered item's mark or an @, after a role or kin word, or next to a found name in a list.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping

from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["ZhNameStats"]

#: The least score of a family name (a log ratio): 班, 家, 区 are family names but far more
#: often parts of words.
SURNAME_MIN = 3.0
#: A word the dictionary tags as a name but counts this often in its corpus (明白 10,875) does
#: not fill a field as a name; private and famous people's names count far less (李娜 438).
FIELD_WORD_FREQ = 2000
#: Below this score a family name is rarer than the same character in words (家, 区).
RARE_SURNAME = 0.0
#: The least mean score of the given name's characters.
GIVEN_MIN = 3.0
#: jieba tags many ordinary words as names (毛巾, 弘扬); a tagged word this frequent in its
#: corpus is a word, not a private person's name.
COMMON_NR_FREQ = 50

_CJK = guarded("[\u4e00-\u9fff]")
#: Particles of classical Chinese and kinship terms, which never end a name (齊侯之子, 蒋叔叔).
_CLASSICAL = frozenset("之乎者也兮矣焉哉叔伯姨舅婶嫂爷奶")
#: Where a field's value ends: a list's or a line's punctuation, a table's rule, white space,
#: or a task's owner's 负责 (留样寄送：李强负责).
_FIELD_END = guarded(r"[、，,。；;）)（(:：|｜\t\n \u3000]|等|负责|$")
#: A short label's colon and what follows it before the value (``會首：``, ``接收：``): the
#: scan looks for colons, ``_label_ends`` reads each label back from its colon.
_LABEL_COLON = guarded(r"[：:][ \t\u3000]*(?=[\u4e00-\u9fff])")
#: A label's qualifier in brackets before its colon (转让方（甲方）：, 受让方(乙方):).
_QUALIFIER = guarded(r"[（(][\u4e00-\u9fff]{1,4}[）)]$")
#: A table's cell: after a rule, a tab or a column gap of two spaces (``1|原洋|6281…``), found
#: from the separator (the gap's second space), which the search skips to.
_CELL = guarded(r"(?:[|｜\t]|(?<=[ ])[ ])[ ]?(?=[\u4e00-\u9fff])")
#: A signature's blank and a bracket (``乙方签字：______（杜岩）``): the signer's name in it.
_BLANK_BRACKET = guarded(r"_{3,}[ ]?[（(](?=[\u4e00-\u9fff])")
#: A job in brackets right after a name (``我方 印淑兰（应付会计）``, ``、张琴（财务）``): a few
#: characters may lead the job (外贸业务员, 酒店销售).
_JOB_IN_BRACKETS = guarded(
    r"[（(][\u4e00-\u9fff]{0,4}?(?:会计|出纳|财务|经理|总监|主管|业务员|董事长|董事|监事|股东|"
    r"法定代表人|法人代表|采购|销售|主任|秘书|律师|厂长|店长|负责人|联系人|翻译|司机|跟单)"
)
#: What stands right before a name that a job in brackets follows: a line's start, a space or
#: punctuation.
_BEFORE_JOB_NAME = frozenset(" \t\n\u3000、，,：:；;|｜")
#: A staff number in brackets after a name (``陪诊员姜建平（工号PZ-0462）``; the text is read in
#: simplified characters): a role's last character may stand before the name too.
_STAFF_NUMBER = guarded(r"[（(](?:工号|员工编号)")
_BEFORE_STAFF_NAME = _BEFORE_JOB_NAME | frozenset("人员长师者")
#: A space after a team's or a department's last character (``审核员：风控三组 时海燕``): its
#: member's name may follow.
_UNIT_GAP = guarded(r"(?<=[\u4e00-\u9fff][组部科处室队])[ \u3000](?=[\u4e00-\u9fff])")
#: A line's start (``龙桂花: 刚才``, ``唐雷 敬上``).
_LINE_START = guarded(r"^[ \t]*(?=[\u4e00-\u9fff])", re.M)
#: Characters that are family names but lead a line as words (和, 与, 对 ...).
_NOT_LEADING = frozenset("和都相时管查于与从将把被对以及而也还又并但其")
_NUMERAL = guarded("[一二三四五六七八九十]")
#: A numbered list's item or a chat's mention (``1. 金华 捐赠``, ``@强波 明天``).
_ITEM = guarded(
    r"^[ \t]*(?:\d{1,2}[.、)）]|[一二三四五六七八九十]{1,2}、)[ ]?(?=[\u4e00-\u9fff])|@(?=[\u4e00-\u9fff])",
    re.M,
)
#: A person's role or kin right before the name that fills it, a space between allowed
#: (``财务经理曲秀芳，``, ``业主委员会委员 罗海燕``,
#: ``配偶籃正雄，``, ``代領人為涂聰明，``, ``表哥李雷未``), a department's handler's or
#: approver's field (``人力資源部經辦：劉承翰（薪酬福利主任）``).
_ROLE_BEFORE = guarded(
    "(?:经理|委员|委員|主任|配偶|人为|人為|表哥|表姐|表弟|表妹|堂哥|堂姐|代表|经办[：:]|核准[：:])[ ]?"
)
#: A person's role or kin right before the name, in prose, where a word ends the name
#: (``本月承租人程琴账户``, ``委托其儿媳王兵代为``, ``部门负责人罗建军已审批``).
_ROLE_NOUN = guarded(
    "(?:负责人|承租人|出租人|存款人|借款人|担保人|保证人|儿媳|女婿|长子|次子|长女|次女|女儿|儿子|"
    "女兒|兒子|兒媳|太太|妻子|丈夫|胞弟|胞兄|胞姐|胞妹|子女|未婚夫|未婚妻|帮手|幫手|大堂经理|客户经理)"
)
#: What parts a found name from the list's next item: 、, after the name's role in brackets
#: too (``傅玉梅（支行行长）、李成（工会主席）``).
_NEXT_ITEM = guarded(r"(?:[（(][^）)\n]{1,12}[）)])?(?:、|(?P<link>[与和及]))")
#: One-character words that may follow a name in prose (存款人潘建国因, 居民刘雷的).
_PARTICLE = frozenset("因于在已的将也和及与把被向对从给为所还都就才又并说称")
#: A name between what asks or tells who it is and 本人, himself (请问是郭想本人吗, 已通知到任杨本人,
#: 失主许建国本人到场): the frame bounds the name, whatever its given name's characters.
_HIMSELF = guarded(r"(?<=[是到主])(?P<name>[\u4e00-\u9fff]{2,4}?)本人")
#: A person's role suffix: 存款人, 投诉人, 柜员, 行长, 教师, 患者.
_ROLE_END = guarded("[人员长师者]")
#: A list's earlier item right before a found name (``曾红霞、况淑英``), at a field's start.
_LIST_BEFORE = guarded(
    r"(?:^|(?<=[：:\s|｜、，,。]))(?P<name>[\u4e00-\u9fff]{2,3})"
    # a spouse's or a relative's word may stand between (池洋和丈夫栗凤英, 陆洋与妻子武勇)
    r"(?:、|(?P<link>[与和及])(?:丈夫|妻子|爱人|儿子|女儿|母亲|父亲)?)$",
    re.M,
)
#: What a person does, right after the name: reports, agrees, signs, handles, arrives, holds.
_DOES = guarded(
    "反映|表示|称|说|介绍|认为|要求|提出|提议|附议|同意|确认|负责|经办|办理|签字|签收|签名|核对|"
    "核实|拍照|到达|到场|到店|到柜|前往|来电|来行|来存|来办|来取|欲|夫妇|一家|本人|老人|双人|"
    "持|携|攜|代领|代办|陪同|联系|致电|回访|送达|领取|取走|存入|汇款|转账|还款|申请|保管|退回|"
    "一人|接任|任期|大哥|大姐|阿婆|回忆|复核|审核|审批|授权|签批|"
    # reports, acts as, arrives; whose name a note bears (X的名字)
    "通报|汇报|作为|赶到|的名字|的姓名|今年|承认|"
    # acts on the spot (刘岩当场通过手机银行退回)
    "当场|当即"
)
#: A role's or a post's last character right before a name (押运员李宁, 反洗钱岗陆秀英).
_ROLE_CHARS = frozenset("员岗")
#: One-character words a name may follow directly (是王芳, 和李强, 由张伟).
_BEFORE = frozenset("是和与及由给向被让叫把对跟同找等在从为称问据请号")
#: What opens a time's word that a family name ends (本周, 上周, 每周; not 商周, 东周: dynasties).
_THIS_NEXT = frozenset("本上下每当")


def _label_ends(text: str) -> list[int]:
    """Where the values of short labels start: after each colon that one to four Chinese
    characters precede, from a line's start, a space or a rule on (more: the label starts
    inside a word, and is none); a qualifier in brackets may stand between the label and its
    colon (转让方（甲方）：)."""
    out = []
    for m in _LABEL_COLON.finditer(text):
        colon = m.start()
        q = _QUALIFIER.search(text, max(0, colon - 6), colon) if colon else None
        if q is not None:
            colon = q.start()
        k = colon
        while k > 0 and colon - k < 5 and "\u4e00" <= text[k - 1] <= "\u9fff":
            k -= 1
        if 1 <= colon - k <= 4 and (k == 0 or text[k - 1].isspace() or text[k - 1] in "|｜"):
            out.append(m.end())
    return out


class ZhNameStats:
    """Character rates from jieba's dictionary (``word_tags``: word → part of speech,
    ``freq``: word → count); ``single``: one-character family names; ``given``: the
    given-name characters of the list; ``stop``: characters that never end a name."""

    def __init__(
        self,
        word_tags: Mapping[str, str],
        freq: Mapping[str, int],
        single: frozenset[str],
        given: frozenset[str],
        stop: frozenset[str],
    ) -> None:
        surnames: Counter[str] = Counter()
        given_chars: Counter[str] = Counter()
        ordinary: Counter[str] = Counter()
        for word, tag in word_tags.items():
            if tag == "nr":
                if 2 <= len(word) <= 3 and word[0] in single:
                    surnames[word[0]] += 1
                    given_chars.update(word[1:])
            elif count := freq.get(word, 0):
                for c in word:
                    ordinary[c] += count
        n_ordinary = sum(ordinary.values())

        def scores(counts: Counter[str]) -> dict[str, float]:
            n = sum(counts.values())
            return {
                c: math.log((k + 0.5) / n) - math.log((ordinary[c] + 50) / n_ordinary)
                for c, k in counts.items()
            }

        self._surname = scores(surnames)
        self._given = scores(given_chars)
        for c in given:
            self._given[c] = self._given.get(c, 0.0) + 1.0
        # a family name no rarer than RARE_SURNAME, before a character whose rate in names is
        # no lower than in words (``name_at`` asks both of every name: the others need no call)
        self._pattern = guarded(
            "["
            + re.escape("".join(sorted(c for c, v in self._surname.items() if v >= RARE_SURNAME)))
            + "](?=["
            + re.escape("".join(sorted(c for c, v in self._given.items() if v >= 0)))
            + "])"
        )
        self._word_tags = word_tags
        self._freq = freq
        self._stop = stop

    def common(self, word: str) -> bool:
        """Whether ``word`` is an ordinary dictionary word (a tagged name too, when frequent)."""
        tag = self._word_tags.get(word)
        if tag is None:
            return False
        return not tag.startswith("nr") or self._freq.get(word, 0) >= COMMON_NR_FREQ

    def reads_as_given(self, given: str) -> bool:
        """Whether every character of ``given`` is at least as common in names as in words and
        together they score as one given name (建平, 建军; not 公安, 平台, 每月)."""
        scores = [self._given.get(c, -9.0) for c in given]
        return min(scores) >= 0 and sum(scores) >= GIVEN_MIN

    def in_names(self, c: str) -> bool:
        """Whether ``c`` is a given-name character of a dictionary name or of the list."""
        return c in self._given

    def rare_surname(self, c: str) -> bool:
        """Whether ``c`` is more often part of a word than a family name (家, 区; not 金)."""
        return self._surname.get(c, -9.0) < RARE_SURNAME

    def name_at(self, text: str, i: int) -> int:
        """Length of a name whose one-character family name is at ``i`` (0: none): one whose
        characters are far more common in names than in words, or, before a verb that a
        person does (``押运员张兵持枪``, ``陆坤反映``) or after a role and before a particle
        (``清分员李兵在``), one whose characters are only more common in names (a
        dictionary's name too: 李成经办)."""
        surname = self._surname.get(text[i], -9.0)
        if surname < RARE_SURNAME:
            return 0
        # after a person's role (押运员李宁持枪, 财务人员王平, 清分员) a name the dictionary
        # knows is a name still
        role = text[i - 1 : i] in _ROLE_CHARS
        if (
            i > 0
            and not role
            and _CJK.match(text[i - 1])
            and text[i - 1] not in _BEFORE
            and not any(text[max(0, i - k) : i] in self._word_tags for k in (2, 3, 4))
        ):
            # no word ends right before the family name: it is inside a word (车水马龙) or a
            # run of characters (哈韦尔, 克雷蒂安: a foreign name)
            return 0
        if not role and i >= 2 and self.common(text[i - 2 : i + 1]):
            return 0  # 经销商曾要求: the family name ends a word of three characters
        if (
            not role
            and text[i - 1 : i] in _THIS_NEXT
            and self._word_tags.get(text[i - 1 : i + 1]) == "t"
        ):
            return 0  # 本周云南: the family name ends a time's word (本周, 上周; not 加盟商周秀梅)
        if not role and (self.common(text[i : i + 2]) or self.common(text[i : i + 3])):
            return 0  # 高新, 周恩来 (a famous name is a word too)
        for n in (2, 1):
            given = text[i + 1 : i + 1 + n]
            if len(given) < n or not all(
                _CJK.match(c) and c not in self._stop and c not in _CLASSICAL and c != text[i]
                for c in given
            ):
                continue
            end = i + 1 + n
            tag = self._word_tags.get(text[i:end])
            scores = [self._given.get(c, -9.0) for c in given]
            if (tag is not None and not tag.startswith("nr")) or min(scores) < 0:
                continue
            strong = (
                surname >= SURNAME_MIN
                and sum(scores) >= GIVEN_MIN * n
                and tag is None
                and text[i : i + 3] not in self._word_tags
            )
            # after a role, a particle ends the name too (清分员李兵在复点)
            if strong or self._does(text, end, role) or (role and text[end : end + 1] in _PARTICLE):
                return 1 + n
        return 0

    def _does(self, text: str, end: int, role: bool) -> bool:
        """Whether a verb of ``_DOES`` starts right at ``end``: not one that the name's last
        character starts (包默 / 认为 is 默认 / 为), nor, unless a role precedes the name, the
        first character of a longer word (包里持续)."""
        m = _DOES.match(text, end)
        return (
            m is not None
            and not self.common(text[end - 1 : end + 1])
            and (role or not self.common(text[end : m.end() + 1]))
        )

    def field_at(self, text: str, i: int, surname_len: int, prose: bool = False) -> int:
        """Length of a name that fills a field at ``i`` (0: none): a family name of
        ``surname_len`` characters and one or two characters that read as a given name, then
        the field's end (``交出：王娜  接收：``, ``王阳、高红霞\n``). The field bounds the name, so
        a one-character family name needs only to be no rarer than the same character in
        words, and each given-name character only more common in names than in words; a
        dictionary word is a name only when the dictionary tags it as one (李娜) and it is not
        a common word (``FIELD_WORD_FREQ``). With ``prose``, a dictionary word may end the
        field too (``承租人程琴账户余额不足``, ``儿媳王兵代为``)."""
        if not surname_len or (surname_len == 1 and self.rare_surname(text[i])):
            return 0
        for n in (2, 1):
            end = i + surname_len + n
            given = text[i + surname_len : end]
            if len(given) < n or not (
                _FIELD_END.match(text, end)
                or (prose and (self._word_starts(text, end) or text[end : end + 1] in _PARTICLE))
            ):
                continue
            tag = self._word_tags.get(text[i:end], "nr")
            if (
                min(self._given.get(c, -9.0) for c in given) >= 0
                and not any(c in self._stop or c in _CLASSICAL for c in given)
                and tag.startswith("nr")
                # a word that common is speech, not a name: 坐席：明白，
                and self._freq.get(text[i:end], 0) < FIELD_WORD_FREQ
            ):
                return surname_len + n
        return 0

    def _a_word(self, text: str, i: int, n: int) -> bool:
        """Whether ``text[i : i + n]`` reads as a word: a common one, or a numeral after the
        family name (高二)."""
        return self.common(text[i : i + n]) or _NUMERAL.match(text, i + 1) is not None

    def _role_word(self, text: str, end: int) -> bool:
        """Whether a dictionary word of two to four characters (not a name) ends at ``end`` in a
        person's role suffix (存款人, 柜员, 行长), and no word goes on past it (主人公)."""
        ends = any(
            not self._word_tags.get(text[end - k : end], "nr").startswith("nr")
            for k in (2, 3, 4)
            if end >= k
        )
        return ends and not any(text[end - k : end + 1] in self._word_tags for k in (1, 2, 3))

    def _word_starts(self, text: str, end: int) -> bool:
        """Whether a dictionary word of two to four characters starts at ``end``."""
        return any(self.common(text[end : end + k]) for k in (2, 3, 4))

    def in_fields(
        self, text: str, found: list[Entity], surname_len: Callable[[str, int], int]
    ) -> list[Entity]:
        """Names that fill a field: after a short label (``會首：林明珠``), a numbered item's mark
        or an @ (``1. 金华 捐赠``, ``@强波``), a role or kin word (``财务经理曲秀芳，``; in prose,
        ``承租人程琴账户``), or next to a found name in a list (``王阳、高红霞``). ``found``: the
        names found so far; ``surname_len``: the length of the family name at a place."""
        out: list[Entity] = []
        starts = {
            m.end()
            for rx in (_ITEM, _ROLE_BEFORE, _CELL, _UNIT_GAP, _BLANK_BRACKET)
            for m in rx.finditer(text)
        }
        starts.update(_label_ends(text))
        brackets = "（" in text or "(" in text
        for rx, before in (_JOB_IN_BRACKETS, _BEFORE_JOB_NAME), (_STAFF_NUMBER, _BEFORE_STAFF_NAME):
            for m in rx.finditer(text) if brackets else ():
                for n in (3, 2, 4):  # the name's length: the character before it bounds it
                    i = m.start() - n
                    if i >= 0 and (i == 0 or text[i - 1] in before):
                        starts.add(i)
        lines = {m.end() for m in _LINE_START.finditer(text) if text[m.end()] not in _NOT_LEADING}
        linked: set[int] = set()  # beside a found name, joined by 与, 和, 及 (prose)
        for e in found:
            m = _NEXT_ITEM.match(text, e.end)
            if m:
                (linked if m.group("link") else starts).add(m.end())
            lo = max(0, e.start - 6)
            m = _LIST_BEFORE.search(text, lo, e.start)
            if m:
                (linked if m.group("link") else starts).add(m.start("name"))
        # the characters already in a name (a set: a list of thousands stays linear)
        done = {p for e in found for p in range(e.start, e.end)}
        roles = {m.end() for m in _ROLE_NOUN.finditer(text)}
        # (a place without a family name starts no field: its role word is not looked up)
        suffixed = {
            m.end()
            for m in _ROLE_END.finditer(text)
            if surname_len(text, m.end()) and self._role_word(text, m.end())
        }
        roles |= suffixed
        queue = sorted(starts | roles | lines | linked)
        heapq.heapify(queue)
        while queue:
            i = heapq.heappop(queue)
            sl = surname_len(text, i)
            if not sl:
                continue  # no family name: no field's name (most lines' starts)
            n = self.field_at(text, i, sl, prose=i in roles or i in linked)
            if n and i in lines and not (i in starts or i in roles) and self._a_word(text, i, n):
                continue  # at a line's start, not a word (高二, 许可/nr 623)
            if (
                n
                and i in suffixed
                and (
                    self.common(text[i : i + n])
                    or (
                        self._given.get(text[i + n - 1], -9.0) < 1.0
                        and self.common(text[i + n - 1 : i + n + 1])
                    )
                )
            ):
                # after a role's suffix, no word (技术人员辛勤/nr), nor a rare given-name
                # character that starts one with the next (主人房衣柜; not 继承人汤明代领)
                continue
            if n and done.isdisjoint(range(i, i + n)):
                out.append(Entity(i, i + n, "NAME"))
                done.update(range(i, i + n))
                m = _NEXT_ITEM.match(text, i + n)  # the list goes on: 罗建华（行长）、万雪
                if m and m.end() not in starts and m.end() not in linked:
                    (linked if m.group("link") else starts).add(m.end())
                    heapq.heappush(queue, m.end())
        return out

    def before_self(
        self, text: str, found: list[Entity], surname_len: Callable[[str, int], int]
    ) -> list[Entity]:
        """Names in ``_HIMSELF``'s frame: a family name and one or two characters, none a
        particle (the frame bounds the name: a verb's character may end it, 郭想), not a
        dictionary word, outside the names ``found``."""
        out: list[Entity] = []
        for m in _HIMSELF.finditer(text) if "本人" in text else ():
            i, name = m.start("name"), m.group("name")
            sl = surname_len(text, i)
            given = name[sl:]
            if (
                sl
                and 1 <= len(given) <= 2
                and not any(c in _PARTICLE for c in given)
                and not self.common(name)
                and not any(e.start <= i < e.end for e in found)
            ):
                out.append(Entity(i, m.end("name"), "NAME"))
        return out

    def find(
        self, text: str, taken: list[tuple[int, int]], excluded: Callable[[str], bool]
    ) -> list[Entity]:
        """Names in ``text`` outside ``taken``, whose family name ``excluded`` does not refuse
        (function words: 和, 都)."""
        out: list[Entity] = []
        after = 0
        covered = {p for s, e in taken for p in range(s, e)}
        for m in self._pattern.finditer(text):
            i = m.start()
            if i < after or excluded(text[i]) or i in covered:
                continue
            n = self.name_at(text, i)
            if n:
                out.append(Entity(i, i + n, "NAME"))
                after = i + n
        return out
