"""The SQLite store: one file, WAL, migrations recorded in the database, FTS5 search.

One :class:`Store` holds one connection. Writes are transactions of their own (``BEGIN IMMEDIATE``), so
each :meth:`Store.add_articles` call is atomic: a process killed half-way leaves either all of a batch
or none of it, and because ids are content-addressed, adding the same articles again only fills in
what is missing. Readers (the web UI) open their own ``Store(path, readonly=True)`` and read
concurrently under WAL.

Datetimes are stored as ISO 8601 with their offset (``published_at``) and read back timezone-aware; a
naive datetime is taken to be UTC. A second column, ``published_utc``, holds the same instant in UTC
in a fixed-width form, so sorting and ``since``/``until`` filters compare instants, not strings with
different offsets.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from storyline.errors import NotFoundError, StoreError, UsageError
from storyline.model import Article, ChainLink, Claim, ClaimStance, Quote, QuoteGroup, Removal
from storyline.store import migrations as _migrations
from storyline.store.fts import fts_query, fts_query_plain
from storyline.text import domain_of

#: How long a writer waits for another writer's lock before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000
#: Most host parameters put in one ``IN (...)`` list; SQLite 3.32+ allows 32,766.
_CHUNK = 500
_MIN_PREFIX = 4
#: Marks around each matched word in :attr:`SearchHit.snippet`.
SNIPPET_OPEN, SNIPPET_CLOSE = "[", "]"

_COLUMNS = (
    "id", "input_kind", "path", "url", "source_key", "source", "title", "byline", "published_at",
    "published_utc", "date_precision", "date_method", "language", "raw_text", "text", "sentences",
    "status", "drop_reason", "drop_detail", "meta", "added_at",
)
_INSERT_SQL = (
    f"INSERT OR IGNORE INTO articles({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)})"
)
_SELECT = (
    "SELECT id, input_kind, path, url, source_key, source, title, byline, published_at, "
    "date_precision, date_method, language, raw_text, text, sentences, status, drop_reason, "
    "drop_detail, meta FROM articles"
)
_SELECT_RID = "SELECT rid, " + _SELECT[len("SELECT ") :]
_SELECT_KEY = "SELECT published_utc, " + _SELECT[len("SELECT ") :]
_ORDERS = {
    "published": "published_utc IS NULL, published_utc, id",
    "-published": "published_utc IS NULL, published_utc DESC, id",
    "added": "rid",
    "-added": "rid DESC",
    "id": "id",
}


@dataclass(slots=True)
class AddResult:
    """What one :meth:`Store.add_articles` call did, as a partition of the batch's distinct ids.

    ``inserted``: newly stored with status ``ok``; ``dropped``: newly stored with status ``dropped``;
    ``existing``: already in the database (or repeated in the batch), left untouched.
    """

    inserted: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def stored(self) -> list[str]:
        """Every id this call wrote (ok and dropped)."""
        return self.inserted + self.dropped

    def __iadd__(self, other: "AddResult") -> "AddResult":
        self.inserted += other.inserted
        self.existing += other.existing
        self.dropped += other.dropped
        return self


@dataclass(slots=True)
class SearchHit:
    """One search result: ``score`` is FTS5 bm25 (lower is better, title weighted 2x), ``snippet`` marks
    matched words as ``[word]``."""

    article: Article
    score: float
    snippet: str


# --------------------------------------------------------------------------- datetimes and JSON


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None and dt.utcoffset() is not None else dt.replace(tzinfo=timezone.utc)


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else _aware(dt).isoformat()


def _utc_key(dt: datetime | None) -> str | None:
    """Fixed-width UTC form: compares as text in time order."""
    if dt is None:
        return None
    naive_utc = _aware(dt).astimezone(timezone.utc).replace(tzinfo=None)
    return naive_utc.isoformat(timespec="microseconds") + "Z"


def _parse_dt(s: str | None) -> datetime | None:
    if not s:
        return None
    return _aware(datetime.fromisoformat(s))


def _bound(value: datetime | date | None, *, upper: bool) -> tuple[str, str] | None:
    """An SQL comparison (operator, key) for a since/until value; a date covers its whole (UTC) day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return ("<=" if upper else ">=", _utc_key(value) or "")
    if isinstance(value, date):
        day = datetime.combine(value, time.min, tzinfo=timezone.utc)
        if upper:
            return ("<", _utc_key(day + timedelta(days=1)) or "")
        return (">=", _utc_key(day) or "")
    raise UsageError(f"since/until must be a date or datetime, not {type(value).__name__}")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


# --------------------------------------------------------------------------- the store


class Store:
    """An SQLite database of articles, sources, boilerplate removals and line statistics.

    >>> with Store("storyline.db") as store:          # doctest: +SKIP
    ...     store.add_articles(batch)
    ...     hits = store.search('"EU-Canada" tariffs')

    ``path`` may be ``":memory:"`` (tests). ``readonly=True`` opens an existing database without
    writing anything, migrations included.
    """

    def __init__(
        self,
        path: str | Path = "storyline.db",
        *,
        readonly: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path) if str(path) != ":memory:" else Path(":memory:")
        self.readonly = readonly
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._memory = str(path) == ":memory:"
        self.conn = self._connect()
        try:
            self._prepare()
        except BaseException:
            self.conn.close()
            raise

    # ---------------------------------------------------------------- opening

    def _connect(self) -> sqlite3.Connection:
        if self._memory:
            if self.readonly:
                raise UsageError("An in-memory database cannot be opened read-only.")
            return sqlite3.connect(":memory:", isolation_level=None)
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not a database file: give the path of a .db file.")
        if self.readonly:
            if not self.path.exists():
                raise StoreError(f"No database at {self.path}: add articles first, or check the --db path.")
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
            try:
                return sqlite3.connect(uri, uri=True, isolation_level=None)
            except sqlite3.Error as exc:
                raise StoreError(f"Cannot open {self.path} read-only: {exc}.") from exc
        if not self.path.parent.exists():
            raise StoreError(
                f"Cannot create {self.path}: the folder {self.path.parent} does not exist. Create it first."
            )
        try:
            return sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open {self.path}: {exc}. Check the path and its permissions.") from exc

    def _prepare(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            tables = {
                r[0]
                for r in c.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            }
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a Storyline database (SQLite says: {exc}). "
                "Point --db at a Storyline .db file, or at a new path to create one."
            ) from exc
        user_tables = {t for t in tables if not t.startswith("sqlite_")}
        if user_tables and "schema_migrations" not in user_tables:
            raise StoreError(
                f"{self.path} is an SQLite database but not a Storyline one (it has tables "
                f"{', '.join(sorted(user_tables)[:5])} and no schema_migrations). "
                "Use a new path for the Storyline database."
            )
        c.execute("PRAGMA foreign_keys = ON")
        if not self.readonly:
            try:
                if not self._memory:
                    mode = c.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if str(mode).lower() != "wal":
                        raise StoreError(f"Cannot switch {self.path} to WAL mode (got {mode}).")
                c.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"Cannot configure {self.path}: {exc}.") from exc
        c.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache: FTS segment merges touch many pages
        c.execute("PRAGMA temp_store = MEMORY")

        version = _migrations.current_version(c)
        latest = _migrations.LATEST_VERSION
        if version > latest:
            raise StoreError(
                f"{self.path} has schema version {version}, written by a newer Storyline; this one knows "
                f"versions up to {latest}. Upgrade Storyline (pip install -U storyline) to open it."
            )
        if version < latest:
            if self.readonly:
                raise StoreError(
                    f"{self.path} has schema version {version} and needs migrating to {latest}; "
                    "open it once without read-only (any writing storyline command does it)."
                )
            _migrations.migrate(c)

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if getattr(self, "conn", None) is not None:
            self.conn.close()
            self.conn = None  # type: ignore[assignment]

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}{', readonly=True' if self.readonly else ''})"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); nested calls become savepoints.

        Later capabilities write their own tables through this, so their rows commit together with
        anything else done in the block.
        """
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; open it without readonly to write.")
        c = self.conn
        if c.in_transaction:
            name = f"sp{id(object())}"
            c.execute(f"SAVEPOINT {name}")
            try:
                yield c
            except BaseException:
                c.execute(f"ROLLBACK TO {name}")
                c.execute(f"RELEASE {name}")
                raise
            c.execute(f"RELEASE {name}")
            return
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"Cannot write to {self.path}: {exc}. Another process may be writing; try again when it is done."
            ) from exc
        try:
            yield c
        except BaseException:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise
        try:
            c.execute("COMMIT")
        except sqlite3.Error as exc:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise StoreError(f"Cannot commit to {self.path}: {exc}.") from exc

    # ---------------------------------------------------------------- writing articles

    def _article_row(self, a: Article, added_at: str) -> tuple[Any, ...]:
        return (
            a.id, a.input_kind, a.path, a.url, a.source_key, a.source, a.title, a.byline,
            _iso(a.published_at), _utc_key(a.published_at), a.date_precision, a.date_method, a.language,
            a.raw_text or "", a.text or "", _dumps([list(s) for s in a.sentences]), a.status,
            a.drop_reason, a.drop_detail, _dumps(a.meta or {}), added_at,
        )

    def add_articles(self, batch: Sequence[Article]) -> AddResult:
        """Store a batch in one transaction; articles whose id is already stored are left untouched.

        Idempotent and atomic: calling it again with the same batch changes nothing, and a crash mid-call
        stores none of the batch. Sources named by the articles are created on first sight.
        """
        result = AddResult()
        if not batch:
            return result
        for a in batch:
            if not a.id:
                raise UsageError(
                    f"Article from {a.location} has no id; readers set it with storyline.model.content_id()."
                )
            if a.status not in ("ok", "dropped"):
                raise UsageError(f"Article {a.id} has status {a.status!r}; it must be 'ok' or 'dropped'.")
        added_at = self._clock().astimezone(timezone.utc).isoformat(timespec="seconds")
        with self.transaction() as c:
            present = self._existing_ids(c, [a.id for a in batch])
            fresh: list[Article] = []
            for a in batch:
                if a.id in present:
                    result.existing.append(a.id)
                    continue
                present.add(a.id)
                fresh.append(a)
                (result.inserted if a.status == "ok" else result.dropped).append(a.id)
            if not fresh:
                return result
            self._upsert_sources(c, fresh)
            # Index the batch with one statement instead of the per-row trigger (see migrations.py).
            # Within this write transaction every row with rid > the old maximum is one of ours.
            before = c.execute("SELECT coalesce(max(rid), 0) FROM articles").fetchone()[0]
            c.execute("UPDATE fts_control SET deferred = 1 WHERE id = 1")
            c.executemany(_INSERT_SQL, [self._article_row(a, added_at) for a in fresh])
            c.execute(
                "INSERT INTO articles_fts(rowid, title, text) "
                "SELECT rid, title, text FROM articles WHERE rid > ? AND status = 'ok'",
                (before,),
            )
            c.execute("UPDATE fts_control SET deferred = 0 WHERE id = 1")
            removal_rows = [
                (a.id, seq, r.start, r.end, r.reason, r.text)
                for a in fresh
                for seq, r in enumerate(a.removed)
            ]
            if removal_rows:
                c.executemany(
                    'INSERT OR IGNORE INTO removals(article_id, seq, start, "end", reason, text) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    removal_rows,
                )
        return result

    def _upsert_sources(self, c: sqlite3.Connection, articles: Iterable[Article]) -> None:
        seen: dict[str, tuple[str, str | None]] = {}
        for a in articles:
            if a.source_key and a.source_key not in seen:
                seen[a.source_key] = (a.source or a.source_key, domain_of(a.url))
        if not seen:
            return
        # A real name replaces a placeholder (the key itself); a known domain fills a missing one.
        c.executemany(
            "INSERT INTO sources(key, name, domain) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET "
            "name = CASE WHEN sources.name = sources.key THEN excluded.name ELSE sources.name END, "
            "domain = COALESCE(sources.domain, excluded.domain)",
            [(k, name, dom) for k, (name, dom) in seen.items()],
        )

    def update_clean(self, article: Article) -> None:
        """Rewrite an existing article's clean text, removals and sentences (after re-cleaning)."""
        if self.update_clean_many([article]) == 0:
            raise NotFoundError(f"No article {article.id} in {self.path} to update; add it first.")

    def update_clean_many(self, articles: Iterable[Article]) -> int:
        """:meth:`update_clean` for many articles in one transaction; returns how many were found."""
        n = 0
        with self.transaction() as c:
            for a in articles:
                cur = c.execute(
                    "UPDATE articles SET text = ?, sentences = ? WHERE id = ?",
                    (a.text or "", _dumps([list(s) for s in a.sentences]), a.id),
                )
                if cur.rowcount == 0:
                    continue
                n += 1
                c.execute("DELETE FROM removals WHERE article_id = ?", (a.id,))
                c.executemany(
                    'INSERT INTO removals(article_id, seq, start, "end", reason, text) VALUES (?, ?, ?, ?, ?, ?)',
                    [(a.id, seq, r.start, r.end, r.reason, r.text) for seq, r in enumerate(a.removed)],
                )
                # reuse results index the old clean text: forget them, so the reuse stage sees the
                # article as new again (its passages' offsets would no longer hold)
                c.execute("DELETE FROM reuse_links WHERE a = ? OR b = ?", (a.id, a.id))
                c.execute("DELETE FROM minhash WHERE article_id = ?", (a.id,))
                c.execute("DELETE FROM article_citations WHERE article_id = ?", (a.id,))
                c.execute("DELETE FROM vectors WHERE article_id = ?", (a.id,))  # embedded the old text
                # quotes and claim evidence index the old clean text too: the quotes stage runs again
                self._forget_quotes(c, a.id)
        return n

    # ---------------------------------------------------------------- reading articles

    @staticmethod
    def _existing_ids(c: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        uniq = list(dict.fromkeys(ids))
        for chunk in _chunks(uniq):
            q = f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            out.update(r[0] for r in c.execute(q, chunk))
        return out

    def has_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these ids are stored (ok or dropped)."""
        return self._existing_ids(self.conn, list(ids))

    def _removals_for(self, ids: Sequence[str]) -> dict[str, list[Removal]]:
        out: dict[str, list[Removal]] = {}
        for chunk in _chunks(list(ids)):
            q = (
                'SELECT article_id, start, "end", text, reason FROM removals '
                f"WHERE article_id IN ({','.join('?' * len(chunk))}) ORDER BY article_id, seq"
            )
            for aid, start, end, text, reason in self.conn.execute(q, chunk):
                out.setdefault(aid, []).append(Removal(start=start, end=end, text=text, reason=reason))
        return out

    def _articles(self, rows: Sequence[Sequence[Any]]) -> list[Article]:
        removals = self._removals_for([r[0] for r in rows])
        out = []
        for r in rows:
            out.append(
                Article(
                    id=r[0], input_kind=r[1], path=r[2], url=r[3], source_key=r[4], source=r[5],
                    title=r[6], byline=r[7], published_at=_parse_dt(r[8]), date_precision=r[9],
                    date_method=r[10], language=r[11], raw_text=r[12], text=r[13],
                    removed=removals.get(r[0], []),
                    sentences=[(int(s), int(e)) for s, e in json.loads(r[14] or "[]")],
                    status=r[15], drop_reason=r[16], drop_detail=r[17], meta=json.loads(r[18] or "{}"),
                )
            )
        return out

    def get_article(self, id_or_prefix: str) -> Article:
        """One article by id, or by a unique id prefix of at least 4 characters."""
        key = (id_or_prefix or "").strip().lower()
        rows = self.conn.execute(f"{_SELECT} WHERE id = ?", (key,)).fetchall()
        if rows:
            return self._articles(rows)[0]
        if len(key) < _MIN_PREFIX:
            raise NotFoundError(
                f"No article with id {id_or_prefix!r}; give the full id or a prefix of at least "
                f"{_MIN_PREFIX} characters (see `storyline list`)."
            )
        cands = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 11",
                (key, key + "\U0010ffff"),
            )
        ]
        if not cands:
            raise NotFoundError(
                f"No article with id or id prefix {id_or_prefix!r} in {self.path}; "
                "list ids with `storyline list` or find one with `storyline search`."
            )
        if len(cands) > 1:
            shown = ", ".join(cands[:10]) + (", ..." if len(cands) > 10 else "")
            raise NotFoundError(
                f"Id prefix {id_or_prefix!r} matches {'more than 10' if len(cands) > 10 else len(cands)} "
                f"articles: {shown}. Give more characters."
            )
        return self.get_article(cands[0])

    def _where(
        self,
        *,
        source: str | None,
        since: datetime | date | None,
        until: datetime | date | None,
        status: str | None,
        language: str | None,
    ) -> tuple[str, list[Any]]:
        conds: list[str] = []
        args: list[Any] = []
        if status is not None:
            if status not in ("ok", "dropped"):
                raise UsageError(f"Unknown status {status!r}: use 'ok', 'dropped' or None for both.")
            conds.append("status = ?")
            args.append(status)
        if source:
            conds.append("(source_key = ? OR lower(source) = lower(?))")
            args += [source, source]
        for value, upper in ((since, False), (until, True)):
            b = _bound(value, upper=upper)
            if b:
                conds.append(f"published_utc {b[0]} ?")
                args.append(b[1])
        if language:
            conds.append("language = ?")
            args.append(language)
        return (" WHERE " + " AND ".join(conds)) if conds else "", args

    def list_articles(
        self,
        *,
        source: str | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        status: str | None = "ok",
        language: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str = "published",
    ) -> list[Article]:
        """Articles matching the filters.

        ``source`` matches a source key or (case-insensitively) a source name; ``since``/``until`` are
        inclusive and a ``date`` covers its whole UTC day; undated articles never match a date filter.
        ``status=None`` lists ok and dropped. ``order`` is ``published`` (oldest first, undated last),
        ``-published``, ``added``, ``-added`` or ``id``.
        """
        if order not in _ORDERS:
            raise UsageError(f"Unknown order {order!r}; use one of {', '.join(_ORDERS)}.")
        where, args = self._where(source=source, since=since, until=until, status=status, language=language)
        # Order the small rowids first, then fetch the wide rows: the sorter never holds article text.
        q = f"SELECT rid FROM articles{where} ORDER BY {_ORDERS[order]}"
        if limit is not None or offset:
            q += " LIMIT ? OFFSET ?"
            args += [-1 if limit is None else int(limit), int(offset)]
        rids = [r[0] for r in self.conn.execute(q, args)]
        out: list[Article] = []
        for chunk in _chunks(rids):
            rows = self.conn.execute(
                f"{_SELECT_RID} WHERE rid IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            by_rid = {r[0]: r[1:] for r in rows}
            out += self._articles([by_rid[rid] for rid in chunk])
        return out

    def count_articles(
        self,
        *,
        source: str | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        status: str | None = "ok",
        language: str | None = None,
    ) -> int:
        """How many articles :meth:`list_articles` would return with these filters."""
        where, args = self._where(source=source, since=since, until=until, status=status, language=language)
        return int(self.conn.execute(f"SELECT count(*) FROM articles{where}", args).fetchone()[0])

    def iter_articles(
        self,
        status: str | None = "ok",
        batch_size: int = 500,
        *,
        source: str | None = None,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        language: str | None = None,
    ) -> Iterator[Article]:
        """Stream articles sorted by (published_at, id), undated last, ``batch_size`` rows per query.

        Keyset pagination: each batch is a fresh indexed query, so no read transaction stays open
        between batches and memory stays flat.
        """
        where, args = self._where(source=source, since=since, until=until, status=status, language=language)
        extra = where.replace(" WHERE ", " AND ", 1)
        last: tuple[str, str] | None = None
        while True:  # dated articles, in time order
            cond = "published_utc IS NOT NULL" + ("" if last is None else " AND (published_utc, id) > (?, ?)")
            q = f"{_SELECT_KEY} WHERE {cond}{extra} ORDER BY published_utc, id LIMIT ?"
            rows = self.conn.execute(q, [*(last or ()), *args, batch_size]).fetchall()
            if not rows:
                break
            yield from self._articles([r[1:] for r in rows])
            last = (rows[-1][0], rows[-1][1])
            if len(rows) < batch_size:
                break
        if since is not None or until is not None:
            return
        last_id: str | None = None
        while True:  # undated articles, by id
            cond = "published_utc IS NULL" + ("" if last_id is None else " AND id > ?")
            q = f"{_SELECT} WHERE {cond}{extra} ORDER BY id LIMIT ?"
            rows = self.conn.execute(q, [*(() if last_id is None else (last_id,)), *args, batch_size]).fetchall()
            if not rows:
                break
            yield from self._articles(rows)
            last_id = rows[-1][0]
            if len(rows) < batch_size:
                break

    # ---------------------------------------------------------------- search

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over the title and clean text of ok articles, best first.

        Any text is safe to pass: words are ANDed, ``"quoted phrases"`` and ``prefix*`` work, upper-case
        ``OR``/``NOT`` are operators, and punctuation that FTS5 would reject is quoted away
        (see :mod:`storyline.store.fts`).
        """
        sql = (
            "SELECT a.rid, bm25(articles_fts, 2.0, 1.0) AS score, "
            f"snippet(articles_fts, -1, '{SNIPPET_OPEN}', '{SNIPPET_CLOSE}', '…', 16) "
            "FROM articles_fts JOIN articles a ON a.rid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY score, a.id LIMIT ?"
        )
        rows = None
        last_exc: Exception | None = None
        for make in (fts_query, fts_query_plain):
            expr = make(query or "")
            if expr is None:
                return []
            try:
                rows = self.conn.execute(sql, (expr, int(limit))).fetchall()
                break
            except sqlite3.OperationalError as exc:
                last_exc = exc
        if rows is None:
            raise UsageError(f"Cannot search for {query!r}: {last_exc}. Try plain words.")
        if not rows:
            return []
        rids = [r[0] for r in rows]
        full = self.conn.execute(
            f"{_SELECT_RID} WHERE rid IN ({','.join('?' * len(rids))})", rids
        ).fetchall()
        by_rid = dict(zip((r[0] for r in full), self._articles([r[1:] for r in full])))
        return [SearchHit(article=by_rid[rid], score=float(score), snippet=snip) for rid, score, snip in rows]

    # ---------------------------------------------------------------- sources and line statistics

    def sources(self) -> list[tuple[str, str, int]]:
        """(key, name, number of ok articles) for every source, most articles first."""
        return [
            (k, n, int(c))
            for k, n, c in self.conn.execute(
                "SELECT s.key, s.name, count(a.rid) AS n FROM sources s "
                "LEFT JOIN articles a ON a.source_key = s.key AND a.status = 'ok' "
                "GROUP BY s.key ORDER BY n DESC, s.key"
            )
        ]

    def load_line_stats(
        self, source_keys: Iterable[str]
    ) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """(counts, docs) for these sources: counts[source_key][fingerprint] = documents carrying that
        line; docs[source_key] = documents counted. Sources with no statistics are absent."""
        keys = list(dict.fromkeys(source_keys))
        counts: dict[str, dict[str, int]] = {}
        docs: dict[str, int] = {}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            for k, n in self.conn.execute(f"SELECT source_key, n FROM source_docs WHERE source_key IN ({marks})", chunk):
                docs[k] = int(n)
            for k, fp, n in self.conn.execute(
                f"SELECT source_key, fingerprint, n FROM source_line_counts WHERE source_key IN ({marks})", chunk
            ):
                counts.setdefault(k, {})[fp] = int(n)
        return counts, docs

    def save_line_stats(
        self, counts_delta: Mapping[str, Mapping[str, int]], docs_delta: Mapping[str, int]
    ) -> None:
        """Add these deltas to the stored statistics, in one transaction."""
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO source_line_counts(source_key, fingerprint, n) VALUES (?, ?, ?) "
                "ON CONFLICT(source_key, fingerprint) DO UPDATE SET n = n + excluded.n",
                [(k, fp, int(n)) for k, fps in counts_delta.items() for fp, n in fps.items() if n],
            )
            c.executemany(
                "INSERT INTO source_docs(source_key, n) VALUES (?, ?) "
                "ON CONFLICT(source_key) DO UPDATE SET n = n + excluded.n",
                [(k, int(n)) for k, n in docs_delta.items() if n],
            )

    # ---------------------------------------------------------------- maintenance

    def info(self) -> dict[str, Any]:
        """Facts about the database, for ``storyline info`` and bug reports."""
        c = self.conn
        size = 0
        if not self._memory:
            for suffix in ("", "-wal"):
                p = Path(str(self.path) + suffix)
                if p.exists():
                    size += p.stat().st_size
        status_counts = dict(c.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall())
        reasons = dict(
            c.execute(
                "SELECT coalesce(drop_reason, 'unknown'), count(*) FROM articles WHERE status = 'dropped' "
                "GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
        )
        migrations = [
            {"version": v, "description": d, "applied_at": t}
            for v, d, t in c.execute("SELECT version, description, applied_at FROM schema_migrations ORDER BY version")
        ]
        one = lambda q: int(c.execute(q).fetchone()[0])  # noqa: E731
        return {
            "path": str(self.path if self._memory else self.path.resolve()),
            "size_bytes": size,
            "schema_version": _migrations.current_version(c),
            "migrations": migrations,
            "articles_ok": int(status_counts.get("ok", 0)),
            "articles_dropped": int(status_counts.get("dropped", 0)),
            "drop_reasons": reasons,
            "sources": one("SELECT count(*) FROM sources"),
            "removals": one("SELECT count(*) FROM removals"),
            "fts_rows": one("SELECT count(*) FROM articles_fts_docsize"),
            "line_stats_sources": one("SELECT count(*) FROM source_docs"),
            "line_stats_fingerprints": one("SELECT count(*) FROM source_line_counts"),
            "reuse_links": dict(c.execute("SELECT kind, count(*) FROM reuse_links GROUP BY kind ORDER BY kind").fetchall()),
            "reuse_passages": one("SELECT count(*) FROM reuse_passages"),
            "minhash_signatures": one("SELECT count(*) FROM minhash"),
            "cached_vectors": dict(c.execute("SELECT kind || ' ' || model, count(*) FROM vectors GROUP BY 1 ORDER BY 1").fetchall()),
            "cached_text_vectors": dict(c.execute("SELECT model, count(*) FROM text_vectors GROUP BY 1 ORDER BY 1").fetchall()),
            "stories": one("SELECT count(*) FROM stories"),
            "storylines": one("SELECT count(*) FROM storylines"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "quote_groups": one("SELECT count(*) FROM quote_groups"),
            "claims": one("SELECT count(*) FROM claims"),
            "sqlite_version": sqlite3.sqlite_version,
        }

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check, the foreign-key check and the FTS5 check; [] if none."""
        c = self.conn
        problems = [r[0] for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in c.execute("PRAGMA foreign_key_check")]
        if not self.readonly:
            try:
                c.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(f"full-text index: {exc} (fix with rebuild_fts())")
        return problems

    def optimize_fts(self) -> None:
        """Merge the full-text index into one segment (faster queries after large loads)."""
        with self.transaction() as c:
            c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        self.conn.execute("PRAGMA optimize")

    def rebuild_fts(self) -> None:
        """Rebuild the full-text index from the ok articles and merge its segments."""
        with self.transaction() as c:
            c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            c.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")

    # ---------------------------------------------------------------- vector cache (migration 2)

    def get_vectors(self, ids: Iterable[str], kind: str, model: str) -> dict[str, Any]:
        """Cached vectors of ``kind`` (``doc``: a ``(dim,)`` row; ``sent``: an ``(n, dim)`` matrix) made
        by encoder ``model``, by article id; ids without one are left out. float32 numpy arrays."""
        import numpy as np

        _vector_kind(kind)
        wanted = list(dict.fromkeys(ids))
        out: dict[str, Any] = {}
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                f"SELECT article_id, dim, data FROM vectors WHERE kind = ? AND model = ? "
                f"AND article_id IN ({', '.join('?' for _ in chunk)})",
                (kind, model, *chunk),
            ).fetchall()
            for aid, dim, data in rows:
                v = np.frombuffer(data, dtype="<f4").astype(np.float32)
                out[aid] = v.reshape(-1, dim) if kind == "sent" else v.reshape(dim)
        return out

    def put_vectors(self, items: Mapping[str, Any], kind: str, model: str) -> int:
        """Store (or replace) vectors by article id, in one transaction; return how many were written.

        ``doc`` takes one row per id, ``sent`` a matrix (``n x dim``; ``n`` may be 0)."""
        import numpy as np

        _vector_kind(kind)
        rows = []
        for aid, vec in items.items():
            a = np.asarray(vec, dtype="<f4")
            if kind == "doc" and a.ndim != 1 or kind == "sent" and a.ndim != 2 or a.shape[-1] == 0:
                raise UsageError(
                    f"{kind} vectors must be {'1' if kind == 'doc' else '2'}-dimensional with dim > 0; "
                    f"got shape {a.shape} for {aid}"
                )
            rows.append((aid, kind, model, int(a.shape[-1]), np.ascontiguousarray(a).tobytes()))
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO vectors(article_id, kind, model, dim, data) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def get_text_vectors(self, texts: Iterable[str], model: str) -> dict[str, Any]:
        """Cached vectors of short texts (claim propositions) made by encoder ``model``, by text; texts
        without one are left out. float32 numpy rows."""
        import numpy as np

        by_key = {_text_key(t): t for t in dict.fromkeys(texts)}
        out: dict[str, Any] = {}
        keys = list(by_key)
        for chunk in _chunks(keys):
            rows = self.conn.execute(
                f"SELECT key, dim, data FROM text_vectors WHERE model = ? "
                f"AND key IN ({', '.join('?' for _ in chunk)})",
                (model, *chunk),
            ).fetchall()
            for key, dim, data in rows:
                out[by_key[bytes(key)]] = np.frombuffer(data, dtype="<f4").astype(np.float32).reshape(dim)
        return out

    def put_text_vectors(self, items: Mapping[str, Any], model: str) -> int:
        """Store (or replace) one vector per text, in one transaction; return how many were written."""
        import numpy as np

        rows = []
        for text, vec in items.items():
            a = np.asarray(vec, dtype="<f4")
            if a.ndim != 1 or a.shape[0] == 0:
                raise UsageError(f"a text vector must be 1-dimensional with dim > 0; got shape {a.shape}")
            rows.append((model, _text_key(text), int(a.shape[0]), np.ascontiguousarray(a).tobytes()))
        with self.transaction() as c:
            c.executemany("INSERT OR REPLACE INTO text_vectors(model, key, dim, data) VALUES (?, ?, ?, ?)", rows)
        return len(rows)

    # ---------------------------------------------------------------- reuse (issue 4)

    def ok_ids_without_minhash(self) -> list[str]:
        """Ids of ok articles the reuse stage has not seen yet (no MinHash signature), oldest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE status = 'ok' AND id NOT IN (SELECT article_id FROM minhash) "
            "ORDER BY rid")]

    def get_minhash(self) -> tuple[list[str], Any]:
        """Every stored signature: (ids in insertion order, uint32[n, 128] matrix)."""
        import numpy as np

        ids: list[str] = []
        blobs: list[bytes] = []
        for aid, blob in self.conn.execute("SELECT article_id, sig FROM minhash ORDER BY rowid"):
            ids.append(aid)
            blobs.append(blob)
        if not blobs:
            return ids, np.zeros((0, 128), dtype=np.uint32)
        width = len(blobs[0]) // 4
        return ids, np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(ids), width).astype(np.uint32)

    def put_minhash(self, items: Mapping[str, Any]) -> int:
        import numpy as np

        rows = [(aid, np.ascontiguousarray(sig, dtype="<u4").tobytes()) for aid, sig in items.items()]
        with self.transaction() as c:
            c.executemany("INSERT OR REPLACE INTO minhash(article_id, sig) VALUES (?, ?)", rows)
        return len(rows)

    def put_citations(self, items: Mapping[str, Sequence[str]]) -> None:
        """Replace the cited sources of each article given."""
        with self.transaction() as c:
            for aid, names in items.items():
                c.execute("DELETE FROM article_citations WHERE article_id = ?", (aid,))
                c.executemany("INSERT INTO article_citations(article_id, seq, source) VALUES (?, ?, ?)",
                              [(aid, i, n) for i, n in enumerate(names)])

    def get_citations(self, ids: Iterable[str]) -> dict[str, list[str]]:
        """Stored cited sources by article id (ids the reuse stage has not seen are absent)."""
        ids = list(ids)
        out: dict[str, list[str]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for aid in self.conn.execute(f"SELECT article_id FROM minhash WHERE article_id IN ({marks})", chunk):
                out[aid[0]] = []
            for aid, _seq, src in self.conn.execute(
                f"SELECT article_id, seq, source FROM article_citations WHERE article_id IN ({marks}) "
                "ORDER BY article_id, seq", chunk):
                out.setdefault(aid, []).append(src)
        return out

    def put_reuse_links(self, links: Iterable[Any]) -> int:
        """Store (or replace) reuse links with their passages. Each link has ``a < b`` (ids), ``kind``,
        ``direction``, ``scores``, ``passages`` (Passage tuples or dicts) and ``evidence``."""
        n = 0
        with self.transaction() as c:
            for ln in links:
                a, b = ln.a, ln.b
                if not a < b:
                    raise UsageError(f"reuse link ids must be ordered (a < b): {a} {b}")
                c.execute("DELETE FROM reuse_links WHERE a = ? AND b = ?", (a, b))
                c.execute(
                    "INSERT INTO reuse_links(a, b, kind, direction, scores, evidence) VALUES (?, ?, ?, ?, ?, ?)",
                    (a, b, ln.kind, ln.direction, _dumps(ln.scores), _dumps(ln.evidence)))
                c.executemany(
                    "INSERT INTO reuse_passages(a, b, seq, a_start, a_end, b_start, b_end, similarity, match) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(a, b, i, *_passage_tuple(p)) for i, p in enumerate(ln.passages)])
                n += 1
        return n

    def clear_reuse(self) -> int:
        """Forget every reuse link, passage, signature and citation (cached vectors stay), so the next
        reuse run judges every stored article again. Returns the number of links removed."""
        with self.transaction() as c:
            n = int(c.execute("SELECT count(*) FROM reuse_links").fetchone()[0])
            for table in ("reuse_passages", "reuse_links", "minhash", "article_citations"):
                c.execute(f"DELETE FROM {table}")
        return n

    def reuse_pairs(self, article_ids: Iterable[str]) -> set[frozenset[str]]:
        """The pairs of ``article_ids`` that a reuse link joins (ids only: no passages read)."""
        ids = list(dict.fromkeys(article_ids))
        inside = set(ids)
        pairs: set[frozenset[str]] = set()
        for chunk in _chunks(ids):
            ph = ", ".join("?" for _ in chunk)
            pairs.update(frozenset(r) for r in self.conn.execute(
                f"SELECT a, b FROM reuse_links WHERE a IN ({ph})", list(chunk)) if r[1] in inside)
        return pairs

    def reuse_partners(self, article_id: str) -> list[tuple[str, str, str | None]]:
        """(other article, kind, the original of the two or None) for each reuse link of one article,
        sorted by the other's id (links only: no passages or evidence read)."""
        out = []
        for a, b, kind, d in self.conn.execute(
                "SELECT a, b, kind, direction FROM reuse_links WHERE a = ? OR b = ? ORDER BY a, b",
                (article_id, article_id)):
            out.append((b if a == article_id else a, kind, a if d == "a->b" else b if d == "b->a" else None))
        return out

    def reuse_links(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Reuse links (all, or those of one article) as dicts, sorted by (a, b), passages by seq."""
        if article_id is None:
            rows = self.conn.execute(
                "SELECT a, b, kind, direction, scores, evidence FROM reuse_links ORDER BY a, b").fetchall()
        else:
            rows = self.conn.execute(
                "SELECT a, b, kind, direction, scores, evidence FROM reuse_links WHERE a = ? OR b = ? "
                "ORDER BY a, b", (article_id, article_id)).fetchall()
        passages: dict[tuple[str, str], list[dict[str, Any]]] = {}
        q = ("SELECT a, b, a_start, a_end, b_start, b_end, similarity, match FROM reuse_passages "
             + ("" if article_id is None else "WHERE a = ? OR b = ? ") + "ORDER BY a, b, seq")
        for a, b, s1, e1, s2, e2, sim, m in self.conn.execute(q, () if article_id is None else (article_id, article_id)):
            passages.setdefault((a, b), []).append(
                {"a_start": s1, "a_end": e1, "b_start": s2, "b_end": e2, "similarity": sim, "match": m})
        return [
            {"a": a, "b": b, "kind": k, "direction": d, "scores": json.loads(sc),
             "passages": passages.get((a, b), []), "evidence": json.loads(ev)}
            for a, b, k, d, sc, ev in rows
        ]


    # ---------------------------------------------------------------- stories (issue 5)

    def language_index(self) -> list[tuple[str, str | None, datetime | None]]:
        """(id, language, published_at) of every ok article, in insertion order: what translation
        partners are chosen by (:mod:`storyline.reuse.translate`)."""
        return [(i, lang, _parse_dt(when)) for i, lang, when in self.conn.execute(
            "SELECT id, language, published_at FROM articles WHERE status = 'ok' ORDER BY rid")]

    def ok_ids(self) -> list[str]:
        """Ids of every ok article, in insertion order."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE status = 'ok' ORDER BY rid")]

    def story_assigned_ids(self) -> set[str]:
        """Ids of articles already in a story."""
        return {r[0] for r in self.conn.execute("SELECT article_id FROM story_articles")}

    def load_clusterer_state(self) -> dict[str, Any]:
        row = self.conn.execute("SELECT state FROM clusterer_state WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else {}

    def load_stories(self) -> list[dict[str, Any]]:
        """Every stored story with its member article ids (in arrival order) and centroid, by seq."""
        import numpy as np

        members: dict[str, list[str]] = {}
        for sid, aid in self.conn.execute("SELECT story_id, article_id FROM story_articles ORDER BY story_id, seq"):
            members.setdefault(sid, []).append(aid)
        out = []
        for row in self.conn.execute(
            "SELECT id, seq, title, first_seen, last_seen, representative_id, entities, centroid, vsum_norm, "
            "storyline_id, n_articles FROM stories ORDER BY seq"):
            sid, seq, title, first, last, rep, ents, cen, norm, line, n = row
            out.append({
                "id": sid, "seq": seq, "title": title, "first_seen": first, "last_seen": last,
                "representative_id": rep, "entities": json.loads(ents),
                "centroid": None if cen is None else np.frombuffer(cen, dtype="<f4").astype(np.float32),
                "vsum_norm": norm, "storyline_id": line, "n_articles": n, "article_ids": members.get(sid, []),
            })
        return out

    def save_stories(self, stories: Iterable[Mapping[str, Any]], *, removed: Iterable[str] = (),
                     links: Iterable[Mapping[str, Any]] | None = None, storyline_of: Mapping[str, str] | None = None,
                     state: Mapping[str, Any] | None = None) -> None:
        """Write (replace) the given stories and their membership, delete ``removed`` (merged) stories,
        replace all storylines and links when ``links`` is given, and save the clusterer state, in one
        transaction."""
        import numpy as np

        with self.transaction() as c:
            for sid in removed:
                c.execute("DELETE FROM stories WHERE id = ?", (sid,))
                c.execute("DELETE FROM story_articles WHERE story_id = ?", (sid,))
            for s in stories:
                cen = s.get("centroid")
                blob = None if cen is None else np.ascontiguousarray(cen, dtype="<f4").tobytes()
                c.execute(
                    "INSERT OR REPLACE INTO stories(id, seq, title, first_seen, last_seen, representative_id, "
                    "entities, centroid, vsum_norm, storyline_id, n_articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (s["id"], s["seq"], s.get("title"), s.get("first_seen"), s.get("last_seen"),
                     s.get("representative_id"), _dumps(s.get("entities") or {}), blob, float(s.get("vsum_norm") or 0.0),
                     s.get("storyline_id"), len(s["article_ids"])))
                c.execute("DELETE FROM story_articles WHERE story_id = ?", (s["id"],))
                c.executemany("INSERT OR REPLACE INTO story_articles(story_id, article_id, seq) VALUES (?, ?, ?)",
                              [(s["id"], aid, i) for i, aid in enumerate(s["article_ids"])])
            if links is not None:
                c.execute("DELETE FROM storylines")
                c.execute("DELETE FROM storyline_links")
                c.executemany("INSERT OR IGNORE INTO storylines(id) VALUES (?)",
                              [(v,) for v in sorted(set((storyline_of or {}).values()))])
                c.executemany("INSERT OR REPLACE INTO storyline_links(from_story, to_story, evidence) VALUES (?, ?, ?)",
                              [(ln["from"], ln["to"], _dumps(ln["evidence"])) for ln in links])
                c.execute("UPDATE stories SET storyline_id = NULL")
                c.executemany("UPDATE stories SET storyline_id = ? WHERE id = ?",
                              [(line, sid) for sid, line in (storyline_of or {}).items()])
            if state is not None:
                c.execute("INSERT OR REPLACE INTO clusterer_state(id, state) VALUES (1, ?)", (_dumps(dict(state)),))

    def stories(self) -> list[dict[str, Any]]:
        """Stored stories (no centroids) with their article ids, by seq."""
        out = self.load_stories()
        for s in out:
            s.pop("centroid", None)
            s.pop("vsum_norm", None)
        return out

    def storyline_links(self) -> list[dict[str, Any]]:
        return [{"from": a, "to": b, "evidence": json.loads(ev)} for a, b, ev in self.conn.execute(
            "SELECT from_story, to_story, evidence FROM storyline_links ORDER BY from_story, to_story")]

    def storyline_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM storylines ORDER BY id")]


    # ---------------------------------------------------------------- quotes and claims (issue 6)

    _QUOTE_COLS = ("id, article_id, start, \"end\", text, kind, cue, cue_start, cue_end, speaker, speaker_start, "
                   "speaker_end, speaker_mention, speaker_role, speaker_type, denial, group_id, altered, difference")

    @staticmethod
    def _forget_quotes(c: sqlite3.Connection, article_id: str) -> None:
        c.execute("DELETE FROM quote_chain WHERE quote_id IN (SELECT id FROM quotes WHERE article_id = ?)",
                  (article_id,))
        c.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
        c.execute("DELETE FROM quote_runs WHERE article_id = ?", (article_id,))
        c.execute("DELETE FROM claim_stances WHERE article_id = ?", (article_id,))
        c.execute("DELETE FROM claims WHERE id NOT IN (SELECT claim_id FROM claim_stances)")

    def ids_without_quote_run(self) -> list[str]:
        """Ids of ok articles the quotes stage has not analysed yet, in insertion order."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE status = 'ok' AND id NOT IN (SELECT article_id FROM quote_runs) "
            "ORDER BY rid")]

    def put_quotes(self, article_ids: Iterable[str], quotes: Iterable[Quote]) -> int:
        """Replace the quotes of ``article_ids`` with ``quotes`` (and their chains) and record the articles
        as analysed, in one transaction; returns how many quotes were written."""
        ids = list(dict.fromkeys(article_ids))
        qs = list(quotes)
        stray = {q.article_id for q in qs} - set(ids)
        if stray:
            raise UsageError(f"quotes of articles {sorted(stray)[:3]} were given without their ids: list them in article_ids")
        with self.transaction() as c:
            for aid in ids:
                c.execute("DELETE FROM quote_chain WHERE quote_id IN (SELECT id FROM quotes WHERE article_id = ?)",
                          (aid,))
                c.execute("DELETE FROM quotes WHERE article_id = ?", (aid,))
            c.executemany(
                f"INSERT OR REPLACE INTO quotes({self._QUOTE_COLS}) VALUES ({', '.join('?' * 19)})",
                [(q.id, q.article_id, q.start, q.end, q.text, q.kind, q.cue, q.cue_start, q.cue_end, q.speaker,
                  q.speaker_start, q.speaker_end, q.speaker_mention, q.speaker_role, q.speaker_type,
                  int(q.denial), q.group_id, int(q.altered), q.difference) for q in qs])
            c.executemany(
                'INSERT OR REPLACE INTO quote_chain(quote_id, seq, name, start, "end", how) VALUES (?, ?, ?, ?, ?, ?)',
                [(q.id, i, ln.name, ln.start, ln.end, ln.how) for q in qs for i, ln in enumerate(q.chain)])
            c.executemany("INSERT OR IGNORE INTO quote_runs(article_id) VALUES (?)", [(a,) for a in ids])
        return len(qs)

    def quotes(self, article_ids: Iterable[str] | None = None, *, speaker: str | None = None) -> list[Quote]:
        """Stored quotes (all, or of ``article_ids``), in article insertion order then text order.
        ``speaker`` keeps quotes whose speaker contains it (case-insensitive)."""
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            where.append("lower(q.speaker) LIKE ? ESCAPE '\\'")
            params.append("%" + speaker.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        rows: list[Any] = []
        cols = ", ".join("q." + c.strip() for c in self._QUOTE_COLS.split(","))
        base = f"SELECT {cols} FROM quotes q JOIN articles a ON a.id = q.article_id"
        if article_ids is None:
            sql = base + (" WHERE " + " AND ".join(where) if where else "")
            rows = self.conn.execute(sql + " ORDER BY a.rid, q.start, q.\"end\", q.id", params).fetchall()
        else:
            for chunk in _chunks(list(dict.fromkeys(article_ids))):
                cond = where + [f"q.article_id IN ({', '.join('?' for _ in chunk)})"]
                rows += self.conn.execute(base + " WHERE " + " AND ".join(cond), [*params, *chunk]).fetchall()
            rid = dict(self.conn.execute(
                "SELECT id, rid FROM articles WHERE id IN (SELECT DISTINCT article_id FROM quotes)").fetchall())
            rows.sort(key=lambda r: (rid.get(r[1], 0), r[2], r[3], r[0]))
        chains: dict[str, list[ChainLink]] = {}
        ids = [r[0] for r in rows]
        for chunk in _chunks(ids):
            for qid, name, st, en, how in self.conn.execute(
                    f'SELECT quote_id, name, start, "end", how FROM quote_chain WHERE quote_id IN '
                    f"({', '.join('?' for _ in chunk)}) ORDER BY quote_id, seq", list(chunk)):
                chains.setdefault(qid, []).append(ChainLink(name=name, start=st, end=en, how=how))
        return [Quote(id=r[0], article_id=r[1], start=r[2], end=r[3], text=r[4], kind=r[5], cue=r[6], cue_start=r[7],
                      cue_end=r[8], speaker=r[9], speaker_start=r[10], speaker_end=r[11], speaker_mention=r[12],
                      speaker_role=r[13], speaker_type=r[14], chain=chains.get(r[0], []), denial=bool(r[15]),
                      group_id=r[16], altered=bool(r[17]), difference=r[18]) for r in rows]

    def put_quote_groups(self, groups_by_story: Mapping[str, Sequence[QuoteGroup]], quotes: Iterable[Quote]) -> int:
        """Replace the quote groups of each scope in ``groups_by_story`` (a storyline, or a story outside
        any) and any other group holding one of ``quotes`` (those scopes' quotes), and write the group
        fields (``group_id``, ``altered``, ``difference``) of ``quotes``, in one transaction."""
        qs = list(quotes)
        n = 0
        with self.transaction() as c:
            # groups computed before a story split or merged may hold these quotes under another scope
            for chunk in _chunks([q.id for q in qs]):
                c.execute("DELETE FROM quote_groups WHERE EXISTS (SELECT 1 FROM json_each(quote_groups.quote_ids) j "
                          f"WHERE j.value IN ({', '.join('?' for _ in chunk)}))", list(chunk))
            c.executemany("UPDATE quotes SET group_id = ?, altered = ?, difference = ? WHERE id = ?",
                          [(q.group_id, int(q.altered), q.difference, q.id) for q in qs])
            for sid, gs in groups_by_story.items():
                c.execute("DELETE FROM quote_groups WHERE story_id = ?", (sid,))
                c.executemany(
                    "INSERT OR REPLACE INTO quote_groups(id, story_id, reference_id, text, speaker, quote_ids, altered) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(g.id, sid, g.reference_id, g.text, g.speaker, _dumps(list(g.quote_ids)), _dumps(dict(g.altered)))
                     for g in gs])
                n += len(gs)
        return n

    def quote_groups(self, story_id: str | None = None) -> list[QuoteGroup]:
        """Stored quote groups (all, by scope then id; or those with a quote in one story's articles,
        by id)."""
        sql = "SELECT id, reference_id, text, speaker, quote_ids, altered FROM quote_groups"
        rows = (self.conn.execute(
            sql + " WHERE id IN (SELECT q.group_id FROM quotes q JOIN story_articles s ON s.article_id = q.article_id"
            " WHERE s.story_id = ?) ORDER BY id", (story_id,)) if story_id
                else self.conn.execute(sql + " ORDER BY story_id, id"))
        return [QuoteGroup(id=r[0], quote_ids=json.loads(r[4]), reference_id=r[1], text=r[2], speaker=r[3],
                           altered=json.loads(r[5])) for r in rows]

    def analysis_scopes(self) -> tuple[dict[str, tuple[str, set[str]]], dict[str, tuple[str, set[str]]]]:
        """The scope each stored quote group and claim was computed for, with the articles it holds:
        ``({group_id: (scope, article_ids)}, {claim_id: (scope, article_ids)})``. A group or claim whose
        articles no longer all lie in that scope (a story split, merged or left a storyline) is stale."""
        groups: dict[str, tuple[str, set[str]]] = {}
        for gid, scope, aid in self.conn.execute(
                "SELECT g.id, g.story_id, q.article_id FROM quote_groups g, json_each(g.quote_ids) j "
                "LEFT JOIN quotes q ON q.id = j.value"):
            entry = groups.setdefault(gid, (scope, set()))
            if aid is not None:
                entry[1].add(aid)
        claims: dict[str, tuple[str, set[str]]] = {}
        for cid, scope, aid in self.conn.execute(
                "SELECT c.id, c.scope, s.article_id FROM claims c JOIN claim_stances s ON s.claim_id = c.id"):
            claims.setdefault(cid, (scope, set()))[1].add(aid)
        return groups, claims

    def put_claims(self, article_ids: Iterable[str], claims: Iterable[Claim]) -> int:
        """Replace every claim with evidence in ``article_ids`` by ``claims``, in one transaction."""
        cs = list(claims)
        with self.transaction() as c:
            for chunk in _chunks(list(dict.fromkeys(article_ids))):
                ph = ", ".join("?" for _ in chunk)
                old = [r[0] for r in c.execute(
                    f"SELECT DISTINCT claim_id FROM claim_stances WHERE article_id IN ({ph})", list(chunk))]
                for cid in old:
                    c.execute("DELETE FROM claim_stances WHERE claim_id = ?", (cid,))
                    c.execute("DELETE FROM claims WHERE id = ?", (cid,))
            for seq, cl in enumerate(cs):
                c.execute("DELETE FROM claim_stances WHERE claim_id = ?", (cl.id,))
                c.execute("INSERT OR REPLACE INTO claims(id, scope, seq, text, holder, score) VALUES (?, ?, ?, ?, ?, ?)",
                          (cl.id, cl.scope, seq, cl.text, cl.holder, cl.score))
                c.executemany(
                    'INSERT INTO claim_stances(claim_id, seq, article_id, stance, start, "end", holder, holder_role, '
                    "text, quote_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(cl.id, i, s.article_id, s.stance, s.start, s.end, s.holder, s.holder_role, s.text, s.quote_id)
                     for i, s in enumerate(cl.stances)])
        return len(cs)

    def claims(self, article_ids: Iterable[str] | None = None) -> list[Claim]:
        """Stored claims (all, or those with evidence in ``article_ids``), by scope then seq."""
        if article_ids is None:
            rows = self.conn.execute("SELECT id, scope, text, holder, score FROM claims ORDER BY scope, seq, id").fetchall()
        else:
            wanted: set[str] = set()
            for chunk in _chunks(list(dict.fromkeys(article_ids))):
                wanted |= {r[0] for r in self.conn.execute(
                    f"SELECT claim_id FROM claim_stances WHERE article_id IN ({', '.join('?' for _ in chunk)})",
                    list(chunk))}
            rows = [r for r in self.conn.execute(
                "SELECT id, scope, text, holder, score FROM claims ORDER BY scope, seq, id") if r[0] in wanted]
        stances: dict[str, list[ClaimStance]] = {}
        for r in self.conn.execute('SELECT claim_id, article_id, stance, start, "end", holder, holder_role, text, '
                                   "quote_id FROM claim_stances ORDER BY claim_id, seq"):
            stances.setdefault(r[0], []).append(ClaimStance(article_id=r[1], stance=r[2], start=r[3], end=r[4],
                                                            holder=r[5], holder_role=r[6], text=r[7], quote_id=r[8]))
        return [Claim(id=r[0], text=r[2], holder=r[3], stances=stances.get(r[0], []), scope=r[1], score=r[4])
                for r in rows]

    # ---------------------------------------------------------------- comparison cache (issue 7)

    def comparison_fingerprint(self, story_id: str, version_ids: Iterable[str], reference_ids: Iterable[str],
                               rules: str) -> str:
        """A sha256 over everything a story's comparison reads: the member (version) and reference ids
        with their removals (an id fixes the raw text, so the removals fix the clean text: re-cleaning
        shows here), the story's entities and centroid, the reuse links among the versions, the
        story's quote groups, the versions' claim stances, and ``rules`` (the compare rules' version).
        Any change gives another key, so a cached run whose key differs is stale. No article text is
        read (a text column would walk its overflow pages): a few index-sized queries."""
        import hashlib

        versions, refs = sorted(set(version_ids)), sorted(set(reference_ids))
        h = hashlib.sha256()

        def feed(*parts: Any) -> None:
            h.update(repr(parts).encode("utf-8"))
            h.update(b"\n")

        feed("rules", rules, story_id)
        row = self.conn.execute("SELECT entities, centroid FROM stories WHERE id = ?", (story_id,)).fetchone()
        feed("story", row[0] if row else None, hashlib.sha256(row[1]).hexdigest() if row and row[1] else None)
        for tag, ids in (("v", versions), ("r", refs)):
            rows: list[tuple[Any, ...]] = []
            for chunk in _chunks(ids):
                rows += self.conn.execute(
                    f'SELECT article_id, count(*), sum(start), sum("end") FROM removals '
                    f"WHERE article_id IN ({', '.join('?' for _ in chunk)}) GROUP BY article_id", list(chunk)).fetchall()
            feed(tag, ids, sorted(rows))
        members = set(versions)
        links: list[tuple[Any, ...]] = []
        stances: list[tuple[Any, ...]] = []
        for chunk in _chunks(versions):
            ph = ", ".join("?" for _ in chunk)
            links += [r for r in self.conn.execute(
                f"SELECT a, b, kind, direction, length(scores) FROM reuse_links WHERE a IN ({ph})", list(chunk))
                if r[1] in members]
            stances += self.conn.execute(
                f'SELECT claim_id, seq, article_id, stance, start, "end" FROM claim_stances WHERE article_id IN ({ph})',
                list(chunk)).fetchall()
        feed("links", sorted(links))
        feed("stances", sorted(stances))
        feed("quote_groups", [(g.id, g.reference_id, g.text, json.dumps(g.quote_ids))
                              for g in self.quote_groups(story_id)])
        return h.hexdigest()

    def comparison_run(self, story_id: str) -> dict[str, Any] | None:
        """The cached comparison run of a story: ``{story_id, key, computed_at, versions}``, or None."""
        r = self.conn.execute("SELECT story_id, key, computed_at, versions FROM comparison_runs WHERE story_id = ?",
                              (story_id,)).fetchone()
        return None if r is None else {"story_id": r[0], "key": r[1], "computed_at": r[2], "versions": r[3]}

    def put_comparisons(self, story_id: str, key: str, records: Sequence[Mapping[str, Any]]) -> int:
        """Replace a story's cached comparisons by ``records`` (dicts with ``article_id``, ``additions``,
        ``omissions``, ``loaded_terms``, ``shared`` and optional ``extra``, in the story's order) and
        record the run under ``key``, in one transaction; runs of stories that no longer exist (merged)
        are dropped."""
        now = self._clock().astimezone(timezone.utc).isoformat(timespec="seconds")
        with self.transaction() as c:
            c.execute("DELETE FROM comparisons WHERE story_id = ?", (story_id,))
            c.executemany(
                "INSERT OR REPLACE INTO comparisons(story_id, article_id, seq, additions, omissions, loaded_terms, "
                "shared, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(story_id, r["article_id"], i, _dumps(list(r.get("additions", []))), _dumps(list(r.get("omissions", []))),
                  _dumps(list(r.get("loaded_terms", []))), _dumps(list(r.get("shared", []))),
                  _dumps(dict(r.get("extra") or {}))) for i, r in enumerate(records)])
            c.execute("INSERT OR REPLACE INTO comparison_runs(story_id, key, computed_at, versions) VALUES (?, ?, ?, ?)",
                      (story_id, key, now, len(records)))
            # runs of stories merged away since are of no use: drop them
            c.execute("DELETE FROM comparisons WHERE story_id NOT IN (SELECT id FROM stories)")
            c.execute("DELETE FROM comparison_runs WHERE story_id NOT IN (SELECT id FROM stories)")
        return len(records)

    def stored_comparisons(self, story_id: str, article_id: str | None = None, *,
                           fields: Sequence[str] = ("additions", "omissions", "loaded_terms", "shared", "extra"),
                           ) -> list[dict[str, Any]]:
        """A story's cached comparisons (all versions in order, or one article's), with the JSON
        ``fields`` asked for decoded (leave out the ones a page does not need: they are the bulk)."""
        allowed = ("additions", "omissions", "loaded_terms", "shared", "extra")
        cols = [f for f in fields if f in allowed]
        if len(cols) != len(fields):
            raise UsageError(f"comparison fields are {', '.join(allowed)}")
        sql = f"SELECT article_id{''.join(', ' + f for f in cols)} FROM comparisons WHERE story_id = ?"
        args: list[Any] = [story_id]
        if article_id is not None:
            sql += " AND article_id = ?"
            args.append(article_id)
        out = []
        for r in self.conn.execute(sql + " ORDER BY seq", args):
            rec: dict[str, Any] = {"story_id": story_id, "article_id": r[0]}
            for f, v in zip(cols, r[1:]):
                rec[f] = json.loads(v)
            out.append(rec)
        return out

    def forget_comparisons(self, story_ids: Iterable[str] | None = None) -> int:
        """Drop cached comparisons (of these stories, or all); returns how many runs were dropped."""
        with self.transaction() as c:
            if story_ids is None:
                n = c.execute("DELETE FROM comparison_runs").rowcount
                c.execute("DELETE FROM comparisons")
                return n
            n = 0
            for sid in story_ids:
                n += c.execute("DELETE FROM comparison_runs WHERE story_id = ?", (sid,)).rowcount
                c.execute("DELETE FROM comparisons WHERE story_id = ?", (sid,))
            return n


def _passage_tuple(p: Any) -> tuple[int, int, int, int, float, str]:
    if isinstance(p, Mapping):
        return (int(p["a_start"]), int(p["a_end"]), int(p["b_start"]), int(p["b_end"]),
                float(p["similarity"]), str(p["match"]))
    return (int(p[0]), int(p[1]), int(p[2]), int(p[3]), float(p[4]), str(p[5]))


def _text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


def _vector_kind(kind: str) -> None:
    if kind not in ("doc", "sent"):
        raise UsageError(f"vector kind must be 'doc' or 'sent', not {kind!r}")


def default_path() -> Path:
    """The database path: ``$STORYLINE_DB`` or ``storyline.db`` in the working folder."""
    return Path(os.environ.get("STORYLINE_DB", "storyline.db"))
