"""``storyline report``: one story as a self-contained HTML file, or a Markdown summary.

The HTML report renders the same templates as the server's story page, plus every article of the
story (in collapsed sections) and each article side by side with the story's representative article
where a reuse link was stored. The stylesheet is inlined and allowed by its hash in a
Content-Security-Policy ``<meta>`` tag; links point inside the file; nothing is fetched, and no
script runs. Output is deterministic: the same database gives the same bytes.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, TextIO

from markupsafe import Markup

from storyline.errors import NotFoundError, UsageError
from storyline.web import views
from storyline.web.render import css_hash, render, static_bytes

logger = logging.getLogger(__name__)

FORMATS = ("html", "md")


def report_href(kind: str, *args: str) -> str:
    """Links inside the report file."""
    if kind == "home":
        return "#story-title"
    if kind == "article":
        return f"#article-{args[0]}"
    if kind == "compare":
        return f"#compare-{args[0]}-{args[1]}"
    if kind == "story":  # other stories are not in the file
        return f"#story-{args[0]}"
    raise ValueError(f"unknown page kind {kind!r}")


def render_report(store: Any, story_id: str, fmt: str = "html", *, db_name: str = "") -> str:
    """The report of one story as text (``html`` or ``md``)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    story = views.story_page(store, story_id)
    if fmt == "md":
        return markdown_report(story)
    articles = [views.article_page(store, t.article.id) for t in story.timeline]
    comparisons = []
    rep = story.representative_id
    if rep:
        for t in story.timeline:
            if t.article.id == rep:
                continue
            try:
                comparisons.append(views.compare_page(store, rep, t.article.id, align_missing=False))
            except NotFoundError:
                continue  # not linked: only stored alignments go in the report
    css = static_bytes("style.css").decode("utf-8")
    csp = f"default-src 'none'; style-src {css_hash(css)}; img-src data:; base-uri 'none'; form-action 'none'"
    return render("report.html", report_href, s=story, articles=articles, comparisons=comparisons,
                  standalone=True, inline_css=Markup(css), csp=csp, db_name=db_name)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>&~])")


def md_escape(text: str | None) -> str:
    """Plain text for Markdown: special characters backslash-escaped, line breaks folded, so nothing in
    an article becomes a link, an image, HTML or a table cell break."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def markdown_report(s: views.StoryPage) -> str:
    out = [f"# {md_escape(s.title or '(untitled)')}", ""]
    dates = views_day(s.first_seen) + ("" if (s.last_seen or "")[:10] == (s.first_seen or "")[:10]
                                      else f" → {views_day(s.last_seen)}")
    out.append(f"Story {s.id} · {dates} · {s.articles} article(s), {s.versions} version(s) with copies folded")
    if s.link_counts:
        out.append("Links: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in s.link_counts))
    out.append("")
    out.append("Outlets (copies folded): " + ", ".join(f"{md_escape(o)} {n}" for o, n in s.outlets))
    if s.entities:
        out.append("")
        out.append("Key entities: " + ", ".join(md_escape(e) for e in s.entities))
    out += ["", "## Timeline", "", "| # | date | outlet | title | link to the rest | id |", "|---|---|---|---|---|---|"]
    for t in s.timeline:
        out.append(f"| {t.n} | {t.article.day} | {md_escape(t.article.outlet)} | {md_escape(t.article.title or '(untitled)')} "
                   f"| {t.link.replace('_', ' ')} | `{t.article.id}` |")
    if s.graph.edges:
        n_of = {t.article.id: t.n for t in s.timeline}
        out += ["", "## Provenance", ""]
        for e in s.graph.edges:
            arrow = "→" if e.directed else "—"
            out.append(f"- #{n_of[e.a]} {arrow} #{n_of[e.b]}: {e.kind.replace('_', ' ')}")
        if s.graph.hidden_edges:
            out.append(f"- ({s.graph.hidden_edges} weaker link(s) not listed)")
    if s.neighbours:
        out += ["", f"## Storyline {s.storyline_id}", ""]
        for nb in s.neighbours:
            ev = f" (shared: {md_escape(', '.join(nb.shared_entities))}; gap {nb.gap})" if nb.gap else ""
            out.append(f"- {nb.relation}: {nb.id} {md_escape(nb.title or '(untitled)')}, "
                       f"{views_day(nb.first_seen)}, {nb.articles} article(s){ev}")
    if s.quotes_by_speaker:
        out += ["", "## Quotes by speaker", ""]
        for sp in s.quotes_by_speaker:
            out.append(f"- **{md_escape(sp['speaker'])}**: " + "; ".join(f"“{md_escape(q['text'])}”" for q in sp["quotes"]))
    return "\n".join(out) + "\n"


def views_day(iso: str | None) -> str:
    return iso[:10] if iso else "undated"


def write_report(store: Any, story_id: str, output: str | Path | TextIO, fmt: str = "html", *, db_name: str = "") -> None:
    """Render the report and write it to a path (UTF-8) or an open text stream."""
    text = render_report(store, story_id, fmt, db_name=db_name)
    if isinstance(output, (str, Path)):
        Path(output).write_text(text, encoding="utf-8")
    else:
        output.write(text)
