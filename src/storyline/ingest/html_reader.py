"""HTML pages: main text and metadata through trafilatura.

``read_html`` is shared by the file, URL, feed (``follow``) and WARC readers. The main text comes
from ``trafilatura.bare_extraction`` with comments left out and precision not favoured (the measured
defaults that recover every paragraph, perf-measured.md section 5); each block trafilatura returns is
one paragraph, and paragraphs are separated by a blank line, as in the text inputs.

Metadata: title, author, date, site name and canonical URL from the page's own markup. A
published-time meta tag or JSON-LD ``datePublished`` gives the date to the minute or second; otherwise
htmldate's day (``date_method="htmldate"``). When the markup lacks a byline, date or outlet, the text
heuristics of :mod:`storyline.ingest.metadata` run on the extracted text.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from storyline.errors import InputError
from storyline.ingest import encoding
from storyline.ingest.base import ReadOptions, domain_of, read_file_limited, sha256_hex
from storyline.ingest.metadata import clean_byline, extract_text_metadata, parse_date
from storyline.model import Article

logger = logging.getLogger(__name__)

#: Fewer words than this in the extracted text and the page holds no article (a menu, a login form,
#: an index of links). Short news briefs run to 30 words and more.
MIN_ARTICLE_WORDS = 12

# Meta tags naming the publication time, in order of trust.
_DATE_META_NAMES = (
    "article:published_time", "og:published_time", "datepublished", "article.published",
    "publishdate", "publish-date", "publish_date", "pubdate", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.created", "dc.date", "date",
)
_META_TAG_RE = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_JSONLD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_HEAD_END_RE = re.compile(r"</head\s*>", re.I)


def read_html_file(path: str, options: ReadOptions | None = None) -> Article:
    """One article from an .html file on disk."""
    options = options or ReadOptions()
    data = read_file_limited(path, options.max_bytes)
    return read_html(data, url=None, path=path, fast=options.html_fast)


def read_html(
    html: str | bytes,
    url: str | None = None,
    path: str | None = None,
    *,
    input_kind: str = "html",
    fast: bool = False,
    declared_encoding: str | None = None,
) -> Article:
    """Extract the article in one HTML page; a page without one comes back dropped ``not_an_article``.

    ``url`` is where the page was fetched from (it resolves relative links and is the article's URL);
    ``path`` is the file it was read from. Bytes are decoded with the charset the page declares, or
    the one detected (InputError ``empty`` or ``binary`` when they are not text).
    """
    meta: dict[str, Any] = {}
    if isinstance(html, bytes):
        meta["sha256"] = sha256_hex(html)
        encoding.check_bytes(html)
        declared = declared_encoding or encoding.declared_charset(html)
        decoded = encoding.decode(html, declared)
        html_text = decoded.text
        meta["encoding"] = decoded.encoding
    else:
        html_text = html
        if not html_text.strip():
            raise InputError("the page is empty", reason="empty")

    art = Article(input_kind=input_kind, path=path, url=url)
    art.meta.update(meta)
    doc = _extract(html_text, url, fast)
    body = _paragraphs(doc.text if doc is not None else None)
    art.raw_text = art.text = body

    if doc is not None:
        _apply_html_metadata(art, doc, html_text, url)
    if len(body.split()) < MIN_ARTICLE_WORDS:
        n = len(body.split())
        return art.drop(
            "not_an_article",
            f"no article text found in the page ({n} word{'s' if n != 1 else ''} of main text)",
        )
    if not (art.byline and art.published_at and art.source and art.title):
        fill_from_text(art)
    return art


def _extract(html_text: str, url: str | None, fast: bool) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html_text,
            url=url,
            with_metadata=True,
            include_comments=False,
            favor_precision=False,
            fast=fast,
        )
    except (ValueError, TypeError, AttributeError) as exc:
        # trafilatura reports unusable documents (empty tree, wrong type) this way
        logger.debug("trafilatura could not parse %s: %s", url, exc)
        return None


def _paragraphs(text: str | None) -> str:
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _apply_html_metadata(art: Article, doc: Any, html_text: str, url: str | None) -> None:
    if doc.title:
        art.title = doc.title.strip()
        art.meta["title_method"] = "html_meta"
    if doc.author:
        art.byline = clean_byline(doc.author.replace("; ", ", "))
        if art.byline:
            art.meta["byline_method"] = "html_meta"
    canonical = doc.url if isinstance(doc.url, str) and doc.url.startswith(("http://", "https://")) else None
    if canonical:
        art.meta["canonical_url"] = canonical
    if art.url is None and canonical:
        art.url = canonical
    host = domain_of(canonical) or domain_of(url) or (doc.hostname or None)
    if host:
        art.meta["hostname"] = host
    sitename = (doc.sitename or "").strip()
    if sitename and host and sitename.lower().removeprefix("www.") == host:
        sitename = ""  # trafilatura's fallback to the URL's host, not a name the page gives
    if sitename:
        art.meta["sitename"] = sitename
        art.source, art.meta["source_method"] = sitename, "html_meta"
    elif host:
        art.source, art.meta["source_method"] = host, "hostname"
    if doc.description:
        art.meta["description"] = doc.description
    if doc.pagetype:
        art.meta["pagetype"] = doc.pagetype
    if doc.categories:
        art.meta["categories"] = list(doc.categories)
    if doc.tags:
        art.meta["tags"] = list(doc.tags)
    if doc.language:
        art.language = doc.language
    precise = _meta_published(html_text)
    if precise is not None:
        art.published_at, art.date_precision, art.date_method = precise.value, precise.precision, "html_meta"
    elif doc.date:
        pd = parse_date(doc.date)
        if pd:
            art.published_at, art.date_precision, art.date_method = pd.value, pd.precision, "htmldate"


def _meta_published(html_text: str) -> Any:
    """The publication time named by a meta tag or JSON-LD in the page head, if it parses."""
    m = _HEAD_END_RE.search(html_text, 0, 400_000)
    head = html_text[: m.start()] if m else html_text[:200_000]
    found: dict[str, str] = {}
    for tag in _META_TAG_RE.finditer(head):
        attrs = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or "" for a in _ATTR_RE.finditer(tag.group(0))}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DATE_META_NAMES and attrs.get("content") and key not in found:
            found[key] = attrs["content"]
    for key in _DATE_META_NAMES:
        if key in found:
            pd = parse_date(found[key])
            if pd:
                return pd
    jm = _JSONLD_DATE_RE.search(html_text, 0, 1_000_000)
    if jm:
        return parse_date(jm.group(1))
    return None


def fill_from_text(art: Article, md: Any = None) -> None:
    """Fill the title, byline, date and outlet an article lacks from the heuristics on its text."""
    md = md or extract_text_metadata(art.raw_text)
    if not art.title and md.title:
        art.title, art.meta["title_method"] = md.title, f"text:{md.title_method}"
    if not art.byline and md.byline:
        art.byline, art.meta["byline_method"] = md.byline, f"text:{md.byline_method}"
    if art.published_at is None and md.published_at is not None:
        art.published_at, art.date_precision, art.date_method = md.published_at, md.date_precision, md.date_method
    # a bare hostname gives way to an outlet the text names, but not to a wire in a dateline
    weak = art.meta.get("source_method") == "hostname" and md.source_method != "dateline"
    if md.source and (not art.source or weak):
        art.source, art.meta["source_method"] = md.source, f"text:{md.source_method}"
    if md.wire:
        art.meta.setdefault("wire", md.wire)
    if md.place:
        art.meta.setdefault("dateline_place", md.place)
