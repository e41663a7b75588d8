"""Command-line options shared by `scan` and the sub-commands (one definition each)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

ConfigOpt = Annotated[
    str | None, typer.Option("--config", help="A mtaudit.toml or pyproject.toml.")
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="A local Hugging Face causal-LM directory or hub id."),
]
AllowNetworkOpt = Annotated[
    bool, typer.Option("--allow-network", help="Let transformers fetch a hub model.")
]
TextJsonOpt = Annotated[str, typer.Option("--format", "-f", help="text or json")]


class Format(str, Enum):
    """``--format`` of ``scan`` and ``rules``."""

    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    concise = "concise"
    github = "github"
    rdjson = "rdjson"
    sarif = "sarif"
