"""The figure check on the genre's ways of writing an indicator: table rows, change chains, 分别 lists, plans.

Every sentence here is invented for the pattern it shows, in both punctuation widths, so a rule that
passes them names the pattern and not one report's sentence. Each pattern is checked both ways: the
right name is verified, and a neighbour's name (or a neighbour's figure) is flagged.
"""

from __future__ import annotations

import pytest

from reportkit.check import check_metric, is_flagged
from reportkit.schema import Metric


def check(source: str, name: str, value: float, unit: str, quote: str = "", kind: str = "actual"):
    return check_metric(Metric.model_validate(dict(name=name, value=value, unit=unit, quote=quote, kind=kind)), source)


def verified(source: str, name: str, value: float, unit: str, quote: str = "", kind: str = "actual") -> bool:
    return check(source, name, value, unit, quote, kind).status == "verified"


def wide(s: str) -> str:
    """The same sentence with full-width punctuation."""
    return s.translate(str.maketrans(",;:()", "，；：（）"))


def in_both_widths(cases: list) -> list:  # type: ignore[type-arg]
    """The cases as written (ASCII punctuation), then again with full-width punctuation; a case is a
    text or a tuple whose first element is the text."""
    return list(cases) + [wide(c) if isinstance(c, str) else (wide(c[0]), *c[1:]) for c in cases]


# --- a plain-text table row: every cell is the row label's ------------------------------------------

ROWS = [
    "主要指标完成情况:\n税收收入\u3000\u30002.74亿元\u3000\u3000同比增长6.3%\u3000\u3000完成全年任务的51.8%\n"
    "社会消费品零售总额\u3000\u300019.5亿元\u3000\u3000同比增长4.4%\u3000\u3000完成全年任务的47.2%\n",
    "主要指标完成情况:\n税收收入\t2.74亿元\t同比增长6.3%\t完成全年任务的51.8%\n"
    "社会消费品零售总额\t19.5亿元\t同比增长4.4%\t完成全年任务的47.2%\n",
    "主要指标完成情况:\n税收收入    2.74亿元    同比增长6.3%    完成全年任务的51.8%\n"
    "社会消费品零售总额    19.5亿元    同比增长4.4%    完成全年任务的47.2%\n",
]


@pytest.mark.parametrize("text", in_both_widths(ROWS))
def test_every_cell_of_a_table_row_is_its_labels(text: str) -> None:
    assert verified(text, "税收收入", 2.74, "亿元", "2.74亿元")
    assert verified(text, "税收收入", 6.3, "%", "同比增长6.3%", kind="growth_rate")
    assert verified(text, "税收收入完成全年任务", 51.8, "%", "完成全年任务的51.8%", kind="completion_rate")
    assert verified(text, "社会消费品零售总额", 4.4, "%", "同比增长4.4%", kind="growth_rate")
    # another row's label on a cell is no cell of that row
    assert is_flagged(check(text, "社会消费品零售总额", 6.3, "%", "同比增长6.3%", kind="growth_rate"))
    assert is_flagged(check(text, "税收收入", 19.5, "亿元", "19.5亿元"))


def test_wide_spaces_in_prose_are_no_table_row() -> None:
    """A run of spaces inside a sentence of words keeps the sentence's own attribution."""
    text = "新增就业岗位320个,  培训农民工1200人次。"
    assert verified(text, "培训农民工", 1200, "人次", "培训农民工1200人次")
    assert is_flagged(check(text, "新增就业岗位", 1200, "人次", "培训农民工1200人次"))


# --- a chain of change clauses after an amount ------------------------------------------------------

CHAINS = [
    "三季度单季社会消费品零售总额5.6亿元,环比增长3.9%,同比增长7.2%。",
    "10月份接诊量2.4万人次,环比增长6.1%,同比下降1.5%。",
    "旅游接待人数46.3万人次,环比下降2.2%,比上年增长12.6%。",
]


@pytest.mark.parametrize("text", in_both_widths(CHAINS))
def test_each_change_clause_after_an_amount_is_the_amounts(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    amount, first, second = index.figures[0], index.figures[1], index.figures[2]
    assert first.owner == 0 and second.owner == 0  # 环比 is a change word like 同比, not an indicator
    assert first.about == amount.about == second.about


def test_a_change_chain_verifies_under_the_amounts_name() -> None:
    for text in (CHAINS[0], wide(CHAINS[0])):
        assert verified(text, "社会消费品零售总额", 3.9, "%", "环比增长3.9%", kind="growth_rate")
        assert verified(text, "三季度单季社会消费品零售总额", 7.2, "%", "同比增长7.2%", kind="growth_rate")
    text = "接诊量2.4万人次,环比增长6.1%;新建村卫生室4个,同比增加1个。"
    assert is_flagged(check(text, "新建村卫生室", 6.1, "%", "环比增长6.1%", kind="growth_rate"))


# --- an amount clause after the growth clause of the same indicator ---------------------------------

PLANS = [
    "全年一般公共预算收入增长5%左右,力争达到3.6亿元。",
    "社会消费品零售总额增长8%以上,争取突破24亿元。",
    "规上工业增加值增长9%,预计达到41亿元。",
]


@pytest.mark.parametrize("text", in_both_widths(PLANS))
def test_a_plans_amount_after_its_growth_is_the_same_indicator(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    assert index.figures[1].owner == index.figures[0].owner


def test_a_plans_amount_verifies_under_the_indicator() -> None:
    assert verified(PLANS[0], "一般公共预算收入", 3.6, "亿元", "力争达到3.6亿元", kind="target")
    assert verified(wide(PLANS[1]), "社会消费品零售总额", 24, "亿元", "争取突破24亿元", kind="target")


# --- a 分别 list after a compound subject or a counted list ------------------------------------------

COMPOUND = [
    "城乡居民人均消费支出分别达到31260元和17840元。",
    "全年城乡居民人均可支配收入分别为52310元、26480元,分别增长4.8%和6.9%。",
    "中小学在校学生分别达到6820人和11350人。",
]


@pytest.mark.parametrize("text", in_both_widths(COMPOUND))
def test_a_compound_subject_gives_each_member_one_figure(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    first, second = index.figures[0], index.figures[1]
    assert first.paired and second.paired
    assert first.about != second.about
    members = ("城镇", "农村") if "城乡" in text else ("中学", "小学")
    assert first.about.startswith(members[0]) and second.about.startswith(members[1])


def test_a_compound_subjects_members_verify_and_do_not_swap() -> None:
    text = COMPOUND[0]
    assert verified(text, "城镇居民人均消费支出", 31260, "元", "城乡居民人均消费支出分别达到31260元和17840元")
    assert verified(text, "农村居民人均消费支出", 17840, "元", "城乡居民人均消费支出分别达到31260元和17840元")
    assert is_flagged(check(text, "农村居民人均消费支出", 31260, "元", "城乡居民人均消费支出分别达到31260元和17840元"))
    text = wide(COMPOUND[1])
    assert verified(text, "农村居民人均可支配收入", 6.9, "%", "分别增长4.8%和6.9%", kind="growth_rate")
    assert is_flagged(check(text, "城镇居民人均可支配收入", 6.9, "%", "分别增长4.8%和6.9%", kind="growth_rate"))


COUNTED = [
    "生物医药、精密机械两大主导产业产值分别达到96.4亿元和71.3亿元。",
    "文旅、康养、物流三大新兴产业营业收入分别为12.5亿元、8.7亿元和6.1亿元。",
]


@pytest.mark.parametrize("text", in_both_widths(COUNTED))
def test_a_counted_list_gives_each_item_the_shared_head(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    abouts = [f.about for f in index.figures]
    head = "主导产业产值" if "主导" in text else "新兴产业营业收入"
    assert all(a.endswith(head) for a in abouts), abouts
    assert len(set(abouts)) == len(abouts)


def test_a_counted_lists_items_verify_and_do_not_swap() -> None:
    text = wide(COUNTED[0])
    quote = "两大主导产业产值分别达到96.4亿元和71.3亿元"
    assert verified(text, "生物医药产业产值", 96.4, "亿元", quote)
    assert verified(text, "精密机械产业产值", 71.3, "亿元", quote)
    assert is_flagged(check(text, "精密机械产业产值", 96.4, "亿元", quote))


# --- figures the reader once could not read ---------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("全年城镇登记失业人员减少两成。", 2), ("群众满意度提升,投诉量下降三成,", 3), ("本地用工占比超过七成;", 7),
    ("低保户中约8成已实现就业。", 8), ("全年低保人数减少2成,", 2),
])
def test_tenths_are_read_as_a_rate(text: str, value: float) -> None:
    from reportkit.numbers import find_quantities

    found = [(q.value, q.unit, q.family) for q in find_quantities(wide(text), chinese=True)]
    assert found == [(value, "成", "ratio")]
    assert verified(text, "城镇登记失业人员" if "失业" in text else "x指标", value, "成", kind="growth_rate") or "失业" not in text


@pytest.mark.parametrize("text", ["党组成员5人。", "一成不变的做法,", "新成立3成员单位,"])
def test_cheng_in_a_word_is_no_tenths(text: str) -> None:
    from reportkit.numbers import find_quantities

    assert all(q.unit != "成" for q in find_quantities(text, chinese=True))


RATIOS = ["城乡居民收入比由上年的2.31缩小到2.26。", "城乡居民人均收入比从2.4缩小至2.35,", "城乡居民收入比值由1.92扩大到1.95;"]


@pytest.mark.parametrize("text", in_both_widths(RATIOS))
def test_a_unitless_ratio_and_its_start_are_read(text: str) -> None:
    from reportkit.numbers import find_quantities

    values = [q.value for q in find_quantities(text, chinese=True) if q.unit == ""]
    assert len(values) == 2
    name = "城乡居民收入比值" if "比值" in text else "城乡居民收入比"
    assert verified(text, name, values[1], "", kind="share")
    assert verified(text, name + "（上年）", values[0], "", kind="share")


@pytest.mark.parametrize("text", ["12345热线接通率98%。", "6.0改革版本上线,", "322截污纳管工程,"])
def test_a_number_glued_to_a_name_is_still_no_figure(text: str) -> None:
    from reportkit.numbers import find_quantities

    assert all(q.unit for q in find_quantities(text, chinese=True))


UNIT_ONCE = [
    ("签约率和覆盖率分别较上年提高1.8个和4.6个百分点。", "个百分点"),
    ("东镇和西镇税收分别达到2.1和3.4亿元,", "亿元"),
    ("南村、北村、河村分别增收12、15和21万元;", "万元"),
]


@pytest.mark.parametrize("text, unit", in_both_widths(UNIT_ONCE))
def test_a_unit_written_once_after_a_list_is_every_items(text: str, unit: str) -> None:
    from reportkit.numbers import find_quantities

    found = find_quantities(text, chinese=True)
    assert len(found) >= 2 and all(q.unit == unit for q in found)


def test_a_list_item_keeps_its_own_unit() -> None:
    from reportkit.numbers import find_quantities

    found = find_quantities("新建公厕3个和污水管网5公里,改造2个、新增8家。", chinese=True)
    assert [q.unit for q in found] == ["个", "公里", "个", "家"]


QUOTED = [
    "县长表示:“今年力争地区生产总值增长6%以上,农民收入增长7.5%。”",
    "他说,“明年要新建口袋公园5个,改造老旧小区12个。”",
]


@pytest.mark.parametrize("text", in_both_widths(QUOTED))
def test_figures_in_quoted_speech_are_read(text: str) -> None:
    from reportkit.numbers import find_quantities

    assert len(find_quantities(text, chinese=True)) == 2


@pytest.mark.parametrize("text", ["开展“6个100%”专项行动。", "落实《若干措施30条》,", "推行“1310”工作法。"])
def test_slogans_and_titles_in_quotes_hold_no_figure(text: str) -> None:
    from reportkit.numbers import find_quantities

    assert find_quantities(text, chinese=True) == []


def test_a_figure_of_a_list_with_its_unit_once_verifies() -> None:
    for text in (UNIT_ONCE[0][0], wide(UNIT_ONCE[0][0])):
        quote = "分别较上年提高1.8个和4.6个百分点"
        assert verified(text, "签约率", 1.8, "个百分点", quote, kind="growth_rate")
        assert verified(text, "覆盖率", 4.6, "个百分点", quote, kind="growth_rate")
        assert is_flagged(check(text, "签约率", 4.6, "个百分点", quote, kind="growth_rate"))


def test_a_figure_in_quoted_speech_verifies_under_its_indicator() -> None:
    for text in (QUOTED[0], wide(QUOTED[0])):
        assert verified(text, "地区生产总值", 6, "%", "力争地区生产总值增长6%以上", kind="target")
        assert is_flagged(check(text, "地区生产总值", 7.5, "%", "农民收入增长7.5%", kind="target"))


# --- a share after a 分别 list is the items' together ----------------------------------------------

SHARES = [
    "电子信息、生物医药两大产业产值分别达到88.2亿元和41.6亿元,分别增长14.3%、9.1%,占规上工业总产值的比重提高到47.5%。",
    "餐饮、住宿两大行业营业额分别为6.3亿元和2.8亿元,占社会消费品零售总额的比重达到18.6%。",
]


@pytest.mark.parametrize("text", in_both_widths(SHARES))
def test_a_share_after_a_list_is_no_items_and_no_rate_is_a_share(text: str) -> None:
    share = 47.5 if "47.5" in text else 18.6
    quote = text[text.index("占") :].rstrip("。")
    first = "电子信息产业产值" if "电子" in text else "餐饮行业营业额"
    whole = "两大产业占规上工业总产值的比重" if "电子" in text else "两大行业占社会消费品零售总额的比重"
    assert verified(text, whole, share, "%", quote, kind="share")
    assert is_flagged(check(text, first, share, "%", quote, kind="share"))
    if "14.3" in text:
        assert verified(text, first, 14.3, "%", "分别增长14.3%", kind="growth_rate")
        assert is_flagged(check(text, whole, 14.3, "%", "分别增长14.3%", kind="share"))


def test_a_share_named_with_its_subject_still_verifies() -> None:
    for text in ("全镇户籍人口3.2万人,其中60岁以上老人0.8万人,占户籍人口的25%。",
                 wide("全镇户籍人口3.2万人,其中60岁以上老人0.8万人,占户籍人口的25%。"),
                 "新建绿色建筑12.4万平方米,绿色建筑占比达到65%。"):
        quote = text[text.index("占") - (2 if "占比" in text else 0) :].rstrip("。")
        if "绿色" in text:
            assert verified(text, "绿色建筑占比", 65, "%", quote, kind="share")
            assert is_flagged(check(text, "新建绿色建筑", 65, "%", quote, kind="share"))
        else:
            assert verified(text, "60岁以上老人占户籍人口比重", 25, "%", quote, kind="share")


@pytest.mark.parametrize("text", in_both_widths(RATIOS))
def test_a_bare_ratio_counts_and_takes_no_rate_of_its_sentence(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    bare = [f for f in index.figures if f.quantity.unit == ""]
    assert len(bare) == 2 and all(f.counts for f in bare)
    other = "全县城镇居民人均可支配收入增长5.2%," + text
    name = "城乡居民收入比值" if "比值" in text else "城乡居民收入比"
    assert is_flagged(check(other, name, 5.2, "%", "全县城镇居民人均可支配收入增长5.2%", kind="share"))


@pytest.mark.parametrize("text", ["比上年增长3.5,", "总数比去年多12.5个,", "年产值12.6亿。"])
def test_a_bare_number_without_a_ratio_head_does_not_count(text: str) -> None:
    from reportkit.index import build_index

    assert not any(f.counts and f.quantity.unit == "" for f in build_index(text).figures)


# --- two lists of one sentence, parted by a semicolon ----------------------------------------------

SEMICOLON_LISTS = [
    "上半年新开工项目7个,总投资19.4亿元,其中亿元以上项目3个;续建项目11个,完成投资5.2亿元。",
    "全年新建公租房320套,建筑面积1.8万平方米;改造老旧小区14个,惠及居民2600户。",
]


@pytest.mark.parametrize("text", in_both_widths(SEMICOLON_LISTS))
def test_a_name_of_the_other_list_is_not_this_lists(text: str) -> None:
    if "续建" in text:
        assert verified(text, "续建项目完成投资", 5.2, "亿元", "完成投资5.2亿元")
        assert verified(text, "新开工项目总投资", 19.4, "亿元", "总投资19.4亿元")
        assert is_flagged(check(text, "续建项目完成投资", 19.4, "亿元", "总投资19.4亿元"))
    else:
        assert verified(text, "改造老旧小区惠及居民", 2600, "户", "惠及居民2600户")
        assert verified(text, "新建公租房", 320, "套", "新建公租房320套")


# --- a threshold in a name is a number ---------------------------------------------------------------

THRESHOLDS = [
    "全年签约亿元以上项目15个,其中10亿元以上项目不少于6个。上半年10亿元以上项目竣工6个。",
    "新引进5000万元以上项目9个;亿元以上项目开工4个,1亿元以上项目投产6个。",
]


@pytest.mark.parametrize("text", in_both_widths(THRESHOLDS))
def test_a_names_threshold_must_be_the_figures(text: str) -> None:
    if "竣工" in text:
        assert verified(text, "10亿元以上项目竣工", 6, "个", "10亿元以上项目竣工6个")
        assert verified(text, "签约亿元以上项目", 15, "个", "签约亿元以上项目15个")
        assert is_flagged(check(text, "亿元以上项目竣工", 6, "个", "10亿元以上项目竣工6个"))
    else:
        assert verified(text, "亿元以上项目投产", 6, "个", "1亿元以上项目投产6个")  # 亿元 is 1亿元
        assert is_flagged(check(text, "亿元以上项目", 9, "个", "新引进5000万元以上项目9个"))


@pytest.mark.parametrize("text", [COMPOUND[1].rstrip("。") + "," + RATIOS[0], wide(COMPOUND[1].rstrip("。") + "," + RATIOS[0])])
def test_a_compound_name_is_no_name_of_the_sentences_bare_ratio(text: str) -> None:
    """城乡居民人均可支配收入 (a money head) names each member's figure, never the unitless 收入比 beside them."""
    assert verified(text, "城乡居民人均可支配收入", 52310, "元", "城乡居民人均可支配收入分别为52310元")
    assert is_flagged(check(text, "农村居民人均可支配收入", 52310, "元", "城乡居民人均可支配收入分别为52310元"))


@pytest.mark.parametrize("text", in_both_widths(QUOTED))
def test_figures_in_quoted_speech_count_when_asked(text: str) -> None:
    """is_figure counts them only when asked to (speech=True), as the index and the rules engine ask."""
    from reportkit.index import build_index
    from reportkit.numbers import find_quantities, is_figure

    found = find_quantities(text, chinese=True)
    assert found and not any(is_figure(text, q) for q in found)
    assert all(is_figure(text, q, speech=True) for q in found)
    assert all(f.counts for f in build_index(text).figures)
    after = text + "全年新建口袋公园5个。"
    assert is_figure(after, find_quantities(after, chinese=True)[-1])  # the quotation closed: a fact again


# --- issue 11: patterns of reports written apart from the corpus -------------------------------------
# A progress clause (完成年度计划的X%) between an amount and its change: the change is still the amount's.

PROGRESS = [
    "全区48个市级重点项目累计完成投资36.2亿元,完成年度计划的88.4%,同比增长9.7%。",
    "1-10月,工业技改投资完成15.8亿元,完成全年目标的91.2%,比上年增长6.4%。",
    "全年实现税收收入3.6亿元,为年度目标的102.5%,同比增长4.9%。",
]


@pytest.mark.parametrize("text", in_both_widths(PROGRESS))
def test_a_change_after_a_progress_clause_is_the_amounts(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    amount, progress, change = (i for i, f in enumerate(index.figures) if f.counts and f.family in ("money", "percent"))
    assert index.figures[change].owner == index.figures[amount].owner == amount
    name = indicator(text)
    yardstick = "完成" + ("年度计划" if "计划" in text else "全年目标" if "全年目标" in text else "年度目标")
    growth = index.figures[change].quantity.value
    assert verified(text, name, growth, "%", index.figure_text(change), kind="growth_rate")
    assert verified(text, name + yardstick, index.figures[progress].quantity.value, "%", index.figure_text(progress),
                    kind="completion_rate")
    # the growth under the progress's name is the neighbour's figure: flagged
    assert is_flagged(check(text, name + yardstick, growth, "%", index.figure_text(change), kind="completion_rate"))


def indicator(text: str) -> str:
    """The amount's indicator in the PROGRESS sentences."""
    return next(n for n in ("重点项目完成投资", "工业技改投资", "税收收入") if n[:4] in text)


# A bracketed note after a figure says how it was measured (环比增长8.3%（第四季度对比第三季度）), not which indicator.

NOTED = [
    "全年接待游客86.5万人次,同比增长14.2%(按可比口径计算),实现旅游收入3.1亿元。",
    "辖区家政服务站服务居民2.36万人次,环比增长6.7%(第三季度对比第二季度),助浴服务覆盖率达到41%。",
    "规上工业增加值完成12.4亿元,增长7.3%(按可比价格计算),高于全市平均1.1个百分点。",
]
NOTED_NAMES = ("接待游客", "家政服务站服务居民", "规上工业增加值")


@pytest.mark.parametrize("text, name", in_both_widths(list(zip(NOTED, NOTED_NAMES))))
def test_a_note_after_a_change_leaves_it_the_amounts(text: str, name: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    change = next(i for i, f in enumerate(index.figures) if f.family == "percent")
    assert index.figures[change].owner == 0
    value = index.figures[change].quantity.value
    assert verified(text, name + "增长", value, "%", index.figure_text(change), kind="growth_rate")
    assert is_flagged(check(text, "旅游收入" if "旅游" in text else "助浴服务覆盖率" if "助浴" in text else "高于全市平均",
                            value, "%", index.figure_text(change), kind="growth_rate"))


@pytest.mark.parametrize("text", [NOTED[1], wide(NOTED[1])])
def test_a_note_dates_its_figure(text: str) -> None:
    """全年… then 环比增长6.7%（第三季度对比第二季度）: the change is the third quarter's, not the year's."""
    m = Metric.model_validate(dict(name="家政服务站服务居民环比增长", value=6.7, unit="%", quote="环比增长6.7%",
                                   kind="growth_rate", period="2025年第三季度"))
    assert check_metric(m, "2025年全年," + text, report_year=2025).period_ok is True
    wrong = m.model_copy(update={"period": "2025年第二季度"})
    assert check_metric(wrong, "2025年全年," + text, report_year=2025).period_ok is False


# A count pair (46户153人) is named by its units (…户数, …人数): a share of the sentence that counts 户数 is no rival.

PAIRS = [
    "新增纳入低保对象38户97人,低保户数占辖区总户数的2.1%。",
    "全年新识别帮扶对象25户81人,累计稳定脱贫户数占帮扶户总数的76.4%。",
    "新安置搬迁群众52户140人,其中已就业人数占比65.3%。",
]
PAIR_NAMES = ("新增纳入低保对象", "新识别帮扶对象", "新安置搬迁群众")


@pytest.mark.parametrize("text, name", in_both_widths(list(zip(PAIRS, PAIR_NAMES))))
def test_a_count_pair_is_named_by_its_units(text: str, name: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    households, people, share = (index.figures[i] for i in range(3))
    quote = text[: people.span[1]]
    assert verified(text, name + "户数", households.quantity.value, "户", quote, kind="count")
    assert verified(text, name + "人数", people.quantity.value, "人", quote, kind="count")
    # each unit's count word names its own figure, not the other one
    assert is_flagged(check(text, name + "户数", people.quantity.value, "人", quote, kind="count"))
    assert is_flagged(check(text, name + "人数", households.quantity.value, "户", quote, kind="count"))
    # the share is still the share's
    assert is_flagged(check(text, name + "户数", share.quantity.value, "%", index.figure_text(2), kind="share"))


# Tenths are a share by their unit (带动农户近三成增收), unless a change word says they are a change (增长三成).

TENTHS_SHARES = [
    ("新发展家庭农场十二家,带动周边农户近四成增收。", "家庭农场带动农户增收比例", 4),
    ("全镇七成以上农户参加了农业保险。", "农户参加农业保险比例", 7),
    ("合作社吸纳脱贫户约两成入股分红,", "合作社吸纳脱贫户入股比例", 2),
]


@pytest.mark.parametrize("text, name, value", in_both_widths(TENTHS_SHARES))
def test_tenths_verify_under_a_share_name(text: str, name: str, value: float) -> None:
    assert verified(text, name, value, "成", "", kind="share")


@pytest.mark.parametrize("text", ["村集体经济收入较上年增长三成以上。", "全镇旅游收入同比增长两成,"])
def test_a_change_in_tenths_is_no_share(text: str) -> None:
    value = 3 if "三成" in text else 2
    assert not verified(text, "村集体经济收入比例" if "村" in text else "旅游收入比例", value, "成", "", kind="share")


# A subject that refers back (企业, 该项目, 公司) is named in the sentence before it.

ANAPHORA = [
    ("园区内的宏达电子公司今年新上两条生产线。企业全年营业收入预计达到6.5亿元,同比增长三成。", "宏达电子公司营业收入", 6.5, "亿元"),
    ("镇里引进了锦华食品加工项目。该项目总投资3.2亿元,建成后年产值可达5亿元。", "锦华食品加工项目总投资", 3.2, "亿元"),
    ("新建的城东污水处理厂于6月投入运行。该厂日处理能力达到2万吨。", "城东污水处理厂日处理能力", 2, "万吨"),
]


@pytest.mark.parametrize("text, name, value, unit", in_both_widths(ANAPHORA))
def test_a_subject_that_refers_back_takes_the_name_before(text: str, name: str, value: float, unit: str) -> None:
    quote = text[text.index("。") + 1 :].split(",")[0].split("，")[0]
    assert verified(text, name, value, unit, quote)
    assert is_flagged(check(text, "农村集体经济收入", value, unit, quote))  # a name of nothing there


def test_a_subject_without_a_reference_does_not_read_the_sentence_before() -> None:
    text = "园区内的宏达电子公司今年新上两条生产线。全镇规上工业产值达到6.5亿元。"
    assert is_flagged(check(text, "宏达电子公司营业收入", 6.5, "亿元", "全镇规上工业产值达到6.5亿元"))


# A range written with its scale on each end (1.8万至3.5万元): either end converted is the same figure.

RANGES = ["完成危房改造二十户,每户补助1.2万至2.5万元;", "发放创业补贴每人0.3万-0.5万元,", "每亩奖补1.5万～2万元。"]


@pytest.mark.parametrize("text", in_both_widths(RANGES))
def test_either_end_of_a_range_converted_verifies(text: str) -> None:
    from reportkit.index import build_index

    q = next(f.quantity for f in build_index(text).figures if f.quantity.high is not None)
    name = "每户补助" if "每户" in text else "创业补贴" if "创业" in text else "每亩奖补"
    low, high = round(q.value * 1e4), round(q.high * 1e4)
    for value in (low, high):
        c = check(text, name, value, "元", text[q.start - 4 : q.end].lstrip("，,;；"))
        assert c.status == "verified", c.detail
    assert is_flagged(check(text, name, (low + high) / 2 + 77, "元", text[q.start - 4 : q.end]))


# Items parted by semicolons (①…;②…;③…) are separate lists: a later item's words are no breakdown of an earlier one's.

ITEMS = [
    "①日间照料中心服务老人1.36万人次,同比增长5.2%;②开展青少年暑期活动48场次,服务1600余人次。",
    "一是社区食堂供餐2.1万人次;二是组织志愿服务活动35场,服务居民900人次;",
    "(1)家庭医生签约服务居民8600人;(2)开展健康讲座26场,服务620人。",
]
ITEM_NAMES = ("日间照料中心服务老人", "社区食堂供餐", "家庭医生签约服务居民")


@pytest.mark.parametrize("text, name", in_both_widths(list(zip(ITEMS, ITEM_NAMES))))
def test_a_later_items_figure_is_no_earlier_items(text: str, name: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    first, last = index.figures[0], index.figures[len(index.figures) - 1]
    assert verified(text, name, first.quantity.value, first.quantity.unit, index.figure_text(0))
    quote = index.figure_text(len(index.figures) - 1)
    assert is_flagged(check(text, name, last.quantity.value, last.quantity.unit, quote))


# The unit's count word (…人数, …户数) is no word of the figure that happens to hold the character (人员).

LISTED_PEOPLE = [
    ("全镇纳入农村低保三百一十户、五百四十人,特困供养人员六十二人。", "农村低保人数", 62),
    ("新增城镇低保对象85户、163人,临时救助人员47人。", "城镇低保对象人数", 47),
    ("全街在册残疾人1260人,其中重度残疾人员318人;", "在册残疾人人数", 318),
]


@pytest.mark.parametrize("text, name, other", in_both_widths(LISTED_PEOPLE))
def test_a_count_word_does_not_tie_a_name_to_anothers_people(text: str, name: str, other: float) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    mine = next(i for i, f in enumerate(index.figures) if f.family == "people")
    assert verified(text, name, index.figures[mine].quantity.value, "人", index.figure_text(mine), kind="count")
    theirs = next(i for i, f in enumerate(index.figures) if f.quantity.value == other)
    assert is_flagged(check(text, name, other, "人", index.figure_text(theirs), kind="count"))


# A name that ends with what it counts (…企业, …项目, …就业) is no amount of money.

@pytest.mark.parametrize("text, name, amount", [
    ("全镇规上工业企业达到86家。全年实现规上工业总产值412.5亿元,同比增长6.1%。", "规上工业企业总数", 412.5),
    ("今年新签约亿元以上项目18个。全年实际到位资金56.3亿元。", "新签约亿元以上项目", 56.3),
    ("城镇新增就业1.2万人。城镇居民人均可支配收入48620元,增长5.3%。", "城镇新增就业", 48620),
    ("集体经济收入20万元以上的村9个。全乡村集体经济总收入386万元。", "集体经济收入20万元以上的村", 386),
])
def test_a_counted_head_is_no_amount(text: str, name: str, amount: float) -> None:
    """A figure of another sentence under the count's name (a swapped value): its unit says it is no count."""
    from reportkit.index import build_index

    for source in (text, wide(text)):
        index = build_index(source)
        first = next(i for i, f in enumerate(index.figures) if f.counts)  # 20万元以上 of …的村9个 is a threshold
        count = index.figures[first]
        assert verified(source, name, count.quantity.value, count.quantity.unit, index.figure_text(first), kind="count")
        k = next(i for i, f in enumerate(index.figures) if f.quantity.value == amount)
        unit = index.figures[k].quantity.unit
        assert is_flagged(check(source, name, amount, unit, index.figure_text(k), kind="count"))
        assert is_flagged(check(source, name, amount, unit, index.figure_text(first), kind="count"))


# A whole whose label joins its parts (新建改建农村公路32.5公里,其中新建18.2公里,改建14.3公里): a name with one
# part's words is that part's; whole中part names the part.

JOINED = [
    ("新建改建农村公路41.6公里,其中新建12.4公里,改建29.2公里。", "农村公路", ("新建", "改建")),
    ("新建改造供水管网26.8公里,其中新建9.5公里、改造17.3公里;", "供水管网", ("新建", "改造")),
    ("全年新建续建安置房2860套,其中新建1120套,续建1740套。", "安置房", ("新建", "续建")),
]


@pytest.mark.parametrize("text, noun, verbs", in_both_widths(JOINED))
def test_a_name_of_one_part_is_no_name_of_the_joined_whole(text: str, noun: str, verbs: tuple[str, str]) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    whole, first, second = (index.figures[i] for i in range(3))
    unit = whole.quantity.unit
    joined = text[: text.index(noun)].lstrip("全年") + noun
    assert verified(text, joined, whole.quantity.value, unit, index.figure_text(0))
    assert verified(text, verbs[1] + noun, second.quantity.value, unit, index.figure_text(2))
    # one part's name on the whole: flagged (the figure is the part's sibling's whole)
    assert is_flagged(check(text, verbs[1] + noun, whole.quantity.value, unit, index.figure_text(0)))
    # the part named as a part of the whole: verified, and still not the other part's
    assert verified(text, joined + "中" + verbs[0], first.quantity.value, unit, index.figure_text(1))
    assert is_flagged(check(text, joined + "中" + verbs[0], second.quantity.value, unit, index.figure_text(2)))


# One measure in two lists (A 136个,完成投资X;其中B 74个,完成投资Y): the same words, two indicators.

TWO_LISTS = [
    ("实施市级重点项目58个,完成投资96.3亿元;其中亿元以上项目21个,完成投资71.8亿元。", "市级重点项目完成投资", "亿元以上项目完成投资"),
    ("新签约招商项目33个,协议总投资52.6亿元;其中省外项目14个,协议总投资30.2亿元。", "新签约招商项目协议总投资", "省外项目协议总投资"),
    ("改造老旧小区12个,惠及居民4380户;其中完整社区试点3个,惠及居民1260户。", "改造老旧小区惠及居民", "完整社区试点惠及居民"),
]


@pytest.mark.parametrize("text, first, second", in_both_widths(TWO_LISTS))
def test_one_measure_in_two_lists_is_two_indicators(text: str, first: str, second: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    a, b = index.figures[1], index.figures[3]
    unit = a.quantity.unit
    assert verified(text, first, a.quantity.value, unit, index.figure_text(1))
    assert verified(text, second, b.quantity.value, unit, index.figure_text(3))
    assert is_flagged(check(text, first, b.quantity.value, unit, index.figure_text(3)))
    assert is_flagged(check(text, second, a.quantity.value, unit, index.figure_text(1)))


# 年均增长 (a yearly average change) is a change clause like 同比增长: the amount's, in a retrospective sentence.

YEARLY = [
    "全县地区生产总值由2020年的215.6亿元增至2025年的298.4亿元,年均增长6.7%;规模以上工业增加值年均增长9.1%。",
    "五年来,全镇一般公共预算收入达到3.2亿元,年均增长7.4%,城乡居民人均可支配收入年均增长6.2%。",
    "社会消费品零售总额年均增长5.6%;固定资产投资年均增长8.3%。",
]


@pytest.mark.parametrize("text", in_both_widths(YEARLY))
def test_a_yearly_average_change_is_its_indicators(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    rates = [i for i, f in enumerate(index.figures) if f.family == "percent"]
    first, second = rates[0], rates[-1]
    names = [n for n in ("地区生产总值", "一般公共预算收入", "社会消费品零售总额") if n in text] + [
        n for n in ("规模以上工业增加值", "城乡居民人均可支配收入", "固定资产投资") if n in text]
    a, b = (n + "年均增长" for n in names)
    assert verified(text, a, index.figures[first].quantity.value, "%", index.figure_text(first), kind="growth_rate")
    assert verified(text, b, index.figures[second].quantity.value, "%", index.figure_text(second), kind="growth_rate")
    assert is_flagged(check(text, a, index.figures[second].quantity.value, "%", index.figure_text(second), kind="growth_rate"))
    assert is_flagged(check(text, b, index.figures[first].quantity.value, "%", index.figure_text(first), kind="growth_rate"))


# 完成全年任务的52.3%: 全年 dates the task a half-year's figure is measured against; the task's own amount is the year's.

HALF_YEAR = [
    "上半年,规上工业总产值完成31.4亿元,同比增长7.6%,完成全年任务的52.3%。",
    "1-6月,一般公共预算收入1.86亿元,完成全年目标的55.4%;",
    "上半年新增城镇就业1280人,完成年度计划的64.0%,",
]


@pytest.mark.parametrize("text", in_both_widths(HALF_YEAR))
def test_a_yardstick_year_does_not_date_the_progress_after_it(text: str) -> None:
    from reportkit.index import build_index

    index = build_index(text)
    k = max(i for i, f in enumerate(index.figures) if f.family == "percent")
    q = index.figures[k].quantity
    m = Metric.model_validate(dict(name="完成全年任务", value=q.value, unit="%", quote=index.figure_text(k),
                                   kind="completion_rate", period="2025年上半年"))
    assert check_metric(m, text, report_year=2025).period_ok is not False
    whole_year = m.model_copy(update={"period": "2025"})
    assert check_metric(whole_year, text, report_year=2025).period_ok is False


@pytest.mark.parametrize("text", ["1-9月,一般公共预算收入3.86亿元,完成全年目标5.1亿元的75.7%。",
                                  "上半年完成固投19.2亿元,完成全年目标42亿元的45.7%;"])
def test_the_yardsticks_own_amount_is_the_years(text: str) -> None:
    for source in (text, wide(text)):
        value = 5.1 if "5.1" in source else 42
        m = Metric.model_validate(dict(name="全年目标", value=value, unit="亿元", quote=f"全年目标{value:g}亿元",
                                       kind="target", period="2025"))
        assert check_metric(m, source, report_year=2025).period_ok is not False


# --- short forms of an indicator: 营收 is 营业收入 -----------------------------------------------

REVENUE = [
    "全镇规上服务业企业实现营收8.6亿元,同比增长9.2%。",
    "园区企业完成营业收入12.4亿元,增长6.8%;",
    "文旅企业营收突破3.1亿元,比上年增长15.3%。",
]


@pytest.mark.parametrize("text", in_both_widths(REVENUE))
def test_a_short_form_of_revenue_names_the_same_indicator(text: str) -> None:
    """营收 is how summaries shorten 营业收入 (as 规上 shortens 规模以上): either name verifies either wording."""
    from reportkit.index import build_index

    index = build_index(text)
    k = next(i for i, f in enumerate(index.figures) if f.family == "money")
    q, quote = index.figures[k].quantity, index.figure_text(k)
    for name in ("营业收入", "营收"):
        assert verified(text, name, q.value, q.unit, quote), name
    assert is_flagged(check(text, "固定资产投资", q.value, q.unit, quote))


# --- an indicator named as a ratio and written as a percent: 存贷比, 产销比 ---------------------------

RATIO_PERCENTS = [
    ("全区金融机构存贷比提高到72.5%,不良贷款率下降0.3个百分点。", "存贷比", 72.5, "%", "存贷比提高到72.5%"),
    ("规上工业企业产销比达到98.6%,", "工业产销比", 98.6, "%", "产销比达到98.6%"),
    ("园区企业资产负债比控制在55%以内;", "资产负债比", 55, "%", "资产负债比控制在55%"),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "quote"), in_both_widths(RATIO_PERCENTS))
def test_a_ratio_the_figures_own_label_names_may_be_a_percent(text: str, name: str, value: float, unit: str, quote: str) -> None:
    """X比 is an indicator (one flow over another), not a comparison: when the figure's own label ends
    with 比, a percent is its value; a percent labelled with another indicator is still not a 比's."""
    assert verified(text, name, value, unit, quote, kind="share")
    assert is_flagged(check("城镇居民人均可支配收入增长5.2%," + text, "城乡居民收入比", 5.2, "%", "增长5.2%", kind="share"))


# --- a change against a date or a phrase, not an indicator: 比年初增长, 与上年相比 -----------------

DATED_BASES = [
    ("各项存款余额52亿元,比年初增长8.1%。", "各项存款余额", 8.1, "%", "比年初增长8.1%"),
    ("各项贷款余额38.4亿元,较年初增加5.2亿元;", "各项贷款余额", 5.2, "亿元", "较年初增加5.2亿元"),
    ("全年接待游客126万人次,与上年相比增长12.4%。", "接待游客", 12.4, "%", "与上年相比增长12.4%"),
    ("社区养老服务床位420张,与去年相比增加36张,", "社区养老服务床位", 36, "张", "与去年相比增加36张"),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "quote"), in_both_widths(DATED_BASES))
def test_a_change_against_the_years_start_is_the_amounts(text: str, name: str, value: float, unit: str, quote: str) -> None:
    """比年初 / 与上年相比 say what a change is measured from (a date, a phrase), not which indicator:
    the change clause is the amount's before it, and another indicator's name on it is flagged."""
    kind = "growth_rate" if unit == "%" else "actual"
    assert verified(text, name, value, unit, quote, kind=kind)
    assert is_flagged(check("新建村卫生室4个;" + text, "新建村卫生室", value, unit, quote, kind=kind))


# --- a change clause after a 其中 breakdown and a semicolon returns to the whole -----------------

WHOLES_AFTER_PARTS = [
    ("全区实现税收收入8.2亿元,其中工业税收3.1亿元;同比增长6.5%。", "税收收入", "工业税收", 6.5, "同比增长6.5%"),
    ("全镇完成固定资产投资12.6亿元,其中工业投资4.2亿元;比上年增长9.3%。", "固定资产投资", "工业投资", 9.3, "比上年增长9.3%"),
    ("街道接待游客86万人次,其中过夜游客21万人次、增长3.4%;同比增长11.2%,", "接待游客", "过夜游客", 11.2, "同比增长11.2%"),
]


@pytest.mark.parametrize(("text", "whole", "part", "value", "quote"), in_both_widths(WHOLES_AFTER_PARTS))
def test_a_change_after_a_breakdown_and_a_semicolon_is_the_wholes(text: str, whole: str, part: str, value: float,
                                                                  quote: str) -> None:
    """其中 breaks the amount before it down; the semicolon closes the breakdown, so the change clause
    after it is the whole's (and the part's name on it is flagged)."""
    assert verified(text, whole, value, "%", quote, kind="growth_rate")
    assert verified(text, whole + "增速", value, "%", quote, kind="growth_rate")
    assert is_flagged(check(text, part, value, "%", quote, kind="growth_rate"))


@pytest.mark.parametrize("text", in_both_widths(["全区实现税收收入8.2亿元,其中工业税收3.1亿元,同比增长6.5%。"]))
def test_a_change_inside_the_breakdown_stays_the_parts(text: str) -> None:
    """Without the semicolon the change clause is still inside the 其中 breakdown: the part's."""
    assert verified(text, "工业税收", 6.5, "%", "同比增长6.5%", kind="growth_rate")


# --- a hedged magnitude (近千名, 上百户, 数十家) is a count the check finds -------------------------

HEDGED_COUNTS = [
    ("组织志愿者近千名参与清扫,新建口袋公园3个。", "志愿者", 1000, "名", "志愿者近千名"),
    ("走访规上企业上百户,解决问题56个;", "走访规上企业", 100, "户", "走访规上企业上百户"),
    ("引进配套企业数十家,新建口袋公园3个。", "引进配套企业", 10, "家", "引进配套企业数十家"),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "quote"), in_both_widths(HEDGED_COUNTS))
def test_a_hedged_magnitude_verifies_as_its_count(text: str, name: str, value: float, unit: str, quote: str) -> None:
    assert verified(text, name, value, unit, quote, kind="count")
    assert is_flagged(check(text, "新建口袋公园", value, unit, quote, kind="count"))


# --- 一 after what it counts (新建教学楼一栋,) is a count the check finds ------------------------------

COUNTS_OF_ONE = [
    ("镇中心小学新建教学楼一栋,新增学位一百八十个。", "新建教学楼", "栋", "新建教学楼一栋"),
    ("改造农贸市场一处、新建公厕一座;", "新建公厕", "座", "新建公厕一座"),
]


@pytest.mark.parametrize(("text", "name", "unit", "quote"), in_both_widths(COUNTS_OF_ONE))
def test_a_count_of_one_after_its_noun_verifies(text: str, name: str, unit: str, quote: str) -> None:
    assert verified(text, name, 1, unit, quote, kind="count")
    assert is_flagged(check(text, name, 2, unit, quote, kind="count"))


# --- a class bound written 过X (产值过10亿元企业) is part of the name, and its change is the count's --------

@pytest.mark.parametrize("text", in_both_widths(["产值过10亿元企业达到14家,比上年增加3家。"]))
def test_a_count_of_a_class_by_a_passed_amount_keeps_its_bound_in_the_name(text: str) -> None:
    assert verified(text, "产值过10亿元企业", 14, "家", "产值过10亿元企业达到14家", kind="count")
    assert verified(text, "产值过10亿元企业比上年增加", 3, "家", "比上年增加3家", kind="count")
    assert is_flagged(check(text, "产值过10亿元企业", 10, "亿元", "产值过10亿元企业达到14家"))


# --- attribution by clause, four patterns of reports written apart from the corpus -------------------

# A change clause is its amount's, also when a count stands before the amount in the amount's clause
# (代管的3个街道实现…187.3亿元,增长6.1%: the count's words lead to the amount's).
COUNT_BEFORE_ITS_AMOUNT = [
    ("代管的5个社区实现营业收入12.4亿元,增长7.2%。", "代管社区营业收入", 7.2, "%", "实现营业收入12.4亿元,增长7.2%"),
    ("下辖的8个园区完成税收6.3亿元,同比增长4.5%。", "下辖园区税收", 4.5, "%", "完成税收6.3亿元,同比增长4.5%"),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "quote"), in_both_widths(COUNT_BEFORE_ITS_AMOUNT))
def test_a_change_after_an_amount_led_by_a_count_is_the_amounts(text: str, name: str, value: float, unit: str, quote: str) -> None:
    assert verified(text, name, value, unit, wide(quote) if "，" in text else quote, kind="growth_rate")


# A pair of the name that joins an unexplained word to the figure's own (业利 of 限上商贸企业利润总额, between
# 企业 and 利润) is no word of a part whose words hold it only by the same join (批发业利润).
JOINED_WORDS = [
    ("全年限上商贸企业实现销售额86.2亿元,增长5.1%;实现利润总额4.6亿元,增长2.3%,其中批发业利润增长8.8%。",
     "限上商贸企业利润总额", 4.6, "亿元", "实现利润总额4.6亿元", "批发业利润"),
    ("全年规上工业企业实现营业收入312亿元,增长6.6%;实现利润总额18.4亿元,下降2.2%,其中制造业利润增长3.1%。",
     "规上工业企业利润总额", 18.4, "亿元", "实现利润总额18.4亿元", "制造业利润"),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "quote", "part"), in_both_widths(JOINED_WORDS))
def test_a_join_of_two_words_gives_no_part_the_name(text: str, name: str, value: float, unit: str, quote: str, part: str) -> None:
    assert verified(text, name, value, unit, quote)
    assert is_flagged(check(text, part, value, unit, quote))  # the part's name on the whole's figure


# The words between 分别 and the first figure are every item's measure (两大产业分别实现产值A和B: 产值 is A's and B's),
# so a share of the items' total after them (占…的比重) is no rival of an item named with its measure.
RESPECTIVE_MEASURE = [
    ("纺织服装、食品加工两大传统产业分别实现产值48.2亿元和36.5亿元,占全镇工业总产值的比重达到52.1%。",
     [("纺织服装产业产值", 48.2), ("食品加工产业产值", 36.5)]),
]


@pytest.mark.parametrize(("text", "items"), in_both_widths(RESPECTIVE_MEASURE))
def test_each_item_of_a_respectively_list_takes_the_measure_after_it(text: str, items: list[tuple[str, float]]) -> None:
    quote = "两大传统产业分别实现产值48.2亿元和36.5亿元"
    (a, va), (b, vb) = items
    assert verified(text, a, va, "亿元", quote) and verified(text, b, vb, "亿元", quote)
    assert is_flagged(check(text, a, vb, "亿元", quote)) and is_flagged(check(text, b, va, "亿元", quote))


# One group counted in two units (45户、130人的…): a name that says neither unit names both; one that says
# a unit (…农户) is that count's.
COUNTED_TWICE = [
    ("全年改造危房二十处,化解了45户、130人的住房安全隐患。", "化解住房安全隐患的群众", 130, "人", "化解了45户、130人的住房安全隐患"),
]


@pytest.mark.parametrize(("text", "name", "value", "unit", "quote"), in_both_widths(COUNTED_TWICE))
def test_a_group_counted_in_two_units_is_named_by_either(text: str, name: str, value: float, unit: str, quote: str) -> None:
    assert verified(text, name, value, unit, quote, kind="count")
    assert is_flagged(check(text, "化解住房安全隐患的农户", value, unit, quote, kind="count"))
    assert is_flagged(check(text, "改造危房", value, unit, quote, kind="count"))
