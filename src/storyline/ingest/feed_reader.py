"""RSS and Atom feeds through feedparser: one article per entry.

An entry's text is its own full content (``content:encoded`` or Atom ``content``), else its summary
(``description``), turned from HTML into paragraphs. With ``follow``, each entry's link is fetched and
read as an HTML page; when that fails the entry's own content is used and ``meta["follow_error"]``
says why. An entry with neither content nor a link is dropped ``malformed``; one with only a link,
read without ``follow``, is dropped ``empty``.

feedparser is only ever given bytes: given a string it may fetch it as a URL itself, past the
polite fetcher.
"""

from __future__ import annotations

import calendar
import html as htmlmod
import logging
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from storyline.errors import FetchError, InputError
from storyline.ingest import encoding
from storyline.ingest.base import ReadOptions, dropped, read_file_limited, sha256_hex
from storyline.ingest.html_reader import read_html
from storyline.ingest.metadata import clean_byline, parse_date
from storyline.model import Article

logger = logging.getLogger(__name__)

_BLOCK_TAGS = (
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
    "tr", "section", "article", "figure", "figcaption", "header", "footer", "dd", "dt", "hr",
)
_TAG_RE = re.compile(r"<[a-zA-Z/!][^>]*>")
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
_FEED_ROOT_RE = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF)[\s>]", re.I)


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes of a document open an RSS, Atom or RDF feed."""
    return bool(_FEED_ROOT_RE.search(head[:4096]))


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment: block elements become paragraphs separated by a blank line."""
    if not fragment or not fragment.strip():
        return ""
    if not _TAG_RE.search(fragment):
        return _paragraphs(htmlmod.unescape(fragment))
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _paragraphs(htmlmod.unescape(_TAG_RE.sub(" ", fragment)))
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCK_TAGS:
            el.text = "\n\n" + (el.text or "")
            el.tail = "\n\n" + (el.tail or "")
    return _paragraphs(root.text_content())


def _paragraphs(text: str) -> str:
    paras = []
    for block in re.split(r"\n\s*\n", text):
        lines = [_SPACES_RE.sub(" ", ln).strip() for ln in block.split("\n")]
        joined = "\n".join(ln for ln in lines if ln)
        if joined:
            paras.append(joined)
    return "\n\n".join(paras)


def read_feed_file(path: str, options: ReadOptions | None = None) -> Iterator[Article]:
    """The entries of an RSS or Atom file as articles."""
    options = options or ReadOptions()
    data = read_file_limited(path, options.max_bytes)
    yield from read_feed_bytes(data, path=path, options=options)


def read_feed_bytes(
    data: bytes,
    *,
    path: str | None = None,
    url: str | None = None,
    options: ReadOptions | None = None,
    content_type: str | None = None,
) -> Iterator[Article]:
    """The entries of a feed held in memory; ``url`` is where the feed itself came from."""
    import feedparser

    options = options or ReadOptions()
    encoding.check_bytes(data)
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(data, response_headers=headers) if headers else feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            exc = parsed.get("bozo_exception")
            raise InputError(f"not a readable RSS or Atom feed: {exc}", reason="malformed")
        if not parsed.get("version"):
            raise InputError("not an RSS or Atom feed", reason="malformed")
        raise InputError("the feed has no entries", reason="empty")
    feed = parsed.get("feed") or {}
    feed_title = _plain(feed.get("title"))
    feed_meta: dict[str, Any] = {"feed_title": feed_title, "feed_url": url or path}
    if parsed.get("bozo"):
        feed_meta["feed_warning"] = str(parsed.get("bozo_exception"))[:300]
    for i, entry in enumerate(entries):
        yield _entry_article(entry, i, feed_title, feed_meta, options, path=path)


def _plain(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = htmlmod.unescape(_TAG_RE.sub("", value)) if "<" in value or "&" in value else value
    return _SPACES_RE.sub(" ", text).strip() or None


def _entry_content(entry: Any) -> tuple[str, str | None]:
    """The entry's own text and where it came from ("content" or "summary")."""
    best = None
    for c in entry.get("content") or []:
        value = c.get("value") if isinstance(c, dict) else None
        if value and value.strip():
            if best is None or (c.get("type") in ("text/html", "application/xhtml+xml") and len(value) >= len(best)):
                best = value
    if best:
        return html_fragment_text(best), "content"
    summary = entry.get("summary")
    if isinstance(summary, str) and summary.strip():
        return html_fragment_text(summary), "summary"
    return "", None


def _entry_date(entry: Any) -> tuple[datetime, str] | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        pd = parse_date(raw) if isinstance(raw, str) else None
        if pd:
            return pd.value, pd.precision
        st = entry.get(f"{key}_parsed")
        if st:
            try:
                dt = datetime.fromtimestamp(calendar.timegm(st), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
            has_time = isinstance(raw, str) and bool(re.search(r"\d{1,2}:\d{2}", raw))
            return dt, ("second" if has_time else "day")
    return None


def _entry_article(
    entry: Any, index: int, feed_title: str | None, feed_meta: dict[str, Any], options: ReadOptions,
    *, path: str | None,
) -> Article:
    title = _plain(entry.get("title"))
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    link = link.strip() if link and link.strip().startswith(("http://", "https://")) else None
    text, content_from = _entry_content(entry)
    where = f"entry {index + 1}" + (f" ({title!r})" if title else "")
    meta = {**feed_meta, "entry_index": index}
    if isinstance(entry.get("id"), str):
        meta["entry_id"] = entry["id"]
    fingerprint = repr(sorted((k, str(v)) for k, v in entry.items())).encode("utf-8")

    if not text and not link:
        return _titled(dropped("malformed", f"{where} has neither content nor a link", input_kind="feed",
                               path=path, raw=fingerprint, **meta), title)

    art: Article | None = None
    follow_error = None
    if options.follow and link:
        try:
            page = options.get_fetcher().fetch(link)
            art = read_html(page.content, url=page.url, path=path, input_kind="feed",
                            fast=options.html_fast, declared_encoding=page.charset)
            if art.status == "dropped":
                follow_error = f"{art.drop_reason}: {art.drop_detail}"
                art = None
            else:
                art.meta["followed"] = True
        except (FetchError, InputError) as exc:
            follow_error = f"{exc.reason}: {exc}"
        if follow_error:
            logger.info("following %s failed (%s); using the feed entry's own content", link, follow_error)
            if not text:
                return _titled(dropped("fetch_failed", f"{where}: no content in the feed, and {link} failed: "
                                       f"{follow_error}", input_kind="feed", path=path, url=link, raw=fingerprint,
                                       follow_error=follow_error, **meta), title)
    if art is None:
        if not text:
            return _titled(dropped("empty", f"{where} has only a link and no content; read with follow to fetch {link}",
                                   input_kind="feed", path=path, url=link, raw=fingerprint, **meta), title)
        art = Article(input_kind="feed", path=path, url=link, raw_text=text, text=text)
        art.meta["content_from"] = content_from
        art.meta["sha256"] = sha256_hex(text.encode("utf-8"))
        if follow_error:
            art.meta["follow_error"] = follow_error
    art.meta.update({k: v for k, v in meta.items() if v is not None})

    if title:
        art.title, art.meta["title_method"] = title, "feed"
    if not art.byline:
        author = entry.get("author") or ", ".join(
            a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict) and a.get("name")
        )
        byline = clean_byline(_plain(author))
        if byline:
            art.byline, art.meta["byline_method"] = byline, "feed"
    when = _entry_date(entry)
    if when and (art.published_at is None or art.date_method == "htmldate"):
        art.published_at, art.date_precision, art.date_method = when[0], when[1], "feed"
    if feed_title and (not art.source or art.meta.get("source_method") == "hostname"):
        art.source, art.meta["source_method"] = feed_title, "feed"
    return art


def _titled(art: Article, title: str | None) -> Article:
    art.title = title
    return art
