"""The rules engine on invented texts of genre patterns: plan parts, report years, periods, kinds."""

from __future__ import annotations

import pytest

from reportkit.cleaning import with_boilerplate
from reportkit.document import Document
from reportkit.rules import summarize_document


def _report(text: str):
    return summarize_document(with_boilerplate(Document.from_text(text)))


def _ascii(text: str) -> str:
    return text.replace("。", ".").replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")


# --- a plan part whose heading names the next year, without a plan word ---------------------------


_SUMMARY = (
    "石岭乡2025年工作总结\n\n一、2025年工作开展情况\n（一）产业发展。全年新建大棚120个。\n"
    "（二）民生保障。发放救助资金85万元。\n二、存在的问题\n（一）产业结构单一。\n（二）基础设施薄弱。\n"
    "{heading}\n（一）壮大特色产业。新建标准化大棚150个。\n（二）提升民生水平。新增就业岗位350个。\n"
)


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "heading",
    ["三、2026年重点工作", "三、2026年工作", "三、2026年主要任务", "三、做好2026年工作的主要措施", "三、2026年工作打算", "三、下一步工作安排"],
)
def test_a_heading_naming_the_next_year_opens_the_plan_part(heading: str, width: str) -> None:
    text = _SUMMARY.format(heading=heading)
    report = _report(_ascii(text) if width == "ascii" else text)
    assert [i.title for i in report.plans] == ["壮大特色产业", "提升民生水平"]
    assert len(report.review) == 2
    planned = [m for m in report.metrics if m.value in (150, 350)]
    assert [(m.kind, m.period) for m in planned] == [("target", "2026"), ("target", "2026")]


@pytest.mark.parametrize("heading", ["二、2025年重点工作", "二、2024年重点工作"])
def test_a_heading_naming_the_reviewed_year_or_an_earlier_one_is_no_plan_part(heading: str) -> None:
    text = (
        "石岭乡2025年工作总结\n\n一、2025年工作开展情况\n（一）产业发展。全年新建大棚120个。\n"
        f"{heading}\n（一）民生保障。发放救助资金85万元。\n"
    )
    report = _report(text)
    assert report.plans == [] or not report.plans
    assert all(m.kind != "target" for m in report.metrics)


# --- a news item's report year: the year it reviews, not the year of the plans it announces ------


_NEWS = {
    "a plan year in the headline": (
        "西口镇：谋划2027年发展新蓝图\n\n2026-12-20 10:15　来源：西口镇融媒体中心　作者：张伟\n\n"
        "今年以来，西口镇完成固定资产投资8.6亿元，同比增长9.2%。截至11月底，新增市场主体320户。"
        "2027年，该镇将新建标准化厂房5万平方米，力争固定资产投资增长10%。\n"
    ),
    "no year cue but the plans": (
        "西口镇：稳中求进促发展\n\n2026-12-20 10:15　来源：西口镇融媒体中心　作者：张伟\n\n"
        "日前，记者从西口镇获悉，截至11月底，西口镇完成固定资产投资8.6亿元，同比增长9.2%，新增市场主体320户。"
        "2027年，该镇将新建标准化厂房5万平方米。2027年将新建道路12公里。\n"
    ),
    "a bracketed byline and a dated sign-off": (
        "西口镇：稳中求进促发展\n\n本报讯（通讯员 李明 记者 王芳）今年以来，西口镇完成固定资产投资8.6亿元，"
        "同比增长9.2%，新增市场主体320户。2027年，该镇将新建标准化厂房5万平方米。\n\n2026年12月20日\n"
    ),
}


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize("case", sorted(_NEWS))
def test_a_news_item_reviews_the_year_it_was_published_in(case: str, width: str) -> None:
    text = _NEWS[case]
    report = _report(_ascii(text) if width == "ascii" else text)
    assert report.meta.doc_type == "news"
    assert report.meta.report_year == 2026
    reviewed = [m for m in report.metrics if m.value in (8.6, 9.2, 320)]
    # the year reviewed, whole or so far (截至11月底 dates a flow 2026年1-11月: tests/test_rules_periods.py)
    assert len(reviewed) == 3 and all(m.period in ("2026", "2026年1-11月") for m in reviewed)


def test_a_plan_only_news_item_keeps_the_year_its_headline_names() -> None:
    text = (
        "2026年，柏木镇定下新目标\n\n中国网   2026-03-10 12:17:48\n\n日前，柏木镇召开干部大会，研究部署2026年重点工作任务。"
        "新的一年，主要预期目标是：地方级税收比增5%，固定资产投资与2025年持平。\n"
    )
    assert _report(text).meta.report_year == 2026


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize("opening", ["2027年，该镇将", "2027年，西口镇还将", "2027年该镇将", "明年，该镇力争"])
def test_a_news_items_plan_sentence_after_a_year_and_a_comma_is_a_plan(opening: str, width: str) -> None:
    text = (
        "西口镇：稳中求进促发展\n\n2026-12-20 10:15　来源：西口镇融媒体中心　作者：张伟\n\n"
        f"今年以来，西口镇完成固定资产投资8.6亿元，同比增长9.2%。{opening}新建标准化厂房5万平方米。\n"
    )
    report = _report(_ascii(text) if width == "ascii" else text)
    planned = [m for m in report.metrics if m.value == 5]
    assert [(m.kind, m.period) for m in planned] == [("target", "2027")]
    assert len(report.plans) == 1


# --- stocks: the people a place holds, named without a deed, have no period -----------------------


_REVIEWED = "柏木镇2025年工作总结\n\n一、2025年工作回顾\n（一）民生保障。{sentence}\n"


def _reviewed(sentence: str, width: str) -> list:
    """The metrics the rules engine reads from ``sentence`` in a 2025 review part, in either punctuation width."""
    text = _REVIEWED.format(sentence=sentence)
    return _report(_ascii(text) if width == "ascii" else text).metrics


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, value",
    [
        ("全镇农村低保四百三十户，特困供养对象52人。", 430),
        ("全镇农村低保四百三十户，特困供养对象52人。", 52),
        ("城乡低保对象530人，其中农村低保430人。", 430),
        ("全街道党员1250名，基层党组织46个。", 1250),
        ("监测对象三百四十二户，均落实帮扶措施。", 342),
    ],
)
def test_the_people_a_place_holds_are_a_stock(sentence: str, value: float, width: str) -> None:
    assert [m.period for m in _reviewed(sentence, width) if m.value == value] == [None]


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, value",
    [
        ("全年发展党员17名，转正预备党员15名。", 17),
        ("纳入监测对象46户，全部落实帮扶。", 46),
        ("新增农村低保23户，发放救助资金120万元。", 23),
        ("转入流动党员17名，开展主题党日36场。", 17),
    ],
)
def test_people_added_in_the_year_stay_dated(sentence: str, value: float, width: str) -> None:
    assert [m.period for m in _reviewed(sentence, width) if m.value == value] == ["2025"]


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, value, period",
    [
        ("税收超千万元楼宇达到8栋，较上年增加2栋。", 8, None),
        ("税收超千万元楼宇达到8栋，较上年增加2栋。", 2, "2025"),
        ("全街道商务楼宇达到35栋，入驻企业1200家。", 35, None),
        ("新建商务楼宇达到3栋。", 3, "2025"),
        ("产值超亿元企业达到31家。", 31, "2025"),
    ],
)
def test_the_level_a_class_of_buildings_reaches_is_a_stock(sentence: str, value: float, period: str | None, width: str) -> None:
    text = "柏木街道2025年工作总结\n\n一、2025年工作回顾\n（一）楼宇经济。" + sentence + "\n"
    report = _report(_ascii(text) if width == "ascii" else text)
    assert [m.period for m in report.metrics if m.value == value] == [period]


# --- figures over several years ("十四五"以来, 过去五年, 年均增长) have no period ------------------


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, value",
    [
        ("“十四五”以来累计完成固定资产投资126亿元，地区生产总值年均增长7.2%。", 126),
        ("“十四五”以来累计完成固定资产投资126亿元，地区生产总值年均增长7.2%。", 7.2),
        ("五年累计完成投资86.5亿元，五年来新增市场主体1.2万户。", 86.5),
        ("五年累计完成投资86.5亿元，五年来新增市场主体1.2万户。", 1.2),
        ("过去五年，地区生产总值年均增长6.8%，实施重点项目120个。", 120),
        ("近三年新建农村公路46公里。", 46),
    ],
)
def test_a_figure_over_several_years_has_no_period(sentence: str, value: float, width: str) -> None:
    assert [m.period for m in _reviewed(sentence, width) if m.value == value] == [None]


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, value",
    [
        ("2025年以来共受理政务服务业务5614宗。", 5614),
        ("一年来，新增市场主体320户。", 320),
        ("PM2.5年均浓度降至28微克/立方米。", 28),
        ("全年累计完成投资12亿元，同比增长6%。", 12),
    ],
)
def test_the_reviewed_year_and_a_yearly_average_level_stay_dated(sentence: str, value: float, width: str) -> None:
    assert [m.period for m in _reviewed(sentence, width) if m.value == value] == ["2025"]


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, value",
    [("重点项目开工率达到95%，新签约项目12个。", 95), ("人大代表建议办复率100%，满意率98%。", 100), ("省市重点项目开工率92.5%。", 92.5)],
)
def test_a_start_rate_and_a_reply_rate_are_completion_rates(sentence: str, value: float, width: str) -> None:
    assert [m.kind for m in _reviewed(sentence, width) if m.value == value] == ["completion_rate"]


# --- a bracketed note after a figure (（第四季度对比第三季度）) dates that figure only ---------------


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize("note", ["（第四季度对比第三季度）", "（第四季度环比）", "（四季度与三季度相比）"])
def test_a_quarter_note_dates_its_figure_and_no_later_one(note: str, width: str) -> None:
    sentence = f"规上工业产值12.5亿元，环比增长8.3%{note}，固定资产投资增长6.1%，社会消费品零售总额8.2亿元。"
    text = _REVIEWED.format(sentence=sentence)
    report = _report(_ascii(text) if width == "ascii" else text)
    periods = {m.value: m.period for m in report.metrics}
    assert periods[8.3] == "2025年第四季度"
    assert (periods[12.5], periods[6.1], periods[8.2]) == ("2025", "2025", "2025")


@pytest.mark.parametrize("width", ["full", "ascii"])
def test_a_bracket_that_breaks_a_figure_down_is_no_note_on_its_period(width: str) -> None:
    text = _REVIEWED.format(sentence="新建道路12公里（其中三季度5公里），完成投资3亿元。")
    report = _report(_ascii(text) if width == "ascii" else text)
    assert [m.period for m in report.metrics if m.value == 12] == ["2025"]


# --- a range gives two figures: its lower and its upper end ----------------------------------------


@pytest.mark.parametrize("width", ["full", "ascii"])
@pytest.mark.parametrize(
    "sentence, low, high, unit",
    [
        ("帮助农民工人均增收1.8万至3.5万元，群众满意。", 1.8, 3.5, "万元"),
        ("帮助农民工人均增收1.8万元至3.5万元，群众满意。", 1.8, 3.5, "万元"),
        ("每村培育致富带头人10至15个。", 10, 15, "个"),
        ("每村选派科技指导员2至3名。", 2, 3, "名"),
    ],
)
def test_a_range_gives_both_its_ends(sentence: str, low: float, high: float, unit: str, width: str) -> None:
    text = _REVIEWED.format(sentence=sentence)
    report = _report(_ascii(text) if width == "ascii" else text)
    ends = [(m.value, m.unit, m.value_text) for m in report.metrics]
    assert (low, unit, f"{low:g}") in ends and (high, unit, f"{high:g}") in ends
    pair = [m for m in report.metrics if m.value in (low, high)]
    assert len({m.name for m in pair}) == 1 and len({m.quote for m in pair}) == 1


def test_a_rescaled_upper_end_is_no_second_figure() -> None:
    report = _report(_REVIEWED.format(sentence="带动农户人均增收5000-2万元。"))
    assert [m.value for m in report.metrics] == [5000]
