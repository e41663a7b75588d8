"""What every command shares: the one-line error, the run's configuration from the command
line, a quiet stop when the reader of standard output goes away."""

from __future__ import annotations

import sys

import typer

from mtaudit.core.exitcodes import ExitCode


def err(msg: str) -> None:
    """One line on stderr, never wrapped: pipelines grep these."""
    typer.secho(f"mtaudit: {msg}", fg="red", err=True)


def build_config(
    config_path: str | None,
    no_lm: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    glossary: list[str] | None = None,
    model: str | None = None,
    keep_boilerplate: bool = False,
    max_size_mb: float | None = None,
    language_backend: str | None = None,
    allow_network: bool = False,
    start: str | None = None,
    lang: str | None = None,
):
    """The configuration with the command line's overrides
    (:func:`mtaudit.core.config_merge.merged_config`); a bad value is one line, exit 2."""
    from mtaudit.core.config import ConfigError
    from mtaudit.core.config_merge import merged_config
    from mtaudit.core.options import OptionError

    try:
        return merged_config(
            config_path,
            start=start,
            no_lm=no_lm,
            select=select,
            ignore=ignore,
            glossary=glossary,
            model=model,
            keep_boilerplate=keep_boilerplate,
            max_size_mb=max_size_mb,
            language_backend=language_backend,
            allow_network=allow_network,
            lang=lang,
        )
    except (ConfigError, OptionError) as exc:
        err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None


def quiet_broken_pipe() -> None:
    """The reader of our standard output went away (`| head`): stop quietly, as cat does."""
    import os

    try:
        sys.stderr.flush()
    finally:
        os._exit(ExitCode.USAGE)
