"""The same quote across the articles of a story or a storyline (the quotes stage groups each storyline).

:func:`group_quotes` is a pure function over the quotes of several articles (no store access). Two
quotes from different articles are the same quote when

* their quoted words line up verbatim: one version's words are a contiguous run of the other's
  (a trimmed or partial version). Runs shorter than :data:`MIN_VERBATIM` words (a one-word partial
  quote such as "absurd") count only when both quotes have the same speaker;
* or they nearly line up: at least :data:`NEAR_SHARE` of the shorter version's words are matched
  in order by :class:`difflib.SequenceMatcher` (an altered version);
* or one is reported speech: its content words overlap the other's by at least
  :data:`INDIRECT_SHARE` of the smaller set, with the same speaker (an indirect rendering);
* or, between two articles one of which reuses the other (a reuse link: a copy, a rewrite), both are
  quoted words of the same speaker that share at least :data:`REWORDED_SHARE` of the smaller
  version's content words and :data:`REWORDED_ORDER` of its words in order: the rewrite reworded
  the quote (a spun rewrite's "We wish to be completely clear" for "We want to be absolutely
  clear"). Outside a reuse link two such quotes may be one speaker's talking point said twice, and
  are left apart; inside a group a version of the same speaker reworded so is flagged ``altered``.

Matches are merged with union-find, so a group may join a full quote, its partial versions and its
indirect renderings. The group's reference is its longest verbatim version. A verbatim version whose
words are not a contiguous run of the reference's (words replaced, added or removed inside, beyond
trimming at either end) is flagged ``altered`` with the difference in words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from storyline.model import Quote, QuoteGroup, content_id
from storyline.text import FUNCTION_WORDS
from storyline.unionfind import UnionFind

#: Shortest verbatim run that joins two quotes whatever their speakers.
MIN_VERBATIM = 4
#: Share of the shorter version's words that must match in order for a near-verbatim match.
NEAR_SHARE = 0.8
#: Share of content words an indirect rendering shares with the quote it renders.
INDIRECT_SHARE = 0.6
#: Share of content words a reworded quote keeps of the one it rewords (a spun rewrite replaces about
#: half: "Every affected customer will receive" -> "Each impacted client will get") ...
REWORDED_SHARE = 0.4
#: ... and share of its words matched in order.
REWORDED_ORDER = 0.5
#: Fewest content words the shorter version of a reworded quote has.
REWORDED_MIN = 6

_STOP = FUNCTION_WORDS | {"him", "own", "same"}
_TOKEN = re.compile(r"\w+(?:'\w+)?")
_QUOTE_FRAGMENT = re.compile(r"[“\"«‹„]([^”\"»›“]+)[”\"»›“]")


def _norm_words(s: str) -> list[str]:
    return _TOKEN.findall(s.replace("’", "'").replace("‘", "'").lower())


def _fragments(q: Quote) -> list[str]:
    """The verbatim words of a quote: its text, or the quoted fragments of a mixed quote."""
    if q.kind in ("direct", "partial"):
        return [q.text]
    if q.kind == "mixed":
        return [m.group(1) for m in _QUOTE_FRAGMENT.finditer(q.text)]
    return []


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    if n == 0 or n > len(long):
        return False
    first = short[0]
    for i in range(len(long) - n + 1):
        if long[i] == first and long[i:i + n] == short:
            return True
    return False


def _same_speaker(a: Quote, b: Quote) -> bool:
    if not a.speaker or not b.speaker:
        return False
    wa = set(_norm_words(a.speaker))
    wb = set(_norm_words(b.speaker))
    return bool(wa & wb)


def _content(words: list[str]) -> set[str]:
    return {w for w in words if w not in _STOP and len(w) > 1}


def _verbatim_match(fa: list[str], fb: list[str], a: Quote, b: Quote) -> bool:
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    if not short:
        return False
    if _contiguous(short, long):
        return len(short) >= MIN_VERBATIM or _same_speaker(a, b)
    if len(short) < MIN_VERBATIM + 1:
        return False
    sm = difflib.SequenceMatcher(None, short, long, autojunk=False)
    matched = sum(block.size for block in sm.get_matching_blocks())
    return matched >= NEAR_SHARE * len(short)


def _match(a: Quote, b: Quote) -> bool:
    fa = [_norm_words(f) for f in _fragments(a)]
    fb = [_norm_words(f) for f in _fragments(b)]
    for x in fa:
        for y in fb:
            if _verbatim_match(x, y, a, b):
                return True
    if (a.kind == "indirect" or b.kind == "indirect" or not fa or not fb) and _same_speaker(a, b):
        ca = _content(_norm_words(a.text))
        cb = _content(_norm_words(b.text))
        small = min(len(ca), len(cb))
        if small >= 3 and len(ca & cb) >= INDIRECT_SHARE * small:
            return True
    return False


def _reworded(fa: list[str], fb: list[str]) -> bool:
    """Whether two versions of quoted words are one quote reworded (see :data:`REWORDED_SHARE`)."""
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    cs, cl = _content(short), _content(long)
    if len(cs) < REWORDED_MIN or len(cs & cl) < REWORDED_SHARE * len(cs):
        return False
    sm = difflib.SequenceMatcher(None, short, long, autojunk=False)
    return sum(block.size for block in sm.get_matching_blocks()) >= REWORDED_ORDER * len(short)


def _reworded_match(a: Quote, b: Quote) -> bool:
    if not _same_speaker(a, b):
        return False
    return any(_reworded(_norm_words(x), _norm_words(y)) for x in _fragments(a) for y in _fragments(b))


def _difference(ref: list[str], version: list[str], raw: str) -> str | None:
    """Words replaced, added or dropped inside ``version`` relative to ``ref`` (trimming ignored)."""
    if _contiguous(version, ref):
        return None
    sm = difflib.SequenceMatcher(None, ref, version, autojunk=False)
    ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
    # dropping words at either end of the reference is trimming, not altering
    while ops and ops[0][0] == "delete" and ops[0][3] == 0:
        ops.pop(0)
    while ops and ops[-1][0] == "delete" and ops[-1][4] == len(version):
        ops.pop()
    elided = "…" in raw or "..." in raw
    parts = []
    for tag, i1, i2, j1, j2 in ops:
        was = " ".join(ref[i1:i2])
        now = " ".join(version[j1:j2])
        if tag == "replace":
            parts.append(f'"{was}" -> "{now}"')
        elif tag == "insert":
            parts.append(f'added "{now}"')
        elif tag == "delete" and not elided:
            parts.append(f'dropped "{was}"')
    return "; ".join(parts) or None


def group_quotes(quotes: Sequence[Quote], story_of: Mapping[str, str] | None = None,
                 derived: Collection[frozenset[str]] = ()) -> list[QuoteGroup]:
    """Groups of the same quote across articles (see module docstring), in a deterministic order.

    ``story_of`` maps an article id to its story id; quotes are compared only within one story.
    Without it every quote is treated as part of one story. ``derived`` holds the pairs of article
    ids linked by reuse, between which a reworded quote joins its original. Only groups spanning at
    least two articles are returned.
    """
    qs = sorted(quotes, key=lambda q: (q.article_id, q.start, q.end, q.id))
    sets: UnionFind[int] = UnionFind(range(len(qs)))

    def story(q: Quote) -> str:
        return story_of.get(q.article_id, q.article_id) if story_of is not None else ""

    # Quotes with the same story, kind, text and speaker (copies of one article carry the same quotes)
    # match everything alike, so the pairwise test runs once per pair of distinct versions; the
    # result is the same as comparing every pair of quotes from different articles.
    keys: dict[tuple[str, str, str, str], list[int]] = {}
    for i, q in enumerate(qs):
        keys.setdefault((story(q), q.kind, q.text, q.speaker or ""), []).append(i)
    klist = list(keys.values())

    def connect(xs: list[int], ys: list[int]) -> None:
        """The unions that comparing every x with every y from another article would make."""
        for x in xs:
            y = next((y for y in ys if qs[y].article_id != qs[x].article_id), None)
            if y is not None:
                sets.union(x, y)
        for y in ys:
            x = next((x for x in xs if qs[x].article_id != qs[y].article_id), None)
            if x is not None:
                sets.union(y, x)

    for a, xs in enumerate(klist):
        rep = qs[xs[0]]
        if len({qs[x].article_id for x in xs}) > 1 and _match(rep, rep):
            connect(xs, xs)
        for ys in klist[a + 1:]:
            other = qs[ys[0]]
            if story(rep) != story(other):
                continue
            if {qs[x].article_id for x in xs} == {qs[y].article_id for y in ys} and \
                    len({qs[x].article_id for x in xs}) == 1:
                continue  # all in one article: never compared
            if _match(rep, other):
                connect(xs, ys)
            elif derived and _reworded_match(rep, other):
                for x in xs:
                    for y in ys:
                        if frozenset((qs[x].article_id, qs[y].article_id)) in derived:
                            sets.union(x, y)
    members: dict[int, list[Quote]] = {}
    for i, q in enumerate(qs):
        members.setdefault(sets.find(i), []).append(q)
    groups: list[QuoteGroup] = []
    for ms in members.values():
        if len({q.article_id for q in ms}) < 2:
            continue
        verbatim = [q for q in ms if q.kind in ("direct", "mixed", "partial")]
        rank = {"direct": 0, "mixed": 1, "partial": 2, "indirect": 3}

        def size(q: Quote) -> int:
            return max((len(_norm_words(f)) for f in _fragments(q)), default=len(_norm_words(q.text)))

        pool = verbatim or ms

        def agreeing(q: Quote) -> int:
            """How many other versions quote ``q``'s words as it does (whole or trimmed): the wording
            most versions share is the reference, and the odd one out is the altered one."""
            words = [_norm_words(f) for f in _fragments(q)]
            return sum(1 for o in pool if o.article_id != q.article_id and any(
                _contiguous(_norm_words(f), w) for f in _fragments(o) for w in words if w))

        ref = min(pool, key=lambda q: (rank[q.kind], -agreeing(q), -size(q), q.article_id, q.start))
        ref_frag = max(_fragments(ref), key=lambda f: len(_norm_words(f)), default=ref.text)
        ref_words = _norm_words(ref_frag)
        altered: dict[str, str] = {}
        for q in verbatim:
            if q is ref:
                continue
            diffs = []
            for f in _fragments(q):
                words = _norm_words(f)
                if not words:
                    continue
                d = _difference(ref_words, words, f)
                # a fragment that is plainly a different passage (a second quote of the same
                # speaker) is not an alteration of this one
                # (or, of the same speaker, the same passage reworded)
                if d is not None and (_verbatim_match(words, ref_words, q, ref) or (
                        _same_speaker(q, ref) and _reworded(words, ref_words))):
                    diffs.append(d)
            if diffs:
                altered[q.id] = "; ".join(diffs)
        ids = [q.id for q in ms]
        gid = content_id("quote-group", *sorted(ids))
        groups.append(QuoteGroup(id=gid, quote_ids=ids, reference_id=ref.id, text=ref_frag.strip(),
                                 speaker=ref.speaker or next((q.speaker for q in ms if q.speaker), None),
                                 altered=altered))
    groups.sort(key=lambda g: (g.quote_ids[0], g.id))
    return groups


def apply_groups(quotes: Sequence[Quote], groups: Sequence[QuoteGroup]) -> list[Quote]:
    """Copies of ``quotes`` with ``group_id``, ``altered`` and ``difference`` filled in (cleared for a
    quote in no group)."""
    by_id: dict[str, tuple[str, str | None]] = {}
    for g in groups:
        for qid in g.quote_ids:
            by_id[qid] = (g.id, g.altered.get(qid))
    out = []
    for q in quotes:
        if q.id in by_id:
            gid, diff = by_id[q.id]
            out.append(replace(q, group_id=gid, altered=diff is not None, difference=diff))
        else:  # no longer grouped (its story split, or the link that made it a version went)
            out.append(replace(q, group_id=None, altered=False, difference=None))
    return out
