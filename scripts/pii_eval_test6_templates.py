"""Carrier texts of the round-6 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Written after round 5's test split (now ``dev6``) had been scored, before any round-6 change
to the detector, and apart from the tuning templates: genres no earlier split used (SEPA direct
debit mandates, CRS tax self-certifications, FX and securities trade confirmations, chargeback
case files, bereavement notices, powers of attorney, fraud case notes, in-app chat transcripts,
mixed-language internal e-mails, account closure requests, beneficial-owner declarations,
address change requests, returned-cheque notices, payment recall requests). A ``{SLOT}`` is
filled with a value from ``scripts/pii_eval_test6_pools.py``; the filled value is the gold span.
Text outside the slots holds no PII (no staff names, no functional mailboxes, no service lines):
roles, titles, company names, amounts, dates, reference numbers, creditor identifiers, ISINs,
acquirer reference numbers, many of them look-alikes.

Nothing here is used to tune the detector: the split is scored once, at the end of round 6.

Slots: NAME_ZH NAME_EN ADDR_ZH ADDR_EN ID CARD CODE IBAN BIC PHONE_ZH PHONE_INTL EMAIL.
"""

from __future__ import annotations

#: (kind, lang, text)
TEMPLATES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- SEPA direct debit mandates
    (
        "mandate",
        "en",
        "SEPA Core Direct Debit Mandate  Mandate reference: MNDT-2025-118804\n"
        "Creditor: Nordvik Energi AB, Creditor Identifier SE98ZZZ556677889900\n"
        "Debtor name: {NAME_EN}\nDebtor address: {ADDR_EN}\nIBAN: {IBAN}   BIC: {BIC}\n"
        "Type of payment: recurrent. Signed electronically on 03.03.2025.",
    ),
    (
        "mandate",
        "en",
        "Your mandate has been amended. Old account {IBAN} was replaced by {IBAN} "
        "(bank {BIC}) with effect from the next collection on 1 April; the amount stays "
        "EUR 64.90 per month. Account holder: {NAME_EN}.",
    ),
    # ---------------------------------------------------------------- CRS self-certification
    (
        "crs",
        "en",
        "CRS INDIVIDUAL SELF-CERTIFICATION (Part 1)\nName of account holder: {NAME_EN}\n"
        "Current residence address: {ADDR_EN}\nCountry of tax residence: see Part 2, TIN "
        "provided separately.\nContact e-mail for follow-up: {EMAIL}",
    ),
    (
        "crs",
        "zh",
        "税收居民身份声明文件（个人）\n姓名：{NAME_ZH}　　证件类型：居民身份证　证件号码：{ID}\n"
        "现居地址（中文）：{ADDR_ZH}\n出生地：中国 四川省\n本人确认上述信息真实、准确、完整。",
    ),
    # ---------------------------------------------------------------- trade confirmations
    (
        "trade",
        "en",
        "FX TRADE CONFIRMATION  Ref FXC-250314-00912\nCounterparty (private client): "
        "{NAME_EN}\nWe bought EUR 250,000.00 / sold USD 272,125.00 at 1.0885, value date "
        "18-Mar-2025.\nSettlement of EUR to {IBAN} ({BIC}). Please report discrepancies "
        "within 2 business days.",
    ),
    (
        "trade",
        "zh",
        "证券交易确认单　成交编号 T20250312-774105\n客户姓名：{NAME_ZH}　资金账号 "
        "108800452317\n买入 600519 贵州茅台 100 股，成交价 1,612.00 元，佣金 48.36 元。\n"
        "三方存管银行卡：{CARD}　预留手机：{PHONE_ZH}",
    ),
    # ---------------------------------------------------------------- chargeback case files
    (
        "chargeback",
        "en",
        "Chargeback case CB-77120 (reason code 13.1, merchandise not received)\nCardholder: "
        "{NAME_EN}, card {CARD}\nARN 74537605071000123456789, MCC 5732, amount GBP 389.00\n"
        "Cardholder contact: {EMAIL} / {PHONE_INTL}. Representment deadline: 45 days.",
    ),
    (
        "chargeback",
        "zh",
        "争议交易受理单　工单号 ZY-2025-03-0419\n持卡人 {NAME_ZH} 来电称卡号 {CARD} 于 3 月 9 日"
        "在境外商户发生一笔 USD 1,280.00 的交易非本人所为，已申请止付并发起拒付。\n回访电话："
        "{PHONE_ZH}；账单寄送地址：{ADDR_ZH}。",
    ),
    # ---------------------------------------------------------------- bereavement
    (
        "bereavement",
        "en",
        "Bereavement notification  Case BRV-0318\nWe are sorry to learn of the death of "
        "{NAME_EN}. The executor, {NAME_EN}, of {ADDR_EN}, can be reached on {PHONE_INTL}. "
        "All accounts are frozen pending the grant of probate; standing orders cancelled.",
    ),
    (
        "bereavement",
        "zh",
        "身故客户账户处理登记\n已故客户：{NAME_ZH}（身份证 {ID}）\n继承人：{NAME_ZH}，"
        "联系电话 {PHONE_ZH}，住址 {ADDR_ZH}\n已提交：死亡证明、公证书。账户状态：冻结。",
    ),
    # ---------------------------------------------------------------- powers of attorney
    (
        "attorney",
        "en",
        "LASTING POWER OF ATTORNEY - registration with the bank\nDonor: {NAME_EN}\n"
        "Attorney(s): {NAME_EN} and {NAME_EN}, acting jointly and severally\n"
        "Correspondence to the attorney at {ADDR_EN}. Registered 07/02/2025, ref LPA-5526.",
    ),
    (
        "attorney",
        "zh",
        "授权委托书\n委托人：{NAME_ZH}，身份证号码 {ID}\n受托人：{NAME_ZH}，身份证号码 {ID}\n"
        "现委托受托人代为办理本人名下尾号 4471 账户的挂失及补卡业务，委托期限至 2025 年 6 月 30 日。",
    ),
    # ---------------------------------------------------------------- fraud case notes
    (
        "fraud",
        "en",
        "Fraud case FR-2025-0441 (authorised push payment scam)\n- 14:02 customer {NAME_EN} "
        "reported a call from someone posing as the bank's security team\n- paid EUR 4,900 "
        "to {IBAN} at bank {BIC}\n- recall sent; customer reachable on {PHONE_INTL}",
    ),
    (
        "fraud",
        "zh",
        "电信诈骗案件记录\n受害人：{NAME_ZH}，手机 {PHONE_ZH}\n被骗经过：对方冒充客服称其贷款额度"
        "异常，诱导其向 {CARD} 转账 3 笔共 58,000 元。\n已报警，警情编号 JQ2025031100871，"
        "涉案账户已申请冻结。",
    ),
    # ---------------------------------------------------------------- in-app chat transcripts
    (
        "chat",
        "en",
        "[Assistant] Hi! I can help you update your details. What's your full name?\n"
        "[You] {NAME_EN}\n[Assistant] Thanks. What is the new postal address?\n[You] "
        "{ADDR_EN}\n[Assistant] And the best number to reach you?\n[You] {PHONE_INTL}\n"
        "[Assistant] Done, your request UPD-88412 is with our team.",
    ),
    (
        "chat",
        "zh",
        "【智能客服】您好，请问有什么可以帮您？\n【用户】我的卡被锁了\n【智能客服】请提供持卡人"
        "姓名和预留手机号\n【用户】{NAME_ZH}，{PHONE_ZH}\n【人工客服】已核实，请确认卡号 {CARD}"
        " 是否本人持有？\n【用户】是的，邮寄地址改成{ADDR_ZH}",
    ),
    # ---------------------------------------------------------------- mixed-language e-mails
    (
        "email",
        "mixed",
        "Subject: RE: 客户开户资料补充 / KYC pending\nHi team,\n客户 {NAME_ZH} 的身份证 {ID} "
        "已经核验，address proof 还差一份，她说下周寄到 {ADDR_ZH}。Please chase via "
        "{EMAIL} before Friday.\nThanks",
    ),
    (
        "email",
        "mixed",
        "Subject: Wire to Hungary 退回\nPayment of EUR 12,000 to {NAME_EN} was returned by "
        "the receiving bank {BIC}（账户 {IBAN} 已销户）。客户要求改汇，请联系他 {PHONE_INTL}。"
        "\n附件：MT199 copy",
    ),
    # ---------------------------------------------------------------- account closure
    (
        "closure",
        "en",
        "Request to close account\nI, {NAME_EN}, ask you to close all my accounts and "
        "transfer the remaining balance to {IBAN}. Please send the closing statement to "
        "{ADDR_EN}. Card {CARD} has been cut in half and returned.",
    ),
    (
        "closure",
        "zh",
        "个人销户申请书\n户名：{NAME_ZH}\n证件号码：{ID}\n销户卡号：{CARD}\n"
        "余额转入本人他行账户，联系电话：{PHONE_ZH}\n销户原因：工作调动（迁往外省）",
    ),
    # ---------------------------------------------------------------- beneficial owners
    (
        "ubo",
        "zh",
        "受益所有人信息登记表\n企业名称：杭州远帆贸易有限公司　统一社会信用代码：{CODE}\n"
        "受益所有人 1：{NAME_ZH}，持股 60%，身份证 {ID}，住址 {ADDR_ZH}\n"
        "受益所有人 2：{NAME_ZH}，持股 40%",
    ),
    (
        "ubo",
        "en",
        "Beneficial ownership declaration - Baltic Amber Logistics UAB\nUltimate beneficial "
        "owners (25% or more):\n1. {NAME_EN}, 55%, residing at {ADDR_EN}\n2. {NAME_EN}, "
        "30%\nCompany account: {IBAN}. Declaration valid for 12 months.",
    ),
    # ---------------------------------------------------------------- change of address
    (
        "address_change",
        "en",
        "Change of address - please update by 31/03\nAccount holder {NAME_EN}\nFrom: "
        "{ADDR_EN}\nTo: {ADDR_EN}\nNew e-mail {EMAIL}. Keep paper statements: no.",
    ),
    # ---------------------------------------------------------------- payment recall / cheque
    (
        "recall",
        "en",
        "Returned cheque notice: cheque no. 000412 for AUD 2,150.00 drawn by {NAME_EN} was "
        "returned unpaid (reason: refer to drawer). Beneficiary: Southern Cross Roofing Pty "
        "Ltd. Fee AUD 15 charged; please contact the drawer at {PHONE_INTL}.",
    ),
]

#: (lang, text): no PII anywhere; look-alikes of several types.
NEGATIVES: list[tuple[str, str]] = [
    (
        "en",
        "Creditor Identifiers registered this quarter: SE98ZZZ556677889900, "
        "DE98ZZZ09999999999, NL52ZZZ302080000000. Mandate references follow MNDT-YYYY-NNNNNN.",
    ),
    (
        "en",
        "Portfolio holdings (ISIN, units): US0378331005 120; DE0007164600 40; "
        "CH0012005267 75; XS2462324232 nominal 200,000. LEI of the custodian "
        "549300EX04Q2QBFQTQ27.",
    ),
    (
        "en",
        "Visa dispute reason codes: 10.4 Other Fraud - Card-Absent Environment, 12.6.1 "
        "Duplicate Processing, 13.1 Merchandise/Services Not Received, 13.3 Not as "
        "Described. ARN format: 23 digits, e.g. 24692165023000123456781.",
    ),
    (
        "zh",
        "证券代码对照：600519 贵州茅台、000858 五粮液、601318 中国平安、300750 宁德时代。"
        "交收日 T+1，佣金费率万分之二点五，最低 5 元。",
    ),
    (
        "zh",
        "本行在浙江省、江苏省、四川省设有 42 家县域支行，覆盖安吉县、德清县、晋江市等地区。"
        "乡村振兴贷款余额 318 亿元，同比增长 12.6%。",
    ),
    (
        "en",
        "Probate checklist: death certificate (certified copy), grant of probate or letters "
        "of administration, executor's identification, Form IHT205. Accounts under GBP "
        "50,000 may be released without a grant.",
    ),
    (
        "mixed",
        "FX 报价 indicative rates 3/14: EUR/USD 1.0885, USD/CNH 7.2318, GBP/USD 1.2741, "
        "USD/HUF 362.40, EUR/SEK 11.204。Spot settlement T+2，Swap points on request。",
    ),
    (
        "zh",
        "反诈提示：银行工作人员不会要求您向所谓“安全账户”转账，也不会索要短信验证码。"
        "如遇可疑来电，请挂断后拨打官方客服热线核实。",
    ),
    (
        "en",
        "Beneficial owner threshold: 25% of shares or voting rights (EU AMLD 4, Article 3(6)). "
        "Entities: Baltic Amber Logistics UAB, Nordvik Energi AB, Southern Cross Roofing Pty "
        "Ltd, Adriatic Marine d.o.o.",
    ),
    (
        "mixed",
        "Chat bot intents 意图列表: CARD_LOCK 锁卡, ADDR_UPDATE 地址变更, PHONE_UPDATE "
        "手机号变更, CLOSE_ACCT 销户, DISPUTE 争议交易。Fallback to agent after 3 misses.",
    ),
    (
        "en",
        "Cheque return reasons: R01 refer to drawer, R02 insufficient funds, R03 signature "
        "differs, R04 post-dated, R05 stale cheque (older than 15 months). Fee AUD 15.",
    ),
    (
        "zh",
        "受益所有人识别标准：直接或间接拥有超过 25% 公司股权或表决权的自然人；"
        "无法识别时，以公司高级管理人员为受益所有人。依据：银发〔2017〕235 号。",
    ),
    (
        "en",
        "CRS participating jurisdictions added in 2025: Georgia, Moldova, Montenegro, "
        "Serbia. Reporting deadline 31 May. Schema version CRS XML v2.0, message ref "
        "SE2025CRS000118.",
    ),
    (
        "en",
        "SWIFT message types: MT103 single customer credit transfer, MT192 request for "
        "cancellation, MT196 answers, MT199 free format. Fields: 20 TRN, 32A value date, "
        "50K ordering customer, 59 beneficiary.",
    ),
    (
        "zh",
        "2025 年第一季度信用卡争议交易共 3,418 笔，其中欺诈类占 41.2%，未收到货物类占 27.5%，"
        "重复扣款类占 9.8%。平均处理时长 21.6 天。",
    ),
    (
        "en",
        "Power of attorney types we accept: lasting (property and financial affairs), "
        "enduring (registered before October 2007), ordinary (general), and third-party "
        "mandates on form TPM-3.",
    ),
]
