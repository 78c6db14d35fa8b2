"""Standard indicators on every metric: the mapper's wording rules, and precision/recall over the pairs' gold."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import reportkit
from reportkit.errors import ConfigError
from reportkit.indicators import assign_indicators, default_vocabulary, indicator_for, load_vocabulary, vocabulary_for
from reportkit.schema import Meta, Metric, Report
from reportkit.settings import Settings
from reportkit.testing import FakeOpenAI, RecordedRequest

PAIRS_DIR = Path(__file__).resolve().parent.parent / "corpus" / "pairs"
PAIRS = ("p1", "p2", "p3")
CHUNK = re.compile(r"【原文开始】\n(.*)\n【原文结束】", re.S)
MODEL_KEYS = ("name", "value", "unit", "kind", "period", "qualifier", "quote")


def pair_stems(pair: str) -> tuple[str, str]:
    links = json.loads((PAIRS_DIR / f"{pair}_links.json").read_text(encoding="utf-8"))
    return links["plan_report"][:-4], links["actual_report"][:-4]


def pair_gold(stem: str) -> dict[str, Any]:
    return json.loads((PAIRS_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def gold_report(stem: str) -> Report:
    """A Report holding the gold annotation itself (indicators as annotated)."""
    g = pair_gold(stem)
    meta = Meta(organization=g["organization"], region=g["region"], report_year=g["report_year"],
                published=g["published"], doc_type=g["doc_type"], source=g["file"])
    metrics = [Metric(**{k: m[k] for k in MODEL_KEYS}, value_text=m.get("value_text", ""), indicator=m["indicator"])
               for m in g["metrics"]]
    return Report(meta=meta, metrics=metrics)


def gold_responder(gold: dict[str, Any]):
    """A fake model that answers each chunk with the gold entries quoted in it, never with an indicator."""

    def respond(request: RecordedRequest) -> dict[str, Any]:
        found = CHUNK.search(request.user_text)
        if found is None:
            meta = {k: gold.get(k) for k in ("organization", "region", "report_year", "published", "doc_type")}
            return {"overview": f"{gold['organization']}{gold['report_year']}年工作总结。", "meta": meta}
        chunk = found.group(1)
        metrics = [{k: m[k] for k in MODEL_KEYS} | ({"value_text": m["value_text"]} if "value_text" in m else {})
                   for m in gold["metrics"] if m["quote"] in chunk]
        items = lambda key: [{"title": p["text"][:12], "text": p["text"], "quote": p["quote"]}
                             for p in gold[key] if p["quote"] in chunk]
        review = [{"title": r[:12], "text": r, "quote": r} for r in gold["review_points"] if r in chunk]
        return {"review": review, "problems": items("problems"), "plans": items("plans"), "metrics": metrics}

    return respond


_LLM_CACHE: dict[str, Report] = {}


def llm_report(stem: str, tmp_dir: Path) -> Report:
    """The pair report through the whole LLM engine, with a fake model that answers from the gold."""
    if stem not in _LLM_CACHE:
        with FakeOpenAI(responder=gold_responder(pair_gold(stem))) as server:
            settings = Settings(model="fake-model", base_url=server.base_url, api_key="no-key", cache_dir=tmp_dir / stem)
            _LLM_CACHE[stem] = reportkit.summarize(PAIRS_DIR / f"{stem}.txt", engine="llm", settings=settings)
    return _LLM_CACHE[stem]


_RULES_CACHE: dict[str, tuple[Report, str]] = {}


def rules_report(stem: str) -> tuple[Report, str]:
    if stem not in _RULES_CACHE:
        doc = reportkit.load(PAIRS_DIR / f"{stem}.txt")
        _RULES_CACHE[stem] = (reportkit.summarize(doc, engine="rules"), doc.text)
    return _RULES_CACHE[stem]


def aligned(report: Report, gold: dict[str, Any], text: str) -> list[tuple[dict[str, Any], Metric | None]]:
    """Each gold metric with the report's metric of the same value and unit at the gold quote's place."""
    out, used = [], set()
    for gm in gold["metrics"]:
        lo = text.find(gm["quote"])
        hi = lo + len(gm["quote"])
        hit = next((j for j, m in enumerate(report.metrics)
                    if j not in used and m.span and abs(m.value - gm["value"]) < 1e-9 and m.unit == gm["unit"]
                    and m.span[0] <= hi and m.span[1] >= lo), None)
        if hit is not None:
            used.add(hit)
        out.append((gm, report.metrics[hit] if hit is not None else None))
    return out


def precision_recall(report: Report, gold: dict[str, Any], text: str) -> tuple[float, float, list[str]]:
    pairs = aligned(report, gold, text)
    right = sum(1 for g, m in pairs if m is not None and g["indicator"] and m.indicator == g["indicator"])
    predicted = sum(1 for m in report.metrics if m.indicator)
    expected = sum(1 for g, _ in pairs if g["indicator"])
    wrong = [f"{g['name']}: gold {g['indicator']}, got {m.indicator if m else 'no metric'}"
             for g, m in pairs if (m.indicator if m else None) != g["indicator"] and (g["indicator"] or m)]
    return right / max(1, predicted), right / max(1, expected), wrong


# --- Over the pairs' gold -------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", PAIRS)
def test_mapper_alone_on_gold_metrics(pair: str) -> None:
    """The gold names, kinds and units in; the gold indicator out (and null where the gold says null)."""
    right = predicted = expected = 0
    misses = []
    for stem in pair_stems(pair):
        for m in pair_gold(stem)["metrics"]:
            token = m.get("value_text") or f"{m['value']:g}"
            got = indicator_for(m["name"], m["unit"], context=m["quote"][: max(0, m["quote"].find(token))])
            right += bool(got) and got == m["indicator"]
            predicted += bool(got)
            expected += bool(m["indicator"])
            if got != m["indicator"]:
                misses.append((m["name"], m["indicator"], got))
    assert right / predicted >= 0.95 and right / expected >= 0.95, misses


@pytest.mark.parametrize("pair", PAIRS)
def test_rules_engine_indicators(pair: str) -> None:
    for stem in pair_stems(pair):
        report, text = rules_report(stem)
        precision, recall, wrong = precision_recall(report, pair_gold(stem), text)
        assert precision >= 0.95 and recall >= 0.95, (stem, precision, recall, wrong)


@pytest.mark.parametrize("pair", PAIRS)
def test_llm_engine_indicators(pair: str, tmp_path: Path) -> None:
    """The fake model never sends an indicator: summarize() assigns it after extraction."""
    for stem in pair_stems(pair):
        report = llm_report(stem, tmp_path)
        assert report.run.engine == "llm"
        text = reportkit.load(PAIRS_DIR / f"{stem}.txt").text
        precision, recall, wrong = precision_recall(report, pair_gold(stem), text)
        assert precision >= 0.95 and recall >= 0.95, (stem, precision, recall, wrong)


def test_vocabulary_covers_the_pairs_vocabulary() -> None:
    reference = json.loads((PAIRS_DIR / "indicators.json").read_text(encoding="utf-8"))["indicators"]
    vocab = default_vocabulary()
    for entry in reference:
        ours = vocab.get(entry["id"])
        assert ours is not None, entry["id"]
        assert (ours.name, ours.family) == (entry["name"], entry["family"])
        assert set(entry["aliases"]) <= set(ours.aliases)
        for wording in (entry["name"], *entry["aliases"]):
            assert vocab.lookup(wording) == entry["id"], wording


# --- The mapper's rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "unit", "expected"), [
    ("地区生产总值", "亿元", "gdp"),
    ("GDP", "亿元", "gdp"),
    ("社零", "亿元", "retail_sales"),
    ("社零总额", "%", "retail_sales"),
    ("规上工业产值", "亿元", "industrial_output"),
    ("规模以上工业产值", "亿元", "industrial_output"),  # 规模以上 ≈ 规上
    ("规模以上工业增加值", "%", "industrial_value_added"),
    ("固投", "亿元", "fixed_asset_investment"),
    ("辖区税收", "亿元", "tax_revenue"),
    ("农民人均可支配收入", "元", "rural_income"),
    ("“小升规”企业", "家", "new_above_scale_enterprises"),
    ("新增城镇就业", "人", "new_urban_jobs"),
    ("城镇新增就业", "万人", "new_urban_jobs"),
    ("引进内资到位资金", "亿元", "domestic_investment"),
    ("热线工单满意率", "%", "hotline_satisfaction"),
    ("12345热线群众满意率", "%", "hotline_satisfaction"),
    ("森林覆盖率", "%", "forest_coverage"),
])
def test_aliases(name: str, unit: str, expected: str) -> None:
    assert indicator_for(name, unit) == expected


@pytest.mark.parametrize(("name", "unit", "expected"), [
    ("全镇实现地区生产总值", "亿元", "gdp"),
    ("全年实现地区生产总值", "亿元", "gdp"),
    ("2023年全镇地区生产总值", "亿元", "gdp"),
    ("全街完成一般公共预算收入", "亿元", "budget_revenue"),
    ("全区社会消费品零售总额", "亿元", "retail_sales"),
    ("新认定高新技术企业", "家", "high_tech_enterprises"),
    ("高新技术企业总数", "家", "high_tech_enterprises"),
    ("市区重点项目完成投资", "亿元", "key_project_investment"),
    ("再签约亿元以上项目", "个", "signed_projects"),
    ("上半年新增市场主体", "户", "new_market_entities"),
    ("固定资产投资（上年）", "亿元", "fixed_asset_investment"),
    ("完成一般公共预算收入其中税收收入", "亿元", "tax_revenue"),  # 其中 opens a part
    ("新增规上工业企业完成工业技改投资", "亿元", "tech_renovation_investment"),  # two statements run together
    ("地区生产总值（2023年修订）", "亿元", "gdp"),
    ("深化“接诉即办”改革，12345热线群众满意率保持在", "%", "hotline_satisfaction"),  # an engine's lead-in
])
def test_subject_time_and_verb_prefixes(name: str, unit: str, expected: str) -> None:
    assert indicator_for(name, unit) == expected


@pytest.mark.parametrize(("name", "unit", "expected"), [
    ("地区生产总值增长", "%", "gdp"),
    ("地区生产总值增速", "%", "gdp"),
    ("规上工业总产值同比增长", "%", "industrial_output"),
    ("固定资产投资同比下降", "%", "fixed_asset_investment"),
    ("工业投资下降", "%", "industrial_investment"),
    ("固定资产投资降幅", "%", "fixed_asset_investment"),
    ("单位地区生产总值能耗下降", "%", "energy_intensity"),
    ("一般公共预算收入完成全年目标", "%", "budget_revenue"),
    ("新增就业完成全年目标任务", "%", "new_urban_jobs"),
    ("市区重点项目完成年度计划", "%", "key_project_investment"),
    ("固投全年目标", "亿元", "fixed_asset_investment"),
    ("空气质量优良天数比例", "个百分点", "air_quality_days"),
    ("粮食总产量稳定在", "万吨", "grain_output"),
    ("单位生产总值能耗降低", "%", "energy_intensity"),
    ("新签约亿元以上项目", "个", "signed_projects"),
    ("实施老旧小区改造", "个", "old_community_renovation"),
    ("12345政务服务便民热线满意率", "%", "hotline_satisfaction"),
])
def test_rate_target_and_decline_words(name: str, unit: str, expected: str) -> None:
    assert indicator_for(name, unit) == expected


@pytest.mark.parametrize(("name", "unit"), [
    ("签约亿元以上项目协议总投资", "亿元"),  # a sub-figure of signed_projects
    ("签约亿元以上项目协议引资", "亿元"),
    ("老旧小区改造惠及居民", "户"),
    ("12345热线工单按期办结率", "%"),  # a neighbour of 满意率
    ("矛盾纠纷调解成功率", "%"),  # not 信访案件办结率
    ("新增停车位", "个"),
    ("安全检查", "家次"),
    ("民间投资", "亿元"),
    ("税收收入占一般公共预算收入比重", "%"),  # a ratio of two indicators is neither
    ("工业投资占固定资产投资比重", "%"),
    ("限上社会消费品零售额", "亿元"),
    ("居民人均可支配收入", "元"),  # neither the urban nor the rural indicator
    ("市区重点项目", "个"),  # a count of projects, not the investment (unit family)
    ("地区生产总值", "个"),
    ("签约亿元以上项目", "亿元"),
    ("同比增长", "%"),  # no subject and no context
])
def test_not_the_standard_indicator(name: str, unit: str) -> None:
    assert indicator_for(name, unit) is None


def test_industrial_investment_is_not_fixed_asset_investment() -> None:
    assert indicator_for("工业投资", "亿元") == "industrial_investment"
    assert indicator_for("工业固定资产投资", "亿元") == "industrial_investment"
    assert indicator_for("固定资产投资", "亿元") == "fixed_asset_investment"


def test_a_bare_rate_word_takes_the_indicator_before_it() -> None:
    assert indicator_for("同比增长", "%", context="全年完成一般公共预算收入8.6亿元，") == "budget_revenue"
    assert indicator_for("，完成全年目标的", "%", context="完成固投19.2亿元，") == "fixed_asset_investment"
    assert indicator_for("较上年", "亿元", context="固定资产投资完成31.6亿元，") == "fixed_asset_investment"
    # a name without the subject the sentence gave it earlier
    assert indicator_for("总产量", "万吨", context="全镇粮食播种面积6.2万亩，") == "grain_output"
    assert indicator_for("群众满意率", "%", context="12345热线工单按期办结率99.1%，") == "hotline_satisfaction"
    assert indicator_for("办结率", "%", context="受理信访案件671宗，已办结634宗，") == "petition_resolution_rate"
    assert indicator_for("规上工业企业总数", "家", context="新增规上工业企业14家，总数达到") is None  # 新增 is no subject
    assert indicator_for("办结率", "%", context="12345热线工单受理2万件，") is None
    # only when nothing but figures stand between: here 12% is the high-tech output's growth
    assert indicator_for("同比增长", "%", context="规上工业总产值52亿元，其中高新技术产业产值30亿元，") is None
    # a name with a subject of its own never borrows one
    assert indicator_for("协议总投资", "亿元", context="签约亿元以上项目11个，") is None


def test_assign_indicators_uses_the_source_sentence() -> None:
    text = "全年完成一般公共预算收入8.6亿元，同比增长5.2%；签约亿元以上项目11个，协议总投资46.5亿元。"
    def metric(name: str, value: float, unit: str, kind: str, quote: str) -> Metric:
        at = text.index(quote)
        return Metric(name=name, value=value, unit=unit, kind=kind, quote=quote, span=(at, at + len(quote)))

    metrics = [metric("一般公共预算收入", 8.6, "亿元", "actual", "一般公共预算收入8.6亿元"),
               metric("同比增长", 5.2, "%", "growth_rate", "同比增长5.2%"),
               metric("签约亿元以上项目", 11, "个", "count", "签约亿元以上项目11个"),
               metric("协议总投资", 46.5, "亿元", "actual", "协议总投资46.5亿元")]
    out = assign_indicators(Report(metrics=metrics), text=text)
    assert [m.indicator for m in out.metrics] == ["budget_revenue", "budget_revenue", "signed_projects", None]


def test_summarize_sets_the_indicator() -> None:
    report = reportkit.summarize(PAIRS_DIR / "p2a_huaiping_2023.txt", engine="rules")
    gdp = [m for m in report.metrics if m.indicator == "gdp"]
    assert {m.kind for m in gdp} >= {"actual", "growth_rate", "target"}
    first = report.metrics.index(gdp[0])
    assert json.loads(report.to_json())["metrics"][first]["indicator"] == "gdp"


def test_schema_file_documents_the_indicator() -> None:
    schema = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert "indicator" in schema["$defs"]["Metric"]["properties"]


# --- Your own vocabulary ----------------------------------------------------------------------------------


def _own_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"indicators": [
        {"id": "parking_spaces", "name": "新增停车位", "aliases": ["新建停车位"], "family": "count"},
        {"id": "gdp", "name": "地区生产总值", "aliases": ["全口径经济总量"], "family": "money"},
    ]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_user_file_extends_the_vocabulary(tmp_path: Path) -> None:
    vocab = load_vocabulary(_own_file(tmp_path))
    assert indicator_for("上半年新增停车位", "个", vocabulary=vocab) == "parking_spaces"
    assert indicator_for("全口径经济总量", "亿元", vocabulary=vocab) == "gdp"
    assert indicator_for("社零总额", "亿元", vocabulary=vocab) == "retail_sales"  # the shipped ones stay
    alone = load_vocabulary(_own_file(tmp_path), extend=False)
    assert indicator_for("社零总额", "亿元", vocabulary=alone) is None


def test_settings_and_environment_name_the_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _own_file(tmp_path)
    assert "parking_spaces" in vocabulary_for(Settings(indicators=path))
    monkeypatch.setenv("REPORTKIT_INDICATORS", str(path))
    assert "parking_spaces" in vocabulary_for(None)
    report = reportkit.summarize(PAIRS_DIR / "p3a_xialan_2024.txt", engine="rules")
    assert any(m.indicator == "parking_spaces" for m in report.metrics)


@pytest.mark.parametrize(("content", "fragment"), [
    ("not json", "cannot read it as JSON"),
    ('{"items": []}', '"indicators"'),
    ('{"indicators": [{"name": "x"}]}', "needs an 'id'"),
    ('{"indicators": [{"id": "x", "family": "weight"}]}', "use one of"),
])
def test_a_bad_user_file_says_what_to_fix(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        load_vocabulary(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.json")


def _context_chars_read(copies: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Characters of sentence context the mapper reads for every figure of a text without sentence breaks."""
    import reportkit.indicators as indicators

    clause = "全镇完成固定资产投资12亿元增长5%的目标并推进项目建设"
    text = clause * copies
    at = clause.index("12亿元")
    metrics = [Metric(name="固定资产投资", value=12, value_text="12", unit="亿元", kind="actual",
                      quote="12亿元", span=(k * len(clause) + at, k * len(clause) + at + 4)) for k in range(copies)]
    read: list[int] = []
    real = indicators.indicator_for
    monkeypatch.setattr(indicators, "indicator_for", lambda *a, **kw: read.append(len(kw.get("context", ""))) or real(*a, **kw))
    report = assign_indicators(Report(metrics=metrics), text=text)
    assert {m.indicator for m in report.metrics} == {"fixed_asset_investment"}
    return sum(read)


def test_a_text_without_sentence_breaks_costs_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each figure reads its sentence back to a bounded distance: twice the figures, twice the reading
    # (the whole text before every figure was read before: 4x).
    small, large = _context_chars_read(200, monkeypatch), _context_chars_read(400, monkeypatch)
    assert large <= 2.1 * small


def _last_named_by_every_wording(context: str, vocab) -> str | None:
    """The reading as it was written before: rfind of every wording, the latest end, the longest on a tie."""
    from reportkit import indicators as ind

    s = ind.fold(context)
    best = None
    for wording, ident in vocab._index.items():
        at = s.rfind(wording)
        if at >= 0:
            key = (at + len(wording), len(wording), ident)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None or ind._names_another(s[best[0] :]):
        return None
    return best[2]


def test_the_last_named_indicator_is_found_in_one_pass_as_by_every_wording() -> None:
    # a bare 同比增长 takes the indicator named last before it; one reversed pattern of all wordings
    # finds it (a context of 25,000 bare rates read ~180 wordings each before)
    import random

    from reportkit import indicators as ind

    vocab = default_vocabulary()
    words = list(vocab._index)
    rng = random.Random(7)
    fillers = ["同比增长", "5.2%", "，", "其中", "完成", "亿元", "全年", "规上", "工业", "总产值", "增加值", "、", "新增", ""]
    contexts = []
    for _ in range(1500):
        parts = [rng.choice(words) if rng.random() < 0.4 else rng.choice(fillers) for _ in range(rng.randint(0, 8))]
        if parts and rng.random() < 0.3:  # a wording cut short: a shorter wording may end there instead
            parts[-1] = parts[-1][: rng.randint(1, max(1, len(parts[-1])))]
        contexts.append("".join(parts))
    for context in contexts:
        assert ind._last_named(context, vocab) == _last_named_by_every_wording(context, vocab), context
