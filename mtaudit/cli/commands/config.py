"""`mtaudit config`: the effective configuration and where each value came from.

The configuration is looked up as ``scan`` looks it up: ``--config FILE``, else the nearest
``mtaudit.toml`` or ``pyproject.toml`` with ``[tool.mtaudit]`` walking up from the path given
(or the current directory). Printed as TOML a user can copy, each value followed by its origin.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Annotated

import typer

from mtaudit.cli.options import ConfigOpt, TextJsonOpt
from mtaudit.core.exitcodes import ExitCode


def _toml(value) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if hasattr(value, "value"):  # Severity
        return json.dumps(value.value)
    return json.dumps(value, ensure_ascii=False, default=str)


def effective(cfg) -> list[tuple[str, object, str]]:
    """(key, value, origin) of every setting; tables flattened to dotted keys."""
    from mtaudit.core.config import DEFAULT_THRESHOLDS
    from mtaudit.core.options import declared_options

    rows: list[tuple[str, object, str]] = []
    for f in fields(cfg):
        if f.name in ("source", "origins", "options", "thresholds", "severity"):
            continue
        value = getattr(cfg, f.name)
        origin = cfg.origins.get(f.name, "default")
        if f.name == "select" and not value:
            origin += " (every rule)"
        rows.append((f.name, value, origin))
    for name, default in DEFAULT_THRESHOLDS.items():
        key = f"thresholds.{name}"
        rows.append((key, cfg.thresholds.get(name, default), cfg.origins.get(key, "default")))
    for code, sev in sorted(cfg.severity.items()):
        rows.append((f"severity.{code}", sev, cfg.origins.get(f"severity.{code}", "default")))
    for code, opts in declared_options().items():
        for name, opt in opts.items():
            given = cfg.options.get(code, {})
            if name in given:
                rows.append((f"options.{code}.{name}", given[name], cfg.origins.get(f"options.{code}.{name}", "config")))
            else:
                rows.append((f"options.{code}.{name}", opt.default, "default"))
    return rows


def register(app: typer.Typer) -> None:
    @app.command("config")
    def config_cmd(
        path: Annotated[str | None, typer.Argument(help="Where to look from (a file or directory; default: the current directory).")] = None,
        config: ConfigOpt = None,
        format: TextJsonOpt = "text",
    ) -> None:
        """Print the effective configuration and where each value came from."""
        from mtaudit.core.config import ConfigError, find_config, load_config
        from mtaudit.core.vocabulary import check_vocabulary

        try:
            cfg = load_config(config, cwd=path)
            check_vocabulary(cfg)
        except ConfigError as exc:
            typer.echo(f"mtaudit: {exc}", err=True)
            raise typer.Exit(ExitCode.USAGE) from None
        found = cfg.source or (str(find_config(path)) if config is None and find_config(path) else None)
        rows = effective(cfg)
        if format == "json":
            out = {"file": found, "settings": [{"key": k, "value": v, "origin": o} for k, v, o in rows]}
            typer.echo(json.dumps(out, ensure_ascii=False, indent=1, default=lambda x: getattr(x, "value", str(x))))
            return
        if format != "text":
            typer.echo(f"mtaudit: unknown format {format!r} (text or json)", err=True)
            raise typer.Exit(ExitCode.USAGE)
        typer.echo(f"# configuration file: {found or 'none found (defaults)'}")
        width = max(len(k) + len(_toml(v)) for k, v, _ in rows) + 5
        for k, v, o in rows:
            line = f"{k} = {_toml(v)}" if v is not None else f"# {k} (not set)"
            typer.echo(f"{line:<{width}}# {o}")
