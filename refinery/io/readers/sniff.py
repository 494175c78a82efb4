"""Recognising a file's format from its name and its first bytes.

``compression_of`` names a compressed stream (gzip, zstd, bz2, xz) by its magic bytes;
``sniff`` names what a text reader must not read as lines: Parquet, PDF, ZIP, SQLite and
other binary formats, and UTF-16/32 text when the declared encoding is not. Text readers call
``check_text_files`` at plan time, so that a file of the wrong format is an error before the
run starts, naming the file, what it looks like and the reader to use.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "HEAD_BYTES",
    "PLAN_SNIFF_REMOTE",
    "check_text_files",
    "compression_by_name",
    "compression_of",
    "sniff",
]

#: Bytes looked at to recognise a format (a tar header's magic sits at offset 257).
HEAD_BYTES = 512

_GZIP = b"\x1f\x8b\x08"
_ZSTD = b"\x28\xb5\x2f\xfd"
#: First bytes of a zstd skippable frame (0x184D2A50 to 0x184D2A5F, little-endian), as
#: pzstd writes before each frame.
_ZSTD_SKIPPABLE = {bytes([b]) for b in range(0x50, 0x60)}
_XZ = b"\xfd7zXZ\x00"
# "BZh", a block size digit, then the magic of a first block or of the end of the stream
_BZ2 = re.compile(rb"BZh[1-9](1AY&SY|\x17rE8P\x90)")

#: (magic at offset 0, what the file looks like), checked in order.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", "a Parquet file"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX or ZIP)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ARROW1", "an Arrow IPC file"),
    (b"Obj\x01", "an Avro container file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (DOC or XLS)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)

#: Magic bytes that text could start with: they count only when a byte text does not hold
#: (a control character other than tab, newline, carriage return or form feed) follows.
_PRINTABLE_MAGIC = {b"PAR1", b"ARROW1"}
_BINARY_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")

#: (byte-order mark, codec, code unit size) of wide Unicode text.
_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
)


def compression_of(head: bytes) -> str | None:
    """``gzip``, ``zstd``, ``bz2`` or ``xz`` from a file's first bytes, else None."""
    if head.startswith(_GZIP):
        return "gzip"
    if head.startswith(_ZSTD) or (head[:1] in _ZSTD_SKIPPABLE and head[1:4] == b"\x2a\x4d\x18"):
        return "zstd"
    if head.startswith(_XZ):
        return "xz"
    if _BZ2.match(head):
        return "bz2"
    return None


def compression_by_name(path: str) -> str | None:
    lower = path.lower()
    if lower.endswith((".zst", ".zstd")):
        return "zstd"
    if lower.endswith(".gz"):
        return "gzip"
    if lower.endswith(".bz2"):
        return "bz2"
    if lower.endswith(".xz"):
        return "xz"
    return None


def sniff(head: bytes, encoding: str = "utf-8") -> str | None:
    """What ``head`` (a file's first bytes, decompressed) looks like when it is not text a
    line reader can read: ``"a Parquet file"``, a compressed stream, ...; None for text.

    A UTF-16/32 byte-order mark counts as not text unless ``encoding`` names that codec.
    """
    kind = compression_of(head)
    if kind is not None:
        return f"a {kind} stream"
    if head[257:262] == b"ustar":
        return "a tar archive"
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            if magic in _PRINTABLE_MAGIC and not _BINARY_BYTE.search(head[len(magic) :]):
                return None  # text that happens to start "PAR1": Parquet's next bytes are not
            return what
    if encoding.replace("_", "-").lower().startswith(("utf-16", "utf-32", "utf16", "utf32")):
        return None
    for bom, codec, unit in _WIDE_BOMS:
        if head.startswith(bom) and _decodes(head[len(bom) :], codec, unit):
            return f"{codec[:6].upper()} text (byte-order mark)"
    return None


def _decodes(data: bytes, codec: str, unit: int) -> bool:
    """Whether ``data`` (a file's head after its byte-order mark, perhaps cut inside a
    character) holds at least one character of ``codec`` and nothing invalid."""
    end = len(data) // unit * unit
    for cut in (end, end - 2, end - 4):
        if cut < unit:
            return False
        try:
            data[:cut].decode(codec)
        except UnicodeDecodeError:
            continue
        return True
    return False


#: What to read a file with, by what it looks like.
_HINTS = {
    "a Parquet file": "reader: parquet",
    "a PDF document": "reader: pdf",
    "a ZIP archive (DOCX, XLSX or ZIP)": "reader: docx for Word files",
    "an SQLite database": "reader: sqlite",
    "UTF-16 text (byte-order mark)": "encoding: utf-16 (txt), or convert it to UTF-8",
    "UTF-32 text (byte-order mark)": "encoding: utf-32 (txt), or convert it to UTF-8",
}

#: Remote files whose first bytes are checked at plan time (every local file is).
PLAN_SNIFF_REMOTE = 16


def check_text_files(src: Any, tasks: list[Any], reader: str) -> None:
    """Plan-time check of a text reader's files: a known codec, and files that look like
    text (or a compressed stream) rather than Parquet, PDF, ZIP, ... Raises ``SourceError``
    naming the file and what it looks like. Every local file is checked, and the first
    ``PLAN_SNIFF_REMOTE`` remote ones; read time checks every file again (one
    ``unreadable_file`` row for a file that fails)."""
    import codecs

    import fsspec

    from refinery.errors import SourceError

    encoding = getattr(src, "encoding", "utf-8")
    for codec in ("utf-8", "gb18030") if encoding == "auto" else (encoding,):
        try:
            known = codecs.lookup(codec)._is_text_encoding
        except LookupError:
            known = False
        if not known:
            raise SourceError(
                f"source {src.name!r}: encoding {encoding!r} is not a text codec Python knows "
                "(e.g. utf-8, gb18030, gbk, big5, utf-16, or auto)"
            )
    remote = 0
    for task in tasks:
        if "://" in task.path:
            remote += 1
            if remote > PLAN_SNIFF_REMOTE:
                continue
        try:
            with fsspec.open(task.path, "rb") as f:
                head = f.read(HEAD_BYTES)
        except OSError as exc:
            raise SourceError(f"source {src.name!r}: cannot open {task.path}: {exc}") from None
        named = compression_by_name(task.path)
        found = compression_of(head)
        if named is not None:
            if head and found != named:
                looks = f"a {found} stream" if found else sniff(head, encoding) or "plain data"
                raise SourceError(
                    f"source {src.name!r}: {task.path} is named as {named} but its first bytes "
                    f"are not {named}: it looks like {looks}"
                )
            continue
        what = None if found else sniff(head, encoding)
        if what is not None:
            hint = _HINTS.get(what)
            raise SourceError(
                f"source {src.name!r}: {task.path} looks like {what}, not {reader} text"
                + (f" (use {hint})" if hint else "")
            )
