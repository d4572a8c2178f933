"""Train the span models (content and source) and write their weights (reproducible: same data, same bytes).

    python bench/train_spans.py [--limit N] [--cache DIR] [--check]

Writes ``src/storyline/models/classifiers/spans.json`` (:mod:`storyline.nlp.spans`). Training data:
PolNeAR's *train* split only (dev is what bench/quotes.py reports on), and the rules' spans of that
split (``extract_quotes(..., refine=False)``).

- Content: every indirect quote whose cue lies on a gold Cue is a group: the candidates of
  :func:`storyline.nlp.spans.candidates` plus the rules' own span.
- Source: every quote of a verb cue with a source phrase is a group (labelled when its content
  matches a gold Content, >= 50 % overlap, with a gold Source): the candidates of :func:`storyline.nlp.spans.source_candidates`
  plus the rules' phrase.

The target is spread evenly over the candidates that match the gold span best (exact after trimming
counts 2, >= 50 % overlap 1); groups where no candidate matches are left out. The learner is a
conditional logit (softmax within each group, L2, L-BFGS in scipy) over binary features seen at
least ``MIN_COUNT`` times. Each part's margin (by how much a candidate must beat the rules' span) is
chosen on out-of-fold scores (5 folds by article): the one that maximises the sum of exact and
overlap F1 of that span type over the split; from the best, a larger margin as long as each step
stays within ``TIE`` of it (retraining flipped between near-ties). The span models depend on the
rules and on the cue model: retrain them after either changes. ``--check`` retrains and fails if the written file would
differ from the one in the repository.
"""

from __future__ import annotations

import _env  # noqa: F401  (first: BLAS threads, sys.path)

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from _env import ROOT  # noqa: E402
from _training import polnear_train, trainer_args, write_weights  # noqa: E402

OUT = ROOT / "src" / "storyline" / "models" / "classifiers" / "spans.json"
MIN_COUNT = 3
L2 = 1.0
FOLDS = 5
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
#: Out-of-fold sums of exact and overlap F1 closer than this to the best are a tie.
TIE = 0.0005


def _rows(doc, text: str, scored_rows, golds: list[tuple[int, int]], current):
    """(candidate char span, features, label, is the rules' span) for one group."""
    import quotes as bq

    out = []
    for cand, feats, _ in scored_rows:
        span = cand.chars(doc)
        t = bq._trim(text, *span)
        label = max((2.0 if t == g else 1.0 if bq._ov(t, g) >= 0.5 else 0.0 for g in golds), default=0.0)
        out.append((span, feats, label, (cand.start, cand.end) == current))
    return out


def examples(limit: int | None, cache: Path | None):
    """Per article its text, gold attributions and the rules' quotes; per part (content, source)
    the groups (article, quote index, rows of :func:`_rows`)."""
    import quotes as bq  # bench/quotes.py: the PolNeAR loader and span matching

    from storyline.nlp.quotes import extract_quotes
    from storyline.nlp.spans import cue_token, scored, source_scored, token_span, verb_cue

    arts, docs = polnear_train(limit, cache)
    articles = []
    groups: dict[str, list] = {"content": [], "source": []}
    for ai, (art, doc) in enumerate(zip(arts, docs)):
        text = art["text"]
        gold = art["gold"]
        quotes = extract_quotes(text, article_id=art["name"], doc=doc, refine=False)
        articles.append((text, gold, quotes))
        found = dict(bq._match([bq._trim(text, q.start, q.end) for q in quotes], [g["content"] for g in gold], False))
        for qi, q in enumerate(quotes):
            if q.kind == "indirect" and q.cue_start is not None and q.cue_end is not None:
                cue = cue_token(doc, q.cue_start, q.cue_end)
                current = token_span(doc, q.start, q.end)
                if cue is not None and current is not None:
                    golds = [bq._trim(text, *g["content"]) for g in gold
                             if g["cue"] and bq._ov((q.cue_start, q.cue_end), g["cue"]) > 0]
                    groups["content"].append((ai, qi, _rows(doc, text, scored(doc, cue, current, {}), golds,
                                                            current)))
            if q.speaker_start is not None and q.speaker_end is not None and q.cue_start is not None \
                    and q.cue_end is not None and verb_cue(doc, q.cue_start, q.cue_end):
                current = token_span(doc, q.speaker_start, q.speaker_end)
                if current is not None:
                    g = gold[found[qi]] if qi in found else None
                    golds = [bq._trim(text, *g["source"])] if g is not None and g["source"] else []
                    head = doc[current[0]:current[1]].root
                    groups["source"].append((ai, qi, _rows(doc, text, source_scored(doc, head, current, {}), golds,
                                                           current)))
    return articles, groups


def fit(X, target: np.ndarray, group: np.ndarray, l2: float = L2) -> np.ndarray:
    """Conditional logit: maximise sum(target * log softmax(Xw) within each group) - l2/2 |w|^2."""
    from scipy.optimize import minimize

    _, inv = np.unique(group, return_inverse=True)
    n = inv.max() + 1
    mass = np.bincount(inv, weights=target, minlength=n)[inv]

    def loss(w: np.ndarray):
        z = X @ w
        top = np.full(n, -np.inf)
        np.maximum.at(top, inv, z)
        ez = np.exp(z - top[inv])
        den = np.bincount(inv, weights=ez, minlength=n)
        logp = z - top[inv] - np.log(den[inv])
        f = -target @ logp + 0.5 * l2 * w @ w
        g = X.T @ (np.exp(logp) * mass - target) + l2 * w
        return f, g

    res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B",
                   options={"maxiter": 500, "gtol": 1e-6})
    return res.x


def span_f1(part: str, articles, groups, choice) -> tuple[float, float]:
    """Exact and overlap F1 of the content (or source) spans over ``articles`` when each group's
    quote takes ``choice``."""
    import quotes as bq

    moved = {(g[0], g[1]): c for g, c in zip(groups, choice) if c is not None}
    tp = {True: 0, False: 0}
    npred = ngold = 0
    for ai, (text, gold, quotes) in enumerate(articles):
        if part == "content":
            spans = {qi: (q.start, q.end) for qi, q in enumerate(quotes)}
            golds = [g["content"] for g in gold]
        else:
            spans = {qi: (q.speaker_start, q.speaker_end) for qi, q in enumerate(quotes) if q.speaker_start is not None}
            golds = [g["source"] for g in gold if g["source"] is not None]
        pred = [bq._trim(text, *moved.get((ai, qi), span)) for qi, span in spans.items()]
        for exact in tp:
            tp[exact] += len(bq._match(pred, golds, exact))
        npred += len(pred)
        ngold += len(golds)
    return 2 * tp[True] / (npred + ngold), 2 * tp[False] / (npred + ngold)


def choices(groups, scores: np.ndarray, margin: float) -> list[tuple[int, int] | None]:
    """Per group the candidate span that replaces the rules' span, or None."""
    out, at = [], 0
    for _, _, rows in groups:
        s = scores[at:at + len(rows)]
        at += len(rows)
        cur = next(i for i, r in enumerate(rows) if r[3])
        best = int(np.argmax(s))
        out.append(rows[best][0] if best != cur and s[best] - s[cur] >= margin else None)
    return out


def train_part(part: str, articles, groups) -> dict | None:
    """Weights and margin of one part, or None when no margin beats the rules' spans out of fold."""
    from scipy.sparse import csr_matrix

    rows = [(gi, r) for gi, g in enumerate(groups) for r in g[2]]
    counts: dict[str, int] = {}
    for _, r in rows:
        for f in set(r[1]):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    ind, ptr = [], [0]
    for _, r in rows:
        ind.extend(sorted({vocab[f] for f in r[1] if f in vocab}))
        ptr.append(len(ind))
    X = csr_matrix((np.ones(len(ind)), ind, ptr), shape=(len(rows), len(vocab)))
    group = np.array([gi for gi, _ in rows])
    label = np.array([r[2] for _, r in rows])
    target = np.zeros(len(rows))
    learnable = np.zeros(len(rows), dtype=bool)
    bounds = np.cumsum([0] + [len(g[2]) for g in groups])
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        best = label[lo:hi].max()
        if best > 0:
            hit = label[lo:hi] == best
            target[lo:hi] = hit / hit.sum()
            learnable[lo:hi] = True
    print(f"{part}: {len(groups)} quotes, {len(rows)} candidates, {int(learnable[bounds[:-1]].sum())} with a "
          f"matching candidate; {len(vocab)} features", file=sys.stderr)
    art = np.array([groups[gi][0] for gi, _ in rows])
    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        test = art % FOLDS == k
        w = fit(X[~test & learnable], target[~test & learnable], group[~test & learnable])
        oof[test] = X[test] @ w
    base = span_f1(part, articles, groups, [None] * len(groups))
    print(f"{part}: rules' spans: F1 exact {base[0]:.4f}, overlap {base[1]:.4f}", file=sys.stderr)
    sums = {}
    for margin in MARGINS:
        ex, ov = span_f1(part, articles, groups, choices(groups, oof, margin))
        print(f"{part}: margin {margin}: out-of-fold exact {ex:.4f}, overlap {ov:.4f}", file=sys.stderr)
        sums[margin] = ex + ov
    top = max(sums.values())
    if top <= sum(base):
        return None
    # a near tie goes to the larger margin: as good out of fold with fewer departures from the rules
    # (going up from the best while each next margin stays within TIE of it)
    k = next(i for i, m in enumerate(MARGINS) if sums[m] == top)
    while k + 1 < len(MARGINS) and sums[MARGINS[k + 1]] >= top - TIE:
        k += 1
    best_margin = MARGINS[k]
    w = fit(X[learnable], target[learnable], group[learnable])
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    return {"margin": best_margin, "weights": dict(sorted(weights.items()))}


def main(argv: list[str] | None = None) -> int:
    args = trainer_args(__doc__, OUT, argv)
    articles, groups = examples(args.limit, args.cache)
    data = {"note": "span models (storyline.nlp.spans): conditional logits over the content and source candidates, "
                    "trained on PolNeAR train by bench/train_spans.py",
            "l2": L2, "min_count": MIN_COUNT}
    for part in ("content", "source"):
        trained = train_part(part, articles, groups[part])
        if trained is None:
            print(f"{part}: no margin beats the rules' spans: nothing written", file=sys.stderr)
            return 1
        data[part] = trained
    return write_weights(args.out, data, args.check,
                         f"margins {data['content']['margin']} / {data['source']['margin']}")


if __name__ == "__main__":
    raise SystemExit(main())
