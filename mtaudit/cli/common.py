"""What every command shares: the one-line error, the run's configuration from the command
line, a quiet stop when the reader of standard output goes away."""

from __future__ import annotations

import sys

import typer

from mtaudit.core.exitcodes import ExitCode


def err(msg: str) -> None:
    """One line on stderr, never wrapped: pipelines grep these."""
    typer.secho(f"mtaudit: {msg}", fg="red", err=True)


def build_config(config_path: str | None, **overrides):
    """The configuration with the command line's overrides (the keyword arguments of
    :func:`mtaudit.core.config_merge.merged_config`); a bad value is one line, exit 2."""
    from mtaudit.core.config import ConfigError
    from mtaudit.core.config_merge import merged_config
    from mtaudit.core.options import OptionError

    try:
        return merged_config(config_path, **overrides)
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
