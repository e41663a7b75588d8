"""GR702: a determiner and its noun of different genders (une orchestre)."""

from __future__ import annotations

from mtaudit.analyses.morphology import elidable
from mtaudit.checks import register
from mtaudit.checks.grammar.base import GrammarCheck, lexicon_for, word_lists_for
from mtaudit.checks.grammar.sentences import noun_info, recase, sentences
from mtaudit.core.findings import Severity
from mtaudit.core.i18n import _


@register
class DeterminerGenderCheck(GrammarCheck):
    """Determiner and noun of different genders.

    A determiner (un/une, le/la, ce/cette, du/de la, au/à la, mon/ma, son/sa…) must have the
    gender of its noun. Machine translation from English, which has no grammatical gender,
    gets it wrong on nouns whose gender is not obvious (un orchestre, un échange). Only nouns
    with one gender in the lexicon are checked; nouns with both (le/la manche, le/la poste)
    and names are skipped. An adjective between the two is looked through when it agrees
    with the noun (sa plein appui).

    Bad: Ils ont applaudi au rythme d'une orchestre militaire.
    Good: Ils ont applaudi au rythme d'un orchestre militaire.
    """

    code = "GR702"
    name = "determiner-gender"
    severity = Severity.MAJOR

    def run(self, doc, ctx):
        lex = lexicon_for(ctx)
        wl = word_lists_for(ctx)
        out = []
        for s in sentences(doc, ctx):
            n = len(s.toks)
            for i in range(n - 1):
                w = s.lower(i)
                det = wl.determiners.get(w)
                if det is None:
                    continue
                if s.proper(i):
                    continue  # Le Monde, La Croix
                if i > 0 and w in ("un", "une") and s.lower(i - 1) in wl.not_article_before:
                    continue
                f = self._check(lex, wl, s, i, det)
                if f:
                    out.append(f)
        return out

    def _check(self, lex, wl, s, i, det):
        j = i + 1
        if not s.adjacent(i, j):
            return None
        info = noun_info(lex, s, j)
        if info is None or not info.known:
            return None
        head = j
        adj_between = None
        if not info.noun or (info.adj and j + 1 < len(s.toks)):
            # determiner + adjective + noun: look through the adjective when it agrees
            k = j + 1
            if (
                k < len(s.toks)
                and info.adj
                and s.adjacent(j, k)
                and lex.is_prenominal(s.toks[j].text)
            ):
                ninfo = noun_info(lex, s, k)
                if (
                    ninfo is not None
                    and ninfo.noun
                    and not ninfo.adj
                    and not ninfo.has("XVIGW")
                    and ninfo.gender()
                ):
                    if info.gender() == ninfo.gender():
                        adj_between, head, info = j, k, ninfo
                    else:
                        return None  # the adjective disagrees with the noun: GR703's
            if adj_between is None and not info.noun:
                return None
        if adj_between is None and info.has("X"):
            return None
        g = info.gender()
        if g is None or g == det.gender:
            return None
        if adj_between is None and info.has("IG"):
            return None
        if (
            adj_between is None
            and info.has("V")
            and head + 1 < len(s.toks)
            and s.adjacent(head, head + 1)
        ):
            # "un porte parole", "une garde robe": a compound written without its hyphen
            nxt = s.word(head + 1)
            ninfo = lex.info(nxt) if nxt else None
            if ninfo and ninfo.noun and not ninfo.has("XA"):
                return None
        if (
            head + 2 < len(s.toks)
            and s.lower(head + 1) in ("à", "au")
            and s.lower(head + 2) == s.lower(head)
        ):
            # "du porte à porte", "le face à face", "un tête à tête": a compound noun
            return None
        if info.has("V") and det.kind != "art":
            # le/la/ce may be pronouns before a verb (on la change): only after a preposition
            if det.kind == "pro":
                prev = s.lower(i - 1) if i > 0 else ""
                if prev not in wl.prepositions or info.has("IP"):
                    return None
        if info.has("V") and det.kind == "pro" and s.lower(i) == "ce":
            return None
        headword = s.toks[head].text
        first = s.toks[j].text
        vowel = elidable(first, lex)
        if det.kind == "poss" and det.gender == "m" and vowel:
            return None  # son amie, mon histoire
        if s.lower(i) in ("ma", "ta", "sa") and vowel:
            return None  # GR701 (son amie)
        if s.lower(i) in ("le", "la") and vowel:
            return None  # GR701 (l')
        if s.lower(i) == "cet" and g == "f":
            rep = "cette"
        elif det.vowel_other and vowel:
            rep = det.vowel_other
        elif s.lower(i) in ("le", "la") and elidable(first, lex):
            rep = "l'"
        else:
            rep = det.other
        rep = recase(s.toks[i].text, rep)
        span_text = s.doc.text[s.toks[j].start : s.toks[head].end]
        gap = s.doc.text[s.toks[i].end : s.toks[j].start]
        sep = "" if rep.endswith("'") else (gap if gap.strip() else " ")
        gname = _("masculine") if g == "m" else _("feminine")
        prev = s.lower(i - 1) if i > 0 else ""
        start = s.toks[i].start
        # "d'une orchestre": keep the suggestion readable, the span on the determiner and noun
        if prev in ("de", "à") and s.lower(i) in ("la",) and g == "m":
            rep2 = "du" if prev == "de" else "au"
            start = s.toks[i - 1].start
            rep = recase(s.toks[i - 1].text, rep2)
        return self.finding(
            start,
            s.toks[head].end,
            _("'{noun}' is {gender}: '{word}' does not agree").format(noun=headword, gender=gname, word=s.toks[i].text),
            f"{rep}{sep}{span_text}",
        )
