"""The stage cache: reuse never changes a result, and a changed early stage reuses nothing.

Runs are local (no Ray) over 300 documents of the bundled sample in three files, with a
global stage (``minhash_dedup``) so that both segments are exercised.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import zstandard

from refinery.config import validate_config
from refinery.experiments import stagecache
from refinery.pipeline import run_pipeline
from refinery.stage import get_stage

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "data" / "sample" / "web_en_zh_sample.jsonl.zst"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    with open(SAMPLE, "rb") as f:
        lines = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(f)).readlines()
    for i in range(3):
        (folder / f"part{i}.jsonl").write_bytes(b"".join(lines[:300][i::3]))
    return folder


def _cfg(corpus: Path, out: Path, cache: Path | None, last_min: int = 400, first_min: int = 50):
    raw: dict[str, Any] = {
        "run": {"name": "cache", "output": str(out), "seed": 3},
        "runtime": "local",
        "sources": [
            {
                "name": "web",
                "path": str(corpus / "part*.jsonl"),
                "id_field": "id",
                "meta_fields": ["lang"],
                "batch_rows": 50,
            }
        ],
        "stages": [
            {"stage": "normalize"},
            {"stage": "length_filter", "min_chars": first_min, "min_words": 10},
            {"stage": "minhash_dedup"},
            {"stage": "length_filter", "name": "len2", "min_chars": 100},
            {"stage": "length_filter", "name": "len3", "min_chars": last_min},
        ],
        "output": {"shard_size_mb": 0.05},
    }
    if cache is not None:
        raw["cache"] = {"enabled": True, "path": str(cache)}
    return validate_config(raw)


def _files(run: Path) -> dict[str, str]:
    """The manifest's files, but those that name the attempt (stats.json: times; config.yaml:
    output path; report.html), by sha256."""
    manifest = json.loads((run / "manifest.json").read_text())
    skip = {"stats.json", "config.yaml", "report.html"}
    return {f["path"]: f["sha256"] for f in manifest["files"] if f["path"] not in skip}


def _counts(run: Path) -> list[tuple[str, int, int]]:
    stats = json.loads((run / "stats.json").read_text())
    return [(s["name"], s["docs_in"], s["docs_out"]) for s in stats["stages"]]


def _entries(cache: Path) -> set[str]:
    return {p.parent.name for p in cache.glob("v1/*/*/entry.json")}


def test_cached_variant_equals_cold_run(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_pipeline(_cfg(corpus, tmp_path / "a", cache, last_min=300))  # fills the cache
    stored = _entries(cache)
    assert stored
    entry = json.loads(next(cache.glob("v1/*/*/entry.json")).read_text())
    calls = {"n": 0}
    cls = get_stage("normalize")
    original = cls.__call__

    def counting(self: Any, batch: Any) -> Any:
        calls["n"] += 1
        return original(self, batch)

    try:
        cls.__call__ = counting  # type: ignore[method-assign]
        run_pipeline(_cfg(corpus, tmp_path / "b", cache))  # variant: only len3 differs
    finally:
        cls.__call__ = original  # type: ignore[method-assign]
    assert calls["n"] == 0  # every chunk came from the cache
    run_pipeline(_cfg(corpus, tmp_path / "cold", None))
    assert _files(tmp_path / "b") == _files(tmp_path / "cold")
    assert _counts(tmp_path / "b") == _counts(tmp_path / "cold")
    assert {"records", "files", "rows_sha256", "stage"} <= set(entry)
    # index files hold no text or ids: only counts, names, codes and digests
    text = " ".join(p.read_text() for p in cache.glob("v1/*/*/*.json"))
    first = json.loads((corpus / "part0.jsonl").read_text().splitlines()[0])
    assert first["id"] not in text and first["text"][:40] not in text


def test_changed_early_stage_invalidates_later_entries(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run_pipeline(_cfg(corpus, tmp_path / "a", cache))
    before = _entries(cache)
    run_pipeline(_cfg(corpus, tmp_path / "b", cache, first_min=60))
    after = _entries(cache)
    assert after > before and len(after) == 2 * len(before)  # nothing reused, all new
    run_pipeline(_cfg(corpus, tmp_path / "cold", None, first_min=60))
    assert _files(tmp_path / "b") == _files(tmp_path / "cold")


def test_changed_code_version_invalidates(corpus: Path, tmp_path: Path, monkeypatch: Any) -> None:
    cache = tmp_path / "cache"
    run_pipeline(_cfg(corpus, tmp_path / "a", cache))
    before = _entries(cache)
    cls = get_stage("normalize")
    monkeypatch.setattr(cls, "code_version", "normalize-v2")
    stagecache.code_version.cache_clear()
    try:
        run_pipeline(_cfg(corpus, tmp_path / "b", cache))
    finally:
        stagecache.code_version.cache_clear()
    assert len(_entries(cache)) == 2 * len(before)


def test_default_code_version_hashes_the_module() -> None:
    cls = get_stage("length_filter")
    assert cls.code_version is None
    assert stagecache.code_version(cls) != stagecache.code_version(get_stage("normalize"))


@pytest.mark.parametrize("damage", ["no_marker", "bad_rows", "bad_reject_copy"])
def test_damaged_entry_is_never_used(corpus: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    run_pipeline(_cfg(corpus, tmp_path / "a", cache, last_min=300))
    for marker in cache.glob("v1/*/*/entry.json"):
        entry = json.loads(marker.read_text())
        folder = marker.parent
        if damage == "no_marker":
            marker.unlink()  # as a writer killed before its last rename leaves it
        elif damage == "bad_rows":
            (folder / "rows.parquet").write_bytes(b"PAR1 not rows PAR1")
        elif entry["files"]:
            (folder / entry["files"][0]["blob"]).write_bytes(b"x")
    run_pipeline(_cfg(corpus, tmp_path / "b", cache))
    run_pipeline(_cfg(corpus, tmp_path / "cold", None))
    assert _files(tmp_path / "b") == _files(tmp_path / "cold")
    if damage != "no_marker":  # the damaged entries were replaced by sound ones
        assert len(_entries(cache)) == len(list(cache.glob("v1/*/*")))


def test_cache_ls_and_prune(corpus: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from refinery.cli import main
    from refinery.experiments.cache_cli import list_entries, prune_entries

    cache = tmp_path / "cache"
    run_pipeline(_cfg(corpus, tmp_path / "a", cache))
    (cache / "v1" / "ab" / ("ab" + "0" * 62)).mkdir(parents=True)  # a killed writer's folder
    runner = CliRunner()
    shown = runner.invoke(main, ["cache", "ls", "--path", str(cache)])
    assert shown.exit_code == 0, shown.output
    assert "3 cache points" in shown.output  # length_filter, len2, and the incomplete one
    assert "normalize > length_filter > minhash_dedup > len2" in shown.output
    rows = json.loads(runner.invoke(main, ["cache", "ls", "--path", str(cache), "--json"]).output)
    assert sum(r["chunks"] for r in rows) == len(list(cache.glob("v1/*/*")))
    import fsspec

    fs = fsspec.filesystem("file")
    total = sum(e.bytes for e in list_entries(fs, str(cache)))
    assert prune_entries(fs, str(cache), older_than=3600) == []  # all fresh
    gone = prune_entries(fs, str(cache), max_bytes=total // 2)
    assert gone and sum(e.bytes for e in list_entries(fs, str(cache))) <= total // 2
    out = runner.invoke(main, ["cache", "prune", "--path", str(cache), "--all"])
    assert out.exit_code == 0 and "removed" in out.output
    assert list(cache.glob("v1/*/*")) == []
    assert runner.invoke(main, ["cache", "prune", "--path", str(cache)]).exit_code != 0


def test_cache_after_names_a_row_stage(corpus: Path, tmp_path: Path) -> None:
    from refinery.errors import ConfigError

    cfg = _cfg(corpus, tmp_path / "a", tmp_path / "cache")
    cfg.cache.after = ["no_such_stage"]
    with pytest.raises(ConfigError, match="no_such_stage"):
        run_pipeline(cfg)
    cfg.cache.after = ["minhash_dedup"]
    with pytest.raises(ConfigError, match="global stage"):
        run_pipeline(cfg)


def test_a_new_id_key_gives_new_keys(corpus: Path, tmp_path: Path, monkeypatch: Any) -> None:
    from refinery.runtime.chunks import OutputSpec
    from refinery.runtime.segments import plan_segments

    cfg = _cfg(corpus, tmp_path / "a", tmp_path / "cache")
    cfg.sources[0].sensitivity = "confidential"
    cfg.sources[0].id_key_env = "CACHE_TEST_ID_KEY"
    segs = plan_segments(cfg.stages)
    out = OutputSpec(1, "zstd", 10, True, "omit", frozenset())
    monkeypatch.setenv("CACHE_TEST_ID_KEY", "first-secret")
    first = stagecache.chain_keys(cfg, segs, [], out)
    assert stagecache.chain_keys(cfg, segs, [], out) == first
    monkeypatch.setenv("CACHE_TEST_ID_KEY", "second-secret")
    second = stagecache.chain_keys(cfg, segs, [], out)
    assert set(first.values()).isdisjoint(second.values())
    assert "secret" not in json.dumps(second)
