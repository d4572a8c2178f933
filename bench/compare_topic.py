"""Compare: how many of a real report's own paragraphs the compare stage calls ``off_topic``.

BASIL (../shared/datasets/basil) holds triplets of reports of one event by three outlets (Fox News,
HuffPost, The New York Times). None of them is padded with other subjects, so every own paragraph
called ``off_topic`` there is a false positive: the figure is that share (lower is better). Seed 003's
padding stays caught by tests/test_compare.py.

Every ``--step``-th triplet from ``--first`` is written to a JSONL file and added with the real
pipeline (cleaning, stories, quotes and claims) into a fresh store; each story of two or more
versions is then compared (``storyline.compare.compare_story``) and its additions counted by kind.

    python bench/compare_topic.py [--first 0] [--step 10] [--events 7] [--show] [--json out.json]

The compare-6 signals were chosen on ``--first 0`` and checked on ``--first 5``; compare-7's
words in common with the article's own lead were chosen on a hand-written story (none of BASIL).
"""

from __future__ import annotations

import _env  # noqa: F401  (BLAS threads, sys.path)

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SHARED = Path(os.environ.get("STORYLINE_SHARED", _env.ROOT.parent / "shared"))
BASIL = SHARED / "datasets" / "basil" / "articles"


def triplets(first: int, step: int, events: int) -> list[list[dict[str, Any]]]:
    by: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for f in sorted(BASIL.glob("*/*.json")):
        a = json.loads(f.read_text(encoding="utf-8"))
        by[a.get("triplet-uuid") or f.stem.rsplit("_", 1)[0]].append(a)
    return [by[k] for k in sorted(by)[first::step][:events]]


def run(first: int, step: int, events: int, show: bool = False) -> dict[str, Any]:
    from storyline import Pipeline, Store
    from storyline.compare import compare_story

    groups = triplets(first, step, events)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "basil.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for g in groups:
                for a in g:
                    paras = [" ".join(p) if isinstance(p, list) else str(p) for p in a["body-paragraphs"]]
                    fh.write(json.dumps({"title": a["title"], "text": "\n\n".join(paras),
                                         "url": a.get("url") or f"https://{a['source']}.example/{a['uuid']}",
                                         "published": a.get("date"), "source": a["source"]}) + "\n")
        t0 = time.perf_counter()
        with Store(str(Path(tmp) / "b.db")) as store:
            Pipeline(store, reuse=True, stories=True, quotes=True).add([str(src)])
            added = time.perf_counter() - t0
            kinds: collections.Counter[str] = collections.Counter()
            compared = 0
            for story in store.stories():
                comps = compare_story(store, story["id"])
                if len(comps) < 2:
                    continue
                compared += 1
                for c in comps:
                    kinds["shared"] += len(c.shared)
                    for r in c.additions:
                        kinds[r["kind"]] += 1
                        if show and r["kind"] == "off_topic":
                            ev = r["evidence"]
                            print(f"{story['id']} cos {ev['centroid_cosine']:.2f} near {ev['nearest_other']:.2f} "
                                  f"{ev['key_entities'][:3]} | {r['text'][:100]}", file=sys.stderr)
    own = kinds["new_fact"] + kinds["commentary"] + kinds["off_topic"]
    return {"triplets": len(groups), "stories_compared": compared, "own_paragraphs": own,
            "kinds": dict(sorted(kinds.items())), "off_topic_share": round(kinds["off_topic"] / max(1, own), 4),
            "add_seconds": round(added, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--step", type=int, default=10)
    ap.add_argument("--events", type=int, default=7)
    ap.add_argument("--show", action="store_true", help="print each off_topic paragraph")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not BASIL.is_dir():
        print(f"BASIL not found at {BASIL}", file=sys.stderr)
        return 2
    res = run(args.first, args.step, args.events, args.show)
    print(f"BASIL triplets {res['triplets']} ({res['stories_compared']} stories compared): "
          f"{res['kinds'].get('off_topic', 0)} of {res['own_paragraphs']} own paragraphs off_topic "
          f"({res['off_topic_share']:.1%}); kinds {res['kinds']}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
