#!/usr/bin/env python3
"""Parity of `mtaudit score` with the `sacrebleu` command line, digit for digit.

For a few WMT English->French systems (by default one a year, 2008-2013), writes aligned files
into a temporary directory: the system's French output of every document, one sentence a line
(documents sorted by doc_id), and the human French of the same documents (same doc_id, same
sentence count) as the reference. Then runs, on the same files:

* per BLEU tokenizer that works offline (13a, intl, char, none): BLEU; with 13a also chrF, chrF++
  and TER (which do not use the BLEU tokenizer), at widths 1 (sacrebleu's default) and 4;
* two references (the human French and a second system of the same year, as a pseudo
  reference): every metric;
* the paired bootstrap test (`--paired-bs`, 1000 resamples, seed 12345) of two systems;

and compares every number sacrebleu prints: at width 1 (its default) with mtaudit's text table
(score, BLEU's precisions, brevity penalty, ratio and lengths) and signature lines; at width 4 with
mtaudit's JSON (score, details, signature); for the paired test, sacrebleu's table at width 3
(score, bootstrap mean, 95% CI, p-value at 4 decimals, the * mark) and signatures with mtaudit's
JSON and text table (sacrebleu's JSON output fails on that test: numpy float32).
Exit code 0 when everything is equal.

    python benchmarks/sacrebleu_parity.py [--data ../shared/data/wmt-fr-news] [--systems 6]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wmt-fr-news"
BIN = Path(sys.executable).parent
TOKENIZERS = ("13a", "intl", "char", "none")
WIDTHS = (1, 4)
ENV = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}


def load(data: Path) -> tuple[dict, dict]:
    human = {}
    for line in open(data / "human_fr_docs.jsonl", encoding="utf-8"):
        d = json.loads(line)
        human[d["doc_id"]] = d["sentences"]
    by_sys: dict[tuple[int, str], list[dict]] = {}
    for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8"):
        d = json.loads(line)
        by_sys.setdefault((d["year"], d["system"]), []).append(d)
    return human, by_sys


def choose(by_sys: dict, n: int) -> list[tuple[int, str]]:
    """n systems: the first (alphabetically) of each year, then the second of each year..."""
    years = sorted({y for y, _ in by_sys})
    out = []
    for i in range(n):
        year = years[i % len(years)]
        names = sorted(s for y, s in by_sys if y == year)
        out.append((year, names[(i // len(years)) % len(names)]))
    return out


def write_files(human: dict, by_sys: dict, chosen: list[tuple[int, str]], out: Path) -> list[dict]:
    """Aligned hypothesis / reference files; returns one entry a system."""
    runs = []
    for year, name in chosen:
        docs = sorted(by_sys[(year, name)], key=lambda d: d["doc_id"])
        hyp, ref = [], []
        for d in docs:
            h, r = d["sentences"], human[d["doc_id"]]
            if len(h) != len(r):
                continue  # not aligned: left out (none are in the 2008-2013 data)
            hyp.extend(" ".join(s.split()) for s in h)
            ref.extend(" ".join(s.split()) for s in r)
        stem = f"{year}-{name}".replace("/", "_")
        (out / f"{stem}.hyp.txt").write_text("\n".join(hyp) + "\n", encoding="utf-8")
        (out / f"{stem}.ref.txt").write_text("\n".join(ref) + "\n", encoding="utf-8")
        runs.append(
            {
                "year": year,
                "system": name,
                "hyp": str(out / f"{stem}.hyp.txt"),
                "ref": str(out / f"{stem}.ref.txt"),
                "segments": len(hyp),
                "docs": len(docs),
            }
        )
    return runs


def run(cmd: list[str]) -> str:
    p = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.strip()}")
    return p.stdout


def sacrebleu(refs: list[str], hyps: list[str], *args: str) -> object:
    return json.loads(run([str(BIN / "sacrebleu"), *refs, "-i", *hyps, "-f", "json", "-q", *args]))


def mtaudit(hyp: str, refs: list[str], *args: str, fmt: str = "json"):
    cmd = [
        str(BIN / "mtaudit"),
        "score",
        hyp,
        *[a for r in refs for a in ("--ref", r)],
        "--format",
        fmt,
        *args,
    ]
    out = run(cmd)
    return json.loads(out) if fmt == "json" else out


class Tally:
    def __init__(self) -> None:
        self.equal = 0
        self.diffs: list[str] = []

    def same(self, what: str, theirs, ours) -> None:
        if theirs == ours:
            self.equal += 1
        else:
            self.diffs.append(f"{what}: sacrebleu {theirs!r} != mtaudit {ours!r}")


def text_row(text: str, name: str, after: str = "") -> list[str]:
    """The cells of the table row of metric ``name`` in mtaudit's text output."""
    if after:
        text = text.split(after, 1)[-1]
    row = next((ln for ln in text.splitlines() if ln.strip("│┃ ").startswith(name + " ")), "")
    return [c.strip() for c in row.replace("┃", "│").split("│") if c.strip()]


def compare_json(t: Tally, label: str, theirs: list[dict], ours: dict) -> None:
    """sacrebleu's JSON against mtaudit's JSON (score at the printed width, details, signature)."""
    mine = {s["name"]: s for s in ours["scores"]}
    for s in theirs:
        m = mine.get(s["name"])
        if m is None:
            t.diffs.append(f"{label} {s['name']}: missing in mtaudit")
            continue
        t.same(f"{label} {s['name']} score", json.dumps(s["score"]), json.dumps(m["score"]))
        t.same(f"{label} {s['name']} signature", s["signature"], m["signature"])
        if "verbose_score" in s:
            t.same(f"{label} {s['name']} details", s["verbose_score"], m.get("verbose_score"))


def compare_text(t: Tally, label: str, theirs: list[dict], text: str, w: int) -> None:
    """sacrebleu's JSON against mtaudit's text table (score, details) and signature lines."""
    for s in theirs:
        want = [
            s["name"],
            f"{s['score']:.{w}f}",
            *([s["verbose_score"]] if "verbose_score" in s else []),
        ]
        t.same(f"{label} {s['name']} text row", want, text_row(text, s["name"]))
        t.same(
            f"{label} {s['name']} text signature",
            True,
            f"  {s['name']:<8} {s['signature']}" in text,
        )


def parse_paired_table(out: str) -> tuple[dict, dict, dict]:
    """sacrebleu's paired-test table (-f text): printed cells of the baseline and the system by
    metric name, and the signatures by metric name."""
    rows = [ln for ln in out.splitlines() if ln.startswith("│")]
    cells = [[c.strip() for c in ln.strip("│").split("│")] for ln in rows]
    names = [c.replace(" (μ ± 95% CI)", "") for c in cells[0][1:]]
    base = dict(zip(names, cells[1][1:], strict=True))
    system = {
        n: f"{a} {b}".strip() for n, a, b in zip(names, cells[2][1:], cells[3][1:], strict=True)
    }
    sigs = {}
    for ln in out.split("Metric signatures", 1)[1].splitlines():
        if ln.startswith(" - "):
            name, sig = ln[3:].split(None, 1)
            sigs[name] = sig.strip()
    return base, system, sigs


def compare_paired(t: Tally, label: str, out: str, ours: dict, text: str, w: int) -> None:
    base, system, sigs = parse_paired_table(out)
    for m in ours["compare"]["metrics"]:
        name, b, s = m["name"], m["baseline"], m["system"]
        mine_b = f"{b['score']:.{w}f} ({b['mean']:.{w}f} ± {b['ci']:.{w}f})"
        mine_s = f"{s['score']:.{w}f} ({s['mean']:.{w}f} ± {s['ci']:.{w}f})"
        star = "*" if s["p_value"] <= 0.05 else ""
        t.same(f"{label} {name} baseline", base.get(name), mine_b)
        t.same(
            f"{label} {name} system + p",
            system.get(name),
            f"{mine_s} (p = {s['p_value']:.4f}){star}",
        )
        t.same(f"{label} {name} signature", sigs.get(name), m["signature"])
        cells = text_row(text, name, after="paired bootstrap resampling")
        t.same(
            f"{label} {name} text row", [name, mine_b, mine_s, f"{s['p_value']:.4f}{star}"], cells
        )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--systems", type=int, default=6, help="systems to score (one a year, then more)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()

    t = Tally()
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="mtaudit-parity-") as tmp:
        human, by_sys = load(a.data)
        runs = write_files(human, by_sys, choose(by_sys, a.systems), Path(tmp))
        for r in runs:
            label = f"{r['year']} {r['system']}"
            print(f"{label}: {r['docs']} documents, {r['segments']} segments", flush=True)
            for w in WIDTHS:
                theirs = sacrebleu(
                    [r["ref"]], [r["hyp"]], "-m", "bleu", "chrf", "ter", "-w", str(w)
                )
                theirs += [
                    sacrebleu(
                        [r["ref"]], [r["hyp"]], "-m", "chrf", "--chrf-word-order", "2", "-w", str(w)
                    )
                ]
                # width 1 (sacrebleu's default) against mtaudit's text table, width 4 against its JSON:
                # each mtaudit run computes all four metrics, TER being the slow one
                if w == 1:
                    text = mtaudit(r["hyp"], [r["ref"]], fmt="text")
                    compare_text(t, f"{label} 13a w1", theirs, text, 1)
                    print("  " + "  ".join(f"{s['name']} {s['score']}" for s in theirs), flush=True)
                else:
                    compare_json(
                        t, f"{label} 13a w{w}", theirs, mtaudit(r["hyp"], [r["ref"]], "-w", str(w))
                    )
                for tok in TOKENIZERS[1:]:
                    theirs = [
                        sacrebleu(
                            [r["ref"]], [r["hyp"]], "-m", "bleu", "--tokenize", tok, "-w", str(w)
                        )
                    ]
                    if w == 1:
                        text = mtaudit(
                            r["hyp"], [r["ref"]], "-m", "bleu", "--tokenize", tok, fmt="text"
                        )
                        compare_text(t, f"{label} {tok} w1", theirs, text, 1)
                        print(f"  BLEU tok:{tok} {theirs[0]['score']}", flush=True)
                    else:
                        ours = mtaudit(
                            r["hyp"], [r["ref"]], "-m", "bleu", "--tokenize", tok, "-w", str(w)
                        )
                        compare_json(t, f"{label} {tok} w{w}", theirs, ours)

        # two references: the human French and a second system of the same year
        r1 = runs[0]
        second = sorted(s for y, s in by_sys if y == r1["year"] and s != r1["system"])
        if second:
            (r2,) = write_files(human, by_sys, [(r1["year"], second[0])], Path(tmp))
            label = f"2 refs ({r1['system']} vs human + {r2['system']})"
            print(label, flush=True)
            theirs = sacrebleu(
                [r1["ref"], r2["hyp"]], [r1["hyp"]], "-m", "bleu", "chrf", "ter", "-w", "2"
            )
            theirs += [
                sacrebleu(
                    [r1["ref"], r2["hyp"]],
                    [r1["hyp"]],
                    "-m",
                    "chrf",
                    "--chrf-word-order",
                    "2",
                    "-w",
                    "2",
                )
            ]
            ours = mtaudit(r1["hyp"], [r1["ref"], r2["hyp"]], "-w", "2")
            compare_json(t, label, theirs, ours)

            label = f"paired-bs ({r1['system']} vs {r2['system']})"
            print(label, flush=True)
            # (sacrebleu's JSON output of the paired test fails on numpy floats: its table is read)
            sb = [
                str(BIN / "sacrebleu"),
                r1["ref"],
                "-i",
                r1["hyp"],
                r2["hyp"],
                "--paired-bs",
                "-f",
                "text",
                "-q",
                "-w",
                "3",
            ]
            out = run([*sb, "-m", "bleu", "chrf", "ter"])
            out_pp = run([*sb, "-m", "chrf", "--chrf-word-order", "2"])
            ours = mtaudit(r1["hyp"], [r1["ref"]], "--compare", r2["hyp"], "-w", "3")
            text = mtaudit(r1["hyp"], [r1["ref"]], "--compare", r2["hyp"], "-w", "3", fmt="text")
            compare_paired(
                t,
                label,
                out,
                {
                    "compare": {
                        "metrics": [m for m in ours["compare"]["metrics"] if m["name"] != "chrF2++"]
                    }
                },
                text,
                3,
            )
            compare_paired(
                t,
                label,
                out_pp,
                {
                    "compare": {
                        "metrics": [m for m in ours["compare"]["metrics"] if m["name"] == "chrF2++"]
                    }
                },
                text,
                3,
            )
        if a.keep:
            keep = Path(tempfile.mkdtemp(prefix="mtaudit-parity-kept-"))
            for f in Path(tmp).iterdir():
                (keep / f.name).write_bytes(f.read_bytes())
            print(f"files kept in {keep}")

    print(f"\n{t.equal} values equal, {len(t.diffs)} different ({time.time() - t0:.0f} s)")
    for d in t.diffs[:50]:
        print("  DIFF " + d)
    return 0 if not t.diffs else 1


if __name__ == "__main__":
    sys.exit(main())
