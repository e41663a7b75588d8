#!/usr/bin/env python3
"""How exact are the scorer's log-probabilities? Measured against a float32 output layer.

The default model runs in bf16. The scorer (mtaudit.lm.output_layer) computes each token's
log-probability from the bf16 output layer, one vocabulary block at a time, with the target's
logit subtracted inside the matrix product. This script compares, on real sentences (WMT human
and machine-translated documents, and the seeds):

- ``scorer``: what mtaudit computes;
- ``plain_bf16``: the textbook way, bf16 logits then a float32 log-softmax (close to what the
  scorer did before the blocked output layer, which only took the target's logit in float32);
- ``french``: the scorer with the softmax restricted to the French vocabulary (an option);
- ``packed``: the packed, batch-invariant transformer body (mtaudit.lm.packed, the default for
  Gemma 3) with the scorer's output layer; ``packed_vs_scorer`` compares its sentence
  perplexities with those of the scorer on the Hugging Face body (the previous exact path,
  still selectable as ``body = "padded"``): the criterion is every sentence within 0.5%;

each against ``reference``: the same final hidden states through a float32 copy of the output
layer and a float32 log-softmax. It prints per-token errors (nats) and per-sentence perplexity
errors (relative), and how many sentences move by more than 1%.

``precision`` (FL601's ``precision`` option, mtaudit.lm.precision) compares the whole scorer in
the model's dtype (``model``: bf16, today's path) and in float32 (``float32``), each run as scan
runs it (``LanguageModel.score``), against ``float32_model``: the Hugging Face forward of a
float32 copy of the whole model and a float32 log-softmax, one sentence at a time (the model's
own arithmetic without any bf16 rounding of activations). It reports, for each path, the
sentence perplexity errors against that reference, and between the two paths (the criterion
of issue 18: within 0.5% of today's scorer).

    python benchmarks/lm_precision.py [--docs 20] [--only all|precision] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from wmt_docs import shuffled  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data" / "wmt-fr-news"
SEEDS = HERE.parent / "seeds"


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=20, help="WMT documents (half human, half MT)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument(
        "--only",
        choices=("all", "precision"),
        default="all",
        help="precision: only the model-dtype vs float32 comparison (fast on CPUs without bf16)",
    )
    a = ap.parse_args()

    from mtaudit.lm.loading import load_lm

    lm = load_lm(None)
    import torch

    from mtaudit.core.document import Document
    from mtaudit.lm.document_fluency import selected_sentences
    from mtaudit.lm.vocab import french_vocab

    human, mt = shuffled(a.data, seed=0)
    texts = ["\n".join(d["sentences"]) + "\n" for d in human[: a.docs // 2] + mt[: a.docs // 2]]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("0*.txt"))]
    sentences = []
    for t in texts:
        doc = Document(t)
        sentences += [doc.sentences[i].text for i, _ in selected_sentences(doc)]

    out: dict = {}
    if a.only == "precision":
        out["precision"] = _precision_paths(sentences)
        print(json.dumps(out, indent=1))
        if a.json:
            a.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        return 0

    w32 = lm.head_weight.float()
    french = french_vocab(lm.tokenizer)
    errs: dict[str, list[float]] = {"scorer": [], "plain_bf16": [], "french": []}
    if lm.packed is not None:
        errs["packed"] = []
    packed_vs_scorer: list[float] = []
    ppl: dict[str, list[float]] = {k: [] for k in errs}
    french_vs_full: list[float] = []  # the option's criterion: within 1% of the full softmax
    with torch.inference_mode():
        for s in sentences:
            ids = [lm.bos_id] + lm.tokenize(s)[0]
            if len(ids) < 2:
                continue
            inp = torch.tensor([ids])
            h = lm.body(input_ids=inp, use_cache=False).last_hidden_state[0, :-1]
            tg = inp[0, 1:]
            ref = torch.log_softmax(h.float() @ w32.T, -1).gather(1, tg[:, None])[:, 0]
            plain = torch.log_softmax((h @ lm.head_weight.T).float(), -1).gather(1, tg[:, None])[
                :, 0
            ]
            lm.set_vocab_subset(None)
            ours = lm.token_logprobs(h, tg)
            lm.set_vocab_subset(french)
            fr = torch.empty_like(ours)
            fr[:1] = lm.token_logprobs(h[:1], tg[:1], full=True)  # as the scorer does after BOS
            if len(tg) > 1:
                fr[1:] = lm.token_logprobs(h[1:], tg[1:])
            lm.set_vocab_subset(None)
            variants = [("scorer", ours), ("plain_bf16", plain), ("french", fr)]
            if lm.packed is not None:
                hp = lm.packed.run([ids])[:-1]
                pk = lm.token_logprobs(hp, tg)
                variants.append(("packed", pk))
                packed_vs_scorer.append(abs(math.exp(float(ours.mean() - pk.mean())) - 1))
            ref_ppl = math.exp(-float(ref.mean()))
            french_vs_full.append(abs(math.exp(float(ours.mean() - fr.mean())) - 1))
            for name, v in variants:
                errs[name] += (v - ref).abs().tolist()
                ppl[name].append(abs(math.exp(-float(v.mean())) / ref_ppl - 1))

    out.update({"sentences": len(ppl["scorer"]), "tokens": len(errs["scorer"])})
    for name in errs:
        e, p = errs[name], ppl[name]
        out[name] = {
            "token_error_mean_nats": round(sum(e) / len(e), 5),
            "token_error_max_nats": round(max(e), 4),
            "sentence_ppl_error_mean": round(sum(p) / len(p), 5),
            "sentence_ppl_error_max": round(max(p), 4),
            "sentences_over_1pct": sum(1 for x in p if x > 0.01),
        }
    out["french_vs_scorer"] = {
        "sentence_ppl_change_mean": round(sum(french_vs_full) / len(french_vs_full), 5),
        "sentence_ppl_change_max": round(max(french_vs_full), 4),
        "sentences_over_1pct": sum(1 for x in french_vs_full if x > 0.01),
    }
    if packed_vs_scorer:
        out["packed_vs_scorer"] = {
            "sentence_ppl_change_mean": round(sum(packed_vs_scorer) / len(packed_vs_scorer), 5),
            "sentence_ppl_change_max": round(max(packed_vs_scorer), 4),
            "sentences_over_0.5pct": sum(1 for x in packed_vs_scorer if x > 0.005),
        }
    del lm
    out["precision"] = _precision_paths(sentences)
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


def _ppl(sc) -> float:
    lp = sc.scored
    return math.exp(-sum(lp) / len(lp))


def _precision_paths(sentences: list[str]) -> dict:
    """The scorer in the model's dtype and in float32 against a float32 copy of the model."""
    import time

    import torch

    from mtaudit.lm.loading import load_lm

    ppl: dict[str, list[float]] = {}
    secs: dict[str, float] = {}
    for path in ("float32", "model"):
        ref_lm = load_lm(None, precision=path)
        t = time.perf_counter()
        scores = ref_lm.score(sentences)
        secs[path] = round(time.perf_counter() - t, 2)
        ppl[path] = [_ppl(sc) if sc.n_tokens else math.nan for sc in scores]
        del scores
    # the reference: the last model loaded (the bf16 path leaves its weights as loaded), in
    # float32; no third load
    model = ref_lm.model.float()
    ref = []
    with torch.inference_mode():
        for s in sentences:
            ids = [ref_lm.bos_id] + ref_lm.tokenize(s)[0]
            if len(ids) < 2:
                ref.append(math.nan)
                continue
            inp = torch.tensor([ids])
            logits = model(input_ids=inp, use_cache=False).logits[0, :-1].float()
            lp = torch.log_softmax(logits, -1).gather(1, inp[0, 1:, None])[:, 0]
            ref.append(math.exp(-float(lp.mean())))

    def compare(a: list[float], b: list[float]) -> dict:
        d = [abs(x / y - 1) for x, y in zip(a, b, strict=True) if not (math.isnan(x) or math.isnan(y))]
        return {
            "sentences": len(d),
            "sentence_ppl_error_mean": round(sum(d) / len(d), 5),
            "sentence_ppl_error_median": round(sorted(d)[len(d) // 2], 5),
            "sentence_ppl_error_max": round(max(d), 4),
            "sentences_over_0.5pct": sum(1 for x in d if x > 0.005),
            "sentences_over_1pct": sum(1 for x in d if x > 0.01),
        }

    return {
        "seconds": secs,
        "model_vs_float32_model": compare(ppl["model"], ref),
        "float32_vs_float32_model": compare(ppl["float32"], ref),
        "float32_vs_model": compare(ppl["float32"], ppl["model"]),
    }


if __name__ == "__main__":
    sys.exit(main())
