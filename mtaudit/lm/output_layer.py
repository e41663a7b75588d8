"""The output layer of the language model, run only on the positions that are scored:
``log p(target | hidden state)`` without ever writing the ``tokens x vocabulary`` logits to
memory (blocks of the vocabulary small enough to stay in the CPU cache, the target's logit
subtracted inside the matrix product), optionally normalised over a subset of the vocabulary,
with per-token statistics of the predictive distribution (entropy, variance of log p, rank)
from the same pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

# the columns of ``stats_out``, in order
STAT_KEYS = ("entropy", "lp_var", "rank")


class OutputLayer:
    """The model's output embedding (weight, optional bias, optional final logit soft-cap) and
    the vocabulary its softmax normalises over. ``stats`` (a dict shared with the caller) gets
    the FLOPs spent, under ``head_row_flops``.

    ``dtype``: the type the logits are computed in (mtaudit.lm.precision); by default the
    weight's. When it differs (float32 logits of a bf16 model), each vocabulary block of the
    weight is converted as it is used: no converted copy of the whole matrix is kept."""

    def __init__(self, head, softcap: float | None, stats: dict, dtype: torch.dtype | None = None):
        self.weight = head.weight.detach()
        self.dtype = dtype or self.weight.dtype
        self.bias = head.bias.detach() if getattr(head, "bias", None) is not None else None
        self.softcap = softcap
        self.vocab_size = int(self.weight.shape[0])
        self.stats = stats
        self.set_subset(None)

    def set_subset(self, ids: Sequence[int] | None) -> None:
        """Restrict the softmax normaliser to these token ids (None: the full vocabulary)."""
        if ids is None:
            self.subset = None
            self.sub_weight = self.weight
            self.sub_bias = self.bias
            self.in_subset = None
            self.vocab_mode = "full"
        else:
            idx = torch.tensor(sorted(set(int(i) for i in ids if 0 <= int(i) < self.vocab_size)))
            self.subset = idx
            self.sub_weight = self.weight.index_select(0, idx).contiguous()
            self.sub_bias = self.bias.index_select(0, idx) if self.bias is not None else None
            mask = torch.zeros(self.vocab_size, dtype=torch.bool)
            mask[idx] = True
            self.in_subset = mask
            self.vocab_mode = f"subset{len(idx)}"

    def token_logprobs(
        self,
        h: torch.Tensor,
        targets: torch.Tensor,
        chunk_rows: int,
        vocab_block: int,
        full: bool = False,
        stats_out: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """log p(target | h) for rows of final hidden states, in float32, chunked.

        With ``stats_out`` (rows x 3), also the entropy, the variance of log p and the rank
        of the target under the (sub)vocabulary's distribution, in the same pass."""
        h = h.to(self.dtype)
        sub_w, sub_b, in_sub = self.sub_weight, self.sub_bias, self.in_subset
        if full:
            sub_w, sub_b, in_sub = self.weight, self.bias, None
        out = torch.empty(len(targets), dtype=torch.float32)
        for s in range(0, len(targets), chunk_rows):
            hc, tc = h[s : s + chunk_rows], targets[s : s + chunk_rows]
            # exact target logit (float32 dot product with the target's output row)
            wt = self.weight.index_select(0, tc)
            tgt = (hc.float() * wt.float()).sum(-1)
            if self.bias is not None:
                tgt = tgt + self.bias.index_select(0, tc).float()
            self.stats["head_row_flops"] += 2 * hc.shape[0] * hc.shape[1] * sub_w.shape[0]
            if self.softcap:
                tgt = torch.tanh(tgt / self.softcap) * self.softcap
            so = stats_out[s : s + len(tc)] if stats_out is not None else None
            norm = self._log_normaliser(
                hc, sub_w, sub_b, tgt, vocab_block, so, None if in_sub is not None else tc
            )
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
        vocab_block: int,
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
        0.017, max 0.053 instead of 0.149. The sum is at least 1 (the target's own term); terms
        underflowing to zero are below e^-87 of it. Rows where a logit exceeds the target's by
        more than ~88 overflow and are recomputed with the row maximum as the shift.

        With ``stats_out`` the same blocks also give, per row, sum e^z z, sum e^z z^2 and the
        number of z > 0 (z = logit - shift): the entropy and the variance of log p follow
        (both shift-invariant), and the rank. The normaliser is computed exactly as without
        (same exp, same float32 sums): the log-probabilities stay bit-identical. Rows that
        overflow get NaN statistics."""
        rows, vb = hc.shape[0], vocab_block
        n_blocks = -(-w.shape[0] // vb)
        partial = torch.empty(rows, n_blocks, dtype=torch.float32)
        shift = tgt.to(hc.dtype)
        neg = (-shift).unsqueeze(1)
        if stats_out is None:
            for i in range(n_blocks):
                z = self._block_logits(hc, w, b, i, vb, neg)
                torch.sum(z.exp_(), dim=-1, dtype=torch.float32, out=partial[:, i])
        else:
            m1 = torch.empty(rows, n_blocks, dtype=torch.float32)
            m2 = torch.empty(rows, n_blocks, dtype=torch.float32)
            above = torch.zeros(rows, dtype=torch.long)
            # z_j > tgt - shift  <=>  logit_j > the target's exact logit; the target's own
            # entry (rounded in the block) is taken back out of the count
            d = (tgt - shift.float()).unsqueeze(1)
            for i in range(n_blocks):
                z = self._block_logits(hc, w, b, i, vb, neg)
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
                    torch.logsumexp(self._block_logits(hc[bad], w, b, i, vb).float(), dim=-1)
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
        vb: int,
        neg_shift: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits of vocabulary block ``i`` for the rows ``hc``, minus ``neg_shift``'s
        opposite when given (rows x 1), in the rows' dtype (the block converted to it)."""
        wb = w[i * vb : (i + 1) * vb]
        if wb.dtype != hc.dtype:
            wb = wb.to(hc.dtype)
        if self.softcap or b is not None or neg_shift is None:
            logits = hc @ wb.T
            if b is not None:
                logits = logits + b[i * vb : (i + 1) * vb].to(hc.dtype)
            if self.softcap:
                logits = torch.tanh(logits.float() / self.softcap) * self.softcap
            if neg_shift is not None:
                logits = (logits.float() + neg_shift.float()).to(hc.dtype)
            return logits
        return torch.addmm(neg_shift.expand(hc.shape[0], wb.shape[0]), hc, wb.T)
