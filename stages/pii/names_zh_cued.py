"""Chinese names after a cue or before a title.

``ChineseCuedNames`` holds the rules that ``NameFinder`` (``names.py``) runs on Chinese text:
a name after a cue (``客户``, ``姓名：``, ``借款人`` ...), a role's label, a department or a
team; a name a caller asks for (``请问是王岩吗``); a name before a title (``先生``, ``经理``
...); the other person of a pair (``牛红霞与俞斌``). jieba's segmentation decides where a
cued name ends (``segment.Segmenter``: jieba's words, cheaper on short windows). It builds on
``ChineseTaggedNames`` (``names_zh_tagged.py``: the tables' lookups and jieba's
part-of-speech tagger's rule); names in Latin letters inside Chinese text are
``names_zh_latin.py``'s. ``NameFinder`` sets the tables these methods read (``_single``,
``_compound``, ``_given``, ``_word_tags``, ``_freq``, ``_jieba``, ``_posseg``, ``_segment``,
``_stats``, ``_en``, ``_zh_candidate``) in its ``__init__`` and ``setup()``.
"""

from __future__ import annotations

from itertools import accumulate, chain

from stages.pii import names_cues as cues
from stages.pii.names_en import EnglishNames
from stages.pii.names_zh_latin import find_latin_in_zh
from stages.pii.names_zh_stats import COMMON_NR_FREQ, FIELD_WORD_FREQ
from stages.pii.names_zh_tagged import CJK_RUN, ChineseTaggedNames, form_dan
from stages.pii.names_zh_words import ADVERB_SURNAMES as _ADVERB_SURNAMES
from stages.pii.names_zh_words import COMPANY_OWNERS as _COMPANY_OWNERS
from stages.pii.names_zh_words import FUNCTION_SURNAMES as _FUNCTION_SURNAMES
from stages.pii.names_zh_words import NO_OFFICE as _NO_OFFICE
from stages.pii.names_zh_words import OFFICE_END as _OFFICE_END
from stages.pii.names_zh_words import WANT_ENDS as _WANT_ENDS
from stages.pii.names_zh_words import ZH_PARTICLES as _ZH_PARTICLES
from stages.pii.names_zh_words import ZH_STOP as _ZH_STOP
from stages.pii.names_zh_words import ZH_TRIM as _ZH_TRIM
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, scan
from stages.pii.rx import guarded

__all__ = ["CJK_RUN", "ZH_TITLE", "ChineseCuedNames"]

#: A cue, then a colon, ``为``, ``是`` or a form's equals sign (姓名 = 王芳) before the name.
_ZH_PREFIX = guarded(
    rf"(?:{cues.PREFIX_CUES}|{cues.EN_LABEL_CUES}|经理)"
    # a note in brackets may follow the cue (经营者（店主）余阳)
    r"(?:[（(][\u4e00-\u9fff]{1,6}[）)])?"
    # what a form's field was filled with (收件人写的周建平, 收件人寫吳進興就可以)
    rf"(?:写的|寫的|写|寫|填的|填|[\s:：=为是]{{0,3}})(?=[\u4e00-\u9fff])"
)
#: A word in lower-case Latin letters and a space, as English prose around a Chinese name has.
_LATIN_WORD = guarded(r"[a-z][ ]")
#: A form's label that ends in a person's role (被执行人：, 可疑主体：, 联名户：, 见证对象：,
#: 陪同人员：, 单证员：, 配偶：), a trade's or an officer's title (纹身师（签字）：, 消保官：), a side's
#: representative (被申诉人代表（店长）：), a coach, and a colon.
_ZH_ROLE_LABEL = guarded(
    r"(?:人|户|主体|对象|人员|员|配偶|客户|师|官|代表|教练|经理|店长|店主|主管)(?:（[^）\n]{1,8}）)?"
    # who confirmed or signed for that side (承租人确认：, 带飞教练确认：)
    r"(?:确认|签字|签名)?[ ]?[:：][ \t]?(?=[\u4e00-\u9fff])"
)
#: The same role and a space instead of the colon (账户持有人 王芳，), or a job that only a person
#: holds (业务员 王芳, 领队 王东，, 计调 阴秀英 |, 鉴定师 向丹丹, 采购 洪武雄、, 行政 钱建军): neither
#: the name nor its first two characters may be a dictionary word (开户 申请书).
_ZH_ROLE_SPACE = guarded(
    r"(?:人|户|主体|对象|人员|配偶|客户|员|领队|计调|导游|司机|师|代表|采购|质检|行政|仓管)[ ]"
    r"(?=[\u4e00-\u9fff])"
)
#: A department, a team or a post before a name that fills a field (对公业务部郭建军。,
#: 纪检监察室王想、, 收单风控岗兰磊, 人民调解委员会吴东), a space between too (外贸部 孙淑英：),
#: or an office's, a bureau's or a station's with a space (花地市场监管所 周建华).
_ZH_DEPARTMENT = guarded(
    r"(?<=[\u4e00-\u9fff])(?:(?:部|中心|科|处|室|团队|岗|委员会)[ ]?|[所局站][ ])(?=[\u4e00-\u9fff])"
)
#: What ends a name that fills a label's field: punctuation, a bracket, a space, the line's end,
#: 于 before a date (裁判长辜想于10月14日), or a speaker's colon (冷库经理辜想：; not 被授權代收人：).
_ZH_FIELD_END = guarded(
    r"(?:[，,。；;、（(）)|｜\s]|$|的(?=[\u4e00-\u9fff])|于(?=\d)|(?<![人员方])[：:](?!\d))"
)
#: A name after a label's colon, a space or a list's 、, before its holder's job in brackets (``Our
#: side: 刘想（海外服务经理）``, ``罗莉（总经理）、应欢（种植基地负责人）``), or after a signing dash.
_ZH_BRACKET_JOB = guarded(
    r"(?<=[：:\s、])(?P<name>[\u4e00-\u9fff]{2,3})[（(][\u4e00-\u9fff]{0,10}"
    r"(?:经理|主管|主任|专员|出纳|会计|财务|总监|助理|行长|科长|处长|部长|经办|代表|负责人|理事长)"
    r"(?:[，,][\u4e00-\u9fff]{1,6})?[）)]"  # and what they did (李想（运营总监，主持）)
    # or after a dash that signs a note at its line's end (客户态度积极。——陈畅)
    r"|——(?P<signed>[\u4e00-\u9fff]{2,3})[ \t]*(?=\n|$)"
)
_ZH_SUFFIX = guarded(rf"(?<=[\u4e00-\u9fff])(?:{cues.SUFFIX_CUES})")
_ZH_SUFFIX_START = guarded(rf"(?:{cues.SUFFIX_CUES})")
#: A title or role on its own (经理 after 客户 in "客户经理 09:15") is never a name.
ZH_TITLE = guarded(rf"(?:客户|理财|大堂|产品|项目|部门|区域)?(?:{cues.SUFFIX_CUES})")
#: What joins two people's names (牛红霞与俞斌, 王芳和李雷, 张伟、刘洋, 签字：张楠　李娜).
_PAIR_JOINS = frozenset("与和及、\u3000")
#: Words that follow a sentence's subject and the segmenter glues to a given name (梁慧会协助).
_AUX_AFTER = frozenset("会连经")

#: How often jieba's corpus counts a verb or an adverb that no given name's character completes
#: after a cue (团长后续如更换: 后续/v, 374; 其子高欢大学: 高欢/v, 63, may be a name).
_FREQUENT_VERB = 100

#: How often jieba may count a character as a word of its own for it to end a given name the
#: segmenter cut off (豪 1,182, 芝 685; not 可 95,892, 如 56,065, 家 41,022).
_LONE_GIVEN_FREQ = 10_000


class ChineseCuedNames(ChineseTaggedNames):
    """The Chinese cued-name rules; ``NameFinder`` is one and sets the tables."""

    _en: EnglishNames
    _known_en: frozenset[str]

    def _name_at(self, text: str, i: int) -> int:
        """Length of a name starting at ``i`` after a cue (0: none), segmenter-bounded."""
        sl = self._surname_len(text, i)
        if not sl:
            return 0
        window = text[i : i + sl + 4]
        tokens = self._segment.words(window)  # jieba.lcut's words
        length = 0
        for tok in tokens:
            if length + len(tok) > sl + 2:
                if (
                    not length
                    and len(tok) == sl + 3
                    and tok[-1] in _ZH_TRIM
                    and not self._is_common_word(tok)  # 客户通讯地址
                ):
                    length = sl + 2  # the segmenter glued a verb on: 顾晓岚持 / 授权书
                break
            if length >= sl and (not CJK_RUN.fullmatch(tok) or tok[0] in _ZH_STOP):
                break
            length += len(tok)
            if length >= sl + 1 and (len(tok) > 1 or length >= sl + 2):
                break
        if length == sl + 1:
            glued = window[length : length + 2]
            if (
                len(glued) == 2
                and glued in tokens
                and glued[1] in _ZH_TRIM
                and self._given_ok(glued[0])
                and not self._is_common_word(glued)
            ):
                length += 1  # 李兰 / 英持: the segmenter glued the verb to the given name's end
        if length < sl + 1:
            # the segmenter kept the surname with the next word (张伟来电: 张伟来 / 电): given chars
            length = sl
            while length < sl + 2 and i + length < len(text) and self._given_ok(text[i + length]):
                length += 1
        trimmed = length
        while length > sl and text[i + length - 1] in _ZH_TRIM:
            length -= 1
        if length > sl + 1 and text[i + length - 1 : i + length + 1] == "名下":
            length -= 1  # 其配偶况帆名下账户: the account in the name of (名下), not 况帆名
        if (
            length < trimmed
            and self._is_common_word(text[i + length - 1 : i + length + 1])
            and not self._is_common_word(text[i + length : i + length + 2])
        ):
            return 0  # it would end inside a word: 客户向户籍所在地 (户籍; not 郑飞来电: 来电)
        if _ZH_SUFFIX_START.match(text, i + sl):
            return sl  # 客户王女士: the family name alone
        for k in range(sl + 1, length):
            if _ZH_SUFFIX_START.match(text, i + k):
                length = k
                break
        given, verb = text[i + sl : i + length], text[i + sl + 1 : i + sl + 3]
        if (
            not given
            and text[i + sl : i + sl + 1] == "想"
            and (self._is_common_word(verb) or _WANT_ENDS.match(verb))
        ):
            return sl + 1  # 裁判长罗想说明, 代表李想\n: 想 ("want") a given name before a verb
        if not given or any(c in _ZH_STOP for c in given) or not CJK_RUN.fullmatch(given):
            return 0
        nxt = text[i + length : i + length + 1]
        ends = set(accumulate(len(t) for t in tokens))
        if (
            length == sl + 1
            and (
                (
                    self._freq.get(text[i : i + length], 0) >= FIELD_WORD_FREQ
                    and self._word_tags.get(text[i : i + length]) in ("ns", "nz", "nr")
                )  # a proper noun
                # or a given name's character the segmenter left alone (陈家/豪/检查; not a
                # word's: 后续/如, nor a frequent word of its own: 张东/可/代为)
                or (
                    length in ends
                    and length + 1 in ends
                    and not self._is_common_word(text[i : i + length])
                    and self._freq.get(nxt, 0) < _LONE_GIVEN_FREQ
                )
            )
            and nxt in self._given
            and nxt not in _ZH_STOP
            and not self._is_common_word(text[i : i + length + 1])
            and not self._is_common_word(text[i + length : i + length + 2])  # 单位同事
        ):
            # a frequent word that a given name's character completes: 配偶王国荣 (王国/荣)
            length += 1
            given = text[i + sl : i + length]
        if (text[i] in _ADVERB_SURNAMES and self._is_common_word(given)) or self._freq.get(
            text[i : i + length], 0
        ) >= FIELD_WORD_FREQ:
            return 0  # speech after the label: 客户：那麻烦让…, 客户：明白了 (明白/nr 10,875)
        if not any(self._stats.in_names(c) for c in given):
            return 0  # 替妻子解绑: no name of the dictionary or the list has 绑
        if self._is_common_word(text[i : i + length], allow_proper=("nz",)):
            # 客户余额, 客户申请: a word, not a name, unless a given-name character follows
            # (夏天芳: the segmenter read 夏天 "summer" first); a word that jieba's corpus
            # counts a few times only is no obstacle after a cue (户名许成: 许成/m, 5).
            nxt = text[i + length : i + length + 1]
            head = text[i : i + length]
            verb = (
                self._word_tags.get(head, "")[:1] in ("v", "d")
                and self._freq.get(head, 0) >= _FREQUENT_VERB
            )
            if length == sl + 1 and nxt and nxt in self._given and nxt not in _ZH_STOP and not verb:
                length += 1  # not after a verb or an adverb: 团长后续如更换 (后续/v, 如 "if")
            word = text[i : i + length]
            common = self._is_common_word(word, allow_proper=("nz",)) or length == sl + 1
            if common and not self._rare_word_name(word, sl):
                return 0
        if (
            length == sl + 2
            and text[i + length - 1] in _AUX_AFTER
            and (text[i + length : i + length + 1] in _ZH_STOP or self._word_at(text, i + length))
        ):
            length -= 1  # 梁慧会协助, 刘玉连把, 叶欢经法院: 会, 连 and 经 (through) follow a name
        elif (
            length == sl + 2
            and text[i + length - 1] not in self._given
            and self._is_common_word(text[i + sl : i + length])
            and self._freq.get(text[i + length - 1 : i + length + 1], 0) >= FIELD_WORD_FREQ
        ):
            # 张杰作为: 杰作 (a word) took 作, no given name's character, from 作为 (as)
            length -= 1
        return length

    def _zh_bounded(self, value: str) -> bool:
        """Whether a whole value under a person's key or in a name column's cell is a Chinese name:
        a family name and one or two characters, no particle, not a dictionary word but a place's
        name (the key or cell bounds the name: a verb may be a given name, 谢想; a place's name a
        person's, 签批人 | 安阳)."""
        sl = self._surname_len(value, 0)
        given = value[sl:]
        return (
            bool(sl)
            and 1 <= len(given) <= 2
            and not any(c in _ZH_PARTICLES for c in given)
            and not self._is_common_word(value, allow_proper=("ns",))
        )

    def _field_name(self, text: str, i: int) -> int:
        """Length of a name that fills a label's field at ``i`` (0: none): a family name and one
        or two characters, then punctuation or the line's end (刘想，, 黄东\n). The field
        bounds the name, so its given name need not be in the list nor unlike a word; after a
        family name that is more often a function word (时, 和), two given-name characters that
        are no word of their own nor one with it (单证员：时红霞)."""
        sl = self._surname_len(text, i)
        if not sl:
            return 0
        function = text[i] in _FUNCTION_SURNAMES
        if function and any(self._is_common_word(text[k : k + 2]) for k in (i, i + sl)):
            return 0  # 相册要: the family name starts a word
        if text[i] in _ADVERB_SURNAMES and self._is_common_word(text[i + sl : i + sl + 2]):
            return 0  # 客服专员：经核实，: an adverb before a verb, no family name
        # one character after a cue's family name that a cue bounds (记分员管兵、)
        for g in (2,) if function and not cues.cued_in_field(text, i, i + sl + 1) else (2, 1):
            given = text[i + sl : i + sl + g]
            if (
                len(given) == g
                and CJK_RUN.fullmatch(given)
                and not any(c in _ZH_PARTICLES for c in given)
                and _ZH_FIELD_END.match(text, i + sl + g)
                and not ZH_TITLE.fullmatch(given)
                and given[-1] not in _OFFICE_END  # a team, not a name: 国际业务部单证组
                and any(self._stats.in_names(c) for c in given)  # 替妻子解绑，
                and self._freq.get(text[i : i + sl + g], 0) < FIELD_WORD_FREQ  # 坐席：明白，
            ):
                return sl + g
        return 0

    def _asked_name(self, text: str, i: int) -> int:
        """Length of the name a caller asks for at ``i`` (0: none): a family name and one or
        two characters, then 吗 (王岩吗); not a title (张先生吗) nor a word (本人吗)."""
        sl = self._surname_len(text, i)
        for n in (sl + 2, sl + 1):
            given = text[i + sl : i + n]
            if (
                sl
                and text[i + n : i + n + 1] in ("吗", "么")
                and self._zh_bounded(text[i : i + n])
                and not _ZH_SUFFIX_START.search(given)
                and any(self._stats.in_names(c) for c in given)
                and self._freq.get(text[i : i + n], 0) < FIELD_WORD_FREQ
            ):
                return n
        return 0

    def _zh_partners(self, text: str, found: list[Entity]) -> list[Entity]:
        """The other person of a pair joined by 与, 和, 及 or 、 to a Chinese name found
        (牛红霞与俞斌): after it, the name the segmenter bounds; before it, a family name and
        two characters (one, when the first would be a function word: 由王明与), neither of
        them a word."""
        out: list[Entity] = []
        taken = [(e.start, e.end) for e in found]
        for e in found:
            if not CJK_RUN.fullmatch(text, e.start, e.end):
                continue
            spans: list[tuple[int, int]] = []
            j = e.end + 1
            if text[e.end : j] in _PAIR_JOINS and j < len(text):
                n = self._name_at(text, j)
                if n:
                    spans.append((j, j + n))
            k = e.start - 1
            if k > 0 and text[k] in _PAIR_JOINS:
                for length in (3, 2):
                    i = k - length
                    sl = self._surname_len(text, i) if i >= 0 else 0
                    if (
                        sl
                        and sl < length
                        and not (length == 3 and text[i] in _FUNCTION_SURNAMES)
                        and self._given_ok(text[i + sl : k])
                        and not self._is_common_word(text[i:k])
                        and not self._is_common_word(text[i : i + 2])
                    ):
                        spans.append((i, k))
                        break
            for s, t in spans:
                if not any(a < t and s < b for a, b in taken):
                    out.append(Entity(s, t, "NAME"))
                    taken.append((s, t))
        return out

    def _unit_member(self, text: str, i: int) -> int:
        """Length of a full name at ``i`` right after an office's name (0: none): a family
        name and two given-name characters, or else one, then a word (a verb: 复核, 审批,
        联系); neither the name nor its first two characters is a word."""
        sl = self._surname_len(text, i)
        if not sl or text[i] in _FUNCTION_SURNAMES:
            return 0
        for n in (sl + 2, sl + 1):
            if (
                self._given_ok(text[i + sl : i + n])
                and not any(self._is_common_word(text[i : i + k]) for k in (2, n))
                and self._is_common_word(text[i + n : i + n + 2])
            ):
                return n
        return 0

    def _find_zh(self, text: str, out: list[Entity], taken: list[tuple[int, int]]) -> None:
        for m in _ZH_PREFIX.finditer(text):
            i = m.end()
            if _ZH_PREFIX.match(text, i) or form_dan(text, i):
                continue  # 客户家属杨桂英: the next cue (家属) bounds the name; 委托单另行
            # a cue that overlaps the one found reaches further (营业主管吴林: 业主 was read
            # first, 主管 is the cue): the name follows the furthest
            for k in range(m.start() + 1, i):
                inner = _ZH_PREFIX.match(text, k)
                if inner is not None and inner.end() > i:
                    i = inner.end()
            # a field's end bounds the name better than the segmenter (家屬）：王明輝，: 王明/辉)
            n = max(self._name_at(text, i), self._field_name(text, i))
            if n:
                out.append(Entity(i, i + n, "NAME"))
                taken.append((i, i + n))
        # a name that fills the field after a role's label, a role and a space, or a department;
        # after the last two, the name (and after a space its first two characters) is no word
        for rx, words in ((_ZH_ROLE_LABEL, ()), (_ZH_ROLE_SPACE, (2, 0)), (_ZH_DEPARTMENT, (0,))):
            for m in rx.finditer(text):
                i = m.end()
                if rx is _ZH_DEPARTMENT and (
                    self._is_common_word(text[m.start() : i + 1])
                    or text[m.start() - 1 : m.start() + 1] in _NO_OFFICE
                ):
                    continue  # 技术部门排查: the unit's character starts a word (部门); 全部付清
                n = 0 if any(s <= i < e for s, e in taken) else self._field_name(text, i)
                office = text[max(0, m.start() - 2) : i]
                # a known office (财务部), or a word and the unit's character (合规 部)
                known_office = self._is_common_word(office) or self._is_common_word(
                    text[max(0, m.start() - 2) : m.start()]
                )
                if not n and rx is _ZH_DEPARTMENT and known_office:
                    n = self._unit_member(text, i)  # 财务部谢建平复核: a known office's member
                if n and not any(self._is_common_word(text[i : i + (k or n)]) for k in words):
                    out.append(Entity(i, i + n, "NAME"))
                    taken.append((i, i + n))
        for m in cues.ZH_ASKED.finditer(text):
            n = self._asked_name(text, m.end())
            if n:
                out.append(Entity(m.end(), m.end() + n, "NAME"))
                taken.append((m.end(), m.end() + n))
        for m in scan(cues.ZH_SPACED_TITLE, text):
            # a letter's addressee at a line's start, a space before the title (江柏谚 女士台鉴：)
            start, end = m.start("name"), m.end("name")
            if self._name_before(text, end) == start and not any(
                s < end and start < e for s, e in taken
            ):
                out.append(Entity(start, end, "NAME"))
                taken.append((start, end))
        bracketed = "（" in text or "(" in text or "——" in text
        for m in chain(
            _ZH_BRACKET_JOB.finditer(text) if bracketed else (),
            at_line_starts(cues.ZH_LISTED_JOB, text) if "，" in text or ", " in text else (),
        ):
            group = m.lastgroup or "name"  # name, signed or listed
            start, end = m.start(group), m.end(group)
            if (
                self._surname_len(text, start)  # a place's name too (武建（总经理）: 武建/ns)
                and not self._is_common_word(text[start:end], allow_proper=("ns",))
                and not any(s < end and start < e for s, e in taken)
            ):
                out.append(Entity(start, end, "NAME"))
                taken.append((start, end))
        for m in _ZH_SUFFIX.finditer(text):
            # a deputy's title (张淑珍副行长): a full name ends before 副, but not an office's
            # name (支行副行长, 文艺处副处长) nor a verb (挂任副主任)
            deputy = text[m.start() - 1 : m.start()] == "副"
            end = m.start() - deputy
            if any(s <= end - 1 < e or s == m.end() for s, e in taken) or (  # 让同学薛冬梅
                deputy and text[end - 1] in _OFFICE_END
            ):
                continue  # taken; a title before a name (no name before it); an office
            start = self._name_before(text, end)
            if start < 0 or (deputy and end - start < 2):
                continue
            given = start + self._surname_len(text, start)
            if text[start] in _ADVERB_SURNAMES and self._is_common_word(text[given:end]):
                continue  # 本协议经见证律师主持: 经 is a preposition, 见证 a word
            if given < end and self._is_common_word(text[given : m.end()]):
                continue  # the title is part of a word: 经客户经理 (客户经理), not 经客户
            if (m.group() == "老人" and not self._given_ok(text[given:end])) or (
                m.group() == "学员" and end - start < 2
            ):
                continue  # 需老人本人到场: "the elderly", 需 no given name; 工艺班学员: a class's
            out.append(Entity(start, end, "NAME"))
            taken.append((start, end))
        if _LATIN_WORD.search(text):
            self._find_zh_in_latin(text, out)
        out += find_latin_in_zh(text, self._en, self._known_en, self._quoted_zh_name)
        self._find_zh_tagged(text, out, taken)
        out += self._stats.find(text, taken, _FUNCTION_SURNAMES.__contains__)
        out += self._stats.in_fields(text, out, self._surname_len)
        out += self._stats.before_self(text, out, self._surname_len)

    def _quoted_zh_name(self, value: str) -> bool:
        """Whether ``value``, quoted as a form shows it (显示为"宋文章"), is a Chinese name: a
        family name and one or two characters, no dictionary word."""
        sl = self._surname_len(value, 0)
        return bool(sl) and 1 <= len(value) - sl <= 2 and not self._is_common_word(value)

    def _name_before(self, text: str, end: int) -> int:
        """Start of a name (or a bare family name, as in 王女士) that ends at ``end``; -1 if none.

        The title is a strong cue, so the given name may use any character that is not a
        particle or verb; the family name must be in the list.
        """
        for length in (3, 2, 4, 1):
            i = end - length
            if i < 0:
                continue
            sl = self._surname_len(text, i)
            if not sl or sl > length or text[i] in _ZH_STOP:
                continue
            given = text[i + sl : end]
            # the title bounds the name: 想 may end it (李想女士, 谭想主任), no other verb
            if len(given) > 2 or (
                given
                and (
                    any(c in _ZH_STOP for c in given[:-1])
                    or (given[-1] in _ZH_STOP and given[-1] != "想")
                    or not CJK_RUN.fullmatch(given)
                )
            ):
                continue
            if len(given) == 2 and given[-1] in _OFFICE_END and self._is_common_word(given):
                continue  # 经分行主任: an office's head (分行 is a branch), not 经分行
            proper = () if self._stats.rare_surname(text[i]) else ("ns", "nz", "nt")  # 金华 家族
            if length >= 2 and self._is_common_word(text[i:end], allow_proper=proper):
                continue
            doubled = length == 2 and text[i] == text[i + 1]  # 谢谢老师: jieba tags 谢谢 nr
            if doubled and self._freq.get(text[i:end], 0) >= COMMON_NR_FREQ:
                continue  # a doubled word (谢谢, 常常) that its corpus counts often is no name
            if not given and any(self._is_common_word(text[i : end + k]) for k in (2, 3)):
                continue  # 班主任: the family name and the title are one word
            if not given and text[i] in _ADVERB_SURNAMES:
                continue  # 须总经理签批: a modal verb before a title, no bare family name
            if text[i] == "司" and text[i - 1 : i] in _COMPANY_OWNERS:
                continue  # 我司仓储经理: our company's (我司), not 司 and a given name
            if i > 0 and any(self._is_common_word(text[max(0, i - k) : i + 1]) for k in (1, 2)):
                # The family-name character belongs to the previous word (提高, 和平, 集训班), also
                # after a function word that forms a word with it (对公客户经理, 对方经理).
                continue
            if not given and i > 0 and CJK_RUN.match(text[i - 1]) and text[i - 1] not in _ZH_STOP:
                if self._surname_len(text, i - 1) or self._given_ok(text[i - 1]):
                    continue
            return i
        return -1
