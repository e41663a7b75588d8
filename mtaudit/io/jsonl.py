"""JSONL inputs: one record a line, ``{"id", "text"[, "title", "reference", "ignore"]}``; a
file is streamed record by record, a bad line is an error and the rest goes on."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

from mtaudit.core.document import normalise_newlines
from mtaudit.io.decoding import clean_text
from mtaudit.io.items import InputError, Item, display_name, mb


def looks_jsonl(text: str) -> bool:
    """Standard input is JSONL when its first line is a JSON object with a "text"."""
    first = next((ln for ln in text.split("\n", 50) if ln.strip()), "")
    try:
        rec = json.loads(first)
    except ValueError:
        return False
    return isinstance(rec, dict) and "text" in rec


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
                    too = f"record too large (> {mb(max_bytes)}; raise the limit with --max-size)"
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
