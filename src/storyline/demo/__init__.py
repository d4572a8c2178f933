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
    worst = max(arts, key=lambda a: len(a.removed), default=None)
    if worst is not None and worst.removed:
        console.print(f"Most boilerplate: [cyan]{worst.id[:10]}[/] {worst.source} — "
                      f"{len(worst.removed)} pieces; see [bold]storyline show {worst.id[:10]}[/]")
