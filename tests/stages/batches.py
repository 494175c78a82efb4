"""Batches and prose shared by the stage tests: reader-shaped tables, English and Chinese text."""

from __future__ import annotations

import pyarrow as pa


def core_batch(
    texts: list[str] | list[str | None], source: str = "test", sensitivity: str = "public"
) -> pa.Table:
    """A reader-shaped batch of ``texts``: the core columns, ids ``d0``, ``d1``..."""
    n = len(texts)
    return pa.table(
        {
            "id": pa.array([f"d{i}" for i in range(n)], pa.string()),
            "text": pa.array(texts, pa.string()),
            "source": pa.array([source] * n, pa.string()),
            "sensitivity": pa.array([sensitivity] * n, pa.string()),
            "meta": pa.array(["{}"] * n, pa.string()),
        }
    )


def make_batch(texts: list[str]) -> pa.Table:
    """A reader-shaped batch: the core columns plus an unrelated column stages must keep."""
    return core_batch(texts).append_column("extra", pa.array(range(len(texts)), pa.int64()))


ENGLISH_PROSE = (
    "The history of the city is long and varied, and the people who live there have many "
    "stories to tell about it. In the early years, the town was small and most of the "
    "families worked on farms that surrounded the valley. Over time, trade with the coast "
    "brought new ideas, and the market grew into a busy place where merchants met to sell "
    "their goods. Today the old market is a museum that shows visitors what life was like "
    "when the first settlers arrived with little more than hope."
)

CHINESE_PROSE = (
    "这座城市的历史很长，生活在这里的人们有许多关于它的故事。在早期，这个小镇很小，"
    "大多数家庭在山谷周围的农场里工作。随着时间的推移，与沿海地区的贸易带来了新的思想，"
    "市场也发展成为商人们聚集交易货物的繁忙场所。今天，这个古老的市场是一座博物馆，"
    "向游客展示第一批定居者到来时的生活是什么样子的。我们在这里可以看到很多有意思的东西，"
    "也可以了解这个地方的过去和现在。"
)
