"""Segmentation: headings in every form the seeds use, labelled sections, glued item numbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reportkit
from reportkit.segmenting import segment

from conftest import SEEDS, gold_for


def _items(text: str, kind: str) -> list[str]:
    outline = segment(text)
    return [text[n.heading.start : n.heading.end] for s in outline.sections if s.kind == kind for n in s.items]


def _kinds(text: str) -> dict[str, bool]:
    return segment(text).kinds_present()


@pytest.mark.parametrize(
    "text, kind, expected",
    [
        # line-start 一、 headings under labelled parents
        ("一、工作回顾\n内容。\n二、存在问题\n问题。\n三、工作计划\n计划。", "review", ["一、工作回顾"]),
        ("一、工作回顾\n内容。\n二、存在问题\n问题。\n三、工作计划\n计划。", "problems", ["二、存在问题"]),
        ("一、工作回顾\n内容。\n二、存在问题\n问题。\n三、工作计划\n计划。", "plans", ["三、工作计划"]),
        # a labelled parent's children are its items
        ("一、今年工作回顾\n(一)经济发展稳中有进\n正文。\n(二)城市面貌焕然一新\n正文。", "review",
         ["(一)经济发展稳中有进", "(二)城市面貌焕然一新"]),
        # full-width parentheses
        ("一、工作回顾\n(一)经济发展\n正文。\n(二)城市建设\n正文。", "review", ["(一)经济发展", "(二)城市建设"]),
        # inline headings in one long paragraph (seed 002's shape)
        ("一、今年工作回顾 (一)项目招引 一是指标稳。二是动能足。 二、存在问题 一是要素紧,压力大。二是服务弱。 三、下步打算 一是稳经济。二是促更新。",
         "problems", ["一是要素紧,压力大", "二是服务弱"]),
        ("一、今年工作回顾 (一)项目招引 一是指标稳。二是动能足。 二、存在问题 一是要素紧,压力大。二是服务弱。 三、下步打算 一是稳经济。二是促更新。",
         "plans", ["一是稳经济", "二是促更新"]),
        # 在肯定成绩的同时 opens a problems passage inside a line
        ("2023年工作回顾\n过去一年成绩显著。\n在肯定成绩的同时,我们也面临困难和挑战:一是增长乏力。二是发展不均。\n2024年工作计划\n一、稳经济\n正文。",
         "problems", ["一是增长乏力", "二是发展不均"]),
        # unnumbered heading lines in a news item about a plan
        ("双阳街道部署2024年重点工作目标\n会议召开。\n坚持产业优先,推动改造升级再突破\n一是加快技改步伐。\n坚持项目优先,推动发展瓶颈再突破\n一是攻坚提速。",
         "plans", ["坚持产业优先,推动改造升级再突破", "坚持项目优先,推动发展瓶颈再突破"]),
    ],
)
def test_items_per_section(text: str, kind: str, expected: list[str]) -> None:
    assert _items(text, kind) == expected


@pytest.mark.parametrize(
    "text, present",
    [
        ("一、工作回顾\n内容。\n二、工作计划\n计划。", {"review": True, "problems": False, "plans": True}),
        ("一、主要成效\n内容。\n二、存在的不足\n不足。", {"review": True, "problems": True, "plans": False}),
        ("一、工作亮点\n内容。", {"review": True, "problems": False, "plans": False}),
        ("一、下步打算\n打算。", {"review": False, "problems": False, "plans": True}),
        ("一、短板和弱项\n短板。", {"review": False, "problems": True, "plans": False}),
        ("2023年工作总结\n一、提劲赶超,构建新格局\n一是平台。\n二、提质增效,品质提升\n一是面貌。",
         {"review": True, "problems": False, "plans": False}),
        ("没有任何标题的一段话。只有正文。", {"review": False, "problems": False, "plans": False}),
        ("", {"review": False, "problems": False, "plans": False}),
    ],
)
def test_sections_present(text: str, present: dict[str, bool]) -> None:
    assert _kinds(text) == present


def test_glued_item_numbers_become_markers() -> None:
    text = "一、工作亮点\n1、第一项完成。\n2利弄等三村土地整治。\n3、第三项。\n4、第四项。\n52022年,完成征收。\n6、第六项。\n"
    outline = segment(text)
    items = [text[n.heading.start : n.heading.end] for s in outline.sections for n in s.items]
    assert len(items) == 6
    glued = {text[a:b] for a, b in outline.markers}
    assert "2" in glued and "5" in glued  # the marker is only the item number
    assert (text.index("52022"), text.index("52022") + 1) in outline.markers


def test_glued_number_that_breaks_the_sequence_is_not_a_marker() -> None:
    text = "一、工作亮点\n1、第一项。\n2、第二项。\n12个项目完工。\n"
    assert all(text[a:b] != "12" and text[a:b] != "1" or a != text.index("12个") for a, b in segment(text).markers)


def test_missing_sibling_number_is_recovered() -> None:
    text = "二、工作计划\n(一)聚焦示范引领,打造新高度。\n正文。\n(二)聚焦产业发展,推动再增效。\n正文。\n聚焦品牌升级,推动文旅再深化。正文。\n(四)聚焦项目实施,推动再跨越。\n正文。"
    assert _items(text, "plans") == [
        "(一)聚焦示范引领,打造新高度",
        "(二)聚焦产业发展,推动再增效",
        "聚焦品牌升级,推动文旅再深化",
        "(四)聚焦项目实施,推动再跨越",
    ]


def test_words_that_look_like_markers_are_not_headings() -> None:
    text = "一、工作回顾\n坚持统一、规范管理,一般性问题一是一、二是二。"
    assert _items(text, "review") == ["一、工作回顾"]


def test_section_at_offsets() -> None:
    text = "一、工作回顾\n内容甲。\n二、工作计划\n内容乙。"
    outline = segment(text)
    assert outline.section_at(text.index("内容甲")) == "review"
    assert outline.section_at(text.index("内容乙")) == "plans"


def test_headings_in_boilerplate_are_ignored() -> None:
    text = "一、网站导航\n二、工作计划\n计划内容。"
    outline = segment(text, boilerplate=((0, 6),))
    assert outline.kinds_present() == {"review": False, "problems": False, "plans": True}


def test_seed_sections_match_gold(seed_stem: str) -> None:
    doc = reportkit.load(SEEDS / f"{seed_stem}.txt")
    assert segment(doc.text, doc.boilerplate).kinds_present() == gold_for(seed_stem)["sections_present"]


@pytest.mark.parametrize(
    "stem, kind, count",
    [
        ("000_0905f6282178ee7a", "review", 4), ("000_0905f6282178ee7a", "problems", 3), ("000_0905f6282178ee7a", "plans", 4),
        ("001_f673d7f6c6eeef5e", "review", 11), ("001_f673d7f6c6eeef5e", "plans", 5),
        ("002_5c548b74d12d1e64", "review", 6), ("002_5c548b74d12d1e64", "problems", 3), ("002_5c548b74d12d1e64", "plans", 5),
        ("003_c6631ad89748e798", "review", 5),
    ],
)
def test_seed_item_counts(stem: str, kind: str, count: int) -> None:
    doc = reportkit.load(SEEDS / f"{stem}.txt")
    assert len(_items_doc(doc, kind)) == count


def _items_doc(doc: reportkit.Document, kind: str) -> list:
    return [n for s in segment(doc.text, doc.boilerplate).sections if s.kind == kind for n in s.items]


# --- pathological sizes: the outline stays right (linear cost is measured by a script, not here) ---


def test_twenty_thousand_numbered_plan_lines_are_twenty_thousand_items() -> None:
    body = "\n".join(f"{i % 99 + 1}、推进项目建设,完成投资{i}万元。" for i in range(20_000))
    text = "一、2023年工作回顾\n全年完成投资3亿元。\n二、下一步打算\n" + body
    outline = segment(text)
    (plans,) = [s for s in outline.sections if s.kind == "plans"]
    assert len(plans.items) == 20_000
    assert plans.items[0].heading.number == 1 and plans.items[-1].heading.number == (19_999 % 99) + 1
    assert outline.section_at(len(text) - 1) == "plans" and outline.section_at(5) == "review"


def test_twenty_thousand_shi_lines_under_one_problems_heading() -> None:
    numerals = "一二三四五六七八九"
    body = "\n".join(f"{numerals[i % 9]}是基层治理存在短板,积压纠纷{i}件。" for i in range(20_000))
    outline = segment("三、存在问题\n" + body)
    (problems,) = [s for s in outline.sections if s.kind == "problems"]
    assert len(problems.items) == 20_000


def test_a_single_line_of_100k_characters_keeps_its_inline_items() -> None:
    numerals = "一二三四五六七八九"
    items = "".join(f"{numerals[i % 9]}是完成投资{i}万元,新增企业{i % 50}家。" for i in range(5_000))
    text = "一、工作回顾 " + items
    assert len(text) >= 100_000 and "\n" not in text
    outline = segment(text)
    (review,) = [s for s in outline.sections if s.kind == "review"]
    assert len(review.items) == 5_000
    assert all(text[n.heading.start + 1] == "是" for n in review.items)


def test_circled_number_after_arabic_items_does_not_crash() -> None:
    # issue 10: ⑤ passes str.isdigit() but is no \d, and the glued-marker scan raised AttributeError
    assert [n.heading.number for n in segment("1、a\n2、b\n⑤").nodes] == [1, 2]  # a bare ⑤ heads nothing
    # ⑤ ⑥ are found, as items under 2、 (the genre's outline puts ① below 1、)
    outline = segment("1、a\n2、b\n⑤保障民生\n⑥x")
    assert [n.heading.number for n in outline.nodes] == [1, 2]
    assert [n.heading.number for n in outline.nodes[1].children] == [5, 6]


def _heading_text(n: int) -> str:
    """n sections (回顾, 问题, 计划 in turn, each under its own 一、…十、 heading), each with a figure."""
    labels = ("工作回顾", "存在问题", "工作计划")
    return "\n".join(f"{'一二三四五六七八九十'[i % 10]}、{labels[i % 3]}\n完成投资{i}万元，同比增长{i % 9}%。" for i in range(n))


@pytest.mark.parametrize("n", [3, 40, 400])
def test_section_of_is_the_first_section_holding_the_offset(n: int) -> None:
    text = _heading_text(n)
    outline = segment(text)
    # segment's sections are disjoint and in order, so every lookup is a binary search
    assert outline._section_starts is not None
    for pos in range(-1, len(text) + 1, 7):
        linear = next((s for s in outline.sections if s.start <= pos < s.end), None)
        assert outline.section_of(pos) is linear
        assert outline.section_at(pos) == (linear.kind if linear else "other")


def test_looking_up_every_figure_s_section_is_not_a_scan_of_the_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    # The rules engine asks for the section of each figure: with a scan of the sections that was
    # figures x sections (quadratic in a report of many headings); count the sections touched.
    from reportkit import rules
    from reportkit.document import Document
    from reportkit.index import clear_caches

    def touched(n: int) -> int:
        clear_caches()
        seen = 0
        real = segment

        class Counting(tuple):
            def __iter__(self):  # type: ignore[override]
                nonlocal seen
                for s in tuple.__iter__(self):
                    seen += 1
                    yield s

        def counting_segment(*a, **kw):
            outline = real(*a, **kw)
            object.__setattr__(outline, "sections", Counting(outline.sections))
            return outline

        monkeypatch.setattr(rules, "segment", counting_segment, raising=False)
        import reportkit.index as index

        monkeypatch.setattr(index, "segment", counting_segment)
        report = rules.summarize_document(Document.from_text(_heading_text(n)))
        assert len(report.metrics) >= n
        return seen

    small, large = touched(100), touched(200)
    assert large <= 2.2 * small


def _carve_in_place(text: str, nodes, sections):  # type: ignore[no-untyped-def]
    """The plain form of segmenting._split_problem_passages (every passage against every section)."""
    from reportkit.segmenting import Node, Section, _PROBLEM_INTRO, _walk

    out = list(sections)
    all_nodes = list(_walk(nodes))
    for m in _PROBLEM_INTRO.finditer(text):
        start = m.start()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        items = tuple(n for n in all_nodes if n.heading.style == "shi" and start < n.start < line_end)
        end = max([line_end] + [n.end for n in items])
        if any(s.kind == "problems" and s.start <= start < s.end for s in out):
            continue
        carved = []
        for s in out:
            if s.start <= start < s.end:
                if start > s.start:
                    head = tuple(i for i in s.items if i.start < start)
                    if not head and s.lead is not None:  # a part whose only list was the passage: itself
                        head = (Node(s.lead, start),)
                    carved.append(Section(s.kind, s.start, start, head, s.lead))
                if end < s.end:
                    carved.append(Section(s.kind, end, s.end, tuple(i for i in s.items if i.start >= end), s.lead))
            else:
                carved.append(s)
        carved.append(Section("problems", start, end, items, None))
        out = carved
    return out


_INTROS = ["在肯定成绩的同时，我们也清醒地看到，发展中还存在一些困难和问题：", "在肯定成绩的同时,我们也面临困难和挑战:",
           "同时也要看到，工作中还存在不少问题和不足。"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.data())
def test_problem_passages_carve_as_the_plain_form_does(data: st.DataObject) -> None:
    from reportkit import segmenting

    base = data.draw(st.sampled_from([p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]))
    lines = base.split("\n")
    for _ in range(data.draw(st.integers(1, 12))):
        i = data.draw(st.integers(0, len(lines) - 1))
        at = data.draw(st.integers(0, len(lines[i])))
        extra = data.draw(st.sampled_from(_INTROS)) + data.draw(st.sampled_from(["一是", "", "（一）", "1、"]))
        lines[i] = lines[i][:at] + extra + lines[i][at:]
        if data.draw(st.booleans()):
            lines.insert(i, data.draw(st.sampled_from(["一、工作回顾", "二、存在问题", "三、工作计划", "（二）", "二是"])))
    text = "\n".join(lines)
    seen = []
    real = segmenting._split_problem_passages

    def both(text, nodes, sections):  # type: ignore[no-untyped-def]
        fast = real(text, nodes, sections)
        seen.append(fast == _carve_in_place(text, nodes, sections))
        return fast

    segmenting.forget_outlines()
    try:
        segmenting._split_problem_passages = both
        segment(text)
    finally:
        segmenting._split_problem_passages = real
        segmenting.forget_outlines()
    assert seen == [True]


def _plain_windows(start: int, end: int, markers: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    windows, pos = [], start
    for m0, m1 in markers:
        if m1 <= pos or m0 >= end:
            continue
        if m0 > pos:
            windows.append((pos, m0))
        pos = max(pos, m1)
    if pos < end:
        windows.append((pos, end))
    return windows


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 500), st.sampled_from([1, 2, 3, 40, 300])), max_size=120), st.booleans(),
       st.integers(-5, 600), st.integers(0, 300))
def test_scan_windows_skip_the_markers_as_a_full_pass_does(spans, ordered, start, length) -> None:  # type: ignore[no-untyped-def]
    from reportkit.segmenting import scan_windows

    markers = tuple(sorted((a, a + n) for a, n in spans) if ordered else ((a, a + n) for a, n in spans))
    assert scan_windows(start, start + length, markers) == _plain_windows(start, start + length, markers)


def test_scan_windows_read_the_markers_near_the_range_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # One call per content range, all of the document's markers each time: ranges x markers read
    # before; now the markers a range can overlap, found by binary search.
    from reportkit import segmenting

    def read(n: int) -> int:
        markers = tuple((10 * k, 10 * k + 2) for k in range(n))
        count = 0
        real = segmenting._marker_range

        def counting(ms, a, b):  # type: ignore[no-untyped-def]
            nonlocal count
            first, stop = real(ms, a, b)
            count += stop - first
            return first, stop

        monkeypatch.setattr(segmenting, "_marker_range", counting)
        for r in range(n // 10):  # a content range every 100 characters
            segmenting.scan_windows(100 * r + 5, 100 * r + 60, markers)
        return count

    small, large = read(1000), read(2000)
    assert large <= 2.1 * small


def _markers_line_by_line(text: str, lines: list) -> list:
    """The marker search as it was written before: every pattern over every line on its own."""
    from reportkit import segmenting as sg

    found = []
    for i, line in enumerate(lines):
        for style, rank, pattern in sg._MARKERS:
            for m in pattern.finditer(text, line.start, line.end):
                found.append((m.start(), m.end(), style, i))
    return sorted(found)


_MARKER_ALPHABET = ["一、", "(二)", "（三）", "3、", "12.", "(4)", "①", "⑵", "二是", "三要", "一是否", "5．", "１２、",
                    "工作", "完成", "增长5%", "。", "；", ":", " ", "\u3000", "|", "\n", "\n\n", " |\n", "\r\n", "十一、"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_ALPHABET), max_size=40), st.sets(st.integers(0, 12)))
def test_markers_found_in_one_pass_are_the_markers_of_each_line(pieces: list[str], furniture: set[int]) -> None:
    # Each marker pattern runs once over the whole text; no match may differ from a search of
    # each content line alone (none crosses a line end, none in a boilerplate line is kept).
    from reportkit import segmenting as sg

    text = "".join(pieces)
    raw, at = [], 0
    for piece in text.split("\n"):
        raw.append((at, at + len(piece)))
        at += len(piece) + 1
    lines = sg._content_lines(text, tuple(raw[k] for k in sorted(furniture) if k < len(raw)))
    whole = sorted((m.start(), m.end(), style, i) for style, _, i, _, m in sg._marker_matches(text, lines))
    assert whole == _markers_line_by_line(text, lines)


def test_marker_search_runs_each_pattern_once_not_once_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # 10,000 numbered lines made _find_markers call six finditer per line; the work is per marker now.
    from reportkit import segmenting as sg

    calls = []

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, *args):
            calls.append(1)
            return self.pattern.finditer(*args)

    monkeypatch.setattr(sg, "_MARKERS", [(s, r, Counting(p)) for s, r, p in sg._MARKERS])
    text = "\n".join(f"{i % 9 + 1}、工作{i}完成。" for i in range(2000))
    sg._find_markers(text, sg._content_lines(text, ()))
    assert len(calls) == len(sg._MARKERS)
