"""Bytes to text: binary and empty checks, then encoding detection.

Order of trust: a byte-order mark, then strict UTF-8 (most of the web and every modern export),
then charset-normalizer, then cp1252, then latin-1 (which decodes anything). charset-normalizer is
unreliable on short Western text (it names cp1250 for plain French or English with curly quotes, and
cp1250 turns "é" or "è" into other letters), so when cp1252 is among its candidates and no more chaotic
than the best one, cp1252 wins: it is the encoding such files almost always have.

Expected rejections raise :class:`~storyline.errors.InputError` with reason ``binary`` or ``empty``;
readers turn them into dropped articles.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from storyline.errors import InputError

#: How many leading bytes the binary check and the charset sniffers look at.
SNIFF_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Leading bytes of common binary formats that can pass a control-character count (PDF starts as text).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP / Office document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"Rar!", "RAR"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)
# Control bytes that never occur in text (TAB, LF, VT, FF, CR and ESC are allowed).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL) + b"]")
#: Share of control bytes above which a sample is called binary. Text exports sometimes carry a few
#: stray control characters; a real binary file has far more than one in ten.
MAX_CONTROL_SHARE = 0.10
_C1_RE = re.compile("[\x80-\x9f]")
# Encodings charset-normalizer may name that news text really comes in (codec names as it gives them).
_PLAUSIBLE = (
    "utf", "cp125", "windows-125", "iso8859", "latin", "koi8", "gb", "big5", "shift_jis", "cp932",
    "euc", "iso2022", "cp949", "cp874", "tis", "hz", "johab", "mac_cyrillic", "cp1006", "ptcp154",
)
_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQ_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)


@dataclass(slots=True, frozen=True)
class Decoded:
    """Decoded text and the encoding it was read with, with how that encoding was chosen."""

    text: str
    encoding: str
    method: str  # "bom", "utf-8", "mixed" (UTF-8 with stray bytes), "declared", "detected", "fallback"


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_kind(sample: bytes) -> str | None:
    """A short description when ``sample`` (the first bytes of a file) looks binary, else None.

    NUL bytes or more than 10 % control characters mean binary, except for UTF-16/32 text, which
    a byte-order mark announces.
    """
    if not sample or bom_encoding(sample):
        return None
    for magic, name in _MAGIC:
        if sample.startswith(magic):
            return name
    if b"\x00" in sample:
        if _looks_utf16(sample):
            return None
        return "binary data (NUL bytes)"
    controls = len(_CONTROL_RE.findall(sample))
    if controls > MAX_CONTROL_SHARE * len(sample):
        return f"binary data ({controls} control bytes in the first {len(sample)})"
    return None


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 text without a BOM: NULs on every other byte and the other half mostly printable."""
    n = len(sample) - len(sample) % 2
    if n < 4:
        return False
    even, odd = sample[0:n:2], sample[1:n:2]
    for zeros, chars in ((even, odd), (odd, even)):
        if zeros.count(0) > 0.9 * len(zeros) and chars.count(0) < 0.1 * len(chars):
            return True
    return False


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or an XML declaration names in the first bytes, if valid."""
    head = data[:SNIFF_BYTES]
    m = _XML_ENCODING_RE.search(head) or _META_CHARSET_RE.search(head)
    if not m:
        return None
    return _valid_codec(m.group(1).decode("ascii", "ignore"))


def _valid_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def check_bytes(data: bytes) -> None:
    """Raise InputError ``empty`` for empty or blank content and ``binary`` for binary content."""
    if not data or not data.strip():
        raise InputError("the input is empty (no characters, or only white space)", reason="empty")
    kind = binary_kind(data[:SNIFF_BYTES])
    if kind:
        raise InputError(f"the input is not text: it looks like {kind}", reason="binary")


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` to text with newlines unified to ``\\n``; raise InputError for empty/binary.

    ``declared`` is a charset named by the container (HTTP Content-Type, HTML meta, XML declaration);
    it is tried right after a byte-order mark, but only where it decodes without error.
    """
    check_bytes(data)
    decoded = _decode(data, declared)
    text = decoded.text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("the input is empty once decoded (only white space)", reason="empty")
    return Decoded(text, decoded.encoding, decoded.method)


def _decode(data: bytes, declared: str | None) -> Decoded:
    bom = bom_encoding(data)
    if bom:
        name = "utf-8-sig" if bom == "utf-8" else bom
        return Decoded(data.decode(name, errors="replace").lstrip("\ufeff"), bom, "bom")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return mixed
    if _looks_utf16(data[:SNIFF_BYTES]):
        le = data[1:SNIFF_BYTES:2].count(0) > data[0:SNIFF_BYTES:2].count(0)
        enc = "utf-16-le" if le else "utf-16-be"
        return Decoded(data.decode(enc, errors="replace"), enc, "detected")
    declared = _valid_codec(declared)
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except (UnicodeDecodeError, LookupError):
            pass
    detected = _detect(data)
    if detected is not None:
        return detected
    try:
        return Decoded(data.decode("cp1252"), "cp1252", "fallback")
    except UnicodeDecodeError:
        pass
    if not _C1_RE.search(data.decode("latin-1")):  # pragma: no cover - cp1252 decodes these
        return Decoded(data.decode("latin-1"), "latin-1", "fallback")
    # cp1252 with a byte it leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d): that byte as latin-1
    return Decoded(data.decode("cp1252", errors="storyline-cp1252"), "cp1252", "fallback")


def _cp1252_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: undecodable bytes read as cp1252 (latin-1 where cp1252 has a hole)."""
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return "".join(_byte_cp1252(b) for b in bad), exc.end


def _byte_cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


codecs.register_error("storyline-cp1252", _cp1252_bytes)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few stray bytes (a file pasted together from two sources): keep the UTF-8.

    When valid multi-byte UTF-8 sequences hold at least half of the non-ASCII bytes, the text is
    decoded as UTF-8 and only the stray bytes are read as cp1252, instead of turning every "é" into
    "Ã©" by decoding the whole file as a legacy charset.
    """
    non_ascii = len(_NON_ASCII_RE.findall(data))
    if not non_ascii:
        return None
    valid = sum(len(m) for m in _UTF8_SEQ_RE.findall(data))
    # legacy single-byte text almost never forms valid sequences (a capital "Ã" before a symbol)
    if valid == 0 or valid < 0.5 * non_ascii:
        return None
    return Decoded(data.decode("utf-8", errors="storyline-cp1252"), "utf-8", "mixed")


def _detect(data: bytes) -> Decoded | None:
    """charset-normalizer's choice, preferring cp1252 when it is an equally good candidate."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a hard dependency, but never fatal here
        return None
    try:
        matches = list(from_bytes(data))
    except Exception:  # noqa: BLE001 - detection is best effort; fall back below
        return None
    if not matches:
        return None
    best = matches[0]
    try:
        as_cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        as_cp1252 = None
    if as_cp1252 is not None:
        for m in matches:
            if m.encoding == "cp1252" and m.chaos <= best.chaos + 0.01:
                return Decoded(as_cp1252, "cp1252", "detected")
        if str(best) == as_cp1252:
            return Decoded(as_cp1252, "cp1252", "detected")
    text = str(best)
    if _C1_RE.search(text) and as_cp1252 is not None:
        # C1 controls in the result mean the detector chose an ISO charset for Windows text.
        return Decoded(as_cp1252, "cp1252", "detected")
    if not best.encoding.startswith(_PLAUSIBLE):
        # DOS and Mac code pages are the detector's guesses for short Western text, and wrong:
        # the cp1252/latin-1 fallback reads such text better.
        return None
    return Decoded(text, best.encoding, "detected")
