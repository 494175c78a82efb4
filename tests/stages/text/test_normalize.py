from __future__ import annotations

import pyarrow as pa
import pytest

from stages.text.normalize import NormalizeTransform


def norm(texts, **cfg):
    table = pa.table(
        {"id": [str(i) for i in range(len(texts))], "text": pa.array(texts, pa.string())}
    )
    return NormalizeTransform(**cfg)(table)["text"].to_pylist()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("zero\u200bwidth\ufeff soft\u00adhyphen", "zerowidth softhyphen"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("trailing   \nspaces\t\n", "trailing\nspaces"),
        ("one\n\n\n\n\ntwo", "one\n\ntwo"),
        ("  padded  ", "padded"),
        ("    indented code\n        deeper", "indented code\n        deeper"),
        ("cafe\u0301", "café"),
        ("全角标点，保持不变！", "全角标点，保持不变！"),
        ("tab\tinside", "tab\tinside"),
        ("", ""),
    ],
)
def test_default_normalisation(raw, expected):
    assert norm([raw]) == [expected]


def test_nfkc_folds_fullwidth_forms():
    assert norm(["ＡＢＣ１２３，"], unicode_form="NFKC") == ["ABC123,"]


def test_collapse_spaces_keeps_indentation():
    assert norm(["  a    b\t\tc"], collapse_spaces=True, strip=False) == ["  a b c"]


def test_blank_lines_limit_configurable():
    assert norm(["a\n\n\n\nb"], max_blank_lines=0) == ["a\nb"]
    assert norm(["a\n\n\n\nb"], max_blank_lines=None) == ["a\n\n\n\nb"]


def test_fullwidth_space():
    assert norm(["\u3000\u3000段落缩进"], strip=False) == ["\u3000\u3000段落缩进"]
    assert norm(["中\u3000文"], fullwidth_space="to_ascii") == ["中 文"]


def test_traditional_to_simplified():
    assert norm(["個人住房貸款利率下調"], to_simplified=True) == ["个人住房贷款利率下调"]


def test_null_text_stays_null_and_other_columns_pass():
    table = pa.table({"id": ["a", "b"], "text": pa.array([None, " x "], pa.string()), "k": [1, 2]})
    out = NormalizeTransform()(table)
    assert out["text"].to_pylist() == [None, "x"]
    assert out["k"].to_pylist() == [1, 2]
