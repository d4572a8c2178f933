"""One exception tree for Storyline.

Every error a user can meet derives from :class:`StorylineError`, and every message says what to do
next. Expected rejections of one input (empty, binary, not an article) are *not* raised through a
batch: readers turn them into ``dropped`` articles with a reason (see :mod:`storyline.model`).
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error Storyline raises on purpose."""


class UsageError(StorylineError):
    """The command or call was given something it cannot work with (bad option, unknown id)."""


class InputError(StorylineError):
    """One input could not be read; carries the reason recorded for the dropped article."""

    def __init__(self, message: str, *, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason


class FetchError(InputError):
    """A URL could not be fetched (unreachable, refused by robots.txt, HTTP error)."""

    def __init__(self, message: str, *, reason: str = "fetch_failed") -> None:
        super().__init__(message, reason=reason)


class StoreError(StorylineError):
    """The database could not be opened, migrated or written."""


class NotFoundError(UsageError):
    """An article, story or other record asked for by id does not exist in the database."""


class ModelIntegrityError(StorylineError):
    """A packaged model file does not have the sha256 it is pinned to: reinstall from the lock file."""
