"""storyline.nlp.checkworthy: scores, claim candidates with spans, pinned weights."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.errors import UsageError
from storyline.nlp import checkworthy as cw
from storyline.weights import PINNED, sha256_file, verified_path


def test_weights_are_pinned_and_verified():
    path = verified_path("checkworthy.json")
    assert sha256_file(path) == PINNED["checkworthy.json"].sha256


def test_surface_features():
    f = dict(zip(cw.FEATURES, cw.surface_features("Unemployment rose by 4.5 percent in 2019, more than in France.")))
    assert f["has_digit"] == 1.0 and f["quantity"] > 0 and f["comparative"] > 0 and f["capitalised_inner"] > 0
    g = dict(zip(cw.FEATURES, cw.surface_features("Thank you, I think we should all go home?")))
    assert g["has_digit"] == 0.0 and g["question"] == 1.0 and g["first_person"] > 0 and g["opinion"] > 0


def test_factual_claims_outscore_pleasantries_and_deterministic():
    m = cw.CheckWorthiness()
    sents = [
        "Thank you all very much for being here tonight.",
        "The unemployment rate doubled to 10 percent in the last two years, the highest since 1983.",
        "Good evening.",
        "The government spent $3 billion on the program last year while crime rose by 12 percent.",
    ]
    s = m.score(sents)
    assert s.shape == (4,) and np.all((s >= 0) & (s <= 1))
    assert min(s[1], s[3]) > max(s[0], s[2])
    assert np.array_equal(s, cw.CheckWorthiness().score(sents))


def test_claims_in_returns_spans_in_text_order():
    m = cw.CheckWorthiness()
    text = ("Welcome back. Exports fell by 8 percent in March, the steepest drop in a decade. "
            "We are glad to see you.")
    spans = [(0, 13), (14, 81), (82, len(text))]
    claims = m.claims_in(text, spans)
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert any(c.start == 14 for c in claims)
    assert all(text[c.start : c.end] == c.text for c in claims)
    assert all(c.score >= m.threshold for c in claims)
    assert m.claims_in(text, spans, threshold=1.01) == []
    with pytest.raises(UsageError):
        m.claims_in(text, [(0, len(text) + 5)])


def test_context_features_read_neighbours():
    sents = ["What did the plan cost?", "It cost $4 billion in 2019.", "Thank you."]
    vecs = np.eye(3, 384, dtype=np.float32)
    x = cw.feature_matrix(sents, vecs)
    assert x.shape == (3, 384 + len(cw.FEATURES) + len(cw.CONTEXT_FEATURES))
    ctx = [dict(zip(cw.CONTEXT_FEATURES, row[384 + len(cw.FEATURES):])) for row in x]
    assert ctx[1]["follows_question"] == 1.0 and ctx[1]["has_prev"] == 1.0 and ctx[1]["has_next"] == 1.0
    assert ctx[0]["has_prev"] == 0.0 and ctx[2]["has_next"] == 0.0 and ctx[2]["rel_position"] == 1.0
    assert ctx[2]["prev_has_digit"] == 1.0
    alone = dict(zip(cw.CONTEXT_FEATURES, cw.feature_matrix(sents[1:2], vecs[1:2])[0, 384 + len(cw.FEATURES):]))
    assert alone["has_prev"] == alone["has_next"] == alone["follows_question"] == 0.0


def test_lexical_model_grams():
    assert cw.grams("Taxes rose 4.5% in 2019!") == [
        "taxes", "rose", "0", "%", "in", "0", "!", "taxes rose", "rose 0", "0 %", "% in", "in 0", "0 !"]
    m = cw.CheckWorthiness()
    assert len(m.lexical.index) == len(m.lexical.w) > 1000


def test_cut_in_context_is_the_cut_alone_moved_by_the_context_shift():
    """claims_in scores whole texts (context features on), so its cut is the one chosen on sentences
    scored alone, moved by the mean logit shift context gives the same labelled sentences."""
    m = cw.CheckWorthiness()
    meta = m.model.meta
    alone, shift = float(meta["threshold_alone"]), float(meta["context_logit_shift"])
    assert m.threshold_alone == alone and meta["context_shift_sentences"] > 100
    moved = 1.0 / (1.0 + np.exp(-(np.log(alone / (1.0 - alone)) + shift)))
    assert m.threshold == pytest.approx(round(float(moved), 2))


def test_claim_memory_lifts_sentences_near_a_known_check_worthy_one():
    """A sentence close to one the memory holds gains weight * (cosine - floor) logits; one far from
    all of them gains nothing."""
    m = cw.CheckWorthiness()
    mem = m.memory
    assert mem.vectors.shape[1] == 384 and len(mem.vectors) > 100
    assert mem.weight > 0 and 0 < mem.floor < 1
    near = mem.vectors[:1] * 3.0  # the scale does not matter: cosines
    far = -mem.vectors.mean(axis=0, keepdims=True)
    lift = mem.logits(np.vstack([near, far]))
    assert lift[0] == pytest.approx(mem.weight * (1.0 - mem.floor), rel=1e-3)
    assert lift[1] == 0.0
    bank = np.eye(2, 4, dtype=np.float32)
    got = cw.memory_logits(np.array([[1, 1, 0, 0], [0, 0, 1, 0]], dtype=np.float32), bank, 10.0, 0.5)
    assert got == pytest.approx([10.0 * (np.sqrt(0.5) - 0.5), 0.0])
    assert list(cw.nearest_cosine(np.ones((2, 4)), bank[:0])) == [-1.0, -1.0]


def test_claim_memory_round_trip_and_bad_file():
    from storyline.errors import ModelIntegrityError

    bank = np.array([[0.5, -0.25, 1.0], [0.0, 2.0, -1.5]], dtype=np.float32)
    data = {"memory": {"vectors": cw.encode_memory(bank), "count": 2, "dim": 3, "weight": 4.0, "floor": 0.1}}
    mem = cw.load_memory(data, "x.json")
    assert np.array_equal(mem.vectors, bank) and mem.weight == 4.0 and mem.floor == 0.1
    with pytest.raises(ModelIntegrityError, match="rerun bench/train_classifiers.py"):
        cw.load_memory({"memory": {**data["memory"], "count": 3}}, "x.json")
    with pytest.raises(ModelIntegrityError, match="dimensions"):
        mem.logits(np.ones((1, 4), dtype=np.float32))
