"""The LLM engine against the fake OpenAI server: gold round trips, re-asks, faults, modes, concurrency."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import openai
import pytest

from conftest import ROOT, SEEDS, gold_for
from reportkit import api
from reportkit.llm import client as llm
from reportkit.llm.chunking import chunk_document
from reportkit.document import Document
from reportkit.errors import ConfigError, ExtractionError
from reportkit.llm.engine import aextract_report, extract_report
from reportkit.segmenting import segment
from reportkit.settings import Settings
from reportkit.testing import FakeOpenAI, Fault, RecordedRequest, estimate_tokens

CHUNK = re.compile(r"【原文开始】\n(.*)\n【原文结束】", re.S)
ONE = "一、2023年工作回顾\n2023年,街道实现地区生产总值134.2亿元,同比增长5.2%。一般公共预算收入6.57亿元,新增市场主体1200户。\n"
from conftest import MINI  # noqa: E402  (the shared small report)
GDP = {"name": "地区生产总值", "value": 134.2, "unit": "亿元", "kind": "actual", "period": "2023", "quote": "街道实现地区生产总值134.2亿元"}
GOOD = {"review": [{"title": "经济运行", "text": "经济总量稳步增长", "quote": "2023年,街道实现地区生产总值134.2亿元"}], "metrics": [GDP]}
OVERVIEW = {"overview": "街道经济平稳增长。", "meta": {"report_year": 2023, "doc_type": "work_summary"}}
MINI_ANSWERS = {
    "review": GOOD,
    "problems": {"problems": [{"title": "增长乏力", "quote": "一是经济增长不够有力,规上企业产值增长乏力"},
                             {"title": "发展不均衡", "quote": "二是区域发展不够均衡,城乡公共服务仍有短板"}]},
    "plans": {"plans": [{"title": "稳增长", "quote": "力争地区生产总值增长6%"}],
              "metrics": [{"name": "地区生产总值比增", "value": 6, "unit": "%", "kind": "target", "period": "2024",
                           "quote": "力争地区生产总值增长6%"}]},
}
META_KEYS = ("organization", "region", "report_year", "published", "doc_type")


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm, "BACKOFF_BASE", 0.01)


def settings_for(srv: FakeOpenAI, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"model": "fake-model", "base_url": srv.base_url, "api_key": "test", "cache_dir": tmp_path / "cache"}
    return Settings(**{**values, **overrides})


def doc_of(text: str) -> Document:
    return api._as_document(Document.from_text(text, "mini.txt"))


def chunk_text(request: RecordedRequest) -> str | None:
    found = CHUNK.search(request.user_text)
    return found.group(1) if found else None


TAGS = {"回顾": "review", "问题": "problems", "计划": "plans", "未标明": "other"}
PAD = "深入开展调查研究，持续推进各项工作落地见效。"
# MINI with each section long enough to be a call of its own at chunk_chars=200
LONG_MINI = MINI.replace("1200户。\n", "1200户。" + PAD * 5 + "\n").replace("仍有短板。\n", "仍有短板。" + PAD * 6 + "\n") \
    .replace("口袋公园3个。\n", "口袋公园3个。" + PAD * 6 + "\n")
APART = {"chunk_chars": 200}


def sections_in(request: RecordedRequest) -> list[str]:
    """The sections of the parts a request carries, from their ``## 回顾｜…`` role lines."""
    return [TAGS[t] for t in re.findall(r"^## (回顾|问题|计划|未标明)", chunk_text(request) or "", re.M)]


def section_of(request: RecordedRequest) -> str:
    [section] = sections_in(request) or ["review"]
    return section


def mini_responder(faults: dict[str, list[Any]] | None = None, overview: bool = True):
    """Answers MINI's packs with the answers of the sections they hold (and the overview when the
    call reads the whole report); ``faults[section]`` replies are used first, in order."""
    pending = {k: list(v) for k, v in (faults or {}).items()}
    lock = threading.Lock()

    def respond(request: RecordedRequest) -> Any:
        if chunk_text(request) is None:
            return OVERVIEW
        sections = sections_in(request)
        with lock:
            for section in sections:
                queue = pending.get(section)
                if queue:
                    return queue.pop(0)
        answer: dict[str, list] = {}
        for section in sections:
            for field, entries in MINI_ANSWERS[section].items():
                answer.setdefault(field, []).extend(entries)
        props = request.body["tools"][0]["function"]["parameters"]["properties"] if request.body.get("tools") else {}
        return {**answer, **OVERVIEW} if overview and "overview" in props else answer

    return respond


def gold_responder(gold: dict):
    def respond(request: RecordedRequest) -> dict:
        chunk = chunk_text(request)
        if chunk is None:
            return {"overview": "街道经济社会发展取得新成效。", "meta": {k: gold.get(k) for k in META_KEYS}}
        items = lambda kind: [{"title": p["text"][:12], "text": p["text"], "quote": p["quote"]}  # noqa: E731
                              for p in gold[kind] if p["quote"] in chunk]
        return {
            "review": [{"title": r[:12], "text": r, "quote": r} for r in gold["review_points"] if r in chunk],
            "problems": items("problems"), "plans": items("plans"),
            "metrics": [m for m in gold["metrics"] if m["quote"] in chunk],
        }

    return respond


def as_gold(metrics: list) -> list[tuple]:
    return sorted((m.value, m.unit, m.kind, m.quote) for m in metrics)


# --- end to end with gold replies --------------------------------------------------------------------


def test_seed_summarised_end_to_end_equals_gold(tmp_path: Path) -> None:
    stem = "000_0905f6282178ee7a"
    gold = gold_for(stem)
    with FakeOpenAI(responder=gold_responder(gold)) as srv:
        report = api.summarize(SEEDS / f"{stem}.txt", engine="llm", settings=settings_for(srv, tmp_path))
    text = api.load(SEEDS / f"{stem}.txt").text
    assert as_gold(report.metrics) == sorted((m["value"], m["unit"], m["kind"], m["quote"]) for m in gold["metrics"])
    for entry in [*report.metrics, *report.review, *report.problems, *report.plans]:
        assert entry.span is not None and text[entry.span[0] : entry.span[1]] == entry.quote
    assert [p.quote for p in report.problems] == [p["quote"] for p in gold["problems"]]
    assert [p.quote for p in report.plans] == [p["quote"] for p in gold["plans"]]
    assert {k: getattr(report.meta, k) for k in META_KEYS} == {k: gold[k] for k in META_KEYS}
    assert report.meta.source_sha256 and report.meta.source.endswith(f"{stem}.txt")
    assert report.validation.counts["verified"] == len(gold["metrics"])
    assert report.run.engine == "llm" and report.run.model == "fake-model" and report.run.failures == []
    assert report.run.calls == len(srv.requests) and report.run.cache_hits == 0
    final = srv.requests[-1].user_text  # the overview call sees the page top and a digest, not the text
    assert "【页面开头】" in final and "2024-05-21 16:24:58" in final
    assert gold["problems"][0]["quote"] not in final and text[1000:1100] not in final


def test_every_seed_round_trips_its_gold(seed_stem: str, tmp_path: Path) -> None:
    gold = gold_for(seed_stem)
    doc = api.load(SEEDS / f"{seed_stem}.txt")
    with FakeOpenAI(responder=gold_responder(gold)) as srv:
        report = extract_report(doc, settings=settings_for(srv, tmp_path))
    assert as_gold(report.metrics) == sorted((m["value"], m["unit"], m["kind"], m["quote"]) for m in gold["metrics"])
    assert sorted(m.qualifier or "" for m in report.metrics) == sorted(m["qualifier"] or "" for m in gold["metrics"])
    assert all(doc.text[m.span[0] : m.span[1]] == m.quote for m in report.metrics if m.span)
    assert [m.span[0] for m in report.metrics] == sorted(m.span[0] for m in report.metrics)


def test_tokens_are_counted_from_usage(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder()) as srv:
        report = extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path))
    expected = sum(estimate_tokens(str(m.get("content") or "")) for r in srv.requests for m in r.messages)
    assert report.run.input_tokens == expected > 0
    assert report.run.output_tokens > 0


def test_a_short_report_is_one_call_that_also_writes_overview_and_meta(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder()) as srv:
        report = extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path))
    [request] = srv.requests
    assert sections_in(request) == ["review", "problems", "plans"]  # each part marked with its role
    tool = request.body["tools"][0]["function"]
    assert tool["name"] == "ReportExtraction"
    assert set(tool["parameters"]["properties"]) == {"review", "problems", "plans", "metrics", "overview", "meta"}
    assert "【页面开头】\n某某街道2023年工作总结及2024年工作计划" in request.user_text  # the title line is not in a part
    assert [m.kind for m in report.metrics] == ["actual", "target"]
    assert len(report.problems) == 2 and len(report.plans) == 1 and len(report.review) == 1
    assert report.overview == "街道经济平稳增长。" and report.meta.doc_type == "work_summary"
    assert report.run.calls == 1


def test_a_whole_report_answer_without_an_overview_gets_the_small_overview_call(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder(overview=False)) as srv:
        report = extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path))
    assert len(srv.requests) == 2 and report.run.calls == 2
    overview_request = srv.requests[-1]
    assert overview_request.body["tools"][0]["function"]["name"] == "ReportOverview"
    assert "【页面开头】" in overview_request.user_text and "地区生产总值：134.2亿元" in overview_request.user_text
    assert report.overview == "街道经济平稳增长。" and report.meta.doc_type == "work_summary"


def test_a_longer_report_makes_one_call_per_pack_and_one_overview_call(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder()) as srv:
        report = extract_report(doc_of(LONG_MINI), settings=settings_for(srv, tmp_path, **APART))
    packs = [r for r in srv.requests if chunk_text(r) is not None]
    assert sorted(section_of(r) for r in packs) == ["plans", "problems", "review"]
    tools = {json.dumps(r.body["tools"], sort_keys=True) for r in packs}
    systems = {r.system_text for r in packs}
    assert len(tools) == 1 and len(systems) == 1  # the same prefix on every call: prompt caches reuse it
    assert "ChunkExtraction" in tools.pop() and srv.requests[-1].body["tools"][0]["function"]["name"] == "ReportOverview"
    assert len(report.problems) == 2 and len(report.plans) == 1 and [m.kind for m in report.metrics] == ["actual", "target"]


def test_a_review_item_quoted_from_the_problems_section_is_reasked(tmp_path: Path) -> None:
    misplaced = {"review": [*GOOD["review"], {"title": "增长乏力", "quote": "一是经济增长不够有力,规上企业产值增长乏力"}],
                 "metrics": [GDP]}
    moved = {"problems": [misplaced["review"][1]]}
    with FakeOpenAI(responder=mini_responder({"review": [{**misplaced, **OVERVIEW}], "problems": [moved]})) as srv:
        report = extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path))
    reask = srv.requests[1]
    assert "【需要改正的条目】" in reask.user_text and "位于【问题】部分，不能放进 review：请放进 problems" in reask.user_text
    assert sections_in(reask) == ["problems"]  # a re-ask sends again only the part the failed entry quotes
    assert reask.body["tools"][0]["function"]["name"] == "ChunkExtraction"  # overview and meta are not asked twice
    assert [i.quote for i in report.review] == [GOOD["review"][0]["quote"]]
    assert [i.quote for i in report.problems] == ["一是经济增长不够有力,规上企业产值增长乏力"]
    assert report.overview == OVERVIEW["overview"] and report.run.failures == [] and report.run.calls == 2


def test_a_misplaced_item_the_model_does_not_move_is_dropped_and_listed(tmp_path: Path) -> None:
    misplaced = {"review": [{"title": "增长乏力", "quote": "一是经济增长不够有力,规上企业产值增长乏力"}], **OVERVIEW}
    with FakeOpenAI(responder=mini_responder({"review": [misplaced], "problems": [misplaced] * 2})) as srv:
        report = extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path))
    assert report.review == [] and len(srv.requests) == 3  # one answer, two re-asks
    [failure] = report.run.failures
    assert failure.error_type == "ValidationError" and "review[0]" in failure.message and "【问题】" in failure.message


def test_the_grounding_context_holds_only_inside_its_block() -> None:
    from reportkit.llm.answers import ChunkExtraction, grounding

    answer = json.dumps({"metrics": [{**GDP, "quote": "不在原文里的134.2亿元"}]}, ensure_ascii=False)
    with pytest.raises(RuntimeError), grounding({"chunk": ONE, "parts": (("review", ONE),)}):
        assert ChunkExtraction.model_validate_json(answer).rejected  # checked against the chunk
        raise RuntimeError("a call that failed")
    assert ChunkExtraction.model_validate_json(answer).rejected == []  # no chunk, nothing to check against


def test_jinja_syntax_in_the_source_reaches_the_model_verbatim(tmp_path: Path) -> None:
    text = ONE.replace("。一般", "。模板{{ x }}与{% if y %}原样。一般")
    with FakeOpenAI([GOOD, OVERVIEW]) as srv:
        extract_report(doc_of(text), settings=settings_for(srv, tmp_path))
    assert "模板{{ x }}与{% if y %}原样" in chunk_text(srv.requests[0])


def test_empty_document_makes_no_call(tmp_path: Path) -> None:
    with FakeOpenAI() as srv:
        report = extract_report(doc_of("标题\n"), settings=settings_for(srv, tmp_path))
    assert srv.requests == [] and report.metrics == [] and report.meta.source == "mini.txt"


def test_a_model_name_is_required(tmp_path: Path) -> None:
    with FakeOpenAI([GOOD]) as srv:
        with pytest.raises(ConfigError, match="REPORTKIT_MODEL"):
            extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, model=None))


# --- re-asks ---------------------------------------------------------------------------------------


def test_quote_not_in_chunk_is_reasked_alone_with_its_error(tmp_path: Path) -> None:
    bad = {"metrics": [{**GDP, "quote": "全年地区生产总值达到134.2亿元"}]}
    with FakeOpenAI([bad, GOOD, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    assert len(srv.requests) == 3
    reask = srv.requests[1]
    # a fresh request: the chunk and the failed entry with its error, not the whole conversation
    assert len(reask.messages) == 2 and "【需要改正的条目】" in reask.user_text
    assert "quote '全年地区生产总值达到134.2亿元' 不在原文中" in reask.user_text
    assert chunk_text(reask) == chunk_text(srv.requests[0])
    assert [m.quote for m in report.metrics] == ["街道实现地区生产总值134.2亿元"]
    assert report.run.retries == 1 and report.run.calls == 3 and report.run.failures == []


def test_a_reask_sends_the_sentences_of_the_failed_entry_not_the_whole_part(tmp_path: Path) -> None:
    filler = ["街道持续推进第{}批重点项目建设，各项工作落地见效。".format(n) for n in "一二三四五六七八"]
    text = ONE.replace("。一般", "。" + "".join(filler[:4]) + "一般").replace("1200户。", "1200户。" + "".join(filler[4:]))
    income = {"name": "一般公共预算收入", "value": 6.57, "unit": "亿元", "kind": "actual", "period": "2023",
              "quote": "一般公共预算收入6.57亿元"}
    bad = {**income, "value": 7}
    with FakeOpenAI([{**GOOD, "metrics": [GDP, bad]}, {"metrics": [income]}, OVERVIEW]) as srv:
        report = extract_report(doc_of(text), settings=settings_for(srv, tmp_path))
    first, reask = chunk_text(srv.requests[0]), chunk_text(srv.requests[1])
    assert "value 7 不在 quote" in srv.requests[1].user_text
    # the failed entry's sentence and one on each side, under the part's role line, and nothing else
    assert reask == "## 回顾\n" + filler[3] + "一般公共预算收入6.57亿元,新增市场主体1200户。" + filler[4]
    assert len(reask) < len(first) / 2
    assert sorted(m.value for m in report.metrics) == [6.57, 134.2] and report.run.failures == []


def test_a_reask_finds_the_sentence_of_a_quote_copied_with_other_punctuation(tmp_path: Path) -> None:
    from reportkit.llm.asking import focus_parts
    from reportkit.llm.answers import Rejected
    from reportkit.llm.prompts import as_pack

    sentences = [f"第{n}项工作稳步推进，完成投资{n}亿元。" for n in range(1, 9)]
    pack = as_pack("".join(sentences), "review")
    repunctuated = {"name": "投资", "value": 9, "quote": "第5项工作稳步推进,完成投资5亿元"}
    [part] = focus_parts(pack, [Rejected("metrics", 0, repunctuated, "value 9 不在 quote 中")]).parts
    assert part.text == "".join(sentences[3:6]) and part.section == "review"
    assert pack.parts[0].text[part.start : part.end] == part.text  # offsets still index the document


def test_a_reask_whose_entry_cannot_be_placed_sends_the_whole_pack(tmp_path: Path) -> None:
    bad = {"metrics": [{**GDP, "name": "无关", "value": 8, "quote": "完全不相干的说法"}]}
    with FakeOpenAI([bad, GOOD, OVERVIEW]) as srv:
        extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    assert chunk_text(srv.requests[1]) == chunk_text(srv.requests[0])


def test_a_value_rescaled_to_yuan_is_put_back_without_a_reask(tmp_path: Path) -> None:
    converted = {"metrics": [{**GDP, "value": 13420000000, "unit": "元"}]}
    with FakeOpenAI([converted, OVERVIEW]) as srv:
        report = api.summarize(doc_of(ONE), engine="llm", settings=settings_for(srv, tmp_path))
    [gdp] = report.metrics
    assert (gdp.value, gdp.unit, gdp.value_text) == (134.2, "亿元", "134.2")
    assert gdp.check.status == "verified" and "normalised" in gdp.check.detail and "13420000000 元" in gdp.check.detail
    assert len(srv.requests) == 2 and report.run.retries == 0


def test_figure_not_in_quote_is_reasked(tmp_path: Path) -> None:
    invented = {"metrics": [{**GDP, "value": 999.9}]}
    with FakeOpenAI([invented, GOOD, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    assert "value 999.9 不在 quote" in srv.requests[1].user_text
    assert [m.value for m in report.metrics] == [134.2]


def test_only_the_failed_entries_are_reasked_and_the_valid_ones_are_kept(tmp_path: Path) -> None:
    bad = {**GDP, "name": "收入", "value": 7, "quote": "一般公共预算收入6.57亿元"}
    fixed = {**bad, "value": 6.57}
    with FakeOpenAI([{"metrics": [GDP, bad]}, {"metrics": [fixed]}, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    after = srv.requests[1].user_text.split("【需要改正的条目】", 1)[1]
    listed, _ = json.JSONDecoder().raw_decode(after[after.index("[") :])
    assert [e["value"] for e in listed] == [7]  # the valid GDP entry is not sent back
    assert sorted(m.value for m in report.metrics) == [6.57, 134.2] and report.run.failures == []


def test_reasks_are_bounded_and_the_valid_part_is_kept(tmp_path: Path) -> None:
    mixed = {"metrics": [GDP, {**GDP, "name": "收入", "value": 7, "quote": "一般公共预算收入6.57亿元"}]}
    with FakeOpenAI([mixed, mixed, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, reasks=1))
    assert len(srv.requests) == 3  # one answer, one re-ask, then the overview
    assert [m.value for m in report.metrics] == [134.2]
    [failure] = report.run.failures
    assert failure.stage == "extraction" and failure.error_type == "ValidationError" and failure.attempts == 2
    assert "after 1 re-asks" in failure.message and "dropped 1: metrics[1]" in failure.message
    assert "valid entries were kept" in failure.message


def test_an_answer_wrapped_under_the_schema_name_is_unwrapped(tmp_path: Path) -> None:
    with FakeOpenAI([{"ReviewExtraction": GOOD}, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    assert [m.value for m in report.metrics] == [134.2] and len(srv.requests) == 2


def test_an_object_with_none_of_the_fields_is_an_error_never_an_empty_answer(tmp_path: Path) -> None:
    with FakeOpenAI([{"result": "ok"}, {"answer": []}, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, reasks=1))
    assert "没有 review、problems、plans、metrics、overview、meta 中的任何一个字段" in srv.requests[1].messages[-1]["content"]
    [failure] = report.run.failures
    assert failure.stage == "extraction" and failure.error_type == "ValidationError"


def test_an_empty_answer_for_a_part_stating_figures_is_recorded(tmp_path: Path) -> None:
    with FakeOpenAI([{"review": []}, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    [failure] = report.run.failures
    assert failure.stage == "extraction" and failure.error_type == "EmptyAnswer"
    assert "134.2亿元" in failure.message and report.metrics == []


def test_an_empty_answer_for_a_part_without_figures_is_no_failure(tmp_path: Path) -> None:
    text = "一、主要工作\n坚持党建引领，深化作风建设，推动各项工作落地见效。\n"
    with FakeOpenAI([{"review": []}, OVERVIEW]) as srv:
        report = extract_report(doc_of(text), settings=settings_for(srv, tmp_path))
    assert report.run.failures == [] and report.metrics == []


@pytest.mark.parametrize("mode", ["tools", "json", "md_json", "json_schema"])
def test_every_mode_grounds_the_answer_in_the_text_it_was_asked_about(tmp_path: Path, mode: str) -> None:
    # the grounding context reaches the validators however instructor parses the mode's answer
    bad = {"metrics": [{**GDP, "quote": "全年地区生产总值达到134.2亿元"}]}
    with FakeOpenAI([bad, GOOD, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, mode=mode))
    assert "quote '全年地区生产总值达到134.2亿元' 不在原文中" in srv.requests[1].user_text
    assert [m.quote for m in report.metrics] == ["街道实现地区生产总值134.2亿元"] and report.run.retries == 1


@pytest.mark.parametrize("mode", ["json", "md_json"])
def test_think_blocks_fences_and_prose_cost_no_reask_in_the_json_modes(tmp_path: Path, mode: str) -> None:
    noisy = "<think>先找数字。{ 不是答案 }</think>\n好的，结果如下：\n```json\n" + json.dumps(GOOD, ensure_ascii=False) + "\n```\n以上。"
    with FakeOpenAI([noisy, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, mode=mode))
    assert [m.value for m in report.metrics] == [134.2] and len(srv.requests) == 2 and report.run.retries == 0


# --- transport faults --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=429, retry_after=0),
        Fault(status=500),
        Fault(status=503),
        Fault(delay=3, then=GOOD),
        Fault(truncated=True, then=GOOD),
        Fault(reset=True),
    ],
    ids=["429", "500", "503", "timeout", "truncated-json", "connection-reset"],
)
def test_transport_fault_is_retried_then_succeeds(fault: Fault, tmp_path: Path) -> None:
    with FakeOpenAI([fault, GOOD, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, timeout=0.3))
    assert len(srv.requests) == 3
    assert srv.requests[0].body == srv.requests[1].body  # the same request again, not a re-ask
    assert [m.value for m in report.metrics] == [134.2]
    assert report.run.retries == 1 and report.run.calls == 3 and report.run.failures == []


def test_rate_limit_waits_as_long_as_retry_after_says(tmp_path: Path) -> None:
    with FakeOpenAI([Fault(status=429, retry_after=0.3), GOOD, OVERVIEW]) as srv:
        started = time.perf_counter()
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
        elapsed = time.perf_counter() - started
    assert elapsed >= 0.3  # the backoff base is 0.01 s here: only Retry-After explains the wait
    assert report.run.retries == 1


def test_retry_after_header_parsing() -> None:
    class Response:
        def __init__(self, headers: dict[str, str]) -> None:
            self.headers = headers

    class Err(Exception):
        def __init__(self, headers: dict[str, str]) -> None:
            self.response = Response(headers)

    assert llm.retry_after(Err({"retry-after": "2"})) == 2.0
    assert llm.retry_after(Err({"retry-after-ms": "250"})) == 0.25
    assert 0 <= llm.retry_after(Err({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) <= 0.0001
    assert llm.retry_after(Err({})) is None
    wrapped = RuntimeError("instructor")
    wrapped.__cause__ = Err({"retry-after": "3"})
    assert llm.retry_after(wrapped) == 3.0


def test_transient_errors_are_found_behind_wrappers() -> None:
    with FakeOpenAI([Fault(status=502)]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="x", max_retries=0)
        with pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    outer = RuntimeError("wrapped")
    outer.__cause__ = caught.value
    assert llm.is_transient(outer) and not llm.is_transient(RuntimeError("plain"))


def test_unauthorized_fails_at_once_with_a_clear_error(tmp_path: Path) -> None:
    with FakeOpenAI([Fault(status=401)] * 5) as srv:
        with pytest.raises(ExtractionError) as caught:
            extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path, concurrency=1))
    assert len(srv.requests) == 1
    error = caught.value
    assert not isinstance(error, openai.OpenAIError)
    assert "rejected the API key (401" in str(error) and "OPENAI_API_KEY" in str(error)
    assert error.chunk_id is not None and error.attempts == 1
    assert isinstance(error.__cause__, Exception)


def test_unauthorized_names_the_providers_key_variable(tmp_path: Path) -> None:
    with FakeOpenAI([Fault(status=401)]) as srv:
        with pytest.raises(ExtractionError, match="DEEPSEEK_API_KEY"):
            extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path, provider="deepseek"))


def test_not_found_points_at_model_and_base_url(tmp_path: Path) -> None:
    with FakeOpenAI([Fault(status=404)]) as srv:
        with pytest.raises(ExtractionError) as caught:
            extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
        base_url = srv.base_url
    assert "'fake-model'" in str(caught.value) and base_url in str(caught.value)
    assert len(srv.requests) == 1


def test_bad_request_fails_only_its_chunk(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder({"problems": [Fault(status=400, message="data_inspection_failed")]})) as srv:
        report = extract_report(doc_of(LONG_MINI), settings=settings_for(srv, tmp_path, **APART))
    [failure] = report.run.failures
    assert failure.stage == "extraction" and failure.error_type == "BadRequestError" and failure.attempts == 1
    assert "data_inspection_failed" in failure.message and "REPORTKIT_MODE" in failure.message
    assert report.problems == [] and len(report.metrics) == 2 and len(report.plans) == 1


def plans_text(answer: dict) -> str:
    return json.dumps(answer, ensure_ascii=False)


def test_a_cut_off_answer_keeps_its_complete_entries_and_asks_again_for_the_rest(tmp_path: Path) -> None:
    plans = {"plans": [{"title": "稳增长", "quote": "力争地区生产总值增长6%"}],
             "metrics": [{"name": "地区生产总值比增", "value": 6, "unit": "%", "kind": "target", "period": "2024",
                          "quote": "力争地区生产总值增长6%"},
                         {"name": "新建口袋公园", "value": 3, "unit": "个", "kind": "target", "period": "2024",
                          "quote": "新建口袋公园3个"}]}
    full = plans_text(plans)
    cut = Fault(finish_reason="length", then=full[: full.index("新建口袋公园") + 4])
    seen: list[str] = []

    def respond(request: RecordedRequest) -> Any:
        text = chunk_text(request)
        if text is None:
            return OVERVIEW
        if section_of(request) != "plans" and "口袋公园" not in text and "力争" not in text:
            return MINI_ANSWERS[section_of(request)]
        seen.append(text)
        if len(seen) == 1:
            return cut
        return {"plans": [p for p in plans["plans"] if p["quote"] in text],
                "metrics": [m for m in plans["metrics"] if m["quote"] in text]}

    with FakeOpenAI(responder=respond) as srv:
        report = extract_report(doc_of(LONG_MINI), settings=settings_for(srv, tmp_path, **APART))
    assert report.run.failures == []
    assert sorted(m.value for m in report.metrics if m.kind == "target") == [3, 6]
    assert len(seen) >= 2 and all(len(t) < len(seen[0]) for t in seen[1:])  # the rest, in smaller pieces


def test_a_cut_off_whole_report_answer_is_asked_again_by_parts_and_the_overview_call_follows(tmp_path: Path) -> None:
    whole = json.dumps({**MINI_ANSWERS["review"], "problems": MINI_ANSWERS["problems"]["problems"]}, ensure_ascii=False)
    cut = Fault(finish_reason="length", then=whole[: whole.index("二是区域") - 10])  # inside the second problem

    def respond(request: RecordedRequest) -> Any:
        if chunk_text(request) is None:
            return OVERVIEW
        if len(sections_in(request)) == 3:
            return cut
        answer: dict[str, list] = {}
        for section in sections_in(request):
            for field, entries in MINI_ANSWERS[section].items():
                answer.setdefault(field, []).extend(entries)
        return answer

    with FakeOpenAI(responder=respond) as srv:
        report = extract_report(doc_of(MINI), settings=settings_for(srv, tmp_path))
    again = [r for r in srv.requests[1:] if chunk_text(r) is not None]
    # plans was never written: the whole text again, shared out by parts in two smaller calls
    assert len(again) == 2 and [s for r in again for s in sections_in(r)] == ["review", "problems", "plans"]
    assert all(r.body["tools"][0]["function"]["name"] == "ChunkExtraction" for r in again)
    assert srv.requests[-1].body["tools"][0]["function"]["name"] == "ReportOverview"
    assert report.run.failures == [] and len(report.problems) == 2 and len(report.plans) == 1
    assert [m.kind for m in report.metrics] == ["actual", "target"] and report.overview == OVERVIEW["overview"]


def test_an_answer_cut_off_again_and_again_is_a_failure_with_a_hint(tmp_path: Path) -> None:
    cut = Fault(finish_reason="length", then='{"plans": [{"title": "稳增长", "quote": "力争地区生产总值')
    with FakeOpenAI(responder=mini_responder({"plans": [cut] * 20})) as srv:
        report = extract_report(doc_of(LONG_MINI), settings=settings_for(srv, tmp_path, **APART))
    [failure] = report.run.failures
    assert failure.error_type == "IncompleteOutputException"
    assert "finish_reason=length" in failure.message and "REPORTKIT_CHUNK_CHARS" in failure.message
    assert report.plans == [] and len(report.problems) == 2


def test_a_chunk_that_keeps_failing_is_recorded_while_others_complete(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder({"review": [Fault(status=500)] * 10})) as srv:
        report = extract_report(doc_of(LONG_MINI), settings=settings_for(srv, tmp_path, transport_retries=2, **APART))
    [failure] = report.run.failures
    assert failure.error_type == "InternalServerError" and failure.attempts == 3
    assert "gave up after 3 attempts" in failure.message and failure.chunk_id.startswith("00-")
    assert [m.kind for m in report.metrics] == ["target"] and len(report.problems) == 2
    assert report.run.retries == 2 and report.overview


def test_every_chunk_failing_raises(tmp_path: Path) -> None:
    with FakeOpenAI(responder=lambda r: Fault(status=500)) as srv:
        with pytest.raises(ExtractionError, match="every chunk failed") as caught:
            extract_report(doc_of(LONG_MINI), settings=settings_for(srv, tmp_path, transport_retries=1, **APART))
    assert caught.value.attempts == 6 and len(srv.requests) == 6


def test_failed_overview_leaves_overview_empty_and_is_recorded(tmp_path: Path) -> None:
    with FakeOpenAI([GOOD, Fault(status=400)]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    assert report.overview == "" and report.metrics
    assert [f.stage for f in report.run.failures] == ["overview"]


def test_unlocatable_quote_keeps_span_none_and_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportkit import locating

    real = locating.Locator.locate
    monkeypatch.setattr(locating.Locator, "locate",
                        lambda self, quote, near=None: None if "134.2" in quote else real(self, quote, near))
    with FakeOpenAI([GOOD, OVERVIEW]) as srv:
        report = extract_report(doc_of(ONE), settings=settings_for(srv, tmp_path))
    assert [m.span for m in report.metrics] == [None]
    assert {f.stage for f in report.run.failures} == {"locate"}
    assert all(f.chunk_id for f in report.run.failures)


# --- clients and request shapes ------------------------------------------------------------------------


def test_user_supplied_client_is_used_with_its_retries_off(tmp_path: Path) -> None:
    with FakeOpenAI([GOOD, OVERVIEW]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="x")
        report = api.summarize(doc_of(ONE), engine="llm", settings=Settings(model="fake-model", cache_dir=tmp_path), client=client)
    assert report.metrics[0].check.status == "verified"
    assert {r.headers["authorization"] for r in srv.requests} == {"Bearer x"}
    with FakeOpenAI([Fault(status=500), GOOD, OVERVIEW]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="x")  # the SDK would retry twice itself
        with pytest.raises(ExtractionError):
            extract_report(doc_of(ONE), settings=Settings(model="fake-model", cache="off", transport_retries=0), client=client)
    assert len(srv.requests) == 1


def test_async_client_configuration_is_reused(tmp_path: Path) -> None:
    with FakeOpenAI([GOOD, OVERVIEW]) as srv:
        client = openai.AsyncOpenAI(base_url=srv.base_url, api_key="async-key")
        report = extract_report(doc_of(ONE), settings=Settings(model="fake-model", cache_dir=tmp_path), client=client)
    assert report.metrics and srv.requests[0].headers["authorization"] == "Bearer async-key"


def test_a_non_openai_client_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="openai.OpenAI"):
        extract_report(doc_of(ONE), settings=Settings(model="m", cache="off"), client=object())


@pytest.mark.parametrize(
    ("overrides", "check"),
    [
        ({"mode": "tools"}, lambda b: b["tools"][0]["function"]["name"] == "ReportExtraction"
         and b["tool_choice"] == {"type": "function", "function": {"name": "ReportExtraction"}}),
        ({"mode": "json_schema"}, lambda b: b["response_format"]["type"] == "json_schema"
         and "metrics" in b["response_format"]["json_schema"]["schema"]["properties"]),
        ({"mode": "json"}, lambda b: b["response_format"] == {"type": "json_object"}),
        ({"mode": "md_json"}, lambda b: "response_format" not in b and "tools" not in b),
        ({"provider": "llamacpp", "mode": "json"}, lambda b: b["response_format"]["type"] == "json_object"
         and "metrics" in b["response_format"]["schema"]["properties"]),
        ({"provider": "llamacpp"}, lambda b: "tools" in b),
        ({"provider": "ollama"}, lambda b: b["response_format"] == {"type": "json_object"}),
        ({"provider": "vllm"}, lambda b: b["response_format"]["type"] == "json_schema"),
    ],
    ids=["tools", "json_schema", "json", "md_json", "llamacpp-json", "llamacpp", "ollama", "vllm"],
)
def test_modes_and_presets_shape_the_request(overrides: dict, check: Any, tmp_path: Path) -> None:
    with FakeOpenAI([GOOD, OVERVIEW]) as srv:
        settings = settings_for(srv, tmp_path, **overrides)
        report = extract_report(doc_of(ONE), settings=settings)
    body = srv.requests[0].body
    assert check(body), json.dumps(body, ensure_ascii=False)[:500]
    assert body["model"] == "fake-model" and body["temperature"] == 0.0 and body["seed"] == 0
    assert body["max_tokens"] == settings.max_tokens  # the preset's answer budget (llamacpp: 3072), else the default
    assert [m.value for m in report.metrics] == [134.2]


# --- concurrency and event loops -----------------------------------------------------------------------


def eight_chunks() -> Document:
    """Eight paragraphs of 175 characters: one chunk each at chunk_chars=200."""
    paragraphs = "".join(f"第{i}项重点工作完成投资{i}.5亿元,带动就业{i * 10}人,群众满意度持续提升。" * 5 + "\n" for i in range(1, 9))
    doc = doc_of("一、2023年工作回顾\n" + paragraphs)
    chunks = chunk_document(doc, segment(doc.text, doc.boilerplate), chunk_chars=200, chunk_overlap=0)
    assert [set(re.findall(r"第(\d)项", c.text)) for c in chunks] == [{str(i)} for i in range(1, 9)]
    return doc


def test_chunks_are_in_flight_together(tmp_path: Path) -> None:
    doc = eight_chunks()
    barrier = threading.Barrier(8, timeout=10)  # breaks (and the test fails) unless 8 requests wait at once
    seen = []

    def respond(request: RecordedRequest) -> Any:
        if chunk_text(request) is None:
            return OVERVIEW
        seen.append(request)
        barrier.wait()
        return {"metrics": []}

    with FakeOpenAI(responder=respond, latency=0.2) as srv:
        report = extract_report(doc, settings=settings_for(srv, tmp_path, chunk_chars=200, chunk_overlap=0, concurrency=8))
    assert len(seen) == 8 and not barrier.broken
    assert report.run.calls == 9
    # every call was answered (no transport failure); each empty answer for a part with figures is listed
    assert [f.error_type for f in report.run.failures] == ["EmptyAnswer"] * 8


def test_results_follow_chunk_order_not_completion_order(tmp_path: Path) -> None:
    doc = eight_chunks()

    delay = {"step": 0.03}

    def respond(request: RecordedRequest) -> Any:
        chunk = chunk_text(request)
        if chunk is None:
            return OVERVIEW
        first = re.search(r"第(\d)项", chunk)
        time.sleep(delay["step"] * (9 - int(first.group(1))))  # earlier chunks answer last
        return {"metrics": [{"name": "投资", "value": float(f"{n}.5"), "unit": "亿元", "kind": "actual",
                             "quote": f"第{n}项重点工作完成投资{n}.5亿元"} for n in sorted(set(re.findall(r"第(\d)项", chunk)))]}

    reports = []
    for concurrency in (8, 1):
        delay["step"] = 0.03 if concurrency > 1 else 0.0
        with FakeOpenAI(responder=respond) as srv:
            s = settings_for(srv, tmp_path, chunk_chars=200, chunk_overlap=0, concurrency=concurrency, cache="off")
            reports.append(extract_report(doc, settings=s))
    parallel, serial = reports
    assert parallel.run.calls == serial.run.calls == 9
    assert parallel.model_dump(exclude={"run"}) == serial.model_dump(exclude={"run"})
    assert [m.value for m in parallel.metrics] == [n + 0.5 for n in range(1, 9)]


def test_summarize_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    async def main(srv: FakeOpenAI) -> Any:
        assert asyncio.get_running_loop().is_running()
        return api.summarize(doc_of(ONE), engine="llm", settings=settings_for(srv, tmp_path))

    with FakeOpenAI([GOOD, OVERVIEW]) as srv:
        report = asyncio.run(main(srv))
    assert [m.value for m in report.metrics] == [134.2]


def test_async_entry_point(tmp_path: Path) -> None:
    with FakeOpenAI(responder=mini_responder()) as srv:
        report = asyncio.run(aextract_report(doc_of(MINI), settings=settings_for(srv, tmp_path)))
    assert len(report.metrics) == 2


# --- boundaries ------------------------------------------------------------------------------------------


def test_import_reportkit_and_the_pure_engine_modules_do_not_import_openai() -> None:
    code = (
        "import sys, reportkit, reportkit.llm.engine, reportkit.llm.chunking, reportkit.locating, "
        "reportkit.llm.merging, reportkit.llm.prompts, reportkit.llm.cache, reportkit.llm.client, reportkit.local\n"
        "heavy = [m for m in ('openai', 'instructor', 'tenacity', 'httpx2', 'diskcache') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_only_the_llm_package_imports_the_sdks() -> None:
    # the import contract: openai, instructor and tenacity appear in reportkit/llm/ and nowhere else
    sdk = re.compile(r"^\s*(import|from)\s+(openai|instructor|tenacity)\b", re.MULTILINE)
    package = ROOT / "reportkit"
    outside = [p for p in package.rglob("*.py") if p.relative_to(package).parts[0] != "llm"]
    assert len(outside) > 20
    assert [p.name for p in outside if sdk.search(p.read_text(encoding="utf-8"))] == []
    assert sdk.search((package / "llm" / "client.py").read_text(encoding="utf-8"))


def test_example_runs_against_the_fake_server(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import runpy

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", ["examples/llm_fake_server.py"])
    with pytest.raises(SystemExit) as done:  # run as `python examples/llm_fake_server.py` does, minus start-up
        runpy.run_path("examples/llm_fake_server.py", run_name="__main__")
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.startswith("# ") and "## Overview" in out and "台城街道办事处" in out
    assert "verified 50" in out


def test_a_model_whose_every_answer_is_ungrounded_gives_a_report_with_failures(tmp_path: Path) -> None:
    # a weak model (a tiny local one) answers, but never with text from the chunk: the run must
    # still complete, list what was dropped, and let no invented figure into the report
    invented = {"review": [], "problems": [], "plans": [], "metrics": [
        {"name": "地区生产总值", "value": 999.9, "unit": "亿元", "kind": "actual", "quote": "地区生产总值999.9亿元"}]}

    def respond(request: RecordedRequest) -> Any:
        return OVERVIEW if chunk_text(request) is None else invented

    with FakeOpenAI(responder=respond) as srv:
        report = api.summarize(doc_of(MINI), engine="llm", settings=settings_for(srv, tmp_path, reasks=1))
    assert report.metrics == []
    assert report.run.failures and {f.stage for f in report.run.failures} >= {"extraction"}
    assert any("999.9" in f.message or "不在原文中" in f.message for f in report.run.failures)


def test_documents_share_one_sdk_client_per_endpoint_and_key(tmp_path: Path) -> None:
    with FakeOpenAI() as srv:
        a = llm.ModelClient(settings_for(srv, tmp_path))
        b = llm.ModelClient(settings_for(srv, tmp_path))
        other_key = llm.ModelClient(settings_for(srv, tmp_path, api_key="another"))
    assert a._sdk is b._sdk  # built once: ~25 ms each otherwise
    assert other_key._sdk is not a._sdk  # never a client with someone else's key


# --- answers as real models give them ----------------------------------------------------------------


def _gold_found(report: Any, text: str, gold: dict) -> tuple[int, int]:
    """(gold figures back at their place with their value, report metrics that state no gold figure)."""
    from reportkit.locating import Locator

    locator = Locator(text)
    places = []
    for g in gold["metrics"]:
        match = locator.locate(g["quote"])
        if match is not None:
            places.append(((match.start, match.end), float(g["value"])))

    def states(m: Any, place: tuple[int, int], value: float) -> bool:
        return m.span is not None and m.span[0] < place[1] and place[0] < m.span[1] and abs(m.value - value) < 1e-6

    found = sum(any(states(m, p, v) for m in report.metrics) for p, v in places)
    strays = sum(not any(states(m, p, v) for p, v in places) for m in report.metrics)
    return found, strays


@pytest.mark.parametrize("mode", ["tools", "json"])
def test_realistic_answers_lose_little_invent_nothing_and_cost_little(tmp_path: Path, mode: str) -> None:
    from reportkit.testing import RealisticResponder

    stem = "001_f673d7f6c6eeef5e"
    gold = gold_for(stem)
    doc = api.load(SEEDS / f"{stem}.txt")
    runs = {}
    for noise in (0.0, 0.5):
        responder = RealisticResponder([gold], noise=noise, seed=7)
        with FakeOpenAI(responder=responder) as srv:
            settings = settings_for(srv, tmp_path, mode=mode, cache="off")
            runs[noise] = (api.summarize(doc, engine="llm", settings=settings), responder)
    perfect, (noisy, responder) = runs[0.0][0], runs[0.5]
    assert responder.applied["fraction"] + responder.applied["rescaled"] + responder.applied["value_string"] > 0
    found, strays = _gold_found(noisy, doc.text, gold)
    assert found >= 0.9 * _gold_found(perfect, doc.text, gold)[0]
    assert strays == 0  # invented figures were re-asked and withdrawn, not reported
    assert noisy.run.retries <= 4
    tokens = lambda r: r.run.input_tokens + r.run.output_tokens  # noqa: E731
    assert tokens(noisy) <= 1.6 * tokens(perfect)
    assert not [f for f in noisy.run.failures if f.stage == "extraction" and "dropped" not in f.message]
