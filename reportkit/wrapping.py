"""Find the line breaks of a hard-wrapped text that fall inside a sentence. Text → spans to read through.

Text copied from a PDF or a narrow web page arrives as .txt, .md or .html with a line break every
~40 characters: inside sentences, inside a figure's clause (交易额3.8 / 亿元，同比增 / 长12%), with
page furniture (— 3 —, a header repeated on every page) between the halves of a sentence. Whether a
text is laid out so is read from the text itself, never from its format: most of its prose lines
end near one common width, and most of those end without a sentence stop and run on into a line
that opens no heading, item or table row. A text of one paragraph per line ends its long lines
with 。 and its line widths spread widely, so nothing here fires on it.

In a hard-wrapped text a break is read through when the line before it is full (near the common
width: a paragraph's short last line ends it), does not end a sentence, and the line after it
(past any page furniture) is neither indented past the text's margin nor opens a heading, item or
table row, and the two lines are not both fields of an 指标：数值 block. The text is
never rewritten: the index's view drops these spans and maps every offset back (reportkit.index).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from . import lexicon, segmenting
from .document import Document, Span

if TYPE_CHECKING:
    from .schema import Report

__all__ = ["Layout", "View", "forget_layouts", "hard_wraps", "layout", "through_breaks", "view_of"]

_ITEM_START = re.compile(lexicon.WRAP_ITEM_START)
_PAGE_NUMBER = re.compile(lexicon.WRAP_PAGE_NUMBER)
_TABLE_ROW = re.compile(lexicon.WRAP_TABLE_ROW)
_FIELD_LINE = re.compile(lexicon.WRAP_FIELD_LINE)
_BREAK = re.compile("\r\n|[" + lexicon.char_class(lexicon.LINE_BREAKS) + "]")
_SPACES = lexicon.SPACES
_STOPS = lexicon.SENTENCE_ENDS + lexicon.COMMAS + lexicon.SEMICOLONS + lexicon.COLONS

_MIN_PROSE = 8.0  # narrower lines (a page number, a signature, a date) say nothing of the layout
_FULL_SHARE = 0.8  # a line this close to the common width was wrapped there, not ended
_OVER_SHARE = 1.2  # ...and a hard wrap leaves no line much wider than it
_MIN_WRAPS = 4  # fewer run-on lines than this is chance, not a layout
_RUN_ON_SHARE = 0.5  # of the lines at the common width, at least this many run on
_WRAPPED_SHARE = 0.25  # ...and of all prose lines, at least this many
_MAX_WIDTH = 120.0  # a wider common width is one paragraph per line
_HEADER_REPEATS = 2  # a short line written this often, on its own, is a page header
_HEADER_WIDTH = 24.0


@dataclass(frozen=True)
class Layout:
    """A hard-wrapped layout: its common line width, the spans (line break, spaces, furniture) read
    through, and the page furniture dropped between two lines that stay apart."""

    width: float
    wraps: tuple[Span, ...]
    page_breaks: tuple[Span, ...] = ()


@dataclass(frozen=True)
class _Line:
    start: int  # first non-space character
    end: int  # after the last non-space character
    width: float
    chars: int
    lead: float  # the width of the spaces before it


def _width(s: str) -> float:
    """Width in ideographs: ASCII letters and digits take about half a CJK character."""
    return sum(0.55 if ch.isascii() else 1.0 for ch in s)


def _lines(text: str) -> list[_Line | None]:
    """Every line of the text, None for a blank one."""
    out: list[_Line | None] = []
    pos = 0
    for a, b in [m.span() for m in _BREAK.finditer(text)] + [(len(text), len(text))]:
        raw = text[pos:a]
        stripped = raw.strip(_SPACES)
        if not stripped:
            out.append(None)
        else:
            lead = len(raw) - len(raw.lstrip(_SPACES))
            s = pos + lead
            out.append(_Line(s, s + len(stripped), _width(stripped), len(stripped), _width(raw[:lead])))
        pos = b
    return out


def _opens_own(text: str, line: _Line, margin: float) -> bool:
    """A line that starts something of its own: indented past the text's margin (a new paragraph), a heading, an item or a table row."""
    start, end = segmenting.unwrap_heading(text, line.start, line.end)  # **二、…** / ### 一、… is a heading too
    body = text[start:end]
    return line.lead > margin + 0.5 or bool(_ITEM_START.match(body)) or bool(_TABLE_ROW.search(body))


def _furniture(text: str, lines: list[_Line | None]) -> set[int]:
    """Indexes of page-number lines and of page headers: a short line repeated on its own line, or
    the short line that opens a page (right after its number), with no stop and no item marker."""
    counts = Counter(text[ln.start : ln.end] for ln in lines if ln is not None and ln.width <= _HEADER_WIDTH)
    out: set[int] = set()
    after_number = False
    for i, ln in enumerate(lines):
        if ln is None:
            continue
        body = text[ln.start : ln.end]
        if _PAGE_NUMBER.fullmatch(body):
            out.add(i)
            after_number = True
            continue
        header = ln.width <= _HEADER_WIDTH and not any(ch in body for ch in _STOPS) and not _ITEM_START.match(body)
        if header and (counts[body] >= _HEADER_REPEATS or after_number):
            out.add(i)
        after_number = False
    return out


def _common_width(lines: list[_Line | None], furniture: set[int], measure=lambda ln: ln.width) -> float:
    """The width most prose lines reach: the upper quartile of the prose lines' widths (or of another ``measure``)."""
    widths = sorted(measure(ln) for i, ln in enumerate(lines) if ln is not None and i not in furniture and ln.width >= _MIN_PROSE)
    return widths[(3 * (len(widths) - 1)) // 4] if widths else 0.0


@functools.lru_cache(maxsize=16)
def layout(text: str) -> Layout | None:
    """The hard-wrapped layout of ``text``, or None when its lines are paragraphs (most texts)."""
    if text.count("\n") < _MIN_WRAPS:
        return None
    lines = _lines(text)
    furniture = _furniture(text, lines)
    width = _common_width(lines, furniture)
    if not _MIN_PROSE <= width <= _MAX_WIDTH:
        return None
    # A page wraps at a width, a narrow web page or an editor at a number of characters: a line is
    # full when either is near the text's common one.
    chars = _common_width(lines, furniture, lambda ln: ln.chars)
    body = [ln for i, ln in enumerate(lines) if ln is not None and i not in furniture and ln.width >= _MIN_PROSE]
    prose = len(body)
    margin = Counter(ln.lead for ln in body).most_common(1)[0][0] if body else 0.0  # a text may indent every line
    wraps: list[Span] = []
    full = 0
    for i, ln in enumerate(lines):
        if ln is None or i in furniture or not (
            _FULL_SHARE * width <= ln.width <= _OVER_SHARE * width or _FULL_SHARE * chars <= ln.chars <= _OVER_SHARE * chars
        ):
            continue
        full += 1
        if text[ln.end - 1] in lexicon.WRAP_LINE_ENDS:
            continue
        j, crossed = _past_furniture(lines, furniture, i)
        if j >= len(lines) or (j > i + 1 and not crossed):
            continue  # a blank line alone ends a paragraph
        nxt = lines[j]
        assert nxt is not None
        if text[ln.end - 1] in lexicon.WRAP_ASCII_STOPS and not (text[ln.end - 2 : ln.end - 1].isdigit() and text[nxt.start].isdigit()):
            continue  # a half-width full stop, not a decimal point split from its digits
        if _opens_own(text, nxt, margin):
            continue
        if _FIELD_LINE.match(text, ln.start) and _FIELD_LINE.match(text, nxt.start):
            continue  # 地区生产总值：38.6亿元 / 一般公共预算收入：…: two fields of a block, each its own line
        wraps.append((ln.end, nxt.start))
    if len(wraps) < _MIN_WRAPS or len(wraps) < _RUN_ON_SHARE * full or len(wraps) < _WRAPPED_SHARE * prose:
        return None
    return Layout(width, tuple(wraps), _page_breaks(text, lines, furniture, {s for s, _ in wraps}))


def _past_furniture(lines: list[_Line | None], furniture: set[int], i: int) -> tuple[int, bool]:
    """The next line of prose after line ``i``, past page furniture and blank lines, and whether furniture was crossed."""
    j, crossed = i + 1, False
    while j < len(lines) and (lines[j] is None or j in furniture):
        crossed = crossed or j in furniture
        j += 1
    return j, crossed


def _page_breaks(text: str, lines: list[_Line | None], furniture: set[int], wrapped: set[int]) -> tuple[Span, ...]:
    """A page's number and header between two lines that are no wrap (a paragraph or a table row
    continued on the next page): dropped up to the last line break before the next line, which stays."""
    out: list[Span] = []
    for i, ln in enumerate(lines):
        if ln is None or i in furniture or ln.end in wrapped:
            continue
        j, crossed = _past_furniture(lines, furniture, i)
        if not crossed or j >= len(lines) or not any(
            _PAGE_NUMBER.fullmatch(text[lines[k].start : lines[k].end]) for k in range(i + 1, j) if lines[k] is not None
        ):
            continue
        nxt = lines[j]
        assert nxt is not None
        last_break = max(text.rfind(b, ln.end, nxt.start) for b in lexicon.LINE_BREAKS)
        if text[last_break - 1 : last_break + 1] == "\r\n":
            last_break -= 1
        out.append((ln.end, last_break))
    return tuple(out)


def hard_wraps(text: str) -> tuple[Span, ...]:
    """The spans the index's view drops in ``text``, in order: a wrap's line break with its spaces and
    any page furniture, and a page's furniture between two lines; () when the text is not hard-wrapped."""
    found = layout(text)
    return tuple(sorted(found.wraps + found.page_breaks)) if found else ()


@functools.lru_cache(maxsize=16)
def through_breaks(text: str) -> frozenset[int]:
    """Offsets of the line-break characters of ``text`` that a hard wrap reads through (none in most texts):
    a splitter that ends a sentence at a line break skips these."""
    breaks = lexicon.LINE_BREAKS
    found = layout(text)
    return frozenset(p for s, e in (found.wraps if found else ()) for p in range(s, e) if text[p] in breaks)


def forget_layouts() -> None:
    """Forget the layouts kept per text (for measuring a cold start; results never depend on them)."""
    layout.cache_clear()
    through_breaks.cache_clear()


@dataclass(frozen=True)
class View:
    """A hard-wrapped Document read through: the index's view as a Document of its own, and the way back.

    The rules engine reads ``doc`` (sentences, clauses, figures, items, as the index and the check
    read them) and ``in_text`` maps what it found back onto the source, so every span still indexes
    ``Document.text`` and a quote holds the line break the source has.
    """

    doc: Document
    at: Sequence[int]  # view offset → text offset
    source: Document

    def span(self, start: int, end: int) -> Span:
        """A view span as a span of the source text."""
        n = len(self.source.text)
        if end <= start:
            pos = self.at[start] if start < len(self.at) else n
            return pos, pos
        return self.at[start], self.at[end - 1] + 1

    def in_text(self, report: "Report") -> "Report":
        """``report`` of the view with every item and metric span and quote in the source text."""
        text = self.source.text

        def moved(entry):
            if entry.span is None:
                return entry
            s, e = self.span(*entry.span)
            return entry.model_copy(update={"span": (s, e), "quote": text[s:e]})

        return report.model_copy(update={
            "review": [moved(i) for i in report.review],
            "problems": [moved(i) for i in report.problems],
            "plans": [moved(i) for i in report.plans],
            "metrics": [moved(m) for m in report.metrics],
        })


def view_of(doc: Document, view: str, at: Sequence[int] | None) -> View | None:
    """The read-through View of a hard-wrapped ``doc`` from the index's ``view`` and ``view_at``, None for any other text."""
    if at is None or not hard_wraps(doc.text):
        return None
    to_view = lambda p: bisect_left(at, p)  # noqa: E731
    boilerplate = tuple((to_view(s), to_view(e)) for s, e in doc.boilerplate if to_view(e) > to_view(s))
    return View(replace(doc, text=view, boilerplate=boilerplate), at, doc)
