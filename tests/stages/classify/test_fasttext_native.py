"""Our own fastText prediction (stages/textutil/fasttext_native.py) against the library's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from stages.classify.fasttext_classifier import FastTextClassifierScorer
from stages.classify.model_card import NEGATIVE_LABEL, POSITIVE_LABEL
from stages.classify.train import fit_fasttext
from stages.textutil.fasttext_hashing import fnv
from stages.textutil.fasttext_kernel import doc_sums
from stages.textutil.fasttext_native import NativeFastText, _probabilities, native_support

pytest.importorskip("fasttext")

DATA = Path(__file__).resolve().parents[2] / "data" / "classify"
# fastText sums the rows in float32, we in float64 (the module doc): its rounding grows with
# the number of rows, to 1.4e-5 for one word repeated 5,000 times (10,001 rows with bigrams;
# test_long_text_gap_is_fasttexts_float32_rounding)
TOLERANCE = 1e-6
LONG_TOLERANCE = 5e-5  # texts of more than 2,000 tokens

#: Text that tokenises differently under other rules than fastText's.
AWKWARD = [
    "",
    "   ",
    "\x0b\x0c\x00\r\t",  # fastText's blanks, and nothing else
    "银行贷款利率下调，存款准备金率不变。",  # unsegmented Chinese: one long token
    "银行　贷款\u00a0利率 rate",  # ideographic and no-break spaces are not fastText blanks
    "the\x00bank\rloan\tinterest\x0brate\x0cpayment",
    "\x1cbank\x1f loan\x85",  # str.split() would split on these; fastText does not
    "bank __label__positive loan __label__negative rate",  # labels inside the text
    "__label__ __label__nothing bank",
    "bank loan </s> river park garden",  # reading stops at a literal </s>
    "bank</s> loan",
    "zqxv wprt kkjh",  # only unknown words: their hashes still make bigrams
    "😀 bank 𠀀𠀁 loan 😀",  # outside the BMP
    "é è ñ ü ß café naïve Ωμέγα",  # bytes >= 0x80: fastText sign-extends them when hashing
    "bank " * 5000,  # long
    "x" * 20000,  # one long token
    "loan\nriver park",  # a newline ends the line: only "loan" counts
    "\nbank loan",
]


def _committed_texts() -> list[str]:
    texts = []
    for name in ("finance.jsonl", "general.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh]
    return texts


def _fit(tmp: Path, **params) -> object:
    """A small model on the committed set, Chinese cut into characters (fast, no jieba)."""
    lines = []
    for label, name in ((POSITIVE_LABEL, "finance.jsonl"), (NEGATIVE_LABEL, "general.jsonl")):
        with (DATA / name).open(encoding="utf-8") as fh:
            for line in fh:
                text = " ".join(json.loads(line)["text"].lower().split())
                text = "".join(f" {c} " if "\u4e00" <= c <= "\u9fff" else c for c in text)
                lines.append(f"{label} {text}")
    path = tmp / "train.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = {"epoch": 5, "dim": 32, "wordNgrams": 2, "bucket": 20_000, "thread": 1, "lr": 0.5}
    return fit_fasttext(str(path), 0, **{**base, **params})


@pytest.fixture(scope="module", params=[1, 2, 3], ids=lambda n: f"wordNgrams{n}")
def model(request, tmp_path_factory):
    return _fit(tmp_path_factory.mktemp("native"), wordNgrams=request.param)


def _library(model, text: str) -> dict[str, float]:
    """fastText's own prediction of ``text``: ``predict`` (which refuses a newline), else the
    binding it calls, with the newline ``predict`` appends."""
    if "\n" not in text:
        labels, probs = model.predict(text, k=-1)
        return dict(zip(labels, map(float, probs), strict=True))
    return {label: p for p, label in model.f.predict(text + "\n", -1, 0.0, "strict")}


def _texts() -> list[str]:
    committed = _committed_texts()
    return committed + [t.lower() for t in committed[::7]] + AWKWARD


def test_scores_equal_the_library(model):
    native = NativeFastText(model)
    texts = _texts()
    got = native.predict_probs(pa.array(texts))
    assert got.shape == (len(texts), len(native.labels))
    expected = np.array(
        [[_library(model, t).get(lab, 0.0) for lab in native.labels] for t in texts]
    )
    tol = np.array([LONG_TOLERANCE if len(t.split()) > 2000 else TOLERANCE for t in texts])
    gap = np.abs(got - expected).max(axis=1)
    assert (gap <= tol).all(), [(i, texts[i][:40], gap[i]) for i in np.flatnonzero(gap > tol)]
    assert gap.max() > 0  # float64 sums: not the library's numbers copied
    # the same label on top wherever fastText's own rounding cannot swap them
    margin = np.abs(expected[:, 0] - expected[:, 1])
    clear = margin > 2 * TOLERANCE
    assert np.array_equal(got[clear].argmax(1), expected[clear].argmax(1))
    assert clear.sum() > 0.9 * len(texts)


def test_hashes_equal_fasttexts(model):
    # fastText's subword id of a string is nwords + hash % bucket: our hash, sign extension of
    # bytes >= 0x80 included, against the library's for every word and the awkward tokens
    words = model.get_words()
    tokens = words + [tok for t in AWKWARD for tok in t.split()] + ["é", "\xff", "𠀀", "a\x80"]
    nwords, bucket = len(words), model.f.getArgs().bucket
    if bucket == 0:
        pytest.skip("fastText keeps no buckets for a model without n-grams")
    for tok in tokens:
        raw = np.frombuffer(tok.encode("utf-8"), np.uint8)
        assert nwords + int(fnv(raw, 0, len(raw))) % bucket == model.get_subword_id(tok), tok


def test_the_kernel_without_the_compiler_gives_the_same_sums(model):
    # the plain Python function numba compiles: the same logic, checked without the compiler
    native = NativeFastText(model)
    python = getattr(doc_sums, "py_func", doc_sums)
    texts = ["bank loan 银 行 rate", "", "a __label__positive b </s> c", "é\x00x\ny", "zqxv wprt"]
    arr = pa.array(texts, pa.large_string())
    _, off, buf = arr.buffers()
    args = native.kernel_args(
        np.frombuffer(buf, np.uint8), np.frombuffer(off, np.int64)[: len(texts) + 1]
    )
    with np.errstate(over="ignore"):  # uint64 n-gram hashes wrap around, as in fastText
        sums_py, counts_py = python(*args)
    sums, counts = doc_sums(*args)
    assert np.array_equal(counts_py, counts) and counts.min() >= 1
    np.testing.assert_allclose(sums_py, sums, rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        _probabilities(sums, counts),
        [[_library(model, t).get(lab, 0.0) for lab in native.labels] for t in texts],
        atol=TOLERANCE,
    )


def test_arrow_slices_chunks_and_nulls(model):
    native = NativeFastText(model)
    texts = _committed_texts()[:30]
    whole = native.predict_probs(pa.array(texts))
    assert np.array_equal(native.predict_probs(pa.array(texts)[7:19]), whole[7:19])
    chunked = pa.chunked_array([pa.array(texts[:10]), pa.array(texts[10:])])
    assert np.array_equal(native.predict_probs(pa.array(texts, pa.large_string())), whole)
    assert np.array_equal(native.predict_probs(chunked), whole)
    with_null = native.predict_probs(pa.array([None, texts[0]]))
    assert np.array_equal(with_null, native.predict_probs(pa.array(["", texts[0]])))
    assert native.predict_probs(pa.array([], pa.string())).shape == (0, 2)


def test_no_rows_means_no_prediction():
    # fastText predicts nothing for a line without input rows: scores of 0, as the stage's
    # fastText path reports a label absent from the prediction
    probs = _probabilities(np.array([[0.0, 0.0], [1.0, -1.0]]), np.array([0, 2]))
    assert probs[0].tolist() == [0.0, 0.0]
    assert probs[1].sum() == pytest.approx(1 + 2e-5, abs=1e-6)  # p + 1e-5, as predict returns


@pytest.mark.parametrize(
    ("params", "reason"),
    [({"loss": "ova"}, "loss ova"), ({"loss": "ns"}, "loss ns")],
)
def test_models_not_covered_are_scored_by_the_library(tmp_path, params, reason):
    model = _fit(tmp_path, **params)
    assert reason in (native_support(model) or "")
    with pytest.raises(ValueError, match=reason):
        NativeFastText(model)
    path = str(tmp_path / "model.bin")
    model.save_model(path)
    stage = FastTextClassifierScorer(model_path=path, classifier="fallback")
    stage.setup()
    assert stage.engine == "fasttext"
    texts = ["bank loan interest rate", "the park by the river"]
    out = stage(pa.table({"text": texts}))
    expected = [_library(model, t)[POSITIVE_LABEL] for t in ["bank loan interest rate", texts[1]]]
    assert np.array_equal(out["fallback_score"].to_numpy(), np.array(expected, np.float32))
    assert stage.batch_counters(out) == {"scored_fasttext": 2}


def _fnv_py(token: str) -> int:
    h = 2166136261
    for c in token.encode("utf-8"):
        h = ((h ^ (c | 0xFFFFFF00 if c >= 128 else c)) * 16777619) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h  # fastText keeps the hashes as int32


def test_long_text_gap_is_fasttexts_float32_rounding(tmp_path):
    # "bank" 5,000 times: fastText's own prediction is reproduced by summing its rows in float32,
    # in its order, and ours by the same sum in float64; the two differ by float32 rounding
    model = _fit(tmp_path, wordNgrams=2)
    text = "bank " * 5000
    nwords, bucket = len(model.get_words()), model.f.getArgs().bucket
    bank, eos = _fnv_py("bank"), _fnv_py("</s>")

    def bigram(a: int, b: int) -> int:
        return nwords + ((a % 2**64) * 116049371 + b % 2**64) % 2**64 % bucket

    rows = [model.get_word_id("bank")] * 5000 + [model.get_word_id("</s>")]
    rows += [bigram(bank, bank)] * 4999 + [bigram(bank, eos)]
    w_in, w_out = model.get_input_matrix(), model.get_output_matrix()
    hidden32 = np.cumsum(w_in[rows], axis=0, dtype=np.float32)[-1] * np.float32(1 / len(rows))
    hidden64 = w_in[rows].astype(np.float64).mean(axis=0)

    def softmax(x):
        e = np.exp(x - x.max())
        return e / e.sum() + 1e-5

    library = _library(model, text.strip())
    labels = model.get_labels()
    fasttext_like = softmax((w_out @ hidden32).astype(np.float32))
    np.testing.assert_allclose(fasttext_like, [library[lab] for lab in labels], atol=2e-7)
    ours = NativeFastText(model).predict_probs(pa.array([text]))[0]
    np.testing.assert_allclose(ours, softmax(w_out.astype(np.float64) @ hidden64), atol=2e-7)
    assert 1e-6 < np.abs(ours - fasttext_like).max() < LONG_TOLERANCE


def test_a_quantized_model_needs_its_file():
    # the library does not export a quantized model's matrices: they are read from its file
    from stages.classify.fasttext_classifier import load_fasttext

    lid = Path(__file__).resolve().parents[3] / "stages/quality/resources/lid.176.ftz"
    model = load_fasttext(str(lid))
    assert native_support(model) == "quantized model given without its file"
    assert native_support(model, str(lid)) is None
