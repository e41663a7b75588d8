"""Fluency of a document from sentence perplexities, calibrated on French news originals.

Calibration (``mtaudit/data/fluency_calibration.json``, made by
``training/calibrate_fluency.py``) holds, per model, quantiles of the log-perplexity of body
sentences of the WMT French originals, and of the token-weighted article log-perplexity.
A score is ``100 * min(1, 2 * tail)``, where ``tail`` is the share of French originals at least
as perplexing: anything up to the median original scores 100, the 90th percentile scores 20,
the 97.5th percentile 5, and beyond the last original 0.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import data_path
from .paths import cache_dir

CALIBRATION_FILE = "fluency_calibration.json"
DEFAULT_MIN_WORDS = 5
# below this many counted sentences, the article perplexity is scored against the sentence
# distribution (an average of few sentences varies like a sentence, not like an article)
ARTICLE_MIN_SENTENCES = 5


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

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "tokens": self.tokens,
            "perplexity": round(self.perplexity, 2),
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
        }


class Calibration:
    def __init__(self, data: dict):
        self.data = data
        self.sentence_q = data["sentence_log_ppl_quantiles"]
        self.article_q = data["article_log_ppl_quantiles"]
        self.min_words = int(data.get("min_words", DEFAULT_MIN_WORDS))

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
    def score_from_tail(tail: float) -> float:
        return 100.0 * min(1.0, 2.0 * tail)

    def sentence_score(self, ppl: float) -> float:
        return self.score_from_tail(self._tail(self.sentence_q, math.log(ppl)))

    def article_score(self, ppl: float) -> float:
        return self.score_from_tail(self._tail(self.article_q, math.log(ppl)))


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


def score_document(doc, lm, calibration: Calibration | None, min_words: int | None = None):
    """Score every sentence of ``doc``; return (sentences, article summary)."""
    sel = selected_sentences(doc, _min_words(calibration, min_words))
    sents = [doc.sentences[i] for i, _ in sel]
    results = lm.score([s.text for s in sents]) if sents else []
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
                score=calibration.sentence_score(ppl) if calibration else None,
                in_article=in_article,
                worst_start=s.start + span[0] if span else None,
                worst_end=s.start + span[1] if span else None,
                worst_token=r.tokens[w] if w is not None else None,
                worst_logprob=r.logprobs[w] if w is not None else None,
                token_start=tok_range.get(i, [0, 0])[0],
                token_end=tok_range.get(i, [0, 0])[1],
            )
        )
    counted = [x for x in out if x.in_article]
    n_tok = sum(x.tokens for x in counted)
    article: dict = {
        "sentences_scored": len(out),
        "sentences_counted": len(counted),
        "tokens": n_tok,
    }
    if n_tok:
        ppl = math.exp(sum(x.total_surprisal for x in counted) / n_tok)
        article["perplexity"] = ppl
        if calibration is None:
            article["score"] = None
        elif len(counted) >= ARTICLE_MIN_SENTENCES:
            article["score"] = calibration.article_score(ppl)
        else:  # a sentence or two: judged against sentences, not against whole articles
            article["score"] = calibration.sentence_score(ppl)
    else:
        article["perplexity"] = None
        article["score"] = None
    return out, article
