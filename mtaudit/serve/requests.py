"""Reading the requests of ``mtaudit serve``: the API key, the body (size limit, UTF-8,
JSON), and the articles of a request, checked field by field. Every problem is an
:class:`~mtaudit.serve.errors.ApiError` (or, for one article of several, an InputError that
becomes that article's error line)."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from starlette.requests import Request

from mtaudit.core.document import normalise_newlines
from mtaudit.io.items import InputError, Item
from mtaudit.serve.errors import ApiError, type_name

AUDIT_FIELDS = frozenset({"text", "title", "reference", "id", "ignore", "articles", "config", "include_text", "show_suppressed"})
# "ignore": rule codes this article silences, as the "ignore" field of a JSONL record
ARTICLE_FIELDS = frozenset({"text", "title", "reference", "id", "ignore"})
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines")


@dataclass
class Settings:
    api_key: str | None = None
    timeout: float = 60.0  # seconds a request may wait for its scores
    max_body: int = 2_000_000  # bytes of a request body
    max_batch: int = 100  # articles of one request
    url: str = ""  # where the server listens, for the log line


def authorize(settings: Settings, request: Request, form_key: str | None = None) -> None:
    """Refuse the request (401) without the server's API key, when it has one."""
    if not settings.api_key:
        return
    auth = request.headers.get("authorization", "")
    given = form_key or request.headers.get("x-api-key") or (auth[7:].strip() if auth.lower().startswith("bearer ") else "")
    if not given or not hmac.compare_digest(given.encode(), settings.api_key.encode()):
        raise ApiError(
            401,
            "unauthorized",
            "missing or wrong API key: send the header Authorization: Bearer KEY (or X-API-Key: KEY; apiKey=KEY for /v2/check)",
            {"WWW-Authenticate": "Bearer"},
        )


async def read_body(settings: Settings, request: Request) -> bytes:
    """The request body, refused (413) beyond the server's --max-request-size."""
    limit = settings.max_body
    too_large = ApiError(
        413,
        "too_large",
        f"request body larger than {limit:,} bytes (the server's --max-request-size)",
    )
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise too_large
    chunks, n = [], 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def decode(body: bytes) -> str:
    """The body as text (UTF-8, a byte-order mark dropped); 400 otherwise."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "bad_encoding", f"request body is not UTF-8 ({exc.reason} at byte {exc.start})") from None


async def read_json(settings: Settings, request: Request):
    """The request body as JSON (400 when empty, not UTF-8 or not JSON)."""
    body = await read_body(settings, request)
    if not body.strip():
        raise ApiError(400, "empty", "empty request body: send a JSON object with \"text\" or \"articles\"")
    try:
        return json.loads(decode(body))
    except json.JSONDecodeError as exc:
        raise ApiError(400, "bad_json", f"request body is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def article(obj, where: str, default_source: str) -> Item | InputError:
    """One article of a request, or the reason it cannot be audited."""
    if not isinstance(obj, dict):
        return InputError(where, f"an article must be an object with \"text\", not {type_name(obj)}")
    unknown = sorted(set(obj) - ARTICLE_FIELDS)
    if unknown:
        return InputError(where, f"unknown field(s) {', '.join(unknown)} (allowed: {', '.join(sorted(ARTICLE_FIELDS))})")
    text = obj.get("text")
    if text is None:
        return InputError(where, "missing \"text\"")
    if not isinstance(text, str):
        return InputError(where, f"\"text\" must be a string, not {type_name(text)}")
    if not text.strip():
        return InputError(where, "empty \"text\", nothing to audit")
    for key in ("title", "reference"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return InputError(where, f"\"{key}\" must be a string, not {type_name(obj[key])}")
    ignore = obj.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        return InputError(where, "\"ignore\" must be a list of rule codes, e.g. [\"EN101\"]")
    rid = obj.get("id")
    if rid is not None and (isinstance(rid, bool) or not isinstance(rid, (str, int))):
        return InputError(where, f"\"id\" must be a string or a number, not {type_name(rid)}")
    return Item(
        default_source if rid is None else str(rid),
        normalise_newlines(text),
        "utf-8",
        "json",
        obj.get("title"),
        obj.get("reference"),
        ignore=ignore,
    )


def articles_of(settings: Settings, body: dict) -> list[Item | InputError]:
    """The articles of an ``{"articles": [...]}`` body (at most the server's --max-batch)."""
    arts = body.get("articles")
    if not isinstance(arts, list):
        raise ApiError(400, "bad_type", f"\"articles\" must be an array of objects, not {type_name(arts)}")
    if not arts:
        raise ApiError(400, "empty", "\"articles\" is empty: nothing to audit")
    if len(arts) > settings.max_batch:
        raise ApiError(413, "too_many", f"{len(arts)} articles in one request; the limit is {settings.max_batch} (--max-batch)")
    return [article(a, f"articles[{i}]", f"articles[{i}]") for i, a in enumerate(arts)]


def flags(body: dict) -> tuple[bool, bool]:
    """The body's ``include_text`` and ``show_suppressed`` (false when absent)."""
    out = []
    for key in ("include_text", "show_suppressed"):
        v = body.get(key, False)
        if not isinstance(v, bool):
            raise ApiError(400, "bad_type", f"\"{key}\" must be true or false, not {type_name(v)}")
        out.append(v)
    return out[0], out[1]
