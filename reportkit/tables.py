"""Indicator tables written as text rows: cells, header, unit column. Text → the table cell a figure fills.

The genre prints its 主要指标 as a table: a row label (the indicator), often a 单位/计量单位 cell,
then bare numbers whose column header says what they are (上半年完成, 同比增长(%), 完成全年目标(%)).
Loaders render a table row as cells joined by `` | `` (HTML, docx); text exports use a tab or a
run of spaces. A bare number takes its unit from the column header's bracket (同比增长(%)), else the
row's unit cell, else the row label's bracket (地区生产总值（亿元）). Tables are found once per text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from . import lexicon
from .numbers import find_quantities

_SEPARATOR = re.compile(r"\t| \| |[ \u3000]{2,}")
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


@dataclass(frozen=True)
class _Row:
    start: int
    cells: tuple[tuple[int, int], ...]  # text offsets of each cell's stripped content
    spaced: bool


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
    if "\t" in body:
        parts, sep, spaced = body.split("\t"), 1, False
        offsets, pos = [], 0
        for p in parts:
            offsets.append(pos)
            pos += len(p) + sep
    elif " | " in body:
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
            if row is not None:
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
        for k, r in enumerate(rows[:head]):
            cells = [text[a:b] for a, b in r.cells]
            shift = width - len(cells) if k and len(cells) < width else 0  # a second header line under the last columns
            for j, c in enumerate(cells):
                if 0 <= j + shift < width and c:
                    headers[j + shift] += c
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
                cells.append(TableCell(label, unit, header, j, a, b, r.spaced, tuple(headers), len(labels) - 1))
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


@functools.lru_cache(maxsize=8)
def tables_of(text: str) -> Tables:
    """The tables of ``text``, found once (a text is indexed and read by both engines and the check)."""
    return Tables(text)


__all__ = ["TableCell", "Tables", "column_kind", "is_unit", "tables_of"]
