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
