"""Carrier texts of round 3's test split of the PII evaluation set (now ``dev4``), in
``data/pii_eval/carriers/test3.json``: loan applications, complaint letters, call-centre
transcripts with timestamps, wire-transfer forms, spreadsheets pasted as text, WeChat-style
group chats, bilingual notices.

Values come from ``scripts/pii_eval_test3_pools.py``. How the split was made (written before
any round-3 detector change, apart from the tuning templates, no PII outside the slots,
scored once) and its slots: ``data/pii_eval/README.md``.
"""

from __future__ import annotations

from pii_eval_carriers import load

#: (kind, lang, text) and (lang, text), in data/pii_eval/carriers/test3.json
TEMPLATES, NEGATIVES = load("test3")
