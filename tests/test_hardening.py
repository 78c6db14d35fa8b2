"""Hostile and unlucky inputs (issue 14): formula cells, HTML in Markdown, oversized inputs.

Source text is written by someone else: a page may carry spreadsheet formulas or HTML. Every
export a user opens elsewhere (a spreadsheet, a notebook) must show that text, never run it.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import reportkit
from reportkit import exports
from reportkit.document import Document
from reportkit.schema import Check, Failure, Item, Metric, Report

# Lines in the genre's shape with payloads in front of or inside them (OWASP's CSV-injection
# examples, HTML that runs, Markdown links and images that load or run something).
HOSTILE_SOURCE = (
    "某某街道2023年工作总结\n"
    "一、经济发展\n"
    '=HYPERLINK("http://x")地区生产总值134.2亿元,同比增长5.2%。\n'
    "+cmd|' /C calc'!A0税收收入3亿元。\n"
    "@SUM(1+1)*cmd|' /C calc'!A0固定资产投资下降1.5%。\n"
    "二、存在问题\n"
    "<script>alert(1)</script>一是<img src=x onerror=alert(1)>经济下行压力大。\n"
    "三、2024年工作计划\n"
    "1、=1+1力争实现<iframe src=javascript:alert(1)>收入5亿元。[点击](javascript:alert(1)) ![t](http://e/x.png)\n"
)
PAYLOADS = ('=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "\t=1", "\r=1")


def hostile_report() -> Report:
    """A report as a careless or hostile extractor could return it: payloads in every text field."""
    text = HOSTILE_SOURCE
    base = reportkit.summarize(Document(text=text), engine="rules")
    metrics = list(base.metrics)
    for payload in PAYLOADS:
        metrics.append(Metric(name=payload + "地区生产总值", value=-1.5, unit="%", kind="growth_rate", period=payload,
                              quote=payload + "\n> 下降1.5%\n# 标题", check=Check(status="unsupported", detail=payload)))
    items = [Item(title=p + "<b>标题</b>", text=p + "\n## 不是标题", quote=p + "\n\n<script>x()</script>\n- 列表") for p in PAYLOADS]
    run = base.run.model_copy(update={"failures": [Failure(stage="extract", message="<img src=x onerror=alert(1)>\n# boom")]})
    meta = base.meta.model_copy(update={"title": "<script>alert('t')</script>", "organization": "=cmd|' /C calc'!A0",
                                        "source": "@evil.txt"})
    return base.model_copy(update={"metrics": metrics, "problems": items, "plans": items, "meta": meta, "run": run,
                                   "overview": "概述<iframe src=x></iframe>\n# 标题"})


def _formula_cells(values: list[object]) -> list[str]:
    """Text cells a spreadsheet would evaluate: OWASP's starting characters, except plain numbers."""
    plain = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
    return [v for v in values if isinstance(v, str) and v[:1] in exports.FORMULA_START and not plain.fullmatch(v)]


@pytest.fixture(scope="module")
def hostile() -> Report:
    return hostile_report()


# -- safe exports ------------------------------------------------------------------------------


def test_safe_cell_follows_owasp() -> None:
    assert [exports.safe_cell(v) for v in ("=1+1", "+A1", "-A1", "@SUM(A1)", "\t=1", "\r=1")] == [
        "'=1+1", "'+A1", "'-A1", "'@SUM(A1)", "'\t=1", "'\r=1"]
    assert [exports.safe_cell(v) for v in ("-1.5", "+3%", "-12", "地区生产总值", "a=b", None, -1.5, 3)] == [
        "-1.5", "+3%", "-12", "地区生产总值", "a=b", None, -1.5, 3]


def test_the_rules_engine_meets_formulas_in_the_source(tmp_path: Path) -> None:
    report = reportkit.summarize(Document(text=HOSTILE_SOURCE), engine="rules")
    for what in ("metrics", "items"):
        exports.to_csv(report, tmp_path / f"{what}.csv", what)
        with open(tmp_path / f"{what}.csv", encoding="utf-8-sig", newline="") as fh:
            cells = [cell for row in csv.reader(fh) for cell in row]
        assert _formula_cells(cells) == []
    assert any(cell.startswith("'=1+1") for cell in cells)  # the plan item's title, shown literally


def test_csv_and_parquet_hold_no_formula_cell(hostile: Report, tmp_path: Path) -> None:
    import pandas as pd

    for what in ("metrics", "items"):
        exports.to_csv(hostile, tmp_path / f"{what}.csv", what)
        with open(tmp_path / f"{what}.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert _formula_cells([v for row in rows for v in row.values()]) == []
        exports.to_parquet(hostile, tmp_path / f"{what}.parquet", what)
        frame = pd.read_parquet(tmp_path / f"{what}.parquet")
        assert _formula_cells(frame.astype(object).to_numpy().ravel().tolist()) == []
    metrics = pd.read_parquet(tmp_path / "metrics.parquet")
    # the payload is still there to read, as text; negative numbers stay numbers
    assert "'=HYPERLINK(\"http://x\")地区生产总值" in set(metrics.name)
    assert metrics.value.dtype.kind == "f" and (metrics.value == -1.5).sum() == len(PAYLOADS)
    assert "'@evil.txt" in set(metrics.source) and "-1.5" not in set(metrics.name)


def test_a_spreadsheet_safe_frame_writes_no_formula_to_excel(hostile: Report, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is in the test extra: pip install -e '.[test]'")
    raw = reportkit.to_dataframe(hostile)
    assert raw.name.str.startswith("=").any()  # the default frame keeps the text exactly as extracted
    reportkit.to_dataframe(hostile, spreadsheet_safe=True).to_excel(tmp_path / "m.xlsx", index=False)
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert any(c.value == -1.5 and c.data_type == "n" for c in cells)


def test_cli_csv_on_stdout_is_safe(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app

    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_SOURCE, encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", str(path), "--engine", "rules", "--format", "csv"])
    assert result.exit_code == 0, result.output
    cells = [cell for row in csv.reader(result.stdout.splitlines()) for cell in row]
    assert len(cells) > 20 and _formula_cells(cells) == []


# -- Markdown ----------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """Collects the tags of rendered HTML and the text found inside and outside <blockquote>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.depth = 0
        self.quoted: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("href", "src")]
        self.depth += tag == "blockquote"

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag == "blockquote"

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.quoted.append(data)


def _render(markdown: str) -> _Tags:
    from markdown_it import MarkdownIt  # rich's own dependency

    parser = _Tags()
    parser.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return parser


def test_markdown_has_no_raw_html_and_quotes_stay_quoted(hostile: Report) -> None:
    markdown = hostile.to_markdown()
    assert hostile._repr_markdown_() == markdown
    assert not re.search(r"<\s*/?\s*(script|img|iframe|b)\b", markdown, re.I)
    page = _render(markdown)
    assert set(page.tags) <= {"h1", "h2", "ul", "ol", "li", "strong", "code", "p", "blockquote", "table", "thead",
                              "tbody", "tr", "th", "td", "em"}, page.tags
    assert page.links == []  # no link and no image from a quote
    assert page.tags.count("h1") == 1 and page.tags.count("h2") == 7  # no heading smuggled in by a newline
    quoted = "".join(page.quoted)
    for item in hostile.problems:  # every line of every quote, shown as text inside a block quote
        for line in item.quote.splitlines():
            assert line.strip() in quoted  # Markdown drops leading whitespace, nothing else
    assert "<script>x()</script>" in quoted and "- 列表" in quoted
    assert "<script>alert('t')</script>" in markdown.replace("&lt;", "<").replace("&gt;", ">")


def test_markdown_table_rows_stay_rows(hostile: Report) -> None:
    rows = [line for line in hostile.to_markdown().splitlines() if line.startswith("| ")]
    assert len(rows) == len(hostile.metrics) + 1
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 8 for row in rows)


def test_plain_text_is_left_readable() -> None:
    report = reportkit.validate({"metrics": [{"name": "R&D投入", "value": 3, "unit": "亿元", "quote": "R&D投入3亿元"}]},
                                "全年R&D投入3亿元,增速>5%。")
    assert "R&D投入3亿元" in report.to_markdown()


# -- input size limit --------------------------------------------------------------------------


def test_the_default_limit_is_two_million_characters() -> None:
    from reportkit import limits

    assert limits.max_input_chars() == limits.MAX_INPUT_CHARS == 2_000_000
    at_limit = Document(text="增" * limits.MAX_INPUT_CHARS, source="big.txt")
    assert limits.check_size(at_limit) is at_limit
    with pytest.raises(reportkit.InputError, match=r"2,000,001 characters, more than the limit of 2,000,000") as info:
        limits.check_size(Document(text="增" * (limits.MAX_INPUT_CHARS + 1), source="big.txt"))
    assert info.value.path == "big.txt" and "REPORTKIT_MAX_INPUT_CHARS=2000001" in str(info.value)


def test_an_oversized_input_is_refused_where_it_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "1000")
    text = "一、经济发展\n全年实现地区生产总值134.2亿元。\n" * 50  # 1,300 characters
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    for call in (lambda: reportkit.load(path), lambda: reportkit.summarize(path, engine="rules"),
                 lambda: reportkit.summarize(Document(text=text, source=str(path)), engine="rules")):
        with pytest.raises(reportkit.InputError, match=r"1,300 characters, more than the limit of 1,000") as info:
            call()
        assert info.value.path == str(path) and "REPORTKIT_MAX_INPUT_CHARS=1300" in str(info.value)
    short = tmp_path / "short.txt"
    short.write_text(text[:500], encoding="utf-8")
    result = reportkit.summarize_many([path, short], engine="rules", progress=False)
    assert [f.error_type for f in result.failures] == ["InputError"] and len(result.reports) == 1
    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "1_300")  # raising the limit is all it takes
    assert len(reportkit.summarize(path, engine="rules").metrics) == 50


def test_the_cli_names_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app

    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "100")
    path = tmp_path / "long.txt"
    path.write_text("全年实现地区生产总值134.2亿元。" * 10, encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", str(path), "--engine", "rules"], env={"COLUMNS": "400"})
    assert result.exit_code == 1
    assert "more than the limit of 100" in " ".join(result.output.split())


def test_a_wrong_limit_setting_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "lots")
    with pytest.raises(reportkit.ConfigError, match="REPORTKIT_MAX_INPUT_CHARS='lots'"):
        reportkit.summarize(Document(text="全年实现地区生产总值134.2亿元。"), engine="rules")
