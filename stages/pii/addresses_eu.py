"""Street-first postal addresses (Switzerland, Germany, Austria, the Nordic countries) and
South African addresses with the postcode last, in running text and without a cue.

- Street first: a street name ending in a German or a Nordic street word (``Braunstrasse``,
  ``Bahnhofgasse``, ``Zürcher Strasse``, ``Teglbrænderstræde``, ``Hvidkløver Allé``,
  ``Kungsgatan``) or led by a French type (``rue``, ``chemin``,
  ``avenue``, ``route``), the house number (or a range of them: ``1-3``), then the 4- or 5-digit postcode (``CH-`` and ``D-``
  prefixes allowed) and the town: ``Braunstrasse 31, 5600 Uzwil``;
- South Africa: a house number, a street with an English or a Zulu street word (Street,
  Road, Indawo, Umgwaqo, Isitaladi, Indlela, Ithafa), one or two localities (also Zulu forms
  such as ``iKapa``, ``eThekwini``), then a comma and the 4-digit postcode:
  ``52 York Indawo, iKapa, 2147``.
Both are anchored at both ends (street word + number, postcode + town or locality + postcode),
so a street name alone or a number and a town (``5600 Uzwil``) is never one.
"""

from __future__ import annotations

from stages.pii.latin import L, U
from stages.pii.patterns import Entity
from stages.pii.prefilter import lines_with, on_lines
from stages.pii.rx import guarded

__all__ = ["find_eu_addresses"]

#: A capitalised place word, hyphens joining parts (Le Grand-Saconnex, Saint-Prex).
_TOWN_WORD = rf"{U}{L}+(?:-{U}?{L}+)*"
_TOWN = rf"{_TOWN_WORD}(?:[ ](?:(?:am|an|im|bei|sur|sous|de|du|la|le)[ ])?{_TOWN_WORD}){{0,2}}"
_DE_STREET = (
    rf"(?:{U}{L}+(?:strasse|straße|str\.|gasse|weg|platz|allee|ring|rain|steig|graben)"
    rf"|{U}{L}+(?:er)?[ ](?:Strasse|Straße|Gasse|Weg|Platz|Allee|Ring))"
)
#: Danish, Norwegian, Swedish and Finnish street words, joined to the name (``Valhøjstræde``,
#: ``Storgata``, ``Kungsgatan``, ``Mannerheimintie``) or after it (``Ramløse Allé``).
_NORDIC_STREET = (
    rf"(?:{U}{L}+(?:vej|vejen|gade|stræde|allé|vænget|plads|torv|veien|vegen|gata|gate|gaten|"
    rf"plass|vägen|gatan|gränd|torget|katu|tie|kuja|polku|väylä)"
    rf"|{U}{L}+[ ](?:Allé|Vej|Gade|Stræde|Plads|Torv|Vænge))"
)
_FR_STREET = (
    rf"(?:rue|chemin|avenue|route|boulevard|place|allée|impasse|quai)[ ]"
    rf"(?:(?:de|du|des|de la)[ ]|[ld]['’])?{_TOWN_WORD}(?:[ ]{_TOWN_WORD}){{0,2}}"
)
_STREET_FIRST = guarded(
    rf"(?<![\w-])(?:{_DE_STREET}|{_NORDIC_STREET}|{_FR_STREET})[ ]\d{{1,4}}[a-z]?"
    rf"(?:[-/]\d{{1,4}}[a-z]?)?,?[ ]"
    rf"(?:(?:CH|D|A)-)?\d{{4,5}}[ ]{_TOWN}"
)
_ZA_STREET_WORD = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Drive|Lane|Indawo|Umgwaqo|Isitaladi|Indlela|Ithafa)"
)
_ZA_LOCALITY = rf"(?:[ei](?={U}))?{_TOWN}"
_ZA_ADDRESS = guarded(
    rf"(?<![\w.-])\d{{1,5}}[ ]{_TOWN_WORD}(?:[ ]{_TOWN_WORD})?[ ]{_ZA_STREET_WORD}"
    rf"(?:,[ ]{_ZA_LOCALITY}){{1,2}},[ ]\d{{4}}(?![\d.,:/-]\d|\d)"
)


#: What each format must hold, searched first (the full patterns cost several times more):
#: a house number right before a postcode; a comma before a 4-digit number.
_NUMBER_POSTCODE = guarded(r"\d[a-z]?,?[ ](?:(?:CH|D|A)-)?\d{4}")
_COMMA_POSTCODE = guarded(r",[ ]\d{4}(?!\d)")


def find_eu_addresses(text: str) -> list[Entity]:
    """Street-first (Swiss, German, Austrian, Nordic) and South African addresses in
    ``text``."""
    out: list[Entity] = []
    lines = lines_with(_NUMBER_POSTCODE, text)  # every street-first match lies on one of these
    out += (Entity(m.start(), m.end(), "ADDRESS") for m in on_lines(_STREET_FIRST, text, lines))
    if _COMMA_POSTCODE.search(text):
        out += (Entity(m.start(), m.end(), "ADDRESS") for m in _ZA_ADDRESS.finditer(text))
    return out
