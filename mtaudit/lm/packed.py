"""A packed, batch-invariant transformer body for Gemma 3 (the default model).

The Hugging Face forward runs a padded ``batch x width`` tensor. Two things then make a
sentence's numbers depend on its neighbours: the padding width changes the attention kernels'
reduction order, and the CPU matrix-product kernels are chosen by the number of rows (measured
on this machine: a row of ``x @ W.T`` is not bit-identical for 100 rows and for 4,096). So a
sentence scored alone and the same sentence scored with 15 other articles differed in the
fourth digit of the perplexity.

Here the pieces are *packed*: all their tokens are rows of one ``tokens x hidden`` matrix, with
no padding between them. Everything row-wise (norms, the q/k/v and output projections, the
MLP) runs on fixed blocks of exactly ``block_rows`` rows (the last block padded with zero rows),
so every matrix product has the same shape whatever the grouping; attention runs per piece, at
the piece's own length (pieces of equal length together: the kernel is invariant in the batch
dimension). A piece's hidden states therefore depend on the piece alone. It is also faster: no
padding in the matrix products, q/k/v and gate/up fused into one product each (the weights are
views of one fused tensor, no extra memory), and the norms' ``1 + weight`` precomputed.

Used for Gemma 3 text models whose window fits the sliding window (the default); any other
model keeps the generic padded path.

``dtype`` (mtaudit.lm.precision): the type the body computes in. The model's own (bf16 for the
default model), or float32: every activation is then float32, the embedding rows are converted
as they are looked up and each layer's weights as the layer runs on a pack (4,096 tokens:
converting a layer's 5.9M weights costs ~5% of its products on this machine). No float32 copy
of the model is kept: a converted copy of the body would be +400 MB resident, and the
converted bf16 pages of the memory-mapped weights would stay resident as well (measured).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def supports(model, window: int) -> bool:
    cfg = getattr(model, "config", None)
    if cfg is None or getattr(cfg, "model_type", "") not in ("gemma3_text", "gemma3"):
        return False
    body = getattr(model, "model", None)
    layers = getattr(body, "layers", None)
    if layers is None or not hasattr(body, "rotary_emb") or not hasattr(body, "embed_tokens"):
        return False
    if getattr(cfg, "attn_logit_softcapping", None) is not None:
        return False
    if getattr(cfg, "use_bidirectional_attention", False):
        return False
    sw = getattr(cfg, "sliding_window", None)
    return sw is None or window <= sw  # every piece fits the sliding window: plain causal


class _Layer:
    """One decoder layer's weights, fused for the packed forward."""

    def __init__(self, layer, hidden: int):
        att, mlp = layer.self_attn, layer.mlp
        self.n_heads = att.config.num_attention_heads
        self.n_kv = att.config.num_key_value_heads
        self.head_dim = att.head_dim
        self.scaling = att.scaling
        self.type = att.layer_type
        q, k, v = att.q_proj.weight, att.k_proj.weight, att.v_proj.weight
        self.qkv = _fuse(att.q_proj, att.k_proj, att.v_proj)
        self.nq, self.nk = q.shape[0], k.shape[0]
        self.o = att.o_proj.weight
        self.gate_up = _fuse(mlp.gate_proj, mlp.up_proj)
        self.inter = mlp.gate_proj.weight.shape[0]
        self.down = mlp.down_proj.weight
        self.eps = layer.input_layernorm.eps
        self.n_in = _scale(layer.input_layernorm)
        self.n_post_att = _scale(layer.post_attention_layernorm)
        self.n_pre_ff = _scale(layer.pre_feedforward_layernorm)
        self.n_post_ff = _scale(layer.post_feedforward_layernorm)
        self.q_norm = _scale(att.q_norm)
        self.k_norm = _scale(att.k_norm)
        self.qk_eps = att.q_norm.eps
        del q, v


def _fuse(*linears) -> torch.Tensor:
    """One weight for several bias-free projections of the same input; the modules' weights
    become views of it (no second copy in memory)."""
    for lin in linears:
        if getattr(lin, "bias", None) is not None:
            raise ValueError("bias")
    fused = torch.cat([lin.weight.detach() for lin in linears], dim=0).contiguous()
    start = 0
    for lin in linears:
        n = lin.weight.shape[0]
        lin.weight = torch.nn.Parameter(fused[start : start + n], requires_grad=False)
        start += n
    return fused


def _scale(norm) -> torch.Tensor:
    return 1.0 + norm.weight.detach().float()  # Gemma's RMSNorm multiplies by (1 + weight)


def _rms(x: torch.Tensor, scale: torch.Tensor, eps: float) -> torch.Tensor:
    """Gemma's RMSNorm: in float32, ``(x * rsqrt(mean(x^2) + eps)) * (1 + w)``, back to dtype."""
    xf = x.float()
    out = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    return (out * scale).to(x.dtype)


class PackedBody:
    """``run(pieces)``: final hidden states of every token of every piece (packed rows)."""

    def __init__(self, model, block_rows: int = 1024, dtype: torch.dtype | None = None):
        body = model.model
        self.embed = body.embed_tokens
        self.rotary = body.rotary_emb
        self.hidden = model.config.hidden_size
        # the type the body computes in: the model's own unless asked (module docstring)
        self.dtype = dtype or self.embed.weight.dtype
        self.layers = [_Layer(layer, self.hidden) for layer in body.layers]
        self.final_scale = _scale(body.norm)
        self.final_eps = body.norm.eps
        self.block = block_rows
        self.act = torch.nn.functional.gelu
        self.stats = {"body_flops": 0}
        self._rope: dict = {}

    def _rope_for(self, layer_type: str, length: int):
        """cos and sin for positions 0..length-1 (from the model's own rotary module)."""
        key = layer_type
        cached = self._rope.get(key)
        if cached is None or cached[0].shape[0] < length:
            n = max(length, 256)
            pos = torch.arange(n).unsqueeze(0)
            x = torch.empty(1, n, self.hidden, dtype=self.dtype)
            cos, sin = self.rotary(x, pos, layer_type)
            cached = self._rope[key] = (cos[0], sin[0])
        return cached[0][:length], cached[1][:length]

    def run(self, pieces: list[list[int]]) -> torch.Tensor:
        """Hidden states (after the final norm) of all tokens, piece after piece."""
        lengths = [len(p) for p in pieces]
        total = sum(lengths)
        blk = self.block
        n_rows = -(-total // blk) * blk
        ids = torch.zeros(n_rows, dtype=torch.long)
        ids[:total] = torch.tensor([t for p in pieces for t in p], dtype=torch.long)
        h = self._embed(ids)
        h[total:] = 0
        # pieces grouped by length: their rows, for attention at their own length
        by_len: dict[int, list[int]] = {}
        start = 0
        for L in lengths:
            by_len.setdefault(L, []).append(start)
            start += L
        groups = []
        for L, starts in sorted(by_len.items()):
            idx = (torch.tensor(starts).unsqueeze(1) + torch.arange(L).unsqueeze(0)).reshape(-1)
            groups.append((L, len(starts), idx))
        for layer in self.layers:
            h = self._layer(layer, h, groups, n_rows)
        out = torch.empty_like(h)
        for s in range(0, n_rows, blk):
            out[s : s + blk] = _rms(h[s : s + blk], self.final_scale, self.final_eps)
        return out[:total]

    def _embed(self, ids: torch.Tensor) -> torch.Tensor:
        """The scaled input embedding of ``ids``, in the body's dtype (Gemma multiplies the
        embedding by sqrt(hidden), in the type it computes in)."""
        w = self.embed.weight
        if self.dtype == w.dtype:
            return self.embed(ids.unsqueeze(0))[0]
        scale = getattr(self.embed, "embed_scale", None)
        h = F.embedding(ids, w).to(self.dtype)
        return h * scale.to(self.dtype) if scale is not None else h

    def _layer(self, ly: _Layer, h: torch.Tensor, groups, n_rows: int) -> torch.Tensor:
        blk, hd = self.block, ly.head_dim
        nq, nk = ly.nq, ly.nk
        # the weights in the type the body computes in (converted for this pack if need be)
        w_qkv, w_o, w_gu, w_down = (
            w if w.dtype == h.dtype else w.to(h.dtype) for w in (ly.qkv, ly.o, ly.gate_up, ly.down)
        )
        q = torch.empty(n_rows, nq, dtype=h.dtype)
        k = torch.empty(n_rows, nk, dtype=h.dtype)
        v = torch.empty(n_rows, nk, dtype=h.dtype)
        for s in range(0, n_rows, blk):
            x = _rms(h[s : s + blk], ly.n_in, ly.eps)
            qkv = x @ w_qkv.T
            q[s : s + blk] = qkv[:, :nq]
            k[s : s + blk] = qkv[:, nq : nq + nk]
            v[s : s + blk] = qkv[:, nq + nk :]
        q = _rms(q.view(n_rows, ly.n_heads, hd), ly.q_norm, ly.qk_eps)
        k = _rms(k.view(n_rows, ly.n_kv, hd), ly.k_norm, ly.qk_eps)
        v = v.view(n_rows, ly.n_kv, hd)
        att = torch.zeros(n_rows, ly.n_heads, hd, dtype=h.dtype)
        rep = ly.n_heads // ly.n_kv
        for L, n, idx in groups:
            cos, sin = self._rope_for(ly.type, L)
            cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)  # L x 1 x hd
            qg = q[idx].view(n, L, ly.n_heads, hd)
            kg = k[idx].view(n, L, ly.n_kv, hd)
            qg = qg * cos + _rotate_half(qg) * sin
            kg = kg * cos + _rotate_half(kg) * sin
            vg = v[idx].view(n, L, ly.n_kv, hd)
            qg, kg, vg = qg.transpose(1, 2), kg.transpose(1, 2), vg.transpose(1, 2)
            if rep > 1:
                kg = kg.repeat_interleave(rep, dim=1)
                vg = vg.repeat_interleave(rep, dim=1)
            o = F.scaled_dot_product_attention(qg, kg, vg, is_causal=L > 1, scale=ly.scaling)
            att[idx] = o.transpose(1, 2).reshape(n * L, ly.n_heads, hd)
        att = att.view(n_rows, ly.n_heads * hd)
        out = torch.empty_like(h)
        for s in range(0, n_rows, blk):
            hs = h[s : s + blk]
            a = _rms(att[s : s + blk] @ w_o.T, ly.n_post_att, ly.eps)
            hs = hs + a
            x = _rms(hs, ly.n_pre_ff, ly.eps)
            gu = x @ w_gu.T
            m = self.act(gu[:, : ly.inter], approximate="tanh") * gu[:, ly.inter :]
            hs = hs + _rms(m @ w_down.T, ly.n_post_ff, ly.eps)
            out[s : s + blk] = hs
        return out


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)
