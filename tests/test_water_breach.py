"""End to end on a hand-written story (tests/fixtures/water_breach/, answer key beside it): a wire
report, a copy, a spun rewrite, a partisan retelling, a rebuttal, a follow-up and a translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "water_breach"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    db = tmp_path_factory.mktemp("water") / "w.db"
    files = sorted(str(p) for p in FIXTURE.glob("*.txt"))
    result = CliRunner().invoke(cli, ["--db", str(db), "-q", "add", "--workers", "1", *files], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with Store(db) as s:
        yield s


def _by_file(store: Store) -> dict[str, str]:
    return {Path(a.path or "").name[:2]: a.id for a in store.list_articles()}


def test_by_lines_without_a_person_still_date_and_name_the_outlet(store: Store) -> None:
    arts = {Path(a.path or "").name[:2]: a for a in store.list_articles()}
    assert (arts["02"].source, str(arts["02"].published_at)[:10]) == ("Carver Bay Courier", "2024-03-04")
    assert (arts["03"].source, str(arts["03"].published_at)[:10]) == ("Digital Sentinel Daily", "2024-03-06")


def test_a_quote_is_grouped_across_the_storyline(store: Store) -> None:
    """The follow-up five weeks on is a story of its own in the wire report's storyline, and the
    warning it repeats from the wire's background paragraph is grouped with the wire's; the partisan
    retelling's fragment of the chief executive's quote is grouped with his full quote."""
    ids = _by_file(store)
    story_of = {a: s["id"] for s in store.stories() for a in s["article_ids"]}
    line_of = {s["id"]: s.get("storyline_id") for s in store.stories()}
    assert story_of[ids["06"]] != story_of[ids["01"]]
    assert line_of[story_of[ids["06"]]] == line_of[story_of[ids["01"]]] is not None
    qs = store.quotes()
    warned = [q for q in qs if q.cue == "warned" and q.article_id in (ids["01"], ids["06"])]
    assert len(warned) == 2 and warned[0].group_id is not None and warned[0].group_id == warned[1].group_id
    group = next(g for g in store.quote_groups() if g.id == warned[0].group_id)
    assert {q.id for q in warned} <= set(group.quote_ids)
    wire = next(q for q in qs if q.article_id == ids["01"] and q.kind == "direct" and q.text.startswith("We want"))
    partisan = next(q for q in qs if q.article_id == ids["04"] and q.kind == "direct" and "your tap" in q.text)
    assert wire.group_id is not None and partisan.group_id == wire.group_id
    assert (partisan.speaker, [c.name for c in partisan.chain]) == ("Raymond Okafor", ["Crestline Wire Service"])


def test_who_told_the_partisan_site_and_who_did_not(store: Store) -> None:
    ids = _by_file(store)
    rebuttal = [q for q in store.quotes() if q.article_id == ids["05"]]
    haskins = [q for q in rebuttal if q.speaker == "Marla Haskins" and q.cue == "told"]
    assert [[c.name for c in q.chain] for q in haskins] == [["The Ridgeline Report"]]
    okafor = [q for q in rebuttal if q.speaker == "Raymond Okafor"]
    assert okafor and all(q.chain == [] for q in okafor)


def test_the_translation_and_the_copy_are_linked_to_the_wire(store: Store) -> None:
    ids = _by_file(store)
    kinds = {frozenset((lk["a"], lk["b"])): lk["kind"] for lk in store.reuse_links(ids["01"])}
    assert kinds[frozenset((ids["01"], ids["07"]))] == "translation"
    assert kinds[frozenset((ids["01"], ids["02"]))] in ("duplicate", "near_duplicate")


def test_the_spun_rewrites_reworded_quote_is_flagged_altered(store: Store) -> None:
    ids = _by_file(store)
    qs = store.quotes()
    wire = next(q for q in qs if q.article_id == ids["01"] and q.kind == "direct" and q.text.startswith("We want"))
    spun = next(q for q in qs if q.article_id == ids["03"] and q.kind == "direct" and q.text.startswith("We wish"))
    assert spun.group_id == wire.group_id and (spun.altered or wire.altered)
    assert '"tap" -> "faucet"' in (spun.difference or wire.difference or "") or \
        '"faucet" -> "tap"' in (spun.difference or wire.difference or "")


def test_the_spun_and_the_follow_up_figures_are_marked_on_the_claim(store: Store) -> None:
    ids = _by_file(store)
    claim = next(c for c in store.claims() if "212,000" in c.text and any(s.article_id == ids["03"] for s in c.stances))
    marked = {s.article_id: claim.differing_figures(s) for s in claim.stances}
    assert marked[ids["03"]] == ["210,000"]
    assert marked[ids["01"]] == []


def test_the_quotes_table_shows_an_unresolved_description_in_its_own_words(store: Store) -> None:
    """A speaker left unresolved ("..., the utility said." with no name holding "utility") shows the
    words of the text, marked unresolved, not a bare "?"."""
    unresolved = [q for q in store.quotes() if q.speaker is None and q.speaker_mention]
    assert unresolved
    result = CliRunner().invoke(cli, ["--db", str(store.path), "quotes"], catch_exceptions=False)
    assert f"{unresolved[0].speaker_mention} (unresolved)" in " ".join(result.output.split())


def test_the_story_is_titled_after_the_original_not_its_copy(store: Store) -> None:
    """The copy's head is as close to the story's centre as the wire report it copies; the story
    takes the wire's headline."""
    ids = _by_file(store)
    story = next(s for s in store.stories() if ids["01"] in s["article_ids"])
    assert ids["02"] in story["article_ids"]
    wire = store.get_article(ids["01"])
    assert (story["representative_id"], story["title"]) == (ids["01"], wire.title)
