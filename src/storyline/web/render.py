"""The Jinja2 environment shared by the server pages and the report.

Autoescape is on for every template, undefined names are errors, and the only way to put markup in a
page is a template: article text, titles, outlets and URLs always arrive as plain strings.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import jinja2

from storyline import __version__

Href = Callable[..., str]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storyline.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    from storyline.web.views import ROLE_HELP

    env.globals["role_help"] = ROLE_HELP
    return env


@lru_cache(maxsize=None)
def static_bytes(name: str) -> bytes:
    """A file of the package's ``static/`` folder (names are checked by the caller)."""
    return resources.files("storyline.web").joinpath("static", name).read_bytes()


def css_hash(css: str) -> str:
    """The CSP source expression that allows exactly this inline stylesheet."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"


def render(name: str, href: Href, **context: Any) -> str:
    context.setdefault("standalone", False)
    return environment().get_template(name).render(href=href, **context)
