"""The gold of tests/data/fresh is well-formed by the corpus conventions (corpus/check_gold.py and the set's README).

The corpus's own checker (stdlib, ``corpus/check_gold.py``) is run on the folder: keys in order, enums of
kind/qualifier/doc_type, period strings, quotes that are exact substrings of 8–60 characters, standalone
number tokens and value_text = value. The set has no thousands separators, so the checker must find nothing.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "data" / "fresh"
GOLD = sorted(FOLDER.glob("f*.json"))


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_check_gold", ROOT / "corpus" / "check_gold.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK = _checker()


def test_the_set_is_there_with_its_readme() -> None:
    assert len(GOLD) == 6
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    total = 0
    for g in GOLD:
        d = json.loads(g.read_text(encoding="utf-8"))
        assert (FOLDER / d["file"]).exists() and d["file"] == f"{g.stem}.txt"
        row = next((ln for ln in readme.splitlines() if ln.startswith(f"| {d['file']} |")), "")
        assert row, f"{d['file']} is not in the README's file table"
        assert f"| {len(d['metrics'])} |" in row
        total += len(d["metrics"])
    assert f"{total} metrics" in readme
    assert "no rule and no threshold" in readme and "h8" in readme


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_corpus_checker_finds_nothing(gold: Path) -> None:
    d, errors = CHECK.check_file(str(FOLDER), str(gold))
    assert not errors, errors
    assert d["metrics"], "a gold file without metrics measures nothing"


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_meta_and_items_follow_the_conventions(gold: Path) -> None:
    d = json.loads(gold.read_text(encoding="utf-8"))
    text = (FOLDER / d["file"]).read_text(encoding="utf-8")
    assert isinstance(d["report_year"], int) and str(d["report_year"]) in text
    assert d["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", d["published"])
    assert d["region"] is None or isinstance(d["region"], str) and d["region"]
    for key, items in (("review", d["review_points"]), ("problems", d["problems"]), ("plans", d["plans"])):
        assert d["sections_present"][key] == bool(items), key
    year = d["report_year"]
    for m in d["metrics"]:
        if m["period"] is None:
            continue
        y = int(m["period"][:4])
        # the report year, its previous year (由上年的…), the plan year, or a year the text writes (由2020年的…)
        assert y in (year - 1, year, year + 1) or f"{y}年" in m["quote"], m
    plan_kinds = {m["kind"] for m in d["metrics"] if m["period"] and int(m["period"][:4]) > year}
    assert plan_kinds <= {"target"}, plan_kinds


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_each_figure_is_annotated_once(gold: Path) -> None:
    """Two gold metrics on the same quote and value must name different indicators (均为, 分别)."""
    d = json.loads(gold.read_text(encoding="utf-8"))
    seen = [(m["quote"], m["value"], m["unit"], m["name"]) for m in d["metrics"]]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_no_quote_crosses_a_sentence_end(gold: Path) -> None:
    d = json.loads(gold.read_text(encoding="utf-8"))
    for m in d["metrics"]:
        assert "。" not in m["quote"].rstrip("。") and "\n" not in m["quote"], m
