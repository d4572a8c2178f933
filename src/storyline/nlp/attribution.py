"""Attribution chains: the outlets and documents a statement came through.

Patterns (dependency structure, never outlet names):

* ``interview``: "in an interview with X", "in a statement to X", "on X's programme" (a noun of the
  :data:`MEDIUM_NOUNS` list with a preposition whose object is a name);
* ``told``: "told X", "said to X", "speaking to X" when X is a name (not "reporters");
* ``report_by``: "a report by X", "a study from X", "an X report";
* ``cited`` / ``citing``: "X, citing Y": Y is the earlier link, X the later;
* ``per``: "per X"; ``according_to``: "according to X" when X is not the speaker itself;
* ``reported``: a paragraph "X reported:" introduces the next paragraph; "As X reported, Y said ...",
  "Y said, as reported by X, ...".

Links are ordered original first: what the speaker did (interview, told, a report by, cited), then
who relayed it (citing, per, according to, reported), and within one rank by position in the text.
The statement's own sentence is read first; when it has no link, a link found in an earlier sentence
with the same speaker as subject ("In an interview with X, the minister expressed concern, per Y.")
carries over to that speaker's quotes in the next few paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storyline.model import ChainLink
from storyline.nlp.parse import DASHES, base_lemma
from storyline.nlp.names import gender_of

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

#: Nouns for the medium of a statement: "in an interview with X", "in a statement to X".
MEDIUM_NOUNS = frozenset("""
interview statement conversation podcast broadcast appearance op-ed oped column remarks comments
briefing letter post tweet show programme program segment documentary
""".split())
#: Nouns for documents: "a report by X", "an X study".
DOCUMENT_NOUNS = frozenset("""
report study article story analysis investigation survey poll paper memo document assessment
review audit update bulletin dispatch
""".split())
#: Nouns an article calls an outlet it has named by ("according to the newspaper", "told the paper").
OUTLET_NOUNS = frozenset("""
newspaper paper daily tabloid broadsheet broadcaster network channel station magazine outlet publication
website site wire
""".split())
#: How far back (characters) "the newspaper" looks for the outlet it stands for: about two paragraphs.
OUTLET_REACH = 1000
#: Verbs by which an outlet publishes what it relays ("the Daily Planet reported", "As X reported, ...").
PUBLISHING_VERBS = frozenset({"report", "write", "publish"})
#: Words by which an outlet relays a statement: "according to X", "per X".
RELAY_WORDS = ("according", "per")


def relay_cue(cue: str | None) -> bool:
    """Whether a quote's cue is a relay ("according to", "per"), not a verb of the holder's."""
    words = (cue or "").lower().split()
    return bool(words) and words[0] in RELAY_WORDS


def names_outlet(name: str | None, outlet: str | None) -> bool:
    """Whether ``name`` (a chain link, a speaker) names the publishing ``outlet`` itself: the same
    name, or its last words ("the Courier" in The Tamsin Valley Courier, "Herald")."""
    if not name or not outlet:
        return False
    words = re.findall(r"[\w&]+", strip_article(name).lower())
    own = re.findall(r"[\w&]+", strip_article(outlet).lower())
    return bool(words) and len(words) <= len(own) and own[len(own) - len(words):] == words


#: Verbs through which an outlet relays: "X reported:", "X wrote:".
RELAY_VERBS = frozenset({"report", "write", "publish", "say", "note", "state", "reveal", "tweet", "post"})

_RANK = {"interview": 0, "told": 0, "report_by": 0, "cited": 0, "citing": 1, "per": 2,
         "according_to": 2, "reported": 2}
_NAME_LABELS = ("ORG", "PERSON", "GPE", "NORP", "WORK_OF_ART", "FAC", "PRODUCT")


_TEXT_KEY = "storyline_text"


def doc_text(doc: "Doc") -> str:
    """``doc.text``, cached: spaCy rebuilds the string from the tokens on every access."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def order_links(links: Sequence[ChainLink]) -> list[ChainLink]:
    """Original first (see module docstring); one link per name."""
    out: list[ChainLink] = []
    seen: set[str] = set()
    for link in sorted(links, key=lambda x: (_RANK.get(x.how, 1), x.start)):
        key = link.name.lower()
        if key in seen:
            continue
        seen.add(key)
        out.append(link)
    return out


#: A time, not a source: "in an interview on Wednesday evening", "told the paper in March".
_TIME_WORDS = re.compile(
    r"^(?:(?:last|this|next|early|late)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|today|"
    r"yesterday|tonight)\b", re.IGNORECASE)


def _entity_at(doc: "Doc", i: int) -> "Span":
    """The entity span holding token ``i`` (which has an entity type), read from the tokens' BIO tags:
    the same span as in ``doc.ents``, without building every entity span of the document (a tuple
    of new spans on each ``doc.ents`` access)."""
    s = i
    while s > 0 and doc[s].ent_iob_ == "I":
        s -= 1
    e = i + 1
    while e < len(doc) and doc[e].ent_iob_ == "I":
        e += 1
    return doc[s:e]


#: Entity types whose name may open with "The" ("The Hill", "The Associated Press").
_THE_LABELS = frozenset({"ORG", "WORK_OF_ART"})


def _opens_clause(tok: "Token") -> bool:
    """The token opens a sentence or a clause after a colon, a dash or a full stop the sentence
    splitter missed ("... the problem: The agency only requires ...")."""
    if tok.is_sent_start or tok.i == 0:
        return True
    prev = tok.doc[tok.i - 1]
    return prev.is_space or prev.text in (":", ";", ".", "!", "?") or prev.text in DASHES or prev.is_quote


def long_words(span: "Span") -> list["Token"]:
    """The words of more than three letters: those a title-case headline capitalises."""
    return [t for t in span if t.is_alpha and len(t) > 3]


def title_case(words: Sequence["Token"]) -> bool:
    """Every word (of :func:`long_words`) capitalised: a headline, where a capital "The" says nothing."""
    return bool(words) and all(t.text[0].isupper() for t in words)


def strip_article(name: str) -> str:
    """A name or a description without a leading "the", "a" or "an" (or a list's dash: "-Jane Smith")."""
    return re.sub(r"^(the|a|an)\b\s*", "", name.lstrip("-–—•*· "), flags=re.IGNORECASE).strip()


def entity_name(ent: "Span") -> str:
    """An entity's name as the article writes it, without a leading article, except that a capital
    "The" inside a sentence belongs to the name of an outlet or organisation ("according to The
    Hill": the recogniser leaves it out; "The New York Times": it takes it in). A lower-case "the", one
    that opens the sentence and one in a title-case headline are no part of it ("the Guardian said",
    "The Guardian said")."""
    doc = ent.doc
    first = ent[0]
    if (ent.label_ or first.ent_type_) in _THE_LABELS:  # (a slice of the doc has no label)
        the = first if first.lower_ == "the" else doc[ent.start - 1] if ent.start else None
        if the is not None and the.text == "The" and not _opens_clause(the) and the.i < ent.end - 1 \
                and not title_case(long_words(the.sent)):
            return doc_text(doc)[the.idx:ent.end_char]
    return strip_article(ent.text)


def _name_of(doc: "Doc", tok: "Token") -> tuple[str, int, int] | None:
    """The name a preposition's object stands for, when it is a name (has a proper noun) and not a
    date or time."""
    if _TIME_WORDS.match(tok.text) or tok.ent_type_ in ("DATE", "TIME"):
        return None
    # (without the clauses that describe it: "the Northern Ledger, which cited X" is the Ledger)
    clauses = {x.i for c in tok.children if c.dep_ in ("relcl", "acl") for x in c.subtree}
    toks = [t for t in tok.subtree if t.i not in clauses and (t.dep_ != "punct" or t.i == tok.i)]
    toks = [t for t in toks if abs(t.i - tok.i) <= 6]
    if not any(t.pos_ == "PROPN" for t in toks):
        return None
    if tok.ent_type_ in _NAME_LABELS:
        ent = _entity_at(doc, tok.i)
        name = re.sub(r"[’']s?$", "", entity_name(ent)).strip()
        return name, ent.start_char, ent.end_char
    lo = min(t.i for t in toks)
    hi = max(t.i for t in toks)
    while lo < hi and doc[lo].dep_ == "det":
        lo += 1
    s, e = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
    return re.sub(r"[’']s?$", "", doc_text(doc)[s:e]).strip(), s, e


def _document_noun(tok: "Token") -> bool:
    """Whether a noun names a document ("a report by X"), not the last word of a name ("according
    to Wire Report", "The Daily Record said")."""
    return base_lemma(tok) in DOCUMENT_NOUNS and tok.pos_ != "PROPN" and tok.ent_type_ not in _NAME_LABELS


class ChainFinder:
    """Finds chain links in the sentences of one parsed article."""

    def __init__(self, doc: "Doc", ents_mentions: Sequence[Any] = ()) -> None:
        self.doc = doc
        self.mentions = ents_mentions
        self._outlets: list[tuple[int, str]] | None = None

    def outlets(self) -> list[tuple[int, str]]:
        """(offset, name) of the outlets the article names as such, in text order: a name (not a
        person's or a place's) that reports or publishes ("the Daily Planet reported"), is told
        something ("told the Daily Planet"), or that something is according to or per."""
        if self._outlets is None:
            doc = self.doc
            found: list[tuple[int, str]] = []
            for t in doc:
                head = t.head
                if t.pos_ != "PROPN" or t.ent_type_ in ("PERSON", "GPE", "NORP", "DATE", "TIME") or not (
                        (t.dep_ == "nsubj" and head.lemma_.lower() in PUBLISHING_VERBS)
                        or (t.dep_ == "pobj" and (head.lower_ == "per" or (
                            head.lower_ == "to" and head.i > 0 and doc[head.i - 1].lower_ == "according")))
                        or (t.dep_ in ("dobj", "dative") and head.lemma_.lower() == "tell")):
                    continue
                got = _name_of(doc, t)
                if got is not None and all(w[:1].isupper() or w in ("of", "the", "and", "&") for w in got[0].split()):
                    found.append((got[1], got[0]))  # (not "National Post he's")
            self._outlets = found
        return self._outlets

    def described_outlet(self, tok: "Token") -> tuple[str, int, int] | None:
        """The outlet a description stands for ("according to the newspaper": the last outlet named
        before it, see :meth:`outlets`), with the description's offsets; ``None`` when it is none."""
        if tok.pos_ != "NOUN" or tok.tag_ != "NN" or base_lemma(tok) not in OUTLET_NOUNS \
                or any(c.dep_ in ("compound", "poss", "nmod") for c in tok.children):
            return None  # (not "the Acme Foundation website": one named there)
        det = next((c for c in tok.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("the", "this", "that"):
            return None
        named = [name for at, name in self.outlets() if tok.idx - OUTLET_REACH < at < tok.idx]
        return (named[-1], det.idx, tok.idx + len(tok.text)) if named else None

    def links_in(self, sent: "Span", skip: tuple[int, int] | None = None,
                 cue: "Token | None" = None) -> list[ChainLink]:
        """Links found in one sentence, ignoring the character range ``skip`` (the content)."""
        doc = self.doc
        links: list[ChainLink] = []

        def outside(t: "Token") -> bool:
            return skip is None or not (skip[0] <= t.idx < skip[1])

        def add(tok: "Token", how: str) -> None:
            got = _name_of(doc, tok) or self.described_outlet(tok)
            if got is not None:
                links.append(ChainLink(got[0], got[1], got[2], how))

        def add_told(tok: "Token") -> None:
            # a person told is whom the words were said to, not a channel they came through ("said he
            # had told Smith that ..."), but for the outlet named with them ("told CNN's Jane Doe");
            # and a thing is no listener ("said yes to a ballpark for the Gulls")
            if tok.pos_ != "PROPN" and tok.ent_type_ not in _NAME_LABELS and self.described_outlet(tok) is None \
                    and not any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" and c.ent_type_ in _NAME_LABELS
                                for c in tok.children):
                return
            if tok.ent_type_ != "PERSON" or gender_of(entity_name(_entity_at(doc, tok.i))) is None:
                add(tok, "told")  # (the recogniser takes outlets for people: "Health Desk", "the Ledger")
                return
            for c in tok.children:
                if c.dep_ == "poss" and c.ent_type_ not in ("PERSON", "") and c.pos_ == "PROPN":
                    add(c, "told")

        for t in sent:
            if not outside(t):
                continue
            low = t.lower_
            lemma = t.lemma_.lower()
            if t.dep_ == "prep" and low == "per":
                for c in t.children:
                    if c.dep_ == "pobj":
                        add(c, "per")
            elif low == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
                if cue is not None and cue.i == t.i:
                    obj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
                    if obj is not None and self.described_outlet(obj) is not None:
                        add(obj, "according_to")
                    elif obj is not None and _document_noun(obj):
                        self._document(obj, add)
                    elif obj is not None and obj.ent_type_ == "ORG":
                        add(obj, "according_to")
                    continue
                for c in doc[t.i + 1].children:
                    if c.dep_ == "pobj":
                        if _document_noun(c) and self.described_outlet(c) is None:
                            self._document(c, add)
                        else:
                            add(c, "according_to")
            elif t.pos_ == "NOUN" and lemma in MEDIUM_NOUNS:
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in ("with", "to", "on"):
                        for g in c.children:
                            if g.dep_ == "pobj":
                                add(g, "interview")
                    elif c.dep_ == "poss" and c.pos_ == "PROPN":
                        add(c, "interview")
            elif t.pos_ == "NOUN" and _document_noun(t):
                self._document(t, add)
            elif t.pos_ == "VERB" and lemma in PUBLISHING_VERBS and t.dep_ == "advcl" \
                    and any(c.dep_ == "mark" and c.lower_ == "as" for c in t.children):
                # "As the Daily Planet reported, prosecutors showed that ...": the outlet relays the
                # statement its main clause reports
                for c in t.children:
                    if c.dep_ == "nsubj":
                        add(c, "reported")
                    elif c.dep_ == "agent":  # "as reported by the Daily Planet"
                        for g in c.children:
                            if g.dep_ == "pobj":
                                add(g, "reported")
            elif t.pos_ == "VERB" and lemma == "cite":
                for c in t.children:
                    if c.dep_ == "dobj":
                        add(c, "cited")
                head = t.head
                subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.i != t.i:
                    got = _name_of(doc, subj)
                    if got is not None and subj.ent_type_ == "ORG":
                        links.append(ChainLink(got[0], got[1], got[2], "citing"))
            elif t.pos_ == "VERB" and lemma in ("tell", "speak", "say", "talk", "write") and (
                    (cue is not None and t.i == cue.i)
                    or (t.dep_ not in ("ccomp", "relcl", "acl") and (cue is None or t.head.i == cue.i))):
                # (not a verb of what is reported: "said she has spoken to X about it"; nor one of a
                # clause describing someone else: "responding to Smith, who told the Ledger ...")
                told = [c for c in t.children if c.dep_ in ("dobj", "dative")] if lemma == "tell" else []
                if len(told) == 2 and told[0].pos_ == "PROPN" and told[1].left_edge.i == told[0].right_edge.i + 1 \
                        and all(x.pos_ in ("PROPN", "NUM") for x in doc[told[0].i:told[1].i + 1]):
                    # "told Metro 11 Newsdesk the ...": one name the parser split into a listener and
                    # an object
                    first, last = doc[told[0].left_edge.i], told[1]
                    name = doc_text(doc)[first.idx:last.idx + len(last.text)]
                    if first.ent_type_ != "PERSON" or gender_of(name) is None:  # (a person told is none)
                        links.append(ChainLink(name, first.idx, last.idx + len(last.text), "told"))
                    told = []
                for c in t.children:
                    if c in told:
                        add_told(c)
                    elif c.dep_ == "prep" and c.lower_ in ("to", "with"):
                        for g in c.children:
                            if g.dep_ == "pobj":
                                add_told(g)
        return links

    @staticmethod
    def _document(t: "Token", add: Any) -> None:
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        add(g, "report_by")
            elif c.dep_ in ("compound", "poss") and c.pos_ == "PROPN":
                add(c, "report_by")

    def links_for(self, frame: Any) -> list[ChainLink]:
        """Links of a reporting frame (its sentence, minus its content)."""
        doc = self.doc
        span = doc.char_span(frame.cue_start, frame.cue_end, alignment_mode="expand")
        if span is None:
            return []
        sent = span.sent
        links = self.links_in(sent, (frame.content_start, frame.content_end), frame.cue_tok)
        if frame.source is not None:  # the speaker is not its own channel
            links = [x for x in links if not (frame.source[0] <= x.start < frame.source[1])]
        return order_links(links)

    def intro_links(self, paras: Sequence[tuple[int, int]]) -> dict[int, list[ChainLink]]:
        """Paragraphs introduced by "X reported:" get X as their last link."""
        doc = self.doc
        out: dict[int, list[ChainLink]] = {}
        for i, (ps, pe) in enumerate(paras[:-1]):
            if not doc_text(doc)[ps:pe].rstrip().endswith(":"):
                continue
            span = doc.char_span(max(ps, pe - 2), pe, alignment_mode="expand")
            if span is None:
                continue
            sent = span.sent
            verb = next((t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in RELAY_VERBS), None)
            if verb is None:
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            got = _name_of(doc, subj)
            if got is None or subj.ent_type_ not in ("ORG", "WORK_OF_ART", "PRODUCT"):
                # an outlet is a name that is not a person; persons introduce quotes, not chains
                if got is None or subj.ent_type_ == "PERSON":
                    continue
            out[i + 1] = [ChainLink(got[0], got[1], got[2], "reported")]
        return out

    def sentence_contexts(self, resolver: Any) -> "SentenceContexts":
        """Links found in sentences whose subject is a named speaker, for later quotes by them."""
        doc = self.doc
        entries: list[tuple[int, str, list[ChainLink]]] = []
        paras = [m.start() for m in re.finditer(r"\n", doc_text(doc))]
        for sent in doc.sents:
            links = self.links_in(sent)
            if not links:
                continue
            root = sent.root
            subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            from storyline.nlp.frames import np_tokens  # local: frames imports this module

            np = np_tokens(subj)
            s, e = np[0].idx, np[-1].idx + len(np[-1].text)
            r = resolver.resolve(subj, (s, e))
            links = [x for x in links if not (s <= x.start < e) and x.name != r.name]
            if links and r.label is not None:
                entries.append((sent.start_char, r.name, order_links(links)))
        return SentenceContexts(entries, paras)


class SentenceContexts:
    """Chains seen for a speaker earlier in the article (see :meth:`ChainFinder.sentence_contexts`)."""

    def __init__(self, entries: list[tuple[int, str, list[ChainLink]]], newlines: list[int]) -> None:
        self.entries = entries
        self.newlines = newlines

    def _para(self, off: int) -> int:
        return sum(1 for n in self.newlines if n < off)

    def get_for(self, speaker: str, off: int) -> tuple[int, list[ChainLink]] | None:
        found = None
        for start, name, links in self.entries:
            if start < off and name == speaker:
                found = (start, links)
        if found is None:
            return None
        # paragraph distance is counted in blank-line-separated paragraphs by the caller
        return self._para_index(found[0]), found[1]

    def _para_index(self, off: int) -> int:
        # the caller's paragraphs are runs between newlines; count the runs before ``off``
        count = 0
        prev = -2
        for n in self.newlines:
            if n >= off:
                break
            if n != prev + 1:
                count += 1
            prev = n
        return count
