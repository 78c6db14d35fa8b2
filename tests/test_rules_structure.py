"""The rules engine on invented texts of issue 11's label patterns: completion against a budget or a
plan, and the counters of a 公众号 page, which are page chrome and never metrics."""

from __future__ import annotations

import pytest

from reportkit import metadata
from reportkit.cleaning import with_boilerplate
from reportkit.document import Document
from reportkit.rules import summarize_document

FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})
REVIEW = "青禾街道2026年工作总结\n一、经济运行\n{body}\n二、存在问题\n一是发展基础还不牢固。\n"


def _metrics(text: str):
    return summarize_document(with_boilerplate(Document.from_text(text))).metrics


@pytest.mark.parametrize(
    "body, value",
    [
        ("一般公共预算收入完成1.36亿元,完成预算的104.2%。", 104.2),
        ("全年财政支出2.8亿元,为年初预算的97.5%。", 97.5),
        ("重点项目完成投资5.2亿元,为年度计划的93.1%。", 93.1),
        ("税收收入0.82亿元,完成年度预算的88.6%;", 88.6),
    ],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_progress_against_a_budget_or_plan_is_a_completion_rate(body: str, value: float, width: str) -> None:
    body = body.translate(FULL) if width == "full" else body
    got = {m.value: m for m in _metrics(REVIEW.format(body=body))}
    assert got[value].kind == "completion_rate"
    assert got[value].period == "2026"
    amount = next(v for v in got if v != value)
    assert got[amount].kind == "actual"  # the amount beside the rate stays an amount


@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_share_written_with_wei_is_no_completion_rate(width: str) -> None:
    body = "全街道规上工业企业42家,其中高新技术企业占比为38.1%。"
    body = body.translate(FULL) if width == "full" else body
    got = {m.value: m.kind for m in _metrics(REVIEW.format(body=body))}
    assert got[38.1] == "share"


WECHAT = (
    "青禾镇:奋进2026 交出亮眼答卷\n青禾镇发布\n原创 2026-12-28 18:30 发表于浙江\n\n"
    "2026年,青禾镇完成固定资产投资8.6亿元,同比增长7.2%;新增市场主体420户。\n"
    "2027年,青禾镇将持续发力,力争固定资产投资增长8%。\n{counters}\n"
)


@pytest.mark.parametrize(
    "counters",
    ["阅读 1.2万  在看 36  点赞 128", "阅读 3562 赞 41", "阅读:10万+  在看:215", "分享 12  点赞 9  在看 4"],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_wechat_page_counters_are_no_metrics(counters: str, width: str) -> None:
    text = WECHAT.format(counters=counters)
    text = text.translate(FULL) if width == "full" else text
    got = {m.value for m in _metrics(text)}
    assert got == {8.6, 7.2, 420, 8}


def test_a_reading_sentence_keeps_its_figure() -> None:
    text = WECHAT.format(counters="") + "全年开展全民阅读活动36场。\n"
    assert 36 in {m.value for m in _metrics(text)}


# --- a 公众号 post's header: the stamp line dates it and makes it a news item -----------------------


@pytest.mark.parametrize(
    "stamp, expected",
    [
        ("原创 2026-12-28 18:30 发表于浙江", "2026-12-28 18:30"),
        ("原创　青禾镇发布　2026-12-28 18:30", "2026-12-28 18:30"),
        ("2026-12-28 18:30 发表于浙江", "2026-12-28 18:30"),
        ("转载 2026-12-28", "2026-12-28"),
        ("2026-12-28 18:30 IP属地:浙江", "2026-12-28 18:30"),
    ],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_a_post_stamp_gives_the_date_and_the_news_type(stamp: str, expected: str, width: str) -> None:
    text = WECHAT.replace("原创 2026-12-28 18:30 发表于浙江", stamp).format(counters="阅读 1.2万")
    text = text.translate(FULL) if width == "full" else text
    report = summarize_document(with_boilerplate(Document.from_text(text)))
    assert report.meta.published == (expected.translate(FULL) if width == "full" else expected)
    assert report.meta.doc_type == "news"
    assert report.meta.report_year == 2026  # the year recapped, not the next year's closing sentence
    periods = {m.value: m.period for m in report.metrics}
    assert periods[8.6] == periods[420] == "2026"
    assert periods[8] == "2027"


@pytest.mark.parametrize("stamp", ["原创 2026-12-28 18:30 发表于浙江", "2026-12-28 18:30 IP属地:浙江"])
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_where_a_post_was_sent_from_is_no_region(stamp: str, width: str) -> None:
    """发表于浙江 / IP属地 name the poster's location; the region is the jurisdiction the text names."""
    text = WECHAT.replace("原创 2026-12-28 18:30 发表于浙江", stamp).format(counters="阅读 1.2万")
    text = text.translate(FULL) if width == "full" else text
    assert summarize_document(with_boilerplate(Document.from_text(text))).meta.region in (None, "")
    named = text.replace("青禾镇完成固定资产投资", "江西省樟山县青禾镇完成固定资产投资")
    assert "江西" in (summarize_document(with_boilerplate(Document.from_text(named))).meta.region or "")


def test_a_bare_date_line_is_no_post_stamp() -> None:
    text = "青禾镇2026年工作总结\n\n2026-12-28\n\n一、经济运行\n全年完成投资8.6亿元。\n二、2027年工作打算\n（一）抓项目。新开工项目5个。\n"
    report = summarize_document(with_boilerplate(Document.from_text(text)))
    assert report.meta.doc_type != "news"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("来源:青禾镇人民政府　2026-12-30", "2026-12-30"),
        ("信息来源:青禾镇党政办  2026-12-30 09:15", "2026-12-30 09:15"),
        ("来源:青禾镇融媒体中心 2026年12月30日", "2026年12月30日"),
    ],
)
@pytest.mark.parametrize("width", ["ascii", "full"])
def test_published_from_the_source_field_line(line: str, expected: str, width: str) -> None:
    text = f"青禾镇:2026年交出亮眼答卷\n{line}\n\n今年以来,青禾镇已完成固定资产投资8.6亿元,同比增长7.2%。\n"
    text = text.translate(FULL) if width == "full" else text
    assert metadata.published(text) == (expected.translate(FULL) if width == "full" else expected)


def test_a_source_field_without_a_date_gives_no_date() -> None:
    text = "青禾镇:2026年交出亮眼答卷\n来源:青禾镇人民政府\n\n今年以来,青禾镇已完成固定资产投资8.6亿元。\n"
    assert metadata.published(text) is None
