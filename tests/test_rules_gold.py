"""What a user sees from the offline engine: a seed in, a checked summary out, compared with gold."""

from __future__ import annotations

import pytest

import reportkit
from reportkit.eval import score

from conftest import SEEDS, gold_for

FULLY_ANNOTATED = {"000_0905f6282178ee7a", "001_f673d7f6c6eeef5e", "002_5c548b74d12d1e64", "004_5b82ad2be4bb2cbb"}


@pytest.fixture(scope="module")
def reports() -> dict[str, tuple[reportkit.Report, str]]:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = reportkit.load(path)
        out[path.stem] = (reportkit.summarize(doc, engine="rules"), doc.text)
    return out


def test_accuracy_targets(reports, seed_stem: str) -> None:
    report, text = reports[seed_stem]
    s = score(report, gold_for(seed_stem), text, seed_stem)
    assert s.recall >= 0.85, s.unmatched_gold
    if seed_stem in FULLY_ANNOTATED:
        assert s.precision >= 0.85, s.unmatched_predicted
    assert s.sections_ok, s.sections


def test_meta_matches_gold(reports, seed_stem: str) -> None:
    report, _ = reports[seed_stem]
    gold = gold_for(seed_stem)
    meta = report.meta
    assert (meta.organization, meta.report_year, meta.published, meta.doc_type) == (
        gold["organization"], gold["report_year"], gold["published"], gold["doc_type"]
    )


def test_problems_and_plans_quote_the_gold_places(reports, seed_stem: str) -> None:
    report, text = reports[seed_stem]
    s = score(report, gold_for(seed_stem), text, seed_stem)
    for kind in ("problems", "plans"):
        gold_n, found_n, matched = s.items[kind]
        assert matched == gold_n, (kind, s.items)


def test_every_span_indexes_the_source(reports, seed_stem: str) -> None:
    report, text = reports[seed_stem]
    for entry in [*report.review, *report.problems, *report.plans, *report.metrics]:
        assert entry.span is not None
        assert text[entry.span[0] : entry.span[1]] == entry.quote


def test_seed_000_headline_figures(reports) -> None:
    report, _ = reports["000_0905f6282178ee7a"]
    gdp = next(m for m in report.metrics if m.name == "地区生产总值")
    assert (gdp.value, gdp.unit, gdp.kind, gdp.period, gdp.check.status) == (134.2, "亿元", "actual", "2023", "verified")
    assert [p.title for p in report.problems] == ["经济增长不够有力", "区域发展不够均衡", "治理能力亟待提升"]
    assert report.problems[0].text == "经济增长不够有力:入库工业企业增量不足,规上企业产值增长乏力,高质量发展基础尚不牢固"
    assert report.run.engine == "rules"


def test_no_figures_from_glued_item_numbers_or_codes(reports) -> None:
    values = {(m.value, m.unit) for _, (r, _) in reports.items() for m in r.metrics}
    for bad in [(52022, "年"), (2022, "年"), (11, ""), (2, ""), (1310, ""), (809, ""), (322, ""), (5558386, "")]:
        assert bad not in values
    report, _ = reports["001_f673d7f6c6eeef5e"]
    assert not [m for m in report.metrics if m.value in (52022, 11) or m.quote.startswith(("2利弄", "11党建"))]


def test_kinds_and_periods_follow_cue_words(reports) -> None:
    report, _ = reports["002_5c548b74d12d1e64"]
    by = {(m.value, m.unit): m for m in report.metrics}
    assert (by[(6.15, "%")].kind, by[(6.15, "%")].period) == ("growth_rate", "2023年1-10月")
    assert by[(59.97, "%")].kind == "completion_rate"
    assert (by[(100.0, "%")].kind, by[(100.0, "%")].period) in {("completion_rate", "2023"), ("target", "2024")}
    assert by[(30.0, "%")].qualifier == "超" and by[(30.0, "%")].kind == "growth_rate"
    plan = reports["004_5b82ad2be4bb2cbb"][0]
    assert {m.kind for m in plan.metrics} == {"target"} and {m.period for m in plan.metrics} == {"2024"}


def test_rules_engine_is_deterministic() -> None:
    path = SEEDS / "003_c6631ad89748e798.txt"
    a = reportkit.summarize(path, engine="rules").model_dump(exclude={"run"})
    b = reportkit.summarize(path, engine="rules").model_dump(exclude={"run"})
    assert a == b
