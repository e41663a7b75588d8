#!/usr/bin/env python3
"""Language-model scoring speed on this machine: load time after `mtaudit model prepare`,
tokens/s and articles/s through the FL601 check on the seeds and WMT documents (the FL601 code path: segmentation, sentence selection, scoring and
calibration, without the other checks and language identification), peak RSS,
and the ratio of the FLOP/s the scorer achieves to the machine's limit, a plain torch matmul
measured in the same run: a 2048^3 matmul probe, in float32 and in the model's dtype, runs
before the first group and after every group (several probes, interleaved with the scoring, so
a busy spell of the shared machine hits both alike); the limit is the median of the faster
dtype's probes (on a CPU without native bf16, float32 products are about four times faster
than bf16 ones: the limit is then float32's, whatever the scorer computes in). The FLOP/s of the transformer body and of the
output layer are given separately (each timed on its own), and tokens/s by sentence length.

Articles go through the model the way `mtaudit scan` sends them: in groups of --group articles
(16, scan's default) whose sentences are scored together (FL601.prepare), then one article at a
time (cache hits). `--group 1` measures one article at a time, as for a single file.

    python benchmarks/lm_throughput.py [--docs 60] [--group 16] [--vocab full|french] [--body packed|padded] [--precision auto|model|float32] [--threads N] [--json out.json]

Counted FLOPs are the useful ones: 2 x (non-embedding parameters) per real input token (the
transformer body; padding not counted) plus 2 x hidden x (vocabulary rows used) per scored
token (the output layer); the body's figure also counts the attention products (causal half,
without padding). Padding rows are work but not useful FLOPs. The machine's
load average is printed: other jobs on a shared machine slow everything down.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from wmt_docs import shuffled  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"
SEEDS = HERE.parent / "seeds"


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=60, help="WMT documents (half human, half MT)")
    ap.add_argument("--body", choices=("packed", "padded"), default="packed")
    ap.add_argument("--precision", choices=("auto", "model", "float32"), default="auto")
    ap.add_argument("--probe-reps", type=int, default=4, help="matmuls per probe")
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

    lm = load_lm(a.model, body=a.body, precision=a.precision)
    load_total = time.perf_counter() - t0
    import torch

    from mtaudit.core.document import Document
    from mtaudit.io.inputs import Item
    from mtaudit.lm.calibration import calibration_for
    from mtaudit.lm.document_fluency import prefetch, score_document
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
    human, mt = shuffled(a.data, seed=0)
    docs = human[: a.docs // 2] + mt[: a.docs - a.docs // 2]
    wmt = [
        Item(d["doc_id"], "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n")
        for d in docs
    ]

    dtype = lm.head_weight.dtype
    probe_dtypes = sorted({torch.float32, dtype}, key=str)
    operands = {dt: (torch.randn(2048, 2048, dtype=dt), torch.randn(2048, 2048, dtype=dt)) for dt in probe_dtypes}
    probes_by: dict = {dt: [] for dt in probe_dtypes}

    def probe() -> None:
        """GFLOP/s of a plain 2048^3 matmul now, in each probed dtype (the best of a few, as
        the scorer's best case is the machine's): one probe between groups."""
        with torch.inference_mode():
            for dt, (px, py) in operands.items():
                px @ py
                best = math.inf
                for _ in range(a.probe_reps):
                    tm = time.perf_counter()
                    px @ py
                    best = min(best, time.perf_counter() - tm)
                probes_by[dt].append(2 * 2048**3 / best / 1e9)

    results = {}
    probe()
    for name, batch in (("seeds", items), ("wmt", wmt)):
        s0 = dict(lm.stats)
        secs = 0.0
        for g in range(0, len(batch), a.group):  # what scan and FL601 do (segmentation included)
            t = time.perf_counter()
            docs = [Document(it.text, source=it.source) for it in batch[g : g + a.group]]
            prefetch(docs, lm, calib)
            for doc in docs:
                score_document(doc, lm, calib)
            secs += time.perf_counter() - t
            probe()  # interleaved with the scoring, not timed with it
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
            "body_flops": 2 * lm.body_params * inp
            + lm.stats["attention_flops"]
            - s0["attention_flops"],
            "head_flops": head_rows,
            "body_seconds": lm.stats["body_seconds"] - s0["body_seconds"],
            "head_seconds": lm.stats["head_seconds"] - s0["head_seconds"],
        }

    # the unigram lookup alone, on every sentence scored above (its share of the scoring time;
    # score_document did the same work inside the timed runs)
    scored = list(lm._cache.values())
    tu = time.perf_counter()
    for sc in scored:
        sentence_excess(units(sc, uni))
    unigram_secs = time.perf_counter() - tu

    by_length = _by_length(lm, wmt, probe)
    medians = {dt: statistics.median(v) for dt, v in probes_by.items()}
    limit_dtype = max(medians, key=medians.get)
    probes = probes_by[limit_dtype]
    mm_flops = medians[limit_dtype] * 1e9
    tot_flops = sum(r["flops"] for r in results.values())
    tot_secs = sum(r["seconds"] for r in results.values())
    tot_toks = sum(r["tokens_scored"] for r in results.values())
    out = {
        "model": lm.model_id,
        "dtype": str(dtype).replace("torch.", ""),
        "precision": lm.info.get("precision"),
        "softmax": lm.vocab_mode,
        "threads": torch.get_num_threads(),
        "load_seconds_including_imports": round(load_total, 2),
        "load_seconds_model_and_tokenizer": lm.info.get("load_seconds"),
        "results": results,
        "tokens_per_s": round(tot_toks / tot_secs, 1),
        "scorer_gflops": round(tot_flops / tot_secs / 1e9, 1),
        "matmul_gflops_median": round(mm_flops / 1e9, 1),
        "matmul_limit_dtype": str(limit_dtype).replace("torch.", ""),
        "matmul_gflops_median_by_dtype": {
            str(dt).replace("torch.", ""): round(m, 1) for dt, m in medians.items()
        },
        "matmul_gflops_probes": [round(x, 1) for x in probes],
        "flops_ratio": round(tot_flops / tot_secs / mm_flops, 3),
        "body_gflops": round(_sum(results, "body_flops") / _sum(results, "body_seconds") / 1e9, 1),
        "head_gflops": round(_sum(results, "head_flops") / _sum(results, "head_seconds") / 1e9, 1),
        "body_ratio": round(
            _sum(results, "body_flops") / _sum(results, "body_seconds") / mm_flops, 3
        ),
        "head_ratio": round(
            _sum(results, "head_flops") / _sum(results, "head_seconds") / mm_flops, 3
        ),
        "body_seconds": round(_sum(results, "body_seconds"), 2),
        "head_seconds": round(_sum(results, "head_seconds"), 2),
        "tokens_per_s_by_sentence_length": by_length,
        "body": lm.body_mode,
        "unigram_load_seconds": round(unigram_load, 3),
        "unigram_seconds": round(unigram_secs, 3),
        "unigram_share_of_scoring": round(unigram_secs / tot_secs, 4),
        "rss_after_load_mb": rss_after_load,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": len(os.sched_getaffinity(0)),
    }
    for r in results.values():
        for k in ("flops", "body_flops", "head_flops", "body_seconds", "head_seconds"):
            r.pop(k)
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


def _sum(results: dict, key: str) -> float:
    return sum(r[key] for r in results.values())


def _by_length(lm, items, probe, per_bucket: int = 160) -> dict:
    """tokens/s for sentences of each length (in tokens), scored in one call per bucket as
    FL601 does for a group of articles (fresh cache); a probe after each bucket."""
    from mtaudit.core.document import Document

    buckets = {"1-16": (1, 16), "17-32": (17, 32), "33-64": (33, 64), "65+": (65, 10**6)}
    sents: dict[str, list[str]] = {k: [] for k in buckets}
    for it in items:
        for s in Document(it.text).sentences:
            n = len(lm.tokenize(s.text)[0])
            for k, (lo, hi) in buckets.items():
                if lo <= n <= hi and len(sents[k]) < per_bucket:
                    sents[k].append(s.text)
    out = {}
    for k, texts in sents.items():
        if not texts:
            continue
        lm._cache.clear()
        n0 = lm.stats["tokens"]
        t = time.perf_counter()
        lm.score(texts)
        secs = time.perf_counter() - t
        toks = lm.stats["tokens"] - n0
        out[k] = {"sentences": len(texts), "tokens": toks, "tokens_per_s": round(toks / secs, 1)}
        probe()
    return out


if __name__ == "__main__":
    sys.exit(main())
