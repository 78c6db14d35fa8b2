"""Metadata by the genre's grammar on invented texts: a report delivered on a day dates itself in
brackets under its title."""

from __future__ import annotations

import pytest

from reportkit import metadata


@pytest.mark.parametrize("line", ["(2026年1月5日)", "（2026年1月5日）", "　（2026年1月5日）　", "(2026-01-05)"])
@pytest.mark.parametrize("title", ["柏木镇2025年工作总结及2026年工作打算", "柏木县人民政府工作报告"])
def test_a_bracketed_date_under_the_title_is_the_published_date(title: str, line: str) -> None:
    text = f"{title}\n{line}\n\n2025年,全镇完成固定资产投资5.1亿元,增长4.2%.\n\n柏木镇人民政府\n"
    assert metadata.published(text) == "2026-01-05"


@pytest.mark.parametrize("line", ["(2026年1月5日召开)", "（一）2026年1月5日,全镇召开大会。", "(截至2026年1月5日)"])
def test_a_bracketed_date_inside_other_words_is_no_published_date(line: str) -> None:
    text = f"柏木镇2025年工作总结\n{line}\n\n全镇完成投资5.1亿元。\n"
    assert metadata.published(text) is None
