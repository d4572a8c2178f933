"""Claims across the articles of a story: who asserts, reports, denies or disputes what.

:func:`claim_units` turns one article into claim-bearing units; :func:`group_claims` joins the units of
several articles (a story, or stories linked into a storyline) into canonical
:class:`~storyline.model.Claim` records with a stance per article. :class:`ClaimsStage` does both.
Nothing here touches the store.

Units
-----
* **Quotes** (:class:`~storyline.model.Quote`, any kind): the content is the proposition, the speaker
  its holder. A partial quote of a few words under a rejecting cue ("dismissed the reports of X as
  "absurd"") takes the cue's object, the words between the cue and the quote, as its proposition.
* **Denials the quote rules leave out**: a sentence whose verb rejects (:data:`DENY_FORMS`, e.g.
  "X has denied interfering in Y") with its object as content and the capitalised name nearest before
  the verb in the clause as holder.
* **The outlet's own sentences**: sentences outside every quote and reporting frame, kept when the
  check-worthiness model (:mod:`storyline.nlp.checkworthy`) scores them at or above its threshold.
  Hedged sentences ("alleged", "reportedly") are the outlet reporting, not asserting.

Stances
-------
``denies`` when the quote is a denial (a rejecting cue, negated content); ``disputes`` when the
holder challenges it without denying (:data:`DISPUTE_WORDS`: "baseless", "absurd", "no evidence",
or a challenging cue such as "questioned"); ``reports`` for other attributed units and hedged outlet
sentences; ``asserts`` for the outlet's own check-worthy sentences. Within one claim a ``denies`` by
a holder the claim also ``reports`` is that holder's own (negative) statement and becomes ``reports``.

Grouping
--------
Each unit's *proposition* is its content with negation, denial and wrapper words neutralised
(:func:`proposition`): "X tried to interfere in the vote" and "X denied interfering in the vote"
both read as "X ... interfere in the vote". A rejection whose content has no clause of its own
("denied any involvement") takes the holder as the actor. Propositions are embedded with the shared
MiniLM encoder; two units' similarity is the cosine of their vectors plus :data:`ENTITY_BONUS` when
their names agree (a capitalised word in common, a demonym and its country, an acronym and its
spelled-out name) or minus :data:`ENTITY_PENALTY` when both name actors and none agree.
Average-linkage agglomerative clustering at :data:`CLAIM_THRESHOLD` gives the canonical claims.

Per claim: ``text`` is the affirmative unit closest to the others (the medoid), ``holder`` the most
frequent named holder among its reports, and one stance per article and stance kind (the unit most
similar to the claim is its evidence). A claim is kept when it spans two articles or more, holds a
denial or dispute, or is check-worthy.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from storyline.model import Article, Claim, ClaimStance, Quote, StanceKind, content_id
from storyline.nlp.quotes import cue_negated

LOGGER = logging.getLogger(__name__)

#: Minimum combined similarity (cosine of proposition vectors plus the entity term) of two groups
#: (average linkage) for them to be one claim.
CLAIM_THRESHOLD = 0.62
#: Added to the cosine when two units' names agree.
ENTITY_BONUS = 0.06
#: Taken off the cosine when both units name actors and no name agrees.
ENTITY_PENALTY = 0.12
#: A quoted fragment of at most this many words under a rejecting cue takes the cue's object instead.
SHORT_FRAGMENT = 3
#: Propositions shorter than this many words carry no claim.
MIN_WORDS = 3

_I = re.IGNORECASE

#: Word forms of verbs that reject what follows (general English lexicon).
DENY_FORMS = re.compile(
    r"\b(den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"rebuff(?:s|ed|ing)?|repudiat(?:e|es|ed|ing)|disavow(?:s|ed|ing)?|rebut(?:s|ted|ting)?)\b", _I)
#: Cues whose act challenges without denying.
_CHALLENGE_CUES = re.compile(r"^(question|challeng|disput|doubt|contest|cast doubt)", _I)
_DENY_CUES = re.compile(
    r"^(den|reject|dismiss|refut|rebuff|repudiat|disavow|rebut|contradict|deride|decr|denounc)", _I)
#: Words and phrases by which a holder challenges a statement (general lexicon).
DISPUTE_WORDS = re.compile(
    r"\b(absurd|absurdity|groundless|baseless|unfounded|unsubstantiated|untrue|false(?:hood)?s?|"
    r"fabricat(?:ed|ion|ions)|nonsense|ridiculous|preposterous|ludicrous|fake|hoax|lies|lie|smear|"
    r"slander(?:ous)?|defamatory|misinformation|disinformation|politically motivated|without merit|"
    r"no evidence|without evidence|no proof|no basis|not true|wildly inaccurate|inaccurate|"
    r"speculation|conspiracy theor(?:y|ies)|scapegoat)\b", _I)
#: Words by which an outlet distances itself from a statement it relays.
HEDGES = re.compile(r"\b(alleged(?:ly)?|reported(?:ly)?|purported(?:ly)?|supposed(?:ly)?|claimed|"
                    r"suspected|rumou?red|accused|accusations?|allegations?)\b", _I)
#: Reporting words that mark a sentence as attributed even when no quote rule caught it.
_REPORTING = re.compile(r"\b(said|says|told|according to|stated|states|added|claimed|claims|argued|"
                        r"insisted|warned|announced|reported|wrote|noted|asserted)\b", _I)

#: Neutralised before embedding: negations, rejecting verbs, wrappers around a proposition.
_NEUTRAL = [
    re.compile(r"\b(the\s+)?(accusations?|allegations?|claims?|charges?|suggestions?|reports?|"
               r"assertions?|rumou?rs?)\s+(of|that|about)\b", _I),
    DENY_FORMS,
    re.compile(r"\b(not|never|no longer|nor|neither|no|any|ever)\b|n[’']t\b", _I),
    re.compile(r"\b(alleged(?:ly)?|reported(?:ly)?|purported(?:ly)?|firmly|consistently|flatly|"
               r"categorically|strongly)\b", _I),
    DISPUTE_WORDS,
]
_LEAD_THAT = re.compile(r"^\s*(that|whether|if)\b\s*", _I)
_CLAUSE_END = re.compile(r",\s*(citing|saying|adding|calling|arguing|insisting|stressing|noting|"
                         r"while|but|although|though|which|as)\b|[;:.!?]|\s[–—-]\s", _I)
_CAPWORD = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z][\w’'-]*")
_PRONOUN_HOLDER = re.compile(r"^(he|she|it|they|we|i|you|who|this|that|these|those)$", _I)
_WS = re.compile(r"\s+")

#: Capitalised words that are not names (sentence openers, titles, days, months).
_NOT_NAMES = frozenset("""
the a an in on at of to for by with from this that these those it its he she they we i you his her
their our my your there here but and or if when while during after before despite as also moreover
furthermore additionally however meanwhile still yet so then thus according any some all no not
president secretary minister ministry spokesperson spokesman spokeswoman foreign state government
official officials chief leader director senator governor mayor prime deputy general mr mrs ms dr
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())


# --- units -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class ClaimUnit:
    """One claim-bearing statement in one article."""

    article_id: str
    start: int  # evidence span in the article's clean text
    end: int
    text: str  # the content as written
    proposition: str  # the content with negation and denial words neutralised
    stance: StanceKind
    holder: str | None = None
    holder_role: str | None = None
    quote_id: str | None = None
    score: float | None = None  # check-worthiness, when scored
    names: frozenset[str] = field(default_factory=frozenset)
    affirmative: str = ""  # the proposition without the holder put in as actor (the claim's wording)
    vector: np.ndarray | None = None  # a cached vector of the unit's sentence (outlet units), reused for grouping


def _clean(s: str) -> str:
    return _WS.sub(" ", s).strip(" ,;:–—-\"“”‘’'")


def proposition(content: str, holder: str | None = None, *, rejecting: bool = False) -> str:
    """The content with negation, denial and wrapper words removed (see module docstring).

    With ``rejecting``, content that is not a clause of its own ("any involvement in the vote") gets
    the holder as its actor.
    """
    s = content
    clause = bool(_LEAD_THAT.match(s))
    s = _LEAD_THAT.sub("", s)
    for rx in _NEUTRAL:
        s = rx.sub(" ", s)
    s = _clean(s)
    if rejecting and not clause and holder:
        s = f"{holder} {s}"
    return s


def _norm_name(w: str) -> str:
    return w.replace(".", "").replace("’", "'").split("'")[0].lower()


def names_in(text: str) -> frozenset[str]:
    """Lower-cased capitalised words and acronyms of ``text`` that look like names; a run of two or
    more capitalised words also gives its initials ("United States" -> "us")."""
    out: set[str] = set()
    run: list[str] = []
    pos = -1
    for m in _CAPWORD.finditer(text):
        w = _norm_name(m.group(0))
        if not w or w in _NOT_NAMES:
            if len(run) >= 2:
                out.add("".join(x[0] for x in run))
            run = []
            continue
        out.add(w)
        if run and text[pos:m.start()].strip() == "":
            run.append(w)
        else:
            if len(run) >= 2:
                out.add("".join(x[0] for x in run))
            run = [w]
        pos = m.end()
    if len(run) >= 2:
        out.add("".join(x[0] for x in run))
    return frozenset(out)


def _same_name(a: str, b: str) -> bool:
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    # a demonym and its place ("russian"/"russia", "canadian"/"canada")
    return n >= 4 and n >= 0.75 * min(len(a), len(b))


def names_agree(a: frozenset[str], b: frozenset[str]) -> bool | None:
    """True when a name agrees, False when both have names and none agree, None when one has none."""
    if not a or not b:
        return None
    if a & b:
        return True
    return any(_same_name(x, y) for x in a for y in b)


def _quote_stance(q: Quote) -> StanceKind:
    cue = (q.cue or "").lower()
    if q.denial or _DENY_CUES.match(cue):
        return "denies"
    if _CHALLENGE_CUES.match(cue) or DISPUTE_WORDS.search(q.text):
        return "disputes"
    return "reports"


def _cue_object(text: str, q: Quote) -> tuple[int, int] | None:
    """The words between a cue and the short quoted fragment it governs ("dismissed X as "absurd"")."""
    if q.cue_end is None or q.cue_end >= q.start:
        return None
    s, e = q.cue_end, q.start
    seg = text[s:e]
    seg2 = re.sub(r"\s+(as|for being|of being)\s*[“\"‘']?\s*$", "", seg, flags=_I).rstrip(" “\"‘'")
    e = s + len(seg2)
    while s < e and text[s].isspace():
        s += 1
    if e - s < 3 or _PRONOUN_HOLDER.match(text[s:e].strip()):
        return None
    return s, e


def _role_name(q: Quote) -> str | None:
    # a quote whose source is no speaker ("concerns grew that ...") has no holder either
    return q.speaker


def _sentence_of(spans: Sequence[tuple[int, int]], off: int) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= off < e:
            return s, e
    return None


def _missed_denials(article: Article, spans: Sequence[tuple[int, int]],
                    covered: list[tuple[int, int]]) -> list[ClaimUnit]:
    """Sentences with a rejecting verb that no quote covers: holder before the verb, object after."""
    text = article.text
    out: list[ClaimUnit] = []
    for s, e in spans:
        sent = text[s:e]
        for m in DENY_FORMS.finditer(sent):
            vs, ve = s + m.start(), s + m.end()
            if any(a <= vs < b for a, b in covered) or cue_negated(text, vs):
                continue
            # the clause before the verb: from the last comma or sentence start
            before = sent[:m.start()]
            cut = max(before.rfind(","), before.rfind(";"))
            head = before[cut + 1:]
            cands = [w for w in _CAPWORD.finditer(head) if _norm_name(w.group(0)) not in _NOT_NAMES]
            if not cands:
                continue
            # the name run ending nearest the verb
            last = cands[-1]
            first = last
            for w in reversed(cands[:-1]):
                if head[w.end():first.start()].strip() == "":
                    first = w
                else:
                    break
            holder = head[first.start():last.end()]
            after = sent[m.end():]
            stop = _CLAUSE_END.search(after)
            content = _clean(after[: stop.start()] if stop else after)
            if len(content.split()) < 2:
                continue
            cs = s + m.end() + after.find(content[:10]) if content else ve
            out.append(ClaimUnit(
                article_id=article.id, start=s + cut + 1 + first.start(), end=min(e, cs + len(content)),
                text=content, proposition=proposition(content, holder, rejecting=True), stance="denies",
                holder=holder))
    return out


def claim_units(
    article: Article,
    quotes: Sequence[Quote],
    *,
    sentences: Sequence[tuple[int, int]] | None = None,
    checkworthy: Any | None = None,
    sentence_vectors: np.ndarray | None = None,
) -> list[ClaimUnit]:
    """The claim-bearing units of one article (see module docstring).

    ``quotes`` are the article's quotes; ``checkworthy`` a :class:`~storyline.nlp.checkworthy.CheckWorthiness`
    (or ``None``: no outlet sentences); ``sentence_vectors`` the article's cached sentence vectors, one
    row per span of ``sentences``.
    """
    text = article.text or ""
    spans = list(sentences if sentences is not None else article.sentences)
    if not spans and text:
        from storyline.text import split_sentences

        spans = split_sentences(text)
    units: list[ClaimUnit] = []
    covered: list[tuple[int, int]] = []
    for q in quotes:
        if q.article_id != article.id:
            continue
        lo = min(q.start, q.speaker_start if q.speaker_start is not None else q.start,
                 q.cue_start if q.cue_start is not None else q.start)
        hi = max(q.end, q.speaker_end or q.end, q.cue_end or q.end)
        covered.append((lo, hi))
        if cue_negated(text, q.cue_start):  # "did not say", "never denied": no stance either way
            continue
        stance = _quote_stance(q)
        content, s, e = q.text, q.start, q.end
        if len(q.text.split()) <= SHORT_FRAGMENT:
            if stance == "reports":
                continue
            obj = _cue_object(text, q)
            if obj is None:
                continue
            s, e = obj
            content = text[s:e]
            s = min(s, q.start)
            e = max(e, q.end)
        holder = _role_name(q)
        rejecting = stance in ("denies", "disputes")
        prop = proposition(content, holder, rejecting=rejecting)
        if len(prop.split()) < MIN_WORDS:
            continue
        units.append(ClaimUnit(
            article_id=article.id, start=s, end=e, text=_clean(_LEAD_THAT.sub("", content)), proposition=prop,
            stance=stance, holder=holder, holder_role=q.speaker_role, quote_id=q.id))
    units.extend(_missed_denials(article, spans, covered))
    if checkworthy is not None and spans:
        units.extend(_outlet_units(article, spans, covered, checkworthy, sentence_vectors))
    for u in units:
        u.names = names_in(u.proposition)
        u.affirmative = proposition(u.text)
    units.sort(key=lambda u: (u.start, u.end, u.stance))
    return units


def _outlet_units(article: Article, spans: Sequence[tuple[int, int]], covered: list[tuple[int, int]],
                  checkworthy: Any, vectors: np.ndarray | None) -> list[ClaimUnit]:
    text = article.text
    keep: list[int] = []
    for i, (s, e) in enumerate(spans):
        sent = text[s:e]
        if any(a < e and s < b for a, b in covered) or _REPORTING.search(sent) or DENY_FORMS.search(sent):
            continue
        if len(sent.split()) < 6 or sent.rstrip().endswith("?"):
            continue
        keep.append(i)
    if not keep:
        return []
    # score every sentence in text order (the scorer reads neighbours as context), keep the candidates
    vecs = vectors if vectors is not None and len(vectors) == len(spans) else None
    all_scores = checkworthy.score([text[s:e] for s, e in spans], vecs)
    texts = [text[spans[i][0]:spans[i][1]] for i in keep]
    scores = [all_scores[i] for i in keep]
    cut = float(checkworthy.threshold)
    out: list[ClaimUnit] = []
    for i, t, p in zip(keep, texts, scores):
        if p < cut:
            continue
        s, e = spans[i]
        hedged = bool(HEDGES.search(t))
        out.append(ClaimUnit(article_id=article.id, start=s, end=e, text=_clean(t), proposition=proposition(t),
                             stance="reports" if hedged else "asserts", score=float(round(p, 4)),
                             vector=None if vecs is None else np.asarray(vectors[i], dtype=np.float32)))
    return out


# --- grouping --------------------------------------------------------------------------------------


def _similarity(vecs: np.ndarray, units: Sequence[ClaimUnit]) -> np.ndarray:
    sim = vecs @ vecs.T
    n = len(units)
    for i in range(n):
        for j in range(i + 1, n):
            agree = names_agree(units[i].names, units[j].names)
            if agree is True:
                d = ENTITY_BONUS
            elif agree is False:
                d = -ENTITY_PENALTY
            else:
                d = 0.0
            sim[i, j] += d
            sim[j, i] += d
    return sim


def _cluster(sim: np.ndarray, threshold: float, weights: np.ndarray | None = None) -> list[list[int]]:
    """Average-linkage agglomerative clustering; deterministic (ties broken by index). ``weights``
    counts how many identical units each row stands for (copies of one statement)."""
    clusters: list[list[int]] = [[i] for i in range(len(sim))]
    if len(clusters) < 2:
        return clusters
    size = np.ones(len(sim)) if weights is None else np.asarray(weights, dtype=np.float64)
    total = sim.astype(np.float64) * np.outer(size, size)  # sum of pair similarities between clusters
    alive = np.ones(len(sim), dtype=bool)
    np.fill_diagonal(total, -np.inf)
    while True:
        avg = total / np.outer(size, size)
        avg[~alive, :] = -np.inf
        avg[:, ~alive] = -np.inf
        k = int(np.argmax(avg))
        i, j = divmod(k, len(sim))
        if avg[i, j] < threshold:
            break
        if j < i:
            i, j = j, i
        total[i, :] += total[j, :]
        total[:, i] += total[:, j]
        total[i, i] = -np.inf
        size[i] += size[j]
        alive[j] = False
        clusters[i].extend(clusters[j])
        clusters[j] = []
    return [sorted(c) for c in clusters if c]


_STANCE_ORDER = {"asserts": 0, "reports": 1, "disputes": 2, "denies": 3}


#: Proposition vectors already made in this process, by (encoder, proposition): a storyline's claims
#: are regrouped over all its members whenever one article is added, so most propositions recur.
_PROP_CACHE: "OrderedDict[tuple[str, str], np.ndarray]" = OrderedDict()
_PROP_CACHE_MAX = 50_000


def proposition_vectors(encoder: Any, props: Sequence[str]) -> dict[str, np.ndarray]:
    """Vectors of ``props``, embedding in one call only those not cached for this encoder."""
    name = getattr(encoder, "name", None)
    if not isinstance(name, str) or not name:  # no stable name to key on: embed, cache nothing
        vecs = np.asarray(encoder.encode(list(props)), dtype=np.float32) if props else []
        return dict(zip(props, vecs))
    out: dict[str, np.ndarray] = {}
    missing = []
    for p in dict.fromkeys(props):
        v = _PROP_CACHE.get((name, p))
        if v is None:
            missing.append(p)
        else:
            _PROP_CACHE.move_to_end((name, p))
            out[p] = v
    if missing:
        new = np.asarray(encoder.encode(missing), dtype=np.float32)
        for p, v in zip(missing, new):
            out[p] = v
            _PROP_CACHE[(name, p)] = v
        while len(_PROP_CACHE) > _PROP_CACHE_MAX:
            _PROP_CACHE.popitem(last=False)
    return out


def group_claims(
    units: Sequence[ClaimUnit],
    encoder: Any,
    *,
    scope: str | None = None,
    threshold: float = CLAIM_THRESHOLD,
    checkworthy_threshold: float | None = None,
) -> list[Claim]:
    """Canonical claims over the units of several articles (see module docstring), in a fixed order:
    most articles first, then first evidence."""
    units = list(units)
    if not units:
        return []
    # outlet sentences reuse their cached sentence vector (their proposition is the sentence, with at
    # most a negation word dropped); every other proposition is embedded once
    props = sorted({u.proposition for u in units if u.vector is None})
    known = proposition_vectors(encoder, props)
    vecs = np.stack([u.vector if u.vector is not None else known[u.proposition] for u in units]).astype(np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs / np.where(norms == 0, 1.0, norms)
    # copies of one statement (same proposition, stance and holder) are one node of the clustering
    node_of: dict[tuple[str, str, str | None], int] = {}
    node = np.array([node_of.setdefault((u.proposition, u.stance, u.holder), len(node_of)) for u in units])
    firsts = [int(np.flatnonzero(node == k)[0]) for k in range(len(node_of))]
    weights = np.bincount(node, minlength=len(node_of))
    nsim = _similarity(vecs[firsts], [units[i] for i in firsts])
    claims: list[Claim] = []
    for nodes in _cluster(nsim, threshold, weights):
        members = [int(i) for i in np.flatnonzero(np.isin(node, nodes))]
        mem = [units[i] for i in members]
        # a holder does not deny what the claim reports them saying: one outlet's version of their own
        # negative statement ("X cannot solve Y", read as negated content) is that statement, reported
        own = {u.holder for u in mem if u.stance == "reports" and u.holder}
        mem = [replace(u, stance="reports") if u.stance == "denies" and u.holder in own else u for u in mem]
        for i, u in zip(members, mem):
            units[i] = u
        articles = {u.article_id for u in mem}
        rejected = any(u.stance in ("denies", "disputes") for u in mem)
        scores = [u.score for u in mem if u.score is not None]
        worthy = bool(scores) and checkworthy_threshold is not None and max(scores) >= checkworthy_threshold
        if len(articles) < 2 and not rejected and not worthy:
            continue
        affirmative = [i for i in members if units[i].stance in ("asserts", "reports")] or members
        mnodes = node[members]
        mean_sim = {i: float(nsim[node[i], mnodes].mean()) for i in affirmative}
        rep = max(affirmative, key=lambda i: (round(mean_sim[i], 6), -units[i].start, units[i].article_id))
        rep_u = units[rep]
        text = rep_u.text if rep_u.stance in ("asserts", "reports") else (rep_u.affirmative or rep_u.proposition)
        holders = Counter(u.holder for u in mem if u.stance == "reports" and u.holder)
        holder = sorted(holders.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if holders else None
        best: dict[tuple[str, str], tuple[float, ClaimUnit]] = {}
        for i in members:
            u = units[i]
            fit = (float(nsim[node[i], node[rep]]) if i != rep else 1.0) + (0.2 if u.holder and u.holder[:1].isupper() else 0.0)
            key = (u.article_id, u.stance)
            if key not in best or fit > best[key][0] + 1e-9:
                best[key] = (fit, u)
        stances = [
            ClaimStance(article_id=u.article_id, stance=u.stance, start=u.start, end=u.end, holder=u.holder,
                        holder_role=u.holder_role, text=u.text, quote_id=u.quote_id)
            for (_, _), (_, u) in sorted(best.items(), key=lambda kv: (kv[0][0], _STANCE_ORDER[kv[0][1]]))
        ]
        first = min(mem, key=lambda u: (u.article_id, u.start, u.end))
        cid = content_id("claim", first.article_id, str(first.start), str(first.end))
        claims.append(Claim(id=cid, text=text, holder=holder, stances=stances, scope=scope,
                            score=max(scores) if scores else None))
    claims.sort(key=lambda c: (-len({s.article_id for s in c.stances}), c.stances[0].article_id,
                               c.stances[0].start, c.id))
    return claims


# --- the stage -------------------------------------------------------------------------------------


def load_checkworthy(encoder: Any | None = None) -> Any | None:
    """The check-worthiness scorer (on ``encoder``, else the process-wide MiniLM), or ``None``
    (logged) when its module or weights are not installed."""
    try:
        from storyline.nlp.checkworthy import CheckWorthiness

        return CheckWorthiness(encoder)
    except Exception as exc:  # noqa: BLE001 - any failure means: run without outlet sentences
        LOGGER.warning("check-worthiness scorer unavailable (%s): claims come from quotes and denials only", exc)
        return None


class ClaimsStage:
    """Claims for groups of articles. No store I/O.

    ``process(articles, quotes, scope_of, sentence_vectors=None)``: ``scope_of`` maps article id to the
    story (or storyline) whose articles are compared together; articles missing from it form a scope of
    their own. Returns the claims of every scope, scopes in sorted order.
    """

    def __init__(self, encoder: Any | None = None, *, checkworthy: Any | None | bool = True) -> None:
        self._encoder = encoder
        self._checkworthy: Any | None = None
        self._want_checkworthy = checkworthy
        self._loaded = False

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            from storyline.embed import shared_encoder

            self._encoder = shared_encoder()
        return self._encoder

    @property
    def checkworthy(self) -> Any | None:
        if not self._loaded:
            w = self._want_checkworthy
            # the scorer embeds with this stage's encoder (loaded on first use, shared)
            self._checkworthy = load_checkworthy(self._encoder) if w is True else (None if w is False else w)
            self._loaded = True
        return self._checkworthy

    def units(self, articles: Sequence[Article], quotes: Sequence[Quote],
              sentence_vectors: Mapping[str, np.ndarray] | None = None) -> list[ClaimUnit]:
        by_article: dict[str, list[Quote]] = {}
        for q in quotes:
            by_article.setdefault(q.article_id, []).append(q)
        out: list[ClaimUnit] = []
        for a in articles:
            if a.status != "ok" or not (a.text or "").strip() or a.language not in (None, "", "en"):
                continue
            out.extend(claim_units(a, by_article.get(a.id, []), checkworthy=self.checkworthy,
                                   sentence_vectors=(sentence_vectors or {}).get(a.id)))
        return out

    def process(self, articles: Sequence[Article], quotes: Sequence[Quote], scope_of: Mapping[str, str],
                sentence_vectors: Mapping[str, np.ndarray] | None = None) -> list[Claim]:
        units = self.units(articles, quotes, sentence_vectors)
        by_scope: dict[str, list[ClaimUnit]] = {}
        for u in units:
            by_scope.setdefault(scope_of.get(u.article_id, u.article_id), []).append(u)
        cw = self.checkworthy
        cut = float(cw.threshold) if cw is not None else None
        claims: list[Claim] = []
        for scope in sorted(by_scope):
            claims.extend(group_claims(by_scope[scope], self.encoder, scope=scope, checkworthy_threshold=cut))
        LOGGER.info("claims: %d units in %d articles -> %d claims", len(units), len(articles), len(claims))
        return claims


def rank_claims(claims: Sequence["Claim"], members: Collection[str]) -> list["Claim"]:
    """The claims that touch ``members`` (a story's articles), most widely carried there first, then
    most widely carried overall; ties by id (the order of `storyline claims` and the web matrix)."""
    member = set(members)
    out = [c for c in claims if any(s.article_id in member for s in c.stances)]
    out.sort(key=lambda c: (-len({s.article_id for s in c.stances if s.article_id in member}),
                            -len({s.article_id for s in c.stances}), c.id))
    return out
