"""The registry of checks.

A check is a small class with a stable rule code (``EN101``), a name, a category, a default
severity, a docstring that explains the rule with a *Bad:* and a *Good:* example, and a
``run(document, context)`` that returns findings (or a :class:`CheckResult` when it also
produces scores). Checks never change the document. Heavy resources (the language model, lingua,
lexicons) come from the shared :class:`~mtaudit.core.context.Context`, which loads each once, lazily.

Every module in this package is imported by :func:`load_checks`, so adding a check is adding a
module with a class decorated by :func:`register`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from mtaudit.core.findings import Finding, Severity
from mtaudit.core.options import Option
from mtaudit.core.plugins import import_submodules
from mtaudit.core.scorecard import SentenceScore

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


@dataclass
class CheckResult:
    """What a check returns when it does more than find: article ``scores`` (JSON
    ``scores``), per-sentence scores and notes on its scores (typed Scorecard fields)."""

    findings: list[Finding] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    sentences: list[SentenceScore] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Check:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    category: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.MINOR
    # resources the check needs: "lm" checks are skipped with --no-lm
    requires: ClassVar[frozenset[str]] = frozenset()
    # data files (relative to mtaudit/data) whose fingerprints go into the signature
    data_files: ClassVar[tuple[str, ...]] = ()
    # the options it reads from [tool.mtaudit.options.CODE], each declared (name, type,
    # default, doc): anything else there is a configuration error
    options: ClassVar[tuple[Option, ...]] = ()

    def run(self, doc: Document, ctx: Context) -> Iterable[Finding] | CheckResult:  # pragma: no cover
        raise NotImplementedError

    def prepare(self, docs: list[Document], ctx: Context) -> None:
        """Called with the documents about to be audited, before ``run`` is called on each:
        a check may batch expensive work across them here (the language model scores all
        their sentences in one go). It must only warm caches: ``run``'s results must not
        depend on it."""

    # helpers for subclasses -------------------------------------------------------------
    def finding(
        self,
        start: int,
        end: int,
        message: str,
        suggestion: str | None = None,
        severity: Severity | str | None = None,
        category: str | None = None,
        **data: Any,
    ) -> Finding:
        return Finding(
            rule=self.code,
            category=category or self.category,
            severity=Severity.parse(severity) if severity else self.severity,
            start=start,
            end=end,
            message=message,
            suggestion=suggestion,
            data=data,
        )

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n", 1)[0]

    @classmethod
    def to_dict(cls) -> dict[str, Any]:
        """The rule as data: ``mtaudit rules --format json`` and the service's GET /v1/rules."""
        return {
            "code": cls.code,
            "name": cls.name,
            "category": cls.category,
            "severity": cls.severity.value,
            "requires": sorted(cls.requires),
            "doc": cls.doc(),
            "options": [o.to_dict() for o in getattr(cls, "options", ())],
        }


REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    if not cls.code or not cls.category:
        raise TypeError(f"{cls.__name__} needs a code and a category")
    if cls.code in REGISTRY and REGISTRY[cls.code] is not cls:
        raise ValueError(f"rule code {cls.code} registered twice")
    REGISTRY[cls.code] = cls
    return cls


_loaded = False


def load_checks() -> dict[str, type[Check]]:
    """Import every check module once; return the registry sorted by code."""
    global _loaded
    if not _loaded:
        import_submodules(__name__, __path__)
        _loaded = True
    return dict(sorted(REGISTRY.items()))
