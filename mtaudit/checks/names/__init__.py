"""NM5xx: names against the glossaries (transcription, consistency, house style, Slavic names).

The glossary matches are one declared analysis per document (``names``, in
:mod:`mtaudit.analyses.name_matches`); each rule is a module with its check and the function
that turns its part of the matches into findings:

* ``transcription``: NM501, English transcriptions (Putin for Poutine);
* ``variants``: NM502, one name written two ways (the consistency engine,
  :mod:`mtaudit.engines.consistency`);
* ``house_style``: NM503, deviations from a house glossary;
* ``slavic``: NM504, Slavic names outside the glossaries spelled the English way;
* ``common``: what they share (the glossaries in the signature, wording).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtaudit.analyses.name_matches import match_names
from mtaudit.checks.names.house_style import HouseStyle, house_style_findings
from mtaudit.checks.names.slavic import SlavicTranscription, slavic_findings
from mtaudit.checks.names.transcription import EnglishTranscription, transcription_findings
from mtaudit.checks.names.variants import NameConsistency, consistency_findings
from mtaudit.core.findings import Finding

if TYPE_CHECKING:
    from mtaudit.analyses.glossaries import Glossary
    from mtaudit.core.document import Document


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


__all__ = [
    "EnglishTranscription",
    "HouseStyle",
    "NameConsistency",
    "NameFindings",
    "SlavicTranscription",
    "analyse",
    "consistency_findings",
    "house_style_findings",
    "slavic_findings",
    "transcription_findings",
]
