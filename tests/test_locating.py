"""Tests of reportkit.locating: quotes found exactly or tolerantly, mapped back to exact offsets."""

from __future__ import annotations

import pytest

from reportkit.locating import Locator, contains, fold, fold_text, locate

TEXT = "2023年,街道实现地区生产总值(GDP)134.2亿元,一般公共预算收入6.57亿元。\n引导101家科技型小微企业“小升规”。"


def found(text: str, quote: str, near: tuple[int, int] | None = None) -> str | None:
    span = locate(text, quote, near)
    return None if span is None else text[span[0] : span[1]]


# --- exact ---------------------------------------------------------------------------------------


def test_exact_quote_gives_its_own_span() -> None:
    span = locate(TEXT, "一般公共预算收入6.57亿元")
    assert span is not None
    assert TEXT[span[0] : span[1]] == "一般公共预算收入6.57亿元"


def test_exact_match_is_flagged_exact() -> None:
    match = Locator(TEXT).locate("134.2亿元")
    assert match is not None and match.exact


def test_quote_not_in_text_is_none() -> None:
    assert locate(TEXT, "地区生产总值135亿元") is None


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_blank_quote_is_none(blank: str) -> None:
    assert locate(TEXT, blank) is None


def test_surrounding_whitespace_of_the_quote_is_ignored() -> None:
    assert found(TEXT, "  小升规 \n") == "小升规"


def test_prefers_the_occurrence_inside_the_chunk() -> None:
    text = "完成投资23亿元。……另有项目完成投资23亿元。"
    second = text.rindex("完成投资23亿元")
    assert locate(text, "完成投资23亿元", near=(second - 2, len(text))) == (second, second + 8)
    assert locate(text, "完成投资23亿元") == (0, 8)


def test_outside_the_chunk_the_closest_occurrence_wins() -> None:
    text = "增长5%。" + "无关文字。" * 20 + "增长5%。" + "其他。" * 5
    near = (len(text) - 10, len(text))
    span = locate(text, "增长5%", near)
    assert span == (text.rindex("增长5%"), text.rindex("增长5%") + 4)


def test_tolerant_inside_the_chunk_beats_exact_elsewhere() -> None:
    text = "收入6.57亿元。" + "其他内容。" * 10 + "收入６.５７亿元。"
    at = text.rindex("收入")
    span = locate(text, "收入6.57亿元", near=(at, len(text)))
    assert span == (at, at + 8)


# --- tolerant ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        ("地区生产总值（GDP）134.2亿元", "地区生产总值(GDP)134.2亿元"),  # full-width parentheses
        ("街道实现地区生产总值(GDP)134.2亿元，一般", "街道实现地区生产总值(GDP)134.2亿元,一般"),  # full-width comma
        ("地区生产总值(GDP)１３４.２亿元", "地区生产总值(GDP)134.2亿元"),  # full-width digits
        ("地区生产总值(GDP)134．2亿元", "地区生产总值(GDP)134.2亿元"),  # full-width point
        ("地区生产总值 (GDP) 134.2 亿元", "地区生产总值(GDP)134.2亿元"),  # spaces added
        ('科技型小微企业"小升规"', "科技型小微企业“小升规”"),  # straight for curly quotes
        ("科技型小微企业「小升规」", "科技型小微企业“小升规”"),  # corner brackets for curly quotes
        ("6.57亿元。引导101家", "6.57亿元。\n引导101家"),  # newline dropped
    ],
)
def test_tolerant_match_maps_back_to_the_original_passage(quote: str, original: str) -> None:
    match = Locator(TEXT).locate(quote)
    assert match is not None and not match.exact
    assert TEXT[match.start : match.end] == original


def test_tolerant_match_keeps_internal_whitespace_of_the_source() -> None:
    text = "道路 改造\u3000完成 12 公里。"
    assert found(text, "道路改造完成12公里") == "道路 改造\u3000完成 12 公里"


def test_tolerant_span_has_no_outer_whitespace() -> None:
    text = "甲。  增长 5%  。"
    span = locate(text, "增长5%")
    assert span is not None
    assert text[span[0]] == "增" and text[span[1] - 1] == "%"


@pytest.mark.parametrize("dash", ["-", "—", "–", "－", "~", "～"])
def test_dashes_and_tildes_fold_together(dash: str) -> None:
    text = "2023年1-10月完成投资5亿元"
    assert found(text, f"2023年1{dash}10月完成投资") == "2023年1-10月完成投资"


def test_percent_signs_fold_together() -> None:
    assert found("同比增长5.2%。", "增长5.2％") == "增长5.2%"


def test_colons_and_semicolons_fold_together() -> None:
    text = "目标是:税收比增5%;投资增长8%。"
    assert found(text, "目标是：税收比增5%；投资增长8%") == "目标是:税收比增5%;投资增长8%"


def test_zero_width_characters_are_ignored() -> None:
    text = "完成\u200b投资23亿元"
    assert found(text, "完成投资23亿元") == text


def test_different_characters_do_not_match() -> None:
    assert locate("增长5.2%", "增长5.3%") is None
    assert locate("收入6.57亿元", "收入6.57万元") is None


def test_many_quotes_share_one_locator() -> None:
    loc = Locator(TEXT)
    quotes = ["134.2亿元", "6.57亿元", "101家", "小升规"]
    spans = [loc.locate(q) for q in quotes]
    assert [TEXT[m.start : m.end] for m in spans if m] == quotes


# --- folding -------------------------------------------------------------------------------------


def test_fold_offsets_point_at_source_characters() -> None:
    text = "Ａ  ，(１)\n“x”"
    folded, offsets = fold(text)
    assert folded == 'A,(1)"x"'
    assert len(folded) == len(offsets)
    assert [text[i] for i in offsets] == ["Ａ", "，", "(", "１", ")", "“", "x", "”"]


def test_fold_of_a_range() -> None:
    folded, offsets = fold("ab cd", 2, 5)
    assert folded == "cd" and offsets == [3, 4]


def test_fold_text_equals_fold() -> None:
    assert fold_text(TEXT) == fold(TEXT)[0]


def test_contains_is_tolerant_and_rejects_blank() -> None:
    assert contains(TEXT, "地区生产总值（GDP）134.2亿元")
    assert not contains(TEXT, "地区生产总值（GDP）135亿元")
    assert not contains(TEXT, " ")
