"""PDF and DOCX readers: one document per file, text extracted, bad files quarantined."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

from refinery.config import validate_config
from refinery.io.readers import BATCH_SCHEMA, get_reader, infer_reader
from tests.refinery.io.pdf_fixture import make_pdf, make_pdf_mapping_a_to


def _read(
    path: Path, reader: str | None = None, sensitivity: str = "internal", **extra: str
) -> pa.Table:
    entry = {"name": "docs", "path": str(path), "sensitivity": sensitivity, **extra}
    if reader:
        entry["reader"] = reader
    src = validate_config({"sources": [entry]}).sources[0]
    r = get_reader(src.reader)
    batches = [b for t in r.plan(src, 0) for b in r.read(src, t)]
    assert all(b.schema == BATCH_SCHEMA for b in batches)
    return pa.concat_tables(batches)


def _encrypted_pdf(path: Path, text: str, **encrypt: str) -> None:
    """A one-page PDF of ``text`` written to ``path``, encrypted (RC4) with ``encrypt``'s
    passwords."""
    pypdf = pytest.importorskip("pypdf")
    from io import BytesIO

    reader = pypdf.PdfReader(BytesIO(make_pdf([[text]])))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(algorithm="RC4-128", **encrypt)
    with open(path, "wb") as f:
        writer.write(f)


def test_pdf_text_of_every_page(tmp_path: Path) -> None:
    (tmp_path / "loan.pdf").write_bytes(
        make_pdf([["Loan note", "Borrower: Mr. John Smith"], ["Page two (final)"]])
    )
    out = _read(tmp_path / "loan.pdf").to_pylist()
    assert len(out) == 1 and out[0]["reject_reason"] is None
    assert "Borrower: Mr. John Smith" in out[0]["text"]
    assert "Page two (final)" in out[0]["text"]
    assert out[0]["text"].index("Loan note") < out[0]["text"].index("Page two")
    assert json.loads(out[0]["meta"]) == {"path": "loan.pdf", "pages": 2}


def test_extensions_are_inferred_and_directories_expanded(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    (tmp_path / "a.pdf").write_bytes(make_pdf([["first"]]))
    (tmp_path / "b.pdf").write_bytes(make_pdf([["second"]]))
    d = docx.Document()
    d.add_paragraph("third")
    d.save(tmp_path / "c.docx")
    assert infer_reader("x/y.pdf") == "pdf" and infer_reader("x/y.docx") == "docx"
    out = _read(tmp_path, reader="pdf")
    assert out["text"].to_pylist() == ["first", "second"]
    assert len(set(out["id"].to_pylist())) == 2


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("贷款审批意见", level=1)
    d.add_paragraph("借款人张伟，身份证号11010519491231002X。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "金额"
    table.cell(1, 0).text, table.cell(1, 1).text = "本金", "500000元"
    d.add_paragraph("审批结论：同意。")
    d.save(tmp_path / "note.docx")
    text = _read(tmp_path / "note.docx")["text"][0].as_py()
    assert text.splitlines() == [
        "贷款审批意见",
        "借款人张伟，身份证号11010519491231002X。",
        "项目\t金额",
        "本金\t500000元",
        "审批结论：同意。",
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "unreadable_file"),
        ("broken.docx", b"PK not a zip archive at all", "unreadable_file"),
        ("empty.pdf", b"", "empty_file"),
        ("blank.pdf", None, "no_text"),
    ],
)
def test_bad_files_are_quarantined(
    tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    (tmp_path / name).write_bytes(make_pdf([[]]) if content is None else content)
    out = _read(tmp_path / name, sensitivity="confidential").to_pylist()
    assert len(out) == 1
    assert out[0]["reject_reason"] == reason
    assert out[0]["text"] is None
    meta = json.loads(out[0]["meta"])
    assert meta["file"].endswith(name)
    assert ":" not in meta.get("error", "")  # confidential: the exception type only


def test_encrypted_pdf_is_quarantined_unless_the_password_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _encrypted_pdf(tmp_path / "locked.pdf", "secret statement", user_password="open-sesame")
    out = _read(tmp_path / "locked.pdf").to_pylist()
    assert out[0]["reject_reason"] == "encrypted_file" and out[0]["text"] is None
    monkeypatch.setenv("DOCS_PDF_PASSWORD", "open-sesame")
    opened = _read(tmp_path / "locked.pdf", password_env="DOCS_PDF_PASSWORD").to_pylist()
    assert opened[0]["text"] == "secret statement" and opened[0]["reject_reason"] is None


def test_gb18030_csv_through_the_csv_reader(tmp_path: Path) -> None:
    rows = "id,text\n1,客户张伟申请信用卡\n2,账户余额查询\n"
    (tmp_path / "export.csv").write_bytes(rows.encode("gb18030"))
    for encoding in ("gb18030", "auto"):
        src = validate_config(
            {
                "sources": [
                    {
                        "name": "csv",
                        "path": str(tmp_path / "export.csv"),
                        "encoding": encoding,
                        "id_field": "id",
                    }
                ]
            }
        ).sources[0]
        r = get_reader(src.reader)
        out = pa.concat_tables([b for t in r.plan(src, 0) for b in r.read(src, t)])
        assert out["text"].to_pylist() == ["客户张伟申请信用卡", "账户余额查询"]
        assert out["reject_reason"].null_count == 2


def test_pdf_with_only_an_owner_password_is_read_whatever_password_env_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an owner password restricts printing or copying; the empty user password opens the file
    _encrypted_pdf(
        tmp_path / "owner.pdf",
        "restricted but readable",
        user_password="",
        owner_password="owner-only",
    )
    monkeypatch.setenv("DOCS_PDF_PASSWORD", "the-password-of-other-files")
    out = _read(tmp_path / "owner.pdf", password_env="DOCS_PDF_PASSWORD").to_pylist()
    assert out[0]["reject_reason"] is None and out[0]["text"] == "restricted but readable"


def test_pdf_text_with_a_lone_surrogate_is_invalid_utf8_not_a_crash(tmp_path: Path) -> None:
    # pypdf decodes a ToUnicode map that sends a glyph to "D800" into a lone surrogate
    (tmp_path / "good.pdf").write_bytes(make_pdf_mapping_a_to("0041"))
    (tmp_path / "half.pdf").write_bytes(make_pdf_mapping_a_to("D800"))
    out = _read(tmp_path, reader="pdf").to_pylist()
    assert [(r["reject_reason"], r["text"]) for r in out] == [
        (None, "ABAB"),
        ("invalid_utf8", "\ufffdB\ufffdB"),
    ]
    assert "lone surrogate" in json.loads(out[1]["meta"])["error"]
