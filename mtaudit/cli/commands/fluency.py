"""`mtaudit fluency TEXT|FILE|-`: per-sentence fluency scores for an editor checking a
sentence or two (human table, or ``--format json``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from mtaudit.cli.options import AllowNetworkOpt, ConfigOpt, ModelOpt, TextJsonOpt
from mtaudit.core.exitcodes import ExitCode


def _read_arg(arg: str, max_bytes: int) -> tuple[str, str]:
    """The text to score: standard input or a file read as scan reads them (encoding
    detection, HTML extraction, the size limit; a JSONL file's first record), else the
    argument itself."""
    from mtaudit.io.inputs import InputError, read_single

    if arg == "-" or (len(arg) < 4096 and "\n" not in arg and Path(arg).is_file()):
        item = read_single(arg, max_bytes)
        if isinstance(item, InputError):
            print(f"mtaudit: {item}", file=sys.stderr)
            raise typer.Exit(ExitCode.USAGE)
        return item.text, item.source
    return arg, "<text>"


def register(app: typer.Typer) -> None:
    @app.command("fluency")
    def fluency_cmd(
        text: Annotated[
            str, typer.Argument(help="A sentence or text, a file, or - for standard input.")
        ],
        format: TextJsonOpt = "text",
        model: ModelOpt = None,
        config: ConfigOpt = None,
        allow_network: AllowNetworkOpt = False,
        keep_boilerplate: Annotated[
            bool, typer.Option("--keep-boilerplate", help="Score page furniture too.")
        ] = False,
    ) -> None:
        """Score each sentence with the language model: perplexity, fluency 0-100 and the
        most surprising word."""
        from rich.console import Console
        from rich.table import Table

        from mtaudit.auditor import model_problem
        from mtaudit.checks.fluency import score_fluency
        from mtaudit.cli.common import build_config
        from mtaudit.core.context import Context, ResourceError
        from mtaudit.core.document import Document, normalise_newlines
        from mtaudit.lm.calibration import DEFAULT_MIN_WORDS

        if format not in ("text", "json"):
            print(f"mtaudit: unknown format {format!r} (text or json)", file=sys.stderr)
            raise typer.Exit(ExitCode.USAGE)
        cfg = build_config(
            config, model=model, allow_network=allow_network, keep_boilerplate=keep_boilerplate
        )
        raw, source = _read_arg(text, cfg.max_bytes)
        doc = Document(
            normalise_newlines(raw.lstrip("\ufeff")),
            source=source,
            keep_boilerplate=cfg.keep_boilerplate,
        )
        ctx = Context(cfg)
        try:
            # as FL601 scores it, with its options (min_words: which sentences count in the
            # article score); every sentence, however short, is shown: the editor asked
            min_words = ctx.options("FL601").get("min_words")
            lm, calib, sents, article = score_fluency(doc, ctx, min_words)
        except ResourceError as exc:  # the model cannot load (cached by the context)
            print(f"mtaudit: {model_problem(exc)}", file=sys.stderr)
            raise typer.Exit(ExitCode.USAGE) from None
        threshold = cfg.threshold("fluency_sentence_min")
        if format == "json":
            out = {
                "source": source,
                "model": lm.model_id,
                "calibrated": calib is not None,
                "article": {
                    "perplexity": None
                    if article["perplexity"] is None
                    else round(article["perplexity"], 2),
                    "slor": None if article["slor"] is None else round(article["slor"], 4),
                    "fluency": None if article["score"] is None else round(article["score"], 1),
                    "sentences_counted": article["sentences_counted"],
                },
                "sentences": [
                    {
                        **s.to_dict(),
                        "surprising_text": None
                        if s.worst_start is None
                        else doc.text[s.worst_start : s.worst_end],
                        "out_of_place_text": None
                        if s.odd_start is None
                        else doc.text[s.odd_start : s.odd_end],
                        "outlier": s.score is not None and s.score < threshold,
                    }
                    for s in sents
                ],
            }
            sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
            return
        console = Console(highlight=False)
        t = Table(show_header=True, title=f"{source}: fluency by sentence ({lm.model_id})")
        for col, just in (
            ("#", "right"),
            ("score", "right"),
            ("ppl", "right"),
            ("fits least", "left"),
            ("sentence", "left"),
        ):
            t.add_column(col, justify=just, overflow="fold")
        for k, s in enumerate(sents, 1):
            a, b = (
                (s.odd_start, s.odd_end)
                if calib and calib.normalised
                else (s.worst_start, s.worst_end)
            )
            word = "" if a is None else doc.text[a:b]
            score = "-" if s.score is None else f"{s.score:.0f}"
            style = "red" if s.score is not None and s.score < threshold else None
            t.add_row(
                str(k),
                score,
                f"{s.perplexity:.1f}",
                word,
                s.text if len(s.text) <= 120 else s.text[:117] + "…",
                style=style,
            )
        console.print(t)
        if article["perplexity"] is not None:
            fl = "uncalibrated" if article["score"] is None else f"{article['score']:.0f}/100"
            console.print(
                f"article: perplexity {article['perplexity']:.1f}, fluency {fl} "
                f"({article['sentences_counted']} body "
                f"sentence{'' if article['sentences_counted'] == 1 else 's'} "
                f"of {min_words or (calib.min_words if calib else DEFAULT_MIN_WORDS)}+ words)"
            )
        elif not sents:
            console.print("no sentence to score")
