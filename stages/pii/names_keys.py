"""Person names that a document's structure labels, in any language, without a cue phrase.

A value is a name when the key, element or column that holds it names a person and the value
has a name's shape (two to four name words, or a Chinese family name and a given name):
- an XML element (``<Nm>``, ``<FullName>``), a JSON or Python key (``"fullName":``,
  ``"customer_name":``), an HTML form field (``name="cust_name" value="..."``), a line's
  ``key: value`` or ``key = value`` (YAML, INI, vCard ``FN:``);
- an SQL ``INSERT INTO t (cols) VALUES (...)``: the value at the place of a name column;
- a table's cells under a column headed Name, Holder, 姓名, 联系人 or a Chinese role ending in
  人 (来访人, 经办人): a whole cell of two to four capitalised words, or a Chinese name;
- a role noun at the start of a line and a name without a colon (``Guarantor A B,``,
  ``Principal A B prefers``); the line after ``Bill to`` / ``Ship to`` / ``Attn``.
A key names a person when one of its words (split at ``_``, ``-``, ``.`` and camel case) is
a name word (``name``, ``nm``, ``fn``, ``fullname``, ``surname`` ...) or a person's role
(``holder``, ``payee``, ``remitter`` ...), and none names a thing (``bank_name``,
``file_name``, ``product_name``, ``company_nm``). Family names in capitals (``YANG Li``,
``WANG, Xiuying``) and particles (``Ó``, ``de``, ``van``) are a name's words too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from stages.pii.latin import IRISH_PARTICLE, NAME_PARTICLES, NAME_WORD, L, U
from stages.pii.names_en import EN_JOB_HEADS, vetoed
from stages.pii.names_orgs import names_a_company, names_an_organisation
from stages.pii.names_person import JOB_WORDS
from stages.pii.names_vocab import english_words
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, lines_with, on_lines
from stages.pii.rx import fold, folded, guarded
from stages.pii.tables import column_cells

__all__ = ["column_names", "coordinated_names", "display_names", "find_keyed_names"]

#: A name word, a family name in capitals (YANG), a particle (Ó, de, van, bin).
_WORD = (
    rf"(?:{NAME_WORD}|{U}{{2,}}"
    r"|(?:Ó|Ní|Nic|Mac|de|da|das|dos|del|della|di|du|van|von|der|den|ter|bin|binti|al|el))"
)
_FIRST = rf"(?:{NAME_WORD}|{U}{{2,}})"
#: Two to four name words (particles inside), or ``FAMILY, Given`` (a passport's order).
_PERSON = guarded(rf"{_FIRST}(?:[ ]{_WORD}){{0,2}}[ ]{_FIRST}|{_FIRST},[ ]{NAME_WORD}")
_ZH_PERSON = guarded(r"[\u4e00-\u9fff]{2,4}")

#: Words of a key that name a person's name.
_NAME_KEYS = frozenset(
    "name nm nme fn fullname surname forename firstname lastname givenname familyname "
    "姓名 户名 戶名 名字".split()
)
#: Words of a key that name a person's role.
_ROLE_KEYS = frozenset(
    "holder cardholder payee payer beneficiary remitter debtor creditor applicant customer "
    "client guarantor owner contact cust borrower tenant landlord spouse sender from".split()
)
#: Words of a key that name a thing, not a person (bank_name, file_name).
_THING_KEYS = frozenset(
    "bank company co corp org organisation organization branch product file host merchant "
    "app device field shop store brand street city country domain server table db schema "
    "service plan institution inst fi employer school project event type tag username login "
    "dept department team group role title job item sku".split()
)
_CAMEL = guarded(r"(?<=[a-z])(?=[A-Z])|[_\-.\s]+")

_XML = guarded(r"<(?P<key>[A-Za-z][\w:.-]{0,40})(?:[ ][^<>\n]*)?>(?P<val>[^<>\n]{2,60})</(?P=key)>")
_QUOTED = guarded(
    r"(?P<q>[\"'])(?P<key>[^\"'\n]{1,40})(?P=q)[ \t]*[:=][ \t]*(?P<q2>[\"'])(?P<val>[^\"'\n]{2,60})(?P=q2)"
)
#: An unquoted key and a quoted value inside a line, as logs print them
#: (``psu.displayName="A B"``, ``owner='A B'``).
_KEY_VALUE = guarded(
    r"(?<![\w.\"'])(?P<key>[A-Za-z][\w.]{0,40})[ ]?[:=][ ]?(?P<q>[\"'])(?P<val>[^\"'\n]{2,60})(?P=q)"
)
#: What every match of ``_QUOTED`` and ``_KEY_VALUE`` holds, on its one line: a colon or an
#: equals sign before a quoted value.
_QUOTED_VALUE = guarded(r"[:=][ \t]*[\"']")
_LOGGED_NAME = guarded(rf"{NAME_WORD}(?:[ ]{NAME_WORD}){{1,2}}|[\u4e00-\u9fff]{{2,4}}")
_FORM = guarded(r"name=\"(?P<key>[^\"\n]{1,40})\"[^<>\n]*?value=\"(?P<val>[^\"\n]{2,60})\"")
_LINE = guarded(
    r"(?m)^[ \t-]*(?P<key>[A-Za-z][\w.-]{0,40}|[\u4e00-\u9fff]{2,6})[ \t]*[:=：](?!//)[ \t]*"
    r"[\"']?(?P<val>[^\"'\n]{2,60}?)[\"']?[ \t]*$"
)
#: A two-column table's row of a key and its value (``| Name | A B |``, ``| 姓名 | 王芳 |``).
_TABLE_ROW = guarded(
    r"(?m)^[ \t]*[|｜][ \t]*(?P<key>[A-Za-z][\w .-]{0,40}?|[\u4e00-\u9fff]{2,6})[ \t]*[|｜]"
    r"[ \t]*(?P<val>[^|｜\n]{2,60}?)[ \t]*[|｜][ \t]*$"
)
_INSERT = guarded(
    r"(?is)insert[ \t]+into[ \t]+[\w.`\"]+[ \t]*\((?P<cols>[^()]{1,600})\)[ \t\n]*values[ \t\n]*"
)
_SQL_TUPLE = guarded(r"\((?P<vals>(?:[^()'\n]|'[^'\n]*')*)\)")
_SQL_VALUE = guarded(r"'([^'\n]*)'|([^,'\s][^,]*)")
#: The comma between two row tuples of one INSERT.
_SQL_NEXT = guarded(r"[ \t]*,[ \t\n]*")
#: A role noun at a line's start, then a name that a comma, a bracket, a lower-case word or
#: the line's end closes.
_ROLE_LINE = guarded(
    r"(?m)^[ \t]*(?:The[ ])?(?i:principal|guarantor|beneficiary|settlor|trustee|seller|buyer|"
    r"landlord|tenant|borrower|co-borrower|applicant|cardholder|payee|payer|remitter|requester|"
    r"claimant|executor|witness|member|student|employee|spouse|deceased|account holder)s?[ ]"
    rf"(?P<name>{_PERSON.pattern})(?=[ ]?[,;(]|[ ]*$|[ ][a-z])"
)
_ADDRESSEE = guarded(
    r"(?im)^[ \t]*(?:bill(?:ed)? to|ship to|sold to|deliver to|attn\.?|attention)[ \t]*:?[ \t]*\n"
    r"[ \t]*(?P<name>[^\n]{3,60}?)[ \t]*$"
)


def _person_key(key: str) -> bool:
    words = [w.lower() for w in _CAMEL.split(key.strip()) if w]
    if not words or any(w in _THING_KEYS for w in words):
        return False
    if any(w in _NAME_KEYS or w in _ROLE_KEYS for w in words):
        return True
    joined = "".join(words)
    if re.search(r"[\u4e00-\u9fff]", joined):
        return any(k in joined for k in ("姓名", "户名", "戶名")) or joined.endswith("人")
    return joined in _NAME_KEYS or joined.endswith(("name", "nm"))


def find_keyed_names(
    text: str, zh_name: Callable[[str], bool], not_name: frozenset[str]
) -> list[Entity]:
    """Names whose key, element, column or role line labels them; ``zh_name`` says whether
    a run of Chinese characters is a name, ``not_name`` holds words no name has."""
    out: list[Entity] = []

    def value(start: int, raw: str) -> None:
        val = raw.strip()
        if not val:
            return
        s = start + raw.index(val)
        if _ZH_PERSON.fullmatch(val):
            if zh_name(val):
                out.append(Entity(s, s + len(val), "NAME"))
        elif (
            _PERSON.fullmatch(val)
            and not any(w.strip(",").title() in not_name for w in val.split(" "))
            and not any(names_a_company(val, k) for k, c in enumerate(val) if c == " ")
        ):
            out.append(Entity(s, s + len(val), "NAME"))

    if "</" in text:
        for m in _XML.finditer(text):
            if _person_key(m.group("key").split(":")[-1]):
                value(m.start("val"), m.group("val"))
    if '"' in text or "'" in text:
        quoted = lines_with(_QUOTED_VALUE, text)  # the lines _QUOTED and _KEY_VALUE can match
        for rx in (_QUOTED, _FORM, _KEY_VALUE):
            for m in rx.finditer(text) if rx is _FORM else on_lines(rx, text, quoted):
                # inside a log's line, two or three capitalised words only (not a control's
                # name='PCM Front Playback Volume')
                if _person_key(m.group("key")) and (
                    rx is not _KEY_VALUE or _LOGGED_NAME.fullmatch(m.group("val"))
                ):
                    value(m.start("val"), m.group("val"))
    for m in _LINE.finditer(text):
        if _person_key(m.group("key")):
            value(m.start("val"), m.group("val"))
    for m in _TABLE_ROW.finditer(text) if "|" in text or "｜" in text else ():
        if _person_key(m.group("key")):
            value(m.start("val"), m.group("val"))
    low = folded(text)
    if "insert" in low:
        _sql_names(text, value)
    for m in at_line_starts(_ROLE_LINE, text):
        name = m.group("name")
        if not any(w.strip(",").title() in not_name for w in name.split(" ")):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    if " to" in low or "attn" in low or "attention" in low:
        for m in at_line_starts(_ADDRESSEE, text):
            value(m.start("name"), m.group("name"))
    return out


def _sql_names(text: str, value: Callable[[int, str], None]) -> None:
    """The values of an INSERT's name columns, in each row tuple after ``VALUES``."""
    for m in _INSERT.finditer(text):
        cols = [c.strip(' \t\n`"[]') for c in m.group("cols").split(",")]
        keyed = {i for i, c in enumerate(cols) if _person_key(c)}
        if not keyed:
            continue
        pos = m.end()
        while True:
            t = _SQL_TUPLE.match(text, pos)
            if t is None:
                break
            for i, v in enumerate(_SQL_VALUE.finditer(t.group("vals"))):
                if i in keyed and v.group(1) is not None:
                    value(t.start("vals") + v.start(1), v.group(1))
            rest = _SQL_NEXT.match(text, t.end())
            if rest is None:
                break
            pos = rest.end()


#: A name right after another one, joined by ``and``, ``&`` or a comma (``the sellers, A B
#: and C D``), or right before one (``C D and A B``).
_AFTER = guarded(
    # the first one's role in brackets may stand between (A B (client) and C D (waller, ...))
    r"(?:[ ]\([a-z][a-z -]{0,20}\)(?=[ ](?:and|&)[ ]))?"
    rf"(?:,[ ]|[ ](?:and|&)[ ])(?P<name>{_PERSON.pattern})(?=[ ]?[,.;:)|\n]|[ ](?:and|&|[a-z(])|$)"
)
#: (A table's cell may hold the pair: ``| A B and C D |``; a sentence may open with it: ``(dogs
#: lame). Handlers C D and A B``.)
_BEFORE = guarded(
    rf"(?:^|(?<=[,:;(|.!?][ ])|(?<=\n))(?P<name>{_PERSON.pattern})(?:[ ](?:and|&)[ ])$"
)


#: Words that open a job's title (Senior Investigator, Deputy Head, Acting Director, Master
#: Tuner).
_RANKS = frozenset(
    "Senior Junior Chief Deputy Vice Acting Interim Principal Associate Assistant Executive "
    "Head Lead Master".split()
)


def _plural_noun(word: str) -> bool:
    """Whether ``word`` is an English noun's plural that people write in lower case
    (``Handlers``, ``Owners``): a role before a name, not a name's first word."""
    low = word.lower()
    return low.endswith("s") and low[:-1] in english_words()[0]


#: The lower-case word right after a span.
_NEXT_LOWER = guarded(r"[ ]([a-z]+)\b")


def coordinated_names(text: str, names: list[Entity], not_name: frozenset[str]) -> list[Entity]:
    """Names joined to a found Latin-script name by ``and``, ``&`` or a comma: a list of people
    holds people (``A B and C D``, ``C D and A B``); a word no name has vetoes one."""
    out: list[Entity] = []
    seen = {(e.start, e.end) for e in names}
    todo = [e for e in names if e.type == "NAME"]
    while todo:
        e = todo.pop()
        if not _PERSON.fullmatch(text, e.start, e.end):
            continue
        found = []
        m = _AFTER.match(text, e.end)
        # after a comma, an item with a comma of its own is two items, no FAMILY, Given
        # (``Ting Wang, Lagos, Nigeria``: a town and its country)
        if m and not (text.startswith(",", e.end) and "," in m.group("name")):
            found.append((m.start("name"), m.end("name")))
        head = text[max(0, e.start - 70) : e.start]
        b = _BEFORE.search(head)
        if b:
            off = e.start - len(head)
            found.append((off + b.start("name"), off + b.end("name")))
        for s, t in found:
            words = [w.strip(",") for w in text[s:t].split(" ")]
            if len(words) >= 3 and _plural_noun(words[0]):
                s += len(words[0]) + 1  # the people's role before the name (Handlers A B and)
                words = words[1:]
            # a job's words make the item the person's title (A B, Collections Supervisor), so
            # does a rank before any job (A B, Senior Investigator)
            # a job in lower case after the words makes them its employer's (SGS Bangkok surveyor)
            job = _NEXT_LOWER.match(text, t)
            if (
                (s, t) in seen
                or words[0] in _RANKS
                or names_an_organisation(text, s, t)  # A B, Crystal Chisel Ice Sculpture
                or any(w.title() in not_name or w in JOB_WORDS for w in words)
                or (job is not None and job.group(1).title() in EN_JOB_HEADS)
            ):
                continue
            seen.add((s, t))
            new = Entity(s, t, "NAME")
            out.append(new)
            todo.append(new)
    return out


#: Two to four name words right before an e-mail address in brackets or after a comma: a
#: mailbox's display name (``A B <a.b@x.org>``, ``A B (a.b@x.org)``, ``A B, a.b@x.org``).
_DISPLAY_NAME = guarded(
    rf"(?<![\w.-])(?P<name>{_PERSON.pattern})(?:[ ]?[<(]|,[ ])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
#: The same name in brackets right after its address (``a.b@x.org（A B）``, ``a.b@x.org (A B)``).
_NAME_AFTER_MAIL = guarded(
    rf"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+[ ]?[（(](?P<name>{_PERSON.pattern})[）)]"
)


_AT = guarded("@")


def display_names(text: str, not_name: frozenset[str]) -> list[Entity]:
    """The display names of e-mail addresses; a word no name has vetoes one."""
    out: list[Entity] = []
    lines = lines_with(_AT, text)  # a match lies on one line, with its @
    for m in (*on_lines(_DISPLAY_NAME, text, lines), *on_lines(_NAME_AFTER_MAIL, text, lines)):
        name = m.group("name")
        words = [w.strip(",") for w in name.split(" ")]
        if not vetoed(words, not_name, title=True) and not any(
            names_a_company(name, k) for k, c in enumerate(name) if c == " "
        ):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    return out


#: Table column headers whose cells are people's names.
_HEADER_WORDS = (
    "name holder payee payer beneficiary applicant borrower customer contact remitter musician "
    "member employee staff student participant attendee winner player volunteer tenant resident "
    "worker driver patient passenger guest claimant investor shareholder donor sponsor "
    # who did what in an audit log or an approval list (``timestamp,actor,event``)
    "actor signer approver requester reviewer owner recipient sender teller buyer purchaser "
    # who a returned letter or parcel was for
    "addressee consignee depositor signatory signatories "
    # whom a firm bills or pays (``| Client | Plan | Amount |``, ``| Crew 船员 | Position |``)
    "client crew "
    # who handled a line of a site's log (``| Pitch holder | ... | Warden | Status |``)
    "warden "
    # whom a club or a school refunds or writes to for a junior (``Parent/guardian  Group``)
    "parent guardian"
).split()
_ZH_HEADER_WORDS = (
    "姓名 户名 联系人 持卡人 借款人 收款人 付款人 申请人 客户 交易对方 学生 学员 员工 职工 "
    "船员 农户 业主 租户 住户 车主 家长 会员 股东"
).split()
#: The English words in lower case, searched in folded text (``rx.fold``): the same places as
#: a case-insensitive pattern of them, which would try every character, at a fraction of its
#: cost (``tests/stages/pii/test_prefilters.py`` holds that pattern as the reference).
_HEADER_FOLDED = guarded("|".join(_HEADER_WORDS))


def _has_name_header(text: str) -> bool:
    """Whether ``text`` holds a header word (an English one in any case)."""
    return _HEADER_FOLDED.search(folded(text)) is not None or any(
        w in text for w in _ZH_HEADER_WORDS
    )


#: A Chinese header that ends in 人 (来访人, 经办人, 委托人) names its people too.
_PERSON_HEADER = guarded(r"(?<=[\u4e00-\u9fff])人(?=[ \t]*(?:[|｜\t;\n]|$))")
_ZH_OR_PERSON_HEADER = guarded(f"{'|'.join(_ZH_HEADER_WORDS)}|{_PERSON_HEADER.pattern}")


def _is_name_header(cell: str) -> bool:
    """Whether a table's cell holds a header word (an English one in any case) or ends in a
    Chinese 人 header."""
    return (
        _HEADER_FOLDED.search(fold(cell)) is not None
        or _ZH_OR_PERSON_HEADER.search(cell) is not None
    )


#: (Particles may stand before the last word: Lucía de la Fuente; an Irish surname's particle
#: goes with its surname: Bartley Mac an Aba; two spaces may part the words of a name typed so
#: in a table aligned with spaces, whose cells under a header are joined.)
_CELL_NAME = (
    rf"{U}{L}+(?:['-]{U}?{L}+|-{U}\.)?(?:[ ]{{1,2}}(?:(?:{NAME_PARTICLES})[ ]){{0,2}}"
    rf"(?:{IRISH_PARTICLE}[ ][hnt]?)?"
    rf"{U}{L}+(?:['-]{U}?{L}+)?){{1,3}}"
)
_EN_CELL = guarded(_CELL_NAME)
#: Two people in one cell (``| A B and C D |``, a joint donation).
_EN_PAIR_CELL = guarded(rf"(?P<a>{_CELL_NAME})[ ](?:and|&)[ ](?P<b>{_CELL_NAME})")
_ZH_CELL = guarded(r"[\u4e00-\u9fff]{2,4}")


def column_names(
    text: str, cjk: bool, zh_name: Callable[[str], bool], not_name: frozenset[str]
) -> list[Entity]:
    """Cells of a table column headed Name, Holder, 姓名, 联系人 ...: a whole cell of two to
    four capitalised words (particles between) none of ``not_name``, or two such names joined
    by ``and`` (a joint gift), or a cell ``zh_name`` takes for a Chinese name; ``cjk``:
    whether the text holds Chinese characters (the 人 headers)."""
    out: list[Entity] = []
    if not (_has_name_header(text) or (cjk and _PERSON_HEADER.search(text))):
        return out
    for s, e in column_cells(text, _is_name_header):
        cell = text[s:e]
        pair = _EN_PAIR_CELL.fullmatch(cell)
        for a, b in ((m.start(k), m.end(k)) for m in (pair,) if m for k in ("a", "b")):
            if not any(w in not_name for w in text[s + a : s + b].split(" ") if w[:1].isupper()):
                out.append(Entity(s + a, s + b, "NAME"))
        if pair is None and _EN_CELL.fullmatch(cell):
            if not vetoed([w for w in cell.split(" ") if w[:1].isupper()], not_name):
                out.append(Entity(s, e, "NAME"))
        elif _ZH_CELL.fullmatch(cell) and zh_name(cell):
            out.append(Entity(s, e, "NAME"))
    return out
