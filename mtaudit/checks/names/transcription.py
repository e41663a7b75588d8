"""NM501: a name in its English transcription (or without the accents of its French form)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mtaudit.analyses.name_matches import ENGLISH
from mtaudit.checks import register
from mtaudit.checks.names.common import NamesBase, adapt, mk, quote, sentence_start_offsets
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.analyses.name_matches import NameMatches
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


def transcription_findings(doc: Document, nm: NameMatches) -> list[Finding]:
    """NM501: English transcriptions (and French forms without their accents)."""
    sentence_starts = sentence_start_offsets(doc)
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
            name=quote(best), n=n, line=line
        )
        return said[key]

    out: list[Finding] = []
    noted: set[int] = set()  # entries whose note was given once already (house groups count)
    for group in nm.flagged:
        first = group.first
        e = first.entry
        start, end = group.start, group.end
        surface = doc.text[start:end]
        sugg = adapt(
            " ".join(m.entry.preferred for m in group.matches), surface, start in sentence_starts
        )
        sev = max((m.entry.flag_severity() for m in group.matches), key=lambda s: s.rank)
        note = f" ({e.note})" if e.note and len(group.matches) == 1 and id(e) not in noted else ""
        noted.add(id(e))
        if group.kind != ENGLISH:
            continue
        if first.status == "accents":
            msg = _("{found} lacks the accents of the French form {name}").format(
                found=quote(surface), name=quote(e.preferred)
            ) + elsewhere(first)
            sev = Severity.MINOR
        else:
            what = (
                _("English transcription {found}: French writes {name}")
                if e.kind not in ("organisation", "media", "title")
                else _("English name {found}: French writes {name}")
            )
            msg = what.format(found=quote(surface), name=quote(sugg)) + note
            if len(group.matches) == 1:
                msg += elsewhere(first)
            if e.house:
                msg += _(" [house glossary {glossary}]").format(glossary=e.source_name)
        out.append(
            mk(
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


@register
class EnglishTranscription(NamesBase):
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
