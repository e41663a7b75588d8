"""FL601: sentences a language model finds far less likely than French news originals."""

from __future__ import annotations

from ..checks import Check, CheckResult, register
from ..findings import Severity
from ..lm.fluency import CALIBRATION_FILE, calibration_for, prefetch, score_document
from ..options import Option


@register
class LMFluency(Check):
    """A sentence reads far less fluently than French news text, for the language model.

    Every sentence is scored with a causal language model (by default the embedded Gemma 3
    270M): the perplexity of its tokens, with the first token conditioned on the start of text.
    Scores are calibrated on the French originals of the WMT news test sets: 100 means at least
    as fluent as the median original, 5 means only 2.5% of originals are more perplexing.
    A body sentence scoring under the ``fluency_sentence_min`` threshold is reported, with the
    word where the model was most surprised as the span. Headlines and sentences under five
    words are scored but not reported and not counted in the article score. The article score
    (``fluency``) comes from the token-weighted perplexity of its body sentences.
    A statistical signal, not a proof: rare names and numbers surprise the model too.
    Needs the language model (skipped with --no-lm).

    Bad: Les deux dirigeants se sont échangé une chaude embrasse sur le tapis rouge.
    Good: Les deux dirigeants ont échangé une chaleureuse accolade sur le tapis rouge.
    """

    code = "FL601"
    name = "lm-fluency"
    category = "fluency"
    severity = Severity.MINOR
    requires = frozenset({"lm"})
    data_files = (CALIBRATION_FILE,)
    options = (
        Option("softmax", "str", "full", "full: the model's whole vocabulary; french: French tokens only.", choices=("full", "french")),
        Option("min_words", "int", None, "Sentences shorter than this are not scored (default: the calibration's).", minimum=1),
    )

    @classmethod
    def signature_parts(cls, config) -> dict[str, str]:
        """The model and its weights' fingerprint (from the prepared model's manifest, read
        without loading the model), and the softmax mode."""
        from ..lm.paths import DEFAULT_MODEL_ID

        if config.model:
            lm = config.model
        else:
            from ..lm.prepare import read_manifest

            manifest = read_manifest()
            weights = (manifest or {}).get("weights_sha256", "")[:8] or "unprepared"
            lm = f"{DEFAULT_MODEL_ID}@{weights}"
        softmax = config.options.get(cls.code, {}).get("softmax", "full")
        return {"lm": lm, "softmax": softmax}

    def prepare(self, docs, ctx) -> None:
        """Score the sentences of all these documents in one call: batches mix sentences of
        many articles, so the model runs on fuller batches (scores are cached per sentence
        and do not depend on the batch)."""
        from ..lm.loading import get_lm

        lm = get_lm(ctx)
        prefetch(docs, lm, calibration_for(lm.model_id), ctx.options(self.code).get("min_words"))

    def run(self, doc, ctx) -> CheckResult:
        from ..lm.loading import get_lm

        lm = get_lm(ctx)
        calib = calibration_for(lm.model_id)
        opts = ctx.options(self.code)
        min_words = opts.get("min_words")
        sentences, article = score_document(doc, lm, calib, min_words)
        threshold = ctx.config.threshold("fluency_sentence_min")
        findings = []
        counted = [s for s in sentences if s.in_article]
        outliers = [s for s in counted if s.score is not None and s.score < threshold]
        for s in outliers:
            if s.worst_start is None:
                continue
            word = doc.text[s.worst_start : s.worst_end]
            findings.append(
                self.finding(
                    s.worst_start,
                    s.worst_end,
                    f"The language model finds this sentence unusual for French news "
                    f"(perplexity {s.perplexity:.0f}, fluency {s.score:.0f}/100); "
                    f"it is most surprised at {word!r}: reread the sentence.",
                    None,
                    sentence_start=s.start,
                    sentence_end=s.end,
                    perplexity=round(s.perplexity, 2),
                    score=round(s.score, 1),
                )
            )
        scores: dict = {
            "fluency": None if article["score"] is None else round(article["score"], 1),
            "perplexity": None
            if article["perplexity"] is None
            else round(article["perplexity"], 2),
            "lm_outlier_share": round(len(outliers) / len(counted), 3) if counted else None,
            "_sentences": [
                {
                    "start": s.start,
                    "end": s.end,
                    "perplexity": round(s.perplexity, 2),
                    "score": None if s.score is None else round(s.score, 1),
                    "token_start": s.token_start,
                    "token_end": s.token_end,
                    "in_article": s.in_article,
                    "surprising_start": s.worst_start,
                    "surprising_end": s.worst_end,
                }
                for s in sentences
            ],
        }
        if calib is None:
            scores["_fluency_note"] = (
                f"no fluency calibration for model {lm.model_id}: perplexity only"
            )
        return CheckResult(findings=findings, scores=scores)
