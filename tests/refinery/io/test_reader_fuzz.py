"""Property-based fuzzing of the readers: random and mutated JSONL (plain, gzip, zstd, bz2,
xz), CSV, TSV, text and Parquet files, read through the reader API and through a whole local
run.

What must hold for every input:
- planning either succeeds or raises ``SourceError`` (the documented error before a run);
- reading never raises; every batch has the core schema; ``meta`` is a strict-JSON object;
  a rejected row has a known reason and names its file;
- every non-blank JSONL line, every CSV/TSV record, every text file and every Parquet row
  gives exactly one row (for files not damaged at the byte level), and what the generator
  knows about a line (its text, id, meta, or its reason) is what the reader says;
- a damaged compressed file gives at most one ``unreadable_file`` row, last;
- a run reconciles: ``docs_in`` is the number of rows read, every one is in the shards or in
  ``rejects/`` with a reason, and ``refinery inspect`` accepts the run directory.

CI runs a fixed, bounded set of examples (about 20 s on two cores). A longer run explores
new ones: ``REFINERY_FUZZ_EXAMPLES=2000 pytest tests/refinery/io/test_reader_fuzz.py``
(the number of examples per test; see docs/robustness.md (Readers)).
"""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, event, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from refinery.config import validate_config  # noqa: E402
from refinery.errors import SourceError  # noqa: E402
from refinery.io.readers import BATCH_SCHEMA, get_reader  # noqa: E402
from refinery.io.readers.sniff import compression_of, sniff  # noqa: E402

#: Examples per test for a long run; 0 (unset) means the bounded CI set.
LONG_RUN = int(os.environ.get("REFINERY_FUZZ_EXAMPLES", "0") or 0)

READER_REASONS = {
    "malformed_json",
    "not_an_object",
    "missing_text",
    "invalid_utf8",
    "invalid_encoding",
    "malformed_csv_row",
    "empty_file",
    "unreadable_file",
}


def fuzz(ci_examples: int) -> Any:
    """Hypothesis settings: a fixed CI set, or ``REFINERY_FUZZ_EXAMPLES`` random ones."""
    common: dict[str, Any] = {
        "deadline": None,
        "database": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    }
    if LONG_RUN:
        return settings(max_examples=LONG_RUN, **common)
    return settings(max_examples=ci_examples, derandomize=True, **common)


from tests.refinery.io import fuzz_inputs as inputs  # noqa: E402

Case, Expect = inputs.Case, inputs.Expect
any_case, delimited_cases = inputs.any_case, inputs.delimited_cases
jsonl_cases, parquet_cases, txt_cases = inputs.jsonl_cases, inputs.parquet_cases, inputs.txt_cases
strict_json = inputs.strict_json


# --- checks --------------------------------------------------------------------------------


def _source(case: Case, path: Path, name: str = "t") -> dict[str, Any]:
    return {"name": name, "path": str(path), "sensitivity": "public", **case.source}


def read_case(case: Case, directory: Path) -> list[dict[str, Any]] | None:
    """The rows of ``case`` read with the reader API, checked; None if planning refused it."""
    path = directory / case.name
    path.write_bytes(case.data)
    src = validate_config({"sources": [_source(case, path)]}).sources[0]
    reader = get_reader(src.reader)
    try:
        tasks = reader.plan(src, 0)
    except SourceError as exc:
        assert str(path) in str(exc), exc
        _check_refusal(case, exc)
        event(f"{case.kind}: refused at plan time")
        return None
    rows = []
    for task in tasks:
        for table in reader.read(src, task):
            assert table.schema.equals(BATCH_SCHEMA)
            rows += table.to_pylist()
    _check_rows(case, rows, path)
    for reason in sorted({r["reject_reason"] or "kept" for r in rows}):
        event(f"{case.kind}: {reason}")
    return rows


def _check_refusal(case: Case, exc: SourceError) -> None:
    """Planning may refuse a file only for what it looks like or for a broken header."""
    message = str(exc)
    if case.rows is not None:
        # an intact file is refused only when its first bytes look like another format
        assert case.kind != "parquet", message
        head = case.data[:512]
        assert sniff(head) is not None or compression_of(head) is not None, message


def _check_rows(case: Case, rows: list[dict[str, Any]], path: Path) -> None:
    assert rows, "a file gives at least one row"
    for row in rows:
        assert row["id"] and row["source"] == "t" and row["sensitivity"] == "public"
        meta = strict_json(row["meta"])
        assert isinstance(meta, dict)
        if row["reject_reason"] is not None:
            assert row["reject_reason"] in READER_REASONS, row["reject_reason"]
            assert meta["file"] == str(path)
        else:
            assert row["text"] is not None
    unreadable = [i for i, r in enumerate(rows) if r["reject_reason"] == "unreadable_file"]
    assert unreadable in ([], [len(rows) - 1]), "at most one unreadable_file row, last"
    if case.rows is None:
        return
    if case.extra.get("compressed") and sniff(case.extra["head"]) is not None:
        # decompressed, the file looks like another format (its random first line starts
        # with a magic number): one unreadable_file row says so
        assert [r["reject_reason"] for r in rows] == ["unreadable_file"]
        return
    assert len(rows) == len(case.rows), (len(rows), len(case.rows))
    for row, expect in zip(rows, case.rows, strict=True):
        if expect is None:
            continue
        assert row["reject_reason"] == expect.reason, (row, expect)
        if expect.reason is not None:
            continue
        if expect.check_text and expect.text is not None:
            text = expect.text.removeprefix("\ufeff") if case.kind == "txt" else expect.text
            assert row["text"] == text
        if expect.id is not None:
            assert row["id"] == expect.id
        if expect.meta is not None:
            assert strict_json(row["meta"]) == expect.meta


# --- the properties ------------------------------------------------------------------------


@fuzz(100)
@given(jsonl_cases())
@example(  # found by a long run: a gzip file, no suffix, whose first line starts "Obj\x01"
    Case(
        "docs.jsonl",
        gzip.compress(b'Obj\x01\n{"text": ""}'),
        {"reader": "jsonl", "id_field": "id"},
        [None, Expect(None, text="")],
        "jsonl",
        {"head": b'Obj\x01\n{"text": ""}', "compressed": True},
    )
)
def test_jsonl_reader_survives_random_and_mutated_files(case: Case) -> None:
    with tempfile.TemporaryDirectory() as d:
        read_case(case, Path(d))


@fuzz(80)
@given(delimited_cases())
def test_csv_and_tsv_readers_survive_random_and_mutated_files(case: Case) -> None:
    with tempfile.TemporaryDirectory() as d:
        read_case(case, Path(d))


@fuzz(50)
@given(txt_cases())
def test_txt_reader_survives_random_files(case: Case) -> None:
    with tempfile.TemporaryDirectory() as d:
        read_case(case, Path(d))


@fuzz(60)
@given(parquet_cases())
def test_parquet_reader_survives_random_and_mutated_files(case: Case) -> None:
    with tempfile.TemporaryDirectory() as d:
        read_case(case, Path(d))


@fuzz(40)
@given(st.lists(any_case, min_size=1, max_size=3))
def test_a_local_run_over_random_files_reconciles(cases: list[Case]) -> None:
    from click.testing import CliRunner

    from refinery.cli import main
    from refinery.pipeline import run_pipeline

    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        sources, expected_in = [], 0
        for i, case in enumerate(cases):
            (root / f"s{i}").mkdir()
            rows = read_case(case, root / f"s{i}")
            if rows is None:
                return  # planning refuses this file; read_case checked the message
            expected_in += len(rows)
            sources.append(_source(case, root / f"s{i}" / case.name, name=f"s{i}"))
        cfg = validate_config(
            {
                "run": {"name": "fuzz", "output": str(root / "run")},
                "runtime": "local",
                "sources": sources,
                "stages": [{"stage": "normalize"}],
            }
        )
        stats = run_pipeline(cfg).stats
        event("run finished")
        assert stats["reconciled"], stats["problems"]
        assert stats["docs_in"] == expected_in
        shards = _rows(root / "run" / "shards")
        rejects = _rows(root / "run" / "rejects")
        assert stats["docs_out"] == shards and stats["docs_rejected"] == rejects
        assert shards + rejects == expected_in
        if rejects:
            reasons = pq.read_table(root / "run" / "rejects")["reject_reason"]
            assert reasons.null_count == 0
        result = CliRunner().invoke(main, ["inspect", str(root / "run")])
        assert result.exit_code == 0, result.output


def _rows(directory: Path) -> int:
    if not directory.exists():
        return 0
    return sum(pq.ParquetFile(p).metadata.num_rows for p in directory.rglob("*.parquet"))
