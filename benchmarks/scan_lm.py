#!/usr/bin/env python3
"""End to end with the language model: `mtaudit scan --format jsonl` of WMT-length articles
(half human, half machine-translated WMT documents) in a fresh process under
`/usr/bin/time -v`: wall time, articles/s and the process's peak RSS (the issue 18 targets:
>= 1.5 articles/s on 2 cores, peak RSS <= 1.2 GB).

    python benchmarks/scan_lm.py [--docs 40] [--json out.json] [-- extra scan options]

Use it through benchmarks/ab_compare.py (alternating before/after runs) for speed claims.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from wmt_docs import shuffled  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("extra", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    extra = a.extra[1:] if a.extra[:1] == ["--"] else a.extra
    human, mt = shuffled(a.data, seed=1)
    docs = human[: a.docs // 2] + mt[: a.docs - a.docs // 2]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for d in docs:
                text = "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n"
                fh.write(json.dumps({"id": d["doc_id"], "text": text}, ensure_ascii=False) + "\n")
        out = Path(tmp) / "out.jsonl"
        cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "mtaudit.cli", "scan",
               "--format", "jsonl", str(src), "-o", str(out), *extra]
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
        if not out.is_file():
            raise SystemExit(f"scan failed (exit {p.returncode}):\n{p.stderr[-1500:]}")
        n = sum(1 for _ in open(out, encoding="utf-8"))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", p.stderr)
    secs = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    res = {
        "articles": n,
        "seconds": round(secs, 2),
        "articles_per_s": round(n / secs, 3),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "load_average": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(res, indent=1))
    if a.json:
        a.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
