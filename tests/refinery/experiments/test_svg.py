"""The SVG chart module: sized, escaped, self-contained charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from refinery.experiments.svg import bar_chart, column_chart, compact, grouped_bar_chart

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML: labels are escaped
    assert root.tag == f"{NS}svg"
    assert int(root.get("width", "0")) > 0 and int(root.get("height", "0")) > 0
    return root


def test_bars_scale_to_the_largest_value_and_escape_labels() -> None:
    root = _parse(bar_chart([("a<b>&", 10.0), ("zero", 0.0), ("half", 5.0)], "t <x>"))
    rects = root.findall(f"{NS}rect")
    widths = [float(r.get("width", "0")) for r in rects]
    assert widths[1] == 0 and widths[0] == pytest.approx(2 * widths[2])
    assert root.find(f"{NS}title").text == "t <x>"  # type: ignore[union-attr]
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "a<b>&" in texts


def test_long_and_chinese_labels_are_cut_to_fit() -> None:
    long = "gopher_repetition: gopher_duplicated_10_n_grams_and_more_words_here"
    root = _parse(bar_chart([(long, 1.0), ("中文标签" * 20, 2.0)], "t"))
    labels = [t.text or "" for t in root.iter(f"{NS}text")][::2]
    assert all(label.endswith("…") for label in labels)
    assert long in ET.tostring(root, encoding="unicode")  # the full label stays in a title


def test_columns_and_groups_draw_one_mark_per_value() -> None:
    root = _parse(column_chart([str(i) for i in range(40)], [float(i) for i in range(40)], "h"))
    assert len(root.findall(f"{NS}rect")) == 40
    assert len([t for t in root.iter(f"{NS}text") if t.get("font-size") == "10"]) <= 7
    root = _parse(grouped_bar_chart(["read", "filter"], [("a", [3, 2]), ("b", [3, 1])], "g"))
    assert len(root.findall(f"{NS}rect")) == 2 + 4  # legend swatches and bars


def test_empty_charts_are_refused() -> None:
    with pytest.raises(ValueError):
        bar_chart([], "t")
    with pytest.raises(ValueError):
        column_chart(["a"], [], "t")
    with pytest.raises(ValueError):
        grouped_bar_chart([], [("a", [])], "t")


def test_no_chart_refers_outside_itself() -> None:
    svg = bar_chart([("a", 1.0)], "t") + column_chart(["a"], [1.0], "t")
    assert set(re.findall(r"https?://[^\"' ]+", svg)) == {"http://www.w3.org/2000/svg"}
    assert "<script" not in svg and "href" not in svg


@pytest.mark.parametrize(
    ("value", "text"),
    [(950, "950"), (12_345, "12.3k"), (4_500_000, "4.5M"), (0.25, "0.25"), (3.0, "3")],
)
def test_compact_numbers(value: float, text: str) -> None:
    assert compact(value) == text
