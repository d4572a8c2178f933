"""Readers: every input kind in, :class:`~storyline.model.Article` records out.

``read_inputs`` takes paths (files, or folders read recursively in sorted order), http(s) URLs and
``-`` for standard input, picks a reader by extension, HTTP content type or the first bytes, and
yields articles that are read but not yet cleaned (``text`` is ``raw_text``). Every article has an
id. An input that cannot be read never stops the batch: it becomes a dropped article with a reason:

===================== =========================================================================
``empty``             no text (empty or blank file, a feed without entries, a record without text)
``binary``            the bytes are not text
``too_large``         over ``ReadOptions.max_bytes``; never read into memory
``not_an_article``    an HTML page (or archive) with no article text in it
``malformed``         broken JSON line, feed or feed entry, truncated or corrupt archive record
``unsupported``       a file type or content type Storyline does not read
``not_found``         no such file or folder
``fetch_failed``      a URL that could not be fetched (unreachable, timed out, HTTP error)
``robots_disallowed`` robots.txt of the host disallows the URL
``unreadable``        the file exists but cannot be opened (permissions)
``reader_error``      anything unexpected; the detail has the exception
===================== =========================================================================
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from storyline.errors import InputError
from storyline.ingest.base import (
    DEFAULT_MAX_BYTES,
    DEFAULT_USER_AGENT,
    ReadOptions,
    assign_id,
    domain_of,
    dropped,
    normpath,
    read_stream_limited,
    source_key,
)
from storyline.ingest.feed_reader import read_feed_bytes, read_feed_file
from storyline.ingest.fetch import Fetcher, FetchResult
from storyline.ingest.html_reader import read_html, read_html_file
from storyline.ingest.json_reader import read_json_bytes, read_json_file, read_jsonl_file, read_jsonl_lines
from storyline.ingest.sniff import EXTENSION_KINDS, UNSUPPORTED_EXTENSIONS, extension_of, sniff
from storyline.ingest.text_reader import read_text_bytes, read_text_file
from storyline.ingest.url_reader import read_url
from storyline.ingest.warc_reader import read_warc_file, read_warc_stream
from storyline.model import Article

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_USER_AGENT",
    "Fetcher",
    "FetchResult",
    "ReadOptions",
    "assign_id",
    "iter_files",
    "read_html",
    "read_inputs",
    "read_path",
    "read_stdin",
    "read_url",
]

logger = logging.getLogger(__name__)

#: The drop reasons readers use (see the module docstring).
DROP_REASONS = (
    "empty", "binary", "too_large", "not_an_article", "malformed", "unsupported", "not_found",
    "fetch_failed", "robots_disallowed", "unreadable", "reader_error",
)


def read_inputs(inputs: Iterable[str], options: ReadOptions | None = None) -> Iterator[Article]:
    """Read every input and yield its articles, each with an id, dropped ones included.

    Inputs are paths to files or folders (recursive, sorted, hidden files skipped), http(s) URLs,
    or ``-`` for standard input. Nothing raised by a reader escapes: an input that fails becomes a
    dropped article with its reason, and the next input is read.
    """
    options = options or ReadOptions()
    own_fetcher = options.fetcher is None
    try:
        for item in inputs:
            item = os.fspath(item)
            if item == "-":
                arts = _guard(lambda: read_stdin(options), input_kind="stdin", path="-")
            elif item.lower().startswith(("http://", "https://")):
                arts = _guard(lambda item=item: read_url(item, options), input_kind="url", url=item)  # type: ignore[misc]
            else:
                arts = read_path(item, options)
            for art in arts:
                yield _finish(art, options)
    finally:
        if own_fetcher and options.fetcher is not None:  # built here on first use: close it here
            options.fetcher.close()
            options.fetcher = None


def read_path(path: str, options: ReadOptions | None = None) -> Iterator[Article]:
    """The articles of one file, or of every file under a folder in sorted order (never raises)."""
    options = options or ReadOptions()
    path = normpath(path)
    if os.path.isdir(path):
        found = False
        for file in iter_files(path, include_hidden=options.include_hidden):
            found = True
            yield from _read_file_guarded(file, options)
        if not found:
            logger.info("%s: the folder holds no files", path)
        return
    if not os.path.exists(path):
        yield dropped("not_found", f"no such file or folder: {path}", input_kind="text", path=path)
        return
    yield from _read_file_guarded(path, options)


def iter_files(folder: str, *, include_hidden: bool = False) -> Iterator[str]:
    """Every file under ``folder``, sorted by relative path, skipping dot-files unless asked."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        if not include_hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if include_hidden or not name.startswith("."):
                found.append(os.path.relpath(os.path.join(root, name), folder))
    for rel in sorted(found, key=lambda p: p.replace(os.sep, "/")):
        yield os.path.join(folder, rel)


def _read_file_guarded(path: str, options: ReadOptions) -> Iterator[Article]:
    kind = _kind_of_file(path)
    yield from _guard(lambda: _read_file(path, kind, options), input_kind=_article_kind(kind), path=path)


def _article_kind(kind: str | None) -> str:
    return kind if kind in ("text", "html", "json", "jsonl", "feed", "warc") else "text"


def _kind_of_file(path: str) -> str | None:
    ext = extension_of(os.path.basename(path))
    kind = EXTENSION_KINDS.get(ext)
    if kind is not None:
        return kind
    if ext in UNSUPPORTED_EXTENSIONS:
        return "unsupported"
    return "sniff"


def _read_file(path: str, kind: str | None, options: ReadOptions) -> Iterator[Article]:
    ext = extension_of(os.path.basename(path))
    if kind == "unsupported":
        yield dropped("unsupported", f"{ext} files are not read by Storyline (it reads text, Markdown, HTML, "
                      "JSON, JSONL, RSS/Atom and WARC)", input_kind="text", path=path)
        return
    if kind in ("sniff", "feed?"):
        try:
            with open(path, "rb") as fh:
                head = fh.read(8192)
        except OSError as exc:
            raise InputError(f"cannot open the file: {exc.strerror or exc}", reason="unreadable") from exc
        sniffed = sniff(head)
        if kind == "feed?":  # .xml
            if sniffed not in ("feed", "html"):
                yield dropped("unsupported", "an XML file that is not an RSS or Atom feed", input_kind="feed", path=path)
                return
            kind = sniffed
        elif sniffed is None:
            if not head:
                raise InputError("the file is empty", reason="empty")
            if ext:
                yield dropped("unsupported", f"unknown file type {ext} with binary content", input_kind="text", path=path)
                return
            raise InputError("the file is not text: it holds binary data", reason="binary")
        elif sniffed == "xml":
            yield dropped("unsupported", "an XML file that is not an RSS or Atom feed", input_kind="text", path=path)
            return
        else:
            kind = sniffed
    try:
        if kind == "text":
            yield read_text_file(path, options)
        elif kind == "html":
            yield read_html_file(path, options)
        elif kind == "json":
            yield from read_json_file(path, options)
        elif kind == "jsonl":
            yield from read_jsonl_file(path, options)
        elif kind == "feed":
            yield from read_feed_file(path, options)
        elif kind == "warc":
            yield from read_warc_file(path, options)
        else:  # pragma: no cover - every kind is handled above
            raise InputError(f"no reader for {kind}", reason="unsupported")
    except PermissionError as exc:
        raise InputError(f"cannot open the file: {exc.strerror or exc}", reason="unreadable") from exc


def read_stdin(options: ReadOptions | None = None, stream: BinaryIO | None = None) -> Iterator[Article]:
    """The article(s) on standard input: HTML, a feed, JSON(L), a WARC stream, else text."""
    options = options or ReadOptions()
    stream = stream or options.stdin or sys.stdin.buffer
    head = stream.read(8192)
    kind = sniff(head)
    if kind == "warc":  # archives are streamed, whatever their size
        yield from read_warc_stream(_Prefixed(head, stream), path="-", options=options)
        return
    data = head + read_stream_limited(stream, max(0, options.max_bytes - len(head)), "standard input")
    if kind is None:
        if not data.strip():
            raise InputError("standard input is empty", reason="empty")
        raise InputError("standard input is not text: it holds binary data", reason="binary")
    if kind == "html":
        art = read_html(data, path="-", fast=options.html_fast)
        art.meta["via"] = "stdin"
        yield art
    elif kind == "feed":
        for art in read_feed_bytes(data, path="-", options=options):
            art.meta["via"] = "stdin"
            yield art
    elif kind == "json":
        yield from read_json_bytes(data, path="-", options=options)
    elif kind == "jsonl":
        yield from read_jsonl_lines(io.BytesIO(data), path="-", options=options)
    else:
        yield read_text_bytes(data, path="-", input_kind="stdin")


class _Prefixed(io.RawIOBase):
    """A stream that gives back the bytes already read from it before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if self._head:
            if size is None or size < 0:
                out, self._head = self._head + self._rest.read(), b""
                return out
            out, self._head = self._head[:size], self._head[size:]
            return out
        return self._rest.read(size)


def _guard(
    factory: Callable[[], Iterable[Article]],
    *,
    input_kind: str,
    path: str | None = None,
    url: str | None = None,
) -> Iterator[Article]:
    """Run one reader; turn what it raises into a dropped article so the batch goes on."""
    try:
        yield from factory()
    except InputError as exc:
        logger.info("%s: dropped (%s): %s", url or path, exc.reason, exc)
        yield dropped(exc.reason, str(exc), input_kind=input_kind, path=path, url=url)
    except Exception as exc:  # noqa: BLE001 - one input must never end a batch
        logger.warning("%s: the reader failed: %s: %s", url or path, type(exc).__name__, exc, exc_info=True)
        yield dropped("reader_error", f"{type(exc).__name__}: {exc}", input_kind=input_kind, path=path, url=url)


def _finish(art: Article, options: ReadOptions) -> Article:
    """What every article gets on its way out: text, the source override, a source key, an id."""
    if not art.text:
        art.text = art.raw_text
    if options.source:
        art.source = options.source
        art.meta["source_method"] = "override"
        art.source_key = source_key(options.source)
    elif art.source_key is None and (art.source or art.url):
        domain = domain_of(art.meta.get("canonical_url") or art.url)
        art.source_key = source_key(art.source, domain)
    if not art.id:
        assign_id(art)
    if art.status == "dropped":
        logger.info("dropped %s (%s): %s", art.location, art.drop_reason, art.drop_detail)
    return art
