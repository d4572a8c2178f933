"""Ingest throughput, end to end into the store, printed per stage.

Text: real, distinct news articles: PolNeAR's 924 train+dev texts, BASIL's 210 articles (title +
paragraphs), the five seeds and the demo corpus's text files; beyond ~1,150 they are reused with a
distinct last line so every file is a new article (derived data only in that marker line).
HTML: the real pages of ../shared/datasets/scrapinghub-aeb (181 news pages), copied to reach N.

    python bench/ingest.py [--text 2000] [--html 400] [--json out.json]

Targets on 2 cores (issue 3): ≥ 200 text articles/s and ≥ 50 HTML pages/s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.pipeline import Pipeline  # noqa: E402
from storyline.store import Store  # noqa: E402

SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))


def text_sources() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]
    polnear = SHARED / "datasets" / "polnear" / "data"
    for split in ("train", "dev"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((polnear / split / "text").glob("*.txt"))]
    for p in sorted((SHARED / "datasets" / "basil" / "articles").rglob("*.json")):
        d = json.loads(p.read_text(encoding="utf-8"))
        paras = [" ".join(par) if isinstance(par, list) else str(par) for par in d.get("body-paragraphs", [])]
        texts.append(f"{d.get('title', '')}\n\n" + "\n\n".join(paras))
    demo = ROOT / "src" / "storyline" / "demo" / "corpus"
    texts += [p.read_text(encoding="utf-8") for p in sorted(demo.rglob("*.txt"))]
    return texts


def html_sources(which: str = "aeb") -> list[bytes]:
    """Real pages: scrapinghub-aeb's 181 news pages (170 KB on average, heavy with scripts and menus),
    or the demo corpus's pages (11 KB, typical of a plain news article page)."""
    if which == "demo":
        demo = ROOT / "src" / "storyline" / "demo"
        return [p.read_bytes() for p in sorted(demo.rglob("*.html"))]
    pages = sorted((SHARED / "datasets" / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    return [gzip.decompress(p.read_bytes()) for p in pages]


def make_text_corpus(folder: Path, n: int) -> None:
    base = text_sources()
    for i in range(n):
        t = base[i % len(base)]
        marker = f"\n\nBench copy {i // len(base)}.\n" if i >= len(base) else "\n"
        (folder / f"{i:06d}.txt").write_text(t.rstrip() + marker, encoding="utf-8")


def make_html_corpus(folder: Path, n: int, which: str = "aeb") -> None:
    base = html_sources(which)
    for i in range(n):
        page = base[i % len(base)]
        # a sentence inside the article body, so every copy is a distinct article (same canonical URL)
        marker = f"</p><p>This is copy number {i} of the page in the benchmark corpus.</p>".encode()
        (folder / f"{i:06d}.html").write_bytes(page.replace(b"</p>", marker, 1) if i >= len(base) else page)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished reader processes (user + system)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run(kind: str, folder: Path, db: Path, workers: int | None = None) -> dict[str, object]:
    with Store(db) as store:
        pipe = Pipeline(store, workers=workers)
        c0 = _cpu_seconds()
        t0 = time.perf_counter()
        report = pipe.add([str(folder)])
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds() - c0
    n = report.read
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return {
        "kind": kind,
        "articles": n,
        "inserted": report.inserted,
        "dropped": len(report.dropped),
        "wall_s": round(wall, 3),
        "articles_per_s": round(n / wall, 1),
        # what the cores would give if the work had them to itself: the rate on a shared machine
        # (other processes' load slows the wall clock, not the CPU seconds the work needs)
        "cpu_s": round(cpu, 3),
        "articles_per_s_cpu": round(n * cores / cpu, 1) if cpu > 0 else None,
        "stage_s": {k: round(v, 3) for k, v in sorted(report.stage_seconds.items())},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text", type=int, default=2000, help="number of text articles")
    ap.add_argument("--html", type=int, default=400, help="number of HTML pages")
    ap.add_argument("--html-pages", choices=["aeb", "demo"], default="aeb",
                    help="which real pages to multiply: scrapinghub-aeb (heavy) or the demo corpus (typical)")
    ap.add_argument("--workers", type=int, default=None, help="reader processes (default: one per core)")
    ap.add_argument("--json", type=Path, default=None, help="also write results here")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        if args.text:
            (tmpd / "text").mkdir()
            make_text_corpus(tmpd / "text", args.text)
            results.append(run("text", tmpd / "text", tmpd / "text.db", args.workers))
        if args.html:
            (tmpd / "html").mkdir()
            make_html_corpus(tmpd / "html", args.html, args.html_pages)
            results.append(run(f"html:{args.html_pages}", tmpd / "html", tmpd / "html.db", args.workers))
    print(f"{'kind':<10} {'articles':>8} {'wall s':>8} {'art/s':>8}  per stage (s; read includes waiting on workers)")
    for r in results:
        stages = ", ".join(f"{k} {v}" for k, v in r["stage_s"].items())  # type: ignore[union-attr]
        print(f"{r['kind']:<10} {r['articles']:>8} {r['wall_s']:>8} {r['articles_per_s']:>8}  {stages}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
