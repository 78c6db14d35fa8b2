"""Hard-wrapped text (copied from a PDF or a narrow page, saved as .txt) is read through its line breaks.

Every document here is invented. A flat report (one paragraph per line) is wrapped at several
widths, in full-width and half-width punctuation, with page furniture between pages; the rules
engine must find the same metrics in it as in the flat text, with every span exact in the wrapped
text, and the figure check must verify them and still catch a neighbour's figure.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from reportkit import wrapping
from reportkit.check import validate
from reportkit.document import Document
from reportkit.index import build_index
from reportkit.llm.chunking import sentences
from reportkit.rules import summarize_document

ROOT = Path(__file__).resolve().parent.parent

FLAT = [
    "青石街道2025年工作总结",
    "一、2025年工作回顾",
    "（一）经济发展提质增效。全年完成地区生产总值52.7亿元，同比增长6.4%；规模以上工业总产值38.9亿元，同比增长8.1%，"
    "其中高新技术产业产值14.6亿元。完成固定资产投资23.5亿元，同比增长10.2%。",
    "（二）项目招引持续发力。全年签约项目27个，协议总投资41.3亿元，其中亿元以上项目8个；新增市场主体1540户，"
    "同比增长11.7%。辖区商贸中心全年交易额4.2亿元，同比增长13%，带动就业860人。",
    "（三）民生事业全面进步。新增城镇就业1.74万人，城镇登记失业率控制在3.1%以内；发放低保和临时救助资金1260万元，"
    "惠及困难群众3800人次。全年受理群众来电来信318件次，办结率达到99.2%，群众满意率96.5%。",
    "（四）城市管理精细有序。完成老旧小区改造12个，惠及居民2900户；新建口袋公园6个，新增绿地面积3.6万平方米；"
    "整治背街小巷21条，清理卫生死角450处。",
    "（五）财政金融稳健运行。2025年一般公共预算收入3.86亿元，同比增长5.2%；税收收入3.12亿元，同比增长4.7%；"
    "辖区金融机构各项存款余额128.45亿元，同比增长6.35%；各项贷款余额96.72亿元，同比增长9.18%。",
    "二、存在的问题",
    "一是经济结构有待优化，服务业增加值占比为41.5%，低于全区平均水平；二是公共服务供给不足，养老托育设施缺口较大；"
    "三是基层治理力量薄弱，网格员队伍流动性较高。",
    "三、2026年工作计划",
    "2026年，街道将坚持稳中求进，力争地区生产总值增长6%左右，完成固定资产投资25亿元，新增城镇就业1.8万人以上；"
    "计划改造老旧小区15个，新建社区养老服务站4个，新增停车泊位600个。",
]
HALF = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "（": "(", "）": ")"})
HEADER = "青石街道办事处"


def wrap(paras: list[str], width: float, every: int = 0, *, by_chars: bool = False, margin: str = "", indent: str = "",
         eol: str = "\n", page: str = "— {n} —") -> str:
    """Break every paragraph where its line reaches ``width`` ideographs (or characters); page furniture
    every ``every`` lines; every line after a ``margin``, a paragraph's first after an ``indent``."""
    lines: list[str] = []
    for p in paras:
        line, first = "", True
        for ch in p:
            line += ch
            if (len(line) if by_chars else wrapping._width(line)) >= width:
                lines.append(margin + (indent if first and not p.startswith(("一、", "二、", "三、", "（")) else "") + line)
                line, first = "", False
        if line:
            lines.append(margin + (indent if first else "") + line)
    if every:
        paged: list[str] = []
        for i, line in enumerate(lines, 1):
            paged.append(line)
            if i % every == 0:
                paged += ["", page.format(n=i // every), "", HEADER]
        lines = paged
    return eol.join(lines) + eol


def _key(m) -> tuple:
    return (m.name, m.value, m.unit, m.kind, m.period, m.qualifier)


def _flat(half: bool) -> list[str]:
    return [p.translate(HALF) for p in FLAT] if half else FLAT


@pytest.mark.parametrize("half", [False, True], ids=["fullwidth", "halfwidth"])
@pytest.mark.parametrize("width,every", [(24, 0), (32, 14), (40, 9), (46, 11)])
def test_rules_engine_reads_a_wrapped_report_as_the_flat_one(width: float, every: int, half: bool) -> None:
    flat = summarize_document(Document.from_text("\n".join(_flat(half)) + "\n"))
    text = wrap(_flat(half), width, every)
    assert wrapping.layout(text) is not None
    wrapped = summarize_document(Document.from_text(text))
    assert sorted(map(_key, wrapped.metrics)) == sorted(map(_key, flat.metrics))
    assert len(flat.metrics) >= 30
    for entry in wrapped.metrics + wrapped.review + wrapped.problems + wrapped.plans:
        assert entry.span is not None and text[entry.span[0] : entry.span[1]] == entry.quote
    assert any("\n" in m.quote for m in wrapped.metrics)  # a quote holds the source's line break
    assert [i.title for i in wrapped.review] == [i.title for i in flat.review]


@pytest.mark.parametrize("variant", [
    {"by_chars": True},  # an editor's or a narrow page's wrap counts characters, digits and all
    {"margin": "    ", "indent": "\u3000\u3000"},  # every line after a margin, each paragraph indented past it
    {"indent": "\u3000\u3000", "page": "第{n}页 共9页"},
    {"eol": "\r\n", "page": "- {n} -"},  # Windows line ends
], ids=["by_chars", "margin", "indent", "crlf"])
def test_layout_variants_read_as_the_flat_report(variant: dict) -> None:
    flat = summarize_document(Document.from_text("\n".join(FLAT) + "\n"))
    text = wrap(FLAT, 34, 8, **variant)
    assert wrapping.layout(text) is not None
    wrapped = summarize_document(Document.from_text(text))
    assert sorted(map(_key, wrapped.metrics)) == sorted(map(_key, flat.metrics))
    for m in wrapped.metrics:
        assert text[m.span[0] : m.span[1]] == m.quote
    view = build_index(Document.from_text(text)).view
    for p in FLAT[2:]:
        assert p in view  # every paragraph whole again, across its page furniture too


# The lines of a page as a PDF breaks them: inside a figure's clause (2.4 / 亿元), inside a rate word
# (同比增 / 长), inside a unit (人 / 次), after a comma, across a page's furniture; a short heading
# without a marker and a paragraph's short last line are lines of their own.
MANUAL = [
    "柳岸镇2025年工作总结",
    "一、主要成效",
    "（一）产业发展。全年完成农业总产值9.6亿元，同比增长4.3%，其中特色种",
    "植产值3.1亿元；培育区域公用品牌2个，农产品网络零售额2.4",
    "亿元，同比增长17.5%，带动农户增收人均1.2万元，其中脱贫户增收",
    "0.9万元。全镇新增家庭农场46家，新增农民专业合作社19家，新建",
    "高标准农田2.8万亩。",
    "（二）社会事业。全年新增城镇就业0.62万人，完成职业技能培训1350人",
    "次；全面推行接诉即办，全年受理群众诉求486件次，按时办结率98.7%，",
    "回访满意率达到96.2%，较上年提高1.5个百分点。镇卫生院改扩建完成投",
    "资2100万元，新增床位60张，家庭医生签约服务覆盖人口2.3万人，同比增",
    "长8.9%。",
    "重点项目推进情况",
    "（三）基础设施。新建和改造农村公路31.5公里，完成投资8600万元，同比",
    "",
    "- 2 -",
    "",
    HEADER,
    "增长12.4%；新增供水管网14公里，农村自来水普及率达到99.3%，较上年",
    "提高0.8个百分点。",
    "二、下一步打算",
    "一是力争农业总产值增长5%以上，新建高标准农田3万亩，新增家庭农场50",
    "家；",
    "二是实施农村公路提档升级项目8个，新增供水管网10公里以上。",
]


def _manual(half: bool) -> str:
    text = "\n".join(MANUAL) + "\n"
    return text.translate(HALF) if half else text


@pytest.mark.parametrize("half", [False, True], ids=["fullwidth", "halfwidth"])
def test_a_wrap_inside_a_figure_a_rate_word_and_a_unit(half: bool) -> None:
    text = _manual(half)
    report = summarize_document(Document.from_text(text))
    found = {(m.value, m.unit): m for m in report.metrics}
    assert found[(2.4, "亿元")].name == "农产品网络零售额" and found[(2.4, "亿元")].kind == "actual"
    rate = found[(17.5, "%")]
    assert rate.kind == "growth_rate" and "网络零售额" in rate.name
    assert found[(1350, "人次")].name.endswith("职业技能培训") and next(m for m in report.metrics if m.value == 486).name.endswith("群众诉求")
    assert found[(8.9, "%")].kind == "growth_rate" and found[(2100, "万元")].kind == "actual"
    assert "农村公路" in found[(12.4, "%")].name and found[(12.4, "%")].kind == "growth_rate"  # its name is on the page before
    assert found[(0.8, "个百分点")].kind == "growth_rate" and "普及率" in found[(0.8, "个百分点")].name
    assert found[(50, "家")].kind == "target" and found[(50, "家")].name.endswith("家庭农场")
    for m in report.metrics:
        assert text[m.span[0] : m.span[1]] == m.quote
    # the check reads the wrapped text as it reads the same text one paragraph per line
    checked = validate(report, Document.from_text(text))
    flat = Document.from_text(build_index(Document.from_text(text)).view)
    as_flat = validate(summarize_document(flat), flat)
    assert [(m.value, m.check.status) for m in checked.metrics] == [(m.value, m.check.status) for m in as_flat.metrics]
    assert sum(m.check.status == "verified" for m in checked.metrics) >= len(checked.metrics) - 2


@pytest.mark.parametrize("half", [False, True], ids=["fullwidth", "halfwidth"])
def test_headings_items_furniture_and_a_paragraphs_short_last_line(half: bool) -> None:
    text = _manual(half)
    view = build_index(Document.from_text(text)).view
    open_, close = ("(", ")") if half else ("（", "）")
    assert f"\n{open_}二{close}社会事业" in view and f"\n{open_}三{close}基础设施" in view  # a heading opens its line
    assert "\n一是力争" in view and "\n二是实施" in view  # so does an item
    assert "\n二、下一步打算\n" in view
    assert "\n重点项目推进情况\n" in view  # a short line is no wrap
    stop = "." if half else "。"
    assert f"同比增长8.9%{stop}\n" in view  # a paragraph's short last line ends it
    # between the halves of a sentence the page's number and header are read through
    assert "- 2 -" not in view and HEADER not in view and "同比增长12.4%" in view
    assert "农产品网络零售额2.4亿元" in view and "同比增长17.5%" in view and "技能培训1350人次" in view
    assert "新增家庭农场50家" in view


def test_furniture_between_the_halves_of_a_sentence_is_read_through() -> None:
    text = wrap(FLAT, 30, 5)
    view = build_index(Document.from_text(text)).view
    for p in FLAT[2:]:
        assert p in view  # every paragraph whole again, its page furniture dropped
    assert view.count("— ") < text.count("— ")  # furniture between two sentences stays where it is


@pytest.mark.parametrize("width", [28, 40])
def test_validate_verifies_a_wrapped_report_and_catches_a_neighbours_figure(width: int) -> None:
    doc = Document.from_text(wrap(FLAT, width, 10))
    report = validate(summarize_document(doc), doc)
    assert all(m.check.status == "verified" for m in report.metrics), [
        (m.name, m.value, m.check.status) for m in report.metrics if m.check.status != "verified"]
    # 新增市场主体's figure given to the 签约项目 count of the line before: a neighbour's figure
    metrics = summarize_document(doc).metrics
    signed = next(m for m in metrics if m.name.endswith("签约项目") and m.value == 27)
    entities = next(m for m in metrics if m.value == 1540)
    planted = signed.model_copy(update={"value": entities.value, "value_text": entities.value_text, "unit": entities.unit,
                                        "quote": entities.quote, "span": entities.span})
    others = [m for m in metrics if m is not signed]
    checked = validate(summarize_document(doc).model_copy(update={"metrics": others + [planted]}), doc)
    assert checked.metrics[-1].check.status != "verified"
    signed_again = validate(summarize_document(doc), doc)
    assert next(m for m in signed_again.metrics if m.value == 27).check.status == "verified"


def test_chunking_never_ends_a_sentence_at_a_wrap() -> None:
    text = wrap(FLAT, 32)
    spans = sentences(text)
    for s, e in spans:
        piece = text[s:e].strip()
        assert not piece or piece[-1] in "。！？；!?;" or text[e - 1] == "\n" and (e >= len(text) or e - 1 not in wrapping.through_breaks(text))
    # the flat text's sentences, each whole
    joined = {text[s:e].replace("\n", "") for s, e in spans}
    assert "全年签约项目27个，协议总投资41.3亿元，其中亿元以上项目8个；" in joined


# ------------------------------------------------------------------------- never on paragraph text

_CLAUSES = st.sampled_from([
    "全年完成地区生产总值46.2亿元", "同比增长5.8%", "新建农村公路12公里", "惠及群众3200人次", "其中工业投资9.1亿元",
    "持续推进基层治理现代化", "扎实开展人居环境整治", "较上年提高1.2个百分点", "完成年度目标任务", "累计发放补贴860万元",
    "新增就业岗位1500个", "创建示范村5个", "群众满意度明显提升", "圆满完成各项工作任务",
])
_PARAGRAPH = st.lists(st.tuples(st.lists(_CLAUSES, min_size=1, max_size=4), st.sampled_from("。；")), min_size=1, max_size=6).map(
    lambda sents: "".join("，".join(c) + stop for c, stop in sents[:-1]) + "，".join(sents[-1][0]) + "。")
_HEADING = st.tuples(st.sampled_from(["一、", "二、", "（一）", "（二）", "1.", "一是"]), _CLAUSES).map("".join)
_LINE = st.one_of(_PARAGRAPH, _PARAGRAPH, _PARAGRAPH, _HEADING)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=40), st.booleans(), st.booleans())
def test_the_detector_never_fires_on_one_paragraph_per_line(lines: list[str], half: bool, indent: bool) -> None:
    text = "\n".join(("\u3000\u3000" if indent and not line.startswith(("一、", "二、")) else "") + line for line in lines) + "\n"
    text = text.translate(HALF) if half else text
    assert wrapping.layout(text) is None
    assert not wrapping.through_breaks(text)
    index = build_index(Document.from_text(text))
    assert index.view.count("\n") == text.count("\n")


def test_the_detector_never_fires_on_the_projects_reports() -> None:
    from reportkit import load

    paths = [*glob.glob(str(ROOT / "seeds" / "*.txt")), *glob.glob(str(ROOT / "corpus" / "c*.txt")),
             *glob.glob(str(ROOT / "corpus" / "c*.html")), *glob.glob(str(ROOT / "corpus" / "c*.docx")),
             *glob.glob(str(ROOT / "corpus" / "pairs" / "p*.txt")),
             *glob.glob(str(ROOT / "tests" / "data" / "independent" / "i*.txt")),
             *glob.glob(str(ROOT / "tests" / "data" / "fresh" / "f*.txt"))]
    assert len(paths) >= 30
    fired = [p for p in paths if wrapping.layout(load(p).text) is not None]
    assert fired == []


def test_a_narrow_web_page_saved_as_html_is_read_through(tmp_path: Path) -> None:
    from reportkit import load

    lines = wrap(FLAT, 30, 9).strip().split("\n")
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>青石街道2025年工作总结</title></head><body><div class='content'><p>"
                    + "<br>\n".join(lines) + "</p></div></body></html>", encoding="utf-8")
    doc = load(page)
    assert doc.format == "html" and wrapping.layout(doc.text) is not None
    flat = summarize_document(Document.from_text("\n".join(FLAT) + "\n"))
    report = validate(summarize_document(doc), doc)
    assert sorted(map(_key, report.metrics)) == sorted(map(_key, flat.metrics))
    assert all(m.check.status == "verified" for m in report.metrics)


@pytest.mark.parametrize("half", [False, True], ids=["fullwidth", "halfwidth"])
def test_a_page_break_between_two_sentences_or_table_rows_drops_the_furniture_only(half: bool) -> None:
    rows = ["指标\t单位\t完成值\t增长（%）", "地区生产总值\t亿元\t52.7\t6.4", "一般公共预算收入\t亿元\t3.86\t5.2",
            "税收收入\t亿元\t3.12\t4.7", "固定资产投资\t亿元\t23.5\t10.2"]
    lines = wrap(FLAT[:6], 30).strip().split("\n")
    text = "\n".join(lines[:8] + ["", "— 1 —", "", HEADER] + lines[8:] + ["主要经济指标完成情况"] + rows[:3]
                     + ["", "— 2 —", "", HEADER] + rows[3:]) + "\n"
    text = text.translate(HALF) if half else text
    view = build_index(Document.from_text(text)).view
    assert "— 2 —" not in view and "— 1 —" not in view and HEADER not in view
    assert "\t3.86\t5.2\n税收收入\t" in view.translate(HALF)  # the rows stay rows, the page between them gone
    report = validate(summarize_document(Document.from_text(text)), Document.from_text(text))
    tax = next(m for m in report.metrics if m.value == 4.7)
    assert tax.unit == "%" and tax.check.status == "verified"  # its column's unit, across the page


def _wrap_whole(text: str, width: float, every: int = 10) -> str:
    """``text`` as a PDF page prints it: each line broken at ``width``, a page number and header every ``every`` lines;
    table rows are left whole (a PDF lays a table out as a table)."""
    out: list[str] = []
    count = 0

    def newline() -> None:
        nonlocal count
        out.append("\n")
        count += 1
        if count % every == 0:
            out.append(f"\n— {count // every} —\n\n{HEADER}\n")

    for line in text.split("\n"):
        table = wrapping._TABLE_ROW.search(line.strip()) is not None
        w = 0.0
        for k, ch in enumerate(line):
            out.append(ch)
            w += wrapping._width(ch)
            if w >= width and k + 1 < len(line) and not table:
                newline()
                w = 0.0
        newline()
    return "".join(out)


@pytest.mark.parametrize("path,width", [(p, w) for w in (36,) for p in sorted(glob.glob(str(ROOT / "tests" / "data" / "fresh" / "f*.txt")))]
                         + [(str(ROOT / "tests" / "data" / "independent" / "i01_yunbu_jiedao.txt"), w) for w in (28, 44)],
                         ids=lambda v: Path(v).stem if isinstance(v, str) else str(v))
def test_a_development_report_wrapped_reads_as_its_flat_text(path: str, width: float) -> None:
    text = Path(path).read_text(encoding="utf-8")
    wrapped = _wrap_whole(text, width)
    assert wrapping.layout(wrapped) is not None
    flat_doc, wrapped_doc = Document.from_text(text), Document.from_text(wrapped)
    flat = validate(summarize_document(flat_doc), flat_doc)
    read = validate(summarize_document(wrapped_doc), wrapped_doc)
    assert sorted(map(_key, read.metrics)) == sorted(map(_key, flat.metrics))
    assert sorted((m.value, m.unit, m.check.status) for m in read.metrics) == sorted((m.value, m.unit, m.check.status) for m in flat.metrics)


@pytest.mark.parametrize("colon", [":", "："])
def test_a_block_of_field_lines_is_not_a_wrapped_paragraph(colon: str) -> None:
    """地区生产总值：38.6亿元 / 一般公共预算收入：…: lines of one width with no stop at their ends, yet
    each is a field of its own; the next line's label says so."""
    rows = [
        "地区生产总值{c}38.6亿元，同比增长6.2%", "一般公共预算收入{c}1.23亿元，同比增长5.6%",
        "其中税收收入{c}1.01亿元，同比增长7.1%", "规模以上工业总产值{c}72.4亿元，同比增长9.8%",
        "固定资产投资{c}14.2亿元，同比下降4.3%", "社会消费品零售总额{c}9.85亿元，同比增长5.1%",
        "外贸进出口总额{c}3.42亿元，同比增长8.0%", "农村居民人均可支配收入{c}28460元，同比增长7.2%",
    ]
    text = "主要经济指标完成情况\n" + "\n".join(r.format(c=colon) for r in rows) + "\n"
    assert wrapping.hard_wraps(text) == ()
