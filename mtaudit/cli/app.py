"""`mtaudit` command line: a thin typer layer on the library.

Exit codes: :class:`mtaudit.core.exitcodes.ExitCode` (the README's table is checked against it).
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mtaudit import __version__
from mtaudit.cli.options import AllowNetworkOpt, ConfigOpt, ModelOpt
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


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    concise = "concise"
    github = "github"
    rdjson = "rdjson"
    sarif = "sarif"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class FailOn(str, Enum):
    fail = "fail"
    warn = "warn"
    never = "never"


def _err(msg: str) -> None:
    """One line on stderr, never wrapped: pipelines grep these."""
    typer.secho(f"mtaudit: {msg}", fg="red", err=True)


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
    from mtaudit.core.config import ConfigError, check_codes, check_rules_left, load_config
    from mtaudit.core.options import OptionError
    from mtaudit.core.vocabulary import check_vocabulary

    try:
        cfg = load_config(config_path, cwd=start)
        if no_lm:
            cfg.lm = False
            cfg.origins["lm"] = "--no-lm"
        if select:
            cfg.select = check_codes("--select", [s for part in select for s in part.split(",") if s.strip()])
            cfg.origins["select"] = "--select"
        if ignore:
            cfg.ignore = cfg.ignore + check_codes("--ignore", [s for part in ignore for s in part.split(",") if s.strip()])
            cfg.origins["ignore"] = "--ignore" if "ignore" not in cfg.origins else f"{cfg.origins['ignore']} + --ignore"
        check_rules_left(cfg)
        check_vocabulary(cfg)
    except (ConfigError, OptionError) as exc:
        _err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    if glossary:
        for g in glossary:
            if not Path(g).is_file():
                _err(f"{g}: glossary file not found")
                raise typer.Exit(ExitCode.USAGE)
        cfg.glossaries = cfg.glossaries + list(glossary)
        cfg.origins["glossaries"] = "--glossary"
    if model:
        cfg.model = model
        cfg.origins["model"] = "--model"
    if keep_boilerplate:
        cfg.keep_boilerplate = True
        cfg.origins["keep_boilerplate"] = "--keep-boilerplate"
    if max_size_mb is not None:  # else the configuration's max_bytes (default 10 MB)
        if not (max_size_mb > 0 and max_size_mb * 1_000_000 < 2**62):  # also refuses nan, inf
            _err(f"--max-size must be a positive number of MB, not {max_size_mb!r}")
            raise typer.Exit(ExitCode.USAGE)
        cfg.max_bytes = int(max_size_mb * 1_000_000)
        cfg.origins["max_bytes"] = "--max-size"
    if language_backend:
        if language_backend not in ("lingua", "langdetect"):
            _err(f"unknown language backend {language_backend!r} (lingua or langdetect)")
            raise typer.Exit(ExitCode.USAGE)
        cfg.language_backend = language_backend
        cfg.origins["language_backend"] = "--language-backend"
    if allow_network:
        cfg.allow_network = True
        cfg.origins["allow_network"] = "--allow-network"
    if lang:
        if lang not in ("fr", "en"):
            _err(f"unknown message language {lang!r} (fr or en)")
            raise typer.Exit(ExitCode.USAGE)
        cfg.messages = lang
        cfg.origins["messages"] = "--lang"
    return cfg


@app.command()
def scan(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or - for standard input.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the report to FILE (atomically).")] = None,
    config: ConfigOpt = None,
    no_lm: Annotated[bool, typer.Option("--no-lm", help="Fast mode: no language model.")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these rule codes or prefixes.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these rule codes or prefixes.")] = None,
    glossary: Annotated[list[str] | None, typer.Option("--glossary", help="A house glossary (overrides the default).")] = None,
    model: ModelOpt = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Directory of reference translations, matched by file name.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Verdict that makes the exit code 1.")] = FailOn.fail,
    keep_boilerplate: Annotated[bool, typer.Option("--keep-boilerplate", help="Audit page furniture and repeated lines too.")] = False,
    include_text: Annotated[bool, typer.Option("--include-text", help="Add each article's text to the JSON.")] = False,
    max_size: Annotated[float | None, typer.Option("--max-size", help="Largest input file, in MB [default: max_bytes of the configuration, 10 MB].", show_default=False)] = None,
    language_backend: Annotated[str | None, typer.Option("--language-backend", help="lingua (default) or langdetect.")] = None,
    allow_network: AllowNetworkOpt = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List excluded lines in the text report.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local, or ray: Ray Data on a cluster, JSONL shards and summary.json in -o OUT_DIR (needs mtaudit[ray]).")] = Engine.local,
    address: Annotated[str | None, typer.Option("--address", help="Ray cluster to use (auto, ray://HOST:10001); default: a local one.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Ray actors, each with one auditor and model (default: the cluster's CPUs / --threads).")] = None,
    threads: Annotated[int, typer.Option("--threads", help="Torch threads, so CPUs, per Ray actor.")] = 1,
    sample: Annotated[float | None, typer.Option("--sample", help="Audit a reproducible random share (0-1] of the inputs, chosen by input id.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of --sample.")] = 0,
    show_suppressed: Annotated[bool, typer.Option("--show-suppressed", help="List the findings silenced by mtaudit comments or a record's \"ignore\".")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the messages: fr (default) or en.")] = None,
) -> None:
    """Audit articles and print a scorecard per article.

    Formats: text (for people), json / jsonl (the contract), html (a report page), concise
    (file:line:col: CODE severity message, one line a finding), github (workflow annotations),
    rdjson (reviewdog) and sarif (SARIF 2.1.0)."""
    from mtaudit.auditor import Auditor
    from mtaudit.io.inputs import InputError, read_inputs
    from mtaudit.report.formats import FORMATS
    from mtaudit.report.text import (
        AtomicWriter,
        OutputError,
        dumps,
        jsonl_line,
        print_card,
        report_dict,
        summary_table,
    )

    stderr = Console(stderr=True)
    start = next((p for p in paths if p != "-"), None)
    cfg = build_config(config, no_lm, select, ignore, glossary, model, keep_boilerplate, max_size, language_backend, allow_network, start=start, lang=lang)
    if ref is not None and not Path(ref).is_dir():
        _err(f"{ref}: --ref must be a directory of reference files")
        raise typer.Exit(ExitCode.USAGE)
    if output == "-":  # -o - : standard output, as for any format
        output = None
    elif format == Format.html and not output and engine == Engine.local:
        _err("--format html needs --output FILE (or -o - for standard output)")
        raise typer.Exit(ExitCode.USAGE)
    if sample is not None and not 0 < sample <= 1:
        _err(f"--sample {sample:g}: a share of the inputs, more than 0 and at most 1")
        raise typer.Exit(ExitCode.USAGE)
    if engine == Engine.ray:
        from mtaudit.distributed import cli_scan

        if ref is not None or format in (Format.json, Format.html):
            _err("--engine ray writes JSONL shards and summary.json; --ref and --format json/html need the local engine")
            raise typer.Exit(ExitCode.USAGE)
        failing = {"fail"} if fail_on == FailOn.fail else ({"fail", "warn"} if fail_on == FailOn.warn else set())
        raise typer.Exit(cli_scan(paths, output, cfg, address=address, workers=workers, threads=threads, sample=sample, seed=seed, include_text=include_text, failing=failing, err=_err))
    if not output and (sys.stdout is None or _closed(sys.stdout)):
        _err("standard output is closed; name a file with --output")
        raise typer.Exit(ExitCode.USAGE)
    try:
        # The output is opened (a regular file: as a temporary beside it) before any article
        # is audited: a bad path costs nothing, and the file appears whole or not at all.
        writer = AtomicWriter(output, paths) if output else nullcontext(sys.stdout)
    except OutputError as exc:
        _err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    try:
        auditor = Auditor(cfg)
    except (ValueError, OSError) as exc:
        _err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None

    items = read_inputs(paths, cfg.max_bytes)
    if sample is not None:
        from mtaudit.distributed import input_id, sample_keep

        items = (o for o in items if sample_keep(input_id(o), sample, seed))
    if ref is not None:
        items = _attach_references(items, Path(ref), cfg.max_bytes)
    results = auditor.audit_many(items)

    failing = {"fail"} if fail_on == FailOn.fail else ({"fail", "warn"} if fail_on == FailOn.warn else set())
    n_cards = n_errors = n_failing = 0
    cards = []
    errors = []
    progress = None
    if sys.stderr.isatty() and (format != Format.text or output or not sys.stdout.isatty()):
        from rich.progress import Progress, SpinnerColumn, TextColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=stderr, transient=True)
        task = progress.add_task("auditing", total=None)
        progress.start()

    def note(obj) -> None:
        nonlocal n_cards, n_errors, n_failing
        if isinstance(obj, InputError) and obj.warning:
            _err(f"warning: {obj}")
            return
        if isinstance(obj, InputError):
            n_errors += 1
            _err(str(obj))
        else:
            n_cards += 1
            if obj.verdict in failing:
                n_failing += 1
        if progress is not None:
            progress.update(task, description=f"auditing: {n_cards} articles, {n_errors} errors")

    try:
        with writer as fh:
            if format == Format.jsonl:
                for obj in results:
                    note(obj)
                    if isinstance(obj, InputError) and obj.warning:
                        continue
                    fh.write(jsonl_line(obj, include_text, show_suppressed) + "\n")
                    fh.flush()
            elif format.value in FORMATS:
                from mtaudit.report.formats import writer

                w = writer(format.value, auditor.signature, show_suppressed)
                for obj in results:
                    note(obj)
                    fh.write(w.add(obj))
                    fh.flush()
                fh.write(w.finish())
            elif format in (Format.json, Format.html):
                for obj in results:
                    note(obj)
                    if isinstance(obj, InputError) and obj.warning:
                        continue
                    (errors if isinstance(obj, InputError) else cards).append(obj)
                if format == Format.json:
                    fh.write(dumps(report_dict(cards, errors, auditor.signature, include_text, show_suppressed)) + "\n")
                else:
                    from mtaudit.report.html import render_html

                    fh.write(render_html(cards, errors, auditor.signature))
            else:
                console = Console(file=fh, highlight=False, width=120) if output else Console(highlight=False)
                rows = []
                for obj in results:
                    note(obj)
                    if isinstance(obj, InputError):
                        continue
                    print_card(console, obj, verbose, show_suppressed)
                    rows.append(_Row(obj))
                if len(rows) > 1:
                    console.print(summary_table(rows))
                if n_errors:
                    console.print(f"{n_errors} input error{'s' if n_errors > 1 else ''}: see stderr.", style="red")
    except OutputError as exc:
        _err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:
        if output and (exc.filename in (None, output) or not Path(output).parent.is_dir()):
            _err(f"{output}: cannot write the report ({exc.strerror or exc})")
            raise typer.Exit(ExitCode.USAGE) from None
        raise
    finally:
        if progress is not None:
            progress.stop()

    if n_cards == 0:
        if n_errors == 0:
            _err("no input")
        raise typer.Exit(ExitCode.USAGE)
    if n_failing:
        raise typer.Exit(ExitCode.FAIL)
    if n_errors:
        raise typer.Exit(ExitCode.PARTIAL)
    raise typer.Exit(ExitCode.OK)


def _closed(stream) -> bool:
    return bool(getattr(stream, "closed", False))


def _quiet_broken_pipe() -> None:
    """The reader of our standard output went away (`| head`): stop quietly, as cat does."""
    import os

    try:
        sys.stderr.flush()
    finally:
        os._exit(ExitCode.USAGE)


class _Row:
    """What the summary table needs of a scorecard, without keeping its findings."""

    def __init__(self, card):
        self.source, self.verdict, self.counts = card.source, card.verdict, card.counts
        self.scores = {k: card.scores.get(k) for k in ("translated_from_english", "fluency")}


def _attach_references(items, refdir: Path, max_bytes: int):
    """Give each article the reference with its file name in ``refdir`` (for a JSONL record,
    the record with the same id in the JSONL file of that name). References are read like
    inputs: encoding detected, BOM removed, HTML pages extracted. An article without a reference
    is audited all the same, and its scorecard says so."""
    from mtaudit.io.inputs import InputError, Item, read_one, read_single

    jsonl_cache: dict[Path, dict[str, str]] = {}
    for item in items:
        if isinstance(item, InputError) or item.reference is not None:
            yield item
            continue
        rec_id = item.record_id if item.kind == "jsonl" else None
        cand = refdir / Path(item.path or item.source).name
        ref = None
        if cand.is_file():
            if rec_id:
                if cand not in jsonl_cache:
                    jsonl_cache.clear()  # one reference file at a time: memory stays flat
                    jsonl_cache[cand] = {
                        r.record_id: r.text
                        for r in read_one(str(cand), max_bytes)
                        if isinstance(r, Item) and r.record_id is not None
                    }
                ref = jsonl_cache[cand].get(rec_id)
            else:
                got = read_single(str(cand), max_bytes)
                if isinstance(got, InputError):
                    yield InputError(str(cand), f"reference unreadable: {got.message}")
                else:
                    ref = got.text
        if ref is None:
            where = f"{cand}#{rec_id}" if rec_id else str(cand)
            item.notes.append(f"no reference found ({where}): no reference scores")
        item.reference = ref
        yield item


@app.command()
def rules(
    code: Annotated[str | None, typer.Argument(help="A rule code: explain that rule.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """List the rules, or explain one (`mtaudit rules EN101`)."""
    import json

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
            _err(f"unknown rule {code!r}; `mtaudit rules` lists them")
            raise typer.Exit(ExitCode.USAGE)
        if format == Format.json:
            typer.echo(json.dumps(_rule_dict(cls), ensure_ascii=False, indent=1))
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
        typer.echo(json.dumps([_rule_dict(c) for c in registry.values()], ensure_ascii=False, indent=1))
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


def _rule_dict(cls) -> dict:
    return {
        "code": cls.code,
        "name": cls.name,
        "category": cls.category,
        "severity": cls.severity.value,
        "requires": sorted(cls.requires),
        "doc": cls.doc(),
        "options": [o.to_dict() for o in getattr(cls, "options", ())],
    }


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
        _err("interrupted")
        sys.exit(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Exception as exc:
        if _DEBUG["on"] or os.environ.get("MTAUDIT_DEBUG"):
            import traceback

            traceback.print_exc()
        detail = " ".join(str(exc).split())[:300]
        try:
            _err(f"internal error: {type(exc).__name__}: {detail} (this is a bug; run with --debug for the traceback)")
        except Exception:
            pass
        sys.exit(ExitCode.INTERNAL)


if __name__ == "__main__":
    main()
