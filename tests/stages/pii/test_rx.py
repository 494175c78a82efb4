"""The first-character guard of the detector's patterns: the same matches, and no guard
where its set would not be exact (``stages.pii.rx``)."""

from __future__ import annotations

import importlib
import pkgutil
import re
import re._constants as constants
import re._parser as parser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stages.pii
import stages.pii.rx as rx_module
from stages.pii import names_cues
from stages.pii.prefilter import holds, required
from stages.pii.rx import first_chars, guarded
from stages.pii.rx_tries import with_tries


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(text)]


def test_the_set_is_read_from_alternations_classes_and_optional_parts():
    assert first_chars(r"\b(?:Counterparty|Donor)s?:") == "[CD]"
    assert first_chars(r"(?<![\w.])(?:No\.[ ])?\d") == r"[\dN]"  # \d: its category
    assert first_chars(r"(?:[Tt]he[ ])?[A-Z][a-z]+") == "[A-ZTt]"
    assert first_chars(r"[\u4e00-\u9fff]{2,4}先生") == "[\u4e00-\u9fff]"
    cls = first_chars(r"(?m)^[ \t]*Regards,")
    assert cls is not None
    assert {c for c in "\t Rrx\n" if re.fullmatch(cls, c)} == {"\t", " ", "R"}


def test_a_look_ahead_gives_the_set_where_it_starts_the_pattern():
    # the character at the match's start is one the look-ahead can start with
    assert first_chars(r"(?=客户|我叫)(?s:.)") == "[客我]"
    assert first_chars(r"(?=[ab]c|d)\w") == "[abd]"
    # one that can hold the empty string says nothing: the next item gives the set
    assert first_chars(r"(?=x?)y") == "[y]"
    rx = guarded(r"(?=(?:客户|我叫)(?P<name>[\u4e00-\u9fff]{2}))(?s:.)")
    text = "客户李明，我叫王芳"
    assert _matches(rx, text) == _matches(re.compile(rx.pattern), text)
    assert [m.group("name") for m in rx.finditer(text)] == ["李明", "王芳"]


def test_case_insensitive_letters_add_their_folds():
    cls = first_chars(r"(?i:kelvin|street|id)|[0-9]")
    assert cls is not None
    assert {c for c in "kKsSiIdD\u212a\u017f\u0130\u0131xX5" if re.fullmatch(cls, c)} == set(
        "kKsSiI\u212a\u017f\u0130\u01315"
    )
    assert first_chars(r"(?i)街道") == "[街]"  # no case: the character alone


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i:straße)|(?i:éa)",  # a cased letter outside ASCII: its folds are not read
        r"a*",  # may match the empty string: a guard would forbid that match
        r"[^a]x",
        r".x",
        r"(?>ab)c",
    ],
)
def test_no_guard_where_the_set_would_not_be_exact(pattern):
    assert first_chars(pattern) is None
    assert guarded(pattern).pattern == pattern


def test_every_ascii_letters_folds_are_known():
    """What ``re`` itself matches with a case-insensitive ASCII letter, over all of Unicode."""
    for letter in "abcdefghijklmnopqrstuvwxyz":
        rx = re.compile(letter, re.IGNORECASE)
        folds = {chr(cp) for cp in range(0x110000) if rx.fullmatch(chr(cp))}
        assert folds <= set(first_chars(f"(?i){letter}")[1:-1].replace("\\", "")), letter


def test_the_skip_is_built_on_this_python():
    assert rx_module._SKIP  # CI's Python is one the skip was checked on
    rx = guarded(r"(?<![\w.])(?:No\.[ ])?\d{3}")
    assert rx.pattern == r"(?<![\w.])(?:No\.[ ])?\d{3}"  # the source is unchanged
    assert [m.group() for m in rx.finditer("No. 123, a456, 789")] == ["No. 123", "789"]


_WORDS = st.lists(
    st.tuples(
        st.text(alphabet="aAbsStK\u212a\u017f-", max_size=4),
        st.sampled_from(["", "", "", r"\.?", "[a-z]", "(?=b)", "s*", "(?P<g{n}>b)?", "[A-Z]a"]),
    ),
    min_size=3,
    max_size=8,
)


@settings(max_examples=400, deadline=None)
@given(
    words=_WORDS,
    icase=st.booleans(),
    after=st.sampled_from(["", "b", "(?![a-z])", "s?-", "(?:a|ab)b", "(?:bs|-)"]),
    text=st.text(alphabet="aAbsStK\u212a\u017f-. ", max_size=40),
)
def test_word_tries_match_as_the_alternation(words, icase, after, text):
    """An alternation becomes a trie of the literal words its alternatives start with
    (``rx_tries._trie``): the same matches and groups in the same order of preference, with case
    ignored or not, words that are prefixes of others in any order, alternatives that go on
    after their word (or have none), and what follows able to take a shorter or a longer one."""
    alternatives = [re.escape(w) + tail.format(n=k) for k, (w, tail) in enumerate(words)]
    pattern = f"(?{'i' if icase else ''}:{'|'.join(alternatives)}){after}"
    compiled = rx_module._compiled(pattern, 0, rx_module._p.parse(pattern, 0), None)
    assert _matches(compiled, text) == _matches(re.compile(pattern), text)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(
        st.tuples(
            st.sampled_from(
                ["", "", "[bB]", "[-.]", "(?<!a)", "(?<![a-z])", "[st]", r"\d", r"\b", "^", r"\B"]
            ),
            st.text(alphabet="aAbsStTeK-", max_size=3),
            st.sampled_from(["", r"\.?", "(?=b)", "[a-z]", r"\d{1,3}", "s+?", "(?P<g>e)"]),
        ),
        min_size=3,
        max_size=9,
    ),
    icase=st.booleans(),
    text=st.text(alphabet="aAbsStTeK-.3 \n", max_size=40),
)
def test_tries_with_classes_and_look_behinds_in_front(words, icase, text):
    """Alternatives that start with a class of a few characters (spelled out as one word per
    character) or with a look-behind (tried where they stand, or anywhere when they cannot
    start where a word does), among words that a trie reorders, common first characters first
    (``rx_tries._common_first``): the same matches as the alternation."""
    alternatives = [
        head + re.escape(w) + tail.replace("<g>", f"<g{k}>")
        for k, (head, w, tail) in enumerate(words)
    ]
    pattern = f"(?{'i' if icase else ''}:{'|'.join(alternatives)})"
    compiled = rx_module._compiled(pattern, 0, rx_module._p.parse(pattern, 0), None)
    assert _matches(compiled, text) == _matches(re.compile(pattern), text)


def test_a_trie_tries_common_first_characters_first():
    # a class in front is spelled out; a look-behind before another character moves nowhere
    pattern = r"(?:zq|[Cc]ontact|(?<!x)Dz|ea|Ta|tb)"
    rx = guarded(pattern)
    text = "zq Contact contact xDz Dz ea Ta tb"
    assert _matches(rx, text) == _matches(re.compile(pattern), text)
    assert [m.group() for m in rx.finditer(text)] == [
        "zq",
        "Contact",
        "contact",
        "Dz",
        "ea",
        "Ta",
        "tb",
    ]
    parsed = rx_module._p.parse(pattern, 0)
    with_tries(parsed, False, parsed.state)
    ((_op, (_g, _a, _d, trie)),) = parsed.data
    ((_branch, (_none, options)),) = trie.data
    firsts = [
        chr(option.data[0][1]) for option in options if option.data[0][0] is rx_module._c.LITERAL
    ]
    # by how common the letter is; the look-behind goes after its character (D(?<!xD)z)
    assert firsts == ["e", "t", "c", "z", "T", "C", "D"]


@settings(max_examples=300, deadline=None)
@given(
    head=st.sampled_from(["", "(?<![\\w-])", "(?<!x)", "\\b"]),
    first=st.sampled_from(
        ["\\d", "\\w", "\\s", "x", "[xy]", "[x\\d]", "(?:\\d|\\s)", "(?i:k)", "é", "\U00020000"]
    ),
    rest=st.sampled_from(["", "\\d", "[a-z]+", "x?y"]),
    ascii_only=st.booleans(),
    text=st.text(alphabet="xyk Kaé1٣\u212a\u3000\t\n-_\U00020000\U0001f600", max_size=30),
)
def test_the_skip_finds_what_re_finds(head, first, rest, ascii_only, text):
    """The skip in every form it takes: one character (a literal prefix), a bitmap of the
    characters below U+10000 with \\d, \\w and \\s spelled out under the pattern's flags, and
    characters beyond them (a CJK extension's, an emoji), with a look-behind or a boundary in
    front."""
    pattern = head + first + rest
    flags = re.ASCII if ascii_only else 0
    rx = guarded(pattern, flags)
    assert _matches(rx, text) == _matches(re.compile(pattern, flags), text), pattern


def test_a_trie_keeps_a_shorter_word_first():
    rx = guarded(r"\d(?:St|Street|Sq)")
    assert [m.group() for m in rx.finditer("1Street 2Sq")] == ["1St", "2Sq"]
    rx = guarded(r"\d(?:Street|St|Sq)\b")
    assert [m.group() for m in rx.finditer("1Street 2St")] == ["1Street", "2St"]
    # a word between two longer ones in the alternation's order: left as it is
    rx = guarded(r"\d(?:ab|a|abc)(?:bc|d)")
    assert [m.group() for m in rx.finditer("1abcd")] == ["1abc"]


def test_global_flags_stay_at_the_start(monkeypatch):
    monkeypatch.setattr(rx_module, "_SKIP", False)
    rx = rx_module.guarded.__wrapped__(r"(?m)^Name:[ ](?P<name>[A-Z][a-z]+)$")
    assert rx.pattern.startswith("(?m)(?=")
    assert rx.findall("Name: Ann\nName: Bo") == ["Ann", "Bo"]


def test_case_folding_is_kept():
    # with a guard of [k], (?i:k) would miss the capital and the Kelvin sign
    for text in ("Km \u212am km", "\u017ftreet STREET"):
        for pattern in (r"(?i:k)m", r"(?i:street)"):
            assert _matches(guarded(pattern), text) == _matches(re.compile(pattern), text)


def test_an_empty_match_is_kept():
    assert [m.span() for m in guarded(r"x?").finditer("ab")] == [(0, 0), (1, 1), (2, 2)]


def _detector_patterns() -> list[re.Pattern[str]]:
    """Every module-level pattern of the detector."""
    found = []
    for info in pkgutil.iter_modules(stages.pii.__path__):
        module = importlib.import_module(f"stages.pii.{info.name}")
        found += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return found


_PATTERNS = _detector_patterns()
_ALPHABET = "ab AZ.,:：;\n\t-'()0123456789王李芳张先生女士客户路号室省市区IBANSWIFT@Mr"


def test_most_of_the_detectors_patterns_skip_to_their_first_characters():
    def skips(rx: re.Pattern[str]) -> bool:
        built = rx in (guarded(rx.pattern), guarded(rx.pattern, rx.flags & ~re.UNICODE))
        return built and first_chars(rx.pattern, rx.flags & ~re.UNICODE) is not None

    assert sum(map(skips, _PATTERNS)) >= len(_PATTERNS) * 2 // 3


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_every_detector_pattern_matches_as_without_its_skip(text):
    for rx in _PATTERNS:
        plain = re.compile(rx.pattern, rx.flags)  # the source alone, without the skip
        assert _matches(rx, text) == _matches(plain, text), rx.pattern


@pytest.mark.parametrize(
    "text",
    [
        "Send it to Flat 2, 18 Kings Road, Brighton BN1 2FA or studio 4, 9 Elm Close, Leeds LS6 4DZ.",
        "ſtudio 81b, Katie Lakes, North Tobyshire, S4 5PD",  # (?i:s) matches the long s
        "apt 3, 4821 Maple Ave, Kalamazoo, MI 49001; unit 7 12 Oak St, Dallas, TX 75201",
        "p.o. box 123, Springfield, IL 62701 and PSC 1234, Box 5678, APO AE 09204",
        "room 12, No. 98 Jin Road, Qiqihaer, Heilongjiang; suite 300, 1 Main Street, Boise, ID 83702",
        "Send it to 4821 Maple Ave, Kalamazoo, MI 49001 by Friday.",
        "Deliver to 14 Kings Road, Brighton BN1 2FA; the branch at 2 High St.",
        "Paperwork to Post Office Box 77, Dubbo NSW 2830 and PSC 1234, Box 5678, APO AE 09204",
    ],
)
def test_the_english_address_guard_changes_no_match(text):
    """The English address pattern (case-insensitive lead words, forms left out per text) finds
    what the pattern alone finds."""
    from stages.pii.addresses_en import ADDRESS_BODY, _address_pattern

    def found(rx: re.Pattern[str]) -> list[tuple[object, ...]]:
        return [
            (m.span(), {k: v for k, v in m.groupdict().items() if v}) for m in rx.finditer(text)
        ]

    plain = re.compile(ADDRESS_BODY)
    # the pattern for the text leaves out the parts it cannot hold: the same addresses
    assert found(_address_pattern(text)) == found(plain)
    assert found(plain)  # each text holds an address


def test_required_words_come_from_literals_alternations_and_look_arounds():
    together = guarded(r"(?:与|和)(?P<a>[\u4e00-\u9fff]{2,3}?)(?:两人|两个人|一起)")
    assert required(together) == ("一起", "两个人", "两人")
    assert required(guarded(r"\d{1,4}号(?:楼|室)")) == ("号",)
    assert required(guarded(r"x(?=ab|cd)")) == ("ab", "cd")  # the longer words
    assert required(guarded(r"(?:Mr|Mrs)\.? [A-Z]")) == ("Mr",)  # Mrs holds Mr
    assert required(guarded(r"(?<=, )[A-Z]")) == (", ",)
    # nothing read: case folding, optional parts, classes, a negative look-ahead
    for pattern in (r"(?i:street)", r"a?b*", r"[ab]c?", r"(?!xy)\d"):
        assert required(guarded(pattern)) is None, pattern
    assert holds("先生您好", ("先生",)) and not holds("您好", ("先生",)) and holds("", None)


_REQUIRED = [(rx, words) for rx in _PATTERNS if (words := required(rx)) is not None]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET + "君本人一起两与兹收 by", max_size=80))
def test_every_match_of_a_detector_pattern_holds_one_of_its_words(text):
    for rx, words in _REQUIRED:
        if rx.search(text) is not None:
            assert holds(text, words), (rx.pattern, words)


def test_required_reads_nothing_where_the_parse_is_not_checked(monkeypatch):
    import stages.pii.prefilter as prefilter

    assert prefilter._READS  # this Python's parse trees pass the probes
    rx = guarded(r"(?:两人|一起)\d")
    assert required(rx) == ("一起", "两人")
    monkeypatch.setattr(prefilter, "_READS", False)
    assert required(rx) is None and holds("nothing here", required(rx))


def test_every_cue_alternative_opens_on_a_literal():
    """``re`` skips to where the cue alternation can start only when each alternative opens on a
    character of its own; one that opens on a look-behind or a class is tried at every
    position (a rule of that form once cost 8% of detection time)."""
    cues = f"(?:{names_cues.PREFIX_CUES}|{names_cues.EN_LABEL_CUES})"
    (op, branch), *_ = parser.parse(cues, 0)
    assert op is constants.BRANCH
    firsts = [alternative[0][0] for alternative in branch[1]]
    assert len(firsts) > 400
    assert all(first is constants.LITERAL for first in firsts)
