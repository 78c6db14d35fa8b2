"""The offline engine's work grows linearly with the input, on the shapes that once made it quadratic.

Work is counted, never timed: the Python calls made inside the stages this engine owns
(segmenting, the figure scan, the rules, metadata, indicators, rendering) for an input of n and of
2n units of the same shape. Twice the input may cost a little more than twice the calls (more
distinct names, deeper outlines), never four times.
"""

from __future__ import annotations

import cProfile
import pstats

import pytest

from reportkit import rendering
from reportkit.document import Document
from reportkit.index import clear_caches
from reportkit.indicators import assign_indicators
from reportkit.rules import summarize_document

_OWN = ("reportkit/rules.py", "reportkit/segmenting.py", "reportkit/numbers.py", "reportkit/metadata.py",
        "reportkit/indicators.py", "reportkit/rendering.py", "reportkit/cleaning.py", "reportkit/lexicon.py")

SHAPES = {
    # one clause, a figure every four characters (the 增长5% × 600 was n²)
    "repeated rate": lambda n: "增长5%" * (25 * n),
    # one line without a sentence break
    "run-on line": lambda n: "全镇完成固定资产投资12亿元增长5%的目标并推进项目建设" * (4 * n),
    # numbered and 一是 lists, each item a line with two figures
    "numbered lines": lambda n: "\n".join(f"{i + 1}、全年完成投资{i}亿元，同比增长{i % 10}%。" for i in range(10 * n)),
    "一是 lines": lambda n: "\n".join(f"一是加快建设项目{i}个，完成投资{i}万元。" for i in range(10 * n)),
    # many sections, each under its own heading
    "headings": lambda n: "\n".join(f"{'一二三四五六七八九十'[i % 10]}、{('工作回顾', '存在问题', '工作计划')[i % 3]}\n"
                                    f"完成投资{i}万元，同比增长{i % 9}%。" for i in range(5 * n)),
    # a 在肯定成绩的同时…问题: passage on every line, each carving the section it stands in
    "problem passages": lambda n: "一、工作回顾\n" + "\n".join(
        f"第{i}项工作完成投资{i}万元。在肯定成绩的同时，我们也看到困难和问题：一是资金紧{i}。" for i in range(10 * n)),
    # parentheses nested deep around a figure
    "nested parentheses": lambda n: "全镇" + "（" * (50 * n) + "完成投资5亿元" + "）" * (50 * n) + "。",
}


def _calls(text: str, builtins: bool = False) -> int:
    """Calls into the engine's own modules; with ``builtins``, also every C-level call they make
    (len, str methods, regex): a Python loop of such calls shows up only there."""
    clear_caches()
    doc = Document.from_text(text)
    profile = cProfile.Profile()
    profile.enable()
    report = assign_indicators(summarize_document(doc), text=text)
    rendering.report_to_markdown(report)
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    return sum(
        calls for (path, _, _), (_, calls, *_rest) in stats.items()
        if path.replace("\\", "/").endswith(_OWN) or builtins and path == "~"
    )


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_twice_the_input_is_about_twice_the_work(shape: str) -> None:
    make = SHAPES[shape]
    small, large = _calls(make(20)), _calls(make(40))
    assert small > 0
    assert large <= 2.4 * small, (shape, small, large)


# Shapes where the work hides in loops of C-level calls inside one Python call
BUILTIN_SHAPES = {
    # one clause of thousands of figures joined by 、 (each figure walked its whole run twice)
    "joined figures": lambda n: "新建道路" + "、".join(f"{i}公里" for i in range(40 * n)) + "。",
    # a rate read against the indicators named before it, 25 figures per unit
    "bare rates": lambda n: "地区生产总值" + "，同比增长5%" * (25 * n),
}


@pytest.mark.parametrize("shape", sorted(BUILTIN_SHAPES))
def test_twice_the_input_is_about_twice_the_work_counting_builtins(shape: str) -> None:
    make = BUILTIN_SHAPES[shape]
    small, large = _calls(make(20), builtins=True), _calls(make(40), builtins=True)
    assert small > 0
    assert large <= 2.4 * small, (shape, small, large)


def test_region_finds_the_chains_the_full_scan_finds_with_their_parts() -> None:
    # region reads its all-optional chain pattern only near anchors and only where it is not
    # empty: the matches (and the province, city, district and jurisdiction each holds) must be
    # the full scan's.
    import random

    from reportkit import metadata

    alphabet = "省市区县委人民政府大协街道镇乡社江苏浙湖南广东北山白桦台番禺梅浦凤岗云岭楚潭壮族自治维吾尔内蒙古新疆全本各的了年月，。、\n "
    rng = random.Random(23)
    texts = ["湖南省楚潭市云岭区人民政府", "广西壮族自治区梧州市长洲区委", "北山区白桦街道和平社区居民委员会", "中共台山市委、番禺区人民政府"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200))) for _ in range(3000)]
    for text in texts:
        full = [(m.span(), m.groupdict()) for m in metadata._CHAIN.finditer(text) if m.start() != m.end()]
        assert [(m.span(), m.groupdict()) for m in metadata._chains(text)] == full, text
