#!/usr/bin/env python3
"""Scan time of the name check (NM501–NM504) per article, default glossary vs 10,000 more entries.

Generates a house glossary of N entries (Slavic-looking names, each with a flagged English
form and an accepted variant), writes it as TSV, loads it after the default glossary, and times
the name analysis on the seeds and on WMT French documents (segmentation done beforehand, so
only the check is timed). Matching is a trie walk over tokens: the time per article should not
grow with the glossary.

    python benchmarks/glossary_bench.py [--entries 10000] [--docs 300] [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mtaudit.analyses.glossaries import load_glossary
from mtaudit.checks.names import analyse
from mtaudit.core.config import Config
from mtaudit.core.document import Document

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"
SEEDS = HERE.parent / "seeds"


def generate(n: int, seed: int = 0) -> str:
    rnd = random.Random(seed)
    onsets = [
        "b",
        "v",
        "g",
        "d",
        "k",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "z",
        "sh",
        "zh",
        "kh",
        "ch",
    ]
    vowels = ["a", "e", "i", "o", "u", "y"]
    ends = ["ov", "ev", "in", "sky", "enko", "uk"]
    seen: set[str] = set()
    lines = ["# generated house glossary for the benchmark"]
    while len(lines) <= n:
        stem = "".join(rnd.choice(onsets) + rnd.choice(vowels) for _ in range(rnd.randint(2, 3)))
        eng = (stem + rnd.choice(ends)).capitalize()
        if eng in seen:
            continue
        seen.add(eng)
        fr = eng.replace("sh", "ch").replace("zh", "j").replace("u", "ou")
        if fr == eng:
            fr = eng + "e"
        given = rnd.choice(["", "Ivan ", "Piotr ", "Anna "])
        lines.append(f"{given}{fr}\t{given}{fr}-{stem}\t{given}{eng}\tperson\tru\tminor\tgenerated")
    return "\n".join(lines) + "\n"


def load_docs(data: Path, n: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]
    if data.is_dir():
        docs = [json.loads(line) for line in open(data / "human_fr_docs.jsonl", encoding="utf-8")]
        docs += [json.loads(line) for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8")]
        random.Random(0).shuffle(docs)
        texts += [
            "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n"
            for d in docs[: max(0, n - len(texts))]
        ]
    return texts


def time_check(glossary, docs: list[Document], repeat: int) -> list[float]:
    per_doc = [float("inf")] * len(docs)
    for _ in range(repeat):
        for i, d in enumerate(docs):
            t0 = time.perf_counter()
            analyse(d, glossary)
            per_doc[i] = min(per_doc[i], time.perf_counter() - t0)
    return per_doc


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()

    texts = load_docs(a.data, a.docs)
    docs = []
    for t in texts:
        d = Document(t)
        _ = d.paragraphs, d.sentences  # segmentation is not the name check's cost
        docs.append(d)
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    base = load_glossary(config=Config())
    t_base = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        house = Path(tmp) / "generated.tsv"
        house.write_text(generate(a.entries), encoding="utf-8")
        t0 = time.perf_counter()
        big = load_glossary(config=Config(glossaries=[str(house)]))
        t_big = time.perf_counter() - t0

    result = {"docs": len(docs), "words": words, "runs": {}}
    print(f"{len(docs)} articles, {words} words; best of {a.repeat} runs per article")
    for name, g, t_load in (("default", base, t_base), (f"default+{a.entries}", big, t_big)):
        per = time_check(g, docs, a.repeat)
        ms = sorted(x * 1000 for x in per)
        r = {
            "entries": len(g),
            "load_s": round(t_load, 3),
            "mean_ms": round(statistics.fmean(ms), 3),
            "median_ms": round(statistics.median(ms), 3),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3),
            "max_ms": round(ms[-1], 3),
            "ms_per_1k_words": round(1000 * sum(ms) / max(words, 1), 3),
        }
        result["runs"][name] = r
        print(
            f"{name:<16} entries {r['entries']:>6}  load {r['load_s']:.2f}s  per article: mean {r['mean_ms']:.2f} ms, "
            f"median {r['median_ms']:.2f}, p95 {r['p95_ms']:.2f}, max {r['max_ms']:.2f}  ({r['ms_per_1k_words']:.2f} ms per 1,000 words)"
        )
    target = result["runs"][f"default+{a.entries}"]["mean_ms"]
    print(
        f"target under 10 ms per article with {a.entries} extra entries: {'met' if target < 10 else 'NOT met'} ({target:.2f} ms)"
    )
    if a.json:
        a.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
