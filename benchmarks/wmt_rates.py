#!/usr/bin/env python3
"""Finding rates on the WMT French news documents (rules only unless --lm).

Groups: French originals (human_fr, origlang fr), human translations from English (human_en),
machine translations from English (mt), and the modern French originals of WMT22 (modern_fr:
news and social-media posts written in 2021, ../shared/data/modern-fr/wmt22_fr_originals.jsonl). Prints, per group, findings per 1,000 words (all, and
major or worse), per-rule counts, and the most frequent findings on the French originals (the
false alarms: nobody translated those texts).

    python benchmarks/wmt_rates.py [--data ../shared/data/wmt-fr-news] [--mt-limit 600]
        [--select EN,AN] [--top 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

from mtaudit.auditor import Auditor
from mtaudit.core.config import Config
from mtaudit.io.inputs import Item

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"
DEFAULT_MODERN = HERE.parent.parent / "shared" / "data" / "modern-fr" / "wmt22_fr_originals.jsonl"
ORIGINALS = ("human_fr", "modern_fr")


def load_groups(data: Path, mt_limit: int, seed: int = 0, modern: Path | None = None) -> dict[str, list[dict]]:
    human = [json.loads(line) for line in open(data / "human_fr_docs.jsonl", encoding="utf-8")]
    mt = [json.loads(line) for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8")]
    random.Random(seed).shuffle(mt)
    groups = {
        "human_fr": [d for d in human if d["origlang"] == "fr"],
        "human_en": [d for d in human if d["origlang"] == "en"],
        "mt": mt[:mt_limit] if mt_limit else mt,
    }
    if modern is not None and modern.exists():
        groups["modern_fr"] = [json.loads(line) for line in open(modern, encoding="utf-8")]
    return groups


def doc_text(d: dict) -> str:
    return "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--modern", type=Path, default=DEFAULT_MODERN, help="modern French originals (JSONL)")
    ap.add_argument("--mt-limit", type=int, default=600, help="MT documents to sample (0 = all)")
    ap.add_argument("--select", default=None, help="rule codes or prefixes, comma-separated")
    ap.add_argument("--lm", action="store_true", help="also run the language-model checks")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()

    cfg = Config(lm=a.lm, select=a.select.upper().split(",") if a.select else None)
    auditor = Auditor(cfg)
    groups = load_groups(a.data, a.mt_limit, modern=a.modern)
    result: dict = {}
    false_alarms: collections.Counter = collections.Counter()
    for name, docs in groups.items():
        t0 = time.perf_counter()
        words = n_all = n_major = 0
        per_rule: collections.Counter = collections.Counter()
        per_rule_major: collections.Counter = collections.Counter()
        verdicts: collections.Counter = collections.Counter()
        for d in docs:
            card = auditor.audit_item(Item(f"{d['doc_id']}", doc_text(d)))
            verdicts[card.verdict] += 1
            words += card.scores.get("words", 0)
            for f in card.findings:
                n_all += 1
                per_rule[f.rule] += 1
                if f.severity.rank >= 2:
                    n_major += 1
                    per_rule_major[f.rule] += 1
                    if name in ORIGINALS:
                        false_alarms[(f.rule, f.text.lower())] += 1
        secs = time.perf_counter() - t0
        result[name] = {
            "docs": len(docs),
            "words": words,
            "findings_per_1k": round(1000 * n_all / max(words, 1), 3),
            "major_per_1k": round(1000 * n_major / max(words, 1), 3),
            "verdicts": dict(verdicts),
            "per_rule": dict(per_rule.most_common()),
            "per_rule_major": dict(per_rule_major.most_common()),
            "seconds": round(secs, 1),
            "articles_per_s": round(len(docs) / secs, 1),
        }
        print(
            f"{name:<9} docs {len(docs):>5}  words {words:>8}  findings/1k {result[name]['findings_per_1k']:>7.3f}"
            f"  major/1k {result[name]['major_per_1k']:>7.3f}  verdicts {dict(verdicts)}  ({result[name]['articles_per_s']} art/s)"
        )
    fr, mt = result["human_fr"]["major_per_1k"], result["mt"]["major_per_1k"]
    print(f"ratio mt/human_fr (major per 1k): {mt / fr:.1f}" if fr else "ratio mt/human_fr: human_fr has no major finding")
    print(f"\nmost frequent major findings on French originals (false alarms), top {a.top}:")
    for (rule, text), n in false_alarms.most_common(a.top):
        print(f"  {n:>4}  {rule}  {text!r}")
    for name in result:
        print(f"\nper rule, {name} (all / major): ", end="")
        print(", ".join(f"{r} {n}/{result[name]['per_rule_major'].get(r, 0)}" for r, n in result[name]["per_rule"].items()))
    orig = [n for n in ORIGINALS if n in result]
    words_o = sum(result[n]["words"] for n in orig)
    major_o: collections.Counter = collections.Counter()
    for n in orig:
        major_o.update(result[n]["per_rule_major"])
    total = sum(major_o.values())
    print(f"\nmajor findings per 1,000 words on French originals ({' + '.join(orig)}, {words_o} words): "
          f"{1000 * total / max(words_o, 1):.3f} overall")
    for n in orig:
        print(f"  {n:<9}: " + ", ".join(f"{r} {1000 * c / max(result[n]['words'], 1):.3f}"
                                      for r, c in sorted(result[n]["per_rule_major"].items())) or "-")
    print("  by rule (both): " + (", ".join(f"{r} {1000 * c / max(words_o, 1):.3f}" for r, c in sorted(major_o.items())) or "none"))
    result["originals_major_per_1k"] = {
        "words": words_o,
        "overall": round(1000 * total / max(words_o, 1), 3),
        "by_rule": {r: round(1000 * c / max(words_o, 1), 3) for r, c in sorted(major_o.items())},
    }
    result["false_alarms_top"] = [[r, t, n] for (r, t), n in false_alarms.most_common(a.top)]
    if a.json:
        a.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
