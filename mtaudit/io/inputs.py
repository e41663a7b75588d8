"""Reading inputs: files, directories, JSONL records, HTML pages and standard input: which
files a run reads (directories expanded, reports and devices set aside) and how each is read.

Every input becomes an :class:`Item` (a text to audit) or an :class:`InputError` (one line a
user can act on, naming the file). Reading is lazy, so a batch of any size streams.
Decoding bytes is :mod:`mtaudit.io.decoding`, HTML extraction :mod:`mtaudit.io.html`, JSONL
records :mod:`mtaudit.io.jsonl`; their entry points are importable from here too.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from mtaudit.io.decoding import clean_text, decode, decode_noted
from mtaudit.io.items import InputError, Item, display_name, mb
from mtaudit.io.jsonl import looks_jsonl, read_jsonl, stream_jsonl

__all__ = [
    "SUFFIXES",
    "InputError",
    "Item",
    "clean_text",
    "decode",
    "decode_noted",
    "display_name",
    "is_report",
    "iter_paths",
    "read_inputs",
    "read_jsonl",
    "read_one",
    "read_single",
]



def __getattr__(name: str):
    """``html_to_text`` and ``page_text`` stay importable from here; mtaudit.io.html (and the
    standard library's HTML parser) is imported only when a page is read."""
    if name in ("html_to_text", "page_text"):
        from mtaudit.io import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


def is_report(path: str) -> bool:
    """Whether a file is a report mtaudit wrote (JSONL or JSON), not an input to audit."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return head.lstrip()[:1] == b"{" and b'"signature"' in head and (
        b'"verdict"' in head or b'"mtaudit"' in head or b'"error"' in head
    )


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def iter_paths(paths: list[str]) -> Iterator[str | InputError]:
    """Expand directories recursively (sorted, for reproducible output); keep '-' as stdin.

    Inside a directory only regular files with a known suffix are read: a FIFO or a device
    there is reported (it would block or never end), symlinked subdirectories are followed
    once (a loop is reported), and a report mtaudit wrote there is set aside with a warning."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            found = False
            seen = {os.path.realpath(p)}
            for root, dirs, files in os.walk(path, followlinks=True):
                dirs.sort()
                for d in list(dirs):
                    full = os.path.join(root, d)
                    real = os.path.realpath(full)
                    if real in seen:
                        dirs.remove(d)
                        yield InputError(display_name(full), "directory already read (a symbolic link loop or a second link to it): not read again", warning=True)
                    else:
                        seen.add(real)
                for f in sorted(files):
                    if Path(f).suffix.lower() not in SUFFIXES and not f.lower().endswith((".warc", ".warc.gz")):
                        continue
                    full = str(Path(root) / f)
                    try:
                        st = os.stat(full)
                    except OSError as exc:
                        found = True
                        yield InputError(display_name(full), f"cannot read ({exc.strerror or exc})")
                        continue
                    found = True
                    if not stat.S_ISREG(st.st_mode):
                        yield InputError(display_name(full), f"{_kind_of(st.st_mode)}, not a regular file: not read")
                        continue
                    if Path(f).suffix.lower() == ".jsonl" and is_report(full):
                        yield InputError(display_name(full), "an mtaudit report, not an input: not read", warning=True)
                        continue
                    yield full
            if not found:
                yield InputError(display_name(p), "directory holds no .txt, .md, .html, .htm, .jsonl or .warc[.gz] file")
        elif path.exists():
            yield p
        else:
            yield InputError(display_name(p), "no such file or directory")


def read_inputs(paths: list[str], max_bytes: int = 10_000_000) -> Iterator[Item | InputError]:
    for p in iter_paths(paths):
        if isinstance(p, InputError):
            yield p
            continue
        yield from read_one(p, max_bytes)


def read_single(p: str, max_bytes: int) -> Item | InputError:
    """One text read as ``scan`` reads it (for commands that look at a single text: a JSONL
    file gives its first record)."""
    got = next(iter(read_one(p, max_bytes)), None)
    return got if got is not None else InputError(p, "nothing to read")


def _read_bounded(fh, max_bytes: int) -> bytes | None:
    """At most ``max_bytes`` from a binary stream, in chunks; None when there is more (the
    limit is checked while reading: /dev/zero or an endless pipe cannot exhaust memory)."""
    chunks, total = [], 0
    while True:
        chunk = fh.read(min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            return None


def _open_nonblocking(p: str):
    """Open a file for reading without blocking on a FIFO that has no writer (which then reads
    as empty instead of hanging), then read it normally."""
    import fcntl

    fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
    return os.fdopen(fd, "rb")


def read_one(p: str, max_bytes: int) -> Iterator[Item | InputError]:
    if p == "-":
        source, suffix = "<stdin>", ""
        stdin = sys.stdin
        if stdin is None or getattr(stdin, "buffer", None) is None:
            yield InputError(source, "standard input is closed")
            return
        try:
            data = _read_bounded(stdin.buffer, max_bytes)
        except (OSError, ValueError) as exc:
            yield InputError(source, f"cannot read standard input ({getattr(exc, 'strerror', None) or exc})")
            return
        if data is None:
            yield InputError(source, f"input too large (> {mb(max_bytes)}; raise the limit with --max-size)")
            return
    else:
        source, suffix = display_name(p), Path(p).suffix.lower()
        try:
            st = os.stat(p)
            regular = stat.S_ISREG(st.st_mode)
            if regular and p.lower().endswith((".warc", ".warc.gz")):
                # each page record is an article; the limit is per record
                from mtaudit.io.warc import read_warc

                yield from read_warc(p, max_bytes)
                return
            if regular and suffix == ".jsonl":
                # streamed record by record: a JSONL batch of any size keeps memory flat, and
                # the size limit applies to each record
                yield from stream_jsonl(p, max_bytes)
                return
            if regular and st.st_size > max_bytes:
                yield InputError(
                    source, f"file too large ({mb(st.st_size)} > {mb(max_bytes)}; raise the limit with --max-size)"
                )
                return
            if stat.S_ISDIR(st.st_mode):
                yield InputError(source, "is a directory")
                return
            with (open(p, "rb") if regular else _open_nonblocking(p)) as fh:
                data = _read_bounded(fh, max_bytes)
        except OSError as exc:
            yield InputError(source, f"cannot read ({exc.strerror or exc})")
            return
        if data is None:
            yield InputError(source, f"input too large (> {mb(max_bytes)}; raise the limit with --max-size)")
            return
    if not data.strip():
        if p != "-" and stat.S_ISFIFO(st.st_mode):
            yield InputError(source, "a FIFO that gave no data (no writer): nothing to audit")
        else:
            yield InputError(source, "empty file, nothing to audit")
        return
    try:
        text, enc, notes = decode_noted(data)
    except ValueError as exc:
        yield InputError(source, str(exc))
        return
    if suffix == ".jsonl" or (p == "-" and text.lstrip().startswith("{") and looks_jsonl(text)):
        yield from read_jsonl(source, text, enc)
        return
    kind = "text"
    if suffix in (".html", ".htm") or (p == "-" and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))):
        kind = "html"
    path = None if p == "-" else p
    if kind == "html":
        from mtaudit.io.html import html_to_text, page_text

        body = html_to_text(text)
        if not body.strip():
            body = page_text(text)
            notes = notes + ["no main article found in the page: all its text audited"]
        if not body.strip():
            yield InputError(source, "HTML page with no article text found")
            return
        yield Item(source, body, enc, "html", notes=notes, path=path)  # offsets refer to the extracted text
        return
    if not text.strip():
        yield InputError(source, "no text, only white space")
        return
    yield Item(source, text, enc, kind, notes=notes, path=path)
