"""Plain-text files, one document per file; the id derives from the relative path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from refinery.io.readers.base import BatchBuilder, Reader, ReadTask, register_reader, stable_id
from refinery.io.readers.records import decode_bytes
from refinery.io.readers.sniff import check_text_files
from refinery.io.readers.streams import open_text

__all__ = ["TxtReader"]


@register_reader
class TxtReader(Reader):
    """Plain-text files, one document per file; the id derives from the relative path."""

    name = "txt"
    extensions = (".txt", ".md")

    def check(self, src: Any, tasks: list[ReadTask]) -> None:
        check_text_files(src, tasks, self.name)

    def read(self, src: Any, task: ReadTask) -> Iterator[pa.Table]:
        out = BatchBuilder(src.name, src.sensitivity, src.batch_rows)
        id_ = stable_id(src.name, task.relpath, 0)
        try:
            f, what = open_text(task.path, src.encoding)
            with f:
                if what is not None:
                    raise ValueError(f"content looks like {what}, not text")
                raw = f.read()
        except (OSError, EOFError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            out.quarantine(id_, None, "unreadable_file", file=task.path, error=error)
            yield out.flush()
            return
        if not raw.strip():
            out.quarantine(id_, None, "empty_file", file=task.path)
        else:
            text, bad = decode_bytes(raw, src.encoding)
            text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the text
            if bad:
                out.quarantine(id_, text, bad, file=task.path)
            else:
                out.add(id_, text, json.dumps({"path": task.relpath}, ensure_ascii=False))
        yield out.flush()
