"""Boilerplate removal: the five real seeds, one synthetic article per reason, per-source learning,
offsets, determinism and the body-sentence guard."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pytest

from storyline.clean import (
    REASONS,
    Cleaner,
    LineStats,
    guess_title,
)
from storyline.model import Article, Removal
from storyline.text import split_sentences

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def lines_of(raw: str) -> list[str]:
    return [ln.strip() for ln in raw.splitlines() if ln.strip()]


def removed_map(removed: list[Removal]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in removed:
        out.setdefault(r.text, []).append(r.reason)
    return out


def check_offsets(raw: str, text: str, removed: list[Removal]) -> None:
    """Every removal indexes raw exactly; kept lines are in the text; removed ones are not."""
    last_end = -1
    for r in removed:
        assert raw[r.start : r.end] == r.text
        assert r.text == r.text.strip() and r.text
        assert r.start >= last_end, "removals overlap"
        last_end = r.end
        assert r.reason in REASONS
    # rebuild: raw minus the spans, line by line; blank lines of raw separate paragraphs
    cut = [False] * len(raw)
    for r in removed:
        cut[r.start : r.end] = [True] * (r.end - r.start)
    paras: list[list[str]] = [[]]
    pos = 0
    for chunk in raw.splitlines(keepends=True):
        if not chunk.strip():
            if paras[-1]:
                paras.append([])
        else:
            kept = "".join(ch for i, ch in enumerate(chunk, pos) if not cut[i]).strip()
            if kept:
                paras[-1].append(kept)
        pos += len(chunk)
    assert text == "\n\n".join("\n".join(p) for p in paras if p)
    assert "\n\n\n" not in text and text == text.strip()


# --- the seeds ------------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize("title_mode", ["none", "given", "boilerplate"])
def test_seed_002_content_farm_repost(title_mode: str) -> None:
    raw = seed("002")
    title = {"none": None, "given": "Blinken discussed alleged Chinese interference in elections during visit",
             "boilerplate": "Connect with us"}[title_mode]
    text, removed = Cleaner().clean(raw, title=title)
    check_offsets(raw, text, removed)
    got = removed_map(removed)
    title_line = "Blinken discussed alleged Chinese interference in elections during visit"
    expected = {
        "Connect with us": ["social_prompt"],
        "Follow Us": ["social_prompt"],
        "Follow Us @": ["social_prompt"],
        title_line: ["title", "repeated_title", "repeated_title"],
        "– trending news updates, world news, local news and all about nations, states and governments.": ["tagline"],
        "Embed from Getty Images": ["embed_credit"],
        "Robinho is arrested in Santos and will serve detention in Brazil": ["unrelated_headline"],
        "#Blinken #discussed #alleged #Chinese #interference #elections #visit": ["hashtag_line"],
        "Click to comment": ["comment_prompt"],
        "Leave a Reply": ["comment_prompt"],
        "Your email address will not be published. Required fields are marked *": ["comment_prompt"],
    }
    for line, reasons in expected.items():
        assert got.get(line) == reasons, (line, got.get(line))
    by_prefix = {
        "Chinese President Xi Jinping (R) speaks with": "photo_credit",
        "Featured photo: Antony Blinken (left)": "photo_credit",
        "Follow AFRILATEST on Google News": "social_prompt",
        "Join our Audience reward campaign": "promo",
        "Be the first to leave us a comment": "comment_prompt",
        ", down the comment section. click allow to follow this topic": "comment_prompt",
    }
    for prefix, reason in by_prefix.items():
        hits = [r for r in removed if r.text.startswith(prefix)]
        assert len(hits) == 1 and hits[0].reason == reason, (prefix, hits)
    # every line of the article body stays, headings included
    body_starts = [
        "This Friday (26), US Secretary of State", "Tensions and commitments", "These meetings took place",
        "US Secretary of State Antony Blinken reiterated", "Blinken said they have seen evidence",
        "Freedom of expression and diplomatic tensions", "He mentioned that there had been situations",
        "Furthermore, he highlighted the importance", "Beijing denies interfering in US elections",
    ]
    raw_lines = lines_of(raw)
    for start in body_starts:
        (line,) = [ln for ln in raw_lines if ln.startswith(start)]
        assert line in text
    # and nothing else: every kept line is one of those
    assert len(lines_of(text)) == len(body_starts)
    assert text.startswith("This Friday (26)")


@needs_seeds
def test_seed_003_author_bio_and_share_prompt() -> None:
    raw = seed("003")
    title = lines_of(raw)[0]
    text, removed = Cleaner().clean(raw, title=title)
    check_offsets(raw, text, removed)
    got = {r.text[:40]: r.reason for r in removed}
    assert got == {
        title[:40]: "title",
        "Mark Schiefelbein / AFP – Getty Images": "photo_credit",
        "Photo of author": "author_bio",
        "Jim Hᴏft is the founder and editor of Th": "author_bio",
        "You can email Jim Hᴏft here, and read mo": "contact_line",
        "Thanks for sharing!": "share_count",
    }
    # everything else is kept, the quoted source and the opinion paragraphs included
    removed_texts = {r.text for r in removed}
    for line in lines_of(raw):
        if line not in removed_texts:
            assert line in text
    assert "The Guardian reported:" in text
    assert "It is weird because, in 2022, the Biden regime welcomed TikTok" in text
    assert text.rstrip().endswith("than Obama was in eight years.”")


@needs_seeds
def test_seed_000_comment_prompt_byline_tag_line_and_headings() -> None:
    raw = seed("000")
    text, removed = Cleaner().clean(raw, title="Blinken: China Trying to Influence Elections")
    check_offsets(raw, text, removed)
    assert [(r.text, r.reason) for r in removed] == [
        ("Blinken: China Trying to Influence Elections", "title"),
        ("petter vieve", "byline"),
        ("Blinken", "tag_line"),
        ("Leave a Comment", "comment_prompt"),
    ]
    for heading in ("China’s Alleged Election Interference", "US Response and Diplomatic Relations",
                    "Geopolitical Implications", "Defending Democratic Values", "Conclusion"):
        assert f"\n\n{heading}\n\n" in text
    # with the byline known to the reader, the same line goes for the same reason
    _, removed2 = Cleaner().clean(raw, title=None, byline="Petter Vieve")
    assert ("petter vieve", "byline") in [(r.text, r.reason) for r in removed2]


@needs_seeds
def test_seed_001_repeated_title_and_editors_note_kept() -> None:
    raw = seed("001")
    title = lines_of(raw)[0]
    text, removed = Cleaner().clean(raw, title=title)
    check_offsets(raw, text, removed)
    assert [(r.text, r.reason) for r in removed] == [(title, "title"), (title, "repeated_title")]
    assert "Editor's P/S:" in text and "Paragraph 1:" in text and "Paragraph 2:" in text
    assert "Stay tuned for updates on this developing story." in text
    assert title not in text


@needs_seeds
def test_seed_004_dateline_marker_is_a_partial_removal() -> None:
    raw = seed("004")
    text, removed = Cleaner().clean(raw)
    check_offsets(raw, text, removed)
    assert [(r.text, r.reason) for r in removed] == [("date 2024-07-31 (MENAFN)", "dateline_marker")]
    assert text.startswith("In recent developments, the Chinese Foreign has firmly rejected")
    assert len(lines_of(text)) == len(lines_of(raw))


@needs_seeds
def test_seeds_through_process() -> None:
    arts = []
    for i, prefix in enumerate(["000", "001", "002", "003", "004"]):
        raw = seed(prefix)
        arts.append(Article(id=f"a{i}", raw_text=raw, title=lines_of(raw)[0], source_key=f"s{i}"))
    out = Cleaner().process(arts)
    assert out == arts
    for art in out:
        assert art.text and art.removed
        assert art.sentences == split_sentences(art.text)
        check_offsets(art.raw_text, art.text, art.removed)
    # 004's first line is a paragraph, not a title: nothing is taken for one
    assert out[4].text.startswith("In recent developments")


# --- synthetic articles, one reason at a time -----------------------------------------------------

TITLE = "Riverside council approves new bridge budget"
BODY = [
    "The Riverside city council voted 7 to 2 on Tuesday to approve a budget of 48 million dollars for a "
    "new pedestrian bridge across the Mill River, ending a debate that lasted more than a year.",
    "Council member Dana Ortiz said the bridge would connect the east side neighbourhoods with the central "
    "market and cut walking times across the river for thousands of residents.",
    "Opponents of the plan argued that the council should first repair existing roads, and two members "
    "voted against the budget after a long evening session.",
    "Construction of the bridge is expected to begin next spring, and the city engineer said the council "
    "would publish the final design of the river crossing in the coming weeks.",
    "Residents will be able to comment on the design at public meetings, the council said in a statement "
    "after the vote on the bridge budget.",
]


def article(head: Sequence[str] = (), middle: Sequence[str] = (), tail: Sequence[str] = (), sep: str = "\n\n") -> str:
    parts = [TITLE, *head, *BODY[:3], *middle, *BODY[3:], *tail]
    return sep.join(parts) + "\n"


def reasons(raw: str, **kw: object) -> tuple[str, dict[str, str]]:
    text, removed = Cleaner().clean(raw, title=kw.pop("title", TITLE), **kw)  # type: ignore[arg-type]
    check_offsets(raw, text, removed)
    for para in BODY:
        assert para in text, "a body paragraph was removed"
    return text, {r.text: r.reason for r in removed}


@pytest.mark.parametrize(
    "where,line,reason",
    [
        ("middle", "Read more: Storm damages harbour walls in coastal town", "navigation"),
        ("tail", "Follow us on Twitter and Facebook for the latest updates", "social_prompt"),
        ("tail", "Connect with us", "social_prompt"),
        ("tail", "Share this article", "social_prompt"),
        ("tail", "Leave a comment", "comment_prompt"),
        ("tail", "Be the first to comment on this story", "comment_prompt"),
        ("tail", "Your email address will not be published.", "comment_prompt"),
        ("tail", "Sign up for our daily newsletter to get the top stories in your inbox.", "newsletter_prompt"),
        ("tail", "2.4K shares", "share_count"),
        ("tail", "Thanks for sharing!", "share_count"),
        ("middle", "The planned bridge seen from the north bank (Photo: City of Riverside/Handout)", "photo_credit"),
        ("middle", "Elena Park / AFP via Getty Images", "photo_credit"),
        ("middle", "Photo: an artist's drawing of the planned crossing", "photo_credit"),
        ("middle", "Embed from Getty Images", "embed_credit"),
        ("tail", "#Riverside #bridge #council #budget", "hashtag_line"),
        ("tail", "You can reach Sam Lee at slee@example.com, and read her other stories here.", "contact_line"),
        ("tail", "Contact us at newsroom@example.com", "contact_line"),
        ("tail", "Additional reporting by Kim Novak; editing by Joe Ruiz", "credit_line"),
        ("tail", "© 2024 Valley Courier. All rights reserved.", "copyright"),
        ("tail", "Join our rewards program and earn points for every article you read >> Join now", "promo"),
        ("tail", "Click here to download our free app", "promo"),
        ("head", "Updated: May 2, 2024 10:15 am", "metadata_line"),
        ("head", "Reading time: 3 minutes", "metadata_line"),
        ("tail", "Tags: bridge, council, Riverside", "metadata_line"),
    ],
)
def test_each_reason(where: str, line: str, reason: str) -> None:
    raw = article(**{where: [line]})
    text, got = reasons(raw)
    assert got.get(line) == reason, got
    assert line not in text
    assert got.get(TITLE) == "title"


def test_title_and_repeated_title() -> None:
    raw = article(tail=[TITLE, f"{TITLE} - Valley Courier"])
    text, got = reasons(raw)
    assert got[TITLE] in ("title", "repeated_title")
    assert got[f"{TITLE} - Valley Courier"] == "repeated_title"
    assert text.startswith(BODY[0])
    # a site suffix on the given title does not hide the title line
    _, got2 = reasons(article(), title=f"{TITLE} | Valley Courier")
    assert got2 == {TITLE: "title"}


def test_body_sentence_holding_the_title_is_kept() -> None:
    long = (f"{TITLE} after months of debate, and the mayor said on Wednesday that the vote showed the city "
            "could still agree on large projects.")
    text, got = reasons(article(middle=[long]))
    assert long in text and long not in got


def test_byline_forms() -> None:
    _, got = reasons(article(head=["By Sam Lee and Kim Novak"]))
    assert got["By Sam Lee and Kim Novak"] == "byline"
    _, got = reasons(article(head=["Sam Lee"]))
    assert got["Sam Lee"] == "byline"
    _, got = reasons(article(head=["Sam Lee | Valley Courier"]), byline="Sam Lee")
    assert got["Sam Lee | Valley Courier"] == "byline"


def test_tag_line_is_a_title_word_after_the_byline() -> None:
    text, got = reasons(article(head=["Sam Lee", "Bridge"]))
    assert got["Bridge"] == "tag_line"
    # a word that is not in the title stays (it may be a heading)
    text, got = reasons(article(head=["Sam Lee", "Transport"]))
    assert "Transport" not in got and "Transport" in text


def test_tagline_after_the_title() -> None:
    line = "– local news, weather updates, sports and events for the valley"
    _, got = reasons(article(head=[line]))
    assert got[line] == "tagline"


def test_unrelated_headline_in_the_tail_but_headings_kept() -> None:
    headline = "Celebrity chef opens seaside restaurant in Lisbon"
    raw = article(middle=["Why the vote matters"], tail=["Leave a comment", headline, "Share this article"])
    text, got = reasons(raw)
    assert got[headline] == "unrelated_headline"
    assert "Why the vote matters" in text  # a heading inside the body is structure
    # a list the article itself ends with (tour dates, products) is not a headline
    dates = ["June 3 – Springfield Arena, Springfield", "June 5 – Harbour Hall, Portside",
             "June 9 – Lakeside Theatre, Mill Town"]
    text, got = reasons(article(tail=dates))
    assert all(d in text for d in dates)


def test_author_bio_after_the_body() -> None:
    bio = ("Sam Lee is a senior reporter at the Valley Courier covering local government and transport. "
           "She previously worked for two regional newspapers.")
    _, got = reasons(article(tail=["About the author", bio]))
    assert got[bio] == "author_bio" and got["About the author"] == "author_bio"
    _, got = reasons(article(tail=[bio]))
    assert got[bio] == "author_bio"


def test_link_list_under_a_navigation_header() -> None:
    items = ["Storm damages harbour walls in coastal town", "School reopens after summer floods",
             "Local bakery wins national award"]
    text, got = reasons(article(tail=["You may also like", *items]))
    assert got["You may also like"] == "navigation"
    assert all(got[i] == "navigation" for i in items)


def test_dateline_marker_keeps_the_sentence() -> None:
    raw = TITLE + "\n\n date 2024-05-02 (Valley Wire) " + "\n\n".join(BODY) + "\n"
    text, removed = Cleaner().clean(raw, title=TITLE)
    check_offsets(raw, text, removed)
    marker = [r for r in removed if r.reason == "dateline_marker"]
    assert [r.text for r in marker] == ["date 2024-05-02 (Valley Wire)"]
    assert text.startswith(BODY[0])


def test_share_button_glued_to_a_sentence_is_cut_off() -> None:
    line = "Small towns can still build big things.Click To Tweet"
    text, removed = Cleaner().clean(article(middle=[line]), title=TITLE)
    assert ("Click To Tweet", "social_prompt") in [(r.text, r.reason) for r in removed]
    assert "Small towns can still build big things." in text and "Click To Tweet" not in text


# --- the guard --------------------------------------------------------------------------------------


def test_body_sentences_with_prompt_words_are_kept() -> None:
    guarded = [
        "Investors will follow the council's decision on the bridge closely, and neighbouring towns hope to "
        "share the costs of future river crossings.",
        "Follow the money, the opposition leader said, and you will see who benefits from the bridge contracts.",
        "Share prices of the construction firm that bid for the bridge rose 4 percent after the council vote.",
        "Readers who leave a comment at the public meetings will be heard before the council signs the bridge "
        "contract, the mayor said.",
        "Copyright lawyers for the architects said the council may not reuse the bridge design without a new "
        "contract.",
    ]
    text, got = reasons(article(middle=guarded))
    for sentence in guarded:
        assert sentence in text and sentence not in got


def test_html_extracted_text_keeps_single_line_paragraphs() -> None:
    raw = article(tail=["Leave a comment", "Follow us on Facebook"], sep="\n")
    text, got = reasons(raw)
    assert text == "\n".join(BODY)


def test_empty_and_whitespace_text() -> None:
    assert Cleaner().clean("") == ("", [])
    assert Cleaner().clean(" \n\n \t\n") == ("", [])


def test_guess_title() -> None:
    assert guess_title(article()) == TITLE
    assert guess_title("Follow us\n\n" + article()) == TITLE
    assert guess_title("\n\n".join(BODY)) is None


# --- per-source learning ----------------------------------------------------------------------------

FOOTER = "Valley Courier is an independent newsroom; opinions expressed by guests are their own."


def source_articles(n: int, footer_in: set[int]) -> list[Article]:
    arts = []
    for i in range(n):
        body = [f"Story {i}: the harbour board met on day {i} to discuss new mooring fees for fishing boats.",
                f"Board member {i} said the fees would rise by {i + 2} percent next year after a review of costs.",
                "The board will vote on the proposal at its next meeting, a spokesperson said afterwards."]
        if i in footer_in:
            body.append(FOOTER)
        arts.append(Article(id=f"h{i}", raw_text="\n\n".join([f"Harbour board meets ({i})", *body]),
                            title=f"Harbour board meets ({i})", source_key="valley-courier"))
    return arts


def test_source_repeated_footer_is_learned() -> None:
    stats = LineStats()
    arts = source_articles(5, footer_in={0, 1, 2, 3, 4})
    for a in arts:
        stats.observe(a)
    assert stats.docs == {"valley-courier": 5}
    assert stats.is_repeated("valley-courier", FOOTER)
    assert not stats.is_repeated("other-source", FOOTER)
    assert not stats.is_repeated(None, FOOTER)
    out = Cleaner(stats).process(arts)
    for a in out:
        assert [(r.text, r.reason) for r in a.removed if r.reason == "source_repeated"] == [(FOOTER, "source_repeated")]
        assert FOOTER not in a.text
        assert "harbour board met" in a.text


def test_line_in_one_article_is_kept_and_thresholds() -> None:
    stats = LineStats()
    arts = source_articles(5, footer_in={2})
    for a in arts:
        stats.observe(a)
    assert not stats.is_repeated("valley-courier", FOOTER)
    out = Cleaner(stats).process(arts)
    assert FOOTER in out[2].text
    # two articles are too few to learn anything, even when both share the line
    few = LineStats()
    for a in source_articles(2, footer_in={0, 1}):
        few.observe(a)
    assert not few.is_repeated("valley-courier", FOOTER)
    # three of six is the share threshold: repeated; two of six is not
    half = LineStats()
    for a in source_articles(6, footer_in={0, 1, 2}):
        half.observe(a)
    assert half.is_repeated("valley-courier", FOOTER)
    less = LineStats()
    for a in source_articles(6, footer_in={0, 1}):
        less.observe(a)
    assert not less.is_repeated("valley-courier", FOOTER)


def test_copies_of_one_story_are_not_emptied() -> None:
    stats = LineStats()
    arts = [Article(id=f"c{i}", raw_text=article(), title=TITLE, source_key="valley-courier") for i in range(4)]
    for a in arts:
        stats.observe(a)
    for a in Cleaner(stats).process(arts):
        for para in BODY:
            assert para in a.text


def test_learn_flag_and_fingerprint() -> None:
    arts = source_articles(4, footer_in={0, 1, 2, 3})
    cleaner = Cleaner(learn=True)
    cleaner.process(arts)
    assert cleaner.line_stats.docs["valley-courier"] == 4
    assert all(FOOTER not in a.text for a in arts)
    # digits collapse, case and spacing do not matter
    assert LineStats.fingerprint("© 2023  Valley Courier") == LineStats.fingerprint("© 2024 valley courier")
    assert LineStats.fingerprint("Valley Courier") != LineStats.fingerprint("Valley Gazette")
    # a source-less article is not counted
    stats = LineStats()
    stats.observe(Article(raw_text="x\ny"))
    assert stats.docs == {} and stats.counts == {}


# --- stage behaviour ----------------------------------------------------------------------------------


def test_process_leaves_dropped_articles_untouched() -> None:
    ok = Article(id="ok", raw_text=article(tail=["Leave a comment"]), title=TITLE)
    dropped = Article(id="dr", raw_text="Leave a comment", status="dropped", drop_reason="empty")
    out = Cleaner().process([dropped, ok])
    assert out[0] is dropped and dropped.text == "" and dropped.removed == [] and dropped.sentences == []
    assert out[1] is ok and "Leave a comment" not in ok.text and ok.sentences


def test_deterministic() -> None:
    raw = article(head=["By Sam Lee"], middle=["Read more: Storm damages harbour walls in coastal town"],
                  tail=["Leave a comment", "Celebrity chef opens seaside restaurant in Lisbon", "Follow us"])
    first = Cleaner().clean(raw, title=TITLE)
    for _ in range(3):
        assert Cleaner().clean(raw, title=TITLE) == first
    a = [Article(id=str(i), raw_text=raw + f"\n\nNote {i}.", title=TITLE) for i in range(3)]
    b = [Article(id=str(i), raw_text=raw + f"\n\nNote {i}.", title=TITLE) for i in reversed(range(3))]
    ra = {x.id: (x.text, [r.to_dict() for r in x.removed]) for x in Cleaner().process(a)}
    rb = {x.id: (x.text, [r.to_dict() for r in x.removed]) for x in Cleaner().process(b)}
    assert ra == rb


def test_reasons_are_documented() -> None:
    for name in ("navigation", "social_prompt", "comment_prompt", "newsletter_prompt", "share_count",
                 "photo_credit", "embed_credit", "hashtag_line", "author_bio", "contact_line", "title",
                 "repeated_title", "unrelated_headline", "tagline", "promo", "source_repeated",
                 "dateline_marker", "byline", "tag_line"):
        assert REASONS.get(name)
