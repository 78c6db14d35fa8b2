"""Tests of reportkit.llm.prompts and answers: templates, the one response model, and the grounding validators instructor re-asks with."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jinja2
import pytest
from pydantic import ValidationError

from reportkit.llm import prompts
from reportkit.llm.chunking import Chunk, make_pack
from reportkit.llm.prompts import (
    ChunkExtraction,
    ItemOut,
    MetaOut,
    MetricOut,
    ReportExtraction,
    ReportOverview,
    load_prompts,
    pack_context,
    response_model_for,
    salvage,
)
from reportkit.resources import resource_dir

ROOT = Path(__file__).resolve().parents[1]

CHUNK = "2023年,街道实现地区生产总值(GDP)134.2亿元,同比增长5.2%。引导101家科技型小微企业“小升规”,总投资2亿多元。"
CTX = {"chunk": CHUNK}
ReviewExtraction = ProblemsExtraction = ChunkExtraction  # one response model for every section


def two_sections() -> tuple:
    """A pack of a review part and a problems part, as the engine builds one."""
    review = "全年完成财政收入2.64亿元，同比增长4.3%。新建城市书房1个。"
    problems = "一是产业结构单一。二是公共服务供给有短板。"
    parts = (Chunk("00-a", 0, 0, len(review), review, "review", "一、经济运行"),
             Chunk("01-b", 1, len(review) + 1, len(review) + 1 + len(problems), problems, "problems", "二、存在问题"))
    return make_pack(0, parts), review, problems


def metric(**overrides: object) -> dict:
    return {"name": "地区生产总值", "value": 134.2, "unit": "亿元", "kind": "actual", "period": "2023",
            "quote": "街道实现地区生产总值(GDP)134.2亿元", **overrides}


def error_of(model: type, data: dict, context: dict | None = CTX) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context=context)
    return str(caught.value)


# --- templates -------------------------------------------------------------------------------------


def test_templates_are_loaded_from_the_prompts_folder() -> None:
    p = load_prompts()
    assert p.directory == resource_dir("prompts")
    assert {"system.j2", "chunk.j2", "overview.j2"} <= set(p.sources)


def test_templates_render_with_strict_undefined() -> None:
    p = load_prompts()
    with pytest.raises(jinja2.UndefinedError):
        p.render("chunk.j2", text="x")  # body and the rest are missing


def test_system_prompt_states_the_rules() -> None:
    system = load_prompts().render("system.j2")
    for rule in ("逐字", "ASCII 逗号 , 冒号 : 括号 ()", "弯引号 “ ”", "不换算单位", "不计算", "留空", "null"):
        assert rule in system, rule
    for kind in ("actual", "count", "growth_rate", "completion_rate", "share", "target", "other"):
        assert f"{kind} " in system or f"{kind}；" in system, kind
    for field in ("qualifier", "period", "review", "problems", "plans", "metrics", "## 部分｜标题"):
        assert field in system, field


def test_every_call_shares_the_system_message_and_ends_with_its_text() -> None:
    p = load_prompts()
    pack, review, problems = two_sections()
    [system, user] = p.chunk_messages(pack=pack)
    [system2, reask] = p.reask_messages(pack=pack, rejected=[])
    [system3, _] = p.chunk_messages(text=CHUNK, section="review", heading="2023年工作回顾")
    assert system == system2 == system3 and system["role"] == "system" and user["role"] == "user"
    # each part under a line marking its role and heading; the variable text comes last
    assert user["content"].endswith(f"## 回顾｜一、经济运行\n{review}\n## 问题｜二、存在问题\n{problems}\n【原文结束】")
    assert reask["content"].endswith("【原文结束】")


def test_the_whole_document_call_asks_for_overview_and_meta_with_the_page_top() -> None:
    pack, _, _ = two_sections()
    user = load_prompts().chunk_messages(pack=pack, fold=True, header="西庄镇2024年工作总结")[1]["content"]
    assert "overview" in user and "meta" in user and "【页面开头】\n西庄镇2024年工作总结" in user
    plain = load_prompts().chunk_messages(pack=pack)[1]["content"]
    assert "overview" not in plain and "页面开头" not in plain


def test_heading_is_left_out_when_there_is_none() -> None:
    text = load_prompts().chunk_messages(text=CHUNK, section="review", heading="")[1]["content"]
    assert "## 回顾\n" + CHUNK in text and "｜" not in text


def test_overview_prompt_gets_the_header_and_a_digest_not_the_text() -> None:
    messages = load_prompts().overview_messages(
        header="发布机构: | 台城街道办事处 | 生成日期: | 2024-05-21", title="工作总结",
        review=["工业发展"], problems=[], plans=["稳经济"], metrics=["地区生产总值：134.2亿元［actual，2023］"],
    )
    [user] = messages  # its own instructions: the extraction calls' system message would only be billed
    text = user["content"]
    assert "2024-05-21" in text and "工业发展" in text and "134.2亿元" in text and "问题：无" in text
    assert "2–4 句" in text


def test_prompt_version_is_a_short_stable_hash() -> None:
    p = load_prompts()
    assert re.fullmatch(r"[0-9a-f]{12}", p.version)
    assert prompts.prompt_version() == p.version


def test_prompt_version_changes_with_a_template(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    shutil.copytree(resource_dir("prompts"), folder)
    same = load_prompts(str(folder))
    assert same.version == load_prompts().version
    (folder / "system.j2").write_text(same.sources["system.j2"] + "\n5. 额外规则。", encoding="utf-8")
    load_prompts.cache_clear()
    changed = load_prompts(str(folder))
    assert changed.version != same.version
    assert changed.hashes("system.j2") != same.hashes("system.j2")
    assert changed.hashes("chunk.j2") == same.hashes("chunk.j2")


def test_missing_template_is_reported(tmp_path: Path) -> None:
    (tmp_path / "system.j2").write_text("x", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="chunk.j2"):
        load_prompts(str(tmp_path))


# --- the response models --------------------------------------------------------------------------


@pytest.mark.parametrize("section", ["problems", "review", "plans", "other", "unknown"])
def test_one_response_model_for_every_section(section: str) -> None:
    assert response_model_for(section) is ChunkExtraction
    assert set(ChunkExtraction.model_fields) == {"review", "problems", "plans", "metrics"}
    assert response_model_for(section, whole=True) is ReportExtraction
    assert set(ReportExtraction.model_fields) == {"review", "problems", "plans", "metrics", "overview", "meta"}


def test_the_schema_is_small_and_keeps_what_the_model_must_know() -> None:
    from reportkit.testing import estimate_tokens

    schema = ChunkExtraction.model_json_schema()
    text = json.dumps(schema, ensure_ascii=False, separators=(",", ":"))
    metric_props = schema["$defs"]["MetricOut"]["properties"]
    assert metric_props["kind"]["enum"] == ["actual", "growth_rate", "completion_rate", "target", "share", "count", "other"]
    assert metric_props["period"]["type"] == ["string", "null"]
    assert set(schema["$defs"]["MetricOut"]["required"]) == {"name", "value", "quote"}
    assert schema["title"] == "ChunkExtraction" and "value_text" not in metric_props  # filled from the quote
    assert '"title":"' not in text.replace('"title":"ChunkExtraction"', "")  # no generated titles
    assert estimate_tokens(text) < 260  # billed on every call (it was 731 with a model per section)


def test_value_text_is_still_accepted_when_a_model_sends_it() -> None:
    out = MetricOut.model_validate(metric(value_text="134.2"), context=CTX)
    assert out.value_text == "134.2"


# --- grounding: the role of the part a quote comes from ------------------------------------------


def test_an_item_quoted_from_a_section_that_cannot_hold_its_list_is_rejected() -> None:
    pack, review, problems = two_sections()
    ctx = pack_context(pack)
    answer = ChunkExtraction.model_validate({
        "review": [{"quote": "新建城市书房1个"}, {"quote": "产业结构单一"}],
        "problems": [{"quote": "公共服务供给有短板"}, {"quote": "全年完成财政收入2.64亿元"}],
        "metrics": [metric(name="财政收入", value=2.64, period="2024", quote="全年完成财政收入2.64亿元")],
    }, context=ctx)
    assert [i.quote for i in answer.review] == ["新建城市书房1个"]
    assert [i.quote for i in answer.problems] == ["公共服务供给有短板"]
    assert len(answer.metrics) == 1  # a figure may come from any section
    errors = {(r.field, r.index): r.error for r in answer.rejected}
    assert set(errors) == {("review", 1), ("problems", 1)}
    assert "位于【问题】部分，不能放进 review：请放进 problems" in errors[("review", 1)]
    assert "位于【回顾】部分，不能放进 problems" in errors[("problems", 1)]


def test_a_quote_across_two_parts_is_rejected_and_a_heading_may_be_quoted() -> None:
    pack, review, problems = two_sections()
    ctx = pack_context(pack)
    across = review[-6:] + "\n二、存在问题"  # in the joined text, in no single part
    assert "跨越了两段原文" in error_of(ItemOut, {"quote": across}, {**ctx, "list": "review"})
    assert ItemOut.model_validate({"quote": "二、存在问题"}, context={**ctx, "list": "problems"}).quote == "二、存在问题"


def test_an_unmarked_section_may_hold_every_list() -> None:
    ctx = {"chunk": CHUNK, "parts": (("other", CHUNK),)}
    for name in ("review", "problems", "plans"):
        assert ItemOut.model_validate({"quote": "总投资2亿多元"}, context={**ctx, "list": name}).quote


def test_the_whole_document_answer_keeps_a_bad_meta_from_costing_the_lists() -> None:
    ctx = {"chunk": CHUNK, "header": "古城街道2023年工作总结"}
    good = ReportExtraction.model_validate({"metrics": [metric()], "overview": "经济平稳。",
                                            "meta": {"doc_type": "work_summary"}}, context=ctx)
    assert good.overview == "经济平稳。" and good.meta.doc_type == "work_summary" and len(good.metrics) == 1
    bad = ReportExtraction.model_validate({"metrics": [metric()], "overview": "经济平稳。",
                                           "meta": {"doc_type": "speech"}}, context=ctx)
    assert (bad.overview, bad.meta, len(bad.metrics)) == ("", None, 1)  # the overview call asks both again
    none = ReportExtraction.model_validate({"metrics": [metric()]}, context=ctx)
    assert (none.overview, none.meta, none.rejected) == ("", None, [])


# --- grounding: quotes ---------------------------------------------------------------------------------


def test_quote_copied_from_the_chunk_passes() -> None:
    item = ItemOut.model_validate({"title": "小升规", "quote": "引导101家科技型小微企业“小升规”"}, context=CTX)
    assert item.quote == "引导101家科技型小微企业“小升规”"


@pytest.mark.parametrize("quote", ["地区生产总值（GDP）134.2亿元，同比增长5.2%", '企业"小升规"', "同比增长 5.2 %"])
def test_quote_with_width_or_spacing_differences_passes(quote: str) -> None:
    assert ItemOut.model_validate({"quote": quote}, context=CTX).quote == quote


def test_quote_not_in_the_chunk_says_what_to_fix() -> None:
    message = error_of(ItemOut, {"quote": "地区生产总值达到135亿元"})
    assert "quote '地区生产总值达到135亿元' 不在原文中" in message
    assert "逐字复制" in message


def test_empty_quote_is_rejected() -> None:
    assert "quote 为空" in error_of(ItemOut, {"quote": "  "})


def test_long_bad_quote_is_shortened_in_the_message() -> None:
    message = error_of(ItemOut, {"quote": "不存在" * 50})
    assert "…" in message and "不存在" * 50 not in message


def test_without_context_nothing_is_grounded() -> None:
    assert ItemOut.model_validate({"quote": "任何文字"}).quote == "任何文字"
    assert MetricOut.model_validate(metric(value=999)).value == 999


# --- grounding: figures --------------------------------------------------------------------------------


def test_metric_with_its_figure_in_the_quote_passes_and_gets_value_text() -> None:
    m = MetricOut.model_validate(metric(), context=CTX)
    assert m.value_text == "134.2"


def test_metric_value_not_in_quote_says_what_to_fix() -> None:
    message = error_of(MetricOut, metric(value=1342000000, unit="元"))
    assert "value 1.342e+09 不在 quote '街道实现地区生产总值(GDP)134.2亿元' 中" in message
    assert "不换算单位" in message


def test_a_sign_follows_the_quote() -> None:
    # a minus the quote does not write is dropped; one it writes (增长-1.5%) is kept, not re-asked
    dropped = MetricOut.model_validate(metric(name="同比下降", value=-5.2, unit="%", quote="同比增长5.2%"), context=CTX)
    assert dropped.value == 5.2
    ctx = {"chunk": "工业投资增长-1.5%，同比增长百分之十二。"}
    kept = MetricOut.model_validate(metric(name="工业投资", value=-1.5, unit="%", quote="工业投资增长-1.5%"), context=ctx)
    assert (kept.value, kept.value_text) == (-1.5, "-1.5")


def test_percent_for_a_percentage_in_chinese_numerals() -> None:
    ctx = {"chunk": "工业投资增长-1.5%，同比增长百分之十二。"}
    out = MetricOut.model_validate(metric(name="同比增长", value=12, unit="%", value_text="百分之十二",
                                          quote="同比增长百分之十二"), context=ctx)
    assert (out.value, out.unit, out.value_text) == (12, "%", "百分之十二")


def test_unit_not_in_quote_is_rejected() -> None:
    assert "unit '万元' 不在 quote" in error_of(MetricOut, metric(unit="万元"))


def test_a_table_cell_takes_its_unit_from_the_row_label_or_the_column_header() -> None:
    # the whole cell is the quote (the gold convention): its unit is written in the row's label
    rows = {"chunk": "指标\t2024年完成\t同比\n地区生产总值（亿元）\t76.3\t5.8%\n新增市场主体（户）\t1286\t—"}
    cell = metric(name="地区生产总值", value=76.3, unit="亿元", quote="76.3")
    assert MetricOut.model_validate(cell, context=rows).value_text == "76.3"
    assert MetricOut.model_validate({**cell, "value": 1286, "unit": "户", "quote": "1286"}, context=rows).unit == "户"
    header = {"chunk": "项目 | 金额（万元） | 同比\n道路改造 | 520 | 3.1%"}
    assert MetricOut.model_validate({**cell, "name": "道路改造", "value": 520, "unit": "万元", "quote": "520"},
                                    context=header).value == 520
    # another row's unit, or a number inside a sentence, is not the cell's
    assert "unit '户' 不在 quote" in error_of(MetricOut, {**cell, "unit": "户"}, rows)
    prose = {"chunk": "规模以上工业总产值152.4亿元，其中76.3来自新签项目。"}
    assert "unit '亿元' 不在 quote" in error_of(MetricOut, cell, prose)


def test_every_gold_metric_passes_the_check_against_its_document() -> None:
    """A correct answer is never re-asked: each gold metric of the seeds and the corpus, as the
    model would send it, is accepted against its document's text (table cells included)."""
    from reportkit import api

    fields = ("name", "value", "unit", "kind", "period", "qualifier", "quote")
    sources = [(ROOT / "seeds" / f"{g.stem}.txt", g) for g in sorted((ROOT / "seeds" / "gold").glob("*.json"))]
    for g in sorted((ROOT / "corpus").glob("c*.json")):
        found = sorted(p for p in (ROOT / "corpus").glob(f"{g.stem}.*") if p.suffix != ".json")
        sources.append((next((p for p in found if p.name.endswith(".source.txt")), found[0]), g))
    checked, rejected = 0, []
    for source, gold in sources:
        text = api.load(source).text
        for m in json.loads(gold.read_text(encoding="utf-8"))["metrics"]:
            checked += 1
            try:
                MetricOut.model_validate({k: m.get(k) for k in fields}, context={"chunk": text})
            except ValidationError as exc:
                rejected.append((source.name, m["quote"], exc.errors()[0]["msg"]))
    assert checked > 1500 and rejected == []


def test_unit_with_a_hedge_inside_passes() -> None:
    m = MetricOut.model_validate(metric(name="总投资", value=2, unit="亿元", qualifier="多", quote="总投资2亿多元"), context=CTX)
    assert m.value_text == "2"


def test_figure_written_in_full_width_digits_passes() -> None:
    ctx = {"chunk": "完成投资２３亿元。"}
    m = MetricOut.model_validate(metric(name="完成投资", value=23, quote="完成投资２３亿元"), context=ctx)
    assert m.value_text == "２３"


def test_chinese_numeral_figure_passes() -> None:
    ctx = {"chunk": "实现产值一百三十四点二亿元。"}
    m = MetricOut.model_validate(metric(name="产值", value=134.2, quote="实现产值一百三十四点二亿元"), context=ctx)
    assert m.value == 134.2


def test_numbers_as_strings_are_accepted_outside_strict_mode() -> None:
    m = ReviewExtraction.model_validate({"metrics": [metric(value="134.2")]}, context=CTX, strict=False)
    assert m.metrics[0].value == 134.2


def test_bad_kind_is_rejected() -> None:
    assert "kind" in error_of(MetricOut, metric(kind="money"))


# --- salvage -------------------------------------------------------------------------------------------


def test_salvage_keeps_the_valid_entries() -> None:
    data = {"metrics": [metric(), metric(value=99)], "review": [{"quote": "引导101家科技型小微企业“小升规”"}]}
    kept, dropped = salvage(ReviewExtraction, data, CTX)
    assert kept is not None
    assert [m.value for m in kept.metrics] == [134.2]
    assert len(kept.review) == 1
    assert len(dropped) == 1 and dropped[0].startswith("metrics[1]:")


def test_salvage_of_nothing_usable() -> None:
    kept, dropped = salvage(ProblemsExtraction, {"problems": [{"quote": "没有的话"}]}, CTX)
    assert kept is None and len(dropped) == 1
    assert salvage(ProblemsExtraction, ["not", "an", "object"], CTX)[0] is None


# --- overview ------------------------------------------------------------------------------------------


def test_published_and_title_come_from_the_header_or_stay_empty() -> None:
    ctx = {"header": "古城街道2023年工作总结\n  • 日期:2023-12-04 17:30"}
    ok = MetaOut.model_validate({"published": "2023-12-04 17:30", "title": "古城街道2023年工作总结"}, context=ctx)
    assert ok.published == "2023-12-04 17:30"
    # another format of the header's date is put as the header writes it, a title loses its 《》
    again = MetaOut.model_validate({"published": "2023年12月4日 17:30", "title": "《古城街道2023年工作总结》"}, context=ctx)
    assert (again.published, again.title) == ("2023-12-04 17:30", "古城街道2023年工作总结")
    # what the header does not show is dropped (null), not guessed, and costs no re-ask of the overview
    absent = MetaOut.model_validate({"published": "2022-01-01", "title": "另一份报告", "doc_type": "plan"}, context=ctx)
    assert (absent.published, absent.title, absent.doc_type) == (None, None, "plan")
    assert MetaOut.model_validate({"published": None}, context=ctx).published is None


def test_overview_must_be_short_and_not_empty() -> None:
    assert "overview 为空" in error_of(ReportOverview, {"overview": " "}, {"header": ""})
    assert "太长" in error_of(ReportOverview, {"overview": "很长。" * 300}, {"header": ""})
    assert ReportOverview.model_validate({"overview": "一句。两句。"}).meta.doc_type == "other"


def test_nulls_for_empty_values_are_accepted_without_a_reask() -> None:
    answer = ReviewExtraction.model_validate(
        {"review": None, "metrics": [metric(unit=None, value_text=None, qualifier=None)]}, context=CTX
    )
    # a missing unit is the one the quote writes after the figure: the source settles it
    assert answer.review == [] and answer.metrics[0].unit == "亿元" and answer.metrics[0].value_text == "134.2"
    item = ItemOut.model_validate({"title": None, "text": None, "quote": "同比增长5.2%"}, context=CTX)
    assert (item.title, item.text) == ("", "")


def test_a_name_without_one_character_of_its_quote_is_reasked() -> None:
    # a name shifted by one inside a list: the quote is about GDP, the name about revenue
    assert "没有一个相同的字" in error_of(MetricOut, metric(name="一般公共预算收入"))
    # a subject added in front, or an English name the quote writes, is fine
    assert MetricOut.model_validate(metric(name="街道地区生产总值"), context=CTX).name == "街道地区生产总值"
    assert MetricOut.model_validate(metric(name="GDP"), context=CTX).name == "GDP"
    # a table cell says too little to judge a name by
    cell = {"chunk": "地区生产总值 | 68.4 | 5.9%"}
    assert MetricOut.model_validate(metric(name="地区生产总值", value=68.4, unit="", quote="68.4"), context=cell).value == 68.4


def test_no_gold_name_of_the_seeds_or_the_corpus_is_taken_for_a_shifted_one() -> None:
    from reportkit.llm.answers import names_nothing_in

    files = sorted((ROOT / "seeds" / "gold").glob("*.json")) + sorted((ROOT / "corpus").glob("c*.json"))
    metrics = [m for f in files for m in json.loads(f.read_text(encoding="utf-8"))["metrics"]]
    assert len(metrics) > 1500
    assert [(m["name"], m["quote"]) for m in metrics if names_nothing_in(m["name"], m["quote"])] == []
