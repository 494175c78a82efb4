"""Carrier texts of round 6's test split of the PII evaluation set (now ``dev7``), in
``data/pii_eval/carriers/test6.json``: SEPA direct debit mandates, CRS tax self-certifications,
FX and securities trade confirmations, chargeback case files, bereavement notices, powers of
attorney, fraud case notes, in-app chat transcripts, mixed-language internal e-mails, account
closure requests, beneficial-owner declarations, address change requests, returned-cheque
notices, payment recall requests.

Values are declared in ``data/pii_eval/pools/test6.json``. How the split was made (written before
any round-6 detector change, apart from the tuning templates, no PII outside the slots,
scored once) and its slots: ``data/pii_eval/README.md``.
"""

from __future__ import annotations

from pii_eval_carriers import load

#: (kind, lang, text) and (lang, text), in data/pii_eval/carriers/test6.json
TEMPLATES, NEGATIVES = load("test6")
