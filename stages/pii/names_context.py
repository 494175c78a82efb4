"""English person names that the shape of the text points at, without a known given name.

Names of every culture (Thai, Arabic, South Asian, African) are too many for any list, so
these rules let the text decide where a list cannot:
- a role noun right before two or three capitalised words that a sentence goes on after
  (``the beneficiary Prima Chaihirankarn of payment``, ``Customer Yaqeen Ghazzal confirmed``);
- two words inside a sentence, a lower-case word before them and the sentence going on
  after, the first a first name of some country and the second a known surname (``set by
  Kumiko Suzuki in the app``, ``acting for his late mother, Meriem Mansour)``);
- a greeting that ends at punctuation (``Hi Wayne Burgess,``; one word when it is a first
  name of some country: ``Hi Kamal,``);
- the party lines of a SWIFT message: the line after ``:50K:`` (ordering customer) or
  ``:59:`` (beneficiary) and its account line;
- a column of a table without a header (a register pasted as text, not under a rule line):
  whole cells of two to four capitalised words, the column's first cell among them and at
  least half of its cells, no two alike (a category repeats), one word of them a first name
  of some country (names-dataset) or a known surname.
Words that cannot be in a name (``EN_NOT_NAME``: Bank, Street, Account ...) veto a span.
"""

from __future__ import annotations

import re

from stages.pii.latin import NAME_WORD
from stages.pii.patterns import Entity
from stages.pii.rx import folded, guarded

__all__ = ["PLACE_PAIRS", "after_place_preposition", "find_context_names", "names_a_place"]

_ROLE = guarded(
    r"\b(?i:customer|client|borrower|co-borrower|applicant|cardholder|beneficiary|guarantor|"
    r"payee|payer|remitter|debtor|claimant|insured|policyholder|employee|account holder|"
    r"depositor|tenant|visitor|spoke with|spoke to|application of|on behalf of)[ ,]+"
    rf"(?P<name>{NAME_WORD}[ ]{NAME_WORD}(?:[ ]{NAME_WORD})?)"
    # the sentence goes on: a lower-case word, a bracket or punctuation
    r"(?=[ ](?:[a-z(]|$)|[,.;:)]|$)"
)
#: A word of each role cue, to skip ``_ROLE`` on texts that hold none.
_ROLE_WORDS = (
    "customer client borrower applicant cardholder beneficiary guarantor payee payer remitter "
    "debtor claimant insured policyholder employee holder depositor tenant visitor spoke "
    "application behalf"
).split()
_IN_SENTENCE = guarded(
    rf"(?<=[a-z,][ ])(?P<first>{NAME_WORD})[ ](?P<last>{NAME_WORD})"
    r"(?=[ ](?:[a-z(]|$)|[,.;:)]|$)"
)
#: Two-word places that read as a first name and a surname (Hong Kong's districts, where
#: bank texts name branches): never a person in that rule.
PLACE_PAIRS = frozenset(
    "Hai Phong|Tai Po|Sha Tin|Kwun Tong|Tsuen Wan|Mong Kok|Wan Chai|Tuen Mun|Yuen Long|Kwai Chung|"
    "Sai Kung|Lam Tin|Tai Koo|Sheung Wan|Kowloon Bay|Tai Wai|Fo Tan|Tung Chung|Tin Hau|"
    "Tai Hang|Chai Wan|Kwai Fong|Tsing Yi|Ma Wan|"
    # cities of other countries whose two words read as a first name and a surname
    "São Paulo|Sao Paulo|La Paz|Buenos Aires|Kuala Lumpur|Abu Dhabi|Tel Aviv|Cape Town|Santa Cruz|"
    "San José|San Jose|Costa Rica|Puerto Rico|Sri Lanka|New Delhi|Las Vegas|Los Angeles|"
    "San Francisco|San Diego|Santa Monica|Porto Alegre|Belo Horizonte|Addis Ababa|Dar es Salaam|"
    "Phnom Penh|Ho Chi Minh|Da Nang|Chiang Mai|Port Louis|Saint Petersburg|Nizhny Novgorod|"
    "Seri Begawan|Bandar Seri Begawan|"
    # a port (shipped via Jebel Ali; ``via`` comes before people too: via Douglas Hofstadter)
    "Jebel Ali|Pasir Gudang|"
    # a region a bank's desk covers (Asia is a given name)
    "Asia Pacific|"
    # nature reserves and coasts
    "Masai Mara|Costa Brava|Costa Blanca|Monte Carlo|Santa Fe|Rio Grande".split("|")
)
#: A place's preposition before capitalised words (``sun-dried in Thanh Hoa``, ``broken at Laem
#: Chabang``, ``a field near Ampney Crucis``); not ``in`` after a verb it completes, with a
#: person after it (``Looping in A B``, ``copy in A B``).
_PLACE_PREPOSITIONS = (" in ", " at ", " near ")
_PHRASAL_IN = frozenset(
    "loop looping looped copy copying copied cc bring bringing brought rope roping roped patch "
    "patching patched call calling called let letting fill filling filled sign signing signed "
    "check checking checked log logging logged put putting pull pulling pulled".split()
)
#: Capitalised words right before a span: the place's name may start there (in Buon Ma Thuot).
_CAPITALISED_BEFORE = guarded(r"(?<![\w'-])(?:[A-Z][a-z]+[ ])+$")
#: A person's possessive after the words: no place (``described in Anna Lee's novel``).
_POSSESSIVE = ("'s", "’s")


def after_place_preposition(text: str, start: int) -> bool:
    """Whether a place's preposition ends right before ``start`` (see above)."""
    if not text.endswith(_PLACE_PREPOSITIONS, 0, start):
        return False
    if not text.endswith(" in ", 0, start):
        return True
    verb = text[text.rfind(" ", 0, start - 4) + 1 : start - 4]
    return verb.lower() not in _PHRASAL_IN


def names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the capitalised words ``text[start:end]`` are a place: a pair listed above, or
    words after a place's preposition that no possessive follows."""
    lead = _CAPITALISED_BEFORE.search(text, max(0, start - 40), start)  # Buon |Ma Thuot
    return text[start:end] in PLACE_PAIRS or (
        after_place_preposition(text, start if lead is None else lead.start())
        and not text.startswith(_POSSESSIVE, end)
        and not text.endswith(_POSSESSIVE, start, end)
    )


#: The word before such a pair is a lower-case one (a comma may follow it): in ``branches:
#: Central, Mong Kok, Causeway Bay`` the places are listed after capitalised ones.
_LOWER_WORD_BEFORE = guarded(r"(?<![\w'-])[a-z]+,?[ ]$")
_GREETING = guarded(
    rf"(?<![\w])(?:Hi|Hello|Hey|Good (?:morning|afternoon|evening)|Buongiorno|Bonjour|Hola|Hallo)[ ,]+"
    rf"(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{0,2}})(?=[ ]?[,!:]|[ ]?\n)"
)
#: Thanks to a full name (``Thanks Antonie Pop.``): its first word must be a given name.
_THANKS = guarded(
    rf"(?<![\w])(?:Thanks|Thank you|Many thanks)[ ,]+"
    rf"(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD}){{1,2}})(?=[ ]?[,.!:]|[ ]?\n|$)"
)
_SWIFT_PARTY = guarded(
    r"^:(?:50[AFKH]?|59[AF]?):(?:/[^\n]*\n)?(?P<name>[^\n/:]{3,60})$", re.MULTILINE
)
_PARTY_NAME = guarded(r"[A-Za-z][A-Za-z'-]+(?:[ ][A-Za-z][A-Za-z'-]+){1,3}")
_CELL = guarded(rf"{NAME_WORD}(?:[ ]{NAME_WORD}){{1,3}}")
_SEPARATORS = ("|", "\t", ";")
#: A column's header of one capitalised word (``Grower``, ``Buyer``).
_HEADER_WORD = guarded(r"[A-Z][a-z]{2,20}")
#: A list number before a row's first cell: ``1) ``, ``2. ``, ``(3) ``.
_LIST_MARKER = guarded(r"\(?\d{1,3}[.)][ ]+")
_TWO_LINES = {
    sep: guarded(rf"{re.escape(sep)}[^\n]*\n[^\n]*{re.escape(sep)}") for sep in _SEPARATORS
}


#: Words of job titles and business terms that follow a role noun as a compound
#: (``Customer Experience Lead``, ``Client Onboarding Specialist``): never part of a name here.
_NOT_NAME_HERE = frozenset(
    """Experience Lead Analyst Executive Specialist Representative Associate Advisor Adviser
    Consultant Coordinator Head Success Care Relations Journey Insight Insights Satisfaction
    Segment Due Diligence Onboarding Acquisition Retention Loyalty Profile Record Records
    Status Centre Center Hotline Line Feedback Survey Review Identification Verification
    Screening Data Information Info Portal Number""".split()
)


def _clean(name: str, not_name: frozenset[str]) -> bool:
    words = name.split(" ")
    return len(words) >= 2 and not any(w.title() in not_name or w in _NOT_NAME_HERE for w in words)


#: The characters of a rule line under a table's header (``---+---``).
_RULE_CHARS = frozenset("-+|=: ")


def _table_cells(text: str) -> list[list[tuple[int, int, str]]]:
    """Columns of every block of two or more lines that hold the same number of one cell
    separator: per column, its cells as (start, end, stripped text)."""
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    columns: list[list[tuple[int, int, str]]] = []
    for sep in _SEPARATORS:
        if _TWO_LINES[sep].search(text) is None:
            continue  # no two consecutive lines hold this separator
        k = 0
        while k < len(lines):
            count = lines[k][1].count(sep)
            j = k
            while j < len(lines) and count and lines[j][1].count(sep) == count:
                j += 1
            # A block under a rule line (``---+---``) has its header above the rule; the
            # header rule of ``names`` reads it.
            if j - k >= 2 and not (
                k > 0 and lines[k - 1][1] and set(lines[k - 1][1].strip()) <= _RULE_CHARS
            ):
                block: list[list[tuple[int, int, str]]] = [[] for _ in range(count + 1)]
                for start, line in lines[k:j]:
                    offset = start
                    for i, cell in enumerate(line.split(sep)):
                        stripped = cell.strip()
                        marker = _LIST_MARKER.match(stripped)  # 1) Paul Chukwu: the name
                        if marker and i == 0:
                            stripped = stripped[marker.end() :]
                        lead = (
                            len(cell)
                            - len(cell.lstrip())
                            + (marker.end() if marker and i == 0 else 0)
                        )
                        block[i].append((offset + lead, offset + lead + len(stripped), stripped))
                        offset += len(cell) + len(sep)
                columns += block
            k = max(j, k + 1)
    return columns


def find_context_names(
    text: str, given: frozenset[str], known: frozenset[str], not_name: frozenset[str]
) -> list[Entity]:
    """Names after role nouns and greetings, in SWIFT party fields and headerless table
    columns; ``given`` holds first names of every country, ``known`` those and surnames."""
    out: list[Entity] = []
    low = folded(text)
    role = any(w in low for w in _ROLE_WORDS)  # a substring test is cheaper than the pattern
    for rx in (_ROLE, _GREETING) if role else (_GREETING,):
        for m in rx.finditer(text):
            name = m.group("name")
            if _clean(name, not_name) or (" " not in name and name in given):
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _THANKS.finditer(text) if "hank" in text else ():
        name = m.group("name")
        if name.split(" ")[0] in given and _clean(name, not_name):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _IN_SENTENCE.finditer(text):
        first, last = m.group("first"), m.group("last")
        if (
            first in given
            and last in known
            and m.group() not in PLACE_PAIRS
            and _clean(m.group(), not_name)
            and _LOWER_WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        ):
            out.append(Entity(m.start(), m.end(), "NAME"))
    if ":5" in text:
        for m in _SWIFT_PARTY.finditer(text):
            name = m.group("name").strip()
            if _PARTY_NAME.fullmatch(name) and _clean(name, not_name):
                start = m.start("name") + m.group("name").index(name)
                out.append(Entity(start, start + len(name), "NAME"))
    if "\n" in text:
        for column in _table_cells(text):
            cells = [c for c in column if _CELL.fullmatch(c[2]) and _clean(c[2], not_name)]
            values = [c[2] for c in cells]
            # headerless (the first cell is name-shaped too), or under a one-word header with
            # every cell below name-shaped (Grower | Lots sold)
            headerless = bool(cells) and cells[0] == column[0] and 2 * len(cells) >= len(column)
            headed = cells == column[1:] and _HEADER_WORD.fullmatch(column[0][2]) is not None
            if (
                len(cells) >= 2
                and (headerless or headed)
                and len(set(values)) == len(values)  # a category repeats (Open Day), people not
                and any(w in known for v in values for w in v.split(" "))
            ):
                out += (Entity(s, e, "NAME") for s, e, _ in cells)
    return out
