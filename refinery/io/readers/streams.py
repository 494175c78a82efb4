"""Opening input files: decompression chosen by name and by content, and format sniffing.

A compressed file is read as a stream that keeps every byte the decompressor could still
recover before a cut or corruption, then raises ``EOFError``/``OSError`` there, so that a
reader can keep what was read and record where the file stopped (gzip's, bz2's and lzma's
own ``read(n)`` drop what they had collected when they fail; zstandard's stream reader ends
quietly at a cut).

Compression is taken from the file's suffix (``.gz``, ``.zst``/``.zstd``, ``.bz2``, ``.xz``)
or, for a file without one, from its first bytes: a gzip file named ``.jsonl`` is read as
gzip. ``sniff`` names binary formats (Parquet, PDF, ZIP, ...) that a text reader must not
read as lines.
"""

from __future__ import annotations

import io
import re
from typing import Any

__all__ = [
    "HEAD_BYTES",
    "check_text_files",
    "compression_of",
    "open_binary",
    "open_text",
    "sniff",
]

#: Bytes looked at to recognise a format (a tar header's magic sits at offset 257).
HEAD_BYTES = 512

_GZIP = b"\x1f\x8b\x08"
_ZSTD = b"\x28\xb5\x2f\xfd"
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
    if head.startswith(_ZSTD):
        return "zstd"
    if head.startswith(_XZ):
        return "xz"
    if _BZ2.match(head):
        return "bz2"
    return None


def _compression_by_name(path: str) -> str | None:
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


class _Closing(io.BufferedReader):
    """A buffered decompressing reader that also closes the underlying file."""

    def __init__(self, raw: Any, inner: Any) -> None:
        super().__init__(raw, buffer_size=1 << 20)
        self._inner = inner

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._inner.close()


class _Salvaging(io.RawIOBase):
    """The bytes of a decompressing file object (``GzipFile``, ``BZ2File``, ``LZMAFile``),
    read with ``read1`` so that a failure keeps what came before it.

    ``readinto`` fills its buffer from several ``read1`` calls; when one fails, the bytes
    already collected are returned and the error is raised by the next call. Decompressor
    errors that are not ``OSError``/``EOFError`` (``zlib.error``, ``lzma.LZMAError``) are
    raised as ``OSError`` naming the format.
    """

    def __init__(self, inner: Any, kind: str, errors: tuple[type[Exception], ...]) -> None:
        super().__init__()
        self._inner = inner
        self._kind = kind
        self._errors = errors
        self._failure: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._failure is not None:
            raise self._failure
        size = len(buffer)
        view = memoryview(buffer).cast("B")
        n = 0
        while n < size:
            try:
                data = self._inner.read1(size - n)
            except (OSError, EOFError) as exc:
                failure: BaseException = exc
            except self._errors as exc:
                failure = OSError(f"corrupt {self._kind} data: {exc}")
            else:
                if not data:
                    break
                view[n : n + len(data)] = data
                n += len(data)
                continue
            if n == 0:
                raise failure
            self._failure = failure
            break
        return n


#: Compressed bytes given to the zstd decompressor at a time.
_ZSTD_SLICE = 1 << 16


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of a zstd stream of one or more frames.

    zstandard's own stream reader ends quietly where a truncated file ends; this one raises
    ``EOFError`` when the input stops inside a frame (as ``gzip`` does), so that the reader
    records where the file was cut instead of losing its tail without a word. A corrupt frame
    raises ``OSError`` once the bytes decompressed before it have been read.
    """

    def __init__(self, inner: Any, dctx: Any) -> None:
        super().__init__()
        self._inner = inner
        self._dctx = dctx
        self._frame: Any = None  # the decompressor of the frame being read, if any
        self._out = b""
        self._at = 0
        self._failure: OSError | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._at == len(self._out):
            if self._failure is not None:
                raise self._failure
            data = self._inner.read(1 << 20)
            if not data:
                if self._frame is not None:
                    raise EOFError("the zstd stream ends inside a frame (truncated file)")
                return 0
            self._out, self._at = self._decompress(data), 0
        n = min(len(buffer), len(self._out) - self._at)
        buffer[:n] = memoryview(self._out)[self._at : self._at + n]
        self._at += n
        return n

    def _decompress(self, data: bytes) -> bytes:
        import zstandard

        parts = []
        # in slices: a corrupt block loses the output of its own slice only (a failing
        # ``decompress`` call returns nothing of what it decoded)
        for at in range(0, len(data), _ZSTD_SLICE):
            piece = data[at : at + _ZSTD_SLICE]
            while piece:
                if self._frame is None:
                    self._frame = self._dctx.decompressobj()
                try:
                    parts.append(self._frame.decompress(piece))
                except zstandard.ZstdError as exc:
                    self._failure = OSError(f"corrupt zstd data: {exc}")
                    return b"".join(parts)
                if self._frame.eof:
                    piece = self._frame.unused_data
                    self._frame = None
                else:
                    piece = b""
        return b"".join(parts)


class _Prefixed(io.RawIOBase):
    """``head`` then the rest of a file that cannot seek back over it."""

    def __init__(self, head: bytes, inner: Any) -> None:
        super().__init__()
        self._head = head
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _decompressing(f: Any, kind: str) -> Any:
    if kind == "zstd":
        import zstandard

        return _Closing(_ZstdFrames(f, zstandard.ZstdDecompressor()), f)
    if kind == "gzip":
        import gzip
        import zlib

        return _Closing(_Salvaging(gzip.GzipFile(fileobj=f), "gzip", (zlib.error,)), f)
    if kind == "bz2":
        import bz2

        return _Closing(_Salvaging(bz2.BZ2File(f), "bz2", ()), f)
    import lzma

    return _Closing(_Salvaging(lzma.LZMAFile(f), "xz", (lzma.LZMAError,)), f)


def open_binary(path: str) -> Any:
    """A binary, line-iterable file; compressed files are decompressed as a stream.

    The compression comes from the suffix, or from the first bytes when the name has no
    compression suffix. A file named ``.gz`` that is not gzip fails on its first read
    (``OSError``), as a corrupt one does.
    """
    import fsspec

    f = fsspec.open(path, "rb").open()
    kind = _compression_by_name(path)
    if kind is None:
        head = f.read(16)
        if f.seekable():
            f.seek(0)
        else:
            f = _Closing(_Prefixed(head, f), f)
        kind = compression_of(head)
        if kind is None:
            return f
    return _decompressing(f, kind)


def open_text(path: str, encoding: str = "utf-8") -> tuple[Any, str | None]:
    """``open_binary(path)`` and what its decompressed content looks like if it is not text
    (see ``sniff``), for readers of lines. Reading the head may raise as reading does."""
    f = open_binary(path)
    try:
        head = f.peek(HEAD_BYTES)[:HEAD_BYTES] if hasattr(f, "peek") else _peek(f)
    except BaseException:
        f.close()
        raise
    return f, sniff(head, encoding)


def _peek(f: Any) -> bytes:
    head: bytes = f.read(HEAD_BYTES)
    f.seek(0)
    return head


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
        named = _compression_by_name(task.path)
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
