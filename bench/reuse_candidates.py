"""Near-duplicate candidate stage: ours (storyline.reuse.candidates) vs datasketch, same run, same texts.

Corpus (derived, not published as is): real article texts from ../shared/datasets/polnear
(data/train/text/*.txt) and BASIL (articles/*/*.json, body-paragraphs) are split into sentences;
each sentence gets 4 variants with ~25% of words replaced by other corpus words. Background articles
are 12-40 sentence variants drawn at random (so unrelated articles have Jaccard ~0 but share some
5-grams, as real news does). Then planted near-duplicates: ~10% of articles are derived copies of an
earlier one (and the real articles themselves are included with derived copies): trimmed, padded
with boilerplate lines, a few words changed, paragraphs reordered, or a prefix reused (partial).

Both sides run end to end from text to candidate pairs (tokenising and shingling included):
  datasketch: regex \\w+ on lower-cased text, word 5-gram strings, MinHash.bulk(num_perm=128),
              MinHashLSH(num_perm=128, params=(32, 4)) insert + query of every article.
  ours:       CandidateIndex(bands=32, rows=4).add(ids, texts) with a spawn ProcessPool(2).

    .venv/bin/python bench/reuse_candidates.py [--n 100000] [--skip-datasketch] [--workers 2]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import resource
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "datasets")
if not os.path.isdir(DATA):
    DATA = "/work/shared/datasets"

from storyline.reuse import candidates as C  # noqa: E402

_SENT = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")
BOILER = [
    "Subscribe to our newsletter for the latest updates.",
    "Copyright 2024 Associated Press. All rights reserved. This material may not be published.",
    "Click here to read more stories like this one.",
    "Follow us on Twitter and Facebook for breaking news.",
    "This article originally appeared on our partner site.",
]


def real_texts() -> list[str]:
    out = []
    for p in sorted(glob.glob(os.path.join(DATA, "polnear/data/train/text/*.txt"))):
        with open(p, encoding="utf-8", errors="replace") as f:
            out.append(f.read())
    for p in sorted(glob.glob(os.path.join(DATA, "basil/articles/*/*.json"))):
        with open(p, encoding="utf-8") as f:
            j = json.load(f)
        paras = j.get("body-paragraphs") or []
        out.append("\n\n".join(" ".join(s) for s in paras))
    return [t for t in out if len(t) > 200]


def perturb(rng: random.Random, text: str, vocab: list[str]) -> str:
    paras = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    kind = rng.choice(["trim", "pad", "words", "reorder", "prefix", "mix"])
    if kind in ("trim", "mix") and len(paras) > 3:
        a = rng.randint(0, max(0, len(paras) // 8))
        b = len(paras) - rng.randint(0, max(0, len(paras) // 8))
        paras = paras[a:b]
    if kind in ("pad", "mix"):
        paras = rng.sample(BOILER, 2) + paras + rng.sample(BOILER, 2)
    if kind in ("words", "mix"):
        ws = " ".join(paras).split(" ")
        for _ in range(max(1, len(ws) // 60)):
            ws[rng.randrange(len(ws))] = rng.choice(vocab)
        return " ".join(ws)
    if kind == "reorder" and len(paras) > 2:
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
    if kind == "prefix":
        paras = paras[: max(1, len(paras) * 2 // 3)] + [rng.choice(BOILER)]
    return "\n\n".join(paras)


def build_corpus(n: int, seed: int = 7) -> tuple[list[str], list[tuple[int, int]]]:
    rng = random.Random(seed)
    base = real_texts()
    sents = [s for t in base for s in _SENT.split(t.replace("\n", " ")) if len(s) > 20]
    vocab = sorted({w for s in sents[:5000] for w in s.split()})
    variants = []
    for s in sents:
        ws = s.split(" ")
        for _ in range(4):
            v = list(ws)
            for i in range(len(v)):
                if rng.random() < 0.25:
                    v[i] = rng.choice(vocab)
            variants.append(" ".join(v))
    texts: list[str] = []
    planted: list[tuple[int, int]] = []
    for t in base:  # real articles and derived copies of them
        if len(texts) >= n:
            break
        texts.append(t)
    nv = len(variants)
    while len(texts) < n:
        i = len(texts)
        if i > 100 and rng.random() < 0.10:
            src = rng.randrange(i)
            texts.append(perturb(rng, texts[src], vocab))
            planted.append((src, i))
        else:
            k = rng.randint(12, 40)
            idx = [rng.randrange(nv) for _ in range(k)]
            paras, cur = [], []
            for j in idx:
                cur.append(variants[j])
                if rng.random() < 0.3:
                    paras.append(" ".join(cur))
                    cur = []
            paras.append(" ".join(cur))
            texts.append("\n\n".join(p for p in paras if p))
    return texts, planted


def rss_now_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def maxrss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def reset_peak() -> bool:
    """Reset this process's VmHWM (Linux clear_refs 5) so the peak of one stage can be read."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def hwm_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return maxrss_mb()


def worker_hwm_mb(pool) -> float:
    """Peak RSS (VmHWM) of the pool's worker processes. RUSAGE_CHILDREN is no use here: a spawned
    child is forked from this process first, so its ru_maxrss counts the parent's pages."""
    peak = 0.0
    for p in list(getattr(pool, "_processes", {}).values()):
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return peak


def run_ours(texts: list[str], workers: int, bands: int, rows: int):
    t0 = time.perf_counter()
    pool = C.make_pool(workers) if workers > 1 else None
    hwm = 0.0
    try:
        idx = C.CandidateIndex(bands=bands, rows=rows, executor=pool)
        pairs = idx.add(list(range(len(texts))), texts)
        dt = time.perf_counter() - t0
        if pool is not None:
            hwm = worker_hwm_mb(pool)
    finally:
        if pool is not None:
            pool.shutdown()
    return dt, pairs, idx, hwm


def ds_shingles(text: str) -> list[bytes]:
    w = _WORD.findall(text.lower())
    if len(w) < 5:
        return [" ".join(w).encode()] if w else []
    return [" ".join(w[i : i + 5]).encode() for i in range(len(w) - 4)]


def run_datasketch(texts: list[str], bands: int, rows: int):
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    sh = [ds_shingles(t) for t in texts]
    mhs = MinHash.bulk(sh, num_perm=128)
    lsh = MinHashLSH(num_perm=128, params=(bands, rows))
    keep = [i for i, s in enumerate(sh) if s]
    del sh
    with lsh.insertion_session() as sess:
        for i in keep:
            sess.insert(i, mhs[i], check_duplication=False)
    pairs = set()
    for i in keep:
        for j in lsh.query(mhs[i]):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return time.perf_counter() - t0, pairs, mhs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--bands", type=int, default=32)
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--skip-datasketch", action="store_true")
    ap.add_argument("--json", help="write results here")
    a = ap.parse_args()

    t0 = time.perf_counter()
    texts, planted = build_corpus(a.n)
    mb = sum(len(t) for t in texts) / 1e6
    print(f"corpus: {len(texts)} articles, {mb:.0f} MB chars, {len(planted)} planted pairs "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    rss0 = rss_now_mb()
    if not reset_peak():
        print("(cannot reset VmHWM: the main-process peak below includes building the corpus)")

    t_ours, pairs, idx, peak_child = run_ours(texts, a.workers, a.bands, a.rows)
    peak_self = hwm_mb()
    ours = {(x, y) for x, y, _ in pairs}
    res = {"n": len(texts), "mb": mb, "ours_s": t_ours, "ours_docs_s": len(texts) / t_ours,
           "ours_pairs": len(ours), "rss_before_mb": rss0, "peak_rss_self_mb": peak_self,
           "peak_rss_worker_mb": peak_child, "workers": a.workers}
    print(f"ours: {t_ours:.2f} s, {len(texts) / t_ours:,.0f} articles/s, {len(ours)} candidate pairs; "
          f"RSS before {rss0:.0f} MB (corpus), peak main {peak_self:.0f} MB "
          f"(+{peak_self - rss0:.0f} MB), peak per worker {peak_child:.0f} MB")
    pl = {(min(x, y), max(x, y)) for x, y in planted}
    rec = len(pl & ours) / max(1, len(pl))
    res["ours_planted_recall"] = rec
    print(f"ours: planted-pair recall {rec:.4f} ({len(pl & ours)}/{len(pl)})")

    # Jaccard estimate error on planted pairs vs exact Jaccard (our shingles, and regex-string shingles)
    rng = random.Random(1)
    sample = rng.sample(sorted(pl), min(1000, len(pl)))
    est = C.estimated_jaccard(idx.sig, np.array(sample, dtype=np.int64))
    ex_ours, ex_str = [], []
    for x, y in sample:
        ex_ours.append(C.containment(C.shingle_set(texts[x]), C.shingle_set(texts[y]))[0])
        sa, sb = set(ds_shingles(texts[x])), set(ds_shingles(texts[y]))
        ex_str.append(len(sa & sb) / max(1, len(sa | sb)))
    ex_ours, ex_str = np.array(ex_ours), np.array(ex_str)
    res["jaccard_mae_vs_exact"] = float(np.abs(est - ex_ours).mean())
    res["jaccard_bias_vs_exact"] = float((est - ex_ours).mean())
    res["shingling_def_mae"] = float(np.abs(ex_ours - ex_str).mean())
    print(f"est. Jaccard vs exact (1000 planted pairs): MAE {res['jaccard_mae_vs_exact']:.4f}, "
          f"bias {res['jaccard_bias_vs_exact']:+.4f}; our shingling vs regex-string shingling exact "
          f"Jaccard MAE {res['shingling_def_mae']:.4f}")

    if not a.skip_datasketch:
        gc_rss = rss_now_mb()
        reset_peak()
        t_ds, dpairs, _ = run_datasketch(texts, a.bands, a.rows)
        res["datasketch_peak_rss_mb"] = hwm_mb()
        res.update({"datasketch_s": t_ds, "datasketch_docs_s": len(texts) / t_ds,
                    "datasketch_pairs": len(dpairs), "ratio": t_ds / t_ours})
        inter = len(ours & dpairs)
        res["overlap_jaccard"] = inter / max(1, len(ours | dpairs))
        res["ours_in_ds"] = inter / max(1, len(ours))
        res["ds_in_ours"] = inter / max(1, len(dpairs))
        res["ds_planted_recall"] = len(pl & dpairs) / max(1, len(pl))
        print(f"datasketch: {t_ds:.2f} s, {len(texts) / t_ds:,.0f} articles/s, {len(dpairs)} pairs, "
              f"planted recall {res['ds_planted_recall']:.4f}; peak RSS {res['datasketch_peak_rss_mb']:.0f} MB "
              f"(+{res['datasketch_peak_rss_mb'] - gc_rss:.0f} MB over the corpus)")
        print(f"speed ratio ours/datasketch: {t_ds / t_ours:.1f}x")
        print(f"candidate overlap: |A∩B|/|A∪B| = {res['overlap_jaccard']:.3f}; share of ours also in "
              f"datasketch {res['ours_in_ds']:.3f}; share of datasketch's in ours {res['ds_in_ours']:.3f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
