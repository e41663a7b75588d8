"""English wording conventions: courtesy titles (CV305), lower-case "état" for the State
(CV307), English datelines (CV308)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mtaudit.checks import Check, register
from mtaudit.checks.conventions.data import ETAT, SP, WORDS, Tables, alt, paragraph_spans, tables
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, straighten

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


@register
class EnglishCourtesyTitle(Check):
    """An English courtesy title before a name: Mr., Mrs., Ms., Dr.

    French writes "M." (Monsieur), "Mme" (Madame), "Dr" (without a full stop). "Mr" without
    a full stop and "Dr." are common in French web text too, so they are minor.

    Bad: Selon Mr. Ouchakov, les discussions ont été fructueuses.
    Good: Selon M. Ouchakov, les discussions ont été fructueuses.
    """

    code = "CV305"
    name = "english-courtesy-title"
    category = "convention"
    severity = Severity.MAJOR
    data_files = (WORDS,)

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        pat = ctx.resource(
            "conventions.title_re",
            lambda: re.compile(rf"(?<![\w.])(?P<t>{alt(t.titles)})(?![\w.]){SP}+(?=[A-ZÀ-Ý])"),
        )
        out = []
        for off, text in paragraph_spans(doc):
            for m in pat.finditer(text):
                title = m.group("t")
                fr, sev = t.titles[title]
                out.append(
                    self.finding(
                        off + m.start("t"),
                        off + m.end("t"),
                        _("English courtesy title '{title}': French writes '{fr}'").format(title=title, fr=fr),
                        fr,
                        severity=sev,
                    )
                )
        return out


@register
class LowercaseEtat(Check):
    """Lower-case "état" where it means the State (État).

    French capitalises État for the State: chef d'État, médias d'État, l'État russe,
    les États-Unis. Lower-case "état" is the condition (état de santé, état civil,
    état-major, hors d'état de nuire) and "coup d'état" is an accepted spelling: those are
    left alone. "agence de presse d'état" and "médias d'état" are the usual calques of
    English "state media" and are major; other lower-case uses for the State are minor.
    The words involved are in conventions_etat.tsv.

    Bad: selon l'agence de presse d'état nord-coréenne
    Good: selon l'agence de presse d'État nord-coréenne
    """

    code = "CV307"
    name = "lowercase-etat"
    category = "convention"
    severity = Severity.MINOR
    data_files = (ETAT,)

    _DETAT = re.compile(r"\b[dD]['’](?P<e>état)(?P<s>s?)\b")

    @staticmethod
    def _letat(t: Tables) -> re.Pattern:
        """"l'état" or "les états" before a word that makes it the State (conventions_etat.tsv:
        state-adjective, or "de" and a us-state)."""

        def words(items: tuple[str, ...]) -> str:
            return "|".join(
                re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+") for w in items
            )

        return re.compile(
            r"\b(?:l['’]|les\s+)(?P<e>état)(?P<s>s?)"
            rf"(?=\s+(?:{words(t.state_adjectives)}|de\s+(?:{words(t.us_states)})))"
        )
    _EU = re.compile(r"\b(?P<e>états)-[Uu]nis\b")

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        t = tables(ctx)
        letat = ctx.resource("conventions.letat_re", lambda: self._letat(t))
        out = []
        for off, text in paragraph_spans(doc):
            for m in self._DETAT.finditer(text):
                window = text[max(0, m.start() - 80) : m.start()]  # bounded: no rescans
                before = re.search(r"([\w'’-]+)\s*$", window)
                prev = straighten(before.group(1).lower(), DOCUMENT_APOSTROPHES) if before else ""
                after = straighten(text[m.end() : m.end() + 80], DOCUMENT_APOSTROPHES)
                if prev in t.etat_skip_before:
                    continue
                if any(
                    re.match(
                        rf"\s*{re.escape(w)}(?:\b|(?<=')|$)"
                        if w[0].isalpha()
                        else rf"{re.escape(w)}",
                        after,
                    )
                    for w in t.etat_skip_after
                ):
                    continue
                # the head noun: the word before "d'état", or before "de presse d'état"
                heads = {prev}
                chain = re.search(r"([\w-]+)\s+de\s+([\w-]+)\s*$", window)
                if chain:
                    heads.add(chain.group(1).lower())
                sev = Severity.MAJOR if heads & t.etat_major_heads else Severity.MINOR
                s = off + m.start("e")
                out.append(
                    self.finding(
                        s,
                        off + m.end("s"),
                        _("Lower-case 'état' for the State: French writes 'État'"),
                        "État" + m.group("s"),
                        severity=sev,
                    )
                )
            for m in letat.finditer(text):
                out.append(
                    self.finding(
                        off + m.start("e"),
                        off + m.end("s"),
                        _("Lower-case 'état' for the State: French writes 'État'"),
                        "État" + m.group("s"),
                    )
                )
            for m in self._EU.finditer(text):
                out.append(
                    self.finding(
                        off + m.start(),
                        off + m.end(),
                        _("Lower-case 'états-unis': French writes 'États-Unis'"),
                        "États-Unis",
                    )
                )
        return out


@register
class EnglishDateline(Check):
    """An English-style dateline at the start of a paragraph: "KYIV, Ukraine —".

    English agencies open a story with the city in capitals, the state or country, and a
    dash ("KYIV, Ukraine —", "WASHINGTON (CNN) —"). French dispatches write "Kiev (AFP) -"
    or simply start the text; the AFP and Reuters French forms "PARIS (AFP) -" are fine.

    Bad: KYIV, Ukraine — Les frappes ont repris dans la nuit.
    Good: Kyiv (Ukraine) - Les frappes ont repris dans la nuit.
    """

    code = "CV308"
    name = "english-dateline"
    category = "convention"
    severity = Severity.MAJOR

    _RE = re.compile(
        r"^(?P<city>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+)*)"
        r"(?P<region>,[ \u00a0][A-Z][A-Za-z.]+(?:[ \u00a0][A-Z][A-Za-z.]+)*)?"
        r"(?P<agency>[ \u00a0]\((?P<ag>[A-Za-z. ]+)\))?"
        r"[ \u00a0]*(?P<dash>—|–|--|-)[ \u00a0]"
    )

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        out = []
        for p in doc.paragraphs:
            m = self._RE.match(p.text)
            if not m or len(m.group("city")) < 3:
                continue
            region, ag, dash = m.group("region"), m.group("ag"), m.group("dash")
            # an English outlet's tag, "(CNN)", is CR403's finding: not counted twice here
            english = bool(region) or (ag is None and dash == "—")
            if not english:
                continue
            city = m.group("city").title()
            sug = (
                city
                + (f" ({region.strip(', ').strip()})" if region else "")
                + (f" ({ag})" if ag else "")
                + " -"
            )
            out.append(
                self.finding(
                    p.start + m.start(),
                    p.start + m.end() - 1,
                    _("English-style dateline (CITY, Region —)"),
                    sug,
                )
            )
        return out
