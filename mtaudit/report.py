"""Reports: human text (rich), JSON, JSONL. The HTML report lives in report_html.py."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import __version__
from .findings import CATEGORIES
from .inputs import InputError
from .scorecard import Scorecard

SEVERITY_STYLE = {"critical": "bold white on red", "major": "bold red", "minor": "yellow", "info": "cyan"}
VERDICT_STYLE = {"pass": "bold green", "warn": "bold yellow", "fail": "bold red", "skipped": "dim"}


def dumps(obj: Any) -> str:
    """Deterministic JSON: same input and configuration give byte-identical output."""
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=False)


def report_dict(cards: list[Scorecard], errors: list[InputError], signature: str, include_text: bool = False, show_suppressed: bool = False) -> dict:
    verdicts: dict[str, int] = {}
    for c in cards:
        verdicts[c.verdict] = verdicts.get(c.verdict, 0) + 1
    return {
        "mtaudit": __version__,
        "signature": signature,
        "summary": {"articles": len(cards), "errors": len(errors), "verdicts": dict(sorted(verdicts.items()))},
        "articles": [c.to_dict(include_text, show_suppressed) for c in cards],
        "errors": [e.to_dict() for e in errors],
    }


def jsonl_line(obj: Scorecard | InputError, include_text: bool = False, show_suppressed: bool = False) -> str:
    """One JSONL line: a scorecard, or an error record of the same shape as in the JSON
    report's ``errors`` ({"source", "message"}; it has no ``verdict``)."""
    if isinstance(obj, InputError):
        return json.dumps(obj.to_dict(), ensure_ascii=False)
    return json.dumps(obj.to_dict(include_text, show_suppressed), ensure_ascii=False)


class AtomicWriter:
    """Write to a temporary file beside the target; rename into place only on success."""

    def __init__(self, path: str):
        self.path = path
        d = os.path.dirname(os.path.abspath(path)) or "."
        fd, self.tmp = tempfile.mkstemp(prefix=".mtaudit-", suffix=".tmp", dir=d)
        self.fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def __enter__(self) -> IO[str]:
        return self.fh

    def __exit__(self, exc_type, exc, tb) -> None:
        self.fh.close()
        if exc_type is None:
            # mkstemp makes the file private; give the report the usual umask permissions
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)
            os.replace(self.tmp, self.path)
        else:
            os.unlink(self.tmp)


def _snippet(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_card(console: Console, card: Scorecard, verbose: bool = False, show_suppressed: bool = False) -> None:
    head = Text()
    head.append(card.source, style="bold")
    head.append("  ")
    head.append(card.verdict.upper(), style=VERDICT_STYLE.get(card.verdict, ""))
    s = card.scores
    n_words = s.get("words", 0)
    bits = [f"{n_words} word{'' if n_words == 1 else 's'}", f"lang {card.language}"]
    if s.get("translated_from_english") is not None:
        bits.append(f"from English {s['translated_from_english']:.2f}")
    if s.get("fluency") is not None:
        bits.append(f"fluency {s['fluency']:.0f}/100")
    head.append("  (" + ", ".join(bits) + ")", style="dim")
    console.print(head)
    for r in card.reasons:
        console.print(f"  • {r}", style="dim")
    by_cat: dict[str, list] = {}
    for f in card.findings:
        by_cat.setdefault(f.category, []).append(f)
    order = [c for c in CATEGORIES if c in by_cat] + sorted(c for c in by_cat if c not in CATEGORIES)
    for cat in order:
        console.print(Text(f"  {cat}", style="bold underline"))
        for f in by_cat[cat]:
            line = Text("    ")
            line.append(f"{card.source}:{f.line}:{f.column}", style="dim")
            line.append(f" {f.rule} ", style="bold")
            line.append(f"{f.severity.value:<8}", style=SEVERITY_STYLE.get(f.severity.value, ""))
            line.append(f" «{_snippet(f.text)}» ", style="bold")
            line.append(f.message)
            if f.suggestion:
                line.append(" → ", style="dim")
                line.append(f.suggestion, style="green")
            console.print(line)
    if card.suppressed:
        n = len(card.suppressed)
        if show_suppressed:
            console.print(Text(f"  suppressed ({n} finding{'s' if n > 1 else ''})", style="dim underline"))
            for f in card.suppressed:
                console.print(Text(f"    {card.source}:{f.line}:{f.column} {f.rule} {f.severity.value} «{_snippet(f.text)}» ({f.data.get('suppressed_by', '')})", style="dim"))
        else:
            console.print(Text(f"  {n} finding{'s' if n > 1 else ''} suppressed (--show-suppressed lists {'them' if n > 1 else 'it'})", style="dim"))
    if verbose and card.excluded:
        n = len(card.excluded)
        console.print(Text(f"  excluded ({n} line{'s' if n > 1 else ''})", style="dim underline"))
        for e in card.excluded:
            console.print(Text(f"    {card.source}:{e.line} [{e.kind}] {_snippet(e.text)}", style="dim"))
    elif card.excluded:
        n = len(card.excluded)
        console.print(Text(f"  {n} line{'s' if n > 1 else ''} set aside as page furniture, repeats or mtaudit comments (-v lists {'them' if n > 1 else 'it'})", style="dim"))
    console.print()


def summary_table(cards: Iterable[Scorecard]) -> Table:
    t = Table(title="mtaudit summary", show_lines=False)
    t.add_column("article")
    t.add_column("verdict")
    t.add_column("from EN", justify="right")
    t.add_column("fluency", justify="right")
    for c in ("major", "minor"):
        t.add_column(c, justify="right")
    t.add_column("top categories")
    for card in cards:
        sev = card.counts["severity"]
        cats = sorted(card.counts["category"].items(), key=lambda kv: -kv[1])[:3]
        lik = card.scores.get("translated_from_english")
        flu = card.scores.get("fluency")
        t.add_row(
            card.source,
            Text(card.verdict, style=VERDICT_STYLE.get(card.verdict, "")),
            "" if lik is None else f"{lik:.2f}",
            "" if flu is None else f"{flu:.0f}",
            str(sev["major"] + sev["critical"]),
            str(sev["minor"]),
            ", ".join(f"{k} {v}" for k, v in cats),
        )
    return t
