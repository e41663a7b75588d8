"""Reading one glossary file (format in ``glossaries/README.md``) into entries."""

from __future__ import annotations

from pathlib import Path

from mtaudit.analyses.glossaries.entries import (
    COLUMNS,
    KINDS,
    GlossaryEntry,
    GlossaryError,
    GlossaryForm,
    GlossaryProblem,
)
from mtaudit.analyses.glossaries.spelling import fold, spell, split_tokens
from mtaudit.core.findings import Severity


def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def parse_glossary(
    path: str | Path, house: bool = False
) -> tuple[list[GlossaryEntry], list[GlossaryProblem]]:
    """Read one glossary file; return its entries and the problems of malformed lines."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{p}: glossary file not found") from None
    except OSError as exc:
        raise GlossaryError(f"{p}: cannot read glossary ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    entries: list[GlossaryEntry] = []
    problems: list[GlossaryProblem] = []
    src = str(p)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > len(COLUMNS):
            problems.append(
                GlossaryProblem(
                    src,
                    n,
                    f"{len(cells)} columns, at most {len(COLUMNS)} ({', '.join(COLUMNS)}); are there tabs in the note?",
                )
            )
            continue
        cells += [""] * (len(COLUMNS) - len(cells))
        preferred, also, flag, kind, origin, severity, note = cells
        if not preferred:
            problems.append(GlossaryProblem(src, n, "empty preferred form (first column)"))
            continue
        if "|" in preferred:
            problems.append(
                GlossaryProblem(
                    src,
                    n,
                    f"preferred form {preferred!r} holds '|': put other forms in the also or flag column",
                )
            )
            continue
        kind = kind.lower()  # empty: taken from the entry it overrides, else "person"
        if kind and kind not in KINDS:
            problems.append(
                GlossaryProblem(src, n, f"unknown kind {kind!r} (use one of: {', '.join(KINDS)})")
            )
            continue
        sev = None
        if severity:
            try:
                sev = Severity.parse(severity)
            except ValueError as exc:
                problems.append(GlossaryProblem(src, n, str(exc)))
                continue
        forms = [preferred, *_split_list(also), *_split_list(flag)]
        bad = [f for f in forms if not split_tokens(f)]
        if bad:
            problems.append(GlossaryProblem(src, n, f"form {bad[0]!r} has no letters"))
            continue
        e = GlossaryEntry(
            preferred,
            _split_list(also),
            _split_list(flag),
            kind,
            origin.lower(),
            sev,
            note,
            src,
            n,
            house,
        )
        for text_, status in (
            [(preferred, "preferred")]
            + [(a, "also") for a in e.also]
            + [(f, "flag") for f in e.flag]
        ):
            toks = tuple(split_tokens(text_))
            e.forms.append(
                GlossaryForm(
                    text_,
                    status,
                    e,
                    tuple(fold(t) for t in toks),
                    " ".join(spell(t) for t in toks),
                    toks,
                )
            )
        entries.append(e)
    return entries, problems
