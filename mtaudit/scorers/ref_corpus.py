"""The inputs of the reference-based scores: hypothesis and reference files read as the
``sacrebleu`` command line reads them, JSONL articles, and the segmentation of an article and
its reference into aligned segments (:mod:`mtaudit.scorers.refscore` scores them).

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


class RefScoreError(ValueError):
    """A problem with the inputs or options, as one line a user can act on."""


def _decode(path: str, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")  # as the sacrebleu command line reads it
    except UnicodeDecodeError:
        pass
    # another encoding: detected the way `mtaudit scan` detects it (cp1252, Latin-1, UTF-16...)
    from mtaudit.io.decoding import decode

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
