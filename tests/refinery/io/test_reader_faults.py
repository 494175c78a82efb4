"""Hostile input for the readers: each bad-input class of issue 11 gives a reject row with a
reason (or a plan-time error naming the file), never a crash that loses the run and never a
silent loss. docs/robustness.md (Readers) lists them with these tests."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from refinery.config import validate_config
from refinery.errors import SourceError
from refinery.io.readers import stable_id
from refinery.io.readers.records import MAX_DEPTH, meta_json
from refinery.pipeline import run_pipeline
from tests.refinery.io.reading import read_rows

read = read_rows


def strict_json(text: str) -> object:
    """json.loads that refuses NaN/Infinity, as RFC 8259 parsers do."""

    def refuse(name: str) -> object:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def nested(depth: int) -> str:
    """A JSON value of ``depth`` nested arrays."""
    return "[" * depth + "]" * depth


# --- deep nesting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("depth", "with_float"),
    [(2000, False), (100_000, False), (600, False), (600, True), (MAX_DEPTH, False)],
)
def test_deeply_nested_line_is_malformed_json_and_the_file_goes_on(tmp_path, depth, with_float):
    # 2,000 and 100,000 levels: past orjson's limit, RecursionError in json; 600: orjson
    # parses it, but json.dumps of meta (and stages walking meta) would run out of stack.
    extra = ', "score": 0.5' if with_float else ""
    p = tmp_path / "deep.jsonl"
    p.write_text(
        '{"text": "before"}\n'
        f'{{"text": "deep", "m": {nested(depth - 1)}{extra}}}\n'
        '{"text": "after"}\n',
        encoding="utf-8",
    )
    out = read(p)
    assert [r["text"] for r in out][::2] == ["before", "after"]
    if depth <= MAX_DEPTH:  # the deepest accepted record: read, its meta intact
        assert out[1]["reject_reason"] is None
        assert json.loads(out[1]["meta"])["m"] == json.loads(nested(depth - 1))
        return
    bad = out[1]
    assert bad["reject_reason"] == "malformed_json"
    assert json.loads(bad["meta"]) == {
        "file": str(p),
        "line": 2,
        "error": f"nested deeper than {MAX_DEPTH} levels",
    }
    assert bad["id"] == stable_id("t", "deep.jsonl", 2)


# --- lone surrogates ----------------------------------------------------------------------


def test_lone_surrogate_in_text_meta_or_id_is_invalid_utf8(tmp_path):
    p = tmp_path / "sur.jsonl"
    p.write_text(
        '{"id": "a", "text": "bad \\ud800 text"}\n'
        '{"id": "b", "text": "fine", "note": "bad \\udc00 meta"}\n'
        '{"id": "c", "text": "fine", "bad \\ud800 key": 1}\n'
        '{"id": "\\ud800", "text": "bad id"}\n'
        '{"id": "e", "text": "a pair is fine: \\ud83d\\ude00", "score": 0.5}\n'
        '{"id": "f", "text": ["\\ud800"]}\n',
        encoding="utf-8",
    )
    out = read(p, id_field="id")
    reasons = [(r["reject_reason"], json.loads(r["meta"]).get("error", "")[:4]) for r in out]
    assert reasons == [
        ("invalid_utf8", "text"),
        ("invalid_utf8", "meta"),
        ("invalid_utf8", "meta"),
        ("invalid_utf8", "id h"),
        (None, ""),
        ("missing_text", ""),
    ]
    assert out[0]["id"] == "a" and out[0]["text"] == "bad \ufffd text"
    assert out[3]["id"] == stable_id("t", "sur.jsonl", 4)  # not the unstorable id
    assert out[4]["text"] == "a pair is fine: \U0001f600"
    assert out[5]["text"] == '["\ufffd"]'


@pytest.mark.parametrize("reader", ["csv", "txt"])
def test_codec_that_decodes_to_a_surrogate_is_invalid_encoding(tmp_path, reader):
    # UTF-7 "+2AA-" decodes to U+D800, which UTF-8 cannot store
    p = tmp_path / f"d.{reader}"
    body = b"text\nfine\nbad +2AA- here\n" if reader == "csv" else b"bad +2AA- here"
    p.write_bytes(body)
    out = read(p, encoding="utf-7")
    assert [r["reject_reason"] for r in out][-1] == "invalid_encoding"
    assert "\ufffd" in out[-1]["text"]
    if reader == "csv":
        assert out[0] == {**out[0], "text": "fine", "reject_reason": None}


def _unchecked_strings(values: list[bytes]) -> pa.Array:
    """A string array over raw bytes, UTF-8 not checked (as a foreign Parquet writer may do)."""
    offsets = np.cumsum([0] + [len(v) for v in values], dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(values))]
    )


def test_parquet_string_column_with_invalid_utf8_rejects_the_row_only(tmp_path):
    # Parquet does not check UTF-8: an encoded surrogate (ED A0 80) and a stray FF byte
    p = tmp_path / "bad.parquet"
    pq.write_table(
        pa.table(
            {
                "text": _unchecked_strings([b"good one", b"x\xed\xa0\x80y", b"good two"]),
                "other": _unchecked_strings([b"a", b"b", b"\xff"]),
            }
        ),
        p,
    )
    out = read(p)
    assert [(r["reject_reason"], r["text"]) for r in out] == [
        (None, "good one"),
        ("invalid_utf8", "x\ufffd\ufffd\ufffdy"),
        ("invalid_utf8", "good two"),
    ]
    assert json.loads(out[1]["meta"])["error"] == "column 'text' holds invalid UTF-8"
    assert json.loads(out[2]["meta"])["error"] == "column 'other' holds invalid UTF-8"
    assert json.loads(out[0]["meta"]) == {"other": "a"}


# --- byte-order marks and headers -------------------------------------------------------


def test_byte_order_mark_is_removed_once_and_text_that_looks_like_one_is_kept(tmp_path):
    # U+FEEF is EF BB AF in UTF-8: stripping every leading EF/BB/BF byte broke it
    bom = b"\xef\xbb\xbf"
    (tmp_path / "a.txt").write_bytes(bom + "\ufeef 阿拉伯字母".encode())
    (tmp_path / "b.txt").write_bytes("\ufeef no mark".encode())
    assert [r["text"] for r in read(tmp_path, reader="txt")] == [
        "\ufeef 阿拉伯字母",
        "\ufeef no mark",
    ]
    p = tmp_path / "d.csv"
    p.write_bytes(bom + "text\n\ufeef\n".encode())
    assert [(r["text"], r["reject_reason"]) for r in read(p)] == [("\ufeef", None)]
    q = tmp_path / "d.jsonl"
    q.write_bytes(bom + b'{"text": "first"}\n' + bom + b'{"text": "second"}\n')
    out = read(q)
    assert [(r["text"], r["reject_reason"]) for r in out][0] == ("first", None)
    assert out[1]["reject_reason"] == "malformed_json"  # a mark inside the file is not removed


def test_csv_with_a_header_and_no_rows_is_an_empty_file(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("id,text\n\n", encoding="utf-8")
    assert [r["reject_reason"] for r in read(p)] == ["empty_file"]


def test_csv_header_with_a_quoted_name_over_two_lines_is_checked_whole(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('"branch\nname",text\nnorth,hello\n', encoding="utf-8")
    out = read(p)
    assert [(r["text"], json.loads(r["meta"])) for r in out] == [
        ("hello", {"branch\nname": "north"})
    ]


def test_csv_field_longer_than_the_csv_module_default_is_read(tmp_path):
    # Python's csv refuses fields over 131,072 characters unless told otherwise
    import csv

    long_doc = "长" * 50_000 + "x" * 150_000
    p = tmp_path / "d.csv"
    p.write_text(f"text,n\n{long_doc},1\nshort,2\n", encoding="utf-8")
    limit = csv.field_size_limit()
    assert [(r["text"], r["reject_reason"]) for r in read(p)] == [(long_doc, None), ("short", None)]
    assert csv.field_size_limit() == limit  # the process-wide limit is left as it was


def test_csv_header_the_csv_module_refuses_is_one_unreadable_row(tmp_path):
    # found by the fuzz test: a carriage return after a quoted header name
    p = tmp_path / "d.csv"
    p.write_bytes(b'"te\x00\x00,"\r"\n')
    out = read(p)
    assert [r["reject_reason"] for r in out] == ["unreadable_file"]
    assert json.loads(out[0]["meta"])["error"].startswith("ValueError: the header row: ")


def test_csv_ids_derive_from_the_row_number(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('text\n"two\nlines"\nsecond\n', encoding="utf-8")
    assert [r["id"] for r in read(p)] == [stable_id("t", "d.csv", 1), stable_id("t", "d.csv", 2)]


# --- Parquet text columns -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [pa.binary(), pa.large_binary(), pa.large_string(), pa.string_view(), pa.binary_view()],
)
def test_parquet_text_column_of_binary_or_large_type_is_decoded(tmp_path, kind):
    p = tmp_path / "d.parquet"
    values = ["first", "第二个文档", None]
    if kind in (pa.binary(), pa.large_binary(), pa.binary_view()):
        texts = pa.array([v.encode() if v else None for v in values] + [b"\xff\xfe"], kind)
    else:
        texts = pa.array([*values, "ok"], kind)
    pq.write_table(pa.table({"text": texts}), p)
    out = read(p)
    expected = ["first", "第二个文档", None]
    assert [r["text"] for r in out][:3] == expected
    assert [r["reject_reason"] for r in out][:3] == [None, None, "missing_text"]
    if kind in (pa.binary(), pa.large_binary(), pa.binary_view()):
        assert (out[3]["reject_reason"], out[3]["text"]) == ("invalid_utf8", "\ufffd\ufffd")


def test_parquet_text_column_of_another_type_is_an_error_before_the_run(tmp_path):
    p = tmp_path / "d.parquet"
    pq.write_table(pa.table({"text": pa.array([1, 2], pa.int64())}), p)
    with pytest.raises(SourceError, match="has type int64; expected a string or binary"):
        read(p)


# --- strict JSON in meta ------------------------------------------------------------------


def test_nan_and_infinity_in_jsonl_meta_become_null(tmp_path):
    p = tmp_path / "nan.jsonl"
    p.write_text(
        '{"text": "a", "s": NaN, "t": Infinity, "u": -Infinity, "v": {"w": [1e400, 2.5]}}\n',
        encoding="utf-8",
    )
    out = read(p)
    assert out[0]["reject_reason"] is None
    assert strict_json(out[0]["meta"]) == {"s": None, "t": None, "u": None, "v": {"w": [None, 2.5]}}


def test_nan_in_parquet_float_columns_becomes_null(tmp_path):
    p = tmp_path / "d.parquet"
    pq.write_table(
        pa.table(
            {
                "text": ["a", "b"],
                "score": [math.nan, 0.5],
                "scores": pa.array([[math.inf, 1.0], [-math.inf]], pa.list_(pa.float32())),
            }
        ),
        p,
    )
    metas = [strict_json(r["meta"]) for r in read(p)]
    assert metas == [{"score": None, "scores": [None, 1.0]}, {"score": 0.5, "scores": [None]}]


def test_meta_json_is_strict_for_every_reader():
    # the database readers share this function; their meta columns can be float NaN
    assert meta_json({"a": math.nan, "b": [math.inf], "c": "NaN"}, set(), None) == (
        '{"a": null, "b": [null], "c": "NaN"}'
    )


# --- through a whole run ------------------------------------------------------------------


def _hostile_sources(tmp_path: Path) -> list[dict]:
    d = tmp_path / "in"
    d.mkdir()
    (d / "deep.jsonl").write_text(
        '{"text": "kept one"}\n' + f'{{"text": "x", "m": {nested(2000)}}}\n', encoding="utf-8"
    )
    (d / "sur.jsonl").write_text(
        '{"text": "\\ud800", "id": "s1"}\n{"text": "kept two", "m": NaN}\n', encoding="utf-8"
    )
    whole = gzip.compress(b"".join(b'{"text": "line %d"}\n' % i for i in range(992)))
    (d / "cut.jsonl.gz").write_bytes(whole[: len(whole) * 3 // 4])
    (d / "zipped.jsonl").write_bytes(gzip.compress(b'{"text": "kept three"}\n'))
    return [{"name": "hostile", "path": str(d), "reader": "jsonl"}]


def _check_run(tmp_path: Path, runtime: str) -> None:
    cfg = validate_config(
        {
            "run": {"name": "hostile", "output": str(tmp_path / "run")},
            "runtime": runtime,
            "sources": _hostile_sources(tmp_path),
            "stages": [{"stage": "normalize"}],
        }
    )
    result = run_pipeline(cfg)
    stats = result.stats
    assert stats["reconciled"] and not stats["problems"]
    shards = pq.read_table(tmp_path / "run" / "shards")
    rejects = pq.read_table(tmp_path / "run" / "rejects")
    assert stats["docs_out"] == shards.num_rows and stats["docs_rejected"] == rejects.num_rows
    reasons = sorted(rejects["reject_reason"].to_pylist())
    assert reasons == ["invalid_utf8", "malformed_json", "unreadable_file"]
    texts = shards["text"].to_pylist()
    assert {"kept one", "kept two", "kept three"} <= set(texts)
    assert sum(t.startswith("line ") for t in texts) > 500
    assert stats["docs_in"] == shards.num_rows + rejects.num_rows
    metas = [strict_json(m) for m in shards["meta"].to_pylist()]
    assert {"m": None} in metas


def test_hostile_inputs_do_not_lose_a_local_run(tmp_path):
    _check_run(tmp_path, "local")


@pytest.mark.ray
def test_hostile_inputs_do_not_lose_a_ray_run(tmp_path, ray_local):
    _check_run(tmp_path, "ray")
