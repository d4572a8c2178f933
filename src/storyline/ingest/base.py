"""What every reader shares: options, bounded reads, dropped articles, ids and source keys."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from storyline import text as textmod
from storyline.text import domain_of
from storyline.errors import InputError
from storyline.model import Article, content_id

if TYPE_CHECKING:  # pragma: no cover
    from storyline.ingest.fetch import Fetcher

#: Default largest input read into memory (one file, one fetched page, one archive record).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_USER_AGENT = "Storyline/0.1 (+https://github.com/storyline; news research tool)"


@dataclass
class ReadOptions:
    """How inputs are read. Every field has a working default; tests inject ``fetcher`` and ``stdin``.

    ``field_map`` maps Storyline's field names to the names a JSON export uses, e.g.
    ``{"text": "body", "title": "headline", "published_at": "date"}``; dotted names reach into nested
    objects (``"source": "source.name"``). Common aliases are tried without it.

    ``max_bytes`` bounds what is read into memory: a whole text, HTML, JSON or feed file, a fetched
    page, one WARC record, one JSONL line. Larger inputs are dropped as ``too_large`` without being
    read. WARC and JSONL files themselves may be larger: they are streamed record by record.
    """

    field_map: dict[str, str] = field(default_factory=dict)
    follow: bool = False  # feeds (and JSON entries with only a URL): fetch each linked page
    max_bytes: int = DEFAULT_MAX_BYTES
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0  # seconds, per request
    retries: int = 2  # extra attempts after a connect error, a 5xx or a 429
    rate_limit_per_host: float = 1.0  # minimum seconds between requests to one host
    respect_robots: bool = True
    source: str | None = None  # override the outlet of every article read
    html_fast: bool = False  # trafilatura fast=True: 2-3x faster, may lose text on messy pages
    include_hidden: bool = False  # read dot-files and dot-folders when walking a folder
    fetcher: "Fetcher | None" = None  # a ready Fetcher (tests pass one over httpx.MockTransport)
    stdin: BinaryIO | None = None  # where "-" reads from; default sys.stdin.buffer

    def get_fetcher(self) -> "Fetcher":
        """The fetcher to use, built from these options on first use and then kept."""
        if self.fetcher is None:
            from storyline.ingest.fetch import Fetcher

            self.fetcher = Fetcher(
                user_agent=self.user_agent,
                timeout=self.timeout,
                retries=self.retries,
                rate_limit_per_host=self.rate_limit_per_host,
                respect_robots=self.respect_robots,
                max_bytes=self.max_bytes,
            )
        return self.fetcher


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)  # pragma: no cover


def too_large_error(size: int, max_bytes: int, what: str = "the input") -> InputError:
    return InputError(
        f"{what} is {human_size(size)}, over the {human_size(max_bytes)} limit; raise max_bytes to read it",
        reason="too_large",
    )


def read_file_limited(path: str, max_bytes: int) -> bytes:
    """The whole file, or InputError ``too_large`` (checked on its size first, so never read)."""
    size = os.path.getsize(path)
    if size > max_bytes:
        raise too_large_error(size, max_bytes, "the file")
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # the file grew while we looked
        raise too_large_error(len(data), max_bytes, "the file")
    return data


def read_stream_limited(stream: BinaryIO, max_bytes: int, what: str = "the input") -> bytes:
    """At most ``max_bytes`` from a stream, or InputError ``too_large`` when there is more."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise too_large_error(total, max_bytes, what)
    return b"".join(chunks)


def dropped(
    reason: str,
    detail: str,
    *,
    input_kind: str,
    path: str | None = None,
    url: str | None = None,
    raw: bytes | None = None,
    **meta: object,
) -> Article:
    """A dropped article for one input or record, with the sha256 of its bytes when there are any."""
    art = Article(input_kind=input_kind, path=path, url=url)
    if raw is not None:
        art.meta["sha256"] = sha256_hex(raw)
    art.meta.update({k: v for k, v in meta.items() if v is not None})
    return art.drop(reason, detail)


def assign_id(article: Article) -> Article:
    """Set the content-addressed id of ``article`` (and return it).

    An article that was read: ``content_id(canonical_url or url or file name, normalize(raw_text))``,
    so the same input read twice gets the same id, whichever folder or machine it is read from (a
    file is named by its base name, not its full path). A dropped article:
    ``content_id(location, "dropped", drop_reason, sha256 of its bytes or its detail)``.
    """
    loc = article.meta.get("canonical_url") or article.url or _file_name(article.path)
    if article.status == "dropped":
        fingerprint = article.meta.get("sha256") or sha256_hex((article.drop_detail or "").encode("utf-8"))
        where = article.url or _file_name(article.path)
        article.id = content_id(where, "dropped", article.drop_reason, fingerprint)
    else:
        article.id = content_id(loc, textmod.normalize(article.raw_text))
    return article


def _file_name(path: str | None) -> str | None:
    return os.path.basename(path.rstrip("/\\")) or path if path else path


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def source_key(name: str | None, domain: str | None = None) -> str | None:
    """The filtering key of an outlet: its domain when known, else a slug of its name."""
    if domain:
        return domain.lower()
    if not name:
        return None
    slug = _SLUG_RE.sub("-", textmod.normalize(name, lower=True)).strip("-")
    return slug or None


def normpath(p: str | os.PathLike[str]) -> str:
    return os.path.normpath(os.fspath(p))
