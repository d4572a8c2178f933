"""The bundled demo corpus (original text written for the project) and the demo's summary.

``storyline demo`` reads every file under ``corpus/`` into a fresh database and prints what it found.
Later capabilities (reuse, stories, quotes, claims, comparisons) extend :func:`summarize`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

CORPUS_DIR = Path(__file__).parent / "corpus"


def corpus_inputs() -> list[str]:
    """The demo inputs, one per file, in a fixed order (text, HTML, JSONL, feed, WARC)."""
    files = sorted(p for p in CORPUS_DIR.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [str(p) for p in files]


def summarize(store: Any, report: Any, console: Any) -> None:
    """Print what the demo found: outlets, articles by format, boilerplate removed by reason."""
    from rich.table import Table

    arts = store.list_articles(status="ok")
    console.print()
    console.print(f"[bold]Demo corpus[/]: {len(corpus_inputs())} files → {len(arts)} articles "
                  f"from {len({a.source_key for a in arts})} outlets")
    kinds = Counter(a.input_kind for a in arts)
    console.print("by format: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))

    table = Table(header_style="bold", title="Articles")
    for col in ("id", "date", "source", "title", "byline", "removed"):
        table.add_column(col, overflow="fold")
    for a in arts:
        table.add_row(a.id[:10], a.published_at.date().isoformat() if a.published_at else "—",
                      a.source or "—", (a.title or "")[:70], a.byline or "—", str(len(a.removed)))
    console.print(table)

    reasons = Counter(r.reason for a in arts for r in a.removed)
    if reasons:
        console.print("[bold]Boilerplate removed[/] (every removal kept with its reason and span): "
                      + ", ".join(f"{k} ×{n}" for k, n in reasons.most_common()))
    summarize_reuse(store, arts, console)
    summarize_stories(store, arts, console)
    summarize_quotes(store, arts, console)
    worst = max(arts, key=lambda a: len(a.removed), default=None)
    if worst is not None and worst.removed:
        console.print(f"Most boilerplate: [cyan]{worst.id[:10]}[/] {worst.source} — "
                      f"{len(worst.removed)} pieces; see [bold]storyline show {worst.id[:10]}[/]")


def summarize_reuse(store: Any, arts: list[Any], console: Any) -> None:
    """Print the reuse links found (kind, direction, the two titles) and the folded version count."""
    from rich.markup import escape
    from rich.table import Table

    from storyline.reuse.stage import fold_copies

    by_id = {a.id: a for a in arts}
    links = [ln for ln in store.reuse_links() if ln["a"] in by_id and ln["b"] in by_id]
    if not links:
        console.print("[bold]Reuse[/]: no links (was the demo built with reuse detection off?)")
        return
    table = Table(header_style="bold", title=f"Reuse links ({len(links)})")
    for col in ("kind", "from", "", "to", "covered (from / to)"):
        table.add_column(col, overflow="fold")

    def label(a: Any) -> str:
        return escape(f"{a.source or '—'}: {(a.title or '')[:48]}")

    order = {"duplicate": 0, "near_duplicate": 1, "partial_reuse": 2, "rewrite": 3}
    for ln in sorted(links, key=lambda x: (order.get(x["kind"], 9), by_id[x["a"]].published_at is None,
                                           x["a"], x["b"])):
        a, b = by_id[ln["a"]], by_id[ln["b"]]
        sc = ln["scores"]
        ca, cb = sc.get("containment_a", 0.0), sc.get("containment_b", 0.0)
        if ln["direction"] == "b->a":
            a, b, ca, cb = b, a, cb, ca
            arrow = "→"
        elif ln["direction"] == "a->b":
            arrow = "→"
        else:
            arrow = "↔"
        table.add_row(ln["kind"], label(a), arrow, label(b), f"{ca:.0%} / {cb:.0%}")
    console.print(table)
    versions = len(fold_copies([a.id for a in arts], links))
    console.print(f"{len(arts)} articles, {versions} independent versions once copies are folded; "
                  "see [bold]storyline reuse <id>[/] and [bold]storyline diff <a> <b>[/]")


def summarize_stories(store: Any, arts: list[Any], console: Any) -> None:
    """Print the stories (title, dates, size, outlets with copies folded) and the storylines."""
    from rich.markup import escape
    from rich.table import Table

    from storyline.stories import fold_outlets, storyline_export_records

    recs = store.stories()
    if not recs:
        console.print("[bold]Stories[/]: none (was the demo built with stories off?)")
        return
    by_id = {a.id: a for a in arts}
    table = Table(header_style="bold", title=f"Stories ({len(recs)})")
    for col in ("id", "first", "last", "articles", "title", "outlets (copies folded)", "storyline"):
        table.add_column(col, overflow="fold")
    for s in recs:
        outlets = fold_outlets(store, s["article_ids"], {i: by_id[i] for i in s["article_ids"]})
        table.add_row(s["id"], (s["first_seen"] or "—")[:10], (s["last_seen"] or "—")[:10], str(len(s["article_ids"])),
                      escape(s["title"] or "(untitled)"), escape(", ".join(f"{k} {v}" for k, v in outlets.items())),
                      s["storyline_id"] or "—")
    console.print(table)
    lines = storyline_export_records(store)
    for ln in lines:
        console.print(f"[bold]Storyline {ln['id']}[/]: " + " → ".join(ln["story_ids"]))
        for lk in ln["links"]:
            ev = lk["evidence"]
            gap = ev.get("gap_days")
            console.print(f"  {lk['from']} → {lk['to']}: shared {escape(', '.join(ev['shared_entities'][:8]))}; "
                          f"gap {'undated' if gap is None else f'{gap:g} days'}; similarity {ev['similarity']:.2f}")
    console.print(f"{len(recs)} stories, {len(lines)} storylines; see [bold]storyline stories[/], "
                  "[bold]storyline story <id>[/] and [bold]storyline storylines[/]")


def summarize_quotes(store: Any, arts: list[Any], console: Any, *, shown: int = 5) -> None:
    """Print a few quotes (speaker, kind, cue, chain) and the claims of the story with the most claims."""
    from rich.markup import escape
    from rich.table import Table

    by_id = {a.id: a for a in arts}
    quotes = [q for q in store.quotes() if q.article_id in by_id]
    if not quotes:
        console.print("[bold]Quotes[/]: none (was the demo built with quotes off?)")
        return
    named = [q for q in quotes if q.speaker_type and q.kind in ("direct", "mixed")] or quotes
    table = Table(header_style="bold", title=f"Quotes ({len(quotes)}; {min(shown, len(named))} shown)")
    for col in ("speaker", "kind", "cue", "quote", "via"):
        table.add_column(col, overflow="fold")
    for q in sorted(named, key=lambda q: (-(len(q.chain)), q.article_id, q.start))[:shown]:
        text = q.text if len(q.text) <= 110 else q.text[:107] + "..."
        table.add_row(escape(q.speaker or "?"), q.kind, escape(q.cue or ""), escape(text),
                      escape(" > ".join(c.name for c in q.chain)))
    console.print(table)
    stories = store.stories()
    claims = store.claims()
    if not stories or not claims:
        return
    per = {s["id"]: [c for c in claims if any(st.article_id in set(s["article_ids"]) for st in c.stances)]
           for s in stories}
    best = max(stories, key=lambda s: (len(per[s["id"]]), -s["seq"]))
    cls = per[best["id"]][:shown]
    if not cls:
        return
    table = Table(header_style="bold", title=f"Claims of story {best['id']} ({len(per[best['id']])}; "
                                             f"{len(cls)} shown)")
    for col in ("claim", "holder", "stances (outlet: stance by whom)"):
        table.add_column(col, overflow="fold")
    for c in cls:
        text = c.text if len(c.text) <= 100 else c.text[:97] + "..."
        st = "; ".join(f"{(by_id[s.article_id].source if s.article_id in by_id else None) or s.article_id[:8]}: "
                       f"{s.stance}" + (f" ({s.holder})" if s.holder and s.stance != "asserts" else "")
                       for s in c.stances)
        table.add_row(escape(text), escape(c.holder or "outlet"), escape(st))
    console.print(table)
    console.print(f"see [bold]storyline quotes --story {best['id']}[/] and "
                  f"[bold]storyline claims --story {best['id']}[/]")
