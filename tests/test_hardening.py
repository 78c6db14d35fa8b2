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
from conftest import MINI

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
    import openpyxl  # in the test extra
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
    columns = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
    assert len(columns) == 1  # no payload adds or removes a cell


def test_plain_text_is_left_readable() -> None:
    report = reportkit.validate({"metrics": [{"name": "R&D投入", "value": 3, "unit": "亿元", "quote": "R&D投入3亿元"}]},
                                "全年R&D投入3亿元,增速>5%。")
    assert "R&D投入3亿元" in report.to_markdown()


# -- input size limit --------------------------------------------------------------------------


def test_the_default_limit_is_three_hundred_thousand_characters() -> None:
    # four times the longest real reports; report-shaped text of this length takes ~4.4 s (limits.py)
    from reportkit import limits

    assert limits.max_input_chars() == limits.MAX_INPUT_CHARS == 300_000
    at_limit = Document(text="增" * limits.MAX_INPUT_CHARS, source="big.txt")
    assert limits.check_size(at_limit) is at_limit
    with pytest.raises(reportkit.InputError, match=r"300,001 characters, more than the limit of 300,000") as info:
        limits.check_size(Document(text="增" * (limits.MAX_INPUT_CHARS + 1), source="big.txt"))
    assert info.value.path == "big.txt" and "REPORTKIT_MAX_INPUT_CHARS=300001" in str(info.value)


def test_the_limit_can_be_raised_for_a_longer_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit import limits

    text = "全年实现地区生产总值134.2亿元。" * 20_000  # 360,000 characters
    with pytest.raises(reportkit.InputError, match="REPORTKIT_MAX_INPUT_CHARS=360000"):
        limits.check_size(Document(text=text))
    monkeypatch.setenv("REPORTKIT_MAX_INPUT_CHARS", "400_000")
    assert limits.check_size(Document(text=text)).text == text


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


# -- cache integrity ---------------------------------------------------------------------------

CHUNK_TEXT = re.compile(r"【原文开始】\n(.*)\n【原文结束】", re.S)
FIGURE = re.compile(r"([\u4e00-\u9fff]{2,8}?)(\d+(?:\.\d+)?)(亿元|%|户|个)")
_PAD = "深入开展调查研究，持续推进各项工作落地见效。"
# the shared small report of conftest, each section padded to a call of its own at chunk_chars=200
REPORT_A = MINI.replace("1200户。\n", "1200户。" + _PAD * 5 + "\n").replace("仍有短板。\n", "仍有短板。" + _PAD * 6 + "\n") \
    .replace("口袋公园3个。\n", "口袋公园3个。" + _PAD * 6 + "\n")
REPORT_B = REPORT_A.replace("某某", "另一").replace("134.2", "88.8").replace("6.57", "2.31").replace("1200", "450")


def grounded(request) -> dict:
    """A model that answers from the chunk it is sent: every quote and figure is in that chunk."""
    found = CHUNK_TEXT.search(request.user_text)
    if found is None:
        return {"overview": "经济平稳。", "meta": {"report_year": 2023, "doc_type": "summary_and_plan"}}
    text = found.group(1)
    sentence = re.split(r"[,。]", text.strip().splitlines()[-1])[0]
    kind = "problems" if "存在问题" in text else "plans" if "工作计划" in text else "review"
    answer: dict = {kind: [{"title": sentence[:8], "quote": sentence}]}
    if kind != "problems":
        answer["metrics"] = [{"name": m[1], "value": float(m[2]), "unit": m[3], "kind": "actual" if kind == "review" else "target",
                              "period": "2023" if kind == "review" else "2024", "quote": m[0]} for m in FIGURE.finditer(text)]
    return answer


@pytest.fixture
def grounded_server():
    from reportkit.testing import FakeOpenAI

    with FakeOpenAI(responder=grounded) as server:
        yield server


def llm_settings(server, cache_dir: Path, **overrides):
    from reportkit.settings import Settings

    values = {"model": "fake-model", "base_url": server.base_url, "api_key": "test", "cache_dir": cache_dir,
              "chunk_chars": 200}  # one call per section of REPORT_A
    return Settings(**{**values, **overrides})


def _doc(text: str, name: str) -> Document:
    from reportkit import api

    return api._as_document(Document.from_text(text, name))


def _records(cache_dir: Path) -> dict[str, dict]:
    import diskcache
    import json

    with diskcache.Cache(str(cache_dir)) as store:
        return {key: json.loads(store.get(key)) for key in store.iterkeys()}


def _overwrite(cache_dir: Path, key: str, raw: str) -> None:
    import diskcache

    with diskcache.Cache(str(cache_dir)) as store:
        store.set(key, raw)


def _review_key(records: dict[str, dict], marker: str) -> str:
    return next(k for k, r in records.items() if r["call"] == "chunk" and any(marker in m["quote"] for m in r["result"].get("metrics", [])))


@pytest.fixture
def two_cached(grounded_server, tmp_path: Path):
    """Reports A and B summarised once (clean), both in one cache; A's review record key and B's."""
    cache_dir = tmp_path / "cache"
    s = llm_settings(grounded_server, cache_dir)
    clean_a = reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
    reportkit.summarize(_doc(REPORT_B, "b.txt"), settings=s)
    from reportkit.report_cache import clear_reports

    clear_reports(cache_dir)  # these tests damage the answers: a re-run must read them, not the finished reports
    records = _records(cache_dir)
    return s, clean_a, records, _review_key(records, "134.2"), _review_key(records, "88.8")


def _same(report: Report, clean: Report) -> bool:
    return report.model_dump(exclude={"run"}) == clean.model_dump(exclude={"run"})


def test_a_swapped_record_is_refused_and_asked_again(two_cached, grounded_server, caplog) -> None:
    import json

    s, clean_a, records, key_a, key_b = two_cached
    assert len(clean_a.metrics) == 6
    _overwrite(s.cache_dir, key_a, json.dumps(records[key_b]))  # B's answer under A's key
    before = len(grounded_server.requests)
    with caplog.at_level("WARNING", logger="reportkit"):
        again = reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
    assert _same(again, clean_a) and again.run.cache_hits == 3 and again.run.calls == 1
    assert len(grounded_server.requests) - before == 1
    assert "stored for another request (differs in chunk, messages)" in caplog.text
    # B's answer with its key fields forged to A's passes the key check, but not the quote check
    # against A's chunk (instructor's validators on the response model): asked again too
    from reportkit.report_cache import clear_reports

    clear_reports(s.cache_dir)  # the re-run above stored A's report again
    _overwrite(s.cache_dir, key_a, json.dumps({**records[key_b], "key_fields": records[key_a]["key_fields"]}))
    before = len(grounded_server.requests)
    assert _same(reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s), clean_a)
    assert len(grounded_server.requests) - before == 1


@pytest.mark.parametrize("damage", ["junk", "truncated", "no key fields", "another call"])
def test_a_damaged_record_never_yields_a_wrong_report(damage: str, two_cached, grounded_server) -> None:
    import json

    s, clean_a, records, key_a, _ = two_cached
    raw = json.dumps(records[key_a], ensure_ascii=False)
    broken = {
        "junk": "\x00\x13garbage{{",
        "truncated": raw[: len(raw) // 2],
        "no key fields": json.dumps({k: v for k, v in records[key_a].items() if k != "key_fields"}),
        "another call": json.dumps({**records[key_a], "call": "overview"}),
    }[damage]
    _overwrite(s.cache_dir, key_a, broken)
    again = reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
    assert _same(again, clean_a) and again.run.calls == 1 and again.run.failures == []


def test_replay_names_the_rejected_record(two_cached, grounded_server) -> None:
    import json

    s, _, records, key_a, key_b = two_cached
    _overwrite(s.cache_dir, key_a, json.dumps(records[key_b]))
    before = len(grounded_server.requests)
    with pytest.raises(reportkit.CacheMissError, match=r"the cached answer was rejected \(it was stored for another request") as caught:
        reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s.model_copy(update={"cache": "replay"}))
    assert caught.value.chunk_id.startswith("00-") and len(grounded_server.requests) == before


def test_cache_import_refuses_a_swapped_record(two_cached, tmp_path: Path) -> None:
    import json

    from reportkit.llm.cache import cache_info, import_

    _, _, records, key_a, key_b = two_cached
    lines = [json.dumps({"key": k, "record": r}) for k, r in records.items() if k != key_a]
    lines.append(json.dumps({"key": key_a, "record": records[key_b]}))
    dump = tmp_path / "swapped.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(reportkit.InputError, match=rf"line {len(lines)}: the record under {key_a[:12]}… cannot be trusted"):
        import_(tmp_path / "fresh", dump)
    assert cache_info(tmp_path / "fresh")["entries"] == 0


@pytest.mark.parametrize("damage", ["junk", "truncated"])
def test_a_damaged_cache_database_is_one_clear_error(damage: str, two_cached, grounded_server, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app

    import sqlite3

    s, clean_a, *_ = two_cached
    db = s.cache_dir / "cache.db"
    with sqlite3.connect(db) as conn:  # move the write-ahead log into cache.db, which is then cut
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    db.write_bytes(b"this is not a database\n" * 100 if damage == "junk" else data[: len(data) // 2])
    with pytest.raises(reportkit.ConfigError, match=r"is damaged .*reportkit cache clear") as caught:
        reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
    assert str(s.cache_dir) in str(caught.value)
    path = tmp_path / "a.txt"
    path.write_text(REPORT_A, encoding="utf-8")
    batch = reportkit.summarize_many([path, path], settings=s, progress=False)
    assert {f.error_type for f in batch.failures} == {"ConfigError"}
    assert all("reportkit cache clear" in f.message for f in batch.failures)
    info = CliRunner().invoke(app, ["cache", "info", "--cache-dir", str(s.cache_dir)], env={"COLUMNS": "400"})
    assert "Traceback" not in info.output
    if damage == "junk":  # a cut database may still answer its entry count; junk never does
        assert info.exit_code == 2 and "reportkit cache clear" in info.output
    # the fix the message names works on the damaged database, and the next run is clean
    result = CliRunner().invoke(app, ["cache", "clear", "--cache-dir", str(s.cache_dir)])
    assert result.exit_code == 0, result.output
    assert _same(reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s), clean_a)


# -- secrets, deadlines, unreachable endpoints ---------------------------------------------------

SECRET = "sk-test-9f8e7d6c5b4a39281706"


def _every_text(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(exc)) + repr(exc) + repr(getattr(exc, "args", ()))


def echo_401(request):
    from reportkit.testing import Fault

    # as some gateways do: the rejected header, verbatim, in the error message
    return Fault(status=401, message=f"Incorrect API key provided: {request.headers.get('authorization')}")


def test_an_echoing_401_leaks_the_key_nowhere(tmp_path: Path, caplog, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from reportkit.cli import app
    from reportkit.testing import FakeOpenAI

    path = tmp_path / "a.txt"
    path.write_text(REPORT_A, encoding="utf-8")
    with FakeOpenAI(responder=echo_401) as server, caplog.at_level("DEBUG"):
        s = llm_settings(server, tmp_path / "cache", api_key=SECRET)
        with pytest.raises(reportkit.ExtractionError) as caught:
            reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
        batch = reportkit.summarize_many([path], settings=s, progress=False)
        monkeypatch.setenv("REPORTKIT_API_KEY", SECRET)
        monkeypatch.setenv("REPORTKIT_MODEL", "fake-model")
        monkeypatch.setenv("REPORTKIT_BASE_URL", server.base_url)
        cli = CliRunner().invoke(app, ["summarize", str(path), "--engine", "llm"], env={"COLUMNS": "400"})
        echoed = [r.headers.get("authorization") for r in server.requests]
    assert f"Bearer {SECRET}" in echoed  # the server did get, and echo, the key
    assert "rejected the API key (401: Incorrect API key provided: Bearer ***)" in str(caught.value)
    assert caught.value.fatal is True
    assert [f.error_type for f in batch.failures] == ["ModelCallError"] and "Bearer ***" in batch.failures[0].message
    assert cli.exit_code == 1 and "Bearer ***" in cli.output
    for where in (_every_text(caught.value), batch.failures[0].message, cli.output, caplog.text,
                  " ".join(str(r.args) + r.getMessage() for r in caplog.records)):
        assert SECRET not in where and SECRET[3:] not in where


def test_server_text_with_keys_never_reaches_run_failures(tmp_path: Path, caplog, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.llm import client
    from reportkit.testing import Fault, FakeOpenAI

    monkeypatch.setattr(client, "BACKOFF_BASE", 0.01)

    def leaky(request):
        found = CHUNK_TEXT.search(request.user_text)
        if found and "存在问题" in found.group(1):  # one chunk fails; the report still comes back
            return Fault(status=500, message=f"upstream said: Authorization: {request.headers.get('authorization')} "
                                             "and api_key=other-secret-123456 sk-proj-abcdefghijkl")
        return grounded(request)

    with FakeOpenAI(responder=leaky) as server, caplog.at_level("DEBUG"):
        report = reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=llm_settings(
            server, tmp_path / "cache", api_key=SECRET, transport_retries=1))
    assert [f.stage for f in report.run.failures] == ["extraction"]
    message = report.run.failures[0].message
    assert "500" in message and "Bearer ***" in message and "api_key=***" in message and "sk-***" in message
    for secret in (SECRET, "other-secret-123456", "sk-proj-abcdefghijkl"):
        assert secret not in report.to_json() and secret not in caplog.text and secret not in report.to_markdown()
    assert not [r for r in caplog.records if r.name.startswith("instructor") and r.levelno >= 40]


def test_redact_removes_keys_tokens_and_named_secrets() -> None:
    from reportkit.errors import redact

    text = (f"key {SECRET} / Bearer abc.def-ghi / sk-proj-AbC***xyz9 / ?api_key=q1w2e3r4&x=1 / "
            "authorization: Basic dXNlcjpwYXNzd29yZA== / the risk-free task-force")
    out = redact(text, [SECRET, "short"])
    for leaked in (SECRET, "abc.def-ghi", "AbC***xyz9", "q1w2e3r4", "dXNlcjpwYXNzd29yZA=="):
        assert leaked not in out
    assert out.endswith("the risk-free task-force") and "x=1" in out


def _never_answering_port() -> tuple[object, str]:
    """A loopback socket that completes every TCP handshake (the backlog) and never reads or answers."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_a_server_that_never_answers_ends_the_document_at_its_deadline(tmp_path: Path) -> None:
    import time

    from reportkit.settings import Settings

    sock, url = _never_answering_port()
    try:
        # 60 s per request and 4 retries: without the deadline this would hang for minutes
        s = Settings(model="m", base_url=url, api_key="test", cache_dir=tmp_path / "c", timeout=60, deadline=1.5)
        started = time.monotonic()
        with pytest.raises(reportkit.ExtractionError, match=r"stopped at the document's deadline of 1.5s \(REPORTKIT_DEADLINE\)"):
            reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
        elapsed = time.monotonic() - started
    finally:
        sock.close()
    # without the deadline: 5 attempts × 60 s. The margin is for a loaded 2-core machine (imports,
    # segmenting and checking the report are not model calls and run outside the deadline).
    assert elapsed < 20, f"the document took {elapsed:.1f}s with a 1.5s deadline"


def test_the_deadline_keeps_what_was_answered_and_lists_what_is_missing(tmp_path: Path) -> None:
    from reportkit.testing import Fault, FakeOpenAI

    def slow_plans(request):  # the plans chunk and the overview hang; the rest answer at once
        if "工作计划" in request.user_text or "【原文开始】" not in request.user_text:
            return Fault(delay=30, then={})
        return grounded(request)

    with FakeOpenAI(responder=slow_plans) as server:
        report = reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=llm_settings(
            server, tmp_path / "c", deadline=1.5, concurrency=1))
    failures = {(f.stage, f.error_type) for f in report.run.failures}
    assert ("extraction", "DeadlineExceeded") in failures and ("overview", "DeadlineExceeded") in failures
    assert all("REPORTKIT_DEADLINE" in f.message for f in report.run.failures)
    assert {m.value for m in report.metrics} >= {134.2, 5.2, 6.57, 1200} and report.problems and not report.plans


def test_the_deadline_is_a_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.settings import Settings

    assert Settings().timeout == 60 and Settings().deadline == 300
    monkeypatch.setenv("REPORTKIT_DEADLINE", "42")
    assert Settings.from_env().deadline == 42


def _closed_port_url() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def test_a_wrong_base_url_is_one_sentence_after_one_retry(tmp_path: Path, caplog, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.llm import client
    from reportkit.settings import Settings

    monkeypatch.setattr(client, "BACKOFF_BASE", 0.01)
    url = _closed_port_url()
    s = Settings(model="m", base_url=url, api_key="test", cache_dir=tmp_path / "c", transport_retries=4)
    with caplog.at_level("DEBUG"), pytest.raises(reportkit.ExtractionError) as caught:
        reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
    message = str(caught.value)
    assert message.startswith(f"cannot reach {url}/ (connection refused): check REPORTKIT_BASE_URL"), message
    assert caught.value.attempts == 2 and caught.value.fatal is True  # one retry, then the batch stops
    warnings = [r for r in caplog.records if r.levelno >= 30 and r.name.startswith("reportkit")]
    assert warnings == [] and not [r for r in caplog.records if r.name.startswith("instructor") and r.levelno >= 40]


def test_a_dns_failure_says_no_such_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from reportkit.llm import client
    from reportkit.settings import Settings

    def no_dns(*args, **kwargs):  # a name that does not resolve, without asking any resolver
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(client, "BACKOFF_BASE", 0.01)
    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    s = Settings(model="m", base_url="http://api.no-such-host.invalid/v1", api_key="test", cache_dir=tmp_path / "c")
    with pytest.raises(reportkit.ExtractionError, match=r"^cannot reach http://api.no-such-host.invalid/v1/ \(no such host\): "
                                                        r"check REPORTKIT_BASE_URL"):
        reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)


class _HtmlErrors:
    """A loopback web server (not an API) that answers every request with an HTML error page."""

    def __init__(self, status: int) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        page = (f"<!DOCTYPE html><html><head><title>{status} Bad Gateway</title><style>body{{font:1em serif}}</style>"
                "</head><body><center><h1>Bad Gateway</h1></center><hr><center>nginx</center>"
                + "<p>padding</p>" * 200 + "</body></html>").encode()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(status)
                self.send_header("content-type", "text/html")
                self.send_header("content-length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self) -> "_HtmlErrors":
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status", [502, 404])
def test_an_html_error_page_is_summarised(status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.llm import client
    from reportkit.settings import Settings

    monkeypatch.setattr(client, "BACKOFF_BASE", 0.01)
    with _HtmlErrors(status) as web:
        s = Settings(model="m", base_url=web.url, api_key="test", cache_dir=tmp_path / "c", transport_retries=1)
        with pytest.raises(reportkit.ExtractionError) as caught:
            reportkit.summarize(_doc(REPORT_A, "a.txt"), settings=s)
    message = str(caught.value)
    assert f"an HTML page, not an OpenAI-compatible answer: '{status} Bad Gateway'" in message, message
    assert "<" not in message and "padding" not in message and len(message) < 600


def test_a_batch_failure_from_anywhere_is_redacted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reportkit import api

    def leaky(source, **kwargs):
        raise RuntimeError(f"proxy said: Authorization: Bearer {SECRET}")

    monkeypatch.setattr(api, "summarize", leaky)
    path = tmp_path / "a.txt"
    path.write_text(REPORT_A, encoding="utf-8")
    failure = reportkit.summarize_many([path], engine="rules", progress=False).failures[0]
    assert failure.message == "unexpected error: proxy said: Authorization: Bearer ***"


# -- any text at all: property tests of the inert renderings ----------------------------------

def _hostile_text():
    from hypothesis import strategies as st

    pieces = st.sampled_from(["<script>", "</b>", "<img src=x onerror=1>", "[a](javascript:x)", "![i](http://e/x)",
                              "\n", "\r\n", "\r", "# ", "> ", "- ", "1. ", "===", "```", "|", "&lt;", "&#60;", "\\",
                              "=", "+", "-", "@", "\t", "=1+1", "数字134.2亿元", " ", "<", ">", "&"])
    return st.lists(st.one_of(pieces, st.text(max_size=4)), max_size=12).map("".join)


def test_any_text_renders_inert_markdown_and_formula_safe_cells(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings

    base = reportkit.summarize(Document(text=REPORT_A), engine="rules")

    @settings(max_examples=80, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(name=_hostile_text(), quote=_hostile_text(), title=_hostile_text())
    def check(name: str, quote: str, title: str) -> None:
        metric = Metric(name=name or "x", value=1.5, unit="亿元", quote=quote, period=title or None)
        item = Item(title=title, text=name, quote=quote)
        report = base.model_copy(update={"metrics": [metric], "problems": [item], "overview": quote,
                                         "meta": base.meta.model_copy(update={"title": title or None})})
        page = _render(report.to_markdown())
        assert set(page.tags) <= {"h1", "h2", "ul", "ol", "li", "strong", "code", "p", "blockquote", "table", "thead",
                                  "tbody", "tr", "th", "td", "em"}, page.tags
        sections = 5 + bool(report.overview) + bool(report.run.failures)  # meta … figure check
        assert page.links == [] and page.tags.count("h1") == 1 and page.tags.count("h2") == sections
        # compared without whitespace (Markdown trims it) and with NUL as U+FFFD (CommonMark's rule)
        quoted = "".join("".join(page.quoted).split())
        for line in re.split(r"\r\n?|\n", quote.replace("\x00", "\ufffd")):
            assert "".join(line.split()) in quoted
        rows = exports.safe_rows(exports.metric_rows([report]) + exports.item_rows([report]))
        assert _formula_cells([v for row in rows for v in row.values()]) == []

    check()
