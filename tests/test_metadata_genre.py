"""Metadata by the genre's grammar on invented texts: a report delivered on a day dates itself in
brackets under its title."""

from __future__ import annotations

import pytest

from reportkit import metadata
from reportkit.document import Document
from reportkit.rules import summarize_document


@pytest.mark.parametrize("line", ["(2026年1月5日)", "（2026年1月5日）", "　（2026年1月5日）　", "(2026-01-05)"])
@pytest.mark.parametrize("title", ["柏木镇2025年工作总结及2026年工作打算", "柏木县人民政府工作报告"])
def test_a_bracketed_date_under_the_title_is_the_published_date(title: str, line: str) -> None:
    text = f"{title}\n{line}\n\n2025年,全镇完成固定资产投资5.1亿元,增长4.2%.\n\n柏木镇人民政府\n"
    assert metadata.published(text) == "2026-01-05"


@pytest.mark.parametrize("line", ["(2026年1月5日召开)", "（一）2026年1月5日,全镇召开大会。", "(截至2026年1月5日)"])
def test_a_bracketed_date_inside_other_words_is_no_published_date(line: str) -> None:
    text = f"柏木镇2025年工作总结\n{line}\n\n全镇完成投资5.1亿元。\n"
    assert metadata.published(text) is None


_PEOPLES_CONGRESS = (
    "{title}\n——2027年1月10日在某某镇第十八届人民代表大会第六次会议上\n某某镇镇长 某某\n各位代表{c}\n"
    "现在,我代表镇人民政府,向大会报告工作,请予审议。\n一、过去一年工作回顾\n"
    "过去的一年,全镇实现地区生产总值38.6亿元,同比增长6.2%。\n二、存在的问题\n一是产业结构不优。\n"
    "三、2027年工作安排\n今年主要预期目标是{c}地区生产总值增长6%左右。\n"
)


@pytest.mark.parametrize("title", ["政府工作报告", "某某镇2027年政府工作报告"])
@pytest.mark.parametrize("colon", [":", "："])
def test_a_report_to_a_peoples_congress_reviews_the_year_before(title: str, colon: str) -> None:
    """Given in January 2027 and looking back on 过去的一年, it reviews 2026 and plans 2027 (its date and
    the title's year are the plan's)."""
    text = _PEOPLES_CONGRESS.format(title=title, c=colon)
    report = summarize_document(Document.from_text(text))
    assert report.meta.report_year == 2026
    assert {m.value: m.period for m in report.metrics}[38.6] == "2026"


def test_a_year_end_summary_that_looks_back_keeps_its_year() -> None:
    """过去的一年 in a summary published in December is the year it was written in."""
    text = ("某某街道工作总结\n发布时间：2026-12-28\n一、过去一年工作回顾\n过去的一年，全街道新增企业36家，2026年入库税收1.2亿元。\n"
            "二、明年工作打算\n新增企业40家。\n")
    assert summarize_document(Document.from_text(text)).meta.report_year == 2026
