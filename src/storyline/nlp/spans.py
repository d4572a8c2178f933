"""A learned choice of where reported speech starts and ends: the content span of an indirect quote
and the source phrase of a quote.

The rules of :mod:`storyline.nlp.quotes` give each reporting frame one content span: the clause
under the cue, its object, the phrase it hangs on. Where the parse or the sentence is unusual
("told reporters Tuesday night in Miami that ...", "a probe he said was ongoing", an object the
parser split in two), the span the rules take is not the one a reader would mark, and no single rule
fixes one case without breaking another. This module lists the spans the parse offers around the
cue (each child's subtree, the run of its right-hand children, the rest of the sentence, the part
before the cue, the phrase the cue hangs on, the whole sentence) next to the rules' own span, scores
each with a conditional logit over parse features (what kind of span it is, its first and last
words and tags, what it leaves out or adds compared with the rules' span, the cue's lemma and
dependency), and keeps the rules' span unless another scores higher by ``margin``.

The source phrase of a verb cue is re-chosen the same way, among the phrases around its head (the
whole phrase, the words up to the head, up to or before each of its right-hand dependents): whether
a prepositional phrase, an appositive or a relative clause belongs to the source depends on its
kind, its length and the words around it, which the model learns from the annotators' choices
("Reid, who endorsed Clinton in February" is marked "Reid"; "a press release from X" keeps "from X").

The weights live in ``storyline/models/classifiers/spans.json``, trained on PolNeAR's training
split by ``bench/train_spans.py`` (same data, same bytes) from the rules' spans of that split: the
model learns which of the candidates the annotators marked. Scoring is a dictionary lookup per
feature, a few dozen features over a handful of candidates per quote.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.nlp.frames import cut_writer_tail, setting_phrase
from storyline.nlp.lexicon import CUE_VERBS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

#: Dependencies of a cue's children that are never its content (the subject is the source).
_NOT_CONTENT = frozenset({"punct", "cc", "aux", "auxpass", "neg", "nsubj", "nsubjpass", "advmod"})
#: Dependencies by which a cue hangs on a phrase that may hold its content ("a probe he said was ...").
_HANGING = frozenset({"relcl", "acl", "ccomp", "advcl", "parataxis", "conj"})
#: Words kept as themselves in the features (the rest are reduced to their tags).
_FUNCTION_WORDS = frozenset({"that", "to", "whether", "if", "about", "of", "for", "on", "in", "with", "as", "how",
                             "what", "why", "when", "which", "who", "the", "a", "an"})
#: Features that also appear joined with "is this the rules' span".
_WITH_CURRENT = ("t=", "pos=", "len=", "root_dep=", "first_tag=", "next=")


@dataclass(frozen=True)
class SpanCandidate:
    """A candidate content span: tokens ``start:end`` of the document, how the parse offers it."""

    start: int
    end: int
    kinds: tuple[str, ...]

    def chars(self, doc: "Doc") -> tuple[int, int]:
        """The candidate's character offsets in ``doc``."""
        last = doc[self.end - 1]
        return doc[self.start].idx, last.idx + len(last)


def _strip(doc: "Doc", a: int, b: int) -> tuple[int, int]:
    """Tokens ``a:b`` without punctuation or whitespace at either end."""
    while a < b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    while b > a and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    return a, b


def _length(n: int) -> str:
    if n <= 2:
        return str(max(n, 1))
    for hi, name in ((4, "3-4"), (8, "5-8"), (16, "9-16"), (32, "17-32")):
        if n <= hi:
            return name
    return "33+"


def _collector(doc: "Doc") -> tuple[dict[tuple[int, int], set[str]], Callable[[str, int, int], None]]:
    """Candidate spans by tokens with the kinds that offer them, and the function that adds one
    (punctuation trimmed, empty spans dropped)."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)

    def add(kind: str, a: int, b: int) -> None:
        a, b = _strip(doc, a, b)
        if b > a:
            found[(a, b)].add(kind)

    return found, add


def candidates(doc: "Doc", cue: "Token") -> list[SpanCandidate]:
    """The spans the parse offers as the content of ``cue``, in token order."""
    found, add = _collector(doc)
    sent = cue.sent
    for ch in cue.children:
        if ch.dep_ in _NOT_CONTENT:
            continue
        add("child_" + ch.dep_, ch.left_edge.i, ch.right_edge.i + 1)
        if ch.dep_ == "prep":
            for g in ch.children:
                if g.dep_ in ("pobj", "pcomp"):
                    add("pobj", g.left_edge.i, g.right_edge.i + 1)
    rights = [c for c in cue.rights if c.dep_ not in ("punct", "cc")]
    if rights:
        add("rights", rights[0].left_edge.i, rights[-1].right_edge.i + 1)
        for r in rights[1:]:
            add("rights_from2", r.left_edge.i, rights[-1].right_edge.i + 1)
    add("to_sent_end", cue.i + 1, sent.end)
    if cue.left_edge.i > sent.start:
        add("sent_start_to_cue", sent.start, cue.left_edge.i)
    head = cue.head
    if cue.dep_ in _HANGING and head is not cue:
        add("head_subtree", head.left_edge.i, head.right_edge.i + 1)
        add("head_to_cue", head.left_edge.i, cue.left_edge.i)
    add("sentence", sent.start, sent.end)
    return [SpanCandidate(a, b, tuple(sorted(k))) for (a, b), k in sorted(found.items())]


def _word(tok: "Token") -> str:
    return tok.lower_ if tok.lower_ in _FUNCTION_WORDS else tok.tag_


@dataclass(frozen=True)
class _CueView:
    """What the features of every candidate of one cue share: the cue's sentence without its
    punctuation at either end (tokens) and the cue's own features."""

    sent: tuple[int, int]
    feats: tuple[str, ...]


def _cue_view(doc: "Doc", cue: "Token") -> _CueView:
    kids = {c.dep_ for c in cue.children}
    feats = ["cue_dep=" + cue.dep_]
    feats += [f"cue_has_{d}=%d" % (d in kids) for d in ("ccomp", "dobj", "xcomp", "prep", "dative", "advcl")]
    feats.append("lemma=" + cue.lemma_.lower())
    sent = cue.sent
    return _CueView(_strip(doc, sent.start, sent.end), tuple(feats))


def features(doc: "Doc", cue: "Token", cand: SpanCandidate, current: tuple[int, int],
             view: _CueView | None = None) -> list[str]:
    """The binary features of one candidate span; ``current`` is the rules' span (tokens), ``view``
    what all candidates of ``cue`` share (computed when not given)."""
    if view is None:
        view = _cue_view(doc, cue)
    a, b = cand.start, cand.end
    is_cur = (a, b) == current
    lemma = cue.lemma_.lower()
    f = ["t=" + k for k in cand.kinds]
    f.append("cur=%d" % is_cur)
    if not is_cur:
        ca, cb = current
        if a <= ca and b >= cb:
            rel = "contains"
        elif a >= ca and b <= cb:
            rel = "inside"
        else:
            rel = "ov" if min(b, cb) > max(a, ca) else "disj"
        f.append("rel=" + rel)
    f.append("pos=" + ("after" if a > cue.i else "before" if b <= cue.i else "spans"))
    span = doc[a:b]
    root = span.root
    f += ["root_dep=" + root.dep_, "root_pos=" + root.pos_, "root_is_cue=%d" % (root.i == cue.i),
          "first_tag=" + doc[a].tag_, "last_tag=" + doc[b - 1].tag_, "first_dep=" + doc[a].dep_]
    if doc[a].lower_ in _FUNCTION_WORDS:
        f.append("first_w=" + doc[a].lower_)
    nxt = doc[b] if b < len(doc) else None
    if nxt is None:
        f.append("next=END")
    else:
        f.append("next=" + (nxt.text if nxt.is_punct else nxt.lower_ if nxt.tag_ in ("CC", "IN") else _word(nxt)))
        after = doc[b + 1] if nxt.is_punct and b + 1 < len(doc) else nxt
        f.append("next_dep=" + after.dep_ + ("|in" if a <= after.head.i < b else "|out"))
    prev = doc[a - 1] if a > 0 else None
    f.append("prev=" + ("START" if prev is None else "CUE" if prev.i == cue.i
                        else prev.text if prev.is_punct else _word(prev)))
    f.append("len=" + _length(b - a))
    if doc[b - 1].lower_ in _FUNCTION_WORDS:
        f.append("last_w=" + doc[b - 1].lower_)
    has_subj = comma = verb = False
    for t in span:
        has_subj = has_subj or (t.dep_ in ("nsubj", "nsubjpass") and a <= t.head.i < b)
        comma = comma or t.text == ","
        verb = verb or t.pos_ in ("VERB", "AUX")
    f.append("has_subj=%d" % has_subj)
    sa, sb = view.sent
    f += ["at_send=%d" % (b == sb), "at_sstart=%d" % (a == sa), "comma=%d" % comma, "has_verb=%d" % verb]
    f += view.feats
    if not is_cur:
        ca, cb = current
        mine, theirs = set(range(a, b)), set(range(ca, cb))
        for name, toks, left_of in (("add", mine - theirs, ca), ("cut", theirs - mine, a)):
            if not toks:
                f.append(name + "_n=0")
                continue
            side = "L" if min(toks) < left_of else "R"
            roots = sorted(t for t in toks if doc[t].head.i not in toks or doc[t].head.i == t)
            for t in roots[:3]:
                if doc[t].is_punct:
                    continue
                f.append(f"{name}{side}={doc[t].dep_}")
                if doc[t].dep_ == "prep":
                    f.append(f"{name}{side}=prep:{doc[t].lower_}")
            f.append(f"{name}_n=" + _length(len(toks)))
    f += [x + "|cur=%d" % is_cur for x in f if x.startswith(_WITH_CURRENT)]
    for k in cand.kinds:
        f += [f"t={k}|cue_dep={cue.dep_}", f"t={k}|lemma={lemma}"]
    return f


def cue_token(doc: "Doc", cue_start: int, cue_end: int) -> "Token | None":
    """The head token of the cue at characters ``cue_start:cue_end``."""
    span = doc.char_span(cue_start, cue_end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def verb_cue(doc: "Doc", cue_start: int, cue_end: int) -> bool:
    """Whether the cue at ``cue_start:cue_end`` is headed by a verb (its source a subject or agent)."""
    cue = cue_token(doc, cue_start, cue_end)
    return cue is not None and cue.pos_ == "VERB"


def token_span(doc: "Doc", start: int, end: int) -> tuple[int, int] | None:
    """Characters ``start:end`` as tokens, without punctuation at either end."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    a, b = _strip(doc, span.start, span.end)
    return (a, b) if b > a else None


def _has_quotation_mark(doc: "Doc", a: int, b: int) -> bool:
    return any(_is_quotation_mark(t) for t in doc[a:b])


def _is_quotation_mark(tok: "Token") -> bool:
    return tok.is_quote or tok.text in ("''", "``")


def _allowed(doc: "Doc", cue: "Token", cand: SpanCandidate, current: tuple[int, int],
             current_quoted: bool) -> bool:
    """Whether ``cand`` may replace the rules' span ``current`` (``current_quoted``: whether that
    one holds a quotation mark): it never takes in the cue's subject or agent (who speaks, not what
    is said), a setting phrase of the cue ("at a rally"), a quotation (that is a quote of its own),
    another reporting verb with its own subject ("..., and three-quarters said the same"), a
    participle set off after the cue ("he said, wiping his face": the speaker's doing) or what the
    writer added after the rules' span (", an increase of 20 percent":
    :func:`storyline.nlp.frames.cut_writer_tail`), unless the rules' span holds it too; and when the
    rules' span is a passive subject ("The plan was criticized by ..."), only a span holding it."""
    a, b = cand.start, cand.end
    ca, cb = current

    def new(i: int) -> bool:
        return a <= i < b and not ca <= i < cb

    passive = next((k for k in cue.children if k.dep_ == "nsubjpass"), None)
    if passive is not None and (passive.left_edge.i, passive.right_edge.i + 1) == current \
            and not (a <= ca and cb <= b):
        return False  # "The plan was criticized by ...": what was criticized is the plan
    if any(new(k.i) for k in cue.children if k.dep_ in ("nsubj", "nsubjpass", "agent")):
        return False  # who speaks ("by the union" of "was criticized by the union")
    for i in range(a, b):
        if ca <= i < cb:
            continue
        t = doc[i]
        if not current_quoted and _is_quotation_mark(t):
            return False  # a quote of its own
        if i != cue.i and t.lemma_.lower() in CUE_VERBS and any(k.dep_ in ("nsubj", "nsubjpass") for k in t.children):
            return False  # another report
        if t.dep_ == "prep" and t.head.i == cue.i and i > cue.i and setting_phrase(t):
            return False  # when and where it was said ("at a rally", "on Friday")
        if t.dep_ in ("advcl", "acl") and t.tag_ in ("VBG", "VBN") and i > cue.i \
                and doc[t.left_edge.i - 1].text == "," and t.left_edge.i - 1 <= cue.right_edge.i + 1:
            return False  # the speaker's doing
    if a <= ca and b > cb:
        end = doc[b - 1].idx + len(doc[b - 1])
        if cut_writer_tail(doc, doc[a].idx, end) <= doc[cb - 1].idx + len(doc[cb - 1]):
            return False
    return True


def _with_current(cands: list[SpanCandidate], current: tuple[int, int]) -> list[SpanCandidate]:
    """``cands`` with the rules' span ``current`` among them, in token order."""
    if any((c.start, c.end) == current for c in cands):
        return cands
    return sorted([*cands, SpanCandidate(current[0], current[1], ("current",))], key=lambda c: (c.start, c.end))


def scored(doc: "Doc", cue: "Token", current: tuple[int, int],
           weights: dict[str, float]) -> list[tuple[SpanCandidate, list[str], float]]:
    """Every allowed candidate (the rules' span among them) with its features and score."""
    quoted = _has_quotation_mark(doc, *current)
    cands = [c for c in candidates(doc, cue)
             if (c.start, c.end) == current or _allowed(doc, cue, c, current, quoted)]
    cands = _with_current(cands, current)
    view = _cue_view(doc, cue)
    out = []
    for c in cands:
        feats = features(doc, cue, c, current, view)
        out.append((c, feats, sum(weights.get(x, 0.0) for x in feats)))
    return out


def source_candidates(doc: "Doc", head: "Token") -> list[SpanCandidate]:
    """The spans the parse offers as the source phrase headed by ``head``: the whole phrase, the
    words up to the head, and up to or before each of its right-hand dependents (an appositive, a
    relative clause, a prepositional phrase)."""
    found, add = _collector(doc)
    left = head.left_edge.i
    add("full", left, head.right_edge.i + 1)
    add("head", left, head.i + 1)
    for r in head.rights:
        if r.dep_ == "punct":
            continue
        add("upto_" + r.dep_, left, r.right_edge.i + 1)
        add("before_" + r.dep_, left, r.left_edge.i)
    return [SpanCandidate(a, b, tuple(sorted(k))) for (a, b), k in sorted(found.items())]


def _source_length(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-12" if n <= 12 else "13+"


def source_features(doc: "Doc", head: "Token", cand: SpanCandidate, current: tuple[int, int]) -> list[str]:
    """The binary features of one candidate source phrase; ``current`` is the rules' phrase (tokens)."""
    a, b = cand.start, cand.end
    is_cur = (a, b) == current
    f = ["t=" + k for k in cand.kinds]
    f += ["cur=%d" % is_cur, "len=" + _source_length(b - a), "curlen=" + _source_length(current[1] - current[0]),
          "root_ent=" + head.ent_type_, "root_pos=" + head.pos_]
    nxt = doc[b] if b < len(doc) else None
    f.append("next=" + ("END" if nxt is None else nxt.text if nxt.is_punct else nxt.tag_))
    if nxt is not None and nxt.text == "," and b + 1 < len(doc):
        after = doc[b + 1]
        f.append("after_comma=" + (after.lower_ if after.lower_ in ("who", "which", "a", "an", "the") else after.tag_))
    if not is_cur:
        ca, cb = current
        mine, theirs = set(range(a, b)), set(range(ca, cb))
        for name, toks in (("cut", theirs - mine), ("add", mine - theirs)):
            roots = [t for t in sorted(toks) if doc[t].head.i not in toks]
            f += [f"{name}={doc[t].dep_}" for t in roots[:2] if not doc[t].is_punct]
            f.append(f"{name}_n=" + _source_length(len(toks)))
    f += [x + "|cur=%d" % is_cur for x in f if x.startswith(("t=", "len=", "next="))]
    return f


def source_scored(doc: "Doc", head: "Token", current: tuple[int, int],
                  weights: dict[str, float]) -> list[tuple[SpanCandidate, list[str], float]]:
    """Every candidate source phrase (the rules' among them) with its features and score."""
    cands = _with_current(source_candidates(doc, head), current)
    return [(c, f, sum(weights.get(x, 0.0) for x in f))
            for c in cands for f in [source_features(doc, head, c, current)]]


def _pick(doc: "Doc", rows: list[tuple[SpanCandidate, list[str], float]], current: tuple[int, int],
          margin: float) -> tuple[int, int] | None:
    """The characters of the best candidate when it beats the rules' span by ``margin``, else None."""
    cur_score = next(s for c, _, s in rows if (c.start, c.end) == current)
    best, _, best_score = max(rows, key=lambda r: r[2])  # the first of equal scores
    if (best.start, best.end) == current or best_score - cur_score < margin:
        return None
    return best.chars(doc)


class SpanModel:
    """Two conditional logits: over :func:`features` for the content of an indirect quote and over
    :func:`source_features` for the source phrase of any quote. The best-scoring candidate replaces
    the rules' span when it beats it by the part's ``margin``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.weights: dict[str, float] = data["content"]["weights"]
        self.margin: float = float(data["content"]["margin"])
        self.source_weights: dict[str, float] = data["source"]["weights"]
        self.source_margin: float = float(data["source"]["margin"])

    def choose(self, doc: "Doc", cue_start: int, cue_end: int, start: int, end: int) -> tuple[int, int]:
        """The content span (characters) for the quote at ``start:end`` with its cue at
        ``cue_start:cue_end``: ``(start, end)`` itself unless a candidate scores higher by ``margin``."""
        cue = cue_token(doc, cue_start, cue_end)
        current = token_span(doc, start, end)
        if cue is None or current is None:
            return start, end
        return _pick(doc, scored(doc, cue, current, self.weights), current, self.margin) or (start, end)

    def choose_source(self, doc: "Doc", start: int, end: int, cue_start: int, cue_end: int) -> tuple[int, int]:
        """The source phrase (characters) for the rules' phrase at ``start:end`` of a verb cue at
        ``cue_start:cue_end``: itself unless another phrase around its head scores higher by
        ``source_margin``. The source of another cue ("according to X", "in a poll") stays the rules'."""
        current = token_span(doc, start, end)
        if current is None or not verb_cue(doc, cue_start, cue_end):
            return start, end
        head = doc[current[0]:current[1]].root
        rows = source_scored(doc, head, current, self.source_weights)
        return _pick(doc, rows, current, self.source_margin) or (start, end)


@cache
def load_model(path: str | None = None) -> SpanModel:
    """The shipped model (sha256 checked, :func:`storyline.weights.verified_path`), or the file at
    ``path`` (for training and tests)."""
    from storyline.weights import verified_path

    p = Path(path) if path else verified_path("spans.json")
    return SpanModel(json.loads(p.read_text(encoding="utf-8")))
