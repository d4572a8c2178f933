"""Encoder throughput on CPU: sentences/s and articles/s (title + lead + body chunks), peak RSS.

Texts: the demo corpus (src/storyline/demo/corpus: text, HTML, feed, JSONL, WARC) and the five seeds
(../shared/seeds), read through storyline.ingest; sentences from storyline.text.split_sentences. The
set is small, so it is run ``--repeat`` times (each pass encodes everything again; nothing is cached).

    python bench/encoder.py [--threads N] [--batch-size 32] [--repeat 3] [--json out.json]

The "unsorted" line runs the same sentences in input order, to show what length-sorting saves.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from storyline import embed  # noqa: E402
from storyline.ingest import read_inputs  # noqa: E402
from storyline.text import split_sentences  # noqa: E402

SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))


def load_articles() -> list:
    inputs = [str(ROOT / "src" / "storyline" / "demo" / "corpus"), str(SHARED / "seeds")]
    arts = [a for a in read_inputs([p for p in inputs if Path(p).exists()]) if a.status == "ok"]
    for a in arts:
        if not a.sentences:
            a.sentences = split_sentences(a.text)
    return arts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


class Unsorted:
    """The same encoder, fed in input order one batch at a time (no length sorting across batches)."""

    def __init__(self, inner: embed.OnnxMiniLM) -> None:
        self.inner = inner

    def encode(self, texts, *, batch_size=32):
        parts = [
            self.inner.encode(texts[i : i + batch_size], batch_size=batch_size)
            for i in range(0, len(texts), batch_size)
        ]
        return np.vstack(parts)


def timed(fn, repeat: int) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - t0) / repeat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads (default: cores)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="write the numbers here")
    args = ap.parse_args()

    arts = load_articles()
    sentences = [t for a in arts for t in embed.sentence_texts(a)]
    t0 = time.perf_counter()
    enc = embed.OnnxMiniLM(threads=args.threads)
    load_s = time.perf_counter() - t0
    enc.encode(sentences[:8])  # warm-up
    plans = [embed._plan(a) for a in arts]
    n_texts = sum(len(p) for p in plans)
    words = sum(len(a.text.split()) for a in arts)

    sent_s = timed(lambda: enc.encode(sentences, batch_size=args.batch_size), args.repeat)
    uns_s = timed(lambda: Unsorted(enc).encode(sentences, batch_size=args.batch_size), args.repeat)
    art_s = timed(lambda: embed.embed_articles(enc, arts, batch_size=args.batch_size), args.repeat)

    res = {
        "threads": enc.threads,
        "cpu_cores": embed.default_threads(),
        "batch_size": args.batch_size,
        "articles": len(arts),
        "article_words": words,
        "article_texts_encoded": n_texts,
        "sentences": len(sentences),
        "model_load_s": round(load_s, 3),
        "sentences_per_s": round(len(sentences) / sent_s, 1),
        "sentences_per_s_unsorted": round(len(sentences) / uns_s, 1),
        "articles_per_s": round(len(arts) / art_s, 2),
        "article_texts_per_s": round(n_texts / art_s, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(f"encoder: {enc.name}, {enc.threads} threads on {res['cpu_cores']} cores, batch {args.batch_size}")
    print(f"corpus: {len(arts)} articles ({words} words), {len(sentences)} sentences; load {load_s:.2f} s")
    print(f"sentences/s:            {res['sentences_per_s']:>8}  (unsorted: {res['sentences_per_s_unsorted']})")
    print(
        f"articles/s:             {res['articles_per_s']:>8}  "
        f"(title+lead+chunks: {n_texts} texts, {res['article_texts_per_s']} texts/s)"
    )
    print(f"peak RSS:               {res['peak_rss_mb']:>8} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
