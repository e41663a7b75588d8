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
import json
import os
import re
import sys
import time
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from mtaudit.auditor import Auditor  # noqa: E402
from mtaudit.core.config import Config  # noqa: E402
from mtaudit.io.inputs import Item  # noqa: E402
from mtaudit.scorers import features as tr  # noqa: E402
from mtaudit.scorers.likelihood import trained_with  # noqa: E402

GROUP_WEIGHT = {"fr": 0.5, "ht": 0.25, "mt": 0.25}
# L2 penalties searched: one for the ~200 stylometric features (many, weak, noisy on short
# texts: strongly shrunk), one for the few finding and language-model features (strong).
PREPARE_GROUP = 16
LAMBDAS = (300.0, 1000.0)
LAMBDAS_EVIDENCE = (10.0, 100.0)
# A third penalty for the masked n-grams (``ng:``, thousands of very weak features), and their
# vocabulary: the NGRAM_MAX n-grams found in the most training texts, at least NGRAM_MIN_SHARE
# of them (chosen without the labels).
LAMBDAS_NGRAM = (1000.0,)
NGRAM_MIN_SHARE = 0.02
NGRAM_MAX = 3000
FOLDS = 5
NESTED = False  # --nested: also estimate the AUCs by nested cross-validation
MIN_WORDS = 50
MT_SHARE = 1.0  # --wmt-mt-share: share of the WMT documents whose MT output is used
NORMALISED = True  # --no-normalised: leave out the SLOR statistics (lm:slor, lm:odd_unit_share)
ROBUST_SHARE = 1.0  # --robust-share: share of the FLORES articles copied for the robustness study
LENGTHS = (50, 100, 200, 400)  # words: the AUC-by-length study (truncated copies)
SEEDS = ROOT / "seeds"


# ---------------------------------------------------------------------------- data
def data_dirs(data: Path) -> tuple[Path, Path | None]:
    """(wmt-fr-news, modern-fr or None) from ``../shared/data`` or the wmt-fr-news folder."""
    if (data / "wmt-fr-news").is_dir():
        modern = data / "modern-fr"
        return data / "wmt-fr-news", modern if modern.is_dir() else None
    modern = data.parent / "modern-fr"
    return data, modern if modern.is_dir() else None


def load_modern(modern: Path) -> list[dict]:
    """FLORES-200 dev (paired human / GPT-3.5 translations from English of the same source
    article, folded by ``src_doc``) and the 2021 WMT22 French originals."""
    docs = []
    group_of = {"ht_from_en": "ht", "mt_from_en": "mt", "fr_original": "fr"}
    for name, corpus in (("flores_dev.jsonl", "flores"), ("wmt22_fr_originals.jsonl", "wmt22")):
        path = modern / name
        if not path.is_file():
            continue
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            group = group_of.get(d["label"])
            if group is None:
                continue
            docs.append(
                {
                    "doc_id": d["doc_id"],
                    "group": group,
                    "system": d["system"],
                    "origlang": "fr" if group == "fr" else "en",
                    "sentences": d["sentences"],
                    "corpus": corpus,
                    "era": "gpt35" if group == "mt" else "human",
                    "domain": d.get("domain", ""),
                    "fold_key": d["src_doc"] if corpus == "flores" else d["doc_id"],
                }
            )
    return docs


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
                "corpus": "wmt",
                "era": "human",
                "domain": "news",
                "fold_key": d["doc_id"],
            }
        )
    per_doc: dict[str, int] = {}
    mt = [json.loads(line) for line in open(data / "mt_enfr_docs.jsonl", encoding="utf-8")]
    # deterministic order, so that --mt-per-doc keeps the same systems on every run
    mt.sort(key=lambda d: (d["doc_id"], zlib.crc32(f"{d['system']}/{d['year']}".encode())))
    for d in mt:
        if MT_SHARE < 1 and zlib.crc32(d["doc_id"].encode()) % 100 >= 100 * MT_SHARE:
            continue
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
                "corpus": "wmt",
                "era": "smt",
                "domain": "news",
                "fold_key": d["doc_id"],
            }
        )
    return docs


def doc_text(sentences: list[str]) -> str:
    """One sentence per line, as a file handed to ``mtaudit scan``."""
    return "\n".join(s.strip() for s in sentences if s.strip()) + "\n"


def code_hash() -> str:
    return tr.code_identity()  # the features' module, tokeniser and word lists


def row_id(d: dict) -> str:
    rid = f"{d['group']}|{d['system']}|{d['doc_id']}"
    return f"{rid}|{d['variant']}" if d.get("variant") else rid


# ---------------------------------------------------------------------------- variants
# Typography habits differ by corpus, not by translation: the same text with no-break spaces,
# French quotes, curly apostrophes and dashes normalised to their plain forms.
_TYPO = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "«": '"',
        "»": '"',
        "“": '"',
        "”": '"',
        "„": '"',
        "’": "'",
        "‘": "'",
        "—": "-",
        "–": "-",
        "…": "...",
    }
)
_SPACES = re.compile(r" {2,}")
_NAME = re.compile(r"[^\W\d_][\w'’-]*")
_NUMBER = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")


def typography_normalised(sentence: str) -> str:
    s = sentence.translate(_TYPO)
    s = re.sub(r'" (?=\S)', '"', s)  # « mot » -> "mot" (after the spaces were made plain)
    s = re.sub(r'(?<=\S) "', '"', s)
    return _SPACES.sub(" ", s).strip()


def entities_masked(sentence: str) -> str:
    """Every name (a capitalised word after the first) becomes « Dupont », every number
    « 10 »: what is left is how the sentence is written, not whom or what it is about."""
    out, first = [], True
    pos = 0
    s = _NUMBER.sub("10", sentence)
    for m in _NAME.finditer(s):
        w = m.group()
        out.append(s[pos : m.start()])
        out.append("Dupont" if not first and w[0].isupper() else w)
        first = False
        pos = m.end()
    out.append(s[pos:])
    return "".join(out)


def truncated(sentences: list[str], words: int) -> list[str] | None:
    """The first sentences of a text up to about ``words`` words (None if it is not longer)."""
    total, out = 0, []
    for sent in sentences:
        if total >= words:
            break
        out.append(sent)
        total += len(sent.split())
    return out if len(out) < len(sentences) else None


def variants(docs: list[dict], lengths, robust: bool) -> list[dict]:
    """Length-truncated copies of every text (sentences already scored by the LM: cache hits
    in the same process) and, with ``robust``, typography-normalised and entity-masked copies
    of the robustness subset (FLORES and the WMT22 originals: new sentences, LM time)."""
    out = []
    for n in lengths:
        for d in docs:
            t = truncated(d["sentences"], n)
            out.append({**d, "variant": f"len{n}", "sentences": t or d["sentences"]})
    if robust:
        for name, fn in (("typo", typography_normalised), ("mask", entities_masked)):
            for d in docs:
                keep = zlib.crc32(d["fold_key"].encode()) % 100 < 100 * ROBUST_SHARE
                if d["corpus"] == "wmt22" or (d["corpus"] == "flores" and keep):
                    out.append({**d, "variant": name, "sentences": [fn(x) for x in d["sentences"]]})
    return out


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
        "raw_lm": {k: card.scores.get(k) for k in (*tr.LM_SCORES, *tr.LM_NORMALISED)},
        "lm_tokens": lm_tokens(doc, auditor),
        # severities of the findings (all / without LM checks): the verdict table
        "severity_all": severity_counts(card.findings, ()),
        "severity_nolm": severity_counts(card.findings, lm_rules),
        "style_code": code_hash(),
    }


def severity_counts(findings, skip) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        if f.rule not in skip:
            out[f.severity.value] = out.get(f.severity.value, 0) + 1
    return out


def lm_tokens(doc, auditor: Auditor) -> list[dict] | None:
    """The raw per-token statistics of the sentences the LM evidence uses (from the LM's
    sentence cache), so that the evidence can be recomputed from the feature cache when its
    code changes, without the language model."""
    if not auditor.config.lm:
        return None
    from mtaudit.checks.fluency import fluency_lm
    from mtaudit.lm.document_fluency import selected_sentences

    lm = fluency_lm(auditor.ctx)
    sel = [doc.sentences[i].text for i, counted in selected_sentences(doc) if counted]
    out = []
    for sc in lm.score(sel) if sel else []:
        out.append(
            {
                "text": sc.text,
                "offsets": [list(o) for o in sc.offsets],
                "lp": [None if v is None else round(v, 4) for v in sc.logprobs],
                **{
                    k: [None if v is None else round(v, 4) for v in sc.extra.get(k, [])]
                    for k in ("entropy", "lp_var", "rank")
                },
            }
        )
    return out


class _Cached:
    """A SentenceScore-like view of a cached sentence, for translationese.sentence_stats."""

    def __init__(self, d: dict):
        self.text = d["text"]
        self.offsets = [tuple(o) for o in d["offsets"]]
        self.logprobs = d["lp"]
        self.extra = {k: d[k] for k in ("entropy", "lp_var", "rank")}


def lm_sents(r: dict) -> list[dict] | None:
    if not r.get("lm_tokens"):
        return None
    out = [tr.sentence_stats(_Cached(d)) for d in r["lm_tokens"]]
    return [s for s in out if s and s["n"]]


def feature_signature(auditor: Auditor | str) -> str:
    """The auditor's signature without the likelihood model's own fingerprint and without the
    verdict thresholds: the features depend on neither, and writing a new model or moving a
    verdict threshold must not void the cache."""
    sig = auditor if isinstance(auditor, str) else str(auditor.signature)
    sig = re.sub(r"\+?likelihood_model@[0-9a-f]+", "", sig)
    return re.sub(r"(?<=[:,])(?:fail|warn|human|likelihood)_[a-z_0-9]+=[^,|]*,?", "", sig)


EXTRACT_VERSION = 3  # bump when extract() changes what it stores


def build_rows(docs: list[dict], auditor: Auditor, cache: Path | None) -> list[dict]:
    # the stylometry is recomputed when translationese.py changes (row["style_code"]); the
    # findings and the LM's per-token statistics only when the auditor changes
    key = f"{feature_signature(auditor)}|extract:{EXTRACT_VERSION}"
    cached: dict[str, dict] = {}
    if cache and cache.is_file():
        with open(cache, encoding="utf-8") as fh:
            head = json.loads(fh.readline() or "{}")
            stored = head.get("key", "")
            stored = stored.replace("|extract:", "\0").split("\0")
            if len(stored) == 2 and f"{feature_signature(stored[0])}|extract:{stored[1]}" == key:
                for line in fh:
                    try:
                        r = json.loads(line)
                    except json.JSONDecodeError:  # an interrupted run's last line
                        break
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
        elif not r["skipped"] and r.get("style_code") != code_hash():
            r["style"] = tr.stylometric(auditor.document(Item(rid, doc_text(d["sentences"]))))
            r["style_code"] = code_hash()
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
                "corpus": d["corpus"],
                "era": d["era"],
                "domain": d["domain"],
                "fold_key": d["fold_key"],
                "variant": d.get("variant", ""),
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


# Features left out because they read the corpus's typing habits, not the translation
# (measured: see training/README.md): the typographic-convention findings (no-break spaces,
# quote and apostrophe kinds) and the dash rate.
DROPPED = ("cat:convention", "pu:dash")


_FEATS: dict = {}


def row_features(r: dict, with_lm: bool) -> dict[str, float] | None:
    key = (r["id"], with_lm)
    if key not in _FEATS:
        _FEATS[key] = _row_features(r, with_lm)
    return _FEATS[key]


def _row_features(r: dict, with_lm: bool) -> dict[str, float] | None:
    feats = dict(r["style"])
    feats.update(tr.finding_rates(r["counts_all"] if with_lm else r["counts_nolm"], r["words"]))
    if with_lm:
        if not r.get("lm"):
            return None
        feats.update(r["lm"])
        if not NORMALISED:
            for k in tr.LM_NORMALISED:
                feats.pop("lm:" + k.removeprefix("lm_"), None)
        ev = tr.lm_evidence(lm_sents(r))
        if ev is None:
            return None
        feats.update(ev)
    for k in DROPPED:
        feats.pop(k, None)
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


PAIRED = False  # --paired-machine: the machine model fitted on within-pair differences
PAIR_ACTIVE: dict = {"keys": None}  # the pair keys of the rows being fitted (machine task)


def fit_task(Xs: np.ndarray, y: np.ndarray, g: np.ndarray, keys, lam) -> tuple[np.ndarray, float]:
    """The task's fit on standardised features. With ``keys`` (the machine task under
    --paired-machine): a conditional logistic regression on matched pairs, each machine
    translation against the human translation of the same source (WMT ``doc_id``, FLORES
    ``src_doc``): the difference of the two texts' features cancels what they share (topic,
    names, length of the source), so only how each was translated is learnt. Texts without a
    partner are not fitted on. The intercept is 0 (the Platt scaling sets it)."""
    if keys is None:
        return fit_logistic(Xs, y, weights(g), lam)
    by_key: dict = {}
    for i, k in enumerate(keys):
        by_key.setdefault(k, {"mt": [], "ht": []})[g[i]].append(i)
    diffs = [Xs[m] - Xs[h] for d in by_key.values() for m in d["mt"] for h in d["ht"]]
    if not diffs:
        return fit_logistic(Xs, y, weights(g), lam)
    D = np.array(diffs)
    A = np.vstack([D, -D])
    yy = np.concatenate([np.ones(len(D)), np.zeros(len(D))])
    coef, _ = fit_logistic(A, yy, np.ones(len(yy)), lam)
    return coef, 0.0


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


def fold_of(key: str) -> int:
    """The fold of a text: by ``doc_id`` (WMT: the original, its human translation and every
    MT output of a document together) or ``src_doc`` (FLORES: both translations of an article
    together)."""
    return zlib.crc32(key.encode()) % FOLDS


GROUP_WEIGHT_ACTIVE = GROUP_WEIGHT
NESTED_Z: dict[str, np.ndarray] = {}


def weights(groups: np.ndarray) -> np.ndarray:
    w = np.zeros(len(groups))
    for g, share in GROUP_WEIGHT_ACTIVE.items():
        m = groups == g
        if m.any():
            w[m] = share * len(groups) / m.sum()
    return w


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


# The two scores: which groups each model is trained on, its positives, and the weights of the
# groups (the calibrated probability assumes these shares).
TASKS = {
    "translated": {"groups": GROUP_WEIGHT, "positive": ("ht", "mt")},
    "machine": {"groups": {"ht": 0.5, "mt": 0.5}, "positive": ("mt",)},
}


def train_variant(rows: list[dict], with_lm: bool, task: str = "translated") -> dict | None:
    global GROUP_WEIGHT_ACTIVE
    spec = TASKS[task]
    GROUP_WEIGHT_ACTIVE = spec["groups"]
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
    train = np.isin(groups, list(spec["groups"]))
    Xt, gt = X[train], groups[train]
    yt = np.isin(gt, spec["positive"]).astype(float)
    wt = weights(gt)
    folds = np.array([fold_of(r["fold_key"]) for r, t in zip(rows, train, strict=True) if t])
    PAIR_ACTIVE["keys"] = (
        np.array([r["fold_key"] for r, t in zip(rows, train, strict=True) if t])
        if PAIRED and task == "machine"
        else None
    )

    def aucs(z: np.ndarray) -> tuple[float, float]:
        if task == "machine":
            return auc(z[gt == "mt"], z[gt == "ht"]), float("nan")
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
        score = a_mt if task == "machine" else a_mt + a_ht
        if best is None or score > best[0] + 1e-9:
            best = (score, (lam_s, lam_e, lam_n), lam, z)
    _, (lam_s, lam_e, lam_n), lam, z = best
    nested = nested_aucs(Xt, yt, gt, folds, evidence, ngram, task) if NESTED else None
    a, b = fit_platt(z, yt, wt)
    p = sigmoid(a * z + b)
    a_mt, a_ht = aucs(z)

    # the final model, on every training text
    mean, scale = standardise(Xt)
    coef, icpt = fit_task((Xt - mean) / scale, yt, gt, PAIR_ACTIVE["keys"], lam)

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

    fr_mask = yt == 0  # the reference class: French originals, or human translations
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
        "_internal": {
            "names": names,
            "lam": lam,
            "platt": (a, b),
            "oof": dict(zip([r["id"] for r, t in zip(rows, train, strict=True) if t], z.tolist(), strict=True)),
            "nested": dict(
                zip(
                    [r["id"] for r, t in zip(rows, train, strict=True) if t],
                    NESTED_Z.pop("last", np.full(len(z), np.nan)).tolist(),
                    strict=True,
                )
            ),
        },
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
    keys = PAIR_ACTIVE["keys"]
    coef, icpt = fit_task((X[train] - mean) / scale, y[train], g[train], None if keys is None else keys[train], lam)
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
    task: str = "translated",
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
            if task == "machine":
                score = auc(zo[go == "mt"], zo[go == "ht"])
            else:
                score = auc(zo[go == "mt"], zo[go == "fr"]) + auc(zo[go == "ht"], zo[go == "fr"])
            if best is None or score > best[0] + 1e-9:
                best = (score, lam)
        z[~outer] = fit_and_score(X, y, g, outer, ~outer, best[1])
    NESTED_Z["last"] = z
    if task == "machine":
        return auc(z[g == "mt"], z[g == "ht"]), float("nan")
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
    for k in (*tr.LM_SCORES, *tr.LM_NORMALISED):
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


# ---------------------------------------------------------------------------- evaluation
def design(rows: list[dict], names: list[str], with_lm: bool) -> tuple[np.ndarray, list[dict]]:
    feats = [row_features(r, with_lm) for r in rows]
    keep = [r for r, f in zip(rows, feats, strict=True) if f is not None]
    X = np.array([[f.get(k, 0.0) for k in names] for f in feats if f is not None], dtype=float)
    return X.reshape(len(keep), len(names)), keep


def fold_scores(
    train_rows: list[dict], eval_rows: list[dict], with_lm: bool, task: str, model: dict
) -> tuple[np.ndarray, list[dict]]:
    """Calibrated probabilities of ``eval_rows``, each by a model fitted on the ``train_rows``
    of the other folds (the penalties and Platt scaling of ``model``): out-of-fold scores for
    copies of the training texts (truncated, normalised, masked) or for another corpus."""
    global GROUP_WEIGHT_ACTIVE
    spec = TASKS[task]
    GROUP_WEIGHT_ACTIVE = spec["groups"]
    internal = model["_internal"]
    names, lam, (a, b) = internal["names"], internal["lam"], internal["platt"]
    train_rows = [r for r in train_rows if r["group"] in spec["groups"]]
    Xt, train_rows = design(train_rows, names, with_lm)
    Xe, eval_rows = design(eval_rows, names, with_lm)
    gt = np.array([r["group"] for r in train_rows])
    yt = np.isin(gt, spec["positive"]).astype(float)
    ft = np.array([fold_of(r["fold_key"]) for r in train_rows])
    fe = np.array([fold_of(r["fold_key"]) for r in eval_rows])
    z = np.zeros(len(eval_rows))
    for k in range(FOLDS):
        if not (fe == k).any():
            continue
        tr_m = ft != k
        mean, scale = standardise(Xt[tr_m])
        keys = np.array([r["fold_key"] for r in train_rows])[tr_m] if PAIRED and task == "machine" else None
        coef, icpt = fit_task((Xt[tr_m] - mean) / scale, yt[tr_m], gt[tr_m], keys, lam)
        z[fe == k] = ((Xe[fe == k] - mean) / scale) @ coef + icpt
    return sigmoid(a * z + b), eval_rows


def oof_probabilities(model: dict, rows: list[dict], nested: bool = False) -> dict[str, float]:
    a, b = model["_internal"]["platt"]
    src = model["_internal"]["nested" if nested else "oof"]
    return {rid: float(sigmoid(np.array(a * z + b))) for rid, z in src.items() if np.isfinite(z)}


def task_aucs(p: dict[str, float], rows: list[dict], task: str) -> dict[str, float]:
    """AUCs of a score by comparison and era: MT vs originals, HT vs originals (translated);
    machine vs human (machine), overall and per corpus."""
    def vals(pred):
        return np.array([p[r["id"]] for r in rows if r["id"] in p and pred(r)])

    fr = vals(lambda r: r["group"] == "fr")
    out = {}
    if task == "translated":
        out["MT-vs-FR"] = auc(vals(lambda r: r["group"] == "mt"), fr)
        out["MT(SMT)-vs-FR"] = auc(vals(lambda r: r["era"] == "smt"), fr)
        out["MT(GPT-3.5)-vs-FR"] = auc(vals(lambda r: r["era"] == "gpt35"), fr)
        out["HT-vs-FR"] = auc(vals(lambda r: r["group"] == "ht"), fr)
        out["HT(WMT)-vs-FR"] = auc(vals(lambda r: r["group"] == "ht" and r["corpus"] == "wmt"), fr)
        out["HT(FLORES)-vs-FR"] = auc(vals(lambda r: r["group"] == "ht" and r["corpus"] == "flores"), fr)
    else:
        ht = vals(lambda r: r["group"] == "ht")
        out["MT-vs-HT"] = auc(vals(lambda r: r["group"] == "mt"), ht)
        out["WMT: SMT-vs-HT"] = auc(
            vals(lambda r: r["era"] == "smt"), vals(lambda r: r["group"] == "ht" and r["corpus"] == "wmt")
        )
        out["FLORES: GPT-3.5-vs-HT"] = auc(
            vals(lambda r: r["era"] == "gpt35"),
            vals(lambda r: r["group"] == "ht" and r["corpus"] == "flores"),
        )
    return out


class _F:
    def __init__(self, severity):
        self.severity = severity


def verdict_of(r: dict, pt: float | None, pm: float | None, with_lm: bool, cfg: Config) -> str:
    from mtaudit.core.findings import Severity
    from mtaudit.core.scorecard import decide_verdict

    sev = r["severity_all" if with_lm else "severity_nolm"]
    findings = [_F(Severity(k)) for k, n in sev.items() for _ in range(n)]
    scores = {"words": r["words"], "translated_from_english": pt, "machine_translated": pm}
    return decide_verdict(findings, scores, cfg)[0]


def fail_cause(r: dict, pt: float | None, pm: float | None, with_lm: bool, cfg: Config) -> str | None:
    """Why a text fails: "findings" when its findings alone fail it (whatever the likelihoods
    say), "likelihood" when it fails only with the likelihoods, None when it does not fail."""
    if verdict_of(r, None, None, with_lm, cfg) == "fail":
        return "findings"
    return "likelihood" if verdict_of(r, pt, pm, with_lm, cfg) == "fail" else None


def verdict_table(rows, pt, pm, with_lm, cfg) -> dict[str, dict[str, int]]:
    """pass / warn / fail by kind of text; the fails split by cause (findings alone, or the
    likelihoods)."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        if r["id"] not in pt:
            continue
        key = {"fr": f"FR original ({r['corpus']}{', ' + r['domain'] if r['corpus'] == 'wmt22' else ''})",
               "ht": f"HT ({r['corpus']})", "mt": f"MT ({'SMT, WMT' if r['era'] == 'smt' else 'GPT-3.5, FLORES'})"}[r["group"]]
        v = verdict_of(r, pt[r["id"]], pm.get(r["id"]), with_lm, cfg)
        c = out.setdefault(key, {"pass": 0, "warn": 0, "fail": 0, "fail_findings": 0, "fail_likelihood": 0})
        c[v] += 1
        cause = fail_cause(r, pt[r["id"]], pm.get(r["id"]), with_lm, cfg)
        if cause:
            c[f"fail_{cause}"] += 1
    return dict(sorted(out.items()))


FAIL_LIKELIHOOD_GRID = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
FAIL_MACHINE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def likelihood_fail_rates(sets, cfg: Config) -> dict[str, float]:
    """Shares of French originals, human and machine translations that fail because of the
    likelihoods (findings-driven fails are not counted: they fail whatever the model says)."""
    tab = {"fr": [0, 0], "ht": [0, 0], "mt": [0, 0]}
    for rows, pt, pm, with_lm in sets:
        for r in rows:
            if r["id"] in pt and r["group"] in tab:
                tab[r["group"]][0] += fail_cause(r, pt[r["id"]], pm.get(r["id"]), with_lm, cfg) == "likelihood"
                tab[r["group"]][1] += 1
    return {g: a / b if b else float("nan") for g, (a, b) in tab.items()}


def choose_thresholds(rows, variants_p: dict, by_length: dict, target: float = 0.01) -> tuple[dict, dict]:
    """fail_likelihood, fail_machine and likelihood_min_words, on out-of-fold probabilities of
    both variants: among the settings whose **likelihood-driven** fails (texts the findings
    alone do not fail) are at most ``target`` of the French originals, on the full texts and
    on the originals cut to every length from likelihood_min_words up, the one that fails the
    most machine translations minus human translations (full texts, both variants); ties go to
    the higher probability thresholds, then to the shorter length limit. Originals failed by their findings are reported, not counted: the
    likelihood cannot help them.

    ``by_length`` maps a length N to {variant: (pt, pm, rows cut to N words)}. Returns the
    thresholds and, for them, the likelihood-driven fail rates measured."""
    best = None
    lengths = sorted(by_length)
    for mw in lengths:
        for fl in FAIL_LIKELIHOOD_GRID:
            for fm in FAIL_MACHINE_GRID:
                cfg = Config(thresholds={**Config().thresholds, "fail_likelihood": fl,
                                         "fail_machine": fm, "likelihood_min_words": mw})
                ok, gain, rates = True, 0.0, {}
                for with_lm, (pt, pm) in variants_p.items():
                    name = "lm" if with_lm else "nolm"
                    full = likelihood_fail_rates([(rows, pt, pm, with_lm)], cfg)
                    rates[name] = {"full": full}
                    ok &= full["fr"] <= target
                    for n in lengths:
                        if n < mw or name not in by_length[n]:
                            continue
                        ptn, pmn, kept = by_length[n][name]
                        cut = likelihood_fail_rates([(kept, ptn, pmn, with_lm)], cfg)
                        rates[name][n] = cut
                        ok &= cut["fr"] <= target
                    gain += full["mt"] - full["ht"]
                key = (gain, fl, fm, -mw)
                if ok and (best is None or key > best[0]):
                    best = (key, {"fail_likelihood": fl, "fail_machine": fm, "likelihood_min_words": mw}, rates)
    if best is None:
        return {"fail_likelihood": 0.95, "fail_machine": 0.8, "likelihood_min_words": 400}, {}
    return best[1], best[2]


def evaluate(rows: list[dict], extra_rows: list[dict], models: dict, machine_models: dict) -> dict:
    """Every figure of the README's evaluation block, out of fold (see the README)."""
    out: dict = {"variants": {}}
    probs: dict = {}
    fr_rows = [r for r in rows if r["group"] == "fr"]
    for name, mt in models.items():
        with_lm = name == "lm"
        mm = machine_models.get(name)
        res: dict = {}
        pt = oof_probabilities(mt, rows)
        pm = oof_probabilities(mm, rows) if mm else {}
        if mm:
            p_fr, kept = fold_scores(rows, fr_rows, with_lm, "machine", mm)
            pm.update({r["id"]: float(v) for r, v in zip(kept, p_fr, strict=True)})
        probs[with_lm] = (pt, pm)
        res["auc"] = {"translated": task_aucs(pt, rows, "translated")}
        if mm:
            res["auc"]["machine"] = task_aucs(pm, rows, "machine")
        if NESTED:
            res["nested"] = {"translated": task_aucs(oof_probabilities(mt, rows, True), rows, "translated")}
            if mm:
                res["nested"]["machine"] = task_aucs(oof_probabilities(mm, rows, True), rows, "machine")
        # by length: the same texts cut after about N words, scored out of fold
        res["length"] = {}
        for n in LENGTHS:
            ev = [r for r in extra_rows if r["variant"] == f"len{n}"]
            if not ev:
                continue
            for r in ev:
                r["id_base"] = r["id"]
            ptn, kept = fold_scores(rows, ev, with_lm, "translated", mt)
            d = {"translated": task_aucs({r["id"]: float(v) for r, v in zip(kept, ptn, strict=True)}, kept, "translated")}
            if mm:
                pmn, kept_m = fold_scores(rows, ev, with_lm, "machine", mm)
                d["machine"] = task_aucs({r["id"]: float(v) for r, v in zip(kept_m, pmn, strict=True)}, kept_m, "machine")
                d["_p"] = (
                    {r["id"]: float(v) for r, v in zip(kept, ptn, strict=True)},
                    {r["id"]: float(v) for r, v in zip(kept_m, pmn, strict=True)},
                    kept,
                )
            res["length"][n] = d
        # typography normalisation and entity masking, on FLORES and the WMT22 originals
        copied = {r["fold_key"] for r in extra_rows if r["variant"] in ("typo", "mask")}
        subset = [r for r in rows if r["fold_key"] in copied]
        res["robust"] = {}
        for vname in ("", "typo", "mask"):
            ev = subset if not vname else [r for r in extra_rows if r["variant"] == vname]
            if not ev:
                continue
            ptv, kept = fold_scores(rows, ev, with_lm, "translated", mt)
            d = {"translated": task_aucs({r["id"]: float(v) for r, v in zip(kept, ptv, strict=True)}, kept, "translated")}
            if mm:
                pmv, kept_m = fold_scores(rows, ev, with_lm, "machine", mm)
                d["machine"] = task_aucs({r["id"]: float(v) for r, v in zip(kept_m, pmv, strict=True)}, kept_m, "machine")
            res["robust"][vname or "raw"] = d
        # cross-domain: trained without FLORES, tested on FLORES (and the machine model the
        # other way round: trained on FLORES only, tested on WMT)
        no_fl = [r for r in rows if r["corpus"] != "flores"]
        fl_eval = [r for r in rows if r["corpus"] == "flores" or r["group"] == "fr"]
        ptc, kept = fold_scores(no_fl, fl_eval, with_lm, "translated", mt)
        res["cross"] = {"translated, trained without FLORES": task_aucs(
            {r["id"]: float(v) for r, v in zip(kept, ptc, strict=True)}, kept, "translated")}
        if mm:
            pmc, kept = fold_scores(no_fl, [r for r in rows if r["corpus"] == "flores"], with_lm, "machine", mm)
            res["cross"]["machine, trained without FLORES"] = task_aucs(
                {r["id"]: float(v) for r, v in zip(kept, pmc, strict=True)}, kept, "machine")
            fl = [r for r in rows if r["corpus"] == "flores"]
            pmr, kept = fold_scores(fl, [r for r in rows if r["corpus"] == "wmt"], with_lm, "machine", mm)
            res["cross"]["machine, trained on FLORES only"] = task_aucs(
                {r["id"]: float(v) for r, v in zip(kept, pmr, strict=True)}, kept, "machine")
        out["variants"][name] = res
    by_length: dict = {}
    for n in LENGTHS:
        for name, res in out["variants"].items():
            d = res["length"].get(n, {})
            if "_p" in d:
                by_length.setdefault(n, {})[name] = d["_p"]
    thresholds, measured = choose_thresholds(rows, probs, by_length)
    cfg0 = Config(thresholds={**Config().thresholds, **thresholds, "likelihood_min_words": 0})
    by_len: dict = {}
    for n, per in by_length.items():
        for name, (ptn, pmn, kept) in per.items():
            with_lm = name == "lm"
            r = likelihood_fail_rates([(kept, ptn, pmn, with_lm)], cfg0)
            fr = [x for x in kept if x["group"] == "fr" and x["id"] in ptn]
            ff = sum(fail_cause(x, ptn[x["id"]], pmn.get(x["id"]), with_lm, cfg0) == "findings" for x in fr)
            by_len.setdefault(n, {})[name] = {"fr_fail": r["fr"], "ht_fail": r["ht"], "mt_fail": r["mt"],
                                              "fr_fail_findings": ff / max(len(fr), 1)}
    for res in out["variants"].values():
        for d in res["length"].values():
            d.pop("_p", None)
    out["threshold_rates"] = measured
    # the trade-off around the choice: likelihood-driven fail rates (full texts) for every
    # fail_machine at the chosen fail_likelihood and length limit
    out["tradeoff"] = {}
    for fm in FAIL_MACHINE_GRID:
        cfg_t = Config(thresholds={**Config().thresholds, **thresholds, "fail_machine": fm})
        out["tradeoff"][fm] = {
            ("lm" if with_lm else "nolm"): likelihood_fail_rates([(rows, pt, pm, with_lm)], cfg_t)
            for with_lm, (pt, pm) in probs.items()
        }
    out["thresholds"] = thresholds
    out["fail_by_length"] = by_len
    cfg = Config(thresholds={**Config().thresholds, **thresholds})
    out["verdicts"] = {
        ("lm" if with_lm else "nolm"): verdict_table(rows, pt, pm, with_lm, cfg)
        for with_lm, (pt, pm) in probs.items()
    }
    return out


def evaluation_report(ev: dict) -> str:
    def f(x):
        return "—" if x is None or (isinstance(x, float) and not np.isfinite(x)) else f"{x:.3f}"

    lines = ["### Evaluation (out of fold, by document)", ""]
    for key, title in (("auc", "grid-best penalties"), ("nested", "nested cross-validation")):
        if not any(key in v for v in ev["variants"].values()):
            continue
        lines += [f"AUCs, {title}:", "", "| variant | task | " + " | ".join(["comparison", "AUC"]) + " |", "|---|---|---|---|"]
        for name, v in ev["variants"].items():
            for task, d in v.get(key, {}).items():
                for comp, val in d.items():
                    lines.append(f"| {name} | {task} | {comp} | {f(val)} |")
        lines.append("")
    lines += ["AUC by length (texts cut after about N words, scored out of fold):", ""]
    comps = [("translated", "MT(SMT)-vs-FR"), ("translated", "MT(GPT-3.5)-vs-FR"), ("translated", "HT-vs-FR"),
             ("machine", "WMT: SMT-vs-HT"), ("machine", "FLORES: GPT-3.5-vs-HT")]
    lines.append("| variant | words | " + " | ".join(c for _, c in comps) + " |")
    lines.append("|---|---|" + "---|" * len(comps))
    for name, v in ev["variants"].items():
        for n, d in v["length"].items():
            lines.append(f"| {name} | {n} | " + " | ".join(f(d.get(t, {}).get(c)) for t, c in comps) + " |")
    lines += ["", "Typography normalisation and entity masking (FLORES + WMT22 originals; the model trained on the raw texts):", ""]
    comps = [("translated", "MT(GPT-3.5)-vs-FR"), ("translated", "HT(FLORES)-vs-FR"), ("machine", "FLORES: GPT-3.5-vs-HT")]
    lines.append("| variant | texts | " + " | ".join(c for _, c in comps) + " |")
    lines.append("|---|---|" + "---|" * len(comps))
    for name, v in ev["variants"].items():
        for vn, d in v["robust"].items():
            lines.append(f"| {name} | {vn} | " + " | ".join(f(d.get(t, {}).get(c)) for t, c in comps) + " |")
    lines += ["", "Cross-domain:", "", "| variant | setting | comparison | AUC |", "|---|---|---|---|"]
    for name, v in ev["variants"].items():
        for setting, d in v["cross"].items():
            for comp, val in d.items():
                if np.isfinite(val):
                    lines.append(f"| {name} | {setting} | {comp} | {f(val)} |")
    th = ev["thresholds"]
    lines += ["", "Thresholds chosen on these out-of-fold scores: among the settings whose likelihood-driven fails "
              "(texts their findings alone do not fail) are at most 1% of the French originals, on the full texts and on the "
              "originals cut to every length from `likelihood_min_words` up, for both variants, the one that fails the most "
              "machine translations minus human translations: "
              f"`fail_likelihood` {th['fail_likelihood']:g}, `fail_machine` {th['fail_machine']:g}, "
              f"`likelihood_min_words` {th['likelihood_min_words']:g}.", ""]
    rates = ev.get("threshold_rates") or {}
    if rates:
        lines += ["Likelihood-driven fail rates at these thresholds (full texts, and texts cut to N words):", "",
                  "| variant | texts | FR originals | human translations | machine translations |", "|---|---|---|---|---|"]
        for name, per in rates.items():
            for k, x in per.items():
                label = "full" if k == "full" else f"cut to {k} words"
                lines.append(f"| {name} | {label} | {x['fr']:.1%} | {x['ht']:.1%} | {x['mt']:.1%} |")
        lines.append("")
    if ev.get("tradeoff"):
        lines += [f"The trade-off at `fail_likelihood` {th['fail_likelihood']:g} and `likelihood_min_words` "
                  f"{th['likelihood_min_words']:g} (likelihood-driven fails, full texts):", "",
                  "| fail_machine | variant | FR originals | human translations | machine translations |", "|---|---|---|---|---|"]
        for fm, per in ev["tradeoff"].items():
            for name, x in per.items():
                lines.append(f"| {fm:g} | {name} | {x['fr']:.1%} | {x['ht']:.1%} | {x['mt']:.1%} |")
        lines.append("")
    lines += ["Fail rates by length, were there no length limit (likelihood-driven; the originals' findings-driven fails apart):", "",
              "| words | variant | FR fail (likelihood) | FR fail (findings) | HT fail | MT fail |", "|---|---|---|---|---|---|"]
    for n, d in ev["fail_by_length"].items():
        for name, x in d.items():
            lines.append(f"| {n} | {name} | {x['fr_fail']:.1%} | {x['fr_fail_findings']:.1%} | {x['ht_fail']:.1%} | {x['mt_fail']:.1%} |")
    lines += ["", "Verdicts (out of fold, the thresholds above, findings included; fails split by cause):", "",
              "| variant | texts | pass | warn | fail | of which findings alone | of which the likelihoods | fail rate |",
              "|---|---|---|---|---|---|---|---|"]
    for name, tab in ev["verdicts"].items():
        for k, c in tab.items():
            n = c["pass"] + c["warn"] + c["fail"]
            lines.append(f"| {name} | {k} | {c['pass']} | {c['warn']} | {c['fail']} | {c['fail_findings']} | "
                         f"{c['fail_likelihood']} | {c['fail'] / max(n, 1):.1%} |")
    fr = {name: [c for k, c in tab.items() if k.startswith("FR original")] for name, tab in ev["verdicts"].items()}
    for name, cs in fr.items():
        n = sum(c["pass"] + c["warn"] + c["fail"] for c in cs)
        lik = sum(c["fail_likelihood"] for c in cs)
        fnd = sum(c["fail_findings"] for c in cs)
        lines.append(f"\nFalse fails on French originals ({name}): {lik} of {n} ({lik / max(n, 1):.1%}) by the likelihoods, "
                     f"{fnd} ({fnd / max(n, 1):.1%}) by their findings alone.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- seeds & report
def score_seeds(model: dict, base: Config) -> dict[str, dict]:
    """Both scores and the verdict of each seed, with and without the LM, with the model's
    thresholds."""
    from mtaudit.scorers import likelihood

    likelihood.set_model(model)
    thr = {**Config().thresholds, **model.get("thresholds", {})}
    out = {}
    for cfg in (
        Config(lm=False, select=base.select, ignore=base.ignore, thresholds=thr),
        Config(lm=True, select=base.select, ignore=base.ignore, thresholds=thr),
    ):
        auditor = Auditor(cfg)
        for f in sorted(SEEDS.glob("0*.txt")):
            card = auditor.audit_text(f.read_text(encoding="utf-8"), str(f.name))
            out[f"{f.name[:3]}{'' if cfg.lm else ' --no-lm'}"] = {
                "translated": card.scores.get("translated_from_english"),
                "machine": card.scores.get("machine_translated"),
                "verdict": card.verdict,
            }
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
    all_models = [("translated_from_english", n, v) for n, v in model["models"].items()]
    all_models += [("machine_translated", n, v) for n, v in model.get("machine_models", {}).items()]
    for score, name, v in all_models:
        machine = score == "machine_translated"
        prior = "HT ½, MT ½" if machine else "FR ½, HT ¼, MT ¼"
        lines += [
            "",
            f"Reliability, `{score}`, `{name}` (out-of-fold, calibrated, weighted to an even prior: {prior}):",
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
        pos, neg = ("machine", "human translations") if machine else ("translated", "FR originals")
        lines += ["", f"Top features, `{score}`, `{name}` (standardised coefficient; + means {pos}):", ""]
        lines.append(f"| feature | coef | mean in {neg} | mean in {'machine translations' if machine else 'translations'} |")
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
    lines.append("| seed | translated_from_english | machine_translated | verdict |")
    lines.append("|---|---|---|---|")
    for k, v in seeds.items():
        t, m = v["translated"], v["machine"]
        lines.append(
            f"| {k} | {'—' if t is None else f'{t:.3f}'} | {'—' if m is None else f'{m:.3f}'} | {v['verdict']} |"
        )
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
    ap.add_argument(
        "data", type=Path, help="../shared/data (wmt-fr-news and modern-fr), or the wmt-fr-news folder"
    )
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
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "mtaudit-training"
        / "features.jsonl",
        help="feature cache (outside the repository)",
    )
    ap.add_argument(
        "--wmt-mt-share",
        type=float,
        default=1.0,
        help="share of the WMT documents whose MT output is kept (by doc_id; LM time)",
    )
    ap.add_argument(
        "--robust-share",
        type=float,
        default=1.0,
        help="share of the FLORES articles copied normalised and masked (by src_doc; LM time)",
    )
    ap.add_argument(
        "--no-normalised",
        action="store_true",
        help="leave out the SLOR statistics of the fluency check (lm:slor, lm:odd_unit_share)",
    )
    ap.add_argument(
        "--paired-machine",
        action="store_true",
        help="fit the machine model on within-pair differences (conditional logistic regression)",
    )
    ap.add_argument(
        "--keep-lm-variants",
        action="store_true",
        help="with --lm no: keep the lm variants (and their LM reference percentiles) of the model "
        "file --out already holds, and choose the thresholds on the no-LM variant",
    )
    ap.add_argument("--no-seeds", action="store_true", help="do not score the seeds (experiments)")
    ap.add_argument("--no-modern", action="store_true", help="WMT only (no modern-fr data)")
    ap.add_argument("--no-lengths", action="store_true", help="skip the AUC-by-length study")
    ap.add_argument(
        "--no-robust",
        action="store_true",
        help="skip the typography-normalised and entity-masked copies (they cost LM time)",
    )
    ap.add_argument(
        "--extract-only", action="store_true", help="fill the feature cache and stop"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "mtaudit" / "data" / "likelihood_model.json")
    ap.add_argument(
        "--no-readme", action="store_true", help="do not rewrite the figures in training/README.md"
    )
    a = ap.parse_args()
    global NESTED, MT_SHARE, ROBUST_SHARE, NORMALISED, PAIRED
    NESTED = a.nested
    PAIRED = a.paired_machine
    NORMALISED = not a.no_normalised
    MT_SHARE = a.wmt_mt_share
    ROBUST_SHARE = a.robust_share

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
    wmt_dir, modern_dir = data_dirs(a.data)
    docs = load_docs(wmt_dir, a.mt_per_doc, other=not a.no_other)
    if modern_dir is not None and not a.no_modern:
        docs += load_modern(modern_dir)
    docs += variants(docs, LENGTHS if not a.no_lengths else (), robust=not a.no_robust)
    all_rows = build_rows(docs, auditor, a.cache)
    if a.extract_only:
        return 0
    rows = [r for r in all_rows if not r["variant"]]
    extra_rows = [r for r in all_rows if r["variant"]]

    models: dict = {}
    machine_models: dict = {}
    for with_lm in (False, True) if use_lm else (False,):
        name = "lm" if with_lm else "nolm"
        for task, store in (("translated", models), ("machine", machine_models)):
            m = train_variant(rows, with_lm=with_lm, task=task)
            if m:
                store[name] = m
            elif with_lm:
                print(f"no LM scores on the texts: no lm variant of {task}", file=sys.stderr)
    evaluation = evaluate(rows, extra_rows, models, machine_models)
    counts = {g: sum(1 for r in rows if r["group"] == g) for g in ("fr", "ht", "mt", "other")}
    corpora = sorted({r["corpus"] for r in rows})
    model = {
        "format": 2,
        "description": "translated-from-English likelihood and P(machine | translated): "
        "logistic regressions + Platt scaling, see training/README.md",
        "trained_on": f"{' + '.join(corpora)} ({counts['fr']} French originals, {counts['ht']} human "
        f"and {counts['mt']} machine translations from English)",
        "signature": feature_signature(auditor),  # without the previous model's own fingerprint
        # the rule set and feature signature: the scorer warns when a run's configuration differs
        "trained_with": trained_with(cfg),
        "min_words": MIN_WORDS,
        "group_weight": GROUP_WEIGHT,
        "dropped_features": list(DROPPED),
        "reference": reference(rows),
        "models": {k: {x: y for x, y in v.items() if x != "_internal"} for k, v in models.items()},
        "machine_models": {
            k: {x: y for x, y in v.items() if x != "_internal"} for k, v in machine_models.items()
        },
        "thresholds": evaluation["thresholds"],
    }
    if a.keep_lm_variants and not use_lm and a.out.is_file():
        old = json.loads(a.out.read_text(encoding="utf-8"))
        for key in ("models", "machine_models"):
            if "lm" in old.get(key, {}):
                model[key]["lm"] = old[key]["lm"]
        for k, v in old.get("reference", {}).items():
            if k in (*tr.LM_SCORES, *tr.LM_NORMALISED):
                model["reference"].setdefault(k, v)
        model["lm_variants_kept_from"] = old.get("lm_variants_kept_from") or {
            "trained_on": old.get("trained_on"),
            "signature": old.get("signature"),
            "note": "the lm variants were not retrained with the no-LM ones (see training/README.md)",
        }
    seeds = {} if a.no_seeds else score_seeds(model, cfg)
    model["seeds"] = seeds
    a.out.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (a.cache.parent / "evaluation.json").write_text(json.dumps(evaluation, indent=1), encoding="utf-8")
    text = report(model, seeds) + "\n\n" + evaluation_report(evaluation)
    print(text)
    if not a.no_readme:
        update_readme(text)
    print(f"\nwrote {a.out} ({a.out.stat().st_size / 1000:.0f} kB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
