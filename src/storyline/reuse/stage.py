"""The reuse stage: link newly stored articles to everything stored before them.

:func:`link_new_articles` (run by :class:`storyline.pipeline.Pipeline` after an ``add`` when reuse is
on) takes the ok articles that have no MinHash signature yet (those just added, and any added earlier
with reuse off), and:

1. loads the persistent :class:`~storyline.reuse.candidates.CandidateIndex` from the stored signatures
   (nothing is shingled again for stored articles), adds the new clean texts (32 bands x 4 rows,
   threshold about 0.5; every LSH candidate is kept, partial reuse can have a low Jaccard);
2. for stores under :data:`EMBED_NEIGHBOUR_LIMIT` articles, adds embedding nearest neighbours: the
   mean of each new article's MiniLM sentence vectors (both cached in ``vectors``; the sentence vectors
   are needed for alignment anyway, and the mean costs nothing more, where ``embed_articles``' chunked
   document vectors cost about 2.5x the sentence pass) against every stored article's mean, pairs with
   cosine >= :data:`DOC_COSINE` (rewrites share few word 5-grams). On the demo corpus every expected
   link that alignment confirms has a mean cosine >= 0.755;
3. caps candidates per new article (:data:`MAX_CANDIDATES`, best first);
4. aligns each pair (:func:`~storyline.reuse.align.align` with cached sentence vectors), classifies the
   link and its direction;
5. looks for translations of the new articles among stored articles in another language
   (:mod:`storyline.reuse.translate`, multilingual sentence vectors), and stores links with their
   passages, the new signatures and each new article's cited sources, in one transaction.

A pair is judged once, when the later of its two articles arrives; re-adding stored articles finds no
new ids and does nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from storyline.model import Article
from storyline.reuse.align import align
from storyline.reuse.candidates import CandidateIndex
from storyline.reuse.links import ReuseLink, classify_link, credited_outlets, directed

logger = logging.getLogger(__name__)

# 64 bands of 2 rows: a pair with 5-gram Jaccard 0.18 (a wire story making up 40 % of a longer
# article) is a candidate with probability 0.88 (32x4: 0.03); pairs estimated below MIN_JACCARD are
# dropped. Measured on bench/reuse.py: partial-reuse recall 0.73 -> see bench/README.md.
BANDS, ROWS = 64, 2
MIN_JACCARD = 0.06
DOC_COSINE = 0.75  # cosine of mean sentence vectors at which two articles are aligned without shared 5-grams
EMBED_NEIGHBOUR_LIMIT = 5000  # embedding neighbours over the whole store below this many articles
MAX_CANDIDATES = 30  # candidate partners aligned per new article, best first


@dataclass
class ReuseReport:
    articles: int = 0
    candidates: int = 0
    links: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def judge_pair(a: Article, b: Article, a_vecs: Any = None, b_vecs: Any = None, *, encoder: Any = None) -> ReuseLink | None:
    """Align two articles and classify the link (None when unrelated); ``a.id < b.id`` is expected
    for storage. Vectors are the articles' sentence vectors (one row per sentence span)."""
    passages = align(a.text, a.sentences, b.text, b.sentences, encoder=encoder, a_vecs=a_vecs, b_vecs=b_vecs)
    if not passages:
        return None
    return directed(classify_link(a, b, passages), a, b)


def mean_model(encoder: Any) -> str:
    """The ``vectors.model`` name of an article's mean sentence vector (kind ``doc``)."""
    return f"{encoder.name}+sentmean"


def current_sentence_vectors(store: Any, encoder: Any, arts: Sequence[Article]) -> dict[str, np.ndarray]:
    """Sentence vectors of ``arts`` by id from the store's cache, embedding those it lacks and again those
    of a text cleaned since they were cached (one row per current sentence span)."""
    from storyline.embed import ensure_sentence_vectors, sentence_vectors

    vecs = ensure_sentence_vectors(store, encoder, arts)
    stale = {a.id: a for a in arts if vecs[a.id].shape[0] != len(a.sentences)}
    if stale:  # the article was cleaned again since its vectors were cached
        fresh = {i: sentence_vectors(encoder, a) for i, a in stale.items()}
        store.put_vectors(fresh, "sent", encoder.name)
        vecs.update(fresh)
    return vecs


def link_new_articles(store: Any, new_ids: Sequence[str] | None = None, *, encoder: Any = None,
                      embed_neighbours: bool = True, translations: bool = True) -> ReuseReport:
    """Run the reuse stage over articles without a signature (``new_ids`` adds to them; see module doc)."""
    rep = ReuseReport()
    t = time.perf_counter()
    todo = store.ok_ids_without_minhash()
    if new_ids:
        have = set(todo)
        todo += [i for i in new_ids if i not in have and i in store.has_ids([i])]
    if not todo:
        return rep
    arts: dict[str, Article] = {}

    def art(i: str) -> Article:
        if i not in arts:
            arts[i] = store.get_article(i)
        return arts[i]

    new = [art(i) for i in todo]
    new = [a for a in new if a.status == "ok"]
    rep.articles = len(new)
    ids, sig = store.get_minhash()
    index = CandidateIndex(bands=BANDS, rows=ROWS, min_jaccard=MIN_JACCARD)
    if ids:
        index.add_signatures(ids, sig, query=False)
    found = index.add([a.id for a in new], [a.text for a in new])
    score: dict[tuple[str, str], float] = {}
    for x, y, est in found:
        score[(min(x, y), max(x, y))] = float(est)
    rep.seconds["candidates"] = time.perf_counter() - t

    if encoder is None:
        from storyline.embed import shared_encoder

        encoder = shared_encoder()
    if embed_neighbours and len(index) < EMBED_NEIGHBOUR_LIMIT:
        t = time.perf_counter()
        model = mean_model(encoder)
        sent = current_sentence_vectors(store, encoder, new)
        means = {}
        for a in new:
            m = np.asarray(sent[a.id], dtype=np.float32)
            if len(m):
                v = m.mean(axis=0)
                means[a.id] = v / max(float(np.linalg.norm(v)), 1e-12)
        if means:
            store.put_vectors(means, "doc", model)
        all_vecs = store.get_vectors(list(index.ids), "doc", model)
        others = [i for i in index.ids if i in all_vecs]
        qs = [a for a in new if a.id in means]
        if others and qs:
            m = np.stack([np.asarray(all_vecs[i], dtype=np.float32) for i in others])
            q = np.stack([means[a.id] for a in qs]).astype(np.float32)
            cos = q @ m.T
            for r, a in enumerate(qs):
                for c in np.flatnonzero(cos[r] >= DOC_COSINE).tolist():
                    o = others[c]
                    if o != a.id:
                        key = (min(a.id, o), max(a.id, o))
                        score[key] = max(score.get(key, 0.0), float(cos[r, c]))
        rep.seconds["neighbours"] = time.perf_counter() - t

    # cap per new article, best first
    per: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    for key, s in score.items():
        for side in key:
            per.setdefault(side, []).append((s, key))
    new_set = {a.id for a in new}
    keep: set[tuple[str, str]] = set()
    for aid in new_set:
        for _s, key in sorted(per.get(aid, []), key=lambda x: (-x[0], x[1]))[:MAX_CANDIDATES]:
            keep.add(key)
    pairs = sorted(keep)
    rep.candidates = len(pairs)

    t = time.perf_counter()
    involved = sorted({i for p in pairs for i in p})
    vecs = current_sentence_vectors(store, encoder, [art(i) for i in involved]) if pairs else {}
    rep.seconds["embed"] = time.perf_counter() - t
    t = time.perf_counter()
    links: list[ReuseLink] = []
    for x, y in pairs:
        link = judge_pair(art(x), art(y), vecs[x], vecs[y], encoder=encoder)
        if link is not None:
            links.append(link)
    rep.seconds["align"] = time.perf_counter() - t
    if translations:
        t = time.perf_counter()
        from storyline.reuse.translate import link_translations

        linked = {(ln.a, ln.b) for ln in links}
        links += [ln for ln in link_translations(store, new, art) if (ln.a, ln.b) not in linked]
        rep.seconds["translate"] = time.perf_counter() - t
    rep.links = len(links)
    with store.transaction():
        store.put_reuse_links(links)
        store.put_citations({a.id: credited_outlets(a) for a in new})
        store.put_minhash({a.id: index.signature(a.id) for a in new})
    logger.info("reuse: %d new articles, %d candidate pairs, %d links", rep.articles, rep.candidates, rep.links)
    return rep


class ReuseStage:
    """The reuse stage as an object the pipeline holds (the encoder is loaded on first use)."""

    def __init__(self, encoder: Any = None, *, embed_neighbours: bool = True, translations: bool = True) -> None:
        self.encoder = encoder
        self.embed_neighbours = embed_neighbours
        self.translations = translations

    def run(self, store: Any, new_ids: Sequence[str] | None = None) -> ReuseReport:
        # link_new_articles loads the shared encoder itself, only when there is work
        return link_new_articles(store, new_ids, encoder=self.encoder, embed_neighbours=self.embed_neighbours,
                                 translations=self.translations)


# --------------------------------------------------------------------------- folding copies


def fold_copies(ids: Sequence[str], links: Sequence[dict[str, Any]],
                kinds: tuple[str, ...] = ("duplicate", "near_duplicate")) -> list[list[str]]:
    """Groups of ``ids`` joined by copy links (union-find); each group is one independent version."""
    from storyline.reuse.provenance import components

    return components(ids, [ln for ln in links if ln["kind"] in kinds])
