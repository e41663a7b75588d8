"""What reading an input gives: an :class:`Item` (a text to audit) or an
:class:`InputError` (one line a user can act on, naming the input); and how a path is shown."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field


@dataclass
class Item:
    source: str
    text: str
    encoding: str = "utf-8"
    kind: str = "text"  # text, html, jsonl
    title: str | None = None
    reference: str | None = None
    notes: list[str] = field(default_factory=list)  # said in the scorecard's reasons
    # a JSONL record: the file it came from and its id (``source`` is "file#id", for display)
    path: str | None = None
    record_id: str | None = None
    # where the input is, unique in a run ("file", "file:line" for a JSONL record, "file@offset"
    # for a WARC record); None means ``source``. URL and date of a crawled page in ``meta``.
    input_id: str | None = None
    meta: dict = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)  # rule codes a JSONL record silences


@dataclass
class InputError:
    source: str
    message: str
    warning: bool = False  # said on stderr; not an error of the run (exit code unchanged)

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"

    def to_dict(self) -> dict:
        return {"source": self.source, "message": self.message}


def mb(n: int) -> str:
    """A size for a message: megabytes to one decimal, or kilobytes or bytes when that would
    read 0.0 MB (``max_bytes = 50`` gave "0.0 MB > 0.0 MB")."""
    if n >= 100_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def display_name(p: str) -> str:
    """A path as it is shown in reports and error lines: undecodable bytes of the file name
    as \\xNN, control characters (newline, escape) escaped, so a name never splits a line or
    reaches the terminal raw."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in p):
        p = os.fsencode(p).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), p)
