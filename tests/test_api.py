"""The Python API as the package docstring shows it."""

from __future__ import annotations

from pathlib import Path

import storyline


def test_api_round_trip(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "Ferry service resumes\n\nFerries between the two islands resumed on Friday after a week of storms, "
        "the operator said. Follow Island Daily on Twitter\n", encoding="utf-8")
    with storyline.Store(tmp_path / "n.db") as store:
        report = storyline.Pipeline(store).add([str(tmp_path / "a.txt")], storyline.ReadOptions())
        assert report.inserted == 1 and not report.dropped
        [art] = store.list_articles()
        assert art.title == "Ferry service resumes"
        assert [h.article.id for h in store.search("ferries islands")] == [art.id]
    assert isinstance(art, storyline.Article)
