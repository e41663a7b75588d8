"""The glossary data model: entries, their forms, and the problems a file can have."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtaudit.core.findings import Severity
from mtaudit.text.normalise import strip_accents

KINDS = ("person", "given-name", "place", "organisation", "media", "title")
COLUMNS = ("preferred", "also", "flag", "kind", "origin", "severity", "note")


class GlossaryError(ValueError):
    """A glossary file that cannot be used: missing, unreadable or malformed (file:line)."""


@dataclass(eq=False)
class GlossaryEntry:
    """One line of a glossary: a name's preferred form, other accepted ones, forms to flag."""

    preferred: str
    also: tuple[str, ...] = ()
    flag: tuple[str, ...] = ()
    kind: str = "person"
    origin: str = ""
    severity: Severity | None = None
    note: str = ""
    source: str = ""  # file path
    line: int = 0
    house: bool = False
    forms: list[GlossaryForm] = field(default_factory=list)

    @property
    def source_name(self) -> str:
        return Path(self.source).name if self.source else "<glossary>"

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def flag_severity(self) -> Severity:
        return self.severity or Severity.MINOR

    def to_dict(self) -> dict:
        return {
            "preferred": self.preferred,
            "also": list(self.also),
            "flag": list(self.flag),
            "kind": self.kind,
            "origin": self.origin,
            "severity": self.severity.value if self.severity else None,
            "note": self.note,
            "source": self.source,
            "line": self.line,
            "house": self.house,
        }


@dataclass(eq=False)
class GlossaryForm:
    """One form of an entry (preferred, also or flag), with its matching key and spelling."""

    text: str
    status: str  # "preferred" | "also" | "flag"
    entry: GlossaryEntry
    key: tuple[str, ...]
    spelling: str
    tokens: tuple[str, ...]
    # a flagged form of a house entry is an English transcription (NM501) when the default
    # glossary flags it too; otherwise it is a deviation from the house style (NM503)
    english: bool = True

    @property
    def stripped(self) -> str:
        return strip_accents(self.spelling)


@dataclass
class GlossaryProblem:
    """What is wrong with a glossary line (``glossary lint``), as ``file:line: level: message``."""

    path: str
    line: int
    message: str
    level: str = "error"  # "error" | "warning" | "info"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"
