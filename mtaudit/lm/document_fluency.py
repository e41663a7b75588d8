"""Fluency of a document: every sentence scored by the language model, the word that fits
least, and the article's summary, calibrated on French news originals
(``mtaudit.lm.calibration``).

The measure is the *normalised surprise* of a sentence (``mtaudit.lm.unigram``): the mean,
over its word units, of the language model's surprise minus the surprise a unigram model of
French (wordfreq) has for the same word: minus SLOR. Rare words and names cost the model
as much as their frequency predicts, so they no longer make a sentence "unfluent"; a common
word the model did not expect *there* does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mtaudit.lm.calibration import DEFAULT_MIN_WORDS, Calibration
from mtaudit.lm.unigram import Unit, get_unigram, sentence_excess, units

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


def selected_sentences(doc, min_words: int = DEFAULT_MIN_WORDS) -> list[tuple[int, bool]]:
    """(sentence index, counts in the article score) for every sentence worth scoring.

    Headlines and intertitles (paragraph kind "title") and sentences under ``min_words``
    words are scored for the editor but kept out of the article score."""
    out = []
    for i, (s, toks) in enumerate(zip(doc.sentences, doc.sentence_tokens, strict=True)):
        words = sum(1 for t in toks if t.kind == "word")
        if words == 0:
            continue
        body = doc.paragraphs[s.paragraph].kind == "body"
        out.append((i, body and words >= min_words))
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
    # sentence i's tokens are doc.tokens[tok_start[i] : tok_start[i + 1]]
    tok_start = [0]
    for toks in doc.sentence_tokens:
        tok_start.append(tok_start[-1] + len(toks))
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
                token_start=tok_start[i],
                token_end=tok_start[i + 1],
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
