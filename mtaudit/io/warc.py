"""WARC files (the format of web crawls such as Common Crawl), read with warcio.

Each HTTP ``response`` (or ``resource``) record holding an HTML page becomes an article: the
body is decoded (the charset the server declared when the bytes fit it, otherwise as ``scan``
decodes a file) and the article is extracted by the same trafilatura call as an ``.html`` file.
The scorecard's source is the record's URL; the record's place in the file (``FILE@OFFSET``,
the byte offset Common Crawl's indexes also use) is its input id, and the capture date
(``WARC-Date``) travels with it.

Protocol records (``warcinfo``, ``request``, ``metadata``, ``revisit``) are not pages and are
passed over. A response that is not an audit-able page (not HTML, an HTTP error or redirect,
too large, no article text) is an :class:`~mtaudit.io.items.InputError` naming ``FILE@OFFSET``
and the URL, and the batch goes on.

Reading is split in two so a distributed run can do the cheap part (decompressing the file)
in its readers and the costly part (extracting the article) in its workers:
:func:`iter_raw_records` gives :class:`RawRecord`, :func:`record_to_item` turns one into an
``Item`` or an ``InputError``. :func:`read_warc` chains both, for ``mtaudit scan``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass

from mtaudit.io.decoding import decode
from mtaudit.io.html import html_to_text
from mtaudit.io.items import InputError, Item, mb

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE_RECORDS = ("response", "resource", "conversion")
# WHATWG: a page labelled latin-1 or ASCII is decoded as windows-1252
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


@dataclass
class RawRecord:
    """One page record as it is in the file: what a reader ships to a worker."""

    path: str  # the WARC file, as named by the user
    offset: int  # byte offset of the record in the file
    url: str
    date: str
    content_type: str  # media type of the HTTP payload, lower case, no parameters
    charset: str | None  # declared by the server, if any
    status: int | None  # HTTP status (None for resource records)
    body: bytes  # the HTTP payload, transfer and content encodings removed
    too_large: int = 0  # the size limit, when the payload exceeded it (body then empty)

    @property
    def input_id(self) -> str:
        return f"{self.path}@{self.offset}"


def _media_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip().strip("\"'").lower() or None
    return parts[0].lower(), charset


def iter_raw_records(path: str, max_bytes: int) -> Iterator[RawRecord | InputError]:
    """The page records of a WARC file (plain or gzip, per record or whole), in file order."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield InputError(path, 'reading WARC files needs warcio: pip install "mtaudit[warc]"')
        return
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield InputError(path, f"cannot read ({exc.strerror or exc})")
        return
    seen = 0
    with fh:
        it = ArchiveIterator(fh, no_record_parse=False, arc2warc=True)
        try:
            for record in it:
                if record.rec_type not in PAGE_RECORDS:
                    continue
                seen += 1
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                date = record.rec_headers.get_header("WARC-Date") or ""
                status = None
                if record.http_headers is not None and record.rec_type == "response":
                    try:
                        status = int(record.http_headers.get_statuscode() or 0) or None
                    except ValueError:
                        status = None
                    ctype, charset = _media_type(record.http_headers.get_header("Content-Type"))
                else:
                    ctype, charset = _media_type(record.rec_headers.get_header("Content-Type"))
                raw = RawRecord(path, 0, url, date, ctype, charset, status, b"")
                if ctype in HTML_TYPES and (status is None or 200 <= status < 300):
                    stream = record.content_stream()
                    body = stream.read(max_bytes + 1)
                    if len(body) > max_bytes:
                        raw.too_large = max_bytes
                        while stream.read(1 << 20):  # the rest is skipped, not kept
                            pass
                    else:
                        raw.body = body
                # asked after the payload is read: warcio reads to the record's end to answer
                raw.offset = it.get_record_offset()
                yield raw
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            where = f"{path}@{it.get_record_offset() if seen else 0}"
            yield InputError(where, f"not a readable WARC file past this point ({exc})")
            return
    if seen == 0:
        yield InputError(path, "WARC file with no response or resource record")


def decode_body(raw: RawRecord) -> tuple[str, str]:
    """Text and encoding of a page body: the declared charset when the bytes fit it, otherwise
    what ``scan`` does for a file (UTF-8, then charset-normalizer)."""
    if raw.charset:
        name = _CHARSET_ALIASES.get(raw.charset, raw.charset)
        try:
            codec = codecs.lookup(name).name
            text = raw.body.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if text.startswith("\ufeff"):
                text = text[1:]
            from mtaudit.core.document import normalise_newlines

            return normalise_newlines(text), codec
    return decode(raw.body)


def record_to_item(raw: RawRecord) -> Item | InputError:
    """The article of one page record, extracted as ``scan`` extracts an ``.html`` file."""
    where = raw.input_id
    url = raw.url or "(no WARC-Target-URI)"
    if raw.status is not None and not 200 <= raw.status < 300:
        return InputError(where, f"{url}: HTTP status {raw.status}, not a page to audit")
    if raw.content_type not in HTML_TYPES:
        return InputError(where, f"{url}: not an HTML page ({raw.content_type or 'no content type'}), not audited")
    if raw.too_large:
        return InputError(where, f"{url}: page too large (over {mb(raw.too_large)}; raise the limit with --max-size)")
    if not raw.body.strip():
        return InputError(where, f"{url}: empty page, nothing to audit")
    try:
        text, enc = decode_body(raw)
    except ValueError as exc:
        return InputError(where, f"{url}: {exc}")
    body = html_to_text(text)
    if not body.strip():
        return InputError(where, f"{url}: HTML page with no article text found")
    item = Item(raw.url or where, body, enc, "html", path=raw.path)
    item.input_id = where
    item.meta = {"url": raw.url, "date": raw.date}
    return item


def read_warc(path: str, max_bytes: int) -> Iterator[Item | InputError]:
    """Articles of a WARC file, as ``mtaudit scan`` reads them."""
    for raw in iter_raw_records(path, max_bytes):
        yield raw if isinstance(raw, InputError) else record_to_item(raw)
