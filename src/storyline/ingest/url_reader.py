"""URLs: fetch politely, then read the body with the reader its content type (or its bytes) calls for."""

from __future__ import annotations

import io
from collections.abc import Iterator

from storyline.errors import FetchError
from storyline.ingest.base import ReadOptions, dropped
from storyline.ingest.feed_reader import looks_like_feed, read_feed_bytes
from storyline.ingest.html_reader import read_html
from storyline.ingest.json_reader import read_json_bytes, read_jsonl_lines
from storyline.ingest.sniff import kind_for_content_type, sniff
from storyline.ingest.text_reader import read_text_bytes
from storyline.ingest.warc_reader import read_warc_stream
from storyline.model import Article


def read_url(url: str, options: ReadOptions | None = None) -> Iterator[Article]:
    """The article(s) at ``url``: a page, a feed's entries, a JSON export, a text file or an archive.

    A URL that cannot be fetched gives one dropped article with the fetcher's reason
    (``fetch_failed``, ``robots_disallowed``, ``too_large``, ``unsupported``).
    """
    options = options or ReadOptions()
    try:
        page = options.get_fetcher().fetch(url)
    except FetchError as exc:
        yield dropped(exc.reason, str(exc), input_kind="url", url=url)
        return
    kind = kind_for_content_type(page.content_type)
    if kind in (None, "feed?", "text"):
        # servers often label feeds text/xml and pages text/plain: the bytes decide
        sniffed = sniff(page.content[:8192])
        if kind == "feed?" and sniffed != "feed" and looks_like_feed(page.content):
            sniffed = "feed"
        kind = sniffed if sniffed is not None or kind is None else kind
    extra = {"requested_url": url} if page.url != url else {}
    if kind == "html":
        art = read_html(page.content, url=page.url, input_kind="url", fast=options.html_fast,
                        declared_encoding=page.charset)
        art.meta.update(extra)
        yield art
    elif kind == "feed":
        yield from read_feed_bytes(page.content, url=page.url, options=options,
                                   content_type=page.headers.get("content-type"))
    elif kind == "json":
        yield from read_json_bytes(page.content, url=page.url, options=options)
    elif kind == "jsonl":
        yield from read_jsonl_lines(io.BytesIO(page.content), url=page.url, options=options)
    elif kind == "text":
        art = read_text_bytes(page.content, url=page.url, input_kind="url", declared_encoding=page.charset)
        art.meta.update(extra)
        yield art
    elif kind == "warc":
        for art in read_warc_stream(io.BytesIO(page.content), path=page.url, options=options,
                                    size=len(page.content)):
            yield art
    else:
        what = page.content_type or "binary content"
        yield dropped("unsupported", f"{page.url} serves {what}, which Storyline does not read",
                      input_kind="url", url=page.url, raw=page.content)
