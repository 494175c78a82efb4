"""Readers: sources → Arrow batches in the core schema, bad records quarantined.

Every reader yields ``pa.Table`` batches with exactly the columns of ``BATCH_SCHEMA``:
``id, text, source, sensitivity, meta`` (``meta`` is a strict-JSON object string) plus
``reject_reason``: null for a good record, a reason code for a quarantined one. A quarantined
record keeps what could be read of it and its location (``meta.file``, ``meta.line`` or
``meta.row``), and the runtime routes it to ``rejects/read/``. Nothing a reader sees is
dropped without a row saying why.

Reader reason codes: ``malformed_json``, ``not_an_object``, ``missing_text``, ``invalid_utf8``
(``invalid_encoding`` for declared non-UTF-8 codecs), ``malformed_csv_row``, ``empty_file``,
``unreadable_file``.

One module per idea: ``base`` (schema, read tasks, ids, the batch builder and its quarantine
helper, the registry), ``sniff`` (a file's format from its name and first bytes), ``streams``
(opening and decompressing), ``records`` (the record → row rules readers share), and one
module per reader: ``jsonl``, ``parquet``, ``delimited`` (csv, tsv), ``txt``. Importing this
package registers them. docs/robustness.md (Readers) lists every kind of bad input and what
the readers do with it.
"""

from __future__ import annotations

from refinery.io.readers.base import (
    BATCH_SCHEMA,
    BatchBuilder,
    Reader,
    ReadTask,
    expand_paths,
    get_reader,
    infer_reader,
    register_reader,
    registered_readers,
    stable_id,
)
from refinery.io.readers.delimited import CsvReader, TsvReader
from refinery.io.readers.jsonl import RAW_SCHEMA, JsonlReader
from refinery.io.readers.parquet import ParquetReader
from refinery.io.readers.txt import TxtReader

__all__ = [
    "BATCH_SCHEMA",
    "RAW_SCHEMA",
    "BatchBuilder",
    "CsvReader",
    "JsonlReader",
    "ParquetReader",
    "ReadTask",
    "Reader",
    "TsvReader",
    "TxtReader",
    "expand_paths",
    "get_reader",
    "infer_reader",
    "register_reader",
    "registered_readers",
    "stable_id",
]
