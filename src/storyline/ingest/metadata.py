"""Metadata from the text of an article: title, byline, dateline, outlet; and date parsing.

Plain-text articles carry their metadata in the prose around the body, in a handful of shapes that
recur across outlets:

* a title on the first line, sometimes after a few lines of site chrome ("Connect with us");
* a dateline that opens the body: ``date 2024-07-31 (OUTLET)``, ``WASHINGTON (AP) —``,
  ``LONDON, March 3 (Reuters) -`` (the name in parentheses is the wire or outlet);
* an author line: ``By Jane Doe``, ``Jane Doe | Outlet``, or a short line of two to four name words
  right after the title;
* a closing author bio: ``Jane Doe is the founder and editor of The Outlet, ...``;
* a promotion line: ``Follow Outlet on Google News``.

Every pattern here is structural; no outlet or person is named in the code. Each found field
records how it was found (``*_method``), so later stages and people can weigh it.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from storyline.text import normalize_display

__all__ = [
    "ParsedDate",
    "TextMetadata",
    "extract_text_metadata",
    "parse_date",
    "parse_timestamp",
    "clean_byline",
    "title_case_name",
    "looks_like_name",
]

# --- dates -----------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
# Zone abbreviations with a fixed meaning; ambiguous ones (ET, IST, ...) give day precision only.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7,
    "MDT": -6, "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
}
_TIME_RE = (
    r"(?:\s*(?:at\s+|,\s*|T)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>[A-Z]{1,4}|[+-]\d{2}:?\d{2})?)?"
)
_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_MDY_RE = re.compile(
    rf"^{_WEEKDAY_RE}(?P<mon>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME_RE}$",
    re.I,
)
_DMY_RE = re.compile(
    rf"^{_WEEKDAY_RE}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE}),?\s+(?P<y>\d{{4}}){_TIME_RE}$",
    re.I,
)
_YMD_SLASH_RE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


@dataclass(slots=True, frozen=True)
class ParsedDate:
    """A timezone-aware datetime and how much of it the source actually gave."""

    value: datetime
    precision: str  # "day", "minute" or "second"


def _valid_year(y: int) -> bool:
    return 1900 <= y <= 2100


def _offset(tz: str | None) -> timezone | None:
    """A fixed zone for '+02:00', '-0500' or a known abbreviation; None when unknown."""
    if not tz:
        return timezone.utc
    tz = tz.strip()
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", tz)
    if m:
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
        return timezone(-delta if m.group(1) == "-" else delta)
    hours = _ZONES.get(tz.upper())
    return None if hours is None else timezone(timedelta(hours=hours))


def parse_date(value: str | None) -> ParsedDate | None:
    """Parse a date as news sources write it; None when it is not one.

    Understands ISO 8601 (``2024-07-31``, ``2024-07-31T10:30:00+02:00``), RFC 2822 as in feeds and
    HTTP (``Wed, 31 Jul 2024 10:30:00 GMT``), ``July 31, 2024``, ``31 July 2024`` (each with an optional
    weekday and time) and ``2024/07/31``. The result is timezone-aware: UTC when no zone is given.
    A time in an ambiguous zone (``ET``) is dropped and the date kept with day precision.
    """
    if not value:
        return None
    s = value.strip()
    if not s or len(s) > 80:
        return None
    m = _ISO_RE.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not _valid_year(y):
            return None
        try:
            if m.group(4) is None:
                return ParsedDate(datetime(y, mo, d, tzinfo=timezone.utc), "day")
            tz = _offset(m.group(7)) or timezone.utc
            sec = m.group(6)
            dt = datetime(y, mo, d, int(m.group(4)), int(m.group(5)), int(sec or 0), tzinfo=tz)
            return ParsedDate(dt, "second" if sec is not None else "minute")
        except ValueError:
            return None
    m = _YMD_SLASH_RE.match(s)
    if m:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for rx in (_MDY_RE, _DMY_RE):
        m = rx.match(s)
        if m:
            return _from_words(m)
    if re.match(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}", s):
        try:
            dt = email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None and _valid_year(dt.year):
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=timezone.utc)
            return ParsedDate(dt, "second")
    return None


def _day(y: int, mo: int, d: int) -> ParsedDate | None:
    if not _valid_year(y):
        return None
    try:
        return ParsedDate(datetime(y, mo, d, tzinfo=timezone.utc), "day")
    except ValueError:
        return None


def _from_words(m: re.Match[str]) -> ParsedDate | None:
    mon = _MONTHS.get(m.group("mon").lower().rstrip("."))
    if mon is None:
        return None
    day = _day(int(m.group("y")), mon, int(m.group("d")))
    if day is None or m.group("h") is None:
        return day
    hour, minute = int(m.group("h")), int(m.group("mi"))
    ampm = (m.group("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    tz = _offset(m.group("tz"))
    if tz is None or hour > 23 or minute > 59:
        return day
    sec = m.group("s")
    try:
        dt = day.value.replace(hour=hour, minute=minute, second=int(sec or 0), tzinfo=tz)
    except ValueError:
        return day
    return ParsedDate(dt, "second" if sec else "minute")


def parse_timestamp(value: Any) -> ParsedDate | None:
    """A date from a string (see :func:`parse_date`) or a Unix timestamp in seconds or milliseconds."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        ts = float(value)
        if ts > 1e11:  # milliseconds
            ts /= 1000.0
        try:
            dt = datetime.fromtimestamp(ts, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
        return ParsedDate(dt, "second") if _valid_year(dt.year) else None
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return ParsedDate(dt, "second")
    if isinstance(value, date):
        return _day(value.year, value.month, value.day)
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"\d{9,13}(?:\.\d+)?", s):
            return parse_timestamp(float(s))
        return parse_date(s)
    return None


# --- names -----------------------------------------------------------------------------------

# Words that make a short line something other than a person's name: function words, and the
# generic vocabulary of site chrome, section labels and photo credits.
_NOT_NAME_WORDS = frozenset(
    """
    a an the and or but of in on at to for from with by as is are was were be been it its this that
    these those there here we us our you your they them their he him his she her i me my not no yes
    if so do does did has have had will would can could should may might must than then when where
    who what which why how all any some more most other new news latest breaking live update updates
    world politics business sport sports opinion analysis editorial comment comments leave reply
    share follow connect subscribe newsletter read more related home menu search advertisement
    sponsored photo photos image images picture pictures video videos credit file staff report
    reports reporter writer editor correspondent columnist contributor contact about author posted published updated click here story stories
    key takeaways summary highlights introduction background overview conclusion contents
    section chapter page top trending watch listen audio print email copyright rights reserved
    today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    """.split()
)
_NAME_PARTICLES = frozenset("de da do dos das del della di du la le van von der den ter al el bin bint ibn y".split())
_NAME_WORD_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.\-](?=[^\W\d_]))*\.?$")
_INITIAL_RE = re.compile(r"^[^\W\d_]\.$")
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")


def looks_like_name(line: str, *, min_words: int = 2, max_words: int = 4) -> bool:
    """True for a short line shaped like a person's name: 2-4 name words, consistently cased.

    The words are all capitalised (particles like "de" or "van" aside), all lower-case or all
    upper-case; none is a function word or a piece of site vocabulary.
    """
    s = normalize_display(line).strip()
    if not s or len(s) > 48:
        return False
    words = s.split()
    if not (min_words <= len(words) <= max_words):
        return False
    for w in words:
        if not _NAME_WORD_RE.match(w):
            return False
        if w.lower().rstrip(".") in _NOT_NAME_WORDS:
            return False
    cores = [w for w in words if w.lower() not in _NAME_PARTICLES]
    if not cores:
        return False
    if all(w.islower() for w in words) or all(w.isupper() and len(w) > 1 for w in words if not _INITIAL_RE.match(w)):
        return True
    return all(w[0].isupper() for w in cores) and not all(_INITIAL_RE.match(w) for w in cores)


def title_case_name(name: str) -> str:
    """Capitalise an all-lower-case or all-upper-case name ("jane doe" -> "Jane Doe")."""
    if name != name.lower() and name != name.upper():
        return name
    out = []
    for w in name.split():
        if w.lower() in _NAME_PARTICLES and out:
            out.append(w.lower())
        else:  # each run of letters capitalised: "o'neil" -> "O'Neil", "jean-luc" -> "Jean-Luc"
            out.append(_LETTER_RUN_RE.sub(lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), w))
    return " ".join(out)


def clean_byline(value: str | None) -> str | None:
    """A display byline: confusable letters repaired, spacing collapsed, a leading "By" removed."""
    if not value:
        return None
    s = normalize_display(value)
    s = re.sub(r"^(?:by|written by|posted by|author:?)\s+", "", s, flags=re.I).strip(" ,;|-–—")
    if not s:
        return None
    return title_case_name(s) if (s.islower() or s.isupper()) else s


# --- text metadata ---------------------------------------------------------------------------


@dataclass(slots=True)
class TextMetadata:
    """Fields found in the text of an article, each with how it was found (``*_method``)."""

    title: str | None = None
    title_method: str | None = None  # "first_line", "after_chrome"
    byline: str | None = None
    byline_method: str | None = None  # "by_line", "byline_line", "staff_line", "name_line", "author_bio"
    source: str | None = None
    # "follow_line", "author_bio", "byline_line", "staff_line", "copyright", "dateline"
    source_method: str | None = None
    published_at: datetime | None = None
    date_precision: str | None = None
    date_method: str | None = None  # "dateline"
    place: str | None = None  # the place of a wire dateline, e.g. "WASHINGTON"
    wire: str | None = None  # the name in a dateline's parentheses, e.g. "AP"
    dateline_date: str | None = None  # a dateline's date as written, when no year makes it parseable

    def methods(self) -> dict[str, str]:
        """The ``*_method`` values that are set, keyed ``title_method`` and so on (for Article.meta)."""
        out = {}
        for k in ("title_method", "byline_method", "source_method"):
            v = getattr(self, k)
            if v:
                out[k] = v
        return out


_LINE_RE = re.compile(r"[^\n]+")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
# Whole lines of site chrome that can precede the headline in text saved from a page. Whole-line
# matches only: "Home sales rise in June" is a headline, "Home" is a link.
_CHROME_RE = re.compile(
    r"""^(?:
        follow(?:\s+us)?(?:\s+on\s+[\w ]{1,20})?(?:\s*@\S*)?
      | connect\s+with\s+us | stay\s+connected | (?:like|join)\s+us(?:\s+on\s+\w+)?
      | share(?:\s+(?:this(?:\s+article|\s+story)?|on\s+\w+))?
      | subscribe(?:\s+(?:now|today|to\s+our\s+newsletter))?
      | sign\s+(?:in|up|out) | log\s*(?:in|out) | register
      | (?:main\s+|open\s+|close\s+)?menu | close | toggle\s+navigation | navigation
      | skip\s+to\s+(?:the\s+)?(?:main\s+)?content
      | search | home | advertisement | sponsored(?:\s+content)?
      | accept(?:\s+all)?(?:\s+cookies)? | cookies? | print | email | tweet
      | listen(?:\s+to\s+this\s+article)?
    )\s*[:@|]?$""",
    re.I | re.X,
)
_SYMBOLS_ONLY_RE = re.compile(r"^[\W_]+$")
# "date 2024-07-31 (OUTLET)" opening a text export.
_DATE_SOURCE_RE = re.compile(
    r"^\s*(?:date[:\s]\s*)?(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\s*"
    r"\(\s*(?P<src>[^()\n]{2,40}?)\s*\)\s*[-–—:]?\s*",
    re.I,
)
# "WASHINGTON (AP) — ", "LONDON, March 3 (Reuters) - ", "SAN JUAN, Puerto Rico (AP) —"
_WIRE_DATELINE_RE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'.\-]+(?:\s+[A-Z][A-Z'.\-]+){0,3}"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?)"
    rf"(?:,\s*(?P<date>{_MONTH_RE}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"\s*\(\s*(?P<wire>[A-Za-z][\w&.' \-]{0,30}?)\s*\)\s*[-–—]{1,2}\s*"
)
_DATE_LINE_RE = re.compile(
    r"^\s*(?:published|posted|first\s+published|date|updated|last\s+updated)(?:\s+on)?[:\s]\s*(?P<d>.+)$", re.I
)
_BY_SUFFIX_RE = re.compile(r"\s+by\s+.*$", re.I)
_TRAILING_DATE_RE = re.compile(r"^(?P<who>.+?)\s*(?:[|•·]|\s[-–—]{1,2})\s*(?P<when>[^|•·]+?)\s*$")
# "Outlet Staff", "Outlet Editorial Team", "Outlet News Desk": the outlet wrote it, no person named
_STAFF_RE = re.compile(
    r"^(?P<outlet>[A-Z0-9][\w&'’.\-]*(?:\s+[A-Z0-9][\w&'’.\-]*){0,4}?)\s+"
    r"(?:Staff(?:\s+Writers?|\s+Reporters?)?|Editorial\s+(?:Team|Staff|Board|Desk)|News\s*(?:Desk|Team|room)|"
    r"Desk|Newsroom|Team|Reporters|Correspondents?)$"
)
_OUTLET_NAME = r"[A-Z0-9][\w&'’\-]*(?:\.[A-Za-z]{2,})?(?:\s+[A-Z0-9][\w&'’\-]*){0,4}"
_COPYRIGHT_RE = re.compile(
    rf"(?:©|\([cC]\)|[Cc]opyright)\s*(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*)?(?P<o1>{_OUTLET_NAME})"
    rf"|(?P<o2>{_OUTLET_NAME})\s*(?:©|\([cC]\))\s*\d{{4}}"
)
_BY_RE = re.compile(r"^\s*(?:by|written\s+by|words\s+by|story\s+by)[:\s]\s*(?P<rest>.+)$", re.I)
_PIPE_RE = re.compile(r"^\s*(?P<name>[^|]{3,48}?)\s*\|\s*(?P<outlet>[^|]{2,48}?)\s*$")
_AND_RE = re.compile(r"(?:^|\s+)(?:and|&)\s+", re.I)
_ROLE_WORD_RE = re.compile(
    r"\b(?:writer|editor|reporter|correspondent|columnist|contributor|staff|producer|analyst)s?\b", re.I
)
_NOT_BYLINE_RE = re.compile(r"^(?:photo|image|picture|avatar|headshot|portrait)\s+of\b", re.I)
_PLATFORMS = (
    r"google\s+news|twitter|x|facebook|instagram|telegram|whatsapp|linkedin|youtube|threads|"
    r"bluesky|tiktok|flipboard|mastodon|truth\s+social|gab|rumble|reddit|pinterest|snapchat|"
    r"apple\s+news|substack"
)
_FOLLOW_RE = re.compile(
    rf"\bfollow\s+@?(?P<outlet>[^\s@].{{0,60}}?)\s+(?:on|via)\s+(?:{_PLATFORMS})\b", re.I
)
_PRONOUNS = frozenset("us me our them him her it this the our page channel".split())
_ROLES = (
    r"(?:co-?)?founder|editor(?:-in-chief)?|publisher|owner|reporter|correspondent|journalist|"
    r"writer|columnist|contributor|author|producer|analyst|host|anchor|commentator|blogger|"
    r"contributing\s+editor|managing\s+editor|senior\s+editor|staff\s+writer|chief\s+executive|ceo"
)
_BIO_HINT_RE = re.compile(rf"\b(?:{_ROLES})\b", re.I)  # cheap test before the full bio pattern
_NAME_PAT = r"[A-Z][\w'’\-]*\.?(?:\s+(?:[A-Z][\w'’\-]*\.?|de|da|van|von|der|del|di|la|le|al|bin)){1,3}"
_OUTLET_WORD = r"(?:[A-Z0-9][\w&'’.\-]*|of|and|&|the|for|on)"
_BIO_RE = re.compile(
    rf"^(?P<name>{_NAME_PAT})\s+(?:is|was|has\s+been|serves\s+as)\s+(?:(?:a|an|the)\s+)?"
    rf"(?:[\w\-]+\s+){{0,3}}?(?:{_ROLES})"
    rf"(?:\s*(?:,|and|&)\s*(?:(?:a|an|the)\s+)?(?:[\w\-]+\s+){{0,2}}?(?:{_ROLES}))*"
    rf"\s+(?:of|at|for|with)\s+(?P<outlet>(?:The\s+)?[A-Z0-9][\w&'’.\-]*(?:\s+{_OUTLET_WORD}){{0,5}}?)"
    r"(?=\s*[,.;:()]|\s+(?:where|who|which|since|and|in|from|a|an|one|based)\b|\s*$)"
)


def _lines(text: str) -> list[str]:
    return [m.group(0).strip() for m in _LINE_RE.finditer(text) if m.group(0).strip()]


def _is_chrome(line: str) -> bool:
    if _SYMBOLS_ONLY_RE.match(line):
        return True
    return len(line) <= 48 and bool(_CHROME_RE.match(line))


def _is_body_line(line: str) -> bool:
    """A line too long, or too sentence-like, to be a title."""
    words = line.split()
    if len(line) > 300 or len(words) > 40:
        return True
    # two or more sentences
    return len(re.findall(r"[.!?][\"'”’)]?\s+[A-Z]", line)) >= 2 and len(words) > 25


def _split_names(rest: str) -> tuple[str | None, str | None]:
    """From the text after "By": the names, and an outlet given after a pipe, dash or last comma.

    "Jane Doe and John Roe, Outlet" gives both names and the outlet; "A, B and C" gives three names: a
    comma-separated part is a name only when it, or a part after it, holds "and".
    """
    rest = normalize_display(rest).strip()
    outlet = None
    m = re.match(r"^(?P<names>.+?)\s*(?:\||\s[-–—]\s|/)\s*(?P<outlet>[^|]+)$", rest)
    if m:
        rest, outlet = m.group("names"), m.group("outlet").strip()
    segs = [s for s in re.split(r"\s*,\s*", rest) if s]
    if not segs:
        return None, None
    has_and = [bool(_AND_RE.search(s)) for s in segs]
    names: list[str] = []
    for i, seg in enumerate(segs):
        if i > 0 and not any(has_and[i:]):
            if outlet is None and len(seg.split()) <= 5 and not _ROLE_WORD_RE.search(seg):
                outlet = seg
            break
        parts = [p for p in _AND_RE.split(seg) if p.strip()]
        ok = [p.strip() for p in parts if looks_like_name(p.strip(), min_words=1)]
        if len(ok) != len(parts):
            break
        names.extend(title_case_name(p) for p in ok)
    if not names:
        return None, None
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1], outlet


def extract_text_metadata(text: str, *, head_lines: int = 8) -> TextMetadata:
    """Find title, byline, dateline and outlet in plain article text.

    The title is the first line that is not site chrome, unless that line is already body text (a
    dateline paragraph, or too long for a headline). The byline comes from a ``By`` line, a
    ``Name | Outlet`` line or a name-shaped line right after the title, else from an author bio
    anywhere. The outlet comes from a ``Follow X on <platform>`` line, an author bio, a byline, or
    the dateline's parentheses, in that order of trust.
    """
    md = TextMetadata()
    lines = _lines(text)
    if not lines:
        return md

    # 1. site chrome before the title
    i = 0
    while i < len(lines) and i < 6 and _is_chrome(lines[i]):
        i += 1
    if i >= len(lines):
        i = 0
    skipped_chrome = i > 0

    # 2. an opening dateline, or a title
    first = lines[i]
    by_source: tuple[str, str] | None = None
    dateline_source: str | None = None
    m = _DATE_SOURCE_RE.match(first)
    body_start = i
    if m:
        pd = parse_date(m.group("date"))
        if pd:
            md.published_at, md.date_precision, md.date_method = pd.value, pd.precision, "dateline"
        dateline_source = m.group("src").strip()
    elif _WIRE_DATELINE_RE.match(first) or _is_body_line(first):
        pass  # the text opens with its body: no title line
    else:
        title = _MD_HEADING_RE.sub("", first).strip().strip("*_ ").strip()
        if title:
            md.title = title
            md.title_method = "after_chrome" if skipped_chrome else "first_line"
        body_start = i + 1

    # 3. byline lines right after the title (with a date after a separator: "Name | March 5, 2025")
    byline_date: ParsedDate | None = None
    for j in range(body_start, min(len(lines), body_start + 3)):
        line = lines[j]
        if _NOT_BYLINE_RE.match(line):
            continue
        who, when = _split_trailing_date(line)
        bm = _BY_RE.match(who)
        if bm:
            names, outlet = _split_names(bm.group("rest"))
            if names:
                md.byline, md.byline_method, byline_date = names, "by_line", when
                if outlet and not _looks_like_date(outlet):
                    by_source = (outlet, "byline_line")
                break
            # "By Courier Staff | Carver Bay Courier | 2024-03-04", "By Staff Writer | Outlet", "By Acme
            # Corp | Acme Corp | 2024-05-15": no person named, but the line still dates the article and
            # may name the outlet
            staff, sep, outlet = (p.strip() for p in bm.group("rest").partition("|"))
            sm = _STAFF_RE.match(staff)
            if sm or (_ROLE_WORD_RE.search(staff) and len(staff.split()) <= 3) or (sep and when is not None):
                byline_date = when
                if sm:
                    md.byline, md.byline_method = normalize_display(staff), "staff_line"
                if outlet and len(outlet.split()) <= 5 and not _looks_like_date(outlet):
                    by_source = (outlet, "byline_line")
                elif sm:
                    by_source = (sm.group("outlet"), "staff_line")
                break
        sm = _STAFF_RE.match(who)
        if sm:
            md.byline, md.byline_method, byline_date = normalize_display(who), "staff_line", when
            by_source = (sm.group("outlet"), "staff_line")
            break
        pm = _PIPE_RE.match(who)
        if pm and looks_like_name(pm.group("name")) and len(pm.group("outlet").split()) <= 5:
            md.byline, md.byline_method = title_case_name(normalize_display(pm.group("name"))), "byline_line"
            byline_date = when
            if not _looks_like_date(pm.group("outlet")):
                by_source = (pm.group("outlet").strip(), "byline_line")
            break
        if when is not None and looks_like_name(who):
            md.byline, md.byline_method, byline_date = title_case_name(normalize_display(who)), "byline_line", when
            break
        if j == body_start and md.title and looks_like_name(line):
            md.byline, md.byline_method = title_case_name(normalize_display(line)), "name_line"
            break
    if byline_date is not None and md.published_at is None:
        md.published_at, md.date_precision, md.date_method = byline_date.value, byline_date.precision, "byline_line"

    # 4. a dateline opening one of the first body lines
    if md.published_at is None and dateline_source is None:
        for line in lines[body_start : body_start + head_lines]:
            dm = _DATE_SOURCE_RE.match(line)
            if dm:
                pd = parse_date(dm.group("date"))
                if pd:
                    md.published_at, md.date_precision, md.date_method = pd.value, pd.precision, "dateline"
                dateline_source = dm.group("src").strip()
                break
            wm = _WIRE_DATELINE_RE.match(line)
            if wm:
                md.place = wm.group("place").strip()
                dateline_source = wm.group("wire").strip()
                if wm.group("date"):
                    pd = parse_date(wm.group("date"))
                    if pd:
                        md.published_at, md.date_precision, md.date_method = pd.value, pd.precision, "dateline"
                    else:
                        md.dateline_date = wm.group("date")
                break
    md.wire = dateline_source

    # 4b. a "Published July 3, 2024" line, or a line that is only a date, near the top
    if md.published_at is None:
        for line in lines[body_start : body_start + head_lines]:
            dm = _DATE_LINE_RE.match(line)
            cand = _BY_SUFFIX_RE.sub("", dm.group("d")) if dm else line
            pd = parse_date(cand.strip(" .|"))
            if pd:
                md.published_at, md.date_precision = pd.value, pd.precision
                md.date_method = "date_line"
                break

    # 5. "Follow X on <platform>" and author bios, anywhere
    follow_source = None
    bio: tuple[str, str] | None = None
    for line in lines:
        if follow_source is None and "ollow" in line:
            fm = _FOLLOW_RE.search(line)
            if fm:
                outlet = fm.group("outlet").strip(" .,:;-–—")
                if outlet and outlet.split()[0].lower() not in _PRONOUNS and len(outlet.split()) <= 5:
                    follow_source = outlet
        if (bio is None and line[:1].isupper() and (" is " in line or " was " in line or " has been " in line
                                                    or " serves " in line) and _BIO_HINT_RE.search(line, 0, 160)):
            nm = _BIO_RE.match(normalize_display(line))
            if nm and looks_like_name(nm.group("name")):
                outlet = re.sub(r"\s+(?:of|and|&|the|for|on)$", "", nm.group("outlet")).strip()
                bio = (nm.group("name").strip(), outlet)
        if follow_source is not None and bio is not None:
            break
    if bio and md.byline is None:
        md.byline, md.byline_method = bio[0], "author_bio"
    copyright_source = None
    for line in reversed(lines[-15:]):
        cm = _COPYRIGHT_RE.search(line) if ("©" in line or "opyright" in line or "(c)" in line.lower()) else None
        if cm:
            outlet = (cm.group("o1") or cm.group("o2") or "").strip(" .,")
            if outlet and not outlet.lower().startswith("all"):
                copyright_source = outlet
                break

    for cand, method in (
        (follow_source, "follow_line"),
        (bio[1] if bio else None, "author_bio"),
        (by_source[0] if by_source else None, by_source[1] if by_source else ""),
        (copyright_source, "copyright"),
        (dateline_source, "dateline"),
    ):
        if cand:
            md.source, md.source_method = cand, method
            break
    return md


def _split_trailing_date(line: str) -> tuple[str, ParsedDate | None]:
    """"Name | March 5, 2025" -> ("Name", the date); a line without a trailing date comes back whole."""
    m = _TRAILING_DATE_RE.match(line)
    if m:
        pd = parse_date(m.group("when").strip(" ."))
        if pd:
            return m.group("who").strip(), pd
    return line, None


def _looks_like_date(s: str) -> bool:
    return bool(re.search(r"\d{4}|\d{1,2}:\d{2}", s)) or parse_date(s) is not None
