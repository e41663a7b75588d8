#!/usr/bin/env python3
"""Batch scan benchmark: 1,000 and 10,000 generated articles through `mtaudit scan --format jsonl`.

Articles are generated deterministically from the seed articles' sentences (shuffled, 12–30
sentences each, some with English leftovers), written as one JSONL file per size. For each size
the scan runs in a fresh process; we report wall time, articles/s and peak RSS of that process,
to show that memory does not grow with the batch (jsonl streams: one article in memory at once).

    python benchmarks/scan_batch.py [--sizes 1000,10000] [--lm]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def seed_sentences() -> list[str]:
    out = []
    for p in sorted((ROOT / "seeds").glob("0*.txt")):
        for line in p.read_text(encoding="utf-8").split("\n"):
            for s in re.split(r"(?<=[.!?])\s+", line.strip()):
                if len(s.split()) >= 6:
                    out.append(s)
    return sorted(set(out))


def generate(n: int, path: Path) -> None:
    sents = seed_sentences()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rng = random.Random(i)
            k = rng.randint(12, 30)
            body = rng.sample(sents, min(k, len(sents)))
            paras = [" ".join(body[j : j + 3]) for j in range(0, len(body), 3)]
            fh.write(json.dumps({"id": f"gen-{i:05d}", "text": "\n\n".join(paras)}, ensure_ascii=False) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--lm", action="store_true")
    a = ap.parse_args()
    exe = shutil.which("mtaudit") or str(ROOT / ".venv" / "bin" / "mtaudit")
    tmp = Path(tempfile.mkdtemp(prefix="mtaudit-bench-"))
    try:
        for n in [int(x) for x in a.sizes.split(",")]:
            data = tmp / f"gen{n}.jsonl"
            generate(n, data)
            size_mb = data.stat().st_size / 1e6
            # one JSONL file of 10,000 articles is larger than the default 10 MB input limit
            cmd = [exe, "scan", "--format", "jsonl", "--max-size", f"{size_mb + 1:.0f}", str(data)]
            cmd += [] if a.lm else ["--no-lm"]
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True)
            secs = time.perf_counter() - t0
            rc, rss_kb = out.stdout.split()
            print(
                f"{n:>6} articles ({size_mb:.1f} MB): {secs:7.1f} s  {n / secs:7.1f} articles/s  "
                f"peak RSS {int(rss_kb) / 1024:7.1f} MB  (exit {rc})"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
