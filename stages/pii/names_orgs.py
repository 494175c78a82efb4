"""Capitalised words that name an organisation, a venue, an event or a place, not a person.

English and European names of firms, clubs, hospitals, venues and events end in a word that
says what they are (``Harbourside Marina``, ``Summer Fields Festival``, ``Aurora Car Rental``,
``Klinikum Nord`` starts with one), hold a trade after their first word (``Ellis Electrical``,
``Lebao Toys Sales``), or run on into such a word (``Freiburg City Exchange
Office``). ``names_an_organisation`` tells whether a span of capitalised words found as a
person's name is one of them: its last word is an organisation's head word, its first word is
one that leads in German, French, Spanish or Italian (``Klinikum``, ``Hôpital``, ``Banco``), or
the capitalised words after it on the same line reach a head word within two words.

The head words are nouns that are rarely anyone's family name; those that often are (Hall,
Church, Park, Lane, Hill, Banks, Mills) are left out, so ``Brandon Hill`` stays a person.
A company's legal form after the words (``Ltd``, ``GmbH``, ``ehf``), or the words being a
place of ``data/places_world.txt`` (``Kuala Lumpur``: the towns and regions libphonenumber
geocodes, less those that read as a person's name, ``Morgan Hill``), settles it too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from stages.pii.latin import L, U
from stages.pii.rx import guarded

__all__ = ["ORG_HEADS", "names_a_company", "names_an_organisation", "places"]

_DATA = Path(__file__).parent / "data"

#: Words that end the name of an organisation, a venue, a service or an event.
ORG_HEADS = frozenset(
    """Marina Marinas Festival Festivals Fair Expo Gala Regatta Marathon Tournament Championship
    Championships Cup League Games Rally Carnival Parade Concert Conference Summit Forum Symposium
    Congress Convention Fete Rental Rentals Hire Exchange Exchanges Hospice Hospital Hospitals
    Clinic Clinics Infirmary Surgery Pharmacy Dispensary Healthcare Laboratory Salon Salons Bar
    Bars Lounge Parlour Parlor
    Laboratories Lab Labs Office Offices Agency Agencies Bureau Authority Commission Tribunal
    Registry Registrar Institute Institution Academy Kindergarten Nursery Preschool Seminary
    Conservatoire Conservatory
    Polytechnic Museum Gallery Galleries Library Archive Archives Theatre Theater Cinema Cinemas
    Opera Orchestra Choir Band Ensemble Stadium Arena Pavilion Auditorium Hotel Hotels Motel
    Hostel Resort Resorts Spa Inn Restaurant Restaurants Cafe Café Bistro Brasserie
    Bakery Brewery Winery Distillery Vineyard Vineyards Creamery Dairy Butchers Grocers
    Supermarket Supermarkets Market Markets Mart Marts Auction Auctions Auctioneers Mall Emporium
    Store Stores Shop Shops Boutique
    Outlet Outlets Showroom Showrooms Dealership Motors Garage Autos Automotive Station Airport Terminal
    Depot Harbour Harbor Port Pier Wharf Quay Docks Dockyard Shipyard Airlines Airways
    Aviation Railway Railways Rail Transit Transport Logistics Freight Shipping Couriers Parcels
    Removals Travel Tours Cruises Zoo Aquarium Gardens Cemetery Crematorium Cathedral Chapel
    Mosque Synagogue Parish Diocese Priory Mission Ministries Charity Charities
    Foundation Fund Trust Trustees Society Association Federation Alliance Union Guild Team Teams
    Partnership Partnerships Stables Kennels Cattery Sculpture Sculptures
    Üniversitesi Hastanesi Bankası Vakfı Belediyesi Derneği
    Cooperative Co-op Collective Club Clubs Council Committee Board Assembly Chamber Department
    Ministry Embassy Consulate Municipality Constabulary Police Brigade Corps Regiment Enterprises
    Industries Manufacturing Engineering Construction Builders Contractors Developers
    Properties Property Realty Estates Homes Housing Lettings Letting Apartments Residences
    Holdings Investments Capital Partners Associates Advisors Advisers Consultants Consulting
    Consultancy Solutions Systems Technologies Technology Software Networks Telecom Media
    Publishing Press Studios Studio Productions Entertainment Events Catering Cleaning 
    Services Supplies Trading Traders Imports Exports Wholesale Retail Farms Farm Ranch Launderette
    Laundrette Laundry Cleaners Purchasing Procurement Sourcing Distribution Horizon Taxidermy
    Estate Estates
    Show Shows Weekend Weekends Distance Relay Relays Race Races Banka Banca
    Nurseries Plantation Factory Works Foundry Energy Utilities Water
    Insurance Assurance Bank Banking Bancorp Bankers Credit Savings Securities Brokers Brokerage
    Lending Mortgages Leasing Payments Remittance Forex Centre Center Centres
    Complex Campus Plaza Arcade Town City Village Precinct Hub Practice Solicitors Dept
    Architects Surveyors Attorneys Lawyers Notaries Accountants Auditors Ops Pty Ltd Limited Inc
    Corp Cottage Cottages Farmhouse Guesthouse Manor Bookings Reservations Enquiries Admissions
    Inventories Inspections Valuations Surveys Section Sections Tour FC AFC JFC RFC CC Bot Chatbot
    Admin Administration Reception Ambulance Kft Zrt Nyrt Bt""".split()
)
#: A lower-case noun of a site after capitalised words: they name its place (``Kendal Highgate
#: branch``, ``the Leeds Kirkgate office``).
_PLACE_NOUN_AFTER = guarded(r"[ ](?:branch|branches|office|offices|store|depot|campus)\b")
#: What the words are, said after them: an organisation's head word in lower case ends the
#: phrase (``Le Petit Jardin, a French restaurant in Bath``; not ``A B, a restaurant owner``).
_KIND_AFTER = guarded(
    r",[ ]an?[ ](?:[A-Za-z-]+[ ]){0,3}?(?P<head>[a-z]+)"
    r"(?=[ ](?:in|at|on|near|by|that|which|with|from|based|run|owned|and)\b|[,.;:)]|[ \t]*(?:\n|$))"
)
#: The ends of a trade's compound plural (Bellfounders, Clockmakers, Silversmiths, Wheelwrights,
#: Ironmongers) that a firm's last word has, no family name.
_TRADE_PLURALS = ("founders", "makers", "smiths", "wrights", "mongers")
#: Words that lead a department's name (``Export Sales``, ``Corporate Banking``).
_DEPARTMENT_FIRST = frozenset(
    "Export Import Overseas International Domestic Corporate Retail Wholesale Regional".split()
)
#: Trades and goods that a shop's or a firm's name holds after its first word (``Ellis
#: Electrical``, ``Lebao Toys Sales``, ``Kerr Plumbing Services``): no family name is one.
_TRADE_WORDS = frozenset(
    """Electrical Electric Electronics Plumbing Joinery Roofing Glazing Carpets Flooring Fencing
    Landscaping Florist Florists Jewellers Jewelers Opticians Dental Veterinary Vets Toys Tyres
    Cycles Interiors Furnishings Furniture Textiles Fashions Apparel Foods Beverages Cosmetics
    Hardware Appliances Upholstery Scaffolding Haulage Recycling Printing Signs Tea Coffee
    Seafood Garments Ceramics Machinery Chemicals Pharmaceuticals Parts Spares Components
    Icewine Wine Wines Sake Whisky Whiskey Vodka Gin Rum Brandy Cognac Champagne Prosecco Cider
    Lager Ale Paper Papers Reptile Reptiles Aquatics""".split()
)

#: Words that lead an organisation's name in German, French, Spanish, Italian and Dutch.
_LEADING_HEADS = frozenset(
    """Klinikum Krankenhaus Kreiskrankenhaus Universitätsklinikum Stadtwerke Sparkasse Volksbank
    Raiffeisenbank Bank Stiftung Verein Gemeinde Stadt Landkreis Amt Finanzamt Kirche Schule
    Gymnasium Hochschule Universität Institut Hôpital Clinique Centre Banque Caisse Société
    Mairie Lycée Collège Université Fondation Association Hospital Clínica Banco Caja
    Fundación Ayuntamiento Universidad Colegio Instituto Ospedale Clinica Banca Cassa
    Fondazione Comune Università Istituto Ziekenhuis Gemeente Stichting Universiteit
    Hogeschool Universidade Faculdade Fundação Escola Colégio Caixa Câmara Uniwersytet
    Politechnika Szpital Fundacja Urząd Universitatea Spitalul Primăria Club Klub Clube Cercle
    Distribuidora Comercializadora Importadora Exportadora Constructora Inmobiliaria Transportes
    Corporación Studio Atelier Chalet Château Maison Domaine Hôtel Auberge""".split()
)

#: Currencies a rate table names after a place or a people (``Hong Kong Dollar``, ``Swiss
#: Franc``): the words are a currency's name, not a person's.
_CURRENCIES = frozenset(
    """Dollar Dollars Yuan Renminbi Euro Pound Pounds Franc Francs Yen Won Rupee Rupees Rupiah
    Ringgit Baht Peso Pesos Dirham Riyal Rial Dinar Lira Shilling Krona Krone Kroner Zloty
    Forint Koruna Leu Lev Naira Cedi Rand Real Kwacha Dong Kip Kyat Taka Tenge Som Hryvnia
    Rouble Ruble Shekel""".split()
)
#: The places and peoples a currency's name leads with.
_PEOPLES = frozenset(
    """Swiss Japanese Chinese Korean Indian Indonesian Malaysian Thai Philippine Vietnamese
    Australian Canadian American British Mexican Brazilian Russian Turkish Swedish Norwegian
    Danish Polish Czech Hungarian Romanian Bulgarian Israeli Saudi Emirati Kuwaiti Qatari
    Egyptian Nigerian Kenyan Ghanaian Pakistani Bangladeshi Taiwan Macau Macao Singapore
    Brunei Omani Bahraini Jordanian Moroccan Tunisian Algerian Chilean Colombian Peruvian
    Argentine Argentinian Icelandic Ukrainian Kazakh Uzbek""".split()
) | {"Hong Kong", "New Zealand", "New Taiwan", "South African", "Sri Lankan", "Saudi Arabian"}

#: How a bank's one-word name ends in German, Dutch and Scandinavian (Alpenbank, Landessparkasse).
_BANK_COMPOUNDS = ("bank", "banken", "kasse")

#: A company's legal form right after capitalised words (``Beneficiary: Pacific Timber Trading
#: Ltd``): the words are the company's name, not a person's.
_COMPANY_FORM = guarded(
    r"[ ,]{0,2}(?:Ltd|Limited|Inc|LLC|LLP|L\.P\.|PLC|plc|Corp|Corporation|GmbH|AG|SA|S\.A\.|AB|"
    r"UAB|Oy|AS|A/S|ApS|Pty|BV|B\.V\.|NV|N\.V\.|SAS|SARL|S\.r\.l\.|Srl|SpA|S\.p\.A\.|Co\.|"
    # a German registered merchant's firm too (Klangholz Musikpaedagogik e.K.)
    r"Company|Sdn|Bhd|Pte|d\.o\.o\.|s\.r\.o\.|Kft|Zrt|sp\. z o\.o\.|ehf|hf|KG|OHG|e\.V\.|e\.K\.|"
    # (not the Security Industry Authority's licence: ``A B, SIA licence holder``)
    r"S\.L\.|Lda|Ltda|ASA|Oyj|Tbk|OÜ|SIA(?![ ]licen[cs]e)|S\.R\.L\.|SRL|P/F|Sp/f|"
    # Turkish, Azerbaijani, Thai and Pakistani forms (Karadeniz Fındık A.Ş., ... MMC, ... PCL,
    # Indus Yarn Mills (Pvt) Ltd), and South African ones (Namib Copper Mining (Pty) Ltd)
    r"A\.Ş\.|A\.S\.|Ltd\.[ ]Şti\.|MMC|PCL|\((?:Pvt|Private|Pty)\))(?![\w])"
)


def names_a_company(text: str, end: int) -> bool:
    """Whether a company's legal form follows the words that end at ``end``."""
    return _COMPANY_FORM.match(text, end) is not None


_CAP_WORD = guarded(rf"[ ](?:{U}{L}+(?:-{U}?{L}+)*|{U}{{2,}})\.?")
#: A capitalised word or an ampersand of a firm's name before its legal form (``Import &
#: Export Co., Ltd.``).
_FIRM_WORD = guarded(rf"[ ](?:&|{U}{L}+)")
_WORD = guarded(r"\S+")


def _strip(word: str) -> str:
    return word.rstrip(".,;:")


@cache
def places() -> frozenset[str]:
    """Place names of two or three capitalised words (``data/places_world.txt``, from
    libphonenumber's geocoding data; see ``scripts/build_pii_place_list.py``)."""
    lines = (_DATA / "places_world.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in lines if w and not w.startswith("#"))


#: Capitalised words right after these name an institution or a venue, not a person.
_INSTITUTION_ADJECTIVES = ("Royal ", "National ", "Imperial ", "Municipal ")
#: The capitalised word and the space right before a span.
_WORD_BEFORE = guarded(rf"(?<![\w])({U}{L}+)[ ]$")


def names_an_organisation(text: str, start: int, end: int) -> bool:
    """Whether the capitalised words ``text[start:end]`` name an organisation, a venue or an
    event: a company's legal form follows them (``names_en.names_a_company``), a word such
    as ``Royal`` or ``National`` leads them (``_INSTITUTION_ADJECTIVES``), the last one is
    a head word, the first one leads a European organisation's name, a site's lower-case noun
    follows (``Kendal Highgate branch``), or the run of capitalised words goes on, on the same
    line, to end in a head word within two words (not before a colon: ``Anna Schmidt
    Department:`` is a form's next field)."""
    if names_a_company(text, end) or text[start:end] in places():
        return True  # Pacific Timber Trading Ltd; Kuala Lumpur, George Town
    last = text.rfind(" ", start, end)
    if last > start and names_a_company(text, last):
        return True  # Istmo Trading S.|A.: the legal form starts inside the words
    if text[max(0, start - 10) : start].endswith(_INSTITUTION_ADJECTIVES):
        return True  # the Royal Albert Hall, the National Brian Lara Stadium
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    if before is not None and before.group(1) in _LEADING_HEADS:
        return True  # Club Nautique de Rouen, Banque Populaire: the words after a leading word
    if _PLACE_NOUN_AFTER.match(text, end):
        return True  # the Kendal Highgate branch: a branch's or an office's place
    kind = _KIND_AFTER.match(text, end) if text.startswith(", a", end) else None
    if kind is not None and kind.group("head").title() in ORG_HEADS:
        return True  # Le Petit Jardin, a French restaurant: what the words name, said after
    words = [_strip(w) for w in _WORD.findall(text, start, end)]
    if not words:
        return False
    if words[-1] in ORG_HEADS or words[0] in _LEADING_HEADS:
        return True
    if words[0] in _DEPARTMENT_FIRST and len(words) >= 2:
        return True  # Export Sales, Overseas Payments: a department, no person
    if any(w in _TRADE_WORDS for w in words[1:]):
        return True  # Ellis Electrical, Lebao Toys Sales: a trade after the first word
    if len(words) >= 2 and len(words[-1]) > 9 and words[-1].endswith(_TRADE_PLURALS):
        return True  # Taylor Bellfounders, Ashby Clockmakers: a trade's people, a firm
    if len(words) >= 2 and words[0].endswith(_BANK_COMPOUNDS):
        return True  # Alpenbank Valais, Sparkasse Hameln: a German-style bank's name leads
    if len(words) >= 2 and words[-1] in _CURRENCIES:
        head = " ".join(words[:-1])
        if head in places() or head in _PEOPLES:
            return True  # Hong Kong Dollar, Swiss Franc: a currency in a rate table
    if "Darul" in words:
        return True  # Selangor Darul Ehsan, Darul Ehsan: a Malaysian state's title, no person
    pos = end
    for _ in range(4):
        m = _FIRM_WORD.match(text, pos)
        if m is None:
            break
        pos = m.end()
        if names_a_company(text, pos):
            return True  # Kunming Yunling Tea Import & Export Co., Ltd.
    pos = end
    # an ampersand may join the words, one more of them then (Pearl & Polish Whitening Bar)
    amp = text.startswith(" &", pos)
    pos += 2 * amp
    for _ in range(2 + amp):
        m = _CAP_WORD.match(text, pos)
        if m is None:
            return False
        pos = m.end()
        if _strip(m.group()[1:]) in ORG_HEADS and (
            _CAP_WORD.match(text, pos) is None or names_a_company(text, pos)
        ):  # Severn Vale Heritage Fruit Nursery Ltd: a legal form may close the run
            return text[pos : pos + 1] not in (":", "：")
    return False
