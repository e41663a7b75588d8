"""Sentence scoring with a causal language model: token log-probabilities, surprisal,
perplexity and the most surprising token, fast on a CPU.

How it stays fast:
- sentences are tokenised, cut into *pieces* (windows for long sentences, so nothing is
  silently truncated), sorted by length and batched under a token budget; right padding and
  the causal mask make an attention mask unnecessary;
- the transformer body runs once per batch, the output layer only on the positions that are
  scored, in chunks of rows and blocks of the vocabulary small enough to stay in the CPU
  cache, with the target's logit subtracted inside the matrix product (``_log_normaliser``):
  the ``tokens x vocabulary`` logits tensor is never written to memory;
- callers with many texts (``scan``: 16 articles at a time) score them in one call, so the
  batches are full;
- optionally the normaliser runs on a subset of the vocabulary (the tokens French text uses):
  the target token's logit is always exact and joins the normaliser, so the only error is the
  probability mass of the tokens left out (measured: see docs/model.md);
- results are cached per (model, vocabulary mode, sentence).
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import torch

_WORDCHAR = re.compile(r"[\w'’-]")


@dataclass
class SentenceScore:
    """Scores of one sentence. ``logprobs[i]`` is the natural log-probability of token i
    (None for a first token that could not be conditioned: a model without a BOS token).

    ``extra`` holds, when the model computes them (``LanguageModel.token_stats``), per-token
    statistics of the predictive distribution, aligned with ``logprobs`` (None where
    ``logprobs`` is None): ``entropy`` (nats), ``lp_var`` (variance of log p under the
    model's own next-token distribution: Fast-DetectGPT's sigma^2) and ``rank`` (1 + the
    number of vocabulary entries with a higher logit than the token's)."""

    text: str
    tokens: list[str]
    offsets: list[tuple[int, int]]
    logprobs: list[float | None]
    extra: dict = field(default_factory=dict)

    @property
    def scored(self) -> list[float]:
        return [lp for lp in self.logprobs if lp is not None]

    @property
    def n_tokens(self) -> int:
        return len(self.scored)

    @property
    def total_surprisal(self) -> float:
        return -sum(self.scored)

    @property
    def mean_surprisal(self) -> float:
        n = self.n_tokens
        return self.total_surprisal / n if n else 0.0

    @property
    def perplexity(self) -> float:
        return math.exp(self.mean_surprisal)

    @property
    def worst(self) -> int | None:
        """Index of the most surprising token. The first token is only a candidate when it is
        the only one: its surprise says more about the topic than about the wording."""
        best, idx = None, None
        skip_first = sum(lp is not None for lp in self.logprobs[1:]) > 0
        for i, lp in enumerate(self.logprobs):
            if i == 0 and skip_first:
                continue
            if lp is not None and (best is None or lp < best):
                best, idx = lp, i
        return idx

    def worst_span(self) -> tuple[int, int] | None:
        """Character span (in ``text``) of the word holding the most surprising token."""
        i = self.worst
        if i is None:
            return None
        return word_span(self.text, *self.offsets[i])


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a token's character span to the whole word(s) it touches, without the spaces."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:  # a pure-space token: point at the next word
        while end < len(text) and text[end].isspace():
            end += 1
        start = end
        while end < len(text) and not text[end].isspace():
            end += 1
        return (start, end) if end > start else (max(0, start - 1), start)
    while start > 0 and _WORDCHAR.match(text[start - 1]) and _WORDCHAR.match(text[start]):
        start -= 1
    while end < len(text) and _WORDCHAR.match(text[end]) and _WORDCHAR.match(text[end - 1]):
        end += 1
    return start, end


@dataclass
class _Piece:
    sent: int  # index of the sentence in the request
    first: int  # index (in the sentence's tokens) of the first scored token
    ids: list[int]  # input ids, BOS first when there is one
    n_score: int  # the last n_score input ids are scored


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
    ):
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
        head = model.get_output_embeddings()
        self.head_weight = head.weight.detach()
        self.head_bias = head.bias.detach() if getattr(head, "bias", None) is not None else None
        self.softcap = getattr(model.config, "final_logit_softcapping", None)
        self.vocab_size = int(self.head_weight.shape[0])
        self.bos_id = tokenizer.bos_token_id
        if self.bos_id is None:
            self.bos_id = tokenizer.eos_token_id
        self.pad_id = (
            tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (self.bos_id or 0)
        )
        self.set_vocab_subset(vocab_subset)
        # the transformer body: "packed" (mtaudit.lm.packed: batch-invariant, no padding; Gemma
        # 3 only) or "padded" (the Hugging Face forward on right-padded batches)
        from mtaudit.lm import packed

        if body not in ("packed", "padded"):
            raise ValueError(f"body must be 'packed' or 'padded', not {body!r}")
        self.block_rows = block_rows
        self.packed = None
        if body == "packed" and packed.supports(model, self.window):
            self.packed = packed.PackedBody(model, block_rows)
        self.body_mode = "packed" if self.packed is not None else "padded"

    # ------------------------------------------------------------------ configuration
    def set_vocab_subset(self, ids: Sequence[int] | None) -> None:
        """Restrict the softmax normaliser to these token ids (None: the full vocabulary)."""
        if ids is None:
            self.subset = None
            self.sub_weight = self.head_weight
            self.sub_bias = self.head_bias
            self.in_subset = None
            self.vocab_mode = "full"
        else:
            idx = torch.tensor(sorted(set(int(i) for i in ids if 0 <= int(i) < self.vocab_size)))
            self.subset = idx
            self.sub_weight = self.head_weight.index_select(0, idx).contiguous()
            self.sub_bias = (
                self.head_bias.index_select(0, idx) if self.head_bias is not None else None
            )
            mask = torch.zeros(self.vocab_size, dtype=torch.bool)
            mask[idx] = True
            self.in_subset = mask
            self.vocab_mode = f"subset{len(idx)}"
        self._cache.clear()

    @property
    def cache_key_prefix(self) -> str:
        return f"{self.fingerprint}|{self.vocab_mode}|{self.window}|{self.body_mode}|{int(self.token_stats)}|"

    # ------------------------------------------------------------------ tokenisation
    def tokenize(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        tok = self.tokenizer
        try:
            enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
            return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]
        except (NotImplementedError, ValueError, TypeError):
            ids = tok(text, add_special_tokens=False)["input_ids"]
            return list(ids), _offsets_by_decoding(tok, text, ids)

    def _pieces(self, si: int, ids: list[int]) -> list[_Piece]:
        w = self.window
        if self.bos_id is not None:
            seq, first_target = [self.bos_id] + ids, 1
        else:
            seq, first_target = list(ids), 1  # first token cannot be scored
        n = len(seq)
        if n <= first_target:
            return []
        out = []
        # first window: seq[0:w], targets seq[first_target:w]
        end = min(n, w)
        out.append(
            _Piece(
                si,
                first_target - 1 if self.bos_id is not None else 1,
                seq[:end],
                end - first_target,
            )
        )
        stride = max(1, w // 2)
        while end < n:
            new_end = min(n, end + stride)
            ctx_len = w - (new_end - end) - (1 if self.bos_id is not None else 0)
            start = max(0, end - ctx_len)
            body = seq[start:new_end]
            if self.bos_id is not None and start > 0:
                body = [self.bos_id] + body
            tok_first = end - 1 if self.bos_id is not None else end
            out.append(_Piece(si, tok_first, body, new_end - end))
            end = new_end
        return out

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
            stats = {k: [[None] * len(ids) for ids, _ in toks] for k in _STAT_KEYS}
        pieces = [p for si, (ids, _) in enumerate(toks) for p in self._pieces(si, ids)]
        pieces.sort(key=lambda p: (-len(p.ids), p.sent, p.first))
        t0 = time.perf_counter()
        acc: dict = {"hidden": [], "first": [], "targets": [], "where": []}
        with torch.inference_mode():
            batches = self._packs(pieces) if self.packed is not None else self._batches(pieces)
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

    def _batches(self, pieces: list[_Piece]):
        batch: list[_Piece] = []
        for p in pieces:  # longest first: the first piece of a batch sets its width
            width = len(batch[0].ids) if batch else len(p.ids)
            if batch and (
                (len(batch) + 1) * width > self.batch_tokens
                or len(batch) >= self.max_batch
                # padding would waste too much, and the batch is already large enough for
                # efficient matrix products (small batches cost more than their padding)
                or (
                    len(p.ids) < self.bucket_ratio * width
                    and len(batch) * width >= self.min_batch_tokens
                )
            ):
                yield batch
                batch = []
            batch.append(p)
        if batch:
            yield batch

    def _timed_head(
        self,
        acc: dict,
        logprobs: list[list[float | None]],
        stats: dict[str, list[list[float | None]]] | None = None,
    ) -> None:
        t0 = time.perf_counter()
        self._run_head(acc, logprobs, stats)
        self.stats["head_seconds"] += time.perf_counter() - t0

    def _count_attention(self, batch: list[_Piece]) -> None:
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

    def _packs(self, pieces: list[_Piece]):
        """Pieces in packs of about two token budgets for the packed body (how they are
        grouped does not change their numbers: it only bounds the memory held)."""
        pack: list[_Piece] = []
        n = 0
        for p in pieces:
            if pack and n + len(p.ids) > 2 * self.batch_tokens:
                yield pack
                pack, n = [], 0
            pack.append(p)
            n += len(p.ids)
        if pack:
            yield pack

    def _run_packed(self, batch: list[_Piece], acc: dict) -> None:
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

    def _run_batch(self, batch: list[_Piece], acc: dict) -> None:
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
        st = torch.empty(len(tg), len(_STAT_KEYS)) if stats is not None else None
        if self.subset is None:
            # every block of the output layer gets exactly chunk_rows rows (the last padded
            # with zero rows): the CPU kernels are chosen by the number of rows, so a token's
            # log-probability then does not depend on how many others are scored with it
            n, pad = len(tg), -len(tg) % self.chunk_rows
            if pad:
                h = torch.cat([h, h.new_zeros(pad, h.shape[1])])
                tg = torch.cat([tg, tg.new_zeros(pad)])
            st_full = torch.empty(len(tg), len(_STAT_KEYS)) if st is not None else None
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
                    part = torch.empty(int(m.sum()), len(_STAT_KEYS)) if st is not None else None
                    lp[m] = self.token_logprobs(h[m], tg[m], full=full, stats_out=part)
                    if st is not None:
                        st[m] = part
        vals = lp.tolist()
        svals = st.tolist() if st is not None else None
        k = 0
        for sent, first_tok, n in acc["where"]:
            logprobs[sent][first_tok : first_tok + n] = vals[k : k + n]
            if stats is not None:
                for j, key in enumerate(_STAT_KEYS):
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
        """log p(target | h) for rows of final hidden states, in float32, chunked.

        With ``stats_out`` (rows x 3), also the entropy, the variance of log p and the rank
        of the target under the (sub)vocabulary's distribution, in the same pass."""
        h = h.to(self.head_weight.dtype)
        sub_w, sub_b, in_sub = self.sub_weight, self.sub_bias, self.in_subset
        if full:
            sub_w, sub_b, in_sub = self.head_weight, self.head_bias, None
        out = torch.empty(len(targets), dtype=torch.float32)
        for s in range(0, len(targets), self.chunk_rows):
            hc, tc = h[s : s + self.chunk_rows], targets[s : s + self.chunk_rows]
            # exact target logit (float32 dot product with the target's output row)
            wt = self.head_weight.index_select(0, tc)
            tgt = (hc.float() * wt.float()).sum(-1)
            if self.head_bias is not None:
                tgt = tgt + self.head_bias.index_select(0, tc).float()
            self.stats["head_row_flops"] += 2 * hc.shape[0] * hc.shape[1] * sub_w.shape[0]
            if self.softcap:
                tgt = torch.tanh(tgt / self.softcap) * self.softcap
            so = stats_out[s : s + len(tc)] if stats_out is not None else None
            norm = self._log_normaliser(hc, sub_w, sub_b, tgt, so, None if in_sub is not None else tc)
            if in_sub is not None:
                missing = ~in_sub[tc]
                if missing.any():  # the target joins a normaliser it is not part of: +1 term
                    norm = torch.where(missing, torch.log1p(norm.exp()), norm)
            out[s : s + len(tc)] = -norm
        return out

    def _log_normaliser(
        self,
        hc: torch.Tensor,
        w: torch.Tensor,
        b: torch.Tensor | None,
        tgt: torch.Tensor,
        stats_out: torch.Tensor | None = None,
        targets: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``log sum_j exp(logit_j - tgt)`` per row, in float32: the log-probability of the
        target is minus this value.

        The output layer runs one block of the vocabulary at a time, so a block's logits
        (rows x vocab_block) stay in the CPU cache while they are reduced: the whole
        ``rows x vocabulary`` logits tensor is never written to memory, nor any float32 copy.
        The target's own logit (rounded to bf16, the rounding corrected exactly at the end) is
        subtracted inside the matrix product (``addmm``: the float32 accumulator, before the
        result is rounded to bf16), so the logits that matter, those near the target's, keep
        more precision than plain bf16 logits would: measured against a float32 output layer
        on 22,813 tokens (benchmarks/lm_precision.py), mean error 0.0015 nats instead of
        0.017, max 0.053 instead of 0.149. The sum is at least 1 (the target's own term); terms underflowing to zero are
        below e^-87 of it. Rows where a logit exceeds the target's by more than ~88 overflow
        and are recomputed with the row maximum as the shift.

        With ``stats_out`` the same blocks also give, per row, sum e^z z, sum e^z z^2 and the
        number of z > 0 (z = logit - shift): the entropy and the variance of log p follow
        (both shift-invariant), and the rank. The normaliser is computed exactly as without
        (same exp, same float32 sums): the log-probabilities stay bit-identical. Rows that
        overflow get NaN statistics."""
        rows, vb = hc.shape[0], self.vocab_block
        n_blocks = -(-w.shape[0] // vb)
        partial = torch.empty(rows, n_blocks, dtype=torch.float32)
        shift = tgt.to(hc.dtype)
        neg = (-shift).unsqueeze(1)
        if stats_out is None:
            for i in range(n_blocks):
                z = self._block_logits(hc, w, b, i, neg)
                torch.sum(z.exp_(), dim=-1, dtype=torch.float32, out=partial[:, i])
        else:
            m1 = torch.empty(rows, n_blocks, dtype=torch.float32)
            m2 = torch.empty(rows, n_blocks, dtype=torch.float32)
            above = torch.zeros(rows, dtype=torch.long)
            # z_j > tgt - shift  <=>  logit_j > the target's exact logit; the target's own
            # entry (rounded in the block) is taken back out of the count
            d = (tgt - shift.float()).unsqueeze(1)
            for i in range(n_blocks):
                z = self._block_logits(hc, w, b, i, neg)
                above += (z > d).sum(-1)
                if targets is not None:
                    hit = ((targets >= i * vb) & (targets < (i + 1) * vb)).nonzero().squeeze(1)
                    if len(hit):
                        zt = z[hit, targets[hit] - i * vb]
                        above[hit] -= (zt > d[hit, 0]).long()
                e = z.exp()
                torch.sum(e, dim=-1, dtype=torch.float32, out=partial[:, i])
                ez = e.mul_(z)
                torch.sum(ez, dim=-1, dtype=torch.float32, out=m1[:, i])
                torch.sum(ez.mul_(z), dim=-1, dtype=torch.float32, out=m2[:, i])
            total = partial.sum(-1)
            ez1 = m1.sum(-1) / total  # E_p[z]
            ez2 = m2.sum(-1) / total  # E_p[z^2]
            # log p_j = z_j - log total: entropy = log total - E[z], Var[log p] = Var[z]
            stats_out[:, 0] = total.log() - ez1
            stats_out[:, 1] = (ez2 - ez1 * ez1).clamp_(min=0.0)
            stats_out[:, 2] = (above + 1).float()
        out = partial.sum(-1).log_() + (shift.float() - tgt)
        bad = ~torch.isfinite(out)
        if bad.any():  # overflow: the max-shifted log-sum-exp for those rows
            lse = torch.stack(
                [
                    torch.logsumexp(self._block_logits(hc[bad], w, b, i).float(), dim=-1)
                    for i in range(n_blocks)
                ],
                dim=1,
            )
            out[bad] = torch.logsumexp(lse, dim=-1) - tgt[bad]
            if stats_out is not None:
                stats_out[bad] = float("nan")
        return out

    def _block_logits(
        self,
        hc: torch.Tensor,
        w: torch.Tensor,
        b: torch.Tensor | None,
        i: int,
        neg_shift: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits of vocabulary block ``i`` for the rows ``hc``, minus ``neg_shift``'s
        opposite when given (rows x 1), in the model's dtype."""
        vb = self.vocab_block
        wb = w[i * vb : (i + 1) * vb]
        if self.softcap or b is not None or neg_shift is None:
            logits = hc @ wb.T
            if b is not None:
                logits = logits + b[i * vb : (i + 1) * vb]
            if self.softcap:
                logits = torch.tanh(logits.float() / self.softcap) * self.softcap
            if neg_shift is not None:
                logits = (logits.float() + neg_shift.float()).to(hc.dtype)
            return logits
        return torch.addmm(neg_shift.expand(hc.shape[0], wb.shape[0]), hc, wb.T)


_STAT_KEYS = ("entropy", "lp_var", "rank")

_LIBC = None


def _release_memory() -> None:
    """Give freed heap memory back to the OS (glibc): batches of varying shapes otherwise
    fragment the heap and the resident size creeps up by gigabytes over a long run."""
    global _LIBC
    if _LIBC is None:
        try:
            import ctypes

            _LIBC = ctypes.CDLL("libc.so.6")
            _LIBC.malloc_trim.argtypes = [ctypes.c_size_t]
        except (OSError, AttributeError):
            _LIBC = False
    if _LIBC:
        _LIBC.malloc_trim(0)


def _offsets_by_decoding(tok, text: str, ids: list[int]) -> list[tuple[int, int]]:
    """Offsets for tokenizers without offset mapping: decode growing prefixes."""
    out, prev = [], 0
    for i in range(len(ids)):
        s = tok.decode(ids[: i + 1])
        cur = min(len(text), len(s))
        out.append((prev, max(prev, cur)))
        prev = max(prev, cur)
    return out
