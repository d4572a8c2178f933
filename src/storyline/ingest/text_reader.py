"""Plain text and Markdown articles: decode, then read the metadata the text itself carries."""

from __future__ import annotations

import re

from storyline.ingest import encoding
from storyline.ingest.base import ReadOptions, read_file_limited, sha256_hex
from storyline.ingest.metadata import clean_byline, extract_text_metadata, parse_date
from storyline.model import Article

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<body>(?:.*\n){0,60}?)(?:---|\.\.\.)[ \t]*\n")
_FM_LINE_RE = re.compile(r"^(?P<k>[A-Za-z_][\w\-]*)\s*:\s*(?P<v>.*?)\s*$")
#: A header of "Key: value" lines with no "---" around it, ended by a blank line, as exports and
#: hand-made corpora write it ("Title: ...", "Source: ...", "Date: ..."): only the keys below, two
#: or more of them, at the very top.
_HEADER_KEYS = ("title", "headline", "source", "publisher", "site", "date", "published", "published_at", "author",
                "authors", "byline", "url", "lang", "language")
_HEADER_RE = re.compile(r"\A(?P<body>(?:[ \t]*(?:%s)[ \t]*:[ \t]*\S.*\n){2,12})[ \t]*\n" % "|".join(_HEADER_KEYS),
                        re.IGNORECASE)


def read_text_file(path: str, options: ReadOptions | None = None, *, input_kind: str = "text") -> Article:
    """One article from a .txt or .md file (InputError for empty, binary or too large files)."""
    options = options or ReadOptions()
    data = read_file_limited(path, options.max_bytes)
    markdown = path.lower().endswith((".md", ".markdown"))
    return read_text_bytes(data, path=path, input_kind=input_kind, markdown=markdown)


def read_text_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    input_kind: str = "text",
    markdown: bool = False,
    declared_encoding: str | None = None,
) -> Article:
    """One article from the bytes of a text file; ``raw_text`` and ``text`` are the decoded text."""
    decoded = encoding.decode(data, declared_encoding)
    art = text_article(decoded.text, path=path, url=url, input_kind=input_kind, markdown=markdown)
    art.meta["encoding"] = decoded.encoding
    if decoded.method != "utf-8":
        art.meta["encoding_method"] = decoded.method
    art.meta["sha256"] = sha256_hex(data)
    return art


def text_article(
    text: str,
    *,
    path: str | None = None,
    url: str | None = None,
    input_kind: str = "text",
    markdown: bool = False,
) -> Article:
    """An article from decoded text, with title, byline, date and outlet found in it."""
    front: dict[str, str] = {}
    m = _FRONT_MATTER_RE.match(text) if markdown or text.startswith("---\n") else None
    m = m or _HEADER_RE.match(text)
    if m:
        for line in m.group("body").splitlines():
            fm = _FM_LINE_RE.match(line)
            if fm and fm.group("v"):
                front[fm.group("k").lower()] = fm.group("v").strip("\"'")
        if front:
            text = text[m.end() :]
    art = Article(input_kind=input_kind, path=path, url=url, raw_text=text, text=text)
    md = extract_text_metadata(text)
    art.title, art.byline, art.source = md.title, md.byline, md.source
    art.published_at, art.date_precision, art.date_method = md.published_at, md.date_precision, md.date_method
    art.meta.update(md.methods())
    if md.place:
        art.meta["dateline_place"] = md.place
    if md.wire:
        art.meta["wire"] = md.wire
    if md.dateline_date:
        art.meta["dateline_date"] = md.dateline_date
    if front:
        _apply_front_matter(art, front)
    return art


def _apply_front_matter(art: Article, front: dict[str, str]) -> None:
    art.meta["front_matter"] = front
    if front.get("title") or front.get("headline"):
        art.title, art.meta["title_method"] = front.get("title") or front["headline"], "front_matter"
    author = front.get("author") or front.get("byline") or front.get("authors")
    if author:
        art.byline, art.meta["byline_method"] = clean_byline(author.strip("[]")), "front_matter"
    src = front.get("source") or front.get("publisher") or front.get("site")
    if src:
        art.source, art.meta["source_method"] = src, "front_matter"
    pd = parse_date(front.get("date") or front.get("published") or front.get("published_at"))
    if pd:
        art.published_at, art.date_precision, art.date_method = pd.value, pd.precision, "front_matter"
    if front.get("url") and not art.url:
        art.url = front["url"]
    if front.get("lang") or front.get("language"):
        art.language = front.get("lang") or front.get("language")
