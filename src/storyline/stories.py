"""The stories stage: put newly stored articles in stories and relink storylines.

:func:`assign_new_articles` (run by :class:`storyline.pipeline.Pipeline` after the reuse stage when
stories are on) takes every ok article not yet in a story and:

1. restores the :class:`~storyline.cluster.StoryClusterer` from the store (stories with their running
   vector sums, times and entity counts; next id, merges, stream clock and entity frequencies from
   ``clusterer_state``), so existing stories keep their ids and new ones continue the numbering;
2. gets one vector per new article: title + lead (:func:`article_head`), embedded in one pass and
   cached under ``vectors`` kind ``doc``, model ``"<encoder>+head"`` (the lead names the event; the
   mean of all sentence vectors, which the reuse stage caches, blurs an event into its subject);
3. assigns them in published order (undated last, ties by id). A copy found by the reuse stage
   (``duplicate``, ``near_duplicate`` or ``partial_reuse`` link) to an article already in a story goes
   into that story, whatever the similarity, unless it was published more than the clusterer's
   ``window_days`` away from the story's dates (a republication months later is a later chapter; it
   is then assigned like any article, and storylines link it);
   Before that, stories holding an article re-cleaned since it was assigned (``update_clean_many``
   drops its cached vectors: :func:`stale_members`) are recomputed from their members' current texts
   (:meth:`StoryClusterer.rebuild`, same id and order); a re-cleaned member that no longer clears the
   bar for its story without it is assigned again with the new articles;
4. runs :meth:`StoryClusterer.maintain` (merges and re-homing of small stories, recorded so an
   absorbed id still resolves), cuts the changed stories that drifted in two
   (:func:`split_drifted`: the earlier part keeps the id, the later gets a new one), relinks
   storylines over all stories (:func:`link_storylines`, :func:`build_storylines`) and writes the
   changed stories, the storylines with their evidence and the clusterer state in one transaction.

A story's title is the headline of its representative article, the member closest to the centroid.
Re-adding stored articles finds nothing to assign and writes nothing.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Sequence

import numpy as np

from storyline.cluster import (
    Split, Story, StoryClusterer, _to_days, _to_dt, build_storylines, extract_entities, link_storylines,
)
from storyline.model import Article

logger = logging.getLogger(__name__)

#: Reuse link kinds whose two articles always share a story (a translation is its original's story).
COPY_KINDS = ("duplicate", "near_duplicate", "partial_reuse", "translation")
#: Key entities kept on a story record.
TOP_ENTITIES = 10


@dataclass
class StoriesReport:
    articles: int = 0
    new_stories: int = 0
    stories: int = 0
    storylines: int = 0
    merges: int = 0
    splits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def head_model(encoder: Any) -> str:
    """The ``vectors.model`` name of an article's title + lead vector (kind ``doc``)."""
    return f"{encoder.name}+head"


def article_vectors(store: Any, encoder: Any, arts: Sequence[Article]) -> dict[str, np.ndarray]:
    """One unit vector per article: title + lead (:func:`storyline.embed.article_head`), cached in the
    store (kind ``doc``, model ``"<encoder>+head"``); the missing ones are embedded in one ``encode``
    call. The lead states the article's main event, which is what tells two reports of one event from
    two events on one subject (the mean of all sentence vectors does not: see docs/architecture.md)."""
    from storyline.embed import article_head

    ids = [a.id for a in arts]
    out = dict(store.get_vectors(ids, "doc", head_model(encoder)))
    missing = [a for a in arts if a.id not in out]
    if missing:
        vecs = encoder.encode([article_head(a) for a in missing])
        new = {a.id: vecs[i] for i, a in enumerate(missing)}
        store.put_vectors(new, "doc", head_model(encoder))
        out.update(new)
    return out


def _order_key(a: Article) -> tuple[int, str, str]:
    t = _to_days(a.published_at)
    return (t is None, f"{t:020.6f}" if t is not None else "", a.id)


def _gap_days(story: Story, a: Article) -> float:
    """Days between an article and a story's time range (0 inside it, or when either is undated)."""
    t = _to_days(a.published_at)
    if t is None or not math.isfinite(story.first_t):
        return 0.0
    return max(story.first_t - t, t - story.last_t, 0.0)


def _days(iso: str | None) -> float:
    if not iso:
        return math.nan
    return _to_days(datetime.fromisoformat(iso))  # type: ignore[return-value]


def restore(store: Any, dim: int) -> StoryClusterer:
    """A clusterer holding every stored story and the saved state."""
    cl = StoryClusterer(dim)
    for rec in store.load_stories():
        first, last = _days(rec["first_seen"]), _days(rec["last_seen"])
        cen = rec["centroid"] if rec["centroid"] is not None else np.zeros(dim, dtype=np.float32)
        s = Story(
            id=rec["id"], seq=int(rec["seq"]), article_ids=list(rec["article_ids"]),
            first_t=first if math.isfinite(first) else math.inf,
            last_t=last if math.isfinite(last) else -math.inf,
            vsum=cen.astype(np.float64) * float(rec["vsum_norm"]), entities=Counter(rec["entities"]),
        )
        cl.restore_story(s)
    cl.load_state(store.load_clusterer_state())
    return cl


def stale_members(store: Any) -> dict[str, set[str]]:
    """Story members without a title + lead vector (of any encoder): articles re-cleaned after they
    were assigned (``Store.update_clean_many`` drops every vector of the old text), by story."""
    out: dict[str, set[str]] = {}
    for sid, aid in store.conn.execute(
        "SELECT sa.story_id, sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "WHERE a.status = 'ok' AND NOT EXISTS (SELECT 1 FROM vectors v WHERE v.article_id = sa.article_id "
        "AND v.kind = 'doc' AND v.model LIKE '%+head')"):
        out.setdefault(sid, set()).add(aid)
    return out


def _originals(store: Any) -> Callable[[str], list[str]]:
    """The articles a stored article copies, rewrites or translates (reuse links with a known
    direction)."""
    return lambda aid: [o for o, _, src in store.reuse_partners(aid) if src == o]


def _copy_partners(store: Any, aid: str) -> list[tuple[str, str | None]]:
    """(other article, which side is the original or None) for each copy link of ``aid``."""
    return [(o, src) for o, kind, src in store.reuse_partners(aid) if kind in COPY_KINDS]


def story_record(story: Story, vecs: dict[str, np.ndarray], arts: dict[str, Article],
                 originals: Callable[[str], list[str]] | None = None) -> dict[str, Any]:
    """The stored form of a story: title from the member closest to the centroid or, when that member
    copies, rewrites or translates another member, from the original (``originals(id)``: the
    articles ``id`` is known to derive from)."""
    cen = story.centroid
    rep = max(story.article_ids, key=lambda i: (float(np.dot(vecs[i], cen)) if i in vecs else -2.0, _neg(i)))
    if originals is not None:
        inside, seen = set(story.article_ids), {rep}
        while up := sorted(o for o in originals(rep) if o in inside and o not in seen):
            rep = up[0]
            seen.add(rep)
    a = arts.get(rep)
    first, last = story.first_seen, story.last_seen
    return {
        "id": story.id, "seq": story.seq, "title": (a.title if a is not None else None) or None,
        "first_seen": first.isoformat() if first else None, "last_seen": last.isoformat() if last else None,
        "representative_id": rep, "entities": dict(story.entities), "centroid": cen,
        "vsum_norm": float(np.linalg.norm(story.vsum)), "article_ids": list(story.article_ids),
    }


def _neg(s: str) -> str:  # ties go to the smaller id
    return "".join(chr(0x10FFFF - ord(c)) for c in s)


def assign_new_articles(store: Any, *, encoder: Any = None) -> StoriesReport:
    """Run the stories stage over articles not yet in a story (see the module doc)."""
    rep = StoriesReport()
    t0 = time.perf_counter()
    assigned = store.story_assigned_ids()
    todo_ids = [i for i in store.ok_ids() if i not in assigned]
    if not todo_ids and not (assigned and stale_members(store)):
        return rep
    if encoder is None:
        from storyline.embed import shared_encoder

        encoder = shared_encoder()
    arts: dict[str, Article] = {i: store.get_article(i) for i in todo_ids}
    new = sorted(arts.values(), key=_order_key)
    vecs = article_vectors(store, encoder, new)
    rep.seconds["vectors"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cl = restore(store, encoder.dim)
    before = {s.id for s in cl.live_stories()}
    touched: set[str] = set()
    # members re-cleaned since they were assigned (their head vector went with the old text): their
    # stories are recomputed from the current texts, and a re-cleaned member that no longer clears the
    # bar for its story without it is assigned again like a new article
    for sid, gone in stale_members(store).items():
        sid = cl.resolve(sid) if sid in cl.stories else None
        if sid is None:
            continue
        ids = list(cl.stories[sid].article_ids)
        for i in ids:
            if i not in arts:
                arts[i] = store.get_article(i)
        vecs.update(article_vectors(store, encoder, [arts[i] for i in ids if i not in vecs]))
        left = cl.rebuild(sid, [(i, vecs[i], arts[i].published_at, extract_entities(arts[i].text, arts[i].title))
                                for i in ids], check=sorted(gone))
        new.extend(arts[i] for i in left)
        touched.add(sid)
    recount = {a.id for a in new if a.id not in todo_ids}
    new.sort(key=_order_key)
    rep.articles = len(new)
    for a in new:
        ents = extract_entities(a.text, a.title)
        home = None
        partners = [(o, src) for o, src in _copy_partners(store, a.id) if o in cl.story_of]
        if partners:  # the original's story when the direction is known, else the earliest assigned
            orig = [o for o, src in partners if src == o]
            home = cl.story_of[(orig or [o for o, _ in partners])[0]]
            if _gap_days(cl.stories[home], a) > cl.window_days:
                home = None  # a copy republished long after its story is a later chapter, not a member
        if home is not None:
            sid = cl.assign_to(home, a.id, vecs[a.id], a.published_at, ents, count=a.id not in recount)
        else:
            sid = cl.assign(a.id, vecs[a.id], a.published_at, ents, count=a.id not in recount)
        touched.add(sid)
    merges = cl.maintain()
    rep.merges = len(merges)
    removed = [m.absorbed for m in merges if m.absorbed in before]
    touched = {cl.resolve(s) for s in touched} | {m.kept for m in merges}
    splits = split_drifted(store, encoder, cl, touched, arts, vecs)
    rep.splits = len(splits)
    touched |= {x.new for x in splits}
    live = cl.live_stories()
    rep.new_stories = len({s.id for s in live} - before)
    rep.stories = len(live)

    links = link_storylines(cl.stories.values())
    lines = build_storylines(list(cl.stories.values()), links)
    storyline_of = {sid: ln.id for ln in lines if len(ln.story_ids) > 1 for sid in ln.story_ids}
    rep.storylines = len({v for v in storyline_of.values()})

    # records of the stories that changed: need every member's vector and the representative's title
    members = sorted({i for sid in touched for i in cl.stories[sid].article_ids})
    need = [i for i in members if i not in arts]
    for i in need:
        arts[i] = store.get_article(i)
    vecs.update(article_vectors(store, encoder, [arts[i] for i in need]) if need else {})
    originals = _originals(store)
    records = [story_record(cl.stories[sid], vecs, arts, originals) for sid in sorted(touched)]
    store.save_stories(records, removed=removed, links=[ln.to_dict() for ln in links],
                       storyline_of=storyline_of, state=cl.state())
    rep.seconds["assign"] = time.perf_counter() - t0
    logger.info("stories: %d articles, %d new stories, %d storylines", rep.articles, rep.new_stories, rep.storylines)
    return rep


#: Stories larger than this are not checked for drift on an add (reading every member's vector would
#: cost more than the add itself); they are checked when they shrink or by a full relink.
SPLIT_CHECK_MAX = 2000


def split_drifted(store: Any, encoder: Any, cl: StoryClusterer, story_ids: Iterable[str],
                  arts: dict[str, Article], vecs: dict[str, np.ndarray]) -> list[Split]:
    """Cut the given stories that drifted (:meth:`StoryClusterer.split`), reading their members'
    cached title + lead vectors; ``arts`` and ``vecs`` are filled as a cache."""
    done = []
    for sid in sorted(story_ids):
        ids = list(cl.stories[sid].article_ids)
        if not 2 * cl.split_min <= len(ids) <= SPLIT_CHECK_MAX:
            continue
        for i in ids:
            if i not in arts:
                arts[i] = store.get_article(i)
        missing = [arts[i] for i in ids if i not in vecs]
        if missing:
            vecs.update(article_vectors(store, encoder, missing))
        x = cl.split(sid, [(i, vecs[i], arts[i].published_at) for i in ids],
                     lambda i: extract_entities(arts[i].text, arts[i].title))
        if x is not None:
            logger.info("story %s drifted: its later %d articles are now %s (cosine %.2f between the parts)",
                        x.kept, len(cl.stories[x.new].article_ids), x.new, x.similarity)
            done.append(x)
    return done


class StoriesStage:
    """The stories stage as an object the pipeline holds (the encoder is loaded on first use)."""

    def __init__(self, encoder: Any = None) -> None:
        self.encoder = encoder

    def run(self, store: Any, encoder: Any = None) -> StoriesReport:
        """``encoder``: one already loaded (the reuse stage's), used when this stage has none;
        without either, the shared encoder is loaded only when some article awaits a story."""
        return assign_new_articles(store, encoder=self.encoder or encoder)


# --------------------------------------------------------------------------- reading stories


def fold_outlets(store: Any, article_ids: Sequence[str], arts: dict[str, Article]) -> dict[str, int]:
    """Articles per outlet with copies folded: a group of duplicate/near-duplicate copies counts once,
    for the outlet of its earliest article."""
    from storyline.reuse.stage import fold_copies

    ids = list(article_ids)
    links = [ln for i in ids for ln in store.reuse_links(i)]
    groups = fold_copies(ids, links)
    out: Counter[str] = Counter()
    for g in groups:
        first = min(g, key=lambda i: _order_key(arts[i]))
        out[arts[first].source or "—"] += 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def story_entities(rec: dict[str, Any], n: int = TOP_ENTITIES) -> list[str]:
    """A story's key entities as shown and exported: the most frequent first, without numbers (the
    clusterer counts "85" and "2023" as entities, a reader does not) and without a single word that
    ends a longer one shown ("kessler" beside "miriam kessler")."""
    ranked = [e for e, _ in sorted(rec["entities"].items(), key=lambda kv: (-kv[1], kv[0]))
              if not e.replace(".", "").isdigit()]
    shown = ranked[:n * 3]  # (the folding looks at the names a reader could see)
    out = [e for e in shown if " " in e or not any(o.endswith(" " + e) for o in shown)]
    return out[:n]


def story_export_records(store: Any) -> list[dict[str, Any]]:
    """The ``stories`` export section, by story id."""
    out = []
    for s in sorted(store.stories(), key=lambda r: r["id"]):
        out.append({
            "id": s["id"], "title": s["title"], "article_ids": list(s["article_ids"]),
            "first_seen": s["first_seen"], "last_seen": s["last_seen"],
            "representative_id": s["representative_id"], "entities": story_entities(s),
            "storyline_id": s["storyline_id"],
        })
    return out


def storyline_export_records(store: Any) -> list[dict[str, Any]]:
    """The ``storylines`` export section, by storyline id; links sorted by (from, to)."""
    by_line: dict[str, list[str]] = {}
    for s in store.stories():
        if s["storyline_id"]:
            by_line.setdefault(s["storyline_id"], []).append(s["id"])
    links = store.storyline_links()
    out = []
    for lid in sorted(by_line):
        ids = sorted(by_line[lid])
        members = set(ids)
        out.append({"id": lid, "story_ids": ids,
                    "links": [ln for ln in links if ln["from"] in members and ln["to"] in members]})
    return out
