"""Train the content-span model and write its weights (reproducible: same data, same bytes).

    python bench/train_spans.py [--limit N] [--cache DIR] [--check]

Writes ``src/storyline/models/classifiers/spans.json`` (:mod:`storyline.nlp.spans`). Training data:
PolNeAR's *train* split only (dev is what bench/quotes.py reports on). Every indirect quote the rules
find (``extract_quotes(..., refine=False)``) whose cue lies on a gold Cue is a group: the candidates
of :func:`storyline.nlp.spans.candidates` plus the rules' own span. The target is spread evenly over
the candidates that match a gold Content of that cue best (exact after trimming counts 2, >= 50 %
overlap 1); groups where no candidate matches are left out. The learner is a conditional logit
(softmax within each group, L2, L-BFGS in scipy) over binary features seen at least ``MIN_COUNT``
times. The margin by which a candidate must beat the rules' span is chosen on out-of-fold scores (5
folds by article): the one that maximises the sum of exact and overlap content F1 over the split.
The span model depends on the rules and on the cue model: retrain it after either changes.
``--check`` retrains and fails if the written file would differ from the one in the repository.
"""

from __future__ import annotations

import _env  # noqa: F401  (first: BLAS threads, sys.path)

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from _env import ROOT  # noqa: E402

OUT = ROOT / "src" / "storyline" / "models" / "classifiers" / "spans.json"
MIN_COUNT = 3
L2 = 1.0
FOLDS = 5
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)


def examples(limit: int | None, cache: Path | None):
    """Per article its text, gold contents and rule quotes; per indirect quote a group of
    (article, quote index, [(candidate char span, features, label, is the rules' span)])."""
    import quotes as bq  # bench/quotes.py: the PolNeAR loader and span matching

    from storyline.nlp.parse import parse_many
    from storyline.nlp.quotes import extract_quotes
    from storyline.nlp.spans import scored, cue_token, token_span

    arts = bq.load_polnear("train", limit)
    docs = None
    if cache is not None and (cache / "train.spacy").is_file() and not limit:
        from spacy.tokens import DocBin

        from storyline.nlp.parse import get_nlp

        docs = list(DocBin().from_disk(cache / "train.spacy").get_docs(get_nlp().vocab))
    if docs is None:
        docs = parse_many([a["text"] for a in arts], batch_size=8)
    articles, groups = [], []
    for ai, (art, doc) in enumerate(zip(arts, docs)):
        text = art["text"]
        quotes = extract_quotes(text, article_id=art["name"], doc=doc, refine=False)
        articles.append((text, [g["content"] for g in art["gold"]],
                         [(q.start, q.end) for q in quotes]))
        for qi, q in enumerate(quotes):
            if q.kind != "indirect" or q.cue_start is None or q.cue_end is None:
                continue
            cue = cue_token(doc, q.cue_start, q.cue_end)
            current = token_span(doc, q.start, q.end)
            if cue is None or current is None:
                continue
            golds = [bq._trim(text, *g["content"]) for g in art["gold"]
                     if g["cue"] and bq._ov((q.cue_start, q.cue_end), g["cue"]) > 0]
            rows = []
            for cand, feats, _ in scored(doc, cue, current, {}):
                span = (doc[cand.start].idx, doc[cand.end - 1].idx + len(doc[cand.end - 1]))
                t = bq._trim(text, *span)
                label = max((2.0 if t == g else 1.0 if bq._ov(t, g) >= 0.5 else 0.0 for g in golds), default=0.0)
                rows.append((span, feats, label, (cand.start, cand.end) == current))
            groups.append((ai, qi, rows))
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


def content_f1(articles, groups, choice) -> tuple[float, float]:
    """Exact and overlap content F1 over ``articles`` when each group's quote takes ``choice``."""
    import quotes as bq

    moved = {(g[0], g[1]): c for g, c in zip(groups, choice) if c is not None}
    tp = {True: 0, False: 0}
    npred = ngold = 0
    for ai, (text, gold, spans) in enumerate(articles):
        pred = [bq._trim(text, *moved.get((ai, qi), span)) for qi, span in enumerate(spans)]
        for exact in tp:
            tp[exact] += len(bq._match(pred, gold, exact))
        npred += len(pred)
        ngold += len(gold)
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


def main(argv: list[str] | None = None) -> int:
    from scipy.sparse import csr_matrix

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--cache", type=Path, default=None, help="folder with train.spacy (parsed train split)")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    articles, groups = examples(args.limit, args.cache)
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
    print(f"{len(groups)} quotes, {len(rows)} candidates, {int(learnable[bounds[:-1]].sum())} with a "
          f"matching candidate; {len(vocab)} features", file=sys.stderr)
    art = np.array([groups[gi][0] for gi, _ in rows])
    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        test = art % FOLDS == k
        w = fit(X[~test & learnable], target[~test & learnable], group[~test & learnable])
        oof[test] = X[test] @ w
    base = content_f1(articles, groups, [None] * len(groups))
    print(f"rules' spans: content F1 exact {base[0]:.4f}, overlap {base[1]:.4f}", file=sys.stderr)
    best_margin, best_sum = None, sum(base)
    for margin in MARGINS:
        ex, ov = content_f1(articles, groups, choices(groups, oof, margin))
        print(f"margin {margin}: out-of-fold exact {ex:.4f}, overlap {ov:.4f}", file=sys.stderr)
        if ex + ov > best_sum:
            best_margin, best_sum = margin, ex + ov
    if best_margin is None:
        print("no margin beats the rules' spans: nothing written", file=sys.stderr)
        return 1
    w = fit(X[learnable], target[learnable], group[learnable])
    weights = {f: round(float(w[i]), 4) for f, i in vocab.items() if abs(w[i]) >= 1e-3}
    data = {"note": "content-span model (storyline.nlp.spans), conditional logit trained on PolNeAR train "
                    "by bench/train_spans.py",
            "margin": best_margin, "l2": L2, "min_count": MIN_COUNT,
            "weights": dict(sorted(weights.items()))}
    out = json.dumps(data, indent=0, ensure_ascii=False) + "\n"
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == out
        print("same" if same else "DIFFERENT", file=sys.stderr)
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(out, encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} weights, margin {best_margin})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
