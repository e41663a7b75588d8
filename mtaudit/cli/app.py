"""`mtaudit` command line: a thin typer layer on the library.

Exit codes: :class:`mtaudit.core.exitcodes.ExitCode` (the README's table is checked against it).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mtaudit import __version__
from mtaudit.cli.common import err, quiet_broken_pipe
from mtaudit.core.exitcodes import ExitCode

app = typer.Typer(
    name="mtaudit",
    help="Audit French news text for machine translation from English.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

_DEBUG = {"on": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mtaudit {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="On an internal error, print the traceback.")] = False,
) -> None:
    """Audit French news text for machine translation from English."""
    _DEBUG["on"] = _DEBUG["on"] or debug


def _register_subcommands() -> None:
    from mtaudit.cli.commands import register_all

    register_all(app)


_register_subcommands()


def _tidy_help(cmd) -> None:
    """Help without typer's internal placeholders (``<str>``, ``<list[str]>``, ``{paths}``):
    each value is named after its option (``--output OUTPUT``), choices stay listed."""
    for p in getattr(cmd, "params", []):
        desc = getattr(p, "type_descriptor", None)
        if p.metavar is not None or getattr(p, "is_flag", False) or desc is None or desc.is_choice or desc.annotation is bool:
            continue
        name = (p.name or "value").upper()
        if getattr(p, "param_type_name", "") == "argument":
            p.metavar = name
            shown = name + ("..." if p.nargs != 1 else "")
            shown = shown if p.required else f"[{shown}]"
            p._usage_display_name = lambda shown=shown: shown
            p.make_metavar = lambda *a, shown=shown, **k: shown
            p.display_type_rich = lambda *a, **k: None
            p._rich_display_name = lambda shown=shown: shown.strip("[]")
        else:
            p.metavar = name
    for sub in getattr(cmd, "commands", {}).values():
        _tidy_help(sub)


def main() -> None:
    """The console script: an unexpected exception is an internal error (exit 4), said in one
    line on stderr; the traceback only with --debug (or MTAUDIT_DEBUG=1)."""
    import os

    if "--debug" in sys.argv[1:]:  # accepted anywhere on the command line
        _DEBUG["on"] = True
        sys.argv = [a for a in sys.argv if a != "--debug"]
    try:
        cmd = typer.main.get_command(app)
        _tidy_help(cmd)
        cmd(prog_name="mtaudit")
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        quiet_broken_pipe()
    except Exception as exc:
        if _DEBUG["on"] or os.environ.get("MTAUDIT_DEBUG"):
            import traceback

            traceback.print_exc()
        detail = " ".join(str(exc).split())[:300]
        try:
            err(f"internal error: {type(exc).__name__}: {detail} (this is a bug; run with --debug for the traceback)")
        except Exception:
            pass
        sys.exit(ExitCode.INTERNAL)


if __name__ == "__main__":
    main()
