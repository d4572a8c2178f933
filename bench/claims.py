"""Check-worthiness benchmark: CheckThat! 2019 task 1 test MAP and ClaimBuster two-class test F1.

    python bench/claims.py [--limit-files N] [--limit-cb N] [--json out.json]

* CT19 task 1 test (../shared/datasets/checkthat-claimbuster/data/clef19/CT19-T1-Test.csv, 7 debates
  and speeches, 7,080 sentences, 136 check-worthy): sentences of each file ranked by
  :class:`storyline.nlp.checkworthy.CheckWorthiness` score (each file scored as one text in line
  order, so the context features see the neighbouring sentences; speaker names are not used); AP per file, averaged (MAP), as the task
  did. Best published primary run: 0.166. ``--limit-files N`` scores the N smallest files only.
* ClaimBuster two_class/test.json (702 sentences, balanced): precision, recall and F1 of the
  check-worthy class at the model's cut for sentences scored alone (``threshold_alone``; the claims
  stage's cut for sentences in context is ``threshold``), and the MAP-free ranking AP over the set.
  Each sentence is scored alone (no context). 78 of these sentences also occur in the CT19 training
  debates (which the lexical model and the claim memory have seen); the same figures without them
  are printed too.
  ``--limit-cb N`` keeps N evenly spaced sentences (the file is sorted by label).

The model never saw either file (bench/train_classifiers.py trains on the training files only).
Sentence vectors are cached in ~/.cache/storyline-bench/.
"""

from __future__ import annotations

import _env  # noqa: F401  (first: BLAS threads, sys.path)

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402


import train_classifiers as T  # noqa: E402

from storyline.nlp.checkworthy import CheckWorthiness  # noqa: E402


def run(limit_files: int | None = None, limit_cb: int | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    model = CheckWorthiness()
    ct = T.load_ct19("Test")
    if limit_files:
        sizes: dict[str, int] = {}
        for r in ct:
            sizes[r["file"]] = sizes.get(r["file"], 0) + 1
        keep = set(sorted(sizes, key=lambda f: (sizes[f], f))[:limit_files])
        ct = [r for r in ct if r["file"] in keep]
    texts = [r["text"] for r in ct]
    vecs = T.embed_cached(texts)
    # Each debate is scored as one text, in line order (its sentences are each other's context).
    scores = np.zeros(len(ct))
    for ix in T.ct19_documents(ct):
        scores[ix] = model.score([texts[i] for i in ix], vecs[ix])
    labels = np.array([r["label"] for r in ct])
    files = [r["file"] for r in ct]
    per_file = {f: round(T.average_precision(scores[np.array(files) == f], labels[np.array(files) == f]), 4)
                for f in sorted(set(files))}
    cb = T.load_claimbuster("test")
    if limit_cb:  # evenly spaced: the file is sorted by label
        cb = cb[:: max(1, len(cb) // limit_cb)][:limit_cb]
    cb_texts = [r["text"] for r in cb]
    cb_vecs = T.embed_cached(cb_texts)
    # ClaimBuster sentences are unrelated (and the file is sorted by label): one call each, no context.
    cb_scores = np.array([model.score([t], cb_vecs[i : i + 1])[0] for i, t in enumerate(cb_texts)])
    cb_labels = np.array([r["label"] for r in cb])
    p, r, f1 = T.prf(cb_scores >= model.threshold_alone, cb_labels)  # scored alone: the cut for that
    # ClaimBuster's test file shares sentences with the CT19 training debates, which the lexical model
    # and the claim memory have seen: the same figures without them.
    seen = {T._norm(r["text"]) for r in T.load_ct19("Training")}
    unseen = np.array([T._norm(t) not in seen for t in cb_texts])
    pu, ru, f1u = T.prf(cb_scores[unseen] >= model.threshold_alone, cb_labels[unseen])
    return {
        "ct19_test": {"map": round(float(np.mean(list(per_file.values()))), 4), "files": len(per_file),
                      "sentences": len(ct), "per_file_ap": per_file, "best_published_primary": 0.166},
        "claimbuster_test": {"f1": round(f1, 4), "precision": round(p, 4), "recall": round(r, 4),
                             "ap": round(T.average_precision(cb_scores, cb_labels), 4),
                             "threshold": model.threshold_alone, "threshold_in_context": model.threshold,
                             "sentences": len(cb),
                             "unseen": {"sentences": int(unseen.sum()), "f1": round(f1u, 4),
                                        "precision": round(pu, 4), "recall": round(ru, 4),
                                        "ap": round(T.average_precision(cb_scores[unseen], cb_labels[unseen]), 4)}},
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit-files", type=int, default=None, help="score only the N smallest CT19 test files")
    ap.add_argument("--limit-cb", type=int, default=None, help="score only N evenly spaced ClaimBuster test sentences")
    ap.add_argument("--json", type=Path, default=None, help="write the results here too")
    args = ap.parse_args(argv)
    res = run(args.limit_files, args.limit_cb)
    ct, cb = res["ct19_test"], res["claimbuster_test"]
    print(f"CT19 task 1 test: MAP {ct['map']:.4f} over {ct['files']} files ({ct['sentences']} sentences; "
          f"best published primary run 0.166)")
    for f, v in ct["per_file_ap"].items():
        print(f"  {f}: AP {v:.4f}")
    print(f"ClaimBuster two_class test: F1 {cb['f1']:.4f} (P {cb['precision']:.4f}, R {cb['recall']:.4f}, "
          f"threshold {cb['threshold']}), AP {cb['ap']:.4f}, {cb['sentences']} sentences")
    u = cb["unseen"]
    print(f"  without the {cb['sentences'] - u['sentences']} sentences also in CT19 training: F1 {u['f1']:.4f} "
          f"(P {u['precision']:.4f}, R {u['recall']:.4f}), AP {u['ap']:.4f}, {u['sentences']} sentences")
    print(f"{res['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
