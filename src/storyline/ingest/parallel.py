"""Read many local files in worker processes, in input order.

HTML extraction (trafilatura) costs 20–50 ms a page, so a pile of pages is read by a pool of
``spawn`` workers (``spawn``, not ``fork``: libraries with native thread pools deadlock a forked
child, see perf-measured.md). Files are handed out in order and results come back in order through a
bounded window, so memory stays flat on a million-file folder and the output is the same as reading
in one process. URLs, stdin, and feeds followed with ``--follow`` stay in the calling process (one
polite fetcher, one rate limit per host).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any

from storyline.ingest import ReadOptions, iter_files, read_inputs
from storyline.ingest.base import normpath
from storyline.model import Article

logger = logging.getLogger(__name__)

#: Below this many files a pool costs more to start (≈1 s of imports per worker) than it saves.
MIN_FILES_FOR_POOL = 48
CHUNK = 8  # files per task


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


#: meta key set on articles a worker has already cleaned; the pipeline pops it before storing.
PREPARED = "_prepared"
_worker_stages: list[Any] | None = None


def _read_chunk(paths: list[str], options: ReadOptions, prepare: bool) -> list[Article]:
    arts = list(read_inputs(paths, options))
    if prepare:
        global _worker_stages
        if _worker_stages is None:
            from storyline.clean import Cleaner
            from storyline.lang import LanguageDetector

            _worker_stages = [Cleaner(), LanguageDetector()]
        for stage in _worker_stages:
            arts = stage.process(arts)
        for a in arts:
            if a.status == "ok":
                a.meta[PREPARED] = True
    return arts


def _expand(item: str, options: ReadOptions) -> Iterator[str]:
    path = normpath(item)
    if os.path.isdir(path):
        yield from iter_files(path, include_hidden=options.include_hidden)
    else:
        yield path


def _is_local(item: str) -> bool:
    return item != "-" and not item.lower().startswith(("http://", "https://"))


def read_inputs_parallel(
    inputs: Iterable[str], options: ReadOptions | None = None, *, workers: int | None = None,
    prepare: bool = False,
) -> Iterator[Article]:
    """Like :func:`storyline.ingest.read_inputs`, with local files read by ``workers`` processes.

    ``workers=None`` means one per core. Worker processes are started with ``spawn``, which
    re-imports the calling script: scripts must keep their top-level code under
    ``if __name__ == "__main__":`` (the ``storyline`` command does).

    With ``prepare``, workers also run the stages that need no corpus state (cleaning without
    per-source statistics, language id) and mark those articles with ``meta[PREPARED]``.
    """
    options = options or ReadOptions()
    workers = default_workers() if workers is None else workers
    items = [os.fspath(i) for i in inputs]
    if workers <= 1 or options.follow or options.stdin is not None or options.fetcher is not None:
        yield from read_inputs(items, options)
        return
    files: list[str] = []
    for item in items:
        if _is_local(item):
            files.extend(_expand(item, options))
    if len(files) < MIN_FILES_FOR_POOL:
        yield from read_inputs(items, options)
        return
    worker_opts = replace(options, fetcher=None, stdin=None)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for item in items:
            if not _is_local(item):
                yield from read_inputs([item], options)
                continue
            yield from _ordered_map(pool, list(_expand(item, options)), worker_opts, workers, prepare)


def _ordered_map(
    pool: ProcessPoolExecutor, paths: list[str], options: ReadOptions, workers: int, prepare: bool
) -> Iterator[Article]:
    window: deque[tuple[list[str], Future[list[Article]]]] = deque()
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    ahead = workers * 4
    for n, chunk in enumerate(chunks):
        try:
            window.append((chunk, pool.submit(_read_chunk, chunk, options, prepare)))
        except BrokenProcessPool as exc:
            # Workers could not start or died (e.g. a script using the API without an
            # ``if __name__ == "__main__":`` guard): finish in this process, losing nothing.
            logger.warning("reader processes unavailable (%s); reading the rest in this process", exc)
            while window:
                yield from _result(*window.popleft(), options)
            yield from read_inputs([p for c in chunks[n:] for p in c], options)
            return
        if len(window) >= ahead:
            yield from _result(*window.popleft(), options)
    while window:
        yield from _result(*window.popleft(), options)


def _result(chunk: list[str], fut: Future[list[Article]], options: ReadOptions) -> Iterator[Article]:
    try:
        arts = fut.result()
    except Exception as exc:  # noqa: BLE001 - a dead worker must not lose the chunk
        logger.warning("a reader process failed (%s); reading %d files in this process", exc, len(chunk))
        arts = list(read_inputs(chunk, options))
    return iter(arts)
