#!/usr/bin/env python3
"""Before/after in one run: a benchmark script run alternately on two checkouts.

The machine is shared and noisy, so two numbers measured an hour apart say little. This runs
``benchmarks/<script>`` from a BEFORE checkout and from this checkout in turns (B, A, B, A, ...),
each in its own process with ``PYTHONPATH`` set to that checkout, reads the JSON each run
writes (``--json``), and prints the median of every numeric field for both and the ratio
after/before.

    python benchmarks/ab_compare.py --before /path/to/old-checkout [--rounds 3]
        [--script rules_throughput.py] [-- extra args for the script]

Example: ``python benchmarks/ab_compare.py --before ../base -- --docs 500 --runs 2``.
Both checkouts are byte-compiled first (``compileall``), as an installed package is: under
``PYTHONDONTWRITEBYTECODE`` an editable checkout would otherwise compile every module at every
start-up, which measures the size of the source rather than the program (``--no-compile``).
Each checkout runs its own copy of the script (the module layout may differ between them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def flatten(obj, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a JSON object as dotted keys (lists are skipped: they are raw runs)."""
    out: dict[str, float] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        out[prefix[:-1]] = float(obj)
    return out


def run_once(
    checkout: Path, script: str, extra: list[str], script_dir: Path | None = None
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = dict(os.environ, PYTHONPATH=str(checkout), HF_HUB_OFFLINE="1")
        path = (script_dir or checkout) / "benchmarks" / script
        cmd = [sys.executable, str(path), *extra, "--json", str(out)]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=checkout)
        if p.returncode != 0 or not out.is_file():
            raise SystemExit(f"{checkout}: {' '.join(cmd)} failed (exit {p.returncode}):\n{p.stderr[-800:]}")
        return flatten(json.loads(out.read_text(encoding="utf-8")))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="the reference checkout")
    ap.add_argument("--after", type=Path, default=ROOT, help="default: this checkout")
    ap.add_argument("--script", default="rules_throughput.py")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path, default=None, help="write the medians and ratios here")
    ap.add_argument(
        "--script-from",
        choices=("each", "after"),
        default="each",
        help="each checkout runs its own copy of the script (default), or both run the AFTER "
        "copy (when the older copy lacks a measure and the API it uses is the same)",
    )
    ap.add_argument(
        "--no-compile",
        action="store_true",
        help="do not byte-compile the two checkouts first (an installed package is compiled; "
        "under PYTHONDONTWRITEBYTECODE a checkout is not, and every start-up compiles it)",
    )
    ap.add_argument("extra", nargs=argparse.REMAINDER, help="after --: arguments for the script")
    a = ap.parse_args()
    extra = a.extra[1:] if a.extra[:1] == ["--"] else a.extra
    before, after = a.before.resolve(), a.after.resolve()
    # with --script-from after only the AFTER checkout needs the script
    for c in (before, after) if a.script_from == "each" else (after,):
        if not (c / "benchmarks" / a.script).is_file():
            raise SystemExit(f"{c}: no benchmarks/{a.script}")

    if not a.no_compile:
        for c in (before, after):
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(c / "mtaudit")],
                check=True,
                stdout=subprocess.DEVNULL,
            )
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for r in range(a.rounds):
        for name, checkout in (("before", before), ("after", after)):
            script_dir = after if a.script_from == "after" else None
            runs[name].append(run_once(checkout, a.script, extra, script_dir))
            print(f"round {r + 1}/{a.rounds}: {name} done", file=sys.stderr)

    keys = sorted(set(runs["before"][0]) & set(runs["after"][0]))
    result = {}
    print(f"{'metric':40} {'before':>10} {'after':>10} {'after/before':>12}")
    for k in keys:
        b = statistics.median(x[k] for x in runs["before"])
        n = statistics.median(x[k] for x in runs["after"])
        ratio = n / b if b else float("nan")
        result[k] = {"before": b, "after": n, "ratio": round(ratio, 3)}
        print(f"{k:40} {b:10.3f} {n:10.3f} {ratio:12.3f}")
    print(f"medians of {a.rounds} alternating rounds; before={before} after={after}")
    if a.json:
        a.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
