"""Targets tracked across reports: links, outcomes and revisions over the pairs, the outcome rules, panel and CLI."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import reportkit
from reportkit.cli import app
from reportkit.errors import MissingExtraError, ReportkitError
from reportkit.schema import Meta, Metric, Report
from reportkit.tracking import coverage, judge, organization_key, period_span, revisions, track

from test_indicators import PAIRS, PAIRS_DIR, gold_report, llm_report, pair_stems, rules_report


def pair_links(pair: str) -> dict[str, Any]:
    return json.loads((PAIRS_DIR / f"{pair}_links.json").read_text(encoding="utf-8"))


def score(links: list, gold: dict[str, Any]) -> tuple[float, float, list[str]]:
    """Link recall (the gold target is linked) and outcome accuracy (the same actual figure and outcome).

    An engine's quotes may be cut differently from the gold's, so the actual is compared by value,
    unit and kind."""
    by_target = {(ln.indicator, ln.target.value, ln.target.unit): ln for ln in links}
    found = right = 0
    wrong = []
    for g in gold["links"]:
        ln = by_target.get((g["indicator"], g["target"]["value"], g["target"]["unit"]))
        if ln is None:
            wrong.append(f"not linked: {g['target']['quote']}")
            continue
        found += 1
        actual_agrees = (g["actual"] is None) == (ln.actual is None) and (
            g["actual"] is None or (ln.actual.value, ln.actual.unit, ln.actual.kind)
            == (g["actual"]["value"], g["actual"]["unit"], g["actual"]["kind"]))
        if ln.outcome == g["outcome"] and actual_agrees:
            right += 1
        else:
            wrong.append(f"{g['indicator']}: gold {g['outcome']} {g['actual'] and g['actual']['quote']}, "
                         f"got {ln.outcome} {ln.actual and ln.actual.quote} ({ln.why})")
    n = len(gold["links"])
    return found / n, right / n, wrong


def revision_found(found: list, gold: dict[str, Any]) -> bool:
    want = {(r["indicator"], r["earlier"]["value"], r["later"]["value"]) for r in gold["revisions"]}
    return want <= {(r.indicator, r.earlier.value, r.later.value) for r in found}


@pytest.mark.parametrize("pair", PAIRS)
def test_gold_reports(pair: str) -> None:
    """track() over the annotation itself: every rule of corpus/pairs/README.md, in any input order."""
    plan, actual = pair_stems(pair)
    gold = pair_links(pair)
    links = track([gold_report(actual), gold_report(plan)])
    recall, accuracy, wrong = score(links, gold)
    assert recall == 1.0 and accuracy == 1.0, wrong
    assert revision_found(links.revisions, gold), links.revisions
    assert len(links) == len(gold["links"])  # only the plan year's standard targets; b's own are unlinked
    for ln, g in zip(links, gold["links"]):
        if g["why"].startswith("half-year"):
            assert ln.why.startswith("half-year"), ln.why


@pytest.mark.parametrize("pair", PAIRS)
def test_llm_engine_reports(pair: str, tmp_path: Path) -> None:
    plan, actual = pair_stems(pair)
    gold = pair_links(pair)
    links = track([llm_report(plan, tmp_path), llm_report(actual, tmp_path)])
    recall, accuracy, wrong = score(links, gold)
    assert recall >= 0.95 and accuracy >= 0.95, wrong
    assert revision_found(links.revisions, gold), links.revisions


@pytest.mark.parametrize("pair", PAIRS)
def test_rules_engine_reports(pair: str) -> None:
    plan, actual = pair_stems(pair)
    gold = pair_links(pair)
    links = track([rules_report(plan)[0], rules_report(actual)[0]])
    recall, accuracy, wrong = score(links, gold)
    assert recall >= 0.95, wrong
    assert accuracy >= 0.9, wrong  # measured 1.0 on each pair


# --- The outcome rules --------------------------------------------------------------------------------


def target(value: float, unit: str, qualifier: str | None = None, indicator: str = "gdp", name: str = "地区生产总值增长") -> Metric:
    return Metric(name=name, value=value, unit=unit, kind="target", period="2024", qualifier=qualifier, indicator=indicator)


def actual(value: float, unit: str, kind: str = "growth_rate", period: str | None = "2024", indicator: str = "gdp") -> Metric:
    return Metric(name="x", value=value, unit=unit, kind=kind, period=period, indicator=indicator)  # type: ignore[arg-type]


@pytest.mark.parametrize(("t", "a", "outcome"), [
    ((6, "左右"), 5.6, "met"),  # 0.4 below: within the 0.5 tolerance of 左右
    ((6, "左右"), 5.5, "met"),  # the boundary
    ((6, "左右"), 5.4, "missed"),  # 0.6 below
    ((8, "以上"), 7.9, "missed"),  # 以上 needs at least the target
    ((7, "不低于"), 7.0, "met"),
    ((5, None), 4.9, "missed"),  # a bare figure too
    ((10, "以上"), 12.0, "met"),  # 2 points above is not yet exceeded
    ((10, "以上"), 14.9, "exceeded"),
])
def test_growth_targets(t: tuple[float, str | None], a: float, outcome: str) -> None:
    got, why = judge(target(t[0], "%", t[1]), actual(a, "%"))
    assert got == outcome, why
    assert f"{a:g}%" in why and f"{t[0]:g}%" in why


def test_the_why_sentence_has_the_numbers() -> None:
    _, why = judge(target(6, "%", "左右"), actual(5.7, "%"))
    assert why.startswith("target 增长6%左右, actual 5.7%: within 0.5 points")


@pytest.mark.parametrize(("t", "a", "outcome"), [
    ((8000, "万元", None), (0.85, "亿元"), "met"),  # scaled: 8500万元; comparing 0.85 with 8000 would say missed
    ((1.35, "亿元", None), (13200, "万元"), "missed"),  # 1.32亿元
    ((30, "亿元", "突破"), (31.6, "亿元"), "met"),  # the 10% line is 33
    ((30, "亿元", "突破"), (33.5, "亿元"), "exceeded"),
    ((8, "个", None), (9, "个"), "exceeded"),  # 9 > 8.8
    ((2.5, "万吨", "以上"), (24600, "吨"), "missed"),
    ((650, "人", None), (0.068, "万人"), "met"),
])
def test_level_targets(t: tuple[float, str, str | None], a: tuple[float, str], outcome: str) -> None:
    got, why = judge(target(t[0], t[1], t[2], indicator="fixed_asset_investment", name="x"),
                     actual(a[0], a[1], kind="actual", indicator="fixed_asset_investment"))
    assert got == outcome, why


def test_a_percent_indicator_has_level_targets() -> None:
    t = target(42, "%", indicator="forest_coverage", name="森林覆盖率")
    assert judge(t, actual(42.3, "%", kind="share", period=None, indicator="forest_coverage"))[0] == "met"
    assert judge(t, actual(41.9, "%", kind="share", period=None, indicator="forest_coverage"))[0] == "missed"


@pytest.mark.parametrize(("t", "a", "fragment"), [
    (target(8, "%"), actual(16.7, "亿元", kind="actual"), "not a growth rate"),  # never 16.7/15.4
    (target(20, "亿元", name="x"), actual(12.4, "%"), "not a level"),
    (target(20, "亿元", name="x"), actual(3, "个", kind="count"), "units do not compare"),
])
def test_not_comparable(t: Metric, a: Metric, fragment: str) -> None:
    outcome, why = judge(t, a)
    assert outcome == "not_comparable" and fragment in why


def test_a_half_year_is_not_comparable_with_an_annual_target() -> None:
    outcome, why = judge(target(6, "%"), actual(6.8, "%", period="2025年1-6月"))
    assert outcome == "not_comparable" and why.startswith("half-year")
    outcome, why = judge(target(40, "亿元", name="x"), actual(45.7, "%", kind="completion_rate"), partial="2025年上半年")
    assert outcome == "not_comparable" and "45.7% of the annual target 40亿元" in why
    assert judge(target(6, "%"), None)[0] == "not_reported"


def test_declines_are_compared_in_the_target_direction() -> None:
    t = target(3, "%", indicator="energy_intensity", name="单位地区生产总值能耗下降")
    decline = Metric(name="单位地区生产总值能耗下降", value=4.1, unit="%", kind="growth_rate", period="2024")
    rise = Metric(name="单位地区生产总值能耗增长", value=1.0, unit="%", kind="growth_rate", period="2024")
    assert judge(t, decline)[0] == "met"
    assert judge(t, rise)[0] == "missed"
    fall = Metric(name="社会消费品零售总额同比下降", value=3, unit="%", kind="growth_rate", period="2024")
    assert judge(target(2, "%", indicator="retail_sales", name="社零增长"), fall)[0] == "missed"  # not d = 3 − 2


def test_a_bound_is_met_by_staying_under_it() -> None:
    t = target(5, "%", "以内", indicator="fixed_asset_investment", name="固定资产投资降幅")
    assert judge(t, Metric(name="固定资产投资下降", value=3.2, unit="%", kind="growth_rate", period="2024"))[0] == "met"
    assert judge(t, Metric(name="固定资产投资下降", value=6, unit="%", kind="growth_rate", period="2024"))[0] == "missed"
    assert judge(t, Metric(name="固定资产投资增长", value=2, unit="%", kind="growth_rate", period="2024"))[0] == "met"


def test_the_actual_is_the_full_year_growth_rate_in_percent() -> None:
    plan = Report(meta=Meta(organization="某镇", report_year=2023, doc_type="summary_and_plan"), metrics=[
        Metric(name="地区生产总值增长", value=6, unit="%", kind="target", period="2024", qualifier="左右", indicator="gdp")])
    later = Report(meta=Meta(organization="某镇", report_year=2024, doc_type="summary_and_plan"), metrics=[
        Metric(name="地区生产总值", value=41.3, unit="亿元", kind="actual", period="2024", indicator="gdp"),
        Metric(name="地区生产总值增速高于全区", value=0.6, unit="个百分点", kind="growth_rate", period="2024", indicator="gdp"),
        Metric(name="1-11月地区生产总值增长", value=6.2, unit="%", kind="growth_rate", period="2024年1-11月", indicator="gdp"),
        Metric(name="地区生产总值增长", value=5.8, unit="%", kind="growth_rate", period="2024", indicator="gdp"),
        Metric(name="地区生产总值增长", value=5.5, unit="%", kind="target", period="2025", indicator="gdp")])
    (link,) = track([later, plan])
    assert (link.actual.value, link.outcome) == (5.8, "met")


@pytest.mark.parametrize(("published", "title", "periods", "expected"), [
    ("2025-07-09", None, ["2025"], "2025年1-6月"),  # published inside the year: only part of it
    ("2024年12月20日", None, ["2024年1-11月", "2024"], "2024年1-11月"),
    ("2025-01-12", None, ["2024年1-11月", "2024"], "2024"),  # published after it: all of it
    (None, "某镇2025年上半年工作总结", ["2025"], "2025年上半年"),  # the title says so
    (None, None, ["2025年1-6月", "2025年1-6月", "2025"], "2025年1-6月"),  # most figures
    (None, None, ["2025年1-6月", "2025"], "2025"),
])
def test_what_part_of_the_year_a_report_covers(published: str | None, title: str | None, periods: list[str],
                                               expected: str) -> None:
    year = int(periods[-1][:4])
    report = Report(meta=Meta(report_year=year, published=published, title=title, doc_type="summary_and_plan"),
                    metrics=[Metric(name="x", value=1, unit="亿元", kind="actual", period=p) for p in periods])
    assert coverage(report).label == expected


@pytest.mark.parametrize(("period", "span"), [
    ("2024", (2024, 12)), ("2025年1-6月", (2025, 6)), ("2025年上半年", (2025, 6)), ("2024年前三季度", (2024, 9)),
    ("2024年1-10月", (2024, 10)), ("2025年下半年", (2025, 12)), (None, None), ("上半年", None),
])
def test_period_spans(period: str | None, span: tuple[int, int] | None) -> None:
    assert period_span(period) == span


# --- Organisations, order, revisions ----------------------------------------------------------------------


def test_reports_of_different_organisations_are_refused() -> None:
    a, b = gold_report("p1a_fengtang_2023"), gold_report("p2b_huaiping_2024")
    with pytest.raises(ReportkitError, match="check_organization=False"):
        track([a, b])
    assert isinstance(track([a, b], check_organization=False), list)


def test_the_same_body_under_its_short_name_is_one_organisation() -> None:
    a = gold_report("p1a_fengtang_2023")
    b = gold_report("p1b_fengtang_2024")
    b = b.model_copy(update={"meta": b.meta.model_copy(update={"organization": "枫塘街道"})})
    assert len(track([a, b])) == 13


@pytest.mark.parametrize(("a", "b"), [
    ("枫塘街道办事处", "枫塘街道"), ("槐坪镇人民政府", "槐坪镇"), ("枫塘街道党工委、办事处", "枫塘街道办事处"),
    ("中共槐坪镇委员会", "槐坪镇人民政府"),
])
def test_organisation_names_of_one_body(a: str, b: str) -> None:
    assert organization_key(a) == organization_key(b)
    assert organization_key(a) != organization_key("峡岚街道办事处")


def test_a_report_without_a_year_says_how_to_fix_it() -> None:
    with pytest.raises(ReportkitError, match="report_year"):
        track([gold_report("p1a_fengtang_2023"), Report(meta=Meta(organization="枫塘街道办事处"))])


def test_order_does_not_matter() -> None:
    a, b = gold_report("p2a_huaiping_2023"), gold_report("p2b_huaiping_2024")
    assert [ln.model_dump() for ln in track([a, b])] == [ln.model_dump() for ln in track([b, a])]


def test_three_reports_link_each_year_to_the_fullest_report_of_it() -> None:
    plan, half = gold_report("p3a_xialan_2024"), gold_report("p3b_xialan_2025H1")
    annual = Report(meta=Meta(organization="峡岚街道办事处", report_year=2025, published="2026-01-10",
                              doc_type="summary_and_plan", source="annual_2025.txt"), metrics=[
        Metric(name="一般公共预算收入", value=6.4, unit="亿元", kind="actual", period="2025", indicator="budget_revenue"),
        Metric(name="社零总额", value=6.1, unit="%", kind="growth_rate", period="2025", indicator="retail_sales"),
    ])
    links = track([annual, half, plan])
    assert {ln.actual_report for ln in links} == {"annual_2025.txt"}  # not the half-year report
    by = {ln.indicator: ln.outcome for ln in links}
    assert by["budget_revenue"] == "met" and by["retail_sales"] == "met" and by["tax_revenue"] == "not_reported"
    assert len(links) == 11  # the half-year report's own 下半年 targets are for 2025, not its plan year


def test_revisions_alone() -> None:
    found = revisions([gold_report("p3a_xialan_2024"), gold_report("p3b_xialan_2025H1")])
    assert [(r.indicator, r.kind, r.period, r.earlier.value, r.later.value) for r in found] == [
        ("fixed_asset_investment", "target", "2025", 40, 42)]


def test_links_serialise() -> None:
    links = track([gold_report("p1a_fengtang_2023"), gold_report("p1b_fengtang_2024")])
    back = reportkit.TargetLink.model_validate_json(links[0].model_dump_json())
    assert back == links[0]
    assert reportkit.Revision.model_validate(links.revisions[0].model_dump()) == links.revisions[0]


# --- Panel ------------------------------------------------------------------------------------------------


def test_panel_one_row_per_key_with_base_units() -> None:
    reports = [gold_report(s) for s in ("p2a_huaiping_2023", "p2b_huaiping_2024")]
    df = reportkit.panel(reports)
    keys = ["organization", "indicator", "kind", "period"]
    assert not df.duplicated(keys).any()
    gdp2023 = df[(df.indicator == "gdp") & (df.kind == "actual") & (df.period == "2023")].iloc[0]
    assert (gdp2023.value, gdp2023.unit, gdp2023.base_value, gdp2023.base_unit) == (39.2, "亿元", 3.92e9, "元")
    assert gdp2023.revised_from == 38.6 and gdp2023.source == "p2b_huaiping_2024.txt"
    revenue = df[(df.indicator == "budget_revenue") & (df.kind == "actual") & (df.period == "2024")].iloc[0]
    assert (revenue.unit, revenue.base_value) == ("万元", 1.32e8)
    growth = df[(df.kind == "growth_rate") & (df.period == "2024")].pivot_table(index="organization", columns="indicator", values="value")
    assert growth.loc["槐坪镇人民政府", "gdp"] == 5.4  # what an analyst pivots
    assert set(df.indicator) <= {r.indicator for rep in reports for r in rep.metrics}


def test_panel_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'reportkit\[pandas\]'"):
        reportkit.panel([gold_report("p1a_fengtang_2023")])


# --- CLI and renderings -------------------------------------------------------------------------------


@pytest.fixture()
def pair_json(tmp_path: Path) -> list[str]:
    paths = []
    for stem in pair_stems("p1"):
        path = tmp_path / f"{stem}.json"
        path.write_text(gold_report(stem).to_json(), encoding="utf-8")
        paths.append(str(path))
    return paths


def test_cli_track_markdown(pair_json: list[str]) -> None:
    result = CliRunner().invoke(app, ["track", *reversed(pair_json)])
    assert result.exit_code == 0, result.output
    assert "| retail_sales | 6%左右 | 5.6% | met |" in result.output
    assert "met 6, missed 3, exceeded 2, not_reported 1, not_comparable 1" in result.output
    assert "| fixed_asset_investment | actual | 2023 | 27.8亿元 | 28.9亿元 |" in result.output


def test_cli_track_reads_a_folder(pair_json: list[str]) -> None:
    result = CliRunner().invoke(app, ["track", str(Path(pair_json[0]).parent)])
    assert result.exit_code == 0, result.output
    assert "met 6, missed 3, exceeded 2, not_reported 1, not_comparable 1" in result.output


def test_cli_track_needs_two_reports(pair_json: list[str]) -> None:
    result = CliRunner().invoke(app, ["track", pair_json[0]])
    assert result.exit_code == 2 and "at least two reports" in result.output


def test_cli_track_json_and_csv(pair_json: list[str]) -> None:
    out = CliRunner().invoke(app, ["track", *pair_json, "--format", "json"])
    body = json.loads(out.stdout)
    assert [ln["outcome"] for ln in body["links"]] == [g["outcome"] for g in pair_links("p1")["links"]]
    assert body["revisions"][0]["later"]["value"] == 28.9
    out = CliRunner().invoke(app, ["track", *pair_json, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 13 and rows[0]["indicator"] == "budget_revenue" and rows[0]["outcome"] == "met"


def test_cli_track_refuses_two_organisations(tmp_path: Path) -> None:
    paths = []
    for stem in ("p1a_fengtang_2023", "p2b_huaiping_2024"):
        path = tmp_path / f"{stem}.json"
        path.write_text(gold_report(stem).to_json(), encoding="utf-8")
        paths.append(str(path))
    result = CliRunner().invoke(app, ["track", *paths])
    assert result.exit_code == 2 and "add --any-organization" in result.output
    assert CliRunner().invoke(app, ["track", *paths, "--any-organization"]).exit_code == 0


def test_renderings_and_exports_show_the_indicator() -> None:
    report, _ = rules_report("p2a_huaiping_2023")
    assert "| Standard |" in report.to_markdown() and "| gdp |" in report.to_markdown()
    assert "gdp · actual" in report.to_html(source=None)
    row = next(r for r in reportkit.to_dataframe(report).to_dict("records") if r["indicator"] == "gdp")
    assert row["name"] and row["indicator"] == "gdp"
