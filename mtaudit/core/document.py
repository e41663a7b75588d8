"""The article as every check sees it: text, excluded lines, paragraphs, sentences, tokens.

All offsets are character offsets into ``Document.text``, the file's text as read (decoded,
BOM removed, line ends normalised to "\\n" as Python's text mode does) in Unicode NFC: a file
with decomposed accents is analysed composed. ``text_as_read`` keeps the text before NFC and
:meth:`Document.as_read` maps findings and spans back to it when the scorecard is built.
Checks read a Document and never change it.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property

from mtaudit.text.furniture import Excluded, find_excluded
from mtaudit.text.nfc import to_nfc
from mtaudit.text.normalise import token_tuples
from mtaudit.text.segment import (
    Paragraph,
    Sentence,
    Token,
    paragraph_kind,
    split_sentences,
)

_CURLY_PAIRS = re.compile(r"«[^«»]*»|“[^“”]*”")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Document:
    text: str
    source: str = "<text>"
    encoding: str = "utf-8"
    title: str | None = None
    reference: str | None = None
    keep_boilerplate: bool = False
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.text_as_read = self.text
        self.text, self.offsets = to_nfc(self.text)

    # ----- back to the text as read (NFD input) ----------------------------------------------
    def as_read(self, findings=(), sentences=(), spans=(), excluded=()):
        """Findings, sentence scores, spans and excluded lines with offsets, texts, lines and
        columns into the text as read (unchanged when it was already NFC). Findings are
        changed in place; the others are returned as new lists, in the order given."""
        m = self.offsets
        if m is None:
            return list(findings), list(sentences), list(spans), list(excluded)
        orig = self.text_as_read
        starts = [0] + [i + 1 for i, c in enumerate(orig) if c == "\n"]
        for f in findings:
            f.start, f.end = m.span(f.start, f.end)
            f.text = orig[f.start : f.end]
            i = bisect.bisect_right(starts, f.start) - 1
            f.line, f.column = i + 1, f.start - starts[i] + 1
        out_sent = []
        for s in sentences:
            start, end = m.span(s.start, s.end)
            extra = {}
            if s.surprising_start is not None and s.surprising_end is not None:
                extra["surprising_start"], extra["surprising_end"] = m.span(s.surprising_start, s.surprising_end)
            out_sent.append(dataclasses.replace(s, start=start, end=end, **extra))
        out_spans = [m.span(s, e) for s, e in spans]
        out_exc = []
        for x in excluded:
            start, end = m.span(x.start, x.end)
            out_exc.append(dataclasses.replace(x, start=start, end=end, text=orig[start:end]))
        return list(findings), out_sent, out_spans, out_exc

    # ----- lines and exclusion -------------------------------------------------------------
    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        for m in re.finditer("\n", self.text):
            starts.append(m.end())
        return starts

    @cached_property
    def lines(self) -> list[tuple[int, int, str]]:
        out = []
        starts = self.line_starts
        for i, s in enumerate(starts):
            e = starts[i + 1] - 1 if i + 1 < len(starts) else len(self.text)
            out.append((s, e, self.text[s:e]))
        return out

    @cached_property
    def excluded(self) -> list[Excluded]:
        from mtaudit.core.suppress import directive_lines

        found = [] if self.keep_boilerplate else find_excluded(self.lines)
        directives = directive_lines(self.lines)  # mtaudit comments: never analysed
        if directives:
            taken = {d.line for d in directives}
            found = sorted([e for e in found if e.line not in taken] + directives, key=lambda e: e.line)
        return found

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    # ----- segmentation ----------------------------------------------------------------------
    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        """Kept (non-excluded, non-blank) lines; one scraped line is one paragraph."""
        skip = {e.line for e in self.excluded}
        out = []
        for i, (s, e, line) in enumerate(self.lines):
            if i + 1 in skip or not line.strip():
                continue
            lead = len(line) - len(line.lstrip())
            trail = len(line) - len(line.rstrip())
            ps, pe = s + lead, e - trail
            text = self.text[ps:pe]
            out.append(Paragraph(text, ps, pe, i + 1, paragraph_kind(text)))
        return out

    @cached_property
    def sentences(self) -> list[Sentence]:
        out = []
        for pi, p in enumerate(self.paragraphs):
            for s, e in split_sentences(p.text, p.start):
                out.append(Sentence(self.text[s:e], s, e, pi))
        return out

    @cached_property
    def tokens(self) -> list[Token]:
        out: list[Token] = []
        for si, sent in enumerate(self.sentences):
            first = True
            for text, s, e, kind, _ in token_tuples(sent.text, sent.start):
                out.append(Token(text, s, e, kind, si, first))
                first = False
        return out

    @cached_property
    def sentence_tokens(self) -> list[list[Token]]:
        """The tokens of each sentence (index = sentence index), in one pass."""
        out: list[list[Token]] = [[] for _ in self.sentences]
        for t in self.tokens:
            out[t.sentence].append(t)
        return out

    @cached_property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.kind == "word"]

    @property
    def word_count(self) -> int:
        return len(self.words)

    @cached_property
    def body_text(self) -> str:
        """The kept paragraphs joined by blank lines (for language ID and statistics)."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @cached_property
    def quotes(self) -> list[tuple[int, int]]:
        """Spans of quotations (« … », “ … ”, "…") inside kept paragraphs, quotes included.

        Straight quotes are told apart by their neighbours: an opening one follows a space,
        a bracket or the start of the paragraph and precedes a non-space; a closing one follows
        a non-space. An unmatched quote opens nothing, so an odd count does not shift the pairs.
        """
        out = []
        for p in self.paragraphs:
            t = p.text
            for m in _CURLY_PAIRS.finditer(t):
                out.append((p.start + m.start(), p.start + m.end()))
            open_at = None
            for m in re.finditer('"', t):
                i = m.start()
                before = t[i - 1] if i else " "
                after = t[i + 1] if i + 1 < len(t) else " "
                opening = (before.isspace() or before in "([{'’-–—:") and not after.isspace()
                if open_at is None:
                    if opening:
                        open_at = i
                elif not before.isspace():
                    out.append((p.start + open_at, p.start + i + 1))
                    open_at = None
                elif opening:
                    open_at = i  # the earlier one never closed: start again here
        return sorted(out)

    @cached_property
    def _quote_index(self) -> tuple[list[int], list[int]]:
        """Starts of the quotes and the running maximum of their ends (for in_quote)."""
        starts, reach, far = [], [], -1
        for qs, qe in self.quotes:
            far = max(far, qe)
            starts.append(qs)
            reach.append(far)
        return starts, reach

    def in_quote(self, start: int, end: int) -> tuple[int, int] | None:
        """The quotation that contains [start, end), if any (the first one, by start).

        Found by bisection: a long article with many quotes and findings stays linear."""
        starts, reach = self._quote_index
        j = bisect.bisect_right(starts, start) - 1
        found = None
        while j >= 0 and reach[j] >= end:
            qs, qe = self.quotes[j]
            if end <= qe:
                found = (qs, qe)
            j -= 1
        return found

    @cached_property
    def _word_bounds(self) -> tuple[list[int], list[int]]:
        """Starts and ends of the words (both increasing: words are in text order)."""
        return [t.start for t in self.words], [t.end for t in self.words]

    def word_range(self, start: int, end: int) -> range:
        """Indices into ``words`` of the words that lie inside [start, end), by bisection:
        a check asking this for every quotation or finding stays linear on a long text."""
        starts, ends = self._word_bounds
        return range(bisect.bisect_left(starts, start), bisect.bisect_right(ends, end))

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_at(self, pos: int) -> Paragraph | None:
        """The kept paragraph that contains offset ``pos``, if any (bisection)."""
        i = bisect.bisect_right(self._paragraph_starts, pos) - 1
        if i >= 0:
            p = self.paragraphs[i]
            if pos < p.start + len(p.text):
                return p
        return None

    def analysis(self, ctx, name: str):
        """The result of the declared analysis ``name`` (see mtaudit.analyses) on this
        document under ``ctx``'s configuration: computed on the first request, then shared
        by every check that asks (the English runs, the glossary matches...)."""
        from mtaudit.analyses.framework import compute

        return compute(self, ctx, name)

    def release(self) -> None:
        """Drop the shared analyses once the document is audited. They point back at the
        document (a sentence analysis keeps its document), so without this each audited
        document is a reference cycle that only the cyclic garbage collector frees."""
        self.__dict__.pop("_analyses", None)
