"""tiktoken as the encoding engine of a Hugging Face byte-level BPE tokenizer, where exact.

tiktoken encodes byte-level BPE several times faster than the ``tokenizers`` pipeline, but
takes one pre-tokenisation regex and merges by the rank of the merged token. A
``tokenizer.json`` qualifies when both can be made to agree exactly:

- its pre-tokenizer is one we have translated (``_FAMILIES``): a sequence of ``Split``
  (isolated) regexes then ``ByteLevel`` without its own regex, rewritten as one regex whose
  alternatives give the same pieces (each later split's classes exclude what an earlier
  split isolates, lookaheads treat those characters as piece ends, and a last alternative
  keeps runs of characters no split matches, which the library keeps as pieces of their own
  and tiktoken would otherwise drop);
- no normalizer; a plain BPE model (no dropout, unknown token, prefixes or suffixes, byte
  fallback, ignore_merges);
- every merge produces a distinct token whose id grows with the merge's position, so
  tiktoken's ranks (the ids) order merges as the merge list does.

Anything else keeps the library's own engine. Decoding always goes through the library.
The tests compare both engines token for token (``test_fast_bpe_encodes_as_the_library``),
and ``scripts/bench_tokenize.py`` checks both sides' token totals on the shared corpus.
"""

from __future__ import annotations

from typing import Any

__all__ = ["tiktoken_engine"]

_CJK = "一-龥぀-ゟ゠-ヿ"
#: Characters that an earlier split isolates: a later split's piece ends before them.
_ISOLATED = f"{_CJK}\\p{{N}}"

# DeepSeek V3's pre-tokenizer (its tokenizer.json): digits in groups of 1-3, runs of CJK
# ideographs and kana, then a GPT-4-like split of the rest.
_DEEPSEEK_SPLITS = (
    r"\p{N}{1,3}",
    f"[{_CJK}]+",
    "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?"
    "[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
)
_DEEPSEEK_PATTERN = (
    r"\p{N}{1,3}"
    f"|[{_CJK}]+"
    r"|[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+"
    f"|[^\\r\\n\\p{{L}}\\p{{P}}\\p{{S}}{_ISOLATED}]?[\\p{{L}}\\p{{M}}--[{_CJK}]]+"
    f"| ?[\\p{{P}}\\p{{S}}--[{_CJK}]]+[\\r\\n]*"
    f"|[\\s--[{_ISOLATED}]]*[\\r\\n]+"
    f"|\\s+(?![^\\s{_ISOLATED}])"
    r"|\s+"
)


def _keeping_gaps(pattern: str) -> str:
    """``pattern``, plus runs of characters where none of its alternatives starts a match."""
    return f"{pattern}|(?:(?!{pattern})[\\s\\S])+"


_FAMILIES: dict[tuple[str, ...], str] = {_DEEPSEEK_SPLITS: _keeping_gaps(_DEEPSEEK_PATTERN)}


def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet, character → byte."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars, strict=True)}


def _splits(pre: Any) -> tuple[str, ...] | None:
    if not isinstance(pre, dict) or pre.get("type") != "Sequence":
        return None
    steps = pre.get("pretokenizers") or []
    if not steps or steps[-1] != {
        "type": "ByteLevel",
        "add_prefix_space": False,
        "trim_offsets": True,
        "use_regex": False,
    }:
        return None
    regexes = []
    for step in steps[:-1]:
        if step.get("type") != "Split" or step.get("behavior") != "Isolated" or step.get("invert"):
            return None
        regex = (step.get("pattern") or {}).get("Regex")
        if not isinstance(regex, str):
            return None
        regexes.append(regex)
    return tuple(regexes)


def tiktoken_engine(data: dict[str, Any], name: str) -> Any | None:
    """A ``tiktoken.Encoding`` that encodes exactly as the ``tokenizer.json`` ``data`` does,
    or None when it does not qualify (see the module docstring)."""
    try:
        import tiktoken
    except ImportError:
        return None
    pattern = _FAMILIES.get(_splits(data.get("pre_tokenizer")) or ())
    if pattern is None:
        return None
    if data.get("normalizer") not in (None, {"type": "Sequence", "normalizers": []}):
        return None
    model = data.get("model") or {}
    plain = {"dropout": None, "unk_token": None, "continuing_subword_prefix": None,
             "end_of_word_suffix": None, "byte_fallback": False}  # fmt: skip
    if model.get("type") != "BPE" or model.get("ignore_merges"):
        return None
    if any(model.get(k, v) not in (v, "") for k, v in plain.items()):
        return None
    vocab: dict[str, int] = model["vocab"]
    last = -1
    for merge in model["merges"]:
        a, b = merge.split(" ", 1) if isinstance(merge, str) else merge
        token_id = vocab.get(a + b)
        if token_id is None or token_id <= last:
            return None
        last = token_id
    decoder = _byte_decoder()
    ranks = {}
    for token, token_id in vocab.items():
        if all(ch in decoder for ch in token):
            ranks[bytes(decoder[ch] for ch in token)] = token_id
    if any(bytes([b]) not in ranks for b in range(256)):
        return None
    return tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens={})
