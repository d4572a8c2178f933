"""Copies, rewrites and provenance: the whole reuse stage measured on real and derived articles.

    .venv/bin/python bench/reuse.py [--families 60] [--quick] [--skip-polnear] [--skip-candidates]
                                    [--skip-msrp] [--json out.json]

No public gold set of whole-article news copies is available offline, so the link benchmark is built
here from real articles by documented transformations (every score below says which parts are
derived). Everything runs through the product's own path: articles are written to a JSONL file,
read by :class:`storyline.pipeline.Pipeline` (reader, cleaner, store) and linked by
:class:`storyline.reuse.stage.ReuseStage` (MinHash/LSH + embedding neighbours, alignment, link kinds,
direction), exactly as ``storyline add`` does.

1. **Derived families** (sources: real BASIL and PolNeAR train articles, seeded random choice).
   For each source article ``S`` one derived version of one kind, in rotation:

   * ``duplicate``: S verbatim under another title and outlet, padded with share/newsletter/copyright
     lines and "Read more: <another headline>", typographic quotes and dashes swapped.
   * ``near_duplicate``: S with its last paragraph dropped (if that is <= 12 % of it), two middle
     paragraphs swapped, an intensifier inserted before two words in one sentence of three
     paragraphs, an update line added, padded as above.
   * ``partial_reuse`` (trimmed): the first half of S's paragraphs, nothing else.
   * ``partial_reuse`` (embedded wire): 40 % of S's paragraphs (consecutive, at least 3) inserted
     in the middle of the first half of a real, unrelated host article H (a PolNeAR article); the
     whole of H is in the corpus too, so S-V and H-V are both gold ``partial_reuse``.
   * ``rewrite``: MSRP **test** paraphrase pairs (the paraphrase model is fit on MSRP train): the
     original is 12 first sentences of pairs, the rewrite the 12 second sentences, in a slightly
     different order, plus the original's two opening sentences from S kept verbatim. Only pairs
     whose character 3-gram Jaccard is below the aligner's near-exact level are used (a reworded
     sentence, not a copy).
   * ``rewrite_negative`` (hard negative, gold: no link): the same construction from MSRP test pairs
     labelled *not* paraphrases (same topic, different content).

   Half of the families are dated (the derived version one day after its source: direction gold
   ``source -> derived``), half undated (direction scored only where containment tells it: trimmed
   and embedded versions contain less / more of the other).
2. **BASIL hard negatives** (real): every BASIL article (2010-2016) is in the same corpus; the three
   articles of an event report the same event independently (Fox, NYT, HuffPost), so any copy /
   partial / rewrite link between them is a false positive. FP rate = linked same-event pairs / all.
3. **Scoring**: gold pairs (1) and negative pairs (BASIL same-event, rewrite negatives, and every
   other pair the system links across families) are scored; links between two derived versions of
   the same source are not scored (they do share text; their kind is not defined by a transformation).
   Precision, recall and F1 per kind, macro-F1 over the four kinds; direction accuracy. The
   ``rewrite_negative`` documents are reported on their own line (how often two documents made of
   same-topic, non-paraphrase sentence pairs get linked: the sentence paraphrase model's precision
   at document level) and are not counted in the per-kind scores.
4. **PolNeAR wire-credited** (real, listed for inspection): PolNeAR train+dev articles (lexical
   candidates only), with the links found among them and the wire service their metadata credits.
5. **MSRP** (real): bench/msrp.py's table (sentence paraphrase decision, calibrated on train).
6. **Candidates speed** (derived corpus of 100k): bench/reuse_candidates.py against datasketch, both
   with the banding the product uses (``storyline.reuse.stage.BANDS`` x ``ROWS``).
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATASETS = Path(os.environ.get("STORYLINE_DATASETS", ROOT.parent / "shared" / "datasets"))
if not DATASETS.is_dir():
    DATASETS = Path("/work/shared/datasets")

KINDS = ("duplicate", "near_duplicate", "partial_reuse", "rewrite")
ROTATION = ("duplicate", "near_duplicate", "trimmed", "embedded", "rewrite", "rewrite_negative")
PADDING_TOP = ["Share this article", "Share on Facebook Share on Twitter Email"]
PADDING_BOTTOM = [
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Copyright {year} {outlet}. All rights reserved.",
    "Read more: {headline}",
]

# --------------------------------------------------------------------------- real sources


def basil_articles() -> list[dict]:
    out = []
    for p in sorted(glob.glob(str(DATASETS / "basil/articles/*/*.json"))):
        j = json.loads(Path(p).read_text(encoding="utf-8"))
        paras = [" ".join(s.strip() for s in para if s.strip()) for para in (j.get("body-paragraphs") or [])]
        paras = [x for x in paras if x]
        name = Path(p).stem  # <triplet>_<n>
        if not paras:
            continue
        out.append({"key": f"basil/{name}", "event": name.rsplit("_", 1)[0], "title": j.get("title") or "",
                    "paras": paras, "date": (j.get("date") or "")[:10] or None,
                    "source": str(j.get("source") or "").lower()})
    return out


def polnear_articles(splits: tuple[str, ...] = ("train",)) -> list[dict]:
    meta = {}
    with open(DATASETS / "polnear/data/metadata.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    out = []
    for split in splits:
        for p in sorted(glob.glob(str(DATASETS / f"polnear/data/{split}/text/*.txt"))):
            name = Path(p).stem
            m = meta.get(name, {})
            raw = Path(p).read_text(encoding="utf-8", errors="replace")
            paras = [re.sub(r"\s+", " ", x).strip() for x in re.split(r"\n\s*\n|\n", raw)]
            paras = [x for x in paras if len(x) > 1]
            if len(paras) < 2:
                continue
            out.append({"key": f"polnear/{split}/{name}", "title": m.get("title") or paras[0][:80],
                        "paras": paras, "date": m.get("publication_date") or None,
                        "source": m.get("publisher") or None, "wire": (m.get("wire") or "").strip(),
                        "credit": (m.get("credit") or "").strip()})
    return out


def msrp_pairs(label: int) -> list[tuple[str, str]]:
    from storyline.reuse.align import NEAR_EXACT_JACCARD, char_ngrams, norm_key

    out = []
    with open(DATASETS / "msrp/MSRP_Corpus/msr_paraphrase_test.txt", encoding="utf-8-sig") as fh:
        next(fh)
        for line in fh:
            q, _i1, _i2, s1, s2 = line.rstrip("\n").split("\t")
            if int(q) != label:
                continue
            g1, g2 = char_ngrams(norm_key(s1)), char_ngrams(norm_key(s2))
            if len(g1 & g2) / max(1, len(g1 | g2)) < NEAR_EXACT_JACCARD:
                out.append((s1.strip(), s2.strip()))
    return out


# --------------------------------------------------------------------------- derived corpus


def _sentences(para: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", para) if s]


def _typographic(text: str) -> str:
    text = re.sub(r'"(\w)', "“\\1", text)
    text = text.replace('"', "”")
    return text.replace(" - ", " – ").replace("'", "’")


def _padding(rng: random.Random, headline: str, outlet: str, year: int) -> tuple[list[str], list[str]]:
    top = [rng.choice(PADDING_TOP)]
    bottom = [x.format(year=year, outlet=outlet, headline=headline) for x in PADDING_BOTTOM]
    return top, bottom


def _edit_words(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    idx = [i for i, w in enumerate(words) if w.isalpha() and w.islower() and len(w) > 3]
    for i in rng.sample(idx, min(2, len(idx))):  # an inserted intensifier: a small, meaning-keeping edit
        words[i] = "really " + words[i]
    return " ".join(words)


def _next_day(d: str | None) -> str | None:
    if not d:
        return None
    return (date.fromisoformat(d[:10]) + timedelta(days=1)).isoformat()


def build_corpus(n_families: int, seed: int = 7, basil_events: int | None = None) -> tuple[list[dict], dict]:
    """Records for the JSONL file and the gold: {"pairs": {(url_a, url_b): kind}, "direction":
    {(url_a, url_b): url_from}, "negatives": set of pairs, "family_of": {url: family number}}."""
    rng = random.Random(seed)
    basil = basil_articles()
    events = sorted({a["event"] for a in basil})
    if basil_events is not None:
        keep = set(rng.sample(events, min(basil_events, len(events))))
        basil = [a for a in basil if a["event"] in keep]
    polnear = polnear_articles()
    rng.shuffle(polnear)
    para_ok = lambda a: 6 <= len(a["paras"]) <= 40 and sum(map(len, a["paras"])) > 1500  # noqa: E731
    basil_sources = [a for a in basil if para_ok(a)]
    rng.shuffle(basil_sources)
    pol_sources = [a for a in polnear if para_ok(a)]
    hosts = [a for a in polnear if 8 <= len(a["paras"]) <= 40 and a not in pol_sources[: n_families]]
    para_pos, para_neg = msrp_pairs(1), msrp_pairs(0)
    rng.shuffle(para_pos)
    rng.shuffle(para_neg)

    records: list[dict] = []
    url = lambda key: f"https://bench.invalid/{key}"  # noqa: E731

    def add(key: str, title: str, paras: list[str], d: str | None, source: str | None) -> str:
        u = url(key)
        rec = {"url": u, "title": title, "text": "\n\n".join(paras), "source": source or "unknown"}
        if d:
            rec["date"] = d
        records.append(rec)
        return u

    for a in basil:  # every BASIL article: the hard negatives, and sources for half the families
        add(a["key"], a["title"], a["paras"], a["date"], a["source"])
    gold: dict = {"pairs": {}, "direction": {}, "negatives": set(), "family_of": {}}
    by_event = defaultdict(list)
    for a in basil:
        by_event[a["event"]].append(url(a["key"]))
    for us in by_event.values():
        for i in range(len(us)):
            for j in range(i + 1, len(us)):
                gold["negatives"].add(tuple(sorted((us[i], us[j]))))

    used_hosts = 0
    src_iter = iter([x for pair in zip(basil_sources, pol_sources) for x in pair])
    for f in range(n_families):
        kind = ROTATION[f % len(ROTATION)]
        dated = (f // len(ROTATION)) % 2 == 0
        S = next(src_iter)
        s_url = url(S["key"])
        if not S["key"].startswith("basil/"):
            add(S["key"], S["title"], S["paras"], S["date"] if dated else None, S["source"])
        s_date = S["date"] if dated else None
        v_key = f"derived/{f:03d}-{kind}"
        outlet = f"Derived Outlet {f % 7}"
        year = int((S["date"] or "2016")[:4])
        other_headline = basil[(f * 37) % len(basil)]["title"]
        paras = list(S["paras"])
        d_v = _next_day(s_date) if dated else None
        expect = kind
        direction_from = s_url if dated else None
        pair_urls = [(s_url, None)]
        if kind == "duplicate":
            top, bottom = _padding(rng, other_headline, outlet, year)
            body = [_typographic(p) for p in paras]
            v = add(v_key, "Copy: " + S["title"], top + body + bottom, d_v, outlet)
        elif kind == "near_duplicate":
            total = sum(map(len, paras))
            if len(paras[-1]) <= 0.12 * total:
                paras = paras[:-1]
            m = len(paras) // 2
            paras[m], paras[m - 1] = paras[m - 1], paras[m]
            for j in rng.sample(range(len(paras)), min(3, len(paras))):  # small edits in 3 paragraphs
                sents = _sentences(paras[j])
                if sents:
                    sents[0] = _edit_words(sents[0], rng)
                    paras[j] = " ".join(sents)
            paras.insert(1, f"This story was updated by {outlet} with additional reporting.")
            top, bottom = _padding(rng, other_headline, outlet, year)
            v = add(v_key, S["title"], top + paras + bottom, d_v, outlet)
        elif kind == "trimmed":
            expect = "partial_reuse"
            v = add(v_key, S["title"], paras[: max(3, len(paras) // 2)], d_v, outlet)
            if not dated:
                direction_from = s_url  # the trimmed version is contained in its source
        elif kind == "embedded":
            expect = "partial_reuse"
            H = hosts[used_hosts % len(hosts)]
            used_hosts += 1
            h_url = add(H["key"] + f"#host{f}", H["title"], H["paras"], H["date"] if dated else None, H["source"])
            n_wire = max(3, (len(paras) * 2) // 5)  # 40 % of the source's paragraphs, consecutive
            k = rng.randint(0, max(0, len(paras) - n_wire))
            wire = paras[k : k + n_wire]
            hp = list(H["paras"])[: max(4, len(H["paras"]) // 2)]  # the host's own first half
            mid = len(hp) // 2
            d_v = _next_day(max(filter(None, [s_date, H["date"] if dated else None]), default=None)) if dated else None
            v = add(v_key, H["title"], hp[:mid] + wire + hp[mid:], d_v, outlet)
            pair_urls.append((h_url, "partial_reuse"))
            if dated:
                gold["direction"][tuple(sorted((h_url, v)))] = h_url
            if not dated:
                direction_from = None
        else:  # rewrite / rewrite_negative, from MSRP test pairs
            pool = para_pos if kind == "rewrite" else para_neg
            take = [pool.pop() for _ in range(12)]
            lead = _sentences(paras[0])[:2]
            first = lead + [x for x, _ in take]
            second = [y for _, y in take]
            for i in range(0, len(second) - 1, 4):  # a slightly different order
                second[i], second[i + 1] = second[i + 1], second[i]
            second = lead + second
            o_key = f"derived/{f:03d}-{kind}-original"
            s_url = add(o_key, S["title"], [" ".join(first[i : i + 3]) for i in range(0, len(first), 3)],
                        S["date"] if dated else None, S["source"])
            v = add(v_key, "Rewritten: " + S["title"],
                    [" ".join(second[i : i + 3]) for i in range(0, len(second), 3)], d_v, outlet)
            pair_urls = [(s_url, None)]
            direction_from = s_url if dated else None
            if kind == "rewrite_negative":
                gold["negatives"].add(tuple(sorted((s_url, v))))
                continue
            expect = "rewrite"
        for other, k_override in pair_urls:
            key = tuple(sorted((other, v)))
            gold["pairs"][key] = k_override or expect
            if other == s_url and direction_from:
                gold["direction"][key] = direction_from
        gold["family_of"][v] = f
        gold["family_of"][s_url] = f
    return records, gold


# --------------------------------------------------------------------------- run and score


def run_store(records: list[dict], workdir: Path, *, embed_neighbours: bool = True) -> dict:
    from storyline.pipeline import Pipeline
    from storyline.reuse.stage import ReuseStage
    from storyline.store import Store

    path = workdir / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    store = Store(str(workdir / "bench.db"))
    t = time.perf_counter()
    Pipeline(store, detect_language=False, workers=1).add([str(path)])
    t_ingest = time.perf_counter() - t
    t = time.perf_counter()
    rep = ReuseStage(embed_neighbours=embed_neighbours).run(store)
    t_reuse = time.perf_counter() - t
    url_of = {}
    for a in store.iter_articles():
        url_of[a.id] = a.url
    links = store.reuse_links()
    store.close()
    return {"links": links, "url_of": url_of, "report": rep, "ingest_s": t_ingest, "reuse_s": t_reuse,
            "articles": len(url_of)}


def score(run: dict, gold: dict) -> dict:
    url_of = run["url_of"]
    pred: dict[tuple[str, str], dict] = {}
    for ln in run["links"]:
        ua, ub = url_of[ln["a"]], url_of[ln["b"]]
        pred[tuple(sorted((ua, ub)))] = {**ln, "ua": ua, "ub": ub}
    fam = gold["family_of"]
    per = {k: Counter() for k in KINDS}
    confusion: Counter = Counter()
    cross_fp = []
    for key, g in gold["pairs"].items():
        p = pred.get(key)
        confusion[(g, p["kind"] if p else "none")] += 1
        if p and p["kind"] == g:
            per[g]["tp"] += 1
        else:
            per[g]["fn"] += 1
            if p:
                per[p["kind"]]["fp"] += 1
    neg_linked = []
    basil_neg = {k for k in gold["negatives"] if k[0].startswith("https://bench.invalid/basil/")}
    rw_neg = gold["negatives"] - basil_neg
    for key, p in pred.items():
        if key in gold["pairs"]:
            continue
        fa, fb = fam.get(key[0]), fam.get(key[1])
        if fa is not None and fa == fb:
            continue  # two derived versions of one source: not scored
        if key in gold["negatives"]:
            neg_linked.append(key)
            if key in rw_neg:  # reported on their own line, outside the per-kind scores
                continue
        else:
            cross_fp.append(key)
        per[p["kind"]]["fp"] += 1
        confusion[("none", p["kind"])] += 1
    for key in basil_neg:
        if key not in pred:
            confusion[("none", "none")] += 1
    rows = {}
    for k in KINDS:
        tp, fp, fn = per[k]["tp"], per[k]["fp"], per[k]["fn"]
        P = tp / (tp + fp) if tp + fp else 0.0
        R = tp / (tp + fn) if tp + fn else 0.0
        rows[k] = {"precision": round(P, 4), "recall": round(R, 4),
                   "f1": round(2 * P * R / (P + R), 4) if P + R else 0.0, "gold": tp + fn}
    macro = sum(r["f1"] for r in rows.values()) / len(rows)
    # any link (whatever its kind) between gold pairs: detection recall
    detected = sum(1 for k in gold["pairs"] if k in pred)
    basil_fp = [k for k in neg_linked if k in basil_neg]
    rw_fp = [k for k in neg_linked if k in rw_neg]
    dir_ok = dir_n = 0
    dir_none = 0
    for key, src in gold["direction"].items():
        p = pred.get(key)
        if not p:
            continue
        dir_n += 1
        d = p.get("direction")
        if d is None:
            dir_none += 1
            continue
        frm = p["ua"] if d == "a->b" else p["ub"]
        dir_ok += frm == src
    return {
        "per_kind": rows, "macro_f1": round(macro, 4),
        "detection_recall": round(detected / max(1, len(gold["pairs"])), 4),
        "basil_pairs": len(basil_neg), "basil_fp": len(basil_fp),
        "basil_fp_rate": round(len(basil_fp) / max(1, len(basil_neg)), 4),
        "basil_fp_examples": [list(k) for k in basil_fp[:10]],
        "rewrite_negative_pairs": len(rw_neg), "rewrite_negative_fp": len(rw_fp),
        "cross_family_fp": len(cross_fp), "cross_family_examples": [list(k) for k in cross_fp[:10]],
        "direction_accuracy": round(dir_ok / max(1, dir_n - dir_none), 4) if dir_n > dir_none else None,
        "direction_decided": round((dir_n - dir_none) / max(1, dir_n), 4) if dir_n else None,
        "direction_pairs": dir_n,
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
    }


def polnear_wire(workdir: Path) -> dict:
    arts = polnear_articles(("train", "dev"))
    records = []
    wire_of = {}
    for a in arts:
        u = f"https://bench.invalid/{a['key']}"
        wire_of[u] = a["wire"] if a["wire"] not in ("", "None", "NA") else None
        rec = {"url": u, "title": a["title"], "text": "\n\n".join(a["paras"]), "source": a["source"] or "unknown"}
        if a["date"]:
            rec["date"] = a["date"]
        records.append(rec)
    run = run_store(records, workdir, embed_neighbours=False)
    listed = []
    for ln in run["links"]:
        ua, ub = run["url_of"][ln["a"]], run["url_of"][ln["b"]]
        listed.append({"a": ua.rsplit("/", 1)[-1], "a_wire": wire_of.get(ua), "b": ub.rsplit("/", 1)[-1],
                       "b_wire": wire_of.get(ub), "kind": ln["kind"], "direction": ln["direction"],
                       "containment": [ln["scores"].get("containment_a"), ln["scores"].get("containment_b")]})
    n_wire = sum(1 for w in wire_of.values() if w)
    return {"articles": len(records), "wire_credited": n_wire,
            "wire_credited_linked": len({x["a"] for x in listed if x["a_wire"]} | {x["b"] for x in listed if x["b_wire"]}),
            "links": listed, "seconds": round(run["ingest_s"] + run["reuse_s"], 1)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--families", type=int, default=60, help="derived families (rotating over 6 kinds)")
    ap.add_argument("--basil-events", type=int, default=None, help="BASIL events in the corpus (default all)")
    ap.add_argument("--quick", action="store_true", help="12 families, 12 BASIL events, no PolNeAR/MSRP/candidates")
    ap.add_argument("--skip-polnear", action="store_true")
    ap.add_argument("--skip-msrp", action="store_true")
    ap.add_argument("--skip-candidates", action="store_true")
    ap.add_argument("--candidates-n", type=int, default=100000)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    if args.quick:
        args.families, args.basil_events = 12, 12
        args.skip_polnear = args.skip_msrp = args.skip_candidates = True
    out: dict = {"families": args.families}
    with tempfile.TemporaryDirectory(prefix="storyline-bench-reuse-") as tmp:
        records, gold = build_corpus(args.families, basil_events=args.basil_events)
        run = run_store(records, Path(tmp))
        rep = run["report"]
        res = score(run, gold)
        res.update({"articles": run["articles"], "gold_pairs": len(gold["pairs"]),
                    "candidates": rep.candidates, "links": rep.links,
                    "stage_seconds": {k: round(v, 2) for k, v in rep.seconds.items()},
                    "align_ms_per_pair": round(1000 * rep.seconds.get("align", 0.0) / max(1, rep.candidates), 2),
                    "ingest_seconds": round(run["ingest_s"], 1), "reuse_seconds": round(run["reuse_s"], 1),
                    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})
        out["derived"] = res
        print(f"Derived families: {args.families} over {run['articles']} articles "
              f"({len(gold['pairs'])} gold pairs, {len(gold['negatives'])} negative pairs); "
              f"reuse stage {run['reuse_s']:.1f} s, {rep.candidates} candidate pairs, "
              f"alignment {res['align_ms_per_pair']} ms/pair")
        print(f"{'kind':16s} {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>5s}   (derived data)")
        for k, r in res["per_kind"].items():
            print(f"{k:16s} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['gold']:5d}")
        print(f"macro-F1 {res['macro_f1']:.3f}; any link on gold pairs {res['detection_recall']:.3f}; "
              f"direction accuracy {res['direction_accuracy']} (decided on {res['direction_decided']} "
              f"of {res['direction_pairs']} linked pairs with a gold direction)")
        print(f"BASIL same-event pairs (real, independent reports): {res['basil_fp']} linked of "
              f"{res['basil_pairs']} = FP rate {res['basil_fp_rate']:.4f}")
        print(f"MSRP non-paraphrase documents (derived hard negatives): {res['rewrite_negative_fp']} linked "
              f"of {res['rewrite_negative_pairs']}; other cross-family links: {res['cross_family_fp']}")
        print("confusion (gold->predicted): " + ", ".join(f"{k} {v}" for k, v in res["confusion"].items()))
        floors = json.loads((ROOT / "bench" / "floors.json").read_text()).get("reuse", {})
        key = "derived_quick" if args.quick else "derived_full" if args.families == 60 and args.basil_events is None else None
        if key and key in floors:
            f = floors[key]
            ok = res["macro_f1"] >= f["macro_f1"] and res["basil_fp_rate"] <= f["basil_fp_rate_max"]
            out["floors_ok"] = ok
            print(f"floors ({key}): macro-F1 >= {f['macro_f1']}, BASIL FP rate <= {f['basil_fp_rate_max']}: "
                  + ("ok" if ok else "BELOW"))
        if not args.skip_polnear:
            sub = Path(tmp) / "polnear"
            sub.mkdir()
            pw = polnear_wire(sub)
            out["polnear_wire"] = pw
            print(f"\nPolNeAR train+dev (real): {pw['articles']} articles, {pw['wire_credited']} wire-credited, "
                  f"{len(pw['links'])} links found ({pw['seconds']} s, lexical candidates only):")
            for x in pw["links"]:
                print(f"  {x['kind']:15s} {x['a']} [{x['a_wire'] or '-'}] ~ {x['b']} [{x['b_wire'] or '-'}] "
                      f"containment {x['containment']} direction {x['direction']}")
    if not args.skip_msrp:
        print("\nMSRP (real; bench/msrp.py):")
        r = subprocess.run([sys.executable, str(ROOT / "bench/msrp.py")], capture_output=True, text=True)
        print(r.stdout.split("\nfitted constants")[0])
        out["msrp_stdout"] = r.stdout
    if not args.skip_candidates:
        print(f"\nCandidates, {args.candidates_n} derived articles (bench/reuse_candidates.py, against datasketch):")
        with tempfile.NamedTemporaryFile(suffix=".json") as tf:
            from storyline.reuse.stage import BANDS, ROWS

            r = subprocess.run([sys.executable, str(ROOT / "bench/reuse_candidates.py"), "--n",
                                str(args.candidates_n), "--bands", str(BANDS), "--rows", str(ROWS),
                                "--json", tf.name], capture_output=True, text=True)
            print(r.stdout[-3000:])
            try:
                out["candidates"] = json.loads(Path(tf.name).read_text())
            except (OSError, ValueError):
                out["candidates"] = {"error": r.stderr[-2000:]}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=str) + "\n")
    return out


if __name__ == "__main__":
    main()
