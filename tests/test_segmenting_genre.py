"""Segmentation by the genre's grammar on invented texts: the roles of parts and sub-parts, items
numbered inside a sentence, in both punctuation widths."""

from __future__ import annotations

import pytest

from reportkit.segmenting import segment


def _sections(text: str) -> list[tuple[str, list[str]]]:
    outline = segment(text)
    return [
        (s.kind, [text[n.heading.title_start : n.heading.title_end] for n in s.items])
        for s in outline.sections
    ]


def _kinds(text: str) -> list[str]:
    return [kind for kind, _ in _sections(text)]


_PLAN_PARTS = [
    # a plan part's sub-headings name what will be done; a word like 成果/短板/问题/成效 in them is an
    # object of the action (巩固…成果, 补齐…短板), not a review or problems part inside the plan
    ("（一）持续巩固治理成果。确保覆盖率不低于90%。\n（二）推动产业升级。新增基地3个。\n（三）补齐公共服务短板。新建站点5个。",
     ["持续巩固治理成果", "推动产业升级", "补齐公共服务短板"]),
    ("(一)扩大改革成效.推进试点4项.\n(二)着力解决群众反映的突出问题.化解信访积案12件.\n(三)做强特色产业.新建大棚30座.",
     ["扩大改革成效", "着力解决群众反映的突出问题", "做强特色产业"]),
    ("（一）放大文旅融合成果。接待游客超50万人次。\n（二）弥补基础设施差距。新修道路8公里。",
     ["放大文旅融合成果", "弥补基础设施差距"]),
]


@pytest.mark.parametrize("body, items", _PLAN_PARTS)
@pytest.mark.parametrize("heading", ["三、2027年工作打算", "三、下一步工作计划", "三、明年工作思路"])
def test_a_plan_part_keeps_its_sub_headings_as_plan_items(heading: str, body: str, items: list[str]) -> None:
    text = f"某镇2026年工作总结\n一、2026年工作回顾\n（一）经济运行平稳。完成产值12亿元。\n二、存在的问题\n一是基础弱；二是人才缺。\n{heading}\n{body}\n"
    got = _sections(text)
    assert [k for k, _ in got] == ["review", "problems", "plans"]
    assert got[2][1] == items


@pytest.mark.parametrize(
    "text, kinds",
    [
        # a review part (工作总结) may hold the parts that follow it in the genre's order
        ("一、2026年工作总结\n（一）主要成效\n完成产值12亿元。\n（二）存在问题\n基础弱。\n（三）下步打算\n新增基地3个。", ["review", "problems", "plans"]),
        ("一、工作总结\n(一)主要成绩\n完成产值12亿元.\n(二)存在的不足\n基础弱.", ["review", "problems"]),
        # a problems part may hold its remedies
        ("二、存在问题\n（一）突出问题\n基础弱。\n（二）下步打算\n新增基地3个。", ["problems", "plans"]),
    ],
)
def test_a_part_still_splits_into_the_parts_that_follow_its_role(text: str, kinds: list[str]) -> None:
    assert _kinds("某街道报告\n" + text) == kinds


_NEWS_PLANS = [
    "谈及明年打算，镇长李明表示，该镇将一是抓实招商引资，力争引进亿元以上项目8个；二是抓好配套建设，新建道路5公里；三是抓细营商服务，推动项目早投产。",
    "谈到下一步工作,乡长王芳表示,该乡将一是做强茶叶产业,新增茶园2000亩;二是补齐设施短板,新修水渠12公里;三是办好民生实事,推动项目早见效.",
    "对于明年工作，街道主任介绍，街道将一是加快旧改，完成改造小区6个；二是优化服务，新建驿站3个；三是强化治理，调处纠纷不少于200件。",
    "展望明年，该镇要着力做到：一是扩大有效投资，力争完成投资15亿元；二是做优农业品牌，培育品牌4个；三是深化基层治理，推动矛盾就地化解。",
]


@pytest.mark.parametrize("sentence", _NEWS_PLANS)
def test_a_news_item_numbers_its_plans_inside_one_sentence(sentence: str) -> None:
    text = (
        "某镇：前三季度项目投资增长两成\n来源：某县融媒体中心\n\n"
        "今年以来，该镇完成固定资产投资12.4亿元，同比增长20.3%，新开工项目9个，竣工项目6个。\n\n"
        f"{sentence}\n\n【责任编辑：某某】\n"
    )
    got = _sections(text)
    assert [k for k, _ in got] == ["review", "plans"]
    plans = got[1][1]
    assert len(plans) == 3 and all(title for title in plans)
    assert sentence.split("一是")[1].startswith(plans[0])


@pytest.mark.parametrize("prose", ["这项工作统一是由县里部署的，全年投入资金5万元。", "他将一些问题带回研究，解决诉求12件。"])
def test_a_will_verb_before_a_numeral_is_no_list_without_a_first_item(prose: str) -> None:
    outline = segment("某镇工作动态\n" + prose + "\n")
    assert all(n.heading.style != "shi" for n in outline.nodes)


@pytest.mark.parametrize("end", [",", ".", "，"])
def test_ascii_numbered_parts_head_the_report(end: str) -> None:
    text = (
        f"某镇2026年工作总结\n一{end}2026年工作回顾\n(一)经济平稳.完成产值12亿元.\n"
        f"二{end}存在问题\n一是基础弱;二是人才缺.\n三{end}2027年工作打算\n(一)抓项目.新开工项目5个.\n"
    )
    assert _kinds(text) == ["review", "problems", "plans"]


@pytest.mark.parametrize(
    "line",
    ["一,二季度工业用电量明显回升,全镇完成产值3.2亿元.", "一.二期工程已完成主体施工,完成投资1.1亿元.", "一，二类企业占比提高,新增企业12家。"],
)
def test_a_prose_line_opening_with_a_numeral_and_a_comma_is_no_heading(line: str) -> None:
    text = f"某镇2026年工作总结\n一、2026年工作回顾\n全年完成产值12亿元。\n{line}\n二、存在问题\n一是基础弱。\n"
    outline = segment(text)
    assert [s.kind for s in outline.sections] == ["review", "problems"]
    assert all(text[n.heading.start : n.heading.start + 2] != line[:2] for n in outline.nodes)


@pytest.mark.parametrize("heading", ["二、“十四五”时期发展成就", "二、五年来的主要成就", "二、过去五年工作回顾"])
@pytest.mark.parametrize("comma, colon, semi", [("，", "：", "；"), (",", ":", ";")])
def test_a_part_whose_list_is_the_problems_passage_after_it_keeps_itself_as_item(
    heading: str, comma: str, colon: str, semi: str
) -> None:
    text = (
        "某区人民政府工作报告\n一、2025年工作回顾\n（一）经济运行平稳。完成产值12亿元。\n（二）民生持续改善。新增就业1200人。\n"
        f"{heading}\n五年来{comma}全区地区生产总值年均增长6.1%{comma}累计完成投资820亿元。\n\n"
        f"同时{comma}我们也清醒地看到{comma}发展中还存在不少困难和问题{colon}一是产业结构不优{semi}二是公共服务有短板。\n"
        "三、2026年工作安排\n（一）抓项目。新开工项目5个。\n"
    )
    got = _sections(text)
    assert [k for k, _ in got] == ["review", "review", "problems", "plans"]
    assert got[1][1] == [heading[2:]] and len(got[2][1]) == 2


@pytest.mark.parametrize("heading", ["一、履职尽责情况", "一、主要履职情况", "一、履行职责情况"])
@pytest.mark.parametrize("comma", ["，", ","])
def test_a_duty_report_reviews_its_duties_point_by_point(heading: str, comma: str) -> None:
    """A 述职报告's first part (履职尽责情况) is its review: its (一)(二) sub-headings are the points."""
    text = (f"某乡党委书记2026年度述职报告\n{heading}\n（一）抓党建强班子{comma}基层组织全面过硬。召开党委会24次。\n"
            f"（二）抓产业促增收{comma}群众收入稳步提高。新建加工厂2座。\n二、存在的不足\n一是产业链短；二是人才缺。\n"
            f"三、下一步打算\n一是做强茶产业；二是补齐基础设施。\n")
    got = _sections(text)
    assert got[0] == ("review", [f"抓党建强班子{comma}基层组织全面过硬", f"抓产业促增收{comma}群众收入稳步提高"])
    assert [k for k, _ in got] == ["review", "problems", "plans"]


@pytest.mark.parametrize("comma", ["，", ","])
def test_a_target_sentence_in_chinese_numerals_is_the_first_plan_item(comma: str) -> None:
    """2027年,力争…增长8%以上,村级集体经济总收入突破八百万元。一是…: a sentence of two targets opens the plan's
    items, whether its figures are written in digits or in Chinese numerals (gold Revision 2 counts both)."""
    target = f"2027年{comma}我将带领全乡干部群众{comma}力争农民收入增长8%以上{comma}集体经济收入突破八百万元。"
    text = (f"某乡2026年工作总结\n一、工作回顾\n（一）产业发展。完成产值1.2亿元。\n二、存在的不足\n一是基础弱；二是人才缺。\n"
            f"三、下一步打算\n{target}一是做强茶产业{comma}新增茶园两千亩；二是补齐基础设施短板{comma}硬化道路二十公里。\n")
    plans = next(s for s in segment(text).sections if s.kind == "plans")
    assert plans.extra_items and text[plans.extra_items[0][0] : plans.extra_items[0][1]].startswith("2027年")
