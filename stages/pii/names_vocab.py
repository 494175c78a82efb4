"""Names that no name list holds, told from ordinary capitalised words.

The name lists (``data/*_nd.txt``) hold the frequent names of each country; a cue that says a
name follows (``I'm``, ``Signed,``, ``英文名``, a Chinese name's Latin rendering in brackets)
is often followed by one they do not hold (``Sadan Jaabir``, ``Blessing Ogunleye``). Such words
are accepted when none of them is written in lower case in ordinary English
(``data/english_words.txt.gz``, from ``scripts/build_pii_word_list.py``) unless a name list holds
it too: ``Grace Ekwueme`` (Grace is a listed given name), not ``Salary Advance`` or ``Valuer
Report``; only the last may be a rarer dictionary word (``Vrinda Barad``).
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from stages.pii.latin import IRISH_ONTO, IRISH_PARTICLES, LOWER, NAME_PARTICLES, NAME_WORD, UPPER
from stages.pii.names_context import PLACE_PAIRS, after_place_preposition, names_a_place
from stages.pii.names_orgs import names_an_organisation
from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = [
    "english_words",
    "find_addressees",
    "find_in_prose",
    "find_renderings",
    "find_who_names",
    "load_lexicon",
    "plain_given",
    "unlisted_name",
]

_DATA = Path(__file__).parent / "data"
_WORD = guarded(NAME_WORD)
#: A Chinese name's Latin rendering in brackets right after it (``毛龙（Aasim Maalik）``).
_RENDERING = guarded(rf"[（(](?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{1,2}})[）)]")
#: Two or three name words inside a sentence: after a lower-case word or a comma, or a quote's
#: or a sentence's end and a dash (``"..." - A B``), before a lower-case word, punctuation, a
#: closing quote, a table's bar, the line's end or a column gap and a form's next label
#: (``Customer acceptance: A B    Date: 20 August``).
#: The lower-case particles of family names (Levi van Ooyen, John de Courcey, Mateus da Mata).
_PARTICLES = r"(?:van der|van den|van de|van|von der|von|de la|de los|de|da|di|du|del|della|dos|das|do|ter|ten|bin|binti|ibn|al|el|le|la|Ó|Ní|Nic|Uí)"
#: The Irish particles, capitalised and accented (Seosamh Ó Flaithimhín, Máire Ní Bhriain).
_IRISH = frozenset(IRISH_PARTICLES)
_IN_PROSE = guarded(
    rf"(?:(?<=[{LOWER},;:][ ])|(?<=[\"”.!?][ ][-–—][ ]))"
    rf"(?P<name>{NAME_WORD}(?:(?:[ ]{_PARTICLES})?[ ]{NAME_WORD}){{1,2}})"
    r"(?=[ ](?:[a-z(]|$)|[,.;:!?)\"”]|$|\n|[ ]\|"
    r"|(?:[ ]{2,}|\t)[A-Z][A-Za-z]*(?:[ ][A-Za-z]+){0,2}:)"
)
#: Days and months as dates abbreviate them (``Thu Oct 3``), also given names (Thu, May).
_CALENDAR = frozenset(
    "Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
#: Letters after a name that end its line on a letterhead (``Tiina Rohtla MPTA``, ``Janja
#: Galešić Dip WCF``, ``FRICS, MCIArb``): each with two capitals or a diploma's word; not a
#: firm's legal form (``LTD``, ``GmbH``).
_POSTNOMINALS = (
    r"(?![ ](?:LTD|Ltd|LLC|PLC|Plc|LLP|INC|Inc|CORP|GmbH|GMBH|AG|SA|SAS|SRL|SpA|BV|NV|AB|AS|ASA|OY"
    r"|Oy|OYJ|KG|CIC|LP|PTE|PTY|Pty|BHD|Bhd|JSC|UK|USA|EU|CO|Co)\b)"
    r"(?:[ ](?:Dip|Cert|Hons|\(Hons\)|[A-Z][A-Za-z]{0,6}[A-Z][A-Za-z]{0,3}),?)+[ ]*(?=\n|$)"
)
#: The same letters on their own, after a name found.
_LETTERS_AFTER = guarded(_POSTNOMINALS)
#: Two name words that no capitalised word follows (a longer name or a firm goes on), or
#: that only post-nominal letters follow to the line's end.
_LONE_PAIR = guarded(
    rf"(?<![\w.])(?P<name>{NAME_WORD}(?:[ ](?:{IRISH_ONTO}))?[ ]{NAME_WORD})"
    rf"(?:(?={_POSTNOMINALS})|(?![ ]?(?:{NAME_WORD}|[{UPPER}]{{2}}))(?!\w))"
)
_CJK = guarded(r"[\u4e00-\u9fff]")
#: Two or three name words inside Chinese text (``我想汇款给我阿姨 Shawana Simba``), or after it
#: before an English clause's verb (``预计10月8日到港，A B will add``).
_IN_CJK = guarded(
    rf"(?<=[\u4e00-\u9fff，：])[ ]?(?P<name>{NAME_WORD}(?:(?:[ ]{_PARTICLES})?[ ]{NAME_WORD}){{1,2}})"
    r"(?=[ ]?(?:[\u4e00-\u9fff，。、；：！？（]|$|\n)|[ ](?:will|would|has|had|is|was|said)\b)"
)
#: First words of place names (North Dakota, West Indies, New Guinea, Lake Tahoe, San Jose),
#: never the first of a name in prose.
_PLACE_FIRST = frozenset(
    """North South East West Northern Southern Eastern Western Central New Upper Lower Great
    Little Old Saint St Fort Port Mount Mt Lake Cape San Santa Santo Los Las El Puerto Rio
    Isla Isle Glen""".split()
)
#: Last words of a venue's or a house's name that are family names too (``Wrenfield Hall``,
#: ``Ashby Park``): in prose without a cue, a name only after a word a name list holds.
_VENUE_WORDS = frozenset(
    """Hall Park Hill Church House Lodge Court Green Field Fields Wood Woods Brook Bridge Cross
    Gate Castle Tower Heath Grange Mill Mills Farm Abbey Meadow Meadows Rise Dale""".split()
)
#: A line of two or three name words alone (the addressee above a postal address).
_NAME_LINE = guarded(
    rf"[ \t]*(?P<name>{NAME_WORD}(?:[ ](?:{_PARTICLES}[ ])?(?:'t[ ])?{NAME_WORD}){{1,2}})[ \t]*"
)


@cache
def english_words() -> tuple[frozenset[str], frozenset[str]]:
    """English words that people write in lower case (``data/english_words.txt.gz``): the
    common ones (a public corpus's), and the dictionary's others (rare ones among them)."""
    with gzip.open(_DATA / "english_words.txt.gz", "rt", encoding="utf-8") as fh:
        common, _, rare = fh.read().partition("\n\n")
    return frozenset(common.split()), frozenset(rare.split())


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


def unlisted_name(
    words: list[str],
    known: frozenset[str],
    not_name: frozenset[str],
    strict: bool = False,
    rare_last_only: bool = True,
) -> bool:
    """Whether two or three capitalised ``words`` after a name's cue make a person's name: each
    is a capitalised name word, none is one of ``not_name`` (Bank, Street, Regards), and each
    is a given name or surname of ``known`` or no common English word; a dictionary's rarer
    word may stand last only (``Vrinda Barad``, not ``Tuition Remittance``). ``strict``: a common
    word is no name's even when a list holds it (``New Zealand``, ``West Indies``);
    ``rare_last_only=False``: a rarer word may stand anywhere (a letter's addressee line,
    ``Vedika Ratta``). An Irish surname's particle is passed over (``Ó Ceothánaigh``)."""
    words = [w for w in words if w not in _IRISH]
    if not 2 <= len(words) <= 3 or max(len(w) for w in words) < 3:
        return False
    common, rare = english_words()
    for k, word in enumerate(words):
        if not _WORD.fullmatch(word) or word in not_name:
            return False
        parts = [p.casefold() for p in word.replace("'", "-").split("-")]
        parts += [p[:-1] for p in parts if p.endswith("s")]  # Studios: studio
        if word in known and not (strict and any(p in common for p in parts)):
            continue
        if any(p in common for p in parts):
            return False
        if rare_last_only and any(p in rare for p in parts) and k != len(words) - 1:
            return False
    return True


def find_renderings(
    text: str, found: Sequence[Entity], known: frozenset[str], not_name: frozenset[str]
) -> list[Entity]:
    """The Latin rendering in brackets right after a Chinese name found before
    (``学生：毛龙（Aasim Maalik）``), when its words are known names or no English words."""
    out: list[Entity] = []
    for e in found:
        if e.end < len(text) and text[e.end] in "（(" and _CJK.match(text, e.end - 1):
            m = _RENDERING.match(text, e.end)
            if m and unlisted_name(m.group("name").split(" "), known, not_name):
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    return out


#: Two or three name words right before an address, after which ``of`` or a table's cell
#: separator stands (``Reksa Palastri of No. 349 ...``, ``| Jarwi Widodo | Mayerstrasse 660``).
_OWNER_BEFORE = guarded(
    rf"(?:(?<=[\s(|])|^)(?P<name>{NAME_WORD}(?:[ ](?:{_PARTICLES}[ ])?{NAME_WORD}){{1,2}})"
    r"(?:[ ]of[ ]|[ ]*\|[ ]*)$"
)
#: How far before an address its owner's name may start.
_OWNER_REACH = 64


def find_addressees(
    text: str,
    addresses: Sequence[tuple[int, int]],
    known: frozenset[str],
    not_name: frozenset[str],
) -> list[Entity]:
    """The addressee of a postal block: a line of two or three name words (particles between:
    ``Sam van Zwaben``, ``Max van 't Riet``) right above a line that an address starts
    (``Raakin Saajid\nUnit 911 Granada Suites ...``), when its words are known names or no
    common English words (``Account Statement`` above it is no one; a dictionary's rarer word
    may stand anywhere: ``Vedika Ratta``). The same words right before an address after
    ``of`` (a deed's party or guarantor: ``Reksa Palastri of No. 349 Ren Street``) or in the
    table cell before the address's (``| Jarwi Widodo | Mayerstrasse 660, 1735 Luzern``)."""
    out: list[Entity] = []
    for start, _ in addresses:
        before = _OWNER_BEFORE.search(text, max(0, start - _OWNER_REACH), start)
        if before is not None:
            words = [w for w in before.group("name").split(" ") if w[0].isupper()]
            if unlisted_name(words, known, not_name) and not names_an_organisation(
                text, before.start("name"), before.end("name")
            ):
                out.append(Entity(before.start("name"), before.end("name"), "NAME"))
            continue
        if start < 2 or text[start - 1] != "\n":
            continue
        name = _name_line_above(text, start, known, not_name)
        if name is None:
            # the addressee's farm or firm on the line between (``Luke Akoaa\nAshgrove
            # Smallholding\n08094 Brett Parkways``): the line above that
            line_start = text.rfind("\n", 0, start - 1) + 1
            firm = text[line_start : start - 1].split(" ")
            if line_start >= 2 and any(w in not_name for w in firm):
                name = _name_line_above(text, line_start, known, not_name)
        if name is not None:
            out.append(name)
    return out


def _name_line_above(
    text: str, start: int, known: frozenset[str], not_name: frozenset[str]
) -> Entity | None:
    """The name alone on the line that ends right before ``start`` (a line's start), if its
    words are known names or no common English words."""
    if start < 2 or text[start - 1] != "\n":
        return None
    line_start = text.rfind("\n", 0, start - 1) + 1
    m = _NAME_LINE.fullmatch(text, line_start, start - 1)
    if m is None:
        return None
    words = [w for w in m.group("name").split(" ") if w[0].isupper()]  # no particles
    if not unlisted_name(words, known, not_name, rare_last_only=False):
        return None
    return Entity(m.start("name"), m.end("name"), "NAME")


def find_in_prose(
    text: str, known: frozenset[str], not_name: frozenset[str], given: frozenset[str] = frozenset()
) -> list[Entity]:
    """Two or three capitalised words inside an English sentence or in Chinese text, without a
    cue, that pass ``unlisted_name`` strictly (``... before Adaeze Okonkwo stopped me``), the
    first not a place name's (``North Dakota``), nor, before a venue's last word, one that no
    name list holds (``Wrenfield Hall``); places and firms whose words are English are
    left alone (``Lagos Island``, ``Harbour Logistics``), those whose words are not are not
    (``Dhaka Gulshan``)."""
    out: list[Entity] = []
    for m in _LONE_PAIR.finditer(text):
        # anywhere (a table's cell, a list's item, a greeting): a given name no English word
        # is, before a family name no English word list holds (Kyllikki Kokkonen)
        words = [w for w in m.group("name").split(" ") if w not in _IRISH]
        if len(words) < 2:
            continue  # Mac Mini: a particle's word and one more
        end = m.end("name") - 2 * words[1].endswith("'s")  # Silvio Levi's: the name ends before 's
        # before a profession's letters, words no list holds (A B BVSc MRCVS) are a name too
        lettered = _LETTERS_AFTER.match(text, end) is not None
        if (
            (
                _foreign_name(words, given, _opens_sentence(text, m.start("name")))
                or (lettered and unlisted_name(words, known, not_name, strict=True))
            )
            and not_name.isdisjoint(words)
            and " ".join(words[:2]) not in PLACE_PAIRS  # São Paulo
            and not names_a_place(text, m.start("name"), end)  # in Thanh Hoa
            and not names_an_organisation(text, m.start("name"), end)
        ):
            out.append(Entity(m.start("name"), end, "NAME"))
    # a longer name at the same place (Gustavo Henrique das Neves over Gustavo Henrique) wins
    reach: dict[int, int] = {}  # the furthest end of a name found at each start
    for e in out:
        reach[e.start] = max(e.end, reach.get(e.start, -1))
    matches = [
        m for m in _IN_PROSE.finditer(text) if reach.get(m.start("name"), -1) < m.end("name")
    ]
    if _CJK.search(text):
        matches += _IN_CJK.finditer(text)
    for m in matches:
        name = m.group("name")
        # the particles aside, the name words pass the lists (John de Courcey: John Courcey)
        words = [w for w in name.split(" ") if not w.islower() and w not in _IRISH]
        if (
            words[0] in _PLACE_FIRST
            or (words[-1] in _VENUE_WORDS and words[0] not in known)  # Wrenfield Hall
            or "'" in name  # It's, Parkinson's
            # a field near Ampney Crucis, dried in Thanh Hoa, broken at Laem Chabang: a place
            or after_place_preposition(text, m.start("name"))
            or any(" ".join(words[k : k + 2]) in PLACE_PAIRS for k in range(len(words) - 1))
        ):
            continue
        # with no cue, a dictionary's rarer word is a place's or a firm's too (Millbrook
        # Hospice, the Scottish Highlands), unless a name list holds it
        if any(w not in known and _rare_word(w) for w in words):
            continue
        if (
            unlisted_name(words, known, not_name, strict=True)
            or (
                _foreign_name(words, given, _opens_sentence(text, m.start("name")))
                and not_name.isdisjoint(words)
            )
        ) and not names_an_organisation(text, m.start("name"), m.end("name")):
            out = [e for e in out if e.start != m.start("name")]
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    return out


def plain_given(world: frozenset[str], english: frozenset[str]) -> frozenset[str]:
    """The given names of ``world`` that are no common English word (not Data, Love), and
    those of ``english`` (given names that are ordinary words, Will and May, already left
    out: Jane is kept)."""
    common = english_words()[0]
    return frozenset(n for n in world if n.casefold() not in common) | english


def _opens_sentence(text: str, start: int) -> bool:
    """Whether ``start`` opens the text or a sentence (after a full stop, a question or an
    exclamation mark, a quotation mark or a brace), where any word is capitalised, or goes on
    from a capitalised word (``Tsim Sha Tsui``: a longer proper name)."""
    before = text[max(0, start - 40) : start].rstrip(" ")
    if start > 0 and text[start - 1] == " " and _CAPITALISED_END.search(before):
        return True
    return not before or before[-1] in _SENTENCE_ENDS


#: A capitalised word at a text's end.
_CAPITALISED_END = guarded(rf"(?<![\w.-])[{UPPER}][{LOWER}]+$")


#: A surname's particles (de, van, von).
_PARTICLE_WORDS = frozenset(NAME_PARTICLES.split("|"))
#: What a capitalised word after opens a sentence.
_SENTENCE_ENDS = frozenset('.!?"{')


def _foreign_name(words: list[str], given: frozenset[str], opens_sentence: bool = False) -> bool:
    """A given name of ``given`` (which may also be an English word: Lia, Jane) before a
    family name that no English word list holds (``Lia Schöberl``, ``Jane Dương``); or any
    listed given name, an English word too, before a listed family name that no English word
    list holds (``Thor Bakken``, ``Odd Karlsen``: both words a name list's), not where a
    sentence opens (``Even John said``) nor on a particle (``Von Neumann``)."""
    if len(words) != 2 or words[0] in _PLACE_FIRST:
        return False
    if words[0] not in given:
        if opens_sentence or words[0].casefold() in _PARTICLE_WORDS:
            return False
        lexicon = load_lexicon()
        if words[0] not in lexicon["world_given"] or words[1] not in lexicon["world_surnames"]:
            return False
    if words[0] == "My":
        return False  # a possessive before a capitalised word (My Israeli number), not Mỹ
    if not _CALENDAR.isdisjoint(words):
        return False  # Thu Oct: a date's day and month
    common, rare = english_words()
    last = words[1].casefold()
    return len(last) >= 3 and last not in common and last not in rare


def _rare_word(word: str) -> bool:
    folded = word.casefold()
    rare = english_words()[1]
    return folded in rare or (folded.endswith("s") and folded[:-1] in rare)


#: Who a person is to someone, in an apposition after the name (``A B, the client's
#: brother, joined``; ``A B, her son,``).
_KIN = (
    "brother|sister|son|daughter|wife|husband|mother|father|partner|spouse|fiancée?|fiancee?|"
    "uncle|aunt|nephew|niece|cousin|grandson|granddaughter|grandmother|grandfather|"
    "son-in-law|daughter-in-law|carer|guardian|friend|neighbou?r|colleague|widow|widower"
)
#: A name that a relative clause about a person follows (``..., Deputy Head of Mission A B,
#: who called back``) or an apposition of kin (``A B, the client's brother,``); the words of
#: a title before it are dropped (``_TITLE_WORDS``).
_KIN_AFTER = rf",[ ](?:the|his|her|their|my|our|your)[ ](?:[a-z]+['’]s[ ])?(?:{_KIN}),"
_WHO = guarded(rf"(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{1,3}})(?:,[ ]who\b|{_KIN_AFTER})")
#: What follows every name of ``_WHO`` but a relative clause's, looked for first (the name
#: is tried at every capital letter).
_KIN_APPOSITION = guarded(_KIN_AFTER)
#: A name that ``and I`` and a verb follow (``when A B and I moved``): people, not a firm.
_AND_I = guarded(rf"(?<![\w.])(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{1,2}})[ ]and[ ]I[ ](?=[a-z])")
#: Capitalised words of a title or an office that run into the name after them.
_TITLE_WORDS = frozenset(
    "Mission Embassy Consulate Deputy Ambassador Consul Attaché Attache Minister Secretary "
    "Councillor Counsellor Mayor Governor Senator Judge Justice Chief Head Vice".split()
)


def find_who_names(text: str, known: frozenset[str], not_name: frozenset[str]) -> list[Entity]:
    """Names before ``, who`` or an apposition of kin (``, the client's brother,``): two
    words or more once a title's words are dropped, none of ``not_name`` nor a possessive,
    each of ``known`` or no common English word (a rare one may be: Amoke), so that
    ``Standard Chartered, who`` is no person; and names before ``and I`` and a verb."""
    out: list[Entity] = []
    common = english_words()[0]
    for m in _AND_I.finditer(text) if " and I " in text else ():
        # the grammar says people: the first word known or no common English word, the
        # others any but ``not_name`` (``A B and I``, not ``Head Office and I``)
        words = m.group("name").split(" ")
        if (words[0] in known or words[0].casefold() not in common) and not any(
            w in not_name or w.endswith(("'s", "’s")) for w in words
        ):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    if ", who" not in text and _KIN_APPOSITION.search(text) is None:
        return out
    for m in _WHO.finditer(text):
        words = m.group("name").split(" ")
        while words and (words[0] in _TITLE_WORDS or words[0] in not_name):
            words.pop(0)
        if len(words) >= 2 and all(
            w not in not_name
            and not w.endswith(("'s", "’s"))
            and (w in known or w.casefold() not in common)
            for w in words
        ):
            name = " ".join(words)
            out.append(Entity(m.end("name") - len(name), m.end("name"), "NAME"))
    return out
