"""Web archives (WARC, WARC.gz, ARC.gz) through warcio: one article per archived HTML page.

Only HTTP ``response`` records (and ``resource`` records) whose content type is HTML and whose
status is 2xx are read, through :func:`~storyline.ingest.html_reader.read_html` with the record's
target URI; request, metadata, redirect and non-HTML records are skipped. The archive is streamed,
so it may be far larger than ``max_bytes``; a single record over it is dropped ``too_large``.

warcio reads a truncated archive without complaint (a short last record, or a gzip member cut
off), so this reader checks each record's length against its ``Content-Length`` and the end offset
against the file size. A truncated or corrupt record, or a stream that cannot be parsed further,
gives one dropped article (``malformed``, with the detail); the records before it are kept.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from storyline.errors import InputError
from storyline.ingest.base import ReadOptions, dropped, human_size, sha256_hex
from storyline.ingest.html_reader import read_html
from storyline.model import Article

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc_file(path: str, options: ReadOptions | None = None) -> Iterator[Article]:
    """The HTML pages archived in a WARC / ARC file (gzipped or not)."""
    options = options or ReadOptions()
    with open(path, "rb") as fh:
        yield from read_warc_stream(fh, path=path, options=options, size=os.fstat(fh.fileno()).st_size)


def read_warc_stream(
    stream: BinaryIO,
    *,
    path: str | None = None,
    options: ReadOptions | None = None,
    size: int | None = None,
) -> Iterator[Article]:
    """Articles from an archive stream; ``size`` (the stream's length) lets a cut-off tail be found."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    options = options or ReadOptions()
    it = ArchiveIterator(stream, arc2warc=True)
    records = read = 0
    last_uri: str | None = None
    while True:
        try:
            record = next(it)
        except StopIteration:
            break
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, AttributeError, IndexError,
                TypeError, UnicodeDecodeError) as exc:
            # warcio raises AttributeError/IndexError on a header block cut short
            yield _malformed(path, f"the archive cannot be read past record {records}"
                             f"{' (after ' + last_uri + ')' if last_uri else ''}: {type(exc).__name__}: {exc}",
                             offset=getattr(it, "offset", None))
            return
        records += 1
        uri = record.rec_headers.get_header("WARC-Target-URI")
        if record.format.startswith("warc") and not record.rec_headers.get_header("Content-Length"):
            yield _malformed(path, f"record {records} has an incomplete header (no Content-Length)", url=uri)
            return
        try:
            art = _record_article(record, path, options)
            if art is None or art.drop_reason != "malformed":
                missing = _unread(record)
                if missing:  # a record cut short, found while skipping it
                    art = dropped("malformed", f"record {records} ({uri}) is truncated: {missing} bytes of its "
                                  "declared Content-Length are missing", input_kind="warc", path=path, url=uri)
        except (zlib.error, EOFError, OSError, ValueError) as exc:
            yield _malformed(path, f"record {records} ({uri}) cannot be read: {type(exc).__name__}: {exc}", url=uri)
            return
        last_uri = uri or last_uri
        if art is None:
            continue
        read += 1
        yield art
        if art.drop_reason == "malformed":
            return  # a truncated record: nothing after it can be trusted
    end = getattr(it, "offset", None)
    if size is not None and isinstance(end, int) and end < size:
        yield _malformed(path, f"{size - end} bytes at the end of the archive (from offset {end}) do not form a "
                               f"complete record: the file is truncated or corrupt", offset=end)
        return
    if records == 0:
        raise InputError("not a WARC or ARC archive, or an empty one (no records found)", reason="malformed")
    if read == 0:
        raise InputError(f"the archive holds no HTML pages ({records} records, none an HTML response)",
                         reason="not_an_article")


def _unread(record: Any) -> int:
    """Read what is left of a record's block; the bytes its Content-Length promised but never came."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    remaining = getattr(raw, "limit", 0)
    return remaining if isinstance(remaining, int) and remaining > 0 else 0


def _malformed(path: str | None, detail: str, url: str | None = None, offset: Any = None) -> Article:
    logger.warning("%s: %s", path or "archive", detail)
    return dropped("malformed", detail, input_kind="warc", path=path, url=url,
                   warc_offset=offset if isinstance(offset, int) else None)


def _record_article(record: Any, path: str | None, options: ReadOptions) -> Article | None:
    """The article in one record, None for a record that holds no page, dropped when truncated."""
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    if record.rec_type == "response":
        if http is None:
            return None
        status = http.get_statuscode()
        if not (status and status.startswith("2")):
            return None
        ctype = (http.get_header("Content-Type") or "").lower()
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    if not ctype.startswith(_HTML_TYPES):
        return None
    rec_id = record.rec_headers.get_header("WARC-Record-ID")
    date = record.rec_headers.get_header("WARC-Date")
    stream = record.content_stream()
    content = stream.read(options.max_bytes + 1)
    if len(content) > options.max_bytes:
        return dropped("too_large", f"the archived page is over the {human_size(options.max_bytes)} limit",
                       input_kind="warc", path=path, url=uri, warc_record_id=rec_id)
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining and remaining > 0:
        return dropped("malformed", f"record {rec_id} ({uri}) is truncated: {remaining} bytes of its declared "
                                    f"Content-Length are missing", input_kind="warc", path=path, url=uri,
                       raw=content, warc_record_id=rec_id)
    charset = None
    for part in ctype.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip() == "charset":
            charset = v.strip().strip("\"'")
    try:
        art = read_html(content, url=uri, path=path, input_kind="warc", fast=options.html_fast,
                        declared_encoding=charset)
    except InputError as exc:
        return dropped(exc.reason, f"{uri}: {exc}", input_kind="warc", path=path, url=uri, raw=content,
                       warc_record_id=rec_id)
    art.meta["warc_record_id"] = rec_id
    if date:
        art.meta["warc_date"] = date
    art.meta.setdefault("sha256", sha256_hex(content))
    return art
