"""Bytes to text: the encoding detected (UTF-8, UTF-16/32 with or without a byte-order mark,
cp1252 or Latin-1 for French text, else charset-normalizer's guess), what was repaired said in
notes, binary data refused."""

from __future__ import annotations

import codecs
import re

from mtaudit.core.document import normalise_newlines

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WESTERN = ("utf_8", "cp1252", "latin_1", "iso8859_15", "mac_roman")

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
