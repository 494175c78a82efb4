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

from pii_eval_carriers import load

#: (kind, lang, text) and (lang, text), in data/pii_eval/carriers/tuning.json
TEMPLATES, NEGATIVES = load("tuning")
