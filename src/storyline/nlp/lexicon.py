"""The word lists of reported speech: reporting verbs and nouns, the verbs of denial, raising and
passive reports, pronouns and the nouns that name organisations.

Kept apart from the rules that read them (:mod:`storyline.nlp.frames`, :mod:`storyline.nlp.speakers`,
:mod:`storyline.nlp.quotes`, :mod:`storyline.nlp.claims`) so that each list is defined once. The cue
verbs were seeded from PolNeAR's training cues; every list is general English, never a story's words.
"""

from __future__ import annotations

import re

#: Nouns of a measurement whose findings an "In a ..." phrase before the clause reports ("In a new
#: poll, 40 percent of voters ..."): the phrase is a frame like "according to".
SURVEY_NOUNS = frozenset({"poll", "survey", "study", "analysis", "census", "tally", "audit", "review"})

#: Lemmas of verbs that report speech or a stated position. Built from the cue words annotated in
#: PolNeAR's training split (said, told, wrote, added, asked, noted, reported, announced, ...) plus
#: the usual reporting verbs of news style guides; none of them names a person or an outlet.
CUE_VERBS = frozenset("""
say tell add state claim argue assert insist maintain note explain warn caution deny reject dismiss
refute dispute admit acknowledge concede confirm announce declare report write tweet post suggest
believe think predict promise pledge vow threaten accuse allege charge contend reply respond answer
retort ask urge recall reveal disclose indicate estimate stress emphasize emphasise complain boast
joke conclude observe testify agree disagree recommend propose fear worry hope signal mention comment
remark repeat reiterate quip shout exclaim demand speculate hint imply describe call criticize
criticise praise counter continue tout brag lament concede question wonder acknowledge affirm
contend counter clarify confide announce advise inform assure notify remind tell predict forecast
muse opine posit proclaim profess recount relate surmise swear theorize theorise underscore
underline highlight point show find conclude determine caution acknowledge condemn denounce decry
yell scream whisper mutter bark sneer chant gush fume grumble interject
""".split())

#: Cue lemmas that take a clause only in a restricted sense; they count only with a clause.
CLAUSE_ONLY = frozenset({"believe", "think", "hope", "fear", "worry", "show", "find", "determine",
                          "continue", "question", "wonder", "point", "call", "describe", "praise",
                          "criticize", "criticise"})

#: Cue lemmas whose object noun phrase is the content when there is no clause ("denied the
#: report", "called the plan a disaster"). Such frames never absorb a quoted passage.
NOMINAL_CUES = frozenset("""
deny reject dismiss dispute refute rebuff announce confirm acknowledge admit predict promise reveal
propose disclose criticize criticise praise tout highlight mention recount reiterate underscore condemn
denounce decry
""".split())

#: Cue lemmas that also read as "is evidence of" ("the findings underscore the risks", "the vote
#: highlights the divide"): with an object and a subject that names no one (not a person, a group, a
#: pronoun or a document), they attribute nothing.
EVIDENCE_CUES = frozenset({"underscore", "underline", "highlight", "show", "illustrate", "reflect",
                           "demonstrate", "reveal"})

#: Speech verbs whose object may be a pro-form standing for what was said ("said so", "said the same
#: of Y", "said yes", "said that"): PROFORM_OBJECTS.
PROFORM_CUES = frozenset({"say"})

PROFORM_OBJECTS = frozenset({"so", "yes", "no", "same", "otherwise", "that", "this", "it", "nothing"})

#: Cue lemmas whose infinitive complement is the content when there is no clause ("vowed to fight
#: on", "urged lawmakers to act"); "call" also with a naming complement ("called the plan a
#: disaster") or "for" ("called for a ban"). Like nominal cues, they never absorb a quoted passage.
INFINITIVE_CUES = frozenset("""
threaten vow pledge promise urge ask tell warn advise call swear
""".split())

#: Nouns that name what someone said, thinks or intends; with a holder ("Smith's claim that ...",
#: "his pledge to ...", "the warning by the agency that ...") and a clause or an infinitive after
#: them, the clause is reported content.
NOUN_CUES = frozenset("""
claim assertion allegation accusation insistence suggestion warning promise pledge vow call demand
proposal concern fear hope belief view argument complaint announcement statement denial prediction
threat request admission acknowledgment acknowledgement contention charge assurance recommendation
plea boast opinion position intention commitment conviction message insinuation notion
""".split())

#: Cue nouns that also take an infinitive as content ("his pledge to cut taxes"); the others take a
#: that-clause only ("a statement to explain ..." gives a purpose, not content).
NOUN_INFINITIVE = frozenset("""
promise pledge vow call demand proposal request threat intention commitment hope plea recommendation
""".split())

#: Cue lemmas whose act rejects what follows.
DENY_VERBS = frozenset({"deny", "reject", "dismiss", "refute", "dispute", "rebuff", "disavow",
                        "repudiate", "contradict", "deride", "slam", "decry", "denounce", "counter"})

#: Pronouns a speaker slot may hold, with the entity types they can stand for.
PRONOUNS = {
    "he": ("PERSON",), "she": ("PERSON",), "him": ("PERSON",), "her": ("PERSON",),
    "they": ("ORG", "GPE", "NORP", "PERSON"), "it": ("ORG", "GPE", "NORP"),
    "we": ("ORG", "GPE", "NORP"), "who": ("PERSON", "ORG", "GPE", "NORP"),
}

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

MALE_TITLE = re.compile(r"\bMr\.?\s*$")

FEMALE_TITLE = re.compile(r"\b(?:Ms|Mrs|Miss)\.?\s*$")

REFLEXIVE_AFTER = re.compile(r"\s+(himself|herself)\b", re.I)

#: Head nouns of organisation descriptions ("the ministry said"): resolved to the latest
#: organisation whose name contains the noun, else to the latest organisation at all.
ORG_NOUNS = frozenset("""
ministry department agency government administration company firm office campaign committee council
embassy court police military army party commission bureau authority authorities regime cabinet
parliament congress senate house group organization organisation union team network newspaper paper
outlet channel broadcaster station institute university foundation bank board service
management community coalition alliance association caucus delegation assembly legislature federation
consortium lobby secretariat watchdog club league regulator charity hospital school
""".split())

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "NORP")
