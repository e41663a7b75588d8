"""GR705: a noun in the singular after a number of two or more (deux enfant)."""

from __future__ import annotations

from mtaudit.analyses.morphology import plural_form
from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for, word_lists_for
from mtaudit.checks.grammar.sentences import recase, sentences
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _
from mtaudit.lang.englishness import GRAMMAR, is_english


@register
class NumeralNounNumber(GrammarCheck):
    """A noun in the singular after a number of two or more (deux enfant).

    "deux", "trois", "plusieurs", "quelques"… take a plural noun: "deux enfants", "plusieurs
    mois". Only number words are checked (a figure may be a date, a score or an article
    number: "le 2 mai", "article 3"), before a noun the lexicon knows only in the singular,
    with a plural form of its own (a word that may also be an adjective or a verb is left
    alone). Names, months and "fois", "heure" are skipped.

    Bad: Les deux pays ont signé plusieurs accord commerciaux.
    Good: Les deux pays ont signé plusieurs accords commerciaux.
    """

    code = "GR705"
    name = "numeral-noun-number"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = lexicon_for(ctx)
        wl = word_lists_for(ctx)
        out = []
        for s in sentences(doc, ctx):
            n = len(s.toks)
            for i in range(n - 1):
                w = s.lower(i)
                if w not in wl.cardinals or (i > 0 and s.lower(i - 1) in wl.not_quantity_after):
                    continue
                j = i + 1
                if not s.adjacent(i, j) or s.proper(j) or s.lower(j) in wl.numeral_skip:
                    continue
                nxt = s.word(j)
                if nxt is None:
                    continue
                info = lex.info(nxt)
                if not info.known or not info.noun or info.has("XVIPWA") or not info.singular:
                    continue
                if "i" in info.numbers or is_english(nxt.lower(), GRAMMAR):
                    continue
                plural = plural_form(lex, nxt)
                if plural is None:
                    continue
                out.append(
                    self.finding(
                        s.toks[j].start,
                        s.toks[j].end,
                        _("'{number}' takes a plural: '{noun}' does not agree").format(
                            number=s.toks[i].text, noun=nxt
                        ),
                        recase(nxt, plural),
                    )
                )
        return out
