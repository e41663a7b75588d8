#!/usr/bin/env python3
"""Calibrate the fluency score on French news originals, and measure it.

The measure is the normalised surprise of mtaudit.lm.unigram (minus SLOR: the language
model's surprise minus wordfreq's unigram surprise, per word unit). The script

1. scores, with the language model, the French originals (WMT newstest 2008-2013 origlang fr
   from ../shared/data/wmt-fr-news, and the 2021 news originals of WMT22 from
   ../shared/data/modern-fr) and, for the measurements, the human and machine translations of
   the WMT documents (one MT system per document, chosen at random with a fixed seed);
   sentences are selected exactly as FL601 selects them (body sentences of at least
   ``min_words`` words, as segmented by mtaudit.Document) and scored with the same scorer;
   the token log-probabilities are cached (``--cache``: a rerun takes seconds);
2. splits the documents by ``doc_id`` (a hash: one third held out), never by sentence;
3. fits, on the training originals, the cost of a word wordfreq does not know (a line in its
   length), then the quantiles of the measure by length band: sentences by their number of
   word units, articles by the units counted (windows of consecutive sentences of the
   originals, of that length);
4. on the held-out documents only: the reliability of the score (share of held-out originals
   under 5, 10, 25 and 50, by band: a calibrated score gives 5%, 10%, 25%, 50%) and the ROC
   AUC of machine-translated against human sentences of the same documents, and of articles
   cut to each length band, for the new measure and for the raw perplexity;
5. writes the table (quantiles, the unknown-word line, the figures) to
   mtaudit/data/fluency_calibration.json for the default model (the data itself is not
   copied), or to the user's cache for another model.

    python training/calibrate_fluency.py [--model PATH|ID] [--cache FILE] [--output FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

from mtaudit.core.document import Document
from mtaudit.core.resources import data_path
from mtaudit.lm.calibration import CALIBRATION_FILE, DEFAULT_MIN_WORDS, slug
from mtaudit.lm.document_fluency import selected_sentences
from mtaudit.lm.paths import DEFAULT_MODEL_ID, cache_dir
from mtaudit.lm.surprisal import SentenceScore
from mtaudit.lm.unigram import Unigram, sentence_excess, unit_pattern, units

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
DEFAULT_DATA = SHARED / "wmt-fr-news"
DEFAULT_MODERN = SHARED / "modern-fr"
# length bands (lower bounds, in word units): sentences, and articles (units counted)
SENTENCE_BANDS = (0, 15, 30, 50)
ARTICLE_BANDS = (0, 60, 150, 350)
# article lengths the MT-vs-human AUC is measured at (documents cut to their first sentences)
AUC_LENGTHS = (60, 150, 350, 800)


def doc_text(d: dict) -> str:
    return "\n".join(s.strip() for s in d["sentences"] if s.strip()) + "\n"


def held_out(doc_id: str) -> bool:
    return int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 3 == 0


def quantiles(values: list[float], n: int) -> list[float]:
    v = sorted(values)
    out = []
    for k in range(n + 1):
        pos = k * (len(v) - 1) / n
        i = int(math.floor(pos))
        frac = pos - i
        out.append(v[i] if i + 1 >= len(v) else v[i] * (1 - frac) + v[i + 1] * frac)
    return [round(x, 5) for x in out]


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
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0) if n1 and n0 else float("nan")


def jobs(data: Path, modern: Path | None) -> list[tuple[str, dict]]:
    """(kind, document): orig (WMT French originals), ht (human translations from English),
    mt (one MT system per WMT document), modern (WMT22 news originals, 2021)."""
    human = [json.loads(line) for line in open(data / "human_fr_docs.jsonl", encoding="utf-8")]
    mt = [json.loads(line) for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8")]
    by_id: dict[str, list[dict]] = {}
    for d in mt:
        by_id.setdefault(d["doc_id"], []).append(d)
    rng = random.Random(0)
    out = [("orig", d) for d in human if d["origlang"] == "fr"]
    out += [("ht", d) for d in human if d["origlang"] == "en" and d["doc_id"] in by_id]
    hum_ids = {d["doc_id"] for d in human}
    for i in sorted(by_id):
        if i in hum_ids:
            out.append(("mt", rng.choice(sorted(by_id[i], key=lambda x: x["system"]))))
    if modern is not None and (modern / "wmt22_fr_originals.jsonl").is_file():
        for line in open(modern / "wmt22_fr_originals.jsonl", encoding="utf-8"):
            d = json.loads(line)
            if d.get("domain") == "news":
                out.append(("modern", d))
    return out


def score_jobs(todo, cache: Path | None, model: str | None, allow_network: bool) -> list[dict]:
    """Per document: its selected sentences with tokens, offsets and log-probabilities, from
    the cache when it holds them for this model, else scored (16 documents per call)."""
    cached: dict[tuple, dict] = {}
    if cache is not None and cache.is_file():
        for line in open(cache, encoding="utf-8"):
            r = json.loads(line)
            cached[(r.get("model"), r["kind"], r["doc_id"], r.get("system"))] = r
    model_key = model or DEFAULT_MODEL_ID
    missing = [
        (k, d) for k, d in todo if (model_key, k, d["doc_id"], d.get("system")) not in cached
    ]
    if missing:
        from mtaudit.lm.loading import load_lm

        lm = load_lm(model, allow_network=allow_network)
        print(f"scoring {len(missing)} documents with {lm.model_id}", file=sys.stderr)
        out = open(cache, "a", encoding="utf-8") if cache is not None else None
        t0 = time.perf_counter()
        for g in range(0, len(missing), 16):
            grp = []
            for kind, d in missing[g : g + 16]:
                doc = Document(doc_text(d), source=d["doc_id"])
                grp.append((kind, d, doc, selected_sentences(doc, 1)))
            lm.score([doc.sentences[i].text for _, _, doc, sel in grp for i, _ in sel])
            for kind, d, doc, sel in grp:
                words = [0] * len(doc.sentences)
                for t in doc.words:
                    words[t.sentence] += 1
                res = lm.score([doc.sentences[i].text for i, _ in sel])
                rec = {
                    "model": model_key,
                    "kind": kind,
                    "doc_id": d["doc_id"],
                    "origlang": d.get("origlang"),
                    "system": d.get("system"),
                    "sentences": [
                        {
                            "text": r.text,
                            "body": doc.paragraphs[doc.sentences[i].paragraph].kind == "body",
                            "words": words[i],
                            "tokens": r.tokens,
                            "offsets": r.offsets,
                            "lp": r.logprobs,
                        }
                        for (i, _), r in zip(sel, res, strict=True)
                    ],
                }
                cached[(model_key, kind, d["doc_id"], d.get("system"))] = rec
                if out is not None:
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if out is not None:
                out.flush()
            print(
                f"  {g + len(grp)}/{len(missing)}, {time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
            )
    docs = []
    for k, d in todo:
        r = cached[(model_key, k, d["doc_id"], d.get("system"))]
        for s in r["sentences"]:
            s["score"] = SentenceScore(
                s["text"], s["tokens"], [tuple(o) for o in s["offsets"]], s["lp"]
            )
        docs.append(r)
    return docs


def counted(d: dict, min_words: int) -> list[dict]:
    return [s for s in d["sentences"] if s["body"] and s["words"] >= min_words]


def measure(docs: list[dict], unigram: Unigram) -> None:
    for d in docs:
        for s in d["sentences"]:
            us = units(s["score"], unigram)
            s["excess"], s["units"] = sentence_excess(us)
            s["ns"] = s["excess"] / s["units"] if s["units"] else 0.0
            s["unit_list"] = us


def fit_oov(docs: list[dict]) -> tuple[float, float]:
    """The cost of a word wordfreq does not know, as a line in its length beyond 5 letters:
    the mean model surprise of such words in the training originals plus the mean excess of
    known words (so that an unknown word of typical surprise is as neutral as a known one)."""
    xs, ys, known = [], [], []
    for d in docs:
        for s in d["sentences"]:
            for u in s["unit_list"]:
                if u.kind != "word":
                    continue
                if u.known:
                    known.append(u.excess)
                else:
                    xs.append(max(0, u.end - u.start - 5))
                    ys.append(u.lm)
    shift = -sum(known) / len(known)
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    b = max(0.0, b)
    return round(my - b * mx + shift, 3), round(b, 3)


def windows(d: dict, min_words: int, lo: int, hi: float) -> list[tuple[float, int]]:
    """(normalised surprise, units) of every window of consecutive counted sentences of the
    document whose unit count falls in [lo, hi) (the shortest such window from each start)."""
    ss = counted(d, min_words)
    out = []
    for i in range(len(ss)):
        n = e = 0.0
        for s in ss[i:]:
            n += s["units"]
            e += s["excess"]
            if n >= lo:
                break
        if lo <= n < hi and n:
            out.append((e / n, int(n)))
    return out


def band_of(bands, n: int) -> int:
    k = 0
    for j, lo in enumerate(bands):
        if n >= lo:
            k = j
    return k


def band_label(bands, k: int) -> str:
    hi = bands[k + 1] - 1 if k + 1 < len(bands) else None
    return f"{bands[k]}-{hi}" if hi is not None else f"{bands[k]}+"


def tail(q: list[float], x: float) -> float:
    from mtaudit.lm.calibration import Calibration

    return Calibration._tail(q, x)


def prefix(d: dict, min_words: int, max_units: int) -> list[dict]:
    out, n = [], 0
    for s in counted(d, min_words):
        out.append(s)
        n += s["units"]
        if n >= max_units:
            break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--modern", type=Path, default=DEFAULT_MODERN)
    ap.add_argument("--no-modern", action="store_true", help="WMT originals only")
    ap.add_argument("--model", default=None, help="model path or hub id (default: Gemma)")
    ap.add_argument("--allow-network", action="store_true")
    ap.add_argument("--cache", type=Path, default=None, help="token log-probabilities (jsonl)")
    ap.add_argument(
        "--output",
        type=Path,
        default=None,
        help="default: the shipped table for the default model, the cache otherwise",
    )
    ap.add_argument("--min-words", type=int, default=DEFAULT_MIN_WORDS)
    ap.add_argument("--marks", action="store_true", help="print the punctuation rates")
    a = ap.parse_args()

    model_id = a.model or DEFAULT_MODEL_ID
    todo = jobs(a.data, None if a.no_modern else a.modern)
    docs = score_jobs(todo, a.cache, a.model, a.allow_network)
    originals = [d for d in docs if d["kind"] in ("orig", "modern")]
    train = [d for d in originals if not held_out(d["doc_id"])]
    test = [d for d in originals if held_out(d["doc_id"])]
    mw = a.min_words

    if a.marks:
        c, n = Counter(), 0
        for d in train:
            for s in d["sentences"]:
                for m in unit_pattern().finditer(s["text"]):
                    n += 1
                    c[m.group()] += m.lastgroup == "mark"
        print(f"{n} units")
        for k, v in c.most_common():
            if v:
                print(f"{k!r}\t{v}\t{v / n:.6f}")

    measure(train, Unigram())
    oov = fit_oov(train)
    unigram = Unigram(oov)
    measure(docs, unigram)

    sent_bands, art_bands = [], []
    sizes: dict = {"sentences": {}, "articles": {}}
    for k, lo in enumerate(SENTENCE_BANDS):
        hi = SENTENCE_BANDS[k + 1] if k + 1 < len(SENTENCE_BANDS) else math.inf
        v = [s["ns"] for d in train for s in counted(d, mw) if lo <= s["units"] < hi]
        sent_bands.append({"min_units": lo, "quantiles": quantiles(v, 200)})
        sizes["sentences"][band_label(SENTENCE_BANDS, k)] = len(v)
    for k, lo in enumerate(ARTICLE_BANDS):
        hi = ARTICLE_BANDS[k + 1] if k + 1 < len(ARTICLE_BANDS) else math.inf
        v = [x for d in train for x, _ in windows(d, mw, lo, hi)]
        art_bands.append({"min_units": lo, "quantiles": quantiles(v, 100)})
        sizes["articles"][band_label(ARTICLE_BANDS, k)] = len(v)

    # ---- reliability on the held-out originals
    def reliability(rows: list[tuple[int, float]], bands, table) -> dict:
        out = {}
        for k in range(len(bands)):
            xs = [x for b, x in rows if b == k]
            if not xs:
                continue
            sc = [100 * tail(table[k]["quantiles"], x) for x in xs]
            out[band_label(bands, k)] = {
                "n": len(sc),
                **{
                    f"under_{t}": round(sum(s < t for s in sc) / len(sc), 3)
                    for t in (5, 10, 25, 50)
                },
            }
        return out

    rel_s = reliability(
        [(band_of(SENTENCE_BANDS, s["units"]), s["ns"]) for d in test for s in counted(d, mw)],
        SENTENCE_BANDS,
        sent_bands,
    )
    rel_a = reliability(
        [
            (k, x)
            for d in test
            for k, lo in enumerate(ARTICLE_BANDS)
            for x, _ in windows(
                d, mw, lo, ARTICLE_BANDS[k + 1] if k + 1 < len(ARTICLE_BANDS) else math.inf
            )
        ],
        ARTICLE_BANDS,
        art_bands,
    )
    rel_docs = reliability(
        [
            (
                band_of(ARTICLE_BANDS, sum(s["units"] for s in counted(d, mw))),
                sum(s["excess"] for s in counted(d, mw))
                / max(1, sum(s["units"] for s in counted(d, mw))),
            )
            for d in test
            if counted(d, mw)
        ],
        ARTICLE_BANDS,
        art_bands,
    )

    # ---- MT vs human, held-out WMT documents
    held = [d for d in docs if held_out(d["doc_id"]) and d["kind"] in ("orig", "ht", "mt")]
    mt_ids = {d["doc_id"] for d in held if d["kind"] == "mt"}
    held = [d for d in held if d["doc_id"] in mt_ids]
    pos = [s for d in held if d["kind"] == "mt" for s in counted(d, mw)]
    neg = [s for d in held if d["kind"] != "mt" for s in counted(d, mw)]
    figures: dict = {
        "sentence_auc": {
            "documents": len(mt_ids),
            "mt_sentences": len(pos),
            "human_sentences": len(neg),
            "perplexity": round(
                auc(
                    [s["score"].mean_surprisal for s in pos],
                    [s["score"].mean_surprisal for s in neg],
                ),
                3,
            ),
            "normalised": round(auc([s["ns"] for s in pos], [s["ns"] for s in neg]), 3),
        },
        "article_auc": {},
    }
    for L in AUC_LENGTHS:
        rows = {"perplexity": ([], []), "normalised": ([], [])}
        for d in held:
            ss = prefix(d, mw, L)
            if not ss or sum(s["units"] for s in ss) < L * 0.6:
                continue
            side = 0 if d["kind"] == "mt" else 1
            ntok = sum(s["score"].n_tokens for s in ss)
            rows["perplexity"][side].append(sum(s["score"].total_surprisal for s in ss) / ntok)
            rows["normalised"][side].append(
                sum(s["excess"] for s in ss) / sum(s["units"] for s in ss)
            )
        figures["article_auc"][f"first {L} units"] = {
            "mt": len(rows["normalised"][0]),
            "human": len(rows["normalised"][1]),
            **{k: round(auc(*v), 3) for k, v in rows.items()},
        }

    entry = {
        "model": model_id,
        "measure": "normalised surprise per word unit (minus SLOR), wordfreq fr unigram",
        "source": "French news originals: WMT newstest 2008-2013 origlang fr, WMT22 news (2021)",
        "documents": len(train),
        "held_out_documents": len(test),
        "min_words": mw,
        "oov": list(oov),
        "sentence_bands": sent_bands,
        "article_bands": art_bands,
        "band_sizes": sizes,
        "reliability_held_out": {
            "sentences": rel_s,
            "article_windows": rel_a,
            "whole_documents": rel_docs,
        },
        "figures_held_out": figures,
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
        "Per model: quantiles of the normalised surprise (mtaudit.lm.unigram: model surprise "
        "minus wordfreq unigram surprise, mean per word unit) of body sentences of at least "
        "min_words words of French news originals, by sentence length band (min_units), and "
        "of windows of consecutive sentences by article length band; the unknown-word cost "
        "line (oov: intercept, per letter beyond 5); held-out reliability and AUC figures. "
        "Made by training/calibrate_fluency.py; read by mtaudit.lm.calibration."
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                k: entry[k]
                for k in ("oov", "band_sizes", "reliability_held_out", "figures_held_out")
            },
            indent=1,
        )
    )
    print(f"-> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
