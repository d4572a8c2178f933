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
