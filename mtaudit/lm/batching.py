"""From sentences to batches of token ids: tokenisation with character offsets, windows for
long sentences (so nothing is silently truncated), and the grouping of those pieces into
batches under a token budget (padded body) or packs (packed body). No torch: ids only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Piece:
    sent: int  # index of the sentence in the request
    first: int  # index (in the sentence's tokens) of the first scored token
    ids: list[int]  # input ids, BOS first when there is one
    n_score: int  # the last n_score input ids are scored


def tokenize(tok, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids of ``text`` (no special tokens) and each token's character span."""
    try:
        enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
        return list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]
    except (NotImplementedError, ValueError, TypeError):
        ids = tok(text, add_special_tokens=False)["input_ids"]
        return list(ids), offsets_by_decoding(tok, text, ids)


def offsets_by_decoding(tok, text: str, ids: list[int]) -> list[tuple[int, int]]:
    """Offsets for tokenizers without offset mapping: decode growing prefixes."""
    out, prev = [], 0
    for i in range(len(ids)):
        s = tok.decode(ids[: i + 1])
        cur = min(len(text), len(s))
        out.append((prev, max(prev, cur)))
        prev = max(prev, cur)
    return out


def pieces(si: int, ids: list[int], window: int, bos_id: int | None) -> list[Piece]:
    """The pieces of sentence ``si``: one window of ``window`` input ids, then windows moving
    by half a window, each scoring only its new tokens with the previous ones as context."""
    w = window
    if bos_id is not None:
        seq, first_target = [bos_id] + ids, 1
    else:
        seq, first_target = list(ids), 1  # first token cannot be scored
    n = len(seq)
    if n <= first_target:
        return []
    out = []
    # first window: seq[0:w], targets seq[first_target:w]
    end = min(n, w)
    out.append(
        Piece(
            si,
            first_target - 1 if bos_id is not None else 1,
            seq[:end],
            end - first_target,
        )
    )
    stride = max(1, w // 2)
    while end < n:
        new_end = min(n, end + stride)
        ctx_len = w - (new_end - end) - (1 if bos_id is not None else 0)
        start = max(0, end - ctx_len)
        body = seq[start:new_end]
        if bos_id is not None and start > 0:
            body = [bos_id] + body
        tok_first = end - 1 if bos_id is not None else end
        out.append(Piece(si, tok_first, body, new_end - end))
        end = new_end
    return out


def batches(
    pieces: list[Piece],
    batch_tokens: int,
    max_batch: int,
    bucket_ratio: float,
    min_batch_tokens: int,
):
    """Pieces (sorted longest first) in right-padded batches for the padded body."""
    batch: list[Piece] = []
    for p in pieces:  # longest first: the first piece of a batch sets its width
        width = len(batch[0].ids) if batch else len(p.ids)
        if batch and (
            (len(batch) + 1) * width > batch_tokens
            or len(batch) >= max_batch
            # padding would waste too much, and the batch is already large enough for
            # efficient matrix products (small batches cost more than their padding)
            or (len(p.ids) < bucket_ratio * width and len(batch) * width >= min_batch_tokens)
        ):
            yield batch
            batch = []
        batch.append(p)
    if batch:
        yield batch


def packs(pieces: list[Piece], batch_tokens: int):
    """Pieces in packs of about two token budgets for the packed body (how they are
    grouped does not change their numbers: it only bounds the memory held)."""
    pack: list[Piece] = []
    n = 0
    for p in pieces:
        if pack and n + len(p.ids) > 2 * batch_tokens:
            yield pack
            pack, n = [], 0
        pack.append(p)
        n += len(p.ids)
    if pack:
        yield pack
