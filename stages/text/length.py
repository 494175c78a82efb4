"""Document length in characters and words, CJK-aware (words: ``stages.textutil.words``)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field, model_validator

from refinery.stage import FilterStage, Resources, StageConfig, register_stage
from stages.textutil.words import count_words_by_pattern

__all__ = ["LengthFilter", "LengthFilterConfig", "count_words"]

#: The word count of this stage: one expression over the batch (stages.textutil.words).
count_words = count_words_by_pattern


class LengthFilterConfig(StageConfig):
    text_column: str = "text"
    min_chars: int = Field(1, ge=0, description="fewest characters (Unicode code points) kept")
    max_chars: int | None = Field(None, ge=1, description="most characters kept (None: no limit)")
    min_words: int = Field(0, ge=0, description="fewest words kept (a CJK character is a word)")
    max_words: int | None = Field(None, ge=1, description="most words kept (None: no limit)")

    @model_validator(mode="after")
    def _ranges(self) -> LengthFilterConfig:
        if self.max_chars is not None and self.max_chars < self.min_chars:
            raise ValueError(f"max_chars {self.max_chars} < min_chars {self.min_chars}")
        if self.max_words is not None and self.max_words < self.min_words:
            raise ValueError(f"max_words {self.max_words} < min_words {self.min_words}")
        return self


@register_stage("length_filter")
class LengthFilter(FilterStage[LengthFilterConfig]):
    """Rejects documents outside [min, max] characters or words; a CJK character is a word.

    Writes ``length_filter_chars`` and ``length_filter_words``. Reasons: ``empty_text``
    (nothing but whitespace), ``too_few_chars``, ``too_many_chars``, ``too_few_words``,
    ``too_many_words``, checked in that order. Whitespace splitting alone would count a
    Chinese paragraph as one word, so words are counted with one regex over the batch
    (``stages.textutil.words.count_words_by_pattern``).
    """

    config_cls = LengthFilterConfig
    resources = Resources(num_cpus=1)

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return ["length_filter_chars", "length_filter_words"]

    def annotate(self, batch: pa.Table) -> pa.Table:
        text = batch[self.config.text_column]
        chars = pc.fill_null(pc.utf8_length(text), 0).cast(pa.int64())
        words = count_words(text).cast(pa.int64())
        return batch.append_column("length_filter_chars", chars).append_column(
            "length_filter_words", words
        )

    def reject_reasons(self, batch: pa.Table) -> pa.Array:
        c = self.config
        chars = batch["length_filter_chars"]
        words = batch["length_filter_words"]
        text = batch[c.text_column]
        blank = pc.fill_null(pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(text)), 0), True)
        rules: list[tuple[pa.ChunkedArray | pa.Array, str]] = [(blank, "empty_text")]
        rules.append((pc.less(chars, c.min_chars), "too_few_chars"))
        if c.max_chars is not None:
            rules.append((pc.greater(chars, c.max_chars), "too_many_chars"))
        rules.append((pc.less(words, c.min_words), "too_few_words"))
        if c.max_words is not None:
            rules.append((pc.greater(words, c.max_words), "too_many_words"))
        reasons = pa.nulls(batch.num_rows, pa.string())
        for mask, code in reversed(rules):  # the first rule that fires wins
            reasons = pc.if_else(mask, pa.scalar(code), reasons)
        return reasons
