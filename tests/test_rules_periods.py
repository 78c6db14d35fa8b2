"""How the genre dates a figure, on invented texts in both punctuation widths: a year so far written
as its end (截至11月底), a dated before/after pair, a span of years, a change against a base years back."""

from __future__ import annotations

import re

import pytest

from reportkit.document import Document
from reportkit.rules import summarize_document

FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def _full(text: str) -> str:
    """The text in full-width punctuation; a full stop, not the point of 12.4, becomes 。"""
    return re.sub(r"\.(?!\d)", "。", text.translate(FULL))
REVIEW = "柏木区2025年工作总结\n一、2025年工作回顾\n{body}\n二、存在问题\n一是发展基础还不牢固。\n"
NEWS = "柏木镇:2025年项目建设跑出加速度\n2025-12-02 08:30 来源:江宁县融媒体中心\n\n{body}\n"


def _metrics(template: str, body: str, width: str):
    body = _full(body) if width == "full" else body
    template = _full(template) if width == "full" else template
    return summarize_document(Document.from_text(template.format(body=body))).metrics


def _periods(template: str, body: str, width: str) -> dict[float, str | None]:
    return {m.value: m.period for m in _metrics(template, body, width)}


WIDTHS = ["ascii", "full"]


@pytest.mark.parametrize(
    "body, months",
    [
        ("截至11月底,全镇重点项目完成投资12.4亿元,同比增长8.6%.", "1-11月"),
        ("截至9月末,全镇新开工项目14个,竣工项目6个.", "1-9月"),
        ("截止到10月底,全镇规上工业总产值完成36.2亿元,增长7.1%.", "1-10月"),
        ("前8个月,全镇完成固定资产投资9.7亿元,增长5.5%.", "1-8月"),
        ("截至八月底,全镇引进项目9个,到位资金3.6亿元.", "1-8月"),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_year_so_far_written_as_its_end_dates_the_flows(body: str, months: str, width: str) -> None:
    periods = _periods(NEWS, "今年以来,该镇坚持项目为王." + body, width)
    assert periods and set(periods.values()) == {f"2025年{months}"}, periods


@pytest.mark.parametrize("width", WIDTHS)
def test_an_end_of_year_as_of_is_the_year_and_a_state_stays_undated(width: str) -> None:
    periods = _periods(REVIEW, "截至12月底,全年完成投资12.4亿元.截至目前,辖区共有注册志愿者672名.", width)
    assert periods[12.4] == "2025" and periods[672] is None


@pytest.mark.parametrize(
    "body, before, after",
    [
        ("高新技术企业总数由2020年的128家增加到316家.", 128, 316),
        ("建成区面积由2020年的31.5平方公里扩展到38.2平方公里.", 31.5, 38.2),
        ("城镇化率由2021年的55.2%提高到61.8%.", 55.2, 61.8),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_dated_pair_dates_its_after_value_to_the_report_year(body: str, before: float, after: float, width: str) -> None:
    got = {m.value: m for m in _metrics(REVIEW, "五年来,全区发展成效明显." + body + "研发经费投入强度达到2.4%.", width)}
    assert got[before].period == body[body.index("由") + 1 : body.index("由") + 5]
    assert got[after].period == "2025"
    assert got[after].name == got[before].name.split("（")[0]
    assert got[2.4].period == "2025"  # the before value's date dates that value alone


@pytest.mark.parametrize("width", WIDTHS)
def test_a_ratio_named_as_such_is_a_share(width: str) -> None:
    got = {m.value: m for m in _metrics(REVIEW, "城乡居民收入比由上年的2.11缩小至2.06.", width)}
    assert got[2.11].kind == got[2.06].kind == "share"
    assert got[2.06].name == "城乡居民收入比" and got[2.06].period == "2025"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_change_against_a_base_years_back_outside_a_retrospective_keeps_the_year(width: str) -> None:
    periods = _periods(REVIEW, "研发经费投入强度达到2.4%,比2020年提高0.6个百分点;高新技术企业较2023年增加8家.", width)
    assert periods[0.6] == periods[8] == periods[2.4] == "2025"


@pytest.mark.parametrize(
    "body, spans, dated",
    [
        ("五年来,全区创新能力持续增强.研发经费投入强度达到2.4%,比2020年提高0.6个百分点.", [0.6], [2.4]),
        ("五年新建学校12所,新增学位4800个.", [12, 4800], []),
        ("三年累计改造老旧小区86个,惠及居民2.3万户.", [86, 2.3], []),
        ("全年完成老旧小区改造21个,惠及居民6100户;城镇化率比上年提高1.1个百分点.", [], [21, 6100, 1.1]),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_figures_over_several_years_stay_undated(body: str, spans: list[float], dated: list[float], width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert all(periods[v] is None for v in spans), periods
    assert all(periods[v] == "2025" for v in dated), periods


@pytest.mark.parametrize(
    "body, value",
    [
        ("新注册企业268家,同比增长12.3%.", 268),
        ("新登记经营主体1.6万户,增长7.2%.", 1.6),
        ("全年新注册志愿者540名,开展服务活动120场.", 540),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_stock_cue_after_new_counts_the_years_additions(body: str, value: float, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] == "2025"


@pytest.mark.parametrize(
    "body, value",
    [
        ("“一网通办”事项扩大到126项,网上可办率达到98.1%.", 126),
        ("县级行政许可事项精简至142项.", 142),
        ("“跨省通办”事项达到48项.", 48),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_catalogue_of_matters_at_a_level_is_undated(body: str, value: float, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] is None


@pytest.mark.parametrize("width", WIDTHS)
def test_a_deed_on_matters_stays_dated(width: str) -> None:
    periods = _periods(REVIEW, "受理信访事项215件,同比下降8.1%;办理政务服务事项4.2万件.", width)
    assert periods[215] == periods[4.2] == "2025"


@pytest.mark.parametrize(
    "body, held",
    [
        ("全乡纳入农村低保三百一十户、五百八十人,特困供养人员六十二人.", [310, 580]),
        ("全镇外出务工人员四千二百余人,其中脱贫劳动力一千六百人.", [4200, 1600]),
        ("全街道党员1128名,其中女党员356名.", [1128, 356]),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_people_a_place_holds_are_undated_with_their_parts(body: str, held: list[float], width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert all(periods[v] is None for v in held), periods


@pytest.mark.parametrize("width", WIDTHS)
def test_enrolments_without_the_places_whole_are_the_years(width: str) -> None:
    periods = _periods(REVIEW, "落实动态监测,纳入监测对象26户83人,风险消除率90.2%.", width)
    assert periods[26] == periods[83] == "2025"


PROBLEMS = "柏木社区2025年工作总结\n一、2025年工作回顾\n全年办理事项1200件。\n二、存在的不足\n{body}\n三、2026年工作计划\n（一）抓服务。新增驿站2个。\n"


@pytest.mark.parametrize(
    "body, states, dated",
    [
        ("一是服务阵地不足,社区用房面积仅有520平方米;二是队伍老化,志愿者中60岁以上人员占比超过六成.", [520, 6], []),
        ("一是经济支撑不稳,工业投资同比下降4.2%;二是托育资源不足,每千人口托位数仅为2.1个.", [2.1], [4.2]),
        ("一是智慧社区建设滞后,全年线上服务覆盖率仅为41%;二是停车难,车位缺口约300个.", [300], [41]),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_problem_states_how_things_stand_unless_dated_or_a_change(
    body: str, states: list[float], dated: list[float], width: str
) -> None:
    periods = _periods(PROBLEMS, body, width)
    assert all(periods[v] is None for v in states), periods
    assert all(periods[v] == "2025" for v in dated), periods


@pytest.mark.parametrize(
    "body, change",
    [
        ("中药材种植面积达到1.3万亩,比上年扩大1500亩.", 1500),
        ("耕地保有量稳定在8.2万亩,较上年增加300亩.", 300),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_change_of_a_stock_against_last_year_is_the_years(body: str, change: float, width: str) -> None:
    assert _periods(REVIEW, body, width)[change] == "2025"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_list_member_after_a_deed_at_the_lists_head_is_the_deeds(width: str) -> None:
    periods = _periods(REVIEW, "全镇特困供养人员七十六人,全年发放低保金、特困供养金共计318万元.", width)
    assert periods[76] is None and periods[318] == "2025"


@pytest.mark.parametrize(
    "body, value, kind",
    [
        ("医疗费用综合报销比例达到九成左右.", 9, "share"),
        ("新培育合作社6家,带动农户近四成增收.", 4, "share"),
        ("农产品网络销售额同比增长三成以上.", 3, "growth_rate"),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_tenths_are_a_share_unless_a_change(body: str, value: float, kind: str, width: str) -> None:
    got = {m.value: m.kind for m in _metrics(REVIEW, body, width)}
    assert got[value] == kind, got


# --- half-year news: a quarter's 环比 clause, two-year averages ---------------------------------

HALF = "柏木区2025年上半年经济运行情况\n2025-07-20 来源:柏木区统计局\n\n{body}\n"


@pytest.mark.parametrize(
    "body, later",
    [
        ("1-6月,全区工业用电量8.4亿千瓦时,增长5.1%,二季度环比增长1.6%.新签约项目19个.", 19),
        ("上半年,全区限上零售额42.6亿元,增长4.3%,其中二季度环比增长2.8%;实际利用外资1.9亿美元.", 1.9),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_quarters_chain_growth_dates_its_clause_only(body: str, later: float, width: str) -> None:
    periods = _periods(HALF, body, width)
    chained = 1.6 if 1.6 in periods else 2.8
    assert periods[chained] == "2025年第二季度"
    assert periods[later] in ("2025年1-6月", "2025年上半年"), periods


@pytest.mark.parametrize(
    "body, average",
    [
        ("1-6月,全区规上工业增加值同比增长6.4%,两年平均增长5.2%.", 5.2),
        ("上半年,社会消费品零售总额52.3亿元,增长7.1%,两年平均增长4.8%.", 4.8),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_two_year_average_growth_has_no_period(body: str, average: float, width: str) -> None:
    periods = _periods(HALF, body, width)
    assert periods[average] is None
    assert periods[6.4 if 6.4 in periods else 7.1] is not None


# --- a clause naming the year reviewed (今年, 年内, 当年) reports the year's flow, after a stock too ---


@pytest.mark.parametrize(
    "body, stock, flow, part",
    [
        ("全乡现有党员五百一十名,今年发展党员十二名,其中35岁以下的八名.", 510, 12, 8),
        ("全村共有脱贫户86户,当年新识别监测户5户,其中因病3户.", 86, 5, 3),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_clause_naming_the_year_after_a_stock_is_the_years(body: str, stock: float, flow: float, part: float, width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[stock] is None
    assert periods[flow] == "2025" and periods[part] == "2025", periods


# --- a rate reached in the year beside stocks: its own indicator, and the base it covers ----------


@pytest.mark.parametrize(
    "body, stock, rate",
    [
        ("新建口袋公园6个,县城建成区面积扩大到24.8平方公里,常住人口城镇化率提高到49.6%,比上年提高1.2个百分点.", 24.8, 49.6),
        ("全县耕地面积稳定在62万亩,农作物耕种收综合机械化率提高到81.5%.", 62, 81.5),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_rate_raised_after_a_stock_is_the_years(body: str, stock: float, rate: float, width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[stock] is None and periods[rate] == "2025", periods


@pytest.mark.parametrize(
    "body, value, period",
    [
        ("新建村卫生室4个,家庭医生签约服务覆盖常住人口的38.5%.", 38.5, "2025"),
        ("新建村卫生室4个,家庭医生签约服务覆盖户籍人口的四成.", 4, "2025"),
        ("全镇森林覆盖率达到63.2%.", 63.2, None),  # the stock rate keeps its own rule
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_rate_written_as_what_it_covers_is_not_its_bases_stock(body: str, value: float, period: str | None, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] == period


# --- what is owned and what a name is worth are stocks; their change over the year is dated ------


@pytest.mark.parametrize(
    "body, stock, change",
    [
        ("镇属集体企业资产总额达到3.6亿元,较上年增长8.2%.", 3.6, 8.2),
        ("区属国有企业总资产突破120亿元,比上年增长6.5%.", 120, 6.5),
        ("“柏木红茶”区域公用品牌价值达到9.4亿元,较上年提高1.2亿元.", 9.4, 1.2),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_assets_and_brand_values_are_stocks(body: str, stock: float, change: float, width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[stock] is None and periods[change] == "2025", periods


# --- a count whose 其中 part is the additions among it is the total standing -----------------------


@pytest.mark.parametrize(
    "body, total, added, total_period",
    [
        ("培育社区社会组织52个,其中新增7个.", 52, 7, None),
        ("全镇建成村级文化广场28个,其中今年新增4个.", 28, 4, None),
        ("新增市场主体1800户,其中新增企业620户.", 1800, 620, "2025"),  # the whole is the additions
        ("全年实施重点项目31个,其中新建项目18个、续建项目13个.", 31, 18, "2025"),  # sorted by kind
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_count_whose_part_is_its_additions_is_the_total(
    body: str, total: float, added: float, total_period: str | None, width: str
) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[total] == total_period and periods[added] == "2025", periods


# --- 注册资本 sizes firms; it is no register (注册志愿者) ---------------------------------------


@pytest.mark.parametrize(
    "body, part, stock",
    [
        ("全年走访企业860家次,新引进企业160家,其中注册资本1000万元以上企业21家.", 21, None),
        ("新招引项目42个,其中注册资本超亿元项目6个;辖区注册志愿者3120名.", 6, 3120),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_part_sized_by_registered_capital_is_the_flows(body: str, part: float, stock: float | None, width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[part] == "2025", periods
    if stock is not None:
        assert periods[stock] is None


# --- 增加 leading an area's name reports the area added; after the name it is a level or a change --


@pytest.mark.parametrize(
    "body, value, period",
    [
        ("新建口袋公园4个,增加绿化面积1.2万平方米.", 1.2, "2025"),
        ("实施退耕还林,增加森林面积3600亩.", 3600, "2025"),
        ("全镇绿化面积增加到36万平方米.", 36, None),  # the level reached
        ("茶园面积2.1万亩,比上年增加1500亩.", 2.1, None),  # the stock before its change
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_an_area_added_is_the_years(body: str, value: float, period: str | None, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] == period


# --- a bare 达到 after a mark passed is the level of the same indicator ---------------------------


@pytest.mark.parametrize(
    "body, level",
    [
        ("高新技术企业总数突破120家,达到126家.", 126),
        ("各项存款余额突破50亿元,达到52.6亿元,比年初增长8.1%.", 52.6),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_stocks_level_after_a_mark_passed_is_undated(body: str, level: float, width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[level] is None, periods


# --- the items after a list's lead (…工作：一是…；二是…) take the lead's period --------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_list_items_take_the_period_of_their_lead(width: str) -> None:
    body = (
        "1-6月,全区新增市场主体1260户.\n"
        "区商务局负责人表示,下半年将重点抓好三项工作:一是稳岗位,确保下半年新增就业800人;"
        "二是促消费,举办各类展销活动24场以上;三是扩投资,力争全年新开工项目40个."
    )
    periods = _periods(HALF, body, width)
    assert periods[800] == "2025年下半年" and periods[24] == "2025年下半年", periods
    assert periods[40] == "2025"  # an item naming its own period keeps it


# --- a count closing its clause with 中 names the set the next clause counts from ---------------


@pytest.mark.parametrize(
    "body, whole, part",
    [
        ("全村五十六户防返贫监测对象中,风险已消除的四十二户.", 56, 42),
        ("全镇38名困难残疾人中,已落实两项补贴的35名.", 38, 35),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_set_a_clause_counts_from_is_undated(body: str, whole: float, part: float, width: str) -> None:
    periods = _periods(REVIEW, body, width)
    assert periods[whole] is None and periods[part] == "2025", periods


# --- the 街道 and 乡镇 a district is made of are counted like its villages ------------------------

INTRO = (
    "柏木经济开发区2025年工作总结\n\n2025年,园区主要经济指标保持较快增长.{body}现将有关情况报告如下.\n\n"
    "一、2025年工作回顾\n全年新签约项目12个.\n二、存在问题\n一是发展基础还不牢固.\n"
)


@pytest.mark.parametrize(
    "body, units, period",
    [
        ("园区规划面积42.5平方公里,已建成区面积21.3平方公里,代管4个街道.", 4, None),
        ("园区规划面积42.5平方公里,代管5个乡镇.", 5, None),
        ("园区规划面积42.5平方公里,新建3个街道便民服务中心.", 3, "2025"),  # a deed on them
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_subdistricts_a_district_is_made_of_are_undated(body: str, units: float, period: str | None, width: str) -> None:
    assert _periods(INTRO, body, width)[units] == period


# --- in a plan, the count closing a list of named examples is context, not a target -------------

PLAN = "柏木区2025年工作总结\n一、2025年工作回顾\n全年新签约项目12个.\n二、2026年工作计划\n{body}\n"


@pytest.mark.parametrize(
    "body, listed, target",
    [
        ("(一)扩投资.重点推进柏木大道、滨河公园等14个重大项目,计划实施亿元以上项目30个.", 14, 30),
        ("(二)强产业.依托恒远新材料、华光电子等9家龙头企业,力争规上工业产值增长8%.", 9, 8),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_plans_count_of_named_examples_is_context(body: str, listed: float, target: float, width: str) -> None:
    got = {m.value: (m.kind, m.period) for m in _metrics(PLAN, body, width)}
    assert got[listed] == ("count", None) and got[target] == ("target", "2026"), got


# --- an area written as the size reached states how things stand --------------------------------


@pytest.mark.parametrize(
    "body, value, period",
    [
        ("全村中药材种植从无到有,发展到620亩.", 620, None),
        ("全镇设施农业扩大到1.2万亩,比上年扩大1500亩.", 1.2, None),
        ("全镇设施农业扩大到1.2万亩,比上年扩大1500亩.", 1500, "2025"),  # its change is the year's
        ("全年完成植树造林达到3000亩.", 3000, "2025"),  # a deed's amount
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_an_area_reached_is_undated(body: str, value: float, period: str | None, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] == period


# --- an exam's result is counted for the year, though it ends in 人数 -----------------------------


@pytest.mark.parametrize(
    "body, value, period",
    [
        ("新增学位1200个;高考本科上线人数1630人,上线率提高2.4个百分点.", 1630, "2025"),
        ("中考普高录取人数2140人.", 2140, "2025"),
        ("户籍人口数42.6万人,常住人口人数45.1万人.", 45.1, None),  # a population stays a stock
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_an_exams_result_is_the_years(body: str, value: float, period: str | None, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] == period


# --- 覆盖 after a count says whom it reaches: the count's period, a stock's reach undated ---------


@pytest.mark.parametrize(
    "body, value, period",
    [
        ("新组建企业党组织7个,总数达到35个,覆盖非公企业98家.", 98, None),
        ("新建村级服务站12个,覆盖农户3600户.", 3600, "2025"),  # a deed's reach is the year's
        ("新建村级服务站12个,覆盖率达到92%.", 92, "2025"),  # a rate of its own
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_whom_a_count_reaches_shares_its_period(body: str, value: float, period: str | None, width: str) -> None:
    assert _periods(REVIEW, body, width)[value] == period


@pytest.mark.parametrize(
    "body",
    [
        "预计2024年,全街道完成地区生产总值45.1亿元,同比增长6.1%;规上工业总产值83.6亿元,增长9.4%;一般公共预算收入2.21亿元。",
        "预计2024年，全街道完成地区生产总值45.1亿元，同比增长6.1%；规上工业总产值83.6亿元，增长9.4%；一般公共预算收入2.21亿元。",
    ],
)
def test_a_sentences_opening_period_dates_every_semicolon_part(body: str) -> None:
    """预计2024年，…；…；…。: the period before the sentence's first comma governs the parts its semicolons
    part, not only the first (a plan's baseline of the year it was written in)."""
    text = "某某街道2024年工作总结和2025年工作计划\n一、2024年工作回顾\n全年新增企业3家。\n二、2025年工作计划\n" + body + "\n"
    metrics = {m.value: m for m in summarize_document(Document.from_text(text)).metrics}
    assert [metrics[v].period for v in (45.1, 6.1, 83.6, 9.4, 2.21)] == ["2024"] * 5


@pytest.mark.parametrize(
    "body",
    [
        "地区生产总值增长6%;预计2024年完成45.1亿元,规上工业总产值增长8%。",
        "地区生产总值增长6%；预计2024年完成45.1亿元，规上工业总产值增长8%。",
    ],
)
def test_a_period_inside_a_later_part_dates_no_other_part(body: str) -> None:
    """Only the sentence's opening clause dates its later parts: a period in one part is that part's."""
    text = "某某街道2024年工作总结和2025年工作计划\n一、2024年工作回顾\n全年新增企业3家。\n二、2025年工作计划\n" + body + "\n"
    metrics = {m.value: m for m in summarize_document(Document.from_text(text)).metrics}
    assert metrics[6].period == "2025"
