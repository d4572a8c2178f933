"""Quote extraction rules tuned on PolNeAR train: one small sentence per rule."""

from __future__ import annotations

from storyline.nlp.quotemarks import find_quoted_spans
from storyline.nlp.quotes import extract_quotes


def test_evidence_cue_with_an_inanimate_subject_is_no_quote() -> None:
    """"underscore", "highlight" with an object read as "is evidence of" when their subject names
    no one: no quote. A document, a pronoun or a person as subject still reports."""
    assert extract_quotes("The new figures underscore the deep divisions within the governing coalition.") == []
    assert extract_quotes("These results highlight the risks of a longer strike for the port.") == []
    qs = extract_quotes("The report underscores the risks of a longer strike for the port.")
    assert [(q.speaker_mention, q.text) for q in qs] == [("The report", "the risks of a longer strike for the port")]
    qs = extract_quotes("The harbour minister underscored the risks of a longer strike for the port.")
    assert [q.speaker for q in qs] == ["The harbour minister"]


def test_according_to_source_keeps_who_made_it() -> None:
    """The source of "according to X" keeps the participle or by-phrase that says who made X."""
    qs = extract_quotes("Turnout rose sharply in the north, according to a count by the electoral commission.")
    assert [q.speaker_mention for q in qs] == ["a count by the electoral commission"]
    qs = extract_quotes("According to early results of exit polls conducted for the network by a research firm, "
                        "most voters backed the plan.")
    assert qs[0].speaker_mention == "early results of exit polls conducted for the network by a research firm"


def test_source_keeps_an_appositive_with_a_possessive_or_a_quoted_title() -> None:
    """A possessive apostrophe or a quoted title inside an appositive is no quotation mark: the source
    phrase keeps the appositive."""
    qs = extract_quotes("“The numbers put our campaign on pace to beat the goal,” Jeff Weaver, Sanders’ "
                        "campaign manager, said in a statement.")
    assert [(q.speaker_mention, q.speaker) for q in qs] == [("Jeff Weaver, Sanders’ campaign manager", "Jeff Weaver")]
    qs = extract_quotes("Jane Smith, host of the “Morning Report” radio show, said the station would close next year.")
    assert [q.speaker_mention for q in qs] == ["Jane Smith, host of the “Morning Report” radio show"]


def test_a_clause_before_the_cue_is_not_its_content_when_one_follows() -> None:
    """The parser may hang a clause before a cue on it ("X ripped Y: he said Z", "X offered A, then
    says Z"): the clause after the cue is the content, and the earlier clause's subject speaks when
    the cue has none."""
    qs = extract_quotes("The mayor has repeatedly criticised the council because it is paying off: "
                        "He said he’s raised about $100,000 in the 72 hours since the vote.")
    said = [q for q in qs if q.cue == "said"]
    assert [q.text for q in said] == ["he’s raised about $100,000 in the 72 hours since the vote"]
    qs = extract_quotes("Smith jokingly offered the man a job as his deputy, then says he’ll welcome advice "
                        "from anyone who wants to talk to him.")
    assert [(q.speaker, q.cue) for q in qs if q.cue.endswith("says")] == [("Smith", "then says")]


def test_content_does_not_end_with_a_coordinator() -> None:
    qs = extract_quotes("Six in 10 primary voters said the mayor is honest and trustworthy, and three-quarters "
                        "said the same of her rival.")
    assert qs[0].text == "the mayor is honest and trustworthy"


def test_a_pro_form_after_say_is_what_was_said() -> None:
    """"said so", "said the same of Y", "said yes": the pro-form stands for what was said."""
    qs = extract_quotes("Most voters said the mayor is honest, and three-quarters said the same of her rival.")
    assert ("three-quarters", "the same of her rival") in [(q.speaker_mention, q.text) for q in qs]
    qs = extract_quotes("Asked whether the mayor had the integrity to serve, 75 percent of voters said yes.")
    assert ("75 percent of voters", "yes") in [(q.speaker_mention, q.text) for q in qs]


def test_an_agentless_passive_of_ask_reports_the_question() -> None:
    qs = extract_quotes("During an interview in August, the actress was asked if she had ever been turned away.")
    assert [(q.cue, q.text, q.speaker) for q in qs] == [("was asked", "if she had ever been turned away", None)]
    qs = extract_quotes("The senator was asked a straightforward question about police budgets.")
    assert [q.text for q in qs] == ["a straightforward question about police budgets"]


def test_a_colon_after_any_verb_of_a_speaker_introduces_a_quote() -> None:
    text = "The 17-year-old student Jared Moss echoed:\n\n“He speaks his mind, and I think that is what the town needs.”"
    qs = extract_quotes(text)
    assert [(q.kind, q.speaker) for q in qs] == [("direct", "Jared Moss")]
    # a subject that cannot speak introduces nothing
    assert extract_quotes("The timing of the surge fits a pattern:\n\n“Lesser-known candidates beat favourites.”") == []


def test_a_ment_noun_is_no_speaker_of_a_participle() -> None:
    """'acknowledging the sentiments involved while condemning X': the one condemning is the subject of
    the clause, not 'the sentiments' (a '-ment' noun names no person despite its agent-like ending)."""
    text = ("Mayor Ruth Okafor addressed the protests, acknowledging the strong sentiments involved "
            "while condemning instances of vandalism.")
    qs = {q.cue: q.speaker for q in extract_quotes(text)}
    assert qs.get("condemning") == "Ruth Okafor"


def test_a_subject_hung_inside_a_fronted_phrase_still_speaks() -> None:
    """After a fronted phrase the parser may attach the speaker as an appositive of the phrase's last
    noun ("As a part of his plea, X, 44, said"), leaving the verb with no subject: the name is
    recovered."""
    t = "As a part of his plea, Dorin Vasile Marin, 44, said that he took the money from dozens of pensioners."
    qs = extract_quotes(t)
    assert [(q.speaker, q.text) for q in qs] == [("Dorin Vasile Marin", "that he took the money from dozens of pensioners")]


def test_inverted_speaker_after_a_quote_and_a_shared_passive_subject() -> None:
    """'"...," said X': a word of the quote that the parser also made a subject does not hide the
    speaker after the verb; a passive's subject speaks for the verb coordinated with it."""
    qs = extract_quotes('"Thanks, everyone, for coming tonight," said master of ceremonies Jane Smith, '
                        'a retired teacher from the town.')
    assert [(q.speaker, q.kind, q.text) for q in qs] == [
        ("Jane Smith", "direct", "Thanks, everyone, for coming tonight,")]
    qs = extract_quotes("By the end of the week, the mayor was forced into a rare retreat and said that his plan "
                        "had been misunderstood.")
    assert [(q.speaker_mention, q.cue) for q in qs] == [("the mayor", "said")]


def test_an_interrupted_quote_joins_across_a_long_appositive_and_a_nested_quote() -> None:
    """The second part of an interrupted quote joins the first even when the speaker's appositive is
    long, and a quote that ends with a nested quote ("were like, ‘...’”) still reads as speech."""
    t = ('"This used to be a quiet town," said Jane Smith, director of the regional planning office at the '
         'University of Leeds in the north of England, "but it is increasingly crowded."')
    qs = extract_quotes(t)
    assert [q.text for q in qs] == ["This used to be a quiet town, but it is increasingly crowded."]
    t = ('“The debate was a draw,” said one adviser to the mayor. “The challenger wanted a knockout, and instead '
         'people were like, ‘This guy is kind of dull.’”')
    qs = extract_quotes(t)
    assert len(qs) == 1 and qs[0].text.endswith("‘This guy is kind of dull.’")


def test_a_quote_does_not_go_on_past_another_sentence() -> None:
    """A quote with no cue continues the previous one only when nothing but the previous cue's own
    sentence stands between them."""
    t = ('"I had nothing to do with the company," Smith replied.\n\nThe host seemed surprised and noted that '
         'his picture had been on its website for years. "Does that not speak to your judgment?"')
    qs = extract_quotes(t)
    assert [q.text for q in qs if q.speaker == "Smith"] == ["I had nothing to do with the company,"]


def test_a_clause_the_parser_split_in_two_is_one_content() -> None:
    """"shows [most of the hours logged] [were for travel]": the parser hung both halves on the cue;
    the second runs on from the first with no mark between, so the content spans both."""
    qs = extract_quotes("A review by the auditors shows most of the hours logged were for campaign travel.")
    assert [q.text for q in qs] == ["most of the hours logged were for campaign travel"]
    qs = extract_quotes("Reporters asked how the governor digests major news events.")
    assert [q.text for q in qs] == ["how the governor digests major news events"]


def test_according_to_in_the_middle_of_a_clause_attributes_both_sides() -> None:
    """"The plan, according to officials, will cost $5 billion": the whole clause is the content (its
    text without the phrase); after a finished clause ("A won, according to X, and B ...") only the
    clause before is."""
    qs = extract_quotes("The plan, according to officials, will cost $5 billion.")
    assert [(q.text, q.speaker_mention) for q in qs] == [("The plan will cost $5 billion", "officials")]
    qs = extract_quotes("Since last November, according to the monitors, security forces have killed 400 protesters.")
    assert [q.text for q in qs] == ["Since last November, security forces have killed 400 protesters"]


def test_a_passive_stance_names_its_holder_in_the_by_phrase() -> None:
    """"The plan was criticized by the union": the union's stance on the plan; a denial stays a
    denial; an audience ("seen by millions") or a bare pronoun subject gives nothing."""
    qs = extract_quotes("The plan was criticized by the union as a giveaway to developers.")
    assert [(q.text, q.cue, q.speaker) for q in qs] == [("The plan", "was criticized", "the union")]
    qs = extract_quotes("The claim was rejected by the ministry on Friday.")
    assert [(q.text, q.speaker_mention, q.denial) for q in qs] == [("The claim", "the ministry", True)]
    assert extract_quotes("The video was seen by millions of viewers.") == []
    assert extract_quotes("It was criticized by the union.") == []


def test_an_emphatic_reflexive_tells_a_persons_gender() -> None:
    """"Hale himself lashed out": Hale is a man, so a later "she said" is not his even when his was
    the last quote (the woman named before him is the speaker)."""
    text = ("Judge Laura Miller faced a backlash on Wednesday as she doubled down on her criticism of the "
            "governor, calling him a “faker.”\n\n"
            "And Hale himself lashed out on Twitter, saying the judge should resign.\n\n"
            "“He has no consistency about him,” she said.")
    qs = extract_quotes(text)
    assert [q.speaker for q in qs if q.kind == "direct"] == ["Laura Miller"]


def test_a_fronted_phrase_keeps_its_comma_around_a_parenthetical_cue() -> None:
    """"In March, he said, the plan failed": the text reads "In March, the plan failed"; a subject
    before the cue clause joins with a space ("The plan, she said, is dead" -> "The plan is dead")."""
    assert [q.text for q in extract_quotes("In March, he said, the plan failed badly.")] == [
        "In March, the plan failed badly"]
    assert [q.text for q in extract_quotes("Many of the closures, she said, have involved rural schools.")] == [
        "Many of the closures have involved rural schools"]


def test_a_mixed_quote_runs_to_its_closing_mark() -> None:
    """A reported clause whose quoted words go on past its sentence ('said he would "cut it. We will
    see."') ends at the closing mark, not at the full stop."""
    qs = extract_quotes('Ortiz said that he would "cut the budget in half. We will see who objects then."')
    assert [(q.kind, q.text) for q in qs] == [
        ("mixed", 'that he would "cut the budget in half. We will see who objects then."')]


def test_a_mixed_quote_goes_on_with_the_quote_after_its_cue() -> None:
    """'X is "a disaster," she said. "It has to stop."': one quote over both parts (the cue between
    them), its text the reported words and the speaker's with balanced marks."""
    qs = extract_quotes("The new plan is “a disaster for the town,” Laura Miller said. “It has to stop now.”")
    assert [(q.kind, q.speaker, q.text) for q in qs] == [
        ("mixed", "Laura Miller", "The new plan is “a disaster for the town. It has to stop now.”")]


def test_a_cue_in_the_next_paragraph_is_not_a_quotes_own() -> None:
    """A question closing one paragraph does not take the "say" inside the quote that opens the next
    ('“... time?”\\n\\n“I would say this,” X answered.'): that quote is X's, and the question stays
    without a speaker of its own."""
    text = ("“Would it be negotiable?” the host pressed. “Maybe let some people stay for a time?”\n\n"
            "“I would say this,” Ortiz answered. “We will work out some system that is fair.”")
    qs = extract_quotes(text)
    assert [(q.speaker, q.cue) for q in qs] == [("Ortiz", "answered")]
    assert qs[0].text == "I would say this. We will work out some system that is fair."


def test_the_object_of_an_urging_is_part_of_what_is_urged() -> None:
    """"urged Congress to act", "called Smith a liar": the object and its infinitive or predicate are
    the content; "told reporters to wait" keeps the addressee out."""
    assert [q.text for q in extract_quotes("The mayor urged Congress to act quickly on the bill.")] == [
        "Congress to act quickly on the bill"]
    assert [q.text for q in extract_quotes("She called Smith a liar.")] == ["Smith a liar"]
    assert [q.text for q in extract_quotes("The minister told reporters to wait for the report.")] == [
        "to wait for the report"]


def test_a_speaker_after_the_cue_that_the_parser_hung_elsewhere() -> None:
    """'"...," said X, a confidant who heads Y': the parser made X the subject of a verb in the
    appositive; the noun phrase right after the cue is the speaker, and a quote opening its sentence
    with the cue after it is direct however long the description."""
    qs = extract_quotes('"What\'s shaping up is a battle for the ages," said David Brock, a Clinton confidant who '
                        'heads the pro-Clinton super PAC Correct the Record.')
    assert [(q.speaker, q.kind) for q in qs] == [("David Brock", "direct")]


def test_a_curly_quote_closed_by_a_straight_mark() -> None:
    """'“...," he said': a curly opener closed by a straight mark (no curly closer follows in the
    paragraph) is a quote."""
    qs = extract_quotes('The mayor spoke last. “The port has the strongest economy in the region," she said.')
    assert [(q.speaker_mention, q.kind, q.text) for q in qs] == [
        ("she", "direct", "The port has the strongest economy in the region,")]


def test_mixed_curly_and_straight_marks_around_a_cue() -> None:
    """'“A," she said. "B.”' pairs the curly opener with the straight closer and the straight opener
    with the curly closer; '“A,“ he said' takes the second opener for a closer; a straight-quoted
    title inside a curly quote stays inside it."""
    text = ('“The port is strong," the mayor said. "The rail is not.”\n\n'
            '“Apparently not,“ he said. “It changes nothing.”\n\n'
            '“We watched "Star Wars" again,” she said.')
    assert [text[q.start:q.end] for q in find_quoted_spans(text)] == [
        "The port is strong,", "The rail is not.", "Apparently not,", "It changes nothing.",
        'We watched "Star Wars" again,']
    qs = extract_quotes(text)
    assert [q.speaker_mention for q in qs] == ["the mayor", "he", "she"]


def test_a_sentence_ending_with_a_short_subject_and_a_reporting_verb() -> None:
    """'..., she said.' at a sentence end reports what comes before the comma even when the parser
    hangs the cue on a word inside the clause."""
    text = ("The Internet has also made it possible for people with like-minded, if bogus, ideas and "
            "theories to organize into communities and reach others, she said.")
    qs = extract_quotes(text)
    assert [(q.cue, q.speaker_mention) for q in qs] == [("said", "she")]
    assert qs[0].text.startswith("The Internet has also made it possible") and qs[0].text.endswith("reach others")


def test_a_that_clause_hung_on_a_noun_of_the_cues_phrase() -> None:
    """'said in one of a series of messages that the truck was carrying arms': the parser made the
    report a relative clause of "series"; a relative clause has no "that" as its mark, so it is the
    content."""
    text = ("The former mayor said in one of a series of messages that the truck was carrying arms when it "
            "struck the crowd.")
    assert [q.text for q in extract_quotes(text)] == ["that the truck was carrying arms when it struck the crowd"]


def test_a_participle_after_a_parenthetical_cue_is_not_reported() -> None:
    """'Sales were great, he said, wiping his face': the participle right after the cue is what the
    speaker did, not part of the report, though the parser hangs it on the reported clause."""
    qs = extract_quotes("Sales were great, he said, wiping sweat off his face.")
    assert [(q.text, q.speaker_mention) for q in qs] == [("Sales were great", "he")]


def test_the_occasion_of_an_act_is_not_its_content() -> None:
    """'praised Smith in a speech', 'backed the bill despite his reservations': the occasion or medium
    of an act, like its date, stays out of what the act is about."""
    qs = extract_quotes("The governor praised the mayor in a speech to farmers in Iowa. "
                        "The senator backed the bill despite his own reservations.")
    assert [(q.cue, q.text) for q in qs] == [("praised", "the mayor"), ("backed", "the bill")]


def test_a_subject_the_parser_stranded() -> None:
    """A reporting verb the parser left without a subject: a name taken for an auxiliary ("Will
    believes"), a subject given to a participle before the verb ("activists clamoring to block X
    say"), and "'s said" read as a passive ("He's said he ...")."""
    text = ("With the security concerns following the attacks, Will believes Christie has been presented "
            "with an opportunity.\n\nBut Republican activists clamoring to block Donald Trump from the "
            "GOP nomination say they are suddenly in the midst of a bump.\n\n"
            "He's said he gets his ideas about monetary policy from a speech.")
    qs = extract_quotes(text)
    assert [(q.speaker_mention, q.text) for q in qs] == [
        ("Will", "Christie has been presented with an opportunity"),
        ("Republican activists", "they are suddenly in the midst of a bump"),
        ("He", "he gets his ideas about monetary policy from a speech")]


def test_a_report_inside_a_relative_clause_spans_its_noun() -> None:
    """'a probe the agency said was ongoing': a relative clause with no relative pronoun whose
    verb reports; the content runs from the noun it hangs on (what the report is about)."""
    qs = extract_quotes("The FBI confirmed a probe the agency said was ongoing as of earlier this month.")
    assert [(q.text, q.speaker_mention) for q in qs] == [
        ("a probe the agency said was ongoing as of earlier this month", "the agency")]


def test_one_word_before_a_parenthetical_cue_is_reported() -> None:
    """'Now, she said, X' and 'Loyalty, he noted, has long been Y': one word before a cue set off by
    commas is part of the report, which runs around the cue."""
    text = "Now, she said, the two groups don't mix much.\n\nLoyalty, he noted, has long been a core tenet of the party."
    qs = extract_quotes(text)
    assert [(text[q.start:q.end], q.text) for q in qs] == [
        ("Now, she said, the two groups don't mix much", "Now, the two groups don't mix much"),
        ("Loyalty, he noted, has long been a core tenet of the party", "Loyalty has long been a core tenet of the party")]


def test_a_dateline_is_not_part_of_the_speaker() -> None:
    """'CLEVELAND - Donald Smith told reporters ...': the dateline that opens the paragraph is where
    the story was filed, not who spoke."""
    (q,) = extract_quotes("CLEVELAND - Donald Smith told reporters the convention would be calm.")
    assert (q.speaker_mention, q.speaker) == ("Donald Smith", "Donald Smith")
    (q,) = extract_quotes("The NAACP - a civil rights group - said the vote was unfair.")
    assert q.speaker_mention == "The NAACP - a civil rights group"


def test_attribute_values_of_markup_left_in_a_text_are_no_quotes() -> None:
    """A tag a scraper left in the text ('<tweet author="...">') holds no quotation: its values give
    no partial quote, and the marks after it still pair up."""
    text = ('The governor offered her support:\n\n<tweet pic="" author="GovJaneSmith" timestamp="1449075600">'
            'Praying for the victims.</tweet>\n\nLater she said the response had been "swift and brave."')
    spans = [text[q.start:q.end] for q in find_quoted_spans(text)]
    assert spans == ["swift and brave."]


def test_a_measure_after_an_act_is_part_of_what_was_reported() -> None:
    """"at 38 micrograms per litre" is an amount, not the setting of the act ("at a rally"); and
    samples that reveal something are evidence, not a speaker."""
    qs = extract_quotes("The water authority said it had found benzene at 38 micrograms per litre in the samples.")
    assert [q.text for q in qs if q.cue == "said"] == ["it had found benzene at 38 micrograms per litre in the samples"]
    qs = extract_quotes("Mayor Jane Smith announced a cut at 5 percent across the board at a rally after the storm.")
    assert [q.text for q in qs] == ["a cut at 5 percent across the board"]
    assert extract_quotes("Samples taken on Monday revealed benzene at 38 micrograms per litre.") == []


def test_a_reporting_verb_inside_a_that_clause_is_what_is_reported() -> None:
    """'estimated that the rise would add ...': "add" is part of the estimate, not a parenthetical
    cue of the words before it (as in "The plan is dead, he added")."""
    text = ("Most loans carry variable rates, according to the lenders' federation, which estimated that "
            "the rise would add about 160 crowns a month to repayments on a typical loan.")
    assert [(q.cue, q.speaker) for q in extract_quotes(text)] == [
        ("according to", "the lenders' federation"), ("estimated", "the lenders' federation")]


def test_a_question_to_the_reader_or_a_demand_reports_nothing() -> None:
    """Content-farm padding: a prompt to the reader ('What do you think about "<headline>"?'), a
    demand ('Authorities must explain why ...') and a list of what an article covers ('how officials
    are responding') name no one who said anything."""
    assert extract_quotes("What do you think about “Residents told not to drink tap water after a spill”? "
                          "Drop your comments below.") == []
    assert extract_quotes("It is troubling. Authorities must explain why early warnings were not taken seriously.") == []
    assert extract_quotes("In this article, we explore what happened, how officials are responding, "
                          "and what it means for residents.") == []
    # an obligation someone states is still theirs
    qs = extract_quotes("The mayor said the utility must explain why the warnings were ignored.")
    assert [(q.cue, q.speaker) for q in qs] == [("said", "The mayor")]


def test_a_participle_that_works_as_a_preposition_is_no_cue() -> None:
    """'statements regarding X': "regarding" names what the statements are about; the act is
    "made", reported once."""
    qs = extract_quotes("Jane Smith has made several statements regarding the agency's plans to close the plant.")
    assert [q.cue for q in qs] == ["has made"]
    # seed 000's sentence, where the cue model had also taken "regarding"
    qs = extract_quotes("Antony Blinken has recently made significant statements regarding China’s alleged "
                        "attempts to influence the upcoming US elections.")
    assert [q.cue for q in qs] == ["has recently made"]


def test_a_speaker_label_opening_a_paragraph_attributes_the_rest() -> None:
    """A headline "Name: statement" or a transcript line "NAME: words" attributes what follows the
    colon to the name; the quoted passage that fills the line is the quote."""
    text = ("Jane Okafor: Harbour Plan Is a ‘Costly Mistake’ for the City\n\n"
            "The council voted on Tuesday.")
    qs = extract_quotes(text)
    assert [(q.speaker, q.kind, q.text, q.cue) for q in qs] == [
        ("Jane Okafor", "mixed", "Harbour Plan Is a ‘Costly Mistake’ for the City", None)]
    qs = extract_quotes('Rep. Jane Okafor (D-Vt.): "The harbour plan will cost the city dearly."')
    assert [(q.speaker, q.kind, q.text) for q in qs] == [
        ("Jane Okafor", "direct", "The harbour plan will cost the city dearly.")]
    transcript = ("MILLER: Why did the council vote for the plan?\n"
                  "OKAFOR: We had no other way to keep the port open.\n"
                  "MILLER: And the cost?")
    qs = extract_quotes(transcript)
    assert [(q.speaker_mention, q.kind) for q in qs] == [("MILLER", "direct"), ("OKAFOR", "direct"),
                                                         ("MILLER", "direct")]


def test_a_heading_with_a_colon_is_no_speaker_label() -> None:
    """Words that head a paragraph for other reasons, lists and headline questions are no labels."""
    assert extract_quotes("Update: The council has postponed the vote on the harbour plan.") == []
    assert extract_quotes("Editor's Note: This story was corrected to give the right date of the vote.") == []
    assert extract_quotes("Iowa: Tim Albrecht, Brad Anderson, Rob Barron, Jeff Boeyink, Bonnie Campbell.") == []
    assert extract_quotes("Jane Okafor: Reformer or Another Career Politician?") == []
    assert extract_quotes("Okafor's Warning: The Harbour Will Close Within a Year") == []
    assert extract_quotes("Stealth Over Health: The Mayor Was Headed to Hospital but Turned Back") == []


def test_the_speaker_right_after_a_quote_says_it() -> None:
    """A cue after a closing mark reports the quote through the speaker who opens the words after it,
    even when the parser hung the cue on a verb inside the quote, the speaker's description runs long
    or the verb is no reporting verb but says how the words were said ('," Smith barked')."""
    qs = extract_quotes("“We were tremendously wrong to not have confronted him from the beginning,” "
                        "Jane Okafor, 58, told the agency in an interview in Oslo on Monday.")
    assert [(q.speaker, q.cue, q.kind) for q in qs] == [("Jane Okafor", "told", "direct")]
    qs = extract_quotes("“Very good reporter, very good reporter this guy,” Jane Okafor, the frontrunner nationally "
                        "and the current polling leader in the northern provinces, said at a press conference.")
    assert [(q.speaker, q.cue) for q in qs] == [("Jane Okafor", "said")]
    qs = extract_quotes("“We have had better conventions than this one,” delegate Jane Okafor, wearing a cowboy hat, "
                        "said matter-of-factly.")
    assert [(q.speaker, q.cue) for q in qs] == [("Jane Okafor", "said")]
    qs = extract_quotes("“Go back to your seat,” Jane Okafor barked and a security guard escorted the reporter out.")
    assert [(q.speaker, q.cue, q.text) for q in qs] == [("Jane Okafor", "barked", "Go back to your seat,")]


def test_part_of_a_group_speaks_as_itself() -> None:
    """"All of the candidates", "some of her followers", "those who ...": a part of a group that can
    speak is the speaker, in its own words."""
    qs = extract_quotes("All of the opposition candidates oppose the harbour plan.")
    assert [(q.speaker, q.text) for q in qs] == [("All of the opposition candidates", "the harbour plan")]
    qs = extract_quotes("Some of her followers attacked her record on the port.")
    assert [q.speaker for q in qs] == ["Some of her followers"]
    assert extract_quotes("Some of the money attacked the budget.") == []


def test_a_sentence_that_only_attributes_takes_the_question_before_it() -> None:
    """'"...?" X asked the senators.': after a question, a sentence of a speaker, a cue and whom it
    was said to attributes the question; one that reports something of its own does not."""
    qs = extract_quotes("“Why are you still backing the harbour plan?” Jane Okafor asked the councillors.")
    assert [(q.speaker, q.cue, q.text) for q in qs] == [
        ("Jane Okafor", "asked", "Why are you still backing the harbour plan?")]
    qs = extract_quotes("“Is the port safe?” Jane Okafor told the agency in an interview aired on Monday.")
    assert [(q.speaker, q.cue) for q in qs] == [("Jane Okafor", "told")]
    qs = extract_quotes("“Is the port safe?” Jane Okafor told the agency the port would close.")
    assert [(q.speaker, q.text) for q in qs] == [("Jane Okafor", "the port would close")]


def test_what_follows_a_cue_after_its_quote_is_the_writers() -> None:
    """'"...," she said and a guard escorted him out': a clause joined to the cue after a quote that
    came before it is the writer's narration, not part of the quote."""
    qs = extract_quotes("“Go back to your seat,” Jane Okafor said and a security guard escorted the reporter out.")
    assert [(q.kind, q.text) for q in qs] == [("direct", "Go back to your seat,")]


def test_a_colon_after_a_statement_noun_introduces_the_next_paragraph() -> None:
    """'X released the following statement:' and a quotation in the next paragraph: X's words (the
    participle "following" is no verb of the clause)."""
    qs = extract_quotes("In 1998, the mayor, Jane Okafor, released the following statement:\n\n"
                        "“We offer our condolences to the family and friends of the harbour master. "
                        "I remember working with him.”")
    assert [(q.speaker, q.cue, q.kind) for q in qs] == [("Jane Okafor", "released", "direct")]


def test_a_headline_that_drops_were_has_no_speaker() -> None:
    """"Residents told not to drink tap water": a directive verb with no object before its infinitive
    is a passive whose subject was told; the active form still reports."""
    assert extract_quotes("Harbour residents told not to drink tap water after benzene found") == []
    assert extract_quotes("Tourists urged to stay away from the flooded coast") == []
    qs = extract_quotes("The mayor told residents not to drink the tap water.")
    assert [(q.speaker, q.text) for q in qs] == [("The mayor", "not to drink the tap water")]
    qs = extract_quotes("In Harbourton, the water authority ordered about 140,000 residents of the eastern districts "
                        "not to drink, cook with or even brush their teeth with tap water.")
    assert [q.speaker for q in qs] == ["the water authority"]


def test_an_act_done_to_say_something_is_not_reported_itself() -> None:
    """"called the authorities to say ...": the call is the means, what was said is the quote."""
    qs = extract_quotes("A man calls the authorities to say his water smells like a gas station.")
    assert [(q.cue, q.text) for q in qs] == [("to say", "his water smells like a gas station")]


def test_a_discourse_marker_reports_nothing() -> None:
    """"That said,", "Having said that,", "All told,": a reporting verb in a phrase that opens the
    sentence with no speaker in it is the writer's connective."""
    assert extract_quotes("That said, the plan remains popular with voters.") == []
    assert extract_quotes("Having said that, the council will vote again next week.") == []
    assert extract_quotes("All told, the group raised $4 million in February.") == []
    qs = extract_quotes('She said, "We will win the vote."')
    assert [(q.speaker, q.kind) for q in qs] == [("She", "direct")]


def test_a_document_with_no_owner_named_speaks_as_itself() -> None:
    """"One poll shows X": a poll or a study whose owner the article does not name is the source in
    its own words (an act it reports had been dropped for want of a holder)."""
    qs = extract_quotes("One poll shows the mayor 16 points ahead of her rival in the northern districts.")
    assert [(q.speaker, q.text) for q in qs] == [("One poll", "the mayor 16 points ahead of her rival in the northern districts")]
    qs = extract_quotes("Federal law prohibits taxpayer funding of research that harms embryos.")
    assert [q.speaker for q in qs] == ["Federal law"]


def test_a_statement_noun_after_a_light_verb_is_part_of_the_cue() -> None:
    """"made several statements on X", "made no mention of X": the noun of a statement or a stance
    after a light verb belongs to the cue, what it is about is the content."""
    qs = extract_quotes("Jane Okafor has made several controversial statements on the harbour plan.")
    assert [(q.cue, q.text) for q in qs] == [("has made several controversial statements on", "the harbour plan")]
    qs = extract_quotes("Jane Okafor made the case for a second harbour tunnel.")
    assert [(q.cue, q.text) for q in qs] == [("made the case for", "a second harbour tunnel")]


def test_a_name_read_as_an_organisation_with_a_persons_title_is_a_person() -> None:
    """The recogniser may take a person's name for an organisation ("Maryam Violet, an Iranian
    journalist"); a title only a person holds set beside it makes it a person, so a later "she" is
    theirs. A title an organisation can hold too ("the owner of") does not."""
    qs = extract_quotes("Governor Ann Lee spoke first. Maryam Violet, an Iranian journalist, said she saw the "
                        "truck hit people. “I was walking for nearly a mile,” she said.")
    assert [(q.speaker, q.speaker_role) for q in qs] == [("Maryam Violet", "Iranian journalist")] * 2
    qs = extract_quotes("Harbor Holdings, the owner of the stadium, said the roof would be repaired.")
    assert [(q.speaker, q.speaker_type) for q in qs] == [("Harbor Holdings", "ORG")]


def test_a_noun_with_a_past_participle_is_not_its_speaker() -> None:
    """"Minister accused of urging delay": the minister is who was accused, not the accuser; and when
    the parser gives a verb two subjects ("Minister accused of X - ministry says Y"), the nearer one
    speaks."""
    qs = extract_quotes("Minister accused of urging delay – ministry says claim is “simply false”")
    assert [(q.kind, q.cue, q.speaker, q.text) for q in qs] == [("mixed", "says", "ministry", "claim is “simply false”")]
    assert extract_quotes("The deal was struck by a developer known to be bullish on golf.") == []



def test_a_schedule_is_no_quote_and_figures_speak_as_themselves() -> None:
    """"is due to appear" is a schedule, as "is likely to" is a forecast: no quote. Official figures,
    records and data with no owner named speak as themselves; as evidence ("the figures highlight")
    they say nothing."""
    text = ("Governor Jane Okafor said the bank had acted. Okafor is due to appear before the finance "
            "committee on June 17.")
    assert [q.cue for q in extract_quotes(text)] == ["said"]
    qs = extract_quotes("Annual inflation rose to 5.9 per cent in April, official figures showed last week.")
    assert [(q.speaker, q.text) for q in qs] == [("official figures", "Annual inflation rose to 5.9 per cent in April")]


def test_negated_content_is_a_denial_only_as_a_statement_of_fact() -> None:
    """A negated clause under a neutral cue denies the holder's own acts ("said it had never
    interfered") or a characterisation ("the report was not true"); with a modal it is a plan or a
    forecast ("would not vote"), under a warning or a belief it is what is feared or thought, "did
    not comment" declines to answer, and a negative fact about something else is no denial."""
    text = ("The ministry said it had never interfered in the vote.\n\n"
            "The ministry said the report was not true.\n\n"
            "The senator said he would not vote for the bill.\n\n"
            "The minister warned that rates alone could not fix the problem.\n\n"
            "The bank said it did not comment on private meetings.\n\n"
            "The engineer said boiling the water does not remove benzene.")
    by_text = {q.text: q.denial for q in extract_quotes(text)}
    assert by_text == {"it had never interfered in the vote": True, "the report was not true": True,
                       "he would not vote for the bill": False,
                       "that rates alone could not fix the problem": False,
                       "it did not comment on private meetings": False,
                       "boiling the water does not remove benzene": False}


def test_they_goes_on_with_a_plural_description_of_the_paragraph() -> None:
    """"Working families did everything right. They paid their bills. They reported the smell":
    "they" is the families the paragraph is about, not the organisation named before it."""
    text = ("The regional board has now opened an investigation.\n\n"
            "Working families in Saltgate did everything right. They paid their water bills. "
            "They reported the smell.")
    assert [(q.speaker, q.speaker_mention) for q in extract_quotes(text)] == [("Working families", "They")]


def test_a_sentence_ended_after_the_closing_mark_takes_no_cue_from_the_next() -> None:
    """'What do you think about "X"? Drop your thoughts below and tap the bell to get notified': the
    quoted headline's sentence ended after its closing mark; the next sentence attributes nothing to it."""
    text = ("What do you think about “Residents told not to drink tap water”? Drop your thoughts in the "
            "comments below and tap the bell to get notified when this story is updated.")
    assert extract_quotes(text) == []


def test_counted_people_and_a_city_speak_as_themselves() -> None:
    """"Tens of thousands of families", "dozens of residents" count people who can speak; "the city
    said" is its government."""
    text = ("Tens of thousands of families in Harborview found out this week that their water was unsafe. "
            "The sites are open until further notice, the city said.")
    assert [q.speaker for q in extract_quotes(text)] == ["Tens of thousands of families in Harborview", "the city"]


def test_a_coordinated_verb_goes_with_the_reporting_verb_of_its_form() -> None:
    """"X said families were paying for it, and called for an inquiry": the parser joins "called" to
    "paying" inside what was said; its form matches "said", so X calls for the inquiry."""
    text = ("Opposition spokesperson Celia Marwick said families were paying for the tariff fight through "
            "their mortgages, and called for the governor to be questioned in parliament.")
    assert [(q.cue, q.speaker) for q in extract_quotes(text)] == [("said", "Celia Marwick"), ("called for", "Celia Marwick")]


def test_a_capitalised_title_alone_is_the_person_it_titles() -> None:
    """'Minister: "the list is ready"' (a crosshead), "the President's ...": a title on its own, which
    the tagger reads as a name, stands for the person the article gives that title."""
    text = ("The bank raised its rate on Wednesday.\n\nMinister: “the list is ready”\n\n"
            "Finance Minister Pavel Doranić said the decision was the bank's call.")
    assert [q.speaker for q in extract_quotes(text)] == ["Pavel Doranić", "Pavel Doranić"]


def test_a_coordinated_verb_leaves_a_neighbour_whose_subject_says_nothing() -> None:
    """"Marwick said questions remained and called for the notes to be published": the parser joins
    "called" to "remained", whose subject ("questions") can say nothing; Marwick calls for it."""
    qs = extract_quotes("Marwick said questions remained and called for any notes of the May 9 meeting to be published.")
    assert [(q.cue, q.speaker) for q in qs] == [("said", "Marwick"), ("called for", "Marwick")]


def test_a_reported_clause_keeps_a_list_a_modal_or_present_conjunct_and_a_negated_act() -> None:
    """What the parser hangs after a reported clause still belongs to it: a list it read as an
    appositive (", the harbour plan and ..."), a conjunct in the reported future ("and then would
    continue"), one in the present after a past cue ("but he doesn't want"), and an act the speaker
    denies having done ("and never called a donor": no further report)."""
    text = ("The mayor said the two councils differ on housing, the harbour plan and the future of the tram depot.\n\n"
            "The director said she hoped to reopen the gallery, and then would continue to expand its programme.\n\n"
            "He said he’ll back whoever the council picks, but beyond that, he doesn’t want to be involved in the race.\n\n"
            "The treasurer said he has not held private dinners and never called a donor to ask for money.")
    assert [q.text for q in extract_quotes(text)] == [
        "the two councils differ on housing, the harbour plan and the future of the tram depot",
        "she hoped to reopen the gallery, and then would continue to expand its programme",
        "he’ll back whoever the council picks, but beyond that, he doesn’t want to be involved in the race",
        "he has not held private dinners and never called a donor to ask for money"]


def test_apostrophe_pairs_close_after_a_space_and_in_threes() -> None:
    """''I hate the term 'harbour rich,' '' (a pair after a space that a space follows closes) and
    'old-school,''' (of three apostrophes the last two close the double quote)."""
    text = "''I hate the term 'harbour rich,' '' she said. ''I would use the word 'old-school,''' he said."
    assert [text[q.start:q.end] for q in find_quoted_spans(text)] == [
        "I hate the term 'harbour rich,'", "I would use the word 'old-school,'"]


def test_a_quoted_programme_name_is_no_quote() -> None:
    """'On Channel 4’s “Dispatches,” the minister said ...': the quoted word names a programme."""
    qs = extract_quotes("On Channel 4’s “Dispatches,” the minister said the plan would fail.")
    assert [(q.kind, q.text) for q in qs] == [("indirect", "the plan would fail")]


def test_a_poll_share_speaks_through_a_misparsed_participle_or_count() -> None:
    """"Majorities of Democrats in five states going to the polls Tuesday say ...": the parser made
    "going" the root and gave "say" no subject; "About 4 in 10 say ...": it made the count a modifier
    of the verb."""
    text = ("Majorities of Democrats in five states going to the polls Tuesday say they would be satisfied "
            "with both candidates as the nominee.\n\n"
            "About 4 in 10 say they want the next president to have more liberal policies.")
    assert [(q.speaker, q.text) for q in extract_quotes(text)] == [
        ("Majorities of Democrats in five states", "they would be satisfied with both candidates as the nominee"),
        (None, "they want the next president to have more liberal policies")]


def test_a_quote_before_and_said_that_is_the_first_verbs() -> None:
    """'She declared “What a night!” and said that her party would keep “breaking barriers”': "said"
    reports a clause of its own; the exclamation is what she declared."""
    qs = extract_quotes("She declared “What a night!” and said that her party would keep “breaking barriers” "
                        "across the region.")
    assert [(q.kind, q.cue, q.text) for q in qs] == [
        ("partial", "declared", "What a night!"),
        ("mixed", "said", "that her party would keep “breaking barriers” across the region")]


def test_a_closing_cue_with_an_appositive_subject_and_an_addressee() -> None:
    """"X remains committed to Y, his top aide, Tad Devine, told The Huffington Post.": a sentence closed by a
    speaker with an appositive and a cue with whom it was said to reports everything before the comma."""
    qs = extract_quotes("Despite a series of costly defeats on Tuesday night, Sen. Bernie Sanders (I-Vt.) remains committed "
                        "to seeing the Democratic primary through to the convention, his top aide, Tad Devine, told The "
                        "Huffington Post.")
    assert [(q.cue, q.speaker) for q in qs] == [("told", "Tad Devine")]
    assert qs[0].text.endswith("remains committed to seeing the Democratic primary through to the convention")


def test_an_opening_mark_typed_for_a_closing_one_after_a_word() -> None:
    """'called the group “abhorrent“ in a tweet': the second mark closes the quote."""
    text = "Senator Ada Price called the group “abhorrent“ in a tweet on Sunday."
    assert [text[q.start:q.end] for q in find_quoted_spans(text)] == ["abhorrent"]


def test_a_long_sentence_after_a_question_only_attributes_it() -> None:
    """'"..., who knows?" Trump told ITV in an interview aired on Monday when asked how ...': the
    sentence after the quoted question only attributes it (the "when asked" clause says when)."""
    from storyline.nlp.parse import parse
    from storyline.nlp.quotes import _bare_attribution

    doc = parse("Trump told Britain’s ITV television station in an interview aired on Monday when asked how ties "
                "would fare if he won the U.S. presidential election on Nov. 8.\n")
    assert len(doc) > 30 and _bare_attribution(doc[:], 0)
    assert _bare_attribution(parse("Trump told the ITV television station in London on Monday when asked how ties "
                                   "with Britain would fare.")[:], 0)
    assert not _bare_attribution(parse("Trump told the station that ties would fare well if he won the election.")[:], 0)


def test_an_epithet_is_the_person_quoted_last() -> None:
    """"the real estate tycoon entered the race ..., calling them rapists": "tycoon", like "the
    senator", stands for the person the article quoted last."""
    text = ("“Go back to Univision,” Trump said.\n\n"
            "The row erupted two months after the real estate tycoon entered the race with harsh words about "
            "immigrants, calling them rapists and vowing to make Mexico pay for a wall.")
    assert [(q.cue, q.speaker) for q in extract_quotes(text)] == [
        ("said", "Trump"), ("calling", "Trump"), ("vowing", "Trump")]


def test_a_person_named_inside_a_quote_is_not_its_speakers_antecedent() -> None:
    """'"It started with Governor Bush," he said': "he" is not the person the quote talks about (with
    no one else named before, the pronoun stays as it is rather than wrong)."""
    qs = extract_quotes("The board met on Monday.\n\n“It started with Gov. Bush,” he said.")
    assert [(q.speaker, q.speaker_mention) for q in qs] == [("he", "he")]


def test_a_relative_clause_read_as_a_reported_clause_leaves_the_speaker() -> None:
    """"Sanders, meanwhile, who sits at zero such endorsements, said that ...": the parser made "who
    sits ..." a clause of "said"; Sanders said what follows."""
    text = ("Sanders, meanwhile, who sits at zero such endorsements, said that fact speaks volumes about which of "
            "the two Democratic presidential candidates is \"prepared to take on the establishment.\"")
    assert [(q.cue, q.speaker, q.text[:20]) for q in extract_quotes(text)] == [("said", "Sanders", "that fact speaks vol")]


def test_a_report_runs_on_into_a_quote_that_ends_its_sentence() -> None:
    """'pledged to oppose legal status "today, tomorrow, forever."': the parser hung the quoted words
    outside the infinitive; they end what was pledged, which becomes a mixed quote."""
    text = ("Invoking the image of segregation during the civil rights movement, Mr. Cruz pledged to oppose legal "
            "status for undocumented immigrants “today, tomorrow, forever.”")
    qs = [q for q in extract_quotes(text) if q.cue == "pledged"]
    assert [(q.kind, q.text) for q in qs] == [
        ("mixed", "to oppose legal status for undocumented immigrants “today, tomorrow, forever.”")]


def test_a_bare_coordinated_reporting_verb_stays_in_the_reported_clause() -> None:
    """"Kasich says he'd sit Putin down and tell him "no more nonsense"": "tell" shares the clause's
    "'d"; only a finite one ("said he was confused and called it a mistake") is a report of its own."""
    qs = extract_quotes("Kasich says he’d sit Putin down and tell him “no more nonsense” and tells the crowd he was "
                        "the “first one” to say it.")
    assert [(q.cue, q.text) for q in qs] == [("says", "he’d sit Putin down and tell him “no more nonsense”"),
                                            ("tells", "he was the “first one” to say it")]


def test_an_inverted_speaker_closing_the_sentence() -> None:
    """"..., but it is under intense pressure from Asian imports, said the company's chief executive,
    John J. Ferriola.": the parser joined "said" to the clause; everything before the comma is his."""
    qs = extract_quotes("In nearby Decatur, the big Nucor steel plant is hanging on, but it is under intense pressure "
                        "from Asian imports, said the company's chief executive, John J. Ferriola.")
    assert [(q.cue, q.speaker) for q in qs] == [("said", "John J. Ferriola")]
    assert qs[0].text.endswith("it is under intense pressure from Asian imports")


def test_a_broken_relative_clause_before_the_cue_leaves_its_noun_the_speaker() -> None:
    """"One attendee, who like others spoke on the condition of anonymity ..., said the message was
    ...": the parser made "spoke" a clause of "said"; the attendee said it, and the source phrase is
    the noun phrase, not the broken clause."""
    text = ("One attendee, who like others spoke on the condition of anonymity to discuss the private meeting, said "
            "the message was that \"this is not going to be over in February or March as much as we would all like "
            "it to be.\"")
    assert [(q.cue, q.speaker, q.text[:20]) for q in extract_quotes(text)] == [
        ("said", "One attendee", "the message was that")]


def test_a_quote_under_a_phrase_of_a_cue_that_reports_its_own_clause() -> None:
    """'Walking into the office to chants of "Marco! Marco!," the senator said his campaign here was
    "closing really strong."': the chant is not what the senator said; his clause is a mixed quote."""
    qs = extract_quotes("Walking into the office to chants of \"Marco! Marco!,\" the senator said his campaign here "
                        "was \"closing really strong.\"")
    assert [(q.kind, q.cue, q.text) for q in qs] == [
        ("mixed", "said", "his campaign here was \"closing really strong.\"")]


def test_two_quoted_fragments_of_one_act_make_one_mixed_quote() -> None:
    """'described her role as a "historic challenge" that goes "beyond politics."': the second
    fragment ends past the object by its full stop; it is still part of the same act, which gives
    one mixed quote (it had given two, one with the closing mark and one without)."""
    qs = extract_quotes("Smith also described her upcoming role as a “historic challenge” that goes “beyond "
                        "politics.”")
    assert [(q.kind, q.cue, q.text) for q in qs] == [
        ("mixed", "also described", "her upcoming role as a “historic challenge” that goes “beyond politics.”")]


def test_whom_someone_spoke_to_is_not_what_was_said() -> None:
    """"spoke briefly to reporters after the vote": the reporters are the addressee, not the content;
    "spoke to reporters about the vote" is about the vote."""
    qs = extract_quotes("Jane Smith spoke briefly to reporters after the vote. Later she spoke to reporters about "
                        "the budget.")
    assert [(q.cue, q.text) for q in qs if q.text == "reporters"] == []
    assert [q.text for q in qs if q.text.startswith("the budget")] == ["the budget"]


def test_an_indefinite_description_is_someone_new() -> None:
    """"A senator who asked not to be named said ...": someone not named before, not the senator the
    article named in the sentence before."""
    qs = extract_quotes("Senator Jane Smith said the bill would pass. A senator who asked not to be named said the "
                        "votes were not there.")
    assert [q.speaker for q in qs] == ["Jane Smith", "A senator who asked not to be named"]


def test_the_state_party_member_is_the_person_quoted_last() -> None:
    """"The California Democrat spoke to reporters, saying ...": one member of a party, the person
    quoted just before, not the party."""
    qs = extract_quotes("“We know how to win elections,” Representative Jane Smith said on Wednesday.\n\n"
                        "The California Democrat spoke briefly to reporters after the vote, saying she feels "
                        "“exhilarated” at being re-elected.")
    assert [(q.speaker, q.cue) for q in qs] == [("Jane Smith", "said"), ("Jane Smith", "saying")]


def test_a_verb_of_what_is_reported_gives_no_chain() -> None:
    """"Dingell said she has spoken "endlessly" to Smith about ...": Smith is whom she spoke to, in
    what she reports, not the channel of her words; "Speaking to CNN, X said" still is."""
    text = ("Dingell said she has spoken “endlessly” to Jane Smith about appealing to Midwestern voters, and said "
            "she gets it. “Leader Smith always listened and she always understood.”\n\n"
            "Speaking to CNN, Jones said the plan was dead.")
    assert [(q.speaker, [c.name for c in q.chain]) for q in extract_quotes(text)] == [
        ("Dingell", []), ("Dingell", []), ("Dingell", []), ("Jones", ["CNN"])]


def test_a_surname_two_people_share_goes_to_the_one_named_most() -> None:
    """"Mr. Cruz" when the article names Senator Ted Cruz and his wife Heidi Cruz: the person it names
    most often and first, not the longest name with that surname."""
    text = ("Senator Ted Cruz of Texas attacked Donald Trump on Friday. Ted Cruz said the ad was a smear. After "
            "threatening Mr. Cruz's wife, Heidi Cruz, Mr. Trump retweeted a photo of her.\n\n"
            "Calling Mr. Trump a “sniveling coward,” Mr. Cruz told his rival to “leave Heidi the hell alone.”")
    assert {q.speaker for q in extract_quotes(text) if q.cue == "told"} == {"Ted Cruz"}


def test_a_surname_the_recogniser_took_for_an_organisation() -> None:
    """"Fox said" in an article about former President Vicente Fox: the recogniser tags the lone
    "Fox" an organisation (it also took "Fox News' Megyn Kelly" for one); the person named Fox."""
    text = ("Former Mexican President Vicente Fox criticised the visit on Wednesday. He told Fox News’ Megyn Kelly "
            "that the meeting was a mistake.\n\n“He is a false prophet,” Fox said.")
    qs = extract_quotes(text)
    assert [q.speaker for q in qs if q.kind == "direct"] == ["Vicente Fox"]


def test_an_expletive_it_speaks_for_no_one() -> None:
    """"It's useful to remember the outrage": "it" holds the place of the infinitive; it is not the
    organisation named before."""
    text = ("The posts were paid for by a super PAC backing the senator.\n\n"
            "It’s useful to remember the news media outrage in 2012.")
    assert [q.speaker for q in extract_quotes(text)] == []


def test_a_title_matches_whole_words_of_a_role() -> None:
    """"the president said" after "Jane Smith, the presumptive Democratic presidential nominee": the
    president is not the presidential nominee; it is the person quoted just before."""
    text = ("Jane Smith, the presumptive Democratic presidential nominee, called the massacre an “act of terror.”\n\n"
            "“We will love one another,” Mr. Obama said. Rather than giving in to fear, the president said, “we "
            "will stand united, as Americans, to protect our people.”")
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith", "Obama", "Obama"]


def test_no_one_named_in_the_report_is_its_speaker() -> None:
    """"She said Smith was wrong": "she" is not Smith (the last person quoted); and "the letter argues
    that Smith ..." is not Smith's letter (the person quoted last before it who is not Smith)."""
    text = ("“The plan works,” John Smith said on Monday.\n\n"
            "Mary Jones disagreed. She said Smith was wrong.\n\n"
            "The letter argues that Smith misread the law.")
    qs = extract_quotes(text)
    assert [(q.cue, q.speaker) for q in qs if q.cue in ("said", "argues")] == [
        ("said", "John Smith"), ("said", "Mary Jones"), ("argues", "Mary Jones")]


def test_the_letter_speaks_for_whoever_sent_it() -> None:
    """"A group of professors has sent Smith a letter ... The letter says ...": the group's letter,
    not the last person quoted."""
    text = ("A group of nearly 90 professors at Acme University has sent John Smith a letter about his budget.\n\n"
            "“The budget helps families,” Smith said.\n\n"
            "The letter says the budget hurts the poor.")
    qs = extract_quotes(text)
    assert [q.speaker for q in qs if q.cue == "says"] == ["A group of nearly 90 professors at Acme University"]


def test_she_is_not_a_man_the_first_name_tells() -> None:
    """With no title or pronoun to tell, the first name does: "she" after quotes of Debbie Lane and
    then of Adam Stone is Debbie Lane, the woman quoted last, not the man."""
    text = ("“We will win,” Debbie Lane said on Monday.\n\n"
            "“We need the best to lead us,” Adam Stone told the room.\n\n"
            "“I have strong support in the unions,” she said.")
    assert [q.speaker for q in extract_quotes(text)] == ["Debbie Lane", "Adam Stone", "Debbie Lane"]


def test_first_names_one_sex_dominates() -> None:
    from storyline.nlp.names import gender_of

    assert [gender_of(n) for n in ("Mary Smith", "John Smith", "Kelly Smith", "Smith", "Lin Jian")] == [
        "f", "m", None, None, None]


def test_a_paragraph_that_introduces_someone_before_the_quote() -> None:
    """"Those comments drew a sharp response from Rev. William Owens ... "...," he told a press
    conference": the person the paragraph introduces, not the last speaker two paragraphs up; 'Of
    Obama, he said, "..."' names Obama in the quote's own sentence and changes nothing."""
    text = ("Chris Johnson sees a double standard. “He said the exact same thing,” Johnson told reporters.\n\n"
            "The backlash has been ferocious.\n\n"
            "Those comments drew a sharp response from Rev. William Owens of a pastors' coalition. “Some people "
            "don’t want them in their cities. It is a disgrace,” he told a press conference.\n\n"
            "Of Obama, he said, “I want him to do well.”")
    assert [q.speaker for q in extract_quotes(text) if q.kind == "direct"] == [
        "Chris Johnson", "William Owens", "William Owens"]


def test_a_title_with_no_role_known_is_not_a_speaker_quoted_paragraphs_before() -> None:
    """"The mayor suggested ..." two paragraphs after Chris Johnson's quote: the mayor, not Johnson."""
    text = ("“He said the exact same thing,” Chris Johnson told reporters.\n\n"
            "At one location, the restaurant was packed, while the line for the drive-thru looped twice around the "
            "building and out into the street, and more people kept arriving all afternoon long. The backlash "
            "across the country against the chain has been ferocious since its president spoke out, and the "
            "company has said little in public since then about any of it.\n\n"
            "The mayor suggested it was peddling “hate chicken.”")
    assert [q.speaker for q in extract_quotes(text) if q.cue in ("told", "suggested")] == ["Chris Johnson", "The mayor"]


def test_said_in_a_statement_that() -> None:
    """"confirmed in a statement that prosecutors intended ...": the parser hangs the clause on
    "statement"; the statement belongs to the cue and the content is the clause, as annotators mark it."""
    text = "A lawyer for the senator confirmed in a statement that prosecutors intended to file charges."
    (q,) = [q for q in extract_quotes(text) if q.cue.startswith("confirmed")]
    assert (q.cue, q.text) == ("confirmed in a statement", "that prosecutors intended to file charges")


def test_a_lawsuit_speaks_for_itself() -> None:
    """"The lawsuit says the measure runs afoul of federal law": a legal filing states things in its own
    words, like a law or a platform; it had no speaker at all."""
    qs = extract_quotes("Two states sued Colorado on Thursday. The lawsuit says the measure runs afoul of federal law.")
    assert [(q.speaker, q.text) for q in qs if q.cue == "says"] == [
        ("The lawsuit", "the measure runs afoul of federal law")]


def test_a_title_inside_a_quotation_is_the_speakers() -> None:
    """"the former Chilean president once suggested ..." after Rojas's quote naming "President
    Lincoln": the president the writer introduced (Rojas), not one a speaker named in a quotation."""
    text = ("Former Chilean President Carlos Rojas said the visit was a mistake. “I cannot envision him in that "
            "chair, the chair of President Washington and President Lincoln,” Rojas said.\n\n"
            "Michael Brennan responded, noting that the former Chilean president once suggested that he pay the "
            "country a visit.")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "once suggested"] == ["Carlos Rojas"]


def test_a_dateline_or_a_list_dash_is_no_part_of_the_source() -> None:
    """"Lisbon (Reuters) - Prime Minister Ana Costa said ..." names the minister, not the dateline;
    "-Lena Ortiz explains ..." in a bulleted list names Lena Ortiz, not "-Lena Ortiz"."""
    text = ("Lisbon (Reuters) - Prime Minister Ana Costa said on Tuesday that the budget would pass.\n\n"
            "Further reading:\n-Lena Ortiz explains why the vote matters to voters in the south.")
    got = [(q.speaker, text[q.speaker_start:q.speaker_end]) for q in extract_quotes(text)]
    assert ("Ana Costa", "Prime Minister Ana Costa") in got
    assert all(not name.startswith("-") and not mention.startswith(("-", "Lisbon")) for name, mention in got)


def test_they_is_a_group_never_one_person() -> None:
    """"They" goes to people named together ("Ana Lopez and Mark Diaz, sociologists at ...") or to an
    organisation, never to the one person named last; a later "he" is not the pair."""
    text = ("Ana Lopez and Mark Diaz, sociologists at the City Institute, published a book this year. They "
            "argue that cities adapt faster than nations.\n\n"
            "Senator Paul Grant voted against the bill. They said the vote was a mistake.\n\n"
            "Mark Diaz spoke to students on Friday. He said the book took a decade.")
    got = {q.cue: q.speaker for q in extract_quotes(text)}
    assert got["argue"] == "Ana Lopez and Mark Diaz"
    assert got["said"] != "Paul Grant"
    assert [q.speaker for q in extract_quotes(text) if q.text.startswith("the book")] == ["Mark Diaz"]
    # a title before the second name may stand between
    qs = extract_quotes("Sen. Paul Grant and Rep. Ann Fox said the bill was dead.")
    assert [q.speaker for q in qs] == ["Paul Grant and Ann Fox"]


def test_a_headline_label_may_be_a_surname_of_the_story() -> None:
    """"Okafor: No outside influence on the inquiry." over a story on Attorney General Grace Okafor
    is her statement, however the tagger read the lone surname; so is "Okafor to Donors: ..."."""
    for title in ("Okafor: No outside influence on the inquiry into the donations.",
                  "Okafor to Donors: The inquiry will follow the evidence wherever it leads."):
        text = title + ("\n\nLAGOS (AP) — Attorney General Grace Okafor is reaffirming that the inquiry is "
                        "free of political influence.")
        heads = [q for q in extract_quotes(text) if q.start < len(title)]
        assert [(q.speaker, text[q.speaker_start:q.speaker_end]) for q in heads] == [("Grace Okafor", "Okafor")]
    # a title-case section heading names no one
    text = "Stealth Over Health: The plan would cut funding for clinics.\n\nThe plan was announced on Monday."
    assert [q for q in extract_quotes(text) if q.start < 20] == []


def test_a_transcript_surname_the_tagger_read_as_a_noun_is_that_person() -> None:
    """"Holm: ..." in a transcript is Chris Holm even where the tagger reads "Holm" as a noun and a
    list the parser hung on another name ("Holm, MSNBC's Alex Berg and Reuters' Laura Miller") would
    make "Holm" a title of hers."""
    text = ("A panel led by Chris Holm agreed on Saturday. Instead, Holm, MSNBC’s Alex Berg and Reuters’ Laura "
            "Miller argued that the plan was naive.\n\n"
            "Laura Miller: Saying it to people is one thing, everyone has a different image of it.\n\n"
            "Holm: Well, speculation is bad.\n\n"
            "Miller: Well, savings accounts are no speculation at all.\n\n"
            "Holm: Here’s the irony of our time: everybody hates people who make money off money.")
    got = [(q.speaker, q.text[:10]) for q in extract_quotes(text) if q.start > 150]
    assert got == [("Laura Miller", "Saying it "), ("Chris Holm", "Well, spec"), ("Laura Miller", "Well, savi"),
                   ("Chris Holm", "Here’s the")]


def test_the_speaker_of_an_interrupted_quote_is_the_subject_nearest_the_cue() -> None:
    """'"... I hold in the highest esteem Sen. Jane Doe," Smith said, "and ..."': the parser makes the
    senator a second subject of "said"; Smith speaks."""
    text = ("“And while I’m at it, I hold in the highest esteem Sen. John McCain,” Trump said, “and I fully "
            "support and endorse his re-election.”")
    assert [q.speaker for q in extract_quotes(text)] == ["Trump"]


def test_a_reporting_participle_after_a_reported_clause_is_its_reporters() -> None:
    text = ("Trump argued that a database would keep people from coming into the country illegally, saying it’s "
            "“all about management.”")
    assert [(q.cue, q.speaker) for q in extract_quotes(text)] == [("argued", "Trump"), ("saying", "Trump")]


def test_quoted_words_with_any_word_of_their_clause_outside_make_a_mixed_quote() -> None:
    """'said Smith is "unelectable now"': the reported clause is the quote, with its quoted words;
    'said that "..."' stays direct and a one-word verdict ('as "absurd"') stays partial."""
    text = ('Sen. Ana Ortiz said Smith is “unelectable now.” Ortiz said that “we will win the race in March.” '
            'The minister dismissed the claims as “absurd.”')
    assert [(q.kind, q.text) for q in extract_quotes(text)] == [
        ("mixed", "Smith is “unelectable now.”"), ("direct", "we will win the race in March."), ("partial", "absurd")]


def test_a_channel_is_where_something_is_said_not_what() -> None:
    """"responded on Twitter", "spoke out on television against the bill": the platform is the channel,
    never the content."""
    text = ("Campaign spokesman Leo Brandt responded on Twitter, calling the charge “pathetic.” "
            "The senator spoke out on television against the bill.")
    assert all(q.text.lower() not in ("twitter", "television") for q in extract_quotes(text))


def test_a_sentence_goes_on_after_a_parenthetical_cue_the_parser_hung_it_on() -> None:
    """"The argument would be aided, Devine said, by the primary calendar": the words after the cue
    clause finish the reported clause; a participle of what the speaker did, a phrase of the setting
    and a relay do not."""
    text = ("The argument would be aided, Devine said, by the upcoming primary calendar. "
            "The plan is dead, she said, wiping her face. The plan is dead, he said, according to the transcript.")
    qs = extract_quotes(text)
    assert qs[0].text == "The argument would be aided by the upcoming primary calendar"
    assert text[qs[0].start:qs[0].end].endswith("primary calendar")
    assert [q.text for q in qs[1:] if q.cue == "said"] == ["The plan is dead", "The plan is dead"]


def test_a_learned_cue_takes_in_the_preposition_of_its_object() -> None:
    """"weighed in on the record": the cue is "weighed in on" (PolNeAR's cue span), the content the
    record; "shot back in a statement" has no content (the statement is the medium)."""
    qs = extract_quotes("Several senators weighed in on the nominee's record this week. The governor is doubling "
                        "down on his support for the tax. The mayor shot back in a statement.")
    assert [(q.cue, q.text) for q in qs] == [("weighed in on", "the nominee's record"),
                                             ("is doubling down on", "his support for the tax")]


def test_a_cue_phrase_takes_in_back_on_and_clear() -> None:
    """"shot back", "called on residents to ...", "made it clear that ...": one cue phrase each, the
    content after it."""
    qs = extract_quotes("He made it clear that he would not run. The mayor called on residents to stay home. "
                        "The governor shot back that the plan was fine.")
    assert [(q.cue, q.text) for q in qs] == [("made it clear", "that he would not run"),
                                             ("called on", "residents to stay home"),
                                             ("shot back", "that the plan was fine")]


def test_one_word_fragments_of_one_act_make_one_mixed_quote() -> None:
    """'calling the charge "pathetic" and "dangerous"': one mixed quote of the act; a lone one-word
    verdict stays partial."""
    text = ('Campaign spokesman Leo Brandt responded, calling the rival’s charge “pathetic” and “dangerous.” '
            'The minister dismissed the claims as “absurd.”')
    assert [(q.kind, q.text) for q in extract_quotes(text)] == [
        ("mixed", "the rival’s charge “pathetic” and “dangerous.”"), ("partial", "absurd")]


def test_what_someone_released_speaks_for_them() -> None:
    """"X released an ad that urges ...": the ad's words are X's; "issued a statement that said ...":
    the issuer's."""
    text = ("Senator Ana Ortiz released a new 30-second ad that urges voters to send a message to the banks. "
            "The union also issued a statement that said the strike would go on.")
    got = {q.cue: q.speaker for q in extract_quotes(text)}
    assert got["urges"] == "Ana Ortiz" and got["said"] == "The union"


def test_a_description_speaker_is_shown_without_its_clauses() -> None:
    """"The study, published in the journal Health Reports, found ...": the speaker reads "The study";
    the source span keeps the whole phrase. A clause with no comma says which it is and stays."""
    text = ("The study, published in the journal Health Reports, found that hot nights raise mortality. Indiana "
            "politicians, who granted the company tax breaks, want the jobs to stay. Scientists not involved in "
            "the research said the findings were plausible.")
    got = [(q.speaker, text[q.speaker_start:q.speaker_end]) for q in extract_quotes(text)]
    assert got == [("The study", "The study, published in the journal Health Reports"),
                   ("Indiana politicians", "Indiana politicians, who granted the company tax breaks"),
                   ("Scientists not involved in the research", "Scientists not involved in the research")]


def test_a_document_speaks_for_whoever_sent_issued_or_provided_it() -> None:
    """"the letter states" after "X has sent Y, R-Wis., a letter" is X's, never Y's (the parser hangs the
    letter on Y, and it must not become Y's title); "a statement issued by the Ortega campaign" and
    "Cook provided a written statement", then "the statement said": the campaign, Cook."""
    text = ("Rep. Paul Brandt is heading to Riverside College for a speech.\n\n"
            "A group of nearly 90 professors connected to the college has sent Brandt, R-Wis., a letter saying "
            "he has misused church doctrine.\n\n"
            "“We appreciate your willingness to talk about how church teaching can help,” the letter states.")
    q = [q for q in extract_quotes(text) if q.cue == "states"][0]
    assert "Brandt" not in (q.speaker or "") and q.speaker.startswith("A group of nearly 90 professors")
    text = ("Mia Lund said the race was not over.\n\nBut a separate statement issued by the Ortega campaign late "
            "Tuesday was notable. Instead, the statement talked about giving voters the right to choose.")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "talked about"] == ["Ortega"]
    text = "Mia Lund spoke first.\n\nA statement issued by the Sanders campaign said the race was not over."
    assert [q.speaker for q in extract_quotes(text)] == ["the Sanders campaign"]
    text = ("Cook said Carter stopped the practice.\n\nThe Times said Peter Cook provided a written statement in "
            "response to the inquiries.\n\n“After reviewing his email practices, the secretary believes that his "
            "use of personal email was a mistake,” the statement said.")
    assert [q.speaker for q in extract_quotes(text) if q.kind == "direct"] == ["Peter Cook"]


def test_a_document_named_before_without_a_readable_owner_is_not_the_last_speaker() -> None:
    """"a letter released Tuesday and signed by 90 faculty members", then "The letter says": the owner
    cannot be read from the parse, and the person quoted before did not write it."""
    text = ("Mr. Brandt has been criticized ever since he claimed that his budget plan was inspired by his faith.\n\n"
            "The latest criticism comes in a letter released Tuesday and signed by nearly 90 faculty members and "
            "priests at Riverside, the university in Easton, in advance of Mr. Brandt's visit.\n\n"
            "The letter says, “We would be remiss if we did not challenge your misuse of church teaching.”")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "says"] == ["The letter"]


def test_a_social_network_the_recogniser_takes_for_a_person_is_no_antecedent() -> None:
    """The recogniser may tag "Twitter" as a person; a later "she" is still the woman named."""
    text = ("Enter Ms. Lauten — a former party new media aide who describes herself on Twitter as loving God, "
            "cats and “all things pink, green and pearls!” — whose commentary had a sharper edge.\n\n"
            "“Try showing a little class,” she wrote above a picture of the girls.")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "wrote"] == ["Lauten"]


def test_an_ad_speaks_for_whoever_answered_with_it() -> None:
    """"The Republicans hit back with a television commercial", then "the advertisement says": the
    Republicans (an ad, an advertisement and a commercial are one kind of document); "the campaign
    retorted with an ad": the campaign. An ad named by a name in its phrase the recogniser missed
    ("One Club for Growth ad") is itself, not the person quoted last."""
    text = ("The Republicans hit back on Tuesday with a television commercial asserting that the plan was better "
            "for older voters.\n\n“You paid into the fund for years, every paycheck,” the advertisement says.")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "says"] == ["Republicans"]
    text = ("Mia Lund said the race was close.\n\nThe Ortega campaign retorted with an ad of its own on Tuesday. "
            "The ad says: “You paid in for years, and now the fund is cut.”")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "says"] == ["Ortega"]
    text = ("Mia Lund said the race was close.\n\nOne Club for Growth ad, which is currently airing, argues that "
            "“only one candidate can win the state.”")
    assert [q.speaker for q in extract_quotes(text) if q.cue == "argues"] == ["One Club for Growth ad"]


def test_a_sentence_that_only_attributes_introduces_the_quotation_after_it() -> None:
    """"X said in a statement." followed by a quotation (no colon): the quotation is what X said. Not
    when a quotation ends right before that sentence ('"..." he asks. "..."': it attributes the one
    before), and not for a quoted nickname after a sentence that reports something of its own."""
    text = ("The count was close.\n\nJane Okafor, the party's spokesperson, said in a statement. “There are no paper "
            "ballots to recount. The caucuses were a unique event.”\n\nThe rival camp disagreed.")
    assert [(q.kind, q.speaker, q.cue) for q in extract_quotes(text)] == [("direct", "Jane Okafor", "said")]
    text = ("The count was close.\n\nThe state party chair agreed. “Nobody expected a margin that small in any "
            "county.”")
    assert [(q.speaker, q.cue) for q in extract_quotes(text)] == [("The state party chair", "agreed")]
    text = "“We will win in March and in November.” Jane Smith said.\n\n“And we will win it big, too.”"
    assert [q.text for q in extract_quotes(text)] == ["We will win in March and in November.\n\nAnd we will win it big, too."]
    text = "“Can you name one thing they did?” Jane Smith asks.\n\nHer rival was quiet. “I can name two, and that is all.”"
    assert [(q.speaker, q.cue) for q in extract_quotes(text)] == [("Jane Smith", "asks")]
    text = "Mia Lund said the race was close.\n\nThe campaign reported on a college student. “Stickerboy”"
    assert "Stickerboy" not in [q.text for q in extract_quotes(text)]


def test_per_relays_the_clause_it_closes_or_opens_like_according_to() -> None:
    """"..., per X" and "Per X, ..." attribute the clause to X when X can speak (a name, a source, a
    report); "$5 per gallon", "per the agreement" and the "per" of a report whose clause follows
    ("X said, per a translator, that ...": a link of X's report) are none."""
    qs = extract_quotes("The port authority has not commented, per a shipping newsletter, which first reported the leak.")
    assert [(q.speaker_mention, q.text) for q in qs if q.cue == "per"] == [
        ("a shipping newsletter", "The port authority has not commented")]
    qs = extract_quotes("Per the Harbour Gazette, the ferry will stop running in May.")
    assert [(q.cue, q.speaker_mention, q.text) for q in qs] == [("Per", "the Harbour Gazette", "the ferry will stop running in May")]
    assert extract_quotes("Diesel rose to $5 per gallon in the first week of May.") == []
    assert extract_quotes("The ferry will stop running in May, per the agreement signed last year.") == []
    qs = extract_quotes("The mayor said, per an interpreter, that the ferry would stop running in May.")
    assert [(q.cue, q.speaker, q.text) for q in qs] == [("said", "The mayor", "that the ferry would stop running in May")]
    qs = extract_quotes("The mayor said, per the Harbour Gazette, that the ferry would stop running in May.")
    assert [(q.cue, [link.how for link in q.chain]) for q in qs] == [("said", ["per"])]


def test_a_relative_clause_closing_a_sentence_reports_nothing() -> None:
    """", which first reported on the letter." describes the noun before it: it is no closing cue
    reporting the sentence before it (the act "reported on the letter" may stay)."""
    qs = extract_quotes("The ferry will stop running in May, according to the Harbour Gazette, which first reported on the letter.")
    assert [(q.cue, q.text) for q in qs if q.text.startswith("The ferry")] == [
        ("according to", "The ferry will stop running in May")]


def test_a_relay_before_its_clause_leaves_out_the_full_stop() -> None:
    qs = extract_quotes("According to the Harbour Gazette, the ferry will stop running in May.")
    assert [q.text for q in qs] == ["the ferry will stop running in May"]


def test_a_document_from_a_described_organisation_speaks_for_it() -> None:
    """"a statement from the ministry": the ministry the article named before, else the description
    itself (not no speaker at all)."""
    qs = extract_quotes("The Harbour Ministry is in charge of the ferries.\n\n"
                        "According to a statement from the ministry, the talks will resume in June.")
    assert [(q.speaker_mention, q.speaker) for q in qs] == [("a statement from the ministry", "Harbour Ministry")]
    qs = extract_quotes("A statement from the ministry said the talks will resume in June.")
    assert [q.speaker for q in qs] == ["the ministry"]


def test_a_question_put_to_the_speaker_has_no_source() -> None:
    """"Asked whether ..., she said": the question was put to her, as in "she was asked whether ...",
    so it is reported with no source; "Asked by a reporter whether ..." keeps the reporter."""
    qs = extract_quotes("Asked whether the bank had come under pressure, Anika Roth said it had not.")
    assert [(q.cue, q.speaker, q.text) for q in qs] == [
        ("Asked", None, "whether the bank had come under pressure"), ("said", "Anika Roth", "it had not")]
    qs = extract_quotes("Asked by a reporter whether the bank had come under pressure, Anika Roth said it had not.")
    assert [q.speaker for q in qs] == ["a reporter", "Anika Roth"]


def test_a_surname_alone_the_recogniser_missed_is_a_mention_for_a_later_pronoun() -> None:
    """"Mensah hit back on Saturday. Ministers, he said, ...": the surname alone, once the person was
    named in full, is the "he" of the next sentence, not the speaker quoted last."""
    text = ("Union leader Kofi Mensah said members had been left with no choice.\n\n"
            "\"It's a disgrace,\" said commuter Ben Ashworth, 34.\n\n"
            "Mensah hit back on Saturday morning. Ministers, he said, had \"not lifted a finger\" in eight months.")
    assert [q.speaker for q in extract_quotes(text)] == ["Kofi Mensah", "Ben Ashworth", "Kofi Mensah"]


def test_a_surname_alone_names_the_person_whose_name_it_ends() -> None:
    """"John" alone after "Ted Cruz and John Kasich" and "said Tom John" is Tom John: a name it ends
    before one it starts (a headline's "Trump Calls" read as a name does not outrank "Donald Trump")."""
    text = ("Rivals Ted Cruz and John Kasich have won fewer votes.\n\n"
            "\"We want a fair fight,\" said Tom John, chairman of the district party.\n\n"
            "John said the three delegates from his district were unknown.")
    assert [q.speaker for q in extract_quotes(text)] == ["Tom John", "Tom John"]


def test_a_name_set_off_after_a_title_for_an_organisation_is_the_speaker() -> None:
    """"A spokeswoman for the company, Ingrid Sørensen, said": the parser hangs the name on the
    company; the speaker is the spokeswoman, named, with her title as the role."""
    qs = extract_quotes("A spokeswoman for the company, Ingrid Sørensen, said the offer was final.")
    assert [(q.speaker, q.speaker_role) for q in qs] == [("Ingrid Sørensen", "spokeswoman for the company")]


def test_a_quotation_over_several_paragraphs_drops_the_mark_that_reopens_each() -> None:
    """News style runs a quotation on into the next paragraph with no closing mark, reopening it
    there: the quote's words keep the paragraph break and lose that mark."""
    text = ("Union leader Kofi Mensah was angry.\n\n\"The company has refused to move an inch.\n\n"
            "\"If ministers want to end this dispute, they know where to find us,\" he said.")
    qs = extract_quotes(text)
    assert [q.text for q in qs] == [
        "The company has refused to move an inch.\n\nIf ministers want to end this dispute, they know where to find us,"]
    assert text[qs[0].start:qs[0].end].count('"') == 1  # the offsets still cover the original words


def test_a_quote_going_on_with_a_named_person_names_the_description_before_it() -> None:
    """'The chief negotiator said ... "...," Claire Dubois added.': "added" goes on with the speaker
    just before, so the description is Claire Dubois (its words become her role); "He added" names
    no one new."""
    text = ("In an interview, the bloc's chief negotiator said the talks had made progress on fisheries. "
            "\"We cannot be expected to give everything and receive nothing,\" Claire Dubois added.")
    qs = extract_quotes(text)
    assert [(q.speaker, q.speaker_mention) for q in qs] == [
        ("Claire Dubois", "the bloc's chief negotiator"), ("Claire Dubois", "Claire Dubois")]
    assert qs[0].speaker_role and "negotiator" in qs[0].speaker_role
    text = ("A representative for the company said the inquiry had nothing to do with the sale. "
            "He added that the talks had been brief.")
    assert extract_quotes(text)[0].speaker == "A representative for the company"


def test_a_person_described_by_how_they_put_it_introduces_the_quotation_after_a_colon() -> None:
    """'Smith was blunt: "..."': a copula with an adjective, whose subject is a person, introduces the
    quotation its colon opens; 'The rules are clear: "..."' does not (rules do not speak)."""
    qs = extract_quotes('Jane Smith was blunt: "This plan is dead and everyone knows it."')
    assert [(q.kind, q.speaker, q.text) for q in qs] == [("direct", "Jane Smith", "This plan is dead and everyone knows it.")]
    assert extract_quotes('The rules are clear: "No phones are allowed in the chamber."') == []


def test_a_quotation_opened_by_a_colon_is_direct_even_when_the_clause_before_is_reported() -> None:
    """'... and that the mayor has learned her lesson: "..."': the words before the colon introduce
    the quotation; the quotation itself is the speaker's own words, a direct quote."""
    text = ('Novak said this was a "fatal mistake" and that the mayor has learned her lesson: '
            '"We are ready for a longer fight if we need to be in one."')
    qs = extract_quotes(text)
    assert [(q.speaker, q.text) for q in qs if q.kind == "direct"] == [
        ("Novak", "We are ready for a longer fight if we need to be in one.")]
    # the reported clause the fragment before the colon makes mixed ends at the colon
    assert [q.text for q in qs if q.kind == "mixed"] == [
        'this was a "fatal mistake" and that the mayor has learned her lesson']


def test_one_and_another_speak_for_the_people_just_named() -> None:
    """'"...," said one.' and "Another said ..." after "Residents ..." are one resident and another;
    after "one company ..." another company; "no one said" names no one."""
    text = ('Residents packed the hall on Monday. "We were never consulted," said one. '
            "Another said the plan was rushed. No one said the plan was fair.")
    assert [q.speaker for q in extract_quotes(text)][:2] == ["one resident", "Another resident"]
    assert all("No one" not in (q.speaker or "") for q in extract_quotes(text))
    text = ("The counts differ. While one company says there are more than 2,400 billionaires in the world, "
            "another says there are about 1,800.")
    assert [q.speaker for q in extract_quotes(text)] == ["one company", "another company"]


def test_the_spokesperson_is_the_one_a_description_brought_in_before() -> None:
    """"A spokesperson for the port operator denied ...", then '"...," the spokesperson said': the same
    unnamed speaker, not a new one."""
    text = ("Dock workers stayed on strike on Monday. A spokesperson for the port operator denied that it had "
            'refused to negotiate. "Our offer remains on the table," the spokesperson said.')
    qs = extract_quotes(text)
    assert [q.speaker for q in qs] == ["A spokesperson for the port operator"] * 2
    assert qs[1].speaker_mention == "the spokesperson"


def test_a_quotation_under_evidence_inside_reported_speech_is_the_speakers() -> None:
    """'Santos said the profits showed "..."': the quoted words are a fragment of what the speaker
    said (one mixed quote), not a direct quote of their own that the profits speak."""
    qs = extract_quotes('The union leader, Maria Santos, said those profits showed "there is money for a fair deal".')
    assert [(q.kind, q.speaker, q.cue) for q in qs] == [("mixed", "Maria Santos", "said")]
    assert qs[0].text.startswith("those profits showed")
    # (a clause under evidence alone, no speaker around it, stays as it was)
    qs = extract_quotes('The report said the figures showed "a deep and lasting decline" in trade.')
    assert [q.speaker for q in qs] == ["The report"]


def test_a_first_name_makes_a_person_of_what_the_recogniser_took_for_an_organisation_or_a_place() -> None:
    """A name opened by a first name one sex dominates is a person's, set beside a person noun or
    after a title no organisation holds: later surnames and pronouns find that person."""
    qs = extract_quotes("Chief executive Helena Marques said the attack began in January. "
                        "Marques said the breach was found in February. She declined to comment.")
    assert [q.speaker for q in qs] == ["Helena Marques"] * 3
    qs = extract_quotes("A cybersecurity researcher, Ana Costa, said the files had appeared on a forum.")
    assert [q.speaker for q in qs] == ["Ana Costa"]


def test_a_one_word_name_described_as_a_business_is_no_person() -> None:
    """"telecom operator Acme" makes a business of a one-word name the recogniser took for a
    person: "she" is not that business, and "the company" later is."""
    qs = extract_quotes("Portuguese telecom operator Lusanet said on Monday that hackers had stolen the data. "
                        "Chief executive Helena Marques said the attack began in January. She declined to comment. "
                        "The company denied that it had paid a ransom.")
    assert [(q.speaker, q.cue) for q in qs] == [("Lusanet", "said"), ("Helena Marques", "said"),
                                                ("Helena Marques", "declined"), ("Lusanet", "denied")]


def test_a_refusal_to_say_is_one_quote() -> None:
    """"declined to say whether ..." is one act, reported once (the refusal), not also as a
    report "to say whether ..." of its own."""
    qs = extract_quotes("The minister declined to say whether the company had paid a ransom.")
    assert [(q.cue, q.text) for q in qs] == [("declined", "to say whether the company had paid a ransom")]


def test_a_noun_summing_up_the_clause_before_it_brings_in_who_denies_it() -> None:
    """'..., a claim the company has denied.': the company denies the clause before the comma (not
    "a claim the company" as the source), and what another said ends at that comma."""
    qs = extract_quotes("The operator paid a ransom to the hackers, a charge the company has strongly rejected.")
    assert [(q.speaker_mention, q.text, q.denial) for q in qs] == [
        ("the company", "The operator paid a ransom to the hackers", True)]
    qs = extract_quotes("Officials said that the plant was safe, an assertion that residents dispute.")
    assert sorted((q.speaker, q.text) for q in qs) == [("Officials", "that the plant was safe"),
                                                        ("residents", "Officials said that the plant was safe")]


def test_a_document_noun_inside_a_name_is_part_of_the_name() -> None:
    """"according to Wire Report" relays through "Wire Report", not a report by "Wire"."""
    qs = extract_quotes("The operator said on Monday that hackers had stolen the data, according to Wire Report.")
    said = next(q for q in qs if q.cue == "said")
    assert [x.name for x in said.chain] == ["Wire Report"]


def test_a_first_name_the_recogniser_left_out_is_part_of_the_speaker() -> None:
    """"A lawyer for the families, Beatriz Olmos, said": the recogniser took only "Olmos" as a person,
    which made "Beatriz" her title; the speaker is Beatriz Olmos, a lawyer for the families."""
    qs = extract_quotes("A lawyer for several east side families, Beatriz Olmos, said they would sue the authority.")
    assert [(q.speaker, q.speaker_role) for q in qs] == [("Beatriz Olmos", "lawyer for several east side families")]


def test_its_in_a_title_is_the_organisation_named_before() -> None:
    """"The Water Authority said ... Its director, Gerald Pruitt, said": his role is the authority's
    director, not "Its director"."""
    qs = extract_quotes("The Halden Water Authority said it would hand out filters. Its director, Gerald Pruitt, "
                        "said the plant was not at fault.")
    pruitt = next(q for q in qs if q.speaker == "Gerald Pruitt")
    assert pruitt.speaker_role == "Halden Water Authority's director"


def test_a_quote_inside_what_an_outlet_relays_came_through_it() -> None:
    """'The mayor promised X, the Daily Planet reported.' and '"...," the mayor said, according to the
    newspaper.': the mayor's words came through the Daily Planet (the newspaper named before)."""
    qs = extract_quotes("The mayor of Halden promised on Sunday to replace every lead pipe in the city, the "
                        "Daily Planet reported.\n\n\"We will not wait for Washington to pay for it,\" Mayor "
                        "Teodora Vance said, according to the newspaper.")
    vance = [q for q in qs if q.speaker == "Teodora Vance"]
    assert [q.cue for q in vance] == ["promised", "said"]
    assert all([x.name for x in q.chain] == ["Daily Planet"] for q in vance)
    relay = next(q for q in qs if q.cue == "according to")
    assert relay.speaker == "Daily Planet"


def test_the_network_said_is_not_an_outlet_named_elsewhere() -> None:
    """Only a relay ("according to the newspaper") reads a description as the outlet named before;
    "The network said" is whatever network the article is about."""
    qs = extract_quotes("Still, The Daily Planet reported that the editor had been told to stay quiet. The network "
                        "said it would send the host to Crimea.")
    assert next(q for q in qs if q.text.startswith("it would send")).speaker == "The network"


def test_records_speak_for_whoever_released_them() -> None:
    """"according to results released Sunday by the Water Authority": the authority; "data from Iowa"
    names a place, not an owner, and "some party figures" are people."""
    qs = extract_quotes("Lead levels rose sharply, according to results released Sunday by the Water Authority.")
    assert [q.speaker for q in qs] == ["Water Authority"]
    qs = extract_quotes("Survey data from Iowa showed a sharp shift among voters in the final week.")
    assert all(q.speaker != "Iowa" for q in qs)


def test_an_act_with_no_holder_inside_a_report_is_part_of_it() -> None:
    """"Pruitt said the laboratory had only confirmed the results on Friday": one quote, Pruitt's; the
    laboratory's act inside it is no quote with no speaker."""
    qs = extract_quotes("Pruitt said the laboratory had only confirmed the results on Friday.")
    assert [(q.speaker, q.cue) for q in qs] == [("Pruitt", "said")]


def test_told_an_outlet_in_an_interview_that() -> None:
    """"told the BBC in an interview that X": the parser hangs the clause on "interview"; X is what
    was told, the BBC a link of the chain."""
    qs = extract_quotes("The company's chief executive, Rashid Anwar, told the BBC in an interview that the "
                        "contamination came from a supplier in another country.")
    assert [(q.speaker, q.cue, q.text, [x.name for x in q.chain]) for q in qs] == [
        ("Rashid Anwar", "told", "that the contamination came from a supplier in another country", ["BBC"])]


def test_a_name_with_a_particle_read_as_an_organisation_is_a_person() -> None:
    """"Fenna de Vries, who chairs ..." (read as an organisation) is a person, so the "she" of the
    next quotation is her, not a woman quoted a paragraph before."""
    qs = extract_quotes("'Patients should not stop,' said Dr Imogen Calloway, the agency's chief medical officer.\n\n"
                        "Fenna de Vries, who chairs the patients' group Heart Alliance, said many patients had "
                        "called the charity in a panic. \"People are frightened,\" she said.")
    assert [q.speaker for q in qs] == ["Imogen Calloway", "Fenna de Vries", "Fenna de Vries"]


def test_a_participle_after_a_rejected_allegation_is_the_rejecter_s() -> None:
    """"X rejected claims that the pills had exposed patients to a risk, calling the reports
    "scaremongering"": X calls them so, not the pills."""
    qs = extract_quotes("Veridan Pharma on Monday rejected claims that its recalled pills had exposed patients "
                        "to a cancer risk, calling the reports \"scaremongering.\"")
    assert [(q.speaker, q.cue) for q in qs] == [("Veridan Pharma", "rejected"), ("Veridan Pharma", "calling")]


def test_a_name_with_a_corporate_word_is_a_business() -> None:
    """"Veridan Pharma" (read as a person) is an organisation and a business: "The company said" is it."""
    qs = extract_quotes("Veridan Pharma on Monday rejected claims that its pills were unsafe. The company said "
                        "independent tests had found the contaminant at low levels.")
    assert [q.speaker for q in qs] == ["Veridan Pharma", "Veridan Pharma"]


def test_a_chain_link_leaves_out_the_clause_that_describes_it() -> None:
    """"per the Northern Ledger, which cited the regulator": the link is the Ledger, not "Northern
    Ledger, which cited the country"."""
    qs = extract_quotes("Millions of Britons took the pills every morning, per the Northern Ledger, which cited "
                        "the country's own drug regulator.")
    assert all(x.name == "Northern Ledger" for q in qs for x in q.chain)
    assert all("which" not in (q.speaker or "") for q in qs)


def test_as_an_outlet_reported_is_a_link_of_the_statement_it_relays() -> None:
    """"As the Coastal Times reported, prosecutors showed that X": the prosecutors' statement came
    through the Coastal Times."""
    qs = extract_quotes("As the Coastal Times reported, prosecutors showed that the director took more than "
                        "$2 million from a dredging company.")
    assert [(q.speaker, [x.name for x in q.chain]) for q in qs] == [("prosecutors", ["Coastal Times"])]


def test_its_opening_a_description_is_the_organisation_named_before() -> None:
    """"The dredging company, Marlin Marine Works, ... Its former president testified": the speaker
    is that firm's former president (the recogniser read the firm as a person)."""
    qs = extract_quotes("The dredging company, Marlin Marine Works, pleaded guilty last year. Its former "
                        "president testified that the director took the money.")
    assert [q.speaker for q in qs] == ["Marlin Marine Works' former president"]


def test_a_speaker_between_the_closing_mark_and_a_subjectless_cue() -> None:
    """'"...," lead author Dr. Sunita Raghavan of the University of Eastmere said.': the parser made a
    preposition of "lead" and left "said" with no subject; the quote was lost."""
    qs = extract_quotes('"The effect was strongest in people over 65, which is exactly the group most at '
                        'risk," lead author Dr. Sunita Raghavan of the University of Eastmere said.')
    assert [(q.kind, q.speaker) for q in qs] == [("direct", "Sunita Raghavan")]


def test_a_channel_taken_for_the_subject_gives_way_to_the_person_beside_it() -> None:
    """"In a post on X, formerly Twitter, the health minister, Carla Brandt, wrote that ...": the parser
    made "Twitter" the subject with the minister beside it."""
    qs = extract_quotes('In a post on X, formerly Twitter, the health minister, Carla Brandt, wrote that the '
                        'results were "one more reason to get moving."')
    assert [(q.speaker, q.speaker_role) for q in qs] == [("Carla Brandt", "health minister")]


def test_a_conjunction_opening_the_sentence_is_no_part_of_what_is_reported() -> None:
    """"And as one neurologist told Health Desk, only a randomised trial could settle the question.":
    the content starts at "only", and Health Desk is the chain."""
    qs = extract_quotes("And as one neurologist told Health Desk, only a randomised trial could settle the question.")
    assert [(q.text, [x.name for x in q.chain]) for q in qs] == [
        ("only a randomised trial could settle the question", ["Health Desk"])]


def test_a_clause_with_no_holder_inside_a_report_is_part_of_it() -> None:
    """"He told reporters that only a randomised trial could show whether walking protects the brain":
    one quote, his; "a trial could show whether ..." is no quote with no speaker."""
    qs = extract_quotes("Tomasz Wierzbicki told reporters that only a randomised trial could show whether "
                        "walking itself protects the brain.")
    assert [(q.speaker, q.cue) for q in qs] == [("Tomasz Wierzbicki", "told")]


def test_a_person_described_by_age_is_the_one_named_just_before() -> None:
    """'"...," the 29-year-old said' after a paragraph about Daniel Okafor is Okafor; a name inside the
    quotation is no antecedent, and with no one in reach the description stays itself."""
    qs = extract_quotes('Daniel Okafor has confirmed he will leave Rovers in the summer.\n\n"It is time for a '
                        'new challenge, Peter Smith knows it," the 29-year-old said.')
    assert [q.speaker for q in qs] == ["Daniel Okafor", "Daniel Okafor"]
    qs = extract_quotes('Rovers fans gathered outside the stadium on Sunday.\n\nThe former captain spoke to them at '
                        'length.\n\n"It is time," the 29-year-old said.')
    assert [q.speaker for q in qs][-1:] == ["the 29-year-old"]


def test_the_club_speaks_as_itself() -> None:
    """"The club denied that, saying the figures were wrong": a club can speak (it was no one)."""
    qs = extract_quotes('The club denied that, saying the figures being circulated were "completely wrong".')
    # (its denial points back to what was reported before: "denied that")
    assert [(q.speaker, q.cue) for q in qs] == [("The club", "denied"), ("The club", "saying")]


def test_a_that_clause_read_as_describing_the_briefing_is_what_was_told() -> None:
    """"told reporters in a briefing that the bridge would reopen": the parser took "that" for the
    object of a clause about the briefing; "a statement that the firm released" stays a description."""
    qs = extract_quotes("The mayor told reporters in a briefing that the bridge would reopen by March.")
    assert [(q.speaker, q.cue, q.text) for q in qs] == [("The mayor", "told", "that the bridge would reopen by March")]


def test_a_person_told_is_no_link_of_the_chain() -> None:
    """"said she had told Joe Biden that ...": Biden heard it, it did not come through him; "told CNN's
    Jake Tapper" came through CNN."""
    qs = extract_quotes("Maria Lopez said she had told Joe Biden that Mexico would not pay.")
    assert [[x.name for x in q.chain] for q in qs] == [[], []]
    qs = extract_quotes("Maria Lopez told CNN's Jake Tapper that Mexico would not pay.")
    assert [[x.name for x in q.chain] for q in qs] == [["CNN"]]


def test_a_pronoun_after_someone_brought_in_unnamed_is_that_person() -> None:
    """'A lawyer for the family said ... "...," she said': the lawyer, not the person named before; a
    reporter's question is answered by someone else."""
    qs = extract_quotes('Ruth Adeyemi, the council leader, said the inquiry would report in May.\n\n'
                        'A lawyer for the family said the delay was unacceptable. "They have waited long '
                        'enough," she said.')
    assert [q.speaker for q in qs] == ["Ruth Adeyemi", "A lawyer for the family", "A lawyer for the family"]
    qs = extract_quotes('Ruth Adeyemi, the council leader, said the inquiry would report in May.\n\n'
                        'A reporter asked whether the delay was acceptable. "You tell me," she said.')
    assert [q.speaker for q in qs][-1:] == ["Ruth Adeyemi"]


def test_its_after_an_unnamed_body_is_that_body() -> None:
    """"The country's data protection authority said ... Its director, Piet Ramaker, said": the
    authority's director, not the company named earlier."""
    qs = extract_quotes("Norvik Telecom said hackers had stolen the data.\n\nThe country's data protection "
                        "authority said it had opened an investigation. Its director, Piet Ramaker, said the "
                        "company had waited too long.")
    assert [(q.speaker, q.speaker_role) for q in qs][-1] == ("Piet Ramaker", "data protection authority's director")


def test_both_stands_for_the_people_just_counted() -> None:
    """"... two Norvik customers the Post contacted. Both confirmed that ...": both customers."""
    qs = extract_quotes("The sample matched the passport numbers of two Norvik customers the Post contacted. "
                        "Both confirmed that they were Norvik customers.")
    assert [q.speaker for q in qs] == ["Both customers"]


def test_someones_aide_is_not_that_someone() -> None:
    """"Trump's campaign manager declined to ...", "the prime minister's spokesman said": the aide,
    not the person quoted just before."""
    qs = extract_quotes('"My views are different," Donald Trump said.\n\nTrump\'s campaign manager declined to '
                        'discuss the attacks.')
    assert [q.speaker for q in qs] == ["Donald Trump", "Trump's campaign manager"]
    qs = extract_quotes('"We will work with whoever wins," David Cameron said.\n\nThe prime minister\'s spokesman '
                        'said Cameron stood by his comments.')
    assert [q.speaker for q in qs] == ["David Cameron", "The prime minister's spokesman"]


def test_a_time_hung_on_the_speaker_is_no_part_of_their_name() -> None:
    """"The data protection authority on Friday fined ..., saying ...": the authority, not "the
    authority on Friday"."""
    qs = extract_quotes("OSLOBURG — The country's data protection authority on Friday fined Norvik Telecom $40 "
                        "million, saying the company had known about a breach for at least a week.")
    assert [q.speaker for q in qs] == ["The country's data protection authority"]


def test_the_company_after_a_name_ending_in_a_business_word() -> None:
    """"Norvik Telecom said ... The company said ...": the company is Norvik Telecom (a name ending in
    Telecom, Systems, Energy, ... names a business)."""
    qs = extract_quotes("Norvik Telecom said on Monday that hackers had stolen data. The company said in a filing "
                        "that it discovered the intrusion on Oct. 21.")
    assert [q.speaker for q in qs] == ["Norvik Telecom", "Norvik Telecom"]


def test_as_reported_by_an_outlet_is_a_link_of_the_speakers_chain() -> None:
    """"as X reported" / "as reported by X" set inside a speaker's report makes X a link of that
    speaker's chain, not a speaker: before a colon, between cue and clause, after the clause. With no
    other speaker in the sentence the outlet is still the source."""
    cases = [
        ('At the hearing, Governor Nadia Petrova had this to say, as reported by The Lakeside Herald: '
         '"The ferry contract will be cancelled."', "Nadia Petrova", "The ferry contract will be cancelled."),
        ("Petrova said, as reported by The Lakeside Herald, that the ferry contract would be cancelled.",
         "Petrova", "that the ferry contract would be cancelled"),
        ("Petrova said the ferry contract would be cancelled, as reported by The Lakeside Herald.",
         "Petrova", "the ferry contract would be cancelled"),
        ("Governor Nadia Petrova told the committee, as The Lakeside Herald reported, that the ferry contract "
         "would be cancelled.", "Nadia Petrova", "that the ferry contract would be cancelled"),
    ]
    for text, speaker, content in cases:
        qs = extract_quotes(text)
        assert [(q.speaker, q.text.rstrip("."), [(c.name, c.how) for c in q.chain]) for q in qs] == [
            (speaker, content.rstrip("."), [("The Lakeside Herald", "reported")])], text
    qs = extract_quotes("The ferry contract will be cancelled, as reported by The Lakeside Herald.")
    assert [(q.speaker, q.chain) for q in qs] == [("The Lakeside Herald", [])]


def test_a_relative_told_owns_the_that_clause_hung_beside_it() -> None:
    """"responding to X, who told the Herald, a news site, that ...": the that-clause the parser hangs
    as a second relative clause on X is what X told the Herald; the outlet is X's chain, not that of
    the sentence's subject, and not of the subject's later quotes."""
    text = ("Port director Samuel Adeyemi rejected the criticism, responding to remarks by councillor Hana "
            "Kowalczyk, who told The Lakeside Herald, a local news site, that the port \"was run into the "
            "ground by its board.\"\n\nAdeyemi called the remarks \"reckless\" in an interview.")
    qs = extract_quotes(text)
    got = {(q.speaker, q.cue): [c.name for c in q.chain] for q in qs}
    assert got[("Hana Kowalczyk", "told")] == ["The Lakeside Herald"]
    assert all(not chain for (speaker, _), chain in got.items() if speaker == "Samuel Adeyemi")


def test_a_thing_said_yes_to_is_no_listener() -> None:
    """"said yes to a ballpark for the Gulls" names no one the words were said to."""
    qs = extract_quotes("By a single vote, city leaders said yes on Tuesday to a new harbour bridge for the "
                        "Marlins and to $90 million in bonds.")
    assert all(q.chain == [] for q in qs)
    qs = extract_quotes("Petrova said to The Lakeside Herald that the bridge would open in May.")
    assert [[c.name for c in q.chain] for q in qs] == [["The Lakeside Herald"]]


def test_a_local_title_before_a_name_is_a_role() -> None:
    """"Councilwoman", "Superintendent", "Alderman" before a name are titles: the speaker is the
    person, and "the councilwoman" later is her."""
    qs = extract_quotes("Councilwoman Irene Castellanos, who voted no, said the deal came too late. "
                        "The councilwoman said she would ask for an audit.")
    assert [(q.speaker, q.speaker_role) for q in qs[:2]] == [("Irene Castellanos", "Councilwoman")] * 2


def test_a_name_hung_inside_the_quotation_speaks_it() -> None:
    """'"...," Jamal Whitcombe, director of the group Riders United Corwinton, said': the parser made
    the name an object inside the quoted words and took the group for a person. The name after the
    closing mark speaks, and the words end at the mark."""
    qs = extract_quotes('"Today\'s vote asks the people with the least to pay the most," Jamal Whitcombe, '
                        "executive director of the advocacy group Riders United Corwinton, said in a statement. "
                        '"Riders who depend on the bus to get to work will feel this in every paycheck."')
    assert [(q.speaker, q.kind) for q in qs] == [("Jamal Whitcombe", "direct")]
    assert qs[0].text.startswith("Today's vote asks the people with the least to pay the most")
    assert "Whitcombe" not in qs[0].text


def test_a_preposition_is_no_part_of_an_outlet_name() -> None:
    """"Per Pacific Wire Service, ...": the recogniser took "Per" into the name; the chain link and a
    later relay name the outlet alone."""
    qs = extract_quotes("Per Pacific Wire Service, state fire spokesman Owen Pritchard said investigators have "
                        "found the likely point of origin. As first reported by Pacific Wire Service, the fire "
                        "has now burned more than 14,000 acres.")
    assert [(q.speaker, [c.name for c in q.chain]) for q in qs] == [
        ("Owen Pritchard", ["Pacific Wire Service"]), ("Pacific Wire Service", [])]


def test_a_listener_name_split_by_the_parser_is_one_link() -> None:
    """"told Metro 11 Newsdesk the ...": the parser made "Metro" the listener and "11 Newsdesk" an
    object; the chain has one link. A person told is still none."""
    qs = extract_quotes("Denise Carrow told Metro 11 Newsdesk the increase will add up fast. "
                        "Ramos told John Smith the plan was fine.")
    assert [(q.speaker, [c.name for c in q.chain]) for q in qs] == [
        ("Denise Carrow", ["Metro 11 Newsdesk"]), ("Ramos", [])]
