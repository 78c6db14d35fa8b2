"""Which figures the rules engine extracts, on invented texts in both punctuation widths: a headline's
rounded figure and the round mark passed before the level reached restate a figure, no metric."""

from __future__ import annotations

import re

import pytest

from reportkit.document import Document
from reportkit.rules import summarize_document

FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})
WIDTHS = ["ascii", "full"]


def _full(text: str) -> str:
    return re.sub(r"\.(?!\d)", "。", text.translate(FULL))


def _metrics(text: str, width: str):
    return summarize_document(Document.from_text(_full(text) if width == "full" else text)).metrics


REVIEW = "柏木区2025年工作总结\n一、2025年工作回顾\n{body}\n二、存在问题\n一是发展基础还不牢固.\n"


@pytest.mark.parametrize(
    "body, mark, level, name",
    [
        ("规模以上工业总产值突破500亿元,达到516.3亿元,增长8.1%.", 500, 516.3, "规模以上工业总产值"),
        ("全年接待游客超过1000万人次,达到1083万人次.", 1000, 1083, "接待游客"),
        ("社会消费品零售总额突破200亿元,达212.6亿元,增长6.2%.", 200, 212.6, "社会消费品零售总额"),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_round_mark_passed_before_the_level_is_no_metric(body: str, mark: float, level: float, name: str, width: str) -> None:
    got = {m.value: m for m in _metrics(REVIEW.format(body=body), width)}
    assert mark not in got and got[level].name.endswith(name), got


@pytest.mark.parametrize(
    "body, value",
    [
        ("营业收入突破10亿元,同比增长12.5%.", 10),  # no level after it: the mark is the figure
        ("规上工业总产值突破500亿元,其中高新技术产业产值达到216.8亿元.", 500),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_mark_passed_with_no_level_after_it_is_the_figure(body: str, value: float, width: str) -> None:
    assert value in {m.value for m in _metrics(REVIEW.format(body=body), width)}


@pytest.mark.parametrize(
    "headline",
    ["柏木镇:前10个月重点项目完成投资超15亿元", "柏木镇:一季度固定资产投资增长12%", "柏木镇新增就业岗位超2000个"],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_headlines_figure_restates_the_body(headline: str, width: str) -> None:
    text = (
        f"{headline}\n2025-11-05 09:10 来源:某县融媒体中心\n\n"
        "今年以来,柏木镇完成重点项目投资15.6亿元,同比增长12.3%,新增就业岗位2100个.\n"
    )
    values = [m.value for m in _metrics(text, width)]
    assert sorted(values) == [12.3, 15.6, 2100], values


@pytest.mark.parametrize(
    "body, names",
    [
        ("办理人大代表建议128件、政协委员提案164件,办复率均为100%.", ["人大代表建议办复率", "政协委员提案办复率"]),
        ("受理信访件120件、网上投诉86件,办结率均达到98%.", ["信访件办结率", "网上投诉办结率"]),
        ("新建公厕12座、驿站8个,验收合格率均为100%.", ["公厕验收合格率", "驿站验收合格率"]),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_one_rate_for_each_count_listed_before_it(body: str, names: list[str], width: str) -> None:
    rates = [m for m in _metrics(REVIEW.format(body=body), width) if m.unit == "%"]
    assert [m.name for m in rates] == names and all(m.period == "2025" for m in rates)


@pytest.mark.parametrize("width", WIDTHS)
def test_all_equal_after_one_count_is_that_counts_rate(width: str) -> None:
    rates = [m for m in _metrics(REVIEW.format(body="受理信访事项215件,办结率均为100%."), width) if m.unit == "%"]
    assert [m.name for m in rates] == ["受理信访事项办结率"]


@pytest.mark.parametrize(
    "body, rate",
    [
        ("全年办理各类事项5200件,同比增长9.1%,群众满意率达到97.5%,比上年提高1.1个百分点.", "群众满意率"),
        ("受理热线工单3100件,按时办结率99.2%,较上年提高0.8个百分点.", "按时办结率"),
        ("参保人数2.1万人,城乡居民医保参保率96.3%,同比下降0.4个百分点.", "参保率"),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_change_right_after_a_rate_is_the_rates(body: str, rate: str, width: str) -> None:
    change = [m for m in _metrics(REVIEW.format(body=body), width) if m.unit == "个百分点"]
    assert len(change) == 1 and rate in change[0].name, change


@pytest.mark.parametrize(
    "body, value, name",
    [
        ("新增民宿36家,床位720张.", 720, "民宿床位"),
        ("发展高山蔬菜2600亩,产值约1900万元.", 1900, "高山蔬菜产值"),
        ("建成冷链仓库4座,容量1.2万吨.", 1.2, "冷链仓库容量"),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_bare_measure_after_a_clause_on_a_thing_is_that_things(body: str, value: float, name: str, width: str) -> None:
    got = {m.value: m.name for m in _metrics(REVIEW.format(body=body), width)}
    assert name in got[value], got


@pytest.mark.parametrize("width", WIDTHS)
def test_a_verb_after_a_clause_keeps_its_own_name(width: str) -> None:
    got = {m.value: m.name for m in _metrics(REVIEW.format(body="排查隐患120处,已整改104处,剩余16处."), width)}
    assert "民宿" not in got[16] and "剩余" in got[16]


@pytest.mark.parametrize(
    "body, value, name",
    [
        ("举办乡村音乐节等节庆活动9场次.", 9, "举办节庆活动"),
        ("①开展“周末课堂”等青少年活动48场次,服务1500余人次.", 48, "开展青少年活动"),
        ("开展书法沙龙等文化活动26场.", 26, "开展文化活动"),
        ("协调解决用工、融资、用地等问题327个.", 327, "协调解决问题"),
    ],
)
@pytest.mark.parametrize("width", WIDTHS)
def test_examples_before_deng_are_no_part_of_the_name(body: str, value: float, name: str, width: str) -> None:
    got = {m.value: m.name for m in _metrics(REVIEW.format(body=body), width)}
    assert got[value] == name, got
