"""English person names (and Chinese names written in pinyin), without a model.

Capitalised words after an honorific (Mr., Ms., Dr. ...), a salutation (Dear ...) or a field
label (Name:, Beneficiary: ...); after a cue word (customer, caller, this is ...) when the
first word is a known given name; a common given name (``data/given_names_en*.txt``) or a
Chinese family name in pinyin followed by a capitalised surname or pinyin given name; words
that spell the user part of a nearby e-mail address (``John Smith <john.smith@...>``).
"""

from __future__ import annotations

import re

from stages.pii.latin import IRISH_PARTICLE, LOWER, NAME_PARTICLES, NAME_WORD, UPPER, L, U
from stages.pii.names_person import JOB_WORDS
from stages.pii.names_person import SURNAME_WORDS as _SURNAME_WORDS
from stages.pii.names_vocab import english_words, load_lexicon, unlisted_name
from stages.pii.patterns import Entity
from stages.pii.rx import folded, guarded

__all__ = ["EN_AMBIGUOUS_GIVEN", "EN_JOB_HEADS", "EN_NOT_NAME", "EnglishNames", "vetoed"]

_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam|Mdm|Mister|Messrs)\.?"
_NAME_WORD = rf"(?:{NAME_WORD}|[A-Z]\.)"
_EN_NAME = rf"{_NAME_WORD}(?:[ ]{_NAME_WORD}){{0,2}}"
#: After a title, particles may join the name's words (``Mr Aurora da Rosa``, ``Ms Ana dos Santos``).
_PARTICLES = rf"(?:(?:{NAME_PARTICLES})[ ]){{0,2}}"
_EN_HONORIFIC = guarded(
    rf"\b{_HONORIFIC}[ ]+(?P<name>{_NAME_WORD}(?:[ ]{_PARTICLES}{_NAME_WORD}){{0,2}})"
)
#: A lower-case word right after a word: a sentence going on.
_SENTENCE_ON = guarded(r"[ ][a-z]")
_EN_LABEL = guarded(
    # a key of a ``key : value`` export (``full_name   :``) is a label too
    r"(?:\b(?:(?:full|first|last|given|family|legal|customer|client|holder|payee|"
    r"beneficiary|account|contact)_[Nn]ame[ \t]*(?=[:：])|[Nn]ame|Account [Hh]older|Account [Nn]ame|Beneficiary|Borrower|"
    r"Co-borrower|Applicant|Payee|Payer|Remitter|Sender|Recipient|Guarantor|Cardholder|"
    r"Card [Hh]older|[Cc]ontact|Attn|Attention|Signed|Signature|Prepared by|Approved by|"
    r"Reviewed by|Witnessed by|Checked by|Verified by|Authori[sz]ed by|Certified by|"
    r"Notes by|Logged by|Written by|Compiled by|Completed by|Lead [Gg]uest|Guest|"
    r"Relationship [Mm]anager|Spouse|Witness|"
    r"Borrower [Nn]ame|Customer [Nn]ame|Beneficiary [Nn]ame|Full [Nn]ame|"
    r"Ordering [Cc]ustomer|Requester|Requestor|Customer|Account [Pp]arty|"
    r"Authori[sz]ed [Ss]ignatory|Speaker|Presenter|Panell?ist|Moderator|Interviewer|Interviewee|"
    r"Valuer|Surveyor|Adviser|Advisor|Assessor|Inspector|Examiner|Author|Parent/[Gg]uardian|"
    r"(?<![^\n])(?:To|From)|"  # an e-mail's header lines
    r"Name o[fn] (?:the )?[a-z-]+(?:[ ][a-z-]+)?)"
    r"[ ]?[:：][ ]*|\bDear[ ]+(?:" + _HONORIFIC + r"[ ]+)?|\bAttn\.[ ]+|\bFAO[ ]+"
    # a copy line, a desk between in Chinese (``cc 合规 A B``)
    r"|\b(?:cc|Cc|CC)[ ]?[:：]?[ ]+(?:[\u4e00-\u9fff]{1,6}[ ])?)"
    rf"(?P<name>{_EN_NAME})"
)
_EN_CUE_WORD = guarded(
    r"\b(?:(?i:customer|client|borrower|applicant|cardholder|beneficiary|guarantor|account holder|"
    r"caller|payee|remitter|my name is|name is|I am|I'm|this is|This is|spoke to|spoke with|"
    r"signed(?: electronically| digitally)? by|on behalf of|handler|officer|adviser|advisor|"
    r"account name|attn\.?)|HR)[ ,]+"
    rf"(?P<name>{_NAME_WORD}[ ]{_NAME_WORD}(?:[ ]{_NAME_WORD})?)"
)
#: One of these (case folded) must be in a text for ``_EN_CUE_WORD`` to be tried (a substring
#: test is much cheaper than the case-insensitive pattern).
_EN_CUE_WORDS = tuple(
    "customer|client|borrower|applicant|cardholder|beneficiary|guarantor|account holder|caller|"
    "payee|remitter|name is|i am|i'm|this is|spoke to|spoke with|signed by|on behalf of|handler|"
    "officer|adviser|advisor|hr |electronically by|digitally by|account name|attn".split("|")
)
_EN_PAIR = guarded(
    rf"(?<![{UPPER}{LOWER}0-9])(?P<first>{U}{L}+(?:-{U}{L}+)?)[ ](?P<rest>{_NAME_WORD}(?:[ ]{_NAME_WORD})?)"
)
#: The head nouns of job titles, none of them in the surname lists (``A B, Line Producer``):
#: the job words of ``names_roles`` but the surnames among them, and more.
_EN_JOB_HEADS = (JOB_WORDS - {"Clerk", "Head", "Lead"}) | frozenset(
    """Producer Engineer Editor Designer Developer Technician Receptionist Architect Surveyor
    Pharmacist Programmer Planner Paralegal Solicitor Attorney Lawyer Recruiter Trainee Intern
    Actuary Broker Curator Dispatcher Economist Journalist Librarian Mechanic Nurse Physician
    Professor Psychologist Realtor Registrar Scientist Strategist Surgeon Teacher Therapist
    Translator Interpreter Treasurer Trustee Tutor Valuer Veterinarian Adjuster Appraiser
    Assessor Bookkeeper Caseworker Chef Counsellor Counselor Dentist Dietitian Electrician
    Estimator Paramedic Photographer Plumber Publicist Researcher Scheduler Statistician
    Storekeeper Superintendent Webmaster Videographer Cinematographer Choreographer Animator
    Illustrator Copywriter Handler Banker Examiner Rep Reps Piercer Driller Installer Instructor
    Maker Organiser Organizer Owner Chair Sales Buyer Adjudicator""".split()
)
# Words that cannot be part of a person's name in these positions (organisations, places,
# calendar words, sentence words).
_EN_NOT_NAME = (
    frozenset(
        """Bank Banking Ltd Limited Inc Corp Corporation Company Co Group Holdings Branch Street St
    Road Rd Avenue Ave Lane Drive Court Way Place Square Building Tower Centre Center Plaza
    House Hospital University College School Insurance Securities Capital Trust Fund
    Account Card Visa Mastercard January February March April May June July August September
    October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday The A An
    And Or Of In On At For With From To By This That These Those Please Thank Thanks Regards
    Dear Sir Madam Mr Mrs Ms Dr Team Department Dept Office Service Services Customer Client
    Loan Mortgage Credit Debit Transfer Payment Bill Statement Branch Manager Director Officer
    Kong Shanghai Beijing Shenzhen London York China Kingdom States America Singapore
    Tianjin Guangzhou Chongqing Chengdu Hangzhou Nanjing Wuhan Xiamen Qingdao Dalian Ningbo
    Suzhou Shenyang Harbin Kunming Urumqi Lhasa Erenhot
    Yes No Not Our Your His Her Its Their We You He She It They I Re Fwd Subject Date Note Ref
    SWIFT IBAN BIC USD CNY RMB EUR GBP HKD Tel Phone Mobile Email Fax Address Name Id Passport
    Reference Amount Total Balance Interest Rate Fee Today Tomorrow Yesterday Sincerely Best
    Kind Warm Good Hello Hi Morning Afternoon Evening Sorry Okay Sure Welcome Agent Caller
    Period Payable Receivable Accounts Church Valued Valuable Respected Esteemed Customers
    Bonjour Hola Ciao Hallo Salut Jambo Habari Namaste Salaam Shalom Merci Gracias Danke Grazie
    Buongiorno Buonasera Bonsoir Hej Hei
    Clients Colleague Colleagues All Member Members Cardholder Cardholders Partner Partners
    Friend Friends Shareholder Shareholders Investor Investors Finance Compliance Risk Treasury
    Legal Audit Operations Support Desk Payments Fees Holiday Sale Deposit Withdrawal Report
    Policy Terms Notice Number Code Limit Check Cheque Online App Portal Plan Program Scheme
    Programme Programmes
    Award Prize Foundation Society Association Council Committee Board Ministry Court Police
    Beneficiary Remitter Applicant Borrower Holder Requester Payee Payer Signatory Ordering
    Identification Identity Translate Translation Sdn Bhd Pte Pty GmbH None Using Chartered
    Heathrow Gatwick Stansted Guardian Guardians Parent Parents Supervising Term Terms Semester
    Trimester Intake Smallholding Smallholdings Farm Farms Ranch Homestead Cert""".split()
    )
    | _EN_JOB_HEADS
    | frozenset(
        # holidays (on Christmas Eve)
        "Christmas Easter Thanksgiving Hanukkah Diwali Halloween".split()
    )
)
#: Words that greet the person whose name follows (``Hi XU, Rui``, ``Dear WANG Fang``).
_GREETINGS = frozenset("Hi Hey Hello Dear Thanks Morning Welcome Attn Cc".split())
_NEXT_WORD = guarded(r"[ ]([A-Z][a-z]+)\b")
#: Given names that are also ordinary words (Grace period, Bill payment, May 5): without a
#: cue they count only before a known surname.
#: An Irish surname with its particle (``Ó Gamhna``), a surname whatever its spelling.
_IRISH_SURNAME = guarded(rf"{IRISH_PARTICLE}[ ]")
_EN_AMBIGUOUS_GIVEN = frozenset(
    """Grace Mark Bill Will May June April Rose Joy Hope Faith Amber Penny Dawn Summer Sandy
    Frank Iris Ivy Jean Art Don Ray Chase Hunter Page Lane Dean Grant Lee Norman Victoria
    Jack Max Sterling Chance Crystal Ruby Pearl Daisy Lily Poppy Holly Jade Sky Rich Guy Sally
    Carol Harry Sam Tom Ben Nick Rob Bob Pat Sue Kit Don Gene Will Woody Rusty""".split()
)


_EMAIL_USER = guarded(r"([A-Za-z0-9._-]{2,64})@[A-Za-z0-9-]+\.")
#: What ``_EMAIL_USER``'s user part is made of.
_USER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def _email_users(text: str) -> list[re.Match[str]]:
    """``_EMAIL_USER.finditer(text)``'s matches, tried only before each @: a match starts
    where the run of user-part characters before the @ starts (64 at most; not before the
    last match's end)."""
    out: list[re.Match[str]] = []
    pos = 0
    at = text.find("@")
    while at >= 0:
        start = at
        while start > pos and at - start < 64 and text[start - 1] in _USER_CHARS:
            start -= 1
        m = _EMAIL_USER.match(text, start) if at - start >= 2 else None
        if m is not None:
            out.append(m)
            pos = m.end()
        at = text.find("@", max(at + 1, pos))
    return out


_PINYIN_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|"
    r"ua|uo|ui|ue|er|a|o|e|i|u|v)"
)
_PINYIN_WORD = guarded(rf"(?:{_PINYIN_SYLLABLE}){{1,3}}(?:-(?:{_PINYIN_SYLLABLE}){{1,3}})?")
#: A Chinese given name in pinyin: one or two syllables (``Na``, ``Xiuying``, ``Xiao-Ming``).
_PINYIN_GIVEN = guarded(rf"(?:{_PINYIN_SYLLABLE}){{1,2}}|{_PINYIN_SYLLABLE}-{_PINYIN_SYLLABLE}")
_PINYIN_TWO = guarded(rf"{_PINYIN_SYLLABLE}{_PINYIN_SYLLABLE}")
#: A Chinese name in pinyin as passports and Western forms print it, the family name marked by
#: a comma after it or by capitals: ``WANG, Xiuying``, ``Wang, Xiuying``, ``Xiuying WANG``,
#: ``WANG Xiuying``.
_PINYIN_ORDER = guarded(
    # no Latin letter or digit before (Chinese may be: 对方联系人MA Ning), nor after, nor a hyphen
    # and a letter (Muli Ben-Yehuda)
    r"(?<![A-Za-z0-9])(?:(?P<fam_comma>[A-Z][a-z]+|[A-Z]{2,}),[ ](?P<given_comma>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)"
    r"|(?P<given_caps>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)[ ](?P<fam_caps>[A-Z]{2,})"
    r"|(?P<fam_first>[A-Z]{2,})[ ](?P<given_first>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)"
    # a two-syllable given name before a family name in title case (Xiuhua Qi, Jianjun Wang)
    r"|(?P<given_two>[A-Z][a-z]{3,11})[ ](?P<fam_last>[A-Z][a-z]+))(?![A-Za-z0-9_]|-[A-Za-z])"
)


#: Family names in pinyin that are also English words (安 An, 尤 You, 满 Man, 艾 Ai, 毕 Bi):
#: names only where capitals mark the family name (``Yu AN``, ``AN Ying``, ``YOU, Lan``).
_PINYIN_CAPS_ONLY = frozenset(
    "An You Man Ai Bi Le Pi Di Mi Ba Ban Dan Ran E She Tong Lao Wo Ben".split()
)
#: Frequent Chinese family names in pinyin that spell no English word: after a one-syllable
#: given name in pinyin (``Bin Zhang``, ``Jun Li``), a name even where the given name spells one.
_FREQUENT_PINYIN_FAMILY = frozenset(
    """Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Zhu Hu Guo Lin Gao Luo Zheng Liang Xie
    Tang Han Cao Deng Xiao Feng Zeng Cheng Cai Peng Yuan Dong Su Ye Lu Wei Jiang Tian Du Shen
    Zhong Dai Cui Ren Liao Yao Qiu Xia Zou Xiong Meng Qin Xue Hou Duan Hao Shao Mao Gu Qian
    Niu""".split()
)
#: A one-syllable given name and a family name in title case, no capitalised word after them.
_PINYIN_ONE = guarded(
    rf"(?<![A-Za-z0-9])(?P<given>[A-Z](?:{_PINYIN_SYLLABLE}))[ ](?P<family>[A-Z][a-z]{{1,5}})"
    r"(?![A-Za-z0-9_]|-[A-Za-z]|[ ][A-Z])"
)
#: Places spelt as a pinyin family name and a syllable.
_PINYIN_PLACES = frozenset(
    """Hong Kong|Ma Wan|Chai Wan|Tin Hau|Sha Tin|Tai Po|Sai Kung|Wan Chai|Fo Tan|Mong Kok|
    Yuen Long|Tai Wai|Tai Hang|Lam Tin|Tsing Yi|Tai Koo|Ha Noi|Da Nang|Hai Phong|Xi An""".replace(
        "\n    ", ""
    ).split("|")
)


class EnglishNames:
    """The English rules over the given-name, surname and pinyin lists."""

    def __init__(
        self,
        given: frozenset[str],
        surnames: frozenset[str],
        pinyin: frozenset[str],
        known: frozenset[str],
    ):
        self._en_given = given
        self._en_surnames = surnames
        self._pinyin = pinyin
        #: the given names and surnames of every country (``names_vocab.unlisted_name``)
        self._known = known

    def clean(self, text: str, start: int, name: str) -> tuple[int, int] | None:
        words = name.split(" ")
        while words and words[-1].rstrip(".") in _EN_NOT_NAME:
            words.pop()
        if not words or words[0].rstrip(".") in _EN_NOT_NAME:
            return None
        if all(len(w) <= 2 for w in words):
            return None
        return start, start + len(" ".join(words))

    def _label_name_ok(self, text: str, start: int, end: int) -> bool:
        """One word after a label (``name : Should be``) is a name only when it is a known given
        name, surname or pinyin family name, and not a common English word that a sentence goes
        on from (``Customer: Will do, thanks``); words after a label or a salutation are none
        when each is a common English word that no name list holds (``Dear Grants Panel``)."""
        name = text[start:end]
        common = english_words()[0]
        if " " in name:
            return not all(w not in self._known and w.casefold() in common for w in name.split())
        word = name.rstrip(".")
        if word.casefold() in common and _SENTENCE_ON.match(text, end):
            return False
        return word in self._en_given or word in self._en_surnames or word in self._pinyin

    def find(self, text: str, out: list[Entity]) -> None:
        for rx in (_EN_HONORIFIC, _EN_LABEL):
            for m in rx.finditer(text):
                span = self.clean(text, m.start("name"), m.group("name"))
                if (
                    span
                    and rx is _EN_LABEL
                    and text[span[1] : m.end("name")].split(" ")[-1] in _EN_JOB_HEADS
                    and (
                        " " not in text[span[0] : span[1]]
                        or text[span[0] : span[1]].split(" ")[0] not in self._en_given
                    )
                ):
                    # Author: Bereavement Case Handler, To: Kit Coordinator: a job's words, its
                    # title cut
                    continue
                if span and (rx is _EN_HONORIFIC or self._label_name_ok(text, *span)):
                    out.append(Entity(span[0], span[1], "NAME"))
        low = folded(text)
        cued = any(w in low for w in _EN_CUE_WORDS)
        for m in _EN_CUE_WORD.finditer(text) if cued else ():
            words = m.group("name").split(" ")
            span = self.clean(text, m.start("name"), m.group("name"))
            if not span or span[1] - span[0] <= len(words[0]):
                continue
            # a known first name, or words no name list holds that are no English words
            # (``I'm Sadan Jaabir``)
            if (
                words[0] in self._en_given
                or words[0] in self._pinyin
                or unlisted_name(text[span[0] : span[1]].split(" "), self._known, _EN_NOT_NAME)
            ):
                out.append(Entity(span[0], span[1], "NAME"))
        # a pair whose first word is no given name may hide one that starts at its second
        # (``Customer He Feng``): the search goes on from there
        pos, after_word = 0, -1
        common = english_words()[0]
        while (pair := _EN_PAIR.search(text, pos)) is not None:
            # right after a capitalised word, a given name that is an English word starts a
            # title's words, not a name (``Have You Ever Wanted``)
            span = None
            if (
                pair.start() != after_word or pair.group("first").casefold() not in common
            ) and text[max(0, pair.start() - 4) : pair.start()] not in ("the ", "The "):
                span = self._pair(text, pair)  # the Autumn Unlimited pass: a thing's name
            if span:
                out.append(Entity(span[0], span[1], "NAME"))
            pos, after_word = (pair.end(), -1) if span else (pair.start("rest"), pair.start("rest"))

    def _pair(self, text: str, m: re.Match[str]) -> tuple[int, int] | None:
        """The name of a match of ``_EN_PAIR``, if it is one: a listed given name or a pinyin
        family name, then a surname or pinyin given name."""
        first, rest = m.group("first"), m.group("rest")
        if first in _EN_AMBIGUOUS_GIVEN:
            # a known surname, or an Irish one, whose particle marks it (Iris Ó Gamhna)
            if rest.split(" ")[0] not in self._en_surnames and not _IRISH_SURNAME.match(rest):
                return None
        elif first in self._en_given or (
            "-" in first and all(p in self._en_given for p in first.split("-"))
        ):
            pass  # Sophie-Louise: a double given name
        elif first in self._pinyin:
            if f"{first} {rest.split(' ')[0]}" in _PINYIN_PLACES:
                return None  # Lam Tin, Xi An: a place
            parts = rest.split(" ")
            if not all(_PINYIN_WORD.fullmatch(p.lower()) and len(p) <= 12 for p in parts):
                rest = parts[0]
                if not (_PINYIN_WORD.fullmatch(rest.lower()) and len(rest) <= 12):
                    return None
        else:
            return None
        span = self.clean(text, m.start("first"), f"{first} {rest}")
        if span is None and self._short_pinyin(first, rest):
            span = m.start("first"), m.start("first") + len(first) + 1 + len(rest)
        return span if span and span[1] - span[0] > len(first) else None

    def _short_pinyin(self, first: str, rest: str) -> bool:
        """A pinyin family name and a pinyin given name of one or two syllables, however short
        and whatever English word they also spell (``Qu Bo``, ``He Feng``, ``Huang Hong``)."""
        return first in self._pinyin and _PINYIN_GIVEN.fullmatch(rest.lower()) is not None

    def find_pinyin_order(self, text: str, out: list[Entity]) -> None:
        """Chinese names in pinyin with the family name marked by a comma or capitals
        (``_PINYIN_ORDER``): the family name is in the pinyin list and the given name is one
        or two pinyin syllables."""
        # a candidate that fails the lists must not hide one that starts inside it (``Dear
        # ZHENG Qian``, ``Signed, Chen, Wei``): after a failure the search goes on from the
        # next character, after a find from its end
        pos = 0
        while (m := _PINYIN_ORDER.search(text, pos)) is not None:
            if self._pinyin_name(m):
                out.append(Entity(m.start(), m.end(), "NAME"))
                pos = m.end()
            else:
                pos = m.start() + 1
        for m in _PINYIN_ONE.finditer(text):
            # Bin Zhang, Jun Li: not after a third capitalised pinyin word (Qin Shi Huang), nor
            # a place (Hong Kong)
            before = text[max(0, m.start() - 7) : m.start()].rsplit(" ", 2)
            third = len(before) > 1 and before[-2][:1].isupper()
            if (
                m.group("family") in _FREQUENT_PINYIN_FAMILY
                and m.group() not in _PINYIN_PLACES
                and not (third and _PINYIN_WORD.fullmatch(before[-2].lower()))
            ):
                out.append(Entity(m.start(), m.end(), "NAME"))

    def _pinyin_name(self, m: re.Match[str]) -> bool:
        """Whether ``m`` of ``_PINYIN_ORDER`` is a name: its words pass the lists."""
        if m.group("given_two"):
            # both words pinyin, the given name exactly two syllables, neither an English
            # given name or surname the lists know (Jianjun Wang, not Megan Li); after such a
            # given name a family name that is an English word is one too (Guirong An)
            given, family = m.group("given_two"), m.group("fam_last")
            return (
                (family in self._pinyin or family in _PINYIN_CAPS_ONLY)
                and _PINYIN_TWO.fullmatch(given.lower()) is not None
                and given not in self._en_given
                and given not in self._en_surnames
            )
        family = m.group("fam_comma") or m.group("fam_caps") or m.group("fam_first")
        given = m.group("given_comma") or m.group("given_caps") or m.group("given_first")
        if m.group("given_caps") in _GREETINGS:
            return False  # a greeting before the family name (Hi XU, Rui): no given name
        if given in ("No", "Nos") and m.string.startswith(".", m.end()):
            return False  # PI No. TZHF-2403: a document's number, not a family name and No
        after = _NEXT_WORD.match(m.string, m.end())
        if m.group("given_comma") and after and after.group(1) in _EN_NOT_NAME:
            return False  # He Yu, Line Producer: the first word of a job title after a name
        return (
            family.capitalize() in self._pinyin
            or (family.isupper() and family.capitalize() in _PINYIN_CAPS_ONLY)
        ) and _PINYIN_GIVEN.fullmatch(given.lower()) is not None

    def find_by_email(self, text: str, out: list[Entity]) -> None:
        """``John Smith <john.smith@...>``: capitalised words that spell the e-mail's user part."""
        for m in _email_users(text):
            parts = {p for p in re.split(r"[._\-\d]+", m.group(1).lower()) if len(p) >= 2}
            if len(parts) < 1:
                continue
            lo = max(0, m.start() - 80)
            for pm in _EN_PAIR.finditer(text, lo, m.start()):
                words = f"{pm.group('first')} {pm.group('rest')}".split(" ")
                hits = sum(w.lower() in parts for w in words)
                if hits and (hits >= 2 or len(parts) == 1 or words[0].lower() in parts):
                    span = self.clean(text, pm.start(), " ".join(words))
                    if span and span[1] - span[0] > len(words[0]):
                        out.append(Entity(span[0], span[1], "NAME"))


EN_NOT_NAME = _EN_NOT_NAME


def vetoed(words: list[str], not_name: frozenset[str], title: bool = False) -> bool:
    """Whether a word of ``not_name`` is among ``words`` (title-cased first with ``title``, a
    full stop after it aside); after the first word, one of ``_SURNAME_WORDS`` is a surname,
    and a month that is a given name too is one before a known surname (``May Berg``, not
    ``May 2024`` nor ``June Quarter``)."""
    return any(
        (w.title() if title else w).rstrip(".") in not_name
        and not (k > 0 and w in _SURNAME_WORDS)
        and not (k == 0 and w in _MONTH_GIVEN and len(words) > 1 and _known_surname(words[1]))
        for k, w in enumerate(words)
    )


#: Months that are given names too (May Berg, June Carter).
_MONTH_GIVEN = frozenset({"May", "June", "April", "August"})


def _known_surname(word: str) -> bool:
    lexicon = load_lexicon()
    return word in lexicon["en_surnames"] or word in lexicon["world_surnames"]


EN_AMBIGUOUS_GIVEN = _EN_AMBIGUOUS_GIVEN
EN_JOB_HEADS = _EN_JOB_HEADS
