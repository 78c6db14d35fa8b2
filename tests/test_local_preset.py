"""The llamacpp preset's calls fit the context ``serve_local`` gives the model: instructions, schema,
chunk, answer and one re-ask, counted by ``reportkit.testing.estimate_tokens`` (1 token per Chinese
character, which a byte-level tokenizer may exceed and Qwen's stays under)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import reportkit
from reportkit.llm.chunking import figure_count
from reportkit.llm.local import DEFAULT_CONTEXT
from reportkit.numbers import find_quantities
from reportkit.settings import LOCAL_CONTEXT, Settings
from reportkit.testing import FakeOpenAI, estimate_tokens

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
REASK_ERROR_TOKENS = 400  # the validation message a re-ask appends, with its list of wrong entries


def _every_figure_answered(request: Any) -> dict[str, Any]:
    """The longest answer a call may need: a metric with its quoted clause for every figure of the chunk."""
    text = request.user_text
    metrics = []
    for q in find_quantities(text, chinese=True):
        clause = text[max(0, q.start - 24) : q.end]
        metrics.append({"name": clause[-12:-len(q.value_text) or None][:10], "value": q.value, "unit": q.unit or "",
                        "kind": "actual", "period": "2023", "quote": clause})
    return {"review": [{"title": "工作回顾要点", "quote": text[:40]}] * 4, "metrics": metrics}


@pytest.fixture(scope="module")
def local_calls() -> list[tuple[Any, dict[str, Any]]]:
    with FakeOpenAI(responder=lambda request: {}) as server:
        settings = Settings(provider="llamacpp", base_url=server.base_url, cache="off", reasks=0)
        for path in REPORTS:
            try:
                reportkit.summarize(path, engine="llm", settings=settings)
            except reportkit.ReportkitError:
                pass  # the empty answers fail; the requests sent are what is measured
        first = [r for r in server.requests if len(r.body["messages"]) <= 2]  # first attempts, not re-asks
    assert len(first) >= len(REPORTS)
    return [(r, _every_figure_answered(r)) for r in first]


def _prompt_tokens(request: Any) -> int:
    return estimate_tokens(json.dumps(request.body["messages"], ensure_ascii=False)) + \
        estimate_tokens(json.dumps(request.body.get("tools") or [], ensure_ascii=False))


def test_the_preset_is_the_local_budget() -> None:
    s = Settings(provider="llamacpp")
    assert DEFAULT_CONTEXT == LOCAL_CONTEXT
    assert (s.chunk_chars, s.figures_per_call, s.max_tokens, s.reasks) == (1500, 24, 3072, 1)
    assert Settings(provider="llamacpp", chunk_chars=1000, max_tokens=1024).chunk_chars == 1000  # the caller's own wins
    assert Settings(provider="openai").chunk_chars == 4000 and Settings(provider="openai").figures_per_call is None


def test_the_largest_local_call_with_its_answer_and_one_reask_fits_the_context(local_calls: list[tuple[Any, dict[str, Any]]]) -> None:
    s = Settings(provider="llamacpp")
    prompt = max(_prompt_tokens(r) for r, _ in local_calls)
    # one re-ask resends the prompt with the failed answer (up to max_tokens) and the error appended
    worst = prompt + s.max_tokens + s.reasks * (s.max_tokens + REASK_ERROR_TOKENS)
    assert worst <= LOCAL_CONTEXT, f"a local call needs up to {worst} tokens: prompt {prompt} + answer + re-ask"


def test_every_local_call_has_room_for_the_answer_of_all_its_figures(local_calls: list[tuple[Any, dict[str, Any]]]) -> None:
    s = Settings(provider="llamacpp")
    for request, answer in local_calls:
        assert figure_count(request.user_text) <= s.figures_per_call + 8  # the cap (years and the overlap aside)
        needed = estimate_tokens(json.dumps(answer, ensure_ascii=False))
        assert needed <= s.max_tokens, f"an answer listing every figure needs {needed} tokens > max_tokens={s.max_tokens}"

