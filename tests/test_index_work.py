"""Bounded work (issues 11 and 14): one scan, one segmentation and one index per document, and work
that grows linearly with the input, counted in operations (calls and executed lines), never in time.

The shortcuts that make this so (kept scans, bracket positions, the line-break prefilter, the
nearest places of a value) must give exactly what the plain computation gives: each has a test
against the plain definition on random text.
"""

from __future__ import annotations

import pickle
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import pytest

import reportkit
from reportkit import cleaning, index as index_mod, numbers, segmenting, validate
from reportkit.check import _attribution, _values
from reportkit.document import Document
from reportkit.rules import summarize_document

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = str(ROOT / "reportkit")


def _report_text(copies: int = 3) -> str:
    return (ROOT / "corpus" / "c01_fengxi.txt").read_text(encoding="utf-8") * copies


def _rules_and_check(text: str) -> reportkit.Report:
    """The offline pipeline without the report cache: rules engine, then the figure check."""
    doc = cleaning.with_boilerplate(Document.from_text(text))
    return validate(summarize_document(doc), doc)


@pytest.fixture(autouse=True)
def _cold() -> None:
    index_mod.clear_caches()


def test_the_figure_pattern_scans_each_stretch_of_a_document_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _report_text()
    scanned: Counter[tuple[int, int | None, bool]] = Counter()
    real = numbers._scan

    def counting(t: str, pos: int, endpos: int | None, *, chinese: bool, strict: bool) -> list[numbers.Quantity]:
        if t is text or t == text:
            scanned[(pos, endpos, chinese)] += 1
        return real(t, pos, endpos, chinese=chinese, strict=strict)

    monkeypatch.setattr(numbers, "_scan", counting)
    report = _rules_and_check(text)
    assert report.metrics and scanned
    assert max(scanned.values()) == 1, [k for k, n in scanned.items() if n > 1][:5]
    covered = sum((len(text) if e is None else e) - s for s, e, _ in scanned)
    # the rules engine and the index share one pass over the text (each scanned it whole before);
    # the outline's figure counts of a few passages are the rest
    assert covered <= 1.1 * len(text)


def test_periods_are_scanned_once_per_stretch(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _report_text()
    scanned: Counter[tuple[int, int | None]] = Counter()
    real = numbers._periods

    def counting(t: str, pos: int, endpos: int | None) -> list[tuple[int, int, str]]:
        if t == text:
            scanned[(pos, endpos)] += 1
        return real(t, pos, endpos)

    monkeypatch.setattr(numbers, "_periods", counting)
    _rules_and_check(text)
    assert scanned and max(scanned.values()) == 1


def test_a_document_is_segmented_and_indexed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _report_text()
    calls: Counter[str] = Counter()
    real_lines, real_build = segmenting._content_lines, index_mod._build

    def lines(t: str, *a: Any) -> Any:
        if t == text:
            calls["segment"] += 1
        return real_lines(t, *a)

    def build(doc: Document) -> Any:
        calls["index"] += 1
        return real_build(doc)

    monkeypatch.setattr(segmenting, "_content_lines", lines)
    monkeypatch.setattr(index_mod, "_build", build)
    doc = cleaning.with_boilerplate(Document.from_text(text))
    report = summarize_document(doc)
    first = validate(report, doc)
    again = validate(report, doc)  # a re-validation (a cached report) reuses the Document's index
    assert index_mod.build_index(doc) is index_mod.build_index(doc)
    assert calls == {"segment": 1, "index": 1}
    assert first == again


def test_the_kept_index_goes_with_its_document() -> None:
    import gc

    doc = Document.from_text(_report_text(1))
    index_mod.build_index(doc)
    assert len(index_mod._BUILT) == 1
    del doc
    gc.collect()
    assert len(index_mod._BUILT) == 0


# ------------------------------------------------------------------ linear work

def _count_matches(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts the check's figure-against-metric comparisons (``check._values._match``) in ``["calls"]``."""
    matched: Counter = Counter()
    real = _values._match

    def counting(*a: Any) -> Any:
        matched["calls"] += 1
        return real(*a)

    monkeypatch.setattr(_values, "_match", counting)
    return matched


def _lines_executed(fn: Callable[[], object]) -> int:
    """Lines of reportkit executed by ``fn``: a count of work that does not depend on the machine."""
    count = 0

    def local(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    # issue 14's inputs: numbered list lines, 一是 items, one rate repeated (as sentences and as one
    # run-on sentence), a single line of table cells with a unit in brackets, asides in brackets
    "list lines": lambda n: "".join(f"{i % 9 + 1}、完成项目{i}个，投资{i}万元\n" for i in range(n)),
    "一是 items": lambda n: "".join(f"一是新建道路{i}公里；二是改造{i + 1}户。\n" for i in range(n)),
    "增长5% sentences": lambda n: "全年增长5%。" * n,
    "增长5% one sentence": lambda n: "全年增长5%，" * n + "。",
    "one long line": lambda n: "地区生产总值（亿元）12.5，" * n,
    "asides": lambda n: "".join(f"新建公园{i}个（其中口袋公园{i}个，面积{i}亩），" for i in range(n)) + "。",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_work_grows_linearly_with_the_input(name: str) -> None:
    make = PATHOLOGICAL[name]
    # a value is weighed at its 64 nearest places (check._judge.MAX_PLACES) and a list within 24
    # figures either side (check._attribution): past those bounds, linear
    small, large = {"增长5% sentences": (80, 320), "增长5% one sentence": (80, 320), "asides": (40, 160)}.get(name, (30, 120))
    index_mod.clear_caches()
    w_small = _lines_executed(lambda: _rules_and_check(make(small)))
    index_mod.clear_caches()
    w_large = _lines_executed(lambda: _rules_and_check(make(large)))
    # 4x the input may cost at most 4x the work and a margin (fixed costs make it less than 4x)
    assert w_large <= 4 * 1.2 * w_small, (name, w_small, w_large, round(w_large / w_small, 2))


class _Reads(str):
    """The index's view, counting the characters read from it through slices, finds and ``in``.

    Line counts miss work done inside one C call (a regex search or an ``rfind`` over the rest of a
    sentence); what the check reads of the view shows it.
    """

    read = 0

    def __getitem__(self, key: Any) -> str:
        out = str.__getitem__(self, key)
        _Reads.read += len(out)
        return out

    def _span(self, a: Any, b: Any) -> int:
        lo, hi, _ = slice(a, b).indices(len(self))
        return max(0, hi - lo)

    def find(self, sub: Any, a: Any = None, b: Any = None) -> int:
        _Reads.read += self._span(a, b)
        return str.find(self, sub, a, b)

    def rfind(self, sub: Any, a: Any = None, b: Any = None) -> int:
        _Reads.read += self._span(a, b)
        return str.rfind(self, sub, a, b)

    def __contains__(self, sub: Any) -> bool:
        _Reads.read += len(self)
        return str.__contains__(self, sub)


def _view_read_by_the_check(text: str) -> int:
    """Characters of the view the figure check reads, the index already built (as in the pipeline)."""
    doc = cleaning.with_boilerplate(Document.from_text(text))
    report = summarize_document(doc)
    idx = index_mod.build_index(doc)
    object.__setattr__(idx, "view", _Reads(idx.view))
    idx.memo.clear()
    _Reads.read = 0
    validate(report, doc)
    return _Reads.read


ONE_CLAUSE: dict[str, Callable[[int], str]] = {
    # issue 14: one clause (or one line without punctuation) holding thousands of figures
    "增长5% unpunctuated": lambda n: "增长5%" * n,
    "amounts unpunctuated": lambda n: "新建道路3公里" * n,
    "shares": lambda n: "占全年任务的78%" * n,
    "a list": lambda n: "新建道路3公里、改造住房5户" * n + "。",
    "plan cues": lambda n: "年度计划完成投资3亿元" * n,
    "base years": lambda n: "较2022年增长8家" * n,
}


@pytest.mark.parametrize("name", sorted(ONE_CLAUSE))
def test_one_clause_of_thousands_of_figures_costs_linear_work(name: str) -> None:
    make = ONE_CLAUSE[name]
    small, large = 1000, 2000  # past the sentence bound (index.MAX_SENTENCE) at both sizes
    index_mod.clear_caches()
    r_small = _view_read_by_the_check(make(small))
    index_mod.clear_caches()
    r_large = _view_read_by_the_check(make(large))
    assert r_large <= 2 * 1.15 * r_small, (name, r_small, r_large, round(r_large / max(r_small, 1), 2))
    index_mod.clear_caches()
    w_small = _lines_executed(lambda: _rules_and_check(make(small // 4)))
    index_mod.clear_caches()
    w_large = _lines_executed(lambda: _rules_and_check(make(small // 2)))
    assert w_large <= 2 * 1.15 * w_small, (name, w_small, w_large, round(w_large / w_small, 2))


def test_a_long_sentence_is_cut_into_bounded_pieces_without_cutting_a_figure() -> None:
    rng = random.Random(12)
    pieces = ["增长", "5%", "3.25亿元", "新建", "道路", "12公里", "，", "、", "；", "的", "占", "78%", "年度计划", "1,234.5万元"]
    for _ in range(30):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(200, 1500))) + "。短句3个。"
        idx = index_mod.build_index(text)
        assert [s for s, _ in idx.sentences][0] == 0 and idx.sentences[-1][1] == len(idx.view)
        assert all(a[1] == b[0] for a, b in zip(idx.sentences, idx.sentences[1:]))  # pieces tile the text
        assert all(e - s <= index_mod.MAX_SENTENCE for s, e in idx.sentences)
        for f in idx.figures:
            s, e = idx.sentences[f.sentence]
            assert s <= f.quantity.start and f.quantity.end <= e, f.quantity
        assert idx.sentences[-1] == (len(idx.view) - len("短句3个。"), len(idx.view))  # a short sentence stays whole


def test_the_kept_cue_places_answer_as_the_plain_search(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit.check import _labels

    monkeypatch.setattr(_labels, "_SHORT", 0)  # every piece through the kept places, however short
    rng = random.Random(9)
    alphabet = list("力争计划预期拟模虚年度目标是为确保将争创，；。增长5%") + ["年度计划", "模拟", "目标是", "预计划"]
    for _ in range(60):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(20, 300)))
        idx = index_mod.build_index(text)
        view = idx.view
        for pattern in (_labels._STRONG_TARGET, _labels._WEAK_TARGET):
            for _ in range(60):
                a, b = sorted((rng.randint(0, len(view)), rng.randint(0, len(view))))
                m = pattern.search(view[a:b])
                assert _labels._search(idx, pattern, a, b) == (m.group() if m else None), (view[a:b], a, b)


def test_a_value_stated_everywhere_weighs_a_bounded_number_of_places(monkeypatch: pytest.MonkeyPatch) -> None:
    matched = _count_matches(monkeypatch)
    per_metric = []
    for n in (100, 400):
        matched.clear()
        index_mod.clear_caches()
        report = _rules_and_check("全年增长5%。" * n)
        per_metric.append(matched["calls"] / len(report.metrics))
    assert 0 < per_metric[1] <= per_metric[0] * 1.05  # counted, and not growing with the number of places


# ------------------------------------------------------------------ shortcuts equal the plain definitions

_ALPHABET = list("0123456789１２年月日上半前三季度第一二四今全“”《》\" -~至/.增长亿元万%（）()\n、，。个人项公里")


def _inside_plain(text: str, pos: int) -> bool:
    lo = max(0, pos - numbers._ASIDE_LIMIT)
    lo = max(lo, text.rfind("\n", lo, pos) + 1)
    depth = 0
    for ch in text[lo:pos]:
        if ch in "(\uff08":
            depth += 1
        elif ch in ")\uff09" and depth:
            depth -= 1
    return depth > 0


def test_the_bracket_index_answers_as_the_plain_scan() -> None:
    rng = random.Random(7)
    for _ in range(40):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(numbers._LONG_TEXT, 3 * numbers._LONG_TEXT)))
        for pos in range(0, len(text), 7):
            assert numbers._inside_parentheses(text, pos) == _inside_plain(text, pos), pos


def test_kept_scans_equal_fresh_scans() -> None:
    rng = random.Random(11)
    for _ in range(20):
        text = "".join(rng.choice(_ALPHABET) for _ in range(3 * numbers._LONG_TEXT))
        a, b = rng.randrange(len(text)), rng.randrange(len(text))
        lo, hi = min(a, b), max(a, b)
        for _ in range(2):  # the second call is served from the kept scans
            assert numbers.find_quantities(text, lo, hi, chinese=True) == numbers._scan(text, lo, hi, chinese=True, strict=True)
            assert numbers.find_periods(text, lo, hi) == numbers._periods(text, lo, hi)


def test_the_line_break_prefilter_never_changes_the_joined_view(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    pieces = ["3.03万平", "方米", "12", "5", "亿元", "万", "%", "个", "，", "。", "以上", "超", "近", "约", "-", "至", "20",
              "平方", "公里", "1、", "完成", "投资", " ", "人次", "百分之", "(", ")"]
    texts = ["\n".join("".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(30)) for _ in range(150)]
    fast = [index_mod._joined(t, fmt) for t in texts for fmt in ("text", "pdf")]
    monkeypatch.setattr(index_mod, "may_span", lambda before, after: True)
    assert fast == [index_mod._joined(t, fmt) for t in texts for fmt in ("text", "pdf")]


def test_the_nearest_places_are_the_nearest() -> None:
    text = "".join(f"第{i}项:全年增长5%,投资{i % 7}亿元。" for i in range(300))
    idx = index_mod.build_index(text)
    want = _values.as_quantity(5.0, "%")
    everywhere = idx.figures_valued(5.0)
    assert len(everywhere) > 64
    for anchor in (0, len(idx.view) // 3, len(idx.view) - 1):
        got = _values.matches(idx, want, anchor, 64)
        dist = sorted(abs(idx.figures[i].quantity.start - anchor) for i in everywhere)[:64]
        assert sorted(abs(idx.figures[i].quantity.start - anchor) for i in got) == dist


def test_the_width_fold_equals_translate() -> None:
    from reportkit import lexicon

    table = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0xFF00, 0xFF60)] + list("中文，。　 ab1\u3000\U0001f600")
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert lexicon.to_halfwidth(s) == s.translate(table), s


def test_the_quote_fold_equals_the_per_character_fold() -> None:
    from reportkit import locating

    rng = random.Random(6)
    alphabet = [chr(c) for c in locating._FOLD] + list("中文 \n\t\u3000\u200b\u00ad，。ab1")
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        a, b = sorted((rng.randint(0, len(s)), rng.randint(0, len(s))))
        folded, offsets = locating.fold(s, a, b)
        plain = [(locating._fold_char(c), k) for k, c in enumerate(s) if a <= k < b and locating._fold_char(c)]
        assert folded == "".join(c for c, _ in plain) and offsets == [k for _, k in plain], s


def test_the_label_clause_is_the_plain_scan_s() -> None:
    from reportkit import lexicon
    from reportkit.check import _labels

    rng = random.Random(8)
    for _ in range(30):
        text = "".join(rng.choice(_ALPHABET + list("；：;:,")) for _ in range(400))
        idx = index_mod.build_index(text)
        for pos in range(len(idx.view)):
            s0, s1 = _labels._sentence(idx, pos)
            start = max([idx.view.rfind(ch, s0, pos) for ch in lexicon.CLAUSE_BREAKS] + [s0 - 1]) + 1
            ends = [e for ch in lexicon.CLAUSE_BREAKS if (e := idx.view.find(ch, pos, s1)) >= 0]
            assert _labels._clause(idx, pos) == (start, min(ends, default=s1)), pos


def test_a_short_text_finds_its_quotes_where_the_anchored_search_of_a_long_one_does() -> None:
    """Up to index._PLAIN_SEARCH characters a quote is searched for in the whole text; in a longer
    text around its figures. Both find every gold quote at the same places."""
    import json

    text = _report_text(1)
    long = text * (index_mod._PLAIN_SEARCH // len(text) + 1)
    short_ix, long_ix = index_mod.build_index(text), index_mod.build_index(long)
    assert len(text) <= index_mod._PLAIN_SEARCH < len(long)
    quotes = [m["quote"] for m in json.loads((ROOT / "corpus" / "c01_fengxi.json").read_text(encoding="utf-8"))["metrics"]]
    assert len(quotes) > 50
    from reportkit.locating import fold

    for quote in quotes:
        places = short_ix.find_quote(quote)
        assert places, quote
        assert [p for p in long_ix.find_quote(quote, limit=64) if p[1] <= len(text)] == places, quote
        # the written digits anchor the search as the figures the figure reader finds in the quote do
        assert long_ix.find_quote(quote) == long_ix._around(quote.strip(), long_ix._anchors(quote.strip()), 8, fold), quote


# ------------------------------------------------------------------ the figure check's work per metric


def test_a_revalidation_computes_no_figure_facts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Contexts, scopes and siblings are kept on the SourceIndex: a second report checked against
    the same source (a cached report, the LLM engine after its grounding) builds none of them."""
    from reportkit.check import _attribution

    doc = cleaning.with_boilerplate(Document.from_text(_report_text(1)))
    report = summarize_document(doc)
    first = validate(report, doc)
    built: Counter[str] = Counter()
    for name in ("_own", "_own_words"):
        real = getattr(_attribution, name)
        monkeypatch.setattr(_attribution, name, lambda *a, _real=real, _name=name: (built.update([_name]), _real(*a))[1])
    monkeypatch.setattr(_attribution, "indicator_words", lambda *a, _real=_attribution.indicator_words: (built.update(["words"]), _real(*a))[1])
    again = validate(report, doc)
    assert again == first
    assert not built, built


def test_a_quote_that_states_the_value_weighs_only_its_own_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    """5% is stated 300 times; the quote states it once for the name: one figure is matched, not
    the value's 64 nearest places (check._judge.MAX_PLACES)."""
    text = "全年增长5%。" * 150 + "全年实现地区生产总值86.4亿元，同比增长5%。" + "全年增长5%。" * 150
    idx = index_mod.build_index(text)
    assert len(idx.figures_valued(5.0)) > 64
    matched = _count_matches(monkeypatch)
    checked = validate({"metrics": [{"name": "地区生产总值增速", "value": 5, "unit": "%", "quote": "地区生产总值86.4亿元，同比增长5%"}]}, idx)
    assert checked.metrics[0].check.status == "verified"
    assert matched["calls"] <= 2


def test_a_verbatim_quote_in_a_long_text_is_found_without_reading_its_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    text = _report_text(1)
    long = text * (index_mod._PLAIN_SEARCH // len(text) + 1)
    idx = index_mod.build_index(long)
    quotes = [m["quote"] for m in json.loads((ROOT / "corpus" / "c01_fengxi.json").read_text(encoding="utf-8"))["metrics"]]
    read: list[str] = []
    real = index_mod.find_quantities
    monkeypatch.setattr(index_mod, "find_quantities", lambda t, *a, **k: (read.append(t), real(t, *a, **k))[1])
    found = [idx.find_quote(q) for q in quotes]
    assert all(found)
    assert len(read) <= len(quotes) // 20, read[:5]  # only a quote whose digits mislead (12,345) reads its figures


def test_without_a_quote_a_common_value_is_looked_for_where_the_name_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """5% stands 400 times; without a quote the places weighed are those among the name's
    candidates from the word index, not the 64 nearest the start, and no more than 64 of them."""
    text = "".join(f"第{i}项:全年增长5%,投资{i % 7}亿元。" for i in range(300)) + "全年实现地区生产总值86.4亿元，同比增长5%。" \
        + "全年增长5%。" * 100
    idx = index_mod.build_index(text)
    assert len(idx.figures_valued(5.0)) > 400
    matched = _count_matches(monkeypatch)
    checked = validate({"metrics": [{"name": "地区生产总值增速", "value": 5, "unit": "%", "quote": ""}]}, idx)
    check = checked.metrics[0].check
    assert check.status == "verified" and text[check.span[0] - 20 : check.span[1]].endswith("地区生产总值86.4亿元，同比增长5%")
    assert matched["calls"] <= 64


def test_a_name_without_numerals_holds_no_figure() -> None:
    """name_key skips the figure scan of a name without numerals: the scan finds nothing there."""
    from reportkit.check import _attribution

    rng = random.Random(13)
    text = _report_text(1)
    pieces = [text[a : a + rng.randint(1, 30)] for a in (rng.randrange(len(text)) for _ in range(5000))]
    pieces += ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 20))) for _ in range(5000)]
    for name in pieces:
        if not _attribution._NUMERAL.search(name):
            assert numbers.find_quantities(name, chinese=True) == [], name


# ------------------------------------------------------------------ parts built on first use (H2, issue 11)

def _random_report(rng: random.Random, lines: int = 40) -> str:
    pieces = ["规上工业产值", "社零额", "GDP", "地区生产总值", "城镇和农村居民收入", "分别增长", "分别为", "同比增长", "占全年任务",
              "的", "3.25亿元", "5%", "12个", "１２３万元", "ＡＢｃ", "，", "、", "；", "。", "和", "及", "完成", "其中", "1,234.5万元",
              "固投", "增加值", "（亿元）", "68.4", " ", "ß", "ﬁ"]
    return "\n".join("".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))) for _ in range(lines))


def test_the_word_index_and_the_tolerant_fold_are_built_on_first_use_and_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit import locating

    calls: Counter[str] = Counter()
    real_postings, real_fold = index_mod._postings, locating.fold

    def postings(*a: Any) -> Any:
        calls["postings"] += 1
        return real_postings(*a)

    def fold(text: str, *a: Any) -> Any:
        if len(text) > 1000:  # the document's fold, not a quote's
            calls["fold"] += 1
        return real_fold(text, *a)

    monkeypatch.setattr(index_mod, "_postings", postings)
    monkeypatch.setattr(locating, "fold", fold)
    text = _report_text(1)
    idx = index_mod.build_index(text)
    assert calls == {}  # building reads neither
    for _ in range(2):
        assert idx.candidates("地区生产总值")
        assert "全 年" not in text and idx.find_quote("全 年")  # found only by the tolerant fold
    assert calls == {"postings": 1, "fold": 1}
    again = pickle.loads(pickle.dumps(idx))  # a pickle carries neither: they are derived
    assert again == idx and again._lazy == {}
    assert again.candidates("地区生产总值") == idx.candidates("地区生产总值")
    assert calls == {"postings": 2, "fold": 1}


def test_the_word_index_posts_each_figure_under_the_pairs_of_its_words() -> None:
    rng = random.Random(5)
    for _ in range(40):
        idx = index_mod.build_index(_random_report(rng))
        words = [f.about + idx.clauses[f.clause].words for f in idx.figures]
        pairs = [{w[i : i + 2] for i in range(len(w) - 1)} for w in words]
        plain = {p: tuple(i for i in range(len(words)) if p in pairs[i]) for p in set().union(*pairs)}
        assert idx._by_pair == plain


def test_words_folded_from_the_cased_view_equal_fold_words() -> None:
    rng = random.Random(9)
    for _ in range(60):
        view = _random_report(rng, 8)
        cased = index_mod._Cased.of(view)
        for _ in range(40):
            a, b = sorted(rng.randrange(len(view) + 1) for _ in range(2))
            c, d = sorted(rng.randrange(len(view) + 1) for _ in range(2))
            assert cased.fold(cased.text[a:b]) == index_mod.fold_words(view[a:b])
            if cased.text is not view:  # a joined pair of slices (a clause with its figures cut out)
                assert cased.fold(cased.text[a:b] + cased.text[c:d]) == index_mod.fold_words(view[a:b] + view[c:d])


INDEX_INPUTS: dict[str, Callable[[int], str]] = {
    # issue 14's inputs, for the index build alone
    "增长5% repeated": lambda n: "增长5%" * n,
    "1、 lines": lambda n: "".join(f"1、完成项目{i}个，投资{i}万元\n" for i in range(n)),
    "a line without punctuation": lambda n: "新建道路3公里改造住房5户地区生产总值12.5亿元" * n,
    "headings": lambda n: "".join(f"{'一二三四五六七八九十'[i % 10]}、工作回顾\n（一）主要成效{i}个\n" for i in range(n)),
    "分别 lists": lambda n: "城镇和农村居民收入分别增长4.9%和6.6%，" * n + "。",
}


@pytest.mark.parametrize("name", sorted(INDEX_INPUTS))
def test_the_index_build_grows_linearly(name: str) -> None:
    make = INDEX_INPUTS[name]
    index_mod.clear_caches()
    w_small = _lines_executed(lambda: index_mod.build_index(make(100)))
    index_mod.clear_caches()
    w_large = _lines_executed(lambda: index_mod.build_index(make(400)))
    assert w_large <= 4 * 1.15 * w_small, (name, w_small, w_large, round(w_large / w_small, 2))


def _repeated_passage(copies: int) -> str:
    """Issue 14's slowest fuzz family: a report's body paragraphs joined into long lines, the passage repeated."""
    lines = [line for line in (ROOT / "corpus" / "c01_fengxi.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    title, body = lines[0], "".join(lines[1:])
    return title + "\n" + "\n".join(body * copies for _ in range(4)) + "\n"


def _count_judged(monkeypatch: pytest.MonkeyPatch) -> Counter:
    judged: Counter = Counter()
    real = _attribution.Namer._fits_now

    def counting(self: _attribution.Namer, i: int, t_min: float) -> bool:
        judged["calls"] += 1
        return real(self, i, t_min)

    monkeypatch.setattr(_attribution.Namer, "_fits_now", counting)
    return judged


def test_a_repeated_passage_judges_each_kind_of_place_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # a value stated in every copy of a passage is weighed at up to 64 places; the copies of one
    # place are one situation, judged once per name: the judging per checked figure (metrics and the
    # items' figures) does not grow with the copies (it grew by a third from 2 to 4 copies before)
    judged = _count_judged(monkeypatch)
    per_figure = []
    for copies in (2, 4):
        index_mod.clear_caches()
        judged.clear()
        report = _rules_and_check(_repeated_passage(copies))
        per_figure.append(judged["calls"] / (len(report.metrics) + len(report.validation.figures)))
    assert 0 < per_figure[1] <= per_figure[0] * 1.05, per_figure


def test_a_fit_answered_by_situation_is_the_plain_answer() -> None:
    text = _repeated_passage(2)
    doc = cleaning.with_boilerplate(Document.from_text(text))
    report = summarize_document(doc)
    idx = index_mod.build_index(doc)
    names = sorted({m.name for m in report.metrics})[:40]
    shared = 0
    for name in names:
        namer = _attribution.Namer(idx, _attribution.name_key(name))
        for i in range(len(idx.figures)):
            assert namer.fits(i) == namer._fits_now(i, _attribution.T_NAME), (name, idx.figure_text(i), i)
        shared += len(idx.figures) - len(namer._fits)
    assert shared > 0  # the copies did share their answers


# ------------------------------------------------------------------ H15: once per index, and the shortcuts equal the plain computation


def test_the_rate_checks_and_the_missed_figures_are_read_once_per_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """The source's own rate checks and each missed figure's text and clause depend on the source
    alone: a second report checked against the same index reads neither again."""
    from reportkit.check import _arithmetic

    doc = cleaning.with_boilerplate(Document.from_text(_report_text(1)))
    full = summarize_document(doc)
    report = full.model_copy(update={"metrics": full.metrics[::3]})  # a summary that misses figures
    counted: Counter[str] = Counter()
    real_rates, real_clause = _arithmetic.rate_checks, index_mod.SourceIndex.clause_text
    monkeypatch.setattr(_arithmetic, "rate_checks", lambda idx: (counted.update(["rate checks"]), real_rates(idx))[1])
    monkeypatch.setattr(index_mod.SourceIndex, "clause_text", lambda self, i: (counted.update(["clause"]), real_clause(self, i))[1])
    first = validate(report, doc)
    assert first.validation.missed and counted["rate checks"] == 1 and counted["clause"] >= len(first.validation.missed)
    counted.clear()
    again = validate(report, doc)
    assert again == first
    assert counted["rate checks"] == 0
    assert counted["clause"] <= len(again.metrics)  # only the details of failing metrics, never a missed figure's clause


def _plain_holds(namer: _attribution.Namer, i: int) -> bool:
    """What ``Namer._spells`` answers, by its definition: the pairs of i's own words, non-empty, all the name's."""
    pairs = frozenset().union(*(_attribution._pairs(w) for w in _attribution._own_words(namer.index, i)))
    return bool(pairs) and pairs <= namer.key.pairs


def test_the_spelt_out_words_and_the_missing_pairs_are_the_set_computation() -> None:
    rng = random.Random(21)
    for _ in range(30):
        idx = index_mod.build_index(_random_report(rng, 12))
        words = [f.about for f in idx.figures if f.about] + ["地区生产总值", "GDP增速", "规上工业产值", "工业", "投资额"]
        for name in rng.sample(words, min(12, len(words))):
            namer = _attribution.Namer(idx, _attribution.name_key(name + rng.choice(["", "增长", "完成", "收入"])))
            for i in range(len(idx.figures)):
                assert namer._spells(i) == _plain_holds(namer, i), (name, i)
                own_pairs = frozenset().union(*(_attribution._pairs(w) for w in _attribution._own_words(idx, i)))
                assert frozenset(p for p in namer.key.pairs if p not in namer._own_text(i)) == namer.key.pairs - own_pairs


def test_a_name_whole_in_the_nearest_layer_scores_as_its_parts_counted() -> None:
    def counted(key: _attribution.NameKey, layers: tuple[str, ...]) -> float:
        char = _attribution._found(key.chars, layers) / len(key.chars)
        if not key.pairs:
            return char
        pair = _attribution._found(key.pairs, layers) / len(key.pairs)
        return _attribution.CHAR_WEIGHT * char + (1 - _attribution.CHAR_WEIGHT) * pair

    rng = random.Random(22)
    alphabet = list("地区生产总值增长工业投资收入率AB12")
    for _ in range(20000):
        key = _attribution.name_key("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))))
        if not key.chars:
            continue
        layers = tuple("".join(rng.choice(alphabet + ["\x00"]) for _ in range(rng.randint(0, 20))) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.4:
            layers = (layers[0] + "\x00" + key.core,) + layers[1:]
        assert _attribution.layered(key, layers) == counted(key, layers), (key.core, layers)


def test_the_head_word_found_by_suffix_is_the_longest_head_it_ends_with() -> None:
    import re

    heads = sorted(_attribution._HEAD_FAMILIES, key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(map(re.escape, heads)) + ")$")
    rng = random.Random(23)
    pieces = heads + ["工业", "收", "入", "率", "A", "人", "增长", "完成"]
    for _ in range(5000):
        folded = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        cut = (_attribution._TAIL_RE.sub("", folded) or folded) if folded.endswith(_attribution._GENERIC_TUPLE) else folded
        m = pattern.search(cut)  # the regex the suffix lookup replaced
        plain = _attribution._HEAD_FAMILIES[m[0]] if m else (
            _attribution._RATIO_FAMILIES if cut.endswith(reportkit.lexicon.CHECK_RATIO_HEADS) else None)
        assert _attribution._measures(folded) == plain, folded


def test_a_whole_number_is_written_as_the_float_format_writes_it() -> None:
    def formatted(x: float) -> str:
        text = f"{x:.12f}".rstrip("0").rstrip(".")
        return text if abs(x) < 1e15 else f"{x:.12g}"

    rng = random.Random(24)
    xs = [0.0, -0.0, 1.0, -1.0, 0.5, 1e15, 1e15 - 1, 2.0**53, -7.0, 12, 3, 10**14]
    xs += [rng.choice((1, -1)) * rng.randint(0, 10 ** rng.randint(0, 16)) / rng.choice((1, 1, 10, 100, 1000)) for _ in range(50000)]
    for x in xs:
        assert _values.number_text(x) == formatted(x), x


def test_a_report_checked_again_judges_no_name_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name's scores and fits depend on the name and the source alone: they are kept on the index
    per name, so the same report checked again (a cached report, the LLM engine after its grounding)
    judges no figure and scores no name again, and gets the same checks."""
    doc = cleaning.with_boilerplate(Document.from_text(_report_text(1)))
    report = summarize_document(doc)
    first = validate(report, doc)
    judged = _count_judged(monkeypatch)
    scored: Counter[str] = Counter()
    real = _attribution.layered
    monkeypatch.setattr(_attribution, "layered", lambda *a: (scored.update(["calls"]), real(*a))[1])
    again = validate(report, doc)
    assert again == first
    assert judged["calls"] == 0 and scored["calls"] == 0, (judged, scored)


def test_a_name_repeated_in_a_report_is_judged_as_when_asked_alone() -> None:
    """Two metrics of one name share its Namer: each gets the check it gets alone (on an index of its own)."""
    doc = cleaning.with_boilerplate(Document.from_text(_report_text(1)))
    metrics = summarize_document(doc).metrics
    names = Counter(m.name for m in metrics)
    repeated = [m for m in metrics if names[m.name] > 1][:12]
    assert len(repeated) >= 4
    together = validate({"metrics": [m.model_dump() for m in repeated]}, index_mod._build(doc)).metrics
    for m, checked in zip(repeated, together):
        alone = validate({"metrics": [m.model_dump()]}, index_mod._build(doc)).metrics[0]
        assert checked.check == alone.check, m.name


def test_the_clause_punctuation_is_found_once_per_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's clause cuts and the check's clause lookup (kind flags) read one list of the view's
    clause punctuation; an unpickled index, whose memo is empty, finds it again, the same."""
    from reportkit.check import _labels

    scans: Counter[str] = Counter()
    real = index_mod.clause_breaks
    monkeypatch.setattr(index_mod, "clause_breaks", lambda view: (scans.update(["breaks"]), real(view))[1])
    monkeypatch.setattr(_labels, "clause_breaks", index_mod.clause_breaks)
    doc = cleaning.with_boilerplate(Document.from_text(_report_text(1)))
    report = summarize_document(doc)
    checked = validate(report, doc)
    assert any(m.check.kind_ok is not None for m in checked.metrics)
    assert scans["breaks"] == 1
    idx = index_mod.build_index(doc)
    again = pickle.loads(pickle.dumps(idx))
    assert validate(report, again) == checked
    assert scans["breaks"] == 2
    assert again.memo[index_mod.CLAUSE_BREAKS_MEMO] == idx.memo[index_mod.CLAUSE_BREAKS_MEMO] == [
        m.start() for m in reportkit.lexicon.CLAUSE_BREAK_RE.finditer(idx.view)]
