"""The reuse stage wired into the product: pipeline, store, export, CLI, on the seeds."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import cli, diff_rows
from storyline.pipeline import Pipeline
from storyline.reuse import candidates as candidates_mod
from storyline.reuse.stage import fold_copies, link_new_articles
from storyline.store import Store
from storyline.store.export import export

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")



@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:
    db = tmp_path_factory.mktemp("reuse") / "seeds.db"
    with Store(db) as s:
        report = Pipeline(s, reuse=True, encoder=encoder).add([str(SEEDS)])
        assert report.inserted == 5 and report.reuse_links >= 2
    return db


def ids_by_file(store: Store) -> dict[str, str]:
    return {Path(a.location).name[:3]: a.id for a in store.list_articles()}


def pair(x: str, y: str) -> tuple[str, str]:
    return (min(x, y), max(x, y))


def test_seed_links(seeded: Path) -> None:
    with Store(seeded) as s:
        ids = ids_by_file(s)
        links = {(ln["a"], ln["b"]): ln for ln in s.reuse_links()}
        for x, y in (("000", "001"), ("001", "002")):
            ln = links.get(pair(ids[x], ids[y]))
            assert ln is not None, f"{x} and {y} should be linked"
            assert ln["kind"] in ("rewrite", "partial_reuse")
            assert ln["passages"] and any(p["match"] == "paraphrase" for p in ln["passages"])
        assert s.reuse_links(ids["004"]) == []
        assert links == {(ln["a"], ln["b"]): ln for ln in s.reuse_links()}  # sorted, stable
        assert all(a < b for a, b in links)
        cited = s.get_citations(ids.values())
        for f in ("000", "001", "002", "003"):
            assert "CNN" in cited[ids[f]]


def test_readding_changes_nothing(seeded: Path, encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    con = sqlite3.connect(seeded)
    dump = lambda: (con.execute("select * from reuse_links order by a, b").fetchall(),  # noqa: E731
                    con.execute("select * from reuse_passages order by a, b, seq").fetchall(),
                    con.execute("select article_id, sig from minhash order by article_id").fetchall())
    before = dump()

    def boom(*a, **k):
        raise AssertionError("signatures recomputed for stored articles")

    monkeypatch.setattr(candidates_mod, "signatures", boom)
    with Store(seeded) as s:
        report = Pipeline(s, reuse=True, encoder=encoder).add([str(SEEDS)])
        assert report.inserted == 0 and report.reuse_links == 0
        assert link_new_articles(s, encoder=encoder).articles == 0
    assert dump() == before


def test_new_article_only_is_signed(tmp_path: Path, encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    for f in sorted(SEEDS.glob("00[0-2]_*.txt")):
        (pile / f.name).write_bytes(f.read_bytes())
    calls: list[int] = []
    real = candidates_mod.signatures

    def counting(texts, **kw):
        calls.append(len(texts))
        return real(texts, **kw)

    monkeypatch.setattr(candidates_mod, "signatures", counting)
    with Store(tmp_path / "r.db") as s:
        Pipeline(s, reuse=True, encoder=encoder).add([str(pile)])
        n_links = len(s.reuse_links())
        assert calls == [3] and n_links >= 2
        one = next(SEEDS.glob("004_*.txt"))
        report = Pipeline(s, reuse=True, encoder=encoder).add([str(one)])
        assert report.inserted == 1 and report.reuse_links == 0
        assert calls == [3, 1]
        assert len(s.reuse_links()) == n_links


def test_articles_added_without_reuse_are_linked_later(tmp_path: Path, encoder) -> None:
    with Store(tmp_path / "late.db") as s:
        Pipeline(s).add([str(SEEDS)])  # the library default: no reuse
        assert s.reuse_links() == [] and len(s.ok_ids_without_minhash()) == 5
        rep = link_new_articles(s, encoder=encoder)
        assert rep.articles == 5 and rep.links >= 2 and s.ok_ids_without_minhash() == []


def test_recleaning_forgets_stale_links(tmp_path: Path, seeded: Path) -> None:
    db = tmp_path / "copy.db"
    src = sqlite3.connect(seeded)
    dst = sqlite3.connect(db)
    src.backup(dst)
    dst.close()
    with Store(db) as s:
        ids = ids_by_file(s)
        a = s.get_article(ids["001"])
        assert s.reuse_links(a.id)
        a.text = a.text[: a.sentences[2][1]]
        a.sentences = a.sentences[:3]
        s.update_clean(a)
        assert s.reuse_links(a.id) == []
        assert a.id in s.ok_ids_without_minhash()


def test_export_reuse_section(seeded: Path) -> None:
    with Store(seeded) as s:
        buf = io.StringIO()
        export(s, "json", buf)
    doc = json.loads(buf.getvalue())
    keys = list(doc)
    assert keys.index("reuse") < keys.index("reuse_groups")
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    reuse = doc["reuse"]
    assert reuse and [(r["a"], r["b"]) for r in reuse] == sorted((r["a"], r["b"]) for r in reuse)
    for r in reuse:
        assert list(r)[:6] == ["a", "b", "kind", "direction", "scores", "passages"]
        assert r["direction"] in (None, "a->b", "b->a")
        for p in r["passages"]:
            assert list(p) == ["a_start", "a_end", "b_start", "b_end", "similarity", "match"]
            assert 0 <= p["a_start"] < p["a_end"] <= len(texts[r["a"]])
            assert 0 <= p["b_start"] < p["b_end"] <= len(texts[r["b"]])
            assert texts[r["a"]][p["a_start"]:p["a_end"]].strip()
            assert p["match"] in ("exact", "paraphrase", "changed")
    for a in doc["articles"]:
        assert list(a)[-1] == "cited_sources"
    assert sum("CNN" in a["cited_sources"] for a in doc["articles"]) == 4


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_reuse_diff_articles(seeded: Path) -> None:
    with Store(seeded) as s:
        ids = ids_by_file(s)
    code, out = run(seeded, "reuse", ids["001"][:8])
    assert code == 0 and ids["000"] in out and ("rewrite" in out or "partial_reuse" in out)
    code, out = run(seeded, "reuse", "--json", ids["001"])
    assert code == 0
    rows = json.loads(out)
    assert {r["other"] for r in rows} >= {ids["000"], ids["002"]}
    assert all(set(r) >= {"other", "kind", "direction", "coverage_this", "coverage_other", "passages"} for r in rows)
    code, out = run(seeded, "reuse", ids["004"])
    assert code == 0 and "no reuse links" in out
    code, out = run(seeded, "diff", ids["001"], ids["000"])
    assert code == 0 and "≈" in out and "paraphrase" in out
    code, out = run(seeded, "diff", ids["000"], ids["004"])  # not linked: aligned on the fly
    assert code == 0 and "no link" in out
    code, out = run(seeded, "articles")
    assert code == 0 and "5 articles, 5 independent versions once copies are folded" in out


def test_diff_rows_cover_both_texts() -> None:
    a = "One. Two. Three. Four."
    b = "Zero. One. Deux. Four. Five."
    ps = [{"a_start": 0, "a_end": 4, "b_start": 6, "b_end": 10, "similarity": 1.0, "match": "exact"},
          {"a_start": 17, "a_end": 22, "b_start": 17, "b_end": 22, "similarity": 1.0, "match": "exact"}]
    rows = diff_rows(a, b, ps)
    assert [r[0] for r in rows] == ["added", "exact", "added", "missing", "exact", "added"]
    assert "".join(r[1] for r in rows).replace(" ", "") == a.replace(" ", "")
    assert "".join(r[2] for r in rows).replace(" ", "") == b.replace(" ", "")


def test_fold_copies() -> None:
    links = [{"a": "a", "b": "b", "kind": "duplicate"}, {"a": "b", "b": "c", "kind": "near_duplicate"},
             {"a": "c", "b": "d", "kind": "rewrite"}, {"a": "x", "b": "e", "kind": "duplicate"}]
    assert fold_copies(["a", "b", "c", "d", "e"], links) == [["a", "b", "c"], ["d"], ["e"]]


def test_common_source_named_from_their_own_text(seeded: Path) -> None:
    from storyline.reuse.provenance import articles_source, reuse_groups

    with Store(seeded) as s:
        ids = ids_by_file(s)
        story = [ids[f] for f in ("000", "001", "002", "003")]
        rec = articles_source(s, story)
        assert rec.shared_source and rec.source == "CNN"
        assert rec.evidence["citing_texts"]["CNN"] == 4
        groups = reuse_groups(s)
        assert groups, "the seeds that share text form a reuse group"
        g = next(g for g in groups if ids["001"] in g.article_ids)
        assert ids["004"] not in g.article_ids
        assert g.shared_source and g.source == "CNN"
    out = io.StringIO()
    with Store(seeded) as s:
        export(s, "json", out)
    data = json.loads(out.getvalue())
    assert any(x["source"] == "CNN" for x in data["reuse_groups"])
    r = CliRunner().invoke(cli, ["--db", str(seeded), "reuse", ids["001"]])
    assert r.exit_code == 0 and "common source" in r.output and "CNN" in r.output


def test_shared_quotes_alone_make_no_link() -> None:
    """Independent reports of one event quote the same statement verbatim: no reuse link."""
    from storyline.reuse.align import Passage
    from storyline.reuse.links import classify_link
    from storyline.text import split_sentences

    quotes = ['"We will not accept this decision," the mayor said on Monday.',
              '"It is a sad day for the city and for every family that lives here."',
              '"We expect the council to listen to the people," she added.']
    a_own = ["The council voted to close the library on the east side of town.",
             "The building opened in 1962 and has been repaired twice since then.",
             "Residents gathered outside the hall before the vote began in the evening."]
    b_own = ["A library closure passed by a narrow margin late in the evening session.",
             "Officials cited rising maintenance costs and falling visitor numbers for it.",
             "Opponents promised to collect signatures for a referendum next spring."]
    a = " ".join(a_own + quotes)
    b = " ".join(quotes + b_own)
    sa, sb = split_sentences(a), split_sentences(b)
    qa = [k for k, (s0, e0) in enumerate(sa) if a[s0:e0] in quotes]
    qb = [k for k, (s0, e0) in enumerate(sb) if b[s0:e0] in quotes]
    ps = [Passage(sa[i][0], sa[i][1], sb[j][0], sb[j][1], 1.0, "exact") for i, j in zip(qa, qb)]
    art_a, art_b = {"id": "a", "text": a, "sentences": sa}, {"id": "b", "text": b, "sentences": sb}
    assert classify_link(art_a, art_b, ps) is None
    # the same three sentences shared as narrative (not quotes) are reuse
    a2 = " ".join(a_own + b_own[:1])
    b2 = " ".join(a_own + ["Something else entirely happened in another town on the same day."] * 1)
    s2a, s2b = split_sentences(a2), split_sentences(b2)
    ps2 = [Passage(s2a[k][0], s2a[k][1], s2b[k][0], s2b[k][1], 1.0, "exact") for k in range(3)]
    link = classify_link({"id": "a", "text": a2, "sentences": s2a}, {"id": "b", "text": b2, "sentences": s2b}, ps2)
    assert link is not None and link.kind in ("near_duplicate", "partial_reuse")


def test_a_short_copy_that_credits_the_other_is_linked_and_points_from_it() -> None:
    """Two shared narrative sentences are no link between independent reports, but they are when one
    text credits the other's outlet; a credit line the cleaner took out ("(Reporting by X)") still
    credits X and decides the direction on a same-day pair."""
    from storyline.model import Article, Removal
    from storyline.reuse.align import Passage
    from storyline.reuse.links import classify_link, credited_outlets, direction
    from storyline.text import split_sentences

    shared = ["The port authority said on Monday that the dredging contract had been cancelled.",
              "It said the company had missed every deadline set in the agreement since 2024."]
    own_a = ["Shares in the dredging company fell by a fifth in early trading on Tuesday.",
             "The authority will tender the work again before the end of the year, it said.",
             "Fishermen have complained for years that the works stirred up the bay."]
    own_b = ["Analysts expect a lengthy legal fight over the cancellation fees involved."]
    a_text, b_text = " ".join(shared + own_a), " ".join(shared + own_b)
    sa, sb = split_sentences(a_text), split_sentences(b_text)
    ps = [Passage(sa[k][0], sa[k][1], sb[k][0], sb[k][1], 1.0, "exact") for k in range(2)]
    day = datetime(2026, 3, 2, tzinfo=timezone.utc)
    a = Article(id="a", source="Harbor Wire", text=a_text, sentences=sa, published_at=day, date_precision="day")
    b = Article(id="b", source="Bay Courier", text=b_text, sentences=sb, published_at=day, date_precision="day")
    assert classify_link(a, b, ps) is None
    b.removed = [Removal(len(b_text), len(b_text) + 26, "(Reporting by Harbor Wire)", "credit_line")]
    link = classify_link(a, b, ps)
    assert link is not None and link.evidence["credited"] == {"b_credits": ["harbor wire"]}
    assert credited_outlets(b) == ["Harbor Wire"] and credited_outlets(a) == []
    assert direction(a, b, ps, a_text, b_text).value == "a->b"


def test_two_long_sentences_word_for_word_are_a_copy_whatever_the_dateline() -> None:
    """A wire story's two opening sentences copied word for word (the copy without the wire's
    dateline "BRENNICK (Continental Press) —") are reuse; two short shared sentences are not."""
    from storyline.reuse.align import align, norm_key
    from storyline.reuse.links import classify_link
    from storyline.text import split_sentences

    assert norm_key("BRENNICK (Continental Press) — A quake struck.") == norm_key("A quake struck.")
    lead = ["A magnitude 6.8 earthquake struck the Kestrel Valley early on Tuesday, killing at least 12 people and "
            "collapsing dozens of buildings, officials said.",
            "The regional emergency agency said rescue teams were searching for survivors in the town of Brennick, "
            "where a school and a hospital wing were damaged."]
    a_text = " ".join(["BRENNICK (Continental Press) — " + lead[0], lead[1],
                       "Residents described minutes of panic as walls fell into the street outside the market.",
                       "The army sent two helicopters to the mountain villages that the roads no longer reach."])
    b_text = " ".join(lead + ["The national seismology institute said the quake was centred 14 kilometres down.",
                              "Aftershocks of up to magnitude 5.1 followed through the morning and the afternoon."])
    sa, sb = split_sentences(a_text), split_sentences(b_text)
    ps = align(a_text, sa, b_text, sb)
    link = classify_link({"id": "a", "text": a_text, "sentences": sa}, {"id": "b", "text": b_text, "sentences": sb}, ps)
    assert link is not None and link.kind == "partial_reuse"
    assert link.evidence["verbatim_narrative_sentences"] == 2


def test_relink_recomputes_the_same_links(seeded: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(seeded, db)
    with Store(db) as s:
        before = [(ln["a"], ln["b"], ln["kind"]) for ln in s.reuse_links()]
    r = CliRunner().invoke(cli, ["--db", str(db), "relink"])
    assert r.exit_code == 0, r.output
    assert f"{len(before)} link(s) before, {len(before)} now" in r.output
    with Store(db) as s:
        assert [(ln["a"], ln["b"], ln["kind"]) for ln in s.reuse_links()] == before
        info = s.info()
        assert sum(info["reuse_links"].values()) == len(before) and info["minhash_signatures"] == 5
