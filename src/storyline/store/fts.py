"""Turn what a person types into a safe FTS5 query.

FTS5 has its own syntax (``"``, ``*``, ``-``, ``:``, ``^``, parentheses, ``NEAR``), so raw user input
such as ``EU-Canada``, ``O'Brien`` or a lone ``*`` raises a syntax error. :func:`fts_query` keeps what
people mean and quotes everything else:

* words are ANDed: ``harbour closure`` matches articles holding both words;
* ``"a quoted phrase"`` stays a phrase (an unclosed quote runs to the end of the query);
* a trailing ``*`` asks for a prefix: ``elect*``;
* upper-case ``OR``, ``AND`` and ``NOT`` between terms are operators; lower-case they are words;
* every term is double-quoted, so punctuation inside it (``AT&T``, ``EU-Canada``) only splits it into
  adjacent tokens, exactly as the index's ``unicode61`` tokenizer split the text;
* terms with no letter or digit at all (``&``, ``*``, ``--``) are dropped.
"""

from __future__ import annotations

import re

_PART_RE = re.compile(r'"([^"]*)(?:"|$)|(\S+)')
_WORDISH_RE = re.compile(r"[^\W_]")
_OPERATORS = {"OR", "AND", "NOT"}


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def fts_query(user: str) -> str | None:
    """The FTS5 MATCH expression for a user query, or ``None`` when nothing searchable is left."""
    parts: list[str] = []
    for m in _PART_RE.finditer(user):
        phrase, tok = m.group(1), m.group(2)
        if phrase is not None:
            if _WORDISH_RE.search(phrase):
                parts.append(_quote(phrase))
            continue
        if tok in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(tok)
            continue
        core = tok.rstrip("*")
        if not _WORDISH_RE.search(core):
            continue
        parts.append(_quote(core) + ("*" if core != tok else ""))
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return " ".join(parts) or None


def fts_query_plain(user: str) -> str | None:
    """Every term quoted and ANDed, operators taken as words: the fallback when FTS5 rejects the first."""
    terms = [_quote(t) for t in re.split(r'[\s"]+', user) if _WORDISH_RE.search(t)]
    return " ".join(terms) or None
