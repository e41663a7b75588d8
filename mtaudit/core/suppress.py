"""Suppressions: comments in the article that silence findings, and per-record ignores.

In Markdown, text and HTML inputs::

    <!-- mtaudit: off -->            nothing is reported from here ...
    <!-- mtaudit: on -->             ... to here (or to the end of the text)
    <!-- mtaudit: off EN101 AN2 -->  only these rules (codes or prefixes) are off
    <!-- mtaudit: ignore EN101 -->   these rules (all, without codes) in the next paragraph

The next paragraph runs to the next blank line (in an HTML page, whose extracted text has one
paragraph a line: to the end of the next line). A line holding only such a comment is set aside
from the analysis (listed in ``excluded`` as a ``directive``). In JSONL, a record's
``"ignore": ["EN101", "CV"]`` silences those rules for that record.

Suppressed findings do not count towards the verdict; the scorecard counts them
(``counts.suppressed``) and ``--show-suppressed`` lists them, each with what silenced it.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass

from mtaudit.core.findings import Finding
from mtaudit.text.furniture import Excluded

DIRECTIVE = re.compile(r"<!--\s*mtaudit\s*:\s*(off|on|ignore)\b([^<>]*?)\s*-->", re.IGNORECASE)
_HTML_DIRECTIVE = re.compile(r"<!--\s*(mtaudit\s*:[^<>]*?)\s*-->", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


@dataclass
class Region:
    start: int
    end: int
    codes: tuple[str, ...] | None  # None: every rule
    why: str  # "mtaudit: off (line 3)"

    def covers(self, f: Finding) -> bool:
        return self.start <= f.start < self.end and (
            self.codes is None or any(f.rule.startswith(c) for c in self.codes)
        )


def expose_html(page: str) -> str:
    """Turn the mtaudit comments of an HTML page into text the extraction keeps, so that the
    extracted article text carries them where they were."""
    if "mtaudit" not in page:
        return page
    return _HTML_DIRECTIVE.sub(lambda m: f"<p>&lt;!-- {_html.escape(m.group(1))} --&gt;</p>", page)


def _codes(arg: str, line: int, notes: list[str], known: list[str]) -> tuple[str, ...] | None:
    codes = tuple(c.upper() for c in re.split(r"[\s,]+", arg.strip()) if c)
    for c in codes:
        if not any(k.startswith(c) for k in known):
            notes.append(f"line {line}: unknown rule code {c!r} in an mtaudit comment (ignored)")
    return codes or None


def regions(text: str, kind: str = "text", notes: list[str] | None = None) -> list[Region]:
    """The suppressed regions of ``text``; problems with the comments go to ``notes``."""
    if "mtaudit" not in text:
        return []
    from mtaudit.checks import load_checks

    known = list(load_checks())
    notes = notes if notes is not None else []
    out: list[Region] = []
    open_: list[tuple[int, tuple[str, ...] | None, str]] = []
    for m in DIRECTIVE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        what, arg = m.group(1).lower(), m.group(2)
        if what == "off":
            open_.append((m.end(), _codes(arg, line, notes, known), f"mtaudit: off (line {line})"))
        elif what == "on":
            if not open_:
                notes.append(f"line {line}: 'mtaudit: on' without an 'off' before it")
            for start, codes, why in open_:
                out.append(Region(start, m.start(), codes, why))
            open_ = []
        else:
            codes = _codes(arg, line, notes, known)
            rest = text[m.end() :]
            lead = len(rest) - len(rest.lstrip())
            if kind == "html":
                end = rest.find("\n", lead)
            else:
                b = _BLANK_LINE.search(rest, lead)
                end = b.start() if b else -1
            end = len(text) if end < 0 else m.end() + end
            out.append(Region(m.end(), end, codes, f"mtaudit: ignore (line {line})"))
    for start, codes, why in open_:
        out.append(Region(start, len(text), codes, why))
    return out


def directive_lines(lines: list[tuple[int, int, str]]) -> list[Excluded]:
    """Lines that hold only an mtaudit comment: set aside from the analysis."""
    out = []
    for i, (s, e, t) in enumerate(lines):
        if "mtaudit" in t and DIRECTIVE.fullmatch(t.strip()):
            out.append(Excluded(i + 1, s, e, "directive", "mtaudit suppression comment", t))
    return out


def split(
    findings: list[Finding], text: str, kind: str, ignore: list[str] | None, notes: list[str]
) -> tuple[list[Finding], list[Finding]]:
    """(kept, suppressed) findings. A suppressed finding records what silenced it in
    ``data["suppressed_by"]``."""
    regs = regions(text, kind, notes)
    rec = tuple(c.upper() for c in ignore or ())
    if rec:
        from mtaudit.checks import load_checks

        known = list(load_checks())
        for c in rec:
            if not any(k.startswith(c) for k in known):
                notes.append(f"unknown rule code {c!r} in the record's \"ignore\" (ignored)")
    if not regs and not rec:
        return findings, []
    kept, suppressed = [], []
    for f in findings:
        why = None
        if rec and any(f.rule.startswith(c) for c in rec):
            why = "record ignore"
        else:
            why = next((r.why for r in regs if r.covers(f)), None)
        if why is None:
            kept.append(f)
        else:
            f.data["suppressed_by"] = why
            suppressed.append(f)
    return kept, suppressed
