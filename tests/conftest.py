"""Shared fixtures: no real endpoint is ever reachable from a test, and the cache lives in tmp_path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold"
SEED_STEMS = sorted(p.stem for p in SEEDS.glob("*.txt"))
from reportkit.testing import CLOSED_BASE_URL  # a stray real call fails at once


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("REPORTKIT_") or name in ("OPENAI_API_KEY", "OPENAI_BASE_URL") or name.endswith("_API_KEY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", CLOSED_BASE_URL)
    monkeypatch.setenv("REPORTKIT_CACHE_DIR", str(tmp_path / "cache"))


def gold_for(stem: str) -> dict:
    path = GOLD / f"{stem}.json"
    if not path.exists():
        pytest.fail(f"gold annotations missing: {path} (CI clones main with ../shared beside it)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(params=SEED_STEMS)
def seed_stem(request: pytest.FixtureRequest) -> str:
    return request.param
