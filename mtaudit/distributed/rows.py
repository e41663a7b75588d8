"""Input rows: what travels between the read tasks and the audit actors, and the input id
that names each input in a run (and decides whether a sample keeps it).

An input row is three columns that are never null, so blocks always share one schema:
"input" (the id), "payload" (JSON: the Item, InputError or WARC record's fields), "body"
(bytes: a WARC record's HTTP payload, else empty).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from mtaudit.io.items import InputError, Item
from mtaudit.io.warc import RawRecord, record_to_item


def input_id(obj: Item | InputError) -> str:
    """Where an input is, unique in a run: the file, ``file:line`` or ``file@offset``."""
    if isinstance(obj, Item):
        return obj.input_id or obj.source
    return obj.source


def sample_keep(key: str, fraction: float, seed: int = 0) -> bool:
    """Bernoulli sample decided by a hash of the input id: the same inputs, fraction and seed
    keep the same inputs, whatever the order, partitioning or number of workers."""
    if fraction >= 1:
        return True
    h = hashlib.sha256(f"{seed}\x00{key}".encode()).digest()
    return int.from_bytes(h[:8], "big") < fraction * 2**64


def input_row(obj: Item | InputError | RawRecord) -> dict[str, Any]:
    if isinstance(obj, RawRecord):
        meta = {k: getattr(obj, k) for k in ("path", "offset", "url", "date", "content_type", "charset", "status", "too_large")}
        return {"input": obj.input_id, "payload": json.dumps({"warc": meta}, ensure_ascii=False), "body": obj.body}
    if isinstance(obj, InputError):
        return {"input": obj.source, "payload": json.dumps({"error": obj.to_dict()}, ensure_ascii=False), "body": b""}
    fields_ = {
        k: getattr(obj, k)
        for k in ("source", "text", "encoding", "kind", "title", "reference", "notes", "path", "record_id", "input_id", "meta", "ignore")
    }
    return {"input": input_id(obj), "payload": json.dumps({"item": fields_}, ensure_ascii=False), "body": b""}


def from_row(payload: str, body: bytes) -> Item | InputError:
    d = json.loads(payload)
    if "item" in d:
        return Item(**d["item"])
    if "error" in d:
        return InputError(**d["error"])
    return record_to_item(RawRecord(body=bytes(body), **d["warc"]))


def user_rows(batch: dict[str, Any]) -> dict[str, list]:
    """Rows a user brings (``id``/``url``, ``text`` or ``html``, optional ``title``,
    ``reference``, ``date``) as input rows; a row without text is an error row."""
    from mtaudit.core.document import normalise_newlines
    from mtaudit.io.html import html_to_text

    n = len(next(iter(batch.values())))
    col = {k: list(v) for k, v in batch.items()}

    def get(k, i):
        v = col.get(k, [None] * n)[i]
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    out = {"input": [], "payload": [], "body": []}
    for i in range(n):
        rid, url = get("id", i), get("url", i)
        key = str(rid) if rid is not None else str(url or "")
        source = url or key
        text, kind = get("text", i), "text"
        if text is None and get("html", i) is not None:
            text, kind = html_to_text(str(get("html", i))), "html"
        if not isinstance(text, str) or not text.strip():
            obj = InputError(key, "record has no text to audit")
        else:
            meta = {k: str(get(k, i)) for k in ("url", "date") if get(k, i) is not None}
            obj = Item(source, normalise_newlines(text), "utf-8", kind, get("title", i), get("reference", i), input_id=key, meta=meta)
        row = input_row(obj)
        for k in out:
            out[k].append(row[k])
    return out
