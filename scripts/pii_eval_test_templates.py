"""Carrier texts of round 2's test split of the PII evaluation set, now ``dev3``.

Written after the first test split had been looked at, and kept apart from the detector and
from the tuning templates (``scripts/pii_eval_templates.py``, which build ``dev`` and ``dev2``):
other layouts (tables, e-mail headers, chat logs, OCR'd forms with broken spacing, CSV rows,
SMS) and other phrasings, in Chinese, English and both. A ``{SLOT}`` is filled with a value from
a source the detector's authors did not write (``scripts/pii_eval_test_pools.py``); the filled
value is the gold span. Text outside the slots holds no PII, and much of it holds look-alikes.

Round 2 scored this split once; round 3 tunes on it (``dev3``). Labelling correction made
before round 3: one e-mail template addressed its message to a functional mailbox written
outside the slots (an e-mail address the gold did not hold, so 16 correct detections counted
as false alarms); it now reads "To: Payments Operations desk".

Slots: NAME_ZH NAME_EN ADDR_ZH ADDR_EN ID CARD CODE IBAN BIC PHONE_ZH PHONE_INTL EMAIL.
"""

from __future__ import annotations

#: (kind, lang, text)
TEMPLATES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- chat logs
    (
        "chat",
        "zh",
        "[10:02] 在线客服：您好，请提供开户人姓名\n[10:03] 访客：{NAME_ZH}\n[10:03] 访客：卡号 {CARD}\n[10:04] 在线客服：收到，您反馈的交易编号 T202406110093 已转风控。",
    ),
    (
        "chat",
        "en",
        "<support_bot> hi! what's the card you'd like to freeze?\n<user> {CARD}\n<support_bot> thanks. ticket #55102 opened, ETA 2 business days.\n<user> also pls update my address: {ADDR_EN}",
    ),
    (
        "chat",
        "mixed",
        "客户经理 09:15\n@{NAME_ZH} 你的 SWIFT 是 {BIC} 吗？\n{NAME_ZH} 09:17\n对，收款账户 IBAN {IBAN}，金额 USD 25,000",
    ),
    (
        "chat",
        "zh",
        "微信聊天记录导出\n用户A：快递寄到{ADDR_ZH}就行\n用户A：电话{PHONE_ZH}\n客服：好的亲，订单 8812 0033 4410 已备注",
    ),
    (
        "chat",
        "en",
        "[WhatsApp] Mum: whats ur new addy\n[WhatsApp] Me: {ADDR_EN}\n[WhatsApp] Mum: ok sending the 2 parcels, tracking 1Z 999 AA1 01 2345 6784",
    ),
    # ---------------------------------------------------------------- e-mails
    (
        "email",
        "en",
        "From: {EMAIL}\nTo: Payments Operations desk\nSubject: RE: wire #7781 returned\n\nPlease re-send to beneficiary {NAME_EN}, IBAN {IBAN}, BIC {BIC}.\n\n-- sent from mobile",
    ),
    (
        "email",
        "zh",
        "发件人：{EMAIL}\n主题：关于信用卡账单地址变更\n\n您好，本人{NAME_ZH}，身份证{ID}，账单地址请改为{ADDR_ZH}。谢谢！",
    ),
    (
        "email",
        "en",
        "Hello,\n\nI'm writing on behalf of my father, {NAME_EN}. His card ending in 4417 was replaced; the new one is {CARD}. Statements should go to {ADDR_EN}.\n\nKind regards",
    ),
    (
        "email",
        "mixed",
        "Subject: 开户资料 / account opening docs\n\nHi, 附件为{NAME_ZH}的资料：\n- 证件 ID: {ID}\n- Mobile: {PHONE_ZH}\n- 公司信用代码: {CODE}\nThanks, Ops",
    ),
    # ---------------------------------------------------------------- tables and CSV
    (
        "table",
        "zh",
        "| 字段 | 内容 |\n|---|---|\n| 客户名称 | {NAME_ZH} |\n| 证件号码 | {ID} |\n| 联系地址 | {ADDR_ZH} |\n| 授信额度 | 200,000.00 |",
    ),
    (
        "table",
        "en",
        "name,card_number,exp,amount\n{NAME_EN},{CARD},09/27,129.99\n",
    ),
    (
        "table",
        "en",
        "Beneficiary      | Account                        | SWIFT\n{NAME_EN} | {IBAN} | {BIC}\nTotal: EUR 9,800.00 (batch 2024-118)",
    ),
    (
        "table",
        "zh",
        "序号\t单位名称\t统一社会信用代码\t注册资本\n1\t某某科技有限公司\t{CODE}\t1000万\n2\t某某贸易有限公司\t{CODE}\t300万",
    ),
    (
        "table",
        "mixed",
        "持卡人 Cardholder: {NAME_EN}\n卡号 Card No.: {CARD}\n有效期 Valid thru: 11/28\n账单地址 Billing: {ADDR_EN}",
    ),
    # ---------------------------------------------------------------- OCR'd forms
    (
        "ocr",
        "zh",
        "中国 某 银 行\n个人 开户 申请书\n姓 名：{NAME_ZH}   性别：女\n身份证 号：{ID}\n住 址：{ADDR_ZH}\n申请 日期：2024 年 3 月 8 日",
    ),
    (
        "ocr",
        "en",
        "APPLICATION FOR DEBIT CARD\nFull name ........ {NAME_EN}\nResidential address ........ {ADDR_EN}\nPhone ........ {PHONE_INTL}\nBranch code 0042   Form v3.1",
    ),
    (
        "ocr",
        "zh",
        "汇 款 凭 证\n收款人：{NAME_ZH}\n收款卡号：{CARD}\n金额（大写）：壹万贰仟元整  ￥12,000.00\n流水号 2024060500017723",
    ),
    (
        "ocr",
        "en",
        "DIRECT DEBIT MANDATE  Ref: DD-55-00912\nDebtor: {NAME_EN}\nDebtor IBAN: {IBAN}\nDebtor bank BIC: {BIC}\nCreditor ID: GB98ZZZSDD1234",
    ),
    # ---------------------------------------------------------------- notes and narrative
    (
        "note",
        "zh",
        "回访备注：客户表示上月已迁居，新住处在{ADDR_ZH}，原预留手机号{PHONE_ZH}停用，需重新绑定。",
    ),
    (
        "note",
        "en",
        "Fraud desk note: caller claimed to be {NAME_EN} but could not confirm the address on file ({ADDR_EN}). Card {CARD} blocked pending review.",
    ),
    (
        "note",
        "mixed",
        "反洗钱排查：交易对手 {NAME_EN} 通过 {BIC} 汇入 USD 48,000，收款人{NAME_ZH}，证件{ID}。",
    ),
    (
        "note",
        "zh",
        "贷后检查：借款企业（统一社会信用代码 {CODE}）实际经营地址为{ADDR_ZH}，与注册地址不符。",
    ),
    (
        "note",
        "en",
        "Site visit 14 May: the borrower's business premises are at {ADDR_EN}; the registered office is elsewhere. Contact: {EMAIL}.",
    ),
    (
        "note",
        "zh",
        "客户{NAME_ZH}来电，称其名下尾号 8826 的储蓄卡已挂失，新卡为{CARD}，并留下邮箱{EMAIL}。",
    ),
    # ---------------------------------------------------------------- SMS and short messages
    (
        "sms",
        "zh",
        "【某银行】尊敬的{NAME_ZH}，您尾号 3391 的账户于 06月12日 支出 1,280.00 元。如非本人操作请致电 95588。",
    ),
    (
        "sms",
        "en",
        "Your payment of AUD 86.40 with card {CARD} was declined. Reply STOP to opt out. Msg ref 20240612-7781.",
    ),
    (
        "sms",
        "mixed",
        "验证码 482913，5分钟内有效。Your new PIN mailer will be sent to {ADDR_EN}.",
    ),
    (
        "sms",
        "zh",
        "您好，我是{NAME_ZH}，身份证{ID}，麻烦把回单寄到{ADDR_ZH}，谢谢",
    ),
    (
        "email",
        "en",
        "Dear {NAME_EN},\nWe received a request to add {PHONE_INTL} as a trusted number on your profile. If this wasn't you, contact us.\nCase 00448812",
    ),
    (
        "note",
        "en",
        "KYC refresh: customer relocated to {ADDR_EN}. ID verified; previous address archived. Risk score unchanged (42/100).",
    ),
]

#: (lang, text): public-looking text with no PII, full of look-alikes.
NEGATIVES: list[tuple[str, str]] = [
    ("en", "Order 4012-8888-8888-1882 could not be charged; the card number failed validation."),
    ("en", "Test value 36168002586008 is rejected by the Luhn check, as expected."),
    ("en", "IBAN DE89 3704 0044 0532 0130 01 fails its MOD-97 check digits and was bounced."),
    ("en", "Invoice total: 1,234,567.89 USD; PO number 5000123456; SKU 400-1234-5678."),
    (
        "en",
        "The route follows Highway 1 north to the county line, then County Road 12 to the lake.",
    ),
    ("en", "Meet at the Camino Real trailhead; parking is free before 9 am."),
    ("en", "Section 4.2.1.3 of the manual; firmware 10.0.3.2; build 20240611."),
    ("en", "Main Street shops close early on Sundays in most small towns in Ohio."),
    ("en", "Park Avenue and Fifth Avenue are famous streets in New York."),
    ("en", "Call center hours: Mon-Fri 8:00-20:00. Reference 9780306406157 (ISBN)."),
    ("zh", "订单号 6225 8801 2345 6789 的发票已开具，金额 6,225.88 元。"),
    ("zh", "身份证号码 360426199113010079 的出生日期不合法，系统已拒绝。"),
    ("zh", "统一社会信用代码 91110000600037341N 校验位不正确，请重新填写。"),
    ("zh", "西湖区、科尔沁左翼后旗和红河哈尼族彝族自治州都是县级或地级行政区名称。"),
    ("zh", "本次活动在北京市朝阳区举行，欢迎各界人士参加。"),
    ("zh", "沿 G210 国道向南行驶约 30 公里即可到达景区，全程约 40 分钟。"),
    ("zh", "张江高科技园区的企业数量在 2023 年增长了 12%。"),
    ("zh", "第 3 栋楼的电梯维修将于 6 月 12 日完成，请住户留意。"),
    ("mixed", "项目编号 PRJ-2024-0613，预算 USD 1,500,000，负责人为项目办公室。"),
    ("mixed", "SWIFT MT103 报文格式说明：字段 32A 为起息日、币种和金额。"),
]
