"""Shared fixtures: no real endpoint is ever reachable from a test, and the cache lives in tmp_path."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "seeds" / "gold"
SEED_STEMS = sorted(p.stem for p in SEEDS.glob("*.txt"))
from reportkit.testing import CLOSED_BASE_URL  # a stray real call fails at once


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("REPORTKIT_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL") or name.endswith("_API_KEY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", CLOSED_BASE_URL)
    monkeypatch.setenv("REPORTKIT_CACHE_DIR", str(tmp_path / "cache"))


# A small report in the genre's shape (review with figures, 一是/二是 problems, a plan with
# targets), shared by the chunking, cache and LLM-engine tests.
MINI = """某某街道2023年工作总结及2024年工作计划
一、2023年工作回顾
2023年,街道实现地区生产总值134.2亿元,同比增长5.2%。一般公共预算收入6.57亿元,新增市场主体1200户。
二、存在问题
一是经济增长不够有力,规上企业产值增长乏力。二是区域发展不够均衡,城乡公共服务仍有短板。
三、2024年工作计划
力争地区生产总值增长6%,新建口袋公园3个。
"""


def gold_for(stem: str) -> dict:
    path = GOLD / f"{stem}.json"
    if not path.exists():
        pytest.fail(f"gold annotations missing: {path} (seeds/gold/ is the in-repo copy of the seed gold)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=SEED_STEMS)
def seed_stem(request: pytest.FixtureRequest) -> str:
    return request.param


class InFlight:
    """Wraps a responder: records arrival times and how many requests overlap at the server."""

    def __init__(self, respond: Callable[[Any], Any], hold: float = 0.0) -> None:
        self.respond, self.hold = respond, hold
        self.now = self.peak = self.total = 0
        self.arrivals: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, request: Any) -> Any:
        with self._lock:
            self.now += 1
            self.total += 1
            self.peak = max(self.peak, self.now)
            self.arrivals.append(time.monotonic())
        try:
            time.sleep(self.hold)
            return self.respond(request)
        finally:
            with self._lock:
                self.now -= 1
