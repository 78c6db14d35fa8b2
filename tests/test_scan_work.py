"""Regex work grows linearly with the input (issue 14): the characters the offline stages' own
patterns are asked to scan, counted at n and 2n units of the same shape, never timed.

Call counts (tests/test_rules_work.py) cannot see a search that is called once per figure but scans
from its sentence's start: the calls double with the input while the characters scanned grow four
times. Every compiled pattern of these modules is replaced by a counting proxy for the run.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any, Callable

import pytest

from reportkit import cleaning, indicators, metadata, numbers, rendering, rules, segmenting
from reportkit.document import Document
from reportkit.index import clear_caches
from reportkit.indicators import assign_indicators
from reportkit.rules import _GrowingSearch, _growing_safe, summarize_document

_MODULES: tuple[ModuleType, ...] = (cleaning, indicators, metadata, numbers, rendering, rules, segmenting)

SHAPES: dict[str, Callable[[int], str]] = {
    # one sentence without a stop: every figure's sentence starts at the text's start
    "repeated rate": lambda n: "增长5%" * (250 * n),
    "repeated rate, ASCII": lambda n: "增长5%," * (200 * n),
    "joined figures": lambda n: "新建道路" + "、".join(f"{i}公里" for i in range(150 * n)),
    "run-on line": lambda n: "全镇完成固定资产投资12亿元增长5%的目标并推进项目建设" * (20 * n),
    "numbered lines": lambda n: "\n".join(f"{i % 9 + 1}、全年完成投资{i}亿元，同比增长{i % 10}.5%。" for i in range(40 * n)),
    "一是 lines": lambda n: "\n".join(f"{'一二三四五'[i % 5]}是新建道路{i}公里，增长{i % 10}%。" for i in range(40 * n)),
    "headings": lambda n: "\n".join(f"{'一二三四五六七八九'[i % 9]}、工作{i}" for i in range(60 * n)),
    # 分别 lists in a text without a clause break: each list's subject runs back to the text's start
    "分别 run-on": lambda n: "工业和农业分别增长5%和6%" * (60 * n),
    "分别 run-on, 、 and brackets": lambda n: "（上年）城镇、农村居民收入分别增长5%和6%" * (40 * n),
    "five-year figures": lambda n: "“十四五”以来" + "，".join(f"累计新建道路{i}公里" for i in range(60 * n)) + "。",
}


class _Counting:
    """A compiled pattern that adds the characters it reads to ``scanned``: a search reads from its
    start to its match's end (or the range's end), an anchored match what it matched, and the
    methods that visit every match (finditer, findall, split, sub) the whole range."""

    def __init__(self, pattern: re.Pattern[str], scanned: list[int]) -> None:
        self._pattern, self._scanned = pattern, scanned
        self.pattern, self.flags, self.groups, self.groupindex = pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._pattern, name)
        if name not in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn"):
            return method

        def counted(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if name in ("sub", "subn", "split"):
                string = args[1] if name != "split" else args[0]
                self._scanned[0] += len(string) if isinstance(string, str) else 0
                return result
            string = args[0] if args else kwargs["string"]
            pos = args[1] if len(args) > 1 else kwargs.get("pos", 0)
            endpos = args[2] if len(args) > 2 else kwargs.get("endpos", len(string))
            end = min(endpos, len(string))
            if name == "search":
                end = result.end() if result is not None else end
            elif name in ("match", "fullmatch"):
                end = result.end() if result is not None else pos
            self._scanned[0] += max(0, end - pos) + 1
            return result

        return counted


def _scanned(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    scanned = [0]
    with monkeypatch.context() as patch:
        for module in _MODULES:
            for attr, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    patch.setattr(module, attr, _Counting(value, scanned))
        clear_caches()
        doc = Document.from_text(text)
        report = assign_indicators(summarize_document(doc), text=text)
        rendering.report_to_markdown(report)
    clear_caches()
    return scanned[0]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_twice_the_input_scans_about_twice_the_characters(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    once, twice = (_scanned(SHAPES[shape](n), monkeypatch) for n in (1, 2))
    assert once > 0
    assert twice <= 2.3 * once, f"{shape}: {once:,} characters scanned at n, {twice:,} at 2n"


@pytest.mark.parametrize("seed", range(40))
def test_a_growing_search_answers_as_the_plain_search(seed: int) -> None:
    import random

    rng = random.Random(seed)
    pattern = re.compile(r"(?<![\d])(?:[二三五]|\d{1,2})(?:年来|年累计)|过去[二三]年|十四五[”\"]?以来")
    pieces = ["年来", "年累计", "过去", "十四五", "”", "以来", "三", "五", "1", "12", "2023", "增长", "，", "年"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(5, 60)))
    search = _GrowingSearch(pattern, text)
    for _ in range(60):
        lo = rng.choice((search.lo if search.lo >= 0 else 0, rng.randint(0, len(text))))
        hi = rng.randint(lo, len(text)) if rng.random() < 0.3 else min(len(text), max(lo, search.hi) + rng.randint(0, 4))
        assert search(lo, hi) == (pattern.search(text, lo, hi) is not None), (text, lo, hi)


@pytest.mark.parametrize("pattern", [r"年(?=来)", r"以来$", r"\b年", r"年+来", r"(?:过去)*年"])
def test_a_pattern_that_looks_past_its_match_or_has_no_bound_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="growing ranges"):
        _growing_safe(re.compile(pattern))


def _plain_each_items(subject: str, k: int) -> list[str]:
    """The list before 分别 as the rules engine read it before it read from the end (the definition)."""
    pieces = [p for p in subject.split("、") if p]
    if len(pieces) < k:
        pieces = [q for p in pieces for q in re.split(r"[和及与]", p) if q]
    items = []
    for piece in pieces:
        cut = re.search(r"[\d０-９]", piece)
        piece = piece[: cut.start()] if cut else piece
        piece = rules._LEADING_NOISE.sub("", rules._TRAILING_LINK.sub("", piece)).strip()
        if piece:
            items.append(piece)
    return items


@pytest.mark.parametrize("seed", range(300))
def test_the_list_before_fenbie_read_from_its_end_is_the_whole_lists_end(seed: int) -> None:
    import random

    rng = random.Random(seed)
    pieces = ["、", "和", "及", "与", "（", "）", "(", ")", "工业", "农业产值", "5%", "12亿元", "其中", "全镇", "分别",
              "增长", "城镇", "居民收入", " ", "两大产业", "和服务业"]
    weights = [6, 5, 2, 2, 2, 2, 1, 1, 6, 4, 3, 3, 1, 1, 1, 2, 3, 3, 1, 1, 2]
    if seed % 2:  # a run-on list joined by 和 only: the window decides
        weights[0] = 0
    text = "".join(rng.choices(pieces, weights, k=rng.randint(20, 400)))
    reader = rules._Reader.__new__(rules._Reader)
    reader.text, reader._each_marks = text, None
    for _ in range(20):
        at = rng.randint(0, len(text))
        lo = rng.randint(0, at) if rng.random() < 0.5 else rng.randint(0, min(at, 5))
        k = rng.randint(1, 6)
        expected = _plain_each_items(rules._PAREN.sub("", text[lo:at]), k)[-k:]
        assert reader._each_list(lo, at, k) == expected, (text, lo, at, k)
        assert rules._each_items(rules._PAREN.sub("", text[lo:at]), k) == expected
