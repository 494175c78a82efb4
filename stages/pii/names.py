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
from functools import cache
from pathlib import Path
from typing import Any

from stages.pii import names_cues as cues
from stages.pii.addresses import CITY_NAMES
from stages.pii.latin import LOWER, UPPER, has_capitalised, has_latin
from stages.pii.names_context import PLACE_PAIRS, find_context_names
from stages.pii.names_cues_en import find_en_cued
from stages.pii.names_en import EN_AMBIGUOUS_GIVEN, EN_NOT_NAME, EnglishNames
from stages.pii.names_keys import column_names, coordinated_names, display_names, find_keyed_names
from stages.pii.names_orgs import names_an_organisation
from stages.pii.names_roles import find_role_names
from stages.pii.names_vocab import (
    find_addressees,
    find_in_prose,
    find_renderings,
    find_who_names,
    plain_given,
)
from stages.pii.names_zh_cued import CJK_RUN, ZH_TITLE, ChineseCuedNames
from stages.pii.names_zh_stats import COMMON_NR_FREQ, ZhNameStats
from stages.pii.names_zh_words import CUED_SURNAMES
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

_DATA = Path(__file__).parent / "data"


def _words(name: str) -> list[str]:
    out: list[str] = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            out += line.split()
    return out


@cache
def load_lexicon() -> dict[str, frozenset[str]]:
    """The word lists under ``data/``: Chinese single and compound surnames, given-name
    characters, English given names and surnames, pinyin surnames."""
    zh = _words("surnames_zh.txt")
    return {
        "zh_single": frozenset(w for w in zh if len(w) == 1),
        "zh_compound": frozenset(w for w in zh if len(w) == 2),
        "zh_given": frozenset(w for w in _words("given_chars_zh.txt") if len(w) == 1),
        "en_given": frozenset(_words("given_names_en.txt") + _words("given_names_en_nd.txt")),
        "pinyin_surnames": frozenset(_words("surnames_pinyin.txt")),
        "en_surnames": frozenset(_words("surnames_en.txt") + _words("surnames_en_nd.txt")),
        "world_given": frozenset(_words("given_names_world_nd.txt")),
        "world_surnames": frozenset(_words("surnames_world_nd.txt")),
    }


#: A role's institution as a label (受益人通知行：, 收款人开户行：): its character, then a colon.
_ZH_INSTITUTION_LABEL = guarded(r"[人户方][\u4e00-\u9fff]{1,3}[行社司所处部局院厅][:：]")
#: The characters an amount in capital numerals is written with (人民币壹万柒仟叁佰捌拾陆元伍角整).
_AMOUNT_NUMERALS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
#: What ends a field's label: a colon, or a bracket opening a note (申请人（签名）：).
_LABEL_END = frozenset("：:（(")
#: Prepositions and adverbs that follow 应 ("shall": 应依契约, 应于十日内, 应予退还).
_MODAL_NEXT = frozenset("依按照于於在予向以将將即当當该該对對为為由")
#: What introduces a business's name (``Trading as: Sunny Scoops``, ``t/a Harbour Ices``).
_TRADING_AS = guarded(r"(?i:\btrading[ ]as|\bt/a)[:：]?[ ]*$")
#: How often jieba's corpus counts a verb, an adjective or a modifier (满意, 高级) that a
#: three-character span starts with for the span to be no name.
_FREQUENT_WORD = 2000
#: How often jieba's corpus counts the word that the character before a span and its family
#: name make (对方, 现金) for the span, with an adverb or a noun after it, to be no name.
_WORD_BEFORE = 1000
#: How often jieba's corpus counts the word that a span's last character and the character
#: after it make (代收同事: 同事) for the span, after a verb, to be no name.
_WORD_PAST = 1000
#: Adverbs that may follow a family-name character (对方曾要求: "once asked"), and jieba's tags
#: of nouns (红利/nz).
_ADVERB_GIVEN = frozenset("曾将已也都又再还就才均亦仍")
_NOUN_TAGS = frozenset(("n", "nz", "vn"))
#: jieba's tags of verbs and modifiers (满意/v, 高级/b).
_VERB_OR_MODIFIER = frozenset(("v", "vd", "vn", "b", "d"))
#: A cue word of a person's role (申请人, 申索人): a label, when it stands alone.
_ZH_CUE_WORD = guarded(rf"(?:{cues.PREFIX_CUES})")
#: Units a place's name ends in (鹿港镇, 王庄村).
_PLACE_UNITS = frozenset("镇乡村县市区")
#: Punctuation, a quotation mark, a space or a line's end right after a span.
_FIELD_END_AFTER = guarded(r"[\s，。、；：,.;:'\"“”‘’）)]|$")
#: A district's, a county's, a city's or a town's unit right after a span: the span names the
#: place (花明楼镇), unless the unit starts a title or a word (县长, 区域, 市场, 镇定).
_PLACE_UNIT_AFTER = guarded(
    r"区(?![长委域分别])|县(?![长委])|市(?![长委场民值面])|镇(?![长委定])|乡(?![长亲村下镇土情音])"
)
#: Taiwan's counties and cities (in simplified characters, as the names are read), some of
#: which jieba tags as people (花莲/nr): with their unit they are places (花莲县, 台东市).
_TAIWAN_PLACES = frozenset(
    "花莲 台东 屏东 宜兰 苗栗 南投 云林 嘉义 彰化 新竹 桃园 澎湖 金门 连江 基隆 台中 台南 高雄 台北 新北".split()
)
#: A family name and 家 before a number or a village's unit: a village (group), not a person.
_VILLAGE_GROUP = guarded(r"[\u4e00-\u9fff]{1,2}家")
_GROUP_AFTER = guarded(r"\d|[一二三四五六七八九十]+组|[村组屯湾庄坝]")
_LATIN_LETTER = guarded(f"[{UPPER}{LOWER}]")
#: A year in hexagonal brackets after an office's abbreviation (and a letter's kind: 函, 发, 办),
#: or a letter's kind and 字第: a document's number (银发〔2024〕12号, 武通〔2024〕217号,
#: 苏恒寿函〔2024〕第0378号, 京致衡律函字第216号).
_DOCUMENT_NUMBER = guarded(
    r"(?:[（(][\u4e00-\u9fff]{1,3}[）)])?"  # a sub-office in brackets: 杭公(西)立字〔2024〕10857号
    r"(?:[函发办]?[〔［\[]\d{4}[〕］\]]|[\u4e00-\u9fff]{0,2}字(?:第|[ ]?\d|[〔［\[]\d{4}))"
)
#: A label of a thing's name (a product's, a project's, a company's), whose field holds no
#: person's (账户名称 and 收款人名称 hold one).
_THING_LABEL = guarded(
    r"(?:产品|项目|公司|单位|企业|机构|商户|店铺|活动|基金|理财|网点|银行|品牌|系统|课程)名称[ ]?[：:][ \t]*$"
)
#: A hall, a chamber or a pavilion right after a span (明德厅, 怀仁堂): the span names it; not a
#: title (厅长, 馆长, 堂主) nor a word (厅里, 堂兄).
_ZH_HALL_AFTER = guarded(r"[厅堂馆殿阁](?![长主兄弟姐妹里内外])")
#: A station's, a shop's or an outlet's number after a place (张江三站, 望京二店, 科技园1号店),
#: or a shop named by its place (该公司张江门店; a bank's branch, 张江支行, is
#: ``_ZH_COMPANY_AFTER``'s).
_ZH_NUMBERED_SITE_AFTER = guarded(
    r"(?:[一二三四五六七八九十]{1,3}|\d{1,3}号?)(?:站|分站|店|分店|号店|网点)|门店|分店"
)
#: The rest of an insurance product's name, to the cell's or the line's end (康健一生重大疾病保险 |):
#: a brand, not a person (a person's policy is written 王芳的重大疾病保险, or after a label).
_ZH_PRODUCT_AFTER = guarded(
    r"[\u4e00-\u9fff]{0,6}?(?:重大疾病|终身寿|定期寿|两全|年金|医疗|意外伤害|护理)保险"
    r"(?:[（(][^）)\n]{1,12}[）)])?[ \t]*(?:[|｜\t\n]|$)"
)
#: The rest of a society's, a club's, a troupe's or a workshop's name (兰韵昆曲票友社), read after
#: a city, a place or an opening quotation mark (苏州兰韵昆曲票友社, 府城安平木雕工坊,
#: 《兰韵昆曲票友社章程》; not 会员王芳加入协会).
_ZH_SOCIETY_AFTER = guarded(
    r"[\u4e00-\u9fff]{0,6}?(?:票友社|研习社|曲社|诗社|剧社|协会|俱乐部|艺术团|剧团|合唱团|工坊|工作坊)"
)
#: A character that is no verb, preposition or particle: the run of a name that goes on.
_NO_VERB = (
    r"(?:(?![的在到往向于於去至从從把给給为為与與和及将將已由经經称稱说說是或等跟同找让讓请請])"
    r"[\u4e00-\u9fff])"
)
#: What follows a company's trade name in its run of characters, a branch's place (张江支行),
#: or a company's short name (乐宝外贸部).
_ZH_COMPANY_AFTER = guarded(
    r"(?:(?!的|名下)[\u4e00-\u9fff]){0,8}?(?:有限公司|有限责任公司|股份公司|集团|事务所|(?<!农)商行|"
    # a cooperative named by its place (寿光绿野蔬菜种植专业合作社, 桑园村股份经济合作社)
    r"经营部|經營部|门市部|門市部|合作社)"
    r"|支行|分行|营业部|(?:农村)?商业银行|教育中心|培训中心|培训学校|补习社|医务中心|诊所|"
    # a dental clinic's trade name (康华口腔门诊部)
    r"口腔(?:门诊|诊所|医院)|门诊部|"
    r"酒家|酒楼|饭店|餐厅|餐馆|茶楼|"
    # a branch's or a centre's name that runs on, with no verb or preposition between, to its
    # last word (盛京银行沈阳皇姑支行, 张江科技支行, 康颐养老服务中心, 明德文理短期補習班)
    rf"{_NO_VERB}{{0,6}}?(?:支行|分行|服务中心|服務中心|补习班|補習班)|"
    # a shop's place before 门店 (闵行莘庄门店; not 王芳门店经理, a name before the job)
    rf"{_NO_VERB}{{1,6}}?(?:门店|門店)|"
    # a company's department after its short name (「乐宝外贸部」, 乐宝五金外贸部)
    rf"{_NO_VERB}{{0,2}}?(?:外贸|外貿|财务|財務|销售|銷售|采购|採購|市场|市場|客服|人事|行政|"
    r"结算|結算|风控|風控|法务|法務|审计|審計)部"
)


#: A point of the compass that ends a place's name at the end of a line (``Symonds Yat East``).
_COMPASS_END = guarded(r"[ ](?:East|West|North|South)[ ]*(?:\n|$)")
#: What follows a road's name at a junction (珞喻路交叉口, 珞喻路口).
_JUNCTION_AFTER = guarded(r"交叉口|交汇处|路口|口")
#: A Chinese character that is no verb, preposition or particle (what follows a place's unit
#: in an office's name: 宿松县农业农村局; not 王小镇已到场).
_NO_VERB_CHAR = guarded(_NO_VERB)


def _firm_elsewhere(text: str, span: str, at: int) -> bool:
    """Whether the words ``span`` name a firm or a place at another place of ``text``: its
    legal form or its head word follows them (a chat's speaker ``Baltic Brew`` after the
    header's ``Baltic Brew Distribution OÜ``), a Chinese company's words follow (``附言"云帆
    研发中心"`` after ``杭州云帆信息技术有限公司``), or a point of the compass ends a line after
    them (``Symonds Yat East``)."""
    cjk = CJK_RUN.fullmatch(span) is not None
    k = text.find(span)
    while k >= 0:
        end = k + len(span)
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
        self._stats = ZhNameStats(self._word_tags, self._freq, self._single, self._given, _ZH_STOP)

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
            out += find_who_names(text, self._known_en, EN_NOT_NAME)
        out += find_keyed_names(text, self._zh_bounded, EN_NOT_NAME)
        if "@" in text and latin:
            self._en.find_by_email(text, out)
            out += display_names(text, EN_NOT_NAME)
        if cjk and (":" in text or "：" in text):
            out += cues.find_speakers(
                text, self._surname_len, self._given_ok, self._is_common_word, _ZH_PARTICLES
            )
        out += column_names(text, cjk, self._zh_bounded, EN_NOT_NAME)
        if latin:
            out += find_addressees(text, skip, self._known_cued, EN_NOT_NAME)
        # a strong cue bounds its name on the left: 持卡人管丽丽 (管 is no function word there)
        cued_starts = {e.start for e in cued if cues.after_strong_cue(text, e.start)} if cjk else ()
        found = [e for e in out if not self._not_a_name(text, e, e.start in cued_starts)]
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
            found += [e for e in prose if not _firm_elsewhere(text, text[e.start : e.end], e.start)]
        return found

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
        if span in _ZH_THING_WORDS or span[1:] in _ZH_SIDE_WORDS:
            return True  # 受益人申请书 (jieba tags 申请书 nr), 安卓; 须甲方: a contract's party
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
        if span[0] in CUED_SURNAMES and any(
            text[e.start : e.end + k] in self._word_tags for k in (1, 2, 3)
        ):
            return True  # 阿尔及利亚, 海南岛: a word goes on past the span (阿 leads it, no name)
        if len(span) == 3 and span[-1] in "县镇乡" and _NO_VERB_CHAR.match(text, e.end):
            return True  # 宿松县农业农村局, 张江镇人民调解委员会: a county's or a town's office
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
        if span[-1] == "址" and text[e.end : e.end + 1] in _LABEL_END:
            return True  # 班址：, 厂址：: a site's label (址, "site"), no given name
        if len(span) == 2 and span[0] in "应應" and span[1] in _MODAL_NEXT:
            return True  # 退費應依契約, 应按规定: "shall" and a preposition, no name
        if span in CITY_NAMES and not (
            ZH_TITLE.match(text, e.end) or cues.strong_cue_before(text, e.start)
        ):
            return True  # 《晚泊岳阳》: a city that starts with a family name (not 金华先生)
        if _LATIN_LETTER.match(span[-1:]) and _LATIN_LETTER.match(text, e.end):
            return True  # it ends inside a word: Jon Sigurdsson Gmb|H
        if not CJK_RUN.match(span[-1:]) and (
            names_an_organisation(text, e.start, e.end) or span in PLACE_PAIRS
        ):
            return True  # Pacific Timber Trading Ltd, Summer Fields Festival; La Paz
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
