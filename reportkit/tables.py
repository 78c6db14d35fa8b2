"""Indicator tables written as text rows: cells, header, unit column. Text → the table cell a figure fills.

The genre prints its 主要指标 as a table: a row label (the indicator), often a 单位/计量单位 cell,
then bare numbers whose column header says what they are (上半年完成, 同比增长(%), 完成全年目标(%)).
Loaders render a table row as cells joined by `` | `` (HTML, docx); text exports use a tab or a
run of spaces, Markdown ``| a | b |`` rows under a ``|---|`` rule. A bare number takes its unit from
the column header's bracket (同比增长(%)), else the row's unit cell, else the row label's bracket
(地区生产总值（亿元）). The most common published shape heads its columns by periods
(| 指标 | 单位 | 2024年 | 2025年 | 增长(%) |, 上年 | 本年, 1-6月 | 去年同期, 2026年目标): each cell is of
its column's period (``cell_period``), a rate column of the latest one to its left. Tables are found
once per text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from . import lexicon
from .numbers import find_periods, find_quantities

_SEPARATOR = re.compile(rf"\t| \| |[ \u3000]{{2,}}|(?m:^)[ \u3000]*[{lexicon.TABLE_PIPES}]")
_SPACES = re.compile(r"[ \u3000]{2,}")
_BRACKET = re.compile(f"[{lexicon.PAREN_OPEN_CLASS}]([^{lexicon.PAREN_CLOSE_CLASS}]{{1,8}})[{lexicon.PAREN_CLOSE_CLASS}]")
_TRAILING_PERCENT = re.compile(r"[%\uff05]$")
_NUMBER_CELL = re.compile(r"^[+\-\uff0d\u2212]?[0-9\uff10-\uff19]+(?:[.\uff0e][0-9\uff10-\uff19]+)?\s*(?P<unit>[%\uff05]|[^\d\s]{1,6})?$")
_ROW_LABEL = re.compile(
    rf"^(?:[0-9]{{1,2}}[{lexicon.ARABIC_MARKER_END_CLASS}]?\s*)?(?:{lexicon.TABLE_SUB_ROW}[{lexicon.COLON_CLASS}]?)?\s*"
    rf"(?P<label>.+?)\s*(?:[{lexicon.PAREN_OPEN_CLASS}](?P<unit>[^{lexicon.PAREN_CLOSE_CLASS}]{{1,8}})[{lexicon.PAREN_CLOSE_CLASS}])?$"
)
_CAPTION_UNIT = re.compile(
    f"(?:{'|'.join(map(re.escape, lexicon.TABLE_UNIT_HEADERS))})[{lexicon.COLON_CLASS}]\\s*([^\\s{lexicon.char_class(lexicon.CLAUSE_BREAKS + lexicon.ENUMERATION_COMMA + lexicon.PAREN_CLOSE)}]{{1,6}})"
    f"(?:[{lexicon.char_class(lexicon.COMMAS + lexicon.SEMICOLONS + lexicon.ENUMERATION_COMMA)}/][^\\n]{{0,12}})?[{lexicon.SPACE_CLASS}{lexicon.PAREN_CLOSE_CLASS}]*$"
)
_RATE_KINDS = ("growth_rate", "completion_rate", "share")
_SERIAL = re.compile(r"^[0-9]{1,2}[.\uff0e\u3001]?$")
_PIPE = re.compile(f"[{lexicon.TABLE_PIPES}]")
_RULE_CELL = re.compile(f"^[{lexicon.TABLE_RULE_CHARS}]+$")
# a header's year cell (2024年, 2025, 2024年度): no figure of the row, the period of its column
_YEAR_CELL = re.compile(r"^(?:19|20)[0-9]{2}(?:年度?)?$")
_YEAR_PREFIX = re.compile(r"^(?:(?:19|20)[0-9]{2}年?)?")
_BARE_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class TableCell:
    """A figure that fills one cell of an indicator table row."""

    label: str  # the row's indicator: serial, 其中： and unit bracket removed
    unit: str  # the unit the table gives a bare number (column bracket, 单位 cell, label bracket); "" if none
    header: str  # the column's header (the cells of a two-line header joined)
    column: int
    start: int
    end: int
    spaced: bool  # cells separated by runs of spaces (a plain-text table), not tabs or pipes
    headers: tuple[str, ...] = ()  # every column's header, for a period stated only in a column to the left
    row: int = 0  # this row's place among ``labels``
    labels: tuple[str, ...] = ()  # the row labels of the whole table, to tell which row a name means
    group: str = ""  # the header line above over this column and others (2025年 over 完成 | 增长(%)), if not in ``header``


@dataclass(frozen=True)
class _Row:
    start: int
    cells: tuple[tuple[int, int], ...]  # text offsets of each cell's stripped content
    spaced: bool
    rule: bool = False  # a Markdown |---|---| line between the header and the body


@functools.lru_cache(maxsize=1024)
def is_unit(unit: str) -> bool:
    """Whether ``unit`` (亿元, 万平方米, %, 户) is a unit the figure reader knows."""
    probe = find_quantities("1" + unit)
    return len(probe) == 1 and probe[0].unit == unit and probe[0].end == len(unit) + 1


def _split(text: str, start: int, end: int) -> _Row | None:
    """The cells of the line ``text[start:end]``, or None when it is no table row."""
    line = text[start:end]
    lo = len(line) - len(line.lstrip())
    hi = len(line.rstrip())
    if lo and line.startswith("|", lo):
        lo -= 1  # " |  | 完成": a row opening with empty cells keeps their places
    body = line[lo:hi]
    if body[:1] and body[0] in lexicon.TABLE_PIPES and len(body) > 1:
        return _split_pipes(start + lo, body)
    if "\t" in body:
        parts, sep, spaced = body.split("\t"), 1, False
        offsets, pos = [], 0
        for p in parts:
            offsets.append(pos)
            pos += len(p) + sep
    elif " | " in body:
        if body.endswith(" |"):
            body = body[:-2].rstrip()  # a | written after the last cell closes the row
        parts, spaced = body.split(" | "), False
        offsets, pos = [], 0
        for p in parts:
            offsets.append(pos)
            pos += len(p) + 3
    else:
        parts, offsets, pos, spaced = [], [], 0, True
        for m in _SPACES.finditer(body):
            parts.append(body[pos : m.start()])
            offsets.append(pos)
            pos = m.end()
        parts.append(body[pos:])
        offsets.append(pos)
    if len(parts) < 2:
        return None
    cells = []
    for p, off in zip(parts, offsets):
        a = start + lo + off + (len(p) - len(p.lstrip()))
        b = start + lo + off + len(p.rstrip())
        cells.append((a, max(a, b)))
    return _Row(start, tuple(cells), spaced)


def _split_pipes(start: int, body: str) -> _Row | None:
    """A Markdown row ``| a | b |`` (or ``|a|b|``): the cells between its pipes; a rule row ``|---|:--:|``
    is a row of no cells, which parts the header from the body without ending the table."""
    inner = body[1 : len(body) - 1] if body[-1] in lexicon.TABLE_PIPES else body[1:]
    parts = _PIPE.split(inner)
    if len(parts) < 2:
        return None
    cells, pos = [], start + 1
    for p in parts:
        a = pos + len(p) - len(p.lstrip())
        cells.append((a, max(a, pos + len(p.rstrip()))))
        pos += len(p) + 1
    if all(_RULE_CELL.match(p.strip()) for p in parts):
        return _Row(start, (), False, rule=True)
    return _Row(start, tuple(cells), False)


class Tables:
    """The table rows of a text, grouped into blocks with their header rows and unit column."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cells: dict[tuple[int, int], TableCell] = {}
        self._by_start: dict[int, TableCell] = {}
        lines: list[tuple[int, int]] = []
        last = -1
        for m in _SEPARATOR.finditer(text):
            if m.start() <= last:
                continue
            s = text.rfind("\n", 0, m.start()) + 1
            e = text.find("\n", m.end())
            e = len(text) if e < 0 else e
            lines.append((s, e))
            last = e
        block: list[_Row] = []
        prev_end = -2
        for s, e in lines:
            row = _split(text, s, e)
            if row is None or s != prev_end + 1 or (block and row.spaced != block[-1].spaced):
                self._block(block)
                block = []
            if row is not None and not row.rule:
                block.append(row)
            prev_end = e
        self._block(block)

    def __len__(self) -> int:
        """How many figure cells the text's tables hold."""
        return len(self._cells)

    def cell(self, start: int, end: int) -> TableCell | None:
        """The table cell whose whole text is ``text[start:end]``, if any."""
        return self._cells.get((start, end))

    def cell_at(self, start: int) -> TableCell | None:
        """The table cell that starts at ``start``, if any."""
        return self._by_start.get(start)

    # -- building -------------------------------------------------------------------------------

    def _is_data(self, row: _Row) -> bool:
        """A row holding a figure cell (68.4, 5.9%, 56.8亿元); a header's 2024年完成 is no figure."""
        for a, b in row.cells[1:]:
            if _YEAR_CELL.match(self.text[a:b]):
                continue  # | 指标 | 2024年 | 2025年 |: the header's years head their columns
            m = _NUMBER_CELL.match(self.text[a:b])
            if m and (not m.group("unit") or m.group("unit") in "%\uff05" or is_unit(m.group("unit"))):
                return True
        return False

    def _caption_unit(self, start: int) -> str:
        """The unit of a 单位：万元 line right above a table (or ending the line above it)."""
        if start < 2:
            return ""
        above = self.text[self.text.rfind("\n", 0, start - 1) + 1 : start - 1]
        m = _CAPTION_UNIT.search(above)
        return m.group(1) if m and is_unit(m.group(1)) else ""

    def _block(self, rows: list[_Row]) -> None:
        if not rows:
            return
        text = self.text
        head = 0
        while head < len(rows) and not self._is_data(rows[head]):
            head += 1
        data = rows[head:]
        if not data:
            return
        if rows[0].spaced and len(data) < 2:
            return  # one line with wide spaces is prose (发布时间:…  来源:…), not a table
        width = max(len(r.cells) for r in data)
        headers = [""] * width
        groups = [""] * width  # a first header line's cell over several columns: | 2025年 |  | 2024年 |  |
        for k, r in enumerate(rows[:head]):
            cells = [text[a:b] for a, b in r.cells]
            shift = width - len(cells) if k and len(cells) < width else 0  # a second header line under the last columns
            for j, c in enumerate(cells):
                if 0 <= j + shift < width and c:
                    headers[j + shift] += c
            if k == 0 and head > 1:
                for j in range(1, min(len(cells), width)):
                    groups[j] = cells[j] or groups[j - 1]
                for j in range(len(cells), width):
                    groups[j] = groups[j - 1]
        label_col = 1 if _SERIAL.match(headers[0]) or headers[0] in lexicon.TABLE_SERIAL_HEADERS else 0
        if label_col == 0 and all(_SERIAL.match(text[r.cells[0][0] : r.cells[0][1]]) for r in data) and width > 2:
            label_col = 1
        unit_col = next((j for j, h in enumerate(headers) if h.strip() in lexicon.TABLE_UNIT_HEADERS), None)
        if unit_col is None and head == 0:  # no header: a column that holds a unit in every row
            for j in range(label_col + 1, width):
                col = [text[r.cells[j][0] : r.cells[j][1]] for r in data if j < len(r.cells)]
                if len(col) == len(data) and all(c and is_unit(c) for c in col):
                    unit_col = j
                    break
        column_units = [_header_unit(h) for h in headers]
        caption = self._caption_unit(rows[0].start)  # 单位：万元 above the table: every amount's unit
        labels: list[str] = []
        cells: list[TableCell] = []
        for r in data:
            if len(r.cells) <= label_col:
                continue
            label_m = _ROW_LABEL.match(text[r.cells[label_col][0] : r.cells[label_col][1]])
            if label_m is None:
                continue
            label = label_m.group("label").strip()
            labels.append(label)
            label_unit = label_m.group("unit") or ""
            row_unit = ""
            if unit_col is not None and unit_col < len(r.cells):
                u = text[r.cells[unit_col][0] : r.cells[unit_col][1]].strip()
                row_unit = u if u and is_unit(u) else ""
            first_value = True
            for j, (a, b) in enumerate(r.cells):
                if j <= label_col or j == unit_col or a == b:
                    continue
                unit = column_units[j] if j < width else ""
                if not unit and column_kind(headers[j] if j < width else "") not in _RATE_KINDS:
                    # a rate column gives no amount's unit; without a header only the first value
                    # column is the row's amount (一般公共预算收入 | 万元 | 18640 | 6.3)
                    unit = (row_unit if head or first_value else "") or (label_unit if is_unit(label_unit) else "") or caption
                first_value = False
                header = headers[j] if j < width else ""
                group = groups[j] if j < width and groups[j] not in header else ""
                cells.append(TableCell(label, unit, header, j, a, b, r.spaced, tuple(headers), len(labels) - 1, group=group))
        for cell in cells:
            self._cells[(cell.start, cell.end)] = replace(cell, labels=tuple(labels))
            self._by_start[cell.start] = self._cells[(cell.start, cell.end)]


def _header_unit(header: str) -> str:
    """The unit a column header gives its cells: 同比增长(%) → %, 金额（亿元） → 亿元."""
    m = _BRACKET.search(header)
    if m and is_unit(m.group(1).strip()):
        return lexicon.to_halfwidth(m.group(1).strip()) if m.group(1).strip() in "%\uff05" else m.group(1).strip()
    if _TRAILING_PERCENT.search(header):
        return "%"
    return ""


def column_kind(header: str) -> str | None:
    """What a column header says its cells are: growth_rate (同比增长), completion_rate (完成全年目标%),
    share (占比), target (全年目标), actual (上半年完成, 2024年); None for no header."""
    if not header:
        return None
    if any(w in header for w in lexicon.COMPLETION_WORDS) or (
        any(w in header for w in lexicon.COMPLETION_VERBS) and any(w in header for w in lexicon.COMPLETION_YARDSTICKS)
    ):
        return "completion_rate"
    if any(w in header for w in lexicon.COMPARISON_WORDS + lexicon.UP_WORDS + lexicon.DOWN_WORDS + lexicon.TABLE_CHANGE_HEADER_WORDS):
        return "growth_rate"
    if any(w in header for w in lexicon.CHECK_SHARE_WORDS):
        return "share"
    if any(w in header for w in lexicon.TARGET_CLAUSE_CUES + lexicon.TARGET_SENTENCE_CUES):
        return "target"
    return "actual"


@dataclass(frozen=True)
class ColumnPeriod:
    """The period a column header states, before the report year resolves it."""

    label: str  # as find_periods writes it (2024年, 1-6月, 上半年, 2025年1-6月) or a year word (本年); "" for the year before
    back: int = 0  # years before the year reviewed (上年, 去年同期: 1)
    same_span: bool = False  # 去年同期: the report's own span (1-6月), a year back

    def year(self, report_year: int | None) -> int | None:
        """The year the column's figures are of; None when neither the header nor the report says it."""
        m = re.match(r"((?:19|20)[0-9]{2})年?", self.label)
        if m:
            return int(m.group(1))
        return report_year - self.back if report_year else None


@functools.lru_cache(maxsize=1024)
def header_period(header: str) -> ColumnPeriod | None:
    """The period a column header names: 2024年 / 2025 / 2025年1-6月 / 上半年 / 本年 / 上年 / 去年同期; None if none."""
    if not header:
        return None
    # 比上年增长(%), 较去年同期: the year compared against is no period of the column
    found = [p[2] for p in find_periods(header) if not header[max(0, p[0] - 2) : p[0]].endswith(lexicon.BASE_YEAR_BEFORE)]
    if not found and any(header[max(0, p[0] - 2) : p[0]].endswith(lexicon.BASE_YEAR_BEFORE) for p in find_periods(header)):
        return None
    prior = [p for p in found if p in lexicon.PRIOR_YEAR_WORDS]
    if prior:
        own = [p for p in found if p not in lexicon.PRIOR_YEAR_WORDS]
        same = any(w in header for w in lexicon.TABLE_SAME_SPAN_WORDS)
        return ColumnPeriod(own[-1] if own else "", back=1, same_span=same and not own)
    if found:
        return ColumnPeriod(found[-1])
    m = _BARE_YEAR.search(header)
    if m:
        return ColumnPeriod(m.group(1))
    word = next((w for w in lexicon.TABLE_CURRENT_COLUMN_WORDS if w in header), None)
    return ColumnPeriod(lexicon.YEAR_WORDS[0]) if word else None


def _is_target(header: str) -> bool:
    """A column of goals (2026年目标, 计划, 目标增速), not of a rate against a goal (完成全年目标%)."""
    return column_kind(header) != "completion_rate" and any(w in header for w in lexicon.TARGET_CLAUSE_CUES + lexicon.TARGET_SENTENCE_CUES)


def _part(label: str) -> str:
    """The part of the year a period label names (1-6月 of 2025年1-6月, 上半年); "" for a whole year."""
    part = _YEAR_PREFIX.sub("", label)
    return "" if part in lexicon.YEAR_WORDS else part


def cell_period(cell: TableCell) -> ColumnPeriod | None:
    """The period of a cell's figure: its column header's; for a rate column (同比增长, 完成全年目标%)
    or a header without one, the latest period of the columns to its left of its own role, done or
    planned (a growth compares this year's column with last year's: | 2024年 | 2025年 | 增长(%) | is
    2025's; | 2026年目标 | 目标增速(%) | is 2026's)."""
    own = header_period(cell.header)
    kind = column_kind(cell.header)
    if own is None and cell.group:  # | 2025年 (完成 | 增长%) | 2024年 (完成 | 增长%) |: the period over the column
        own = header_period(cell.group)
        if own is not None and kind != "completion_rate":
            return own
    if own is not None and own.same_span:  # | 1-6月 | 去年同期 |: the span of this year's column, a year back
        spans = [_part(p.label) for p in map(header_period, cell.headers) if p is not None and not p.back]
        spans = [p for p in spans if p]
        if spans:
            return ColumnPeriod(spans[-1], back=own.back)
    if own is not None and kind != "completion_rate" or kind == "target":
        return own  # a target column without a period is of the report's own span
    target = _is_target(cell.header)  # | 2026年目标 | 目标增速(%) |: a target's rate is of the target's year
    left = [header_period(h) for h in cell.headers[: cell.column] if _is_target(h) == target]
    left = [p for p in left if p is not None]
    if not left:
        return own
    if kind == "completion_rate":  # 上半年完成 | 同比 | 完成全年目标(%): of the span done (全年 names the yardstick)
        return left[-1]
    return max(reversed(left), key=lambda p: (-p.back, p.year(9999) or 0))  # the rightmost of equals


@functools.lru_cache(maxsize=8)
def tables_of(text: str) -> Tables:
    """The tables of ``text``, found once (a text is indexed and read by both engines and the check)."""
    return Tables(text)


__all__ = ["ColumnPeriod", "TableCell", "Tables", "cell_period", "column_kind", "header_period", "is_unit", "tables_of"]
