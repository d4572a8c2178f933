"""A learned attribution-cue detector: which verbs attribute a statement, a belief or a stance to a
source ("officials believe that ...", "Smith wants to ...", "the group endorsed ...").

The rules of :mod:`storyline.nlp.quotes` find reporting verbs from a lexicon. News also attributes
through verbs no lexicon lists in full, and a verb's sense depends on its frame ("expects that" vs
"expects rain"). This module scores each *candidate*, a verb with a subject and a complement (a
clause, an infinitive, an object or a prepositional object), with a logistic regression over
parse features: the lemma, its tag and dependency, the kind of complement and the lemma with it, the
subject's kind (pronoun, named person / organisation / place, a noun naming people, another noun) and
lemma, negation, modality, passive voice, quotation marks around, the word that governs the verb and
the words next to it, and the complement's head, tag, length, first word and whether it has a subject
of its own ("expects that ..." / "expects rain"). The weights live in
``storyline/models/classifiers/cues.json``, trained on PolNeAR's training split by
``bench/train_cues.py`` (same data, same bytes).

Scoring is a dictionary lookup per feature: microseconds per verb, no dependency beyond the parse.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.nlp.attribution import MEDIUM_NOUNS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token


#: Prepositions whose object is what a stance is about ("voted for the bill", "spoke about jobs").
COMP_PREPS = frozenset({"for", "about", "against", "on", "with", "of", "to", "over", "in"})
#: Where something is said, not what it is about: "responded on Twitter", "spoke out on television"
#: (and the media of :data:`~storyline.nlp.attribution.MEDIUM_NOUNS`: "shot back in a statement").
CHANNELS = frozenset("""
twitter facebook instagram youtube tiktok snapchat linkedin reddit telegram whatsapp weibo wechat threads
bluesky television tv radio air camera stage podcast livestream
""".split())
#: Verbs of talking whose "to X" / "with X" names whom they talked to, never what was said ("spoke
#: to reporters about the vote": the vote).
ADDRESSEE_VERBS = frozenset({"speak", "talk", "chat"})

_FIRST = frozenset({"i", "we", "me", "us"})
_THIRD = frozenset({"he", "she", "they", "him", "her", "them"})
_MODALS = frozenset({"would", "could", "will", "might", "should", "may", "can", "must", "'d", "’d", "'ll", "’ll"})


def complement(tok: "Token") -> tuple["Token | None", str]:
    """The complement a candidate cue governs and its kind: a clause (``ccomp``), an infinitive
    (``xcomp``), an object (``dobj``), the object of a preposition (``prep:for``) or the clause under
    an adjective ("is confident that", ``acomp``) or the object of a preposition after an adjective
    ("is concerned about", ``aprep``), or an infinitive with its own subject after "for" ("called for
    the minister to resign", ``forto``); ``(None, "")`` when there is none."""
    kids = list(tok.children)
    for c in kids:
        if c.dep_ == "ccomp":
            return c, "ccomp"
    for c in kids:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c, "xcomp"
    for c in kids:
        if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return c, "dobj"
    for c in kids:
        if c.dep_ == "acomp":
            for g in c.children:
                if g.dep_ in ("ccomp", "xcomp"):
                    return g, "acomp"
    for c in kids:
        if c.dep_ == "acomp":  # "is concerned about the plan", "was critical of the deal"
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ in COMP_PREPS and g.i > c.i:
                    for o in g.children:
                        if o.dep_ in ("pobj", "pcomp"):
                            return o, "aprep"
    for c in kids:
        if c.dep_ == "prep" and c.lower_ in COMP_PREPS and c.i > tok.i \
                and not (c.lower_ in ("to", "with") and tok.lemma_.lower() in ADDRESSEE_VERBS):
            for g in c.children:
                # (a medium that a clause hangs on stays: "confirmed in a statement that X" is read
                # as the cue "confirmed in a statement" and the clause)
                if g.dep_ in ("pobj", "pcomp") and not (c.lower_ in ("on", "in") and (
                        g.lower_ in CHANNELS or (g.lemma_.lower() in MEDIUM_NOUNS and not any(
                            x.dep_ in ("acl", "ccomp", "relcl") for x in g.children)))):
                    return g, "prep:" + c.lower_
    for c in kids:  # "called for the minister to resign": the parser makes it a clause of its own
        if c.dep_ == "advcl" and c.i > tok.i and for_mark(c) is not None \
                and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
            return c, "forto"
    return None, ""


def for_mark(clause: "Token") -> "Token | None":
    """The "for" that opens an infinitive clause with a subject of its own ("for the minister to
    resign"), or None."""
    return next((g for g in clause.children if g.dep_ == "mark" and g.lower_ == "for"), None)


def subject_kind(subj: "Token | None") -> str:
    """What the subject is: a first or third person pronoun, a named entity's type, a noun that
    names people, another noun, or none."""
    if subj is None:
        return "none"
    low = subj.lower_
    if low in _FIRST:
        return "pron1"
    if low in _THIRD:
        return "pron3"
    if low in ("it", "this", "that", "which", "what"):
        return "it"
    if low == "who":
        return "who"
    ent = subj.ent_type_
    if ent in ("PERSON", "ORG", "GPE", "NORP"):
        return ent.lower()
    if ent:
        return "ent"
    if subj.pos_ == "PROPN":
        return "propn"
    if subj.pos_ == "NOUN":
        from storyline.nlp.mentions import speaker_noun

        return "people" if speaker_noun(subj) else "noun"
    return subj.pos_.lower()


def features(tok: "Token", comp: "Token | None", kind: str, subj: "Token | None", *,
             in_quote: bool, sent_quote: bool, comp_quote: bool, lexicon: bool, borrowed: bool,
             nested: bool = False) -> list[str]:
    """The binary features of one candidate cue (names only; the model holds their weights);
    ``nested``: the verb sits in what a reporting verb reports ("said the union wants to ...")."""
    lemma = tok.lemma_.lower()
    sk = subject_kind(subj)
    kids = list(tok.children)
    out = ["bias", "L=" + lemma, "T=" + tok.tag_, "D=" + tok.dep_, "K=" + kind, "LK=" + lemma + "|" + kind,
           "S=" + sk, "LS=" + lemma + "|" + sk, "KS=" + kind + "|" + sk, "HD=" + tok.head.pos_ + "|" + tok.dep_]
    out.extend("C=" + d for d in sorted({c.dep_ for c in kids}))
    if any(c.dep_ == "neg" for c in kids):
        out.append("NEG")
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in kids):
        out.append("MODAL")
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in kids):
        out.append("PASS")
    # the words around it: what governs the verb, the words next to it, its subject's lemma
    out.append("HL=" + tok.head.lemma_.lower() + "|" + tok.dep_)
    out.append("DH=" + tok.dep_ + "|" + tok.head.dep_)
    if tok.i > 0:
        out.append("PV=" + tok.nbor(-1).lower_)
    if tok.i + 1 < len(tok.doc):
        out.append("NX=" + tok.nbor(1).lower_)
    if subj is not None:
        out.append("SL=" + subj.lemma_.lower())
    if comp is not None:
        mark = next((g.lower_ for g in comp.children if g.dep_ == "mark"), None)
        mark = mark if mark in ("that", "whether", "if") else None
        if mark:
            out.append("MARK=" + mark)
        out.append("LMARK=" + lemma + "|" + (mark or "-"))
        n = comp.right_edge.i - comp.left_edge.i + 1
        clen = "1" if n == 1 else "2-3" if n <= 3 else "4-9" if n <= 9 else "10+"
        out.append("CLEN=" + clen)
        out.append("LCLEN=" + lemma + "|" + clen)
        out.append("CP=" + comp.pos_)
        out.append("CT=" + comp.tag_)
        # the complement's head and first word ("expects that" / "expects rain", "wants to")
        out.append("CL=" + comp.lemma_.lower())
        out.append("LCL=" + lemma + "|" + comp.lemma_.lower())
        out.append("CF=" + comp.left_edge.lower_)
        if any(g.dep_ in ("nsubj", "nsubjpass") for g in comp.children):
            out.append("CSUBJ")
    if in_quote:
        out.append("INQ")
    if sent_quote:
        out.append("SQ")
    if comp_quote:
        out.append("CQ")
    if lexicon:
        out.append("LEX")
        out.append("LEXK=" + kind)
    if borrowed:
        out.append("SB")
    if nested:
        out.append("NESTED")
    return out


class CueModel:
    """Logistic regression over :func:`features`; ``threshold`` is the probability above which a
    candidate is a cue."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.weights: dict[str, float] = data["weights"]
        self.threshold: float = float(data["threshold"])

    def prob(self, feats: list[str]) -> float:
        w = self.weights
        z = sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def load_model(path: str | None = None) -> CueModel:
    """The shipped model (sha256 checked, :func:`storyline.weights.verified_path`), or the file at
    ``path`` (for training and tests)."""
    from storyline.weights import verified_path

    p = Path(path) if path else verified_path("cues.json")
    return CueModel(json.loads(p.read_text(encoding="utf-8")))
