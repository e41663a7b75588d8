"""Unicode NFC for analysis, with offsets back into the text as read.

A file written with decomposed accents ("pre\\u0301sident", NFD: macOS file names, some
editors) must be analysed like its composed twin, or every check sees "pre" + an accent.
The Document analyses the NFC text; :class:`OffsetMap` maps its offsets back to the text as
read, so a finding's text is exactly what the user's file holds there, and a span never
separates a letter from its combining accent.

The text is cut into clusters: a character with the combining marks (and Hangul vowel or
final jamo) that follow it. NFC never joins two clusters, which is checked; where it would
(a rare script whose vowel sign composes without being a combining mark), the cluster grows
to the whole run of non-space characters, which NFC never crosses.
"""

from __future__ import annotations

import bisect
import unicodedata


def _joins_previous(ch: str) -> bool:
    return unicodedata.combining(ch) != 0 or "\u1160" <= ch <= "\u11ff"


def _clusters(line: str, base: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or not _joins_previous(line[i]):
            out.append((base + start, base + i))
            start = i
    return out


def _words(line: str, base: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or line[i].isspace() != line[i - 1].isspace():
            out.append((base + start, base + i))
            start = i
    return out


class OffsetMap:
    """Offsets of the NFC text -> offsets of the original text.

    Only the clusters that NFC changed are stored: (nfc_start, nfc_end, orig_start, orig_end);
    between them the two texts differ by a constant shift."""

    def __init__(self, changed: list[tuple[int, int, int, int]]):
        self.changed = changed
        self._starts = [c[0] for c in changed]

    def start(self, offset: int) -> int:
        """Where a span starting at ``offset`` of the NFC text starts in the original."""
        return self._map(offset, end=False)

    def end(self, offset: int) -> int:
        """Where a span ending at ``offset`` of the NFC text ends in the original."""
        return self._map(offset, end=True)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.start(start), max(self.start(start), self.end(end))

    def _map(self, offset: int, end: bool) -> int:
        j = bisect.bisect_right(self._starts, offset) - 1
        if j < 0:
            return offset
        ns, ne, os_, oe = self.changed[j]
        if offset == ns:
            return os_
        if offset >= ne:
            return offset - ne + oe
        return oe if end else os_  # inside a changed cluster: the whole cluster


def to_nfc(text: str) -> tuple[str, OffsetMap | None]:
    """(NFC text, map back to ``text``), or (``text``, None) when it is already NFC."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts: list[str] = []
    changed: list[tuple[int, int, int, int]] = []
    n = 0  # length of the NFC text so far
    pos = 0
    for line in text.splitlines(keepends=True):
        if unicodedata.is_normalized("NFC", line):
            parts.append(line)
            n += len(line)
            pos += len(line)
            continue
        whole = unicodedata.normalize("NFC", line)
        spans = _clusters(line, pos)
        pieces = [unicodedata.normalize("NFC", text[s:e]) for s, e in spans]
        if "".join(pieces) != whole:  # NFC joins across clusters here: cut at spaces instead
            spans = _words(line, pos)
            pieces = [unicodedata.normalize("NFC", text[s:e]) for s, e in spans]
        for (s, e), piece in zip(spans, pieces, strict=True):
            if piece != text[s:e]:
                changed.append((n, n + len(piece), s, e))
            n += len(piece)
        parts.append("".join(pieces))
        pos += len(line)
    return "".join(parts), OffsetMap(changed)
