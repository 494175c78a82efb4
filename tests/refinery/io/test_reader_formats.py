"""Compressed and mislabelled input for the readers: a file cut short or corrupt keeps every
line that can be recovered and gets one ``unreadable_file`` row; a file's format is taken
from its content as well as its name. docs/robustness.md (Readers) lists these with the tests."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from refinery.config import validate_config
from refinery.errors import SourceError
from refinery.io.readers import get_reader
from tests.refinery.io.reading import read_rows

read = read_rows


# --- compressed files cut short -----------------------------------------------------------

COMPRESS = {
    "gz": gzip.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
    "zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
@pytest.mark.parametrize("docs", [992, 20_000])
def test_cut_compressed_file_keeps_every_recoverable_line(tmp_path, suffix, docs):
    records = [{"text": f"document {i} " + "x" * (i % 97)} for i in range(docs)]
    plain = "".join(json.dumps(r) + "\n" for r in records).encode()
    whole = COMPRESS[suffix](plain)
    p = tmp_path / f"cut.jsonl.{suffix}"
    p.write_bytes(whole[: len(whole) * 3 // 4])
    out = read(p)
    kept, last = out[:-1], out[-1]
    assert last["reject_reason"] == "unreadable_file"
    meta = json.loads(last["meta"])
    assert meta["line"] == len(kept) and meta["error"].split(":")[0] in ("EOFError", "OSError")
    assert all(r["reject_reason"] is None for r in kept)
    assert [r["text"] for r in kept] == [d["text"] for d in records[: len(kept)]]
    # what a streaming decompressor recovers from the cut file, less the partial last line
    recoverable = _stream_prefix(suffix, whole[: len(whole) * 3 // 4])
    assert len(kept) == recoverable.count(b"\n")
    # a block the decompressor cannot finish gives nothing (zstd: 128 kB, bz2: 900 kB)
    if docs > 10_000 and suffix != "bz2":
        assert len(kept) > docs // 3


def _stream_prefix(suffix: str, data: bytes) -> bytes:
    if suffix == "gz":
        import zlib

        return zlib.decompressobj(wbits=31).decompress(data)
    if suffix == "bz2":
        return bz2.BZ2Decompressor().decompress(data)
    if suffix == "xz":
        return lzma.LZMADecompressor().decompress(data)
    return zstandard.ZstdDecompressor().decompressobj().decompress(data)


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_corrupt_compressed_data_is_unreadable_file_not_a_crash(tmp_path, suffix):
    records = [{"text": f"document {i} " + "y" * (i % 89)} for i in range(30_000)]
    whole = bytearray(COMPRESS[suffix]("".join(json.dumps(r) + "\n" for r in records).encode()))
    at = len(whole) * 9 // 10
    whole[at : at + 64] = bytes(64)  # a block of zeros inside the compressed data
    p = tmp_path / f"bad.jsonl.{suffix}"
    p.write_bytes(bytes(whole))
    out = read(p)
    # what comes before the damage is read as it was; gzip and xz check their data at the
    # end of a member or block, so lines decoded from the damaged part can come before the
    # error (as documents or as reject rows): the file's last row says where it failed. bz2
    # gives a 900 kB block whole or not at all.
    if suffix != "bz2":
        assert [r["text"] for r in out[:1000]] == [d["text"] for d in records[:1000]]
    assert out[-1]["reject_reason"] == "unreadable_file"
    assert "line" in json.loads(out[-1]["meta"])


# --- the format sniffed from content ------------------------------------------------------

LINES = b'{"text": "one"}\n{"text": "two"}\n'


@pytest.mark.parametrize("suffix", sorted(COMPRESS))
def test_compressed_jsonl_without_its_suffix_is_read(tmp_path, suffix):
    p = tmp_path / "docs.jsonl"
    p.write_bytes(COMPRESS[suffix](LINES))
    assert [(r["text"], r["reject_reason"]) for r in read(p)] == [("one", None), ("two", None)]


@pytest.mark.parametrize("name", ["docs.jsonl.zst", "docs.jsonl"])
def test_zstd_starting_with_a_skippable_frame_is_read(tmp_path, name):
    # pzstd writes a skippable frame (magic 0x184D2A50) before each frame
    skippable = b"\x50\x2a\x4d\x18" + (4).to_bytes(4, "little") + b"size"
    p = tmp_path / name
    p.write_bytes(skippable + COMPRESS["zst"](LINES) + skippable + COMPRESS["zst"](LINES))
    assert [(r["text"], r["reject_reason"]) for r in read(p)] == [
        ("one", None),
        ("two", None),
    ] * 2


def _parquet_bytes(tmp_path: Path) -> bytes:
    q = tmp_path / "real.parquet"
    pq.write_table(pa.table({"text": ["x"] * 100}), q)
    return q.read_bytes()


@pytest.mark.parametrize("reader", ["jsonl", "csv", "tsv", "txt"])
def test_parquet_named_as_text_is_an_error_before_the_run(tmp_path, reader):
    p = tmp_path / f"data.{reader}"
    p.write_bytes(_parquet_bytes(tmp_path))
    with pytest.raises(SourceError, match=rf"data\.{reader} looks like a Parquet file.*parquet"):
        read(p)


def test_text_that_starts_like_a_parquet_magic_is_text(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("PAR1 of the loan agreement: the borrower ...", encoding="utf-8")
    assert read(p)[0]["text"].startswith("PAR1 of the loan")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.jsonl", b"%PDF-1.4\n...", "looks like a PDF document"),
        ("data.jsonl", b"PK\x03\x04\x14\x00", "looks like a ZIP archive"),
        ("docs.jsonl.gz", LINES, r"named as gzip .* looks like plain data"),
    ],
    ids=["pdf-named-jsonl", "zip-named-jsonl", "plain-named-gz"],
)
def test_content_unlike_the_file_name_is_an_error(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(SourceError, match=message):
        read(p)


def test_utf16_csv_is_an_error_unless_declared(tmp_path):
    p = tmp_path / "excel.csv"
    p.write_bytes("\ufefftext\n客户\n".encode("utf-16-le"))
    with pytest.raises(SourceError, match="UTF-16 text"):
        read(p)
    q = tmp_path / "note.txt"
    q.write_bytes("\ufeff客户咨询".encode("utf-16-le"))
    assert read(q, encoding="utf-16")[0]["text"] == "客户咨询"


def test_gzipped_parquet_found_at_read_time_is_one_unreadable_row(tmp_path):
    # plan time looks at the compressed bytes only; the read sees what is inside
    p = tmp_path / "data.jsonl.gz"
    p.write_bytes(gzip.compress(_parquet_bytes(tmp_path)))
    out = read(p)
    assert [r["reject_reason"] for r in out] == ["unreadable_file"]
    assert "looks like a Parquet file" in json.loads(out[0]["meta"])["error"]


def test_file_swapped_after_planning_is_one_unreadable_row(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("text\nhello\n", encoding="utf-8")
    src = validate_config({"sources": [{"name": "t", "path": str(p)}]}).sources[0]
    reader = get_reader("csv")
    tasks = reader.plan(src, 0)
    p.write_bytes(_parquet_bytes(tmp_path))
    out = [r for t in reader.read(src, tasks[0]) for r in t.to_pylist()]
    assert [r["reject_reason"] for r in out] == ["unreadable_file"]


def test_unknown_encoding_is_an_error_before_the_run(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("text\nx\n", encoding="utf-8")
    for bad in ("no-such-codec", "rot13", "hex"):
        with pytest.raises(SourceError, match="not a text codec"):
            read(p, encoding=bad)
