"""`mtaudit glossary list|lint|check`: inspect the name glossaries and what they match.

The glossaries are the default one (shipped in the package) followed by the house glossaries
of the configuration and of ``--glossary FILE`` options, in precedence order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from mtaudit.cli.options import ConfigOpt, TextJsonOpt
from mtaudit.core.exitcodes import ExitCode

glossary_app = typer.Typer(
    name="glossary",
    help="Name glossaries: list the entries, lint the files, show the matches in a text.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

GlossaryOpt = Annotated[
    list[str] | None,
    typer.Option("--glossary", "-g", help="A house glossary (repeatable; overrides the default)."),
]
NoDefaultOpt = Annotated[bool, typer.Option("--no-default", help="Leave the default glossary out.")]


def _fail(msg: str, code: int = ExitCode.USAGE) -> typer.Exit:
    typer.echo(f"mtaudit: {msg}", err=True)
    return typer.Exit(code)


def _config(config: str | None, glossary: list[str] | None):
    from mtaudit.core.config import ConfigError, load_config
    from mtaudit.core.config_merge import add_glossaries

    try:
        cfg = load_config(config)
        add_glossaries(cfg, glossary)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    return cfg


def _paths(
    config: str | None, glossary: list[str] | None, no_default: bool
) -> list[tuple[str, bool]]:
    from mtaudit.analyses.glossaries import glossary_paths

    return glossary_paths(_config(config, glossary), include_default=not no_default)


def _load(paths):
    from mtaudit.analyses.glossaries import GlossaryError, load_glossary

    try:
        return load_glossary(paths)
    except GlossaryError as exc:
        raise _fail(str(exc)) from None


@glossary_app.command("list")
def list_cmd(
    glossary: GlossaryOpt = None,
    config: ConfigOpt = None,
    no_default: NoDefaultOpt = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="Only this kind (person, given-name, place, organisation, media, title)."
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help="Only entries with a form matching this text (accents and case ignored).",
        ),
    ] = None,
    format: TextJsonOpt = "text",
) -> None:
    """List the merged entries (house glossaries override the default)."""
    from mtaudit.analyses.glossaries import fold

    g = _load(_paths(config, glossary, no_default))
    entries = list(g.entries)
    if kind:
        entries = [e for e in entries if e.kind == kind.lower()]
    if search:
        needle = fold(search.replace("-", " "))
        entries = [e for e in entries if any(needle in " ".join(f.key) for f in e.forms)]
    if format == "json":
        typer.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=1))
        return
    if format != "text":
        raise _fail(f"unknown format {format!r} (text or json)")
    for e in entries:
        also = f"  also: {', '.join(e.also)}" if e.also else ""
        flag = f"  flag: {', '.join(e.flag)}" if e.flag else ""
        sev = f" {e.severity.value}" if e.severity and e.flag else ""
        house = " [house]" if e.house else ""
        typer.echo(
            f"{e.preferred}  ({e.kind}{', ' + e.origin if e.origin else ''}{sev}){also}{flag}  {e.source_name}:{e.line}{house}"
        )
    typer.echo(
        f"{len(entries)} entries from {len(g.files)} glossar{'y' if len(g.files) == 1 else 'ies'}",
        err=True,
    )


@glossary_app.command("lint")
def lint_cmd(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            help="Glossary files (default: the default glossary and the configured ones)."
        ),
    ] = None,
    config: ConfigOpt = None,
    glossary: GlossaryOpt = None,
    no_default: NoDefaultOpt = False,
    format: TextJsonOpt = "text",
) -> None:
    """Check glossary files: malformed lines, duplicates, conflicts (file:line). Exit 1 on errors.

    Files named on the command line are linted after the default glossary (they are house
    glossaries), so overrides are reported; --no-default lints them alone.
    """
    from mtaudit.analyses.glossaries import lint_glossaries

    if files:
        from mtaudit.analyses.glossaries import glossary_paths

        paths = glossary_paths(None, include_default=not no_default) + [(f, True) for f in files]
    else:
        paths = _paths(config, glossary, no_default)
    problems = lint_glossaries(paths)
    errors = [p for p in problems if p.level == "error"]
    if format == "json":
        typer.echo(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=1))
    else:
        for p in problems:
            typer.echo(str(p))
        n_entries = 0
        from mtaudit.analyses.glossaries import GlossaryError, parse_glossary

        for path, house in paths:
            try:
                n_entries += len(parse_glossary(path, house)[0])
            except GlossaryError:
                pass
        typer.echo(
            f"{len(paths)} file(s), {n_entries} entries: {len(errors)} error(s), "
            f"{sum(p.level == 'warning' for p in problems)} warning(s), {sum(p.level == 'info' for p in problems)} note(s)",
            err=True,
        )
    raise typer.Exit(ExitCode.FAIL if errors else ExitCode.OK)


@glossary_app.command("check")
def check_cmd(
    file: Annotated[str, typer.Argument(help="A text file, or - for standard input.")],
    glossary: GlossaryOpt = None,
    config: ConfigOpt = None,
    no_default: NoDefaultOpt = False,
    keep_boilerplate: Annotated[
        bool, typer.Option("--keep-boilerplate", help="Look at page furniture too.")
    ] = False,
    format: TextJsonOpt = "text",
) -> None:
    """Show what the glossaries match in a text, and the NM5xx findings."""
    from mtaudit.analyses.glossaries import glossary_paths
    from mtaudit.auditor import finish_findings
    from mtaudit.checks.names import analyse
    from mtaudit.core.document import Document
    from mtaudit.io.inputs import InputError, read_single

    cfg = _config(config, glossary)
    g = _load(glossary_paths(cfg, include_default=not no_default))
    if file != "-" and not Path(file).is_file():
        raise _fail(f"{file}: file not found")
    # read as scan reads: encoding detection, HTML extraction, the size limit (first record of
    # a JSONL file: this command looks at one text)
    item = read_single(file, cfg.max_bytes)
    if isinstance(item, InputError):
        raise _fail(str(item))
    source = item.source
    doc = Document(item.text, source=source, keep_boilerplate=keep_boilerplate)
    matches, _ = g.match_document(doc)
    a = analyse(doc, g)
    # as scan lists them: the configuration's severity overrides, line, column and text
    findings = finish_findings(doc, a.transcription + a.consistency + a.house + a.slavic, cfg.severity)
    if format == "json":
        out = {
            "source": source,
            "matches": [
                {
                    "text": m.text,
                    "start": m.start,
                    "end": m.end,
                    "line": doc.line_col(m.start)[0],
                    "column": doc.line_col(m.start)[1],
                    "status": m.status,
                    "entry": m.entry.preferred,
                    "kind": m.entry.kind,
                    "glossary": f"{m.entry.source_name}:{m.entry.line}",
                }
                for m in matches
            ],
            "findings": [f.to_dict() for f in findings],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    label = {
        "preferred": "ok",
        "also": "ok (also)",
        "flag": "FLAG",
        "accents": "ACCENTS",
        "caps": "ok (capitals)",
    }
    for m in matches:
        line, col = doc.line_col(m.start)
        arrow = (
            f" -> {m.entry.preferred}"
            if m.status in ("flag", "accents") or m.status == "also"
            else ""
        )
        typer.echo(
            f"{source}:{line}:{col}: {m.text!r} {label.get(m.status, m.status)}{arrow}  [{m.entry.kind}; {m.entry.source_name}:{m.entry.line}]"
        )
    for f in findings:
        sugg = f" -> {f.suggestion}" if f.suggestion else ""
        typer.echo(f"{source}:{f.line}:{f.column}: {f.rule} {f.severity.value}: {f.message}{sugg}")
    typer.echo(f"{len(matches)} match(es), {len(findings)} finding(s)", err=True)


def register(app) -> None:
    app.add_typer(glossary_app, name="glossary")
