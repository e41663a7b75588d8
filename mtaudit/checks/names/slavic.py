"""NM504: a Slavic name outside the glossaries, transcribed the English way."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtaudit.analyses.slavic_names import french_transcription, slavic_english
from mtaudit.checks import register
from mtaudit.checks.names.common import NamesBase, mk, quote
from mtaudit.core.findings import Finding, Severity
from mtaudit.core.i18n import _

if TYPE_CHECKING:
    from mtaudit.analyses.name_matches import NameMatches
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


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
            mk(
                "NM504",
                "name",
                sev,
                t.start,
                t.end,
                _(
                    "{found} looks like an English transcription of a Slavic name; French "
                    "would write {name} (not in the glossaries: check the usual spelling)"
                ).format(found=quote(t.text), name=quote(fr)),
                fr,
            )
        )
    return out


@register
class SlavicTranscription(NamesBase):
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
