"""Indicator tables with a unit column, a header's unit brackets, two-line headers and no header: the
rules engine reads each bare cell (name from the row, unit from the 单位 cell or the bracket, kind and
period from the column header) and the check verifies a correct cell and rejects one moved to another
row or column. Every table here is invented; each is written in several layouts (tab, runs of ASCII
or full-width spaces, `` | `` as the HTML/DOCX loaders render, a real HTML page and a real .docx) and
in both punctuation widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit import rules, validate
from reportkit.check import check_metric, is_flagged
from reportkit.index import build_index
from reportkit.loading import read
from reportkit.schema import Metric

FULL = {"open": "（", "close": "）", "colon": "：", "comma": "，", "stop": "。"}
ASCII = {"open": "(", "close": ")", "colon": ":", "comma": ",", "stop": "."}

# (label, unit, 上半年完成, 同比增长%, 完成全年目标%)
ROWS = [
    ("一般公共预算收入", "万元", "21870", "5.4", "53.8"),
    ("{sub}税务部门税收", "万元", "16350", "3.9", "50.6"),
    ("规模以上工业总产值", "亿元", "42.7", "9.1", "47.2"),
    ("新登记市场主体", "户", "538", "14.6", "61.3"),
    ("接待游客", "万人次", "86.5", "21.2", "58.9"),
]


def _names(label: str) -> str:
    return label.replace("{sub}", "")


def _expected() -> set[tuple]:
    out = set()
    for label, unit, done, growth, rate in ROWS:
        name = _names(label)
        kind = "count" if unit in ("户", "万人次") else "actual"
        out.add((name, float(done), unit, kind, "2025年上半年"))
        out.add((name, float(growth), "%", "growth_rate", "2025年上半年"))
        out.add((name, float(rate), "%", "completion_rate", "2025年上半年"))
    return out


def _table_lines(p: dict[str, str], header: str) -> list[list[str]]:
    sub = f"其中{p['colon']}"
    if header == "one":
        head = [["指标", "单位", "上半年完成", f"同比增长{p['open']}%{p['close']}", f"完成全年目标{p['open']}%{p['close']}"]]
    elif header == "two":  # the header spans two lines: the second one names the last columns only
        head = [["指标名称", "计量单位", "上半年", "同比", "完成全年"], ["完成", f"增长{p['open']}%{p['close']}", f"目标{p['open']}%{p['close']}"]]
    else:
        raise ValueError(header)
    return head + [[label.replace("{sub}", sub), unit, done, growth, rate] for label, unit, done, growth, rate in ROWS]


def _text(p: dict[str, str], lines: list[list[str]], sep: str) -> str:
    intro = (
        f"柳塘镇2025年上半年工作总结\n一、上半年工作完成情况\n"
        f"上半年{p['comma']}全镇经济运行总体平稳{p['stop']}主要指标完成情况如下表{p['colon']}\n"
    )
    body = []
    for k, cells in enumerate(lines):
        if k == 1 and len(cells) < len(lines[0]):  # a second header line sits under the last columns
            cells = [""] * (len(lines[0]) - len(cells)) + cells
            body.append(sep.join(cells))
        else:
            body.append(sep.join(cells))
    outro = f"二、下半年工作打算\n下半年{p['comma']}全镇将紧盯全年目标{p['comma']}抓好项目建设{p['stop']}\n"
    return intro + "\n".join(body) + "\n" + outro


def _read_cells(doc) -> set[tuple]:
    report = rules.summarize_document(doc)
    return {(m.name, m.value, m.unit, m.kind, m.period) for m in report.metrics if len(m.quote) <= 6}


LAYOUTS = [("tab", "\t"), ("pipe", " | "), ("spaces", "   "), ("fullwidth", "\u3000\u3000")]


def _doc(tmp_path: Path, text: str):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return read(path)


# a two-line header keeps its column positions only where empty cells are written (tab, pipe)
TABLE_CASES = [(layout, sep, "one") for layout, sep in LAYOUTS] + [(layout, sep, "two") for layout, sep in LAYOUTS[:2]]


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("layout,sep,header", TABLE_CASES, ids=[f"{a}-{c}" for a, _, c in TABLE_CASES])
def test_text_table_rows_read_with_unit_column(tmp_path: Path, p: dict[str, str], layout: str, sep: str, header: str) -> None:
    doc = _doc(tmp_path, _text(p, _table_lines(p, header), sep))
    assert _read_cells(doc) == _expected()


def _metric(name: str, value: float, unit: str, kind: str, quote: str) -> Metric:
    return Metric(name=name, value=value, unit=unit, kind=kind, period="2025年上半年", qualifier=None, quote=quote)


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("layout,sep", LAYOUTS, ids=[name for name, _ in LAYOUTS])
def test_check_verifies_cells_and_rejects_moved_ones(tmp_path: Path, p: dict[str, str], layout: str, sep: str) -> None:
    doc = _doc(tmp_path, _text(p, _table_lines(p, "one"), sep))
    index = build_index(doc)
    for label, unit, done, growth, rate in ROWS:
        name = _names(label)
        kind = "count" if unit in ("户", "万人次") else "actual"
        for value, u, k in ((done, unit, kind), (growth, "%", "growth_rate"), (rate, "%", "completion_rate")):
            c = check_metric(_metric(name, float(value), u, k, value), index)
            assert c.status == "verified" and not is_flagged(c), (name, value, c.detail)
    # a cell of another row, under this row's name: never verified
    for a, b in ((0, 1), (1, 0), (2, 4), (4, 3)):
        name, moved = _names(ROWS[a][0]), ROWS[b]
        c = check_metric(_metric(name, float(moved[2]), moved[1], "actual", moved[2]), index)
        assert c.status != "verified", (name, moved[2], c.detail)
        c = check_metric(_metric(name, float(moved[3]), "%", "growth_rate", moved[3]), index)
        assert c.status != "verified", (name, moved[3], c.detail)
    # a cell of another column of the same row: the column header contradicts the kind
    for label, unit, done, growth, rate in ROWS:
        name = _names(label)
        assert is_flagged(check_metric(_metric(name, float(rate), "%", "growth_rate", rate), index))
        assert is_flagged(check_metric(_metric(name, float(growth), "%", "completion_rate", growth), index))
        assert is_flagged(check_metric(_metric(name, float(done), "%", "growth_rate", done), index))


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
def test_header_brackets_give_units_and_years_give_periods(tmp_path: Path, p: dict[str, str]) -> None:
    o, c = p["open"], p["close"]
    lines = [
        f"项目\t2024年{o}亿元{c}\t增速{o}%{c}\t占全镇比重{o}%{c}",
        "农业总产值\t6.84\t3.2\t11.5",
        "工业增加值\t31.9\t7.7\t53.6",
    ]
    text = f"桃源乡2024年工作总结\n一、2024年工作回顾\n全乡主要指标如下{p['colon']}\n" + "\n".join(lines) + "\n"
    got = _read_cells(_doc(tmp_path, text))
    assert got == {
        ("农业总产值", 6.84, "亿元", "actual", "2024"), ("农业总产值", 3.2, "%", "growth_rate", "2024"),
        ("农业总产值", 11.5, "%", "share", "2024"), ("工业增加值", 31.9, "亿元", "actual", "2024"),
        ("工业增加值", 7.7, "%", "growth_rate", "2024"), ("工业增加值", 53.6, "%", "share", "2024"),
    }


@pytest.mark.parametrize("sep", ["\t", " | ", "  "], ids=["tab", "pipe", "spaces"])
def test_table_without_header_takes_the_unit_column(tmp_path: Path, sep: str) -> None:
    rows = ["新建村级道路\t公里\t18.4", "改造农村危房\t户\t57", "新增高标准农田\t万亩\t1.2"]
    text = "石门乡2024年工作总结\n一、2024年工作回顾\n" + "\n".join(r.replace("\t", sep) for r in rows) + "\n"
    got = _read_cells(_doc(tmp_path, text))
    assert got == {
        ("新建村级道路", 18.4, "公里", "actual", "2024"), ("改造农村危房", 57.0, "户", "count", "2024"),
        ("新增高标准农田", 1.2, "万亩", "actual", "2024"),
    }


def test_serial_column_is_not_the_label(tmp_path: Path) -> None:
    lines = ["序号\t指标\t单位\t全年完成\t同比增长(%)", "1\t固定资产投资\t亿元\t12.6\t-3.5", "2\t社会消费品零售总额\t亿元\t9.8\t4.4"]
    text = "河口镇2024年工作总结\n一、2024年工作回顾\n" + "\n".join(lines) + "\n"
    got = _read_cells(_doc(tmp_path, text))
    assert ("固定资产投资", -3.5, "%", "growth_rate", "2024") in got
    assert ("社会消费品零售总额", 9.8, "亿元", "actual", "2024") in got


def _html(p: dict[str, str], two_line: bool) -> str:
    o, c = p["open"], p["close"]
    if two_line:
        head = (
            f"<tr><th rowspan='2'>指标</th><th rowspan='2'>单位</th><th colspan='3'>上半年</th></tr>"
            f"<tr><th>完成</th><th>同比增长{o}%{c}</th><th>完成全年目标{o}%{c}</th></tr>"
        )
    else:
        head = f"<tr><th>指标</th><th>单位</th><th>上半年完成</th><th>同比增长{o}%{c}</th><th>完成全年目标{o}%{c}</th></tr>"
    body = "".join(
        f"<tr><td>{label.replace('{sub}', '其中' + p['colon'])}</td><td>{unit}</td><td>{d}</td><td>{g}</td><td>{r}</td></tr>"
        for label, unit, d, g, r in ROWS
    )
    return (
        "<html><head><meta charset='utf-8'><title>柳塘镇2025年上半年工作总结</title></head><body>"
        "<h1>柳塘镇2025年上半年工作总结</h1><p>一、上半年工作完成情况</p>"
        f"<p>上半年{p['comma']}全镇经济运行总体平稳{p['stop']}</p><table>{head}{body}</table>"
        f"<p>二、下半年工作打算</p><p>下半年{p['comma']}全镇将紧盯全年目标{p['stop']}</p></body></html>"
    )


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("two_line", [False, True], ids=["one-line-header", "two-line-header"])
def test_html_table_gives_the_text_tables_metrics(tmp_path: Path, p: dict[str, str], two_line: bool) -> None:
    path = tmp_path / "page.html"
    path.write_text(_html(p, two_line), encoding="utf-8")
    doc = read(path)
    got = _read_cells(doc)
    assert got == _expected()
    index = build_index(doc)
    assert check_metric(_metric("一般公共预算收入", 21870, "万元", "actual", "21870"), index).status == "verified"
    assert check_metric(_metric("一般公共预算收入", 16350, "万元", "actual", "16350"), index).status != "verified"


def _add_docx_table(d, lines: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    """A DOCX table holding ``lines`` (rows of cell texts) at the end of document ``d``."""
    table = d.add_table(rows=len(lines), cols=len(lines[0]))
    for r, cells in enumerate(lines):
        for k, value in enumerate(cells):
            table.cell(r, k).text = value


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
def test_docx_table_gives_the_text_tables_metrics(tmp_path: Path, p: dict[str, str]) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("柳塘镇2025年上半年工作总结", 0)
    d.add_paragraph("一、上半年工作完成情况")
    d.add_paragraph(f"上半年{p['comma']}全镇经济运行总体平稳{p['stop']}")
    lines = _table_lines(p, "one")
    _add_docx_table(d, lines)
    d.add_paragraph("二、下半年工作打算")
    d.add_paragraph(f"下半年{p['comma']}全镇将紧盯全年目标{p['stop']}")
    path = tmp_path / "report.docx"
    d.save(str(path))
    doc = read(path)
    assert _read_cells(doc) == _expected()
    index = build_index(doc)
    assert check_metric(_metric("新登记市场主体", 538, "户", "count", "538"), index).status == "verified"
    assert is_flagged(check_metric(_metric("新登记市场主体", 61.3, "%", "growth_rate", "61.3"), index))


def test_prose_line_with_wide_spaces_is_no_table(tmp_path: Path) -> None:
    text = "发布时间:2025-03-02  来源:柳塘镇人民政府\n柳塘镇2024年工作总结\n一、2024年工作回顾\n全年新增就业320人.\n"
    report = rules.summarize_document(_doc(tmp_path, text))
    assert [(m.name, m.value) for m in report.metrics] == [("新增就业", 320.0)]


@pytest.mark.parametrize("sep", ["\t", " | "], ids=["tab", "pipe"])
def test_rate_column_never_takes_the_rows_amount_unit(tmp_path: Path, sep: str) -> None:
    lines = ["指标\t单位\t全年完成\t同比增长", "村集体经营性收入\t万元\t486\t7.9", "农村居民人均可支配收入\t元\t23170\t6.6"]
    text = "东坪乡2024年工作总结\n一、2024年工作回顾\n" + "\n".join(r.replace("\t", sep) for r in lines) + "\n"
    got = _read_cells(_doc(tmp_path, text))
    assert ("村集体经营性收入", 486.0, "万元", "actual", "2024") in got
    assert not any(value in (7.9, 6.6) and unit in ("万元", "元") for _, value, unit, _, _ in got)


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("sep", ["\t", " | ", "\u3000\u3000"], ids=["tab", "pipe", "fullwidth-spaces"])
def test_caption_unit_and_change_columns(tmp_path: Path, p: dict[str, str], sep: str) -> None:
    o, c = p["open"], p["close"]
    lines = [
        f"{o}单位{p['colon']}万元{c}",
        f"项目{sep}1-6月{sep}增减{o}%{c}",
        f"税收收入{sep}9630{sep}-2.7",
        f"非税收入{sep}1185{sep}12.4",
    ]
    text = "南坪街道2025年上半年工作总结\n一、上半年工作回顾\n" + "\n".join(lines) + "\n"
    got = _read_cells(_doc(tmp_path, text))
    assert got == {
        ("税收收入", 9630.0, "万元", "actual", "2025年1-6月"), ("税收收入", -2.7, "%", "growth_rate", "2025年1-6月"),
        ("非税收入", 1185.0, "万元", "actual", "2025年1-6月"), ("非税收入", 12.4, "%", "growth_rate", "2025年1-6月"),
    }


# --- columns headed by a year or a period ---------------------------------------------------------
# (label, unit, 2024年, 2025年, 增长%): "" is an empty cell
YEAR_ROWS = [
    ("地区生产总值", "亿元", "28.6", "30.9", "8.0"),
    ("一般公共预算收入", "万元", "7340", "7905", "7.7"),
    ("{sub}税收收入", "万元", "5210", "5630", "8.1"),
    ("规模以上工业增加值", "亿元", "9.4", "", "6.2"),
    ("新增市场主体", "户", "366", "402", "9.8"),
    ("农村居民人均可支配收入", "元", "24180", "25630", ""),
]


def _year_cells(before: str = "2024") -> list[tuple[str, str, str, str, str]]:
    """(name, cell text, unit, kind, period) of every filled cell of ``YEAR_ROWS``."""
    out = []
    for label, unit, old, new, rate in YEAR_ROWS:
        name, kind = _names(label), "count" if unit == "户" else "actual"
        for value, u, k, period in ((old, unit, kind, before), (new, unit, kind, "2025"), (rate, "%", "growth_rate", "2025")):
            if value:
                out.append((name, value, u, k, period))
    return out


def _year_expected(before: str = "2024") -> set[tuple]:
    return {(name, float(value), u, k, period) for name, value, u, k, period in _year_cells(before)}


def _year_text(p: dict[str, str], layout: str, head: tuple[str, ...] = ("2024年", "2025年"), growth: str = "增长") -> str:
    o, c = p["open"], p["close"]
    header = ["指标", "单位", *head, f"{growth}{o}%{c}"]
    rows = [[label.replace("{sub}", f"其中{p['colon']}"), unit, a, b, r] for label, unit, a, b, r in YEAR_ROWS]
    if layout == "markdown":  # | a | b |, a rule row under the header
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join([":---"] + ["---:"] * 4) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    elif layout == "compact":  # |a|b|, no rule row
        lines = ["|" + "|".join(cells) + "|" for cells in [header, *rows]]
    elif layout == "pipe":  # as the HTML and docx loaders render a row
        lines = [" | ".join(cells) for cells in [header, *rows]]
    elif layout == "tab":
        lines = ["\t".join(cells) for cells in [header, *rows]]
    else:  # runs of spaces keep no empty cell: the genre writes a dash there
        lines = ["    ".join(x or "—" for x in cells) for cells in [header, *rows]]
    return (
        f"青石镇2025年工作总结\n一、2025年工作回顾\n2025年{p['comma']}全镇经济稳中有进{p['stop']}"
        f"主要指标完成情况如下{p['colon']}\n" + "\n".join(lines) + "\n"
        f"二、2026年工作打算\n全镇将抓好项目建设{p['comma']}稳住经济大盘{p['stop']}\n"
    )


YEAR_LAYOUTS = ["markdown", "compact", "pipe", "tab", "spaces"]


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("layout", YEAR_LAYOUTS)
def test_year_columns_give_each_cell_its_year(tmp_path: Path, p: dict[str, str], layout: str) -> None:
    assert _read_cells(_doc(tmp_path, _year_text(p, layout))) == _year_expected()


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize(
    "head,growth", [(("2024", "2025"), "增长"), (("上年", "本年"), "比上年增长"), (("2024年度", "2025年度"), "增速"), (("去年", "今年"), "较上年增减")]
)
def test_year_headers_in_other_spellings(tmp_path: Path, p: dict[str, str], head: tuple[str, str], growth: str) -> None:
    """The year before is a column's period, but in 比上年增长 only what the growth is compared with."""
    assert _read_cells(_doc(tmp_path, _year_text(p, "markdown", head, growth))) == _year_expected()


def _year_metric(name: str, value: str, unit: str, kind: str, period: str) -> dict:
    return {"name": name, "value": float(value), "unit": unit, "kind": kind, "period": period, "qualifier": None, "quote": value}


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("layout", ["markdown", "pipe", "tab"])
def test_validate_verifies_year_cells_and_flags_moved_ones(tmp_path: Path, p: dict[str, str], layout: str) -> None:
    doc = _doc(tmp_path, _year_text(p, layout))
    good = _year_cells()
    checked = validate({"meta": {"report_year": 2025}, "metrics": [_year_metric(*cell) for cell in good]}, doc)
    assert [m.check.status for m in checked.metrics] == ["verified"] * len(good)
    assert not any(is_flagged(m.check) for m in checked.metrics), [(m.name, m.value, m.check.detail) for m in checked.metrics if is_flagged(m.check)]
    moved = [
        # another column of the same row: last year's figure as this year's, and back
        _year_metric("地区生产总值", "28.6", "亿元", "actual", "2025"),
        _year_metric("一般公共预算收入", "7905", "万元", "actual", "2024"),
        _year_metric("新增市场主体", "9.8", "%", "growth_rate", "2024"),
        # the growth column is no amount
        _year_metric("一般公共预算收入", "7.7", "万元", "actual", "2025"),
        # another row's figure under this row's name
        _year_metric("地区生产总值", "9.4", "亿元", "actual", "2024"),
        _year_metric("一般公共预算收入", "5630", "万元", "actual", "2025"),
        _year_metric("新增市场主体", "8.1", "%", "growth_rate", "2025"),
    ]
    checked = validate({"meta": {"report_year": 2025}, "metrics": moved}, doc)
    assert all(is_flagged(m.check) for m in checked.metrics), [(m.name, m.value, m.check.status) for m in checked.metrics if not is_flagged(m.check)]


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
def test_header_bracket_unit_and_no_unit_column(tmp_path: Path, p: dict[str, str]) -> None:
    o, c = p["open"], p["close"]
    lines = [
        f"| 项目 | 2023年{o}万元{c} | 2024年{o}万元{c} | 增减{o}%{c} |",
        "| --- | --- | --- | --- |",
        "| 村集体经营性收入 | 312 | 356 | 14.1 |",
        "| 土地流转收入 | 95 |  | -4.0 |",
    ]
    text = "白沙乡2024年工作总结\n一、2024年工作回顾\n全乡集体经济稳步壮大" + p["stop"] + "\n" + "\n".join(lines) + "\n"
    assert _read_cells(_doc(tmp_path, text)) == {
        ("村集体经营性收入", 312.0, "万元", "actual", "2023"), ("村集体经营性收入", 356.0, "万元", "actual", "2024"),
        ("村集体经营性收入", 14.1, "%", "growth_rate", "2024"), ("土地流转收入", 95.0, "万元", "actual", "2023"),
        ("土地流转收入", -4.0, "%", "growth_rate", "2024"),
    }


@pytest.mark.parametrize("sep", ["\t", " | "], ids=["tab", "pipe"])
@pytest.mark.parametrize("now,then,span", [("1-6月", "去年同期", "1-6月"), ("上半年", "上年同期", "上半年"), ("2025年1-6月", "上年同期", "1-6月")])
def test_same_span_of_last_year_and_label_units(tmp_path: Path, sep: str, now: str, then: str, span: str) -> None:
    lines = [f"指标\t{now}\t{then}\t同比(%)", "工业总产值（亿元）\t18.2\t16.9\t7.7", "实际利用外资（万美元）\t640\t702\t-8.8"]
    text = "东湖街道2025年上半年工作总结\n一、上半年工作回顾\n" + "\n".join(r.replace("\t", sep) for r in lines) + "\n"
    this, last = f"2025年{span}", f"2024年{span}"
    assert _read_cells(_doc(tmp_path, text)) == {
        ("工业总产值", 18.2, "亿元", "actual", this), ("工业总产值", 16.9, "亿元", "actual", last),
        ("工业总产值", 7.7, "%", "growth_rate", this), ("实际利用外资", 640.0, "万美元", "actual", this),
        ("实际利用外资", 702.0, "万美元", "actual", last), ("实际利用外资", -8.8, "%", "growth_rate", this),
    }


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("sep", ["\t", " | ", "   "], ids=["tab", "pipe", "spaces"])
def test_three_columns_under_a_caption_unit(tmp_path: Path, p: dict[str, str], sep: str) -> None:
    lines = [f"{p['open']}单位{p['colon']}万元{p['close']}", "项目\t2024年\t2025年", "财政总收入\t9120\t9655", "民生支出\t6310\t6872"]
    text = "西岭乡2025年工作总结\n一、2025年工作回顾\n" + "\n".join(r.replace("\t", sep) for r in lines) + "\n"
    assert _read_cells(_doc(tmp_path, text)) == {
        ("财政总收入", 9120.0, "万元", "actual", "2024"), ("财政总收入", 9655.0, "万元", "actual", "2025"),
        ("民生支出", 6310.0, "万元", "actual", "2024"), ("民生支出", 6872.0, "万元", "actual", "2025"),
    }


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
def test_target_columns_take_their_year(tmp_path: Path, p: dict[str, str]) -> None:
    o, c = p["open"], p["close"]
    lines = [
        f"序号\t指标\t单位\t2025年完成\t2026年目标\t目标增速{o}%{c}",
        "1\t地区生产总值\t亿元\t30.9\t33.2\t7.5",
        "2\t固定资产投资\t亿元\t11.6\t12.5\t8",
    ]
    text = "青石镇2025年工作总结\n一、2025年工作回顾\n" + "\n".join(lines) + "\n"
    assert _read_cells(_doc(tmp_path, text)) == {
        ("地区生产总值", 30.9, "亿元", "actual", "2025"), ("地区生产总值", 33.2, "亿元", "target", "2026"),
        ("地区生产总值", 7.5, "%", "target", "2026"), ("固定资产投资", 11.6, "亿元", "actual", "2025"),
        ("固定资产投资", 12.5, "亿元", "target", "2026"), ("固定资产投资", 8.0, "%", "target", "2026"),
    }


def test_plan_column_and_completion(tmp_path: Path) -> None:
    lines = ["指标 | 单位 | 年度计划 | 全年完成 | 完成计划(%)", "新建改建农村公路 | 公里 | 25 | 27.5 | 110", "改造农村危房 | 户 | 60 | 57 | 95"]
    text = "石门乡2024年工作总结\n一、2024年工作回顾\n" + "\n".join(lines) + "\n"
    assert _read_cells(_doc(tmp_path, text)) == {
        ("新建改建农村公路", 25.0, "公里", "target", "2024"), ("新建改建农村公路", 27.5, "公里", "actual", "2024"),
        ("新建改建农村公路", 110.0, "%", "completion_rate", "2024"), ("改造农村危房", 60.0, "户", "target", "2024"),
        ("改造农村危房", 57.0, "户", "count", "2024"), ("改造农村危房", 95.0, "%", "completion_rate", "2024"),
    }


def _year_html(p: dict[str, str]) -> str:
    o, c = p["open"], p["close"]
    head = "".join(f"<th>{h}</th>" for h in ("指标", "单位", "2024年", "2025年", f"增长{o}%{c}"))
    body = "".join(
        "<tr>" + "".join(f"<td>{x}</td>" for x in (label.replace("{sub}", "其中" + p["colon"]), unit, a, b, r)) + "</tr>"
        for label, unit, a, b, r in YEAR_ROWS
    )
    return (
        "<html><head><meta charset='utf-8'><title>青石镇2025年工作总结</title></head><body>"
        "<h1>青石镇2025年工作总结</h1><p>一、2025年工作回顾</p>"
        f"<p>2025年{p['comma']}全镇经济稳中有进{p['stop']}</p><table><tr>{head}</tr>{body}</table>"
        f"<p>二、2026年工作打算</p><p>全镇将抓好项目建设{p['stop']}</p></body></html>"
    )


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
def test_year_table_from_html_and_docx(tmp_path: Path, p: dict[str, str]) -> None:
    path = tmp_path / "page.html"
    path.write_text(_year_html(p), encoding="utf-8")
    assert _read_cells(read(path)) == _year_expected()
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("青石镇2025年工作总结", 0)
    d.add_paragraph("一、2025年工作回顾")
    d.add_paragraph(f"2025年{p['comma']}全镇经济稳中有进{p['stop']}")
    o, c = p["open"], p["close"]
    lines = [["指标", "单位", "2024年", "2025年", f"增长{o}%{c}"]]
    lines += [[label.replace("{sub}", "其中" + p["colon"]), unit, a, b, r] for label, unit, a, b, r in YEAR_ROWS]
    _add_docx_table(d, lines)
    d.add_paragraph("二、2026年工作打算")
    d.add_paragraph(f"全镇将抓好项目建设{p['stop']}")
    path = tmp_path / "report.docx"
    d.save(str(path))
    doc = read(path)
    assert _read_cells(doc) == _year_expected()
    checked = validate({"meta": {"report_year": 2025}, "metrics": [_year_metric("税收收入", "5210", "万元", "actual", "2024"),
                                                                    _year_metric("税收收入", "5210", "万元", "actual", "2025")]}, doc)
    assert [is_flagged(m.check) for m in checked.metrics] == [False, True]


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("source", ["html", "tab"])
def test_year_over_two_columns(tmp_path: Path, p: dict[str, str], source: str) -> None:
    """A header line whose years stand over two columns each (完成 | 增长): each growth is of its own year."""
    o, c = p["open"], p["close"]
    rows = [("工业总产值", "亿元", "20.4", "6.3", "19.2", "5.1"), ("社会消费品零售总额", "亿元", "8.7", "4.8", "8.3", "-1.2")]
    if source == "html":
        head = (
            "<tr><th rowspan='2'>指标</th><th rowspan='2'>单位</th><th colspan='2'>2025年</th><th colspan='2'>2024年</th></tr>"
            f"<tr><th>完成</th><th>增长{o}%{c}</th><th>完成</th><th>增长{o}%{c}</th></tr>"
        )
        body = "".join("<tr>" + "".join(f"<td>{x}</td>" for x in r) + "</tr>" for r in rows)
        path = tmp_path / "page.html"
        path.write_text(
            "<html><head><meta charset='utf-8'><title>安平镇2025年工作总结</title></head><body><h1>安平镇2025年工作总结</h1>"
            f"<p>一、2025年工作回顾</p><table>{head}{body}</table><p>二、2026年工作打算</p><p>全镇将抓好项目建设{p['stop']}</p></body></html>",
            encoding="utf-8",
        )
        doc = read(path)
    else:
        lines = ["指标\t单位\t2025年\t\t2024年\t", f"\t\t完成\t增长{o}%{c}\t完成\t增长{o}%{c}"] + ["\t".join(r) for r in rows]
        doc = _doc(tmp_path, "安平镇2025年工作总结\n一、2025年工作回顾\n" + "\n".join(lines) + "\n")
    expected = set()
    for name, unit, a, ga, b, gb in rows:
        expected |= {(name, float(a), unit, "actual", "2025"), (name, float(ga), "%", "growth_rate", "2025"),
                     (name, float(b), unit, "actual", "2024"), (name, float(gb), "%", "growth_rate", "2024")}
    assert _read_cells(doc) == expected
    checked = validate({"meta": {"report_year": 2025}, "metrics": [_year_metric("工业总产值", "5.1", "%", "growth_rate", "2024"),
                                                                    _year_metric("工业总产值", "5.1", "%", "growth_rate", "2025")]}, doc)
    assert [is_flagged(m.check) for m in checked.metrics] == [False, True]


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
@pytest.mark.parametrize("gap", ["\u3000\u3000", "    "], ids=["fullwidth-spaces", "spaces"])
def test_plain_text_year_table_with_units_in_cells(tmp_path: Path, p: dict[str, str], gap: str) -> None:
    """A plain-text row's 36.2亿元 is read as prose from its label, but dated by its column; the check agrees."""
    lines = ["指标", "2024年", "2025年", "增长"], ["地区生产总值", "36.2亿元", "38.9亿元", "7.5%"], ["新增市场主体", "412户", "455户", "10.4%"]
    text = f"柳溪镇2025年工作总结\n一、2025年主要工作\n主要指标如下{p['colon']}\n" + "\n".join(gap.join(r) for r in lines) + "\n"
    doc = _doc(tmp_path, text)
    report = rules.summarize_document(doc)
    got = {(m.name, m.value, m.unit, m.kind, m.period) for m in report.metrics}
    assert got == {
        ("地区生产总值", 36.2, "亿元", "actual", "2024"), ("地区生产总值", 38.9, "亿元", "actual", "2025"),
        ("地区生产总值", 7.5, "%", "growth_rate", "2025"), ("新增市场主体", 412.0, "户", "count", "2024"),
        ("新增市场主体", 455.0, "户", "count", "2025"), ("新增市场主体", 10.4, "%", "growth_rate", "2025"),
    }
    checked = validate(report, doc)
    assert not any(is_flagged(m.check) for m in checked.metrics), [(m.name, m.value, m.check.detail) for m in checked.metrics]
