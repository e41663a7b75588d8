"""The evidence a modern (fluent) machine translation leaves in the language model's output,
for the translated-from-English likelihood (the ``lm:`` features of :mod:`mtaudit.scorers.features`).

From the per-token statistics the scorer accumulates in its output layer: mean entropy and
log-rank of the predictive distribution, the log-likelihood/log-rank ratio, the Fast-DetectGPT
analytic curvature, quantiles and spread of the sentence surprisals. Names and numbers
(capitalised words inside a sentence, words with digits) are left out of this evidence: their
surprise says what the article is about, not how it was written.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mtaudit.core.document import Document

_TYPO_CHARS = re.compile("[’‘«»“”„—–…\u00a0\u202f\u2009]")
_LM_WORD = re.compile(r"[^\W_][\w'’-]*")
LM_EVIDENCE_MIN_TOKENS = 20
LM_EVIDENCE = frozenset(
    f"lm:{k}"
    for k in (
        "curvature entropy log_rank lrr surprisal_q10 surprisal_q50 surprisal_q90 "
        "surprisal_spread"
    ).split()
)


def _entity_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of names and numbers in a sentence: capitalised words after the first
    word, and any word with a digit."""
    out = []
    for k, m in enumerate(_LM_WORD.finditer(text)):
        w = m.group()
        if any(c.isdigit() for c in w) or (k > 0 and w[0].isupper()):
            out.append(m.span())
    return out


def sentence_stats(score) -> dict[str, float] | None:
    """Sums of one scored sentence (a :class:`mtaudit.lm.surprisal.SentenceScore` with its
    per-token statistics) over its tokens outside names and numbers and away from typographic
    characters: tokens, log p, the mean and variance of log p under the model, log rank; None
    without per-token statistics."""
    ent = score.extra.get("entropy")
    var = score.extra.get("lp_var")
    rank = score.extra.get("rank")
    if ent is None or var is None or rank is None:
        return None
    spans = _entity_spans(score.text)
    text = score.text
    n = lp_sum = mu_sum = var_sum = lr_sum = 0.0
    si = 0
    after_typo = False
    for i, lp in enumerate(score.logprobs):
        a, b = score.offsets[i]
        # a token holding a typographic character that corpora type differently (’ « » —,
        # no-break spaces), and the token right after it, say how the text was typed: left out
        typo = bool(_TYPO_CHARS.search(text, max(0, a - 1), max(b, a + 1)))
        skip_typo = typo or after_typo
        after_typo = typo
        if lp is None or ent[i] is None or var[i] is None or rank[i] is None or skip_typo:
            continue
        while si < len(spans) and spans[si][1] <= a:
            si += 1
        if si < len(spans) and spans[si][0] < max(b, a + 1):
            continue  # a token of a name or a number
        n += 1
        lp_sum += lp
        mu_sum -= ent[i]
        var_sum += var[i]
        lr_sum += math.log(rank[i])
    return {"n": n, "lp": lp_sum, "mu": mu_sum, "var": var_sum, "log_rank": lr_sum}


def lm_sentence_stats(doc: Document, ctx) -> list[dict[str, float]] | None:
    """:func:`sentence_stats` of the sentences the fluency check counts in the article (body
    sentences of five words or more), from the language model's sentence cache (the check has
    just scored them: no second pass). None when the language model is not loaded."""
    if ctx is None or not getattr(ctx.config, "lm", False):
        return None
    from mtaudit.checks.fluency import fluency_lm
    from mtaudit.lm.document_fluency import selected_sentences

    try:
        lm = fluency_lm(ctx)
    except Exception:
        return None
    if not getattr(lm, "token_stats", False):
        return None
    sel = [doc.sentences[i].text for i, counted in selected_sentences(doc) if counted]
    out = []
    for sc in lm.score(sel) if sel else []:
        st = sentence_stats(sc)
        if st is None:
            return None
        if st["n"]:
            out.append(st)
    return out


def _quantile(vals: list[float], q: float) -> float:
    v = sorted(vals)
    x = q * (len(v) - 1)
    i = int(x)
    j = min(i + 1, len(v) - 1)
    return v[i] + (v[j] - v[i]) * (x - i)


def lm_evidence(sents: list[dict[str, float]] | None) -> dict[str, float] | None:
    """Article-level evidence from :func:`sentence_stats` sums (None under
    LM_EVIDENCE_MIN_TOKENS tokens): Fast-DetectGPT's analytic curvature
    (sum log p - sum mu) / sqrt(sum sigma^2), divided by sqrt(tokens) so that it does not grow
    with length; mean entropy; mean log-rank; log-likelihood/log-rank ratio; the 10th, 50th and
    90th percentiles of the sentences' mean surprisal and their spread."""
    if not sents:
        return None
    n = sum(s["n"] for s in sents)
    if n < LM_EVIDENCE_MIN_TOKENS:
        return None
    lp = sum(s["lp"] for s in sents)
    mu = sum(s["mu"] for s in sents)
    var = sum(s["var"] for s in sents)
    lr = sum(s["log_rank"] for s in sents)
    surpr = [-s["lp"] / s["n"] for s in sents]
    q10, q50, q90 = (_quantile(surpr, q) for q in (0.1, 0.5, 0.9))
    return {
        "lm:curvature": (lp - mu) / math.sqrt(max(var, 1e-9)) / math.sqrt(n),
        "lm:entropy": -mu / n,
        "lm:log_rank": lr / n,
        "lm:lrr": (-lp / n) / max(lr / n, 1e-3),
        "lm:surprisal_q10": q10,
        "lm:surprisal_q50": q50,
        "lm:surprisal_q90": q90,
        "lm:surprisal_spread": q90 - q10,
    }
