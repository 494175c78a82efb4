"""Evaluation of a binary classifier on held-out documents: metrics and a score histogram."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["binary_metrics", "roc_auc", "write_histogram_png"]


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve: the probability that a random positive scores above a random
    negative (ties count one half), by the Mann-Whitney rank sum. NaN without both classes."""
    pos = labels.astype(bool)
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores), dtype=np.float64)
    # average ranks (1-based) over runs of equal scores
    _, start, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = start + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def binary_metrics(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, Any]:
    """Precision, recall, F1 and accuracy at ``threshold`` (score >= threshold is positive),
    ROC AUC, and the confusion counts."""
    pos = labels.astype(bool)
    pred = scores >= threshold
    tp = int((pred & pos).sum())
    fp = int((pred & ~pos).sum())
    fn = int((~pred & pos).sum())
    tn = int((~pred & ~pos).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round((tp + tn) / max(len(scores), 1), 4),
        "roc_auc": round(roc_auc(scores, labels), 4),
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
        "documents": int(len(scores)),
    }


def write_histogram_png(
    path: str | Path, scores: np.ndarray, labels: np.ndarray, title: str, threshold: float
) -> None:
    """Held-out score histograms of both classes in one PNG (matplotlib, headless)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = labels.astype(bool)
    bins = [i / 20 for i in range(21)]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.hist(scores[~pos], bins=bins, alpha=0.6, label=f"negative (n={int((~pos).sum())})")
    ax.hist(scores[pos], bins=bins, alpha=0.6, label=f"positive (n={int(pos.sum())})")
    ax.axvline(
        threshold, color="black", linestyle="--", linewidth=1, label=f"threshold {threshold}"
    )
    ax.set_xlabel("score = P(positive)")
    ax.set_ylabel("held-out documents")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(str(path), format="png")
    plt.close(fig)
