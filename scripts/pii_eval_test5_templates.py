"""Carrier texts of the round-5 test split of the PII evaluation set (data/pii_eval/test.jsonl).

Written after round 4's test split (now ``dev5``) had been scored, before any round-5 change
to the detector, and apart from the tuning templates: genres no earlier split used (remittance
advice, collections call notes, insurance claim forms, trade-finance letters of credit, payroll
files, HR onboarding forms, mortgage valuation reports). A ``{SLOT}`` is filled with a value
from ``scripts/pii_eval_test5_pools.py``; the filled value is the gold span. Text outside the
slots holds no PII (no staff names, no functional mailboxes, no service lines): roles, titles,
amounts, dates, reference numbers, policy and product codes only, many of them look-alikes.

Nothing here is used to tune the detector: the split is scored once, at the end of round 5.

Slots: NAME_ZH NAME_EN ADDR_ZH ADDR_EN ID CARD CODE IBAN BIC PHONE_ZH PHONE_INTL EMAIL.
"""

from __future__ import annotations

#: (kind, lang, text)
TEMPLATES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- remittance advice
    (
        "remittance",
        "en",
        "REMITTANCE ADVICE  No. RA-2025-004417\nWe have today remitted EUR 18,420.55 in "
        "settlement of invoices INV-8812 and INV-8813.\nPayee: {NAME_EN}\nCredited to "
        "{IBAN} via {BIC}\nValue date 14.02.2025. Please quote RA-2025-004417 in any query.",
    ),
    (
        "remittance",
        "zh",
        "汇款通知书　编号 HK20250311-0087\n汇款人：{NAME_ZH}　证件号码：{ID}\n收款人账户：{IBAN}，"
        "收款银行代码 {BIC}\n金额：USD 3,600.00　用途：留学学费\n如有疑问请致电 {PHONE_ZH}。",
    ),
    (
        "remittance",
        "en",
        "Remittance details for batch 77/2025 (2 items)\n1) {NAME_EN} | {IBAN} | 1,250.00\n"
        "2) {NAME_EN} | {IBAN} | 980.40\n"
        "Beneficiary bank for all items {BIC}. Charges: SHA.",
    ),
    # ---------------------------------------------------------------- collections call notes
    (
        "collections",
        "en",
        "Collections call log, account in arrears 62 days (bucket B2).\n09:41 outbound call to "
        "{PHONE_INTL}, spoke with {NAME_EN}. Promise to pay MYR 1,150 by 28th. Customer "
        "confirmed the current address as {ADDR_EN}. Next action: SMS reminder on day 25.",
    ),
    (
        "collections",
        "zh",
        "催收记录（M2 阶段）\n2025-03-04 10:12 致电 {PHONE_ZH}，{NAME_ZH}本人接听，承诺本月 20 日前"
        "还款 3,000 元。\n核实居住地址：{ADDR_ZH}。备注：客户称已换工作，暂无新单位电话。",
    ),
    (
        "collections",
        "mixed",
        "Field visit report 外访报告 #FV-3390\n债务人 {NAME_ZH}，visited {ADDR_ZH} on 12 Mar; "
        "nobody home, notice left with the property office.\n新联系电话 {PHONE_ZH}，"
        "email {EMAIL}. Case stays in queue C-7.",
    ),
    (
        "collections",
        "en",
        "Hi {NAME_EN}, your card ending 0093 is 31 days past due (minimum due USD 85.00). Reply "
        "PAY to get a payment link or call us back on the number on your statement. Ref CL-5521",
    ),
    # ---------------------------------------------------------------- insurance claim forms
    (
        "claim",
        "en",
        "CLAIM FORM - TRAVEL INSURANCE (policy TRV-0042-7781)\nSection A. Claimant\nFull name: "
        "{NAME_EN}\nHome address: {ADDR_EN}\nTelephone: {PHONE_INTL}\nE-mail: {EMAIL}\n"
        "Section B. Payment of claim: card number for refund {CARD}",
    ),
    (
        "claim",
        "zh",
        "理赔申请书（意外医疗）保单号 PA2025-00318\n被保险人：{NAME_ZH}　身份证：{ID}\n"
        "出险地点：{ADDR_ZH}\n领款人银行卡号：{CARD}　联系电话：{PHONE_ZH}\n"
        "申请金额：人民币 12,480 元（大写：壹万贰仟肆佰捌拾元整）",
    ),
    (
        "claim",
        "en",
        "Motor claim MC/25/118 - statement of witness. I was driving behind the insured vehicle "
        "when it stopped at the junction. The other driver, {NAME_EN}, lives at {ADDR_EN} and "
        "gave me {PHONE_INTL} as a contact. Signed at branch 041.",
    ),
    # ---------------------------------------------------------------- letters of credit
    (
        "lc",
        "en",
        "IRREVOCABLE DOCUMENTARY CREDIT No. LC/IMP/2025/0912\nApplicant: {NAME_EN}, "
        "{ADDR_EN}\nBeneficiary: Pacific Timber Trading Ltd\nAdvising bank {BIC}\nAmount: "
        "USD 412,000.00 CIF Port Klang, Incoterms 2020. Latest shipment 30 Apr 2025.",
    ),
    (
        "lc",
        "zh",
        "信用证开证申请书\n申请人：{NAME_ZH}（统一社会信用代码 {CODE}）\n地址：{ADDR_ZH}\n"
        "通知行 SWIFT：{BIC}\n信用证金额：EUR 86,500.00，有效期至 2025 年 6 月 30 日，"
        "单据：提单三正三副、发票一式五份。",
    ),
    (
        "lc",
        "mixed",
        "MT700 extract\n:31C: 250214\n:50: {NAME_EN}\n{ADDR_EN}\n:59: 深圳市宏远进出口有限公司\n"
        ":57A: {BIC}\n:32B: USD 128,400,00\n:45A: 5,000 PCS LED PANELS HS 9405.42",
    ),
    # ---------------------------------------------------------------- payroll files
    (
        "payroll",
        "zh",
        "2025年2月代发工资明细（企业编号 PAY-0318）\n序号\t姓名\t身份证号\t工资卡号\t实发金额\n"
        "1\t{NAME_ZH}\t{ID}\t{CARD}\t8,650.00\n2\t{NAME_ZH}\t{ID}\t{CARD}\t12,300.50",
    ),
    (
        "payroll",
        "en",
        "PAYROLL EXPORT 2025-02 (SEPA credit transfers, 2 lines)\n"
        "emp_no;name;iban;bic;net\n00417;{NAME_EN};{IBAN};{BIC};3,412.08\n"
        "00418;{NAME_EN};{IBAN};{BIC};2,977.60",
    ),
    (
        "payroll",
        "mixed",
        "Payroll exception 薪资异常 E-22: 员工 {NAME_ZH} 的工资卡 {CARD} 被退回 (reason AC04 "
        "closed account)。请于 3 个工作日内提供新卡号；HR contact for the employee: {EMAIL}.",
    ),
    # ---------------------------------------------------------------- HR onboarding
    (
        "onboarding",
        "en",
        "NEW HIRE ONBOARDING CHECKLIST - start date 03/03/2025, grade B4\nEmployee: "
        "{NAME_EN}\nPersonal e-mail: {EMAIL}  Mobile: {PHONE_INTL}\nMailing address: "
        "{ADDR_EN}\nEmergency contact: {NAME_EN} ({PHONE_INTL})\nLaptop asset tag LT-88213.",
    ),
    (
        "onboarding",
        "zh",
        "入职登记表　工号 E20250217\n姓名 {NAME_ZH}　性别 女　民族 汉\n身份证号码 {ID}\n"
        "现居住地址 {ADDR_ZH}\n紧急联系人 {NAME_ZH}（母亲）电话 {PHONE_ZH}\n"
        "工资卡开户行及卡号 {CARD}",
    ),
    (
        "onboarding",
        "en",
        "Welcome aboard! Before your first day please send your tax form and a copy of your "
        "ID to onboarding. We have your address on file as {ADDR_EN}; if that is wrong reply "
        "to this message. - People Team, ref ONB-7730 (for {NAME_EN})",
    ),
    # ---------------------------------------------------------------- mortgage valuation
    (
        "valuation",
        "en",
        "MORTGAGE VALUATION REPORT  (lender ref MV-25-0419)\nProperty: {ADDR_EN}\nBorrower: "
        "{NAME_EN}\nTenure: freehold. Construction: brick, 1998. Market value: 685,000. "
        "Reinstatement cost: 410,000. Valuer's comments: no defects noted.",
    ),
    (
        "valuation",
        "zh",
        "房地产抵押估价报告（估价报告编号 GJ-2025-0211）\n估价对象：{ADDR_ZH}\n产权人：{NAME_ZH}，"
        "共有人：{NAME_ZH}\n建筑面积 128.46 平方米，评估单价 31,200 元/平方米，总价 4,007,952 元。",
    ),
    (
        "valuation",
        "mixed",
        "估价机构现场查勘记录 site inspection: 借款人 {NAME_EN} 陪同查勘，the property at "
        "{ADDR_EN} is a 3-bedroom unit on the 12th floor. 联系方式 {PHONE_INTL}。",
    ),
    # ---------------------------------------------------------------- other bank notices
    (
        "kyc_table",
        "en",
        "Branch visitor register 11/03 (no header row printed)\n"
        "{NAME_EN}\t10:05\tcounter 2\tdeposit\n{NAME_EN}\t10:22\tcounter 4\tcard replacement\n"
        "{NAME_EN}\t10:40\tcounter 1\tpassbook update",
    ),
    (
        "beneficiary",
        "mixed",
        "Screening alert SA-5512: the payee {NAME_EN} of transfer TRF-20250305-77 matched 0 "
        "entries. 收款行 {BIC}，收款账号 {IBAN}。Alert closed as false positive by L1.",
    ),
]

#: Hard negatives: (lang, text). Look-alikes of every family, no PII.
NEGATIVES: list[tuple[str, str]] = [
    (
        "en",
        "Letter of credit LC/EXP/2025/0044 amended: latest shipment moved from 15 Apr to 30 Apr; "
        "tolerance +/- 5%; partial shipments ALLOWED; transhipment PROHIBITED; documents "
        "within 21 days. Port of loading SHANGHAI, port of discharge ROTTERDAM.",
    ),
    (
        "en",
        "Payroll run summary: 1,284 employees, gross 6,402,118.40, tax 1,120,450.00, net "
        "5,281,668.40. Batch PAYRUN2025FEB02 released at 16:40. Rejected lines: 3 (AC04, AC01, "
        "MD07).",
    ),
    (
        "zh",
        "理赔流程说明：报案后 24 小时内提交理赔申请书、医疗发票原件、费用清单和诊断证明；"
        "材料齐全后 10 个工作日内结案。客服热线 95511 转 3，服务时间 8:00-20:00。",
    ),
    (
        "en",
        "Valuation methodology: the comparison approach was applied to 6 transactions within "
        "1.5 km, adjusted for floor level (+2% per floor above 10), age (-0.8% per year) and "
        "view. Indicated value range 655,000 to 702,000.",
    ),
    (
        "zh",
        "本行 2025 年第一季度代发工资业务量同比增长 18.6%，覆盖企业 3,412 家，其中制造业占 41%，"
        "服务业占 33%。代发批次号规则：PAY + 年月 + 四位流水号，如 PAY2025030001。",
    ),
    (
        "en",
        "Incoterms quick guide: EXW, FCA, CPT, CIP, DAP, DPU, DDP for any mode; FAS, FOB, CFR, "
        "CIF for sea and inland waterway. UCP 600 Article 14(c): presentation within 21 days "
        "after shipment.",
    ),
    (
        "en",
        "Collections strategy 2025: bucket B1 (1-30 days) SMS and e-mail only; B2 (31-60) "
        "outbound calls 09:00-20:00; B3 (61-90) field visits in Selangor, Johor and Penang; "
        "write-off review at 180 days.",
    ),
    (
        "zh",
        "估价对象位于城市核心区，周边有地铁 2 号线、4 号线，步行 800 米可达商业中心。"
        "区域内同类住宅成交均价约 3.1 万元/平方米，近一年上涨 2.4%。",
    ),
    (
        "en",
        "HR policy HRP-12 rev 4: new hires complete onboarding modules OB-101 to OB-106 within "
        "30 days. Equipment: laptop model ELITEBOOK 840 G10, monitor P24H G5, headset "
        "EVOLVE2 65.",
    ),
    (
        "mixed",
        "SWIFT gpi 跟踪：UETR 97ed4827-7b6f-4491-a06f-b548d5a7512d，状态 ACCC（已入账），"
        "手续费 USD 25.00，汇率 7.1832。MT103 field 71A: SHA.",
    ),
    (
        "en",
        "Insurance product codes: TRV-SGL (single trip), TRV-ANN (annual multi-trip), "
        "MOTOR-COMP, MOTOR-TPFT, HOME-BLDG, HOME-CONT. Claims reserve ratio 62.4%.",
    ),
    (
        "zh",
        "信用证审单要点：发票抬头须与申请人名称一致；提单须注明运费已付；保险单金额不低于发票金额的 "
        "110%；装箱单列明毛重、净重和箱数。不符点费每笔 USD 80。",
    ),
    (
        "en",
        "Branch directory: Kuala Lumpur Main, Penang George Town, Johor Bahru City Square, "
        "Dhaka Gulshan, Makati Ayala, Quezon City, Montreal Centre-Ville, Quebec City, "
        "Durban, Cape Town. Opening hours 09:30-16:00.",
    ),
    (
        "mixed",
        "Transaction code table 交易码: TRF01 转账, DEP02 存款, WDL03 取款, FXC04 结售汇, "
        "PAYROLL5 代发, LCISSUE6 开证。Reference format: YYYYMMDD-NNNNNN.",
    ),
    (
        "en",
        "Market update: Bank Negara held the OPR at 3.00%; Bangladesh Bank raised its policy "
        "rate to 10%; Bangko Sentral cut by 25 bp. Jalan-Jalan Travel Fund and Taman Growth "
        "Fund closed at 1.0842 and 0.9971.",
    ),
    (
        "zh",
        "系统升级公告：网银将于 3 月 15 日 00:00-06:00 停机维护，版本号 V5.12.0-build3418。"
        "维护期间 ATM、POS 交易不受影响，手机银行仅可查询。",
    ),
]
