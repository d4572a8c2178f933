"""Reporting frames: the cue, the source phrase and the content of each attribution in a parsed
article.

:func:`find_frames` reads them from the parse:

* a verb of the cue lexicon (:data:`~storyline.nlp.lexicon.CUE_VERBS`) that governs a clausal
  complement: the complement is the content, the subject is the source; a verb without its own
  subject borrows it from the verb it hangs off ("responded ... by asserting that", "said ... and
  added that");
* "according to X, ..." and "X, citing Y": the first with X as source and the rest of the clause as
  content;
* an agentless passive of a reporting or expecting verb ("X is said to ...", "it was reported that
  ...": no source), a raising verb ("X seems to ...": the whole clause), a passive with a by-phrase
  ("the plan was criticized by the union": the by-phrase is the source, the passive subject the
  content);
* nouns of saying with their holder ("the announcement by X that ...", "his pledge to ...");
* beyond the lexicon, every other verb with a subject and a complement scored by the learned cue
  model (:mod:`storyline.nlp.cues`, :func:`cue_candidates`): a belief or intention with its clause
  or infinitive ("expects that ...", "wants to ..."), or an act with its object and what completes it
  ("endorsed the plan to ...", "accused X of Y": :func:`act_bounds`);
* surface fallbacks where the parse loses a frame (a sentence ending ", she said."; a subject the
  parser stranded: "Will believes", "He's said").

Each :class:`Frame` carries character offsets of its cue, source and content; the quote extractor
(:mod:`storyline.nlp.quotes`) decides kinds, joins and speakers from them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.model import ChainLink
from storyline.nlp.attribution import MEDIUM_NOUNS, PUBLISHING_VERBS, ChainFinder, doc_text
from storyline.nlp.cues import CHANNELS, complement, features, for_mark, load_model
from storyline.nlp.lexicon import (
    CLAUSE_ONLY,
    CUE_VERBS,
    DENY_VERBS,
    ENTITY_TYPES,
    INFINITIVE_CUES,
    NOMINAL_CUES,
    NOUN_CUES,
    NOUN_INFINITIVE,
    PROFORM_CUES,
    PROFORM_OBJECTS,
    PRONOUNS,
    SURVEY_NOUNS,
)
from storyline.nlp.mentions import may_speak, part_of_speakers, span_text, speaker_noun
from storyline.nlp.names import first_name_genders
from storyline.nlp.parse import base_lemma
from storyline.nlp.quotemarks import QuotedSpan, word_count

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token


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


def subject_of(tok: "Token", *, outer: bool = True) -> "Token | None":
    """The subject of a cue verb, walking up through conjunctions, by-clauses and participles; with
    ``outer``, a coordinated verb goes with the reporting verb of its form (:func:`_outer_coordinate`)
    rather than the verb the parser joined it to."""
    cur: Token | None = tok
    via_conj = False
    if tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.i > 0 and tok.doc[tok.i - 1].text == "," \
            and tok.lemma_.lower() in CUE_VERBS and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        # "Smith argued that a database would help, saying ...", "X rejected claims that the pills
        # were unsafe, calling the reports ...": a reporting participle after the reported clause (or
        # the clause of the allegation rejected) goes on with its reporter, not with the clause's subject
        clause = tok.head
        if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in CUE_VERBS:
            cur = clause.head
        elif clause.dep_ == "acl" and clause.head.pos_ == "NOUN" and clause.head.dep_ == "dobj" \
                and clause.head.head.lemma_.lower() in CUE_VERBS \
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
            cur = clause.head.head
    if tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_.lower() == "have" \
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        cur = tok.head  # "Smith had this to say": the parser may make "this" the infinitive's subject
    for _ in range(4):
        if cur is None:
            return None
        subjects = [c for c in cur.children if c.dep_ == "nsubj" or (
            via_conj and c.dep_ == "nsubjpass" and cur.dep_ == "ROOT")]
        if len(subjects) > 1 and any(t.text in QUOTE_CHARS for t in cur.doc[subjects[0].i:cur.i]):
            # '"Thanks for coming," said the host': the parser also made a word of the quote a
            # subject; the inverted one after the verb is the speaker, else the one nearest it
            # ('"I hold Sen. Jane Doe in esteem," Smith said': Smith)
            return next((c for c in subjects if c.i > cur.i), max(subjects, key=lambda c: c.i))
        if subjects:
            # two subjects before the verb are a misparse ("Minister accused of X - ministry says
            # Y"): the nearer one is the verb's
            return _past_date_or_channel(max((c for c in subjects if c.i < cur.i), key=lambda c: c.i, default=subjects[0]))
        for c in cur.children:
            if c.dep_ == "agent":  # "it was said by the minister"
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if cur.dep_ in ("conj", "xcomp", "advcl", "pcomp", "prep", "acl") and cur.head.i != cur.i:
            if cur.dep_ == "acl" and cur.head.pos_ in ("NOUN", "PROPN"):
                if cur.tag_ == "VBN" and cur.i == tok.i:
                    return None  # "Minister accused of X": the noun is who the act is done to
                if cur.head.pos_ == "NOUN" and cur.head.dep_ in ("dobj", "pobj") and not speaker_noun(cur.head):
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
        return _fronted_subject(cur) or _subject_after_quote(cur)
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
        if subj is None or may_speak(subj) or subj.pos_ in ("PRON", "PROPN"):
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
            if o.dep_ == "pobj" and o.pos_ == "NOUN" and not o.ent_type_ and not speaker_noun(o):
                return True
    return False


def _past_date_or_channel(subj: "Token") -> "Token":
    """The subject behind a date or a channel the parser took for it: in "This Friday (26), US
    Secretary of State, Jane Smith, spoke ..." the date heads the phrase and the speaker hangs on it
    as an appositive; so does the minister in "In a post on X, formerly Twitter, the minister wrote"."""
    if subj.lower_ in CHANNELS:
        return next((c for c in subj.children if c.dep_ == "appos" and c.pos_ in ("PROPN", "NOUN")
                     and c.lower_ not in CHANNELS), subj)
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
    if best is None or not (best.pos_ == "PROPN" or best.ent_type_ in ENTITY_TYPES or speaker_noun(best)):
        return None
    return best


def _mark_before(verb: "Token") -> int | None:
    """The index of the last quotation mark before ``verb`` in its sentence, if any."""
    doc = verb.doc
    return next((k for k in range(verb.i - 1, verb.sent.start - 1, -1) if doc[k].text in QUOTE_CHARS), None)


def _subject_after_quote(verb: "Token") -> "Token | None":
    """The person named between a closing quotation mark and a reporting verb the parser left with
    no subject ('"...," lead author Dr. Jane Smith of Acme University said': it made a preposition of
    "lead"): the one person named there, by the last word of the name."""
    if verb.dep_ != "ROOT" or not _subjectless_finite(verb):
        return None
    doc = verb.doc
    k = _mark_before(verb)
    if k is None or verb.i - k > 15:
        return None
    # a name opened by a first name right after the mark, then its description or the verb ('"...,"
    # Jamal Whitcombe, executive director of the group Riders United, said': the recogniser may have
    # missed him and taken the group for a person)
    j = k + 1
    while j < verb.i and j - k <= 4 and doc[j].pos_ == "PROPN" and doc[j].ent_type_ in ("PERSON", "WORK_OF_ART", ""):
        j += 1
    if j - k >= 3 and (j == verb.i or doc[j].text == ",") and first_name_genders().get(doc[k + 1].lower_):
        return doc[j - 1]
    people = [t for t in doc[k + 1:verb.i] if t.ent_type_ == "PERSON"
              and (t.i + 1 >= len(doc) or doc[t.i + 1].ent_iob_ != "I")]
    return people[0] if len(people) == 1 else None


def trim_entity_prepositions(doc: "Doc") -> int:
    """Take a preposition that opens a recognised name out of it ("Per Pacific Wire Service, ...":
    the recogniser made "Per" part of the organisation); returns how many names were trimmed."""
    from spacy.tokens import Span

    ents = list(doc.ents)
    out, n = [], 0
    for ent in ents:
        first = ent[0]
        if len(ent) > 1 and first.pos_ == "ADP" and first.dep_ == "prep" and ent.label_ != "PERSON" \
                and all(t.head.i == first.i or first.i < t.head.i < ent.end for t in ent[1:]):
            out.append(Span(doc, ent.start + 1, ent.end, label=ent.label_))
            n += 1
        else:
            out.append(ent)
    if n:
        doc.ents = out
    return n


def reattach_names_after_quotes(doc: "Doc") -> int:
    """Give a reporting verb back the speaker the parser hung inside the quotation before it ('"...,"
    Jamal Whitcombe, director of X, said': "Whitcombe" was made the object of a verb in the quoted
    words and "said" had no subject). The name becomes the verb's subject and the quoted words it
    had taken return to the word it hung on; returns how many names moved."""
    moved = 0
    for verb in doc:
        if verb.lemma_.lower() not in CUE_VERBS or verb.pos_ != "VERB":
            continue
        name = _subject_after_quote(verb)
        if name is None:
            continue
        k = _mark_before(verb)  # (found, or there would be no name)
        old = name.head
        if k is None or not (verb.sent.start <= old.i < k < name.i):
            continue
        for t in doc[verb.sent.start:k + 1]:
            if t.head.i == name.i:
                t.head = old
        name.head = verb
        name.dep_ = "nsubj"
        moved += 1
    return moved


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
    return subj.pos_ == "PROPN" or subj.ent_type_ in ENTITY_TYPES or speaker_noun(subj) or part_of_speakers(subj)


def np_tokens(tok: "Token") -> list["Token"]:
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


def _relay_per(tok: "Token") -> bool:
    """Whether ``tok`` is the "per" of a relay that attributes its clause: "Per the ministry, ..." or
    "..., per Reuters" (not "$5 per gallon", "as per the contract", nor "X said, per a translator,
    that ...", a link of the report whose clause follows); the caller checks that what follows can
    speak."""
    head = tok.head
    if tok.lower_ != "per" or tok.dep_ != "prep" or head.pos_ not in ("VERB", "AUX"):
        return False
    if head.lemma_.lower() in CUE_VERBS and any(c.dep_ in ("ccomp", "xcomp") and c.i > tok.i for c in head.children):
        return False
    doc = tok.doc
    return tok.i == tok.sent.start or doc[tok.i - 1].text in (",", "—", "–", "(")


def _relay_source(pobj: "Token") -> list["Token"]:
    """The source of "according to X" / "in a poll X": the noun phrase (:func:`np_tokens`) with a
    participle or a by-phrase that says who made it ("exit polls conducted for the network by X",
    "a count by the agency", "excerpts released by the office"; not "a poll released Monday")."""
    toks = np_tokens(pobj)
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


def source_tokens(subj: "Token", cue: "Token") -> list["Token"]:
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
    return np_tokens(subj)


QUOTE_CHARS = frozenset('"“”«»‹›„‘’\'')


def _quotes_in(toks: Sequence["Token"]) -> bool:
    """Whether a run of tokens holds a quotation mark that may open or close quoted speech: a
    possessive apostrophe ("Sanders’ campaign manager") is none, and neither are double marks paired
    inside the run after its first word (a title in an appositive: 'host of the “Morning Show”')."""
    doc = toks[0].doc if toks else None
    marks = [t for t in toks if t.text in QUOTE_CHARS]
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
    for c in head.children:  # "said, as reported by X, that ...": the relay opens no content
        if c.dep_ == "advcl" and c.left_edge.i == left.i and c.right_edge.i < head.i and as_relay(c):
            left = doc[c.right_edge.i + 1]
    s = left.idx
    e = right.idx + len(right.text)
    text = doc_text(doc)
    while e > s and (text[e - 1] in " ,;:—–-." or text[e - 1].isspace()):
        e -= 1
    while s < e and (text[s] in " ,;:—–-" or text[s].isspace()):
        s += 1
    return s, _drop_trailing_cc(text, s, e)


def as_relay(tok: "Token") -> bool:
    """Whether ``tok`` is an outlet's "as X reported" / "as reported by X" set inside another
    speaker's report ("Smith said, as the Ledger reported, that ..."; "Smith had this to say, as
    reported by the Ledger:"): the outlet relays that speaker's words, it is a link of their chain
    (:meth:`~storyline.nlp.attribution.ChainFinder.links_in`) and not a speaker of its own."""
    if tok.pos_ != "VERB" or tok.dep_ != "advcl" or tok.lemma_.lower() not in PUBLISHING_VERBS \
            or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return False
    by = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    outlet = next((c for c in tok.children if c.dep_ == "nsubj"), None) or (by[0] if by else None)
    if outlet is None or outlet.ent_type_ == "PERSON" or outlet.pos_ == "PRON":
        return False  # "as Jane Smith wrote, ...": a writer is the speaker
    head = tok.head
    if any(t.text in QUOTE_CHARS for t in tok.doc[tok.i + 1:head.i]):
        return False  # 'As the Ledger wrote, "..."': what it wrote follows
    for _ in range(3):  # the speaker's verb, or one whose reported clause holds the relay ("Smith said
        # the plan is dead, as reported by the Ledger")
        if head.pos_ in ("VERB", "AUX") and subject_of(head) is not None and (
                head.lemma_.lower() in CUE_VERBS or any(  # "had this to say", "went on to say"
                    c.dep_ in ("xcomp", "ccomp") and c.tag_ == "VB" and c.lemma_.lower() in ("say", "add")
                    for c in head.children)):
            return True
        if head.dep_ not in ("ccomp", "conj") or head.head.i == head.i:
            return False
        head = head.head
    return False


def find_frames(doc: "Doc", chains: ChainFinder, quoted: Sequence[QuotedSpan] | None = None) -> list[Frame]:
    frames: list[Frame] = []
    for sent in doc.sents:
        for tok in sent:
            lemma = tok.lemma_.lower()
            according = tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"
            survey = (tok.lower_ == "in" and tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX")
                      and tok.head.lemma_.lower() not in CUE_VERBS and tok.i < tok.head.i)
            per = _relay_per(tok)
            if according or survey or per:
                to = doc[tok.i + 1] if according else tok
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if pobj is None or (survey and pobj.lemma_.lower() not in SURVEY_NOUNS) \
                        or (per and not may_speak(pobj)):
                    continue
                head = tok.head if tok.head.i != tok.i else None
                if head is None:
                    continue
                while head.dep_ == "conj" and head.head.i < head.i:
                    head = head.head  # "A won 37 percent, B 36 and C snagged 13, according to X"
                # the clause the phrase modifies, minus the phrase itself
                skip = {t.i for t in tok.subtree}
                body = [t for t in head.subtree if t.i not in skip]
                while body and (body[-1].is_space or body[-1].text in (".", "!")):
                    body.pop()  # "According to X, the plan is dead.": the clause, not its full stop
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
                s, e = trim_span(doc_text(doc), s, e)
                if e - s < 3:
                    continue
                src = _relay_source(pobj)
                ss, se, _ = span_text(doc, src)
                cue_text = doc_text(doc)[tok.idx:to.idx + len(to.text)]
                frames.append(Frame(tok.idx, to.idx + len(to.text), cue_text, s, e, (ss, se), pobj,
                                    tok, "according to" if according else "per" if per else "in",
                                    sent.start_char, sent.end_char, gap=gap))
                continue
            if lemma not in CUE_VERBS or tok.pos_ not in ("VERB", "AUX") or as_relay(tok):
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None:
                # "Smith said, as the Ledger reported, that ...": the parser hangs the clause on the relay
                relay = next((c for c in tok.children if as_relay(c)), None)
                comp = next((c for c in relay.children if c.dep_ == "ccomp" and c.i > relay.i), None) \
                    if relay is not None else None
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
                comp = next((c for c in tok.children if c.dep_ == "dobj" and (c.pos_ in ("NOUN", "PROPN") or (
                    # "The club denied that, saying ...", "disputed this": what was just stated
                    lemma in DENY_VERBS and c.i > tok.i and points_back(c)))), None)
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
                                               and lemma not in CLAUSE_ONLY and tok.tag_ != "VB"
                                               and not any(c.dep_ in ("mark", "dobj") or c.tag_ in _WH_TAGS
                                                           for c in tok.children)) or (
                        tok.dep_ == "advcl" and tok.head.pos_ in ("VERB", "AUX") and lemma not in CLAUSE_ONLY
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
                cs, ce = act_bounds(doc, tok, comp, wide=True)
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
            ce = cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce), nominal)
            if _gapped_relative(tok, comp):
                # "a probe the agency said was ongoing": what is reported is about the noun the
                # clause hangs on, so the content runs from that noun (PolNeAR's annotators span it)
                cs = min(cs, tok.head.left_edge.idx)
            if ce - cs < 3 and not (proform and ce > cs):
                continue
            subj = subject_of(tok)
            if subj is None and left_clause is not None:  # "X offered A, then says Z": X says
                subj = rel_subj or next((c for c in left_clause.children if c.dep_ == "nsubj"), None)
            if subj is None and comp.i > tok.i:
                subj = _stranded_subject(tok)
            src = None
            if subj is not None:
                # (a relative clause the parser broke up is left out of the source phrase)
                st = np_tokens(subj) if rel_subj is not None and rel_subj.i == subj.i else source_tokens(subj, tok)
                ss, se, _ = span_text(doc, st)
                own = tok.left_edge.i <= subj.i <= tok.right_edge.i  # "The plan, she said, is dead"
                if cs <= ss < ce and not own and (comp.i == tok.head.i or subj in set(comp.subtree)):
                    subj, src = None, None  # subject inside the content: not a source
                else:
                    src = (ss, se)
            if src is None:
                continue
            if _question_put(tok):
                subj, src = None, None  # "Asked whether ..., she said": the question was put to her
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
    frames.extend(_summed_up_frames(doc))
    frames.extend(_trailing_cue_frames(doc, {f.cue_tok.i for f in frames if f.cue_tok is not None}))
    _cut_summed_up(frames)
    frames.extend(_noun_frames(doc))
    frames.extend(_passive_frames(doc))
    if quoted is not None:
        rule_cues = {f.cue_tok.i for f in frames if f.cue_tok is not None}
        frames.extend(_learned_frames(doc, quoted, rule_cues))
    frames = [f for f in frames if not no_report(f) and not _reduced_passive(f)
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


def _question_put(tok: "Token") -> bool:
    """Whether ``tok`` is a bare passive participle of a question verb with no one named as asking
    ("Asked whether the bank was under pressure, she said ...", "when asked if ..."): the question
    was put to the clause's subject, so it reports a question with no source (as "X was asked
    whether ..." does); "Asked by a reporter ..." keeps the reporter, and a request ("when asked to
    leave") is left as it was."""
    return tok.tag_ == "VBN" and tok.dep_ == "advcl" and tok.lemma_.lower() in QUESTION_PASSIVES \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "agent", "xcomp") for c in tok.children)


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


def no_report(f: Frame) -> bool:
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
    clause has no "that" as its mark, so such a clause with a subject of its own is the report; so is
    one it hung on the occasion as that noun's own clause ("told the BBC in an interview that X"), and
    one it hung as a second relative clause on whom a relative "told" is about ("Smith, who told the
    BBC, that X")."""
    # (with no one told, "confirmed in a statement that X" is read as the cue "confirmed in a
    # statement" and the clause, see cues.complement)
    told = any(c.dep_ in ("dobj", "dative") and c.i > cue.i for c in cue.children)
    if cue.dep_ == "relcl" and told:
        # "Smith, who told the Ledger, a news site, that X": hung as a second clause on Smith
        for t in cue.head.children:
            opener = next((c for c in t.children if c.i == t.left_edge.i and c.lower_ == "that"), None) \
                if t.dep_ == "relcl" and t.i > cue.i else None
            if opener is not None and opener.dep_ == "mark" and t.left_edge.i > cue.right_edge.i \
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                return t
    for prep in cue.children:
        if prep.dep_ != "prep" or prep.i < cue.i:
            continue
        for t in prep.subtree:
            if t.pos_ not in ("VERB", "AUX") or not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                continue
            opener = next((c for c in t.children if c.i == t.left_edge.i and c.lower_ == "that"), None)
            if opener is None or (t.dep_ == "relcl" and any(
                    c.dep_ == "relcl" and c.i < t.i and c.lemma_.lower() in CUE_VERBS for c in t.head.children)):
                continue  # (a clause of "Smith, who told X, that ...": Smith's, see above)
            if (t.dep_ == "relcl" or (told and t.dep_ == "acl" and t.head.lemma_.lower() in OCCASION_NOUNS)) \
                    and opener.dep_ == "mark":
                return t
            if t.dep_ == "relcl" and opener.dep_ == "dobj" and t.head.lemma_.lower() in OCCASION_NOUNS \
                    and t.lemma_.lower() not in _OCCASION_OBJECT_VERBS \
                    and not any(c.dep_ in ("dobj", "dative", "ccomp", "xcomp") and c.i != opener.i for c in t.children) \
                    and not any(c.dep_ == "prt" for c in t.children):
                # "said in a briefing that the bridge would reopen": "that" read as the object of a
                # clause about the briefing, but nothing is done to a briefing there; "a statement that
                # the company released" (a verb whose object the statement is) stays a relative clause
                return t
    return None


#: Objects by which a rejection points back to what was just stated ("denied that", "disputed this").
_POINTING_BACK = frozenset({"that", "this", "these", "those"})


def points_back(obj: "Token") -> bool:
    """Whether a verb's object is a bare demonstrative standing for what was just stated ("The club
    denied that, saying ...", "disputed this"), not one with a noun or a clause after it."""
    return obj.dep_ == "dobj" and obj.lower_ in _POINTING_BACK and not list(obj.children)


#: Verbs whose object an occasion or a medium is ("a statement that the firm released", "a speech
#: that he gave"): a "that" clause with one of them describes the occasion rather than reporting.
_OCCASION_OBJECT_VERBS = frozenset({
    "release", "issue", "post", "give", "hold", "host", "publish", "make", "deliver", "send", "write", "sign",
    "read", "attend", "air", "broadcast", "conduct", "record", "share", "tweet", "film", "tape", "draft", "file",
    "submit", "organize", "organise", "call", "schedule", "plan", "cancel", "end", "begin", "start", "open",
    "close", "watch", "see", "hear", "receive", "obtain", "review", "cite", "quote", "leak", "launch", "run",
    "produce", "prepare", "circulate", "distribute", "mail", "email", "text", "do", "have", "get", "put", "use",
    "join", "lead", "chair", "address", "moderate", "stage", "arrange", "convene", "skip", "miss", "follow",
})


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


#: Words that open a relative clause: one closing a sentence describes a noun, it reports nothing.
_RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "whose", "that"})


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
        if lemma not in CUE_VERBS or lemma in CLAUSE_ONLY or cue.tag_ not in _FINITE_TAGS:
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
        if any(t.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "SCONJ", "CCONJ") for t in subj) \
                or subj[0].lower_ in _RELATIVE_PRONOUNS:
            continue  # (", which first reported on the letter.": the writer's word on a noun)
        heads = [t for t in subj if t.pos_ in ("PRON", "PROPN", "NOUN")]
        if not heads:
            continue
        frame = _closing_frame(toks, j, heads[-1], cue, (subj[0].idx, subj[-1].idx + len(subj[-1].text)))
        if frame is not None:
            out.append(frame)
    return out


#: Nouns that sum up a statement set before them ("..., a claim the company denied", "..., a point
#: she also acknowledged").
SUMMING_NOUNS = frozenset("""
claim allegation charge accusation assertion contention assessment characterization characterisation
description view point fact account suggestion notion idea argument finding conclusion prediction
estimate figure position criticism complaint arrangement decision move version
""".split())


def _summed_up_frames(doc: "Doc") -> list[Frame]:
    """The frames of :func:`_summed_up_frame` in ``doc`` (before the closing cues: their cues are
    taken, :func:`_trailing_cue_frames` leaves them alone)."""
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        for cue in toks:
            if cue.dep_ == "relcl" and cue.lemma_.lower() in CUE_VERBS:
                frame = _summed_up_frame(toks, cue)
                if frame is not None:
                    out.append(frame)
    return out


def _summed_up_frame(toks: list["Token"], cue: "Token") -> Frame | None:
    """'The operator paid a ransom, a claim the company has denied.': a noun set after a comma sums
    up the words before it, and the relative clause that closes the sentence says who denied,
    disputed or said them (its subject, not the noun)."""
    doc = cue.doc
    noun = cue.head
    own = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if noun.pos_ != "NOUN" or base_lemma(noun) not in SUMMING_NOUNS or own is None \
            or own.lower_ in _RELATIVE_PRONOUNS or not noun.i < own.left_edge.i \
            or any(c.dep_ in ("ccomp", "xcomp", "oprd", "dobj", "dative") and c.lower_ not in _RELATIVE_PRONOUNS
                   for c in cue.children) \
            or any(t.lower_ != "that" for t in doc[noun.i + 1:own.left_edge.i]) \
            or any(t.dep_ not in ("aux", "auxpass", "advmod", "neg") for t in doc[own.right_edge.i + 1:cue.i]):
        return None
    first = noun.left_edge.i
    comma = next((n for n, t in enumerate(toks) if t.i == first - 1), None)
    if comma is None or toks[comma].text != "," or any(not t.is_punct for t in toks if t.i > cue.right_edge.i):
        return None  # (and the relative clause closes the sentence)
    return _closing_frame(toks, comma, own, cue)


def _cut_summed_up(frames: list[Frame]) -> None:
    """A report whose content runs on into the noun that sums it up ('Officials said the plant was
    safe, an assertion residents dispute') ends at the comma before that noun: the relative clause
    after it is someone else's (:func:`_summed_up_frame`)."""
    for g in frames:
        if g.cue_tok is None or g.cue_tok.dep_ != "relcl" or g.content_end > g.cue_tok.head.left_edge.idx:
            continue
        for f in frames:
            if f is not g and f.content_start < g.content_end < f.content_end and f.content_end >= g.cue_start:
                f.content_end = g.content_end


def _closing_frame(toks: list["Token"], comma: int, speaker: "Token", cue: "Token",
                   source: tuple[int, int] | None = None) -> Frame | None:
    """The frame of a sentence ``toks`` whose words before the comma at ``comma`` a closing cue
    reports, its speaker's phrase ``source`` (by default the one headed by ``speaker``); None when
    those words are too short or quoted (quoted passages have their own rules)."""
    doc = cue.doc
    cs, ce = trim_span(doc_text(doc), toks[0].idx, toks[comma].idx)
    if ce - cs < 12 or _quotes_in(toks[:comma]):
        return None
    ss, se = source if source is not None else span_text(doc, source_tokens(speaker, cue))[:2]
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
        addressee = c.dep_ == "dobj" and cue.lemma_.lower() in TELLING_VERBS and (
            c.pos_ == "PROPN" or c.ent_type_ in ENTITY_TYPES or speaker_noun(c))
        setting = (c.dep_ == "prep" and setting_phrase(c)) or (c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME"))
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
                                     mark.lower_ == "to" and c.dep_ == "acl" and tok.lemma_.lower() in NOUN_INFINITIVE) \
                    and c.pos_ in ("VERB", "AUX"):
                comp = c
                break
        if comp is None:
            continue
        cs, ce = _content_bounds(doc, comp)
        ce = cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce))
        if word_count(text[cs:ce]) < 3:
            continue
        src = np_tokens(holder)
        ss, se, _ = span_text(doc, src)
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
                cs, ce = act_bounds(doc, tok, asked) if asked.dep_ == "dobj" else _content_bounds(doc, asked)
            else:
                cs, ce = trim_span(text, subj.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text))
        ce = cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce))
        if word_count(text[cs:ce]) < 3:
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
    speak (:func:`may_speak`): "The plan was criticized by the union" is the union's stance on "The
    plan". The cue runs from the passive auxiliary to the verb; a subject that is only a pronoun
    ("it was criticized by X", "which was denied by Y") gives no frame, there is nothing to show."""
    aux, subj = _passive_parts(tok)
    agent = next((c for c in tok.children if c.dep_ == "agent" and c.i > tok.i), None)
    if aux is None or subj is None or agent is None or subj.pos_ == "PRON" or subj.lower_ in PRONOUNS:
        return None
    if lemma in _AS_PASSIVES and not any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
        return None  # "was seen by millions": an audience, not a view
    holder = next((c for c in agent.children if c.dep_ == "pobj"), None)
    if holder is None or not may_speak(holder) or any(c.dep_ == "neg" for c in tok.children):
        return None
    text = doc_text(doc)
    cs, ce = trim_span(text, subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text))
    if ce - cs < 2 or ce > aux.idx:
        return None
    ss, se, _ = span_text(doc, np_tokens(holder))
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
    """Every verb of ``doc`` with a subject (its own or borrowed, :func:`subject_of`) and a
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
            or (tok.tag_ == "VBG" and tok.lower_ in _PREPOSITIONAL_PARTICIPLES) or as_relay(tok):
        return None
    comp, kind = complement(tok)
    if comp is None or (tok.pos_ == "AUX" and kind not in ("acomp", "aprep")):
        return None
    # the cue model reads the subject the parse gives; the frame's speaker may be another's
    # (:func:`_outer_coordinate`)
    subj = subject_of(tok, outer=False)
    if not _outside(subj, comp):
        return None
    speaker = subject_of(tok)
    if not _outside(speaker, comp):
        speaker = subj
    off = tok.idx
    in_q = sent_q and any(a <= off < b for a, b in qmarks)
    cs, ce = comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text)
    comp_q = any(ch in QUOTE_CHARS for ch in text[cs:ce])
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
#: wide form of an act's content (:func:`act_bounds`) stops before them.
_SETTING_PREPS = frozenset({"at", "during", "after", "before", "since", "until", "amid", "throughout", "despite"})


#: Prepositions and nouns of the occasion or medium of an act ("in a speech", "on Twitter", "in a
#: tweet", "in an interview with X"): the setting, like a date.
_MEDIUM_PREPS = frozenset({"in", "on", "via", "through", "with"})


OCCASION_NOUNS = MEDIUM_NOUNS | frozenset({"speech", "address", "remark", "rally", "debate", "hearing", "meeting",
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


def setting_phrase(prep: "Token") -> bool:
    """Whether a prepositional phrase gives the setting of an act, not its matter: a preposition of
    :data:`_SETTING_PREPS`, one whose object is a date or a time ("on Friday", "in March"), or an
    occasion or medium ("in a speech", "in an interview with X": :data:`OCCASION_NOUNS`)."""
    objs = [g for g in prep.children if g.dep_ == "pobj"]
    if prep.lower_ == "at" and any(_measure(g) for g in objs):
        return False  # "found benzene at 38 micrograms per litre": a measure, not a place
    return prep.lower_ in _SETTING_PREPS or any(
        g.ent_type_ in ("DATE", "TIME") or (prep.lower_ in _MEDIUM_PREPS and g.lemma_.lower() in OCCASION_NOUNS)
        for g in objs)


def _measure(tok: "Token") -> bool:
    """Whether a noun phrase's head is an amount ("38 micrograms", "5 percent", "$4 a share")."""
    return tok.ent_type_ in ("QUANTITY", "PERCENT", "MONEY", "CARDINAL") or tok.like_num \
        or any(c.dep_ == "nummod" for c in tok.children)


def act_bounds(doc: "Doc", verb: "Token", comp: "Token", wide: bool = False) -> tuple[int, int]:
    """The content of a stance or act with a nominal complement: the object and what completes it
    ("offered Smith the second spot", "regards the city as its capital", "accuses X of Y"); ``wide``
    also takes every other prepositional phrase but those of the setting (:func:`setting_phrase`)
    and an infinitive after the object ("praised the
    effort in the aftermath of the storm", "announced steps to tighten sales"), as PolNeAR's
    annotators do (the narrow form is the content when the wide one would swallow a quoted passage)."""
    parts = [comp]
    for c in verb.children:
        if c.i <= verb.i or c is comp:
            continue
        if c.dep_ in ("dobj", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr") or (
                c.dep_ == "prep" and (c.lower_ in _ACT_PREPS or (wide and not setting_phrase(c))) and c.i > comp.i):
            parts.append(c)
        elif wide and c.dep_ == "advcl" and c.i > comp.i and any(g.dep_ == "aux" and g.lower_ == "to" and g.i < c.i for g in c.children):
            parts.append(c)
    lo = min(p.left_edge.i for p in parts)
    hi = max(p.right_edge.i for p in parts)
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    return trim_span(doc_text(doc), s, e)


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
            s, e = trim_span(text, c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
            return s, e, obj.idx + len(obj.text)  # "expressed concern that X"
        if c.dep_ == "prep" and c.lower_ in _STANCE_PREPS:
            o = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if o is not None:
                s, e = trim_span(text, o.left_edge.idx, o.right_edge.idx + len(o.right_edge.text))
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
TELLING_VERBS = frozenset({"tell", "ask", "inform", "notify", "brief"})


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
        if c.kind == "dobj" and tok.lemma_.lower() in TELLING_VERBS and (
                comp.pos_ in ("PRON", "PROPN") or comp.ent_type_ in ENTITY_TYPES or speaker_noun(comp)):
            continue  # "told The Daily Ledger", "asked the minister": whom it was said to
        nominal = c.kind not in ("ccomp", "acomp", "forto")
        if c.kind == "aprep":  # "is concerned about [the plan]"
            cs, ce = trim_span(text, comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text))
        elif c.kind == "forto":  # "called for [the minister to resign]": the "for" is the cue's
            mark = for_mark(comp)
            cs, ce = _content_bounds(doc, comp)
            cs = max(cs, trim_span(text, mark.idx + len(mark.text), ce)[0]) if mark is not None else cs
        else:
            cs, ce = _content_bounds(doc, comp) if not nominal else act_bounds(doc, tok, comp)
        if c.kind == "ccomp":
            ce = _reported_tail(doc, tok, ce)
        ce = cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce), nominal)
        if ce - cs < 2 or (nominal and c.kind != "xcomp" and _bare_pronoun_act(comp)):
            continue
        light = _light_object(doc, tok, comp) if c.kind == "dobj" else None
        if light is not None:  # "issued a statement saying ...": the noun is part of the cue
            cs, ce = light[0], light[1]
        elif nominal and c.kind != "aprep":  # the whole act is reported: "praised the effort of a donor to the campaign"
            ws, we = act_bounds(doc, tok, comp, wide=True)
            if not (_holds_quote(quoted, ws, we) and not _holds_quote(quoted, cs, ce)):
                cs, ce = ws, we  # (not when only the wider form would swallow a quoted passage)
            ce = cut_writer_tail(doc, cs, _cut_relay_tail(doc, cs, ce), nominal)
        if nominal and (comp.ent_type_ in _NOT_STANCE_ENTS or any(ch.dep_ == "neg" for ch in tok.children)):
            continue  # "posted on May 15", "did not name a source": no stance attributed
        if nominal and any(ch.dep_ == "prep" and ch.lower_ == "by" and any(
                g.dep_ == "pcomp" and g.lemma_.lower() in CUE_VERBS for g in ch.children) for ch in tok.children):
            continue  # "responded to the charge by asserting that ...": the report is the frame
        if nominal and _means_of_saying(tok):
            continue  # "called the authorities to say ...": the means; "to say" reports
        if c.subj.lower_ in ("i", "we") and "INQ" not in c.feats:
            continue  # "In this article, we explore ...": the writer's own voice
        st = source_tokens(c.subj, tok)
        ss, se, _ = span_text(doc, st)
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
    return trim_span(doc_text(doc), end, new_end)[1]


def _cut_relay_tail(doc: "Doc", s: int, e: int) -> int:
    """End the content before a trailing ", per X", ", according to X" or ", as reported by X" (a
    chain link, not content)."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return e
    for t in span:
        if t.i > span.start and doc[t.i - 1].text == "," and (
                t.lower_ == "per" or (t.lower_ == "according" and t.i + 1 < len(doc)
                                      and doc[t.i + 1].lower_ == "to")
                or (t.lower_ == "as" and t.dep_ == "mark" and as_relay(t.head))):
            if max(t.right_edge.i, t.head.right_edge.i if t.lower_ == "as" else 0) >= span.end - 2:
                return trim_span(doc_text(doc), s, doc[t.i - 1].idx)[1]
    return e


#: What :func:`cut_writer_tail` cuts from the end of a reported clause (see there).
TAIL_CUTS = frozenset({"relcl", "appos", "vbg", "conj"})


def cut_writer_tail(doc: "Doc", s: int, e: int, nominal: bool = False) -> int:
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
            return trim_span(text, s, doc[cut].idx)[1]
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


def trim_span(text: str, s: int, e: int) -> tuple[int, int]:
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
    # keep the side of the clause before the cue when the cue sits at the end ("..., she said"); a
    # conjunction opening the sentence is no part of either ("And as one expert told X, only ...")
    before = [t for t in toks if t.i < cue.left_edge.i]
    while before and before[0].dep_ == "cc" and before[0].head.i == clause.i and before[0].is_sent_start:
        before = before[1:]
    after = [t for t in toks if t.i > cue.right_edge.i]
    words_after = [t for t in after if not t.is_punct]
    if before and words_after and cue.i > clause.i:
        # "Sales were great, he said, wiping his face": a participle right after the cue is what
        # the speaker did, though the parser hangs it on the reported clause
        first = words_after[0]
        if first.dep_ in ("advcl", "xcomp") and first.head.i == clause.i and first.tag_ == "VBG" \
                and first.left_edge.i == first.i and not any(c.dep_ in ("nsubj", "nsubjpass") for c in first.children):
            after = []
    if word_count(" ".join(t.text for t in before)) >= 1 and word_count(" ".join(t.text for t in after)) >= 2 \
            and not any(t.is_sent_start for t in after):
        # a parenthetical cue ("The plan, she said, is dead"): the content runs around it
        part = before + after
    else:
        part = before if len(before) >= len(after) else after
    if not part:
        return 0, 0
    s = part[0].idx
    e = part[-1].idx + len(part[-1].text)
    s, e = trim_span(doc_text(doc), s, e)
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
            or (first.dep_ == "prep" and setting_phrase(first)):
        return None
    if any(not (cue.is_ancestor(t) or t.i == comp.i or comp.is_ancestor(t)) for t in doc[b + 2:last + 1]) \
            or any(t.text in QUOTE_CHARS for t in doc[b + 2:last + 1]):
        return None
    return doc[last].idx + len(doc[last].text), (doc[a].idx, doc[b].idx + len(doc[b].text))
