"""Document files as banks keep them: PDF and DOCX, one document per file.

Text is extracted with maintained pure-Python libraries: pypdf (PDF text layer, page by page,
pages separated by a blank line) and python-docx (body paragraphs and tables in document
order, table cells separated by tabs). Both are imported when a file is read, not at module
import.

Reason codes, besides the common ``unreadable_file``, ``empty_file`` and ``invalid_utf8`` (text
extracted with a lone surrogate, which UTF-8 cannot store): ``encrypted_file`` (a
PDF that needs a password) and ``no_text`` (a file with no extractable text, such as a scanned
PDF without a text layer, which needs OCR first). A quarantined file keeps its path in
``meta``; error details are the exception type only for confidential sources, so a parser
message can never carry document text into the rejects. Encrypted PDFs are opened with the
password in the environment variable named by ``password_env``, when set.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pydantic import Field

from refinery.config import SourceConfig
from refinery.io.readers import BatchBuilder, Reader, ReadTask, register_reader, stable_id
from refinery.io.readers.records import has_lone_surrogate

__all__ = ["DocumentSourceConfig", "DocxReader", "PdfReader", "docx_text", "pdf_text"]


class DocumentSourceConfig(SourceConfig):
    """A directory, glob or list of PDF/DOCX files."""

    password_env: str | None = Field(
        None,
        description="name of the environment variable holding the password of encrypted PDFs "
        "(never the password itself); without it, encrypted files are quarantined",
    )


class EncryptedDocument(Exception):
    """The file needs a password to be read."""


def pdf_text(raw: bytes, password: str = "") -> tuple[str, int]:
    """(text, page count) of a PDF's text layer; raises ``EncryptedDocument`` if locked.

    An encrypted PDF is opened with ``password``, else with the empty user password: a file
    with only an owner password (restrictions on printing or copying) opens with it, whatever
    ``password_env`` holds.
    """
    from pypdf import PdfReader as _Pdf

    reader = _Pdf(io.BytesIO(raw))
    if reader.is_encrypted:
        try:
            if not any(reader.decrypt(attempt) for attempt in dict.fromkeys((password, ""))):
                raise EncryptedDocument()
        except Exception:  # pypdf raises several types for unsupported or wrong keys
            raise EncryptedDocument() from None
    pages = [(page.extract_text() or "").strip() for page in reader.pages]
    return "\n\n".join(p for p in pages if p), len(pages)


def docx_text(raw: bytes) -> str:
    """Body paragraphs and tables of a DOCX file, in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(raw))
    parts: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if not cells or cells[-1] != text:  # merged cells repeat their text
                        cells.append(text)
                parts.append("\t".join(cells))
    return "\n".join(parts).strip()


class _DocumentReader(Reader):
    config_cls = DocumentSourceConfig

    def _extract(self, raw: bytes, src: Any) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        id_ = stable_id(src.name, task.relpath, 0)
        confidential = src.sensitivity == "confidential"
        try:
            import fsspec

            with fsspec.open(task.path, "rb").open() as f:
                raw = f.read()
        except (OSError, ValueError) as exc:
            out.quarantine(id_, None, "unreadable_file", file=task.path, error=type(exc).__name__)
            yield out.flush()
            return
        if not raw.strip():
            out.quarantine(id_, None, "empty_file", file=task.path)
            yield out.flush()
            return
        try:
            text, meta = self._extract(raw, src)
        except EncryptedDocument:
            out.quarantine(id_, None, "encrypted_file", file=task.path)
        except ImportError:
            raise
        except (
            Exception
        ) as exc:  # parsers raise many types on corrupt files; the file is quarantined
            error = type(exc).__name__ if confidential else f"{type(exc).__name__}: {exc}"[:300]
            out.quarantine(id_, None, "unreadable_file", file=task.path, error=error)
        else:
            if not text.strip():
                out.quarantine(id_, None, "no_text", file=task.path, **meta)
            elif has_lone_surrogate(text):  # a broken ToUnicode map can map a glyph to one
                error = "text holds a lone surrogate (a glyph mapped to half a UTF-16 pair)"
                out.quarantine(id_, text, "invalid_utf8", file=task.path, error=error)
            else:
                out.add(id_, text, json.dumps({"path": task.relpath, **meta}, ensure_ascii=False))
        yield out.flush()


@register_reader
class PdfReader(_DocumentReader):
    """PDF files, one document per file: the text layer of every page (pypdf)."""

    name = "pdf"
    extensions = (".pdf",)

    def _extract(self, raw: bytes, src: Any) -> tuple[str, dict[str, Any]]:
        password = os.environ.get(src.password_env, "") if src.password_env else ""
        text, pages = pdf_text(raw, password)
        return text, {"pages": pages}


@register_reader
class DocxReader(_DocumentReader):
    """Word documents (.docx), one document per file: paragraphs and tables (python-docx)."""

    name = "docx"
    extensions = (".docx",)

    def _extract(self, raw: bytes, src: Any) -> tuple[str, dict[str, Any]]:
        return docx_text(raw), {}
