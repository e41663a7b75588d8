"""GR706: a noun and the adjective after it of different numbers (des mesures important), and
an adjective shared by coordinated nouns of another gender (un chapeau et une robe noires)."""

from __future__ import annotations

from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for, word_lists_for
from mtaudit.checks.grammar.sentences import (
    adjective_info,
    after,
    chain_noun,
    noun_gender,
    sentences,
    strict_number,
)
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _


def _chain(lex, wl, s, i) -> list[int] | None:
    """The nouns N1 [de [det] N2]... that end at token ``i``, the rightmost first: linked by
    de or by another preposition (sa collègue aux fossettes), whose nouns the adjective may
    agree with too."""
    chain: list[int] = []
    k = i
    while True:
        if chain_noun(lex, wl, s, k) is None:
            return None
        chain.append(k)
        p = k - 1
        if p >= 0 and s.lower(p) in wl.chain_determiners and s.adjacent(p, k):
            p -= 1
        link = s.lower(p)
        if (
            p >= 1
            and (link in wl.complement_prepositions or link in wl.prepositions or link in ("au", "aux"))
            and s.adjacent(p, p + 1)
            and len(chain) < 4
        ):
            w = s.word(p - 1)
            if w is not None and s.adjacent(p - 1, p) and (lex.info(w).noun or s.proper(p - 1)):
                # a noun before the preposition: a link of the chain, which must be a noun
                # the rule can judge
                k = p - 1
                continue
            # a verb or another word before it: the preposition starts the phrase (annoncé des
            # mesures)
        return chain


@register
class NounAdjectiveNumber(GrammarCheck):
    """Noun and adjective of different numbers; an adjective shared by coordinated nouns.

    An adjective after its noun takes its number: "des mesures importantes", "une décision
    importante". Checked when the noun has a determiner of one number (grammar/
    singular_determiners.txt, plural_determiners.txt), possibly with its complements
    ("des mesures de sécurité": the adjective may agree with either noun), and both words
    have one number in the lexicon. Skipped: an adjective that coordinates with another (les
    secteurs public et privé), a plural adjective after coordinated nouns, an adjective used as
    an adverb (payer les billets cher), a noun set after another (des mesures choc), an
    adjective with its own noun (des appels longue distance), a participle that may be a
    compound tense (ils ont des années durant réclamé), a participial phrase (le parc, équipés
    de…), a noun phrase of time (toute la journée) and names.
    A plural adjective shared by coordinated singular nouns is masculine when one of them is
    (un chapeau et une robe noirs).

    Bad: Le gouvernement a annoncé des mesures nécessaire pour les familles.
    Good: Le gouvernement a annoncé des mesures nécessaires pour les familles.
    """

    code = "GR706"
    name = "noun-adjective-number"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = lexicon_for(ctx)
        wl = word_lists_for(ctx)
        out = []
        for s in sentences(doc, ctx):
            for j in range(2, len(s.toks)):
                i = j - 1
                if s.lower(i) in wl.degree_adverbs and s.adjacent(i, j):
                    if s.lower(i) in wl.additive_adverbs:
                        continue  # son nom aussi accroché: "also"
                    i = j - 2  # une décision très attendus
                if i < 1 or not s.adjacent(i, i + 1):
                    continue
                a = adjective_info(lex, wl, s, j)
                if a is None:
                    continue
                f = self._check(lex, wl, s, i, j, a)
                if f:
                    out.append(f)
        return out

    def _check(self, lex, wl, s, i, j, a):
        if any(q in s.doc.text[s.toks[i].end : s.toks[i + 1].start] for q in "\"«»“”„"):
            return None  # les itinéraires « grande traversée »: the adjective opens a quotation
        if s.lower(j + 1) in wl.complement_prepositions or s.lower(j + 1) == "par":
            return None  # le parc, équipés de coupe-vent: a participial phrase, maybe the subject's
        nxt = s.word(j + 1)
        if nxt is not None and s.adjacent(j, j + 1) and lex.is_prenominal(s.toks[j].text):
            ninfo = lex.info(nxt)
            if ninfo.noun and not ninfo.has("XV") and strict_number(ninfo) == strict_number(a):
                return None  # des appels longue distance, des lignes haute tension
        chain = _chain(lex, wl, s, i)
        if chain is None:
            return None
        na = strict_number(a)
        nouns = [lex.info(s.toks[k].text) for k in chain]
        numbers = {strict_number(n) for n in nouns}
        if None in numbers or na in numbers:
            return None
        start = chain[-1]
        det = s.lower(start - 1)
        nn = "s" if det in wl.singular_determiners else "p" if det in wl.plural_determiners else None
        if nn is None or nn != strict_number(nouns[-1]):
            return None  # no determiner of one number (de, d'), or one that disagrees
        before = s.lower(start - 2)
        if before in wl.time_determiners:
            return None  # toute la journée
        head = chain[-1]
        hinfo = nouns[-1]
        if na == "p" and before in wl.coordinations:
            return self._coordination(lex, wl, s, start - 2, head, hinfo, j, a)
        if na == "s":
            if s.lower(j + 1) in wl.coordinations:
                return None  # les secteurs public et privé
            if after(s, j).strip().startswith(","):
                nxt = s.word(j + 1)
                if nxt and lex.info(nxt).has("AP"):
                    return None  # les langues française, anglaise et allemande
            if s.lower(j) in wl.apposed_nouns:
                return None  # a noun in apposition: des années record, des mots clé
            if a.participle and a.gender() != "f" and any(
                s.lower(k) in wl.avoir_forms for k in range(start)
            ):
                return None  # ils ont depuis des années réclamé: a compound tense
        g = noun_gender(hinfo, det, wl) or a.gender()
        fix = lex.inflect_adj(s.toks[j].text, g or "m", nn) if g else None
        return self._finding(s, head, j, fix, _("'{noun}' is {number}: the adjective '{adj}' does not agree").format(
            noun=s.toks[head].text,
            number=_("plural") if nn == "p" else _("singular"),
            adj=s.toks[j].text,
        ), "noun-adjective")

    def _coordination(self, lex, wl, s, conj, head, hinfo, j, a):
        """N1 et N2 + a plural adjective: shared by both nouns, masculine when one of them is."""
        if s.lower(conj) not in ("et",) or conj < 2 or strict_number(hinfo) != "s":
            return None
        first = _chain(lex, wl, s, conj - 1)
        if first is None:
            return None
        n1 = first[-1]
        det1 = s.lower(n1 - 1)
        if det1 not in wl.determiners:
            return None
        g1 = noun_gender(lex.info(s.toks[n1].text), det1, wl)
        g2 = noun_gender(hinfo, s.lower(head - 1), wl)
        if g1 is None or g2 is None:
            return None
        need = "m" if "m" in (g1, g2) else "f"
        ga = a.gender()
        if ga is None or ga == need:
            return None
        fix = lex.inflect_adj(s.toks[j].text, need, "p")
        gname = _("masculine") if need == "m" else _("feminine")
        return self._finding(s, n1, j, fix, _(
            "'{adj}' is shared by '{first}' and '{second}': it takes the {gender} plural"
        ).format(adj=s.toks[j].text, first=s.toks[n1].text, second=s.toks[head].text, gender=gname), "coordination")

    def _finding(self, s, head, j, fix, message, pattern):
        span = s.doc.text[s.toks[head].start : s.toks[j].start]
        return self.finding(
            s.toks[head].start,
            s.toks[j].end,
            message,
            f"{span}{fix}" if fix else None,
            pattern=pattern,
        )
