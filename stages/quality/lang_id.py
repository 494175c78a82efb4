"""Language identification with a fastText model of the lid.176 family (Joulin et al. 2016,
"Bag of Tricks for Efficient Text Classification", https://arxiv.org/abs/1607.01759; the
lid.176 models: https://fasttext.cc/docs/en/language-identification.html), as datatrove
``pipeline/filters/language_filter.py`` and ``utils/lid.py`` use it.

The default model is ``lid.176.ftz`` (0.9 MB, CC-BY-SA 3.0), shipped in this package
(``stages/quality/resources``, with its notice); it is never downloaded. ``model_path`` may point to another local model (``lid.176.bin``, GlotLID); its
labels (``en``, ``zh``, or GlotLID's ``eng_Latn``...) are what ``languages`` lists.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, field_validator

from refinery.errors import ConfigError
from refinery.stage import FilterStage, Resources, StageConfig, register_stage
from stages.textutil.fasttext_file import ModelFileError
from stages.textutil.fasttext_native import NativeFastText, native_support
from stages.textutil.scripts import HAN, KANA, LATIN, script_counts_of_han_texts

__all__ = ["LanguageIdConfig", "LanguageIdFilter", "default_model_path"]

log = logging.getLogger(__name__)

_LABEL_PREFIX = "__label__"


def default_model_path() -> str:
    """Path of the ``lid.176.ftz`` this package ships (``resources/NOTICE.md``)."""
    from importlib.resources import files

    return str(files("stages.quality").joinpath("resources", "lid.176.ftz"))


class LanguageIdConfig(StageConfig):
    text_column: str = "text"
    model_path: str | None = Field(
        None, description="local fastText LID model; None: the lid.176.ftz shipped with the stage"
    )
    languages: dict[str, float] | None = Field(
        default_factory=lambda: {"zh": 0.65, "en": 0.65},
        description="allowed labels and the minimum score of each; null keeps every language",
    )
    top_k: int = Field(3, ge=1, description="labels read from the model per document")
    fold_han_japanese_to_chinese: bool = Field(
        True, description="count `ja` as `zh` for Han text without kana (see the class doc)"
    )
    mixed_languages: tuple[str, str] | None = Field(
        ("zh", "en"), description="a Han-script and a Latin-script label whose scores add up"
    )
    mixed_min_script_share: float = Field(
        0.1, ge=0, le=1, description="share of letters each script needs for the mixed rule"
    )
    inference: Literal["auto", "fasttext"] = Field(
        "auto",
        description="auto: our compiled fastText prediction where it covers the model (the "
        "same labels and scores); fasttext: the library's predict",
    )

    @field_validator("languages")
    @classmethod
    def _scores_in_range(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        for lang, score in (v or {}).items():
            if not 0 <= score <= 1:
                raise ValueError(f"minimum score of {lang!r} must be in [0, 1], got {score}")
        return v


@register_stage("language_id")
class LanguageIdFilter(FilterStage[LanguageIdConfig]):
    """Labels each document's language with fastText and keeps the allowed ones.

    Writes ``lang`` (the top label, ``__label__`` removed) and ``lang_score`` (its
    probability). Rejects with ``language_not_allowed`` when ``lang`` is not in
    ``languages`` and ``language_low_score`` when ``lang_score`` is below that language's
    minimum (default: zh and en, 0.65, datatrove's ``language_threshold``).

    Chinese and mixed text, two documented adjustments to the raw model output:

    - *Han without kana is not Japanese.* lid.176 often labels kanji-dense Chinese (name lists,
      headlines) ``ja``; Japanese prose always contains kana. When the text has Han characters
      and no kana, the ``ja`` probability is added to ``zh``.
    - *Mixed Chinese/English.* Chinese technical text interleaves English terms, commands and
      code; fastText then splits its probability between ``zh`` and ``en`` and neither may
      reach 0.65. When both Han and Latin letters make up at least ``mixed_min_script_share``
      of the letters and the top label is one of ``mixed_languages``, ``lang_score`` is the sum
      of the two languages' probabilities, and ``lang`` the more probable of the two.

    Newlines are replaced by spaces before prediction (fastText reads one line). The
    prediction is fastText's, computed by ``stages/textutil/fasttext_native.py`` (quantized
    hierarchical-softmax models such as ``lid.176.ftz`` included) unless ``inference:
    fasttext`` or the model is one it does not cover; ``stats.json`` counts the documents each
    way labelled (``labelled_native``, ``labelled_fasttext``).
    """

    config_cls = LanguageIdConfig
    runs_as_actor = True  # setup() loads a model/segmenter: once per actor
    resources: ClassVar[Resources] = Resources(num_cpus=1)

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return ["lang", "lang_score"]

    def setup(self) -> None:
        from fasttext.FastText import _FastText

        from stages.textutil.fasttext_file import check_model_file

        path = self.config.model_path or default_model_path()
        try:
            check_model_file(path)  # before fastText, which trusts a damaged file's sizes
            model: Any = _FastText(model_path=path)
        except (OSError, ValueError, MemoryError, RuntimeError) as exc:
            raise ConfigError(
                f"cannot load fastText model {path!r}: {exc}", key="model_path"
            ) from exc
        reason = native_support(model, path) if self.config.inference == "auto" else None
        self._native: NativeFastText | None = None
        self._model: Any = None
        if self.config.inference == "auto" and reason is None:
            try:
                self._native = NativeFastText(model, path)  # the fastText model is freed after
            except ModelFileError as exc:
                raise ConfigError(str(exc), key="model_path") from exc
            labels = self._native.labels
        else:
            self._model = model
            labels = list(model.get_labels())
        self.engine = "native" if self._native is not None else "fasttext"
        # label names, and None last for "no label" (index -1)
        cut = len(_LABEL_PREFIX)
        self._names = np.array([label[cut:] for label in labels] + [None], dtype=object)
        why = f" ({reason or 'inference: fasttext'})" if self._native is None else ""
        log.info("language_id: labels computed by %s%s", self.engine, why)

    def _top(self, one_line: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """The ``top_k`` languages of each line, best first (None past the ones predicted),
        and their probabilities."""
        k = self.config.top_k
        if self._native is not None:
            idx, top = self._native.top_k(one_line, k)
            return self._names[idx], top
        labels, probs = self._model.predict(one_line.to_pylist(), k=k)
        names = np.full((len(labels), k), None, dtype=object)
        top = np.zeros((len(labels), k), np.float32)
        cut = len(_LABEL_PREFIX)
        for i, (row, ps) in enumerate(zip(labels, probs, strict=True)):
            names[i, : len(row)] = [label[cut:] for label in row]
            top[i, : len(ps)] = ps
        return names, top

    def batch_counters(self, out: pa.Table) -> dict[str, int]:
        return {f"labelled_{self.engine}": out.num_rows} if out.num_rows else {}

    def annotate(self, batch: pa.Table) -> pa.Table:
        if not hasattr(self, "engine"):
            self.setup()
        texts = pc.fill_null(batch[self.config.text_column].combine_chunks(), "")
        n = len(texts)
        if n == 0:
            return batch.append_column("lang", pa.array([], pa.string())).append_column(
                "lang_score", pa.array([], pa.float32())
            )
        one_line = pc.replace_substring_regex(texts, r"[\r\n\x0b\x0c\x{85}\x{2028}\x{2029}]", " ")
        top, probs = self._top(one_line)
        counts = script_counts_of_han_texts(texts)
        has_han = np.flatnonzero(counts[:, HAN])
        han, latin, kana = counts[:, HAN], counts[:, LATIN], counts[:, KANA]
        letters = np.maximum(han + latin, 1)
        cfg = self.config
        mixed = cfg.mixed_languages
        share = cfg.mixed_min_script_share
        is_mixed = (han / letters >= share) & (latin / letters >= share) & (han > 0) & (latin > 0)
        fold = cfg.fold_han_japanese_to_chinese & (han > 0) & (kana == 0)

        predicted = probs[:, 0] > 0  # a predicted label's probability is positive
        langs = np.where(predicted, top[:, 0], "unknown").tolist()
        scores = np.where(predicted, probs[:, 0], 0.0).astype(np.float32)
        # the adjustments only concern texts with Han characters
        for i in has_han.tolist():
            dist = {lang: float(p) for lang, p in zip(top[i], probs[i], strict=True) if lang}
            if fold[i] and "ja" in dist:
                dist["zh"] = dist.get("zh", 0.0) + dist.pop("ja")
            lang = max(dist, key=dist.__getitem__) if dist else "unknown"
            score = dist.get(lang, 0.0)
            if mixed is not None and is_mixed[i] and lang in mixed:
                lang = max(mixed, key=lambda m: dist.get(m, 0.0))
                score = dist.get(mixed[0], 0.0) + dist.get(mixed[1], 0.0)
            langs[i] = lang
            scores[i] = min(score, 1.0)
        return batch.append_column("lang", pa.array(langs, pa.string())).append_column(
            "lang_score", pa.array(scores, pa.float32())
        )

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        allowed = self.config.languages
        if not allowed:
            return pa.nulls(batch.num_rows, pa.string())
        langs = batch["lang"].to_pylist()
        scores = batch["lang_score"].to_numpy()
        reasons: list[str | None] = []
        for lang, score in zip(langs, scores, strict=True):
            if lang not in allowed:
                reasons.append("language_not_allowed")
            elif score < allowed[lang]:
                reasons.append("language_low_score")
            else:
                reasons.append(None)
        return pa.array(reasons, pa.string())
