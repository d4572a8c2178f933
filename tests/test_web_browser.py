"""The web UI in a real headless Chromium (Debian's ``chromium`` package, driven by Playwright with
``executable_path``: Playwright's own browser download is never used).

Every page loads with no console error (a Content-Security-Policy violation is one), no page error and
no dialog; key elements are present; a screenshot of the story page is saved under the test's tmp
folder and copied to ``build/artifacts/``; the hostile article (see ``tests/test_web.py``) is viewed
and nothing in it runs; the report file opens on its own with no request beyond itself.

Skipped, with the reason, only when no chromium binary exists (``make test`` installs it as root).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

from storyline.store import Store
from storyline.web.app import make_server
from storyline.web.report import write_report

from test_web import SEEDS, build_db, hostile_id, seed_ids, seed_story

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "build" / "artifacts"
CHROMIUM = os.environ.get("STORYLINE_CHROMIUM") or next(
    (p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium") if p and Path(p).exists()),
    None)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout"),
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary: install Debian's chromium "
                                                "(apt-get install -y chromium; `make setup` does it as root)"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def base_url(db: Path) -> Iterator[str]:
    server = make_server(db, "127.0.0.1", 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Watched:
    """A page with everything that would mean trouble recorded: console errors, page errors, dialogs,
    requests."""

    def __init__(self, browser: Any, *, javascript: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, d: Any) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def open(self, url: str) -> Any:
        resp = self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(150)  # let anything injected have its chance to run
        return resp

    def clean(self) -> None:
        assert self.errors == [] and self.dialogs == []
        assert self.page.evaluate("typeof window.__pwned") == "undefined"

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.close()


def test_story_list_loads_and_searches(watched: Watched, base_url: str) -> None:
    resp = watched.open(f"{base_url}/")
    assert resp.status == 200
    assert watched.page.locator("table#stories tbody tr").count() >= 2
    watched.page.fill("form.search input[name=q]", "terminals")
    watched.page.click("form.search button")
    watched.page.wait_for_load_state("load")
    rows = watched.page.locator("table#stories tbody tr")
    assert rows.count() == 1 and "terminals" in rows.locator("mark").first.inner_text().lower()
    watched.clean()


def _artifact(p: Any, name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A full-page screenshot, saved under the test's tmp folder and copied to build/artifacts/."""
    shot = tmp_path_factory.mktemp("artifacts") / name
    p.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / name)
    return ARTIFACTS / name


def test_story_page_with_screenshot(watched: Watched, base_url: str, db: Path,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    sid = seed_story(db)
    seeds = seed_ids(db)
    with Store(db, readonly=True) as s:
        n = len(next(r for r in s.stories() if r["id"] == sid)["article_ids"])
        n_links = sum(1 for ln in s.reuse_links())
    watched.open(f"{base_url}/story/{sid}")
    p = watched.page
    assert p.locator("#story-title").inner_text().strip()
    assert p.locator("table#timeline tbody tr").count() == n
    assert p.locator("#provenance svg circle.node").count() == n
    assert 0 < p.locator("#provenance svg path.edge").count() <= n_links
    assert p.locator("link[rel=stylesheet]").count() == 1
    # the stylesheet applied (CSP allows 'self' styles): the graph box has its border
    assert p.eval_on_selector(".graph-scroll", "e => getComputedStyle(e).borderTopStyle") == "solid"
    # all five seeds: 000-003 in the timeline, the follow-up 004 under its storyline
    for k in ("000", "001", "002", "003"):
        assert p.locator(f"table#timeline a[href='/article/{seeds[k]}']").count() == 1, k
    assert p.locator(f"#storyline ul.members a[href='/article/{seeds['004']}']").is_visible()
    # the coverage matrix, the side-by-side view and the framing comparison are on the page
    assert p.locator("#matrix table.matrix tbody tr").count() > 0
    assert p.locator("#side-by-side table.compare tbody tr").count() > 0
    assert p.locator("#side-by-side table.compare tr.row-paraphrase, #side-by-side table.compare tr.row-exact, "
                     "#side-by-side table.compare tr.row-changed").count() > 0
    rows = p.locator("#additions-table tbody tr")
    assert rows.count() == 4
    off = p.locator(f"#version-{seeds['003']} td.add-off_topic").inner_text()
    assert int(off) >= 6
    assert p.locator("#framing table.terms").inner_text().count("communist President") == 1
    assert p.locator("#framing ul.headlines mark.distinct").count() > 0
    assert p.locator("#quote-selection tbody tr").count() == 4
    _artifact(p, "story.png", tmp_path_factory)
    # a node links to its article page
    p.click("#provenance svg a.node-link >> nth=0")
    p.wait_for_load_state("load")
    assert "/article/" in p.url and p.locator(".article-text").count() == 1
    watched.clean()


def test_article_and_side_by_side(watched: Watched, base_url: str, db: Path) -> None:
    with Store(db, readonly=True) as s:
        ln = next(ln for ln in s.reuse_links() if ln["passages"])
    watched.open(f"{base_url}/article/{ln['a']}")
    p = watched.page
    assert p.locator(".article-text .role-shared").count() > 0
    assert p.locator(".article-text del.removed[title^='removed as']").count() > 0
    p.click("table.links a:text('side by side') >> nth=0")
    p.wait_for_load_state("load")
    assert "/compare?" in p.url
    assert p.locator("table.compare tbody tr").count() > 0
    assert p.locator("table.compare tr.row-exact, table.compare tr.row-paraphrase, table.compare tr.row-changed").count() > 0
    watched.clean()


def test_compare_form_works_without_javascript(browser: Any, base_url: str, db: Path) -> None:
    w = Watched(browser, javascript=False)
    try:
        w.open(f"{base_url}/story/{seed_story(db)}")
        w.page.click("#compare-form button")
        w.page.wait_for_load_state("load")
        assert "/compare?" in w.page.url and w.page.locator("table.compare tbody tr").count() > 0
        assert w.errors == [] and w.dialogs == []
    finally:
        w.close()


def test_hostile_article_runs_nothing(watched: Watched, base_url: str, db: Path) -> None:
    hid = hostile_id(db)
    p = watched.page
    for path in (f"/article/{hid}", "/?q=harbour", "/"):
        watched.open(f"{base_url}{path}")
        assert p.evaluate("document.scripts.length") == 0
        assert p.evaluate("document.querySelectorAll('iframe, img, main style, [onerror], [onload]').length") == 0
        assert p.evaluate("[...document.links].filter(a => a.protocol === 'javascript:').length") == 0
        watched.clean()
    watched.open(f"{base_url}/article/{hid}")
    # the markup is shown as text, entities as written
    assert "<script>window.__pwned = 1</script>" in p.locator("h1").inner_text()
    body = p.locator(".article-text").inner_text()
    assert "<script>window.__pwned = 5; alert('xss')</script>" in body and "&lt;b&gt;twice&lt;/b&gt;" in body
    assert p.is_visible("main")  # the injected <style>body{display:none}</style> did not apply
    with Store(db, readonly=True) as s:
        sid = next(r["id"] for r in s.stories() if hid in r["article_ids"])
    watched.open(f"{base_url}/story/{sid}")
    assert "<svg onload" in p.locator("table#timeline").inner_text()
    watched.clean()
    assert all(u.startswith(base_url) or u.startswith("data:") for u in watched.requests)


def test_report_opens_on_its_own(watched: Watched, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "story.html"
    with Store(db, readonly=True) as s:
        write_report(s, seed_story(db), out)
    url = out.as_uri()
    watched.open(url)
    p = watched.page
    assert p.locator("table#timeline tbody tr").count() >= 2
    assert p.locator("#provenance svg circle.node").count() >= 2
    assert p.eval_on_selector(".graph-scroll", "e => getComputedStyle(e).borderTopStyle") == "solid"  # inline CSS applied
    p.click("details.article-block >> nth=0 >> summary")
    assert p.locator("details.article-block >> nth=0 >> .article-text").is_visible()
    # the comparison travels with the report: per version counts, labels, and each article's additions
    assert p.locator("#framing #additions-table tbody tr").count() == 4
    assert "communist President" in p.locator("#framing table.terms").inner_text()
    seeds = seed_ids(db)
    block = p.locator(f"#article-{seeds['003']}")
    block.locator("summary").click()
    assert block.locator(".article-text .role-off_topic").count() >= 6
    assert "protest" in block.locator(".omissions-section").inner_text().lower()
    assert p.locator("#side-by-side table.compare tbody tr").count() > 0
    watched.clean()
    assert [u for u in watched.requests if u != url and not u.startswith("data:")] == []


def test_article_pages_show_the_comparison(watched: Watched, base_url: str, db: Path,
                                           tmp_path_factory: pytest.TempPathFactory) -> None:
    seeds = seed_ids(db)
    p = watched.page
    watched.open(f"{base_url}/article/{seeds['003']}")
    # 003's padding about other subjects is off topic, the reason on hover
    off = p.locator(".article-text .role-off_topic")
    assert off.count() >= 6
    text = " ".join(off.all_inner_texts())
    for needle in ("tariffs", "Iran nuclear deal", "TikTok into a formal partnership", "metal sectors"):
        assert needle in text, needle
    assert off.first.get_attribute("title").startswith("off topic: cosine")
    # coloured: the off-topic background is not the new-fact one
    bg = lambda sel: p.eval_on_selector(sel, "e => getComputedStyle(e).backgroundColor")  # noqa: E731
    assert bg(".article-text .role-off_topic") != bg(".article-text .role-new_fact") != "rgba(0, 0, 0, 0)"
    # its loaded labels are listed
    assert "communist President" in p.locator("#loaded-terms .labels").inner_text()
    assert p.locator(".article-text .role-loaded").count() > 0
    # it omits the campus-protest remarks that 000-002 carry, with links to them
    om = p.locator("#omissions li").filter(has_text=re.compile("protest|antisemit", re.I))
    assert om.count() >= 1
    hrefs = {om.nth(i).locator("a").nth(j).get_attribute("href") for i in range(om.count())
             for j in range(om.nth(i).locator("a").count())}
    assert {f"/article/{seeds[k]}" for k in ("000", "001", "002")} <= hrefs
    # the legend names every role shown
    legend = p.locator("dl.legend.roles").inner_text()
    for role in ("shared", "new fact", "off topic", "quote", "loaded term", "removed"):
        assert role in legend, role
    _artifact(p, "article-003.png", tmp_path_factory)
    watched.clean()
    # 001's editor's note and 000's generic analysis sections are commentary
    watched.open(f"{base_url}/article/{seeds['001']}")
    comm = " ".join(p.locator(".article-text .role-commentary").all_inner_texts())
    assert "Editor's P/S" in comm and "well-founded" in comm
    watched.open(f"{base_url}/article/{seeds['000']}")
    comm = " ".join(p.locator(".article-text .role-commentary").all_inner_texts())
    assert "Geopolitical Implications" in comm and "Conclusion" in comm
    assert p.locator(".article-text .role-off_topic").count() == 0
    watched.clean()
