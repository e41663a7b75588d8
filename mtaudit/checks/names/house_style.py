"""NM503: a name spelled otherwise than the house glossary says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtaudit.analyses.name_matches import HOUSE
from mtaudit.checks import register
from mtaudit.checks.names.common import NamesBase, adapt, mk, quote, sentence_start_offsets
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.analyses.name_matches import NameMatches
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


def house_style_findings(doc: Document, nm: NameMatches) -> list[Finding]:
    """NM503: forms the house glossary flags that are not English transcriptions."""
    sentence_starts = sentence_start_offsets(doc)
    out: list[Finding] = []
    for group in nm.flagged:
        if group.kind != HOUSE:
            continue
        first = group.first
        e = first.entry
        start, end = group.start, group.end
        surface = doc.text[start:end]
        sugg = adapt(
            " ".join(m.entry.preferred for m in group.matches), surface, start in sentence_starts
        )
        sev = max((m.entry.flag_severity() for m in group.matches), key=lambda s: s.rank)
        msg = _("House style ({glossary}) writes {name}, not {found}").format(
            glossary=e.source_name, name=quote(e.preferred), found=quote(surface)
        )
        out.append(
            mk(
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


@register
class HouseStyle(NamesBase):
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
