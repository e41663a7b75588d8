"""Reading inputs: files, directories, JSONL records, HTML pages and standard input.

Every input becomes an :class:`Item` (a text to audit) or an :class:`InputError` (one line a
user can act on, naming the file). Reading is lazy, so a batch of any size streams.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .document import normalise_newlines

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WESTERN = ("utf_8", "cp1252", "latin_1", "iso8859_15", "mac_roman")
SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


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

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"

    def to_dict(self) -> dict:
        return {"source": self.source, "message": self.message}


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of raw bytes; ValueError for binary data.

    UTF-8 (with or without BOM) first; otherwise charset-normalizer's best guess. The text is
    what Python's text mode would give: BOM removed, line ends normalised to "\\n".
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise ValueError(f"not valid {codec} despite its byte-order mark") from None
            return normalise_newlines(text), codec
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is None:
                raise ValueError("binary or undecodable file (no text encoding fits)") from None
            enc = best.encoding
            # Encodings that decode these bytes identically are grouped; for French text name
            # the Western one an editor would recognise (cp1252 rather than cp1250).
            for pref in WESTERN:
                if pref in best.could_be_from_charset:
                    enc = pref
                    break
            text = data.decode(enc)
    # control characters other than tab/newline in quantity mean binary
    ctrl = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    if ctrl > max(8, len(text[:8192]) // 100):
        raise ValueError("binary file (control characters), not text")
    return normalise_newlines(text), enc


def html_to_text(html: str) -> str:
    """The article text of an HTML page, by trafilatura (main content, no comments)."""
    import trafilatura

    from .suppress import expose_html

    text = trafilatura.extract(
        expose_html(html), include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    return text or ""


def iter_paths(paths: list[str]) -> Iterator[str | InputError]:
    """Expand directories recursively (sorted, for reproducible output); keep '-' as stdin."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for f in sorted(files):
                    if Path(f).suffix.lower() in SUFFIXES or f.lower().endswith((".warc", ".warc.gz")):
                        found = True
                        yield str(Path(root) / f)
            if not found:
                yield InputError(p, "directory holds no .txt, .md, .html, .htm, .jsonl or .warc[.gz] file")
        elif path.exists():
            yield p
        else:
            yield InputError(p, "no such file or directory")


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


def read_one(p: str, max_bytes: int) -> Iterator[Item | InputError]:
    if p == "-":
        data = sys.stdin.buffer.read()
        source, suffix = "<stdin>", ""
    else:
        source, suffix = p, Path(p).suffix.lower()
        if p.lower().endswith((".warc", ".warc.gz")):
            from .warc import read_warc  # each page record is an article; the limit is per record

            yield from read_warc(p, max_bytes)
            return
        if suffix == ".jsonl":
            # streamed record by record: a JSONL batch of any size keeps memory flat, and the
            # size limit applies to each record
            yield from stream_jsonl(p, max_bytes)
            return
        try:
            size = os.path.getsize(p)
            if size > max_bytes:
                yield InputError(
                    p, f"file too large ({_mb(size)} > {_mb(max_bytes)}; raise the limit with --max-size)"
                )
                return
            with open(p, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            yield InputError(p, f"cannot read ({exc.strerror or exc})")
            return
    if len(data) > max_bytes:
        yield InputError(source, f"input too large ({_mb(len(data))} > {_mb(max_bytes)})")
        return
    if not data.strip():
        yield InputError(source, "empty file, nothing to audit")
        return
    try:
        text, enc = decode(data)
    except ValueError as exc:
        yield InputError(source, str(exc))
        return
    if suffix == ".jsonl" or (p == "-" and text.lstrip().startswith("{")):
        yield from read_jsonl(source, text, enc)
        return
    kind = "text"
    if suffix in (".html", ".htm") or (p == "-" and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))):
        kind = "html"
    if kind == "html":
        body = html_to_text(text)
        if not body.strip():
            yield InputError(source, "HTML page with no article text found")
            return
        yield Item(source, body, enc, "html")  # offsets refer to the extracted text
        return
    if not text.strip():
        yield InputError(source, "no text, only white space")
        return
    yield Item(source, text, enc, kind)


def stream_jsonl(path: str, max_bytes: int) -> Iterator[Item | InputError]:
    """Records of a JSONL file read line by line (JSON text is UTF-8, RFC 8259)."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield InputError(path, f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        head = fh.read(8192)
        fh.seek(0)
        if not head.strip():
            yield InputError(path, "empty file, nothing to audit")
            return
        if b"\x00" in head:
            yield InputError(path, "binary file (NUL bytes), not JSONL text")
            return

        def lines() -> Iterator[tuple[int, str | InputError]]:
            for lineno, raw in enumerate(fh, 1):
                where = f"{path}:{lineno}"
                if len(raw) > max_bytes:
                    too = f"record too large ({_mb(len(raw))} > {_mb(max_bytes)}; raise the limit with --max-size)"
                    yield lineno, InputError(where, too)
                    continue
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                try:
                    yield lineno, raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    yield lineno, InputError(where, f"not UTF-8 ({exc.reason} at byte {exc.start}); JSONL must be UTF-8")

        yield from _records(path, lines(), "utf-8")


def read_jsonl(source: str, text: str, enc: str) -> Iterator[Item | InputError]:
    """Records of JSONL text already in memory (standard input)."""
    yield from _records(source, enumerate(text.split("\n"), 1), enc)


def _records(source: str, lines, enc: str) -> Iterator[Item | InputError]:
    """One record a line: {"id", "text"[, "title", "reference"]}. Bad lines are errors, the rest goes on."""
    seen = 0
    for lineno, line in lines:
        if isinstance(line, InputError):
            seen += 1
            yield line
            continue
        if not line.strip():
            continue
        seen += 1
        where = f"{source}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(rec, dict):
            yield InputError(where, "a JSONL record must be an object with \"id\" and \"text\"")
            continue
        body = rec.get("text")
        if not isinstance(body, str):
            yield InputError(where, "record has no \"text\" string")
            continue
        if not body.strip():
            yield InputError(where, "record has an empty \"text\"")
            continue
        ignore = rec.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
            yield InputError(where, "\"ignore\" must be a list of rule codes, e.g. [\"EN101\"]")
            continue
        rid = rec.get("id", lineno)
        title = rec.get("title") if isinstance(rec.get("title"), str) else None
        ref = rec.get("reference") if isinstance(rec.get("reference"), str) else None
        yield Item(
            f"{source}#{rid}",
            normalise_newlines(body),
            enc,
            "jsonl",
            title,
            ref,
            path=source,
            record_id=str(rid),
            input_id=f"{source}:{lineno}",
            ignore=ignore,
        )
    if seen == 0:
        yield InputError(source, "JSONL file with no records")
