"""What the parts of the HTML report share: escaping, number reading, severity and verdict
colours, and the page's category classes."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from mtaudit.core.categories import categories
from mtaudit.core.findings import Severity
from mtaudit.core.scorecard import VERDICT_STYLES

SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))  # worst first
VERDICT_COLOURS = {v: s.colour for v, s in VERDICT_STYLES.items()}
# (background, strong) per category come from mtaudit/data/categories.tsv; categories not
# in that table cycle through EXTRA_COLOURS
EXTRA_COLOURS = (("#d8f0ff", "#0b6fa4"), ("#f3e0d0", "#8a4b16"), ("#e0f3d2", "#3f7f1a"))


def esc(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def severity_of(f) -> str:
    s = getattr(f.severity, "value", f.severity)
    s = str(s).lower()
    return s if s in SEVERITIES else "info"


def number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x and abs(x) != float("inf") else None


def fmt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


class PageContext:
    """Per-page state: category classes (k0, k1, ...) in a fixed order."""

    def __init__(self, categories: Sequence[str]):
        self.cats = list(categories)
        self.kidx = {c: i for i, c in enumerate(self.cats)}

    def k(self, category: str) -> int:
        return self.kidx.get(category, 0)

    def colours(self, category: str) -> tuple[str, str]:
        known = categories()
        if category in known:
            return known[category].background, known[category].colour
        extra = [c for c in self.cats if c not in known]
        i = extra.index(category) if category in extra else 0
        return EXTRA_COLOURS[i % len(EXTRA_COLOURS)]
