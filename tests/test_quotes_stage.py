"""The quotes and claims stage wired in: pipeline -> store -> export -> CLI, on the seeds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli
from storyline.model import Article, EXPORT_FORMAT_VERSION
from storyline.pipeline import Pipeline
from storyline.store import Store, export

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    db = tmp_path_factory.mktemp("qs") / "s.db"
    code, _ = run(db, "-q", "add", "--workers", "1", str(SEEDS))
    assert code == 0
    return db


def _names(store: Store) -> dict[str, str]:
    return {a.id: Path(a.path or "").name[:3] for a in store.list_articles()}


def _export(db: Path) -> dict:
    import io

    with Store(db) as store:
        buf = io.StringIO()
        export(store, "json", buf)
    return json.loads(buf.getvalue())


def test_pipeline_stores_quotes_groups_and_claims(seeded: Path) -> None:
    with Store(seeded) as store:
        names = _names(store)
        qs = store.quotes()
        assert {names[q.article_id] for q in qs} == {"000", "001", "002", "003", "004"}
        blinken = [q for q in qs if names[q.article_id] == "003" and q.kind == "direct"
                   and q.speaker == "Antony Blinken"]
        assert len(blinken) == 2 and all([c.name for c in q.chain] == ["CNN", "Daily Mail"] for q in blinken)
        assert store.ids_without_quote_run() == []
        claims = store.claims()
        hit = [c for c in claims if {names[s.article_id] for s in c.stances if s.stance == "denies"}
               >= {"000", "001", "002", "004"}]
        assert len(hit) == 1
        assert {names[s.article_id] for s in hit[0].stances if s.stance == "reports"} >= {"000", "001", "002", "003"}
        text = {a.id: a.text for a in store.list_articles()}
        for c in claims:
            for s in c.stances:
                assert 0 <= s.start < s.end <= len(text[s.article_id])


def test_readding_changes_nothing(seeded: Path, tmp_path: Path) -> None:
    before = _export(seeded)
    code, out = run(seeded, "add", "--json", "--workers", "1", str(SEEDS))
    assert code == 0
    rep = json.loads(out)
    assert rep["quotes"] == 0 and rep["claims"] == 0 and rep["quote_articles"] == 0
    assert _export(seeded) == before


def test_export_sections(seeded: Path) -> None:
    doc = _export(seeded)
    assert doc["version"] == EXPORT_FORMAT_VERSION
    keys = list(doc)
    assert keys.index("quotes") < keys.index("claims")
    q = doc["quotes"][0]
    assert list(q)[:13] == ["id", "article_id", "text", "start", "end", "kind", "cue", "speaker", "speaker_start",
                            "speaker_end", "chain", "group_id", "altered"]
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for q in doc["quotes"]:
        assert texts[q["article_id"]][q["start"]:q["end"]] == q["text"]
    c = doc["claims"][0]
    assert list(c)[:4] == ["id", "text", "holder", "stances"]
    assert list(c["stances"][0])[:4] == ["article_id", "stance", "start", "end"]
    assert all(s["stance"] in ("asserts", "reports", "denies", "disputes") for c in doc["claims"] for s in c["stances"])
    groups = {g["id"] for g in doc["quote_groups"]}
    assert {q["group_id"] for q in doc["quotes"] if q["group_id"]} <= groups


def test_cli_quotes_and_claims(seeded: Path) -> None:
    code, out = run(seeded, "quotes", "--speaker", "lin jian", "--json")
    assert code == 0
    got = json.loads(out)
    assert got and all("Lin Jian" in q["speaker"] for q in got)
    assert any("never interfered" in q["text"] for q in got)
    with Store(seeded) as store:
        names = _names(store)
        story = next(s for s in store.stories() if len(s["article_ids"]) >= 4)
    code, out = run(seeded, "quotes", "--story", story["id"], "--json")
    assert code == 0 and {q["article_id"] for q in json.loads(out)} <= set(story["article_ids"])
    code, out = run(seeded, "claims", "--story", story["id"], "--json")
    assert code == 0
    cl = json.loads(out)
    top = cl[0]
    assert {names[s["article_id"]] for s in top["stances"] if s["stance"] == "denies"} >= {"000", "001", "002", "004"}
    code, out = run(seeded, "claims", "--story", story["id"])
    assert code == 0 and "denies" in out and "reports" in out
    code, out = run(seeded, "claims", "--story", "S999999")
    assert code != 0


def test_no_quotes_then_later_add_catches_up(tmp_path: Path) -> None:
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(SEEDS.iterdir())[:2]:
        shutil.copy(p, src / p.name)
    db = tmp_path / "n.db"
    code, _ = run(db, "-q", "add", "--no-quotes", "--no-reuse", "--no-stories", "--workers", "1", str(src))
    assert code == 0
    with Store(db) as store:
        assert store.quotes() == [] and len(store.ids_without_quote_run()) == 2
        rep = Pipeline(store, detect_language=False, quotes=True).add([str(src)])
        assert rep.quote_articles == 2 and rep.quotes > 0
        assert store.ids_without_quote_run() == []


def test_reclean_forgets_quotes(tmp_path: Path) -> None:
    with Store(tmp_path / "r.db") as store:
        a = Article(id="a" * 16, text="The mayor said that the bridge will open in May.", raw_text="x",
                    language="en", source_key="s")
        store.add_articles([a])
        Pipeline(store, quotes=True, detect_language=False).quotes.run(store)  # type: ignore[union-attr]
        assert len(store.quotes()) == 1 and store.ids_without_quote_run() == []
        a.text = "The mayor said nothing."
        store.update_clean_many([a])
        assert store.quotes() == [] and store.ids_without_quote_run() == [a.id]


def test_parallel_share_out_gives_the_serial_quotes() -> None:
    """n_process=2: a forked child parses a share and returns its quotes; same quotes, same order,
    and copies that share a paragraph stay in one share."""
    from storyline.nlp.quotes import QuotesStage, _share_out

    base = ("“We will rebuild the bridge this year,” Mayor Ruth Okafor said on Monday.\n\n"
            "The council said that the money had been set aside in March.\n\n")
    arts = [Article(id=f"a{i}", text=f"Item {i}: the harbour board met.\n\n" + base
                    + f"Finance minister Tomas Brandt told reporters that item {i} was late.")
            for i in range(6)]
    arts.append(Article(id="other", text="Senator Ana Ruiz vowed to block the pipeline permit."))
    serial = QuotesStage(n_process=1).process(arts)
    parallel = QuotesStage(n_process=2).process(arts)
    assert [(q.id, q.text, q.speaker) for q in parallel.quotes] == [(q.id, q.text, q.speaker) for q in serial.quotes]
    import gc

    assert gc.get_freeze_count() == 0  # the heap frozen for the fork is handed back to the collector
    shares = _share_out([(a.id, a.text) for a in arts], 2)
    assert any(set(range(6)) <= set(sh) for sh in shares)


def test_a_text_longer_than_the_parser_reads_gives_quotes_from_its_start() -> None:
    """An article over MAX_CHARS (the parser reads that much) crashed the whole add: the parse no
    longer matched the text. Its quotes now come from the start, offsets into the full text."""
    from storyline.nlp.parse import MAX_CHARS
    from storyline.nlp.quotes import extract_quotes

    head = 'The mayor said the port would reopen on Monday. '
    text = head + "word " * (MAX_CHARS // 5)
    qs = extract_quotes(text, article_id="long")
    assert [(q.speaker, text[q.start:q.end]) for q in qs] == [("The mayor", "the port would reopen on Monday")]


def test_one_article_that_fails_does_not_stop_the_batch(monkeypatch) -> None:  # noqa: ANN001
    """An error inside one article's analysis is logged with its id; the others keep their quotes."""
    import storyline.nlp.quotes as Q

    real = Q.extract_quotes

    def flaky(text, *, article_id="", doc=None, refine=True):  # noqa: ANN001, ANN202
        if article_id == "bad":
            raise RuntimeError("boom")
        return real(text, article_id=article_id, doc=doc, refine=refine)

    monkeypatch.setattr(Q, "extract_quotes", flaky)
    out = Q.quotes_of_many([("bad", "Smith said it rained."), ("good", "Jones said the port would reopen.")])
    assert [len(x) for x in out] == [0, 1]


def _scope_of(store: Store) -> dict[str, str]:
    return {a: s.get("storyline_id") or s["id"] for s in store.stories() for a in s["article_ids"]}


def test_split_story_regroups_quotes_and_claims(seeded: Path, tmp_path: Path) -> None:
    """A story split after its quotes were grouped (the stories stage splits a drifted story) gets
    its groups and claims recomputed on the next run, with nothing new to analyse."""
    db = tmp_path / "split.db"
    shutil.copy(seeded, db)
    with Store(db) as store:
        quote_article = {q.id: q.article_id for q in store.quotes()}
        stories = store.load_stories()
        spanning = [s for s in stories if any(
            len({quote_article[i] for i in g.quote_ids}) >= 2 for g in store.quote_groups(s["id"]))]
        story = max(spanning, key=lambda s: len(s["article_ids"]))
        ids = story["article_ids"]
        assert len(ids) >= 2
        keep, move = ids[: len(ids) // 2], ids[len(ids) // 2:]
        split = dict(story, id=story["id"] + "-later", seq=max(s["seq"] for s in stories) + 1,
                     storyline_id=None, article_ids=move)
        store.save_stories([dict(story, article_ids=keep), split])
        step = Pipeline(store, quotes=True, detect_language=False).quotes
        assert step is not None
        rep = step.run(store)
        assert rep.articles == 0 and rep.stories >= 1
        scope = _scope_of(store)
        quotes = store.quotes()
        groups = {g.id: g for g in store.quote_groups()}
        article_of = {q.id: q.article_id for q in quotes}
        for g in groups.values():
            assert len({scope[article_of[i]] for i in g.quote_ids}) == 1, g
        assert all(q.group_id in groups for q in quotes if q.group_id)
        for c in store.claims():
            assert len({scope.get(s.article_id, s.article_id) for s in c.stances}) == 1, c.text
        assert step.run(store).groups == 0  # nothing stale now


def test_relink_recomputes_quote_groups(seeded: Path, tmp_path: Path) -> None:
    db = tmp_path / "relink.db"
    shutil.copy(seeded, db)
    with Store(db) as store:
        before = [(g.id, g.quote_ids, g.altered) for g in store.quote_groups()]
        grouped = {q.id: (q.group_id, q.altered) for q in store.quotes()}
        assert before
        store.put_quote_groups({s["id"]: [] for s in store.stories()}, [])
        with store.transaction() as c:
            c.execute("UPDATE quotes SET group_id = NULL, altered = 0, difference = NULL")
    code, out = run(db, "relink")
    assert code == 0 and f"{len(before)} quote group(s)" in out
    with Store(db) as store:
        assert [(g.id, g.quote_ids, g.altered) for g in store.quote_groups()] == before
        assert {q.id: (q.group_id, q.altered) for q in store.quotes()} == grouped


def test_the_publishing_outlet_is_no_link_of_its_own_quotes() -> None:
    """"told the Courier" in the Courier: the words came to it directly; "according to a Herald
    analysis" in the Herald is the outlet's own voice, no quote."""
    from storyline.nlp.quotes import QuotesStage

    text = ("Maria Lopez said in an interview with the Courier that her office had opened an inquiry. "
            "Ridership fell 7 percent on the east side, according to a Courier analysis of the figures. "
            "Jane Doe told the Ledger that the plan was dead.")
    art = Article(id="a1", text=text, source="The Tamsin Valley Courier", status="ok")
    qs = QuotesStage().process([art]).quotes
    assert [(q.speaker, [c.name for c in q.chain]) for q in qs] == [
        ("Maria Lopez", []), ("Jane Doe", ["Ledger"])]
