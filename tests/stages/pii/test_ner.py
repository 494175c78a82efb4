"""The optional model recogniser of pii_redact: aggregation of token labels, a tiny
transformers model built here, a spaCy pipeline saved here, config errors. No download."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import ValidationError

from refinery.errors import ConfigError
from stages.pii.ner import NerConfig, load_recogniser
from stages.pii.ner_spans import aggregate, clean_names, finish, join_places, merge_windows
from stages.pii.patterns import Entity
from stages.pii.redact import COUNTS_COLUMN, PiiRedactor
from tests.stages.batches import core_batch

PER = {"PER": "NAME", "LOC": "ADDRESS"}


def _tokens(text: str, labels: list[str], score: float = 0.9) -> list:
    """One token per white-space word of ``text`` with the given labels."""
    out, pos = [], 0
    for word, label in zip(text.split(), labels, strict=True):
        start = text.index(word, pos)
        pos = start + len(word)
        out.append((start, pos, label, score))
    return out


def test_aggregate_joins_bio_words_and_splits_on_b() -> None:
    text = "Mr John Smith met Ann Lee today"
    tokens = _tokens(text, ["O", "B-PER", "I-PER", "O", "B-PER", "B-PER", "O"])
    assert aggregate(text, tokens, PER) == [
        Entity(3, 13, "NAME"),
        Entity(18, 21, "NAME"),
        Entity(22, 25, "NAME"),
    ]


def test_aggregate_io_labels_and_unmapped_labels() -> None:
    text = "John Smith at Acme Bank"
    tokens = _tokens(text, ["PER", "PER", "O", "ORG", "ORG"])
    assert aggregate(text, tokens, PER) == [Entity(0, 10, "NAME")]


def test_aggregate_subwords_take_the_first_token_label() -> None:
    text = "Johnson paid"
    # "John" + "son": the second piece starts where the first ends, so it is one word
    tokens = [(0, 4, "B-PER", 0.9), (4, 7, "O", 0.2), (8, 12, "O", 0.9)]
    assert aggregate(text, tokens, PER) == [Entity(0, 7, "NAME")]


def test_aggregate_cjk_characters_are_words() -> None:
    text = "王小明去银行"
    labels = ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "B-LOC"]
    tokens = [(i, i + 1, lab, 0.9) for i, lab in enumerate(labels)]
    assert aggregate(text, tokens, PER) == [
        Entity(0, 3, "NAME"),
        Entity(4, 5, "ADDRESS"),
        Entity(5, 6, "ADDRESS"),
    ]


def test_aggregate_min_score_is_the_mean_of_word_scores() -> None:
    text = "John Smith"
    tokens = [(0, 4, "B-PER", 0.9), (5, 10, "I-PER", 0.5)]
    assert aggregate(text, tokens, PER, min_score=0.7) == [Entity(0, 10, "NAME")]
    assert aggregate(text, tokens, PER, min_score=0.71) == []


def test_aggregate_skips_special_tokens() -> None:
    text = "John"
    tokens = [(0, 0, "O", 0.9), (0, 4, "B-PER", 0.9), (0, 0, "B-PER", 0.9)]
    assert aggregate(text, tokens, PER) == [Entity(0, 4, "NAME")]


def test_merge_windows_keeps_the_most_central_prediction() -> None:
    first = [(0, 1, "O", 0.9), (2, 3, "O", 0.9), (4, 5, "O", 0.9), (6, 7, "B-PER", 0.6)]
    second = [(4, 5, "O", 0.9), (6, 7, "O", 0.8), (8, 9, "O", 0.9), (10, 11, "O", 0.9)]
    merged = merge_windows([first, second])
    assert [t[:2] for t in merged] == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)]
    # (6, 7) is the last token of the first window, the second of the second: second wins
    assert merged[3] == (6, 7, "O", 0.8)
    # (4, 5) sits at margin 1 in the first and 0 in the second: first wins
    assert merged[2] == first[2]


def test_join_places_needs_a_digit_or_two_places() -> None:
    text = "Moved from Leeds to 12 Hill Road, York, UK last May"
    places = [
        Entity(11, 16, "ADDRESS"),  # Leeds, alone
        Entity(23, 32, "ADDRESS"),  # Hill Road
        Entity(34, 38, "ADDRESS"),  # York
        Entity(40, 42, "ADDRESS"),  # UK
    ]
    assert join_places(text, places) == [Entity(23, 42, "ADDRESS")]
    assert join_places("in 12 Hill Road", [Entity(6, 15, "ADDRESS")]) == []
    assert join_places("Flat 12 Leeds", [Entity(0, 13, "ADDRESS")]) == [Entity(0, 13, "ADDRESS")]


def test_clean_names_cuts_lines_and_drops_labels_and_digits() -> None:
    text = "Dale Clark\n- Passport\nBeneficiary Name: x\nRef INV-88213"
    names = [Entity(0, 21, "NAME"), Entity(22, 38, "NAME"), Entity(42, 55, "NAME")]
    assert clean_names(text, names) == [Entity(0, 10, "NAME")]


def test_finish_drops_cjk_spans_unless_the_model_reads_cjk() -> None:
    text = "张伟 and Ann Lee"
    found = [Entity(0, 2, "NAME"), Entity(7, 14, "NAME")]
    assert finish(text, found, cjk=False) == [Entity(7, 14, "NAME")]
    assert finish(text, found, cjk=True) == found
    # a CJK name has no spaces: exempt from min_words; a one-word Latin name is not
    assert finish(text, found, cjk=True, min_words=2) == found
    assert finish("张伟 and Ann", [Entity(0, 2, "NAME"), Entity(7, 10, "NAME")], True, 2) == [
        Entity(0, 2, "NAME")
    ]


# --- a tiny transformers model whose labels are known ------------------------------------

NAME_PIECES = ["alice", "smith", "jo", "##hn", "##son"]


def _save_tiny_model(path: Path, scale: float = 4.0) -> Path:
    """A BERT without layers: hidden = LayerNorm(word embedding), so every token of
    ``NAME_PIECES`` gets I-PER and every other token (all [UNK]) gets O, with probability
    sigmoid(scale * hidden size)."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *NAME_PIECES]
    path.mkdir(parents=True, exist_ok=True)
    (path / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizerFast(vocab=str(path / "vocab.txt"))
    hidden = 4
    cfg = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden,
        num_hidden_layers=0,
        num_attention_heads=1,
        intermediate_size=4,
        max_position_embeddings=64,
        id2label={0: "O", 1: "B-PER", 2: "I-PER"},
        label2id={"O": 0, "B-PER": 1, "I-PER": 2},
    )
    model = transformers.BertForTokenClassification(cfg)
    pattern = torch.tensor([1.0, -1.0, 1.0, -1.0])
    with torch.no_grad():
        emb = model.bert.embeddings
        emb.word_embeddings.weight[:] = -pattern
        for i, piece in enumerate(vocab):
            if piece in NAME_PIECES:
                emb.word_embeddings.weight[i] = pattern
        emb.position_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        emb.LayerNorm.weight.fill_(1.0)
        emb.LayerNorm.bias.zero_()
        model.classifier.weight.zero_()
        model.classifier.weight[0] = -pattern * scale / 2
        model.classifier.weight[2] = pattern * scale / 2
        model.classifier.bias[:] = torch.tensor([0.0, -100.0, 0.0])
    model.save_pretrained(path, safe_serialization=True)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _save_tiny_model(tmp_path_factory.mktemp("ner") / "tiny")


def _stage(model: Path, **ner: object) -> PiiRedactor:
    pytest.importorskip("jieba")
    return PiiRedactor(ner={"backend": "transformers", "model": str(model), **ner})


def _batch(texts: list[str | None]) -> pa.Table:
    return core_batch(texts, source="bank", sensitivity="confidential")


def test_transformers_names_are_masked_and_counted(tiny_model: Path) -> None:
    stage = _stage(tiny_model)
    out = stage(_batch(["the fee was paid by alice smith today", "", None, "jo johnson wrote"]))
    assert out["text"].to_pylist() == [
        "the fee was paid by [NAME] today",
        "",
        None,
        "[NAME] wrote",
    ]
    assert [json.loads(c) for c in out[COUNTS_COLUMN].to_pylist()] == [
        {"NAME": 1},
        {},
        {},
        {"NAME": 1},
    ]
    assert stage.batch_counters(out) == {"NAME": 2}


def test_rules_identifier_wins_over_a_model_name(tiny_model: Path) -> None:
    stage = _stage(tiny_model, min_words=1)
    out = stage(_batch(["write to alice@example.com or call alice smith"]))
    assert out["text"].to_pylist() == ["write to [EMAIL] or call [NAME]"]
    assert json.loads(out[COUNTS_COLUMN][0].as_py()) == {"EMAIL": 1, "NAME": 1}


def test_long_documents_are_read_in_windows(tiny_model: Path) -> None:
    stage = _stage(tiny_model, max_length=16, stride=4, batch_size=3, min_words=1)
    words = ["x"] * 60
    for i in (5, 27, 50):
        words[i] = "alice"
    out = stage(_batch([" ".join(words)]))
    assert out["text"][0].as_py().count("[NAME]") == 3


def test_min_score_drops_uncertain_names(tiny_model: Path, tmp_path: Path) -> None:
    unsure = _save_tiny_model(tmp_path / "unsure", scale=0.1)  # p(I-PER) about 0.6
    assert _stage(unsure, min_score=0.5).redact("paid alice smith")[0] == "paid [NAME]"
    assert _stage(unsure, min_score=0.7).redact("paid alice smith")[0] == "paid alice smith"


def test_one_word_names_need_min_words_one(tiny_model: Path) -> None:
    assert _stage(tiny_model).redact("paid alice")[0] == "paid alice"
    assert _stage(tiny_model, min_words=1).redact("paid alice")[0] == "paid [NAME]"


def test_without_ner_the_rules_alone_run(tiny_model: Path) -> None:
    pytest.importorskip("jieba")
    assert PiiRedactor().redact("paid alice smith")[0] == "paid alice smith"


# --- config errors ---------------------------------------------------------------------


def test_missing_model_directory_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"pii_redact\.ner\.model: model directory"):
        load_recogniser(NerConfig(backend="transformers", model=str(tmp_path / "none")))


def test_pickle_weights_are_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(ConfigError, match=r"pii_redact\.ner\.model: .*no \*\.safetensors"):
        load_recogniser(NerConfig(backend="transformers", model=str(tmp_path)))


def test_unknown_label_in_the_mapping_names_the_key(tiny_model: Path) -> None:
    cfg = NerConfig(backend="transformers", model=str(tiny_model), labels={"GPE": "ADDRESS"})
    with pytest.raises(ConfigError, match=r"pii_redact\.ner\.labels: labels \['GPE'\]"):
        load_recogniser(cfg)


def test_cuda_without_a_gpu_names_the_key(tiny_model: Path, spacy_dir: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a GPU is visible")
    for backend, model in (("transformers", tiny_model), ("spacy", spacy_dir)):
        cfg = NerConfig(backend=backend, model=str(model), device="cuda")
        with pytest.raises(ConfigError, match=r"pii_redact\.ner\.device: "):
            load_recogniser(cfg)


@pytest.mark.parametrize(
    "block, key",
    [
        ({"backend": "flair", "model": "m"}, "backend"),
        ({"backend": "spacy", "model": "m", "labels": {"PER": "PHONE"}}, "labels"),
        ({"backend": "spacy", "model": "m", "max_length": 64, "stride": 32}, "stride"),
        ({"backend": "spacy", "model": "m", "min_score": 2}, "min_score"),
        ({"backend": "spacy"}, "model"),
    ],
)
def test_bad_ner_blocks_fail_at_construction(block: dict, key: str) -> None:
    with pytest.raises(ValidationError, match=key):
        PiiRedactor(ner=block)


# --- spaCy ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spacy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "alice smith"},
            {"label": "GPE", "pattern": "Leeds"},
            {"label": "FAC", "pattern": "12 Hill Road"},
            {"label": "ORG", "pattern": "Acme"},
        ]
    )
    path = tmp_path_factory.mktemp("spacy") / "pipeline"
    nlp.to_disk(path)
    return path


def test_spacy_keeps_only_the_recogniser(spacy_dir: Path) -> None:
    rec = load_recogniser(NerConfig(backend="spacy", model=str(spacy_dir)))
    assert rec.nlp.pipe_names == ["entity_ruler"]  # type: ignore[attr-defined]
    assert rec.label_map == {"PERSON": "NAME"}


def test_spacy_names_and_addresses(spacy_dir: Path) -> None:
    rec = load_recogniser(
        NerConfig(
            backend="spacy",
            model=str(spacy_dir),
            labels={"PERSON": "NAME", "FAC": "ADDRESS", "GPE": "ADDRESS"},
        )
    )
    text = "alice smith of Acme moved from Leeds to 12 Hill Road, Leeds"
    assert rec.find([text, "", "nothing here"]) == [
        [Entity(0, 11, "NAME"), Entity(40, 59, "ADDRESS")],
        [],
        [],
    ]


def test_spacy_reads_long_documents_in_pieces(
    spacy_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stages.pii.ner

    monkeypatch.setattr(stages.pii.ner, "SPACY_PIECE_CHARS", 24)
    rec = load_recogniser(NerConfig(backend="spacy", model=str(spacy_dir)))
    text = "we wrote to alice smith and then " * 3
    starts = [i for i in range(len(text)) if text.startswith("alice smith", i)]
    assert rec.find([text]) == [[Entity(s, s + 11, "NAME") for s in starts]]


def test_spacy_through_the_stage(spacy_dir: Path) -> None:
    pytest.importorskip("jieba")
    stage = PiiRedactor(ner={"backend": "spacy", "model": str(spacy_dir)})
    out = stage(_batch(["card 4111 1111 1111 1111 of alice smith is blocked"]))
    assert out["text"].to_pylist() == ["card [BANK_CARD] of [NAME] is blocked"]
    assert stage.batch_counters(out) == {"BANK_CARD": 1, "NAME": 1}


def test_spacy_errors_name_the_key(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    with pytest.raises(ConfigError, match=r"pii_redact\.ner\.model: cannot load"):
        load_recogniser(NerConfig(backend="spacy", model=str(tmp_path / "none")))
    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ConfigError, match=r"pii_redact\.ner\.model: .*no entity recogniser"):
        load_recogniser(NerConfig(backend="spacy", model=str(tmp_path / "blank")))
