#!/usr/bin/env python3
"""Throughput of `mtaudit scan` against the Ray engine with 1 and 2 workers, in one run.

Generated articles (the seed sentences reshuffled, as benchmarks/scan_batch.py makes them) in
one JSONL file, audited three ways, each in a fresh process:

* ``scan``: ``mtaudit scan --format jsonl`` (the local engine; with the LM, torch uses all
  cores);
* ``ray-1``: ``mtaudit scan --engine ray --workers 1 --threads 1`` on a local Ray cluster;
* ``ray-2``: the same with ``--workers 2`` (2 actors of 1 CPU each).

For each: wall time and articles/s (including Ray's start-up), the pipeline's own seconds
from run.json (read, audit, write: without starting Ray), the peak RSS of the driver process
and of each actor (the model's memory per actor), and whether the set of scorecards equals
the local scan's. Run it under the shared lock, one size at a time:

    flock /tmp/mtaudit-bench.lock .venv/bin/python benchmarks/ray_scan.py --articles 10000
    flock /tmp/mtaudit-bench.lock .venv/bin/python benchmarks/ray_scan.py --articles 200 --lm
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_batch import generate  # noqa: E402

MEASURE = """
import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    p = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE, text=True)
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(cmd: list[str], stdout: Path, timeout: float) -> tuple[float, int, float]:
    """(seconds, exit code, peak RSS MB of the command's process tree's largest process)."""
    t0 = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-c", MEASURE, str(stdout), *cmd], capture_output=True, text=True, timeout=timeout
    )
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rc, rss_kb = p.stdout.split()
    return secs, int(rc), int(rss_kb) / 1024


def canon_scan(path: Path) -> collections.Counter:
    return collections.Counter(path.read_text(encoding="utf-8").splitlines())


def canon_ray(out_dir: Path) -> collections.Counter:
    c: collections.Counter = collections.Counter()
    for f in sorted(glob.glob(str(out_dir / "scorecards" / "*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            rec = json.loads(line)
            rec.pop("input")
            c[json.dumps(rec, ensure_ascii=False)] += 1
    return c


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--lm", action="store_true", help="with the language model (keep --articles small)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed per configuration")
    a = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    exe = shutil.which("mtaudit") or str(ROOT / ".venv" / "bin" / "mtaudit")
    tmp = Path(tempfile.mkdtemp(prefix="mtaudit-raybench-"))
    try:
        data = tmp / f"gen{a.articles}.jsonl"
        generate(a.articles, data)
        size_mb = data.stat().st_size / 1e6
        common = ["--max-size", f"{size_mb + 1:.0f}"] + ([] if a.lm else ["--no-lm"])
        mode = "with the LM" if a.lm else "rules only (--no-lm)"
        print(f"{a.articles} generated articles ({size_mb:.1f} MB of JSONL), {mode}, {os.cpu_count()} CPUs")
        print(f"{'engine':<8} {'wall s':>8} {'art/s':>8} {'pipeline s':>11} {'art/s':>8} {'driver MB':>10} {'actor MB':>9}  same scorecards")
        secs, rc, rss = run([exe, "scan", "--format", "jsonl", *common, str(data)], tmp / "scan.jsonl", a.timeout)
        ref = canon_scan(tmp / "scan.jsonl")
        n = sum(ref.values())
        print(f"{'scan':<8} {secs:8.1f} {a.articles / secs:8.2f} {'':>11} {'':>8} {rss:10.0f} {'':>9}  (reference, {n} lines, exit {rc})")
        for workers in (1, 2):
            out = tmp / f"ray{workers}"
            cmd = [exe, "scan", "--engine", "ray", "--workers", str(workers), "--threads", "1", *common, str(data), "-o", str(out)]
            secs, rc, rss = run(cmd, tmp / f"ray{workers}.txt", a.timeout)
            info = json.loads((out / "run.json").read_text())
            actor_mb = max(x["peak_rss_mb"] for x in info["actors"])
            same = canon_ray(out) == ref
            print(
                f"{'ray-' + str(workers):<8} {secs:8.1f} {a.articles / secs:8.2f} {info['seconds']:11.1f} "
                f"{a.articles / info['seconds']:8.2f} {rss:10.0f} {actor_mb:9.0f}  {'yes' if same else 'NO'} "
                f"(actors: {', '.join(str(x['records']) for x in info['actors'])} records; load {max(x['load_seconds'] for x in info['actors']):.1f} s)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
