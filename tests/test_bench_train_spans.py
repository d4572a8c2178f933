"""The span trainer's learner (bench/train_spans.py): a conditional logit over candidate groups and the
margin by which a candidate must beat the rules' span."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

import benchlib


def test_conditional_logit_prefers_the_feature_of_the_target_candidates() -> None:
    ts = benchlib.load_bench("train_spans")
    # three groups of two candidates (features: 0 = "rules' span", 1 = "takes the clause");
    # the annotators' span is the clause in two groups and the rules' span in one
    X = csr_matrix(np.array([[1, 0], [0, 1]] * 3, dtype=float))
    group = np.array([0, 0, 1, 1, 2, 2])
    target = np.array([0, 1, 0, 1, 1, 0], dtype=float)
    w = ts.fit(X, target, group, l2=0.01)
    assert w[1] > w[0]
    # the learned odds follow the data: 2 of 3 groups, log(2) between the two weights
    assert abs((w[1] - w[0]) - np.log(2)) < 0.05


def test_a_candidate_replaces_the_rules_span_only_by_the_margin() -> None:
    ts = benchlib.load_bench("train_spans")
    rows = [((0, 5), [], 0.0, True), ((0, 9), [], 0.0, False)]
    groups = [(0, 0, rows)]
    assert ts.choices(groups, np.array([0.0, 0.4]), margin=0.5) == [None]
    assert ts.choices(groups, np.array([0.0, 0.6]), margin=0.5) == [(0, 9)]
    assert ts.choices(groups, np.array([0.7, 0.6]), margin=0.0) == [None]
