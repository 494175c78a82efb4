"""What a global stage may use besides its input: where the run writes, and the seed."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from refinery.rundir import temp_name

__all__ = ["GlobalContext"]


@dataclass
class GlobalContext:
    """Handed to ``GlobalStage.run_local`` / ``run_ray``.

    ``output_dir`` is the run directory. Side outputs (e.g. dedup ``clusters/``) are written
    below it with ``side_output_path`` / ``write_side_table``; the manifest picks up every file
    in the run directory at the end, so nothing else needs registering.
    """

    output_dir: str
    seed: int = 0
    num_cpus: int = 1
    filesystem: Any = None
    _counter: dict[str, int] = field(default_factory=dict)

    def side_output_path(self, subdir: str) -> str:
        path = posixpath.join(self.output_dir, subdir)
        fs = self._fs()
        fs.makedirs(path, exist_ok=True)
        return path

    def write_side_table(self, subdir: str, table: pa.Table) -> str:
        """Write ``table`` as the next ``<subdir>/part-NNNNN.parquet`` (zstd) and return its path."""
        n = self._counter.get(subdir, 0)
        self._counter[subdir] = n + 1
        path = posixpath.join(self.side_output_path(subdir), f"part-{n:05d}.parquet")
        tmp = temp_name(path)  # renamed when complete: never a partial file under its name
        with self._fs().open(tmp, "wb") as f:
            pq.write_table(table, f, compression="zstd")
        self._fs().mv(tmp, path)
        return path

    def _fs(self) -> Any:
        if self.filesystem is None:
            import fsspec

            self.filesystem, self.output_dir = fsspec.core.url_to_fs(self.output_dir)
        return self.filesystem
