"""The sentence analysis of the grammar rules (GR7xx): each sentence's word tokens with
helpers for adjacency, lower-cased forms and names, computed once per document and read by
the rules with ``doc.analysis(ctx, "grammar_sentences")``."""

from __future__ import annotations

import re

from mtaudit.analyses.framework import Analysis, register_analysis
from mtaudit.core.document import Document
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


@register_analysis
class GrammarSentences(Analysis):
    name = "grammar_sentences"
    provides = "the document's sentences with words, a list of grammar_sentences.Sent"

    def run(self, doc, ctx):
        return [Sent(doc, toks) for toks in doc.sentence_tokens if toks]
