"""The store: SQLite database of articles (WAL, recorded migrations, FTS5 search) and exports.

``Store`` is the one writer of the database; ``export`` writes its articles as JSON, JSONL, CSV or
Parquet (see docs/export-format.md).
"""

from storyline.store.db import SNIPPET_CLOSE, SNIPPET_OPEN, AddResult, SearchHit, Store
from storyline.store.export import EXPORT_SECTIONS, export, register_section
from storyline.store.migrations import LATEST_VERSION, MIGRATIONS, Migration

__all__ = [
    "AddResult",
    "EXPORT_SECTIONS",
    "LATEST_VERSION",
    "MIGRATIONS",
    "Migration",
    "SNIPPET_CLOSE",
    "SNIPPET_OPEN",
    "SearchHit",
    "Store",
    "export",
    "register_section",
]
