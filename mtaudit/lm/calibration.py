"""Fluency of a document, calibrated on French news originals.

The measure is the *normalised surprise* of a sentence (``mtaudit.lm.unigram``): the mean,
over its word units, of the language model's surprise minus the surprise a unigram model of
French (wordfreq) has for the same word: minus SLOR. Rare words and names cost the model
as much as their frequency predicts, so they no longer make a sentence "unfluent"; a common
word the model did not expect *there* does.

Calibration (``mtaudit/data/fluency_calibration.json``, made by
``training/calibrate_fluency.py``) holds, per model, quantiles of that measure on French news
originals, by length band: for sentences by their number of units, for articles by the number
of units counted (windows of consecutive sentences of originals of that length). A score is
``100 * tail``, where ``tail`` is the share of originals of the same band at least as unusual:
the score is the percentile of fluency among French originals of that length (50 for the
median original, 5 for the 5% least fluent), so it does not saturate.

A calibration table of the old kind (perplexity quantiles only, made before this measure) is
still read: its scores come from the perplexity, as before.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mtaudit.core.resources import data_path
from mtaudit.lm.paths import cache_dir
from mtaudit.lm.unigram import Unit, get_unigram, sentence_excess, units

CALIBRATION_FILE = "fluency_calibration.json"
DEFAULT_MIN_WORDS = 5
# below this many counted sentences, the article perplexity is scored against the sentence
# distribution (an average of few sentences varies like a sentence, not like an article)
ARTICLE_MIN_SENTENCES = 5
# a unit the model finds this much more surprising than its frequency (nats: 150 times) is
# "out of place" for the article's odd_unit_share
ODD_UNIT_NATS = 5.0


@dataclass
class SentenceFluency:
    index: int  # index into Document.sentences
    start: int
    end: int
    text: str
    tokens: int
    perplexity: float
    mean_surprisal: float
    total_surprisal: float
    score: float | None
    in_article: bool  # counted in the article score (body sentence, long enough)
    worst_start: int | None  # document offsets of the most surprising word
    worst_end: int | None
    worst_token: str | None
    worst_logprob: float | None
    token_start: int = 0  # index range into Document.tokens
    token_end: int = 0
    n_units: int = 0  # word units (mtaudit.lm.unigram)
    excess: float = 0.0  # total excess surprise over its units (nats)
    unit_list: list[Unit] | None = None  # sentence-relative spans
    odd_start: int | None = None  # document offsets of the most out-of-place word (or pair)
    odd_end: int | None = None
    odd_excess: float | None = None  # its excess surprise (nats)

    @property
    def norm_surprise(self) -> float:
        """Mean excess surprise per unit (nats): minus SLOR."""
        return self.excess / self.n_units if self.n_units else 0.0

    @property
    def slor(self) -> float:
        return -self.norm_surprise

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "tokens": self.tokens,
            "perplexity": round(self.perplexity, 2),
            "slor": round(self.slor, 3),
            "score": None if self.score is None else round(self.score, 1),
            "in_article": self.in_article,
            "surprising": None
            if self.worst_start is None
            else {
                "start": self.worst_start,
                "end": self.worst_end,
                "token": self.worst_token,
                "logprob": round(self.worst_logprob, 3),
            },
            "out_of_place": None
            if self.odd_start is None
            else {
                "start": self.odd_start,
                "end": self.odd_end,
                "excess_surprise": round(self.odd_excess, 3),
            },
        }


class Calibration:
    """Quantiles of the fluency measure on French originals, by length band."""

    def __init__(self, data: dict):
        self.data = data
        self.min_words = int(data.get("min_words", DEFAULT_MIN_WORDS))
        self.normalised = "sentence_bands" in data
        if self.normalised:
            self.sentence_bands = [
                (int(b["min_units"]), b["quantiles"]) for b in data["sentence_bands"]
            ]
            self.article_bands = [
                (int(b["min_units"]), b["quantiles"]) for b in data["article_bands"]
            ]
            oov = data.get("oov")
            self.oov = (float(oov[0]), float(oov[1])) if oov else None
        else:  # a table of the old kind: perplexity quantiles
            self.sentence_q = data["sentence_log_ppl_quantiles"]
            self.article_q = data["article_log_ppl_quantiles"]
            self.oov = None

    @staticmethod
    def _tail(q: list[float], x: float) -> float:
        """Share of the calibration sample with a value >= x (quantiles at even steps)."""
        n = len(q) - 1
        if x <= q[0]:
            return 1.0
        if x >= q[-1]:
            return 0.0
        i = bisect.bisect_right(q, x) - 1
        lo, hi = q[i], q[i + 1]
        frac = (x - lo) / (hi - lo) if hi > lo else 0.0
        return 1.0 - (i + frac) / n

    @staticmethod
    def _band(bands: list[tuple[int, list[float]]], n_units: int) -> list[float]:
        q = bands[0][1]
        for lo, qq in bands:
            if n_units >= lo:
                q = qq
        return q

    @staticmethod
    def score_from_tail(tail: float) -> float:
        return 100.0 * min(1.0, 2.0 * tail)

    def sentence_score(self, ppl: float, norm_surprise: float = 0.0, n_units: int = 0) -> float:
        if not self.normalised:
            return self.score_from_tail(self._tail(self.sentence_q, math.log(ppl)))
        return 100.0 * self._tail(self._band(self.sentence_bands, n_units), norm_surprise)

    def article_score(self, ppl: float, norm_surprise: float = 0.0, n_units: int = 0) -> float:
        if not self.normalised:
            return self.score_from_tail(self._tail(self.article_q, math.log(ppl)))
        return 100.0 * self._tail(self._band(self.article_bands, n_units), norm_surprise)


@lru_cache(maxsize=8)
def _read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def calibration_for(model_id: str) -> Calibration | None:
    """The calibration of this model: the shipped table, or one the user made in the cache."""
    shipped = (
        _read(str(data_path(CALIBRATION_FILE))) if data_path(CALIBRATION_FILE).is_file() else {}
    )
    entry = shipped.get("models", {}).get(model_id)
    if entry is None:
        user = cache_dir() / "calibration" / f"{slug(model_id)}.json"
        if user.is_file():
            entry = _read(str(user)).get("models", {}).get(model_id)
    return Calibration(entry) if entry else None


def slug(model_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in model_id)


def selected_sentences(doc, min_words: int = DEFAULT_MIN_WORDS) -> list[tuple[int, bool]]:
    """(sentence index, counts in the article score) for every sentence worth scoring.

    Headlines and intertitles (paragraph kind "title") and sentences under ``min_words``
    words are scored for the editor but kept out of the article score."""
    words = [0] * len(doc.sentences)
    for t in doc.words:
        words[t.sentence] += 1
    out = []
    for i, s in enumerate(doc.sentences):
        if words[i] == 0:
            continue
        body = doc.paragraphs[s.paragraph].kind == "body"
        out.append((i, body and words[i] >= min_words))
    return out


def _min_words(calibration: Calibration | None, min_words: int | None) -> int:
    if min_words is not None:
        return min_words
    return calibration.min_words if calibration else DEFAULT_MIN_WORDS


def prefetch(docs, lm, calibration: Calibration | None, min_words: int | None = None) -> None:
    """Score the sentences ``score_document`` will ask for, for many documents at once (fuller
    batches); the results wait in the model's sentence cache."""
    mw = _min_words(calibration, min_words)
    texts = [doc.sentences[i].text for doc in docs for i, _ in selected_sentences(doc, mw)]
    if texts and len(texts) <= lm.cache_size // 2:  # or the cache would drop them before use
        lm.score(texts)


def out_of_place(us: list[Unit]) -> tuple[int, int, float] | None:
    """(start, end, excess) in the sentence of the word that fits least: the word unit (not the
    first of the sentence) with
    the largest excess surprise, widened to its neighbour when that one is out of place too
    (at least 2 nats and half as much). Never a proper name (a capitalised word inside the
    sentence), a number, a punctuation mark or words inside quotation marks: those may be
    rare, they are not errors of the sentence."""
    ok = [u.kind in ("word", "elid") and not u.name and not u.quoted for u in us]
    for k, u in enumerate(us):  # the first word (and marks before it): conditioned on the
        if len(us) == 1:  # start of text only
            break
        ok[k] = False
        if u.kind in ("word", "elid"):
            break
    cand = [i for i, good in enumerate(ok) if good]
    if not cand:
        return None
    i = max(cand, key=lambda k: (us[k].excess, -k))
    best = us[i]
    pair = None
    for j in (i - 1, i + 1):
        if 0 <= j < len(us) and ok[j] and us[j].excess >= max(2.0, 0.5 * best.excess):
            if pair is None or us[j].excess > us[pair].excess:
                pair = j
    if pair is None:
        return best.start, best.word_end, best.excess
    a, b = sorted((i, pair))
    return us[a].start, us[b].word_end, best.excess + us[pair].excess


def score_document(doc, lm, calibration: Calibration | None, min_words: int | None = None):
    """Score every sentence of ``doc``; return (sentences, article summary)."""
    sel = selected_sentences(doc, _min_words(calibration, min_words))
    sents = [doc.sentences[i] for i, _ in sel]
    results = lm.score([s.text for s in sents]) if sents else []
    unigram = get_unigram(calibration.oov if calibration else None)
    tok_range: dict[int, list[int]] = {}
    for k, t in enumerate(doc.tokens):
        r = tok_range.setdefault(t.sentence, [k, k])
        r[1] = k + 1
    out: list[SentenceFluency] = []
    for (i, in_article), s, r in zip(sel, sents, results, strict=True):
        if r.n_tokens == 0:
            continue
        ppl = r.perplexity
        w = r.worst
        span = r.worst_span()
        us = units(r, unigram)
        excess, n_units = sentence_excess(us)
        ns = excess / n_units if n_units else 0.0
        odd = out_of_place(us)
        out.append(
            SentenceFluency(
                index=i,
                start=s.start,
                end=s.end,
                text=s.text,
                tokens=r.n_tokens,
                perplexity=ppl,
                mean_surprisal=r.mean_surprisal,
                total_surprisal=r.total_surprisal,
                score=calibration.sentence_score(ppl, ns, n_units) if calibration else None,
                in_article=in_article,
                worst_start=s.start + span[0] if span else None,
                worst_end=s.start + span[1] if span else None,
                worst_token=r.tokens[w] if w is not None else None,
                worst_logprob=r.logprobs[w] if w is not None else None,
                token_start=tok_range.get(i, [0, 0])[0],
                token_end=tok_range.get(i, [0, 0])[1],
                n_units=n_units,
                excess=excess,
                unit_list=us,
                odd_start=s.start + odd[0] if odd else None,
                odd_end=s.start + odd[1] if odd else None,
                odd_excess=odd[2] if odd else None,
            )
        )
    article = article_summary([x for x in out if x.in_article], calibration)
    article["sentences_scored"] = len(out)
    return out, article


def article_summary(counted: list[SentenceFluency], calibration: Calibration | None) -> dict:
    """The article's statistics from its counted sentences: perplexity (token-weighted),
    normalised surprise and SLOR (unit-weighted), the share of its units the model finds far
    more surprising than their frequency (excess over 5 nats), and the calibrated score."""
    n_tok = sum(x.tokens for x in counted)
    n_units = sum(x.n_units for x in counted)
    article: dict = {
        "sentences_counted": len(counted),
        "tokens": n_tok,
        "units": n_units,
    }
    if not n_tok:
        article.update(perplexity=None, score=None, slor=None, odd_unit_share=None)
        return article
    ppl = math.exp(sum(x.total_surprisal for x in counted) / n_tok)
    ns = sum(x.excess for x in counted) / n_units if n_units else 0.0
    odd = sum(1 for x in counted for u in (x.unit_list or ()) if u.excess > ODD_UNIT_NATS)
    article["perplexity"] = ppl
    article["slor"] = -ns
    article["odd_unit_share"] = odd / n_units if n_units else 0.0
    if calibration is None:
        article["score"] = None
    elif calibration.normalised:
        article["score"] = calibration.article_score(ppl, ns, n_units)
    elif len(counted) >= ARTICLE_MIN_SENTENCES:
        article["score"] = calibration.article_score(ppl)
    else:  # a sentence or two: judged against sentences, not against whole articles
        article["score"] = calibration.sentence_score(ppl)
    return article
