"""The ingest pipeline: per-source learning across separate adds, re-cleaning, idempotence."""

from __future__ import annotations

from pathlib import Path

from storyline.pipeline import Pipeline
from storyline.store import Store

FOOTER = "Printed and delivered across the three river towns every morning except Sunday"
BODIES = [
    "The county opened a second bridge over the river on Monday, ending a detour that had added twenty "
    "minutes to school runs since spring. Engineers said the span would carry buses from next week.",
    "A bakery on Mill Street won the regional bread prize for the third year running. The owner said the "
    "recipe had not changed since her grandmother opened the shop in 1962.",
    "Volunteers planted four hundred oaks along the old railway line on Saturday. The council says the "
    "trees will shade the new cycle path within a decade.",
    "The library will stay open until nine on weekdays from October, the trustees decided on Thursday. "
    "Staff numbers rise by two to cover the longer hours.",
]


def write(folder: Path, i: int) -> Path:
    p = folder / f"courier-{i}.txt"
    p.write_text(f"Valley news item {i}\n\n{BODIES[i]}\n\n{FOOTER}\n\nFollow Valley Courier on Facebook\n",
                 encoding="utf-8")
    return p


def test_repeated_footer_learned_across_adds_recleans_older_articles(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        pipe = Pipeline(store, detect_language=False)
        for i in range(2):
            pipe.add([str(write(tmp_path, i))])
        assert all(FOOTER in a.text for a in store.list_articles())  # two articles: nothing learned yet
        report = Pipeline(store, detect_language=False).add([str(write(tmp_path, 2))])
        assert report.recleaned == 2
        arts = store.list_articles()
        assert len(arts) == 3
        for a in arts:
            assert FOOTER not in a.text
            assert any(r.reason == "source_repeated" and r.text == FOOTER for r in a.removed)
            body = next(b for b in BODIES if b[:30] in a.raw_text)
            assert body in a.text  # the body is never touched
        hits = store.search("printed delivered river towns")
        assert hits == []  # the search index follows the re-cleaned text
        again = Pipeline(store, detect_language=False).add([str(tmp_path)])
        assert again.inserted == 0 and again.recleaned == 0  # re-adding changes nothing
