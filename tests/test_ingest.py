"""read_inputs end to end: the real seed articles, bad inputs, dispatch, folders, stdin and ids."""

from __future__ import annotations

import io
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from storyline.ingest import ReadOptions, assign_id, iter_files, read_inputs
from storyline.model import Article, content_id
from storyline.text import normalize

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")


def read_one(path: Path | str, options: ReadOptions | None = None) -> Article:
    arts = list(read_inputs([str(path)], options))
    assert len(arts) == 1, [(a.status, a.drop_reason, a.drop_detail) for a in arts]
    return arts[0]


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


# --- the real seeds ---------------------------------------------------------------------------


@needs_seeds
def test_all_seeds_read_with_ids_and_unchanged_text():
    arts = list(read_inputs([str(SEEDS)]))
    assert len(arts) == 5
    assert [Path(a.path).name[:3] for a in arts] == ["000", "001", "002", "003", "004"]
    for a in arts:
        assert a.status == "ok" and a.id and len(a.id) == 16
        assert a.input_kind == "text"
        assert a.text == a.raw_text
        assert a.raw_text == Path(a.path).read_text(encoding="utf-8")
        assert a.meta["encoding"] == "utf-8"
        assert a.id == content_id(Path(a.path).name, normalize(a.raw_text))


@needs_seeds
def test_seed_004_dateline_gives_date_and_source():
    a = read_one(seed("004"))
    assert a.published_at == datetime(2024, 7, 31, tzinfo=timezone.utc)
    assert a.date_precision == "day" and a.date_method == "dateline"
    assert a.source == "MENAFN" and a.source_key == "menafn"
    assert a.title is None  # the first line is the dateline paragraph itself, not a headline


@needs_seeds
def test_seed_002_follow_line_gives_source_and_title_skips_chrome():
    a = read_one(seed("002"))
    assert a.source == "AFRILATEST"
    assert a.meta["source_method"] == "follow_line"
    # "Connect with us" / "Follow Us" chrome precedes the headline
    assert a.title == "Blinken discussed alleged Chinese interference in elections during visit"
    assert a.byline is None


@needs_seeds
def test_seed_003_author_bio_gives_normalised_byline_and_outlet():
    a = read_one(seed("003"))
    assert a.byline == "Jim Hoft"  # written with a small-capital o in the file
    assert a.source == "The Gateway Pundit"
    assert a.meta["byline_method"] == "author_bio"
    assert a.title.startswith("Blinken Reveals He’s Seen Evidence")
    assert "Hᴏft" in a.raw_text  # the text itself is kept as read


@needs_seeds
def test_seed_000_name_line_after_title_is_the_byline():
    a = read_one(seed("000"))
    assert a.title == "Blinken: China Trying to Influence Elections"
    assert a.byline == "Petter Vieve"
    assert a.meta["byline_method"] == "name_line"


@needs_seeds
def test_seed_001_title_and_no_invented_metadata():
    a = read_one(seed("001"))
    assert a.title == "Blinken's Revelation: China's Interference in US Elections Exposed"
    assert a.byline is None and a.source is None and a.published_at is None


@needs_seeds
def test_ids_are_stable_across_reads_and_path_spellings(tmp_path):
    first = [a.id for a in read_inputs([str(SEEDS)])]
    second = [a.id for a in read_inputs([str(SEEDS) + os.sep])]
    assert first == second
    copy = tmp_path / "x.txt"
    shutil.copy(seed("000"), copy)
    assert read_one(copy).id == read_one(tmp_path / "." / "x.txt").id


# --- bad inputs: each one a dropped article, never an exception -------------------------------


def test_empty_and_blank_files_are_dropped_empty(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"  \n\t\r\n ")
    (tmp_path / "c.html").write_bytes(b"")
    arts = list(read_inputs([str(tmp_path)]))
    assert [(a.status, a.drop_reason) for a in arts] == [("dropped", "empty")] * 3
    assert all(a.id for a in arts)


def test_binary_file_is_dropped_binary(tmp_path):
    p = tmp_path / "photo.txt"
    p.write_bytes(bytes(range(256)) * 20)
    a = read_one(p)
    assert a.status == "dropped" and a.drop_reason == "binary"
    assert "not text" in a.drop_detail
    png = tmp_path / "noext"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert read_one(png).drop_reason == "binary"


def test_invalid_utf8_is_decoded_not_dropped(tmp_path):
    body = "Council meets on Tuesday\n\nThe café on the square will close for the works, the mayor said.\n"
    # mostly UTF-8 with a few stray Windows bytes: the UTF-8 stays right, the strays read as cp1252
    p = tmp_path / "mixed.txt"
    p.write_bytes(body.encode("utf-8") + b"A stray \x93quoted\x94 phrase.\n")
    a = read_one(p)
    assert a.status == "ok"
    assert a.meta["encoding"] == "utf-8" and a.meta["encoding_method"] == "mixed"
    assert "The café on the square" in a.raw_text and "\u201cquoted\u201d" in a.raw_text
    assert a.title == "Council meets on Tuesday"
    # invalid UTF-8 throughout, with a byte cp1252 leaves undefined: decoded, never dropped
    q = tmp_path / "legacy.txt"
    q.write_bytes(body.encode("cp1252") + b"\xff\xfe stray \x81 bytes\n")
    b = read_one(q)
    assert b.status == "ok" and b.meta["encoding"] != "utf-8"
    assert "The café on the square" in b.raw_text


def test_fifty_megabyte_file_is_dropped_too_large_without_reading(tmp_path, monkeypatch):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"x")
    real_open = open

    def guarded_open(file, mode="r", *args, **kwargs):
        assert os.fspath(file) != str(p), "a too-large file must not be opened"
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    a = read_one(p)
    assert a.status == "dropped" and a.drop_reason == "too_large"
    assert "50.0 MB" in a.drop_detail and "20.0 MB" in a.drop_detail
    assert a.id


def test_max_bytes_option_is_honoured(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Headline\n\n" + "word " * 300)
    assert read_one(p, ReadOptions(max_bytes=100)).drop_reason == "too_large"
    assert read_one(p, ReadOptions(max_bytes=10_000)).status == "ok"


def test_html_with_no_article_is_dropped():
    a = read_one(FIXTURES / "nav.html")
    assert a.status == "dropped" and a.drop_reason == "not_an_article"
    assert a.title == "Sign in"  # what could be read is kept


def test_unsupported_and_missing_inputs(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n...")
    (tmp_path / "data.xyz").write_bytes(b"\x00\x01\x02" * 50)
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    arts = list(read_inputs([str(tmp_path), str(tmp_path / "missing.txt")]))
    reasons = [(Path(a.path).name, a.drop_reason) for a in arts]
    assert reasons == [
        ("data.xyz", "unsupported"),
        ("report.pdf", "unsupported"),
        ("sitemap.xml", "unsupported"),
        ("missing.txt", "not_found"),
    ]


def test_reader_crash_becomes_reader_error_and_batch_goes_on(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("First headline\n\nSome body text here.")
    (tmp_path / "b.txt").write_text("Second headline\n\nMore body text here.")
    import storyline.ingest as ingest

    real = ingest.read_text_file

    def boom(path, options=None):
        if path.endswith("a.txt"):
            raise RuntimeError("disk on fire")
        return real(path, options)

    monkeypatch.setattr(ingest, "read_text_file", boom)
    arts = list(read_inputs([str(tmp_path)]))
    assert [(a.status, a.drop_reason) for a in arts] == [("dropped", "reader_error"), ("ok", None)]
    assert "RuntimeError: disk on fire" in arts[0].drop_detail
    assert arts[0].id and arts[1].title == "Second headline"


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1252", "Caf\u00e9 owners say \u201cwe stay open\u201d \u2014 the plan\u2019s cost is \u20ac5m.\nR\u00e9sum\u00e9 of the meeting follows."),
        ("latin-1", "Le caf\u00e9 de la gare a ferm\u00e9 apr\u00e8s vingt ans.\nLe propri\u00e9taire \u00e2g\u00e9 part \u00e0 la retraite."),
        ("latin-1", "Die Stra\u00dfe in M\u00fcnchen wurde gesperrt, sagte der B\u00fcrgermeister.\nGr\u00fc\u00dfe aus \u00d6sterreich."),
        ("utf-8-sig", "Harbour news \u2014 \u00e9t\u00e9 edition\nThe quay re-opens in June."),
        ("utf-16", "Headline in UTF-16\nThe body says caf\u00e9 and na\u00efve."),
    ],
)
def test_legacy_encodings_decode_right(tmp_path, codec, text):
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode(codec))
    a = read_one(p)
    assert a.status == "ok"
    assert a.raw_text == text
    assert a.title == text.split("\n")[0]


def test_crlf_newlines_are_unified(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"Headline\r\n\r\nFirst paragraph.\r\nSecond line.\r\n")
    assert read_one(p).raw_text == "Headline\n\nFirst paragraph.\nSecond line.\n"


# --- dispatch, folders, markdown, stdin -------------------------------------------------------


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    for rel in ["b/z.txt", "a.txt", "b/a.md", "c/d/e.txt", ".hidden/x.txt", "b/.secret.txt"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"Title of {rel}\n\nBody of {rel} with enough words to read.")
    names = [os.path.relpath(p, tmp_path) for p in iter_files(str(tmp_path))]
    assert names == ["a.txt", os.path.join("b", "a.md"), os.path.join("b", "z.txt"), os.path.join("c", "d", "e.txt")]
    arts = list(read_inputs([str(tmp_path)]))
    assert [a.title for a in arts] == ["Title of a.txt", "Title of b/a.md", "Title of b/z.txt", "Title of c/d/e.txt"]
    again = list(read_inputs([str(tmp_path)]))
    assert [a.id for a in arts] == [a.id for a in again]


def test_markdown_heading_and_front_matter(tmp_path):
    p = tmp_path / "note.md"
    p.write_text("# Harbour plan approved\n\nBy Ana Ruiz\n\nThe council voted on Tuesday.\n")
    a = read_one(p)
    assert a.title == "Harbour plan approved" and a.byline == "Ana Ruiz"
    q = tmp_path / "front.md"
    q.write_text("---\ntitle: \"Quay works begin\"\nauthor: Ana Ruiz\ndate: 2023-06-01\nsource: Coastline Gazette\n---\n"
                 "# Quay works begin\n\nDiggers arrived at the quay on Thursday morning.\n")
    b = read_one(q)
    assert b.title == "Quay works begin" and b.byline == "Ana Ruiz" and b.source == "Coastline Gazette"
    assert b.published_at == datetime(2023, 6, 1, tzinfo=timezone.utc) and b.date_method == "front_matter"
    assert b.raw_text.startswith("# Quay works begin")


def test_a_header_of_key_value_lines_is_read_like_front_matter(tmp_path):
    """"Title: ...", "Source: ...", "Date: ..." lines at the top of a text file, ended by a blank
    line, give the title, outlet and date and leave the body; one such line alone, or other keys,
    stay text."""
    p = tmp_path / "a.txt"
    p.write_text("Title: Quay works begin\nSource: Coastline Gazette\nDate: 2023-06-01\n\n"
                 "Diggers arrived at the quay on Thursday morning.\n")
    a = read_one(p)
    assert (a.title, a.source, a.date_method) == ("Quay works begin", "Coastline Gazette", "front_matter")
    assert a.raw_text.startswith("Diggers arrived")
    q = tmp_path / "b.txt"
    q.write_text("Title: Quay works begin\nNote: not a header key\n\nDiggers arrived at the quay.\n")
    assert read_one(q).raw_text.startswith("Title: Quay works begin")


def test_files_without_extension_are_sniffed(tmp_path):
    (tmp_path / "page").write_bytes((FIXTURES / "page.html").read_bytes())
    (tmp_path / "feed").write_bytes((FIXTURES / "atom.xml").read_bytes())
    (tmp_path / "notes").write_text("Plain headline\n\nJust some plain text about the harbour.")
    (tmp_path / "export").write_text('[{"title": "T", "text": "Body of an exported article."}]')
    kinds = [(Path(a.path).name, a.input_kind, a.status) for a in read_inputs([str(tmp_path)])]
    assert kinds == [
        ("export", "json", "ok"),
        ("feed", "feed", "ok"),
        ("feed", "feed", "dropped"),
        ("notes", "text", "ok"),
        ("page", "html", "ok"),
    ]


@pytest.mark.parametrize(
    ("data", "kind", "n"),
    [
        (b"Stdin headline\n\nA short article from standard input.", "stdin", 1),
        ((FIXTURES / "page.html").read_bytes(), "html", 1),
        ((FIXTURES / "rss.xml").read_bytes(), "feed", 4),
        (b'{"title": "A", "text": "First body."}\n{"title": "B", "text": "Second body."}\n', "jsonl", 2),
        (b"", "stdin", 1),
    ],
)
def test_stdin_is_sniffed(data, kind, n):
    arts = list(read_inputs(["-"], ReadOptions(stdin=io.BytesIO(data))))
    assert len(arts) == n
    assert arts[0].input_kind == kind
    assert all(a.id for a in arts)
    if not data:
        assert arts[0].drop_reason == "empty"


def test_source_override_and_source_key(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Headline\n\nBody text.")
    a = read_one(p, ReadOptions(source="Harbour Radio"))
    assert a.source == "Harbour Radio" and a.source_key == "harbour-radio"
    assert a.meta["source_method"] == "override"
    assert read_one(FIXTURES / "page.html").source_key == "gazette.example.org"


def test_assign_id_for_ok_and_dropped_articles():
    a = Article(path="x.txt", raw_text="Some  text\u2019s here")
    assign_id(a)
    assert a.id == content_id("x.txt", "Some text's here")
    a.meta["canonical_url"] = "https://e.example/x"
    assert assign_id(a).id == content_id("https://e.example/x", "Some text's here")
    d = Article(path="y.txt").drop("empty", "the input is empty")
    d.meta["sha256"] = "ab" * 32
    assert assign_id(d).id == content_id("y.txt", "dropped", "empty", "ab" * 32)


@needs_seeds
def test_ids_do_not_depend_on_the_folder_or_machine(tmp_path):
    """The same file read from another checkout gets the same id (the demo's ids are stable)."""
    elsewhere = tmp_path / "other" / "place"
    elsewhere.mkdir(parents=True)
    shutil.copy(seed("002"), elsewhere / seed("002").name)
    assert read_one(elsewhere / seed("002").name).id == read_one(seed("002")).id
    renamed = tmp_path / "renamed.txt"
    shutil.copy(seed("002"), renamed)
    assert read_one(renamed).id != read_one(seed("002")).id  # another file: another article
