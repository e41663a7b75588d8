"""The one decision "is this word English?" and "is this quotation foreign?".

A word is English here when wordfreq finds it enough more frequent in English than in French:
its English Zipf frequency minus its French one (the *lead*, :meth:`Englishness.lead`) reaches a
margin. Each caller has its own margin, tuned on its own errors, and they stay separate named
rules (:class:`Rule`) of this one function; changing one changes that caller only.

====================  =======  =======  =====================================================
rule                  margin   min en   why
====================  =======  =======  =====================================================
``EN101``             1.35     3.0      EN101 reports the word: only a clear lead, and only a
                                        word common in English (Zipf 3 = once per million
                                        words), or rare French words would be flagged.
``EN101_LEAN``        0.8      3.0      A "lean" word extends a run of English words (fast
                                        start) but is not reported alone.
``EN101_START``       2.0      3.0      A capitalised word opening a sentence may be a name:
                                        a stricter lead.
``AN201``             1.0      -        AN201 skips its "english" entries inside a quotation
                                        whose words are English (a foreign quotation).
``GRAMMAR``           0.5      -        The grammar leaves a loanword (standing, hacker) without
                                        gender or elision findings: a low bar is safe there,
                                        it only silences findings.
``FEATURES``          1.0      -        The likelihood feature ``lex:english_lean``: the share
                                        of lower-case words leaning English (trained with it).
====================  =======  =======  =====================================================

Two details are part of each rule, kept as tuned:

* the *scale*: EN101 reads the frequency table directly (Zipf = log10(f) + 9, unrounded, the word
  looked up as it is, see :func:`mtaudit.lang.frequencies.frequency_dict`); the others ask
  :func:`mtaudit.lang.frequencies.zipf_frequency` (wordfreq's value, rounded to 2 decimals, with
  wordfreq's tokenisation of hyphens and apostrophes);
* the *comparison*: ``strict`` rules ask ``en > fr + margin``, the others ``en - fr >= margin``
  (with rounded values the two differ on ties).

A quotation is foreign (:func:`foreign_quotation`) when at least ``share`` of its words are
English by the caller's own word test: EN101 (``EN101_QUOTE``) counts the words its analysis
marks English or names, AN201 (``AN201_QUOTE``) the words passing ``AN201``, and wants two words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# ------------------------------------------------------------------ the named thresholds
EN101_MIN_ZIPF = 3.0
EN101_MARGIN = 1.35
EN101_LEAN_MARGIN = 0.8
EN101_START_MARGIN = 2.0
AN201_MARGIN = 1.0
GRAMMAR_MARGIN = 0.5
FEATURES_MARGIN = 1.0
EN101_QUOTE_SHARE = 0.5
AN201_QUOTE_SHARE = 0.5
AN201_QUOTE_MIN_WORDS = 2

TABLE = "table"  # log10 of the frequency table, unrounded, the word as it is
WORDFREQ = "wordfreq"  # wordfreq.zipf_frequency, rounded, wordfreq's tokenisation


@dataclass(frozen=True)
class Rule:
    """One caller's test: ``lead >= margin`` (or ``en > fr + margin`` when strict), with the
    English frequency at least ``min_en``, on the given scale."""

    name: str
    margin: float
    min_en: float = 0.0
    strict: bool = False
    scale: str = WORDFREQ


EN101 = Rule("EN101", EN101_MARGIN, EN101_MIN_ZIPF, scale=TABLE)
EN101_LEAN = Rule("EN101_LEAN", EN101_LEAN_MARGIN, EN101_MIN_ZIPF, scale=TABLE)
EN101_START = Rule("EN101_START", EN101_START_MARGIN, EN101_MIN_ZIPF, scale=TABLE)
AN201 = Rule("AN201", AN201_MARGIN, strict=True)
GRAMMAR = Rule("GRAMMAR", GRAMMAR_MARGIN, strict=True)
FEATURES = Rule("FEATURES", FEATURES_MARGIN)


@dataclass(frozen=True)
class QuoteRule:
    """A quotation is foreign when it has ``min_words`` words or more and at least ``share``
    of them are English."""

    name: str
    share: float
    min_words: int = 1


EN101_QUOTE = QuoteRule("EN101_QUOTE", EN101_QUOTE_SHARE)
AN201_QUOTE = QuoteRule("AN201_QUOTE", AN201_QUOTE_SHARE, AN201_QUOTE_MIN_WORDS)


# ------------------------------------------------------------------ frequencies
def zipf(word: str, lang: str, scale: str = WORDFREQ) -> float:
    """The word's Zipf frequency in ``lang`` ("en", "fr") on the given scale (0.0: unknown)."""
    if scale == TABLE:
        from mtaudit.lang.frequencies import frequency_dict

        f = frequency_dict(lang).get(word)
        return math.log10(f) + 9 if f else 0.0
    if scale != WORDFREQ:
        raise ValueError(f"unknown Zipf scale {scale!r} ({TABLE} or {WORDFREQ})")
    from mtaudit.lang.frequencies import zipf_frequency

    return zipf_frequency(word, lang)


class Englishness:
    """English and French Zipf frequencies of words on one scale, and the rules' tests."""

    def __init__(self, scale: str = WORDFREQ):
        self.scale = scale

    def zipf(self, word: str) -> tuple[float, float]:
        """(English Zipf, French Zipf) of the word as given (callers lower-case it)."""
        return zipf(word, "en", self.scale), zipf(word, "fr", self.scale)

    def lead(self, word: str) -> float:
        """How much more frequent in English than in French: en - fr (Zipf)."""
        en, fr = self.zipf(word)
        return en - fr

    def passes(self, en: float, fr: float, rule: Rule) -> bool:
        """``rule``'s test on already known frequencies."""
        if en < rule.min_en:
            return False
        return en > fr + rule.margin if rule.strict else en - fr >= rule.margin

    def is_english(self, word: str, rule: Rule) -> bool:
        en, fr = self.zipf(word)
        return self.passes(en, fr, rule)


_SCALES = {TABLE: Englishness(TABLE), WORDFREQ: Englishness(WORDFREQ)}


@lru_cache(maxsize=1 << 17)
def is_english(word: str, rule: Rule) -> bool:
    """Is ``word`` (lower case) English by ``rule``? Memoised."""
    return _SCALES[rule.scale].is_english(word, rule)


def lean(word: str, lean_rule: Rule, strong_rule: Rule) -> str | None:
    """"strong" when the word passes ``strong_rule``, "lean" when it passes only
    ``lean_rule`` (the weaker margin), else None (EN101's word kinds)."""
    eng = _SCALES[strong_rule.scale]
    en, fr = eng.zipf(word)
    if eng.passes(en, fr, strong_rule):
        return "strong"
    if eng.passes(en, fr, lean_rule):
        return "lean"
    return None


def english_share(words: Sequence[str], rule: Rule) -> float:
    """Share of the words (lower case) that are English by ``rule`` (0.0 for none)."""
    if not words:
        return 0.0
    return sum(1 for w in words if is_english(w, rule)) / len(words)


def foreign_quotation(english: Iterable[bool], rule: QuoteRule) -> bool:
    """Is a quotation foreign? ``english`` holds, per word of the quotation, whether the
    caller's word test found it English."""
    flags = list(english)
    if not flags or len(flags) < rule.min_words:
        return False
    return sum(flags) / len(flags) >= rule.share
