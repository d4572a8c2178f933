"""Quotes in one article: who said what, with which cue, through which outlets.

:func:`extract_quotes` takes an article's clean text (and optionally its spaCy ``Doc``) and returns
:class:`~storyline.model.Quote` records whose offsets index that text.

How it works, in order:

1. **Quotation marks.** :func:`find_quoted_spans` scans each paragraph for paired marks: straight
   and curly double quotes, guillemets (« » and ‹ ›), low-high German quotes, corner brackets and
   single quotes (an apostrophe inside a word never opens or closes one). Single quotes inside a
   double-quoted passage are nested quotes and do not split it. A paragraph that opens a quote and
   does not close it continues into the next paragraph when that one opens with a quotation mark
   (the newspaper convention for a quote running over several paragraphs). Marks of mixed styles
   pair by their shape: a curly opener closes at a straight mark typed as a closer ('“A," she said.
   "B.”') or at a second curly opener followed by a space; a straight-quoted title inside a curly
   quote stays inside it.
2. **Reporting frames.** Every verb whose lemma is in :data:`CUE_VERBS` and that governs a clausal
   complement (``ccomp``) is a frame: the complement is the content, the subject is the source.
   A verb without its own subject borrows it from the verb it hangs off ("responded ... by
   asserting that", "said ... and added that"). "according to X, ..." and "X, citing Y" are frames
   too, the first with X as source and the rest of the clause as content. An agentless passive of
   a reporting or expecting verb ("X is said to ...", "X is expected to ...", "it was reported that
   ...") is a frame with no source, and so is a raising verb ("X seems to ...": the whole clause).
   A passive of a stance or report with a by-phrase ("the plan was criticized by the union") is
   the by-phrase's frame, the passive subject its content.
   Beyond the lexicon, a
   learned cue model (:mod:`storyline.nlp.cues`, trained on PolNeAR's training split) scores every
   other verb with a subject and a complement; an accepted one is a frame whose content is its
   clause or infinitive ("expects that ...", "wants to ...", "is confident that ...") or, for an
   act, its object with what completes it ("endorsed the plan to ...", "accused X of Y":
   three words or more, or fewer when the model is sure of the verb, "endorsed Smith", but never a
   bare pronoun; a holder that resolves, not negated, not a date or a number; not "responded to X by
   saying ...", where the saying is the frame).
3. **Kinds.** A quoted passage that is the content of a frame (or sits next to a cue verb outside
   the marks: ``"...," she said``; ``He said: "..."``) is ``direct``. A frame whose content is
   reported speech carrying a quoted fragment is ``mixed``. A short quoted fragment inside the
   writer's own sentence, under a cue verb ("dismissed the claims as "absurd"") is ``partial``.
   A frame without quotation marks is ``indirect``; its content span may then move to another
   span the parse offers around the cue when the learned span model (:mod:`storyline.nlp.spans`,
   trained on PolNeAR's training split) scores that one clearly higher; the same model re-chooses
   the source phrase of a verb cue around its head ("the union" rather than "the union, whose
   members voted ..."). A quoted passage with no cue joins the
   speaker of the previous quote in the same paragraph; otherwise it is a scare quote or a title
   and is dropped. An interrupted quote ('"The plan," she said, "is dead."') is one quote whose
   span runs over both parts and whose ``text`` is the quoted parts joined without the cue between
   them; an indirect quote around a parenthetical cue ("The plan, she said, is dead") likewise, and
   a mixed quote whose quoted words close just before its cue clause goes on with the quote after
   it ('X is "unfair," she said. "It has to stop."'). Where the parse loses a frame, surface
   fallbacks keep it (a sentence ending ", she said."; the noun phrase right after a cue that
   follows a quote as its speaker; a "that" clause hung on a noun of the cue's phrase; a subject
   the parser stranded: "Will believes", "activists clamoring to block X say", "He's said").
4. **Speakers.** The source phrase is resolved to a named entity of the article: a named mention
   is expanded to its fullest form ("Smith" -> "Jane Smith"); a pronoun goes to the most recent
   compatible subject (a person for he/she, an organisation or place for it, people named together
   or an organisation or a people for they); a description
   ("the secretary", "the spokesperson", "the ministry") goes to the most recent entity whose
   title or name carries its head noun (for a noun naming a person, one titled so later in the
   article when none is before). A description subject tied to a titled person ("the governor was
   asked ...") counts as that person's mention for a later he/she; the subject of a sentence's main
   clause comes before one in a "that" clause, and the speaker of a frame inside a subordinate
   clause is not carried to the next pronoun. Titles next to a name ("Interior Ministry spokesperson",
   appositives) are kept as the speaker's role.
5. **Chains.** Links are read from the frame's sentence and its context (see
   :mod:`storyline.nlp.attribution`).

Stage
-----
:class:`QuotesStage` is a plain object with no store I/O, for the pipeline, CLI and export to wire in.

* Input: ``process(batch, story_of=None)``: a sequence of cleaned :class:`~storyline.model.Article`
  (``text`` is the clean text; ``status``, ``language`` and ``id`` are read). Articles that are
  dropped, empty or not English (a known ``language`` other than ``en``) are skipped. ``story_of``
  optionally maps article id to story id; when given, quotes are grouped within each story.
* Output: :class:`QuotesResult`: ``quotes`` (:class:`~storyline.model.Quote`, offsets into each
  article's clean ``text``, ids content-addressed from article id and span so re-running is
  idempotent), ``groups`` (:class:`~storyline.model.QuoteGroup`, empty without ``story_of``; the
  quotes then carry ``group_id``, ``altered`` and ``difference``), ``articles`` (how many were
  analysed) and ``skipped`` (ids of the others).
* Cost: one spaCy parse per distinct paragraph of the batch (copies and near-copies share the parse
  of what they share); ``n_process=2`` forks a child that parses half the batch (articles sharing a
  paragraph stay together) and sends back only its quotes while the calling process parses the other
  half (:func:`quotes_of_many`). The rules on top cost a few ms per article.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from storyline.model import Article, ChainLink, Quote, QuoteGroup, QuoteKind, content_id
from storyline.nlp.attribution import (
    _TEXT_KEY,
    DOCUMENT_NOUNS,
    MEDIUM_NOUNS,
    ChainFinder,
    doc_text,
    entity_name,
    long_words,
    order_links,
    strip_article,
    title_case,
)
from storyline.nlp.cues import complement, features, for_mark, load_model
from storyline.nlp.names import gender_of
from storyline.nlp.parse import base_lemma, parse, parse_many
from storyline.nlp.quote_groups import apply_groups, group_quotes
from storyline.nlp.spans import load_model as load_span_model

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

LOGGER = logging.getLogger(__name__)

# --- lexicons -------------------------------------------------------------------------------------

#: Nouns of a measurement whose findings an "In a ..." phrase before the clause reports ("In a new
#: poll, 40 percent of voters ..."): the phrase is a frame like "according to".
SURVEY_NOUNS = frozenset({"poll", "survey", "study", "analysis", "census", "tally", "audit", "review"})

#: Lemmas of verbs that report speech or a stated position. Built from the cue words annotated in
#: PolNeAR's training split (said, told, wrote, added, asked, noted, reported, announced, ...) plus
#: the usual reporting verbs of news style guides; none of them names a person or an outlet.
CUE_VERBS = frozenset("""
say tell add state claim argue assert insist maintain note explain warn caution deny reject dismiss
refute dispute admit acknowledge concede confirm announce declare report write tweet post suggest
believe think predict promise pledge vow threaten accuse allege charge contend reply respond answer
retort ask urge recall reveal disclose indicate estimate stress emphasize emphasise complain boast
joke conclude observe testify agree disagree recommend propose fear worry hope signal mention comment
remark repeat reiterate quip shout exclaim demand speculate hint imply describe call criticize
criticise praise counter continue tout brag lament concede question wonder acknowledge affirm
contend counter clarify confide announce advise inform assure notify remind tell predict forecast
muse opine posit proclaim profess recount relate surmise swear theorize theorise underscore
underline highlight point show find conclude determine caution acknowledge condemn denounce decry
yell scream whisper mutter bark sneer chant gush fume grumble interject
""".split())

#: Cue lemmas that take a clause only in a restricted sense; they count only with a clause.
_CLAUSE_ONLY = frozenset({"believe", "think", "hope", "fear", "worry", "show", "find", "determine",
                          "continue", "question", "wonder", "point", "call", "describe", "praise",
                          "criticize", "criticise"})

#: Cue lemmas whose object noun phrase is the content when there is no clause ("denied the
#: report", "called the plan a disaster"). Such frames never absorb a quoted passage.
NOMINAL_CUES = frozenset("""
deny reject dismiss dispute refute rebuff announce confirm acknowledge admit predict promise reveal
propose disclose criticize criticise praise tout highlight mention recount reiterate underscore condemn
denounce decry
""".split())

#: Cue lemmas that also read as "is evidence of" ("the findings underscore the risks", "the vote
#: highlights the divide"): with an object and a subject that names no one (not a person, a group, a
#: pronoun or a document), they attribute nothing.
EVIDENCE_CUES = frozenset({"underscore", "underline", "highlight", "show", "illustrate", "reflect",
                           "demonstrate", "reveal"})

#: Speech verbs whose object may be a pro-form standing for what was said ("said so", "said the same
#: of Y", "said yes", "said that"): PROFORM_OBJECTS.
PROFORM_CUES = frozenset({"say"})
PROFORM_OBJECTS = frozenset({"so", "yes", "no", "same", "otherwise", "that", "this", "it", "nothing"})

#: Cue lemmas whose infinitive complement is the content when there is no clause ("vowed to fight
#: on", "urged lawmakers to act"); "call" also with a naming complement ("called the plan a
#: disaster") or "for" ("called for a ban"). Like nominal cues, they never absorb a quoted passage.
INFINITIVE_CUES = frozenset("""
threaten vow pledge promise urge ask tell warn advise call swear
""".split())

#: Nouns that name what someone said, thinks or intends; with a holder ("Smith's claim that ...",
#: "his pledge to ...", "the warning by the agency that ...") and a clause or an infinitive after
#: them, the clause is reported content.
NOUN_CUES = frozenset("""
claim assertion allegation accusation insistence suggestion warning promise pledge vow call demand
proposal concern fear hope belief view argument complaint announcement statement denial prediction
threat request admission acknowledgment acknowledgement contention charge assurance recommendation
plea boast opinion position intention commitment conviction message insinuation notion
""".split())
#: Cue nouns that also take an infinitive as content ("his pledge to cut taxes"); the others take a
#: that-clause only ("a statement to explain ..." gives a purpose, not content).
_NOUN_INFINITIVE = frozenset("""
promise pledge vow call demand proposal request threat intention commitment hope plea recommendation
""".split())

#: Cue lemmas whose act rejects what follows.
DENY_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "dispute", "rebuff", "disavow",
                        "repudiate", "contradict", "deride", "slam", "decry", "denounce", "counter"})

#: Pronouns a speaker slot may hold, with the entity types they can stand for.
PRONOUNS = {
    "he": ("PERSON",), "she": ("PERSON",), "him": ("PERSON",), "her": ("PERSON",),
    "they": ("ORG", "GPE", "NORP", "PERSON"), "it": ("ORG", "GPE", "NORP"),
    "we": ("ORG", "GPE", "NORP"), "who": ("PERSON", "ORG", "GPE", "NORP"),
}

_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_MALE_TITLE = re.compile(r"\bMr\.?\s*$")
_FEMALE_TITLE = re.compile(r"\b(?:Ms|Mrs|Miss)\.?\s*$")
_REFLEXIVE_AFTER = re.compile(r"\s+(himself|herself)\b", re.I)

#: Head nouns of organisation descriptions ("the ministry said"): resolved to the latest
#: organisation whose name contains the noun, else to the latest organisation at all.
ORG_NOUNS = frozenset("""
ministry department agency government administration company firm office campaign committee council
embassy court police military army party commission bureau authority authorities regime cabinet
parliament congress senate house group organization organisation union team network newspaper paper
outlet channel broadcaster station institute university foundation bank board service
management community coalition alliance association caucus delegation assembly legislature federation
consortium lobby secretariat watchdog
""".split())

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP")

_OPEN_CLOSE = {"“": "”", "„": "“”", "«": "»", "‹": "›", "「": "」", "『": "』", "‘": "’", "‚": "‘’"}
_DOUBLE_OPEN = {"“", "„", "«", "「", "『"}
_SINGLE_OPEN = {"‘", "‚", "‹"}
_PARA_RE = re.compile(r"\n\s*\n|\n")
_WORD_RE = re.compile(r"\w", re.UNICODE)


@dataclass(slots=True)
class QuotedSpan:
    """A passage between quotation marks: ``start``/``end`` exclude the marks."""

    start: int
    end: int
    open_at: int
    close_at: int  # offset of the closing mark (== end) or the paragraph end when left open
    double: bool
    paragraphs: int = 1


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return bounds


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[QuotedSpan], int | None, bool]:
    """Pairs of marks in one paragraph; returns (spans, offset of an unclosed double opener, double)."""
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    open_ch = ""
    inner_open: int | None = None  # a single quote nested in a double-quoted passage
    inner_straight: int | None = None  # a straight double quote nested in a curly one
    last_curly_close = text.rfind("”", start, end)  # a curly closer follows offset i iff i <= this
    i = start
    while i < end:
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if open_at is None:
            if ch in _DOUBLE_OPEN or (ch == '"' and not _is_word(prev) and nxt != " "):
                open_at, open_ch = i, ch
            elif ch == "”" and not _is_word(prev) and _is_word(nxt):  # some sites use ” for both
                open_at, open_ch = i, ch
            elif ch in _SINGLE_OPEN or (ch in "'’" and not _is_word(prev) and _is_word(nxt)):
                open_at, open_ch = i, ch
        else:
            double = open_ch in _DOUBLE_OPEN or open_ch in '"”'
            closes: str
            if open_ch == '"':
                closes = '"”'
            elif open_ch == "”":
                closes = "”"
            elif open_ch in _OPEN_CLOSE:
                closes = _OPEN_CLOSE[open_ch]
                if open_ch == "“" and (i > last_curly_close or (
                        inner_straight is None and not prev.isspace() and (nxt.isspace() or nxt in ",.;:?!)"))):
                    # '“The plan is dead," she said': a sloppy straight close, also when the next
                    # passage closes with a curly mark ('“A," she said. "B.”')
                    closes += '"'
                if open_ch == "“" and not prev.isspace() and (nxt.isspace() or nxt in ",.;:?!)"):
                    # '“Apparently not,“ he said', 'called it “abhorrent“ in a tweet': an opener
                    # typed for the closer
                    closes += "“"
            else:  # straight or right single quote used as opener
                closes = "'’"
            if open_ch == "“" and ch == '"':
                if inner_straight is None and prev.isspace() and _is_word(nxt) and i <= last_curly_close:
                    inner_straight = i  # a straight-quoted title or word inside the passage
                    i += 1
                    continue
                if inner_straight is not None:
                    inner_straight = None
                    i += 1
                    continue
            if double and ch in "‘'" and inner_open is None and not _is_word(prev):
                inner_open = i
            elif double and ch in "’'" and inner_open is not None and not _is_word(nxt):
                inner_open = None
            elif ch in closes and (double or not _is_word(nxt)) and i > open_at + 1:
                if double or not _is_word(prev) or not _is_word(nxt):
                    spans.append(QuotedSpan(open_at + 1, i, open_at, i, double))
                    open_at, inner_open, inner_straight = None, None, None
            elif double and ch in _DOUBLE_OPEN and ch != "„" and open_ch in _DOUBLE_OPEN:
                open_at, open_ch = i, ch  # an opener inside an open quote: the first one was stray
        i += 1
    if open_at is not None:
        double = open_ch in _DOUBLE_OPEN or open_ch in '"”'
        return spans, open_at, double
    return spans, None, False


_TWO_APOSTROPHES = re.compile(r"(?<!')'''?(?!')")


def _double_apostrophes(text: str) -> str:
    """``text`` with each pair of apostrophes used as a double quotation mark (''Like this,'' some
    archives write) turned into one curly mark and a space: same length, same offsets. A pair that a
    space or a punctuation mark follows closes (''I hate the term 'Manhattan poor,' '' she said); of
    three apostrophes the pair is the outer mark: the last two close ('old-school,'''), the first two
    open ('''Tis)."""
    if "''" not in text:
        return text
    chars = list(text)
    for m in _TWO_APOSTROPHES.finditer(text):
        i = m.start()
        after = text[m.end()] if m.end() < len(text) else " "
        opening = (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,;:!?…—-")) \
            and not (after.isspace() or after in ".,;:!?")
        at = i + 1 if m.end() - i == 3 and not opening else i
        chars[at], chars[at + 1] = ("“", " ") if opening else ("”", " ")
    return "".join(chars)


#: A markup tag left in a text (``<a href="...">``, ``<tweet author="...">``): its attribute values are
#: not quotations.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>\n]*\"|'[^'<>\n]*'|[^\s\"'<>]+))*\s*/?>")


def _without_markup_quotes(text: str) -> str:
    """``text`` with the quotation marks inside markup tags made spaces: same length, same offsets."""
    if "<" not in text:
        return text
    chars = list(text)
    for m in _MARKUP_TAG.finditer(text):
        for i in range(m.start(), m.end()):
            if chars[i] in "\"'":
                chars[i] = " "
    return "".join(chars)


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every passage between quotation marks, multi-paragraph quotes joined (see module docstring)."""
    original = text
    text = _double_apostrophes(_without_markup_quotes(text))
    paras = _paragraph_bounds(text)
    out: list[QuotedSpan] = []
    carry: QuotedSpan | None = None  # a quote left open at the end of the previous paragraph
    for (ps, pe) in paras:
        spans, open_at, double = _scan_paragraph(text, ps, pe)
        first_ch = text[ps] if ps < pe else ""
        if carry is not None:
            if spans and spans[0].open_at == ps:
                first = spans.pop(0)  # the continuation closes in this paragraph
                out.append(QuotedSpan(carry.start, first.end, carry.open_at, first.close_at, True,
                                      carry.paragraphs + 1))
                carry = None
            elif open_at == ps and not spans:
                carry = QuotedSpan(carry.start, pe, carry.open_at, pe, True, carry.paragraphs + 1)
                continue
            else:
                out.append(carry)  # the quote ran to the end of its paragraph; close it there
                carry = None
        out.extend(spans)
        if open_at is not None and double:
            rest = text[open_at + 1:pe].rstrip()
            if len(rest.split()) >= 3:
                carry = QuotedSpan(open_at + 1, open_at + 1 + len(rest), open_at, pe, True)
        del first_ch
    if carry is not None:
        out.append(carry)
    cleaned = []
    for q in out:
        s, e = q.start, q.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        # a single-quoted run of one letter is an elision ("rock 'n' roll"), not a quote
        if e > s and _WORD_RE.search(text[s:e]) and (q.double or len(_WORD_RE.findall(text[s:e])) >= 2):
            q.start, q.end = s, e
            if original[q.close_at:q.close_at + 2] == "''":
                q.close_at += 1  # what follows the closing mark starts after both apostrophes
            cleaned.append(q)
    return cleaned


# --- entities, names, roles -------------------------------------------------------------------------


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    subject: bool  # the mention's head is a grammatical subject
    main: bool = False  # ... of its sentence's main clause (not of a "that" clause or a relative clause)
    sent: int = -1  # start offset of its sentence


def _main_clause(verb: "Token") -> bool:
    """Whether ``verb`` heads its sentence's main clause, directly or as a conjunct of it, and not a
    subordinate clause ("..., that Smith had urged her to ...": a conjunct with a "that")."""
    cur = verb
    for _ in range(6):
        if any(c.dep_ == "mark" for c in cur.children):
            return False
        if cur.dep_ == "ROOT":
            return True
        if cur.dep_ not in ("conj", "parataxis") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


@dataclass(slots=True)
class Resolved:
    name: str
    label: str | None
    role: str | None


def _strip_possessive(s: str) -> str:
    return re.sub(r"[’']s?$", "", s).strip()


def _name_words(name: str) -> set[str]:
    """A name's words in lower case without "the" ("The Post" is a part of "New York Post")."""
    return set(name.lower().split()) - {"the"}


def _span_text(doc: "Doc", toks: Sequence["Token"]) -> tuple[int, int, str]:
    s = toks[0].idx
    e = toks[-1].idx + len(toks[-1].text)
    return s, e, doc_text(doc)[s:e]


#: Forms of address before a name ("Mr.", "Mrs.", "Dr.", "Prof"): part of neither the name nor a role.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"})


def _honorific(word: str) -> bool:
    """Whether a word is a form of address (:data:`_HONORIFICS`), with or without its period."""
    return word.lower().rstrip(".") in _HONORIFICS


def _role_tokens(head: "Token") -> list["Token"]:
    """The words of a title phrase headed by ``head`` without punctuation and without the clauses
    that describe the person further ("a candidate whose appeal is ...", "the adviser who quit")."""
    drop: set[int] = set()
    for t in head.subtree:
        if t.dep_ in ("relcl", "acl", "advcl") and t.i != head.i:
            drop.update(x.i for x in t.subtree)
    return _without_lead_in([t for t in head.subtree if not t.is_punct and t.i not in drop])


def _without_lead_in(toks: list["Token"]) -> list["Token"]:
    """Title words without what the parser hung on them from before: a dateline or an aside closed
    by a dash or a bracket ("Dec 29 (Reuters) - U.S. presidential candidate Jane Smith said": the
    title is "U.S. presidential candidate") and a day or time ("... on Friday China's foreign
    minister, Jane Smith, said": "China's foreign minister"); a year or a date's possessive stays
    ("the 2020 nominee", "last year's winner")."""
    if not toks:
        return toks
    doc = toks[0].doc
    cut = max((t.i for t in doc[toks[0].i:toks[-1].i + 1]
               if t.text in "()[]:—―–" or (t.text == "-" and (t.whitespace_ or doc[t.i - 1].whitespace_))),
              default=-1)
    toks = [t for t in toks if t.i > cut]
    i = 0
    while i < len(toks) and toks[i].ent_type_ in ("DATE", "TIME") and not toks[i].like_num \
            and not any(c.dep_ == "case" for c in toks[i].children):
        i += 1
    return toks[i:]


#: Word classes that never open a person's name; the recogniser takes a capitalised one at the start
#: of a sentence in with the name ("Neither Smith nor ...", "Unlike Smith, ...").
_FUNCTION_POS = frozenset({"DET", "CCONJ", "SCONJ", "ADP", "ADV", "PRON", "PART", "AUX", "INTJ"})


#: Lower-case words inside a person's name ("Ludwig van Beethoven", "Osama bin Laden").
_NAME_PARTICLES = frozenset({"de", "del", "della", "der", "den", "di", "da", "dos", "du", "la", "le", "van",
                             "von", "ter", "ten", "bin", "ibn", "al", "el", "y", "e", "zu", "af"})


def _person_name(ent: "Span") -> "Span":
    """A person entity without what the recogniser took in around the name: the function words that
    open it ("Neither Smith"), a form of address or a title ("Prof Jane Smith", "Representative Jane
    Smith") and the words up to the last lower-case one ("Acme spokesperson Jane Smith" -> "Jane
    Smith")."""
    i = 0
    while i < len(ent) - 1 and (ent[i].pos_ in _FUNCTION_POS or _honorific(ent[i].text)
                                or (ent[i].lower_ in PERSON_NOUNS and len(ent) - i > 2)):  # "Representative Jane Smith"
        i += 1
    for k in range(len(ent) - 2, i - 1, -1):
        t = ent[k]
        if (t.is_alpha and t.text.islower() and t.lower_ not in _NAME_PARTICLES) or t.tag_ == "POS" \
                or t.text in ("'", "’"):
            i = k + 1  # (or "Acme News' Jane Smith": the name after the possessive)
            break
    if not i:
        return ent
    from spacy.tokens import Span

    return Span(ent.doc, ent.start + i, ent.end, label=ent.label_)  # (a slice would lose the label)


#: Person nouns an organisation can be too ("Acme, the stadium's owner"; "a member of the alliance").
_ORG_ROLES = frozenset("""
owner leader member partner supporter opponent critic observer participant organiser organizer family
police staff people source author head chief executive representative
""".split())


def _unrecognised_people(doc: "Doc") -> list["Span"]:
    """Subjects the recogniser missed, or took for an organisation, that name a person: a run of two
    to four capitalised proper nouns with a "who" clause or a person's title set beside or before it
    ("Jane Smith, who chairs ...", "Jane Smith, the authority's director of operations, told
    reporters", "Acme spokesperson Jane Smith said")."""
    from spacy.tokens import Span

    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if tok.ent_type_ == "ORG":
            # a name read as an organisation ("Jane Smith, the party's spokesperson, said"): a person
            # when it is the whole entity and the clues below hold
            ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
            if ent is None or ent.end != tok.i + 1 or not 2 <= len(ent) <= 4 \
                    or not all(t.pos_ == "PROPN" for t in ent):
                continue
        elif tok.ent_type_ in ENTITY_TYPES:
            continue
        lo = tok.i
        while lo > 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ in ("compound", "flat") \
                and lo <= doc[lo - 1].head.i <= tok.i:
            lo -= 1
        titled = False
        while lo < tok.i and (_honorific(doc[lo].text) or doc[lo].lower_ in _TITLE_ABBREV
                              or doc[lo].lower_ in PERSON_NOUNS):
            titled = titled or not _honorific(doc[lo].text)  # "Gov. Jane Smith", "Founder Jane Smith"
            lo += 1
        run = doc[lo:tok.i + 1]
        if not 2 <= len(run) <= 4 or not all(t.text[:1].isupper() and t.text.replace("-", "").isalpha()
                                             and t.ent_type_ in ("", tok.ent_type_) for t in run):
            continue
        who = any(c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ == "who" for g in c.children)
                  for c in tok.children)
        before = [doc[lo - 1]] if lo > 0 and doc[lo - 1].dep_ == "compound" \
            and lo <= doc[lo - 1].head.i <= tok.i else []
        beside = [*before, *(c for c in tok.children if c.dep_ == "appos")]
        if tok.ent_type_ == "ORG":  # only a title no organisation holds turns it into a person
            titled = titled or any(c.pos_ == "NOUN" and base_lemma(c) in PERSON_NOUNS
                                   and c.lemma_.lower() not in _ORG_ROLES for c in beside)
        else:
            titled = titled or any(  # ", the director", "spokesperson Jane Smith"
                c.pos_ == "NOUN" and _speaker_noun(c) and c.lemma_.lower() not in ORG_NOUNS for c in beside)
        if who or titled:
            out.append(Span(doc, lo, tok.i + 1, label="PERSON"))
    return out


def _title_case_lines(doc: "Doc") -> list[tuple[int, int]]:
    """The lines set in title case, as headlines are ("Union Leaders Slam John Smith Over Pension
    Cuts"): at least five words longer than three letters, all capitalised, and one of
    them (after the first word) in no named entity. Character ranges."""
    text = doc_text(doc)
    out = []
    a = 0
    while a < len(text):
        b = text.find("\n", a)
        b = len(text) if b < 0 else b
        line = doc.char_span(a, b, alignment_mode="contract") if b > a else None
        if line is not None:
            long = long_words(line)
            if len(long) >= 5 and title_case(long) and any(not t.ent_type_ for t in long[1:]):
                out.append((a, b))
        a = b + 1
    return out


class _Entities:
    """The named entities of one article, with their fullest names and the titles seen beside them."""

    def __init__(self, doc: "Doc", quoted: Sequence[tuple[int, int]] = ()) -> None:
        self.doc = doc
        self.quoted = quoted  # the quotations' character spans: titles inside them are the speakers'
        self.mentions: list[Mention] = []
        self.full: dict[str, list[str]] = {}  # label -> names seen, in order
        self.roles: dict[str, str] = {}  # canonical name -> role (first seen)
        self.role_at: list[tuple[int, str, str]] = []  # (offset, canonical, role lower)
        self._canon: dict[tuple[str, str], str] = {}
        self._headline: dict[str, list[str]] = {}  # label -> names seen in title-case headlines
        self._headline_at: set[int] = set()  # their offsets (no roles read there: "Absurd Double")
        headlines = _title_case_lines(doc)
        people = _unrecognised_people(doc)
        taken = {t.i for p in people for t in p}
        found = [e for e in doc.ents if e.label_ in ENTITY_TYPES and not (e.label_ == "ORG" and e.root.i in taken)]
        found += people
        for ent in sorted(found, key=lambda e: e.start):
            if ent.label_ == "PERSON":
                ent = _person_name(ent)
            name = _strip_possessive(entity_name(ent)) if ent.label_ != "NORP" else ent.text
            if not name:
                continue
            subj = ent.root.dep_ in ("nsubj", "nsubjpass") or (
                ent.root.dep_ in ("compound", "appos") and ent.root.head.dep_ in ("nsubj", "nsubjpass"))
            head = ent.root if ent.root.dep_ in ("nsubj", "nsubjpass") else ent.root.head
            main = subj and _main_clause(head.head)
            self.mentions.append(Mention(ent.start_char, ent.end_char, name, ent.label_, subj, main,
                                         ent.sent.start_char))
            if any(a <= ent.start_char < b for a, b in headlines):
                # "Union Leaders Slam John Smith Over ...": in a headline the recogniser takes
                # capitalised verbs into names; the name is what the body calls the person
                self._headline.setdefault(ent.label_, []).append(name)
                self._headline_at.add(ent.start_char)
                continue
            self.full.setdefault(ent.label_, []).append(name)
        for m in self.mentions:
            if m.label == "PERSON":
                role = self._role_of(m) if m.start not in self._headline_at else None
                if role:
                    canon = self.canonical(m.text, "PERSON")
                    self.roles.setdefault(canon, role)
                    self.role_at.append((m.start, canon, role.lower()))
            elif m.label == "ORG":
                canon = self.canonical(m.text, "ORG")
                self.role_at.append((m.start, canon, canon.lower()))
        # subjects that are descriptions of a titled person ("the governor was asked ...",
        # "Governor Jane Smith" elsewhere): candidates for a later he/she beside the named mentions
        self.desc_mentions: list[Mention] = []
        for tok in doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ != "NOUN" or tok.tag_ != "NN" \
                    or base_lemma(tok) not in PERSON_NOUNS \
                    or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                continue
            canon = self.titled_person(base_lemma(tok), tok.idx)
            if canon is not None:
                self.desc_mentions.append(Mention(tok.idx, tok.idx + len(tok.text), canon, "PERSON", True,
                                                  _main_clause(tok.head), tok.sent.start_char))

    def titled_person(self, head: str, at: int, desc: str = "") -> str | None:
        """The person whose title carries ``head`` ("governor" for "Governor Jane Smith", "Gov.
        Jane Smith", "Jane Smith, the governor,"): the last one titled so before offset ``at``, else,
        for a head that names a person ("the governor", not "the study"), the first one after it."""
        # (a title inside a quotation, 'the chair of President Washington, President Kennedy', is the
        # speaker's: it counts only when no title outside one fits)
        before: dict[bool, str | None] = {False: None, True: None}
        after: dict[bool, str | None] = {False: None, True: None}
        later = head in PERSON_NOUNS
        for off, canon, role in self.role_at:
            if role == canon.lower():
                continue
            words = [_TITLE_ABBREV.get(w, w) for w in role.split()]
            # (whole words: "the president" is not the "presidential nominee")
            if (desc and re.search(r"(?<!\w)%s(?!\w)" % re.escape(desc), role)) or head in words:
                inside = any(a <= off < b for a, b in self.quoted)
                if off < at:
                    before[inside] = canon
                elif after[inside] is None and later:
                    after[inside] = canon
        return before[False] or after[False] or before[True] or after[True]

    def canonical(self, name: str, label: str) -> str:
        """The fullest name of the same label whose words include all of ``name``'s words (for a
        surname alone, the fullest name of the person the article names most: :meth:`_person_weight`)."""
        key = (name, label)
        got = self._canon.get(key)
        if got is None:
            got = self._canon[key] = self._canonical(name, label)
        return got

    def _canonical(self, name: str, label: str) -> str:
        words = _name_words(name)
        best = name
        body = self.full.get(label, [])
        if name in self._headline.get(label, []) and name not in body:
            # a headline's name stands for the body's name with the same last word, if any
            last = name.lower().split()[-1:]
            same = [c for c in body if c.lower().split()[-1:] == last]
            if same:
                return max(same, key=len)
        elif len(words) == 1 and not any(words < _name_words(c) for c in body):
            # named in full only in the headline ("Jane Smith Slams ...", then "Smith"): the
            # shortest headline name that holds it, the least likely to have taken in a verb
            fuller = [c for c in self._headline.get(label, []) if words < _name_words(c)]
            if fuller:
                return min(fuller, key=len)
        if label == "PERSON" and len(words) == 1:
            # a surname alone that several people share ("Smith": John Smith and his wife Mary Smith):
            # the person named in full most often, then first (not the longest name)
            cands = [c for c in body if words < _name_words(c)]
            if cands:
                return max(cands, key=lambda c: self._person_weight(c))
        for cand in body:
            cw = _name_words(cand)
            if words <= cw and len(cand) > len(best):
                best = cand
        return best

    def _person_weight(self, name: str) -> tuple[int, int, int]:
        """How strongly the article names the person ``name``: its full mentions (two words or more, all
        of them in ``name``: "John Smith" counts for "John Q. Smith"), then how early the first
        of them comes, then the name's length."""
        words = _name_words(name)
        at = [i for i, c in enumerate(self.full.get("PERSON", []))
              if len(c.split()) > 1 and _name_words(c) <= words]
        return len(at), -(at[0] if at else len(self.full.get("PERSON", []))), len(name)

    def person_named(self, word: str, before: int) -> str | None:
        """The fullest person name ending in ``word`` ("Smith" -> "Jane Smith"), preferring names
        seen before offset ``before``; None when no person of the article has that surname."""
        key = _strip_possessive(word).lower()
        if not key or " " in key:
            return None
        best: tuple[bool, int, str] | None = None
        for m in self.mentions:
            words = m.text.split()
            if m.label != "PERSON" or len(words) < 2 or words[-1].lower() != key:
                continue
            canon = self.canonical(m.text, "PERSON")
            cand = (m.start < before, self._person_weight(canon), canon)
            if best is None or cand[:2] > best[:2]:
                best = cand
        return best[2] if best is not None else None

    def _role_of(self, m: Mention) -> str | None:
        doc = self.doc
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return None
        root = span.root
        # titles to the left inside the noun phrase: "Interior Ministry spokesperson Jane Smith"
        left = [t for t in root.subtree if t.i < span.start]
        left = [t for t in left if t.dep_ not in ("det", "punct") or t.i > left[0].i]
        while left and (left[0].dep_ in ("det", "punct") or left[0].is_punct):
            left = left[1:]
        left = _without_lead_in(left)
        # a list the parser hung on the last name ("A, B's Jane Doe and C's Jane Smith"): only what
        # stands after its last comma or "and" is this one's
        cut = max((k for k, t in enumerate(left) if t.text == "," or t.dep_ == "cc"), default=-1)
        left = left[cut + 1:]
        if left and all(t.i < span.start for t in left) and left[-1].i == span.start - 1:
            while left and _honorific(left[-1].text):
                left = left[:-1]  # "Mrs. Smith": a form of address, not a role
            text = doc_text(doc)[left[0].idx:left[-1].idx + len(left[-1].text)].strip(" ,") if left else ""
            if text and any(t.pos_ == "NOUN" or t.pos_ == "PROPN" for t in left) \
                    and left[-1].tag_ not in ("NNS", "NNPS"):  # "told voters Mrs. Smith ...": no role
                return text
        # appositives: "the foreign minister, Jane Smith," / "Jane Smith, the foreign minister,"
        # (one person's title: a singular noun, without the clauses that describe it further)
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.tag_ not in ("NNS", "NNPS") \
                and not root.head.ent_type_:
            head = root.head
            toks = [t for t in _role_tokens(head) if t.i < root.left_edge.i]
            toks = [t for t in toks if t.dep_ != "det"]
            if toks:
                return doc_text(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
        for child in root.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN" and child.tag_ != "NNS":
                toks = [t for t in _role_tokens(child) if t.dep_ != "det" or t.i != child.left_edge.i]
                if toks:
                    return doc_text(doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
        return None

    def latest(self, before: int, labels: tuple[str, ...], *, subject_first: bool = True,
               skip: tuple[int, int] | None = None, fits: Any = None) -> Mention | None:
        """The last mention of one of ``labels`` before an offset, preferring grammatical subjects;
        ``fits(mention)``, when given, must hold too."""
        pool = self.mentions + self.desc_mentions if self.desc_mentions else self.mentions
        cands = [m for m in pool if m.end <= before and m.label in labels
                 and not (skip and skip[0] <= m.start < skip[1]) and (fits is None or fits(m))]
        if not cands:
            return None
        cands.sort(key=lambda m: m.start)
        if subject_first:
            subj = [m for m in cands if m.subject]
            if subj:
                last_subj = subj[-1]
                if not last_subj.main:  # the main clause's subject of that sentence comes first
                    last_subj = next((m for m in reversed(subj) if m.sent == last_subj.sent and m.main),
                                     last_subj)
                # a subject in the current or previous paragraph wins over any later object mention
                if before - last_subj.start < 1200:
                    return last_subj
        return cands[-1]


# --- frames ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Frame:
    """A reporting frame: cue, content span and source phrase (all char offsets)."""

    cue_start: int
    cue_end: int
    cue: str
    content_start: int
    content_end: int
    source: tuple[int, int] | None
    source_tok: "Token | None"
    cue_tok: "Token | None"
    lemma: str
    sent_start: int
    sent_end: int
    chain: list[ChainLink] = field(default_factory=list)
    used: bool = False
    nominal: bool = False  # the content is a noun phrase ("dismissed the report"), not a clause
    gap: tuple[int, int] | None = None  # a parenthetical cue clause inside the content (", she said,")
    learned: bool = False  # found by the learned cue model, not the reporting-verb rules
    noun: bool = False  # the cue is a noun with a holder ("her claim that ...")


def _subject_of(tok: "Token", *, outer: bool = True) -> "Token | None":
    """The subject of a cue verb, walking up through conjunctions, by-clauses and participles; with
    ``outer``, a coordinated verb goes with the reporting verb of its form (:func:`_outer_coordinate`)
    rather than the verb the parser joined it to."""
    cur: Token | None = tok
    via_conj = False
    if tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.i > 0 and tok.doc[tok.i - 1].text == "," \
            and tok.head.dep_ == "ccomp" and tok.head.head.lemma_.lower() in CUE_VERBS \
            and tok.lemma_.lower() in CUE_VERBS and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        # "Smith argued that a database would help, saying ...": a reporting participle after the
        # reported clause goes on with its reporter, not with the clause's subject
        cur = tok.head.head
    for _ in range(4):
        if cur is None:
            return None
        subjects = [c for c in cur.children if c.dep_ == "nsubj" or (
            via_conj and c.dep_ == "nsubjpass" and cur.dep_ == "ROOT")]
        if len(subjects) > 1 and any(t.text in _QUOTE_CHARS for t in cur.doc[subjects[0].i:cur.i]):
            # '"Thanks for coming," said the host': the parser also made a word of the quote a
            # subject; the inverted one after the verb is the speaker, else the one nearest it
            # ('"I hold Sen. Jane Doe in esteem," Smith said': Smith)
            return next((c for c in subjects if c.i > cur.i), max(subjects, key=lambda c: c.i))
        if subjects:
            # two subjects before the verb are a misparse ("Minister accused of X - ministry says
            # Y"): the nearer one is the verb's
            return _past_date(max((c for c in subjects if c.i < cur.i), key=lambda c: c.i, default=subjects[0]))
        for c in cur.children:
            if c.dep_ == "agent":  # "it was said by the minister"
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep", "acl") and cur.head.i != cur.i:
            if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
                if cur.tag_ == "VBN" and cur.i == tok.i:
                    return None  # "Minister accused of X": the noun is who the act is done to
                if cur.head.pos_ == "NOUN" and cur.head.dep_ in ("dobj", "pobj") and not _speaker_noun(cur.head):
                    cur = cur.head.head  # "issued a statement saying ...": whoever issued it
                    continue
                return cur.head  # "Jane Smith, speaking to reporters, ..."
            # "X was forced into a retreat and said ...": a passive's subject is shared with the
            # verb coordinated to it
            via_conj = cur.dep_ == "conj"
            cur = _outer_coordinate(cur) if via_conj and outer else cur.head
            continue
        if cur.dep_ == "relcl" and cur.head.pos_ in ("NOUN", "PROPN"):
            return None
        return _fronted_subject(cur)
    return None


#: Tags of a finite verb ("said", "says", "say").
_FINITE_TAGS = ("VBD", "VBZ", "VBP")


def _outer_coordinate(verb: "Token") -> "Token":
    """The verb a coordinated verb goes with. The parser joins it to the nearest verb, which may be
    inside the clause a reporting verb reports; a finite verb whose form differs from that one's, or
    whose subject can say nothing, and that matches the reporting verb's form goes with the
    reporting verb ("X said families were paying for it and called for an inquiry", "X says it has
    no indication and insists ...", "X said questions remained and called for ...")."""
    head = verb.head
    if verb.tag_ not in _FINITE_TAGS:
        return head
    if head.tag_ == verb.tag_:
        # the same form: the neighbour's own subject, unless it can say nothing ("said questions
        # remained and called for ...")
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or _may_speak(subj) or subj.pos_ in ("PRON", "PROPN"):
            return head
    cur = head
    for _ in range(3):
        if cur.dep_ != "ccomp" or cur.head.i == cur.i:
            return head
        cur = cur.head
        if cur.tag_ == verb.tag_ and cur.lemma_.lower() in CUE_VERBS and cur.i < verb.i:
            return cur
    return head


def _thing_object(tok: "Token") -> bool:
    """Whether a verb has a prepositional object that is a thing, not a date, a person or a group
    ("responds to these challenges", not "said on Monday" or "said to reporters"): "As the city
    responds to these challenges, it ..." is no "As X said, Y"."""
    for c in tok.children:
        if c.dep_ != "prep" or c.lower_ not in ("to", "about", "against", "for", "over", "on", "with"):
            continue
        for o in c.children:
            if o.dep_ == "pobj" and o.pos_ == "NOUN" and not o.ent_type_ and not _speaker_noun(o):
                return True
    return False


def _past_date(subj: "Token") -> "Token":
    """The subject behind a date the parser took for it: in "This Friday (26), US Secretary of State,
    Jane Smith, spoke ..." the date heads the phrase and the speaker hangs on it as an appositive."""
    if subj.ent_type_ not in ("DATE", "TIME"):
        return subj
    return next((c for c in subj.children if c.dep_ == "appos" and c.pos_ in ("PROPN", "NOUN")
                 and c.ent_type_ not in ("DATE", "TIME", "CARDINAL")), subj)


#: Dependencies of a phrase fronted before a finite verb ("In his plea, ...", "Alarmed by X, ...").
_FRONTED_DEPS = frozenset({"prep", "advcl", "npadvmod", "advmod"})
def _subjectless_finite(verb: "Token") -> bool:
    """Whether ``verb`` is finite and the parser gave it no subject of any kind: where the fallbacks
    for a lost subject (:func:`_fronted_subject`, :func:`_stranded_subject`) look. A participle
    clause with a subject of its own taken for a clausal subject ("Majorities of voters going to the
    polls said ...") is no subject of the verb."""
    return verb.tag_ in _FINITE_TAGS and not any(
        c.dep_ in ("nsubj", "nsubjpass", "expl") or (c.dep_ == "csubj" and _own_subject(c) is None)
        for c in verb.children)


def _own_subject(verb: "Token") -> "Token | None":
    """The subject a participle was given before it ("voters going to the polls")."""
    if verb.tag_ not in ("VBG", "VBN"):
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)


def _fronted_subject(verb: "Token") -> "Token | None":
    """The subject the parser hung inside a phrase fronted before ``verb``: after "As part of his
    plea, Jane Smith, 44, said" or "Alarmed by the unrest, Senator Smith, the leader, said" the small
    model often attaches the name as an appositive or a conjunct of the phrase's last noun and leaves
    the finite verb with no subject. The name is the outermost appositive or conjunct after a comma
    that runs up to the verb; it must be able to speak (a name, an organisation, a noun naming
    people)."""
    if verb.dep_ not in ("ROOT", "ccomp", "parataxis") or not _subjectless_finite(verb):
        return None
    doc = verb.doc
    end = verb.i - 1
    while end >= 0 and doc[end].is_punct:
        end -= 1
    fronted = next((c for c in verb.children if c.i < verb.i and c.dep_ in _FRONTED_DEPS
                    and c.right_edge.i >= end), None)
    if fronted is None or end <= fronted.i:
        return None
    best = None
    for t in fronted.subtree:
        if t.dep_ in ("appos", "conj") and t.head.i < t.i and t.right_edge.i >= end and t.left_edge.i > 0 \
                and doc[t.left_edge.i - 1].text == "," and (best is None or t.left_edge.i < best.left_edge.i):
            best = t
    if best is None or not (best.pos_ == "PROPN" or best.ent_type_ in ENTITY_TYPES or _speaker_noun(best)):
        return None
    return best


def _stranded_subject(verb: "Token") -> "Token | None":
    """The subject of a finite reporting verb that the parser left without one, when its clause
    comes after it: a capitalised word right before the verb that was taken for an auxiliary or an
    adverb ("Will believes ...", "Jolly said ..."), the subject the parser gave to a participle or
    clause it hung before the verb ("Republican activists clamoring to block X say ..."; "Majorities
    of voters going to the polls say ..." where the verb hangs on the participle), a count before
    the verb ("About 4 in 10 say ..."), or the passive subject of "'s said" ("He's said he ...":
    "has said")."""
    head = verb.head
    if verb.dep_ == "dep" and head.dep_ == "ROOT" and head.i < verb.i and _subjectless_finite(verb):
        subj = _own_subject(head)  # "Majorities of voters going to the polls say ...": the participle is theirs
        return subj if subj is not None and _may_speak_as_subject(subj) else None
    if verb.dep_ != "ROOT":
        return None
    if verb.tag_ in ("VBN", "VBD") and any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in verb.children) \
            and not any(c.dep_ in ("agent", "xcomp") for c in verb.children):
        # "He's said he ...": "has said" read as a passive
        return next((c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ not in ("it", "that")), None)
    if not _subjectless_finite(verb):
        return None
    doc = verb.doc
    prev = doc[verb.i - 1] if verb.i > verb.sent.start else None
    if prev is not None and prev.dep_ in ("aux", "advmod", "npadvmod") and prev.head.i == verb.i \
            and prev.text[:1].isupper() and prev.is_alpha and (
                prev.i == verb.sent.start or doc[prev.i - 1].text == ","):
        return prev
    for c in verb.children:
        if c.i < verb.i and c.dep_ == "csubj" and (subj := _own_subject(c)) is not None \
                and _may_speak_as_subject(subj):
            return subj  # "Majorities of voters going to the polls said ..."
        if c.i < verb.i and c.dep_ == "nummod" and c.tag_ == "CD" and c.right_edge.i == verb.i - 1:
            return c  # "About 4 in 10 say ...": a share of those asked
        if c.i > verb.i or c.dep_ not in ("advcl", "ccomp") or c.tag_ not in ("VBG", "VBN", "VBD") \
                or any(g.dep_ == "mark" for g in c.children):
            continue
        if c.left_edge.i != verb.sent.start and doc[c.left_edge.i - 1].text != ",":
            continue
        subj = next((g for g in c.children if g.dep_ == "nsubj" and g.i < c.i), None)
        if subj is not None and _may_speak_as_subject(subj):
            return subj
    return None


def _may_speak_as_subject(subj: "Token") -> bool:
    """Whether a subject found by a fallback can speak: a name, an entity, a noun naming people, or a
    part of a group that can ("majorities of voters")."""
    return subj.pos_ == "PROPN" or subj.ent_type_ in ENTITY_TYPES or _speaker_noun(subj) or _part_of_speakers(subj)


def _np_tokens(tok: "Token") -> list["Token"]:
    """A noun phrase around ``tok`` without trailing relative clauses or participial phrases."""
    keep_right = ("compound", "flat", "appos", "nmod", "prep", "pobj", "poss", "case", "punct", "amod",
                  "nummod", "cc", "conj")
    toks = {tok}
    for c in tok.children:
        if c.i < tok.i:
            toks.update(c.subtree)
        elif c.dep_ in keep_right and c.dep_ not in ("punct",):
            if c.dep_ == "prep" and c.lower_ not in ("of", "for", "at"):
                continue
            toks.update(t for t in c.subtree if t.dep_ not in ("relcl", "acl"))
    ordered = sorted(toks, key=lambda t: t.i)
    # drop a trailing comma or dangling punctuation, keep the run contiguous with the head
    lo = hi = tok.i
    idx = {t.i for t in ordered}
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    doc = tok.doc
    out = [doc[i] for i in range(lo, hi + 1)]
    while out and (out[-1].is_punct or out[-1].dep_ in ("cc",)):
        out.pop()
    while out and out[0].is_punct:
        out.pop(0)
    return out or [tok]


def _relay_source(pobj: "Token") -> list["Token"]:
    """The source of "according to X" / "in a poll X": the noun phrase (:func:`_np_tokens`) with a
    participle or a by-phrase that says who made it ("exit polls conducted for the network by X",
    "a count by the agency", "excerpts released by the office"; not "a poll released Monday")."""
    toks = _np_tokens(pobj)
    doc = pobj.doc
    lo, hi = toks[0].i, toks[-1].i
    while hi + 1 < len(doc):
        c = doc[hi + 1]
        made_by = c.dep_ == "acl" and c.tag_ == "VBN" and any(
            g.dep_ in ("agent", "prep") and g.lower_ in ("by", "for") for g in c.children)
        if not lo <= c.head.i <= hi or not (made_by or (c.dep_ in ("prep", "agent") and c.lower_ == "by")):
            break
        hi = c.right_edge.i
    out = [doc[i] for i in range(lo, hi + 1)]
    while out and (out[-1].is_punct or out[-1].dep_ == "cc"):
        out.pop()
    return out or toks


def _source_tokens(subj: "Token", cue: "Token") -> list["Token"]:
    """The whole source phrase with its appositives and modifiers ("Jane Smith, who runs the
    agency"), or the core noun phrase when the subtree is long, quoted or reaches the cue."""
    doc = subj.doc
    # leave out a participle or an age that follows a name after a comma ("Jane Smith, speaking in
    # Leeds,", "Jane Smith, 59, of Leeds,"): what the speaker was doing is not who spoke; appositive
    # descriptions and relative clauses stay ("Jane Smith, a spokesperson for the agency,")
    cut = {t.i for c in subj.children if subj.pos_ == "PROPN" and c.i > subj.i and c.left_edge.i > 0
           and doc[c.left_edge.i - 1].text == "," and (
               c.dep_ in ("acl", "advcl") or (c.dep_ in ("appos", "npadvmod", "amod") and c.like_num))
           for t in c.subtree}
    if cut:  # ", 59, of Leeds": the place that follows an age goes too
        last = max(cut)
        if last + 1 < len(doc) and doc[last + 1].text == "," and doc[last + 2:last + 3].text.lower() == "of" \
                and doc[last + 2].head.i == subj.i:
            cut |= {t.i for t in doc[last + 2].subtree}
    sub = [t for t in subj.subtree if t.i not in cut]
    hi = subj.i
    while hi + 1 <= sub[-1].i and hi + 1 not in cut:
        hi += 1
    lo = sub[0].i
    if hi - lo < 30 and not (lo <= cue.i <= hi):
        toks = [doc[i] for i in range(lo, hi + 1)]
        if not _quotes_in(toks):
            while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
                toks.pop()
            while toks and toks[0].is_punct:
                toks.pop(0)
            if toks:
                return toks
    return _np_tokens(subj)


_QUOTE_CHARS = frozenset('"“”«»‹›„‘’\'')


def _quotes_in(toks: Sequence["Token"]) -> bool:
    """Whether a run of tokens holds a quotation mark that may open or close quoted speech: a
    possessive apostrophe ("Sanders’ campaign manager") is none, and neither are double marks paired
    inside the run after its first word (a title in an appositive: 'host of the “Morning Show”')."""
    doc = toks[0].doc if toks else None
    marks = [t for t in toks if t.text in _QUOTE_CHARS]
    openers = [m for m in marks if m.text in "‘'" and m.i > 0 and doc[m.i - 1].whitespace_]
    marks = [t for t in marks if not (t.text in "’'" and t.i > 0 and not doc[t.i - 1].whitespace_
                                      and doc[t.i - 1].text[-1:].lower() == "s"
                                      and not any(m.i < t.i for m in openers))]
    double = [t for t in marks if t.text in '"“”«»„']
    if double and len(double) == len(marks) and len(double) % 2 == 0 and double[0].text != "”" \
            and double[0].i > toks[0].i:
        return False
    return bool(marks)


def _content_bounds(doc: "Doc", head: "Token") -> tuple[int, int]:
    left, right = head.left_edge, head.right_edge
    s = left.idx
    e = right.idx + len(right.text)
    text = doc_text(doc)
    while e > s and (text[e - 1] in " ,;:—–-." or text[e - 1].isspace()):
        e -= 1
    while s < e and (text[s] in " ,;:—–-" or text[s].isspace()):
        s += 1
    return s, _drop_trailing_cc(text, s, e)


def _find_frames(doc: "Doc", chains: ChainFinder, quoted: Sequence[QuotedSpan] | None = None) -> list[Frame]:
    frames: list[Frame] = []
    for sent in doc.sents:
        for tok in sent:
            lemma = tok.lemma_.lower()
            according = tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"
            survey = (tok.lower_ == "in" and tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX")
                      and tok.head.lemma_.lower() not in CUE_VERBS and tok.i < tok.head.i)
            if according or survey:
                to = doc[tok.i + 1] if according else tok
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if pobj is None or (survey and pobj.lemma_.lower() not in SURVEY_NOUNS):
                    continue
                head = tok.head if tok.head.i != tok.i else None
                if head is None:
                    continue
                while head.dep_ == "conj" and head.head.i < head.i:
                    head = head.head  # "A won 37 percent, B 36 and C snagged 13, according to X"
                # the clause the phrase modifies, minus the phrase itself
                skip = {t.i for t in tok.subtree}
                body = [t for t in head.subtree if t.i not in skip]
                if not body:
                    continue
                s = body[0].idx
                e = body[-1].idx + len(body[-1].text)
                gap = None
                if tok.idx > s and tok.idx < e:
                    if head.i > tok.i:  # "For Trump, according to X, the speech is a test": both sides
                        last = max(tok.right_edge.i, to.right_edge.i)
                        gap = (tok.idx, doc[last].idx + len(doc[last].text))
                    else:  # "A won 37 percent, according to X, and B 36": the clause before
                        e = tok.idx
                s, e = _trim(doc_text(doc), s, e)
                if e - s < 3:
                    continue
                src = _relay_source(pobj)
                ss, se, _ = _span_text(doc, src)
                cue_text = doc_text(doc)[tok.idx:to.idx + len(to.text)]
                frames.append(Frame(tok.idx, to.idx + len(to.text), cue_text, s, e, (ss, se), pobj,
                                    tok, "according to" if according else "in", sent.start_char, sent.end_char,
                                    gap=gap))
                continue
            if lemma not in CUE_VERBS or tok.pos_ not in ("VERB", "AUX"):
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None:
                comp = _stray_that_clause(tok)
            left_clause = rel_subj = None
            if comp is not None and comp.i < tok.i:
                # "X ripped Y: he said Z", "X offered A, then says Z": a clause before the cue that the
                # parser hung on it, and the reported clause after it (left to the quotation-mark path
                # when it holds a quoted passage: 'he stated that "..."' is found from its marks)
                right = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
                rel_subj = _subject_relative(comp) if right is not None else None
                if right is not None and (rel_subj is not None or (
                        not _holds_quote(quoted, comp.left_edge.idx, comp.right_edge.idx + 1)
                        and not _holds_quote(quoted, right.left_edge.idx, right.right_edge.idx + 1))):
                    left_clause, comp = comp, right
            nominal = False
            if comp is None and lemma in NOMINAL_CUES:
                comp = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
                nominal = comp is not None
            proform = False
            if comp is None and lemma in PROFORM_CUES:
                # "half said so", "a third said the same of Y", "75 percent said yes": a reply or a
                # reference back stands for what was said
                comp = next((c for c in tok.children if c.i > tok.i and c.dep_ in ("dobj", "advmod", "intj", "oprd")
                             and c.lower_ in PROFORM_OBJECTS), None)
                nominal = proform = comp is not None
            if comp is None and lemma in INFINITIVE_CUES:
                # "vowed to fight on", "urged Congress to act", "called Smith a liar"
                comp = next((c for c in tok.children if c.dep_ == "xcomp" and (
                    c.pos_ in ("VERB", "AUX") or (lemma == "call" and c.pos_ in ("NOUN", "PROPN", "ADJ")))), None)
                if comp is None and lemma == "call":  # "called for a ban"
                    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "for"), None)
                    comp = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
                nominal = comp is not None
            if comp is None:
                # "... , he said." where the parser hangs the clause the other way round
                # (a clause opened by "that", "how" or "what" or with an object of its own is what the
                # verb before it reports, not a parenthetical cue: "estimated that the rise would add
                # $160 to ...", "we explore what happened and how officials are responding")
                if tok.dep_ == "parataxis" or (tok.dep_ == "ccomp" and tok.head.i < tok.i
                                               and lemma not in _CLAUSE_ONLY
                                               and not any(c.dep_ in ("mark", "dobj") or c.tag_ in _WH_TAGS
                                                           for c in tok.children)) or (
                        tok.dep_ == "advcl" and tok.head.pos_ in ("VERB", "AUX") and lemma not in _CLAUSE_ONLY
                        and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
                        and not _thing_object(tok)):
                    # "As The Ledger reported on Monday, the plan is dead": the clause it hangs on
                    comp = tok.head
                    if comp.lemma_.lower() in CUE_VERBS and comp.dep_ == "ROOT":
                        comp = None
                if comp is None:
                    continue
            light_cue = None
            if nominal and _means_of_saying(tok):
                continue  # "called the authorities to say ...": the means; "to say" reports
            if comp.i == tok.head.i:
                cs, ce = _clause_without(doc, comp, tok)
            elif nominal and comp.dep_ == "dobj":  # "dismissed the report as a smear", "denied X in a statement"
                cs, ce = _act_bounds(doc, tok, comp, wide=True)
                if _holds_quote(quoted, cs, ce) and not _holds_quote(quoted, *_content_bounds(doc, comp)):
                    cs, ce = _content_bounds(doc, comp)  # the quoted words stay a quote of their own
                light = _light_object(doc, tok, comp)
                if light is not None:
                    cs, ce, light_cue = light
            else:
                cs, ce = _content_bounds(doc, comp)
                if not nominal:
                    ce = _reported_tail(doc, tok, ce)
                elif comp.dep_ == "xcomp" and lemma != "tell":
                    # "urged Congress to act", "called Smith a liar": the object is part of what
                    # is urged or called ("told X to": X is whom it was said to)
                    obj = next((c for c in tok.children if c.dep_ == "dobj" and tok.i < c.i < comp.i), None)
                    if obj is not None:
                        cs = min(cs, obj.left_edge.idx)
            ce = _cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce), nominal)
            if _gapped_relative(tok, comp):
                # "a probe the agency said was ongoing": what is reported is about the noun the
                # clause hangs on, so the content runs from that noun (PolNeAR's annotators span it)
                cs = min(cs, tok.head.left_edge.idx)
            if ce - cs < 3 and not (proform and ce > cs):
                continue
            subj = _subject_of(tok)
            if subj is None and left_clause is not None:  # "X offered A, then says Z": X says
                subj = rel_subj or next((c for c in left_clause.children if c.dep_ == "nsubj"), None)
            if subj is None and comp.i > tok.i:
                subj = _stranded_subject(tok)
            src = None
            if subj is not None:
                # (a relative clause the parser broke up is left out of the source phrase)
                st = _np_tokens(subj) if rel_subj is not None and rel_subj.i == subj.i else _source_tokens(subj, tok)
                ss, se, _ = _span_text(doc, st)
                own = tok.left_edge.i <= subj.i <= tok.right_edge.i  # "The plan, she said, is dead"
                if cs <= ss < ce and not own and (comp.i == tok.head.i or subj in set(comp.subtree)):
                    subj, src = None, None  # subject inside the content: not a source
                else:
                    src = (ss, se)
            if src is None:
                continue
            gap = None
            words = [t for t in tok.subtree if not t.is_punct]
            if comp.i == tok.head.i and cs < words[0].idx and words[-1].idx < ce:
                gap = (words[0].idx, words[-1].idx + len(words[-1].text))
            elif not nominal and (comp.i == tok.head.i or comp.i < tok.i):
                cont = _continuation(doc, tok, comp, ce)
                if cont is not None:
                    ce, gap = cont
            cue_s, cue_e = tok.idx, tok.idx + len(tok.text)
            # include particles and "in a statement" style phrases minimal: particle only
            for c in tok.children:
                if c.dep_ == "prt" and c.i == tok.i + 1:
                    cue_e = c.idx + len(c.text)
            if light_cue is not None:
                cue_e = light_cue
            cue_e, cs = _cue_phrase(doc, tok, cue_e, cs)
            frames.append(Frame(cue_s, cue_e, doc_text(doc)[cue_s:cue_e], cs, ce, src, subj, tok, lemma,
                                sent.start_char, sent.end_char, nominal=nominal, gap=gap))
    frames.extend(_trailing_cue_frames(doc, {f.cue_tok.i for f in frames if f.cue_tok is not None}))
    frames.extend(_noun_frames(doc))
    frames.extend(_passive_frames(doc))
    if quoted is not None:
        rule_cues = {f.cue_tok.i for f in frames if f.cue_tok is not None}
        frames.extend(_learned_frames(doc, quoted, rule_cues))
    frames = [f for f in frames if not _no_report(f) and not _reduced_passive(f)
              and not (f.cue_tok is not None and _discourse_marker(f.cue_tok))]
    for f in frames:
        f.chain = chains.links_for(f)
    return frames


#: Verbs of telling someone to act ("told X to", "urged X to"): without an object before the
#: infinitive they are a reduced passive ("Residents told not to drink tap water").
_DIRECTIVE_VERBS = frozenset({"tell", "ask", "urge", "order", "advise", "warn", "instruct", "encourage",
                              "invite", "request", "remind", "beg", "implore", "direct", "caution"})


def _means_of_saying(verb: "Token") -> bool:
    """Whether an act with an object is done to say something ("called the authorities to say ...",
    "wrote the board to complain that ..."): an infinitive of a reporting verb after the object. Not a
    directive verb ("urged Congress to declare war": what is urged is the report)."""
    if verb.lemma_.lower() in _DIRECTIVE_VERBS:
        return False
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and any(
        c.dep_ in ("xcomp", "advcl") and c.i > obj.i and c.lemma_.lower() in CUE_VERBS
        and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in verb.children)


#: Words that, with a reporting verb, open a sentence as a discourse marker: "That said,", "Having
#: said that,", "All told,", "Truth be told,", "Needless to say,".
_MARKER_WORDS = frozenset({"that", "this", "all", "truth", "be", "having", "needless", "to"})


def _discourse_marker(cue: "Token") -> bool:
    """Whether a reporting verb is part of a phrase that opens its sentence and ends at a comma, made
    only of the verb and :data:`_MARKER_WORDS` ("That said, the plan ..."): no one speaks."""
    sent = cue.sent
    if cue.i - sent.start > 6:
        return False
    words = [t for t in sent[:8] if not t.is_space]
    comma = next((k for k, t in enumerate(words) if t.text == ","), None)
    if comma is None or comma > 3 or not any(t.i == cue.i for t in words[:comma]):
        return False
    return all(t.i == cue.i or t.lower_ in _MARKER_WORDS for t in words[:comma])


def _reduced_passive(f: Frame) -> bool:
    """Whether a frame's cue is a directive verb read as active where a headline drops the "were"
    ("Residents told not to drink tap water", "Tourists urged to stay away"): its subject is whom it
    was said to, not the speaker, so the frame has no source."""
    tok = f.cue_tok
    if tok is None or tok.lemma_.lower() not in _DIRECTIVE_VERBS or tok.tag_ not in ("VBD", "VBN"):
        return False
    kids = list(tok.children)
    if any(c.dep_ in ("dobj", "dative", "iobj", "nsubjpass", "auxpass", "aux", "ccomp") for c in kids):
        return False
    # (an object the parser made the infinitive's subject, "ordered residents not to drink", is active)
    return any(c.dep_ == "xcomp" and c.i > tok.i and any(g.lower_ == "to" and g.dep_ == "aux" for g in c.children)
               and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
               for c in kids) and f.source_tok is not None and f.source_tok.i < tok.i


#: Wh-words ("how officials are responding"): a clause they open is asked about, not reported.
_WH_TAGS = frozenset({"WRB", "WP", "WDT"})
#: Auxiliaries of obligation: "Authorities must explain why ..." demands a statement, reports none
#: ("should" stays: PolNeAR's annotators mark "X should do Y" as X's stance when X says it).
_DEONTIC = frozenset({"must", "ought"})


def _no_report(f: Frame) -> bool:
    """Whether a frame reports nothing anyone said: a question to the reader ("What do you think about
    ...?") or a demand ("Authorities must explain why ...")."""
    if f.source_tok is not None and f.source_tok.lower_ == "you":
        return True
    return f.cue_tok is not None and any(c.dep_ == "aux" and c.lower_ in _DEONTIC for c in f.cue_tok.children)


def _gapped_relative(cue: "Token", comp: "Token") -> bool:
    """Whether ``cue`` heads a relative clause with no relative pronoun of its own, whose reported
    clause ``comp`` follows it: "the jurist many fear she would choose", "a probe the agency said
    was ongoing" (the noun is what the report is about)."""
    return cue.dep_ == "relcl" and cue.head.pos_ in ("NOUN", "PROPN") and comp.i > cue.i \
        and comp.head.i == cue.i and not any(
            t.lower_ in ("who", "whom", "whose", "which", "that", "where", "when") and t.i < cue.i
            for t in cue.subtree)


def _stray_that_clause(cue: "Token") -> "Token | None":
    """A "that" clause the parser hung as a relative clause on a noun in the cue's prepositional
    phrase ("said in one of a series of messages that the truck was carrying arms"): a relative
    clause has no "that" as its mark, so such a clause with a subject of its own is the report."""
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.i < cue.i:
            continue
        for t in prep.subtree:
            if t.dep_ == "relcl" and t.pos_ in ("VERB", "AUX") and any(
                    c.dep_ == "mark" and c.lower_ == "that" and c.i == t.left_edge.i for c in t.children) \
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                return t
    return None


def _subject_relative(clause: "Token") -> "Token | None":
    """The noun a relative clause the parser took for a reported clause describes: in "Sanders,
    meanwhile, who sits at zero endorsements, said that ..." it made "who sits ..." a clause of "said"
    with "Sanders" as a second subject; Sanders is who said it."""
    doc = clause.doc
    rel = next((c for c in clause.children if c.dep_ == "nsubj" and c.lower_ in ("who", "which")), None)
    if rel is not None and rel.i > 0 and doc[rel.i - 1].text == ",":
        return next((c for c in clause.children if c.dep_ == "nsubj" and c.i < rel.i
                     and c.pos_ in ("PROPN", "NOUN")), None)
    # "One attendee, who like others spoke on the condition of anonymity, said ...": the parser hung
    # the relative clause's verb as the clause and the noun as its subject
    subj = next((c for c in clause.children if c.dep_ == "nsubj" and c.i < clause.i
                 and c.pos_ in ("PROPN", "NOUN")), None)
    if subj is not None and any(c.dep_ == "relcl" and c.left_edge.lower_ in ("who", "which")
                                and doc[c.left_edge.i - 1].text == "," for c in subj.children):
        return subj
    return None


def _trailing_cue_frames(doc: "Doc", have: set[int]) -> list[Frame]:
    """'The plan has made it possible for X to do Y, she said.': a sentence that ends with a comma,
    a short subject and a reporting verb reports everything before the comma, whatever the parser
    made of it (it often hangs such a cue on a word inside the clause). Only for cues no rule took,
    subjects of at most five words without a verb, and clauses without quotation marks (quoted
    passages have their own rules)."""
    out: list[Frame] = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        k = len(toks) - 1
        while k >= 0 and toks[k].is_punct and not toks[k].is_quote:
            k -= 1
        if k < 3:
            continue
        cue = _closing_cue(toks, k)
        if cue is None or cue.i in have:
            continue
        lemma = cue.lemma_.lower()
        if lemma not in CUE_VERBS or lemma in _CLAUSE_ONLY or cue.tag_ not in _FINITE_TAGS:
            continue
        k = toks.index(cue)
        after = next((c for c in cue.children if c.dep_ == "nsubj" and c.i > cue.i), None)
        if after is not None and k >= 3 and toks[k - 1].text == "," and after.right_edge.i >= toks[-1].i - 1 \
                and not any(t.pos_ in ("VERB", "AUX") for t in after.subtree):
            # "..., it is under intense pressure from imports, said the company's chief executive, J. F.":
            # the inverted speaker closes the sentence
            frame = _closing_frame(toks, k - 1, after, cue)
            if frame is not None:
                out.append(frame)
            continue
        subj_tok = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if subj_tok is not None and subj_tok.right_edge.i < cue.i - 1:
            subj_tok = None
        if subj_tok is not None and subj_tok.left_edge.i > toks[0].i + 2 \
                and doc[subj_tok.left_edge.i - 1].text == "," \
                and not any(t.pos_ in ("VERB", "AUX") for t in subj_tok.subtree):
            # "..., his top aide, Tad Devine, told The Ledger.": a subject with an appositive
            frame = _closing_frame(toks, toks.index(doc[subj_tok.left_edge.i - 1]), subj_tok, cue)
            if frame is not None:
                out.append(frame)
            continue
        j = k - 1
        while j >= 0 and toks[j].text != "," and k - j <= 6:
            j -= 1
        if j < 2 or toks[j].text != "," or j == k - 1:
            continue
        subj = toks[j + 1:k]
        if any(t.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "SCONJ", "CCONJ") for t in subj):
            continue
        heads = [t for t in subj if t.pos_ in ("PRON", "PROPN", "NOUN")]
        if not heads:
            continue
        frame = _closing_frame(toks, j, heads[-1], cue, (subj[0].idx, subj[-1].idx + len(subj[-1].text)))
        if frame is not None:
            out.append(frame)
    return out


def _closing_frame(toks: list["Token"], comma: int, speaker: "Token", cue: "Token",
                   source: tuple[int, int] | None = None) -> Frame | None:
    """The frame of a sentence ``toks`` whose words before the comma at ``comma`` a closing cue
    reports, its speaker's phrase ``source`` (by default the one headed by ``speaker``); None when
    those words are too short or quoted (quoted passages have their own rules)."""
    doc = cue.doc
    cs, ce = _trim(doc_text(doc), toks[0].idx, toks[comma].idx)
    if ce - cs < 12 or _quotes_in(toks[:comma]):
        return None
    ss, se = source if source is not None else _span_text(doc, _source_tokens(speaker, cue))[:2]
    sent = cue.sent
    return Frame(cue.idx, cue.idx + len(cue.text), cue.text, cs, ce, (ss, se), speaker, cue, cue.lemma_.lower(),
                 sent.start_char, sent.end_char)


def _closing_cue(toks: list["Token"], k: int) -> "Token | None":
    """The reporting verb that closes a sentence whose last word is ``toks[k]``: that word, or a verb
    followed only by whom it was said to and when or where ("told The Ledger", "said in a statement
    on Friday")."""
    last = toks[k]
    if last.pos_ in ("VERB", "AUX"):
        return last
    cue = last
    while cue.head.i != cue.i and cue.pos_ not in ("VERB", "AUX"):
        cue = cue.head
    if cue.pos_ != "VERB" or cue.i >= last.i:
        return None
    for c in cue.rights:
        if c.is_punct or c.dep_ == "nsubj":  # (", said the company's chief executive.")
            continue
        addressee = c.dep_ == "dobj" and cue.lemma_.lower() in ADDRESSEE_VERBS and (
            c.pos_ == "PROPN" or c.ent_type_ in ENTITY_TYPES or _speaker_noun(c))
        setting = (c.dep_ == "prep" and _setting_phrase(c)) or (c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME"))
        if not (addressee or setting):
            return None
    return cue


def _noun_frames(doc: "Doc") -> list[Frame]:
    """Frames for a cue noun (:data:`NOUN_CUES`) with a holder, a possessive ("Smith's claim",
    "his pledge") or a by-phrase ("the announcement by the agency"), and a that-clause or an
    infinitive after it ("... that the plan failed", "... to cut taxes")."""
    frames: list[Frame] = []
    text = doc_text(doc)
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOUN_CUES:
            continue
        holder = next((c for c in tok.children if c.dep_ == "poss" and c.i < tok.i
                       and c.lower_ not in ("its", "their", "our", "my", "your")), None)
        if holder is None:
            by = next((c for c in tok.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"
                       and c.i > tok.i), None)
            holder = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        if holder is None or holder.pos_ not in ("PROPN", "NOUN", "PRON"):
            continue
        comp = None
        for c in tok.children:
            if c.i <= tok.i or c.dep_ not in ("acl", "ccomp", "relcl"):
                continue
            mark = next((g for g in c.children if g.dep_ in ("mark", "aux") and g.i < c.i), None)
            if mark is not None and (mark.lower_ == "that" and c.dep_ != "relcl" or
                                     mark.lower_ == "to" and c.dep_ == "acl" and tok.lemma_.lower() in _NOUN_INFINITIVE) \
                    and c.pos_ in ("VERB", "AUX"):
                comp = c
                break
        if comp is None:
            continue
        cs, ce = _content_bounds(doc, comp)
        ce = _cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce))
        if _words(text[cs:ce]) < 3:
            continue
        src = _np_tokens(holder)
        ss, se, _ = _span_text(doc, src)
        if cs <= ss < ce:
            continue
        sent = tok.sent
        frames.append(Frame(tok.idx, tok.idx + len(tok.text), tok.text, cs, ce, (ss, se), holder, tok,
                            tok.lemma_.lower(), sent.start_char, sent.end_char, noun=True))
    return frames


_MODALS = frozenset({"would", "could", "will", "might", "should", "may", "can", "must", "'d", "’d"})

#: Verbs whose agentless passive attributes a claim or an expectation to no one named: "X is said to
#: have ...", "X is expected to win", "it was reported that ...".
PASSIVE_CUES = frozenset({"say", "report", "believe", "expect", "allege", "think", "rumor", "rumour",
                          "understand", "estimate", "predict", "project"})


#: Verbs whose agentless passive reports a question put to its subject ("X was asked whether ...",
#: "X was asked a question about ...", "X was asked to name ..."): the question is the content, with
#: no source.
QUESTION_PASSIVES = frozenset({"ask"})


#: Raising verbs: "X seems to Y", "X appears to Y" put the writer's (or no one's) reading on the
#: whole clause; the subject is not a source.
RAISING_CUES = frozenset({"seem", "appear"})


def _holds_quote(quoted: Sequence[QuotedSpan] | None, s: int, e: int) -> bool:
    """Whether a quoted passage (with its marks) overlaps ``s:e``."""
    return bool(quoted) and any(q.open_at < e and s < q.close_at + 1 for q in quoted)


#: Verbs of a stance or a report whose passive names its holder in a by-phrase ("the plan was
#: criticized by the union", "the move was first reported by the network"): the holder is the source,
#: the passive subject what the stance is on. Verbs of seeing take part only with an "as" phrase
#: ("was seen by some as a demotion"): :data:`_AS_PASSIVES`.
AGENT_PASSIVES = NOMINAL_CUES | DENY_VERBS | frozenset("""
report ask quote cite accuse blame support endorse oppose back attack condemn welcome applaud
hail share echo question challenge describe call label brand dub mock ridicule rebuke
""".split())
_AS_PASSIVES = frozenset({"see", "view", "regard", "consider", "perceive"})


def _passive_frames(doc: "Doc") -> list[Frame]:
    """Frames without a source for an agentless passive of :data:`PASSIVE_CUES`: with a raised
    subject and an infinitive the whole clause is the content ("[The plan is expected to pass]"),
    with an expletive "it" the that-clause is ("it was reported [that the plan had failed]"). The cue
    runs from the passive auxiliary to the verb ("is expected"). A passive with a by-phrase is its
    holder's frame instead (:func:`_agent_frame`); those frames follow the agentless ones."""
    frames: list[Frame] = []
    by_agent: list[Frame] = []
    text = doc_text(doc)
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.tag_ == "VBN" and (lemma in AGENT_PASSIVES or lemma in _AS_PASSIVES):
            agent_frame = _agent_frame(doc, tok, lemma)
            if agent_frame is not None:
                by_agent.append(agent_frame)
                continue
        if lemma in RAISING_CUES and tok.pos_ == "VERB":
            # "the senator seemed to lose ground": the writer's reading of the whole clause
            aux = tok
            subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
            if subj is None or any(c.dep_ in ("prep", "dative") and c.lower_ == "to" and c.i > tok.i
                                   for c in tok.children):
                continue  # "seemed to her": an experiencer, another frame
        elif tok.tag_ != "VBN" or (lemma not in PASSIVE_CUES and lemma not in QUESTION_PASSIVES):
            continue
        else:
            aux, subj = _passive_parts(tok)
        if aux is None or subj is None or any(c.dep_ == "agent" for c in tok.children):
            continue
        if subj.lower_ == "it":
            comp = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
            if comp is None:
                continue
            cs, ce = _content_bounds(doc, comp)
        else:
            comp = next((c for c in tok.children if c.dep_ == "xcomp" and c.i > tok.i and any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
            asked = None
            if comp is None and lemma in QUESTION_PASSIVES:
                # "X was asked whether ...", "X was asked a question about ...": the question
                asked = next((c for c in tok.children if c.i > tok.i and (
                    c.dep_ == "ccomp" or (c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")))), None)
            if comp is None and asked is None:
                continue
            if asked is not None:
                cs, ce = _act_bounds(doc, tok, asked) if asked.dep_ == "dobj" else _content_bounds(doc, asked)
            else:
                cs, ce = _trim(text, subj.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text))
        ce = _cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce))
        if _words(text[cs:ce]) < 3:
            continue
        sent = tok.sent
        cue_s, cue_e = aux.idx, tok.idx + len(tok.text)
        frames.append(Frame(cue_s, cue_e, text[cue_s:cue_e], cs, ce, None, None, tok, tok.lemma_.lower(),
                            sent.start_char, sent.end_char))
    return frames + by_agent


def _passive_parts(tok: "Token") -> tuple["Token | None", "Token | None"]:
    """The passive auxiliary and the passive subject before a participle ("[was] criticized")."""
    aux = next((c for c in tok.children if c.dep_ == "auxpass" and c.i < tok.i), None)
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass" and c.i < tok.i), None)
    return aux, subj


def _agent_frame(doc: "Doc", tok: "Token", lemma: str) -> Frame | None:
    """The frame of a passive participle of :data:`AGENT_PASSIVES` whose by-phrase names who can
    speak (:func:`_may_speak`): "The plan was criticized by the union" is the union's stance on "The
    plan". The cue runs from the passive auxiliary to the verb; a subject that is only a pronoun
    ("it was criticized by X", "which was denied by Y") gives no frame, there is nothing to show."""
    aux, subj = _passive_parts(tok)
    agent = next((c for c in tok.children if c.dep_ == "agent" and c.i > tok.i), None)
    if aux is None or subj is None or agent is None or subj.pos_ == "PRON" or subj.lower_ in PRONOUNS:
        return None
    if lemma in _AS_PASSIVES and not any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
        return None  # "was seen by millions": an audience, not a view
    holder = next((c for c in agent.children if c.dep_ == "pobj"), None)
    if holder is None or not _may_speak(holder) or any(c.dep_ == "neg" for c in tok.children):
        return None
    text = doc_text(doc)
    cs, ce = _trim(text, subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text))
    if ce - cs < 2 or ce > aux.idx:
        return None
    ss, se, _ = _span_text(doc, _np_tokens(holder))
    sent = tok.sent
    cue_s, cue_e = aux.idx, tok.idx + len(tok.text)
    return Frame(cue_s, cue_e, text[cue_s:cue_e], cs, ce, (ss, se), holder, tok, lemma,
                 sent.start_char, sent.end_char, nominal=True)


@dataclass(slots=True)
class CueCandidate:
    """A verb with a subject and a complement that the learned cue model scores."""

    tok: "Token"
    comp: "Token"
    kind: str
    subj: "Token"
    feats: list[str]


def cue_candidates(doc: "Doc", quoted: Sequence[QuotedSpan], skip: set[int] | None = None) -> list[CueCandidate]:
    """Every verb of ``doc`` with a subject (its own or borrowed, :func:`_subject_of`) and a
    complement (:func:`storyline.nlp.cues.complement`), with its features; tokens whose index is in
    ``skip`` are left out."""
    text = doc_text(doc)
    qmarks = [(q.open_at, q.close_at + 1) for q in quoted]
    out: list[CueCandidate] = []
    for sent in doc.sents:
        sent_q = any(a < sent.end_char and b > sent.start_char for a, b in qmarks)
        for tok in sent:
            c = _candidate(tok, skip, text, qmarks, sent_q) if tok.pos_ in ("VERB", "AUX") else None
            if c is not None:
                out.append(c)
    return out


#: Participles that work as prepositions ("statements regarding X", "a list including Y"): they
#: name a topic or a member, never an act of their own.
_PREPOSITIONAL_PARTICIPLES = frozenset({"regarding", "concerning", "including", "involving", "considering",
                                        "excluding", "respecting", "barring", "pending"})


def _outside(subj: "Token | None", comp: "Token") -> bool:
    """Whether a subject was found and lies outside the complement (a subject can't be its own content)."""
    return subj is not None and subj.i != comp.i and not comp.left_edge.i <= subj.i <= comp.right_edge.i


def _candidate(tok: "Token", skip: set[int] | None, text: str, qmarks: list[tuple[int, int]],
               sent_q: bool) -> CueCandidate | None:
    """One verb as a :class:`CueCandidate`, or None when it has no subject or no complement."""
    if (skip and tok.i in skip) or tok.dep_ in ("aux", "auxpass", "amod", "compound") \
            or (tok.tag_ == "VBG" and tok.lower_ in _PREPOSITIONAL_PARTICIPLES):
        return None
    comp, kind = complement(tok)
    if comp is None or (tok.pos_ == "AUX" and kind not in ("acomp", "aprep")):
        return None
    # the cue model reads the subject the parse gives; the frame's speaker may be another's
    # (:func:`_outer_coordinate`)
    subj = _subject_of(tok, outer=False)
    if not _outside(subj, comp):
        return None
    speaker = _subject_of(tok)
    if not _outside(speaker, comp):
        speaker = subj
    off = tok.idx
    in_q = sent_q and any(a <= off < b for a, b in qmarks)
    cs, ce = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text)
    comp_q = any(ch in _QUOTE_CHARS for ch in text[cs:ce])
    borrowed = subj.head.i != tok.i
    feats = features(tok, comp, kind, subj, in_quote=in_q, sent_quote=sent_q, comp_quote=comp_q,
                     lexicon=tok.lemma_.lower() in CUE_VERBS, borrowed=borrowed, nested=_reported_clause(tok))
    return CueCandidate(tok, comp, kind, speaker, feats)


def _reported_clause(tok: "Token", depth: int = 6) -> bool:
    """Whether ``tok`` lies in the clause or infinitive a lexicon reporting verb governs ("Smith said
    the union wants to ...": "wants" is reported by "said")."""
    for _ in range(depth):
        if tok.head.i == tok.i:
            return False
        if tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_.lower() in CUE_VERBS:
            return True
        tok = tok.head
    return False


#: Prepositions after an object that still belong to what a stance is about ("described X as Y",
#: "accused X of Y", "compared X with Y"); others ("on Tuesday", "in an interview") do not.
_ACT_PREPS = frozenset({"as", "of", "with", "for", "to", "into", "against", "about"})
#: Prepositions of the setting of an act ("at a rally", "during the debate", "after the vote"): the
#: wide form of an act's content (:func:`_act_bounds`) stops before them.
_SETTING_PREPS = frozenset({"at", "during", "after", "before", "since", "until", "amid", "throughout", "despite"})
#: Prepositions and nouns of the occasion or medium of an act ("in a speech", "on Twitter", "in a
#: tweet", "in an interview with X"): the setting, like a date.
_MEDIUM_PREPS = frozenset({"in", "on", "via", "through", "with"})
_OCCASION_NOUNS = MEDIUM_NOUNS | frozenset({"speech", "address", "remark", "rally", "debate", "hearing", "meeting",
                                            "conference", "email", "message", "ad", "video", "advertisement"})


#: "made clear that", "made it plain that": the adjective is part of the cue.
_MADE_CLEAR = re.compile(r"((?:it\s+)?(?:clear|plain|known))\b\s*(?=that\b)", re.I)


def _cue_phrase(doc: "Doc", verb: "Token", cue_end: int, content_start: int) -> tuple[int, int]:
    """A cue verb with the words that make one phrase of it (PolNeAR's cue spans): "shot back",
    "walked back"; "called on" (what follows "on" is part of what is called for: "called on
    residents to stay home"); "made clear that", "made it clear that" (the content starts at
    "that"). Returns the cue's end and the content's start."""
    text = doc_text(doc)
    nxt = next((t for t in doc[verb.i + 1:verb.i + 3] if t.idx >= cue_end), None)
    if nxt is None or nxt.idx > cue_end + 1:
        return cue_end, content_start
    if nxt.lower_ == "back" and nxt.head.i == verb.i and nxt.dep_ in ("advmod", "prt"):
        return nxt.idx + len(nxt.text), max(content_start, nxt.idx + len(nxt.text))
    if verb.lemma_.lower() == "call" and nxt.lower_ == "on" and nxt.head.i == verb.i and content_start > nxt.idx:
        obj = next((g for g in nxt.children if g.dep_ == "pobj"), None)
        start = obj.left_edge.idx if obj is not None else content_start
        return nxt.idx + len(nxt.text), min(content_start, start)
    if verb.lemma_.lower() == "make" and content_start >= cue_end:
        m = _MADE_CLEAR.match(text, content_start)
        if m is not None and not text[cue_end:content_start].strip():
            return m.end(1), m.end()
    return cue_end, content_start


def _setting_phrase(prep: "Token") -> bool:
    """Whether a prepositional phrase gives the setting of an act, not its matter: a preposition of
    :data:`_SETTING_PREPS`, one whose object is a date or a time ("on Friday", "in March"), or an
    occasion or medium ("in a speech", "in an interview with X": :data:`_OCCASION_NOUNS`)."""
    objs = [g for g in prep.children if g.dep_ == "pobj"]
    if prep.lower_ == "at" and any(_measure(g) for g in objs):
        return False  # "found benzene at 38 micrograms per litre": a measure, not a place
    return prep.lower_ in _SETTING_PREPS or any(
        g.ent_type_ in ("DATE", "TIME") or (prep.lower_ in _MEDIUM_PREPS and g.lemma_.lower() in _OCCASION_NOUNS)
        for g in objs)


def _measure(tok: "Token") -> bool:
    """Whether a noun phrase's head is an amount ("38 micrograms", "5 percent", "$4 a share")."""
    return tok.ent_type_ in ("QUANTITY", "PERCENT", "MONEY", "CARDINAL") or tok.like_num \
        or any(c.dep_ == "nummod" for c in tok.children)


def _act_bounds(doc: "Doc", verb: "Token", comp: "Token", wide: bool = False) -> tuple[int, int]:
    """The content of a stance or act with a nominal complement: the object and what completes it
    ("offered Smith the second spot", "regards the city as its capital", "accuses X of Y"); ``wide``
    also takes every other prepositional phrase but those of the setting (:func:`_setting_phrase`)
    and an infinitive after the object ("praised the
    effort in the aftermath of the storm", "announced steps to tighten sales"), as PolNeAR's
    annotators do (the narrow form is the content when the wide one would swallow a quoted passage)."""
    parts = [comp]
    for c in verb.children:
        if c.i <= verb.i or c is comp:
            continue
        if c.dep_ in ("dobj", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr") or (
                c.dep_ == "prep" and (c.lower_ in _ACT_PREPS or (wide and not _setting_phrase(c))) and c.i > comp.i):
            parts.append(c)
        elif wide and c.dep_ == "advcl" and c.i > comp.i and any(g.dep_ == "aux" and g.lower_ == "to" and g.i < c.i for g in c.children):
            parts.append(c)
    lo = min(p.left_edge.i for p in parts)
    hi = max(p.right_edge.i for p in parts)
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    return _trim(doc_text(doc), s, e)




def _light_object(doc: "Doc", verb: "Token", obj: "Token") -> tuple[int, int, int] | None:
    """For an act whose object is followed by a reporting participle ("issued a statement saying that
    X", "posted a video claiming X"), ``(content start, content end, cue end)``: the content is what
    the participle governs and the cue runs from the verb over the participle. Likewise a noun of a
    statement or a stance (:data:`_STANCE_OBJECTS`) followed by a that-clause or a preposition ("made
    several statements on X", "made no mention of X"): the cue runs over the noun (and the
    preposition), the content is what it is about. None otherwise: other object nouns with what
    follows them stay in the content ("expressed support for X", "rejected the idea that X"), as
    PolNeAR's annotators mostly keep them."""
    if obj.pos_ != "NOUN":
        return None
    for c in obj.children:
        if c.i > obj.i and c.dep_ == "acl" and c.tag_ == "VBG" and c.lemma_.lower() in CUE_VERBS:
            g = next((g for g in c.children if g.dep_ in ("ccomp", "dobj") and g.i > c.i), None)
            if g is not None:
                s, e = _content_bounds(doc, g)
                return s, e, c.idx + len(c.text)
    if obj.lemma_.lower() not in _STANCE_OBJECTS:
        return None
    text = doc_text(doc)
    # (a preposition right after the object may hang on the verb: "made the case for X")
    after = [c for c in verb.children if c.dep_ == "prep" and c.i == obj.right_edge.i + 1]
    for c in [*obj.children, *after]:
        if c.i <= obj.i:
            continue
        if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX") and any(
                g.dep_ == "mark" and g.lower_ == "that" and g.i == c.left_edge.i for g in c.children):
            s, e = _trim(text, c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
            return s, e, obj.idx + len(obj.text)  # "expressed concern that X"
        if c.dep_ == "prep" and c.lower_ in _STANCE_PREPS:
            o = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if o is not None:
                s, e = _trim(text, o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text))
                return s, e, c.idx + len(c.text)  # "made several statements on X", "made no mention of X"
    return None


#: Nouns of a statement or a stance that, as the object of a light verb, belong to the cue ("made
#: several statements on X", "expressed concern that X", "made the case for X", "showed no sign that
#: X", "made no mention of X"): PolNeAR's annotators put them in the cue four times in five.
_STANCE_OBJECTS = frozenset({"statement", "concern", "criticism", "case", "sign", "doubt", "mention", "confidence",
                             "opinion", "letter"})
_STANCE_PREPS = frozenset({"about", "of", "for", "on", "against", "over", "with", "to", "behind", "regarding"})

#: Complements under which a learned cue makes a frame: a clause ("believes that ..."), an
#: infinitive ("wants to ..."), a clause under an adjective ("is confident that ..."), and an act's
#: object, direct or after a preposition ("endorsed the plan to cut taxes", "voted for the bill").
LEARNED_KINDS = frozenset({"ccomp", "xcomp", "acomp", "dobj", "aprep", "forto"} | {"prep:" + p for p in
                                                                 ("for", "about", "against", "on", "with",
                                                                  "of", "to", "over", "in")})
#: Adjectives of a forecast or a schedule ("is likely to win", "is due to appear"): a frame only when
#: what is likely is itself saying or thinking something ("voters are more likely to say ...").
_LIKELIHOOD = frozenset({"likely", "unlikely", "certain", "sure", "bound", "set", "poised", "expected", "due",
                         "scheduled", "slated"})
#: Verbs of an effort whose infinitive says what was attempted, not what the subject holds or said
#: ("tried to block the bill", "managed to pass it"): never learned cues with an infinitive.
EFFORT_VERBS = frozenset({"try", "attempt", "manage", "fail", "struggle", "strive", "endeavor", "endeavour"})
#: Reporting verbs whose object is the addressee ("told reporters", "asked the minister"): a person,
#: an organisation or a pronoun as their object is never the content.
ADDRESSEE_VERBS = frozenset({"tell", "ask", "inform", "notify", "brief"})
#: Entity types of an object that no act takes a stance on ("posted on May 15", "raised $5 million").
_NOT_STANCE_ENTS = frozenset({"DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "PERCENT", "ORDINAL"})


def _bare_pronoun_act(comp: "Token") -> bool:
    """Whether an act's object is only a pronoun ("supports him", "attacked it"): such an act is never
    reported, its content would say nothing a reader could compare across outlets. Any other object
    the cue model accepts is ("endorsed Smith", "opposed the plan to cut taxes"; PolNeAR's annotators
    report one-word stances as often as long ones), and so is a pronoun with what the act calls it
    ("called him a loser", "calls himself a negotiator")."""
    return comp.pos_ == "PRON" and not any(c.dep_ == "oprd" and c.i > comp.i for c in comp.head.children)


def _learned_frames(doc: "Doc", quoted: Sequence[QuotedSpan], rule_cues: set[int]) -> list[Frame]:
    """Frames for the candidates the learned cue model accepts (:mod:`storyline.nlp.cues`), beside
    the verbs the rules already took."""
    model = load_model()
    frames: list[Frame] = []
    text = doc_text(doc)
    for c in cue_candidates(doc, quoted, rule_cues):
        prob = model.prob(c.feats) if c.kind in LEARNED_KINDS else 0.0
        if prob < model.threshold:
            continue
        tok, comp = c.tok, c.comp
        if c.kind == "xcomp" and tok.lemma_.lower() in EFFORT_VERBS:
            continue  # "tried to block the bill": an effort, not a stance or a statement
        if c.kind == "acomp" and comp.head.lemma_.lower() in _LIKELIHOOD and comp.lemma_.lower() not in CUE_VERBS:
            continue  # "they are likely to back X": the writer's forecast ("more likely to say X" reports)
        if c.kind == "dobj" and tok.lemma_.lower() in ADDRESSEE_VERBS and (
                comp.pos_ in ("PRON", "PROPN") or comp.ent_type_ in ENTITY_TYPES or _speaker_noun(comp)):
            continue  # "told The Daily Ledger", "asked the minister": whom it was said to
        nominal = c.kind not in ("ccomp", "acomp", "forto")
        if c.kind == "aprep":  # "is concerned about [the plan]"
            cs, ce = _trim(text, comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text))
        elif c.kind == "forto":  # "called for [the minister to resign]": the "for" is the cue's
            mark = for_mark(comp)
            cs, ce = _content_bounds(doc, comp)
            cs = max(cs, _trim(text, mark.idx + len(mark.text), ce)[0]) if mark is not None else cs
        else:
            cs, ce = _content_bounds(doc, comp) if not nominal else _act_bounds(doc, tok, comp)
        if c.kind == "ccomp":
            ce = _reported_tail(doc, tok, ce)
        ce = _cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce), nominal)
        if ce - cs < 2 or (nominal and c.kind != "xcomp" and _bare_pronoun_act(comp)):
            continue
        light = _light_object(doc, tok, comp) if c.kind == "dobj" else None
        if light is not None:  # "issued a statement saying ...": the noun is part of the cue
            cs, ce = light[0], light[1]
        elif nominal and c.kind != "aprep":  # the whole act is reported: "praised the effort of a donor to the campaign"
            ws, we = _act_bounds(doc, tok, comp, wide=True)
            if not (_holds_quote(quoted, ws, we) and not _holds_quote(quoted, cs, ce)):
                cs, ce = ws, we  # (not when only the wider form would swallow a quoted passage)
            ce = _cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce), nominal)
        if nominal and (comp.ent_type_ in _NOT_STANCE_ENTS or any(ch.dep_ == "neg" for ch in tok.children)):
            continue  # "posted on May 15", "did not name a source": no stance attributed
        if nominal and any(ch.dep_ == "prep" and ch.lower_ == "by" and any(
                g.dep_ == "pcomp" and g.lemma_.lower() in CUE_VERBS for g in ch.children) for ch in tok.children):
            continue  # "responded to the charge by asserting that ...": the report is the frame
        if nominal and _means_of_saying(tok):
            continue  # "called the authorities to say ...": the means; "to say" reports
        if c.subj.lower_ in ("i", "we") and "INQ" not in c.feats:
            continue  # "In this article, we explore ...": the writer's own voice
        st = _source_tokens(c.subj, tok)
        ss, se, _ = _span_text(doc, st)
        if cs <= ss < ce:
            continue
        cue_s, cue_e = tok.idx, tok.idx + len(tok.text)
        for ch in tok.children:
            if (ch.dep_ == "prt" and ch.i == tok.i + 1) or (c.kind == "acomp" and ch.dep_ == "acomp"):
                cue_e = ch.idx + len(ch.text)  # "pointed out", "is confident (that)"
        if c.kind == "aprep":  # "is concerned about"
            cue_e = comp.head.idx + len(comp.head.text)
        elif c.kind.startswith("prep:") and comp.head.i - tok.i <= 3 and all(
                t.tag_ in ("RB", "RP") for t in doc[tok.i + 1:comp.head.i]):
            cue_e = comp.head.idx + len(comp.head.text)  # "weighed in on", "doubled down on", "cheered loudly for"
        if c.kind == "forto" and (mark := for_mark(comp)) is not None:  # "called for"
            cue_e = mark.idx + len(mark.text)
        if light is not None:
            cue_e = light[2]
        sent = tok.sent
        cue_e, cs = _cue_phrase(doc, tok, cue_e, cs)
        frames.append(Frame(cue_s, cue_e, text[cue_s:cue_e], cs, ce, (ss, se), c.subj, tok,
                            tok.lemma_.lower(), sent.start_char, sent.end_char, nominal=nominal,
                            learned=True))
    return frames


def _adjacent(doc: "Doc", end: int, tok: "Token") -> bool:
    """Whether ``tok`` follows a content ending at ``end`` with nothing but space between, and opens
    no new unit (a punctuation mark, a coordinator, a quotation mark)."""
    return (tok.idx >= end and not doc_text(doc)[end:tok.idx].strip()
            and tok.pos_ not in ("PUNCT", "CCONJ", "SYM") and not tok.is_quote)


#: Modals of the present ("will go", "can act"); "would" and "could" are the past's.
_PRESENT_MODALS = frozenset({"will", "'ll", "’ll", "can", "may", "must", "shall"})


def _present(verb: "Token") -> bool:
    """Whether ``verb``'s group is in the present tense ("doesn't want", "will go", "is")."""
    return verb.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and (c.tag_ in ("VBZ", "VBP") or c.lower_ in _PRESENT_MODALS)
        for c in verb.children)


def _reported_tail(doc: "Doc", cue: "Token", end: int) -> int:
    """Extend a clause content over what the parser hung on the cue verb after it but still belongs
    to the report: "said that A, but B refused" (a conjunct with a subject of its own), "said he
    backed A but would now back B" (a conjunct in the reported future), "found that A, while B", and
    a clause or object that runs on from the content with no mark between (one clause the parser split
    in two). Not when the content ends before the cue ('"A," she said and left': what follows the cue
    is the writer's)."""
    if end <= cue.idx:
        return end
    subj = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    new_end = end
    for c in cue.children:
        if c.idx < end or c.lemma_.lower() in CUE_VERBS:
            continue
        ok = False
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            own = next((g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if own is not None:
                ok = subj is None or (own.lower_ != subj.lower_ and own.lower_ not in PRONOUNS) \
                    or (cue.tag_ == "VBD" and _present(c))
            else:
                ok = any(g.dep_ == "aux" and g.lower_ in _MODALS for g in c.children)
        elif c.dep_ == "advcl":
            ok = any(g.dep_ == "mark" and g.lower_ in ("while", "whereas", "although", "though")
                     for g in c.children)
        if not ok and c.dep_ in ("ccomp", "dobj", "conj", "xcomp"):
            # the parser split one clause in two: "shows [most of the hours logged] [were for
            # travel]", "asked how Trump [digests] [major news events]"
            ok = _adjacent(doc, end, c.left_edge)
        if ok:
            r = c.right_edge
            while r.i > c.i and (r.is_punct or r.is_space):
                r = r.nbor(-1)
            new_end = max(new_end, r.idx + len(r.text))
    if new_end == end:
        return end
    return _trim(doc_text(doc), end, new_end)[1]


def _cut_relay_tail(doc: "Doc", s: int, e: int) -> int:
    """End the content before a trailing ", per X" or ", according to X" (a chain link, not content)."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return e
    for t in span:
        if t.i > span.start and doc[t.i - 1].text == "," and (
                t.lower_ == "per" or (t.lower_ == "according" and t.i + 1 < len(doc)
                                      and doc[t.i + 1].lower_ == "to")):
            if t.right_edge.i >= span.end - 2:
                return _trim(doc_text(doc), s, doc[t.i - 1].idx)[1]
    return e


#: What :func:`_cut_writer_tail` cuts from the end of a reported clause (see there).
TAIL_CUTS = frozenset({"relcl", "appos", "vbg", "conj"})


def _cut_writer_tail(doc: "Doc", s: int, e: int, nominal: bool = False) -> int:
    """End a reported clause before what the writer hung on its last words: a relative clause after a
    comma (", which expires next year"), an appositive (", an increase of 20 percent"), a reporting
    participle (", noting that ...": a further report; ", bringing its total to ..." stays), or a further reporting verb of the speaker that the
    parser joined to the clause ("said he was confused and called it a mistake"). The object of an
    act keeps its relative clause ("criticised the agency, which ignored 17 complaints"): there it
    says what the stance is about."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) < 4:
        return e
    last = span.end - 1
    while last > span.start and doc[last].is_punct:
        last -= 1
    text = doc_text(doc)
    for t in span[2:]:
        if t.right_edge.i < last or not (span.start <= t.head.i < t.i):
            continue
        left = t.left_edge
        if left.i <= span.start + 1:
            continue
        cut = None
        if doc[left.i - 1].text == ",":
            if t.dep_ == "relcl" and "relcl" in TAIL_CUTS and not nominal and left.lower_ in ("which", "who", "whose", "whom"):
                cut = left.i - 1
            elif t.dep_ in ("appos", "npadvmod") and "appos" in TAIL_CUTS and t.pos_ in ("NOUN", "PROPN") \
                    and left.pos_ == "DET" and not _listed(t):
                cut = left.i - 1
            elif t.dep_ in ("advcl", "acl") and "vbg" in TAIL_CUTS and t.tag_ == "VBG" and left.i == t.i \
                    and t.lemma_.lower() in CUE_VERBS:
                cut = left.i - 1
        if cut is None and t.dep_ == "conj" and "conj" in TAIL_CUTS and t.lemma_.lower() in CUE_VERBS \
                and t.pos_ == "VERB" and t.tag_ in _FINITE_TAGS and doc[left.i - 1].lower_ in ("and", "but") \
                and not any(c.dep_ in ("nsubj", "nsubjpass", "neg") or (c.dep_ == "aux" and c.tag_ == "MD")
                            for c in t.children):
            cut = left.i - 1
        if cut is not None and cut > span.start:
            return _trim(text, s, doc[cut].idx)[1]
    return e


def _listed(noun: "Token") -> bool:
    """Whether an appositive is an item of a list the parser read as one ("differ on Israel, the
    nuclear deal and the court": ", the nuclear deal" coordinates with what follows it)."""
    return any(c.dep_ == "cc" and c.lower_ in ("and", "or") for c in noun.children) \
        and any(c.dep_ == "conj" for c in noun.children)


#: A coordinator left at the end of a span ("Clinton is honest, and" when the parser hangs the next
#: conjunct elsewhere).
_TRAILING_CC = re.compile(r"[\s,;:—–-]+(?:and|but|or|nor)$", re.I)


def _drop_trailing_cc(text: str, s: int, e: int) -> int:
    m = _TRAILING_CC.search(text, max(s, e - 12), e)
    return m.start() if m is not None and m.start() > s else e


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and (text[e - 1] in " ,;:—–-" or text[e - 1].isspace()):
        e -= 1
    e = _drop_trailing_cc(text, s, e)
    while s < e and (text[s] in " ,;:—–-" or text[s].isspace()):
        s += 1
    return s, e


def _clause_without(doc: "Doc", clause: "Token", cue: "Token") -> tuple[int, int]:
    """The clause headed by ``clause`` without the attribution ``cue`` and its own dependents."""
    skip = {t.i for t in cue.subtree}
    toks = [t for t in clause.subtree if t.i not in skip]
    if not toks:
        return 0, 0
    # keep the side of the clause before the cue when the cue sits at the end ("..., she said")
    before = [t for t in toks if t.i < cue.left_edge.i]
    after = [t for t in toks if t.i > cue.right_edge.i]
    words_after = [t for t in after if not t.is_punct]
    if before and words_after and cue.i > clause.i:
        # "Sales were great, he said, wiping his face": a participle right after the cue is what
        # the speaker did, though the parser hangs it on the reported clause
        first = words_after[0]
        if first.dep_ in ("advcl", "xcomp") and first.head.i == clause.i and first.tag_ == "VBG" \
                and first.left_edge.i == first.i and not any(c.dep_ in ("nsubj", "nsubjpass") for c in first.children):
            after = []
    if _words(" ".join(t.text for t in before)) >= 1 and _words(" ".join(t.text for t in after)) >= 2 \
            and not any(t.is_sent_start for t in after):
        # a parenthetical cue ("The plan, she said, is dead"): the content runs around it
        part = before + after
    else:
        part = before if len(before) >= len(after) else after
    if not part:
        return 0, 0
    s = part[0].idx
    e = part[-1].idx + len(part[-1].text)
    s, e = _trim(doc_text(doc), s, e)
    if e > s and doc_text(doc)[e - 1] == "." and e == doc_text(doc).find(".", s, e + 1) + 1:
        e -= 1
    return s, e


#: Words that open what follows a parenthetical cue clause as the writer's, not the speaker's:
#: "..., she said, according to ...", "..., he said, as the crowd cheered".
_NOT_CONTINUING = frozenset({"according", "per", "as", "when", "who", "which", "whose", "whom", "where"})


def _continuation(doc: "Doc", cue: "Token", comp: "Token", end: int) -> tuple[int, tuple[int, int]] | None:
    """The rest of a sentence that a parenthetical cue clause interrupts ("The argument would be
    aided, Devine said, by the primary calendar"; "The emails were on many topics, the paper said,
    including speeches"): the parser hangs it on the cue, but it goes on with the reported clause
    that ends (at ``end``) just before the cue clause's comma. Returns the new end and the cue
    clause's span (the gap), or None: no comma on both sides, what follows is a participle of what
    the speaker did (", she said, wiping her face"), a phrase of the setting (", he said on Friday",
    "in an interview"), a relay (", according to"), a quotation, or fewer than two words."""
    core = {cue.i}
    for c in cue.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            core |= {t.i for t in c.subtree}
        elif c.dep_ in ("aux", "auxpass", "neg", "prt") or (c.dep_ == "advmod" and c.i == c.right_edge.i
                                                          and abs(c.i - cue.i) <= 2):
            core.add(c.i)
    a, b = min(core), max(core)
    if core != set(range(a, b + 1)) or a == 0 or b + 2 >= len(doc) or doc[a - 1].text != "," \
            or doc[b + 1].text != ",":
        return None
    text = doc_text(doc)
    if text[end:doc[a - 1].idx].strip() or end > doc[a - 1].idx:
        return None  # the reported clause does not run up to the cue clause
    last = cue.sent.end - 1
    while last > b and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    first = doc[b + 2]
    if last < b + 3 or first.is_punct or first.lower_ in _NOT_CONTINUING \
            or (first.tag_ == "VBG" and first.dep_ in ("advcl", "xcomp", "acl")) \
            or (first.dep_ == "prep" and _setting_phrase(first)):
        return None
    if any(not (cue.is_ancestor(t) or t.i == comp.i or comp.is_ancestor(t)) for t in doc[b + 2:last + 1]) \
            or any(t.text in _QUOTE_CHARS for t in doc[b + 2:last + 1]):
        return None
    return doc[last].idx + len(doc[last].text), (doc[a].idx, doc[b].idx + len(doc[b].text))


# --- the extractor ---------------------------------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


_DEFINITE = frozenset({"the", "this", "that"})
#: Verbs of writing or running a document ("a study led by X", "a report commissioned by Y").
_AUTHORING = frozenset({"lead", "conduct", "commission", "write", "author", "prepare", "produce", "carry",
                        "compile", "release", "issue", "file", "bring"})
#: Verbs by which someone sends out a document ("sent a letter", "issued a statement").
_SENDING = frozenset({"send", "write", "issue", "release", "sign", "post", "publish", "pen", "draft", "deliver",
                      "submit", "circulate"})
#: Modifiers of a document noun that make it a different document from the last one named.
_ANOTHER = frozenset({"other", "another", "new", "newer", "previous", "earlier", "separate", "different",
                      "second", "latest", "recent", "similar"})


class _Resolver:
    """Resolves source phrases of one article to named entities."""

    def __init__(self, doc: "Doc", ents: _Entities) -> None:
        self.doc = doc
        self.ents = ents
        self.speakers: list[tuple[int, Resolved]] = []  # (offset, resolved) of earlier quotes
        self._groups: list[tuple[int, int, str, bool]] | None = None  # people named together (_person_groups)
        self.groups: set[str] = set()  # their names: a "they", never a "he" or a "she"
        # offsets of speakers of frames inside a subordinate clause ("reports that Smith had urged
        # her to ..."): not the referent a following "she said" continues with
        self.embedded: set[int] = set()
        # person -> "m" / "f": from "Mr."/"Ms." before the name or "himself"/"herself" after it, then
        # from the first name (:mod:`storyline.nlp.names`), then from the pronouns resolved to them,
        # so a "she" is never given to the man the article called "he"
        self.gender: dict[str, str] = {}
        text = doc_text(doc)
        for m in ents.mentions:
            if m.label == "PERSON":
                before = text[max(0, m.start - 6):m.start]
                g = "m" if _MALE_TITLE.search(before) else "f" if _FEMALE_TITLE.search(before) else None
                if g is None:  # "Trump himself lashed out": an emphatic reflexive after the name
                    after = _REFLEXIVE_AFTER.match(text, m.end)
                    g = ("m" if after.group(1).lower() == "himself" else "f") if after else None
                if g:
                    self.gender.setdefault(ents.canonical(m.text, "PERSON"), g)
        for m in ents.mentions:  # then the first name ("Mary Smith"), where one sex dominates it
            if m.label == "PERSON":
                canon = ents.canonical(m.text, "PERSON")
                g = gender_of(canon)
                if g:
                    self.gender.setdefault(canon, g)

    def resolve(self, tok: "Token", span: tuple[int, int], quote: tuple[int, int] | None = None) -> Resolved:
        """Who the speaker phrase ``span`` headed by ``tok`` names; ``quote``: the direct quotation it
        attributes, whose own mentions are no antecedent of a pronoun ('"It started with Governor
        Bush," he said': "he" is not Bush)."""
        doc, ents = self.doc, self.ents
        s, e = span
        mention_text = doc_text(doc)[s:e]
        low = tok.lower_
        # "who" in a relative clause stands for the noun it modifies
        if low in ("who", "which", "that") and tok.head.dep_ == "relcl":
            noun = tok.head.head
            if low != "who" and not _may_speak(noun):
                # "concerns raised in a report last month, which indicated ...": the parser hung the
                # clause on a noun that cannot speak; the last document named before it does
                noun = next((t for t in reversed(list(noun.subtree)) if t.i < tok.i
                             and base_lemma(t) in DOCUMENT_NOUNS), noun)
            if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _ISSUING_VERBS and not _speaker_noun(noun):
                # "X released an ad that urges ...", "X issued a statement that said ...": whoever
                # released or issued it speaks
                issuer = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
                if issuer is not None and _may_speak(issuer):
                    return self.resolve(issuer, _span_text(doc, _np_tokens(issuer))[:2])
            np = _np_tokens(noun)
            ns, ne, _ = _span_text(doc, np)
            return self.resolve(noun, (ns, ne))
        inside = [m for m in ents.mentions if s <= m.start and m.end <= e and self._heads(tok, m)]
        if inside and tok.ent_type_ == "NORP" and tok.tag_ == "NNP" \
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            # "the California Democrat", "the Texas Republican": one member of a party or a people,
            # the person quoted last
            last = next((r for off, r in reversed(self.speakers) if off < s and s - off < 1500
                         and r.label == "PERSON"), None)
            if last is not None:
                return last
        if inside:
            # people named together speak together ("Jane Smith and Ana Lopez, economists at X, argue")
            group = next((name for gs, ge, name, _ in self._person_groups() if s <= gs and ge <= e
                          and gs <= tok.idx < ge), None)
            if group is not None:
                return Resolved(group, "PERSON", None)
            # prefer a person, then an organisation, then a place; the last such mention is the head
            for label in ("PERSON", "ORG", "GPE", "NORP"):
                ms = [m for m in inside if m.label == label]
                if ms:
                    m = ms[-1]
                    canon = ents.canonical(m.text, label)
                    if " " not in m.text and label != "PERSON":
                        # a single word the recogniser took for an organisation that is the surname
                        # of a person of the article ("Ford said", with "Ada Ford" named)
                        canon = m.text if ents.person_named(m.text, s) is not None else canon
                    if " " not in canon:  # a surname alone: the person named in full earlier
                        full = ents.person_named(canon, s)
                        if full is not None:
                            canon, label = full, "PERSON"
                    role = ents.roles.get(canon) or self._role_from_mention(mention_text, m.text)
                    if label != "PERSON":
                        role = None if not role or role == canon else role
                    return Resolved(canon, label, role)
        if low == "it" and _expletive_it(tok):
            return Resolved("", None, None)  # "It's useful to remember ...": no one
        if low in PRONOUNS and len(mention_text.split()) == 1:
            labels = PRONOUNS[low]
            if low == "they":
                return self._plural_subject(tok, labels) or self._they(s, quote, mention_text)
            want_person = "PERSON" in labels and labels[0] == "PERSON"
            g = _PRONOUN_GENDER.get(low)

            # no one named in what is reported ("He said Smith was wrong": he is not Smith)
            named = self._named_in(quote)

            def fits(name: str, label: str | None) -> bool:
                return name not in named and name not in self.groups \
                    and (g is None or label != "PERSON" or self.gender.get(name, g) == g)

            def known(r: Resolved) -> Resolved:
                if g is not None and r.label == "PERSON":
                    self.gender.setdefault(r.name, g)
                return r

            # the last speaker first (news rarely switches referent between two quotes), then the
            # last compatible subject; a person known by the other pronoun or title is skipped
            m = ents.latest(s, labels, skip=quote,
                            fits=lambda x: fits(ents.canonical(x.text, x.label), x.label))
            last_sp = next((r for off, r in reversed(self.speakers)
                            if off < s and (r.label in labels) and s - off < 1500 and fits(r.name, r.label)
                            and off not in self.embedded), None)
            if want_person and last_sp is not None and last_sp.label == "PERSON":
                # a paragraph that names someone new before the quote and does not name the last
                # speaker ("Those comments drew a sharp response from Rev. Jane Smith. "...," she told
                # a press conference"): the person it names
                para = self._paragraph_start(s)
                if self._last_offset(last_sp.name) < para:
                    # (in a sentence before the pronoun's: not 'Of Smith, he said, "..."')
                    intro = [x for x in ents.mentions if para <= x.start and x.end <= min(s, tok.sent.start_char)
                             and x.label == "PERSON"
                             and not (quote and quote[0] <= x.start < quote[1])
                             and fits(ents.canonical(x.text, x.label), x.label)]
                    if intro:
                        canon = ents.canonical(intro[-1].text, "PERSON")
                        return known(Resolved(canon, "PERSON", ents.roles.get(canon)))
                if m is None or self._last_offset(last_sp.name) >= m.start - 400:
                    return known(last_sp)
            if m is not None:
                canon = ents.canonical(m.text, m.label)
                return known(Resolved(canon, m.label, ents.roles.get(canon)))
            if last_sp is not None:
                return known(last_sp)
            return Resolved(mention_text, None, None)
        # a description: "the finance minister", "the spokesperson", "the ministry"
        desc = strip_article(mention_text).lower()
        desc = re.sub(r"^(his|her|its|their)\s+", "", desc)
        head = base_lemma(tok)
        # a title alone, capitalised ('Minister: "the list is ready"'), is a description
        title_alone = tok.pos_ == "PROPN" and tok.lower_ in PERSON_NOUNS and len(desc.split()) == 1
        if title_alone:
            head = tok.lower_
        # "a senator who asked not to be named", "an aide": someone new, not a person named before (a
        # document still has an owner: "a video of his remarks")
        indefinite = mention_text.split(maxsplit=1)[0].lower() in ("a", "an", "another")
        if tok.pos_ == "NOUN" and tok.text[:1].isupper() and head not in PERSON_NOUNS and head not in ORG_NOUNS:
            # a surname the tagger read as a common noun ("Smith: Well, ..." in a transcript): the
            # person of the article with that surname, before any title a description might match
            full = ents.person_named(tok.text, s)
            if full is not None:
                return Resolved(full, "PERSON", ents.roles.get(full))
        if tok.pos_ == "NOUN" or title_alone:
            if head in ORG_NOUNS:
                best = None
                for off, canon, role in ents.role_at:
                    if off < s and canon.lower() != role:
                        continue
                    if off < s and head in role.split():
                        best = canon
                if best is None:
                    for m in reversed([m for m in ents.mentions if m.end <= s and m.label == "ORG"]):
                        if head in m.text.lower().split():
                            best = ents.canonical(m.text, "ORG")
                            break
                if best is not None:
                    return Resolved(best, "ORG", None)
            else:
                canon_p = ents.titled_person(head, s, desc) if desc and not indefinite else None
                if canon_p is not None:
                    return Resolved(canon_p, "PERSON", ents.roles.get(canon_p))
                if head in DOCUMENT_SOURCES:
                    # "the statement continued", "his prepared remarks said", "the Acme University
                    # letter argues": whose document it is
                    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
                    if owner is not None and owner.i != tok.i:
                        r = self.resolve(owner, (owner.idx, owner.idx + len(owner.text)))
                        if r.label is not None:
                            return r
                    own = self._named_owner(tok) or self._earlier_document(tok, self._sender)
                    if own is not None:
                        return own
                    named = self._named_in(quote)
                    last = next((r for off, r in reversed(self.speakers) if off < s and s - off < 1200
                                 and r.label in ("PERSON", "ORG") and r.name not in named), None)
                    if last is not None:
                        return last
                elif head in PERSON_NOUNS and desc.split()[-1:] == [tok.lower_] and tok.tag_ != "NNS" \
                        and not indefinite:
                    # "the senator", "the presumptive nominee" with no title seen: the person quoted last
                    last = next((r for off, r in reversed(self.speakers) if off < s and s - off < 1500
                                 and r.label == "PERSON"), None)
                    role_words = re.findall(r"\w+", last.role.lower()) if last is not None and last.role else []
                    # (with no role known, only a person named in this paragraph or the one before: "the
                    # mayor" two paragraphs after someone else's quote is someone else)
                    if last is not None and (head in role_words or tok.lower_ in role_words or (
                            last.role is None and self._last_offset(last.name) >= self._paragraph_start(s, 1))):
                        return last
            if head in DOCUMENT_NOUNS and head not in DOCUMENT_SOURCES:
                # "the Acme Institute report found", "a study by X shows", then "the report noted": the
                # organisation or person whose document it is
                owner = self._document_owner(tok)
                if owner is not None:
                    return owner
        # a surname the entity recogniser missed, or one the tagger read as a common noun ("Baker
        # said ...") or a title-case headline made it read as a verb ("Smith Reveals He's ...")
        full = ents.person_named(tok.text, s) if tok.pos_ == "PROPN" or tok.text[:1].isupper() else None
        if full is not None:
            return Resolved(full, "PERSON", ents.roles.get(full))
        if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.ent_type_ == "PERSON"):
            return Resolved(mention_text, None, None)
        if low in ("he", "she", "i", "we", "they") or _speaker_noun(tok) or _part_of_speakers(tok) \
                or (tok.pos_ == "NOUN" and base_lemma(tok) in _SELF_SPEAKING) \
                or (tok.pos_ == "NOUN" and base_lemma(tok) in _PLACE_BODIES and tok.tag_ == "NN"):
            return Resolved(mention_text, None, None)  # (a poll, a study with no owner named: itself)
        return Resolved("", None, None)  # "concerns", "the report", "it": not a speaker

    def _they(self, s: int, quote: tuple[int, int] | None, mention_text: str) -> Resolved:
        """Who a "they" is: the later of the last organisation or people named ("Democrats") and the
        last people named together ("Jane Smith and Ana Lopez, economists at ..., argue"), else the last
        such speaker; never one person ("Smith said X. They also ..." is someone else). With none in
        reach, the pronoun speaks as itself."""
        ents = self.ents
        named = self._named_in(quote)
        text = doc_text(self.doc)

        def fits(x: Mention) -> bool:
            # the subject of a clause in this paragraph or the one before: an organisation that is not
            # someone's surname, or a people in the plural ("Democrats", not "Democratic")
            return s - x.start < 1200 and x.subject and ents.canonical(x.text, x.label) not in named and (
                (x.label == "ORG" and ents.person_named(x.text, s) is None)
                or (x.label == "NORP" and text[x.end - 1:x.end].lower() == "s"))

        m = ents.latest(s, ("ORG", "NORP"), skip=quote, fits=fits)
        # (people named together as a subject, or just before: "Take Senators A and B. Last week, they ...")
        group = next(((gs, name, subj) for gs, ge, name, subj in reversed(self._person_groups()) if ge <= s
                      and not (quote and quote[0] <= gs < quote[1]) and (subj or s - ge < 250)), None)
        # (the group as a subject outranks a name in what describes it: "Jane Smith and Ana Lopez,
        # economists at Acme University, argue ... They")
        if group is not None and s - group[0] < 600 and (
                m is None or group[0] > m.start or (group[2] and not m.subject and s - m.start < 1200)):
            return Resolved(group[1], "PERSON", None)
        if m is not None:
            canon = ents.canonical(m.text, m.label)
            return Resolved(canon, m.label, ents.roles.get(canon))
        last = next((r for off, r in reversed(self.speakers) if off < s and s - off < 1500
                     and (r.label in ("ORG", "NORP") or r.name in self.groups)), None)
        return last if last is not None else Resolved(mention_text, None, None)

    def _person_groups(self) -> list[tuple[int, int, str, bool]]:
        """People named together, in order: (start, end, "Jane Smith and Ana Lopez", whether the first
        is a subject) for a run of person mentions joined by commas and a last "and" or "&"."""
        if self._groups is None:
            text = doc_text(self.doc)
            people = sorted((m for m in self.ents.mentions if m.label == "PERSON"), key=lambda m: m.start)
            self._groups = []
            first: dict[frozenset[str], str] = {}
            run: list[Mention] = []
            for m in people + [None]:  # type: ignore[list-item]
                # (a party tag after a name and a title before the next may stand between: "Reps.
                # Jane Smith (R-N.Y.) and Sen. Ana Lopez")
                joint = run and m is not None and re.fullmatch(
                    r"\s*(?:\([^()\n]{1,15}\))?\s*(?:,|(?:,\s*)?(?:and|&))\s*(?:[A-Z][a-z]{1,4}\.\s+)?",
                    text[run[-1].end:m.start])
                if joint:
                    run.append(m)
                    continue
                if len(run) > 1 and re.search(r"\b(?:and)\b|&", text[run[-2].end:run[-1].start]):
                    names = [self.ents.canonical(x.text, "PERSON") for x in run]
                    if len(set(names)) == len(names):
                        # (one name for the same people in any order: "Foner and Alba" after "Alba and Foner")
                        name = first.setdefault(frozenset(names), ", ".join(names[:-1]) + " and " + names[-1])
                        self._groups.append((run[0].start, run[-1].end, name, run[0].subject))
                        self.groups.add(name)
                run = [m] if m is not None else []
        return self._groups

    def _plural_subject(self, tok: "Token", labels: tuple[str, ...]) -> Resolved | None:
        """"Working families did everything right. They paid their bills. They reported the smell":
        a plural description that can speak, subject of an earlier sentence of the paragraph that
        later sentences go on with as "they", when no named group or speaker comes after it."""
        doc = self.doc
        sent = tok.sent
        for _ in range(3):
            if sent.start == 0 or "\n" in doc[sent.start - 1].text_with_ws:
                return None  # the paragraph begins with this sentence
            sent = doc[sent.start - 1].sent
            if "\n" in sent.text.strip():
                return None  # the paragraph began after the sentence's start
            subj = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and _main_clause(t.head)), None)
            if subj is None:
                return None
            if subj.lower_ == "they":
                continue
            if subj.tag_ != "NNS" or not _speaker_noun(subj) or base_lemma(subj) in ORG_NOUNS:
                return None
            _, _, words = _span_text(doc, _np_tokens(subj))
            ne = subj.right_edge.idx + len(subj.right_edge)  # with what describes it ("in Saltgate")
            if any(ne <= m.start < tok.idx for m in self.ents.mentions if m.label in labels) \
                    or any(ne <= off < tok.idx for off, _ in self.speakers):
                return None
            return Resolved(words, None, None)
        return None

    def _document_owner(self, tok: "Token") -> Resolved | None:
        """Who a document noun speaks for: a name in its phrase ("the Acme Institute report", "Gallup's poll",
        "a report by the agency's inspector general") or, for a bare "the report", the owner of the
        last document of that kind named before it (within a few paragraphs)."""
        return self._named_owner(tok) or self._earlier_document(tok, self._issuer)

    def _earlier_document(self, tok: "Token", other: Any) -> Resolved | None:
        """For "the report", "this letter": the owner of the last document of that kind named before
        it (within a few paragraphs), from its own phrase or by ``other`` (its issuer or sender)."""
        kids = list(tok.children)
        if any(c.dep_ in ("poss", "compound", "prep") for c in kids) or not any(
                c.dep_ == "det" and c.lower_ in _DEFINITE for c in kids) or any(
                c.dep_ == "amod" and c.lower_ in _ANOTHER for c in kids):
            # someone else's or another document ("his report", "a report on ...", "a new study",
            # "other studies"): only "the report", "this poll" point back
            return None
        lemma = tok.lemma_.lower()
        for t in reversed(self.doc[max(0, tok.i - 600):tok.i]):
            if t.lemma_.lower() == lemma and t.pos_ == "NOUN":
                own = self._named_owner(t) or other(t)
                if own is not None:
                    return own
        return None

    def _sender(self, tok: "Token") -> Resolved | None:
        """Who sent, wrote or issued a document named as the object of the act ("A group of
        professors has sent him a letter", "The ministry issued a statement"); or its issuer."""
        verb = tok.head
        if tok.dep_ != "dobj" or verb.pos_ != "VERB" or verb.lemma_.lower() not in _SENDING:
            return self._issuer(tok)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        ns, ne, _ = _span_text(self.doc, _np_tokens(subj))
        r = self.resolve(subj, (ns, ne))
        return r if r.name else None

    def _named_in(self, span: tuple[int, int] | None) -> set[str]:
        """The people and organisations named inside ``span`` (what a quote reports)."""
        if span is None:
            return set()
        return {self.ents.canonical(m.text, m.label) for m in self.ents.mentions
                if span[0] <= m.start < span[1] and m.label in ("PERSON", "ORG")}

    def _issuer(self, tok: "Token") -> Resolved | None:
        """Who speaks in a document named as the setting of a statement ("In a 48-page report, the
        board said ...": the board)."""
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ != "in" or prep.head.pos_ not in ("VERB", "AUX"):
            return None
        subj = next((c for c in prep.head.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        return self._owner_name(subj)

    def _named_owner(self, tok: "Token") -> Resolved | None:
        """The named owner inside a document's own phrase (a possessor, a name before the noun, or
        the object of "by" / "from")."""
        for c in tok.children:
            if c.dep_ in ("poss", "compound") and c.i < tok.i:
                r = self._owner_name(c)
            elif c.dep_ == "prep" and c.lower_ in ("by", "from"):
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                r = self._owner_name(obj) if obj is not None else None
            elif c.dep_ == "acl" and c.lemma_.lower() in _AUTHORING:  # "a study led by researchers at X"
                agent = next((g for g in c.children if g.dep_ == "agent"), None)
                obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
                r = self._owner_name(obj) if obj is not None else None
            else:
                continue
            if r is not None:
                return r
        return None

    def _owner_name(self, tok: "Token") -> Resolved | None:
        """The named person or organisation a token (with its phrase) names, if any."""
        if tok.lower_ in PRONOUNS:  # "his report", "their study"
            r = self.resolve(tok, (tok.idx, tok.idx + len(tok.text)))
            return r if r.label in ("PERSON", "ORG", "GPE", "NORP") else None
        ns, ne, _ = _span_text(self.doc, _np_tokens(tok))
        names = [m for m in self.ents.mentions
                 if m.start < ne and ns < m.end and m.label in ("PERSON", "ORG", "GPE", "NORP")]
        if not names:
            return None
        # the name may take the article of the document's phrase ("[The Acme Institute] report")
        r = self.resolve(tok, (min(ns, *(m.start for m in names)), max(ne, *(m.end for m in names))))
        if r.label in ("PERSON", "ORG", "GPE", "NORP"):
            return r
        # "researchers at X University", "economists from the bank": where they work
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("at", "from", "of") and _speaker_noun(tok):
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and obj.ent_type_ in ("ORG", "GPE", "PERSON"):
                    return self._owner_name(obj)
        return None

    @staticmethod
    def _heads(tok: "Token", m: Mention) -> bool:
        """Whether entity mention ``m`` names the phrase headed by ``tok`` (not a modifier of it)."""
        if m.start <= tok.idx < m.end:
            return True
        for c in tok.children:
            if c.dep_ in ("appos", "flat", "compound") and m.start <= c.idx < m.end and m.label == "PERSON":
                return True
        return False

    def _paragraph_start(self, at: int, back: int = 0) -> int:
        """Where the paragraph holding offset ``at`` starts, or the one ``back`` paragraphs before it."""
        text = doc_text(self.doc)
        start = text.rfind("\n", 0, at) + 1
        for _ in range(back):
            end = start - 1  # back over the blank lines to the end of the paragraph before
            while end > 0 and text[end - 1].isspace():
                end -= 1
            start = text.rfind("\n", 0, end) + 1 if end > 0 else 0
        return start

    def _last_offset(self, name: str) -> int:
        offs = [m.start for m in self.ents.mentions + self.ents.desc_mentions
                if m.text in name or name in m.text]
        offs += [o for o, r in self.speakers if r.name == name]
        return max(offs) if offs else -1

    @staticmethod
    def _role_from_mention(mention: str, name: str) -> str | None:
        i = mention.find(name)
        if i <= 0:
            return None
        role = strip_article(mention[:i].strip(" ,"))
        role = re.sub(r"[’']s$", "", role).strip()
        words = role.split()
        while words and _honorific(words[-1]):  # "Prof Jane Smith": no role
            words.pop()
        return " ".join(words) or None


_NEGATED_CUE = re.compile(
    r"(?:\b(?:not|never|no\s+longer|neither|nor)|n[’']t)\s+(?:(?:yet|once|even|ever|explicitly|directly|"
    r"publicly|actually|really|specifically|immediately|officially|always|previously|also)\s+)*$", re.I)


def cue_negated(text: str, cue_start: int | None) -> bool:
    """Whether a cue is negated: "did not say", "never claimed", "hasn't denied", "did not
    explicitly deny". Such a statement is about what the holder did not say: it neither reports nor
    denies anything on the holder's behalf."""
    if cue_start is None:
        return False
    return bool(_NEGATED_CUE.search(text[max(0, cue_start - 40):cue_start]))


#: Abbreviated titles, as they precede names ("Gov. Jane Smith" is "the governor").
_TITLE_ABBREV = {"gov.": "governor", "sen.": "senator", "rep.": "representative", "pres.": "president",
                 "gen.": "general", "lt.": "lieutenant", "atty.": "attorney", "sec.": "secretary",
                 "amb.": "ambassador", "supt.": "superintendent", "insp.": "inspector", "cmdr.": "commander",
                 "prof.": "professor", "dr.": "doctor", "sgt.": "sergeant", "capt.": "captain"}
#: Nouns for what a statement came in ("the statement said", "his prepared remarks"): the speaker is
#: whose it is.
DOCUMENT_SOURCES = frozenset("""
statement remark remarks text release letter post tweet video message memo email op-ed column speech
""".split())

#: Heads of descriptions that stand for people or organisations ("officials", "the spokeswoman",
#: "critics"), beyond :data:`ORG_NOUNS` and nouns with an agent ending (-er, -or, -ist, -ian, ...).
PERSON_NOUNS = frozenset("""
official spokesperson spokesman spokeswoman spokespeople minister president secretary aide adviser
advisor source expert analyst critic lawmaker legislator leader voter resident people person man woman
police officer diplomat envoy ambassador chief head director chairman chairwoman chair candidate
nominee senator governor mayor judge lawyer attorney prosecutor investigator scientist researcher
economist doctor witness victim survivor family parent mother father son daughter wife husband friend
neighbour neighbor colleague staff staffer employee worker member supporter opponent activist
protester demonstrator student teacher citizen official journalist reporter editor author observer
representative delegate participant organizer organiser owner executive ceo founder partner insider
congressman congresswoman congressperson commissioner sheriff speaker
tycoon mogul magnate billionaire millionaire businessman businesswoman entrepreneur incumbent challenger
contender hopeful frontrunner front-runner pundit commentator actor actress
""".split())
_AGENT_ENDING = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|person|people|ee|crat)s?$")


#: Verbs by which someone puts out what then speaks for them ("released an ad that urges ...").
_ISSUING_VERBS = frozenset({"release", "issue", "publish", "air", "run", "launch", "post", "unveil", "send",
                            "file", "sign", "tweet", "write", "deliver", "circulate", "distribute"})


def _description_name(doc: "Doc", s: int, e: int) -> str:
    """How a description that names no one is shown as a speaker: its noun phrase without the
    clauses set off by a comma that say more about it ("The study, published in the journal X," ->
    "The study", "Indiana politicians, who granted the tax breaks" -> "Indiana politicians"; "a
    senator who asked not to be named" stays whole); the source span keeps them."""
    text = doc_text(doc)
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or len(span) < 3:
        return text[s:e]
    root = span.root
    # (a clause set off by a comma goes; one that says which it is stays: "A senator who asked not
    # to be named", "Scientists not involved in the research")
    drop = {t.i for c in root.children if c.i > root.i and c.dep_ in ("acl", "relcl", "advcl", "appos")
            and c.left_edge.i > 0 and doc[c.left_edge.i - 1].text == ","
            for t in c.subtree}
    keep = [t for t in span if t.i not in drop]
    while keep and (keep[-1].is_punct or keep[-1].dep_ == "cc"):
        keep.pop()
    if not keep or keep[-1].i < root.i:
        return text[s:e]
    return text[keep[0].idx:keep[-1].idx + len(keep[-1].text)] if len(keep) < len(span) else text[s:e]


def _speaker_noun(tok: "Token") -> bool:
    """Whether a common-noun head can name a speaker (a person, a group, an organisation)."""
    lemma = base_lemma(tok)  # ("co-founder": a founder)
    if lemma in PERSON_NOUNS or lemma in ORG_NOUNS:
        return True
    # "-ment" nouns name a thing or a state ("sentiment", "settlement"), never a person
    return tok.pos_ == "NOUN" and bool(_AGENT_ENDING.search(lemma)) and lemma not in _NOT_AGENTS \
        and not lemma.endswith("ment")


#: Common nouns with an agent-like ending that do not name a speaker.
_NOT_AGENTS = frozenset("""
letter paper order number matter border center centre water power report statement document
comment comments concern event content element agreement argument moment movement development
investment environment
""".split())


def _expletive_it(tok: "Token") -> bool:
    """Whether "it" only holds the subject's place for a clause or an infinitive after an adjective
    or a noun ("It's useful to remember ...", "It is clear that ...", "It seems a shame to ...")."""
    head = tok.head
    return tok.dep_ == "nsubj" and (head.lemma_.lower() in ("be", "seem", "appear", "remain") or head.lower_ == "’s") \
        and any(c.dep_ in ("acomp", "attr") for c in head.children) \
        and any(c.dep_ in ("xcomp", "ccomp") and c.i > tok.i for c in list(head.children) + [
            g for c in head.children if c.dep_ in ("acomp", "attr") for g in c.children])


def _document(tok: "Token") -> bool:
    """Whether a noun names a document that speaks for its authors ("the report", "the statement":
    :data:`~storyline.nlp.attribution.DOCUMENT_NOUNS`, :data:`DOCUMENT_SOURCES`)."""
    lemma = base_lemma(tok)  # ("a re-analysis": an analysis)
    return lemma in DOCUMENT_NOUNS or lemma in DOCUMENT_SOURCES


def _inanimate_subject(tok: "Token | None") -> bool:
    """Whether a frame's subject token is a noun that can name no speaker: not a pronoun, not a
    document (:func:`_document`). (Called for a subject the resolver gave no speaker, so people and
    organisations are out.)"""
    return tok is not None and tok.pos_ not in ("PRON", "PROPN") and tok.lower_ not in PRONOUNS \
        and not _document(tok)


#: Texts that state or require something in their own words ("Federal law prohibits X", "the
#: party's platform calls for Y", "the ad claims Z").
_TEXT_NOUNS = frozenset({"law", "rule", "constitution", "regulation", "platform", "ad", "amendment", "resolution",
                         "charter", "lawsuit", "suit", "complaint", "petition", "indictment", "ruling", "verdict",
                         "affidavit"})
#: Records and figures: with no owner named they speak as themselves ("official figures showed X").
_RECORD_NOUNS = frozenset({"data", "datum", "figure", "statistic", "result", "record", "filing",
                           "estimate", "projection", "finding", "count", "tally"})
#: Nouns that, with no owner named, speak as themselves ("One poll shows X", "Federal law prohibits Y").
_SELF_SPEAKING = DOCUMENT_NOUNS | _TEXT_NOUNS | _RECORD_NOUNS
#: Places whose government speaks in their name ("the city said"): with no name resolved, as themselves.
_PLACE_BODIES = frozenset({"city", "town", "county", "state", "village", "municipality", "province"})
#: Words that pick a part of a group ("all of the candidates", "two of the senators", "those who ...").
_QUANTIFIERS = frozenset({"all", "some", "many", "most", "both", "none", "few", "several", "each", "either",
                          "neither", "half", "majority", "minority", "any", "one"})


#: Nouns that count people ("tens of thousands of families", "dozens of residents").
_NUMBER_NOUNS = frozenset({"ten", "tens", "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands",
                           "million", "millions", "score", "scores"})


def _part_of_speakers(tok: "Token") -> bool:
    """Whether a subject picks people out of a group that can speak ("All of the candidates", "two
    of the senators", "some of them") or by what they do ("those who back the plan"): such a
    description speaks as itself."""
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low in ("those", "ones") or (low == "one" and tok.tag_ == "NN"):
        return any(c.dep_ == "relcl" and any(g.lower_ in ("who", "that") for g in c.children) for c in tok.children)
    if low not in _QUANTIFIERS and lemma not in _QUANTIFIERS and not tok.like_num and lemma not in _NUMBER_NOUNS:
        return False  # ("majorities" is a quantifier by its lemma)
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for o in c.children:
                if o.dep_ == "pobj" and (o.lower_ in ("them", "us", "those") or o.ent_type_ in ("PERSON", "NORP", "ORG")
                                         or (o.pos_ == "NOUN" and _speaker_noun(o))
                                         or (o.lemma_.lower() in _NUMBER_NOUNS and _part_of_speakers(o))):
                    return True  # (tens of thousands of families)
    return False



def _may_speak(tok: "Token") -> bool:
    """Whether a subject can be a speaker: a name, a personal pronoun, a noun naming people or an
    organisation (:func:`_speaker_noun`) or a document (:func:`_document`)."""
    return tok.pos_ == "PROPN" or tok.lower_ in ("he", "she", "they", "we", "i") or _speaker_noun(tok) \
        or _document(tok)


def _verb_group(verb: "Token") -> "Token":
    """The first word of a cue verb's group: the auxiliaries, the negation and the adverbs right before
    it ("has also said", "did not mention", "later told"), as annotators mark a cue. The verb itself
    when it is no verb or nothing of its own stands before it."""
    if verb.pos_ not in ("VERB", "AUX"):
        return verb
    doc = verb.doc
    i = verb.i
    while i > 0:
        t = doc[i - 1]
        own = t.dep_ in ("aux", "auxpass", "neg") or (t.dep_ == "advmod" and t.pos_ == "ADV")
        if t.head.i != verb.i or not own:
            break
        i -= 1
    return doc[i]


#: A dateline that opens a paragraph: "New York (Reuters) - ", "Dec 29 (AFP) – ".
_DATELINE = re.compile(r"[^()\n]{0,40}\([A-Z][\w.&' ]{0,30}\)\s*[-–—]+\s*")


def _closed_phrase(text: str, s: int, e: int) -> tuple[int, int]:
    """A source phrase without trailing spaces (a no-break space too), with the bracket it opens
    closed ("Sen. Jane Smith (D-Vt.)": the parse may end the phrase at "Vt"), and without what the
    parser took in before it at the start of a paragraph: a dateline ("New York (Reuters) - Jane
    Smith") or a list's dash ("-Jane Smith explains why ...")."""
    while e > s and text[e - 1].isspace():
        e -= 1
    if not text[:s].strip(" \t\xa0") or text[:s].rstrip(" \t\xa0").endswith("\n"):
        m = _DATELINE.match(text, s, e)
        if m is not None and m.end() < e:
            s = m.end()
        while s < e - 1 and text[s] in "-–—•*·":
            s += 1
    if text.count("(", s, e) > text.count(")", s, e):
        close = text.find(")", e, e + 4)
        if close != -1 and "\n" not in text[e:close]:
            e = close + 1
    return s, e


def _medium_then_clause(doc: "Doc", s: int, e: int) -> tuple[int, int] | None:
    """For a content that is a statement or an interview with the clause the parser hung on it ("a
    statement that the plan was dead", "an interview Tuesday that ..."): the end of that noun phrase
    and the start of its "that" clause; None otherwise."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return None
    noun = span.root
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _OCCASION_NOUNS or noun.i > span.start + 4:
        return None
    clause = next((c for c in noun.children if c.dep_ in ("ccomp", "acl", "relcl") and c.i > noun.i
                   and c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark" and c.right_edge.i >= span.end - 2),
                  None)
    if clause is None:
        return None
    last = doc[clause.left_edge.i - 1]
    while last.i > noun.i and (last.is_punct or last.is_space):
        last = doc[last.i - 1]
    return last.idx + len(last.text), clause.left_edge.idx


def _verb_preposition_end(verb: "Token", content_start: int) -> int:
    """The end of a cue verb, or of the preposition or particle right after it when the content
    follows that at once ("called for X", "responded to X", "pointed out X"), as annotators mark a
    cue."""
    end = verb.idx + len(verb.text)
    nxt = verb.nbor() if verb.i + 1 < len(verb.doc) else None
    if verb.pos_ in ("VERB", "AUX") and nxt is not None and nxt.head.i == verb.i and nxt.dep_ in ("prep", "prt") \
            and nxt.is_alpha:  # ("voted 7–0 to hold": a score the parser hung on as a particle)
        nxt_end = nxt.idx + len(nxt.text)
        if nxt_end <= content_start <= nxt_end + 2:
            return nxt_end
    return end


#: Cues whose negated content is a warning, a fear, a belief or an admission, not a denial ("warned
#: that rates could not fix it", "admitted he had not read it").
_NOT_DENYING = frozenset("""
warn fear worry hope predict expect believe think suggest urge caution admit acknowledge concede
complain lament regret wonder doubt forecast estimate
""".split())
#: Negated verbs that decline to answer ("did not comment", "did not recall") or state a view or a plan
#: ("does not think", "is not planning"): no denial.
_NON_ANSWERS = frozenset("""
comment respond confirm say discuss elaborate reply return recall remember think believe feel see expect
want plan intend
""".split())
#: Subjects that name something alleged: "said the claim was not true" denies it.
_ALLEGED = frozenset({"claim", "allegation", "accusation", "charge", "report", "rumour", "rumor", "story",
                      "account", "suggestion", "assertion"})


def _negated(doc: "Doc", s: int, e: int, cue: str = "", speaker: str = "") -> bool:
    """Whether an indirect content denies something by its negation: the holder's own conduct or
    state ("said it had not interfered"), anything said never to have happened ("said China has
    never interfered"), a characterisation ("said the site was not unsafe", "the report was not
    true"). Not an intention, a forecast or an opinion with a modal ("said he would not vote for X"),
    a refusal to answer ("said it did not comment"), the negated content of a warning or a belief, or
    a negative statement about something else ("boiling the water does not remove benzene")."""
    if cue in _NOT_DENYING:
        return False
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    kids = list(root.children)
    if any(c.tag_ == "TO" and c.dep_ == "aux" for c in kids) and not any(
            c.dep_ == "aux" and c.lemma_ == "have" for c in kids):
        # "promised not to do so", "urged them not to interfere": a negated infinitive is what the
        # holder intends or asks for, not a rejection of something said ("claimed not to have known"
        # is one: a perfect infinitive states the past)
        return False
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in kids) or root.lemma_.lower() in _NON_ANSWERS:
        return False
    if any(c.lower_ == "never" for c in kids):
        return True
    if not any(c.dep_ == "neg" for c in kids):
        return False
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass")), None)
    if subj is None or root.lemma_ == "be":  # "not to have known"; "the site was not unsafe": a characterisation
        return True
    own = {w.lower() for w in re.findall(r"\w+", speaker)}
    return subj.pos_ == "PRON" or subj.lemma_.lower() in _ALLEGED or subj.lower_ in own


def extract_quotes(text: str, *, article_id: str = "", doc: "Doc | None" = None,
                   refine: bool = True) -> list[Quote]:
    """Quotes of one article, in text order (see the module docstring for the rules). With
    ``refine`` the learned span models (:mod:`storyline.nlp.spans`) may move an indirect quote's
    bounds and a verb cue's source phrase; without it the spans are the rules' own (what
    ``bench/train_spans.py`` learns from)."""
    if not text.strip():
        return []
    if doc is None:
        doc = parse(text)
    if doc.text != text:
        raise ValueError("the parsed document does not match the text: parse the same clean text")
    doc.user_data[_TEXT_KEY] = text
    quoted = find_quoted_spans(text)
    ents = _Entities(doc, [(q.open_at, q.close_at + 1) for q in quoted])
    chains = ChainFinder(doc, ents_mentions=ents.mentions)
    frames = _find_frames(doc, chains, quoted)
    resolver = _Resolver(doc, ents)
    paras = _paragraph_bounds(text)
    span_model = load_span_model() if refine else None

    def para_of(off: int) -> int:
        for i, (ps, pe) in enumerate(paras):
            if off < pe:
                return i
        return len(paras) - 1

    # frames whose cue sits inside a quoted passage are the speaker's own reported speech: drop them
    frames = [f for f in frames
              if not any(q.start <= f.cue_start < q.end for q in quoted)]
    # a nominal frame is reported only when it carries no quoted passage (that one is partial)
    nominal = [f for f in frames if f.nominal]
    frames = [f for f in frames if not f.nominal]

    items: list[tuple[int, int, QuoteKind, Frame | None, str | None]] = []
    covered_frames: set[int] = set()
    labels = {(lb.content_start, lb.content_end): lb for lb in _speaker_labels(doc, text, paras, quoted, ents)}
    for q in quoted:
        qs, qe = q.start, q.end
        if _is_title(text[qs:qe]) or _one_word_name(text, q):
            continue  # "told “Good Morning America”", "the “Make America Great Again” slogan"
        qwords = _words(text[qs:qe])
        best: Frame | None = None
        best_ov = 0
        for f in frames:
            ov = _overlap((qs, qe), (f.content_start, f.content_end))
            if ov >= qe - qs - 2:
                ov = qe - qs  # all but a closing comma or full stop
            # of two frames holding the whole quote, the tighter one ('"A," said X, according to Y':
            # X's words, which Y relays)
            if ov > best_ov or (ov and ov == best_ov and best is not None
                                and f.content_end - f.content_start < best.content_end - best.content_start):
                best, best_ov = f, ov
        kind: QuoteKind
        if best is not None and best_ov > 0:
            lo, hi = best.content_start, best.content_end
            if best.gap is not None:  # '"The plan," she said, "is dead."': the side of the cue it is on
                lo, hi = (lo, best.gap[0]) if qe <= best.gap[0] else (best.gap[1], hi) if qs >= best.gap[1] else (lo, hi)
            # (any word of the reported clause outside the marks makes the quote a fragment of it:
            # 'said Smith is "unelectable now"', 'called it "predatory"'; a "that" before the marks
            # does not: 'said that "we will win"' is direct)
            outside = _COMPLEMENTISER_WORD.sub("", text[lo:max(lo, qs)], count=1) + text[min(qe, hi):hi]
            if not _words(outside):
                kind = "direct" if qwords >= 3 else "partial"
                items.append((qs, qe, kind, best, None))
                covered_frames.add(id(best))
                continue
            # the quote is a fragment of reported speech: the frame becomes mixed
            covered_frames.add(id(best))
            if not any(it[3] is best for it in items):
                # 'said he would "bomb them. We will find out."': the reported clause ends at the
                # sentence, the speaker's words go on to the closing mark
                end = qe if best.gap is None and qs < best.content_end < qe else best.content_end
                items.append((best.content_start, end, "mixed", best, None))
            continue
        if any(cs <= qs and qe <= ce for cs, ce in labels):
            continue  # 'Jane Smith: "..."', 'Smith: Taxes Must "Rise"': the label's statement
        # a stance or act whose object holds the quoted words ("described the plan as "a disaster"",
        # "accused X of "lying""): the quote is a fragment of it, and the whole object is reported
        # (the quote may end past the object by the full stop inside its marks: 'as a "historic
        # challenge" that goes "beyond politics."')
        def quoted_words(a: int, b: int) -> int:  # (two one-word fragments of one act: 'called it "pathetic" and "dangerous"')
            return max(qwords, sum(_words(text[x.start:x.end]) for x in quoted if a <= x.start < b))

        host = next((f for f in nominal if quoted_words(f.content_start, f.content_end) >= MIXED_MIN_WORDS
                     and f.content_start <= qs
                     and (qe <= f.content_end or (qs < f.content_end and not text[f.content_end:qe].strip(".,;:!?…")))
                     and _words(text[f.content_start:qs] + text[qe:f.content_end]) > 0), None)
        if host is not None:
            end = max(host.content_end, qe)
            k = next((k for k, it in enumerate(items) if it[3] is host), None)
            if k is None:
                items.append((host.content_start, end, "mixed", host, None))
            elif end > items[k][1]:
                items[k] = (items[k][0], end) + items[k][2:]
            continue
        # a reported clause or act that runs on into the quote and the sentence ends with it ("pledged
        # to oppose legal status "today, tomorrow, forever."": the parser hung the quoted words elsewhere)
        run_on = next((g for g in frames + nominal if g.gap is None and g.content_end <= q.open_at
                       and not text[g.content_end:q.open_at].strip() and g.sent_start <= q.open_at < g.sent_end
                       and not text[q.close_at + 1:g.sent_end].strip(" .,;:!?\"'”’»")), None)
        if run_on is not None and qwords >= MIXED_MIN_WORDS:
            if not run_on.nominal:
                covered_frames.add(id(run_on))
            if not any(it[3] is not None and it[3].cue_start == run_on.cue_start for it in items):
                items.append((run_on.content_start, qe, "mixed", replace(run_on, content_end=qe), None))
            continue
        # no frame: a cue verb near the marks ("..., he added." / "He said: ...")
        f = _nearby_cue(doc, text, q, frames, chains)
        if f is not None and f.cue_tok is not None and f.cue_end <= q.open_at \
                and (f.content_start, f.content_end) == (qs, qe):
            act = _governed_act(doc, f.cue_tok, qs, qe)
            if act is not None and act[0] >= f.cue_end and _words(text[act[0]:qs] + text[qe:act[1]]) > 0 \
                    and quoted_words(act[0], act[1]) >= MIXED_MIN_WORDS:
                # 'called the remarks "racist"': the quoted words are part of what the cue governs
                if qe > act[1] and not text[act[1]:qe].strip(".,;:!?…"):
                    act = (act[0], qe)  # 'as “absurd.”': the closing mark after the full stop
                k = next((k for k, it in enumerate(items) if it[2] == "mixed" and it[3] is not None
                          and it[3].cue_start == f.cue_start and it[0] < act[1] and act[0] < it[1]), None)
                if k is not None:  # the act's second quoted fragment: the same mixed quote
                    items[k] = (min(items[k][0], act[0]), max(items[k][1], act[1])) + items[k][2:]
                    continue
                f = replace(f, content_start=act[0], content_end=act[1], nominal=True)
                items.append((act[0], act[1], "mixed", f, None))
                continue
        if f is not None:
            sent_words = _words(text[f.sent_start:f.sent_end])
            # a quote that opens its sentence, the cue after it, is direct however long the
            # speaker's description ('"...," said X, a confidant who heads ...')
            opens = f.cue_start >= q.end and not text[f.sent_start:q.open_at].strip()
            kind = "direct" if qwords >= 3 and (qwords >= 0.4 * sent_words or opens) else "partial"
            if kind == "partial" and qwords > 12:
                kind = "direct"
            items.append((qs, qe, kind, f, None))
            continue
        if qwords >= 4 and _looks_like_speech(text[qs:qe]):
            items.append((qs, qe, "direct", None, "continuation"))
        elif qwords >= 2 and text[qs:qe].rstrip()[-1:] in ".!?" and text[qs:qs + 1].isupper():
            # a short sentence ('"He\'s an embarrassment."'): kept only as the second part of a quote
            # interrupted by its cue clause ('"I can\'t vote for him," said X. "He\'s an embarrassment."')
            items.append((qs, qe, "direct", None, "short"))
    parts_of: dict[tuple[int, int], list[tuple[int, int]]] = {}
    items = _join_interrupted(text, items, parts_of)
    # 'said that "the plan is dead"': the reported clause starts at its "that" (PolNeAR's content
    # span); the quote's text stays the quoted words
    quoted_from: dict[tuple[int, int], int] = {}
    for k, (s, e, kind, f, note) in enumerate(items):
        if f is not None and kind in ("direct", "partial") and f.content_start < s \
                and _COMPLEMENTISER.fullmatch(text[f.content_start:s]):
            items[k] = (f.content_start, e, kind, f, note)
            quoted_from[(f.content_start, e)] = s
            if (s, e) in parts_of:
                parts_of[(f.content_start, e)] = parts_of.pop((s, e))
    for f in frames:
        if id(f) in covered_frames:
            continue
        items.append((f.content_start, f.content_end, "indirect", f, None))
    for f in nominal:
        if any(it[3] is not None and it[3].cue_start == f.cue_start for it in items):
            continue
        if any(_overlap((q.open_at, q.close_at + 1), (f.content_start, f.content_end)) for q in quoted):
            continue
        items.append((f.content_start, f.content_end, "indirect", f, None))
    items.extend((cs, ce, lb.kind, None, "label") for (cs, ce), lb in labels.items())
    items.sort(key=lambda it: (it[0], -it[1]))

    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    last_by_para: dict[int, Quote] = {}
    context: dict[str, tuple[int, list[ChainLink]]] = {}
    intro_links = chains.intro_links(paras)
    sentence_ctx = chains.sentence_contexts(resolver)
    q_starts = {q.start for q in quoted}
    q_ends = {q.end for q in quoted}
    for s, e, kind, f, note in items:
        parts = parts_of.get((s, e))
        lb = labels.get((s, e)) if note == "label" else None
        if kind == "partial":
            while e > s and text[e - 1] in ".,;:":
                e -= 1
        elif kind in ("mixed", "indirect"):
            # keep the quotation marks of a fragment that opens or closes the reported clause
            if s in q_starts and s > 0 and not text[s - 1].isspace():
                s -= 1
            if e in q_ends and e < len(text) and not text[e].isspace():
                e += 1
        if (s, e) in seen or e <= s:
            continue
        seen.add((s, e))
        pi = para_of(s)
        cue = cue_s = cue_e = None
        speaker = speaker_mention = role = label = None
        sp_s = sp_e = None
        links: list[ChainLink] = []
        if f is not None:
            cue, cue_s, cue_e = f.cue, f.cue_start, f.cue_end
            if f.cue_tok is not None and cue_s == f.cue_tok.idx:
                cue_s = _verb_group(f.cue_tok).idx  # "has also said", "did not mention"
                if cue_e == f.cue_tok.idx + len(f.cue_tok):
                    cue_e = _verb_preposition_end(f.cue_tok, s)  # "called for", "responded to"
                cue = text[cue_s:cue_e]
            links = list(f.chain)
            if f.source is not None and f.source_tok is not None:
                # (what "according to" relays may hold its speaker's own attribution: '"...," Smith
                # said, according to the text of his remarks')
                relayed = f.cue_tok is not None and f.cue_tok.lower_ == "according"
                r = resolver.resolve(f.source_tok, f.source, quote=None if relayed else (s, e))
                speaker, label, role = r.name or None, r.label, r.role
                sp_s, sp_e = f.source
                speaker_mention = text[sp_s:sp_e]
                if span_model is not None:
                    # the learned source phrase ("the union" without ", whose members voted ...")
                    sp_s, sp_e = span_model.choose_source(doc, sp_s, sp_e, f.cue_start, f.cue_end)
                sp_s, sp_e = _closed_phrase(text, sp_s, sp_e)
                if label is None and speaker == speaker_mention:  # a description naming no one speaks as itself
                    speaker = _description_name(doc, sp_s, sp_e)
                speaker_mention = text[sp_s:sp_e]
        elif lb is not None:
            r = resolver.resolve(lb.head, (lb.start, lb.end))
            speaker, label, role = r.name or text[lb.start:lb.end], r.label, r.role
            sp_s, sp_e, speaker_mention = lb.start, lb.end, text[lb.start:lb.end]
        elif note == "continuation":
            prev = last_by_para.get(pi)
            if prev is None or prev.speaker is None:
                continue
            speaker, label, role = prev.speaker, prev.speaker_type, prev.speaker_role
            sp_s, sp_e, speaker_mention = prev.speaker_start, prev.speaker_end, prev.speaker_mention
            links = list(prev.chain)
        if speaker is None and kind in ("direct", "partial") and f is None:
            continue
        if speaker is None and f is not None and ((f.learned and f.nominal) or f.noun):
            continue  # "it showed the strain", "his pledge to ..." with no one he can be: no holder
        if f is not None and f.nominal and f.lemma in EVIDENCE_CUES and _inanimate_subject(f.source_tok) and (
                speaker is None or (label is None and base_lemma(f.source_tok) in _RECORD_NOUNS)):
            continue  # "the developments underscore the risks", "the figures highlight ...": evidence
        if speaker is not None:
            resolver.speakers.append((sp_s if sp_s is not None else s,
                                      Resolved(speaker, label, role)))
            if f is not None and f.cue_tok is not None and _embedded_cue(f.cue_tok) and (
                    f.source_tok is None or f.cue_tok.left_edge.i <= f.source_tok.i <= f.cue_tok.right_edge.i):
                # (a subject borrowed from the main clause, "In a press conference announcing ...,
                # Smith said", is the main clause's speaker: not embedded)
                resolver.embedded.add(sp_s if sp_s is not None else s)
        if not links and speaker is not None and pi not in intro_links:
            ctx = context.get(speaker) or sentence_ctx.get_for(speaker, s)
            if ctx is not None and pi - ctx[0] <= 3:
                links = list(ctx[1])
        for link in intro_links.get(pi, []):
            if link.name != speaker and all(link.name != x.name for x in links):
                links.append(link)
        links = order_links(links)
        if speaker is not None:  # the speaker is not a channel of its own words ("a U.S. report, which ...")
            links = [x for x in links if _name_words(x.name) != _name_words(speaker)]
        if speaker is not None and links:
            context[speaker] = (pi, links)
        if span_model is not None and kind == "indirect" and f is not None and f.gap is None and not parts:
            rs, re_ = span_model.choose(doc, f.cue_start, f.cue_end, s, e)
            if (rs, re_) != (s, e) and (rs, re_) not in seen:
                seen.add((rs, re_))
                s, e = rs, re_
        if f is not None and cue_e is not None and kind in ("indirect", "mixed") and not parts:
            medium = _medium_then_clause(doc, s, e)
            if medium is not None and (medium[1], e) not in seen:
                # 'said in a statement that X': the statement is the cue's, X what was said
                seen.add((medium[1], e))
                cue_e, s = medium
                cue = text[cue_s:cue_e]
        denial = bool(f is not None and not cue_negated(text, f.cue_start) and (
            f.lemma in DENY_VERBS or f.lemma == "denial"
            # a negated clause under a cue noun is what the holder means or intends, not a denial
            # ("his commitment not to do so")
            or (kind in ("indirect", "mixed") and not f.noun
                and _negated(doc, s, e, f.lemma, " ".join(x for x in (speaker, speaker_mention) if x)))))
        qid = content_id(article_id, str(s), str(e))
        qtext = _join_parts(text, parts, doc) if parts else text[quoted_from.get((s, e), s):e]
        if not parts and f is not None and f.gap is not None and s < f.gap[0] and f.gap[1] < e:
            # "Many of the closures, he said, have involved ...": the words around the cue clause
            qtext = _around_gap(doc, s, e, f.gap)
        quote = Quote(id=qid, article_id=article_id, start=s, end=e, text=qtext, kind=kind, cue=cue,
                      cue_start=cue_s, cue_end=cue_e, speaker=speaker, speaker_start=sp_s, speaker_end=sp_e,
                      speaker_mention=speaker_mention, speaker_role=role, speaker_type=label, chain=links,
                      denial=denial)
        out.append(quote)
        last_by_para[pi] = quote
    return out


#: Quoted words under a cue's object that make the object a mixed quote ('called the remarks "deeply
#: racist"'); a single quoted word stays a partial quote of its own ('dismissed the claims as "absurd"').
MIXED_MIN_WORDS = 2


def _governed_act(doc: "Doc", cue: "Token", qs: int, qe: int) -> tuple[int, int] | None:
    """The object of ``cue`` with what completes it (:func:`_act_bounds`) when it holds the quoted
    words ``qs:qe`` in the same sentence, else None."""
    for c in cue.children:
        if c.i > cue.i and c.dep_ in ("dobj", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr", "prep") \
                and c.left_edge.idx <= qs and qe <= c.right_edge.idx + len(c.right_edge.text) + 1:
            obj = next((d for d in cue.children if d.i > cue.i and d.dep_ in ("dobj", "dative")), c)
            return _act_bounds(doc, cue, obj)
    return None


def _embedded_cue(cue: "Token") -> bool:
    """Whether a cue verb sits in a subordinate clause ("reports that Smith had urged her", "Jones
    said Smith had asked him"), not in its sentence's main clause nor as the parenthetical cue of a
    clause before it ('"...," she said') nor as a further verb of the main subject ("responded by
    asserting")."""
    if cue.pos_ not in ("VERB", "AUX") or _main_clause(cue) or cue.dep_ in ("advcl", "xcomp"):
        return False
    if cue.dep_ in ("ccomp", "parataxis") and cue.head.i < cue.i \
            and cue.head.lemma_.lower() not in CUE_VERBS:
        return False
    return True


def _around_gap(doc: "Doc", s: int, e: int, gap: tuple[int, int]) -> str:
    """The words of a content around a parenthetical cue clause: "The plan, she said, is dead" reads
    "The plan is dead"; a fronted phrase keeps its comma ("In March, she said, the plan failed" reads
    "In March, the plan failed")."""
    text = doc_text(doc)
    left = text[s:gap[0]].rstrip(" ,—–-")
    right = text[gap[1]:e].lstrip(" ,—–-")
    span = doc.char_span(s, s + len(left), alignment_mode="expand")
    # (a clause before the gap reads on without the comma: "The argument would be aided, Smith said, by
    # the calendar" reads "The argument would be aided by the calendar")
    subject = span is not None and (span.root.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass", "expl")
                                    or span.root.pos_ in ("VERB", "AUX"))
    comma = not subject and "," in text[s + len(left):gap[0]]
    return left + (", " if comma else " ") + right


def _join_interrupted(text: str, items: list[tuple[int, int, QuoteKind, Frame | None, str | None]],
                      parts_of: dict[tuple[int, int], list[tuple[int, int]]] | None = None,
                      ) -> list[tuple[int, int, QuoteKind, Frame | None, str | None]]:
    """One quote for '"The plan," she said, "is dead."': the cue sits between two quoted parts.

    The second part joins the first when it has no cue of its own (or the same one) and the short
    gap between them, inside one paragraph, holds the first part's cue. The joined quote spans both
    parts; ``parts_of`` (when given) maps its ``(start, end)`` to the quoted parts, whose words alone
    make its text (:func:`_join_parts`).
    """
    out: list[tuple[int, int, QuoteKind, Frame | None, str | None]] = []
    parts: list[list[tuple[int, int]]] = []
    for it in items:
        back = 1
        if len(out) >= 2 and it[3] is None and it[4] in ("continuation", "short") and out[-1][3] is not None \
                and out[-2][3] is not None and out[-1][3].sent_start == out[-2][3].sent_start \
                and out[-2][1] <= out[-1][0] and out[-2][2] == "direct":
            # '"A," X told reporters after hinting that "B" could come. "C."': the quote goes on past
            # a fragment quoted inside its own cue sentence
            back = 2
        if out:
            ps, pe, pkind, pf, pnote = out[-back]
            s, e, kind, f, note = it
            gap = text[pe:s]
            joined = (pf is not None and pkind in ("direct", "partial") and kind in ("direct", "partial")
                      and 0 < len(gap) <= 200 and "\n" not in gap and pe <= pf.cue_start < s
                      and (f is None or f.cue_start == pf.cue_start) and _REOPENS.search(gap) is not None)
            # a reported clause that closes on the speaker's words goes on with the next quote too
            # ('X is "unfair," she said. "It has to stop."')
            closes = pkind == "direct" or (pkind == "mixed" and _CLOSES_AT.match(text, max(0, pe - 2)) is not None)
            joined = joined or (pf is not None and closes and kind == "direct" and f is None
                                and note in ("continuation", "short") and _continues(text, pe, s, pf))
            if joined:
                out[-back] = (ps, e, "mixed" if pkind == "mixed" else "direct", pf, pnote)
                parts[-back].append((s, e))
                continue
        if it[4] == "short":
            continue
        out.append(it)
        parts.append([(it[0], it[1])])
    if parts_of is not None:
        for it, ps_ in zip(out, parts):
            if len(ps_) > 1:
                parts_of[(it[0], it[1])] = ps_
    return out


#: A reported clause that ends on the speaker's quoted words: the closing mark right at its end.
_CLOSES_AT = re.compile(r".{0,2}?[,.;:!?…]?(?:''|[\"”’'])")
#: What may stand between a reported clause's start and the opening mark of the quote that fills it.
#: A complementiser that opens a reported clause ("that", "whether", "if"), alone.
_COMPLEMENTISER_WORD = re.compile(r"^\s*(?:that|whether|if)\b", re.I)
_COMPLEMENTISER = re.compile(r"(?:that|whether|if)\s*(?:''|[\"“„«‘'])\s*", re.I)
#: The end of the gap before the second part of an interrupted quote: the cue clause closes with a
#: punctuation mark before the quotation mark reopens ('," she said, "'); a quoted fragment that a
#: further verb governs ('," she said, mentioning that it was "') is not the same quote going on.
_REOPENS = re.compile(r"[,:;.!?…—–-]\s*(?:(?:''|[\"“”„«»‹›‘’'])\s*)+$")


def _join_parts(text: str, parts: Sequence[tuple[int, int]], doc: "Doc | None" = None) -> str:
    """The words of an interrupted quote without the cue between its parts: '"The plan," she said,
    "is dead."' reads "The plan is dead." (with ``doc``: a first part without a finite verb, a
    subject the second part goes on with, loses the comma the cue clause needed); a part closed by a
    comma before a part that opens a new sentence ends with a full stop (other commas stay: '"When we
    came in," she said, "it was over."'); parts from different paragraphs stay in their paragraphs."""
    out = ""
    for i, (s, e) in enumerate(parts):
        piece = text[s:e].strip()
        if i + 1 < len(parts):
            nxt = text[parts[i + 1][0]:parts[i + 1][1]].lstrip()
            # the comma may sit before the closing marks of a reported part ('is "unfair,"')
            comma = re.search(r",((?:''|[\"”’'])*)$", piece)
            if comma and nxt[:1].isupper() and not re.match(r"I\b", nxt):
                piece = piece[:comma.start()] + "." + comma.group(1)
            elif piece.endswith(",") and doc is not None and _subject_goes_on(doc, s, e, parts[i + 1][0]):
                piece = piece[:-1]
        if out:
            out += "\n\n" if "\n" in text[parts[i - 1][1]:s] else " "
        out += piece
    # a mixed quote's marks open in its reported part and close after the last part
    if out.count("“") > out.count("”"):
        out += "”"
    elif out.count('"') % 2:
        out += '"'
    return out


def _subject_goes_on(doc: "Doc", s: int, e: int, nxt: int) -> bool:
    """Whether the quoted part ``s:e`` is a noun phrase with no finite verb (a subject) and the part
    starting at ``nxt`` opens with a verb or an adverb: '"The plan," she said, "is dead."'."""
    span = doc.char_span(s, e, alignment_mode="expand")
    first = doc.char_span(nxt, nxt + 1, alignment_mode="expand")
    if span is None or first is None or len(span) == 0:
        return False
    words = [t for t in span if not t.is_punct]
    if not words or any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in words):
        return False
    heads = [t for t in words if t.head.i == t.i or not (span.start <= t.head.i < span.end)]
    return all(t.pos_ in ("NOUN", "PROPN", "PRON") for t in heads) and first[0].pos_ in ("VERB", "AUX", "ADV")


def _continues(text: str, end: int, start: int, frame: Frame) -> bool:
    """Whether a quote with no cue of its own, starting at ``start``, goes on with the quote that ends
    at ``end``: between them only that quote's own cue clause ('," she said. "') and at most one
    paragraph break, or nothing but the marks of a quote that closed at the end of one paragraph and
    reopens the next ('."\n\n"')."""
    gap = text[end:start]
    if len(gap) > 160 or gap.count("\n\n") > 1 or re.search(r"\n\s*\n.*\n\s*\n", gap, re.S):
        return False
    if not re.sub(r"[\s\"“”„«»‹›'‘’.,;:!?…—–-]", "", gap):
        return "\n" in gap  # closed at a paragraph end, reopened in the next
    if not (end <= frame.cue_start < start):
        return False
    # the cue clause is the only other thing in the gap: it ends a sentence before the next quote
    return bool(re.search(r"[.:]\s*(?:''|[\"“„«‘'])?\s*$", gap)) and frame.sent_end <= start + 1 \
        and not re.sub(r"[\s\"“”„«»‹›'‘’]", "", text[frame.sent_end:start])  # no other sentence between


_TITLE_SMALL = frozenset("a an the of and or in on at to for from by with as vs nor but".split())


def _is_title(s: str) -> bool:
    """A quoted name in title case (a programme, a book, a slogan): two to eight words, every word but
    the small ones capitalised, no sentence punctuation, no first or second person."""
    words = re.findall(r"[\w’'-]+", s)
    if not 2 <= len(words) <= 8 or re.search(r"[.!?,;:]", s.rstrip(".,")):
        return False
    if any(w.lower() in ("i", "we", "you", "my", "our", "your", "us", "me") for w in words):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or (i > 0 and w.lower() in _TITLE_SMALL)
               for i, w in enumerate(words))


_NAME_BEFORE = re.compile(r"(?:['’]s|\b[Oo]n|\b[Ii]n)\s*$")


def _one_word_name(text: str, q: QuotedSpan) -> bool:
    """A quoted capitalised word after a possessive or "on"/"in": the name of a programme or a work
    ('Fox News Channel's “Hannity,”', 'appeared on “Today”'), not words of a speaker."""
    return bool(re.fullmatch(r"[A-Z][\w’'-]*", text[q.start:q.end].strip(".,"))) \
        and bool(_NAME_BEFORE.search(text, max(0, q.open_at - 8), q.open_at))


def _looks_like_speech(s: str) -> bool:
    """A quoted passage that reads as a sentence (not a title or a scare-quoted term)."""
    words = s.split()
    if len(words) < 4:
        return False
    if s.rstrip(" '\"“”‘’«»")[-1:] in ".!?,…" or any(w.lower() in ("i", "we", "you", "our", "my", "us") for w in words):
        return True
    return False


def _bare_attribution(sent: "Span", start: int) -> bool:
    """A sentence starting at ``start`` that is only a speaker, a cue verb, whom it was said to and
    when or where ("Trump said.", "said the spokesperson, Jane Smith.", "Obama asked Republican
    politicians.", "Smith told the agency in an interview on Monday."): it attributes the quote just
    before it."""
    if sent.start_char < start - 3 or len(sent) > 45:
        return False
    root = sent.root
    lemma = root.lemma_.lower()
    if lemma not in CUE_VERBS or root.pos_ not in ("VERB", "AUX"):
        return False
    kids = list(root.children)
    deps = {c.dep_ for c in kids}
    if "nsubj" not in deps or deps & {"ccomp", "xcomp", "attr", "oprd"}:
        return False
    for c in kids:
        if c.dep_ in ("dobj", "dative") and not (lemma in ADDRESSEE_VERBS and (
                c.pos_ in ("PRON", "PROPN") or c.ent_type_ in ENTITY_TYPES or _speaker_noun(c))):
            return False  # "Smith said the plan" reports something of its own
    return len(sent) <= 14 or not any(t.dep_ in ("advcl", "conj", "relcl") and t.pos_ in ("VERB", "AUX")
                                      and t.head.i == root.i and not _when_asked(t) for t in sent)


def _when_asked(clause: "Token") -> bool:
    """Whether a clause on a cue says when it was said: "when asked how ...", "after being asked ..."."""
    return clause.dep_ == "advcl" and clause.lemma_.lower() in ("ask", "question", "press") and any(
        g.dep_ in ("advmod", "mark") and g.lower_ in ("when", "after", "as", "while") for g in clause.children)


def _inverted_subject(cue: "Token") -> "Token | None":
    """The noun phrase right after a cue that follows a quote ('"...," said Jane Smith, who ...'), for
    when the parser hung it elsewhere: its last noun, or a pronoun; not a date ("said Monday")."""
    doc = cue.doc
    head = None
    for t in doc[cue.i + 1:cue.i + 8]:
        if t.pos_ not in ("PROPN", "NOUN", "DET", "ADJ", "PRON") or t.ent_type_ in ("DATE", "TIME"):
            break
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            head = t
        if t.pos_ == "PRON":
            break
    return head


#: A paragraph that opens with a short name and a colon: "Jane Smith: Taxes Must Rise", a speaker's
#: line in a transcript ("SMITH: We will.") or 'Rep. Jane Smith (D-Vt.): "..."'.
_LABEL_RE = re.compile(r"[ \t~]*(?P<label>[^\W\d_][^:\n]{0,70}?)\s*:[ \t]*(?=\S)")
#: Small words a speaker label may hold between capitalised ones ("Former AG Mukasey at RNC").
_LABEL_SMALL = frozenset({"of", "and", "at", "de", "la", "van", "von", "for", "the", "&"})
#: Labels that head a paragraph without naming who speaks ("Update:", "Photo:", "Related:").
_NOT_LABELS = frozenset("""
update updated note editor editors related watch photo photos video videos source sources credit read also
warning breaking exclusive opinion analysis review tags tag topics topic share advertisement correction
clarification disclosure caption image file listen subscribe follow contact email phone fax website address
date time location price title author posted filed summary abstract text transcript story stories
question questions answer answers q a background context details detail key highlights lead headline
disclaimer reporting additional more full here see click sign live
""".split())
_LABEL_MAX_WORDS = 6


@dataclass(slots=True)
class _Label:
    """A paragraph-opening speaker label (:func:`_speaker_labels`) and what it attributes."""

    head: "Token"
    start: int
    end: int
    content_start: int
    content_end: int
    kind: QuoteKind


def _speaker_labels(doc: "Doc", text: str, paras: Sequence[tuple[int, int]],
                    quoted: Sequence[QuotedSpan], ents: "_Entities | None" = None) -> list[_Label]:
    """Statements attributed by a label that opens their paragraph: a headline "Jane Smith: Taxes
    Must Rise", a transcript's "SMITH: We will." or 'Rep. Jane Smith (D-Vt.): "..."'. The label is at
    most six capitalised words (small words between), holds no verb and names someone who can speak:
    a name, a noun for people or an organisation, or a document ("Poll: ..."); words that head a
    paragraph for other reasons ("Update:", "Photo:", "Q:") are none. The content is the rest of the
    paragraph, or the quoted passage that opens it. Outside a transcript (an article where a label
    recurs) the label holds a name the recogniser found, a noun for people or a document (not a
    section title in title case), and the content is no list of names, no tag of a few words without
    a verb and no question (a headline asking about the person); the surname of a person the article
    names in full counts as a name ("Smith: Taxes Must Rise" over a story on Jane Smith). The title
    may say whom the statement is to or about: "Jane Smith to Voters: ...", "Smith on the Budget:
    ..." (the label is the part before "to" or "on"). Kind: ``direct`` when the content is a quotation or a transcript's line,
    ``mixed`` when it carries quoted words, else ``indirect`` (a headline's paraphrase)."""

    def surname(t: "Token", at: int) -> bool:  # (a headline's tags are unreliable: "Smith" may be a verb)
        return ents is not None and t.text[:1].isupper() and ents.person_named(t.text, at) is not None

    found: list[tuple["Token", int, int, int, int, bool]] = []
    for ps, pe in paras:
        m = _LABEL_RE.match(text, ps, pe)
        if m is None:
            continue
        ls, le = m.start("label"), m.end("label")
        if ps == paras[0][0]:  # the title: "Jane Smith to Voters:", "Smith on the Budget:"
            to_on = re.search(r"\s(?:to|on|On)\s", text[ls:le])
            if to_on is not None and len(text[ls:le].split()) <= 2 * _LABEL_MAX_WORDS:
                le = ls + to_on.start()
        words = text[ls:le].split()
        if not 1 <= len(words) <= _LABEL_MAX_WORDS or any(
                not (w[:1].isupper() or w[:1] in "(" or w.lower() in _LABEL_SMALL) for w in words):
            continue
        if all(w.lower().strip("().,'’") in _NOT_LABELS for w in words) or words[0].lower() in _NOT_LABELS:
            continue
        span = doc.char_span(ls, le, alignment_mode="expand")
        if span is None or span.start_char != ls or span[0].sent.start_char < ps:
            continue
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "NNP" and not surname(t, pe) for t in span):
            continue  # "Trump says:" has a cue of its own
        heads = [t for t in span if t.is_alpha and not (span.start <= t.head.i < span.end and t.head.i != t.i)]
        head = heads[-1] if heads else None
        if head is None or head.lower_ in _NOT_LABELS or any(t.lower_ in ("and", "&") for t in span):
            continue  # "Editor's Note:", "Smith and Jones: A Tortured Relationship" (no one speaker)
        speaks = _speaker_noun(head) or _document(head)
        named = surname(head, pe)
        if not speaks and (not (head.pos_ == "PROPN" or head.ent_type_ in ENTITY_TYPES or named)
                           or any(t.tag_ == "POS" for t in span)):
            continue  # "Smith's Revelation: ...", "Monday's Briefing: ...": about someone, not by them
        cs, ce = _trim(text, m.end(), pe)
        q = next((q for q in quoted if q.open_at == cs and q.close_at < pe), None)
        if q is not None and not text[q.close_at + 1:ce].strip(" .,;:!?…"):
            cs, ce = q.start, q.end  # 'Smith: "We will."'
        body = doc.char_span(cs, ce, alignment_mode="expand")
        if _words(text[cs:ce]) < 3 or body is None:
            continue
        # "Iowa: Tim Albrecht, Brad Anderson, ...", "Kasich: Now or never.": a list, a tag (a
        # transcript's line only), and "Ted Cruz: Conservative or Career Politician?": a headline asks
        weak = (not any(t.pos_ in ("VERB", "AUX") for t in body) and (
            text.count(",", cs, ce) >= 2 or _words(text[cs:ce]) <= 4)) \
            or text[cs:ce].rstrip(" '\"”’")[-1:] == "?"
        # a section title in title case ("Stealth Over Health: ...") names no one: outside a
        # transcript the label holds a recognised name, a noun for people or a document
        weak = weak or not (speaks or any(t.ent_type_ in ENTITY_TYPES for t in span) or named)
        found.append((head, ls, le, cs, ce, weak))
    lines = {(text[f[1]:f[2]].lower(), text[f[3]:f[4]]) for f in found}  # (a headline may be repeated)
    transcript = len({name for name, _ in lines}) < len(lines)  # a label that recurs
    out: list[_Label] = []
    for head, ls, le, cs, ce, weak in found:
        if weak and not transcript:
            continue
        inner = [q for q in quoted if cs <= q.start and q.end <= ce]
        whole = any(q.start == cs and q.end == ce for q in inner)
        kind: QuoteKind = "direct" if whole or (transcript and not inner) else "mixed" if inner else "indirect"
        out.append(_Label(head, ls, le, cs, ce, kind))
    return out


#: How far after a closing quotation mark a cue verb may stand when a speaker's description fills the
#: gap ('"...," Jane Smith, a former adviser to the governor who now heads the institute, said').
_FAR_CUE = 160


def _speaker_after(first: "Token | None", cue: "Token") -> "Token | None":
    """The head of the phrase that opens at ``first`` (the word right after a closing quotation mark)
    when it can speak and runs up to ``cue`` with nothing but its own description between: "Ramos,
    58, told", "Jane Smith, the mayor of Oslo, said". None otherwise."""
    if first is None:
        return None
    doc = first.doc
    lo, hi = first.i, cue.i
    head = next((t for t in doc[lo:hi] if not t.is_punct and not (lo <= t.head.i < hi and t.head.i != t.i)), None)
    if head is None or head.i != lo + sum(1 for t in doc[lo:head.i] if t.pos_ in ("DET", "PROPN", "ADJ", "NOUN",
                                                                               "NUM", "PUNCT", "PART")) \
            or not (_may_speak(head) or head.ent_type_ == "PERSON"):
        return None
    if any(t.pos_ in ("VERB", "AUX") and not (head.left_edge.i <= t.i <= head.right_edge.i)
           and not (t.tag_ in ("VBG", "VBN") and doc[t.i - 1].text == ",") for t in doc[lo:hi]):
        return None  # another verb between (a participle set off by a comma describes the speaker)
    return head


def _manner_cue(first: "Token | None") -> "Token | None":
    """The finite verb right after a name or a personal pronoun that opens at ``first`` ('," Trump
    barked', '," she snapped'), which the parser may have hung anywhere: how the words before were
    said. None when something else follows the closing mark."""
    if first is None:
        return None
    doc = first.doc
    i = first.i
    if doc[i].lower_ in ("he", "she", "they", "i", "we"):
        j = i + 1
    else:
        j = i
        while j < len(doc) and j - i < 4 and doc[j].pos_ == "PROPN" and doc[j].ent_type_ in ("PERSON", "ORG", ""):
            j += 1
        if j == i:
            return None
    if j < len(doc) and doc[j].pos_ == "VERB" and doc[j].tag_ in ("VBD", "VBZ", "VBN"):  # (VBN: a misread)
        return doc[j]
    return None


def _reports_own_clause(frames: list[Frame], cue: "Token", text: str) -> bool:
    """Whether ``cue`` already reports a clause of its own after it (three words or more): a quote
    elsewhere in its sentence is then not what it reports."""
    return any(f.cue_start == cue.idx and f.content_start >= f.cue_end
               and _words(text[f.content_start:f.content_end]) >= 3 for f in frames)


def _nearby_cue(doc: "Doc", text: str, q: QuotedSpan, frames: list[Frame],
                chains: ChainFinder) -> Frame | None:
    """A cue verb just outside the marks: after the closing mark or before an opening colon."""
    # after: '"...," she said.' or '"..." said the minister.'
    after_lo = q.close_at + 1
    tail = text[after_lo:after_lo + 120]
    m = re.match(r"[\s,.!?…]*", tail)
    start_after = after_lo + (m.end() if m else 0)
    before_hi = q.open_at
    head = text[max(0, before_hi - 200):before_hi]
    candidates: list[tuple[int, Token]] = []
    sent_after = doc.char_span(start_after, min(len(text), start_after + 1), alignment_mode="expand")
    first = sent_after[0] if sent_after is not None else None  # the word right after the quote
    manner = _manner_cue(first)
    inner_end = text[q.start:q.end].rstrip()[-1:]
    ends_sentence = inner_end == "." or (inner_end in "?!…" and tail.lstrip()[:1].isupper()
                                         and not tail.lstrip().startswith(("I ", "I,")))
    if re.search(r"[.!?…]", text[after_lo:start_after]):
        ends_sentence = True  # 'What do you think about "X"? Drop us a line ...': the sentence ended outside
    if sent_after is not None and ends_sentence and _bare_attribution(sent_after.sent, start_after):
        ends_sentence = False  # '"... missing." Trump said.': a sentence of its own that only attributes
    if sent_after is not None and len(tail.strip()) > 0 and not ends_sentence \
            and "\n" not in text[after_lo:start_after]:  # the cue is in the quote's paragraph
        sent = sent_after.sent
        for tok in sent:
            if tok.idx < start_after or tok.idx > start_after + _FAR_CUE:
                continue
            if tok.lemma_.lower() in CUE_VERBS and tok.pos_ in ("VERB", "AUX") and \
                    tok.lemma_.lower() not in _CLAUSE_ONLY:
                # past 60 characters only after the speaker's description ('"...," Jane Smith, the
                # ... of ..., said'): the subject opens right after the quote; not a cue that
                # reports a clause of its own after it ('declared "What a night!" and said that
                # ...': the quote is the first verb's)
                if not _reports_own_clause(frames, tok, text) and (
                        tok.idx <= start_after + 60 or _speaker_after(first, tok) is not None):
                    candidates.append((tok.idx - start_after, tok))
                break
        if not candidates and text[q.start:q.end].rstrip()[-1:] in (",", "!", "?") and text[q.close_at:q.close_at + 1] in _QUOTE_CHARS:
            # '"Go back to Univision," Trump barked': a verb right after a speaker that follows a quote
            # closed on a comma says how it was said, lexicon or not
            if manner is not None:
                candidates.append((manner.idx - start_after, manner))
    if not candidates and head.rstrip().endswith((":", ",")):
        sent_span = doc.char_span(max(0, before_hi - 2), before_hi, alignment_mode="expand")
        if sent_span is not None:
            sent = sent_span.sent
            for tok in reversed(list(sent)):
                if tok.idx >= before_hi:
                    continue
                if tok.lemma_.lower() in CUE_VERBS and tok.pos_ in ("VERB", "AUX"):
                    candidates.append((before_hi - tok.idx, tok))
                    break
            if not candidates and head.rstrip().endswith(":"):
                # "X echoed:", "X released the following statement:": the verb of the clause the
                # colon ends introduces the quote, when its subject can speak
                for tok in reversed(list(sent)):
                    if tok.idx >= before_hi or tok.pos_ != "VERB" or tok.lemma_.lower() == "be" \
                            or tok.dep_ in ("amod", "compound"):  # "the following statement:"
                        continue
                    subj = _subject_of(tok)
                    if subj is not None and _may_speak(subj):
                        candidates.append((before_hi - tok.idx, tok))
                    break
    # a cue governing the quoted words inside the same sentence ("dismissed ... as "absurd"")
    if not candidates:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is not None:
            anc = span.root
            for _ in range(8):
                if anc.head.i == anc.i:
                    break
                anc = anc.head
                if anc.idx >= q.start and anc.idx < q.end:
                    continue
                if anc.lemma_.lower() in CUE_VERBS and anc.pos_ in ("VERB", "AUX"):
                    if not _reports_own_clause(frames, anc, text):
                        # ('Walking in to chants of "Marco!," the senator said his campaign was ...':
                        # the chant is not what he said)
                        candidates.append((abs(anc.idx - q.start), anc))
                    break
    for _, tok in candidates:
        existing = next((f for f in frames if f.cue_start == tok.idx), None)
        if existing is not None:
            return existing
        subj = _subject_of(tok)
        after = tok.idx >= q.end
        if after and (subj is None or q.start <= subj.idx < q.end):
            # '"We were wrong," Ramos, 58, told AFP' (the parser gave the cue a subject inside the
            # quote), '"...," Jane Smith, wearing a hat, said', before '"...," said Jane Smith, who ...'
            # and '"...," Trump barked'
            subj = _speaker_after(first, tok) or (_inverted_subject(tok) if subj is None else subj)
            if (subj is None or q.start <= subj.idx < q.end) and manner is not None and manner.i == tok.i:
                subj = doc[tok.i - 1]
        if subj is None or q.start <= subj.idx < q.end:
            continue
        st = _source_tokens(subj, tok)
        ss, se, _ = _span_text(doc, st)
        sent = tok.sent
        f = Frame(tok.idx, tok.idx + len(tok.text), tok.text, q.start, q.end, (ss, se), subj, tok,
                  tok.lemma_.lower(), sent.start_char, sent.end_char)
        if _no_report(f):
            continue
        f.chain = chains.links_for(f)
        return f
    return None



# --- the stage -------------------------------------------------------------------------------------


@dataclass(slots=True)
class QuotesResult:
    """What :meth:`QuotesStage.process` returns for one batch."""

    quotes: list[Quote]  # in article order, then text order; group fields filled when grouped
    groups: list[QuoteGroup]
    articles: int  # articles analysed (status ok, English or unknown language, non-empty text)
    skipped: list[str]  # ids of articles not analysed


class QuotesStage:
    """Quotes for a batch of cleaned articles; see the module docstring, section "Stage"."""

    def __init__(self, *, n_process: int = 1, batch_size: int = 32) -> None:
        self.n_process = n_process
        self.batch_size = batch_size

    def process(self, batch: Sequence[Article], story_of: Mapping[str, str] | None = None) -> QuotesResult:
        ok: list[Article] = []
        skipped: list[str] = []
        for a in batch:
            if a.status != "ok" or not a.text.strip() or (a.language not in (None, "", "en")):
                skipped.append(a.id)
            else:
                ok.append(a)
        quotes: list[Quote] = []
        for qs in quotes_of_many([(a.id, a.text) for a in ok], n_process=self.n_process,
                                 batch_size=self.batch_size):
            quotes.extend(qs)
        groups: list[QuoteGroup] = []
        if story_of is not None:
            groups = group_quotes(quotes, story_of)
            quotes = apply_groups(quotes, groups)
        LOGGER.info("quotes: %d quotes in %d articles, %d groups", len(quotes), len(ok), len(groups))
        return QuotesResult(quotes=quotes, groups=groups, articles=len(ok), skipped=skipped)


def _quotes_serial(items: Sequence[tuple[str, str]], batch_size: int) -> list[list[Quote]]:
    docs = parse_many([t for _, t in items], batch_size=batch_size)
    return [extract_quotes(t, article_id=aid, doc=doc) for (aid, t), doc in zip(items, docs)]


def _share_out(items: Sequence[tuple[str, str]], n: int) -> list[list[int]]:
    """Article indexes in ``n`` shares of about equal text length; articles that share a paragraph
    (copies, near-copies) go to the same share, so each distinct paragraph is still parsed once."""
    from storyline.nlp.parse import paragraphs
    from storyline.unionfind import UnionFind

    sets: UnionFind[int] = UnionFind(range(len(items)))
    owner: dict[str, int] = {}
    for i, (_, text) in enumerate(items):
        for para in paragraphs(text):
            if len(para.strip()) < 40:  # datelines and bylines are shared by unrelated articles
                continue
            j = owner.setdefault(para, i)
            if j != i:
                sets.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(sets.find(i), []).append(i)
    shares: list[list[int]] = [[] for _ in range(n)]
    load = [0] * n
    for g in sorted(groups.values(), key=lambda g: -sum(len(items[i][1]) for i in g)):
        k = min(range(n), key=lambda x: load[x])
        shares[k].extend(g)
        load[k] += sum(len(items[i][1]) for i in g)
    return [sorted(sh) for sh in shares if sh]


def _worker(conn: object, items: Sequence[tuple[str, str]], batch_size: int) -> None:  # pragma: no cover - child
    try:
        conn.send(("ok", _quotes_serial(items, batch_size)))  # type: ignore[attr-defined]
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which re-runs the share
        conn.send(("error", repr(exc)))  # type: ignore[attr-defined]
    finally:
        conn.close()  # type: ignore[attr-defined]


def quotes_of_many(items: Sequence[tuple[str, str]], *, n_process: int = 1,
                   batch_size: int = 32) -> list[list[Quote]]:
    """Quotes of many ``(article_id, text)`` pairs, in order.

    With ``n_process`` > 1 the articles are cut into that many shares (:func:`_share_out`); the
    calling process works through the first share while forked children (which inherit the loaded
    model) do the others and send back only their quotes, not parsed documents. Spending the
    parent's own core this way, and shipping a few small records instead of serialised ``Doc``s,
    costs about the CPU time of one process. Where ``fork`` is not available, one process does all.
    """
    import multiprocessing as mp

    if n_process <= 1 or len(items) < 2 or "fork" not in mp.get_all_start_methods():
        return _quotes_serial(items, batch_size)
    shares = _share_out(items, n_process)
    if len(shares) < 2:
        return _quotes_serial(items, batch_size)
    from storyline.nlp.parse import get_nlp

    get_nlp()  # load once, before forking: the children share the loaded model
    # Objects that exist now are left out of garbage collection until the children are done (Python's
    # advice for fork without exec): a child's collections would otherwise walk, and so copy, every
    # page of the parent's heap, and the parent's would walk it too.
    gc.freeze()
    try:
        return _fork_shares(items, shares, batch_size)
    finally:
        gc.unfreeze()


def _fork_shares(items: Sequence[tuple[str, str]], shares: list[list[int]], batch_size: int) -> list[list[Quote]]:
    """Quotes of ``items``: forked children do ``shares[1:]`` while this process does ``shares[0]``."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    children = []
    for share in shares[1:]:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(send, [items[i] for i in share], batch_size), daemon=True)
        proc.start()
        send.close()
        children.append((share, recv, proc))
    out: list[list[Quote] | None] = [None] * len(items)
    for i, qs in zip(shares[0], _quotes_serial([items[i] for i in shares[0]], batch_size)):
        out[i] = qs
    for share, recv, proc in children:
        try:
            status, got = recv.recv()
        except EOFError:
            status, got = "error", "worker exited without an answer"
        proc.join()
        if status != "ok":
            LOGGER.warning("quotes worker failed (%s); parsing its share here", got)
            got = _quotes_serial([items[i] for i in share], batch_size)
        for i, qs in zip(share, got):
            out[i] = qs
    return [qs or [] for qs in out]
