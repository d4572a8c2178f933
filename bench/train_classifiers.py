"""Train the two sentence classifiers and write their weights (reproducible: same data, same bytes).

    python bench/train_classifiers.py [--embed-only] [--check]

* ``src/storyline/models/classifiers/checkworthy.json``: check-worthiness
  (:mod:`storyline.nlp.checkworthy`). Training data: CheckThat! 2019 task 1 *training* debates
  (16,421 sentences, 440 check-worthy) plus ClaimBuster's two-class ``train.json`` (7,976 sentences),
  minus the 3 ClaimBuster sentences whose text also occurs in the CT19 test file. The test files
  (CT19-T1-Test.csv, two_class/test.json) are never read here.
* ``src/storyline/models/classifiers/framing.json``: loaded wording (:mod:`storyline.nlp.framing`).
  Training data: the BABE SG2 training split of :func:`babe_split` (80 %, seeded, grouped by text);
  the held-out 20 % is only read by bench/framing.py. The loaded-word lexicon is learned from the
  training split's ``biased_words``; the model's lexicon features for training sentences are computed
  *out of fold* (5 folds) so the model does not learn to trust words seen in the very sentence.

The learner is L2-regularised logistic regression fitted by Newton's method (IRLS) in numpy on
standardised features, with sample weights that balance the classes: deterministic. Hyper-parameters
(the L2 strength, the ClaimBuster share) were picked by grouped cross-validation on the training data
only (``--cv``); the chosen values are the constants below.

Sentence vectors (MiniLM int8) are cached in ~/.cache/storyline-bench/ (keyed by the texts' hash).
``--check`` retrains and fails if the written files would differ from the ones in the repository.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

DATA = ROOT.parent / "shared" / "datasets"
CT19 = DATA / "checkthat-claimbuster" / "data" / "clef19"
CB = DATA / "checkthat-claimbuster" / "data" / "two_class"
BABE = DATA / "babe" / "data" / "final_labels_SG2.csv"
BASIL = DATA / "basil"
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE", Path.home() / ".cache" / "storyline-bench"))
OUT = ROOT / "src" / "storyline" / "models" / "classifiers"

#: L2 strength (on standardised features, per unit of total sample weight) for check-worthiness.
CW_L2 = 1e-2
#: Share of the total training weight given to ClaimBuster (the rest to CT19).
CW_CB_SHARE = 0.6
#: L2 strength for the framing model.
FR_L2 = 0.3
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


# --------------------------------------------------------------------------- check-worthiness


def checkworthy_training_data() -> dict[str, Any]:
    """CT19 training rows, ClaimBuster training rows (minus any text in the CT19 test file), features."""
    from storyline.nlp import checkworthy as cw

    ct = load_ct19("Training")
    # The CT19 test file is read for its texts only, to drop the ClaimBuster sentences it also holds.
    ct_test_texts = {_norm(r["text"]) for r in load_ct19("Test")}
    cb_all = load_claimbuster("train")
    cb_vec_all = embed_cached([r["text"] for r in cb_all])
    keep = [i for i, r in enumerate(cb_all) if _norm(r["text"]) not in ct_test_texts]
    cb = [cb_all[i] for i in keep]
    x_ct = cw.feature_matrix([r["text"] for r in ct], embed_cached([r["text"] for r in ct]))
    x_cb = cw.feature_matrix([r["text"] for r in cb], cb_vec_all[keep])
    return {
        "ct": ct, "cb": cb, "x_ct": x_ct, "x_cb": x_cb,
        "y_ct": np.array([r["label"] for r in ct]), "y_cb": np.array([r["label"] for r in cb]),
        "files": [r["file"] for r in ct], "dropped_cb": len(cb_all) - len(cb),
    }


def fit_checkworthy(x_ct: np.ndarray, y_ct: np.ndarray, x_cb: np.ndarray, y_cb: np.ndarray, *, l2: float,
                    cb_share: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    w_ct = balanced_weights(y_ct) * (1.0 - cb_share)
    if cb_share > 0:
        x = np.vstack([x_ct, x_cb])
        y = np.concatenate([y_ct, y_cb])
        sw = np.concatenate([w_ct, balanced_weights(y_cb) * cb_share])
    else:
        x, y, sw = x_ct, y_ct, w_ct
    return fit_logistic(x, y, sw, l2)


def _proba(params: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, w, b = params
    z = ((x - mean) / scale) @ w + b
    return 1.0 / (1.0 + np.exp(-np.clip(z.astype(np.float64), -40, 40)))


def cv_checkworthy(d: dict[str, Any], grid: Sequence[tuple[float, float]], folds: int = 4) -> list[dict[str, Any]]:
    """MAP over held-out CT19 training debates (files split into ``folds`` groups) for each (l2, share)."""
    files = sorted(set(d["files"]))
    fold_of = {f: i % folds for i, f in enumerate(files)}
    fid = np.array([fold_of[f] for f in d["files"]])
    out = []
    for l2, share in grid:
        scores = np.zeros(len(fid))
        for k in range(folds):
            tr, te = fid != k, fid == k
            params = fit_checkworthy(d["x_ct"][tr], d["y_ct"][tr], d["x_cb"], d["y_cb"], l2=l2, cb_share=share)
            scores[te] = _proba(params, d["x_ct"][te])
        m = mean_ap_by_file(scores, d["y_ct"], d["files"])
        out.append({"l2": l2, "cb_share": share, "cv_map": round(m, 4)})
        print(f"  check-worthiness cv l2={l2:g} cb_share={share:g}: MAP {m:.4f}", file=sys.stderr)
    return out


def train_checkworthy() -> dict[str, Any]:
    from storyline.nlp import checkworthy as cw

    d = checkworthy_training_data()
    params = fit_checkworthy(d["x_ct"], d["y_ct"], d["x_cb"], d["y_cb"], l2=CW_L2, cb_share=CW_CB_SHARE)
    mean, scale, w, b = params
    # Cut for claims_in: best F1 on the ClaimBuster training sentences (check-worthy factual
    # statements, the closer match to news prose than debate transcripts).
    cut, f1 = best_threshold(_proba(params, d["x_cb"]), d["y_cb"], lambda p, y: prf(p, y)[2])
    return {
        "kind": "logistic", "features": list(cw.FEATURES), "vector": "all-minilm-l6-v2-int8",
        "mean": _round(mean), "scale": _round(scale), "w": _round(w), "b": float(f"{b:.6g}"),
        "threshold": cut,
        "meta": {
            "trained_on": "CT19-T1-Training.csv (16421) + two_class/train.json "
                          f"({len(d['cb'])}, {d['dropped_cb']} dropped: text in CT19 test)",
            "l2": CW_L2, "cb_share": CW_CB_SHARE, "threshold_rule": "max F1 on ClaimBuster train",
            "threshold_train_f1": round(f1, 4), "script": "bench/train_classifiers.py",
        },
    }


# --------------------------------------------------------------------------- framing


#: L2 strength of the word-score model (MiniLM vector of a single word -> marked share).
WORD_L2 = 1e-2


def _word_vocab(rows: Sequence[dict[str, Any]]) -> list[str]:
    from storyline.nlp import framing as fr

    return sorted({w.lower().replace("\u2019", "'") for r in rows for _, _, w in fr.tokens(r["text"])})


def fit_word_scores(rows: Sequence[dict[str, Any]], vocab: Sequence[str], vecs: np.ndarray) -> dict[str, float]:
    """Word scores for ``vocab``: logistic model on single-word vectors, fitted to the marked share.

    Each word seen in ``rows`` is one positive example weighted by sqrt(times marked) and one
    negative weighted by sqrt(times unmarked) (square roots damp the most frequent words).
    Scores under WORD_SCORE_MIN are left out.
    """
    from storyline.nlp import framing as fr

    marks = fr.word_marks((r["text"], r["biased_words"]) for r in rows)
    index = {w: i for i, w in enumerate(vocab)}
    words = sorted(w for w in marks if w in index)
    x = vecs[[index[w] for w in words]]
    seen = np.array([marks[w][0] for w in words], dtype=np.float64)
    marked = np.array([marks[w][1] for w in words], dtype=np.float64)
    params = fit_logistic(np.vstack([x, x]), np.r_[np.ones(len(words)), np.zeros(len(words))],
                          np.sqrt(np.r_[marked, seen - marked]), WORD_L2)
    p = _proba(params, vecs)
    return {w: float(f"{v:.3f}") for w, v in zip(vocab, p) if v >= fr.WORD_SCORE_MIN}


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
    x = np.zeros((len(tr_rows), vecs.shape[1] + len(fr.FEATURES)), dtype=np.float32)
    for k in range(5):
        rest = [r for r, f in zip(tr_rows, fold) if f != k]
        lex = fr.learn_lexicon((r["text"], r["biased_words"]) for r in rest)
        ws = fit_word_scores(rest, vocab, wvecs)
        idx = np.flatnonzero(fold == k)
        x[idx] = fr.feature_matrix([tr_rows[i]["text"] for i in idx], vecs[idx], lex, ws)
    lexicon = fr.learn_lexicon((r["text"], r["biased_words"]) for r in tr_rows)
    word_scores = fit_word_scores(tr_rows, vocab, wvecs)
    return {"rows": tr_rows, "x": x, "y": np.array([r["label"] for r in tr_rows]), "fold": fold,
            "lexicon": lexicon, "word_scores": word_scores}


def cv_framing(d: dict[str, Any], l2s: Sequence[float]) -> list[dict[str, Any]]:
    """Out-of-fold macro-F1 (best cut) on the BABE training split for each L2 strength."""
    out = []
    for l2 in l2s:
        scores = np.zeros(len(d["y"]))
        for k in range(5):
            tr, te = d["fold"] != k, d["fold"] == k
            params = fit_logistic(d["x"][tr], d["y"][tr], balanced_weights(d["y"][tr]), l2)
            scores[te] = _proba(params, d["x"][te])
        cut, f1 = best_threshold(scores, d["y"], macro_f1)
        out.append({"l2": l2, "cut": cut, "cv_macro_f1": round(f1, 4), "scores": scores})
        print(f"  framing cv l2={l2:g}: macro-F1 {f1:.4f} at cut {cut}", file=sys.stderr)
    return out


def train_framing() -> dict[str, Any]:
    from storyline.nlp import framing as fr

    d = framing_training_data()
    cut, f1 = [(r["cut"], r["cv_macro_f1"]) for r in cv_framing(d, [FR_L2])][0]
    mean, scale, w, b = fit_logistic(d["x"], d["y"], balanced_weights(d["y"]), FR_L2)
    return {
        "kind": "logistic", "features": list(fr.FEATURES), "vector": "all-minilm-l6-v2-int8",
        "mean": _round(mean), "scale": _round(scale), "w": _round(w), "b": float(f"{b:.6g}"),
        "threshold": cut, "lexicon": d["lexicon"], "word_scores": d["word_scores"],
        "meta": {
            "trained_on": f"BABE SG2 training split ({len(d['y'])} sentences; seed {BABE_SEED}, "
                          f"{int(BABE_TEST_SHARE * 100)} % of distinct texts held out)",
            "l2": FR_L2, "threshold_rule": "max out-of-fold macro-F1 on the training split",
            "threshold_cv_macro_f1": f1, "lexicon_entries": len(d["lexicon"]),
            "word_scores": len(d["word_scores"]), "word_l2": WORD_L2,
            "script": "bench/train_classifiers.py",
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embed-only", action="store_true", help="only fill the vector cache")
    ap.add_argument("--cv", action="store_true", help="print the cross-validation grids (training data only)")
    ap.add_argument("--check", action="store_true", help="fail if retraining changes the shipped files")
    args = ap.parse_args(argv)
    if args.embed_only:
        for texts in ([r["text"] for r in load_babe()], [r["text"] for r in load_claimbuster("train")],
                      [r["text"] for r in load_ct19("Training")]):
            embed_cached(texts)
        return 0
    if args.cv:
        cv_checkworthy(checkworthy_training_data(),
                       [(l2, s) for l2 in (3e-3, 1e-2, 3e-2) for s in (0.0, 0.3, 0.6)])
        cv_framing(framing_training_data(), [3e-2, 1e-1, 3e-1, 1.0])
        return 0
    status = 0
    for name, build in (("checkworthy.json", train_checkworthy), ("framing.json", train_framing)):
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
