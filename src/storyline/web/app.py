"""The web app: a small WSGI application served by the standard library (``wsgiref``, one thread
per request).

Routes (GET and HEAD only)::

    /                       stories: ?q= full-text search, since, until, outlet, min_size, page
    /story/<id>             timeline, provenance graph, side by side, how each version tells it (additions,
                            omissions, headlines, labels, quote selection), coverage matrix, quotes,
                            storyline neighbours
    /article/<id>           clean text coloured by role (shared, new fact, commentary, off topic, quote,
                            loaded term, removed boilerplate with its reason); additions, omissions, labels
    /compare?a=<id>&b=<id>  two versions side by side
    /static/<file>          the stylesheet

Each request opens the database read-only (SQLite WAL lets the pipeline write meanwhile). A story
or article page whose story (of two or more articles) has no fresh cached comparison first computes
it once, with a writable connection, one story at a time (``compare_story`` caches it; later requests
only read). Every
response carries a strict Content-Security-Policy: no script runs at all, styles come only from
``/static/``, forms post only here, and nothing may frame the pages.
"""

from __future__ import annotations

import logging
import re
import socketserver
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, quote, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as _wsgi_make_server

from storyline.errors import NotFoundError, StorylineError, UsageError
from storyline.web import views
from storyline.web.render import render, static_bytes

logger = logging.getLogger(__name__)

CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
STATIC_TYPES = {".css": "text/css; charset=utf-8"}
_STATIC_RE = re.compile(r"^/static/([a-z0-9_-]+\.[a-z]+)$")
_ID_RE = re.compile(r"^/(story|article)/([A-Za-z0-9_-]{1,64})$")
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"}

StartResponse = Callable[..., Any]


def server_href(kind: str, *args: str) -> str:
    """Links between the server's pages."""
    if kind == "home":
        return "/"
    if kind in ("story", "article"):
        return f"/{kind}/{quote(args[0], safe='')}"
    if kind == "compare":
        return "/compare?" + urlencode({"a": args[0], "b": args[1]})
    raise ValueError(f"unknown page kind {kind!r}")


class StorylineApp:
    """The WSGI application over one database file."""

    def __init__(self, db: str | Path, *, compute_comparisons: bool = True) -> None:
        self.db = Path(db)
        self.compute_comparisons = compute_comparisons
        self._compare_lock = threading.Lock()

    def ensure_comparisons(self, store: Any, kind: str, ident: str) -> dict[str, Any] | None:
        """Fill the comparison cache of the story behind a story or article page when it is missing or
        stale (``store``: the request's read-only one). Returns :data:`views.FRESH` when the cache is
        fresh (checked here, so the page need not check again), else None: the page checks for itself.
        A failure is logged and the page renders without comparisons; an unknown id is left for the
        page to report."""
        from storyline.compare import compare_story, is_fresh

        try:
            sid = self._story_of(store, kind, ident)
            if sid is None:
                return None
            if is_fresh(store, sid):
                return views.FRESH
            if not self.compute_comparisons:
                return None
            with self._compare_lock:  # one computation at a time; a waiting request finds it done
                from storyline.store import Store

                with Store(self.db) as writable:
                    t0 = time.perf_counter()
                    compare_story(writable, sid)
                    logger.info("compared the versions of story %s in %.1f s", sid, time.perf_counter() - t0)
        except NotFoundError:
            return None
        except Exception:  # the page still renders, without the comparison
            logger.exception("cannot compare the versions of the story of %s %s", kind, ident)
        return None

    @staticmethod
    def _story_of(store: Any, kind: str, ident: str) -> str | None:
        """The story behind a page when it has two or more articles (else None: nothing to compare)."""
        if kind == "story":
            sid = views.resolve_story_id(store, ident)
        else:
            row = store.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?",
                                     (store.get_article(ident).id,)).fetchone()
            if row is None:
                return None
            sid = row[0]
        n = store.conn.execute("SELECT count(*) FROM story_articles WHERE story_id = ?", (sid,)).fetchone()[0]
        return sid if n >= 2 else None

    def _store(self) -> Any:
        from storyline.store import Store

        return Store(self.db, readonly=True)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        t0 = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        if method not in ("GET", "HEAD"):
            status, headers, body = self._error(405, "Only GET and HEAD are served here.")
            headers.append(("Allow", "GET, HEAD"))
        else:
            try:
                status, headers, body = self.route(path, parse_qs(environ.get("QUERY_STRING", "")))
            except NotFoundError as exc:
                status, headers, body = self._error(404, str(exc))
            except UsageError as exc:
                status, headers, body = self._error(400, str(exc))
            except StorylineError as exc:
                status, headers, body = self._error(500, str(exc))
            except Exception:  # a bug: log it, show no internals
                logger.exception("error serving %s", path)
                status, headers, body = self._error(500, "Something went wrong; the server log has the details.")
        headers += SECURITY_HEADERS
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{status} {_REASONS.get(status, '')}", headers)
        logger.info("%s %s %d %.1f ms", method, path, status, (time.perf_counter() - t0) * 1000)
        return [] if method == "HEAD" else [body]

    def route(self, path: str, query: dict[str, list[str]]) -> tuple[int, list[tuple[str, str]], bytes]:
        def arg(name: str) -> str:
            return (query.get(name) or [""])[0]

        m = _STATIC_RE.match(path)
        if m:
            name = m.group(1)
            ctype = STATIC_TYPES.get(Path(name).suffix)
            try:
                data = static_bytes(name) if ctype else None
            except FileNotFoundError:
                data = None
            if data is None:
                raise NotFoundError(f"no static file {name!r}")
            return 200, [("Content-Type", ctype or ""), ("Cache-Control", "max-age=3600")], data
        if path == "/":
            try:
                min_size, page = int(arg("min_size") or 0), int(arg("page") or 1)
            except ValueError:
                raise UsageError("min_size and page must be whole numbers") from None
            with self._store() as store:
                lst = views.story_list(store, query=arg("q"), since=arg("since"), until=arg("until"),
                                       outlet=arg("outlet"), min_size=min_size, page=page)

            def page_href(n: int) -> str:
                keep = {k: arg(k) for k in ("q", "since", "until", "outlet", "min_size") if arg(k)}
                return "/?" + urlencode({**keep, "page": n})

            return self._html(render("stories.html", server_href, l=lst, query=lst.query, page_href=page_href))
        m = _ID_RE.match(path)
        if m:
            kind, ident = m.groups()
            with self._store() as store:
                comps = self.ensure_comparisons(store, kind, ident)
                if kind == "story":
                    return self._html(render("story.html", server_href, s=views.story_page(store, ident, comparisons=comps)))
                return self._html(render("article.html", server_href, p=views.article_page(store, ident, comparisons=comps)))
        if path == "/compare":
            with self._store() as store:
                page = views.compare_page(store, arg("a").strip(), arg("b").strip())
            return self._html(render("compare.html", server_href, c=page))
        raise NotFoundError(f"no page at {path}: start from the story list at /")

    @staticmethod
    def _html(text: str, status: int = 200) -> tuple[int, list[tuple[str, str]], bytes]:
        return status, [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], text.encode("utf-8")

    def _error(self, status: int, message: str) -> tuple[int, list[tuple[str, str]], bytes]:
        return self._html(render("error.html", server_href, status=f"{status} {_REASONS.get(status, '')}",
                                 message=message), status)


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        logger.debug("%s " + format, self.address_string(), *args)


def make_server(db: str | Path, host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A threaded server for the app (port 0: any free port; see ``server.server_port``)."""
    db = Path(db)
    if not db.exists():
        raise UsageError(f"no database at {db}: run `storyline add <inputs>` or `storyline demo` first, "
                         "or point --db at an existing file")
    from storyline.store import Store

    Store(db).close()  # bring the schema up to date once; requests then open it read-only
    try:
        return _wsgi_make_server(host, port, StorylineApp(db), server_class=_ThreadingServer,
                                 handler_class=_QuietHandler)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror}): choose another --port") from exc


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8000,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; ``ready`` gets the base URL once the socket listens."""
    server = make_server(db, host, port)
    try:
        if ready is not None:
            ready(f"http://{host}:{server.server_port}/")
        server.serve_forever()
    finally:
        server.server_close()
