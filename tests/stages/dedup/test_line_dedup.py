"""line_dedup: repeated lines/paragraphs removed across documents, local and on Ray alike."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from refinery.runtime.context import GlobalContext
from stages.dedup.lines import LineDedupFilter, repeated_units

NAV_EN = "Home | Products | Support | Contact us | Sign in"
NAV_ZH = "首页 | 新闻中心 | 产品服务 | 联系我们"
FOOT_ZH = "版权所有 © 2024 某某银行股份有限公司 保留所有权利"


def _table() -> pa.Table:
    bodies = [
        "Loan notes are reviewed every quarter by the credit team.",
        "Customer calls are transcribed and checked before training.",
        "Regulations change; the manual is updated in the same week.",
        "贷款说明每个季度由信贷团队复核一次，结果写入报告。",
        "客户来电经过转写和检查之后才能用于训练。",
    ]
    texts = [
        f"{NAV_EN}\n{bodies[0]}\nshort\n",
        f"{NAV_EN}\n{bodies[1]}\nshort",
        f"{bodies[2]}\n{NAV_EN}",
        f"{NAV_ZH}\n{bodies[3]}\n{FOOT_ZH}",
        f"{NAV_ZH}\n{bodies[4]}\n{FOOT_ZH}",
        f"{NAV_ZH}\n{FOOT_ZH}",  # boilerplate only
        f"{NAV_EN}\n{NAV_ZH}\n{FOOT_ZH}",  # boilerplate only
    ]
    n = len(texts)
    return pa.table({"id": [f"d{i}" for i in range(n)], "text": texts, "source": ["web"] * n})


def test_removes_lines_repeated_in_more_than_max_docs():
    table = _table()
    out = LineDedupFilter(max_docs=3, keep_first=False).run_local(table, None)
    texts = out["text"].to_pylist()
    assert all(NAV_EN not in t and NAV_ZH not in t and FOOT_ZH not in t for t in texts)
    assert "short" in texts[0]  # below min_length: never removed
    assert texts[3] == "贷款说明每个季度由信贷团队复核一次，结果写入报告。"
    assert out["line_dedup_removed"].to_pylist() == [1, 1, 1, 2, 2, 2, 3]
    assert out["line_dedup_removed_chars"].to_pylist()[0] == len(NAV_EN)
    # documents left without a countable line are rejected, with the reason
    assert out["reject_reason"].to_pylist() == [None] * 5 + ["repeated_lines"] * 2


def test_threshold_and_keep_first():
    table = _table()
    # NAV_EN is in 4 documents, NAV_ZH in 4, FOOT_ZH in 4: at max_docs=4 nothing goes
    untouched = LineDedupFilter(max_docs=4).run_local(table, None)
    assert untouched["text"].equals(table["text"])
    assert untouched["reject_reason"].null_count == table.num_rows
    kept_one = LineDedupFilter(max_docs=1).run_local(table, None)
    holders = [t for t in kept_one["text"].to_pylist() if NAV_EN in t]
    assert len(holders) == 1  # the smallest key keeps its copy


def test_chinese_line_length_counts_cjk_double():
    table = pa.table(
        {
            "id": ["a", "b", "c"],
            "text": ["返回顶部首页\nx1", "返回顶部首页\nx2", "返回顶部首页\nx3"],
            "source": ["s"] * 3,
        }
    )
    # 6 CJK characters weigh 12: removed at min_length 12, kept at 13
    removed = LineDedupFilter(max_docs=1, keep_first=False, min_length=12).run_local(table, None)
    assert removed["line_dedup_removed"].to_pylist() == [1, 1, 1]
    kept = LineDedupFilter(max_docs=1, keep_first=False, min_length=13).run_local(table, None)
    assert kept["line_dedup_removed"].to_pylist() == [0, 0, 0]


def test_paragraph_unit_and_normalised_comparison():
    para = "Terms of use.\nAll content is provided as is, without warranty."
    variant = "TERMS  OF USE\nAll content is provided as is — without warranty!"
    table = pa.table(
        {
            "id": ["a", "b", "c"],
            "text": [f"Body one.\n\n{para}", f"Body two.\n\n{variant}", f"{para}\n\nBody three."],
            "source": ["s"] * 3,
        }
    )
    out = LineDedupFilter(unit="paragraph", max_docs=2, keep_first=False, min_length=10)
    got = out.run_local(table, None)
    assert got["text"].to_pylist() == ["Body one.", "Body two.", "Body three."]


def test_repeated_units_do_not_depend_on_order():
    import numpy as np

    rng = np.random.default_rng(0)
    keys = rng.integers(0, 20, 200).astype(np.uint64)
    hashes = rng.integers(0, 15, 200).astype(np.uint64)
    ref = repeated_units(keys, hashes, 3, True)
    perm = rng.permutation(200)
    got = repeated_units(keys[perm], hashes[perm], 3, True)
    assert np.array_equal(ref[0], got[0]) and np.array_equal(ref[1], got[1])
    assert len(ref[0]) > 0


@pytest.mark.ray
@pytest.mark.parametrize("broadcast_max_rows", [0, 1000])
def test_run_ray_equals_run_local(ray_local, tmp_path, broadcast_max_rows):
    import ray
    import ray.data

    table = _table()
    stage = LineDedupFilter(max_docs=2, num_partitions=3, broadcast_max_rows=broadcast_max_rows)
    ref = stage.run_local(table, None).sort_by("id")
    ctx = GlobalContext(output_dir=str(tmp_path), num_cpus=2)
    ds = ray.data.from_arrow([table.slice(0, 3), table.slice(3)])
    got = pa.concat_tables(ray.get(stage.run_ray(ds, ctx).to_arrow_refs())).sort_by("id")
    assert got.select(ref.column_names).cast(ref.schema).equals(ref)
    assert pc.sum(got["line_dedup_removed"]).as_py() > 0
