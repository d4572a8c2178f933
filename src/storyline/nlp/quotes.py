"""Quotes in one article: who said what, with which cue, through which outlets.

:func:`extract_quotes` takes an article's clean text (and optionally its spaCy ``Doc``) and returns
:class:`~storyline.model.Quote` records whose offsets index that text.

How it works, in order:

1. **Quotation marks** (:mod:`storyline.nlp.quotemarks`). :func:`find_quoted_spans` scans each
   paragraph for paired marks: straight and curly double quotes, guillemets (« » and ‹ ›), low-high
   German quotes, corner brackets and single quotes (an apostrophe inside a word never opens or closes
   one). Single quotes inside a double-quoted passage are nested quotes and do not split it. A
   paragraph that opens a quote and does not close it continues into the next paragraph when that one
   opens with a quotation mark (the newspaper convention for a quote running over several paragraphs).
   Marks of mixed styles pair by their shape: a curly opener closes at a straight mark typed as a
   closer ('“A," she said. "B.”') or at a second curly opener followed by a space; a straight-quoted
   title inside a curly quote stays inside it.
2. **Reporting frames** (:mod:`storyline.nlp.frames`). Every verb whose lemma is in
   :data:`~storyline.nlp.lexicon.CUE_VERBS` and that governs a clausal complement (``ccomp``) is a
   frame: the complement is the content, the subject is the source.
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
4. **Speakers** (:mod:`storyline.nlp.speakers`, over the names of :mod:`storyline.nlp.mentions`). The
   source phrase is resolved to a named entity of the article: a named mention is expanded to its
   fullest form ("Smith" -> "Jane Smith"); a pronoun goes to the most recent compatible subject (a
   person for he/she, an organisation or place for it, people named together or an organisation or a
   people for they); a description ("the secretary", "the spokesperson", "the ministry") goes to the
   most recent entity whose title or name carries its head noun (for a noun naming a person, one titled
   so later in the article when none is before). A description subject tied to a titled person ("the
   governor was asked ...") counts as that person's mention for a later he/she; the subject of a
   sentence's main clause comes before one in a "that" clause, and the speaker of a frame inside a
   subordinate clause is not carried to the next pronoun. Titles next to a name ("Interior Ministry
   spokesperson", appositives) are kept as the speaker's role.
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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storyline.model import Article, ChainLink, Quote, QuoteGroup, QuoteKind, content_id
from storyline.nlp.attribution import (
    _TEXT_KEY,
    PUBLISHING_VERBS,
    RELAY_WORDS,
    ChainFinder,
    doc_text,
    names_outlet,
    order_links,
    relay_cue,
    strip_article,
)
from storyline.nlp.frames import (
    OCCASION_NOUNS,
    QUOTE_CHARS,
    TELLING_VERBS,
    Frame,
    act_bounds,
    as_relay,
    find_frames,
    no_report,
    reattach_names_after_quotes,
    source_tokens,
    subject_of,
    trim_entity_prepositions,
    trim_span,
)
from storyline.nlp.lexicon import CLAUSE_ONLY, CUE_VERBS, DENY_VERBS, ENTITY_TYPES, EVIDENCE_CUES
from storyline.nlp.mentions import (
    PERSON_NOUNS,
    ArticleEntities,
    Resolved,
    main_clause,
    may_speak,
    name_words,
    names_document,
    span_text,
    speaker_noun,
)
from storyline.nlp.parse import MAX_CHARS, base_lemma, parse, parse_many
from storyline.nlp.quote_groups import apply_groups, group_quotes
from storyline.nlp.quotemarks import QuotedSpan, find_quoted_spans, overlap_chars, paragraph_bounds, word_count
from storyline.nlp.spans import load_model as load_span_model
from storyline.nlp.speakers import RECORD_NOUNS, SpeakerResolver, closed_phrase, description_name, inanimate_subject

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


LOGGER = logging.getLogger(__name__)


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


def _medium_then_clause(doc: "Doc", s: int, e: int) -> tuple[int, int] | None:
    """For a content that is a statement or an interview with the clause the parser hung on it ("a
    statement that the plan was dead", "an interview Tuesday that ..."): the end of that noun phrase
    and the start of its "that" clause; None otherwise."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return None
    noun = span.root
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in OCCASION_NOUNS or noun.i > span.start + 4:
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
    if len(text) > MAX_CHARS:  # (the parser reads that much; offsets into the start stay right)
        LOGGER.warning("article %s: %d characters, quotes read in the first %d", article_id or "?", len(text),
                       MAX_CHARS)
        text = text[:MAX_CHARS]
    if doc is None:
        doc = parse(text)
    if doc.text != text:
        raise ValueError("the parsed document does not match the text: parse the same clean text")
    doc.user_data[_TEXT_KEY] = text
    trim_entity_prepositions(doc)
    reattach_names_after_quotes(doc)
    quoted = find_quoted_spans(text)
    ents = ArticleEntities(doc, [(q.open_at, q.close_at + 1) for q in quoted])
    chains = ChainFinder(doc, ents_mentions=ents.mentions)
    frames = find_frames(doc, chains, quoted)
    resolver = SpeakerResolver(doc, ents)
    paras = paragraph_bounds(text)
    span_model = load_span_model() if refine else None

    def para_of(off: int) -> int:
        for i, (ps, pe) in enumerate(paras):
            if off < pe:
                return i
        return len(paras) - 1

    # frames whose cue sits inside a quoted passage are the speaker's own reported speech: drop them
    frames = [f for f in frames
              if not any(q.start <= f.cue_start < q.end for q in quoted)]
    # "declined to say whether ...": an infinitive cue is part of what the cue it hangs on reports
    frames = [f for f in frames if not _infinitive_of_cue(f, frames)]
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
        qwords = word_count(text[qs:qe])
        best: Frame | None = None
        best_ov = 0
        for f in frames:
            ov = overlap_chars((qs, qe), (f.content_start, f.content_end))
            if ov >= qe - qs - 2:
                ov = qe - qs  # all but a closing comma or full stop
            # of two frames holding the whole quote, the tighter one ('"A," said X, according to Y':
            # X's words, which Y relays), but a speaker's rather than evidence's ('Smith said the
            # figures showed "..."': Smith's words, which the figures do not speak)
            if ov > best_ov or (ov and ov == best_ov and best is not None and (
                    (_evidence(best) and not _evidence(f))
                    or (_evidence(best) == _evidence(f)
                        and f.content_end - f.content_start < best.content_end - best.content_start))):
                best, best_ov = f, ov
        if best is not None and not _evidence(best):
            # the evidence clause inside the speaker's reported words is no report of its own
            covered_frames.update(id(f) for f in frames if _evidence(f) and f.content_start < qe
                                  and qs < f.content_end and best.content_start <= f.cue_start < best.content_end)
        kind: QuoteKind
        if best is not None and best_ov > 0:
            lo, hi = best.content_start, best.content_end
            if best.gap is not None:  # '"The plan," she said, "is dead."': the side of the cue it is on
                lo, hi = (lo, best.gap[0]) if qe <= best.gap[0] else (best.gap[1], hi) if qs >= best.gap[1] else (lo, hi)
            # (any word of the reported clause outside the marks makes the quote a fragment of it:
            # 'said Smith is "unelectable now"', 'called it "predatory"'; a "that" before the marks
            # does not: 'said that "we will win"' is direct)
            before = text[lo:max(lo, qs)]
            introduced = bool(_INTRODUCED.search(before)) and qwords >= 3
            if introduced:
                before = ""  # 'was blunt: "..."', 'said the following: "..."': words that introduce it
            outside = _COMPLEMENTISER_WORD.sub("", before, count=1) + text[min(qe, hi):hi]
            if not word_count(outside):
                kind = "direct" if qwords >= 3 else "partial"
                if introduced:
                    # the frame made mixed by a fragment before the colon ('said this was a "fatal
                    # mistake" and that ...: "..."') ends at the colon
                    k = next((k for k, it in enumerate(items) if it[3] is best and it[0] < qs < it[1]), None)
                    colon = text.rfind(":", lo, qs)
                    if k is not None and colon > items[k][0]:
                        items[k] = (items[k][0], _before_space(text, colon)) + items[k][2:]
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
            return max(qwords, sum(word_count(text[x.start:x.end]) for x in quoted if a <= x.start < b))

        host = next((f for f in nominal if quoted_words(f.content_start, f.content_end) >= MIXED_MIN_WORDS
                     and f.content_start <= qs
                     and (qe <= f.content_end or (qs < f.content_end and not text[f.content_end:qe].strip(".,;:!?…")))
                     and word_count(text[f.content_start:qs] + text[qe:f.content_end]) > 0), None)
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
            if act is not None and act[0] >= f.cue_end and word_count(text[act[0]:qs] + text[qe:act[1]]) > 0 \
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
            sent_words = word_count(text[f.sent_start:f.sent_end])
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
        if any(overlap_chars((q.open_at, q.close_at + 1), (f.content_start, f.content_end)) for q in quoted):
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
    relays: list[Quote] = []  # what organisations relay ("X reported", "according to X")
    ownerless: set[str] = set()  # statements with no holder found ("the laboratory had confirmed the results")
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
                relayed = f.cue_tok is not None and f.cue_tok.lower_ in RELAY_WORDS
                r = resolver.resolve(f.source_tok, f.source, quote=None if relayed else (s, e))
                speaker, label, role = r.name or None, r.label, r.role
                outlet = chains.described_outlet(f.source_tok) if label is None and relayed else None
                if outlet is not None:  # "according to the newspaper": the outlet named before
                    speaker, label = outlet[0], "ORG"
                sp_s, sp_e = f.source
                speaker_mention = text[sp_s:sp_e]
                if span_model is not None:
                    # the learned source phrase ("the union" without ", whose members voted ...")
                    sp_s, sp_e = span_model.choose_source(doc, sp_s, sp_e, f.cue_start, f.cue_end)
                sp_s, sp_e = closed_phrase(text, sp_s, sp_e)
                if label is None and speaker == speaker_mention:  # a description naming no one speaks as itself
                    speaker = ents.owned(description_name(doc, sp_s, sp_e), sp_s)  # ("Its former president": whose)
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
        if f is not None and f.nominal and _evidence(f) and (
                speaker is None or (label is None and base_lemma(f.source_tok) in RECORD_NOUNS)):
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
            links = [x for x in links if name_words(x.name) != name_words(speaker)]
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
        qtext = _join_parts(text, parts, doc) if parts else _without_reopening_marks(text[quoted_from.get((s, e), s):e])
        if not parts and f is not None and f.gap is not None and s < f.gap[0] and f.gap[1] < e:
            # "Many of the closures, he said, have involved ...": the words around the cue clause
            qtext = _around_gap(doc, s, e, f.gap)
        quote = Quote(id=qid, article_id=article_id, start=s, end=e, text=qtext, kind=kind, cue=cue,
                      cue_start=cue_s, cue_end=cue_e, speaker=speaker, speaker_start=sp_s, speaker_end=sp_e,
                      speaker_mention=speaker_mention, speaker_role=role, speaker_type=label, chain=links,
                      denial=denial)
        out.append(quote)
        last_by_para[pi] = quote
        if speaker is None and f is not None:
            ownerless.add(quote.id)
        if f is not None and f.cue_tok is not None and f.source_tok is not None and kind == "indirect" \
                and (label in ("ORG", "WORK_OF_ART") or (label is None and f.source_tok.pos_ == "PROPN")) \
                and f.cue_tok.lemma_.lower() in _RELAYING and (not f.nominal or f.cue_tok.lower_ in RELAY_WORDS):
            # (an outlet the recogniser missed relays too, "the Daily Planet reported"; a person, a
            # country, "people" or "I" speak; "wrote a check", "wrote about X" relay nothing)
            relays.append(quote)
    # an act or a statement with no one to hold it inside what someone else reports ("Smith said the
    # laboratory had only confirmed the results"): a part of that report, not a quote of its own
    out = [q for q in out if q.id not in ownerless or not any(
        r is not q and r.speaker is not None and r.start <= (q.start if q.cue_start is None else q.cue_start)
        and q.end <= r.end for r in out)]
    _relayed_chains(out, relays)
    _name_described_speakers(doc, out, para_of)
    return out


#: Cues through which an organisation relays what others said ("X reported", "according to X").
_RELAYING = PUBLISHING_VERBS | frozenset(RELAY_WORDS)


def _relayed_chains(quotes: list[Quote], relays: Sequence[Quote]) -> None:
    """A statement reported inside what an outlet relays ("The mayor promised X, the Daily Planet
    reported"; '"...," the mayor said, according to the newspaper') came through that outlet: it
    becomes the last link of the statement's chain (the innermost relay's, when relays nest)."""
    for k, q in enumerate(quotes):
        at = q.cue_start if q.cue_start is not None else q.start
        holding = [r for r in relays if r is not q and r.start <= min(at, q.start) and q.end <= r.end
                   and r.speaker != q.speaker]
        if not holding:
            continue
        r = min(holding, key=lambda x: x.end - x.start)
        name = strip_article(r.speaker or "")  # ("the Daily Planet reported", unrecognised: its name)
        if not name or any(x.name == name for x in q.chain):
            continue
        link = ChainLink(name, r.speaker_start if r.speaker_start is not None else r.start,
                         r.speaker_end if r.speaker_end is not None else r.start,
                         "according_to" if relay_cue(r.cue) else "reported")
        quotes[k] = replace(q, chain=[*q.chain, link])


#: Cues that go on with the speaker of the quote just before ('"...," Jane Smith added').
_GOING_ON = frozenset({"added", "adds", "continued", "continues"})


def _name_described_speakers(doc: "Doc", quotes: list[Quote], para_of: Callable[[int], int]) -> None:
    """'The chief negotiator said ... "...," Claire Dubois added.': a quote that goes on with a named
    person ("added", "continued") names the speaker of the quote just before it when that one is a
    description of a person no name was found for, in the same paragraph or the one before."""
    for prev, cur in zip(quotes, quotes[1:]):
        if (cur.cue or "").lower() not in _GOING_ON or cur.speaker_type != "PERSON" or not cur.speaker \
                or prev.speaker_type is not None or prev.speaker_start is None or prev.speaker_end is None \
                or cur.speaker_start is None or cur.speaker_end is None:
            continue
        named = doc.char_span(cur.speaker_start, cur.speaker_end, alignment_mode="expand")
        if named is None or named.root.pos_ != "PROPN":
            continue  # ("He added": who "he" is was worked out from the quotes before)
        mention = doc.char_span(prev.speaker_start, prev.speaker_end, alignment_mode="expand")
        if mention is None or mention.root.pos_ != "NOUN" or base_lemma(mention.root) not in PERSON_NOUNS \
                or mention.root.tag_ != "NN":
            continue
        if para_of(cur.start) - para_of(prev.start) > 1:
            continue
        prev.speaker_role = prev.speaker_role or description_name(doc, prev.speaker_start, prev.speaker_end)
        prev.speaker, prev.speaker_type = cur.speaker, cur.speaker_type


#: Quoted words under a cue's object that make the object a mixed quote ('called the remarks "deeply
#: racist"'); a single quoted word stays a partial quote of its own ('dismissed the claims as "absurd"').
MIXED_MIN_WORDS = 2


def _governed_act(doc: "Doc", cue: "Token", qs: int, qe: int) -> tuple[int, int] | None:
    """The object of ``cue`` with what completes it (:func:`act_bounds`) when it holds the quoted
    words ``qs:qe`` in the same sentence, else None."""
    for c in cue.children:
        if c.i > cue.i and c.dep_ in ("dobj", "dative", "oprd", "xcomp", "ccomp", "acomp", "attr", "prep") \
                and c.left_edge.idx <= qs and qe <= c.right_edge.idx + len(c.right_edge.text) + 1:
            obj = next((d for d in cue.children if d.i > cue.i and d.dep_ in ("dobj", "dative")), c)
            return act_bounds(doc, cue, obj)
    return None


def _infinitive_of_cue(f: Frame, frames: Sequence[Frame]) -> bool:
    """Whether ``f``'s cue is the infinitive that a refusal's cue governs and reports ("declined [to
    say whether ...]", "refused [to answer questions on ...]"): one act, reported once."""
    tok = f.cue_tok
    if tok is None or tok.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    return tok.head.lemma_.lower() in _REFUSALS and any(
        g.cue_tok is not None and g.cue_tok.i == tok.head.i and g.content_start <= f.cue_start < g.content_end
        for g in frames)


#: Verbs of refusing to speak ("declined to say whether ...", "refused to answer questions on ...").
_REFUSALS = frozenset({"decline", "refuse"})


def _evidence(f: Frame) -> bool:
    """A frame whose holder is a thing shown, not a speaker: "the figures showed ..."."""
    return f.lemma in EVIDENCE_CUES and inanimate_subject(f.source_tok)


def _embedded_cue(cue: "Token") -> bool:
    """Whether a cue verb sits in a subordinate clause ("reports that Smith had urged her", "Jones
    said Smith had asked him"), not in its sentence's main clause nor as the parenthetical cue of a
    clause before it ('"...," she said') nor as a further verb of the main subject ("responded by
    asserting")."""
    if cue.pos_ not in ("VERB", "AUX") or main_clause(cue) or cue.dep_ in ("advcl", "xcomp"):
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
#: The words before a quotation end in a colon that opens it: they introduce the quotation.
_INTRODUCED = re.compile(r":\s*[\"“«‘'„]?\s*$")


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
        piece = _without_reopening_marks(text[s:e].strip())
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


#: A double quotation mark that reopens a quotation running on into a new paragraph (the previous
#: paragraph ends without a closing mark: news style for a quote over several paragraphs).
_REOPENING_MARK = re.compile(r'(\n[ \t]*)["“]')


def _without_reopening_marks(quote: str) -> str:
    """The words of a quotation over several paragraphs without the mark that reopens each one."""
    return _REOPENING_MARK.sub(r"\1", quote) if "\n" in quote else quote


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
        if c.dep_ in ("dobj", "dative") and not (lemma in TELLING_VERBS and (
                c.pos_ in ("PRON", "PROPN") or c.ent_type_ in ENTITY_TYPES or speaker_noun(c))):
            return False  # "Smith said the plan" reports something of its own
    return len(sent) <= 14 or not any(t.dep_ in ("advcl", "conj", "relcl") and t.pos_ in ("VERB", "AUX")
                                      and t.head.i == root.i and not _when_asked(t) for t in sent)


#: A quotation mark, not an apostrophe inside a word ("party's").
_QUOTATION_MARK = re.compile(r"[\"“”«»‹›„]|(?<!\w)['‘’]|['‘’](?!\w)")


def _introducing_sentence(doc: "Doc", text: str, open_at: int) -> "Token | None":
    """The cue of a sentence that only attributes and ends right before a quotation opens ("Jane
    Smith, the party's spokesperson, said in a statement. “There are no ballots to recount.”"): it
    introduces that quotation. Not when a quotation ends right before it ('"..." Trump said. "..."':
    there it attributes the quote before it, and what follows goes on with the same speaker)."""
    end = _before_space(text, open_at)
    if end == 0 or "\n\n\n" in text[end:open_at]:
        return None
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    if last is None:
        return None
    sent = last.sent
    if _QUOTATION_MARK.search(text, sent.start_char, end) or not _bare_attribution(sent, sent.start_char):
        return None
    k = _before_space(text, sent.start_char)  # a closing mark right before, or one and a full stop ('”.')
    if text[k - 1:k] in QUOTE_CHARS or text[max(0, k - 2):k - 1] in QUOTE_CHARS:
        return None
    return sent.root


def _before_space(text: str, i: int) -> int:
    """The offset after the last non-space character before ``i`` (0 when there is none)."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


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
                    quoted: Sequence[QuotedSpan], ents: "ArticleEntities | None" = None) -> list[_Label]:
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
        speaks = speaker_noun(head) or names_document(head)
        named = surname(head, pe)
        if not speaks and (not (head.pos_ == "PROPN" or head.ent_type_ in ENTITY_TYPES or named)
                           or any(t.tag_ == "POS" for t in span)):
            continue  # "Smith's Revelation: ...", "Monday's Briefing: ...": about someone, not by them
        cs, ce = trim_span(text, m.end(), pe)
        q = next((q for q in quoted if q.open_at == cs and q.close_at < pe), None)
        if q is not None and not text[q.close_at + 1:ce].strip(" .,;:!?…"):
            cs, ce = q.start, q.end  # 'Smith: "We will."'
        body = doc.char_span(cs, ce, alignment_mode="expand")
        if word_count(text[cs:ce]) < 3 or body is None:
            continue
        # "Iowa: Tim Albrecht, Brad Anderson, ...", "Kasich: Now or never.": a list, a tag (a
        # transcript's line only), and "Ted Cruz: Conservative or Career Politician?": a headline asks
        weak = (not any(t.pos_ in ("VERB", "AUX") for t in body) and (
            text.count(",", cs, ce) >= 2 or word_count(text[cs:ce]) <= 4)) \
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
            or not (may_speak(head) or head.ent_type_ == "PERSON"):
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
               and word_count(text[f.content_start:f.content_end]) >= 3 for f in frames)


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
    own: set[int] = set()  # candidates that take a frame of their own, not the one the parse gave them
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
                    tok.lemma_.lower() not in CLAUSE_ONLY and not as_relay(tok):
                # past 60 characters only after the speaker's description ('"...," Jane Smith, the
                # ... of ..., said'): the subject opens right after the quote; not a cue that
                # reports a clause of its own after it ('declared "What a night!" and said that
                # ...': the quote is the first verb's)
                if not _reports_own_clause(frames, tok, text) and (
                        tok.idx <= start_after + 60 or _speaker_after(first, tok) is not None):
                    candidates.append((tok.idx - start_after, tok))
                break
        if not candidates and text[q.start:q.end].rstrip()[-1:] in (",", "!", "?") and text[q.close_at:q.close_at + 1] in QUOTE_CHARS:
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
                if tok.lemma_.lower() in CUE_VERBS and tok.pos_ in ("VERB", "AUX") and not as_relay(tok):
                    candidates.append((before_hi - tok.idx, tok))
                    break
            if not candidates and head.rstrip().endswith(":"):
                # "X echoed:", "X released the following statement:": the verb of the clause the
                # colon ends introduces the quote, when its subject can speak
                for tok in reversed(list(sent)):
                    if tok.idx >= before_hi or tok.dep_ in ("amod", "compound"):  # "the following statement:"
                        continue
                    manner_of_speaking = tok.lemma_.lower() == "be" and any(c.dep_ == "acomp" for c in tok.children)
                    if not manner_of_speaking and (tok.pos_ != "VERB" or tok.lemma_.lower() == "be"):
                        continue
                    subj = subject_of(tok)
                    # ("Her deputy was more conciliatory:": how a person put it; not "The rule is clear:")
                    if subj is not None and may_speak(subj) and (not manner_of_speaking or subj.pos_ == "PROPN"
                                                                 or subj.lower_ in ("he", "she", "they")
                                                                 or base_lemma(subj) in PERSON_NOUNS):
                        candidates.append((before_hi - tok.idx, tok))
                        if manner_of_speaking:
                            own.add(tok.i)  # the quote is what was said, not "more conciliatory: ..."
                    break
    if not candidates and head.rstrip().endswith(".") and word_count(text[q.start:q.end]) >= 4:
        intro = _introducing_sentence(doc, text, before_hi)
        if intro is not None:
            candidates.append((before_hi - intro.idx, intro))
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
        if existing is not None and tok.i not in own:
            return existing
        subj = subject_of(tok)
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
        st = source_tokens(subj, tok)
        ss, se, _ = span_text(doc, st)
        sent = tok.sent
        f = Frame(tok.idx, tok.idx + len(tok.text), tok.text, q.start, q.end, (ss, se), subj, tok,
                  tok.lemma_.lower(), sent.start_char, sent.end_char)
        if no_report(f):
            continue
        f.chain = chains.links_for(f)
        return f
    return None


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
        for a, qs in zip(ok, quotes_of_many([(a.id, a.text) for a in ok], n_process=self.n_process,
                                            batch_size=self.batch_size)):
            quotes.extend(without_own_outlet(qs, a.source))
        groups: list[QuoteGroup] = []
        if story_of is not None:
            groups = group_quotes(quotes, story_of)
            quotes = apply_groups(quotes, groups)
        LOGGER.info("quotes: %d quotes in %d articles, %d groups", len(quotes), len(ok), len(groups))
        return QuotesResult(quotes=quotes, groups=groups, articles=len(ok), skipped=skipped)


def without_own_outlet(quotes: Sequence[Quote], outlet: str | None) -> list[Quote]:
    """An article's quotes without what its own outlet stands in: a chain link naming the publisher
    ("told the Courier" in the Courier: the words came to it directly) and a relay of its own work
    ("according to a Herald analysis" in the Herald: the outlet's own voice, no one quoted)."""
    if not outlet:
        return list(quotes)
    out = []
    for q in quotes:
        if relay_cue(q.cue) and q.speaker_type != "PERSON" and names_outlet(q.speaker, outlet):
            continue
        if any(names_outlet(c.name, outlet) for c in q.chain):
            q = replace(q, chain=[c for c in q.chain if not names_outlet(c.name, outlet)])
        out.append(q)
    return out


def _quotes_serial(items: Sequence[tuple[str, str]], batch_size: int) -> list[list[Quote]]:
    docs = parse_many([t for _, t in items], batch_size=batch_size)
    out: list[list[Quote]] = []
    for (aid, t), doc in zip(items, docs):
        try:
            out.append(extract_quotes(t, article_id=aid, doc=doc))
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
            LOGGER.error("quotes: article %s could not be analysed (%s: %s); it is kept with no quotes",
                         aid, type(exc).__name__, exc)
            out.append([])
    return out


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
