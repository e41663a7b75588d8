"""GR701: missing elision or euphonic form (l'accord, un nouvel accord, cet accord, son amie)."""

from __future__ import annotations

from mtaudit.analyses.morphology import elidable, known_word
from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for, word_lists_for
from mtaudit.checks.grammar.sentences import recase, sentences
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _


@register
class ElisionCheck(GrammarCheck):
    """Missing elision or euphonic form before a vowel or a mute h.

    French elides de, le, la, que, je, ne, se… before a vowel or a mute h (l'accord, d'ici,
    qu'il), and uses nouvel, bel, vieil, cet, son before a masculine or feminine word that
    starts with one (un nouvel accord, cet accord, son amie). Machine translation forgets it,
    especially across a quotation mark. Words with an h aspiré (le héros, la hausse) are listed
    in grammar/h_aspire.txt and are never flagged.

    Bad: Poutine a annoncé la signature d'un nouveau "accord-clé".
    Good: Poutine a annoncé la signature d'un nouvel "accord-clé".
    """

    code = "GR701"
    name = "missing-elision"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = lexicon_for(ctx)
        wl = word_lists_for(ctx)
        triggers = wl.gr701_triggers
        out = []
        for s in sentences(doc, ctx):
            n = len(s.toks)
            for i in range(n - 1):
                w = s.low[i]
                if w not in triggers or s.proper(i):
                    continue
                j = i + 1
                nxt = s.word(j)
                if nxt is None or not s.adjacent(i, j) or s.proper(j):
                    continue
                nl = nxt.lower()
                f = None
                if w in wl.euphonic:
                    f = self._euphonic(lex, wl, s, i, j, w, nxt)
                elif w == "ce":
                    f = self._ce(lex, s, i, j, nxt)
                elif w in wl.possessives:
                    info = lex.info(nxt)
                    if (
                        elidable(nxt, lex)
                        and info.has("NA")
                        and not info.has("X")
                        and info.singular
                    ):
                        rep = recase(s.toks[i].text, wl.possessives[w])
                        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
                        f = self.finding(
                            s.toks[i].start,
                            s.toks[j].end,
                            _("'{word}' becomes '{fix}' before a word starting with a vowel").format(word=s.toks[i].text, fix=rep),
                            f"{rep}{gap}{nxt}",
                        )
                elif w == "si" and nl in ("il", "ils"):
                    rep = recase(s.toks[i].text, "s'")
                    f = self.finding(
                        s.toks[i].start, s.toks[j].end, _("'si' elides before '{next}'").format(next=nxt), f"{rep}{nxt}"
                    )
                elif w in wl.elision:
                    f = self._elide(lex, wl, s, i, j, w, nxt)
                if f:
                    f = self._quoted(doc, s, i, j, f, w in wl.euphonic)
                if f:
                    out.append(f)
        return out

    @staticmethod
    def _quoted(doc, s, i, j, f, adjective):
        """A quotation mark between a determiner or pronoun and its word (ce « animal »,
        de « ouvrir »): the word is cited or held at a distance and writers differ on eliding
        there, so minor (an adjective before a quote, nouveau « accord », stays major). The
        pair cited as a form of its own (« si il »): no finding."""
        gap = doc.text[s.toks[i].end : s.toks[j].start]
        q = doc.in_quote(s.toks[i].start, s.toks[j].end)
        if q is not None:
            inner = doc.text[q[0] + 1 : q[1] - 1].strip(" \u00a0\u202f")
            if inner == doc.text[s.toks[i].start : s.toks[j].end]:
                return None
        if not adjective and any(c in gap for c in "«»“”\"‘’"):
            f.severity = Severity.MINOR
        return f

    def _elide(self, lex, wl, s, i, j, w, nxt):
        nl = nxt.lower()
        if nl in wl.elision_exceptions or not elidable(nxt, lex):
            return None
        rep, cond = wl.elision[w]
        info = lex.info(nxt)
        if cond == "noun":
            if not info.has("NA") or info.has("X"):
                return None
        elif cond == "pronoun":
            if nl not in wl.elision_pronouns:
                return None
        elif not info.known and not known_word(nl):
            return None
        # "de" before a foreign word inside a quote, or in a Spanish/Italian name: skip
        prev = s.lower(i - 1) if i > 0 else ""
        if w in ("le", "la") and prev in ("tout", "toute"):
            return None
        rep = recase(s.toks[i].text, rep)
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        # the quotation mark between the words stays: de « accord » -> d'« accord »
        sep = gap.strip() if rep.endswith("'") else gap
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'{word}' must be elided before '{next}'").format(word=s.toks[i].text, next=nxt),
            f"{rep}{sep}{nxt}",
        )

    def _ce(self, lex, s, i, j, nxt):
        info = lex.info(nxt)
        if not elidable(nxt, lex) or not info.has("NA") or info.has("XVIGW"):
            return None
        if info.gender() == "f" or not info.singular:
            return None  # ce + feminine is GR702's (cette)
        rep = recase(s.toks[i].text, "cet")
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'ce' becomes 'cet' before '{next}'").format(next=nxt),
            f"{rep}{gap}{nxt}",
        )

    def _euphonic(self, lex, wl, s, i, j, w, nxt):
        prev = s.lower(i - 1) if i > 0 else ""
        if i == 0 or prev not in wl.masculine_singular_determiners or not s.adjacent(i - 1, i):
            return None
        info = lex.info(nxt)
        if not elidable(nxt, lex) or not info.noun or info.has("XVIGW"):
            return None
        if info.gender() == "f" or not info.singular:
            return None
        rep = recase(s.toks[i].text, wl.euphonic[w])
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'{word}' becomes '{fix}' before a masculine word starting with a vowel").format(word=s.toks[i].text, fix=rep),
            f"{rep}{gap}{nxt}",
        )
