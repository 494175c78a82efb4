"""English person names that narrative, conversation and signatures introduce (used by
``names``):

- a name alone on its line after a closing (``Regards,``, ``Sincerely,``, ``Cheers,``), one
  word only when it is a known given name, and a second signature on the line after;
- a relative, a notice's addressee, a verified caller or the deceased of an estate (``my
  mother X``, ``we write to inform X``, ``Estate of X``), a name with its relation or its
  office in brackets (``X (spouse)``, ``X (Funding Adviser)``), and an office with the name in
  brackets (``PCC Treasurer (X)``);
- a name on a signature's blank (``Outgoing Treasurer: __________ X   Date:``);
- a name after a dash in a ledger's cell (``| Donation – X |``);
- a name before its team in brackets and a colon, as a ticket's update prints who wrote it
  (``- X (Field Support):``);
- a name alone on its line before a chat message's time, a firm in brackets allowed
  (``X（Northgate Angels） 14:05``), or before a remark in brackets (``X (resigned as ...)``);
- conversational introductions: ``this is X``, ``my name's X``, ``X speaking``, ``X here``,
  where X is two or three capitalised words whose first is a known given name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from stages.pii.latin import IRISH_ONTO, IRISH_PARTICLE, L, U
from stages.pii.names_en import EN_JOB_HEADS, vetoed
from stages.pii.names_orgs import names_an_organisation
from stages.pii.names_vocab import unlisted_name
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, lines_with, on_lines
from stages.pii.rx import folded, guarded

__all__ = ["find_en_cued"]

_NAME_WORD = (
    rf"(?:{IRISH_PARTICLE}[ ][hnt]?{U}{L}+|(?:Mc|Mac|O'|D'|{IRISH_ONTO})?{U}{L}+(?:[-’‘]{U}?{L}+)?)"
)
_PARTICLE = r"(?:de|da|das|dos|del|della|di|du|van|von|der|den|ter|la|le)"
_PARTICLE_WORD = guarded(_PARTICLE)
#: Two or three name words, one or two particles allowed before the last (Ben van Ginkel).
_NAME = rf"{_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ]){{0,2}}{_NAME_WORD}){{1,2}}"
#: A ledger's cell that names what a line is and, after a dash, whose it is (``| Donation – A B
#: |``, ``| Refund to parent – A B |``).
_CELL_AFTER_DASH = guarded(
    rf"\|[ ]*{U}{L}+(?:[ ][a-z]+){{0,3}}[ ][–—-][ ](?P<name>{_NAME_WORD}(?:[ ]{_NAME_WORD}){{1,2}})"
    r"[ ]*(?=\|)"
)
#: A list's item of a name and, after a dash or a comma, the job its holder does (``- A B -
#: Export Manager, ...``, ``- A B, Surveyor, ...``): the job's words up to a comma, a bracket or
#: the line's end.
_ITEM_JOB = guarded(
    rf"^[ \t]*[-•*][ ]+(?P<name>{_NAME})(?:[ ][-–—][ ]|,[ ])"
    r"(?P<job>[A-Za-z][A-Za-z/ -]{1,40}?)(?=,|[ ]?[（(]|[ \t]*(?:\n|$))",
    re.MULTILINE,
)
#: A list's item of a name and what its holder is to do, as minutes' actions print it (``- A B
#: to send the logs``).
_ITEM_ACTION = guarded(rf"^[ \t]*[-•*][ ]+(?P<name>{_NAME})[ ]to[ ](?=[a-z])", re.MULTILINE)
#: A name alone on the line after a paragraph's last sentence (a blank line between allowed),
#: before a blank line, the text's end, a phone number's line or a comma and its holder's job
#: or team: who signed a statement or a note (``... straight
#: away.\nA B\n\n3. Duty manager's report``, ``... patience,\nA B, Hon. Treasurer``).
_SIGNED_PARAGRAPH = guarded(
    rf"(?:(?<=[.!?,\"”)]\n)|(?<=[.!?,\"”)]\n\n))(?P<name>{_NAME})"
    # or before a line of its holder's phone number (``A B\n+290 22158``, ``A B\nTel: +383 ...``)
    rf"(?=[ \t]*(?:\n[ \t]*\n|\n?\Z|,[ ]{U}|\n[ \t]*(?:(?:Tel|Phone|Mobile|Mob)\.?:?[ ]*)?\+\d))"
)
#: A name after a label's colon and, after a comma, the job its holder does (``Reviewed: A B,
#: Piercer``, ``Examined and found correct: A B, honorary auditor``).
_LABEL_JOB = guarded(
    rf":[ ]+(?P<name>{_NAME}),[ ](?P<job>[A-Za-z][A-Za-z/ -]{{1,40}}?)(?=,|[ ]?[（(]|[ \t]*(?:\n|$))"
)
#: A name before the team, office or desk its holder works in (``A B of your bank's business
#: team has confirmed``).
_OF_TEAM = guarded(
    rf"(?P<name>{_NAME})[ ]of[ ](?:your|our|the|their)[ ](?:[A-Za-z'’]+[ ]){{0,3}}"
    r"(?:team|department|office|desk|branch)\b"
)
_TEAM_WORDS = ("team", "department", "office", "desk", "branch")
#: A name that opens a line of a shipment's summary, its cartons after it (``A B 86箱 9.8
#: CBM``).
_QUANTITY_LINE = guarded(
    rf"^[ \t]*(?P<name>{_NAME})[ ]\d+(?:\.\d+)?[ ]?(?:箱|件|托|包|袋|桶|卷|ctns|cartons)",
    re.MULTILINE,
)
#: Verbs that report what someone said, one of which a line of ``_REPORTED`` holds.
_REPORTING_VERBS = (
    "states stated says said confirms confirmed explains explained agreed noted reported "
    "advised asked added argued claims claimed insisted replied responded acknowledged "
    "accepted disputed denied proposed suggested requested stressed maintains maintained"
).split()
#: A name that opens a line (a minute's number or a list's mark before it) and reports what
#: its holder said (``2.3 A B confirmed that ...``, ``A B states that ...``).
_REPORTED = guarded(
    r"^[ \t]*(?:\d{1,2}(?:\.\d{1,2})*\.?[ ]+|[-•*][ ]+)?"
    # not a clause's conjunction (As Zeus said)
    r"(?!(?:As|If|When|While|But|So|Then|After|Before|Since|Because|Though|Once|Until|Yet)[ ])"
    rf"(?P<name>{_NAME})[ ](?:{'|'.join(_REPORTING_VERBS)})\b",
    re.MULTILINE,
)
#: An office or a trade, then a comma and its holder's name, in apposition (``Our climber, A B,
#: stopped work``, ``Photos taken by our driver, A B, are enclosed``).
_APPOSED = guarded(
    # a possessive may stand between (``Our insurer's surveyor, A B, can attend``)
    r"\b(?:[Oo]ur|[Yy]our|[Tt]heir)[ ](?:[a-z]+(?:['’]s)?[ ]){0,2}[a-z]{3,},[ ]"
    # (two spaces may part the words, as typed: Our driver, A  B,)
    rf"(?P<name>{_NAME_WORD}(?:[ ]{{1,2}}(?:{_PARTICLE}[ ])?{_NAME_WORD}){{1,2}}),"
)
#: A list's item that opens with a name and a colon, its share or its task after it (``- A B:
#: 28.4 CBM = USD 3,124``, ``- A B: send the schedule``).
_ITEM_NAME = guarded(
    rf"^[ \t]*[-•*][ ]+(?P<name>{_NAME_WORD}(?:[ ]{_NAME_WORD}){{1,2}})(?::[ ]|：)", re.MULTILINE
)
#: The letters after a name of a degree, a profession's body or an honour (RIBA, MRICS, FCA,
#: MSc, PhD).
_POST_NOMINAL = r"(?:[A-Z]{2,6}|[MB](?:Sc|A|Eng|Phil)|Ph\.?D\.?|LL[BM])"
#: A signature alone on its line after a closing: two or three name words, or one (``Cheers,
#: \nAnna``), which is a name only when it is a known given name (``Thanks,\nTeam`` is not).
_CLOSING = guarded(
    r"(?im:^[ \t]*(?:with[ ])?(?:(?:best|kind|warm|warmest)?[ ]?regards|sincerely|yours sincerely|"
    r"yours faithfully|yours truly|cheers|thanks|many thanks|thank you|best wishes|best|"
    # a club's own closing (Yours in Scouting,), a firm's signing line (Signed for and on
    # behalf of Northgate Conservatoire of Music)
    r"respectfully|yours[ ]in[ ][a-z]+|signed[ ]for[ ]and[ ]on[ ]behalf[ ]of[ ][^\n]{1,60})"
    r"[ ]*,?[ \t]*\n(?:[ \t]*\n)?[ \t]*)"
    # the name alone on its line, or before its holder's job or desk (A B, International Payments)
    # (or beside a co-signatory's, a column gap between: ``A B   C D``), or before the letters of
    # a degree or a profession's body (``A B RIBA, Project Architect``, ``A B MRICS``), or before
    # a trade in lower case and the firm (``A B, maker, Hollow Hill``), or a co-signer's name
    # (``A B and C D``)
    rf"(?P<name>{_NAME_WORD}(?:(?:[ ](?:[A-Z]\.[ ]|{_PARTICLE}[ ])?{_NAME_WORD}){{1,2}})?)"
    rf"[ \t]*(?=\n|$|,[ ]{U}|,[ ][a-z]+(?:[ ][a-z]+){{0,2}},[ ]{U}"
    rf"|[ ]and[ ]{_NAME_WORD}[ ]{_NAME_WORD}[ \t]*(?:\n|$)"
    rf"|(?<=[ \t]{{2}})\S|(?:[ ]{_POST_NOMINAL}){{1,3}}[ \t]*(?:,|\n|$))"
)
#: A co-signatory's name beside the first, after a column gap, to the line's end.
_SIDE_SIGNATURE = guarded(
    rf"(?P<name>{_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ])?{_NAME_WORD}){{1,2}}|[A-Z]{{2,}}[ ]{_NAME_WORD})"
    r"[ \t]*(?=\n|$)"
)
_INTRO = guarded(
    # a Chinese form's English or passport name (英文名 Ada Wong, 护照姓名拼音 Gohar Liyaaqat)
    # a note in brackets may stand between (英文姓名（同護照）：A B, 英文姓名（須與身份證明文件相符）：)
    r"(?:(?:英文名字?|英文姓名|(?:护照)?(?:姓名)?拼音(?:姓名)?)(?:[（(][^（）()\n]{1,16}[）)])?[：:\s]{0,2}"
    r"|(?i:\bthis is|\bmy name's|\bmy name is|\bname's|\bit's|\bI'm|\bI am)[ ]+)"
    rf"(?P<name>{_NAME_WORD}[ ]{_NAME_WORD}(?:[ ]{_NAME_WORD})?)"
)
#: A signature on the closing's own line (``Signed, Sadan Jaabir``, ``Regards, Ann Lee``), or
#: after a sentence's end (``... the groom. Kind regards, A B, Salon Owner``): two or three name
#: words, then the line's end or a comma and the holder's job.
_SIGNED_LINE = guarded(
    r"(?im:(?:^|(?<=[.!?][ ]))[ \t]*(?:signed|(?:best |kind |warm )?regards|sincerely|"
    r"yours sincerely|yours faithfully|yours truly|thanks|many thanks|cheers|best wishes)[ ]*,[ ]*)"
    rf"(?P<name>{_NAME_WORD}(?:[ ]{_NAME_WORD}){{1,2}})(?=[ \t]*(?:\n|$)|,[ ]{U})"
)
#: A second signature on the line after the first (``Yours faithfully,\nA B\nXu ZHU``): two or
#: three words, capitalised or in capitals, a comma allowed after the first (``JIANG, Xiuying``).
_NEXT_SIGNATURE = guarded(
    rf"\n[ \t]*(?P<name>(?:{U}{L}+|[A-Z]{{2,}}),?(?:[ ](?:{U}{L}+|[A-Z]{{2,}})){{1,2}})"
    r"[ \t]*(?=\n|$)"
)
_SPEAKING = guarded(rf"(?P<name>{_NAME_WORD}[ ]{_NAME_WORD})[ ,]+(?:speaking|here)\b")
#: Cues strong enough that the words after them are a name without a known given name: a
#: relative ("my mother ..."), a notice's addressee ("we write to inform ..."), a prospect or
#: a verified caller ("The prospect, X,", "Caller verified as X"), or a spoken introduction
#: that ends the sentence or goes on with "and" ("It's Darsh Grover.", "My name is X and").
_RELATION = guarded(
    r"\b(?i:(?:my|our|your|his|her|their)[ ](?:late[ ])?(?:mother|father|wife|husband|son|daughter|"
    r"brother|sister|spouse|partner|grandmother|grandfather|mum|mom|dad|roommate|flatmate|"
    r"friend|colleague)"
    r"|to inform)[ ,]+"
    rf"(?P<name>{_NAME})(?=[ ,.;:!?\n]|$|['’]s\b)"
    rf"|\b(?:[Tt]he prospect,|[Cc]aller verified as)[ ]+(?P<verified>{_NAME})(?=[ ,.;:!?(\n]|$)"
    r"|(?i:\bmy name's|\bmy name is|\bname's|\bit's)[ ]+"
    rf"(?P<said>{_NAME_WORD}[ ]{_NAME_WORD})(?=[.!?,]?(?:\n|$)|[.!?][ ]|[ ]and[ ]|[ ][-–—][ ])"
    # the deceased of an estate (the estate of the late X), and a person named with their
    # relation in brackets (1. Triya Nair (spouse) - 70%)
    rf"|\b(?i:the late|estate of)[ ]+(?P<late>{_NAME})(?=[ ,.;:!?\n]|$|[ ][-–—][ ])"
)
_RELATIONS_IN_BRACKETS = (
    "spouse|wife|husband|partner|son|daughter|child|mother|father|brother|sister|grandson|"
    "granddaughter|nephew|niece|executor|executrix|trustee|guardian|beneficiary|"
    "judgment creditor|judgment debtor|claimant|defendant|respondent|applicant|"
    # a complaint's or a policy's party (A B (the complainant), C D (the policyholder))
    "complainant|policyholder|hirer|collector|restorer|"
    # a board's or a club's officer (Present: A B (Chair), C D (Treasurer))
    "chair|chairman|chairwoman|chairperson|treasurer|secretary|president|vice chair|"
    # who acted in a case's log (A B (Funding Adviser), C D (student), E F (Panel Chair))
    "student|adviser|advisor|officer|caseworker|case officer|panel chair|"
    # a firm's officer or owner (A B (CEO, Gobi Coking Coal LLC), C D (director and majority
    # shareholder), E F（Export Account Manager, ...）, G H (Gérant))
    "ceo|cfo|coo|cto|director|managing director|manager|owner|proprietor|gérant|gerente|"
    "accountant|shareholder|"
    # a contract's parties (A B (maker)   C D (client))
    "client|customer|buyer|seller|maker|homeowner|householder|tenant|landlord|handler|"
    # a junior member's parent (A B (parent of junior)), a co-owner
    "parent|co-owner|joint owner"
)
#: A name and their relation or office in brackets (a team's or a panel's word may lead the
#: office: Funding Adviser); or an office and the name in brackets (PCC Treasurer (A B)).
_RELATED = guarded(
    # words may lead the relation (surviving spouse, Bramble's co-owner, Funding Adviser)
    rf"(?P<related>{_NAME})(?:[ ]\(|[ ]?（)"
    rf"(?:(?:{U}{L}+|[a-z]+|{U}{L}+['’]s|[A-Z]{{2,4}})[ ]){{0,2}}"  # QA Manager
    rf"(?i:{_RELATIONS_IN_BRACKETS})"
    r"(?:[)）]|(?=,[ ]|[ ][a-z]))"
    rf"|\b(?i:treasurer|secretary|chair|chairperson|president|adviser|advisor|case officer)"
    rf"[ ]\((?P<holder>{_NAME})\)"
)
#: What every match of ``_RELATED`` holds (on one line): the lines scanned for it.
_SPACE_BRACKET = guarded(r"[ ]\(|（")
#: A name on a signature's blank (``Outgoing Treasurer: ________ A B   Date:``), or in
#: brackets after it (``renter: ________ (A B)  Date:``): after the underscores, before the
#: line's end, a column gap, a bar or a bracket.
_ON_BLANK = guarded(
    rf"_{{3,}}[ \t]*(?:(?P<bracketed>\()|(?!\())(?P<name>{_NAME})(?(bracketed)\))"
    r"(?=[ \t]*(?:\n|$)|[ \t]{2,}|[ \t]*[|(（])"
)
#: A name alone on its line but for what heads a line of a chat or a list: a firm in brackets
#: and the time a message was sent (``A B（Northgate Angels） 14:05``), or a remark in brackets
#: that opens in lower case (``A B (resigned as Treasurer at the AGM)``).
_HEADED_LINE = guarded(
    rf"(?m:^)[ \t]*(?P<name>{_NAME})"
    # the message's date may come first (``A B 10-08 10:22``)
    r"(?:(?:[ ]?[（(][^（）()\n]{1,40}[）)])?[ \t]+(?:(?:\d{4}[-/.])?\d{1,2}[-/.]\d{1,2}[ ])?"
    r"\d{1,2}:\d{2}(?::\d{2})?"
    r"|[ ][（(][a-z][^（）()\n]{1,60}[）)])[ \t]*(?=\n|$)"
)
#: A name before its team in brackets and a colon, as a ticket's update names who wrote it
#: (``Update 12/06/2024 13:20 - A B (Field Support):``).
_TEAM_NOTE = guarded(
    rf"(?:(?m:^)[ \t]*|[-–—][ ])(?P<name>{_NAME})[ ][(（][A-Z][A-Za-z&/ -]{{1,30}}[)）][ ]?:"
)
#: What every such line holds, searched first: the time at its end, or a bracket opening on a
#: lower-case letter (the full pattern is tried on those lines alone).
_HEADED_HINT = guarded(r"[ \t]\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?=\n|$)|[ ][（(][a-z]")
#: Words of which a text must hold one (case folded) for each pattern to be tried: a
#: substring test is much cheaper than a case-insensitive pattern over the whole text.
_CLOSING_WORDS = (
    "regards",
    "sincerely",
    "yours",
    "cheers",
    "thank",
    "best",
    "respectfully",
    "behalf",
)
_SIGNED_WORDS = ("signed", "regards", "sincerely", "yours", "thanks", "cheers", "best wishes")
_RELATION_WORDS = tuple(
    "mother|father|wife|husband|son|daughter|brother|sister|spouse|partner|to inform|prospect|"
    "mum|mom|dad|mate|friend|colleague|"
    "verified as|name|it's|the late|estate of".split("|")
)
_INTRO_WORDS = ("英文名", "英文姓名", "拼音", "this is", "my name", "name's", "it's", "i'm", "i am")
_BRACKET_WORDS = tuple(_RELATIONS_IN_BRACKETS.split("|"))


def _named(
    words: list[str], given: frozenset[str], not_name: frozenset[str], known: frozenset[str]
) -> bool:
    """Whether the words after a cue are a name: a known given name first or a known name
    last (``Boma Hassan``) and no word of ``not_name``, or words no list holds that are no
    English words either."""
    return (
        (words[0] in given or words[-1] in known) and not vetoed(words, not_name)
    ) or unlisted_name(words, known, not_name)


def _people(
    text: str, low: str, given: frozenset[str], not_name: frozenset[str], known: frozenset[str]
) -> Iterator[re.Match[str]]:
    """The matches of ``_ITEM_JOB`` and ``_LABEL_JOB`` (the job's words holding a job's head
    word), ``_OF_TEAM``, ``_QUANTITY_LINE``, ``_REPORTED`` and ``_APPOSED`` whose words are a
    name (``_named``) and no firm's; ``low``: the text folded."""
    items = at_line_starts(_ITEM_JOB, text) if " - " in text or ", " in text else ()
    labelled = _LABEL_JOB.finditer(text) if ": " in text else ()
    reported = any(w in low for w in _REPORTING_VERBS)
    apposed = "our " in text or "Our " in text
    for m in chain(
        (
            m
            for m in chain(items, labelled)
            if any(w.title() in EN_JOB_HEADS for w in m.group("job").split(" "))
        ),
        _OF_TEAM.finditer(text) if " of " in text and any(w in low for w in _TEAM_WORDS) else (),
        at_line_starts(_QUANTITY_LINE, text),
        at_line_starts(_REPORTED, text) if reported else (),
        _APPOSED.finditer(text) if apposed else (),
    ):
        words = [w for w in m.group("name").split() if not _PARTICLE_WORD.fullmatch(w)]
        if _named(words, given, not_name, known) and not names_an_organisation(
            text, m.start("name"), m.end("name")
        ):
            yield m


def find_en_cued(
    text: str,
    given: frozenset[str],
    not_name: frozenset[str],
    known: frozenset[str],
) -> list[Entity]:
    """English names on a signature line after a closing, after a relation or in a spoken
    introduction; ``given``: English given names, ``known``: the given names, surnames and
    pinyin family names of every list (a name with its relation in brackets needs one)."""
    out: list[Entity] = []
    low = folded(text)
    closing = "\n" in text and any(w in low for w in _CLOSING_WORDS)
    for m in _CLOSING.finditer(text) if closing else ():
        words = m.group("name").split(" ")
        if len(words) == 1:
            if words[0] in given:
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))
            continue
        if not vetoed(words, not_name):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
            side = _SIDE_SIGNATURE.match(text, m.end())
            if side and m.end() - m.end("name") >= 2:
                if not vetoed(side.group("name").split(" "), not_name):
                    out.append(Entity(side.start("name"), side.end("name"), "NAME"))
            second = _NEXT_SIGNATURE.match(text, m.end("name"))
            words = second.group("name").replace(",", "").title().split(" ") if second else []
            if second and unlisted_name(words, known, not_name):
                out.append(Entity(second.start("name"), second.end("name"), "NAME"))
    relation = any(w in low for w in _RELATION_WORDS)
    for m in _RELATION.finditer(text) if relation else ():
        key = next(k for k in ("name", "verified", "said", "late") if m.group(k))
        if not any(w in not_name for w in m.group(key).split(" ")):
            out.append(Entity(m.start(key), m.end(key), "NAME"))
    bracket = ("(" in text or "（" in text) and any(w in low for w in _BRACKET_WORDS)
    for m in on_lines(_RELATED, text, lines_with(_SPACE_BRACKET, text)) if bracket else ():
        key = "related" if m.group("related") else "holder"
        words = m.group(key).split(" ")
        # Death Benefit (spouse): a relation in brackets after a known name, or after words no
        # list holds as English words (Shamsuddeen Danjuma (Judgment Creditor))
        if (
            (any(w in known for w in words) or unlisted_name(words, known, not_name, strict=True))
            and not vetoed(words, not_name)
            and not names_an_organisation(text, m.start(key), m.end(key))
        ):
            out.append(Entity(m.start(key), m.end(key), "NAME"))
    for m in _ON_BLANK.finditer(text) if "___" in text else ():
        if _named(m.group("name").split(" "), given, not_name, known):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in on_lines(_HEADED_LINE, text, lines_with(_HEADED_HINT, text)):
        if _named(m.group("name").split(" "), given, not_name, known):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _TEAM_NOTE.finditer(text) if "):" in text or "）:" in text or ") :" in text else ():
        words = m.group("name").split(" ")
        if (words[0] in given and not any(w in not_name for w in words)) or unlisted_name(
            words, known, not_name
        ):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in at_line_starts(_ITEM_NAME, text) if ": " in text or "：" in text else ():
        # the words no English word, none a place's (``- Hong Kong: 3 cartons``)
        words = m.group("name").split(" ")
        if unlisted_name(words, known, not_name, strict=True) and not names_an_organisation(
            text, m.start("name"), m.end("name")
        ):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _SIGNED_PARAGRAPH.finditer(text) if "\n" in text else ():
        # words no list holds that are no English words either, and no firm's
        words = m.group("name").split(" ")
        if unlisted_name(words, known, not_name, strict=True) and not names_an_organisation(
            text, m.start("name"), m.end("name")
        ):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in at_line_starts(_ITEM_ACTION, text) if " to " in text else ():
        # a known given name, or words no English word (not ``- Surveyor to issue``)
        if _named(m.group("name").split(" "), given, not_name, known) and not (
            names_an_organisation(text, m.start("name"), m.end("name"))
        ):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _people(text, low, given, not_name, known):
        out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in _CELL_AFTER_DASH.finditer(text) if "|" in text else ():
        words = m.group("name").split(" ")
        if unlisted_name(words, known, not_name) and not vetoed(words, not_name):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    intro = any(w in low for w in _INTRO_WORDS)
    speaking = "speaking" in text or "here" in text
    signed = any(w in low for w in _SIGNED_WORDS)
    for rx, on in ((_INTRO, intro), (_SPEAKING, speaking), (_SIGNED_LINE, signed)):
        for m in rx.finditer(text) if on else ():
            words = m.group("name").split(" ")
            # a known first name, or words no list holds that are no English words either; a
            # signature's first word may be a given name of any list (Regards, Katrin Kapp)
            first = known if rx is _SIGNED_LINE else given
            if (words[0] in first and not any(w in not_name for w in words)) or unlisted_name(
                words, known, not_name
            ):
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    return out
