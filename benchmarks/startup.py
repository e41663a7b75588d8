#!/usr/bin/env python3
"""Start-up time of short runs: `mtaudit scan FILE --no-lm` of one short article and
`mtaudit rules`, against `python -c pass` and `mtaudit --version` measured in the same run.

Each command is one new process, as a user starts it; the commands are run in turn, round
after round (interleaved, so a busy spell on a shared machine hits them all alike), and the
median of the rounds is reported with its ratio to the references.

    python benchmarks/startup.py [--rounds 7] [--baseline DIR] [--json out.json]

``--baseline DIR``: another source tree of mtaudit (e.g. ``git archive main | tar -x -C DIR``)
run with the same interpreter (``PYTHONPATH=DIR``), so before and after come from one run.
The built-resource artefacts (mtaudit.core.artefacts) are warm: the first round is discarded, and
one run with an empty cache (``cold``) is timed separately. So is the bytecode, as in an
installed package: PYTHONDONTWRITEBYTECODE is dropped from the children's environment, so the
first round writes each tree's ``__pycache__`` (with it set, every run recompiled each module of
a tree without caches, ~0.25 s of a scan here, and a fresh baseline copy was charged for it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "seeds" / "001_3732444aa2140bd8.txt"
CLI = "import sys; from mtaudit.cli import main; sys.exit(main())"


def timed_run(argv: list[str], env: dict) -> float:
    """Wall time of one process (exit 0 or 1 accepted: 1 is an article failing)."""
    t = time.perf_counter()
    # from a neutral folder: `python -c` puts the working directory first on sys.path
    p = subprocess.run(
        argv, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    secs = time.perf_counter() - t
    if p.returncode not in (0, 1):
        raise SystemExit(f"{argv}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
    return secs


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--file", type=Path, default=SEED)
    ap.add_argument("--baseline", type=Path, default=None, help="source tree of the old code")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()

    py = sys.executable
    base_env = dict(os.environ, HF_HUB_OFFLINE="1")
    base_env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as an installed package
    trees = {"current": ROOT}
    if a.baseline:
        trees["baseline"] = a.baseline.resolve()
    cmds: dict[str, tuple[list[str], dict]] = {"python -c pass": ([py, "-c", "pass"], base_env)}
    for name, tree in trees.items():
        env = dict(base_env, PYTHONPATH=str(tree))
        cli = [py, "-c", CLI]
        cmds[f"{name}: --version"] = (cli + ["--version"], env)
        cmds[f"{name}: scan --no-lm"] = (cli + ["scan", str(a.file.resolve()), "--no-lm"], env)
        cmds[f"{name}: rules"] = (cli + ["rules"], env)

    times: dict[str, list[float]] = {k: [] for k in cmds}
    load0 = os.getloadavg()[0]
    for r in range(a.rounds + 1):
        for k, (argv, env) in cmds.items():
            secs = timed_run(argv, env)
            if r:  # round 0 warms the page cache and the artefacts
                times[k].append(secs)
    with tempfile.TemporaryDirectory() as empty:  # a first run: artefacts built
        argv, env = cmds["current: scan --no-lm"]
        cold = timed_run(argv, dict(env, MTAUDIT_CACHE=empty))
    med = {k: statistics.median(v) for k, v in times.items()}
    ref_py = med["python -c pass"]
    out: dict = {"rounds": a.rounds, "file": str(a.file), "load_average": [round(load0, 2)]}
    rows = {}
    for k, m in med.items():
        ver = med.get(k.split(":")[0] + ": --version", m)
        rows[k] = {
            "median_s": round(m, 3),
            "min_s": round(min(times[k]), 3),
            "ratio_to_python": round(m / ref_py, 2),
            "ratio_to_version": round(m / ver, 2),
        }
    out["commands"] = rows
    out["current: scan --no-lm, empty cache (first run)"] = round(cold, 3)
    out["load_average"].append(round(os.getloadavg()[0], 2))
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
