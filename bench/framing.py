"""Framing benchmark: BABE macro-F1 on the held-out split, and BASIL lexical-bias span recall.

    python bench/framing.py [--limit-babe N] [--limit-basil N] [--json out.json]

* BABE (../shared/datasets/babe/data/final_labels_SG2.csv): the 20 % of distinct texts held out by
  ``train_classifiers.babe_split`` (seeded, grouped by normalised text; never used in training).
  Macro-F1 of :class:`storyline.nlp.framing.Framing`'s biased / not decision. Published: 0.804.
* BASIL (../shared/datasets/basil, 2010-2016 annotations): each lexical-bias span (``bias: lex``) is
  *recalled* when a loaded term :meth:`Framing.terms` lists in its sentence overlaps it; also the share
  of those sentences the sentence decision flags, the same for sentences with no bias span at all
  (the false-alarm rate), and how many terms are listed per 100 sentences. Spans inside quotations are
  counted separately (the outlet quotes them rather than chooses them).
* Scorer speed: :meth:`Framing.score` on the held-out BABE sentences with their vectors given, first
  with this process's word cache cold (words outside the shipped table are embedded once), then warm.

``--limit-*`` keep the first N held-out BABE rows / BASIL sentences (the tests use them).
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

from storyline.nlp.framing import Framing  # noqa: E402


def run(limit_babe: int | None = None, limit_basil: int | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    fr = Framing()
    rows = T.load_babe()
    _train, test = T.babe_split(rows)
    test = test[: limit_babe or None]
    texts = [rows[i]["text"] for i in test]
    labels = np.array([rows[i]["label"] for i in test])
    vecs = T.embed_cached(texts)
    t1 = time.perf_counter()
    scores = fr.score(texts, vecs)  # cold: words outside the shipped table are embedded once
    cold = time.perf_counter() - t1
    t1 = time.perf_counter()
    fr.score(texts, vecs)  # warm: every word already scored
    warm = time.perf_counter() - t1
    pred = scores >= fr.threshold
    p, r, f1 = T.prf(pred, labels)

    basil = T.load_basil()[: limit_basil or None]
    b_texts = [s["text"] for s in basil]
    b_flag = fr.score(b_texts, T.embed_cached(b_texts)) >= fr.threshold
    n_spans = {"all": 0, "not_quoted": 0}
    hit = {"all": 0, "not_quoted": 0}
    by_kind: dict[str, int] = {}
    sent_lex = sent_lex_flagged = sent_none = sent_none_flagged = n_terms = 0
    for s, flagged in zip(basil, b_flag):
        terms = fr.terms(s["text"])
        n_terms += len(terms)
        if s["lex"]:
            sent_lex += 1
            sent_lex_flagged += int(flagged)
        elif not s["inf"]:
            sent_none += 1
            sent_none_flagged += int(flagged)
        for start, end, quoted in s["lex"]:
            over = [t for t in terms if t.start < end and start < t.end]
            for key in ("all",) if quoted else ("all", "not_quoted"):
                n_spans[key] += 1
                hit[key] += int(bool(over))
            if over:
                by_kind[over[0].kind] = by_kind.get(over[0].kind, 0) + 1
    return {
        "babe_test": {"macro_f1": round(T.macro_f1(pred, labels), 4), "biased_f1": round(f1, 4),
                      "precision": round(p, 4), "recall": round(r, 4), "sentences": len(test),
                      "threshold": fr.threshold, "published_macro_f1": 0.804},
        "basil_lex": {
            "span_recall": round(hit["all"] / max(1, n_spans["all"]), 4), "spans": n_spans["all"],
            "span_recall_not_quoted": round(hit["not_quoted"] / max(1, n_spans["not_quoted"]), 4),
            "spans_not_quoted": n_spans["not_quoted"], "recalled_by_kind": dict(sorted(by_kind.items())),
            "sentence_flag_rate_with_lex_span": round(sent_lex_flagged / max(1, sent_lex), 4),
            "sentence_flag_rate_without_spans": round(sent_none_flagged / max(1, sent_none), 4),
            "terms_per_100_sentences": round(100 * n_terms / max(1, len(basil)), 1),
            "sentences": len(basil),
        },
        "scorer_sentences_per_s": {"cold_words": round(len(texts) / max(cold, 1e-9)),
                                   "warm": round(len(texts) / max(warm, 1e-9))},
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit-babe", type=int, default=None, help="first N held-out BABE rows only")
    ap.add_argument("--limit-basil", type=int, default=None, help="first N BASIL sentences only")
    ap.add_argument("--json", type=Path, default=None, help="write the results here too")
    args = ap.parse_args(argv)
    res = run(args.limit_babe, args.limit_basil)
    b, s = res["babe_test"], res["basil_lex"]
    print(f"BABE held-out: macro-F1 {b['macro_f1']:.4f} (biased P {b['precision']:.4f} R {b['recall']:.4f} "
          f"F1 {b['biased_f1']:.4f}; {b['sentences']} sentences; published 0.804)")
    print(f"BASIL lexical spans: recall {s['span_recall']:.4f} of {s['spans']} "
          f"({s['span_recall_not_quoted']:.4f} of {s['spans_not_quoted']} outside quotes; by kind "
          f"{s['recalled_by_kind']}); sentence flagged: {s['sentence_flag_rate_with_lex_span']:.4f} with a "
          f"lexical span vs {s['sentence_flag_rate_without_spans']:.4f} with no span; "
          f"{s['terms_per_100_sentences']} terms per 100 sentences ({s['sentences']} sentences)")
    sp = res["scorer_sentences_per_s"]
    print(f"scorer (sentence vectors given): {sp['cold_words']} sentences/s with a cold word cache, "
          f"{sp['warm']} warm; {res['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
