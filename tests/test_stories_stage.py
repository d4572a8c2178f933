"""The stories stage wired into the product: pipeline, store, export, CLI, on the seeds.

Seeds 000-003 (one story: Blinken's interview at the end of his China visit) carry no date in their
text; 004 (an intelligence report and the denials, three months later) is dated 2024-07-31. As added
from the files, time cannot tell them apart, so the raised bar across the dated/undated boundary does
(title + lead cosine 0.58-0.66 against 0.83-0.92 within 000-003): two stories, one storyline. Given the
dates (a JSONL with a ``date`` field, as a user would supply them), the time decay does the same.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.pipeline import Pipeline
from storyline.store import Store
from storyline.store.export import export

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")



def _stories_by_file(s: Store) -> dict[str, str]:
    names = {a.id: Path(a.location).name[:3] if a.path else (a.url or a.id) for a in s.list_articles()}
    return {names[aid]: st["id"] for st in s.stories() for aid in st["article_ids"]}


def _snapshot(s: Store) -> tuple:
    return ([(st["id"], st["title"], st["first_seen"], st["last_seen"], st["representative_id"], st["storyline_id"],
              tuple(st["article_ids"])) for st in s.stories()], s.storyline_links(), s.load_clusterer_state())


@pytest.fixture(scope="module")
def from_files(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:
    db = tmp_path_factory.mktemp("stories") / "seeds.db"
    with Store(db) as s:
        report = Pipeline(s, reuse=True, stories=True, encoder=encoder).add([str(SEEDS)])
        assert report.inserted == 5 and report.stories_assigned == 5
    return db


def _dated_jsonl(tmp: Path) -> Path:
    """The seeds as JSONL records with dates: 000-003 on the last day of the visit (26 April 2024)."""
    rows = []
    for p in sorted(SEEDS.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        date = "2024-07-31" if p.name.startswith("004") else "2024-04-26"
        rows.append({"url": f"https://seeds.example/{p.stem}", "title": title.strip(), "text": body.strip(),
                     "date": date})
    out = tmp / "seeds.jsonl"
    out.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory, encoder) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("dated")
    src = _dated_jsonl(tmp)
    db = tmp / "dated.db"
    with Store(db) as s:
        Pipeline(s, reuse=True, stories=True, encoder=encoder).add([str(src)])
    return db, src


def _by_stem(s: Store) -> dict[str, str]:
    names = {a.id: (a.url or "").rsplit("/", 1)[-1][:3] for a in s.list_articles()}
    return {names[aid]: st["id"] for st in s.stories() for aid in st["article_ids"]}


def test_seed_files_two_stories_one_storyline(from_files: Path) -> None:
    """As read from the files (000-003 undated, 004 dated): 000-003 one story, 004 its own, linked."""
    with Store(from_files) as s:
        of = _stories_by_file(s)
        dated = {Path(a.location).name[:3]: a.published_at for a in s.list_articles()}
        assert all(dated[k] is None for k in ("000", "001", "002", "003")) and dated["004"] is not None
        assert len({of[k] for k in ("000", "001", "002", "003")}) == 1
        # no time evidence across the dated/undated boundary: 004's lead (a report and its denials)
        # is not close enough to the interview's to join it
        assert of["004"] != of["000"]
        recs = {st["id"]: st for st in s.stories()}
        a, b = recs[of["000"]], recs[of["004"]]
        assert a["title"] and a["representative_id"] in a["article_ids"] and len(a["article_ids"]) == 4
        assert a["first_seen"] is None and b["first_seen"].startswith("2024-07-31")
        assert a["storyline_id"] and a["storyline_id"] == b["storyline_id"]
        (link,) = s.storyline_links()
        assert (link["from"], link["to"]) == (a["id"], b["id"])  # the undated story counts as earlier
        ev = link["evidence"]
        assert ev["gap_days"] is None and ev["similarity"] >= 0.35
        assert {"china", "united states"} <= set(ev["shared_entities"])


def test_dated_seeds_two_stories_one_storyline(dated: tuple[Path, Path]) -> None:
    db, _ = dated
    with Store(db) as s:
        of = _by_stem(s)
        assert len({of[k] for k in ("000", "001", "002", "003")}) == 1
        assert of["004"] != of["000"]
        recs = {st["id"]: st for st in s.stories()}
        a, b = recs[of["000"]], recs[of["004"]]
        assert a["storyline_id"] and a["storyline_id"] == b["storyline_id"]
        (link,) = s.storyline_links()
        assert (link["from"], link["to"]) == (a["id"], b["id"])
        ev = link["evidence"]
        assert len(ev["shared_entities"]) >= 2 and "china" in ev["shared_entities"]
        assert ev["gap_days"] > 80 and ev["similarity"] >= 0.35
        assert a["first_seen"].startswith("2024-04-26") and b["last_seen"].startswith("2024-07-31")


def test_readd_changes_nothing_and_ids_stable(dated: tuple[Path, Path], encoder, tmp_path: Path) -> None:
    db, src = dated
    with Store(db) as s:
        before = _snapshot(s)
        rep = Pipeline(s, reuse=True, stories=True, encoder=encoder).add([str(src)])
        assert rep.inserted == 0 and rep.stories_assigned == 0
        assert _snapshot(s) == before
    # two separate adds (the earlier story first, then the follow-up) give the same ids
    lines = src.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    second.write_text(lines[4] + "\n", encoding="utf-8")
    with Store(tmp_path / "two.db") as s:
        p = Pipeline(s, reuse=True, stories=True, encoder=encoder)
        p.add([str(first)])
        ids_after_first = {st["id"]: list(st["article_ids"]) for st in s.stories()}
        p.add([str(second)])
        after = {st["id"]: list(st["article_ids"]) for st in s.stories()}
        for sid, members in ids_after_first.items():
            assert after[sid][: len(members)] == members  # never renumbered
        with Store(db) as one:
            assert [x[:2] + x[3:] for x in _snapshot(s)[0]] == [x[:2] + x[3:] for x in _snapshot(one)[0]]
            assert s.storyline_links() == one.storyline_links()


def test_export_sections(dated: tuple[Path, Path]) -> None:
    db, _ = dated
    with Store(db) as s:
        buf = io.StringIO()
        export(s, "json", buf)
        doc = json.loads(buf.getvalue())
    assert doc["version"] >= "1.2"
    keys = list(doc)
    assert keys.index("stories") < keys.index("storylines") < keys.index("reuse") < keys.index("reuse_groups")
    st = doc["stories"][0]
    assert list(st) == ["id", "title", "article_ids", "first_seen", "last_seen", "representative_id", "entities",
                        "storyline_id"]
    (line,) = doc["storylines"]
    assert list(line) == ["id", "story_ids", "links"]
    assert list(line["links"][0]) == ["from", "to", "evidence"]
    assert line["story_ids"] == sorted(line["story_ids"]) == sorted(x["id"] for x in doc["stories"])


def test_cli_stories(dated: tuple[Path, Path]) -> None:
    db, _ = dated
    r = CliRunner()
    res = r.invoke(cli, ["--db", str(db), "stories", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [x["articles"] for x in rows] == [4, 1]  # most active first
    assert rows[0]["outlets"]
    res = r.invoke(cli, ["--db", str(db), "stories", "--since", "2024-07-01", "--json"])
    assert [x["articles"] for x in json.loads(res.output)] == [1]
    res = r.invoke(cli, ["--db", str(db), "story", rows[0]["id"]])
    assert res.exit_code == 0 and "Timeline" in res.output and "shared entities" in res.output
    res = r.invoke(cli, ["--db", str(db), "story", rows[0]["id"], "--json"])
    data = json.loads(res.output)
    assert len(data["timeline"]) == 4 and {t["link"] for t in data["timeline"]} <= {
        "duplicate", "near_duplicate", "partial_reuse", "rewrite", "independent"}
    res = r.invoke(cli, ["--db", str(db), "storylines"])
    assert res.exit_code == 0 and "1 storyline(s)" in res.output
    res = r.invoke(cli, ["--db", str(db), "story", "S999999"])
    assert res.exit_code != 0


def test_reclean_after_assignment_refreshes_and_reassigns(tmp_path: Path, encoder) -> None:
    """An article re-cleaned after it was assigned (its head vector goes with the old text): the next
    stories run recomputes its story from the current texts and assigns it again; a re-clean that
    leaves the lead as it was changes nothing, one that replaces it moves the article out."""
    import dataclasses

    import numpy as np

    from storyline.stories import assign_new_articles, head_model, stale_members
    from storyline.text import split_sentences

    src = _dated_jsonl(tmp_path)
    with Store(tmp_path / "r.db") as s:
        Pipeline(s, reuse=True, stories=True, encoder=encoder).add([str(src)])
        before = _snapshot(s)
        of = _by_stem(s)
        aid = {(a.url or "").rsplit("/", 1)[-1][:3]: a.id for a in s.list_articles()}

        def reclean(stem: str, text: str) -> None:
            a = s.get_article(aid[stem])
            s.update_clean_many([dataclasses.replace(a, text=text, sentences=list(split_sentences(text)),
                                                     removed=[])])

        # the last paragraph dropped (a footer learnt late): lead unchanged, nothing moves
        text = s.get_article(aid["002"]).text
        reclean("002", text[: text.rstrip().rfind("\n")].rstrip())
        assert stale_members(s) == {of["002"]: {aid["002"]}}
        assign_new_articles(s, encoder=encoder)
        assert stale_members(s) == {}
        assert _snapshot(s) == before
        assert s.get_vectors([aid["002"]], "doc", head_model(encoder))  # embedded again, from the new text

        # the whole text replaced: the article is assigned again, the other stories keep their ids
        reclean("001", "Heavy rain is expected across the coastal plain this weekend, the weather service "
                       "said on Friday.\n\nFarmers welcomed the forecast after the driest month on record.")
        assign_new_articles(s, encoder=encoder)
        after = _by_stem(s)
        assert after["000"] == after["002"] == after["003"] == of["000"] and after["004"] == of["004"]
        story = {st["id"]: st for st in s.load_stories()}[of["000"]]
        vecs = s.get_vectors(story["article_ids"], "doc", head_model(encoder))
        total = sum(vecs[i] / np.linalg.norm(vecs[i]) for i in story["article_ids"])
        assert np.allclose(story["centroid"], total / np.linalg.norm(total), atol=1e-5)  # from the current texts
        assert after["001"] not in (of["000"], of["004"])  # a weather report now: a story of its own
        assert s.load_clusterer_state()["n_docs"] == before[2]["n_docs"]  # counted once


class _KeywordEncoder:
    """A stand-in encoder: a text's vector counts two keywords (plus a constant), so a test can build a
    story that drifts from one subject to another article by article."""

    name = "keyword-test"
    dim = 8

    def encode(self, texts, *, batch_size: int = 32):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            words = t.lower().split()
            out[i, 0], out[i, 1], out[i, 2] = words.count("harbour"), words.count("tariff"), 0.01
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_story_that_drifts_is_cut_in_two_at_the_add(tmp_path) -> None:
    """Five reports on one subject, then five that move to another, each still close enough to the
    running story to join it (text and a shared name): the stage cuts the story in two after the
    add, the earlier part keeping its id; without the cut all ten stay in one story."""
    rows = []
    mix = [(20, 0)] * 5 + [(9, 11), (6, 14), (3, 17), (1, 19), (0, 20)]
    for i, (a, b) in enumerate(mix):
        words = " ".join(["harbour"] * a + ["tariff"] * b)
        # the same body named in every report: its entity bonus carries the later ones into the story
        rows.append({"url": f"https://drift.example/{i}", "title": f"Marlow Council report {i}",
                     "date": f"2024-05-{1 + i // 2:02d}",
                     "text": f"Marlow Council said the {words} news continues today. more {words} follows here."})
    src = tmp_path / "drift.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    with Store(tmp_path / "d.db") as s:
        rep = Pipeline(s, stories=True, encoder=_KeywordEncoder()).add([str(src)])
        by_url = {a.url: a.id for a in s.list_articles()}
        story = {aid: st["id"] for st in s.stories() for aid in st["article_ids"]}
        first = {story[by_url[f"https://drift.example/{i}"]] for i in range(5)}
        later = {story[by_url[f"https://drift.example/{i}"]] for i in range(5, 10)}
        assert rep.stories_assigned == 10
        assert first == {"S000001"} and len(later) == 1 and later != first
        assert s.load_clusterer_state()["splits"][0][:2] == ["S000001", later.pop()]
    with Store(tmp_path / "nosplit.db") as s, pytest.MonkeyPatch.context() as mp:
        mp.setattr("storyline.stories.SPLIT_CHECK_MAX", 0)
        Pipeline(s, stories=True, encoder=_KeywordEncoder()).add([str(src)])
        assert len(s.stories()) == 1


def test_key_entities_leave_out_numbers_and_a_surname_beside_the_full_name() -> None:
    """The clusterer counts "85" and "2023"; a reader's key entities are names, one per person."""
    from storyline.stories import story_entities

    rec = {"entities": {"85": 9, "valdivieso": 8, "hector valdivieso": 5, "kessler": 4, "miriam kessler": 3,
                        "santa marta bay": 3, "2023": 2, "u.s": 2}}
    assert story_entities(rec, 4) == ["hector valdivieso", "miriam kessler", "santa marta bay", "u.s"]
