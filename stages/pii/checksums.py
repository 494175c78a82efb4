"""Check-digit validators for the structured identifiers the PII detector accepts.

A candidate that matches a pattern is only reported when its check digits (and, where the
standard defines them, its embedded dates and codes) are valid, so amounts, order numbers and
mistyped numbers are not masked. Every function takes the compact form (no spaces or dashes).

References:
- GB 11643-1999, Citizen identification number: 6-digit area, 8-digit birth date, 3-digit
  sequence, ISO 7064 MOD 11-2 check character; the 15-digit form (before 1999) has a 6-digit
  date and no check character.
- GB 32100-2015, Unified social credit code: 18 characters over a 31-symbol alphabet, the last
  a MOD 31 check character.
- ISO/IEC 7812-1, identification cards: the issuer identification number and the Luhn check digit.
- ISO 13616-1, IBAN: country code, two check digits, BBAN of a per-country length; MOD 97-10
  (ISO 7064) over the rearranged number must be 1.
- ISO 9362, BIC: 4-letter institution code, ISO 3166-1 alpha-2 country code, 2-character
  location code, optional 3-character branch code.
"""

from __future__ import annotations

import datetime as _dt

from stages.pii.rx import guarded

__all__ = [
    "BIC_COUNTRIES",
    "bic_reads_as_word",
    "IBAN_LENGTHS",
    "cn_id_check_char",
    "cn_resident_id_valid",
    "iban_valid",
    "luhn_valid",
    "card_scheme_known",
    "payment_card_valid",
    "swift_bic_valid",
    "uscc_valid",
]

#: GB/T 2260 province-level codes: the first two digits of a resident ID number.
_CN_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)
#: ISO 7064 MOD 11-2 weights (2^(17-i) mod 11) and check characters, GB 11643-1999 §6.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_date(year: int, month: int, day: int, min_year: int) -> bool:
    if year < min_year:
        return False
    try:
        born = _dt.date(year, month, day)
    except ValueError:
        return False
    return born <= _dt.date.today()


def cn_id_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID."""
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def cn_resident_id_valid(number: str) -> bool:
    """True for a valid 18-character (GB 11643-1999) or legacy 15-digit resident ID number.

    The 18-character form needs a known province code, a real birth date not in the future
    and the MOD 11-2 check character. The 15-digit form (YYMMDD, 19xx) has no check digit, so
    only the province code, the prefecture's (GB/T 2260: 00-43, 51-53 in Guangdong, 90 for
    cities under the province) and the date are checked.
    """
    if len(number) == 18:
        body, check = number[:17], number[17].upper()
        if not body.isdigit() or number[:2] not in _CN_PROVINCES:
            return False
        if not _valid_date(int(body[6:10]), int(body[10:12]), int(body[12:14]), 1900):
            return False
        return cn_id_check_char(body) == check
    if len(number) == 15:
        if not number.isdigit() or number[:2] not in _CN_PROVINCES:
            return False
        if not (number[2:4] <= "43" or "51" <= number[2:4] <= "53" or number[2:4] == "90"):
            return False  # no prefecture has that code (377412…: an Amex number)
        return _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), 1900)
    return False


def luhn_valid(number: str) -> bool:
    """The Luhn (ISO/IEC 7812-1 annex B) check over a string of digits."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def payment_card_valid(number: str) -> bool:
    """A 13–19 digit payment card number: plausible issuer prefix and Luhn check digit.

    Major industry identifiers (ISO/IEC 7812-1): 3 travel (Amex 34/37, JCB 35, Diners 36/38),
    4 Visa, 5 Mastercard, 6 UnionPay (62), Discover and Maestro, 2221–2720 Mastercard; and
    the national schemes issued outside those: Mir 2200–2204 and BORICA 2205, RuPay 81/82,
    UzCard 8600, Troy 9792, Humo 9860 (``_NATIONAL_SCHEMES``). Other numbers starting with
    0, 1, 2, 7, 8 or 9 are not issued as payment cards, which keeps serial and order numbers
    that happen to pass Luhn out.
    """
    if not 13 <= len(number) <= 19 or not number.isdigit():
        return False
    first = number[0]
    if len(number) == 15 and number[:4] in ("2131", "1800"):
        return luhn_valid(number)  # the older 15-digit JCB numbers
    if not _scheme_of(number, _NATIONAL_SCHEMES):
        if first not in "23456" or (first == "2" and not 2221 <= int(number[:4]) <= 2720):
            return False
    if len(set(number)) == 1:
        return False
    return luhn_valid(number)


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
#: GB 32100-2015 weights: 3^i mod 31 for positions 1..17.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: Registering authority codes (first character), GB 32100-2015 table 1.
_USCC_AUTHORITIES = frozenset("123456789ANY")


#: Issuer identification number prefixes and the lengths each scheme issues (ISO/IEC 7812-1
#: major industry 3-6 and 2-series Mastercard): (low prefix, high prefix, lengths).
_CARD_SCHEMES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("4", "4", (13, 16, 19)),  # Visa (incl. Electron)
    ("51", "55", (16,)),  # Mastercard
    ("2221", "2720", (16,)),  # Mastercard 2-series
    ("34", "34", (15,)),  # American Express
    ("37", "37", (15,)),
    ("300", "305", (14, 15, 16, 17, 18, 19)),  # Diners Club
    ("36", "36", (14, 15, 16, 17, 18, 19)),
    ("38", "39", (14, 15, 16, 17, 18, 19)),
    ("3528", "3589", (16, 17, 18, 19)),  # JCB
    ("6011", "6011", (16, 17, 18, 19)),  # Discover
    ("644", "649", (16, 17, 18, 19)),
    ("65", "65", (16, 17, 18, 19)),
    ("62", "62", (16, 17, 18, 19)),  # UnionPay
    ("50", "50", tuple(range(12, 20))),  # Maestro
    ("56", "69", tuple(range(12, 20))),  # Maestro and other debit schemes
)
#: National schemes issued outside the major industry identifiers 3-6 and the Mastercard
#: 2-series, from the issuers' published ranges; the same shape as ``_CARD_SCHEMES``.
_NATIONAL_SCHEMES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("2200", "2205", (16, 17, 18, 19)),  # Mir (Russia), BORICA (Bulgaria)
    ("81", "82", (16,)),  # RuPay (India)
    ("8600", "8600", (16,)),  # UzCard (Uzbekistan)
    ("9792", "9792", (16,)),  # Troy (Turkey)
    ("9860", "9860", (16,)),  # Humo (Uzbekistan)
)


def _scheme_of(number: str, schemes: tuple[tuple[str, str, tuple[int, ...]], ...]) -> bool:
    """Whether ``number`` has the prefix and the length of one of ``schemes``."""
    n = len(number)
    return any(n in lengths and low <= number[: len(low)] <= high for low, high, lengths in schemes)


#: Schemes whose prefix serial and order numbers share (UATP, the airlines' 15-digit cards
#: from 1): known only where the number is printed in a card's groups or named as a card or
#: account, never as a bare number (``payment_card_valid`` leaves them out).
_GROUPED_ONLY_SCHEMES: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    ("1", "1", (15,)),  # UATP
)


def card_scheme_known(number: str) -> bool:
    """Whether a string of digits has the prefix and the length of a card scheme that issues
    such numbers, from 12 digits (Maestro) to 19. The Luhn check is separate."""
    if not 12 <= len(number) <= 19 or not number.isdigit():
        return False
    return any(
        _scheme_of(number, schemes)
        for schemes in (_CARD_SCHEMES, _NATIONAL_SCHEMES, _GROUPED_ONLY_SCHEMES)
    )


def uscc_valid(code: str, any_region: bool = False) -> bool:
    """A valid GB 32100-2015 unified social credit code (18 characters, MOD 31 check) whose
    region digits name a province (``any_region``: any six digits)."""
    if len(code) != 18:
        return False
    code = code.upper()
    if code[0] not in _USCC_AUTHORITIES or not code[2:8].isdigit():
        return False
    if not any_region and code[:2] not in _CN_PROVINCES and code[2:4] not in _CN_PROVINCES:
        return False
    try:
        values = [_USCC_VALUE[c] for c in code]
    except KeyError:
        return False
    total = sum(v * w for v, w in zip(values[:17], _USCC_WEIGHTS, strict=True))
    return values[17] == (31 - total % 31) % 31


#: IBAN length per country, from the ISO 13616 registry.
IBAN_LENGTHS: dict[str, int] = {
    item[:2]: int(item[2:])
    for item in (
        "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 "
        "DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 "
        "HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 "
        "MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 "
        "RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 TN24 TR26 UA29 "
        "VA22 VG24 XK20 YE30"
    ).split()
}


def iban_valid(iban: str) -> bool:
    """A valid ISO 13616 IBAN: registered country length and MOD 97-10 remainder 1."""
    iban = iban.upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


#: ISO 3166-1 alpha-2 codes (plus XK, used for Kosovo) accepted in a BIC's country field.
BIC_COUNTRIES = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO
    DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU
    GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW
    KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU
    MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
    PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT
    ZA ZM ZW""".split()
)


def swift_bic_valid(code: str) -> bool:
    """The ISO 9362 structure of a BIC: 8 or 11 upper-case characters, a 4-letter institution
    code, a known country code and an alphanumeric location (and branch) code. BICs carry no
    check digit, so the detector also asks for context before it reports one."""
    if len(code) not in (8, 11) or not code.isalnum() or code.upper() != code:
        return False
    return code[:4].isalpha() and code[4:6] in BIC_COUNTRIES and code[6:8].isalnum()


#: Four consonants in a row (Y counts as a vowel): English words rarely hold them.
_CONSONANT_RUN = guarded(r"[B-DF-HJ-NP-TV-XZ]{4}")


def bic_reads_as_word(code: str) -> bool:
    """Whether an 8- or 11-letter code reads as an upper-case word (DELIVERY, HANDLING): letters
    only, two or more vowels in the bank code or a quarter of all letters vowels, and no four
    consonants in a row. LIVEDKKK, AOIUTRTG and LAORROARHVG have a word-like bank code but do
    not read as words."""
    vowels = [c in "AEIOUY" for c in code]
    return (
        code.isalpha()
        and (sum(vowels[:4]) >= 2 or 4 * sum(vowels) >= len(code))
        and not _CONSONANT_RUN.search(code)
    )
