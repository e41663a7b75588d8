"""NM5xx: names against the glossaries (transcription, consistency, house style, Slavic names).

The four rules share one pass over the article: the glossary matches are computed once per
document and each rule reports its part of them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtaudit.analyses.glossaries import (
    Glossary,
    NameMatch,
    fold,
    glossary_paths,
    glossary_signature,
    is_acronym,
    load_glossary,
    name_particles,
    split_tokens,
    tokenize,
)
from mtaudit.analyses.glossaries.spelling import PARTICLES_FILE
from mtaudit.analyses.slavic_names import RULES_FILE as SLAVIC_RULES_FILE
from mtaudit.analyses.slavic_names import french_transcription, slavic_english
from mtaudit.checks import Check, register
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document

# kinds whose forms are compared within an article (a given name is shared by many people)
_CONSISTENT_KINDS = frozenset({"person", "place", "organisation", "media"})


@dataclass
class _Analysis:
    transcription: list[Finding] = field(default_factory=list)
    consistency: list[Finding] = field(default_factory=list)
    house: list[Finding] = field(default_factory=list)
    slavic: list[Finding] = field(default_factory=list)


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

    def analysis(self, doc: Document, ctx: Context) -> _Analysis:
        """One analysis per document and glossary, shared by the NM5xx rules."""
        g = self.glossary(ctx)
        return doc.derived(f"names.analysis:{id(g)}", lambda d: analyse(d, g))


# ---------------------------------------------------------------------------- the analysis
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


def _surface_key(text: str) -> str:
    """How a name is written, for comparing occurrences: white space and apostrophes
    normalised, case kept except for the first letter and for particles (al-, ben)."""
    particles = name_particles()
    parts = []
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
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


def analyse(doc: Document, glossary: Glossary) -> _Analysis:
    out = _Analysis()
    matches, tokens = glossary.match_document(doc)
    sentence_starts = {s.start for s in doc.sentences}
    by_entry: dict[int, list[NameMatch]] = defaultdict(list)
    for m in matches:
        if m.status in ("preferred", "also", "flag", "accents"):
            by_entry[id(m.entry)].append(m)

    said: dict[int, str] = {}  # per entry: computed once (a name repeated k times was k² work)

    def elsewhere(m: NameMatch) -> str:
        key = id(m.entry)
        if key in said:
            return said[key]
        pref = [x for x in by_entry[key] if x.status in ("preferred", "also")]
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

    # -- NM501 / NM503: flagged forms, then adjacent flagged names merged (Sergei Shoigu)
    redefined = _redefined_acronyms(doc, matches)
    flagged: list[tuple[NameMatch, str]] = []  # (match, rule)
    for m in matches:
        e = m.entry
        if m.status == "flag" and m.text in redefined:
            continue
        if m.status == "flag":
            rule = "NM501" if (not e.house or m.form.english) else "NM503"
            flagged.append((m, rule))
        elif m.status == "accents":
            flagged.append((m, "NM501"))
    groups: list[list[tuple[NameMatch, str]]] = []
    for m, rule in flagged:
        if groups:
            pm, prule = groups[-1][-1]
            gap = doc.text[pm.end : m.start]
            if (
                rule == prule == "NM501"
                and pm.paragraph == m.paragraph
                and gap.strip() == ""
                and 0 < len(gap) <= 2
                and m.status == pm.status == "flag"
            ):
                groups[-1].append((m, rule))
                continue
        groups.append([(m, rule)])
    noted: set[int] = set()  # entries whose note was given once already
    for group in groups:
        first, rule = group[0]
        last = group[-1][0]
        start, end = first.start, last.end
        surface = doc.text[start:end]
        sugg = _adapt(
            " ".join(m.entry.preferred for m, _ in group), surface, start in sentence_starts
        )
        sev = max((m.entry.flag_severity() for m, _ in group), key=lambda s: s.rank)
        e = first.entry
        note = f" ({e.note})" if e.note and len(group) == 1 and id(e) not in noted else ""
        noted.add(id(e))
        if rule == "NM503":
            msg = _("House style ({glossary}) writes {name}, not {found}").format(
                glossary=e.source_name, name=_quote(e.preferred), found=_quote(surface)
            )
            out.house.append(
                _mk(
                    "NM503",
                    "consistency",
                    Severity.MINOR if first.entry.severity is None else sev,
                    start,
                    end,
                    msg,
                    sugg,
                    entry=e.preferred,
                    glossary=e.source_name,
                )
            )
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
            if len(group) == 1:
                msg += elsewhere(first)
            if e.house:
                msg += _(" [house glossary {glossary}]").format(glossary=e.source_name)
        out.transcription.append(
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

    # -- NM502: one entity written two ways (both accepted forms)
    for ms in by_entry.values():
        e = ms[0].entry
        if e.kind not in _CONSISTENT_KINDS:
            continue
        ok = [m for m in ms if m.status in ("preferred", "also")]
        keys = [_surface_key(m.text) for m in ok]
        counts = Counter(keys)
        if len(counts) < 2:
            continue
        pref_key = _surface_key(e.preferred)
        first_at = {}
        for m, k in zip(ok, keys, strict=True):
            first_at.setdefault(k, m)
        top = max(counts.values())
        leaders = [k for k in counts if counts[k] == top]
        # a majority only when there is one; on a tie, the glossary's form (else the first)
        majority = len(leaders) == 1
        dominant = max(leaders, key=lambda k: (k == pref_key, -first_at[k].start))
        dm = first_at[dominant]
        d_line = doc.line_col(dm.start)[0]
        others = [k for k in counts if k != dominant]
        where = ", ".join(
            _("{name} {n}× (line {line})").format(
                name=_quote(first_at[k].text), n=counts[k], line=doc.line_col(first_at[k].start)[0]
            )
            for k in others
        )
        out.consistency.append(
            _mk(
                "NM502",
                "consistency",
                Severity.INFO,
                dm.start,
                dm.end,
                _("{name} ({n}×) is also written {where} in this article: write the name one way").format(
                    name=_quote(dm.text), n=counts[dominant], where=where
                ),
                None,
                entry=e.preferred,
                dominant=dm.text if majority else None,
            )
        )
        for m, k in zip(ok, keys, strict=True):
            if k == dominant:
                continue
            sugg = _adapt(dm.text, m.text, m.start in sentence_starts)
            if majority:
                msg = _(
                    "{found} here, but this article mostly writes {name} "
                    "({n}×, first at line {line}): write the name one way"
                ).format(found=_quote(m.text), name=_quote(dm.text), n=counts[dominant], line=d_line)
            else:
                why = (
                    _("the glossary's form") if dominant == pref_key else _("the first one written")
                )
                msg = _(
                    "{found} here, {name} at line {line} ({n}× each): "
                    "write the name one way ({why} suggested)"
                ).format(found=_quote(m.text), name=_quote(dm.text), line=d_line, n=counts[k], why=why)
            out.consistency.append(
                _mk(
                    "NM502",
                    "consistency",
                    Severity.MINOR,
                    m.start,
                    m.end,
                    msg,
                    sugg,
                    entry=e.preferred,
                    dominant=dm.text if majority else None,
                )
            )

    # -- NM504: Slavic names outside every glossary in an English transcription
    covered: set[tuple[int, int]] = set()
    for m in matches:
        covered.update((m.paragraph, t) for t in range(m.first_token, m.last_token + 1))
    for pi, toks in enumerate(tokens):
        for ti, t in enumerate(toks):
            if (pi, ti) in covered or t.elision:
                continue
            strength = slavic_english(t.text)
            if strength is None:
                continue
            fr = french_transcription(t.text)
            if fr == t.text:
                continue
            sev = Severity.MINOR if strength == "strong" else Severity.INFO
            out.slavic.append(
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


def _redefined_acronyms(doc: Document, matches: list[NameMatch]) -> set[str]:
    """Flagged acronyms that the article defines as something else.

    "L'Institut pour la science et la sécurité internationale (ISIS)" is not the Islamic
    State: an acronym in parentheses whose preceding words share none with its glossary entry
    (forms and note) is the article's own, and none of its occurrences is reported.
    """
    out: set[str] = set()
    for m in matches:
        if m.status != "flag" or not all(is_acronym(t) for t in m.form.tokens):
            continue
        # "(ISIS)", or half of it as machine translation sometimes leaves it: "internationale ISIS)"
        if doc.text[m.start - 1 : m.start] != "(" and doc.text[m.end : m.end + 1] != ")":
            continue
        e = m.entry
        words = {fold(w) for f in e.forms for w in f.tokens} | {
            fold(w) for w in split_tokens(e.note)
        }
        para = doc.paragraphs[m.paragraph]
        # the eight words before it: a bounded window, not the paragraph up to here (quadratic)
        window = doc.text[max(para.start, m.start - 400) : m.start]
        before = [t.key for t in tokenize(window) if not t.elision][-8:]
        if not any(len(w) >= 4 and w in words for w in before):
            out.add(m.text)
    return out


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
        return self.analysis(doc, ctx).transcription


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
        return self.analysis(doc, ctx).consistency


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
        return self.analysis(doc, ctx).house


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
        return self.analysis(doc, ctx).slavic


__all__ = [
    "EnglishTranscription",
    "NameConsistency",
    "HouseStyle",
    "SlavicTranscription",
    "analyse",
]
