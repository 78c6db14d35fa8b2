"""The Markdown a user reads: statuses, flags and what the summary left out are visible."""

from __future__ import annotations

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
