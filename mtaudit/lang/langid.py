"""Document-level language identification, deterministic.

Two backends: lingua (default), restricted to French and the languages most often confused
with it or mixed into it, and langdetect (seeded, so its answers are reproducible).
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from mtaudit.core.context import Context

LANGS = ("fr", "en", "es", "de", "it", "pt", "nl")
MAX_CHARS = 2000  # enough to judge an article; keeps language ID cheap on huge inputs


@lru_cache(maxsize=2)
def lingua_detector(low_accuracy: bool = True):
    """One lingua detector per process and mode, restricted to LANGS (immutable, shared).

    Low-accuracy mode (trigram models only) loads in ~0.2 s where the high-accuracy one costs
    ~2 s on its first text; on article-length text and on spans of four words or more it was
    as decisive here, so it is the default.
    """
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    langs = [IsoCode639_1.from_str(code) for code in LANGS]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*langs)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


FUNCTION_WORDS_FILE = "french_function_words.txt"


@lru_cache(maxsize=1)
def broad_detector():
    """lingua over every Latin-script language it knows (low-accuracy mode), for the articles
    the restricted detector cannot judge: those it does not call French, and those with too
    few French function words (a Swahili or Polish article, which it would call French or
    Spanish). Built on first use only: most articles never need it."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*Language.all_with_latin_script()).with_low_accuracy_mode().build()


def detect_broad(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) among every Latin-script language; ("und", 0.0) if none."""
    text = text[:MAX_CHARS].strip()
    values = broad_detector().compute_language_confidence_values(text) if text else []
    if not values:
        return "und", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(best.value, 4)


def french_share(doc) -> float:
    """The share of the document's words that are French function words (0 when it has none)."""
    from mtaudit.core.resources import word_set
    from mtaudit.text.normalise import APOSTROPHES, word_key

    words = doc.words
    if not words:
        return 0.0
    fw = word_set(FUNCTION_WORDS_FILE)
    return sum(word_key(t.text, APOSTROPHES) in fw for t in words) / len(words)


def own_text(doc, min_words: int = 8) -> str:
    """The article's own words for language ID: its kept paragraphs with the quotations set
    aside, so that a French article quoting an English tweet is judged French. A text that is
    mostly quotation (fewer than ``min_words`` words left) is judged as a whole."""
    quotes = doc.quotes
    if not quotes:
        return doc.body_text
    # each paragraph looks only at the quotations that start inside it (a quotation never
    # spans paragraphs; doc.quotes is sorted): bisection, not every quotation each time
    first = [qs for qs, _ in quotes]
    parts = []
    for p in doc.paragraphs:
        pos, end = p.start, p.start + len(p.text)
        chunk = []
        for qs, qe in quotes[bisect.bisect_left(first, pos) : bisect.bisect_left(first, end)]:
            if qe <= pos or qs >= end:
                continue
            chunk.append(doc.text[pos:qs])
            pos = max(pos, qe)
        chunk.append(doc.text[pos:end])
        parts.append(" ".join(c.strip() for c in chunk if c.strip()))
    own = "\n\n".join(p for p in parts if p)
    if len(own.split()) < min_words:
        return doc.body_text
    return own


def detect(text: str, ctx: Context) -> tuple[str, float]:
    """(ISO 639-1 code, confidence in [0, 1]) of the text; ("und", 0.0) when undecidable."""
    text = text[:MAX_CHARS].strip()
    if not text:
        return "und", 0.0
    if ctx.config.language_backend == "langdetect":
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        try:
            best = detect_langs(text)[0]
        except LangDetectException:
            return "und", 0.0
        return best.lang, round(best.prob, 4)
    values = lingua_detector(True).compute_language_confidence_values(text)
    if not values:
        return "und", 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(best.value, 4)


# scripts French is not written in: the language (or script) a text in them is reported as
_SCRIPTS = (
    ("ARABIC", "ar"), ("CJK", "zh"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"),
    ("CYRILLIC", "ru"), ("GREEK", "el"), ("HEBREW", "he"), ("DEVANAGARI", "hi"), ("THAI", "th"),
)


def foreign_script(text: str) -> str | None:
    """The language code of a text whose letters are mostly not Latin (Arabic, Chinese,
    Cyrillic…; ``und`` for another script), or None for a Latin-script text. The backends know
    only Latin-script languages and would call such a text Dutch or French."""
    import unicodedata

    latin = 0
    other: dict[str, int] = {}
    for c in text[: MAX_CHARS * 2]:
        if not c.isalpha():
            continue
        if c.isascii():
            latin += 1
            continue
        name = unicodedata.name(c, "")
        if name.startswith("LATIN"):
            latin += 1
            continue
        code = next((code for script, code in _SCRIPTS if name.startswith(script)), "und")
        other[code] = other.get(code, 0) + 1
    total = latin + sum(other.values())
    if not total or latin >= 0.5 * total:
        return None
    best = max(other, key=lambda k: (other[k], k))
    return best
