"""Tests of reportkit.llm.normalise: each repair the source settles, one small case at a time."""

from __future__ import annotations

import json

import pytest

from reportkit.llm import normalise
from reportkit.llm.normalise import answer_json, date_in, kind_of, metric, number, period_of, title_in, unit_as_written, unwrap


@pytest.mark.parametrize(("given", "value", "tail"), [
    (5.2, 5.2, ""),
    (12, 12.0, ""),
    ("86.7", 86.7, ""),
    ("1,234", 1234.0, ""),
    ("1,234,567.5", 1234567.5, ""),
    ("12 500", 12500.0, ""),
    ("１２．５", 12.5, ""),
    ("１，２００", 1200.0, ""),
    ("5.2%", 5.2, "%"),
    ("５．２％", 5.2, "%"),
    ("86.7亿元", 86.7, "亿元"),
    (" -1.5 ", -1.5, ""),
    ("−3.4", -3.4, ""),
    ("+6", 6.0, ""),
    ("百分之十二", 12.0, "%"),
    ("两千三百", 2300.0, ""),
    ("一百零六", 106.0, ""),
])
def test_number_reads_what_models_put_in_value(given: object, value: float, tail: str) -> None:
    assert number(given) == (value, tail)


@pytest.mark.parametrize("given", [None, True, "", "约", "abc", float("nan"), [1], {"v": 1}])
def test_number_gives_up_on_what_is_not_a_number(given: object) -> None:
    assert number(given)[0] is None


@pytest.mark.parametrize(("given", "unit"), [
    ("％", "%"), ("%", "%"), ("percent", "%"), ("Percent", "%"), ("百分比", "%"), ("pp", "个百分点"),
    ("百分点", "百分点"), ("个百分点", "个百分点"), ("亿元", "亿元"), (" 万户 ", "万户"), (None, ""), (3, ""),
])
def test_unit_synonyms(given: object, unit: str) -> None:
    assert unit_as_written(given) == unit


@pytest.mark.parametrize(("word", "kind"), [
    ("growth_rate", "growth_rate"), ("同比增长", "growth_rate"), ("增速", "growth_rate"), ("比增", "growth_rate"),
    ("Growth Rate", "growth_rate"), ("growth-rate", "growth_rate"), ("完成率", "completion_rate"),
    ("办结率", "completion_rate"), ("完成全年目标", "completion_rate"), ("占比", "share"), ("满意率", "share"),
    ("目标", "target"), ("预计", "target"), ("目标增速", "target"), ("数量", "count"), ("实际值", "actual"),
    ("完成值", "actual"), ("其他", "other"), ("ＴＡＲＧＥＴ", "target"),
])
def test_kind_words_in_chinese_and_english(word: str, kind: str) -> None:
    assert kind_of(word) == kind


def test_an_unknown_kind_word_is_left_for_the_check() -> None:
    assert kind_of("不知道") == "不知道"
    assert kind_of(None) is None


@pytest.mark.parametrize(("given", "period"), [
    ("2024", "2024"), ("2024年", "2024"), ("2024年度", "2024"), ("2024年全年", "2024"), (2024, "2024"),
    ("FY2024", "2024"), ("２０２４年", "2024"), ("2024年1-9月", "2024年1-9月"), ("2024年1月至9月", "2024年1-9月"),
    ("2024年1月-9月", "2024年1-9月"), ("1-9月", "1-9月"), ("2025年上半年", "2025年上半年"), ("null", None), ("", None),
    (None, None),
])
def test_periods(given: object, period: object) -> None:
    assert period_of(given) == period


def entry(**fields: object) -> dict:
    return {"name": "地区生产总值", "kind": "actual", "period": "2023", **fields}


def test_a_value_rescaled_to_the_base_unit_is_put_back_as_the_quote_writes_it() -> None:
    fixed = metric(entry(value=13420000000, unit="元", quote="实现地区生产总值134.2亿元"))
    assert (fixed.entry["value"], fixed.entry["unit"], fixed.entry["value_text"]) == (134.2, "亿元", "134.2")
    assert "13420000000 元" in fixed.note and "134.2亿元" in fixed.note


def test_rescaling_from_wan_and_between_scales() -> None:
    fixed = metric(entry(value=23000000, unit="元", quote="投入资金两千三百万元"))
    assert (fixed.entry["value"], fixed.entry["unit"]) == (2300, "万元")
    fixed = metric(entry(value=1342000, unit="万元", quote="实现地区生产总值134.2亿元"))
    assert (fixed.entry["value"], fixed.entry["unit"]) == (134.2, "亿元") and fixed.note


def test_no_rescaling_across_units_of_different_kinds() -> None:
    fixed = metric(entry(value=1342000, unit="人", quote="实现地区生产总值134.2万元"))
    assert fixed.entry["value"] == 1342000 and fixed.note == ""


def test_a_fraction_of_a_percentage() -> None:
    fixed = metric(entry(value=0.052, unit="", kind="growth_rate", quote="同比增长5.2%"))
    assert (fixed.entry["value"], fixed.entry["unit"]) == (5.2, "%")
    fixed = metric(entry(value="0.052", unit="%", quote="同比增长5.2%"))
    assert fixed.entry["value"] == 5.2


def test_a_small_value_that_is_stated_is_not_taken_for_a_fraction() -> None:
    fixed = metric(entry(value=0.5, unit="%", quote="下降0.5%，其中50%来自"))
    assert fixed.entry["value"] == 0.5


def test_strings_separators_and_full_width_digits() -> None:
    fixed = metric(entry(value="1,200", unit="", kind="count", quote="新增市场主体1,200户"))
    assert (fixed.entry["value"], fixed.entry["unit"], fixed.entry["value_text"]) == (1200, "户", "1,200")
    fixed = metric(entry(value="１２．５", unit="％", quote="增长１２．５％"))
    assert (fixed.entry["value"], fixed.entry["unit"], fixed.entry["value_text"]) == (12.5, "%", "１２．５")
    fixed = metric(entry(value="86.7亿元", unit="", quote="实现地区生产总值86.7亿元"))
    assert (fixed.entry["value"], fixed.entry["unit"]) == (86.7, "亿元")


def test_the_unit_as_the_quote_writes_it() -> None:
    assert metric(entry(value=134.2, unit="亿", quote="生产总值134.2亿元")).entry["unit"] == "亿元"
    assert metric(entry(value=1.6, unit="pp", quote="提高1.6个百分点")).entry["unit"] == "个百分点"
    assert metric(entry(value=1.6, unit="百分点", quote="提高1.6百分点")).entry["unit"] == "百分点"
    assert metric(entry(value=3, unit="个", quote="新建口袋公园3个")).entry["unit"] == "个"


def test_a_written_minus_sign_stays_and_a_decline_in_words_is_positive() -> None:
    assert metric(entry(value=1.5, unit="%", quote="工业投资增长-1.5%")).entry["value"] == -1.5
    assert metric(entry(value=-1.5, unit="%", quote="工业投资增长-1.5%")).entry["value"] == -1.5
    assert metric(entry(value="-3.4％", unit="", quote="增长−3.4％")).entry["value"] == -3.4
    assert metric(entry(value=-3.2, unit="%", quote="同比下降3.2%")).entry["value"] == 3.2


def test_chinese_numerals_keep_their_value_text() -> None:
    fixed = metric(entry(value=12, unit="%", value_text="百分之十二", kind="growth_rate", quote="同比增长百分之十二"))
    assert (fixed.entry["value"], fixed.entry["unit"], fixed.entry["value_text"]) == (12, "%", "百分之十二")
    fixed = metric(entry(value="百分之十二", unit="", quote="同比增长百分之十二"))
    assert (fixed.entry["value"], fixed.entry["unit"]) == (12, "%")


def test_kind_period_and_empty_qualifier_are_normalised_in_the_entry() -> None:
    fixed = metric(entry(value=5.2, unit="%", kind="同比增长", period="2023年", qualifier=" ", quote="同比增长5.2%"))
    assert (fixed.entry["kind"], fixed.entry["period"], fixed.entry["qualifier"]) == ("growth_rate", "2023", None)


def test_what_the_quote_does_not_settle_is_left_alone() -> None:
    invented = entry(value=999.9, unit="亿元", quote="实现地区生产总值134.2亿元")
    assert metric(invented).entry["value"] == 999.9
    assert metric("not a dict").entry == "not a dict"
    assert metric(entry(value="很多", quote="很多")).entry["value"] == "很多"


def test_answer_json_digs_the_json_out() -> None:
    body = {"metrics": [{"name": "a"}]}
    text = json.dumps(body, ensure_ascii=False)
    assert answer_json(text) == body
    assert answer_json(f"<think>先看 {{ 数字 }}</think>\n```json\n{text}\n```") == body
    assert answer_json(f"好的，以下是结果：\n{text}\n以上。") == body
    assert answer_json(f"<THINK>x</THINK>Here you go: ```\n{text}```") == body
    assert answer_json("<think>never closed {\"metrics\": []}") is None
    assert answer_json("no json here") is None


def test_unwrap_an_answer_nested_under_one_key() -> None:
    fields = ("review", "metrics")
    inner = {"review": [], "metrics": [{"name": "a"}]}
    assert unwrap({"ReviewExtraction": inner}, fields) == inner
    assert unwrap({"arguments": json.dumps(inner)}, fields) == inner
    assert unwrap({"ReviewExtraction": {"parameters": inner}}, fields) == inner
    assert unwrap(inner, fields) == inner
    assert unwrap({"metrics": []}, fields) == {"metrics": []}
    assert unwrap({"something": 1}, fields) == {"something": 1}


def test_a_cut_off_answer_keeps_its_complete_entries() -> None:
    text = '{"review": [], "metrics": [{"name": "a", "value": 1, "quote": "x, y}"}, {"name": "b", "val'
    assert normalise.truncated_entries(text) == {"review": [], "metrics": [{"name": "a", "value": 1, "quote": "x, y}"}]}
    assert normalise.truncated_entries('{"metrics": [{"name": "a", "va') is None
    assert normalise.truncated_entries("") is None


def test_dates_in_any_format_as_the_header_writes_them() -> None:
    header = "发布时间：2024年1月9日 10:30  来源：某某街道"
    assert date_in("2024-01-09", header) == "2024年1月9日"
    assert date_in("2024/1/9 10:30", header) == "2024年1月9日 10:30"
    assert date_in("2024年1月9日", header) == "2024年1月9日"
    assert date_in("2023-01-09", header) == "2023-01-09"  # not in the header: left for the check
    assert date_in(None, header) is None


def test_titles_with_or_without_book_marks() -> None:
    header = "某某街道2023年工作总结\n发布时间：2024-01-09"
    assert title_in("《某某街道2023年工作总结》", header) == "某某街道2023年工作总结"
    assert title_in("某某街道2023年工作总结", header) == "某某街道2023年工作总结"
    assert title_in("《另一份报告》", header) == "《另一份报告》"
