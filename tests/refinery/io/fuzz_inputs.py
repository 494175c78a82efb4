"""Inputs for the reader fuzz test (test_reader_fuzz.py): hypothesis strategies that write
JSONL, CSV/TSV, text and Parquet files, random and mutated, each with what reading it must
give (``Case.rows``: one ``Expect`` per row, or None when the file was damaged at the byte
level and only the invariants hold)."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import zstandard
from hypothesis import strategies as st

from refinery.io.readers import stable_id
from refinery.io.readers.records import MAX_DEPTH

# --- what the generator knows about a row ----------------------------------------------------


@dataclass
class Expect:
    """What the reader must say about one row; None fields are not checked."""

    reason: str | None
    text: str | None = None
    id: str | None = None
    meta: dict[str, Any] | None = None
    check_text: bool = True


UNKNOWN = None  # a row whose outcome the generator does not predict (it is still counted)


@dataclass
class Case:
    """One generated input file and what reading it must give."""

    name: str
    data: bytes
    source: dict[str, Any]
    #: one entry per row, in order, when the file is intact; None when it was damaged
    rows: list[Expect | None] | None
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"meta is not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def depth(value: Any, level: int = 1) -> int:
    if isinstance(value, dict):
        return max([level, *(depth(v, level + 1) for v in value.values())])
    if isinstance(value, list):
        return max([level, *(depth(v, level + 1) for v in value)])
    return level - 1


# --- strategies ----------------------------------------------------------------------------

texts = st.text(max_size=30)  # any code point but surrogates; CJK, controls, NUL included
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
ABSENT = object()


def _expect_record(record: dict[str, Any], source: str, relpath: str, line: int) -> Expect:
    """What ``JsonlReader`` (with ``id_field: id``) makes of a parsed record."""
    if depth(record) > MAX_DEPTH:
        return Expect("malformed_json")
    text = record.get("text")
    if not isinstance(text, str):
        return Expect("missing_text")
    value = record.get("id")
    id_ = str(value) if value is not None and value != "" else stable_id(source, relpath, line)
    meta = finite({k: v for k, v in record.items() if k not in ("text", "id")})
    return Expect(None, text=text, id=id_, meta=meta)


@st.composite
def records(draw: Any) -> dict[str, Any]:
    record = draw(st.dictionaries(texts, json_values, max_size=4))
    text = draw(st.one_of(texts, texts, texts, json_values, st.just(ABSENT)))
    if text is not ABSENT:
        record["text"] = text
    else:
        record.pop("text", None)
    ident = draw(st.one_of(st.just(ABSENT), texts, st.integers(), json_values))
    if ident is not ABSENT:
        record["id"] = ident
    else:
        record.pop("id", None)
    return record


def _with_lone_surrogate(draw: Any, record: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The record with a lone surrogate put into its text, id, a meta value or a meta key."""
    surrogate = chr(draw(st.integers(0xD800, 0xDFFF)))
    where = draw(st.sampled_from(["text", "id", "meta", "key"]))
    if where == "text" and isinstance(record.get("text"), str):
        record["text"] = record["text"] + surrogate
    elif where == "id":
        record["id"] = f"id{surrogate}"
    elif where == "key":
        record[f"k{surrogate}"] = 1
    else:
        record["note"] = f"n{surrogate}"
    return record, where


@st.composite
def jsonl_cases(draw: Any) -> Case:
    lines: list[bytes] = []
    expects: list[Expect | None] = []  # one per non-blank line
    compression = draw(st.sampled_from(["none", "none", "gz", "zst", "bz2", "xz"]))
    named = draw(st.booleans())  # the name carries the compression suffix
    relpath = "docs.jsonl" + (f".{compression}" if compression != "none" and named else "")
    for _ in range(draw(st.integers(0, 10))):
        line_no = len(lines) + 1
        kind = draw(
            st.sampled_from(
                ["record"] * 4
                + ["blank", "bytes", "deep", "surrogate", "cut", "flip", "scalar", "crlf", "bom"]
                + ["nonfinite"]
            )
        )
        if kind in ("record", "crlf", "nonfinite"):
            record = draw(records())
            if kind == "nonfinite":  # NaN or ±Infinity in meta, perhaps inside a list
                value = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
                record[draw(texts)] = value if draw(st.booleans()) else [1, value]
            line = json.dumps(record, ensure_ascii=draw(st.booleans())).encode()
            line += b"\r" if kind == "crlf" else b""
            expect: Expect | None = _expect_record(record, "t", relpath, line_no)
        elif kind == "blank":
            lines.append(draw(st.sampled_from([b"", b" ", b"\t", b"\r", b" \x0b\x0c "])))
            continue
        elif kind == "bytes":
            line = draw(st.binary(max_size=40)).replace(b"\n", b"")
            expect = UNKNOWN
        elif kind == "deep":
            levels = draw(st.integers(1, 3000))
            line = b'{"text": "deep", "m": ' + b"[" * levels + b"]" * levels + b"}"
            expect = (
                Expect("malformed_json")
                if levels >= MAX_DEPTH
                else _expect_record(
                    {"text": "deep", "m": json.loads("[" * levels + "]" * levels)},
                    "t",
                    relpath,
                    line_no,
                )
            )
        elif kind == "surrogate":
            record, where = _with_lone_surrogate(draw, draw(records()))
            line = json.dumps(record, ensure_ascii=True).encode()
            if not isinstance(record.get("text"), str):
                expect = Expect("missing_text")
            elif where == "text" or depth(record) <= MAX_DEPTH:
                expect = Expect("invalid_utf8")
            else:
                expect = Expect("malformed_json")
        elif kind in ("cut", "flip"):
            whole = json.dumps(draw(records()), ensure_ascii=draw(st.booleans())).encode()
            at = draw(st.integers(0, len(whole) - 1))
            if kind == "cut":
                line = whole[:at]
            else:
                line = whole[:at] + draw(st.binary(min_size=1, max_size=1)) + whole[at + 1 :]
                line = line.replace(b"\n", b"")
            expect = UNKNOWN
        elif kind == "scalar":
            value = draw(st.one_of(scalars, st.lists(scalars, max_size=3)))
            line = json.dumps(value).encode()
            expect = Expect("not_an_object")
        else:  # a byte-order mark before a record
            line = b"\xef\xbb\xbf" + json.dumps(draw(records())).encode()
            expect = UNKNOWN
        lines.append(line)
        if line.strip():
            expects.append(expect)
    data = b"\n".join(lines) + (b"\n" if lines and draw(st.booleans()) else b"")
    if not expects:
        expects = [Expect("empty_file")]
    head = data[:512]  # what the reader sniffs once the file is decompressed
    if compression != "none":
        data = {
            "gz": gzip.compress,
            "zst": zstandard.ZstdCompressor(write_checksum=True).compress,
            "bz2": bz2.compress,
            "xz": lzma.compress,
        }[compression](data)
    data, damaged = _damage(draw, data)
    source = {"reader": "jsonl", "id_field": "id"}
    extra = {"head": head, "compressed": compression != "none"}
    return Case(relpath, data, source, None if damaged else expects, "jsonl", extra)


def _damage(draw: Any, data: bytes) -> tuple[bytes, bool]:
    """Maybe cut the file or overwrite some of its bytes."""
    how = draw(st.sampled_from(["none"] * 3 + ["cut", "flip"]))
    if how == "none" or not data:
        return data, False
    at = draw(st.integers(0, len(data) - 1))
    if how == "cut":
        return data[:at], True
    junk = draw(st.binary(min_size=1, max_size=8))
    return data[:at] + junk + data[at + len(junk) :], True


@st.composite
def delimited_cases(draw: Any) -> Case:
    reader = draw(st.sampled_from(["csv", "tsv"]))
    delimiter = "," if reader == "csv" else "\t"
    names = draw(st.lists(texts, min_size=0, max_size=3, unique=True))
    names = [n for n in names if n not in ("text", "id")]
    has_id = draw(st.booleans())
    header = ["text", *names] + (["id"] if has_id else [])
    header = draw(st.permutations(header))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "gb18030", "auto"]))
    relpath = f"table.{reader}"
    buf = io.StringIO()
    # with "\n" line ends a lone "\r" is not quoted unless every field is, and csv.reader
    # takes it for a line end: the writer's output would not be what it was given
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(
        buf,
        delimiter=delimiter,
        lineterminator=terminator,
        quoting=csv.QUOTE_ALL if terminator == "\n" else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    expects: list[Expect | None] = []
    for row_no in range(1, draw(st.integers(0, 8)) + 1):
        if draw(st.integers(0, 9)) == 0:  # a row with the wrong number of fields
            values = draw(st.lists(texts, min_size=1, max_size=6))
            if len(values) == len(header):
                values.append("extra")
            writer.writerow(values)
            expects.append(Expect("malformed_csv_row"))
            continue
        values = draw(st.lists(texts, min_size=len(header), max_size=len(header)))
        writer.writerow(values)
        record = dict(zip(header, values, strict=True))
        id_value = record.get("id", "")
        expects.append(
            Expect(
                None,
                text=record["text"],
                id=id_value or stable_id("t", relpath, row_no),
                meta={k: v for k, v in record.items() if k not in ("text", "id")},
                check_text=encoding != "auto",  # GB18030 bytes may also be valid UTF-8
            )
        )
    if not expects:
        expects = [Expect("empty_file")]
    codec = (
        "gb18030"
        if encoding == "gb18030" or (encoding == "auto" and draw(st.booleans()))
        else "utf-8"
    )
    data = buf.getvalue().encode(codec)
    if codec == "utf-8" and draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    data, damaged = _damage(draw, data)
    source = {"reader": reader, "encoding": encoding}
    if has_id:
        source["id_field"] = "id"
    return Case(relpath, data, source, None if damaged else expects, reader)


@st.composite
def txt_cases(draw: Any) -> Case:
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "auto"]))
    if draw(st.booleans()):
        text = draw(st.text(max_size=200))
        data = text.encode("utf-8" if encoding == "auto" else encoding)
        if not data.strip():
            expect = Expect("empty_file")
        else:
            expect = Expect(None, text=text, check_text=encoding != "auto")
    else:
        data = draw(st.binary(max_size=200))
        expect = Expect("empty_file") if not data.strip() else UNKNOWN
    return Case("note.txt", data, {"reader": "txt", "encoding": encoding}, [expect], "txt")


TEXT_TYPES = [pa.string(), pa.large_string(), pa.binary(), pa.large_binary(), pa.string_view()]


@st.composite
def parquet_cases(draw: Any) -> Case:
    n = draw(st.integers(0, 12))
    kind = draw(st.sampled_from(TEXT_TYPES))
    values = draw(st.lists(st.one_of(st.none(), texts), min_size=n, max_size=n))
    binary = pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
    bad_bytes = binary and draw(st.booleans())
    cells: list[Any] = [(v.encode() if v is not None else None) if binary else v for v in values]
    if bad_bytes and n:
        at = draw(st.integers(0, n - 1))
        cells[at] = b"\xff" + (cells[at] or b"")
    columns: dict[str, pa.Array] = {"text": pa.array(cells, kind)}
    meta_columns: dict[str, list[Any]] = {}
    if draw(st.booleans()):
        meta_columns["score"] = draw(
            st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=n, max_size=n)
        )
        columns["score"] = pa.array(meta_columns["score"], pa.float64())
    if draw(st.booleans()):
        meta_columns["tags"] = draw(
            st.lists(
                st.one_of(st.none(), st.lists(st.floats(allow_nan=True), max_size=3)),
                min_size=n,
                max_size=n,
            )
        )
        columns["tags"] = pa.array(meta_columns["tags"], pa.list_(pa.float64()))
    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf, row_group_size=draw(st.integers(1, 5)))
    expects: list[Expect | None] = []
    for i, cell in enumerate(cells):
        meta = finite({k: meta_columns[k][i] for k in meta_columns})
        if cell is None:
            expects.append(Expect("missing_text"))
        elif isinstance(cell, bytes) and cell.startswith(b"\xff"):
            expects.append(Expect("invalid_utf8"))
        else:
            text = cell.decode() if isinstance(cell, bytes) else cell
            expects.append(
                Expect(None, text=text, id=stable_id("t", "rows.parquet", i + 1), meta=meta)
            )
    if not expects:
        expects = [Expect("empty_file")]
    data, damaged = _damage(draw, buf.getvalue())
    source = {"reader": "parquet", "batch_rows": draw(st.integers(1, 7))}
    return Case(
        "rows.parquet", data, source, None if damaged else expects, "parquet", {"k": str(kind)}
    )


any_case = st.one_of(jsonl_cases(), delimited_cases(), txt_cases(), parquet_cases())
