"""Quotes: span F1 on PolNeAR, speaker accuracy on PolNeAR and BASIL, cost on 2 cores.

    python bench/quotes.py [--split dev] [--limit N] [--basil-limit N] [--speed N] [--json out.json]

PolNeAR (../shared/datasets/polnear, brat standoff over the raw .txt): every gold attribution has a
Cue, a Content and usually a Source span. A predicted quote gives a Content span (``start:end``), a
Cue span and a Source span (the speaker mention). Per span type we report precision, recall and F1,
**exact** (same offsets after trimming whitespace and outer punctuation) and **overlap** (one-to-one
greedy matching, a pair counts when the shared characters are at least 50 % of the longer span).
Where an annotator's file is one of several for an article, the first file (sorted by annotator id)
is gold. Rules were tuned on ``train``, and the learned cue model (``storyline.nlp.cues``) and
content-span model (``storyline.nlp.spans``) are trained on ``train`` only (``bench/train_cues.py``,
``bench/train_spans.py``); report on ``dev``.

Speaker accuracy (PolNeAR): over gold attributions with a Source whose Content we found (overlap
match), the share whose predicted speaker mention overlaps the gold Source span by >= 50 % of the
longer span, or whose resolved speaker name contains the gold Source's last word (the gold Source is
often a pronoun; our mention is the same pronoun, resolved to a name).

Speaker accuracy (BASIL): quote spans annotated with a named speaker (``speaker`` not empty and not
``other_*``); the span is located in the article text (paragraphs joined by blank lines). Among the
spans covered by a predicted quote (>= 50 % of the gold span), the share whose resolved speaker shares
a word with the gold name (``Mitt_Romney`` -> mitt, romney); coverage is reported beside it. Many
labels name a group ("Democratic_Lawmakers", "Tea_Party", "NAACP") while the text quotes one member,
so the figure is also given for labels that name one person (two or more capitalised words, none a
group word).

Agreement (PolNeAR): on the articles several annotators labelled (the annotator-training set,
16 train and 2 dev articles), the same span F1 of each annotator against each other annotator, and of
Storyline against each annotator (:func:`eval_agreement`): how far the metric lets any system go.

Cost: :class:`storyline.nlp.quotes.QuotesStage` over N PolNeAR articles with ``n_process=2`` (the
calling process parses one share, a forked child the other and returns its quotes) (articles/s,
model load excluded) and the peak RSS of the parent plus the largest child; the rate is
also given from CPU time (2 x articles / CPU seconds), what two otherwise idle cores would do, since the
shared machine is often loaded by other work. A second run makes half the articles derived copies of
the other half (new first paragraph, rest unchanged), where the stage parses each paragraph once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.model import Article, Quote  # noqa: E402
from storyline.nlp.lexicon import CUE_VERBS  # noqa: E402
from storyline.nlp.parse import get_nlp, parse_many  # noqa: E402
from storyline.nlp.quotes import QuotesStage, extract_quotes  # noqa: E402

SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "datasets" / "polnear" / "data"
BASIL = SHARED / "datasets" / "basil"
Span = tuple[int, int]
# PolNeAR's articles with several annotators' files: the annotator-training set (never used for
# tuning), 16 train articles and 2 dev articles
AGREEMENT_SPLITS = ("annotator-training", "train", "dev")


def _trim(text: str, s: int, e: int) -> Span:
    strip = " \t\n,.;:“”\"'‘’«»"
    while s < e and text[s] in strip:
        s += 1
    while e > s and text[e - 1] in strip:
        e -= 1
    return s, e


def _read_ann(path: Path, text: str) -> list[dict[str, Span | None]]:
    """One annotator's attributions (brat standoff): Cue, Content and Source spans, trimmed."""
    spans: dict[str, tuple[str, Span]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offs = parts[1].partition(" ")
            nums = [int(x) for x in re.findall(r"\d+", offs)]
            if nums:
                spans[parts[0]] = (kind, _trim(text, min(nums), max(nums)))
        elif line.startswith("E") and len(parts) >= 2:
            roles = dict(x.split(":", 1) for x in parts[1].split() if ":" in x)
            links.append(roles)
    gold = []
    for roles in links:
        item: dict[str, Span | None] = {"cue": None, "content": None, "source": None}
        for role, tid in roles.items():
            key = role.lower()
            if key in item and tid in spans:
                item[key] = spans[tid][1]
        if item["cue"] is not None and item["content"] is not None:
            gold.append(item)
    return gold


def _annotation_files(split: str) -> dict[str, list[Path]]:
    anns: dict[str, list[Path]] = {}
    for p in sorted((POLNEAR / split / "attributions").glob("*.ann")):
        anns.setdefault(p.stem.rsplit("_", 1)[0], []).append(p)
    return anns


def load_polnear(split: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Articles of one split with their gold attributions."""
    texts = sorted((POLNEAR / split / "text").glob("*.txt"))
    if limit:
        texts = texts[:limit]
    anns = _annotation_files(split)
    out = []
    for t in texts:
        files = anns.get(t.stem)
        if not files:
            continue
        text = t.read_text(encoding="utf-8")
        out.append({"name": t.stem, "text": text, "gold": _read_ann(files[0], text)})
    return out


def load_polnear_multi(split: str) -> list[dict[str, Any]]:
    """Articles of one split that several annotators labelled, with each annotator's attributions."""
    out = []
    for name, files in sorted(_annotation_files(split).items()):
        path = POLNEAR / split / "text" / f"{name}.txt"
        if len(files) < 2 or not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        out.append({"name": name, "text": text, "annotators": [_read_ann(f, text) for f in files]})
    return out


def _ov(a: Span, b: Span) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


def _match(preds: list[Span], golds: list[Span], exact: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best overlap first."""
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if exact:
                if p == g:
                    pairs.append((1.0, i, j))
            else:
                o = _ov(p, g)
                if o >= 0.5:
                    pairs.append((o, i, j))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": npred, "gold": ngold}


_KINDS = ("source", "cue", "content")
Counts = dict[tuple[str, str], list[int]]


def _new_counts() -> Counts:
    return {(k, m): [0, 0, 0] for k in _KINDS for m in ("exact", "overlap")}


def _predicted_spans(text: str, quotes: list[Quote]) -> dict[str, list[Span]]:
    return {
        "content": [_trim(text, q.start, q.end) for q in quotes],
        "cue": [_trim(text, q.cue_start, q.cue_end) for q in quotes if q.cue_start is not None],
        "source": [_trim(text, q.speaker_start, q.speaker_end) for q in quotes if q.speaker_start is not None],
    }


def _gold_spans(gold: list[dict[str, Any]]) -> dict[str, list[Span]]:
    return {k: [g[k] for g in gold if g[k] is not None] for k in _KINDS}


def _count(counts: Counts, pred: dict[str, list[Span]], gold: dict[str, list[Span]], weight: int = 1) -> None:
    for k in _KINDS:
        for m in ("exact", "overlap"):
            c = counts[(k, m)]
            c[0] += weight * len(_match(pred[k], gold[k], m == "exact"))
            c[1] += weight * len(pred[k])
            c[2] += weight * len(gold[k])


def _scores(counts: Counts) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for (k, m), (tp, npred, ngold) in counts.items():
        out.setdefault(k, {})[m] = _prf(tp, npred, ngold)
    return out


def eval_polnear(articles: list[dict[str, Any]]) -> dict[str, Any]:
    counts = _new_counts()
    sp_ok = sp_n = 0
    speech_n = speech_found = 0
    docs = parse_many([a["text"] for a in articles], batch_size=8)
    for art, doc in zip(articles, docs):
        text = art["text"]
        quotes = extract_quotes(text, article_id=art["name"], doc=doc)
        pred = _predicted_spans(text, quotes)
        _count(counts, pred, _gold_spans(art["gold"]))
        # speaker accuracy over gold attributions whose content we found
        content_pairs = _match(pred["content"], [g["content"] for g in art["gold"]], False)
        found = {j for _, j in content_pairs}
        for j, g in enumerate(art["gold"]):
            span = doc.char_span(g["cue"][0], g["cue"][1], alignment_mode="expand")
            lemma = span.root.lemma_.lower() if span is not None else ""
            if lemma in CUE_VERBS or lemma == "accord":
                speech_n += 1
                speech_found += j in found
        for i, j in content_pairs:
            g = art["gold"][j]
            if g["source"] is None:
                continue
            q = quotes[i]
            sp_n += 1
            gs = g["source"]
            gold_last = (re.findall(r"\w+", text[gs[0]:gs[1]].lower()) or [""])[-1]
            ok = False
            if q.speaker_start is not None and _ov(_trim(text, q.speaker_start, q.speaker_end), gs) >= 0.5:
                ok = True
            elif q.speaker and gold_last and gold_last in re.findall(r"\w+", q.speaker.lower()):
                ok = True
            sp_ok += ok
    result: dict[str, Any] = {"articles": len(articles),
                              "gold_attributions": sum(len(a["gold"]) for a in articles)}
    result.update(_scores(counts))
    result["speaker_accuracy"] = round(sp_ok / sp_n, 4) if sp_n else 0.0
    result["speaker_n"] = sp_n
    # PolNeAR also annotates attitudes and acts ("supports", "wants", "endorsed", "seems"): the share
    # of gold attributions whose cue is a reporting verb, and our content recall on those
    result["speech_cue_share"] = round(speech_n / max(1, result["gold_attributions"]), 4)
    result["speech_content_recall"] = round(speech_found / speech_n, 4) if speech_n else 0.0
    return result


def eval_agreement(splits: tuple[str, ...] = AGREEMENT_SPLITS) -> dict[str, Any]:
    """Annotator against annotator, and Storyline against each annotator, on the same articles.

    Over the articles that several annotators labelled: each annotator's file in turn is gold and
    every other annotator's file is scored against it with the span F1 above (exact and overlap),
    and Storyline's quotes are scored against the same file, weighted by the number of other
    annotators so both figures average over the same (article, gold file) pairs. The human figure is
    the ceiling the metric allows for a system that agrees with annotators as well as they agree with
    each other."""
    human, system = _new_counts(), _new_counts()
    per_split: dict[str, Any] = {}
    for split in splits:
        arts = load_polnear_multi(split)
        docs = parse_many([a["text"] for a in arts], batch_size=8)
        split_human, split_system = _new_counts(), _new_counts()
        for art, doc in zip(arts, docs):
            text, anns = art["text"], art["annotators"]
            pred = _predicted_spans(text, extract_quotes(text, article_id=art["name"], doc=doc))
            for g, gold in enumerate(anns):
                gold_spans = _gold_spans(gold)
                _count(split_system, pred, gold_spans, weight=len(anns) - 1)
                for b, other in enumerate(anns):
                    if b != g:
                        _count(split_human, _gold_spans(other), gold_spans)
        for total, part in ((human, split_human), (system, split_system)):
            for key, c in part.items():
                total[key] = [x + y for x, y in zip(total[key], c)]
        per_split[split] = {"articles": len(arts), "annotator_files": sum(len(a["annotators"]) for a in arts),
                            "human": _scores(split_human), "storyline": _scores(split_system)}
    return {"splits": per_split, "human": _scores(human), "storyline": _scores(system)}


def load_basil(limit: int | None = None) -> list[dict[str, Any]]:
    out = []
    anns = sorted((BASIL / "annotations").rglob("*_ann.json"))
    for ap in anns:
        art_path = ap.parent.parent.parent / "articles" / ap.parent.name / ap.name.replace("_ann.json", ".json")
        if not art_path.exists():
            continue
        ann = json.loads(ap.read_text(encoding="utf-8"))
        items = [x for x in ann.get("phrase-level-annotations", [])
                 if x.get("quote") == "yes" and x.get("speaker") and not x["speaker"].startswith("other")]
        if not items:
            continue
        art = json.loads(art_path.read_text(encoding="utf-8"))
        paras = [" ".join(p) if isinstance(p, list) else str(p) for p in art.get("body-paragraphs", [])]
        text = "\n\n".join(paras)
        gold = []
        for x in items:
            i = text.find(x["txt"])
            if i >= 0 and x["txt"].strip():
                gold.append(((i, i + len(x["txt"])), x["speaker"]))
        if gold:
            out.append({"name": ap.stem, "text": text, "gold": gold})
        if limit and len(out) >= limit:
            break
    return out


#: BASIL speaker labels that name a group, not one speaker ("Democratic_Lawmakers", "Tea_Party"):
#: a quote by one member ("Rep. X said") cannot match them by name.
GROUP_WORDS = frozenset("""party lawmakers democrats republicans officials administration members supporters
critics plaintiffs catholics activists leaders voters senate house committee campaign aides advocates
groups group white""".split())


def is_person_label(label: str) -> bool:
    words = [w for w in label.split("_") if w]
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and not any(
        w.lower() in GROUP_WORDS for w in words)


def eval_basil(articles: list[dict[str, Any]]) -> dict[str, Any]:
    n = covered = ok = 0
    pn = pcov = pok = 0
    docs = parse_many([a["text"] for a in articles], batch_size=8)
    for art, doc in zip(articles, docs):
        quotes = extract_quotes(art["text"], article_id=art["name"], doc=doc)
        for (gs, ge), speaker in art["gold"]:
            n += 1
            person = is_person_label(speaker)
            pn += person
            best: Quote | None = None
            best_ov = 0
            for q in quotes:
                inter = max(0, min(q.end, ge) - max(q.start, gs))
                if inter > best_ov:
                    best, best_ov = q, inter
            if best is None or best_ov < 0.5 * (ge - gs):
                continue
            covered += 1
            pcov += person
            gold_words = {w for w in re.split(r"[_\s]+", speaker.lower()) if len(w) > 1}
            got = set(re.findall(r"\w+", (best.speaker or "").lower()))
            ok += bool(gold_words & got)
            pok += bool(gold_words & got) and person
    return {"articles": len(articles), "quotes": n, "covered": covered,
            "coverage": round(covered / n, 4) if n else 0.0,
            "speaker_accuracy": round(ok / covered, 4) if covered else 0.0,
            "speaker_accuracy_all": round(ok / n, 4) if n else 0.0,
            "person_quotes": pn, "person_coverage": round(pcov / pn, 4) if pn else 0.0,
            "person_speaker_accuracy": round(pok / pcov, 4) if pcov else 0.0}


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + kids) / 1024, 1)


def bench_speed(n: int, n_process: int = 2, copies: bool = False) -> dict[str, Any]:
    """Quote stage rate over ``n`` PolNeAR articles; with ``copies``, half of them are derived copies
    of the other half (a wire story re-run by another outlet: a new first paragraph, the rest as is)."""
    texts = []
    for split in ("train", "dev"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((POLNEAR / split / "text").glob("*.txt"))]
    if copies:
        half = texts[: n // 2]
        derived = []
        for i, t in enumerate(half):
            parts = t.split("\n\n", 1)
            rest = parts[1] if len(parts) > 1 else parts[0]
            derived.append(f"Republished from a wire service, item {i}.\n\n{rest}")
        texts = half + derived
    texts = texts[:n]
    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)]
    get_nlp()
    stage = QuotesStage(n_process=n_process)  # the batch size `storyline add` uses
    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    c0 = cpu()
    t0 = time.perf_counter()
    res = stage.process(arts)
    dt = time.perf_counter() - t0
    cpu_s = cpu() - c0
    words = sum(len(t.split()) for t in texts)
    return {"articles": len(arts), "copies": copies, "n_process": n_process, "seconds": round(dt, 2),
            "articles_per_s": round(len(arts) / dt, 2), "cpu_seconds": round(cpu_s, 2),
            # what 2 otherwise idle cores would give: the shared machine is often loaded by others
            "articles_per_cpu_s_x2": round(2 * len(arts) / cpu_s, 2) if cpu_s else 0.0,
            "mean_words": round(words / max(1, len(arts))),
            "quotes": len(res.quotes), "peak_rss_mb_parent_plus_children": _rss_mb()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=None, help="PolNeAR articles (default: all)")
    ap.add_argument("--basil-limit", type=int, default=None, help="BASIL articles with named quotes")
    ap.add_argument("--speed", type=int, default=200, help="articles for the cost run (0: skip)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    report: dict[str, Any] = {"polnear": eval_polnear(load_polnear(args.split, args.limit))}
    report["polnear"]["split"] = args.split
    report["basil"] = eval_basil(load_basil(args.basil_limit))
    report["agreement"] = eval_agreement()
    if args.speed:
        report["speed"] = bench_speed(args.speed)
        report["speed_with_copies"] = bench_speed(args.speed, copies=True)
    report["seconds"] = round(time.perf_counter() - t0, 1)
    pn = report["polnear"]
    print(f"PolNeAR {args.split}: {pn['articles']} articles, {pn['gold_attributions']} gold attributions")
    for k in ("source", "cue", "content"):
        e, o = pn[k]["exact"], pn[k]["overlap"]
        print(f"  {k:8s} exact P/R/F1 {e['p']:.3f}/{e['r']:.3f}/{e['f1']:.3f}   "
              f">=50% overlap P/R/F1 {o['p']:.3f}/{o['r']:.3f}/{o['f1']:.3f}")
    print(f"  speaker accuracy {pn['speaker_accuracy']:.3f} (n={pn['speaker_n']})")
    print(f"  gold attributions with a reporting-verb cue: {pn['speech_cue_share']:.3f}; "
          f"content recall (>=50% overlap) on those {pn['speech_content_recall']:.3f}")
    ag = report["agreement"]
    n_arts = sum(v["articles"] for v in ag["splits"].values())
    print(f"PolNeAR articles with several annotators ({n_arts}, "
          + ", ".join(f"{k} {v['articles']}" for k, v in ag["splits"].items())
          + "): F1 annotator vs annotator / Storyline vs annotator")
    for k in ("source", "cue", "content"):
        hu, sl = ag["human"][k], ag["storyline"][k]
        print(f"  {k:8s} exact {hu['exact']['f1']:.3f} / {sl['exact']['f1']:.3f}   "
              f">=50% overlap {hu['overlap']['f1']:.3f} / {sl['overlap']['f1']:.3f}")
    b = report["basil"]
    print(f"BASIL: {b['quotes']} named-speaker quotes in {b['articles']} articles: coverage {b['coverage']:.3f}, "
          f"speaker accuracy {b['speaker_accuracy']:.3f} on covered, {b['speaker_accuracy_all']:.3f} on all; "
          f"labels naming one person ({b['person_quotes']}): coverage {b['person_coverage']:.3f}, "
          f"speaker accuracy {b['person_speaker_accuracy']:.3f}")
    if "speed" in report:
        s = report["speed"]
        print(f"cost: {s['articles_per_s']:.1f} articles/s ({s['articles']} articles, ~{s['mean_words']} words, "
              f"n_process={s['n_process']}; {s['articles_per_cpu_s_x2']:.1f}/s from CPU time on 2 idle cores), peak RSS {s['peak_rss_mb_parent_plus_children']} MB")
    if "speed_with_copies" in report:
        s = report["speed_with_copies"]
        print(f"cost, half the articles copies of the other half (derived): {s['articles_per_s']:.1f} articles/s; "
              f"{s['articles_per_cpu_s_x2']:.1f}/s from CPU time on 2 idle cores")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
