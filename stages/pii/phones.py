"""Phone numbers read from a run of digit groups: Chinese mobiles and landlines, numbers
after ``+`` or an international call prefix, North American and British national numbers.

``patterns`` splits a run of digits into chunks and asks ``phone_type`` whether some of them,
joined, read as a phone number.
"""

from __future__ import annotations

from stages.pii.rx import guarded

__all__ = ["PHONE_CTX", "phone_type"]

PHONE_CTX = guarded(
    r"(电话|手机|致电|联系|热线|传真|座机|来电|号码|tel|phone|mobile|call|fax|cell|contact|reach)"
)
#: How a North American number is written without brackets: 212-555-0100, 212 555-0100.
_NANP_SEPS = (("-", "-"), (" ", "-"), (" - ", " - "))
_MOBILE = guarded(r"1[3-9]\d{9}")
#: Country codes whose numbers have four digits after them.
_FOUR_DIGIT_PLANS = frozenset({"683", "690", "290", "247"})
_CN_AREA3 = guarded(r"0(?:10|2\d)")
_CN_AREA4 = guarded(r"0[3-9]\d\d")


#: How British national numbers are grouped: 0117 496 0161, 01632 960 001, 020 7946 0000,
#: 07700 900 123, (0151) 4960594.
_UK_GROUPS = frozenset({(4, 3, 4), (5, 3, 3), (3, 4, 4), (5, 6), (4, 7), (5, 5), (4, 6), (3, 3, 4)})


def _uk_national(
    digits: str, lens: tuple[int, ...], paren: bool, ctx: str, seps: tuple[str, ...]
) -> bool:
    """A British national number (a trunk 0, then 9 or 10 digits; geographic 01/02, mobile
    07), which no Chinese area code covers: in its usual groups separated by spaces, after a
    bracketed area code, or compact after a phone word. The non-geographic 03, 08 and 09
    numbers are organisations' lines (0345 600 2290, 0300 123 2040), not a person's."""
    if len(digits) not in (10, 11) or digits[1] not in "127":
        return False
    if paren:
        return True
    if any(sep != " " for sep in seps):
        return False  # 07313-35751: British numbers are grouped with spaces
    return lens in _UK_GROUPS or bool(PHONE_CTX.search(ctx))


#: "00" + country code for the countries whose numbers bank texts quote most.
_IDD_PREFIXES = frozenset(
    "0086 00852 00853 00886 0044 0065 0061 0081 0082 0049 0033 0039 0034 0041 0031 0060 0066 "
    "0062 0063 0084 0091 0071 0064 00971 00966 0027 0055 0052 0090".split()
)


def phone_type(
    digits: str,
    lens: tuple[int, ...],
    plus: bool,
    paren: bool,
    ctx: str,
    seps: tuple[str, ...] = (),
) -> bool:
    """Whether ``digits`` (grouped as ``lens``) reads as a phone number."""
    if lens[0] in (4, 5) and len(lens) > 1 and digits[: lens[0]] in _IDD_PREFIXES:
        # 0086 13912345678: the international call prefix written as digits.
        return phone_type(digits[2:], (lens[0] - 2, *lens[1:]), True, paren, ctx, seps[1:])
    n = len(digits)
    if digits.startswith("86") and (plus or (lens[0] == 2 and len(lens) > 1)):
        rest = digits[2:]
        if _MOBILE.fullmatch(rest):
            return True
        return 9 <= len(rest) <= 11 and ("0" + rest[:2] == "010" or rest[0] in "23456789")
    if plus:
        # Niue, Tokelau, St Helena and Ascension number their lines with four digits
        # (+683 7012, +690 3101, +290 2158, +247 6222)
        return (8 <= n <= 15 or (n == 7 and digits[:3] in _FOUR_DIGIT_PLANS)) and digits[0] != "0"
    if _MOBILE.fullmatch(digits):
        return lens in ((11,), (3, 4, 4), (3, 8), (7, 4), (4, 3, 4))
    if digits[0] == "0" and n in (9, 10) and len(lens) == 2 and lens[0] in (2, 3):
        if PHONE_CTX.search(ctx):
            return True  # a national number after a phone word: 09-7625400, 052 5552606
    if digits[0] == "0" and 10 <= n <= 12:
        area = 3 if _CN_AREA3.match(digits) else 4 if _CN_AREA4.match(digits) else 0
        if digits[1] == "3" and lens == (4, 3, 4) and not paren:
            return False  # 0300 330 1234: a British organisation's line as Britain groups it
        if not area or not 7 <= n - area <= 8:
            return _uk_national(digits, lens, paren, ctx, seps)
        if len(lens) > 1 and lens[0] == area:
            return True
        return paren or bool(PHONE_CTX.search(ctx))
    if n == 10 and digits[0] in "23456789":
        if digits[:3] in ("400", "800"):
            # 400/800 numbers are company service lines in China, not a person's number (and
            # NANP has no 400 area code; its 800 is toll-free).
            return False
        # North American numbers: (212) 555-0100, 212-555-0100 (NANP area code and exchange).
        if paren and lens in ((3, 3, 4), (3, 7)):
            return True
        if lens in ((10,), (3, 7)) and digits[3] in "23456789" and PHONE_CTX.search(ctx):
            return True  # 4258829090, 425 8829090 after a phone word
        if lens != (3, 3, 4) or seps not in _NANP_SEPS:
            return False
        # NANP: area code and exchange never start with 0 or 1.
        return digits[3] in "23456789" or bool(PHONE_CTX.search(ctx))
    return False
