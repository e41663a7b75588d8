#!/usr/bin/env python3
"""Train the translated-from-English likelihood (mtaudit/data/likelihood_model.json).

    .venv/bin/python training/train_likelihood.py ../shared/data/wmt-fr-news [--lm auto|yes|no]
        [--mt-per-doc N] [--cache training/.cache/features.jsonl] [--out FILE] [--no-readme]

Data: the WMT French news documents. Positives (translated from English): every MT system's
output (mt_enfr_docs.jsonl) and the human translations from English (human_fr_docs.jsonl,
origlang en). Negatives: French originals (origlang fr). Translations from other languages
are not used for training; their mean score is reported.

Every text goes through :class:`mtaudit.auditor.Auditor` exactly as ``mtaudit scan`` would see a
file with one sentence per line, so the features are those of the run-time scorer: stylometry,
findings per category of every check registered now, and language-model statistics when the
LM checks run. Rerun the script when checks change: the feature cache is keyed by the
auditor's signature and the feature code.

Model: L2-regularised logistic regression on standardised features (numpy only, Newton's
method), the penalty chosen by 5-fold cross-validation grouped by ``doc_id`` (the same document
recurs across MT systems and in the human file: all its versions stay in one fold), then Platt
scaling fitted on the out-of-fold scores. Classes are weighted so that French originals weigh
half, human translations a quarter and machine translations a quarter: the calibrated
probability assumes an even prior (half the articles translated). Two variants: ``nolm``
(stylometry + findings of non-LM checks) and ``lm`` (everything, when the LM ran).

The script prints the figures and rewrites the figures block of training/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from mtaudit import translationese as tr  # noqa: E402
from mtaudit.auditor import Auditor  # noqa: E402
from mtaudit.config import Config  # noqa: E402
from mtaudit.inputs import Item  # noqa: E402

GROUP_WEIGHT = {"fr": 0.5, "ht": 0.25, "mt": 0.25}
# L2 penalties searched: one for the ~200 stylometric features (many, weak, noisy on short
# texts: strongly shrunk), one for the few finding and language-model features (strong).
PREPARE_GROUP = 16
LAMBDAS = (30.0, 100.0, 300.0, 1000.0, 3000.0)
LAMBDAS_EVIDENCE = (1.0, 10.0, 100.0, 1000.0)
# A third penalty for the masked n-grams (``ng:``, thousands of very weak features), and their
# vocabulary: the NGRAM_MAX n-grams found in the most training texts, at least NGRAM_MIN_SHARE
# of them (chosen without the labels).
LAMBDAS_NGRAM = (1000.0, 3000.0)
NGRAM_MIN_SHARE = 0.02
NGRAM_MAX = 3000
FOLDS = 5
NESTED = False  # --nested: also estimate the AUCs by nested cross-validation
MIN_WORDS = 50
SEEDS = ROOT / "seeds"


# ---------------------------------------------------------------------------- data
def load_docs(data: Path, mt_per_doc: int, other: bool = True) -> list[dict]:
    docs = []
    for line in open(data / "human_fr_docs.jsonl", encoding="utf-8"):
        d = json.loads(line)
        group = {"fr": "fr", "en": "ht"}.get(d["origlang"], "other")
        if group == "other" and not other:
            continue
        docs.append(
            {
                "doc_id": d["doc_id"],
                "group": group,
                "system": "human",
                "origlang": d["origlang"],
                "sentences": d["sentences"],
            }
        )
    per_doc: dict[str, int] = {}
    mt = [json.loads(line) for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8")]
    # deterministic order, so that --mt-per-doc keeps the same systems on every run
    mt.sort(key=lambda d: (d["doc_id"], zlib.crc32(f"{d['system']}/{d['year']}".encode())))
    for d in mt:
        k = per_doc.get(d["doc_id"], 0)
        if mt_per_doc and k >= mt_per_doc:
            continue
        per_doc[d["doc_id"]] = k + 1
        docs.append(
            {
                "doc_id": d["doc_id"],
                "group": "mt",
                "system": f"{d['system']}/{d['year']}",
                "origlang": d["origlang"],
                "sentences": d["sentences"],
            }
        )
    return docs


def doc_text(sentences: list[str]) -> str:
    """One sentence per line, as a file handed to ``mtaudit scan``."""
    return "\n".join(s.strip() for s in sentences if s.strip()) + "\n"


def code_hash() -> str:
    return hashlib.sha256(Path(tr.__file__).read_bytes()).hexdigest()[:12]


def row_id(d: dict) -> str:
    return f"{d['group']}|{d['system']}|{d['doc_id']}"


def extract(auditor: Auditor, doc) -> dict | None:
    """The raw material of the features of one text (None when the auditor skipped it)."""
    card = auditor.audit_document(doc)
    if card.verdict == "skipped":
        return None
    lm_rules = tr.lm_rules()
    return {
        "words": doc.word_count,
        "style": tr.stylometric(doc),
        "counts_all": tr.finding_counts(card.findings),
        "counts_nolm": tr.finding_counts(card.findings, lm_rules),
        "lm": tr.lm_features(card.scores),
        "raw_lm": {k: card.scores.get(k) for k in tr.LM_SCORES},
    }


def feature_signature(auditor: Auditor) -> str:
    """The auditor's signature without the likelihood model's own fingerprint: the features do
    not depend on the model they train, and writing a new model must not void the cache."""
    return re.sub(r"\+?likelihood_model@[0-9a-f]+", "", auditor.signature)


def build_rows(docs: list[dict], auditor: Auditor, cache: Path | None) -> list[dict]:
    key = f"{feature_signature(auditor)}|features:{code_hash()}"
    cached: dict[str, dict] = {}
    if cache and cache.is_file():
        with open(cache, encoding="utf-8") as fh:
            head = json.loads(fh.readline() or "{}")
            if head.get("key") == key:
                for line in fh:
                    r = json.loads(line)
                    cached[r["id"]] = r
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        out = open(cache, "w", encoding="utf-8")
        out.write(json.dumps({"key": key}) + "\n")
    rows, t0, skipped = [], time.perf_counter(), 0
    ahead: dict[str, object] = {}  # documents built and prepared, not yet audited
    for i, d in enumerate(docs):
        rid = row_id(d)
        r = cached.get(rid)
        if r is None and rid not in ahead:
            # as scan does: the LM scores the sentences of the next uncached texts together
            for e in docs[i:]:
                if len(ahead) >= PREPARE_GROUP:
                    break
                if row_id(e) not in cached:
                    ahead[row_id(e)] = auditor.document(Item(row_id(e), doc_text(e["sentences"])))
            auditor.prepare(list(ahead.values()))
        if r is None:
            feats = extract(auditor, ahead.pop(rid))
            r = {"id": rid, "skipped": feats is None, **(feats or {})}
        if cache:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        if r["skipped"] or r["words"] < MIN_WORDS:
            skipped += 1
            continue
        rows.append(
            {
                **r,
                "doc_id": d["doc_id"],
                "group": d["group"],
                "system": d["system"],
                "origlang": d["origlang"],
            }
        )
        if (i + 1) % 500 == 0:
            print(f"  {i + 1}/{len(docs)} texts, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if cache:
        out.close()
    print(
        f"{len(rows)} texts used, {skipped} skipped (not French or under {MIN_WORDS} words), "
        f"{time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    return rows


def row_features(r: dict, with_lm: bool) -> dict[str, float] | None:
    feats = dict(r["style"])
    feats.update(tr.finding_rates(r["counts_all"] if with_lm else r["counts_nolm"], r["words"]))
    if with_lm:
        if not r.get("lm"):
            return None
        feats.update(r["lm"])
    return feats


# ---------------------------------------------------------------------------- model (numpy)
def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def fit_logistic(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, lam, iters: int = 50
) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by Newton's method (intercept not penalised).

    ``lam`` is one penalty or one per feature."""
    n, d = X.shape
    if d > n and np.all(np.asarray(lam) > 0):
        return _fit_logistic_wide(X, y, w, lam, iters)
    A = np.hstack([X, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    pen = np.zeros(d + 1)
    pen[:-1] = lam
    for _ in range(iters):
        p = sigmoid(A @ beta)
        g = A.T @ (w * (p - y)) + pen * beta
        H = (A * (w * p * (1 - p))[:, None]).T @ A + np.diag(pen + 1e-9)
        step = np.linalg.solve(H, g)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def _fit_logistic_wide(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, lam, iters: int = 50
) -> tuple[np.ndarray, float]:
    """Same fit when features outnumber texts: Newton steps solved in the n x n space of the
    texts (Woodbury identity), on u = sqrt(lam) * beta; the intercept gets a negligible penalty."""
    n, d = X.shape
    pen = np.empty(d + 1)
    pen[:-1] = lam
    pen[-1] = 1e-6
    s = 1.0 / np.sqrt(pen)
    A = np.hstack([X, np.ones((n, 1))]) * s  # penalty |u|^2 / 2
    K = A @ A.T
    u = np.zeros(d + 1)
    z = np.zeros(n)
    for _ in range(iters):
        p = sigmoid(z)
        g = A.T @ (w * (p - y)) + u
        r = np.sqrt(np.maximum(w * p * (1 - p), 1e-12))
        M = np.eye(n) + r[:, None] * K * r[None, :]
        step = g - A.T @ (r * np.linalg.solve(M, r * (A @ g)))
        u -= step
        z = A @ u
        if np.max(np.abs(step * s)) < 1e-8:
            break
    beta = u * s
    return beta[:-1], float(beta[-1])


def fit_platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    a, b = fit_logistic(z[:, None], y, w, lam=1e-6)
    return float(a[0]), b


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sorted_v = allv[order]
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    rp = ranks[: len(pos)].sum()
    return float((rp - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def fold_of(doc_id: str) -> int:
    return zlib.crc32(doc_id.encode()) % FOLDS


def weights(groups: np.ndarray) -> np.ndarray:
    w = np.zeros(len(groups))
    for g, share in GROUP_WEIGHT.items():
        m = groups == g
        if m.any():
            w[m] = share * len(groups) / m.sum()
    return w


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def train_variant(rows: list[dict], with_lm: bool) -> dict | None:
    feats = [row_features(r, with_lm) for r in rows]
    keep = [i for i, f in enumerate(feats) if f is not None]
    if len(keep) < 0.9 * len(rows):
        return None
    rows = [rows[i] for i in keep]
    feats = [feats[i] for i in keep]
    names = sorted(k for k in feats[0] if not k.startswith("ng:"))
    names += ngram_vocabulary(
        [f for f, r in zip(feats, rows, strict=True) if r["group"] in GROUP_WEIGHT]
    )
    X = np.array([[f.get(k, 0.0) for k in names] for f in feats], dtype=float)
    # drop constant features (e.g. a finding category that no registered check produces)
    varying = X.std(axis=0) > 1e-9
    names = [n for n, v in zip(names, varying, strict=True) if v]
    X = X[:, varying]
    groups = np.array([r["group"] for r in rows])
    train = np.isin(groups, list(GROUP_WEIGHT))
    Xt, gt = X[train], groups[train]
    yt = (gt != "fr").astype(float)
    wt = weights(gt)
    folds = np.array([fold_of(r["doc_id"]) for r, t in zip(rows, train, strict=True) if t])

    def aucs(z: np.ndarray) -> tuple[float, float]:
        return auc(z[gt == "mt"], z[gt == "fr"]), auc(z[gt == "ht"], z[gt == "fr"])

    evidence = np.array([n.startswith(("cat:", "lm:")) for n in names])
    ngram = np.array([n.startswith("ng:") for n in names])
    best = None
    search = []
    for (lam_s, lam_e, lam_n), lam in grid(evidence, ngram):
        z = out_of_fold(Xt, yt, gt, folds, lam)
        a_mt, a_ht = aucs(z)
        search.append(
            {
                "lambda_style": lam_s,
                "lambda_evidence": lam_e,
                "lambda_ngram": lam_n,
                "auc_mt": round(a_mt, 4),
                "auc_ht": round(a_ht, 4),
            }
        )
        print(
            f"  {'lm' if with_lm else 'nolm'} lambda style {lam_s:>6g} evidence {lam_e:>5g}"
            f" n-grams {lam_n:>5g}: AUC MT-vs-FR {a_mt:.3f}  HT-vs-FR {a_ht:.3f}",
            file=sys.stderr,
        )
        if best is None or (a_mt + a_ht) > best[0] + 1e-9:
            best = (a_mt + a_ht, (lam_s, lam_e, lam_n), lam, z)
    _, (lam_s, lam_e, lam_n), lam, z = best
    nested = nested_aucs(Xt, yt, gt, folds, evidence, ngram) if NESTED else None
    a, b = fit_platt(z, yt, wt)
    p = sigmoid(a * z + b)
    a_mt, a_ht = aucs(z)

    # the final model, on every training text
    mean, scale = standardise(Xt)
    coef, icpt = fit_logistic((Xt - mean) / scale, yt, wt, lam)

    # reliability table (out-of-fold, calibrated, weighted to the even prior)
    table = []
    for i in range(10):
        lo, hi = i / 10, (i + 1) / 10
        m = (p >= lo) & ((p < hi) if i < 9 else (p <= hi))
        if not m.any():
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": 0})
            continue
        table.append(
            {
                "bin": f"{lo:.1f}-{hi:.1f}",
                "n": int(m.sum()),
                "fr": int((gt[m] == "fr").sum()),
                "ht": int((gt[m] == "ht").sum()),
                "mt": int((gt[m] == "mt").sum()),
                "predicted": round(float(np.average(p[m], weights=wt[m])), 3),
                "observed": round(float(np.average(yt[m], weights=wt[m])), 3),
            }
        )
        table[-1]["_weight"] = float(wt[m].sum() / wt.sum())
    # expected calibration error: the weighted mean gap between predicted and observed
    ece = sum(r.pop("_weight") * abs(r["predicted"] - r["observed"]) for r in table if r["n"])

    # per-group view of the calibrated out-of-fold probability
    thr = {}
    for g in ("fr", "ht", "mt"):
        pg = p[gt == g]
        thr[g] = {
            "n": int(len(pg)),
            "mean": round(float(pg.mean()), 3),
            "share_ge_0.5": round(float((pg >= 0.5).mean()), 3),
            "share_ge_0.8": round(float((pg >= 0.8).mean()), 3),
        }

    # scores of texts not used for training (translations from other languages)
    other = ~train
    extra = {}
    if other.any():
        po = sigmoid(a * (((X[other] - mean) / scale) @ coef + icpt) + b)
        extra["other_languages_mean"] = round(float(po.mean()), 3)
        extra["other_languages_n"] = int(other.sum())

    fr_mask = gt == "fr"
    fr_mean = Xt[fr_mask].mean(axis=0)
    tr_mean = Xt[~fr_mask].mean(axis=0)
    order = np.argsort(-np.abs(coef))
    top = [
        {
            "feature": names[j],
            "coef": round(float(coef[j]), 3),
            "fr_mean": round(float(fr_mean[j]), 4),
            "translated_mean": round(float(tr_mean[j]), 4),
        }
        for j in order[:20]
    ]
    return {
        "features": names,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": round(icpt, 6),
        "platt": [round(a, 6), round(b, 6)],
        "fr_mean": [round(float(v), 6) for v in fr_mean],
        "metrics": {
            "lambda_style": lam_s,
            "lambda_evidence": lam_e,
            "lambda_ngram": lam_n,
            "settings_tried": len(search),
            "nested_auc_mt_vs_fr": None if nested is None else round(nested[0], 4),
            "nested_auc_ht_vs_fr": None if nested is None else round(nested[1], 4),
            "auc_mt_vs_fr": round(a_mt, 4),
            "auc_ht_vs_fr": round(a_ht, 4),
            "ece": round(ece, 4),
            "groups": thr,
            "search": search,
            "reliability": table,
            **extra,
        },
        "top_features": top,
    }


def grid(evidence: np.ndarray, ngram: np.ndarray):
    """The penalty settings searched: ((style, evidence, n-grams), per-feature penalties)."""
    for lam_s in LAMBDAS:
        for lam_e in LAMBDAS_EVIDENCE if evidence.any() else LAMBDAS_EVIDENCE[:1]:
            for lam_n in LAMBDAS_NGRAM if ngram.any() else LAMBDAS_NGRAM[:1]:
                yield (lam_s, lam_e, lam_n), np.where(evidence, lam_e, np.where(ngram, lam_n, lam_s))


def fit_and_score(X, y, g, train: np.ndarray, test: np.ndarray, lam) -> np.ndarray:
    """Scores (logits) of the ``test`` rows by a model fitted on the ``train`` rows."""
    mean, scale = standardise(X[train])
    coef, icpt = fit_logistic((X[train] - mean) / scale, y[train], weights(g[train]), lam)
    return ((X[test] - mean) / scale) @ coef + icpt


def out_of_fold(X, y, g, folds: np.ndarray, lam, rows: np.ndarray | None = None) -> np.ndarray:
    """Each fold of ``rows`` (default: all) scored by a model fitted on its other folds."""
    rows = np.ones(len(y), dtype=bool) if rows is None else rows
    z = np.zeros(len(y))
    for k in sorted(set(folds[rows].tolist())):
        z[rows & (folds == k)] = fit_and_score(X, y, g, rows & (folds != k), rows & (folds == k), lam)
    return z


def nested_aucs(
    X: np.ndarray,
    y: np.ndarray,
    g: np.ndarray,
    folds: np.ndarray,
    evidence: np.ndarray,
    ngram: np.ndarray,
) -> tuple[float, float]:
    """AUCs of the whole procedure, penalty search included (nested cross-validation): for each
    outer fold, the penalties are chosen by cross-validation on the other four folds only, the
    model refitted on them and scored on the held-out fold. Unlike the grid's best AUC, no
    choice has seen the texts it is scored on."""
    z = np.zeros(len(y))
    for k in range(FOLDS):
        outer = folds != k
        best = None
        for _, lam in grid(evidence, ngram):
            zo, go = out_of_fold(X, y, g, folds, lam, outer)[outer], g[outer]
            score = auc(zo[go == "mt"], zo[go == "fr"]) + auc(zo[go == "ht"], zo[go == "fr"])
            if best is None or score > best[0] + 1e-9:
                best = (score, lam)
        z[~outer] = fit_and_score(X, y, g, outer, ~outer, best[1])
    return auc(z[g == "mt"], z[g == "fr"]), auc(z[g == "ht"], z[g == "fr"])


def ngram_vocabulary(feats: list[dict[str, float]]) -> list[str]:
    """The n-gram features the model keeps: those present in the most texts (at least
    NGRAM_MIN_SHARE of them, NGRAM_MAX at most), ties in alphabetical order."""
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            if k.startswith("ng:"):
                df[k] = df.get(k, 0) + 1
    ranked = sorted((-c, k) for k, c in df.items() if c >= NGRAM_MIN_SHARE * len(feats))
    return [k for _, k in ranked[:NGRAM_MAX]]


def reference(rows: list[dict]) -> dict:
    """Percentiles (0..100) of the raw LM scores and finding rates on the French originals."""
    out: dict = {}
    fr = [r for r in rows if r["group"] == "fr"]
    for k in tr.LM_SCORES:
        vals = [
            r["raw_lm"].get(k)
            for r in fr
            if isinstance((r.get("raw_lm") or {}).get(k), (int, float))
        ]
        if len(vals) >= 20:
            out[k] = [round(float(v), 6) for v in np.percentile(vals, np.arange(101))]
    for c in tr.CATEGORIES:
        vals = [1000 * r["counts_all"][c] / max(r["words"], 1) for r in fr]
        out[f"per_1k:{c}"] = round(float(np.mean(vals)), 4)
    return out


# ---------------------------------------------------------------------------- seeds & report
def score_seeds(model: dict, base: Config) -> dict[str, float | None]:
    from mtaudit.scorers import likelihood

    likelihood.set_model(model)
    out = {}
    for cfg in (
        Config(lm=False, select=base.select, ignore=base.ignore),
        Config(lm=True, select=base.select, ignore=base.ignore),
    ):
        auditor = Auditor(cfg)
        for f in sorted(SEEDS.glob("0*.txt")):
            card = auditor.audit_text(f.read_text(encoding="utf-8"), str(f.name))
            out[f"{f.name[:3]}{'' if cfg.lm else ' --no-lm'}"] = card.scores.get(
                "translated_from_english"
            )
        if not tr.lm_rules():
            break  # no LM check registered: both runs would be the same
    likelihood.set_model(None)
    return out


def report(model: dict, seeds: dict) -> str:
    lines = [
        f"Trained on {model['trained_on']}; auditor signature at training: `{model['signature']}`.",
        "",
    ]
    lines.append(
        "| variant | AUC MT-vs-FR | AUC HT-vs-FR | ECE | penalty style / evidence / n-grams (settings tried) | mean p (FR / HT / MT) | other source languages |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    for name, v in model["models"].items():
        m = v["metrics"]
        g = m["groups"]
        lines.append(
            f"| {name} | {m['auc_mt_vs_fr']:.3f} | {m['auc_ht_vs_fr']:.3f} | {m['ece']:.3f} | {m['lambda_style']:g} / {m['lambda_evidence']:g} / {m.get('lambda_ngram', 0):g} ({m.get('settings_tried', 0)}) | "
            f"{g['fr']['mean']:.2f} / {g['ht']['mean']:.2f} / {g['mt']['mean']:.2f} | "
            f"{m.get('other_languages_mean', float('nan')):.2f} (n={m.get('other_languages_n', 0)}) |"
        )
    nested = [
        f"`{name}` {v['metrics']['nested_auc_mt_vs_fr']:.3f} / {v['metrics']['nested_auc_ht_vs_fr']:.3f}"
        for name, v in model["models"].items()
        if v["metrics"].get("nested_auc_mt_vs_fr") is not None
    ]
    lines += [
        "",
        "The AUCs above are those of the best penalties of the grid, chosen on the same folds: "
        "slightly optimistic. "
        + (
            "Nested cross-validation (penalties chosen inside each training fold), "
            "AUC MT-vs-FR / HT-vs-FR: " + ", ".join(nested) + "."
            if nested
            else "Run with `--nested` for an estimate where the penalty choice is cross-validated too."
        ),
    ]
    for name, v in model["models"].items():
        lines += [
            "",
            f"Reliability, `{name}` (out-of-fold, calibrated, weighted to an even prior: FR ½, HT ¼, MT ¼):",
            "",
        ]
        lines.append("| bin | texts | FR | HT | MT | predicted | observed |")
        lines.append("|---|---|---|---|---|---|---|")
        for r in v["metrics"]["reliability"]:
            if r["n"]:
                lines.append(
                    f"| {r['bin']} | {r['n']} | {r['fr']} | {r['ht']} | {r['mt']} | {r['predicted']:.2f} | {r['observed']:.2f} |"
                )
            else:
                lines.append(f"| {r['bin']} | 0 | | | | | |")
        lines += ["", f"Top features, `{name}` (standardised coefficient; + means translated):", ""]
        lines.append("| feature | coef | mean in FR originals | mean in translations |")
        lines.append("|---|---|---|---|")
        for t in v["top_features"][:12]:
            lines.append(
                f"| `{t['feature']}` | {t['coef']:+.2f} | {t['fr_mean']:.3f} | {t['translated_mean']:.3f} |"
            )
    lines += [
        "",
        "Seeds (000 and 004 machine-translated from English, 001–003 French originals):",
        "",
    ]
    lines.append("| seed | likelihood |")
    lines.append("|---|---|")
    for k, v in seeds.items():
        lines.append(f"| {k} | {'—' if v is None else f'{v:.3f}'} |")
    return "\n".join(lines)


def update_readme(text: str) -> None:
    path = HERE / "README.md"
    if not path.is_file():
        return
    src = path.read_text(encoding="utf-8")
    a, b = "<!-- BEGIN FIGURES -->", "<!-- END FIGURES -->"
    if a in src and b in src:
        head, rest = src.split(a, 1)
        _, tail = rest.split(b, 1)
        path.write_text(f"{head}{a}\n{text}\n{b}{tail}", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("data", type=Path, help="the wmt-fr-news folder")
    ap.add_argument(
        "--lm",
        choices=("auto", "yes", "no"),
        default="auto",
        help="run the language-model checks (auto: when an LM check is registered)",
    )
    ap.add_argument(
        "--select",
        default=None,
        help="only these rule codes or prefixes (comma-separated); default: all",
    )
    ap.add_argument(
        "--ignore", default="", help="rule codes or prefixes to leave out (comma-separated)"
    )
    ap.add_argument(
        "--mt-per-doc", type=int, default=0, help="MT systems kept per document (0 = all)"
    )
    ap.add_argument(
        "--no-other",
        action="store_true",
        help="leave out the human translations from other languages (only reported, not trained on)",
    )
    ap.add_argument(
        "--nested",
        action="store_true",
        help="also report AUCs from nested cross-validation (penalties chosen inside each fold; slower)",
    )
    ap.add_argument("--cache", type=Path, default=HERE / ".cache" / "features.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "mtaudit" / "data" / "likelihood_model.json")
    ap.add_argument(
        "--no-readme", action="store_true", help="do not rewrite the figures in training/README.md"
    )
    a = ap.parse_args()
    global NESTED
    NESTED = a.nested

    has_lm_check = bool(tr.lm_rules())
    use_lm = a.lm == "yes" or (a.lm == "auto" and has_lm_check)
    cfg = Config(
        lm=use_lm,
        select=[c.strip().upper() for c in a.select.split(",") if c.strip()] if a.select else None,
        ignore=[c.strip().upper() for c in a.ignore.split(",") if c.strip()],
    )
    auditor = Auditor(cfg)
    auditor.scorers = [s for s in auditor.scorers if s[0] != "likelihood"]
    print(
        f"auditor: {len(auditor.checks)} checks ({', '.join(c.code for c in auditor.checks) or 'none'}), lm={use_lm}",
        file=sys.stderr,
    )
    docs = load_docs(a.data, a.mt_per_doc, other=not a.no_other)
    rows = build_rows(docs, auditor, a.cache)

    models = {}
    nolm = train_variant(rows, with_lm=False)
    if nolm:
        models["nolm"] = nolm
    if use_lm:
        lm = train_variant(rows, with_lm=True)
        if lm:
            models["lm"] = lm
        else:
            print("no LM scores on the texts: only the no-LM model is trained", file=sys.stderr)
    counts = {g: sum(1 for r in rows if r["group"] == g) for g in ("fr", "ht", "mt", "other")}
    model = {
        "format": 1,
        "description": "translated-from-English likelihood: logistic regression + Platt scaling, see training/README.md",
        "trained_on": f"WMT fr news ({counts['fr']} French originals, {counts['ht']} human and {counts['mt']} machine translations from English)",
        "signature": feature_signature(auditor),  # without the previous model's own fingerprint
        "min_words": MIN_WORDS,
        "group_weight": GROUP_WEIGHT,
        "reference": reference(rows),
        "models": models,
    }
    seeds = score_seeds(model, cfg)
    model["seeds"] = seeds
    a.out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = report(model, seeds)
    print(text)
    if not a.no_readme:
        update_readme(text)
    print(f"\nwrote {a.out} ({a.out.stat().st_size / 1000:.0f} kB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
