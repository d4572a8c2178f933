"""Quotes: quotation-mark scanning, frames, speakers, chains, grouping, and the seeds' acceptance."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Article
from storyline.nlp.quote_groups import group_quotes
from storyline.nlp.quotemarks import find_quoted_spans
from storyline.nlp.quotes import QuotesStage, extract_quotes
from storyline.pipeline import Pipeline
from storyline.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def seed_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The seeds' clean text, as the product stores it."""
    if not SEEDS.exists():
        pytest.skip("seeds not available")
    db = tmp_path_factory.mktemp("seeds") / "s.db"
    with Store(db) as store:
        Pipeline(store, detect_language=False).add([str(SEEDS)])
        return {Path(a.path or "").name[:3]: a.text for a in store.list_articles()}


def test_quote_marks_of_every_style() -> None:
    text = ('He said "straight one" and “curly one” and «guillemets» and ‘single one’ but don’t split '
            "on the apostrophe in 'tis or rock 'n' roll.")
    got = [text[q.start:q.end] for q in find_quoted_spans(text)]
    assert got[:4] == ["straight one", "curly one", "guillemets", "single one"]


def test_multi_paragraph_quote_is_one_span() -> None:
    text = ("“We will rebuild the bridge this year,” the mayor said. “The money is there.\n\n"
            "“The contracts are signed and the crews start on Monday,” she added.")
    spans = [text[q.start:q.end] for q in find_quoted_spans(text)]
    assert spans[1].startswith("The money is there.") and spans[1].endswith("start on Monday,")
    assert len(spans) == 2


def test_direct_indirect_partial_pronoun_and_description() -> None:
    text = ("Harbour Authority chief executive Maria Lindqvist opened the new terminal on Monday.\n\n"
            "“This terminal doubles what the port can handle,” Lindqvist said.\n\n"
            "“It took six years,” she added.\n\n"
            "The chief executive said that tolls would not rise before 2027.\n\n"
            "The union dismissed the plan as “reckless.”")
    qs = extract_quotes(text, article_id="x")
    direct = [q for q in qs if q.kind == "direct"]
    assert [q.text for q in direct] == ["This terminal doubles what the port can handle,", "It took six years,"]
    assert all(q.speaker == "Maria Lindqvist" for q in direct)
    assert direct[1].speaker_mention == "she" and direct[1].cue == "added"
    ind = next(q for q in qs if q.kind == "indirect")
    assert ind.speaker == "Maria Lindqvist" and ind.speaker_mention == "The chief executive"
    assert not ind.denial  # "would not rise": a forecast or a promise, not a denial
    part = next(q for q in qs if q.kind == "partial")
    assert part.text == "reckless" and part.cue == "dismissed" and part.denial


def test_chain_citing_and_per() -> None:
    text = ("Finance minister Tomas Brandt told the Valley Tribune that the budget would balance, "
            "per the Coastline Herald.")
    q = extract_quotes(text)[0]
    assert q.speaker == "Tomas Brandt"
    assert [(c.name, c.how) for c in q.chain] == [("Valley Tribune", "told"), ("Coastline Herald", "per")]


def test_grouping_trims_partials_and_alterations() -> None:
    a = extract_quotes("“We have no plans to raise the fare this winter or next,” Mayor Ruth Okafor said.",
                       article_id="a")
    b = extract_quotes("Mayor Ruth Okafor said the city has “no plans to raise the fare this winter.”",
                       article_id="b")
    c = extract_quotes("“We have no plans to raise the price this winter,” Okafor said.", article_id="c")
    groups = group_quotes(a + b + c)
    assert len(groups) == 1
    g = groups[0]
    assert set(g.quote_ids) == {a[0].id, b[0].id, c[0].id}
    assert b[0].id not in g.altered  # trimmed, not altered
    assert '"fare" -> "price"' in g.altered[c[0].id]


def test_the_wording_most_versions_share_is_the_reference() -> None:
    """Three outlets quote "the people with the least", one "the people who have the least" (one word
    longer): the odd one out is the altered version, not the majority."""
    said = "“Today’s vote asks the people {} the least to pay the most,” Jamal Whitcombe said."
    a = extract_quotes(said.format("with"), article_id="a")
    b = extract_quotes(said.format("who have"), article_id="b")
    c = extract_quotes(said.format("with"), article_id="c")
    d = extract_quotes("“Today’s vote asks the people with the least,” Jamal Whitcombe said.", article_id="d")
    (g,) = group_quotes(a + b + c + d)
    assert set(g.altered) == {b[0].id} and "with" in g.text


def test_seed_003_blinken_quotes_and_chain(seed_texts: dict[str, str]) -> None:
    qs = extract_quotes(seed_texts["003"], article_id="003")
    direct = [q for q in qs if q.kind == "direct" and q.speaker == "Antony Blinken"]
    texts = [q.text for q in direct]
    assert any(t.startswith("We have seen, generally speaking") for t in texts)
    second = next(q for q in direct if q.text.startswith("Any interference by China"))
    assert second.cue == "added" and second.speaker_mention == "he"
    for q in direct[:2]:
        assert [c.name for c in q.chain] == ["CNN", "Daily Mail"]
    assert direct[0].speaker_role and "Secretary of State" in direct[0].speaker_role
    # the description "the secretary of state" resolves to the named secretary
    desc = [q for q in qs if q.speaker_mention == "the secretary of state"]
    assert desc and all(q.speaker == "Antony Blinken" for q in desc)


def test_seed_004_spokespeople(seed_texts: dict[str, str]) -> None:
    qs = extract_quotes(seed_texts["004"], article_id="004")
    lin = next(q for q in qs if q.speaker == "Lin Jian")
    assert lin.kind == "indirect" and lin.denial
    assert "China has never interfered" in lin.text
    assert lin.speaker_role == "Chinese Foreign Ministry spokesperson"
    peskov = next(q for q in qs if q.speaker == "Dmitry Peskov")
    assert peskov.kind == "partial" and peskov.text == "absurd" and peskov.cue == "also dismissed"
    assert peskov.speaker_role == "Kremlin spokesperson" and peskov.denial


def test_stage_groups_across_seed_articles(seed_texts: dict[str, str]) -> None:
    arts = [Article(id=k, text=v) for k, v in sorted(seed_texts.items())]
    arts.append(Article(id="gone", text="x", status="dropped"))
    res = QuotesStage().process(arts, story_of={a.id: "story" for a in arts})
    assert res.articles == 5 and res.skipped == ["gone"]
    grouped = [q for q in res.quotes if q.group_id]
    assert len({q.article_id for q in grouped}) >= 2
    # the offsets index the clean text the product stores
    by_id = {a.id: a.text for a in arts}
    assert all(by_id[q.article_id][q.start:q.end] == q.text for q in res.quotes)
    # deterministic
    again = QuotesStage().process(arts, story_of={a.id: "story" for a in arts})
    assert [q.to_dict() for q in again.quotes] == [q.to_dict() for q in res.quotes]


def test_interrupted_quote_is_one_direct_quote() -> None:
    text = "“The ferry will run again,” the harbour master Ines Moreau said, “as soon as the storm passes.”"
    qs = [q for q in extract_quotes(text) if q.kind == "direct"]
    assert len(qs) == 1
    assert qs[0].text.startswith("The ferry will run again") and qs[0].text.endswith("storm passes.")
    assert qs[0].speaker == "Ines Moreau" and qs[0].cue == "said"


@pytest.mark.parametrize("text", ["", "   ", "“", "He said “", '"""', "x" * 3000, "„Hallo“, sagte er."])
def test_odd_inputs_do_not_raise(text: str) -> None:
    for q in extract_quotes(text):
        assert text[q.start:q.end] == q.text


def test_elision_is_not_a_quote() -> None:
    assert [text for text in ("rock 'n' roll",) if find_quoted_spans(text)] == []


def test_grouping_many_copies_is_fast_and_equals_pairwise(seed_texts: dict[str, str]) -> None:
    """Copies of one article carry the same quotes: grouping collapses them, with the same groups as
    comparing every pair of quotes from different articles (the reference loop below)."""
    import dataclasses
    import time

    from storyline.nlp import quote_groups as qg

    base = []
    for name, text in sorted(seed_texts.items()):
        base += extract_quotes(text, article_id=name)
    # 3 articles' quotes, then copies of the first two under new ids
    quotes = list(base)
    for k in range(4):
        quotes += [dataclasses.replace(q, id=f"{q.id}-c{k}", article_id=f"{q.article_id}-copy{k}")
                   for q in base if q.article_id in sorted(seed_texts)[:2]]

    def reference(qs_in):
        qs = sorted(qs_in, key=lambda q: (q.article_id, q.start, q.end, q.id))
        parent = list(range(len(qs)))

        def find(i):
            while parent[i] != i:
                i = parent[i]
            return i

        for i in range(len(qs)):
            for j in range(i + 1, len(qs)):
                if qs[i].article_id != qs[j].article_id and find(i) != find(j) and qg._match(qs[i], qs[j]):
                    parent[find(i)] = find(j)
        comps = {}
        for i, q in enumerate(qs):
            comps.setdefault(find(i), set()).add(q.id)
        return {frozenset(c) for c in comps.values() if len({q.article_id for q in qs if q.id in c}) > 1}

    got = {frozenset(g.quote_ids) for g in group_quotes(quotes)}
    assert got == reference(quotes)
    many = list(base)
    for k in range(300):
        many += [dataclasses.replace(q, id=f"{q.id}-m{k}", article_id=f"{q.article_id}-m{k}") for q in base]
    t = time.perf_counter()
    groups = group_quotes(many)
    assert time.perf_counter() - t < 20 and groups


def test_surname_resolves_to_full_name_and_nouns_are_no_speakers() -> None:
    text = ("Harbour Authority chief executive Maria Lindqvist opened the terminal on Monday.\n\n"
            "Lindqvist said the port would double its traffic by 2030.\n\n"
            "Concerns grew that the dredging would harm the estuary.")
    qs = extract_quotes(text, article_id="x")
    first = next(q for q in qs if q.text.startswith("the port"))
    assert first.speaker == "Maria Lindqvist"
    assert all(q.speaker != "Concerns" for q in qs)


def test_negated_speech_is_no_denial() -> None:
    text = ("Finance minister Tomas Brandt did not deny that the budget was late.\n\n"
            "Brandt never said that taxes would rise.\n\n"
            "The ministry denied that the figures were wrong.")
    qs = extract_quotes(text, article_id="x")
    by_text = {q.text.removeprefix("that "): q for q in qs}
    assert not by_text["the budget was late"].denial
    assert not by_text["taxes would rise"].denial
    assert by_text["the figures were wrong"].denial


def test_negated_infinitive_is_an_intent_not_a_denial() -> None:
    """"promised not to ...", "urged X not to ...": what the holder intends or asks for; a clause or a
    perfect infinitive with "not" still rejects something ("claimed not to have known")."""
    text = ("The mayor promised not to raise the fares.\n\n"
            "The council urged the mayor not to close the depot.\n\n"
            "The operator claimed not to have known about the faults.\n\n"
            "The operator said the depot was not unsafe.")
    by_text = {q.text: q for q in extract_quotes(text, article_id="x")}
    assert not by_text["not to raise the fares"].denial
    assert not by_text["the mayor not to close the depot"].denial
    assert by_text["not to have known about the faults"].denial
    assert by_text["the depot was not unsafe"].denial


def test_a_document_speaks_for_the_organisation_that_owns_it() -> None:
    """"The ODNI report suggested", "a study by X found", "Gallup's poll shows", then a bare "the
    report noted": the speaker is the named owner; a document with no owner named speaks as itself."""
    text = ("The Acme Institute report suggested that wages might fall. The report further noted that "
            "rents had risen.\n\nA study by Northfield University found that the program was late. "
            "Gallup's poll shows that voters are split.\n\nOther reports found that rents were flat.\n\n"
            "Mayor Ruth Okafor spoke on Monday. Okafor's remarks suggest that the depot will close.")
    by_text = {q.text.removeprefix("that "): q for q in extract_quotes(text, article_id="x")}
    assert by_text["wages might fall"].speaker == "Acme Institute"
    assert by_text["wages might fall"].speaker_mention == "The Acme Institute report"
    assert by_text["rents had risen"].speaker == "Acme Institute"
    assert by_text["the program was late"].speaker == "Northfield University"
    assert by_text["voters are split"].speaker == "Gallup"
    # other reports than the ones named: no owner, the description speaks as itself
    assert (by_text["rents were flat"].speaker, by_text["rents were flat"].speaker_type) == ("Other reports", None)
    assert by_text["the depot will close"].speaker == "Ruth Okafor"  # "remarks" (lemma "remark")
    # the document as the setting of a statement, or run by someone
    text = ("In a 48-page report, the Calder Regional Board said the pipe had leaked since January.\n\n"
            "The report also criticised the water authority for slow warnings.\n\n"
            "Nights that fail to cool down are linked to kidney injury, according to a new study led by "
            "researchers at Eastmere University.")
    speakers = [q.speaker for q in extract_quotes(text, article_id="y")]
    assert speakers == ["Calder Regional Board", "Calder Regional Board", "Eastmere University"]


def test_a_date_before_the_speaker_is_not_the_speaker() -> None:
    """"This Friday (26), US Secretary of Commerce, Jane Moss, said": the parser makes the date the
    subject and hangs the speaker on it; the speaker is the person, the date is not in the phrase."""
    for text in ("This Friday (26), US Secretary of Commerce, Jane Moss, said that the tariffs would stay.",
                 "This Friday (26), US Secretary of State, Jane Moss, told reporters that the tariffs would stay."):
        (q,) = extract_quotes(text, article_id="x")
        assert q.speaker == "Jane Moss"
        assert q.speaker_mention is not None and not q.speaker_mention.startswith("This Friday")


def test_collective_bodies_speak_and_a_headline_surname_is_the_person() -> None:
    """"The intelligence community has confirmed ...": a collective body speaks as itself (it had no
    speaker); a surname that a title-case headline made the tagger read as
    a verb is still the person named in full below."""
    text = ("Moss Reveals She Has Seen Evidence Of Fraud In The Tender\n\n"
            "Trade Secretary Jane Moss said on Monday that the tender had been rigged.\n\n"
            "The intelligence community has confirmed that the bids were forged.")
    by_text = {q.text.removeprefix("that "): q for q in extract_quotes(text, article_id="x")}
    assert by_text["the bids were forged"].speaker == "The intelligence community"
    assert by_text["She Has Seen Evidence Of Fraud In The Tender"].speaker == "Jane Moss"


def test_names_and_roles_leave_out_headline_words_forms_of_address_and_clauses() -> None:
    """A title-case headline's name ("Black Lawmakers Rip Jane Moss As A ...": the recogniser reads
    "Rip Jane Moss") is not the person's name; a role leaves out the clause that describes the person
    further ("a lawyer in Springfield who represents the port")."""
    text = ("Black Lawmakers Rip Jane Moss As A Disgusting Fraud\n\n"
            "The port's lawyer, Jane Moss, said on Monday that the fees were legal.\n\n"
            "Critics told reporters Ms. Moss was wrong. Neither Moss nor the port replied.\n\n"
            "Moss later said that she would appeal.\n\n"
            "\"We will win,\" said Tom Hale, a lawyer in Springfield who represents the port.")
    qs = extract_quotes(text, article_id="x")
    assert {q.speaker for q in qs if q.speaker and "Moss" in q.speaker} == {"Jane Moss"}
    assert {q.speaker_role for q in qs if q.speaker == "Tom Hale"} == {"lawyer in Springfield"}


def test_an_as_clause_reports_its_main_clause_only_when_it_says_nothing_itself() -> None:
    """"As the mayor argued last week, the budget is too small": the mayor's words; "As the city
    responds to these challenges, it reaffirms ...": the city responds to something, it reports nothing."""
    said = extract_quotes("As the mayor argued last week, the budget is too small.", article_id="x")
    assert [(q.text, q.speaker) for q in said] == [("the budget is too small", "the mayor")]
    acted = extract_quotes("As the city responds to these challenges, it reaffirms its commitment to safety.",
                           article_id="x")
    assert all(q.cue != "responds" for q in acted)


def test_people_the_recogniser_missed_and_plural_descriptions() -> None:
    """Names the entity recogniser misses are still people when a "who" clause or a title stands
    beside them ("Edvard Lunde, who chairs ...", "Pellam spokesperson Rhea Castellanos"), without a
    form of address ("Prof"); a plural description ("Many experts said") speaks as itself, never as
    the person quoted last."""
    text = ("Edvard Lunde, who chairs parliament's finance committee, said the minister was due to "
            "appear.\n\nPellam spokesperson Rhea Castellanos said the company had no indication.\n\n"
            "Prof Imogen Achterberg, who led the original study, said her team stood by its conclusions.\n\n"
            "Many experts said the study was sound.")
    by_text = {q.text: q for q in extract_quotes(text, article_id="x")}
    assert by_text["the minister was due to appear"].speaker == "Edvard Lunde"
    castellanos = by_text["the company had no indication"]
    assert (castellanos.speaker, castellanos.speaker_role) == ("Rhea Castellanos", "Pellam spokesperson")
    achterberg = by_text["her team stood by its conclusions"]
    assert (achterberg.speaker, achterberg.speaker_role) == ("Imogen Achterberg", None)
    assert by_text["the study was sound"].speaker == "Many experts"
    (founder,) = extract_quotes("Founder Maya Trent said the group would grow.", article_id="f")
    assert (founder.speaker, founder.speaker_role) == ("Maya Trent", "Founder")
    # a title the recogniser took into the name ("Representative Charles B. Rangel" as one entity)
    from spacy.tokens import Span

    from storyline.nlp.parse import parse

    text = "Representative Tomas B. Marlow said the bill would pass."
    doc = parse(text)
    doc.ents = [Span(doc, 0, 4, label="PERSON")]
    (rep,) = extract_quotes(text, article_id="z", doc=doc)
    assert (rep.speaker, rep.speaker_role) == ("Tomas B. Marlow", "Representative")
    (_, experts) = extract_quotes("Jane Moss said the bill would pass.\n\nMany experts said the study was sound.",
                                  article_id="y")
    assert experts.speaker == "Many experts"  # not Jane Moss, the person quoted last


def test_a_surname_the_tagger_reads_as_a_noun_is_the_person() -> None:
    """"Vost said ...": the tagger reads the surname as a common noun and the recogniser misses it;
    it is still the person named in full before."""
    from storyline.nlp.parse import parse_many

    text = ("\"The size of the move surprised the market,\" said Mirela Vost, chief economist at Halden "
            "Securities.\n\nVost said she expected the bank to hold in June.")
    doc = next(parse_many([text]))
    assert [(t.pos_, t.ent_type_) for t in doc if t.text == "Vost"][-1] == ("NOUN", "")  # the case
    assert [q.speaker for q in extract_quotes(text, article_id="x", doc=doc)] == ["Mirela Vost"] * 2


def test_continuation_after_cue_joins_and_bare_attribution() -> None:
    text = ("“We will not back down,” Mayor Ruth Okafor said. “The city has the money and the crews.”\n\n"
            "“The bridge opens in May.” Okafor said.")
    qs = extract_quotes(text, article_id="x")
    assert qs[0].kind == "direct" and qs[0].text.endswith("the money and the crews.")
    assert qs[0].speaker == "Ruth Okafor"
    last = next(q for q in qs if q.text.startswith("The bridge opens"))
    assert last.speaker == "Ruth Okafor" and last.cue == "said"


def test_infinitive_and_nominal_speech_acts() -> None:
    text = ("Senator Ana Ruiz vowed to block the pipeline permit.\n\n"
            "Governor Paul Meyer criticized the agency’s handling of the spill.")
    qs = extract_quotes(text, article_id="x")
    vow = next(q for q in qs if q.cue == "vowed")
    assert vow.text == "to block the pipeline permit" and vow.speaker == "Ana Ruiz" and vow.kind == "indirect"
    crit = next(q for q in qs if q.cue == "criticized")
    assert crit.text == "the agency’s handling of the spill" and crit.speaker == "Paul Meyer"


def test_quoted_titles_are_no_quotes() -> None:
    text = ("Senator Ana Ruiz told “Morning Harbour Report” on Tuesday that the permit would be blocked.\n\n"
            "“We will not let this pipeline through,” Ruiz said.")
    qs = extract_quotes(text, article_id="x")
    assert all("Morning Harbour" not in q.text for q in qs)
    assert any(q.text.startswith("We will not let") and q.speaker == "Ana Ruiz" for q in qs)


def test_abbreviated_titles_and_statements_resolve_to_the_speaker() -> None:
    text = ("Gov. Ruth Okafor signed the budget on Friday.\n\n"
            "“This budget keeps every school open,” Okafor said in a statement.\n\n"
            "“We did it without raising taxes,” the statement continued.\n\n"
            "The governor said that the state would hire 300 teachers.")
    qs = extract_quotes(text, article_id="x")
    speech = [q for q in qs if q.cue in ("said", "continued")]
    assert len(speech) == 3 and {q.speaker for q in qs} == {"Ruth Okafor"}


def test_a_time_is_not_a_link_in_the_chain() -> None:
    """"told X in an interview on Wednesday evening": X is the chain, Wednesday is not."""
    text = ('"Cutting rates cannot end a price war," Mara Velt told the Orlen Ledger in an interview on '
            'Wednesday evening. "We will talk first."')
    qs = extract_quotes(text, article_id="t")
    chains = [[link.name for link in q.chain] for q in qs]
    assert chains and all(not any("Wednesday" in n for n in c) for c in chains), chains
    assert any(any("Orlen Ledger" in n for n in c) for c in chains), chains


def test_she_is_not_the_man_called_he() -> None:
    """After "he" went to one person, a later "she" goes to the woman mentioned earlier, not to him."""
    text = ('Governor Lena Varga raised rates on Tuesday. Minister Tomas Brandt had asked her to wait. '
            '"The timing was wrong," he said.\n\n'
            '"Nobody asked us to change the timing of a decision," she said.')
    qs = extract_quotes(text, article_id="g")
    by_text = {q.text.split()[0]: q.speaker for q in qs}
    assert by_text.get("The") == "Tomas Brandt", by_text
    assert by_text.get("Nobody") == "Lena Varga", by_text


def test_she_after_a_description_subject_is_the_titled_person() -> None:
    # "the governor" is tied to "Governor Anna Berg"; the minister, named in a "that" clause after
    # her, is not whom the following "she said" refers to
    text = ("Governor Anna Berg spoke to lawmakers on Monday. Finance Minister Tom Hale was not there.\n\n"
            "At the hearing, the governor was asked about reports that Hale had urged her to wait.\n\n"
            "“At no point did anyone ask us to wait,” she said.\n\n"
            "Hale welcomed the testimony. “I hope that is the end of it,” he told reporters.")
    qs = {q.text[:8]: q for q in extract_quotes(text) if q.kind == "direct"}
    assert qs["At no po"].speaker == "Anna Berg"
    assert qs["I hope t"].speaker == "Tom Hale"


def test_description_resolves_to_a_person_titled_later() -> None:
    text = ("The governor said the budget was balanced.\n\n"
            "Governor Anna Berg took office in May.")
    q = extract_quotes(text)[0]
    assert q.speaker == "Anna Berg"


def test_interrupted_quote_text_leaves_out_the_cue() -> None:
    text = "“The plan is dead,” she said. “We will start again in the spring.” Jane Smith spoke on Monday."
    text = "Jane Smith spoke on Monday. " + text
    q = next(q for q in extract_quotes(text) if q.kind == "direct")
    assert text[q.start:q.end].startswith("The plan is dead") and "she said" in text[q.start:q.end]
    assert q.text == "The plan is dead. We will start again in the spring."
    text = "Jane Smith spoke on Monday. “The plan,” she said, “is dead.”"
    q = next(q for q in extract_quotes(text) if q.kind == "direct")
    assert q.text == "The plan is dead."  # the comma belonged to the cue clause
    text = "Jane Smith spoke on Monday. “When we came in,” she said, “the plan was dead.”"
    q = next(q for q in extract_quotes(text) if q.kind == "direct")
    assert q.text == "When we came in, the plan was dead."  # a clause keeps its comma


def test_quoted_fragment_under_a_further_verb_is_not_the_quote_going_on() -> None:
    text = "“We had written two dozen songs,” Jane Smith said, mentioning the album is “in the home stretch.”"
    direct = [q for q in extract_quotes(text) if q.kind == "direct"]
    assert [q.text for q in direct] == ["We had written two dozen songs,"]


def test_learned_cues_find_beliefs_intentions_and_described_acts() -> None:
    """Verbs outside the reporting lexicon attribute a proposition or a stance (the learned cue
    model, storyline/models/classifiers/cues.json); an act on a bare pronoun or an unrelated act does not."""
    def got(text: str) -> list[tuple[str, str | None, str | None, str]]:
        return [(q.kind, q.speaker, q.cue, q.text) for q in extract_quotes(text)]

    assert got("Senator Jane Smith expects that the bill will pass next week.") == [
        ("indirect", "Jane Smith", "expects", "that the bill will pass next week")]
    assert got("Senator Jane Smith wants to repeal the tax on imported steel.") == [
        ("indirect", "Jane Smith", "wants", "to repeal the tax on imported steel")]
    assert got("Jane Smith is confident that the bill will pass.") == [
        ("indirect", "Jane Smith", "is confident", "that the bill will pass")]
    assert got("Jane Smith endorsed the plan to cut taxes for small firms.")[0][2] == "endorsed"
    assert got("Jane Smith supports him.") == []  # a bare pronoun says nothing comparable
    assert got("Jane Smith bought a new car for her daughter last week.") == []


def test_parenthetical_cue_inside_reported_speech() -> None:
    text = "Jane Smith runs the club. Many of the closures, she said, have involved public courses."
    q = extract_quotes(text)[0]
    assert (q.kind, q.speaker, q.cue) == ("indirect", "Jane Smith", "said")
    assert q.text == "Many of the closures have involved public courses"
    q = extract_quotes("In the long run, many economists say, the effect could ripple through the system.")[0]
    assert q.speaker_mention == "many economists" and q.text.startswith("In the long run, the effect")


def test_negated_or_dated_acts_are_no_attributions() -> None:
    assert extract_quotes("Officials did not name a source for the contamination.") == []
    assert extract_quotes("The report was posted by Jane Smith on May 15, 2025.") == []


def test_the_writers_own_we_is_no_learned_attribution() -> None:
    text = "In this article, we explore what happened, how officials are responding, and what it means."
    assert "we" not in [q.speaker_mention for q in extract_quotes(text)]


def test_cue_model_is_pinned_and_verified():
    """The learned cue weights load through the sha256 check like every shipped model file."""
    from storyline.nlp.cues import load_model
    from storyline.weights import PINNED, sha256_file, verified_path

    path = verified_path("cues.json")
    assert sha256_file(path) == PINNED["cues.json"].sha256
    model = load_model()
    assert model.weights and 0.0 < model.threshold < 1.0


def test_short_second_part_and_double_apostrophes_join_an_interrupted_quote() -> None:
    text = 'Voters were split. "I can\'t vote for him," said Jane Smith, a retired nurse. "He\'s an embarrassment."'
    qs = [q for q in extract_quotes(text) if q.kind == "direct"]
    assert len(qs) == 1 and qs[0].text == "I can't vote for him. He's an embarrassment."
    assert qs[0].speaker == "Jane Smith"
    text = ("The mood changed. ''He liked them and he respected a lot of things they did,'' said John Brown, "
            "a former governor. ''That's all out the window now.''")
    qs = [q for q in extract_quotes(text) if q.kind == "direct"]
    assert len(qs) == 1 and qs[0].text.endswith("That's all out the window now.")
    # a short quoted sentence on its own is no quote
    assert extract_quotes('The sign read "Keep out now." It was old.') == []


def test_quoted_words_inside_a_described_act_report_the_whole_act() -> None:
    text = 'Jane Smith described the new plan as "a total disaster" for the town.'
    qs = extract_quotes(text)
    assert len(qs) == 1 and qs[0].kind == "mixed" and qs[0].speaker == "Jane Smith"
    assert qs[0].text.startswith("the new plan as")


def test_reported_clause_ends_before_the_writers_additions() -> None:
    cases = {
        "The company said its revenue rose to $557 million in 2015, an increase of almost $200 million.":
            "its revenue rose to $557 million in 2015",
        "Critics argue that the denials are disingenuous, pointing to evidence of covert operations.":
            "that the denials are disingenuous",
        "Scientists said the findings were plausible but urged caution.": "the findings were plausible",
        "The mayor said the tax would fund the new library, which opened in 2019.":
            "the tax would fund the new library",
    }
    for text, content in cases.items():
        assert [q.text for q in extract_quotes(text)][:1] == [content], text
    # the object of an act keeps its relative clause: it says what the stance is about
    text = "Jane Smith criticised the water authority, which ignored 17 complaints about the smell."
    assert any(q.text.endswith("about the smell") for q in extract_quotes(text))


def test_quoted_words_under_a_cues_object_make_a_mixed_quote() -> None:
    qs = extract_quotes('The minister dismissed the opposition\'s claims of fraud as "a total fabrication."')
    assert [(q.kind, q.speaker, q.text) for q in qs] == [
        ("mixed", "The minister", 'the opposition\'s claims of fraud as "a total fabrication."')]
    # one quoted word stays a partial quote: the speaker's verdict in their own word
    qs = extract_quotes('The minister dismissed the opposition\'s claims of fraud as "absurd."')
    assert [(q.kind, q.text) for q in qs] == [("partial", "absurd")]


def test_cue_nouns_with_a_holder() -> None:
    qs = extract_quotes("The senator repeated her claim that the budget had been cut twice.")
    assert ("claim", "that the budget had been cut twice") in [(q.cue, q.text) for q in qs]
    qs = extract_quotes("The agency rejected the announcement by the mayor that the water was safe to drink.")
    assert ("the mayor", "that the water was safe to drink") in [(q.speaker_mention, q.text) for q in qs]
    # no holder one can name, or an infinitive of purpose: nothing
    assert extract_quotes("His pledge to cut taxes by half won him votes.") == []
    assert extract_quotes("The report was her statement to explain the decision.") == []


def test_interrupted_quote_goes_on_past_a_fragment_in_its_cue_sentence() -> None:
    text = ("“Everything. Everything is on the table,” John Brown told reporters on Wednesday after hinting "
            "that “personnel changes” could come. “Every single thing is on the table. I am looking carefully.”")
    direct = [q for q in extract_quotes(text) if q.kind == "direct"]
    assert len(direct) == 1 and direct[0].text.endswith("I am looking carefully.")
    assert direct[0].speaker == "John Brown"


def test_an_act_reports_its_object_with_what_follows_it() -> None:
    """A nominal cue's content is its object with the prepositional phrases and the infinitive after
    it, not the bare noun phrase."""
    text = "Mayor Jane Smith praised the courage of the volunteers in the aftermath of the storm."
    assert [q.text for q in extract_quotes(text)] == ["the courage of the volunteers in the aftermath of the storm"]
    text = "The governor announced a series of new steps to tighten the rules on rentals."
    assert [q.text for q in extract_quotes(text)] == ["a series of new steps to tighten the rules on rentals"]
    text = "Mayor Jane Smith praised the courage of the volunteers at a rally after the storm."
    assert [q.text for q in extract_quotes(text)] == ["the courage of the volunteers"]  # not the setting


def test_a_statement_saying_something_is_its_issuer_s() -> None:
    """A reporting participle after an act's object ("issued a statement saying ...") reports what
    the subject of the act says."""
    text = "The ministry issued a statement saying that the talks had failed."
    qs = extract_quotes(text)
    assert [(q.text, q.speaker) for q in qs] == [("that the talks had failed", "The ministry")]
    text = "Jane Smith posted a video claiming the vote was rigged."
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == [("the vote was rigged", "Jane Smith")]


def test_a_participle_after_the_reported_clause_stays_unless_it_reports() -> None:
    """", bringing its total to ..." goes on with what was said; ", noting that ..." is a further
    report of its own."""
    text = "Jane Smith said the company raised $5 million in January, bringing its total to $9 million."
    assert [q.text for q in extract_quotes(text)] == [
        "the company raised $5 million in January, bringing its total to $9 million"]
    text = "Jane Smith said the plan was dead, noting that the council had voted against it."
    assert [q.text for q in extract_quotes(text)] == ["the plan was dead", "that the council had voted against it"]


def test_an_act_on_a_bare_name_is_reported() -> None:
    """A stance on a name alone ("endorsed Tom Hale") is a stance PolNeAR annotates and a reader can
    compare across outlets."""
    qs = extract_quotes("The union endorsed Tom Hale for governor.")
    assert [(q.speaker, q.cue, q.text) for q in qs] == [("The union", "endorsed", "Tom Hale for governor")]


def test_an_act_answered_by_a_report_is_the_report() -> None:
    """"responded to the charges by asserting that ...": the assertion is the quote; the response
    is not reported beside it."""
    qs = extract_quotes("Jane Smith responded to the charges by asserting that the agency had never hidden anything.")
    assert [(q.cue, q.text) for q in qs] == [("asserting", "that the agency had never hidden anything")]


def test_an_effort_is_not_a_stance() -> None:
    """"tried to ..." says what was attempted, not what the subject holds or said: the effort verb is
    never the cue; what was attempted is reported only when it is itself a statement or a stance."""
    assert extract_quotes("Senator Jane Smith tried to open the door of the car.") == []
    qs = extract_quotes("Senator Jane Smith tried to explain that the bill would cut taxes.")
    assert [(q.cue, q.text) for q in qs] == [("to explain", "that the bill would cut taxes")]
    assert [q.cue for q in extract_quotes("Senator Jane Smith wants to block the bill.")] == ["wants"]


def test_a_quote_filling_a_that_clause_spans_the_that() -> None:
    """'said that "..."': the reported clause (the span) starts at "that"; the text is the quoted words."""
    text = "Jane Smith said that “the plan is dead and we will start again.”"
    q = extract_quotes(text)[0]
    assert q.kind == "direct" and text[q.start:q.end].startswith("that “the plan")
    assert q.text == "the plan is dead and we will start again."


def test_whom_something_was_told_is_not_what_was_told() -> None:
    assert extract_quotes("Senator Jane Smith told the Daily Ledger in an interview on Monday.") == []


def test_an_agentless_passive_is_a_claim_without_a_speaker() -> None:
    """"X is said to ...", "X is expected to ...", "it was reported that ...": reported, with no
    speaker; with an agent ("by analysts") it is not a frame of this kind."""
    def got(text: str) -> list[tuple[str | None, str, str | None]]:
        return [(q.cue, q.text, q.speaker) for q in extract_quotes(text)]

    assert got("The plan is expected to pass the Senate next week.") == [
        ("is expected", "The plan is expected to pass the Senate next week", None)]
    assert got("It was reported that the plan had failed in the Senate.") == [
        ("was reported", "that the plan had failed in the Senate", None)]


def test_seems_puts_no_words_in_the_subject_s_mouth() -> None:
    """"X seemed to lose ground" is a reading of the whole clause: X is not its speaker."""
    qs = extract_quotes("The senator seemed to lose ground among older voters.")
    assert [(q.cue, q.text, q.speaker) for q in qs] == [
        ("seemed", "The senator seemed to lose ground among older voters", None)]


def test_in_a_poll_is_a_frame_like_according_to() -> None:
    """The poll reports the whole clause; the voters' stance inside it is a nested attribution, as
    PolNeAR annotates one inside another."""
    qs = extract_quotes("In a new poll released Monday, 40 percent of voters backed the plan.")
    assert [(q.cue, q.speaker_mention) for q in qs] == [("In", "a new poll"), ("backed", "40 percent of voters")]
    assert qs[0].text.startswith("40 percent of voters backed the plan") and qs[1].text == "the plan"


def test_as_x_reported_attributes_the_clause_it_hangs_on() -> None:
    for text in ("As The Ledger reported on Monday, the mayor has already left the party.",
                 "As reported by The Ledger, the mayor has already left the party."):
        assert [(q.cue, q.text, q.speaker) for q in extract_quotes(text)] == [
            ("reported", "the mayor has already left the party", "The Ledger")]


def test_a_stance_adjective_reports_what_it_is_about() -> None:
    """"is concerned about X" (an adjective with a preposition, a learned cue kind): X is the content."""
    qs = extract_quotes("Senator Jane Smith is deeply concerned about the cost of the new plan.")
    assert [(q.cue, q.text, q.speaker) for q in qs] == [
        ("is deeply concerned about", "the cost of the new plan", "Jane Smith")]


def test_a_wider_act_does_not_swallow_a_quote_and_lose_its_speaker() -> None:
    """An act whose wide content would run over a quoted passage keeps its object alone, so its
    speaker is still there for the "she" that follows."""
    text = ('In 2007, Jane Smith criticized the agency for its "secrecy," according to The Ledger. '
            '"We know about the secret files," she said.')
    qs = extract_quotes(text)
    assert ("criticized", "Jane Smith", "the agency") in [(q.cue, q.speaker, q.text) for q in qs]
    assert next(q for q in qs if q.kind == "direct").speaker == "Jane Smith"


def test_a_borrowed_subject_is_not_an_embedded_speaker() -> None:
    """"In a press conference announcing X, Hale said ...": Hale is the main clause's speaker, the
    next "he" is Hale, not a person named inside the reported clause."""
    text = ("In a press conference announcing his plan, Tom Hale said his son had asked him to veto the bill.\n\n"
            "\"My son Seth signed the petition,\" he said.")
    assert next(q for q in extract_quotes(text) if q.kind == "direct").speaker == "Tom Hale"


def test_an_acts_date_is_its_setting_not_its_content() -> None:
    """"endorsed X on Friday": the date says when, not what was endorsed (a phrase of the setting)."""
    qs = extract_quotes("The union endorsed Tom Hale on Friday.")
    assert [(q.speaker, q.cue, q.text) for q in qs] == [("The union", "endorsed", "Tom Hale")]


def test_a_role_leaves_out_the_day_and_the_dateline_the_parser_hung_on_it() -> None:
    """"But earlier on Friday Norway's finance minister, Jane Moss, said ...": the parser makes
    "Friday" part of the title; the role is "Norway's finance minister". A year in a title stays. A
    dateline closed by a dash is no part of the title either."""
    (q,) = extract_quotes("But earlier on Friday Norway’s finance minister, Jane Moss, said “delays” could "
                          "raise costs.", article_id="x")
    assert (q.speaker, q.speaker_role) == ("Jane Moss", "Norway’s finance minister")
    (q2,) = extract_quotes("The 2020 nominee, Tom Hale, said the fees were legal.", article_id="y")
    assert q2.speaker == "Tom Hale" and q2.speaker_role is not None and "2020" in q2.speaker_role
    (q3,) = extract_quotes("OSLO, Dec 29 (Reuters) - Norwegian opposition leader Jane Moss said on Tuesday the "
                           "budget was too small.", article_id="z")
    assert (q3.speaker, q3.speaker_role) == ("Jane Moss", "Norwegian opposition leader")


def test_an_outlet_keeps_the_the_of_its_name() -> None:
    """"according to The Hill", "told The Guardian": a capital "The" inside a sentence is part of the
    outlet's name (the recogniser leaves it out); "the Guardian" and a "The" that opens a sentence or
    a title-case headline are not, and a shorter form still names the article's fuller one."""
    (q,) = extract_quotes("Jane Smith told The Guardian that the plan had failed.", article_id="x")
    assert [c.name for c in q.chain] == ["The Guardian"]
    (q,) = extract_quotes("Jane Smith told the Guardian that the plan had failed.", article_id="y")
    assert [c.name for c in q.chain] == ["Guardian"]
    qs = extract_quotes("The Hill reported that the plan had failed.\n\nThe deal was off, according to "
                        "The Hill.", article_id="z")
    assert {q.speaker for q in qs} == {"The Hill"}
    (q,) = extract_quotes("Mayors Back The Plan Report Says\n\nThe New York Post said the plan had failed, "
                          "and the Post was right.", article_id="w")
    assert q.speaker == "New York Post"


def test_a_cue_is_the_verb_with_its_auxiliaries_negation_and_adverbs() -> None:
    """Annotators mark a cue as the verb group ("has also said", "did not mention", "later told") and
    take in a preposition the content follows at once ("warned of"): PolNeAR's gold cues hold the
    auxiliaries nine times in ten. "according to" stays as it is."""
    cues = [[q.cue for q in extract_quotes(s, article_id="x")]
            for s in ("Jane Smith has also said that the plan failed.",
                      "He did not mention that the plan had failed.",
                      "The plan failed badly, she later told reporters.",
                      "According to the mayor, the plan failed.",
                      "Critics warned of a crisis in the housing market.",
                      "Smith did not call for an inquiry into the tender.",
                      "The committee voted 7–0 to hold rates, the bank said.")]
    assert cues[:6] == [["has also said"], ["did not mention"], ["later told"], ["According to"], ["warned of"],
                        ["did not call for"]]
    assert "voted 7–0" not in cues[6]


def test_a_source_phrase_closes_the_bracket_it_opens() -> None:
    """"Sen. Jane Smith (D-Vt.) said": the parse ends the phrase at "Vt"; the source phrase (what the
    bench scores and the export offers as speaker_start / speaker_end) takes in the closing bracket."""
    for s, mention in (("Sen. Jane Smith (D-Vt.) said that the plan failed.", "Sen. Jane Smith (D-Vt.)"),
                       ("Rep. Tom Hale (R-Ohio) told reporters the plan failed.", "Rep. Tom Hale (R-Ohio)")):
        (q,) = extract_quotes(s, article_id="x")
        assert q.speaker_mention == mention and s[q.speaker_start:q.speaker_end] == mention
        assert q.speaker in ("Jane Smith", "Tom Hale")


def test_calling_for_someone_to_act_is_a_quote() -> None:
    """"Republicans have called for the minister to resign": the parser makes "for the minister to
    resign" a clause of its own, which had given no candidate to the cue model; the content is "the
    minister to resign" and the cue "have called for"."""
    (q,) = extract_quotes("Republicans have called for the minister to resign over the affair.", article_id="x")
    assert (q.speaker, q.cue, q.text) == ("Republicans", "have called for", "the minister to resign over the affair")


def test_calling_someone_something_is_reported_even_with_a_pronoun() -> None:
    """"Smith called him a loser": what the act calls him is the stance, though the object is a bare
    pronoun ("The senator supports him" still says nothing a reader could compare)."""
    (q,) = extract_quotes("Smith called him a loser at the rally.", article_id="x")
    assert (q.speaker, q.text) == ("Smith", "him a loser")
    assert extract_quotes("The senator supports him.", article_id="y") == []


def test_a_relative_clause_hung_on_a_noun_that_cannot_speak_is_the_documents() -> None:
    """"concerns raised in a report by the Harbour Board last month, which found ...": the parser hangs
    the "which" clause on "concerns"; the report named inside the phrase is what found it."""
    qs = extract_quotes("Critics cited concerns raised in a report by the Harbour Board last month, which found "
                        "that the tender was rigged.", article_id="x")
    assert [q.speaker for q in qs if q.cue == "found"] == ["Harbour Board"]
    assert [q.chain for q in qs if q.cue == "found"] == [[]]  # the speaker is no channel of its own words


def test_a_forecast_is_no_quote_unless_what_is_likely_is_saying_something() -> None:
    """"they are likely to back the incumbent": the writer's forecast about them (seed 003 had it as
    a quote of "U.S."); "voters are more likely to say that ..." reports what the poll found they say."""
    assert extract_quotes("If these groups interfere in the election, they are likely to support the "
                          "incumbent.", article_id="x") == []
    (q,) = extract_quotes("Democratic voters are more likely to say that the economy is strong.", article_id="y")
    assert (q.speaker, q.text) == ("Democratic voters", "to say that the economy is strong")


def _direct(qid: str, article: str, text: str, speaker: str = "Nadia Petrova") -> "Quote":
    from storyline.model import Quote

    return Quote(id=qid, article_id=article, start=0, end=len(text), text=text, kind="direct", speaker=speaker)


def test_a_reworded_quote_joins_its_original_only_across_a_reuse_link() -> None:
    """A spun rewrite rewords a direct quote ("We want to be absolutely clear" -> "We wish to be
    completely clear"): between articles linked by reuse it joins the original, flagged altered with
    the words changed; between unlinked articles two such quotes stay apart (one speaker may say a
    talking point twice); another speaker's quote never joins."""
    orig = _direct("q1", "wire", "We want to be absolutely clear that the ferry is safe. Our engines run on a "
                                 "separate system, and at no point did the fire reach them.")
    spun = _direct("q2", "farm", "We wish to be completely clear that the ferry is secure. Our motors operate on "
                                 "an entirely separate system, and at no time did the fire reach them.")
    other = _direct("q3", "farm", "We want to be clear that the ferry is safe, and the fire never reached the "
                                  "engines of the separate system.", speaker="Lars Holm")
    groups = group_quotes([orig, spun, other], derived={frozenset(("wire", "farm"))})
    assert [sorted(g.quote_ids) for g in groups] == [["q1", "q2"]]
    [diff] = groups[0].altered.values()  # (the longer version is the reference)
    assert '"want" -> "wish"' in diff or '"wish" -> "want"' in diff
    assert group_quotes([orig, spun, other]) == []


def test_a_reworded_continuation_of_a_grouped_quote_is_altered() -> None:
    """Two reports carry the mayor's words, one reworded after a shared opening, and a blog quotes that
    opening: one quote (the opening joins all three), the reworded version flagged with its changes."""
    a = _direct("q1", "paper", "I know $90 million is a lot of money. But the bonds will be repaid from ticket and "
                               "parking revenue, not from the general fund.")
    b = _direct("q2", "tv", "I know $90 million is a lot of money, but those bonds get paid back from tickets and "
                            "parking, not the general fund.")
    c = _direct("q3", "blog", "I know $90 million is a lot of money.")
    [g] = group_quotes([a, b, c])
    assert g.reference_id == "q1" and '"will be repaid" -> "get paid back"' in g.altered["q2"]
