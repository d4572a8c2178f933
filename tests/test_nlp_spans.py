"""The learned content-span model (storyline.nlp.spans): candidates, constraints, the shipped weights."""

from __future__ import annotations

from storyline.nlp.parse import parse
from storyline.nlp.quotes import extract_quotes
from storyline.nlp.spans import (candidates, cue_token, features, load_model, scored, source_candidates,
                                  token_span)


def _texts(doc, cands) -> dict[str, tuple[str, ...]]:
    return {doc[c.start:c.end].text: c.kinds for c in cands}


def test_candidates_are_the_spans_the_parse_offers_around_the_cue() -> None:
    text = "Jane Smith said on Monday that the plan would cut costs for families."
    doc = parse(text)
    cue = cue_token(doc, text.index("said"), text.index("said") + 4)
    got = _texts(doc, candidates(doc, cue))
    assert "child_ccomp" in got["that the plan would cut costs for families"]
    assert "pobj" in got["Monday"]
    assert "to_sent_end" in got["on Monday that the plan would cut costs for families"]
    assert "sentence" in got[text.rstrip(".")]
    # sorted by token offsets, one entry per span, punctuation trimmed
    spans = [(c.start, c.end) for c in candidates(doc, cue)]
    assert spans == sorted(set(spans))


def test_features_mark_the_rules_span_and_what_a_candidate_adds_or_cuts() -> None:
    text = "John Brown recalled working at the mill when he was a teenager."
    doc = parse(text)
    cue = cue_token(doc, text.index("recalled"), text.index("recalled") + 8)
    current = token_span(doc, text.index("working"), text.index(" when"))
    by_text = {doc[c.start:c.end].text: features(doc, cue, c, current) for c in candidates(doc, cue)}
    assert "cur=1" in by_text["working at the mill"]
    longer = by_text["working at the mill when he was a teenager"]
    assert "cur=0" in longer and "rel=contains" in longer and "addR=advcl" in longer


def test_a_candidate_never_takes_in_the_speaker_or_a_quotation() -> None:
    text = 'Jane Smith said on Monday that the plan, "a disaster," would fail.'
    doc = parse(text)
    cue = cue_token(doc, text.index("said"), text.index("said") + 4)
    current = token_span(doc, text.index("on Monday"), text.index(" that"))
    spans = [doc[c.start:c.end].text for c, _, _ in scored(doc, cue, current, {})]
    assert all("Smith" not in s and '"' not in s for s in spans)
    assert "on Monday" in spans  # the rules' own span is always a candidate


def _allowed_texts(text: str, cue: str, current: str) -> list[str]:
    doc = parse(text)
    cue_tok = cue_token(doc, text.index(cue), text.index(cue) + len(cue))
    cur = token_span(doc, text.index(current), text.index(current) + len(current))
    return [doc[c.start:c.end].text for c, _, _ in scored(doc, cue_tok, cur, {})]


def test_a_candidate_never_takes_in_another_report_the_speakers_doing_or_the_writers_tail() -> None:
    got = _allowed_texts("Most voters said the mayor is honest, and a third said the same of her rival.",
                         "said", "the mayor is honest")
    assert not any("a third said" in s for s in got)
    got = _allowed_texts("Sales were great, he said, wiping sweat off his face.", "said", "Sales were great")
    assert not any("wiping" in s for s in got)
    got = _allowed_texts("The company said its revenue rose to $5 million in 2015, an increase of almost "
                         "$2 million.", "said", "its revenue rose to $5 million in 2015")
    assert not any("an increase" in s for s in got)


def test_the_model_moves_a_span_the_rules_cut_short() -> None:
    """PolNeAR's annotators take the adverbial clause of a recalled act into its content; the rules
    stop at the object. The learned span model (spans.json) extends it; refine=False keeps the rules'."""
    text = "John Brown recalled working at the mill when he was a teenager in the 1970s."
    assert [q.text for q in extract_quotes(text, refine=False)] == ["working at the mill"]
    assert [q.text for q in extract_quotes(text)] == ["working at the mill when he was a teenager in the 1970s"]


def test_span_model_is_pinned_and_verified() -> None:
    from storyline.weights import PINNED, sha256_file, verified_path

    path = verified_path("spans.json")
    assert sha256_file(path) == PINNED["spans.json"].sha256
    model = load_model()
    assert model.weights and model.margin >= 0.0


def test_source_candidates_cut_or_keep_what_follows_the_head() -> None:
    text = "Jane Smith, a senior analyst at the bank, said the merger would fail."
    doc = parse(text)
    head = doc[1]  # "Smith"
    got = {doc[c.start:c.end].text: c.kinds for c in source_candidates(doc, head)}
    assert "full" in got["Jane Smith, a senior analyst at the bank"]
    assert "head" in got["Jane Smith"]


def test_the_model_cuts_a_relative_clause_off_an_unnamed_source() -> None:
    """The rules keep ", whose members voted last week" in the source phrase; the learned source
    model cuts it. A description that names no one
    is its own speaker, so the speaker follows the mention; refine=False keeps the rules' phrase."""
    text = "The teachers' union, whose members voted last week, said the strike would go on."
    (rules,) = extract_quotes(text, refine=False)
    assert rules.speaker_mention == "The teachers' union, whose members voted last week"
    (q,) = extract_quotes(text)
    assert (q.speaker_mention, q.speaker) == ("The teachers' union", "The teachers' union")
    assert text[q.speaker_start:q.speaker_end] == "The teachers' union"


def test_the_source_of_according_to_stays_the_rules() -> None:
    """Only a verb's subject or agent is re-chosen; "according to X" and "in a poll" keep their phrase."""
    qs = extract_quotes("In a new poll released Monday, 40 percent of voters backed the plan.")
    assert qs[0].speaker_mention == "a new poll"
