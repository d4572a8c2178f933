"""Sentence alignment, link kinds, direction and cited sources (storyline.reuse.align / links).

Fake unit vectors are injected where the encoder is not the point; the real MiniLM encoder runs only
on the seeds (a few dozen sentences), skipped when ../shared/seeds is absent.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest

from storyline.reuse.align import Passage, align, align_sentences, merge_passages
from storyline.reuse.links import (
    cited_sources,
    classify_link,
    common_source,
    coverage,
    direction,
)
from storyline.text import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

S = [
    "The central bank raised interest rates by half a point on Tuesday.",
    "Officials said inflation had stayed above the target for a year.",
    "Markets in Asia fell sharply after the announcement was made.",
    "The governor of Freedonia will speak to Parliament next week.",
    "A spokesman declined to comment on the timing of the move.",
]


def fake_vecs(texts: list[str], ids: list[int], dim: int = 16, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """One random unit direction per sentence id (same id -> near-same vector)."""
    base = np.random.default_rng(1234).normal(size=(64, dim))
    rng = np.random.default_rng(seed)
    v = base[ids] + noise * rng.normal(size=(len(ids), dim))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def doc(sents: list[str], sep: str = " ") -> tuple[str, list[tuple[int, int]]]:
    text = sep.join(sents)
    return text, split_sentences(text)


def test_identical_sentences_are_exact_and_merge_into_one_passage():
    a, sa = doc(S)
    b, sb = doc(S)
    v = fake_vecs(S, list(range(5)))
    ps = align(a, sa, b, sb, a_vecs=v, b_vecs=v)
    assert ps == [Passage(0, len(a), 0, len(b), 1.0, "exact")]


def test_spans_index_the_texts_and_reordered_paragraphs_align():
    a, sa = doc(S, "\n\n")
    order = [3, 4, 0, 1, 2]
    b, sb = doc([S[k] for k in order], "\n\n")
    # punctuation/case noise must still be exact
    b = b.replace("Markets in Asia", "markets in Asia").replace("next week.", "next week")
    sb = split_sentences(b)
    pairs = align_sentences(a, sa, b, sb, a_vecs=fake_vecs(S, list(range(5))),
                            b_vecs=fake_vecs(S, order))
    assert [(p.i, p.j) for p in pairs] == [(0, 2), (1, 3), (2, 4), (3, 0), (4, 1)]
    assert all(p.match == "exact" for p in pairs)
    ps = merge_passages(pairs, sa, sb)
    assert len(ps) == 2  # sentences 0-2 and 3-4 are runs in both texts
    for p in ps:
        a_run, b_run = a[p.a_start:p.a_end], b[p.b_start:p.b_end]
        assert a_run.startswith(("The central", "The governor")) and a_run.rstrip(".").endswith(("made", "move"))
        assert b_run.lower()[:20] == a_run.lower()[:20]


def test_unrelated_sentences_stay_unaligned():
    other = [
        "The football club signed a new striker from Brazil for the season.",
        "Heavy rain flooded several villages in the northern province overnight.",
    ]
    a, sa = doc(S[:2])
    b, sb = doc(other)
    ps = align(a, sa, b, sb, a_vecs=fake_vecs(S, [0, 1]), b_vecs=fake_vecs(other, [10, 11]))
    assert ps == []


def _pair(x: str, y: str, cos_noise: float = 0.05):
    a, sa = doc([x])
    b, sb = doc([y])
    va = fake_vecs([x], [7])
    vb = fake_vecs([y], [7], noise=cos_noise, seed=3)
    return align_sentences(a, sa, b, sb, a_vecs=va, b_vecs=vb)


def test_changed_number_is_changed_not_a_match():
    pairs = _pair("Police said five people were killed in the blast near the market.",
                  "Police said 7 people were killed in the blast near the market.")
    assert [p.match for p in pairs] == ["changed"]
    assert pairs[0].evidence["numbers"] == {"a_only": ["5"], "b_only": ["7"]}


def test_negation_flip_is_changed():
    pairs = _pair("The minister confirmed the report about the new tax on Monday.",
                  "The minister did not confirm the report about the new tax on Monday.")
    assert [p.match for p in pairs] == ["changed"]
    assert "negation" in pairs[0].evidence


def test_name_swap_is_changed_and_reworded_paraphrase_is_paraphrase():
    pairs = _pair("On Friday, President Biden met the Chinese leader in Beijing.",
                  "On Friday, President Trump met the Chinese leader in Beijing.")
    assert [p.match for p in pairs] == ["changed"]
    assert pairs[0].evidence["names"] == {"a_only": ["biden"], "b_only": ["trump"]}
    pairs = _pair("Officials said inflation had stayed above the target for a year.",
                  "Inflation has remained over the target for twelve months, officials said.", 0.02)
    assert [p.match for p in pairs] == ["paraphrase"]


def test_link_kinds_from_passages():
    a, sa = doc(S)
    art_a = {"id": "a", "text": a, "sentences": sa}
    art_b = {"id": "b", "text": a, "sentences": sa}
    full = [Passage(0, len(a), 0, len(a), 1.0, "exact")]
    assert classify_link(art_a, art_b, full).kind == "duplicate"
    para = [Passage(0, len(a), 0, len(a), 0.8, "paraphrase")]
    assert classify_link(art_a, art_b, para).kind == "rewrite"
    # B = A's first three sentences inside a longer article: partial reuse, B->A containment 1
    long_b, sb = doc(S[:3] + [f"Unrelated sentence number {k} about something else entirely." for k in range(9)])
    part = [Passage(sa[0][0], sa[2][1], sb[0][0], sb[2][1], 1.0, "exact")]
    link = classify_link(art_a, {"id": "c", "text": long_b, "sentences": sb}, part)
    assert link.kind == "partial_reuse"
    assert link.scores["sentence_share_a"] == 0.6 and link.scores["aligned_sentences_b"] == 3
    assert classify_link(art_a, art_b, []) is None


def test_direction_dates_then_containment():
    a, sa = doc(S[:3])
    b, sb = doc(S[:3] + ["An extra paragraph of analysis that the copy added at the end."])
    ps = [Passage(0, len(a), 0, sb[2][1], 1.0, "exact")]
    d1 = datetime(2024, 4, 26, tzinfo=timezone.utc)
    d2 = datetime(2024, 4, 27, tzinfo=timezone.utc)
    r = direction({"published_at": d2}, {"published_at": d1}, ps, a, b)
    assert (r.value, r.basis) == ("b->a", "dates")
    r = direction({"sentences": sa}, {"sentences": sb}, ps, a, b)
    assert (r.value, r.basis) == ("a->b", "containment") and r.evidence["containment"]["a"] == 1.0
    r = direction({"source": "Example Wire"}, {}, [], "x", "The story was first reported by Example Wire.")
    assert (r.value, r.basis) == ("a->b", "attribution")


def test_cited_sources_general_patterns():
    text = ("The senator told NBC News on Sunday that the bill would pass. "
            "According to The Springfield Herald, the vote is set for May. "
            "Per Acme Daily, the count was close. The Capital Times reported that aides disagreed. "
            "According to him, nothing changed. A report by the Bureau of Statistics said otherwise.")
    assert cited_sources(text) == [
        "NBC News", "The Springfield Herald", "Acme Daily", "The Capital Times", "Bureau of Statistics",
    ]
    res = common_source(["He told ABC that...", "as reported by ABC, ...", "no credit here"],
                        {(0, 1): (0.4, 0.5), (1, 2): (0.3, 0.3)})
    assert res.shared and res.source == "ABC"
    res = common_source(["He told ABC that...", "as reported by ABC"], {(0, 1): (0.95, 0.5)})
    assert not res.shared


# --------------------------------------------------------------------------- seeds (real encoder)


@pytest.fixture(scope="module")
def seeds(encoder):
    if not SEEDS.exists():
        pytest.skip("../shared/seeds not present")
    from storyline.clean import Cleaner
    from storyline.ingest import read_inputs

    arts = sorted([a for a in read_inputs([str(SEEDS)]) if a.status == "ok"], key=lambda a: a.path)
    Cleaner().process(arts)
    vecs = [encoder.encode([a.text[s:e] for s, e in a.sentences]) for a in arts]
    return arts, vecs


def _link(seeds, i, j):
    arts, vecs = seeds
    a, b = arts[i], arts[j]
    ps = align(a.text, a.sentences, b.text, b.sentences, a_vecs=vecs[i], b_vecs=vecs[j])
    for p in ps:
        assert a.text[p.a_start:p.a_end].strip() and b.text[p.b_start:p.b_end].strip()
        assert any(s == p.a_start for s, _ in a.sentences) and any(e == p.a_end for _, e in a.sentences)
    return ps, classify_link(a, b, ps)


def test_seeds_001_002_share_aligned_passages(seeds):
    ps, link = _link(seeds, 1, 2)
    assert link is not None and link.kind == "rewrite"
    assert sum(p.match == "paraphrase" for p in ps) >= 4
    arts, _ = seeds
    texts = [arts[2].text[p.b_start:p.b_end] for p in ps]
    assert any("Kylie Atwood" in t for t in texts)


def test_seeds_000_001_rewrite_and_004_unrelated(seeds):
    _, link = _link(seeds, 0, 1)
    assert link is not None and link.kind == "rewrite"
    for k in range(4):
        ps, link = _link(seeds, k, 4)
        assert link is None and len(ps) <= 1


def test_seeds_cited_sources(seeds):
    arts, _ = seeds
    assert cited_sources(arts[3].text)[:4] == ["CNN", "Daily Mail", "The Guardian", "The Hill"]
    res = common_source([a.text for a in arts[:4]])
    assert res.source == "CNN"
