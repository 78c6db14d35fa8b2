"""The source index: one scan per document, clause structure, owners, the joined view, lookups (reportkit.index)."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

import reportkit
from reportkit.check import check_metric, validate
from reportkit.document import Document
from reportkit.index import build_index
from reportkit.schema import Metric

from conftest import ROOT


def about(text: str, figure: str) -> str:
    ix = build_index(text)
    (i,) = [i for i in range(len(ix.figures)) if ix.figure_text(i) == figure]
    return ix.figures[i].about


def test_a_change_clause_belongs_to_the_amount_before_it() -> None:
    text = "全年实现地区生产总值86.4亿元,同比增长5.8%,一般公共预算收入6.57亿元。"
    ix = build_index(text)
    gdp, rate = (next(i for i in range(len(ix.figures)) if ix.figure_text(i) == t) for t in ("86.4亿元", "5.8%"))
    assert ix.figures[rate].owner == gdp
    assert about(text, "5.8%") == about(text, "86.4亿元") == "地区生产总值"


def test_a_list_gives_each_figure_its_own_words() -> None:
    text = "组建小区业委会70个、楼事会250个,新增高技能人才1120人、新建人才公寓320套。"
    assert about(text, "70个") == "组建小区业委会"
    assert about(text, "250个") == "楼事会"
    assert about(text, "320套") == "新建人才公寓"


@pytest.mark.parametrize(
    ("text", "figure", "words"),
    [
        ("城镇和农村常住居民人均可支配收入分别增长4.9%和6.6%。", "4.9%", "城镇常住居民人均可支配收入"),
        ("城镇和农村常住居民人均可支配收入分别增长4.9%和6.6%。", "6.6%", "农村常住居民人均可支配收入"),
        ("外贸进出口总额19.3亿元,其中出口12.6亿元,分别增长9.4%和11.2%。", "11.2%", "出口"),
        ("规上工业产值58.3亿元、规上工业增加值分别增长9.2%和8.6%。", "9.2%", "规模以上工业产值"),
    ],
)
def test_respectively_pairs_in_order(text: str, figure: str, words: str) -> None:
    assert about(text, figure) == words


def test_a_share_is_about_its_subject_not_its_base() -> None:
    assert "常住人口" not in about("其中老年人1972人,占常住人口的23.3%。", "23.3%")


def test_a_pdf_line_break_inside_a_figure_is_joined() -> None:
    text = "全年完成老旧小区改造面积3.03万平\n方米,惠及居民1200户。"
    ix = build_index(Document(text=text, format="pdf"))
    (i,) = [i for i in range(len(ix.figures)) if ix.figures[i].quantity.value == 3.03]
    assert ix.figures[i].quantity.unit == "万平方米"
    assert text[slice(*ix.figures[i].span)] == "3.03万平\n方米"  # offsets index the decoded text
    c = check_metric(Metric(name="老旧小区改造面积", value=3.03, unit="万平方米", quote="改造面积3.03万平方米"), ix)
    assert c.status == "verified" and c.quote_found and c.span == ix.figures[i].span
    wrong = check_metric(Metric(name="老旧小区改造面积", value=3.03, unit="万亩", quote="改造面积3.03万平方米"), ix)
    assert wrong.status == "unit_mismatch"


def test_a_line_break_between_number_and_unit_is_joined_in_any_format() -> None:
    text = "新建停车位1280\n个,新增充电桩46个。"
    ix = build_index(text)
    assert any(f.quantity.value == 1280 and f.quantity.unit == "个" for f in ix.figures)


def test_a_pdf_sentence_wrapped_across_lines_is_one_sentence() -> None:
    text = "固定资产投资同比下降2.6%，其中工业投资9.3亿元、增长\n12.1%。社会消费品零售总额15.4亿元。"
    ix = build_index(Document(text=text, format="pdf"))
    c = check_metric(Metric(name="工业投资", value=12.1, unit="%", quote="增长\n12.1%"), ix)
    assert c.status == "verified", c.detail


def test_a_table_row_label_gives_a_bare_number_its_unit() -> None:
    text = "指标名称 | 完成值 | 同比增长\n地区生产总值（亿元） | 68.4 | 5.9%\n"
    c = check_metric(Metric(name="地区生产总值", value=68.4, unit="亿元", quote="68.4"), text)
    assert c.status == "verified", c.detail


def test_quotes_are_found_whitespace_insensitively_and_by_their_figures() -> None:
    text = "全年实现地区生产总值\n86.4 亿元，同比增长5.8%。" * 3
    ix = build_index(text)
    spans = ix.find_quote("地区生产总值86.4亿元")
    assert len(spans) == 3 and all(text[s:e].startswith("地区生产总值") for s, e in spans)
    assert ix.find_quote("地区生产总值86.5亿元") == []
    assert ix.find_quote("全年实现地区生产总值") != []  # no figure in the quote: the whole text is searched


def test_candidates_are_the_figures_a_name_describes() -> None:
    text = "一般公共预算收入6.57亿元,地区生产总值134.2亿元。新建人才公寓320套。"
    ix = build_index(text)
    best = ix.candidates("地区生产总值增速", k=1)
    assert [ix.figure_text(i) for i in best] == ["134.2亿元"]
    assert ix.candidates("完全无关的名字") == []


def test_the_index_is_plain_data() -> None:
    ix = build_index(reportkit.load(ROOT / "corpus" / "c10_tanshan.pdf"))
    again = pickle.loads(pickle.dumps(ix))
    assert again == ix and again.figures[0].span == ix.figures[0].span


def test_a_pdf_report_validates_like_its_text() -> None:
    import json

    gold = json.loads((ROOT / "corpus" / "c10_tanshan.json").read_text(encoding="utf-8"))
    checked = validate({"metrics": gold["metrics"]}, reportkit.load(ROOT / "corpus" / "c10_tanshan.pdf"))
    assert checked.validation.counts["verified"] + checked.validation.counts["derived"] >= len(gold["metrics"]) - 1


# --- layout ------------------------------------------------------------------------------------------


def _module_imports(path: Path, package: str) -> set[str]:
    """The reportkit modules a module imports at import time (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module:
                out.add(target)
            out.update(f"{target}.{a.name}" for a in node.names)  # a submodule, when the name is one
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("reportkit"))
    return out


def _graph() -> dict[str, set[str]]:
    pkg = ROOT / "reportkit"
    modules = {}
    for path in pkg.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts)
        is_pkg = path.name == "__init__.py"
        name = name.removesuffix(".__init__")
        modules[name] = (path, name if is_pkg else name.rsplit(".", 1)[0])
    return {m: {t for t in _module_imports(p, pk) if t in modules and t != m} for m, (p, pk) in modules.items()}


def test_the_check_and_the_index_import_no_cycle_and_no_engine() -> None:
    graph = _graph()
    mine = [m for m in graph if m.startswith("reportkit.check") or m == "reportkit.index"]
    for start in mine:
        seen, stack = set(), [start]
        while stack:
            m = stack.pop()
            for t in graph.get(m, ()):
                if t == start:
                    pytest.fail(f"import cycle: {start} … {m} → {start}")
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        assert not any(t.startswith(("reportkit.llm", "reportkit.api", "reportkit.rules")) for t in seen), (start, seen)
