"""How glossary forms and text tokens are compared: a *key* (case, accents and apostrophes
removed) finds the entry, a *spelling* (case removed, accents kept) tells ``Hanoï`` (French)
from ``Hanoi`` (English) once it is found. The particles whose case is not checked are data
(``mtaudit/data/name_particles.txt``)."""

from __future__ import annotations

import dataclasses
import unicodedata
from functools import cache

from mtaudit.core.resources import read_lines
from mtaudit.text.normalise import APOSTROPHES, GLOSSARY, strip_accents, tokenize
from mtaudit.text.normalise import fold_key as fold

PARTICLES_FILE = "name_particles.txt"
# the tokens of a glossary form: the glossary tokeniser's words, elisions and possessives kept
# ("L'Oréal" stays one token, as the form is written); split_tokens strips the final
# apostrophes itself, keeping a token that was only a mark (ʼ is a letter to Unicode) as ""
FORM_TOKENS = dataclasses.replace(
    GLOSSARY, name="glossary-form", elisions="", possessive=False, strip_trailing=False
)


@cache
def name_particles(name: str = PARTICLES_FILE) -> frozenset[str]:
    """Lower-case particles inside names (al, ben, de, van…): their case is not checked."""
    out: set[str] = set()
    for row in read_lines(name):
        word = row[0]
        if not word.isalpha() or word != word.lower():
            raise row.error(f"a particle is one word in lower case, not {word!r}")
        out.add(word)
    return frozenset(out)


def spell(s: str) -> str:
    """Case removed, accents kept (except on capitals, which French often writes bare)."""
    s = unicodedata.normalize("NFC", s)
    out = []
    for c in s:
        if c in APOSTROPHES:
            continue
        if c.isupper():
            c = strip_accents(c)
        out.append(c)
    return "".join(out).casefold()


def split_tokens(text: str) -> list[str]:
    """The tokens of a glossary form (hyphens and spaces separate them)."""
    return [t.text.rstrip(APOSTROPHES) for t in tokenize(text, 0, FORM_TOKENS)]


def form_key(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in split_tokens(text))


def form_spelling(text: str) -> str:
    return " ".join(spell(t) for t in split_tokens(text))


def is_acronym(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper() and tok.isalpha()
