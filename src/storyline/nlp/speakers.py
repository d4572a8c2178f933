"""Speakers: a quote's source phrase resolved to the named entity it refers to in the article.

:class:`SpeakerResolver` walks one article in text order. A named mention is expanded to its fullest
form ("Smith" -> "Jane Smith"); a pronoun goes to the most recent compatible subject (a person for
he/she, an organisation or place for it, people named together or an organisation or a people for
they); a description ("the secretary", "the spokesperson", "the ministry") goes to the most recent
entity whose title or name carries its head noun (for a noun naming a person, one titled so later in
the article when none is before). A description subject tied to a titled person ("the governor was
asked ...") counts as that person's mention for a later he/she; the subject of a sentence's main
clause comes before one in a "that" clause, and the speaker of a frame inside a subordinate clause is
not carried to the next pronoun. A document speaks for whoever released or sent it ("a letter sent
by X", "X issued a statement that ..."). A description that names no one is shown without the
clauses set off by a comma (:func:`description_name`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from storyline.nlp.attribution import DOCUMENT_NOUNS, doc_text, strip_article
from storyline.nlp.frames import np_tokens
from storyline.nlp.lexicon import (
    CUE_VERBS,
    FEMALE_TITLE,
    MALE_TITLE,
    ORG_NOUNS,
    PRONOUN_GENDER,
    PRONOUNS,
    REFLEXIVE_AFTER,
)
from storyline.nlp.mentions import (
    DOCUMENT_SOURCES,
    FIRM_NOUNS,
    PERSON_NOUNS,
    ArticleEntities,
    Mention,
    Resolved,
    business_name,
    business_noun,
    is_honorific,
    main_clause,
    may_speak,
    names_document,
    part_of_speakers,
    span_text,
    speaker_noun,
    titled_for,
)
from storyline.nlp.names import gender_of
from storyline.nlp.parse import base_lemma

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token


_DEFINITE = frozenset({"the", "this", "that"})


#: Verbs of writing or running a document ("a study led by X", "a report commissioned by Y").
_AUTHORING = frozenset({"lead", "conduct", "commission", "write", "author", "prepare", "produce", "carry",
                        "compile", "release", "issue", "file", "bring", "publish"})


#: Verbs by which someone sends out a document ("sent a letter", "issued a statement").
_SENDING = frozenset({"send", "write", "issue", "release", "sign", "post", "publish", "pen", "draft", "deliver",
                      "submit", "circulate", "provide", "give"})


#: Names of one kind of document ("a television commercial ... the advertisement says").
_SAME_DOCUMENT = {"advertisement": "ad", "commercial": "ad", "advert": "ad"}


def _document_kind(tok: "Token") -> str:
    lemma = tok.lemma_.lower()
    return _SAME_DOCUMENT.get(lemma, lemma)


#: Modifiers of a document noun that make it a different document from the last one named.
_ANOTHER = frozenset({"other", "another", "new", "newer", "previous", "earlier", "separate", "different",
                      "second", "latest", "recent", "similar"})


class SpeakerResolver:
    """Resolves source phrases of one article to named entities."""

    def __init__(self, doc: "Doc", ents: ArticleEntities) -> None:
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
                g = "m" if MALE_TITLE.search(before) else "f" if FEMALE_TITLE.search(before) else None
                if g is None:  # "Trump himself lashed out": an emphatic reflexive after the name
                    after = REFLEXIVE_AFTER.match(text, m.end)
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
            if low != "who" and not may_speak(noun):
                # "concerns raised in a report last month, which indicated ...": the parser hung the
                # clause on a noun that cannot speak; the last document named before it does
                noun = next((t for t in reversed(list(noun.subtree)) if t.i < tok.i
                             and base_lemma(t) in DOCUMENT_NOUNS), noun)
            if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _ISSUING_VERBS and not speaker_noun(noun):
                # "X released an ad that urges ...", "X issued a statement that said ...": whoever
                # released or issued it speaks
                issuer = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
                if issuer is not None and may_speak(issuer):
                    return self.resolve(issuer, span_text(doc, np_tokens(issuer))[:2])
            np = np_tokens(noun)
            ns, ne, _ = span_text(doc, np)
            return self.resolve(noun, (ns, ne))
        inside = [m for m in ents.mentions if s <= m.start and m.end <= e and self._heads(tok, m)]
        if inside and tok.ent_type_ == "NORP" and tok.tag_ == "NNP" \
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            # "the California Democrat", "the Texas Republican": one member of a party or a people,
            # the person quoted last
            _, last = self._last_person(s)
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
        if _age_description(tok):
            # '"...," the 29-year-old said': the person quoted or named last, in this paragraph or
            # the one before (further back it may be anyone: "the 46-year-old" after a paragraph
            # about "the former model" stays itself)
            since = self._paragraph_start(s, 1)
            last_at, last = self._last_person(s, reach=None)
            m = ents.latest(s, ("PERSON",), subject_first=False, skip=quote)  # (not "Donald" in the quote)
            if m is not None and m.start >= max(since, last_at):
                canon = ents.canonical(m.text, "PERSON")
                return Resolved(canon, "PERSON", ents.roles.get(canon))
            if last is not None and last_at >= since:
                return last
            return Resolved(mention_text, None, None)  # someone the article describes so
        if low == "it" and _expletive_it(tok):
            return Resolved("", None, None)  # "It's useful to remember ...": no one
        if low in PRONOUNS and len(mention_text.split()) == 1:
            labels = PRONOUNS[low]
            if low == "they":
                return self._plural_subject(tok, labels) or self._they(s, quote, mention_text)
            want_person = "PERSON" in labels and labels[0] == "PERSON"
            g = PRONOUN_GENDER.get(low)

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
            if want_person:
                # the last speaker someone the article brings in unnamed ('A lawyer for the family
                # said ... "...," she said'), or the only kind of speaker it has ('The striker
                # insisted ... "...," he said', no one named before): that description (a definite
                # one after a name is mostly that person again: "the Democratic nominee")
                recent = next(((off, r) for off, r in reversed(self.speakers) if off < s
                               and off not in self.embedded), None)
                if recent is not None and recent[1].label is None and s - recent[0] < 1500 \
                        and recent[0] >= self._paragraph_start(s, 1) and fits(recent[1].name, None) \
                        and self._person_description(recent[0]) \
                        and ((recent[1].name.split()[0].lower() in ("a", "an") and (m is None or m.start < recent[0]))
                             or (m is None and (last_sp is None or last_sp.label != "PERSON"))):
                    return recent[1]
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
                if best is None and head in _FIRM_WORDS and tok.tag_ == "NN" and desc == tok.lower_ \
                        and mention_text[:4].lower() == "the ":
                    # "the company" after "Acme Corp" or "telecom operator Acme": the last organisation
                    # named, when it is a business
                    m = next((m for m in reversed(ents.mentions) if m.end <= s and m.label == "ORG"), None)
                    if m is not None and business_name(doc, m.start, m.end):
                        best = ents.canonical(m.text, "ORG")
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
                    own = self._named_owner(tok)
                    if own is not None:
                        return own
                    earlier = self._earlier_documents(tok)
                    own = self._first_owner(earlier, self._sender)
                    if own is not None:
                        return own
                    if earlier or any(t.pos_ == "PROPN" for t in tok.lefts):
                        # "a letter released Tuesday and signed by ...", then "The letter says"; "One
                        # Club for Growth ad argues": a document named before, or by a name in its
                        # phrase, whose owner we cannot read is itself, not the last speaker
                        return Resolved(mention_text, None, None)
                    named = self._named_in(quote)
                    last = next((r for off, r in reversed(self.speakers) if off < s and s - off < 1200
                                 and r.label in ("PERSON", "ORG") and r.name not in named), None)
                    if last is not None:
                        return last
                elif head in PERSON_NOUNS and desc.split()[-1:] == [tok.lower_] and tok.tag_ != "NNS" \
                        and not indefinite and not any(c.dep_ == "poss" for c in tok.children):
                    # (not "Trump's campaign manager", "his spokesman": someone's, not that someone)
                    # "the senator", "the presumptive nominee" with no title seen: the person quoted last
                    last_at, last = self._last_person(s)
                    # ... unless someone unnamed was brought in by that noun since ("A spokesperson for
                    # the port operator denied ...", then "the spokesperson said"): that description
                    intro = next((r for off, r in reversed(self.speakers) if last_at < off < s
                                  and s - off < 1500 and r.label is None and _introduces(r.name, head)), None)
                    if intro is not None:
                        return intro
                    role_words = re.findall(r"\w+", last.role.lower()) if last is not None and last.role else []
                    # (with no role known, only a person named in this paragraph or the one before: "the
                    # mayor" two paragraphs after someone else's quote is someone else)
                    if last is not None and (head in role_words or tok.lower_ in role_words or (
                            last.role is None and max(self._last_offset(last.name), last_at) >= self._paragraph_start(s, 1))):
                        return last
            record = head in RECORD_NOUNS and not _people_figures(tok)
            if (head in DOCUMENT_NOUNS and head not in DOCUMENT_SOURCES) or record:
                # "the Acme Institute report found", "a study by X shows", then "the report noted",
                # "according to results released by X": the organisation or person whose document or
                # record it is (records: not a place, "data from Iowa", "U.S. lobbying records")
                owner = self._document_owner(tok)
                if owner is not None and (head not in RECORD_NOUNS or owner.label in ("PERSON", "ORG")):
                    return owner
        # a surname the entity recogniser missed, or one the tagger read as a common noun ("Baker
        # said ...") or a title-case headline made it read as a verb ("Smith Reveals He's ...")
        full = ents.person_named(tok.text, s) if tok.pos_ == "PROPN" or tok.text[:1].isupper() else None
        if full is not None:
            return Resolved(full, "PERSON", ents.roles.get(full))
        if tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.ent_type_ == "PERSON"):
            return Resolved(mention_text, None, None)
        if low in ("one", "another", "both") and tok.dep_ == "nsubj" and tok.n_lefts + tok.n_rights == 0 \
                and base_lemma(tok.head) in CUE_VERBS:
            # '"...," said one.', "Another said ...": one of the people the text has just named (not
            # "no one", "one of them": those have children; nor "how one feels about": no speech);
            # "Both confirmed that ...": the people just counted ("two customers" -> "Both customers")
            people = _people_before(tok) if low != "both" else _people_counted(tok)
            if people is not None:
                return Resolved(f"{mention_text} {people}", None, None)
        if low in ("he", "she", "i", "we", "they") or speaker_noun(tok) or part_of_speakers(tok) \
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
            subj = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and main_clause(t.head)), None)
            if subj is None:
                return None
            if subj.lower_ == "they":
                continue
            if subj.tag_ != "NNS" or not speaker_noun(subj) or base_lemma(subj) in ORG_NOUNS:
                return None
            _, _, words = span_text(doc, np_tokens(subj))
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
        return self._named_owner(tok) or self._first_owner(self._earlier_documents(tok), self._issuer)

    def _earlier_documents(self, tok: "Token") -> list["Token"]:
        """For "the report", "this letter": the documents of that kind named before it (within a few
        paragraphs), nearest first; none for someone else's or another document."""
        kids = list(tok.children)
        if any(c.dep_ in ("poss", "compound", "prep") for c in kids) or not any(
                c.dep_ == "det" and c.lower_ in _DEFINITE for c in kids) or any(
                c.dep_ == "amod" and c.lower_ in _ANOTHER for c in kids):
            # someone else's or another document ("his report", "a report on ...", "a new study",
            # "other studies"): only "the report", "this poll" point back
            return []
        kind = _document_kind(tok)
        return [t for t in reversed(self.doc[max(0, tok.i - 600):tok.i])
                if t.pos_ == "NOUN" and _document_kind(t) == kind]

    def _first_owner(self, docs: list["Token"], other: Callable[[Token], Resolved | None]) -> Resolved | None:
        """The owner of the nearest of ``docs`` that has one, from its own phrase or by ``other`` (its
        issuer or sender)."""
        for t in docs:
            own = self._named_owner(t) or other(t)
            if own is not None:
                return own
        return None

    def _sender(self, tok: "Token") -> Resolved | None:
        """Who sent, wrote or issued a document named as the object of the act ("A group of
        professors has sent him a letter", "The ministry issued a statement"); or its issuer."""
        obj = tok
        if tok.dep_ == "appos" and tok.head.dep_ in ("dobj", "dative"):
            obj = tok.head  # "sent Smith, R-Wis., a letter": the parser hung the letter on the name
        verb = obj.head
        if obj.dep_ not in ("dobj", "dative") or verb.pos_ != "VERB" or verb.lemma_.lower() not in _SENDING:
            return self._issuer(tok)
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        ns, ne, _ = span_text(self.doc, np_tokens(subj))
        r = self.resolve(subj, (ns, ne))
        return r if r.name else None

    def _named_in(self, span: tuple[int, int] | None) -> set[str]:
        """The people and organisations named inside ``span`` (what a quote reports)."""
        if span is None:
            return set()
        return {self.ents.canonical(m.text, m.label) for m in self.ents.mentions
                if span[0] <= m.start < span[1] and m.label in ("PERSON", "ORG")}

    def _issuer(self, tok: "Token") -> Resolved | None:
        """Who speaks in a document named as the setting or the means of a statement ("In a 48-page
        report, the board said ...", "the campaign retorted with an ad": the board, the campaign)."""
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ not in ("in", "with") or prep.head.pos_ not in ("VERB", "AUX"):
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
        ns, ne, _ = span_text(self.doc, np_tokens(tok))
        names = [m for m in self.ents.mentions
                 if m.start < ne and ns < m.end and m.label in ("PERSON", "ORG", "GPE", "NORP")]
        if not names and tok.pos_ != "PROPN":
            if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and base_lemma(tok) in ORG_NOUNS and any(
                    c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                # "a statement from the ministry", "minutes released by the bank": the organisation
                # the article calls so, else the description itself
                r = self.resolve(tok, (ns, ne))
                return r if r.name else None
            return None
        # the name may take the article of the document's phrase ("[The Acme Institute] report"); with
        # no name recognised, a proper noun may still be a surname the recogniser missed ("Okafor said
        # in a statement")
        r = self.resolve(tok, (min([ns, *(m.start for m in names)]), max([ne, *(m.end for m in names)])))
        if r.label in ("PERSON", "ORG", "GPE", "NORP"):
            return r
        if not names:
            return None
        if r.name and base_lemma(tok) in ORG_NOUNS:
            return Resolved(r.name, "ORG", None)  # "a statement issued by the Sanders campaign": the campaign
        # "researchers at X University", "economists from the bank": where they work
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("at", "from", "of") and speaker_noun(tok):
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
            if c.dep_ in ("appos", "flat", "compound") and m.start <= c.idx < m.end and (
                    m.label == "PERSON" or (m.label == "ORG" and tok.pos_ == "NOUN" and business_noun(tok))):
                return True  # ("telecom operator Acme": the business the noun describes)
        if m.label == "PERSON" and tok.pos_ == "NOUN" and base_lemma(tok) in PERSON_NOUNS:
            # "A spokeswoman for the company, Jane Smith,": the name the parser hangs on the company
            name = tok.doc.char_span(m.start, m.end, alignment_mode="expand")
            title = titled_for(name.root) if name is not None and name.root.head.ent_type_ != "PERSON" else None
            return title is not None and title.i == tok.i
        return False

    def _person_description(self, off: int) -> bool:
        """Whether the speaker phrase at ``off`` describes one person ("The striker", "a lawyer for
        the family"), not a group or an organisation."""
        tok = next((t for t in self.doc if t.idx == off), None)
        while tok is not None and tok.dep_ in ("det", "amod", "compound", "nummod", "poss") and tok.head.i > tok.i:
            tok = tok.head
        return tok is not None and tok.pos_ == "NOUN" and tok.tag_ == "NN" and speaker_noun(tok) \
            and base_lemma(tok) not in ORG_NOUNS and base_lemma(tok) not in _ASKERS and tok.ent_type_ == ""

    def _last_person(self, s: int, reach: int | None = 1500) -> tuple[int, Resolved | None]:
        """The offset and the person of the last person quoted before ``s`` (within ``reach``
        characters, None: anywhere before), or ``(-1, None)``."""
        return next(((off, r) for off, r in reversed(self.speakers) if off < s
                     and (reach is None or s - off < reach) and r.label == "PERSON"), (-1, None))

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
        while words and is_honorific(words[-1]):  # "Prof Jane Smith": no role
            words.pop()
        return " ".join(words) or None


#: People who put questions (a reporter's question is answered by someone else: 'A reporter asked
#: ... "You tell me," he said').
_ASKERS = frozenset({"reporter", "journalist", "correspondent", "caller", "interviewer", "host", "questioner",
                     "moderator", "anchor", "audience", "listener", "viewer"})


#: Descriptions that stand for a business named before ("the company", "the firm").
_FIRM_WORDS = FIRM_NOUNS | frozenset({"group", "operator", "carrier", "airline", "retailer", "insurer", "lender",
                                      "manufacturer", "startup"})


#: Verbs by which someone puts out what then speaks for them ("released an ad that urges ...").
_ISSUING_VERBS = frozenset({"release", "issue", "publish", "air", "run", "launch", "post", "unveil", "send",
                            "file", "sign", "tweet", "write", "deliver", "circulate", "distribute"})


def _introduces(description: str, head: str) -> bool:
    """Whether an unnamed speaker's description ("A spokesperson for the port operator") brings in
    someone a later "the <head>" refers to."""
    words = description.lower().split()
    return len(words) > 1 and words[0] in ("a", "an", "another") and head in words[1:4]


def _people_before(tok: "Token", sentences: int = 2) -> str | None:
    """What "one" or "another" at ``tok`` counts, read back from it (in its sentence and the
    ``sentences`` before): the noun of the nearest "one company" / "another Republican" ("One company
    counts 2,400 billionaires, another 1,800"), else the singular of the nearest plural noun for
    people ("residents", "delegates"); None when neither."""
    start = tok.sent.start
    for _ in range(sentences):
        if start == 0:
            break
        start = tok.doc[start - 1].sent.start
    before = list(reversed(tok.doc[start : tok.i]))
    for t in before:
        if t.pos_ in ("NOUN", "PROPN") and any(c.lower_ in ("one", "another") and c.dep_ in ("nummod", "det")
                                               for c in t.children):
            return t.text if t.pos_ == "PROPN" else base_lemma(t)
    for t in before:
        if t.tag_ == "NNS" and t.ent_type_ == "" and base_lemma(t) in PERSON_NOUNS:
            return "person" if base_lemma(t) == "people" else base_lemma(t)
    return None


def _people_counted(tok: "Token") -> str | None:
    """What "Both" at ``tok`` stands for: the nearest plural noun for people in its sentence and the
    one before ("two Norvik customers the Post contacted. Both ..." -> "customers"), as written."""
    start = tok.doc[tok.sent.start - 1].sent.start if tok.sent.start > 0 else 0
    group = next((t for t in reversed(tok.doc[start:tok.i]) if t.tag_ == "NNS" and base_lemma(t) in PERSON_NOUNS),
                 None)
    return group.text if group is not None else None


def description_name(doc: "Doc", s: int, e: int) -> str:
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
    # (and a time the parser hung on it: "The authority on Friday fined ...")
    drop |= {t.i for c in root.children if c.i > root.i and c.dep_ == "prep" and c.lower_ != "of"
             and any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in c.children) for t in c.subtree}
    keep = [t for t in span if t.i not in drop]
    while keep and (keep[-1].is_punct or keep[-1].dep_ == "cc"):
        keep.pop()
    if not keep or keep[-1].i < root.i:
        return text[s:e]
    return text[keep[0].idx:keep[-1].idx + len(keep[-1].text)] if len(keep) < len(span) else text[s:e]


def _expletive_it(tok: "Token") -> bool:
    """Whether "it" only holds the subject's place for a clause or an infinitive after an adjective
    or a noun ("It's useful to remember ...", "It is clear that ...", "It seems a shame to ...")."""
    head = tok.head
    return tok.dep_ == "nsubj" and (head.lemma_.lower() in ("be", "seem", "appear", "remain") or head.lower_ == "’s") \
        and any(c.dep_ in ("acomp", "attr") for c in head.children) \
        and any(c.dep_ in ("xcomp", "ccomp") and c.i > tok.i for c in list(head.children) + [
            g for c in head.children if c.dep_ in ("acomp", "attr") for g in c.children])


def inanimate_subject(tok: "Token | None") -> bool:
    """Whether a frame's subject token is a noun that can name no speaker: not a pronoun, not a
    document (:func:`names_document`). (Called for a subject the resolver gave no speaker, so people and
    organisations are out.)"""
    return tok is not None and tok.pos_ not in ("PRON", "PROPN") and tok.lower_ not in PRONOUNS \
        and not names_document(tok)


#: Texts that state or require something in their own words ("Federal law prohibits X", "the
#: party's platform calls for Y", "the ad claims Z").
_TEXT_NOUNS = frozenset({"law", "rule", "constitution", "regulation", "platform", "ad", "amendment", "resolution",
                         "charter", "lawsuit", "suit", "complaint", "petition", "indictment", "ruling", "verdict",
                         "affidavit"})


#: Records and figures: with no owner named they speak as themselves ("official figures showed X").
RECORD_NOUNS = frozenset({"data", "datum", "figure", "statistic", "result", "record", "filing",
                           "estimate", "projection", "finding", "count", "tally"})


def _age_description(tok: "Token") -> bool:
    """Whether a subject is a person described by age alone ("the 29-year-old")."""
    return tok.lower_ == "old" and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) and any(
        c.lower_ in ("year", "years") and any(g.like_num for g in c.children) for c in tok.children)


#: Words that make "figures" people ("some party figures", "senior figures").
_PEOPLE_FIGURES = frozenset({"some", "many", "several", "few", "other", "top", "senior", "leading", "prominent",
                             "public", "key", "political", "establishment"})


def _people_figures(tok: "Token") -> bool:
    """"some GOP figures", "senior party figures": people, not a record's numbers."""
    return base_lemma(tok) == "figure" and any(
        c.dep_ in ("det", "amod", "compound") and c.lower_ in _PEOPLE_FIGURES for c in tok.children)


#: Nouns that, with no owner named, speak as themselves ("One poll shows X", "Federal law prohibits Y").
_SELF_SPEAKING = DOCUMENT_NOUNS | _TEXT_NOUNS | RECORD_NOUNS


#: Places whose government speaks in their name ("the city said"): with no name resolved, as themselves.
_PLACE_BODIES = frozenset({"city", "town", "county", "state", "village", "municipality", "province"})


#: A dateline that opens a paragraph: "New York (Reuters) - ", "Dec 29 (AFP) – ".
_DATELINE = re.compile(r"[^()\n]{0,40}\([A-Z][\w.&' ]{0,30}\)\s*[-–—]+\s*")


def closed_phrase(text: str, s: int, e: int) -> tuple[int, int]:
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
