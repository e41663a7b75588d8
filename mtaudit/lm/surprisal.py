"""The scores of one sentence under a causal language model: per-token log-probabilities
(and, when computed, per-token statistics of the predictive distribution), with the surprisal,
perplexity and most surprising word derived from them. Pure data: no torch."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from mtaudit.text.normalise import DOCUMENT_APOSTROPHES

# a character of a word: letters, digits, the document's apostrophes, hyphens
_WORDCHAR = re.compile(rf"[\w{DOCUMENT_APOSTROPHES}-]")


@dataclass
class SentenceScore:
    """Scores of one sentence. ``logprobs[i]`` is the natural log-probability of token i
    (None for a first token that could not be conditioned: a model without a BOS token).

    ``extra`` holds, when the model computes them (``LanguageModel.token_stats``), per-token
    statistics of the predictive distribution, aligned with ``logprobs`` (None where
    ``logprobs`` is None): ``entropy`` (nats), ``lp_var`` (variance of log p under the
    model's own next-token distribution: Fast-DetectGPT's sigma^2) and ``rank`` (1 + the
    number of vocabulary entries with a higher logit than the token's)."""

    text: str
    tokens: list[str]
    offsets: list[tuple[int, int]]
    logprobs: list[float | None]
    extra: dict = field(default_factory=dict)

    @property
    def scored(self) -> list[float]:
        return [lp for lp in self.logprobs if lp is not None]

    @property
    def n_tokens(self) -> int:
        return len(self.scored)

    @property
    def total_surprisal(self) -> float:
        return -sum(self.scored)

    @property
    def mean_surprisal(self) -> float:
        n = self.n_tokens
        return self.total_surprisal / n if n else 0.0

    @property
    def perplexity(self) -> float:
        return math.exp(self.mean_surprisal)

    @property
    def worst(self) -> int | None:
        """Index of the most surprising token. The first token is only a candidate when it is
        the only one: its surprise says more about the topic than about the wording."""
        best, idx = None, None
        skip_first = sum(lp is not None for lp in self.logprobs[1:]) > 0
        for i, lp in enumerate(self.logprobs):
            if i == 0 and skip_first:
                continue
            if lp is not None and (best is None or lp < best):
                best, idx = lp, i
        return idx

    def worst_span(self) -> tuple[int, int] | None:
        """Character span (in ``text``) of the word holding the most surprising token."""
        i = self.worst
        if i is None:
            return None
        return word_span(self.text, *self.offsets[i])


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a token's character span to the whole word(s) it touches, without the spaces."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:  # a pure-space token: point at the next word
        while end < len(text) and text[end].isspace():
            end += 1
        start = end
        while end < len(text) and not text[end].isspace():
            end += 1
        return (start, end) if end > start else (max(0, start - 1), start)
    while start > 0 and _WORDCHAR.match(text[start - 1]) and _WORDCHAR.match(text[start]):
        start -= 1
    while end < len(text) and _WORDCHAR.match(text[end]) and _WORDCHAR.match(text[end - 1]):
        end += 1
    return start, end
