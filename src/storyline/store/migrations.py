"""Schema migrations for the SQLite store.

The schema is an ordered list of :class:`Migration` steps. Opening a database applies every step whose
version is above the highest one recorded in ``schema_migrations``, each step in its own transaction,
and records it there (version, description, applied_at). Steps are append-only: never edit a released
step; add a new one. Later capabilities (stories, reuse links, quotes, claims, comparisons) add their
tables as new steps at the end of :data:`MIGRATIONS`.

A step is SQL text (several statements, triggers included) or a callable taking the connection, for
data migrations that need Python. Either runs inside the step's transaction: do not ``COMMIT`` in it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from storyline.errors import StoreError


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str | Callable[[sqlite3.Connection], None]


_V1 = """
-- Outlets. key is a lower-case slug (the domain when known); name is for display.
CREATE TABLE sources (
    key     TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    domain  TEXT,
    meta    TEXT NOT NULL DEFAULT '{}'          -- JSON object
);

-- Articles, ok and dropped. rid is an explicit INTEGER PRIMARY KEY so the rowid the FTS index points
-- at survives VACUUM (an implicit rowid may be renumbered); id is the content-addressed public id.
CREATE TABLE articles (
    rid             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    input_kind      TEXT NOT NULL,
    path            TEXT,
    url             TEXT,
    source_key      TEXT REFERENCES sources(key),
    source          TEXT,
    title           TEXT,
    byline          TEXT,
    published_at    TEXT,                      -- ISO 8601 with the offset as found
    published_utc   TEXT,                      -- same instant in UTC, fixed width: sorting and filters
    date_precision  TEXT,
    date_method     TEXT,
    language        TEXT,
    raw_text        TEXT NOT NULL DEFAULT '',  -- removals index this
    text            TEXT NOT NULL DEFAULT '',  -- clean text; sentences index this
    sentences       TEXT NOT NULL DEFAULT '[]',-- JSON [[start, end], ...]
    status          TEXT NOT NULL CHECK (status IN ('ok', 'dropped')),
    drop_reason     TEXT,
    drop_detail     TEXT,
    meta            TEXT NOT NULL DEFAULT '{}',-- JSON object
    added_at        TEXT NOT NULL              -- ISO 8601 UTC
);
CREATE INDEX articles_source_key ON articles(source_key);
CREATE INDEX articles_published ON articles(published_utc, id);
CREATE INDEX articles_status ON articles(status, drop_reason);

-- Boilerplate taken out of an article, in order; start/end index articles.raw_text.
CREATE TABLE removals (
    article_id  TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;

-- Full-text index over the title and clean text of ok articles. Its external content is a view of
-- the ok rows, so 'rebuild' and 'integrity-check' agree with what the triggers index.
CREATE VIEW articles_fts_content AS
    SELECT rid, title, text FROM articles WHERE status = 'ok';
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text,
    content = 'articles_fts_content', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Merge 8 segments of a level at a time instead of 4: measured 3.2k -> 3.7k articles/s on batched
-- adds of 3.4 KB articles, for a few more segments per query (Store.optimize_fts merges them all).
INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 8);
-- Store.add_articles indexes a whole batch with one INSERT ... SELECT, 1.7-2x faster than a trigger
-- firing per row (FTS5 flushes its pending terms at every statement boundary inside a trigger). It
-- sets fts_control.deferred = 1 for the length of its own transaction only; every other writer, and
-- anything that sees the committed database, finds 0 and gets the trigger.
CREATE TABLE fts_control (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    deferred  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO fts_control(id, deferred) VALUES (1, 0);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles
WHEN new.status = 'ok' AND (SELECT deferred FROM fts_control WHERE id = 1) = 0 BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles WHEN old.status = 'ok' BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text, status ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        SELECT 'delete', old.rid, old.title, old.text WHERE old.status = 'ok';
    INSERT INTO articles_fts(rowid, title, text)
        SELECT new.rid, new.title, new.text WHERE new.status = 'ok';
END;

-- Line statistics for the per-source boilerplate learner: how many documents of a source carry a
-- line with this fingerprint, and how many documents of the source were counted. No foreign key:
-- statistics may be saved before the articles that produced them are stored.
CREATE TABLE source_line_counts (
    source_key   TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (source_key, fingerprint)
) WITHOUT ROWID;
CREATE TABLE source_docs (
    source_key  TEXT PRIMARY KEY,
    n           INTEGER NOT NULL
);
"""

_V2 = """
-- Embedding cache. kind 'doc': one vector of dim float32 (little-endian); kind 'sent': the article's
-- sentence vectors as an n x dim row-major float32 matrix, in sentence order. model is the encoder's
-- name, so vectors of different models never mix. No foreign key: vectors may be computed before (or
-- without) storing their article, like source_line_counts. A rowid table: sentence matrices run to tens
-- of KB, too large for WITHOUT ROWID rows.
CREATE TABLE vectors (
    article_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('doc', 'sent')),
    model       TEXT NOT NULL,
    dim         INTEGER NOT NULL CHECK (dim > 0),
    data        BLOB NOT NULL,
    PRIMARY KEY (article_id, kind, model)
);
"""

_V3 = """
-- Reuse links between two articles, one row per unordered pair with a < b. direction says which way
-- the text travelled ('a->b': from a to b), NULL when it cannot be told. scores and evidence are JSON
-- objects (containment each way, aligned shares; the rule behind the kind and the direction).
CREATE TABLE reuse_links (
    a          TEXT NOT NULL,
    b          TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('duplicate', 'near_duplicate', 'partial_reuse', 'rewrite')),
    direction  TEXT CHECK (direction IS NULL OR direction IN ('a->b', 'b->a')),
    scores     TEXT NOT NULL DEFAULT '{}',
    evidence   TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX reuse_links_b ON reuse_links(b);

-- The aligned passages of a link, in order of a_start; spans index each article's clean text.
CREATE TABLE reuse_passages (
    a           TEXT NOT NULL,
    b           TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    a_start     INTEGER NOT NULL,
    a_end       INTEGER NOT NULL,
    b_start     INTEGER NOT NULL,
    b_end       INTEGER NOT NULL,
    similarity  REAL NOT NULL,
    match       TEXT NOT NULL CHECK (match IN ('exact', 'paraphrase', 'changed')),
    PRIMARY KEY (a, b, seq),
    FOREIGN KEY (a, b) REFERENCES reuse_links(a, b) ON DELETE CASCADE
) WITHOUT ROWID;

-- The persistent MinHash index: one uint32[128] little-endian signature per article. LSH band keys
-- are rebuilt from these on load, so stored articles are never shingled again. An article with a row
-- here has been through the reuse stage.
CREATE TABLE minhash (
    article_id  TEXT PRIMARY KEY,
    sig         BLOB NOT NULL
);

-- Outlets an article's clean text credits ("told Channel 9", "according to X"), in order of first mention.
CREATE TABLE article_citations (
    article_id  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    source      TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
) WITHOUT ROWID;
"""

_V4 = """
-- Stories (issue 5). id is given once by the streaming clusterer (S000001, ...) and never renumbered.
-- centroid: the unit-length mean of the member vectors (float32 little-endian); vsum_norm: the length
-- of the sum of member vectors, so the clusterer's running sum is centroid * vsum_norm. entities: JSON
-- object entity -> member articles naming it. first_seen/last_seen: ISO 8601 UTC, NULL when undated.
CREATE TABLE stories (
    id                 TEXT PRIMARY KEY,
    seq                INTEGER NOT NULL,
    title              TEXT,
    first_seen         TEXT,
    last_seen          TEXT,
    representative_id  TEXT,
    entities           TEXT NOT NULL DEFAULT '{}',
    centroid           BLOB,
    vsum_norm          REAL NOT NULL DEFAULT 0,
    storyline_id       TEXT,
    n_articles         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_storyline ON stories(storyline_id);

-- Which story each article is in (one story per article); seq: order of arrival in the story.
CREATE TABLE story_articles (
    story_id    TEXT NOT NULL,
    article_id  TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id, seq);

-- Storylines: stories linked over time. id is 'L' + the number of the oldest story, so it stays put.
CREATE TABLE storylines (
    id  TEXT PRIMARY KEY
);
-- A later story (to_story) continuing an earlier one (from_story); evidence is a JSON object
-- (shared_entities, gap_days, similarity).
CREATE TABLE storyline_links (
    from_story  TEXT NOT NULL,
    to_story    TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (from_story, to_story)
) WITHOUT ROWID;

-- The streaming clusterer's state between runs (one row): next story number, merges (absorbed id ->
-- kept id), stream clock, entity document frequencies. JSON.
CREATE TABLE clusterer_state (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    state  TEXT NOT NULL
);
"""

_V5 = """
-- Quotes (issue 6). Offsets index the article's clean text. kind: direct, indirect, partial, mixed.
-- group_id/altered/difference come from grouping the same quote across the articles of a story.
CREATE TABLE quotes (
    id               TEXT PRIMARY KEY,
    article_id       TEXT NOT NULL,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    text             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    cue              TEXT,
    cue_start        INTEGER,
    cue_end          INTEGER,
    speaker          TEXT,
    speaker_start    INTEGER,
    speaker_end      INTEGER,
    speaker_mention  TEXT,
    speaker_role     TEXT,
    speaker_type     TEXT,
    denial           INTEGER NOT NULL DEFAULT 0,
    group_id         TEXT,
    altered          INTEGER NOT NULL DEFAULT 0,
    difference       TEXT
);
CREATE INDEX quotes_article ON quotes(article_id, start);
CREATE INDEX quotes_speaker ON quotes(speaker);
CREATE INDEX quotes_group ON quotes(group_id);

-- A quote's attribution chain, original outlet first (seq 0).
CREATE TABLE quote_chain (
    quote_id  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    name      TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    how       TEXT NOT NULL,
    PRIMARY KEY (quote_id, seq)
) WITHOUT ROWID;

-- Articles the quotes stage has analysed (with or without quotes found), so it runs once per article.
CREATE TABLE quote_runs (
    article_id  TEXT PRIMARY KEY
);

-- The same quote across a story's articles: quote_ids and altered (quote id -> difference) are JSON.
CREATE TABLE quote_groups (
    id            TEXT PRIMARY KEY,
    story_id      TEXT,
    reference_id  TEXT NOT NULL,
    text          TEXT NOT NULL,
    speaker       TEXT,
    quote_ids     TEXT NOT NULL DEFAULT '[]',
    altered       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX quote_groups_story ON quote_groups(story_id);

-- Canonical claims across the articles of a story or storyline (scope); seq orders them in a scope.
CREATE TABLE claims (
    id      TEXT PRIMARY KEY,
    scope   TEXT,
    seq     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    holder  TEXT,
    score   REAL
);
CREATE INDEX claims_scope ON claims(scope, seq);

-- Per article stances on a claim: asserts, reports, denies, disputes; offsets index the clean text.
CREATE TABLE claim_stances (
    claim_id     TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    article_id   TEXT NOT NULL,
    stance       TEXT NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    holder       TEXT,
    holder_role  TEXT,
    text         TEXT NOT NULL DEFAULT '',
    quote_id     TEXT,
    PRIMARY KEY (claim_id, seq)
) WITHOUT ROWID;
CREATE INDEX claim_stances_article ON claim_stances(article_id);
"""

_V6 = """
-- Cached comparisons of a story's versions (issue 7): one run per story, keyed by a fingerprint of
-- what the comparison reads (member and reference ids, their removals, reuse links, quote groups,
-- claim stances, the story's centroid, the compare rules' version); a stale key means recompute.
CREATE TABLE comparison_runs (
    story_id     TEXT PRIMARY KEY,
    key          TEXT NOT NULL,
    computed_at  TEXT NOT NULL,
    versions     INTEGER NOT NULL
);

-- One row per version of the story: JSON lists; offsets index the article's clean text. The small
-- columns come first: a page that reads only them does not walk the large ones' overflow pages.
CREATE TABLE comparisons (
    story_id      TEXT NOT NULL,
    article_id    TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    extra         TEXT NOT NULL DEFAULT '{}',  -- counts, headline terms and other view-only fields
    loaded_terms  TEXT NOT NULL DEFAULT '[]',
    omissions     TEXT NOT NULL DEFAULT '[]',
    additions     TEXT NOT NULL DEFAULT '[]',  -- with kind and evidence
    shared        TEXT NOT NULL DEFAULT '[]',  -- shared paragraphs (start, end, evidence)
    PRIMARY KEY (story_id, article_id)
) WITHOUT ROWID;
CREATE INDEX comparisons_article ON comparisons(article_id);
"""

_V7 = """
-- Embedding cache for short texts that are not an article's sentences (claim propositions): one
-- float32 row (little-endian) per model and text. key is the SHA-1 of the UTF-8 text, so the key stays
-- small whatever the text; the text itself is not kept. No foreign key: a proposition recurs across
-- articles and outlives any one of them. A rowid table: a 384-float row is 1.5 KB.
CREATE TABLE text_vectors (
    model  TEXT NOT NULL,
    key    BLOB NOT NULL,
    dim    INTEGER NOT NULL CHECK (dim > 0),
    data   BLOB NOT NULL,
    PRIMARY KEY (model, key)
);
"""

_V8 = """
-- Translation links (kind 'translation'): reuse_links' CHECK is rebuilt to allow the kind. SQLite
-- cannot alter a CHECK, so both tables are copied aside, dropped (passages first: no cascade fires),
-- created again as in step 3 with the wider CHECK, and filled back.
CREATE TEMP TABLE _links_v8 AS SELECT a, b, kind, direction, scores, evidence FROM reuse_links;
CREATE TEMP TABLE _passages_v8 AS
    SELECT a, b, seq, a_start, a_end, b_start, b_end, similarity, match FROM reuse_passages;
DROP TABLE reuse_passages;
DROP TABLE reuse_links;
CREATE TABLE reuse_links (
    a          TEXT NOT NULL,
    b          TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('duplicate', 'near_duplicate', 'partial_reuse', 'rewrite',
                                             'translation')),
    direction  TEXT CHECK (direction IS NULL OR direction IN ('a->b', 'b->a')),
    scores     TEXT NOT NULL DEFAULT '{}',
    evidence   TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (a, b),
    CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX reuse_links_b ON reuse_links(b);
CREATE TABLE reuse_passages (
    a           TEXT NOT NULL,
    b           TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    a_start     INTEGER NOT NULL,
    a_end       INTEGER NOT NULL,
    b_start     INTEGER NOT NULL,
    b_end       INTEGER NOT NULL,
    similarity  REAL NOT NULL,
    match       TEXT NOT NULL CHECK (match IN ('exact', 'paraphrase', 'changed')),
    PRIMARY KEY (a, b, seq),
    FOREIGN KEY (a, b) REFERENCES reuse_links(a, b) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO reuse_links SELECT * FROM _links_v8;
INSERT INTO reuse_passages SELECT * FROM _passages_v8;
DROP TABLE _links_v8;
DROP TABLE _passages_v8;
"""

#: Every schema step, in order. Append only.
MIGRATIONS: list[Migration] = [
    Migration(1, "articles, sources, removals, FTS5 index, source line statistics", _V1),
    Migration(2, "vector cache (document and sentence embeddings per model)", _V2),
    Migration(3, "reuse links and passages, MinHash signatures, cited sources", _V3),
    Migration(4, "stories, story membership, storylines and their links, clusterer state", _V4),
    Migration(5, "quotes with their chains, quote groups, claims and their stances", _V5),
    Migration(6, "cached story comparisons (additions, omissions, loaded terms per version)", _V6),
    Migration(7, "vector cache for short texts (claim propositions) by model and text hash", _V7),
    Migration(8, "reuse links of kind 'translation'", _V8),
]

#: The schema version this code writes.
LATEST_VERSION = MIGRATIONS[-1].version

_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version      INTEGER PRIMARY KEY,
    description  TEXT NOT NULL,
    applied_at   TEXT NOT NULL
)
"""


def split_sql(script: str) -> list[str]:
    """Split a script into complete statements (trigger bodies keep their inner semicolons)."""
    out: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            stmt = buf.strip()
            if stmt.strip(";").strip() and not _only_comments(stmt):
                out.append(stmt)
            buf = ""
    if buf.strip(";").strip() and not _only_comments(buf):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buf.strip()[:80]!r}")
    return out


def _only_comments(stmt: str) -> bool:
    lines = [ln.strip() for ln in stmt.strip().rstrip(";").splitlines()]
    return all(not ln or ln.startswith("--") for ln in lines)


def current_version(conn: sqlite3.Connection) -> int:
    """The highest applied version, 0 for a database without the ledger."""
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Apply the pending steps, each in its own ``BEGIN IMMEDIATE`` transaction; return their versions.

    The connection must be in autocommit mode (``isolation_level=None``). Safe against a second process
    migrating at the same time: the version is read again after the write lock is taken.
    """
    steps = MIGRATIONS if migrations is None else migrations
    applied: list[int] = []
    for step in steps:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_LEDGER)
            if current_version(conn) >= step.version:
                conn.execute("COMMIT")
                continue
            if callable(step.sql):
                step.sql(conn)
            else:
                for stmt in split_sql(step.sql):
                    conn.execute(stmt)
            conn.execute(
                "INSERT INTO schema_migrations(version, description, applied_at) VALUES (?, ?, ?)",
                (step.version, step.description, datetime.now(timezone.utc).isoformat(timespec="seconds")),
            )
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(
                    f"Schema migration {step.version} ({step.description}) failed: {exc}. "
                    "The database was left at the previous version; report this as a bug."
                ) from exc
            raise
        applied.append(step.version)
    return applied
