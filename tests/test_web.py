"""The web UI without a browser: routes, headers, escaping, views, the report and the CLI commands.

One database is built per module from the seeds plus a hostile article (script tags, ``onerror``
attributes, ``javascript:`` links, HTML entities, markup in its title, outlet and URL);
``tests/test_web_browser.py`` reuses :func:`build_db` and views the same pages in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from storyline.cli import cli, diff_rows
from storyline.compare import cached_comparisons, compare_story
from storyline.model import Article, Removal
from storyline.pipeline import Pipeline
from storyline.store import Store
from storyline.web import views
from storyline.web.app import CSP, StorylineApp, make_server
from storyline.web.report import md_escape, render_report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")

#: Each payload sets window.__pwned if it ever runs; the browser test checks it stays unset.
HOSTILE = {
    "title": 'Harbour <script>window.__pwned = 1</script> strike <img src=x onerror="window.__pwned=2">',
    "url": "javascript:window.__pwned=3",
    "source": '<svg onload="window.__pwned=4">Evil Wire',
    "published": "2024-08-02T09:00:00Z",
    "text": (
        "Dock workers in the port walked out on Monday, the union said in a statement. "
        "<script>window.__pwned = 5; alert('xss')</script>\n\n"
        "The strike closed three terminals and left forty ships waiting offshore, officials said. "
        '<img src=x onerror="window.__pwned=6"> Read more at <a href="javascript:window.__pwned=7">this link</a>.\n\n'
        "Union leaders said wages had not kept pace with prices &amp; that talks had broken down "
        '&lt;b&gt;twice&lt;/b&gt; this year. <iframe src="javascript:window.__pwned=8"></iframe> '
        "<style>body{display:none}</style>\n\n"
        "The port authority said it hoped to reopen the terminals by the end of the week and that talks "
        "would resume on Wednesday."
    ),
}


def build_db(tmp: Path) -> Path:
    """The seeds and the hostile article in one database (reuse, stories, quotes and claims on)."""
    src = tmp / "hostile.json"
    src.write_text(json.dumps(HOSTILE), encoding="utf-8")
    db = tmp / "web.db"
    with Store(db) as s:
        Pipeline(s, reuse=True, stories=True, quotes=True).add([str(SEEDS), str(src)])
    return db


def hostile_id(db: Path) -> str:
    with Store(db, readonly=True) as s:
        return next(a.id for a in s.list_articles() if "Harbour" in (a.title or ""))


def seed_ids(db: Path) -> dict[str, str]:
    """Seed article ids by file number ("000" ... "004")."""
    with Store(db, readonly=True) as s:
        return {Path(a.path).name[:3]: a.id for a in s.list_articles() if a.path and Path(a.path).parent == SEEDS}


def seed_story(db: Path) -> str:
    """The story holding the most seed articles."""
    with Store(db, readonly=True) as s:
        return max(s.stories(), key=lambda r: (len(r["article_ids"]), r["id"]))["id"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def app(db: Path) -> StorylineApp:
    return StorylineApp(db)


def get(app: StorylineApp, path: str, query: str = "", method: str = "GET") -> tuple[int, dict[str, str], str]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query}, start_response))
    return seen["status"], seen["headers"], body.decode("utf-8")


# --------------------------------------------------------------------------- routes and headers


def test_pages_answer_with_a_strict_csp(app: StorylineApp, db: Path) -> None:
    sid, hid = seed_story(db), hostile_id(db)
    for path, query in [("/", ""), ("/", "q=Blinken"), (f"/story/{sid}", ""), (f"/article/{hid}", ""),
                        ("/static/style.css", "")]:
        status, headers, body = get(app, path, query)
        assert status == 200, (path, body[-500:])
        assert headers["Content-Security-Policy"] == CSP
        assert "script-src" not in CSP and "default-src 'none'" in CSP  # no script source at all
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert int(headers["Content-Length"]) == len(body.encode("utf-8"))
    assert get(app, "/static/style.css")[1]["Content-Type"].startswith("text/css")


def test_errors_are_pages_with_status(app: StorylineApp) -> None:
    assert get(app, "/story/S999999")[0] == 404
    assert "no story" in get(app, "/story/S999999")[2]
    assert get(app, "/article/ffffffffffffffff")[0] == 404
    assert get(app, "/nowhere")[0] == 404
    assert get(app, "/static/../../etc/passwd")[0] == 404
    assert get(app, "/static/nothing.css")[0] == 404
    assert get(app, "/", "min_size=lots")[0] == 400
    assert get(app, "/", "since=yesterday")[0] == 400
    assert get(app, "/compare", "a=&b=")[0] == 400
    status, headers, _ = get(app, "/", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"
    status, _, body = get(app, "/", method="HEAD")
    assert status == 200 and body == ""


# --------------------------------------------------------------------------- the story list


def test_story_list_search_and_filters(app: StorylineApp, db: Path) -> None:
    with Store(db, readonly=True) as s:
        every = views.story_list(s)
        assert every.total == len(s.stories())
        hits = views.story_list(s, query="terminals strike")
        assert len(hits.rows) == 1 and "Harbour" in hits.rows[0].title
        assert any(matched for _, matched in hits.rows[0].snippet)
        assert views.story_list(s, query="zzzqqxnothing").total == 0
        evil = next(k for k, name, _ in s.sources() if "Evil" in (name or ""))
        only = views.story_list(s, outlet=evil)
        assert [r.title for r in only.rows] == [hits.rows[0].title]
        big = views.story_list(s, min_size=3)
        assert big.rows and all(r.versions >= 3 for r in big.rows)
        assert views.story_list(s, min_size=99).total == 0
        # the hostile article is dated 2024-08-02: a story list since the 3rd leaves it out
        later = views.story_list(s, since="2024-08-03")
        assert all("Harbour" not in (r.title or "") for r in later.rows)
        assert any("Harbour" in (r.title or "") for r in views.story_list(s, since="2024-08-02").rows)
        assert all("Harbour" not in (r.title or "") for r in views.story_list(s, until="2024-08-01").rows)
    status, _, body = get(app, "/", "q=terminals")
    assert status == 200 and "<mark>terminals</mark>" in body


def test_story_sizes_fold_copies(tmp_path: Path) -> None:
    ids = ["a", "b", "c"]
    links = [{"a": "a", "b": "b", "kind": "duplicate"}, {"a": "b", "b": "c", "kind": "rewrite"}]
    assert views.fold_groups(ids, links) == [["a", "b"], ["c"]]
    meta = {i: views.ArticleMeta(i, src, None, None, day, None) for i, src, day in
            [("a", "X", "2024-01-02T00:00:00+00:00"), ("b", "Y", "2024-01-01T00:00:00+00:00"), ("c", "X", None)]}
    # the copy group counts once, for its earliest article's outlet (b: Y)
    assert views.folded_outlets(views.fold_groups(ids, links), meta) == [("X", 1), ("Y", 1)]


# --------------------------------------------------------------------------- the story page


def test_story_page_timeline_graph_and_links(app: StorylineApp, db: Path) -> None:
    sid = seed_story(db)
    with Store(db, readonly=True) as s:
        page = views.story_page(s, sid.lower())  # ids are case-insensitive
        rec = next(r for r in s.stories() if r["id"] == sid)
        links = [ln for ln in s.reuse_links() if ln["a"] in rec["article_ids"] and ln["b"] in rec["article_ids"]]
    assert page.id == sid and {t.article.id for t in page.timeline} == set(rec["article_ids"])
    assert [t.n for t in page.timeline] == list(range(1, len(page.timeline) + 1))
    assert len(page.graph.nodes) == len(page.timeline) and len(page.graph.edges) == len(links)
    assert all(t.link in views.LINK_ORDER or t.link == "independent" for t in page.timeline)
    status, _, body = get(app, f"/story/{sid}")
    assert status == 200
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert svg.count("<circle") == len(page.timeline) and svg.count('class="edge') == len(links)
    assert 'id="timeline"' in body and 'action="/compare"' in body


def test_graph_draws_direction_and_caps_edges() -> None:
    def row(n: int, aid: str, outlet: str) -> views.TimelineRow:
        return views.TimelineRow(n, views.ArticleMeta(aid, outlet, None, f"t{n}", None, None), "rewrite", n, 1)

    tl = [row(1, "a", "X"), row(2, "b", "Y"), row(3, "c", "X")]
    links = [{"a": "a", "b": "b", "kind": "duplicate", "direction": "b->a", "scores": {"aligned_share": 0.9}},
             {"a": "a", "b": "c", "kind": "rewrite", "direction": None, "scores": {"aligned_share": 0.2}}]
    g = views.provenance_graph(tl, links)
    assert len(g.lanes) == 2 and [n.label for n in g.nodes] == ["1", "2", "3"]
    d = next(e for e in g.edges if e.kind == "duplicate")
    assert d.directed and (d.a, d.b) == ("b", "a") and "#2 → #1" in d.tip
    assert not next(e for e in g.edges if e.kind == "rewrite").directed
    many = [row(i + 1, f"{i:03d}", "X") for i in range(40)]
    dense = [{"a": f"{i:03d}", "b": f"{j:03d}", "kind": "rewrite", "direction": None,
              "scores": {"aligned_share": (i * 40 + j) / 1600}} for i in range(40) for j in range(i + 1, 40)]
    g = views.provenance_graph(many, dense)
    assert len(g.edges) + g.hidden_edges == len(dense) and len(g.edges) <= 40


def test_storyline_neighbours_shown(app: StorylineApp, db: Path) -> None:
    with Store(db, readonly=True) as s:
        lined = [r for r in s.stories() if r["storyline_id"]]
        if len(lined) < 2:
            pytest.skip("the clusterer put no two stories of this database in one storyline")
        page = views.story_page(s, lined[0]["id"])
    others = {r["id"] for r in lined if r["storyline_id"] == lined[0]["storyline_id"]} - {lined[0]["id"]}
    assert {nb.id for nb in page.neighbours} == others
    body = get(app, f"/story/{lined[0]['id']}")[2]
    assert 'id="storyline"' in body and all(f"/story/{o}" in body for o in others)


# --------------------------------------------------------------------------- the article page


def test_article_segments_keep_text_and_removals() -> None:
    raw = "Site Name\nHeadline here\n\nFirst para line.\nShare this\nSecond para.\n"
    text = "Headline here\n\nFirst para line.\nSecond para."
    a = Article(id="x", raw_text=raw, text=text, removed=[
        Removal(start=0, end=9, text="Site Name", reason="site_name"),
        Removal(start=41, end=51, text="Share this", reason="social_prompt")])
    marks = [(15, 25, "shared", "match-exact", "shared with Y")]
    segs = views.text_segments(a, marks)
    kept = "".join(s.text for s in segs if not s.removed)
    removed = [s for s in segs if s.removed]
    assert [(s.text, s.tip) for s in removed] == [("Site Name", "removed as site name"),
                                                   ("Share this", "removed as social prompt")]
    # the clean text survives in order (a removal adds one line break where it stood)
    assert kept.replace("\n", "") == text.replace("\n", "")
    # the removals stand where they were in the original
    order = [s.text for s in segs if s.text.strip()]
    assert order.index("Site Name") < order.index("Headline here") and order.index("Share this") < order.index("Second para.")
    shared = [s for s in segs if "shared" in s.roles]
    assert [s.text for s in shared] == ["First para"] and shared[0].tip == "shared with Y"


def test_article_page_escapes_everything(app: StorylineApp, db: Path) -> None:
    hid = hostile_id(db)
    status, _, body = get(app, f"/article/{hid}")
    assert status == 200
    main = body[body.index("<main>"):]
    assert "<script" not in body and "<iframe" not in main and "<img" not in main and "<style>" not in main
    assert not re.search(r"<[^>]+\son\w+=", body)  # no event handler attribute anywhere
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', body))
    assert "&lt;script&gt;window.__pwned = 5" in body
    assert "&amp;lt;b&amp;gt;twice" in body  # entities are shown as written, not decoded
    for path in ("/", f"/story/{seed_story(db)}", "/?q=harbour"):
        page = get(app, path)[2]
        assert "<script" not in page and not re.search(r"<[^>]+\son\w+=", page)


def test_article_url_must_be_http(tmp_path: Path) -> None:
    db = tmp_path / "one.db"
    text = "A short report about the harbour strike and the talks that follow it."
    with Store(db) as s:
        s.add_articles([Article(id="0123456789abcdef", url="javascript:window.__pwned=9", title="T",
                                raw_text=text, text=text, sentences=[(0, len(text))])])
    body = get(StorylineApp(db), "/article/0123456789abcdef")[2]
    assert "javascript:window.__pwned=9" in body  # shown as text
    assert 'href="javascript' not in body


def test_article_page_colours_shared_spans(app: StorylineApp, db: Path) -> None:
    with Store(db, readonly=True) as s:
        linked = next(ln for ln in s.reuse_links() if ln["passages"])
        page = views.article_page(s, linked["a"])
        a = s.get_article(linked["a"])
    assert "shared" in page.roles and page.links and 0 < page.shared_share <= 1
    spans = {(p["a_start"], p["a_end"]) for p in linked["passages"]}
    shared_text = "".join(seg.text for seg in page.segments if "shared" in seg.roles)
    assert a.text[min(spans)[0]:min(spans)[1]] in shared_text
    assert all(seg.css.count("match-") == 1 for seg in page.segments if "shared" in seg.roles)
    body = get(app, f"/article/{linked['a']}")[2]
    assert 'class="role-shared match-' in body and '<del class="removed" title="removed as' in body


def test_safe_url() -> None:
    assert views.safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>", "//evil", "http://x\"onmouseover=1", None):
        assert views.safe_url(bad) is None


# --------------------------------------------------------------------------- side by side


def test_compare_rows_follow_diff_rows(app: StorylineApp, db: Path) -> None:
    with Store(db, readonly=True) as s:
        ln = next(ln for ln in s.reuse_links() if ln["passages"])
        page = views.compare_page(s, ln["b"], ln["a"])  # stored as (a, b): seen swapped
        a, b = s.get_article(ln["b"]), s.get_article(ln["a"])
        passages, _, _, stored = views.pair_passages(s, a, b)
    assert stored and page.kind == ln["kind"]
    expect = diff_rows(a.text, b.text, passages)
    assert [r.kind for r in page.rows] == [k for k, _, _ in expect]
    for r, (_, ta, tb) in zip(page.rows, expect):
        assert "".join(p.text for p in r.a) == ta and "".join(p.text for p in r.b) == tb
    assert any(p.changed for r in page.rows if r.kind == "changed" for p in r.a + r.b) or \
        not any(r.kind == "changed" for r in page.rows)
    status, _, body = get(app, "/compare", f"a={ln['b']}&b={ln['a']}")
    assert status == 200 and body.count('<tr class="row-') == len(page.rows)


def test_compare_same_article_is_bad_request(app: StorylineApp, db: Path) -> None:
    hid = hostile_id(db)
    assert get(app, "/compare", f"a={hid}&b={hid}")[0] == 400


# --------------------------------------------------------------------------- report


def test_report_html_is_self_contained(db: Path) -> None:
    sid = seed_story(db)
    with Store(db, readonly=True) as s:
        html = render_report(s, sid)
        again = render_report(s, sid)
        n = len(next(r for r in s.stories() if r["id"] == sid)["article_ids"])
    assert html == again  # deterministic
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert f"sha256-{digest}" in csp and "default-src &#39;none&#39;" in csp
    # nothing to fetch: no stylesheet link, no src, every href inside the file or a plain web link
    assert 'rel="stylesheet"' not in html and " src=" not in html
    assert all(h.startswith("#") or h == "data:," or h.startswith("http") for h in re.findall(r'href="([^"]*)"', html))
    assert html.count('<details class="article-block"') == n
    assert "<svg" in html and 'id="timeline"' in html


def test_report_markdown_escapes(db: Path) -> None:
    with Store(db, readonly=True) as s:
        sid = next(r["id"] for r in s.stories() if "Harbour" in (r["title"] or ""))
        md = render_report(s, sid, "md")
    assert md.startswith("# Harbour \\<script\\>")
    assert not re.search(r"(?<!\\)[<>]", md)  # every angle bracket escaped
    assert md_escape("[x](javascript:y) | *b*\nnext") == "\\[x\\](javascript:y) \\| \\*b\\* next"


def test_report_cli(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "story.html"
    sid = seed_story(db)
    r = CliRunner().invoke(cli, ["--db", str(db), "report", sid, "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    r = CliRunner().invoke(cli, ["--db", str(db), "report", sid, "--format", "md"], catch_exceptions=False)
    assert r.exit_code == 0 and r.output.startswith("# ")
    r = CliRunner().invoke(cli, ["--db", str(db), "report", "S999999"])
    assert r.exit_code == 2 and "no story" in r.output


# --------------------------------------------------------------------------- the server


def test_server_answers_over_http(db: Path) -> None:
    server = make_server(db, "127.0.0.1", 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(f"{base}/", timeout=10) as resp:  # noqa: S310 (loopback only)
            assert resp.status == 200 and resp.headers["Content-Security-Policy"] == CSP
            assert b'id="stories"' in resp.read()
    finally:
        server.shutdown()
        server.server_close()


def test_serve_needs_a_database(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), "serve", "--port", "0"])
    assert r.exit_code == 2 and "no database" in r.output


def test_story_page_coverage_matrix_and_quotes_by_speaker(app: StorylineApp, db: Path) -> None:
    sid = seed_story(db)
    with Store(db, readonly=True) as s:
        page = views.story_page(s, sid)
        page_ids = [t.article.id for t in page.timeline]
        n_claims = len([c for c in s.claims(page_ids) if any(st.article_id in page_ids for st in c.stances)])
    assert page.matrix is not None and len(page.matrix["columns"]) == len(page.timeline)
    assert len(page.matrix["rows"]) == min(15, n_claims)
    top = page.matrix["rows"][0]
    assert sum(c["stance"] != "none" for c in top["cells"]) >= 3  # the most widely carried claim first
    assert any(c["stance"] == "denies" for r in page.matrix["rows"] for c in r["cells"])
    speakers = [q["speaker"] for q in page.quotes_by_speaker]
    assert speakers and any("Blinken" in sp for sp in speakers[:2])
    status, _, body = get(app, f"/story/{sid}")
    assert status == 200 and 'id="matrix"' in body and 'id="quotes"' in body and "stance-denies" in body
    # only the speakers' own words go in quotation marks; a report of them is marked as one
    shown = [q for sp in page.quotes_by_speaker for q in sp["quotes"]]
    assert any(q["verbatim"] for q in shown) and any(not q["verbatim"] for q in shown)
    section = body[body.index('id="quotes"'):]
    section = section[:section.index("</section>")]
    assert section.count("<q>") == sum(q["verbatim"] for q in shown)
    assert section.count("(reported)") == sum(not q["verbatim"] for q in shown)


# --------------------------------------------------------------------------- comparisons (issue 7)


@pytest.fixture(scope="module")
def compared(db: Path) -> dict[str, str]:
    """The seed story's comparison computed and cached once; the seed ids by file number."""
    with Store(db) as s:
        compare_story(s, seed_story(db))
    return seed_ids(db)


def _role_text(page: views.ArticlePage, role: str) -> str:
    return "".join(seg.text for seg in page.segments if role in seg.roles)


def test_article_page_colours_additions_with_reasons(app: StorylineApp, db: Path, compared: dict[str, str]) -> None:
    with Store(db, readonly=True) as s:
        p3 = views.article_page(s, compared["003"])
        p1 = views.article_page(s, compared["001"])
        p0 = views.article_page(s, compared["000"])
    # 003's padding about other subjects is off topic, its reporting on the visit is not
    off = _role_text(p3, "off_topic")
    for needle in ("tariffs", "Iran nuclear deal", "metal sectors", "TikTok into a formal partnership"):
        assert needle in off, needle
    assert "three-day visit" not in off and "three-day visit" in _role_text(p3, "new_fact") + _role_text(p3, "shared")
    assert all(seg.tip.startswith("off topic: cosine") or "off topic" in seg.tip
               for seg in p3.segments if "off_topic" in seg.roles)
    assert {"shared", "new_fact", "off_topic", "quote", "loaded", "removed"} <= set(p3.roles)
    # 001's editor's note and 000's generic analysis sections are commentary
    assert "Editor's P/S" in _role_text(p1, "commentary") and "is alarming" in _role_text(p1, "commentary")
    comm0 = _role_text(p0, "commentary")
    assert "Geopolitical Implications" in comm0 and "Conclusion" in comm0 and "delicate balance" in comm0
    assert "Chinese support is helping Russia" not in _role_text(p1, "commentary")
    assert not _role_text(p0, "off_topic")
    # the additions list says why
    assert [a["kind"] for a in p3.additions].count("off_topic") >= 6
    assert all(a["reason"].startswith(a["kind"].replace("_", " ")) for a in p3.additions + p1.additions)
    body = get(app, f"/article/{compared['003']}")[2]
    assert 'class="role-off_topic" title="off topic: cosine' in body
    legend = body[body.index('class="legend roles"'):body.index('id="text"')]
    for role in ("shared", "new fact", "off topic", "quote", "loaded term", "removed"):
        assert f">{role}</span>" in legend, role
    assert "padding about other subjects" in legend  # the legend explains each role


def test_article_page_lists_labels_and_omissions(app: StorylineApp, db: Path, compared: dict[str, str]) -> None:
    with Store(db, readonly=True) as s:
        p3 = views.article_page(s, compared["003"])
        p2 = views.article_page(s, compared["002"])
    labels = [t["text"] for t in p3.loaded_terms if t["kind"] == "actor_label"]
    assert "communist President" in labels
    assert "regime" in [t["text"] for t in p3.loaded_terms]
    assert p3.versions == 4
    campus = [o for o in p3.omissions if "protest" in o["text"].lower() or "antisemit" in o["text"].lower()]
    assert campus
    carriers = {aid for o in campus for aid, _ in o["carried_by"]}
    assert carriers == {compared["000"], compared["001"], compared["002"]}
    assert not [o for o in p2.omissions if "antisemit" in o["text"].lower()]  # 002 carries the remarks
    body = get(app, f"/article/{compared['003']}")[2]
    section = body[body.index('id="loaded-terms"'):]
    assert "Labels applied to actors" in section and "communist President" in section
    om = body[body.index('id="omissions"'):body.index('id="loaded-terms"')]
    assert "protest" in om.lower() and all(f"/article/{compared[k]}" in om for k in ("000", "001", "002"))


def test_story_page_compares_framing(app: StorylineApp, db: Path, compared: dict[str, str]) -> None:
    sid = seed_story(db)
    with Store(db, readonly=True) as s:
        page = views.story_page(s, sid)
        comps = {c.article_id: c for c in compare_story(s, sid)}  # read back from the cache
    f = page.framing
    assert f is not None and {v.article.id for v in f.versions} == {compared[k] for k in ("000", "001", "002", "003")}
    for v in f.versions:
        c = comps[v.article.id]
        assert v.shared == len(c.shared)
        assert sum(v.additions.values()) == len(c.additions) and v.omitted == len(c.omissions)
        assert "".join(t for t, _ in v.headline) == (v.article.title or "").strip()
    by_id = {v.article.id: v for v in f.versions}
    assert by_id[compared["003"]].additions["off_topic"] >= 6 and by_id[compared["000"]].additions["commentary"] >= 4
    assert "communist President" in by_id[compared["003"]].labels
    term = next(t for t in f.terms if t["text"] == "communist President")
    assert term["kind"] == "actor_label" and term["outlets"] == ["The Gateway Pundit"]
    assert f.terms[0]["kind"] == "actor_label"  # labels applied to actors first
    # each version's quotes: counts add up to the story's quotes
    with Store(db, readonly=True) as s:
        assert sum(v.quotes for v in f.versions) == len(s.quotes(list(by_id)))
    # headline differences: words no other headline uses are marked
    h3 = dict((t, m) for t, m in by_id[compared["003"]].headline)
    assert h3.get("Communist") == "distinct" and h3.get("Blinken") in ("", None)
    assert page.side_by_side is not None and page.side_by_side.rows
    status, _, body = get(app, f"/story/{sid}")
    assert status == 200
    for anchor in ('id="framing"', 'id="additions-table"', 'id="headlines"', 'id="labels"', 'id="quote-selection"',
                   'id="side-by-side"', 'id="matrix"', 'id="provenance"', 'id="timeline"'):
        assert anchor in body, anchor
    assert '<mark class="distinct">Communist</mark>' in body


def test_story_page_shows_the_follow_up_under_its_storyline(app: StorylineApp, db: Path, compared: dict[str, str]) -> None:
    body = get(app, f"/story/{seed_story(db)}")[2]
    for k in ("000", "001", "002", "003", "004"):
        assert f'href="/article/{compared[k]}"' in body, k
    line = body[body.index('id="storyline"'):]
    assert f'href="/article/{compared["004"]}"' in line


def test_comparisons_are_computed_once_and_cached(db: Path, tmp_path: Path, compared: dict[str, str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import storyline.compare as compare_mod

    copy = tmp_path / "copy.db"
    with Store(db) as s:  # a consistent copy (WAL checkpointed)
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(db, copy)
    sid = seed_story(db)
    app = StorylineApp(copy)
    with Store(copy) as s:
        s.forget_comparisons()
        assert cached_comparisons(s, sid) is None
    assert get(app, f"/story/{sid}")[0] == 200  # the first view computes and caches
    with Store(copy, readonly=True) as s:
        run = s.comparison_run(sid)
        cached = cached_comparisons(s, sid)
    assert run is not None and run["versions"] == 4 and cached is not None and len(cached) == 4

    def boom(*a: Any, **k: Any) -> Any:
        raise AssertionError("recomputed a fresh cache")

    monkeypatch.setattr(compare_mod, "_compute_story", boom)
    assert get(app, f"/story/{sid}")[0] == 200
    assert get(app, f"/article/{compared['003']}")[0] == 200
    with Store(copy) as s:
        again = compare_story(s, sid)
        assert [c.record() for c in again] == [compare_mod.Comparison.from_record(sid, r).record() for r in cached]
        # the export reads the cache too
        from storyline.store import export

        import io
        buf = io.StringIO()
        export(s, "json", buf)
        assert len(json.loads(buf.getvalue())["comparisons"]) == 4
        # the story's article set changes: the key changes and the run is stale
        s.conn.execute("DELETE FROM story_articles WHERE story_id = ? AND article_id = ?", (sid, compared["003"]))
        assert cached_comparisons(s, sid) is None
    monkeypatch.undo()
    with Store(copy) as s:
        assert {c.article_id for c in compare_story(s, sid)} == {compared[k] for k in ("000", "001", "002")}
        assert s.comparison_run(sid)["versions"] == 3


def test_comparison_text_is_escaped(db: Path) -> None:
    hid = hostile_id(db)
    evil = '<script>window.__pwned = 9</script><img src=x onerror="window.__pwned=10">'
    rec = {"article_id": hid, "additions": [{"start": 0, "end": 10, "text": evil, "kind": "commentary",
                                             "evidence": {"section": "commentary heading"}}],
           "omissions": [{"kind": "quote", "text": evil, "ref": {"article_id": hid, "carried_by": [hid],
                                                                 "speaker": evil}}],
           "loaded_terms": [{"start": 0, "end": 4, "text": evil, "kind": "actor_label", "weight": 1.0}],
           "shared": [], "extra": {"headline_terms": [], "counts": {"shared": 0, "additions": {"commentary": 1},
                                                                  "omissions": {"quote": 1}}}}
    from storyline.web.app import server_href
    from storyline.web.render import render

    with Store(db, readonly=True) as s:
        page = views.article_page(s, hid, comparisons={hid: rec})
        sid = next(r["id"] for r in s.stories() if hid in r["article_ids"])
        story = views.story_page(s, sid, comparisons={hid: rec})
    assert page.additions and page.omissions and page.loaded_terms and story.framing is not None
    for html in (render("article.html", server_href, p=page), render("story.html", server_href, s=story)):
        assert "<script" not in html and "<img" not in html and not re.search(r"<[^>]+\son\w+=", html)
    assert "&lt;script&gt;window.__pwned = 9" in render("article.html", server_href, p=page)


def test_report_carries_the_comparison(db: Path, compared: dict[str, str]) -> None:
    sid = seed_story(db)
    with Store(db, readonly=True) as s:
        html = render_report(s, sid)
        md = render_report(s, sid, "md")
    assert 'id="framing"' in html and html.count('class="additions-section"') == 4
    assert html.count('class="omissions-section"') == 4 and "communist President" in html
    assert f'id="{compared["003"]}-additions"' in html  # ids stay unique in one file
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)
    assert "## How each version tells it" in md and "### Labels and loaded terms" in md
    part = md[md.index("### #"):]
    assert "*off topic*" in part and "*commentary*" in part and "Omits" in part
    assert "Labels applied to actors: communist President" in md
    assert re.search(r"\*claim\*: [^\n]*anti-?semit", md, re.I)  # the campus-protest remarks 003 omits


def test_report_over_a_read_only_store_computes_without_caching(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "ro.db"
    with Store(db) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(db, copy)
    sid = seed_story(db)
    with Store(copy) as s:
        s.forget_comparisons()
    with Store(copy, readonly=True) as s:
        html = render_report(s, sid)
        assert s.comparison_run(sid) is None
    assert html.count('class="additions-section"') == 4


def test_pages_render_when_the_comparison_cannot_be_computed(db: Path, tmp_path: Path, compared: dict[str, str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import storyline.compare as compare_mod

    copy = tmp_path / "broken.db"
    with Store(db) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(db, copy)
    with Store(copy) as s:
        s.forget_comparisons()

    def broken(*a: Any, **k: Any) -> Any:
        raise RuntimeError("no model here")

    monkeypatch.setattr(compare_mod, "_compute_story", broken)
    app = StorylineApp(copy)
    status, _, body = get(app, f"/story/{seed_story(db)}")
    assert status == 200 and 'id="timeline"' in body and 'id="framing"' not in body
    status, _, body = get(app, f"/article/{compared['003']}")
    assert status == 200 and 'class="article-text"' in body and 'id="additions"' not in body


def test_a_same_day_copy_comes_after_its_source_in_the_timeline() -> None:
    """Two articles dated the same day, the link saying the second was copied from the first: the
    source is listed first whatever the ids' order; different days keep their dates' order."""
    when = {"a": (0, 100.0), "b": (0, 100.0), "c": (0, 50.0)}
    links = [{"a": "a", "b": "b", "kind": "partial_reuse", "direction": "b->a"},
             {"a": "a", "b": "c", "kind": "partial_reuse", "direction": "b->a"}]
    assert views._sources_first(["c", "a", "b"], links, when) == ["c", "b", "a"]
    assert views._sources_first(["c", "a", "b"], links[1:], when) == ["c", "a", "b"]
