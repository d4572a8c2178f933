"""Claims: units, propositions, names, grouping, stances, and the seeds' acceptance."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyline.model import Article, Quote
from storyline.nlp.claims import (
    ClaimsStage,
    claim_units,
    group_claims,
    names_agree,
    names_in,
    proposition,
)
from storyline.nlp.quotes import QuotesStage
from storyline.pipeline import Pipeline
from storyline.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_proposition_neutralises_denial_and_negation() -> None:
    assert proposition("that the council has never raised the fare") == "the council has raised the fare"
    got = proposition("any involvement in the tender", "Harbour Board", rejecting=True)
    assert got == "Harbour Board involvement in the tender"
    assert "accusations" not in proposition("the accusations of bid rigging", "X", rejecting=True)
    # what an allegation is about, without the words that wrap it ("criticised X for making ...")
    got = proposition("the council for making baseless accusations about the ferry tender in Kessling")
    assert got == "the ferry tender in Kessling"
    # (a subject pronoun opening the holder's clause stands for the holder: "X denied the allegations
    # that it rigged the tender" is about X, as others state it)
    assert proposition("the allegations that it rigged the tender", "X", rejecting=True) == "X rigged the tender"
    assert proposition("that it has not paid any ransom", "Acme") == "Acme has paid ransom"
    assert proposition("it is clear that the tender was rigged", "Acme") == "it is clear that the tender was rigged"


def test_names_acronyms_and_demonyms() -> None:
    n = names_in("the United States said Canadian ships left")
    assert {"united", "states", "us", "canadian"} <= n
    assert names_agree(frozenset({"canada"}), frozenset({"canadian"})) is True
    assert names_agree(frozenset({"us"}), names_in("the United States")) is True
    assert names_agree(frozenset({"sweden"}), frozenset({"finland"})) is False
    assert names_agree(frozenset(), frozenset({"finland"})) is None


class _BagEncoder:
    """A deterministic bag-of-words encoder, so grouping is tested without the model."""

    name = "bag"

    def encode(self, texts, *, batch_size: int = 32):  # noqa: ANN001
        vocab: dict[str, int] = {}
        rows = []
        for t in texts:
            rows.append([vocab.setdefault(w.lower().strip(",."), len(vocab)) for w in t.split()])
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, r in enumerate(rows):
            for j in r:
                out[i, j % 256] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, language="en")


def _quote(aid: str, text: str, content: str, speaker: str, cue: str, *, denial: bool = False) -> Quote:
    s = text.index(content)
    c = text.index(cue)
    return Quote(id=f"{aid}-{s}", article_id=aid, start=s, end=s + len(content), text=content, kind="indirect",
                 cue=cue, cue_start=c, cue_end=c + len(cue), speaker=speaker, denial=denial)


def test_report_and_denial_form_one_claim_with_stances() -> None:
    t1 = "Mayor Ruth Okafor said that the Harbour Board rigged the ferry tender in Kessling."
    t2 = "The Harbour Board denied rigging the ferry tender in Kessling, citing its audit."
    a1, a2 = _article("a1", t1), _article("a2", t2)
    q1 = _quote("a1", t1, "that the Harbour Board rigged the ferry tender in Kessling", "Ruth Okafor", "said")
    units = claim_units(a1, [q1]) + claim_units(a2, [])
    assert [u.stance for u in units] == ["reports", "denies"]
    assert units[1].holder == "The Harbour Board" or units[1].holder == "Harbour Board"
    claims = group_claims(units, _BagEncoder(), threshold=0.4)
    assert len(claims) == 1
    c = claims[0]
    assert c.holder == "Ruth Okafor"
    assert c.text.startswith("the Harbour Board rigged")
    assert {(s.article_id, s.stance) for s in c.stances} == {("a1", "reports"), ("a2", "denies")}
    for s in c.stances:
        text = t1 if s.article_id == "a1" else t2
        assert 0 <= s.start < s.end <= len(text)


def test_a_holder_does_not_deny_their_own_negative_statement() -> None:
    """Two outlets carry one minister's negative statement; one version reads as negated content (a
    denial on its own), but within the claim the holder is the one the other version reports: both
    report it. Another holder's denial stays a denial."""
    t1 = "Minister Ana Colvin said that tariffs cannot fix the deficit in Norland."
    t2 = "Minister Ana Colvin said tariffs cannot fix the deficit in Norland, officials recalled."
    t3 = "The Trade Office denied that tariffs cannot fix the deficit in Norland."
    q1 = _quote("a1", t1, "that tariffs cannot fix the deficit in Norland", "Ana Colvin", "said")
    q2 = _quote("a2", t2, "tariffs cannot fix the deficit in Norland", "Ana Colvin", "said", denial=True)
    units = claim_units(_article("a1", t1), [q1]) + claim_units(_article("a2", t2), [q2])
    units += claim_units(_article("a3", t3), [])
    assert sorted(u.stance for u in units) == ["denies", "denies", "reports"]
    claims = group_claims(units, _BagEncoder(), threshold=0.4)
    stances = {(s.article_id, s.stance, s.holder) for c in claims for s in c.stances}
    assert ("a2", "reports", "Ana Colvin") in stances and ("a2", "denies", "Ana Colvin") not in stances
    assert any(a == "a3" and st == "denies" for a, st, _ in stances)


def test_dispute_words_make_a_dispute() -> None:
    t = "The union called the claim that wages fell last year baseless, the paper said."
    q = Quote(id="q", article_id="u", start=t.index("the claim"), end=t.index(", the paper"),
              text="the claim that wages fell last year baseless", kind="indirect", cue="called", speaker="Union")
    units = claim_units(_article("u", t), [q])
    assert units and units[0].stance == "disputes"
    assert units[0].proposition == "wages fell last year"  # a clause: the holder is not its actor


def test_different_actors_stay_apart() -> None:
    texts = {"a": "Officials said that Canada tried to sway the vote.",
             "b": "Officials said that Finland tried to sway the vote.",
             "c": "Officials said that Canadian envoys tried to sway the vote."}
    u = []
    for aid, t in texts.items():
        content = t[t.index("that"):-1]
        u += claim_units(_article(aid, t), [_quote(aid, t, content, "Officials", "said")])
    claims = group_claims(u, _BagEncoder(), threshold=0.75)
    groups = sorted(sorted({s.article_id for s in c.stances}) for c in claims)
    assert groups == [["a", "c"], ["b"]] or groups == [["a", "c"]]


# --- seeds ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_claims(tmp_path_factory: pytest.TempPathFactory):
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    db = tmp_path_factory.mktemp("claims") / "s.db"
    with Store(db) as store:
        Pipeline(store, detect_language=False).add([str(SEEDS)])
        arts = store.list_articles()
    names = {a.id: Path(a.path or "").name[:3] for a in arts}
    res = QuotesStage().process(arts)
    claims = ClaimsStage(checkworthy=False).process(arts, res.quotes, {a.id: "one" for a in arts})
    return names, claims, {a.id: a.text for a in arts}


def _interference(claims, names):  # noqa: ANN001, ANN202
    hits = [c for c in claims
            if {names[s.article_id] for s in c.stances if s.stance == "denies"} >= {"000", "001", "002", "004"}]
    return hits


def test_seed_interference_claim_is_one_claim(seed_claims) -> None:  # noqa: ANN001
    names, claims, texts = seed_claims
    hits = _interference(claims, names)
    assert len(hits) == 1, [c.text for c in claims]
    c = hits[0]
    assert "interfere" in c.text.lower()
    reported = {names[s.article_id] for s in c.stances if s.stance == "reports"}
    assert {"000", "001", "002", "003"} <= reported
    assert "Blinken" in (c.holder or "")
    deny004 = [s for s in c.stances if names[s.article_id] == "004" and s.stance == "denies"]
    assert len(deny004) == 1
    who = f"{deny004[0].holder} {deny004[0].holder_role}"
    assert "Lin Jian" in who and "Foreign Ministry" in who
    for s in c.stances:
        assert 0 <= s.start < s.end <= len(texts[s.article_id])
        assert s.text and s.text[:12] in texts[s.article_id][s.start:s.end]
    # every other claim that one of the denials could belong to is a different one
    for other in claims:
        if other is not c:
            assert not any(s.stance == "denies" and names[s.article_id] in ("002",) for s in other.stances)


def test_seed_russian_denial_is_not_the_chinese_claim(seed_claims) -> None:  # noqa: ANN001
    names, claims, _ = seed_claims
    c = _interference(claims, names)[0]
    assert all("Peskov" not in (s.holder or "") for s in c.stances)
    assert any("Peskov" in (s.holder or "") and s.stance == "denies" for o in claims for s in o.stances)


def test_seed_claims_are_deterministic(seed_claims) -> None:  # noqa: ANN001
    names, claims, texts = seed_claims
    arts = [Article(id=i, text=t, language="en") for i, t in sorted(texts.items())]
    res = QuotesStage().process(arts)
    again = ClaimsStage(checkworthy=False).process(arts, res.quotes, {a.id: "one" for a in arts})
    assert [c.to_dict() for c in again] == [c.to_dict() for c in claims]


# --- what a rejection rejects, statements, negative statements -----------------------------------


def test_rejection_kinds_tell_acts_from_denials() -> None:
    from storyline.nlp.claims import rejection_kinds

    cases = {
        "The assembly on Tuesday rejected the mayor's veto of a bill letting tenants sue the landlord.": None,
        "The assembly rejected the budget by a wide margin.": None,
        "The clerk denied bail to the suspect.": None,
        "She denied the allegations.": "anaphor",  # what was alleged is stated before, if anywhere
        "She denied allegations.": None,  # not in this sentence, and no determiner points back to it
        "A spokesman declined to confirm or deny whether the talks had stalled.": None,
        "The council rejected the claims that it had raised the fares.": "allegation",
        "She dismissed reports of a rift in the cabinet as nonsense.": "allegation",
        "The firm denied any wrongdoing.": "involvement",
        "The firm denied paying the bribes.": "gerund",
        "The firm denied it had paid the bribes.": "clause",
    }
    verbs = ("rejected", "denied", "deny", "dismissed")
    items = [(s, min(s.index(v) for v in verbs if v in s)) for s in cases]
    assert dict(zip(cases, rejection_kinds(items))) == cases


def test_rejecting_a_thing_is_an_act_not_a_denial() -> None:
    """"The assembly rejected the mayor's veto" does not deny that the assembly would override it."""
    t1 = "The assembly is set to override the mayor's veto of the harbour bill on Tuesday."
    t2 = "The assembly on Tuesday rejected the mayor's veto of the harbour bill by a wide margin."
    q = _quote("a2", t2, "the mayor's veto of the harbour bill by a wide margin", "The assembly", "rejected")
    units = claim_units(_article("a2", t2), [q])
    assert all(u.stance != "denies" for u in units)
    units += claim_units(_article("a1", t1), [])
    claims = group_claims(units, _BagEncoder(), threshold=0.3)
    assert all(s.stance != "denies" for c in claims for s in c.stances)


def test_a_denial_joins_only_a_claim_it_is_about() -> None:
    """A denial grouped by loose similarity with a claim it shares no content with stays apart."""
    t1 = "Mayor Ruth Okafor said that the Harbour Board rigged the ferry tender in Kessling."
    t2 = "In Kessling, the Harbour Board denied that its chairman lost the shipping ledgers."
    q1 = _quote("a1", t1, "that the Harbour Board rigged the ferry tender in Kessling", "Ruth Okafor", "said")
    units = claim_units(_article("a1", t1), [q1]) + claim_units(_article("a2", t2), [])
    assert sorted(u.stance for u in units) == ["denies", "reports"]
    claims = group_claims(units, _BagEncoder(), threshold=-1.0)  # everything would be one group
    assert all({s.article_id for s in c.stances} != {"a1", "a2"} for c in claims)
    assert any(s.stance == "denies" and "ledgers" in (s.text or "") for c in claims for s in c.stances)


def test_fragments_are_not_claims() -> None:
    """A quote's content must be a statement: a bare noun phrase ("the mayor's concerns", under
    "dismissed ... as "weak""), an infinitive or an indirect question is none; a proposition noun with
    its clause ("her insistence that ...") gives the clause."""
    t = ("The senator dismissed the mayor's concerns as \"weak\". The unions urged the assembly to override "
         "the veto. Reporters asked whether the port would close. Ms Dunne repeated her insistence that "
         "the ferry fares rose by half in Kessling.")
    a = _article("f", t)
    qs = [
        Quote(id="q1", article_id="f", start=t.index("weak"), end=t.index("weak") + 4, text="weak", kind="partial",
              cue="dismissed", cue_start=t.index("dismissed"), cue_end=t.index("dismissed") + 9, speaker="Senator"),
        _quote("f", t, "to override the veto", "The unions", "urged"),
        _quote("f", t, "whether the port would close", "Reporters", "asked"),
        _quote("f", t, "her insistence that the ferry fares rose by half in Kessling", "Dunne", "repeated"),
    ]
    units = claim_units(a, qs)
    assert [u.text for u in units] == ["the ferry fares rose by half in Kessling"]
    assert t[units[0].start:units[0].end].startswith("the ferry fares rose")


def test_a_negative_statement_alone_is_reported_not_a_denial() -> None:
    """Negated content under a neutral cue is the holder's own statement unless someone else states
    the affirmative; the claim keeps the negative wording."""
    t1 = "The ministry said the new levy does not apply to family farms in Norland."
    t2 = "Officials at the ministry said that the new levy does not apply to family farms in Norland."
    q1 = _quote("a1", t1, "the new levy does not apply to family farms in Norland", "The ministry", "said")
    q2 = _quote("a2", t2, "that the new levy does not apply to family farms in Norland", "Officials", "said")
    q1.denial = q2.denial = True
    units = claim_units(_article("a1", t1), [q1]) + claim_units(_article("a2", t2), [q2])
    claims = group_claims(units, _BagEncoder(), threshold=0.4)
    assert len(claims) == 1
    assert {s.stance for s in claims[0].stances} == {"reports"}
    assert "does not apply" in claims[0].text
    # against someone else's affirmative version it is a denial
    t3 = "Farm groups said that the new levy applies to family farms in Norland."
    q3 = _quote("a3", t3, "that the new levy applies to family farms in Norland", "Farm groups", "said")
    claims = group_claims(units + claim_units(_article("a3", t3), [q3]), _BagEncoder(), threshold=0.4)
    assert {(s.article_id, s.stance) for c in claims for s in c.stances} >= {("a1", "denies"), ("a3", "reports")}


def test_proposition_vectors_kept_in_a_lasting_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regrouping in a new process (empty in-process cache) embeds only propositions the store lacks."""
    from storyline.nlp import claims as claims_mod

    calls: list[list[str]] = []

    class Counting(_BagEncoder):
        name = "counting-bag"

        def encode(self, texts, *, batch_size: int = 32):  # noqa: ANN001
            calls.append(list(texts))
            return super().encode(texts, batch_size=batch_size)

    t1 = "Mayor Ruth Okafor said that the Harbour Board rigged the ferry tender in Kessling."
    t2 = "The Harbour Board denied rigging the ferry tender in Kessling, citing its audit."
    q1 = _quote("a1", t1, "that the Harbour Board rigged the ferry tender in Kessling", "Ruth Okafor", "said")
    units = claim_units(_article("a1", t1), [q1]) + claim_units(_article("a2", t2), [])
    with Store(":memory:") as store:
        monkeypatch.setattr(claims_mod, "_PROP_CACHE", claims_mod.OrderedDict())
        first = group_claims(units, Counting(), threshold=0.4, vector_cache=store)
        assert len(calls) == 1 and len(calls[0]) == 2
        assert store.info()["cached_text_vectors"] == {"counting-bag": 2}
        monkeypatch.setattr(claims_mod, "_PROP_CACHE", claims_mod.OrderedDict())  # a new process
        again = group_claims(units, Counting(), threshold=0.4, vector_cache=store)
        assert len(calls) == 1  # nothing embedded a second time
        assert again == first


def test_a_gapped_relative_clause_is_no_claim() -> None:
    """'sanctions, which she said the allies could impose over X': what was said lacks its object (the
    pronoun's noun), so it is no statement of its own; a plain report in the same text still is."""
    t = ("The minister gave a warning on sanctions, which Ana Colvin said the allies could impose over "
         "the port deal. Ana Colvin said that the allies had frozen the port accounts.")
    gap = t.index("the allies could impose")
    q1 = Quote(id="q1", article_id="a", start=gap, end=t.index(". Ana"), text=t[gap:t.index(". Ana")],
               kind="indirect", cue="said", cue_start=t.index("said"), cue_end=t.index("said") + 4,
               speaker="Ana Colvin", speaker_start=t.index("Ana"), speaker_end=t.index("Ana") + 10)
    q2 = _quote("a", t, "that the allies had frozen the port accounts", "Ana Colvin", "said that")
    q2 = replace(q2, speaker_start=t.rindex("Ana Colvin"), speaker_end=t.rindex("Ana Colvin") + 10)
    units = claim_units(_article("a", t), [q1, q2])
    assert [u.text for u in units] == ["the allies had frozen the port accounts"]


def test_a_cue_with_its_auxiliaries_keeps_its_stance() -> None:
    """Cues carry their auxiliaries and adverbs ("has flatly rejected", "have openly questioned"):
    the verb still tells the stance, and a negated cue ("did not dispute") neither denies nor disputes."""

    def stances(cue: str) -> list[str]:
        t = f"The board {cue} that the ferry tender in Kessling was rigged by the mayor."
        q = _quote("a", t, "that the ferry tender in Kessling was rigged by the mayor", "The board", cue)
        return [u.stance for u in claim_units(_article("a", t), [q])]

    assert stances("has flatly rejected") == ["denies"]
    assert stances("have openly questioned") == ["disputes"]
    assert stances("has said") == ["reports"]
    assert "disputes" not in stances("did not dispute") and "denies" not in stances("has never denied")
    assert stances("pushed back against") == stances("said") == ["reports"]  # (the verb is "pushed")
    from storyline.nlp.claims import _cue_verb

    t = "The council did not argue for a new ferry tender."
    q = _quote("c", t, "a new ferry tender", "The council", "did not argue for")
    assert _cue_verb(q) == ("argue", t.index("argue"))  # what the negation test reads before


def test_a_rejection_of_the_report_denies_what_was_reported_before() -> None:
    """"According to X, the minister urged a delay. The ministry denied the report." and "A
    spokesperson said the claim was 'simply false'": the rejection points back to the statements
    reported just before it; the outlet's own sentences and statements further back are not it."""
    from storyline.nlp.claims import claim_units
    from storyline.nlp.quotes import extract_quotes

    text = ("The bank raised its rate to 4.75 per cent on Wednesday.\n\n"
            "According to The Northgate Times, the finance minister privately urged the governor to delay the "
            "increase until after the trade talks. The paper said he raised the issue at a meeting on May 9.\n\n"
            "The finance ministry flatly denied the report. A spokesperson, Oskar Renning, said the claim was "
            "“simply false”.")
    art = Article(id="a1", input_kind="text", text=text, status="ok")
    units = claim_units(art, extract_quotes(text, article_id="a1"))
    rejected = sorted((u.stance, u.holder, u.text) for u in units if u.stance in ("denies", "disputes"))
    urged = "the finance minister privately urged the governor to delay the increase until after the trade talks"
    assert rejected == [
        ("denies", "The finance ministry", "he raised the issue at a meeting on May 9"),
        ("denies", "The finance ministry", urged),
        ("disputes", "Oskar Renning", "he raised the issue at a meeting on May 9"),
        ("disputes", "Oskar Renning", urged),
    ]


def test_a_claim_known_only_from_its_denial_reads_as_the_first_sentence() -> None:
    """A claim whose only units deny or dispute it is worded as what they reject, affirmatively: the
    first sentence, not the rejection that follows it in the same quotation."""
    text = "“The minister has never sought to influence a rate decision. The claim is simply false,” Renning said."
    s = text.index("The minister")
    e = text.index(",”")
    q = Quote(id="a1-q", article_id="a1", start=s, end=e, text=text[s:e], kind="direct", cue="said",
              cue_start=text.index("said"), cue_end=text.index("said") + 4, speaker="Oskar Renning")
    claims = group_claims(claim_units(_article("a1", text), [q]), _BagEncoder(), threshold=0.4)
    assert [(c.text, [s.stance for s in c.stances]) for c in claims] == [
        ("The minister has sought to influence a rate decision.", ["disputes"])]


def test_a_verdict_later_in_a_quotation_also_points_back() -> None:
    """'"The minister has never sought to influence a decision. The claim is simply false," he said':
    the quotation is a statement of its own, and its verdict disputes the claim reported before it."""
    from storyline.nlp.claims import claim_units
    from storyline.nlp.quotes import extract_quotes

    text = ("According to The Northgate Times, the finance minister privately urged the governor to delay the "
            "increase until after the trade talks.\n\n"
            "“The minister has never sought to influence a rate decision. The claim is simply false,” ministry "
            "spokesperson Oskar Renning said.")
    art = Article(id="a1", input_kind="text", text=text, status="ok")
    units = claim_units(art, extract_quotes(text, article_id="a1"))
    rejected = sorted((u.stance, u.text[:40]) for u in units if u.stance in ("denies", "disputes"))
    assert rejected == [("disputes", "The minister has never sought to influen"),
                        ("disputes", "the finance minister privately urged the")]


def test_claim_text_keeps_a_closing_mark_whose_quotation_opened_inside() -> None:
    """'the decision was “the bank's call to make”': stripping the closing mark left the quotation
    open in the claims table; a wholly quoted or cut-off mark at an end still goes."""
    from storyline.nlp.claims import _clean

    assert _clean("the decision was “the bank’s call to make”") == "the decision was “the bank’s call to make”"
    assert _clean('he called it "absurd"') == 'he called it "absurd"'
    assert _clean(" , “Monetary policy cannot solve a trade war.” ") == "Monetary policy cannot solve a trade war."
    assert _clean("the plan is dead”") == "the plan is dead"


def test_a_denial_of_something_else_by_a_holder_quoted_beside_it_stays_a_denial() -> None:
    """'Gerald Pruitt denied that he had known about the early results' and, later, 'he said he was
    stepping down': the holder's name, read for "he" in both, made them one claim where the denial
    turned into Pruitt's own statement. It is a claim of its own, denied, worded with his name."""
    t = ("Gerald Pruitt denied that he had known about the early results of the water tests. "
         "Gerald Pruitt said he was stepping down so that the water board can rebuild trust.")
    q1 = _quote("a", t, "that he had known about the early results of the water tests", "Gerald Pruitt", "denied",
                denial=True)
    q2 = _quote("a", t, "he was stepping down so that the water board can rebuild trust", "Gerald Pruitt", "said")
    q1 = replace(q1, speaker_start=0, speaker_end=13)
    at = t.index("Gerald Pruitt said")
    q2 = replace(q2, speaker_start=at, speaker_end=at + 13)
    units = claim_units(_article("a", t), [q1, q2])
    assert sorted(u.stance for u in units) == ["denies", "reports"]
    claims = group_claims(units, _BagEncoder(), threshold=-1.0)  # everything would be one group
    denied = [c for c in claims if any(s.stance == "denies" for s in c.stances)]
    assert len(denied) == 1
    assert denied[0].text == "Gerald Pruitt had known about the early results of the water tests"
    assert {s.stance for s in denied[0].stances} == {"denies"}


def test_a_claim_reads_with_its_holder_for_an_opening_pronoun() -> None:
    """'The authority said it would hand out free filters' in two outlets: the claim reads "Halden
    Water Authority would hand out ...", not "it would ..."; "they" may be others and stays."""
    t1 = "The Halden Water Authority said it would hand out free filters to every home from Tuesday."
    t2 = "Halden Water Authority said it would hand out free filters to every home from Tuesday, officials added."
    q1 = _quote("a1", t1, "it would hand out free filters to every home from Tuesday", "Halden Water Authority", "said")
    q2 = _quote("a2", t2, "it would hand out free filters to every home from Tuesday", "Halden Water Authority", "said")
    units = claim_units(_article("a1", t1), [q1]) + claim_units(_article("a2", t2), [q2])
    claims = group_claims(units, _BagEncoder(), threshold=0.4)
    assert [c.text for c in claims] == ["Halden Water Authority would hand out free filters to every home from Tuesday"]
    t3 = "A lawyer for the families, Beatriz Olmos, said they would sue the water authority over the filters."
    q3 = _quote("a3", t3, "they would sue the water authority over the filters", "Beatriz Olmos", "said")
    t4 = t3.replace("A lawyer", "Another lawyer")
    q4 = _quote("a4", t4, "they would sue the water authority over the filters", "Beatriz Olmos", "said")
    units = claim_units(_article("a3", t3), [q3]) + claim_units(_article("a4", t4), [q4])
    assert [c.text for c in group_claims(units, _BagEncoder(), threshold=0.4)] == [
        "they would sue the water authority over the filters"]
    t5 = "The mayor, Teodora Vance, now says she'll borrow $60 million to replace the lead pipes."
    q5 = _quote("a5", t5, "she'll borrow $60 million to replace the lead pipes", "Teodora Vance", "says")
    q6 = replace(q5, id="a6-x", article_id="a6")
    units = claim_units(_article("a5", t5), [q5]) + claim_units(_article("a6", t5), [q6])
    assert [c.text for c in group_claims(units, _BagEncoder(), threshold=0.4)] == [
        "Teodora Vance will borrow $60 million to replace the lead pipes"]


def test_a_relative_clause_marked_whole_is_no_claim() -> None:
    """'talks on AI, which he said would take place in the coming weeks': PolNeAR's annotators mark
    the relative clause whole, speaker and cue inside; it lacks its subject, so it is no claim."""
    t = "Smith announced talks on trade, which he said would take place in the coming weeks in Geneva."
    c = t.index("which")
    q = Quote(id="q", article_id="a", start=c, end=len(t) - 1, text=t[c:-1], kind="indirect", cue="said",
              cue_start=t.index("said"), cue_end=t.index("said") + 4, speaker="Smith",
              speaker_start=t.index(" he ") + 1, speaker_end=t.index(" he ") + 3)
    assert claim_units(_article("a", t), [q]) == []


class _Scorer:
    """A check-worthiness stand-in: sentences with a digit score 0.9, others 0.1."""

    threshold = 0.5

    def score(self, sentences, vectors=None):  # noqa: ANN001, ANN201
        return np.array([0.9 if any(ch.isdigit() for ch in s) else 0.1 for s in sentences])


def test_a_holders_statement_is_scored_by_its_sentence() -> None:
    """A statement one outlet alone reports is kept as a claim when its sentence is check-worthy ("the
    laboratory received the first failing samples on April 9"), not when it is not."""
    t = ("The state report said the laboratory had received the first failing samples on April 9. "
         "The mayor said the city had been let down by its water board.")
    q1 = _quote("a", t, "the laboratory had received the first failing samples on April 9", "the state report", "said")
    q2 = _quote("a", t, "the city had been let down by its water board", "The mayor", "said")
    units = claim_units(_article("a", t), [q1, q2], sentences=[(0, t.index(" The mayor")), (t.index("The mayor"), len(t))],
                        checkworthy=_Scorer())
    assert [u.score for u in units] == [0.9, 0.1]
    claims = group_claims(units, _BagEncoder(), threshold=0.9, checkworthy_threshold=0.5)
    assert [c.text for c in claims] == ["the laboratory had received the first failing samples on April 9"]


def test_no_evidence_that_x_disputes_x() -> None:
    """"There is no evidence that any patient was put at risk": what is disputed is that a patient was
    put at risk, and the claim reads so."""
    assert proposition("There is no evidence that any patient was put at risk") == "patient was put at risk"


def test_it_never_stands_for_a_person_holder() -> None:
    """"The study's own lead author admits that it only shows an association": "it" is the study, not
    the author; an organisation's "it" still reads as the organisation."""
    t = "The study's own lead author admits that it only shows an association between walking and memory."
    q = _quote("a", t, "that it only shows an association between walking and memory",
               "The study's own lead author", "admits")
    (u,) = claim_units(_article("a", t), [q])
    assert u.proposition.startswith("it only shows")
    q2 = replace(q, speaker="Dr. Jane Smith", speaker_type="PERSON")
    (u2,) = claim_units(_article("a", t), [q2])
    assert u2.proposition.startswith("it only shows")
    q3 = replace(q, speaker="Acme Labs", speaker_type="ORG")
    (u3,) = claim_units(_article("a", t), [q3])
    assert u3.proposition.startswith("Acme Labs only shows")


def test_a_holder_put_in_for_i_gives_no_name_in_common() -> None:
    """"I have given everything to this club" by Okafor is matched by its words, not by the name put in
    for "I": it shares no name with "the club had made Okafor the best offer"."""
    t1 = "Daniel Okafor said: I have given everything to this club, but it is time for a new challenge."
    q1 = _quote("a1", t1, "I have given everything to this club, but it is time for a new challenge",
                "Daniel Okafor", "said")
    (u,) = claim_units(_article("a1", t1), [q1])
    assert u.proposition.startswith("Daniel Okafor have given")
    assert not u.names


def _units(text: str, article_id: str = "a1") -> list:
    """The claim units of ``text`` read as one article, from its own quotes."""
    from storyline.nlp.claims import claim_units
    from storyline.nlp.quotes import extract_quotes

    return claim_units(Article(id=article_id, input_kind="text", text=text, status="ok"),
                       extract_quotes(text, article_id=article_id))


def test_a_disputed_account_is_the_one_in_its_paragraph_and_a_report_inside_it_is_no_claim() -> None:
    """"The authority said it had opened an investigation. ¶ A researcher said the data was sold three
    days before Norvik said it found the breach. Norvik disputed that account": Norvik disputes the
    researcher's account (not the authority's statement a paragraph before), and "Norvik said it found
    the breach", inside the researcher's words, is no unit of its own."""
    text = ("The data protection authority said it had opened an investigation into the breach.\n\n"
            "A security researcher, Lotte Brandsma, said the data had been offered for sale on Oct. 18, three days "
            "before Norvik said it found the breach. Norvik disputed that account, saying the files did not "
            "match its systems.")
    units = _units(text, "a1")
    denied = [(u.holder, u.text[:29]) for u in units if u.stance in ("denies", "disputes")]
    assert denied == [("Norvik", "the data had been offered for")]
    assert not any(u.text == "it found the breach" for u in units)


def test_what_an_outlet_relays_is_the_speakers_statement() -> None:
    """'"We failed to protect our customers' data," the chief executive said, according to Harbor
    Wire': one unit, the chief executive's; the relay is no statement of Harbor Wire's."""
    text = ('"We failed to protect the information that people trusted us with, and I am deeply sorry," chief '
            'executive Ingrid Halvorsen said, according to Harbor Wire.')
    units = _units(text, "a1")
    assert [u.holder for u in units] == ["Ingrid Halvorsen"]


def test_denied_that_points_back_to_the_report_before() -> None:
    """"X reported that the club had offered Okafor a contract. The club denied that, saying ...": the
    club denies what X reported; "The council proposed a budget. The mayor rejected it." is an act."""
    text = ("The Sunday Ledger reported that the club had offered Okafor a new contract worth 90,000 pounds a "
            "week. The club denied that, saying no offer had been made.")
    units = _units(text, "a1")
    assert [(u.stance, u.holder) for u in units if u.stance == "denies"] == [("denies", "The club")]
    text = "The council proposed a new budget for the schools. The mayor rejected it."
    assert not [u for u in _units(text, "a2") if u.stance == "denies"]


def test_a_version_stating_another_figure_is_marked() -> None:
    """A version of a claim that gives another figure in place of the claim's own is marked with it;
    one that keeps the claim's figure and adds another, or states none, is not."""
    from storyline.model import Claim, ClaimStance
    from storyline.text import figures

    assert figures("about 212,000 customers in 14 towns, 4.50 each, COVID-19") == [
        ("212,000", "212000"), ("14", "14"), ("4.50", "4.5")]
    claim = Claim(id="c", text="The breach exposed data of about 212,000 customers.", holder=None)

    def st(text: str) -> ClaimStance:
        return ClaimStance(article_id="a", stance="reports", start=0, end=len(text), text=text)

    assert claim.differing_figures(st("The breach compromised data of roughly 210,000 clients.")) == ["210,000"]
    assert claim.differing_figures(st("About 241,000 people, nearly 30,000 more than first said.")) == [
        "241,000", "30,000"]
    assert claim.differing_figures(st("Data of 212,000 customers in 14 towns was exposed.")) == []
    assert claim.differing_figures(st("The breach exposed customers' data.")) == []
    assert Claim(id="d", text="The breach exposed data.", holder=None).differing_figures(st("210,000 hit")) == []
    assert claim.to_dict()["stances"] == []
