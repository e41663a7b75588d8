"""`mtaudit scan`: audit articles, write the report, exit with what it found
(:class:`~mtaudit.core.exitcodes.ExitCode`)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from mtaudit.cli.common import build_config, err, quiet_broken_pipe
from mtaudit.cli.options import AllowNetworkOpt, ConfigOpt, Format, ModelOpt
from mtaudit.core.exitcodes import ExitCode

PRIORITY = 0  # first in `mtaudit --help`


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class FailOn(str, Enum):
    fail = "fail"
    warn = "warn"
    never = "never"


def _failing(fail_on: FailOn) -> set[str]:
    """The verdicts that make the exit code 1."""
    return {"fail"} if fail_on == FailOn.fail else ({"fail", "warn"} if fail_on == FailOn.warn else set())


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
    from mtaudit.auditor import Auditor, ModelUnavailable
    from mtaudit.io.inputs import InputError, read_inputs
    from mtaudit.report.formats import FORMATS
    from mtaudit.report.text import (
        AtomicWriter,
        OutputError,
        jsonl_line,
        print_card,
        summary_table,
    )

    start = next((p for p in paths if p != "-"), None)
    cfg = build_config(
        config,
        no_lm=no_lm,
        select=select,
        ignore=ignore,
        glossary=glossary,
        model=model,
        keep_boilerplate=keep_boilerplate,
        max_size_mb=max_size,
        language_backend=language_backend,
        allow_network=allow_network,
        start=start,
        lang=lang,
    )
    if ref is not None and not Path(ref).is_dir():
        err(f"{ref}: --ref must be a directory of reference files")
        raise typer.Exit(ExitCode.USAGE)
    if output == "-":  # -o - : standard output, as for any format
        output = None
    elif format == Format.html and not output and engine == Engine.local:
        err("--format html needs --output FILE (or -o - for standard output)")
        raise typer.Exit(ExitCode.USAGE)
    if sample is not None and not 0 < sample <= 1:
        err(f"--sample {sample:g}: a share of the inputs, more than 0 and at most 1")
        raise typer.Exit(ExitCode.USAGE)
    if engine == Engine.ray:
        from mtaudit.distributed import cli_scan

        if ref is not None or format in (Format.json, Format.html):
            err("--engine ray writes JSONL shards and summary.json; --ref and --format json/html need the local engine")
            raise typer.Exit(ExitCode.USAGE)
        raise typer.Exit(cli_scan(paths, output, cfg, address=address, workers=workers, threads=threads, sample=sample, seed=seed, include_text=include_text, failing=_failing(fail_on), err=err))
    if not output and (sys.stdout is None or _closed(sys.stdout)):
        err("standard output is closed; name a file with --output")
        raise typer.Exit(ExitCode.USAGE)
    try:
        # The output is opened (a regular file: as a temporary beside it) before any article
        # is audited: a bad path costs nothing, and the file appears whole or not at all.
        writer = AtomicWriter(output, paths) if output else nullcontext(sys.stdout)
    except OutputError as exc:
        err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    try:
        auditor = Auditor(cfg)
    except (ValueError, OSError) as exc:
        err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None

    items = read_inputs(paths, cfg.max_bytes)
    if sample is not None:
        from mtaudit.distributed import input_id, sample_keep

        items = (o for o in items if sample_keep(input_id(o), sample, seed))
    if ref is not None:
        from mtaudit.io.references import attach_references

        items = attach_references(items, Path(ref), cfg.max_bytes)
    results = auditor.audit_many(items)

    failing = _failing(fail_on)
    n_cards = n_errors = n_failing = 0
    cards = []
    errors = []
    progress = None
    if sys.stderr.isatty() and (format != Format.text or output or not sys.stdout.isatty()):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
        task = progress.add_task("auditing", total=None)
        progress.start()

    def note(obj) -> None:
        nonlocal n_cards, n_errors, n_failing
        if isinstance(obj, InputError) and obj.warning:
            err(f"warning: {obj}")
            return
        if isinstance(obj, InputError):
            n_errors += 1
            err(str(obj))
        else:
            n_cards += 1
            if obj.verdict in failing:
                n_failing += 1
        if progress is not None:
            progress.update(task, description=f"auditing: {n_cards} articles, {n_errors} errors")

    try:
        with writer as fh:
            # an LM run whose model cannot load stops here, before any article is audited:
            # its verdicts would not be those asked for (and its signature names the model)
            auditor.load_model()
            if format == Format.jsonl:
                for obj in results:
                    note(obj)
                    if isinstance(obj, InputError) and obj.warning:
                        continue
                    fh.write(jsonl_line(obj, include_text, show_suppressed) + "\n")
                    fh.flush()
            elif format.value in FORMATS:
                from mtaudit.report.formats import writer as format_writer

                w = format_writer(format.value, auditor.signature, show_suppressed)
                for obj in results:
                    note(obj)
                    fh.write(w.add(obj))
                    fh.flush()
                fh.write(w.finish())
            elif format == Format.json:
                from mtaudit.report.json_stream import JsonWriter

                # streamed: each scorecard is serialised as it comes (memory stays bounded)
                jw = JsonWriter(auditor.signature, include_text, show_suppressed)
                try:
                    for obj in results:
                        note(obj)
                        if not (isinstance(obj, InputError) and obj.warning):
                            jw.add(obj)
                    jw.finish(fh)
                finally:
                    jw.close()
            elif format == Format.html:
                for obj in results:
                    note(obj)
                    if isinstance(obj, InputError) and obj.warning:
                        continue
                    (errors if isinstance(obj, InputError) else cards).append(obj)
                from mtaudit.report.html import render_html

                fh.write(render_html(cards, errors, auditor.signature))
            else:
                from rich.console import Console  # rich only for the text report

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
        err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    except ModelUnavailable as exc:
        err(f"{exc} (--no-lm audits with the rules only)")
        raise typer.Exit(ExitCode.USAGE) from None
    except BrokenPipeError:
        quiet_broken_pipe()
    except OSError as exc:
        if output and (exc.filename in (None, output) or not Path(output).parent.is_dir()):
            err(f"{output}: cannot write the report ({exc.strerror or exc})")
            raise typer.Exit(ExitCode.USAGE) from None
        raise
    finally:
        if progress is not None:
            progress.stop()

    if n_cards == 0:
        if n_errors == 0:
            err("no input")
        raise typer.Exit(ExitCode.USAGE)
    if n_failing:
        raise typer.Exit(ExitCode.FAIL)
    if n_errors:
        raise typer.Exit(ExitCode.PARTIAL)
    raise typer.Exit(ExitCode.OK)


def _closed(stream) -> bool:
    return bool(getattr(stream, "closed", False))


class _Row:
    """What the summary table needs of a scorecard, without keeping its findings."""

    def __init__(self, card):
        self.source, self.verdict, self.counts = card.source, card.verdict, card.counts
        self.major_or_worse = card.major_or_worse
        self.scores = {k: card.scores.get(k) for k in ("translated_from_english", "fluency")}


def register(app: typer.Typer) -> None:
    app.command()(scan)
