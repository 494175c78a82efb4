"""IBANs as countries print them and SWIFT/BIC codes standing alone.

IBANs: a country code, two check digits and the BBAN, written compact, in groups of 2-5
characters, with a space after the country code (``NO 93 8601 1117 947``) or in lower case. A
candidate is cut at the country's registered length (ISO 13616, ``checksums.IBAN_LENGTHS``) and
kept only when its MOD 97-10 check holds, so a grouped IBAN followed by other numbers is not
over-read.

BICs carry no check digit and look like upper-case words (``HANDLING``, ``DELIVERY``). A bare
8- or 11-character code is reported when its institution and country (the first six
characters) are a real bank's: in schwifty's bank registry (European banks, about 10,000
BICs), or in a short list of large banks of countries that registry does not cover. With a
SWIFT/BIC word before it, the ISO 9362 structure is enough (``patterns``).
"""

from __future__ import annotations

from functools import cache

from stages.pii.checksums import IBAN_LENGTHS, iban_valid, swift_bic_valid
from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["bic_is_known_bank", "find_bics", "find_ibans"]

_IBAN_START = guarded(r"(?<![A-Za-z0-9])([A-Za-z]{2})[ ]?(\d{2})(?=[ ]?[A-Za-z0-9])")
_IBAN_CHUNK = guarded(r"[ ]?([A-Za-z0-9]{1,30})")

#: Institution + country of large banks in countries schwifty's registry does not cover
#: (China, Hong Kong, Macau, Taiwan, Singapore, Japan, Korea, the US, Canada, Australia ...).
_BANKS_OUTSIDE_REGISTRY = frozenset(
    """ICBKCN BKCHCN PCBCCN ABOCCN COMMCN CMBCCN MSBCCN SPDBCN CIBKCN EVERCN HXBKCN GDBKCN
    SZDBCN BJCNCN BOSHCN PSBCCN CHBHCN FJIBCN CITICN ICBKHK BKCHHK HSBCHK SCBLHK HASEHK CITIHK
    BEASHK DBSSHK WIHBHK CIYUHK BKCHMO BNULMO ICBKMO BKTWTW ICBCTW CTCBTW DBSSSG OCBCSG UOVBSG
    SCBLSG HSBCSG CITISG MHCBJP BOTKJP SMBCJP MBBEMY KASIKR HVBKKR SHBKKR KOEXKR CHASUS CITIUS
    BOFAUS WFBIUS IRVTUS USBKUS PNCCUS MRMDUS HSBCUS ROYCCA TDOMCA BOFMCA NOSCCA ANZBAU NATAAU
    WPACAU CTBAAU ANZBNZ BKKBTH SICOTH BBLUTH HDFCIN SBININ ICICIN NBADAE EBILAE""".split()
)


@cache
def _registry_banks() -> frozenset[str]:
    """Institution + country of every BIC in schwifty's bank registry."""
    from schwifty import registry

    prefixes = set()
    for bank in registry.get_all_banks():
        bic = bank.get("bic") if isinstance(bank, dict) else getattr(bank, "bic", None)
        if bic:
            prefixes.add(str(bic)[:6].upper())
    return frozenset(prefixes)


def bic_is_known_bank(code: str) -> bool:
    """Whether ``code`` has the ISO 9362 structure and names a real bank's institution and
    country; a test BIC (location code ending in 0) is not a customer's bank."""
    if not swift_bic_valid(code) or code[7] == "0":
        return False
    prefix = code[:6]
    return prefix in _BANKS_OUTSIDE_REGISTRY or prefix in _registry_banks()


_BIC_CANDIDATE = guarded(r"(?<![A-Za-z0-9/-])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9-])")


#: How far (characters on the same line) a bank code may stand from the IBAN it routes.
_IBAN_GAP = 24


def _beside_iban(text: str, start: int, end: int, ibans: list[Entity]) -> bool:
    """Whether an IBAN ends just before ``start`` or starts just after ``end`` on the same line
    (``{IBAN};{BIC}``, ``{IBAN} via {BIC}``, ``{BIC} / {IBAN}``)."""
    for iban in ibans:
        if 0 <= start - iban.end <= _IBAN_GAP:
            gap = text[iban.end : start]
        elif 0 <= iban.start - end <= _IBAN_GAP:
            gap = text[end : iban.start]
        else:
            continue
        if "\n" not in gap:
            return True
    return False


def find_bics(text: str, ibans: list[Entity] | None = None) -> list[Entity]:
    """Bare BICs of real banks anywhere in ``text``; with ``ibans`` (found in the same text),
    also any well-formed code printed right beside one of them (an IBAN validates by its check
    digits, and the code next to it is its bank's)."""
    out = []
    for m in _BIC_CANDIDATE.finditer(text):
        code = m.group()
        if bic_is_known_bank(code) or (
            ibans and swift_bic_valid(code) and _beside_iban(text, m.start(), m.end(), ibans)
        ):
            out.append(Entity(m.start(), m.end(), "SWIFT_BIC"))
    return out


def find_ibans(text: str) -> list[Entity]:
    """IBANs in any printed grouping and either case whose check digits hold."""
    out: list[Entity] = []
    pos = 0
    while True:
        m = _IBAN_START.search(text, pos)
        if m is None:
            return out
        pos = m.end()
        country = m.group(1).upper()
        length = IBAN_LENGTHS.get(country)
        if length is None:
            continue
        compact = country + m.group(2)
        end = m.end()
        while len(compact) < length:
            c = _IBAN_CHUNK.match(text, end)
            if c is None:
                break
            compact += c.group(1)
            end = c.end()
        if len(compact) != length or (end < len(text) and text[end].isalnum()):
            continue
        if iban_valid(compact.upper()):
            out.append(Entity(m.start(), end, "IBAN"))
            pos = end
