"""Carrier texts of round 7's test split of the PII evaluation set (now ``dev8``), in
``data/pii_eval/carriers/test7.json``: wealth-management onboarding profiles and notes,
insurance beneficiary changes, loan restructuring letters and agreements, complaint
escalations and a customer's letter, call summaries, WhatsApp- and WeChat-style chats,
bilingual account and card statements, a KYC periodic review, a corporate account mandate, a
faxed payment instruction and a hardship application.

Values are declared in ``data/pii_eval/pools/test7.json``. How the split was made (written before
any round-7 detector change, apart from the tuning templates, no PII outside the slots,
scored once) and its slots: ``data/pii_eval/README.md``.
"""

from __future__ import annotations

from pii_eval_carriers import load

#: (kind, lang, text) and (lang, text), in data/pii_eval/carriers/test7.json
TEMPLATES, NEGATIVES = load("test7")
