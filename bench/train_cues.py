"""Train the attribution-cue model and write its weights (reproducible: same data, same bytes).

    python bench/train_cues.py [--limit N] [--cache DIR] [--check]

Writes ``src/storyline/models/classifiers/cues.json`` (:mod:`storyline.nlp.cues`). Training data:
PolNeAR's *train* split only (dev is what bench/quotes.py reports on). Every candidate of
:func:`storyline.nlp.frames.cue_candidates` (a verb with a subject and a complement) is an example;
it is positive when the verb lies inside a gold Cue span. PolNeAR annotates speech *and* attitudes
and acts ("believes that", "wants to", "endorsed"): the model learns which verb in which frame the
annotators treat as attributing something to its subject.

The learner is L2-regularised logistic regression (L-BFGS in scipy over binary features seen at
least ``MIN_COUNT`` times). The acceptance threshold is chosen on out-of-fold probabilities (5 folds
by article): the one that maximises cue F1 on the training split when the accepted candidates are
added to what the rules already find (the model only adds frames for verbs the rules left alone).
``--check`` retrains and fails if the written file would differ from the one in the repository.
"""

from __future__ import annotations

import _env  # noqa: F401  (first: BLAS threads, sys.path)

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from _env import ROOT  # noqa: E402
from _training import polnear_train, trainer_args, write_weights  # noqa: E402

OUT = ROOT / "src" / "storyline" / "models" / "classifiers" / "cues.json"
MIN_COUNT = 3
L2 = 3.0
FOLDS = 5


def examples(limit: int | None, cache: Path | None):
    """(article index, features, label, covered by a rule frame) per candidate, and per article the
    number of gold cues and of rule cues that hit / miss them."""
    from storyline.nlp.attribution import _TEXT_KEY, ChainFinder
    from storyline.nlp.frames import cue_candidates, find_frames
    from storyline.nlp.mentions import ArticleEntities
    from storyline.nlp.quotemarks import find_quoted_spans

    arts, docs = polnear_train(limit, cache)
    rows = []
    base = {"gold": 0, "rule_pred": 0, "rule_tp": 0}
    for ai, (art, doc) in enumerate(zip(arts, docs)):
        text = art["text"]
        doc.user_data[_TEXT_KEY] = text
        gold_toks: set[int] = set()
        gold_cues = []
        for g in art["gold"]:
            span = doc.char_span(g["cue"][0], g["cue"][1], alignment_mode="expand")
            if span is None:
                continue
            gold_cues.append({t.i for t in span})
            gold_toks.update(t.i for t in span)
        quoted = find_quoted_spans(text)
        ents = ArticleEntities(doc)
        frames = find_frames(doc, ChainFinder(doc, ents_mentions=ents.mentions))
        frames = [f for f in frames if not any(q.start <= f.cue_start < q.end for q in quoted)]
        rule = {f.cue_tok.i for f in frames if f.cue_tok is not None}
        base["gold"] += len(gold_cues)
        base["rule_pred"] += len(rule)
        base["rule_tp"] += sum(1 for gc in gold_cues if gc & rule)
        for c in cue_candidates(doc, quoted):
            rows.append((ai, c.feats, int(c.tok.i in gold_toks), c.tok.i in rule))
    return rows, base


def design(rows, vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    ind, ptr = [], [0]
    for _, feats, _, _ in rows:
        ind.extend(sorted({vocab[f] for f in feats if f in vocab}))
        ptr.append(len(ind))
    data = np.ones(len(ind))
    return csr_matrix((data, ind, ptr), shape=(len(rows), len(vocab)))


def fit(X, y: np.ndarray, l2: float = L2) -> np.ndarray:
    from scipy.optimize import minimize

    bias = X.shape[1] - 1  # "bias" sorts first? no: we keep it unregularised by index

    def loss(w: np.ndarray):
        z = X @ w
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        reg = w.copy()
        reg[bias] = 0.0
        f = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + 0.5 * l2 * reg @ reg
        g = X.T @ (p - y) + l2 * reg
        return f, g

    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500, "gtol": 1e-6})
    return res.x


def build_vocab(rows) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _, feats, _, _ in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT and f != "bias")
    names.append("bias")  # last: left out of the L2 penalty
    return {f: i for i, f in enumerate(names)}


def choose_threshold(rows, probs: np.ndarray, base: dict[str, int]) -> tuple[float, float]:
    """The threshold maximising cue F1 (rules plus accepted candidates the rules left alone)."""
    extra = [(p, y) for (_, _, y, rule), p in zip(rows, probs) if not rule]
    extra.sort(key=lambda x: -x[0])
    tp, pred, gold = base["rule_tp"], base["rule_pred"], base["gold"]
    best = (0.0, 1.0)
    for p, y in extra:
        tp += y
        pred += 1
        f1 = 2 * tp / (pred + gold)
        if f1 > best[0]:
            best = (f1, p)
    return best[1], best[0]


def main(argv: list[str] | None = None) -> int:
    args = trainer_args(__doc__, OUT, argv)
    rows, base = examples(args.limit, args.cache)
    y = np.array([r[2] for r in rows], dtype=float)
    print(f"{len(rows)} candidates, {int(y.sum())} positive; rules: {base}", file=sys.stderr)
    vocab = build_vocab(rows)
    X = design(rows, vocab)
    arts = np.array([r[0] for r in rows])
    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        test = arts % FOLDS == k
        w = fit(X[~test], y[~test])
        oof[test] = 1 / (1 + np.exp(-(X[test] @ w)))
    threshold, f1 = choose_threshold(rows, oof, base)
    print(f"threshold {threshold:.3f}: out-of-fold cue F1 (token level) {f1:.3f}; rules alone "
          f"{2 * base['rule_tp'] / (base['rule_pred'] + base['gold']):.3f}", file=sys.stderr)
    w = fit(X, y)
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    data = {"note": "attribution-cue model (storyline.nlp.cues), logistic regression trained on PolNeAR train "
                    "by bench/train_cues.py",
            "threshold": round(float(threshold), 4), "l2": L2, "min_count": MIN_COUNT,
            "weights": dict(sorted(weights.items()))}
    return write_weights(args.out, data, args.check, f"{len(weights)} weights")


if __name__ == "__main__":
    raise SystemExit(main())
