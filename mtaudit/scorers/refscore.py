"""Reference-based scores: BLEU, chrF, chrF++ and TER, computed by sacrebleu's Python API.

The numbers are sacrebleu's own (same classes, same defaults, same signatures as its command
line); this module only checks the options and shapes the results. The inputs (plain text and
JSONL files, articles cut into aligned segments) are read by :mod:`mtaudit.scorers.ref_corpus`.

In "align:article" mode (an article and its reference with different numbers of lines: each
side one segment) TER is only computed up to ``ter_max_words`` words a side (default 150) and
is ``None`` beyond, with a reason: on one long segment TER's shift search is slow (about 6 s at
200 words, 30 s at 1,200).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtaudit.scorers.ref_corpus import Corpus, RefScoreError, align_article

# The tokenizers that run offline with what sacrebleu installs (zh is pure Python).
OFFLINE_TOKENIZERS = ("13a", "intl", "char", "none", "zh")
DEFAULT_TOKENIZER = "13a"
# Metrics in the order they are printed; keys are sacrebleu's score names.
METRIC_ORDER = ("BLEU", "chrF2", "chrF2++", "TER")
TER_MAX_WORDS = 150


_METRIC_ALIASES = {
    "bleu": "BLEU",
    "chrf": "chrF2",
    "chrf++": "chrF2++",
    "chrfpp": "chrF2++",
    "ter": "TER",
}


def parse_metrics(spec: Sequence[str] | None) -> tuple[str, ...]:
    """Metric names from user words (bleu, chrf, chrf++, ter; comma-separated or repeated)."""
    if not spec:
        return METRIC_ORDER
    want = set()
    for part in spec:
        for word in part.split(","):
            w = word.strip().lower()
            if not w:
                continue
            if w not in _METRIC_ALIASES:
                raise RefScoreError(
                    f"unknown metric {word.strip()!r}; choose among bleu, chrf, chrf++, ter"
                )
            want.add(_METRIC_ALIASES[w])
    return tuple(m for m in METRIC_ORDER if m in want) or METRIC_ORDER


# --------------------------------------------------------------------------------- tokenizers
def check_tokenizer(name: str) -> str:
    """The BLEU tokenizer ``name`` if it can run here, offline; RefScoreError otherwise."""
    from sacrebleu.metrics.bleu import _TOKENIZERS, BLEU

    known = list(BLEU.TOKENIZERS)
    offline = ", ".join(t for t in OFFLINE_TOKENIZERS if t in known)
    if name not in known:
        raise RefScoreError(
            f"unknown tokenizer {name!r}; offline choices: {offline}"
            f" (sacrebleu also knows {', '.join(t for t in known if t not in OFFLINE_TOKENIZERS)})"
        )
    if name in OFFLINE_TOKENIZERS:
        return name
    if _TOKENIZERS[name].startswith("tokenizer_spm."):
        from sacrebleu.tokenizers import tokenizer_spm  # where sacrebleu would look for the model

        key = "flores101" if name == "spm" else name
        url = tokenizer_spm.SPM_MODELS[key]["url"]
        model = Path(tokenizer_spm.SACREBLEU_DIR) / "models" / os.path.basename(url)
        missing = []
        if not model.is_file():
            missing.append(f"no model at {model}")
        try:
            import sentencepiece  # noqa: F401
        except ImportError:
            missing.append("Python package sentencepiece not installed")
        if missing:
            raise RefScoreError(
                f"tokenizer {name!r} needs a SentencePiece model downloaded from {url}, and mtaudit "
                f"never downloads at run time ({'; '.join(missing)}); use one of {offline}"
            )
        return name
    # ja-mecab, ko-mecab: dictionaries shipped as Python packages
    try:
        from sacrebleu.metrics.bleu import _get_tokenizer

        _get_tokenizer(name)()
    except Exception as exc:  # ImportError, RuntimeError from MeCab...
        first = str(exc).strip().splitlines()
        why = next((ln.strip() for ln in first if ln.strip()), type(exc).__name__)
        raise RefScoreError(
            f"tokenizer {name!r} cannot run here ({why}); use one of {offline}"
        ) from None
    return name


# --------------------------------------------------------------------------------- metrics
def make_metrics(tokenize: str = DEFAULT_TOKENIZER, metrics: Sequence[str] = METRIC_ORDER) -> dict:
    """sacrebleu metric objects by score name, with sacrebleu's defaults (chrF++ = word_order 2)."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    build = {
        "BLEU": lambda: BLEU(tokenize=tokenize),
        "chrF2": lambda: CHRF(),
        "chrF2++": lambda: CHRF(word_order=2),
        "TER": lambda: TER(),
    }
    return {name: build[name]() for name in metrics}


@dataclass
class MetricScore:
    name: str  # sacrebleu's score name: BLEU, chrF2, chrF2++, TER
    score: float  # full precision
    signature: str
    verbose: str = ""  # BLEU's precisions, brevity penalty and lengths (as sacrebleu prints them)
    width: int = 1

    @property
    def text(self) -> str:
        return f"{self.score:.{self.width}f}"

    def line(self) -> str:
        """The line ``sacrebleu -f text`` prints for this metric."""
        out = f"{self.name}|{self.signature} = {self.text}"
        return out + (f" {self.verbose}" if self.verbose else "")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "score": float(self.text),
            "score_text": self.text,
            "score_full": self.score,
            "signature": self.signature,
        }
        if self.verbose:
            d["verbose_score"] = self.verbose
        return d


def corpus_scores(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str]],
    tokenize: str = DEFAULT_TOKENIZER,
    width: int = 1,
    metrics: Sequence[str] = METRIC_ORDER,
) -> list[MetricScore]:
    """Corpus-level scores, one per metric, each with its sacrebleu signature."""
    out = []
    for metric in make_metrics(tokenize, metrics).values():
        s = metric.corpus_score(list(hyps), [list(r) for r in refs])
        out.append(MetricScore(s.name, s.score, metric.get_signature().format(), s._verbose, width))
    return out


@dataclass
class SegmentScore:
    index: int  # 0-based segment index
    label: str  # line number, or record id[:line]
    chrf: float
    bleu: float  # sentence BLEU (effective order, as `sacrebleu --sentence-level`)
    hypothesis: str
    references: list[str]


def worst_segments(
    corpus: Corpus, n: int, tokenize: str = DEFAULT_TOKENIZER
) -> tuple[list[SegmentScore], str]:
    """The n segments with the lowest sentence chrF (ties: earlier first), and the chrF signature."""
    from sacrebleu.metrics import BLEU, CHRF

    chrf = CHRF()
    bleu = BLEU(tokenize=tokenize, effective_order=True)
    scored = []
    for i, hyp in enumerate(corpus.hyps):
        refs = [r[i] for r in corpus.refs]
        scored.append((chrf.sentence_score(hyp, refs).score, i))
    scored.sort()
    out = []
    for score, i in scored[: max(n, 0)]:
        refs = [r[i] for r in corpus.refs]
        out.append(
            SegmentScore(
                i,
                corpus.segment_labels[i],
                score,
                bleu.sentence_score(corpus.hyps[i], refs).score,
                corpus.hyps[i],
                refs,
            )
        )
    return out, chrf.get_signature().format()


@dataclass
class PairedResult:
    name: str
    baseline: dict[str, float]  # score, mean, ci
    system: dict[str, float]  # score, mean, ci, p_value
    signature: str


def paired_bootstrap(
    hyps: Sequence[str],
    hyps2: Sequence[str],
    refs: Sequence[Sequence[str]],
    tokenize: str = DEFAULT_TOKENIZER,
    n_samples: int = 1000,
    names: tuple[str, str] = ("baseline", "system"),
    metrics: Sequence[str] = METRIC_ORDER,
) -> list[PairedResult]:
    """sacrebleu's paired bootstrap resampling test (``sacrebleu --paired-bs``): the baseline
    ``hyps`` against ``hyps2``, for every metric. Seeded as sacrebleu is (SACREBLEU_SEED,
    default 12345), so the numbers are the command line's."""
    from sacrebleu.significance import PairedTest

    refs = [list(r) for r in refs]
    objs = {}
    for name, m in make_metrics(tokenize, metrics).items():
        m._ref_cache = m._cache_references(refs)
        objs[name] = m
    logging.getLogger("sacrebleu").setLevel(logging.WARNING)
    test = PairedTest(
        [(names[0], list(hyps)), (names[1], list(hyps2))],
        objs,
        references=None,
        test_type="bs",
        n_samples=n_samples,
    )
    sigs, scores = test()
    out = []
    for name in scores:
        if name == "System":
            continue
        bl, sy = scores[name]
        out.append(
            PairedResult(
                name,
                {"score": bl.score, "mean": float(bl.mean), "ci": float(bl.ci)},
                {
                    "score": sy.score,
                    "mean": float(sy.mean),
                    "ci": float(sy.ci),
                    "p_value": sy.p_value,
                },
                sigs[name].format(),
            )
        )
    return out


# --------------------------------------------------------------------------------- articles
def article_scores(
    hyp_text: str,
    ref_text: str,
    tokenize: str = DEFAULT_TOKENIZER,
    keep_boilerplate: bool = False,
    ter_max_words: int = TER_MAX_WORDS,
) -> dict[str, Any]:
    """BLEU, chrF and TER of one article against one reference article (see align_article).

    Returns ``{"bleu", "chrf", "ter", "signature", "alignment", "segments", "ter_skipped"}``;
    scores are sacrebleu's at full precision; ``ter`` is None when skipped.
    """
    hyps, refs, mode = align_article(hyp_text, [ref_text], keep_boilerplate)
    if not any(hyps) or not any(refs[0]):
        raise RefScoreError("the article or its reference has no text to score")
    names = ["BLEU", "chrF2", "TER"]
    ter_skipped = None
    if mode == "article":
        words = max(len(hyps[0].split()), len(refs[0][0].split()))
        if words > ter_max_words:
            names.remove("TER")
            ter_skipped = f"lines not aligned, {words} words in one segment (TER computed up to {ter_max_words})"
    res = {m.name: m for m in corpus_scores(hyps, refs, tokenize, metrics=names)}
    sig = "; ".join(f"{m.name}:{m.signature}" for m in res.values())
    if ter_skipped:
        sig += f"; TER:skipped(>{ter_max_words} words)"
    sig += f"; align:{mode}"
    return {
        "bleu": res["BLEU"].score,
        "chrf": res["chrF2"].score,
        "ter": res["TER"].score if "TER" in res else None,
        "signature": sig,
        "alignment": mode,
        "segments": len(hyps),
        "ter_skipped": ter_skipped,
    }


