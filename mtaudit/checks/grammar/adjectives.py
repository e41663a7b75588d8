"""GR703: an adjective and its noun of different genders (de grandes portraits)."""

from __future__ import annotations

from mtaudit.analyses.morphology import WordInfo, numbers_agree
from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for, word_lists_for
from mtaudit.checks.grammar.sentences import chain_noun as _chain_noun
from mtaudit.checks.grammar.sentences import noun_info, sentences
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _


@register
class AdjectiveGenderCheck(GrammarCheck):
    """Adjective and noun of different genders.

    An adjective takes the gender of its noun. Checked in two precise patterns only: a
    determiner, an adjective that usually stands before the noun (grammar/prenominal.txt) and
    a noun (de grands portraits): major; and a noun, possibly with its complements (chefs
    d'État), followed by an adjective that agrees with none of them: minor, since an adjective
    may also agree with the subject (elle avait l'air désorientée). Words with both genders,
    names, and adjectives that could be verbs are skipped.

    Bad: La place était décorée de grandes portraits des deux hommes.
    Good: La place était décorée de grands portraits des deux hommes.
    """

    code = "GR703"
    name = "adjective-gender"
    severity = Severity.MINOR

    def run(self, doc, ctx):
        lex = lexicon_for(ctx)
        wl = word_lists_for(ctx)
        out = []
        for s in sentences(doc, ctx):
            for i in range(len(s.toks) - 1):
                if (
                    s.low[i + 1] in wl.degree_adverbs
                    and i + 2 < len(s.toks)
                    and s.adjacent(i + 1, i + 2)
                    and s.low[i + 2]
                    and lex.info(s.low[i + 2]).has("AP")
                ):
                    # noun + adverb of degree + adjective: "une décision très attendu"
                    f = self._post(lex, wl, s, i, i + 2)
                    if f:
                        out.append(f)
                    continue
                if not s.low[i + 1] or not lex.info(s.low[i + 1]).has("AP"):
                    continue
                f = self._pre(lex, wl, s, i + 1) or self._post(lex, wl, s, i)
                if f:
                    out.append(f)
        return out

    def _adj_info(self, lex, wl, s, i) -> WordInfo | None:
        w = s.word(i)
        if w is None or s.proper(i) or w.lower() in wl.detached_adjectives:
            return None
        info = lex.info(w)
        if not info.has("AP") or info.has("XVIG"):
            return None
        if info.gender() is None:
            return None
        return info

    def _suggest(self, lex, form, gender, info):
        number = "p" if info.plural and not info.singular else "s"
        return lex.inflect_adj(form, gender, number)

    def _pre(self, lex, wl, s, i):
        """determiner + adjective + noun."""
        if (
            i == 0
            or i + 1 >= len(s.toks)
            or s.lower(i - 1) not in wl.determiners_before_adjective
            or not s.adjacent(i - 1, i)
        ):
            return None
        a = self._adj_info(lex, wl, s, i)
        if a is None or not a.adj or not lex.is_prenominal(s.toks[i].text):
            return None
        j = i + 1
        if not s.adjacent(i, j):
            return None
        ninfo = noun_info(lex, s, j)
        if ninfo is None or not ninfo.noun or ninfo.has("XVIGWA"):
            return None
        gn, ga = ninfo.gender(), a.gender()
        if gn is None or gn == ga or not numbers_agree(a, ninfo):
            return None
        adj, noun = s.toks[i].text, s.toks[j].text
        fix = self._suggest(lex, adj, gn, a)
        gname = _("masculine") if gn == "m" else _("feminine")
        return self.finding(
            s.toks[i].start,
            s.toks[j].end,
            _("'{noun}' is {gender}: the adjective '{adj}' does not agree").format(noun=noun, gender=gname, adj=adj),
            f"{fix} {noun}" if fix else None,
            severity=Severity.MAJOR,
            pattern="adjective-noun",
        )

    def _post(self, lex, wl, s, i, j=None):
        """noun (de noun)* [adverb] + adjective that agrees with none of the nouns."""
        j = i + 1 if j is None else j
        if not s.adjacent(i, i + 1):
            return None
        a = self._adj_info(lex, wl, s, j)
        if a is None:
            return None
        ga = a.gender()
        if ga == "m" and s.lower(j).endswith(("ant", "ants")):
            return None  # a present participle (une loi encadrant l'euthanasie)
        if ga == "m" and a.noun:
            return None  # a noun in apposition (des femmes policiers, des pays membres)
        if ga == "m" and not a.adj and a.singular:
            # a participle of a compound tense after an adverbial (il a la veille annoncé)
            return None
        if s.lower(j + 1) in wl.colour_shades and s.adjacent(j, j + 1):
            return None  # une couleur vert foncé
        # the chain of nouns: N1 [de [art] N2]...
        chain: list[int] = []
        k = i
        while True:
            ninfo = _chain_noun(lex, wl, s, k)
            if ninfo is None:
                return None
            chain.append(k)
            p = k - 1
            if p >= 0 and s.lower(p) in wl.articles and s.adjacent(p, k):
                p -= 1
            if (
                p >= 1
                and s.lower(p) in wl.complement_prepositions
                and s.adjacent(p, p + 1)
                and len(chain) < 4
            ):
                k = p - 1
                if not s.adjacent(k, p):
                    return None
                continue
            break
        start_tok = chain[-1]
        before = start_tok - 1
        if before >= 0 and s.lower(before) in wl.chain_determiners:
            before -= 1
        # a masculine adjective may agree with coordinated nouns (des lois et des décrets adoptés)
        if ga == "m" and before >= 0 and s.lower(before) in wl.coordinations:
            return None
        if ga == "m":
            txt = s.doc.text[s.toks[max(before, 0)].start : s.toks[start_tok].start]
            if "," in txt:
                return None
        if (
            ga == "m"
            and a.singular
            and before >= 0
            and (
                s.lower(before) in wl.avoir_forms
                or s.lower(before) in wl.prepositions
                and before >= 1
                and s.lower(before - 1) in wl.avoir_forms
            )
        ):
            return None  # il a la veille décidé, il a pour cette raison décidé: a compound tense
        infos = [_chain_noun(lex, wl, s, k) for k in chain]
        agree_number = False
        for ninfo in infos:
            gn = ninfo.gender(plural_default=True)
            if gn is None or gn == ga:
                return None
            agree_number = agree_number or numbers_agree(a, ninfo)
        if not agree_number:
            return None
        head = chain[-1]
        gn = infos[-1].gender(plural_default=True)
        adj = s.toks[j].text
        fix = self._suggest(lex, adj, gn, a)
        gname = _("masculine") if gn == "m" else _("feminine")
        span = s.doc.text[s.toks[head].start : s.toks[j].start]
        return self.finding(
            s.toks[head].start,
            s.toks[j].end,
            _("'{noun}' is {gender}: the adjective '{adj}' does not agree").format(noun=s.toks[head].text, gender=gname, adj=adj),
            f"{span}{fix}" if fix else None,
            pattern="noun-adjective",
        )
