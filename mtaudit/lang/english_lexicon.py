"""The English lexicon of EN101/EN102: what a word is out of context.

wordfreq's lead of English over French (:mod:`mtaudit.lang.englishness`, rules ``EN101``,
``EN101_LEAN``, ``EN101_START``), the accepted loanwords (``data/loanwords.txt``), the English
grammar words and French homographs (``data/english_stoplist.tsv``) and the French for English
words and set phrases (``data/english_translations.tsv``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from mtaudit.core.resources import read_lines, read_rows
from mtaudit.lang import englishness
from mtaudit.lang.englishness import EN101, EN101_LEAN, EN101_MARGIN, EN101_MIN_ZIPF
from mtaudit.text.normalise import word_key

if TYPE_CHECKING:
    from mtaudit.core.context import Context

# Default thresholds (override with [tool.mtaudit.options.EN101]); documented in
# mtaudit.lang.englishness, the one home of the "is this word English?" decision.
MARGIN = EN101_MARGIN  # English Zipf frequency minus French Zipf frequency
MIN_ZIPF = EN101_MIN_ZIPF  # English Zipf frequency at least this (about once per million words)

LOANWORDS = "loanwords.txt"
STOPLIST = "english_stoplist.tsv"
TRANSLATIONS = "english_translations.tsv"

_ASCII_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")

_key = word_key  # lower case, straight apostrophes


def _read_pairs(name: str) -> dict[str, str]:
    """A two-column table (its first data line names the columns): key -> value."""
    return {_key(r[0]): r[1] for r in read_rows(name, min_cols=2, header=True)}


@dataclass
class Lexicon:
    en: Mapping[str, float]
    fr: Mapping[str, float]
    loan: frozenset[str]
    loan_phrases: dict[str, list[tuple[str, ...]]]
    stop: dict[str, str]
    translations: dict[str, str]
    # English set phrases of english_translations.tsv ("last week", "game changer"), by first
    # word: their words are English together even where one alone is also French ("changer")
    en_phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    margin: float = MARGIN
    min_zipf: float = MIN_ZIPF
    memo: dict[float, dict[str, str | None]] = field(default_factory=dict)
    _rule_memo: dict[float, tuple] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, margin: float = MARGIN, min_zipf: float = MIN_ZIPF) -> Lexicon:
        from mtaudit.lang.frequencies import frequency_dict

        loan: set[str] = set()
        phrases: dict[str, list[tuple[str, ...]]] = {}
        for entry in read_lines(LOANWORDS):
            k = _key(entry[0])
            loan.add(k)
            loan.add(k.replace("-", ""))
            loan.add(k.replace("-", " "))
            parts = tuple(p for p in re.split(r"[ \-]+", k) if p)
            if len(parts) > 1:
                phrases.setdefault(parts[0], []).append(parts)
                phrases.setdefault(parts[0], []).append(tuple(re.split(r" +", k)))
        for first in phrases:
            phrases[first] = sorted(set(phrases[first]), key=len, reverse=True)
        stop = _read_pairs(STOPLIST)
        trans = _read_pairs(TRANSLATIONS)
        en_phrases: dict[str, list[tuple[str, ...]]] = {}
        for k in trans:
            parts = tuple(k.split())
            if len(parts) > 1:
                en_phrases.setdefault(parts[0], []).append(parts)
        for first in en_phrases:
            en_phrases[first].sort(key=len, reverse=True)
        return cls(
            # wordfreq's lists, read word by word from the on-disk artefact that
            # mtaudit.lang.frequencies.zipf_frequency uses too (not decoded on every run)
            en=frequency_dict("en"),
            fr=frequency_dict("fr"),
            loan=frozenset(loan),
            loan_phrases=phrases,
            stop=stop,
            translations=trans,
            en_phrases=en_phrases,
            margin=margin,
            min_zipf=min_zipf,
        )

    def is_loan(self, k: str) -> bool:
        return (
            k in self.loan
            or (k.endswith("s") and k[:-1] in self.loan)
            or (k.endswith("es") and k[:-2] in self.loan)
        )

    def kind(self, word: str, margin: float | None = None) -> str | None:
        """The kind of a word out of context.

        "strong": an English word; "lean": more English than French, not decisive alone;
        "weak": an English grammar word; "french": a French homograph of an English word;
        None: not English, or an accepted loanword.
        """
        return self.kind_of_key(_key(word), margin)

    def kind_of_key(self, k: str, margin: float | None = None) -> str | None:
        """:meth:`kind` of a word already lower-cased with straight apostrophes."""
        margin = self.margin if margin is None else margin
        memo = self.memo.get(margin)
        if memo is None:
            memo = self.memo[margin] = {}
        try:
            return memo[k]
        except KeyError:
            out = memo[k] = self._kind(k, margin)
            return out

    def _rules(self, margin: float) -> tuple[englishness.Rule, englishness.Rule]:
        """EN101's rules (englishness.EN101, EN101_LEAN) with the configured thresholds."""
        try:
            return self._rule_memo[margin]
        except KeyError:
            strong = replace(EN101, margin=margin, min_en=self.min_zipf)
            lean = replace(EN101_LEAN, min_en=self.min_zipf)
            out = self._rule_memo[margin] = (strong, lean)
            return out

    def _kind(self, k: str, margin: float) -> str | None:
        if not _ASCII_WORD.fullmatch(k) or self.is_loan(k):
            return None
        if k in self.stop:
            return self.stop[k]
        if len(k) < 2:
            return None
        if "-" in k and k not in self.en:
            kinds = [self._kind(p, margin) for p in k.split("-")]
            if all(x in ("strong", "weak") for x in kinds) and "strong" in kinds:
                return "strong"
            return None
        strong, lean = self._rules(margin)
        return englishness.lean(k, lean, strong)

    def alternatives(self, words: list[str]) -> str | None:
        k = " ".join(_key(w) for w in words)
        return self.translations.get(k) or (self.translations.get(k[:-1]) if k.endswith("s") else None)


def _first(alternatives: str) -> str:
    """The first of the alternatives "rapport / article" (the others are for the editor)."""
    return alternatives.split(" / ")[0].strip()


def lexicon(ctx: Context) -> Lexicon:
    opts = ctx.options("EN101")
    margin = float(opts.get("margin", MARGIN))
    min_zipf = float(opts.get("min_zipf", MIN_ZIPF))
    return ctx.resource(
        f"english.lexicon:{margin}:{min_zipf}", lambda: Lexicon.load(margin, min_zipf)
    )


def span_detector(ctx: Context):
    """lingua restricted to the languages of mtaudit.lang.langid, in low-accuracy mode (shared)."""
    from mtaudit.lang.langid import lingua_detector

    return lingua_detector(True)


def english_confidence(ctx: Context, text: str) -> float:
    for v in span_detector(ctx).compute_language_confidence_values(text):
        if v.language.iso_code_639_1.name.lower() == "en":
            return v.value
    return 0.0
