"""Issue 7, scope 1: what each version of a story adds and omits, on the seeds."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.compare import (Comparison, cached_comparisons, compare_story, comparison_key, entity_mentions,
                               is_fresh, is_heading, paragraphs)
from storyline.pipeline import Pipeline
from storyline.store import Store, export

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_paragraphs_headings_and_entities() -> None:
    text = "Title line\n\nFirst para. Two.\nStill first.\n\n  Conclusion  \n\nLast one."
    pars = [text[s:e] for s, e in paragraphs(text)]
    assert pars == ["Title line", "First para. Two.\nStill first.", "Conclusion", "Last one."]
    assert is_heading("Conclusion") and is_heading("Editor's note:") and not is_heading("He said it.")
    assert {"us", "u.s", "antony blinken", "blinken"} <= entity_mentions("The U.S. envoy Antony Blinken’s trip")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    if not SEEDS.is_dir():
        pytest.skip("seeds not available")
    db = tmp_path_factory.mktemp("compare") / "s.db"
    with Store(db) as s:
        Pipeline(s, reuse=True, stories=True, quotes=True).add([str(SEEDS)])
        names = {a.id: Path(a.path or "").name[:3] for a in s.list_articles()}
        story = next(st for st in s.stories() if {names[i] for i in st["article_ids"]} >= {"000", "001", "002", "003"})
    return db, names, story["id"]


@pytest.fixture(scope="module")
def comps(seeded) -> dict[str, Comparison]:
    db, names, sid = seeded
    with Store(db) as s:
        out = compare_story(s, sid)
    return {names[c.article_id]: c for c in out}


def _kinds(c: Comparison, *needles: str) -> list[str]:
    return [a["kind"] for a in c.additions if any(n in a["text"] for n in needles)]


def test_versions_only_and_offsets(seeded, comps) -> None:
    db, names, sid = seeded
    assert set(comps) == {"000", "001", "002", "003"}  # 004 (the denial story) is a reference only
    with Store(db) as s:
        for c in comps.values():
            text = s.get_article(c.article_id).text
            assert all(text[a["start"]:a["end"]] == a["text"] for a in c.additions)
            assert {a["kind"] for a in c.additions} <= {"new_fact", "commentary", "off_topic"}
            assert all(text[t["start"]:t["end"]] == t["text"] for t in c.loaded_terms)
    # the copied core is shared, not an addition
    assert comps["002"].shared and comps["001"].shared


def test_off_topic_padding_in_003(comps) -> None:
    c = comps["003"]
    for needles in (("tariffs",), ("Iran nuclear deal",), ("metal sectors",), ("than his predecessor",),
                    ("TikTok into a formal partnership",), ("Users of their App",)):
        assert _kinds(c, *needles) == ["off_topic"], needles
    # its reporting on the event is not padding
    for needles in (("three-day visit",), ("no immediate response",)):
        assert _kinds(c, *needles) == ["new_fact"], needles
    assert {"communist President", "regime"} <= {t["text"] for t in c.loaded_terms}


def test_commentary_in_001_and_000(comps) -> None:
    ed = comps["001"]
    assert _kinds(ed, "Editor's P/S") == ["commentary"]
    assert _kinds(ed, "is alarming", "are well-founded") == ["commentary", "commentary"]
    assert _kinds(ed, "Chinese support is helping Russia") == ["new_fact"]
    assert _kinds(ed, "Stay tuned for updates") == ["commentary"]  # a generic closing line, not another subject
    assert not [a for a in ed.additions if a["kind"] == "off_topic"]
    gen = comps["000"]
    for needles in (("Geopolitical Implications",), ("carry significant geopolitical implications",),
                    ("Conclusion",), ("revelations regarding China",), ("delicate balance",)):
        assert _kinds(gen, *needles) == ["commentary"], needles
    assert not [a for a in gen.additions if a["kind"] == "off_topic"]


def test_003_omits_campus_protest_remarks(seeded, comps) -> None:
    db, names, sid = seeded
    omitted = [o for o in comps["003"].omissions if "antisemit" in o["text"].lower() or "protest" in o["text"].lower()]
    assert omitted
    carriers = set().union(*({names[i] for i in o["ref"]["carried_by"]} for o in omitted))
    assert carriers == {"000", "001", "002"}
    for o in omitted:
        assert names[o["ref"]["article_id"]] in {"000", "001", "002"}
    # the versions that carry the remarks are not told they omit them
    for v in ("000", "001", "002"):
        assert not [o for o in comps[v].omissions if "antisemit" in o["text"].lower()]


def test_cli_and_export(seeded) -> None:
    db, names, sid = seeded
    res = CliRunner().invoke(cli, ["--db", str(db), "compare", sid, "--json"], catch_exceptions=False)
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert {names[d["article_id"]] for d in data} == {"000", "001", "002", "003"}
    res = CliRunner().invoke(cli, ["--db", str(db), "compare", sid], catch_exceptions=False)
    assert res.exit_code == 0 and "off_topic" in res.output and "omits" in res.output
    with Store(db) as s:
        buf = io.StringIO()
        export(s, "json", buf)
    doc = json.loads(buf.getvalue())
    recs = doc["comparisons"]
    assert recs == [{k: v for k, v in d.items()} | {"additions": [{k: a[k] for k in ("start", "end", "text", "kind")}
                                                                  for a in d["additions"]]} for d in data]
    assert list(recs[0]) == ["story_id", "article_id", "additions", "omissions", "loaded_terms"]


def test_comparisons_are_cached_and_invalidated(seeded, comps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import storyline.compare as compare_mod

    db, names, sid = seeded
    with Store(db) as s:
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "c.db"
    shutil.copyfile(db, copy)
    with Store(copy) as s:
        assert is_fresh(s, sid)  # the comps fixture computed and cached it
        cached = cached_comparisons(s, sid)
        assert [r["article_id"] for r in cached] == [c.article_id for c in comps.values()]
        assert cached[0]["extra"]["counts"] == Comparison.from_record(sid, cached[0]).counts()
        key = comparison_key(s, sid)[1]
        # a re-cleaned member (its removals change) makes the run stale
        aid = next(i for i, n in names.items() if n == "003")
        s.conn.execute('INSERT INTO removals(article_id, seq, start, "end", reason, text) VALUES (?, 999, 0, 1, ?, ?)',
                       (aid, "test", "x"))
        assert comparison_key(s, sid)[1] != key and not is_fresh(s, sid) and cached_comparisons(s, sid) is None
        s.conn.execute("DELETE FROM removals WHERE article_id = ? AND seq = 999", (aid,))
        assert is_fresh(s, sid)
        # so does the storyline's reference set (the follow-up story leaving the storyline)
        s.conn.execute("UPDATE stories SET storyline_id = NULL WHERE id != ?", (sid,))
        assert not is_fresh(s, sid)
        s.conn.execute("UPDATE stories SET storyline_id = (SELECT storyline_id FROM stories WHERE id = ?)", (sid,))
        assert is_fresh(s, sid)
        # and new compare rules
        monkeypatch.setattr(compare_mod, "RULES_VERSION", "test-rules")
        assert not is_fresh(s, sid)
        monkeypatch.undo()
        # a fresh run is read back, never recomputed
        monkeypatch.setattr(compare_mod, "_compute_story", lambda *a, **k: pytest.fail("recomputed a fresh run"))
        again = compare_story(s, sid)
        assert [c.to_dict() for c in again] == [c.to_dict() for c in comps.values()]
        buf = io.StringIO()
        export(s, "json", buf)
        assert [d["article_id"] for d in json.loads(buf.getvalue())["comparisons"]] == [c.article_id for c in again]
    # a read-only store computes on demand but does not write
    with Store(copy) as s:
        s.forget_comparisons()
    monkeypatch.undo()
    with Store(copy, readonly=True) as s:
        assert {names[c.article_id] for c in compare_story(s, sid)} == {"000", "001", "002", "003"}
        assert s.comparison_run(sid) is None


def test_a_paragraph_naming_nothing_is_commentary_not_off_topic() -> None:
    """A closing line such as "Stay tuned for updates" is far from the story's vector but names no
    other subject: a generic remark (commentary), while padding about other actors stays off topic."""
    from storyline.compare import _DIGIT, _QUOTE_MARK, _SENTENCE_START, name_runs

    def names_nothing(par: str) -> bool:
        return not (_DIGIT.search(par) or _QUOTE_MARK.search(par) or name_runs(_SENTENCE_START.sub(r"\1", par)))

    assert names_nothing("Stay tuned for updates on this developing story.")
    assert names_nothing("Share this article with your friends. We value your feedback!")
    assert not names_nothing("President Harlan announced further sanctions on Veloria's metal sectors.")
    assert not names_nothing("It is odd because, in 2022, the council welcomed the plan.")
    assert not names_nothing("Users will be fed “election information” instead.")


def test_reporting_far_from_the_centroid_is_not_off_topic() -> None:
    """Real reports carry paragraphs whose vectors sit far from the story's centroid: an actor's own
    words, a paragraph that goes on about the person before ("He said ..."), one that opens on a key
    actor, one close to a sentence of another version. None is padding; a paragraph about other
    actors with none of these signals still is."""
    import re as _re
    from types import SimpleNamespace

    import numpy as np

    from storyline.compare import TOPIC_NEAREST, _actor_quotes, _compare_one
    from storyline.model import Quote

    paras = [
        "Senator Vale won the vote on the bridge bill on Tuesday.",
        "“This is close to a miracle,” Vale said after the vote.",
        "He said the work on the crossing would begin in the spring.",
        "Mr. Vale thanked the crews who had waited two years.",
        "It takes two-thirds of the chamber to pass such a measure.",
        "Orvian cheese tariffs rose again last year, Minister Kolb of Orvia announced.",
    ]
    text = "\n\n".join(paras)
    spans = []
    for p in paras:
        s = text.index(p)
        spans.append((s, s + len(p)))
    art = SimpleNamespace(id="a1", text=text, sentences=spans, title="Vale wins bridge vote")
    other = SimpleNamespace(id="a2", text="Vale said the bridge vote was a win for the valley.", sentences=[(0, 51)])
    q_start = text.index("“This")
    quote = Quote(id="q1", article_id="a1", start=q_start, end=text.index(" Vale said"), text="This is close to a miracle",
                  kind="direct", cue="said", speaker="Vale (Senator)", speaker_start=text.index("Vale said"),
                  speaker_end=text.index("Vale said") + 4)
    actors = _actor_quotes([quote], [art, other], keys=set())
    assert actors == {"a1": [(quote.start, quote.end, "Vale")]}  # named by the other version
    rng = np.random.default_rng(0)
    vx = rng.normal(size=(len(spans), 64)).astype(np.float32)
    centroid = rng.normal(size=64).astype(np.float32)
    vx -= np.outer(vx @ centroid / (centroid @ centroid), centroid)  # every sentence orthogonal to it
    vx /= np.linalg.norm(vx, axis=1, keepdims=True)
    centroid /= np.linalg.norm(centroid)
    best = np.zeros(len(spans))
    best[4] = TOPIC_NEAREST + 0.05  # "two-thirds of the chamber" is close to a sentence of another version
    framing = SimpleNamespace(score=lambda texts, vecs: np.zeros(len(texts)), threshold=1.0,
                              terms_in=lambda text, sents: [], terms=lambda title: [])
    comp = _compare_one("S1", art, vx, best, np.zeros(len(spans), dtype=bool), [], centroid, {"vale"},
                        framing, actors["a1"])
    kinds = {_re.sub(r"\W.*", "", a["text"][:6]): (a["kind"], a["evidence"]) for a in comp.additions}
    assert kinds["Senato"][0] == "new_fact" and "leads_with_key_entity" in kinds["Senato"][1]
    assert kinds[""][0] == "new_fact" and kinds[""][1]["story_speakers"] == ["Vale"]  # the quote
    assert kinds["He"][0] == "new_fact" and kinds["He"][1]["continues_previous"]
    assert kinds["Mr"][0] == "new_fact" and kinds["Mr"][1]["leads_with_key_entity"] == "vale"
    assert kinds["It"][0] == "new_fact" and kinds["It"][1]["nearest_other"] >= TOPIC_NEAREST
    assert kinds["Orvian"][0] == "off_topic"


def test_a_reaction_sharing_the_lead_s_words_is_about_the_event() -> None:
    """An official's reaction that names no key entity and sits far from the centroid ("asked the
    agency to review how the batches passed inspection") shares words with its article's lead ("the
    agency found traces ... in three batches"): it is about the event, not another subject."""
    from storyline.compare import _content_stems

    lead = _content_stems("Drugmaker recalls pills. The agency found traces of a carcinogen in three batches.")
    reaction = _content_stems("The health secretary asked the agency to review how the batches passed inspection.")
    padding = _content_stems("President Trump announced further sanctions on the metal sectors of Iran.")
    assert {"agency", "batch"} <= lead & reaction
    assert not lead & padding
    assert "president" in _content_stems("President") and "presidential" in _content_stems("Presidential")


def test_a_version_in_another_language_omits_nothing_the_others_carry() -> None:
    """A Spanish version of an English story: alignment, quotes and claims read English, so the Spanish
    one is not said to omit what the English versions carry; the English ones still are judged."""
    from storyline.compare import Comparison, _omissions
    from storyline.model import Article
    from storyline.unionfind import UnionFind

    arts = [Article(id=i, text="x", language=lang) for i, lang in (("en1", "en"), ("en2", "en"), ("en3", "en"),
                                                                  ("es1", "es"))]
    for a in arts:
        a.sentences = [(0, 1)]
    uf: UnionFind = UnionFind()
    uf.union(("en1", 0), ("en2", 0))

    class _Store:
        def quote_groups(self, sid):  # noqa: ANN001, ANN201
            return []

        def claims(self, ids):  # noqa: ANN001, ANN201
            return []

    comps = [Comparison(story_id="S", article_id=a.id) for a in arts]
    _omissions(_Store(), "S", arts, comps, uf, [])
    assert {c.article_id: len(c.omissions) for c in comps} == {"en1": 0, "en2": 0, "en3": 1, "es1": 0}
