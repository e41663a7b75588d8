#!/usr/bin/env python3
"""Calibrate the fluency score: the distribution of sentence perplexities on the French
originals of the WMT news test sets (../shared/data/wmt-fr-news, origlang fr), written to
mtaudit/data/fluency_calibration.json (the data itself is not copied, only quantiles).

Optionally (``--auc-docs N``) also measures how well sentence perplexity separates machine
translations from human text of the same documents (sentence-level ROC AUC).

    python training/calibrate_fluency.py [--model PATH|ID] [--output FILE] [--auc-docs 60]

Sentences are selected exactly as the FL601 check selects them (body sentences of at least
``min_words`` words, as segmented by mtaudit.Document), and scored with the same scorer.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

from mtaudit.document import Document
from mtaudit.lm.fluency import CALIBRATION_FILE, DEFAULT_MIN_WORDS, selected_sentences, slug
from mtaudit.lm.loading import load_lm
from mtaudit.lm.paths import DEFAULT_MODEL_ID, cache_dir
from mtaudit.resources import data_path

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"


def doc_text(d: dict) -> str:
    return "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n"


def quantiles(values: list[float], n: int) -> list[float]:
    v = sorted(values)
    out = []
    for k in range(n + 1):
        pos = k * (len(v) - 1) / n
        i = int(math.floor(pos))
        frac = pos - i
        out.append(v[i] if i + 1 >= len(v) else v[i] * (1 - frac) + v[i + 1] * frac)
    return [round(x, 5) for x in out]


def doc_sentences(lm, d: dict, min_words: int):
    doc = Document(doc_text(d), source=d["doc_id"])
    sel = [i for i, counted in selected_sentences(doc, min_words) if counted]
    texts = [doc.sentences[i].text for i in sel]
    return lm.score(texts) if texts else []


def auc(pos: list[float], neg: list[float]) -> float:
    """P(score of a positive > score of a negative), ties counted half (Mann-Whitney)."""
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + j + 1) / 2
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--model", default=None, help="model path or hub id (default: the embedded Gemma)"
    )
    ap.add_argument("--allow-network", action="store_true")
    ap.add_argument(
        "--output",
        type=Path,
        default=None,
        help="default: the shipped table for the default model, the cache otherwise",
    )
    ap.add_argument("--min-words", type=int, default=DEFAULT_MIN_WORDS)
    ap.add_argument(
        "--limit", type=int, default=0, help="only the first N originals (for a quick try)"
    )
    ap.add_argument(
        "--auc-docs", type=int, default=0, help="also measure the MT-vs-human AUC on N documents"
    )
    ap.add_argument("--skip-calibration", action="store_true")
    a = ap.parse_args()

    lm = load_lm(a.model, allow_network=a.allow_network)
    model_id = lm.model_id if a.model is None else a.model
    if a.model is None:
        model_id = DEFAULT_MODEL_ID
    print(
        f"model {model_id} ({lm.info.get('fingerprint')}), vocab mode {lm.vocab_mode}",
        file=sys.stderr,
    )
    human = [json.loads(line) for line in open(a.data / "human_fr_docs.jsonl", encoding="utf-8")]
    originals = [d for d in human if d["origlang"] == "fr"]
    if a.limit:
        originals = originals[: a.limit]

    if not a.skip_calibration:
        t0 = time.perf_counter()
        sent_lp, art_lp = [], []
        for k, d in enumerate(originals):
            res = [r for r in doc_sentences(lm, d, a.min_words) if r.n_tokens]
            if not res:
                continue
            sent_lp.extend(r.mean_surprisal for r in res)
            n = sum(r.n_tokens for r in res)
            art_lp.append(sum(r.total_surprisal for r in res) / n)
            if (k + 1) % 20 == 0:
                print(
                    f"  {k + 1}/{len(originals)} documents, {time.perf_counter() - t0:.0f} s",
                    file=sys.stderr,
                )
        secs = time.perf_counter() - t0
        entry = {
            "model": model_id,
            "fingerprint": lm.fingerprint,
            "vocab_mode": lm.vocab_mode,
            "source": "WMT newstest 2008-2013, French side, documents written in French (origlang fr)",
            "documents": len(art_lp),
            "sentences": len(sent_lp),
            "min_words": a.min_words,
            "sentence_median_perplexity": round(math.exp(quantiles(sent_lp, 2)[1]), 2),
            "article_median_perplexity": round(math.exp(quantiles(art_lp, 2)[1]), 2),
            "sentence_log_ppl_quantiles": quantiles(sent_lp, 1000),
            "article_log_ppl_quantiles": quantiles(art_lp, 100),
            "made_by": "training/calibrate_fluency.py",
        }
        out = a.output
        if out is None:
            out = (
                data_path(CALIBRATION_FILE)
                if a.model is None
                else cache_dir() / "calibration" / f"{slug(model_id)}.json"
            )
        table = {"models": {}}
        if out.is_file():
            table = json.loads(out.read_text(encoding="utf-8"))
        table.setdefault("models", {})[model_id] = entry
        table["about"] = (
            "Quantiles (1000 steps for sentences, 100 for articles) of the natural-log perplexity "
            "of body sentences of at least min_words words, and of articles (token-weighted), "
            "on WMT French news originals. Made by training/calibrate_fluency.py; read by "
            "mtaudit.lm.fluency."
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(
            f"calibration: {len(sent_lp)} sentences, {len(art_lp)} documents, "
            f"median sentence perplexity {entry['sentence_median_perplexity']}, "
            f"median article perplexity {entry['article_median_perplexity']}, {secs:.0f} s -> {out}",
            file=sys.stderr,
        )

    if a.auc_docs:
        mt = [json.loads(line) for line in open(a.data / "mt_enfr_docs.jsonl", encoding="utf-8")]
        by_id: dict[str, list[dict]] = {}
        for d in mt:
            by_id.setdefault(d["doc_id"], []).append(d)
        hum_by_id = {d["doc_id"]: d for d in human}
        rng = random.Random(0)
        ids = sorted(i for i in by_id if i in hum_by_id)
        rng.shuffle(ids)
        ids = ids[: a.auc_docs]
        groups: dict[str, tuple[list[float], list[float]]] = {}
        t0 = time.perf_counter()
        for doc_id in ids:
            h = hum_by_id[doc_id]
            m = rng.choice(sorted(by_id[doc_id], key=lambda d: d["system"]))
            hs = [r.mean_surprisal for r in doc_sentences(lm, h, a.min_words) if r.n_tokens]
            ms = [r.mean_surprisal for r in doc_sentences(lm, m, a.min_words) if r.n_tokens]
            for g in ("all", f"origlang={h['origlang']}"):
                pos, neg = groups.setdefault(g, ([], []))
                pos.extend(ms)
                neg.extend(hs)
        print(
            f"AUC of sentence perplexity, MT (positive) vs human, {len(ids)} documents, one MT system each "
            f"({time.perf_counter() - t0:.0f} s):"
        )
        for g, (pos, neg) in sorted(groups.items()):
            print(f"  {g:14s} AUC {auc(pos, neg):.3f}  ({len(pos)} MT, {len(neg)} human sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
