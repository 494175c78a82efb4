"""``<directory>/manifest.json`` of the token shards (``tokens/manifest.json`` by default).

Top level: ``format``, ``seed``, ``config_hash`` (sha256 of the format section and the
seed), ``config``, ``tokenizer`` (kind, path, vocab_size, eos_id, sha256 of its file and
settings), ``dtype``, ``inputs`` (the text shards read, with their sha256), ``sources``
(per source: docs and tokens in and out, weight, cap), ``totals`` and ``shards``. Each
shard: ``name``, ``files`` (path, bytes, sha256), ``docs`` and ``tokens`` per source
(copies counted), ``tokens_written``, ``sequences``, ``tokens_dropped``/``tokens_padding``
(packing), and ``doc_index`` (path, bytes, sha256, rows): the shard's document table that
maps every token position back to its document's source and id. Ids of confidential
sources are pseudonymised where they are read; no text is ever in the manifest or index.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from refinery.shards.formats import write_file

__all__ = ["MANIFEST_NAME", "is_phase_file", "read_manifest", "write_manifest"]

MANIFEST_NAME = "manifest.json"

_PHASE_FILE = re.compile(
    r"(manifest\.json|\.manifest\.json\.tmp"
    r"|\.?part-\d{5}(\.docs)?\.(bin|idx|npy|parquet)(\.tmp)?"
    r"|\.work/.*)"
)


def is_phase_file(rel: str) -> bool:
    """Whether ``rel`` (relative to the phase's folder) has a name only this phase writes."""
    return _PHASE_FILE.fullmatch(rel) is not None


def write_manifest(fs: Any, out_dir: str, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_file(fs, posixpath.join(out_dir, MANIFEST_NAME), lambda f: f.write(text.encode()))


def read_manifest(fs: Any, out_dir: str) -> dict[str, Any]:
    with fs.open(posixpath.join(out_dir, MANIFEST_NAME), "r", encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return data
