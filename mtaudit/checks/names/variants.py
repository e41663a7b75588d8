"""NM502: one name written two ways in one article (a rule of the consistency engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtaudit.analyses.glossaries import name_particles
from mtaudit.checks import register
from mtaudit.checks.names.common import NamesBase, adapt, mk, quote, sentence_start_offsets
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _
from mtaudit.engines.consistency import find_inconsistency
from mtaudit.text.normalise import DOCUMENT_APOSTROPHES, straighten

if TYPE_CHECKING:
    from mtaudit.analyses.name_matches import NameMatches
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


# kinds whose forms are compared within an article (a given name is shared by many people)
_CONSISTENT_KINDS = frozenset({"person", "place", "organisation", "media"})


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
    sentence_starts = sentence_start_offsets(doc)
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
                name=quote(v.first.text), n=v.count, line=doc.line_col(v.first.start)[0]
            )
            for v in inc.others
        )
        out.append(
            mk(
                "NM502",
                "consistency",
                Severity.INFO,
                dm.start,
                dm.end,
                _(
                    "{name} ({n}×) is also written {where} in this article: write the name one way"
                ).format(name=quote(dm.text), n=inc.dominant.count, where=where),
                None,
                entry=e.preferred,
                dominant=dominant_text,
            )
        )
        for m, variant in inc.deviations:
            sugg = adapt(dm.text, m.text, m.start in sentence_starts)
            if inc.majority:
                msg = _(
                    "{found} here, but this article mostly writes {name} "
                    "({n}×, first at line {line}): write the name one way"
                ).format(
                    found=quote(m.text), name=quote(dm.text), n=inc.dominant.count, line=d_line
                )
            else:
                why = _("the glossary's form") if inc.preferred else _("the first one written")
                msg = _(
                    "{found} here, {name} at line {line} ({n}× each): "
                    "write the name one way ({why} suggested)"
                ).format(
                    found=quote(m.text),
                    name=quote(dm.text),
                    line=d_line,
                    n=variant.count,
                    why=why,
                )
            out.append(
                mk(
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


@register
class NameConsistency(NamesBase):
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
