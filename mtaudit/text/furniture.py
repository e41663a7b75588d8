"""Set page furniture and repeated lines aside before any check runs.

Scraped articles carry navigation, related-story links, comment prompts, widgets, dates,
reading times and teasers of other stories, and titles or captions scraped twice. Each such
line is *excluded*: recorded with its line number, span and reason, never silently dropped.
The patterns live in ``data/furniture.tsv`` so an editor can extend them without Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mtaudit.core.resources import read_rows
from mtaudit.engines.existence import Existence, Pattern, compile_pattern, phrase_pattern
from mtaudit.text.normalise import fold_line as fold

_BULLET = re.compile(r"^[\s•·\-–—*▪►>|]+")


@dataclass(frozen=True)
class Excluded:
    line: int  # 1-based line number
    start: int
    end: int
    kind: str  # navigation, related, social, widget, date, reading-time, comments, duplicate, after-article
    reason: str
    text: str

    def to_dict(self) -> dict:
        return {
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "reason": self.reason,
            "text": self.text,
        }


@lru_cache(maxsize=1)
def furniture_patterns() -> Existence:
    """The patterns of data/furniture.tsv, run by the existence engine: "exact" and "end"
    lines are phrases looked up by their :func:`fold`, "regex" lines regular expressions."""
    patterns = Existence(key=fold)
    regexes: list[Pattern] = []
    for row in read_rows("furniture.tsv", min_cols=3, columns="kind, mode, pattern[, note]"):
        kind, mode, pattern = row[0], row[1], row[2]
        info = {"kind": kind, "mode": mode, "note": row[3] if len(row) > 3 else kind}
        if mode in ("exact", "end"):
            patterns.add_phrase(pattern, phrase_pattern(row.where, info))
        elif mode == "regex":
            regexes.append(compile_pattern(pattern, row.where, flags=re.I, info=info))
        else:
            raise row.error(f"unknown mode {mode!r} (use exact, end or regex)")
    patterns.regexes = tuple(regexes)
    return patterns


def classify_line(line: str) -> Pattern | None:
    """The furniture pattern a line matches (its ``kind``, ``mode`` and ``note``), or None
    for article text."""
    stripped = _BULLET.sub("", line).strip()
    if not stripped:
        return None
    patterns = furniture_patterns()
    hit = patterns.phrase(stripped)
    if hit:
        return hit
    if len(stripped) <= 160:
        return patterns.fullmatch(stripped.rstrip(" .:"), stripped)
    return None


def find_excluded(lines: list[tuple[int, int, str]]) -> list[Excluded]:
    """Decide which lines are not article text.

    ``lines`` holds (start, end, text) per line of the document. Returns the excluded lines in
    document order. Rules, in order: furniture patterns; an end-of-article marker sets every
    later line aside; a line repeating an earlier line (after folding case, accents, quotes and
    punctuation) is a duplicate, and the first occurrence stays.
    """
    out: list[Excluded] = []
    seen: dict[str, int] = {}
    after_article = False
    marker_line = 0
    for idx, (start, end, text) in enumerate(lines):
        lineno = idx + 1
        if not text.strip():
            continue
        if after_article:
            pat = classify_line(text)
            kind = pat.get("kind") if pat else "after-article"
            reason = (
                pat.get("note") if pat else f"after the end of the article (line {marker_line})"
            )
            out.append(Excluded(lineno, start, end, kind, reason, text))
            continue
        pat = classify_line(text)
        if pat is not None:
            out.append(Excluded(lineno, start, end, pat.get("kind"), pat.get("note"), text))
            # an end marker ("Dernier", "À la une") in a menu above the article ends nothing:
            # only one that follows article text does
            if pat.get("mode") == "end" and seen:
                after_article = True
                marker_line = lineno
            continue
        key = fold(text)
        if key in seen:
            out.append(
                Excluded(lineno, start, end, "duplicate", f"repeats line {seen[key]}", text)
            )
            continue
        seen[key] = lineno
    return out
