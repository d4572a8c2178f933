"""Stories do not depend on how the articles arrive: one add with everything, or one add per file (in
file order, which is not date order), give the same stories and storylines; adding the same files
again changes no id. Through the product path (Pipeline with reuse and stories, as ``storyline add``
runs it) on the seeds and on the demo corpus, whose answer key (src/storyline/demo/README.md) gives
the stories and storylines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.pipeline import Pipeline
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
DEMO = ROOT / "src" / "storyline" / "demo" / "corpus"

# The demo answer key: story -> a piece of each of its articles' location (file name or URL).
DEMO_STORIES = {
    "A1": ["coastlinewire-harborview-benzene-order.txt", "/do-not-drink-order-east-harborview-benzene/",
           "/harborview-benzene-do-not-drink", "newspulsehub-harborview-water-emergency.txt",
           "trendwavedaily-harborview-tap-water.txt", "granitesentinel-harborview-benzene.txt"],
    "A2": ["/pellam-harborview-benzene-report-2025-04-09/", "/regulator-pellam-pipe-ferrymead-benzene-report/",
           "pressnexus-pellam-pipe-report.txt"],
    "B1": ["/bank-of-valdoria-raises-rates-4-75-kestria-tariffs", "/valdoria-hikes-50bp-crown-firms",
           "/doranic-urged-central-bank-delay-rate-rise", "trendwavedaily-valdoria-rate-hike.txt",
           "/mortgage-pain-rate-hike-160-crowns"],
    "B2": ["/bank-of-valdoria-holds-rates-governor-no-pressure", "/bank-of-valdoria-holds-governor-denies-pressure"],
    "C1": ["eastmere.ac.example/news/2025/06/hot-nights", "coastlinewire-hot-nights-kidney-study.txt",
           "northgatetimes.example/health/2025/06/04/hot-nights", "trendwavedaily-hot-nights-study.txt",
           "healthwisenow-hot-nights-kidneys.txt"],
    "C2": ["/heat-night-kidney-study-overstated-reanalysis", "/hot-nights-kidney-reanalysis"],
}
DEMO_STORYLINES = [{"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}]



def _inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _build(db: Path, groups: list[list[Path]], encoder) -> None:
    with Store(db) as s:
        p = Pipeline(s, reuse=True, stories=True, encoder=encoder)
        for g in groups:
            p.add([str(x) for x in g])


def _shape(db: Path) -> tuple[frozenset, frozenset, frozenset]:
    """Stories as sets of article ids, storylines as sets of stories, links as (from, to) story pairs:
    what must not depend on the order of the adds (story ids follow creation order, which does)."""
    with Store(db) as s:
        stories = {st["id"]: frozenset(st["article_ids"]) for st in s.stories()}
        lines: dict[str, set] = {}
        for st in s.stories():
            if st["storyline_id"]:
                lines.setdefault(st["storyline_id"], set()).add(stories[st["id"]])
        links = frozenset((stories[ln["from"]], stories[ln["to"]]) for ln in s.storyline_links())
    return frozenset(stories.values()), frozenset(frozenset(v) for v in lines.values()), links


def _snapshot(db: Path) -> tuple:
    with Store(db) as s:
        return ([(st["id"], st["title"], st["first_seen"], st["last_seen"], st["representative_id"],
                  st["storyline_id"], tuple(st["article_ids"])) for st in s.stories()],
                s.storyline_links(), s.load_clusterer_state())


def _demo_key(db: Path) -> dict[str, str]:
    """Answer-key story of each stored demo article, from its location."""
    out = {}
    with Store(db) as s:
        for a in s.list_articles(limit=1000):
            (story,) = {k for k, pieces in DEMO_STORIES.items() for x in pieces if x in (a.location or "")}
            out[a.id] = story
    return out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_seeds_one_file_at_a_time_equals_all_at_once(tmp_path: Path, encoder) -> None:
    files = _inputs(SEEDS)
    _build(tmp_path / "all.db", [files], encoder)
    _build(tmp_path / "one.db", [[f] for f in files], encoder)
    _build(tmp_path / "rev.db", [[f] for f in reversed(files)], encoder)
    want = _shape(tmp_path / "all.db")
    stories, lines, links = want
    assert sorted(len(x) for x in stories) == [1, 4] and len(lines) == 1 and len(links) == 1
    assert _shape(tmp_path / "one.db") == want
    assert _shape(tmp_path / "rev.db") == want


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_cli_readd_seeds_changes_no_id(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    r = CliRunner()
    res = r.invoke(cli, ["--db", str(db), "-q", "add", str(SEEDS)])
    assert res.exit_code == 0, res.output
    before = _snapshot(db)
    assert len(before[0]) == 2 and len(before[1]) == 1
    for args in ([str(SEEDS)], [str(p) for p in _inputs(SEEDS)[::-1]]):
        res = r.invoke(cli, ["--db", str(db), "-q", "add", *args])
        assert res.exit_code == 0, res.output
        assert _snapshot(db) == before


def test_demo_one_file_at_a_time_equals_all_at_once_and_answer_key(tmp_path: Path, encoder) -> None:
    files = _inputs(DEMO)
    _build(tmp_path / "all.db", [files], encoder)
    _build(tmp_path / "one.db", [[f] for f in files], encoder)
    want = _shape(tmp_path / "all.db")
    assert _shape(tmp_path / "one.db") == want
    before = _snapshot(tmp_path / "one.db")
    _build(tmp_path / "one.db", [files], encoder)  # the same files again: nothing moves
    assert _snapshot(tmp_path / "one.db") == before

    # the answer key: six stories in three storylines of two chapters each, earlier chapter first
    truth = _demo_key(tmp_path / "all.db")
    assert len(truth) == 23
    stories, lines, links = want
    key_of = {}
    for members in stories:
        (story,) = {truth[a] for a in members}  # every member from one story of the key
        key_of[members] = story
    assert sorted(key_of.values()) == sorted(DEMO_STORIES)  # and no story of the key split
    assert sorted(sorted(key_of[m] for m in line) for line in lines) == sorted(sorted(x) for x in DEMO_STORYLINES)
    assert sorted((key_of[a], key_of[b]) for a, b in links) == [("A1", "A2"), ("B1", "B2"), ("C1", "C2")]
