"""Headings, items and labelled sections of a report. Text + boilerplate ranges → Outline.

The genre numbers its structure (一、 / (一) / 1、 / 一是), but real pages break the conventions:
headings run inline inside one long paragraph, list numbers are glued to the text (``52022年`` is
item 5 followed by 2022年), a number in a sequence goes missing, and some reports use unnumbered
heading lines instead. Everything here works on offsets into the unchanged text.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import heapq
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import lexicon as lx
from .document import Span
from .numbers import find_quantities, parse_number

# Heading ranks: a heading closes every open heading of the same or a lower rank.
# The order is the genre's outline (第一部分 > 一、 > (一) > 1. > (1) > 一是); a document that skips
# the upper levels (1. 主要工作 / (1)…) keeps the order of the ones it uses.
RANK_TITLE = 0  # unnumbered heading line: 2023年工作回顾
RANK_PART = 0  # 第一部分 / 第二章: a top part, like an unnumbered heading line
RANK_CN = 1  # 一、
RANK_LEAD = 1  # parallel one-sentence heading lines: 过去一年,我街聚焦…。
RANK_CN_PAREN = 2  # (一)
RANK_ARABIC = 3  # 1、 / 1. / glued 2利弄
RANK_ARABIC_PAREN = 4  # (1) / 1) / ①: items under a 1. heading, nested 4, 5, 6 in the order the document uses them (_item_levels)
RANK_SHI = 7  # 一是 / 一要

_SPACE = lx.SPACES
_CLAUSE_PUNCT = lx.SENTENCE_ENDS + lx.SEMICOLONS + lx.COLONS + lx.COMMAS
# A marker that does not start a line must follow a space or a sentence/clause break.
_INLINE_BEFORE = frozenset(_SPACE + _CLAUSE_PUNCT)
_CN = lx.CN_HEADING_NUMERALS
_DIGIT = "0-9" + lx.FULLWIDTH_DIGITS
_PO, _PC = lx.PAREN_OPEN_CLASS, lx.PAREN_CLOSE_CLASS
_CIRCLED = lx.CIRCLED_ITEM_NUMBERS

_PART_SEP = lx.char_class(lx.PART_TITLE_SEPARATORS)
_PART_GAP = re.compile(f"[{_PART_SEP}]$")
_HAS_SENTENCE_END = re.compile(f"[{lx.char_class(lx.SENTENCE_ENDS)}]")
_MARKERS = [
    # 第一部分　2025年工作回顾 (line start only: 第三章节 inside a sentence is no part)
    ("part", RANK_PART, re.compile(f"第([{_CN}{_DIGIT}]{{1,3}})(?:{'|'.join(lx.PART_MARKER_WORDS)})[{_PART_SEP}]*")),
    ("cn", RANK_CN, re.compile(f"([{_CN}]{{1,3}})\u3001")),
    # 一, / 一. / 一， written for 一、 in ASCII punctuation: only at a line start (统一,推进 is no heading)
    ("cn", RANK_CN, re.compile(f"([{_CN}]{{1,3}})[{lx.char_class(lx.CN_MARKER_ASCII_ENDS)}]")),
    ("cn_paren", RANK_CN_PAREN, re.compile(f"[{_PO}]([{_CN}]{{1,3}})[{_PC}]")),
    # 1.主要工作 and 1.2025年工作回顾 (a year after the number), not the decimal 1.5万人
    ("arabic", RANK_ARABIC, re.compile(
        f"([{_DIGIT}]{{1,2}})[{lx.ARABIC_MARKER_END_CLASS}](?!(?![12][{_DIGIT}]{{3}}年)[{_DIGIT}])"
    )),
    ("arabic_paren", RANK_ARABIC_PAREN, re.compile(f"[{_PO}]([{_DIGIT}]{{1,2}})[{_PC}]")),
    # 1）… / 2)…: a close paren alone (line start only)
    ("arabic_close", RANK_ARABIC_PAREN, re.compile(f"(?<![{_PO}{_DIGIT}])([{_DIGIT}]{{1,2}})[{_PC}]")),
    ("circled", RANK_ARABIC_PAREN, re.compile(f"([{lx.char_class(_CIRCLED)}])")),
    ("shi", RANK_SHI, re.compile(f"([{_CN}]{{1,2}})[{lx.ITEM_MARKER_VERBS}](?!否)")),
]
_LEADING_DIGITS = re.compile(f"[{_DIGIT}]+")
_SENTENCE_END = lx.SENTENCE_ENDS
_WRAP_CLOSE = "|".join(re.escape(close) for _, close in lx.HEADING_WRAPS)
_TITLE_END = re.compile(
    f"[{lx.char_class(lx.SENTENCE_ENDS + lx.SEMICOLONS)}\n]|{_WRAP_CLOSE}"
    f"|[{lx.COLON_CLASS}](?=[{lx.SPACE_CLASS}]*[{_CN}][{lx.ITEM_MARKER_VERBS}])"
    f"|[ \t\u3000]+(?=\\S)"
)
_ITEM_BREAK = frozenset(lx.SENTENCE_ENDS + lx.SEMICOLONS + lx.COLONS)
_LINE_END_PUNCT = lx.SENTENCE_ENDS + lx.SEMICOLONS + lx.COMMAS + lx.COLONS + lx.ENUMERATION_COMMA


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


REVIEW_WORDS = _words(lx.REVIEW_HEADING_WORDS)
PROBLEM_WORDS = _words(lx.PROBLEM_HEADING_WORDS)
PLAN_WORDS = _words(lx.PLAN_HEADING_WORDS)
_OUTCOME_WORDS = _words(lx.REVIEW_OUTCOME_WORDS)
_OTHER_WORDS = _words(lx.OTHER_HEADING_WORDS)
_TITLE_REVIEW = _words(lx.TITLE_REVIEW_WORDS)
_TITLE_PLAN = _words(lx.TITLE_PLAN_WORDS)
_TITLE_REPORT = _words(lx.TITLE_REPORT_WORDS)
_TITLE_ANY = _words(lx.TITLE_WORDS)
# In-line start of a problems passage: 在肯定成绩的同时,…面临许多困难和挑战:一是…
_PROBLEM_INTRO = re.compile(
    f"({_words(lx.PROBLEM_INTRO_WORDS).pattern})[^{lx.FULL_STOP}]{{0,120}}?"
    f"({_words(lx.PROBLEM_NOUNS).pattern})[^{lx.FULL_STOP}]{{0,60}}?"
    f"(?:[{lx.COLON_CLASS}]|{lx.FULL_STOP}(?=[{lx.SPACE_CLASS}]*[{_CN}][{lx.ITEM_MARKER_VERBS}]))"
)
_TARGETS_INTRO = re.compile(f"({_words(lx.TARGETS_INTRO_WORDS).pattern})(是|为)?[{lx.COLON_CLASS}]")


@dataclass(frozen=True)
class Heading:
    """A heading or list item marker with its title.

    ``start``/``end`` span marker and title; ``title_start``/``title_end`` the title alone;
    ``marker_end`` where the marker (一、 / 1、 / glued 5) stops.
    """

    start: int
    end: int
    rank: int
    style: str
    number: int | None
    marker_end: int
    title_start: int
    title_end: int


@dataclass(frozen=True)
class Node:
    """A heading and the text it governs (up to the next heading of the same or higher rank)."""

    heading: Heading
    end: int
    children: tuple["Node", ...] = ()

    @property
    def start(self) -> int:
        return self.heading.start


@dataclass(frozen=True)
class Section:
    """A run of text with one role: review, problems, plans or other.

    ``items`` are the nodes that each stand for one achievement, problem or plan; ``lead`` is the
    heading that labelled the section, if any.
    """

    kind: str
    start: int
    end: int
    items: tuple[Node, ...] = ()
    lead: Heading | None = None
    extra_items: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Outline:
    """The segmentation of one document."""

    title: Span | None
    nodes: tuple[Node, ...]
    sections: tuple[Section, ...]
    markers: tuple[Span, ...] = field(default=())

    @functools.cached_property
    def _section_starts(self) -> list[int] | None:
        """Section starts for a binary search, or None when sections overlap (then scan in order)."""
        starts = [sec.start for sec in self.sections]
        disjoint = all(a.end <= b.start for a, b in zip(self.sections, self.sections[1:]))
        return starts if disjoint and starts == sorted(starts) else None

    def section_of(self, pos: int) -> Section | None:
        """The first section holding offset ``pos``, or None: a binary search when sections are
        disjoint (always, from ``segment``), so asking for every figure stays n·log n."""
        starts = self._section_starts
        if starts is not None:
            at = bisect.bisect_right(starts, pos) - 1
            return self.sections[at] if at >= 0 and pos < self.sections[at].end else None
        return next((sec for sec in self.sections if sec.start <= pos < sec.end), None)

    def section_at(self, pos: int) -> str:
        """The section kind at offset ``pos`` (``other`` outside every section)."""
        sec = self.section_of(pos)
        return sec.kind if sec is not None else "other"

    def kinds_present(self) -> dict[str, bool]:
        """Which of review / problems / plans the document has."""
        present = {s.kind for s in self.sections}
        return {k: k in present for k in ("review", "problems", "plans")}


@dataclass(frozen=True)
class _Line:
    start: int  # first non-space character
    end: int  # end of line content (no newline, trailing spaces and table pipes trimmed)


def _content_lines(text: str, boilerplate: tuple[Span, ...]) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    ranges = sorted(boilerplate)
    k = 0  # boilerplate ranges are sorted and lines come in order: one walk over both
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while start < end and text[start] in _SPACE:
            start += 1
        while end > start and text[end - 1] in _SPACE + "|\r":
            end -= 1
        start, end = unwrap_heading(text, start, end)
        if end <= start:
            continue
        while k < len(ranges) and ranges[k][1] < end:
            k += 1
        if k < len(ranges) and ranges[k][0] <= start and end <= ranges[k][1]:
            continue
        lines.append(_Line(start, end))
    return lines


_LINE_START_ONLY = frozenset({"part", "arabic_close"})
_WRAP_STARTS = frozenset(lx.MARKDOWN_HEADING_MARK + "".join(o[0] for o, _ in lx.HEADING_WRAPS))


def unwrap_heading(text: str, start: int, end: int) -> tuple[int, int]:
    """A line without the wrap a pasted heading keeps (### 一、…, **二、…**, 【一、…】).

    Bold markdown may close inside the line (**一、聚焦园区扩容**正文…); brackets wrap a heading only
    when they hold the whole line (【青松镇】召开… is a label, not a heading).
    """
    if start >= end or text[start] not in _WRAP_STARTS:
        return start, end
    mark = lx.MARKDOWN_HEADING_MARK
    if text.startswith(mark, start):
        at = start
        while at < end and text[at] == mark:
            at += 1
        if at - start <= 6:
            start = at
    for open_, close in lx.HEADING_WRAPS:
        if not text.startswith(open_, start):
            continue
        inner = start + len(open_)
        closes_at_end = end - len(close) > inner and text.startswith(close, end - len(close))
        if closes_at_end and text.find(open_, inner, end - len(close)) < 0 and text.find(close, inner, end - len(close)) < 0:
            start, end = inner, end - len(close)
        elif open_ == close and text.find(close, inner, end) > inner:
            start = inner  # **一、…**正文: the bold closes inside the line
        break
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _title_span(text: str, after: int, limit: int) -> tuple[int, int]:
    """The heading title after a marker: up to the first sentence end or inline gap."""
    m = _TITLE_END.search(text, after, limit)
    end = m.start() if m else limit
    while end > after and text[end - 1] in _SPACE + lx.COMMAS:
        end -= 1
    return after, end


def _marker_matches(text: str, lines: list[_Line]) -> Iterator[tuple[str, int, int, _Line, re.Match[str]]]:
    """(style, rank, line number, line, match) of every marker pattern inside a content line.

    Each pattern runs once over the whole text (a C-level pass), not once per line: no pattern
    crosses a line break or the trimmed spaces and pipes at a line's end, so the matches inside
    each line are the ones a search of that line alone finds.
    """
    starts = [line.start for line in lines]
    first, last = (lines[0].start, lines[-1].end) if lines else (0, 0)
    for style, rank, pattern in _MARKERS:
        for m in pattern.finditer(text, first, last):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and m.end() <= lines[i].end:
                yield style, rank, i, lines[i], m


def _find_markers(text: str, lines: list[_Line]) -> list[Heading]:
    found: list[Heading] = []
    for style, rank, i, line, m in _marker_matches(text, lines):
        at_line_start = m.start() == line.start
        number = _marker_number(m.group(1))
        if not at_line_start and text[m.start() - 1] not in _INLINE_BEFORE:
            if not (style == "shi" and text[m.start() - 1] in lx.ITEM_LIST_LEAD_VERBS and number == 1):
                continue  # …该镇将一是紧盯…；二是…: a list opened right after its will-verb
        if style == "cn" and not at_line_start and not m.group(0).endswith("\u3001"):
            continue
        if style in ("arabic_paren", "circled") and not at_line_start and text[m.start() - 1] not in _ITEM_BREAK:
            continue  # inline (1) and ① only open an item after a sentence break: …不足;(2)…
        if style == "arabic" and not at_line_start and text[m.start() - 1] not in _SPACE:
            continue
        if style in _LINE_START_ONLY and not at_line_start:
            continue
        if style == "part" and not _PART_GAP.search(m.group(0)) and _HAS_SENTENCE_END.search(text, m.end(), line.end):
            continue  # 第二部分内容见附件。 is a sentence; a part heading is set off or stands alone
        after = m.end()
        while at_line_start and after < line.end and text[after] in _SPACE:
            after += 1  # 1. 主要工作 / 一、　主要工作: the title follows a gap
        if at_line_start and after < line.end and text[after] in _WRAP_STARTS:
            after += len(next((o for o, _ in lx.HEADING_WRAPS if text.startswith(o, after)), ""))  # 1. **主要工作**
        t0, t1 = _title_span(text, after, line.end)
        if t1 <= t0 and m.end() == line.end and i + 1 < len(lines) and not at_line_start:
            # a line wrapped right after the marker (PDF text: …;二是\n农业产业链条偏短)
            t0, t1 = _title_span(text, lines[i + 1].start, lines[i + 1].end)
        if t1 <= t0:
            continue
        found.append(Heading(m.start(), t1, rank, style, number, m.end(), t0, t1))
    # 一, / 一. written for 一、 head parts only as a numbering: a line opening 一,… with no 二, or
    # 三. beside it is prose (一,二季度…), not a heading
    ascii_cn = {h.number for h in found if h.style == "cn" and text[h.marker_end - 1] in lx.CN_MARKER_ASCII_ENDS}
    found = [
        h for h in found
        if not (h.style == "cn" and text[h.marker_end - 1] in lx.CN_MARKER_ASCII_ENDS)
        or h.number is not None and (h.number - 1 in ascii_cn or h.number + 1 in ascii_cn)
    ]
    found.sort(key=lambda h: (h.start, h.rank))
    deduped: list[Heading] = []
    for h in found:  # "(一)" also matches nothing else, but "一、" inside "(一、" must not double up
        if deduped and deduped[-1].start == h.start:
            continue
        deduped.append(h)
    return deduped


_ITEM_STYLES = ("arabic_paren", "arabic_close", "circled")


def _item_levels(markers: list[Heading]) -> list[Heading]:
    """(1) / 1) / ① nest in the order the document first uses them: (1)… with 1)… under it, or 1)…
    with ① under it. The genre fixes no order among the three, so the document's own outline does."""
    order: list[str] = []
    for h in sorted(markers, key=lambda h: h.start):
        if h.style in _ITEM_STYLES and h.style not in order:
            order.append(h.style)
    if len(order) < 2:
        return markers
    level = {style: RANK_ARABIC_PAREN + k for k, style in enumerate(order)}
    return [dataclasses.replace(h, rank=level[h.style]) if h.style in level else h for h in markers]


@functools.lru_cache(maxsize=512)
def _marker_number(raw: str) -> int | None:
    """The item number a marker writes: 3, 三, ③ or ⑶."""
    if len(raw) == 1 and raw in _CIRCLED:
        at = _CIRCLED.index(raw)
        return at + 1 if at < 20 else at - 19
    parsed = parse_number(lx.to_halfwidth(raw))
    return int(parsed) if parsed is not None else None


def _glued_markers(text: str, lines: list[_Line], markers: list[Heading]) -> list[Heading]:
    """Line-initial list numbers written without their 、: 2利弄 (item 2), 52022年 (item 5)."""
    arabic = sorted((h for h in markers if h.style == "arabic"), key=lambda h: h.start)
    if len(arabic) < 2:
        return []
    numbers = {h.number for h in arabic}
    arabic_starts = [h.start for h in arabic]
    starts = {h.start for h in markers}
    glued: list[Heading] = []
    for line in lines:
        lead = _LEADING_DIGITS.match(text, line.start, line.end)  # ① passes isdigit() but is no digit here
        if line.start in starts or lead is None:
            continue
        digits = lead.group(0)
        for width in (2, 1):
            if len(digits) < width:
                continue
            n = int(digits[:width])
            prev_ok = (n - 1) in numbers or n == 1
            next_ok = (n + 1) in numbers or n - 1 == max(numbers)
            if n not in numbers and prev_ok and next_ok and _between_siblings(line.start, n, arabic, arabic_starts):
                marker_end = line.start + width
                t0, t1 = _title_span(text, marker_end, line.end)
                glued.append(Heading(line.start, t1, RANK_ARABIC, "arabic_glued", n, marker_end, t0, t1))
                numbers.add(n)
                break
    return glued


def _between_siblings(pos: int, n: int, arabic: list[Heading], starts: list[int]) -> bool:
    """The numbered siblings around ``pos`` are n-1 before and n+1 (or none) after."""
    at = bisect.bisect_left(starts, pos)
    if at == 0 or arabic[at - 1].number != n - 1:
        return False
    after = at + 1 if at < len(starts) and starts[at] == pos else at
    return after >= len(arabic) or arabic[after].number == n + 1


_INNER_SPACE = re.compile(f"\\S[{lx.SPACE_CLASS}|]+\\S")
_ORG_END = re.compile(f"(?:{_words(lx.ISSUER_NAME_ENDINGS).pattern})$")
_MIN_PARALLEL_LINE = 8  # an unlabelled heading line of a parallel group: 坚持产业优先,推动改造升级再突破


def _title_lines(text: str, lines: list[_Line], markers: list[Heading], title: Span | None) -> list[Heading]:
    """Unnumbered heading lines: short, no sentence punctuation at the end, followed by text.

    A line that names a section role (2023年工作回顾) is a top-level divider; an unlabelled line
    counts only as one of two or more parallel lines opening with the same two characters. Table
    rows, header fields (…:…), subtitle and speaker lines (——…, 镇长 林卫东), sign-off and running
    header lines (檀山镇人民政府) and the page header above the title are no headings.
    """
    starts = {h.start for h in markers}
    after = title[1] if title else -1
    labelled: list[Heading] = []
    by_prefix: dict[str, list[Heading]] = {}
    for line in lines[:-1]:
        if line.start in starts or line.start < after:
            continue
        s = text[line.start : line.end]
        if not (4 <= len(s) <= 40) or s[-1] in _LINE_END_PUNCT or _LEADING_DIGITS.match(s) and len(s) < 6:
            continue
        if sum(lx.is_cjk(c) for c in s) < 4 or lx.FULL_STOP in s or not (lx.is_cjk(s[0]) or _LEADING_DIGITS.match(s)):
            continue
        if _INNER_SPACE.search(s) or any(c in s for c in lx.COLONS):
            continue
        kind = _label(s)
        if kind is None and _ORG_END.search(s):
            continue
        h = Heading(line.start, line.end, RANK_TITLE, "line", None, line.start, line.start, line.end)
        if kind and not any(c in s for c in lx.COMMAS):
            labelled.append(h)
        elif kind is None and len(s) >= _MIN_PARALLEL_LINE:
            by_prefix.setdefault(s[:2], []).append(h)
    parallel = [h for group in by_prefix.values() if len(group) >= 2 for h in group]
    return sorted(labelled + parallel, key=lambda h: h.start)


def _lead_lines(text: str, lines: list[_Line], taken: set[int]) -> list[Heading]:
    """Parallel one-sentence lines that head a longer paragraph (过去一年,我街聚焦…。): two or more
    opening with the same four characters."""
    candidates: list[Heading] = []
    for line, nxt in zip(lines, lines[1:]):
        if line.start in taken:
            continue
        s = text[line.start : line.end]
        if not 12 <= len(s) <= 60 or s[-1] != "。" or s.count("。") != 1 or (nxt.end - nxt.start) < 2 * len(s):
            continue
        candidates.append(Heading(line.start, line.end, RANK_LEAD, "lead", None, line.start, line.start, line.end - 1))
    by_prefix: dict[str, list[Heading]] = {}
    for h in candidates:
        by_prefix.setdefault(text[h.start : h.start + 4], []).append(h)
    return [h for group in by_prefix.values() if len(group) >= 2 for h in group]


def _build_tree(headings: list[Heading], end: int) -> tuple[Node, ...]:
    """Nest headings by rank; a node ends where the next heading of the same or higher rank starts."""
    ordered = sorted(headings, key=lambda h: (h.start, h.rank))
    spans: list[int] = [end] * len(ordered)
    open_: list[int] = []  # indices of headings not yet closed; ranks strictly increase upwards
    for i, h in enumerate(ordered):
        while open_ and ordered[open_[-1]].rank >= h.rank:
            spans[open_.pop()] = h.start
        open_.append(i)

    def build(lo: int, hi: int) -> tuple[Node, ...]:
        nodes: list[Node] = []
        i = lo
        while i < hi:
            j = i + 1
            while j < hi and ordered[j].start < spans[i]:
                j += 1
            nodes.append(Node(ordered[i], spans[i], build(i + 1, j)))
            i = j
        return tuple(nodes)

    return build(0, len(ordered))


def _repair_gaps(text: str, nodes: tuple[Node, ...], lines: list[_Line], line_starts: list[int] | None = None) -> list[Heading]:
    """A sibling whose number was dropped ((二) … (四)): recover the paragraph that stands for (三).

    The recovered heading is a line between the two siblings whose first sentence is short and
    opens with the same two characters as its siblings' titles (聚焦…,推动…再…).
    """
    found: list[Heading] = []
    line_starts = line_starts if line_starts is not None else [ln.start for ln in lines]
    numbered = [n for n in nodes if n.heading.number is not None]
    for a, b in zip(numbered, numbered[1:]):
        ha, hb = a.heading, b.heading
        if ha.style != hb.style or hb.number != (ha.number or 0) + 2:
            continue
        prefix = text[ha.title_start : ha.title_start + 2]
        if text[hb.title_start : hb.title_start + 2] != prefix:
            continue
        first = bisect.bisect_right(line_starts, ha.start)
        last = bisect.bisect_left(line_starts, hb.start)
        for line in lines[first:last]:
            if text.startswith(prefix, line.start):
                t0, t1 = _title_span(text, line.start, line.end)
                if t1 - t0 <= 30:
                    found.append(Heading(line.start, t1, ha.rank, ha.style + "_recovered", (ha.number or 0) + 1, line.start, t0, t1))
                    break
    for n in nodes:
        found.extend(_repair_gaps(text, n.children, lines, line_starts))
    return found


def _label(title: str) -> str | None:
    kinds = []
    if PLAN_WORDS.search(title):
        kinds.append("plans")
    if PROBLEM_WORDS.search(title):
        kinds.append("problems")
    if REVIEW_WORDS.search(title):
        kinds.append("review")
    if kinds == ["plans", "review"] and _OUTCOME_WORDS.search(title):
        return "review"  # 年度目标任务完成情况 reports on the targets: a review
    if not kinds and _OTHER_WORDS.search(title):
        return "other"  # 基本情况: a description, not an achievement
    return kinds[0] if len(kinds) == 1 else None


def _section_label(text: str, node: Node, reviewed: int | None = None, item_rank: int = RANK_ARABIC) -> str | None:
    """The role a child heading gives its part; list items (1、 ① 一是) never split their parent.

    ``item_rank`` is the first rank of list items in this document: 1、 under 一、 headings, but (1)
    under an outline numbered 1. / 2. / 3. alone.
    """
    if node.heading.rank >= item_rank:
        return None
    return _heading_kind(text[node.heading.title_start : node.heading.title_end], reviewed)


def default_kind(title: str | None) -> str | None:
    """What unlabelled top-level sections are, judging by the document title."""
    if not title:
        return None
    has_review = _TITLE_REVIEW.search(title) is not None
    has_plan = _TITLE_PLAN.search(title) is not None
    if has_review and not has_plan:
        return "review"
    if has_plan and not has_review:
        return "plans"
    return None


_NUMBERED = re.compile("|".join(p.pattern for _, _, p in _MARKERS))


_PAGE_PATH = re.compile(rf"[{lx.char_class(lx.PATH_ARROWS)}]")
# A headline: no header field in it, at most a place before one colon (禾塬乡：…, 我镇：…).
_HEADLINE = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{1,8}}(?:{'|'.join(lx.LEVEL_WORDS)})[{lx.COLON_CLASS}])?[^{lx.COLON_CLASS}|\d][^{lx.COLON_CLASS}|]+$"
)


def find_title(text: str, lines: list[_Line]) -> Span | None:
    """The document title: the first short line near the top, if it reads like a title."""
    lines = [ln for ln in lines if not _NUMBERED.match(text, ln.start)]  # a numbered line is a heading
    for line in lines[:8]:
        s = text[line.start : line.end]
        if re.search(r"[:：|>]", s):
            continue  # header fields and breadcrumbs, not titles
        if len(s) <= 60 and not s.endswith(lx.FULL_STOP) and _TITLE_ANY.search(s):
            if line is lines[0] or _TITLE_REPORT.search(s):
                return (line.start, line.end)
    # the first line under a page's furniture (breadcrumb, menus) is its headline, which may name
    # its subject before a colon (禾塬乡：稳中求进…) and may read like a section title
    heads = [ln for ln in lines[:4] if not _PAGE_PATH.search(text, ln.start, ln.end)]
    head = text[heads[0].start : heads[0].end] if heads else ""
    if heads and text[: heads[0].start].strip() and len(head) <= 40 and _HEADLINE.match(head) and len(lines) > 1:
        if not any(c in _SENTENCE_END for c in head):
            return (heads[0].start, heads[0].end)
    first = lines[0] if lines else None
    if first and len(text[first.start : first.end]) <= 40 and lx.FULL_STOP not in text[first.start : first.end] and len(lines) > 1:
        if _label(text[first.start : first.end]) is None or _TITLE_REPORT.search(text[first.start : first.end]):
            return (first.start, first.end)
    return None


def segment(text: str, boilerplate: tuple[Span, ...] = ()) -> Outline:
    """Find headings and label the sections of ``text``.

    Args:
        text: the document text, unchanged.
        boilerplate: ranges that cleaning marked as site furniture; headings there are ignored.

    Returns:
        An Outline whose sections are labelled review / problems / plans / other and whose
        ``markers`` are the item-number spans (never figures). The Outline is frozen, and the
        rules engine and the source index both segment each document: the outlines of the last
        few texts are kept, so a document is segmented once.
    """
    # a text in ASCII punctuation is cut at its sentence-ending full stops as at 。 (same offsets)
    return _segment(lx.with_fullwidth_stops(text), tuple((int(a), int(b)) for a, b in boilerplate))


def forget_outlines() -> None:
    """Drop the kept outlines (see ``segment``): for measuring a cold start."""
    _segment.cache_clear()


@functools.lru_cache(maxsize=8)
def _segment(text: str, boilerplate: tuple[Span, ...]) -> Outline:
    lines = _content_lines(text, boilerplate)
    if not lines:
        return Outline(None, (), ())
    title = find_title(text, lines)
    markers = _find_markers(text, lines)
    markers += _glued_markers(text, lines, markers)
    markers = _item_levels(markers)
    headings = [h for h in markers if not (title and title[0] <= h.start < title[1])]
    taken = {h.start for h in headings} | ({title[0]} if title else set())
    headings += [h for h in _title_lines(text, lines, headings, title) if h.start not in taken]
    taken |= {h.start for h in headings}
    headings += _lead_lines(text, lines, taken)
    content_end = lines[-1].end
    nodes = _build_tree(headings, content_end)
    recovered = _repair_gaps(text, nodes, lines)
    if recovered:
        headings += recovered
        nodes = _build_tree(headings, content_end)
    title_text = text[title[0] : title[1]] if title else None
    sections = _sections(text, nodes, lines, default_kind(title_text), title_text)
    marker_spans = tuple((h.start, h.marker_end) for h in headings if h.marker_end > h.start)
    return Outline(title, nodes, tuple(sections), tuple(sorted(marker_spans)))


_HEADING_YEAR = re.compile(r"(20\d{2})年")


def _reviewed_year(text: str, nodes: tuple[Node, ...], title: str | None) -> int | None:
    """The year the report looks back on: the first year of its title (…2025年工作总结及2026年…)
    or else of its first review heading (一、2025年工作回顾)."""
    m = _HEADING_YEAR.search(title or "")
    if m:
        return int(m.group(1))
    for node in _walk(nodes):
        h = node.heading
        heading = text[h.title_start : h.title_end]
        m = _HEADING_YEAR.search(heading)
        if m and _label(heading) == "review":
            return int(m.group(1))
    return None


def _heading_kind(heading: str, reviewed: int | None) -> str | None:
    """A heading's role; an unlabelled one that names a later year than the reviewed one is the
    plan part (三、2026年重点工作 in a report on 2025)."""
    kind = _label(heading)
    if kind is None and reviewed is not None:
        m = _HEADING_YEAR.search(heading)
        if m and int(m.group(1)) > reviewed:
            return "plans"
    return kind


_ROLE_ORDER = {"review": 0, "problems": 1, "plans": 2}  # the order the genre's parts come in


def _sections(
    text: str, nodes: tuple[Node, ...], lines: list[_Line], default: str | None, title: str | None = None
) -> list[Section]:
    sections: list[Section] = []
    reviewed = _reviewed_year(text, nodes, title)
    item_rank = _item_rank(nodes)

    def visit(node_list: tuple[Node, ...], inherited: str | None) -> None:
        for node in node_list:
            h = node.heading
            # 一是… numbers the points of a sentence, never a part: 二是补齐设施短板 is no problems part
            kind = None if h.rank == RANK_SHI else _heading_kind(text[h.title_start : h.title_end], reviewed)
            if kind == "other":
                continue
            child_kinds = _child_kinds(text, node.children, reviewed, item_rank)
            if kind:
                # a part holds parts that come after its own role (a 工作总结 its 存在问题 and 下步打算), never
                # before it: under 三、2026年工作打算, (一)持续巩固脱贫成果 and (三)补齐基础设施短板 are plans
                child_kinds = {k for k in child_kinds if _ROLE_ORDER[k] >= _ROLE_ORDER[kind]}
            if kind and child_kinds - {kind}:
                # a title line over the whole report (…工作总结) whose parts are labelled themselves
                visit(node.children, kind if len(child_kinds) == 0 else inherited)
                continue
            if kind:
                sections.append(Section(kind, node.start, node.end, node.children or (node,), h))
                continue
            if child_kinds:
                visit(node.children, inherited)
                continue
            if inherited:
                sections.append(Section(inherited, node.start, node.end, (node,), None))

    visit(nodes, default)
    sections = _merge_adjacent(sections)
    sections = _split_problem_passages(text, nodes, sections)
    sections = _add_target_passages(text, lines, sections)
    sections = _add_target_sentences(text, sections)
    sections = _add_plan_statements(text, lines, sections, nodes)
    sections = _add_review_passage(text, lines, sections)
    return sorted(sections, key=lambda s: s.start)


def _child_kinds(text: str, children: tuple[Node, ...], reviewed: int | None, item_rank: int) -> set[str]:
    """The roles a node's child headings name. 1. headings of an Arabic-only outline name them as
    parts only when they read as its outline: two roles among them (1. 主要工作 / 2. 存在问题), or a
    role on the last of them (…3. 下一步计划); one 2、完成年度目标任务 amid results is an item."""
    labels = [_section_label(text, c, reviewed, item_rank) for c in children]
    kinds = {k for c, k in zip(children, labels) if c.heading.rank < RANK_ARABIC} - {None, "other"}
    arabic = [(c, k) for c, k in zip(children, labels) if c.heading.rank >= RANK_ARABIC]
    arabic_kinds = {k for _, k in arabic} - {None, "other"}
    if len(arabic_kinds) >= 2 or (arabic and arabic[-1][1] not in (None, "other")):
        kinds |= arabic_kinds
    return kinds


_CHINESE_OUTLINE = frozenset({"part", "cn", "cn_paren"})


def _item_rank(nodes: tuple[Node, ...]) -> int:
    """Where list items start in this document's outline: at 1、 when Chinese-numbered headings
    (第一部分 / 一、 / (一)) stand above them, else at (1) (an outline numbered 1. / 2. alone)."""
    if any(n.heading.style in _CHINESE_OUTLINE for n in _walk(nodes)):
        return RANK_ARABIC
    return RANK_ARABIC_PAREN


def _merge_adjacent(sections: list[Section]) -> list[Section]:
    """Sibling sections of one kind that came from the document default become one section."""
    merged: list[Section] = []
    for s in sorted(sections, key=lambda s: s.start):
        prev = merged[-1] if merged else None
        if prev and prev.kind == s.kind and prev.lead is None and s.lead is None:
            merged[-1] = Section(s.kind, prev.start, max(prev.end, s.end), prev.items + s.items, None)
        else:
            merged.append(s)
    return merged


def _split_problem_passages(text: str, nodes: tuple[Node, ...], sections: list[Section]) -> list[Section]:
    """在肯定成绩的同时…困难和挑战:一是…: a problems passage inside another section or line.

    Each passage (in text order) carves the sections holding its start, unless a problems section
    already holds it. The passages come in order, so a section that ends before one passage starts
    is never looked at again: the sections in reach are kept apart from the rest (and the 一是 items
    found by binary search), which keeps a text of thousands of such passages n·log n. The result is
    the list the plain carve-in-place over every section makes, in the same order.
    """
    shi = [(n.start, k, n) for k, n in enumerate(_walk(nodes)) if n.heading.style == "shi"]
    shi_starts = [x[0] for x in shi]
    # Every section with its place in the carve-in-place list, as (the section it was cut from, the
    # order the pieces were cut: head before tail, and a tail's own pieces after the head before it;
    # a new passage goes after everything made before it), and whether its items are in text order,
    # as segment makes them: then a piece's items are a slice found by binary search.
    pending = [(sec.start, (i, 0), sec, _in_order(sec.items)) for i, sec in enumerate(sections)]
    cut = 0
    heapq.heapify(pending)
    active: list[tuple[tuple[int, int], Section, bool]] = []  # started at or before the passage
    done: list[tuple[tuple[int, int], Section]] = []  # ended before it: never carved again
    added = len(sections)
    for m in _PROBLEM_INTRO.finditer(text):
        start = m.start()
        while pending and pending[0][0] <= start:
            _, key, sec, ordered = heapq.heappop(pending)
            active.append((key, sec, ordered))
        done += [(key, sec) for key, sec, _ in active if sec.end <= start]
        active = [x for x in active if x[1].end > start]  # each of these holds start
        if any(sec.kind == "problems" for _, sec, _ in active):
            continue
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        lo, hi = bisect.bisect_right(shi_starts, start), bisect.bisect_left(shi_starts, line_end)
        items = tuple(n for _, _, n in sorted(shi[lo:hi], key=lambda x: x[1]))
        end = max([line_end] + [n.end for n in items])
        for key, sec, ordered in active:
            cut += 2
            if start > sec.start:
                head = _items_before(sec.items, start, ordered)
                if not head and sec.lead is not None:
                    # 二、…发展成就 whose only list is the problems passage after its paragraph: the part is its item
                    head = (Node(sec.lead, start),)
                done.append(((key[0], cut), Section(sec.kind, sec.start, start, head, sec.lead)))
            if end < sec.end:
                tail = Section(sec.kind, end, sec.end, _items_from(sec.items, end, ordered), sec.lead)
                heapq.heappush(pending, (tail.start, (key[0], cut + 1), tail, ordered))
        active = []
        heapq.heappush(pending, (start, (added, 0), Section("problems", start, end, items, None), _in_order(items)))
        added += 1
    kept = done + [(key, sec) for key, sec, _ in active] + [(key, sec) for _, key, sec, _ in pending]
    return [sec for _, sec in sorted(kept, key=lambda x: x[0])]


def _in_order(items: tuple[Node, ...]) -> bool:
    return all(a.start <= b.start for a, b in zip(items, items[1:]))


def _items_before(items: tuple[Node, ...], pos: int, ordered: bool) -> tuple[Node, ...]:
    if ordered:
        return items[: bisect.bisect_left(items, pos, key=lambda n: n.start)]
    return tuple(i for i in items if i.start < pos)


def _items_from(items: tuple[Node, ...], pos: int, ordered: bool) -> tuple[Node, ...]:
    if ordered:
        return items[bisect.bisect_left(items, pos, key=lambda n: n.start) :]
    return tuple(i for i in items if i.start >= pos)


def _add_target_passages(text: str, lines: list[_Line], sections: list[Section]) -> list[Section]:
    """主要预期目标是:… outside any plans section opens one that runs to the end of the content."""
    out = list(sections)
    line_starts = [ln.start for ln in lines]
    for m in _TARGETS_INTRO.finditer(text):
        if any(s.kind == "plans" and s.start <= m.start() < s.end for s in out):
            continue
        at = bisect.bisect_right(line_starts, m.start()) - 1
        line = lines[at] if at >= 0 and m.start() < lines[at].end else None
        if line is None:
            continue
        following = [s for s in out if s.start > line.start]
        if following and all(s.kind == "plans" for s in following):
            first = min(following, key=lambda s: s.start)
            out = [s for s in out if s not in following]
            items = tuple(i for s in sorted(following, key=lambda s: s.start) for i in s.items)
            out.append(Section("plans", line.start, max(s.end for s in following), items, first.lead, ((line.start, line.end),)))
        elif not following:
            out.append(Section("plans", line.start, lines[-1].end, (), None, ((line.start, line.end),)))
    return out


_SENTENCE_RE = re.compile(f"[^{lx.FULL_STOP}\\n]+[{lx.FULL_STOP}]?")
_MIN_TARGET_FIGURES = 2  # a sentence of numeric targets states at least two of them


def _add_target_sentences(text: str, sections: list[Section]) -> list[Section]:
    """A plan part that opens with a sentence of numeric targets: that sentence is its first item.

    The sentence stands between the plan heading and its first item (…工作计划 / 2025年主要预期目标
    是:地区生产总值增长6%左右,… / (一)…). An intro that ends at its colon (…主要预期目标是:) takes
    the sentence after it along.
    """
    out: list[Section] = []
    for s in sections:
        first_item = min((n.start for n in s.items if s.lead is None or n.heading != s.lead), default=s.end)
        zone_start = s.lead.end if s.lead else s.start
        if s.lead is None and s.kind == "plans" and text[first_item - 1 : first_item] not in ("", "\n"):
            # inline items (…不放松,确保全年…。一要抓项目): the sentence just before the first one
            line_start = text.rfind("\n", 0, first_item) + 1
            stop = max(text.rfind(lx.FULL_STOP, line_start, first_item - 1) + 1, line_start)
            zone_start = max(text.rfind(lx.FULL_STOP, line_start, stop - 1) + 1, line_start)
            s = dataclasses.replace(s, start=min(s.start, zone_start))
        if s.kind != "plans" or s.extra_items or zone_start >= first_item:
            out.append(s)
            continue
        found: Span | None = None
        pending: int | None = None
        for m in _SENTENCE_RE.finditer(text, zone_start, first_item):
            a, b = m.start(), m.end()
            while a < b and text[a] in _SPACE:
                a += 1
            if a >= b:
                continue
            intro = _TARGETS_INTRO.search(text, a, b)
            figures = len(find_quantities(text, a, b, chinese=True))  # 突破八百万元 is a target as 8% is (Revision 2)
            start = pending if pending is not None else a
            if figures >= _MIN_TARGET_FIGURES or (figures and (intro or pending is not None)):
                found = (start, b)
                break
            if intro and intro.end() >= b - 1:  # 主要预期目标是: with the targets on the next line
                pending = start
        if found is None and pending is not None:
            found = (pending, first_item)
        if found and s.lead and all(n.heading == s.lead for n in s.items):
            # 一、总体目标 over its sentence of targets: the part heading frames the item, the
            # sentence is the item (a heading with plan items under it is one of them instead)
            s = dataclasses.replace(s, items=())
        out.append(dataclasses.replace(s, extra_items=(found,)) if found else s)
    return out


_SPEECH_LEAD = re.compile(
    rf"(?:(?:{'|'.join(lx.SPEECH_TOPIC_WORDS)})[^{lx.char_class(lx.COMMAS + lx.SENTENCE_ENDS)}]{{1,12}}[{lx.char_class(lx.COMMAS)}])?"
    rf"[{lx.char_class(lx.QUOTE_MARKS)}]?(?:[^{lx.char_class(lx.COMMAS + lx.SENTENCE_ENDS)}]{{0,12}}?"
    rf"(?:{'|'.join(lx.SPEECH_LEAD_VERBS)})[{lx.char_class(lx.COMMAS + lx.COLONS)}])?"
)
_PLAN_STATEMENT = re.compile(
    rf"(?:{'|'.join(lx.PLAN_STATEMENT_TIMES)})|(?:20\d{{2}}年[{lx.char_class(lx.COMMAS)}]?)?[\u4e00-\u9fff]{{0,8}}?(?:{'|'.join(lx.PLAN_STATEMENT_VERBS)})"
)
_PLAN_TIME = _words(lx.PLAN_STATEMENT_TIMES)
_STATEMENT_RE = re.compile(f"[^{lx.char_class(lx.SENTENCE_ENDS)}\n]+[{lx.char_class(lx.SENTENCE_ENDS)}]?")


def _add_plan_statements(text: str, lines: list[_Line], sections: list[Section], nodes: tuple[Node, ...] = ()) -> list[Section]:
    """A text without headings (a news item) that states its plans in sentences: each is a plan item.

    A plan sentence opens, past a speech lead (乡长表示，…, 谈及明年打算，镇长表示，…) or a quote mark, with a
    future time word (明年，我们力争…) or a short subject and a will-verb (2026年该乡将新建…, 2026年，该乡将…,
    该镇还将于…). The plans section runs from the first such sentence to the end of the last; a
    sentence that numbers its plans (该镇将一是…；二是…) gives one item per number.
    """
    if sections or len(lines) < 2:
        return sections
    found: list[Span] = []
    first = -1  # where the first plan sentence starts, its speech lead included (谈及明年打算，…)
    for line in lines[1:]:
        for m in _STATEMENT_RE.finditer(text, line.start, line.end):
            a = _SPEECH_LEAD.match(text, m.start()).end()  # type: ignore[union-attr]
            future = _PLAN_TIME.search(text, m.start(), a) is not None  # 展望明年，…; 谈及下一步工作，…
            while a < m.end() and text[a] in _SPACE + lx.QUOTE_MARKS:
                a += 1
            if a < m.end() and (future or _PLAN_STATEMENT.match(text, a, m.end())) and find_quantities(text, a, m.end()):
                found.append((a, m.end()))
                first = m.start() if first < 0 else first
    if not found:
        return sections
    listed = [n for n in _walk(nodes) if n.heading.style == "shi"]
    items: list[Node] = []
    statements: list[Span] = []
    for a, b in found:
        inside = [n for n in listed if a <= n.start < b]
        items += inside
        if not inside:
            statements.append((a, b))
    end = max([found[-1][1]] + [min(n.end, found[-1][1]) for n in items])
    return [Section("plans", first, end, tuple(items), None, tuple(statements))]


_REVIEW_INTRO = _words(lx.REVIEW_INTRO_WORDS)
_MIN_RESULT_FIGURES = 3


def _add_review_passage(text: str, lines: list[_Line], sections: list[Section]) -> list[Section]:
    """A text without review headings (a news item) that reports results before its plans.

    The first paragraph before every other section (or anywhere, in a text without sections) that
    opens a results passage (今年以来, 上半年 …) and states several figures is the review, as one item.
    """
    if any(s.kind == "review" for s in sections) or not lines:
        return sections
    limit = min((s.start for s in sections), default=lines[-1].end)  # a text of results alone: all of it
    for line in lines:
        if line.end > limit:
            break
        intro = _REVIEW_INTRO.search(text, line.start, line.end)
        if intro and len(find_quantities(text, intro.start(), line.end)) >= _MIN_RESULT_FIGURES:
            return sorted([*sections, Section("review", line.start, line.end, (), None, ((line.start, line.end),))], key=lambda s: s.start)
    return sections


def scan_windows(start: int, end: int, markers: tuple[Span, ...]) -> list[Span]:
    """[start, end) minus item markers, so the 5 of 52022年 (item 5) is never read as a figure.

    Callers ask once per content range with all of a document's markers: in sorted markers only
    those from the first that can reach ``start`` up to the first at or after ``end`` are read.
    """
    windows, pos = [], start
    first, stop = _marker_range(markers, start, end)
    for k in range(first, stop):
        m0, m1 = markers[k]
        if m1 <= pos or m0 >= end:
            continue
        if m0 > pos:
            windows.append((pos, m0))
        pos = max(pos, m1)
    if pos < end:
        windows.append((pos, end))
    return windows


_MARKER_INDEX: dict[int, tuple[tuple[Span, ...], list[int], list[int]]] = {}  # the last few markers' lookups


def _marker_range(markers: tuple[Span, ...], start: int, end: int) -> tuple[int, int]:
    """[first, stop) of the markers that can overlap [start, end) (all of them unless sorted)."""
    if len(markers) < 32:
        return 0, len(markers)
    entry = _MARKER_INDEX.get(id(markers))
    if entry is None or entry[0] is not markers:
        if len(_MARKER_INDEX) >= 8:
            _MARKER_INDEX.clear()
        starts = [m0 for m0, _ in markers]
        ordered = all(a <= b for a, b in zip(starts, starts[1:]))
        reach = list(itertools.accumulate((m1 for _, m1 in markers), max)) if ordered else []  # furthest end so far
        entry = _MARKER_INDEX[id(markers)] = (markers, starts if ordered else [], reach)
    _, starts, reach = entry
    if not starts:
        return 0, len(markers)
    first = bisect.bisect_left(starts, start)
    while first > 0 and reach[first - 1] > start:  # an earlier marker may still run into [start, end)
        first -= 1
    return first, max(first, bisect.bisect_left(starts, end))


def _walk(nodes: tuple[Node, ...]):
    for n in nodes:
        yield n
        yield from _walk(n.children)
