"""wordfreq's French and English word lists, without loading them on every run.

``wordfreq.get_frequency_dict`` decodes a 300,000-word list per language (about 0.1 s each)
and importing wordfreq costs another 0.1 s: most of a short run. This module keeps the lists
in an on-disk artefact (:mod:`mtaudit.core.artefacts`, rebuilt when wordfreq is upgraded) and
looks words up one at a time. :func:`zipf_frequency` gives exactly wordfreq's value: for a
plain lower-case word (letters only, NFC, already case-folded, Latin script) wordfreq's
tokeniser returns the word itself, and the value is computed here with wordfreq's own
formula; anything else (apostrophes, hyphens, digits, capitals) goes to wordfreq itself.
"""

from __future__ import annotations

import importlib.util
import math
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path

from mtaudit.core import artefacts

LANGS = ("en", "fr")
TOP_N = 80_000  # ranks kept for top_n_list()
VERSION = "1"


def _wordfreq_inputs() -> list[str]:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        return ["wordfreq:missing"]
    data = Path(spec.origin).parent / "data"
    out = []
    for lang in LANGS:
        for f in sorted(data.glob(f"*_{lang}.msgpack.gz")):
            out.append(artefacts.input_identity(f, content=False))
    return out


def _build() -> dict[str, Mapping]:
    import wordfreq

    tables: dict[str, Mapping] = {}
    for lang in LANGS:
        tables[f"freq_{lang}"] = wordfreq.get_frequency_dict(lang, "best")
        top = wordfreq.top_n_list(lang, TOP_N)
        tables[f"rank_{lang}"] = {w: i for i, w in enumerate(top)}
    return tables


@cache
def _tables() -> dict[str, Mapping]:
    return artefacts.load("wordfreq", VERSION, _wordfreq_inputs(), _build)


def frequency_dict(lang: str) -> Mapping[str, float]:
    """word -> frequency, as ``wordfreq.get_frequency_dict(lang, "best")`` (read-only)."""
    return _tables()[f"freq_{lang}"]


def top_n(lang: str, n: int) -> list[str]:
    """``wordfreq.top_n_list(lang, n)`` for n up to 80,000, in order."""
    if n > TOP_N:
        import wordfreq

        return wordfreq.top_n_list(lang, n)
    ranks = _tables()[f"rank_{lang}"]
    words = [""] * min(n, len(ranks))
    for w in ranks:
        r = ranks[w]
        if r < n:
            words[r] = w
    return words


def rank(lang: str, word: str) -> int | None:
    """The word's position in wordfreq's list (0 = most frequent), within the first 80,000."""
    return _tables()[f"rank_{lang}"].get(word)


def _plain(word: str) -> bool:
    """A word wordfreq's tokeniser leaves as it is: letters of the Latin script only, lower
    case and case-folded, NFC."""
    return (
        word.isalpha()
        and all(c < "\u0250" for c in word)
        and word.casefold() == word
        and unicodedata.is_normalized("NFC", word)
    )


_MIN_FREQ = 10**0.0 / 1e9  # wordfreq.zipf_to_freq(0.0): the default minimum


def _tokens(word: str) -> list[str] | None:
    """wordfreq's tokens of ``word`` when they are plain words split by hyphens, or a plain
    word before an elided apostrophe (qu', l’); None when only wordfreq can say."""
    if word[-1:] in "'’":
        word = word[:-1]
    parts = word.split("-")
    if all(p and _plain(p) for p in parts):
        return parts
    return None


@lru_cache(maxsize=1 << 18)
def _zipf_tokens(tokens: tuple[str, ...], lang: str) -> float:
    freqs = frequency_dict(lang)
    one_over = 0.0
    for t in tokens:  # wordfreq's _word_frequency: 1/f = 1/f1 + 1/f2 + ...
        f = freqs.get(t)
        if f is None:
            freq = _MIN_FREQ
            break
        one_over += 1.0 / f
    else:
        freq = 1.0 / one_over
        unrounded = max(freq, _MIN_FREQ)
        freq = round(unrounded, math.floor(-math.log(unrounded, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


def zipf_frequency(word: str, lang: str) -> float:
    """``wordfreq.zipf_frequency(word, lang)``, the same value."""
    if lang in LANGS:
        tokens = _tokens(word)
        if tokens is not None:
            return _zipf_tokens(tuple(tokens), lang)
    from wordfreq import zipf_frequency as wf_zipf

    return wf_zipf(word, lang)
