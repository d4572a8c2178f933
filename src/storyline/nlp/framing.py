"""Loaded or biased wording per sentence, and the loaded terms in it with character offsets.

Two parts:

* **Terms** (:func:`loaded_terms`): words and short phrases that carry the writer's judgement.
  Three sources, each term tagged with its ``kind``:

  - ``lexicon``: words that BABE's annotators marked as biased in the training split
    (``biased_words``), kept when they were marked in at least two sentences and in at least
    :data:`LEXICON_MIN_SHARE` of the training sentences containing them (the share is the term's
    ``weight``). Matched on a crude stem (lower case, common suffixes cut), so "slammed" finds "slam".
  - ``actor_label``: an evaluative or ideological label put in front of an actor: "the radical
    group", "a corrupt regime", "hard-line officials", "far-left activists", "rogue state". The label
    words (:data:`ACTOR_LABELS`) precede an actor noun (:data:`ACTOR_NOUNS`) or a capitalised name,
    within one optional extra modifier.
  - ``learned``: words whose *word score* reaches :data:`WORD_TERM_MIN`. The word score generalises
    the BABE marks to words with similar meaning: a logistic model over the MiniLM vector of the word
    alone, fitted to how often each training-split word was marked. The weights file ships the scores
    of the training vocabulary plus the MiniLM tokenizer's whole words (those under
    :data:`WORD_SCORE_MIN` only as a list of known words, scoring 0) and the word model itself: any
    other word is embedded alone the first time it is met and scored by that model
    (:class:`WordScorer`), as the out-of-fold training features score every word.
  - ``general``: a short general list of loaded words (:data:`GENERAL_LOADED`: "regime", "so-called",
    "slammed", "propaganda", ...) and intensifiers used as judgement ("shockingly", "absurdly").

* **Sentence decision** (:meth:`Framing.analyse`): L2 logistic regression over the sentence's MiniLM
  vector plus features of its terms (how many, how strongly marked in BABE, the rule hits) and a few
  surface cues (quotation marks, exclamation, first/second person, length), its logit summed with a
  weighted lexical model's (:class:`storyline.nlp.checkworthy.LexicalModel`: logistic regression on
  the sentence's word uni- and bigrams). Trained by
  ``bench/train_classifiers.py`` on BABE's training split; the decision cut (``threshold`` in the
  weights file) maximises macro-F1 out of fold on that split. Weights and lexicon ship in
  ``models/classifiers/framing.json``, pinned by sha256 in :mod:`storyline.weights`. Figures:
  bench/README.md, "Framing".
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from storyline.errors import ModelIntegrityError, UsageError
from storyline.nlp.checkworthy import LexicalModel, LinearModel, SentenceModel, load_lexical, load_linear

logger = logging.getLogger(__name__)

WEIGHTS_NAME = "framing.json"

#: A lexicon word is kept when at least this share of the training sentences holding it marked it.
LEXICON_MIN_SHARE = 0.2
#: ... and it was marked in at least this many sentences.
LEXICON_MIN_COUNT = 2

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019]*(?:-[A-Za-z]+)*")

#: Evaluative or ideological labels that frame the actor they precede.
ACTOR_LABELS = frozenset("""
radical radicals extremist extreme far-left far-right hard-left hard-right ultra-left ultra-right
hard-line hardline hardliner militant fanatical fanatic zealous communist socialist marxist fascist
leftist rightist ultranationalist ultra-nationalist nationalist authoritarian totalitarian
dictatorial despotic tyrannical autocratic repressive oppressive brutal ruthless murderous bloodthirsty
corrupt crooked rogue criminal lawless illegitimate puppet disgraced notorious infamous shadowy
sinister radicalized woke loony lunatic crazy unhinged hysterical deranged elitist globalist
anti-american un-american jihadist islamist warmongering belligerent aggressive hostile evil vile
failed failing incompetent inept so-called self-proclaimed self-styled embattled beleaguered
""".split())

#: Nouns naming actors (governments, groups, people in roles) that a label can be prefixed to.
ACTOR_NOUNS = frozenset("""
regime regimes government governments administration state states country countries nation nations
party parties leader leaders leadership official officials politician politicians president
minister ministers dictator dictators ruler rulers elite elites establishment activist activists
group groups movement movements faction factions mob mobs militia militias forces army
organization organisations organization organizations left right democrats republicans liberals
conservatives lawmakers senator senators congressman congresswoman candidate candidates supporters
followers base ideologues protesters demonstrators media press journalists agenda policies policy
propaganda allies ally camp wing
""".split())

#: Loaded words in general use, independent of any data set.
GENERAL_LOADED = frozenset("""
regime so-called propaganda slammed slams blasted blasts lashed ripped rant rants ranted tirade
diatribe screed smear smears scheme schemes scheming ploy stunt stunts meltdown debacle fiasco
outrageous outrage disgraceful shameful shameless despicable deplorable appalling horrific
atrocious egregious absurd ludicrous ridiculous preposterous bizarre hysteria hysterical
draconian reckless radical extremist extremists thug thugs mob cronies crony lackey lackeys stooge
puppet henchmen brainwashed indoctrinated cult regime's notorious infamous sham bogus hoax
fearmongering scaremongering whine whined whining brazen blatant vile evil
""".split())

#: Intensifying adverbs that signal the writer's judgement.
INTENSIFIERS = frozenset("""
shockingly absurdly outrageously disgracefully shamefully ridiculously blatantly brazenly
staggeringly stunningly utterly wildly wholly patently laughably breathtakingly egregiously
""".split())

_QUOTE_CHARS = "\"\u201c\u201d\u00ab\u00bb"
_FIRST = re.compile(r"\b(i|me|my|we|us|our)\b", re.IGNORECASE)
_SECOND = re.compile(r"\b(you|your)\b", re.IGNORECASE)

#: Names of the extra features, in column order after the 384 vector dimensions.
FEATURES: tuple[str, ...] = (
    "lex_max", "lex_sum", "lex_hits", "lex_strong_hits", "actor_label", "general", "intensifier",
    "quote", "exclamation", "question", "first_person", "second_person", "log_words",
    "word_max", "word_top3", "word_strong",
)

#: Word scores below this are not shipped (they count as 0).
WORD_SCORE_MIN = 0.2
#: A word whose learned score reaches this is listed as a loaded term (kind ``learned``).
WORD_TERM_MIN = 0.6

_SUFFIXES = ("ingly", "edly", "ness", "ment", "ing", "ers", "ies", "ied", "ly", "ed", "er", "es", "s")


def stem(word: str) -> str:
    """A crude, deterministic stem for lexicon lookups (lower case, one common suffix cut)."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            w = w[: -len(suf)]
            break
    return w


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` as ``(start, end, word)``."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text or "")]


@dataclass(frozen=True, slots=True)
class LoadedTerm:
    """A loaded word or phrase; offsets index the sentence (or text) it was found in."""

    start: int
    end: int
    text: str
    kind: str  # "actor_label" | "general" | "lexicon" | "learned"
    weight: float  # BABE marking share (lexicon), word score (learned); 1.0 for rule hits


@dataclass(frozen=True, slots=True)
class SentenceFraming:
    """The framing decision for one sentence."""

    biased: bool
    score: float
    terms: tuple[LoadedTerm, ...]


def _is_name(word: str) -> bool:
    return word[:1].isupper() and not word.isupper() or (word.isupper() and len(word) > 1)


def loaded_terms(
    sentence: str, lexicon: Mapping[str, float], word_scores: Mapping[str, float] | WordScorer | None = None
) -> list[LoadedTerm]:
    """The loaded terms of ``sentence``, in text order, overlapping hits merged (rules win over lexicon)."""
    toks = tokens(sentence)
    found: list[LoadedTerm] = []
    for i, (s, e, w) in enumerate(toks):
        low = w.lower().replace("\u2019", "'")
        if low in ACTOR_LABELS:
            # label + (optional modifier) + actor noun or capitalised name
            for j in (i + 1, i + 2):
                if j >= len(toks):
                    break
                nxt = toks[j][2]
                if nxt.lower() in ACTOR_NOUNS or (j > 0 and _is_name(nxt) and not _is_name(w)):
                    found.append(LoadedTerm(s, toks[j][1], sentence[s : toks[j][1]], "actor_label", 1.0))
                    break
        if low in GENERAL_LOADED or low in INTENSIFIERS:
            found.append(LoadedTerm(s, e, w, "general", 1.0))
        weight = lexicon.get(stem(w))
        if weight is not None and weight >= LEXICON_MIN_SHARE:
            found.append(LoadedTerm(s, e, w, "lexicon", float(weight)))
        elif word_scores:
            ws = word_scores.get(low, 0.0)
            if ws >= WORD_TERM_MIN:
                found.append(LoadedTerm(s, e, w, "learned", float(ws)))
    rank = {"actor_label": 0, "general": 1, "lexicon": 2, "learned": 3}
    found.sort(key=lambda t: (t.start, rank[t.kind], -t.end))
    merged: list[LoadedTerm] = []
    for t in found:
        if merged and t.start < merged[-1].end:
            continue
        merged.append(t)
    return merged


def framing_features(
    sentence: str, lexicon: Mapping[str, float], word_scores: Mapping[str, float] | WordScorer | None = None
) -> np.ndarray:
    """The non-vector features of one sentence (float32, :data:`FEATURES` order)."""
    toks = tokens(sentence)
    weights = [lexicon.get(stem(w), 0.0) for _, _, w in toks]
    terms = loaded_terms(sentence, lexicon)
    n = len(toks)
    wsc = sorted((word_scores or {}).get(w.lower().replace("\u2019", "'"), 0.0) for _, _, w in toks)[::-1] or [0.0]
    return np.array(
        [
            max(weights, default=0.0),
            sum(weights),
            math.log1p(sum(1 for x in weights if x >= LEXICON_MIN_SHARE)),
            math.log1p(sum(1 for x in weights if x >= 0.5)),
            math.log1p(sum(1 for t in terms if t.kind == "actor_label")),
            math.log1p(sum(1 for _, _, w in toks if w.lower() in GENERAL_LOADED)),
            math.log1p(sum(1 for _, _, w in toks if w.lower() in INTENSIFIERS)),
            1.0 if any(c in sentence for c in _QUOTE_CHARS) else 0.0,
            1.0 if "!" in sentence else 0.0,
            1.0 if "?" in sentence else 0.0,
            math.log1p(len(_FIRST.findall(sentence))),
            math.log1p(len(_SECOND.findall(sentence))),
            math.log1p(n),
            wsc[0],
            float(np.mean(wsc[:3])),
            math.log1p(sum(1 for x in wsc if x >= 0.5)),
        ],
        dtype=np.float32,
    )


def feature_matrix(
    sentences: Sequence[str], vectors: np.ndarray, lexicon: Mapping[str, float],
    word_scores: Mapping[str, float] | WordScorer | None = None,
) -> np.ndarray:
    """``[vector | framing features]`` rows, one per sentence."""
    if len(sentences) != len(vectors):
        raise UsageError(f"{len(sentences)} sentences but {len(vectors)} vectors: pass one vector per sentence")
    extra = (np.stack([framing_features(s, lexicon, word_scores) for s in sentences]) if sentences
             else np.zeros((0, len(FEATURES)), np.float32))
    return np.hstack([np.asarray(vectors, dtype=np.float32), extra]).astype(np.float32)


def word_marks(rows: Iterable[tuple[str, Sequence[str]]]) -> dict[str, tuple[int, int]]:
    """Per lower-cased word: (sentences holding it, sentences where it was marked)."""
    out: dict[str, tuple[int, int]] = {}
    for sentence, biased in rows:
        present = {w.lower().replace("\u2019", "'") for _, _, w in tokens(sentence)}
        flagged = {w.lower().replace("\u2019", "'") for p in biased for _, _, w in tokens(p)}
        for w in present:
            seen, marked = out.get(w, (0, 0))
            out[w] = (seen + 1, marked + (w in flagged))
    return out


def learn_lexicon(rows: Iterable[tuple[str, Sequence[str]]]) -> dict[str, float]:
    """Marking share per stem from ``(sentence, biased_words)`` pairs (BABE's annotation format).

    For each stem: in how many sentences it was marked, over how many sentences hold it (+1, so a
    stem seen once is never certain). Kept when marked in :data:`LEXICON_MIN_COUNT` sentences and the
    share is at least :data:`LEXICON_MIN_SHARE`.
    """
    seen: dict[str, int] = {}
    marked: dict[str, int] = {}
    for sentence, biased in rows:
        present = {stem(w) for _, _, w in tokens(sentence)}
        for st in present:
            seen[st] = seen.get(st, 0) + 1
        flagged = {stem(w) for phrase in biased for _, _, w in tokens(phrase)} & present
        for st in flagged:
            marked[st] = marked.get(st, 0) + 1
    out: dict[str, float] = {}
    for st, m in marked.items():
        share = m / (seen[st] + 1)
        if m >= LEXICON_MIN_COUNT and share >= LEXICON_MIN_SHARE and len(st) > 2:
            out[st] = round(share, 4)
    return dict(sorted(out.items()))


@dataclass(frozen=True, slots=True)
class WordScorer:
    """Word scores (0..1): the shipped table, else the word-score model on the word's own MiniLM vector.

    ``table`` holds the scores of the shipped vocabulary that reach :data:`WORD_SCORE_MIN`; ``known``
    the rest of that vocabulary (they score 0). Any other word is embedded alone and scored by the
    logistic ``model`` it was trained with (a score under :data:`WORD_SCORE_MIN` counts as 0, as in the
    table), so a loaded word the training split never held still counts. Those scores are cached per
    process (:data:`_WORD_CACHE`).
    """

    table: Mapping[str, float]
    known: frozenset[str]
    model: LinearModel | None

    def missing(self, words: Iterable[str]) -> list[str]:
        """The distinct words of ``words`` that neither the table nor the cache can score, sorted."""
        return sorted({w for w in words if w not in self.table and w not in self.known and w not in _WORD_CACHE})

    def fill(self, words: Iterable[str], encode: Any) -> None:
        """Score the ``words`` the table lacks with ``encode`` (texts -> vectors) into the process cache."""
        if self.model is None:
            return
        todo = self.missing(words)
        if not todo:
            return
        if len(_WORD_CACHE) + len(todo) > _WORD_CACHE_MAX:
            _WORD_CACHE.clear()
        p = self.model.proba(np.asarray(encode(todo), dtype=np.float32))
        for w, v in zip(todo, p):
            v = float(f"{float(v):.3f}")
            _WORD_CACHE[w] = v if v >= WORD_SCORE_MIN else 0.0

    def get(self, word: str, default: float = 0.0) -> float:
        v = self.table.get(word)
        if v is not None:
            return v
        return _WORD_CACHE.get(word, default)


#: Scores of words outside the shipped table, computed once per process (bounded: cleared when full).
_WORD_CACHE: dict[str, float] = {}
_WORD_CACHE_MAX = 500_000


def _words(sentences: Iterable[str]) -> set[str]:
    return {w.lower().replace("\u2019", "'") for s in sentences for _, _, w in tokens(s)}


@cache
def _framing_model() -> tuple[LinearModel, dict[str, float], WordScorer, LexicalModel, float]:
    model, data = load_linear(WEIGHTS_NAME)
    if tuple(data.get("features", ())) != FEATURES:
        raise ModelIntegrityError(
            f"{WEIGHTS_NAME} was trained with other features than this code computes: "
            "rerun bench/train_classifiers.py"
        )
    lexicon = {str(k): float(v) for k, v in data.get("lexicon", {}).items()}
    word_scores = {str(k): float(v) for k, v in data.get("word_scores", {}).items()}
    word_model = None
    if "word_model" in data:
        try:
            wm = data["word_model"]
            word_model = LinearModel(mean=np.asarray(wm["mean"], np.float32), scale=np.asarray(wm["scale"], np.float32),
                                     w=np.asarray(wm["w"], np.float32), b=float(wm["b"]), threshold=WORD_SCORE_MIN,
                                     meta={})
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelIntegrityError(f"{WEIGHTS_NAME} has no readable word model ({exc}): "
                                      "rerun bench/train_classifiers.py") from exc
        if not (word_model.mean.shape == word_model.scale.shape == word_model.w.shape):
            raise ModelIntegrityError(f"{WEIGHTS_NAME} has mismatched word-model shapes: rerun bench/train_classifiers.py")
    scorer = WordScorer(table=word_scores, known=frozenset(str(w) for w in data.get("word_known", ())),
                        model=word_model)
    lexical, weight = load_lexical(data, WEIGHTS_NAME)
    return model, lexicon, scorer, lexical, weight


class Framing(SentenceModel):
    """Loaded-wording decisions and terms for sentences, with the pinned model and lexicon.

    Words outside the shipped word-score table are embedded (alone) with the encoder the first time
    they are met in a process (:class:`WordScorer`).
    """

    def __init__(self, encoder: Any | None = None) -> None:
        super().__init__(encoder)
        self.model, self.lexicon, self.words, self.lexical, self.lexical_weight = _framing_model()
        #: The shipped word-score table (words outside it are scored by :attr:`words`).
        self.word_scores = dict(self.words.table)

    def _encode_words(self, words: Sequence[str]) -> np.ndarray:
        self._encode([])  # loads the shared encoder when none was given
        return self._encoder.encode(list(words), batch_size=256)  # single words: short rows, big batches

    def _fill_words(self, sentences: Iterable[str]) -> None:
        self.words.fill(_words(sentences), self._encode_words)

    def score(self, sentences: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Probability-like score (0..1) that each sentence uses loaded wording."""
        if not sentences:
            return np.zeros(0, dtype=np.float64)
        vecs = self._encode(sentences) if vectors is None else vectors
        self._fill_words(sentences)
        z = self.model.logits(feature_matrix(sentences, vecs, self.lexicon, self.words))
        z = z + self.lexical_weight * self.lexical.logits(sentences)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))

    def terms(self, sentence: str) -> list[LoadedTerm]:
        """Loaded terms of one sentence (offsets into ``sentence``)."""
        self._fill_words([sentence])
        return loaded_terms(sentence, self.lexicon, self.words)

    def analyse(self, sentences: Sequence[str], vectors: np.ndarray | None = None) -> list[SentenceFraming]:
        """Decision, score and loaded terms for each sentence, in input order."""
        scores = self.score(sentences, vectors)
        return [
            SentenceFraming(biased=bool(p >= self.threshold), score=float(round(p, 6)),
                            terms=tuple(loaded_terms(s, self.lexicon, self.words)))
            for s, p in zip(sentences, scores)
        ]

    def terms_in(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[LoadedTerm]:
        """Loaded terms of ``text`` with offsets into ``text``, for its ``(start, end)`` sentence spans."""
        for s, e in sentences:
            if not 0 <= s <= e <= len(text):
                raise UsageError(f"sentence span ({s}, {e}) lies outside the text of length {len(text)}")
        self._fill_words(text[s:e] for s, e in sentences)
        out: list[LoadedTerm] = []
        for s, e in sentences:
            for t in loaded_terms(text[s:e], self.lexicon, self.words):
                out.append(LoadedTerm(t.start + s, t.end + s, t.text, t.kind, t.weight))
        return out
