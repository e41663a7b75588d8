"""GR707: a plural subject at the start of a sentence, a plural form of être, and an adjective
or participle that does not agree (le président et la ministre sont arrivées)."""

from __future__ import annotations

from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for, word_lists_for
from mtaudit.checks.grammar.sentences import (
    adjective_info,
    noun_gender,
    noun_info,
    sentences,
    strict_number,
)
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _


def _noun_phrase(lex, wl, s, k):
    """det + noun [+ adjective] at token ``k``: (noun index, gender, number, next token) or None."""
    det = s.lower(k)
    if det not in wl.singular_determiners and det not in wl.plural_determiners:
        return None
    n = k + 1
    if not s.adjacent(k, n):
        return None
    info = noun_info(lex, s, n)
    if info is None or not info.noun or info.has("XIGAP"):
        return None
    number = strict_number(info)
    want = "s" if det in wl.singular_determiners else "p"
    if number != want:
        return None
    nxt = n + 1
    if nxt < len(s.toks) and s.adjacent(n, nxt):
        ainfo = lex.info(s.toks[nxt].text)
        if ainfo.adj and not ainfo.has("XVIG") and not s.proper(nxt):
            if strict_number(ainfo) != number:
                return None
            nxt += 1
    return n, noun_gender(info, det, wl), number, nxt


def _complements(wl, s, k) -> int:
    """Skip the complements after a subject (de la Santé, des Affaires étrangères): at most two,
    each de/du/des + at most three words that are not forms of être."""
    for _i in range(2):
        if s.lower(k) not in wl.complement_prepositions:
            return k
        m = k + 1
        if s.lower(m) in wl.chain_determiners:
            m += 1
        words = 0
        while m < len(s.toks) and words < 3 and s.lower(m) not in wl.plural_copulas and s.lower(m) not in wl.plural_auxiliaries:
            if s.lower(m) in wl.complement_prepositions:
                break
            m += 1
            words += 1
        if not words:
            return k
        k = m
    return k


@register
class SubjectPredicateAgreement(GrammarCheck):
    """A plural subject, être in the plural and an adjective or participle that does not agree.

    After a subject that opens the sentence, "être" (or rester, sembler, devenir…: grammar/
    plural_copulas.txt) takes an adjective or participle that agrees with it: plural, and
    masculine when one of coordinated nouns is (le président et la ministre sont arrivés).
    Checked only when each noun has a determiner and one number in the lexicon; a feminine or
    masculine predicate is judged only for coordinated nouns whose genders are all known.
    Reflexive verbs (se sont parlé) and subjects that are names or pronouns are skipped.

    Bad: Le président et la ministre sont arrivées à Brest mardi soir.
    Good: Le président et la ministre sont arrivés à Brest mardi soir.
    """

    code = "GR707"
    name = "subject-predicate-agreement"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = lexicon_for(ctx)
        wl = word_lists_for(ctx)
        out = []
        for s in sentences(doc, ctx):
            if not s.toks or not s.toks[0].first:
                continue
            f = self._check(lex, wl, s)
            if f:
                out.append(f)
        return out

    def _check(self, lex, wl, s):
        first = _noun_phrase(lex, wl, s, 0)
        if first is None:
            return None
        nouns = [first]
        k = first[3]
        if s.lower(k) == "et":
            second = _noun_phrase(lex, wl, s, k + 1)
            if second is None:
                return None
            nouns.append(second)
            k = second[3]
        k = _complements(wl, s, k)
        if s.lower(k) in wl.plural_auxiliaries and s.lower(k + 1) == "été":
            k += 1
        elif s.lower(k) not in wl.plural_copulas:
            return None
        if len(nouns) == 1 and nouns[0][2] != "p":
            return None  # a singular subject with a plural verb: another error
        j = k + 1
        if s.lower(j) in wl.degree_adverbs and s.lower(j) not in wl.additive_adverbs:
            j += 1
        if j >= len(s.toks) or not all(s.adjacent(x, x + 1) for x in range(k, j)):
            return None
        a = adjective_info(lex, wl, s, j)
        if a is None or s.lower(j) in wl.apposed_nouns:
            return None
        genders = [g for _n, g, _num, _nx in nouns]
        need_gender = None
        if len(nouns) > 1 and None not in genders:
            need_gender = "m" if "m" in genders else "f"
        wrong_number = strict_number(a) != "p"
        ga = a.gender()
        wrong_gender = need_gender is not None and ga is not None and ga != need_gender
        if not wrong_number and not wrong_gender:
            return None
        g = need_gender or (genders[0] if len(nouns) == 1 else None) or ga
        fix = lex.inflect_adj(s.toks[j].text, g, "p") if g else None
        subject = s.doc.text[s.toks[0].start : s.toks[nouns[-1][0]].end]
        if wrong_gender:
            gname = _("masculine") if need_gender == "m" else _("feminine")
            message = _("The subject '{subject}' takes the {gender} plural: '{adj}' does not agree").format(
                subject=subject, gender=gname, adj=s.toks[j].text
            )
        else:
            message = _("The subject '{subject}' is plural: '{adj}' does not agree").format(
                subject=subject, adj=s.toks[j].text
            )
        return self.finding(s.toks[j].start, s.toks[j].end, message, fix, pattern="subject-predicate")
