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
