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
    comps = ensure_comparisons(store, story_id)
    story = views.story_page(store, story_id, comparisons=comps)
    articles = [views.article_page(store, t.article.id, comparisons=comps) for t in story.timeline]
    if fmt == "md":
        return markdown_report(story, articles)
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


def ensure_comparisons(store: Any, story_id: str) -> dict[str, dict[str, Any]] | None:
    """Make sure the story's comparison is there for the report: read from the cache when fresh
    (None: the views read it themselves), else computed (and cached when the store is writable).
    Over a read-only store the computed records are returned for the views to use. A story of one
    article has nothing to compare; a failure to compute is logged and the report goes without."""
    from storyline.compare import compare_story, is_fresh

    sid = views.resolve_story_id(store, story_id)
    n = store.conn.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (sid,)).fetchone()[0]
    if n < 2 or is_fresh(store, sid):
        return None
    try:
        computed = compare_story(store, sid)
    except Exception:  # noqa: BLE001 (the report is still useful without the comparison)
        logger.exception("cannot compare the versions of story %s; the report leaves the comparison out", sid)
        return None
    return None if not store.readonly else {c.article_id: c.record() for c in computed}


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>&~])")


def md_escape(text: str | None) -> str:
    """Plain text for Markdown: special characters backslash-escaped, line breaks folded, so nothing in
    an article becomes a link, an image, HTML or a table cell break."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def markdown_report(s: views.StoryPage, articles: list[views.ArticlePage] | None = None) -> str:
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
            out.append(f"- **{md_escape(sp['speaker'])}**: " + "; ".join(
                f"“{md_escape(q['text'])}”" if q["verbatim"] else f"{md_escape(q['text'])} (reported)"
                for q in sp["quotes"]))
    out += markdown_comparisons(s, articles or [])
    return "\n".join(out) + "\n"


def _short(text: str, n: int = 220) -> str:
    text = " ".join(text.split())
    return md_escape(text if len(text) <= n else text[: n - 1].rstrip() + "…")


def markdown_comparisons(s: views.StoryPage, articles: list[views.ArticlePage]) -> list[str]:
    """The comparison part of the Markdown report: per version its additions by kind, omissions and
    loaded terms, the headlines and the story's labels and loaded terms."""
    f = s.framing
    if f is None or not f.versions:
        return []
    out = ["", "## How each version tells it", "",
           "| # | outlet | shared | new fact | commentary | off topic | omits | labels applied to actors |",
           "|---|---|---|---|---|---|---|---|"]
    for v in f.versions:
        out.append(f"| {v.n} | {md_escape(v.article.outlet)} | {v.shared} | {v.additions['new_fact']} | "
                   f"{v.additions['commentary']} | {v.additions['off_topic']} | {sum(v.omissions.values())} | "
                   f"{md_escape(', '.join(v.labels))} |")
    out += ["", "### Headlines", ""]
    for v in f.versions:
        words = [t for t, mark in v.headline if mark == "distinct"]
        loaded = [t for t, mark in v.headline if mark == "loaded"]
        extra = (f" (only this headline: {md_escape(', '.join(words))})" if words else "") + \
                (f" (loaded: {md_escape(', '.join(loaded))})" if loaded else "")
        out.append(f"- #{v.n} {md_escape(v.article.outlet)}: {md_escape(v.article.title or '(untitled)')}{extra}")
    if f.terms:
        out += ["", "### Labels and loaded terms", "", "| term | kind | versions | outlets |", "|---|---|---|---|"]
        for t in f.terms:
            kind = "label applied to an actor" if t["kind"] == "actor_label" else t["kind"]
            out.append(f"| {md_escape(t['text'])} | {kind} | {' '.join(f'#{n}' for n in t['ns'])} | "
                       f"{md_escape(', '.join(t['outlets']))} |")
    n_of = {v.article.id: v.n for v in f.versions}
    for p in articles:
        if p.id not in n_of:
            continue
        out += ["", f"### #{n_of[p.id]} {md_escape(p.source or 'unknown outlet')}: {md_escape(p.title or '(untitled)')}", ""]
        if p.additions:
            out.append("Adds: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in p.addition_counts) + " paragraph(s)")
            out.append("")
            for ad in p.additions:
                out.append(f"- *{ad['kind'].replace('_', ' ')}*: {_short(ad['text'])}")
        else:
            out.append("Adds nothing of its own.")
        out.append("")
        if p.omissions:
            out.append(f"Omits {len(p.omissions)} item(s) most other versions carry:")
            out.append("")
            for om in p.omissions:
                who = ", ".join(label for _, label in om["carried_by"])
                out.append(f"- *{om['kind']}*: {_short(om['text'])} (carried by {md_escape(who)})")
        else:
            out.append("Omits nothing that most other versions carry.")
        labels = [t["text"] for t in p.loaded_terms if t["kind"] == "actor_label"]
        other = [t["text"] for t in p.loaded_terms if t["kind"] != "actor_label"]
        if labels or other:
            out.append("")
        if labels:
            out.append("Labels applied to actors: " + md_escape(", ".join(labels)))
        if other:
            out.append(("" if not labels else "\n") + "Loaded terms: " + md_escape(", ".join(other)))
    return out


def views_day(iso: str | None) -> str:
    return iso[:10] if iso else "undated"


def write_report(store: Any, story_id: str, output: str | Path | TextIO, fmt: str = "html", *, db_name: str = "") -> None:
    """Render the report and write it to a path (UTF-8) or an open text stream."""
    text = render_report(store, story_id, fmt, db_name=db_name)
    if isinstance(output, (str, Path)):
        Path(output).write_text(text, encoding="utf-8")
    else:
        output.write(text)
