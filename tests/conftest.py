"""Shared fixtures: tiny_docs, a local Ray started once per session, a CLI runner, a bare
chunk job."""

from __future__ import annotations

import os

import pyarrow as pa
import pytest
from click.testing import CliRunner

from tests.stages.batches import core_batch

# Confidential sources with id columns pseudonymise their ids with a keyed HMAC; the key must
# be in the environment before embedded Ray starts its workers (they inherit it). A test that
# needs the key missing removes it with monkeypatch.
os.environ.setdefault("REFINERY_PII_KEY", "refinery-tests-only-key")


@pytest.fixture
def tiny_docs() -> pa.Table:
    """A few documents in the core schema: English, Chinese, mixed, empty, whitespace-only."""
    texts = [
        "The quick brown fox jumps over the lazy dog. It was a sunny day in the park.",
        "我们今天去公园散步，天气很好。孩子们在草地上玩耍，老人们在树下下棋。",
        "Refinery 支持中文和 English 混合文本。",
        "",
        "   \n\t  ",
    ]
    return core_batch(texts, source="tiny")


@pytest.fixture(scope="session")
def ray_local():
    """Embedded Ray with 2 CPUs, started once for the whole test session."""
    ray = pytest.importorskip("ray")
    os.environ.setdefault("RAY_DEDUP_LOGS", "1")
    if not ray.is_initialized():
        ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level="ERROR")
    yield ray


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def bare_job(tmp_path):
    """A ``ChunkJob`` writing under ``tmp_path``, with no sources or read tasks (for the chunk
    functions and a global stage's input, called directly)."""
    from refinery.runtime.chunks import ChunkJob, OutputSpec

    return ChunkJob(
        run_url=str(tmp_path),
        sources=[],
        tasks=[],
        output=OutputSpec(1 << 20, "zstd", 100, True, "omit", frozenset()),
        task_fingerprints=[],
        segment_keys=[],
    )
