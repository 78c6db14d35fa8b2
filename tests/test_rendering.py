"""The Markdown a user reads: statuses, flags and what the summary left out are visible."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import reportkit

SOURCE = "2023年工作总结\n一、经济发展\n全年实现地区生产总值12.5亿元,同比增长5.2%。力争明年实现税收3亿元。"


def test_flags_and_missed_figures_are_shown() -> None:
    report = {
        "metrics": [
            {"name": "地区生产总值", "value": 12.5, "unit": "亿元", "kind": "actual", "quote": "地区生产总值12.5亿元"},
            {"name": "税收", "value": 3, "unit": "亿元", "kind": "actual", "quote": "力争明年实现税收3亿元"},
            {"name": "地区生产总值", "value": 21.5, "unit": "亿元", "quote": "地区生产总值21.5亿元"},
        ]
    }
    text = reportkit.validate(report, SOURCE).to_markdown()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "亿元" in line]
    assert "✓ verified" in rows[0] and "⚠" not in rows[0]
    assert "kind?" in rows[1]  # a planned figure labelled actual is flagged even though its number is right
    assert "✗ unsupported" in rows[2]
    assert "Source figures not in the summary: 5.2%" in text


_AWKWARD = list("&<>\\[]*_`~|#=+-.)( \t\r\n\u3000\u2028\u00a0") + ["&amp;", "&#1;", "1.", "１.", "²", "134.2亿元", "增长", "```", "~~~", "---"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_AWKWARD) | st.text(max_size=3), max_size=8).map("".join))
def test_a_plain_cell_renders_as_the_full_escaping_would(text: str) -> None:
    # _line skips the escaping passes for text that needs none: the output must be the same
    from reportkit.rendering import _NEWLINES, _inline, _line, _literal_start

    assert _line(text) == _literal_start(_NEWLINES.sub(" ", _inline(text)).strip())
