"""Storyline: follow one news story across every outlet that carries it.

The Python API in brief (heavier modules load on first use)::

    from storyline import Store, Pipeline, ReadOptions

    with Store("news.db") as store:
        report = Pipeline(store).add(["articles/", "feed.xml"], ReadOptions(follow=False))
        for article in store.list_articles(source="coastline-wire"):
            print(article.id, article.title, len(article.removed))
        hits = store.search("harbour closure")
"""

from __future__ import annotations

from typing import Any

from storyline.errors import StorylineError
from storyline.model import Article, Removal, Source

__version__ = "0.1.0"
__all__ = [
    "Article", "Cleaner", "Pipeline", "ReadOptions", "Removal", "Source", "Store", "StorylineError",
    "export", "read_inputs", "__version__",
]

_LAZY = {
    "Store": ("storyline.store", "Store"),
    "export": ("storyline.store.export", "export"),
    "Pipeline": ("storyline.pipeline", "Pipeline"),
    "ReadOptions": ("storyline.ingest", "ReadOptions"),
    "read_inputs": ("storyline.ingest", "read_inputs"),
    "Cleaner": ("storyline.clean", "Cleaner"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'storyline' has no attribute {name!r}")
