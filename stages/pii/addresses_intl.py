"""Postal addresses of other English-writing countries, in running text and without a cue.

Each format is anchored at both ends by what only an address has, so capitalised words in
between may be anything (Malay, Bengali, French place names):
- Canada: a house number (``718 - 8th``, ``58,``) and a street with an English suffix or a
  French type first (``rue``, ``boulevard``, ``chemin``, ``18e rue``), then localities, up to
  a province: its abbreviation or name, in brackets as French writes it (``(Québec)``), and
  the postcode (``H2L 2C4``) when given;
- Malaysia: a house or lot number, a street type (``Jalan``/``Jln``, ``Lorong``, ``Persiaran``
  ...), localities, then the 5-digit postcode before the town, and the state;
- Bangladesh: ``House No. 5`` (or Holding/Building/Plot No.), an optional flat before it,
  localities, the district and the 4-digit postcode last;
- the Philippines: a house number and street, ``Block 24 Lot 45`` / ``B17 L30``, a unit or a
  floor, localities (subdivisions, villages, phases), then the 4-digit postcode before the
  province;
- French, number first and no postcode needed, as Algeria, Morocco, Tunisia and much of
  francophone Africa write it: a house number (``45,``, ``12 bis``), a French street type
  (``rue``, ``chemin``, ``boulevard`` ...), the street and up to two localities after a comma or
  a spaced hyphen (``45, chemin Yahia - Batna``, ``5 rue de Malek, Béni Saf, Médéa``);
- India: a house number (``H.No. 574``, ``38/549``), a locality or street (``Thaker Nagar``,
  ``Mahajan Chowk``, ``Sur Road``), a city and the 6-digit PIN code, joined by a hyphen or a
  space (``Ghaziabad 217542``, ``Chandigarh-941867``);
- Chile: a street (``Av.``, ``Calle``, ``Psje.`` or none) and its number, a flat or an office
  (``Dpto. 160``, ``Of. 303``, ``Piso 34``), or a rural route's kilometre (``Ruta U-589, km 2``),
  the commune, then one of the sixteen regions by name (``Región del Biobío``) and the
  7-digit postcode when given;
- Colombia: a street of the grid (``Calle``, ``Cl.``, ``Carrera``, ``Cr.``, ``Transversal``,
  ``Diagonal`` ...) and its number (``8U``, ``4ª``, ``187 Bis R``, ``5 Sur``) or name
  (``Av. Boyacá``), then ``#``, the
  cross street's number, a hyphen and the house's (``# 75F-4 Este``), an optional flat, office
  or store (``Apto. 4``, ``Torre 2 apartamento 622``, ``Bodega 52``), the 6-digit postcode, the
  town and the department;
- Indonesia: a street (``Jl.``, ``Jalan``, ``Gg.``, ``Gang``) and its name, ``No.`` and the
  house number, the town or regency, then the province and the 5-digit postcode;
- Vietnam: the house number (``Số 9/60``, ``3/25/784``), a quarter's, a lane's or an alley's
  number (``Khu 63``, ``Ngõ 90``, ``Khóm 23``), the street (``Phố Quang Trung``, ``đường số 7``,
  ``Nguyễn Du``), then the ward or commune (``Phường Hoàng Mai``, ``xã An Nhơn``), which every
  one holds, the province or city (``Tỉnh Gia Lai``, ``TP. Hồ Chí Minh``, ``Đắk Lắk``) and the
  postcode when given;
- Mexico: a street's type (``Calle``, ``Calzada``, ``Callejón``, ``Periférico``, ``Diagonal``,
  ``Eje vial`` ...) and name, the house number and an inner one (``421 126``, ``Interior 964``,
  ``Edif. 265 , Depto. 060``), the neighbourhood, then a state's abbreviation and the 5-digit
  postcode (``PUE 97770-9331``, ``Q. ROO 38812``);
- Portugal: a street's type (``Rua``, ``R.``, ``Av``, ``Alameda``, ``Travessa``, ``Largo``,
  ``Praça`` ...) and name, the house number or ``S/N``, then the 7-digit postcode as Portugal
  writes it (``4099-522``) and the town;
- Azerbaijan: the district or city (``Qazax rayonu``, ``Saatlı ray.``, ``Bakı şəhəri``), the
  village or settlement when there is one (``Cəfərli k.``, ``Yeni ergi qəs.``), the street
  and its type (``NATƏVAN küçəsi``, ``R.AXUNDOV pr.``), then the building and the flat (``b. 4,
  m. 830``).
"""

from __future__ import annotations

from stages.pii.latin import LOWER, UPPER
from stages.pii.patterns import Entity
from stages.pii.rx import guarded

__all__ = ["find_intl_addresses"]

#: A capitalised place word: Title-case with inner capitals, hyphens or an apostrophe
#: (``DaulatTala``, ``Saint-Viateur``, ``Cox's``, ``L'Île``), or a number-letter code
#: (``5/7``, ``95Z``, ``SS62``; the code first: ``SS75`` is no word ``SS`` and a number).
_PLACE_WORD = (
    r"(?:[A-Z]{1,4}\d{1,3}\b|(?:[ld]['’])?[A-ZÀ-Ý][A-Za-zÀ-ÿ'’-]*|\d{1,3}(?:st|nd|rd|th)"
    r"|\d{1,4}[A-Za-z]?(?:/\d{1,3}[A-Za-z]?)?"
    # an initial inside a place's name (Remedios T. Romualdez)
    r"|[A-Z]\.(?=[ ][A-Z]))"
)
#: A place of one to five words; French and Malay particles may join them (de, du, des, bin).
#: A French town's suffix may follow a space (``Baie Emmanuelle -sur-Mer``).
_PLACE = (
    rf"{_PLACE_WORD}(?:[ ](?:(?:de|du|des|del|de los|la|le|bin|binti|dan|di)[ ])?{_PLACE_WORD}){{0,4}}"
    r"(?:[ ]-(?:sur|sous|lès|en)-[A-ZÀ-Ý][a-zà-ÿ]+)?"
)

_CA_PROVINCES = (
    "Ontario|Québec|Quebec|British Columbia|Colombie-Britannique|Alberta|Manitoba|"
    "Saskatchewan|Nova Scotia|Nouvelle-Écosse|New Brunswick|Nouveau-Brunswick|"
    "Newfoundland and Labrador|Terre-Neuve-et-Labrador|Prince Edward Island|"
    "Île-du-Prince-Édouard|Yukon|Northwest Territories|Territoires du Nord-Ouest|Nunavut"
)
_CA_ABBR = r"(?:ON|QC|PQ|BC|B\.C\.|AB|MB|SK|NS|NB|NL|PE|PEI|YT|NT|NU)"
_CA_POSTCODE = r"[ABCEGHJ-NPRSTVXY]\d[A-Z][ ]?\d[A-Z]\d"
_EN_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Court|Crt|Ct|Crescent|Cres|"
    r"Lane|Way|Place|Pl|Terrace|Trail|Parkway|Highway|Hwy|Circle|Square|Greenway|Gate|Row|"
    r"Mainway|Line|Concession)\.?"
)
_FR_TYPE = (
    r"(?:rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.|route|montée|allée|allé|place|Place|"
    r"côte|rang|impasse|promenade|croissant|terrasse|carré|voie|sentier|\d{1,3}(?:e|re|ième)[ ]rue)"
)
_CA_NUMBER = r"\d{1,6}[A-Z]?(?:[ ]?-[ ]?\d{1,6}[A-Z]?)?(?:,?[ ]|[ ]-[ ])"
_CA_STREET = (
    rf"(?:{_FR_TYPE}[ ](?:(?:de|du|des|de la|l'|d')[ ]?)?{_PLACE}"
    rf"|(?:{_PLACE_WORD}[ ]){{1,4}}{_EN_SUFFIX}(?:[ ](?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Est|Ouest|Nord|Sud))?)"
)
_CA_UNIT = r"(?:(?:Unit|Suite|Bureau|bureau|Apt\.?|App\.?|Room|Floor|Étage)[ ]#?[0-9A-Z]{1,5})"
_CA_PROVINCE_END = (
    rf"(?:,?[ ](?:\((?:{_CA_PROVINCES})\)|(?:{_CA_PROVINCES})\b|{_CA_ABBR}(?![A-Za-z]))"
    rf"(?:,?[ ]Canada)?(?:,?[ ]{_CA_POSTCODE}(?![A-Za-z0-9]))?"
    rf"|,?[ ]{_CA_POSTCODE}(?![A-Za-z0-9])(?:[ ](?:{_CA_PROVINCES})\b)?)(?:,?[ ]Canada\b)?"
)
_CA_ADDRESS = guarded(
    rf"(?<![\w.-]){_CA_NUMBER}{_CA_STREET}"
    rf"(?:,?[ ]{_CA_UNIT})?(?:,?[ ](?!{_CA_ABBR}(?![A-Za-z])){_PLACE}){{0,2}}"
    rf"{_CA_PROVINCE_END}"
)

#: The French street types that lead a number-first address; capitalised only where English
#: would not use the word the same way (``Rue``, ``Boulevard``, not ``Place`` or ``Avenue``).
_FR_LEAD = (
    r"(?:rue|avenue|boulevard|bd|chemin|allée|impasse|quai|cité|ruelle|passage|"
    r"Rue|Boulevard|Chemin|Impasse|Allée|Cité)"
)
#: ``place`` and ``route`` are English words too (``3 place settings``): with them the street
#: name needs its particle (``2 place de la Gare``, ``8 route d'Oran``).
_FR_WEAK_LEAD = r"(?:place|route)[ ](?:(?:de|du|des|de la)[ ]|[ld]['’])"
#: Words that begin the next field of a line, not a locality (``, Tel: ...``).
_NOT_LOCALITY = r"(?!(?:Tel|Tél|Phone|Mobile|Email|E-mail|Fax|IBAN|BIC|SWIFT|Contact|Ref)\b)"
_FR_ADDRESS = guarded(
    # a page or an issue number is not a house's (``Voir page 608, rue Blondel est fermée``)
    rf"(?<![\w.,/-])(?<!page[ ])(?<!pages[ ])(?<!p\.[ ])(?<!n°[ ])(?<!No\.[ ])"
    rf"\d{{1,4}}(?:[ ]?(?:bis|ter|[A-D]))?,?[ ]"
    rf"(?:{_FR_LEAD}[ ](?:(?:de|du|des|de la)[ ]|[ld]['’])?|{_FR_WEAK_LEAD}){_PLACE}"
    rf"(?:(?:,[ ]|[ ]-[ ]){_NOT_LOCALITY}{_PLACE}){{0,2}}(?:,?[ ]\d{{5}}[ ]{_PLACE})?"
)

#: A word of each French lead, to skip ``_FR_ADDRESS`` on texts that hold none (a substring
#: test is cheaper than the pattern).
_FR_LEAD_WORDS = (
    "rue ",
    "avenue ",
    "boulevard ",
    "bd ",
    "chemin ",
    "allée ",
    "impasse ",
    "quai ",
    "cité ",
    "ruelle ",
    "passage ",
    "Rue ",
    "Boulevard ",
    "Chemin ",
    "Impasse ",
    "Allée ",
    "Cité ",
    "place ",
    "route ",
)

_MY_STREET = r"(?:Jalan|Jln\.?|Lorong|Lrg\.?|Persiaran|Psrn\.?|Lebuh|Lebuhraya|Lengkok|Lintang)"
_MY_SECTION = r"[A-Z]{2,4}[ ]?\d{1,3}[A-Z]?(?![\w-])"
_MY_ADDRESS = guarded(
    r"(?<![\w-])(?:(?:No\.|Lot|Unit)[ ]?)?(?:[A-Za-z]{1,2}-)?\d{1,4}[A-Za-z]?(?:-\d{1,4}[A-Za-z]?){0,2}"
    # the town, or a township's section code (PJU 7, SS2), and the state
    rf",?[ ]{_MY_STREET}[ ][^\n]{{1,90}}?,?[ ]\d{{5}}[ ](?:{_MY_SECTION}|{_PLACE})(?:,[ ]{_PLACE})?"
)

#: Chile's regions as addresses name them (``Región de Los Ríos``, ``Región Metropolitana``).
_CL_REGION = (
    r"Región[ ](?:de[ ]Arica[ ]y[ ]Parinacota|de[ ]Tarapacá|de[ ]Antofagasta|de[ ]Atacama|"
    r"de[ ]Coquimbo|de[ ]Valparaíso|Metropolitana(?:[ ]de[ ]Santiago)?|"
    r"del[ ]Libertador[ ]General[ ]Bernardo[ ]O['’]Higgins|de[ ]O['’]Higgins|del[ ]Maule|"
    r"de[ ]Ñuble|del[ ]B[ií]o[ -]?[Bb][ií]o|de[ ][Ll]a[ ]Araucanía|de[ ]Los[ ]Ríos|de[ ]Los[ ]Lagos|"
    r"de[ ]Aysén(?:[ ]del[ ]General[ ]Carlos[ ]Ibáñez[ ]del[ ]Campo)?|"
    r"de[ ]Magallanes(?:[ ]y[ ]de[ ]la[ ]Antártica[ ]Chilena)?)"
)
#: A Chilean street's or commune's word: capitalised (accents, an apostrophe), or a particle.
_CL_WORD = r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’]+|de|del|la|las|los|y)"
_CL_ADDRESS = guarded(
    r"(?<![\w-])(?:(?:(?:Av\.|Avda\.|Avenida|Calle|Psje\.|Pasaje|Camino)[ ])?"
    rf"[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’]+(?:[ ]{_CL_WORD}){{0,4}}[ ]\d{{1,5}}"
    r"(?:[ ](?:Dpto\.|Depto\.|Of\.|Piso|Casa|Local|Block)[ ]\d{1,5})?"
    r"|Ruta[ ][A-Z]-\d{1,4},[ ]km[ ]\d{1,4})"
    rf"(?:,[ ][A-ZÁÉÍÓÚÑ][a-záéíóúñü'’]+(?:[ ]{_CL_WORD}){{0,3}})?,[ ]{_CL_REGION}"
    r"(?:,[ ]\d{7}(?!\d))?"
)

#: A Chilean route's kilometre, with or without its region (``Ruta 5 Sur, km 304``, ``Ruta
#: 947-CH, km 7, Región de La Araucanía``): a rural address on its own.
_CL_ROUTE = guarded(
    r"(?<![\w-])Ruta[ ](?:[A-Z]-\d{1,4}|\d{1,4}(?:-CH)?(?:[ ](?:Sur|Norte))?),[ ]km[ ]\d{1,4}"
    rf"(?:,[ ]{_CL_REGION})?"
)

_CO_STREET = (
    r"(?:Calle|Cl\.|Carrera|Cra\.|Cr\.|Kr\.|Transversal|Tv\.|Tr\.|Diagonal|Dg\.|Circular|"
    r"Circunvalar|Avenida(?:[ ](?:[Cc]alle|[Cc]arrera))?|Av\.(?:[ ](?:[Cc]alle|[Cc]arrera|Cl\.|Cr\.))?)"
)
_CO_SIDE = r"(?:[ ](?:Sur|Este|Norte|Oeste))?"
#: A Colombian place word: capitalised (accents too), or a particle (``Valle del Cauca``).
_CO_PLACE = (
    r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’]+(?:[ ](?:(?:de|del|de[ ]la|de[ ]los|la|las|los|y)[ ])?"
    r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’]+){0,3}"
)
_CO_ADDRESS = guarded(
    rf"(?<![\w-]){_CO_STREET}[ ](?:\d{{1,3}}(?:ª|[A-Z]{{1,2}})?(?:[ ]Bis)?(?:[ ][A-Z](?![\w]))?"
    rf"|{_CO_PLACE}){_CO_SIDE}"
    rf"[ ](?:\#|No\.?|N[°º])[ ]?\d{{1,3}}[A-Z]?(?:[ ]?Bis)?-\d{{1,3}}[A-Z]?{_CO_SIDE}"
    r"(?:,[ ](?:(?:Torre|Etapa|Bloque|Interior)[ ]\d{1,3}[ ])?"
    r"(?:[Aa]partamento|Apto\.?|Oficina|Of\.|Local|Bodega|Casa|Consultorio|Piso)[ ]\d{1,4}[A-Z]?)?"
    rf"(?:,[ ]\d{{6}}(?!\d))?(?:,[ ]{_CO_PLACE}){{0,2}}"
)
#: An Indonesian street's name: capitalised words, initials and titles (``Ir. H. Djuanda``).
_ID_NAME = r"[A-Z][A-Za-z'’-]*\.?(?:[ ][A-Z][A-Za-z'’-]*\.?){0,5}"
_ID_ADDRESS = guarded(
    rf"(?<![\w-])(?:Jl\.|Jln\.|Jalan|Gg\.|Gang)[ ]{_ID_NAME}[ ]No\.[ ]?\d{{1,4}}[A-Z]?"
    rf"(?:,[ ]{_PLACE}){{1,2}}[ ]\d{{5}}(?!\d)"
)

_MX_STREET = (
    r"(?:Calle|Calzada|Callejón|Cerrada|Circuito|Circunvalación|Continuación|Corredor|Diagonal|"
    r"Eje[ ]vial|Pasaje|Periférico|Peatonal|Privada|Prolongación|Retorno|Viaducto|Andador|"
    r"Avenida|Boulevard|Blvd\.|Av\.)"
)
_MX_STATES = (
    r"(?:AGS|BC|BCS|CAMP|CHIS|CHIH|COAH|COL|CDMX|DF|DGO|GTO|GRO|HGO|JAL|MEX|MICH|MOR|NAY|NL|OAX|"
    r"PUE|QRO|Q\.[ ]ROO|QROO|SLP|SIN|SON|TAB|TAMPS|TLAX|VER|YUC|ZAC)"
)
#: A Mexican street's or place's word: capitalised (accents too), or a particle.
_MX_WORD = r"(?:[A-ZÁÉÍÓÚÑ][a-záéíóúñü'’]+|de|del|la|las|los|y|el)"
_MX_ADDRESS = guarded(
    rf"(?<![\w-]){_MX_STREET}(?:[ ]{_MX_WORD}){{1,6}}[ ]\d{{1,5}}"
    r"(?:[ ]\d{1,5}|[ ]Interior[ ]\d{1,5}|[ ]Edif\.[ ]\d{1,4}[ ]?,[ ]Depto\.[ ]\d{1,4})?"
    # the neighbourhood (``San Juan los bajos``, ``Vieja Omán``), then the state and postcode
    rf",[ ]{_MX_WORD}(?:[ ](?:{_MX_WORD}|[a-záéíóúñü]{{3,}})){{0,6}},[ ]{_MX_STATES}[ ]\d{{5}}"
    r"(?:-\d{4})?(?!\d)"
)
#: What a Mexican address ends in: a state's abbreviation and the postcode.
_MX_NEEDS = guarded(rf"[ ]{_MX_STATES}[ ]\d{{5}}")

_PT_STREET = (
    r"(?:Rua|R\.|Avenida|Av\.?|Alameda|Travessa|Tv\.|Largo|Praça|Pç\.|Praceta|Estrada|Rotunda|"
    r"Calçada|Beco|Bairro|Quinta|Urbanização)"
)
#: A Portuguese street's or town's word: capitalised (accents too), or a particle.
_PT_WORD = r"(?:[A-ZÁÉÍÓÚÂÊÔÃÕÇ][a-záéíóúâêôãõçü'’-]+|de|da|do|das|dos|e)"
_PT_ADDRESS = guarded(
    rf"(?<![\w-]){_PT_STREET}(?:[ ]{_PT_WORD}){{1,6}},[ ](?:\d{{1,5}}[A-Z]?|S/N)"
    rf"(?:,[ ][^,\n]{{1,30}})?,[ ]\d{{4}}-\d{{3}}(?!\d)(?:[ ]{_PT_WORD}){{0,4}}"
)
#: What a Portuguese address holds: its postcode, four digits, a hyphen and three.
_PT_NEEDS = guarded(r"(?<![\d-])\d{4}-\d{3}(?![\d-])")

#: A Vietnamese place word (``Đồng``, ``Khởi``), not the province's or the ward's own label.
_VN_WORD = rf"(?!Tỉnh[ ]|Thành[ ]phố|Phường[ ]|Xã[ ])[{UPPER}][{LOWER}]+"
_VN_NAME = rf"{_VN_WORD}(?:[ ]{_VN_WORD}){{0,3}}"
_VN_ADDRESS = guarded(
    r"(?<![\w/])(?:Số[ ])?\d{1,4}[A-Z]?(?:/\d{1,4}){0,3}"
    r"(?:[ ](?:Khu|Khóm|Ngõ|ngõ|Ngách|ngách|Hẻm|hẻm|Kiệt|kiệt|Tổ|Ấp|ấp)[ ]\d{1,4}[A-Z]?)*"
    rf"[ ](?:(?:[Đđ]ường|[Pp]hố)[ ](?:số[ ]\d{{1,4}}|\d{{1,4}}|{_VN_NAME})|{_VN_NAME})"
    rf",?[ ](?:[Pp]hường|[Xx]ã|[Tt]hị[ ]trấn|[Tt]hị[ ]xã)[ ]{_VN_NAME}"
    rf"(?:,?[ ](?:[Tt]ỉnh|[Tt]hành[ ]phố|TP\.)[ ]{_VN_NAME}|,[ ]{_VN_NAME})?"
    r"(?:[ ]\d{5,6}(?!\d))?"
)
#: What a Vietnamese address always holds: its ward's or commune's label.
_VN_WARDS = ("hường ", "Xã ", "xã ", "hị trấn ", "hị xã ")

_BD_ADDRESS = guarded(
    r"(?<![\w-])(?:(?:Flat|Apartment|Apt\.?|Studio|Unit|Suite)[ ]\d{1,4}[A-Za-z]?,[ ])?"
    r"(?:House|Holding|Building|Plot|Road)[ ]No\.?[ ]?\d{1,4}[A-Za-z]?(?:/\d{1,4})?,[ ]"
    rf"(?:{_PLACE},[ ]){{1,4}}\d{{4}}(?![\d-])"
)

#: An Indian address's word: capitalised, all capitals, ``McX`` or an ordinal (``3rd``).
_IN_WORD = r"(?:[A-Z][a-z]+(?:['-][A-Za-z]+)?|[A-Z]{2,}|Mc[A-Z][a-z]+|\d{1,3}(?i:st|nd|rd|th))"
_IN_ADDRESS = guarded(
    r"(?<![\w./-])(?:H\.?[ ]?No\.?[ ]?)?\d{1,5}(?:/\d{1,5})?,[ ]"
    # a town of up to three words (Raurkela Industrial Township-209195)
    rf"(?:{_IN_WORD}[ ]){{0,3}}{_IN_WORD},[ ](?:{_IN_WORD}[ ]?){{0,2}}{_IN_WORD}(?:[–-]{_IN_WORD})?"
    r"(?:[ ]|[ ]?[–-][ ]?)\d{6}(?![\d-])"
)

_PH_START = (
    r"(?:(?:Block|Blk\.?|B)[ ]?\d{1,3}[ ](?:Lot|L)[ ]?\d{1,3}"
    r"|(?:Unit|Room|Rm\.?)[ ]\d{1,4}[A-Z]?|\d{1,2}(?:st|nd|rd|th)[ ]Floor|\d{1,5}(?:-?[A-Z])?)"
)
_PH_ADDRESS = guarded(
    rf"(?<![\w-]){_PH_START}[ ]{_PLACE}(?:,[ ]{_PLACE}){{1,4}},[ ]\d{{4}}[ ]{_PLACE}"
)
#: Words of which one must be in a Philippine-format address (a street type or a housing
#: estate), so that "12 Items, Total, 2024 Budget" is not one.
_PH_WORDS = guarded(
    r"\b(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Drive|Lane|Highway|Boulevard|Blvd|Extension|"
    r"Subdivision|Village|Estates?|Homes|Heights|Phase|Compound|Barangay|Brgy\.?|Purok|Sitio|"
    r"Building|Tower|Condominium|Apartment|Place|Residences|Block|Blk|Lot|Floor)\b"
)


#: What each format cannot do without, searched for first: a format whose part is missing
#: from the text is not scanned for (a search for the part costs a fraction of the format's).
_CA_NEEDS = guarded(rf"(?:{_CA_PROVINCES})|{_CA_ABBR}|{_CA_POSTCODE}")
_MY_NEEDS = guarded(rf"[ ]{_MY_STREET}[ ]")
_IN_NEEDS = guarded(r"\d{6}(?![\d-])")
_PH_NEEDS = guarded(r",[ ]\d{4}[ ]")
#: The cross street's and the house's numbers of a Colombian address (``# 75F-4``).
_CO_NEEDS = guarded(r"(?:\#|No\.?|N[°º])[ ]?\d{1,3}[A-Z]?(?:[ ]?Bis)?-\d")
#: The street words an Indonesian address starts with.
_ID_STREETS = ("Jl.", "Jln.", "Jalan ", "Gg.", "Gang ")


#: An Azerbaijani place word: capitalised or in lower case (``Aşaği ağcakənd``), in
#: Azerbaijani's Latin letters.
_AZ_WORD = f"[{UPPER}{LOWER}][{LOWER}]+"
#: A street's name: words in capitals, initials, numbers (``TARZƏN H.MƏMMƏDOV``, ``2-Cİ SÜLH``,
#: ``M.ARİF``), or capitalised words.
_AZ_STREET_WORD = f"(?:[{UPPER}0-9][{UPPER}0-9.-]*|[{UPPER}][{LOWER}]+)"
_AZ_ADDRESS = guarded(
    rf"(?<![\w-])[{UPPER}][{LOWER}]+(?:[ ][{UPPER}][{LOWER}]+)?[ ](?:rayonu|ray\.|şəhəri|ş\.),[ ]"
    rf"(?:{_AZ_WORD}(?:[ ]{_AZ_WORD}){{0,2}}[ ](?:kəndi|k\.|qəsəbəsi|qəs\.),[ ])?"
    rf"{_AZ_STREET_WORD}(?:[ ]{_AZ_STREET_WORD}){{0,2}}[ ]"
    r"(?:küçəsi|küç\.|prospekti|pr\.|döngəsi|dalanı|meydanı|şossesi|şos\.)"
    r"(?:,[ ]b\.[ ]\d{1,4}[A-Za-z]?(?:,[ ]m\.[ ]\d{1,4})?)?"
)
#: What every Azerbaijani address holds: its district's or city's word.
_AZ_NEEDS = guarded(r"(?:rayonu|ray\.|şəhəri|ş\.),[ ]")


def find_intl_addresses(text: str) -> list[Entity]:
    """Canadian, French number-first, Malaysian, Bangladeshi, Indian, Chilean, Colombian,
    Indonesian, Vietnamese, Mexican, Portuguese, Azerbaijani and Philippine addresses in
    ``text``."""
    formats = (
        (_CA_ADDRESS, _CA_NEEDS.search(text)),
        (_MY_ADDRESS, _MY_NEEDS.search(text)),
        (_BD_ADDRESS, "No" in text),
        (_IN_ADDRESS, _IN_NEEDS.search(text)),
        (_CL_ADDRESS, "Región " in text),
        (_CL_ROUTE, "Ruta " in text),
        (_CO_ADDRESS, _CO_NEEDS.search(text)),
        (_ID_ADDRESS, "No." in text and any(w in text for w in _ID_STREETS)),
        (_VN_ADDRESS, any(w in text for w in _VN_WARDS)),
        (_MX_ADDRESS, _MX_NEEDS.search(text)),
        (_PT_ADDRESS, _PT_NEEDS.search(text)),
        (_AZ_ADDRESS, _AZ_NEEDS.search(text)),
    )
    out = [
        Entity(m.start(), m.end(), "ADDRESS")
        for rx, present in formats
        for m in (rx.finditer(text) if present else ())
    ]
    if any(w in text for w in _FR_LEAD_WORDS):
        out += (Entity(m.start(), m.end(), "ADDRESS") for m in _FR_ADDRESS.finditer(text))
    for m in _PH_ADDRESS.finditer(text) if _PH_NEEDS.search(text) else ():
        if _PH_WORDS.search(m.group()):
            out.append(Entity(m.start(), m.end(), "ADDRESS"))
    return out
