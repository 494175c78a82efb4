"""refinery.privacy: ids pseudonymised where read, rejects guarded, stage errors scrubbed."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from refinery.config import SourceConfig
from refinery.errors import ConfigError
from refinery.privacy import ReadGuard, guard_rejects, pseudonymize_id, stage_failure


def _batch(sensitivity: list[str], ids: list[str], source: str = "crm") -> pa.Table:
    n = len(ids)
    return pa.table(
        {
            "id": ids,
            "text": [f"text {i}" for i in range(n)],
            "source": [source] * n,
            "sensitivity": sensitivity,
            "meta": [
                json.dumps({"file": "a.jsonl", "line": i, "phone": "13912345678"}) for i in range(n)
            ],
        }
    )


def _src(**kw) -> SourceConfig:
    return SourceConfig.model_validate({"name": "crm", "path": "x.jsonl", **kw})


def test_ids_of_confidential_rows_with_an_id_field_are_keyed_hashes(monkeypatch) -> None:
    monkeypatch.setenv("REFINERY_PII_KEY", "k1")
    guard = ReadGuard.from_sources([_src(sensitivity="confidential", id_field="cust")])
    out = guard(_batch(["confidential", "public", "confidential"], ["A1", "A1", "A2"]))
    ids = out["id"].to_pylist()
    assert ids[0] == pseudonymize_id(b"k1", "A1") and ids[0].startswith("pid_")
    assert ids[1] == "A1"  # not a confidential row
    assert ids[2] != ids[0]
    assert guard(_batch(["confidential"], ["A1"]))["id"].to_pylist() == [ids[0]]  # stable
    monkeypatch.setenv("REFINERY_PII_KEY", "k2")
    assert guard(_batch(["confidential"], ["A1"]))["id"].to_pylist() != [ids[0]]  # keyed


def test_no_guard_for_derived_ids_kept_ids_or_public_sources() -> None:
    assert not ReadGuard.from_sources([_src(sensitivity="confidential")])  # derived ids
    assert not ReadGuard.from_sources(
        [_src(sensitivity="confidential", id_field="cust", ids="keep")]
    )
    assert not ReadGuard.from_sources([_src(sensitivity="public", id_field="cust")])


def test_a_missing_key_is_an_error_naming_the_source_and_variable(monkeypatch) -> None:
    monkeypatch.delenv("BANK_ID_KEY", raising=False)
    guard = ReadGuard.from_sources(
        [_src(sensitivity="confidential", id_field="cust", id_key_env="BANK_ID_KEY")]
    )
    with pytest.raises(ConfigError, match=r"'crm'.*'BANK_ID_KEY'"):
        guard.check_keys()
    with pytest.raises(ConfigError, match="BANK_ID_KEY"):
        guard(_batch(["confidential"], ["A1"]))


def test_confidential_sources_copy_only_listed_meta_fields() -> None:
    assert _src(sensitivity="confidential").meta_fields == []
    assert _src(sensitivity="confidential", meta_fields=["branch"]).meta_fields == ["branch"]
    assert _src(sensitivity="public").meta_fields is None


def test_rejects_before_redaction_lose_text_and_all_but_location_meta() -> None:
    table = _batch(["confidential", "confidential", "public"], ["a", "b", "c"]).append_column(
        "reject_stage", pa.array(["length_filter", "quality", "length_filter"])
    )
    out = guard_rejects(
        table, after_redaction={"pii_redact", "quality"}, confidential_text="keep_redacted"
    )
    rows = out.to_pylist()
    assert rows[0]["text"] is None
    assert json.loads(rows[0]["meta"]) == {"file": "a.jsonl", "line": 0}
    assert rows[1]["text"] == "text 1" and "phone" in json.loads(
        rows[1]["meta"]
    )  # redacted upstream
    assert rows[2] == table.to_pylist()[2]  # public rows untouched
    omitted = guard_rejects(table, after_redaction={"pii_redact", "quality"}).to_pylist()
    assert omitted[1]["text"] is None


def test_stage_errors_withhold_the_message_for_confidential_batches() -> None:
    exc = ValueError("row says 11010519491231002X")
    public = stage_failure("s", _batch(["public"], ["a"]), exc)
    assert "11010519491231002X" in str(public) and "ValueError" in str(public)
    secret = stage_failure("s", _batch(["public", "confidential"], ["a", "b"]), exc)
    assert "11010519491231002X" not in str(secret)
    assert str(secret) == (
        "stage 's' failed on a batch of 2 rows (ids a..b): ValueError "
        "(message withheld: the batch holds confidential rows)"
    )
