"""English person names after the roles of estates, powers of attorney, trades and claims,
and names with particles (``Amador de Anda``, ``Ricardo van Dijk``).

- a role label with a colon, a parenthesis allowed before it: ``Donor:``, ``Attorney(s):``,
  ``Counterparty (private client):``, ``Executor:``, ``Employee:`` ... and two names joined
  by ``and`` after it (``Attorney(s): A B and C D``);
- a phrase that only a person follows: ``the death of``, ``drawn by``, ``the estate of``, ``customer``,
  ``The executor,``, ``The other driver,``, ``Account holder`` (no colon);
- a chat line that holds only the user's reply after ``[You]`` / ``[Me]`` / ``[Client]``;
- an owner's line of a numbered list: ``1. A B, 55%``;
- after a name label (``Name of account holder:``), a name whose words a particle joins
  (``de``, ``da``, ``van``, ``von`` ...), which the label rule of ``names_en`` stops before.
Each needs the name's first word to be a given name of some country (names-dataset) or its
last a known surname, and no
word that cannot be in a name (``Employee: Onboarding Checklist`` is not one), and the name
must end where the line, a comma, ``and`` or a bracket ends it. After a label that only a
person fills (``Policyholder``, ``Complainant``, ``Principal client``, a primary beneficiary),
a name that fills the rest of its line (or stops at ``, of``) needs no known word
(``Policyholder: Iwo Łapaj``); after one that a company may fill (``Counterparty``, ``Donor``,
``Insured``, ``Executor``) it does (``Counterparty: Harbour Logistics`` stays).
"""

from __future__ import annotations

import re

from stages.pii.latin import NAME_WORD
from stages.pii.patterns import Entity

__all__ = ["find_role_names"]

_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|du|van|von|der|den|ter|la|le|y|bin|binti)"
#: Two to four name words, particles allowed between them.
_NAME = rf"{NAME_WORD}(?:[ ](?:{_PARTICLE}[ ]){{0,2}}{NAME_WORD}){{1,3}}"
#: Where a name ends: a line end, punctuation, a bracket, ``and`` or a lower-case word.
_END = r"(?=[ \t]*(?:$|\n|[,.;:)(]|and\b|&)|[ ][a-z])"
_ROLE_LABEL = re.compile(
    r"\b(?P<role>Counterparty|Donor|Attorneys?|Attorney\(s\)|Executors?|Executrix|Administrator|"
    r"Trustees?|Settlor|Deceased|Employee|Joint [Hh]olders?|Insured|Policyholder|"
    r"Next of [Kk]in|Nominee|Guardian|Principal(?: client)?|Drawer|Decedent|Complainant|"
    r"(?:New[ ])?(?:[Pp]rimary|[Cc]ontingent|[Ss]econdary)[ ][Bb]eneficiary)"
    r"(?:[ ]?\([^)\n]{1,30}\))?[ ]?:[ \t]*"
    rf"(?P<name>{_NAME}){_END}(?:[ ](?:and|&)[ ](?P<second>{_NAME}){_END})?",
    re.MULTILINE,
)
_ROLE_PHRASE = re.compile(
    r"(?:\b(?:the death of|the passing of|the estate of|the late|drawn by|issued by the drawer|"
    r"[Tt]he executor,|[Tt]he administrator,|[Tt]he other driver,|[Tt]he third party,|"
    r"[Aa]ccount holder|[Cc]ustomer))[ ]+"
    rf"(?P<name>{_NAME}){_END}"
)
_CHAT_REPLY = re.compile(
    rf"^\[(?:You|Me|Client|Customer|User)\][ ]+(?P<name>{_NAME})[ \t]*$", re.MULTILINE
)
_LIST_OWNER = re.compile(rf"^[ \t]*\d{{1,2}}[.)][ ]+(?P<name>{_NAME}),[ ]", re.MULTILINE)
_PARTICLE_AFTER_LABEL = re.compile(
    r"\b(?:[Nn]ame|[Hh]older|[Bb]eneficiary|[Cc]lient|[Cc]ustomer|[Aa]pplicant|[Bb]orrower|"
    r"[Pp]ayee|[Rr]emitter)(?:[ ][a-z]+){0,3}(?:[ ][\u4e00-\u9fff]{1,6})?[ ]?[:：][ \t]*"
    rf"(?P<name>{NAME_WORD}[ ](?:{_PARTICLE}[ ]){{1,2}}{NAME_WORD}(?:[ ]{NAME_WORD})?){_END}"
)
#: Words that follow a role as a title or a form's heading, never a name here.
_NOT_NAME_HERE = frozenset(
    """Onboarding Checklist Handbook Record Records Details Detail Information Form Forms
    Number Status Portal Benefits Benefit Review Training Policy Guide Register Summary
    Section Part Schedule Declaration Signature Copy Letter Notice Report""".split()
)


#: Role labels that only a person fills.
_PERSON_ROLE = re.compile(
    r"(?:Complainant|Policyholder|Principal client|Deceased|Decedent|Next of [Kk]in|"
    r"(?:New[ ])?(?:[Pp]rimary|[Cc]ontingent|[Ss]econdary)[ ][Bb]eneficiary)"
)
#: What follows a name that fills the rest of a label's line.
_LINE_END = re.compile(r"[ \t]*(?:\n|$|,[ ]of\b)")


def _ok(name: str, known: frozenset[str], not_name: frozenset[str], alone: bool = False) -> bool:
    words = [w for w in name.split(" ") if not re.fullmatch(_PARTICLE, w)]
    return (
        len(words) >= 2
        and (alone or words[0] in known or words[-1] in known)
        and not any(w in not_name or w in _NOT_NAME_HERE for w in words)
    )


def find_role_names(text: str, known: frozenset[str], not_name: frozenset[str]) -> list[Entity]:
    """Names after the role labels and phrases above, in chat replies and owners' lists;
    ``known``: given names of every country and known surnames."""
    out: list[Entity] = []
    for rx, keys in (
        (_ROLE_LABEL, ("name", "second")),
        (_ROLE_PHRASE, ("name",)),
        (_CHAT_REPLY, ("name",)),
        (_LIST_OWNER, ("name",)),
        (_PARTICLE_AFTER_LABEL, ("name",)),
    ):
        for m in rx.finditer(text):
            for key in keys:
                name = m.group(key)
                alone = (
                    rx is _ROLE_LABEL
                    and _PERSON_ROLE.fullmatch(m.group("role")) is not None
                    and _LINE_END.match(text, m.end(key)) is not None
                )
                if name and _ok(name, known, not_name, alone):
                    out.append(Entity(m.start(key), m.end(key), "NAME"))
    return out
