"""Reference-based scores: BLEU, chrF, chrF++ and TER, computed by sacrebleu's Python API.

The numbers are sacrebleu's own (same classes, same defaults, same signatures as its command
line); this module only reads the inputs, checks them, and shapes the results.

Inputs
------
* Plain text files: one segment a line, exactly as ``sacrebleu REF -i HYP`` reads them (split on
  "\\n", trailing white space stripped from every line). A UTF-8 byte-order mark is dropped (the
  sacrebleu command line would keep it as part of the first word).
* JSONL files: one article a record, ``{"id", "text"}`` (mtaudit's JSONL) or
  ``{"doc_id", "sentences": [...]}`` (one segment a sentence). A record's reference is the record
  at the same position of the ``--ref`` JSONL file, or its own ``"reference"`` field (a string, or
  a list of strings for several references). Each record is segmented by :func:`align_article`.

Articles (``mtaudit scan`` and JSONL records)
---------------------------------------------
A hypothesis article and its reference article are segmented by :func:`align_article`: both are
cut into their kept lines (``Document.paragraphs``: non-blank lines, page furniture set aside the
same way on both sides). If every side has the same number of lines, line *i* is scored against
line *i* ("align:lines"); otherwise each side is one segment, its lines joined by a space
("align:article"). On one long segment TER's shift search is slow (about 6 s at 200 words,
30 s at 1,200), so in "align:article" mode TER is only computed up to ``ter_max_words`` words a
side (default 150) and is ``None`` beyond, with a reason.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The tokenizers that run offline with what sacrebleu installs (zh is pure Python).
OFFLINE_TOKENIZERS = ("13a", "intl", "char", "none", "zh")
DEFAULT_TOKENIZER = "13a"
# Metrics in the order they are printed; keys are sacrebleu's score names.
METRIC_ORDER = ("BLEU", "chrF2", "chrF2++", "TER")
TER_MAX_WORDS = 150


class RefScoreError(ValueError):
    """A problem with the inputs or options, as one line a user can act on."""


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


# --------------------------------------------------------------------------------- reading
def _decode(path: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")  # as the sacrebleu command line reads it
    except UnicodeDecodeError:
        pass
    # another encoding: detected the way `mtaudit scan` detects it (cp1252, Latin-1, UTF-16...)
    from mtaudit.io.inputs import decode

    try:
        return decode(data)[0]
    except ValueError as exc:
        raise RefScoreError(f"{path}: {exc}") from None


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise RefScoreError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RefScoreError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise RefScoreError(f"{path}: cannot read ({exc.strerror or exc})") from None


def split_lines(text: str) -> list[str]:
    """Segments of a text as ``sacrebleu`` reads a file: lines split on "\\n", right-stripped."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.rstrip() for ln in lines]


def read_lines(path: str) -> list[str]:
    """The segments of a plain text file; RefScoreError if it has none."""
    lines = split_lines(_decode(path, _read_bytes(path)))
    if not any(lines):
        raise RefScoreError(f"{path}: empty file, no segment to score")
    return lines


def is_jsonl(path: str) -> bool:
    return Path(path).suffix.lower() == ".jsonl"


@dataclass
class Record:
    id: str
    text: str
    references: list[str] = field(default_factory=list)


def _record_text(rec: dict, where: str) -> str:
    if isinstance(rec.get("sentences"), list):
        sents = rec["sentences"]
        if not all(isinstance(s, str) for s in sents):
            raise RefScoreError(f'{where}: "sentences" must be a list of strings')
        return "\n".join(" ".join(s.split()) for s in sents)
    if isinstance(rec.get("text"), str):
        return rec["text"].replace("\r\n", "\n").replace("\r", "\n")
    raise RefScoreError(f'{where}: record has neither a "text" string nor a "sentences" list')


def read_records(path: str) -> list[Record]:
    """The records of a JSONL file (see the module docstring); RefScoreError on a bad line."""
    text = _decode(path, _read_bytes(path))
    out = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RefScoreError(
                f"{where}: malformed JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(rec, dict):
            raise RefScoreError(f"{where}: a JSONL record must be an object")
        body = _record_text(rec, where)
        if not body.strip():
            raise RefScoreError(f"{where}: record has an empty text")
        ref = rec.get("reference")
        refs = (
            [ref]
            if isinstance(ref, str)
            else [r for r in ref if isinstance(r, str)]
            if isinstance(ref, list)
            else []
        )
        rid = rec.get("id", rec.get("doc_id", lineno))
        out.append(Record(str(rid), body, refs))
    if not out:
        raise RefScoreError(f"{path}: empty file, no record to score")
    return out


# --------------------------------------------------------------------------------- alignment
def _kept_lines(text: str, keep_boilerplate: bool = False) -> list[str]:
    from mtaudit.core.document import Document, normalise_newlines

    text = normalise_newlines(text.lstrip("\ufeff"))
    doc = Document(text=text, keep_boilerplate=keep_boilerplate)
    return [" ".join(p.text.split()) for p in doc.paragraphs]


def align_article(
    hyp_text: str, ref_texts: Sequence[str], keep_boilerplate: bool = False
) -> tuple[list[str], list[list[str]], str]:
    """Segments of a hypothesis article and its reference articles, and the alignment used.

    Returns ``(hyp_segments, ref_streams, mode)``: mode "lines" when every side has the same
    number of kept lines (line i against line i), else "article" (one segment a side).
    """
    hyp = _kept_lines(hyp_text, keep_boilerplate)
    refs = [_kept_lines(r, keep_boilerplate) for r in ref_texts]
    if hyp and all(len(r) == len(hyp) for r in refs):
        return hyp, refs, "lines"
    return [" ".join(hyp)], [[" ".join(r)] for r in refs], "article"


# --------------------------------------------------------------------------------- corpus
@dataclass
class Corpus:
    """Aligned segments: ``hyps[i]`` against ``refs[k][i]`` for every reference stream k."""

    hyps: list[str]
    refs: list[list[str]]
    hyp_name: str
    ref_names: list[str]
    alignment: str = "lines"  # lines (files), or records: "N records, L line-aligned, A whole"
    segment_labels: list[str] = field(default_factory=list)  # where each segment comes from

    def __post_init__(self):
        if not self.segment_labels:
            self.segment_labels = [f"{i}" for i in range(1, len(self.hyps) + 1)]


def _check_counts(
    name: str,
    n: int,
    other: str,
    m: int,
    unit: str = "lines",
    hint: str = "the files must be aligned, one segment a line",
) -> None:
    if n != m:
        raise RefScoreError(f"{name} has {n} {unit} but {other} has {m}: {hint}")


def load_corpus(hyp_path: str, ref_paths: Sequence[str], keep_boilerplate: bool = False) -> Corpus:
    """Read a hypothesis file and its reference files (text or JSONL) into aligned segments."""
    if is_jsonl(hyp_path):
        return _load_jsonl_corpus(hyp_path, ref_paths, keep_boilerplate)
    if not ref_paths:
        raise RefScoreError(f"{hyp_path}: no reference; give one with --ref REF")
    for r in ref_paths:
        if is_jsonl(r):
            raise RefScoreError(
                f"{r}: a JSONL reference needs a JSONL hypothesis file, and {hyp_path} is plain text"
            )
    hyps = read_lines(hyp_path)
    refs = []
    for r in ref_paths:
        lines = read_lines(r)
        _check_counts(hyp_path, len(hyps), r, len(lines))
        refs.append(lines)
    return Corpus(hyps, refs, hyp_path, list(ref_paths))


def _load_jsonl_corpus(hyp_path: str, ref_paths: Sequence[str], keep_boilerplate: bool) -> Corpus:
    records = read_records(hyp_path)
    for r in ref_paths:
        if not is_jsonl(r):
            raise RefScoreError(f"{r}: a JSONL hypothesis file ({hyp_path}) needs JSONL references")
    if ref_paths:
        ref_records = [read_records(r) for r in ref_paths]
        ids = [rec.id for rec in records]
        by_id = [{rec.id: rec.text for rec in recs} for recs in ref_records]
        if len(set(ids)) == len(ids) and all(set(ids) <= set(m) for m in by_id):
            # every hypothesis record has a reference record with the same id
            per_record = [[m[i] for m in by_id] for i in ids]
        else:
            for r, recs in zip(ref_paths, ref_records, strict=True):
                _check_counts(
                    hyp_path,
                    len(records),
                    r,
                    len(recs),
                    "records",
                    "records are matched by id, or by position when the ids do not all match",
                )
            per_record = [[recs[i].text for recs in ref_records] for i in range(len(records))]
        ref_names = list(ref_paths)
    else:
        n = {len(rec.references) for rec in records}
        if n == {0}:
            raise RefScoreError(
                f'{hyp_path}: no reference; give --ref REF.jsonl or "reference" fields'
            )
        if len(n) > 1:
            bad = next(rec for rec in records if len(rec.references) != len(records[0].references))
            raise RefScoreError(
                f"{hyp_path}: record {bad.id} has {len(bad.references)} reference(s) but record "
                f"{records[0].id} has {len(records[0].references)}: every record needs the same number"
            )
        per_record = [rec.references for rec in records]
        ref_names = [
            f'{hyp_path} "reference"' + (f" #{k + 1}" if len(records[0].references) > 1 else "")
            for k in range(len(records[0].references))
        ]
    hyps: list[str] = []
    refs: list[list[str]] = [[] for _ in ref_names]
    labels: list[str] = []
    modes = {"lines": 0, "article": 0}
    for rec, rtexts in zip(records, per_record, strict=True):
        h, rs, mode = align_article(rec.text, rtexts, keep_boilerplate)
        modes[mode] += 1
        hyps.extend(h)
        for k, r in enumerate(rs):
            refs[k].extend(r)
        labels.extend(
            [f"{rec.id}:{i}" for i in range(1, len(h) + 1)] if mode == "lines" else [f"{rec.id}"]
        )
    alignment = (
        f"{len(records)} records: {modes['lines']} line-aligned, {modes['article']} as one segment"
    )
    return Corpus(hyps, refs, hyp_path, ref_names, alignment, labels)


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


