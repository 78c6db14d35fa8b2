"""The gold of the held-out sets (tests/data/independent, fresh, blind, blind2, blind3) is well-formed by the corpus conventions.

The corpus's own checker (stdlib, ``corpus/check_gold.py``) is run on every gold file: keys in order, enums of
kind/qualifier/doc_type, period strings, quotes that are exact substrings of 8–60 characters, standalone number
tokens and value_text = value. The one thing it cannot read is a value_text with thousands separators
(``4,862``), which only the independent set has; those are checked here. Each set's README must list every file
with its metric count, say who wrote it and that no rule may be tuned on it. The blind set has one text copied
from a PDF with hard-wrapped lines (its README, "Conventions"): there a quote keeps the line break where the text
wraps, and never holds the page header or footer.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


@dataclass(frozen=True)
class HeldOut:
    """One held-out set: its folder, file prefix and what its README and gold must show."""

    folder: Path
    prefix: str
    writer: str  # the session that wrote it, named in the README
    untuned: str  # the README's sentence that no rule may be tuned on it
    thousands: bool  # value_texts with thousands separators occur (the checker cannot read them)
    strict_years: bool  # every period lies within report year ± 1 (no 由2020年的… pairs)
    sentence_ends: bool  # checked: no quote crosses a sentence end (one quote of i05 does, so not there)
    wrapped: frozenset[str] = frozenset()  # texts copied with hard-wrapped lines: quotes may hold a line break
    gbk: frozenset[str] = frozenset()  # texts saved in GBK, as a user's file may be (every other .txt is UTF-8)


SETS = {
    "independent": HeldOut(ROOT / "tests" / "data" / "independent", "i", "h5", "No rule and no threshold", thousands=True, strict_years=True,
                           sentence_ends=False),
    "fresh": HeldOut(ROOT / "tests" / "data" / "fresh", "f", "h8", "no rule and no threshold", thousands=False, strict_years=False,
                     sentence_ends=True),
    "blind": HeldOut(ROOT / "tests" / "data" / "blind", "b", "h13", "no rule and no threshold", thousands=False, strict_years=False,
                     sentence_ends=True, wrapped=frozenset({"b03_liuqin_jiedao.txt"})),
    "blind2": HeldOut(ROOT / "tests" / "data" / "blind2", "k", "hW", "Nobody fixing the engine or the check may open", thousands=False,
                      strict_years=False, sentence_ends=True, gbk=frozenset({"k03_hexi_gbk.txt"})),
    "blind3": HeldOut(ROOT / "tests" / "data" / "blind3", "m", "hY", "Nobody fixing the engine or the check may open", thousands=True,
                      strict_years=False, sentence_ends=True),
}
GOLD = [(name, g) for name, s in SETS.items() for g in sorted(s.folder.glob(f"{s.prefix}*.json"))]
IDS = [g.stem for _, g in GOLD]
# a page footer (— 2 —) or the running header line of a wrapped text
PAGE_NOISE = re.compile(r"—\s*\d+\s*—|^[^\n，。；：]{2,20}(?:办事处|人民政府)$", re.M)


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_check_gold", ROOT / "corpus" / "check_gold.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK = _checker()
CHECK.GBK_FILES |= {name for s in SETS.values() for name in s.gbk}  # the checker decodes GBK by file name


def _load(name: str, gold: Path) -> tuple[HeldOut, dict, str]:
    s = SETS[name]
    d = json.loads(gold.read_text(encoding="utf-8"))
    return s, d, (s.folder / d["file"]).read_text(encoding="gbk" if d["file"] in s.gbk else "utf-8")


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_set_is_there_with_its_readme(name: str) -> None:
    s = SETS[name]
    golds = sorted(s.folder.glob(f"{s.prefix}*.json"))
    assert len(golds) == 6
    readme = (s.folder / "README.md").read_text(encoding="utf-8")
    total = 0
    for g in golds:
        d = json.loads(g.read_text(encoding="utf-8"))
        assert (s.folder / d["file"]).exists() and d["file"] in (f"{g.stem}.txt", f"{g.stem}.html")
        row = next((ln for ln in readme.splitlines() if ln.startswith(f"| {d['file']} |")), "")
        assert row, f"{d['file']} is not in the README's file table"
        assert f"| {len(d['metrics'])} |" in row
        total += len(d["metrics"])
    assert f"{total} metrics" in readme
    assert s.untuned in readme and s.writer in readme


@pytest.mark.parametrize(("name", "gold"), GOLD, ids=IDS)
def test_corpus_checker_finds_nothing_but_thousands_separators(name: str, gold: Path) -> None:
    s = SETS[name]
    d, errors = CHECK.check_file(str(s.folder), str(gold))
    separated = {m["value_text"] for m in d["metrics"] if THOUSANDS.fullmatch(m.get("value_text", ""))}
    assert s.thousands or not separated, separated
    rest = [e for e in errors if not any(f"cannot read value_text {vt!r}" in e for vt in separated)]
    assert not rest, rest
    assert d["metrics"], "a gold file without metrics measures nothing"


@pytest.mark.parametrize(("name", "gold"), GOLD, ids=IDS)
def test_thousands_separated_figures_are_standalone_and_equal_their_value(name: str, gold: Path) -> None:
    _, d, _ = _load(name, gold)
    for m in d["metrics"]:
        vt = m.get("value_text", "")
        if not THOUSANDS.fullmatch(vt):
            continue
        assert float(vt.replace(",", "")) == m["value"], m
        assert CHECK.standalone(vt, m["quote"]), m
        # the plain digits are not what the text writes, so value_text must be there
        assert str(int(m["value"])) not in m["quote"], m


@pytest.mark.parametrize(("name", "gold"), GOLD, ids=IDS)
def test_meta_and_items_follow_the_conventions(name: str, gold: Path) -> None:
    s, d, text = _load(name, gold)
    assert isinstance(d["report_year"], int) and str(d["report_year"]) in text
    assert d["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", d["published"])
    assert d["region"] is None or isinstance(d["region"], str) and d["region"]
    for key, items in (("review", d["review_points"]), ("problems", d["problems"]), ("plans", d["plans"])):
        assert d["sections_present"][key] == bool(items), key
    if d["doc_type"] == "plan":
        assert not d["review_points"] and all(m["kind"] in ("target", "share") for m in d["metrics"])
    year = d["report_year"]
    for m in d["metrics"]:
        if m["period"] is None:
            continue
        y = int(m["period"][:4])
        # the report year, its previous year (由上年的…), the plan year, or a year the text writes (由2020年的…)
        assert y in (year - 1, year, year + 1) or (not s.strict_years and f"{y}年" in m["quote"]), m
    plan_kinds = {m["kind"] for m in d["metrics"] if m["period"] and int(m["period"][:4]) > year}
    assert plan_kinds <= {"target"}, plan_kinds


@pytest.mark.parametrize(("name", "gold"), GOLD, ids=IDS)
def test_each_figure_is_annotated_once(name: str, gold: Path) -> None:
    """Two gold metrics on the same quote and value must name different indicators (均为, 分别)."""
    _, d, _ = _load(name, gold)
    seen = [(m["quote"], m["value"], m["unit"], m["name"]) for m in d["metrics"]]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(("name", "gold"), GOLD, ids=IDS)
def test_no_quote_crosses_a_sentence_end_or_a_page_break(name: str, gold: Path) -> None:
    s, d, _ = _load(name, gold)
    wrapped = d["file"] in s.wrapped
    for m in d["metrics"]:
        assert not s.sentence_ends or "。" not in m["quote"].rstrip("。"), m
        assert wrapped or "\n" not in m["quote"], m
        assert not PAGE_NOISE.search(m["quote"]), m
    for item in d["problems"] + d["plans"]:
        assert not PAGE_NOISE.search(item["quote"]), item


def test_the_wrapped_text_is_wrapped_inside_figures_clauses() -> None:
    """The hard-wrapped blind text does what its README says: lines of 30–48 characters, clauses broken across them."""
    s = SETS["blind"]
    for file in s.wrapped:
        d = json.loads((s.folder / file).with_suffix(".json").read_text(encoding="utf-8"))
        text = (s.folder / file).read_text(encoding="utf-8")
        body = [ln for ln in text.splitlines() if len(ln) > 30]
        assert body and all(len(ln) <= 48 for ln in body)
        assert len(PAGE_NOISE.findall(text)) >= 4  # footers and running headers between pages
        assert sum("\n" in m["quote"] for m in d["metrics"]) >= 20
