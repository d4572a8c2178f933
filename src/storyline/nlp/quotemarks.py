"""Quotation marks: the quoted passages of a text, found by a character scanner.

:func:`find_quoted_spans` scans each paragraph for paired marks: straight and curly double quotes,
guillemets (« » and ‹ ›), low-high German quotes, corner brackets and single quotes (an apostrophe
inside a word never opens or closes one). Single quotes inside a double-quoted passage are nested
quotes and do not split it. A paragraph that opens a quote and does not close it continues into the
next paragraph when that one opens with a quotation mark (the newspaper convention for a quote
running over several paragraphs). Marks of mixed styles pair by their shape: a curly opener closes at
a straight mark typed as a closer ('“A," she said. "B.”') or at a second curly opener followed by a
space; a straight-quoted title inside a curly quote stays inside it.

No parse is needed: the scanner works on the text alone (the reuse stage uses it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN_CLOSE = {"“": "”", "„": "“”", "«": "»", "‹": "›", "「": "」", "『": "』", "‘": "’", "‚": "‘’"}


_DOUBLE_OPEN = {"“", "„", "«", "「", "『"}


_SINGLE_OPEN = {"‘", "‚", "‹"}


_PARA_RE = re.compile(r"\n\s*\n|\n")


_WORD_RE = re.compile(r"\w", re.UNICODE)


@dataclass(slots=True)
class QuotedSpan:
    """A passage between quotation marks: ``start``/``end`` exclude the marks."""

    start: int
    end: int
    open_at: int
    close_at: int  # offset of the closing mark (== end) or the paragraph end when left open
    double: bool
    paragraphs: int = 1


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        if m.start() > pos:
            bounds.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        bounds.append((pos, len(text)))
    return bounds


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[QuotedSpan], int | None, bool]:
    """Pairs of marks in one paragraph; returns (spans, offset of an unclosed double opener, double)."""
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    open_ch = ""
    inner_open: int | None = None  # a single quote nested in a double-quoted passage
    inner_straight: int | None = None  # a straight double quote nested in a curly one
    last_curly_close = text.rfind("”", start, end)  # a curly closer follows offset i iff i <= this
    i = start
    while i < end:
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if open_at is None:
            if ch in _DOUBLE_OPEN or (ch == '"' and not _is_word(prev) and nxt != " "):
                open_at, open_ch = i, ch
            elif ch == "”" and not _is_word(prev) and _is_word(nxt):  # some sites use ” for both
                open_at, open_ch = i, ch
            elif ch in _SINGLE_OPEN or (ch in "'’" and not _is_word(prev) and _is_word(nxt)):
                open_at, open_ch = i, ch
        else:
            double = open_ch in _DOUBLE_OPEN or open_ch in '"”'
            closes: str
            if open_ch == '"':
                closes = '"”'
            elif open_ch == "”":
                closes = "”"
            elif open_ch in _OPEN_CLOSE:
                closes = _OPEN_CLOSE[open_ch]
                if open_ch == "“" and (i > last_curly_close or (
                        inner_straight is None and not prev.isspace() and (nxt.isspace() or nxt in ",.;:?!)"))):
                    # '“The plan is dead," she said': a sloppy straight close, also when the next
                    # passage closes with a curly mark ('“A," she said. "B.”')
                    closes += '"'
                if open_ch == "“" and not prev.isspace() and (nxt.isspace() or nxt in ",.;:?!)"):
                    # '“Apparently not,“ he said', 'called it “abhorrent“ in a tweet': an opener
                    # typed for the closer
                    closes += "“"
            else:  # straight or right single quote used as opener
                closes = "'’"
            if open_ch == "“" and ch == '"':
                if inner_straight is None and prev.isspace() and _is_word(nxt) and i <= last_curly_close:
                    inner_straight = i  # a straight-quoted title or word inside the passage
                    i += 1
                    continue
                if inner_straight is not None:
                    inner_straight = None
                    i += 1
                    continue
            if double and ch in "‘'" and inner_open is None and not _is_word(prev):
                inner_open = i
            elif double and ch in "’'" and inner_open is not None and not _is_word(nxt):
                inner_open = None
            elif ch in closes and (double or not _is_word(nxt)) and i > open_at + 1:
                if double or not _is_word(prev) or not _is_word(nxt):
                    spans.append(QuotedSpan(open_at + 1, i, open_at, i, double))
                    open_at, inner_open, inner_straight = None, None, None
            elif double and ch in _DOUBLE_OPEN and ch != "„" and open_ch in _DOUBLE_OPEN:
                open_at, open_ch = i, ch  # an opener inside an open quote: the first one was stray
        i += 1
    if open_at is not None:
        double = open_ch in _DOUBLE_OPEN or open_ch in '"”'
        return spans, open_at, double
    return spans, None, False


_TWO_APOSTROPHES = re.compile(r"(?<!')'''?(?!')")


def _double_apostrophes(text: str) -> str:
    """``text`` with each pair of apostrophes used as a double quotation mark (''Like this,'' some
    archives write) turned into one curly mark and a space: same length, same offsets. A pair that a
    space or a punctuation mark follows closes (''I hate the term 'Manhattan poor,' '' she said); of
    three apostrophes the pair is the outer mark: the last two close ('old-school,'''), the first two
    open ('''Tis)."""
    if "''" not in text:
        return text
    chars = list(text)
    for m in _TWO_APOSTROPHES.finditer(text):
        i = m.start()
        after = text[m.end()] if m.end() < len(text) else " "
        opening = (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,;:!?…—-")) \
            and not (after.isspace() or after in ".,;:!?")
        at = i + 1 if m.end() - i == 3 and not opening else i
        chars[at], chars[at + 1] = ("“", " ") if opening else ("”", " ")
    return "".join(chars)


#: A markup tag left in a text (``<a href="...">``, ``<tweet author="...">``): its attribute values are
#: not quotations.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s+[\w:-]+\s*=\s*(?:\"[^\"<>\n]*\"|'[^'<>\n]*'|[^\s\"'<>]+))*\s*/?>")


def _without_markup_quotes(text: str) -> str:
    """``text`` with the quotation marks inside markup tags made spaces: same length, same offsets."""
    if "<" not in text:
        return text
    chars = list(text)
    for m in _MARKUP_TAG.finditer(text):
        for i in range(m.start(), m.end()):
            if chars[i] in "\"'":
                chars[i] = " "
    return "".join(chars)


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Every passage between quotation marks, multi-paragraph quotes joined (see module docstring)."""
    original = text
    text = _double_apostrophes(_without_markup_quotes(text))
    paras = paragraph_bounds(text)
    out: list[QuotedSpan] = []
    carry: QuotedSpan | None = None  # a quote left open at the end of the previous paragraph
    for (ps, pe) in paras:
        spans, open_at, double = _scan_paragraph(text, ps, pe)
        first_ch = text[ps] if ps < pe else ""
        if carry is not None:
            if spans and spans[0].open_at == ps:
                first = spans.pop(0)  # the continuation closes in this paragraph
                out.append(QuotedSpan(carry.start, first.end, carry.open_at, first.close_at, True,
                                      carry.paragraphs + 1))
                carry = None
            elif open_at == ps and not spans:
                carry = QuotedSpan(carry.start, pe, carry.open_at, pe, True, carry.paragraphs + 1)
                continue
            else:
                out.append(carry)  # the quote ran to the end of its paragraph; close it there
                carry = None
        out.extend(spans)
        if open_at is not None and double:
            rest = text[open_at + 1:pe].rstrip()
            if len(rest.split()) >= 3:
                carry = QuotedSpan(open_at + 1, open_at + 1 + len(rest), open_at, pe, True)
        del first_ch
    if carry is not None:
        out.append(carry)
    cleaned = []
    for q in out:
        s, e = q.start, q.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        # a single-quoted run of one letter is an elision ("rock 'n' roll"), not a quote
        if e > s and _WORD_RE.search(text[s:e]) and (q.double or len(_WORD_RE.findall(text[s:e])) >= 2):
            q.start, q.end = s, e
            if original[q.close_at:q.close_at + 2] == "''":
                q.close_at += 1  # what follows the closing mark starts after both apostrophes
            cleaned.append(q)
    return cleaned


def overlap_chars(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))
