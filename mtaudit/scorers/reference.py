"""Reference scores of an article: BLEU, chrF and TER against ``doc.reference`` (sacrebleu).

Runs only when the article has a reference (``scan --ref DIR``, or a ``reference`` field in a
JSONL record). Adds ``scores.bleu``, ``scores.chrf``, ``scores.ter`` (sacrebleu's numbers,
rounded to 2 decimals; ``ter`` is None when skipped) and ``scores.reference_signature``
(each metric's sacrebleu signature, then ``align:lines`` or ``align:article``).

Segmentation (see :func:`mtaudit.scorers.refscore.align_article`): both texts are cut into their kept
lines (blank lines and page furniture left out on both sides). Same number of lines: line i is
scored against line i. Otherwise each text is one segment. TER on one long segment is slow, so
in that case it is computed only up to 150 words a side (``ter_max_words``).

Options, in the configuration: ``[tool.mtaudit.options.reference]`` ``tokenize = "intl"`` (the
BLEU tokenizer, default 13a) and ``ter_max_words = 150``.
"""

from __future__ import annotations

from mtaudit.core.options import Option
from mtaudit.scorers import register_scorer


@register_scorer("reference")
def reference_scores(doc, findings, scores, ctx) -> dict:
    ref = doc.reference
    if not ref or not ref.strip():
        return {}
    from mtaudit.scorers.refscore import (
        DEFAULT_TOKENIZER,
        TER_MAX_WORDS,
        RefScoreError,
        article_scores,
        check_tokenizer,
    )

    # the reference is already the matching text: `scan --ref` reads it like an input (record
    # by id for JSONL, article text for HTML), and a JSONL "reference" field is plain text
    opts = ctx.options("reference") if hasattr(ctx, "options") else {}
    try:
        tokenize = ctx.resource(
            f"reference-tokenizer:{opts.get('tokenize', DEFAULT_TOKENIZER)}",
            lambda: check_tokenizer(str(opts.get("tokenize", DEFAULT_TOKENIZER))),
        )
        res = article_scores(
            doc.text,
            ref,
            tokenize,
            keep_boilerplate=doc.keep_boilerplate,
            ter_max_words=int(opts.get("ter_max_words", TER_MAX_WORDS)),
        )
    except RefScoreError as exc:
        return {"reasons": [f"reference scores not computed: {exc}"]}
    out = {
        "bleu": round(res["bleu"], 2),
        "chrf": round(res["chrf"], 2),
        "ter": None if res["ter"] is None else round(res["ter"], 2),
        "reference_signature": res["signature"],
    }
    how = (
        f"{res['segments']} line-aligned segments"
        if res["alignment"] == "lines"
        else "lines not aligned: one segment"
    )
    ter = "not computed" if res["ter"] is None else f"{res['ter']:.1f}"
    reasons = [
        f"against the reference: BLEU {res['bleu']:.1f}, chrF {res['chrf']:.1f}, TER {ter} ({how})"
    ]
    if res["ter_skipped"]:
        reasons.append(f"TER not computed: {res['ter_skipped']}")
    out["reasons"] = reasons
    return out


reference_scores.options = (
    Option("tokenize", "str", "13a", "sacrebleu's BLEU tokenizer (13a, intl, char, ...)."),
    Option("ter_max_words", "int", 150, "TER on one long segment only up to this many words a side.", minimum=0),
)
