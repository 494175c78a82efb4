"""Micro-batches for a model: documents grouped by length under a token budget.

A Ray batch (hundreds or thousands of documents) is cut into micro-batches that go through
the model one at a time. Documents are taken longest first, so each micro-batch holds
documents of similar length and little of it is padding; a micro-batch holds as many
documents as fit in ``budget`` padded tokens (``rows × longest``). Results are put back in
the input order by the runner.

``TokenBudget`` is the automatic batch size. On a GPU it is found once per actor by
``probe``: forwards of full-length dummy batches, doubling the budget until the GPU runs
out of memory, the cap is reached, or throughput stops growing; the largest budget that
ran is kept. During the run an out-of-memory error halves the budget and the micro-batch
is retried in halves (``halve``): a long document later in the data never stops a run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from refinery.errors import StageError

__all__ = ["TokenBudget", "is_oom", "take_micro_batch"]


def is_oom(exc: BaseException) -> bool:
    """True for a device out-of-memory error (CUDA's, or any torch backend's)."""
    import torch

    return isinstance(exc, torch.OutOfMemoryError)


def take_micro_batch(
    pending: list[tuple[int, list[int]]], budget: int, max_rows: int, final: bool
) -> list[tuple[int, list[int]]] | None:
    """Remove and return the next micro-batch from ``pending`` (sorted longest first).

    A micro-batch is the longest prefix with ``rows × longest <= budget`` and at most
    ``max_rows`` rows (always at least one row). Unless ``final``, returns None when the
    prefix is not yet full (more documents may still arrive to fill it).
    """
    if not pending:
        return None
    longest = max(1, len(pending[0][1]))
    rows = max(1, min(max_rows, budget // longest))
    if rows > len(pending) and not final:
        return None
    batch = pending[:rows]
    del pending[:rows]
    return batch


@dataclass
class TokenBudget:
    """Padded tokens per micro-batch: the automatic batch size, shrunk on out-of-memory."""

    tokens: int
    #: the smallest budget worth trying: one document of the longest allowed length
    floor: int
    backoffs: int = 0
    history: list[int] = field(default_factory=list)

    def halve(self, failed_tokens: int) -> None:
        """An out-of-memory error at ``failed_tokens``: never try that many again."""
        new = max(1, min(self.tokens, failed_tokens) // 2)
        self.backoffs += 1
        self.history.append(new)
        self.tokens = new

    def probe(
        self,
        run: Callable[[int], None],
        cap: int,
        start: int = 2048,
        min_gain: float = 1.05,
    ) -> int:
        """Find and keep the largest useful budget: ``run(tokens)`` runs one dummy micro-batch
        of about ``tokens`` padded tokens (raising torch.OutOfMemoryError when it does not
        fit). Doubles from ``start`` (at least ``floor``) up to ``cap``; stops at the first
        out-of-memory error or when a doubling gains less than ``min_gain`` in tokens/s."""
        tokens = max(min(start, cap), self.floor)
        best, best_rate = 0, 0.0
        while tokens <= cap:
            try:
                run(tokens)  # warm-up: kernels, allocator
                t0 = time.perf_counter()
                run(tokens)
                rate = tokens / max(time.perf_counter() - t0, 1e-9)
            except Exception as exc:
                if not is_oom(exc):
                    raise
                self.history.append(-tokens)
                break
            self.history.append(tokens)
            if best and rate < best_rate * min_gain:
                break  # it fits, but is no faster: keep the smaller budget's headroom
            best, best_rate = tokens, rate
            tokens *= 2
        if best == 0:
            raise StageError(
                f"one document of {self.floor} tokens does not fit on the device; lower max_length"
            )
        self.tokens = best
        return best
