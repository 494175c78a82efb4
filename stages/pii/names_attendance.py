"""Names in lists of people: a meeting's attendance in English minutes, and the people an
e-mail's or a memo's header lines address.

- on the heading's own line: ``Present: A B (Chair), C D (Credit Risk), E F``, an item may
  open with its holder's role in lower case (``treasurer A B``) or be a role with its holder in
  brackets (``Chair (A B)``); an item that is no name (``four class reps``) is passed over;
- as a list under the heading (``Present:``, ``出席 Attendees:``, ``Attendees/出席:``,
  ``Attendees 出席:``), one item a line: ``- A B, Parish Clerk``, ``- C D, trader, Dairy Dell
  Ices``; an item that is a job (``- Parish Clerk``) or a firm (``- Namib Copper Mining (Pty)
  Ltd``) is none; or one side a line, its people as on the heading's line (``Heilkraut – A B
  (Head of Quality), C D (Buyer)``, ``- Yamashiro Chaen Co., Ltd.: A B (Managing Director)``);
- in an e-mail's or a memo's header line of people (``To / 致：``, ``Cc 抄送:``, ``Cc:``), a name
  first or after a semicolon, before its desk in brackets or the line's end (``Cc / 抄送：
  韦建华（财务部）；A B (Sales)``, ``Cc: 楚帅; A B``).

The heading is proof enough: a name needs no known word (``names_person.name_ok`` with
``alone``), only none that no name has.
"""

from __future__ import annotations

import re

from stages.pii.names_orgs import names_an_organisation
from stages.pii.names_person import JOB_WORDS, PERSON_NAME, name_ok
from stages.pii.names_roles import PERSON_NOUNS
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, scan
from stages.pii.rx import guarded

__all__ = ["find_attendees"]

#: The words that head an attendance.
_HEADING = r"(?:Present|Attendees|Attending|In attendance|Apologies|Absent|Participants)"
#: The heading and its items on one line.
_ATTENDANCE = guarded(
    rf"(?:^[ \t]*|(?<=[.;][ ])){_HEADING}[ ]?[:：][ ]*(?P<items>[^\n]+?)(?=\.?[ \t]*$|\.[ ])",
    re.MULTILINE,
)
#: An item of that line: a name, its role or desk in brackets after it or none, or a role with
#: its holder in brackets.
_ATTENDEE = guarded(
    rf"(?:(?:{PERSON_NOUNS})[ ])?(?P<name>{PERSON_NAME})(?:[ ]?\([^)\n]{{1,40}}\))?[ ]*(?:[,;]|$)"
    rf"|[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?[ ]\((?P<held>{PERSON_NAME})\)[ ]*(?:[,;]|$)"
)
#: The rest of an attendance item that is no name (``four class reps``).
_NEXT_ATTENDEE = guarded(r"[^,;]*[,;][ ]?")
#: The heading alone on its line (a Chinese label may lead it), its items on the lines after.
_ATTENDANCE_HEAD = guarded(
    rf"^[ \t]*(?:[\u4e00-\u9fff]{{1,4}}[ ]?)?{_HEADING}(?:[ ]?/?[ ]?[\u4e00-\u9fff]{{1,4}})?"
    r"[ ]?[:：][ \t]*\n",
    re.MULTILINE,
)
#: A line under the heading that a side's name and a dash lead (``Heilkraut – A B (Head of
#: Quality), C D``), or a list's mark, the side and a colon (``- Yamashiro Chaen Co., Ltd.
#: (Uji, Kyoto): A B (Managing Director), C D (Quality Assurance)``).
_SIDE_LINE = guarded(
    r"[ \t]*(?:(?:[A-Z][\w&.'-]*[ ]){1,4}[–—-][ ]|[-•*][ ]+[^\n:：]{2,60}[:：][ ]?)"
    r"(?P<items>[^\n]+)(?:\n|$)"
)
#: An e-mail's or a memo's header line of people (``To / 致：``, ``Cc 抄送:``, ``Cc:``) and a
#: name in it, first or after a semicolon, before its desk in brackets or the line's end.
_HEADER_LINE = guarded(
    r"^(?:To|Cc|CC|From)[ ]?(?:/[ ]?)?(?:[\u4e00-\u9fff]{1,3}[ ]?)?[:：][^\n]+", re.M
)
_HEADER_NAME = guarded(rf"[:：；;][ ]?(?P<name>{PERSON_NAME})(?=[ ]?[(（]|[ \t]*(?:\n|$))")
#: A list's item line: a bullet, then the name before a comma, a bracket or the line's end.
_ATTENDEE_LINE = guarded(
    rf"[ \t]*[-•*–][ ]+(?:(?P<name>{PERSON_NAME})(?=,[ ]|[ ]?\(|[ \t]*(?:\n|$)))?[^\n]*(?:\n|$)"
)


def find_attendees(text: str, known: frozenset[str], not_name: frozenset[str]) -> list[Entity]:
    """The names of an attendance's items; ``known``: given names of every country and known
    surnames, ``not_name``: words no name has."""
    out: list[Entity] = []
    if ":" not in text and "：" not in text:
        return out
    for line in scan(_ATTENDANCE, text):
        out += _items(text, line.start("items"), line.end("items"), known, not_name)
    for head in at_line_starts(_ATTENDANCE_HEAD, text):
        pos = head.end()
        while pos < len(text):
            side = _SIDE_LINE.match(text, pos)
            if side is not None:
                out += _items(text, side.start("items"), side.end("items"), known, not_name)
                pos = side.end()
                continue
            item = _ATTENDEE_LINE.match(text, pos)
            if item is None:
                break
            name = item.group("name")
            if (
                name
                and name_ok(name, known, not_name, alone=True)
                and name.rsplit(" ", 1)[-1] not in JOB_WORDS  # - Parish Clerk
                and not names_an_organisation(text, *item.span("name"))  # (Pty) Ltd after it
            ):
                out.append(Entity(*item.span("name"), "NAME"))
            pos = item.end()
    for line in at_line_starts(_HEADER_LINE, text):
        for m in _HEADER_NAME.finditer(text, line.start(), line.end()):
            # before a desk in brackets the header is proof enough; before the line's end a
            # name needs a known word or words no list holds (not Harbour Sub-Committee)
            bracket = text[m.end() : m.end() + 2].lstrip()[:1] in ("(", "（")
            name = m.group("name")
            if name_ok(name, known, not_name, alone=bracket) and JOB_WORDS.isdisjoint(
                name.split(" ")
            ):
                out.append(Entity(*m.span("name"), "NAME"))
    return out


def _items(
    text: str, pos: int, end: int, known: frozenset[str], not_name: frozenset[str]
) -> list[Entity]:
    """The names of an attendance line's items between ``pos`` and ``end``."""
    out: list[Entity] = []
    while pos < end:
        item = _ATTENDEE.match(text, pos, end)
        if item is None:  # an item that is no name: the list goes on after it
            skip = _NEXT_ATTENDEE.match(text, pos, end)
            if skip is None:
                break
            pos = skip.end()
            continue
        key = "name" if item.group("name") else "held"
        name = item.group(key)
        # a job is none (A B, Quality Lead; Head Coach)
        if name_ok(name, known, not_name, alone=True) and JOB_WORDS.isdisjoint(name.split(" ")):
            out.append(Entity(item.start(key), item.end(key), "NAME"))
        pos = item.end() + (text[item.end() : item.end() + 1] == " ")
    return out
