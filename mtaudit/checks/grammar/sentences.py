"""What the grammar rules read of a sentence: the shared sentence analysis
(:class:`~mtaudit.analyses.grammar_sentences.Sent`, declared in mtaudit/analyses/), the
capitalisation of a suggestion, a noun whose gender can be judged."""

from __future__ import annotations

from mtaudit.analyses.grammar_sentences import Sent
from mtaudit.analyses.morphology import Lexicon, WordInfo
from mtaudit.core.document import Document
from mtaudit.lang.englishness import GRAMMAR, is_english

__all__ = ["Sent", "noun_info", "recase", "sentences"]


def sentences(doc: Document, ctx) -> list[Sent]:
    """The document's sentences as grammar analyses, computed once and shared by the GR rules."""
    return doc.analysis(ctx, "grammar_sentences")


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
    if is_english(w.lower(), GRAMMAR) and w.lower() not in lex.settled:
        return None
    return lex.info(w)
