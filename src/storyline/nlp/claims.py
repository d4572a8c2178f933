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
  The content must be a statement (:func:`statements`: a clause with a subject and a finite verb, read
  from a parse): fragments ("Smith's concerns", "to override the veto", "whether the port closes") are
  no claims; a proposition noun with its clause ("her insistence that X") gives the clause X. Nor is a
  clause with a gap ("sanctions, which she said the allies could impose": :func:`_gapped`).
* **Denials the quote rules leave out**: a sentence whose verb rejects (:data:`DENY_FORMS`, e.g.
  "X has denied interfering in Y") with its object as content and the capitalised name nearest before
  the verb in the clause as holder.
* A rejecting verb (quote cue or not) denies only a proposition (:func:`rejection_kinds`): a clause
  ("denied that ..."), a gerund ("denied interfering"), an allegation noun with its content ("rejected
  the claims that ...", "dismissed reports of X as absurd"), or for "deny" an involvement ("denied any
  role in ..."). A thing as object ("rejected the veto", "denied them entry", "dismissed the lawsuit")
  is an act: no denial, and told in the outlet's own words the sentence may be an outlet sentence.
* **The outlet's own sentences**: sentences outside every quote, reporting frame and rejection of a
  proposition, kept when the check-worthiness model (:mod:`storyline.nlp.checkworthy`) scores them at
  or above its threshold and they are statements. Hedged sentences ("alleged", "reportedly") are the
  outlet reporting, not asserting.

Stances
-------
``denies`` when the quote is a denial (a rejecting cue, negated content); ``disputes`` when the
holder challenges it without denying (:data:`DISPUTE_WORDS`: "baseless", "absurd", "no evidence",
or a challenging cue such as "questioned"); ``reports`` for other attributed units and hedged outlet
sentences; ``asserts`` for the outlet's own check-worthy sentences. Within one claim a ``denies`` by
a holder the claim also ``reports`` is that holder's own (negative) statement and becomes ``reports``;
a denial only by negated content under a neutral cue ("said it would not ...") stays one only when
another holder states the claim affirmatively, else it is the holder's negative statement, reported,
in its own words (:func:`_settle`).

Grouping
--------
Each unit's *proposition* is its content with negation, denial and wrapper words neutralised
(:func:`proposition`): "X tried to interfere in the vote" and "X denied interfering in the vote"
both read as "X ... interfere in the vote". A rejection whose content has no clause of its own
("denied any involvement") takes the holder as the actor. Propositions are embedded with the shared
MiniLM encoder; two units' similarity is the cosine of their vectors plus :data:`ENTITY_BONUS` when
their names agree (a capitalised word in common, a demonym and its country, an acronym and its
spelled-out name) or minus :data:`ENTITY_PENALTY` when both name actors and none agree.
Average-linkage agglomerative clustering at :data:`CLAIM_THRESHOLD` gives the canonical claims. A
denial or dispute stays in a claim only when it is about it (:func:`about`: content words in common
with the claim's affirmative units); the others are grouped apart.

Per claim: ``text`` is the affirmative unit closest to the others (the medoid; a claim known only
from denials or disputes is worded as the first sentence of what they reject), ``holder`` the most
frequent named holder among its reports, and one stance per article and stance kind (the unit most
similar to the claim is its evidence). A claim is kept when it spans two articles or more, holds a
denial or dispute, or is check-worthy: an outlet sentence by its own score, a holder's statement by
the highest score of the sentences it overlaps. Its wording takes the holder's name for an opening
"he", "she" or "it" that stands for the holder (:func:`_worded`).
"""

from __future__ import annotations

import logging
import re
from collections import Counter, OrderedDict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from storyline.model import Article, Claim, ClaimStance, Quote, StanceKind, content_id
from storyline.nlp.attribution import relay_cue
from storyline.nlp.frames import points_back
from storyline.nlp.lexicon import NOUN_CUES
from storyline.nlp.mentions import PERSON_NOUNS as _PERSON_WORDS
from storyline.nlp.parse import PARA_BREAK
from storyline.nlp.quotes import cue_negated
from storyline.text import FUNCTION_WORDS, split_sentences

if TYPE_CHECKING:  # pragma: no cover
    from storyline.embed import TextVectorCache

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
_NO_EVIDENCE = re.compile(r"^\s*there\s+(?:is|was|has\s+been|had\s+been)\s+(?:no|little|not\s+any)\s+"
                          r"(?:evidence|proof|sign|indication)\s+(?:that|of)\s+", _I)
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


# --- syntax: statements and what a rejecting verb rejects -----------------------------------------

#: Nouns that name a proposition someone put forward; a rejecting verb whose object is one of them with
#: its content ("rejected the claims that ...", "dismissed reports of ... as absurd") denies that content.
ALLEGATION_NOUNS = frozenset("""
claim assertion allegation accusation insistence suggestion warning concern fear belief view argument
complaint statement prediction contention charge assurance insinuation notion report rumour rumor story
account characterization characterisation idea theory speculation premise narrative finding conclusion
assessment implication impression perception
""".split())
#: Nouns by which a holder denies having done something ("denied any involvement in ...").
INVOLVEMENT_NOUNS = frozenset("""
involvement role part wrongdoing responsibility knowledge link tie connection complicity participation
contact interference meddling collusion guilt intent intention wrong misconduct liability culpability
relationship hand affiliation association
""".split())
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
_QUESTION_LEAD = re.compile(r"^\s*(whether|if|how|why)\b", _I)
_NEGATIVE = re.compile(r"\b(not|never|no|neither|nor|none|nobody|nothing|cannot)\b|n[’']t\b", _I)

#: Parse summaries already computed in this process (a storyline's units recur at every regrouping).
_SYNTAX_CACHE: "OrderedDict[tuple[str, str, int], Any]" = OrderedDict()
_SYNTAX_CACHE_MAX = 50_000
_NO_PARSER: list[bool] = []


def _parse_all(texts: Sequence[str]) -> list[Any] | None:
    """spaCy docs of ``texts`` (tagger and parser only), or ``None`` when no parser is installed."""
    if _NO_PARSER:
        return None
    try:
        from storyline.nlp.parse import get_nlp, parse_texts

        nlp = get_nlp()
    except Exception as exc:  # noqa: BLE001 - without a parser every unit is kept as before
        LOGGER.warning("no parser for claim syntax (%s): fragments are not filtered", exc)
        _NO_PARSER.append(True)
        return None
    return parse_texts(texts, disable=[n for n in nlp.pipe_names if n.endswith("ner")])


def _cached(kind: str, items: Sequence[tuple[str, int]], compute: Any) -> list[Any]:
    """``compute(doc, offset)`` for each (text, offset), parsing the uncached texts in one batch."""
    keys = [(kind, t, o) for t, o in items]
    todo = sorted({k[1] for k in keys if k not in _SYNTAX_CACHE})
    if todo:
        docs = _parse_all(todo)
        by_text = dict(zip(todo, docs)) if docs is not None else {}
        for k in keys:
            if k not in _SYNTAX_CACHE:
                doc = by_text.get(k[1])
                _SYNTAX_CACHE[k] = compute(doc, k[2])
        while len(_SYNTAX_CACHE) > _SYNTAX_CACHE_MAX:
            _SYNTAX_CACHE.popitem(last=False)
    out = []
    for k in keys:
        _SYNTAX_CACHE.move_to_end(k)
        out.append(_SYNTAX_CACHE[k])
    return out


def _finite_clause(tok: Any) -> bool:
    """A verb with a subject that is finite itself or through an auxiliary ("was seeking")."""
    if not any(c.dep_ in _SUBJECTS for c in tok.children):
        return False
    return tok.tag_ in _FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS
                                           for c in tok.children)


def _statement_of(doc: Any, _offset: int) -> bool:
    if doc is None:
        return True
    return any(_finite_clause(s.root) for s in doc.sents)


#: A finite auxiliary, modal or reporting verb: a whole sentence that has one is taken as a statement
#: without a parse (a fragment from a bad sentence split rarely has one).
_FINITE_WORD = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|"
                          r"does|did|do|says|said)\b|n[’']t\b", _I)


def statements(texts: Sequence[str], *, sentences: bool = False) -> list[bool]:
    """Whether each text is a statement: a clause with a subject and a finite verb ("the board rigged
    the tender", "he was seeking guidance"), not a fragment ("Smith's concerns", "to override the veto",
    "subpoenas to the two groups") nor an indirect question ("whether the law allows it"). A leading
    "that" is read past. Without an installed parser every text counts as a statement. With
    ``sentences`` (whole sentences of an article, not quote contents) one with a finite auxiliary or
    modal verb is taken as a statement unparsed."""
    out: list[bool | None] = []
    need: list[tuple[str, int]] = []
    for t in texts:
        body = _LEAD_THAT.sub("", t, count=1) if re.match(r"\s*that\b", t, _I) else t
        if _QUESTION_LEAD.match(body) or len(body.split()) < 2:
            out.append(False)
        elif sentences and _FINITE_WORD.search(body):
            out.append(True)
        else:
            out.append(None)
            need.append((body.strip(), 0))
    got = iter(_cached("statement", need, _statement_of))
    return [next(got) if v is None else v for v in out]


#: Determiners by which an allegation noun points back to one the article stated ("the report").
_ANAPHORIC_DETS = frozenset({"the", "this", "these", "that", "those", "such"})
#: How far before an anaphoric rejection ("denied the report") the allegation it rejects may end.
ANAPHOR_REACH = 700


def _object_kind(tok: Any, deny: bool) -> str | None:
    """What a rejecting verb's object ``tok`` makes of the rejection (see :func:`rejection_kinds`)."""
    if tok.tag_ == "VBG":
        return "gerund"
    lemma = tok.lemma_.lower()
    if points_back(tok):
        return "anaphor"  # "The club denied that, saying ...", "disputed this": what was just stated
    if tok.pos_ == "PRON":
        return None
    if lemma in ALLEGATION_NOUNS or tok.lower_.rstrip("s") in ALLEGATION_NOUNS:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "about", "over", "regarding", "concerning", "that") \
                    and any(g.dep_ in ("pobj", "pcomp") for g in c.children):
                return "allegation"
            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                return "allegation"
            if c.dep_ in ("acl", "ccomp") and c.tag_ == "VBG":
                return "allegation"
        if any(c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in tok.children):
            return "anaphor"  # "denied the report", "rejected these allegations": one stated before
        return None  # "rejected claims": what was claimed is elsewhere
    if deny and (lemma in INVOLVEMENT_NOUNS
                 or any(c.dep_ == "det" and c.lower_ in ("any", "all") for c in tok.children)):
        return "involvement"
    return None


def _rejection_of(doc: Any, offset: int) -> str | None:
    if doc is None:
        return "clause"
    tok = next((t for t in doc if t.idx <= offset < t.idx + max(1, len(t.text))), None)
    if tok is None:
        return None
    lemma = tok.lemma_.lower()
    deny = lemma in ("deny", "denial")
    challenge = lemma in ("question", "doubt", "challenge", "dispute", "contest")
    obj = None
    clauses = []
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "pcomp") and c.pos_ in ("VERB", "AUX"):
            clauses.append(c)
        elif c.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and obj is None:
            obj = c
        elif c.dep_ == "prep" and c.lower_ in ("of", "that") and obj is None:  # "his denial of wrongdoing"
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
    for c in clauses:
        if c.i < tok.i:
            continue
        marks = {g.lower_ for g in c.children if g.dep_ == "mark"}
        if marks & {"whether", "if"}:
            # "questioned whether ..." challenges it; "would not confirm or deny whether ..." neither
            return "clause" if challenge else None
        subj = next((g for g in c.children if g.dep_ in _SUBJECTS), None)
        if c.tag_ == "VBG" and subj is None:
            return "gerund"
        if "that" in marks or deny or challenge or subj is None:
            return "clause"
        # "rejected the veto of a bill letting families sue": only "deny" takes a clause without
        # "that"; this is the object, read by the parser as the subject of a clause
        return _object_kind(subj, deny)
    if obj is not None:
        return _object_kind(obj, deny)
    if any(c.i < tok.i for c in clauses):  # "'We never did,' she denied"
        return "clause"
    return None


def rejection_kinds(items: Sequence[tuple[str, int]]) -> list[str | None]:
    """What each rejecting verb rejects, given its sentence and the verb's offset in it.

    ``"clause"`` ("denied that ..."), ``"gerund"`` ("denied interfering in ..."), ``"allegation"`` (an
    allegation noun with its content: "rejected the claims that ...", "dismissed reports of ... as
    absurd"), ``"involvement"`` ("denied any role in ..."): a denial of a proposition; ``"anaphor"``:
    an allegation named by a determiner without its content ("denied the report", "rejected these
    allegations"), one the article stated before. ``None`` when the object is a thing ("rejected the
    veto", "denied them entry", "dismissed the lawsuit"), an allegation with neither content nor
    determiner ("denied allegations"), a pronoun, or an open question ("declined to confirm or deny
    whether ..."): an act, or a denial of something this sentence does not state.
    Without an installed parser every rejection counts as a clause."""
    return _cached("rejection", items, _rejection_of)


def negative(text: str) -> bool:
    """Whether ``text`` carries a negation word."""
    return bool(_NEGATIVE.search(text))


#: Words that say nothing about what a claim is about: function words, reporting verbs, titles, numbers.
_STOP = FUNCTION_WORDS | frozenset("""
according although am because cannot doing first having hers last more most mr mrs ms never new nor
one only onto other others said say saying says since tell theirs though told two under unless until
whether while
""".split())
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _stems(text: str) -> set[str]:
    out = set()
    for w in _WORDS.findall(text):
        w = _norm_name(w)
        if len(w) >= 3 and w not in _STOP:
            out.add(w[:6])
    return out


def about(rejection: str, claim_texts: Sequence[str]) -> bool:
    """Whether a rejection's proposition overlaps the content of a claim's affirmative texts: at least
    two content words in common (a word and its derivation count: "interfering", "interference"),
    or all of them when it has fewer."""
    mine = _stems(rejection)
    if not mine:
        return False
    theirs: set[str] = set()
    for t in claim_texts:
        theirs |= _stems(t)
    shared = sum(1 for w in mine if w in theirs or any(_same_name(w, x) for x in theirs))
    return shared >= min(2, len(mine))


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
    probe: str = ""  # what about() matches a rejection by: the proposition with no pronoun replaced
    person: bool | None = None  # whether the holder is a person (None: unknown)
    negated: bool = False  # a denial only by its negated content ("said it would not ..."), no rejecting cue
    vector: np.ndarray | None = None  # a cached vector of the unit's sentence (outlet units), reused for grouping


def _clean(s: str) -> str:
    """``s`` on one line without punctuation or quotation marks at its ends; a double mark that
    closes a quotation opened inside stays ('the decision was “the bank's call to make”')."""
    s = _WS.sub(" ", s).strip(" ,;:–—-‘’'")
    while len(s) > 1:
        curly, straight = s.count("“") + s.count("”"), s.count('"')
        if (s[0], s[-1]) in (("“", "”"), ('"', '"')) and curly + straight == 2:
            s = s[1:-1]  # wholly quoted
        elif (s[-1] == "”" and s.count("”") > s.count("“")) or (s[-1] == '"' and straight % 2):
            s = s[:-1]  # a closing mark whose opening one was cut off
        elif (s[0] == "“" and s.count("“") > s.count("”")) or (s[0] == '"' and straight % 2):
            s = s[1:]
        else:
            break
        s = s.strip(" ,;:–—-‘’'")
    return s


def proposition(content: str, holder: str | None = None, *, rejecting: bool = False,
                self_subject: bool = True, person: bool | None = None) -> str:
    """The content with negation, denial and wrapper words removed (see module docstring).

    With ``rejecting``, content that is not a clause of its own ("any involvement in the vote") gets
    the holder as its actor; with ``self_subject``, a subject pronoun opening the content that stands
    for the holder ("it has not paid") is replaced by the holder. ``person`` says whether the holder
    is a person (True), an organisation or a thing (False) or unknown (None): "it" never stands for a
    person, "he" or "she" never for an organisation.
    """
    s = _NO_EVIDENCE.sub("", content, count=1)  # "there is no evidence that X": X is what is disputed
    alleged = _NEUTRAL[0].search(s)
    if alleged is not None and alleged.end() < len(s):
        # "the US for making baseless accusations about X": what is in dispute is X ("... claims that
        # X" keeps its "that": X is a clause)
        s = s[alleged.start(3) if alleged.group(3).lower() == "that" else alleged.end():]
    clause = bool(_LEAD_THAT.match(s))
    s = _LEAD_THAT.sub("", s)
    for rx in _NEUTRAL:
        s = rx.sub(" ", s)
    s = _clean(s)
    if rejecting and not clause and holder:
        s = f"{holder} {s}"
    elif holder and self_subject and _SELF_SUBJECT.match(s) and _stands_for(s, person):
        # "X said that it has not paid any ransom": the claim is about X, as others state it
        s = _SELF_SUBJECT.sub(holder + " ", s, count=1)
    return s


#: A subject pronoun opening a holder's statement that stands for the holder ("it has not paid", "we
#: never did"); not an "it" that stands for nothing ("it is clear that ...").
_IT_SUBJECT = (r"it\s+(?!(?:is|was|'s|’s|seems|seemed|appears|appeared|remains|would be|will be|has been|had been|"
                 r"may be|might be|could be)\b)")
_SELF_SUBJECT = re.compile(rf"^(?:(?:he|she|they|we|i)\s+|{_IT_SUBJECT})", re.IGNORECASE)
#: The same pronouns where the holder's name reads in their place, verb unchanged ("he has" -> "Smith
#: has"; not "we", "they" or "I": "we are", and "they" may be others the holder speaks for).
_THIRD_SELF = re.compile(rf"^(?:(?:he|she)\s+|{_IT_SUBJECT})", re.IGNORECASE)
_THIRD_WILL = re.compile(r"^(?:he|she|it)['’]ll\s+", re.IGNORECASE)


def _stands_for(text: str, person: bool | None) -> bool:
    """Whether the pronoun opening ``text`` may stand for a holder that is a person (``person``
    True), not one (False) or either (None)."""
    word = text.split(maxsplit=1)[0].lower().split("'")[0].split("’")[0] if text.strip() else ""
    return not ((word == "it" and person is True) or (word in ("he", "she") and person is False))


def _holder_is_person(q: Quote, holder: str | None) -> bool | None:
    """Whether a quote's holder is a person: its recognised type, else the noun of its description
    ("the study's lead author" is one, "the ministry" is not), else unknown."""
    if q.speaker_type == "PERSON":
        return True
    if q.speaker_type in ("ORG", "GPE", "NORP"):
        return False
    words = re.findall(r"[a-z]+", (holder or "").lower())
    if words and (words[-1] in _PERSON_WORDS or words[-1].rstrip("s") in _PERSON_WORDS):
        return True
    return None


def _worded(text: str, holder: str | None, person: bool | None = None) -> str:
    """A claim's wording: its text with an opening "he", "she" or "it" that stands for the holder
    replaced by the holder's name ("it would hand out filters" -> "the Water Authority would ...")."""
    if not holder or not _stands_for(text, person):
        return text
    if _THIRD_WILL.match(text):  # "she'll borrow" -> "Jane Smith will borrow"
        return _THIRD_WILL.sub(holder + " will ", text, count=1)
    if not _THIRD_SELF.match(text):
        return text
    return _THIRD_SELF.sub(holder + " ", text, count=1)


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


#: Words after a cue's verb that are no verb ("called for", "pushed back against").
_CUE_PARTICLES = frozenset({"about", "against", "as", "at", "back", "by", "down", "for", "from", "in", "into",
                            "of", "off", "on", "out", "over", "to", "up", "with"})


def _cue_verb(q: Quote) -> tuple[str, int | None]:
    """A cue's verb and its offset: the last word that is no preposition or particle ("has flatly
    denied" -> "denied", "has called for" -> "called")."""
    cue = q.cue or ""
    if not cue.strip() or q.cue_start is None:
        return cue.strip().lower(), q.cue_start
    words = [(m.group().lower(), m.start()) for m in re.finditer(r"\S+", cue)]
    word, at = next((w for w in reversed(words) if w[0] not in _CUE_PARTICLES), words[-1])
    return word, q.cue_start + at


def _quote_stance(q: Quote, verb: str) -> StanceKind:
    """A quote's stance from its denial flag, its cue's verb (:func:`_cue_verb`) and its words."""
    if q.denial or _DENY_CUES.match(verb):
        return "denies"
    if _CHALLENGE_CUES.match(verb) or DISPUTE_WORDS.search(q.text):
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


#: A relative or interrogative pronoun right before a speaker: "the sanctions, which she said the allies
#: could impose", "what he said they wanted": the reported clause lacks the noun the pronoun stands for.
_GAP_BEFORE_SPEAKER = re.compile(r"\b(?:which|whom|what)\s+$", _I)
_GAP_OPENING = re.compile(r"(?:which|whom|what|that|who)\s", _I)


def _gapped(text: str, q: Quote) -> bool:
    """Whether a quote's content is a clause with a gap ("the allies could impose" in "sanctions, which
    she said the allies could impose"): its speaker follows a relative pronoun and precedes the cue,
    which precedes the content."""
    sp, cue = q.speaker_start, q.cue_start
    if sp is None or cue is None or not sp <= cue:
        return False
    if q.start <= sp and cue < q.end:  # the relative clause whole, as PolNeAR marks it: "which he said would ..."
        return _GAP_OPENING.match(q.text) is not None
    return cue < q.start and _GAP_BEFORE_SPEAKER.search(text, max(0, sp - 12), sp) is not None


def _role_name(q: Quote) -> str | None:
    # a quote whose source is no speaker ("concerns grew that ...") has no holder either
    return q.speaker


def _sentence_of(spans: Sequence[tuple[int, int]], off: int) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= off < e:
            return s, e
    return None


def _missed_denials(article: Article, spans: Sequence[tuple[int, int]],
                    covered: list[tuple[int, int]]) -> tuple[list[ClaimUnit], list[tuple[int, int]]]:
    """Sentences with a rejecting verb that no quote covers: holder before the verb, object after.

    Only a rejection of a proposition counts (:func:`rejection_kinds`); the second list holds the
    sentences with one, denial unit or not (no outlet sentence either)."""
    text = article.text
    cands: list[tuple[int, int, re.Match[str]]] = []
    for s, e in spans:
        for m in DENY_FORMS.finditer(text[s:e]):
            vs = s + m.start()
            if any(a <= vs < b for a, b in covered) or cue_negated(text, vs):
                continue
            cands.append((s, e, m))
    kinds = rejection_kinds([(text[s:e], m.start()) for s, e, m in cands])
    out: list[ClaimUnit] = []
    rejecting: list[tuple[int, int]] = []
    for (s, e, m), kind in zip(cands, kinds):
        if kind is None:  # "rejected the veto": an act, not a denial
            continue
        rejecting.append((s, e))
        if kind == "anaphor":  # "X denied the report" with no quote to take the holder from
            continue
        sent = text[s:e]
        # the clause before the verb: from the last comma or sentence start
        before = sent[:m.start()]
        cut = max(before.rfind(","), before.rfind(";"))
        head = before[cut + 1:]
        names = [w for w in _CAPWORD.finditer(head) if _norm_name(w.group(0)) not in _NOT_NAMES]
        if not names:
            continue
        # the name run ending nearest the verb
        last = names[-1]
        first = last
        for w in reversed(names[:-1]):
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
        cs = s + m.end() + after.find(content[:10]) if content else s + m.end()
        out.append(ClaimUnit(
            article_id=article.id, start=s + cut + 1 + first.start(), end=min(e, cs + len(content)),
            text=content, proposition=proposition(content, holder, rejecting=True), stance="denies",
            holder=holder))
    return out, rejecting


#: Cues whose act rejects or challenges what follows: their object decides whether they deny anything.
_REJECTING_CUES = re.compile(r"^(den|reject|dismiss|refut|rebuff|repudiat|disavow|rebut|contradict|deride|"
                             r"decr|denounc|question|challeng|disput|doubt|contest|cast doubt)", _I)
#: An allegation noun with its content ("the claim that wages fell", "reports of a leak").
_ALLEGATION_CONTENT = re.compile(r"\b(" + "|".join(sorted(ALLEGATION_NOUNS)) + r")s?\s+(that|of|about)\s+\w+", _I)
_DETS = "|".join(sorted(_ANAPHORIC_DETS))
_JUDGED = r"(?:" + "|".join(sorted(ALLEGATION_NOUNS)) + r")s?\s+(?:is|was|are|were)\b"  # "claim was"
#: An allegation named by a determiner and judged ("the claim was false", "claim is"): it points back.
_ALLEGATION_VERDICT = re.compile(r"^(?:that\s+)?(?:(?:" + _DETS + r")\s+)?" + _JUDGED, _I)
#: The same verdict opening a later sentence of a quotation ("... never will. The claim is false").
_LATER_VERDICT = re.compile(r"[.!?]\s+(?:" + "|".join(d.capitalize() for d in sorted(_ANAPHORIC_DETS)) + r")\s+"
                            + _JUDGED)
#: A proposition noun followed by its that-clause ("his insistence that ..."): the clause is the content.
_NOUN_THAT = re.compile(r"^[^,;:]{0,60}?\b(" + "|".join(sorted(ALLEGATION_NOUNS | NOUN_CUES)) + r")s?\s+that\s+", _I)


def _sentence_at(spans: Sequence[tuple[int, int]], text: str, off: int, end: int) -> tuple[int, int]:
    got = _sentence_of(spans, off)
    return got if got is not None else (off, max(off + 1, end))


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
        spans = split_sentences(text)
    covered: list[tuple[int, int]] = []
    # (quote, stance, content, start, end, rejecting cue)
    cands: list[tuple[Quote, StanceKind, str, int, int, bool]] = []
    short_rejections: list[tuple[Quote, StanceKind]] = []
    verdicts: list[tuple[Quote, StanceKind]] = []
    for q in quotes:
        if q.article_id != article.id:
            continue
        lo = min(q.start, q.speaker_start if q.speaker_start is not None else q.start,
                 q.cue_start if q.cue_start is not None else q.start)
        hi = max(q.end, q.speaker_end or q.end, q.cue_end or q.end)
        verb, verb_start = _cue_verb(q)
        if cue_negated(text, verb_start):  # "did not say", "never denied": no stance either way
            covered.append((lo, hi))
            continue
        if _gapped(text, q):  # "sanctions, which she said the allies could impose": no whole statement
            covered.append((lo, hi))
            continue
        stance = _quote_stance(q, verb)
        rejecting_cue = bool(verb and verb_start is not None and _REJECTING_CUES.match(verb))
        content, s, e = q.text, q.start, q.end
        if len(q.text.split()) <= SHORT_FRAGMENT:
            if stance == "reports":
                covered.append((lo, hi))
                continue
            obj = _cue_object(text, q)
            if obj is None:
                covered.append((lo, hi))
                if rejecting_cue:
                    short_rejections.append((q, stance))  # "denied the report": maybe one stated before
                continue
            s, e = obj
            content = text[s:e]
            s = min(s, q.start)
            e = max(e, q.end)
        if stance in ("denies", "disputes") and _ALLEGATION_VERDICT.match(content):
            # 'said the claim was "simply false"': the claim is one stated before
            covered.append((lo, hi))
            verdicts.append((q, stance))
            continue
        if stance in ("denies", "disputes") and _LATER_VERDICT.search(content):
            verdicts.append((q, stance))  # '"We never did. The claim is false," she said': that too
        cands.append((q, stance, content, s, e, rejecting_cue))
        if not rejecting_cue:
            covered.append((lo, hi))
    # a rejecting cue denies or disputes only a proposition: "rejected the veto" is an act
    rej = [c for c in cands if c[5]]
    rej_quotes = [c[0] for c in rej] + [q for q, _ in short_rejections]
    kinds = rejection_kinds([(text[a:b], _cue_verb(q)[1] - a)  # type: ignore[operator]
                             for q in rej_quotes for a, b in [_sentence_at(spans, text, q.cue_start, q.end)]])  # type: ignore[arg-type]
    kind_of = {id(c[0]): k for c, k in zip(rej, kinds)}
    anaphors = verdicts + [x for x, k in zip(short_rejections, kinds[len(rej):]) if k == "anaphor"]
    for q, *_rest, rejecting_cue in cands:
        # an act ("rejected the veto") told in the outlet's words is the outlet's own sentence; with
        # quoted words ("dismissed the concerns as "weak"") it stays the holder's
        if rejecting_cue and (kind_of[id(q)] is not None or q.kind != "indirect"):
            lo = min(q.start, q.speaker_start if q.speaker_start is not None else q.start, q.cue_start or q.start)
            covered.append((lo, max(q.end, q.speaker_end or q.end, q.cue_end or q.end)))
    # everything else must be a statement (or an allegation with its content, when disputed)
    plain = [c for c in cands if not c[5]]
    is_stmt = dict(zip((id(c[0]) for c in plain), statements([c[2] for c in plain])))
    units: list[ClaimUnit] = []
    for q, stance, content, s, e, rejecting_cue in cands:
        negated = False
        if rejecting_cue:
            if kind_of[id(q)] is None:
                continue
            if kind_of[id(q)] == "anaphor":
                anaphors.append((q, stance))
                continue
        elif not is_stmt[id(q)]:
            m = _NOUN_THAT.match(content)
            if stance == "disputes" and _ALLEGATION_CONTENT.search(content):
                pass
            elif m and statements([content[m.end():]])[0]:  # "his insistence that X": X
                content = content[m.end():]
                at = text.find(content[:20], s, e)
                s = at if at >= 0 else s
            else:
                continue
        elif stance == "denies":  # negated content under a neutral cue ("said it would not ...")
            negated = True
        holder = _role_name(q)
        rejecting = stance in ("denies", "disputes")
        person = _holder_is_person(q, holder)
        prop = proposition(content, holder, rejecting=rejecting and not negated, person=person)
        if len(prop.split()) < MIN_WORDS:
            continue
        # "he had known about X" denied by Smith is matched by what it says of X: Smith's name, put in
        # for the pronoun, is in everything Smith says
        probe = proposition(content, holder, rejecting=rejecting and not negated, self_subject=False)
        units.append(ClaimUnit(
            article_id=article.id, start=s, end=e, text=_clean(_LEAD_THAT.sub("", content)), proposition=prop,
            stance=stance, holder=holder, holder_role=q.speaker_role, quote_id=q.id, negated=negated,
            probe=probe, person=person))
    # a report inside another holder's reported words ("X said the data was sold three days before
    # Norvik said it found the breach") is X's account, not a statement of its own; but what an
    # outlet relays ('"...," Y said, according to X') is Y's statement, and the relay is none
    relay_ids = {q.id for q in quotes if q.article_id == article.id and relay_cue(q.cue)}

    def nested(u: ClaimUnit, o: ClaimUnit) -> bool:
        return o is not u and o.holder != u.holder and o.start <= u.start and u.end <= o.end \
            and (o.start, o.end) != (u.start, u.end)

    units = [u for u in units if not any(nested(u, o) and o.quote_id not in relay_ids for o in units)
             and not (u.quote_id in relay_ids and any(nested(i, u) for i in units))]
    missed, rejecting_sents = _missed_denials(article, spans, covered)
    units.extend(missed)
    if checkworthy is not None and spans:
        # score every sentence in text order (the scorer reads neighbours as context): the outlet's own
        # sentences are kept by their score, a holder's statement is check-worthy by its sentences'
        vecs = sentence_vectors if sentence_vectors is not None and len(sentence_vectors) == len(spans) else None
        scores = checkworthy.score([text[s:e] for s, e in spans], vecs)
        for u in units:
            inside = [float(scores[i]) for i, (s, e) in enumerate(spans) if s < u.end and u.start < e]
            u.score = round(max(inside), 4) if inside else None
        units.extend(_outlet_units(article, spans, covered + rejecting_sents, scores, float(checkworthy.threshold),
                                   vecs))
    units.extend(_anaphoric_denials(text, anaphors, units))
    for u in units:
        u.names = names_in(u.probe or u.proposition)  # (not the holder put in for "I" or "it": every one of their statements would agree)
        u.affirmative = proposition(u.text)
    units.sort(key=lambda u: (u.start, u.end, u.stance))
    return units


def _first_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[0][0]:spans[0][1]].strip() if spans else text


def _anaphoric_denials(text: str, anaphors: Sequence[tuple[Quote, StanceKind]],
                       units: Sequence[ClaimUnit]) -> list[ClaimUnit]:
    """"According to X, the minister urged a delay. X said he raised it on May 9. The ministry denied
    the report.": a rejection of an allegation named by a determiner ("denied the report", "said the
    claim was false") rejects the statements another holder is reported to make before it, in its own
    paragraph and the one before, within :data:`ANAPHOR_REACH` characters."""
    out = []
    for q, stance in anaphors:
        at = min(x for x in (q.start, q.speaker_start, q.cue_start) if x is not None)
        near = [u for u in units if u.end <= at + 1 and at - u.end <= ANAPHOR_REACH and u.stance == "reports"
                and not u.negated and not (u.holder is not None and u.holder == q.speaker)
                and len(PARA_BREAK.findall(text, u.end, at)) <= 1]
        # what it points back to is in its own paragraph when a report is there ("A researcher said
        # X. Norvik disputed that account": not what the regulator said the paragraph before)
        same = [u for u in near if not PARA_BREAK.search(text, u.end, at)]
        for u in same or near:
            out.append(ClaimUnit(article_id=u.article_id, start=at, end=max(q.end, q.cue_end or q.end), text=u.text,
                                 proposition=u.proposition, stance=stance, holder=_role_name(q),
                                 holder_role=q.speaker_role, quote_id=q.id))
    return out


def _outlet_units(article: Article, spans: Sequence[tuple[int, int]], covered: list[tuple[int, int]],
                  all_scores: np.ndarray, cut: float, vectors: np.ndarray | None) -> list[ClaimUnit]:
    """Check-worthy sentences in the outlet's own voice that are statements (not fragments):
    ``all_scores`` has one check-worthiness score per span, ``cut`` is the threshold, ``vectors`` the
    spans' cached sentence vectors or ``None``."""
    text = article.text
    keep: list[int] = []
    for i, (s, e) in enumerate(spans):
        sent = text[s:e]
        if any(a < e and s < b for a, b in covered) or _REPORTING.search(sent):
            continue
        if len(sent.split()) < 6 or sent.rstrip().endswith("?"):
            continue
        keep.append(i)
    keep = [i for i in keep if all_scores[i] >= cut]
    if not keep:
        return []
    texts = [text[spans[i][0]:spans[i][1]] for i in keep]
    out: list[ClaimUnit] = []
    for i, t, ok in zip(keep, texts, statements(texts, sentences=True)):
        if not ok:
            continue
        s, e = spans[i]
        p = all_scores[i]
        hedged = bool(HEDGES.search(t))
        out.append(ClaimUnit(article_id=article.id, start=s, end=e, text=_clean(t), proposition=proposition(t),
                             stance="reports" if hedged else "asserts", score=float(round(p, 4)),
                             vector=None if vectors is None else np.asarray(vectors[i], dtype=np.float32)))
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


def proposition_vectors(encoder: Any, props: Sequence[str], cache: "TextVectorCache | None" = None) -> dict[str, np.ndarray]:
    """Vectors of ``props``, embedding in one call only those found neither in this process's cache nor
    in ``cache`` (a :class:`~storyline.embed.TextVectorCache` such as the store, which keeps them across
    runs); the new ones are written to both."""
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
    stored = cache.get_text_vectors(missing, name) if cache is not None and missing else {}
    fresh = [p for p in missing if p not in stored]
    new = dict(zip(fresh, np.asarray(encoder.encode(fresh), dtype=np.float32))) if fresh else {}
    if new and cache is not None:
        cache.put_text_vectors(new, name)
    for p in missing:
        v = stored[p] if p in stored else new[p]
        out[p] = v
        _PROP_CACHE[(name, p)] = v
    while len(_PROP_CACHE) > _PROP_CACHE_MAX:
        _PROP_CACHE.popitem(last=False)
    return out


def _settle(mem: list[ClaimUnit]) -> list[ClaimUnit]:
    """The stances of one claim's units, read against each other.

    A holder does not deny what the claim reports them saying: one outlet's version of their own
    negative statement ("X cannot solve Y", read as negated content) is that statement, reported. A
    negative statement under a neutral cue ("said it would not ...") denies the claim only when someone
    else states it affirmatively; otherwise it is a statement of its own, reported."""
    own = {u.holder for u in mem if u.stance == "reports" and u.holder}
    out = [replace(u, stance="reports") if u.stance == "denies" and u.holder in own else u for u in mem]
    for k, u in enumerate(out):
        if u.stance == "denies" and u.negated and not any(
                v.stance in ("asserts", "reports") and not v.negated and v.holder != u.holder
                and not negative(v.text) for v in out):
            out[k] = replace(u, stance="reports")
    return out


def group_claims(
    units: Sequence[ClaimUnit],
    encoder: Any,
    *,
    scope: str | None = None,
    threshold: float = CLAIM_THRESHOLD,
    checkworthy_threshold: float | None = None,
    vector_cache: "TextVectorCache | None" = None,
) -> list[Claim]:
    """Canonical claims over the units of several articles (see module docstring), in a fixed order:
    most articles first, then first evidence."""
    units = list(units)
    if not units:
        return []
    # outlet sentences reuse their cached sentence vector (their proposition is the sentence, with at
    # most a negation word dropped); every other proposition is embedded once
    props = sorted({u.proposition for u in units if u.vector is None})
    known = proposition_vectors(encoder, props, vector_cache)
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
    orig = list(units)
    groups = list(_cluster(nsim, threshold, weights))
    while groups:
        nodes = groups.pop(0)
        while True:
            members = [int(i) for i in np.flatnonzero(np.isin(node, nodes))]
            raw = [orig[i] for i in members]
            mem = _settle(raw)
            # a rejection belongs to the claim only when it is about it (content words in common);
            # one by a holder the claim also reports is judged before _settle reads it as their own
            # statement ("denied that he had known about X" is not about "he was stepping down")
            affirm = [u.text for u, r in zip(mem, raw) if u.stance in ("asserts", "reports")
                      and not (r.stance == "denies" and not r.negated)]
            off = sorted({int(node[i]) for i, u, r in zip(members, mem, raw) if affirm
                          and (u.stance in ("denies", "disputes") or (r.stance == "denies" and not r.negated))
                          and not about(r.probe or r.proposition, affirm)})
            if not off:
                break
            nodes = [n for n in nodes if n not in off]
            groups.extend([off[k] for k in g] for g in _cluster(nsim[np.ix_(off, off)], threshold, weights[off]))
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
        if rep_u.stance in ("asserts", "reports"):
            text = _worded(rep_u.text, rep_u.holder, rep_u.person)
        else:  # what is rejected, stated affirmatively: its first sentence ("The claim is false" after it
            # is the rejection, not the claim)
            text = _worded(_first_sentence(rep_u.affirmative or rep_u.proposition), rep_u.holder, rep_u.person)
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
    """Claims for groups of articles. No store I/O of its own: ``vector_cache`` (a
    :class:`~storyline.embed.TextVectorCache`; the pipeline passes the store) keeps proposition vectors
    across runs, so regrouping a storyline embeds only the propositions it has not seen.

    ``process(articles, quotes, scope_of, sentence_vectors=None)``: ``scope_of`` maps article id to the
    story (or storyline) whose articles are compared together; articles missing from it form a scope of
    their own. Returns the claims of every scope, scopes in sorted order.
    """

    def __init__(self, encoder: Any | None = None, *, checkworthy: Any | None | bool = True,
                 vector_cache: "TextVectorCache | None" = None) -> None:
        self._encoder = encoder
        self.vector_cache = vector_cache
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
            claims.extend(group_claims(by_scope[scope], self.encoder, scope=scope, checkworthy_threshold=cut,
                                       vector_cache=self.vector_cache))
        LOGGER.info("claims: %d units in %d articles -> %d claims", len(units), len(articles), len(claims))
        return claims


def rank_claims(claims: Sequence["Claim"], members: Collection[str]) -> list["Claim"]:
    """The claims that touch ``members`` (a story's articles), most widely carried there first, then
    most widely carried overall, then in the order of the text (article id, then offset; the order of
    `storyline claims` and the web matrix)."""
    member = set(members)
    out = [c for c in claims if any(s.article_id in member for s in c.stances)]
    out.sort(key=lambda c: (-len({s.article_id for s in c.stances if s.article_id in member}),
                            -len({s.article_id for s in c.stances}),
                            min((s.article_id, s.start) for s in c.stances if s.article_id in member), c.id))
    return out
