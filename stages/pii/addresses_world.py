"""Postal addresses of European, Indonesian and Australian formats, in running text and
without a cue. Each is anchored at both ends by what its country's post prints:

- street first, house number, then the postcode and the town (Sweden, Croatia, Italy, Spain,
  Poland, the Netherlands ...): ``Parkgatan 1, 14229 Jönköping``, ``Šestinski vrh 0, 06614
  Slunj``, ``Horvatovac 3a/0, 33560 Jastrebarsko``; the postcode five digits, ``NNN NN``,
  ``NN-NNN`` or ``NNNN AA``, an Italian province after the town (``(TO)``, ``RM``); four
  digits when a street type leads (``ul. Długa 5``, ``Calle Mayor, 5``) or a street word
  ends the name (``Mariahilfer Straße 10, 1060 Wien``, ``Vesterbrogade 3, 1620 København V``),
  or a comma stands before them after any street's name (Norway, Slovenia: ``Haugemoen 77,
  8327 Evensen``, ``Trg mladih 7, 6660 Šempeter pri Gorici``) unless that reads as English or
  names an institution (``Vej 12, 2024 Budget``, ``Max-Planck-Institut 12, 3400 ...``);
  a Dutch postcode may be written without its space or followed by a comma (``Timsteeg 479,
  3114AG, Born``), an Austrian street's name may be hyphenated (``Ella-Thaler-Platz 095``);
- Spain, with a door or flat after the number and the postcode last (``Paseo de Aguilera 128
  Puerta 6 , Huesca, 29765``); Italy, with commas between street, number, postcode and town
  and the province last (``Strada Agostinelli, 585 Piano 2, 14017, Valfenera (AT)``);
- Ireland: number, street, Eircode, town (``74 Dungan Street W98 AKNR Nichola Ville``);
- the house number first, a comma, a French street type (``12, rue de la Paix, 75002 Paris``);
- a Swiss or French street without a house number before a four- or five-digit postcode and
  a town (``chemin Sandra Barman, 3848 Boillat``, ``avenue Leconte, 08543 Caron-sur-Ledoux``):
  the street type leads; a French town may hold an inner capital (``LeroyVille``);
- Indonesia: ``Jl.``/``Jalan``/``Gg.``/``Gang``, the street, ``No.`` and the number, the town
  and the province (or its two-letter code), then the five-digit postcode;
- Australia: a house number (a unit before a slash, ``Flat``/``Unit``/``Apt.`` allowed),
  street words, the suburb, the state (NSW, VIC, QLD, WA, SA, TAS, ACT, NT) and the
  four-digit postcode.
A number and a town alone (``5600 Uzwil``), a street alone or a year before a word
(``Chapter 3, 2019 Edition``: no five-digit postcode) is not one.
"""

from __future__ import annotations

import re

from stages.pii.latin import LOWER, UPPER, L, U
from stages.pii.names_orgs import ORG_HEADS
from stages.pii.names_vocab import english_words
from stages.pii.patterns import Entity
from stages.pii.prefilter import lines_with, on_lines
from stages.pii.rx import guarded

__all__ = ["find_world_addresses"]

_CAP = rf"{U}{L}+(?:-{U}?{L}+)*"
_ANY = rf"[{UPPER}{LOWER}]{L}*\.?"
_TOWN_WORD = rf"(?:[OD]['’])?{_CAP}(?:{U}{L}+)?"  # O'Bryen, D'Arcy, McAuley
_TOWN = (
    rf"(?:(?:St|Ste|Sta)\.[ ])?{_TOWN_WORD}(?:[ ](?:(?:an[ ]der|ob[ ]der|am|an|im|bei|pri|sur|sous|de|del|di|la|le|nad|pod|na)[ ])?{_TOWN_WORD})"
    r"{0,2}"
)
#: A house number, one with a letter or a second number (``12/3``), or a range (``1-3``).
_HOUSE = r"\d{1,4}[a-zA-Z]?(?:[-/]\d{1,4}[a-z]?)?"
_POSTCODE = r"(?:\d{5}|\d{3}[ ]\d{2}|\d{2}-\d{3}|\d{4}[ ]?[A-Z]{2},?)"
#: A street's type word before its name (Calle, Via, Rua, ul. ...) or a street word at the end
#: of it (-straße, -gatan, -straat, -vej ...): with one, a four-digit postcode (Austria,
#: Denmark, Belgium, Norway) and a comma before the house number (Spain) are read too.
_STREET_TYPE = (
    r"(?:ul\.|al\.|pl\.|os\.|C/|Calle|Avenida|Avda\.|Paseo|Plaza|Carrer|Camino|Via|Viale|Piazza|"
    r"Corso|Largo|Vicolo|Rua|Travessa|Praça)"
)
_STREET_END = (
    rf"(?:{U}{L}*(?:straße|strasse|gasse|weg|platz|vej|gade|straat|laan|plein|kade|gracht|"
    r"singel|gatan|vägen|veien|gata|katu|tie|utca|ulica|cesta)"
    rf"|(?:{U}{L}+-){{1,3}}(?:Platz|Weg|Gasse|Straße|Strasse|Ring|Allee|Zeile|Promenade))"
)
_STREET_FIRST = guarded(
    # a person's initial may lead the street's name (H.-Dieter-Wesack-Straße 93)
    rf"(?<![\w./-])(?:{U}\.-)?(?:"
    rf"{_CAP}(?:[ ]{_ANY}){{0,3}}[ ]{_HOUSE},?[ ]{_POSTCODE}"
    rf"|{_STREET_TYPE}[ ](?:{_ANY}[ ]){{0,3}}{_ANY},?[ ]{_HOUSE},?[ ](?:{_POSTCODE}|\d{{4}})"
    rf"|(?:{_CAP}[ ]){{0,2}}{_STREET_END}[ ]{_HOUSE},?[ ]\d{{4}}"
    # any street's name, the house, a comma and a four-digit postcode (Norway, Slovenia,
    # Denmark ...: ``Haugemoen 77, 8327 Evensen``, ``Trg mladih 7, 6660 Šempeter pri Gorici``)
    rf"|(?P<plain>{_CAP}(?:[ ]{_ANY}){{0,3}})[ ]{_HOUSE},[ ]\d{{4}}"
    rf")[ ]{_TOWN}(?:[ ]\([A-Z]{{2}}\)|[ ][A-Z]{{1,2}}(?![\w-]))?(?![\w-])"
)
_FR_TYPE = (
    r"(?:[Rr]ue|[Cc]hemin|[Aa]venue|[Rr]oute|[Bb]oulevard|[Pp]lace|[Aa]llée|[Ii]mpasse|[Qq]uai)"
)
_FR_STREET = rf"{_FR_TYPE}[ ](?:(?:de|du|des|de la)[ ]|[ld]['’])?{_CAP}(?:[ ]{_CAP}){{0,2}}"
_NUMBER_FIRST = guarded(
    rf"(?<![\w./-])\d{{1,4}}(?:[ ]?(?:bis|ter))?,?[ ]{_FR_STREET},?[ ]\d{{5}}[ ]{_TOWN}(?![\w-])"
)
_NO_NUMBER = guarded(rf"(?<![\w-]){_FR_STREET},[ ]\d{{4,5}}[ ]{_TOWN}(?![\w-])")
#: A street of two to five capitalised words (``de``, ``del``, ``de la`` between), or ``C.``.
_ES_STREET = rf"(?:C\.|{_CAP})(?:[ ](?:(?:de|del)[ ](?:la[ ]|los[ ]|las[ ])?)?{_CAP}){{1,4}}"
_ES_ADDRESS = guarded(
    rf"(?<![\w./-]){_ES_STREET}[ ]\d{{1,4}}(?:[ ](?:Puerta|Apt\.|Piso|Portal)[ ]\d{{1,4}})?"
    rf"[ ]?,[ ]{_TOWN},[ ]\d{{5}}(?![\d-])"
)
_IT_ADDRESS = guarded(
    rf"(?<![\w./-]){_CAP}(?:[ ]{_CAP}){{0,3}},[ ]\d{{1,4}}[a-z]?"
    rf"(?:[ ](?:Appartamento|Piano|Interno|Scala)[ ]\d{{1,3}})?,[ ]\d{{5}},[ ]"
    rf"{_TOWN}(?:/{_TOWN})?[ ]\([A-Z]{{2}}\)"
)
_EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ ]?[0-9AC-FHKNPRTV-Y]{4}"
_IE_ADDRESS = guarded(
    rf"(?<![\w./-])\d{{1,4}}[ ](?:{_TOWN_WORD}[ ]){{1,3}}{_EIRCODE}[ ]{_TOWN}(?![\w-])"
)
_ID_STREET = r"(?:Jl\.|Jalan|Gg\.|Gang)"
_ID_ADDRESS = guarded(
    rf"(?<![\w.]){_ID_STREET}[ ](?:[A-Za-z.]+[ ]){{1,5}}No\.[ ]?\d{{1,4}}[A-Z]?"
    rf",[ ]{_TOWN},[ ](?:[A-Z]{{2}}|{_TOWN})[ ]\d{{5}}(?!\d)"
)
_AU_STATE = r"(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)"
_AU_ADDRESS = guarded(
    rf"(?<![\w./-])(?:(?:Unit|Flat|Apt\.?|Apartment|Suite|Level)[ ]\d{{1,4}}[A-Za-z]?,?[ ])?"
    rf"\d{{1,5}}[A-Za-z]?(?:/\d{{1,5}}[A-Za-z]?)?[ ]{_CAP}(?:[ ]{_CAP}){{1,3}},"
    rf"[ ]{_TOWN},?[ ]{_AU_STATE},?[ ]\d{{4}}(?!\d)"
)
#: What the formats need, searched first (the full patterns cost several times more): a
#: postcode before a capitalised town (Dutch: its letters joined, a comma or a space after);
#: ``No.``; an Australian state before a postcode. The first three formats are scanned only
#: on the lines that hold a postcode before a town (every match of theirs lies on one line).
#: Read from each run of digits' first digit (a scan from every digit costs twice as much): a
#: run of four or more, then a town or a Dutch postcode's letters; of three, then two digits
#: and a town; of two, then a dash and three digits (``1234 AB,``, ``123 45 Oslo``, ``00-950``).
_POSTCODE_TOWN = guarded(
    rf"(?<!\d)\d++(?:(?<=\d{{4}})(?:[ ]{U}|[A-Z]{{2}},?[ ]{U})|(?<=\d{{3}})[ ]\d\d[ ]{U}"
    rf"|(?<=\d\d)-\d{{3}}[ ]{U})"
)
#: A town and a five-digit postcode after commas (Spain), or a postcode before one (Italy).
_COMMA_FIVE = guarded(r",[ ]\d{5}(?:,|(?!\d))")
_EIRCODE_HINT = guarded(rf"\b{_EIRCODE}\b")
_AU_HINT = guarded(rf"\b{_AU_STATE},?[ ]\d{{4}}")


#: Words that number the parts of a document or a list, never a street's first word
#: (``Invoice 12, 10000 Units``, ``Table 5, 20000 Samples``).
_NOT_STREET = frozenset(
    """Invoice Page Figure Fig Table Chapter Section Item Items Order Step Level Floor Room Lot
    Box Line Version Model Part Article Clause Paragraph Note Row Column Exhibit Appendix Annex
    Schedule Batch Case Ticket Ref Year Quarter Week Day Phase Stage Round Game Episode Season
    Volume Vol Issue Number Unit Units Grade Class Group Team Price Total Account Card Loan
    Slide Question Task Test Option Plan Tier Rank Size Type Category Code Product Sample""".split()
)


#: English words that lead into an address (``She lives at Kyrahof 15, ...``): a street-first
#: match that holds one starts after it, at the next capitalised word.
_LEAD_IN = guarded(rf".*[ ](?:at|in|to|from|of|is|was|lives|live|moved|resides|and)[ ](?={U})")


#: The formats whose every match holds a postcode and a town (``_POSTCODE_TOWN``).
_POSTCODE_FORMATS = (_STREET_FIRST, _NUMBER_FIRST, _NO_NUMBER)


#: Institutions' head words in German names, with ``names_orgs.ORG_HEADS``.
_INSTITUTES = frozenset(
    "Institut Klinikum Universität Hochschule Schule Gymnasium Stiftung".split()
)


def _english_around(m: re.Match[str]) -> bool:
    """Whether a street-first match of any street's name (``plain``) reads as English or names
    an institution, no address: every word of the street is a common English word, one is an
    institution's head word, or the town's first word is a common English word (a year and a
    heading: ``Vej 12, 2024 Budget``; not after a postcode that is no year: ``9004 Lie``)."""
    common = english_words()[0]
    street = m.group("plain")
    if all(w.lower() in common for w in street.split(" ") if len(w) > 1):
        return True
    if any(w in ORG_HEADS or w in _INSTITUTES for w in re.split(r"[ -]", street)):
        return True  # Max-Planck-Institut 12, 3400 Klosterneuburg: an institution's name
    code, _, town = m.string[m.end("plain") : m.end()].partition(", ")[2].partition(" ")
    return code[:2] in ("19", "20") and town.split(" ", 1)[0].lower() in common


def find_world_addresses(text: str) -> list[Entity]:
    """Addresses of the formats above in ``text``."""
    lines = lines_with(_POSTCODE_TOWN, text)
    whole = [_ID_ADDRESS] if "No." in text else []
    if _AU_HINT.search(text):
        whole.append(_AU_ADDRESS)
    if _COMMA_FIVE.search(text):
        whole += [_ES_ADDRESS, _IT_ADDRESS]
    if _EIRCODE_HINT.search(text):
        whole.append(_IE_ADDRESS)
    scans = [(rx, on_lines(rx, text, lines)) for rx in _POSTCODE_FORMATS]
    scans += [(rx, rx.finditer(text)) for rx in whole]
    out: list[Entity] = []
    for rx, found in scans:
        for m in found:
            # the words that lead in are no street's (Invoice correspondence to Ødegårdsvingen)
            lead = _LEAD_IN.match(m.group()) if rx is _STREET_FIRST else None
            first = m.group()[lead.end() if lead else 0 :].split(" ", 1)[0]
            if rx in (_STREET_FIRST, _ES_ADDRESS) and first in _NOT_STREET:
                continue
            if rx is _STREET_FIRST and m.group("plain") and _english_around(m):
                continue  # See Table 2, 2024 Results; Vej 12, 2024 Budget
            out.append(Entity(m.start() + (lead.end() if lead else 0), m.end(), "ADDRESS"))
    return out
