"""Text metadata heuristics and date parsing (storyline.ingest.metadata)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from storyline.ingest.metadata import (
    clean_byline,
    extract_text_metadata,
    looks_like_name,
    parse_date,
    parse_timestamp,
    title_case_name,
)

UTC = timezone.utc


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2024-07-31", datetime(2024, 7, 31, tzinfo=UTC), "day"),
        ("2024-07-31T10:30:00Z", datetime(2024, 7, 31, 10, 30, tzinfo=UTC), "second"),
        ("2024-07-31T10:30+02:00", datetime(2024, 7, 31, 8, 30, tzinfo=UTC), "minute"),
        ("July 31, 2024", datetime(2024, 7, 31, tzinfo=UTC), "day"),
        ("Jul. 31 2024", datetime(2024, 7, 31, tzinfo=UTC), "day"),
        ("31 July 2024", datetime(2024, 7, 31, tzinfo=UTC), "day"),
        ("Wednesday, 31st July 2024", datetime(2024, 7, 31, tzinfo=UTC), "day"),
        ("July 31, 2024 3:45 p.m. EDT", datetime(2024, 7, 31, 19, 45, tzinfo=UTC), "minute"),
        ("July 31, 2024 10:00 ET", datetime(2024, 7, 31, tzinfo=UTC), "day"),  # ambiguous zone: day only
        ("Wed, 31 Jul 2024 10:30:00 GMT", datetime(2024, 7, 31, 10, 30, tzinfo=UTC), "second"),
        ("Wed, 31 Jul 2024 10:30:00 +0100", datetime(2024, 7, 31, 9, 30, tzinfo=UTC), "second"),
        ("2024/07/31", datetime(2024, 7, 31, tzinfo=UTC), "day"),
    ],
)
def test_parse_date(value, expected, precision):
    pd = parse_date(value)
    assert pd is not None, value
    assert pd.value == expected and pd.value.tzinfo is not None
    assert pd.precision == precision


@pytest.mark.parametrize("value", ["", "soon", "March 3", "2024-13-40", "1850-01-01", "31/07/2024", None])
def test_parse_date_rejects(value):
    assert parse_date(value) is None


def test_parse_timestamp_numbers_and_strings():
    assert parse_timestamp(1722384000).value == datetime(2024, 7, 31, tzinfo=UTC)
    assert parse_timestamp(1722384000000).value == datetime(2024, 7, 31, tzinfo=UTC)
    assert parse_timestamp("1722384000").precision == "second"
    assert parse_timestamp("July 31, 2024").precision == "day"
    assert parse_timestamp(True) is None and parse_timestamp({"a": 1}) is None


def test_name_shapes():
    assert looks_like_name("petter vieve") and looks_like_name("Ana de Souza") and looks_like_name("J. R. Hale")
    assert looks_like_name("JANE DOE")
    for not_name in ["Connect with us", "Photo of author", "Key Takeaways", "Leave a Comment", "Blinken",
                     "Breaking news today", "World News", "Paragraph 2:", "Getty Images / AFP"]:
        assert not looks_like_name(not_name), not_name
    assert title_case_name("petter vieve") == "Petter Vieve"
    assert title_case_name("JEAN-LUC O'NEIL") == "Jean-Luc O'Neil"
    assert title_case_name("Ana de Souza") == "Ana de Souza"
    assert clean_byline("By Jim Hᴏft") == "Jim Hoft"
    assert clean_byline("  ") is None


def test_opening_dateline_with_date_and_outlet():
    md = extract_text_metadata(" date 2023-11-02 (WIREX) The port authority said on Thursday it would reopen the quay.")
    assert md.title is None
    assert md.published_at == datetime(2023, 11, 2, tzinfo=UTC) and md.date_precision == "day"
    assert md.date_method == "dateline" and md.source == "WIREX" and md.source_method == "dateline"


@pytest.mark.parametrize(
    ("text", "place", "wire", "date"),
    [
        ("Quay reopens\n\nHARBOURTOWN (XP) — The quay reopened on Thursday.", "HARBOURTOWN", "XP", None),
        ("HARBOURTOWN, March 3, 2023 (Wirenews) - The quay reopened.", "HARBOURTOWN", "Wirenews", datetime(2023, 3, 3, tzinfo=UTC)),
        ("Quay reopens\nPORT ELLEN, Islay (XP) -- The quay reopened.", "PORT ELLEN, Islay", "XP", None),
    ],
)
def test_wire_datelines(text, place, wire, date):
    md = extract_text_metadata(text)
    assert md.place == place and md.wire == wire and md.source == wire
    assert md.published_at == date


def test_dateline_without_year_keeps_the_written_date():
    md = extract_text_metadata("HARBOURTOWN, March 3 (Wirenews) - The quay reopened.")
    assert md.published_at is None and md.dateline_date == "March 3" and md.source == "Wirenews"


@pytest.mark.parametrize(
    ("second_line", "byline", "source", "method"),
    [
        ("By Ana Ruiz", "Ana Ruiz", None, "by_line"),
        ("BY ANA RUIZ AND tom lee, Coastline Gazette", "Ana Ruiz and Tom Lee", "Coastline Gazette", "by_line"),
        ("By Ana Ruiz, Staff Writer", "Ana Ruiz", None, "by_line"),
        ("By Ana Ruiz, Tom Lee and Eva Holm", "Ana Ruiz, Tom Lee and Eva Holm", None, "by_line"),
        ("Ana Ruiz | Coastline Gazette", "Ana Ruiz", "Coastline Gazette", "byline_line"),
        ("ana ruiz", "Ana Ruiz", None, "name_line"),
        ("Photo of author", None, None, None),
        ("Tensions and commitments", None, None, None),
        ("Mark Lane / AFP – Wire Images", None, None, None),  # a photo credit, not a byline
    ],
)
def test_author_lines(second_line, byline, source, method):
    md = extract_text_metadata(f"Harbour plan approved\n\n{second_line}\n\nThe council voted on Tuesday.")
    assert md.title == "Harbour plan approved"
    assert (md.byline, md.source, md.byline_method) == (byline, source, method)


def test_author_bio_and_follow_line():
    text = (
        "Quay works begin\n\nDiggers arrived on Thursday.\n\n"
        "Ana de Souza is a senior correspondent for The Harbour Herald, where she covers ports.\n"
    )
    md = extract_text_metadata(text)
    assert (md.byline, md.byline_method) == ("Ana de Souza", "author_bio")
    assert (md.source, md.source_method) == ("The Harbour Herald", "author_bio")
    md2 = extract_text_metadata(text + "Follow HARBOURNEWS on Google News for alerts.\n")
    assert (md2.source, md2.source_method) == ("HARBOURNEWS", "follow_line")
    md3 = extract_text_metadata("Quay works begin\n\nFollow us on Twitter for more.\nBody text here.")
    assert md3.source is None


def test_chrome_before_title_and_date_line():
    md = extract_text_metadata("Skip to content\nMenu\nShare\n\nQuay works begin\nPublished: June 1, 2023 09:30 UTC\n\nBody.")
    assert md.title == "Quay works begin" and md.title_method == "after_chrome"
    assert md.published_at == datetime(2023, 6, 1, 9, 30, tzinfo=UTC) and md.date_method == "date_line"


def test_long_first_line_is_not_a_title():
    para = "The council voted on Tuesday to approve the plan. " * 10
    assert extract_text_metadata(para + "\n\nMore.").title is None
    assert extract_text_metadata("## A markdown heading ##\n\nBody.").title == "A markdown heading"


def test_offsets_kept_in_aware_datetimes():
    pd = parse_date("2024-07-31T10:30:00-05:00")
    assert pd.value.utcoffset() == timedelta(hours=-5)


def test_staff_byline_with_date_and_copyright_footer():
    md = extract_text_metadata("Quay works begin\nHarbour Daily Staff | March 5, 2025\n\nHarbour Works\n\nBody text.")
    assert (md.byline, md.byline_method) == ("Harbour Daily Staff", "staff_line")
    assert (md.source, md.source_method) == ("Harbour Daily", "staff_line")
    assert md.published_at == datetime(2025, 3, 5, tzinfo=UTC) and md.date_method == "byline_line"
    md2 = extract_text_metadata("Quay works begin\nQuay Now Editorial Team — June 5, 2025\n\nBody.")
    assert md2.source == "Quay Now" and md2.byline == "Quay Now Editorial Team"
    md3 = extract_text_metadata("Quay works begin\n\nBody text.\n\nQuay Times © 2025 | About Us | Contact")
    assert (md3.source, md3.source_method) == ("Quay Times", "copyright")
    md4 = extract_text_metadata("Quay works begin\n\nBody.\n\nCopyright 2025 Quay Wire. Redistribution prohibited.")
    assert md4.source == "Quay Wire"
    assert extract_text_metadata("T\n\nBody.\n\n© 2025 All rights reserved.").source is None


def test_by_line_naming_no_person_still_gives_date_and_outlet():
    """"By Harbour Daily Staff | Harbour Daily | 2025-03-05", "By Staff Writer | Quay Now | ...", "By
    Gull Sports & Entertainment | ...": a byline line whose name is a staff, a role or an organisation
    still dates the article and names the outlet after the pipe; only a staff line is a byline."""
    md = extract_text_metadata("Quay works begin\nBy Harbour Daily Staff | Harbour Daily | 2025-03-05\n\nBody text.")
    assert (md.byline, md.source, md.published_at) == ("Harbour Daily Staff", "Harbour Daily", datetime(2025, 3, 5, tzinfo=UTC))
    md = extract_text_metadata("Quay works begin\nBy Staff Writer | Quay Now | 2025-03-06\n\nBody text.")
    assert (md.byline, md.source, md.published_at) == (None, "Quay Now", datetime(2025, 3, 6, tzinfo=UTC))
    md = extract_text_metadata("Gulls welcome vote\nBy Gull Sports & Entertainment | Gull Sports & Entertainment | "
                               "2025-05-15\n\nBody text.")
    assert (md.byline, md.source, md.date_method) == (None, "Gull Sports & Entertainment", "byline_line")


def test_dateline_on_a_later_line_and_posted_by_line():
    md = extract_text_metadata("Quay works begin\n\n\n date 2025-04-10 (QUAYWIRE) Diggers arrived on Thursday.")
    assert md.title == "Quay works begin"
    assert md.published_at == datetime(2025, 4, 10, tzinfo=UTC) and md.source == "QUAYWIRE"
    md2 = extract_text_metadata("Quay works begin\n\nShare on X\n\nPosted on March 5, 2025 by quay_desk\n\nBody.")
    assert md2.published_at == datetime(2025, 3, 5, tzinfo=UTC) and md2.date_method == "date_line"
    assert md2.byline is None


def test_name_line_only_directly_after_title():
    md = extract_text_metadata("Quay works begin\nHarbour Daily Staff | March 5, 2025\n\nHarbour Water Emergency\n\nBody.")
    assert md.byline == "Harbour Daily Staff"
    md2 = extract_text_metadata("Quay works begin\n\nA first paragraph that is long enough.\n\nHarbour Water Emergency\n")
    assert md2.byline is None


@pytest.mark.parametrize("headline", ["Home sales rise in June", "Search for missing sailor ends", "Share prices slide"])
def test_headlines_that_start_like_chrome_are_titles(headline):
    md = extract_text_metadata(f"{headline}\n\nBody text of the story.")
    assert md.title == headline and md.title_method == "first_line"


def test_chrome_lines_are_skipped():
    md = extract_text_metadata("Skip to main content\nFollow Us @\nShare on Facebook\nHome\n\nReal headline here\n\nBody.")
    assert md.title == "Real headline here" and md.title_method == "after_chrome"
