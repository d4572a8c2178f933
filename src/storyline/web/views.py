"""What the web pages show, read from the store: typed view records, no HTML.

Every function takes an open :class:`~storyline.store.Store` (the web app opens one read-only per
request) and returns plain dataclasses that the templates render. Queries read only what a page needs
(article metadata without texts for a story's timeline and graph, links among the story's members in
one query), so a story page of a few hundred articles stays a handful of SQL statements.

Sections that depend on later stages (quotes, claims, the coverage matrix, the comparison of
versions) are fields that stay empty when the store holds no results for them; the templates render
a section only when its field holds data. Comparisons are read from the store's cache
(:func:`storyline.compare.cached_comparisons`); the web app fills the cache before it renders a page
whose story has none (see ``app.StorylineApp``), the report computes it when it must.
"""

from __future__ import annotations

import difflib
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timezone
from typing import Any, Iterable, Sequence

from storyline.errors import NotFoundError, UsageError
from storyline.model import Article
from storyline.reuse.links import LINK_KINDS

logger = logging.getLogger(__name__)

#: Link kinds in order of closeness (first: closest); the timeline shows a member's closest link.
LINK_ORDER = LINK_KINDS
#: Kinds folded into one version when counting a story's size (as ``storyline stories`` does).
COPY_KINDS = ("duplicate", "near_duplicate")
#: Passage match kinds, best first, for colouring shared spans ("similar": a paragraph the comparison
#: found shared by sentence similarity, where no stored passage covers it).
MATCH_ORDER = ("exact", "paraphrase", "changed", "similar")
#: Roles of article text spans, in legend order, with what each means.
ROLE_HELP = {
    "shared": "carried by other versions of the story",
    "new_fact": "its own material about the event",
    "commentary": "opinion or generic analysis (editor's notes, implications, conclusions)",
    "off_topic": "padding about other subjects",
    "quote": "a quotation, with its speaker",
    "loaded": "loaded wording or a label applied to an actor",
    "removed": "boilerplate removed by the cleaner, with the reason",
}
#: Addition kinds in display order.
ADDITION_KINDS = ("new_fact", "commentary", "off_topic")
#: Omission kinds in display order.
OMISSION_KINDS = ("passage", "quote", "claim")
#: The provenance graph draws every link up to this many; above it, each article's strongest link.
MAX_GRAPH_EDGES = 300
#: Stories per page of the story list.
PAGE_SIZE = 50
#: Articles searched (FTS5 hits) when the story list is filtered by a query.
SEARCH_LIMIT = 500
_CHUNK = 500
_SAFE_URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


# --------------------------------------------------------------------------- records


@dataclass(slots=True)
class ArticleMeta:
    """An article's metadata, without its texts."""

    id: str
    source: str | None
    source_key: str | None
    title: str | None
    published_at: str | None  # ISO 8601 with offset, as stored
    url: str | None

    @property
    def day(self) -> str:
        return self.published_at[:10] if self.published_at else "undated"

    @property
    def outlet(self) -> str:
        return self.source or "unknown outlet"


@dataclass(slots=True)
class StoryRow:
    """One line of the story list."""

    id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    articles: int
    versions: int  # copies (duplicate, near-duplicate) folded into one
    outlets: list[tuple[str, int]]  # outlet, versions carried; copies folded, most first
    storyline_id: str | None
    snippet: list[tuple[str, bool]] = field(default_factory=list)  # (text, matched) parts of a search hit


@dataclass(slots=True)
class StoryList:
    rows: list[StoryRow]
    total: int
    page: int
    pages: int
    query: str
    since: str
    until: str
    outlet: str
    min_size: int
    outlets: list[tuple[str, str, int]]  # (key, name, ok articles) for the outlet filter


@dataclass(slots=True)
class TimelineRow:
    n: int  # 1-based position; the graph's node labels use it
    article: ArticleMeta
    link: str  # closest link kind to the rest of the story, or "independent"
    group: int  # copy group (1-based); rows of one group are copies of each other
    copies: int  # articles in this row's copy group


@dataclass(slots=True)
class GraphNode:
    n: int
    id: str
    x: float
    y: float
    label: str
    tip: str


@dataclass(slots=True)
class GraphEdge:
    a: str
    b: str
    kind: str
    directed: bool  # drawn with an arrow from source to copy
    path: str  # SVG path data
    tip: str


@dataclass(slots=True)
class Graph:
    width: int
    height: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    lanes: list[tuple[float, str]]  # (y, outlet)
    kinds: list[str]  # link kinds drawn, for the legend
    hidden_edges: int  # links left out of the drawing (see MAX_GRAPH_EDGES)
    radius: float = 11.0


@dataclass(slots=True)
class Neighbour:
    """A story in the same storyline, with the evidence of the link when the two are linked directly."""

    id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    articles: int
    relation: str  # "earlier" or "later" (by first seen), "same time", or "undated" when either has no date
    shared_entities: list[str]
    gap: str
    similarity: float | None
    members: list[ArticleMeta] = field(default_factory=list)  # its articles in time order (first few)
    more: int = 0  # articles not listed in members


@dataclass(slots=True)
class VersionFraming:
    """One version in the story's framing comparison."""

    n: int  # timeline position
    article: ArticleMeta
    shared: int  # shared paragraphs
    additions: dict[str, int]  # kind -> paragraphs
    omissions: dict[str, int]  # kind -> items
    headline: list[tuple[str, str]]  # (text, "" | "distinct" | "loaded") parts of the title
    labels: list[str]  # labels applied to actors, distinct, in text order
    loaded: list[tuple[str, int]]  # other loaded terms, most used first
    quotes: int
    speakers: list[tuple[str, int]]  # quoted speakers, most quoted first
    own_quotes: int  # quotes no other version carries

    @property
    def omitted(self) -> int:
        return sum(self.omissions.values())

    @property
    def omitted_tip(self) -> str:
        return ", ".join(f"{n} {k}{'s' if n > 1 else ''}" for k, n in self.omissions.items() if n)


@dataclass(slots=True)
class Framing:
    """The story's versions compared: additions, omissions, headlines, labels and quote selection."""

    versions: list[VersionFraming]
    terms: list[dict[str, Any]]  # {text, kind, articles: [n, ...], outlets: [...]}, actor labels first
    computed_at: str | None


@dataclass(slots=True)
class StoryPage:
    id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    representative_id: str | None
    entities: list[str]
    outlets: list[tuple[str, int]]
    versions: int
    storyline_id: str | None
    timeline: list[TimelineRow]
    graph: Graph
    neighbours: list[Neighbour]
    link_counts: list[tuple[str, int]]
    # Filled by later stages when their results are stored (render only when non-empty):
    quotes_by_speaker: list[dict[str, Any]] = field(default_factory=list)
    matrix: dict[str, Any] | None = None
    framing: Framing | None = None
    side_by_side: "ComparePage | None" = None

    @property
    def articles(self) -> int:
        return len(self.timeline)


@dataclass(slots=True)
class Segment:
    """A run of an article's text: kept text with its roles, or a removed span with its reason."""

    text: str
    removed: bool = False
    roles: tuple[str, ...] = ()
    css: str = ""
    tip: str = ""


@dataclass(slots=True)
class LinkRow:
    other: ArticleMeta
    kind: str
    direction: str  # "this → other", "other → this" or "unknown"
    coverage_this: float | None
    coverage_other: float | None
    passages: int


@dataclass(slots=True)
class ArticlePage:
    id: str
    title: str | None
    source: str | None
    byline: str | None
    published_at: str | None
    language: str | None
    input_kind: str
    location: str
    safe_url: str | None  # the article's URL when it is http(s); otherwise shown as text only
    segments: list[Segment]
    removal_counts: list[tuple[str, int]]
    links: list[LinkRow]
    story: tuple[str, str | None] | None  # (id, title)
    shared_share: float  # share of the clean text's characters shared with another version
    roles: list[str]  # roles present in the text, for the legend
    # Filled by later stages (render only when non-empty):
    quotes: list[dict[str, Any]] = field(default_factory=list)
    additions: list[dict[str, Any]] = field(default_factory=list)  # {start, end, text, kind, reason}
    addition_counts: list[tuple[str, int]] = field(default_factory=list)
    omissions: list[dict[str, Any]] = field(default_factory=list)  # {kind, text, carried_by, ref_id, ref_outlet}
    loaded_terms: list[dict[str, Any]] = field(default_factory=list)  # {text, kind, n, tip}, actor labels first
    versions: int = 0  # versions in the comparison (0: the story has no comparison)


@dataclass(slots=True)
class DiffPart:
    text: str
    changed: bool


@dataclass(slots=True)
class CompareRow:
    kind: str  # exact, paraphrase, changed, missing (only in A), added (only in B)
    a: list[DiffPart]
    b: list[DiffPart]


@dataclass(slots=True)
class ComparePage:
    a: ArticleMeta
    b: ArticleMeta
    kind: str  # the stored link kind, or "no link"
    direction: str  # "first → second", "second → first" or "direction unknown"
    rows: list[CompareRow]
    counts: list[tuple[str, int]]
    stored: bool  # False when aligned on the spot (no stored link)


# --------------------------------------------------------------------------- helpers


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) URL, else None (``javascript:``, ``data:`` and the like are
    shown as text, never as a link)."""
    if url and _SAFE_URL_RE.match(url.strip()):
        return url.strip()
    return None


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def article_meta(store: Any, ids: Sequence[str]) -> dict[str, ArticleMeta]:
    """Metadata of these articles (no texts), by id."""
    out: dict[str, ArticleMeta] = {}
    for chunk in _chunks(list(ids)):
        for r in store.conn.execute(
                f"SELECT id, source, source_key, title, published_at, url FROM articles WHERE id IN ({_marks(len(chunk))})",
                list(chunk)):
            out[r[0]] = ArticleMeta(*r)
    return out


def _time_key(m: ArticleMeta) -> tuple[int, float, str]:
    if m.published_at:
        try:
            return (0, datetime.fromisoformat(m.published_at).timestamp(), m.id)
        except ValueError:
            pass
    return (1, 0.0, m.id)


def _sources_first(ids: list[str], links: Sequence[dict[str, Any]], when: dict[str, tuple[int, float]]) -> list[str]:
    """``ids`` (in time order) with a copy after what it was copied from when both carry the same time
    (a wire story and its same-day copy: the link's direction says which came first)."""
    parents: dict[str, set[str]] = {i: set() for i in ids}
    for ln in links:
        a, b, d = ln["a"], ln["b"], ln.get("direction")
        if d in ("a->b", "b->a") and a in parents and b in parents and when[a] == when[b]:
            src, dst = (a, b) if d == "a->b" else (b, a)
            parents[dst].add(src)
    depth = dict.fromkeys(ids, 0)
    for _ in range(len(ids)):  # (a cycle stops growing after len(ids) rounds)
        changed = False
        for i in ids:
            d = max((depth[p] + 1 for p in parents[i]), default=0)
            if d > depth[i] and d <= len(ids):
                depth[i], changed = d, True
        if not changed:
            break
    order = {i: k for k, i in enumerate(ids)}
    return sorted(ids, key=lambda i: (when[i], depth[i], order[i]))


def links_among(store: Any, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Reuse links whose two articles are both in ``ids`` (no passages), sorted by (a, b)."""
    ids = list(ids)
    if not ids:
        return []
    members = set(ids)
    rows = []
    for chunk in _chunks(ids):
        rows += store.conn.execute(
            f"SELECT a, b, kind, direction, scores FROM reuse_links WHERE a IN ({_marks(len(chunk))})",
            list(chunk)).fetchall()
    return sorted(({"a": a, "b": b, "kind": k, "direction": d, "scores": json.loads(sc)}
                   for a, b, k, d, sc in rows if b in members), key=lambda ln: (ln["a"], ln["b"]))


def fold_groups(ids: Sequence[str], links: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Copy groups (duplicate and near-duplicate links folded), as ``storyline articles`` counts them."""
    from storyline.reuse.stage import fold_copies

    return fold_copies(ids, links, COPY_KINDS)


def folded_outlets(groups: Sequence[Sequence[str]], meta: dict[str, ArticleMeta]) -> list[tuple[str, int]]:
    """Versions per outlet: each copy group counts once, for the outlet of its earliest article."""
    c: Counter[str] = Counter()
    for g in groups:
        first = min(g, key=lambda i: _time_key(meta[i]))
        c[meta[first].outlet] += 1
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def resolve_story_id(store: Any, story_id: str) -> str:
    """A story id as given (any case), followed through recorded merges to the story that holds it now."""
    sid = (story_id or "").strip().upper()
    row = store.conn.execute("SELECT state FROM clusterer_state WHERE id = 1").fetchone()
    merges = {a: k for k, a, _ in (json.loads(row[0]).get("merges", []) if row else [])}
    seen = set()
    while sid in merges and sid not in seen:
        seen.add(sid)
        sid = merges[sid]
    return sid


def _story_record(store: Any, sid: str) -> dict[str, Any] | None:
    r = store.conn.execute(
        "SELECT id, title, first_seen, last_seen, representative_id, entities, storyline_id FROM stories WHERE id = ?",
        (sid,)).fetchone()
    if r is None:
        return None
    ids = [x[0] for x in store.conn.execute(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY seq", (sid,))]
    return {"id": r[0], "title": r[1], "first_seen": r[2], "last_seen": r[3], "representative_id": r[4],
            "entities": json.loads(r[5] or "{}"), "storyline_id": r[6], "article_ids": ids}


def _top_entities(entities: dict[str, Any], n: int = 10) -> list[str]:
    from storyline.stories import story_entities

    return story_entities({"entities": entities}, n)


def _parse_day(value: str, name: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        d = date.fromisoformat(value[:10])
    except ValueError:
        raise UsageError(f"{name} {value!r} is not a date: use YYYY-MM-DD") from None
    return datetime(d.year, d.month, d.day, tzinfo=timezone.utc)


def _iso_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet split into (text, matched) parts (the store marks matches with its markers)."""
    from storyline.store import SNIPPET_CLOSE, SNIPPET_OPEN

    parts = snippet.replace(SNIPPET_CLOSE, SNIPPET_OPEN).split(SNIPPET_OPEN)
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


# --------------------------------------------------------------------------- story list


def story_list(store: Any, *, query: str = "", since: str = "", until: str = "", outlet: str = "",
               min_size: int = 0, page: int = 1) -> StoryList:
    """Stories, most active first (articles, then latest), filtered; with a query, the stories holding
    the best full-text hits, best first."""
    since_dt, until_dt = _parse_day(since, "since"), _parse_day(until, "until")
    stories = store.conn.execute(
        "SELECT id, title, first_seen, last_seen, storyline_id FROM stories").fetchall()
    members: dict[str, list[str]] = {}
    for sid, aid in store.conn.execute("SELECT story_id, article_id FROM story_articles ORDER BY story_id, seq"):
        members.setdefault(sid, []).append(aid)
    rank: dict[str, int] = {}
    snippets: dict[str, str] = {}
    if query.strip():
        hits = store.search(query, limit=SEARCH_LIMIT)
        story_of = {}
        hit_ids = [h.article.id for h in hits]
        for chunk in _chunks(hit_ids):
            story_of.update(store.conn.execute(
                f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({_marks(len(chunk))})",
                list(chunk)).fetchall())
        for i, h in enumerate(hits):
            sid = story_of.get(h.article.id)
            if sid is not None and sid not in rank:
                rank[sid] = i
                snippets[sid] = h.snippet
        stories = [s for s in stories if s[0] in rank]
    if since_dt is not None:
        stories = [s for s in stories if not s[3] or _iso_dt(s[3]) >= since_dt]
    if until_dt is not None:  # started before the end of that day
        end = until_dt.timestamp() + 86400
        stories = [s for s in stories if not s[2] or _iso_dt(s[2]).timestamp() < end]
    all_ids = [a for s in stories for a in members.get(s[0], [])]
    meta = article_meta(store, all_ids)
    copy_links = []
    for chunk in _chunks(all_ids):
        copy_links += [{"a": a, "b": b, "kind": k} for a, b, k in store.conn.execute(
            f"SELECT a, b, kind FROM reuse_links WHERE kind IN ({_marks(len(COPY_KINDS))}) "
            f"AND a IN ({_marks(len(chunk))})", [*COPY_KINDS, *chunk])]
    want = outlet.strip().lower()
    rows = []
    for sid, title, first, last, line in stories:
        ids = [i for i in members.get(sid, []) if i in meta]
        if want and not any(want in ((meta[i].source_key or "").lower(), (meta[i].source or "").lower()) for i in ids):
            continue
        groups = fold_groups(ids, copy_links)
        if len(groups) < min_size:
            continue
        rows.append(StoryRow(sid, title, first, last, len(ids), len(groups), folded_outlets(groups, meta), line,
                             snippet_parts(snippets[sid]) if sid in snippets else []))
    if rank:
        rows.sort(key=lambda r: (rank[r.id], r.id))
    else:
        rows.sort(key=lambda r: (-r.articles, -(_iso_dt(r.last_seen).timestamp() if r.last_seen else -math.inf), r.id))
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(1, page), pages)
    return StoryList(rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], len(rows), page, pages, query, since, until,
                     outlet, min_size, store.sources())


# --------------------------------------------------------------------------- story page


def closest_kind(kinds: Iterable[str]) -> str:
    ks = sorted(set(kinds), key=lambda k: LINK_ORDER.index(k) if k in LINK_ORDER else len(LINK_ORDER))
    return ks[0] if ks else "independent"


def story_page(store: Any, story_id: str, *, comparisons: dict[str, dict[str, Any]] | None = None) -> StoryPage:
    """A story's page; ``comparisons`` (records by article id) stand in for the store's cache."""
    sid = resolve_story_id(store, story_id)
    rec = _story_record(store, sid)
    if rec is None:
        raise NotFoundError(f"no story {story_id!r}: see the story list (or `storyline stories`)")
    meta = article_meta(store, rec["article_ids"])
    ids = sorted(meta, key=lambda i: _time_key(meta[i]))
    links = links_among(store, ids)
    ids = _sources_first(ids, links, {i: _time_key(meta[i])[:2] for i in ids})
    groups = fold_groups(ids, links)
    group_of = {i: gi + 1 for gi, g in enumerate(sorted(groups, key=lambda g: min(_time_key(meta[i]) for i in g)))
                for i in g}
    size_of = {i: len(g) for g in groups for i in g}
    kinds: dict[str, list[str]] = {i: [] for i in ids}
    for ln in links:
        kinds[ln["a"]].append(ln["kind"])
        kinds[ln["b"]].append(ln["kind"])
    timeline = [TimelineRow(n + 1, meta[i], closest_kind(kinds[i]), group_of[i], size_of[i]) for n, i in enumerate(ids)]
    quotes = store.quotes(ids)
    framing = story_framing(store, sid, timeline, quotes, given=comparisons)
    pair = side_by_side_pair(rec["representative_id"], links, framing)
    side = None
    if pair is not None:
        try:
            side = compare_page(store, pair[0], pair[1], align_missing=False)
        except NotFoundError:
            side = None
    return StoryPage(
        id=sid, title=rec["title"], first_seen=rec["first_seen"], last_seen=rec["last_seen"],
        representative_id=rec["representative_id"], entities=_top_entities(rec["entities"]),
        outlets=folded_outlets(groups, meta), versions=len(groups), storyline_id=rec["storyline_id"],
        timeline=timeline, graph=provenance_graph(timeline, links), neighbours=storyline_neighbours(store, rec),
        link_counts=sorted(Counter(ln["kind"] for ln in links).items(),
                           key=lambda kv: LINK_ORDER.index(kv[0]) if kv[0] in LINK_ORDER else 99),
        quotes_by_speaker=quotes_by_speaker(store, ids, meta, quotes=quotes), matrix=claims_matrix(store, ids, meta),
        framing=framing, side_by_side=side,
    )


def _outlet(m: ArticleMeta) -> str:
    return m.source or m.source_key or m.id[:8]


def quotes_by_speaker(store: Any, ids: Sequence[str], meta: dict[str, ArticleMeta],
                      speakers: int = 12, per_speaker: int = 6, *, quotes: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """The story's quotes by named speaker (most quoted first): one entry per quote group (or per
    ungrouped quote) with the outlets that carry it (``quotes``: the story's, when already read) and
    whether its text is the speaker's own words (``verbatim``: a direct or partial quote) or the
    writer's report of them (indirect or mixed), which a page must not put in quotation marks."""
    by: dict[str, dict[str, dict[str, Any]]] = {}
    for q in (store.quotes(ids) if quotes is None else quotes):
        if not q.speaker:
            continue
        key = q.group_id or q.id
        entry = by.setdefault(q.speaker, {}).setdefault(key, {"text": q.text, "kind": q.kind, "outlets": set(), "n": 0})
        if len(q.text) > len(entry["text"]) and q.kind == "direct":
            entry["text"], entry["kind"] = q.text, q.kind
        entry["outlets"].add(_outlet(meta[q.article_id]) if q.article_id in meta else q.article_id[:8])
        entry["n"] += 1
    ranked = sorted(by.items(), key=lambda kv: (-sum(e["n"] for e in kv[1].values()), kv[0]))[:speakers]
    return [{"speaker": sp, "quotes": [{"text": e["text"], "verbatim": e["kind"] in ("direct", "partial"),
                                        "outlets": sorted(e["outlets"])}
                                       for e in sorted(qs.values(), key=lambda e: (-e["n"], e["text"]))[:per_speaker]]}
            for sp, qs in ranked]


def claims_matrix(store: Any, ids: Sequence[str], meta: dict[str, ArticleMeta], limit: int = 15) -> dict[str, Any] | None:
    """Claims x the story's articles: each cell the article's stances (asserts / reports / denies /
    disputes, with the holder); None when the story has no claims."""
    from storyline.nlp.claims import rank_claims

    cls = rank_claims(store.claims(ids), ids)[:limit]
    if not cls:
        return None
    columns = [f"{meta[i].source or meta[i].source_key} · {i[:8]}" if (meta[i].source or meta[i].source_key)
               else i[:8] for i in ids]
    strongest = ("denies", "disputes", "reports", "asserts")  # the cell's colour: a denial shows first
    rows = []
    for c in cls:
        cells = []
        for i in ids:
            here = [st for st in c.stances if st.article_id == i]
            text = "; ".join(st.stance + (f" ({st.holder})" if st.holder and st.stance != "asserts" else "")
                             + (f" ≠ {', '.join(fig)}" if (fig := c.differing_figures(st)) else "")
                             for st in here)
            kinds = {st.stance for st in here}
            cells.append({"stance": next((k for k in strongest if k in kinds), "none"), "text": text,
                          "tip": text or "not carried"})
        label = c.text if len(c.text) <= 160 else c.text[:157] + "..."
        rows.append({"label": label + (f" — {c.holder}" if c.holder else ""), "cells": cells})
    return {"columns": columns, "rows": rows}


def storyline_neighbours(store: Any, rec: dict[str, Any], max_members: int = 12) -> list[Neighbour]:
    """The other stories of this story's storyline, in time order, with the direct link's evidence
    and their first ``max_members`` articles."""
    line = rec["storyline_id"]
    if not line:
        return []
    rows = store.conn.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, count(sa.article_id) FROM stories s "
        "LEFT JOIN story_articles sa ON sa.story_id = s.id WHERE s.storyline_id = ? AND s.id != ? GROUP BY s.id",
        (line, rec["id"])).fetchall()
    ev: dict[str, dict[str, Any]] = {}
    for a, b, e in store.conn.execute(
            "SELECT from_story, to_story, evidence FROM storyline_links WHERE from_story = ? OR to_story = ?",
            (rec["id"], rec["id"])):
        ev[b if a == rec["id"] else a] = json.loads(e)
    mine = _iso_dt(rec["first_seen"])
    members: dict[str, list[str]] = {}
    for chunk in _chunks([r[0] for r in rows]):
        for sid, aid in store.conn.execute(
                f"SELECT story_id, article_id FROM story_articles WHERE story_id IN ({_marks(len(chunk))}) ORDER BY seq",
                list(chunk)):
            members.setdefault(sid, []).append(aid)
    meta = article_meta(store, [a for ids in members.values() for a in ids])
    out = []
    for sid, title, first, last, n in rows:
        theirs = _iso_dt(first)
        rel = "undated" if mine is None or theirs is None else "same time" if theirs == mine else (
            "earlier" if theirs < mine else "later")
        e = ev.get(sid, {})
        gap = e.get("gap_days")
        out.append(Neighbour(sid, title, first, last, int(n), rel, list(e.get("shared_entities", [])),
                             "" if not e else ("undated" if gap is None else f"{gap:g} days"),
                             e.get("similarity") if e else None))
        mem = sorted((meta[a] for a in members.get(sid, []) if a in meta), key=_time_key)
        out[-1].members, out[-1].more = mem[:max_members], max(0, len(mem) - max_members)
    out.sort(key=lambda nb: (_iso_dt(nb.first_seen) is None,
                             _iso_dt(nb.first_seen).timestamp() if nb.first_seen else 0.0, nb.id))
    return out


def provenance_graph(timeline: Sequence[TimelineRow], links: Sequence[dict[str, Any]]) -> Graph:
    """Lay out a story's articles and links for an SVG: one lane per outlet (rows), time order across
    (columns); a link is an arc, with an arrow from source to copy when its direction is known."""
    lane_h, left, top, r = 54.0, 150.0, 40.0, 11.0
    col_w = max(34.0, min(110.0, 760.0 / max(1, len(timeline))))  # small stories spread out, large ones scroll
    lanes_order: list[str] = []
    for t in timeline:
        if t.article.outlet not in lanes_order:
            lanes_order.append(t.article.outlet)
    lane_y = {o: top + i * lane_h for i, o in enumerate(lanes_order)}
    pos: dict[str, tuple[float, float]] = {}
    nodes = []
    for t in timeline:
        x, y = left + (t.n - 1) * col_w + col_w / 2, lane_y[t.article.outlet]
        pos[t.article.id] = (x, y)
        nodes.append(GraphNode(t.n, t.article.id, x, y, str(t.n),
                               f"#{t.n} {t.article.outlet}, {t.article.day}: {t.article.title or '(untitled)'}"))
    drawn = list(links)
    hidden = 0
    if len(drawn) > MAX_GRAPH_EDGES:  # keep each article's strongest link
        best: dict[str, dict[str, Any]] = {}
        for ln in drawn:
            s = float(ln["scores"].get("aligned_share", 0.0))
            for end in (ln["a"], ln["b"]):
                if end not in best or s > float(best[end]["scores"].get("aligned_share", 0.0)):
                    best[end] = ln
        keep = {(ln["a"], ln["b"]) for ln in best.values()}
        hidden = len(drawn) - len(keep)
        drawn = [ln for ln in drawn if (ln["a"], ln["b"]) in keep]
    n_of = {t.article.id: t.n for t in timeline}
    edges = []
    for ln in drawn:
        src, dst, directed = ln["a"], ln["b"], False
        if ln["direction"] == "b->a":
            src, dst, directed = ln["b"], ln["a"], True
        elif ln["direction"] == "a->b":
            directed = True
        elif n_of[src] > n_of[dst]:
            src, dst = dst, src
        (x1, y1), (x2, y2) = pos[src], pos[dst]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1.0
        bend = min(0.35 * dist, 90.0)  # arc above the chord, so links in one lane stay apart
        cx, cy = (x1 + x2) / 2 + dy / dist * bend * 0.3, (y1 + y2) / 2 - bend
        # stop at the nodes' rims (the arrow tip touches the copy)
        def rim(px: float, py: float) -> tuple[float, float]:
            vx, vy = cx - px, cy - py
            d = math.hypot(vx, vy) or 1.0
            return px + vx / d * (r + 2), py + vy / d * (r + 2)
        (sx, sy), (ex, ey) = rim(x1, y1), rim(x2, y2)
        sc = ln["scores"]
        cov = ""
        if "containment_a" in sc and "containment_b" in sc:
            cov = f"; shared text covers {sc['containment_a']:.0%} of #{n_of[ln['a']]} and {sc['containment_b']:.0%} of #{n_of[ln['b']]}"
        how = f"#{n_of[src]} → #{n_of[dst]}" if directed else f"#{n_of[src]} — #{n_of[dst]} (direction unknown)"
        edges.append(GraphEdge(src, dst, ln["kind"], directed,
                               f"M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}", f"{ln['kind']}: {how}{cov}"))
    width = int(left + max(1, len(timeline)) * col_w + 20)
    height = int(top + max(1, len(lanes_order)) * lane_h)
    kinds = sorted({e.kind for e in edges}, key=lambda k: LINK_ORDER.index(k) if k in LINK_ORDER else 99)
    return Graph(width, height, nodes, edges, [(y, o) for o, y in lane_y.items()], kinds, hidden, r)


# --------------------------------------------------------------------------- comparisons


#: ``comparisons=FRESH``: the caller has just checked that the story's cached comparison is fresh
#: (``compare.is_fresh``), so the view reads the cached rows without computing the key again.
FRESH: dict[str, dict[str, Any]] = {}


def story_comparisons(store: Any, sid: str, article_id: str | None = None, *,
                      fields: Sequence[str] = ("additions", "omissions", "loaded_terms", "shared", "extra"),
                      given: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]] | None:
    """The story's comparison records by article id (see :func:`storyline.compare.cached_comparisons`):
    ``given`` when the caller computed them (the report over a read-only store), else the cache's
    (``given`` is :data:`FRESH`: read without checking the key again); None when the cache holds no
    fresh run."""
    if given is FRESH:
        recs = store.stored_comparisons(sid, article_id, fields=fields) if store.comparison_run(sid) else None
    elif given is not None:
        return {k: v for k, v in given.items() if article_id is None or k == article_id}
    else:
        from storyline.compare import cached_comparisons

        recs = cached_comparisons(store, sid, article_id, fields=fields)
    return None if recs is None else {r["article_id"]: r for r in recs}


def _version_label(m: ArticleMeta) -> str:
    """A version named for a reader: its outlet, or its headline's start when the outlet is unknown."""
    if m.source:
        return m.source
    title = (m.title or "").strip()
    return f"“{title[:40]}…”" if len(title) > 40 else (f"“{title}”" if title else m.id[:8])


def addition_reason(kind: str, ev: dict[str, Any]) -> str:
    """Why a paragraph got its kind, in words, from the comparison's evidence."""
    cov = f"{ev.get('coverage', 0):.0%} of it found in other versions"
    if ev.get("heading_of") is not None and kind != "commentary":
        return f"{kind.replace('_', ' ')}: the heading of the paragraph after it"
    if kind == "commentary":
        if ev.get("section"):
            return "commentary: in a section under a commentary heading (conclusion, implications, editor's note, ...)"
        if ev.get("generic"):
            return (f"commentary: a generic remark (cosine {ev.get('centroid_cosine', 0):.2f} to the story, and it "
                    "names no person, place, number or quotation)")
        return (f"commentary: {ev.get('evaluative', 0)} evaluative word(s), {ev.get('second_person', 0)} second-person, "
                f"{ev.get('biased_sentences', 0)} loaded sentence(s) against {ev.get('specifics', 0)} specific(s)")
    keys = ", ".join(ev.get("key_entities") or []) or "none"
    if kind == "off_topic":
        return (f"off topic: cosine {ev.get('centroid_cosine', 0):.2f} to the story, key entities named: {keys}, "
                f"{cov}")
    return f"new fact: about the story (cosine {ev.get('centroid_cosine', 0):.2f}, key entities: {keys}), {cov}"


_HEAD_WORD = re.compile(r"[^\W_](?:[\w’'\-]|\.(?=\w))*")
_FUNCTION_WORDS = frozenset("""a an the of in on at to for from by with and or but as is are was were be been has have had
it its this that these those he she they his her their we our you your i not no into over after before about than
s""".split())


@lru_cache(maxsize=65536)
def _head_norm(word: str) -> str:
    """A headline word for comparison: lower case, no dots ("U.S." = "US"), no possessive, no plural s."""
    w = re.sub(r"['’]s$", "", word.lower().replace(".", ""))
    return w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w


def _head_words(title: str) -> set[str]:
    return {_head_norm(w) for w in _HEAD_WORD.findall(title)} - _FUNCTION_WORDS


def headline_parts(title: str, used_elsewhere: Any, loaded: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """A headline as (text, mark) parts: ``loaded`` for its loaded terms (offsets into the stripped
    title), ``distinct`` for content words that no other version's headline uses (``used_elsewhere(w)``
    tells whether another headline has the normalised word ``w``; None: no other headline to compare)."""
    title = title.strip()
    if not title:
        return []
    marks: list[tuple[int, int, str]] = [(int(t["start"]), int(t["end"]), "loaded") for t in loaded
                                         if 0 <= int(t["start"]) < int(t["end"]) <= len(title)]
    if used_elsewhere is not None:
        loaded_spans = [(a, b) for a, b, _ in marks]
        for m in _HEAD_WORD.finditer(title):
            w = _head_norm(m.group())
            if w in _FUNCTION_WORDS or used_elsewhere(w):
                continue
            if loaded_spans and any(a < m.end() and b > m.start() for a, b in loaded_spans):
                continue
            marks.append((m.start(), m.end(), "distinct"))
    marks.sort()
    out: list[tuple[str, str]] = []
    pos = 0
    for a, b, kind in marks:
        if a < pos:
            continue
        if a > pos:
            out.append((title[pos:a], ""))
        out.append((title[a:b], kind))
        pos = b
    if pos < len(title):
        out.append((title[pos:], ""))
    return out


def story_framing(store: Any, sid: str, timeline: Sequence[TimelineRow], quotes: Sequence[Any],
                  given: dict[str, dict[str, Any]] | None = None, max_terms: int = 40) -> Framing | None:
    """The framing comparison of a story's versions from its cached comparison (None without one):
    per version its additions and omissions by kind, headline (distinct and loaded words marked),
    labels applied to actors and other loaded terms, and its selection of quotes; and the story's
    loaded terms with the versions that use each."""
    recs = story_comparisons(store, sid, fields=("loaded_terms", "extra"), given=given)
    if not recs:
        return None
    rows = [t for t in timeline if t.article.id in recs]
    head_words = {t.article.id: _head_words(t.article.title or "") for t in rows}
    word_versions: Counter[str] = Counter(w for ws in head_words.values() for w in ws)  # headlines using each word
    carriers: dict[str, set[str]] = {}
    for q in quotes:
        if q.group_id:
            carriers.setdefault(q.group_id, set()).add(q.article_id)
    by_article: dict[str, list[Any]] = {}
    for q in quotes:
        by_article.setdefault(q.article_id, []).append(q)
    terms: dict[tuple[str, str], dict[str, Any]] = {}
    versions = []
    for t in rows:
        rec = recs[t.article.id]
        extra = rec.get("extra") or {}
        counts = extra.get("counts") or {}
        labels: list[str] = []
        loaded: Counter[str] = Counter()
        for lt in rec.get("loaded_terms", []):
            key = (lt["text"].lower(), lt["kind"])
            entry = terms.setdefault(key, {"text": lt["text"], "kind": lt["kind"], "ns": {}, "outlets": {}})
            entry["ns"][t.n] = None  # dicts as ordered sets
            entry["outlets"][t.article.outlet] = None
            if lt["kind"] == "actor_label":
                if lt["text"] not in labels:
                    labels.append(lt["text"])
            else:
                loaded[lt["text"].lower()] += 1
        qs = by_article.get(t.article.id, [])
        speakers = Counter(q.speaker for q in qs if q.speaker)
        own = sum(1 for q in qs if not q.group_id or carriers.get(q.group_id, set()) <= {t.article.id})
        mine = head_words[t.article.id]
        used = None if len(rows) < 2 else (lambda w, mine=mine: word_versions[w] > (1 if w in mine else 0))
        versions.append(VersionFraming(
            n=t.n, article=t.article, shared=int(counts.get("shared", 0)),
            additions={k: int((counts.get("additions") or {}).get(k, 0)) for k in ADDITION_KINDS},
            omissions={k: int((counts.get("omissions") or {}).get(k, 0)) for k in OMISSION_KINDS},
            headline=headline_parts(t.article.title or "", used, extra.get("headline_terms") or []),
            labels=labels, loaded=sorted(loaded.items(), key=lambda kv: (-kv[1], kv[0]))[:8],
            quotes=len(qs), speakers=sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))[:6], own_quotes=own))
    for e in terms.values():
        e["ns"], e["outlets"] = list(e["ns"]), list(e["outlets"])
    ranked = sorted(terms.values(), key=lambda e: (e["kind"] != "actor_label", -len(e["ns"]), e["text"].lower()))
    run = store.comparison_run(sid) if not given else None
    return Framing(versions, ranked[:max_terms], run["computed_at"] if run else None)


def side_by_side_pair(rep: str | None, links: Sequence[dict[str, Any]], framing: Framing | None) -> tuple[str, str] | None:
    """The pair the story page shows side by side: the representative article and, of the versions
    with a stored link to it, the one with the most material of its own (else the first linked); any
    stored link when the representative has none. None without links."""
    own = {v.article.id: sum(v.additions.values()) for v in framing.versions} if framing else {}
    mine = [ln for ln in links if rep in (ln["a"], ln["b"])]
    if rep and mine:
        others = [ln["b"] if ln["a"] == rep else ln["a"] for ln in mine]
        return rep, max(others, key=lambda i: (own.get(i, 0), -others.index(i)))
    if links:
        return links[0]["a"], links[0]["b"]
    return None


# --------------------------------------------------------------------------- article page


def _clean_pieces(a: Article) -> list[tuple[int, int, int]] | None:
    """(clean start, clean end, raw start) of each line of the clean text, found in order in the raw
    text (the cleaner keeps whole stripped lines or parts of them); None when they cannot be found."""
    out = []
    cur = pos = 0
    for line in a.text.split("\n"):
        if line.strip():
            r = a.raw_text.find(line, cur)
            if r < 0:
                return None
            out.append((pos, pos + len(line), r))
            cur = r + len(line)
        pos += len(line) + 1
    return out


def _role_runs(text: str, start: int, end: int, marks: Sequence[tuple[int, int, str, str, str]]) -> list[Segment]:
    """Split ``text[start:end]`` at mark boundaries; each run carries the roles, classes and labels of
    the marks covering it."""
    cuts = {start, end}
    for s, e, *_ in marks:
        if e > start and s < end:
            cuts.add(max(s, start))
            cuts.add(min(e, end))
    bounds = sorted(cuts)
    out = []
    for s, e in zip(bounds, bounds[1:]):
        cover = [m for m in marks if m[0] <= s and m[1] >= e]
        roles = tuple(sorted({m[2] for m in cover}))
        css = " ".join(sorted({f"role-{m[2]}" for m in cover} | {m[3] for m in cover if m[3]}))
        tip = "; ".join(dict.fromkeys(m[4] for m in cover))
        out.append(Segment(text[s:e], roles=roles, css=css, tip=tip))
    return out


def text_segments(a: Article, marks: Sequence[tuple[int, int, str, str, str]]) -> list[Segment]:
    """The article's text in reading order: kept text split by marks (clean-text spans: start, end,
    role, extra class, label) and removed boilerplate where it stood in the original, with its reason.
    When the clean lines cannot be placed in the original, the clean text comes first and the removals
    after it."""
    pieces = _clean_pieces(a)
    removed = sorted(a.removed, key=lambda r: (r.start, r.end))
    segs: list[Segment] = []

    def removal(rm: Any) -> Segment:
        return Segment(rm.text, removed=True, roles=("removed",), css="removed",
                       tip=f"removed as {rm.reason.replace('_', ' ')}")

    if pieces is None:
        segs += _role_runs(a.text, 0, len(a.text), marks)
        for rm in removed:
            segs += [Segment("\n\n"), removal(rm)]
        return segs
    events: list[tuple[int, int, Any]] = [(p[2], 1, p) for p in pieces] + [(rm.start, 0, rm) for rm in removed]
    events.sort(key=lambda e: (e[0], e[1]))
    next_start = {p[0]: (pieces[i + 1][0] if i + 1 < len(pieces) else len(a.text)) for i, p in enumerate(pieces)}
    for _, is_piece, item in events:
        if is_piece:
            cs, ce, _r = item
            segs += _role_runs(a.text, cs, ce, marks)
            sep = a.text[ce:next_start[cs]]
            if sep:
                segs.append(Segment(sep))
        else:
            if segs and not segs[-1].text.endswith("\n"):
                segs.append(Segment("\n"))
            segs += [removal(item), Segment("\n")]
    return segs


def article_page(store: Any, article_id: str, *, comparisons: dict[str, dict[str, Any]] | None = None) -> ArticlePage:
    """An article's page; ``comparisons`` (its story's records by article id) stand in for the cache."""
    a = store.get_article(article_id)
    links = store.reuse_links(a.id)
    others = article_meta(store, [ln["b"] if ln["a"] == a.id else ln["a"] for ln in links])
    marks: list[tuple[int, int, str, str, str]] = []
    rows = []
    for ln in links:
        mine, theirs = ("a", "b") if ln["a"] == a.id else ("b", "a")
        o = others.get(ln[theirs])
        if o is None:
            continue
        d = ln["direction"]
        direction = "unknown" if not d else ("this → other" if d == f"{mine}->{theirs}" else "other → this")
        sc = ln["scores"]
        rows.append(LinkRow(o, ln["kind"], direction, sc.get(f"containment_{mine}"), sc.get(f"containment_{theirs}"),
                            len(ln["passages"])))
        for p in ln["passages"]:
            marks.append((p[f"{mine}_start"], p[f"{mine}_end"], "shared", f"match-{p['match']}",
                          f"shared with {o.outlet} ({ln['kind']}, {p['match']})"))
    rows.sort(key=lambda r: (LINK_ORDER.index(r.kind) if r.kind in LINK_ORDER else 99, -(r.coverage_this or 0), r.other.id))
    story = store.conn.execute(
        "SELECT s.id, s.title FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE sa.article_id = ?",
        (a.id,)).fetchone()
    comp = None
    versions = 0
    if story is not None:
        recs = story_comparisons(store, story[0], a.id, given=comparisons)
        if recs:
            versions = len(comparisons) if comparisons else store.comparison_run(story[0])["versions"]
            comp = recs.get(a.id)
    additions: list[dict[str, Any]] = []
    omissions: list[dict[str, Any]] = []
    loaded: list[dict[str, Any]] = []
    n = len(a.text)
    if comp is not None:
        for p in comp.get("shared", []):
            ev = p.get("evidence") or {}
            marks.append((p["start"], p["end"], "shared", "match-similar",
                          f"shared: {ev.get('coverage', 0):.0%} of the paragraph found in other versions"))
        for ad in comp.get("additions", []):
            if not (0 <= ad["start"] < ad["end"] <= n):
                continue
            reason = addition_reason(ad["kind"], ad.get("evidence") or {})
            marks.append((ad["start"], ad["end"], ad["kind"], "", reason))
            additions.append({"start": ad["start"], "end": ad["end"], "text": ad["text"], "kind": ad["kind"],
                              "reason": reason})
        ref_meta = article_meta(store, {i for o in comp.get("omissions", []) for i in o["ref"].get("carried_by", [])}
                                | {o["ref"]["article_id"] for o in comp.get("omissions", [])})
        for o in sorted(comp.get("omissions", []), key=lambda o: OMISSION_KINDS.index(o["kind"])
                        if o["kind"] in OMISSION_KINDS else 99):
            ref = o["ref"]
            carried = [(i, _version_label(ref_meta[i]) if i in ref_meta else i[:8]) for i in ref.get("carried_by", [])]
            omissions.append({"kind": o["kind"], "text": o["text"], "carried_by": carried,
                              "speaker": ref.get("speaker"), "ref_id": ref["article_id"],
                              "ref_outlet": _version_label(ref_meta[ref["article_id"]]) if ref["article_id"] in ref_meta
                              else ref["article_id"][:8]})
        grouped: dict[tuple[str, str], dict[str, Any]] = {}
        for lt in comp.get("loaded_terms", []):
            if 0 <= lt["start"] < lt["end"] <= n:
                kind = lt["kind"].replace("_", " ")
                marks.append((lt["start"], lt["end"], "loaded", f"lt-{lt['kind']}", f"loaded term ({kind})"))
            e = grouped.setdefault((lt["text"].lower(), lt["kind"]), {"text": lt["text"], "kind": lt["kind"], "n": 0})
            e["n"] += 1
        loaded = sorted(grouped.values(), key=lambda e: (e["kind"] != "actor_label", -e["n"], e["text"].lower()))
    quotes = []
    for q in store.quotes([a.id]):
        tip = "quote" + (f" of {q.speaker}" if q.speaker else "") + (f" ({q.cue})" if q.cue else "")
        if 0 <= q.start < q.end <= n:
            marks.append((q.start, q.end, "quote", "", tip))
        quotes.append({"text": q.text, "speaker": q.speaker or "", "kind": q.kind, "cue": q.cue or ""})
    # a span shared with several versions shows its best match kind
    segs = text_segments(a, marks)
    for s in segs:
        if "match-" in s.css:
            best = next(m for m in MATCH_ORDER if f"match-{m}" in s.css)
            s.css = " ".join([c for c in s.css.split() if not c.startswith("match-")] + [f"match-{best}"])
    shared = sum(len(s.text) for s in segs if "shared" in s.roles)
    counts = Counter(r.reason for r in a.removed)
    present = {r for s in segs for r in s.roles}
    roles = [r for r in ROLE_HELP if r in present]
    add_counts = Counter(ad["kind"] for ad in additions)
    return ArticlePage(
        id=a.id, title=a.title, source=a.source, byline=a.byline,
        published_at=a.published_at.isoformat() if a.published_at else None, language=a.language,
        input_kind=a.input_kind, location=a.location, safe_url=safe_url(a.url), segments=segs,
        removal_counts=sorted(counts.items()), links=rows, story=(story[0], story[1]) if story else None,
        shared_share=shared / len(a.text) if a.text else 0.0, roles=roles, quotes=quotes, additions=additions,
        addition_counts=[(k, add_counts[k]) for k in ADDITION_KINDS if add_counts[k]], omissions=omissions,
        loaded_terms=loaded, versions=versions,
    )


# --------------------------------------------------------------------------- side by side


def _word_diff(a: str, b: str) -> tuple[list[DiffPart], list[DiffPart]]:
    """Both texts as parts, the words that differ marked as changed."""
    ta, tb = re.findall(r"\S+|\s+", a), re.findall(r"\S+|\s+", b)
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    pa: list[DiffPart] = []
    pb: list[DiffPart] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        same = op == "equal"
        if i2 > i1:
            pa.append(DiffPart("".join(ta[i1:i2]), not same))
        if j2 > j1:
            pb.append(DiffPart("".join(tb[j1:j2]), not same))
    return pa, pb


def pair_passages(store: Any, a: Article, b: Article) -> tuple[list[dict[str, Any]], str, str | None, bool]:
    """The aligned passages of two articles, seen as (a, b): the stored link's, sides swapped when it
    is stored as (b, a); else aligned now. Returns (passages, kind, direction, stored)."""
    lo, hi = sorted([a.id, b.id])
    stored = [ln for ln in store.reuse_links(a.id) if (ln["a"], ln["b"]) == (lo, hi)]
    if stored:
        link = stored[0]
        passages, direction = link["passages"], link["direction"]
        if a.id != lo:
            passages = [{"a_start": p["b_start"], "a_end": p["b_end"], "b_start": p["a_start"], "b_end": p["a_end"],
                         "similarity": p["similarity"], "match": p["match"]} for p in passages]
            direction = {"a->b": "b->a", "b->a": "a->b"}.get(direction or "")
        return passages, link["kind"], direction, True
    from storyline.reuse.align import align

    return [p._asdict() for p in align(a.text, a.sentences, b.text, b.sentences)], "no link", None, False


def compare_page(store: Any, a_id: str, b_id: str, *, align_missing: bool = True) -> ComparePage:
    """Two versions side by side: rows as ``storyline diff`` builds them (aligned passages in the
    first's order, its unaligned text as missing, the second's as added), changed words marked."""
    from storyline.cli import diff_rows

    if not a_id or not b_id:
        raise UsageError("give two articles to compare: ?a=<id>&b=<id>")
    a, b = store.get_article(a_id), store.get_article(b_id)
    if a.id == b.id:
        raise UsageError("give two different articles to compare")
    lo, hi = sorted([a.id, b.id])
    if not align_missing and not store.conn.execute(
            "SELECT 1 FROM reuse_links WHERE a = ? AND b = ?", (lo, hi)).fetchone():
        raise NotFoundError(f"{a.id} and {b.id} have no stored reuse link")
    passages, kind, direction, stored = pair_passages(store, a, b)
    rows = []
    for m, ta, tb in diff_rows(a.text, b.text, passages):
        if m == "changed" and ta and tb:  # a paraphrase differs everywhere: marking its words is noise
            pa, pb = _word_diff(ta, tb)
        else:
            pa = [DiffPart(ta, False)] if ta else []
            pb = [DiffPart(tb, False)] if tb else []
        rows.append(CompareRow(m, pa, pb))
    meta = article_meta(store, [a.id, b.id])
    counts = Counter(r.kind for r in rows)
    order = ("exact", "paraphrase", "changed", "missing", "added")
    return ComparePage(meta[a.id], meta[b.id], kind,
                       {"a->b": "first → second", "b->a": "second → first"}.get(direction or "", "direction unknown"),
                       rows, [(k, counts[k]) for k in order if counts[k]], stored)
