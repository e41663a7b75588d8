"""`mtaudit score HYP --ref REF`: BLEU, chrF, chrF++ and TER against references (sacrebleu).

Exit codes: 0 scores printed; 2 usage error (unreadable or empty file, files of different
lengths, unknown tokenizer or one that needs a download), with one line on standard error.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from mtaudit.core.exitcodes import ExitCode


class ScoreFormat(StrEnum):
    text = "text"
    json = "json"


def _fail(msg: str) -> None:
    # plain echo, not rich: rich would wrap a long message (two file paths) over several lines
    typer.secho(f"mtaudit: {msg}", err=True, fg="red")
    raise typer.Exit(ExitCode.USAGE)


def score(
    hyp: Annotated[
        str, typer.Argument(help="Hypothesis: a text file (one segment a line) or JSONL.")
    ],
    ref: Annotated[
        list[str] | None,
        typer.Option(
            "--ref",
            "-r",
            help="A reference file, aligned with HYP (repeat for several references).",
        ),
    ] = None,
    tokenize: Annotated[
        str,
        typer.Option(
            "--tokenize", "-t", help="BLEU tokenizer: 13a (default), intl, char, none, zh."
        ),
    ] = "13a",
    sentences: Annotated[
        int,
        typer.Option("--sentences", min=0, help="Also list the N worst segments by sentence chrF."),
    ] = 0,
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="A second system: paired bootstrap test against HYP."),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option("--bootstrap-samples", min=1, help="Resamples of the paired bootstrap test."),
    ] = 1000,
    metrics: Annotated[
        list[str] | None,
        typer.Option("--metrics", "-m", help="Only these: bleu, chrf, chrf++, ter (default: all)."),
    ] = None,
    width: Annotated[
        int,
        typer.Option("--width", "-w", min=0, max=10, help="Decimals printed (as sacrebleu -w)."),
    ] = 1,
    format: Annotated[
        ScoreFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScoreFormat.text,
) -> None:
    """Score a translation against references: BLEU, chrF, chrF++, TER (sacrebleu), with signatures."""
    from mtaudit.scorers.ref_corpus import load_corpus
    from mtaudit.scorers.refscore import (
        RefScoreError,
        check_tokenizer,
        corpus_scores,
        paired_bootstrap,
        parse_metrics,
        worst_segments,
    )

    refs = list(ref or [])
    try:
        names = parse_metrics(metrics)
        tok = check_tokenizer(tokenize)
        corpus = load_corpus(hyp, refs)
        corpus2 = None
        if compare is not None:
            corpus2 = load_corpus(compare, refs)
            if len(corpus2.hyps) != len(corpus.hyps):
                raise RefScoreError(
                    f"{compare} has {len(corpus2.hyps)} segments but {hyp} has {len(corpus.hyps)}: "
                    "--compare needs the same segments"
                )
            if corpus2.refs != corpus.refs:
                raise RefScoreError(f"{compare} and {hyp} do not carry the same references")
    except RefScoreError as exc:
        _fail(str(exc))
        return

    results = corpus_scores(corpus.hyps, corpus.refs, tok, width, names)
    worst, chrf_sig = worst_segments(corpus, sentences, tok) if sentences else ([], "")
    paired = None
    if corpus2 is not None:
        paired = paired_bootstrap(
            corpus.hyps, corpus2.hyps, corpus.refs, tok, bootstrap, (hyp, compare), names
        )

    if format == ScoreFormat.json:
        out = {
            "hypothesis": hyp,
            "references": corpus.ref_names,
            "segments": len(corpus.hyps),
            "alignment": corpus.alignment,
            "tokenize": tok,
            "scores": [r.to_dict() for r in results],
        }
        if sentences:
            out["worst_segments"] = {
                "by": "chrF2",
                "signature": chrf_sig,
                "segments": [
                    {
                        "segment": s.label,
                        "chrf": round(s.chrf, 4),
                        "bleu": round(s.bleu, 4),
                        "hypothesis": s.hypothesis,
                        "references": s.references,
                    }
                    for s in worst
                ],
            }
        if paired is not None:
            out["compare"] = {
                "baseline": hyp,
                "system": compare,
                "test": "paired bootstrap resampling",
                "n_samples": bootstrap,
                "metrics": [
                    {
                        "name": p.name,
                        "baseline": p.baseline,
                        "system": p.system,
                        "signature": p.signature,
                    }
                    for p in paired
                ],
            }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return
    _print_text(hyp, corpus, results, worst, paired, compare, bootstrap, width, tok)


def _print_text(hyp, corpus, results, worst, paired, compare, n_samples, width, tok) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    refs = ", ".join(corpus.ref_names)
    console.print(Text(f"{hyp} against {refs}", style="bold"))
    detail = f"{len(corpus.hyps)} segments" + (
        f" ({corpus.alignment})" if corpus.alignment != "lines" else ""
    )
    console.print(Text(f"{detail}, BLEU tokenizer {tok}", style="dim"))
    t = Table(show_header=True, header_style="bold")
    t.add_column("metric")
    t.add_column("score", justify="right")
    t.add_column("details")
    for r in results:
        t.add_row(r.name, r.text, r.verbose)
    console.print(t)
    console.print("signatures", style="bold")
    for r in results:
        console.print(f"  {r.name:<8} {r.signature}")

    if worst:
        console.print()
        console.print(Text(f"{len(worst)} worst segments by sentence chrF", style="bold"))
        w = Table(show_header=True, header_style="bold", show_lines=True)
        w.add_column("segment", justify="right")
        w.add_column("chrF", justify="right")
        w.add_column("BLEU", justify="right")
        w.add_column("hypothesis", ratio=1)
        w.add_column("reference" if len(corpus.refs) == 1 else "reference 1", ratio=1)
        for s in worst:
            w.add_row(
                s.label, f"{s.chrf:.{width}f}", f"{s.bleu:.{width}f}", s.hypothesis, s.references[0]
            )
        console.print(w)

    if paired:
        console.print()
        console.print(
            Text(
                f"paired bootstrap resampling ({n_samples} resamples): {compare} against {hyp}",
                style="bold",
            )
        )
        p = Table(show_header=True, header_style="bold")
        p.add_column("metric")
        p.add_column(f"{hyp} (μ ± 95% CI)", justify="right")
        p.add_column(f"{compare} (μ ± 95% CI)", justify="right")
        p.add_column("p-value", justify="right")
        for r in paired:
            b, s = r.baseline, r.system
            pv = f"{s['p_value']:.4f}" + ("*" if s["p_value"] <= 0.05 else "")
            p.add_row(
                r.name,
                f"{b['score']:.{width}f} ({b['mean']:.{width}f} ± {b['ci']:.{width}f})",
                f"{s['score']:.{width}f} ({s['mean']:.{width}f} ± {s['ci']:.{width}f})",
                pv,
            )
        console.print(p)
        console.print(
            Text(
                "* p ≤ 0.05: the difference is unlikely to be chance (it says the systems differ, not which is better).",
                style="dim",
            )
        )
        console.print("signatures", style="bold")
        for r in paired:
            console.print(f"  {r.name:<8} {r.signature}")


def register(app) -> None:
    app.command(name="score")(score)
