"""Postal addresses of any country that their label or lead-in marks, whatever their format.

The format rules (``addresses_en``, ``addresses_eu``, ``addresses_world`` ...) know a street
word, a postcode or a house number's place per country; the formats of the next country are
always missing. Where the text itself says that an address follows, the shape of the rest of
the line is enough:
- an address label: a label whose last word is ``address`` (``Home address:``, ``Last known
  address:``, ``Mailing address / 通讯地址：``), ``the address we hold,``, a property that a
  participle qualifies (``Property to be mortgaged:``, ``Premises charged:``), ``residing at``,
  ``domiciled at``, ``lives at``;
- a person's label and name, then a comma or a new line and the address to the line's end
  (``Drawee: A B, Calle 5 N° 3229, Rosario 2000, Santa Fe``; a letter's ``Debtor: A B`` and
  the address on the next line).
What follows must look like an address: it starts with a capital or a digit, holds a number
and two words of letters, is not mostly digits (an account or a phone), holds no e-mail, link
or Chinese characters (``addresses.py`` reads those), does not open with a job title (``Store
Manager, MCR-017``, ``Head of Finance, +1 ...``: a signature's), and after a name it holds a
comma. It ends at the line's end, a column gap, a semicolon, a sentence's full stop (after a word of
three letters or more and before a sentence: ``Ap. 9``, ``Diag. J.B. Alberdi`` go on) or a comma before a sentence word
(``, who``).
"""

from __future__ import annotations

import re

from stages.pii.latin import NAME_WORD
from stages.pii.names_orgs import names_an_organisation
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts
from stages.pii.rx import guarded

__all__ = ["find_labelled_addresses"]

_LEAD = guarded(
    r"(?:\b(?i:address|addr\.|domicile|residence)"
    r"(?:[ ]?\([^)\n]{1,20}\))?(?:[ ]/[ ][^\n:：/,]{1,12})?[ \t]*[:：][ \t]*"
    r"|\b(?i:address)(?:(?:[ ][a-z]+){1,4},[ ]"
    # what an address was changed to or confirmed as (``update of address to``,
    # ``correspondence address confirmed as``, ``new address is``)
    r"|(?:[ ][a-z]+){0,2}[ ](?:to|as|is)[ ])"
    r"|\b(?i:property|premises)(?:[ ]to[ ]be|[ ]being)?[ ][a-z]+ed[ ]?[:：][ \t]*"
    r"|\b(?:residing|resident|domiciled|living|lives|located|situated)[ ](?:at|in)[ ]+)"
)
#: A piece of every lead's word, looked for first (the pattern costs several times more).
_LEAD_WORDS = (
    *("ddress", "DDRESS", "ddr.", "omicile", "OMICILE", "esiden", "ESIDEN", "esiding"),
    *("roperty", "ROPERTY", "remises", "REMISES", "living", "lives", "located", "situated"),
)
#: A key of a ``key : value`` export (``residential_addr   :``, ``home_address:``).
_ADDRESS_KEY = guarded(r"[a-z]_(?i:addr|address)[ \t]*[:：][ \t]*")
#: A deed's maker and where they live (``I, A B, of``).
_MAKER_OF = guarded(rf"(?:^|(?<=[\s(]))I,[ ]{NAME_WORD}(?:[ ]{NAME_WORD}){{1,3}},[ ]of[ ]")
#: ``Label: First Last, `` at a line's start: the rest of the line may be the person's address.
_NAME_COMMA = guarded(
    rf"^[^\n:：]{{1,40}}[:：][ \t]*(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{1,3}})(?:,[ ]|[ \t]*\n)"
    # the name a person trades under may stand between (``A B, trading as X Imports, ``)
    r"(?:(?:trading[ ]as|t/a|d/b/a|doing[ ]business[ ]as)[ ][^,\n]{2,50},[ ])?",
    re.MULTILINE,
)
#: A chat's line that asks for an address (``请提供新地址``, ``your new address please``) and
#: the next line, a speaker's reply: the reply may be the address.
#: A letter's or an e-mail's closing: the signature block's lines below it (up to a blank
#: line, four at most) may hold the sender's address.
_CLOSING = guarded(
    r"^[ \t]*(?i:best|best regards|kind regards|regards|sincerely|yours sincerely|"
    r"yours faithfully|many thanks|thanks|cheers)[ ]*,?[ \t]*\n",
    re.MULTILINE,
)
_SIGNATURE_LINES = 4
#: A piece of each closing, looked for first.
_CLOSING_WORDS = ("est", "EST", "egards", "EGARDS", "incerely", "aithfully", "hanks", "heers")
_REPLY = guarded(r"^[ \t]*[A-Za-z\u4e00-\u9fff]{1,20}[ ]?[:：][ \t]*", re.MULTILINE)
_ASKS_ADDRESS = guarded(r"地址|(?i:address)")
_BODY = guarded(r"[^\n]{6,160}")
#: Where an address ends inside its line.
_STOP = guarded(
    r"[ ]{2,}(?=[^\n]*:)|\t|[ ]\|[ ]|;[ ]|"
    # a full stop that ends a sentence: after a word (not ``Ap.``, ``Cl.``) or a postcode, before
    # the line's end, a bracket or a sentence's first words (``Diag. J.B. Alberdi`` goes on)
    r"(?:(?<=[a-z]{3})|(?<=[A-Z0-9]{2}))\.(?=$|\n|[ ]+(?:[\[(]|[A-Z][a-z]*[ ][a-z]))|"
    r"(?<=\d)\.[ ]|[ ](?=(?:and|who|which|but|since|because|where|whose|when|while|with|for|"
    r"from|last|until|today|yesterday|please)\b)|"
    r",[ ](?=(?:who|which|that|and|holds?|has|had|is|was|were|with|since|from|for|as|to|in|on|"
    r"the|at|until|but|please|tel|phone|mobile|e-?mail|appoints?|hereby|declares?|authori[sz]es?|"
    r"requests?|confirms?|agrees?|grants?)\b)"
)
_DIGIT = guarded(r"\d")
_WORD = guarded(r"[^\W\d_]{2,}")
#: Never in an address: an e-mail, a link, Chinese characters, a label's colon, an amount, a date
#: (a circa year too).
_FORBIDDEN = guarded(
    r"@|https?:|www\.|[\u4e00-\u9fff]|[:：]|\d[.,]\d\d\b(?![.,]?\d)"
    # a date (``Liang Chen, Branch Manager, 25/06/2024``: who reviewed, and when)
    r"|(?<!\d)\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])"
    # or a date in words (``Chingford, 26 July to 2 August 2025``: a camp's place and dates)
    r"|\b\d{1,2}[ ](?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)[ ](?:\d{4}|to\b)"
    # or a year about which an object was made (``Grand Orrery, London, c. 1785``)
    r"|(?<![\w.])c\.[ ]?\d{4}\b"
)
#: A sentence's words: more than three lower-case words is prose, not an address (``ulica``,
#: ``de``, ``slov. kmečkih uporov`` are).
_LOWER_WORD = guarded(r"(?<![^\s,])[a-z][a-z]{2,}\b")
#: The last words of job titles: a signature's title line before its office or desk code
#: (``Store Manager, MCR-017``, ``Disputes Analyst, PayPoint Merchant Services``) is no address.
_JOB_WORDS = frozenset(
    """Manager Analyst Officer Director Assistant Clerk Treasurer Secretary Adviser Advisor
    Executive Coordinator Supervisor Specialist Lead Consultant Engineer Accountant Administrator
    Agent Representative Associate Chair Chairman Chairperson President Controller Auditor
    Inspector Underwriter Cashier Teller Handler Investigator""".split()
)

#: A job title that names its department after ``of`` (``Head of Finance, +1 868 ...``).
_JOB_OF = guarded(r"(?:Head|Director|Chief|Vice[ ]President|VP|Manager)[ ]of[ ]")


def _address_in(text: str, start: int, need_comma: bool, words: int = 2) -> Entity | None:
    m = _BODY.match(text, start)
    if m is None:
        return None
    body = m.group()
    cut = _STOP.search(body)
    if cut is not None:
        body = body[: cut.start()]
    body = body.rstrip(" ,.")
    letters = sum(c.isalpha() for c in body)
    digits = sum(c.isdigit() for c in body)
    ok = (
        len(body) >= 8
        and (body[0].isupper() or body[0].isdigit())
        and _DIGIT.search(body) is not None
        and len(_WORD.findall(body)) >= words
        and digits <= letters
        and _FORBIDDEN.search(body) is None
        and (not need_comma or "," in body)
        and len(_LOWER_WORD.findall(body)) <= 3
        and body.partition(",")[0].rpartition(" ")[2] not in _JOB_WORDS
        and _JOB_OF.match(body) is None
    )
    return Entity(start, start + len(body), "ADDRESS") if ok else None


def _an_organisation(text: str, start: int, end: int) -> bool:
    """Whether the words ``text[start:end]``, or their first ones (before a legal form: Zenith
    Bank Plc), name an organisation (``names_orgs``)."""
    cuts = [start + k for k, ch in enumerate(text[start:end]) if ch == " "] + [end]
    return any(names_an_organisation(text, start, cut) for cut in cuts)


def _first_part(text: str, a: Entity) -> int:
    """Where the first part of ``a`` ends: at its first comma or bracket (``Ashworth Colts
    Junior Football Club (affiliated ...``: a club's name, no street)."""
    cuts = (text.find(",", a.start, a.end), text.find(" (", a.start, a.end))
    return min((k for k in cuts if k > 0), default=a.end)


def find_labelled_addresses(text: str) -> list[Entity]:
    """Addresses after an address label or lead-in, and after a labelled name and a comma."""
    out: list[Entity] = []
    leads = any(w in text for w in _LEAD_WORDS)
    colon = ":" in text or "：" in text
    for rx, need_comma, present in (
        (_LEAD, False, leads),
        (_MAKER_OF, False, "I, " in text),
        (_ADDRESS_KEY, False, "_addr" in text or "_ADDR" in text),
        (_NAME_COMMA, True, colon),
    ):
        if not present:
            continue
        for m in at_line_starts(rx, text):  # a pattern not led by ``^``: scanned whole
            if rx is _NAME_COMMA and _an_organisation(text, m.start("name"), m.end("name")):
                continue  # Remitting bank: Zenith Bank Plc, Lagos: a bank's town, no one's home
            a = _address_in(text, m.end(), need_comma)
            if a is not None and not _an_organisation(text, a.start, _first_part(text, a)):
                out.append(a)
    if "\n" in text and any(w in text for w in _CLOSING_WORDS):
        for m in at_line_starts(_CLOSING, text):
            pos = m.end()
            for _ in range(_SIGNATURE_LINES):
                end = text.find("\n", pos)
                end = len(text) if end < 0 else end
                if end == pos:
                    break  # a blank line ends the signature
                a = _address_in(text[:end], pos, need_comma=True)
                if a is not None:
                    out.append(a)
                pos = end + 1
    if colon and ("地址" in text or "ddress" in text):
        for m in at_line_starts(_REPLY, text):
            # the line before asks for an address
            before = text[text.rfind("\n", 0, max(0, m.start() - 1)) + 1 : m.start()]
            if _ASKS_ADDRESS.search(before):
                # a reply is short: three words and a number (``Ok, 10 minutes`` is none)
                a = _address_in(text, m.end(), need_comma=True, words=3)
                if a is not None:
                    out.append(a)
    return out
