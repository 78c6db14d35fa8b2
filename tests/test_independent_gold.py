"""The gold of tests/data/independent is well-formed by the corpus conventions: corpus/check_gold.py plus thousands separators.

The corpus's own checker (stdlib, ``corpus/check_gold.py``) is run on the folder: keys in order,
enums of kind/qualifier/doc_type, period strings, quotes that are exact substrings of 8–60
characters, standalone number tokens and value_text = value. The one thing it cannot read is a
value_text with thousands separators (``4,862``), new in this set; those are checked here.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "data" / "independent"
GOLD = sorted(FOLDER.glob("i*.json"))
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


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
    for g in GOLD:
        d = json.loads(g.read_text(encoding="utf-8"))
        assert (FOLDER / d["file"]).exists() and d["file"] == f"{g.stem}.txt"
        assert f"| {d['file']} |" in readme, f"{d['file']} is not in the README's file table"
        assert f"| {len(d['metrics'])} |" in readme


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_corpus_checker_finds_nothing_but_thousands_separators(gold: Path) -> None:
    d, errors = CHECK.check_file(str(FOLDER), str(gold))
    separated = {m["value_text"] for m in d["metrics"] if THOUSANDS.fullmatch(m.get("value_text", ""))}
    rest = [e for e in errors if not any(f"cannot read value_text {vt!r}" in e for vt in separated)]
    assert not rest, rest
    assert d["metrics"], "a gold file without metrics measures nothing"


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_thousands_separated_figures_are_standalone_and_equal_their_value(gold: Path) -> None:
    d = json.loads(gold.read_text(encoding="utf-8"))
    for m in d["metrics"]:
        vt = m.get("value_text", "")
        if not THOUSANDS.fullmatch(vt):
            continue
        assert float(vt.replace(",", "")) == m["value"], m
        assert CHECK.standalone(vt, m["quote"]), m
        # the plain digits are not what the text writes, so value_text must be there
        assert str(int(m["value"])) not in m["quote"], m


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_meta_and_items_follow_the_conventions(gold: Path) -> None:
    d = json.loads(gold.read_text(encoding="utf-8"))
    text = (FOLDER / d["file"]).read_text(encoding="utf-8")
    assert isinstance(d["report_year"], int) and str(d["report_year"]) in text
    assert d["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", d["published"])
    assert d["region"] is None or isinstance(d["region"], str) and d["region"]
    for key, items in (("review", d["review_points"]), ("problems", d["problems"]), ("plans", d["plans"])):
        assert d["sections_present"][key] == bool(items), key
    if d["doc_type"] == "plan":
        assert not d["review_points"] and all(m["kind"] in ("target", "share") for m in d["metrics"])
    years = {m["period"][:4] for m in d["metrics"] if m["period"]}
    assert years <= {str(d["report_year"] - 1), str(d["report_year"]), str(d["report_year"] + 1)}, years


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_each_figure_is_annotated_once(gold: Path) -> None:
    """Two gold metrics on the same quote and value must name different indicators (均为, 分别)."""
    d = json.loads(gold.read_text(encoding="utf-8"))
    seen = [(m["quote"], m["value"], m["unit"], m["name"]) for m in d["metrics"]]
    assert len(seen) == len(set(seen))
