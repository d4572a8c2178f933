"""Main-text extraction: trafilatura alone against trafilatura followed by Storyline's cleaner.

Two public datasets from ../shared/datasets (override the folder with STORYLINE_DATASETS):

* scrapinghub-aeb: 181 news pages with the gold article body. Metric as in the benchmark's own
  evaluate.py: per page, word 4-gram shingles (``\\w+`` tokens, counted as a multiset) give TP/FP/FN,
  normalised per page; precision and recall are averaged over pages, F1 is taken from the averages.
  Published: trafilatura 2.0.0 F1 0.958 (best 0.970).
* trafilatura-eval: 990 pages with snippets that must ("with") and must not ("without") appear.
  Metric as in trafilatura's own evaluation: a "with" snippet found in the output (whitespace
  normalised) is a TP, else an FN; a "without" snippet found is an FP, else a TN; precision, recall
  and F are computed from the totals. Published: trafilatura 2.2.0 F 0.924.

For every page, in the same process: (a) ``trafilatura.extract(html, include_comments=False,
with_metadata=False)``, default settings; (b) the same output, then
``Cleaner().clean(text, title=<trafilatura metadata title>)``. Nothing is derived: both systems
see the real pages, and the scores use the datasets' own gold data.

    python bench/extraction.py [--limit N] [--json out.json] [--workers 2]

``--limit N`` takes the first N pages of each dataset (AEB ids sorted; trafilatura-eval in file
order), which is the subset tests/test_bench_floors.py runs. The trafilatura-eval archive is
unpacked once into ~/.cache/storyline-bench (or $STORYLINE_BENCH_CACHE), never into the project.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import statistics
import sys
import tarfile
import tempfile
import time
from collections import Counter
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

AEB = "scrapinghub-aeb"
TEV = "trafilatura-eval"
PUBLISHED = {
    AEB: {"f1": 0.958, "system": "trafilatura 2.0.0", "best": 0.970},
    TEV: {"f1": 0.924, "system": "trafilatura 2.2.0", "best": 0.924},
}


def datasets_dir() -> Path:
    """The shared datasets folder: $STORYLINE_DATASETS, else ../shared/datasets next to the project."""
    env = os.environ.get("STORYLINE_DATASETS")
    return Path(env) if env else ROOT.parent / "shared" / "datasets"


def available(base: Path | None = None) -> bool:
    """True when both datasets are present."""
    base = base or datasets_dir()
    return (base / AEB / "ground-truth.json").is_file() and (base / TEV / "evaldata.json").is_file()


# --- scoring ---------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = _TOKEN_RE.findall(text or "")
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def aeb_page(true: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page, as the benchmark's evaluate.py computes them."""
    a, b = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for k in a.keys() | b.keys():
        t, p = a.get(k, 0), b.get(k, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def aeb_scores(pages: list[tuple[float, float, float]]) -> dict[str, float]:
    def prec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def rec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [prec(*x) for x in pages if x[0] + x[1] > 0]
    rs = [rec(*x) for x in pages if x[0] + x[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def snippet_counts(item: dict[str, Any], result: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as trafilatura's evaluation counts them."""
    if isinstance(result, str):
        res = _ws(result)
        tp = sum(1 for w in item["with"] if _ws(w) in res)
        fp = sum(1 for w in item["without"] if _ws(w) in res)
    else:
        tp = fp = 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def snippet_scores(counts: list[tuple[int, int, int, int]]) -> dict[str, float]:
    tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


# --- data --------------------------------------------------------------------------------------------


def _cache_root() -> Path:
    env = os.environ.get("STORYLINE_BENCH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "storyline-bench"


def tev_pages_dir(base: Path) -> Path:
    """The unpacked trafilatura-eval pages (tests/eval, tests/cache), unpacked once per archive."""
    tar = base / TEV / "trafilatura-eval-tests.tar.xz"
    st = tar.stat()
    tag = hashlib.sha1(f"{tar.resolve()}:{st.st_size}:{int(st.st_mtime)}".encode()).hexdigest()[:12]
    for root in (_cache_root(), Path(tempfile.gettempdir()) / "storyline-bench"):
        dest = root / f"trafilatura-eval-{tag}"
        if (dest / ".complete").is_file():
            return dest
        try:
            dest.mkdir(parents=True, exist_ok=True)
            with tarfile.open(tar, "r:xz") as tf:
                members = [m for m in tf.getmembers() if m.isfile() and m.name.startswith(("tests/eval/", "tests/cache/"))]
                tf.extractall(dest, members=members, filter="data")
            (dest / ".complete").write_text("ok\n")
            return dest
        except OSError:
            continue
    raise RuntimeError(f"cannot unpack {tar} into a cache folder; set STORYLINE_BENCH_CACHE")


def aeb_jobs(base: Path, limit: int | None) -> Iterator[tuple[str, str, str]]:
    gt = json.loads((base / AEB / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(gt)[:limit]:
        yield AEB, key, str(base / AEB / "html" / f"{key}.html.gz")


def tev_jobs(base: Path, limit: int | None) -> Iterator[tuple[str, str, str]]:
    ev = json.loads((base / TEV / "evaldata.json").read_text(encoding="utf-8"))
    pages = tev_pages_dir(base)
    for url, item in list(ev.items())[:limit]:
        for sub in ("cache", "eval"):
            p = pages / "tests" / sub / item["file"]
            if p.is_file():
                yield TEV, url, str(p)
                break
        else:
            yield TEV, url, ""  # missing page: counts as an empty result for both systems


# --- one page ----------------------------------------------------------------------------------------

_CLEANER = None


def run_page(job: tuple[str, str, str]) -> dict[str, Any]:
    """Extract one page with trafilatura, then clean that output; returns both texts and timings."""
    global _CLEANER
    import trafilatura

    from storyline.clean import Cleaner
    from storyline.ingest import read_html

    if _CLEANER is None:
        _CLEANER = Cleaner()
    dataset, key, path = job
    out: dict[str, Any] = {"dataset": dataset, "key": key, "baseline": None, "storyline": None,
                           "t_extract": 0.0, "t_meta": 0.0, "t_clean": 0.0, "title": None}
    if not path:
        return out
    if dataset == AEB:
        # the benchmark hands extractors the decoded page
        data: str | bytes = gzip.decompress(Path(path).read_bytes()).decode("utf-8", errors="replace")
    else:
        data = Path(path).read_bytes()
    t0 = time.perf_counter()
    text = trafilatura.extract(data, include_comments=False, with_metadata=False)
    t1 = time.perf_counter()
    # Storyline's own path, as `storyline add page.html` runs it: the HTML reader (trafilatura with
    # metadata, paragraphs kept), then the cleaner.
    art = read_html(data, fast=os.environ.get("STORYLINE_HTML_FAST") == "1")
    t2 = time.perf_counter()
    clean = None
    if art.status == "ok":
        _CLEANER.process([art])
        clean = art.text
    t3 = time.perf_counter()
    out.update(baseline=text, storyline=clean, title=art.title, t_extract=t1 - t0, t_meta=t2 - t1,
               t_clean=t3 - t2)
    return out


# --- the run -----------------------------------------------------------------------------------------


def run_benchmark(limit: int | None = None, workers: int = 2, base: Path | None = None,
                  keep_pages: bool = False) -> dict[str, Any]:
    """Run both systems on both datasets; returns scores per dataset and system (and pages if asked)."""
    base = base or datasets_dir()
    jobs = list(aeb_jobs(base, limit)) + list(tev_jobs(base, limit))
    t0 = time.perf_counter()
    if workers > 1:
        # spawned workers import the page function by module name, so use this file as the
        # importable module "extraction" whatever name it was loaded under (script, test loader)
        bench_dir = str(Path(__file__).resolve().parent)
        if bench_dir not in sys.path:
            sys.path.insert(0, bench_dir)
        import importlib

        page_fn = importlib.import_module("extraction").run_page
        with get_context("spawn").Pool(workers) as pool:
            results = list(pool.imap(page_fn, jobs, chunksize=4))
    else:
        results = [run_page(j) for j in jobs]
    wall = time.perf_counter() - t0
    gt = json.loads((base / AEB / "ground-truth.json").read_text(encoding="utf-8"))
    ev = json.loads((base / TEV / "evaldata.json").read_text(encoding="utf-8"))
    report: dict[str, Any] = {"limit": limit, "workers": workers, "wall_seconds": round(wall, 2), "datasets": {}}
    for ds in (AEB, TEV):
        rows = [r for r in results if r["dataset"] == ds]
        systems: dict[str, Any] = {}
        for system in ("trafilatura", "storyline"):
            field = "baseline" if system == "trafilatura" else "storyline"
            if ds == AEB:
                scores = aeb_scores([aeb_page(gt[r["key"]]["articleBody"], r[field] or "") for r in rows])
            else:
                scores = snippet_scores([snippet_counts(ev[r["key"]], r[field]) for r in rows])
            secs = sum(r["t_extract"] for r in rows)
            if system == "storyline":
                secs += sum(r["t_meta"] + r["t_clean"] for r in rows)
            scores["seconds"] = round(secs, 2)
            scores["pages"] = len(rows)
            systems[system] = scores
        systems["storyline"]["clean_seconds"] = round(sum(r["t_clean"] for r in rows), 3)
        report["datasets"][ds] = {"systems": systems, "published": PUBLISHED[ds]}
    if keep_pages:
        report["pages"] = results
    return report


def format_table(report: dict[str, Any]) -> str:
    head = f"{'dataset':<18} {'system':<12} {'P':>6} {'R':>6} {'F1':>6} {'pages':>6} {'seconds':>8}  published"
    lines = [head, "-" * len(head)]
    for ds, d in report["datasets"].items():
        pub = d["published"]
        for system, s in d["systems"].items():
            lines.append(
                f"{ds:<18} {system:<12} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
                f"{s['pages']:6d} {s['seconds']:8.1f}  F1 {pub['f1']:.3f} ({pub['system']})"
            )
    clean = sum(d["systems"]["storyline"]["clean_seconds"] for d in report["datasets"].values())
    lines.append("storyline seconds = trafilatura extraction + metadata (for the title) + cleaning; "
                 f"cleaning alone {clean:.1f} s")
    lines.append(f"wall {report['wall_seconds']:.1f} s on {report['workers']} worker(s)"
                 + (f", first {report['limit']} pages of each dataset" if report["limit"] else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="first N pages of each dataset")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (spawn); 1 runs in-process")
    args = ap.parse_args(argv)
    if not available():
        print(f"datasets not found under {datasets_dir()} (set STORYLINE_DATASETS)", file=sys.stderr)
        return 2
    report = run_benchmark(limit=args.limit, workers=args.workers)
    print(format_table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
