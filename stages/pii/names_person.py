"""What an English person's name looks like in the role rules, and when the words read are one.

The name pattern (two to four name words, particles allowed between them), where a name ends,
the job words that follow or lead a name, and ``name_ok``, the test every rule of
``names_roles`` and ``names_attendance`` puts the words it read to.
"""

from __future__ import annotations

import re

from stages.pii.latin import NAME_PARTICLES, NAME_WORD
from stages.pii.names_vocab import unlisted_name

__all__ = [
    "CJK_NEXT",
    "END",
    "END_OR_COLUMN",
    "JOBS",
    "JOB_WORDS",
    "PARTICLE",
    "PERSON_NAME",
    "SURNAME_WORDS",
    "name_ok",
]

PARTICLE = rf"(?:{NAME_PARTICLES}|y|bin|binti)"
#: Two to four name words, particles allowed between them.
PERSON_NAME = rf"{NAME_WORD}(?:[ ](?:{PARTICLE}[ ]){{0,2}}{NAME_WORD}){{1,3}}"
#: Where a name ends: a line end, punctuation, a bracket, ``and`` or a lower-case word.
END = r"(?=[ \t]*(?:$|\n|[,.;:)(]|and\b|&)|[ ][a-z])"
#: Also where a form's next column starts: two spaces or a tab.
END_OR_COLUMN = r"(?=[ \t]*(?:$|\n|[,.;:)(|]|and\b|&)|[ ][a-z]|[ ]{2,}|\t)"
#: Jobs in lower case, as prose writes them (``our relationship manager``).
JOBS = (
    "manager|adviser|advisor|officer|director|consultant|specialist|executive|teller|clerk|"
    "agent|analyst|assistant|supervisor|controller|underwriter|accountant|secretary|cashier"
)
#: The words of a job title as a form prints them (``Collections Supervisor``, ``Audit Liaison``).
JOB_WORDS = frozenset(JOBS.title().split("|")) | frozenset(
    "Liaison Head Lead Associate Coordinator Co-ordinator Administrator Auditor Inspector".split()
)
#: A Chinese character or full-width punctuation after a name in Latin letters (``A B；``,
#: ``A B、``, ``A B（后半段加入）``, ``A B，邮件``).
CJK_NEXT = r"[\u4e00-\u9fff\u3001\u3002\uff08\uff0c\uff1a\uff1b]"
#: Words that no name holds (``EN_NOT_NAME``) but family names: months (Gemma May, Francis May)
#: and pinyin family names (何 He, 安 An: Ying He), never a name's first word (May 2024, He said).
SURNAME_WORDS = frozenset({"May", "June", "April", "August", "March", "He", "An"})
#: After a cue that is proof enough, 尤 and 游 (You: ``our quality manager, Hong You,``) too.
_CUED_SURNAME_WORDS = SURNAME_WORDS | {"You"}
#: Words that follow a role as a title or a form's heading, never a name here.
_NOT_NAME_HERE = frozenset(
    """Onboarding Checklist Handbook Record Records Details Detail Information Form Forms
    Number Status Portal Benefits Benefit Review Training Policy Guide Register Summary
    Section Part Schedule Declaration Signature Copy Letter Notice Report Meeting Annual
    General Assembly Register List Services Unknown Anonymous Pending Various As If When While
    After Before Then So But Because Since Although Once Unless Until""".split()
)


def name_ok(
    name: str, known: frozenset[str], not_name: frozenset[str], alone: bool = False
) -> bool:
    """Whether the words a rule read are a person's name: two or more, none of ``not_name`` (but,
    where ``alone`` says the cue is proof enough, a family name of ``SURNAME_WORDS`` after the
    first: ``Claimant: Ying He``) nor a possessive, and (unless ``alone``) a known first or last
    word or words that no list holds."""
    words = [w for w in name.split(" ") if not re.fullmatch(PARTICLE, w)]
    return (
        len(words) >= 2
        and not any(
            (w in not_name and not (alone and k and w in _CUED_SURNAME_WORDS))
            or w in _NOT_NAME_HERE
            or w.endswith(("'s", "’s"))
            for k, w in enumerate(words)
        )
        # a known first or last word, or words that no list holds and no English text
        # writes in lower case (``confirm that Kafeel Ghasaan has``)
        and (
            alone
            or words[0] in known
            or words[-1] in known
            or unlisted_name(words, known, not_name)
        )
    )
