"""What each version of a story adds and omits (issue 7, scope 1).

For a story (its member articles are the *versions*; members of other stories in the same storyline
are *references*, used only to tell whether a passage is about the storyline), every paragraph of each
version's clean text is:

* ``shared`` when at least half of its characters are covered by aligned passages of reuse links to
  other versions, or by sentences whose cosine to some sentence of another version reaches
  :data:`SHARED_COSINE`;
* else one of its own, classed as

  - ``commentary``: inside a section whose heading names commentary (:data:`COMMENTARY_HEADINGS`:
    "Conclusion", "Implications", "Editor's note", "Our take", ...), or evaluative / modal / second
    person wording (:data:`EVALUATIVE`) with few specifics, the framing scorer's sentence decision
    counting as one more evaluative signal;
  - ``off_topic``: not about the story's event: cosine to the story centroid under
    :data:`TOPIC_COSINE`, fewer than two of the story's key entities (named in at least half of the
    versions), no sentence close to a reference article or within :data:`TOPIC_NEAREST` of a sentence
    of another version, no direct quote by a story actor (a key entity or someone another version
    names), no key entity as its first name (within :data:`LEAD_WORDS` words), not opening on a
    pronoun after a paragraph about the event ("He said ..."), and fewer than
    :data:`TOPIC_LEAD_WORDS` content words in common with its own article's title and first paragraph
    (an official's reaction to "the batches" of a recall the lead names). Real reports carry many paragraphs far
    from the centroid (an actor's reaction, procedure, background on the actors): on BASIL triplets
    the centroid and key-entity tests alone called 25-30 % of a version's own paragraphs off topic,
    these signals 10-15 %, with content-farm padding (seed 003) still caught. Such a paragraph that
    names nothing (no name, number or quotation) is a generic remark, ``commentary``, not another
    subject;
  - ``new_fact``: the rest (about the event, its own).

A heading line (short, no final punctuation) takes the kind of the paragraph after it, unless it is a
commentary heading. Omissions of a version: aligned passage groups (sentences joined across versions by
reuse passages or cosine >= :data:`SHARED_COSINE`), quote groups and claims that at least half of the
other versions in its language (and at least two) carry and this version lacks, each with a reference
to where it appears (a translation is not said to omit what the versions in another language carry:
alignment, quotes and claims read one language). ``loaded_terms`` come from :class:`storyline.nlp.framing.Framing`.

Comparisons are computed once per story and cached in the store (``comparison_runs`` and
``comparisons``, migration 6) under a key that fingerprints everything they read
(:meth:`~storyline.store.db.Store.comparison_fingerprint`: member and reference ids with their text
lengths, reuse links among the versions, quote groups, claim stances, the story's centroid and
entities, and :data:`RULES_VERSION`); :func:`compare_story` answers from the cache while the key
matches and recomputes (and stores, when the store is writable) when it does not.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.errors import NotFoundError
from storyline.text import FUNCTION_WORDS
from storyline.unionfind import UnionFind

if TYPE_CHECKING:
    from storyline.store.db import Store

logger = logging.getLogger(__name__)

#: Version of the rules below; part of the cache key, so a change of rules recomputes cached runs.
RULES_VERSION = "compare-8"
#: The first word of each sentence (capitalised whatever it is), dropped before looking for names.
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)\S+")
#: Sentences this close (cosine) to a sentence of another version count as shared.
SHARED_COSINE = 0.80
#: A paragraph covered at least this much (share of characters) is shared.
SHARED_COVERAGE = 0.5
#: Paragraphs whose mean sentence vector is at least this close to the story centroid are on topic.
TOPIC_COSINE = 0.45
#: A paragraph this much covered by material of other versions is about the event.
TOPIC_COVERAGE = 0.2
#: A paragraph naming at least this many distinct key entities is on topic.
TOPIC_ENTITIES = 2
#: ... when at least this share of its capitalised name runs hold a key entity.
TOPIC_KEY_SHARE = 0.6
#: A paragraph with a sentence this close (cosine) to some sentence of another version is on topic.
TOPIC_NEAREST = 0.55
#: A paragraph whose first name within this many words is a key entity is about the story's actors.
LEAD_WORDS = 5
#: Commentary needs at least this many evaluative signals per specific (number, quote, name).
OPINION_PER_SPECIFIC = 0.6

COMMENTARY_HEADINGS = re.compile(
    r"\b(conclusions?|concluding|implications?|editor[’']?s?\b|our take|opinion|commentary|analysis|"
    r"takeaways?|outlook|final thoughts|bottom line|what it means|why it matters|perspective|"
    r"p\s*/\s*s|postscript|in summary|summary|verdict|the big picture)\b", re.I)

#: Evaluative, modal and judgement words (lower case) typical of commentary.
EVALUATIVE = frozenset("""
must should ought crucial essential vital important importance imperative necessary alarming worrying
troubling concerning disturbing welcome commendable well-founded unacceptable unequivocal clear
significant significance implications complexity complexities underscore underscores underscored
delicate balance broader intensifying escalating fundamental reaffirms reaffirmation commitment
likely perhaps arguably undoubtedly clearly certainly indeed weird strange absurd shameful
disingenuous complicit malign nefarious landscape dynamics rivalry challenges challenge
""".split())
_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_NAME_RUN = re.compile(r"[A-Z][\w’'.\-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w’'.\-]*)*")
_DIGIT = re.compile(r"\d")
_QUOTE_MARK = re.compile(r"[\"“”«»]")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")


@dataclass(slots=True)
class Comparison:
    """One version of a story against the others: its own passages (``additions``, each with a
    ``kind`` and the ``evidence`` for it), what most others carry that it lacks (``omissions``) and
    its loaded terms. Offsets index the article's clean text."""

    story_id: str
    article_id: str
    additions: list[dict[str, Any]] = field(default_factory=list)
    omissions: list[dict[str, Any]] = field(default_factory=list)
    loaded_terms: list[dict[str, Any]] = field(default_factory=list)
    shared: list[dict[str, Any]] = field(default_factory=list)
    #: View-only data (not exported): ``headline_terms``, loaded terms of the article's title.
    extra: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        """Shared paragraphs, additions by kind and omissions by kind (the story page's table)."""
        adds: dict[str, int] = {}
        for a in self.additions:
            adds[a["kind"]] = adds.get(a["kind"], 0) + 1
        oms: dict[str, int] = {}
        for o in self.omissions:
            oms[o["kind"]] = oms.get(o["kind"], 0) + 1
        return {"shared": len(self.shared), "additions": adds, "omissions": oms}

    def record(self) -> dict[str, Any]:
        """Everything, evidence included: the cache's row (``extra`` gains the :meth:`counts`, so a page
        that shows only counts need not read the passages)."""
        return {"article_id": self.article_id, "additions": [dict(a) for a in self.additions],
                "omissions": [dict(o) for o in self.omissions], "loaded_terms": [dict(t) for t in self.loaded_terms],
                "shared": [dict(p) for p in self.shared], "extra": dict(self.extra) | {"counts": self.counts()}}

    @classmethod
    def from_record(cls, story_id: str, rec: Mapping[str, Any]) -> "Comparison":
        return cls(story_id=story_id, article_id=rec["article_id"], additions=list(rec.get("additions", [])),
                   omissions=list(rec.get("omissions", [])), loaded_terms=list(rec.get("loaded_terms", [])),
                   shared=list(rec.get("shared", [])), extra=dict(rec.get("extra") or {}))

    def to_dict(self, *, evidence: bool = False) -> dict[str, Any]:
        adds = [{k: a[k] for k in ("start", "end", "text", "kind")} | ({"evidence": a["evidence"]} if evidence else {})
                for a in self.additions]
        return {"story_id": self.story_id, "article_id": self.article_id, "additions": adds,
                "omissions": [dict(o) for o in self.omissions], "loaded_terms": [dict(t) for t in self.loaded_terms]}


# ------------------------------------------------------------------------------------------ helpers


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph (lines up to a blank line), trimmed."""
    out = []
    for m in _PARAGRAPH.finditer(text or ""):
        s, e = m.span()
        seg = text[s:e]
        s += len(seg) - len(seg.lstrip())
        e -= len(seg) - len(seg.rstrip())
        if e > s:
            out.append((s, e))
    return out


def is_heading(par: str) -> bool:
    """A short line without final sentence punctuation (a colon may end it)."""
    words = par.split()
    return "\n" not in par and 0 < len(words) <= 8 and par.rstrip()[-1:] not in ".!?\"”’"


def _norm_entity(s: str) -> str:
    s = re.sub(r"[’']s\b", "", s.lower()).strip(" .,:;")
    return re.sub(r"\s+", " ", s)


def entity_mentions(text: str) -> set[str]:
    """Normalised capitalised names in ``text`` and their sub-runs (up to four words), dotted
    abbreviations also without dots ("U.S." -> "us")."""
    out: set[str] = set()
    for m in _NAME_RUN.finditer(text):
        toks = [t for t in re.split(r"\s+", m.group()) if t]
        toks = [t for t in toks if t.lower() not in ("of", "the")]
        for i in range(len(toks)):
            for j in range(i + 1, min(len(toks), i + 4) + 1):
                name = _norm_entity(" ".join(toks[i:j]))
                if name:
                    out.add(name)
                    if "." in name:
                        out.add(name.replace(".", ""))
    return out


def name_runs(text: str) -> list[set[str]]:
    """For each maximal capitalised run of ``text`` (a leading function word dropped), the set of its
    normalised sub-runs (see :func:`entity_mentions`)."""
    out = []
    for m in _NAME_RUN.finditer(text):
        run = re.sub(r"^(?:The|A|An|It|This|That|These|Those|In|For|If|But|And|Additionally|Furthermore|Moreover|However)\s+",
                     "", m.group())
        if run in ("The", "A", "An", "It", "This", "That", "These", "Those", "In", "For", "If", "But", "And"):
            continue
        out.append(entity_mentions(run))
    return out


def key_entities(entity_counts: Mapping[str, int], n_versions: int) -> set[str]:
    """Story entities named in at least half of the versions (and at least two); numbers left out."""
    need = max(2, math.ceil(n_versions / 2))
    return {_norm_entity(k) for k, v in entity_counts.items() if v >= need and not k.replace(" ", "").isdigit()}


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        n = float(np.linalg.norm(m))
        return m / n if n else m
    n = np.linalg.norm(m, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return m / n


def _sent_idx(sentences: Sequence[tuple[int, int]], s: int, e: int) -> list[int]:
    return [i for i, (a, b) in enumerate(sentences) if a < e and b > s]


def _covered(intervals: Iterable[tuple[int, int]], s: int, e: int) -> int:
    iv = sorted((max(a, s), min(b, e)) for a, b in intervals if a < e and b > s)
    total, cur_s, cur_e = 0, None, None
    for a, b in iv:
        if cur_e is None or a > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = a, b
        else:
            cur_e = max(cur_e, b)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


# ------------------------------------------------------------------------------------------ main


def _story(store: "Store", story_id: str) -> tuple[dict[str, Any], list[str]]:
    stories = store.load_stories()
    sid = story_id.strip().upper()
    merges = dict((a, k) for k, a, _ in store.load_clusterer_state().get("merges", []))
    while sid in merges:
        sid = merges[sid]
    rec = next((s for s in stories if s["id"] == sid), None)
    if rec is None:
        raise NotFoundError(f"no story {story_id!r}: see `storyline stories`")
    refs: list[str] = []
    if rec.get("storyline_id"):
        for s in stories:
            if s["id"] != sid and s.get("storyline_id") == rec["storyline_id"]:
                refs.extend(s["article_ids"])
    return rec, refs


def story_members(store: "Store", story_id: str) -> tuple[str, list[str], list[str]]:
    """``(story id, member ids in order, reference ids)`` of a story given by any id it was known by
    (merges followed); reference ids are the members of the storyline's other stories. A few small
    queries, no texts or centroids: cheap enough for every page request."""
    sid = story_id.strip().upper()
    row = store.conn.execute("SELECT state FROM clusterer_state WHERE id = 1").fetchone()
    merges = {a: k for k, a, _ in (json.loads(row[0]).get("merges", []) if row else [])}
    seen: set[str] = set()
    while sid in merges and sid not in seen:
        seen.add(sid)
        sid = merges[sid]
    r = store.conn.execute("SELECT storyline_id FROM stories WHERE id = ?", (sid,)).fetchone()
    if r is None:
        raise NotFoundError(f"no story {story_id!r}: see `storyline stories`")
    ids = [x[0] for x in store.conn.execute(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY seq", (sid,))]
    refs: list[str] = []
    if r[0]:
        refs = [x[0] for x in store.conn.execute(
            "SELECT sa.article_id FROM story_articles sa JOIN stories s ON s.id = sa.story_id "
            "WHERE s.storyline_id = ? AND s.id != ? ORDER BY s.seq, sa.seq", (r[0], sid))]
    return sid, ids, refs


def comparison_key(store: "Store", story_id: str) -> tuple[str, str]:
    """``(story id, cache key)`` of a story's comparison as the store holds it now."""
    sid, ids, refs = story_members(store, story_id)
    return sid, store.comparison_fingerprint(sid, ids, refs, RULES_VERSION)


def is_fresh(store: "Store", story_id: str) -> bool:
    """Whether the store holds a cached comparison of the story whose key still matches."""
    sid, key = comparison_key(store, story_id)
    run = store.comparison_run(sid)
    return run is not None and run["key"] == key


def cached_comparisons(store: "Store", story_id: str, article_id: str | None = None, *,
                       fields: Sequence[str] = ("additions", "omissions", "loaded_terms", "shared", "extra"),
                       ) -> list[dict[str, Any]] | None:
    """The story's cached comparison records (all versions, or one article's), or None when the story
    has no cached run or its run is stale (the key no longer matches). Reads only; never computes."""
    sid, key = comparison_key(store, story_id)
    run = store.comparison_run(sid)
    if run is None or run["key"] != key:
        return None
    return store.stored_comparisons(sid, article_id, fields=fields)


def compare_story(store: "Store", story_id: str, *, encoder: Any | None = None,
                  framing: Any | None = None, use_cache: bool = True) -> list[Comparison]:
    """One :class:`Comparison` per ok version of the story (in the story's member order), from the
    cache when it is fresh; else computed, and cached when ``store`` is writable."""
    sid, key = comparison_key(store, story_id)
    if use_cache:
        run = store.comparison_run(sid)
        if run is not None and run["key"] == key:
            return [Comparison.from_record(sid, r) for r in store.stored_comparisons(sid)]
    out = _compute_story(store, sid, encoder=encoder, framing=framing)
    if not store.readonly:
        store.put_comparisons(sid, comparison_key(store, sid)[1], [c.record() for c in out])
        logger.info("cached comparisons of story %s (%d versions)", sid, len(out))
    return out


def _compute_story(store: "Store", story_id: str, *, encoder: Any | None = None,
                   framing: Any | None = None) -> list[Comparison]:
    from storyline.embed import ensure_sentence_vectors, shared_encoder

    rec, ref_ids = _story(store, story_id)
    sid = rec["id"]
    arts = [a for a in (store.get_article(i) for i in rec["article_ids"]) if a.status == "ok" and a.text]
    refs = [a for a in (store.get_article(i) for i in ref_ids) if a.status == "ok" and a.text]
    if not arts:
        return []
    ids = [a.id for a in arts]
    idset = set(ids)
    if encoder is None:
        encoder = shared_encoder()
    vecs = {k: _unit(v) for k, v in ensure_sentence_vectors(store, encoder, arts + refs).items()}
    centroid = rec.get("centroid")
    if centroid is None:
        centroid = np.mean([v.mean(0) for v in (vecs[i] for i in ids) if len(v)], axis=0)
    centroid = _unit(centroid)
    keys = key_entities(rec.get("entities") or {}, len(arts))

    # aligned spans of each version against the other versions (reuse passages)
    aligned: dict[str, list[tuple[int, int, str, int, int]]] = {i: [] for i in ids}
    for link in store.reuse_links():
        a, b = link["a"], link["b"]
        if a in idset and b in idset:
            for p in link["passages"]:
                aligned[a].append((p["a_start"], p["a_end"], b, p["b_start"], p["b_end"]))
                aligned[b].append((p["b_start"], p["b_end"], a, p["a_start"], p["a_end"]))

    # sentence matches across versions, and sentence groups (union-find over (article, sentence))
    uf: UnionFind[tuple[str, int]] = UnionFind()
    best_other: dict[str, np.ndarray] = {}
    ref_close: dict[str, np.ndarray] = {}
    ref_mat = np.vstack([vecs[r.id] for r in refs if len(vecs.get(r.id, []))]) if refs else None
    for x, ax in zip(ids, arts):
        vx = vecs[x]
        best = np.zeros(len(vx), dtype=np.float32)
        for y in ids:
            if y == x or not len(vecs[y]) or not len(vx):
                continue
            sim = vx @ vecs[y].T
            best = np.maximum(best, sim.max(1))
            for i, j in zip(*np.nonzero(sim >= SHARED_COSINE)):
                uf.union((x, int(i)), (y, int(j)))
        best_other[x] = best
        ref_close[x] = ((vx @ ref_mat.T).max(1) >= SHARED_COSINE) if ref_mat is not None and len(vx) else \
            np.zeros(len(vx), dtype=bool)
    by_id = {a.id: a for a in arts}
    for x in ids:
        for s, e, y, ys, ye in aligned[x]:
            xi = _sent_idx(by_id[x].sentences, s, e)
            yi = _sent_idx(by_id[y].sentences, ys, ye)
            for i in xi:
                for j in yi:
                    uf.union((x, i), (y, j))

    if framing is None:
        from storyline.nlp.framing import Framing

        framing = Framing(encoder)

    quotes = store.quotes(ids)
    actors = _actor_quotes(quotes, arts, keys)
    out = []
    for a in arts:
        out.append(_compare_one(sid, a, vecs[a.id], best_other[a.id], ref_close[a.id], aligned[a.id],
                                centroid, keys, framing, actors.get(a.id, [])))
    _omissions(store, sid, arts, out, uf, quotes)
    return out


#: A paragraph opening on a personal pronoun goes on about whoever the paragraph before was about.
_PRONOUN_START = re.compile(r"\s*(?:[“\"‘'][^”\"’']{0,300}[”\"’']\s*,?\s*)?(?:He|She|They|His|Her|Their)\b")


#: Content words a paragraph must share with its own article's title and first paragraph to be about
#: the article's event (an official's reaction to "the batches" of a recall named in the lead).
TOPIC_LEAD_WORDS = 2


# a plural or verb ending after at least three letters; not framing.stem, whose wider suffix list moved
# two demo paragraphs across the topic line when tried
_INFLECTION = re.compile(r"(?<=\w\w\w)(?:es|s|ed|ing)$")


def _content_stems(text: str) -> set[str]:
    """Words of four letters or more, not function words, without a plural or verb ending ("batches"
    and "batch" meet; "president" and "presidential" do not)."""
    return {_INFLECTION.sub("", w.lower().replace("’", "'").removesuffix("'s")) for w in _WORD.findall(text)
            if len(w) >= 4 and w.lower() not in FUNCTION_WORDS}



def _actor_quotes(quotes: Iterable[Any], arts: Sequence[Any], keys: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    """Per article, the spans of direct and mixed quotes whose speaker is a story actor: a key entity,
    or a person or organisation another version names too. What a story's actor says in a version is
    reporting on the story (a quote, a reaction), however far its words are from the story's centroid."""
    names_in = {a.id: entity_mentions(a.text) for a in arts}
    out: dict[str, list[tuple[int, int, str]]] = {}
    for q in quotes:
        if not q.speaker or q.speaker_start is None or q.kind not in ("direct", "mixed"):
            continue  # their own words in quotation marks, not an act the writer reports
        spoken = entity_mentions(q.speaker.split(" (")[0])
        if not spoken:
            continue
        others = sum(1 for aid, names in names_in.items() if aid != q.article_id and spoken & names)
        if spoken & keys or others >= 1:
            out.setdefault(q.article_id, []).append((q.start, q.end, q.speaker.split(" (")[0]))
    return out


def _compare_one(sid: str, a: Any, vx: np.ndarray, best: np.ndarray, ref_close: np.ndarray,
                 aligned: list[tuple[int, int, str, int, int]], centroid: np.ndarray, keys: set[str],
                 framing: Any, actor_quotes: Sequence[tuple[int, int, str]] = ()) -> Comparison:
    text = a.text
    sents = list(a.sentences)
    scores = framing.score([text[s:e] for s, e in sents], vx) if sents else np.zeros(0)
    threshold = framing.threshold
    pars = paragraphs(text)
    lead_stems = _content_stems(" ".join([a.title or "", *(text[ps:pe] for ps, pe in pars[:1])]))
    rows: list[dict[str, Any]] = []
    in_commentary = False
    for k, (ps, pe) in enumerate(pars):
        par = text[ps:pe]
        idx = _sent_idx(sents, ps, pe)
        heading = is_heading(par)
        comm_heading = heading and bool(COMMENTARY_HEADINGS.search(par))
        if heading and not par.rstrip().endswith(":") or comm_heading:
            in_commentary = comm_heading
        matched = [(max(sents[i][0], ps), min(sents[i][1], pe)) for i in idx if best[i] >= SHARED_COSINE]
        spans = [(s, e) for s, e, *_ in aligned] + matched
        coverage = _covered(spans, ps, pe) / max(1, pe - ps)
        cos = float(_unit(vx[idx].mean(0)) @ centroid) if idx else 0.0
        ents = entity_mentions(par)
        hit = sorted(keys & ents)
        runs = name_runs(par)
        key_share = sum(1 for r in runs if r & keys) / len(runs) if runs else 0.0
        words = [w.lower() for w in _WORD.findall(par)]
        evaluative = sum(1 for w in words if w in EVALUATIVE)
        second = len(_SECOND_PERSON.findall(par))
        biased = int(sum(1 for i in idx if scores[i] >= threshold))
        names = len({n for n in ents if " " not in n})
        specifics = len(_DIGIT.findall(par)) // 2 + len(_QUOTE_MARK.findall(par)) // 2 + names
        n_s = max(1, len(idx))
        ev = {"coverage": round(coverage, 3), "centroid_cosine": round(cos, 3), "key_entities": hit, "key_share": round(key_share, 3),
              "evaluative": evaluative, "second_person": second, "biased_sentences": biased,
              "specifics": specifics, "sentences": len(idx)}
        if any(ref_close[i] for i in idx):
            ev["close_to_reference"] = True
        ev["nearest_other"] = round(float(max((best[i] for i in idx), default=0.0)), 3)
        opening = name_runs(" ".join(par.split()[:LEAD_WORDS]))
        lead = sorted(opening[0] & keys) if opening else []
        if lead:
            ev["leads_with_key_entity"] = lead[0]
        said = sorted({sp for qs, qe, sp in actor_quotes if qs < pe and qe > ps})
        if said:
            ev["story_speakers"] = said
        if rows and _PRONOUN_START.match(par) and rows[-1]["kind"] != "off_topic" and not rows[-1]["heading"]:
            ev["continues_previous"] = True
        shared_lead = sorted(_content_stems(par) & lead_stems) if k else []
        if len(shared_lead) >= TOPIC_LEAD_WORDS:
            ev["lead_words"] = shared_lead
        if coverage >= SHARED_COVERAGE:
            kind = "shared"
        elif comm_heading or in_commentary:
            kind = "commentary"
            ev["section"] = "commentary heading"
        else:
            opinion = evaluative + 2 * second + biased
            topical = (cos >= TOPIC_COSINE or ev.get("close_to_reference", False) or coverage >= TOPIC_COVERAGE
                       or (len(hit) >= TOPIC_ENTITIES and key_share >= TOPIC_KEY_SHARE)
                       or ev["nearest_other"] >= TOPIC_NEAREST
                       or "story_speakers" in ev or "continues_previous" in ev or "leads_with_key_entity" in ev
                       or "lead_words" in ev)
            if not heading and opinion >= 2 and opinion >= n_s and opinion >= OPINION_PER_SPECIFIC * specifics:
                kind = "commentary"
            elif not heading and opinion >= 1 and specifics <= 1:
                kind = "commentary"
            elif (not topical and not heading and not _DIGIT.search(par) and not _QUOTE_MARK.search(par)
                  and not name_runs(_SENTENCE_START.sub(r"\1", par))):
                kind = "commentary"  # names nothing: a generic remark ("stay tuned"), not another subject
                ev["generic"] = True
            elif not topical and not heading:
                kind = "off_topic"
            else:
                kind = "new_fact"
        rows.append({"start": ps, "end": pe, "text": par, "kind": kind, "evidence": ev, "heading": heading})
    # plain headings take the kind of the paragraph after them
    for i in range(len(rows) - 2, -1, -1):
        r = rows[i]
        if r["heading"] and r["kind"] != "commentary" and r["evidence"]["coverage"] < SHARED_COVERAGE:
            r["kind"] = rows[i + 1]["kind"]
            r["evidence"]["heading_of"] = rows[i + 1]["start"]
    comp = Comparison(story_id=sid, article_id=a.id)
    for r in rows:
        r.pop("heading")
        (comp.shared if r["kind"] == "shared" else comp.additions).append(r)
    comp.loaded_terms = [{"start": t.start, "end": t.end, "text": t.text, "kind": t.kind,
                          "weight": round(float(t.weight), 4)} for t in framing.terms_in(text, sents)]
    title = (a.title or "").strip()
    if title:
        comp.extra["headline_terms"] = [{"start": t.start, "end": t.end, "text": t.text, "kind": t.kind,
                                         "weight": round(float(t.weight), 4)} for t in framing.terms(title)]
    return comp


def _omissions(store: "Store", sid: str, arts: Sequence[Any], comps: list[Comparison],
               uf: UnionFind[tuple[str, int]], quotes: Sequence[Any]) -> None:
    ids = [a.id for a in arts]
    by_id = {a.id: a for a in arts}

    # aligned passage groups
    groups: dict[Any, list[tuple[str, int]]] = {}
    for x in ids:
        for i in range(len(by_id[x].sentences)):
            node = (x, i)
            if node in uf:
                groups.setdefault(uf.find(node), []).append(node)
    found: list[tuple[set[str], dict[str, Any]]] = []
    for root in sorted(groups, key=lambda r: (ids.index(r[0]), r[1])):
        members = groups[root]
        carriers = {x for x, _ in members}
        if len(carriers) < 2:
            continue
        per: dict[str, list[int]] = {}
        for x, i in members:
            per.setdefault(x, []).append(i)
        ref_id = max(sorted(per), key=lambda x: (sum(by_id[x].sentences[i][1] - by_id[x].sentences[i][0]
                                                      for i in per[x]), -ids.index(x)))
        spans = [by_id[ref_id].sentences[i] for i in sorted(per[ref_id])]
        txt = " ".join(by_id[ref_id].text[s:e] for s, e in spans)
        found.append((carriers, {"kind": "passage", "text": txt,
                                 "ref": {"article_id": ref_id, "start": spans[0][0], "end": spans[-1][1],
                                         "carried_by": sorted(carriers)}}))
    # quote groups
    by_quote = {q.id: q for q in quotes}
    for g in store.quote_groups(sid):
        carriers = {by_quote[q].article_id for q in g.quote_ids if q in by_quote}
        ref = by_quote.get(g.reference_id)
        if len(carriers) < 2 or ref is None:
            continue
        found.append((carriers, {"kind": "quote", "text": g.text,
                                 "ref": {"article_id": ref.article_id, "start": ref.start, "end": ref.end,
                                         "carried_by": sorted(carriers), "quote_group": g.id,
                                         "speaker": g.speaker}}))
    # claims (stances in this story's versions)
    for c in store.claims(ids):
        st = [s for s in c.stances if s.article_id in by_id]
        carriers = {s.article_id for s in st}
        if len(carriers) < 2:
            continue
        first = min(st, key=lambda s: (ids.index(s.article_id), s.start if s.start is not None else 0))
        found.append((carriers, {"kind": "claim", "text": c.text,
                                 "ref": {"article_id": first.article_id, "start": first.start, "end": first.end,
                                         "carried_by": sorted(carriers), "claim": c.id}}))
    # a version is judged only against versions in its own language: the alignment, the quotes and the
    # claims read one language, so a translation would omit everything the others carry
    lang = {a.id: a.language or "" for a in arts}
    versions = Counter(lang.values())
    for comp in comps:
        mine = lang[comp.article_id]
        peers = versions[mine]
        for carriers, rec in found:
            same = sum(1 for x in carriers if lang[x] == mine)
            if comp.article_id not in carriers and same >= max(2, math.ceil((peers - 1) / 2)):
                comp.omissions.append({"kind": rec["kind"], "text": rec["text"], "ref": dict(rec["ref"])})


def story_comparisons(store: "Store", *, encoder: Any | None = None) -> list[Comparison]:
    """Comparisons for every story of two or more articles, by story seq then member order: cached
    runs are read back; only stale or missing ones are computed (the encoder and framing model load
    only then) and, when the store is writable, cached."""
    out: list[Comparison] = []
    framing = None
    for s in store.stories():
        if len(s["article_ids"]) < 2:
            continue
        sid, key = comparison_key(store, s["id"])
        run = store.comparison_run(sid)
        if run is not None and run["key"] == key:
            out.extend(Comparison.from_record(sid, r) for r in store.stored_comparisons(sid))
            continue
        if encoder is None:
            from storyline.embed import shared_encoder

            encoder = shared_encoder()
        if framing is None:
            from storyline.nlp.framing import Framing

            framing = Framing(encoder)
        out.extend(compare_story(store, sid, encoder=encoder, framing=framing, use_cache=False))
    return out


def comparison_records(store: "Store") -> list[dict[str, Any]]:
    """The export's ``comparisons`` section."""
    return [c.to_dict() for c in story_comparisons(store)]
