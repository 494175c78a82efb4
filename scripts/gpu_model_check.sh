#!/usr/bin/env bash
# The model stages on a GPU machine, in one command: the GPU tests, then the benchmark
# (BERT-base-size scorer at 512 tokens; model FLOP utilisation against the bf16 peak).
#   PY=/path/to/python scripts/gpu_model_check.sh      # a Python with a CUDA build of torch
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export PYTHONPATH=$PWD HF_HUB_OFFLINE=1
"$PY" -c "import torch; assert torch.cuda.is_available(), 'no CUDA device visible'; print(torch.cuda.get_device_name(), torch.__version__)"
"$PY" -m pytest -q -x -p no:cacheprovider tests/stages/model
"$PY" scripts/bench_model_score.py --arch bert-base --docs "${DOCS:-20000}" --max-length 512 --baseline-docs "${BASELINE_DOCS:-2000}"
