"""The `mtaudit` command line: a thin typer layer on the library (``mtaudit.cli.app``).

``main`` is the console script; ``python -m mtaudit.cli`` runs it too."""

from mtaudit.cli.app import app, main

__all__ = ["app", "main"]
