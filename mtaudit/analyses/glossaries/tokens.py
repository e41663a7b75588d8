"""The word tokens of a text, as the glossary matcher sees them: runs of letters (apostrophes
inside kept: Xi'an, Sana'a), elided articles split off (``d'Ushakov`` -> ``d'`` + ``Ushakov``),
English possessives dropped (``Putin's`` -> ``Putin``), each with its matching key."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mtaudit.analyses.glossaries.spelling import APOSTROPHES, ELISIONS, WORD, fold, spell


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
    """Word tokens of a paragraph with absolute offsets; elisions split, possessives dropped."""
    out: list[NameToken] = []
    for m in WORD.finditer(text):
        s, e = m.start(), m.end()
        w = m.group()
        # elision: d'Ushakov, l'Ukraine, qu'Erdogan
        for i, c in enumerate(w):
            if c in APOSTROPHES:
                if w[:i].lower() in ELISIONS and i + 1 < len(w):
                    out.append(
                        NameToken(
                            w[: i + 1], offset + s, offset + s + i + 1, _fold_word(w[:i]), True
                        )
                    )
                    w, s = w[i + 1 :], s + i + 1
                break
        # English possessive (Putin's) and a trailing apostrophe (Jones')
        if len(w) > 2 and w[-2] in APOSTROPHES and w[-1] in "sS":
            w, e = w[:-2], e - 2
        w2 = w.rstrip(APOSTROPHES)
        e -= len(w) - len(w2)
        w = w2
        if not w:
            continue
        out.append(NameToken(w, offset + s, offset + e, _fold_word(w)))
    return out
