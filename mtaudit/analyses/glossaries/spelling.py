"""How glossary forms and text tokens are compared: a *key* (case, accents and apostrophes
removed) finds the entry, a *spelling* (case removed, accents kept) tells ``Hanoï`` (French)
from ``Hanoi`` (English) once it is found. The particles whose case is not checked are data
(``mtaudit/data/name_particles.txt``)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from mtaudit.core.resources import read_lines

PARTICLES_FILE = "name_particles.txt"
APOSTROPHES = "'’ʼ`"
ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())

WORD = re.compile(r"[^\W\d_]+(?:[" + APOSTROPHES + r"][^\W\d_]+)*[" + APOSTROPHES + r"]?")


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


def strip_accents(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def fold(s: str) -> str:
    """Case and accents removed: the matching key of a token."""
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    s = strip_accents(s).casefold()
    return "".join(c for c in s if c not in APOSTROPHES)


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
    return [m.group().rstrip(APOSTROPHES) for m in WORD.finditer(text)]


def form_key(text: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in split_tokens(text))


def form_spelling(text: str) -> str:
    return " ".join(spell(t) for t in split_tokens(text))


def is_acronym(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper() and tok.isalpha()
