"""Person names in Chinese and English text, without a downloaded model.

Chinese names are found four ways:
- after a cue (``客户``, ``姓名：``, ``借款人``, ``尊敬的`` ...) or before a title (``先生``,
  ``女士``, ``经理`` ...), where jieba's segmentation decides where the name ends
  (``names_zh_cued.py``), or where a caller asks for them or a pair names them;
- anywhere else, a family name from ``data/surnames_zh.txt`` followed by characters common in
  given names (``data/given_chars_zh.txt``), when jieba's part-of-speech tagger tags that span
  as a person (``nr``) and the span is not an ordinary dictionary word (``黄金``, ``高新``)
  (``names_zh_tagged.py``);
- where the tagger finds none, by how often each character is part of a name rather than of
  a word (``names_zh_stats.py``), also in a labelled field or a list (``會首：林明珠``).

English names follow an honorific, a salutation or a field's label, or are a listed given name
or pinyin family name before a surname; ``names_orgs`` tells firms, venues and events apart.

jieba is imported in ``NameFinder.setup()``, never at module import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stages.pii import names_cues as cues
from stages.pii.addresses import CITY_NAMES
from stages.pii.latin import LOWER, UPPER, has_capitalised, has_latin
from stages.pii.names_attendance import find_attendees
from stages.pii.names_context import find_context_names, names_a_place
from stages.pii.names_cues_en import find_en_cued
from stages.pii.names_en import EN_AMBIGUOUS_GIVEN, EN_NOT_NAME, EnglishNames
from stages.pii.names_keys import column_names, coordinated_names, display_names, find_keyed_names
from stages.pii.names_orgs import names_an_organisation
from stages.pii.names_roles import find_role_names
from stages.pii.names_speakers import find_speakers
from stages.pii.names_vocab import (
    find_addressees,
    find_in_prose,
    find_renderings,
    find_who_names,
    load_lexicon,
    plain_given,
)
from stages.pii.names_zh_context import DOCUMENT_NUMBER as _DOCUMENT_NUMBER
from stages.pii.names_zh_context import GROUP_AFTER as _GROUP_AFTER
from stages.pii.names_zh_context import JUNCTION_AFTER as _JUNCTION_AFTER
from stages.pii.names_zh_context import NO_VERB_CHAR as _NO_VERB_CHAR
from stages.pii.names_zh_context import PLACE_UNIT_AFTER as _PLACE_UNIT_AFTER
from stages.pii.names_zh_context import PLACE_UNITS as _PLACE_UNITS
from stages.pii.names_zh_context import TAIWAN_PLACES as _TAIWAN_PLACES
from stages.pii.names_zh_context import THING_LABEL as _THING_LABEL
from stages.pii.names_zh_context import VILLAGE_GROUP as _VILLAGE_GROUP
from stages.pii.names_zh_context import ZH_COMPANY_AFTER as _ZH_COMPANY_AFTER
from stages.pii.names_zh_context import ZH_HALL_AFTER as _ZH_HALL_AFTER
from stages.pii.names_zh_context import ZH_NUMBERED_SITE_AFTER as _ZH_NUMBERED_SITE_AFTER
from stages.pii.names_zh_context import ZH_PRODUCT_AFTER as _ZH_PRODUCT_AFTER
from stages.pii.names_zh_context import ZH_SOCIETY_AFTER as _ZH_SOCIETY_AFTER
from stages.pii.names_zh_cued import CJK_RUN, ZH_TITLE, ChineseCuedNames
from stages.pii.names_zh_stats import COMMON_NR_FREQ, ZhNameStats
from stages.pii.names_zh_words import ADVERB_SURNAMES as _ADVERB_SURNAMES
from stages.pii.names_zh_words import CUED_SURNAMES, TRANSLITERATED_SURNAMES
from stages.pii.names_zh_words import FUNCTION_SURNAMES as _FUNCTION_SURNAMES
from stages.pii.names_zh_words import OFFICE_END as _OFFICE_END
from stages.pii.names_zh_words import PREPOSITION_SURNAMES as _PREPOSITION_SURNAMES
from stages.pii.names_zh_words import ZH_PARTICLES as _ZH_PARTICLES
from stages.pii.names_zh_words import ZH_ROLE_SIDES as _ZH_ROLE_SIDES
from stages.pii.names_zh_words import ZH_SIDE_WORDS as _ZH_SIDE_WORDS
from stages.pii.names_zh_words import ZH_STOP as _ZH_STOP
from stages.pii.names_zh_words import ZH_THING_WORDS as _ZH_THING_WORDS
from stages.pii.patterns import Entity
from stages.pii.rx import guarded
from stages.pii.segment import Segmenter
from stages.pii.tagger import tagger

__all__ = ["NameFinder", "load_lexicon"]

#: A role's institution as a label (受益人通知行：, 收款人开户行：): its character, then a colon.
_ZH_INSTITUTION_LABEL = guarded(r"[人户方][\u4e00-\u9fff]{1,3}[行社司所处部局院厅][:：]")
#: The words of a letter's closing wish before its object (顺颂商祺, 敬颂时祺, 顺祝商安).
_CLOSING_WISHES = frozenset("顺颂 敬颂 即颂 并颂 此颂 顺祝 敬祝 顺候 敬候".split())
#: The characters an amount in capital numerals is written with (人民币壹万柒仟叁佰捌拾陆元伍角整).
_AMOUNT_NUMERALS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
#: What ends a field's label: a colon, or a bracket opening a note (申请人（签名）：).
_LABEL_END = frozenset("：:（(")
#: Prepositions and adverbs that follow 应 ("shall": 应依契约, 应于十日内, 应予退还).
_MODAL_NEXT = frozenset("依按照于於在予向以将將即当當该該对對为為由")
#: What introduces a business's name (``Trading as: Sunny Scoops``, ``t/a Harbour Ices``).
_TRADING_AS = guarded(r"(?i:\btrading[ ]as|\bt/a)[:：]?[ ]*$")
#: A firm's legal form and a comma or a dash before words: they are the firm's place (``HEATING
#: LTD – Dublin North``, ``Golden Nut JSC, Dong Xoai``).
_AFTER_FIRM_FORM = guarded(
    r"\b(?:LTD|Ltd|LIMITED|Limited|LLC|PLC|plc|JSC|GmbH|Pty|Pte)\.?[ ]?[,–—][ ]$"
)
#: How often jieba's corpus counts a verb, an adjective or a modifier (满意, 高级) that a
#: three-character span starts with for the span to be no name.
_FREQUENT_WORD = 2000
#: How often jieba's corpus counts the word that the character before a span and its family
#: name make (对方, 现金) for the span, with an adverb or a noun after it, to be no name.
_WORD_BEFORE = 1000
#: How often jieba's corpus counts a place (荷兰, 2,333) for a preposition before it to be one.
_FREQUENT_PLACE = 1000
#: How often jieba's corpus counts the word that a span's last character and the character
#: after it make (代收同事: 同事) for the span, after a verb, to be no name.
_WORD_PAST = 1000
#: Adverbs that may follow a family-name character (对方曾要求: "once asked"), and jieba's tags
#: of nouns (红利/nz).
_ADVERB_GIVEN = frozenset("曾将已也都又再还就才均亦仍")
#: Characters of a position or a time that end a phrase (商议后, 会议中), and how often jieba's
#: corpus counts the word before them (商议, 1,729) or a verb (提出, 22,139) for a span that
#: holds them to be no name (given names such as 建成, 6,215, are verbs too).
_LOCATIVES = frozenset("后前时中上下里内外间")
#: Pronouns after which 曾 is "once" (本人曾亲身, 他曾表示), no family name.
_PRONOUNS = ("我", "本人", "他", "她", "其", "您", "你", "我们", "他们")
_FREQUENT_VERB = 10_000
#: How often jieba's corpus counts a word that a family name read only after a cue starts (宾客,
#: 435; 阿姨, 276) for it to be no name (阿莲, 12, is one).
_CUED_WORD_FREQ = 200
_NOUN_TAGS = frozenset(("n", "nz", "vn"))
#: jieba's tags of verbs and modifiers (满意/v, 高级/b).
_VERB_OR_MODIFIER = frozenset(("v", "vd", "vn", "b", "d"))
#: A cue word of a person's role (申请人, 申索人): a label, when it stands alone.
_ZH_CUE_WORD = guarded(rf"(?:{cues.PREFIX_CUES})")
#: What ends a form's field right after a span: a line's end, a tab, a wide or a double space,
#: or a note in brackets.
_FIELD_FILLED = guarded(r"\n|$|\t|\u3000|[ ]{2}|[（(]")
#: Punctuation, a quotation mark, a space or a line's end right after a span.
_FIELD_END_AFTER = guarded(r"[\s，。、；：,.;:'\"“”‘’）)]|$")
_LATIN_LETTER = guarded(f"[{UPPER}{LOWER}]")


#: A point of the compass that ends a place's name at the end of a line (``Symonds Yat East``).
_COMPASS_END = guarded(r"[ ](?:East|West|North|South)[ ]*(?:\n|$)")


def _firm_elsewhere(text: str, span: str, at: int) -> bool:
    """Whether the words ``span`` name a firm or a place at another place of ``text``: its
    legal form or its head word follows them (a chat's speaker ``Baltic Brew`` after the
    header's ``Baltic Brew Distribution OÜ``), a Chinese company's words follow (``附言"云帆
    研发中心"`` after ``杭州云帆信息技术有限公司``), or a point of the compass ends a line after
    them (``Symonds Yat East``), or an article stands before them (``The Agatha Quiztie
    captain``: a team's or a firm's name; no person's)."""
    cjk = CJK_RUN.fullmatch(span) is not None
    k = text.find(span)
    while k >= 0:
        end = k + len(span)
        if not cjk and text[max(0, k - 4) : k] in ("the ", "The "):
            return True
        if k != at and (
            (_ZH_COMPANY_AFTER.match(text, end) is not None)
            if cjk
            else (names_an_organisation(text, k, end) or _COMPASS_END.match(text, end) is not None)
        ):
            return True
        k = text.find(span, k + 1)
    return False


class NameFinder(ChineseCuedNames):
    """Finds person names; call ``setup()`` once (loads jieba) before ``find``."""

    def __init__(self) -> None:
        lex = load_lexicon()
        self._single = lex["zh_single"]
        self._compound = lex["zh_compound"]
        self._given = lex["zh_given"]
        self._en_given = lex["en_given"]
        self._pinyin = lex["pinyin_surnames"]
        self._en_surnames = lex["en_surnames"]
        surnames = "".join(sorted(self._single - CUED_SURNAMES))  # the tagger's candidates
        #: first names of every country: one word after a greeting (Hi Kamal,), and evidence of
        #: people in a headerless table column
        self._world_given = lex["world_given"] | self._en_given
        #: given names and surnames of every country: the known word a name after a label or
        #: a cue needs (never a name on its own)
        self._known_en = self._world_given | self._en_surnames | lex["world_surnames"]
        self._en = EnglishNames(self._en_given, self._en_surnames, self._pinyin, self._known_en)
        #: the known words and the pinyin family names (a relation in brackets after a name)
        self._known_cued = self._known_en | self._pinyin
        #: given names that are no ordinary word (Data, Will): with a foreign family name, a name
        self._plain_given = plain_given(lex["world_given"], self._en_given - EN_AMBIGUOUS_GIVEN)
        self._zh_candidate = guarded(
            "(?:" + "|".join(sorted(self._compound)) + f"|[{surnames}])(?=[\u4e00-\u9fff])"
        )
        self._jieba: Any = None
        self._posseg: Any = None
        self._segment: Any = None
        self._word_tags: dict[str, str] = {}
        self._freq: dict[str, int] = {}

    def setup(self) -> None:
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        self._jieba = jieba
        # jieba's tagger with a faster Viterbi search (same tags; stages/pii/tagger.py)
        self._posseg = tagger(jieba.posseg.dt)
        # the two over short windows, the same words and tags (stages/pii/segment.py)
        self._segment = Segmenter(jieba.dt, jieba.posseg.dt.word_tag_tab, self._posseg.search)
        self._word_tags = jieba.posseg.dt.word_tag_tab
        self._freq = jieba.dt.FREQ
        self._stats = ZhNameStats(
            self._word_tags,
            self._freq,
            self._single - TRANSLITERATED_SURNAMES,
            self._given,
            _ZH_STOP,
        )

    # ----------------------------------------------------------------- English

    def find(self, text: str, cjk: bool, skip: Sequence[tuple[int, int]] = ()) -> list[Entity]:
        """Names in ``text``; ``cjk`` says whether it holds Chinese characters at all; Chinese
        names are not looked for inside the ``skip`` spans (addresses found before)."""
        out: list[Entity] = []
        if cjk:
            if self._jieba is None:
                self.setup()
            cued = cues.find_zh_cued(text, self._surname_len)
            out += cued
            # settled spans (strong cues, addresses; their roads are no people) are not tagged
            self._find_zh(text, out, [*skip, *((e.start, e.end) for e in cued)])
        # the English rules find nothing without a Latin letter, most of them nothing without
        # a capitalised word
        latin = has_latin(text)
        capitalised = latin and has_capitalised(text)
        if capitalised:
            self._en.find(text, out)
            self._en.find_pinyin_order(text, out)
            out += find_en_cued(text, self._en_given, EN_NOT_NAME, self._known_cued)
        if latin:
            out += find_context_names(text, self._world_given, self._known_en, EN_NOT_NAME)
        if capitalised:
            out += find_role_names(text, self._known_en, EN_NOT_NAME)
            out += find_attendees(text, self._known_en, EN_NOT_NAME)
            out += find_who_names(text, self._known_en, EN_NOT_NAME)
        out += find_keyed_names(text, self._zh_bounded, EN_NOT_NAME)
        if "@" in text and latin:
            self._en.find_by_email(text, out)
            out += display_names(text, EN_NOT_NAME)
        if cjk and (":" in text or "：" in text):
            out += find_speakers(
                text, self._surname_len, self._given_ok, self._is_common_word, _ZH_PARTICLES
            )
        out += column_names(text, cjk, self._zh_bounded, EN_NOT_NAME)
        if latin:
            out += find_addressees(text, skip, self._known_cued, EN_NOT_NAME)
        # a strong cue bounds its name on the left: 持卡人管丽丽 (管 is no function word there)
        # and any cue, when the field's end bounds the name on the right (记分员管兵、)
        cued_starts = (
            {e.start for e in cued if cues.after_strong_cue(text, e.start)}
            | {e.start for e in out if cues.cued_in_field(text, e.start, e.end)}
            if cjk
            else set()
        )
        # many rules find the same name: each is tested once (``_resolve`` keeps one anyway)
        found = [
            e for e in dict.fromkeys(out) if not self._not_a_name(text, e, e.start in cued_starts)
        ]
        if cjk:
            found += [e for e in self._zh_partners(text, found) if not self._not_a_name(text, e)]
        if cjk and latin and ("（" in text or "(" in text):
            found += find_renderings(text, found, self._known_cued, EN_NOT_NAME)
        if " and " in text or ", " in text or " & " in text:
            more = coordinated_names(text, found, EN_NOT_NAME)
            found += [e for e in more if not self._not_a_name(text, e)]
        # after the lists: a list's other items are not read from a name in prose (places)
        if capitalised:
            prose = find_in_prose(text, self._known_cued, EN_NOT_NAME, self._plain_given)
            found += [
                e
                for e in prose
                if not _firm_elsewhere(text, text[e.start : e.end], e.start)
                and not _AFTER_FIRM_FORM.search(text, max(0, e.start - 12), e.start)
            ]
        return found

    def _fills_person_field(self, text: str, e: Entity, span: str) -> bool:
        """Whether the Chinese ``span`` of two or three characters, a family name first, is all
        a person's field holds: a cue and a colon before it (代理人：, 会员签字：, 财务：), the
        field's end after it (a line's end, a tab, a wide space, a note in brackets; not a
        comma: ``客户：方便，明天再来`` is what a caller said), and no frequent word (明白, 同意)."""
        return (
            2 <= len(span) <= 3
            and text[e.start - 1 : e.start] in ("：", ":")
            and _FIELD_FILLED.match(text, e.end) is not None
            and self._freq.get(span, 0) < _FREQUENT_WORD
            and CJK_RUN.fullmatch(span) is not None
            and self._surname_len(span, 0) > 0
            and cues.cue_before(text, e.start)
        )

    def _not_a_name(self, text: str, e: Entity, cued: bool = False) -> bool:
        """A title on its own (经理); capitalised words that name a firm or a venue (``names_orgs``)
        or stop inside a word; an amount in capital numerals, a role's label before a colon, a
        brand before its product (康健一生重大疾病保险), a place before its numbered station; a
        Chinese span the dictionary holds as an ordinary word (马赛克,
        席梦思, 程序); or one that starts, inside a sentence, with a character that
        is far more often a function word than a family name (和, 都, 相, 曾: 妻子和两个孩子),
        unless a strong cue (``cued``) bounds it on the left (持卡人管丽丽)."""
        if ZH_TITLE.fullmatch(text, e.start, e.end):
            return True
        span = text[e.start : e.end]
        # a person's field filled with a name that is a word too (代理人：石英, 会员签字：高洁　)
        filled = self._fills_person_field(text, e, span)
        if (span in _ZH_THING_WORDS and not filled) or span[1:] in _ZH_SIDE_WORDS:
            return True  # 受益人申请书 (jieba tags 申请书 nr), 安卓; 须甲方: a contract's party
        if len(span) == 3 and span[0] in "左右" and self._is_common_word(span[1:]):
            return True  # 与左小腿内侧: a body's side and part (左 and 右 are family names too)
        if span[0] == "方" and text[max(0, e.start - 2) : e.start] in _ZH_ROLE_SIDES:
            return True  # 业主方项目秘书: a party's side (业主方), not 方 and a given name
        if span[-1] == "方" and len(span) == 3 and span[:-1] in CITY_NAMES:
            return True  # 桂林方：: a city's side of a meeting, not 桂 and a given name
        if len(span) == 3 and span[:2] in CITY_NAMES and span[2] not in self._given:
            return True  # 我是宁波仓的对接人: a city's depot (金华强 stays a name: 强 is given)
        if span[-1] in "路街" and _JUNCTION_AFTER.match(text, e.end):
            return True  # 雄楚大道与珞喻路交叉口: a road at a junction, not 喻 and a given name
        if (
            len(span) == 3
            and self._surname_len(span, 0) == 1
            and self._word_tags.get(span[:2]) in _VERB_OR_MODIFIER
            and (
                self._freq.get(span[:2], 0) >= _FREQUENT_WORD
                # 代收同事款项: a verb whose second character reads as no given name, and a
                # frequent word that goes on past the span (同事; 其子高欢大学毕业 is 高欢's)
                or (
                    span[1] not in self._given
                    and self._freq.get(text[e.end - 1 : e.end + 1], 0) >= _WORD_PAST
                )
            )
        ):
            # 高级调律师, 客户满意度: a frequent verb or modifier, not a name's start (夏天芳,
            # 高兴海 and 东方敏 are names: a season, an adjective, a compound family name)
            return True
        if span[0] in CUED_SURNAMES and (
            any(text[e.start : e.end + k] in self._word_tags for k in (1, 2, 3))
            or self._freq.get(span, 0) >= _CUED_WORD_FREQ
        ):
            # 阿尔及利亚, 海南岛: a word goes on past the span (阿 leads it, no name), or the span
            # is a frequent word (尊敬的宾客; 户名：阿莲 is a name)
            return True
        if (
            span[0] == "曾"
            and text[max(0, e.start - 2) : e.start].endswith(_PRONOUNS)
            and self._is_common_word(span[1:])
        ):
            # 本人曾亲身返回: "I once" and a word, not 曾 and a given name (本人曾禹彤，)
            return True
        if len(span) == 3 and (
            (span[2] in _LOCATIVES and self._freq.get(span[:2], 0) >= _WORD_BEFORE)
            or (
                self._word_tags.get(span[1:]) == "v"
                and (self._freq.get(span[1:], 0) >= _FREQUENT_VERB or span[0] == "须")
            )
        ):
            # 检测员商议后: a word and a time (后); 老板曾提出: "once" and a verb; 未成年人须佩戴:
            # "must" and a verb
            return True
        if len(span) == 3 and span[-1] in "县镇乡" and _NO_VERB_CHAR.match(text, e.end):
            return True  # 宿松县农业农村局, 张江镇人民调解委员会: a county's or a town's office
        if text[max(0, e.start - 2) : e.start] in _CLOSING_WISHES:
            return True  # 顺颂商祺: a letter's closing wish (商 is a family name too)
        if _AMOUNT_NUMERALS.issuperset(span):
            return True  # 捌拾陆元伍角: an amount in capital numerals (陆 and 伍 are family names)
        if (
            span[-1] == "人"
            and text[e.end : e.end + 1] in _LABEL_END
            and (span in self._word_tags or _ZH_CUE_WORD.fullmatch(span))
        ):
            # 当事人：\n申请人：朱楠: a role's label (jieba tags 申请人 nr; 申索人 is a cue of
            # its own), not a name
            return True
        if len(span) == 3 and _ZH_CUE_WORD.fullmatch(span):
            return True  # 涂装师核对后, | 涂装师 |: a role's word alone (涂 is a family name too)
        if span[-1] == "址" and text[e.end : e.end + 1] in _LABEL_END:
            return True  # 班址：, 厂址：: a site's label (址, "site"), no given name
        if len(span) == 2 and span[0] in "应應" and span[1] in _MODAL_NEXT:
            return True  # 退費應依契約, 应按规定: "shall" and a preposition, no name
        if span in CITY_NAMES and not (
            ZH_TITLE.match(text, e.end)
            or cues.strong_cue_before(text, e.start)
            or (cues.cue_before(text, e.start) and not _PLACE_UNIT_AFTER.match(text, e.end))
        ):
            # 《晚泊岳阳》: a city that starts with a family name; not 金华先生, 业主：安阳, 教练安阳的
            # (a cue before it, no place's unit after it)
            return True
        if _LATIN_LETTER.match(span[-1:]) and _LATIN_LETTER.match(text, e.end):
            return True  # it ends inside a word: Jon Sigurdsson Gmb|H
        if not CJK_RUN.match(span[-1:]) and (
            names_an_organisation(text, e.start, e.end) or names_a_place(text, e.start, e.end)
        ):
            return True  # Pacific Timber Trading Ltd, Summer Fields Festival; La Paz, in Hue
        if _AFTER_FIRM_FORM.search(text, max(0, e.start - 12), e.start):
            return True  # FLOWRIGHT PLUMBING LTD – Dublin North: the firm's place
        if _TRADING_AS.search(text, max(0, e.start - 16), e.start):
            return True  # Trading as: Sunny Scoops Mobile Ices: a business's name
        if " " in span and not CJK_RUN.match(span[-1:]) and _firm_elsewhere(text, span, e.start):
            return True  # [09:25] Baltic Brew: (Baltic Brew Distribution OÜ in the header)
        if not CJK_RUN.fullmatch(span):
            return False
        if len(span) == 2 and _firm_elsewhere(text, span, e.start):
            return True  # 附言"云帆研发中心": 杭州云帆信息技术有限公司's trade name
        if CJK_RUN.match(text, e.end) and any(
            self._word_tags.get(text[e.start : e.end + k]) == "ns"
            for k in (2, 3, 4)
            if e.end + k <= len(text)
        ):
            return True  # 乌兹别克斯坦: a place's name of four characters or more goes on past it
        if _THING_LABEL.search(text, max(0, e.start - 12), e.start):
            return True  # 产品名称：安盈稳健...: the field of a thing's name, a product's
        if _ZH_COMPANY_AFTER.match(text, e.end):
            return True  # 致：华信商务咨询有限公司: a company's trade name
        if _ZH_SOCIETY_AFTER.match(text, e.end) and (
            text[e.start - 1 : e.start] in ("《", "「", "“")
            or text[e.start - 2 : e.start] in CITY_NAMES
            or self._word_tags.get(text[e.start - 2 : e.start]) == "ns"
        ):
            return True  # 苏州兰韵昆曲票友社, 府城安平木雕工坊: a society's name after its city
        if not cued and _ZH_HALL_AFTER.match(text, e.end):
            return True  # 二号厅（明德厅）: a hall's or a building's name, not a person
        if not cued and _ZH_NUMBERED_SITE_AFTER.match(text, e.end):
            return True  # 浦东张江三站, 文化路二店: a place and its numbered station or shop
        if _ZH_PRODUCT_AFTER.match(text, e.end):
            return True  # | 康健一生重大疾病保险 |: an insurance product's brand, a cell to itself
        if _DOCUMENT_NUMBER.match(text, e.end):
            return True  # 武通〔2024〕217号: an office's abbreviation in a document's number
        if text.startswith("工作室", e.end) and span in self._word_tags:
            return True  # 苏绣工作室 (苏绣/nr, a craft); 王芳工作室 is a person's
        if (
            len(span) >= 2
            and not filled
            and self._is_common_word(span, allow_proper=("ns", "nz", "nt"))
            and not (
                self._rare_word_name(span, self._surname_len(span, 0))
                and cues.cue_before(text, e.start)
            )
        ):
            return True  # a word, unless a rare one right after a cue (户名许成: 许成/m, 5)
        office = self._word_tags.get(span) == "nt" or self._is_common_word(span[:-1])
        if span[-1] in _OFFICE_END and office:
            return True  # 自称公安局 (公安局/nt), 客户关系部: an institution, not a person
        if _ZH_INSTITUTION_LABEL.fullmatch(text, max(0, e.start - 1), e.end + 1):
            return True  # 受益人通知行：: a role's institution labels a field, no person
        if span[-1] in _PLACE_UNITS and (
            self._word_tags.get(span[:-1]) == "ns" or span[:-1] in _TAIWAN_PLACES
        ):
            return True  # 鹿港镇: a place (鹿港/ns) and its unit, not 鹿 and a given name
        if _VILLAGE_GROUP.fullmatch(span) and _GROUP_AFTER.match(text, e.end):
            return True  # 蔡家4组, 马家村: a village or its group
        if _PLACE_UNIT_AFTER.match(text, e.end):
            return True  # 为花明楼镇, 臺南市安平區: a place's name before its unit (not 县长)
        if (
            len(span) == 3
            and span[0] in _PREPOSITION_SURNAMES
            and self._word_tags.get(span[1:]) == "ns"
            and self._freq.get(span[1:], 0) >= _FREQUENT_PLACE
        ):
            # 我司向荷兰经销商: a preposition before a country (荷兰/ns, frequent), no family name;
            # 向桂兰 is one (桂兰/ns, 7)
            return True
        if (
            len(span) == 3
            and span[0] in _ADVERB_SURNAMES
            and self._word_tags.get(span[1:]) in ("n", "ns", "nt")
        ):
            return True  # 经球馆经理特批: "by" and a place's noun (球馆/n), no family name
        if (
            span[0] in _PREPOSITION_SURNAMES
            and len(span) == 3
            and self._is_common_word(span[1:])
            and self._freq.get(span[1:], 0) >= COMMON_NR_FREQ
            and not self._stats.reads_as_given(span[1:])
            and not _FIELD_END_AFTER.match(text, e.end)
        ):
            # 客户向平台申诉, 主管应每月, 持卡人向公安: a preposition and a frequent word, unless
            # the word reads as a given name (审计部向建平审核) or punctuation ends the field
            # (哥哥向建军，)
            return True
        if (
            not cued
            and e.start > 0
            and self._freq.get(text[e.start - 1 : e.start + 1], 0) >= _WORD_BEFORE
            and (
                (len(span) == 2 and span[1] in _ADVERB_GIVEN)
                or (len(span) == 3 and self._word_tags.get(span[1:]) in _NOUN_TAGS)
            )
            and not cues.cue_before(text, e.start)
        ):
            # 对方曾要求, 现金红利: the family name ends a frequent word (对方, 现金) and the rest
            # is an adverb (曾, "once") or a noun (红利); 工人马杨, 失主张兰英 stay names
            return True
        return (
            not cued
            and span[0] in _FUNCTION_SURNAMES
            and e.start > 0
            and CJK_RUN.match(text[e.start - 1]) is not None
        )
