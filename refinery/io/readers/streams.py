"""Opening input files as streams of bytes, decompressed by name or by content.

A compressed file is read as a stream that keeps every byte the decompressor could still
recover before a cut or corruption, then raises ``EOFError``/``OSError`` there, so that a
reader can keep what was read and record where the file stopped (gzip's, bz2's and lzma's
own ``read(n)`` drop what they had collected when they fail; zstandard's stream reader ends
quietly at a cut).

Compression is taken from the file's suffix (``.gz``, ``.zst``/``.zstd``, ``.bz2``, ``.xz``)
or, for a file without one, from its first bytes: a gzip file named ``.jsonl`` is read as
gzip.
"""

from __future__ import annotations

import io
from typing import Any

from refinery.io.readers.sniff import HEAD_BYTES, compression_by_name, compression_of, sniff

__all__ = ["open_binary", "open_text"]


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
    kind = compression_by_name(path)
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
