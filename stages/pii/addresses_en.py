"""English postal addresses in running text, with or without an "address:" cue.

An address is a street line (house number, street name words, a street suffix from USPS
Publication 28 appendix C1 or a British one; a flat/suite/unit before or after) followed,
optionally, by localities and a US state with ZIP code, a UK postcode or a country. The short
list of common suffixes (Street, Road, Avenue ...) is enough on its own; the long list (Union,
Lock, Inlet, Fork ...) is ordinary English, so a street with one of those suffixes counts only
when a state + ZIP or a postcode follows. Words are Title-case or UPPER-case as printed; the
suffix may be in any case (``01 Brett mall``). Also: a street without a number when a
postcode ends it (``SHEPPEY WAY, SITTINGBOURNE, ME9 8RZ``), PO boxes and US military
addresses (``PSC 1234, Box 5678, APO AE 09001``), each with a state + ZIP.

pyap finds these too, at about 3 ms per document (15 times this module's cost per document);
its recall on the dev split was 0.80. See docs/pii.md.
"""

from __future__ import annotations

import re

from stages.pii.latin import LOWER, NAME_WORD, UPPER, L, U
from stages.pii.patterns import Entity
from stages.pii.rx import folded, guarded

__all__ = ["ADDRESS_BODY", "find_en_addresses"]

_CORE_SUFFIXES = (
    "Street St Avenue Ave Av Road Rd Boulevard Blvd Lane Ln Drive Dr Court Ct Way Place Pl "
    "Terrace Ter Crescent Cres Parkway Pkwy Highway Hwy Freeway Fwy Expressway Expy Square Sq "
    "Close Circle Cir Plaza Plz Gardens Mews Grove Embankment Quay Wharf Broadway Trail Trl "
    "Row Walk Hill Turnpike Tpke Alley Aly Parade Gate Drove"
).split()
_MORE_SUFFIXES = (
    "Annex Arcade Bayou Beach Bend Bluff Bluffs Bottom Branch Bridge Brg Brook Brooks Burg Burgs "
    "Bypass Camp Canyon Cape Causeway Center Centers Ctr Centre Circles Cliff Cliffs Club Common "
    "Commons Corner Corners Course Courts Cove Coves Creek Crest Crossing Xing Crossroad Curve "
    "Dale Dam Divide Drives Estate Estates Extension Extensions Ext Fall Falls Ferry Field Fields "
    "Flat Flats Ford Fords Forest Forge Forges Fork Forks Fort Garden Gateway Glen Glens Green "
    "Greens Groves Harbor Harbors Harbour Haven Heights Hts Hills Hollow Inlet Island Islands "
    "Isle Junction Junctions Key Keys Knoll Knolls Lake Lakes Land Landing Light Lights Loaf "
    "Lock Locks Lodge Loop Mall Manor Manors Meadow Meadows Mill Mills Mission Motorway Mount "
    "Mountain Mountains Neck Orchard Oval Overpass Park Parks Parkways Pass Passage Path Pike "
    "Pine Pines Plain Plains Point Points Port Ports Prairie Radial Ramp Ranch Rapid Rapids Rest "
    "Ridge Ridges River Roads Route Rue Run Shoal Shoals Shore Shores Skyway Spring Springs Spur "
    "Spurs Squares Station Stravenue Stream Streets Summit Throughway Trace Track Trafficway "
    "Tunnel Underpass Union Unions Valley Valleys Via Viaduct View Views Village Villages Ville "
    "Vista Walks Wall Ways Well Wells Approach Grange Green Camino Mews Cut Off "
    # Australian and New Zealand street types (Australia Post's list, NZ Post's list).
    "Reach Byway Anchorage Circlet Circuit Circus Pocket Ring Rise Roadway Foreshore Esplanade "
    "Line Quad Piazza Slope Thoroughfare Driveway Round Cross Promenade Boardwalk Chase Glade "
    "Nook Outlook Retreat Vale Wynd Crossway Concourse Cul-de-sac Gap Grange Hike Link Mall "
    "Strand Track Vista Amble Brae Bowl Cascades Dell Dene Domain Elbow Fairway Firetrail "
    "Flat Glen Grove Hub Hollow Lookout Mead Mount Paddock Pathway Pde Ramble Ridgeway "
    "Shunt Steps Tarn Terrace Tce Trailway Walkway Woods Cutting Copse Alleyway Laneway "
    "Colonnade Courtyard Corso Siding Quays Parklands Plateau Gully Brow Reserve"
).split()
_ALL_SUFFIXES = sorted(set(_CORE_SUFFIXES) | set(_MORE_SUFFIXES), key=len, reverse=True)
_CORE = frozenset(s.lower() for s in _CORE_SUFFIXES)

_US_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP FM MH PW AA "
    "AE AP BC ON QC AB MB SK NS NB NL PE YT NT NU"
).split()
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming"
)
_STATE = rf"(?:(?:{'|'.join(_US_STATES)})\b|(?:{_STATE_NAMES})\b|(?i:Tx|Mich)\.?)"
_ZIP = r"\d{5}(?:-\d{4})?(?!\d)"
_UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2})\b"
_CA_POSTCODE = r"(?:[A-Z]\d[A-Z][ ]?\d[A-Z]\d)\b"
#: Australian states and territories, each followed by a 4-digit postcode (``QLD 4000``,
#: ``VIC, 3000``).
_AU_STATE = r"(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT)\b"
#: Irish Eircode: routing key (letter + 2 digits, or D6W) and a 4-character unique identifier.
_EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[ ]?[0-9AC-FHKNPRTV-Y]{4}\b"
#: A 4-digit postcode after a locality (Australia, New Zealand, much of Europe).
_POST4 = r"\d{4}(?![\d.,:/-]\d)(?!\d)"
_COUNTRY = (
    r"(?:USA|U\.S\.A\.?|US|UK|United Kingdom|England|Scotland|Wales|Great Britain|Canada|"
    r"China|P\.R\.[ ]?China|PRC|Taiwan|Macau|Macao|Singapore|Malaysia|India|Pakistan|"
    r"Philippines|Australia|New Zealand|Ireland|Nigeria|Kenya|South Africa)\b"
)

#: A word of a street or place name: capitalised as a name is (in any Latin letters:
#: ``Þrösturchester``, ``Durmuş``, ``O'Sullivan``, ``Asma’u``, ``Ó Suibhne``, ``Smith-McGrath``),
#: in capitals, or an ordinal (``42nd``).
_WORD = rf"(?:{NAME_WORD}(?:-{U}[{UPPER}{LOWER}]+)?|[A-Z]{{2,}}|\d{{1,3}}(?i:st|nd|rd|th))"
_DIR = r"(?:[NSEW]\.?|NE|NW|SE|SW|North|South|East|West|NORTH|SOUTH|EAST|WEST)"
_SUFFIX_ANY = r"(?<![A-Za-z])(?i:" + "|".join(_ALL_SUFFIXES) + r")\.?(?![A-Za-z])"
_SUFFIX = rf"(?P<suffix>{_SUFFIX_ANY})"
_UNIT = (
    r"(?:(?i:apt|apartment|suite|ste|unit|bldg|building|floor|fl|room|rm|flat|studio|pmb)\.?[ ]?"
    r"#?[0-9A-Z][0-9A-Za-z.-]{0,5}(?:[ ][A-Z](?![A-Za-z]))?|#[0-9A-Z]{1,5})"
)
_SEP = r"(?:,?[ ]?\n|,[ ]{0,2}|[ ])"
_LOCALITY = (
    rf"(?:RD[ ]\d{{1,2}}|(?:{_WORD}|St\.|{U}{L}+'s)(?:[ ](?:{_WORD}|St\.|{U}{L}+'s)){{0,2}})"
)
_TAIL = (
    rf"(?P<tail>(?:{_SEP}{_LOCALITY}){{0,2}}"
    rf"(?:[ ]?,?[ ]+(?:{_AU_STATE},?[ ]{_POST4}|{_STATE}[ ]?(?:-[ ])?\.?(?:{_ZIP}|{_CA_POSTCODE})?"
    rf"|{_ZIP}|(?<=[a-z][ ]){_POST4})"
    rf"|[ ]{_EIRCODE}(?:[ ]{_LOCALITY})?"
    rf"|{_SEP}(?:{_LOCALITY}[ ])?{_UK_POSTCODE})"
    rf"(?:,[ ]{_COUNTRY})?)"
)
#: A flat, studio, suite or level before the house (``Flat C, 14th Floor, No. 938 ...``,
#: ``Studio 81b,``, ``Unit 2-1782,``, ``Level 8,``), or a floor as Hong Kong and China write it (``7/F, Tower 2,``).
_PRE = (
    r"(?:(?P<pre>(?:(?i:flat|studio|apartment|apt|unit|suite|room|rm|level)\.?[ ]#?[0-9A-Z]{1,5}[a-z]?"
    r"(?:-\d{1,5})?(?:,[ ]\d{1,3}(?:st|nd|rd|th)[ ](?i:floor))?|\d{1,3}/F)"
    # the block or tower the flat is in (``Unit 10C, Block 4, No. 317 ...``, ``Suite 3111, C
    # Block, No. 168 ...``)
    r"(?:,[ ](?:(?i:block|blk|tower|building|bldg)\.?[ ][0-9A-Z]{1,4}"
    r"|[0-9A-Z]{1,2}[ ](?i:block|tower|building)))?),?[ ])"
)
_NUMBER = r"(?:(?:No\.[ ]?)?\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?)"
_STREET = (
    rf"(?:{_DIR}[ ])?(?:{_WORD}[ ]){{0,3}}{_WORD}?[ ]?{_SUFFIX}"
    rf"(?:[ ]{_DIR}(?![A-Za-z]))?(?:,?[ ]{_UNIT}){{0,2}}"
)
# Streets whose type comes first: numbered roads (Highway 32 East, County Road 12, Route 9W)
# and Spanish or French types (Camino Ramon, Calle de la Paz, Avenida Central, Rue Cartier).
# They read as addresses only with a house number before and a state + ZIP or postcode after.
_TYPED_FIRST = (
    rf"(?:(?:{_DIR}[ ])?"
    r"(?:(?i:highway|hwy|route|rte|state route|state road|state highway|county road|"
    r"county rd|farm to market road|farm road|us highway|us hwy|us route|interstate)\.?"
    r"[ ]\d{1,4}[A-Z]?"
    rf"|(?i:camino|calle|avenida|paseo|rue|via|vía|plaza)[ ]"
    rf"(?:(?i:del|de la|de los|de las|de|du|la|le|el|los|las|des)[ ])?{_WORD}(?:[ ]{_WORD}){{0,2}})"
    rf"(?:[ ]{_DIR}(?![A-Za-z]))?(?:,?[ ]{_UNIT}){{0,2}})"
)
#: The words a flat or suite part (``_PRE``) and a P.O. box start with.
_PRE_WORDS = ("flat", "studio", "apartment", "apt", "unit", "suite", "room", "level")
#: The short ones (``Rm 864``, ``7/F``), in the folded text: a word of their own.
_PRE_SHORT = guarded(r"(?<![a-z])rm[ .]|\d/f,")


def _body(pre: bool = True, uk: bool = True, box: bool = True) -> str:
    """The address pattern; without the flat or suite part (``pre``), the form that ends in a
    British postcode (``uk``) or the P.O. box forms (``box``) for a text that cannot hold
    them: the same matches there, and fewer places to try."""
    house = (
        rf"(?:{_PRE.replace('(?P<pre>', '(?:')}(?:{_NUMBER}[ ])?|{_NUMBER}[ ])"
        if pre
        else rf"(?:{_NUMBER}[ ])"
    )
    street_house = rf"(?:{_PRE}(?:{_NUMBER}[ ])?|{_NUMBER}[ ])" if pre else rf"(?:{_NUMBER}[ ])"
    typed = rf"(?P<typed>{_TYPED_FIRST}){_TAIL.replace('(?P<tail>', '(?:')}"
    street = (
        rf"(?P<street>{_STREET})"
        # localities up to punctuation, or up to the sentence going on (``..., Anhui from now on``)
        rf"(?:(?:{_TAIL})|(?:,[ ]{_LOCALITY}(?=[,.;)\n\"'<]|$|[ ][a-z])){{1,3}}(?:,[ ]{_COUNTRY})?)?"
    )
    if pre:
        forms = [rf"(?<![\w.-]){house}{typed}", rf"(?<![\w.-]){street_house}{street}"]
    else:
        # one house number before both: it matches at a place in one way only, so the number
        # read once gives what the two forms give (and ``re`` tries each digit once, not twice)
        forms = [rf"(?<![\w.-]){house}(?:{typed}|{street})"]
    if uk:
        # words and a street type, localities, the British postcode
        forms.append(
            rf"(?<![\w.])(?:{_WORD}[ ]){{1,3}}{_SUFFIX_ANY}(?:{_SEP}{_LOCALITY}){{1,2}}{_SEP}{_UK_POSTCODE}"
        )
    boxes = r"(?i:P\.?O\.?[ ]?Box|Post Office Box)[ ]\d{1,6}|" if box else ""
    forms.append(
        rf"(?<![\w.])(?:{boxes}"
        rf"(?:PSC|Unit|USNS|USNV|USS|USCGC)[ ][\w ]{{1,20}}?(?:,[ ]Box[ ]\d{{1,5}})?)"
        rf"(?:{_SEP}{_LOCALITY})?,?[ ](?:(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]{_ZIP}|{_STATE}[ ]?{_ZIP})"
    )
    if box:
        forms.append(
            rf"(?<![\w.])(?i:P\.?O\.?[ ]?Box)[ ]\d{{1,6}},?[ ]{_LOCALITY},?[ ]"
            rf"(?:{_AU_STATE},?[ ])?{_POST4}"
        )
    return "|".join(forms)


ADDRESS_BODY = _body()
#: The pattern by the parts a text can hold (``_body``), compiled at first need.
_ADDRESS: dict[tuple[bool, bool, bool], re.Pattern[str]] = {}
_UK_POSTCODE_ANYWHERE = guarded(_UK_POSTCODE)


def _address_pattern(text: str, uk: bool | None = None) -> re.Pattern[str]:
    """The pattern for ``text``'s parts; ``uk``: whether it holds a British postcode, where
    that is known."""
    low = folded(text)
    if uk is None:
        uk = _UK_POSTCODE_ANYWHERE.search(text) is not None
    pre = any(w in low for w in _PRE_WORDS) or _PRE_SHORT.search(low) is not None
    key = (pre, uk, "box" in low)
    rx = _ADDRESS.get(key)
    if rx is None:
        rx = _ADDRESS[key] = guarded(_body(*key))  # case-insensitive lead words read too
    return rx


#: A full British postcode standing alone (``EC3M 5AD``, ``M1 1AE``): it names a street's few
#: houses. Written as the Royal Mail prints it, in capitals with its space; the inward part's
#: letters are never C, I, K, M, O or V.
_UK_POSTCODE_ALONE = guarded(
    r"(?<![\w-])(?:[A-Z]{1,2}\d[A-Z\d]?|[A-Z]{2}\d[A-Z])[ ]\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"
)


#: A statute's name and year at a match's end (``County Courts Act 1984``), no locality and
#: postcode.
_STATUTE_END = guarded(r"\bAct[ ]\d{4}$")


def find_en_addresses(text: str) -> list[Entity]:
    """English postal addresses in ``text``, and full British postcodes standing alone."""
    # a postcode alone is one anywhere: none alone where there is none
    uk = _UK_POSTCODE_ANYWHERE.search(text) is not None
    alone = _UK_POSTCODE_ALONE.finditer(text) if uk else ()
    out = [Entity(m.start(), m.end(), "ADDRESS") for m in alone]
    rx = _address_pattern(text, uk)
    for m in rx.finditer(text):
        s, e = m.span()
        suffix = m.group("suffix")
        if m.group("street") is not None:
            has_tail = m.group("tail") is not None
            if not has_tail and (suffix is None or suffix.lower() not in _CORE):
                continue
            if not has_tail and m.group("street").lstrip().split(" ")[0] == suffix:
                continue  # "12 Street" alone: a number before a word, not a street
        while e > s and text[e - 1] in " ,\n":
            e -= 1
        if _STATUTE_END.search(text, s, e):
            continue  # section 69 County Courts Act 1984: a statute's name and year
        out.append(Entity(s, e, "ADDRESS"))
    return out
