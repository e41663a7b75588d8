"""What the NM5xx rules share: the glossaries in the signature, the ``names`` analysis, wording."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtaudit.analyses.glossaries import glossary_signature, load_glossary
from mtaudit.analyses.glossaries.spelling import PARTICLES_FILE
from mtaudit.analyses.slavic_names import RULES_FILE as SLAVIC_RULES_FILE
from mtaudit.checks import Check
from mtaudit.core.findings import Finding

if TYPE_CHECKING:
    from mtaudit.analyses.name_matches import NameMatches
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


class NamesBase(Check):
    """Shared machinery of the NM5xx rules (not a rule itself)."""

    # the glossaries (default and house) are fingerprinted by signature_parts
    data_files = (PARTICLES_FILE, SLAVIC_RULES_FILE)

    @classmethod
    def signature_parts(cls, config) -> dict:
        # loading here validates house glossaries when the auditor starts (a clear error, once)
        load_glossary(config=config)
        return {"glossaries": glossary_signature(config)}

    @staticmethod
    def analysis(doc: Document, ctx: Context) -> NameMatches:
        """The ``names`` analysis (mtaudit.analyses.name_matches), shared by the NM5xx rules."""
        return doc.analysis(ctx, "names")


def quote(s: str) -> str:
    return f"‘{s}’"


def adapt(suggestion: str, surface: str, sentence_start: bool) -> str:
    """Give the suggestion the case of what it replaces (capitals, sentence start)."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return suggestion.upper()
    if sentence_start and suggestion[:1].islower():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def mk(rule, category, severity, start, end, message, suggestion, **data) -> Finding:
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


def sentence_start_offsets(doc: Document) -> set[int]:
    return {s.start for s in doc.sentences}
