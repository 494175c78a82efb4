"""English person names after the roles of estates, powers of attorney, trades and claims,
and names with particles (``Amador de Anda``, ``Ricardo van Dijk``).

- a role label with a colon, a parenthesis allowed before it: ``Donor:``, ``Attorney(s):``,
  ``Counterparty (private client):``, ``Executor:``, ``Employee:`` ... and two names joined
  by ``and`` after it (``Attorney(s): A B and C D``);
- a phrase that only a person follows: ``the death of``, ``drawn by``, ``the estate of``, ``customer``,
  ``The executor,``, ``The other driver,``, ``Account holder`` (no colon);
- a chat line that holds only the user's reply after ``[You]`` / ``[Me]`` / ``[Client]``;
- a cheque's upper-case field without a colon (``PAY A B *****``, ``DRAWER A B``);
- an owner's line of a numbered list: ``1. A B, 55%``;
- after a name label (``Name of account holder:``), a name whose words a particle joins
  (``de``, ``da``, ``van``, ``von`` ...), which the label rule of ``names_en`` stops before.
Each needs the name's first word to be a given name of some country (names-dataset) or its
last a known surname (or every word one that no list holds and no English text writes in lower
case, ``names_vocab.unlisted_name``), and no
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
from stages.pii.names_person import (
    CJK_NEXT,
    END,
    END_OR_COLUMN,
    JOB_WORDS,
    JOBS,
    PARTICLE,
    PERSON_NAME,
    name_ok,
)
from stages.pii.names_speakers import BRACKETED_STAMP, STAMP
from stages.pii.names_vocab import unlisted_name
from stages.pii.patterns import Entity
from stages.pii.prefilter import at_line_starts, holds, lines_with, on_lines, required
from stages.pii.rx import guarded

__all__ = ["PERSON_NOUNS", "find_role_names"]

#: The name pattern of ``names_person``, as these rules write it.
_NAME = PERSON_NAME
_ANY_NAME = guarded(_NAME)
_ROLE_LABEL = guarded(
    r"\b(?P<role>Counterparty|Donor|Attorneys?|Attorney\(s\)|Executors?|Executrix|Administrator|"
    r"Trustees?|Settlor|Deceased|Employee|Joint [Hh]olders?|Insured|Policyholder|"
    r"Next of [Kk]in|Nominee|Guardian|Principal(?: client)?|Drawer|Decedent|Complainant|"
    # who handled a call or a case (Agent: A B, Settlement Team)
    r"Agent|Handler|Caseworker|Case [Oo]fficer|Assessor|Investigator|"
    r"(?:New[ ])?(?:[Pp]rimary|[Cc]ontingent|[Ss]econdary)[ ][Bb]eneficiary)"
    r"(?:[ ]?\([^)\n]{1,30}\))?[ ]?:[ \t]*"
    rf"(?P<name>{_NAME}){END}(?:[ ](?:and|&)[ ](?P<second>{_NAME}){END})?",
    re.MULTILINE,
)
_ROLE_PHRASE = guarded(
    r"(?:\b(?:the death of|the passing of|the estate of|the late|drawn by|issued by the drawer|"
    r"[Tt]he executor,|[Tt]he administrator,|[Tt]he other driver,|[Tt]he third party,|"
    r"[Aa]ccount holder|[Cc]ustomer|[Cc]aller))[ ]+"
    rf"(?P<name>{_NAME}){END}"
)
#: Nouns of the people a bank's form or letter names: a label whose last word is one of them
#: (``First applicant:``, ``Judgment debtor:``, ``Subject 1:``, ``Joint holder / 联名户：``)
#: stands before a person's name, whatever words qualify it.
PERSON_NOUNS = (
    "applicant|co-applicant|debtor|co-debtor|drawee|member|subject|holder|spouse|witness|"
    "guarantor|surety|obligor|signatory|claimant|patient|driver|caller|visitor|tenant|lessee|"
    "heir|payee|payer|remitter|sender|recipient|borrower|co-borrower|cardholder|depositor|"
    "investor|client|customer|owner|director|representative|attorney|nominee|trustee|settlor|"
    "executor|employee|individual|person|party|creditor|assignor|assignee|mortgagor|grantor|"
    "pledgor|buyer|seller|purchaser|vendor|principal|agent|insured|deceased|minor|child|"
    "partner|shareholder|officer|contact|pay|occupier|occupant|landlord|landlady|companion|"
    "solicitor|lawyer|notary|treasurer|secretary|chair|chairperson|chairman|chairwoman|"
    "president|captain|coach|teacher|tutor|student|pupil|nurse|doctor|carer|guardian|"
    "daughter|son|wife|husband|mother|father|brother|sister|nephew|niece|cousin|grandson|"
    "granddaughter|colleague|neighbour|neighbor|interpreter|translator|co-owner|co-signatory|"
    # who supervised, inspected, guided or instructed (``Supervisor: A B, SIA licence holder``)
    "supervisor|inspector|guide|instructor|technician|surveyor|adjuster|stylist|booker|hirer|"
    "guest|passenger|homeowner|"
    # who ran a site or a case, or repaired (``Boatyard manager:``, ``Claims handler:``,
    # ``Attending engineer:``)
    "manager|handler|engineer"
)
#: Role nouns a company often fills (``Payee: Harbour Logistics``): the name needs a known word.
_COMPANY_NOUNS = frozenset(
    "holder payee payer remitter sender recipient borrower co-borrower client customer owner "
    "representative attorney nominee trustee party creditor assignor assignee buyer seller "
    "purchaser vendor principal agent insured shareholder partner contact drawee executor "
    "settlor guarantor surety obligor signatory director officer".split()
)
#: ``[qualifying words] role-noun [number] [(note)] [/ 中文]`` from a line's start (after a
#: field tag such as ``50`` or a list mark) to a colon; the name follows the colon.
_ROLE_NOUN_LABEL = guarded(
    r"[ \t]*(?:\d{1,3}[A-Z]?[ ]|\(?\d{1,2}[.)][ ]|[-*•][ ])?"
    # a bilingual form's Chinese label first (卖方律师 Seller's solicitor:)
    r"(?:[\u4e00-\u9fff]{1,8}[ ]?)?"
    r"(?:[A-Za-z][A-Za-z'-]*[ ]){0,3}"
    rf"(?P<noun>(?i:{PERSON_NOUNS}))s?(?:[ ]\d{{1,2}})?"
    # a participle that says what happened to the person (``Third party involved:``,
    # ``Client assessed:``, ``Customer present:``)
    r"(?:[ ](?:[a-z]{3,}ed|present|concerned))?"
    # and the label in Chinese after a slash or a space (``Interpreter 翻译:``)
    r"(?:[ ]?\([^)\n]{1,30}\))?(?:[ ]/[ ][^\n:：/]{1,12}|[ ][\u4e00-\u9fff]{1,6})?[ ]?"
)
_NAME_AFTER_COLON = guarded(rf"[ \t]*(?P<name>{_NAME}){END_OR_COLUMN}")
_COLON = guarded(r"[:：]")
#: The longest label read before a colon.
_LABEL_MAX = 80


def _role_noun_labels(text: str) -> list[tuple[str, re.Match[str]]]:
    """(role noun, name match) of each role-noun label: each colon's line is read back to its
    start (a label is short), so the text is scanned once, for colons."""
    out = []
    for c in _COLON.finditer(text):
        line = text.rfind("\n", 0, c.start()) + 1
        if c.start() - line > _LABEL_MAX:
            continue
        label = _ROLE_NOUN_LABEL.fullmatch(text, line, c.start())
        if label is not None:
            m = _NAME_AFTER_COLON.match(text, c.end())
            if m is not None:
                out.append((label.group("noun"), m))
    return out


#: Phrases a person's name follows in a letter's prose: a role after a possessive (``acting
#: through its director``), a statement's subject (``This is to confirm that``), what a name
#: reads (``The name on it is``), where money went (``sent on to``).
_PERSON_PHRASE = guarded(
    r"\b(?:(?:through|by|to|from|with|of)[ ](?:its|their|the|our|your|his|her)[ ]"
    rf"(?:[a-z-]+[ ])?(?:{PERSON_NOUNS})s?,?|"
    r"(?:certify|certifies|confirm|confirms|declare|declares|state|states)[ ]that|"
    r"name(?:[ ][a-z]+){0,3}[ ](?:is|reads|was|as)|"
    r"(?:sent|transferred|paid|remitted|forwarded|wired|moved)(?:[ ]on|[ ]onward)?[ ]to|"
    r"belongs[ ]to|belonged[ ]to)[ ]+"
    rf"(?P<name>{_NAME}){END}"
)
#: A deed's or a statement's maker (``I, A B, of ...``) and the person a deed appoints
#: (``appoint A B to operate``): the grammar names a person, no known word needed.
_SELF_NAMED = guarded(rf"(?:^|(?<=[\s(\"]))I,[ ](?P<name>{_NAME}),")
_APPOINTED = guarded(
    rf"\b(?:appoint|appoints|nominate|nominates|authori[sz]e|authori[sz]es)[ ]+"
    rf"(?P<name>{_NAME})(?=[ ](?:to|as)[ ]|,)"
)
#: A piece of each word ``_APPOINTED`` starts with, looked for first.
_APPOINT_WORDS = ("ppoint", "ominate", "uthoris", "uthoriz")
#: A role noun that a determiner or a possessive leads and a name in commas follows, an
#: apposition (``The client's partner, A B, attended``; ``her guarantor, A B,``).
#: A name in commas or before a semicolon (``the claimant's son, A B;``; looked for first, it is
#: rarer than the words before it), then the determiner, the possessive (``The Claimant's``
#: capitalised too) and the role before its first comma.
#: Jobs only a person holds, read before a name in commas (``our relationship manager, A B,``,
#: ``the client's CFO, A B,``).
_APPOSED_JOBS = (
    "manager|adviser|advisor|consultant|banker|analyst|assistant|supervisor|accountant|auditor|"
    "investigator|co-director|CEO|CFO|COO|CTO|perfumer|artist|assessor|seamstress|tailor|surveyor|"
    "inspector|engineer|technician"
)
_IN_COMMAS = guarded(rf",[ ](?P<name>{_NAME})[,;]")
_APPOSITION = guarded(
    r"\b(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Yy]our|[Mm]y|[Ii]ts)[ ]"
    rf"(?:(?P<owner>(?i:{PERSON_NOUNS})(?:'s|’s|s'))[ ]|(?P<firms>[A-Za-z][a-z]+(?:'s|’s|s'))[ ])?"
    # the role capitalised too, as an office is (the club Chair, A B,)
    rf"(?:(?:[a-z-]+|[A-Z]{{2,4}})[ ]){{0,2}}(?P<noun>(?i:{PERSON_NOUNS}|{_APPOSED_JOBS}))s?$"
)
#: How far before a name in commas its determiner and role are read.
_APPOSITION_REACH = 48
#: A chat line that asks for a name (``请问 beneficiary 的全名？``, ``Your full name?``) and the
#: next line, a speaker's reply that is only a name (``Client: A B``).
_NAME_QUESTION = guarded(
    r"(?im:^[^\n]*(?:name|全名|姓名|名字|户名)[^\n]{0,20}[?？][ \t]*\n)"
    rf"[ \t]*[A-Za-z\u4e00-\u9fff]{{1,20}}[ ]?[:：][ \t]*(?P<name>{_NAME})[ \t]*(?=\n|$)"
)
#: A log's timed line: a time, a column gap, one word for the kind of entry (``walk-in``,
#: ``appt``, ``phone``) and a gap, then who came and a dash or the line's end
#: (``09:12  walk-in  A B - replacement card``).
_TIMED_LINE = r"^[ \t]*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ ]{2,}|\t)[a-z][a-z/-]{1,14}(?:[ ]{2,}|\t)"
_TIMED_ENTRY = guarded(
    rf"{_TIMED_LINE}(?P<name>{_NAME})(?=[ ]+[-–—][ ]|[ \t]*(?:\n|$)|,[ ])", re.MULTILINE
)
_TIMED_LINES = guarded(_TIMED_LINE, re.MULTILINE)
_CHAT_REPLY = guarded(
    rf"^\[(?:You|Me|Client|Customer|User)\][ ]+(?P<name>{_NAME})[ \t]*$", re.MULTILINE
)
#: A cheque's or a form's upper-case field without a colon, as OCR reads it (``PAY A B *****``,
#: ``DRAWER A B``, ``PAY TO THE ORDER OF A B``).
_UPPER_FIELD = guarded(
    r"^[ \t]*(?:PAY(?:[ ]TO(?:[ ]THE[ ]ORDER[ ]OF)?)?|PAYEE|DRAWER|DRAWEE|ACCOUNT[ ]NAME|"
    r"A/C[ ]NAME|BENEFICIARY|REMITTER|"
    r"(?:REVIEWED|APPROVED|CHECKED|PREPARED|VERIFIED|AUTHORI[SZ]ED|SIGNED)[ ]BY)[ ]+"
    rf"(?P<name>{_NAME})(?=[ \t]*(?:$|\n|\*|[,.;:)(]|[ ]{{2,}}))",
    re.MULTILINE,
)
#: A piece of each field ``_UPPER_FIELD`` starts with, looked for first.
_UPPER_FIELD_WORDS = ("PAY", "DRAWE", " NAME", "BENEFICIARY", "REMITTER", " BY ")
#: An owner's or a payee's line of a numbered list: ``1. A B, 55%``, ``2) A B - IBAN``.
_LIST_OWNER = guarded(
    rf"^[ \t]*\d{{1,2}}[.)][ ]+(?P<name>{_NAME})(?:,[ ]|[ ][-–—:][ ]|，)", re.MULTILINE
)
#: Who did what a past participle says (``Approved by A B, Branch Manager``, ``owned by A B.``)
#: and to whom something was handed (``released today to A B, who``).
_DONE_BY = guarded(
    r"\b(?:(?:[A-Za-z][a-z]{2,}ed|(?i:drawn|written|signed|taken|given|seen|held|run|kept|made|"
    r"sent|paid))(?:[ ](?:off|up|out|over))?[ ]by:?|"
    r"(?:released|handed|given|paid|returned|delivered|issued|sent|transferred|addressed|"
    r"made[ ]out|made[ ]payable|payable)"
    rf"(?:[ ](?:today|back|directly|over|out))?[ ]to)[ ][\"“]?(?P<name>{_NAME})"
    # the letters of a profession's body may follow (Seen by: A B MRCVS, 1 June)
    rf"(?:[\"”]|(?:[ ][A-Z]{{2,6}}(?=[,\n]))?{END})"
)
#: A name that opens a sentence before what the person did or said (``A B asked whether``).
_SENTENCE_SUBJECT = guarded(
    # a note in brackets may stand between (``- A B (station volunteer) donated``); a role's
    # noun opens no name (``Donor A B gave``: the role rules read it)
    rf"(?:^|(?<=[.!?][ ])|(?<=[。！？；])|(?<=\n)|(?<=\n[-*•][ ]))(?!(?i:{PERSON_NOUNS}|donor)[ ])"
    rf"(?P<name>{_NAME})(?:[ ]\([a-z][a-z ]{{2,30}}\))?[ ]"
    r"(?:asked|said|stated|confirmed|reported|explained|noted|added|requested|called|visited|"
    r"agreed|declined|replied|wrote|signed|presented|attended|insisted|mentioned|told|sent|"
    r"paid|transferred|received|deposited|withdrew|opened|closed|applied|phoned|rang|emailed|"
    r"came|arrived|brought|walked|showed|collected|complained|disputed|queried|will|already|"
    r"donated|gave|pledged|has[ ](?:agreed|confirmed|asked|said)|had[ ](?:agreed|confirmed|asked)|"
    r"from[ ]the)\b"
)
#: A speaker's name and job in brackets before a colon at a line's start (``A B (Camp
#: Coordinator): Yes``).
_JOB_SPEAKER = guarded(
    rf"^[ \t]*(?P<name>{_NAME})[ ]\((?:[A-Za-z]+[ ]){{0,3}}(?:{'|'.join(sorted(JOB_WORDS))})\)[ ]?:",
    re.MULTILINE,
)
#: Trades only a person plies, after a name and a comma (``A B, an accredited restorer``).
_TRADES = (
    "restorer|dealer|valuer|conservator|appraiser|craftsman|craftswoman|luthier|jeweller|"
    "jeweler|engraver|woodcarver|tailor|locksmith|waller|stonemason|blacksmith|farrier|breeder|"
    "veterinarian|groomer|photographer|upholsterer|clockmaker|watchmaker|bookbinder"
)
#: A name before its holder's job after a comma: a title (``- A B, Mortgage Adviser``, ``A B,
#: Head of Marine Claims``, ``A B, Vice President``) or a job at a place (``for A B, teller at
#: the Westlands branch``).
_TITLED = guarded(
    rf"(?P<name>{_NAME}),[ ](?:(?:[A-Z][a-z]+[ ]){{0,2}}(?:{JOBS.title()}|President|Treasurer)\b"
    r"|Head[ ]of[ ][A-Z]"
    rf"|(?:a[ ]|the[ ]|our[ ]|senior[ ])?(?:[a-z]+[ ])?(?:{JOBS})[ ](?:at|of|in|for|with)\b"
    # or a trade only a person plies (``A B, an accredited restorer``, ``A B, antiques dealer,``)
    rf"|(?:an?[ ])?(?:[a-z]+[ ]){{0,2}}(?:{_TRADES})(?=[ ]?[,.;:(]))"
)
#: A form's job title in capitals right before a name (``—— Managing Director A B, Procurement
#: Manager C D``); the words are known or no common English word (``Compliance Officer Data
#: Protection`` is none), and no region's (``_REGION_WORDS``).
_TITLE_CASE_JOB = guarded(
    rf"\b(?:[A-Z][a-z]+[ ]){{0,2}}(?:{JOBS.title()}|Treasurer|Chair|President|Coordinator|"
    rf"Administrator|Auditor|Inspector)[ ](?P<name>{_NAME})(?:{END_OR_COLUMN}|(?=[ ]?{CJK_NEXT}))"
)
#: Words of a region a job covers, never of a name after it (``Sales Director Asia Pacific``).
_REGION_WORDS = frozenset(
    "Asia Pacific Africa America Americas Europe Atlantic Middle East West North South Central "
    "Greater Latin Nordic Baltic Caribbean Gulf Oceania Region".split()
)
#: A name alone on its line above its holder's job and firm (a letter's address block: ``A B``,
#: then ``Director, Vertical Limits Ltd``).
_NAME_ABOVE_JOB = guarded(
    rf"^[ \t]*(?P<name>{_NAME})[ \t]*\n[ \t]*(?:(?:[A-Z][a-z]+[ ]){{0,2}}"
    rf"(?:{JOBS.title()}|Director|Partner|Proprietor|Owner|Founder|Chair|President|"
    r"Coordinator|Administrator|Associate|Liaison|Auditor|Inspector|Ombudsman)\b,?"
    # or above the business the person trades as (``A B``, then ``trading as Reed Thatching``)
    r"|(?:[Tt]rading[ ]as|t/a)[ ])",
    re.MULTILINE,
)
#: A job in lower case right before a name, after a determiner or a Chinese word (``The
#: academy director A B told``, ``那边的 export manager A B 问``); the sentence goes on after
#: the name, in English or in Chinese. The job and the name are looked for first, then what
#: leads the job (``_JOB_LEAD``, which ends where the job starts).
_JOB_BEFORE = guarded(
    rf"(?:{JOBS}|treasurer|chair|chairman|chairwoman|president|founder|owner|counsel|CFO|CEO|COO)[ ]+"
    rf"(?P<name>{_NAME})(?=[ \t]*(?:$|\n|[,.;:)(])|[ ][a-z]|[ ]?{CJK_NEXT})"
)
_JOB_LEAD = guarded(
    r"(?:\b(?:[Tt]he|[Oo]ur|[Tt]heir|[Hh]is|[Hh]er|[Ii]ts|[Yy]our|[Mm]y)[ ](?:[a-z-]+[ ]){0,2}"
    r"|[\u4e00-\u9fff][ ]?(?:[a-z-]+[ ])?)$"
)
#: How far before a job its lead is read.
_JOB_LEAD_REACH = 40
#: A title that only a person bears, of a faith or a trade, before names no list may hold
#: (``Pastor A B``, ``Rev. A B``, ``Alhaji A B``), and a bank's relationship manager (``RM A
#: B``, also right after Chinese: ``香港分行RM A B接待``).
_TITLE_LEAD = (
    r"(?:\b(?:Pastor|Rev|Revd|Reverend|Imam|Rabbi|Alhaji|Alhaja|Hajia|Engr|Fr)\.?"
    r"|(?:\b|(?<=[\u4e00-\u9fff]))RM)[ ]+"
)
_TITLE_WORD = guarded(rf"{_TITLE_LEAD}(?P<name>{_NAME})(?:{END}|(?=[ ]?[\u4e00-\u9fff]))")
#: Such a title at a label's name (``Chair: Pastor A B``): the name is the words after it.
_TITLE_AT = guarded(_TITLE_LEAD)
#: A chat export's speaker after a time stamp (``[09:12] A B: morning``), a note in brackets and
#: a full-width colon allowed (``[10:34] A B（manager）：``, ``A B (Atlantic Foods, Dublin):``); the
#: stamp may have a line of its own above (``2024-03-12 10:15``, then ``A B（Kartli LLC）：``).
_STAMPED_SPEAKER = guarded(
    rf"^(?:[ \t]*{STAMP}|(?<=\d:\d\d\n))[ ]*(?P<name>{_NAME})[ ]?(?:[（(][^（）()\n]{{1,60}}[）)])?"
    r"(?::(?:[ ]|$)|：)",
    re.MULTILINE,
)
#: A chat export's line stamped in brackets (``[2024-11-19 17:06] ``, ``[14:02] ``).
_STAMPED_LINES = guarded(rf"^[ \t]*{BRACKETED_STAMP}", re.M)
#: A chat's speaker at a line's start (``A B: Thanks``), in a text whose other speaker is a
#: bank's role (``Agent:``, ``Advisor:``).
_CHAT_SPEAKER = guarded(rf"^(?P<name>{_NAME})(?::[ ]|：)", re.MULTILINE)
_CHAT_ROLE_LINE = guarded(
    r"^(?:(?:Agent|Advisor|Adviser|Operator|Support|Rep|Representative|Bot|Assistant|Banker)"
    r"(?:[ ][A-Z]?[a-z]+)?:[ ]|(?:客户经理|理财经理|坐席|客服|柜员)[：:])",
    re.MULTILINE,
)
#: A chat's customer with their name in brackets (``[14:02] Customer (A B): Hi``); after a
#: chat export's time stamp, any side's label (``[09:20] Boutique（A B）: Ciao``).
_NAMED_CUSTOMER = guarded(
    r"^(?:\[[^\]\n]{1,20}\][ ]*(?:[^\n()（）:：\[\]]{1,20}?)"
    r"|(?:\[[^\]\n]{1,20}\][ ]*)?(?:Customer|Client|Caller|Member|User)[ ])"
    rf"[（(](?P<name>{_NAME})[）)][ ]?[:：]",
    re.MULTILINE,
)
#: The sender and the payee of a ledger's line, either or both (``A B -> C D, address``).
_ARROW = guarded(rf"(?:(?P<name>{_NAME})[ ]?)?(?:->|→|=>)(?:[ ]?(?P<second>{_NAME}){END})?")
#: A person's possession or relation after a possessive (``in A B's name``, ``A B's tutor``).
_OWNER = guarded(
    rf"(?P<name>{_NAME})['’]s[ ](?:name|account|card|behalf|signature|estate|consent|"
    r"personal|own|mother|father|wife|husband|son|daughter|partner|tutor|carer|guardian|"
    r"employer|landlord|solicitor|adviser|advisor)\b"
)
#: A possessive after a preposition, whatever is owned (``the wiring details for A B's
#: appearance fee``): only names no list holds as English words are read there.
_OWNER_AFTER = guarded(
    r"(?:(?<=\bfor[ ])|(?<=\bof[ ])|(?<=\bto[ ])|(?<=\bfrom[ ])|(?<=\bwith[ ])|(?<=\bby[ ]))"
    rf"(?P<name>{_NAME})['’]s[ ][a-z]"
)
#: A quotation that opens with a name and a verb (``said "A B is my fiance``).
_QUOTED_SUBJECT = guarded(
    rf"[\"“'‘](?P<name>{_NAME})[ ]"
    r"(?:is|was|has|had|will|would|said|says|told|asked|called|sent|paid)\b"
)
_PARTICLE_AFTER_LABEL = guarded(
    r"\b(?:[Nn]ame|[Hh]older|[Bb]eneficiary|[Cc]lient|[Cc]ustomer|[Aa]pplicant|[Bb]orrower|"
    r"[Pp]ayee|[Rr]emitter)(?:[ ][a-z]+){0,3}(?:[ ][\u4e00-\u9fff]{1,6})?[ ]?[:：][ \t]*"
    rf"(?P<name>{NAME_WORD}[ ](?:{PARTICLE}[ ]){{1,2}}{NAME_WORD}(?:[ ]{NAME_WORD})?){END}"
)
#: Role labels that only a person fills.
_PERSON_ROLE = guarded(
    r"(?:Complainant|Policyholder|Principal client|Deceased|Decedent|Next of [Kk]in|"
    r"(?:New[ ])?(?:[Pp]rimary|[Cc]ontingent|[Ss]econdary)[ ][Bb]eneficiary)"
)
#: What follows a name that fills the rest of a label's line.
_LINE_END = guarded(r"[ \t]*(?:\n|$|,[ ]of\b)")
#: What follows a name after a person's role label: the line's end, or a comma and more
#: (``Drawee: A B, 12 Main Street``; a company's legal form is checked afterwards).
_NAME_ENDS = guarded(r"[ \t]*(?:\n|$|,[ ]|[ ]?\()|[ ]{2,}|\t")

#: A name that opens a list's item or a field, before its holder's number in international
#: form (``Contacts: 古秀云 手机…；Somadina Chukwu +212 6 50 12 34 56``).
_BEFORE_PHONE = guarded(
    rf"(?:(?<=[:：;；,，][ ])|(?<=[；，]))(?P<name>{_NAME})[ ](?=\+\d{{1,3}}[ ]?\d)"
)
#: A name, its department and what the person wrote or said (``A B of Export Sales wrote``):
#: the department and the verb are looked for first, then the name right before them.
_DEPARTMENT_SAID = guarded(
    r"[ ]of[ ](?:the[ ])?(?:[A-Z][a-z]+[ ]){1,3}"
    r"(?:wrote|said|replied|confirmed|stated|explained|noted|added|asked|advised)\b"
)
_NAME_BEFORE = guarded(rf"(?<![\w.-])(?P<name>{_NAME})$")
#: How far before its department a name is read.
_NAME_REACH = 60


#: The rules read last, with the name groups each gives.
_NAME_RULES = (
    (_ROLE_LABEL, ("name", "second")),
    (_ROLE_PHRASE, ("name",)),
    (_PERSON_PHRASE, ("name",)),
    (_CHAT_REPLY, ("name",)),
    (_LIST_OWNER, ("name",)),
    (_PARTICLE_AFTER_LABEL, ("name",)),
    (_DONE_BY, ("name",)),
    (_SENTENCE_SUBJECT, ("name",)),
    (_TITLED, ("name",)),
    (_STAMPED_SPEAKER, ("name",)),
    (_JOB_SPEAKER, ("name",)),
    (_NAMED_CUSTOMER, ("name",)),
    (_BEFORE_PHONE, ("name",)),
)


def find_role_names(text: str, known: frozenset[str], not_name: frozenset[str]) -> list[Entity]:
    """Names after the role labels and phrases above, in chat replies and owners' lists;
    ``known``: given names of every country and known surnames."""
    out: list[Entity] = []
    lines = lines_with(_ANY_NAME, text)  # the rules below scan only these lines
    if not lines:
        return out  # every rule here reads two name words or more (most Chinese texts have none)
    for noun, m in _role_noun_labels(text):
        title = _TITLE_AT.match(text, m.start("name"))
        start = title.end() if title else m.start("name")
        alone = title is not None or (  # a person's title is proof enough
            noun.lower() not in _COMPANY_NOUNS and _NAME_ENDS.match(text, m.end("name")) is not None
        )
        if name_ok(text[start : m.end("name")], known, not_name, alone):
            out.append(Entity(start, m.end("name"), "NAME"))
    for c in _IN_COMMAS.finditer(text) if ", " in text else ():
        role = _APPOSITION.search(text, max(0, c.start() - _APPOSITION_REACH), c.start())
        # a role only a person fills, any role of a person's (the client's partner), a firm's
        # officer (the carrier's claims officer, the Defendant's director): a company's role
        # (our partner, Harbour Logistics,) is left alone
        noun = "" if role is None else role.group("noun").lower()
        if role is None or (
            role.group("owner") is None
            and noun in _COMPANY_NOUNS
            and (role.group("firms") is None or noun not in ("director", "officer"))
        ):
            continue
        if name_ok(c.group("name"), known, not_name, alone=True):
            out.append(Entity(c.start("name"), c.end("name"), "NAME"))
    cued = (
        (_SELF_NAMED, "I, " in text),
        (_APPOINTED, any(w in text for w in _APPOINT_WORDS)),
        (_NAME_QUESTION, "?" in text or "？" in text),
    )
    for rx, present in cued:
        for m in rx.finditer(text) if present else ():
            if name_ok(m.group("name"), known, not_name, alone=True):
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    entries = list(at_line_starts(_TIMED_ENTRY, text)) if ":" in text or "." in text else []
    log = len(entries) >= 2 or (entries and len(_TIMED_LINES.findall(text)) >= 2)
    for m in entries:
        # two timed lines or more make a log, whose name column needs no known word
        if name_ok(m.group("name"), known, not_name, alone=bool(log)):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    if any(w in text for w in _UPPER_FIELD_WORDS):
        for m in _UPPER_FIELD.finditer(text):
            if name_ok(m.group("name"), known, not_name):
                out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    arrows = (_ARROW,) if any(a in text for a in ("->", "→", "=>")) else ()
    owners = (_OWNER, _OWNER_AFTER) if "'s " in text or "’s " in text else ()
    for rx in (*arrows, *owners, _QUOTED_SUBJECT, _TITLE_CASE_JOB, _TITLE_WORD):  # name lines
        # a menu's path has arrows too (``Edit → Mark Packages``), a possessive follows a
        # place (``New York's``) and a quotation may open with a nickname (``"Big John
        # has``): no common English word, even a listed one; a title may head an event
        # (``Pastor Appreciation Day``): no unlisted common word
        strict = rx is not _TITLE_WORD and rx is not _TITLE_CASE_JOB
        for m in on_lines(rx, text, lines):
            for key in ("name", "second") if rx is _ARROW else ("name",):
                name = m.group(key)
                if rx is _TITLE_CASE_JOB and not _REGION_WORDS.isdisjoint(name.split(" ")):
                    continue
                if name and unlisted_name(name.split(" "), known, not_name, strict=strict):
                    out.append(Entity(m.start(key), m.end(key), "NAME"))
    # a chat export of three stamped lines or more: its speakers' column needs no known word
    export = len(_STAMPED_LINES.findall(text)) >= 3 if "[" in text else False
    for rx, keys in _NAME_RULES:  # (a text without the words every match holds: none)
        for m in on_lines(rx, text, lines) if holds(text, required(rx)) else ():
            for key in keys:
                name = m.group(key)
                alone = (
                    rx is _ROLE_LABEL
                    and _PERSON_ROLE.fullmatch(m.group("role")) is not None
                    and _LINE_END.match(text, m.end(key)) is not None
                ) or (export and rx is _STAMPED_SPEAKER)
                if name and name_ok(name, known, not_name, alone):
                    out.append(Entity(m.start(key), m.end(key), "NAME"))
    for m in at_line_starts(_NAME_ABOVE_JOB, text) if "\n" in text else ():
        if name_ok(m.group("name"), known, not_name):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    chat = next(at_line_starts(_CHAT_ROLE_LINE, text), None) is not None
    for m in _CHAT_SPEAKER.finditer(text) if chat else ():
        if name_ok(m.group("name"), known, not_name):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in on_lines(_JOB_BEFORE, text, lines):
        led = _JOB_LEAD.search(text, max(0, m.start() - _JOB_LEAD_REACH), m.start())
        if led is not None and name_ok(m.group("name"), known, not_name):
            out.append(Entity(m.start("name"), m.end("name"), "NAME"))
    for m in on_lines(_DEPARTMENT_SAID, text, lines) if " of " in text else ():
        n = _NAME_BEFORE.search(text, max(0, m.start() - _NAME_REACH), m.start())
        if n is not None and name_ok(n.group("name"), known, not_name):
            out.append(Entity(n.start("name"), n.end("name"), "NAME"))
    return out
