"""Provenance over stored reuse links: groups of articles that share text, and their common source.

A *reuse group* is a connected set of articles joined by reuse links of any kind. For each group,
:func:`storyline.reuse.links.common_source` decides whether its texts draw on a common source (they
share material but none contains another: siblings, not copies of each other) and names the source
when their own texts credit one (the outlet cited by most of them, by at least two and half).

Everything here reads the store and returns plain records; nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from storyline.reuse.links import cited_sources, common_source
from storyline.unionfind import UnionFind


@dataclass(slots=True)
class ReuseGroup:
    """Articles joined by reuse links, with the common source their texts credit (if any)."""

    article_ids: list[str]
    links: int
    shared_source: bool  # they share material and none contains another
    source: str | None  # the outlet their texts credit, when at least two and half of them do
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"article_ids": self.article_ids, "links": self.links, "shared_source": self.shared_source,
                "source": self.source, "evidence": self.evidence}


def components(ids: Sequence[str], links: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Connected components of ``ids`` under ``links`` (``a``/``b`` keys; links to ids outside are
    ignored), members in the order of ``ids``, groups ordered by their first member; singletons
    included."""
    sets: UnionFind[str] = UnionFind(ids)
    for ln in links:
        a, b = ln["a"], ln["b"]
        if a in sets and b in sets:
            sets.union(a, b)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(sets.find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def group_of(members: Sequence[str], texts: Mapping[str, str], links: Sequence[Mapping[str, Any]],
             citations: Mapping[str, Sequence[str]] | None = None) -> ReuseGroup:
    """The :class:`ReuseGroup` record for ``members`` (texts by id; links among them)."""
    index = {m: k for k, m in enumerate(members)}
    cov: dict[tuple[int, int], tuple[float, float]] = {}
    n_links = 0
    for ln in links:
        i, j = index.get(ln["a"]), index.get(ln["b"])
        if i is None or j is None:
            continue
        n_links += 1
        sc = ln.get("scores") or {}
        cov[(i, j)] = (float(sc.get("containment_a", 0.0)), float(sc.get("containment_b", 0.0)))
    cites = [list(citations[m]) if citations and m in citations else cited_sources(texts.get(m, ""))
             for m in members]
    res = common_source([texts.get(m, "") for m in members], cov, citations=cites)
    ev = dict(res.evidence)
    ev["link_kinds"] = dict(sorted(Counter(ln["kind"] for ln in links
                                           if ln["a"] in index and ln["b"] in index).items()))
    if "cited_by_text" in ev:
        ev["cited_by_text"] = {m: c for m, c in zip(members, ev["cited_by_text"])}
    if "pairs_with_containment" in ev:
        ev["pairs_with_containment"] = [[members[i], members[j]] for i, j in ev["pairs_with_containment"]]
    return ReuseGroup(list(members), n_links, res.shared, res.source, ev)


def reuse_groups(store: Any, article_ids: Iterable[str] | None = None) -> list[ReuseGroup]:
    """Reuse groups of two or more articles among the stored ones (or among ``article_ids``)."""
    links = store.reuse_links()
    ids = set(article_ids) if article_ids is not None else {i for ln in links for i in (ln["a"], ln["b"])}
    comps = [m for m in components(sorted(ids), links) if len(m) > 1]
    comp_of = {i: k for k, m in enumerate(comps) for i in m}
    inside: dict[int, list[Mapping[str, Any]]] = {}
    for ln in links:
        k = comp_of.get(ln["a"])
        if k is not None and comp_of.get(ln["b"]) == k:
            inside.setdefault(k, []).append(ln)
    return [_load_group(store, comps[k], inside[k]) for k in sorted(inside)]


def reuse_group_of(store: Any, article_id: str) -> ReuseGroup | None:
    """The reuse group holding one article (None when it has no link), read link by link from it."""
    seen, todo, links = {article_id}, [article_id], {}
    while todo:
        for ln in store.reuse_links(todo.pop()):
            links[(ln["a"], ln["b"])] = ln
            for i in (ln["a"], ln["b"]):
                if i not in seen:
                    seen.add(i)
                    todo.append(i)
    if not links:
        return None
    return _load_group(store, sorted(seen), [links[k] for k in sorted(links)])


def articles_source(store: Any, article_ids: Sequence[str]) -> ReuseGroup:
    """The common-source record of any set of articles (e.g. a story's), with the links among them:
    the source is named from their own texts' credits even where no reuse link joins them."""
    members = sorted(set(article_ids))
    links = [ln for ln in store.reuse_links() if ln["a"] in members and ln["b"] in members]
    return _load_group(store, members, links)


def _load_group(store: Any, members: list[str], links: list[Mapping[str, Any]]) -> ReuseGroup:
    citations = store.get_citations(members)
    texts: dict[str, str] = {}
    missing = [m for m in members if m not in citations]
    for m in missing:  # articles the reuse stage has not seen: credits from the text itself
        texts[m] = store.get_article(m).text or ""
    return group_of(members, texts, links, citations={m: citations[m] for m in members if m in citations})
