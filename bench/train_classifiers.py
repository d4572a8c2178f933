"""Train the two sentence classifiers and write their weights (reproducible: same data, same bytes).

    python bench/train_classifiers.py [--embed-only] [--check]

* ``src/storyline/models/classifiers/checkworthy.json``: check-worthiness
  (:mod:`storyline.nlp.checkworthy`). Training data: CheckThat! 2019 task 1 *training* debates
  (16,421 sentences, 440 check-worthy; read per debate in line order for the context features) plus
  ClaimBuster's two-class ``train.json`` (7,976 sentences), minus the 3 ClaimBuster sentences whose
  text also occurs in the CT19 test file, plus the CheckThat! 2020 task 5 training sentences from
  debates in neither CT19 file (:func:`ct20_extra_rows`). The CT19 test file is read for its texts
  only (to keep them out); its labels and two_class/test.json are never read here. The dense model's
  logit is summed with a lexical (word n-gram) model's (:func:`fit_lexical`).
* ``src/storyline/models/classifiers/framing.json``: loaded wording (:mod:`storyline.nlp.framing`).
  Training data: the BABE SG2 training split of :func:`babe_split` (80 %, seeded, grouped by text);
  the held-out 20 % is only read by bench/framing.py. The loaded-word lexicon is learned from the
  training split's ``biased_words``; the model's lexicon features for training sentences are computed
  *out of fold* (5 folds) so the model does not learn to trust words seen in the very sentence. The
  decision cut is chosen on *nested* out-of-fold scores (:func:`nested_framing_scores`), where each
  held-out fold's features come from a lexicon fitted on all the other folds, as a new sentence's do.
  The word-score model (logistic regression on a word's own MiniLM vector) ships with the file, with
  a table of its scores over the training vocabulary plus the MiniLM tokenizer's whole words
  (:func:`wordpiece_words`); the scorer embeds and scores any other word itself, so held-out words
  get a score exactly as the out-of-fold training features gave one to every word.

The learner is L2-regularised logistic regression fitted by Newton's method (IRLS) in numpy on
standardised features (the lexical models: accelerated gradient descent, fixed steps), with sample
weights that balance the classes: deterministic. Hyper-parameters (L2 strengths, source shares,
lexical weights) were picked by grouped cross-validation on the training data only (``--cv``); the
chosen values are the constants below.

Sentence vectors (MiniLM int8) are cached in ~/.cache/storyline-bench/ (keyed by the texts' hash).
``--check`` retrains and fails if the written files would differ from the ones in the repository.
"""

from __future__ import annotations

import os

import _env  # noqa: F401  (first: BLAS threads, sys.path)

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from _env import ROOT  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"
CT19 = DATA / "checkthat-claimbuster" / "data" / "clef19"
CB = DATA / "checkthat-claimbuster" / "data" / "two_class"
CT20_T5 = DATA / "checkthat-claimbuster" / "data" / "clef20" / "task5"
#: CT20 extra rows: block size and the CT19-test share above which a block is dropped whole.
CT20_BLOCK = 100
CT20_MAX_TEST_SHARE = 0.3
BABE = DATA / "babe" / "data" / "final_labels_SG2.csv"
BASIL = DATA / "basil"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", Path.home() / ".cache" / "storyline-bench"))
OUT = ROOT / "src" / "storyline" / "models" / "classifiers"

#: L2 strength (on standardised features, per unit of total sample weight) for check-worthiness.
CW_L2 = 1e-2
#: Share of the total training weight given to ClaimBuster (the rest to CT19 and CT20 extra).
CW_CB_SHARE = 0.3
#: Share given to the CT20 task 5 extra debates (:func:`ct20_extra_rows`; 0 leaves them out).
CW_EX_SHARE = 0.3
#: Lexical model (word uni+bigram logistic regression) for check-worthiness: L2, min document
#: frequency of a gram, and the weight of its logit added to the dense model's logit.
CW_LEX_L2 = 1e-5
CW_LEX_MIN_DF = 3
CW_LEX_WEIGHT = 0.5
#: The shipped setting, as :func:`fit_checkworthy_parts` takes it.
CW_SETTING = {"l2": CW_L2, "cb_share": CW_CB_SHARE, "ex_share": CW_EX_SHARE, "lex_l2": CW_LEX_L2}
#: Claim memory (:class:`storyline.nlp.checkworthy.ClaimMemory`): a sentence whose highest cosine to a
#: check-worthy CT19 training sentence exceeds the floor gains weight * (cosine - floor) logits.
CW_MEMORY_WEIGHT = 20.0
CW_MEMORY_FLOOR = 0.575
#: L2 strength for the framing model.
FR_L2 = 0.3
#: Framing lexical model: L2, min document frequency of a gram, weight of its logit.
FR_LEX_L2 = 1e-3
FR_LEX_MIN_DF = 3
FR_LEX_WEIGHT = 1.0
#: BABE split: seed and held-out share.
BABE_SEED = 20240601
BABE_TEST_SHARE = 0.2


def _norm(s: str) -> str:
    return re.sub(r"\W+", " ", s.lower()).strip()


# --------------------------------------------------------------------------- data


def load_ct19(split: str) -> list[dict[str, Any]]:
    """CT19 task 1 rows (``split`` is "Training" or "Test"): text, label (int), file, line."""
    with (CT19 / f"CT19-T1-{split}.csv").open(encoding="utf-8", newline="") as f:
        return [
            {"text": r["text"], "label": int(r["label"]), "file": r["file_name"], "line": int(r["line_number"]),
             "speaker": r["speaker"]}
            for r in csv.DictReader(f)
        ]


def load_claimbuster(split: str) -> list[dict[str, Any]]:
    """ClaimBuster two-class rows (``split`` is "train" or "test"): text, label."""
    rows = json.loads((CB / f"{split}.json").read_text(encoding="utf-8"))
    return [{"text": r["text"], "label": int(r["label"])} for r in rows]


def load_babe() -> list[dict[str, Any]]:
    """BABE SG2 rows with a biased / non-biased label (the one "No agreement" row is dropped)."""
    with BABE.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    out = []
    for r in rows:
        if r["label_bias"] not in ("Biased", "Non-biased"):
            continue
        words = re.findall(r"'((?:[^'\\]|\\.)*)'|\"([^\"]*)\"", r["biased_words"] or "")
        out.append({
            "text": r["text"], "label": int(r["label_bias"] == "Biased"), "topic": r["topic"],
            "outlet": r["outlet"], "biased_words": [a or b for a, b in words if (a or b).strip()],
        })
    return out


def babe_split(rows: Sequence[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """(train, test) indices: a seeded 80/20 split grouped by normalised text, so duplicates stay together."""
    groups = sorted({_norm(r["text"]) for r in rows})
    rng = np.random.default_rng(BABE_SEED)
    perm = rng.permutation(len(groups))
    n_test = int(round(BABE_TEST_SHARE * len(groups)))
    test_groups = {groups[i] for i in perm[:n_test]}
    train = [i for i, r in enumerate(rows) if _norm(r["text"]) not in test_groups]
    test = [i for i, r in enumerate(rows) if _norm(r["text"]) in test_groups]
    return train, test


def load_basil() -> list[dict[str, Any]]:
    """BASIL 2010-2016 sentences (body, then title) with their lexical-bias spans (sentence offsets)."""
    out = []
    for ann_path in sorted((BASIL / "annotations").glob("*/*_ann.json")):
        art_path = BASIL / "articles" / ann_path.parent.name / ann_path.name.replace("_ann", "")
        art = json.loads(art_path.read_text(encoding="utf-8"))
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        sents = [s for p in art["body-paragraphs"] for s in p]
        spans: dict[int, list[dict[str, Any]]] = {}
        for sp in ann["phrase-level-annotations"]:
            hits = [i for i, s in enumerate(sents) if s[sp["start"] : sp["end"]] == sp["txt"]]
            if hits:
                spans.setdefault(hits[0], []).append(sp)
        for i, s in enumerate(sents):
            sps = spans.get(i, [])
            out.append({
                "text": s, "article": ann_path.stem, "lex": [(x["start"], x["end"], x["quote"] == "yes") for x in sps if x["bias"] == "lex"],
                "inf": [(x["start"], x["end"]) for x in sps if x["bias"] == "inf"],
            })
    return out


# --------------------------------------------------------------------------- vectors


def embed_cached(texts: Sequence[str], *, encoder: Any = None) -> np.ndarray:
    """MiniLM int8 vectors of ``texts``, cached on disk by the texts' hash."""
    from storyline.embed import shared_encoder

    enc = encoder or shared_encoder()
    h = hashlib.sha256(enc.name.encode())
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    path = CACHE / f"sent-{h.hexdigest()[:24]}.npy"
    if path.is_file():
        return np.load(path)
    t0 = time.perf_counter()
    vecs = enc.encode(list(texts), batch_size=64)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    tmp.replace(path)
    print(f"embedded {len(texts)} sentences in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return vecs


# --------------------------------------------------------------------------- learner


def fit_logistic(x: np.ndarray, y: np.ndarray, sw: np.ndarray, l2: float, *, iters: int = 30) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, float]:
    """L2 logistic regression by Newton's method on standardised ``x``.

    Returns (mean, scale, w, b) with ``p = sigmoid(((x - mean) / scale) @ w + b)``. The loss is
    ``sum(sw * logloss) / sum(sw) + l2 / 2 * |w|^2`` (the intercept is not penalised).
    """
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    z = np.hstack([z, np.ones((len(z), 1))])
    sw = np.asarray(sw, dtype=np.float64) / np.sum(sw)
    y = np.asarray(y, dtype=np.float64)
    d = z.shape[1]
    reg = np.full(d, l2)
    reg[-1] = 0.0
    beta = np.zeros(d)
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -40, 40)))
        grad = z.T @ (sw * (p - y)) + reg * beta
        hess = (z * (sw * p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-10 * np.eye(d)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return mean.astype(np.float32), scale.astype(np.float32), beta[:-1].astype(np.float32), float(beta[-1])


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Weights giving each class half of the total mass."""
    y = np.asarray(y)
    w = np.empty(len(y), dtype=np.float64)
    pos = y == 1
    w[pos] = 0.5 / max(1, pos.sum())
    w[~pos] = 0.5 / max(1, (~pos).sum())
    return w


def _round(a: Any, digits: int = 6) -> Any:
    return [float(f"{float(v):.{digits}g}") for v in np.asarray(a).ravel()]


def write_weights(path: Path, payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- metrics


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    """AP of one ranking (ties broken by input order, as a stable sort of -score gives)."""
    order = np.argsort(-np.asarray(scores), kind="stable")
    y = np.asarray(labels)[order]
    if y.sum() == 0:
        return 0.0
    hits = np.cumsum(y)
    return float(np.sum((hits / np.arange(1, len(y) + 1))[y == 1]) / y.sum())


def mean_ap_by_file(scores: np.ndarray, labels: np.ndarray, files: Sequence[str]) -> float:
    """CheckThat! MAP: AP per debate file, averaged over files."""
    files_arr = np.asarray(files)
    aps = [average_precision(scores[files_arr == f], labels[files_arr == f]) for f in sorted(set(files))]
    return float(np.mean(aps))


def prf(pred: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall, F1 of the positive class."""
    pred = np.asarray(pred, dtype=bool)
    gold = np.asarray(labels, dtype=bool)
    tp = float(np.sum(pred & gold))
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(gold.sum()))
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def macro_f1(pred: np.ndarray, labels: np.ndarray) -> float:
    pred = np.asarray(pred, dtype=bool)
    gold = np.asarray(labels, dtype=bool)
    return (prf(pred, gold)[2] + prf(~pred, ~gold)[2]) / 2


def best_threshold(scores: np.ndarray, labels: np.ndarray, metric: Any) -> tuple[float, float]:
    """The cut in 0.05..0.95 (step 0.01) maximising ``metric(pred, labels)``; (cut, value)."""
    best = (0.5, -1.0)
    for cut in np.round(np.arange(0.05, 0.951, 0.01), 2):
        v = metric(scores >= cut, labels)
        if v > best[1] + 1e-12:
            best = (float(cut), float(v))
    return best


# --------------------------------------------------------------------------- lexical model


def gram_matrix(texts: Sequence[str], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Sparse rows of :class:`storyline.nlp.checkworthy.LexicalModel`'s input: (row, col, value, n_rows)."""
    from storyline.nlp.checkworthy import grams

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, t in enumerate(texts):
        gs = set(grams(t))
        hit = sorted(index[g] for g in gs if g in index)
        rows += [i] * len(hit)
        cols += hit
        vals += [1.0 / np.sqrt(max(1, len(gs)))] * len(hit)
    return np.array(rows, np.int64), np.array(cols, np.int64), np.array(vals, np.float64), len(texts)


def gram_vocab(texts: Sequence[str], min_df: int) -> list[str]:
    """Uni- and bigrams found in at least ``min_df`` of ``texts``, sorted."""
    from storyline.nlp.checkworthy import grams

    df: dict[str, int] = {}
    for t in texts:
        for g in set(grams(t)):
            df[g] = df.get(g, 0) + 1
    return sorted(g for g, c in df.items() if c >= min_df)


def fit_lexical(texts: Sequence[str], y: np.ndarray, sw: np.ndarray, *, l2: float, min_df: int,
                iters: int = 300) -> tuple[list[str], np.ndarray, float]:
    """Weighted L2 logistic regression on the gram rows: (grams, weights, bias).

    Full-batch accelerated gradient descent (FISTA-style momentum, fixed step 1/(0.25 + l2), fixed
    ``iters``): deterministic; the rows have unit norm, so the step is safe.
    """
    vocab = gram_vocab(texts, min_df)
    r, c, v, n = gram_matrix(texts, {g: i for i, g in enumerate(vocab)})
    d = len(vocab)
    sw = np.asarray(sw, np.float64) / np.sum(sw)
    y = np.asarray(y, np.float64)
    step = 1.0 / (0.25 + l2)
    w = np.zeros(d)
    b = 0.0
    wy, by, t_prev = w.copy(), 0.0, 1.0
    for _ in range(iters):
        z = np.bincount(r, weights=v * wy[c], minlength=n) + by
        g = sw * (1.0 / (1.0 + np.exp(-np.clip(z, -40, 40))) - y)
        w_new = wy - step * (np.bincount(c, weights=v * g[r], minlength=d) + l2 * wy)
        b_new = by - step * float(g.sum())
        t = (1 + np.sqrt(1 + 4 * t_prev**2)) / 2
        wy = w_new + (t_prev - 1) / t * (w_new - w)
        by = b_new + (t_prev - 1) / t * (b_new - b)
        w, b, t_prev = w_new, b_new, t
    return vocab, w, float(b)


def lexical_logits(model: tuple[list[str], np.ndarray, float], texts: Sequence[str]) -> np.ndarray:
    vocab, w, b = model
    r, c, v, n = gram_matrix(texts, {g: i for i, g in enumerate(vocab)})
    return np.bincount(r, weights=v * w[c], minlength=n) + b


def lexical_payload(model: tuple[list[str], np.ndarray, float], weight: float, **meta: Any) -> dict[str, Any]:
    """The ``lexical`` entry of a weights file (weights rounded as shipped)."""
    vocab, w, b = model
    return {"grams": list(vocab), "w": _round(w, 4), "b": float(f"{b:.6g}"), "weight": weight, **meta}


def _shipped_lexical(payload: dict[str, Any]) -> tuple[list[str], np.ndarray, float]:
    return payload["grams"], np.asarray(payload["w"], np.float64), float(payload["b"])


def _proba(params: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = params
    z = ((x - mean) / scale) @ w + b
    return 1.0 / (1.0 + np.exp(-np.clip(z.astype(np.float64), -40, 40)))


# --------------------------------------------------------------------------- check-worthiness


def ct20_extra_rows() -> list[dict[str, Any]]:
    """CheckThat! 2020 task 5 *training* sentences from debates that are in neither CT19 file.

    That file (text, label; debates concatenated in order) also holds the CT19 training and test
    debates. Blocks of :data:`CT20_BLOCK` rows where more than :data:`CT20_MAX_TEST_SHARE` of the texts
    occur in the CT19 test file are dropped whole (a CT19 test debate), and so is every remaining
    sentence whose normalised text occurs in either CT19 file.
    """
    path = CT20_T5 / "train.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    rows = [(r[0], int(r[1])) for r in rows if len(r) == 2 and r[1] in ("0", "1")]
    # The CT19 test file is read for its texts only, to keep its debates out.
    test_texts = {_norm(r["text"]) for r in load_ct19("Test")}
    train_texts = {_norm(r["text"]) for r in load_ct19("Training")}
    norm = [_norm(t) for t, _ in rows]
    in_test = np.array([n in test_texts for n in norm], dtype=float)
    out = []
    for s in range(0, len(rows), CT20_BLOCK):
        if in_test[s : s + CT20_BLOCK].mean() > CT20_MAX_TEST_SHARE:
            continue
        out += [{"text": rows[i][0], "label": rows[i][1]} for i in range(s, min(s + CT20_BLOCK, len(rows)))
                if norm[i] not in test_texts and norm[i] not in train_texts]
    return out


def ct19_documents(rows: Sequence[dict[str, Any]]) -> list[list[int]]:
    """Row indices of each CT19 debate, in line order (the unit that context features read)."""
    by_file: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_file.setdefault(r["file"], []).append(i)
    return [sorted(ix, key=lambda i: rows[i]["line"]) for _f, ix in sorted(by_file.items())]


def document_features(texts: Sequence[str], vectors: np.ndarray, docs: Sequence[Sequence[int]]) -> np.ndarray:
    """:func:`storyline.nlp.checkworthy.feature_matrix` of each document, rows back in input order."""
    from storyline.nlp import checkworthy as cw

    x = np.zeros((len(texts), vectors.shape[1] + len(cw.FEATURES) + len(cw.CONTEXT_FEATURES)), np.float32)
    for ix in docs:
        ix = list(ix)
        x[ix] = cw.feature_matrix([texts[i] for i in ix], vectors[ix])
    return x


def checkworthy_training_data() -> dict[str, Any]:
    """CT19 training debates (with context), ClaimBuster training rows and CT20 extra rows (isolated)."""
    ct = load_ct19("Training")
    # The CT19 test file is read for its texts only, to drop the ClaimBuster sentences it also holds.
    ct_test_texts = {_norm(r["text"]) for r in load_ct19("Test")}
    cb_all = load_claimbuster("train")
    cb_vec_all = embed_cached([r["text"] for r in cb_all])
    keep = [i for i, r in enumerate(cb_all) if _norm(r["text"]) not in ct_test_texts]
    cb = [cb_all[i] for i in keep]
    ex = ct20_extra_rows() if CW_EX_SHARE > 0 else []
    ct_texts = [r["text"] for r in ct]
    v_ct = embed_cached(ct_texts)
    x_ct = document_features(ct_texts, v_ct, ct19_documents(ct))
    v_cb = cb_vec_all[keep]
    x_cb = document_features([r["text"] for r in cb], v_cb, [[i] for i in range(len(cb))])
    x_ex = (document_features([r["text"] for r in ex], embed_cached([r["text"] for r in ex]),
                              [[i] for i in range(len(ex))]) if ex else x_cb[:0])
    return {
        "ct": ct, "cb": cb, "ex": ex, "v_ct": v_ct, "x_ct": x_ct, "v_cb": v_cb, "x_cb": x_cb, "x_ex": x_ex,
        "y_ct": np.array([r["label"] for r in ct]), "y_cb": np.array([r["label"] for r in cb]),
        "y_ex": np.array([r["label"] for r in ex], dtype=int),
        "files": [r["file"] for r in ct], "dropped_cb": len(cb_all) - len(cb),
    }


def _cw_sources(d: dict[str, Any], ct_idx: np.ndarray, cb_idx: np.ndarray, cb_share: float,
                ex_share: float) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Stacked training rows (x, texts, y, sample weights) from CT19 rows ``ct_idx``, ClaimBuster rows
    ``cb_idx`` and all extra rows; each source's classes balanced, sources weighted by their shares."""
    parts = [(d["x_ct"][ct_idx], [d["ct"][i]["text"] for i in ct_idx], d["y_ct"][ct_idx], 1.0 - cb_share - ex_share),
             (d["x_cb"][cb_idx], [d["cb"][i]["text"] for i in cb_idx], d["y_cb"][cb_idx], cb_share)]
    if ex_share > 0 and len(d["ex"]):
        parts.append((d["x_ex"], [r["text"] for r in d["ex"]], d["y_ex"], ex_share))
    parts = [p for p in parts if p[3] > 0]
    x = np.vstack([p[0] for p in parts])
    texts = [t for p in parts for t in p[1]]
    y = np.concatenate([p[2] for p in parts])
    sw = np.concatenate([balanced_weights(p[2]) * p[3] for p in parts])
    return x, texts, y, sw


def fit_checkworthy_parts(d: dict[str, Any], ct_idx: np.ndarray, cb_idx: np.ndarray, *, l2: float,
                          cb_share: float, ex_share: float, lex_l2: float) -> tuple[Any, Any]:
    """(dense logistic params, lexical model) fitted on the given rows."""
    x, texts, y, sw = _cw_sources(d, ct_idx, cb_idx, cb_share, ex_share)
    dense = fit_logistic(x, y, sw, l2)
    lexical = fit_lexical(texts, y, sw, l2=lex_l2, min_df=CW_LEX_MIN_DF) if lex_l2 > 0 else None
    return dense, lexical


def _dense_logits(params: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = params
    return (((x - mean) / scale) @ w + b).astype(np.float64)


def debate_folds(d: dict[str, Any], folds: int) -> np.ndarray:
    """Fold number of each CT19 training row: whole debates, dealt round-robin in file-name order."""
    fold_of = {f: i % folds for i, f in enumerate(sorted(set(d["files"])))}
    return np.array([fold_of[f] for f in d["files"]])


def cv_checkworthy(d: dict[str, Any], grid: Sequence[dict[str, float]], weights: Sequence[float] = (0.0,),
                   folds: int = 4) -> list[dict[str, Any]]:
    """MAP over held-out CT19 training debates (files split into ``folds`` groups) for each setting of
    ``grid`` (l2, cb_share, ex_share, lex_l2) and each lexical weight of ``weights``."""
    fid = debate_folds(d, folds)
    all_cb = np.arange(len(d["cb"]))
    out = []
    for g in grid:
        zd = np.zeros(len(fid))
        zl = np.zeros(len(fid))
        for k in range(folds):
            tr, te = np.flatnonzero(fid != k), np.flatnonzero(fid == k)
            dense, lexical = fit_checkworthy_parts(d, tr, all_cb, **g)
            zd[te] = _dense_logits(dense, d["x_ct"][te])
            if lexical is not None:
                zl[te] = lexical_logits(lexical, [d["ct"][i]["text"] for i in te])
        for wt in weights if g.get("lex_l2", 0) > 0 else (0.0,):
            m = mean_ap_by_file(zd + wt * zl, d["y_ct"], d["files"])
            out.append({**g, "lex_weight": wt, "cv_map": round(m, 4)})
            print(f"  check-worthiness cv {g} lex_weight={wt:g}: MAP {m:.4f}", file=sys.stderr, flush=True)
    return out


def context_logit_shift(d: dict[str, Any], setting: dict[str, float], folds: int = 4) -> tuple[float, int]:
    """Mean (in context - alone) logit of the ClaimBuster training sentences that also occur in a CT19
    training debate: leave-debates-out folds, each model trained without the fold's debates and without
    the ClaimBuster copies of their sentences; (shift, number of sentences)."""
    cb_by_norm: dict[str, list[int]] = {}
    for j, r in enumerate(d["cb"]):
        cb_by_norm.setdefault(_norm(r["text"]), []).append(j)
    fid = debate_folds(d, folds)
    diffs = []
    for k in range(folds):
        te = np.flatnonzero(fid == k)
        pairs = [(i, j) for i in te for j in cb_by_norm.get(_norm(d["ct"][i]["text"]), [])]
        if not pairs:
            continue
        drop = {j for _, j in pairs}
        cb_tr = np.array([j for j in range(len(d["cb"])) if j not in drop], dtype=int)
        dense, lex = fit_checkworthy_parts(d, np.flatnonzero(fid != k), cb_tr, **setting)
        ci = np.array([i for i, _ in pairs], dtype=int)
        cj = np.array([j for _, j in pairs], dtype=int)
        zc = _dense_logits(dense, d["x_ct"][ci]) + CW_LEX_WEIGHT * lexical_logits(lex, [d["ct"][i]["text"] for i in ci])
        za = _dense_logits(dense, d["x_cb"][cj]) + CW_LEX_WEIGHT * lexical_logits(lex, [d["cb"][j]["text"] for j in cj])
        diffs.append(zc - za)
    all_d = np.concatenate(diffs) if diffs else np.zeros(0)
    return (float(all_d.mean()) if len(all_d) else 0.0), int(len(all_d))


def memory_bank(d: dict[str, Any], ct_idx: np.ndarray) -> np.ndarray:
    """Vectors of the check-worthy CT19 rows among ``ct_idx`` (the claim memory), in row order."""
    return d["v_ct"][np.sort(ct_idx[d["y_ct"][ct_idx] == 1])]


def memory_cosine_unseen(d: dict[str, Any], vectors: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """:func:`storyline.nlp.checkworthy.nearest_cosine` of each sentence in the full claim memory, its
    own copies (same normalised text) left out: what a sentence the memory never saw would get."""
    from storyline.nlp.checkworthy import nearest_cosine

    bank = memory_bank(d, np.arange(len(d["ct"])))
    rows_of: dict[str, list[int]] = {}
    for j, i in enumerate(np.flatnonzero(d["y_ct"] == 1)):  # memory_bank's rows, in its order
        rows_of.setdefault(_norm(d["ct"][i]["text"]), []).append(j)
    out = nearest_cosine(vectors, bank)
    for i, t in enumerate(texts):
        own = rows_of.get(_norm(t))
        if own:
            out[i] = nearest_cosine(vectors[i : i + 1], np.delete(bank, own, axis=0))[0]
    return out


def cv_memory(d: dict[str, Any], weights: Sequence[float], floors: Sequence[float],
              folds: int = 4) -> list[dict[str, Any]]:
    """MAP over held-out CT19 training debates of the shipped dense + lexical logits plus the claim
    memory term for each (weight, floor); the memory holds the check-worthy sentences of the other
    folds' debates. ClaimBuster copies of a held-out debate's sentences are left out of its training
    rows (else the lexical model has seen the held-out sentences), so weight 0 is a little below
    :func:`cv_checkworthy`'s figure for the same setting."""
    from storyline.nlp.checkworthy import nearest_cosine

    fid = debate_folds(d, folds)
    cb_norm = [_norm(r["text"]) for r in d["cb"]]
    z = np.zeros(len(fid))
    best = np.zeros(len(fid))
    for k in range(folds):
        tr, te = np.flatnonzero(fid != k), np.flatnonzero(fid == k)
        held = {_norm(d["ct"][i]["text"]) for i in te}
        cb_tr = np.array([j for j, n in enumerate(cb_norm) if n not in held], dtype=int)
        dense, lexical = fit_checkworthy_parts(d, tr, cb_tr, **CW_SETTING)
        z[te] = _dense_logits(dense, d["x_ct"][te]) + CW_LEX_WEIGHT * lexical_logits(
            lexical, [d["ct"][i]["text"] for i in te])
        best[te] = nearest_cosine(d["v_ct"][te], memory_bank(d, tr))
    out = []
    for wt in weights:
        for fl in floors if wt else floors[:1]:
            m = mean_ap_by_file(z + wt * np.maximum(0.0, best - fl), d["y_ct"], d["files"])
            out.append({"memory_weight": wt, "memory_floor": fl, "cv_map": round(m, 4)})
            print(f"  check-worthiness cv memory weight={wt:g} floor={fl:g}: MAP {m:.4f}", file=sys.stderr, flush=True)
    return out


def train_checkworthy() -> dict[str, Any]:
    from storyline.nlp import checkworthy as cw

    d = checkworthy_training_data()
    all_ct, all_cb = np.arange(len(d["ct"])), np.arange(len(d["cb"]))
    dense, lexical = fit_checkworthy_parts(d, all_ct, all_cb, **CW_SETTING)
    mean, scale, w, b = dense
    lex = lexical_payload(lexical, CW_LEX_WEIGHT, l2=CW_LEX_L2, min_df=CW_LEX_MIN_DF)
    bank = memory_bank(d, all_ct)
    # Cut for claims_in: best F1 on the ClaimBuster training sentences (check-worthy factual
    # statements, the closer match to news prose than debate transcripts), scored out of fold
    # (4 folds of ClaimBuster, each model trained on the rest plus all CT19 rows): the lexical model
    # nearly memorises its own training sentences. The claim memory term is added as for a sentence
    # the memory does not hold (copies of CT19 sentences would otherwise score their own label).
    fold = np.arange(len(d["cb"])) % 4
    z = CW_MEMORY_WEIGHT * np.maximum(0.0, memory_cosine_unseen(d, d["v_cb"], [r["text"] for r in d["cb"]])
                                      - CW_MEMORY_FLOOR)
    for k in range(4):
        dn, lx = fit_checkworthy_parts(d, all_ct, np.flatnonzero(fold != k), **CW_SETTING)
        te = np.flatnonzero(fold == k)
        z[te] += _dense_logits(dn, d["x_cb"][te]) + CW_LEX_WEIGHT * lexical_logits(lx, [d["cb"][i]["text"] for i in te])
    cut_alone, f1 = best_threshold(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40))), d["y_cb"], lambda p, y: prf(p, y)[2])
    # That cut is for sentences scored alone (no context features); claims_in scores whole articles,
    # each sentence with its neighbours. Moved by the mean logit shift that context gives the same
    # labelled sentences (ClaimBuster rows whose text occurs in a CT19 training debate, scored out of
    # fold both ways), it selects in context what it selected alone.
    shift, pairs = context_logit_shift(d, CW_SETTING)
    logit = float(np.log(cut_alone / (1.0 - cut_alone)))
    cut = round(float(1.0 / (1.0 + np.exp(-(logit + shift)))), 2)
    return {
        "kind": "logistic+lexical", "features": list(cw.FEATURES + cw.CONTEXT_FEATURES),
        "vector": "all-minilm-l6-v2-int8",
        "mean": _round(mean), "scale": _round(scale), "w": _round(w), "b": float(f"{b:.6g}"),
        "threshold": cut, "lexical": lex,
        "memory": {"vectors": cw.encode_memory(bank), "count": int(len(bank)), "dim": int(bank.shape[1]),
                   "weight": CW_MEMORY_WEIGHT, "floor": CW_MEMORY_FLOOR,
                   "rows": "check-worthy sentences of CT19-T1-Training.csv, in file and line order"},
        "meta": {
            "trained_on": "CT19-T1-Training.csv (16421, context within each debate) + two_class/train.json "
                          f"({len(d['cb'])}, {d['dropped_cb']} dropped: text in CT19 test)"
                          + (f" + CT20 task 5 train rows outside both CT19 files ({len(d['ex'])})" if d["ex"] else ""),
            **CW_SETTING, "lex_weight": CW_LEX_WEIGHT, "lex_min_df": CW_LEX_MIN_DF,
            "threshold_rule": "max F1 on ClaimBuster train (4-fold out-of-fold scores, each sentence alone): "
                              "threshold_alone; moved by the mean context logit shift (out of fold, ClaimBuster "
                              "train rows inside CT19 training debates, scored in the debate and alone): threshold",
            "threshold_alone": cut_alone, "threshold_oof_f1": round(f1, 4),
            "context_logit_shift": round(shift, 4), "context_shift_sentences": pairs,
            "memory_rule": "memory weight and floor: best leave-debates-out CV MAP (bench/train_classifiers.py --cv)",
            "script": "bench/train_classifiers.py",
        },
    }


# --------------------------------------------------------------------------- framing


#: L2 strength of the word-score model (MiniLM vector of a single word -> marked share).
WORD_L2 = 1e-2


def _word_vocab(rows: Sequence[dict[str, Any]]) -> list[str]:
    from storyline.nlp import framing as fr

    return sorted({w.lower().replace("\u2019", "'") for r in rows for _, _, w in fr.tokens(r["text"])})


def fit_word_model(rows: Sequence[dict[str, Any]], vocab: Sequence[str], vecs: np.ndarray) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, float]:
    """Word scores for ``vocab``: logistic model on single-word vectors, fitted to the marked share.

    Each word seen in ``rows`` is one positive example weighted by sqrt(times marked) and one
    negative weighted by sqrt(times unmarked) (square roots damp the most frequent words).
    Returns the logistic parameters (mean, scale, w, b) over word vectors.
    """
    from storyline.nlp import framing as fr

    marks = fr.word_marks((r["text"], r["biased_words"]) for r in rows)
    index = {w: i for i, w in enumerate(vocab)}
    words = sorted(w for w in marks if w in index)
    x = vecs[[index[w] for w in words]]
    seen = np.array([marks[w][0] for w in words], dtype=np.float64)
    marked = np.array([marks[w][1] for w in words], dtype=np.float64)
    return fit_logistic(np.vstack([x, x]), np.r_[np.ones(len(words)), np.zeros(len(words))],
                        np.sqrt(np.r_[marked, seen - marked]), WORD_L2)


def fit_word_scores(rows: Sequence[dict[str, Any]], vocab: Sequence[str], vecs: np.ndarray) -> dict[str, float]:
    """Scores of ``vocab`` (vectors ``vecs``) by :func:`fit_word_model` fitted on ``rows``; scores under
    WORD_SCORE_MIN are left out (they count as 0)."""
    from storyline.nlp import framing as fr

    p = _proba(fit_word_model(rows, vocab, vecs), vecs)
    return {w: float(f"{v:.3f}") for w, v in zip(vocab, p) if v >= fr.WORD_SCORE_MIN}


def wordpiece_words() -> list[str]:
    """Whole lower-case words of the vendored MiniLM tokenizer's vocabulary (no "##" pieces): a general
    English vocabulary for the shipped word-score table, so that the scorer rarely embeds a word."""
    from storyline.weights import verified_path

    vocab = json.loads(verified_path("minilm-tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    return sorted(t for t in vocab if re.fullmatch(r"[a-z][a-z'-]+", t) and len(t) >= 3)


def _oof_framing_features(rows: Sequence[dict[str, Any]], vecs: np.ndarray, fold: np.ndarray,
                          vocab: Sequence[str], wvecs: np.ndarray) -> np.ndarray:
    """Feature rows of ``rows`` whose lexicon and word-score features come from the other folds."""
    from storyline.nlp import framing as fr

    x = np.zeros((len(rows), vecs.shape[1] + len(fr.FEATURES)), dtype=np.float32)
    for k in sorted(set(fold.tolist())):
        idx = np.flatnonzero(fold == k)
        x[idx] = _framing_features_from([r for r, f in zip(rows, fold) if f != k], [rows[i] for i in idx],
                                        vecs[idx], vocab, wvecs)
    return x


def _framing_features_from(fit_rows: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]], vecs: np.ndarray,
                           vocab: Sequence[str], wvecs: np.ndarray) -> np.ndarray:
    """Feature rows of ``rows`` with the lexicon and word scores fitted on ``fit_rows``."""
    from storyline.nlp import framing as fr

    lex = fr.learn_lexicon((r["text"], r["biased_words"]) for r in fit_rows)
    return fr.feature_matrix([r["text"] for r in rows], vecs, lex, fit_word_scores(fit_rows, vocab, wvecs))


def framing_training_data() -> dict[str, Any]:
    """BABE training split with out-of-fold lexicon and word-score features, and the full-split ones."""
    from storyline.nlp import framing as fr

    rows = load_babe()
    train, _test = babe_split(rows)
    vecs = embed_cached([r["text"] for r in rows])[train]
    tr_rows = [rows[i] for i in train]
    vocab = _word_vocab(tr_rows)
    wvecs = embed_cached(vocab)
    rng = np.random.default_rng(BABE_SEED + 1)
    fold = rng.permutation(len(tr_rows)) % 5
    x = _oof_framing_features(tr_rows, vecs, fold, vocab, wvecs)
    lexicon = fr.learn_lexicon((r["text"], r["biased_words"]) for r in tr_rows)
    # The shipped table: the training vocabulary plus the tokenizer's whole words, scored by the word
    # model fitted on the whole training split. The scorer embeds any other word it meets and applies
    # the same model (the out-of-fold features above score every word the same way).
    word_model = fit_word_model(tr_rows, vocab, wvecs)
    table_vocab = sorted(set(vocab) | set(wordpiece_words()))
    p = _proba(word_model, embed_cached(table_vocab))
    word_scores = {w: float(f"{v:.3f}") for w, v in zip(table_vocab, p) if v >= fr.WORD_SCORE_MIN}
    word_known = [w for w in table_vocab if w not in word_scores]
    return {"rows": tr_rows, "x": x, "y": np.array([r["label"] for r in tr_rows]), "fold": fold,
            "vecs": vecs, "vocab": vocab, "wvecs": wvecs, "lexicon": lexicon, "word_scores": word_scores, "word_model": word_model, "word_known": word_known}


def cv_framing(d: dict[str, Any], l2s: Sequence[float], lex_weights: Sequence[float] = (0.0,)) -> list[dict[str, Any]]:
    """Out-of-fold macro-F1 (best cut) on the BABE training split for each L2 strength and weight of
    the lexical model's logit (its L2 and min_df are FR_LEX_L2, FR_LEX_MIN_DF)."""
    texts = [r["text"] for r in d["rows"]]
    zl = np.zeros(len(d["y"]))
    if any(lex_weights):
        for k in range(5):
            tr, te = np.flatnonzero(d["fold"] != k), np.flatnonzero(d["fold"] == k)
            lx = fit_lexical([texts[i] for i in tr], d["y"][tr], balanced_weights(d["y"][tr]), l2=FR_LEX_L2,
                             min_df=FR_LEX_MIN_DF)
            zl[te] = lexical_logits(lx, [texts[i] for i in te])
    out = []
    for l2 in l2s:
        zd = np.zeros(len(d["y"]))
        for k in range(5):
            tr, te = d["fold"] != k, d["fold"] == k
            params = fit_logistic(d["x"][tr], d["y"][tr], balanced_weights(d["y"][tr]), l2)
            zd[te] = _dense_logits(params, d["x"][te])
        for lw in lex_weights:
            scores = 1.0 / (1.0 + np.exp(-np.clip(zd + lw * zl, -40, 40)))
            cut, f1 = best_threshold(scores, d["y"], macro_f1)
            out.append({"l2": l2, "lex_weight": lw, "cut": cut, "cv_macro_f1": round(f1, 4), "scores": scores})
            print(f"  framing cv l2={l2:g} lex_weight={lw:g}: macro-F1 {f1:.4f} at cut {cut}", file=sys.stderr)
    return out


def nested_framing_scores(d: dict[str, Any], l2: float, lex_weight: float) -> np.ndarray:
    """Out-of-fold scores of the training split made the way held-out sentences are scored.

    For each of the 5 folds, the model is trained as :func:`train_framing` trains the shipped one,
    on the other folds only (their lexicon and word-score features out of fold within them, 5 inner
    folds), and the held-out fold's features come from the lexicon and word scores fitted on all of
    those other folds, as a new sentence's features come from the shipped ones. (The plain
    out-of-fold scores of :func:`cv_framing` give every row features fitted on 80 % of the
    training split, a weaker lexicon than the shipped one: their best cut is too low.)
    """
    texts = [r["text"] for r in d["rows"]]
    y = d["y"]
    z = np.zeros(len(y))
    for k in range(5):
        otr, ote = np.flatnonzero(d["fold"] != k), np.flatnonzero(d["fold"] == k)
        rows_tr = [d["rows"][i] for i in otr]
        inner = np.random.default_rng(BABE_SEED + 1).permutation(len(otr)) % 5
        xtr = _oof_framing_features(rows_tr, d["vecs"][otr], inner, d["vocab"], d["wvecs"])
        xte = _framing_features_from(rows_tr, [d["rows"][i] for i in ote], d["vecs"][ote], d["vocab"], d["wvecs"])
        z[ote] = _dense_logits(fit_logistic(xtr, y[otr], balanced_weights(y[otr]), l2), xte)
        if lex_weight:
            lx = fit_lexical([texts[i] for i in otr], y[otr], balanced_weights(y[otr]), l2=FR_LEX_L2,
                             min_df=FR_LEX_MIN_DF)
            z[ote] += lex_weight * lexical_logits(lx, [texts[i] for i in ote])
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def smoothed_threshold(scores: np.ndarray, labels: np.ndarray, metric: Any, half: int = 2) -> tuple[float, float, float]:
    """The cut in 0.05..0.95 (step 0.01) whose ``metric`` averaged over the cuts within ``half`` steps
    either side is highest (less noisy than the single best cut); (cut, smoothed value, value)."""
    cuts = np.round(np.arange(0.05, 0.951, 0.01), 2)
    vals = np.array([metric(scores >= c, labels) for c in cuts])
    best = (0.5, -1.0, -1.0)
    for i in range(half, len(cuts) - half):
        v = float(vals[i - half : i + half + 1].mean())
        if v > best[1] + 1e-12:
            best = (float(cuts[i]), v, float(vals[i]))
    return best


def train_framing() -> dict[str, Any]:
    from storyline.nlp import framing as fr

    d = framing_training_data()
    cv_f1 = [r["cv_macro_f1"] for r in cv_framing(d, [FR_L2], [FR_LEX_WEIGHT])][0]
    cut, f1_smooth, f1 = smoothed_threshold(nested_framing_scores(d, FR_L2, FR_LEX_WEIGHT), d["y"], macro_f1)
    print(f"  framing nested cv: macro-F1 {f1:.4f} at cut {cut} (smoothed {f1_smooth:.4f})", file=sys.stderr)
    mean, scale, w, b = fit_logistic(d["x"], d["y"], balanced_weights(d["y"]), FR_L2)
    lexical = fit_lexical([r["text"] for r in d["rows"]], d["y"], balanced_weights(d["y"]), l2=FR_LEX_L2,
                          min_df=FR_LEX_MIN_DF)
    return {
        "kind": "logistic+lexical", "features": list(fr.FEATURES), "vector": "all-minilm-l6-v2-int8",
        "mean": _round(mean), "scale": _round(scale), "w": _round(w), "b": float(f"{b:.6g}"),
        "threshold": cut, "lexicon": d["lexicon"], "word_scores": d["word_scores"],
        "word_known": d["word_known"],
        "word_model": {"mean": _round(d["word_model"][0]), "scale": _round(d["word_model"][1]),
                       "w": _round(d["word_model"][2]), "b": float(f"{d['word_model'][3]:.6g}")},
        "lexical": lexical_payload(lexical, FR_LEX_WEIGHT, l2=FR_LEX_L2, min_df=FR_LEX_MIN_DF),
        "meta": {
            "trained_on": f"BABE SG2 training split ({len(d['y'])} sentences; seed {BABE_SEED}, "
                          f"{int(BABE_TEST_SHARE * 100)} % of distinct texts held out)",
            "l2": FR_L2,
            "threshold_rule": "max macro-F1 (averaged over the cut +-0.02) on nested out-of-fold scores of "
                              "the training split (features of each held-out fold from the lexicon fitted "
                              "on the other folds, as in use)",
            "threshold_cv_macro_f1": round(f1, 4), "threshold_smoothed_cv_macro_f1": round(f1_smooth, 4),
            "cv_macro_f1": cv_f1, "lexicon_entries": len(d["lexicon"]),
            "word_scores": len(d["word_scores"]), "word_l2": WORD_L2,
            "script": "bench/train_classifiers.py",
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embed-only", action="store_true", help="only fill the vector cache")
    ap.add_argument("--cv", action="store_true", help="print the cross-validation grids (training data only)")
    ap.add_argument("--only", choices=("checkworthy", "framing"), default=None, help="one model only")
    ap.add_argument("--check", action="store_true", help="fail if retraining changes the shipped files")
    args = ap.parse_args(argv)
    if args.embed_only:
        for texts in ([r["text"] for r in load_babe()], [r["text"] for r in load_claimbuster("train")],
                      [r["text"] for r in load_ct19("Training")]):
            embed_cached(texts)
        return 0
    if args.cv:
        if args.only != "framing":
            cv_checkworthy(checkworthy_training_data(),
                           [{"l2": CW_L2, "cb_share": cb, "ex_share": ex, "lex_l2": CW_LEX_L2}
                            for cb, ex in ((0.6, 0.0), (0.4, 0.2), (0.3, 0.3))], weights=(0.0, 0.5, 1.0))
            cv_memory(checkworthy_training_data(), (0.0, 10.0, 15.0, 20.0, 25.0, 30.0),
                      (0.5, 0.525, 0.55, 0.575, 0.6, 0.625, 0.65))
        if args.only != "checkworthy":
            cv_framing(framing_training_data(), [1e-1, FR_L2, 1.0], [0.0, 0.3, 0.5, 1.0])
        return 0
    status = 0
    for name, build in (("checkworthy.json", train_checkworthy), ("framing.json", train_framing)):
        if args.only and not name.startswith(args.only):
            continue
        payload = build()
        path = OUT / name
        old = path.read_bytes() if path.is_file() else None
        if args.check:
            tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"storyline-{name}"
            digest = write_weights(tmp, payload)
            same = old is not None and tmp.read_bytes() == old
            print(f"{name}: sha256 {digest} {'matches' if same else 'DIFFERS from'} the shipped file")
            status |= 0 if same else 1
        else:
            digest = write_weights(path, payload)
            print(f"{name}: sha256 {digest} ({path.stat().st_size} bytes)")
    return status


if __name__ == "__main__":
    sys.exit(main())
