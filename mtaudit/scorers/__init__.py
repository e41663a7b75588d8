"""Article-level scorers: they run after every check and turn findings and check scores into
article scores (for example the translated-from-English likelihood).

A scorer is a function ``(doc, findings, scores, ctx) -> dict`` registered with
:func:`register_scorer`; its keys are merged into ``scorecard.scores``. Every module of this
package is imported by :func:`load_scorers`. Scorers may also return ``"reasons"``: a list of
short sentences for the editor, merged into the scorecard's reasons.
"""

from __future__ import annotations

from collections.abc import Callable

from mtaudit.core.plugins import import_submodules

SCORERS: list[tuple[str, Callable]] = []
_loaded = False


def register_scorer(name: str, data_files: tuple[str, ...] = ()):
    """Register a scorer; ``data_files`` (under mtaudit/data) are fingerprinted in the signature."""

    def deco(fn: Callable) -> Callable:
        fn.data_files = data_files
        SCORERS.append((name, fn))
        return fn

    return deco


def load_scorers() -> list[tuple[str, Callable]]:
    global _loaded
    if not _loaded:
        import_submodules(__name__, __path__)
        _loaded = True
    return sorted(SCORERS, key=lambda s: s[0])
