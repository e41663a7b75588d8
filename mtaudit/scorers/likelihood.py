"""How likely the article was translated from English: a calibrated probability and its reasons.

A logistic regression over the features of :mod:`mtaudit.scorers.features` (stylometry, findings
per 1,000 words by category, language-model statistics), trained on WMT French news by
``training/train_likelihood.py`` and calibrated by Platt scaling on out-of-fold scores, so
that 0.8 means "about 80% of such articles are translations" under an even prior. Two variants
live in ``mtaudit/data/likelihood_model.json``: ``lm`` when the scorecard has the language
model's scores, ``nolm`` otherwise (``--no-lm``). Numpy only at run time.

Adds ``scores.translated_from_english`` (None for texts under ``min_words`` words, too short to
judge) and, from the warning threshold up, the reasons in words.

A second model (``machine`` in the model file) gives ``scores.machine_translated``: the
probability that the article was translated by a machine rather than by a person, *given that
it is a translation* (trained on human and machine translations only, paired by source:
WMT 2008-2013 statistical MT and GPT-3.5 on FLORES). It is reported whenever
``translated_from_english`` is; read it together with that one (the probability of a machine
translation is their product). Its reasons compare the article with human translations.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
from typing import Any

from mtaudit.core.categories import categories, category_codes
from mtaudit.core.resources import data_path
from mtaudit.scorers import features as tr
from mtaudit.scorers import register_scorer

MODEL_FILE = "likelihood_model.json"

log = logging.getLogger("mtaudit")

_override: dict | None = None  # set_model(): training and tests score with a model in memory

# How a finding category reads in a reason: (singular, plural), from mtaudit/data/categories.tsv.
_CATEGORY_WORDS = {code: c.reason_words for code, c in categories().items()}
_PUNCT_WORDS = {
    "comma": "commas",
    "semicolon": "semicolons",
    "colon": "colons",
    "question": "question marks",
    "exclamation": "exclamation marks",
    "parenthesis": "parentheses",
    "quote": "quotation marks",
    "dash": "dashes",
    "ellipsis": "ellipses",
    "comma_et": "commas before « et »",
    "comma_que": "commas before relative clauses",
    "inversion": "inverted subjects (« a-t-il »)",
}
_SUFFIX_WORDS = {
    "ment": "adverbs in -ment",
    "tion": "nouns in -tion",
    "ant": "present participles in -ant",
    "imparfait": "verbs in the imperfect",
    "conditionnel": "verbs in the conditional",
    "futur": "verbs in the future",
    "participe": "past participles",
    "infinitif": "infinitives",
}
_STY_WORDS = {
    "sentence_mean": ("longer sentences", "shorter sentences"),
    "sentence_cv": ("more varied sentence lengths", "more uniform sentence lengths"),
    "sentence_long": ("more very long sentences", "fewer very long sentences"),
    "sentence_short": ("more very short sentences", "fewer very short sentences"),
    "commas_per_sentence": ("more commas per sentence", "fewer commas per sentence"),
    "word_length": ("longer words", "shorter words"),
    "long_words": ("more long words", "fewer long words"),
    "mattr": ("a more varied vocabulary", "a less varied vocabulary"),
    "function_share": ("more function words", "fewer function words"),
    "unknown_fr": ("more words unknown to French", "fewer words unknown to French"),
    "english_lean": ("more words that look English", "fewer words that look English"),
}


# What the two scores mean and what they are not: `mtaudit rules scores` prints this.
SCORES_HELP = {
    "translated_from_english": (
        "Probability that the article was translated from English, by anyone (a machine or a "
        "person), from its writing style (function words, punctuation, word order over masked "
        "text, sentence rhythm, lexical diversity), the findings of the checks and, with the "
        "language model, how predictable the text is to it. Calibrated assuming half the "
        "articles audited are translations (WMT news 2008-2013, FLORES-200 and WMT22 French "
        "originals: training/README.md has the reliability tables). Limits: not computed under "
        "50 words, and worth little under 100-200 (see the AUC by length); a translation "
        "restyled by an editor, or a French original written in a plain agency style, can fool "
        "it. Trained without FLORES it reaches only 0.62-0.74 on FLORES: it knows the genres it "
        "was trained on. On its own it never fails a text (see machine_translated)."
    ),
    "machine_translated": (
        "Probability that the article was translated by a machine rather than by a person, "
        "GIVEN that it is a translation (trained on human and machine translations of the same "
        "English sources: WMT statistical MT and GPT-3.5 on FLORES). The probability of a "
        "machine translation is translated_from_english x machine_translated. A text the "
        "first score does not call translated has no meaningful value here. The verdict fails "
        "on the likelihoods only when both are high (fail_likelihood, fail_machine) and the "
        "text has at least likelihood_min_words words; a likely human translation gets its "
        "own reason (a warn, or information only with human_translation_warn = 0). Limits: "
        "telling today's best MT (LLMs) from a professional translator is hard (AUC about "
        "0.63 on FLORES, against 0.97 for 2008-2013 statistical MT: see training/README.md); "
        "post-edited MT reads as human; lightly edited MT may too."
    ),
}


def set_model(model: dict | None) -> None:
    """Score with ``model`` (a parsed model file) instead of the packaged one; None to reset."""
    global _override
    _override = model


def load_model() -> dict | None:
    """The packaged model file, parsed (a new dict each call). Parsed once into an on-disk
    artefact (mtaudit.core.artefacts) keyed by the file's content: unpickling it costs a
    third of parsing the ~1 MB of JSON on every run."""
    from mtaudit.core import artefacts

    path = data_path(MODEL_FILE)
    if not path.is_file():
        return None
    return artefacts.load_object(
        "likelihood-model",
        "json-1",
        [artefacts.input_identity(path)],
        lambda: json.loads(path.read_text(encoding="utf-8")),
    )


class Variant:
    """One trained logistic regression with its Platt scaling, as lists of floats.

    Plain Python rather than numpy: a few thousand multiply-adds per article cost well under a
    millisecond, where importing numpy cost a short run ~0.1 s of its start-up. The dot product
    is a correctly rounded sum (``math.fsum``); the per-feature contributions are computed with
    the same operations, in the same order, as the numpy expression they replace."""

    def __init__(self, spec: dict):
        # the model file's lists, read as they are (floats; an int would convert exactly in the
        # arithmetic below, as numpy's float arrays did)
        self.features: list[str] = spec["features"]
        self.mean: list[float] = spec["mean"]
        self.scale: list[float] = spec["scale"]
        self.coef: list[float] = spec["coef"]
        self.intercept = float(spec["intercept"])
        self.platt = (float(spec["platt"][0]), float(spec["platt"][1]))
        self.fr_mean: list[float] = spec.get("fr_mean", spec["mean"])

    def vector(self, feats: dict[str, float]) -> list[float]:
        return [float(feats.get(k, 0.0)) for k in self.features]

    def probability(self, x: list[float]) -> float:
        z = math.fsum((v - m) / s * c for v, m, s, c in zip(x, self.mean, self.scale, self.coef, strict=True))
        z += self.intercept
        a, b = self.platt
        return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, a * z + b))))

    def contributions(self, x: list[float]) -> dict[str, float]:
        """Each feature's push (in logit units) away from the average French original."""
        p = self.platt[0]
        c = (w * (v - f) / s * p for w, v, f, s in zip(self.coef, x, self.fr_mean, self.scale, strict=True))
        return dict(zip(self.features, c, strict=True))


class Model:
    def __init__(self, spec: dict):
        self.spec = spec
        self.min_words = int(spec.get("min_words", 50))
        self.reference = spec.get("reference", {})
        self.variants = {k: Variant(v) for k, v in spec.get("models", {}).items()}
        self.machine = {k: Variant(v) for k, v in spec.get("machine_models", {}).items()}


def _load() -> Model | None:
    spec = load_model()
    return Model(spec) if spec else None


def _model(ctx) -> Model | None:
    """The model, parsed once per process (per run context)."""
    if _override is not None:
        return Model(_override)
    return ctx.resource("likelihood_model", _load) if ctx is not None else _load()


# ------------------------------------------------------------------ what the model was trained with
# A fixed French text the feature extractor is run on: the feature signature is what it computes
# there (names and values), so it changes when the features do, not when their code or tables
# are only moved or rewritten.
_PROBE = (
    "Le gouvernement a présenté mardi, à Paris, son projet de loi ; l'opposition, elle, "
    "dénonce un texte « injuste » (et dangereux). Pourquoi maintenant ? Selon le ministre, "
    "les dépenses augmenteront de 2 % — hors inflation… « Nous ne céderons pas ! », a-t-il "
    "déclaré. Les syndicats, qui manifestaient jeudi, appelleraient à une mobilisation "
    "nationale : la décision sera prise rapidement, avant la fin du mois, lors d'une réunion "
    "que les dirigeants jugeaient importante pour l'avenir du pays.\n"
    "Cependant, plusieurs économistes estiment que cette politique, largement critiquée, "
    "pourrait être révisée en 2027 par le Parlement européen.\n"
)


def feature_signature() -> str:
    """12 hex digits naming the features the extractor computes: their names and values on a
    fixed text (function words, punctuation, suffixes, n-grams, lexicon), the finding
    categories (``cat:`` features) and the language-model evidence it reads."""
    from mtaudit.core.document import Document

    style = tr.stylometric(Document(_PROBE))
    spec = {
        "style": sorted((k, round(v, 9)) for k, v in style.items()),
        "categories": list(category_codes()),
        "lm_evidence": sorted(tr.LM_EVIDENCE),
    }
    blob = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


def trained_with(config) -> dict[str, Any]:
    """The model file's ``trained_with`` block for a training configuration: the rules whose
    findings the features counted (``lm_rules``: those of them only the ``lm`` variant saw)
    and the feature signature. Written by training/train_likelihood.py."""
    from mtaudit.checks import load_checks

    registry = load_checks()
    rules = config.rules_in_force(registry)
    return {
        "rules": rules,
        "lm_rules": [c for c in rules if "lm" in registry[c].requires],
        "features": feature_signature(),
    }


def configuration_differences(spec: dict, config) -> list[str]:
    """How the running configuration differs from the one the model was trained with (its
    ``trained_with`` block), in words; empty when it does not, or when the model does not say."""
    tw = spec.get("trained_with")
    if not tw:
        return []
    from mtaudit.checks import load_checks

    running = set(config.rules_in_force(load_checks()))
    trained = set(tw.get("rules", ()))
    if not config.lm:  # the nolm variant was trained without the language-model rules
        trained -= set(tw.get("lm_rules", ()))
    out = []
    off = sorted(trained - running)
    new = sorted(running - trained)
    if off:
        out.append(f"rules it was trained with are off ({', '.join(off)})")
    if new:
        out.append(f"rules it was not trained with are on ({', '.join(new)})")
    features = feature_signature() if tw.get("features") else None
    if features is not None and tw["features"] != features:
        out.append(f"the features differ (signature {features}, trained with {tw['features']})")
    return out


def _warn_if_configuration_differs(model: Model, ctx) -> None:
    """Say once per configuration (per run), on the log (stderr), that the likelihood is
    computed with another rule set or other features than the model was trained with."""

    def check() -> bool:
        try:
            diffs = configuration_differences(model.spec, ctx.config)
        except Exception:  # noqa: BLE001 - a warning must never stop the scoring
            log.debug("likelihood: cannot compare the configuration", exc_info=True)
            return False
        if diffs:
            log.warning(
                "mtaudit: warning: the translated-from-English likelihood model was trained "
                "with another configuration: %s; its probabilities are not calibrated for this "
                "one (retrain with training/train_likelihood.py, or run the default rules)",
                "; ".join(diffs),
            )
        return bool(diffs)

    ctx.resource(f"likelihood.configuration_checked:{ctx.key}", check)


def _percentile(ref: list[float], value: float) -> int:
    """Share of French originals (in %) below ``value``, from their 101 percentiles."""
    i = bisect.bisect_left(ref, value)
    return max(0, min(100, i - 1 if i else 0))


def _plural(n: int, words: tuple[str, str]) -> str:
    return f"{n} {words[0] if n == 1 else words[1]}"


def _style_words(name: str, above: bool) -> str | None:
    kind, _, key = name.partition(":")
    more = "more" if above else "fewer"
    if kind == "fw":
        return f"{more} « {key} »"
    if kind == "ng":  # masked n-gram: X a word, C a name, 0 a number
        return f"{more} « {key.replace('X', '…')} »"
    if kind == "pu" and key in _PUNCT_WORDS:
        return f"{more} {_PUNCT_WORDS[key]}"
    if kind == "sfx" and key in _SUFFIX_WORDS:
        return f"{more} {_SUFFIX_WORDS[key]}"
    if kind in ("sty", "lex") and key in _STY_WORDS:
        return _STY_WORDS[key][0 if above else 1]
    return None


_LM_EVIDENCE_WORDS = {
    "curvature": ("words the language model itself would pick", "words the language model would not pick"),
    "entropy": ("contexts where the language model hesitates more", "contexts where the language model hesitates less"),
    "log_rank": ("words lower in the language model's ranking", "words higher in the language model's ranking"),
    "lrr": ("a higher likelihood-to-rank ratio", "a lower likelihood-to-rank ratio"),
    "surprisal_q10": ("no very predictable sentence", "very predictable sentences"),
    "surprisal_q50": ("less predictable sentences", "more predictable sentences"),
    "surprisal_q90": ("more surprising sentences", "no very surprising sentence"),
    "surprisal_spread": ("uneven predictability across sentences", "even predictability across sentences"),
}


def _side(reference, value: float) -> str:
    """Where ``value`` stands among French originals, in words: "above 80%" or "below 30%"."""
    pct = _percentile(reference, value)
    return f"above {pct}%" if pct >= 50 else f"below {100 - pct}%"


def reasons(
    model: Model,
    variant: Variant,
    x: list[float],
    findings,
    scores: dict[str, Any],
    skip_rules,
    style_label: str = "writing style of a translation from English",
    than: str = "French originals",
) -> list[str]:
    """The strongest evidence for "translated" (or, for the machine model, "machine"), in
    words, strongest first (at most three)."""
    contrib = variant.contributions(x)
    counts = tr.finding_counts(findings, skip_rules)
    items: list[tuple[float, str]] = []
    style_total = 0.0
    style_parts: list[tuple[float, str]] = []
    style_pushes: list[tuple[float, int, str]] = []
    for i, (name, c) in enumerate(contrib.items()):  # in the order of variant.features
        kind, _, key = name.partition(":")
        if kind == "cat":
            n = counts.get(key, 0)
            if n and c > 0 and key in _CATEGORY_WORDS:
                items.append((c, _plural(n, _CATEGORY_WORDS[key])))
        elif kind == "lm":
            if c <= 0:
                continue
            if key == "log_perplexity" and "perplexity" in model.reference:
                pct = _percentile(model.reference["perplexity"], float(scores["perplexity"]))
                items.append((c, f"perplexity above {pct}% of French originals"))
            elif key == "outlier_share" and "lm_outlier_share" in model.reference:
                fr = model.reference["lm_outlier_share"][50]
                items.append(
                    (
                        c,
                        f"{scores['lm_outlier_share']:.0%} of sentences unusual for the language model (French originals: {fr:.0%})",
                    )
                )
            elif key == "fluency" and "fluency" in model.reference and than == "French originals":
                side = _side(model.reference["fluency"], float(scores["fluency"]))
                items.append((c, f"fluency {side} of French originals"))
            elif key == "odd_unit_share" and "lm_odd_unit_share" in model.reference:
                fr = model.reference["lm_odd_unit_share"][50]
                items.append(
                    (
                        c,
                        f"{scores['lm_odd_unit_share']:.1%} of words far more surprising to the language model than their frequency (French originals: {fr:.1%})",
                    )
                )
            elif key == "slor" and "slor" in model.reference and than == "French originals":
                side = _side(model.reference["slor"], float(scores["slor"]))
                items.append((c, f"SLOR (the language model's fit net of word frequency) {side} of French originals"))
            elif key in _LM_EVIDENCE_WORDS:
                up = x[i] > variant.fr_mean[i]
                items.append((c, f"language model: {_LM_EVIDENCE_WORDS[key][0 if up else 1]} than {than}"))
        else:
            style_total += c
            if c > 0:
                style_pushes.append((c, i, name))
    if style_total > 0.5:
        # words for the strongest pushes only (thousands of n-grams push a little each); ties
        # at the third place are all kept, then ordered by their words
        style_pushes.sort(key=lambda t: -t[0])
        for c, i, name in style_pushes:
            if len(style_parts) >= 3 and c < style_parts[2][0]:
                break
            words = _style_words(name, x[i] > variant.fr_mean[i])
            if words:
                style_parts.append((c, words))
        style_parts.sort(key=lambda t: (-t[0], t[1]))
        detail = ", ".join(w for _, w in style_parts[:3])
        items.append((style_total, f"{style_label} ({detail} than {than})"))
    items.sort(key=lambda t: (-t[0], t[1]))
    return [text for c, text in items[:3] if c > 0.2]


@register_scorer("likelihood", data_files=(MODEL_FILE, *tr.DATA_FILES))
def translated_from_english(doc, findings, scores, ctx) -> dict[str, Any]:
    model = _model(ctx)
    if model is None or not model.variants:
        return {}
    if doc.word_count < model.min_words:
        return {"translated_from_english": None}
    if ctx is not None:
        _warn_if_configuration_differs(model, ctx)
    style = tr.stylometric(doc)
    feats = None
    if "lm" in model.variants and tr.lm_features(scores) is not None:
        needs = any(f in tr.LM_EVIDENCE for f in model.variants["lm"].features)
        feats = tr.features(doc, findings, scores, with_lm=True, style=style, ctx=ctx, evidence=needs)
    with_lm = feats is not None  # the LM ran and left enough tokens for its evidence
    if feats is None:
        feats = tr.features(doc, findings, scores, with_lm=False, style=style)
    variant_name = "lm" if with_lm else "nolm"
    variant = model.variants.get(variant_name)
    if variant is None or feats is None:
        return {}
    x = variant.vector(feats)
    p = round(variant.probability(x), 4)
    out: dict[str, Any] = {"translated_from_english": p}
    skip = () if with_lm else tr.lm_rules()
    warn = ctx.config.threshold("warn_likelihood") if ctx is not None else 0.5
    why: list[str] = []
    if p >= warn:
        why = reasons(model, variant, x, findings, scores, skip)
    machine = model.machine.get(variant_name)
    if machine is not None:
        xm = machine.vector(feats)
        pm = round(machine.probability(xm), 4)
        out["machine_translated"] = pm
        if p >= warn:
            label = "machine" if pm >= 0.5 else "human"
            mwhy = reasons(
                model,
                machine,
                xm,
                findings,
                scores,
                skip,
                style_label="writing style of a machine translation",
                than="human translations",
            ) if label == "machine" else []
            why = why[:2] + [f"machine translation rather than human: {w}" for w in mwhy[:2]]
    if why:
        out["reasons"] = why
    return out
