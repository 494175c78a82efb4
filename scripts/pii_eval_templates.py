"""Carrier texts for the independent PII evaluation set (scripts/build_pii_eval.py).

These phrasings were written for the evaluation, apart from the detector and from
scripts/make_pii_set.py: call transcripts, KYC notes, transfer instructions, letters and
tables, in Chinese, English and both. A ``{SLOT}`` is filled with a value from a source the
detector's authors did not write (Faker, the test suites of schwifty, pyap and JioNLP,
phonenumbers' example numbers); the filled value is the gold span. Text outside the slots is
meant to hold no PII, and much of it holds look-alikes (order numbers, amounts, product codes,
place names without a street) that must stay unmasked.

Templates are split by position: even-numbered ones build the dev split, odd-numbered ones the
test split, so no test phrasing is seen while tuning.

Slots: NAME_ZH NAME_EN NAME_PH (a placeholder name such as 张三) ADDR_ZH ADDR_EN ADDR_EN_ML
(multi-line) ID (a resident ID as printed) CARD CODE IBAN BIC PHONE_ZH PHONE_INTL EMAIL.
"""

from __future__ import annotations

#: (kind, lang, text)
TEMPLATES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- call transcripts
    (
        "transcript",
        "zh",
        "坐席：这里是信用卡中心，请问怎么称呼？\n客户：我叫{NAME_ZH}，上周刚搬家。\n坐席：新地址是？\n客户：{ADDR_ZH}。\n坐席：好的，订单号 20240517008812 的账单会寄到新地址。",
    ),
    (
        "transcript",
        "zh",
        "【通话记录】客户来电称其与{NAME_ZH}两人共同申请了房贷，合同编号HT2023-0091，贷款金额￥1,250,000.00，要求把联系电话改为{PHONE_ZH}。",
    ),
    (
        "transcript",
        "en",
        "Agent: Thanks for calling, who am I speaking with?\nCaller: Hi, this is {NAME_EN}. I moved last month, the new place is {ADDR_EN}.\nAgent: Got it. Your case number is 4471-2290, and the fee of $35.00 has been waived.",
    ),
    (
        "transcript",
        "en",
        "Caller: yeah my name's {NAME_EN}, I'm ringing about the transfer to {IBAN}, it bounced.\nAgent: I can see it. Reference INV-88213, amount EUR 4,120.50.",
    ),
    (
        "transcript",
        "mixed",
        "Agent: 请问您的身份证号码？\nCustomer: {ID}\nAgent: 谢谢。We will mail the card to {ADDR_EN}, 大概5个工作日。",
    ),
    (
        "transcript",
        "zh",
        "客户：我的卡号是{CARD}，昨天在淘宝买了一个型号为 RX-580 的显卡，被扣了两次 899 元。\n坐席：已登记，工单号 CS20240603117。",
    ),
    ("transcript", "zh", "坐席：请核对一下您的证件号。\n客户：{ID}，户口所在地是{ADDR_ZH}。"),
    (
        "transcript",
        "en",
        "Customer: Hello, {NAME_EN} speaking. Can you send the statement to {EMAIL} instead of post?\nAgent: Done. Statement period 01/03 to 31/03, closing balance 12,408.77.",
    ),
    (
        "transcript",
        "mixed",
        "客户说他叫{NAME_ZH}（英文名 {NAME_EN}），想把工资卡 {CARD} 的短信提醒换到新手机 {PHONE_ZH}。",
    ),
    ("transcript", "zh", "客户：以前的户名是{NAME_ZH}，今年改名为{NAME_ZH}了，身份证没变：{ID}。"),
    # ---------------------------------------------------------------- KYC notes
    (
        "kyc",
        "zh",
        "尽职调查记录：申请人{NAME_ZH}，证件号码 {ID}，现居{ADDR_ZH}，职业：会计，年收入约 36 万元，风险等级 R3。",
    ),
    (
        "kyc",
        "en",
        "KYC review 2024-Q2. Subject: {NAME_EN}. Residential address verified against a utility bill: {ADDR_EN}. Source of funds: salary (approx. USD 140k p.a.). Risk rating: medium.",
    ),
    (
        "kyc",
        "zh",
        "企业开户资料核验：统一社会信用代码{CODE}，法定代表人{NAME_ZH}，注册地址{ADDR_ZH}，注册资本 500 万元。",
    ),
    (
        "kyc",
        "en",
        "Onboarding checklist\n- Full legal name: {NAME_EN}\n- Passport verified: yes\n- Home: {ADDR_EN}\n- Mobile: {PHONE_INTL}\n- Product: Premier Current Account (code PCA-07)",
    ),
    (
        "kyc",
        "mixed",
        "KYC note: 客户{NAME_ZH}持有中国居民身份证 {ID}，在香港工作，correspondence address {ADDR_EN}。",
    ),
    (
        "kyc",
        "zh",
        "回访纪要：{NAME_ZH}和{NAME_ZH}两人一起来网点办理联名账户，留存地址{ADDR_ZH}，联系电话{PHONE_ZH}。",
    ),
    (
        "kyc",
        "en",
        "Enhanced due diligence. The beneficial owner, {NAME_EN}, lives at {ADDR_EN} and banks with us through account {IBAN}. No adverse media found for Greenfield Holdings.",
    ),
    ("kyc", "zh", "个人信息变更：原登记地址为{ADDR_ZH}，新地址为{ADDR_ZH}，变更人签字。"),
    (
        "kyc",
        "zh",
        "举例说明：假设{NAME_PH}向{NAME_PH}转账 5000 元，附言“房租”，两笔流水号分别为 8812001 和 8812002。",
    ),
    (
        "kyc",
        "en",
        "Periodic review: customer since 2011. Previous address {ADDR_EN}; current address {ADDR_EN}. Card on file ending 4471 replaced by {CARD}.",
    ),
    # ---------------------------------------------------------------- transfer instructions
    (
        "transfer",
        "en",
        "Please remit USD 25,000.00 to the beneficiary below.\nBeneficiary: {NAME_EN}\nIBAN: {IBAN}\nBank: {BIC}\nPurpose: invoice 2024/118",
    ),
    (
        "transfer",
        "en",
        "Wire details - beneficiary bank {BIC}, account {IBAN}, beneficiary {NAME_EN}, {ADDR_EN}. Charges: OUR.",
    ),
    (
        "transfer",
        "zh",
        "汇款指令：收款人{NAME_ZH}，收款行 SWIFT {BIC}，收款账号 {IBAN}，金额 EUR 8,600.00，用途：学费。",
    ),
    (
        "transfer",
        "mixed",
        "境外汇款申请书\n收款人名称 Beneficiary Name: {NAME_EN}\n收款人账号 Account No.: {IBAN}\n收款银行 Bank: {BIC}\n汇款人 Remitter: {NAME_ZH}  电话 {PHONE_ZH}",
    ),
    (
        "transfer",
        "en",
        "Correspondent banks for this payment: {BIC} / {BIC}. Value date 15 July. Amount GBP 12,000. Ref TRX-20240715-0031.",
    ),
    (
        "transfer",
        "en",
        "Beneficiary IBAN ({IBAN}); intermediary {BIC}. Do not use the old account, it was closed in March.",
    ),
    (
        "transfer",
        "zh",
        "请将款项转入以下账户：{IBAN}（开户行代码{BIC}），户名{NAME_EN}。如有疑问请联系 {EMAIL}。",
    ),
    (
        "transfer",
        "en",
        "Settlement instructions:\n1. {BIC}\n2. {BIC}\n3. Account {IBAN}\nAll amounts in EUR; batch 7731.",
    ),
    (
        "transfer",
        "zh",
        "付款方：{NAME_ZH}，卡号{CARD}；收款方：{NAME_ZH}，账户 {IBAN}。手续费 15.00 元。",
    ),
    (
        "transfer",
        "mixed",
        "SWIFT MT103 draft -- 50K ordering customer: {NAME_EN}, {ADDR_EN}; 57A: {BIC}; 59: /{IBAN} {NAME_EN}; 70: INVOICE 55102",
    ),
    # ---------------------------------------------------------------- letters
    (
        "letter",
        "en",
        "Dear Sir or Madam,\n\nI am writing to confirm that the account holder has moved to {ADDR_EN_ML}.\n\nKind regards,\n{NAME_EN}",
    ),
    (
        "letter",
        "en",
        "Hi team,\nplease update the mailing address for the Johnson Controls account to {ADDR_EN}.\nThanks,\n{NAME_EN}\n{PHONE_INTL}",
    ),
    (
        "letter",
        "zh",
        "{NAME_ZH}您好：\n您申请的贷款已审批通过，合同将寄至{ADDR_ZH}，请注意查收。\n中国某银行信贷部\n2024年5月20日",
    ),
    (
        "letter",
        "en",
        "To whom it may concern,\n\nThis letter confirms that {NAME_EN}, of {ADDR_EN}, has held a current account with us since 2015.\n\nRegards,\n{NAME_EN}\nBranch Manager",
    ),
    (
        "letter",
        "zh",
        "致客户的一封信：\n亲爱的{NAME_ZH}，感谢您十年来的支持。您的专属客户经理已变更，新的联系方式为{PHONE_ZH}，邮箱{EMAIL}。",
    ),
    (
        "letter",
        "en",
        "Best regards,\n\n{NAME_EN}\nSenior Relationship Manager, Private Banking\nT: {PHONE_INTL}\nE: {EMAIL}",
    ),
    (
        "letter",
        "mixed",
        "Dear {NAME_EN},\n感谢您选择我行。您的新卡 {CARD} 已寄往 {ADDR_ZH}。\nYours sincerely,\nCard Services",
    ),
    (
        "letter",
        "zh",
        "情况说明\n本人{NAME_ZH}，身份证号{ID}，因工作调动，现居住地由{ADDR_ZH}变更为{ADDR_ZH}，特此说明。",
    ),
    (
        "letter",
        "en",
        "Thank you for your letter of 3 April about the Oak Tree Savings product.\nSincerely,\n{NAME_EN}",
    ),
    (
        "letter",
        "en",
        "Cheers,\n{NAME_EN}\n\nSent from my phone. Order #A7782-11 is unrelated to this request.",
    ),
    # ---------------------------------------------------------------- tables and lists
    (
        "table",
        "en",
        "| name | address | phone |\n|---|---|---|\n| {NAME_EN} | {ADDR_EN} | {PHONE_INTL} |\n| {NAME_EN} | {ADDR_EN} | {PHONE_INTL} |",
    ),
    ("table", "zh", "姓名,证件号码,地址\n{NAME_ZH},{ID},{ADDR_ZH}\n{NAME_ZH},{ID},{ADDR_ZH}"),
    (
        "table",
        "en",
        "Counterparty banks (BIC)\n- {BIC}\n- {BIC}\n- {BIC}\nReviewed: 2024-06-30, 3 of 3 active.",
    ),
    (
        "table",
        "mixed",
        "序号\t客户\t卡号\t金额\n1\t{NAME_ZH}\t{CARD}\t1,200.00\n2\t{NAME_EN}\t{CARD}\t88.50",
    ),
    ("table", "en", "account_holder;iban;bic\n{NAME_EN};{IBAN};{BIC}\n{NAME_EN};{IBAN};{BIC}"),
    (
        "table",
        "zh",
        "企业名称：某某科技有限公司；信用代码：{CODE}；经办人：{NAME_ZH}；手机：{PHONE_ZH}",
    ),
    (
        "table",
        "en",
        "Returned mail log\n{ADDR_EN} -- addressee unknown\n{ADDR_EN} -- moved, no forwarding",
    ),
    ("table", "zh", "抵押物清单：1. 房产，坐落于{ADDR_ZH}；2. 车辆，车型 SUV-X5，评估价 32 万元。"),
    ("table", "mixed", "ID numbers to re-verify:\n{ID}\n{ID}\n{ID}"),
    ("table", "en", "Cards reported lost this week: {CARD}, {CARD}. Replacement fee 10.00 each."),
]

#: Texts with no PII at all: look-alikes that must not be masked. Split like TEMPLATES.
NEGATIVES: list[tuple[str, str]] = [
    ("zh", "订单号 202405170088123456 已发货，金额 3,280.00 元，商品编码 SKU-88120-CN。"),
    ("en", "Order 5500 0000 0000 0004 shipped; see invoice INV-2024-0001 for 1,234.56 USD."),
    ("zh", "我们在上海、北京和深圳设有分行，营业时间为周一至周五 9:00-17:00。"),
    ("en", "Our offices in London, New York and Hong Kong close early on Christmas Eve."),
    (
        "en",
        "Product codes MARKETING, HANDLING and DELIVERY are printed on the label, model X200-B.",
    ),
    ("zh", "本期理财产品代码为 BKCH2024A，起购金额 1 万元，年化收益率 3.15%。"),
    ("en", "The Grand Canyon Road Trip package costs 2,499 dollars for 14 days."),
    ("zh", "会议在人民大会堂举行，张家界和长江三峡是热门旅游线路。"),
    ("en", "Please Read The Terms And Conditions Before Signing The Form."),
    ("zh", "版本号 3.10.12，构建编号 20240601，兼容 Windows 10 与 macOS 14。"),
    ("en", "Section 4.2.1 applies to accounts opened before 2019; see Appendix B, Table 7."),
    ("zh", "这次活动的一等奖是价值 5000 元的购物卡，二等奖是 100 张电影票。"),
    ("en", "Flight BA117 departs at 18:35 from Terminal 5, gate B42."),
    ("zh", "请在 2024年12月31日 前登录网上银行完成年度信息确认。"),
    ("en", "Interest of 4.75% is paid monthly; the minimum balance is 10,000."),
    ("zh", "北京市朝阳区和海淀区的房价上涨了 3%，江苏省南京市成交量下降。"),
    ("en", "Main Street banks and Wall Street funds both reported record profits."),
    ("zh", "华夏银行、招商银行和民生银行发布了新的存款利率。"),
    ("en", "Tracking number 1Z999AA10123456784 was delivered to the front desk."),
    ("zh", "产品型号 ZH-2024-1188，序列号 SN8812003391，保修期三年。"),
]
