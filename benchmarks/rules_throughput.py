#!/usr/bin/env python3
"""Rules-only throughput and start-up time of mtaudit.

Measures, with ``Config(lm=False)`` (every rule, no language model):
- throughput in articles per second on the seed articles (repeated to last about a second)
  and on 1,000 WMT documents (French originals, human and machine translations, as
  benchmarks/wmt_rates.py loads them); the one-time loading of resources (wordfreq tables,
  lingua, data files) is timed apart, on a warm-up article;
- start-up: the wall time of the process ``mtaudit scan --no-lm SEED`` (best of 3), which
  includes Python start, imports, loading the resources and auditing one seed.

    python benchmarks/rules_throughput.py [--data ../shared/data/wmt-fr-news] [--docs 1000]
        [--select EN,CV] [--runs 3] [--json out.json]

Targets: start-up under 2 s, at least 50 articles/s. Other jobs on the machine slow both:
the script prints the load average it ran under, and reports CPU time beside wall time
(``articles_per_cpu_s``, ``startup_cpu_seconds``): on a shared machine the process's own CPU
seconds move much less than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from mtaudit.auditor import Auditor
from mtaudit.core.config import Config
from mtaudit.io.inputs import Item

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from wmt_rates import DEFAULT_DATA, doc_text, load_groups  # noqa: E402

SEEDS = ROOT / "seeds"


def wmt_docs(data: Path, n: int) -> list[str]:
    """n documents: the French originals, then human translations, then MT, in that order."""
    groups = load_groups(data, mt_limit=0)
    docs = [doc_text(d) for name in ("human_fr", "human_en", "mt") for d in groups[name]]
    return docs[:n]


def throughput(
    auditor: Auditor, texts: list[str], min_seconds: float = 0.0
) -> tuple[float, int, float, float]:
    """(articles per second, articles audited, seconds, CPU seconds of this process)."""
    n = 0
    t0, c0 = time.perf_counter(), time.process_time()
    while True:
        for i, text in enumerate(texts):
            auditor.audit_item(Item(f"doc{i}", text))
            n += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return n / elapsed, n, elapsed, time.process_time() - c0


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def startup(seed: Path, runs: int, select: str | None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (user + system) of each run of the process."""
    exe = shutil.which("mtaudit", path=str(Path(sys.executable).parent)) or "mtaudit"
    cmd = [exe, "scan", "--no-lm", "--format", "json", str(seed)]
    if select:
        for s in select.split(","):
            cmd += ["--select", s]
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), _children_cpu()
        p = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        cpu.append(_children_cpu() - c0)
        if p.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed (exit {p.returncode}): {p.stderr[-500:]}")
    return times, cpu


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=1000, help="WMT documents to audit")
    ap.add_argument("--select", default=None, help="rule codes or prefixes, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="start-up runs (best is reported)")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()

    result: dict = {"load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    seeds = sorted(SEEDS.glob("*.txt"))
    seed_texts = [p.read_text(encoding="utf-8") for p in seeds]

    cfg = Config(lm=False, select=a.select.upper().split(",") if a.select else None)
    t0 = time.perf_counter()
    auditor = Auditor(cfg)
    auditor.audit_item(Item("warm-up", seed_texts[-1]))  # loads wordfreq, lingua, data files
    result["first_article_seconds"] = round(time.perf_counter() - t0, 3)
    result["rules"] = len(auditor.checks)

    rate, n, secs, cpu = throughput(auditor, seed_texts, min_seconds=1.0)
    result["seeds"] = {
        "articles": n,
        "seconds": round(secs, 3),
        "articles_per_s": round(rate, 1),
        "articles_per_cpu_s": round(n / cpu, 1),
    }
    print(f"seeds: {n} articles in {secs:.2f} s: {rate:.1f} articles/s")

    if (a.data / "human_fr_docs.jsonl").is_file():
        docs = wmt_docs(a.data, a.docs)
        words = sum(len(t.split()) for t in docs)
        rate, n, secs, cpu = throughput(auditor, docs)
        result["wmt"] = {
            "articles": n,
            "words": words,
            "seconds": round(secs, 3),
            "articles_per_s": round(rate, 1),
            "articles_per_cpu_s": round(n / cpu, 1),
        }
        print(f"wmt: {n} documents ({words} words) in {secs:.2f} s: {rate:.1f} articles/s")
    else:
        print(f"wmt: no data at {a.data}, skipped")

    times, cpu = startup(seeds[-1], a.runs, a.select)
    result["startup_seconds"] = {"best": round(min(times), 3), "runs": [round(t, 3) for t in times]}
    result["startup_cpu_seconds"] = {"best": round(min(cpu), 3), "runs": [round(t, 3) for t in cpu]}
    print(
        f"start-up (mtaudit scan --no-lm {seeds[-1].name}): best {min(times):.2f} s of {[round(t, 2) for t in times]}"
    )
    print(f"first article in process (resource loading): {result['first_article_seconds']:.2f} s")
    print(f"load average during the run: {result['load_average']} on {result['cpus']} CPUs")
    ok_start = min(times) < 2.0
    ok_rate = result.get("wmt", result["seeds"])["articles_per_s"] >= 50
    print(
        f"targets: start-up < 2 s {'met' if ok_start else 'NOT met'}; >= 50 articles/s {'met' if ok_rate else 'NOT met'}"
    )
    if a.json:
        a.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
