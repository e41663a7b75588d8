"""Untranslated English: words (EN101) and whole sentences or long spans (EN102).

A word is English when wordfreq says it is far more frequent in English than in French
(:mod:`mtaudit.lang.englishness`, rule EN101), it is not an accepted loanword
(``data/loanwords.txt``), not a proper name in its context and not one of the grammar words or
French homographs of ``data/english_stoplist.tsv`` standing alone. Consecutive English words
make one span. Sentences and long runs that are mostly English are confirmed by lingua
(restricted to French and its neighbours) and reported as EN102.

The two rules report the shared analysis "english" (:mod:`mtaudit.analyses.english`: the
lexicon, the runs and spans, the severity their context gives); which of the two reports a
passage is decided there, once, so neither rule asks about the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mtaudit.analyses.english.runs import Run, analyse
from mtaudit.analyses.english.severity import MARKERS
from mtaudit.checks import Check, register
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.core.options import ACCEPT, REJECT, Option
from mtaudit.core.suppress import regions
from mtaudit.core.vocabulary import vocabulary_signature
from mtaudit.engines.substitution import inflect_adjective, match_case
from mtaudit.lang.english_lexicon import (
    LOANWORDS,
    MARGIN,
    MIN_ZIPF,
    STOPLIST,
    TRANSLATIONS,
    Lexicon,
    _first,
    _key,
    _read_pairs,
    lexicon,
)

# the old import paths of the lexicon (lm/unigram, tests)
__all__ = ["STOPLIST", "Lexicon", "_read_pairs", "UntranslatedEnglishWord", "UntranslatedEnglishSpan"]

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


# ---------------------------------------------------------------------------------------------
# the checks
# ---------------------------------------------------------------------------------------------
def _message(r: Run, what: str) -> str:
    w = _WHAT[what]()
    if r.reason == "quoted":
        return _(
            "{what} in English, quoted as spoken or written in English: keep it only if the "
            "original wording matters, and translate it beside"
        ).format(what=w)
    if r.reason == "untranslated-quote":
        return _(
            "{what} in English, quoted without a translation: translate it, or give the French beside it"
        ).format(what=w)
    if r.reason == "section":
        return _(
            "{what} in English, in a section of the article written in English (before or "
            "after its French): check that it is meant to stay in English"
        ).format(what=w)
    if r.reason == "named":
        return _(
            "{what} in English, introduced as a term: check that a French term would not do"
        ).format(what=w)
    if r.reason == "glossed":
        return _(
            "{what} in English, glossed in brackets: check that the French wording would not do alone"
        ).format(what=w)
    return _("Untranslated English {what}").format(what=w)


_WHAT = {
    "word": lambda: _("word"),
    "words": lambda: _("words"),
    "sentence": lambda: _("sentence"),
    "passage": lambda: _("passage"),
}



def translation(lex: Lexicon, words: list[str]) -> str | None:
    """The French for a run of English words: a literal replacement (first alternative of
    english_translations.tsv, in the case of the words found), or None."""
    if len(words) != 1:
        fr = lex.translations.get(" ".join(_key(w) for w in words))
        return match_case(words[0], _first(fr)) if fr else None
    k = _key(words[0])
    fr = lex.translations.get(k)
    if fr:
        return match_case(words[0], _first(fr))
    fr = lex.translations.get(k[:-1]) if k.endswith("s") else None
    if not fr or " " in _first(fr):
        return None  # a plural without its own row: only a one-word French can follow it
    return match_case(words[0], inflect_adjective(_first(fr), "m", "p"))


@register
class UntranslatedEnglishWord(Check):
    """An English word or short run of English words left in the French text.

    A word is English when it is much more frequent in English than in French (wordfreq),
    is not an accepted loanword (loanwords.txt), is not a proper name in its context (a
    capitalised word inside a sentence is a name; at the start of a sentence it is English if
    its lower-case form is an English word and it is not followed by another capitalised
    word) and is not a grammar word or French homograph standing alone (english_stoplist.tsv).
    Consecutive English words make one finding. English quoted as such (most of a quotation)
    or glossed in brackets is info only; the same English term again in the article is minor.
    Suggestions come from english_translations.tsv.

    Bad: Yesterday, Poutine a offert une voiture à Kim.
    Good: Hier, Poutine a offert une voiture à Kim.
    """

    code = "EN101"
    name = "untranslated-english-word"
    category = "english"
    severity = Severity.MAJOR
    data_files = (LOANWORDS, STOPLIST, TRANSLATIONS, MARKERS)
    options = (
        Option("margin", "float", MARGIN, "How much more frequent in English than in French (Zipf) a word must be.", minimum=0.0),
        Option("min_zipf", "float", MIN_ZIPF, "Least English Zipf frequency of a word taken as English.", minimum=0.0),
        ACCEPT,
        REJECT,
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        a = analyse(doc, ctx)
        lex = lexicon(ctx)
        seen: set[str] = set()
        out = []
        # a term silenced by an mtaudit comment has not been shown: its next use is not "again"
        silenced = [g for g in regions(doc.text, doc.meta.get("kind", "text")) if g.codes is None or any(self.code.startswith(c) for c in g.codes)]
        for r in a.words:  # the runs outside the passages EN102 reports
            what = "word" if len(r.words) == 1 else "words"
            message, severity = _message(r, what), r.severity
            if r.house is not None:
                message += _(" (rejected by the house vocabulary)")
            key = " ".join(_key(w) for w in r.words)
            if key in seen and severity == Severity.MAJOR:
                # the same English term again: the editor has been told once
                message, severity = message + _(" (again)"), Severity.MINOR
            if not any(g.start <= r.start < g.end for g in silenced):
                seen.add(key)
            fix = r.house or translation(lex, r.words)
            out.append(self.finding(r.start, r.end, message, fix, severity=severity))
        return out

    def signature_parts(self, cfg) -> dict[str, str]:
        opts = cfg.options.get("EN101", {})
        return {
            "en101": f"margin={float(opts.get('margin', MARGIN)):g},min_zipf={float(opts.get('min_zipf', MIN_ZIPF)):g}",
            **vocabulary_signature(cfg),
        }


@register
class UntranslatedEnglishSpan(Check):
    """A whole English sentence or a long English span left in the French text.

    Sentences of at least four words that look mostly English to the lexicon, and runs of
    four English words or more, are confirmed by lingua (restricted to French, English and
    neighbouring languages); one finding covers the whole span. A quotation that is English
    as a whole is info: quoting an English speaker verbatim can be deliberate.

    Bad: The Kremlin said the talks would continue. Poutine est arrivé mercredi.
    Good: Le Kremlin a dit que les discussions se poursuivraient. Poutine est arrivé mercredi.
    """

    code = "EN102"
    name = "untranslated-english-span"
    category = "english"
    severity = Severity.MAJOR
    data_files = (LOANWORDS, STOPLIST, MARKERS)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for r in analyse(doc, ctx).spans:
            what = (
                "sentence"
                if any(s.start == r.start and s.end == r.end for s in doc.sentences)
                else "passage"
            )
            out.append(self.finding(r.start, r.end, _message(r, what), None, severity=r.severity))
        return out
