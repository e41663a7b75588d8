"""The part of a vocabulary that French text uses, to restrict the softmax normaliser.

A multilingual model such as Gemma 3 spends most of its 262k-token output layer on scripts
French never uses (CJK, Cyrillic, Arabic, Devanagari, ...). The French subset keeps every token
whose text is made of Latin-script letters (with the accents and ligatures French needs),
digits, punctuation, symbols and spaces. It is derived from the tokenizer alone, so it works
for any model; whether it is accurate enough is measured, not assumed (docs/model.md).
"""

from __future__ import annotations

import unicodedata

_EXTRA = set(
    "\ufeff\u200b\u200c\u200d\u2060’‘“”«»‹›–—‐‑…€£$¥°§¶•·×÷±¼½¾²³¹ºª©®™‰′″\u00a0\u202f\u2009"
)


def _char_ok(ch: str) -> bool:
    o = ord(ch)
    if o < 0x250:  # ASCII, Latin-1, Latin Extended-A/B (é, œ, ß, ł, ...)
        return o >= 0x20 or ch in "\t\n\r"
    if ch in _EXTRA or ch == "▁" or ch == "Ġ" or ch == "Ċ":
        return True
    if 0x1E00 <= o <= 0x1EFF:  # Latin Extended Additional
        return True
    cat = unicodedata.category(ch)
    return cat.startswith("P") and o < 0x3000 and o not in range(0x0590, 0x0900)


def french_vocab(tokenizer) -> list[int]:
    """Token ids whose surface form uses only characters French text can contain."""
    vocab = tokenizer.get_vocab()
    special = set(getattr(tokenizer, "all_special_ids", []) or [])
    keep = set()
    for piece, idx in vocab.items():
        if idx in special:
            keep.add(idx)
            continue
        if piece.startswith("<0x") and piece.endswith(">"):  # byte-fallback tokens
            keep.add(idx)
            continue
        if piece and all(_char_ok(c) for c in piece):
            keep.add(idx)
    return sorted(keep)
