"""The CPU a model call spends in the libraries: instructor's per-call checks, run once where their verdict cannot change."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from reportkit.llm import client as llm
from reportkit.llm.answers import ChunkExtraction, ReportExtraction, for_instructor
from reportkit.settings import Settings
from reportkit.testing import FakeOpenAI


class _Counting:
    """A stand-in for instructor's check: counts its calls, rejects the classes in ``bad``."""

    def __init__(self, bad: tuple[type, ...] = ()) -> None:
        self.calls: list[object] = []
        self.bad = bad

    def __call__(self, model: object) -> None:
        self.calls.append(model)
        if model in self.bad:
            raise ValueError(f"{model!r} declares an async validator")


class _Users(BaseModel):
    x: int = 0


def test_our_models_are_checked_once_per_class_and_any_other_model_every_time() -> None:
    check = _Counting()
    once = llm.checked_once(check, lambda m: m in (for_instructor(ChunkExtraction), for_instructor(ReportExtraction)))
    ours = for_instructor(ChunkExtraction)
    llm._CHECKED_MODELS.discard(ours)
    for _ in range(5):
        once(ours)
        once(_Users)
        once(list[_Users])  # not a class: walked every time
    assert check.calls.count(ours) == 1
    assert check.calls.count(_Users) == 5
    assert check.calls.count(list[_Users]) == 5


def test_a_model_the_check_rejects_is_rejected_every_time_and_never_remembered() -> None:
    class Marked(BaseModel):
        y: int = 0

    check = _Counting(bad=(Marked,))
    once = llm.checked_once(check, lambda m: True)  # even a model counted as ours
    for _ in range(3):
        with pytest.raises(ValueError, match="async validator"):
            once(Marked)
    assert check.calls.count(Marked) == 3
    assert Marked not in llm._CHECKED_MODELS


def test_a_callers_model_with_an_async_validator_still_fails_closed_through_the_client(tmp_path: Path) -> None:
    from instructor.v2.validation.async_validators import async_field_validator

    class WithAsync(BaseModel):
        name: str = ""

        @async_field_validator("name")
        async def _name(self, value: str) -> str:  # pragma: no cover - never run: the check refuses first
            return value

    with FakeOpenAI(responder=lambda request: {"name": "x"}) as srv:
        client = llm.ModelClient(Settings(model="fake-model", base_url=srv.base_url, api_key="test",
                                          cache_dir=tmp_path / "cache", reasks=0))
        for _ in range(2):  # the second call walks the model again: its verdict is not cached
            with pytest.raises(llm.ModelCallError, match="async validators"):
                client.call([{"role": "user", "content": "hi"}], WithAsync, context={}, label="c1")
        assert len(srv.requests) == 0  # refused before any request


def test_instructor_uses_the_once_check_after_a_client_is_made(tmp_path: Path) -> None:
    import instructor.v2.core.patch as patch
    import instructor.v2.validation.async_validators as checks

    llm.ModelClient(Settings(model="fake-model", base_url="http://127.0.0.1:9/v1", api_key="test", cache_dir=tmp_path))
    assert getattr(checks.reject_async_validators, "_reportkit_once", False)
    assert patch.reject_async_validators is checks.reject_async_validators
    llm._check_our_models_once()  # a second install keeps the one wrapper (no wrapper of a wrapper)
    assert not getattr(checks.reject_async_validators.__wrapped__, "_reportkit_once", False)


MESSAGES = [
    {"role": "system", "content": "从原文抽取：“## 部分｜标题”行标明所属部分。"},
    {"role": "user", "content": "【原文开始】\n全年完成投资1.2亿元，增长15%。\n{{ not a template }}\n【原文结束】"},
    {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function",
                                                           "function": {"name": "ChunkExtraction", "arguments": "{\"metrics\": []}"}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "metrics.0.quote: not in the text; fix it"},
]
TOOLS = [{"type": "function", "function": {"name": "ChunkExtraction", "description": "原文所述",
                                            "parameters": {"type": "object", "properties": {"metrics": {"type": "array", "items": {
                                                "type": "object", "properties": {"value": {"type": ["number", "null"]}}}}},
                                                "required": ["metrics"]}}}]


def _sent(srv: FakeOpenAI, send) -> tuple[list[tuple[str, object]], dict[str, str]]:
    srv.reset()
    send()
    (request,) = srv.requests
    return list(request.body.items()), request.headers


def _transforms(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import openai.resources.chat.completions.completions as completions

    calls: list[int] = []
    original = completions.maybe_transform

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(completions, "maybe_transform", counted)
    return calls


@pytest.mark.parametrize("extra", [
    {},
    {"extra_body": {"response_format": {"type": "json_object"}}},
    {"response_format": {"type": "json_object"}, "top_p": 0.9, "stop": ["\n\n"]},
])
def test_a_plain_request_goes_out_as_the_sdks_create_sends_it_without_its_transform(
        extra: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import openai

    kwargs = {"messages": MESSAGES, "model": "fake-model", "temperature": 0.0, "max_tokens": 512, "seed": 0,
              "tools": TOOLS, "tool_choice": {"type": "function", "function": {"name": "ChunkExtraction"}},
              "timeout": 5.0, **extra}
    with FakeOpenAI(responder=lambda request: {"metrics": []}) as srv:
        sdk = openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0)
        expected = _sent(srv, lambda: sdk.chat.completions.create(**kwargs))
        transforms = _transforms(monkeypatch)
        got = _sent(srv, lambda: llm.create(sdk, (), dict(kwargs)))
        response = llm.create(sdk, (), dict(kwargs))
    assert got == expected  # the same fields in the same order, the same headers (the key included)
    assert transforms == []  # and the transform was skipped
    assert response.choices[0].message.tool_calls or response.choices[0].message.content


def test_any_other_request_takes_the_sdks_create(monkeypatch: pytest.MonkeyPatch) -> None:
    import openai

    with FakeOpenAI(responder=lambda request: {"metrics": []}) as srv:
        sdk = openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0)
        transforms = _transforms(monkeypatch)
        llm.create(sdk, (), {"messages": MESSAGES[:2], "model": "m", "user": "analyst-7"})  # a field not known plain
        assert transforms == [1]
        assert srv.requests[-1].body["user"] == "analyst-7"


def test_a_wrapped_create_sees_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tracing and instrumentation wrap ``Completions.create``: the fast path must not go around them."""
    import functools

    import openai
    from openai.resources.chat.completions.completions import Completions

    seen: list[str] = []
    original = Completions.create

    @functools.wraps(original)
    def traced(self, *args, **kwargs):
        seen.append(kwargs["model"])
        return original(self, *args, **kwargs)

    with FakeOpenAI(responder=lambda request: {"metrics": []}) as srv:
        sdk = openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0)
        kwargs = {"messages": MESSAGES[:2], "model": "traced-model", "timeout": 5.0}
        monkeypatch.setattr(Completions, "create", traced)
        llm.create(sdk, (), dict(kwargs))
        monkeypatch.undo()
        own = openai.OpenAI(base_url=srv.base_url, api_key="sk-test", max_retries=0)
        own.chat.completions.create = lambda *a, **k: seen.append("instance") or original(own.chat.completions, *a, **k)
        llm.create(own, (), dict(kwargs))
    assert seen == ["traced-model", "instance"]
