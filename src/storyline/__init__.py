"""Storyline: follow one news story across every outlet that carries it."""

from storyline.errors import StorylineError
from storyline.model import Article, Removal, Source

__version__ = "0.1.0"
__all__ = ["Article", "Removal", "Source", "StorylineError", "__version__"]
