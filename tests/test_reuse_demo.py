"""The demo corpus's reuse answer key (src/storyline/demo/README.md, "Reuse links" tables) through
the product path: which links the reuse stage finds, with which kind, and that independent reports
stay unlinked."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.pipeline import Pipeline
from storyline.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "storyline" / "demo" / "corpus"

# label (as in the answer key) -> a piece of the article's location
LOC = {
 "A1-1": "coastlinewire-harborview-benzene-order.txt", "A1-2": "/do-not-drink-order-east-harborview-benzene/",
 "A1-3": "dailyledger.example", "A1-4": "newspulsehub-harborview-water-emergency.txt",
 "A1-5": "trendwavedaily-harborview-tap-water.txt", "A1-6": "granitesentinel-harborview-benzene.txt",
 "A2-1": "coastlinewire.example/us/environment/pellam", "A2-2": "regulator-pellam-pipe-ferrymead",
 "A2-3": "pressnexus-pellam-pipe-report.txt", "B1-1": "valdoriabusinesstoday.example",
 "B1-2": "valdoria-hikes-50bp-crown-firms", "B1-3": "doranic-urged-central-bank-delay-rate-rise",
 "B1-4": "trendwavedaily-valdoria-rate-hike.txt", "B1-5": "valdoriadailypost.example",
 "B2-1": "bank-of-valdoria-holds-rates-governor-no-pressure", "B2-2": "bank-of-valdoria-holds-governor-denies-pressure",
 "C1-1": "eastmere.ac.example", "C1-2": "coastlinewire-hot-nights-kidney-study.txt",
 "C1-3": "northgatetimes.example/health", "C1-4": "trendwavedaily-hot-nights-study.txt",
 "C1-5": "healthwisenow-hot-nights-kidneys.txt", "C2-1": "meridianobserver.example", "C2-2": "sciencedeskweekly.example",
}
COPY = {"duplicate", "near_duplicate"}
# (copy or later version, source, kinds the answer key allows)
KEY = [("A1-2", "A1-1", COPY), ("A1-3", "A1-1", COPY | {"partial_reuse"}), ("A1-5", "A1-1", {"partial_reuse"}),
       ("A1-4", "A1-1", {"rewrite"}), ("A1-6", "A1-3", {"partial_reuse"}), ("A2-2", "A2-1", COPY),
       ("A2-3", "A2-1", COPY | {"partial_reuse"}), ("B1-4", "B1-1", {"partial_reuse"}), ("B1-3", "B1-1", {"rewrite"}),
       ("B1-5", "B1-1", {"rewrite"}), ("B1-5", "B1-3", {"rewrite"}), ("B2-2", "B2-1", COPY),
       ("C1-4", "C1-1", {"partial_reuse"}), ("C1-2", "C1-1", {"rewrite"}), ("C1-3", "C1-2", COPY),
       ("C1-5", "C1-1", {"rewrite"}), ("C2-2", "C2-1", {"rewrite"})]

# same event, written independently (the key's "B1-2 <-> B1-1"): no link
INDEPENDENT = [("B1-2", "B1-1")]


@pytest.fixture(scope="module")
def demo_links(tmp_path_factory: pytest.TempPathFactory, encoder):
    db = tmp_path_factory.mktemp("demo-reuse") / "demo.db"
    with Store(db) as s:
        Pipeline(s, reuse=True, encoder=encoder).add([str(DEMO)])
        ids = {}
        for a in s.iter_articles():
            for label, frag in LOC.items():
                if frag in (a.location or ""):
                    ids[label] = a.id
        links = {frozenset((ln["a"], ln["b"])): ln for ln in s.reuse_links()}
    assert len(ids) == len(LOC), sorted(set(LOC) - set(ids))
    return ids, links


def test_answer_key_links_found_with_their_kind(demo_links) -> None:
    ids, links = demo_links
    found = [(x, y) for x, y, _ in KEY if frozenset((ids[x], ids[y])) in links]
    right = [(x, y) for x, y, kinds in KEY if (ln := links.get(frozenset((ids[x], ids[y])))) and ln["kind"] in kinds]
    # measured: 14 of 17 found, 12 with the key's kind (B1-5 is built by attribution with no long
    # shared passage, C2-2 shares one quote; see bench/README.md)
    assert len(found) >= 14, sorted(set((x, y) for x, y, _ in KEY) - set(found))
    assert len(right) >= 12
    for x, y in (("A1-2", "A1-1"), ("A2-2", "A2-1"), ("C1-3", "C1-2")):
        assert links[frozenset((ids[x], ids[y]))]["kind"] in COPY


def test_no_link_between_independent_reports_or_across_stories(demo_links) -> None:
    ids, links = demo_links
    for x, y in INDEPENDENT:
        assert frozenset((ids[x], ids[y])) not in links
    story_of = {ids[label]: label[:2] for label in LOC}
    for pair in links:
        a, b = tuple(pair)
        assert story_of[a] == story_of[b], (a, b)
