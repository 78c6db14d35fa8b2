"""Outlines as pasted pages write them: 第X部分 parts, wrapped headings (**…**, ###, 【…】), Arabic-only
outlines with (1) / 1) items. Invented documents in both punctuation widths, through segment() and the
rules engine: sections and their items, the plan figures' kind and period, and doc_type."""

from __future__ import annotations

import pytest

from reportkit.cleaning import with_boilerplate
from reportkit.document import Document
from reportkit.rules import summarize_document
from reportkit.segmenting import segment

_ASCII = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")"})


def _widths(text: str) -> list[str]:
    """The document as written (full-width punctuation) and in ASCII punctuation."""
    return [text, text.translate(_ASCII)]


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """(kind, item titles) of every section, in order."""
    outline = segment(text)
    return [(s.kind, [text[n.heading.title_start : n.heading.title_end] for n in s.items]) for s in outline.sections]


def _report(text: str):
    return summarize_document(with_boilerplate(Document.from_text(text)))


# --- part headings: 第一部分 / 第二章 over the 一、 headings inside them -------------------------------

_PARTS = [
    # (document, expected sections)
    (
        "青松镇2025年工作总结和2026年工作计划\n"
        "第一部分　2025年工作回顾\n"
        "一、产业发展提质增效\n新增规上企业5家，工业总产值达到48亿元。\n"
        "二、民生保障持续加强\n新增城镇就业岗位1200个。\n"
        "第二部分　存在的问题\n一是项目储备不足。二是镇级财力紧张。\n"
        "第三部分　2026年工作安排\n"
        "一、做强产业\n力争工业总产值增长8%，新增规上企业6家。\n"
        "二、改善民生\n新增城镇就业岗位1300个。\n",
        [
            ("review", ["产业发展提质增效", "民生保障持续加强"]),
            ("problems", ["项目储备不足", "镇级财力紧张"]),
            ("plans", ["做强产业", "改善民生"]),
        ],
    ),
    (
        "梧桐街道工作报告\n"
        "第一章 主要成效\n"
        "一、经济运行稳中有进\n完成固定资产投资21亿元，同比增长5.5%。\n"
        "二、城市管理更加精细\n整治背街小巷36条。\n"
        "第二章：困难和不足\n"
        "一、产业结构偏重\n二、公共服务短板明显\n"
        "第三章 下一步打算\n"
        "一、抓招商\n全年引进亿元以上项目10个。\n"
        "二、抓更新\n改造老旧小区14个。\n",
        [
            ("review", ["经济运行稳中有进", "城市管理更加精细"]),
            ("problems", ["产业结构偏重", "公共服务短板明显"]),
            ("plans", ["抓招商", "抓更新"]),
        ],
    ),
]


@pytest.mark.parametrize("text, expected", [(t, e) for doc, e in _PARTS for t in _widths(doc)])
def test_part_headings_frame_their_sections(text: str, expected) -> None:
    assert _sections(text) == expected


# --- headings kept wrapped as a web page pastes them -------------------------------------------------

_WRAPPED_BODY = (
    "{o}一、2025年主要工作{c}\n"
    "{o}（一）聚焦园区扩容{c}\n园区新增面积1.2平方公里，引进项目12个，总投资25亿元。\n"
    "{o}（二）聚焦民生改善{c}\n改造老旧小区8个，惠及居民3200户。\n"
    "{o}二、存在的不足{c}\n招商引资质量不高，要素保障偏紧。\n"
    "{o}三、2026年工作打算{c}\n"
    "{o}（一）聚焦产业升级{c}\n计划引进项目15个，总投资30亿元。\n"
    "{o}（二）聚焦城市更新{c}\n改造老旧小区10个。\n"
)
_WRAPS = [("**", "**"), ("__", "__"), ("【", "】"), ("### ", ""), ("##", ""), ("**", "** ")]


@pytest.mark.parametrize("opening, closing", _WRAPS)
@pytest.mark.parametrize("width", [0, 1])
def test_wrapped_headings_are_headings(opening: str, closing: str, width: int) -> None:
    text = _widths("白鹭街道2025年工作总结\n" + _WRAPPED_BODY.format(o=opening, c=closing))[width]
    assert _sections(text) == [
        ("review", ["聚焦园区扩容", "聚焦民生改善"]),
        ("problems", ["存在的不足"]),
        ("plans", ["聚焦产业升级", "聚焦城市更新"]),
    ]
    report = _report(text)
    assert report.meta.doc_type == "summary_and_plan"  # a summary, not a plan: its review part is found
    plans = [m for m in report.metrics if m.name.startswith("计划引进项目") or m.name.startswith("改造老旧小区") and m.value == 10]
    assert plans and all(m.kind == "target" and m.period == "2026" for m in plans)
    review = [m for m in report.metrics if m.value in (1.2, 12, 25, 8, 3200)]
    assert review and all(m.kind != "target" and m.period == "2025" for m in review)


def test_bold_heading_closing_inside_its_line() -> None:
    text = "白鹭街道2025年工作总结\n**一、主要工作**园区引进项目12个。\n**二、明年打算**计划引进项目15个。\n"
    assert [kind for kind, _ in _sections(text)] == ["review", "plans"]


@pytest.mark.parametrize(
    "line",
    [
        "【白鹭街道】召开2025年度民生实事推进会，安排项目12个。",  # a label in brackets, not a wrapped heading
        "**注**：本文数据截至2025年11月底。",
    ],
)
def test_a_bracket_label_is_no_heading(line: str) -> None:
    outline = segment("白鹭街道新闻\n" + line + "\n另有内容若干。\n")
    assert not outline.nodes


# --- outlines numbered in Arabic alone ------------------------------------------------------------------

_ARABIC = [
    (
        "红山乡2025年工作总结\n"
        "1. 主要工作\n"
        "（1）农业生产稳定。粮食产量达到3.2万吨，同比增长2%。\n"
        "（2）乡村建设提速。新建通村道路12公里。\n"
        "2. 存在问题\n"
        "1）产业基础薄弱。\n"
        "2）专业人才短缺。\n"
        "3. 明年计划\n"
        "（1）粮食产量稳定在3.3万吨。\n"
        "（2）新建通村道路15公里。\n",
        [
            ("review", ["农业生产稳定", "乡村建设提速"]),
            ("problems", ["产业基础薄弱", "专业人才短缺"]),
            ("plans", ["粮食产量稳定在3.3万吨", "新建通村道路15公里"]),
        ],
    ),
    (  # three levels: 1. / (1) / 1), and a year right after the number (1.2025年…)
        "石门镇工作总结\n"
        "1.2025年工作回顾\n"
        "（1）项目建设\n"
        "1）完成重点项目投资9.6亿元。\n"
        "2）新开工项目7个。\n"
        "（2）社会治理\n"
        "1）化解矛盾纠纷240件。\n"
        "2.短板和不足\n"
        "（1）招商后劲不足\n"
        "3.2026年工作思路\n"
        "（1）项目攻坚\n"
        "1）完成重点项目投资11亿元。\n"
        "（2）平安建设\n",
        [
            ("review", ["项目建设", "社会治理"]),
            ("problems", ["招商后劲不足"]),
            ("plans", ["项目攻坚", "平安建设"]),
        ],
    ),
    (  # 1、 parts and 1) items
        "杏林社区2025年工作总结\n"
        "1、工作成效\n1）组建志愿服务队伍6支。\n2）开展邻里活动48场。\n"
        "2、下一步打算\n1）新增志愿者100名。\n",
        [("review", ["组建志愿服务队伍6支", "开展邻里活动48场"]), ("plans", ["新增志愿者100名"])],
    ),
]


@pytest.mark.parametrize("text, expected", [(t, e) for doc, e in _ARABIC for t in _widths(doc)])
def test_arabic_outline_parts_and_items(text: str, expected) -> None:
    assert _sections(text) == expected


@pytest.mark.parametrize("text", _widths(_ARABIC[1][0]))
def test_arabic_outline_plan_figures_are_next_years_targets(text: str) -> None:
    report = _report(text)
    assert report.meta.doc_type == "summary_and_plan"
    by_value = {m.value: m for m in report.metrics}
    assert by_value[11].kind == "target" and by_value[11].period == "2026"
    assert by_value[9.6].kind != "target" and by_value[9.6].period == "2025"
    assert [i.title for i in report.plans] == ["项目攻坚", "平安建设"]


@pytest.mark.parametrize("text", _widths(_ARABIC[0][0].replace("3. 明年计划\n（1）粮食产量稳定在3.3万吨。\n（2）新建通村道路15公里。\n", "")))
def test_arabic_summary_without_plans_is_a_work_summary(text: str) -> None:
    assert _report(text).meta.doc_type == "work_summary"


# --- prose that only looks numbered ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "1.5万人次参加全民健身活动，同比增长12%。\n2.3万亩耕地完成轮作。\n",
        "一是完成投资3亿元。二是新增企业5家。\n",
        "本章第三章节所列项目共12个。\n第二部分内容见附件。\n",
    ],
)
def test_prose_opening_with_a_number_is_no_heading(body: str) -> None:
    for text in _widths("柳岸镇2025年工作总结\n" + body):
        outline = segment(text)
        assert all(n.heading.style in ("shi",) for n in outline.nodes), [text[n.start : n.end] for n in outline.nodes]


@pytest.mark.parametrize(
    "doc",
    [
        "红山乡2025年工作总结\n1. **主要工作**\n（1）粮食产量达到3.2万吨。\n2. **明年计划**\n（1）新建通村道路15公里。\n",
        "红山乡2025年工作总结\n一、**主要工作**\n（一）粮食产量达到3.2万吨。\n二、【明年计划】\n（一）新建通村道路15公里。\n",
        "红山乡2025年工作总结\n### 1、主要工作\n1）粮食产量达到3.2万吨。\n### 2、明年计划\n1）新建通村道路15公里。\n",
    ],
)
def test_wrap_after_the_marker_holds_the_title(doc: str) -> None:
    for text in _widths(doc):
        assert _sections(text) == [("review", ["粮食产量达到3.2万吨"]), ("plans", ["新建通村道路15公里"])]


# --- a part's role from its words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, kind",
    [
        ("第二部分　2026年重点工作", "plans"),  # a later year than the one reviewed
        ("第二部分：明年工作思路", "plans"),
        ("第二部分 面临的困难", "problems"),
        ("二、存在的困难和短板", "problems"),
        ("**二、下一步安排**", "plans"),
        ("2. 主要成效", "review"),
    ],
)
def test_part_role_from_its_words(heading: str, kind: str) -> None:
    doc = f"青松镇2025年工作总结\n一、2025年工作回顾\n新增企业5家。\n{heading}\n新增企业6家，财力偏紧。\n"
    for text in _widths(doc):
        assert [k for k, _ in _sections(text)][-1] == kind


def test_helping_families_in_difficulty_stays_review() -> None:
    # 困难 alone names whom the work helps: 帮扶困难群众 does not split a review part
    text = "青松镇2025年工作总结\n一、主要工作\n（一）帮扶困难群众\n发放救助金120万元。\n（二）改善人居环境\n改厕300户。\n"
    assert _sections(text) == [("review", ["帮扶困难群众", "改善人居环境"])]


@pytest.mark.parametrize(
    "items, expected",
    [
        # under an unlabelled title line: the 1. headings are the outline's parts
        ("1. 主要工作\n新增企业5家。\n2. 存在问题\n财力偏紧。\n3. 下一步计划\n新增企业6家。\n", ["review", "problems", "plans"]),
        ("1、经济发展\n新增企业5家。\n2、社会事业\n新建学校1所。\n3、明年打算\n新增企业6家。\n", ["review", "plans"]),
        # one item that names a target amid results is an item of the review
        ("1、完成年度目标任务\n新增企业5家。\n2、社会事业\n新建学校1所。\n3、平安建设\n化解纠纷30件。\n", ["review"]),
    ],
)
def test_arabic_parts_under_a_title_line(items: str, expected: list[str]) -> None:
    doc = "青松镇2025年工作总结\n2025年以来全镇工作情况\n" + items
    for text in _widths(doc):
        assert [k for k, _ in _sections(text)] == expected


@pytest.mark.parametrize(
    "doc, expected",
    [
        # the part's title on the line under its number
        ("青松镇2025年工作总结\n第一部分\n2025年工作回顾\n一、产业\n新增企业5家。\n第二部分\n2026年工作计划\n一、做强产业\n新增企业6家。\n",
         [("review", ["产业"]), ("plans", ["做强产业"])]),
        # a full-width gap between the marker and the title
        ("青松镇2025年工作总结\n一、　主要工作\n新增企业5家。\n二、　存在问题\n财力紧。\n三、　明年计划\n新增企业6家。\n",
         [("review", ["主要工作"]), ("problems", ["存在问题"]), ("plans", ["明年计划"])]),
        # unnumbered heading lines in bold
        ("青松镇2025年工作总结\n**2025年工作回顾**\n新增企业5家。\n**2026年工作计划**\n新增企业6家。\n",
         [("review", ["2025年工作回顾"]), ("plans", ["2026年工作计划"])]),
    ],
)
def test_more_heading_layouts(doc: str, expected) -> None:
    for text in _widths(doc):
        assert _sections(text) == expected


@pytest.mark.parametrize("title", ["石门镇2025年工作总结", "石门镇党委书记2025年度述职报告"])
def test_a_summary_with_plans_found_alone_is_no_plan(title: str) -> None:
    # the review runs unheaded before the plan part: the title says the document is a summary
    text = f"{title}\n全镇新增企业5家，完成投资9亿元。\n\n一、下一步工作计划\n（一）新增企业6家。\n（二）完成投资10亿元。\n"
    assert _report(text).meta.doc_type == "summary_and_plan"
