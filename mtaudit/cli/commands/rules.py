"""`mtaudit rules [CODE]`: the rule table, one rule's documentation, or what the scores mean."""

from __future__ import annotations

from typing import Annotated

import typer

from mtaudit.cli.common import err
from mtaudit.cli.options import Format
from mtaudit.core.exitcodes import ExitCode

PRIORITY = 1  # second in `mtaudit --help`, after scan


def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code: explain that rule.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """List the rules, or explain one (`mtaudit rules EN101`)."""
    import json

    from rich.console import Console
    from rich.table import Table

    from mtaudit.checks import load_checks

    registry = load_checks()
    console = Console(highlight=False)
    if code and code.lower() == "scores":  # the two likelihoods: what they mean, their limits
        from mtaudit.scorers.likelihood import SCORES_HELP

        if format == Format.json:
            typer.echo(json.dumps(SCORES_HELP, ensure_ascii=False, indent=1))
            return
        for name, text in SCORES_HELP.items():
            console.print(name, style="bold")
            console.print(text)
            console.print()
        return
    if code:
        cls = registry.get(code.upper())
        if cls is None:
            err(f"unknown rule {code!r}; `mtaudit rules` lists them")
            raise typer.Exit(ExitCode.USAGE)
        if format == Format.json:
            typer.echo(json.dumps(cls.to_dict(), ensure_ascii=False, indent=1))
            return
        console.print(f"{cls.code} {cls.name}", style="bold")
        console.print(f"category: {cls.category}   default severity: {cls.severity.value}" + (f"   needs: {', '.join(sorted(cls.requires))}" if cls.requires else ""))
        console.print()
        console.print(cls.doc())
        if getattr(cls, "options", ()):
            console.print()
            console.print(f"options ([tool.mtaudit.options.{cls.code}]):")
            for o in cls.options:
                console.print(f"  {o.name} ({o.type}, default {o.default!r}): {o.doc}")
        return
    if format == Format.json:
        typer.echo(json.dumps([c.to_dict() for c in registry.values()], ensure_ascii=False, indent=1))
        return
    t = Table(show_header=True, box=None, pad_edge=False)
    for col in ("code", "name", "category", "severity"):
        t.add_column(col, no_wrap=True)
    t.add_column("summary", ratio=1)
    for cls in registry.values():
        t.add_row(cls.code, cls.name, cls.category, cls.severity.value, cls.summary())
    console.print(t)
    console.print(
        "\nScores translated_from_english and machine_translated: `mtaudit rules scores`."
    )


def register(app: typer.Typer) -> None:
    app.command()(rules)
