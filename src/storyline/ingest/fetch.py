"""A polite HTTP fetcher: robots.txt, a per-host pace, timeouts, retries with back-off, a size cap.

Every failure is a :class:`~storyline.errors.FetchError` whose ``reason`` is the drop reason the
readers record: ``fetch_failed`` (unreachable, timed out, HTTP error), ``robots_disallowed``,
``too_large`` or ``unsupported`` (not an http(s) URL).

The network, the clock and sleeping are injected (``transport=httpx.MockTransport(handler)``,
``clock=``, ``sleep=``), so tests run without a network and without waiting.
"""

from __future__ import annotations

import email.utils
import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpx

from storyline.errors import FetchError
from storyline.ingest.base import DEFAULT_MAX_BYTES, DEFAULT_USER_AGENT, human_size

logger = logging.getLogger(__name__)

#: Statuses worth another try: rate limited, or a server error that is often brief.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 512 * 1024
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass(slots=True)
class FetchResult:
    """A fetched resource: the final URL after redirects, its status, headers and body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    content: bytes = b""
    attempts: int = 1

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower-case ("" when not given)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset parameter of the Content-Type header, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            k, _, v = part.partition("=")
            if k.strip().lower() == "charset" and v.strip():
                return v.strip().strip("\"'")
        return None


class Fetcher:
    """Fetch URLs politely; one instance per run so its robots cache and host pacing are shared.

    ``rate_limit_per_host`` is the least time between the starts of two requests to one host (a
    robots.txt ``Crawl-delay`` raises it for that host). Connect errors, timeouts, 429 and 5xx are
    retried ``retries`` times, waiting ``backoff * 2**attempt`` seconds or what ``Retry-After`` asks,
    up to ``max_backoff``; a longer ``Retry-After`` gives up at once. A robots.txt that cannot be
    fetched allows everything (as do 4xx answers for it, per RFC 9309).
    """

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        rate_limit_per_host: float = 1.0,
        respect_robots: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 10,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.rate_limit_per_host = rate_limit_per_host
        self.respect_robots = respect_robots
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.clock = clock
        self.sleep = sleep
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": user_agent, "Accept": _ACCEPT},
            follow_redirects=False,  # followed here, so each hop passes robots.txt and pacing
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_request: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self.requests_made = 0

    # -- public -----------------------------------------------------------------------------

    def fetch(self, url: str) -> FetchResult:
        """GET ``url`` (following redirects); raise FetchError with the drop reason on failure."""
        current = url
        for _ in range(self.max_redirects + 1):
            self._check_url(current)
            if self.respect_robots and not self.allowed(current):
                raise FetchError(f"robots.txt of {_origin(current)} disallows {current}", reason="robots_disallowed")
            result = self._get(current)
            location = result.headers.get("location")
            if 300 <= result.status < 400 and location:
                current = urljoin(current, location)
                continue
            if result.status >= 400:
                raise FetchError(f"HTTP {result.status} from {current}")
            return result
        raise FetchError(f"more than {self.max_redirects} redirects from {url}")

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of the URL's host lets this user agent fetch it (cached per host)."""
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rp = self._robots[origin]
        return True if rp is None else rp.can_fetch(self.user_agent, url)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def _check_url(url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {url!r}", reason="unsupported")

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        robots_url = origin + "/robots.txt"
        try:
            result = self._get(robots_url, retries=0, max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            logger.info("robots.txt of %s could not be fetched (%s): treating all paths as allowed", origin, exc)
            return None
        if result.status != 200:
            logger.debug("robots.txt of %s answered %s: all paths allowed", origin, result.status)
            return None
        rp = urllib.robotparser.RobotFileParser(robots_url)
        rp.parse(result.content.decode("utf-8", errors="replace").splitlines())
        delay = rp.crawl_delay(self.user_agent)
        if delay:
            self._host_delay[_host(origin)] = min(float(delay), self.max_backoff)
        return rp

    def _wait_turn(self, host: str) -> None:
        interval = max(self.rate_limit_per_host, self._host_delay.get(host, 0.0))
        last = self._last_request.get(host)
        if last is not None and interval > 0:
            wait = last + interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _get(self, url: str, *, retries: int | None = None, max_bytes: int | None = None) -> FetchResult:
        """One GET with retries; redirects and error statuses are returned, not raised."""
        retries = self.retries if retries is None else retries
        limit = self.max_bytes if max_bytes is None else max_bytes
        host = _host(url)
        for attempt in range(retries + 1):
            self._wait_turn(host)
            self.requests_made += 1
            try:
                with self._client.stream("GET", url) as resp:
                    status = resp.status_code
                    headers = {k.lower(): v for k, v in resp.headers.items()}
                    if status in RETRY_STATUSES and attempt < retries:
                        delay = self._retry_delay(headers.get("retry-after"), attempt)
                        if delay is None:
                            raise FetchError(
                                f"HTTP {status} from {url}, and Retry-After asks for more than {self.max_backoff:.0f} s"
                            )
                        logger.info("HTTP %s from %s; retrying in %.1f s", status, url, delay)
                        self.sleep(delay)
                        continue
                    content = self._read_body(resp, url, limit) if status < 300 else b""
                    return FetchResult(str(resp.url), status, headers, content, attempt + 1)
            except httpx.TransportError as exc:  # connect/read errors, timeouts, protocol errors
                if attempt < retries:
                    delay = min(self.backoff * 2**attempt, self.max_backoff)
                    logger.info("fetching %s failed (%s); retrying in %.1f s", url, exc, delay)
                    self.sleep(delay)
                    continue
                kind = type(exc).__name__
                raise FetchError(f"could not fetch {url}: {kind}: {exc or 'no detail'} (after {attempt + 1} attempts)") from exc
            except httpx.InvalidURL as exc:
                raise FetchError(f"not a valid URL: {url!r} ({exc})", reason="unsupported") from exc
        raise FetchError(f"could not fetch {url} after {retries + 1} attempts")  # pragma: no cover

    def _read_body(self, resp: httpx.Response, url: str, limit: int) -> bytes:
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{url} is {human_size(int(declared))}, over the {human_size(limit)} limit", reason="too_large")
        chunks: list[bytes] = []
        total = 0
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise FetchError(f"{url} is over the {human_size(limit)} limit", reason="too_large")
            chunks.append(chunk)
        return b"".join(chunks)

    def _retry_delay(self, retry_after: str | None, attempt: int) -> float | None:
        """Seconds to wait before the next try; None when the server asks for too long a wait."""
        delay = self.backoff * 2**attempt
        if retry_after:
            ra = retry_after.strip()
            asked: float | None = None
            if ra.isdigit():
                asked = float(ra)
            else:
                try:
                    when = email.utils.parsedate_to_datetime(ra)
                except (TypeError, ValueError):
                    when = None
                if when is not None:
                    if when.tzinfo is None:
                        when = when.replace(tzinfo=timezone.utc)
                    asked = max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
            if asked is not None:
                if asked > self.max_backoff:
                    return None
                delay = asked
        return min(delay, self.max_backoff)


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
