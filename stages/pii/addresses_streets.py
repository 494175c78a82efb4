"""Street-first postal addresses of continental Europe and Latin America, in running text and
without a cue, from each language's street words rather than one format per country.

A street is a name that a street word of some language marks: a suffix joined to it
(``Bolzmannstraße``, ``Silkeborgvej``, ``Mannerheimintie``, ``Eliassenåsen``),
a word after it (``Prisojna ulica``, ``Bajai utca``, ``Brīvības iela``) or a type before it
(``Calle``, ``Rua``, ``Travessa``, ``Strada``, ``Soseaua``, ``ul.``). Then a house number (a
letter or a range allowed: ``7b``, ``14 B``, ``7-9``, ``21/45``), a comma or a space, and a postcode of
the European forms (``1234``, ``12345``, ``123 45``, ``1234-567``, ``12-345``, a country
prefix such as ``SI-``) with the town, before or after it (``Rosario 2000``). Both ends are
anchored (street word + number, postcode + town), so a street name alone, or a number and a
town, is never one.
"""

from __future__ import annotations

from stages.pii.latin import L, U
from stages.pii.patterns import Entity
from stages.pii.prefilter import scan
from stages.pii.rx import guarded

__all__ = ["find_street_addresses"]

#: Street words joined to the end of a name: German, Dutch, Scandinavian, Finnish, Baltic,
#: Hungarian.
_SUFFIXES = (
    "straße|strasse|gasse|weg|platz|allee|ring|steig|graben|damm|ufer|"
    "straat|laan|steeg|plein|gracht|dreef|kade|singel|hof|pad|baan|boulevard|dijk|str\\.|"
    "gade|vej|gata|gatan|vägen|väg|gränd|veien|vegen|veg|gate|gaten|stien|åsen|tunet|jordet|"
    "bakken|lia|lien|haugen|kollen|skogen|"
    "katu|tie|kuja|polku|tori|rinne|kaari|"
    "tänav|utca"
)
#: Street words written after a name (Slavic, Baltic, Hungarian, Nordic, Dutch and German).
_AFTER = (
    "ulica|cesta|trg|pot|ulice|náměstí|nábřeží|třída|utca|út|tér|körút|iela|gatvė|prospektas|"
    "tänav|maantee|tee|puiestee|Straße|Strasse|Gasse|Weg|Allee|Platz|vej|gade|gata|straat|laan"
)
#: Street types written before a name (Romance languages, Polish, Romanian, Czech), and the
#: prepositions Czech street names start with.
_BEFORE = (
    "[Cc]alle|C\\.|[Aa]venida|Avda\\.|Av\\.|[Rr]ua|[Tt]ravessa|[Ll]argo|[Pp]raça|[Aa]lameda|"
    "[Rr]otunda|[Ee]strada|[Cc]aminho|[Bb]eco|[Vv]ia|[Vv]iale|[Pp]iazza|[Cc]orso|[Vv]icolo|"
    "[Ss]trada|[Ss]tr\\.|[Bb]ulevardul|[Ss]oseaua|[Șș]oseaua|[Aa]leea|[Cc]alea|[Pp]iața|"
    "[Pp]asaje|[Pp]aseo|[Cc]amino|[Cc]arrera|[Cc]r\\.|[Cc]l\\.|[Dd]iagonal|[Dd]iag\\.|"
    "[Tt]ransversal|[Pp]rolongación|[Aa]ndador|[Cc]allejón|[Cc]errada|[Rr]ecanto|[Qq]uadra|"
    "[Rr]odovia|[Vv]ila|[Ss]ítio|ul\\.|al\\.|pl\\.|os\\.|[Uu]lica|[Aa]leja|[Pp]lac|[Oo]siedle|"
    # Czech streets named by a preposition and a place (``U Mlýnského rybníka``, ``V Humenci``,
    # ``Na Příkopě``)
    "U|V|Ve|Na|Nad|Pod|Za|K|Ke"
)
_WORD = rf"{U}{L}+(?:-{U}?{L}+)*"
_PARTICLE = (
    r"(?:de|da|do|dos|das|del|de la|di|della|la|le|du|des|y|e|van|von|der|den|an der|an|am|im|"
    r"bei|ob)"
)
#: A word of a street's name: a name word, initials, a title (``Dr.``, ``Prof.``, ``Eng.``) or a
#: number (``1ª``).
_NAME_PART = rf"(?:{_WORD}|[A-Z]\.(?:[A-Z]\.)*|[A-Z][a-z]{{1,3}}\.|\d{{1,3}}ª?)"
_STREET = (
    rf"(?:{_WORD}(?:{_SUFFIXES})"
    rf"|(?!(?:The|A|An|In|On|At|To|Of|And|Or|For|By|With|From)[ ])(?:{_WORD}[ ]){{1,2}}(?:{_AFTER})"
    # a Hungarian street whose second word is written in lower case (Dózsa györgy tér 5.)
    rf"|{_WORD}[ ]{L}+[ ](?:utca|út|tér|körút|köz|sor)"
    rf"|(?:{_BEFORE})[ ](?:{_PARTICLE}[ ])?{_NAME_PART}(?:[ ](?:{_PARTICLE}[ ])?{_WORD}){{0,3}})"
)
_HOUSE = r"(?:N[°º][ ]?)?\d{1,4}[a-zA-Z]?(?:[-–/]\d{1,4}[a-zA-Z]?)?(?:[ ][A-Z](?=,))?"
_POSTCODE = r"(?:[A-Z]{1,2}-)?(?:\d{4}-\d{3}|\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{4,6})"
_TOWN = rf"{_WORD}(?:[ ](?:{_PARTICLE}[ ])?{_WORD}){{0,3}}"
_ADDRESS = guarded(
    rf"(?<![\w-])(?:{_STREET}),?[ ]{_HOUSE}\.?,?[ ]"
    rf"(?:{_POSTCODE},?[ ]{_TOWN}|{_TOWN}[ ]{_POSTCODE}(?![\d-]))"
)
#: Where every such address turns from the house number to the postcode, or to the town and
#: its postcode.
_NUMBER_THEN = guarded(
    r"\d[a-zA-Z]?(?:[ ][A-Z])?\.?,?[ ]"
    rf"(?:(?:[A-Z]{{1,2}}-)?\d{{2}}(?:\d|-\d|[ ]\d)|{U}{L}+(?:[ ]{U}{L}+){{0,2}}[ ]\d{{4}})"
)
#: How far a street (with its type and name) reaches before that turn, and the postcode and
#: town after it.
_BEFORE_TURN, _AFTER_TURN = 80, 60


#: An address as Argentina writes it: a street's type and name, ``N°`` and the number, units
#: (``Torre 7``, ``Piso 5``, ``Dto. 2``, ``Local 5``, ``Oficina 9``), then the town, its
#: 4-digit postcode and the province (``Av. La Rioja N° 8971 Oficina 9, Ushuaia 9410, Tierra
#: del Fuego``). The street's name may hold initials, numbers and particles (``Diagonal G. Brown``,
#: ``Av. J.M. de Rosas``, ``Calle 1``).
_NUMBERED_TYPE = (
    r"(?:Calle|Avenida|Av\.|Avda\.|Boulevard|Bulevar|Blv\.|Bv\.|Diagonal|Diag\.|Pasaje|Camino|"
    r"Ruta)"
)
_NUMBERED_PARTICLE = r"(?:de|del|la|las|los|y)"
_NUMBERED_NAME = rf"(?:{_WORD}|[A-Z]\.(?:[A-Z]\.)*|\d{{1,3}})"
_NUMBERED_UNIT = r"(?:Torre|Piso|Dto\.|Depto\.|Dpto\.|Local|Oficina|Of\.|Casa|Lote)[ ][0-9A-Z]{1,4}"
_NUMBERED_PLACE = rf"{_WORD}(?:[ ](?:{_NUMBERED_PARTICLE}[ ])?{_WORD}){{0,4}}"
_NUMBERED_ADDRESS = guarded(
    rf"(?<![\w-]){_NUMBERED_TYPE}[ ]{_NUMBERED_NAME}(?:[ ](?:{_NUMBERED_PARTICLE}[ ])?"
    rf"{_NUMBERED_NAME}){{0,5}}[ ]N[°º][ ]?\d{{1,5}}(?:[ ]{_NUMBERED_UNIT}){{0,3}},[ ]"
    rf"{_NUMBERED_PLACE}[ ]\d{{4}}(?![\d-])(?:,[ ]{_NUMBERED_PLACE}(?=[,.;:)]|\s|$))?"
)


#: An address as Romania writes it: a street's type and name (often a person's: ``Strada
#: Teodor Marin``), ``Nr.`` and the number with block, staircase, floor and flat, the town and
#: the 6-digit postcode (``Intrarea Tabacu Nr. 12 Bl. 26  Sc. 35 Ap. 723, Targoviste,
#: 881023``); or Italy: a street, the number (a flat after it), the 5-digit CAP, the town and
#: the province (``Canale Elladio, 97 Appartamento 5, 25077, Roe' Volciano (BS)``).
_RO_TYPE = (
    r"(?:Strada|Str\.|Bulevardul|Bd\.|B-dul|Soseaua|Șoseaua|Şoseaua|Calea|Aleea|Drumul|Intrarea|"
    r"Piața|Piata|Splaiul|Fundătura|Fundatura)"
)
_RO_UNITS = r"(?:[ ]+(?:Bl|Sc|Et|Ap)\.[ ]?[0-9A-Z]{1,4}){0,4}"
#: A Romanian town: a date may open it (``1 Decembrie``, ``23 August``) and ``lui``, ``de`` or
#: ``din`` join its words (``Valu lui Traian``, ``Baia de Aramă``).
_RO_TOWN = rf"(?:\d{{1,2}}[ ])?{_WORD}(?:[ ](?:(?:lui|de|din|pe|cu|la)[ ])?{_WORD}){{0,3}}"
_RO_ADDRESS = guarded(
    rf"(?<![\w-]){_RO_TYPE}[ ]{_WORD}(?:[ ]{_WORD}){{0,3}}(?:[ ]Nr\.[ ]?\d{{1,4}}[A-Za-z]?{_RO_UNITS})?"
    rf",[ ]{_RO_TOWN},?[ ]\d{{6}}(?!\d)"
)
_IT_TYPE = (
    r"(?:Via|Viale|Strada|Piazza|Piazzale|Canale|Borgo|Contrada|Vicolo|Corso|Largo|Rotonda|"
    r"Stretto|Incrocio|Vico|Lungomare|Salita)"
)
_IT_TOWN_WORD = (
    rf"(?:{_WORD}(?:['’](?:{_WORD})?)?|[Dd]i|[Dd]el|[Dd]ella|[Ss]an|[Ss]ul|[Ss]ulla|[Aa]l)"
)
_IT_ADDRESS = guarded(
    rf"(?<![\w-]){_IT_TYPE}[ ]{_WORD}(?:[ ]{_WORD}){{0,3}},[ ]\d{{1,4}}[A-Za-z]?"
    r"(?:[ ](?:Piano|Appartamento|Interno|Scala)[ ]\d{1,3})*,?[ ]\d{5},?[ ]"
    rf"{_IT_TOWN_WORD}(?:[ ]{_IT_TOWN_WORD}){{0,4}}(?:[ ]\([A-Z]{{2}}\))?"
)


#: An address as Brazil writes it: a street's type and name, the number, the neighbourhood,
#: the CEP, the town and the state (``Rodovia de Teixeira, 74, Santa Maria, 27503435 Costela
#: das Flores / MG``).
_BR_TYPE = (
    r"(?:Rua|Avenida|Av\.|Alameda|Travessa|Rodovia|Estrada|Praça|Largo|Ladeira|Via|Viela|Vila|"
    r"Distrito|Passarela|Quadra|Setor|Conjunto|Condomínio|Residencial|Loteamento|Jardim|Parque|"
    r"Chácara|Sítio|Fazenda|Núcleo|Morro|Vale|Vereda|Trecho|Trevo|Recanto|Colônia|Esplanada|"
    r"Lago|Lagoa|Praia|Campo|Feira|Favela|Pátio|Viaduto|Aeroporto|Estação|Área)"
)
_BR_ADDRESS = guarded(
    rf"(?<![\w-]){_BR_TYPE}[ ][^\n,/]{{2,50}}(?:,[ ]\d{{1,5}}[A-Za-z]?)?,[ ][^\n,/]{{2,50}},[ ]"
    r"\d{5}-?\d{3}[ ][^\n,/]{2,50}?[ ]/[ ][A-Z]{2}(?![A-Za-z])"
)


def find_street_addresses(text: str) -> list[Entity]:
    """Street-first European and Latin American addresses in ``text``: the full pattern is
    searched only around a house number's turn to a postcode or a town; the Argentine,
    Romanian, Italian and Brazilian forms, each ending in its country's postcode, apart."""
    out: list[Entity] = []
    if "N°" in text or "Nº" in text:
        out += [Entity(m.start(), m.end(), "ADDRESS") for m in _NUMBERED_ADDRESS.finditer(text)]
    for rx in (_RO_ADDRESS, _IT_ADDRESS, *((_BR_ADDRESS,) if " / " in text else ())):
        out += [Entity(m.start(), m.end(), "ADDRESS") for m in scan(rx, text)]
    end = 0
    for turn in _NUMBER_THEN.finditer(text):
        if turn.start() < end:
            continue
        m = _ADDRESS.search(text, max(end, turn.start() - _BEFORE_TURN), turn.end() + _AFTER_TURN)
        if m is not None and m.start() <= turn.start():
            out.append(Entity(m.start(), m.end(), "ADDRESS"))
            end = m.end()
    return out
