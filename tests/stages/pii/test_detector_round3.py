"""Third round of miss classes: Australian, New Zealand, Canadian-territory and Irish address
formats and their street types, North American phones with a trunk prefix or an extension,
BICs under a table's SWIFT column, titles that are not names, version strings that are not
IP addresses. Each with look-alikes that must stay unmasked."""

from __future__ import annotations

import pytest

from stages.pii.detector import PiiDetector
from tests.stages.pii.cases import finds, found, in_carrier, look_alikes, sentence_tests

FINDS = [
    *finds(
        "au_nz_ie_ca_addresses_without_names_inside",
        "ADDRESS",
        in_carrier(
            "Please post the forms to {}. Thanks.",
            [
                "12 Banksia Rise, Toowong, QLD 4066",  # Australian state + postcode
                "7/41 Harbour Foreshore, Manly, NSW, 2095",  # unit/number, comma before the postcode
                "3 Kauri Anchorage, RD 2, Whangarei 0172",  # NZ rural delivery + postcode
                "88 Tui Byway, Hamilton 3204",  # NZ locality + postcode
                "15 Pearse Street D02 X285 Ringsend",  # Irish Eircode
                "55 Lakeview Reach Apt. 12, Whitehorse, YT Y1A 3V4",  # Canadian territory
                "PO Box 5520, Dunedin 9058",
            ],
        ),
        only=True,
    ),
    *finds(
        "north_american_phones_with_prefix_and_extension",
        "PHONE",
        in_carrier(
            "Phone: {}\nthanks",
            [
                "1-569-000-7855",
                "+1 415-666-7777",
                "(817) 297-0836 x928",
                "415-666-7777 ext. 503",
                "1 (650) 333-6000",
                "338.365.1770",
            ],
        ),
        only=True,
    ),
    *finds("a_name_after_a_role_is_still_found", "NAME", [("客户经理王建国今天上门。", "王建国")]),
]

LOOK_ALIKES = [
    *look_alikes(
        "address_look_alikes_stay",
        [
            "Harbour Reach and Anchorage Byway are marina projects planned for 2027.",
            "Table 3: region | loans\nQLD | 2,258\nNSW | 7,301",
            "Queensland and the Northern Territory reported 2023 arrears.",
            "The river rose 12 feet near Hamilton in 2024.",
            "Form D02 was filed in 2021 by the branch.",
        ],
        ["ADDRESS"],
    ),
    *look_alikes(
        "phone_look_alikes_stay",
        [
            "Call our helpline 1-800-555-0199 any time.",  # toll-free: a company's line
            "Order 415.666.7777 shipped",  # an order reference
            "Scores 661 605 9181 in the table",  # three groups with spaces and no phone word
            "Version 212.555.0100.5 released",
        ],
        ["PHONE"],
    ),
    *look_alikes(
        "titles_and_roles_are_not_names",
        [
            "客户经理 09:15\n@各位 今天的产品说明已发群里",
            "理财经理、大堂经理和客户经理的岗位职责见附件。",
        ],
        ["NAME"],
    ),
]

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)


def test_bic_under_a_swift_column_header() -> None:
    text = (
        "Beneficiary | Account | SWIFT\n"
        "Acme Ltd | GB82 WEST 1234 5698 7654 32 | AUIVAU2S\n"
        "Beta Co | DE89 3704 0044 0532 0130 00 | UPMKFIHH"
    )
    assert found(PiiDetector(["SWIFT_BIC"]), text) == [
        ("AUIVAU2S", "SWIFT_BIC"),
        ("UPMKFIHH", "SWIFT_BIC"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Team | Code\nOps | AUIVAU2S",  # a column that is not SWIFT
        "status\tcode\nHANDLING\tdone",  # no SWIFT header at all
        "SWIFT | notes\nfees | none this quarter at all\n\nLater: AUIVAU2S",  # outside the table
    ],
)
def test_bic_look_alikes_in_tables_stay(text: str) -> None:
    assert PiiDetector(["SWIFT_BIC"]).detect(text) == []


@pytest.mark.parametrize(
    ("text", "is_ip"),
    [
        ("firmware 10.0.3.2 is out", False),
        ("upgrade to build 10.4.22.7 tonight", False),
        ("固件 10.0.3.2 已发布", False),
        ("login from 10.0.3.2 failed", True),
        ("server 172.16.40.3 restarted", True),
    ],
)
def test_versions_are_not_ip_addresses(detector: PiiDetector, text: str, is_ip: bool) -> None:
    assert ("IP_ADDRESS" in [t for _, t in found(detector, text)]) is is_ip
