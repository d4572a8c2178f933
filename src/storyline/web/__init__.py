"""The web UI: server-rendered pages over the store (``storyline serve``) and the one-file report.

``app.py`` routes requests (a small WSGI app served by the standard library), ``views.py`` reads what
each page shows, ``render.py`` holds the Jinja2 environment (autoescape on), ``report.py`` writes a
story as one self-contained HTML file or a Markdown summary. Pages need no JavaScript.
"""

from __future__ import annotations

from storyline.web.app import StorylineApp, make_server, serve
from storyline.web.report import render_report, write_report

__all__ = ["StorylineApp", "make_server", "serve", "render_report", "write_report"]
