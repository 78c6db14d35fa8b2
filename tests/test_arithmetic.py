"""The source's own arithmetic: rates recomputed from their parts, inconsistencies and derived figures."""

from __future__ import annotations

import pytest

import reportkit
from types import SimpleNamespace

from reportkit.check import check_metric, inconsistencies, validate
from reportkit.check._arithmetic import agrees, decimals, rate_checks, ratios
from reportkit.index import build_index
from reportkit.schema import Metric

from conftest import SEEDS

S002 = (SEEDS / "002_5c548b74d12d1e64.txt").read_text(encoding="utf-8")
S003 = (SEEDS / "003_c6631ad89748e798.txt").read_text(encoding="utf-8")


def checks(text: str):
    """The rate checks of ``text`` with their figures as Quantities (the checker holds figure positions)."""
    index = build_index(text)
    q = lambda i: index.figures[i].quantity  # noqa: E731
    return [SimpleNamespace(name=c.name, rate=q(c.rate), numerator=q(c.numerator), denominator=q(c.denominator),
                            computed=c.computed, consistent=c.consistent) for c in rate_checks(index)]


@pytest.mark.parametrize(("text", "places"), [("98.3", 1), ("100", 0), ("99.87", 2), ("94.50", 2)])
def test_decimals(text: str, places: int) -> None:
    assert decimals(text) == places


@pytest.mark.parametrize(
    ("stated", "computed", "places", "qualifier", "ok"),
    [
        (98.3, 98.3156, 1, None, True),  # rounded
        (94.5, 94.486, 1, None, True),
        (94.4, 94.486, 1, None, True),  # cut off, as some reports do
        (96.3, 98.3156, 1, None, False),
        (98.32, 98.3156, 2, None, True),
        (98.31, 98.3156, 2, None, True),
        (98.4, 98.3156, 1, None, False),
        (98.0, 98.3156, 0, "超", True),  # 超98%: at least
        (99.0, 98.3156, 0, "超", False),
        (99.0, 98.3156, 0, "近", True),  # 近99%: at most
        (99.0, 98.3156, 0, "约", True),  # 约99%: one unit of the last place either way
        (96.0, 98.3156, 0, "约", False),
    ],
)
def test_agrees(stated: float, computed: float, places: int, qualifier: str | None, ok: bool) -> None:
    assert agrees(stated, computed, places, qualifier) is ok


def test_the_seeds_own_rates_add_up() -> None:
    (fix,) = checks(S002)
    assert (fix.name, fix.numerator.value, fix.denominator.value, fix.rate.value) == ("整改率", 3502, 3562, 98.3)
    assert fix.consistent and fix.computed == pytest.approx(98.3156, abs=1e-4)
    (done,) = checks(S003)
    assert (done.name, done.numerator.value, done.denominator.value, done.rate.value) == ("办结率", 634, 671, 94.5)
    assert done.consistent


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_no_seed_is_reported_inconsistent(path) -> None:
    assert inconsistencies(reportkit.load(path)) == []


def test_a_planted_inconsistency_is_listed() -> None:
    text = S002.replace("整改率98.3%", "整改率96.3%")
    (inc,) = inconsistencies(text)
    assert (inc.name, inc.stated, inc.numerator, inc.denominator) == ("整改率", 96.3, 3502, 3562)
    assert inc.computed == pytest.approx(98.3156, abs=1e-3)
    assert text[inc.span[0] : inc.span[1]] == "96.3%"
    assert "3502条 / 3562条" in inc.detail
    report = validate({"metrics": []}, text)
    assert report.validation.inconsistencies == [inc]


def test_a_changed_count_makes_the_rate_inconsistent() -> None:
    (inc,) = inconsistencies(S003.replace("已办结634宗", "已办结624宗"))
    assert (inc.name, inc.numerator, inc.denominator, inc.stated) == ("办结率", 624, 671, 94.5)


def test_more_done_than_received_is_no_inconsistency_without_a_rate() -> None:
    # 003: 新受理信访件21件,已办结25件 (cases carried over from the year before)
    assert "新受理信访件21件,已办结25件" in S003
    assert not [c for c in checks(S003) if c.numerator.value == 25]


def test_but_a_stated_rate_over_such_counts_is_checked() -> None:
    (inc,) = inconsistencies("新受理信访件21件,已办结25件,办结率100%。")
    assert inc.computed == pytest.approx(119.05, abs=0.01)


@pytest.mark.parametrize(
    "text",
    [
        "入户75282户次,入户率100%。",  # one count only
        "新引育大学生1131人、硕博士17人,完成人才技能认定864人,其中高技能人才481人,完成率超100%。",  # no whole for 864
        "检测食品7194份次,合格率达99.87%。",  # the count does not carry the verb
        "受理案件50宗,办结率96%,办结48宗。",  # the part comes after the rate
    ],
)
def test_rates_without_their_parts_are_left_alone(text: str) -> None:
    assert checks(text) == []


def test_ratios_are_part_over_whole_in_one_sentence() -> None:
    text = "共排查企业502家,发现隐患3562条,已整改3502条。另有隐患10条。"
    index = build_index(text)
    value = lambda i: index.figures[i].quantity.value  # noqa: E731
    found = {(value(r.numerator), value(r.denominator)) for s in range(len(index.sentences)) for r in ratios(index, s)}
    assert found == {(3502, 3562)}


def test_a_rate_computable_from_the_source_is_derived() -> None:
    c = check_metric(Metric(name="整改率", value=98.32, unit="%", quote="已整改3502条,整改率98.3%"), S002)
    assert c.status == "derived"
    assert "3502条 / 3562条" in c.detail
    c = check_metric(Metric(name="信访案件办结率", value=94.49, unit="%"), S003)
    assert c.status == "derived"


def test_a_stated_rate_is_verified_not_derived() -> None:
    assert check_metric(Metric(name="信访案件办结率", value=94.5, unit="%", quote="办结率94.5%"), S003).status == "verified"


def test_derived_needs_the_rate_named_for_its_parts() -> None:
    # 3502/3562 = 98.32%, but a 完成率 is not a ratio of 整改 counts, and a count is no rate
    assert check_metric(Metric(name="完成率", value=98.32, unit="%"), S002).status == "unsupported"
    assert check_metric(Metric(name="整改率", value=98.33, unit="%"), S002).status != "derived"
