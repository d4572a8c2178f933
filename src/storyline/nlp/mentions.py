"""Who is named in an article: its people, organisations and places, their full names, titles and
roles, and the nouns that may name a speaker.

:class:`ArticleEntities` collects the named mentions of one parsed article (the recogniser's
entities, names it missed in a capitalised run, title-case lines), expands a short name to its
fullest form ("Smith" -> "Jane Smith"), and keeps the titles and roles written next to each name
("Interior Ministry spokesperson", appositives), which the speaker resolver
(:mod:`storyline.nlp.speakers`) matches descriptions against. :func:`speaker_noun` and
:func:`may_speak` say whether a noun phrase can be a source at all (a person or group noun, an
organisation, a document: "the report"), which the frame finder (:mod:`storyline.nlp.frames`) asks of
every subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.nlp.attribution import DOCUMENT_NOUNS, doc_text, entity_name, long_words, title_case
from storyline.nlp.cues import CHANNELS
from storyline.nlp.lexicon import ENTITY_TYPES, ORG_NOUNS
from storyline.nlp.names import first_name_genders
from storyline.nlp.parse import base_lemma

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    label: str
    subject: bool  # the mention's head is a grammatical subject
    main: bool = False  # ... of its sentence's main clause (not of a "that" clause or a relative clause)
    sent: int = -1  # start offset of its sentence


def main_clause(verb: "Token") -> bool:
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


def name_words(name: str) -> set[str]:
    """A name's words in lower case without "the" ("The Post" is a part of "New York Post")."""
    return set(name.lower().split()) - {"the"}


def span_text(doc: "Doc", toks: Sequence["Token"]) -> tuple[int, int, str]:
    s = toks[0].idx
    e = toks[-1].idx + len(toks[-1].text)
    return s, e, doc_text(doc)[s:e]


#: Forms of address before a name ("Mr.", "Mrs.", "Dr.", "Prof"): part of neither the name nor a role.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"})


def is_honorific(word: str) -> bool:
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
    while i < len(ent) - 1 and (ent[i].pos_ in _FUNCTION_POS or is_honorific(ent[i].text)
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
        # (a name set beside a person noun is one too: "a cybersecurity researcher, Ana Costa, said")
        beside_person = tok.dep_ == "appos" and tok.head.pos_ == "NOUN" and base_lemma(tok.head) in PERSON_NOUNS
        if tok.pos_ != "PROPN" or (tok.dep_ not in ("nsubj", "nsubjpass") and not beside_person):
            continue
        lo = tok.i
        while lo > 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ in ("compound", "flat") \
                and lo <= doc[lo - 1].head.i <= tok.i:
            lo -= 1
        # a first name that one sex dominates ("Helena", "Ana") opens a person's name whatever the
        # recogniser made of the words after it
        named = tok.i > lo and first_name_genders().get(doc[lo].lower_) is not None
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        if tok.ent_type_ == "ORG":
            # a name read as an organisation ("Jane Smith, the party's spokesperson, said"): a person
            # when it is the whole entity and the clues below hold
            if ent is None or ent.end != tok.i + 1 or not (2 <= len(ent) <= 4 or (named and ent.start > lo)) \
                    or not all(t.pos_ == "PROPN" for t in ent):
                continue
        elif tok.ent_type_ == "GPE":
            # a surname read as a place ("Ana Costa"): only after a first name the place leaves out
            if ent is None or ent.end != tok.i + 1 or not named or ent.start <= lo:
                continue
        elif tok.ent_type_ == "PERSON":
            # a person whose first name the recogniser left out ("Beatriz" of "A lawyer, Beatriz
            # Olmos, said"): a first name one sex dominates, or a name set beside a person noun
            if ent is None or ent.end != tok.i + 1 or ent.start <= lo or not (named or beside_person) \
                    or any(t.ent_type_ for t in doc[lo:ent.start]):
                continue
        elif tok.ent_type_ in ENTITY_TYPES:
            continue
        titled = False
        while lo < tok.i and (is_honorific(doc[lo].text) or doc[lo].lower_ in _TITLE_ABBREV
                              or doc[lo].lower_ in PERSON_NOUNS):
            titled = titled or not is_honorific(doc[lo].text)  # "Gov. Jane Smith", "Founder Jane Smith"
            lo += 1
        run = doc[lo:tok.i + 1]
        if not 2 <= len(run) <= 4 or not all(
                (t.text[:1].isupper() or (t.lower_ in _NAME_PARTICLES and lo < t.i < tok.i))  # "Fenna de Vries"
                and t.text.replace("-", "").isalpha() and t.ent_type_ in ("", tok.ent_type_) for t in run):
            continue
        who = any(c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ == "who" for g in c.children)
                  for c in tok.children)
        before = [doc[lo - 1]] if lo > 0 and doc[lo - 1].dep_ == "compound" \
            and lo <= doc[lo - 1].head.i <= tok.i else []
        beside = [*before, *(c for c in tok.children if c.dep_ == "appos")]
        if beside_person or tok.ent_type_ == "PERSON":
            titled = True
        elif tok.ent_type_ in ("ORG", "GPE") and not named:  # only a title no organisation holds turns it into a person
            titled = titled or any(c.pos_ == "NOUN" and base_lemma(c) in PERSON_NOUNS
                                   and c.lemma_.lower() not in _ORG_ROLES for c in beside)
        else:
            titled = titled or any(  # ", the director", "spokesperson Jane Smith"
                c.pos_ == "NOUN" and speaker_noun(c) and c.lemma_.lower() not in ORG_NOUNS for c in beside)
        if who or titled:
            out.append(Span(doc, lo, tok.i + 1, label="PERSON"))
    return out


def _repeated_surnames(doc: "Doc", found: Sequence["Span"]) -> list["Span"]:
    """A surname alone that the recogniser missed ("Mensah hit back on Saturday."), once the person
    was named in full before: a proper noun outside any entity, not part of a longer name, equal to
    the last word of an earlier person's name."""
    from spacy.tokens import Span

    first: dict[str, int] = {}  # surname -> token index where its full name ends
    for e in found:
        if e.label_ == "PERSON" and len(e) >= 2 and e[-1].pos_ == "PROPN" and e[-1].text[:1].isupper():
            first.setdefault(e[-1].text, e.end)
    if not first:
        return []
    taken = {i for e in found for i in range(e.start, e.end)}
    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.i in taken or tok.ent_type_ or first.get(tok.text, len(doc)) > tok.i:
            continue
        if (tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN") or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            continue  # part of another name
        out.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
    return out


#: Nouns that describe a business ("telecom operator X", "X, a discount airline,"), beside
#: :data:`~storyline.nlp.lexicon.ORG_NOUNS`; and any "-maker" ("carmaker", "drugmaker").
BUSINESS_NOUNS = frozenset("""
operator carrier airline retailer insurer lender provider manufacturer supplier giant conglomerate startup
start-up utility chain brand platform exporter importer distributor shipper
""".split())


#: What a business is called when it is not described further ("the company", "the firm").
FIRM_NOUNS = frozenset({"company", "firm", "corporation", "business", "bank"})


def _described_companies(found: Sequence["Span"]) -> set[str]:
    """Names the recogniser took for people though they name a business or an organisation: a name
    ending in a corporate word ("Acme Pharma"), one word with such a noun set right before or beside
    it ("telecom operator Acme", "Acme, the country's largest carrier,"), or several set beside a
    business noun ("the dredging company, Marlin Marine Works,"); not a first name with a surname
    ("Ingrid Sorensen")."""
    out = set()
    for ent in found:
        if ent.label_ != "PERSON":
            continue
        if _CORPORATE_SUFFIX.search(ent.text):
            out.add(ent.text)  # "Acme Pharma"
        elif len(ent) == 1 and first_name_genders().get(ent.root.lower_) is None \
                and _described_as_business(ent.root, or_organisation=True):
            out.add(ent.text)
        elif len(ent) > 1 and ent.root.dep_ == "appos" and ent.start >= 2 and ent.root.head.i == ent.start - 2 \
                and ent.doc[ent.start - 1].text == "," and ent.root.head.pos_ == "NOUN" \
                and business_noun(ent.root.head) and ent.root.head.dep_ != "pobj" \
                and (len(ent) > 2 or first_name_genders().get(ent[0].lower_) is None):
            # "The dredging company, Marlin Marine Works," (set beside "company"); not "A spokeswoman
            # for the company, Ingrid Sorensen," (the parser hangs her name on the company)
            out.add(ent.text)
    return out


_CORPORATE_SUFFIX = re.compile(r"\b(?:Inc|Corp|Corporation|Co|Ltd|LLC|PLC|plc|AG|SA|NV|GmbH|Group|Holdings|Pharma|"
                               r"Pharmaceuticals|Technologies|Industries|Enterprises|Airlines|Airways|Motors|Brands|"
                               r"Foods|Telecom|Telecommunications|Communications|Systems|Solutions|Software|Networks|"
                               r"Electronics|Semiconductors?|Logistics|Energy|Petroleum|Mining|Insurance|Labs)\.?$")


def business_name(doc: "Doc", start: int, end: int) -> bool:
    """Whether the organisation named at ``start:end`` is a business: a corporate suffix ("Acme
    Corp", "Acme Holdings") or a business noun set before or beside it ("telecom operator Acme",
    "Acme, the country's largest carrier,")."""
    if _CORPORATE_SUFFIX.search(doc_text(doc)[start:end]):
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and _described_as_business(span.root)


def _described_as_business(tok: "Token", *, or_organisation: bool = False) -> bool:
    """Whether a name has a business noun (or, with ``or_organisation``, any organisation's noun) set
    before or beside it, whichever way the parser hung them ("telecom operator Acme": the noun on the
    name or the name on the noun)."""
    near = [c for c in tok.children if c.dep_ == "appos" or (c.dep_ == "compound" and c.i == tok.i - 1)]
    if tok.dep_ == "appos" and tok.head.i == tok.i - 1:
        near.append(tok.head)
    return any(c.pos_ == "NOUN" and (business_noun(c) or (or_organisation and base_lemma(c) in ORG_NOUNS))
               for c in near)


def business_noun(tok: "Token") -> bool:
    """Whether a common noun describes a business ("operator", "carmaker", "the company")."""
    lemma = base_lemma(tok)
    return lemma in BUSINESS_NOUNS or lemma in FIRM_NOUNS or lemma.endswith("maker")


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


class ArticleEntities:
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
        self.desc_mentions: list[Mention] = []  # (filled last, below)
        headlines = _title_case_lines(doc)
        people = _unrecognised_people(doc)
        taken = {t.i for p in people for t in p}
        found = [e for e in doc.ents if e.label_ in ENTITY_TYPES
                 and not (e.label_ in ("ORG", "PERSON") and e.root.i in taken)]
        found += people
        found += _repeated_surnames(doc, found)
        companies = _described_companies(found)
        for ent in sorted(found, key=lambda e: e.start):
            if ent.label_ == "PERSON" and (ent.text.lower() in CHANNELS or ent.text in companies):
                from spacy.tokens import Span

                # "Twitter" is never a person, nor is "telecom operator Acme" or "Acme Pharma" anywhere
                # in the article
                ent = Span(doc, ent.start, ent.end, label="ORG")
            if ent.label_ == "PERSON":
                ent = _person_name(ent)
            name = _strip_possessive(entity_name(ent)) if ent.label_ != "NORP" else ent.text
            if not name:
                continue
            subj = ent.root.dep_ in ("nsubj", "nsubjpass") or (
                ent.root.dep_ in ("compound", "appos") and ent.root.head.dep_ in ("nsubj", "nsubjpass"))
            head = ent.root if ent.root.dep_ in ("nsubj", "nsubjpass") else ent.root.head
            main = subj and main_clause(head.head)
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
        for tok in doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ != "NOUN" or tok.tag_ != "NN" \
                    or base_lemma(tok) not in PERSON_NOUNS \
                    or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
                continue
            canon = self.titled_person(base_lemma(tok), tok.idx)
            if canon is not None:
                self.desc_mentions.append(Mention(tok.idx, tok.idx + len(tok.text), canon, "PERSON", True,
                                                  main_clause(tok.head), tok.sent.start_char))

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
        words = name_words(name)
        best = name
        body = self.full.get(label, [])
        if name in self._headline.get(label, []) and name not in body:
            # a headline's name stands for the body's name with the same last word, if any
            last = name.lower().split()[-1:]
            same = [c for c in body if c.lower().split()[-1:] == last]
            if same:
                return max(same, key=len)
        elif len(words) == 1 and not any(words < name_words(c) for c in body):
            # named in full only in the headline ("Jane Smith Slams ...", then "Smith"): the
            # shortest headline name that holds it, the least likely to have taken in a verb
            fuller = [c for c in self._headline.get(label, []) if words < name_words(c)]
            if fuller:
                return min(fuller, key=len)
        if label == "PERSON" and len(words) == 1:
            # a surname alone that several people share ("Smith": John Smith and his wife Mary Smith):
            # the person named in full most often, then first (not the longest name); a name it ends
            # before one it only starts ("Donald Trump", not "Trump Calls" of a headline)
            cands = [c for c in body if words < name_words(c)]
            if cands:
                last = name.lower().split()[-1]
                return max(cands, key=lambda c: (c.lower().split()[-1] == last, self._person_weight(c)))
        for cand in body:
            cw = name_words(cand)
            if words <= cw and len(cand) > len(best):
                best = cand
        return best

    def _person_weight(self, name: str) -> tuple[int, int, int]:
        """How strongly the article names the person ``name``: its full mentions (two words or more, all
        of them in ``name``: "John Smith" counts for "John Q. Smith"), then how early the first
        of them comes, then the name's length."""
        words = name_words(name)
        at = [i for i, c in enumerate(self.full.get("PERSON", []))
              if len(c.split()) > 1 and name_words(c) <= words]
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
            while left and is_honorific(left[-1].text):
                left = left[:-1]  # "Mrs. Smith": a form of address, not a role
            text = self._role_text(left).strip(" ,") if left else ""
            if text and any(t.pos_ == "NOUN" or t.pos_ == "PROPN" for t in left) \
                    and left[-1].tag_ not in ("NNS", "NNPS"):  # "told voters Mrs. Smith ...": no role
                return text
        # appositives: "the foreign minister, Jane Smith," / "Jane Smith, the foreign minister,"
        # (one person's title: a singular noun, without the clauses that describe it further)
        head = titled_for(root) or root.head  # ("a spokeswoman for the company, Jane Smith": the spokeswoman)
        if root.dep_ == "appos" and head.pos_ in ("NOUN", "PROPN") and head.tag_ not in ("NNS", "NNPS") \
                and (not head.ent_type_ or head.i != root.head.i):
            toks = [t for t in _role_tokens(head) if t.i < root.left_edge.i]
            toks = [t for t in toks if t.dep_ != "det"]
            if toks:
                return self._role_text(toks)
        for child in root.children:
            # (not a document the parser hung on the name: "sent Smith, R-Wis., a letter")
            if child.dep_ == "appos" and child.pos_ == "NOUN" and child.tag_ != "NNS" \
                    and base_lemma(child) not in DOCUMENT_NOUNS | DOCUMENT_SOURCES:
                toks = [t for t in _role_tokens(child) if t.dep_ != "det" or t.i != child.left_edge.i]
                if toks:
                    return self._role_text(toks)
        return None

    def _role_text(self, toks: Sequence["Token"]) -> str:
        """The words of a title as written, but for an opening "its", which reads as the organisation
        it stands for ("Its director, Jane Smith," -> "Acme Water's director"): the last one named,
        subjects first."""
        text = doc_text(self.doc)[toks[0].idx:toks[-1].idx + len(toks[-1].text)]
        return self.owned(text, toks[0].idx) if toks[0].dep_ == "poss" and len(toks) > 1 else text

    def owned(self, text: str, at: int) -> str:
        """A description opening with "its" ("Its former president") with the organisation it stands
        for in its place, the last one named before ``at``, subjects first ("Acme's former
        president"); other text as it is."""
        if text[:4].lower() != "its " or len(text) < 5:
            return text
        org = self.latest(at, ("ORG",))
        body = self._body_before(at)
        if body is not None and (org is None or org.start < body[0]):
            name = body[1]  # "The data protection authority said ... Its director": the authority's
        elif org is None:
            return text
        else:
            name = self.canonical(org.text, "ORG")
        mark = "'" if name.endswith("s") else "'s"  # ("Acme Works' former president")
        return f"{name}{mark}{text[3:]}"

    def _body_before(self, at: int) -> tuple[int, str] | None:
        """The organisation described, not named, as the subject of the sentence before ``at`` ("The
        country's data protection authority said ...": offset and "data protection authority")."""
        doc = self.doc
        tok = next((t for t in doc if t.idx >= at), None)
        if tok is None or tok.sent.start == 0:
            return None
        prev = doc[tok.sent.start - 1].sent
        subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.pos_ != "NOUN" or subj.tag_ != "NN" or subj.lemma_.lower() not in ORG_NOUNS \
                or subj.ent_type_:
            return None
        start = subj.i  # the noun with the words that name the body with it ("data protection")
        while start > prev.start and doc[start - 1].dep_ in ("compound", "amod") \
                and subj.i >= doc[start - 1].head.i >= start:
            start -= 1
        return subj.idx, doc[start:subj.i + 1].text

    def latest(self, before: int, labels: tuple[str, ...], *, subject_first: bool = True,
               skip: tuple[int, int] | None = None, fits: Callable[[Mention], bool] | None = None) -> Mention | None:
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


#: Abbreviated titles, as they precede names ("Gov. Jane Smith" is "the governor").
_TITLE_ABBREV = {"gov.": "governor", "sen.": "senator", "rep.": "representative", "pres.": "president",
                 "gen.": "general", "lt.": "lieutenant", "atty.": "attorney", "sec.": "secretary",
                 "amb.": "ambassador", "supt.": "superintendent", "insp.": "inspector", "cmdr.": "commander",
                 "prof.": "professor", "dr.": "doctor", "sgt.": "sergeant", "capt.": "captain"}


#: Nouns for what a statement came in ("the statement said", "his prepared remarks"): the speaker is
#: whose it is.
DOCUMENT_SOURCES = frozenset("""
statement remark remarks text release letter post tweet video message memo email op-ed column speech
ad advertisement commercial
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
contender hopeful frontrunner front-runner pundit commentator actor actress negotiator mediator deputy
customer client patient passenger consumer subscriber shopper buyer tenant homeowner driver player fan
farmer nurse coach manager
councilman councilwoman councilmember councillor councilor alderman alderwoman assemblyman assemblywoman
assemblymember selectman selectwoman supervisor trustee superintendent principal treasurer comptroller
""".split())


_AGENT_ENDING = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|person|people|ee|crat)s?$")


def titled_for(name: "Token") -> "Token | None":
    """The person noun a name is set off after when the parser hangs the name on that noun's object:
    in "a spokeswoman for the company, Jane Smith," the name is an appositive of "company", and names
    the spokeswoman."""
    obj = name.head
    if name.dep_ != "appos" or obj.dep_ != "pobj" or obj.head.dep_ != "prep" or name.left_edge.i == 0 \
            or name.doc[name.left_edge.i - 1].text != ",":
        return None
    title = obj.head.head
    return title if title.pos_ == "NOUN" and base_lemma(title) in PERSON_NOUNS else None


def speaker_noun(tok: "Token") -> bool:
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


def names_document(tok: "Token") -> bool:
    """Whether a noun names a document that speaks for its authors ("the report", "the statement":
    :data:`~storyline.nlp.attribution.DOCUMENT_NOUNS`, :data:`DOCUMENT_SOURCES`)."""
    lemma = base_lemma(tok)  # ("a re-analysis": an analysis)
    return lemma in DOCUMENT_NOUNS or lemma in DOCUMENT_SOURCES


#: Words that pick a part of a group ("all of the candidates", "two of the senators", "those who ...").
_QUANTIFIERS = frozenset({"all", "some", "many", "most", "both", "none", "few", "several", "each", "either",
                          "neither", "half", "majority", "minority", "any", "one"})


#: Nouns that count people ("tens of thousands of families", "dozens of residents").
_NUMBER_NOUNS = frozenset({"ten", "tens", "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands",
                           "million", "millions", "score", "scores"})


def part_of_speakers(tok: "Token") -> bool:
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
                                         or (o.pos_ == "NOUN" and speaker_noun(o))
                                         or (o.lemma_.lower() in _NUMBER_NOUNS and part_of_speakers(o))):
                    return True  # (tens of thousands of families)
    return False


def may_speak(tok: "Token") -> bool:
    """Whether a subject can be a speaker: a name, a personal pronoun, a noun naming people or an
    organisation (:func:`speaker_noun`) or a document (:func:`names_document`)."""
    return tok.pos_ == "PROPN" or tok.lower_ in ("he", "she", "they", "we", "i") or speaker_noun(tok) \
        or names_document(tok)
