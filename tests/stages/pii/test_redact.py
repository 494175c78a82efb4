"""The pii_redact stage on Arrow batches, without Ray."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from pydantic import ValidationError

from refinery.errors import ConfigError
from refinery.stage import REJECT_REASON, get_stage
from stages.pii.redact import COUNTS_COLUMN, PiiRedactor, normalise_value

pytest.importorskip("jieba")

ID = "11010519491231002X"
TEXTS = [
    f"客户张伟，身份证号{ID}，手机138 1234 5678。",
    "Dear Mr. John Smith, card 4111 1111 1111 1111 is blocked. Mail john.smith@example.com.",
    "没有个人信息的普通文本。",
    "",
    None,
]


def _batch(texts: list[str | None] = TEXTS) -> pa.Table:
    n = len(texts)
    return pa.table(
        {
            "id": [f"d{i}" for i in range(n)],
            "text": pa.array(texts, pa.string()),
            "source": ["bank"] * n,
            "sensitivity": ["confidential"] * n,
            "meta": ["{}"] * n,
            "extra": list(range(n)),
        }
    )


@pytest.fixture(scope="module")
def masker() -> PiiRedactor:
    stage = PiiRedactor()
    stage.setup()
    return stage


def test_registered_and_marked_as_redacting() -> None:
    cls = get_stage("pii_redact")
    assert cls is PiiRedactor and cls.redacts_pii


def test_masks_with_type_tags_and_counts(masker: PiiRedactor) -> None:
    out = masker(_batch())
    texts = out["text"].to_pylist()
    assert texts[0] == "客户[NAME]，身份证号[ID_CARD]，手机[PHONE]。"
    assert texts[1] == "Dear Mr. [NAME], card [BANK_CARD] is blocked. Mail [EMAIL]."
    assert texts[2:] == TEXTS[2:]
    counts = [json.loads(c) for c in out[COUNTS_COLUMN].to_pylist()]
    assert counts[0] == {"ID_CARD": 1, "NAME": 1, "PHONE": 1}
    assert counts[1] == {"BANK_CARD": 1, "EMAIL": 1, "NAME": 1}
    assert counts[2:] == [{}, {}, {}]
    assert out[REJECT_REASON].null_count == out.num_rows
    assert out["extra"].to_pylist() == list(range(len(TEXTS)))
    assert out.schema.field(COUNTS_COLUMN).type == pa.string()


def test_empty_batch_has_declared_columns(masker: PiiRedactor) -> None:
    out = masker(_batch([]))
    assert out.num_rows == 0
    assert {"text", COUNTS_COLUMN, REJECT_REASON} <= set(out.column_names)


def test_counts_never_hold_values(masker: PiiRedactor) -> None:
    out = masker(_batch())
    blob = json.dumps(out.drop_columns(["text"]).to_pylist(), ensure_ascii=False)
    for value in (ID, "张伟", "13812345678", "138 1234 5678", "4111", "john.smith"):
        assert value not in blob
        assert value not in "".join(t or "" for t in out["text"].to_pylist())


def test_pseudonyms_are_consistent_and_keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFINERY_PII_KEY", "key-one")
    a = PiiRedactor(action="pseudonymize")
    a.setup()
    texts = [
        f"身份证{ID}",
        "证件号 110105 19491231 002X",
        "手机13812345678",
        "电话+86 138-1234-5678",
    ]
    first = a(_batch(texts))["text"].to_pylist()
    assert first[0][3:] == first[1][4:]  # same ID written two ways → same token
    assert first[2][2:] == first[3][2:]  # +86 and dashes normalised away
    assert first[0].startswith("身份证[ID_CARD_") and len(first[0]) == len("身份证[ID_CARD_]") + 12
    again = PiiRedactor(action="pseudonymize")
    again.setup()
    assert again(_batch(texts))["text"].to_pylist() == first  # another worker, same key
    monkeypatch.setenv("REFINERY_PII_KEY", "key-two")
    other = PiiRedactor(action="pseudonymize")
    other.setup()
    assert other(_batch(texts))["text"].to_pylist() != first
    assert "key-one" not in repr(a) and "key-two" not in repr(other)


def test_pseudonymize_without_key_fails_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BANK_PII_KEY", raising=False)
    stage = PiiRedactor(actions={"NAME": "pseudonymize"}, key_env="BANK_PII_KEY")
    with pytest.raises(ConfigError, match="BANK_PII_KEY"):
        stage.setup()


def test_drop_rejects_rows_and_still_redacts_them() -> None:
    stage = PiiRedactor(actions={"ID_CARD": "drop", "BANK_CARD": "drop"})
    stage.setup()
    out = stage(_batch())
    assert out[REJECT_REASON].to_pylist() == ["pii_id_card", "pii_bank_card", None, None, None]
    assert ID not in out["text"][0].as_py()
    assert out.num_rows == len(TEXTS)


def test_only_selected_entities() -> None:
    stage = PiiRedactor(entities=["EMAIL", "PHONE"])
    stage.setup()
    texts = stage(_batch())["text"].to_pylist()
    assert texts[0] == f"客户张伟，身份证号{ID}，手机[PHONE]。"
    assert "[EMAIL]" in texts[1] and "John Smith" in texts[1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"entities": ["SSN"]},
        {"actions": {"SSN": "mask"}},
        {"action": "erase"},
        {"key_env": "my key"},
        {"colour": 1},
    ],
)
def test_config_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PiiRedactor(**kwargs)


def test_normalised_values() -> None:
    assert normalise_value("BANK_CARD", "4111 1111-1111 1111") == "4111111111111111"
    assert normalise_value("PHONE", "+86 138-1234-5678") == normalise_value("PHONE", "13812345678")
    assert normalise_value("NAME", "John  SMITH") == normalise_value("NAME", "john smith")
