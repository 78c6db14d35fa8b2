"""The rules engine on invented texts of the genre's patterns: report year, dates, places, bodies."""

from __future__ import annotations

import pytest

from reportkit import metadata
from reportkit.cleaning import with_boilerplate
from reportkit.document import Document
from reportkit.rules import summarize_document
from reportkit.segmenting import Outline


def _report(text: str):
    return summarize_document(with_boilerplate(Document.from_text(text)))


# --- published: the page's stamp line, the signature line, a bare date under the title ----------


@pytest.mark.parametrize(
    "stamp, expected",
    [
        ("2024-11-03 09:20　来源：江宁县融媒体中心　作者：李青", "2024-11-03 09:20"),
        ("2024-11-03 09:20  来源: 江宁县融媒体中心  浏览次数: 88", "2024-11-03 09:20"),
        ("2023-06-30　作者：王明", "2023-06-30"),
    ],
)
def test_published_from_an_unlabelled_stamp_line(stamp: str, expected: str) -> None:
    text = f"柏木镇：夏粮喜获丰收\n\n{stamp}\n\n今年以来，柏木镇完成夏粮播种3.2万亩。\n"
    assert metadata.published(text) == expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("澄江县柏木镇人民政府　2024年7月8日", "2024-07-08"),
        ("柏木镇人民政府 2024年7月8日", "2024-07-08"),
        ("2024年12月18日", "2024-12-18"),
        ("  2024-12-18  ", "2024-12-18"),
    ],
)
def test_published_from_a_date_line_under_the_title(line: str, expected: str) -> None:
    text = f"柏木镇2024年上半年工作总结\n\n{line}\n\n今年以来，全镇完成固定资产投资5.1亿元，同比增长4.2%。\n"
    assert metadata.published(text) == expected


def test_a_date_inside_a_sentence_under_the_title_is_no_published_date() -> None:
    text = "柏木镇2024年工作总结\n\n2024年12月18日，全镇召开总结大会，完成投资5.1亿元。\n"
    assert metadata.published(text) is None


# --- organization: the signature under the title beats the short name of the title --------------


@pytest.mark.parametrize("sep", ["　", " ", "  "])
def test_organization_from_the_signature_line_under_the_title(sep: str) -> None:
    text = f"柏木镇2024年上半年工作总结\n\n澄江县柏木镇人民政府{sep}2024年7月8日\n\n今年以来，全镇完成投资5.1亿元。\n"
    assert metadata.organization(text, "柏木镇2024年上半年工作总结") == "柏木镇人民政府"


# --- region: a place name before its level word, never a verb phrase -----------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "现在，我代表县人民政府，向大会报告工作。",
        "全镇紧紧围绕县委、县政府决策部署，扎实推进各项工作。",
        "自觉接受县人大及其常委会的监督，主动接受县政协的民主监督。",
        "按照区委、区政府部署, 认真落实区委要求。",
    ],
)
def test_region_is_not_read_from_a_verb_before_a_bare_level_word(sentence: str) -> None:
    text = f"工作报告\n\n{sentence}\n\n全年完成投资5.1亿元。\n"
    assert metadata.region(text) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "现在，我代表县人民政府，向大会报告工作。",
        "全县紧紧围绕县委决策部署, 扎实推进各项工作。",
    ],
)
def test_region_from_the_signature_beats_a_verb_phrase(sentence: str) -> None:
    text = f"政府工作报告\n澄江县人民政府\n\n{sentence}\n\n澄江县全年完成投资5.1亿元。\n"
    assert metadata.region(text) == "澄江县"


@pytest.mark.parametrize("colon", ["：", ":"])
def test_region_from_the_publisher_field_of_a_news_page(colon: str) -> None:
    text = (
        f"柏木镇：夏粮喜获丰收\n\n2024-07-03 09:20　来源{colon}澄江县融媒体中心\n\n"
        "今年以来，柏木镇完成夏粮播种3.2万亩。\n\n滇ICP备12345678号\n"
    )
    assert metadata.region(text) == "云南省澄江县"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("竹园社区位于西城街道东部，辖区面积1.2平方公里。", "西城街道"),
        ("竹园村隶属于柏木镇, 全村共有农户312户。", "柏木镇"),
    ],
)
def test_a_communitys_region_is_the_street_or_town_it_lies_in(sentence: str, expected: str) -> None:
    org = "竹园社区居民委员会" if "社区" in sentence else "竹园村村民委员会"
    text = f"竹园2024年工作总结\n\n{sentence}\n\n全年开展活动36场。\n\n{org}\n"
    assert metadata.region(text) == expected


# --- report year: the year the review is about, not the plan year a news item announces ----------


@pytest.mark.parametrize(
    "body",
    [
        "12月20日，柏木镇召开2024年度工作总结暨2025年工作部署会。2024年，全镇完成投资5.1亿元。"
        "2025年柏木镇将新建厂房3栋，2025年力争完成投资6亿元。",
        "记者获悉, 2024年以来柏木镇完成投资5.1亿元. 镇长表示, 2025年将新建厂房3栋, 2025年计划投资6亿元.",
    ],
)
def test_news_report_year_is_the_reviewed_year(body: str) -> None:
    text = f"柏木镇：稳中求进谱新篇\n\n2024-12-22 10:00　来源：澄江县融媒体中心\n\n{body}\n"
    assert metadata.report_year(text, None, _no_outline(), "news") == 2024


def test_year_cues_tell_review_years_from_plan_years() -> None:
    review, plan = metadata.year_cues("交出2024年“成绩单”。2024年以来完成投资5亿元。2025年将新建厂房3栋；2025年工作计划如下。")
    assert review[2024] == 2 and plan[2025] == 2 and not plan[2024] and not review[2025]


def _no_outline() -> Outline:
    return Outline(None, (), ())


# --- the whole engine on a news page: headline under a breadcrumb, years, plan periods -----------


@pytest.mark.parametrize("comma, colon", [("，", "："), (",", ":")])
def test_news_item_end_to_end(comma: str, colon: str) -> None:
    text = (
        "首页 > 新闻中心 > 乡镇动态\n\n"
        "柏木镇：稳中求进交出2024年“答卷”\n\n"
        f"2024-12-22 10:00　来源{colon}澄江县融媒体中心　作者{colon}李青\n\n"
        f"12月20日{comma}柏木镇召开2024年度工作总结暨2025年工作部署会。2024年{comma}全镇完成固定资产投资5.1亿元{comma}"
        f"同比增长4.2%。2025年柏木镇将新建标准化厂房3栋。\n\n"
        "版权所有：澄江县融媒体中心　滇ICP备12345678号\n"
    )
    report = _report(text)
    assert report.meta.title == "柏木镇：稳中求进交出2024年“答卷”"
    assert report.meta.report_year == 2024
    assert report.meta.published == "2024-12-22 10:00"
    assert report.meta.region == "云南省澄江县"


# --- sections: a plan document's parts, a news item's plan sentences ----------------------------


@pytest.mark.parametrize("closing", ["三、工作要求", "三、保障措施", "三、组织保障"])
@pytest.mark.parametrize("paren", [("（", "）"), ("(", ")")])
def test_plan_document_parts_are_not_plan_items(closing: str, paren: tuple[str, str]) -> None:
    o, c = paren
    text = (
        "柏木镇2025年工作计划\n\n"
        "一、总体目标\n\n"
        "全年地区生产总值增长6%左右，一般公共预算收入完成3.1亿元，固定资产投资增长8%。\n\n"
        "二、重点任务\n\n"
        f"{o}一{c}抓项目建设，壮大发展动能。新开工项目12个，竣工项目8个。\n\n"
        f"{o}二{c}抓乡村振兴，促进农民增收。新建高标准农田3000亩。\n\n"
        f"{o}三{c}抓民生保障，增进群众福祉。新增城镇就业500人。\n\n"
        f"{closing}\n\n"
        "各村、各单位要细化分解目标任务，于3月10日前报送推进方案。\n"
    )
    report = _report(text)
    quotes = [p.quote for p in report.plans]
    assert len(quotes) == 4, quotes
    assert quotes[0].startswith("全年地区生产总值增长6%左右")
    assert [q[:3] for q in quotes[1:]] == [f"{o}一{c}", f"{o}二{c}", f"{o}三{c}"]
    assert not any("总体目标" in q or "要求" in q or "保障措施" in q for q in quotes)


@pytest.mark.parametrize("comma", ["，", ","])
def test_news_item_plan_sentences_are_plan_items(comma: str) -> None:
    text = (
        "首页 > 新闻中心\n\n"
        "柏木镇：实干笃行交出2024年“答卷”\n\n"
        f"2024-12-22 10:00　来源：澄江县融媒体中心\n\n"
        f"12月20日{comma}柏木镇召开年度总结会。今年以来{comma}全镇完成固定资产投资5.1亿元{comma}同比增长4.2%{comma}"
        f"新增市场主体320户{comma}城镇新增就业460人。\n\n"
        f"“明年{comma}我们力争固定资产投资增长8%以上{comma}新增市场主体400户。”镇长表示{comma}"
        f"2025年柏木镇将新建标准化厂房3栋{comma}新培育家庭农场12家。\n\n"
        f"据了解{comma}柏木镇还将于2025年6月底前建成农产品冷链中心{comma}计划投资3200万元。\n"
    )
    report = _report(text)
    assert len(report.review) == 1
    quotes = [p.quote for p in report.plans]
    assert len(quotes) == 3, quotes
    assert quotes[0].startswith("明年") and quotes[1].startswith("2025年柏木镇将") and quotes[2].startswith("柏木镇还将于")
    kinds = {m.value: m.kind for m in report.metrics}
    assert kinds[3] == "target" and kinds[12] == "target"
    assert kinds[320] == "count" and kinds[5.1] == "actual"
    periods = {m.value: m.period for m in report.metrics}
    assert periods[3] == "2025" and periods[320] == "2024"


def test_review_sentences_of_a_news_item_are_no_plans() -> None:
    text = (
        "柏木镇：夏粮喜获丰收\n\n2024-07-03 09:20　来源：澄江县融媒体中心\n\n"
        "今年以来，柏木镇完成夏粮播种3.2万亩，总产量1.1万吨，同比增长3.5%。全镇新建烘干中心2个。\n"
    )
    report = _report(text)
    assert not report.plans and len(report.review) == 1


@pytest.mark.parametrize(
    "sentence",
    ["澄溪街道在东岭区委、区政府的坚强领导下，扎实推进各项工作。", "全镇紧紧围绕东岭区委决策部署, 扎实推进各项工作。"],
)
def test_region_named_after_a_function_word_or_verb(sentence: str) -> None:
    assert metadata.region(f"工作总结\n\n{sentence}\n\n全年完成投资5.1亿元。\n") == "东岭区"


# --- names: the second figure of one indicator after a comma ------------------------------------

PLAN_DOC = "柏木镇2025年工作计划\n一、总体目标\n{body}\n二、重点任务\n（一）抓项目建设。新开工项目5个。\n"


@pytest.mark.parametrize(
    "body",
    [
        "全年地区生产总值增长6%左右，力争达到48亿元；规上工业总产值增长9%，突破120亿元；税收收入增长5%，达到3.2亿元。",
        "全年地区生产总值增长6%左右,力争达到48亿元;规上工业总产值增长9%,突破120亿元;税收收入增长5%,达到3.2亿元。",
    ],
)
def test_an_amount_clause_after_a_growth_clause_is_the_grown_indicator(body: str) -> None:
    text = PLAN_DOC.format(body=body)
    report = summarize_document(Document.from_text(text))
    names = {m.value: m.name for m in report.metrics}
    assert names[48] == "地区生产总值" and names[120] == "规上工业总产值" and names[3.2] == "税收收入"
    quotes = {m.value: m.quote for m in report.metrics}
    assert quotes[48].startswith("地区生产总值") and "48亿元" in quotes[48]


def test_an_amount_clause_with_its_own_indicator_keeps_it() -> None:
    text = PLAN_DOC.format(body="全年地区生产总值增长6%左右，一般公共预算收入达到3.1亿元，新增市场主体800户。")
    names = {m.value: m.name for m in summarize_document(Document.from_text(text)).metrics}
    assert names[3.1] == "一般公共预算收入" and names[800] == "新增市场主体"


# --- periods: flows on stock-like nouns, sub-periods, yardsticks in a year-to-date report --------

REVIEW_DOC = "柏木街道2024年工作总结\n一、2024年工作回顾\n{body}\n二、存在问题\n一是发展基础还不牢固。\n"
HALF_DOC = (
    "柏木镇2025年上半年工作总结及下半年工作打算\n一、上半年工作完成情况\n{body}\n"
    "二、下半年工作打算\n（一）抓项目。新开工项目5个。\n"
)
FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def _periods(template: str, body: str) -> dict[float, str | None]:
    return {m.value: m.period for m in summarize_document(Document.from_text(template.format(body=body))).metrics}


@pytest.mark.parametrize(
    "body",
    [
        "全年完成绿化提升面积3.1万平方米,新增注册志愿者980名。",
        "完成道路保洁面积12.5万平方米;新增注册社工师46名。",
    ],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_flow_on_a_stock_noun_is_the_years(body: str, width: str) -> None:
    body = body.translate(FULL) if width == "full" else body
    periods = _periods(REVIEW_DOC, body)
    assert set(periods.values()) == {"2024"}, periods


@pytest.mark.parametrize(
    "body",
    ["辖区注册志愿者672名,志愿服务时长1.2万小时。", "至今共建成排水单元改造项目281个,完成面积为486公顷。"],
)
def test_a_stock_noun_without_a_flow_verb_stays_undated(body: str) -> None:
    periods = _periods(REVIEW_DOC, body)
    assert periods.get(672, periods.get(486)) is None


@pytest.mark.parametrize(
    "body",
    [
        "二季度单季规上工业总产值28.6亿元,环比增长9.2%,同比增长7.4%。",
        "二季度单季社会消费品零售总额6.4亿元,同比增长5.1%。",
    ],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_change_clause_after_a_quarter_amount_is_that_quarters(body: str, width: str) -> None:
    body = body.translate(FULL) if width == "full" else body
    periods = _periods(HALF_DOC, body)
    changes = [v for v in periods if v not in (28.6, 6.4, 5)]
    assert all(periods[v] == "2025年第二季度" for v in changes), periods


def test_a_change_clause_after_a_plain_amount_keeps_the_reports_period() -> None:
    periods = _periods(HALF_DOC, "一般公共预算收入1.9亿元，同比增长3.1%。二季度单季增长4.2%，工业用电量1.3亿千瓦时，同比增长2.2%。")
    assert periods[3.1] == "2025年上半年" and periods[4.2] == "2025年第二季度" and periods[2.2] == "2025年上半年"


@pytest.mark.parametrize("body", ["完成全年招商任务的61.5%。", "签约项目12个,完成全年招引任务的48%。"])
def test_a_named_full_year_yardstick_dates_the_rate_to_the_report_span(body: str) -> None:
    periods = _periods(HALF_DOC, body)
    assert periods[61.5 if 61.5 in periods else 48] == "2025年上半年"


# --- names: parts inside the whole's name, modifiers sharing a head, a rate replacing a count ----


def _metrics(template: str, body: str):
    return summarize_document(Document.from_text(template.format(body=body))).metrics


@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_part_the_wholes_name_holds_stands_alone(width: str) -> None:
    body = "外贸进出口总额完成41.2亿元,其中出口28.6亿元,增长9.1%。全年粮食播种面积12.6万亩,其中小麦5.8万亩。"
    body = body.translate(FULL) if width == "full" else body
    names = {m.value: m.name for m in _metrics(REVIEW_DOC, body)}
    assert names[28.6] == "出口" and names[9.1] == "出口"
    assert names[5.8] == "粮食播种面积中小麦"  # a part the whole's name does not hold keeps the whole


def test_a_verb_part_keeps_its_object() -> None:
    names = {m.value: m.name for m in _metrics(REVIEW_DOC, "新建改建农村公路18.6公里，其中新建7.2公里、改建10.4公里。")}
    assert names[7.2] != "新建" and "公路" in names[7.2]


@pytest.mark.parametrize(
    "body, first, second",
    [
        ("国控、省控断面水质优良比例均为100%。", "国控断面水质优良比例", "省控断面水质优良比例"),
        ("城镇、农村生活垃圾处理率均达到96%。", "城镇生活垃圾处理率", "农村生活垃圾处理率"),
        ("人大代表建议办结率、满意率均为100%。", "人大代表建议办结率", "满意率"),
    ],
)
def test_modifiers_of_a_shared_head_give_two_full_names(body: str, first: str, second: str) -> None:
    names = [m.name for m in _metrics(REVIEW_DOC, body)]
    assert names[0] == first and names[1].endswith(second)


@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_rate_after_a_count_of_the_same_act(width: str) -> None:
    body = "城乡居民医保参保人数3.1万人,参保率达到95.4%。排查化解矛盾纠纷628起,化解率98.1%。"
    body = body.translate(FULL) if width == "full" else body
    got = {m.value: m for m in _metrics(HALF_DOC, body)}
    assert got[95.4].name == "城乡居民医保参保率" and got[95.4].period == "2025年上半年"
    assert got[3.1].period is None  # the count of insured people is a stock
    assert got[98.1].name.endswith("化解率") and "矛盾纠纷" in got[98.1].name


def test_rates_in_a_sentence_about_what_there_is_stay_undated() -> None:
    got = {m.value: m for m in _metrics(REVIEW_DOC, "至今共建成排水单元改造项目281个，完成面积为486公顷，达标认定率为88%。")}
    assert got[88].period is None


# --- periods: the units a place is made of, a project's planned investment -----------------------


@pytest.mark.parametrize(
    "body",
    [
        "全乡14个行政村集体经济收入全部超过15万元。",
        "全镇32个行政村中,集体经济收入50万元以上的村8个。",
        "向街道办、26个村委会授信11.7亿元。",
    ],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_count_of_a_places_units_is_undated(body: str, width: str) -> None:
    body = body.translate(FULL) if width == "full" else body
    got = {m.value: m.period for m in _metrics(REVIEW_DOC, body)}
    unit_count = next(v for v in (14, 32, 26) if v in got)
    assert got[unit_count] is None


def test_a_deed_on_a_places_units_is_the_years() -> None:
    got = {m.value: m.period for m in _metrics(REVIEW_DOC, "完成12个行政村道路硬化，新建3个社区服务站。")}
    assert got[12] == "2024" and got[3] == "2024"


@pytest.mark.parametrize("comma", ["，", ","])
def test_a_projects_planned_total_investment_is_undated(comma: str) -> None:
    body = f"该乡还将于2025年5月底前启动康养小镇建设{comma}计划总投资2.3亿元。"
    got = {m.value: m for m in _metrics(REVIEW_DOC, body)}
    assert got[2.3].period is None


@pytest.mark.parametrize("body", ["排查隐患120处,已整改108处,剩余12处正在限期整改。", "摸排问题86个,已解决71个,尚有15个正在推进。"])
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_what_is_left_as_of_the_report_is_undated(body: str, width: str) -> None:
    body = body.translate(FULL) if width == "full" else body
    got = {m.value: m.period for m in _metrics(HALF_DOC, body)}
    left_over = 12 if 12 in got else 15
    assert got[left_over] is None
    assert all(p == "2025年上半年" for v, p in got.items() if v in (120, 108, 86, 71))


@pytest.mark.parametrize("body", ["产业园一期主体工程完成总工程量的65%。", "S118省道改造完成路面工程量的80%。"])
def test_completion_of_a_works_quantity_is_a_completion_rate(body: str) -> None:
    got = {m.value: m.kind for m in _metrics(REVIEW_DOC, body)}
    assert got[65 if 65 in got else 80] == "completion_rate"


@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_share_of_a_stock_total_is_dated(width: str) -> None:
    body = "集体经济收入超过30万元的村达到18个,占行政村总数的40.5%。"
    body = body.translate(FULL) if width == "full" else body
    got = {m.value: m.period for m in _metrics(REVIEW_DOC, body)}
    assert got[40.5] == "2024"


@pytest.mark.parametrize(
    "body",
    ["全区规上工业企业达到212家,净增18家。", "全镇高新技术企业达到45家,较上年增加6家。", "辖区市场主体达到1.2万户,同比增长8%。"],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_the_level_a_class_of_firms_reached_is_a_stock(body: str, width: str) -> None:
    body = body.translate(FULL) if width == "full" else body
    got = [(m.value, m.period) for m in _metrics(REVIEW_DOC, body)]
    level_period, change_period = got[0][1], got[1][1]
    assert level_period is None and change_period == "2024", got


@pytest.mark.parametrize("body", ["新增高新技术企业12家。", "产值超亿元企业达到31家。", "全年新培育规上企业达到9家。"])
def test_added_firms_and_threshold_classes_stay_dated(body: str) -> None:
    got = [m.period for m in _metrics(REVIEW_DOC, body)]
    assert got == ["2024"]
