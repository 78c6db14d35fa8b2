"""Documents written in ASCII punctuation throughout (, . ; : ( ) for ，。；：（）): an ASCII full stop
after a figure or a word ends a sentence, a decimal point and a line-initial list number do not,
headings written 一, / 一. / (一) / 1. are found like 一、/（一）/1、, and the check never attributes a
figure across such a sentence end. Every report is invented; each is written in both widths and the
two must read alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportkit import lexicon, rules
from reportkit.check import check_metric, validate
from reportkit.index import build_index
from reportkit.loading import read
from reportkit.schema import Metric


@pytest.mark.parametrize(
    "text,stops",
    [
        ("游客增长18.1%.新增民宿42家", ["%."]),
        ("完成投资2.5亿元.2025年将继续推进", ["元."]),
        ("建成口袋公园6个.\n下一步", ["个."]),
        ("改造老旧小区(含加装电梯).惠及居民", [")."]),
        ("空气质量持续改善.PM2.5平均浓度下降", ["善."]),
        ("培训“新农人”320人次.组织", ["次."]),
    ],
)
def test_ascii_full_stop_after_a_word_or_figure_ends_a_sentence(text: str, stops: list[str]) -> None:
    found = lexicon.ascii_stops(text)
    assert [text[i - 1 : i + 1] for i in found] == stops
    assert lexicon.with_fullwidth_stops(text).count("。") == len(stops)
    assert len(lexicon.with_fullwidth_stops(text)) == len(text)


@pytest.mark.parametrize(
    "text",
    [
        "地区生产总值38.6亿元",  # a decimal point
        "1.加强基层党建\n2.推进乡村振兴",  # list numbers at line starts
        "一.2024年工作回顾\n二.存在的问题",  # heading numbers
        "  (一).聚焦产业发展",
        "网址:www.lintang.gov.cn",
        "PM2.5浓度为29微克/立方米",
    ],
)
def test_decimals_list_numbers_and_addresses_are_no_sentence_end(text: str) -> None:
    assert lexicon.ascii_stops(text) == []


def _report(top: str, paren: tuple[str, str], sub: str, p: dict[str, str]) -> str:
    """An invented 镇 report; ``top`` is how the top headings end (、 , . ，), ``sub`` the 1、/1. list end."""
    o, c = paren
    cm, st, sc, co = p["comma"], p["stop"], p["semi"], p["colon"]
    return "\n".join(
        [
            "桐溪镇2024年工作总结和2025年工作计划",
            f"2024年{cm}桐溪镇坚持稳中求进{cm}各项工作取得新成效{st}",
            f"一{top}2024年工作回顾",
            f"{o}一{c}产业发展提质增效",
            f"全年实现地区生产总值41.3亿元{cm}同比增长5.7%{st}规上工业增加值12.6亿元{cm}增长8.3%{st}"
            f"乡村旅游接待游客47.8万人次{cm}增长16.4%{st}新增民宿35家{cm}带动就业410人{st}",
            f"{o}二{c}民生保障扎实有力",
            f"新增城镇就业1180人{st}改造农村危房72户{cm}完成年度计划的106.2%{st}新建村级道路15.6公里{sc}新建口袋公园4个{st}",
            f"二{top}存在的问题",
            f"一是产业结构仍需优化{sc}二是公共服务存在短板{sc}三是干部队伍能力有待提升{st}",
            f"三{top}2025年工作计划",
            f"2025年主要预期目标是{co}地区生产总值增长6%左右{cm}一般公共预算收入增长5%{st}",
            f"1{sub}聚焦产业发展{cm}培育增长新动能",
            f"力争新增规上工业企业4家{st}",
            f"2{sub}聚焦民生改善{cm}提升群众获得感",
            f"新建村级道路10公里{st}",
            "",
        ]
    )


FULL = {"comma": "，", "stop": "。", "semi": "；", "colon": "："}
ASCII = {"comma": ",", "stop": ".", "semi": ";", "colon": ":"}
VARIANTS = [
    ("fullwidth", "、", ("（", "）"), "、", FULL),
    ("ascii-dot", ".", ("(", ")"), ".", ASCII),
    ("ascii-comma", ",", ("(", ")"), ".", ASCII),
    ("ascii-fullwidth-comma", "，", ("(", ")"), ".", ASCII),
]


def _read(tmp_path: Path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    doc = read(path)
    return doc, validate(rules.summarize_document(doc), doc)


_PUNCT = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")", "、": "."})


def _plain(quote: str) -> str:
    """A quote with its punctuation in one width (the two versions differ only there)."""
    return re.sub(r"^([一二三四五六七八九十]+|\d+)[.,]", r"\1.", quote.translate(_PUNCT))


@pytest.mark.parametrize("name,top,paren,sub,p", VARIANTS[1:], ids=[v[0] for v in VARIANTS[1:]])
def test_ascii_report_reads_like_its_fullwidth_twin(tmp_path: Path, name: str, top: str, paren, sub: str, p) -> None:
    _, full = _read(tmp_path, "full", _report(*VARIANTS[0][1:]))
    _, ascii_ = _read(tmp_path, name, _report(top, paren, sub, p))

    def metrics(report):
        return sorted((m.name, m.value, m.unit, m.kind, m.period, m.qualifier) for m in report.metrics)

    assert metrics(ascii_) == metrics(full)
    assert len(full.metrics) == 17
    assert all(not m.name.startswith((".", ",")) for m in ascii_.metrics)
    assert all(m.check is not None and m.check.status == "verified" for m in ascii_.metrics)
    for part in ("review", "problems", "plans"):
        assert [_plain(i.quote) for i in getattr(ascii_, part)] == [_plain(i.quote) for i in getattr(full, part)], part
    assert [i.quote for i in full.problems][-1] == "三是干部队伍能力有待提升"
    assert not ascii_.problems[-1].quote.endswith(".")
    assert len(ascii_.review) == 2 and len(ascii_.plans) == 3


@pytest.mark.parametrize("name,top,paren,sub,p", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_check_does_not_attribute_a_figure_across_a_sentence_end(tmp_path: Path, name: str, top: str, paren, sub: str, p) -> None:
    doc, _ = _read(tmp_path, name, _report(top, paren, sub, p))
    index = build_index(doc)

    def status(name: str, value: float, unit: str, kind: str, quote: str) -> str:
        m = Metric(name=name, value=value, unit=unit, kind=kind, period="2024", qualifier=None, quote=quote)
        return check_metric(m, index).status

    st = p["stop"]
    # the growth before the stop is the visitors', not the next sentence's guesthouses'
    assert status("乡村旅游接待游客", 16.4, "%", "growth_rate", "增长16.4%") == "verified"
    assert status("新增民宿", 16.4, "%", "growth_rate", "增长16.4%") != "verified"
    assert status("新增民宿", 16.4, "%", "growth_rate", f"增长16.4%{st}新增民宿35家") != "verified"
    # and the 5.7% is the GDP's, not the industry's of the next sentence
    assert status("地区生产总值", 5.7, "%", "growth_rate", "同比增长5.7%") == "verified"
    assert status("规上工业增加值", 5.7, "%", "growth_rate", "同比增长5.7%") != "verified"
    # the decimal point stays inside its figure
    assert status("地区生产总值", 41.3, "亿元", "actual", "地区生产总值41.3亿元") == "verified"


@pytest.mark.parametrize("p", [FULL, ASCII], ids=["fullwidth", "ascii"])
def test_sentences_of_the_index_end_at_the_stop(p: dict[str, str]) -> None:
    text = f"2024年工作回顾\n全年接待游客47.8万人次{p['comma']}增长16.4%{p['stop']}新增民宿35家{p['stop']}\n"
    index = build_index(text)
    pieces = [text[s:e].strip() for s, e in index.sentences if text[s:e].strip()]
    assert pieces == ["2024年工作回顾", f"全年接待游客47.8万人次{p['comma']}增长16.4%{p['stop']}", f"新增民宿35家{p['stop']}"]
