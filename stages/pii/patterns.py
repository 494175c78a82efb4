"""Structured identifiers: one regex pass for candidates, then validators and context.

Candidates come from one scan of their forms (``candidates.py``): e-mail addresses, IP
addresses, and *runs*: chunks of digits and upper-case letters joined by single spaces or
dashes (``6222 0212 3456``, ``+86 138-1234-5678``, ``GB82 WEST 1234 ...``). A run may hold
several things side by side (a date, then a phone number), so every contiguous sub-span of its
chunks is classified, longest first, and the sub-spans that validate are reported. Classification checks the check digits of
``checksums``, the digit grouping people actually write, and the words just before the number
(``账号``, ``passport no.``, ``订单号``...).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from stages.pii.candidates import candidates
from stages.pii.checksums import (
    bic_reads_as_word,
    card_scheme_known,
    cn_resident_id_valid,
    iban_valid,
    luhn_valid,
    payment_card_valid,
    swift_bic_valid,
    uscc_valid,
)
from stages.pii.checksums import (
    cn_id_check_char as _id_check_char,
)
from stages.pii.ip_addresses import ipv4_host, ipv6_end
from stages.pii.phones import PHONE_CTX
from stages.pii.phones import phone_type as _phone_type
from stages.pii.rx import guarded
from stages.pii.tables import column_header as _column_header

__all__ = ["STRUCTURED_TYPES", "Entity", "find_structured"]


class Entity(NamedTuple):
    """A detected span: ``text[start:end]`` is of entity ``type`` (a tag such as ``ID_CARD``)."""

    start: int
    end: int
    type: str


#: Entity types this module reports (the stage's tags are ``[TYPE]``).
STRUCTURED_TYPES = (
    "ID_CARD",
    "BANK_CARD",
    "BANK_ACCOUNT",
    "CREDIT_CODE",
    "IBAN",
    "SWIFT_BIC",
    "PHONE",
    "EMAIL",
    "IP_ADDRESS",
    "PASSPORT",
)

_CHUNK = guarded(r"[0-9A-Z]+x?")

# Words that introduce a number; matched against the lower-cased text just before it.
_CTX_WINDOW = 28
_ACCOUNT_CTX = guarded(
    r"(账号|帐号|账户|帐户|账户号码|存折|acct\.?|account|a/c|收款账|付款账|对公户|基本户|"
    r"account\s*(no\.?|number|#)|iban)"
    # a key-value table's separator may stand between (| 账号 | 6222...)
    r"[\s:：.#号码为是()（）|｜]*(is\s*)?$"
)
_CARD_CTX = guarded(
    r"(卡号|卡號|借记卡|信用卡|银行卡|銀行卡|储蓄卡|金融卡|卡[\s:：号號码碼是为為]{0,3}$|card|visa|mastercard|maestro|amex|银联)"
)
#: How far back a card word still names a number (a table's column header, "cards reported
#: lost: <a>, <b>").
_CARD_WINDOW = 64
_ID_CTX = guarded(r"(身份证|证件|公民身份|居民身份|\bid\b|id\s*(no|number|#)|identity)")
_PASSPORT_CTX = guarded(r"(护照|通行证|passport|旅行证)")
_BIC_CTX = guarded(
    r"(swift|bic|银行代码|银行识别码|国际代码|bank code|"
    # MT103/MT202 field tags of the banks in a transfer (:52A: ordering institution, :56A:
    # intermediary, :57A: account with institution), and their names
    r"(?:^|\n|:)5[2-8][ad]:\s*$|institution|intermediary|correspondent|"
    # a bank label right before the code (Bank: ..., 收款行：...)
    r"\bbank\s*[:：]\s*$|\bbeneficiary bank|(?:收款|付款|中转|代理|开户|通知|开证)(?:银)?行\s*[:：]?\s*$)"
)
#: Weaker cues ("bank X", "bank for all items X", "held at X", "via X", 通过 X), also before words
#: (bank DELIVERY team): a code after one is a BIC only when it does not read as a word.
_BIC_WEAK_CTX = guarded(
    r"(?:\b(?:bank(?: [a-z]+){0,3}|held (?:at|with)|via|through|routed to)|通过|经由)\s*$"
)


#: Words that name a unified social credit code, before it or in its column's header.
#: (Traditional characters too: 統一社會信用代碼, 納稅人識別號, 營業執照.)
_USCC_CTX = guarded(
    r"(信用代码|信用代碼|uscc|credit code|纳税人识别号|納稅人識別號|税号|稅號|营业执照|營業執照)"
)
#: Words that make a number a reference, not an identifier (within 6 characters before it);
#: English ones whole, plural or not ("ref", not the start of "refund").
_NOT_PII_ZH = "订单|流水|交易号|交易编号|单号|编号|合同号|发票|凭证|批次|工单|快递|运单|票号"
_NOT_PII_EN = "order|ref|reference|invoice|ticket|tracking|isbn|serial|case|txn|transaction id"
_NOT_PII_CTX = guarded(f"({_NOT_PII_ZH}|\\b(?:{_NOT_PII_EN})s?\\b)[^\\n]{{0,6}}$")
#: An air waybill's or a bill of lading's label right before a number: an airline's prefix and
#: a serial (``AWB 176-4821 3390``) that a Chinese mobile's shape may take, no phone.
_WAYBILL_CTX = guarded(
    r"(?:\b[mh]?awb|waybill|运单号?|提单号?|\bb/l)(?:[ ]?(?:no\.?|number|#))?[ :：]*$"
)
_CJK = guarded(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
#: A blank line: it ends a field (a label before it is no label of what follows).
_BLANK_LINE = guarded(r"\n[ \t]*\n")

# Institution codes of banks common in Chinese and international correspondence; with a
# valid country field they make a BIC without a context word credible.
_KNOWN_BIC_BANKS = frozenset(
    "ICBK BKCH PCBC ABOC COMM CMBC MSBC SPDB CIBK EVER HXBK GDBK SZDB BJCN BOSH PSBC CHBH "
    "HSBC CITI DEUT BARC CHAS BNPA SCBL HASE BOTK MHCB SMBC UBSW CRES BOFA WFBI NWBK LOYD "
    "MIDL RBOS INGB ABNA RABO COBA DRES SOGE CRLY AGRI BBVA CAIX UNCR BCIT NDEA DABA ESSE "
    "HAND ANZB NATA WPAC CTBA DBSS OCBC UOVB MBBE BKKB KASI".split()
)


def _context(text: str, start: int) -> str:
    return text[max(0, start - _CTX_WINDOW) : start].lower()


_CARD_GROUPS = ((4, 6, 5), (4, 6, 4))
#: How people write an 18-character resident ID: whole, 6-8-4 (area, birth date, rest), 6-4-4-4,
#: the area split 3-3 (110 105 1949 1231 002X, 110 105 19491231 002X), in sixes, or the birth
#: date split into year, month and day (110105 1949 12 31 002X); the check character decides.
_ID_GROUPS = (
    (18,),
    (6, 8, 4),
    (6, 4, 4, 4),
    (3, 3, 4, 4, 4),
    (3, 3, 8, 4),
    (6, 6, 6),
    (6, 4, 2, 2, 4),
)


def _card_grouping(lens: tuple[int, ...]) -> bool:
    if len(lens) == 1 or lens in _CARD_GROUPS:
        return True
    return all(n == 4 for n in lens[:-1]) and 1 <= lens[-1] <= 4


def _classify(
    text: str, chunks: list[tuple[int, int]], words: list[str], plus: bool, paren: bool
) -> str | None:
    """The entity type of the joined chunks (``words``: their text), or None."""
    value = "".join(words)
    lens = tuple(map(len, words))
    start = chunks[0][0]
    is_digits = value.isdigit()
    n = len(value)
    ctx = _context(text, start - (1 if plus or paren else 0))
    if not is_digits:
        upper = value.upper()
        if n == 18 and upper[:17].isdigit() and upper[17] == "X":
            return "ID_CARD" if lens in _ID_GROUPS and cn_resident_id_valid(upper) else None
        if value != upper:
            return None
        if n == 18 and len(lens) == 1 and _uscc(value, text, start, ctx):
            return "CREDIT_CODE"
        if n >= 15 and value[:2].isalpha() and value[2:4].isdigit():
            if (len(lens) == 1 or all(k == 4 for k in lens[:-1])) and iban_valid(value):
                return "IBAN"
            return None
        if len(lens) == 1 and n in (8, 11) and swift_bic_valid(value):
            # BICs have no check digit and look like upper-case words (HANDLING, DEVDISR2):
            # a SWIFT/BIC word before it (in its own paragraph: ``BIC: X\n\nFRAUD CONTROLS``),
            # or a known institution inside Chinese text.
            ctx = _BLANK_LINE.split(ctx)[-1]
            if _BIC_CTX.search(ctx) or _BIC_CTX.search(_column_header(text, start)):
                return "SWIFT_BIC"
            if _BIC_WEAK_CTX.search(ctx) and not bic_reads_as_word(value):
                return "SWIFT_BIC"
            near = text[max(0, start - 3) : start] + text[start + n : start + n + 3]
            if value[:4] in _KNOWN_BIC_BANKS and _CJK.search(near):
                return "SWIFT_BIC"
            return None
        if (
            len(lens) == 1
            and _PASSPORT_CTX.search(ctx)
            and re.fullmatch(r"[A-Z]{1,2}\d{6,9}", value)
        ):
            return "PASSPORT"
        return None
    # Digits only.
    not_pii = bool(_NOT_PII_CTX.search(ctx))
    account_ctx = bool(_ACCOUNT_CTX.search(ctx))
    if n == 18 and lens in _ID_GROUPS and cn_resident_id_valid(value):
        if not (account_ctx and payment_card_valid(value)):
            return "ID_CARD"
    if n == 15 and lens == (15,) and cn_resident_id_valid(value) and not account_ctx:
        if not not_pii and not (payment_card_valid(value) and _card_not_legacy_id(text, start)):
            return "ID_CARD"
    if (
        n == 18
        and len(lens) == 1
        and not account_ctx
        and not not_pii
        and _uscc(value, text, start, ctx)
    ):
        return "CREDIT_CODE"
    seps = tuple(text[a[1] : b[0]] for a, b in zip(chunks, chunks[1:], strict=False))
    # a landline's shape right after a reference's label (登记编号0432-7781-2024) is the
    # reference, unless a phone word stands there too; so is a number after a waybill's label
    # (AWB 176-4821 3390)
    waybill = _WAYBILL_CTX.search(ctx) is not None
    landline = not_pii and not plus and value[0] == "0"
    reference = (landline or waybill) and not PHONE_CTX.search(ctx)
    if (
        (plus or paren or not account_ctx)
        and not reference
        and _phone_type(value, lens, plus, paren, ctx, seps)
    ):
        return "PHONE"
    # A bracket that closes right after the number encloses a value (``The card (4563 ...)``),
    # not a phone's area code: the number is read as any other.
    last = chunks[-1][1]
    enclosed = paren and text[last : last + 1] in (")", "）") and not any(")" in s for s in seps)
    if plus or (paren and not enclosed):
        return None
    # a reference's word just before a number that a card word names in the same clause is the
    # card's place, not its kind (``the card ending shown on the order (4466 ...)``)
    if not_pii and payment_card_valid(value) and _card_named(text, start):
        not_pii = False
    if payment_card_valid(value) and _card_grouping(lens) and (account_ctx or not not_pii):
        # An 18-digit number shaped like a resident ID (area, birth date) whose ID check digit
        # fails is a mistyped ID, not a card, unless a card word introduces it.
        if not (n == 18 and _id_shaped(value) and not _CARD_CTX.search(ctx)):
            return "BANK_CARD"
    if (
        12 <= n <= 15
        and not not_pii
        and card_scheme_known(value)
        and luhn_valid(value)
        and ((len(lens) > 1 and _card_grouping(lens)) or account_ctx or _card_cue(text, start))
    ):
        # 12-15 digits (Maestro, Amex, Diners ...): printed in a card's groups, or named as a
        # card or account; a bare 12-digit number is as often an order or a reference.
        return "BANK_CARD"
    if not not_pii and _card_of_any_scheme(value, lens, text, start):
        return "BANK_CARD"
    if account_ctx and 8 <= n <= 30 and not _CARD_CTX.search(ctx[-8:]):
        # A number after "卡号"/"card" that fails the Luhn check is a mistyped or
        # made-up card number, not an account number.
        return "BANK_ACCOUNT"
    if _PASSPORT_CTX.search(ctx) and len(lens) == 1 and n == 9:
        return "PASSPORT"
    return None


def _uscc(value: str, text: str, start: int, ctx: str) -> bool:
    """A credit code: its check character holds, and its region digits name a province, or a
    credit-code word stands before it or over its column (codes are also written with region
    digits no province has, as test data and some registries do)."""
    if uscc_valid(value):
        return True
    if not uscc_valid(value, any_region=True):
        return False
    return bool(_USCC_CTX.search(ctx) or _USCC_CTX.search(_column_header(text, start)))


def _card_of_any_scheme(value: str, lens: tuple[int, ...], text: str, start: int) -> bool:
    """A card of a scheme in no prefix table (national and private schemes keep appearing): a
    13-19 digit number that passes Luhn, printed in a card's groups (4-4-4-4, 4-6-5 ...) or
    under a card word (before it, or over its column). About one random number in ten passes
    Luhn, so the shape or the word has to carry it: a number led by a date (20250618...), one
    shaped like a resident ID, one of a single repeated digit or led by 0 stays out."""
    n = len(value)
    if not 13 <= n <= 19 or value[0] == "0" or len(set(value)) == 1 or not luhn_valid(value):
        return False
    if _date_led(value) or (n == 18 and _id_shaped(value)):
        return False
    if _card_cue(text, start) or _CARD_CTX.search(_column_header(text, start)):
        return True
    # grouped like a card, in a text about payments (a consignment number is grouped too)
    around = text[max(0, start - _PAYMENT_WINDOW) : start + n + _PAYMENT_WINDOW]
    return len(lens) > 1 and _card_grouping(lens) and _PAYMENT_WORDS.search(around) is not None


#: Words of a text about payments, in either language; and how far around a number they count.
_PAYMENT_WORDS = guarded(
    r"(?i:card|pay|refund|debit|credit|bank|account|wallet|atm|pos\b|charge)"
    r"|卡|支付|付款|转入|转账|轉帳|账户|帳戶|银行|銀行|提取|扣款|消费|消費|退款"
)
_PAYMENT_WINDOW = 160


def _date_led(value: str) -> bool:
    """Whether the first eight digits read as a date from 1990 to 2039 (order, batch and
    transaction numbers start with the day they were made)."""
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    return 1990 <= year <= 2039 and 1 <= month <= 12 and 1 <= day <= 31


def _card_cue(text: str, start: int) -> bool:
    return _CARD_CTX.search(text[max(0, start - _CARD_WINDOW) : start].lower()) is not None


#: What ends a clause before a number: a sentence's end, a field's separator, a blank line.
_CLAUSE_END = guarded(r"[.;:：。；|]|\n[ \t]*\n")


def _card_named(text: str, start: int) -> bool:
    """Whether a card word (``_card_cue``'s) names the number at ``start`` from earlier in its
    clause, a line break allowed (``Gift cards sold: 12. Order 4111 ...`` is another clause)."""
    lo = max(0, start - _CARD_WINDOW)
    for m in _CLAUSE_END.finditer(text, lo, start):
        lo = m.end()
    return _CARD_CTX.search(text[lo:start].lower()) is not None


def _card_not_legacy_id(text: str, start: int) -> bool:
    """A 15-digit number that is both a valid pre-1999 resident ID and a valid card (an Amex
    34/37 number whose middle digits read as a date): an ID word just before it makes it the
    ID; a card word within the window makes it the card; otherwise the language around it
    decides (legacy IDs, retired in 2013, are quoted in Chinese text; Amex numbers in English)."""
    if _ID_CTX.search(_context(text, start)):
        return False
    if _card_cue(text, start):
        return True
    return _CJK.search(text[max(0, start - 12) : start + 27]) is None


def _id_shaped(value: str) -> bool:
    return cn_resident_id_valid(value[:17] + _id_check_char(value[:17]))


def _split_run(
    text: str, start: int, end: int
) -> tuple[list[tuple[int, int]], list[bool], list[bool], list[bool]]:
    """Chunks of a run as (start, end) offsets, with '+' and '(' markers per chunk and whether
    two spaces (a table's column gap) stand before it."""
    chunks: list[tuple[int, int]] = []
    plus: list[bool] = []
    paren: list[bool] = []
    wide: list[bool] = []
    for m in _CHUNK.finditer(text, start, end):
        s, e = m.span()
        before = text[max(start, s - 2) : s]
        wide.append(bool(chunks) and s - chunks[-1][1] >= 2 and before.isspace())
        chunks.append((s, e))
        plus.append("+" in before)
        paren.append("(" in before or "（" in before)  # full-width brackets: （0351）
    return chunks, plus, paren, wide


def _stray_edge(words: list[str], wide: list[bool], i: int, j: int) -> bool:
    """Whether chunks ``i:j`` start or end with a chunk of one or two characters that a column
    gap (two spaces) parts from the rest: the next cell of a table (``4917754170832246  3,000``),
    not a group of the same number."""
    return j - i >= 2 and (
        (wide[j - 1] and len(words[j - 1]) <= 2) or (wide[i + 1] and len(words[i]) <= 2)
    )


_MAX_CHUNKS = 12
#: Shortest and longest identifier, in characters without separators (a passport number;
#: an IBAN).
_MIN_CHARS, _MAX_CHARS = 7, 34


def _inside_blocks(chunks: list[str], i: int, j: int, wide: list[bool]) -> bool:
    """Whether chunks ``i:j`` continue a sequence of 4-character blocks on either side: a
    number written in blocks (a card, an IBAN) is one number, and nothing is read out of its
    middle. A column gap (two spaces) ends the sequence, and so does a bracket (``wide`` marks
    the chunks after either)."""

    def block(k: int) -> bool:
        return len(chunks[k]) == 4 and any(c.isdigit() for c in chunks[k])

    before = i > 0 and not wide[i] and block(i - 1) and len(chunks[i]) == 4
    after = (
        j < len(chunks)
        and not wide[j]
        and len(chunks[j - 1]) == 4
        and 1 <= len(chunks[j]) <= 4
        and (any(c.isdigit() for c in chunks[j]))
    )
    return before or after


def _opens_more(value: str) -> bool:
    """Whether ``value`` opens more brackets than it closes: the bracket after it is its own
    (``(0543)7029071``'s ``)`` is, in ``（(0543)7029071）`` the last ``）`` is the sentence's)."""
    return value.count("(") + value.count("（") > value.count(")") + value.count("）")


def _scan_run(text: str, start: int, end: int, out: list[Entity]) -> None:
    chunks, plus, paren, wide = _split_run(text, start, end)
    words = [text[s:e] for s, e in chunks]
    # a bracket between two chunks ends a sequence of blocks as a column gap does
    # (（身份证号140824 19470701 2798）2025年, card 4129-0612-9951-6047 (7月18日): the year or
    # the day is no block of the number)
    ends = list(wide)
    for k in range(1, len(chunks)):
        if any(c in "()（）" for c in text[chunks[k - 1][1] : chunks[k][0]]):
            ends[k] = True
    cum = [0]
    lettered = [0]  # how many chunks up to here hold a letter
    for w in words:
        cum.append(cum[-1] + len(w))
        lettered.append(lettered[-1] + (not w.isdigit()))
    if cum[-1] < _MIN_CHARS:
        return
    pending = [(0, len(chunks))]
    while pending:
        lo, hi = pending.pop()
        found = None
        for size in range(min(hi - lo, _MAX_CHUNKS), 0, -1):
            for i in range(lo, hi - size + 1):
                chars = cum[i + size] - cum[i]
                if not _MIN_CHARS <= chars <= _MAX_CHARS or _stray_edge(words, wide, i, i + size):
                    continue
                if chars < 15 and (size > 1 or chars > 11) and lettered[i + size] > lettered[i]:
                    continue  # letters and digits: no identifier of this length and shape
                kind = _classify(text, chunks[i : i + size], words[i : i + size], plus[i], paren[i])
                if kind is not None and _inside_blocks(words, i, i + size, ends):
                    kind = None
                if kind is not None:
                    found = (i, i + size, kind)
                    break
            if found:
                break
        if found is None:
            continue
        i, j, kind = found
        s, e = chunks[i][0], chunks[j - 1][1]
        if kind == "PHONE":
            if plus[i]:
                s = text.rindex("+", max(0, s - 2), s)
            # a bracket closing inside the number is its own ((+86)138...), else the sentence's
            if text[max(0, s - 1) : s] in ("(", "（") and re.search("[)）]", text[s:e]):
                s -= 1
            if text[e : e + 1] in (")", "）") and _opens_more(text[s:e]):
                e += 1
        out.append(Entity(s, e, kind))
        pending.append((lo, i))
        pending.append((j, hi))


def find_structured(text: str) -> list[Entity]:
    """Validated structured identifiers in ``text``, in no particular order."""
    out: list[Entity] = []
    for m in candidates(text):
        kind = m.lastgroup
        s, e = m.span()
        if kind == "run":
            if e - s >= _MIN_CHARS:  # fewer characters hold no identifier's chunks
                _scan_run(text, s, e, out)
        elif kind == "email":
            out.append(Entity(s, e, "EMAIL"))
        elif kind == "ipv4":
            # a prefix length (10.2.0.0/16) goes with the address into the span
            address, _, prefix = text[s:e].partition("/")
            if prefix and int(prefix) > 32:
                e = s + len(address)
            ctx = _context(text, s)
            after = text[s + len(address) : s + len(address) + 9]
            if ipv4_host(address, ctx, after):
                out.append(Entity(s, e, "IP_ADDRESS"))
        elif kind == "ipv6":
            n = ipv6_end(text[s:e])
            if n:
                out.append(Entity(s, s + n, "IP_ADDRESS"))
    return out


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None
