"""Features that carry translationese, per article, for the translated-from-English likelihood.

Three families, all computed on the kept text only (``doc.sentences`` / ``doc.tokens``), so a
scraped page and a one-sentence-per-line corpus give the same numbers for the same article:

- **stylometry** (``sty:`` / ``fw:`` / ``pu:`` / ``sfx:`` / ``lex:``): function-word and
  punctuation rates per 1,000 words, a few suffix rates (tenses, adverbs in -ment, participles
  in -ant), sentence-length statistics, lexical variety, the share of lower-case words unknown
  to French or far more frequent in English (wordfreq). Nothing that depends on the article's length,
  its topic (no content words, no digits, no currency) or the corpus layout (no paragraphs).
- **n-grams** (``ng:``): word bigrams and trigrams over a masked text, where function words
  and punctuation stay and every other word becomes ``X`` (lower case), ``C`` (capitalised:
  names) or ``0`` (numbers, currencies, percentages): « , a X que », « X dans », « ( C ) ».
  Word order and the framing of clauses, without the content words that carry the topic.
  Rates per 1,000 words like the function words; only the non-zero ones are returned and the
  model keeps the frequent ones (its vocabulary, chosen at training).
- **findings** (``cat:``): findings per 1,000 words, by category (English leftovers,
  anglicisms, conventions, credit lines, names, consistency, grammar, fluency).
- **language model** (``lm:``): the article's perplexity, fluency and share of outlier
  sentences, when the language-model check ran; and the evidence a modern (fluent) machine
  translation leaves, from the per-token statistics the scorer accumulates in its output
  layer (:func:`lm_sentence_stats`, :func:`lm_evidence`): mean entropy and log-rank of the
  predictive distribution, the log-likelihood/log-rank ratio, the Fast-DetectGPT analytic
  curvature, quantiles and spread of the sentence surprisals. Names and numbers (capitalised
  words inside a sentence, words with digits) are left out of this evidence: their surprise
  says what the article is about, not how it was written.

Every feature is a float; rates are square-rooted to tame their skew. The model file
(``mtaudit/data/likelihood_model.json``) lists the features it uses; :func:`features` computes
them all and the model takes the ones it knows.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mtaudit.core.categories import category_codes

if TYPE_CHECKING:
    from mtaudit.core.document import Document
    from mtaudit.core.findings import Finding

# French function words (lower case, elided forms with their apostrophe). Content-free on
# purpose: articles, prepositions, conjunctions, pronouns, auxiliaries, frequent adverbs.
FUNCTION_WORDS: tuple[str, ...] = tuple(
    """
    le la les l' un une des du de d' au aux
    ce cet cette ces son sa ses leur leurs mon ma mes notre nos votre vos
    quel quelle quels quelles chaque tout toute tous toutes plusieurs certains certaines
    aucun aucune autre autres même mêmes tel telle
    à dans par pour sur avec sans sous entre vers chez depuis pendant selon contre avant après
    lors malgré parmi durant hors près jusqu' jusque auprès face grâce afin cours
    et ou mais donc ni car que qu' quand lorsque lorsqu' puisque si comme alors ainsi
    cependant pourtant toutefois néanmoins tandis
    il ils elle elles on nous vous je j' me m' se s' lui y en eux c' ça cela ceci
    celui celle ceux celles qui quoi dont où lequel laquelle lesquels
    ne n' pas plus moins très trop aussi encore déjà toujours jamais ici là bien peu beaucoup
    seulement notamment également surtout environ presque désormais puis enfin ensuite
    aujourd'hui hier maintenant actuellement
    est sont était étaient a ont avait avaient sera seront serait seraient été être avoir
    fait faire peut peuvent pourrait doit doivent devrait va vont
    """.split()
)
_FW_SET = frozenset(FUNCTION_WORDS)

# Punctuation, counted per 1,000 words. Quote marks of every kind count as one feature: which
# kind is an English convention is the CV checks' business, and corpora normalise them.
PUNCTUATION: dict[str, str] = {
    "comma": r",",
    "semicolon": r";",
    "colon": r":",
    "question": r"\?",
    "exclamation": r"!",
    "parenthesis": r"\(",
    "quote": r"[«\"“”„]",
    "dash": r"[—–]|(?<=\s)-(?=\s)",
    "ellipsis": r"…|\.\.\.",
    "comma_et": r",\s+(?:et|ou)\b",
    "comma_que": r",\s+(?:qui|que|qu['’]|dont|où)\b",
}
_PUNCT_RE = {k: re.compile(v) for k, v in PUNCTUATION.items()}

# Word endings, as a share of words (rough morphology: tenses, adverbs, participles).
SUFFIXES: dict[str, str] = {
    "ment": r"ment$",
    "tion": r"[st]ion$",
    "ant": r"ant$",
    "imparfait": r"(?:ait|aient)$",
    "conditionnel": r"(?:rait|raient)$",
    "futur": r"(?:era|eront|ira|iront)$",
    "participe": r"(?:é|ée|és|ées)$",
    "infinitif": r"(?:er|ir|re)$",
}
_SUFFIX_RE = {k: re.compile(v) for k, v in SUFFIXES.items()}

# Masked token stream of the n-grams: quote marks, apostrophes and dashes normalised (corpora
# differ in which kind they use), spaces ignored (layout-free). A hyphenated compound is one
# word (« Jong-un » is a name, not « un »); an elided word keeps its apostrophe (« l' », « qu' »).
_NG_NORM = str.maketrans(
    {
        "’": "'",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "—": "-",
        "–": "-",
    }
)
_NG_TOKEN = re.compile(r"(?i:aujourd'hui)|[^\W\d_]+(?:-[^\W\d_]+)*'?|\d+(?:[.,]\d+)*|[^\w\s]")
_NG_NUMBER = frozenset("$€£¥%")

_INVERSION = re.compile(r"\w-t-(?:il|elle|on)\b|\w-(?:il|elle|ils|elles|on|je|nous|vous)\b", re.I)

# Finding categories (rates per 1,000 words) and the language-model scores the model can use.
CATEGORIES: tuple[str, ...] = category_codes()  # mtaudit/data/categories.tsv
LM_SCORES: tuple[str, ...] = ("perplexity", "fluency", "lm_outlier_share")


def _outside_quotes(doc: Document) -> list:
    """Word tokens outside quotations: a quotation of a foreign leader is a translation even
    in an article written in French, so the style measured is the journalist's own."""
    quotes = doc.quotes
    if not quotes:
        return list(doc.words)
    out, qi = [], 0
    for t in doc.words:  # tokens and quotes are both in text order
        while qi < len(quotes) and quotes[qi][1] <= t.start:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] <= t.start < quotes[qi][1]:
            continue
        out.append(t)
    return out


def _unquoted_text(doc: Document) -> str:
    """The kept sentences, with the inside of quotations left out (quote marks kept)."""
    parts = []
    quotes = doc.quotes  # sorted by start: each paragraph looks at its own (was all of them)
    qstarts = [q[0] for q in quotes]
    for p in doc.paragraphs:
        text, prev = [], p.start
        for qs, qe in quotes[bisect.bisect_left(qstarts, p.start) : bisect.bisect_right(qstarts, p.end)]:
            if p.start <= qs and qe <= p.end:
                text.append(doc.text[prev : qs + 1])
                prev = qe - 1
        text.append(doc.text[prev : p.end])
        parts.append("".join(text))
    return "\n".join(parts)


def _words(doc: Document) -> list[str]:
    """Lower-cased words outside quotations; hyphenated words split, apostrophes normalised."""
    out: list[str] = []
    for t in _outside_quotes(doc):
        w = t.lower.replace("’", "'")
        if w == "aujourd'hui":
            out.append(w)
            continue
        out.extend(p for p in w.split("-") if p)
    return out


def stylometric(doc: Document) -> dict[str, float]:
    """Function-word, punctuation, suffix and sentence-length features of the kept text."""
    words = _words(doc)
    n = max(len(words), 1)
    feats: dict[str, float] = {}
    counts = Counter(w for w in words if w in _FW_SET)
    for w in FUNCTION_WORDS:
        feats[f"fw:{w}"] = math.sqrt(1000.0 * counts.get(w, 0) / n)
    feats["sty:function_share"] = sum(counts.values()) / n

    text = _unquoted_text(doc)
    for name, rx in _PUNCT_RE.items():
        feats[f"pu:{name}"] = math.sqrt(1000.0 * len(rx.findall(text)) / n)
    feats["pu:inversion"] = math.sqrt(1000.0 * len(_INVERSION.findall(text)) / n)

    content = [w for w in words if w not in _FW_SET and len(w) > 2]
    nc = max(len(content), 1)
    for name, rx in _SUFFIX_RE.items():
        feats[f"sfx:{name}"] = math.sqrt(sum(1 for w in content if rx.search(w)) / nc)
    # lower-case words unknown to French, or far more frequent in English: soft traces of
    # words left untranslated (capitalised words are left out: names say more about the topic)
    lower = [w for w in content if w.isalpha() and w.islower()]
    nl = max(len(lower), 1)
    zipf = _zipf()
    fr_z = {w: zipf(w, "fr") for w in set(lower)}
    en_z = {w: zipf(w, "en") for w in set(lower)}
    feats["lex:unknown_fr"] = math.sqrt(sum(1 for w in lower if fr_z[w] == 0) / nl)
    feats["lex:english_lean"] = math.sqrt(sum(1 for w in lower if en_z[w] - fr_z[w] >= 1.0) / nl)
    feats["sty:word_length"] = sum(len(w) for w in words) / n
    feats["sty:long_words"] = sum(1 for w in words if len(w) >= 10) / n
    feats["sty:mattr"] = _mattr(words, 100)
    feats["sty:mtld"] = math.log(_mtld(words))

    per_sentence: list[int] = [0] * len(doc.sentences)
    for t in doc.tokens:
        per_sentence[t.sentence] += 1
    lens = [x for x in per_sentence if x > 0] or [0]
    mean = sum(lens) / len(lens)
    var = sum((x - mean) ** 2 for x in lens) / len(lens)
    feats["sty:sentence_mean"] = math.log1p(mean)
    feats["sty:sentence_cv"] = math.sqrt(var) / mean if mean else 0.0
    feats["sty:sentence_long"] = sum(1 for x in lens if x >= 35) / len(lens)
    feats["sty:sentence_short"] = sum(1 for x in lens if x <= 8) / len(lens)
    # rhythm: how much consecutive sentences differ in length (machine output keeps the
    # source's sentence cuts and tends to even lengths out)
    steps = [abs(a - b) for a, b in zip(lens, lens[1:], strict=False)]
    feats["sty:sentence_step"] = (sum(steps) / len(steps) / mean) if steps and mean else 0.0
    feats["sty:commas_per_sentence"] = sum(s.text.count(",") for s in doc.sentences) / len(lens)
    feats.update(ngrams(masked_tokens(text), n))
    return feats


def masked_tokens(text: str) -> list[str]:
    """Function words (lower case) and punctuation as they are; every other word ``X``, or ``C``
    when capitalised; numbers, currencies and percentages ``0``."""
    out: list[str] = []
    for m in _NG_TOKEN.finditer(text.translate(_NG_NORM)):
        w = m.group()
        c = w[0]
        if c.isdigit() or w in _NG_NUMBER:
            out.append("0")
        elif c.isalpha():
            lw = w.lower()
            out.append(lw if lw in _FW_SET else "C" if c.isupper() else "X")
        else:
            out.append(w)
    return out


def ngrams(tokens: list[str], words: int) -> dict[str, float]:
    """Rates of the token bigrams and trigrams per 1,000 words (square root), non-zero only."""
    counts = Counter(map(" ".join, zip(tokens, tokens[1:], strict=False)))
    counts.update(map(" ".join, zip(tokens, tokens[1:], tokens[2:], strict=False)))
    k = 1000.0 / max(words, 1)
    return {f"ng:{g}": math.sqrt(k * c) for g, c in counts.items()}


def _zipf():
    """wordfreq's Zipf frequency, memoised (wordfreq is imported on first use)."""
    global _ZIPF
    if _ZIPF is None:
        from mtaudit.lang.frequencies import zipf_frequency

        _ZIPF = lru_cache(maxsize=200_000)(zipf_frequency)
    return _ZIPF


_ZIPF = None


def _mattr(words: list[str], window: int) -> float:
    """Moving-average type/token ratio: lexical variety that does not fall with length."""
    if len(words) <= window:
        return len(set(words)) / max(len(words), 1)
    counts: Counter[str] = Counter(words[:window])
    total = len(counts)
    steps = 1
    for i in range(window, len(words)):
        old, new = words[i - window], words[i]
        counts[old] -= 1
        if counts[old] == 0:
            del counts[old]
        counts[new] += 1
        total += len(counts)
        steps += 1
    return total / (steps * window)


def _mtld_pass(words: list[str], threshold: float) -> float:
    factors, types, count = 0.0, set(), 0
    for w in words:
        types.add(w)
        count += 1
        if len(types) / count <= threshold:
            factors += 1
            types, count = set(), 0
    if count:
        ttr = len(types) / count
        factors += (1 - ttr) / (1 - threshold) if ttr < 1 else 0.0
    return len(words) / factors if factors else float(len(words))


def _mtld(words: list[str], threshold: float = 0.72) -> float:
    """MTLD (McCarthy & Jarvis 2010): mean length of the word runs that keep the type/token
    ratio above ``threshold``, forwards and backwards averaged; stable across text lengths."""
    if not words:
        return 1.0
    return max(1.0, (_mtld_pass(words, threshold) + _mtld_pass(words[::-1], threshold)) / 2)


def finding_counts(findings: Iterable[Finding], skip_rules: Iterable[str] = ()) -> dict[str, int]:
    """Number of findings per category (findings of ``skip_rules`` left out)."""
    skip = set(skip_rules)
    out = Counter(f.category for f in findings if f.rule not in skip)
    return {c: out.get(c, 0) for c in CATEGORIES}


def finding_rates(counts: dict[str, int], words: int) -> dict[str, float]:
    n = max(words, 1)
    return {f"cat:{c}": math.sqrt(1000.0 * counts.get(c, 0) / n) for c in CATEGORIES}


def lm_features(scores: dict[str, Any]) -> dict[str, float] | None:
    """The language-model statistics of the scorecard, or None when the LM did not run."""
    vals = {k: scores.get(k) for k in LM_SCORES}
    if any(
        not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v)
        for v in vals.values()
    ):
        return None
    return {
        "lm:log_perplexity": math.log(max(float(vals["perplexity"]), 1e-9)),
        "lm:fluency": float(vals["fluency"]),
        "lm:outlier_share": float(vals["lm_outlier_share"]),
    }


# ---------------------------------------------------------------- modern-MT evidence (LM)
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


def lm_rules() -> set[str]:
    """Rule codes of the checks that need the language model (they do not run with --no-lm)."""
    from mtaudit.checks import load_checks

    return {code for code, cls in load_checks().items() if "lm" in cls.requires}


def features(
    doc: Document,
    findings: Iterable[Finding],
    scores: dict[str, Any],
    with_lm: bool,
    style: dict[str, float] | None = None,
    ctx=None,
    evidence: bool = True,
) -> dict[str, float] | None:
    """All features of an article for one model variant; None if ``with_lm`` and no LM scores.

    The variant without LM ignores the findings of LM checks, so that it sees the same thing
    with and without ``--no-lm``.
    """
    feats = dict(style if style is not None else stylometric(doc))
    skip = () if with_lm else lm_rules()
    feats.update(finding_rates(finding_counts(findings, skip), doc.word_count))
    if with_lm:
        lm = lm_features(scores)
        ev = lm_evidence(lm_sentence_stats(doc, ctx)) if lm is not None and evidence else {}
        if lm is None or ev is None:
            return None
        feats.update(lm)
        feats.update(ev)
    return feats
