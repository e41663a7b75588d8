"""Paragraphs, sentences and tokens with character offsets into the text as read.

Rule-based on purpose: spaCy's parser splits these scraped news texts badly, and a checker
needs offsets it can trust. Handles French abbreviations (M., Mme, Dr, etc.: data/abbreviations.txt), « » and straight
quotes around sentence ends, numbers like 2,5 or 1 200, elision (l', d', qu': the list is
data/elisions.txt, read by mtaudit.text.normalise) and sentences glued by scraping
("thé.S'agissant").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mtaudit.core.resources import read_lines
from mtaudit.text.normalise import DOCUMENT, token_tuples

ABBREVIATIONS_FILE = "abbreviations.txt"
# Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
ABBREVIATIONS = frozenset(w for row in read_lines(ABBREVIATIONS_FILE) for w in row[0].lower().split())

# A sentence ends at . ! ? … (possibly several), then optional closing quotes or brackets,
# then white space; the next sentence starts with an upper-case letter, a digit, an opening
# quote, a dash or a bracket.
_BOUNDARY = re.compile(
    r"""(?P<end>[.!?…]+)(?P<close>(?:[ \u00a0\u202f]?»|["”’')\]])*)(?P<space>[ \t\u00a0\u202f]+)(?=[«"“(\[\-–—]?\s*[A-ZÀ-ÖØ-Þ0-9«"“])"""
)
# Sentences glued by scraping: "thé.S'agissant" (lower-case word, full stop, capitalised word).
_GLUED = re.compile(r"(?<=[a-zà-öø-ÿ]{2})\.(?=[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’])")
_LAST_WORD = re.compile(r"""([^\s(«"“]+)$""")
_TERMINAL = re.compile(r"""[.!?…:;][»"”’')\]]*\s*$""")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    kind: str  # "word" or "number"
    sentence: int  # index into Document.sentences
    first: bool  # first token of its sentence

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int  # index into Document.paragraphs


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int
    line: int  # 1-based line of its first character
    kind: str  # "title" (headline, intertitle, caption without final punctuation) or "body"


def paragraph_kind(text: str) -> str:
    words = len(text.split())
    if not _TERMINAL.search(text) and words <= 25:
        return "title"
    return "body"


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of one paragraph."""
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        end = m.start("end")
        if m.group("end") == ".":
            # the word before the full stop
            wm = _LAST_WORD.search(text, max(0, end - 60), end)
            word = wm.group(1) if wm else ""
            w = word.lower().rstrip(".")
            if w in ABBREVIATIONS or re.fullmatch(r"[A-ZÀ-Þ]", word) or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
                continue
        cuts.append(m.start("space"))
    for m in _GLUED.finditer(text):
        cuts.append(m.end())
    cuts = sorted(set(cuts))
    spans: list[tuple[int, int]] = []
    prev = 0
    for c in cuts + [len(text)]:
        seg = text[prev:c]
        lstrip = len(seg) - len(seg.lstrip())
        rstrip = len(seg) - len(seg.rstrip())
        s, e = prev + lstrip, c - rstrip
        if e > s:
            spans.append((offset + s, offset + e))
        prev = c
    return spans


def tokenize(text: str, offset: int = 0) -> Iterator[tuple[str, int, int, str]]:
    """(text, start, end, kind) for word and number tokens; elided articles split off
    (l'adviseur -> l' + adviseur; aujourd'hui stays one word). The tokeniser is
    :func:`mtaudit.text.normalise.tokenize` with its ``DOCUMENT`` rules (elisions.txt)."""
    for t in token_tuples(text, offset, DOCUMENT):
        yield t[:4]
