"""What the grammar rules read of a sentence: the shared sentence analysis
(:class:`~mtaudit.analyses.grammar_sentences.Sent`, declared in mtaudit/analyses/), the
capitalisation of a suggestion, a noun whose gender can be judged."""

from __future__ import annotations

from mtaudit.analyses.grammar_sentences import Sent
from mtaudit.analyses.morphology import Lexicon, WordInfo
from mtaudit.core.document import Document
from mtaudit.lang.englishness import GRAMMAR, is_english

__all__ = [
    "Sent",
    "adjective_info",
    "after",
    "chain_noun",
    "noun_gender",
    "noun_info",
    "recase",
    "sentences",
    "strict_number",
]


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


def chain_noun(lex, wl, s, k) -> WordInfo | None:
    """A noun of the chain before a post-nominal adjective: known, one part of speech,
    introduced by a determiner (les chefs) or by de (d'État)."""
    w = s.word(k)
    if w is None or k == 0:
        return None
    t = s.toks[k]
    if t.text.isupper() and len(t.text) > 1 or is_english(w.lower(), GRAMMAR):
        return None
    if t.text[:1].isupper() and not t.first and w.lower() not in wl.capitalised_nouns:
        return None
    if s.lower(k - 1) not in wl.noun_phrase_starts or not s.adjacent(k - 1, k):
        return None
    if w.lower() in wl.adverbial_nouns:
        return None  # à la fois, par la suite, pour sa part, la veille
    info = lex.info(w)
    if not info.noun or info.has("XIGAP"):
        return None
    if info.has("V") and s.lower(k - 1) in wl.object_pronouns:
        return None  # may be a pronoun and a verb (on la hausse)
    return info


def strict_number(info: WordInfo) -> str | None:
    """'s' or 'p' when every gendered analysis of the word has that number (none invariable)."""
    ns = info.numbers
    return next(iter(ns)) if len(ns) == 1 and ns <= {"s", "p"} else None


def noun_gender(info: WordInfo, det: str, wl) -> str | None:
    """The gender of a noun, or of its determiner for a noun of either gender (la ministre)."""
    g = info.gender()
    if g is None and any(c[:2] == "Ne" for c in info.codes) and det in wl.determiners:
        return wl.determiners[det].gender
    return g


def adjective_info(lex, wl, s, j) -> WordInfo | None:
    """Token ``j`` as an adjective or participle of one number: None for a name, a word that
    may be a verb, an infinitive or another part of speech, an adjective used as an adverb
    (coûter cher), a clipped adjective (des projets perso) or one of detached_adjectives.txt
    (seul, même)."""
    w = s.word(j)
    if w is None or s.proper(j):
        return None
    low = s.lower(j)
    if low in wl.detached_adjectives or low in wl.adverbial_adjectives or low in wl.clipped_adjectives:
        return None
    info = lex.info(w)
    if not info.has("AP") or info.has("XVI") or strict_number(info) is None:
        return None
    if info.has("G") and j + 1 < len(s.toks) and not after(s, j).strip():
        # may be a present participle, invariable (les rues donnant accès, les questions
        # portant sur): an adjective only before a punctuation mark or at the end
        return None
    return info


def after(s, j) -> str:
    """The text between token ``j`` and the next word of its sentence (its punctuation)."""
    end = s.toks[j + 1].start if j + 1 < len(s.toks) else s.toks[j].end + 2
    return s.doc.text[s.toks[j].end : end]
