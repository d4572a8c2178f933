"""The ingest pipeline: read → clean → language → store, in batches, timed per stage.

This is the one place that wires stages to the Store. Each stage is a plain object with
``process(batch) -> batch``; the pipeline only batches, skips articles already stored, feeds the
per-source boilerplate learner, and reports progress through a callback (libraries log, the CLI
prints).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from storyline.clean import Cleaner, LineStats
from storyline.ingest import ReadOptions
from storyline.ingest.parallel import PREPARED, read_inputs_parallel
from storyline.lang import LanguageDetector
from storyline.model import Article
from storyline.store import Store

logger = logging.getLogger(__name__)

ProgressFn = Callable[[Article], None]


@dataclass
class IngestReport:
    """What one ``add`` did: counts, the dropped articles with reasons, and time per stage."""

    read: int = 0
    inserted: int = 0
    existing: int = 0
    dropped: list[Article] = field(default_factory=list)
    recleaned: int = 0
    reuse_links: int = 0  # links found by the reuse stage in this add (0 when reuse is off)
    stories_assigned: int = 0  # articles put in a story in this add (0 when stories are off)
    new_stories: int = 0
    quotes: int = 0  # quotes found in this add's articles (0 when the quotes stage is off)
    quote_articles: int = 0  # articles the quotes stage analysed in this add
    claims: int = 0  # claims (re)computed for the stories this add changed
    stage_seconds: dict[str, float] = field(default_factory=lambda: Counter())
    by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.dropped

    @property
    def total_seconds(self) -> float:
        return sum(self.stage_seconds.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "inserted": self.inserted,
            "existing": self.existing,
            "dropped": [
                {"id": a.id, "location": a.location, "reason": a.drop_reason, "detail": a.drop_detail}
                for a in self.dropped
            ],
            "recleaned": self.recleaned,
            "reuse_links": self.reuse_links,
            "stories_assigned": self.stories_assigned,
            "new_stories": self.new_stories,
            "quotes": self.quotes,
            "quote_articles": self.quote_articles,
            "claims": self.claims,
            "by_kind": dict(sorted(self.by_kind.items())),
            "stage_seconds": {k: round(v, 4) for k, v in sorted(self.stage_seconds.items())},
        }


def _batched(items: Iterator[Article], size: int, timer: dict[str, float]) -> Iterator[list[Article]]:
    batch: list[Article] = []
    t0 = time.perf_counter()
    for a in items:
        batch.append(a)
        if len(batch) >= size:
            timer["read"] += time.perf_counter() - t0
            yield batch
            batch = []
            t0 = time.perf_counter()
    timer["read"] += time.perf_counter() - t0
    if batch:
        yield batch


class Pipeline:
    """Reads inputs into a Store. One instance per store; not thread-safe (one writer)."""

    def __init__(
        self, store: Store, *, batch_size: int = 200, detect_language: bool = True, workers: int | None = 1,
        reuse: bool = False, encoder: object | None = None, stories: bool = False, quotes: bool = False,
    ) -> None:
        """``workers``: reader processes for local files (``None``: one per core; the CLI's default).
        More than one uses ``spawn``, so a calling script needs an ``if __name__ == "__main__":`` guard.

        ``reuse``: after storing, link the new articles to the stored ones (copies, partial reuse,
        rewrites; :mod:`storyline.reuse.stage`). Off by default in the library (it loads the MiniLM
        encoder and embeds every new sentence); on by default in ``storyline add``. ``encoder``
        replaces the default CPU MiniLM for it.

        ``stories``: after reuse, put the new articles in stories and relink storylines
        (:mod:`storyline.stories`); off by default in the library, on in ``storyline add``.

        ``quotes``: after stories, find the quotes of every article not analysed yet, then recompute the
        quote groups of the stories they are in and the claims of those stories' storylines
        (:class:`QuotesStep`); off by default in the library (it loads spaCy and MiniLM), on in
        ``storyline add`` (``--no-quotes`` skips).
        """
        self.store = store
        self.batch_size = batch_size
        self.workers = workers
        self.language = LanguageDetector() if detect_language else None
        self._stats = LineStats()
        self._loaded_sources: set[str] = set()
        self.reuse = None
        if reuse:
            from storyline.reuse.stage import ReuseStage

            self.reuse = ReuseStage(encoder)
        self.stories = None
        if stories:
            from storyline.stories import StoriesStage

            self.stories = StoriesStage(encoder)
        self.quotes = QuotesStep(encoder, workers=workers) if quotes else None

    # -- per-source line statistics --------------------------------------------------------
    def _load_stats(self, source_keys: Iterable[str]) -> None:
        todo = {k for k in source_keys if k and k not in self._loaded_sources}
        if not todo:
            return
        counts, docs = self.store.load_line_stats(sorted(todo))
        for k in todo:
            self._stats.counts[k] = dict(counts.get(k, {}))
            self._stats.docs[k] = int(docs.get(k, 0))
        self._loaded_sources |= todo

    def _repeated_set(self, source_key: str) -> frozenset[str]:
        return frozenset(self._stats.repeated_fingerprints(source_key)) if source_key else frozenset()

    # -- the run -------------------------------------------------------------------------------
    def add(
        self,
        inputs: Iterable[str],
        options: ReadOptions | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> IngestReport:
        report = IngestReport()
        timer = report.stage_seconds
        seen: set[str] = set()
        touched: dict[str, frozenset[str]] = {}
        stream = read_inputs_parallel(inputs, options, workers=self.workers, prepare=True)
        for batch in _batched(stream, self.batch_size, timer):
            report.read += len(batch)
            fresh = self._fresh(batch, seen, report)
            if fresh:
                self._process_batch(fresh, report, touched)
            if progress:
                for a in batch:
                    progress(a)
        t0 = time.perf_counter()
        report.recleaned = self._reclean(touched)
        timer["reclean"] += time.perf_counter() - t0
        if self.reuse is not None:
            t0 = time.perf_counter()
            report.reuse_links = self.reuse.run(self.store).links
            timer["reuse"] += time.perf_counter() - t0
        if self.stories is not None:
            t0 = time.perf_counter()
            srep = self.stories.run(self.store, self.reuse.encoder if self.reuse is not None else None)
            report.stories_assigned, report.new_stories = srep.articles, srep.new_stories
            timer["stories"] += time.perf_counter() - t0
        if self.quotes is not None:
            t0 = time.perf_counter()
            qrep = self.quotes.run(self.store)
            report.quotes, report.quote_articles, report.claims = qrep.quotes, qrep.articles, qrep.claims
            timer["quotes"] += qrep.quote_seconds
            timer["claims"] += time.perf_counter() - t0 - qrep.quote_seconds
        logger.info(
            "added %d new, %d already stored, %d dropped in %.2fs",
            report.inserted, report.existing, len(report.dropped), report.total_seconds,
        )
        return report

    def _fresh(self, batch: Sequence[Article], seen: set[str], report: IngestReport) -> list[Article]:
        t0 = time.perf_counter()
        known = self.store.has_ids([a.id for a in batch])
        fresh: list[Article] = []
        for a in batch:
            report.by_kind[a.input_kind] += 1
            if a.id in known or a.id in seen:
                report.existing += 1
                if a.status == "dropped":
                    report.dropped.append(a)
                continue
            seen.add(a.id)
            fresh.append(a)
        report.stage_seconds["store"] += time.perf_counter() - t0
        return fresh

    def _process_batch(
        self, batch: list[Article], report: IngestReport, touched: dict[str, frozenset[str]]
    ) -> None:
        timer = report.stage_seconds
        t0 = time.perf_counter()
        keys = {a.source_key for a in batch if a.status == "ok" and a.source_key}
        self._load_stats(keys)
        for k in keys - touched.keys():  # the repeated set as it was before this add began
            touched[k] = self._repeated_set(k)
        delta_counts: dict[str, Counter[str]] = {}
        delta_docs: Counter[str] = Counter()
        article_fps: dict[int, set[str]] = {}
        for a in batch:
            if a.status != "ok" or not a.source_key:
                continue
            fps = article_fps[id(a)] = LineStats.candidate_lines(a.raw_text)
            per = self._stats.counts.setdefault(a.source_key, {})
            for fp in fps:
                per[fp] = per.get(fp, 0) + 1
            self._stats.docs[a.source_key] = self._stats.docs.get(a.source_key, 0) + 1
            delta_counts.setdefault(a.source_key, Counter()).update(fps)
            delta_docs[a.source_key] += 1
        repeated = {k: self._repeated_set(k) for k in keys}
        # Worker processes already cleaned what they read, without corpus statistics; only articles
        # whose source has learned repeated lines need cleaning again here, with the statistics.
        cleaner = Cleaner(self._stats)
        todo = [
            a for a in batch
            if not a.meta.pop(PREPARED, False)
            or not repeated.get(a.source_key or "", frozenset()).isdisjoint(article_fps.get(id(a), ()))
        ]
        cleaner.process(todo)
        timer["clean"] += time.perf_counter() - t0

        if self.language is not None:
            t0 = time.perf_counter()
            batch = self.language.process(batch)
            timer["language"] += time.perf_counter() - t0

        t0 = time.perf_counter()
        with self.store.transaction():  # articles and their line counts land together or not at all
            result = self.store.add_articles(batch)
            self.store.save_line_stats({k: dict(v) for k, v in delta_counts.items()}, dict(delta_docs))
        timer["store"] += time.perf_counter() - t0
        report.inserted += _count(result.inserted)
        report.existing += _count(result.existing)
        report.dropped.extend(a for a in batch if a.status == "dropped")

    def _reclean(self, touched: dict[str, frozenset[str]]) -> int:
        """Re-clean stored articles of sources whose repeated-line set changed during this add.

        Only articles holding a line that entered or left the set are cleaned again (finding them
        costs a line hash per line, far less than cleaning).
        """
        diffs = {k: before ^ self._repeated_set(k) for k, before in touched.items()}
        diffs = {k: d for k, d in diffs.items() if d}
        if not diffs:
            return 0
        cleaner = Cleaner(self._stats)
        n = 0
        for key, diff in sorted(diffs.items()):
            updated: list[Article] = []
            for art in self.store.iter_articles(status="ok", source=key):
                if diff.isdisjoint(LineStats.candidate_lines(art.raw_text)):
                    continue
                old = (art.text, [(r.start, r.end, r.reason) for r in art.removed])
                cleaner.process([art])
                if (art.text, [(r.start, r.end, r.reason) for r in art.removed]) != old:
                    updated.append(art)
                    if len(updated) >= 500:
                        n += self.store.update_clean_many(updated)
                        updated = []
            n += self.store.update_clean_many(updated)
        if n:
            logger.info("re-cleaned %d stored articles after learning repeated lines of %s", n, sorted(diffs))
        return n


@dataclass
class QuotesStepReport:
    articles: int = 0  # articles analysed for quotes
    quotes: int = 0
    groups: int = 0
    claims: int = 0
    stories: int = 0  # stories whose groups were recomputed
    quote_seconds: float = 0.0


class QuotesStep:
    """The quotes and claims stage over the store (the one place that wires them to it).

    1. Every ok article the quotes stage has not analysed (``quote_runs``) goes through
       :class:`~storyline.nlp.quotes.QuotesStage` in batches; its quotes replace any stored ones.
    2. The stories holding those articles get their quote groups recomputed over all their members.
    3. The claims of those stories' storylines (a story outside any storyline on its own; an article
       outside any story on its own) are recomputed over all their members' quotes and sentences
       (:class:`~storyline.nlp.claims.ClaimsStage`), with the cached sentence vectors when check-worthiness
       scoring is available.

    Re-running with nothing new does nothing.
    """

    def __init__(self, encoder: object | None = None, *, batch_size: int = 50, checkworthy: object | bool = True,
                 workers: int | None = 1) -> None:
        """``workers``: spaCy parser processes (``None``: one per core). For a batch of at least
        ``PARALLEL_MIN`` articles the quotes stage forks children that parse a share each while this
        process parses its own and receive back only quotes; the quotes are the same either way."""
        self.batch_size = batch_size
        self._encoder = encoder
        self._checkworthy = checkworthy
        self.workers = workers

    PARALLEL_MIN = 16

    def run(self, store: Store, ids: Sequence[str] | None = None, *, regroup: bool = False) -> QuotesStepReport:
        """Analyse ``ids`` (default: every article not analysed yet), then recompute the groups and
        claims of their scopes and of every scope whose stored groups or claims no longer match the
        stories (a story split or merged, or joined or left a storyline). ``regroup``: recompute every
        storyline's quote groups (after reuse links were judged again: they decide reworded versions)."""
        from storyline.nlp.claims import ClaimsStage
        from storyline.nlp.quote_groups import apply_groups, group_quotes
        from storyline.nlp.quotes import QuotesStage

        rep = QuotesStepReport()
        todo = list(store.ids_without_quote_run() if ids is None else ids)
        stories = store.stories()
        story_of = {aid: s["id"] for s in stories for aid in s["article_ids"]}
        members = {s["id"]: list(s["article_ids"]) for s in stories}
        line_of = {s["id"]: s.get("storyline_id") or s["id"] for s in stories}
        # a quote is grouped, and a claim gathered, across its storyline: a follow-up or a partisan
        # retelling in a later story quotes the same words (a story outside any storyline is its own
        # scope; for claims, so is an article outside any story)
        line_members: dict[str, list[str]] = {}
        line_stories: dict[str, list[str]] = {}
        for sid in sorted(members):
            line_members.setdefault(line_of[sid], []).extend(members[sid])
            line_stories.setdefault(line_of[sid], []).append(sid)

        def scope(a: str) -> str:
            return line_of[story_of[a]] if a in story_of else a

        stale_groups, stale_claims = set(), set()
        old_groups, old_claims = store.analysis_scopes()
        for old, stale in ((old_groups, stale_groups), (old_claims, stale_claims)):
            for was, arts_ in old.values():
                now = {scope(a) for a in arts_}
                if now != {was}:
                    stale |= now
        if not todo and not stale_groups and not stale_claims and not (regroup and line_members):
            return rep
        if stale_groups or stale_claims:
            logger.info("quotes: regrouping %d scope(s) whose stories changed", len(stale_groups | stale_claims))
        t0 = time.perf_counter()
        if todo:
            procs = self.workers if self.workers is not None else min(2, os.cpu_count() or 1)
            n_process = max(1, procs) if len(todo) >= self.PARALLEL_MIN else 1
            stage = QuotesStage(n_process=n_process)
            step = self.batch_size * (4 if n_process > 1 else 1)  # each parallel pass forks its children anew
            for i in range(0, len(todo), step):
                chunk = todo[i:i + step]
                arts = [store.get_article(a) for a in chunk]
                res = stage.process(arts)
                rep.articles += res.articles
                rep.quotes += store.put_quotes(chunk, res.quotes)
        rep.quote_seconds = time.perf_counter() - t0

        new = set(todo)
        group_scopes = set(line_members) if regroup else {scope(a) for a in new if a in story_of} | stale_groups
        groups_by_scope: dict[str, list] = {}
        grouped = []
        for sc in sorted(group_scopes):
            if sc not in line_members:  # an article now outside any story: its quotes leave their groups
                grouped += apply_groups(store.quotes([sc]), [])
                continue
            arts_ = line_members[sc]
            qs = store.quotes(arts_)
            gs = group_quotes(qs, {a: sc for a in arts_}, store.reuse_pairs(arts_))
            for sid in line_stories[sc]:  # groups kept under a story before it joined the storyline
                groups_by_scope[sid] = []
            groups_by_scope[sc] = gs
            grouped += apply_groups(qs, gs)
            rep.groups += len(gs)
        if groups_by_scope or grouped:
            store.put_quote_groups(groups_by_scope, grouped)
        rep.stories = sum(len(line_stories.get(sc, ())) for sc in group_scopes)

        # claims are replaced whole, so a claim across two scopes now (a split story) made both stale
        scopes = {scope(a) for a in new} | stale_claims
        scope_of: dict[str, str] = {}
        for sc in scopes:
            for a in line_members.get(sc, [sc]):
                scope_of[a] = sc
        if scope_of:
            # proposition vectors are kept in the store: regrouping a storyline embeds only what is new
            claims_stage = ClaimsStage(self._encoder, checkworthy=self._checkworthy,  # type: ignore[arg-type]
                                       vector_cache=store)
            all_ids = sorted(scope_of)
            arts = [store.get_article(a) for a in all_ids]
            arts = [a for a in arts if a.status == "ok"]
            vectors = None
            if claims_stage.checkworthy is not None:
                from storyline.embed import ensure_sentence_vectors

                vectors = ensure_sentence_vectors(store, claims_stage.encoder, arts)
            claims = claims_stage.process(arts, store.quotes(all_ids), scope_of, vectors)
            rep.claims = store.put_claims(all_ids, claims)
        logger.info("quotes: %d in %d articles; %d groups in %d stories; %d claims", rep.quotes, rep.articles,
                    rep.groups, rep.stories, rep.claims)
        return rep


def _count(x: object) -> int:
    if isinstance(x, int):
        return x
    try:
        return len(x)  # type: ignore[arg-type]
    except TypeError:
        return 0
