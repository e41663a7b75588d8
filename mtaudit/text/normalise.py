"""The one text-normalisation layer: apostrophes, elisions, accent/case folds, the tokeniser.

Every module that needs one of these calls this one instead of its own copy:

* **Apostrophes.** French text writes the apostrophe ``'`` (U+0027), ``’`` (U+2019, the
  typographic one), sometimes ``ʼ`` (U+02BC) or a backtick. :func:`straighten` turns them into
  the canonical ``'``; :func:`word_key` is the lower-cased, straightened key of a word.
  Which marks count depends on who reads: the document tokeniser knows ``'`` and ``’`` only
  (``ʼ`` is a letter to Unicode, so ``lʼhomme`` is one word there), the name glossaries all four.
* **Elisions.** One list, ``data/elisions.txt``, that a linguist edits: :func:`elisions`,
  :func:`elided_forms` (``le`` -> ``l'``), :func:`unsplit_words` (``aujourd'hui``).
* **Folds.** :func:`strip_accents` (two named variants), :func:`fold_line` (comparing lines of
  page furniture), :func:`fold_key` (the matching key of a name token).
* **Tokeniser.** :func:`tokenize` with named rule sets (:class:`TokenRules`): ``DOCUMENT``
  (the reference: ``Document.tokens``), ``GLOSSARY`` (name matching) and ``NGRAM`` (the masked
  n-grams of the likelihood features). Offsets are exact character offsets into the text given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from mtaudit.core.resources import read_rows

ELISIONS_FILE = "elisions.txt"

# ---------------------------------------------------------------------------- apostrophes
APOSTROPHE = "'"  # the canonical form
APOSTROPHES = "'’ʼ`"  # every mark read as an apostrophe somewhere
DOCUMENT_APOSTROPHES = "'’"  # the marks the document tokeniser joins words with


@cache
def _straight_table(marks: str) -> dict[int, str]:
    return str.maketrans({c: APOSTROPHE for c in marks if c != APOSTROPHE})


def straighten(s: str, marks: str = APOSTROPHES) -> str:
    """``s`` with each apostrophe of ``marks`` written ``'``: ``l’État`` -> ``l'État``."""
    return s.translate(_straight_table(marks))


def word_key(word: str, marks: str = DOCUMENT_APOSTROPHES) -> str:
    """A word lower-cased with straight apostrophes: the key of word lists (``L’`` -> ``l'``).

    The default marks are those a document token can hold as apostrophes."""
    if marks == DOCUMENT_APOSTROPHES:
        return _document_key(word)
    return straighten(word.lower(), marks)


@lru_cache(maxsize=1 << 16)
def _document_key(word: str) -> str:
    # a cache keyed by value (the words of a language repeat): the rules key every word of
    # every document this way
    return word.lower().translate(_straight_table(DOCUMENT_APOSTROPHES))


def is_apostrophe(c: str, marks: str = APOSTROPHES) -> bool:
    return len(c) == 1 and c in marks


# ---------------------------------------------------------------------------- elisions
@dataclass(frozen=True)
class _Elisions:
    scopes: Mapping[str, str]  # elided form -> "" (everywhere) or "document"
    full: Mapping[str, tuple[str, ...]]  # elided form -> the full words it stands for
    whole: frozenset[str]  # words that stay one token (aujourd'hui)


@cache
def _elision_table() -> _Elisions:
    scopes: dict[str, str] = {}
    full: dict[str, tuple[str, ...]] = {}
    whole: set[str] = set()
    for row in read_rows(ELISIONS_FILE, max_cols=3, columns="elided form[, full words[, scope]]"):
        form = row[0]
        if form.startswith("="):
            word = word_key(form[1:], APOSTROPHES)
            if not word or len(row) > 1:
                raise row.error("a '=' line names one word (=aujourd'hui)")
            whole.add(word)
            continue
        form = form.lower()
        if not form.isalpha() or form in scopes:
            raise row.error(f"{form!r}: an elided form is letters only, listed once (l, qu, jusqu)")
        scope = row.get(2)
        if scope not in ("", "document"):
            raise row.error(f"unknown scope {scope!r} (leave it empty or write 'document')")
        words = row.get(1)
        scopes[form] = scope
        full[form] = () if words in ("", "-") else tuple(words.lower().split())
    return _Elisions(scopes, full, frozenset(whole))


SCOPES = ("all", "document")


@cache
def elisions(scope: str = "all") -> frozenset[str]:
    """The elided forms without their apostrophe (``l``, ``qu``, ``jusqu``…).

    ``"all"``: the forms every reader splits off (name glossaries, substitution lexicons);
    ``"document"``: those and the forms only the document tokeniser splits (``aujourd``)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown elision scope {scope!r} (one of {', '.join(SCOPES)})")
    t = _elision_table()
    return frozenset(f for f, s in t.scopes.items() if s == "" or scope == "document")


@cache
def elided_forms() -> dict[str, str]:
    """Full word -> its elided form with the apostrophe: ``le`` -> ``l'``, ``que`` -> ``qu'``."""
    return {w: f"{form}'" for form, words in _elision_table().full.items() for w in words}


def unsplit_words() -> frozenset[str]:
    """Words that stay one token although they start with an elided form (``aujourd'hui``),
    lower case with straight apostrophes."""
    return _elision_table().whole


# ---------------------------------------------------------------------------- folds
def strip_accents(s: str, *, compat: bool = True) -> str:
    """``s`` without its accents.

    ``compat=True`` (names, page furniture): NFKD, so compatibility forms are taken apart too
    (``ﬁ`` -> ``fi``, ``²`` -> ``2``), and every combining mark dropped. ``compat=False`` (the
    grammar's accent variants): NFD and the non-spacing marks (category Mn) dropped, leaving
    compatibility characters as they are. On French words both give the same result."""
    if s.isascii():
        return s
    if compat:
        return unicodedata.normalize("NFKD", s).translate(_DROP_COMBINING)
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


class _CombiningMarks(dict):
    """A ``str.translate`` table that drops every combining character (``unicodedata.combining``
    non-zero), filled one character at a time as characters are met."""

    def __missing__(self, cp: int):
        value = None if unicodedata.combining(chr(cp)) else cp
        self[cp] = value
        return value


_DROP_COMBINING = _CombiningMarks()


_NON_WORD = re.compile(r"[^\w]+")


def fold_line(s: str) -> str:
    """Case-, accent-, quote- and punctuation-insensitive key of a line (page furniture,
    repeated lines): words separated by single spaces."""
    s = strip_accents(s).lower()
    return " ".join(_NON_WORD.sub(" ", s).split())


def fold_key(s: str) -> str:
    """Case, accents and apostrophes removed, ligatures spelled out: the matching key of a
    name token (``Ngô`` -> ``ngo``, ``Xi’an`` -> ``xian``, ``Œcalan`` -> ``oecalan``)."""
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    s = strip_accents(s).casefold()
    return "".join(c for c in s if c not in APOSTROPHES)


# ---------------------------------------------------------------------------- tokeniser
_L = r"[^\W\d_]"  # a letter
_NUMBERS = {
    "grouped": r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)*",  # 1 200, 2,5
    "plain": r"\d+(?:[.,]\d+)*",  # 1 200 is two numbers
    "": "",
}


@dataclass(frozen=True)
class TokenRules:
    """How one reader cuts text into tokens (see the three named rule sets below)."""

    name: str
    apostrophes: str  # marks that join letters or end an elided word
    inner_apostrophes: bool = True  # Xi'an, aujourd'hui one word (False: every mark ends one)
    hyphens: bool = True  # Jong-un one word (False: hyphens separate words)
    trailing_apostrophe: bool = False  # a word may end with its mark (l', Jones')
    whole_words_first: bool = False  # the "=" words of elisions.txt matched before anything
    numbers: str = "grouped"  # "grouped", "plain" or "" (no number tokens)
    punctuation: bool = False  # each other non-space character is a token of its own
    elisions: str = ""  # scope of elisions.txt split off a word ("" = none split)
    possessive: bool = False  # drop an English possessive: Putin's -> Putin
    strip_trailing: bool = False  # a word's final apostrophes left out of it (Jones' -> Jones)
    translate: tuple[tuple[str, str], ...] = ()  # one-to-one character map applied first


# Document.tokens: words (letters joined by ' ’ and hyphens) and numbers (1 200, 2,5); the
# elided forms split off (l'accord -> l' + accord), aujourd'hui one word.
DOCUMENT = TokenRules("document", DOCUMENT_APOSTROPHES, elisions="document")
# name matching: hyphens and spaces separate tokens (Kim Jong-un = Kim Jong Un), all four
# apostrophes, elided articles split (d'Ushakov), possessives and final apostrophes dropped.
GLOSSARY = TokenRules(
    "glossary",
    APOSTROPHES,
    hyphens=False,
    trailing_apostrophe=True,
    numbers="",
    elisions="all",
    possessive=True,
    strip_trailing=True,
)

# the masked n-grams of the likelihood features: quote marks, apostrophes and dashes written one
# way (corpora differ in which kind they use); every apostrophe ends a word and stays on it
# (l' État, Xi' an), aujourd'hui one word; hyphenated compounds one word (Jong-un is a name, not
# "un"); plain numbers; each punctuation character a token.
NGRAM = TokenRules(
    "ngram",
    APOSTROPHE,
    inner_apostrophes=False,
    trailing_apostrophe=True,
    whole_words_first=True,
    numbers="plain",
    punctuation=True,
    translate=tuple(
        {"’": "'", "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "—": "-", "–": "-"}.items()
    ),
)
RULES = {r.name: r for r in (DOCUMENT, GLOSSARY, NGRAM)}


@dataclass(frozen=True)
class _Compiled:
    regex: re.Pattern
    mark: re.Pattern  # the first apostrophe of a word
    elisions: frozenset[str]
    whole: frozenset[str]
    table: dict[int, str] | None


def _apos_class(marks: str) -> str:
    return "[" + "".join(re.escape(c) for c in marks) + "]"


@cache
def _compile(rules: TokenRules) -> _Compiled:
    a = _apos_class(rules.apostrophes)
    part = f"{_L}+" + (f"(?:{a}{_L}+)*" if rules.inner_apostrophes else "")
    word = part + (f"(?:-{part})*" if rules.hyphens else "")
    if rules.trailing_apostrophe:
        word += f"{a}?"
    if rules.whole_words_first and unsplit_words():
        whole = "|".join(
            "".join(a if c == APOSTROPHE else re.escape(c) for c in w) for w in sorted(unsplit_words())
        )
        word = f"(?i:{whole})|{word}"
    alts = [f"(?P<word>{word})"]
    if rules.numbers:
        alts.append(f"(?P<number>{_NUMBERS[rules.numbers]})")
    if rules.punctuation:
        alts.append(r"(?P<punct>[^\w\s])")
    return _Compiled(
        re.compile("|".join(alts)),
        re.compile(a),
        elisions(rules.elisions) if rules.elisions else frozenset(),
        unsplit_words(),
        str.maketrans(dict(rules.translate)) if rules.translate else None,
    )


class RawToken(NamedTuple):
    text: str  # as in the text (after the rules' character map)
    start: int  # absolute offsets: offset + position in the text given
    end: int
    kind: str  # "word", "number" or "punct"
    elision: bool = False  # an elided form split off the next word (l', qu')


def tokenize(text: str, offset: int = 0, rules: TokenRules = DOCUMENT) -> Iterator[RawToken]:
    """The tokens of ``text`` under ``rules``, with offsets ``offset + position``."""
    make = RawToken._make
    for t in token_tuples(text, offset, rules):
        yield make(t)


def token_tuples(
    text: str, offset: int = 0, rules: TokenRules = DOCUMENT
) -> list[tuple[str, int, int, str, bool]]:
    """:func:`tokenize` as a list of plain tuples (text, start, end, kind, elision): the same
    tokens, for the readers that go through every token of every document."""
    c = _compile(rules)
    if c.table is not None:
        text = text.translate(c.table)
    marks = rules.apostrophes
    out: list[tuple[str, int, int, str, bool]] = []
    add = out.append
    # hoisted out of the loop: this runs on every token of every document
    elided, whole, mark_search = c.elisions, c.whole, c.mark.search
    possessive, strip_trailing = rules.possessive, rules.strip_trailing
    m1, m2, rest = marks[:1], marks[1:2] or marks[:1], len(marks) > 2
    if not elided and not possessive and not strip_trailing:
        for m in c.regex.finditer(text):
            s, e = m.span()
            add((m.group(), offset + s, offset + e, m.lastgroup or "word", False))
        return out
    for m in c.regex.finditer(text):
        kind = m.lastgroup or "word"
        s, e = m.span()
        tok = m.group()
        if kind == "word":
            # an elided form before the word's first apostrophe: l'accord -> l' + accord
            # (two plain tests before the search: most words hold no mark)
            em = mark_search(tok) if elided and (m1 in tok or m2 in tok or rest) else None
            if em:
                cut = em.end()
                if (
                    cut < len(tok)
                    and tok[: cut - 1].lower() in elided
                    and word_key(tok, marks) not in whole
                ):
                    add((tok[:cut], offset + s, offset + s + cut, "word", True))
                    tok, s = tok[cut:], s + cut
            if possessive and len(tok) > 2 and tok[-2] in marks and tok[-1] in "sS":
                tok, e = tok[:-2], e - 2
            if strip_trailing:
                t2 = tok.rstrip(marks)
                e -= len(tok) - len(t2)
                tok = t2
                if not tok:
                    continue
        add((tok, offset + s, offset + e, kind, False))
    return out


def words(text: str, rules: TokenRules = DOCUMENT) -> list[str]:
    """The word tokens of ``text`` (elided forms included) as strings."""
    return [t[0] for t in token_tuples(text, 0, rules) if t[3] == "word"]


def count_words(text: str) -> int:
    """How many word tokens ``text`` holds under the ``DOCUMENT`` rules (elided forms count):
    ``Document.word_count`` before page furniture is set aside."""
    return sum(1 for t in token_tuples(text) if t[3] == "word")
