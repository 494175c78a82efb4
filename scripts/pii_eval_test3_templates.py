"""Carrier texts of the round-3 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Written after round 2's test split (now ``dev3``) had been scored, before any round-3 change
to the detector, and apart from the tuning templates: genres no earlier split used (loan
applications, complaint letters, call-centre transcripts with timestamps, wire-transfer forms,
spreadsheets pasted as text, WeChat-style group chats, bilingual notices). A ``{SLOT}`` is
filled with a value from ``scripts/pii_eval_test3_pools.py``; the filled value is the gold
span. Text outside the slots holds no PII (no agent names, no functional mailboxes, no
company phone lines): roles, titles, amounts, dates, reference numbers and version strings
only, many of them look-alikes.

Nothing here is used to tune the detector: the split is scored once, at the end of round 3.

Slots: NAME_ZH NAME_EN ADDR_ZH ADDR_EN ID CARD CODE IBAN BIC PHONE_ZH PHONE_INTL EMAIL.
"""

from __future__ import annotations

#: (kind, lang, text)
TEMPLATES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- loan applications
    (
        "loan",
        "zh",
        "个人住房贷款申请表（第 2 页）\n借款人：{NAME_ZH}\n证件号码：{ID}\n现住址：{ADDR_ZH}\n"
        "联系电话：{PHONE_ZH}\n申请金额：人民币 1,200,000.00 元，期限 360 个月，利率 LPR-20BP",
    ),
    (
        "loan",
        "en",
        "SMALL BUSINESS LOAN APPLICATION  (form SBL-7, rev. 2.4.1)\nApplicant: {NAME_EN}\n"
        "Home address: {ADDR_EN}\nDaytime phone: {PHONE_INTL}\nAmount requested: USD 85,000 "
        "over 60 months. Purpose: equipment (quote Q-2291-B).",
    ),
    (
        "loan",
        "mixed",
        "经营贷 / Business loan — 借款主体统一社会信用代码 {CODE}，法定代表人 {NAME_ZH}，"
        "还款账户 repayment IBAN {IBAN}。审批意见：同意，额度 CNY 3,000,000。",
    ),
    (
        "loan",
        "en",
        "Co-borrower section. Name of co-borrower: {NAME_EN}. Relationship: spouse. "
        "Current address (3+ years): {ADDR_EN}. E-mail for e-signing: {EMAIL}.",
    ),
    # ---------------------------------------------------------------- complaint letters
    (
        "complaint",
        "zh",
        "投诉信\n尊敬的贵行领导：\n我叫{NAME_ZH}，是贵行多年的客户。3 月 15 日我在网点办理转账时，"
        "柜员未经同意为我开通了一项理财服务。我的卡号是{CARD}，请尽快核查并退还费用 299 元。"
        "联系地址：{ADDR_ZH}。\n此致\n敬礼",
    ),
    (
        "complaint",
        "en",
        "To whom it may concern,\n\nI am writing to complain about the handling of my dispute "
        "(case 2024-CX-00913). On 2 April a payment of GBP 412.50 was taken from my card "
        "{CARD} twice. I have written to you at your branch twice already.\n\nYours faithfully,\n"
        "{NAME_EN}\n{ADDR_EN}",
    ),
    (
        "complaint",
        "zh",
        "客户投诉登记：投诉人{NAME_ZH}（手机{PHONE_ZH}）反映其在 APP 3.8.12 版本上无法查看电子回单，"
        "已升级至二线处理，工单号 CS20240402118。",
    ),
    (
        "complaint",
        "en",
        "Re: complaint ref. FOS-118/22\nDear Sir or Madam, my mother {NAME_EN} received a "
        "letter at {ADDR_EN} saying her account was closed. Please reply to me at {EMAIL}.",
    ),
    # ---------------------------------------------------------------- call-centre transcripts
    (
        "call",
        "zh",
        "[00:00:03] 坐席：您好，这里是信用卡中心，请问有什么可以帮您？\n[00:00:09] 客户：我想改一下账单地址。\n"
        "[00:00:15] 坐席：请提供您的身份证号码。\n[00:00:21] 客户：{ID}\n[00:00:40] 坐席：新地址是？\n"
        "[00:00:46] 客户：{ADDR_ZH}\n[00:01:02] 坐席：已为您修改，工号 8021 为您服务。",
    ),
    (
        "call",
        "en",
        "00:00:02 AGENT: Thank you for calling, can I take your full name?\n00:00:06 CALLER: "
        "It's {NAME_EN}.\n00:00:11 AGENT: And a contact number?\n00:00:15 CALLER: {PHONE_INTL}\n"
        "00:00:31 AGENT: I've noted that. Your reference is 7731-0042.",
    ),
    (
        "call",
        "mixed",
        "通话转写 14:22:05 客户：my card number is {CARD}，昨天在 Singapore 被盗刷了 SGD 2,300。"
        "\n14:22:41 坐席：好的，已冻结，新卡寄到您预留的地址。",
    ),
    (
        "call",
        "en",
        "[10:41:55] Caller confirmed DOB and postcode. [10:42:10] Caller asked us to send the "
        "replacement card to a new address: {ADDR_EN}. [10:42:48] Agent 0417 raised case 55-2281.",
    ),
    (
        "call",
        "zh",
        "【录音质检】09:03:11 客户自称{NAME_ZH}，来电要求把手机号更换为{PHONE_ZH}，"
        "坐席未核实身份即办理，质检扣 5 分。",
    ),
    # ---------------------------------------------------------------- wire-transfer forms
    (
        "wire",
        "en",
        "OUTWARD TELEGRAPHIC TRANSFER\n50K Ordering customer: {NAME_EN}\n57A Account with "
        "institution: {BIC}\n59 Beneficiary account: {IBAN}\n32A Value date/currency/amount: "
        "240611EUR12500,00\n71A Charges: SHA",
    ),
    (
        "wire",
        "zh",
        "境外汇款申请书\n汇款人名称：{NAME_ZH}\n汇款人证件号：{ID}\n收款银行 SWIFT：{BIC}\n"
        "收款人账号：{IBAN}\n汇款金额：EUR 8,000.00　附言：学费 TUITION FEE 2024 FALL",
    ),
    (
        "wire",
        "en",
        "Wire instructions (please check before sending):\nBank: {BIC}\nIBAN: {IBAN}\n"
        "Beneficiary: {NAME_EN}, {ADDR_EN}\nReference: INV-2024-0611",
    ),
    (
        "wire",
        "mixed",
        "Remitter 汇款人: {NAME_ZH}\nBeneficiary bank 收款行: {BIC}\nAccount 账号: {IBAN}\n"
        "Purpose 用途: family support 赡家款",
    ),
    # ---------------------------------------------------------------- spreadsheets as text
    (
        "sheet",
        "en",
        "A\tB\tC\tD\nName\tPhone\tEmail\tSegment\n{NAME_EN}\t{PHONE_INTL}\t{EMAIL}\tPriority\n"
        "{NAME_EN}\t{PHONE_INTL}\t{EMAIL}\tMass",
    ),
    (
        "sheet",
        "zh",
        "姓名     手机号          开户行      余额\n{NAME_ZH}   {PHONE_ZH}   上海分行    12,880.50\n"
        "{NAME_ZH}   {PHONE_ZH}   深圳分行    3,104.00",
    ),
    (
        "sheet",
        "en",
        "customer_id;holder;card;expiry;limit\nC-000981;{NAME_EN};{CARD};08/29;5000\n"
        "C-000982;{NAME_EN};{CARD};01/27;12000",
    ),
    (
        "sheet",
        "mixed",
        "No. | Company 企业名称 | USCC 信用代码 | Contact 联系人 | Mobile\n1 | 某某物流有限公司 | {CODE} | "
        "{NAME_ZH} | {PHONE_ZH}\n2 | 某某餐饮管理有限公司 | {CODE} | {NAME_ZH} | {PHONE_ZH}",
    ),
    # ---------------------------------------------------------------- WeChat-style chats
    (
        "wechat",
        "zh",
        "理财交流群(238)\n客户经理：各位早上好，今天新发的理财产品年化 2.85%\n{NAME_ZH}：请问我怎么买？\n"
        "客户经理：私聊我哈\n{NAME_ZH}：好的，我的手机{PHONE_ZH}",
    ),
    (
        "wechat",
        "zh",
        "[图片]\n{NAME_ZH}: 地址发你了 {ADDR_ZH}\n{NAME_ZH}: 收到 明天上门办卡\n撤回了一条消息",
    ),
    (
        "wechat",
        "mixed",
        "大堂经理 2024/6/11 17:02\n您好，您的 visa 卡 {CARD} 已到网点，请携带身份证领取\n"
        "{NAME_ZH} 2024/6/11 17:30\n好的 thanks，周六营业吗",
    ),
    (
        "wechat",
        "zh",
        "转发的聊天记录\n——\n对方：把你邮箱给我，我把合同发过去\n我：{EMAIL}\n对方：收到，另外身份证号也要\n我：{ID}",
    ),
    # ---------------------------------------------------------------- bilingual notices
    (
        "notice",
        "mixed",
        "重要通知 IMPORTANT NOTICE\n尊敬的{NAME_ZH}客户 / Dear {NAME_EN}:\n您的账户将于 2024-07-01 起"
        "变更收费标准。Your account fee schedule changes from 1 July 2024 (version 4.0.2).",
    ),
    (
        "notice",
        "mixed",
        "账单寄送地址变更确认 Change of statement address\n新地址 New address: {ADDR_EN}\n"
        "如非本人操作请联系我们 If you did not request this, contact us.",
    ),
    (
        "notice",
        "mixed",
        "开户确认书 Account opening confirmation\n户名 Account name: {NAME_ZH}\n证件号码 ID No.: {ID}\n"
        "通讯地址 Mailing address: {ADDR_ZH}\n电子邮箱 E-mail: {EMAIL}",
    ),
    (
        "notice",
        "en",
        "Notice of assignment. We write to inform {NAME_EN} of {ADDR_EN} that the loan "
        "agreement dated 3 March 2021 has been assigned to a new lender (ref. AS-7.2.19).",
    ),
    (
        "notice",
        "zh",
        "催收函\n{NAME_ZH}先生/女士：\n您名下尾号 6612 的贷款已逾期 45 天，请于 7 日内还款。"
        "如有疑问请致电{PHONE_ZH}与我们联系。",
    ),
]

#: (lang, text): public-looking text with no PII, full of look-alikes.
NEGATIVES: list[tuple[str, str]] = [
    ("en", "Version 4.10.2.1 of the app fixes a crash; build 2024.06.11.3 is rolling out."),
    ("en", "The meeting is at 10:42:48 UTC on 2024-06-11; dial-in code 880 2291."),
    ("en", "Our branch team (Branch Manager, Relationship Manager, Teller) opens at 9 am."),
    ("en", "Harbour Reach and Anchorage Byway are marina projects planned for 2027."),
    ("en", "The River Thames flows through London; the Lindsey River is a stream in Lincs."),
    ("en", "SWIFT gpi tracks payments end to end; MT103 and pacs.008 carry the same fields."),
    ("en", "Rates: 5 year fixed 4.19%, 2 year fixed 4.59%, tracker BoE + 0.74%."),
    ("en", "Queensland, Victoria and the Northern Territory reported lower arrears in 2023."),
    ("en", "Table 3: region | loans | growth\nQLD | 2,258 | 4.1%\nNSW | 7,301 | 3.2%"),
    ("en", "Customer Service Advisor, Grade 5, Birmingham hub; salary band GBP 24-27k."),
    ("zh", "客户经理、理财经理和大堂经理的岗位职责见附件 3。"),
    ("zh", "本行 APP 3.8.12 版本已上线，修复了 10.0.3 版本中的闪退问题。"),
    ("zh", "宜都市、祥和镇和那吉镇的农村信用社网点将于下月合并。"),
    ("zh", "会议纪要：2024 年第 2 季度不良贷款率 1.38%，拨备覆盖率 205.4%。"),
    ("zh", "工单号 CS20240402118 已关闭，满意度 5 分。"),
    ("zh", "请于每月 20 日前还款，逾期将按日利率 0.05% 计收罚息。"),
    ("mixed", "字段 57A（Account With Institution）填写收款行 BIC，字段 59 填写收款人账号。"),
    ("mixed", "Form SBL-7 rev. 2.4.1 / 申请表第 7 版：请用黑色签字笔填写。"),
    ("mixed", "汇率 EUR/CNY 7.7812，USD/CNY 7.1268（2024-06-11 16:30 中间价）。"),
    ("mixed", "Priority 客户 / Mass 客户分层标准：AUM 600,000 元以上为 Priority。"),
]
