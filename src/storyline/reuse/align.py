"""Sentence alignment between two articles: exact, near-exact, paraphrase and changed passages.

:func:`align` pairs the sentences of two clean texts one-to-one (reordering allowed) and merges runs of
pairs that are consecutive in both texts, with the same kind of match, into :class:`Passage` records
whose spans index the two clean texts.

How a sentence pair is judged (:func:`judge_pair`):

* **exact**: the same text after :func:`storyline.text.normalize` (lower-cased, punctuation dropped),
  or near-exact: character 3-gram Jaccard >= ``NEAR_EXACT_JACCARD``;
* **related**: the *content* score of the paraphrase model (MiniLM cosine, character 3-gram Jaccard
  and containment, word Jaccard) clears the model's threshold;
* **changed**: a related (or near-exact) pair that disagrees on numbers (each side has a number the
  other lacks), on names (each side has a capitalised name or acronym the other never mentions) or on
  negation (one side negated, the other not): the same sentence with a fact altered, reported as a
  changed passage rather than a match;
* **paraphrase**: a related pair with no such disagreement.

The paraphrase model is a logistic regression over :func:`pair_features`, fitted on the MSRP train
split by ``python bench/msrp.py`` (see the constants below); the agreement features enter it too, so
its probability is the MSRP paraphrase decision, while the aligner uses the same weights with the
agreement features zeroed to decide whether two sentences are the same content at all.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Sequence

import numpy as np

from storyline.text import normalize

Span = tuple[int, int]

# --------------------------------------------------------------------------- calibrated constants
# Fitted by `python bench/msrp.py` on the MSRP *train* split only (4,076 pairs); logistic regression
# over FEATURE_NAMES (standardised inside: weights below already fold in the train mean/std).
FEATURE_NAMES = (
    "cosine",  # MiniLM all-MiniLM-L6-v2 cosine
    "char3_jaccard",
    "char3_containment",  # |A∩B| / min(|A|, |B|) over character 3-grams
    "word_jaccard",
    "len_ratio",  # shorter / longer, in characters
    "num_conflict",  # 1 when each side has a number the other lacks
    "num_missing",  # 1 when exactly one side has numbers the other lacks
    "ent_conflict",  # 1 when each side has a name the other never mentions
    "ent_missing",  # share of names (both sides) not mentioned on the other side
    "neg_flip",  # 1 when one side is negated and the other not
)
# MSRP test with these: accuracy 0.755, F1 0.828 (train 0.760 / 0.834); MiniLM cosine alone 0.719 / 0.806.
PARAPHRASE_WEIGHTS = (4.1408, 4.5714, -2.5052, 1.6656, 2.6937, -0.8736, -0.3356, -0.1132, 0.3028, -1.1480)
PARAPHRASE_BIAS = -5.8386
PARAPHRASE_THRESHOLD = 0.480  # probability; the decision threshold chosen on train (best accuracy)
# Indices of the agreement features (zeroed for the content-only "related" score).
_AGREEMENT = (5, 6, 7, 8, 9)

# The aligner's bar for "same content" is stricter than MSRP's decision threshold: MSRP pairs were
# pre-selected as similar, while most sentence pairs of two articles are not; on the seeds, pairs
# between 0.48 and 0.55 were mostly different sentences on the same topic.
ALIGN_THRESHOLD = 0.55
# A name or negation disagreement marks a pair "changed" only when the two sentences are textual
# variants of each other (a rewrite that adds or drops names is not a changed fact).
CHANGED_NAME_MIN_CHAR3 = 0.45
CHANGED_NAME_MAX_SWAP = 2  # at most this many names on each side differ
CHANGED_NEG_MIN_CHAR3 = 0.35
NEAR_EXACT_JACCARD = 0.85  # character 3-gram Jaccard at which two sentences are the same text
COSINE_FLOOR = 0.45  # pairs below this cosine are never judged (saves the character features)
MIN_SENTENCE_CHARS = 12  # shorter "sentences" (datelines, "Follow Us") are never aligned on their own

Match = str  # "exact" | "paraphrase" | "changed"


class Passage(NamedTuple):
    """A run of aligned sentences: spans in both clean texts, mean similarity, kind of match."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    similarity: float
    match: Match


@dataclass(slots=True)
class SentencePair:
    """One aligned sentence pair with the reasons for its kind."""

    i: int  # sentence index in A
    j: int  # sentence index in B
    match: Match
    similarity: float  # cosine (1.0 for exact)
    score: float  # related-content probability used for the assignment
    evidence: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- sentence features

_NONWORD_RE = re.compile(r"[^\w]+", re.UNICODE)
_WORD_RE = re.compile(r"\w+(?:'\w+)?", re.UNICODE)
_NUM_RE = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*(?![\w])|(?<![\w.])\d+(?=[a-zA-Z%])")
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "dozen": "12", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000",
    "first": "1", "second": "2", "third": "3", "half": "0.5",
}
_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nor|none|nobody|nothing|neither|nowhere|without|cannot|"
    r"den(?:y|ied|ies|ying)|refus(?:e|ed|es|ing)|reject(?:s|ed|ing)?)\b|n't\b",
    re.IGNORECASE,
)
_CAP_RE = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|de|la|al|bin|van|von))*\b")
_ACRONYM_RE = re.compile(r"\b[A-Z][A-Z0-9&.]{1,}\b")
# Capitalised words that are not names when they start a clause or stand alone.
_NOT_NAMES = {
    "the", "a", "an", "i", "he", "she", "it", "we", "they", "this", "that", "these", "those", "in",
    "on", "at", "for", "but", "and", "or", "if", "as", "by", "mr", "mrs", "ms", "dr", "his", "her",
    "their", "our", "its", "my", "your", "there", "when", "while", "after", "before", "with", "of",
    "to", "from", "however", "also", "yesterday", "today", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
}


#: A dateline opening a story's first sentence ("BRENNICK (Continental Press) — ", "PARIS, Nov 3 -"):
#: a copy drops or changes it, the sentence after it is the same.
_DATELINE_RE = re.compile(r"^\s*[A-Z][A-Z'’.-]{2,}(?:[ ,]+[A-Z][\w'’.-]*){0,4}(?:\s*\([^()\n]{1,40}\))?\s*[—–-]{1,2}\s+"
                          r"(?=\S)")


def norm_key(sentence: str) -> str:
    """The exact-match key: normalised, lower-cased, punctuation dropped, spaces collapsed, without a
    leading dateline."""
    return _NONWORD_RE.sub(" ", normalize(_DATELINE_RE.sub("", sentence, count=1), lower=True)).strip()


def char_ngrams(key: str, n: int = 3) -> frozenset[str]:
    s = f" {key} "
    if len(s) <= n:
        return frozenset([s])
    return frozenset(s[k : k + n] for k in range(len(s) - n + 1))


def numbers(sentence: str) -> frozenset[str]:
    """Numbers in the sentence, digits normalised ("1,000" -> "1000"), plus spelled small numbers."""
    out = set()
    for m in _NUM_RE.finditer(sentence):
        t = m.group(0).replace(",", "")
        if "." in t:
            t = t.rstrip("0").rstrip(".") or "0"
        out.add(t.lstrip("0") or "0")
    for w in _WORD_RE.findall(sentence.lower()):
        if w in _NUMBER_WORDS:
            out.add(_NUMBER_WORDS[w])
    return frozenset(out)


def names(sentence: str) -> frozenset[str]:
    """Cheap named entities: capitalised words not opening the sentence, and acronyms (lower-cased)."""
    s = normalize(sentence)
    out = set()
    for m in _ACRONYM_RE.finditer(s):
        out.add(m.group(0).replace(".", "").lower())
    first = re.match(r"\W*\w+", s)
    first_end = first.end() if first else 0
    for m in re.finditer(r"\b[A-Z][\w'’-]*", s):
        w = m.group(0).split("'")[0].split("’")[0]
        if m.start() < first_end:
            continue
        prev = s[: m.start()].rstrip()
        if prev.endswith((".", "!", "?", ":", '"', "“")):  # a new clause or a quote opening
            continue
        lw = w.lower()
        if lw in _NOT_NAMES or len(lw) < 2:
            continue
        out.add(lw)
    return frozenset(out)


def negated(sentence: str) -> int:
    """Number of negation cues (not, no, never, n't, deny/denied, refuse, reject...)."""
    return len(_NEGATION_RE.findall(normalize(sentence)))


@dataclass(slots=True)
class SentInfo:
    text: str
    key: str
    grams: frozenset[str]
    words: frozenset[str]
    nums: frozenset[str]
    names: frozenset[str]
    neg: int


def sent_info(sentence: str) -> SentInfo:
    key = norm_key(sentence)
    return SentInfo(
        text=sentence,
        key=key,
        grams=char_ngrams(key),
        words=frozenset(key.split()),
        nums=numbers(sentence),
        names=names(sentence),
        neg=negated(sentence),
    )


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    if not x and not y:
        return 1.0
    inter = len(x & y)
    return inter / (len(x) + len(y) - inter)


def pair_features(a: SentInfo, b: SentInfo, cosine: float) -> tuple[np.ndarray, dict[str, Any]]:
    """The FEATURE_NAMES vector of a sentence pair and the agreement evidence behind it."""
    inter = len(a.grams & b.grams)
    jac = inter / max(1, len(a.grams) + len(b.grams) - inter)
    cont = inter / max(1, min(len(a.grams), len(b.grams)))
    wjac = _jaccard(a.words, b.words)
    la, lb = len(a.key), len(b.key)
    len_ratio = min(la, lb) / max(1, la, lb)
    a_only_n, b_only_n = a.nums - b.nums, b.nums - a.nums
    num_conflict = bool(a_only_n and b_only_n)
    num_missing = bool(a_only_n or b_only_n) and not num_conflict
    # a name counts as present on the other side when any of its words occurs there
    a_only_e = {e for e in a.names if e not in b.words and e not in b.names}
    b_only_e = {e for e in b.names if e not in a.words and e not in a.names}
    ent_conflict = bool(a_only_e and b_only_e)
    n_names = len(a.names) + len(b.names)
    ent_missing = (len(a_only_e) + len(b_only_e)) / n_names if n_names else 0.0
    neg_flip = (a.neg > 0) != (b.neg > 0)
    f = np.array(
        [cosine, jac, cont, wjac, len_ratio, num_conflict, num_missing, ent_conflict, ent_missing, neg_flip],
        dtype=np.float64,
    )
    # evidence of a changed fact (gated: see CHANGED_* above)
    ev: dict[str, Any] = {}
    if num_conflict:
        ev["numbers"] = {"a_only": sorted(a_only_n), "b_only": sorted(b_only_n)}
    if (ent_conflict and jac >= CHANGED_NAME_MIN_CHAR3
            and max(len(a_only_e), len(b_only_e)) <= CHANGED_NAME_MAX_SWAP):
        ev["names"] = {"a_only": sorted(a_only_e), "b_only": sorted(b_only_e)}
    if neg_flip and jac >= CHANGED_NEG_MIN_CHAR3:
        ev["negation"] = {"a": a.neg, "b": b.neg}
    return f, ev


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


_W = np.asarray(PARAPHRASE_WEIGHTS, dtype=np.float64)
_W_CONTENT = _W.copy()
_W_CONTENT[list(_AGREEMENT)] = 0.0


def paraphrase_probability(features: np.ndarray) -> float:
    """The MSRP-calibrated probability that the pair is a paraphrase (all features)."""
    return _sigmoid(float(features @ _W) + PARAPHRASE_BIAS)


def content_probability(features: np.ndarray) -> float:
    """The same model with the agreement features zeroed: are these the same content at all?"""
    return _sigmoid(float(features @ _W_CONTENT) + PARAPHRASE_BIAS)


def judge_pair(a: SentInfo, b: SentInfo, cosine: float) -> SentencePair | None:
    """The kind of match between two sentences, or None when they are not the same content."""
    if a.key and a.key == b.key:
        return SentencePair(-1, -1, "exact", 1.0, 2.0, {"rule": "normalised text identical"})
    f, ev = pair_features(a, b, cosine)
    jac = float(f[1])
    conflict = bool(ev)
    if jac >= NEAR_EXACT_JACCARD:
        base = {"rule": "near-exact", "char3_jaccard": round(jac, 3), "cosine": round(cosine, 3)}
        if conflict:
            return SentencePair(-1, -1, "changed", cosine, 1.0 + jac, {**base, **ev})
        return SentencePair(-1, -1, "exact", max(cosine, jac), 1.0 + jac, base)
    p_content = content_probability(f)
    if p_content < ALIGN_THRESHOLD:
        return None
    base = {
        "rule": "paraphrase model",
        "cosine": round(cosine, 3),
        "char3_jaccard": round(jac, 3),
        "p_content": round(p_content, 3),
        "p_paraphrase": round(paraphrase_probability(f), 3),
    }
    if conflict:
        return SentencePair(-1, -1, "changed", cosine, p_content, {**base, **ev})
    return SentencePair(-1, -1, "paraphrase", cosine, p_content, base)


# --------------------------------------------------------------------------- alignment

_default_encoder = None


def _encoder(encoder: Any) -> Any:
    global _default_encoder
    if encoder is not None:
        return encoder
    if _default_encoder is None:
        from storyline.embed import get_encoder

        _default_encoder = get_encoder()
    return _default_encoder


def align_sentences(
    a_text: str,
    a_sents: Sequence[Span],
    b_text: str,
    b_sents: Sequence[Span],
    *,
    encoder: Any = None,
    a_vecs: np.ndarray | None = None,
    b_vecs: np.ndarray | None = None,
) -> list[SentencePair]:
    """One-to-one sentence pairs (sorted by A index), reordering allowed.

    Exact keys are paired first; the rest by maximum total content score (Hungarian assignment over
    the pairs that :func:`judge_pair` accepts)."""
    from scipy.optimize import linear_sum_assignment

    a_sents, b_sents = list(a_sents), list(b_sents)
    if not a_sents or not b_sents:
        return []
    a_str = [a_text[s:e] for s, e in a_sents]
    b_str = [b_text[s:e] for s, e in b_sents]
    ai = [sent_info(t) for t in a_str]
    bi = [sent_info(t) for t in b_str]
    a_ok = [len(x.key) >= MIN_SENTENCE_CHARS for x in ai]
    b_ok = [len(x.key) >= MIN_SENTENCE_CHARS for x in bi]

    pairs: list[SentencePair] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    # 1. exact keys (first occurrence pairs first occurrence, in order)
    b_by_key: dict[str, list[int]] = {}
    for j, x in enumerate(bi):
        if b_ok[j]:
            b_by_key.setdefault(x.key, []).append(j)
    for i, x in enumerate(ai):
        if not a_ok[i]:
            continue
        js = b_by_key.get(x.key)
        if js:
            j = js.pop(0)
            pairs.append(SentencePair(i, j, "exact", 1.0, 2.0, {"rule": "normalised text identical"}))
            used_a.add(i)
            used_b.add(j)
    rest_a = [i for i in range(len(ai)) if a_ok[i] and i not in used_a]
    rest_b = [j for j in range(len(bi)) if b_ok[j] and j not in used_b]
    if rest_a and rest_b:
        # 2. cosines for the rest
        if a_vecs is None or b_vecs is None:
            enc = _encoder(encoder)
            va = enc.encode([a_str[i] for i in rest_a]) if a_vecs is None else np.asarray(a_vecs)[rest_a]
            vb = enc.encode([b_str[j] for j in rest_b]) if b_vecs is None else np.asarray(b_vecs)[rest_b]
        else:
            va, vb = np.asarray(a_vecs)[rest_a], np.asarray(b_vecs)[rest_b]
        cos = np.asarray(va, dtype=np.float32) @ np.asarray(vb, dtype=np.float32).T
        score = np.zeros(cos.shape, dtype=np.float64)
        judged: dict[tuple[int, int], SentencePair] = {}
        # cheap prefilter: cosine floor, or enough shared character 3-grams for a near-exact pair
        for r, i in enumerate(rest_a):
            for c, j in enumerate(rest_b):
                cv = float(cos[r, c])
                if cv < COSINE_FLOOR:
                    ga, gb = ai[i].grams, bi[j].grams
                    if len(ga & gb) < NEAR_EXACT_JACCARD * max(len(ga), len(gb)) * 0.9:
                        continue
                sp = judge_pair(ai[i], bi[j], cv)
                if sp is not None:
                    sp.i, sp.j = i, j
                    judged[(r, c)] = sp
                    score[r, c] = sp.score
        if judged:
            rows, cols = linear_sum_assignment(-score)
            for r, c in zip(rows, cols):
                sp = judged.get((int(r), int(c)))
                if sp is not None:
                    pairs.append(sp)
    pairs.sort(key=lambda p: p.i)
    return pairs


def merge_passages(
    pairs: Sequence[SentencePair], a_sents: Sequence[Span], b_sents: Sequence[Span]
) -> list[Passage]:
    """Runs of pairs consecutive in both texts with the same kind become one passage."""
    out: list[Passage] = []
    run: list[SentencePair] = []

    def flush() -> None:
        if run:
            sim = sum(p.similarity for p in run) / len(run)
            out.append(
                Passage(
                    a_sents[run[0].i][0], a_sents[run[-1].i][1],
                    b_sents[run[0].j][0], b_sents[run[-1].j][1],
                    round(float(sim), 4), run[0].match,
                )
            )
            run.clear()

    for p in sorted(pairs, key=lambda p: p.i):
        if run and not (p.i == run[-1].i + 1 and p.j == run[-1].j + 1 and p.match == run[-1].match):
            flush()
        run.append(p)
    flush()
    return out


def align(
    a_text: str,
    a_sents: Sequence[Span],
    b_text: str,
    b_sents: Sequence[Span],
    *,
    encoder: Any = None,
    a_vecs: np.ndarray | None = None,
    b_vecs: np.ndarray | None = None,
) -> list[Passage]:
    """Aligned passages between two clean texts (spans index ``a_text`` and ``b_text``).

    ``a_vecs``/``b_vecs`` are unit sentence vectors, one row per span (from the store's cache);
    without them the sentences that have no exact partner are embedded with ``encoder`` (the default
    CPU MiniLM when None)."""
    pairs = align_sentences(
        a_text, a_sents, b_text, b_sents, encoder=encoder, a_vecs=a_vecs, b_vecs=b_vecs
    )
    return merge_passages(pairs, list(a_sents), list(b_sents))
