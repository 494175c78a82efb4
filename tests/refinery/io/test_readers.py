from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from refinery.errors import SourceError
from refinery.io.readers import stable_id
from tests.refinery.io.reading import read_table

read = read_table


def rows(table: pa.Table) -> list[dict]:
    return table.to_pylist()


JSONL = [
    {"id": "a", "text": "first doc", "url": "http://x/1"},
    {"id": "b", "text": "第二个文档", "url": "http://x/2"},
]


def jsonl_bytes(records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_jsonl_plain_and_compressed(tmp_path, suffix):
    data = jsonl_bytes(JSONL)
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
    elif suffix.endswith(".zst"):
        data = zstandard.ZstdCompressor().compress(data)
    p = tmp_path / f"docs{suffix}"
    p.write_bytes(data)
    out = read(p, id_field="id")
    assert out["id"].to_pylist() == ["a", "b"]
    assert out["text"].to_pylist() == ["first doc", "第二个文档"]
    assert out["reject_reason"].null_count == 2
    assert json.loads(out["meta"][0].as_py()) == {"url": "http://x/1"}
    assert set(out["source"].to_pylist()) == {"t"}


def test_jsonl_bad_lines_are_quarantined_with_line_numbers(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_bytes(
        b'{"text": "good one"}\n'
        b"{not json\n"
        b"\n"
        b'["a list"]\n'
        b'{"body": "no text field"}\n'
        b'{"text": null}\n'
        b'{"text": "bad \xff\xfe utf8"}\n'
        b'{"text": "good two"}\n'
    )
    out = rows(read(p))
    reasons = [(r["reject_reason"], json.loads(r["meta"]).get("line")) for r in out]
    assert reasons == [
        (None, None),
        ("malformed_json", 2),
        ("not_an_object", 4),
        ("missing_text", 5),
        ("missing_text", 6),
        ("invalid_utf8", 7),
        (None, None),
    ]
    assert all(
        json.loads(r["meta"]).get("file", "").endswith("bad.jsonl")
        for r in out
        if r["reject_reason"]
    )


def test_jsonl_accepts_what_the_json_module_accepts(tmp_path):
    # NaN and integers past 64 bits are valid for Python's json module (not for every parser)
    p = tmp_path / "lenient.jsonl"
    p.write_bytes(
        b'{"text": "nan score", "score": NaN}\n'
        b'{"text": "big number", "n": 123456789012345678901234567890}\n'
        b'{"text": "dup key", "text": "last wins"}\n'
        b'{"text": "nested", "n": {"k": [1.5, 99999999999999999999]}}\n'
    )
    out = read(p, meta_fields=["n"])
    assert out["reject_reason"].null_count == 4
    assert out["text"].to_pylist() == ["nan score", "big number", "last wins", "nested"]
    assert json.loads(out["meta"][1].as_py()) == {"n": 123456789012345678901234567890}
    assert json.loads(out["meta"][3].as_py()) == {"n": {"k": [1.5, 99999999999999999999]}}


def test_ids_are_derived_stably_when_missing(tmp_path):
    p = tmp_path / "d.jsonl"
    p.write_bytes(jsonl_bytes([{"text": "x"}, {"text": "y"}]))
    first = read(p)["id"].to_pylist()
    assert first == [stable_id("t", "d.jsonl", 1), stable_id("t", "d.jsonl", 2)]
    assert read(p)["id"].to_pylist() == first
    assert len(set(first)) == 2


def test_empty_file_is_quarantined(tmp_path):
    p = tmp_path / "empty.jsonl"
    p.write_bytes(b"")
    out = rows(read(p))
    assert [r["reject_reason"] for r in out] == ["empty_file"]


def test_corrupt_gzip_is_quarantined_not_fatal(tmp_path):
    p = tmp_path / "broken.jsonl.gz"
    good = gzip.compress(jsonl_bytes([{"text": f"doc {i}"} for i in range(100)]))
    p.write_bytes(good[: len(good) // 2])
    out = rows(read(p))
    assert out[-1]["reject_reason"] == "unreadable_file"
    assert "error" in json.loads(out[-1]["meta"])
    assert all(r["reject_reason"] is None for r in out[:-1])


def test_truncated_zstd_is_quarantined_where_it_was_cut(tmp_path):
    # zstandard's stream reader ends quietly at a cut; the lines after it must not vanish
    # without a record
    docs = [{"text": f"document {i} " + "x" * (i % 97)} for i in range(20000)]
    whole = zstandard.ZstdCompressor().compress(jsonl_bytes(docs))
    p = tmp_path / "cut.jsonl.zst"
    p.write_bytes(whole[: len(whole) // 2])
    out = rows(read(p))
    last = out[-1]
    assert last["reject_reason"] == "unreadable_file"
    meta = json.loads(last["meta"])
    assert "truncated" in meta["error"] and meta["line"] == len(out) - 1
    assert all(r["reject_reason"] is None for r in out[:-1])
    assert [r["text"] for r in out[:-1]] == [d["text"] for d in docs[: len(out) - 1]]
    # several frames in a row read as one stream
    q = tmp_path / "frames.jsonl.zst"
    q.write_bytes(whole + zstandard.ZstdCompressor().compress(jsonl_bytes(docs[:3])))
    texts = [r["text"] for r in rows(read(q))]
    assert texts == [d["text"] for d in docs + docs[:3]]


def test_missing_path_is_an_error_before_running(tmp_path):
    with pytest.raises(SourceError, match="path not found"):
        read(tmp_path / "nope.jsonl")


def test_glob_without_matches_is_an_error(tmp_path):
    with pytest.raises(SourceError, match="no files match"):
        read(tmp_path / "*.jsonl")


def test_glob_and_directory_expand_sorted(tmp_path):
    for name in ("b.jsonl", "a.jsonl"):
        (tmp_path / name).write_bytes(jsonl_bytes([{"text": name}]))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_bytes(jsonl_bytes([{"text": "c"}]))
    assert read(tmp_path / "*.jsonl")["text"].to_pylist() == ["a.jsonl", "b.jsonl"]
    assert read(tmp_path, reader="jsonl")["text"].to_pylist() == ["a.jsonl", "b.jsonl", "c"]


def test_csv_quoted_newlines_and_bad_rows(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text(
        "id,text,branch\n"
        '1,"line one\nline two, with comma",north\n'
        '2,"say ""hi""",south\n'
        "3,too,many,fields\n"
        "4,plain,east\n",
        encoding="utf-8",
    )
    out = rows(read(p, id_field="id"))
    assert [r["id"] for r in out if r["reject_reason"] is None] == ["1", "2", "4"]
    assert out[0]["text"] == "line one\nline two, with comma"
    assert out[1]["text"] == 'say "hi"'
    assert json.loads(out[0]["meta"]) == {"branch": "north"}
    bad = [r for r in out if r["reject_reason"]]
    assert [(r["reject_reason"], json.loads(r["meta"])["line"]) for r in bad] == [
        ("malformed_csv_row", 5)
    ]


@pytest.mark.parametrize("encoding", ["gb18030", "auto"])
def test_gb18030_csv(tmp_path, encoding):
    p = tmp_path / "bank.csv"
    p.write_bytes(
        "编号,内容\n1,客户咨询信用卡额度，已回复。\n2,贷款申请材料齐全\n".encode("gb18030")
    )
    out = rows(read(p, text_field="内容", id_field="编号", encoding=encoding))
    assert [r["text"] for r in out] == ["客户咨询信用卡额度，已回复。", "贷款申请材料齐全"]
    assert all(r["reject_reason"] is None for r in out)


def test_csv_undecodable_row_is_quarantined(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_bytes(b"text\nfine\n\xff\xfe broken\nalso fine\n")
    out = rows(read(p))
    assert [r["reject_reason"] for r in out] == [None, "invalid_utf8", None]


def test_tsv(tmp_path):
    p = tmp_path / "d.tsv"
    p.write_text("text\tlang\nhello world\ten\n", encoding="utf-8")
    out = rows(read(p))
    assert out[0]["text"] == "hello world"
    assert json.loads(out[0]["meta"]) == {"lang": "en"}


def test_parquet_rows_and_null_text(tmp_path):
    p = tmp_path / "d.parquet"
    pq.write_table(
        pa.table({"doc_id": ["x", "y", "z"], "content": ["one", None, "three"], "n": [1, 2, 3]}), p
    )
    out = rows(read(p, text_field="content", id_field="doc_id"))
    assert [r["id"] for r in out] == ["x", "y", "z"]
    assert [r["reject_reason"] for r in out] == [None, "missing_text", None]
    assert json.loads(out[2]["meta"]) == {"n": 3}


def _parquet_without_text(p):
    pq.write_table(pa.table({"body": ["x"]}), p)


@pytest.mark.parametrize(
    ("name", "write", "message"),
    [
        ("d.csv", lambda p: p.write_text("a,b\n1,2\n", encoding="utf-8"), "no column 'text'"),
        ("d.parquet", _parquet_without_text, "no column 'text'"),
        ("d.parquet", lambda p: p.write_text("not parquet"), "not a readable Parquet"),
    ],
    ids=["csv-without-text", "parquet-without-text", "not-parquet"],
)
def test_unreadable_files_are_errors_before_running(tmp_path, name, write, message):
    p = tmp_path / name
    write(p)
    with pytest.raises(SourceError, match=message):
        read(p)


def test_txt_directory_one_doc_per_file(tmp_path):
    (tmp_path / "a.txt").write_text("合同条款第一条", encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe\xfa")
    out = rows(read(tmp_path, reader="txt"))
    assert [r["reject_reason"] for r in out] == [None, "empty_file", "invalid_utf8"]
    assert out[0]["text"] == "合同条款第一条"
    assert out[0]["id"] == stable_id("t", "a.txt", 0)


def test_fsspec_urls_are_read(tmp_path):
    import fsspec

    fs = fsspec.filesystem("memory")
    with fs.open("/bucket/corpus/a.jsonl.gz", "wb") as f:
        f.write(gzip.compress(jsonl_bytes(JSONL)))
    with fs.open("/bucket/corpus/b.jsonl", "wb") as f:
        f.write(jsonl_bytes([{"text": "from b"}]))
    out = read("memory://bucket/corpus/*.jsonl*", reader="jsonl", id_field="id")
    assert out["text"].to_pylist() == ["first doc", "第二个文档", "from b"]
