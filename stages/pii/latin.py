"""Character classes of the Latin letters names are written in: ASCII, Latin-1, Latin
Extended-A and -B (Théodore, Geneviève, Šimić, Łukasz, Ödön, Pușcașu, Țurcanu), the letters
of the African reference alphabet and Azerbaijani's schwa (Akɔsua, Məmmədov) and Latin
Extended Additional (Vietnamese and Yoruba letters: Nguyễn, Trọng, Adébáyọ̀), for the name and
address patterns.

``UPPER`` and ``LOWER`` are the inside of a regular-expression class (``f"[{UPPER}]"``), built
from the Unicode case of each letter, so a letter is never in both; ``U`` and ``L`` are those
classes, and ``NAME_WORD`` a capitalised name word (``McAdam``, ``O'Neill``, ``Jean-Luc``,
``Łukasz``), the pieces the name and address modules build their patterns from.
"""

from __future__ import annotations

from stages.pii.rx import guarded

__all__ = [
    "IRISH_ONTO",
    "IRISH_PARTICLE",
    "IRISH_PARTICLES",
    "LOWER",
    "L",
    "NAME_PARTICLES",
    "NAME_WORD",
    "U",
    "UPPER",
    "has_capitalised",
    "has_latin",
]


#: The letters of the African reference alphabet beyond Latin Extended-B, in lower case (their
#: capitals are in Extended-B): ɓ ɔ ɖ ɗ ə ɛ ɣ ɩ ɲ ʊ ʋ ʒ (Akɔsua, Ɛfua, Ɗanjuma, Məmmədov).
_AFRICAN = (0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x269, 0x272, 0x28A, 0x28B, 0x292)


def _letters(upper: bool) -> str:
    chars = (chr(c) for c in [*range(0xC0, 0x250), *_AFRICAN, *range(0x1E00, 0x1F00)])
    picked = "".join(
        ch for ch in chars if ch.isalpha() and (ch.isupper() if upper else ch.islower())
    )
    return ("A-Z" if upper else "a-z") + picked


#: Upper-case Latin letters: A-Z, À-Þ (not ×), Ā Ă ... Ž, Ə Ș Ț ... Ɏ.
UPPER = _letters(upper=True)
#: Lower-case Latin letters: a-z, ß-ÿ (not ÷), ā ă ... ž, ſ, ș ț ... ɏ, ə.
LOWER = _letters(upper=False)
#: One upper-case and one lower-case Latin letter, as regular-expression classes.
U = f"[{UPPER}]"
L = f"[{LOWER}]"
#: The particles of Irish surnames written apart from them (``Mac an`` in two words: Mac an
#: Aba, Nic an tSaoi), and an alternation of them.
IRISH_PARTICLES = ("Ó", "Ní", "Nic", "Uí", "Mac", "Mhic", "an")
IRISH_PARTICLE = "(?:Ó|Ní|Uí|(?:Mac|Mhic|Nic)(?:[ ]an)?)"
#: The Irish particles that may also be written onto the surname (ÓBroinín, NíBhriain).
IRISH_ONTO = "Ó|Ní|Nic|Uí"
#: A capitalised name word: an optional Mc/Mac/O'/D', a capital and lower-case letters, and a
#: part joined by a hyphen or an apostrophe (Jean-Luc, Smith-jones is not one); or a capital,
#: an apostrophe and a part of two letters or more (S'fiso, N'Golo; not I'm, I've). The
#: apostrophe may be the typographic one (Sa’idu, O’Connor), or, inside a name, the turned
#: comma or the modifier letter Uzbek writes (Ulug‘bek, Gʻayrat). An Irish surname's particle and
#: the surname, which may take an h, n or t before its capital, count as one word (Ó Gamhna,
#: Ó hOileáin, Ní Bhriain, Nic Giolla, Mac an Leágha); a particle written onto its surname is
#: part of the word (ÓBroinín, NíBhriain).
NAME_WORD = (
    rf"(?:{IRISH_PARTICLE}[ ][hnt]?{U}{L}+(?:-{U}{L}+)?"
    rf"|(?:Mc|Mac|O['’]|D['’]|{IRISH_ONTO})?{U}{L}+(?:[-'’‘ʻ]{U}?{L}+)?|(?!I['’]){U}['’]{U}?{L}{{2,}})"
)
#: Particles between a name's words (``Aurora da Rosa``, ``Ricardo van Dijk``), as alternatives.
NAME_PARTICLES = "de|da|do|dos|das|del|della|di|du|van|von|der|den|ter|la|le"


_ANY_LETTER = guarded(f"[{UPPER}{LOWER}]")


def has_latin(text: str) -> bool:
    """Whether ``text`` holds a Latin letter. The rules for names and addresses in Latin script
    find nothing in a text without one (half the Chinese texts), which is not scanned by them."""
    return _ANY_LETTER.search(text) is not None


_CAPITALISED = guarded(f"[{UPPER}][{LOWER}'’]")


def has_capitalised(text: str) -> bool:
    """Whether ``text`` holds an upper-case Latin letter before a lower-case one or an
    apostrophe, as every capitalised name word does (``Li``, ``S'fiso``). The English rules
    that read only such words find nothing in a text without one (one in all capitals, one
    with Latin letters in identifiers only), which is not scanned by them."""
    return _CAPITALISED.search(text) is not None
