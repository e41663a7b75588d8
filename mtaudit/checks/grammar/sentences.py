"""The sentence analysis the grammar rules share: each sentence's word tokens with helpers
for adjacency, lower-cased forms and names, built once per document."""

from __future__ import annotations

import re

from mtaudit.checks.grammar.lexicon import Lexicon, WordInfo
from mtaudit.core.document import Document
from mtaudit.lang.englishness import GRAMMAR, is_english
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, word_key

# Between two words of one pattern: spaces and quotation marks only (no comma, no bracket).
_GAP = re.compile(r"[\s\"«»“”„‹›\u00a0\u202f]*")
_APOS = tuple(DOCUMENT_APOSTROPHES)  # a token ending in one is an elided form (l')


class Sent:
    """The word tokens of one sentence with helpers for adjacency."""

    def __init__(self, doc: Document, toks: list):
        self.doc = doc
        self.toks = toks
        self.low = [word_key(t.text) if t.kind == "word" else "" for t in toks]

    def adjacent(self, i: int, j: int) -> bool:
        """Tokens i and j (j = i + 1) separated only by spaces and quotation marks."""
        a, b = self.toks[i], self.toks[j]
        if a.text.endswith(_APOS):
            return a.end == b.start
        gap = self.doc.text[a.end : b.start]
        return _GAP.fullmatch(gap) is not None

    def word(self, i: int) -> str | None:
        if 0 <= i < len(self.toks) and self.toks[i].kind == "word":
            return self.toks[i].text
        return None

    def lower(self, i: int) -> str:
        return self.low[i] if 0 <= i < len(self.low) else ""

    def proper(self, i: int) -> bool:
        """A capitalised word inside a sentence, or a word in capitals: a name, skip it."""
        t = self.toks[i]
        if t.text.isupper() and len(t.text) > 1:
            return True
        return t.text[:1].isupper() and not t.first


def sentences(doc: Document) -> list[Sent]:
    """The document's sentences as grammar analyses, built once and shared by the GR checks."""

    def build(d: Document) -> list[Sent]:
        return [Sent(d, toks) for toks in d.sentence_tokens if toks]

    return doc.derived("grammar.sentences", build)


def recase(template: str, word: str) -> str:
    """Give ``word`` the capitalisation of ``template`` (Le -> La)."""
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def noun_info(lex: Lexicon, s: Sent, j: int) -> WordInfo | None:
    """The lexicon's analyses of token ``j`` as a noun whose gender can be judged: None for
    a name or an English loanword whose gender varies."""
    w = s.word(j)
    if w is None or s.proper(j):
        return None
    # an English loanword: its gender varies, unless grammar/genders.tsv says it is settled
    if is_english(w.lower(), GRAMMAR) and w.lower() not in getattr(lex, "settled", ()):
        return None
    return lex.info(w)
