"""``glossary lint``: malformed lines, duplicates, conflicts and overrides, each with file:line."""

from __future__ import annotations

from collections.abc import Sequence

from mtaudit.analyses.glossaries.entries import GlossaryError, GlossaryForm, GlossaryProblem
from mtaudit.analyses.glossaries.parser import parse_glossary


def lint_glossaries(paths: Sequence[tuple[str, bool]]) -> list[GlossaryProblem]:
    """Malformed lines, duplicates and conflicts, each with file:line."""
    problems: list[GlossaryProblem] = []
    seen: dict[
        tuple[str, ...], list[tuple[GlossaryForm, str]]
    ] = {}  # key -> forms of earlier entries
    for path, house in paths:
        try:
            entries, probs = parse_glossary(path, house)
        except GlossaryError as exc:
            problems.append(GlossaryProblem(path, 0, str(exc).split(": ", 1)[-1]))
            continue
        problems.extend(probs)
        here: dict[tuple[str, ...], list[GlossaryForm]] = {}
        for e in entries:
            # within the entry: a form both accepted and flagged
            by_spelling: dict[str, GlossaryForm] = {}
            for f in e.forms:
                prev = by_spelling.get(f.spelling)
                if prev is not None and (prev.status == "flag") != (f.status == "flag"):
                    problems.append(
                        GlossaryProblem(
                            path,
                            e.line,
                            f"{f.text!r} is both accepted and flagged in the entry {e.preferred!r}",
                        )
                    )
                by_spelling.setdefault(f.spelling, f)
            reported: set[int] = set()
            for f in e.forms:
                for other in here.get(f.key, ()):
                    o = other.entry
                    if o is e or id(o) in reported:
                        continue
                    same_spelling = [g for g in o.forms if g.spelling == f.spelling]
                    if not same_spelling:
                        continue  # Hanoï vs Hanoi: told apart by the accents
                    g = same_spelling[0]
                    reported.add(id(o))
                    if f.status == "preferred" and g.status == "preferred":
                        problems.append(
                            GlossaryProblem(
                                path,
                                e.line,
                                f"duplicate entry {e.preferred!r} (also at line {o.line})",
                            )
                        )
                    elif f.status == "flag" and g.status != "flag":
                        problems.append(
                            GlossaryProblem(
                                path,
                                e.line,
                                f"flagged form {f.text!r} is the {g.status} form of {o.preferred!r} (line {o.line})",
                            )
                        )
                    elif g.status == "flag" and f.status != "flag":
                        problems.append(
                            GlossaryProblem(
                                path,
                                e.line,
                                f"{f.status} form {f.text!r} is flagged by {o.preferred!r} (line {o.line})",
                            )
                        )
                    else:
                        problems.append(
                            GlossaryProblem(
                                path,
                                e.line,
                                f"form {f.text!r} also belongs to {o.preferred!r} (line {o.line}): which entry is meant?",
                            )
                        )
            for f in e.forms:
                here.setdefault(f.key, []).append(f)
        # across files: a later (house) glossary overrides earlier entries: say so
        for e in entries:
            told: set[int] = set()
            for f in e.forms:
                for g, gpath in seen.get(f.key, ()):
                    if id(g.entry) in told:
                        continue
                    told.add(id(g.entry))
                    problems.append(
                        GlossaryProblem(
                            path,
                            e.line,
                            f"overrides {g.entry.preferred!r} of {gpath}:{g.entry.line}",
                            "info",
                        )
                    )
        for key, forms in here.items():
            seen.setdefault(key, []).extend((f, path) for f in forms)
    return problems
