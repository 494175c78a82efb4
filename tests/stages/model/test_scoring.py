"""Model-scored stages: scores equal a plain forward, whatever the order and batching."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from refinery.errors import ConfigError  # noqa: E402
from stages.model.batching import TokenBudget  # noqa: E402
from stages.model.classifier import ModelClassifierScorer  # noqa: E402
from stages.model.embedding import ModelEmbeddingScorer  # noqa: E402
from stages.model.examples import tiny_model  # noqa: E402
from stages.model.loading import check_model_dir, pick_device, pick_dtype  # noqa: E402
from stages.model.perplexity import ModelPerplexityScorer  # noqa: E402

TEXTS = [
    "the bank raised the loan rate",
    "我们今天去公园散步，天气很好。",
    "data",
    "",
    "model text of the bank and the rate of the loan, " * 6,
    "银行 贷款 利率 存款 账户 mixed 中文 and english",
    "a b c d e f g h",
    "x" * 300,
]


def _table(texts):
    n = len(texts)
    return pa.table({"id": [f"d{i}" for i in range(n)], "text": texts, "source": ["s"] * n})


def _plain(model, tok, text, max_length, labels=False):
    enc = tok(text, return_tensors="pt", truncation=True, max_length=max_length)
    with torch.no_grad():
        if labels:
            return model(**enc, labels=enc["input_ids"]), enc
        return model(**enc), enc


def _references(stage, max_length, value, labels=False):
    """``value(output, encoding)`` of a plain forward of the stage's own model, per text."""
    stage.setup()
    model, tok = stage.runner.model, stage.runner.tokenizer
    return [value(*_plain(model, tok, t, max_length, labels)) for t in TEXTS]


def _normalized(v):
    return (v / v.norm()).numpy()


def _shuffled_equal(stage, column, reference, budget):
    """The stage's column for TEXTS in a shuffled order, with a small budget (many
    micro-batches), is the reference in that order."""
    order = np.random.default_rng(1).permutation(len(TEXTS))
    stage.runner.budget.tokens = budget
    out = stage(_table([TEXTS[i] for i in order]))
    got = np.array(out[column].to_pylist(), dtype=np.float64)
    np.testing.assert_allclose(got, np.asarray(reference, dtype=np.float64)[order], atol=2e-5)
    counters = stage.batch_counters(out)  # what apply_stage records for stats.json
    assert counters["model_docs"] == len(TEXTS)
    assert (counters["micro_batches"] > 1) == (budget < 100), counters
    return out


def test_regression_scores_equal_a_plain_forward_in_any_order():
    stage = ModelClassifierScorer(
        model_path=tiny_model("regression"), classifier="edu", max_length=32, min_int_score=None
    )
    stage.setup()
    model, tok = stage.runner.model, stage.runner.tokenizer
    ref = [float(_plain(model, tok, t, 32)[0].logits[0, 0]) for t in TEXTS]
    for budget in (64, 10_000):
        _shuffled_equal(stage, "edu_score", ref, budget)
    order_free = stage(_table(TEXTS))
    assert order_free["edu_int_score"].to_pylist() == [int(np.round(np.clip(r, 0, 5))) for r in ref]


def test_classification_head_scores_the_chosen_label():
    stage = ModelClassifierScorer(
        model_path=tiny_model("classification"), classifier="dom", label="medium", max_length=32
    )
    stage.setup()
    model, tok = stage.runner.model, stage.runner.tokenizer
    ref = [float(_plain(model, tok, t, 32)[0].logits[0].softmax(-1)[1]) for t in TEXTS]
    _shuffled_equal(stage, "dom_score", ref, 48)
    with pytest.raises(ConfigError, match="label"):
        ModelClassifierScorer(
            model_path=tiny_model("classification"), classifier="dom", label="nope"
        ).setup()


def test_perplexity_equals_the_models_own_loss_in_any_order():
    stage = ModelPerplexityScorer(model_path=tiny_model("causal_lm"), max_length=24)
    ref = _references(stage, 24, lambda out, enc: float(out.loss), labels=True)
    out = _shuffled_equal(stage, "lm_nll", ref, 50)
    np.testing.assert_allclose(
        out["lm_perplexity"].to_pylist(), np.exp(out["lm_nll"].to_pylist()), rtol=1e-5
    )
    assert max(out["lm_tokens"].to_pylist()) == 23  # truncated to max_length, first not predicted


def test_left_truncation_keeps_the_end_of_a_document():
    right = ModelPerplexityScorer(model_path=tiny_model("causal_lm"), max_length=8)
    left = ModelPerplexityScorer(
        model_path=tiny_model("causal_lm"), max_length=8, truncation_side="left"
    )
    table = _table(["the bank " * 3 + "我们今天去公园散步"])
    assert right(table)["lm_nll"][0].as_py() != left(table)["lm_nll"][0].as_py()


def test_embeddings_equal_mean_pooled_plain_forward():
    stage = ModelEmbeddingScorer(model_path=tiny_model("encoder"), max_length=32)
    ref = _references(stage, 32, lambda out, enc: _normalized(out.last_hidden_state[0].mean(0)))
    order = np.random.default_rng(2).permutation(len(TEXTS))
    stage.runner.budget.tokens = 40
    got = stage(_table([TEXTS[i] for i in order]))
    assert got.schema.field("model_embedding").type == pa.list_(pa.float32())
    np.testing.assert_allclose(
        np.array(got["model_embedding"].to_pylist()), np.stack(ref)[order], atol=2e-5
    )


def test_cpu_fallback_and_precision():
    assert pick_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert pick_dtype("auto", torch.device("cpu")) == torch.float32
    assert pick_dtype("bfloat16", torch.device("cpu")) == torch.bfloat16
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="no CUDA device"):
            pick_device("cuda")
        stage = ModelClassifierScorer(model_path=tiny_model("regression"), classifier="x")
        stage.setup()
        assert stage.runner.device.type == "cpu"
        assert next(stage.runner.model.parameters()).dtype == torch.float32


def test_out_of_memory_halves_the_budget_and_keeps_every_score():
    stage = ModelClassifierScorer(
        model_path=tiny_model("regression"), classifier="edu", max_length=32, token_budget=4096
    )
    stage.setup()
    expected = stage(_table(TEXTS))["edu_score"].to_pylist()
    stage.batch_counters(None)
    real = stage.runner.forward
    limit = 60

    def small_device(model, ids, mask):
        if ids.numel() > limit:  # what CUDA does past its memory, on a CPU
            raise torch.OutOfMemoryError("injected: out of memory")
        return real(model, ids, mask)

    stage.runner.forward = small_device
    got = stage(_table(TEXTS))
    counters = stage.batch_counters(got)
    np.testing.assert_allclose(got["edu_score"].to_pylist(), expected, atol=1e-6)
    assert counters["oom_backoffs"] >= 1 and stage.runner.budget.tokens <= limit
    assert counters["model_docs"] == len(TEXTS)
    stage.runner.forward = lambda m, i, k: (_ for _ in ()).throw(torch.OutOfMemoryError("oom"))
    with pytest.raises(Exception, match="does not fit on the device"):
        stage(_table(["the bank"]))


def test_probe_keeps_the_largest_budget_that_runs():
    def run(tokens):
        if tokens > 1000:
            raise torch.OutOfMemoryError("injected")

    budget = TokenBudget(tokens=0, floor=64)
    assert budget.probe(run, cap=1 << 14, start=64, min_gain=0.0) == 512
    assert budget.history == [64, 128, 256, 512, -1024]
    assert TokenBudget(tokens=0, floor=64).probe(run, cap=256, start=64, min_gain=0.0) == 256
    with pytest.raises(Exception, match="does not fit"):
        TokenBudget(tokens=0, floor=2048).probe(run, cap=1 << 14)


def test_autosize_runs_the_real_forward(monkeypatch):
    stage = ModelPerplexityScorer(model_path=tiny_model("causal_lm"), max_length=16)
    stage.setup()
    chosen = stage.runner.autosize(cap=256)
    assert 16 <= chosen <= 256 and chosen in stage.runner.budget.history


def test_loading_refuses_what_is_not_a_local_safetensors_model(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        check_model_dir(str(tmp_path / "org/model-on-a-hub"))
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"pickle")
    with pytest.raises(ConfigError, match="safetensors"):
        check_model_dir(str(tmp_path))
    (tmp_path / "model.safetensors").write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps({"auto_map": {"AutoModel": "x.Y"}}))
    with pytest.raises(ConfigError, match="trust_remote_code"):
        check_model_dir(str(tmp_path))


def test_thresholds_reject_with_reason_codes():
    stage = ModelClassifierScorer(
        model_path=tiny_model("regression"), classifier="edu", max_length=32
    )
    out = stage.annotate(_table(TEXTS[:3]))
    out = out.set_column(
        out.column_names.index("edu_int_score"), "edu_int_score", pa.array([2, 3, None], pa.int8())
    )
    out = out.set_column(
        out.column_names.index("edu_score"), "edu_score", pa.array([2.2, 3.1, None], pa.float32())
    )
    assert stage.reject_reasons(out).to_pylist() == ["edu_below_min_int_score", None, None]
    stage.config.min_score = 3.0
    assert stage.reject_reasons(out).to_pylist() == ["edu_below_min_score", None, None]


def test_a_batch_with_nothing_to_score_gets_null_scores_of_the_right_shape():
    stage = ModelPerplexityScorer(model_path=tiny_model("causal_lm"), max_length=16)
    stage.setup()
    stage.runner.tokenizer = _NoTokens(stage.runner.tokenizer)
    out = stage(_table(["", "x"]))
    assert out["lm_nll"].to_pylist() == [None, None]
    assert out["lm_tokens"].to_pylist() == [0, 0]


class _NoTokens:
    """A tokenizer that adds no special tokens and finds no tokens (a causal LM without BOS)."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __setattr__(self, name, value):
        if name == "inner":
            object.__setattr__(self, name, value)
        else:
            setattr(self.inner, name, value)

    def __call__(self, texts, **kwargs):
        return {"input_ids": [[] for _ in texts]}


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_on_a_gpu_bf16_scores_follow_fp32_cpu_scores_and_the_budget_is_probed():
    texts = TEXTS * 40
    cpu = ModelClassifierScorer(
        model_path=tiny_model("regression"), classifier="e", device="cpu", min_int_score=None
    )
    gpu = ModelClassifierScorer(
        model_path=tiny_model("regression"),
        classifier="e",
        device="cuda",
        min_int_score=None,
        max_length=64,
        max_token_budget=1 << 16,
    )
    gpu.setup()
    assert gpu.runner.device.type == "cuda"
    assert next(gpu.runner.model.parameters()).dtype in (torch.bfloat16, torch.float16)
    assert gpu.runner.budget.history and gpu.runner.budget.tokens >= 64
    cpu_scores = np.array(cpu(_table(texts))["e_score"].to_pylist())
    out = gpu(_table(texts))
    np.testing.assert_allclose(np.array(out["e_score"].to_pylist()), cpu_scores, atol=0.05)
    counters = gpu.batch_counters(out)
    assert counters["model_tokens"] > 0 and counters["model_docs"] == len(texts)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_real_out_of_memory_on_the_gpu_backs_off():
    stage = ModelPerplexityScorer(
        model_path=tiny_model("causal_lm"), device="cuda", max_length=64, token_budget=1 << 14
    )
    stage.setup()
    texts = TEXTS * 200
    expected = stage(_table(texts))["lm_nll"].to_pylist()
    stage.batch_counters(None)
    stage.runner.budget.tokens = 1 << 14
    total = torch.cuda.get_device_properties(0).total_memory
    torch.cuda.empty_cache()
    # a device with 16 MiB left for us: 16k tokens of logits and their fp32 copy do not fit
    allowed = (torch.cuda.memory_reserved() + (16 << 20)) / total
    torch.cuda.set_per_process_memory_fraction(allowed)
    try:
        out = stage(_table(texts))
    finally:
        torch.cuda.set_per_process_memory_fraction(1.0)
    assert stage.batch_counters(out)["oom_backoffs"] >= 1
    assert stage.runner.budget.tokens < 1 << 14
    np.testing.assert_allclose(
        np.array(out["lm_nll"].to_pylist(), dtype=float),
        np.array(expected, dtype=float),
        atol=0.05,  # bf16: other micro-batch shapes round differently
    )
