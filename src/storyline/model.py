"""The records that flow through Storyline.

Every stage takes and returns batches of :class:`Article`. Character spans in ``removed`` index the
article's ``raw_text`` (the text as read, before cleaning); spans in ``sentences`` index the clean
``text``. Later capabilities (reuse links, stories, quotes, claims, comparisons) add their own records
here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, Sequence

from storyline.text import figures

Status = Literal["ok", "dropped"]
InputKind = Literal["text", "html", "json", "jsonl", "feed", "warc", "url", "stdin"]

#: Version of the export format written by ``storyline export``; bump on a breaking change.
EXPORT_FORMAT_VERSION = "1.7"


@dataclass(slots=True)
class Removal:
    """One piece of boilerplate taken out of an article, with the rule that took it."""

    start: int  # offset into Article.raw_text
    end: int
    text: str
    reason: str  # e.g. "social_prompt", "share_count", "photo_credit", "repeated_title", ...

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "reason": self.reason, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Source:
    """An outlet: the key is a lower-case slug (domain when known), the name is for display."""

    key: str
    name: str
    domain: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """One article as read from an input, then cleaned.

    ``status`` is ``"ok"`` or ``"dropped"``; a dropped article keeps whatever could be read and a
    ``drop_reason`` (``empty``, ``binary``, ``not_an_article``, ``too_large``, ``malformed``,
    ``fetch_failed``, ...) with a human ``drop_detail``.
    """

    id: str = ""
    input_kind: str = "text"
    path: str | None = None
    url: str | None = None
    source: str | None = None  # display name of the outlet, e.g. "Coastline Wire"
    source_key: str | None = None  # normalised key for filtering, e.g. "coastline-wire"
    title: str | None = None
    byline: str | None = None
    published_at: datetime | None = None  # timezone-aware when known
    date_precision: str | None = None  # "day", "minute", "second"
    date_method: str | None = None  # how the date was found: "dateline", "html_meta", "feed", "json", ...
    language: str | None = None
    raw_text: str = ""  # the text as read (decoded, extracted from HTML); removals index it
    text: str = ""  # clean text, for display; sentences index it
    removed: list[Removal] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    status: Status = "ok"
    drop_reason: str | None = None
    drop_detail: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # reader extras: canonical_url, sitename, feed, ...

    def drop(self, reason: str, detail: str) -> "Article":
        """Mark this article dropped with a machine reason and a message for people."""
        self.status = "dropped"
        self.drop_reason = reason
        self.drop_detail = detail
        return self

    @property
    def location(self) -> str:
        """Where the article came from: its URL or its path."""
        return self.url or self.path or "-"

    def to_dict(self) -> dict[str, Any]:
        """The export form of the article (see docs/export-format.md)."""
        return {
            "id": self.id,
            "input_kind": self.input_kind,
            "path": self.path,
            "url": self.url,
            "source": self.source,
            "source_key": self.source_key,
            "title": self.title,
            "byline": self.byline,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "date_precision": self.date_precision,
            "date_method": self.date_method,
            "language": self.language,
            "text": self.text,
            "removed": [r.to_dict() for r in self.removed],
            "sentences": [list(s) for s in self.sentences],
            "status": self.status,
            "drop_reason": self.drop_reason,
            "drop_detail": self.drop_detail,
            "meta": self.meta,
        }


def content_id(*parts: str | None) -> str:
    """A content-addressed id: 16 hex characters of sha256 over the given parts.

    Articles use ``content_id(canonical_url_or_path, normalised_text)`` so that adding the same input
    twice yields the same id and changes nothing in the store.
    """
    h = hashlib.sha256()
    for p in parts:
        h.update((p or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


class Stage(Protocol):
    """A pipeline stage: a plain object over batches, no global state, no I/O beyond its inputs."""

    def process(self, batch: Sequence[Article]) -> list[Article]: ...


# --- quotes (issue 6) -------------------------------------------------------------------------------

QuoteKind = Literal["direct", "indirect", "partial", "mixed"]


@dataclass(slots=True)
class ChainLink:
    """One outlet or document a statement came through, e.g. an interview with a broadcaster.

    ``how`` names the pattern that found it: ``interview`` ("in an interview with X"), ``told``
    ("told X"), ``report_by`` ("a report by X"), ``cited`` ("X, citing Y": Y), ``citing`` (X),
    ``per`` ("per X"), ``according_to`` ("according to X"), ``reported`` ("X reported:").
    Offsets index the clean ``Article.text``.
    """

    name: str
    start: int
    end: int
    how: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "end": self.end, "how": self.how}


@dataclass(slots=True)
class Quote:
    """A statement attributed to a speaker in one article; offsets index the clean ``Article.text``.

    ``kind`` is ``direct`` (between quotation marks), ``indirect`` (reported speech), ``partial`` (a
    quoted fragment inside the writer's sentence) or ``mixed`` (reported speech that carries a quoted
    fragment). ``speaker`` is the resolved name (a pronoun or description replaced by the named entity
    it refers to), ``speaker_mention`` the words in the text at ``speaker_start:speaker_end``.
    ``text`` is the words at ``start:end``, except for kinds of direct quote whose span holds more
    than the quoted words: an interrupted quote (the span runs over the interrupting "she said", the
    text joins the two parts), a quote filling a that-clause (the span starts at "that", the text
    at the quotation mark) and a quote over several paragraphs (the text leaves out the mark that
    reopens each paragraph). ``chain`` lists the outlets or documents the statement came through, the original one first.
    ``denial`` is true when the cue or the content rejects something ("denied", "never did").
    ``group_id`` and ``altered`` are filled by grouping across the articles of a storyline (or of a
    story outside any).
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_mention: str | None = None
    speaker_role: str | None = None
    speaker_type: str | None = None  # "PERSON", "ORG", "GPE", "NORP" or None for an unnamed description
    chain: list[ChainLink] = field(default_factory=list)
    denial: bool = False
    group_id: str | None = None
    altered: bool = False
    difference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "cue": self.cue,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
            "speaker": self.speaker,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
            "speaker_mention": self.speaker_mention,
            "speaker_role": self.speaker_role,
            "speaker_type": self.speaker_type,
            "chain": [c.to_dict() for c in self.chain],
            "denial": self.denial,
            "group_id": self.group_id,
            "altered": self.altered,
            "difference": self.difference,
        }


@dataclass(slots=True)
class QuoteGroup:
    """The same quote across articles: member quote ids, the fullest version, and altered versions."""

    id: str
    quote_ids: list[str]
    reference_id: str  # the longest direct version (or the longest member when none is direct)
    text: str
    speaker: str | None
    altered: dict[str, str] = field(default_factory=dict)  # quote id -> human-readable difference

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "quote_ids": list(self.quote_ids), "reference_id": self.reference_id,
                "text": self.text, "speaker": self.speaker, "altered": dict(self.altered)}


# --- claims (issue 6) -------------------------------------------------------------------------------

StanceKind = Literal["asserts", "reports", "denies", "disputes"]


@dataclass(slots=True)
class ClaimStance:
    """How one article stands towards a claim, with who holds that stance and the evidence span.

    ``asserts``: the outlet's own voice; ``reports``: attributed to ``holder``; ``denies`` /
    ``disputes``: ``holder`` rejects it (a denying cue or negated content / a challenge such as
    "baseless"). ``start``/``end`` index the article's clean ``text``; ``quote_id`` names the quote
    the evidence comes from, when it is one.
    """

    article_id: str
    stance: StanceKind
    start: int
    end: int
    holder: str | None = None
    holder_role: str | None = None
    text: str = ""
    quote_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "stance": self.stance, "start": self.start, "end": self.end,
                "holder": self.holder, "holder_role": self.holder_role, "text": self.text,
                "quote_id": self.quote_id}


@dataclass(slots=True)
class Claim:
    """A canonical claim across the articles of a story (or of linked stories).

    ``text`` is the most representative affirmative version, ``holder`` who makes the claim (the
    speaker most of its reports attribute it to; ``None`` when only outlets assert it). ``scope`` is
    the story or storyline whose articles were compared; ``score`` the best check-worthiness of its
    versions (``None`` when no scorer was available).
    """

    id: str
    text: str
    holder: str | None
    stances: list[ClaimStance] = field(default_factory=list)
    scope: str | None = None
    score: float | None = None

    def differing_figures(self, stance: ClaimStance) -> list[str]:
        """The figures a stance's evidence states that the claim's text does not, when it leaves out
        one of the claim's own ("210,000" in a version of a claim of "212,000"; a version that only
        adds a figure beside the claim's, or a claim or version without figures, gives none)."""
        own = {k for _, k in figures(self.text)}
        theirs = figures(stance.text)
        if not own or not theirs or own <= {k for _, k in theirs}:
            return []
        return list(dict.fromkeys(raw for raw, k in theirs if k not in own))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "holder": self.holder,
                "stances": [{**s.to_dict(), "figures": self.differing_figures(s)} for s in self.stances],
                "scope": self.scope, "score": self.score}
