"""The replacement spaCy components give exactly what spaCy's own give.

``get_nlp`` swaps the attribute ruler and lemmatizer for table-driven equivalents and decodes the
entity recogniser with a batched numpy decoder (``storyline.nlp.ner``). These tests parse the seeds
and, where ``../shared`` is present, PolNeAR articles with both pipelines and compare every token.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from storyline.nlp import parse as parse_mod  # noqa: E402
from storyline.nlp.ner import FACTORY, FastEntityRecognizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))


def _original() -> "spacy.language.Language":
    nlp = spacy.load(parse_mod.MODEL_NAME, exclude=list(parse_mod.UNUSED))
    parse_mod.tune_tokenizer(nlp)
    parse_mod._register_component()
    nlp.add_pipe(parse_mod._COMPONENT, before="parser")
    return nlp


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*"))
             if p.is_file() and p.suffix in (".txt", ".md", "")]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted((SHARED / "datasets/polnear/data/dev/text").glob("*.txt"))[:12]]
    texts += [
        "",
        "   \n\n  ",
        "Apple Inc. said on Monday that Tim Cook will visit Beijing.",
        "He said: “We will not back down.”\n\nThe New York Times reported it first.",
        "Dr. Jane  Smith\n\n\nof the World Health Organization spoke in Geneva , Switzerland .",
        # the attribute ruler's several-token and regex rules ("ai" + "n't", "gon" + "na", "nothin'", ...)
        "Ain't nothin' gonna stop us, y'all. Let's go, c'mon! There is gotta be a way. There were none.",
        "I ain't sure, Y all said. It's what there's left.\n",
    ]
    return texts


def _view(doc: "spacy.tokens.Doc") -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start)
            for t in doc]


def test_fast_components_match_spacy() -> None:
    fast = parse_mod.get_nlp()
    assert FACTORY in fast.pipe_names and "ner" not in fast.pipe_names
    orig = _original()
    texts = _texts()
    assert len(texts) > 5
    got = list(fast.pipe(texts, batch_size=8))
    want = list(orig.pipe(texts, batch_size=8))
    n_ents = 0
    for text, g, w in zip(texts, got, want):
        assert _view(g) == _view(w), text[:80]
        assert [(e.start, e.end, e.label_) for e in g.ents] == [(e.start, e.end, e.label_) for e in w.ents]
        n_ents += len(w.ents)
    assert n_ents > 200  # the comparison covered real entities


def test_fast_ner_keeps_preset_entities() -> None:
    """A document with entities already set goes through spaCy's own decoder, which honours them."""
    from spacy.tokens import Span

    nlp = parse_mod.get_nlp()
    fast = nlp.get_pipe(FACTORY)
    assert isinstance(fast, FastEntityRecognizer)
    doc = nlp.make_doc("Acme Widgets hired Mary Jones in Paris.")
    for name, proc in nlp.pipeline:
        if name != FACTORY:
            doc = proc(doc)
    doc.set_ents([Span(doc, 0, 2, label="PRODUCT")], default="unmodified")
    out = fast(doc)
    assert [(e.text, e.label_) for e in out.ents][0] == ("Acme Widgets", "PRODUCT")
    assert any(e.label_ == "PERSON" for e in out.ents)


def test_a_title_abbreviation_does_not_end_the_sentence() -> None:
    """The model's tokenizer splits "Lt." and "Capt." from their period and the parser then starts a
    sentence inside the name; the titles are special cases, so the speaker keeps the whole phrase."""
    from storyline.nlp.parse import parse
    from storyline.nlp.quotes import extract_quotes

    text = "Air Force 1st Lt. Tyler Livingston said the base would stay open."
    assert len(list(parse(text).sents)) == 1
    (q,) = extract_quotes(text)
    assert (q.speaker, q.speaker_mention) == ("Tyler Livingston", "Air Force 1st Lt. Tyler Livingston")
    assert len(list(parse("Army Capt. Jane Smith said so. She left.").sents)) == 2


def test_a_dateline_is_a_sentence_of_its_own() -> None:
    """'LA CROSSE, Wis. — Gov. Jane Smith said': the parser had taken the dateline for the subject;
    a sentence starts after the dash, so the speaker is the governor. A dash inside a sentence that
    does not open with words in capitals starts nothing."""
    from storyline.nlp.parse import parse
    from storyline.nlp.quotes import extract_quotes

    text = "LA CROSSE, Wis. — Gov. Jane Smith said on Monday that the plant would close."
    assert [s.text for s in parse(text).sents][0] == "LA CROSSE, Wis. —"
    (q,) = extract_quotes(text)
    assert (q.speaker, q.text) == ("Jane Smith", "that the plant would close")
    assert len(list(parse("The NAACP - a civil rights group - said the vote was unfair.").sents)) == 1
    assert len(list(parse("WASHINGTON (AP) — Officials said the plan would fail.").sents)) == 2
    # the horizontal bar some outlets set after their datelines
    assert [s.text for s in parse("WASHINGTON ― The plan would fail, officials said.").sents][0] == "WASHINGTON ―"
    # a wire's dateline with the day of the month
    assert [s.text for s in parse("OSLO, Dec. 29 (Reuters) - The plan would fail, officials said.").sents][0] \
        == "OSLO, Dec. 29 (Reuters) -"


def test_a_prefix_stays_joined_to_its_word() -> None:
    """spaCy splits "re-elected" into "re", "-", "elected", which the model never saw (its treebank
    keeps such prefixes attached) and parses as three heads: "was re-elected to her post" became a
    report with cue "re". Joined, the verb is one passive participle and nothing is reported."""
    from storyline.nlp.parse import parse
    from storyline.nlp.quotes import extract_quotes

    doc = parse("The co-founder was re-elected to her leadership post; anti-abortion groups and the front-runner "
                "cheered.")
    words = [t.text for t in doc]
    assert {"co-founder", "re-elected", "anti-abortion"} <= set(words)
    assert "front" in words  # other compounds are split as before
    assert next(t for t in doc if t.text == "re-elected").tag_ == "VBN"
    assert extract_quotes("Nancy Smith was re-elected to her leadership post Wednesday morning.") == []
