"""Fifth round of miss classes: Canadian (English and French), Malaysian, Bangladeshi and
Philippine addresses; BICs after "bank"/"held at"/"via" and beside an IBAN; names after role
nouns and greetings, in SWIFT party fields and in table columns without a header; Chinese names
after more role words; phones in full-width brackets. Each with look-alikes that must stay
unmasked."""

from __future__ import annotations

from stages.pii.detector import PiiDetector
from stages.pii.names_context import find_context_names
from stages.pii.names_en import EN_NOT_NAME
from tests.stages.pii.cases import finds, found, in_carrier, look_alikes, sentence_tests

FINDS = [
    *finds(
        "bics_whose_bank_code_has_a_y",
        "SWIFT_BIC",
        in_carrier("Advising bank {} will confirm the credit.", ["OYMSGRSY", "KYBACHZZ"]),
    ),
    *finds(
        "cards_after_words_that_start_like_a_reference_cue",
        "BANK_CARD",
        in_carrier(
            "Please return the card number for refund {} by Friday.",
            ["4111 1111 1111 1111", "5500005555555559"],
        )
        + in_carrier("Cardholder in Reference Lab, card {}.", ["4012888888881881"]),
    ),
    *finds(
        "canadian_addresses",
        "ADDRESS",
        in_carrier(
            "Please mail the renewal to {}. Thank you.",
            [
                "17, rue Saint-Paul Est Montréal (Québec) H2Y 1G2",  # French: number, rue
                "2200, boulevard Laurier, bureau 300 Québec (Québec) G1V 4P6",
                "9 chemin des Érables Sherbrooke, QC J1H 5N4",
                "310 - 12th Avenue SW Calgary, AB T2R 0H9",  # unit - number
                "48 Queen Street, Unit 4 Moncton (New Brunswick) E1C 1K3",
                "1200 Bay Street Toronto, Ontario M5R 2A5",
                "77 Harbour Road Victoria, B.C. V9A 3S2",
            ],
        ),
    ),
    *finds(
        "malaysian_addresses",
        "ADDRESS",
        in_carrier(
            "Alamat surat-menyurat: {}. Sila kemas kini.",
            [
                "12, Jalan Ampang 3/2, Taman Melati, 53100 Kuala Lumpur, Wilayah Persekutuan",
                "No. 8-2, Jln Bukit Bintang, 55100 Kuala Lumpur",
                "Lot 5, Lorong Seri 4, Kampung Baru, 08000 Sungai Petani, Kedah",
                "B-12-03, Persiaran Gurney, 10250 George Town, Pulau Pinang",
            ],
        ),
    ),
    *finds(
        "bangladeshi_addresses",
        "ADDRESS",
        in_carrier(
            "Delivery address {}. Call before arrival.",
            [
                "House No. 14, Road 7, Dhanmondi, Dhaka, 1205",
                "Flat 3B, House No. 22, Gulshan Avenue, Gulshan, Dhaka, 1212",
                "Holding No. 101, Station Road, Rangpur, 5400",
            ],
        ),
    ),
    *finds(
        "philippine_addresses",
        "ADDRESS",
        in_carrier(
            "Registered address: {}. Verified by branch.",
            [
                "Block 3 Lot 12 Sampaguita Homes, Molino Road, Bacoor, 4102 Cavite",
                "B5 L20 Greenfield Subdivision, Acacia Street, Santa Rosa, 4026 Laguna",
                "Unit 1203 Pearl Tower, 88 Ayala Avenue, Makati, 1226 Metro Manila",
                "15 Mabini Street, San Roque Village, Marikina, 1801 Metro Manila",
            ],
        ),
    ),
    *finds(
        "bics_after_bank_held_at_via",
        "SWIFT_BIC",
        [
            ("Beneficiary account AT611904300234573201, bank KXQRATW2. Due 31 May.", "KXQRATW2"),
            ("The account is held at QWZTCZPP since 2019.", "QWZTCZPP"),
            ("Paid to LT601010012345678901 via MLPQLT2XABC on Friday.", "MLPQLT2XABC"),
            ("通知行 ZYXWFRPPXXX，请核对。", "ZYXWFRPPXXX"),
        ],
    ),
    *finds(
        "bics_beside_an_iban",
        "SWIFT_BIC",
        [
            ("00417;Anna Berg;NO9386011117947;QQPLNOK1;3,412.08", "QQPLNOK1"),
            ("2) Ola Nordmann | NO9386011117947 QQPLNOK1 | 980.40", "QQPLNOK1"),
        ],
    ),
    *finds(
        "names_after_role_nouns",
        "NAME",
        [
            (
                "Finding 2: the beneficiary Somchai Rattanakorn of payment PAY-1 was late.",
                "Somchai Rattanakorn",
            ),
            ("Customer Oluwaseun Adeyemi confirmed the new address.", "Oluwaseun Adeyemi"),
            ("Item 3. Application of Tariq Rahimzai, residing in Leeds.", "Tariq Rahimzai"),
            ("We spoke with Nomvula Dlamini about the arrears.", "Nomvula Dlamini"),
        ],
    ),
    *finds(
        "names_after_greetings",
        "NAME",
        [
            ("Hi Kittipong Srisuk, your card is ready for collection.", "Kittipong Srisuk"),
            ("Hello Chidi Okonkwo!\nYour statement is attached.", "Chidi Okonkwo"),
            ("Hi Kamal, your payment was received.", "Kamal"),
        ],
    ),
    *finds(
        "signature_whose_surname_is_a_month",
        "NAME",
        [("Please call me.\n\nSincerely,\nGemma May", "Gemma May")],
    ),
    *finds(
        "names_in_swift_party_fields",
        "NAME",
        [
            (":50K:/DE89370400440532013000\nWanjiru Kamau\n:59:/X\nB", "Wanjiru Kamau"),
            (
                ":20:REF1\n:59:/GB29NWBK60161331926819\nSiriporn Chaiyaphum\n:71A:OUR",
                "Siriporn Chaiyaphum",
            ),
        ],
    ),
    *finds(
        "names_in_headerless_table_columns",
        "NAME",
        [
            (
                "Visitors 12/03\n09:10 | Anong Kaewmanee | deposit\n09:30 | Maria Ola | loan",
                "Anong Kaewmanee",
            ),
            (
                "Thanaporn Wongsa\t10:05\tcounter 2\nRizwan Qureshi\t10:20\tcounter 1",
                "Rizwan Qureshi",
            ),
        ],
    ),
    *finds(
        "chinese_names_after_more_role_words",
        "NAME",
        [
            ("用户 郑金莲 反馈：账单未收到。", "郑金莲"),
            ("实际控制人 雷岩，登记地址略。", "雷岩"),
            ("被保险人：赵婷婷　身份证：略", "赵婷婷"),
            ("授信审批 申请人 Applicant：毕红梅；联系电话略", "毕红梅"),  # a bilingual label
        ],
    ),
    *finds(
        "phones_in_full_width_brackets",
        "PHONE",
        [
            ("联系电话（0351）89082910，工作日接听。", "（0351）89082910"),
            ("手机（+86）13912345678 请回电。", "（+86）13912345678"),
            ("Tel (+86)13912345678 after 6pm.", "(+86)13912345678"),
        ],
    ),
]

LOOK_ALIKES = [
    *look_alikes(
        "upper_case_words_with_a_y_after_bank_cues",
        ["Contact the bank PAYMENTS team.", "Routed via DELIVERY desk, bank HOLIDAYS apply."],
        ["SWIFT_BIC"],
    ),
    *look_alikes(
        "numbers_after_whole_reference_words",
        [
            "Refund ref 4111 1111 1111 1111 was booked.",
            "Orders: 4111111111111111 shipped.",
            "Case 4012888888881881 closed; txn 4111111111111111 reversed.",
        ],
        ["BANK_CARD"],
    ),
    *look_alikes(
        "place_and_street_words_without_an_address",
        [
            "Branches: Montreal Centre-Ville, Quebec City, Kuala Lumpur Main, Dhaka Gulshan.",
            "The Jalan-Jalan Travel Fund returned 5.2% in 2024; Taman Growth Fund 3.1%.",
            "Rue Cartier and Avenue Road were closed for the parade (Québec) on Sunday.",
            "Order 12, Item 3, 2024 Budget, 4500 Units shipped to Manila.",
            "House No. 5 is the best-selling board game of 2023.",
            "We received 12 applications in Ontario and 7 in Québec this week.",
        ],
        ["ADDRESS"],
    ),
    *look_alikes(
        "upper_case_words_near_bank_words",
        [
            "The bank DELIVERY team is on strike.",
            "Payment routed via OVERSEAS channel, status PENDING.",
            "Reference PAYRUN2025 held at BASEMENT archive room.",
            "Account AT611904300234573201 is CLOSED. Note: TRANSFER not allowed.",
        ],
        ["SWIFT_BIC"],
    ),
    *look_alikes(
        "capitalised_words_after_role_nouns_and_greetings",
        [
            "Customer Service Team will reply within two days.",
            "Hi All, the branch closes early today.",
            "Hello World, this is a test page.",
            "Our client Relationship Manager will call.",
            "Customer Experience Lead, Disputes Analyst and KYC Officer roles are open.",
            "Thanks,\nMay Payments",
            "this is Memory Management in the kernel",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "tables_that_are_not_people",
        [
            " city | temp\n---------------+------\n San Francisco | 46\n Los Angeles | 50",
            "Product\tRate\nFixed Deposit\t3.1%\nSavings Account\t0.5%",
            "Mon | Open Day | 9:00\nTue | Closed | -\nWed | Open Day | 9:00",
        ],
        ["NAME"],
    ),
    *look_alikes(
        "chinese_role_words_before_ordinary_words",
        ["用户支持等服务请拨打客服热线。", "员工培训计划已发布。", "申请人 Applicant：无；"],
        ["NAME"],
    ),
    *look_alikes(
        "bracketed_numbers_that_are_not_phones",
        ["价格（2024）12345678元", "编号（0351）见附件。"],
        ["PHONE"],
    ),
]

test_finds, test_leaves_look_alikes_alone = sentence_tests(FINDS, LOOK_ALIKES)


def test_swift_party_field_keeps_only_the_name_line(detector: PiiDetector) -> None:
    text = ":50K:/AT611904300234573201\nPakorn Thongchai\n:57A:QQPLATW1\n:59:/X\nAcme Bank Ltd"
    names = [v for v, t in found(detector, text) if t == "NAME"]
    assert names == ["Pakorn Thongchai"]  # the bank's line under :59: is no person


def test_headerless_column_needs_two_name_cells() -> None:
    one = "09:10 | Anong Kaewmanee | deposit\n09:30 | courier | delivery"
    two = "09:10 | Anong Kaewmanee | deposit\n09:30 | Babajide Ola | loan"
    known = frozenset({"Anong"})
    assert find_context_names(one, known, known, EN_NOT_NAME) == []
    assert len(find_context_names(two, known, known, EN_NOT_NAME)) == 2
    assert find_context_names(two, known, frozenset(), EN_NOT_NAME) == []  # no known name
