"""Which reader an input needs: by file extension, by HTTP content type, or by its first bytes."""

from __future__ import annotations

import json
import re
import zlib

from storyline.ingest.encoding import binary_kind, bom_encoding

#: Extensions read by each reader ("feed?" = XML, read as a feed only when it is one).
EXTENSION_KINDS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl", ".ndjson.gz": "jsonl",
    ".xml": "feed?", ".rss": "feed", ".atom": "feed",
    ".warc": "warc", ".warc.gz": "warc", ".arc": "warc", ".arc.gz": "warc",
}
#: Extensions of formats Storyline does not read; dropped ``unsupported`` without being opened.
UNSUPPORTED_EXTENSIONS = frozenset(
    ".pdf .doc .docx .odt .rtf .epub .xls .xlsx .ods .ppt .pptx .csv .tsv .parquet .png .jpg .jpeg "
    ".gif .webp .bmp .tif .tiff .ico .svg .mp3 .mp4 .m4a .wav .ogg .mov .avi .mkv .webm .zip .tar .tgz "
    ".gz .bz2 .xz .7z .rar .exe .dll .so .dylib .bin .o .a .pyc .class .jar .sqlite .sqlite3 .db "
    ".woff .woff2 .ttf .otf .iso .dmg".split()
)
_CONTENT_TYPES: tuple[tuple[str, str], ...] = (
    ("text/html", "html"), ("application/xhtml+xml", "html"),
    ("application/rss+xml", "feed"), ("application/atom+xml", "feed"), ("application/rdf+xml", "feed"),
    ("application/x-ndjson", "jsonl"), ("application/jsonl", "jsonl"), ("application/x-jsonlines", "jsonl"),
    ("application/json", "json"), ("text/json", "json"),
    ("application/warc", "warc"),
    ("text/plain", "text"), ("text/markdown", "text"),
)
_FIRST_TAG_RE = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*)*(?:<!DOCTYPE\s+(?P<doctype>\w+)[^>]*>\s*)?"
    rb"(?:<!--.*?-->\s*)*<(?P<tag>[A-Za-z][\w:.\-]*)",
    re.S | re.I,
)
_HTML_HINT_RE = re.compile(rb"<(?:html|head|body|article|p|div|h1|title|meta)[\s>/]", re.I)


def extension_of(name: str) -> str:
    """The extension that picks a reader: ".warc.gz" and ".jsonl.gz" count as one, lower-case."""
    lower = name.lower()
    for double in (".warc.gz", ".arc.gz", ".jsonl.gz", ".ndjson.gz"):
        if lower.endswith(double):
            return double
    dot = lower.rfind(".")
    slash = max(lower.rfind("/"), lower.rfind("\\"))
    return lower[dot:] if dot > slash + 1 else ""


def kind_for_content_type(content_type: str) -> str | None:
    ctype = content_type.split(";")[0].strip().lower()
    for prefix, kind in _CONTENT_TYPES:
        if ctype == prefix:
            return kind
    if ctype.endswith("+xml") or ctype in ("application/xml", "text/xml"):
        return "feed?"
    return None


def sniff(head: bytes) -> str | None:
    """The kind of a document from its first bytes; None if binary.

    One of ``html``, ``feed``, ``json``, ``jsonl``, ``warc``, ``xml`` (XML that is neither HTML nor a
    feed) or ``text``.
    """
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return None
        return "warc" if inner.startswith((b"WARC/", b"filedesc://")) else None
    if head.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    bom = bom_encoding(head)
    if bom and bom != "utf-8":
        try:
            head = head.decode(bom, errors="ignore").encode("utf-8")
        except LookupError:  # pragma: no cover
            return "text"
    elif bom == "utf-8":
        head = head[3:]
    if binary_kind(head):
        return None
    stripped = head.lstrip()
    if stripped.startswith((b"{", b"[")):
        return _json_kind(stripped)
    if stripped.startswith(b"<"):
        m = _FIRST_TAG_RE.match(stripped)
        if m:
            tag = m.group("tag").lower()
            doctype = (m.group("doctype") or b"").lower()
            if tag in (b"rss", b"feed", b"rdf:rdf", b"rdf"):
                return "feed"
            if doctype == b"html" or tag in (b"html", b"head", b"body"):
                return "html"
        if _HTML_HINT_RE.search(stripped[:4096]):
            return "html"
        if m or stripped.startswith(b"<?xml"):
            return "xml"  # some other XML: a sitemap, an OPML list, ...
    return "text"


def _json_kind(head: bytes) -> str:
    first, _, rest = head.partition(b"\n")
    if head.startswith(b"{") and rest.strip().startswith(b"{"):
        try:
            json.loads(first)
            return "jsonl"
        except ValueError:
            pass
    return "json"
