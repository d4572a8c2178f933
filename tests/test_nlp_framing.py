"""storyline.nlp.framing: loaded terms with offsets, the sentence decision, pinned weights."""

from __future__ import annotations

import numpy as np

from storyline.nlp import framing as fr
from storyline.weights import PINNED, sha256_file, verified_path


def test_weights_are_pinned_and_verified():
    path = verified_path("framing.json")
    assert sha256_file(path) == PINNED["framing.json"].sha256


def test_actor_label_rule_spans():
    s = "Observers say the communist regime jailed a radical activist and hard-line officials."
    terms = fr.loaded_terms(s, {})
    texts = [(t.text, t.kind) for t in terms]
    assert ("communist regime", "actor_label") in texts
    assert ("radical activist", "actor_label") in texts
    assert ("hard-line officials", "actor_label") in texts
    for t in terms:
        assert s[t.start : t.end] == t.text


def test_neutral_sentence_has_no_rule_terms():
    assert fr.loaded_terms("The council met on Tuesday to discuss the city budget.", {}) == []


def test_lexicon_matches_inflections():
    lex = {fr.stem("slam"): 0.8}
    terms = fr.loaded_terms("The senator slammed the proposal.", lex)
    assert [t.text for t in terms] == ["slammed"]


def test_learn_lexicon_keeps_words_marked_often():
    rows = [("They made an absurd claim.", ["absurd"])] * 3 + [("The claim was filed.", [])] * 3
    lex = fr.learn_lexicon(rows)
    assert fr.stem("absurd") in lex and fr.stem("claim") not in lex


def test_decision_separates_loaded_from_plain_and_is_deterministic():
    f = fr.Framing()
    sents = [
        "The city council approved the budget on Tuesday by a vote of 7 to 2.",
        "The shameless, corrupt regime keeps spewing its absurd propaganda to fool gullible voters.",
    ]
    a = f.analyse(sents)
    assert not a[0].biased and a[1].biased
    assert a[1].score > a[0].score
    assert any(t.kind == "actor_label" for t in a[1].terms)
    b = fr.Framing().analyse(sents)
    assert a == b
    assert np.array_equal(f.score(sents), f.score(sents))


def test_terms_in_offsets_index_the_text():
    f = fr.Framing()
    text = "Rain fell. Critics blasted the so-called reform as a brazen stunt."
    spans = [(0, 10), (11, len(text))]
    terms = f.terms_in(text, spans)
    assert terms and all(text[t.start : t.end] == t.text for t in terms)
    assert {"blasted", "so-called"} <= {t.text for t in terms}


class _CountingEncoder:
    """Wraps the shared encoder and records every text it embeds."""

    def __init__(self) -> None:
        from storyline.embed import shared_encoder

        self.inner = shared_encoder()
        self.seen: list[str] = []

    def encode(self, texts, *, batch_size=32):
        self.seen += list(texts)
        return self.inner.encode(texts, batch_size=batch_size)


def test_words_outside_the_table_are_scored_once_by_the_word_model():
    enc = _CountingEncoder()
    f = fr.Framing(enc)
    assert f.words.model is not None and len(f.words.known) > 10_000
    table_word = next(iter(f.words.table))
    novel = "glorptastically"  # in no vocabulary: embedded alone, scored, cached for the process
    fr._WORD_CACHE.pop(novel, None)
    f.terms(f"The {table_word} plan was {novel} bad.")
    assert novel in enc.seen and table_word not in enc.seen and "the" not in enc.seen
    assert 0.0 <= fr._WORD_CACHE[novel] <= 1.0
    n = len(enc.seen)
    f.terms(f"Another {novel} remark.")
    assert len(enc.seen) == n  # cached
    assert f.words.get(novel) == fr._WORD_CACHE[novel]


def test_scores_do_not_depend_on_what_was_scored_before():
    sents = ["Critics called the flimflammery a grotesque, unhinged spectacle.",
             "The committee will meet again on Thursday."]
    fr._WORD_CACHE.clear()
    a = fr.Framing().score(sents)
    b = fr.Framing().score(sents[::-1])[::-1]
    assert np.allclose(a, b)
