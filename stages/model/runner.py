"""Running a model over many texts: tokenise ahead on a thread, length-sorted micro-batches,
``torch.inference_mode``, automatic batch size with out-of-memory back-off.

The GPU should never wait for the CPU. A producer thread tokenises the texts (the Rust fast
tokenizer releases the GIL), sorts them longest first and cuts padded micro-batches under
the token budget (``batching.take_micro_batch``), pinning their memory on a GPU; the
caller's thread copies each to the device and runs the forward while the producer prepares
the next ones (a queue of ``prefetch`` micro-batches). Outputs go back in the input order.
The forward is a function of (model, input_ids, attention_mask) returning one row per
document, so the classifier, the perplexity and the embedding stages share everything else.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import numpy as np

from refinery.errors import StageError
from stages.model.batching import TokenBudget, is_oom, take_micro_batch

if TYPE_CHECKING:
    import torch

__all__ = ["ForwardFn", "ModelRunner", "RunStats"]

ForwardFn = Callable[[Any, "torch.Tensor", "torch.Tensor"], "torch.Tensor"]

#: the CPU budget: larger calls are no faster on a CPU (measured: 16k tokens slower than 4-8k)
#: and pad more
_CPU_TOKENS = 4096
_DONE = object()


@dataclass
class RunStats:
    """Counts since the last ``take``: documents, real and padded tokens, forward time."""

    model_docs: int = 0
    model_tokens: int = 0
    model_padded_tokens: int = 0
    model_us: int = 0  # time in the model's forward (and the copies to and from it)
    micro_batches: int = 0
    oom_backoffs: int = 0
    gpu_util_pct_sum: int = 0
    gpu_util_pct_samples: int = 0

    def take(self) -> dict[str, int]:
        """The counts as stats.json counters (``model_tokens_per_s`` etc. are derived from
        them, see ``refinery.runtime.counters.derived``), reset to zero."""
        out = {f.name: int(getattr(self, f.name)) for f in fields(self)}
        for f in fields(self):
            setattr(self, f.name, 0)
        return out


@dataclass
class _Micro:
    rows: np.ndarray  # positions in the input
    input_ids: Any
    attention_mask: Any
    tokens: int


class ModelRunner:
    """One model on one device, scoring lists of texts. Built once per actor."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        device: torch.device,
        forward: ForwardFn,
        *,
        max_length: int,
        truncation_side: str = "right",
        token_budget: int | None = None,
        max_rows: int = 1024,
        prefetch: int = 4,
        tokenize_chunk: int = 256,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.device = device
        self.forward = forward
        self.max_length = max_length
        self.max_rows = max_rows
        self.prefetch = prefetch
        self.tokenize_chunk = tokenize_chunk
        self.tokenizer.truncation_side = truncation_side
        self.stats = RunStats()
        default = _CPU_TOKENS if device.type == "cpu" else max_length * 8
        self.budget = TokenBudget(tokens=token_budget or default, floor=max_length)
        self.pad_id = int(tokenizer.pad_token_id)

    # -- automatic batch size -------------------------------------------------------------
    def autosize(self, cap: int) -> int:
        """Probe the device for the largest useful token budget (see ``TokenBudget.probe``)."""
        import torch

        filler = int(self.tokenizer.unk_token_id or self.tokenizer.eos_token_id or 0)

        def run(tokens: int) -> None:
            rows = max(1, tokens // self.max_length)
            ids = torch.full((rows, self.max_length), filler, dtype=torch.long, device=self.device)
            try:
                with torch.inference_mode():
                    self.forward(self.model, ids, torch.ones_like(ids)).float().cpu()
            finally:
                del ids
                self._release()

        return self.budget.probe(run, cap=cap)

    def _release(self) -> None:
        if self.device.type == "cuda":
            import torch

            torch.cuda.empty_cache()

    # -- scoring --------------------------------------------------------------------------
    def run(self, texts: list[str]) -> np.ndarray:
        """One output row per text (float32), in the order of ``texts``. A text that
        tokenises to nothing gets a row of NaN."""
        n = len(texts)
        results: np.ndarray | None = None
        q: queue.Queue[Any] = queue.Queue(maxsize=self.prefetch)
        stop = threading.Event()
        producer = threading.Thread(target=self._produce, args=(texts, q, stop), daemon=True)
        producer.start()
        try:
            while True:
                item = q.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                out = self._forward_with_backoff(item)
                if results is None:
                    results = np.full((n, *out.shape[1:]), np.nan, dtype=np.float32)
                results[item.rows] = out
                self.stats.micro_batches += 1
        finally:
            stop.set()
            while producer.is_alive():  # unblock a producer waiting on a full queue
                try:
                    q.get_nowait()
                except queue.Empty:
                    producer.join(0.01)
        self.stats.model_docs += n
        self._sample_gpu()
        if results is None:  # nothing to score: NaN rows of the forward's output shape
            return np.full((n, *self._row_shape()), np.nan, dtype=np.float32)
        return results

    def _row_shape(self) -> tuple[int, ...]:
        """The shape of one document's output, from a forward of one two-token dummy row."""
        import torch

        ids = torch.full((1, 2), self.pad_id, dtype=torch.long, device=self.device)
        with torch.inference_mode():
            out = self.forward(self.model, ids, torch.ones_like(ids))
        return tuple(out.shape[1:])

    def _produce(self, texts: list[str], q: queue.Queue[Any], stop: threading.Event) -> None:
        try:
            # longest (by characters) first: similar token lengths arrive together, and the
            # biggest micro-batches come first, so an out-of-memory back-off happens early
            order = np.argsort(-np.fromiter((len(t) for t in texts), np.int64, len(texts)))
            pending: list[tuple[int, list[int]]] = []
            for start in range(0, len(texts), self.tokenize_chunk):
                if stop.is_set():
                    return
                chunk = order[start : start + self.tokenize_chunk]
                enc = self.tokenizer(
                    [texts[i] for i in chunk],
                    truncation=True,
                    max_length=self.max_length,
                    return_attention_mask=False,
                )["input_ids"]
                pending.extend((int(i), ids) for i, ids in zip(chunk, enc, strict=True) if ids)
                pending.sort(key=lambda p: -len(p[1]))
                final = start + self.tokenize_chunk >= len(texts)
                while not stop.is_set():
                    taken = take_micro_batch(pending, self.budget.tokens, self.max_rows, final)
                    if taken is None:
                        break
                    q.put(self._collate(taken))
            q.put(_DONE)
        except BaseException as exc:  # handed to the caller's thread, which raises it
            q.put(exc)

    def _collate(self, taken: list[tuple[int, list[int]]]) -> _Micro:
        import torch

        longest = max(len(ids) for _, ids in taken)
        ids = np.full((len(taken), longest), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(taken), longest), dtype=np.int64)
        for r, (_, toks) in enumerate(taken):
            ids[r, : len(toks)] = toks
            mask[r, : len(toks)] = 1
        t_ids, t_mask = torch.from_numpy(ids), torch.from_numpy(mask)
        if self.device.type == "cuda":
            t_ids, t_mask = t_ids.pin_memory(), t_mask.pin_memory()
        rows = np.fromiter((i for i, _ in taken), np.int64, len(taken))
        return _Micro(rows, t_ids, t_mask, int(mask.sum()))

    def _forward_with_backoff(self, micro: _Micro) -> np.ndarray:
        import torch

        try:
            t0 = time.perf_counter()
            with torch.inference_mode():
                ids = micro.input_ids.to(self.device, non_blocking=True)
                mask = micro.attention_mask.to(self.device, non_blocking=True)
                out = self.forward(self.model, ids, mask).float().cpu().numpy()
            self.stats.model_us += int((time.perf_counter() - t0) * 1e6)
            self.stats.model_tokens += micro.tokens
            self.stats.model_padded_tokens += int(micro.input_ids.numel())
            return out
        except Exception as exc:
            if not is_oom(exc):
                raise
        # out of memory: forget this size, retry in halves (outside the except block, so
        # the failed forward's tensors held by the traceback are freed first)
        self._release()
        rows = len(micro.rows)
        padded = int(micro.input_ids.numel())
        if rows == 1:
            raise StageError(
                f"one document of {micro.input_ids.shape[1]} tokens does not fit on the device "
                "even alone; lower max_length"
            )
        self.budget.halve(padded)
        self.stats.oom_backoffs += 1
        half = rows // 2
        parts = [self._sub(micro, slice(0, half)), self._sub(micro, slice(half, rows))]
        return np.concatenate([self._forward_with_backoff(p) for p in parts])

    @staticmethod
    def _sub(micro: _Micro, rows: slice) -> _Micro:
        mask = micro.attention_mask[rows]
        longest = int(mask.sum(dim=1).max())
        return _Micro(
            micro.rows[rows],
            micro.input_ids[rows, :longest],
            mask[:, :longest],
            int(mask.sum()),
        )

    def _sample_gpu(self) -> None:
        if self.device.type != "cuda":
            return
        import torch

        try:
            pct = torch.cuda.utilization(self.device)
        except Exception:  # no NVML (pynvml) on this machine: utilisation is not reported
            return
        self.stats.gpu_util_pct_sum += int(pct)
        self.stats.gpu_util_pct_samples += 1
