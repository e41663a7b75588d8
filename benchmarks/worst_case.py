#!/usr/bin/env python3
"""Complexity guard: adversarial inputs to `mtaudit scan --no-lm`, time and peak memory each.

Cases (each run as its own `mtaudit scan` process, so the peak RSS is that case's alone):
- ``news``: ordinary news, WMT French documents one file each (the reference: s per MB);
- ``long_token``: one token of 1,000,000 letters;
- ``repeated_name``: one name repeated 100,000 times in sentences;
- ``distinct_text``: 10 MB of distinct French text in one file (WMT documents concatenated);
- ``deep_html``: an article inside 10,000 nested <div>s (``flat_html``: the same article without
  them, its reference: one small file is mostly start-up time);
- ``records``: 100,000 tiny JSONL records, ``--format json`` (memory bound ≤ 300 MB) and
  ``--format jsonl``.

A case is linear when its time per MB is at most 2× the reference's (``ratio``; cases whose
input is far smaller than a MB are judged otherwise: deep HTML against the same article without
the nesting, records per record against the reference's per-article time). ``--timeout`` caps each case so a run on quadratic code ends
(that case then reports ``timeout``).

    flock /tmp/mtaudit-bench.lock python benchmarks/worst_case.py [--src DIR] [--timeout 120]
        [--scale 1.0] [--json out.json]

``--src DIR`` runs the mtaudit of another checkout (e.g. main's code, for a before/after):
its directory is put first on PYTHONPATH. ``--scale`` shrinks every case (0.1: a tenth).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "wmt-fr-news"


def _docs(data: Path) -> list[str]:
    """WMT news documents (human French first, then machine translations), one sentence a
    line; a sentence already seen is left out, so the text is distinct throughout."""
    out, seen = [], set()
    for name in ("human_fr_docs.jsonl", "mt_enfr_docs.jsonl"):
        with open(data / name, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                sents = [s.strip() for s in d["sentences"] if s.strip() and s.strip() not in seen]
                seen.update(sents)
                if sents:
                    out.append("\n".join(sents) + "\n")
    return out


def build_cases(tmp: Path, data: Path, scale: float) -> dict[str, tuple[list[str], int, int]]:
    """name -> (scan arguments, input bytes, records or articles)."""
    docs = _docs(data)
    cases: dict[str, tuple[list[str], int, int]] = {}

    news = tmp / "news"
    news.mkdir()
    size = n = 0
    for i, d in enumerate(docs):
        if size >= 1_000_000 * scale:
            break
        (news / f"{i:05d}.txt").write_text(d, encoding="utf-8")
        size += len(d.encode())
        n += 1
    cases["news"] = ([str(news)], size, n)

    p = tmp / "long_token.txt"
    p.write_text("a" * int(1_000_000 * scale) + "\n", encoding="utf-8")
    cases["long_token"] = ([str(p)], p.stat().st_size, 1)

    rnd = random.Random(0)
    verbs = ["a déclaré", "a rencontré", "a visité", "a annoncé", "a rappelé", "a salué"]
    objs = ["le ministre", "la presse", "les élus", "la ville de Lyon", "ses partenaires", "le public"]
    reps = int(100_000 * scale)
    sents = []
    for i in range(reps // 2):
        sents.append(f"Vladimir Poutine {rnd.choice(verbs)} {rnd.choice(objs)} mardi, et Poutine a parlé {i}.")
    p = tmp / "repeated_name.txt"
    p.write_text("\n".join(" ".join(sents[i : i + 8]) for i in range(0, len(sents), 8)) + "\n", encoding="utf-8")
    cases["repeated_name"] = ([str(p)], p.stat().st_size, 1)

    p = tmp / "distinct_text.txt"
    target = int(9_800_000 * scale)
    with open(p, "w", encoding="utf-8") as fh:
        size = 0
        for d in docs:
            if size >= target:
                break
            fh.write(d + "\n")
            size += len(d.encode()) + 1
    cases["distinct_text"] = ([str(p)], p.stat().st_size, 1)

    depth = int(10_000 * scale)
    body = "".join(f"<p>{s}</p>" for s in docs[0].splitlines())
    p = tmp / "flat.html"  # the same article without the nesting: deep_html's reference
    p.write_text("<html><body>" + body + "</body></html>", encoding="utf-8")
    cases["flat_html"] = ([str(p)], p.stat().st_size, 1)
    p = tmp / "deep.html"
    p.write_text("<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>", encoding="utf-8")
    cases["deep_html"] = ([str(p)], p.stat().st_size, 1)

    n = int(100_000 * scale)
    p = tmp / "records.jsonl"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": i, "text": f"Le maire a inauguré la place numéro {i} hier matin."}, ensure_ascii=False) + "\n")
    cases["records_json"] = ([str(p), "--format", "json"], p.stat().st_size, n)
    cases["records_jsonl"] = ([str(p), "--format", "jsonl"], p.stat().st_size, n)
    return cases


def run_case(args: list[str], src: str | None, timeout: float, out: Path) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "mtaudit.cli", "scan", "--no-lm", *args]
    if "--format" not in args:
        cmd += ["--format", "json"]
    cmd += ["--output", str(out)]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=out.parent)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    err = p.stderr.read() if p.stderr else b""
    _, status, usage = os.wait4(p.pid, 0)
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    timed_out = wall >= timeout - 0.5 and p.returncode < 0
    return {
        "seconds": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit": p.returncode,
        "timeout": timed_out,
        "stderr": err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else [],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=None, help="checkout whose mtaudit to run (PYTHONPATH)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per case")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default=None, help="comma-separated case names")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="mtaudit-worst-") as d:
        tmp = Path(d)
        cases = build_cases(tmp, a.data, a.scale)
        only = set(a.only.split(",")) if a.only else None
        results = {}
        print(f"{'case':<15}{'MB':>7}{'items':>8}{'s':>9}{'s/MB':>9}{'ratio':>7}{'RSS MB':>9}  exit")
        ref_per_mb = ref_per_item = None
        for name, (args, nbytes, items) in cases.items():
            if only and name not in only and name != "news" and not (name == "flat_html" and "deep_html" in only):
                continue
            r = run_case(args, a.src, a.timeout, tmp / f"out-{name}")
            mb = nbytes / 1e6
            r.update(mb=round(mb, 2), items=items, s_per_mb=round(r["seconds"] / mb, 2))
            if name == "news":
                ref_per_mb, ref_per_item = r["s_per_mb"], r["seconds"] / items
                r["ratio"] = 1.0
            elif name == "flat_html":
                r["ratio"] = None
            elif name == "deep_html":
                # one small article: start-up dominates, so it is judged against the same
                # article without the nesting (flat_html), not per MB
                flat = results.get("flat_html")
                r["ratio"] = round(r["seconds"] / flat["seconds"], 2) if flat else None
            elif name in ("records_json", "records_jsonl"):
                # tiny inputs: judged per article against the per-article time of news
                r["ratio"] = round(r["seconds"] / items / ref_per_item, 2) if ref_per_item else None
            else:
                r["ratio"] = round(r["s_per_mb"] / ref_per_mb, 2) if ref_per_mb else None
            results[name] = r
            shown = "timeout" if r["timeout"] else r["exit"]
            print(
                f"{name:<15}{mb:>7.2f}{items:>8}{r['seconds']:>9.2f}{r['s_per_mb']:>9.2f}"
                f"{(r['ratio'] if r['ratio'] is not None else float('nan')):>7.2f}{r['peak_rss_mb']:>9.1f}  {shown}",
                flush=True,
            )
        load = os.getloadavg()[0]
        print(f"load average {load:.2f}; src {a.src or ROOT}")
        if a.json:
            a.json.write_text(json.dumps({"src": a.src, "timeout": a.timeout, "scale": a.scale, "cases": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
