"""Our fastText prediction on the models beyond a plain softmax over words: character n-grams,
hierarchical softmax, quantized files (pruned, norm-quantized, quantized output) and the
``lid.176.ftz`` language-id model shipped with the quality stages, each against the library."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from refinery.errors import ConfigError
from stages.classify.fasttext_classifier import load_fasttext
from stages.classify.train import fit_fasttext
from stages.textutil.fasttext_file import ModelFileError, check_model_file, read_matrices
from stages.textutil.fasttext_kernel import tree_scores
from stages.textutil.fasttext_native import NativeFastText, _tree
from tests.stages.classify.test_fasttext_native import AWKWARD, DATA, _committed_texts, _library

pytest.importorskip("fasttext")

LID = Path(__file__).resolve().parents[3] / "stages/quality/resources/lid.176.ftz"
TOLERANCE = 2e-6  # float32 sums in fastText, float64 here (fasttext_native.py)

#: Sentences in languages of several scripts; the library's labels are the answers.
MULTILINGUAL = [
    "The central bank left interest rates unchanged on Thursday.",
    "中国人民银行宣布下调存款准备金率0.5个百分点。",
    "中國人民銀行宣佈下調存款準備金率。",
    "日本銀行は金融政策の現状維持を決めました。",
    "한국은행은 기준금리를 동결했다.",
    "La banque centrale a maintenu ses taux directeurs inchangés.",
    "Die Zentralbank hat die Leitzinsen unverändert gelassen.",
    "El banco central mantuvo sin cambios las tasas de interés.",
    "Центральный банк сохранил ключевую ставку без изменений.",
    "البنك المركزي أبقى أسعار الفائدة دون تغيير.",
    "केंद्रीय बैंक ने ब्याज दरों को अपरिवर्तित रखा।",
    "Ngân hàng trung ương giữ nguyên lãi suất.",
    "ธนาคารกลางคงอัตราดอกเบี้ยไว้ที่เดิม",
    "Η κεντρική τράπεζα διατήρησε αμετάβλητα τα επιτόκια.",
    "请运行 pip install refinery 然后执行 refinery run configs/demo.yaml 命令。",
    "Bank 银行 loan 贷款 rate 利率",
    "ok",
    "42",
]


def _texts() -> list[str]:
    return _committed_texts()[::3] + MULTILINGUAL + AWKWARD


def _train_file(tmp: Path, labels: int) -> Path:
    """The committed set, labelled into ``labels`` classes of unequal sizes (a Huffman tree
    with leaves at several depths for hierarchical softmax)."""
    lines = []
    for name in ("finance.jsonl", "general.jsonl"):
        with (DATA / name).open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                text = " ".join(json.loads(line)["text"].lower().split())
                label = min(int(np.log2(1 + i % 64)), labels - 1) if labels > 2 else name[0]
                lines.append(f"__label__{label} {text}")
    path = tmp / "train.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check_against_library(model, native: NativeFastText, texts: list[str]) -> None:
    got = native.predict_probs(pa.array(texts))
    expected = np.array(
        [[_library(model, t).get(lab, 0.0) for lab in native.labels] for t in texts]
    )
    long_ = np.array([len(t.split()) > 2000 or len(t) > 5000 for t in texts])
    tol = np.where(long_, 5e-5, TOLERANCE)
    gap = np.abs(got - expected).max(axis=1)
    assert (gap <= tol).all(), [(i, texts[i][:30], gap[i]) for i in np.flatnonzero(gap > tol)]
    ranked = np.sort(expected, axis=1)
    clear = ranked[:, -1] - ranked[:, -2] > 4 * TOLERANCE
    assert clear.mean() > 0.8
    assert np.array_equal(got[clear].argmax(1), expected[clear].argmax(1))


@pytest.mark.parametrize(
    "params",
    [
        {"minn": 2, "maxn": 4},  # softmax, the projected rows, with character n-grams
        {"minn": 3, "maxn": 5, "dim": 3},  # softmax over dim-wide rows (labels > dim / 2)
        {"loss": "hs", "wordNgrams": 2},  # hierarchical softmax, word bigrams
        {"loss": "hs", "minn": 2, "maxn": 4, "wordNgrams": 2},
    ],
    ids=["subwords", "subwords-dim3", "hs", "hs-subwords"],
)
def test_dense_models_equal_the_library(tmp_path, params):
    labels = 6 if params.get("loss") == "hs" else 2
    base = {"epoch": 5, "dim": 16, "bucket": 20_000, "thread": 1, "lr": 0.5}
    model = fit_fasttext(str(_train_file(tmp_path, labels)), 0, **{**base, **params})
    assert len(model.get_labels()) == labels
    _check_against_library(model, NativeFastText(model), _texts())


@pytest.mark.parametrize(
    "quant",
    # (a quantized output matrix, qout, needs 256 labels: decoded by the same function)
    [{"cutoff": 300, "qnorm": True}, {"cutoff": 0}, {"cutoff": 300, "dsub": 4}],
    ids=["pruned-qnorm", "unpruned", "pruned-dsub4"],
)
def test_quantized_models_equal_the_library(tmp_path, quant):
    train = _train_file(tmp_path, 6)
    params = {"epoch": 5, "dim": 18, "bucket": 20_000, "thread": 1, "lr": 0.5, "loss": "hs"}
    model = fit_fasttext(str(train), 0, minn=2, maxn=4, wordNgrams=2, **params)
    model.quantize(input=str(train), retrain=False, **quant)
    path = str(tmp_path / "model.ftz")
    model.save_model(path)
    model = load_fasttext(path)
    assert model.f.isQuant()
    mats = read_matrices(path)
    assert mats.pruned == (quant["cutoff"] > 0)
    rows = mats.input.shape[0]  # decoded rows = the library's rows
    assert rows == (len(model.get_words()) + (len(mats.prune_keys) if mats.pruned else 20_000))
    for i in list(range(0, rows, max(rows // 200, 1))) + [rows - 1]:
        assert np.array_equal(mats.input[i], model.get_input_vector(i)), i
    _check_against_library(model, NativeFastText(model, path), _texts())


def test_the_shipped_language_model_equals_the_library():
    model = load_fasttext(str(LID))
    native = NativeFastText(model, str(LID))
    assert native.hierarchical and len(native.labels) == 176
    texts = _texts()
    idx, probs = native.top_k(pa.array(texts), 3)
    same_top = 0
    for i, text in enumerate(texts):
        line = text.split("\n")[0]  # what the library reads of it
        labels, expected = model.predict(line, k=3)
        ours = [native.labels[j] for j in idx[i] if j >= 0]
        np.testing.assert_allclose(probs[i, : len(expected)], expected, atol=1e-5)
        if len(expected) > 1 and expected[0] - expected[1] < 1e-5:
            continue  # a tie within float32 rounding may come out either way
        assert ours[0] == labels[0], (i, ours, labels)
        same_top += 1
    assert same_top > 0.9 * len(texts)
    langs = [native.labels[j] for j in idx[len(_committed_texts()[::3]) :][:14, 0]]
    assert langs[:2] == ["__label__en", "__label__zh"]


def test_the_tree_scores_without_the_compiler():
    # fastText's Huffman tree, walked in Python and compiled: the same scores, which are the
    # log-probabilities of a distribution (they sum to 1 up to the 1e-5 in each log)
    counts = [50, 20, 20, 7, 2, 1]
    left, right = _tree(counts)
    assert left[-1] >= 0 and (left[: len(counts)] == -1).all()
    rng = np.random.default_rng(0)
    hidden, w_out = rng.normal(size=(4, 5)), rng.normal(size=(len(counts), 5))
    python = getattr(tree_scores, "py_func", tree_scores)
    got = tree_scores(hidden, w_out, left, right)
    np.testing.assert_allclose(python(hidden, w_out, left, right), got, rtol=1e-12)
    np.testing.assert_allclose(np.exp(got).sum(axis=1), 1.0, atol=1e-3)
    # the most frequent label sits nearest the root: the shortest path
    depth = [0] * (2 * len(counts) - 1)
    for node in range(len(depth) - 1, len(counts) - 1, -1):
        depth[left[node]] = depth[right[node]] = depth[node] + 1
    assert depth[0] == min(depth[: len(counts)]) and depth[5] == max(depth[: len(counts)])


def test_a_damaged_model_file_is_named_in_the_error(tmp_path):
    cut = tmp_path / "cut.ftz"
    cut.write_bytes(LID.read_bytes()[:100_000])
    with pytest.raises(ModelFileError, match=r"cut\.ftz: fastText model file ends early"):
        read_matrices(cut)
    other = tmp_path / "other.bin"
    other.write_bytes(b"\x00" * 64)
    with pytest.raises(ModelFileError, match=r"other\.bin: not a fastText model file"):
        read_matrices(other)
    extra = tmp_path / "extra.ftz"
    extra.write_bytes(LID.read_bytes() + b"\x00")
    with pytest.raises(ModelFileError, match="1 bytes after the output matrix"):
        read_matrices(extra)


def test_the_layout_check_refuses_every_cut_and_accepts_whole_models(tmp_path, monkeypatch):
    # fastText's loader trusts the sizes a file declares: a cut file could make it fill tens
    # of GB before failing, so the stages check the layout first (check_model_file)
    params = {"epoch": 1, "dim": 8, "bucket": 2_000, "thread": 1, "minn": 2, "maxn": 3}
    model = fit_fasttext(str(_train_file(tmp_path, 2)), 0, **params)
    dense = tmp_path / "dense.bin"
    model.save_model(str(dense))
    model.quantize(input=str(_train_file(tmp_path, 2)), retrain=False, cutoff=300, qnorm=True)
    quant = tmp_path / "quant.ftz"
    model.save_model(str(quant))
    for whole in (LID, dense, quant):
        check_model_file(whole)
        data = whole.read_bytes()
        cut = tmp_path / f"cut{whole.suffix}"
        # in the header, the dictionary, each matrix, one byte short
        for end in sorted({8, 60, 5_000, len(data) // 3, len(data) // 2, len(data) - 1}):
            cut.write_bytes(data[:end])
            with pytest.raises(ModelFileError, match=r"ends early"):
                check_model_file(cut)
        cut.write_bytes(data + b"\x00")
        with pytest.raises(ModelFileError, match="1 bytes after the output matrix"):
            check_model_file(cut)
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(ModelFileError, match="empty file"):
        check_model_file(empty)
    cut.write_bytes(LID.read_bytes()[:100_000])
    monkeypatch.setattr("fasttext.FastText._FastText", _never_load)
    with pytest.raises(ConfigError, match=r"cut\.ftz"):
        load_fasttext(str(cut))


def _never_load(*args, **kwargs):
    pytest.fail("fastText's loader was given a damaged file")


def test_more_unknown_words_than_are_remembered():
    # 140,000 distinct unknown words in one call, each line twice: the sums of the words past
    # the remembered ones are computed each time, and every line still equals the library's
    model = load_fasttext(str(LID))
    native = NativeFastText(model, str(LID))
    rng = np.random.default_rng(7)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    lines = [
        " ".join("".join(rng.choice(letters, 7)) + str(i * 500 + j) for j in range(500))
        for i in range(280)
    ]
    probs = native.predict_probs(pa.array(lines + lines))
    assert np.array_equal(probs[:280], probs[280:])
    for i in list(range(0, 280, 9)) + [279]:
        labels, expected = model.predict(lines[i], k=2)
        got = [probs[i, native.labels.index(label)] for label in labels]
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_the_kernel_without_the_compiler_on_character_ngrams():
    from stages.textutil.fasttext_kernel import doc_sums

    native = NativeFastText(load_fasttext(str(LID)), str(LID))
    texts = ["bank bank loan 银行贷款 rate", "", "é\x00x\ny", "ab ab ab", "x" * 100 + " x"]
    arr = pa.array(texts, pa.large_string())
    _, off, buf = arr.buffers()
    args = native.kernel_args(
        np.frombuffer(buf, np.uint8), np.frombuffer(off, np.int64)[: len(texts) + 1]
    )
    python = getattr(doc_sums, "py_func", doc_sums)
    sums_py, counts_py = python(*args)
    sums, counts = doc_sums(*args)
    assert np.array_equal(counts_py, counts) and counts.min() >= 1
    np.testing.assert_allclose(sums_py, sums, rtol=1e-12)


def test_a_result_does_not_depend_on_what_was_seen_before():
    # unknown words' sums are remembered from call to call: the same numbers as a fresh model's
    model = load_fasttext(str(LID))
    texts = _texts()
    fresh = NativeFastText(model, str(LID)).predict_probs(pa.array(texts[::-1]))[::-1]
    used = NativeFastText(model, str(LID))
    first = used.predict_probs(pa.array(texts))
    assert used._cache[-1][0] > 100  # words remembered
    assert np.array_equal(used.predict_probs(pa.array(texts[::-1]))[::-1], fresh)
    assert np.array_equal(first, fresh)


def test_a_loaded_model_pickles_with_what_it_remembers():
    # a stage set up on one process may be sent to another (Ray): the copy predicts the same
    import pickle

    native = NativeFastText(load_fasttext(str(LID)), str(LID))
    texts = _texts()
    before = native.predict_probs(pa.array(texts))
    copy = pickle.loads(pickle.dumps(native))
    assert copy._cache[-1][0] == native._cache[-1][0] > 0
    assert np.array_equal(copy.predict_probs(pa.array(texts)), before)
