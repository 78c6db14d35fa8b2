"""No input crashes: mutated seed and corpus texts through summarize(engine="rules") and validate.

Hypothesis mutates real reports the way real pages break: heading markers of every kind inserted
at line starts and inline, circled and full-width digits, glued item numbers, deleted and
duplicated lines, control and separator characters, very long lines. Whatever comes in, the public
API returns a Report or raises a ReportkitError, and every span anywhere in the result indexes the
text it came from (``text[start:end] == quote``). The example budget is small and fixed so the
run stays in the normal suite; ``REPORTKIT_FUZZ_EXAMPLES=2000 pytest tests/test_property_inputs.py``
runs a long search.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportkit
from reportkit.document import Document
from reportkit.errors import ReportkitError
from reportkit.segmenting import segment

ROOT = Path(__file__).resolve().parent.parent
_SOURCES = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
    p for p in (ROOT / "corpus").glob("c*.txt") if not p.name.endswith(".source.txt")
)
BASES = [reportkit.load(p).text for p in _SOURCES]
EXAMPLES = int(os.environ.get("REPORTKIT_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_WINDOW = 30  # lines of a base report per example: enough structure, quick to summarise

MARKERS = [
    "一、", "十二、", "（一）", "(三)", "（十）", "1、", "12、", "1.", "３．", "１、", "(1)", "（２）", "①", "⑳", "⑴",
    "一是", "十是", "一要", "二要", "第一部分", "其一,", "一、工作回顾", "二、存在问题", "三、下一步打算",
    "（一）主要成效", "主要预期目标是:", "2023年工作回顾", "在肯定成绩的同时,我们也看到困难和问题:", "一是",
]
STRANGE = [
    "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\r", "\r\n", "\u2028", "\u2029", "\u200b", "\ufeff", "\u3000", "\ud7ff",
    "\U0001f600", "①②③", "⑤", "０１２３", "½", "٣", "〇", "|", "\t", "...", "。。。", "%%", "％", "—", "-",
]


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from(BASES)).split("\n")
    start = draw(st.integers(0, max(0, len(base) - 1)))
    lines = base[start : start + _WINDOW]
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["marker", "inline_marker", "digit", "glue", "delete", "duplicate", "strange", "long", "join",
                                   "punctuation", "digit_forms", "bracket"]))
        i = draw(st.integers(0, max(0, len(lines) - 1))) if lines else 0
        line = lines[i] if lines else ""
        at = draw(st.integers(0, len(line)))
        if op == "marker":
            lines.insert(i, draw(st.sampled_from(MARKERS)) + draw(st.sampled_from(["", line[:20], "经济发展稳中有进"])))
        elif op == "inline_marker":
            lines[i:i + 1] = [line[:at] + draw(st.sampled_from(["。", ";", "；", ":", " ", ""])) + draw(st.sampled_from(MARKERS)) + line[at:]]
        elif op == "digit":
            new = draw(st.sampled_from(["①", "⑤", "⑩", "５", "０", "１２", "⑴", "²"]))
            lines[i:i + 1] = [line[:at] + new + line[at + 1 :]]
        elif op == "glue":
            lines[i:i + 1] = [draw(st.sampled_from(["5", "52022年", "32024年", "11", "7", "715个", "１"])) + line]
        elif op == "delete" and lines:
            del lines[i : i + draw(st.integers(1, 3))]
        elif op == "duplicate" and lines:
            lines[i:i] = lines[i : i + draw(st.integers(1, 3))]
        elif op == "strange":
            lines[i:i + 1] = [line[:at] + draw(st.sampled_from(STRANGE)) + line[at:]]
        elif op == "long":
            lines[i:i + 1] = [line * draw(st.integers(5, 40))]
        elif op == "join" and len(lines) > 1:
            lines[i:i + 2] = [" ".join(lines[i : i + 2])]
        elif op == "punctuation":  # one width for the other, in a line or the whole window
            a, b = draw(st.sampled_from(_WIDTH_PAIRS))
            a, b = (b, a) if draw(st.booleans()) else (a, b)
            lines = [ln.replace(a, b) for ln in lines] if draw(st.booleans()) else lines[:i] + [line.replace(a, b)] + lines[i + 1 :]
        elif op == "digit_forms":  # 2024 → ２０２４ or 二〇二四
            lines[i:i + 1] = [line.translate(draw(st.sampled_from([_FULLWIDTH_DIGITS, _CHINESE_DIGITS])))]
        elif op == "bracket":  # an unbalanced bracket typed into the line (one found (-1, …) spans)
            lines[i:i + 1] = [line[:at] + draw(st.sampled_from(_BRACKETS)) + line[at:]]
    return "\n".join(lines)


_WIDTH_PAIRS = [("，", ","), ("。", "."), ("；", ";"), ("：", ":"), ("（", "("), ("）", ")"), ("％", "%"), ("、", ",")]
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_CHINESE_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
_BRACKETS = ["（", "）", "(", ")", "(三)", "（2）", "【", "】", "《", "“", "”"]


def _spans_index_the_text(node: Any, text: str, path: str = "report") -> None:
    """Every ``span`` in the dumped report lies inside the text; with a ``quote``, it is the quote."""
    if isinstance(node, dict):
        span = node.get("span")
        if span is not None:
            start, end = span
            assert 0 <= start <= end <= len(text), (path, span)
            if "quote" in node:
                assert text[start:end] == node["quote"], (path, span, node["quote"])
        for key, value in node.items():
            _spans_index_the_text(value, text, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _spans_index_the_text(value, text, f"{path}[{i}]")


def _summarize_and_check(text: str) -> None:
    doc = Document.from_text(text)
    try:
        report = reportkit.summarize(doc, engine="rules")
    except ReportkitError:
        return
    _spans_index_the_text(report.model_dump(), text)
    try:
        checked = reportkit.validate(report, doc)
    except ReportkitError:
        return
    _spans_index_the_text(checked.model_dump(), text)


@FUZZ
@given(mutated_texts())
def test_mutated_reports_never_crash_and_spans_hold(text: str) -> None:
    _summarize_and_check(text)


@FUZZ
@given(mutated_texts())
def test_outline_spans_stay_inside_the_text(text: str) -> None:
    outline = segment(text)
    n = len(text)
    for section in outline.sections:
        assert 0 <= section.start <= section.end <= n
        for a, b in section.extra_items:
            assert 0 <= a <= b <= n
    stack = list(outline.nodes)
    while stack:
        node = stack.pop()
        h = node.heading
        assert 0 <= h.start <= h.marker_end <= h.end <= n and h.title_start <= h.title_end <= n
        stack.extend(node.children)
    for a, b in outline.markers:
        assert 0 <= a < b <= n


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("一二三是要、()（）①⑤１2０.．:：;；。,，\n 年月日亿元万%增长下降工作回顾存在问题计划")), max_size=300))
def test_punctuation_soup_never_crashes(text: str) -> None:
    _summarize_and_check(text)


@pytest.mark.parametrize(
    "text",
    [
        "1、a\n2、b\n⑤",  # issue 10: ⑤ passes str.isdigit() but is no \d; _glued_markers raised AttributeError
        "1、a\n2、b\n⑤⑥\n3、c",
        "1、a\n2、b\n²x\n3、c",
        "一、工作回顾\n1、a\n2、b\n①\n②③\n",
        "①\n②\n③",
        "",
        "\x00\x07\u2028\u2029",
    ],
)
def test_regressions_from_the_issue_and_the_fuzzer(text: str) -> None:
    _summarize_and_check(text)
