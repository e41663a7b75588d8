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
from mtaudit.core.resources import data_path, read_lines, read_rows
from mtaudit.lang import englishness
from mtaudit.lang.englishness import FEATURES
from mtaudit.scorers.lm_evidence import (  # noqa: F401 - the lm: features, re-exported
    LM_EVIDENCE,
    LM_EVIDENCE_MIN_TOKENS,
    lm_evidence,
    lm_sentence_stats,
    sentence_stats,
)
from mtaudit.text.normalise import NGRAM, tokenize, unsplit_words, word_key

if TYPE_CHECKING:
    from mtaudit.core.document import Document
    from mtaudit.core.findings import Finding

FUNCTION_WORDS_FILE = "features/function_words.txt"
SUFFIXES_FILE = "features/suffixes.tsv"
PUNCTUATION_FILE = "features/punctuation.tsv"
DATA_FILES = (FUNCTION_WORDS_FILE, SUFFIXES_FILE, PUNCTUATION_FILE)


def _patterns(name: str) -> dict[str, str]:
    """name -> regular expression, from a two-column table (file:line errors)."""
    out: dict[str, str] = {}
    for row in read_rows(data_path(name), min_cols=2, max_cols=2, header=True, columns="name, pattern"):
        if row[0] in out:
            raise row.error(f"{row[0]!r} listed twice")
        try:
            re.compile(row[1])
        except re.error as exc:
            raise row.error(f"bad pattern: {exc}") from None
        out[row[0]] = row[1]
    return out


# French function words (lower case, elided forms with their apostrophe): data/features/
FUNCTION_WORDS: tuple[str, ...] = tuple(w for row in read_lines(data_path(FUNCTION_WORDS_FILE)) for w in row[0].split())
_FW_SET = frozenset(FUNCTION_WORDS)
# Punctuation, counted per 1,000 words (all quote marks one feature)
PUNCTUATION: dict[str, str] = _patterns(PUNCTUATION_FILE)
_PUNCT_RE = {k: re.compile(v) for k, v in PUNCTUATION.items()}
# Word endings, as a share of words (rough morphology: tenses, adverbs, participles)
SUFFIXES: dict[str, str] = _patterns(SUFFIXES_FILE)
_SUFFIX_RE = {k: re.compile(v) for k, v in SUFFIXES.items()}

# The masked n-grams' tokens: mtaudit.text.normalise's NGRAM rules (quote marks, apostrophes
# and dashes written one way; a hyphenated compound one word; an elided word keeps its apostrophe)
_NG_NUMBER = frozenset("$€£¥%")

_INVERSION = re.compile(r"\w-t-(?:il|elle|on)\b|\w-(?:il|elle|ils|elles|on|je|nous|vous)\b", re.I)

# Finding categories (rates per 1,000 words) and the language-model scores the model can use.
CATEGORIES: tuple[str, ...] = category_codes()  # mtaudit/data/categories.tsv
LM_SCORES: tuple[str, ...] = ("perplexity", "fluency", "lm_outlier_share")
# the normalised statistics of mtaudit.lm.unigram (SLOR and the share of out-of-place word
# units): features when the model lists them (training/README.md says whether they earn it)
LM_NORMALISED: tuple[str, ...] = ("slor", "lm_odd_unit_share")


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
    whole = unsplit_words()
    for t in _outside_quotes(doc):
        w = word_key(t.text)
        if w in whole:
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
    lean = sum(1 for w in lower if _ENGLISHNESS.passes(en_z[w], fr_z[w], FEATURES))
    feats["lex:english_lean"] = math.sqrt(lean / nl)
    feats["sty:word_length"] = sum(len(w) for w in words) / n
    feats["sty:long_words"] = sum(1 for w in words if len(w) >= 10) / n
    feats["sty:mattr"] = _mattr(words, 100)
    feats["sty:mtld"] = math.log(_mtld(words))

    per_sentence = [len(toks) for toks in doc.sentence_tokens]  # words and numbers
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


def code_identity() -> str:
    """12 hex digits naming what the stylometric features are computed with: this module, the
    tokeniser (mtaudit/text/normalise.py), its elision list and the feature word lists of
    data/features/. The training cache recomputes a row recorded with another value."""
    import hashlib
    from pathlib import Path

    from mtaudit.text import normalise

    h = hashlib.sha256()
    for path in (Path(__file__), Path(normalise.__file__), data_path(normalise.ELISIONS_FILE)):
        h.update(path.read_bytes())
    for name in DATA_FILES:
        h.update(data_path(name).read_bytes())
    return h.hexdigest()[:12]


def masked_tokens(text: str) -> list[str]:
    """Function words (lower case) and punctuation as they are; every other word ``X``, or ``C``
    when capitalised; numbers, currencies and percentages ``0``."""
    out: list[str] = []
    for t in tokenize(text, 0, NGRAM):
        w = t.text
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


# wordfreq's Zipf frequency (rounded), memoised; lex:english_lean is englishness's FEATURES rule
_zipf_memo = lru_cache(maxsize=200_000)(englishness.zipf)
_ENGLISHNESS = englishness.Englishness(englishness.WORDFREQ)


def _zipf():
    return _zipf_memo


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
    out = {
        "lm:log_perplexity": math.log(max(float(vals["perplexity"]), 1e-9)),
        "lm:fluency": float(vals["fluency"]),
        "lm:outlier_share": float(vals["lm_outlier_share"]),
    }
    for k in LM_NORMALISED:
        v = scores.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            out["lm:" + k.removeprefix("lm_")] = float(v)
    return out


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
