"""Text normalisation for matching, and sentence segmentation with character spans.

Display text always keeps its original characters; :func:`normalize` gives the form used for
matching, hashing and ids: Unicode NFKC, confusable letters folded (small capitals, and Cyrillic or
Greek look-alikes inside Latin words), quotes and dashes unified, whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

#: English function words (articles, pronouns, auxiliaries, prepositions, conjunctions) that carry
#: no content when two texts are compared word by word; each module adds its own few.
FUNCTION_WORDS = frozenset("""
a about after all also an and any are as at be been before being but by can could did do does for
from had has have he her here his how i if in into is it its just may me might must my no not of on
or our over shall she should so some such than that the their them then there these they this those
to us very was we were what when where which who whom whose why will with would you your
""".split())

# Small capitals and other Latin letter variants that NFKC leaves alone.
_SMALL_CAPS = {
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ꜰ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ɑ": "a", "ɡ": "g",
    "ı": "i", "ȷ": "j",
}
# Cyrillic and Greek letters that look Latin; folded only inside words that also hold Latin letters,
# so genuine Russian or Greek text is left as it is.
_MIXED_SCRIPT = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "ο": "o", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ζ": "Z",
}
_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "`": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'", "\u300c": '"', "\u300d": '"',
}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_INVISIBLE = {c: "" for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}

_FOLD_TABLE = str.maketrans({**_SMALL_CAPS, **_QUOTES, **_DASHES, **_INVISIBLE})
_MIXED_TABLE = str.maketrans(_MIXED_SCRIPT)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_LATIN_RE = re.compile(r"[A-Za-z]")
_LOOKALIKE_RE = re.compile("[" + "".join(_MIXED_SCRIPT) + "]")
_SPACE_RE = re.compile(r"\s+")


def fold_confusables(text: str) -> str:
    """Fold small capitals everywhere, and Cyrillic/Greek look-alikes inside mixed-script words."""
    text = text.translate(_FOLD_TABLE)
    if not _LOOKALIKE_RE.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if _LATIN_RE.search(w) and _LOOKALIKE_RE.search(w):
            return w.translate(_MIXED_TABLE)
        return w

    return _WORD_RE.sub(fix, text)


def normalize(text: str, *, lower: bool = False) -> str:
    """The matching form of ``text``: NFKC, confusables folded, quotes/dashes unified, spaces collapsed."""
    t = unicodedata.normalize("NFKC", text)
    t = fold_confusables(t)
    t = _SPACE_RE.sub(" ", t).strip()
    return t.lower() if lower else t


def normalize_display(text: str) -> str:
    """A display form that only repairs what is never meant: confusable letters and invisible marks.

    Used for short metadata such as bylines ("Jane Dᴏe" -> "Jane Doe"), where the original shape of
    quotes and dashes does not matter but look-alike letters would split one author into two.
    """
    t = unicodedata.normalize("NFKC", text)
    t = t.translate(str.maketrans({**_SMALL_CAPS, **_INVISIBLE}))
    if _LOOKALIKE_RE.search(t):
        t = _WORD_RE.sub(
            lambda m: m.group(0).translate(_MIXED_TABLE)
            if _LATIN_RE.search(m.group(0)) and _LOOKALIKE_RE.search(m.group(0))
            else m.group(0),
            t,
        )
    return _SPACE_RE.sub(" ", t).strip()


def words(text: str) -> list[str]:
    """Lower-cased word tokens of the normalised text."""
    return _WORD_RE.findall(normalize(text, lower=True))


# --- sentence segmentation -------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "det", "maj", "cpl", "pvt",
    "inc", "ltd", "co", "corp", "bros", "no", "nos", "vs", "v", "etc", "al", "approx", "est", "dept",
    "univ", "assn", "fig", "vol", "ch", "pp", "p", "ed", "eds", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "ave", "blvd", "rd", "ft", "lb", "oz", "e.g", "i.e", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m",
}
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY_RE = re.compile(r"[.!?…؟]+[\"'”’»)\]]*(?=\s)")
# ...then the next sentence's first character: a digit, or a letter that is not lower case (a capital
# in any cased script, or a letter of a script without case: Arabic, Hebrew, Devanagari, ...).
_NEXT_START_RE = re.compile(r"\s+([\"'“‘«(\[]?(\w))")


def _starts_sentence(ch: str) -> bool:
    return ch.isdigit() or (ch.isalpha() and not ch.islower())


def _is_abbreviation(text: str, dot_pos: int) -> bool:
    """True when the '.' at dot_pos ends an abbreviation or an initial rather than a sentence."""
    start = dot_pos
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    token = text[start:dot_pos].lower().rstrip(".")
    if not token:
        return False
    if token in _ABBREVIATIONS:
        return True
    # single capital initial ("J. Smith") or dotted acronym ("U.S.")
    if len(token) == 1 and text[start].isupper():
        return True
    return "." in token and all(len(p) <= 2 for p in token.split("."))


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans over ``text`` (end exclusive), never crossing a line break between paragraphs.

    Rule based and deterministic: a sentence ends at terminal punctuation (with any closing quotes)
    followed by whitespace and a capital (or a letter of a script without case), digit or opening
    quote, unless the period ends a known abbreviation or an initial. Paragraph breaks always end a
    sentence.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        p_text = para.group(0)
        base = para.start()
        start = 0
        for m in _BOUNDARY_RE.finditer(p_text):
            end = m.end()
            nxt = _NEXT_START_RE.match(p_text, end)
            if not nxt or not _starts_sentence(nxt.group(2)):
                continue
            if p_text[m.start()] == "." and m.end() - m.start() == 1 and _is_abbreviation(p_text, m.start()):
                # "U.S. officials" continues; "in the U.S. The" is ambiguous: split only before a
                # capitalised common sentence opener is out of reach without a parser, so keep going.
                continue
            _append_span(spans, p_text, base + offset, start, end)
            start = nxt.start(1)
        _append_span(spans, p_text, base + offset, start, len(p_text))
    return spans


def _append_span(spans: list[tuple[int, int]], p: str, base: int, s: int, e: int) -> None:
    while s < e and p[s].isspace():
        s += 1
    while e > s and p[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((base + s, base + e))


def domain_of(url: str | None) -> str | None:
    """The host of a URL, lower-case, without "www." and port; None for none or a bad URL."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


# a figure as English news writes it: "212,000", "4.5", "30"; not part of a word ("COVID-19", "G7")
_FIGURE_RE = re.compile(r"(?<![\w.,])(?<![^\W\d_]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w)")


def figures(text: str) -> list[tuple[str, str]]:
    """The figures of ``text`` in order, each as (as written, comparable key): "212,000" ->
    ("212,000", "212000"), "4.50" -> ("4.50", "4.5")."""
    out = []
    for m in _FIGURE_RE.finditer(text):
        raw = m.group(0)
        key = raw.replace(",", "")
        if "." in key:
            key = key.rstrip("0").rstrip(".") or "0"
        out.append((raw, key.lstrip("0") or "0"))
    return out
