"""The finding categories: one table (``mtaudit/data/categories.tsv``) that every consumer reads.

The JSON contract (:data:`mtaudit.core.findings.CATEGORIES`), the order of the text and HTML
reports, the HTML colours, the likelihood's features and the words of its reasons, and the
LanguageTool categories of ``mtaudit serve`` all come from here, so a category is added or
renamed in one row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mtaudit.core.resources import read_rows

CATEGORIES_FILE = "categories.tsv"
_COLUMNS = "category, order, background, colour, reason_one, reason_many, lt_id, lt_name, lt_issue"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Category:
    code: str  # the category of the JSON contract ("english")
    order: int  # place in the reports
    background: str  # HTML highlight colour
    colour: str  # HTML strong colour (underline, label)
    reason_one: str  # a likelihood reason for one finding ("English word left")
    reason_many: str  # … for several ("English words left")
    lt_id: str  # LanguageTool category id ("ENGLISH")
    lt_name: str  # LanguageTool category name
    lt_issue: str  # LanguageTool issueType

    @property
    def reason_words(self) -> tuple[str, str]:
        return self.reason_one, self.reason_many


@cache
def categories() -> dict[str, Category]:
    """code -> Category, in report order (mtaudit/data/categories.tsv, read once)."""
    return load_categories(CATEGORIES_FILE)


def load_categories(name_or_path: str | Path) -> dict[str, Category]:
    """code -> Category of a category table, in report order; a malformed row raises
    :class:`~mtaudit.core.resources.ResourceFormatError` naming file:line."""
    rows = read_rows(name_or_path, min_cols=9, max_cols=9, header=True, columns=_COLUMNS)
    out: dict[str, Category] = {}
    for row in rows:
        code, order, bg, fg, one, many, lt_id, lt_name, lt_issue = row.cols
        if not code or not lt_id:
            raise row.error("category and lt_id must not be empty")
        if code in out:
            raise row.error(f"category {code!r} listed twice")
        if not order.isdigit():
            raise row.error(f"order must be a whole number, not {order!r}")
        for c in (bg, fg):
            if not _COLOUR.fullmatch(c):
                raise row.error(f"colour {c!r} is not #rrggbb")
        out[code] = Category(code, int(order), bg, fg, one, many, lt_id.upper(), lt_name, lt_issue or "other")
    return dict(sorted(out.items(), key=lambda kv: (kv[1].order, kv[0])))


def category_codes() -> tuple[str, ...]:
    """The categories of the table, in report order."""
    return tuple(categories())


def report_order(present) -> list[str]:
    """The categories ``present`` in report order: the table's first, then others by name."""
    present = set(present)
    known = [c for c in categories() if c in present]
    return known + sorted(c for c in present if c not in categories())
