"""Findings: what a check reports, a span of the article text with a rule and a fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from mtaudit.core.categories import category_codes


class Severity(str, Enum):
    """How much a finding matters. Ordered: info < minor < major < critical."""

    INFO = "info"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {value!r} (use one of: {', '.join(s.value for s in cls)})"
            ) from None


_RANK = {Severity.INFO: 0, Severity.MINOR: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}

# The categories of the JSON contract, in report order (mtaudit/data/categories.tsv).
# Checks may add their own.
CATEGORIES = category_codes()


@dataclass
class Finding:
    """One problem: a rule fired on text[start:end].

    Checks fill rule, category, severity, start, end, message and suggestion; the pipeline
    fills text, line and column from the document, so a check cannot get them wrong.
    """

    rule: str
    category: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str | None = None
    text: str = ""
    line: int = 0
    column: int = 0
    data: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "suggestion": self.suggestion,
        }
        if self.data:
            out["data"] = self.data
        return out
