"""The structured readers: HTML, JSON / JSONL, RSS / Atom, WARC (no network)."""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from storyline.ingest import ReadOptions, read_html, read_inputs
from storyline.model import Article, Removal

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
UTC = timezone.utc


def paragraphs(n: int, topic: str = "harbour") -> str:
    return "".join(
        f"<p>Paragraph {i} about the {topic}: the council met again on Tuesday and talked about the quay, "
        f"the ferry berth and the cost of the works for the town.</p>"
        for i in range(n)
    )


def page(title: str, body: str, *, head: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{title}</h1>{body}"
        f"</article><footer>Contact us</footer></body></html>"
    ).encode("utf-8")


# --- HTML -------------------------------------------------------------------------------------


def test_html_file_metadata_and_paragraphs():
    (a,) = read_inputs([str(FIXTURES / "page.html")])
    assert a.status == "ok" and a.input_kind == "html"
    assert a.title == "Harbour plan approved after long debate"
    assert a.byline == "Ana Ruiz"
    assert a.source == "Coastline Gazette"
    assert a.meta["canonical_url"] == "https://gazette.example.org/news/harbour-plan"
    assert a.url == "https://gazette.example.org/news/harbour-plan"
    assert a.published_at == datetime(2023, 5, 4, 8, 30, tzinfo=UTC)
    assert (a.date_precision, a.date_method) == ("second", "html_meta")
    paras = a.raw_text.split("\n\n")
    assert any(p.startswith("The town council voted on Tuesday") for p in paras)
    assert "Subscribe" not in a.raw_text and "All rights reserved" not in a.raw_text
    assert a.text == a.raw_text


def test_read_html_with_url_uses_hostname_and_text_heuristics():
    html = page("Ferry berth opens", "<p>HARBOURTOWN (XP) — The new ferry berth opened on Monday morning.</p>" + paragraphs(3))
    a = read_html(html, url="https://www.isles.example.com/ferry", path=None)
    assert a.status == "ok" and a.url == "https://www.isles.example.com/ferry"
    assert a.source == "isles.example.com" and a.meta["source_method"] == "hostname"
    assert a.meta["wire"] == "XP"  # found in the text, kept aside: the page's host is the outlet


def test_read_html_declared_legacy_charset():
    html = ("<html><head><meta charset='windows-1252'><title>Caf\u00e9 news</title></head><body><article>"
            "<p>The caf\u00e9 on the quay reopened with \u201cnew\u201d owners, who said the menu would change soon.</p>"
            + paragraphs(2) + "</article></body></html>").encode("cp1252")
    a = read_html(html, url=None, path="x.html")
    assert a.status == "ok" and a.meta["encoding"] == "cp1252"
    assert "caf\u00e9 on the quay reopened with \u201cnew\u201d owners" in a.raw_text


def test_html_without_article_and_empty_html():
    a = read_html(b"<html><body><a href='/'>Home</a></body></html>", url="https://e.example/", path=None)
    assert a.status == "dropped" and a.drop_reason == "not_an_article"
    (b,) = read_inputs([str(FIXTURES / "nav.html")])
    assert b.drop_reason == "not_an_article"


# --- JSON / JSONL -----------------------------------------------------------------------------


def test_jsonl_with_malformed_line_reads_the_rest():
    arts = list(read_inputs([str(FIXTURES / "mixed.jsonl")]))
    assert [(a.status, a.drop_reason) for a in arts] == [("ok", None), ("dropped", "malformed"), ("ok", None)]
    bad = arts[1]
    assert bad.drop_detail.startswith("line 2:") and bad.meta["line"] == 2 and bad.id
    first, third = arts[0], arts[2]
    assert first.title == "Ferry timetable changes for the summer"
    assert first.byline == "Mia Holm, Tor Vik" and first.source == "Isles Weekly"
    assert first.published_at == datetime(2024, 5, 20, tzinfo=UTC) and first.date_method == "json"
    assert first.url == "https://isles.example.com/ferry-timetable"
    assert third.source == "Isles Weekly" and third.byline == "Eva Strand"
    assert third.published_at == datetime(2024, 5, 22, tzinfo=UTC)
    assert len({a.id for a in arts}) == 3


def test_field_map_with_nested_and_custom_names(tmp_path):
    rows = [
        {"story": {"words": "The quay reopened on Tuesday after the works.", "hed": "Quay reopens"},
         "when": 1722384000, "who": {"name": "Ana Ruiz"}, "where": {"outlet": "Harbour Radio"},
         "permalink": "https://radio.example.org/quay"},
    ]
    p = tmp_path / "custom.ndjson"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    fm = {"text": "story.words", "title": "story.hed", "published_at": "when", "byline": "who",
          "source": "where.outlet", "url": "permalink"}
    (a,) = read_inputs([str(p)], ReadOptions(field_map=fm))
    assert a.status == "ok" and a.input_kind == "jsonl"
    assert a.raw_text == "The quay reopened on Tuesday after the works."
    assert (a.title, a.byline, a.source) == ("Quay reopens", "Ana Ruiz", "Harbour Radio")
    assert a.url == "https://radio.example.org/quay"
    assert a.published_at == datetime(2024, 7, 31, tzinfo=UTC)


@pytest.mark.parametrize("key", ["articles", "items", "data"])
def test_json_list_under_known_keys_and_html_entries(tmp_path, key):
    html = page("Lighthouse repainted", paragraphs(3, "lighthouse")).decode()
    doc = {key: [
        {"headline": "Plain entry", "content": "A plain text body about the harbour.", "pubDate": "Tue, 02 Jan 2024 09:15:00 +0000"},
        {"html": html, "url": "https://coast.example.net/lighthouse", "site": "Coast Net"},
        {"headline": "No text at all", "tags": ["x"]},
        "not an object",
    ]}
    p = tmp_path / "export.json"
    p.write_text(json.dumps(doc))
    arts = list(read_inputs([str(p)]))
    assert [(a.status, a.drop_reason) for a in arts] == [("ok", None), ("ok", None), ("dropped", "empty"), ("dropped", "malformed")]
    assert arts[0].published_at == datetime(2024, 1, 2, 9, 15, tzinfo=UTC) and arts[0].date_precision == "second"
    assert arts[1].title == "Lighthouse repainted" and arts[1].source == "Coast Net"
    assert "Paragraph 1 about the lighthouse" in arts[1].raw_text
    assert "field_map" in arts[2].drop_detail


def test_broken_and_empty_json_files(tmp_path):
    (tmp_path / "a.json").write_text('{"articles": [ {"text": "x"')
    (tmp_path / "b.json").write_text('{"something": 1}')
    (tmp_path / "c.json").write_text("[]")
    (tmp_path / "d.jsonl").write_text("\n\n")
    arts = list(read_inputs([str(tmp_path)]))
    assert [a.drop_reason for a in arts] == ["malformed", "malformed", "empty", "empty"]
    assert all(a.id for a in arts)


def test_jsonl_in_a_json_file_and_gzipped_jsonl(tmp_path):
    lines = '{"title": "A", "text": "First body."}\n{"title": "B", "text": "Second body."}\n'
    (tmp_path / "a.json").write_text(lines)
    with gzip.open(tmp_path / "b.jsonl.gz", "wt") as fh:
        fh.write(lines)
    arts = list(read_inputs([str(tmp_path)]))
    assert [a.title for a in arts] == ["A", "B", "A", "B"]
    assert [a.input_kind for a in arts] == ["jsonl"] * 4


def test_jsonl_line_over_max_bytes_is_skipped(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text('{"text": "' + "x" * 5000 + '"}\n{"title": "Small", "text": "Small body."}\n')
    arts = list(read_inputs([str(p)], ReadOptions(max_bytes=1000)))
    assert [(a.status, a.drop_reason) for a in arts] == [("dropped", "too_large"), ("ok", None)]


def test_storyline_export_round_trips(tmp_path):
    a = Article(
        id="0123456789abcdef", input_kind="html", path=None, url="https://e.example/a", source="E",
        source_key="e.example", title="T", byline="Ana Ruiz",
        published_at=datetime(2024, 7, 31, 10, 30, tzinfo=UTC), date_precision="minute",
        date_method="html_meta", language="en", raw_text="Share this\nBody text.", text="Body text.",
        removed=[Removal(0, 10, "Share this", "social_prompt")], sentences=[(0, 10)],
        meta={"canonical_url": "https://e.example/a"},
    )
    d = Article(id="fedcba9876543210", path="x.txt").drop("empty", "the input is empty")
    p = tmp_path / "export.json"
    p.write_text(json.dumps({"format_version": "1.0", "articles": [a.to_dict(), d.to_dict()]}))
    back = list(read_inputs([str(p)]))
    assert [b.to_dict() for b in back] == [a.to_dict(), d.to_dict()]
    q = tmp_path / "export.jsonl"
    q.write_text(json.dumps(a.to_dict()) + "\n")
    assert [b.to_dict() for b in read_inputs([str(q)])] == [a.to_dict()]


# --- feeds ------------------------------------------------------------------------------------


def test_rss_feed_entries_and_broken_entries():
    arts = list(read_inputs([str(FIXTURES / "rss.xml")]))
    assert [(a.status, a.drop_reason) for a in arts] == [("ok", None), ("ok", None), ("dropped", "malformed"), ("dropped", "empty")]
    bridge, library, broken, link_only = arts
    assert bridge.title == "Old rail bridge reopens after two years of repairs"
    assert bridge.byline == "Ola Berg" and bridge.source == "Valley Ledger"
    assert bridge.url == "https://ledger.example.com/2024/01/bridge-reopens"
    assert bridge.published_at == datetime(2024, 1, 2, 9, 15, tzinfo=UTC)
    assert (bridge.date_precision, bridge.date_method) == ("second", "feed")
    assert bridge.meta["content_from"] == "content"  # content:encoded beats the description
    assert bridge.raw_text.count("\n\n") == 2 and "<p>" not in bridge.raw_text
    assert library.meta["content_from"] == "summary" and library.raw_text.startswith("The town library")
    assert "neither content nor a link" in broken.drop_detail and broken.title == "An entry with nothing in it"
    assert "follow" in link_only.drop_detail
    assert len({a.id for a in arts}) == 4


def test_atom_feed():
    ok, broken = read_inputs([str(FIXTURES / "atom.xml")])
    assert ok.status == "ok" and ok.input_kind == "feed"
    assert (ok.title, ok.byline, ok.source) == ("Council approves new cycle lanes on the hill road", "Kai Lind", "Hill Post")
    assert ok.published_at == datetime(2024, 2, 3, 8, 0, tzinfo=UTC)  # published, not updated
    assert ok.raw_text == ("The council approved two new cycle lanes on the hill road on Friday evening.\n\n"
                           "Work is due to begin in the spring and to last about three months.")
    assert broken.status == "dropped" and broken.drop_reason == "malformed"


def test_not_a_feed_and_empty_feed(tmp_path):
    (tmp_path / "a.rss").write_text("<rss><channel><title>x</title><item><title>cut")
    (tmp_path / "b.atom").write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Empty</title></feed>')
    (tmp_path / "c.rss").write_text("this is not xml at all")
    arts = list(read_inputs([str(tmp_path)]))
    assert [a.status for a in arts] == ["dropped"] * 3
    assert [a.drop_reason for a in arts] == ["malformed", "empty", "malformed"]


# --- WARC -------------------------------------------------------------------------------------


def make_warc(path: Path, *, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        req = w.create_warc_record("https://isles.example.com/0", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        w.write_record(req)
        for i, (ctype, status) in enumerate([("text/html; charset=utf-8", "200 OK"), ("image/png", "200 OK"),
                                             ("text/html", "404 Not Found"), ("text/html", "200 OK"),
                                             ("text/html", "200 OK")]):
            body = page(f"Story number {i}", paragraphs(4, f"story {i}"))
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(f"https://isles.example.com/{i}", "response",
                                       payload=io.BytesIO(body), http_headers=headers)
            w.write_record(rec)


@pytest.mark.parametrize("gz", [False, True])
def test_warc_reads_html_responses_only(tmp_path, gz):
    p = tmp_path / ("a.warc.gz" if gz else "a.warc")
    make_warc(p, gz=gz)
    arts = list(read_inputs([str(p)]))
    assert [a.url for a in arts] == [f"https://isles.example.com/{i}" for i in (0, 3, 4)]
    assert all(a.status == "ok" and a.input_kind == "warc" for a in arts)
    assert arts[0].title == "Story number 0" and arts[0].source == "isles.example.com"
    assert arts[0].meta["warc_record_id"].startswith("<urn:uuid:")
    assert [a.id for a in arts] == [a.id for a in read_inputs([str(p)])]


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_records_before_the_cut(tmp_path, gz):
    p = tmp_path / ("a.warc.gz" if gz else "a.warc")
    make_warc(p, gz=gz)
    data = p.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    cut.write_bytes(data[: len(data) - 300])
    arts = list(read_inputs([str(cut)]))
    assert [a.status for a in arts[:-1]] == ["ok", "ok"]
    assert arts[-1].status == "dropped" and arts[-1].drop_reason == "malformed"
    assert "truncated" in arts[-1].drop_detail or "complete record" in arts[-1].drop_detail
    assert arts[-1].id


def test_corrupt_and_pageless_archives(tmp_path):
    (tmp_path / "a.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: resp")
    (tmp_path / "b.warc.gz").write_bytes(gzip.compress(b"WARC/1.0\r\n")[:-9] + b"garbage")
    from warcio.warcwriter import WARCWriter

    with open(tmp_path / "c.warc", "wb") as fh:
        w = WARCWriter(fh, gzip=False)
        w.write_record(w.create_warc_record("https://e.example/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    arts = list(read_inputs([str(tmp_path)]))
    assert [a.drop_reason for a in arts] == ["malformed", "malformed", "not_an_article"]


def test_warc_on_stdin_is_streamed(tmp_path):
    p = tmp_path / "a.warc.gz"
    make_warc(p, gz=True)
    arts = list(read_inputs(["-"], ReadOptions(stdin=io.BytesIO(p.read_bytes()), max_bytes=2000)))
    assert [a.url for a in arts] == [f"https://isles.example.com/{i}" for i in (0, 3, 4)]
    assert all(a.status == "ok" and a.path == "-" for a in arts)
