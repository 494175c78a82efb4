"""Carrier texts of round 4's test split of the PII evaluation set (now ``dev5``), in
``data/pii_eval/carriers/test4.json``: customer-service tickets, audit findings, loan committee
minutes, KYC refresh notes, dispute letters, bilingual SMS, safe-deposit and branch registers.

Values come from ``scripts/pii_eval_test4_pools.py``. How the split was made (written before
any round-4 detector change, apart from the tuning templates, no PII outside the slots,
scored once) and its slots: ``data/pii_eval/README.md``.
"""

from __future__ import annotations

from pii_eval_carriers import load

#: (kind, lang, text) and (lang, text), in data/pii_eval/carriers/test4.json
TEMPLATES, NEGATIVES = load("test4")
