"""The substring tests in front of the English cue patterns skip only texts the patterns could
not match: every cue, in any case, still gives its name from the rule that reads it."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stages.pii.names import load_lexicon
from stages.pii.names_cues_en import find_en_cued
from stages.pii.names_en import EN_NOT_NAME, EnglishNames
from stages.pii.names_keys import _HEADER_WORDS, _PERSON_HEADER, _ZH_HEADER_WORDS
from stages.pii.patterns import Entity

LEX = load_lexicon()
GIVEN = LEX["en_given"]
KNOWN = (
    LEX["world_given"] | GIVEN | LEX["en_surnames"] | LEX["world_surnames"] | LEX["pinyin_surnames"]
)

#: The header patterns the fast tests in ``names_keys`` answer as: every header word in any
#: case, the Chinese ones, and a Chinese header ending in 人 before a separator.
_NAME_HEADER = re.compile(f"(?i:{'|'.join(_HEADER_WORDS)})|{'|'.join(_ZH_HEADER_WORDS)}")
_ANY_NAME_HEADER = re.compile(f"{_NAME_HEADER.pattern}|{_PERSON_HEADER.pattern}")

CUED = [
    ("KIND REGARDS,\nAnna Kowalczyk", "Anna Kowalczyk"),
    ("Yours Sincerely,\nTomasz Nowak", "Tomasz Nowak"),
    ("Call me back.\nCheers,\nAnna", "Anna"),
    ("MY MOTHER Zainab Qureshi has power of attorney.", "Zainab Qureshi"),
    ("We write TO INFORM Peter Okonkwo that the loan is repaid.", "Peter Okonkwo"),
    ("The prospect, Amaru Quispe, asked for a call.", "Amaru Quispe"),
    ("Caller verified as Tavita Leota.", "Tavita Leota"),
    ("IT'S Vanya Basu - I had a missed call.", "Vanya Basu"),
    ("My Name Is Priya Raman and I am writing.", "Priya Raman"),
    ("Re: The Late Yashvi Wagle", "Yashvi Wagle"),
    ("1. Kavya Nair (Spouse) - 70%", "Kavya Nair"),
    ("THIS IS Daniel Okafor from the branch.", "Daniel Okafor"),
    ("Good morning, Daniel Okafor speaking.", "Daniel Okafor"),
    ("Daniel Okafor here, about the card.", "Daniel Okafor"),
    ("英文名: Daniel Okafor", "Daniel Okafor"),
]
CUE_WORDS = [
    ("CUSTOMER John Smithers called twice.", "John Smithers"),
    ("Signed On Behalf Of Mary Whitfield.", "Mary Whitfield"),
    ("I spoke with Daniel Okafor today.", "Daniel Okafor"),
]


def _names(text: str, found: list[Entity]) -> list[str]:
    return [text[e.start : e.end] for e in found]


@pytest.mark.parametrize(("text", "name"), CUED)
def test_each_cue_in_any_case_still_finds_its_name(text: str, name: str) -> None:
    assert name in _names(text, find_en_cued(text, GIVEN, EN_NOT_NAME, KNOWN))


@pytest.mark.parametrize(("text", "name"), CUE_WORDS)
def test_each_cue_word_in_any_case_still_finds_its_name(text: str, name: str) -> None:
    out: list[Entity] = []
    EnglishNames(GIVEN, LEX["en_surnames"], LEX["pinyin_surnames"], KNOWN).find(text, out)
    assert name in _names(text, out)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "name",
                "NAME",
                "Holder",
                "ſtaff",
                "İnvestor",
                "ınvestor",
                "\u212aey",
                "gue",
                "st",
                "客户",
                "客",
                "姓名",
                " ",
                "x",
                "é",
                "İ",
                "ſ",
                "-",
            ]
        ),
        max_size=8,
    ).map("".join)
)
def test_the_name_header_test_answers_as_its_pattern(text: str) -> None:
    """``_has_name_header`` (substring tests on folded text) says what the pattern's search
    says, for the characters case folding reads as ASCII letters too."""
    from stages.pii.names_keys import _has_name_header

    assert _has_name_header(text) == (_NAME_HEADER.search(text) is not None)


_ROAD_PIECES = [
    *"路街巷弄号之一二十0123456789-段东中栋楼室单元AB区市镇村的在和向有 \n",
    "大道",
    "胡同",
]
#: A road's address: a postal code, a name of up to eight characters, the road's type and
#: number, and what may follow.
_ROAD = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", "54324 ", "123", "12345", "5"]),
    st.text(alphabet="中山人民东的在和向有2", max_size=8),
    st.sampled_from(["路", "街", "大道", "大街", "巷", "胡同"]),
    st.sampled_from(["1", "12", "三", "二十", "7-9", "3段5", "东段1"]),
    st.sampled_from(["号", "", "号之1", "号A座3楼", "号中山小区5栋"]),
)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(_ROAD, st.sampled_from(_ROAD_PIECES)), max_size=12).map("".join))
@example("寄往54324 中山东人民中山路12号")  # the longest lead: a postal code, a space, 7 characters
def test_the_road_windows_find_what_the_road_pattern_finds(text: str) -> None:
    """``_roads`` tries the road pattern only near a road's number: the same spans as its scan
    of the whole text."""
    from stages.pii.addresses import _ZH_ROAD, _roads

    assert _roads(text) == [m.span() for m in _ZH_ROAD.finditer(text)]


def _as_scanned(rx, text: str, anchor, lead: int) -> bool:
    """Whether ``near`` finds, in ``text``, what ``rx``'s scan of the whole text finds."""
    from stages.pii.prefilter import near

    return [m.span() for m in near(rx, text, anchor, lead)] == [m.span() for m in rx.finditer(text)]


_ADMIN_PIECES = [
    *"省市州盟县旗区镇乡村组号楼室场局团连队路街巷的在和至寄中山东西1234",
    "特别行政区",
    "自治州",
    "自治县",
    "地区",
    "林场",
    "苏木",
    "嘎查",
    "生活区",
    "孟家",
    "花园小区",
    "内蒙古",
    "锡林郭勒",
    "呼伦贝尔满洲里",
]


@pytest.mark.parametrize("lead", [15, 16])
def test_a_shorter_unit_window_misses_the_longest_name(lead: int) -> None:
    """The lead is no longer than it must be: 15 characters miss a 12-character name before
    特别行政区, which 16 reach."""
    from stages.pii.addresses import _ADMIN_CHAR, _ZH_COUNTY

    text = "锡林郭勒锡林郭勒锡林郭勒特别行政区某某村3组9号"
    assert _as_scanned(_ZH_COUNTY, text, _ADMIN_CHAR, lead) == (lead == 16)


_LATIN_CUE_PIECES = [
    "客户",
    "联系人",
    "甲方（进口商代表处）",
    "Surname",
    "Name",
    "manager",
    "Sales Engineer",
    "firmware engineer",
    "Andrew",
    "Lee",
    "Ama Daako",
    *"为是叫：: 下月的aZ\n",
]


def _windowed(kind: str) -> list[tuple[object, object, int]]:
    """The patterns tried in windows, each with its anchor and its lead: the county and chain
    address patterns up to 16 characters before an administrative unit's character, the cue
    before a name in Latin letters up to its longest cue before two capitalised words."""
    from stages.pii import addresses, names_zh_latin

    if kind == "units":
        return [
            (rx, addresses._ADMIN_CHAR, addresses._ADMIN_LEAD)
            for rx in (addresses._ZH_COUNTY, addresses._ZH_CHAIN)
        ]
    return [
        (
            names_zh_latin._ZH_PREFIX_LATIN,
            names_zh_latin._LATIN_NAME,
            names_zh_latin._LATIN_CUE_REACH,
        )
    ]


@settings(max_examples=1600, deadline=None)
@given(
    st.one_of(
        st.tuples(
            st.just("units"), st.lists(st.sampled_from(_ADMIN_PIECES), max_size=16).map("".join)
        ),
        st.tuples(
            st.just("latin"), st.lists(st.sampled_from(_LATIN_CUE_PIECES), max_size=14).map("".join)
        ),
    )
)
@example(("units", "香港特别行政区中西区干诺道中1号"))
@example(
    ("units", "锡林郭勒锡林郭勒锡林郭勒特别行政区某某村3组9号")
)  # a 12-character name, the longest unit
@example(
    ("latin", "甲方（进口商代表处驻深圳联络处）：  Ama Daako")
)  # the longest cue and separators
@example(("latin", "新入职的 firmware engineer Musyoki Kinuthia 下月起"))
def test_the_windows_find_what_the_whole_scans_find(case: tuple[str, str]) -> None:
    """Patterns tried only in windows (near an anchor, and there only on a character a match
    can start with) find what their scans of the whole text find."""
    kind, text = case
    for rx, anchor, lead in _windowed(kind):
        assert _as_scanned(rx, text, anchor, lead), (rx.pattern[:40], text)


def test_the_latin_cue_reach_is_the_longest_cue() -> None:
    """The reach is read from the pattern: the longest party's cue (甲方 and a note of 12
    characters in brackets, 16), a side's note in brackets (8) and three separators: 27, an
    upper bound (the party's note must meet its colon, so a side's note never follows it). A
    party's note of 12 characters and three separators (19 characters) is found with a lead of
    19, not of 18; a side's note after a cue is found too."""
    from stages.pii.names_zh_latin import _LATIN_CUE_REACH, _LATIN_NAME, _ZH_PREFIX_LATIN

    text = "甲方（进口商代表处驻深圳联络处）：  Ama Daako"
    assert [m.span() for m in _ZH_PREFIX_LATIN.finditer(text)] == [(0, len(text))]
    assert _LATIN_CUE_REACH == 27
    assert _as_scanned(_ZH_PREFIX_LATIN, text, _LATIN_NAME, 19)
    assert not _as_scanned(_ZH_PREFIX_LATIN, text, _LATIN_NAME, 18)
    side = "委托人（卖方）：Ama Daako"
    assert [m.group("name") for m in _ZH_PREFIX_LATIN.finditer(side)] == ["Ama Daako"]


_CUE_PIECES = ["客户", "我叫", "张伟", "您好", "你好", *"李芳：，\n 称于A"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=14).map("".join))
def test_cues_and_greetings_come_as_from_one_pattern(text: str) -> None:
    """The cue pattern and the greeting pattern, scanned apart, give the matches one pattern
    holding both as alternatives gives: the cue as an empty look-ahead first, the greeting
    after it, no cue inside a greeting."""

    from stages.pii.names_cues import _ZH_CUED, _ZH_GREETED, _cued_and_greeted

    cue = _ZH_CUED.pattern.removesuffix("(?s:.)")
    assert cue != _ZH_CUED.pattern
    both = re.compile(f"{cue}|(?m:^){_ZH_GREETED.pattern.removeprefix('^')}")

    def read(m: re.Match[str]) -> tuple[int, str | None, str | None]:
        return m.start(), m.group("name"), m.group("greeted")

    assert [
        (m.start(), *[m.groupdict().get(k) for k in ("name", "greeted")])
        for m in _cued_and_greeted(text)
    ] == [read(m) for m in both.finditer(text)]


_TABLE_PIECES = ["Name", "name", "Amount", "Zhang Wei", "Ann Lee", "---", "客户", "经办人"]
_TABLE_PIECES += [*",|;\t \n"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_TABLE_PIECES), max_size=30).map("".join))
def test_lines_without_rows_below_are_no_header(text: str) -> None:
    """Skipping a line that no row with as many of a separator follows changes no cell."""
    from unittest import mock

    from stages.pii import tables
    from stages.pii.names_keys import _is_name_header

    fast = list(tables.column_cells(text, _is_name_header))
    with mock.patch.object(tables, "_rows_follow", lambda *_: True):
        assert fast == list(tables.column_cells(text, _is_name_header))


_HEADER_PIECES = ["Name", "NAME", "Holder", "ſtaff", "İnvestor", "ınvestor", "\u212aey", "姓名"]
_HEADER_PIECES += ["经办人", "人", "客", "x", " ", "\t", "|", "｜", ";", "\n", "-", "é", "sender"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_HEADER_PIECES), max_size=8).map("".join))
def test_the_header_cell_test_answers_as_its_pattern(cell: str) -> None:
    """``_is_name_header`` (the folded cell searched case by case) says what the header
    pattern's case-insensitive search says, for the characters case folding reads as ASCII
    letters too, and the 人 headers before a separator or the cell's end."""
    from stages.pii.names_keys import _is_name_header

    assert _is_name_header(cell) == (_ANY_NAME_HEADER.search(cell) is not None)


def _without_latin(path: str) -> list[str]:
    """The texts of a labelled split with every Latin letter replaced (by a Chinese character
    and by a digit): what a Chinese text without Latin script can look like, in every layout
    the split has."""
    import json
    from pathlib import Path

    from stages.pii.latin import LOWER, UPPER

    letter = re.compile(f"[{UPPER}{LOWER}]")
    lines = (Path(__file__).parents[3] / path).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    return [letter.sub(repl, t) for t in texts for repl in ("字", "1")]


@pytest.mark.parametrize("split", ["data/pii_eval/dev.jsonl", "data/pii_eval/test.jsonl"])
def test_the_latin_script_rules_find_nothing_without_a_latin_letter(detector, split):
    """What makes it safe to skip them in such a text (``has_latin``)."""
    from stages.pii import names as N
    from stages.pii.addresses import (
        find_en_addresses,
        find_eu_addresses,
        find_intl_addresses,
        find_street_addresses,
        find_world_addresses,
    )
    from stages.pii.hanzi import to_simplified
    from stages.pii.latin import has_latin
    from stages.pii.names_keys import display_names
    from stages.pii.names_vocab import find_addressees, find_renderings

    nf = detector._names
    for text in map(to_simplified, _without_latin(split)):
        assert not has_latin(text)
        out: list[Entity] = []
        nf._en.find(text, out)
        nf._en.find_pinyin_order(text, out)
        nf._en.find_by_email(text, out)
        out += find_en_cued(text, nf._en_given, N.EN_NOT_NAME, nf._known_cued)
        out += N.find_context_names(text, nf._world_given, nf._known_en, N.EN_NOT_NAME)
        out += N.find_role_names(text, nf._known_en, N.EN_NOT_NAME)
        out += N.find_who_names(text, nf._known_en, N.EN_NOT_NAME)
        out += display_names(text, N.EN_NOT_NAME)
        out += N.find_in_prose(text, nf._known_cued, N.EN_NOT_NAME, nf._plain_given)
        lines = [(i + 1, i + 2) for i, c in enumerate(text) if c == "\n"]
        out += find_addressees(text, lines, nf._known_cued, N.EN_NOT_NAME)
        out += find_renderings(text, nf.find(text, True), nf._known_cued, N.EN_NOT_NAME)
        for find in (
            find_en_addresses,
            find_intl_addresses,
            find_eu_addresses,
            find_world_addresses,
            find_street_addresses,
        ):
            out += find(text)
        assert out == [], (text, [text[e.start : e.end] for e in out])


@pytest.mark.parametrize("split", ["data/pii_eval/dev.jsonl", "data/pii_eval/test.jsonl"])
def test_the_capitalised_word_rules_find_nothing_without_one(detector, split):
    """What makes it safe to skip them in a text without a capitalised word
    (``has_capitalised``): every text of two splits in capitals and in lower case."""
    import json
    from pathlib import Path

    from stages.pii import names as N
    from stages.pii.hanzi import to_simplified
    from stages.pii.latin import has_capitalised

    assert not has_capitalised("DIEGO PEÑA, 32735 ULFAT MEWS") and has_capitalised("S'fiso")
    nf = detector._names
    lines = (Path(__file__).parents[3] / split).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    for text in (to_simplified(f(t)) for t in texts for f in (str.upper, str.lower)):
        out: list[Entity] = []
        nf._en.find(text, out)
        nf._en.find_pinyin_order(text, out)
        out += find_en_cued(text, nf._en_given, N.EN_NOT_NAME, nf._known_cued)
        out += N.find_role_names(text, nf._known_en, N.EN_NOT_NAME)
        out += N.find_who_names(text, nf._known_en, N.EN_NOT_NAME)
        out += N.find_in_prose(text, nf._known_cued, N.EN_NOT_NAME, nf._plain_given)
        assert out == [], (text, [text[e.start : e.end] for e in out])


_FIELD_PIECES = [*"客户姓名会首接收张王：: \t|｜\n1a，", "  ", "\u3000", "\xa0"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_FIELD_PIECES), max_size=25).map("".join))
def test_labels_and_cells_end_where_their_patterns_end(text: str) -> None:
    """The field starts read from the colons and the separators are the ends of the plain
    label and cell patterns (which try every Chinese character)."""

    from stages.pii.names_zh_stats import _CELL, _label_ends

    label = r"(?:^|(?<=[\s|｜]))[\u4e00-\u9fff]{1,4}[：:][ \t\u3000]*(?=[\u4e00-\u9fff])"
    cell = r"(?:(?<=[|｜\t])|(?<=[ ]{2}))[ ]?(?=[\u4e00-\u9fff])"
    assert set(_label_ends(text)) == {m.end() for m in re.finditer(label, text, re.M)}
    assert {m.end() for m in _CELL.finditer(text)} == {m.end() for m in re.finditer(cell, text)}


_ID_PIECES = ["a", "Z", "9", "12345678", "@", "x.com", "mail.example.org", ".", "-", "_", "+"]
_ID_PIECES += [
    " ",
    "(",
    ")",
    "+86 ",
    "10.0.0.1",
    "::1",
    "fe80::1",
    ":",
    "\n",
    "1234 5678",
    "a" * 40,
    "1:",
    "ab:",
    "1.2",
    "255.",
    ".7",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_ID_PIECES), max_size=12).map("".join))
def test_the_candidates_are_the_scans_with_the_email_form(text: str) -> None:
    """E-mail addresses found from their @ signs, merged with the scan of the other forms (the
    IP forms only in a text that holds their hints), are what the scan of every form finds."""
    from stages.pii.candidates import _CANDIDATES, candidates

    scan = _CANDIDATES[True, True, True]
    expected = [(m.span(), m.lastgroup) for m in scan.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in candidates(text)] == expected


@pytest.mark.parametrize("split", ["data/pii_eval/dev39.jsonl", "data/pii_eval/dev40.jsonl"])
def test_the_role_rules_on_name_lines_find_what_they_find_on_the_whole_text(split):
    """The role rules scan only the lines with two name words: the same names as their scans
    of the whole text (each text as it is and with its lines run together by spaces)."""
    import json
    from pathlib import Path
    from unittest import mock

    from stages.pii import names_roles
    from stages.pii.hanzi import to_simplified
    from stages.pii.names_en import EN_NOT_NAME

    lines = (Path(__file__).parents[3] / split).read_text(encoding="utf-8").splitlines()
    texts = [to_simplified(json.loads(line)["text"]) for line in lines if line.strip()]
    texts += [t.replace("\n", " ") for t in texts]
    fast = [names_roles.find_role_names(t, KNOWN, EN_NOT_NAME) for t in texts]
    whole = lambda rx, text, _lines: rx.finditer(text)  # noqa: E731
    with mock.patch.object(names_roles, "on_lines", whole):
        assert fast == [names_roles.find_role_names(t, KNOWN, EN_NOT_NAME) for t in texts]
    assert sum(map(len, fast)) > 50


_MAIL_PIECES = [
    "John Smith",
    " <",
    "john.smith@x.org",
    ">",
    ", ",
    "a@b.co",
    "Mary Ann Lee",
    "(",
    ")",
]
_MAIL_PIECES += ["\n", " ", "Li, Wei", "x", "@", "@@", "c.com", "d-e.", "z" * 70, "A.B", "_"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_MAIL_PIECES), max_size=12).map("".join))
def test_the_mail_rules_tried_at_the_at_signs_find_what_their_scans_find(text: str) -> None:
    """An e-mail's user part is read back from its @; a display name is looked for on the
    lines with an @ only: the same matches and names as the scans of the whole text."""
    from unittest import mock

    from stages.pii import names_keys
    from stages.pii.names_en import _EMAIL_USER, EN_NOT_NAME, _email_users

    expected = [(m.span(), m.group(1)) for m in _EMAIL_USER.finditer(text)]
    assert [(m.span(), m.group(1)) for m in _email_users(text)] == expected
    fast = names_keys.display_names(text, EN_NOT_NAME)
    whole = lambda rx, text, _lines: rx.finditer(text)  # noqa: E731
    with mock.patch.object(names_keys, "on_lines", whole):
        assert fast == names_keys.display_names(text, EN_NOT_NAME)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"陳淑芳號樓縣个人a1 \n", "贷款", "貸款"]), max_size=12).map("".join)
)
def test_text_without_traditional_characters_is_returned_as_it_is(text: str) -> None:
    """``to_simplified`` skips the mapping where the text holds no traditional character:
    the same text as the mapping gives."""
    from stages.pii.hanzi import _table, to_simplified

    assert to_simplified(text) == text.translate(_table())


_LINE_PIECES = ["\n", "\n\n", " ", "\t", "Attn:", "Regards,", "Bill to", "Present: ", "A B", "C D"]
_LINE_PIECES += ["Kind regards,\n", "12 Main St", "10:30", "[09:12] ", "Customer", "：", "x", "-"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=14).map("".join))
def test_patterns_led_by_a_line_start_tried_after_newlines_find_what_their_scans_find(text):
    """``at_line_starts`` finds, for every detector pattern that opens on a multi-line ``^``,
    the matches (spans and groups) of the pattern's scan of the whole text."""
    from stages.pii.prefilter import at_line_starts

    for rx in _LINE_LED:
        whole = [(m.span(), m.groups()) for m in rx.finditer(text)]
        assert [(m.span(), m.groups()) for m in at_line_starts(rx, text)] == whole


def _line_led() -> list[re.Pattern[str]]:
    import importlib
    import pkgutil

    import stages.pii
    from stages.pii.prefilter import _line_probe

    found: dict[int, re.Pattern[str]] = {}
    for info in pkgutil.iter_modules(stages.pii.__path__):
        module = importlib.import_module(f"stages.pii.{info.name}")
        for value in vars(module).values():
            if isinstance(value, re.Pattern) and _line_probe(value) is not None:
                found[id(value)] = value
    return list(found.values())


_LINE_LED = _line_led()


def test_line_led_patterns_are_read():
    """The patterns the test above checks include the ones the finders try at line starts; a
    pattern that may match nothing or reads only the text's start is scanned whole."""
    from stages.pii import addresses_labelled, names_keys, names_roles
    from stages.pii.prefilter import _line_probe

    for rx in (names_keys._ROLE_LINE, addresses_labelled._CLOSING, names_roles._TIMED_ENTRY):
        assert any(rx is led for led in _LINE_LED)
    assert _line_probe(re.compile(r"(?m)^a?")) is None  # it may match nothing
    assert _line_probe(re.compile(r"^abc")) is None  # not multi-line: the text's start only


@pytest.mark.parametrize("split", ["data/pii_eval/dev41.jsonl", "data/pii_eval/dev45.jsonl"])
def test_rules_scanned_on_their_lines_find_what_they_find_on_the_whole_text(split):
    """Rules scanned only on the lines that hold what each match holds (``on_lines``) or only
    at line starts (``at_line_starts``): the detector finds what it finds with every rule
    scanning the whole text (each text as it is and with its lines doubled)."""
    import importlib
    import json
    import pkgutil
    from contextlib import ExitStack
    from pathlib import Path
    from unittest import mock

    import stages.pii
    from stages.pii.detector import PiiDetector

    lines = (Path(__file__).parents[3] / split).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    texts += [t.replace("\n", "\n\n") for t in texts]
    detector = PiiDetector()
    detector.setup()
    fast = [detector.detect(t) for t in texts]
    whole = lambda rx, text, _lines=None: rx.finditer(text)  # noqa: E731
    with ExitStack() as stack:
        for info in pkgutil.iter_modules(stages.pii.__path__):
            module = importlib.import_module(f"stages.pii.{info.name}")
            for name in ("on_lines", "at_line_starts"):
                if hasattr(module, name) and module.__name__ != "stages.pii.prefilter":
                    stack.enter_context(mock.patch.object(module, name, whole))
        assert fast == [detector.detect(t) for t in texts]
    assert sum(map(len, fast)) > 500


_POSTCODE_PIECES = [*"0123456789", " ", "-", ",", "A", "B", "Å", "x", "\n", "1234", "12 345"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_POSTCODE_PIECES), max_size=16).map("".join))
def test_the_postcode_hint_read_from_digit_runs_finds_the_lines_of_the_plain_hint(text):
    """The world formats' hint, read from each run of digits' first digit, holds on the
    lines where its plain form (a postcode's shapes from any digit) holds."""
    from stages.pii.addresses_world import _POSTCODE_TOWN
    from stages.pii.latin import U
    from stages.pii.prefilter import lines_with

    plain = re.compile(
        rf"(?:\d{{4}}|\d{{3}}[ ]\d{{2}}|\d{{2}}-\d{{3}})[ ]{U}|\d{{4}}[A-Z]{{2}},?[ ]{U}"
    )
    assert lines_with(_POSTCODE_TOWN, text) == lines_with(plain, text)
