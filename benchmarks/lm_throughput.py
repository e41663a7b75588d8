#!/usr/bin/env python3
"""Language-model scoring speed on this machine: load time after `mtaudit model prepare`,
tokens/s and articles/s through the FL601 check on the seeds and WMT documents (the FL601 code path: segmentation, sentence selection, scoring and
calibration, without the other checks and language identification), peak RSS,
and the ratio of the FLOP/s the scorer achieves to a plain torch matmul of the same dtype.

Articles go through the model the way `mtaudit scan` sends them: in groups of --group articles
(16, scan's default) whose sentences are scored together (FL601.prepare), then one article at a
time (cache hits). `--group 1` measures one article at a time, as for a single file.

    python benchmarks/lm_throughput.py [--docs 200] [--group 16] [--vocab full|french] [--threads N] [--json out.json]

Counted FLOPs are the useful ones: 2 x (non-embedding parameters) per real input token (the
transformer body; padding not counted) plus 2 x hidden x (vocabulary rows used) per scored
token (the output layer); attention scores are left out (small for sentences). The machine's
load average is printed: other jobs on a shared machine slow everything down.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"
SEEDS = HERE.parent / "seeds"


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=200, help="WMT documents (half human, half MT)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--model", default=None)
    ap.add_argument("--vocab", choices=("default", "full", "french"), default="default")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--group", type=int, default=16, help="articles scored together (scan: 16)")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args()
    if a.threads:
        os.environ["MTAUDIT_THREADS"] = str(a.threads)

    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    from mtaudit.lm.loading import load_lm  # imports torch and transformers lazily

    lm = load_lm(a.model)
    load_total = time.perf_counter() - t0
    import torch

    from mtaudit.document import Document
    from mtaudit.inputs import Item
    from mtaudit.lm.fluency import calibration_for, prefetch, score_document
    from mtaudit.lm.vocab import french_vocab

    if a.vocab == "full":
        lm.set_vocab_subset(None)
    elif a.vocab == "french":
        lm.set_vocab_subset(french_vocab(lm.tokenizer))

    rss_after_load = _rss_mb()
    calib = calibration_for(lm.model_id)
    # the unigram side of the fluency measure: its tables load once (wordfreq, English lexicon)
    from mtaudit.lm.unigram import get_unigram, sentence_excess, units

    tu = time.perf_counter()
    uni = get_unigram(calib.oov if calib else None)
    uni.is_english("the")
    unigram_load = time.perf_counter() - tu

    items = [Item(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("0*.txt"))]
    human = [json.loads(line) for line in open(a.data / "human_fr_docs.jsonl", encoding="utf-8")]
    mt = [json.loads(line) for line in open(a.data / "mt_enfr_docs.jsonl", encoding="utf-8")]
    rng = random.Random(0)
    rng.shuffle(human)
    rng.shuffle(mt)
    docs = human[: a.docs // 2] + mt[: a.docs - a.docs // 2]
    wmt = [
        Item(d["doc_id"], "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n")
        for d in docs
    ]

    results = {}
    for name, batch in (("seeds", items), ("wmt", wmt)):
        s0 = dict(lm.stats)
        t = time.perf_counter()
        for g in range(0, len(batch), a.group):  # what scan and FL601 do (segmentation included)
            docs = [Document(it.text, source=it.source) for it in batch[g : g + a.group]]
            prefetch(docs, lm, calib)
            for doc in docs:
                score_document(doc, lm, calib)
        secs = time.perf_counter() - t
        toks = lm.stats["tokens"] - s0["tokens"]
        inp = lm.stats["input_tokens"] - s0["input_tokens"]
        head_rows = lm.stats["head_row_flops"] - s0["head_row_flops"]
        results[name] = {
            "articles": len(batch),
            "seconds": round(secs, 2),
            "tokens_scored": toks,
            "tokens_per_s": round(toks / secs, 1),
            "articles_per_s": round(len(batch) / secs, 3),
            "padding_share": round(
                1 - inp / max(1, lm.stats["padded_tokens"] - s0["padded_tokens"]), 3
            ),
            "group": a.group,
            "flops": 2 * lm.body_params * inp + head_rows,
        }

    # the unigram lookup alone, on every sentence scored above (its share of the scoring time;
    # score_document did the same work inside the timed runs)
    scored = list(lm._cache.values())
    tu = time.perf_counter()
    for sc in scored:
        sentence_excess(units(sc, uni))
    unigram_secs = time.perf_counter() - tu

    # plain matmul of the same dtype, same threads, same run
    dtype = lm.head_weight.dtype
    x = torch.randn(2048, 2048, dtype=dtype)
    y = torch.randn(2048, 2048, dtype=dtype)
    with torch.inference_mode():
        x @ y
        reps, tm = 0, time.perf_counter()
        while reps < 3 or time.perf_counter() - tm < 2.0:
            x @ y
            reps += 1
        mm_secs = (time.perf_counter() - tm) / reps
    mm_flops = 2 * 2048**3 / mm_secs
    tot_flops = sum(r["flops"] for r in results.values())
    tot_secs = sum(r["seconds"] for r in results.values())
    tot_toks = sum(r["tokens_scored"] for r in results.values())
    out = {
        "model": lm.model_id,
        "dtype": str(dtype).replace("torch.", ""),
        "softmax": lm.vocab_mode,
        "threads": torch.get_num_threads(),
        "load_seconds_including_imports": round(load_total, 2),
        "load_seconds_model_and_tokenizer": lm.info.get("load_seconds"),
        "results": results,
        "tokens_per_s": round(tot_toks / tot_secs, 1),
        "scorer_gflops": round(tot_flops / tot_secs / 1e9, 1),
        "matmul_gflops": round(mm_flops / 1e9, 1),
        "flops_ratio": round(tot_flops / tot_secs / mm_flops, 3),
        "unigram_load_seconds": round(unigram_load, 3),
        "unigram_seconds": round(unigram_secs, 3),
        "unigram_share_of_scoring": round(unigram_secs / tot_secs, 4),
        "rss_after_load_mb": rss_after_load,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": len(os.sched_getaffinity(0)),
    }
    for r in results.values():
        r.pop("flops")
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
