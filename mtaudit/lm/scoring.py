"""Sentence scoring with a causal language model: the scorer that ties the pieces together,
fast on a CPU.

- ``mtaudit.lm.batching`` tokenises the sentences and cuts them into *pieces* (windows for long
  sentences, so nothing is silently truncated), sorted by length and grouped under a token
  budget;
- the transformer body runs once per batch or pack (``mtaudit.lm.packed``: batch-invariant,
  no padding; or the Hugging Face forward on right-padded batches: right padding and the
  causal mask make an attention mask unnecessary);
- ``mtaudit.lm.output_layer`` runs the output layer only on the positions that are scored,
  never writing the ``tokens x vocabulary`` logits to memory, optionally normalising over a
  subset of the vocabulary (the tokens French text uses: the target token's logit is always
  exact and joins the normaliser, so the only error is the probability mass of the tokens
  left out; measured: see docs/model.md);
- callers with many texts (``scan``: 16 articles at a time) score them in one call, so the
  batches are full;
- results (``mtaudit.lm.surprisal.SentenceScore``) are cached per (model, vocabulary mode,
  sentence).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Sequence

import torch

from mtaudit.lm import batching
from mtaudit.lm.batching import Piece
from mtaudit.lm.output_layer import STAT_KEYS, OutputLayer
from mtaudit.lm.surprisal import SentenceScore


class LanguageModel:
    """A loaded causal LM with its tokenizer, ready to score sentences."""

    def __init__(
        self,
        model,
        tokenizer,
        model_id: str = "model",
        fingerprint: str = "",
        info: dict | None = None,
        batch_tokens: int = 4096,
        max_batch: int = 64,
        window: int = 256,
        chunk_rows: int = 1024,
        vocab_block: int = 1024,
        bucket_ratio: float = 0.8,
        min_batch_tokens: int = 1024,
        vocab_subset: Sequence[int] | None = None,
        cache_size: int = 50_000,
        body: str = "packed",
        block_rows: int = 1024,
        token_stats: bool = True,
        precision: str = "auto",
    ):
        bound_heap()
        self.model = model
        self.tokenizer = tokenizer
        self.model_id = model_id
        self.fingerprint = fingerprint
        self.info = dict(info or {})
        self.batch_tokens = batch_tokens
        self.max_batch = max_batch
        limit = getattr(model.config, "max_position_embeddings", None) or getattr(
            model.config, "n_positions", None
        )
        self.window = max(8, min(window, limit) if limit else window)
        self.chunk_rows = chunk_rows
        self.vocab_block = vocab_block
        self.bucket_ratio = bucket_ratio
        self.min_batch_tokens = min_batch_tokens
        self.cache_size = cache_size
        # per-token entropy, variance of log p and rank, accumulated in the output layer's
        # vocabulary blocks (no second pass); the log-probabilities are the same either way
        self.token_stats = token_stats
        self._cache: OrderedDict[str, SentenceScore] = OrderedDict()
        self.stats = {
            "tokens": 0,  # scored tokens
            "input_tokens": 0,  # real (unpadded) input positions run through the body
            "padded_tokens": 0,  # positions including padding
            "head_row_flops": 0,  # FLOPs spent in the output layer
            "forward_seconds": 0.0,
            "body_seconds": 0.0,  # the transformer body alone
            "head_seconds": 0.0,  # the output layer alone
            "attention_flops": 0,  # q.k and attention x v products of the body (causal half)
            "cache_hits": 0,
        }

        self.body = model.base_model
        emb = model.get_input_embeddings().weight
        self.body_params = sum(p.numel() for p in self.body.parameters()) - emb.numel()
        # the transformer body: "packed" (mtaudit.lm.packed: batch-invariant, no padding; Gemma
        # 3 only) or "padded" (the Hugging Face forward on right-padded batches)
        from mtaudit.lm import packed
        from mtaudit.lm import precision as _precision

        if body not in ("packed", "padded"):
            raise ValueError(f"body must be 'packed' or 'padded', not {body!r}")
        use_packed = body == "packed" and packed.supports(model, self.window)
        # the type the scorer computes in (mtaudit.lm.precision); a float32 model has nothing
        # to convert
        to_float32 = _precision.resolve(precision) == "float32" and emb.dtype != torch.float32
        compute = torch.float32 if to_float32 else None
        if compute is not None and not use_packed:
            # the padded body is the Hugging Face forward: float32 means a float32 model
            model.float()
            compute = None
        self.info["precision"] = (
            "float32" if compute is not None else str(model.dtype).replace("torch.", "")
        )
        self.head = OutputLayer(
            model.get_output_embeddings(),
            getattr(model.config, "final_logit_softcapping", None),
            self.stats,
            dtype=compute,
        )
        self.head_weight = self.head.weight
        self.vocab_size = self.head.vocab_size
        self.bos_id = tokenizer.bos_token_id
        if self.bos_id is None:
            self.bos_id = tokenizer.eos_token_id
        self.pad_id = (
            tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (self.bos_id or 0)
        )
        self.set_vocab_subset(vocab_subset)
        self.block_rows = block_rows
        self.packed = None
        if use_packed:
            self.packed = packed.PackedBody(model, block_rows, dtype=compute)
        self.body_mode = "packed" if self.packed is not None else "padded"

    # ------------------------------------------------------------------ configuration
    def set_vocab_subset(self, ids: Sequence[int] | None) -> None:
        """Restrict the softmax normaliser to these token ids (None: the full vocabulary)."""
        self.head.set_subset(ids)
        self._cache.clear()

    @property
    def vocab_mode(self) -> str:
        return self.head.vocab_mode

    @property
    def cache_key_prefix(self) -> str:
        return f"{self.fingerprint}|{self.vocab_mode}|{self.window}|{self.body_mode}|{self.info['precision']}|{int(self.token_stats)}|"

    # ------------------------------------------------------------------ tokenisation
    def tokenize(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        return batching.tokenize(self.tokenizer, text)

    # ------------------------------------------------------------------ scoring
    def score(self, texts: Sequence[str]) -> list[SentenceScore]:
        """Score sentences; the order of the results follows ``texts``."""
        results: list[SentenceScore | None] = [None] * len(texts)
        todo: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            key = self.cache_key_prefix + t
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                results[i] = hit
                self.stats["cache_hits"] += 1
            else:
                todo.setdefault(t, []).append(i)
        if todo:
            uniq = list(todo)
            for t, sc in zip(uniq, self._score_uncached(uniq), strict=True):
                for i in todo[t]:
                    results[i] = sc
                self._cache[self.cache_key_prefix + t] = sc
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return results  # type: ignore[return-value]

    def _score_uncached(self, texts: list[str]) -> list[SentenceScore]:
        toks = [self.tokenize(t) for t in texts]
        logprobs: list[list[float | None]] = [[None] * len(ids) for ids, _ in toks]
        stats: dict[str, list[list[float | None]]] | None = None
        if self.token_stats:
            stats = {k: [[None] * len(ids) for ids, _ in toks] for k in STAT_KEYS}
        pieces = [
            p
            for si, (ids, _) in enumerate(toks)
            for p in batching.pieces(si, ids, self.window, self.bos_id)
        ]
        pieces.sort(key=lambda p: (-len(p.ids), p.sent, p.first))
        t0 = time.perf_counter()
        acc: dict = {"hidden": [], "first": [], "targets": [], "where": []}
        with torch.inference_mode():
            if self.packed is not None:
                batches = batching.packs(pieces, self.batch_tokens)
            else:
                batches = batching.batches(
                    pieces,
                    self.batch_tokens,
                    self.max_batch,
                    self.bucket_ratio,
                    self.min_batch_tokens,
                )
            for batch in batches:
                tb = time.perf_counter()
                if self.packed is not None:
                    self._run_packed(batch, acc)
                else:
                    self._run_batch(batch, acc)
                self.stats["body_seconds"] += time.perf_counter() - tb
                self._count_attention(batch)
                if len(acc["targets"]) >= 8192:  # bound the memory held for the head
                    self._timed_head(acc, logprobs, stats)
                    acc = {"hidden": [], "first": [], "targets": [], "where": []}
            self._timed_head(acc, logprobs, stats)
        self.stats["forward_seconds"] += time.perf_counter() - t0
        _release_memory()
        out = []
        for si, (t, (ids, offs), lps) in enumerate(zip(texts, toks, logprobs, strict=True)):
            pieces_txt = [self.tokenizer.convert_ids_to_tokens(i) for i in ids]
            extra = {k: v[si] for k, v in stats.items()} if stats is not None else {}
            out.append(SentenceScore(t, pieces_txt, offs, lps, extra))
        return out

    def _timed_head(
        self,
        acc: dict,
        logprobs: list[list[float | None]],
        stats: dict[str, list[list[float | None]]] | None = None,
    ) -> None:
        t0 = time.perf_counter()
        self._run_head(acc, logprobs, stats)
        self.stats["head_seconds"] += time.perf_counter() - t0

    def _count_attention(self, batch: list[Piece]) -> None:
        cfg = self.model.config
        heads = getattr(cfg, "num_attention_heads", 0) or 0
        head_dim = getattr(cfg, "head_dim", None) or (
            (getattr(cfg, "hidden_size", 0) or 0) // max(1, heads)
        )
        layers = getattr(cfg, "num_hidden_layers", 0) or 0
        width = None if self.packed is not None else len(batch[0].ids)
        for p in batch:  # 2 products x 2 FLOPs x L^2 / 2 (causal) per head and layer
            L = len(p.ids)
            self.stats["attention_flops"] += 2 * L * (width or L) * heads * head_dim * layers

    def _run_packed(self, batch: list[Piece], acc: dict) -> None:
        """The packed body on one pack; keep the hidden states of the scored positions."""
        hidden = self.packed.run([p.ids for p in batch])
        rows: list[int] = []
        first: list[bool] = []
        start = 0
        for p in batch:
            L = len(p.ids)
            s = L - p.n_score - 1  # hidden state at pos predicts ids[pos + 1]
            rows.extend(range(start + s, start + L - 1))
            first.extend(pos == 0 for pos in range(s, L - 1))
            acc["targets"].extend(p.ids[s + 1 : L])
            acc["where"].append((p.sent, p.first, p.n_score))
            start += L
        self.stats["input_tokens"] += start
        self.stats["padded_tokens"] += -(-start // self.block_rows) * self.block_rows
        acc["hidden"].append(hidden[torch.tensor(rows)])
        acc["first"].append(torch.tensor(first, dtype=torch.bool))

    def _run_batch(self, batch: list[Piece], acc: dict) -> None:
        """Run the transformer body on one batch; keep the final hidden states of the scored
        positions (the output layer runs later on all of them, in large chunks)."""
        width = len(batch[0].ids)
        ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        rows_b, rows_p = [], []
        for b, p in enumerate(batch):
            L = len(p.ids)
            ids[b, :L] = torch.tensor(p.ids)
            start = L - p.n_score - 1  # hidden state at pos predicts ids[pos + 1]
            rows_b.extend([b] * p.n_score)
            rows_p.extend(range(start, L - 1))
            acc["targets"].extend(p.ids[start + 1 : L])
            acc["where"].append((p.sent, p.first, p.n_score))
        self.stats["input_tokens"] += sum(len(p.ids) for p in batch)
        self.stats["padded_tokens"] += ids.numel()
        # right padding + causal attention: real tokens never see the padding, no mask needed
        hidden = self.body(input_ids=ids, use_cache=False).last_hidden_state
        rp = torch.tensor(rows_p)
        acc["hidden"].append(hidden[torch.tensor(rows_b), rp])
        acc["first"].append(rp == 0)

    def _run_head(
        self,
        acc: dict,
        logprobs: list[list[float | None]],
        stats: dict[str, list[list[float | None]]] | None = None,
    ) -> None:
        if not acc["hidden"]:
            return
        h = torch.cat(acc["hidden"])
        tg = torch.tensor(acc["targets"])
        self.stats["tokens"] += len(tg)
        st = torch.empty(len(tg), len(STAT_KEYS)) if stats is not None else None
        if self.head.subset is None:
            # every block of the output layer gets exactly chunk_rows rows (the last padded
            # with zero rows): the CPU kernels are chosen by the number of rows, so a token's
            # log-probability then does not depend on how many others are scored with it
            n, pad = len(tg), -len(tg) % self.chunk_rows
            if pad:
                h = torch.cat([h, h.new_zeros(pad, h.shape[1])])
                tg = torch.cat([tg, tg.new_zeros(pad)])
            st_full = torch.empty(len(tg), len(STAT_KEYS)) if st is not None else None
            lp = self.token_logprobs(h, tg, stats_out=st_full)[:n]
            if st is not None:
                st = st_full[:n]
                tg = tg[:n]
        else:
            # the token right after BOS is where a multilingual model spreads most mass over
            # other scripts: it always gets the full normaliser (one row per sentence)
            first = torch.cat(acc["first"])
            lp = torch.empty(len(tg), dtype=torch.float32)
            for m, full in ((first, True), (~first, False)):
                if m.any():
                    part = torch.empty(int(m.sum()), len(STAT_KEYS)) if st is not None else None
                    lp[m] = self.token_logprobs(h[m], tg[m], full=full, stats_out=part)
                    if st is not None:
                        st[m] = part
        vals = lp.tolist()
        svals = st.tolist() if st is not None else None
        k = 0
        for sent, first_tok, n in acc["where"]:
            logprobs[sent][first_tok : first_tok + n] = vals[k : k + n]
            if stats is not None:
                for j, key in enumerate(STAT_KEYS):
                    stats[key][sent][first_tok : first_tok + n] = [
                        None if math.isnan(r[j]) else r[j] for r in svals[k : k + n]
                    ]
            k += n

    def token_logprobs(
        self,
        h: torch.Tensor,
        targets: torch.Tensor,
        full: bool = False,
        stats_out: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """log p(target | h) for rows of final hidden states (``OutputLayer.token_logprobs``
        with this model's chunk and vocabulary-block sizes)."""
        return self.head.token_logprobs(
            h, targets, self.chunk_rows, self.vocab_block, full=full, stats_out=stats_out
        )


_LIBC = None
# glibc's mallopt parameters
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
# allocations from this size on get their own mapping, returned to the OS when freed
# (MTAUDIT_MMAP_THRESHOLD overrides; 0 keeps glibc's default)
MMAP_THRESHOLD = 4 * 2**20


def _libc():
    global _LIBC
    if _LIBC is None:
        try:
            import ctypes

            _LIBC = ctypes.CDLL("libc.so.6")
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
            _LIBC.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        except (OSError, AttributeError):
            _LIBC = False
    return _LIBC


def _release_memory() -> None:
    """Give freed heap memory back to the OS (glibc): batches of varying shapes otherwise
    fragment the heap and the resident size creeps up by gigabytes over a long run."""
    if _libc():
        _LIBC.malloc_trim(0)


def bound_heap() -> None:
    """Keep the scorer's large temporaries (float32 activations of 4-16 MB per block) out of
    the heap: glibc's default raises its mmap threshold to the size of the largest block
    freed, after which such blocks come from the heap and fragment it between
    ``malloc_trim`` calls. Measured on the seeds with the float32 path: peak RSS 1,352 MB
    with glibc's default, 1,196 MB with a fixed 4 MB threshold (resident size after scoring
    the same); on 10 WMT documents no measurable difference (docs/model.md)."""
    import os

    env = os.environ.get("MTAUDIT_MMAP_THRESHOLD", "")
    size = int(env) if env.isdigit() else MMAP_THRESHOLD
    if size and _libc():
        _LIBC.mallopt(_M_MMAP_THRESHOLD, size)
        _LIBC.mallopt(_M_TRIM_THRESHOLD, size)
