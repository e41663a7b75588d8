"""NM5xx: names against the glossaries (transcription, consistency, house style, Slavic names).

The glossary matches are one analysis per document (:mod:`mtaudit.analyses.name_matches`);
each rule is a function that turns its part of them into findings. NM502 is a consistency
rule (:mod:`mtaudit.engines.consistency`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtaudit.analyses.glossaries import (
    Glossary,
    glossary_paths,
    glossary_signature,
    load_glossary,
    name_particles,
)
from mtaudit.analyses.glossaries.spelling import PARTICLES_FILE
from mtaudit.analyses.name_matches import ENGLISH, HOUSE, NameMatches, match_names
from mtaudit.analyses.slavic_names import RULES_FILE as SLAVIC_RULES_FILE
from mtaudit.analyses.slavic_names import french_transcription, slavic_english
from mtaudit.checks import Check, register
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.engines.consistency import find_inconsistency
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, straighten

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

# kinds whose forms are compared within an article (a given name is shared by many people)
_CONSISTENT_KINDS = frozenset({"person", "place", "organisation", "media"})


class _NamesBase(Check):
    """Shared machinery of the NM5xx rules (not a rule itself)."""

    # the glossaries (default and house) are fingerprinted by signature_parts
    data_files = (PARTICLES_FILE, SLAVIC_RULES_FILE)

    @classmethod
    def signature_parts(cls, config) -> dict:
        # loading here validates house glossaries when the auditor starts (a clear error, once)
        load_glossary(config=config)
        return {"glossaries": glossary_signature(config)}

    @staticmethod
    def glossary(ctx: Context) -> Glossary:
        paths = tuple(glossary_paths(ctx.config))
        return ctx.resource(f"names.glossary:{paths!r}", lambda: load_glossary(paths))

    def analysis(self, doc: Document, ctx: Context) -> NameMatches:
        """One analysis per document and glossary, shared by the NM5xx rules."""
        g = self.glossary(ctx)
        return doc.derived(f"names.analysis:{id(g)}", lambda d: match_names(d, g))


# ---------------------------------------------------------------------------- wording
def _quote(s: str) -> str:
    return f"‘{s}’"


def _adapt(suggestion: str, surface: str, sentence_start: bool) -> str:
    """Give the suggestion the case of what it replaces (capitals, sentence start)."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return suggestion.upper()
    if sentence_start and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _mk(rule, category, severity, start, end, message, suggestion, **data) -> Finding:
    return Finding(
        rule=rule,
        category=category,
        severity=severity,
        start=start,
        end=end,
        message=message,
        suggestion=suggestion,
        data=data,
    )


def _sentence_starts(doc: Document) -> set[int]:
    return {s.start for s in doc.sentences}


# ---------------------------------------------------------------------------- NM501
def transcription_findings(doc: Document, nm: NameMatches) -> list[Finding]:
    """NM501: English transcriptions (and French forms without their accents)."""
    sentence_starts = _sentence_starts(doc)
    said: dict[int, str] = {}  # per entry: computed once (a name repeated k times was k² work)

    def elsewhere(m) -> str:
        key = id(m.entry)
        if key in said:
            return said[key]
        pref = [x for x in nm.by_entry[key] if x.status in ("preferred", "also")]
        if not pref:
            said[key] = ""
            return ""
        forms = Counter(x.text for x in pref)
        best, n = forms.most_common(1)[0]
        line = doc.line_col(next(x.start for x in pref if x.text == best))[0]
        said[key] = _("; this article writes {name} elsewhere ({n}×, first at line {line})").format(
            name=_quote(best), n=n, line=line
        )
        return said[key]

    out: list[Finding] = []
    noted: set[int] = set()  # entries whose note was given once already (house groups count)
    for group in nm.flagged:
        first = group.first
        e = first.entry
        start, end = group.start, group.end
        surface = doc.text[start:end]
        sugg = _adapt(
            " ".join(m.entry.preferred for m in group.matches), surface, start in sentence_starts
        )
        sev = max((m.entry.flag_severity() for m in group.matches), key=lambda s: s.rank)
        note = f" ({e.note})" if e.note and len(group.matches) == 1 and id(e) not in noted else ""
        noted.add(id(e))
        if group.kind != ENGLISH:
            continue
        if first.status == "accents":
            msg = _("{found} lacks the accents of the French form {name}").format(
                found=_quote(surface), name=_quote(e.preferred)
            ) + elsewhere(first)
            sev = Severity.MINOR
        else:
            what = (
                _("English transcription {found}: French writes {name}")
                if e.kind not in ("organisation", "media", "title")
                else _("English name {found}: French writes {name}")
            )
            msg = what.format(found=_quote(surface), name=_quote(sugg)) + note
            if len(group.matches) == 1:
                msg += elsewhere(first)
            if e.house:
                msg += _(" [house glossary {glossary}]").format(glossary=e.source_name)
        out.append(
            _mk(
                "NM501",
                "name",
                sev,
                start,
                end,
                msg,
                sugg,
                entry=e.preferred,
                glossary=e.source_name,
            )
        )
    return out


# ---------------------------------------------------------------------------- NM503
def house_style_findings(doc: Document, nm: NameMatches) -> list[Finding]:
    """NM503: forms the house glossary flags that are not English transcriptions."""
    sentence_starts = _sentence_starts(doc)
    out: list[Finding] = []
    for group in nm.flagged:
        if group.kind != HOUSE:
            continue
        first = group.first
        e = first.entry
        start, end = group.start, group.end
        surface = doc.text[start:end]
        sugg = _adapt(
            " ".join(m.entry.preferred for m in group.matches), surface, start in sentence_starts
        )
        sev = max((m.entry.flag_severity() for m in group.matches), key=lambda s: s.rank)
        msg = _("House style ({glossary}) writes {name}, not {found}").format(
            glossary=e.source_name, name=_quote(e.preferred), found=_quote(surface)
        )
        out.append(
            _mk(
                "NM503",
                "consistency",
                Severity.MINOR if e.severity is None else sev,
                start,
                end,
                msg,
                sugg,
                entry=e.preferred,
                glossary=e.source_name,
            )
        )
    return out


# ---------------------------------------------------------------------------- NM502
def _surface_key(text: str) -> str:
    """How a name is written, for comparing occurrences: white space and apostrophes
    normalised, case kept except for the first letter and for particles (al-, ben)."""
    particles = name_particles()
    parts = []
    text = straighten(text, DOCUMENT_APOSTROPHES).replace("\u00a0", " ").replace("\u202f", " ")
    word = ""
    for c in text + " ":
        if c in " -‐‑":
            if word:
                parts.append(word.lower() if word.lower() in particles else word)
                word = ""
            parts.append("-" if c in "-‐‑" else " ")
        else:
            word += c
    s = "".join(parts).strip()
    while "  " in s:
        s = s.replace("  ", " ")
    s = s.replace(" - ", "-").replace("- ", "-").replace(" -", "-")
    return s[:1].lower() + s[1:]


def consistency_findings(doc: Document, nm: NameMatches) -> list[Finding]:
    """NM502: one entity written two ways (both accepted forms); the dominant way is the fix."""
    sentence_starts = _sentence_starts(doc)
    out: list[Finding] = []
    for ms in nm.by_entry.values():
        e = ms[0].entry
        if e.kind not in _CONSISTENT_KINDS:
            continue
        ok = [(_surface_key(m.text), m) for m in ms if m.status in ("preferred", "also")]
        inc = find_inconsistency(ok, lambda m: m.start, preferred=_surface_key(e.preferred))
        if inc is None:
            continue
        dm = inc.dominant.first
        d_line = doc.line_col(dm.start)[0]
        dominant_text = dm.text if inc.majority else None
        where = ", ".join(
            _("{name} {n}× (line {line})").format(
                name=_quote(v.first.text), n=v.count, line=doc.line_col(v.first.start)[0]
            )
            for v in inc.others
        )
        out.append(
            _mk(
                "NM502",
                "consistency",
                Severity.INFO,
                dm.start,
                dm.end,
                _(
                    "{name} ({n}×) is also written {where} in this article: write the name one way"
                ).format(name=_quote(dm.text), n=inc.dominant.count, where=where),
                None,
                entry=e.preferred,
                dominant=dominant_text,
            )
        )
        for m, variant in inc.deviations:
            sugg = _adapt(dm.text, m.text, m.start in sentence_starts)
            if inc.majority:
                msg = _(
                    "{found} here, but this article mostly writes {name} "
                    "({n}×, first at line {line}): write the name one way"
                ).format(
                    found=_quote(m.text), name=_quote(dm.text), n=inc.dominant.count, line=d_line
                )
            else:
                why = _("the glossary's form") if inc.preferred else _("the first one written")
                msg = _(
                    "{found} here, {name} at line {line} ({n}× each): "
                    "write the name one way ({why} suggested)"
                ).format(
                    found=_quote(m.text),
                    name=_quote(dm.text),
                    line=d_line,
                    n=variant.count,
                    why=why,
                )
            out.append(
                _mk(
                    "NM502",
                    "consistency",
                    Severity.MINOR,
                    m.start,
                    m.end,
                    msg,
                    sugg,
                    entry=e.preferred,
                    dominant=dominant_text,
                )
            )
    return out


# ---------------------------------------------------------------------------- NM504
def slavic_findings(doc: Document, nm: NameMatches) -> list[Finding]:
    """NM504: Slavic names outside every glossary in an English transcription."""
    out: list[Finding] = []
    for t in nm.unmatched_tokens():
        strength = slavic_english(t.text)
        if strength is None:
            continue
        fr = french_transcription(t.text)
        if fr == t.text:
            continue
        sev = Severity.MINOR if strength == "strong" else Severity.INFO
        out.append(
            _mk(
                "NM504",
                "name",
                sev,
                t.start,
                t.end,
                _(
                    "{found} looks like an English transcription of a Slavic name; French "
                    "would write {name} (not in the glossaries: check the usual spelling)"
                ).format(found=_quote(t.text), name=_quote(fr)),
                fr,
            )
        )
    return out


# ---------------------------------------------------------------------------- all four
@dataclass
class NameFindings:
    """The four rules' findings on one document (``mtaudit glossary check``, benchmarks)."""

    transcription: list[Finding] = field(default_factory=list)
    consistency: list[Finding] = field(default_factory=list)
    house: list[Finding] = field(default_factory=list)
    slavic: list[Finding] = field(default_factory=list)


def analyse(doc: Document, glossary: Glossary) -> NameFindings:
    """NM501–NM504 on one document, without the auditor (no configuration applied)."""
    nm = match_names(doc, glossary)
    return NameFindings(
        transcription_findings(doc, nm),
        consistency_findings(doc, nm),
        house_style_findings(doc, nm),
        slavic_findings(doc, nm),
    )


# ---------------------------------------------------------------------------- the rules
@register
class EnglishTranscription(_NamesBase):
    """A name in its English transcription where French writes it another way.

    Names of people, places and organisations from Russia, Ukraine, Belarus, the Koreas, China,
    Iran and the Middle East are written differently in French and in English. Machine
    translation from English leaves the English form (Putin, Beijing, Yuri Ushakov, Hanoi).
    The forms come from the glossaries (the default one and house glossaries); the severity
    is the entry's (major for well-known names). A form without the accents of the French
    one (Teheran for Téhéran) is reported too, as minor.

    Bad: Des foules ont applaudi Putin à son arrivée à Hanoi.
    Good: Des foules ont applaudi Poutine à son arrivée à Hanoï.
    """

    code = "NM501"
    name = "english-transcription"
    category = "name"
    severity = Severity.MAJOR

    def run(self, doc: Document, ctx: Context) -> list[Finding]:
        return transcription_findings(doc, self.analysis(doc, ctx))


@register
class NameConsistency(_NamesBase):
    """The same name written two ways in one article.

    Both ways may be accepted in French (Kim Jong-un and Kim Jong Un, Kiev and Kyiv,
    Netanyahu and Nétanyahou), but one article writes one. The form used most often
    dominates; every other occurrence is reported with the dominant form as the fix, and the
    first occurrence of the dominant form gets an info note that says where the others are.

    Bad: Kim Jong-un a reçu Vladimir Poutine. […] Kim Jong Un a offert deux chiens.
    Good: Kim Jong-un a reçu Vladimir Poutine. […] Kim Jong-un a offert deux chiens.
    """

    code = "NM502"
    name = "name-consistency"
    category = "consistency"
    severity = Severity.MINOR

    def run(self, doc: Document, ctx: Context) -> list[Finding]:
        return consistency_findings(doc, self.analysis(doc, ctx))


@register
class HouseStyle(_NamesBase):
    """A name spelled otherwise than the house glossary says.

    A newsroom's own glossary (``--glossary FILE`` or ``glossaries = [...]`` in the
    configuration) overrides the default one. A form it flags that is not an English
    transcription (one accepted in French elsewhere, such as Kiev for a house that writes
    Kyiv) is a deviation from the house style.

    Bad: Les bombardements ont repris sur Kiev. (house glossary: Kyiv, flag Kiev)
    Good: Les bombardements ont repris sur Kyiv.
    """

    code = "NM503"
    name = "house-style"
    category = "consistency"
    severity = Severity.MINOR

    def run(self, doc: Document, ctx: Context) -> list[Finding]:
        return house_style_findings(doc, self.analysis(doc, ctx))


@register
class SlavicTranscription(_NamesBase):
    """A Slavic name outside the glossaries that looks transcribed the English way.

    A surname with a Slavic ending (-ov, -eva, -enko, -chuk, -vich…) spelled with the English
    patterns sh, zh, u, y before a vowel (French: ch, j, ou, i) or ch (French: tch) was
    probably left by a translation from English. The French transcription is suggested; it
    is a guess from spelling rules, so the severity is low (minor, info when only ch hints).

    Bad: selon l'analyste Pavel Shumilov
    Good: selon l'analyste Pavel Choumilov
    """

    code = "NM504"
    name = "slavic-transcription"
    category = "name"
    severity = Severity.MINOR

    def run(self, doc: Document, ctx: Context) -> list[Finding]:
        return slavic_findings(doc, self.analysis(doc, ctx))


__all__ = [
    "EnglishTranscription",
    "NameConsistency",
    "HouseStyle",
    "SlavicTranscription",
    "NameFindings",
    "analyse",
    "consistency_findings",
    "house_style_findings",
    "slavic_findings",
    "transcription_findings",
]
