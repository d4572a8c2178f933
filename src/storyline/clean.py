"""Boilerplate removal for article text, each removal with its reason.

The cleaner works on lines of ``Article.raw_text``: the decoded text of a text file, or what the
HTML extractor (trafilatura) kept of a page. It takes out the pieces that are not the article: the
outlet's prompts (follow us, leave a comment, sign up for the newsletter), credits and captions,
the title repeated inside the text, author bios, site slogans, link lists to other stories, and the
lines an outlet repeats across many of its own articles. Every removal is recorded as a
:class:`~storyline.model.Removal` whose ``start``/``end`` index ``raw_text`` exactly
(``raw_text[start:end] == removal.text``), so the clean text can always be checked against the
original.

How a line is judged
--------------------
The rules are general: word classes (social networks, comment and newsletter vocabulary, photo
agencies, author roles), the shape of a line (length, terminal punctuation, a list of hashtags, a
leading separator), its position (before or after the article body, right after the title) and how
many of its content words occur elsewhere in the article (``overlap``). No rule names an outlet, an
author or a phrase taken from one article.

A sentence of the article body is never removed. A line is *protected* when it reads as body text:
at least :data:`BODY_MIN_WORDS` words, terminal punctuation, and (when the article has enough body
to tell) at least :data:`PROTECT_OVERLAP` of its content words shared with the rest of the article.
Only *strong* rules may remove a protected line; a strong rule is a pattern anchored at the start of
the line that ordinary news prose does not produce ("Your email address will not be published",
"You can email ... here", "<Name> is the founder and editor of ..." after the body). Everything else
(short prompts, headline-like lines, credits) is a *weak* rule and yields to the guard.

The title
---------
The title is stored separately (``Article.title``) and kept out of the clean text: its first
occurrence at the top of the text is removed with the reason ``title``; later copies (alone, or
with a few words around them) are ``repeated_title``. When no title is given, or the given "title"
is boilerplate or a whole paragraph (more than :data:`MAX_TITLE_WORDS` words), :func:`guess_title`
picks the first headline-like line of the text, or finds none (a text that opens with its first
paragraph has no title line, and nothing is removed as one).

Section headings inside the body ("Conclusion", "US Response and Diplomatic Relations") are article
structure and are kept, and so is added commentary such as an editor's postscript (a later stage
classifies it). Closing sentences the writer addressed to readers ("Stay tuned for updates on this
developing story.") are prose of the article and are kept.

Most removals are whole lines. Three are parts of a line, so the sentence beside them stays: a
leading ``date 2024-07-31 (AGENCY)`` marker (``dateline_marker``), a leading bracketed link
"(RELATED: ...)" (``navigation``) and a share label glued to a sentence ("...Click To Tweet").

Cue words come in English and in the other languages common in news pages (German, French,
Spanish, Portuguese, Italian, Polish), as classes of words, not as phrases of particular sites.

The clean text is ``raw_text`` minus the removed spans, each line stripped, lines of one paragraph
joined by ``"\\n"``, paragraphs (separated by blank lines in ``raw_text``) joined by ``"\\n\\n"``,
and the whole trimmed.

Per-source learning
-------------------
:class:`LineStats` counts, per source, in how many of its articles each line occurs (by a
fingerprint of its normalised text with digits collapsed). A line that a source repeats in at
least :data:`MIN_ARTICLES` articles and :data:`MIN_SHARE` of that source's articles is
``source_repeated`` (a footer, a disclaimer, a sign-off), unless the guard protects it: a copy of
the same story published three times is not boilerplate.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from storyline.model import Article, Removal
from storyline.text import normalize, split_sentences

__all__ = [
    "REASONS",
    "Cleaner",
    "LineStats",
    "guess_title",
]

# --- reasons -------------------------------------------------------------------------------------

TITLE = "title"
REPEATED_TITLE = "repeated_title"
BYLINE = "byline"
TAG_LINE = "tag_line"
DATELINE_MARKER = "dateline_marker"
METADATA_LINE = "metadata_line"
NAVIGATION = "navigation"
SOCIAL_PROMPT = "social_prompt"
COMMENT_PROMPT = "comment_prompt"
NEWSLETTER_PROMPT = "newsletter_prompt"
SHARE_COUNT = "share_count"
PHOTO_CREDIT = "photo_credit"
EMBED_CREDIT = "embed_credit"
HASHTAG_LINE = "hashtag_line"
AUTHOR_BIO = "author_bio"
CONTACT_LINE = "contact_line"
CREDIT_LINE = "credit_line"
COPYRIGHT = "copyright"
UNRELATED_HEADLINE = "unrelated_headline"
TAGLINE = "tagline"
PROMO = "promo"
SOURCE_REPEATED = "source_repeated"

#: Every reason the cleaner gives, with what it means.
REASONS: dict[str, str] = {
    TITLE: "the title line at the top of the text (the title is stored separately, not in the text)",
    REPEATED_TITLE: "the title repeated after its first occurrence, alone or with a few words around it",
    BYLINE: "the author line: right after the title, a 'By ...' line near the top, or the given byline",
    TAG_LINE: "a stray tag or category label near the top made only of words of the title",
    DATELINE_MARKER: "a leading 'date 2024-07-31 (AGENCY)' marker; only the marker, the sentence stays",
    METADATA_LINE: "a line that only carries a date stamp, a reading time, or tags and categories",
    NAVIGATION: "menus, 'Read more:' / 'Related:' links, 'You may also like' and the link lists they head",
    SOCIAL_PROMPT: "follow us / connect with us / share buttons and invitations to share",
    COMMENT_PROMPT: "leave a comment, be the first to comment, email-will-not-be-published, comment counts",
    NEWSLETTER_PROMPT: "sign up / subscribe to a newsletter or email alerts",
    SHARE_COUNT: "share, like or view counters ('1.2K shares') and 'Thanks for sharing!'",
    PHOTO_CREDIT: "image captions with a credit, 'Photo: ...' lines, 'Name / AGENCY' credit lines",
    EMBED_CREDIT: "embedded-media credits ('Embed from <agency>', 'A post shared by ...')",
    HASHTAG_LINE: "a line made of #hashtags",
    AUTHOR_BIO: "a paragraph about the author after the article ('X is the founder and editor of ...')",
    CONTACT_LINE: "how to reach the author or the outlet ('You can email X here', 'Contact us at')",
    CREDIT_LINE: "production credits after the article ('Reporting by ...', 'contributed to this report')",
    COPYRIGHT: "copyright and reprint notices",
    UNRELATED_HEADLINE: "a headline-like line before or after the body sharing almost no words with the article",
    TAGLINE: "a site slogan near the top ('- breaking headlines, local stories and more')",
    PROMO: "promotions: reward programmes, paywall and app prompts, donation appeals, advertising notes",
    SOURCE_REPEATED: "a line the source repeats across many of its own articles (learned by LineStats)",
}

# --- thresholds ----------------------------------------------------------------------------------

#: A source repeats a line when it occurs in at least this many of its articles ...
MIN_ARTICLES = 3
#: ... and in at least this share of them ...
MIN_SHARE = 0.5
#: ... and the source has at least this many articles.
MIN_SOURCE_DOCS = 3
#: A title has at most this many words; a longer "title" is a paragraph and is not removed as one.
MAX_TITLE_WORDS = 30
#: A line reads as body text from this many words on (with terminal punctuation).
BODY_MIN_WORDS = 10
#: A body-like line sharing this share of its content words with the article is protected.
PROTECT_OVERLAP = 0.15
#: Lines sharing at most this share of their content words with the article are "unrelated".
UNRELATED_OVERLAP = 0.2
#: The overlap test needs this many body-like lines; below it every body-like line is protected.
MIN_BODY_LINES_FOR_OVERLAP = 3

# --- word classes --------------------------------------------------------------------------------

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    """
    a an the and or but nor of to in on at by for with from as into onto over under about after before
    is are was were be been being am has have had do does did will would shall should can could may
    might must not no yes it its this that these those there here he she they them his her their our
    your you we us i me my mine who whom whose which what when where why how than then so such also
    very just only more most much many some any all each every other another both either neither one
    two three said says say new per via up out off if while during since until because though although
    der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind war waren
    wird werden wurde wurden hat haben hatte mit von zu zum zur im in am an auf aus bei für nach über
    unter vor durch auch als wie wenn dass sich sie er es wir ihr ihre sein seine noch nur schon mehr
    le la les un une des du de et ou mais est sont été être avec pour par sur dans pas plus qui que
    ce cette ces son sa ses leur leurs aux au il elle ils elles nous vous
    el los las una unos unas del y o pero es son fue ser con por para en al se su sus lo como más
    que o os as um uma dos das do da em no na nos nas com por para é são foi ser se seu sua mais
    il lo gli le uno una dei delle della di e o ma è sono con per su nel nella che non più
    """.split()
)

_NETWORKS = (
    r"facebook|twitter|x\.com|instagram|linkedin|youtube|tiktok|telegram|whatsapp|pinterest|reddit|"
    r"mastodon|bluesky|snapchat|flipboard|google news|apple news|weibo|wechat"
)
_AGENCIES = (
    r"afp|reuters|ap photo|associated press|shutterstock|epa|efe|dpa|"
    r"picture[- ]alliance|istock|istockphoto|alamy|pool|anadolu|xinhua|sipa|abaca|bestimage|"
    r"imago|keystone|nurphoto|zuma|bloomberg|pa images|pa wire|agencja gazeta|pap|ansa|unsplash|"
    r"pexels|wikimedia|creative commons|handout|file photo"
)
_ROLE_WORDS = (
    r"founder|co-founder|cofounder|co-author|coauthor|editor|editor-in-chief|reporter|writer|journalist|correspondent|"
    r"author|columnist|contributor|contributing|blogger|freelance|freelancer|staff writer|"
    r"producer|podcaster|commentator|gründer|gründerin|redakteur|redakteurin|autor|autorin|"
    r"journalistin|korrespondent|korrespondentin|periodista|redactor|redactora|corresponsal|"
    r"journaliste|rédacteur|rédactrice|giornalista|dziennikarz|dziennikarka|jornalista"
)

_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212|~\u2022\u00b7"
_MONTHS = (
    r"jan(?:uary|uar|vier)?|feb(?:ruary|ruar)?|f[ée]vr(?:ier)?|mar(?:ch|s)?|m[äa]rz|apr(?:il)?|avr(?:il)?|"
    r"may|mai|jun(?:e|i)?|juin|jul(?:y|i)?|juil(?:let)?|aug(?:ust)?|ao[uû]t|sep(?:t|tember)?|"
    r"oct(?:ober)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?|dez(?:ember)?|d[ée]c(?:embre)?|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
    r"janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro"
)
_DATE_RE = re.compile(
    r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}|"
    r"(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}\.?\s+(?:de\s+)?(?:" + _MONTHS + r")\.?,?\s+(?:de\s+)?\d{4})\b",
    re.IGNORECASE,
)
# Words that may sit around a date on a date-stamp line.
_DATE_LABELS = frozenset(
    """
    published publish posted updated update last modified created date dated on at am pm a.m p.m
    gmt utc est edt pst pdt cst cdt bst cet cest ist jst aest by the of in
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
    jan january feb february mar march apr april may jun june jul july aug august sep sept september
    oct october nov november dec december
    veröffentlicht aktualisiert zuletzt aktualisierung stand am um uhr vom von
    montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz juni juli oktober dezember
    publié publiée mis à jour le lundi mardi mercredi jeudi vendredi samedi dimanche
    publicado actualizado por de el lunes martes miércoles jueves viernes sábado domingo
    em às atualizado segunda terça quarta quinta sexta sábado domingo feira
    """.split()
)

# --- line patterns -------------------------------------------------------------------------------
# Each pattern runs on ``normalize(line, lower=True)``: quotes and dashes unified, spaces collapsed.


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.UNICODE)


# (reason, strong, max_words, pattern). ``strong`` rules may remove a protected line; ``max_words``
# bounds the line length a rule may take (0: no bound).
_LINE_RULES: list[tuple[str, bool, int, re.Pattern[str]]] = [
    # comments
    (COMMENT_PROMPT, True, 40, _rx(
        r"^(?:your email address will not be published|required fields are marked|"
        r"be the first to (?:comment|leave|reply|review|respond)|click (?:here )?to (?:comment|reply)|"
        r"comments? (?:are|is) (?:closed|disabled|moderated)|you must be logged in to (?:post|comment)|"
        r"join the (?:conversation|discussion)|(?:show|view|read|load|see) (?:all |more )?\d* ?comments|"
        r"du musst eingeloggt sein|kommentar (?:schreiben|verfassen|abgeben)|"
        r"deja (?:un|tu) comentario|laisser un commentaire|dodaj komentarz|"
        r"(?:keine|no|noch keine|0) (?:kommentare|comments|comentarios|commentaires)\b|"
        r"(?:kommentare|comments|comentarios) (?:insgesamt|total)\b)")),
    (COMMENT_PROMPT, False, 40, _rx(r"^(?:leave|post|add|write|submit) (?:a |your |us a )?(?:comment|reply)\b")),
    (COMMENT_PROMPT, False, 8, _rx(
        r"^(?:\d+\s+)?(?:comments?|kommentare?|comentarios?|commentaires?|commenti|komentarze?|"
        r"reply|replies|antworten|responder|répondre|tell us what you think)\W*$")),
    (COMMENT_PROMPT, False, 30, _rx(r"\b(?:comment section|comments section|in the comments|in den kommentaren)\b")),
    # newsletters
    (NEWSLETTER_PROMPT, True, 45, _rx(
        r"^(?:sign up|signup|subscribe|join|get|receive|never miss|don'?t miss|"
        r"keep up|stay (?:up to date|informed|in the know)|zum newsletter|abonnieren|melde dich|"
        r"inscr[ií]bete|suscr[ií]bete|abonnez-vous|inscrivez-vous|zapisz si[eę])\b"
        r".{0,160}\b(?:newsletters?|inbox|mailing list|daily edition|email alerts?|e-mail alerts?|"
        r"posteingang)\b")),
    (NEWSLETTER_PROMPT, False, 12, _rx(r"\bnewsletters?\W*$")),
    (NEWSLETTER_PROMPT, False, 10, _rx(
        r"\bnewsletter\b.{0,40}\b(?:anmelden|abonnieren|bestellen|sign up|subscribe|inscri\w*|suscr\w*|"
        r"zapisz)")),
    (NEWSLETTER_PROMPT, False, 25, _rx(r"^sign up\b|\bsign up (?:here|now|today|for free)\W*$")),
    (NEWSLETTER_PROMPT, False, 20, _rx(
        r"^(?:thanks? (?:you )?for (?:signing up|subscribing)|keep an eye on your inbox|"
        r"there was an error processing your subscription|you(?:'re| are) (?:now )?subscribed|"
        r"check your inbox|enter your e-?mail(?: address)?\W*$)")),
    # social
    (SOCIAL_PROMPT, True, 45, _rx(
        r"^(?:follow|connect with|subscribe to|s[ií]guenos|folge|folgen sie|suivez)"
        r"\s+(?:us|me|him|her|them|@|[\w.'&@-]+(?:\s+[\w.'&-]+){0,3}?\s+(?:on|at|in|via|en|auf|sur)\s+"
        r"(?:" + _NETWORKS + r")\b)")),
    (SOCIAL_PROMPT, False, 30, _rx(
        r"^(?:join|like|find|add|watch|listen to)\s+(?:us|me|@|[\w.'&@-]+(?:\s+[\w.'&-]+){0,3}?\s+"
        r"(?:on|at|in|via)\s+(?:" + _NETWORKS + r")\b)")),
    (SOCIAL_PROMPT, False, 8, _rx(r"^(?:connect with us|follow us|follow me|stay connected|find us on|socials?\W*$)")),
    (SOCIAL_PROMPT, False, 25, _rx(
        r"^(?:share (?:this|it|on|via|with)|share:|click to share|click to tweet|tweet this|"
        r"(?:like|liked|enjoyed) this(?: story| article| post)?\?|teilen mit|diesen artikel teilen|compartir|partager|"
        r"udostępnij|email this|print this)")),
    (SOCIAL_PROMPT, False, 8, _rx(
        r"^(?:(?:[-*|]\s*)?(?:share|tweet|pin(?: it)?|email|e-mail|print|print article|save|copy link|"
        r"order reprints|reprints|" + _NETWORKS + r")\s*[|,/]?\s*)+$")),
    (SOCIAL_PROMPT, False, 12, _rx(
        r"^(?:https?://)?(?:www\.)?(?:twitter\.com|x\.com|facebook\.com|instagram\.com|t\.me|"
        r"linkedin\.com|youtube\.com|tiktok\.com)/\S+$")),
    # share counters
    (SHARE_COUNT, False, 6, _rx(
        r"^(?:\d[\d.,]*\s*[kmb]?\s*(?:total\s+)?(?:shares?|likes?|views?|reactions?|comments?|reads?)"
        r"(?:\s+\d[\d.,]*\s*[kmb]?\s*(?:shares?|likes?|views?|comments?))*|"
        r"(?:shares?|likes?|views?)\s*[:]?\s*\d[\d.,]*\s*[kmb]?)\W*$")),
    (SHARE_COUNT, False, 8, _rx(r"^(?:thanks? (?:you )?for sharing|danke fürs teilen)\b")),
    # embeds (before photo credits: "Embed from <agency>" names an agency)
    (EMBED_CREDIT, False, 12, _rx(
        r"^(?:embed(?:ded)? (?:from|content|by|via)|view this (?:post|photo|video) on|"
        r"a post shared by|a photo posted by|a video posted by|click to (?:watch|play)|"
        r"(?:watch|view) (?:the )?(?:video|gallery) (?:on|at)|pic\.twitter\.com/)")),
    # photo captions and credits
    (PHOTO_CREDIT, False, 60, _rx(
        r"^(?:(?:featured|top|main|cover|header|lead|hero|file|feature)\s+)?(?:photo|photograph|"
        r"image|picture|pic|foto|fotos|bild|titelbild|beitragsbild|aufmacherbild|fot|zdj[eę]cie|"
        r"cr[ée]dits? photos?|photo credit|image credit|credit|credits|image illustrative|illustration)"
        r"s?\s*[:|]")),
    (PHOTO_CREDIT, True, 60, _rx(
        r"\((?:photo|photos|photograph|image|foto|fotos|bild|credit|picture|pic)s?\s*(?::|/|by\b)[^()]*\)\.?$")),
    (PHOTO_CREDIT, False, 60, _rx(
        r"\((?:[^()]*\b(?:photo|photos|photograph|image|foto|bild|credit|picture|pic)\b\s*[:/]?[^()]*|"
        r"[^()]*/[^()]*\b(?:" + _AGENCIES + r")\b[^()]*|[^()]*\b(?:shutterstock|"
        r"istock|alamy|picture[- ]alliance)\b[^()]*)\)\.?$")),
    (PHOTO_CREDIT, False, 40, _rx(r"[.|]\s*(?:©|\(c\))\s*[^©]{1,60}$")),
    (PHOTO_CREDIT, False, 12, _rx(
        r"^(?:©|\(c\)\s)?\s*[\w.' -]{2,60}\s*(?:/|\||-|,|via)\s*(?:[\w.' -]{0,40}(?:/|-|,|via)\s*)?"
        r"(?:" + _AGENCIES + r")(?:\s*(?:/|-|via)\s*[\w.' ]{0,40})?\W*$")),
    (PHOTO_CREDIT, False, 12, _rx(r"^(?:photo|image|picture|foto|bild)s? (?:by|courtesy(?: of)?|von|de|par|:)\s")),
    (AUTHOR_BIO, False, 5, _rx(r"^(?:photo of (?:the )?author|author photo|author image|about the author)\W*$")),
    (PHOTO_CREDIT, False, 5, _rx(r"^(?:bild anzeigen|view (?:image|photo|gallery)|enlarge (?:image|photo))\W*$")),
    # contact
    (CONTACT_LINE, True, 40, _rx(
        r"^(?:have a (?:news )?tip\?|got a (?:news )?tip\?|you can (?:email|e-mail|reach|contact|write to|"
        r"follow)|(?:email|e-mail|contact|reach|write to) (?:me|us|him|her|them|the (?:author|reporter|"
        r"writer|editor|newsroom)s?)\b|(?:reach|contact|email|e-mail) (?:the )?(?:reporters?|writers?|"
        r"authors?)\b|(?:contact us|kontakt|contacto|kontaktieren sie uns)\s*(?:[:]|at|via|on|here|$)|"
        r"send us (?:a|your) (?:message|tip|story|letter)|submit (?:a|your) letter|"
        r"send (?:me|him|her|them|[\w.'-]+(?: [\w.'-]+)?) (?:a|your) (?:news )?tips?\b|"
        r"\w+(?:\s\w+){0,3} (?:can|may) be reached (?:at|by|via) (?:\S+@|\+?\(?\d|e-?mail|phone))")),
    (CONTACT_LINE, False, 25, _rx(r"\b(?:e-?mail|mail|contact)\s*:\s*\S+@\S+")),
    (CONTACT_LINE, False, 8, _rx(r"^(?:tel(?:efon|ephone)?|phone|fax|e-?mail|kontakt|contact)\s*[:.]")),
    # credits after the article
    (CREDIT_LINE, True, 50, _rx(
        r"^\(?(?:(?:additional |with additional )?reporting by|writing by|editing by|"
        r"(?:[\w.'-]+ ){1,10}contributed (?:reporting|to this (?:report|story|article)))")),
    (CREDIT_LINE, False, 8, _rx(r"^\(?(?:source|sources|quelle|quellen|fuente|source\(s\)|via)\s*:\s*\S")),
    # copyright and reprint notices
    (COPYRIGHT, True, 60, _rx(
        r"^(?:©|ⓒ|\(c\)\s|copyright\s*(?:©|ⓒ|\(c\)|\d{4})|all rights reserved|alle rechte vorbehalten|"
        r"tous droits réservés|todos los derechos reservados|"
        r"this (?:article|story|material|content|copy) is (?:the )?copyrighted|"
        r"this (?:article|story|material|content) may not be (?:published|reproduced|republished|"
        r"redistributed|rewritten|copied)|this copy is for your personal|"
        r"this material may not be|materiał chroniony prawem)")),
    (COPYRIGHT, False, 12, _rx(r"^copyright\b")),
    (COPYRIGHT, False, 30, _rx(r"\ball rights reserved\b|\balle rechte vorbehalten\b|\btous droits réservés\b")),
    # promotions, paywalls, apps, donations, advertising notes
    (PROMO, True, 60, _rx(
        r"^(?:if you (?:enjoyed|liked|value|appreciate)(?: reading)? (?:this|our) (?:article|story|post|"
        r"content|journalism|work|reporting)|join (?:our|the) .{0,40}\breward|"
        r"(?:click|tap) (?:here|allow|below)? ?to (?:get|download|subscribe|follow|install|read)|"
        r"click allow|to (?:view|read|continue reading|access) (?:the full|this|the rest)\b.{0,40}"
        r"\b(?:subscribe|log in|sign in|subscriber)|subscribe now\b|"
        r"become a (?:member|subscriber|patron)\b|"
        r"this (?:post|article|page|story) (?:contains|may contain|includes) (?:affiliate|references to products|"
        r"sponsored)|we may (?:receive|earn) (?:a )?(?:compensation|commission))")),
    (PROMO, False, 30, _rx(
        r"^(?:support (?:our|independent) journalism|(?:please )?consider (?:supporting|subscribing|donating)|"
        r"(?:download|get) (?:our|the) (?:free )?(?:app|apps)\b)")),
    (PROMO, False, 30, _rx(r"\b(?:make money|earn money|reward program|rewards program|affiliate links?)\b")),
    (PROMO, False, 25, _rx(
        r"^\W*(?:sponsored(?: content| post)?|paid (?:content|post|partnership)|anzeige|werbung|publicidad|"
        r"publicité|reklama|advertisement|advertising|donate|spenden|jetzt spenden)\b")),
    (PROMO, False, 25, _rx(r"\b(?:click here|klicken sie hier|haga clic aquí|cliquez ici)\b")),
    (PROMO, False, 12, _rx(
        r"^(?:pour lire la suite|pour accéder|continue reading|read the full (?:story|article)|"
        r"subscribe to (?:read|continue)|weiterlesen mit|jetzt (?:abonnieren|weiterlesen)|"
        r"unterstütze|unterstützen sie (?:uns|unsere)|support us\b|wesprzyj|apoya (?:nuestro|a)|soutenez)")),
    (PROMO, False, 15, _rx(
        r"^(?:keep|continue) (?:following|reading|visiting|checking(?: back)?(?: with)?) (?!this\b|the\b|to\b)\S+")),
    (PROMO, False, 30, _rx(r"\bdownload\b.{0,60}\bapps?\b.{0,20}\b(?:ios|android|iphone|app store|google play)\b")),
    (PROMO, False, 25, _rx(r"\b(?:already a subscriber|log in for (?:immediate )?access|for the full story|"
                           r"subscribe for full access|to continue reading)\b")),
    # navigation and "read more" links
    (NAVIGATION, False, 30, _rx(
        r"^(?![\[(][^\[\]()]*[\])]\s*\S.{20,})[\[(]?(?:read more|read also|read next|more|also|also on|also read|see also|see more|related|"
        r"related (?:post|story|article|content|coverage|reading|topics?)|recommended|more on this|"
        r"more from|next|previous|up next|watch|listen|"
        r"lesen sie (?:auch|mehr|hier)|auch interessant|mehr zum thema|mehr dazu|weiterlesen|zum thema|"
        r"das könnte (?:dich|sie) auch interessieren|auch lesen|lies auch|siehe auch|"
        r"à lire aussi|lire aussi|lire la suite|voir aussi|"
        r"lea (?:también|más)|lea|le puede interesar|te puede interesar|vea también|ver también|"
        r"mira|mire|puedes ver|leia (?:também|mais)|veja também|saiba mais|leggi anche(?: su)?|"
        r"czytaj (?:też|także|więcej)|zobacz (?:też|także)|dowiedz się więcej)\s*(?:»|>>|:|\||-)\s*\S")),
    (NAVIGATION, False, 8, _NAV_HEADER_RX := _rx(
        r"^[\[(]?(?:read more|read next|more|related|related (?:posts?|stories|articles|content|coverage|"
        r"links|reading|topics)|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|"
        r"recommended(?: for you| stories| articles| reading)?|more (?:stories|news|articles|from \S+(?: \S+)?)|"
        r"most (?:read|popular|viewed|shared)(?: .{0,20})?|popular on .{1,30}|trending(?: now| stories)?|"
        r"top stories|latest (?:news|stories|posts)|don'?t miss|explore further|see more|see also|"
        r"previous (?:post|article|story)|next (?:post|article|story)|back to top|skip to (?:main )?content|"
        r"main menu|menu|home|search|advertisement|sponsored|"
        r"weitere (?:artikel|themen|beiträge|informationen|nachrichten|meldungen)(?: .{0,30})?|"
        r"mehr (?:zum thema|themen|artikel|dazu)|auch interessant|empfohlene (?:beiträge|artikel)|"
        r"das (?:thema|könnte) .{0,30}interessieren|schon gelesen|meistgelesen|zum weiterlesen|"
        r"ähnliche (?:artikel|beiträge)|verwandte (?:artikel|themen)|"
        r"notas relacionadas|contenido relacionado|art[ií]culos relacionados|noticias relacionadas|"
        r"te puede interesar|le puede interesar|articles? (?:liés|similaires)|à lire aussi|"
        r"czytaj (?:też|także|więcej)|polecane|zobacz (?:też|także)|leia também|veja também|"
        r"leggi anche|ti potrebbe interessare)\W*$")),
    (NAVIGATION, False, 8, _rx(
        r"^(?:weitere|mehr|more|other|andere|autres|otros|outras|altri|inne|więcej|top)[- ]"
        r"(?:[\w-]+\s+){0,2}(?:artikel|themen|beiträge|nachrichten|meldungen|stories|articles|news|posts|"
        r"noticias|notícias|articoli|artykuły|actualités)\b(?:\s+\S+){0,4}\s*:?(?<![.!?,;])$|"
        r"^(?:auch auf|also on|más sobre|mais sobre|plus sur|more on|mehr zum thema auf|mehr von)\s+\S+")),
    (NAVIGATION, False, 12, _rx(r"^(?:home|start|startseite|inicio|accueil)\s*(?:>|»|/|\|)\s*\S")),
    # metadata lines: reading time, tags, categories
    (METADATA_LINE, False, 12, _rx(
        r"^(?:(?:estimated )?reading time|read time|lesezeit|tempo de leitura|tiempo de lectura|"
        r"temps de lecture|czas czytania)\b|^\d+\s*(?:min|mins|minutes?|minuten|minutos)\.?\s*"
        r"(?:read|reading|lesezeit|de leitura|de lectura)\b|^ten tekst przeczytasz")),
    (METADATA_LINE, False, 40, _rx(
        r"^(?:tags?|tagged(?: with| as)?|filed under|categories|category|kategorien?|schlagw[öo]rter|"
        r"stichw[öo]rter|themen|etiquetas|temas|mots-clés|tematy|categorias?)\s*(?::|\||$)")),
]

# navigation lines that stand alone rather than head a list of links
_NOT_A_LIST_HEADER_RE = _rx(
    r"^\W*(?:main menu|menu|home|search|advertisement|sponsored|back to top|skip to (?:main )?content|"
    r"(?:previous|next) (?:post|article|story)|read more|read next|more)\W*$"
)
_HASHTAG_RE = re.compile(r"#\w+", re.UNICODE)
_AUTHOR_MARKER_RE = _rx(
    r"^(?:about the author|about the writer|über den autor|über die autorin|zur person|sobre el autor|"
    r"sobre la autora|sobre o autor|à propos de l'auteur|o autorze|photo of (?:the )?author|"
    r"author(?: bio| profile)?|bio)\W*$"
)
# "<Name> is the founder and editor of ...": a capitalised name of one to four words opens the line
# (matched on the original text, case-sensitive), then a copula, then a role within a few words.
_BIO_RE = re.compile(
    r"^(?:(?i:about the author)\W*)?[^\W\d_][\w.'\u2019-]*(?:\s+(?:[^\W\d_][\w.'\u2019-]*|de|van|von|da|di|del))"
    r"{0,3}\s+(?:is|was|has been|ist|war|est|es|jest|è|é)\s+(?:(?:also|currently|now|formerly)\s+)?"
    r"(?:(?:a|an|the|our|one of the|ein|eine|der|die|un|une|el|la|il|um|uma)\s+)?(?:(?!to\s)[\w&,'-]+\s+){0,8}?"
    r"(?i:" + _ROLE_WORDS + r")\b",
    re.UNICODE,
)
_BYLINE_PREFIX_RE = _rx(
    r"^(?:by|von|por|par|door|di|av|af|autor(?:in)?:|author:|written by|words by|text:|texto:)\s+\S"
)
# "date 2025-03-04 (OUTLET) The sentence ..." -> the marker up to the sentence.
_DATELINE_MARKER_RE = re.compile(
    r"^[ \t]*(?:(?:date|dated|posted(?: on)?|published(?: on)?|updated(?: on)?)[ \t]*:?[ \t]*)"
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|(?:" + _MONTHS + r")\.?[ \t]+\d{1,2},?[ \t]+\d{4})"
    r"(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?[ \t]*(?:\([^()\n]{1,40}\))?[ \t]*[-\u2013\u2014:]?[ \t]*"
    r"(?=[\"'\u201c\u2018(\[]?[A-Z0-9])",
    re.IGNORECASE,
)
_ISO_MARKER_RE = re.compile(
    r"^[ \t]*\d{4}-\d{2}-\d{2}[ \t]*\([^()\n]{1,40}\)[ \t]*[-\u2013\u2014:]?[ \t]*(?=[\"'\u201c(\[]?[A-Z])"
)
# A bracketed link before a sentence: "(RELATED: Other story) The sentence ..." -> the brackets go.
_BRACKET_NAV_RE = re.compile(
    r"^[\[(](?:related|read more|read also|also read|see also|more|watch|listen|lesen sie auch|lea también|"
    r"leia também|à lire aussi|leggi anche)\s*:[^\[\]()\n]{1,200}[\])]\s*(?=\S)",
    re.IGNORECASE,
)
# A share button label glued to the end of a sentence: "... business.Click To Tweet"
_SHARE_SUFFIX_RE = re.compile(r"(?i)(?<=[.!?\"'\u201d\u2019])\s*(?:click to tweet|tweet this)\s*$")
_SEPARATOR_START_RE = re.compile("^[" + re.escape(_DASH_CHARS) + r"]\s")
_SLOGAN_WORDS = re.compile(
    r"\b(?:news|updates?|headlines?|stories|breaking|latest|magazine|journal|blog|daily|online|"
    r"nachrichten|noticias|notícias|actualités|wiadomości|trending|voice|source)\b",
    re.IGNORECASE,
)


def _rule_match(norm: str, n_words: int) -> tuple[str, bool] | None:
    """The first line rule that matches ``norm`` (a normalised, lower-cased line)."""
    norm = norm.strip(" |")  # a table cell holding the line
    for reason, strong, max_words, rx in _LINE_RULES:
        if max_words and n_words > max_words:
            continue
        if rx.search(norm):
            return reason, strong
    if n_words >= 2:
        tags = _HASHTAG_RE.findall(norm)
        if len(tags) >= 2 and len(tags) >= 0.6 * n_words:
            return HASHTAG_LINE, False
    return None


# --- lines and their features --------------------------------------------------------------------


def _stem(word: str) -> str:
    return word[:6] if len(word) > 6 else word


@dataclass(slots=True)
class _Line:
    idx: int  # position among the non-empty lines
    start: int  # stripped span in raw_text
    end: int
    text: str
    norm: str
    block: int  # paragraph number (paragraphs are separated by blank lines)
    words: list[str]
    content: frozenset[str]  # stems of content words
    terminal: bool  # ends with terminal punctuation
    n_words: int
    body_like: bool  # reads as prose: enough words, a finished sentence, not shouting
    headline_like: bool  # short, and not a finished sentence (no closing period)
    reason: str | None = None
    strong: bool = False
    overlap: float = 1.0


_TERMINAL_RE = re.compile(r"[.!?\u2026\u3002][\"'\u201d\u2019)\]\u00bb]*$")


def _content_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_stem(w) for w in words if len(w) >= 3 and not w.isdigit() and w not in _STOPWORDS)


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    pos = 0
    blank_run = False
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            if lines:
                blank_run = True
            pos += len(chunk)
            continue
        if blank_run:
            block += 1
            blank_run = False
        lead = len(body) - len(body.lstrip())
        start = pos + lead
        end = start + len(stripped)
        norm = normalize(stripped, lower=True)
        words = _WORD_RE.findall(norm)
        n = len(words)
        terminal = bool(_TERMINAL_RE.search(stripped))
        body_like = False
        if n >= BODY_MIN_WORDS and (terminal or len(split_sentences(stripped)) >= 2):
            upper = sum(map(str.isupper, stripped))
            lower = sum(map(str.islower, stripped))
            body_like = upper == 0 or upper < 1.5 * lower  # under 60 % capitals among cased letters
        tail = stripped.rstrip(" \t\"'\u201d\u2019)]")
        lines.append(
            _Line(
                idx=len(lines),
                start=start,
                end=end,
                text=stripped,
                norm=norm,
                block=block,
                words=words,
                content=_content_words(words),
                terminal=terminal,
                n_words=n,
                body_like=body_like,
                headline_like=2 <= n <= 20 and not tail.endswith((".", ";", ",")),
            )
        )
        pos += len(chunk)
    return lines


# --- title ---------------------------------------------------------------------------------------

_TITLE_SPLIT_RE = re.compile(r"\s+[|\u2013\u2014\-:\u00bb\u00ab/]+\s+")


def _title_variants(title: str) -> list[list[str]]:
    """Word lists of the title and of its parts around site separators ("Headline - Site")."""
    norm = normalize(title, lower=True)
    variants = [_WORD_RE.findall(norm)]
    parts = _TITLE_SPLIT_RE.split(norm)
    if len(parts) > 1:
        for p in parts:
            w = _WORD_RE.findall(p)
            if len(w) >= 3:
                variants.append(w)
    return [v for v in variants if v]


def _matches_title(line: _Line, variants: list[list[str]]) -> str | None:
    """``"equal"`` when the line is the title (or its headline part), ``"contains"`` when the line
    holds the title with a few words around it, else None."""
    if not variants or not line.words:
        return None
    lw = line.words
    for v in variants:
        if lw == v:
            return "equal"
    for v in variants:
        if len(v) >= 4 and len(lw) <= 40:
            # near-equal: same words up to small edits ("Opinion | X" vs "X", a reordered phrase)
            a, b = set(lw), set(v)
            if len(a & b) >= 0.85 * max(len(a), len(b)) and abs(len(lw) - len(v)) <= 3:
                return "equal"
    for v in variants:
        if len(v) >= 4 and len(v) < len(lw) <= len(v) + 8:
            joined, needle = " " + " ".join(lw) + " ", " " + " ".join(v) + " "
            if needle in joined:
                return "contains"
    return None


def guess_title(raw_text: str) -> str | None:
    """The first headline-like line near the top of ``raw_text`` that is not boilerplate, or None.

    A title is short (2 to 30 words), does not end with a period, and sits within the first six
    non-empty lines; a first line that is a whole paragraph means the text has no title line.
    """
    lines = _split_lines(raw_text)
    return _guess_title_line(lines)


def _guess_title_line(lines: list[_Line]) -> str | None:
    for line in lines[:6]:
        if _rule_match(line.norm, line.n_words) is not None:
            continue
        if 2 <= line.n_words <= MAX_TITLE_WORDS and len(line.text) <= 250 and not line.text.rstrip().endswith("."):
            return line.text if len(lines) > 1 else None
        return None
    return None


# --- per-source repeated lines -------------------------------------------------------------------


class LineStats:
    """Per-source counts of normalised line fingerprints, learned from the corpus.

    ``counts[source_key][fingerprint]`` is the number of that source's articles containing the line;
    ``docs[source_key]`` the number of that source's articles observed. Both are plain dicts so the
    store can persist and reload them as they are. The thresholds are class attributes
    (``min_articles``, ``min_share``, ``min_docs``) so callers can tell which lines count as repeated.
    """

    min_articles: int = MIN_ARTICLES
    min_share: float = MIN_SHARE
    min_docs: int = MIN_SOURCE_DOCS

    def __init__(
        self,
        counts: dict[str, dict[str, int]] | None = None,
        docs: dict[str, int] | None = None,
    ) -> None:
        self.counts: dict[str, dict[str, int]] = counts if counts is not None else {}
        self.docs: dict[str, int] = docs if docs is not None else {}

    @staticmethod
    def fingerprint(line: str) -> str:
        """16 hex characters of sha1 over the lower-cased normalised line with digit runs collapsed."""
        key = re.sub(r"\d+", "0", normalize(line, lower=True))
        return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    @staticmethod
    def candidate_lines(raw_text: str) -> set[str]:
        """The distinct fingerprints of the non-empty lines of ``raw_text``."""
        out: set[str] = set()
        for chunk in raw_text.splitlines():
            s = chunk.strip()
            if s and _WORD_RE.search(s):
                out.add(LineStats.fingerprint(s))
        return out

    def observe(self, article: Article) -> None:
        """Count each distinct line of ``article.raw_text`` once for its source (skipped without one)."""
        key = article.source_key
        if not key:
            return
        self.docs[key] = self.docs.get(key, 0) + 1
        per = self.counts.setdefault(key, {})
        for fp in self.candidate_lines(article.raw_text):
            per[fp] = per.get(fp, 0) + 1

    def is_repeated(self, source_key: str | None, line: str) -> bool:
        """True when the source repeats ``line`` across many of its own articles."""
        if not source_key:
            return False
        n_docs = self.docs.get(source_key, 0)
        if n_docs < self.min_docs:
            return False
        n = self.counts.get(source_key, {}).get(self.fingerprint(line), 0)
        return n >= self.min_articles and n >= self.min_share * n_docs

    def repeated_fingerprints(self, source_key: str) -> set[str]:
        """The fingerprints :meth:`is_repeated` accepts for ``source_key`` (to tell what changed)."""
        n_docs = self.docs.get(source_key, 0)
        if n_docs < self.min_docs:
            return set()
        return {
            fp
            for fp, n in self.counts.get(source_key, {}).items()
            if n >= self.min_articles and n >= self.min_share * n_docs
        }


# --- the cleaner ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    lines: list[_Line]
    title: str | None
    n_body: int = 0  # body-like lines in the whole text
    variants: list[list[str]] = field(default_factory=list)
    title_words: frozenset[str] = frozenset()


class Cleaner:
    """The cleaning stage: boilerplate out, every removal kept with its reason.

    ``line_stats`` supplies what was learned about each source's repeated lines; the cleaner only
    reads it unless ``learn=True``, in which case :meth:`process` first observes the ok articles of
    each batch (the pipeline usually observes, persists and passes the statistics itself).
    """

    def __init__(self, line_stats: LineStats | None = None, *, learn: bool = False) -> None:
        self.line_stats = line_stats if line_stats is not None else LineStats()
        self.learn = learn

    def process(self, batch: Sequence[Article]) -> list[Article]:
        """Clean every ok article in place (text, removed, sentences); dropped ones pass untouched."""
        if self.learn:
            for art in batch:
                if art.status == "ok":
                    self.line_stats.observe(art)
        out: list[Article] = []
        for art in batch:
            if art.status == "ok":
                text, removed = self.clean(
                    art.raw_text,
                    title=art.title,
                    source_key=art.source_key,
                    byline=art.byline,
                    source=art.source,
                )
                art.text = text
                art.removed = removed
                art.sentences = split_sentences(text)
            out.append(art)
        return out

    def clean(
        self,
        raw_text: str,
        *,
        title: str | None = None,
        source_key: str | None = None,
        byline: str | None = None,
        source: str | None = None,
    ) -> tuple[str, list[Removal]]:
        """The clean text of ``raw_text`` and the removals (sorted by start), spans into ``raw_text``."""
        lines = _split_lines(raw_text)
        if not lines:
            return "", []
        # 1. context-free line rules
        for line in lines:
            hit = _rule_match(line.norm, line.n_words)
            if hit:
                line.reason, line.strong = hit
        ctx = self._context(lines, title)
        # 2. title, byline, tag lines at the top
        self._title_rules(ctx, byline)
        # 3. vocabulary, overlap and the body core
        self._overlaps(ctx)
        core = [ln.idx for ln in lines if ln.reason is None and self._protected(ctx, ln)]
        core_start = core[0] if core else len(lines)
        core_end = core[-1] if core else -1
        # 4. rules that need the article around the line
        self._context_rules(ctx, core_start, core_end, len(core), source, source_key)
        # 5. the guard: weak rules never take a protected line
        for ln in lines:
            if ln.reason and not ln.strong and ln.reason not in (TITLE, REPEATED_TITLE) and self._protected(ctx, ln):
                ln.reason = None
        # 6. partial removals on kept lines, then assemble
        removals: list[Removal] = []
        keep: dict[int, tuple[int, int]] = {}
        for ln in lines:
            if ln.reason:
                removals.append(Removal(ln.start, ln.end, raw_text[ln.start : ln.end], ln.reason))
                continue
            s, e = ln.start, ln.end
            m = _DATELINE_MARKER_RE.match(ln.text) or _ISO_MARKER_RE.match(ln.text)
            if m and m.end() < len(ln.text):
                cut = ln.start + len(m.group(0).rstrip())
                removals.append(Removal(ln.start, cut, raw_text[ln.start : cut], DATELINE_MARKER))
                s = ln.start + m.end()
            else:
                m = _BRACKET_NAV_RE.match(ln.text)
                if m and m.end() < len(ln.text):
                    cut = ln.start + len(m.group(0).rstrip())
                    removals.append(Removal(ln.start, cut, raw_text[ln.start : cut], NAVIGATION))
                    s = ln.start + m.end()
            m2 = _SHARE_SUFFIX_RE.search(ln.text)
            if m2 and m2.start() > 0:
                cut = ln.start + m2.start()
                first = cut + (len(m2.group(0)) - len(m2.group(0).lstrip()))
                removals.append(Removal(first, ln.end, raw_text[first : ln.end], SOCIAL_PROMPT))
                e = cut
            keep[ln.idx] = (s, e)
        removals.sort(key=lambda r: (r.start, r.end))
        return self._assemble(raw_text, lines, keep), removals

    # -- steps ------------------------------------------------------------------------------------

    @staticmethod
    def _context(lines: list[_Line], title: str | None) -> _Context:
        t = title.strip() if title else None
        if t:
            tn = normalize(t, lower=True)
            n = len(_WORD_RE.findall(tn))
            if n > MAX_TITLE_WORDS or _rule_match(tn, n) is not None:
                t = None  # upstream took a paragraph or a boilerplate line for the title
        if not t:
            t = _guess_title_line(lines)
        ctx = _Context(lines=lines, title=t, n_body=sum(1 for ln in lines if ln.body_like))
        if t:
            ctx.variants = _title_variants(t)
            ctx.title_words = _content_words(_WORD_RE.findall(normalize(t, lower=True)))
        return ctx

    @staticmethod
    def _title_rules(ctx: _Context, byline: str | None) -> None:
        lines = ctx.lines
        title_idx: int | None = None
        seen_body = False
        for ln in lines:
            if ln.reason is not None:
                continue
            kind = _matches_title(ln, ctx.variants)
            if kind == "equal" or (kind == "contains" and not ln.body_like):
                # the first copy before the body is the title line; any other copy is a repeat
                ln.reason = REPEATED_TITLE if title_idx is not None or seen_body else TITLE
                if ln.reason == TITLE:
                    title_idx = ln.idx
            elif ln.body_like:
                seen_body = True
        # the author line: the given byline near the top, a "By ..." line, or a name after the title
        head: list[_Line] = []
        for ln in lines[:8]:
            if ln.body_like and ln.reason is None:
                break
            head.append(ln)
        by_norm = normalize(byline, lower=True) if byline else None
        by_words = _WORD_RE.findall(by_norm) if by_norm else []
        for ln in head:
            if ln.reason is not None:
                continue
            if by_words and ln.n_words <= len(by_words) + 8:
                joined = " " + " ".join(ln.words) + " "
                if " " + " ".join(by_words) + " " in joined:
                    ln.reason = BYLINE
                    continue
            if _BYLINE_PREFIX_RE.match(ln.norm) and ln.n_words <= 12 and not ln.terminal:
                ln.reason = BYLINE
        if title_idx is not None:
            after = [ln for ln in lines[title_idx + 1 : title_idx + 4]]
            nxt = after[0] if after else None
            if nxt is not None and nxt.reason is None and _looks_like_name(nxt) and not (nxt.content & ctx.title_words):
                # a bare author name (names rarely recur in the body; headings do)
                body_words = set().union(*(x.content for x in lines if x.body_like and x.idx != nxt.idx))
                if not (nxt.content & body_words):
                    nxt.reason = BYLINE
            # stray tag lines: 1-3 words, all of them title words, before the body starts
            for ln in after:
                if ln.body_like:
                    break
                if ln.reason is None and 1 <= ln.n_words <= 3 and ln.content and ln.content <= ctx.title_words:
                    ln.reason = TAG_LINE

    @staticmethod
    def _overlaps(ctx: _Context) -> None:
        """For each line, the share of its content words found in the title or other body lines."""
        counts: Counter[str] = Counter()
        body = [ln for ln in ctx.lines if ln.body_like and ln.reason is None]
        for ln in body:
            counts.update(ln.content)
        body_ids = {ln.idx for ln in body}
        for ln in ctx.lines:
            if not ln.content:
                ln.overlap = 0.0
                continue
            own = ln.idx in body_ids
            hits = sum(1 for w in ln.content if w in ctx.title_words or counts[w] - (1 if own else 0) > 0)
            ln.overlap = hits / len(ln.content)

    @staticmethod
    def _protected(ctx: _Context, ln: _Line) -> bool:
        if not ln.body_like:
            return False
        if ctx.n_body < MIN_BODY_LINES_FOR_OVERLAP:
            return True
        return ln.overlap >= PROTECT_OVERLAP

    def _context_rules(
        self,
        ctx: _Context,
        core_start: int,
        core_end: int,
        n_core: int,
        source: str | None,
        source_key: str | None,
    ) -> None:
        lines = ctx.lines
        outside = lambda ln: ln.idx < core_start or ln.idx > core_end  # noqa: E731
        source_words = _WORD_RE.findall(normalize(source, lower=True)) if source else []
        for i, ln in enumerate(lines):
            if ln.reason is not None:
                continue
            prev = lines[i - 1] if i else None
            # author bios after the body, or after an author marker line
            after_marker = prev is not None and prev.block == ln.block and bool(_AUTHOR_MARKER_RE.match(prev.norm))
            if ln.n_words <= 120 and ln.overlap <= 0.35 and _bio_match(ln.text):
                if after_marker or (n_core >= 2 and ln.idx > core_end):
                    ln.reason, ln.strong = AUTHOR_BIO, True
                    continue
            if _AUTHOR_MARKER_RE.match(ln.norm) and ln.n_words <= 4 and (ln.idx > core_end or n_core < 2):
                ln.reason = AUTHOR_BIO
                continue
            # a site slogan near the top: "- breaking headlines, local stories and more"
            if (
                ln.idx < core_start
                and _SEPARATOR_START_RE.match(ln.norm)
                and ln.norm.count(",") >= 2
                and ln.n_words <= 30
                and ln.overlap <= 0.25
                and _SLOGAN_WORDS.search(ln.norm)
            ):
                ln.reason = TAGLINE
                continue
            # a headline of another story after the body, alone among boilerplate
            if (
                n_core >= 2
                and ln.idx > core_end
                and ln.headline_like
                and not ln.terminal  # a sentence or a question is not a headline link
                and not ln.text.endswith(":")  # it introduces what follows ("Watch the interview below:")
                and ln.overlap <= UNRELATED_OVERLAP
                and len(ln.content) >= 3
                and not _LIST_SHAPE_RE.match(ln.text)
                and "(@" not in ln.text  # the signature of an embedded post is part of the quote
                and _isolated(lines, i)
            ):
                ln.reason = UNRELATED_HEADLINE
                continue
            # an e-mail address or social handle alone on a line after the body
            if ln.idx > core_end and n_core >= 2 and _ADDRESS_LINE_RE.match(ln.norm):
                ln.reason = CONTACT_LINE
                continue
            # a promotion naming the outlet: "Subscribe to <Outlet> on ...", "Follow <Outlet> ..."
            if source_words and ln.n_words <= 30 and not ln.body_like:
                joined = " " + " ".join(ln.words) + " "
                if " " + " ".join(source_words) + " " in joined and re.match(
                    r"^(?:follow|subscribe|join|get|download|listen|watch|sign up|support|donate|like|read)\b", ln.norm
                ):
                    ln.reason = PROMO
                    continue
            # date stamps alone on a line (a bare date only outside the body: live blogs time their posts)
            kind = _date_line_kind(ln)
            if kind == "labelled" or (kind == "bare" and outside(ln)):
                ln.reason = METADATA_LINE
                continue
            if source_key and self.line_stats.is_repeated(source_key, ln.text):
                ln.reason = SOURCE_REPEATED
        # a line continuing a removed line of the same paragraph (", down the comment section ..."):
        # it opens with a comma or the like, or in lower case right after an unfinished line
        for i in range(1, len(lines)):
            ln, prev = lines[i], lines[i - 1]
            if (
                ln.reason is None
                and prev.reason is not None
                and prev.reason not in (TITLE, REPEATED_TITLE)
                and prev.block == ln.block
                and ln.n_words <= 30
                and (
                    re.match(r"^[,;:)\]\u2026]", ln.text)
                    or (ln.text[0].islower() and not prev.terminal and not prev.text.endswith(":"))
                )
            ):
                ln.reason, ln.strong = prev.reason, False
        # link lists headed by a navigation line ("You may also like", "Don't miss")
        for i, ln in enumerate(lines):
            if ln.reason != NAVIGATION or ln.n_words > 8 or not _NAV_HEADER_RX.search(ln.norm):
                continue
            if _NOT_A_LIST_HEADER_RE.match(ln.norm):
                continue
            for nxt in lines[i + 1 : i + 12]:
                if nxt.reason is not None and nxt.reason != UNRELATED_HEADLINE:
                    break
                if nxt.body_like or not (nxt.headline_like or nxt.n_words <= 25 and nxt.overlap <= 0.5):
                    break
                if nxt.idx <= core_end and nxt.overlap > UNRELATED_OVERLAP and not nxt.headline_like:
                    break
                if nxt.text.endswith(".") and not _LIST_SHAPE_RE.match(nxt.text):
                    break  # a sentence, not a link
                nxt.reason = NAVIGATION
        # lines the source repeats never take most of the article: copies of one story are not footers
        rep = [ln for ln in lines if ln.reason == SOURCE_REPEATED and not self._protected(ctx, ln)]
        if rep:
            total = sum(len(ln.text) for ln in lines)
            if sum(len(ln.text) for ln in rep) > 0.5 * total:
                for ln in rep:
                    if ln.body_like:
                        ln.reason = None

    @staticmethod
    def _assemble(raw: str, lines: list[_Line], keep: dict[int, tuple[int, int]]) -> str:
        paras: list[list[str]] = []
        last_block = None
        for ln in lines:
            span = keep.get(ln.idx)
            if span is None:
                continue
            piece = raw[span[0] : span[1]].strip()
            if not piece:
                continue
            if ln.block != last_block:
                paras.append([])
                last_block = ln.block
            paras[-1].append(piece)
        return "\n\n".join("\n".join(p) for p in paras).strip()


_PUB_LABELS = frozenset(
    """
    published posted updated modified created dated veröffentlicht aktualisiert aktualisierung publié
    publiée publicado actualizado atualizado pubblicato aggiornato opublikowano zaktualizowano
    """.split()
)
# list items, table rows, numbered entries, links: structure the article itself gives
_LIST_SHAPE_RE = re.compile(r"^(?:[-*\u2022|>]|\d+[.)]\s|https?://|www\.)")
_ADDRESS_LINE_RE = re.compile(r"^(?:[^\s@]+@[^\s@]+\.[a-z]{2,}|@\w{2,})$")
_NAME_TOKEN_RE = re.compile(r"^[^\W\d_][\w.'\u2019-]*$", re.UNICODE)


def _looks_like_name(ln: _Line) -> bool:
    """2 to 4 alphabetic tokens, no sentence punctuation: how a bare author line looks."""
    if not 2 <= ln.n_words <= 4 or ln.terminal and not ln.text.endswith("."):
        return False
    if ln.text.endswith((",", ":", ";")) or "_" in ln.text:
        return False
    toks = ln.text.replace(" and ", " ").split()
    if not 2 <= len(toks) <= 5:
        return False
    caps = [t[0].isupper() for t in toks if t.lower() not in ("de", "van", "von", "da", "di", "la", "le", "del")]
    if any(caps) and not all(caps):
        return False
    if any(t.lower() in _STOPWORDS and t.lower() not in ("de", "van", "von", "da", "di", "la", "le", "del") for t in toks):
        return False
    return all(_NAME_TOKEN_RE.match(t) for t in toks)


def _date_line_kind(ln: _Line) -> str | None:
    """``"labelled"`` for a short line that only carries a publication date with its label
    ('Updated: ...', 'Veröffentlicht am ...', optionally 'by <name>'), ``"bare"`` for a line that is
    only a date or time, else None."""
    if ln.n_words > 16 or ln.body_like:
        return None
    if not _DATE_RE.search(ln.norm):
        return None
    rest = _DATE_RE.sub(" ", ln.norm)
    words = [w for w in _WORD_RE.findall(rest) if not w.isdigit()]
    left = [w for w in words if w not in _DATE_LABELS]
    if not left and not any(w in _PUB_LABELS for w in words):
        return "bare"
    if any(w in _PUB_LABELS for w in words) and len(left) <= 3:
        return "labelled"
    return None


def _bio_match(text: str) -> bool:
    """The line opens with a capitalised name of one to four words, then 'is/was ... <role>'."""
    if not _BIO_RE.match(text):
        return False
    head = _ABOUT_AUTHOR_RE.sub("", text, count=1)
    name = _COPULA_RE.split(head, maxsplit=1)[0].split()
    return 1 <= len(name) <= 4 and all(t[:1].isupper() or t in _NAME_PARTICLES for t in name)


_ABOUT_AUTHOR_RE = re.compile(r"^about the author\W*", re.IGNORECASE)
_COPULA_RE = re.compile(r"\s+(?:is|was|has been|ist|war|est|es|jest|è|é)\s+")
_NAME_PARTICLES = frozenset({"de", "van", "von", "da", "di", "del"})


def _isolated(lines: list[_Line], i: int) -> bool:
    """True when the neighbours of line ``i`` are removed lines, body text or nothing: a lone line,
    not one item of a list the article gives (tour dates, products, table rows)."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines):
            nb = lines[j]
            if nb.reason is None and not nb.body_like:
                return False
    return True
