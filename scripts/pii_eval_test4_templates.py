"""Carrier texts of the round-4 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Written after round 3's test split (now ``dev4``) had been scored, before any round-4 change
to the detector, and apart from the tuning templates: genres no earlier split used
(customer-service tickets, audit findings, loan committee minutes, KYC refresh notes, dispute
letters, bilingual SMS, safe-deposit and branch registers). A ``{SLOT}`` is filled with a value
from ``scripts/pii_eval_test4_pools.py``; the filled value is the gold span. Text outside the
slots holds no PII (no staff names, no functional mailboxes, no service lines): roles, titles,
amounts, dates, reference numbers, product and version strings only, many of them look-alikes.

Nothing here is used to tune the detector: the split is scored once, at the end of round 4.

Slots: NAME_ZH NAME_EN ADDR_ZH ADDR_EN ID CARD CODE IBAN BIC PHONE_ZH PHONE_INTL EMAIL.
"""

from __future__ import annotations

#: (kind, lang, text)
TEMPLATES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- customer-service tickets
    (
        "ticket",
        "en",
        "TICKET #INC-0048213 | Priority: P3 | Channel: web form\nRequester: {NAME_EN} "
        "<{EMAIL}>\nSubject: cannot log in after update 5.2.0\nDescription: Customer says "
        "the one-time code goes to an old number. New number given: {PHONE_INTL}.\nStatus: "
        "Pending customer",
    ),
    (
        "ticket",
        "zh",
        "工单编号：GD-2024-118903　受理渠道：在线客服\n客户姓名：{NAME_ZH}\n联系方式：{PHONE_ZH}\n"
        "问题描述：信用卡 {CARD} 境外交易被拒，客户称已开通境外功能。\n处理结果：已转风险部复核，"
        "预计 2 个工作日内回复。",
    ),
    (
        "ticket",
        "mixed",
        "[Zendesk] #77120 更新\n用户 {NAME_ZH} 反馈：changed my mailing address to {ADDR_ZH}, "
        "但电子账单仍寄往旧址。\n内部备注：已同步 CRM 字段 addr_line1，版本 v2.14。",
    ),
    (
        "ticket",
        "en",
        "Case 2024-11-0093 closed. Summary: {NAME_EN} asked for the card ending in 4471 to be "
        "reissued to {ADDR_EN}. Courier booked (AWB 7781 2290 4412). Satisfaction survey sent.",
    ),
    # ---------------------------------------------------------------- audit findings
    (
        "audit",
        "zh",
        "审计发现 AF-07：抽查 2023 年开户档案 60 份，其中 1 份（客户{NAME_ZH}，身份证号{ID}）"
        "未留存证件复印件，另 3 份地址栏仅填写至区县。整改责任部门：个人金融部。",
    ),
    (
        "audit",
        "en",
        "Finding 3 (medium): the beneficiary {NAME_EN} of payment PAY-55102 was screened after "
        "release. Beneficiary account {IBAN}, bank {BIC}. Management action due 31 March.",
    ),
    (
        "audit",
        "mixed",
        "Internal audit sample #14 — 企业客户 统一社会信用代码 {CODE}，实际控制人 {NAME_ZH}，"
        "登记地址 {ADDR_ZH}。Observation: beneficial-owner form unsigned (ref. IA-2024-3.1).",
    ),
    # ---------------------------------------------------------------- loan committee minutes
    (
        "minutes",
        "en",
        "CREDIT COMMITTEE MINUTES, meeting 19/2024\nItem 4. Application of {NAME_EN}, "
        "residing at {ADDR_EN}, for a facility of USD 240,000 (LTV 62%). The Chair noted two "
        "late payments in 2022. Decision: approved subject to valuation.",
    ),
    (
        "minutes",
        "zh",
        "贷审会会议纪要（第 27 次）\n议题三：借款人{NAME_ZH}申请个人经营贷款 500 万元，"
        "抵押物位于{ADDR_ZH}，评估价 820 万元。表决结果：同意 5 票，反对 0 票。",
    ),
    (
        "minutes",
        "mixed",
        "授信审批会 Minutes — 申请人 Applicant：{NAME_ZH}；联系电话 Tel：{PHONE_ZH}；"
        "担保企业 Guarantor USCC：{CODE}。主审意见：风险可控，建议额度 CNY 1.5m。",
    ),
    # ---------------------------------------------------------------- KYC refresh notes
    (
        "kyc",
        "en",
        "KYC periodic review (high-risk, 12-month cycle). Customer {NAME_EN} confirmed "
        "residential address {ADDR_EN} and phone {PHONE_INTL}. Source of funds: salary and "
        "rental income. Next review due 2025-09.",
    ),
    (
        "kyc",
        "zh",
        "客户身份信息更新记录\n客户：{NAME_ZH}\n证件号码：{ID}\n原地址：略\n新地址：{ADDR_ZH}\n"
        "更新原因：证件到期换领，风险等级维持“中”。",
    ),
    (
        "kyc",
        "en",
        "KYC refresh - corporate. Authorised signatory: {NAME_EN}. Signatory e-mail: {EMAIL}. "
        "Settlement account {IBAN} held at {BIC}. Screening: no hits (list version 2024.10.3).",
    ),
    # ---------------------------------------------------------------- dispute letters
    (
        "dispute",
        "en",
        "Dear Disputes Team,\n\nI dispute the transaction of EUR 1,180.00 on 14 October on my "
        "card {CARD}. I did not authorise it and still hold the card. Please write to me at "
        "{ADDR_EN}.\n\nSincerely,\n{NAME_EN}",
    ),
    (
        "dispute",
        "zh",
        "争议交易申请书\n本人{NAME_ZH}，对卡号{CARD}于 10 月 14 日发生的一笔 3,560.00 元消费有异议，"
        "本人当日未离开{ADDR_ZH}住所。联系手机：{PHONE_ZH}",
    ),
    (
        "dispute",
        "en",
        "Chargeback request. Cardholder: {NAME_EN}. Merchant refund promised by e-mail to "
        "{EMAIL} but never received. Reason code 13.1 (merchandise not received).",
    ),
    # ---------------------------------------------------------------- bilingual SMS
    (
        "sms",
        "mixed",
        "【某银行】尊敬的{NAME_ZH}：您尾号 8832 的账户于 11月02日 支出 RMB 2,000.00。"
        "Dear customer, RMB 2,000.00 was debited on 02 Nov. 回复 TD 退订",
    ),
    (
        "sms",
        "mixed",
        "[Bank] 验证码 493021，5 分钟内有效。Your code is 493021. 如非本人操作请联系 {PHONE_ZH}"
        " 的客户经理。",
    ),
    (
        "sms",
        "en",
        "Hi {NAME_EN}, your new card will be delivered to {ADDR_EN} within 5 working days. "
        "Questions? Call your relationship manager on {PHONE_INTL}.",
    ),
    # ---------------------------------------------------------------- registers
    (
        "register",
        "zh",
        "保管箱租用登记\n箱号：B-0417　规格：中型\n租用人：{NAME_ZH}\n证件：{ID}\n"
        "紧急联系人：{NAME_ZH}，电话 {PHONE_ZH}",
    ),
    (
        "register",
        "en",
        "Branch visitor log 11/05\n09:12 | {NAME_EN} | account opening | ID seen\n09:40 | "
        "{NAME_EN} | mortgage enquiry | ref MQ-883\n10:05 | courier | delivery | -",
    ),
    (
        "register",
        "mixed",
        "SWIFT MT103 copy 报文副本\n:50K:/{IBAN}\n{NAME_EN}\n:57A:{BIC}\n:59:/{IBAN}\n"
        "{NAME_EN}\n:70:/INV/2024-1107\n:71A:OUR",
    ),
    (
        "register",
        "zh",
        "代发工资名单（节选）\n序号,姓名,手机,卡号\n1,{NAME_ZH},{PHONE_ZH},{CARD}\n"
        "2,{NAME_ZH},{PHONE_ZH},{CARD}",
    ),
    (
        "register",
        "zh",
        "臺灣客戶資料補件：姓名 {NAME_ZH}，通訊地址 {ADDR_ZH}，電子郵件 {EMAIL}。",
    ),
]

#: (lang, text): public-looking text with no PII, full of look-alikes.
NEGATIVES: list[tuple[str, str]] = [
    ("en", "Ticket INC-0048213 was merged into PRB-2291; release 5.2.0.4 ships on 2024-11-05."),
    ("en", "Credit Committee, Risk Committee and Audit Committee meet quarterly in Hong Kong."),
    ("en", "The Bow River and Still Creek run through Calgary and Burnaby respectively."),
    ("en", "MT103 fields 50K, 57A, 59 and 71A carry the ordering customer, bank, payee, charges."),
    ("en", "Rates from 1 November: 12-month fixed 3.85%, 24-month fixed 3.60%, ISA 4.10%."),
    ("en", "Customer Experience Lead, Disputes Analyst and KYC Officer roles are open in Manila."),
    ("en", "Block 16 of the survey plan covers 84 lots; Phase 2 adds 120 more by Q3 2026."),
    ("en", "Order 4471-2290-4412 shipped via DHL; tracking 1Z 999 AA1 01 2345 6784."),
    ("zh", "贷审会、风控委员会和审计委员会每季度召开一次，会议纪要由办公室存档。"),
    ("zh", "本行手机银行 6.3.1 版本新增争议交易在线申请功能。"),
    ("zh", "宜都市、祥和镇和古坑乡的网点将于明年一月统一升级为智能网点。"),
    ("zh", "工单 GD-2024-118903 已关闭，满意度 5 星。"),
    ("zh", "统一社会信用代码由 18 位阿拉伯数字或大写英文字母组成。"),
    ("mixed", "客户经理 Relationship Manager、柜员 Teller、大堂经理 Lobby Manager 岗位说明。"),
    ("mixed", "【公告】系统将于 11月09日 02:00-06:00 升级 Maintenance notice, version 8.0.1."),
    ("en", "Section 57A of the form asks for the bank's identifier code, not its name."),
]
