"""The word tokens of a text, as the glossary matcher sees them: runs of letters (apostrophes
inside kept: Xi'an, Sana'a), elided articles split off (``d'Ushakov`` -> ``d'`` + ``Ushakov``),
English possessives dropped (``Putin's`` -> ``Putin``), each with its matching key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mtaudit.analyses.glossaries.spelling import fold, spell
from mtaudit.text.normalise import GLOSSARY, token_tuples


@lru_cache(maxsize=1 << 16)
def _fold_word(w: str) -> str:
    return fold(w)


@lru_cache(maxsize=1 << 16)
def _spell_word(w: str) -> str:
    return spell(w)


@dataclass
class NameToken:
    text: str  # as written (possessive 's left out)
    start: int
    end: int
    key: str
    elision: bool = False  # an elided article (l', d', qu')

    @property
    def spelling(self) -> str:
        return _spell_word(self.text)

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def allcaps(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def tokenize(text: str, offset: int = 0) -> list[NameToken]:
    """Word tokens of a paragraph with absolute offsets; elisions split, possessives dropped
    (the ``GLOSSARY`` rules of :mod:`mtaudit.text.normalise`)."""
    fold_word = _fold_word
    return [
        NameToken(w, s, e, fold_word(w), elision)
        for w, s, e, _, elision in token_tuples(text, offset, GLOSSARY)
    ]
