"""Kind and period flags of a metric against the words around its figure. Metric + figure position → (ok, why).

These flags never change a check's status (which is about the number); they say when the label
contradicts the source: a planned figure (plans section, or after 力争/计划/预计) labelled
``actual``, a rate labelled as an amount or the reverse, a 1-10月 figure given a bare year, a
2022 figure given 2023. Each returns ``None`` when the source gives nothing to compare with.
Positions are offsets in the index's view; a period runs over a ；-list, so sentences are the
index's full-stop sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Optional

from .. import lexicon
from ..index import CLAUSE_BREAKS_MEMO, SourceIndex, clause_breaks
from ..schema import Metric
from ..tables import cell_period, column_kind, tables_of
from ._attribution import _semicolons, name_key
from ._values import as_quantity

Flag = tuple[Optional[bool], str]  # (ok, why not)

_RATE_FAMILIES = frozenset({"percent", "permille", "points", "ratio"})
_CUED_KINDS = frozenset({"actual", "count", "growth_rate", "completion_rate", "share"})  # the kinds a planning cue contradicts
_PERCENT_FAMILIES = frozenset({"percent", "permille", "points"})
# 计划 in 完成年度计划 is the plan that was met, not a plan; 模拟/虚拟 are no 拟. Each lookbehind stands after
# its word (计划(?<!年度计划) is (?<!年度)计划): every branch then opens with a literal, so the regex engine
# skips to the cue words' first characters instead of trying every branch at every position (~9x faster).
_STRONG_TARGET = re.compile(r"力争|计划(?<!年度计划)|预计|预期|拟(?<![模虚]拟)|争创|目标是|目标为")
# Weaker cues count only inside the figure's own clause: 已全部达到整改整治目标,完成…6项 is done.
_WEAK_TARGET = re.compile(r"目标|确保|将")
_PARTIAL_PERIOD = re.compile(r"月|季度|半年")
_BARE_YEAR = re.compile(r"(\d{4})年?")
_RELATIVE_YEARS = lexicon.YEAR_WORDS + ("今年",)
# kind_ok reads a clause as lying inside its statement (the view's clause breaks hold every semicolon)
assert set(lexicon.SEMICOLONS) <= set(lexicon.CLAUSE_BREAKS), "every semicolon must be a clause break"


def _sentence(index: SourceIndex, pos: int) -> tuple[int, int]:
    """The full-stop sentence around view offset ``pos`` (from the index: no scan of the text)."""
    return index.sentences[index.sentence_at(pos)]


def _clause(index: SourceIndex, pos: int, sentence: tuple[int, int] | None = None) -> tuple[int, int]:
    """The clause around ``pos`` (between clause punctuation), inside its sentence only (``sentence``, when known)."""
    s0, s1 = sentence or _sentence(index, pos)
    breaks = _breaks(index)
    at = bisect_left(breaks, pos)
    start = breaks[at - 1] + 1 if at and breaks[at - 1] >= s0 else s0
    end = breaks[at] if at < len(breaks) and breaks[at] < s1 else s1
    return start, end


def _breaks(index: SourceIndex) -> list[int]:
    """View offsets of every clause punctuation mark, found once per index."""
    breaks = index.memo.get(CLAUSE_BREAKS_MEMO)  # read while indexing; an unpickled index finds them again
    if breaks is None:
        breaks = index.memo[CLAUSE_BREAKS_MEMO] = clause_breaks(index.view)
    return breaks


@lru_cache(maxsize=1024)
def _family(unit: str) -> str:
    return as_quantity(1.0, unit).family


def _names_ratio(name: str) -> bool:
    """A name whose head word is a ratio (城乡居民收入比, 森林蓄积量比值): its number has no unit and is one."""
    core = name_key(name).core  # notes in brackets are left out: 城乡居民收入比（上年）
    return any(core.endswith(word) for word in lexicon.CHECK_RATIO_HEADS)


def kind_ok(index: SourceIndex, metric: Metric, pos: int | None, section: str | None, family: str | None = None) -> Flag:
    """False when the metric's kind contradicts its unit or the planning words before its figure.

    Args:
        index: the source.
        metric: the metric (its kind and unit are read).
        pos: view offset where its figure (or, failing that, its quote) starts; None if nowhere.
        section: the section of that place.
        family: what the metric's unit measures, when the caller has it (the check's wanted
            Quantity of the metric knows it: no second Quantity is built per unit).
    """
    if family is None:
        family = _family(metric.unit)
    kind = metric.kind
    if kind in ("growth_rate", "completion_rate", "share") and family not in _RATE_FAMILIES \
            and not (family == "none" and _names_ratio(metric.name)):
        return False, f"kind {kind} but the unit {metric.unit or '(none)'} is not a rate"
    if kind in ("actual", "count") and family in _PERCENT_FAMILIES:
        return False, f"kind {kind} but {metric.unit} is a rate"
    if pos is None:
        return None, ""
    column = _column_contradicts(index, pos, kind)
    if column:
        return False, column
    if kind not in _CUED_KINDS:
        return True, ""  # no cue word contradicts a target or an other
    sent = _sentence(index, pos)
    # A strong cue governs its statement: 预计全年地区生产总值…；一般公共预算收入… leaves the second actual.
    semis = _semicolons(index)  # the attribution's, found once per index
    at = bisect_left(semis, pos)
    start = semis[at - 1] + 1 if at and semis[at - 1] >= sent[0] else sent[0]
    strong = _search(index, _STRONG_TARGET, start, pos)
    if kind == "actual":  # any cue makes it planned; a rate or a count needs a strong cue in its own clause
        cue = strong or _search(index, _WEAK_TARGET, _clause(index, pos, sent)[0], pos)
        if cue and cue in metric.name:
            cue = None  # a cue word that is part of the indicator's name (稻谷目标价格补贴) plans nothing
        if cue or section == "plans":
            why = f"after “{cue}”" if cue else "in the plans section"
            return False, f"a planned figure ({why}) labelled actual"
        return True, ""
    # A plans section also mentions what exists (抓好71家规上企业): only a cue makes a count a target.
    # The clause lies inside the statement (a semicolon is a clause break, so the clause starts at or
    # after ``start``, asserted at import) and no lookbehind reaches across a break: a statement
    # without a strong cue has none in its clause, whose bounds are then not looked up at all.
    near_cue = _search(index, _STRONG_TARGET, _clause(index, pos, sent)[0], pos) if strong else None
    if near_cue:  # kind is one of count, growth_rate, completion_rate, share here
        return False, f"a planned figure (after “{near_cue}”) labelled {kind}"
    return True, ""


# the kinds a table column's header allows: a 同比增长 column holds no completion rate, a 完成 column no target
_COLUMN_ALLOWS = {
    "growth_rate": {"growth_rate", "target"},
    "completion_rate": {"completion_rate"},
    "share": {"share", "target"},
    "target": {"target"},
    "actual": {"actual", "count", "target"},
    "done": {"actual", "count"},
}


def _column_contradicts(index: SourceIndex, pos: int, kind: str) -> str:
    """Why the figure at ``pos``, a table cell, cannot be of ``kind`` by its column header; "" if it can."""
    cell = tables_of(index.view).cell_at(pos)
    column = column_kind(cell.header) if cell is not None else None
    if column == "actual" and any(w in cell.header for w in lexicon.TABLE_DONE_HEADER_WORDS):  # type: ignore[union-attr]
        column = "done"
    if column is None or kind == "other" or kind in _COLUMN_ALLOWS[column]:
        return ""
    return f"kind {kind} but the figure stands in the table column “{cell.header}”"  # type: ignore[union-attr]


_LOOKBEHIND = 2  # how far before its start a cue pattern looks (年度 of 年度计划, 模/虚 of 模拟)
_LONGEST = 8  # longer than any cue word
_SHORT = 512  # characters up to which a piece is searched itself (bounded work either way)


def _search(index: SourceIndex, pattern: re.Pattern[str], lo: int, hi: int) -> str | None:
    """``pattern.search(view[lo:hi])``'s matched text, in constant work per call.

    A clause or sentence can be the whole document (a line without punctuation), so searching the
    piece before every figure would be quadratic. Every place the pattern matches in the whole view
    (overlapping, as each start position would) is found once per index; a call takes the first
    one inside ``[lo, hi)`` (a piece of up to ``_SHORT`` characters is searched itself). Only
    near the two ends can the piece differ from the whole view (a lookbehind cannot see before
    ``lo``, a match cannot run past ``hi``): those few places are matched on a small slice, so the
    answer is exactly the plain search's.
    """
    text = index.view
    if hi - lo <= _SHORT:  # the genre's statements: the plain search on the piece is cheapest
        m = pattern.search(text[lo:hi])
        return m.group() if m else None
    key = ("cue places", pattern.pattern)
    places = index.memo.get(key)
    if places is None:
        overlapping = re.compile(f"(?=({pattern.pattern}))")
        found = [(m.start(), m.end(1), m.group(1)) for m in overlapping.finditer(text)]
        places = index.memo[key] = ([p for p, _, _ in found], found)
    starts, found = places
    head = min(hi, lo + _LOOKBEHIND)
    piece = text[lo : min(hi, head + _LONGEST)]
    for p in range(lo, head):  # the lookbehind sees only the piece
        m = pattern.match(piece, p - lo)
        if m:
            return m.group()
    k = bisect_left(starts, head)
    while k < len(starts) and starts[k] < hi:
        p, end, word = found[k]
        if end <= hi:
            return word
        m = pattern.match(text[p - _LOOKBEHIND : hi], _LOOKBEHIND)  # cut by hi: a shorter word may fit
        if m:
            return m.group()
        k += 1
    return None


def period_ok(index: SourceIndex, metric: Metric, pos: int | None, section: str | None, report_year: int | None = None) -> Flag:
    """False when the metric's period contradicts the period its sentence states before the figure.

    A stated span that runs from January (1-10月, 前三季度, 上半年) is what a flow is counted over:
    a full-year label contradicts it. A window inside the year (7月份, 4月至7月, 四季度) dates an
    event or a quarter: it contradicts only another window, never the year it lies in.

    Args:
        index: the source.
        metric: the metric (its period is read).
        pos: view offset where its figure (or quote) starts; None if nowhere.
        section: the section of that place.
        report_year: the year reviewed, which 今年/全年 stand for outside the plans.
    """
    if pos is None or not metric.period:
        return None, ""
    text = index.view
    cell = tables_of(text).cell_at(pos)
    if cell is not None:  # | 2024年 | 2025年 |: a cell's column header states its year
        column = cell_period(cell)
        stated = column.year(report_year) if column is not None else None
        year = _split_period(lexicon.to_halfwidth(metric.period).strip())[0]
        if stated and year and int(year) != stated:
            return False, f"the table column “{cell.header}” is of {stated}, not {metric.period}"
    sent = _sentence(index, pos)
    last = _noted(index, pos) or _last_stated(index, sent[0], pos)
    while last is not None and _dates_yardstick(text, last, pos):
        last = _last_stated(index, sent[0], last[0])
    if last is None:
        return None, ""
    said = last[2]
    if said in _RELATIVE_YEARS:
        if report_year is None or section == "plans":
            return None, ""  # 全年 of a plan is the plan year; without the report year there is no telling
        said = f"{report_year}年"
    period = lexicon.to_halfwidth(metric.period).strip()
    said_year, said_part = _split_period(said)
    if said_year and _prior_year_value(text, last[1], pos):
        said_year, said_part, said = str(int(said_year) - 1), None, f"{int(said_year) - 1}年"
    year, part = _split_period(period)
    if said_year and year and said_year != year:
        return False, f"the source states {said}, not {period}"
    if said_part is None:
        if part is not None and said_year:
            return False, f"the source states the year {said}, not {period}"
        return True, ""
    if not _from_january(said_part):
        if part is None or _from_january(part):
            return None, ""  # a window inside the year dates an event, not the flow's span
        return (True, "") if part == said_part else (False, f"the source states {said}, not {period}")
    if part is None:
        return False, f"the source states {said}, not the full year {period}"
    return (True, "") if part == said_part else (False, f"the source states {said}, not {period}")


_CUMULATIVE = {"前三季度": "1-9月", "前两季度": "1-6月", "前二季度": "1-6月", "上半年": "1-6月", "一季度": "1-3月"}


@lru_cache(maxsize=1024)
def _split_period(period: str) -> tuple[str | None, str | None]:
    """("2024", "1-9月") from 2024年前三季度; the part is None for a whole year, in one spelling per span."""
    m = re.match(r"(\d{4})年?", period)
    year = m.group(1) if m else None
    part = period[m.end() :] if m else period
    part = re.sub(r"^第", "", part.strip()).replace("份", "")
    part = re.sub(r"^(\d+)月?[-至到~](\d+)月$", r"\1-\2月", part)
    part = _CUMULATIVE.get(part, part)
    return year, (part or None) if _PARTIAL_PERIOD.search(part or "") else None


def _from_january(part: str) -> bool:
    return part.startswith("1-") or part == "1月"


def _last_stated(index: SourceIndex, start: int, end: int) -> tuple[int, int, str] | None:
    """The last period stated in ``[start, end)`` that is no base year, by bisection.

    The periods that are not base years are picked once per index, so a sentence holding
    thousands of them costs each figure one bisection, not a walk over the sentence.
    """
    stated = _stated(index)
    k = bisect_left(stated, (end, -1, "")) - 1
    return stated[k] if k >= 0 and stated[k][0] >= start else None


def _dates_yardstick(text: str, period: tuple[int, int, str], pos: int) -> bool:
    """完成全年任务的52.3%: 全年 dates the task a figure after 的 is measured against, not the figure; the task's own
    amount (完成全年目标5.1亿元的75.7%: 5.1亿元) is the year's."""
    end = period[1]
    return text.startswith(lexicon.COMPLETION_YARDSTICKS, end) and lexicon.CHECK_SHARE_BASE_END in text[end:pos]


def _noted(index: SourceIndex, pos: int) -> tuple[int, int, str] | None:
    """The first period stated in a bracketed note right after the figure at ``pos``: 环比增长8.3%（第四季度对比第三季度）
    is the fourth quarter's, whatever its sentence said before (全年…). None without such a note."""
    if not _PAREN_NEAR.search(index.view, pos, pos + _NOTE_REACH):
        return None  # most figures: no bracket near them at all
    figure = next((index.figures[k] for k in index.figures_between(pos, pos + _FIGURE_REACH) if index.figures[k].quantity.start == pos), None)
    if figure is None:
        return None
    note = _NOTE_AFTER.match(index.view, figure.quantity.end)
    if note is None:
        return None
    stated = _stated(index)
    k = bisect_left(stated, (note.start(), -1, ""))
    return stated[k] if k < len(stated) and stated[k][0] < note.end() else None


_FIGURE_REACH = 16  # characters from a figure's start (its hedge) to its number's
_NOTE_REACH = 48  # characters from a figure's start to its note's bracket, at most
_PAREN_NEAR = re.compile(f"[{lexicon.PAREN_OPEN_CLASS}]")
_NOTE_AFTER = re.compile(f"[{lexicon.SPACE_CLASS}]*[{lexicon.PAREN_OPEN_CLASS}][^{lexicon.PAREN_OPEN_CLASS}{lexicon.PAREN_CLOSE_CLASS}]*[{lexicon.PAREN_CLOSE_CLASS}]")


def _stated(index: SourceIndex) -> list[tuple[int, int, str]]:
    """The periods of the index that are no base year, in order: picked once per index."""
    key = ("stated periods",)
    stated = index.memo.get(key)
    if stated is None:
        stated = index.memo[key] = [p for p in index.periods if not _is_base_year(index.view, p[0])]
    return stated


def _prior_year_value(text: str, start: int, pos: int) -> bool:
    """由上年的38%提高到61%: the figure right after 上年的 is the year before's value, not the stated year's."""
    end = pos
    while end > start and text[end - 1].isspace():
        end -= 1
    before = text[max(start, end - 8) : end]  # the words are short: a bounded look, not the whole stretch
    return any(before.endswith(w + "的") for w in lexicon.PRIOR_YEAR_WORDS)


def _is_base_year(text: str, start: int) -> bool:
    """较2022年增长8家, 由2024年的38%提高到45%: 2022 and 2024 date what is compared against, not the figure."""
    return text[max(0, start - 2) : start].endswith(lexicon.BASE_YEAR_BEFORE + lexicon.CHECK_BASE_YEAR_BEFORE)
