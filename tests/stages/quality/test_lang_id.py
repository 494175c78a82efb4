from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from refinery.errors import ConfigError
from refinery.stage import REJECT_REASON
from stages.quality.lang_id import LanguageIdFilter, default_model_path
from tests.stages.batches import make_batch


class FakeLid:
    """Returns fixed distributions, keyed by the text's first word."""

    def __init__(self, table: dict[str, list[tuple[str, float]]]) -> None:
        self.table = table
        self.seen: list[str] = []

    def predict(self, texts: list[str], k: int = 1):
        self.seen.extend(texts)
        labels, probs = [], []
        for text in texts:
            dist = self.table[text.split()[0] if text.split() else ""][:k]
            labels.append([f"__label__{lang}" for lang, _ in dist])
            probs.append(np.array([p for _, p in dist]))
        return labels, probs


def stage_with(table: dict[str, list[tuple[str, float]]], **config) -> LanguageIdFilter:
    stage = LanguageIdFilter(**config)
    stage._model = FakeLid(table)  # as setup() leaves it with the library's predict
    stage._native = None
    stage.engine = "fasttext"
    return stage


def test_allow_list_and_minimum_scores() -> None:
    stage = stage_with(
        {
            "hello": [("en", 0.9)],
            "bonjour": [("fr", 0.95)],
            "maybe": [("en", 0.5), ("fr", 0.2)],
        },
        languages={"en": 0.65},
    )
    out = stage(make_batch(["hello there", "bonjour tout", "maybe so"]))
    assert out["lang"].to_pylist() == ["en", "fr", "en"]
    assert out["lang_score"].to_pylist() == pytest.approx([0.9, 0.95, 0.5])
    assert out[REJECT_REASON].to_pylist() == [None, "language_not_allowed", "language_low_score"]


def test_newlines_are_removed_before_prediction() -> None:
    stage = stage_with({"a": [("en", 0.9)]})
    stage(make_batch(["a\nb\r\nc"]))
    assert stage._model.seen == ["a b  c"]


def test_han_without_kana_counts_japanese_as_chinese() -> None:
    table = {"丁光训、刀述仁、马贤": [("ja", 0.6), ("zh", 0.3)], "ひらがなと漢字": [("ja", 0.9)]}
    out = stage_with(table)(make_batch(list(table)))
    assert out["lang"].to_pylist() == ["zh", "ja"]
    assert out["lang_score"][0].as_py() == pytest.approx(0.9)
    assert out[REJECT_REASON].to_pylist() == [None, "language_not_allowed"]


def test_mixed_chinese_english_scores_add_up() -> None:
    text = "使用 git commit 命令提交更改 to the repository"
    out = stage_with({"使用": [("zh", 0.45), ("en", 0.35), ("fr", 0.1)]})(make_batch([text]))
    assert out["lang"].to_pylist() == ["zh"]
    assert out["lang_score"][0].as_py() == pytest.approx(0.8)
    assert out[REJECT_REASON].to_pylist() == [None]


def test_mixed_rule_needs_both_scripts() -> None:
    out = stage_with({"only": [("en", 0.45), ("zh", 0.35)]})(make_batch(["only latin letters"]))
    assert out[REJECT_REASON].to_pylist() == ["language_low_score"]


def test_null_languages_annotates_only() -> None:
    out = stage_with({"x": [("fr", 0.1)]}, languages=None)(make_batch(["x"]))
    assert out[REJECT_REASON].to_pylist() == [None]


def test_empty_batch_has_typed_columns() -> None:
    out = stage_with({})(make_batch([]))
    assert out.num_rows == 0
    assert out.schema.field("lang").type == pa.string()
    assert out.schema.field("lang_score").type == pa.float32()


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="minimum score"):
        LanguageIdFilter(languages={"en": 1.5})
    with pytest.raises(ValueError):
        LanguageIdFilter(language="en")


def test_missing_model_file_is_a_config_error(tmp_path) -> None:
    pytest.importorskip("fasttext")
    stage = LanguageIdFilter(model_path=str(tmp_path / "missing.bin"))
    with pytest.raises(ConfigError, match="model_path"):
        stage.setup()


def test_bundled_lid176_model_on_real_text() -> None:
    pytest.importorskip("fasttext")
    assert default_model_path().endswith("lid.176.ftz")
    stage = LanguageIdFilter()
    stage.setup()
    texts = [
        "The quick brown fox jumps over the lazy dog while the farmer watches from the barn.",
        "这是一个用于测试语言识别的中文句子，我们希望它被正确识别为中文。",
        "Le renard brun rapide saute par-dessus le chien paresseux pendant que le fermier regarde.",
        "",
    ]
    out = stage(make_batch(texts))
    assert out["lang"].to_pylist()[:3] == ["en", "zh", "fr"]
    assert out[REJECT_REASON].to_pylist()[:3] == [None, None, "language_not_allowed"]
    assert out[REJECT_REASON][3].as_py() is not None


def test_a_damaged_model_file_is_a_config_error(tmp_path, monkeypatch) -> None:
    pytest.importorskip("fasttext")
    cut = tmp_path / "cut.ftz"
    with open(default_model_path(), "rb") as fh:
        cut.write_bytes(fh.read()[:100_000])

    def never_load(*args, **kwargs):  # fastText would trust the cut file's sizes (GBs)
        pytest.fail("fastText's loader was given a damaged file")

    monkeypatch.setattr("fasttext.FastText._FastText", never_load)
    stage = LanguageIdFilter(model_path=str(cut))
    with pytest.raises(ConfigError, match=r"cut\.ftz"):
        stage.setup()
