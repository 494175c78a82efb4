"""Text normalisation: Unicode form, control characters, line endings and whitespace."""

from __future__ import annotations

from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from refinery.stage import Resources, Stage, StageConfig, register_stage

__all__ = ["NormalizeConfig", "NormalizeTransform"]

# C0/C1 controls except \t \n \r, DEL, zero-width space/joiners, BOM, soft hyphen.
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{00ad}\x{200b}-\x{200d}\x{2060}\x{feff}]"


class NormalizeConfig(StageConfig):
    text_column: str = "text"
    unicode_form: Literal["NFC", "NFKC", "NFD", "NFKD", "none"] = Field(
        "NFC",
        description="Unicode normal form. NFC by default: NFKC would turn Chinese full-width "
        "punctuation (，！：) into ASCII, which the quality filters read as signal",
    )
    remove_control: bool = Field(
        True, description="drop control characters, zero-width characters, BOM and soft hyphens"
    )
    normalize_newlines: bool = Field(True, description="\\r\\n and \\r become \\n")
    strip_trailing_spaces: bool = Field(True, description="remove spaces/tabs at line ends")
    max_blank_lines: int | None = Field(
        1, ge=0, description="collapse longer runs of blank lines to this many (None: keep)"
    )
    collapse_spaces: bool = Field(
        False,
        description="collapse runs of spaces/tabs inside lines to one space; leading "
        "indentation is kept (code and poems depend on it)",
    )
    fullwidth_space: Literal["keep", "to_ascii"] = Field(
        "keep", description="U+3000 ideographic space: keep, or turn into an ASCII space"
    )
    strip: bool = Field(True, description="strip whitespace at both ends of the document")
    to_simplified: bool = Field(
        False,
        description="convert Traditional Chinese to Simplified (OpenCC t2s tables); slow, "
        "for corpora that mix zh-TW and zh-CN",
    )


@register_stage("normalize")
class NormalizeTransform(Stage[NormalizeConfig]):
    """Normalises text in place: Unicode form, control characters, newlines and whitespace.

    Rewrites the text column; adds no column and rejects nothing. Every step runs as one
    Arrow compute kernel over the whole batch (RE2 regexes, ICU-free normalisation), so the
    stage costs little next to reading. Optional Traditional→Simplified conversion uses the
    OpenCC ``t2s`` tables (opencc-python-reimplemented).
    """

    config_cls = NormalizeConfig
    resources = Resources(num_cpus=1)

    def reads(self) -> list[str]:
        return [self.config.text_column]

    def writes(self) -> list[str]:
        return [self.config.text_column]

    def __call__(self, batch: pa.Table) -> pa.Table:
        col = self.config.text_column
        if batch.num_rows == 0:
            return batch
        text = normalize_text_array(batch[col], self.config)
        return batch.set_column(batch.column_names.index(col), col, text)


def normalize_text_array(text: Any, cfg: NormalizeConfig) -> Any:
    """The normalisation of ``NormalizeTransform`` on one string array (nulls stay null)."""
    text = text.cast(pa.string())
    if cfg.unicode_form != "none":
        text = pc.utf8_normalize(text, form=cfg.unicode_form)
    if cfg.remove_control:
        text = pc.replace_substring_regex(text, _CONTROL, "")
    if cfg.normalize_newlines:
        text = pc.replace_substring_regex(text, r"\r\n?", "\n")
    if cfg.fullwidth_space == "to_ascii":
        text = pc.replace_substring(text, "\u3000", " ")
    if cfg.collapse_spaces:
        text = pc.replace_substring_regex(text, r"([^\s])[ \t\x{00a0}]{2,}", r"\1 ")
    if cfg.strip_trailing_spaces:
        text = pc.replace_substring_regex(text, r"[ \t\x{00a0}]+(\n|$)", r"\1")
    if cfg.max_blank_lines is not None:
        keep = "\n" * (cfg.max_blank_lines + 1)
        pattern = r"\n(?:[ \t]*\n){" + str(cfg.max_blank_lines + 1) + ",}"
        text = pc.replace_substring_regex(text, pattern, keep)
    if cfg.strip:
        text = pc.utf8_trim_whitespace(text)
    if cfg.to_simplified:
        text = _to_simplified(text)
    return text


_CONVERTER: Any = None


def _to_simplified(text: Any) -> pa.Array:
    global _CONVERTER
    if _CONVERTER is None:
        try:
            from opencc import OpenCC
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise ImportError(
                "to_simplified needs opencc-python-reimplemented: pip install opencc-python-reimplemented"
            ) from exc
        _CONVERTER = OpenCC("t2s")
    conv = _CONVERTER.convert
    return pa.array([None if t is None else conv(t) for t in text.to_pylist()], pa.string())
