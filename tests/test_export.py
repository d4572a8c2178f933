"""Exports: each format round-trips, output is deterministic, sections can be registered."""

from __future__ import annotations

import csv
import importlib
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storyline import __version__
from storyline.errors import UsageError
from storyline.model import EXPORT_FORMAT_VERSION, Article, Removal, content_id
from storyline.store import Store, export, register_section
from storyline.store.export import CSV_COLUMNS, article_record, parquet_schema

UTC = timezone.utc
# The package re-exports the function export(), which hides the submodule of the same name.
export_mod = importlib.import_module("storyline.store.export")


def make(key: str, text: str, *, published_at: datetime | None = None, dropped: bool = False) -> Article:
    boiler = "Follow us on X.\n"
    raw = boiler + text + "\n© 2024 Example"
    a = Article(
        id=content_id(key, text),
        input_kind="text",
        path=f"corpus/{key}.txt",
        url=None,
        source="Example",
        source_key="example",
        title=f"Title «{key}»",
        byline=None,
        published_at=published_at,
        date_precision="day" if published_at else None,
        date_method="dateline" if published_at else None,
        language="en",
        raw_text=raw,
        text=text,
        removed=[
            Removal(0, len(boiler), boiler, "social_prompt"),
            Removal(len(boiler) + len(text), len(raw), raw[len(boiler) + len(text):], "copyright"),
        ],
        sentences=[(0, len(text))],
        meta={"feed": "rss", "n": 1},
    )
    if dropped:
        a.drop("not_an_article", "navigation page")
    return a


@pytest.fixture
def articles() -> list[Article]:
    t = datetime(2024, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=3)))
    return [
        make("b", "Second, with a comma, and \"quotes\".\nAnd a newline.", published_at=t + timedelta(days=1)),
        make("a", "First story: naïve café, 東京, emoji 🙂 and a line\u2028separator.", published_at=t),
        make("c", "Undated text."),
        make("d", "Nav | Home | About", dropped=True),
    ]


@pytest.fixture
def store(tmp_path: Path, articles: list[Article]) -> Store:
    s = Store(tmp_path / "e.db")
    s.add_articles(articles)
    yield s
    s.close()


def expected(articles: list[Article], *, dropped: bool = True) -> list[dict]:
    keep = [a for a in articles if dropped or a.status == "ok"]
    dated = sorted((a for a in keep if a.published_at), key=lambda a: (a.published_at, a.id))
    undated = sorted((a for a in keep if not a.published_at), key=lambda a: a.id)
    return [article_record(a) for a in dated + undated]


def test_json_round_trip(store: Store, articles: list[Article], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert export(store, "json", out) == 4
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    from storyline.store.export import EXPORT_SECTIONS, SECTION_ORDER

    sections = [k for k in SECTION_ORDER if k in EXPORT_SECTIONS] + sorted(set(EXPORT_SECTIONS) - set(SECTION_ORDER))
    assert list(doc) == ["format", "version", "generated_by", "articles", *sections]
    assert sections[:4] == ["stories", "storylines", "reuse", "reuse_groups"]
    assert doc["reuse"] == []  # the reuse stage has not run on this store
    assert doc["format"] == "storyline-export"
    assert doc["version"] == EXPORT_FORMAT_VERSION
    assert doc["generated_by"] == f"storyline {__version__}"
    assert doc["articles"] == expected(articles)
    # Streamed output is byte-for-byte what one json.dumps of the whole document gives.
    assert text == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert "東京" in text  # ensure_ascii=False
    for rec in doc["articles"]:
        for r in rec["removed"]:  # removed spans index original_text
            assert rec["original_text"][r["start"]:r["end"]] == r["text"]
        for s, e in rec["sentences"]:
            assert 0 <= s < e <= len(rec["text"])
    assert [r["id"] for r in doc["articles"]][:2] == [articles[1].id, articles[0].id]
    assert list(doc["articles"][0])[:4] == ["id", "input_kind", "path", "url"]
    assert list(doc["articles"][0])[-2:] == ["meta", "cited_sources"]
    assert doc["articles"][0]["published_at"] == "2024-06-01T08:00:00+03:00"


def test_json_without_dropped(store: Store, articles: list[Article]) -> None:
    buf = io.StringIO()
    assert export(store, "json", buf, include_dropped=False) == 3
    assert json.loads(buf.getvalue())["articles"] == expected(articles, dropped=False)


def test_json_sections(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_mod, "EXPORT_SECTIONS", {})
    register_section("zeta", lambda s: [{"k": 1}])
    register_section("stories", lambda s: [{"id": "s1", "articles": 2}, {"id": "s2", "articles": 0}])
    register_section("quotes", lambda s: [])
    buf = io.StringIO()
    export(store, "json", buf)
    doc = json.loads(buf.getvalue())
    assert list(doc) == ["format", "version", "generated_by", "articles", "stories", "quotes", "zeta"]
    assert doc["stories"][1] == {"id": "s2", "articles": 0} and doc["quotes"] == []
    assert buf.getvalue() == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    with pytest.raises(UsageError):
        register_section("articles", lambda s: [])


def test_jsonl_round_trip(store: Store, articles: list[Article], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    export(store, "jsonl", out)
    raw = out.read_bytes()
    assert "\u2028".encode() not in raw
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == 4
    assert [json.loads(line) for line in lines] == expected(articles)


def test_csv_round_trip(store: Store, articles: list[Article], tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    export(store, "csv", out)
    with open(out, newline="", encoding="utf-8") as fh:
        got = list(csv.reader(fh))
    assert tuple(got[0]) == CSV_COLUMNS
    want = expected(articles)
    assert len(got) == 1 + len(want)
    for row, rec in zip(got[1:], want):
        d = dict(zip(CSV_COLUMNS, row))
        assert d["id"] == rec["id"] and d["text"] == rec["text"]
        assert d["byline"] == "" and d["drop_reason"] == (rec["drop_reason"] or "")
        assert int(d["removed_count"]) == len(rec["removed"])
        assert json.loads(d["removed_json"]) == rec["removed"]


def test_parquet_round_trip(store: Store, articles: list[Article], tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    export(store, "parquet", out)
    table = pq.read_table(out)
    assert table.schema.equals(parquet_schema(), check_metadata=False)
    rows = table.to_pylist()
    want = expected(articles)
    assert [r["id"] for r in rows] == [w["id"] for w in want]
    for r, w in zip(rows, want):
        for k in ("title", "text", "original_text", "published_at", "status", "drop_reason", "source_key"):
            assert r[k] == w[k], k
        assert r["removed"] == w["removed"]
        assert r["sentences"] == w["sentences"]
        assert json.loads(r["meta"]) == w["meta"]
        if w["published_at"]:
            assert r["published_utc"] == datetime.fromisoformat(w["published_at"])
        else:
            assert r["published_utc"] is None


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "parquet"])
def test_deterministic_and_streamed(store: Store, tmp_path: Path, fmt: str) -> None:
    a, b, c = (tmp_path / f"{n}.{fmt}" for n in "abc")
    export(store, fmt, a)
    export(store, fmt, b)
    export(store, fmt, c, batch_size=1)
    assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    assert not list(tmp_path.glob(".*tmp*"))  # the temporary file was renamed into place


def test_empty_store(tmp_path: Path) -> None:
    with Store(tmp_path / "empty.db") as s:
        buf = io.StringIO()
        assert export(s, "json", buf, sections={}) == 0
        assert json.loads(buf.getvalue())["articles"] == []
        export(s, "parquet", tmp_path / "e.parquet")
        assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_file_objects(store: Store) -> None:
    bio = io.BytesIO()
    export(store, "jsonl", bio)
    assert len(bio.getvalue().decode("utf-8").splitlines()) == 4
    pbio = io.BytesIO()
    export(store, "parquet", pbio)
    assert pq.read_table(io.BytesIO(pbio.getvalue())).num_rows == 4
    with pytest.raises(UsageError, match="binary"):
        export(store, "parquet", io.StringIO())
    with pytest.raises(UsageError, match="format"):
        export(store, "xml", io.StringIO())  # type: ignore[arg-type]
