"""Declared analyses: shared work on one document, computed once and read by the checks.

An analysis is a class with a ``name`` (how checks ask for it), ``provides`` (one line: what
its result is), ``requires`` (the names of the analyses it reads, computed before it) and a
``run(doc, ctx)`` that returns the result. It is registered with :func:`register_analysis`,
in any module of the ``mtaudit.analyses`` package (every module there is imported on the
first request, so adding an analysis is adding a module: no list to edit)::

    @register_analysis
    class Quotations(Analysis):
        name = "quotations"
        provides = "the spans of the document's quotations, in order"

        def run(self, doc, ctx):
            return [...]

A check reads it with ``doc.analysis(ctx, "quotations")``: the first call computes it, later
calls (by any check, for this document and this configuration) return the same object. The
result belongs to the document: it is dropped with it (``Document.release``). An analysis must
not change the document, and its result must depend only on the document and the
configuration (``ctx.config``, ``ctx.options(code)``, resources from ``ctx.resource``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from mtaudit.core.plugins import import_submodules

if TYPE_CHECKING:
    from mtaudit.core.context import Context
    from mtaudit.core.document import Document


class AnalysisError(LookupError):
    """An unknown analysis, an unknown requirement or a cycle of requirements."""


class Analysis:
    name: ClassVar[str] = ""
    provides: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()

    def run(self, doc: Document, ctx: Context) -> Any:  # pragma: no cover
        raise NotImplementedError


ANALYSES: dict[str, Analysis] = {}

_loaded = False
_load_lock = threading.Lock()


def register_analysis(cls: type[Analysis]) -> type[Analysis]:
    if not cls.name or not cls.provides:
        raise TypeError(f"{cls.__name__} needs a name and a 'provides' line")
    old = ANALYSES.get(cls.name)
    if old is not None and type(old) is not cls:
        raise ValueError(f"analysis {cls.name!r} registered twice ({type(old).__name__}, {cls.__name__})")
    ANALYSES[cls.name] = cls()
    return cls


def load_analyses() -> dict[str, Analysis]:
    """Import every module of mtaudit.analyses once; check that every requirement exists."""
    global _loaded
    if not _loaded:
        with _load_lock:
            if not _loaded:
                import mtaudit.analyses as pkg

                import_submodules(pkg.__name__, pkg.__path__)
                for a in ANALYSES.values():
                    missing = [r for r in a.requires if r not in ANALYSES]
                    if missing:
                        raise AnalysisError(f"analysis {a.name!r} requires unknown {missing}")
                _loaded = True
    return dict(sorted(ANALYSES.items()))


_RUNNING = object()


def compute(doc: Document, ctx: Context, name: str) -> Any:
    """The result of analysis ``name`` on ``doc`` under ``ctx``'s configuration, computed
    once (its requirements first). What ``Document.analysis`` calls."""
    store: dict = doc.__dict__.setdefault("_analyses", {})
    key = (name, ctx.key)
    value = store.get(key)
    if value is _RUNNING:
        raise AnalysisError(f"analysis {name!r} requires itself (a cycle of requirements)")
    if value is not None or key in store:
        return value
    if not _loaded:
        load_analyses()
    analysis = ANALYSES.get(name)
    if analysis is None:
        known = ", ".join(sorted(ANALYSES)) or "none"
        raise AnalysisError(f"unknown analysis {name!r} (known: {known})")
    store[key] = _RUNNING
    try:
        for req in analysis.requires:
            compute(doc, ctx, req)
        value = analysis.run(doc, ctx)
    except BaseException:
        store.pop(key, None)  # not cached: the next check asks again (and reports the error)
        raise
    store[key] = value
    return value
