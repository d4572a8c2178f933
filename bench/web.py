"""Server time of the web UI's story page for a story of 200 articles (target: <= 300 ms on 2 cores).

The story is derived from the demo corpus: its text files' sentences are the pool; each of the 200
articles takes a run of them (with some words changed, some sentences of its own and boilerplate lines
that the page shows as removed), from one of 25 outlets over three days. Reuse links with aligned
passages join each article to up to 6 earlier ones (duplicates, near-duplicates, partial reuse and
rewrites, directed when dated), about 1,000 links in all, and one story holds all 200. Rows are written
straight into a fresh store (no encoder runs), then the WSGI app is called in-process: the time is what
the server spends on a request (opening the database read-only, checking the comparison cache's key,
queries, rendering), without the network.

The story's comparison (what each version adds and omits, its loaded terms) is written into the
store's cache the same way, synthetic but of the real shape and size (every paragraph an addition or
shared, a dozen omissions and a few loaded terms per version), under the key the app checks, so the
page reads it as it would after its first view: the figure is the cached page, which is what every
view but the first costs. ``--compute`` instead runs the real comparison once (encoder and framing
model; minutes on 2 cores) and reports its time too.

    python bench/web.py [--articles 200] [--runs 25] [--compute] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.model import Article, Removal  # noqa: E402
from storyline.store import Store  # noqa: E402
from storyline.text import split_sentences  # noqa: E402
from storyline.web.app import StorylineApp  # noqa: E402

CORPUS = ROOT / "src" / "storyline" / "demo" / "corpus" / "text"
BOILERPLATE = [("Share this article", "social_prompt"), ("Sign up for our newsletter", "newsletter_prompt"),
               ("Read more:", "related_links"), ("Advertisement", "advertisement")]
KINDS = ["duplicate", "near_duplicate", "partial_reuse", "rewrite", "rewrite", "rewrite"]


class _Link:
    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


def sentence_pool() -> list[str]:
    pool: list[str] = []
    for p in sorted(CORPUS.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        pool += [text[s:e] for s, e in split_sentences(text) if len(text[s:e].split()) >= 6]
    return pool


def build(db: Path, n: int, seed: int = 7) -> str:
    rnd = random.Random(seed)
    pool = sentence_pool()
    t0 = datetime(2024, 5, 6, 6, 0, tzinfo=timezone.utc)
    arts: list[Article] = []
    sents_of: list[list[str]] = []
    for i in range(n):
        start = rnd.randrange(0, max(1, len(pool) - 30))
        picked = pool[start:start + rnd.randint(12, 24)]
        picked = [s.replace(" the ", " a ", 1) if rnd.random() < 0.15 else s for s in picked]
        picked += rnd.sample(pool, 2)  # its own sentences
        paras = ["\n".join(picked[j:j + 3]).replace("\n", " ") for j in range(0, len(picked), 3)]
        text = "\n\n".join(paras)
        head, tail = BOILERPLATE[i % 2], BOILERPLATE[2 + i % 2]
        raw = f"{head[0]}\n\n{text}\n\n{tail[0]}\n"
        removed = [Removal(start=0, end=len(head[0]), text=head[0], reason=head[1]),
                   Removal(start=len(raw) - len(tail[0]) - 1, end=len(raw) - 1, text=tail[0], reason=tail[1])]
        outlet = f"Outlet {i % 25:02d}"
        arts.append(Article(
            id=f"{i:016x}", input_kind="text", path=f"bench-{i:03d}.txt", source=outlet,
            source_key=outlet.lower().replace(" ", "-"), title=picked[0][:90],
            published_at=t0 + timedelta(minutes=21 * i) if i % 10 else None,
            raw_text=raw, text=text, removed=removed, sentences=split_sentences(text), language="en"))
        sents_of.append(picked)
    links = []
    for i in range(1, n):
        for j in sorted(rnd.sample(range(i), min(i, rnd.randint(3, 6)))):
            a, b = arts[j], arts[i]  # ids sort like their index: a < b
            passages = []
            for k, ((s1, e1), (s2, e2)) in enumerate(zip(a.sentences, b.sentences)):
                if k % 3 == 0:
                    passages.append({"a_start": s1, "a_end": e1, "b_start": s2, "b_end": e2, "similarity": 0.9,
                                     "match": ("exact", "paraphrase", "changed")[(k // 3) % 3]})
            share = len(passages) / max(1, len(a.sentences))
            links.append(_Link(a=a.id, b=b.id, kind=rnd.choice(KINDS),
                               direction="a->b" if a.published_at and b.published_at else None,
                               scores={"aligned_share": round(share, 3), "containment_a": round(share, 3),
                                       "containment_b": round(share * 0.8, 3)},
                               passages=passages, evidence={}))
    dated = [a.published_at for a in arts if a.published_at]
    story = {"id": "S000001", "seq": 1, "title": arts[0].title, "first_seen": min(dated).isoformat(),
             "last_seen": max(dated).isoformat(), "representative_id": arts[0].id,
             "entities": {"harborview": 40, "benzene": 30}, "centroid": None, "vsum_norm": 0.0,
             "storyline_id": None, "article_ids": [a.id for a in arts]}
    with Store(db) as s:
        s.add_articles(arts)
        s.put_reuse_links(links)
        s.save_stories([story])
    return arts[0].id


def cache_comparisons(db: Path, seed: int = 11) -> int:
    """Synthetic comparison records of the real shape for every version, stored under the live key."""
    from storyline.compare import comparison_key, paragraphs

    rnd = random.Random(seed)
    kinds = ["shared", "shared", "new_fact", "commentary", "off_topic"]
    terms = ["regime", "radical activists", "alleged", "slammed", "the communist government", "crisis"]
    with Store(db) as s:
        sid, key = comparison_key(s, "S000001")
        ids = next(r["article_ids"] for r in s.stories() if r["id"] == sid)
        recs = []
        for aid in ids:
            a = s.get_article(aid)
            adds, shared = [], []
            for ps, pe in paragraphs(a.text):
                k = rnd.choice(kinds)
                ev = {"coverage": round(rnd.random(), 3), "centroid_cosine": round(rnd.random(), 3),
                      "key_entities": ["harborview"], "key_share": 0.5, "evaluative": 1, "second_person": 0,
                      "biased_sentences": 0, "specifics": 3, "sentences": 3}
                row = {"start": ps, "end": pe, "text": a.text[ps:pe], "kind": k, "evidence": ev}
                (shared if k == "shared" else adds).append(row)
            oms = []
            for _ in range(12):
                other = rnd.choice(ids)
                oms.append({"kind": rnd.choice(["passage", "quote", "claim"]), "text": rnd.choice(a.text.split("\n\n")),
                            "ref": {"article_id": other, "start": 0, "end": 40,
                                    "carried_by": sorted(rnd.sample(ids, 5))}})
            loaded = []
            for t in rnd.sample(terms, 3):
                loaded.append({"start": 0, "end": 5, "text": t, "kind": "actor_label" if " " in t else "lexicon",
                               "weight": 0.5})
            counts = {"shared": len(shared), "additions": {}, "omissions": {}}
            for x in adds:
                counts["additions"][x["kind"]] = counts["additions"].get(x["kind"], 0) + 1
            for o in oms:
                counts["omissions"][o["kind"]] = counts["omissions"].get(o["kind"], 0) + 1
            recs.append({"article_id": aid, "additions": adds, "omissions": oms, "loaded_terms": loaded,
                         "shared": shared, "extra": {"headline_terms": [], "counts": counts}})
        s.put_comparisons(sid, key, recs)
    return len(recs)


def compute_comparisons(db: Path) -> float:
    """The real comparison of the story, once (encoder + framing model), cached; its seconds."""
    from storyline.compare import compare_story

    t = time.perf_counter()
    with Store(db) as s:
        compare_story(s, "S000001")
    return time.perf_counter() - t


def timed(app: StorylineApp, path: str, query: str, runs: int) -> dict[str, float]:
    def call() -> float:
        t = time.perf_counter()
        status: list[str] = []
        body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query},
                            lambda s, h: status.append(s)))
        ms = (time.perf_counter() - t) * 1000
        assert status[0].startswith("200"), (path, status, body[-300:])
        return ms

    call()  # warm: imports, template compilation
    xs = sorted(call() for _ in range(runs))
    return {"median_ms": round(statistics.median(xs), 1), "p90_ms": round(xs[int(0.9 * (len(xs) - 1))], 1),
            "min_ms": round(xs[0], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--json", default=None, help="Write the figures here too.")
    ap.add_argument("--compute", action="store_true",
                    help="Run the real comparison once (encoder and framing model) instead of caching synthetic records.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench-web.db"
        t = time.perf_counter()
        first = build(db, args.articles)
        with Store(db, readonly=True) as s:
            n_links = len(s.reuse_links())
        print(f"built a story of {args.articles} articles, {n_links} reuse links in {time.perf_counter() - t:.1f}s")
        out: dict[str, Any] = {"articles": args.articles, "links": n_links, "runs": args.runs, "pages": {}}
        if args.compute:
            out["compare_seconds"] = round(compute_comparisons(db), 1)
            print(f"compared the story's {args.articles} versions in {out['compare_seconds']:.1f}s (cached)")
        else:
            print(f"cached synthetic comparisons of {cache_comparisons(db)} versions")
        app = StorylineApp(db)  # as served: each page checks the cache key first (fresh here, so nothing recomputes)
        from storyline.compare import is_fresh

        with Store(db, readonly=True) as s:
            assert is_fresh(s, "S000001"), "the comparison cache is stale"
        for name, path, query in [("story", "/story/S000001", ""), ("story list", "/", ""),
                                  ("article", f"/article/{first}", ""),
                                  ("compare", "/compare", f"a={first}&b={first[:-1]}1")]:
            r = timed(app, path, query, args.runs)
            out["pages"][name] = r
            print(f"{name:>11}: median {r['median_ms']:7.1f} ms  p90 {r['p90_ms']:7.1f} ms  min {r['min_ms']:7.1f} ms")
        story = out["pages"]["story"]["median_ms"]
        print(f"story page of {args.articles} articles: {story:.1f} ms median (target <= 300 ms): "
              f"{'ok' if story <= 300 else 'OVER TARGET'}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
