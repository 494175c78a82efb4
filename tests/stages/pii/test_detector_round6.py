"""Sixth round of miss classes: names in accented Latin letters and after a lower-case
``contact:`` label; phones in a sentence's brackets; companies after a person label; BICs after
"bank for all items"; numbered list rows; Chinese names before 本人 + an action; Chinese
addresses with spaces between units or a building and room after the house number; Swiss and
South African addresses. Each with look-alikes that must stay unmasked."""

from __future__ import annotations

import re

from stages.pii.detector import PiiDetector
from stages.pii.latin import LOWER, UPPER
from tests.stages.pii.cases import finds, found, in_carrier, look_alikes, sentence_tests

FINDS = [
    *finds(
        "names_with_accented_letters",
        "NAME",
        in_carrier("Beneficiary: {}\nAmount EUR 500.", ["Théodore Martineau", "Éléonore Dupuis"])
        + in_carrier("Dear Mr. {}, thank you.", ["Łukasz Wójcik", "Ödön Szabó"])
        + in_carrier("Hi {}, your card is ready.", ["Geneviève Gingras"]),
    ),
    *finds(
        "phones_inside_a_sentences_brackets",
        "PHONE",
        in_carrier("Emergency contact: the sister ({}) on weekdays.", ["+965 500 12345"])
        + in_carrier("call back (+86)19250688907，谢谢", ["(+86)19250688907"])
        + in_carrier("座机（{}）下午可打", ["010-62345678"]),
    ),
    *finds(
        "names_after_a_lower_case_contact_label",
        "NAME",
        in_carrier("Emergency contact: {} (+95 1 234 567)", ["Amahle Ndlanya", "Nomvula Maduna"]),
    ),
    *finds(
        "bics_after_bank_and_lower_case_words",
        "SWIFT_BIC",
        in_carrier("Beneficiary bank for all items {}. Charges: SHA.", ["BROYTR1ADMX"]),
    ),
    *finds(
        "names_in_numbered_rows",
        "NAME",
        [
            ("1) Paul Chukwu | X | 1,250.00\n2) Todsawun Prayoonhong | Y | 980.40", v)
            for v in ("Paul Chukwu", "Todsawun Prayoonhong")
        ],
    ),
    *finds(
        "chinese_names_before_their_own_action",
        "NAME",
        in_carrier("10:12 致电，{}本人接听，承诺还款。", ["孙桂花", "吴东"])
        + in_carrier("材料由{}本人签字确认。", ["王磊"]),
    ),
    *finds(
        "chinese_surname_tu",
        "NAME",
        in_carrier("债务人 {}，visited the office.", ["涂淑珍"]),
    ),
    *finds(
        "chinese_addresses_with_spaces_between_units",
        "ADDRESS",
        in_carrier(
            "核实居住地址：{}。备注：无",
            ["上海市 闵行区 顾戴路 2000弄 11号", "上海市 静安区 陕西北路1438号 财富时代大厦1216室"],
        ),
    ),
    *finds(
        "chinese_addresses_with_building_and_room",
        "ADDRESS",
        in_carrier(
            "地址：{}。", ["七莘路1839号财富108广场南座1612室", "人民路88号金融大厦12楼1203室"]
        ),
    ),
    *finds(
        "street_first_addresses",
        "ADDRESS",
        in_carrier(
            "The customer lives at {} since May.",
            [
                "Braunstrasse 31, 5600 Uzwil",
                "Hodelstrasse 69, 2206 Le Grand-Saconnex",
                "Zürcher Strasse 12, CH-8001 Zürich",
                "rue de Lausanne 12, 1201 Genève",
            ],
        ),
    ),
    *finds(
        "south_african_addresses",
        "ADDRESS",
        in_carrier(
            "Postal address: {}; please update.",
            [
                "52 York Indawo, iKapa, 2147",
                "26 Church Umgwaqo, George, 1046",
                "8 Long Street, Cape Town, 8001",
            ],
        ),
    ),
]

LOOK_ALIKES = [
    *look_alikes(
        "accented_words_that_are_not_names",
        ["Café Crème is on the menu.", "Résumé Upload: done", "Beneficiary: Société Générale SA"],
        ["NAME"],
    ),
    *look_alikes(
        "companies_after_person_labels",
        [
            "Beneficiary: Pacific Timber Trading Ltd\nAmount: USD 1.00",
            "Payee: Nordvik Energi AB",
            "Applicant: Baltic Amber Logistics UAB, Vilnius",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "service_desks_after_a_contact_label",
        ["Emergency contact: Customer Service Team", "For contact: Branch Operations Desk"],
        ["NAME"],
    ),
    *look_alikes(
        "upper_case_words_after_bank_and_lower_case_words",
        ["The bank for all items DELIVERY applies.", "Bank holiday notice: OPEN TODAY."],
        ["SWIFT_BIC"],
    ),
    *look_alikes(
        "numbered_rows_of_products",
        ["1) Gold Card | annual fee | 300\n2) Platinum Card | annual fee | 800"],
        ["NAME"],
    ),
    *look_alikes(
        "chinese_self_words_that_follow_no_name",
        ["请客户本人到场办理。", "须由持卡人本人签字。"],
        ["NAME"],
    ),
    *look_alikes(
        "spaced_chinese_text_without_an_address",
        ["地铁 2 号线 3 号口 出站", "3 月 15 日 00:00 停机", "上海市 北京市 广州市 三地分行"],
        ["ADDRESS"],
    ),
    *look_alikes(
        "street_names_and_postcodes_alone",
        [
            "The Bahnhofstrasse is long; 5600 Uzwil has 12 shops.",
            "Our rue de Rivoli branch opens 09:00.",
            "Revenue grew in Cape Town, 2024 was strong.",
        ],
        ["ADDRESS"],
    ),
]

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)


def test_latin_letter_classes_split_by_case() -> None:
    upper, lower = re.compile(f"[{UPPER}]"), re.compile(f"[{LOWER}]")
    assert all(upper.fullmatch(c) for c in "AZÉÖŁŠŽ")
    assert all(lower.fullmatch(c) for c in "azéöłšžß")
    assert not any(upper.fullmatch(c) for c in "é×÷1 ")
    assert not any(lower.fullmatch(c) for c in "É×÷1 ")


def test_building_after_a_house_number_needs_a_room(detector: PiiDetector) -> None:
    text = "地址：人民路100号附近的中心医院。"
    assert [v for v, t in found(detector, text) if t == "ADDRESS"] == ["人民路100号"]


def test_bracketed_phone_leaves_the_sentences_brackets(detector: PiiDetector) -> None:
    text = "Emergency contact: Amahle (+95 1 234 567) ok"
    assert ("+95 1 234 567", "PHONE") in found(detector, text)
