#!/usr/bin/env python3
"""mtaudit's rules (no language model) against Grammalecte, per article, on this machine.

Grammalecte (Debian's ``python3-grammalecte``: ``apt-get install python3-grammalecte``) is
installed for this benchmark only, never a dependency of mtaudit.

- **in-process**: one process loads both (Grammalecte from the system's dist-packages), warms
  both up, then audits each WMT document with mtaudit and checks it with Grammalecte (every
  paragraph, as its CLI does), alternating document by document; the medians per article and
  their ratio are reported.
- **CLI, one process per file**: ``mtaudit scan FILE --no-lm`` against a process that loads
  Grammalecte and checks the file (Grammalecte's Debian package ships no command line; this is
  what its CLI does), alternating file by file; medians and ratio.

``--baseline DIR`` runs the same measures with another mtaudit source tree (e.g.
``git archive main | tar -x -C DIR``) in the same run, so before and after come from one run.

    python benchmarks/rules_vs_grammalecte.py [--docs 200] [--files 8] [--baseline DIR] [--json out.json]
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

from startup import timed_run  # benchmarks/ is the script's folder, first on sys.path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "data" / "wmt-fr-news"
GRAMMALECTE_PATH = "/usr/lib/python3/dist-packages"
GRAMMALECTE_CLI = f"""
import sys
sys.path.append({GRAMMALECTE_PATH!r})
import grammalecte
g = grammalecte.GrammarChecker("fr")
n = 0
for para in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
    if para.strip():
        n += len(g.getParagraphErrors(para)[0])
print(n)
"""
MTAUDIT_CLI = "import sys; from mtaudit.cli import main; sys.exit(main())"


def _docs(n: int) -> list[tuple[str, str]]:
    out = []
    for name in ("human_fr_docs.jsonl", "mt_enfr_docs.jsonl"):
        with open(DATA / name, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= n // 2:
                    break
                d = json.loads(line)
                out.append((d["doc_id"], "\n".join(s.strip() for s in d["sentences"]) + "\n"))
    return out


def in_process(n_docs: int) -> dict:
    """Run in a child process (one per mtaudit tree): both checkers, document by document."""
    sys.path.append(GRAMMALECTE_PATH)
    import grammalecte

    from mtaudit.auditor import Auditor
    from mtaudit.core.config import Config
    from mtaudit.io.inputs import Item

    docs = _docs(n_docs)
    aud = Auditor(Config(lm=False))
    gram = grammalecte.GrammarChecker("fr")
    for _, text in docs[:10]:  # warm-up: resources of both
        aud.audit_item(Item("w", text))
        for p in text.split("\n"):
            if p.strip():
                gram.getParagraphErrors(p)
    ours, theirs = [], []
    for src, text in docs:
        t = time.perf_counter()
        aud.audit_item(Item(src, text))
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        for p in text.split("\n"):
            if p.strip():
                gram.getParagraphErrors(p)
        theirs.append(time.perf_counter() - t)
    m, g = statistics.median(ours), statistics.median(theirs)
    return {
        "docs": len(docs),
        "mtaudit_ms_per_article": round(1000 * m, 2),
        "grammalecte_ms_per_article": round(1000 * g, 2),
        "mtaudit_mean_ms": round(1000 * statistics.mean(ours), 2),
        "grammalecte_mean_ms": round(1000 * statistics.mean(theirs), 2),
        "speedup_vs_grammalecte": round(g / m, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--files", type=int, default=8, help="files for the CLI comparison")
    ap.add_argument("--baseline", type=Path, default=None)
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    if a.child is not None:
        print(json.dumps(in_process(a.child)))
        return 0
    if not Path(GRAMMALECTE_PATH, "grammalecte").is_dir():
        raise SystemExit("Grammalecte not found: apt-get install python3-grammalecte")

    trees = {"current": ROOT}
    if a.baseline:
        trees["baseline"] = a.baseline.resolve()
    env0 = dict(os.environ, HF_HUB_OFFLINE="1")
    out: dict = {"load_average": [round(os.getloadavg()[0], 2)], "in_process": {}, "cli": {}}
    for name, tree in trees.items():
        p = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(a.docs)],
            env=dict(env0, PYTHONPATH=str(tree)), cwd=tempfile.gettempdir(),
            capture_output=True, text=True, check=True,
        )
        out["in_process"][name] = json.loads(p.stdout.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for src, text in _docs(a.files):
            f = Path(tmp) / f"{src.replace('/', '_')}.txt"
            f.write_text(text, encoding="utf-8")
            files.append(f)
        times: dict[str, list[float]] = {k: [] for k in (*trees, "grammalecte")}
        for f in [files[0], *files]:  # the first, repeated, warms the page cache and artefacts
            for name, tree in trees.items():
                env = dict(env0, PYTHONPATH=str(tree))
                times[name].append(timed_run([sys.executable, "-c", MTAUDIT_CLI, "scan", str(f), "--no-lm"], env))
            times["grammalecte"].append(timed_run(["/usr/bin/python3", "-c", GRAMMALECTE_CLI, str(f)], env0))
        for k in times:
            times[k] = times[k][1:]
        g = statistics.median(times["grammalecte"])
        out["cli"]["grammalecte_s_per_file"] = round(g, 3)
        for name in trees:
            m = statistics.median(times[name])
            out["cli"][f"{name}_s_per_file"] = round(m, 3)
            out["cli"][f"{name}_ratio_to_grammalecte"] = round(m / g, 2)
        out["cli"]["files"] = len(files)
    out["load_average"].append(round(os.getloadavg()[0], 2))
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
