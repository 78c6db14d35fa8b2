"""The rules engine's reading of one clause at a time: indicator → amount → change → rate, cues,
periods, stocks, Chinese numerals, signs, ranges and thresholds, in both punctuation widths."""

from __future__ import annotations

import pytest

from reportkit.document import Document
from reportkit.rules import summarize_document
from reportkit.schema import Metric

REVIEW = "某某街道2024年工作总结\n一、2024年工作回顾\n{body}\n二、存在问题\n一是发展基础还不牢固。\n"
PLAN = "某某街道2024年工作总结和2025年工作计划\n一、2024年工作回顾\n全年新增企业3家。\n二、2025年工作计划\n{body}\n"
YTD = "某某街道2024年前三季度工作总结及第四季度工作打算\n一、前三季度工作情况\n{body}\n二、第四季度工作打算\n{plan}\n"

FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def read(body: str, template: str = REVIEW, **kw: str) -> list[Metric]:
    text = template.format(body=body, **kw)
    report = summarize_document(Document.from_text(text))
    for m in report.metrics:
        assert m.span is not None and text[m.span[0] : m.span[1]] == m.quote
    return report.metrics


def by_value(metrics: list[Metric]) -> dict[float, Metric]:
    return {m.value: m for m in metrics}


def both_widths(body: str) -> list[str]:
    return [body, body.translate(FULL)]


# --- a change or rate clause belongs to the amount's indicator ------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        *both_widths("规上工业总产值98.3亿元,同比增长6.9%。"),
        *both_widths("规上工业总产值98.3亿元,比上年增长6.9%。"),
        *both_widths("规上工业总产值98.3亿元,增长6.9%;"),
        *both_widths("全街道完成规上工业总产值98.3亿元,增速6.9%。"),
    ],
)
def test_growth_after_amount_takes_its_indicator(body: str) -> None:
    m = by_value(read(body))
    assert (m[98.3].name, m[98.3].kind, m[98.3].unit) == ("规上工业总产值", "actual", "亿元")
    assert m[6.9].kind == "growth_rate" and m[6.9].name.startswith("规上工业总产值")
    assert m[6.9].period == m[98.3].period == "2024"


@pytest.mark.parametrize(
    "body",
    both_widths("税收收入3.62亿元,占比82.6%,较上年提高2.3个百分点。")
    + both_widths("税收收入3.62亿元,占比82.6%,同比提高2.3个百分点。"),
)
def test_points_change_after_a_share(body: str) -> None:
    m = by_value(read(body))
    assert m[82.6].kind == "share" and m[82.6].name.startswith("税收收入")
    assert m[2.3].kind == "growth_rate" and m[2.3].unit == "个百分点" and m[2.3].name.startswith("税收收入")


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("外贸进出口14.2亿元,同比下降3.1%。", "下降"),
        ("外贸进出口14.2亿元,同比下降3.1%。".translate(FULL), "下降"),
        ("街道发文数量同比精简21.4%。", "精简"),
        ("会议数量压减15.2%。", "压减"),
    ],
)
def test_decline_in_words_keeps_positive_value_and_says_so(body: str, word: str) -> None:
    decline = next(m for m in read(body) if m.unit == "%")
    assert decline.value > 0 and word in decline.name and decline.kind == "growth_rate"


def test_absolute_change_takes_the_kind_of_its_unit() -> None:
    m = by_value(read("群众安全感测评得分98.9分,较上年提高0.6分;空气质量优良天数186天,较去年同期增加12天。"))
    assert (m[98.9].kind, m[0.6].kind) == ("actual", "actual")
    assert (m[186].kind, m[12].kind) == ("count", "count")
    assert m[12].name == "空气质量优良天数"


def test_duration_and_score_units_only_as_measures() -> None:
    values = {m.value for m in read("优良天数234天,近3年来累计投入资金5亿元,服务时长1.2万小时,600分以上考生120人。")}
    assert {234, 5, 1.2, 120} <= values
    assert 3 not in values and 600 not in values


@pytest.mark.parametrize("body", ["通勤时间缩短40%。", "审批时限压缩40%。", "办理时间缩短40%,"])
def test_shortening_is_a_change(body: str) -> None:
    (m,) = [m for m in read(body) if m.unit == "%"]
    assert m.kind == "growth_rate"


# --- signs, ranges, thresholds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "values"),
    [
        ("固定资产投资增长-3.4%。", [-3.4]),
        ("固定资产投资同比增长－１．２％。", [-1.2]),
        ("进出口总额、出口总额同比分别-6.2%、-19.3%。", [-6.2, -19.3]),
        ("工业投资同比增速-21.4%,", [-21.4]),
    ],
)
def test_minus_sign_as_written(body: str, values: list[float]) -> None:
    found = [m for m in read(body) if m.unit == "%"]
    assert [m.value for m in found] == values
    assert all(m.kind == "growth_rate" for m in found)


def test_range_with_scale_on_the_upper_end() -> None:
    (m,) = read("对新建项目给予5000-2万元奖励。")
    assert (m.value, m.unit) == (5000, "元")


@pytest.mark.parametrize(
    ("body", "value"),
    [
        ("注册资金1000万以上29家。", 29),
        ("签约亿元以上项目18个。", 18),
        ("培育超亿元企业5家。", 5),
        ("产值超10亿元企业4家。", 4),
        ("产值过10亿元企业达到14家。", 14),  # 过 is no hedge, but with the noun after it the amount is a bound
        ("营业收入过5000万元企业6家。", 6),
        ("集体经济收入20万元至50万元的村15个。", 15),
        ("存栏50头以上的规模养殖场12家。", 12),
    ],
)
def test_threshold_is_no_figure_but_the_count_next_to_it_is(body: str, value: float) -> None:
    assert [m.value for m in read(body)] == [value]


def test_an_amount_passed_without_a_noun_after_it_is_a_figure() -> None:
    """收入过10亿元, is a milestone of the amount itself: 过 makes a bound only of an amount that names a class."""
    assert [m.value for m in read("全镇工业产值过10亿元,同比增长8%。")] == [10, 8]


def test_a_bound_every_member_meets_is_a_threshold() -> None:
    assert read("村级集体经济收入全部超过10万元。") == []
    assert read("村级集体经济全部达到10万元以上。") == []


# --- cues apply within their clause -----------------------------------------------------------------


def test_completion_against_a_plan_is_no_target() -> None:
    m = by_value(read("限上销售额完成12.5亿元,占年计划100.36%,新增企业5家。"))
    assert m[100.36].kind == "completion_rate"
    assert m[12.5].kind == "actual" and m[5].kind == "count"


def test_weak_target_cue_stays_in_its_clause() -> None:
    m = by_value(read("计划投资5亿元,新建道路3公里,改造小区4个。"))
    assert m[5].kind == "target"
    assert (m[3].kind, m[4].kind) == ("actual", "count")


@pytest.mark.parametrize("body", both_widths("预计全年地区生产总值1086.4亿元,同比增长5.6%。"))
def test_estimate_for_the_reviewed_year_is_a_target_of_that_year(body: str) -> None:
    m = by_value(read(body))
    assert (m[1086.4].kind, m[1086.4].period) == ("target", "2024")
    assert (m[5.6].kind, m[5.6].period) == ("target", "2024")


def test_yardstick_amount_is_the_years_target() -> None:
    m = by_value(read("一般公共预算收入3.86亿元,完成全年目标5.1亿元的75.7%。"))
    assert (m[5.1].kind, m[5.1].period) == ("target", "2024")
    assert m[75.7].kind == "completion_rate" and m[75.7].name.startswith("一般公共预算收入")
    assert m[3.86].kind == "actual"


@pytest.mark.parametrize(
    "body", both_widths("办理人大代表建议46件,办结率、满意率均为100%。") + ["发文数量、会议数量均压减10%。"]
)
def test_one_number_for_two_indicators(body: str) -> None:
    shared = [m for m in read(body) if m.unit == "%"]
    assert len(shared) == 2 and len({m.name for m in shared}) == 2


# --- lists ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", both_widths("新增停车泊位640个、充电桩120个,新建口袋公园3处。"))
def test_each_amount_of_a_list_has_its_own_indicator(body: str) -> None:
    m = by_value(read(body))
    assert (m[640].name, m[120].name) == ("新增停车泊位", "充电桩")
    assert "口袋公园" in m[3].name


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("批发业、零售业销售额分别增长5.8%和3.9%。", ["批发业销售额", "零售业销售额"]),
        ("城镇、农村常住居民人均可支配收入分别增长4.9%和6.6%。", ["城镇常住居民人均可支配收入", "农村常住居民人均可支配收入"]),
        ("港口货物吞吐量1.86亿吨,集装箱吞吐量312万标准箱,分别增长3.9%和8.1%。", ["港口货物吞吐量", "集装箱吞吐量"]),
        ("港口货物吞吐量1.86亿吨，集装箱吞吐量312万标准箱，分别增长3.9%和8.1%。", ["港口货物吞吐量", "集装箱吞吐量"]),
        # a base between 分别 and the change word (分别比年初增长) is the figures' base, not a name
        ("各项存款余额365.3亿元、贷款余额278.9亿元,分别比年初增长6.4%和9.7%。", ["各项存款余额", "贷款余额"]),
        ("各项存款余额365.3亿元、贷款余额278.9亿元，分别比年初增长6.4%和9.7%。", ["各项存款余额", "贷款余额"]),
        ("社会消费品零售总额42.6亿元,网络零售额9.8亿元,分别较上年增长4.2%和12.5%。", ["社会消费品零售总额", "网络零售额"]),
        ("社会消费品零售总额42.6亿元，网络零售额9.8亿元，分别较上年增长4.2%和12.5%。", ["社会消费品零售总额", "网络零售额"]),
    ],
)
def test_respectively_gives_one_indicator_per_figure(body: str, names: list[str]) -> None:
    rates = [m for m in read(body) if m.unit == "%"]
    assert [m.name for m in rates] == names
    assert all(m.kind == "growth_rate" for m in rates)



@pytest.mark.parametrize(
    ("body", "names"),
    [
        # a second 分别 group pairs with the first group's indicators, in order
        ("居民人均收入稳步提高，城镇、农村居民人均可支配收入分别达到4.1万元和2.2万元，分别增长5.1%和7.3%。",
         ["城镇居民人均可支配收入", "农村居民人均可支配收入"] * 2),
        # a count of the list's kind (两大, 三大) closes the list: its kind, without 主导/重点, is every item's head;
        # 和 inside an item of a 、 list does not split it; the measure after 分别+verb completes the name
        ("家电制造和汽车配件、食品加工两大产业分别实现产值40.6亿元和18.9亿元，分别增长8.8%和6.1%。",
         ["家电制造和汽车配件产业产值", "食品加工产业产值"] * 2),
        ("纺织、机械、电子三大重点产业增加值分别增长4.2%、6.5%和9.9%。",
         ["纺织产业增加值", "机械产业增加值", "电子产业增加值"]),
        ("刑事案件和治安案件分别下降12.5%和8.4%。", ["刑事案件下降", "治安案件下降"]),
    ],
)
def test_respectively_lists_name_every_member(body: str, names: list[str]) -> None:
    for text in both_widths(body):
        metrics = [m for m in read(text) if m.unit in ("%", "万元", "亿元")]
        assert [m.name for m in metrics] == names, text


# --- periods ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", both_widths("1-9月,规上工业总产值98.3亿元;新增企业5家,招引项目3个。"))
def test_partial_period_marker_carries_over_the_paragraph(body: str) -> None:
    assert {m.period for m in read(body)} == {"2024年1-9月"}


def test_year_to_date_report_takes_its_span_and_plans_the_rest_of_the_year() -> None:
    metrics = read(
        "今年以来,规上工业总产值98.3亿元,同比增长6.9%,其中三季度单季增长7.8%;社会消费品零售总额31.7亿元。",
        YTD,
        plan="四季度新开工项目3个,确保全年一般公共预算收入5.1亿元。",
    )
    m = by_value(metrics)
    assert m[98.3].period == m[6.9].period == m[31.7].period == "2024年1-9月"
    assert m[7.8].period == "2024年第三季度"
    assert (m[3].kind, m[3].period) == ("target", "2024年第四季度")
    assert (m[5.1].kind, m[5.1].period) == ("target", "2024")


@pytest.mark.parametrize("body", both_widths("1-9月,完成一般公共预算收入3.86亿元,完成全年目标5.1亿元的75.7%。"))
def test_the_full_year_target_inside_a_year_to_date_progress_clause_is_the_years(body: str) -> None:
    m = by_value(read(body, YTD, plan="确保全年完成目标。"))
    assert m[3.86].period == m[75.7].period == "2024年1-9月"
    assert (m[5.1].kind, m[5.1].period) == ("target", "2024")


@pytest.mark.parametrize("body", both_widths("上半年新签约项目12个,协议投资额约56亿元。"))
def test_half_year_marker(body: str) -> None:
    m = by_value(read(body))
    assert m[12].period == m[56].period == "2024年上半年"
    assert m[56].qualifier == "约"


@pytest.mark.parametrize(
    "body",
    [
        "全镇划分网格186个。",
        "新增规上工业企业14家,总数达到137家。",
        "新建长者食堂4处,累计服务老年人3.2万人次。",
        "全乡辖八个行政村、三十六个自然村。",
        "每万人发明专利拥有量达28.5件。",
    ],
)
def test_stocks_and_cumulative_totals_have_no_period(body: str) -> None:
    metrics = read(body)
    stocks = [m for m in metrics if m.value in (186, 137, 3.2, 8, 36, 28.5)]
    assert stocks and all(m.period is None for m in stocks)
    flows = [m for m in metrics if m.value in (14, 4)]
    assert all(m.period == "2024" for m in flows)


@pytest.mark.parametrize(
    "body",
    both_widths("全街道划分综合网格168个、专属网格37个,配备网格员205名。")
    + both_widths("有序推进网格治理,现有综合网格168个、专属网格37个、网格员205名。"),
)
def test_a_stock_cue_governs_its_whole_list(body: str) -> None:
    """划分/现有 opens a list of what there is: every member of the 、 list is a stock."""
    m = by_value(read(body))
    assert m[168].period is None and m[37].period is None and m[205].period is None


@pytest.mark.parametrize("body", both_widths("累计拆违1.8万平方米、整治乱搭乱建133处;现有企业250家、新增企业30家。"))
def test_a_deed_in_a_list_ends_the_stock(body: str) -> None:
    m = by_value(read(body))
    assert m[1.8].period is None and m[250].period is None
    assert m[133].period == "2024" and m[30].period == "2024"


@pytest.mark.parametrize("word", ["有序", "有效", "有力"])
def test_an_adverb_with_you_opens_no_stock_clause(word: str) -> None:
    """有居民小区9个 describes what there is; 有序推动27个项目入库 reports what was done."""
    m = by_value(read(f"{word}推动静脉产业园等27个项目入库,总投资27.12亿元。"))
    assert m[27].period == "2024" and m[27.12].period == "2024"
    (stock,) = read("辖区面积0.86平方公里,有居民小区9个。")[1:]
    assert stock.period is None


@pytest.mark.parametrize(
    ("body", "value", "name", "period"),
    [
        *[(b, 1100, "南滨江九大团块", None) for b in both_widths("1100余亩、3000余户的南滨江九大团块拆改攻坚取得新成效。")],
        *[(b, 3000, "南滨江九大团块", None) for b in both_widths("1100余亩、3000余户的南滨江九大团块拆改攻坚取得新成效。")],
        ("投资近1亿元的幸福颐养院项目主体工程即将完成。", 1, "幸福颐养院项目投资", None),
        ("建成面积1200平方米的邻里中心,服务居民3000人次。", 3000, "服务居民", "2024"),
    ],
)
def test_a_figure_describing_a_thing_is_its_undated_size(body: str, value: float, name: str, period: str | None) -> None:
    """Q的NOUN with nothing but a measure noun before it is the size of the thing, not the year's work."""
    m = by_value(read(body))[value]
    assert m.period == period
    assert m.name.startswith(name) or name.startswith(m.name), m.name
    assert m.quote.endswith(m.name[:4]) or m.name[:4] in m.quote


@pytest.mark.parametrize("body", both_widths("坚持制造业当家,抓好71家规上企业精准服务;依托26个行政村发展特色产业,力争新增专精特新企业5家。"))
def test_a_plan_verb_counting_what_it_works_on_is_no_target(body: str) -> None:
    """In a plan, 抓好71家规上企业 counts the existing firms (count, undated); 力争新增…5家 is the goal."""
    m = by_value(read(body, PLAN))
    assert (m[71].kind, m[71].period) == ("count", None)
    assert (m[26].kind, m[26].period) == ("count", None)
    assert (m[5].kind, m[5].period) == ("target", "2025")


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 327, "协调解决问题") for b in both_widths("走访企业1860家次,协调解决用工、融资、用地等问题327个。")],
        *[(b, 19, "协商解决民生事项") for b in both_widths("协商解决小区停车、加装电梯等民生事项19项。")],
        *[(b, 688, "走访慰问优抚对象") for b in both_widths("走访慰问残疾军人和参战老兵等优抚对象共688人次。")],
    ],
)
def test_examples_before_deng_are_left_out_of_the_name(body: str, value: float, name: str) -> None:
    """VERB A、B、C等NOUN N: the indicator is the verb and the noun after 等, not the last example."""
    m = by_value(read(body))[value]
    assert m.name == name and m.period == "2024"
    assert m.quote.startswith(name[:2])


@pytest.mark.parametrize(
    ("body", "names"),
    [
        *[(b, {5.8: "粮食播种面积中小麦", 6.8: "粮食播种面积中玉米"}) for b in both_widths("粮食播种面积12.6万亩,其中小麦5.8万亩、玉米6.8万亩。")],
        *[(b, {7.2: "新建改建农村公路中新建", 10.4: "新建改建农村公路中改建"}) for b in both_widths("新建改建农村公路18.6公里,其中新建7.2公里、改建10.4公里。")],
        ("新增经营主体1416户,其中企业318户,增长12.5%。", {318: "新增经营主体中企业", 12.5: "新增经营主体中企业"}),
        ("高技能人才总量达到900人,其中高级技师210人。", {210: "高级技师"}),
    ],
)
def test_a_one_word_part_is_named_within_its_whole(body: str, names: dict[float, str]) -> None:
    """其中小麦5.8万亩: a part written as one word is named inside the indicator it breaks down."""
    m = by_value(read(body))
    assert {v: m[v].name for v in names} == names


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 241, "解决居民意见建议") for b in both_widths("收集居民意见建议263条,解决241条。")],
        *[(b, 812, "已整改隐患") for b in both_widths("排查隐患860处,已整改812处,整改率96.8%。")],
        ("全年新增规上工业企业4家,退出2家。", 2, "退出规上工业企业"),
        ("开展职业技能培训24期、培训1650人次。", 1650, "职业技能培训"),
    ],
)
def test_a_clause_of_only_a_deed_verb_acts_on_the_object_before(body: str, value: float, name: str) -> None:
    m = by_value(read(body))[value]
    assert m.name == name and m.kind == "count"


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 767.56, "水田指标") for b in both_widths("三村土地整治项目767.56亩水田指标全部成功入库。")],
        *[(b, 452.7, "土地征收") for b in both_widths("古城街道完成452.7亩土地征收和7户房屋征收。")],
        *[(b, 4, "超亿元项目") for b in both_widths("引入东日钢构、鲁益再生、东和坊4个超亿元项目。")],
        ("完成雨污分流改造23个小区,整治黑臭水体2条。", 23, "雨污分流改造小区"),
    ],
)
def test_a_noun_right_after_the_figure_is_what_it_counts(body: str, value: float, name: str) -> None:
    """Q+unit+NOUN is one noun phrase: the noun after the figure names it, not the topic before."""
    m = by_value(read(body))[value]
    assert m.name.startswith(name) and name[-2:] in m.quote


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("海沧路延伸段2.4公里建成通车。", "海沧路延伸段"),
        ("新增企业12家落户园区。", "新增企业"),
        ("引进项目8个入驻园区。", "引进项目"),
        ("培育家庭农场15家带动农户增收。", "培育家庭农场"),
    ],
)
def test_a_subject_before_its_predicate_keeps_its_name(body: str, name: str) -> None:
    """A count names the noun before it; what follows it without a break is a predicate."""
    (m,) = read(body)
    assert m.name == name


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        ("年初确定的12项民生实事全部完成。", 12, "民生实事"),
        ("对辖内纳入重点监管的262家企业、131栋高层建筑建档立册。", 262, "纳入重点监管企业"),
        ("共组建23支应急抢险队伍。", 23, "应急抢险队伍"),
    ],
)
def test_a_count_after_de_or_a_founding_verb_names_the_noun_after_it(body: str, value: float, name: str) -> None:
    assert by_value(read(body))[value].name.startswith(name)


def test_a_one_word_name_takes_the_sentence_subject_that_holds_it() -> None:
    m = by_value(read("城镇老旧小区改造2022年项目完工、2023年项目开工,共14个小区,总投资2亿多元。"))
    assert m[14].name == "城镇老旧小区改造"


@pytest.mark.parametrize(
    ("body", "value", "period"),
    [
        *[(b, 7, None) for b in both_widths("严格落实河长制,对辖内7条河涌实行常态化管养和保洁。")],
        ("对1812名重点人员落实精准管控、全程监管。", 1812, None),
        ("持续完善辖内15棵古树名木“一树一档”。", 15, None),
        *[(b, 5185, "2024") for b in both_widths("对辖区5185间出租房完成第一轮全面排查。")],
        ("特别是对8个重点村社的1456间出租房,发放整改意见单425条。", 1456, "2024"),
    ],
)
def test_what_the_work_is_applied_to_is_a_stock_unless_a_deed_is_reported(body: str, value: float, period: str | None) -> None:
    """对/辖内 + figure: the things a measure is applied to are counted as they are (null), unless
    the sentence reports something done to them (完成排查, 发放…), which dates them."""
    assert by_value(read(body))[value].period == period


@pytest.mark.parametrize("body", ["全乡森林覆盖率保持在78.6%。", "森林覆盖率提高到42.3%。", "全镇森林覆盖率64.8％。"])
def test_forest_cover_is_a_state_but_other_coverage_rates_are_the_years(body: str) -> None:
    (m,) = read(body)
    assert (m.kind, m.period, m.name) == ("share", None, "森林覆盖率")
    (other,) = read("生活垃圾分类覆盖率保持在96%。")
    assert (other.kind, other.period) == ("share", "2024")


def test_a_projection_runs_on_into_the_next_undated_sentence() -> None:
    """园区建成后…预计达6亿。直接解决就业500人左右: the project's expected effects, not the year's."""
    m = by_value(read("园区建成后年销售额预计达6亿元,亩均税收达30万元。直接解决就业500人左右,促进上下游就业3000人以上。"))
    assert all((m[v].kind, m[v].period) == ("target", None) for v in (6, 30, 500, 3000))
    m = by_value(read("园区建成后年销售额预计达6亿元。全年新增就业500人。"))
    assert (m[500].kind, m[500].period) == ("count", "2024")
    m = by_value(read("园区建成后年销售额预计达6亿元。\n直接解决就业500人。"))
    assert m[500].kind == "count"


@pytest.mark.parametrize(("body", "value"), [("社区法律顾问每月坐班2次。", 2), ("工业园区供水能力提升到每日3万吨。", 3), ("每季度开展安全检查4次。", 4)])
def test_a_frequency_is_no_total_of_the_year(body: str, value: float) -> None:
    assert by_value(read(body))[value].period is None


def test_examples_opening_the_clause_are_left_out_of_the_name() -> None:
    (m,) = read("对独居、空巢等特殊老人开展电话问候2600余次。")
    assert m.name == "特殊老人开展电话问候" and m.period == "2024"


def test_rates_sharing_one_value_keep_their_own_kinds() -> None:
    kinds = {m.name[-3:]: m.kind for m in read("办理人大代表建议46件,办结率、满意率均为100%。") if m.value == 100}
    assert kinds == {"办结率": "completion_rate", "满意率": "share"}


@pytest.mark.parametrize("body", both_widths("新增就业740人,完成年度任务700人的105.7%。"))
def test_the_yardstick_amount_before_its_completion_rate_is_a_target(body: str) -> None:
    m = by_value(read(body))
    assert (m[700].kind, m[105.7].kind, m[740].kind) == ("target", "completion_rate", "count")


def test_a_target_word_inside_a_policy_name_is_no_cue() -> None:
    (m,) = read("发放稻谷目标价格补贴98万元。")
    assert (m.kind, m.period) == ("actual", "2024")


@pytest.mark.parametrize(
    ("body", "values", "period"),
    [
        ("枫溪工业园完成调区扩区,规划面积由4.2平方公里扩大到7.5平方公里。", (4.2, 7.5), None),
        ("盘活闲置楼宇面积4.6万平方米,新引进总部型企业12家。", (4.6, 12), "2024"),
        ("整改耕地“非农化”问题图斑27个、面积96亩,整改完成率100%。", (27, 96, 100), "2024"),
        ("辖区3个国省考断面水质达标率100%。", (3,), None),
    ],
)
def test_an_area_is_a_stock_unless_something_was_done_to_it(body: str, values: tuple[float, ...], period: str | None) -> None:
    m = by_value(read(body))
    assert {v: m[v].period for v in values} == dict.fromkeys(values, period)


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 4.48, "侨乡碧道投入") for b in both_widths("投入4.48亿元建成城镇型、生态型等侨乡碧道58.4公里。")],
        ("投入投资1.5亿元建设黄编村松岗商业楼项目。", 1.5, "黄编村松岗商业楼项目投资"),
        ("8家爱心企业共捐赠55万元充实社区基金。", 55, "爱心企业共捐赠"),
        ("组建106人的多元解纷人才库。", 106, "多元解纷人才库"),
    ],
)
def test_money_is_named_by_what_it_builds_not_by_its_use(body: str, value: float, name: str) -> None:
    """投入X亿元建成…侨乡碧道: named by what it builds; 捐赠55万元充实社区基金: the words after money
    say what it is for, so the indicator stays the one before it."""
    assert by_value(read(body))[value].name == name


def test_a_flow_inside_a_stock_breakdown_is_dated() -> None:
    m = by_value(read("社区现有注册志愿者672名,其中全年新增115名。"))
    assert m[672].period is None and m[115].period == "2024"


@pytest.mark.parametrize("body", both_widths("农村生活污水治理率由上年的47%提高到73%。"))
def test_before_and_after_pair(body: str) -> None:
    m = by_value(read(body))
    assert (m[47].kind, m[47].period) == ("share", "2023") and "上年" in m[47].name
    assert (m[73].kind, m[73].period) == ("share", "2024") and m[73].name == "农村生活污水治理率"


@pytest.mark.parametrize("body", both_widths("固定资产投资31.6亿元,较上年的28.9亿元增长9.3%。") + ["固定资产投资31.6亿元,比2023年的28.9亿元增长9.3%。"])
def test_base_amount_of_a_comparison_is_the_earlier_level(body: str) -> None:
    """较上年的28.9亿元增长9.3%: the amount after 较/比 + base + 的 is the base year's level."""
    m = by_value(read(body))
    assert (m[28.9].kind, m[28.9].period) == ("actual", "2023") and m[28.9].name.startswith("固定资产投资")
    assert (m[9.3].kind, m[9.3].period, m[9.3].name) == ("growth_rate", "2024", "固定资产投资")
    assert (m[31.6].period, m[31.6].name) == ("2024", "固定资产投资")


def test_base_year_is_no_period() -> None:
    (m,) = read("高新技术企业申报数较2022年增长8家。")
    assert (m.period, m.kind) == ("2024", "count")


def test_plan_section_targets_take_the_plan_year() -> None:
    metrics = read("力争新增规上工业企业10家以上,新改建农村公路15公里;由2024年的38%提高到45%的城市生活垃圾回收利用率。", PLAN)
    m = by_value(metrics)
    assert (m[10].kind, m[10].period, m[10].qualifier) == ("target", "2025", "以上")
    assert (m[15].kind, m[15].period) == ("target", "2025")
    assert (m[38].kind, m[38].period) == ("share", "2024")


# --- Chinese numerals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "value", "unit", "value_text", "qualifier"),
    [
        ("培育农民专业合作社二十三个。", 23, "个", "二十三", None),
        ("新增家庭农场十一家,带动百余户农户增收。", 100, "户", "百", "余"),
        ("争取各级衔接资金两千三百万元。", 2300, "万元", "两千三百", None),
        ("调处矛盾纠纷一百四十三起,调处成功率百分之九十八。", 98, "%", "百分之九十八", None),
        ("全乡种植糖料蔗三万二千亩。", 32000, "亩", "三万二千", None),
        ("完成五个村的村庄规划编制。", 5, "个", "五", None),
    ],
)
def test_chinese_numeral_figures(body: str, value: float, unit: str, value_text: str, qualifier: str | None) -> None:
    m = by_value(read(body))[value]
    assert (m.unit, m.value_text, m.qualifier) == (unit, value_text, qualifier)
    assert m.quote.find(value_text) >= 0


def test_doubling_is_one_fan() -> None:
    (m,) = read("茶叶产值4850万元,较2020年翻一番。")[1:]
    assert (m.value, m.unit, m.value_text, m.kind) == (1, "番", "一", "growth_rate")


@pytest.mark.parametrize(
    "body",
    [
        "做强三大主导产业。",
        "办好十大民生实事。",
        "承办第三届农民丰收节。",
        "一季度经济运行平稳。",
        "深刻领悟两个确立。",
        "重点做好以下五个方面工作。",
        "推进一村一品建设。",
        "建成镇、村两级服务站。",
        "分三个阶段推进。",
        "十件民生实事全部完成。",
        "贯彻党的二十大和二十届三中全会精神。",
    ],
)
def test_numerals_in_names_slogans_ordinals_and_labels_are_no_figures(body: str) -> None:
    assert read(body) == []


# --- run-on input ---------------------------------------------------------------------------------------


def test_repeated_clause_without_punctuation_is_read_figure_by_figure() -> None:
    text = "增长5%" * 600
    report = summarize_document(Document.from_text(text))
    assert len(report.metrics) == 600
    assert {(m.value, m.unit, m.kind) for m in report.metrics} == {(5.0, "%", "growth_rate")}
    for m in report.metrics:
        assert m.span is not None and text[m.span[0] : m.span[1]] == m.quote and len(m.quote) <= 60


def test_an_empty_tail_is_read_without_the_search_and_the_same() -> None:
    # a figure's left mostly ends in its indicator (地区生产总值): _tail answers without running
    # _TAIL from every position, and must answer as the search does whenever it skips it
    import random

    from reportkit import rules

    pieces = ["地区生产总值", "同比", "增长", "下降", "分别", "为", "达到", "保持在", "提高到", "了", "比上年", "均", "约",
              "共计", "较去年同期", "年均", "\n", "值", "率", "实现", "完成", "至", "、", "项目", "收窄"]
    rng = random.Random(3)
    bodies = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(4000)]
    for body in bodies:
        fast, full = rules._tail(body), rules._TAIL.search(body)
        if fast is None:
            assert full is not None and full.start() == full.end() == len(body), body
        else:
            assert (fast.span(), fast.groupdict()) == (full.span(), full.groupdict()), body


@pytest.mark.parametrize("text", [
    "收集居民意见建议263条,解决241条。协调物业企业维(三)修楼道灯、单元门等设施195处。",
    "协调（各方）解决用工、融资、用地等问题327个。",
    "（一）协调解决用（工）、融资、用地等问题327个。",
])
def test_an_examples_name_quotes_from_where_its_verb_stands_past_brackets(text: str) -> None:
    # found by fuzzing: the verb before 用工、融资…等 was searched for with the brackets removed;
    # a bracket inside it (a marker typed into the line) made the search fail and the span (-1, …)
    report = summarize_document(Document.from_text(text))
    assert report.metrics
    for m in report.metrics:
        assert m.span is not None and 0 <= m.span[0] <= m.span[1] <= len(text)
        assert text[m.span[0] : m.span[1]] == m.quote, (m.name, m.span, m.quote)


@pytest.mark.parametrize(
    ("body", "level", "change", "name"),
    [
        ("城区面积扩大到28.5平方公里,常住人口城镇化率提高到61.4%,比上年提高1.1个百分点。", 61.4, 1.1, "常住人口城镇化率"),
        ("城区面积扩大到28.5平方公里，常住人口城镇化率提高到61.4%，比上年提高1.1个百分点。", 61.4, 1.1, "常住人口城镇化率"),
        ("新建公园3个,群众满意度提升至96.5%,比上年提高2.1个百分点。", 96.5, 2.1, "群众满意度"),
        ("新建公园3个，群众满意度提升至96.5%，比上年提高2.1个百分点。", 96.5, 2.1, "群众满意度"),
    ],
)
def test_a_change_after_a_rates_level_is_the_rates(body: str, level: float, change: float, name: str) -> None:
    """提高到61.4% states the rate's level, so the change after it (比上年提高1.1个百分点) is that rate's, not the
    indicator before it in the sentence."""
    m = by_value(read(body))
    assert m[level].name == name and m[change].name.startswith(name)


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        ("完成征收房屋126户、面积2.35万平方米,建成安置房480套。", 2.35, "征收房屋面积"),
        ("完成征收房屋126户、面积2.35万平方米，建成安置房480套。", 2.35, "征收房屋面积"),
        ("改造老旧小区12个、面积18.6万平方米;", 18.6, "老旧小区面积"),
        ("改造老旧小区12个、面积18.6万平方米；", 18.6, "老旧小区面积"),
    ],
)
def test_a_bare_measure_noun_after_a_list_mark_is_the_things(body: str, value: float, name: str) -> None:
    """房屋126户、面积2.35万平方米: the 面积 is the houses', as after a comma (新增民宿42家,床位860张)."""
    assert by_value(read(body))[value].name == name


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        ("全镇规上工业企业达到86家,净增7家;", 7, "规上工业企业"),
        ("全镇规上工业企业达到86家，净增7家；", 7, "规上工业企业"),
        ("市场主体总数达到1.2万户,比上年净增加860户。", 860, "市场主体总数"),
        ("市场主体总数达到1.2万户，比上年净增加860户。", 860, "市场主体总数"),
    ],
)
def test_a_net_change_after_a_stock_is_the_stocks(body: str, value: float, name: str) -> None:
    """净增 (entries less exits) is a change like 增加: the count after a stock's level is that stock's change."""
    assert by_value(read(body))[value].name == name


# --- an 指标：数值 line names its figures by its label -----------------------------------------------

FIELD_BLOCK = (
    "地区生产总值:38.6亿元,同比增长6.2%\n"
    "其中税收收入:1.01亿元,同比增长7.1%\n"
    "规模以上工业增加值:同比增长8.9%\n"
    "实际利用外资:860万美元,增长1.2倍\n"
    "PM2.5年均浓度:31微克/立方米\n"
    "城乡居民收入比:由上年的1.69缩小到1.64"
)


@pytest.mark.parametrize("body", both_widths(FIELD_BLOCK) + both_widths(FIELD_BLOCK.replace("\n", "。\n") + "。"))
def test_a_field_lines_label_names_its_figures(body: str) -> None:
    """地区生产总值：38.6亿元，同比增长6.2%: the label before the colon is the indicator of the amount,
    of the change clause after it, and of a line that holds a change alone; each line is its own."""
    m = by_value(read(body))
    assert (m[38.6].name, m[6.2].name, m[6.2].kind) == ("地区生产总值", "地区生产总值", "growth_rate")
    assert (m[1.01].name, m[7.1].name) == ("税收收入", "税收收入")
    assert (m[8.9].name, m[8.9].kind) == ("规模以上工业增加值", "growth_rate")
    assert (m[860].name, m[1.2].name) == ("实际利用外资", "实际利用外资")
    assert m[31].name == "PM2.5年均浓度"
    assert (m[1.69].name, m[1.64].name) == ("城乡居民收入比（上年）", "城乡居民收入比")
    assert all(x.period == "2024" for v, x in m.items() if v != 1.69)


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 38.6, "主要指标如下") for b in both_widths("主要指标如下:38.6亿元。")],
        *[(b, 8.0, "全年目标") for b in both_widths("全年目标:增长8%。")],
        *[(b, 30, "他说") for b in both_widths("他说:30万元已经到位。")],
    ],
)
def test_a_colon_that_leads_a_list_a_goal_or_speech_is_no_label(body: str, value: float, name: str) -> None:
    """主要指标如下：, 全年目标：, 他说：: the words before these colons name no measure."""
    assert by_value(read(body))[value].name != name


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 1.5, "外贸进出口总额") for b in both_widths("外贸进出口总额3.42亿元,是上年的1.5倍。")],
        *[(b, 1.5, "外贸进出口总额") for b in both_widths("外贸进出口总额达到上年的1.5倍。")],
        *[(b, 2.3, "实际利用外资") for b in both_widths("实际利用外资相当于去年同期的2.3倍。")],
        *[(b, 3, "村集体经济收入") for b in both_widths("村集体经济收入达到2020年的3倍,占全县的5%。")],
    ],
)
def test_a_multiple_of_a_base_is_a_change_of_its_indicator(body: str, value: float, name: str) -> None:
    """是上年的1.5倍, 达到2020年的3倍: a multiple of a base level compares the indicator with it, as
    增长1.2倍 does (a growth rate, named by the indicator); the base year dates nothing."""
    m = by_value(read(body))[value]
    assert (m.name, m.kind, m.unit, m.period) == (name, "growth_rate", "倍", "2024")


@pytest.mark.parametrize("body", both_widths("财政收入占上年的80%。") + both_widths("利用外资是上年的80%。"))
def test_a_percent_of_last_year_stays_a_share(body: str) -> None:
    """占上年的80%: only a multiple (倍) of a base is read as a change; a percent of it is not."""
    assert by_value(read(body))[80].kind != "growth_rate"


NEWS_SPEECH = (
    "某某乡召开2024年经济形势分析会\n"
    "本报讯(记者 某某)1-11月,全乡实现农业总产值6.8亿元,同比增长5.1%。\n"
    "乡长某某表示:“12月份,我们将全力冲刺,确保全年农业总产值突破7.4亿元。明年,我们力争新发展油茶3000亩,"
    "乡村旅游接待游客突破22万人次。”\n"
)


@pytest.mark.parametrize("text", both_widths(NEWS_SPEECH))
def test_an_officials_quoted_targets_are_read(text: str) -> None:
    """A news item's plans are often only in an official's quoted words: their figures are targets."""
    report = summarize_document(Document.from_text(text))
    found = {m.value: m for m in report.metrics}
    assert {7.4, 3000, 22} <= set(found)
    assert all(found[v].kind == "target" for v in (7.4, 3000, 22))
    assert found[7.4].period == "2024" and found[3000].period == "2025"


@pytest.mark.parametrize(
    "text",
    both_widths("某某镇重点项目建设加速\n本报讯 截至11月底,全镇26个重点项目完成投资20.6亿元。"
                "“今年26个项目中已有24个达到序时进度。”镇长某某说。\n"),
)
def test_a_speaker_restating_a_figure_adds_no_metric(text: str) -> None:
    """A quoted speaker repeating the report's 26个 states no new figure; the new one (24个) is read."""
    values = [m.value for m in summarize_document(Document.from_text(text)).metrics]
    assert values.count(26) == 1 and 24 in values


@pytest.mark.parametrize(
    ("body", "value", "name"),
    [
        *[(b, 34, "PM2.5平均浓度") for b in both_widths("PM2.5平均浓度降至34微克/立方米,较上年下降2微克/立方米。")],
        *[(b, 3.2, "城镇登记失业率") for b in both_widths("城镇登记失业率降到3.2%,低于控制目标。")],
        *[(b, 56, "规上企业") for b in both_widths("规上企业增至56家,新增9家。")],
        *[(b, 12, "行政审批事项") for b in both_widths("行政审批事项减至12项。")],
    ],
)
def test_a_one_character_change_verb_before_a_level_marker_is_no_name_word(body: str, value: float, name: str) -> None:
    """降至34微克/立方米, 增至56家: the level an indicator moved to, named by the indicator, as 下降到 is."""
    assert by_value(read(body))[value].name == name


@pytest.mark.parametrize("body", both_widths("新建污水管网8.6公里,增设垃圾分类点12处。"))
def test_a_one_character_verb_without_a_level_marker_stays_a_name_word(body: str) -> None:
    """增设12处 is no change: 增 is read as a change only before 到/至."""
    assert by_value(read(body))[12].name.startswith("增设")


@pytest.mark.parametrize("body", both_widths("举办暑期托管班两期,培训家长120人次。"))
def test_two_sessions_closing_a_clause_are_a_count(body: str) -> None:
    """两期: 两 is never an ordinal, so 两 + 期 at a clause's end counts sessions."""
    m = by_value(read(body))[2]
    assert (m.unit, m.kind) == ("期", "count")


@pytest.mark.parametrize("body", both_widths("谋划数字经济产业园二期,推进二期工程建设,新建厂房3万平方米。"))
def test_a_phase_is_no_count(body: str) -> None:
    """产业园二期, 二期工程: an ordinal phase names a project, it counts nothing."""
    assert 2 not in by_value(read(body))
