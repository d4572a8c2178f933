"""JSON and JSON Lines exports of articles, from scrapers, APIs or Storyline itself.

A JSON file holds a list of objects, or an object with the list under ``articles``, ``items``,
``data`` (and a few other usual names), or a single article object. A JSONL file holds one object a
line and is streamed, so it may be larger than ``max_bytes`` (each line may not). A malformed line
becomes one dropped article (``malformed``, with its line number); the lines around it are read.

Fields are found through ``ReadOptions.field_map`` first, then through the usual aliases (``body`` or
``content`` for the text, ``headline`` for the title, ``pubDate`` for the date, ...). An object with
HTML and no text goes through :func:`~storyline.ingest.html_reader.read_html`. An object written by
Storyline's own export (it has ``id``, ``input_kind``, ``status`` and ``text``) is restored as it was,
id included, so an export reads back into the same records.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from storyline.errors import FetchError, InputError
from storyline.ingest import encoding
from storyline.ingest.base import ReadOptions, dropped, read_file_limited, sha256_hex, too_large_error
from storyline.ingest.html_reader import fill_from_text, read_html
from storyline.ingest.metadata import clean_byline, extract_text_metadata, parse_timestamp
from storyline.model import Article, Removal

logger = logging.getLogger(__name__)

#: Where the list of articles sits in a JSON object, in order of preference.
LIST_KEYS = ("articles", "items", "data", "results", "entries", "documents", "docs", "records", "posts", "stories")

#: Our field names and the names other exports use for them (matched case-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "articletext", "maintext", "main_text",
             "full_text", "fulltext", "raw_text", "story", "plain_text"),
    "html": ("html", "raw_html", "content_html", "body_html", "page_html", "html_content"),
    "title": ("title", "headline", "heading", "subject"),
    "published_at": ("published_at", "published", "date", "pubdate", "pub_date", "date_published",
                     "datepublished", "publish_date", "publishdate", "publishedat", "published_date",
                     "created_at", "created", "timestamp", "datetime", "time"),
    "url": ("url", "link", "canonical_url", "href", "uri", "source_url", "weburl", "article_url"),
    "byline": ("byline", "author", "authors", "creator", "writer", "by"),
    "source": ("source", "publisher", "site", "outlet", "sitename", "site_name", "source_name",
               "publication", "media", "domain", "newspaper"),
    "language": ("language", "lang"),
}
_EXPORT_KEYS = frozenset({"id", "input_kind", "status", "text"})


def read_json_file(path: str, options: ReadOptions | None = None) -> Iterator[Article]:
    """The articles of a .json file (a JSON Lines body in a .json file is read as JSONL)."""
    options = options or ReadOptions()
    try:
        data = read_file_limited(path, options.max_bytes)
    except InputError as exc:
        if exc.reason == "too_large":
            raise InputError(f"{exc}; or write it as JSON Lines, which is streamed", reason="too_large") from exc
        raise
    yield from read_json_bytes(data, path=path, options=options)


def read_json_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    options: ReadOptions | None = None,
    input_kind: str = "json",
) -> Iterator[Article]:
    """The articles of a JSON document held in memory (JSON Lines accepted too)."""
    options = options or ReadOptions()
    decoded = encoding.decode(data)
    try:
        doc = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several documents: JSON Lines
            lines = (line.encode("utf-8") for line in decoded.text.split("\n"))
            yield from read_jsonl_lines(lines, path=path, url=url, options=options, input_kind="jsonl")
            return
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", reason="malformed") from exc
    entries = _entries(doc)
    if entries is None:
        keys = ", ".join(sorted(doc)[:8]) if isinstance(doc, dict) else type(doc).__name__
        raise InputError(
            f"no list of articles found (looked for a list, or one under {', '.join(LIST_KEYS[:3])}, ...; found {keys})",
            reason="malformed",
        )
    if not entries:
        raise InputError("the JSON holds an empty list of articles", reason="empty")
    for i, obj in enumerate(entries):
        yield _record(obj, options, path=path, url=url, input_kind=input_kind, where=f"item {i}", index=i)


def read_jsonl_file(path: str, options: ReadOptions | None = None) -> Iterator[Article]:
    """The articles of a .jsonl / .ndjson file (optionally gzipped), streamed line by line."""
    options = options or ReadOptions()
    opener = gzip.open if path.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        yield from read_jsonl_lines(_bounded_lines(fh, options.max_bytes), path=path, options=options)


def _bounded_lines(fh: BinaryIO, max_bytes: int) -> Iterator[bytes | InputError]:
    """Lines of a binary stream; a line over max_bytes is skipped unread and reported as an error."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of the long line
                more = fh.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield too_large_error(size, max_bytes, "the line")
            continue
        yield line


def read_jsonl_lines(
    lines: Iterable[bytes | InputError],
    *,
    path: str | None = None,
    url: str | None = None,
    options: ReadOptions | None = None,
    input_kind: str = "jsonl",
) -> Iterator[Article]:
    """Articles from JSON Lines; each bad line is one dropped article and the rest are read."""
    options = options or ReadOptions()
    seen = 0
    for lineno, line in enumerate(lines, start=1):
        if isinstance(line, InputError):
            seen += 1
            yield dropped(line.reason, f"line {lineno}: {line}", input_kind=input_kind, path=path, url=url, line=lineno)
            continue
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        seen += 1
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = encoding.decode(line).text
            except InputError as exc:
                yield dropped("malformed", f"line {lineno}: {exc}", input_kind=input_kind, path=path, url=url,
                              raw=line, line=lineno)
                continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield dropped("malformed", f"line {lineno}: not valid JSON ({exc.msg.removesuffix(' at')}, column {exc.colno})",
                          input_kind=input_kind, path=path, url=url, raw=line, line=lineno)
            continue
        yield _record(obj, options, path=path, url=url, input_kind=input_kind, where=f"line {lineno}",
                      line=lineno, raw=line)
    if seen == 0:
        raise InputError("the JSON Lines input has no lines", reason="empty")


def _entries(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in LIST_KEYS:
            if isinstance(doc.get(key), list):
                return doc[key]
        lower = {k.lower(): k for k in doc if isinstance(k, str)}
        if any(a in lower for a in ALIASES["text"] + ALIASES["html"]):
            return [doc]  # a single article
    return None


def _get(obj: dict[str, Any], lower: dict[str, str], name: str, field_map: dict[str, str]) -> Any:
    """The value of our field ``name`` in ``obj``: mapped name first (dotted paths allowed), then aliases."""
    mapped = field_map.get(name)
    if mapped:
        val = _dig(obj, mapped)
        if val is None and mapped.lower() in lower:
            val = obj.get(lower[mapped.lower()])
        if val not in (None, "", []):
            return val
    for alias in ALIASES.get(name, ()):
        key = lower.get(alias)
        if key is not None:
            val = obj[key]
            if val not in (None, "", []):
                return val
    return None


def _dig(obj: Any, dotted: str) -> Any:
    cur = obj
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def _as_text(val: Any) -> str | None:
    if val is None:
        return None
    if isinstance(val, str):
        return val
    if isinstance(val, list):
        parts = [_as_text(v) for v in val]
        return "\n\n".join(p for p in parts if p) or None
    if isinstance(val, dict):
        for k in ("text", "value", "content", "body", "#text"):
            if isinstance(val.get(k), str):
                return val[k]
        return None
    if isinstance(val, (int, float)):
        return str(val)
    return None


def _as_name(val: Any) -> str | None:
    """A display name from a string, a list of names, or objects with a name."""
    if val is None:
        return None
    if isinstance(val, str):
        return val.strip() or None
    if isinstance(val, dict):
        for k in ("name", "title", "display_name", "domain", "id"):
            if isinstance(val.get(k), str) and val[k].strip():
                return val[k].strip()
        return None
    if isinstance(val, list):
        names = [n for n in (_as_name(v) for v in val) if n]
        return ", ".join(names) or None
    return None


def _record(
    obj: Any,
    options: ReadOptions,
    *,
    path: str | None,
    url: str | None,
    input_kind: str,
    where: str,
    raw: bytes | None = None,
    **loc: Any,
) -> Article:
    """One article from one JSON object (dropped, with the reason, when it cannot be one)."""
    if not isinstance(obj, dict):
        return dropped("malformed", f"{where}: expected a JSON object, found {type(obj).__name__}",
                       input_kind=input_kind, path=path, url=url, raw=raw, **loc)
    if _EXPORT_KEYS <= obj.keys() and not options.field_map:
        try:
            return restore_export(obj)
        except (TypeError, ValueError) as exc:
            return dropped("malformed", f"{where}: a Storyline export record that does not load ({exc})",
                           input_kind=input_kind, path=path, url=url, raw=raw, **loc)
    fm = options.field_map
    lower = {k.lower(): k for k in obj if isinstance(k, str)}
    text = _as_text(_get(obj, lower, "text", fm))
    html = _as_text(_get(obj, lower, "html", fm))
    art_url = _as_text(_get(obj, lower, "url", fm))
    art_url = art_url.strip() if art_url and art_url.strip().startswith(("http://", "https://")) else None
    fingerprint = raw if raw is not None else json.dumps(obj, sort_keys=True, default=str).encode("utf-8")

    if text and text.strip():
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        art = Article(input_kind=input_kind, path=path, url=art_url or url, raw_text=text, text=text)
    elif html and html.strip():
        art = read_html(html, url=art_url or url, path=path, input_kind=input_kind, fast=options.html_fast)
    elif art_url and options.follow:
        art = _follow(art_url, options, path=path, input_kind=input_kind)
    else:
        fields = ", ".join(sorted(obj)[:10])
        return dropped("empty", f"{where}: no article text (fields: {fields}); map the text field with field_map",
                       input_kind=input_kind, path=path, url=art_url or url, raw=fingerprint, **loc)
    art.meta.update({k: v for k, v in loc.items() if v is not None})
    art.meta.setdefault("sha256", sha256_hex(fingerprint))

    title = _as_text(_get(obj, lower, "title", fm))
    if title and title.strip():
        art.title, art.meta["title_method"] = title.strip(), "json"
    byline = clean_byline(_as_name(_get(obj, lower, "byline", fm)))
    if byline:
        art.byline, art.meta["byline_method"] = byline, "json"
    source = _as_name(_get(obj, lower, "source", fm))
    if source:
        art.source, art.meta["source_method"] = source, "json"
    pd = parse_timestamp(_get(obj, lower, "published_at", fm))
    if pd:
        art.published_at, art.date_precision, art.date_method = pd.value, pd.precision, "json"
    lang = _as_text(_get(obj, lower, "language", fm))
    if lang and len(lang) <= 12:
        art.language = lang
    if "id" in lower and isinstance(obj[lower["id"]], (str, int)):
        art.meta["source_id"] = obj[lower["id"]]
    if art.status == "ok" and art.raw_text and not (art.title and art.byline and art.source and art.published_at):
        fill_from_text(art, extract_text_metadata(art.raw_text))
    return art


def _follow(link: str, options: ReadOptions, *, path: str | None, input_kind: str) -> Article:
    try:
        page = options.get_fetcher().fetch(link)
    except FetchError as exc:
        return dropped(exc.reason, f"{link}: {exc}", input_kind=input_kind, path=path, url=link)
    art = read_html(page.content, url=page.url, path=path, input_kind=input_kind,
                    fast=options.html_fast, declared_encoding=page.charset)
    art.meta["followed"] = True
    return art


def restore_export(obj: dict[str, Any]) -> Article:
    """An Article from one record of Storyline's export format (``Article.to_dict()``)."""
    from datetime import datetime

    published = obj.get("published_at")
    text = obj.get("text") or ""
    raw = obj.get("raw_text", obj.get("original_text"))  # the store's export writes "original_text"
    return Article(
        id=str(obj.get("id") or ""),
        input_kind=obj.get("input_kind") or "json",
        path=obj.get("path"),
        url=obj.get("url"),
        source=obj.get("source"),
        source_key=obj.get("source_key"),
        title=obj.get("title"),
        byline=obj.get("byline"),
        published_at=datetime.fromisoformat(published) if published else None,
        date_precision=obj.get("date_precision"),
        date_method=obj.get("date_method"),
        language=obj.get("language"),
        raw_text=raw if isinstance(raw, str) else text,
        text=text,
        removed=[Removal(int(r["start"]), int(r["end"]), r["text"], r["reason"]) for r in obj.get("removed") or []],
        sentences=[(int(s[0]), int(s[1])) for s in obj.get("sentences") or []],
        status="dropped" if obj.get("status") == "dropped" else "ok",
        drop_reason=obj.get("drop_reason"),
        drop_detail=obj.get("drop_detail"),
        meta=dict(obj.get("meta") or {}),
    )
