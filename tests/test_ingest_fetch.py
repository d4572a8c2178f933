"""The polite fetcher and everything that reads URLs, over httpx.MockTransport: never the network."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from storyline.errors import FetchError
from storyline.ingest import Fetcher, ReadOptions, read_inputs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

ARTICLE = (
    "<html><head><title>Bridge reopens | Valley Ledger</title><meta property='og:site_name' content='Valley Ledger'>"
    "<meta name='author' content='Ola Berg'></head><body><article><h1>Bridge reopens</h1>"
    + "".join(f"<p>Paragraph {i}: the rail bridge over the Mill River reopened on Tuesday after two years of repairs "
              f"to its girders and deck.</p>" for i in range(4))
    + "</article></body></html>"
).encode()


class FakeClock:
    """A clock that only moves when something sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def make_fetcher(handler, clock: FakeClock | None = None, **kw) -> Fetcher:
    clock = clock or FakeClock()
    kw.setdefault("rate_limit_per_host", 0.0)
    return Fetcher(transport=httpx.MockTransport(handler), clock=clock.clock, sleep=clock.sleep, **kw)


def site(pages: dict[str, httpx.Response | Exception], log: list[str] | None = None):
    """A handler serving a URL -> response table; robots.txt allows all unless given."""

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if log is not None:
            log.append(url)
        entry = pages.get(url)
        if entry is None and url.endswith("/robots.txt"):
            return httpx.Response(404)
        if isinstance(entry, list):
            entry = entry.pop(0)
        if isinstance(entry, Exception):
            raise entry
        return entry if entry is not None else httpx.Response(404, text="not here")

    return handler


def html(body: bytes = ARTICLE, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers={"content-type": "text/html; charset=utf-8", **headers})


def test_url_page_is_read_with_real_user_agent():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404) if request.url.path == "/robots.txt" else html()

    opts = ReadOptions(fetcher=make_fetcher(handler))
    (a,) = read_inputs(["https://ledger.example.com/bridge"], opts)
    assert a.status == "ok" and a.input_kind == "url"
    assert a.url == "https://ledger.example.com/bridge"
    assert (a.title, a.byline, a.source) == ("Bridge reopens", "Ola Berg", "Valley Ledger")
    assert a.source_key == "ledger.example.com"
    assert seen[-1].headers["user-agent"].startswith("Storyline/0.1 (+https://github.com/storyline")
    assert [r.url.path for r in seen] == ["/robots.txt", "/bridge"]


def test_unreachable_url_is_dropped_fetch_failed_after_retries():
    clock = FakeClock()
    handler = site({"https://down.example.org/a": httpx.ConnectError("connection refused")})
    opts = ReadOptions(fetcher=make_fetcher(handler, clock, retries=2, backoff=0.5))
    (a,) = read_inputs(["https://down.example.org/a"], opts)
    assert a.status == "dropped" and a.drop_reason == "fetch_failed"
    assert "ConnectError" in a.drop_detail and "connection refused" in a.drop_detail and "3 attempts" in a.drop_detail
    assert clock.sleeps == [0.5, 1.0]  # exponential back-off
    assert a.id


def test_retry_after_503_honours_retry_after():
    clock = FakeClock()
    log: list[str] = []
    pages = {"https://ledger.example.com/bridge": [html(b"busy", 503, **{"retry-after": "7"}), html()]}
    f = make_fetcher(site(pages, log), clock, retries=2)
    (a,) = read_inputs(["https://ledger.example.com/bridge"], ReadOptions(fetcher=f))
    assert a.status == "ok" and a.title == "Bridge reopens"
    assert clock.sleeps == [7.0]
    assert log.count("https://ledger.example.com/bridge") == 2


def test_server_errors_run_out_of_retries_and_long_retry_after_gives_up():
    clock = FakeClock()
    pages = {
        "https://a.example.com/x": [html(b"", 500), html(b"", 502), html(b"", 503)],
        "https://a.example.com/y": [html(b"", 429, **{"retry-after": "3600"})],
        "https://a.example.com/z": html(b"", 404),
    }
    f = make_fetcher(site(pages), clock, retries=2, backoff=1.0)
    arts = list(read_inputs(["https://a.example.com/x", "https://a.example.com/y", "https://a.example.com/z"],
                            ReadOptions(fetcher=f)))
    assert [a.drop_reason for a in arts] == ["fetch_failed"] * 3
    assert "HTTP 503" in arts[0].drop_detail and "Retry-After" in arts[1].drop_detail and "HTTP 404" in arts[2].drop_detail
    assert clock.sleeps == [1.0, 2.0]


def test_robots_disallow_drops_and_is_cached_per_host():
    log: list[str] = []
    robots = httpx.Response(200, text="User-agent: *\nDisallow: /private/\n\nUser-agent: Storyline\nDisallow: /no-bots/\n")
    pages = {"https://news.example.com/robots.txt": robots, "https://news.example.com/public/a": html()}
    opts = ReadOptions(fetcher=make_fetcher(site(pages, log)))
    urls = ["https://news.example.com/no-bots/a", "https://news.example.com/public/a", "https://news.example.com/no-bots/b"]
    arts = list(read_inputs(urls, opts))
    assert [a.drop_reason for a in arts] == ["robots_disallowed", None, "robots_disallowed"]
    assert "robots.txt" in arts[0].drop_detail
    assert log.count("https://news.example.com/robots.txt") == 1
    assert "https://news.example.com/no-bots/a" not in log


def test_robots_can_be_ignored_and_robots_failure_allows():
    pages = {"https://news.example.com/robots.txt": httpx.Response(200, text="User-agent: *\nDisallow: /\n"),
             "https://news.example.com/a": html(),
             "https://flaky.example.com/robots.txt": httpx.ConnectError("boom"),
             "https://flaky.example.com/a": html()}
    f = make_fetcher(site(pages), respect_robots=False)
    assert f.fetch("https://news.example.com/a").status == 200
    g = make_fetcher(site(pages))
    assert g.fetch("https://flaky.example.com/a").status == 200
    with pytest.raises(FetchError) as err:
        g.fetch("https://news.example.com/a")
    assert err.value.reason == "robots_disallowed"


def test_rate_limit_spaces_requests_per_host():
    clock = FakeClock()
    pages = {f"https://{h}.example.com/{i}": html() for h in ("a", "b") for i in range(3)}
    f = make_fetcher(site(pages), clock, rate_limit_per_host=2.0, respect_robots=False)
    started: list[tuple[str, float]] = []
    for url in ["https://a.example.com/0", "https://a.example.com/1", "https://b.example.com/0", "https://a.example.com/2"]:
        f.fetch(url)
        started.append((url.split("/")[2], clock.now))
    a_times = [t for h, t in started if h == "a"]
    assert all(later - earlier >= 2.0 for earlier, later in zip(a_times, a_times[1:]))
    assert clock.sleeps == [2.0, 2.0]  # b.example.com did not wait for a.example.com


def test_crawl_delay_in_robots_raises_the_pace():
    clock = FakeClock()
    pages = {"https://slow.example.com/robots.txt": httpx.Response(200, text="User-agent: *\nCrawl-delay: 5\n"),
             "https://slow.example.com/1": html(), "https://slow.example.com/2": html()}
    f = make_fetcher(site(pages), clock, rate_limit_per_host=1.0)
    f.fetch("https://slow.example.com/1")
    f.fetch("https://slow.example.com/2")
    assert clock.sleeps[-1] == 5.0


def test_redirects_are_followed_and_too_large_bodies_dropped():
    pages = {"https://e.example.com/old": httpx.Response(301, headers={"location": "/new"}),
             "https://e.example.com/new": html(),
             "https://e.example.com/big": html(b"x" * 5000)}
    opts = ReadOptions(fetcher=make_fetcher(site(pages), max_bytes=4000))
    moved, big = read_inputs(["https://e.example.com/old", "https://e.example.com/big"], opts)
    assert moved.status == "ok" and moved.url == "https://e.example.com/new"
    assert moved.meta["requested_url"] == "https://e.example.com/old"
    assert big.drop_reason == "too_large"


def test_url_serving_a_feed_and_a_bad_scheme():
    rss = (FIXTURES / "rss.xml").read_bytes()
    pages = {"https://ledger.example.com/feed": httpx.Response(200, content=rss, headers={"content-type": "text/xml"})}
    opts = ReadOptions(fetcher=make_fetcher(site(pages)))
    arts = list(read_inputs(["https://ledger.example.com/feed"], opts))
    assert [a.input_kind for a in arts] == ["feed"] * 4
    assert arts[0].meta["feed_url"] == "https://ledger.example.com/feed"
    with pytest.raises(FetchError) as err:
        opts.fetcher.fetch("ftp://ledger.example.com/x")
    assert err.value.reason == "unsupported"


def test_feed_follow_fetches_pages_and_falls_back_to_entry_content():
    log: list[str] = []
    pages = {
        "https://ledger.example.com/2024/01/bridge-reopens": html(),
        "https://ledger.example.com/2024/01/library-hours": httpx.ConnectError("no route to host"),
        "https://ledger.example.com/2024/01/market-day": html(),
    }
    opts = ReadOptions(follow=True, fetcher=make_fetcher(site(pages, log), retries=0))
    bridge, library, broken, market = read_inputs([str(FIXTURES / "rss.xml")], opts)
    assert bridge.status == "ok" and bridge.meta["followed"] is True
    assert "Paragraph 3: the rail bridge" in bridge.raw_text  # the page, not the feed's content
    assert bridge.title == "Old rail bridge reopens after two years of repairs"  # the feed's headline
    assert bridge.published_at.isoformat() == "2024-01-02T09:15:00+00:00" and bridge.date_method == "feed"
    assert library.status == "ok" and library.meta["content_from"] == "summary"
    assert library.meta["follow_error"].startswith("fetch_failed:") and "no route to host" in library.meta["follow_error"]
    assert broken.drop_reason == "malformed"
    assert market.status == "ok" and market.meta["followed"] is True  # link-only entry, read from its page
    assert "https://ledger.example.com/robots.txt" in log


def test_json_entry_with_only_a_url_is_followed(tmp_path):
    p = tmp_path / "links.jsonl"
    p.write_text('{"url": "https://ledger.example.com/bridge", "title": "From the export"}\n')
    opts = ReadOptions(follow=True, fetcher=make_fetcher(site({"https://ledger.example.com/bridge": html()})))
    (a,) = read_inputs([str(p)], opts)
    assert a.status == "ok" and a.title == "From the export" and "rail bridge" in a.raw_text
    (b,) = read_inputs([str(p)])  # without follow: nothing to read
    assert b.drop_reason == "empty"
