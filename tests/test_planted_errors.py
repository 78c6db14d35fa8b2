"""No false alarms on the gold metrics, and the planted model errors caught (reportkit.planted)."""

from __future__ import annotations

from functools import lru_cache

import pytest

import reportkit
from reportkit.matching import SourceIndex, index_source, locate
from reportkit.planted import (
    ERROR_KINDS,
    FALSE_ALARM_LIMIT,
    HARMLESS_KINDS,
    HARMLESS_LIMIT,
    TARGETS,
    Rates,
    check,
    is_flagged,
    plant_errors,
    planted_error_rates,
    rewrites,
)

from conftest import SEED_STEMS, SEEDS, gold_for


@lru_cache(maxsize=None)
def index(stem: str) -> SourceIndex:
    return index_source(reportkit.load(SEEDS / f"{stem}.txt"))


GOLD = [(stem, n, m) for stem in SEED_STEMS for n, m in enumerate(gold_for(stem)["metrics"])]


@pytest.mark.parametrize(("stem", "n", "metric"), GOLD, ids=[f"{s[:3]}-{n}-{m['name']}" for s, n, m in GOLD])
def test_every_gold_metric_is_verified(stem: str, n: int, metric: dict) -> None:
    c = check(metric, index(stem))
    assert c.status == "verified", c.detail
    assert c.kind_ok is not False and c.period_ok is not False, c.detail
    # the evidence is the figure inside the gold quote, not an equal value elsewhere
    assert any(s <= c.span[0] and c.span[1] <= e for s, e in locate(index(stem), metric["quote"]))


@pytest.fixture(scope="module")
def rates() -> Rates:
    return planted_error_rates((gold_for(stem)["metrics"], index(stem)) for stem in SEED_STEMS)


def test_errors_are_planted_from_every_gold_metric() -> None:
    for stem in SEED_STEMS:
        metrics = gold_for(stem)["metrics"]
        planted = plant_errors(metrics, index(stem))
        for kind in ("changed_digit", "scale_or_unit", "nowhere"):
            assert sum(p.kind == kind for p in planted) == len(metrics), (stem, kind)
        assert sum(p.kind == "shifted_decimal" for p in planted) == 2 * len(metrics)
        # a planted error is never a figure of the same sentence, nor a no-op
        assert all(p.metric != p.original for p in planted)


def test_planting_is_deterministic() -> None:
    stem = "002_5c548b74d12d1e64"
    metrics = gold_for(stem)["metrics"]
    assert plant_errors(metrics, index(stem)) == plant_errors(metrics, index(stem))


def test_false_alarms_on_gold(rates: Rates) -> None:
    assert rates.total["gold"] == len(GOLD)
    assert rates.rate("gold") <= FALSE_ALARM_LIMIT, rates.false_alarms


@pytest.mark.parametrize("kind", HARMLESS_KINDS)
def test_false_alarms_on_harmless_rewrites(rates: Rates, kind: str) -> None:
    assert rates.total.get(kind, 0) > 0
    assert rates.rate(kind) <= HARMLESS_LIMIT, [f for f in rates.false_alarms if f[0] == kind]


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_planted_errors_are_caught(rates: Rates, kind: str) -> None:
    assert rates.total.get(kind, 0) >= 10, kind
    assert rates.rate(kind) >= TARGETS[kind], (rates.table(), [m for m in rates.misses if m[0] == kind][:10])


def test_the_table_names_every_kind(rates: Rates) -> None:
    table = rates.table()
    assert all(kind in table for kind in ERROR_KINDS + HARMLESS_KINDS + ("gold",))


def test_the_classic_errors_get_the_expected_status() -> None:
    stem = "000_0905f6282178ee7a"
    gdp = gold_for(stem)["metrics"][0]
    assert check({**gdp, "value": 143.2}, index(stem)).status == "unsupported"
    assert check({**gdp, "unit": "万元"}, index(stem)).status == "unit_mismatch"
    revenue = gold_for(stem)["metrics"][1]
    assert check({**gdp, "value": revenue["value"]}, index(stem)).status == "misattributed"
    assert check({**revenue, "name": gdp["name"]}, index(stem)).status == "misattributed"


def test_rewrites_state_true_figures() -> None:
    stem = "000_0905f6282178ee7a"
    for p in rewrites(gold_for(stem)["metrics"]):
        assert not is_flagged(check(p.metric, index(stem))), p.note
