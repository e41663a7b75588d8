"""Reading inputs: files, directories, JSONL records, HTML pages and standard input.

Every input becomes an :class:`Item` (a text to audit) or an :class:`InputError` (one line a
user can act on, naming the file). Reading is lazy, so a batch of any size streams.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from mtaudit.core.document import normalise_newlines

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
    warning: bool = False  # said on stderr; not an error of the run (exit code unchanged)

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"

    def to_dict(self) -> dict:
        return {"source": self.source, "message": self.message}


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def display_name(p: str) -> str:
    """A path as it is shown in reports and error lines: undecodable bytes of the file name
    as \\xNN, control characters (newline, escape) escaped, so a name never splits a line or
    reaches the terminal raw."""
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in p):
        p = os.fsencode(p).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), p)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, list[str]]:
    """Text an article can be audited in: lone surrogates (from JSON escapes or a careless
    caller) become U+FFFD, one character for one, so offsets are unchanged; said in a note."""
    if not _SURROGATE.search(text):
        return text, []
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if len(fixed) != len(text):  # a valid pair was combined: replace one by one instead
        fixed = _SURROGATE.sub("\ufffd", text)
    n = len(_SURROGATE.findall(text))
    return fixed, [f"{n} lone surrogate code point(s) replaced by U+FFFD"]


# characters a French text in a Western 8-bit encoding is made of, beyond ASCII
_FRENCH_8BIT = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»’‘“”–—…€°\u00a0·•©®ºª²³½¼¾×")


def _western(data: bytes) -> tuple[str, str] | None:
    """cp1252 or Latin-1 when the bytes read as French text in it (charset-normalizer's guess
    on a short file is often a Central-European or Mac code page that garbles the accents)."""
    for enc in ("cp1252", "latin_1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        high = [c for c in text if ord(c) > 127]
        if not high:
            return text, enc
        if any(0x80 <= ord(c) <= 0x9F for c in high):
            continue
        if sum(c in _FRENCH_8BIT for c in high) >= 0.9 * len(high):
            return text, enc
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without byte-order mark: NUL bytes on one side of each pair of bytes."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.3 * half and other <= 0.02 * half:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name of raw bytes; ValueError for binary data (see decode_noted)."""
    text, enc, _ = decode_noted(data)
    return text, enc


def decode_noted(data: bytes) -> tuple[str, str, list[str]]:
    """Text, encoding name and notes (what was repaired) of raw bytes; ValueError for binary data.

    UTF-8 (with or without BOM) first, then UTF-16 with or without BOM; UTF-8 with a few stray
    bytes is decoded with U+FFFD for them and said so; otherwise cp1252 or Latin-1 when the
    bytes read as French, else charset-normalizer's best guess. The text is what Python's text
    mode would give: BOM removed, line ends normalised to "\\n".
    """
    notes: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise ValueError(f"not valid {codec} despite its byte-order mark") from None
            text, more = clean_text(text)
            return _checked(normalise_newlines(text)), codec, notes + more
    if b"\x00" in data:
        u16 = _utf16_without_bom(data)
        if u16 is not None:
            codec = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
            text, more = clean_text(u16)
            return _checked(normalise_newlines(text)), codec, [f"{codec} without byte-order mark"] + more
        at = data.index(b"\x00")
        raise ValueError(f"binary file (NUL byte at byte offset {at}), not text")
    body, enc = data, "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        body, enc = data[3:], "utf-8-sig"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as first_error:
        text = None
        if b"\xed" in body:
            try:
                # CESU-8: a character outside the BMP written as two encoded surrogates
                loose = body.decode("utf-8", "surrogatepass")
                text = loose.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
                notes.append("CESU-8 surrogate sequences read as the characters they encode")
            except UnicodeDecodeError:
                text = None
        if text is None:
            replaced = body.decode("utf-8", "replace")
            bad = replaced.count("\ufffd") - body.decode("utf-8", "ignore").count("\ufffd")
            good = sum(1 for c in replaced if ord(c) > 127 and c != "\ufffd")
            if good and bad * 4 <= good:
                # UTF-8 with a few stray bytes (a Latin-1 character pasted in): keep the text
                text = replaced
                notes.append(
                    f"{bad} byte(s) not valid UTF-8 replaced by U+FFFD (first at byte offset "
                    f"{first_error.start + len(data) - len(body)})"
                )
            else:
                west = _western(body)
                if west is not None:
                    text, enc = west
                else:
                    from charset_normalizer import from_bytes

                    best = from_bytes(data).best()
                    if best is None:
                        raise ValueError("binary or undecodable file (no text encoding fits)") from None
                    enc = best.encoding
                    # Encodings that decode these bytes identically are grouped; for French
                    # text name the Western one an editor would recognise.
                    for pref in WESTERN:
                        if pref in best.could_be_from_charset:
                            enc = pref
                            break
                    text = data.decode(enc)
    text, more = clean_text(text)
    return _checked(normalise_newlines(text)), enc, notes + more


def _checked(text: str) -> str:
    """ValueError when the decoded text is binary data (NULs, control characters in quantity)."""
    if "\x00" in text:
        at = text.index("\x00")
        raise ValueError(f"binary file (NUL character at offset {at}), not text")
    # control characters other than tab/newline in quantity mean binary
    ctrl = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    if ctrl > max(8, len(text[:8192]) // 100):
        raise ValueError("binary file (control characters), not text")
    return text


def html_to_text(html: str) -> str:
    """The article text of an HTML page, by trafilatura (main content, no comments)."""
    import trafilatura

    from mtaudit.core.suppress import expose_html

    try:
        text = trafilatura.extract(
            expose_html(html), include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
        )
    except (RecursionError, ValueError):
        text = None
    return text or ""


class _PageText(HTMLParser):
    """All the text of a page outside scripts, styles and templates (no tree: any depth)."""

    SKIP = frozenset(("script", "style", "template", "noscript", "head", "svg"))
    BLOCK = frozenset(("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section", "blockquote"))

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The text of a page trafilatura finds no article in (deep nesting, no markup it knows):
    its text blocks, one a line."""
    parser = _PageText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


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


def _looks_jsonl(text: str) -> bool:
    """Standard input is JSONL when its first line is a JSON object with a "text"."""
    first = next((ln for ln in text.split("\n", 50) if ln.strip()), "")
    try:
        rec = json.loads(first)
    except ValueError:
        return False
    return isinstance(rec, dict) and "text" in rec


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
            yield InputError(source, f"input too large (> {_mb(max_bytes)}; raise the limit with --max-size)")
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
                    source, f"file too large ({_mb(st.st_size)} > {_mb(max_bytes)}; raise the limit with --max-size)"
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
            yield InputError(source, f"input too large (> {_mb(max_bytes)}; raise the limit with --max-size)")
            return
    if not data.strip():
        yield InputError(source, "empty file, nothing to audit")
        return
    try:
        text, enc, notes = decode_noted(data)
    except ValueError as exc:
        yield InputError(source, str(exc))
        return
    if suffix == ".jsonl" or (p == "-" and text.lstrip().startswith("{") and _looks_jsonl(text)):
        yield from read_jsonl(source, text, enc)
        return
    kind = "text"
    if suffix in (".html", ".htm") or (p == "-" and text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))):
        kind = "html"
    path = None if p == "-" else p
    if kind == "html":
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


def stream_jsonl(path: str, max_bytes: int) -> Iterator[Item | InputError]:
    """Records of a JSONL file read line by line (JSON text is UTF-8, RFC 8259)."""
    real_path, path = path, display_name(path)
    try:
        fh = open(real_path, "rb")
    except OSError as exc:
        yield InputError(path, f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        head = fh.read(8192)
        fh.seek(0)
        if not head.strip():
            yield InputError(path, "empty file, nothing to audit")
            return
        if head.count(b"\x00") > max(8, len(head) // 100):  # one bad record is not a binary file
            yield InputError(path, "binary file (NUL bytes), not JSONL text")
            return

        def lines() -> Iterator[tuple[int, str | InputError]]:
            lineno = 0
            while True:
                raw = fh.readline(max_bytes + 1)
                if not raw:
                    return
                lineno += 1
                where = f"{path}:{lineno}"
                if len(raw) > max_bytes and not raw.endswith(b"\n"):
                    while raw and not raw.endswith(b"\n"):  # skip the rest of the record, bounded
                        raw = fh.readline(1 << 20)
                    too = f"record too large (> {_mb(max_bytes)}; raise the limit with --max-size)"
                    yield lineno, InputError(where, too)
                    continue
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                try:
                    yield lineno, raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    yield lineno, InputError(where, f"not UTF-8 ({exc.reason} at byte {exc.start}); JSONL must be UTF-8")

        yield from _records(path, lines(), "utf-8", real_path)


def read_jsonl(source: str, text: str, enc: str) -> Iterator[Item | InputError]:
    """Records of JSONL text already in memory (standard input)."""
    yield from _records(source, enumerate(text.split("\n"), 1), enc)


def _record_id(rid, lineno: int) -> tuple[str, str | None]:
    """The id of a record as text, and a note when it is not a string or an integer."""
    if rid is None:
        return str(lineno), None
    if isinstance(rid, str):
        return display_name(rid), None
    if isinstance(rid, int) and not isinstance(rid, bool):
        return str(rid), None
    as_json = json.dumps(rid, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return display_name(as_json), f'"id" {as_json} is not a string or an integer'


def _records(source: str, lines, enc: str, path: str | None = None) -> Iterator[Item | InputError]:
    """One record a line: {"id", "text"[, "title", "reference"]}. Bad lines are errors, the rest goes on."""
    seen = 0
    ids: dict[str, int] = {}
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
        rid, id_note = _record_id(rec.get("id"), lineno)
        notes = [id_note] if id_note else []
        name = f"{source}#{rid}"
        if rid in ids:
            # two records with one id: each scorecard must still be told apart
            notes.append(f"duplicate id {rid!r} (first on line {ids[rid]}): reported as line {lineno}")
            name = f"{source}:{lineno}#{rid}"
        else:
            ids[rid] = lineno
        title = rec.get("title") if isinstance(rec.get("title"), str) else None
        ref = rec.get("reference") if isinstance(rec.get("reference"), str) else None
        text, more = clean_text(normalise_newlines(body))
        yield Item(
            name,
            text,
            enc,
            "jsonl",
            clean_text(title)[0] if title else None,
            clean_text(ref)[0] if ref else None,
            notes=notes + more,
            path=path or source,
            record_id=rid,
            input_id=f"{source}:{lineno}",
            ignore=ignore,
        )
    if seen == 0:
        yield InputError(source, "JSONL file with no records")
