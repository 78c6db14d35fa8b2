"""Floors on the independent held-out set (tests/data/independent): the rates measured when it was added may not drop.

The set was written apart from the rules and the corpus and is never tuned on (its README.md).
These floors are the values measured at commit 3ab01e4 + gold corrections (rules engine, cache off):
a change that lowers one fails here; one that raises it should raise the floor in the same commit.
They are floors, not targets: every number below the ideal is a known miss, listed by genre
pattern in tests/data/independent/README.md, for the engine and the check to fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reportkit
from reportkit.check.planted import ERROR_KINDS, HARMLESS_KINDS, Rates, planted_error_rates
from reportkit.cleaning import with_boilerplate
from reportkit.eval import Totals, independent_docs, score, totals
from reportkit.loading import read
from reportkit.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = independent_docs(ROOT)

# eval totals over the six documents (474 gold metrics), as measured
EVAL_FLOOR = {"matched": 468, "kind": 464, "period": 429, "qualifier": 468, "name": 453, "sections_ok": 5, "items_ok": 4, "meta_ok": 21}
PRECISION_FLOOR = 468 / 470
# planted errors: caught / planted per kind, as measured (swapped_*, neighbour*, made_up_name below 100%)
DETECTION_FLOOR = {
    "swapped_value": 1420 / 1422,
    "swapped_quote": 1416 / 1418,
    "neighbour": 1552 / 1590,
    "neighbour_value": 1555 / 1590,
    "made_up_name": 473 / 474,
}
# flagged / checked on correct figures, as measured: the ceiling for false alarms
FALSE_ALARM_CEILING = {
    "gold": 13 / 474,
    "no_quote": 14 / 474,
    "loose_quote": 13 / 474,
    "converted": 3 / 85,
    "name_variant": 26 / 948,
    "rate_word": 8 / 78,
    "short_form": 2 / 26,
}
EPS = 1e-9


@pytest.fixture(scope="module")
def eval_totals() -> Totals:
    settings = Settings(cache="off")
    scores = []
    for d in DOCS:
        doc = reportkit.load(d.path)
        report = reportkit.summarize(doc, engine="rules", settings=settings)
        scores.append(score(report, json.loads(d.gold.read_text(encoding="utf-8")), doc, d.path.stem))
    return totals(scores)


@pytest.fixture(scope="module")
def rates() -> Rates:
    cases = [(json.loads(d.gold.read_text(encoding="utf-8"))["metrics"], with_boilerplate(read(d.path))) for d in DOCS]
    return planted_error_rates(cases)


def test_the_whole_set_is_measured(eval_totals: Totals) -> None:
    assert eval_totals.docs == 6 and eval_totals.gold_metrics == 474


@pytest.mark.parametrize("field", sorted(EVAL_FLOOR))
def test_eval_counts_do_not_drop(eval_totals: Totals, field: str) -> None:
    assert getattr(eval_totals, field) >= EVAL_FLOOR[field], (field, getattr(eval_totals, field))


def test_eval_precision_does_not_drop(eval_totals: Totals) -> None:
    precision = eval_totals.precision_matched / eval_totals.precision_predicted
    assert precision >= PRECISION_FLOOR - EPS, (eval_totals.precision_matched, eval_totals.precision_predicted)


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_planted_errors_are_caught_at_least_as_often(rates: Rates, kind: str) -> None:
    assert rates.total.get(kind, 0) > 0, kind
    assert rates.rate(kind) >= DETECTION_FLOOR.get(kind, 1.0) - EPS, (kind, rates.flagged.get(kind), rates.total.get(kind))


@pytest.mark.parametrize("kind", ("gold",) + HARMLESS_KINDS)
def test_false_alarms_do_not_rise(rates: Rates, kind: str) -> None:
    assert rates.total.get(kind, 0) > 0, kind
    assert rates.rate(kind) <= FALSE_ALARM_CEILING[kind] + EPS, (kind, rates.flagged.get(kind), rates.total.get(kind))


def test_the_planted_command_prints_the_set_as_a_third_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportkit.check.planted import main

    (tmp_path / "seeds" / "gold").mkdir(parents=True)
    (tmp_path / "seeds" / "a.txt").write_text("全年实现地区生产总值134.2亿元,同比增长5.2%。\n", encoding="utf-8")
    metrics = [{"name": "地区生产总值", "value": 134.2, "unit": "亿元", "kind": "actual", "period": "2023", "qualifier": None, "quote": "实现地区生产总值134.2亿元"}]
    (tmp_path / "seeds" / "gold" / "a.json").write_text(json.dumps({"metrics": metrics}, ensure_ascii=False), encoding="utf-8")
    assert main(["--root", str(tmp_path)]) == 0
    assert "held out: tests/data/independent: no documents" in capsys.readouterr().out
    folder = tmp_path / "tests" / "data" / "independent"
    folder.mkdir(parents=True)
    for d in DOCS[-1:]:
        (folder / d.path.name).write_bytes(d.path.read_bytes())
        (folder / d.gold.name).write_bytes(d.gold.read_bytes())
    assert main(["--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    gold_n = len(json.loads(DOCS[-1].gold.read_text(encoding="utf-8"))["metrics"])
    assert f"held out: tests/data/independent: 1 documents, {gold_n} gold metrics" in out
    assert out.index("seeds + corpus") < out.index("held out: corpus/pairs") < out.index("held out: tests/data/independent")
