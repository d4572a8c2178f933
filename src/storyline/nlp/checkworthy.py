"""Check-worthiness of sentences: how likely a sentence states a fact worth checking (0..1).

Two linear models and a memory whose logits are summed (the second with a stored weight):

* **Dense**: L2 logistic regression over the sentence's MiniLM vector (384 dimensions, the shared
  int8 encoder of :mod:`storyline.embed`), a few cheap surface features (:func:`surface_features`:
  numbers and quantities, capitalised names inside the sentence (a cheap stand-in for named entities),
  comparatives and superlatives, past and future tense, first and second person, opinion verbs,
  questions, length) and context features (:data:`CONTEXT_FEATURES`): the sentences passed to one
  :meth:`CheckWorthiness.score` call are read as consecutive sentences of one text, so each sees
  whether it follows a question, its neighbours' surface features, its cosine to them and its
  position. A lone sentence has no context.
* **Lexical** (:class:`LexicalModel`): L2 logistic regression over the sentence's word uni- and
  bigrams (numbers folded to "0").
* **Memory** (:class:`ClaimMemory`): the vectors of the sentences that fact-checkers picked in the
  training debates. A sentence close to one of them (cosine above a stored floor) gains
  ``weight * (cosine - floor)``: speakers repeat their talking points, and a statement checked once is
  likely to be checked again in its next wording.

The weights are trained by ``bench/train_classifiers.py`` on the CheckThat! 2019 task 1 training
debates plus ClaimBuster's two-class training sentences (never on the test files), choosing every
setting by leave-debates-out cross-validation on the training debates, and shipped as
``models/classifiers/checkworthy.json``, pinned by sha256 in :mod:`storyline.weights`.

Both models are trained with class-balanced weights, so a score of 0.5 means roughly "as likely
check-worthy as not". Two cuts are stored with the weights: ``threshold_alone``
(:attr:`CheckWorthiness.threshold_alone`), the best out-of-fold F1 on ClaimBuster's training
sentences, each scored alone (no context), and ``threshold`` (:attr:`CheckWorthiness.threshold`), the
cut used by :func:`claims_in` and the claims stage, which score whole texts: the same cut moved by the
mean logit shift that context gives labelled sentences (ClaimBuster training sentences found in CT19
training debates, scored out of fold in their debate and alone), so that in context it selects what
it selected alone. Score one sentence alone, compare with ``threshold_alone``. Figures:
bench/README.md, "Claims".
"""

from __future__ import annotations

import base64
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from storyline.errors import ModelIntegrityError, UsageError

logger = logging.getLogger(__name__)

WEIGHTS_NAME = "checkworthy.json"

_I = re.IGNORECASE
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\d[\d,.]*")
_DIGIT = re.compile(r"\d")
_QUANTITY = re.compile(
    r"\b(percent|per cent|percentage|million|millions|billion|billions|trillion|thousand|thousands|"
    r"hundred|hundreds|dozen|dozens|half|twice|double|doubled|triple|tripled|quarter|majority|"
    r"average|rate|rates|number|numbers|times)\b", _I)
_SYMBOL = re.compile(r"[$€£¥%]")
_COMPARATIVE = re.compile(
    r"\b(more|less|fewer|most|least|higher|lower|larger|smaller|bigger|biggest|largest|highest|"
    r"lowest|greater|greatest|worse|worst|record|increase[ds]?|decrease[ds]?|rose|risen|fell|fallen|"
    r"grew|grown|cut|cuts|doubled|only|first|never|ever|since)\b|\b\w+er than\b", _I)
_PAST = re.compile(r"\b(was|were|had|did|been|said|went|made|got|took|\w{3,}ed)\b", _I)
_FUTURE = re.compile(r"\b(will|would|shall|gonna|going to)\b|\w'll\b", _I)
_FIRST = re.compile(r"\b(i|me|my|mine|myself|we|us|our|ours|ourselves)\b|\b(i|we)['\u2019](m|ve|ll|d|re)\b", _I)
_SECOND = re.compile(r"\b(you|your|yours|yourself)\b", _I)
_OPINION = re.compile(
    r"\b(think|believe|feel|hope|want|wish|should|must|ought|need|love|like|great|wonderful|"
    r"terrible|thank|thanks|please|let's|welcome)\b", _I)
_LAW = re.compile(r"\b(law|bill|act|voted?|votes|tax|taxes|budget|deficit|debt|jobs|unemployment|"
                  r"spending|spent|cost|costs|paid|pay|funding|percent)\b", _I)
_CAPITAL = re.compile(r"[A-Z][a-z]+|[A-Z]{2,}")

#: Names of the surface features, in column order (the weights file repeats them and must match).
FEATURES: tuple[str, ...] = (
    "has_digit", "n_digits_groups", "quantity", "symbol", "comparative", "past", "future",
    "first_person", "second_person", "opinion", "policy_word", "capitalised_inner", "question",
    "exclamation", "log_words", "short", "long",
)


def surface_features(sentence: str) -> np.ndarray:
    """The cheap features of one sentence (float32, in :data:`FEATURES` order)."""
    s = sentence or ""
    words = _WORD.findall(s)
    n = len(words)
    inner_caps = sum(1 for w in words[1:] if _CAPITAL.fullmatch(w) and w not in {"I"})
    digit_groups = len(re.findall(r"\d[\d,.]*", s))
    return np.array(
        [
            1.0 if _DIGIT.search(s) else 0.0,
            math.log1p(digit_groups),
            math.log1p(len(_QUANTITY.findall(s))),
            1.0 if _SYMBOL.search(s) else 0.0,
            math.log1p(len(_COMPARATIVE.findall(s))),
            math.log1p(len(_PAST.findall(s))),
            1.0 if _FUTURE.search(s) else 0.0,
            math.log1p(len(_FIRST.findall(s))),
            math.log1p(len(_SECOND.findall(s))),
            math.log1p(len(_OPINION.findall(s))),
            math.log1p(len(_LAW.findall(s))),
            math.log1p(inner_caps),
            1.0 if s.rstrip().endswith("?") else 0.0,
            1.0 if "!" in s else 0.0,
            math.log1p(n),
            1.0 if n < 6 else 0.0,
            1.0 if n > 40 else 0.0,
        ],
        dtype=np.float32,
    )


#: Context features, in column order after :data:`FEATURES`: the sentences passed together are read as
#: consecutive sentences of one text (an article, a transcript), so each sentence sees its neighbours.
CONTEXT_FEATURES: tuple[str, ...] = (
    ("follows_question",) + tuple(f"prev_{f}" for f in FEATURES) + tuple(f"next_{f}" for f in FEATURES)
    + ("cos_prev", "cos_next", "rel_position", "opening", "has_prev", "has_next")
)


def context_features(surface: np.ndarray, vectors: np.ndarray, questions: np.ndarray) -> np.ndarray:
    """Context columns (:data:`CONTEXT_FEATURES`) of ``n`` consecutive sentences.

    ``surface`` holds their :func:`surface_features` rows, ``vectors`` their sentence vectors and
    ``questions`` 1.0 where a sentence ends with "?". A missing neighbour (first or last sentence)
    contributes zeros; a lone sentence has no context at all.
    """
    n = len(surface)
    out = np.zeros((n, len(CONTEXT_FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    k = len(FEATURES)
    v = np.asarray(vectors, dtype=np.float32)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    if n > 1:
        out[1:, 0] = questions[:-1]
        out[1:, 1 : 1 + k] = surface[:-1]
        out[:-1, 1 + k : 1 + 2 * k] = surface[1:]
        cos = np.sum(v[1:] * v[:-1], axis=1)
        out[1:, 1 + 2 * k] = cos
        out[:-1, 2 + 2 * k] = cos
        out[1:, 5 + 2 * k] = 1.0
        out[:-1, 6 + 2 * k] = 1.0
    pos = np.arange(n, dtype=np.float32)
    out[:, 3 + 2 * k] = pos / max(n - 1, 1)
    out[:, 4 + 2 * k] = (pos < 3).astype(np.float32)
    return out


def feature_matrix(sentences: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    """``[vector | surface features | context features]`` rows, one per sentence (before scaling).

    ``sentences`` are read as consecutive sentences of one text (see :data:`CONTEXT_FEATURES`); score
    unrelated sentences one call each so that they do not become each other's context.
    """
    if len(sentences) != len(vectors):
        raise UsageError(f"{len(sentences)} sentences but {len(vectors)} vectors: pass one vector per sentence")
    if not sentences:
        return np.zeros((0, np.asarray(vectors).reshape(0, -1).shape[1] + len(FEATURES) + len(CONTEXT_FEATURES)),
                        np.float32)
    surf = np.stack([surface_features(s) for s in sentences])
    questions = np.array([1.0 if s.rstrip().endswith("?") else 0.0 for s in sentences], dtype=np.float32)
    ctx = context_features(surf, vectors, questions)
    return np.hstack([np.asarray(vectors, dtype=np.float32), surf, ctx]).astype(np.float32)


_GRAM = re.compile(r"[a-z][a-z'-]*|\d[\d,.]*|[$%?!]")


def grams(sentence: str) -> list[str]:
    """Lower-cased words (numbers as "0", "$", "%", "?", "!" kept as tokens) and word bigrams."""
    words = ["0" if t[0].isdigit() else t for t in _GRAM.findall((sentence or "").lower().replace("\u2019", "'"))]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@dataclass(frozen=True, slots=True)
class LexicalModel:
    """Logistic model over a sentence's word uni- and bigrams (binary, scaled by 1/sqrt(#distinct grams))."""

    index: dict[str, int]
    w: np.ndarray
    b: float

    def logits(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.empty(len(sentences), dtype=np.float64)
        for i, s in enumerate(sentences):
            gs = set(grams(s))
            hit = [self.index[g] for g in gs if g in self.index]
            out[i] = float(np.sum(self.w[hit], dtype=np.float64)) / math.sqrt(max(1, len(gs))) + self.b
        return out


def load_lexical(data: dict[str, Any], name: str) -> tuple[LexicalModel, float]:
    """The ``lexical`` part of a weights file: (model, weight of its logit in the combined score)."""
    try:
        lex = data["lexical"]
        model = LexicalModel(index={str(g): i for i, g in enumerate(lex["grams"])},
                             w=np.asarray(lex["w"], dtype=np.float64), b=float(lex["b"]))
        weight = float(lex["weight"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelIntegrityError(f"{name} has no readable lexical model ({exc}): rerun bench/train_classifiers.py") from exc
    if len(model.index) != len(model.w):
        raise ModelIntegrityError(f"{name} has mismatched lexical shapes: rerun bench/train_classifiers.py")
    return model, weight


def nearest_cosine(vectors: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Per row of ``vectors``, its highest cosine to a row of ``bank`` (-1 with an empty bank).

    Both sides are L2-normalised here, so any sentence vectors will do."""
    v = np.asarray(vectors, dtype=np.float32)
    if len(v) == 0 or len(bank) == 0:
        return np.full(len(v), -1.0)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
    b = np.asarray(bank, dtype=np.float32)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-9)
    return (v @ b.T).max(axis=1).astype(np.float64)


def memory_logits(vectors: np.ndarray, bank: np.ndarray, weight: float, floor: float) -> np.ndarray:
    """``weight * max(0, cos - floor)`` per row of ``vectors``, ``cos`` its :func:`nearest_cosine` in ``bank``."""
    return weight * np.maximum(0.0, nearest_cosine(vectors, bank) - floor)


@dataclass(frozen=True, slots=True)
class ClaimMemory:
    """Vectors of known check-worthy sentences; a sentence near one of them scores higher."""

    vectors: np.ndarray
    weight: float
    floor: float

    def logits(self, vectors: np.ndarray) -> np.ndarray:
        if len(vectors) and np.asarray(vectors).shape[1] != self.vectors.shape[1]:
            raise ModelIntegrityError(
                f"sentence vectors have {np.asarray(vectors).shape[1]} dimensions, the claim memory "
                f"{self.vectors.shape[1]}: encode with the model the weights were trained with")
        return memory_logits(vectors, self.vectors, self.weight, self.floor)


def encode_memory(bank: np.ndarray) -> str:
    """``bank`` as base64 of little-endian float16 (the weights file's ``memory.vectors``)."""
    return base64.b64encode(np.ascontiguousarray(bank, dtype="<f2").tobytes()).decode("ascii")


def load_memory(data: dict[str, Any], name: str) -> ClaimMemory:
    """The ``memory`` part of a weights file."""
    try:
        mem = data["memory"]
        rows, dim = int(mem["count"]), int(mem["dim"])
        raw = np.frombuffer(base64.b64decode(mem["vectors"]), dtype="<f2")
        vectors = raw.reshape(rows, dim).astype(np.float32)
        return ClaimMemory(vectors=vectors, weight=float(mem["weight"]), floor=float(mem["floor"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelIntegrityError(f"{name} has no readable claim memory ({exc}): rerun bench/train_classifiers.py") from exc


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Standardise, then ``sigmoid(x · w + b)``; read from a pinned JSON weights file."""

    mean: np.ndarray
    scale: np.ndarray
    w: np.ndarray
    b: float
    threshold: float
    meta: dict[str, Any]

    def logits(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.w + self.b
        return z.astype(np.float64)

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = np.clip(self.logits(x), -40.0, 40.0)
        return 1.0 / (1.0 + np.exp(-z))


def load_linear(name: str) -> tuple[LinearModel, dict[str, Any]]:
    """Read pinned weights file ``name`` (sha256 checked by :func:`storyline.weights.verified_path`)."""
    from storyline.weights import verified_path

    path = verified_path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = LinearModel(
            mean=np.asarray(data["mean"], dtype=np.float32),
            scale=np.asarray(data["scale"], dtype=np.float32),
            w=np.asarray(data["w"], dtype=np.float32),
            b=float(data["b"]),
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta", {})),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelIntegrityError(
            f"weights file {path} cannot be read ({exc}): reinstall storyline or rerun bench/train_classifiers.py"
        ) from exc
    if not (model.mean.shape == model.scale.shape == model.w.shape):
        raise ModelIntegrityError(f"weights file {path} has mismatched shapes: rerun bench/train_classifiers.py")
    return model, data


@cache
def _checkworthy_model() -> tuple[LinearModel, LexicalModel, float, ClaimMemory]:
    model, data = load_linear(WEIGHTS_NAME)
    if tuple(data.get("features", ())) != FEATURES + CONTEXT_FEATURES:
        raise ModelIntegrityError(
            f"{WEIGHTS_NAME} was trained with other features than this code computes: "
            "rerun bench/train_classifiers.py"
        )
    lexical, weight = load_lexical(data, WEIGHTS_NAME)
    return model, lexical, weight, load_memory(data, WEIGHTS_NAME)


@dataclass(frozen=True, slots=True)
class ClaimCandidate:
    """A sentence that reads as a check-worthy claim, with its span in the text it came from."""

    start: int
    end: int
    text: str
    score: float


class SentenceModel:
    """What the pinned sentence classifiers share: a lazily loaded MiniLM encoder (the process-wide
    one unless given) and the model's decision threshold."""

    model: LinearModel

    def __init__(self, encoder: Any | None = None) -> None:
        self._encoder = encoder

    @property
    def threshold(self) -> float:
        """The decision cut for sentences scored in their text (with context)."""
        return self.model.threshold

    @property
    def threshold_alone(self) -> float:
        """The decision cut for a sentence scored alone (no context); ``threshold`` when not stored."""
        return float(self.model.meta.get("threshold_alone", self.model.threshold))

    def _encode(self, sentences: Sequence[str]) -> np.ndarray:
        if self._encoder is None:
            from storyline.embed import shared_encoder

            self._encoder = shared_encoder()
        return self._encoder.encode(list(sentences))


class CheckWorthiness(SentenceModel):
    """Scores sentences for check-worthiness with the pinned linear model.

    ``encoder`` defaults to the process-wide MiniLM (:func:`storyline.embed.shared_encoder`). Pass
    ``vectors`` to :meth:`score` when the sentences are already embedded (the reuse stage caches them).
    """

    def __init__(self, encoder: Any | None = None) -> None:
        super().__init__(encoder)
        self.model, self.lexical, self.lexical_weight, self.memory = _checkworthy_model()

    def score(self, sentences: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Check-worthiness in 0..1, one float64 per sentence, in input order.

        ``sentences`` are read as consecutive sentences of one text (each one's neighbours are context
        features); score unrelated sentences with one call each.
        """
        if not sentences:
            return np.zeros(0, dtype=np.float64)
        vecs = self._encode(sentences) if vectors is None else vectors
        z = (self.model.logits(feature_matrix(sentences, vecs)) + self.lexical_weight * self.lexical.logits(sentences)
             + self.memory.logits(vecs))
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))

    def claims_in(
        self,
        text: str,
        sentences: Sequence[tuple[int, int]],
        *,
        threshold: float | None = None,
        vectors: np.ndarray | None = None,
    ) -> list[ClaimCandidate]:
        """The sentences of ``text`` (``(start, end)`` spans) scoring at least ``threshold``, in text order.

        The sentences are scored together (each with its neighbours as context), so the default cut is
        :attr:`threshold`, calibrated for scores in context."""
        cut = self.threshold if threshold is None else threshold
        spans = [(int(s), int(e)) for s, e in sentences]
        for s, e in spans:
            if not 0 <= s <= e <= len(text):
                raise UsageError(f"sentence span ({s}, {e}) lies outside the text of length {len(text)}")
        texts = [text[s:e] for s, e in spans]
        scores = self.score(texts, vectors)
        out = [
            ClaimCandidate(start=s, end=e, text=t, score=float(round(p, 6)))
            for (s, e), t, p in zip(spans, texts, scores)
            if p >= cut and t.strip()
        ]
        logger.debug("%d of %d sentences are claim candidates (threshold %.3f)", len(out), len(spans), cut)
        return out


def claims_in(text: str, sentences: Sequence[tuple[int, int]], **kwargs: Any) -> list[ClaimCandidate]:
    """Module-level shortcut for :meth:`CheckWorthiness.claims_in` with the shared encoder."""
    return _default().claims_in(text, sentences, **kwargs)


@cache
def _default() -> CheckWorthiness:
    return CheckWorthiness()
