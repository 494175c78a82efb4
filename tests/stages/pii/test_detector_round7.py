"""Seventh round of miss classes: English names after estate, attorney, trade and claim roles,
in a chat's reply line, an owners' list, with particles; Chinese names after 受益所有人 1,
受害人, 受托人, 委托人, 继承人 and a chat's 【用户】; street-first European, French,
Indonesian and Australian addresses; Chinese rural addresses with village groups; a company's
building after a house number; a French-Canadian town with a spaced ``-sur-Mer``. Each with
look-alikes that must stay unmasked."""

from __future__ import annotations

from stages.pii.detector import PiiDetector
from tests.stages.pii.cases import finds, found, in_carrier, look_alikes, sentence_tests

FINDS = [
    *finds(
        "names_after_role_labels",
        "NAME",
        in_carrier("Donor: {}\nRegistered 07/02/2025.", ["Maria Rossi"])
        + in_carrier("Counterparty (private client): {}\nWe bought EUR 1.00.", ["Lukas Berger"])
        + in_carrier("Executor: {}, of Leeds", ["Helen Carter"])
        + in_carrier("Employee: {}\nStart date: 1 May", ["Zdravko Marić"])
        + [
            ("Attorney(s): Pieter Jansen and Anna Kowalska, acting jointly", v)
            for v in ("Pieter Jansen", "Anna Kowalska")
        ],
    ),
    *finds(
        "names_after_role_phrases",
        "NAME",
        in_carrier("We are sorry to learn of the death of {}. All accounts", ["Zdravko Marić"])
        + in_carrier("cheque no. 000412 drawn by {} was returned unpaid", ["Ildikó Farkas"])
        + in_carrier("The other driver, {}, admitted liability.", ["Tihomir Babić"])
        + in_carrier("Account holder {}\nFrom: here", ["Gyöngyi Szűcs"]),
    ),
    *finds(
        "names_in_chat_replies_and_owner_lists",
        "NAME",
        in_carrier("[Assistant] Your full name?\n[You] {}\n[Assistant] Thanks.", ["Ildikó Farkas"])
        + in_carrier("Owners:\n1. {}, 55%, residing in Riga\n", ["Giulia Bianchi"]),
    ),
    *finds(
        "names_with_particles_after_a_name_label",
        "NAME",
        in_carrier("Name of account holder: {}\nCountry: BR", ["Ricardo de Souza"]),
    ),
    *finds(
        "chinese_names_after_new_role_cues",
        "NAME",
        in_carrier("受益所有人 1：{}，持股 60%", ["高畅"])
        + in_carrier("受害人：{}，手机 13912345678", ["李俊"])
        + in_carrier("受托人：{}，身份证号码 略", ["罗兵"])
        + in_carrier("委托人：{}，身份证", ["汪想"])
        + in_carrier("【用户】{}，13912345678", ["罗兵"]),
    ),
    *finds(
        "street_first_european_addresses",
        "ADDRESS",
        in_carrier(
            "Residence: {}. Tax residence: see part 2.",
            [
                "Kungsgatan 12, 41119 Göteborg",
                "Ilica 24b, 10000 Zagreb",
                "Damrak 70, 1012 LM Amsterdam",
                "Długa 5/3, 00-238 Warszawa",
                "Via Garibaldi 8, 10122 Torino (TO)",
            ],
        ),
    ),
    *finds(
        "french_addresses_number_first_or_without_a_number",
        "ADDRESS",
        in_carrier("Adresse : {} ; merci.", ["12, rue de la Paix, 75002 Paris"])
        + in_carrier("Address {}; thank you.", ["chemin des Vignes, 1009 Pully"]),
    ),
    *finds(
        "indonesian_addresses",
        "ADDRESS",
        in_carrier(
            "Alamat: {}. Terima kasih.",
            [
                "Jl. Gatot Subroto No. 12, Medan, Sumatera Utara 20112",
                "Jalan Malioboro No. 5, Yogyakarta, DI 55213",
            ],
        ),
    ),
    *finds(
        "australian_addresses_with_state_and_postcode",
        "ADDRESS",
        in_carrier(
            "Mailing address: {}. Thanks.",
            [
                "12 Harbour View Crescent, Parramatta, NSW, 2150",
                "3/15 Beach Road, Bondi, NSW 2026",
                "7 Ocean Rotary, Kevinvale, WA, 6012",
            ],
        ),
    ),
    *finds(
        "chinese_rural_addresses_with_village_groups",
        "ADDRESS",
        in_carrier(
            "现居地址：{}\n出生地：略",
            ["兰考县谷营镇袁寨村3组12号", "乐至县孔雀乡长景寺村8号", "汶上县次丘镇湖口村29号"],
        ),
    ),
    *finds(
        "chinese_address_with_a_companys_building",
        "ADDRESS",
        in_carrier(
            "地址：{}。",
            ["吉林市船营区迎宾大路11号吉林市某某投资管理有限责任公司船营总部大厦5楼506室"],
        ),
    ),
    *finds(
        "french_canadian_town_with_a_spaced_suffix",
        "ADDRESS",
        in_carrier(
            "Address: {}\nThanks", ["13 boulevard Lavigne, Baie Comeau -sur-Mer, QC G4J 2S1"]
        ),
    ),
]

FINDS += finds(
    "european_addresses_led_by_a_street_type_or_ending_in_a_street_word",
    "ADDRESS",
    in_carrier(
        "The customer lives at {} since May.",
        [
            "ul. Długa 5/3, 00-238 Warszawa",
            "Calle de Alcalá, 45, 28014 Madrid",
            "Via Roma 12, 00184 Roma RM",
            "Vesterbrogade 3, 1620 København V",
        ],
    ),
)
FINDS += finds(
    "bics_whose_bank_code_reads_like_a_word",
    "SWIFT_BIC",
    in_carrier("Advising bank {}\nAmount: USD 1.00", ["AUREDKKK", "LAORROARHVG"])
    + in_carrier("对手方通过 {} 汇入 USD 48,000", ["LIVEDKKK"]),
)

LOOK_ALIKES = [
    *look_alikes(
        "headings_and_companies_after_role_labels",
        [
            "Employee: Onboarding Checklist\nStep 1: badge",
            "Counterparty (bank): Deutsche Bank AG",
            "Donor: Anonymous Foundation",
            "Trustee: Northern Trust Company",
            "Insured: Fleet Vehicles Pool",
            "Counterparty: Harbour Logistics",
            "Executor: Probate Registry",
            "Donor: Matching Gifts",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "role_phrases_before_no_person",
        [
            "The cheque was drawn by Acme Finance Ltd on 3 May.",
            "after the death of Payment Services in 2019",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "chat_replies_and_numbered_rows_without_a_name",
        ["[You] Thank You\n[Assistant] Bye", "1. Payment Terms, see below\n2. Fees, 1%"],
        ["NAME"],
    ),
    *look_alikes(
        "upper_case_words_after_weak_bank_cues",
        [
            "The bank HANDLING fee is waived.",
            "Sent via DELIVERY partner.",
            "bank STANDARD rate",
            "通过 DELIVERY 渠道",
        ],
        ["SWIFT_BIC"],
    ),
    *look_alikes(
        "chinese_role_cues_before_no_name",
        ["受托人：本行，负责保管。", "【用户】我的卡被锁了", "受益所有人 1：无"],
        ["NAME"],
    ),
    *look_alikes(
        "numbers_before_a_word_that_are_not_postcodes",
        [
            "See Chapter 3, 2019 Edition for details.",
            "Revenue Q4 2024, 12000 Units sold",
            "Invoice 12, 10000 Units shipped",
            "Table 5, 20000 Samples were drawn",
            "Jalan-jalan No. 5 is a song.",
            "Sydney, NSW is sunny; 2150 people came.",
            "Plaza Mayor 1, 2024 was busy",
            "Section 5, 1200 Words",
        ],
        ["ADDRESS"],
    ),
    *look_alikes(
        "chinese_county_text_without_an_address",
        ["本县将在明年新建三个村。", "第3组10号选手上场。", "合同将寄至黑龙江省分行。"],
        ["ADDRESS"],
    ),
]

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)


def test_two_attorneys_are_two_names(detector: PiiDetector) -> None:
    text = "Attorney(s): Pieter Jansen and Anna Kowalska, acting jointly"
    assert [v for v, t in found(detector, text) if t == "NAME"] == [
        "Pieter Jansen",
        "Anna Kowalska",
    ]


def test_rural_address_keeps_its_group_and_house_number(detector: PiiDetector) -> None:
    text = "现居地址：兰考县谷营镇袁寨村3组12号\n出生地：略"
    assert ("兰考县谷营镇袁寨村3组12号", "ADDRESS") in found(detector, text)


def test_address_after_a_sending_verb_starts_at_the_province(detector: PiiDetector) -> None:
    text = "资料将寄至湖南省某县东街3号"
    assert [v for v, t in found(detector, text) if t == "ADDRESS"] == ["湖南省某县东街3号"]
