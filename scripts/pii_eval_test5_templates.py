"""Carrier texts of round 5's test split of the PII evaluation set (now ``dev6``), in
``data/pii_eval/carriers/test5.json``: remittance advice, collections call notes, insurance
claim forms, trade-finance letters of credit, payroll files, HR onboarding forms, mortgage
valuation reports.

Values come from ``scripts/pii_eval_test5_pools.py``. How the split was made (written before
any round-5 detector change, apart from the tuning templates, no PII outside the slots,
scored once) and its slots: ``data/pii_eval/README.md``.
"""

from __future__ import annotations

from pii_eval_carriers import load

#: (kind, lang, text) and (lang, text), in data/pii_eval/carriers/test5.json
TEMPLATES, NEGATIVES = load("test5")
