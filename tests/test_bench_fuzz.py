"""The benchmark's fuzzing section: seeded mutants, the span check it trusts, and one short run end to end."""

from __future__ import annotations

import random

from bench import fuzz

BASES = ["一、工作回顾\n完成投资3.2亿元，同比增长12.5%。\n二、存在问题\n一是基础薄弱。", "本报讯 全年实现地区生产总值86.4亿元。"]


def test_the_same_seed_gives_the_same_mutants() -> None:
    first = [fuzz.mutant(random.Random(5), BASES) for _ in range(3)]
    again = [fuzz.mutant(random.Random(5), BASES) for _ in range(3)]
    assert first == again
    assert all(names and set(names) <= set(fuzz.OPERATIONS) for _, names in first)


def test_every_operation_returns_text_from_any_base() -> None:
    r = random.Random(1)
    for name, operation in fuzz.OPERATIONS.items():
        for base in BASES:
            out = operation(r, base, BASES)
            assert isinstance(out, str) and out, name


def test_spans_exact_finds_a_span_that_does_not_hold_its_quote() -> None:
    text = "地区生产总值86.4亿元"
    good = {"metrics": [{"quote": "86.4亿元", "span": [6, 12]}]}
    shifted = {"metrics": [{"quote": "86.4亿元", "span": [5, 11]}]}
    outside = {"review": [{"span": [0, 99]}]}
    assert fuzz.spans_exact(good, text) is None
    assert fuzz.spans_exact(shifted, text) == "report.metrics[0]: span [5, 11]"
    assert fuzz.spans_exact(outside, text) == "report.review[0]: span [0, 99]"


def test_sizes_fall_into_their_buckets_and_the_limit_is_its_own() -> None:
    assert fuzz._bucket(10_000, 300_000) == "<= 10k"
    assert fuzz._bucket(10_001, 300_000) == "<= 30k"
    assert fuzz._bucket(250_000, 300_000) == "<= 300k"
    assert fuzz._bucket(250_000, 200_000) == "over the limit"
    assert fuzz._bucket(400_000, 300_000) == "over the limit"


def test_a_short_run_reports_every_mutant_and_no_failure() -> None:
    result = fuzz.fuzz(seconds=1.0, seed=3)
    assert result["mutants"] >= 1
    assert sum(row["mutants"] for row in result["rows"]) == result["mutants"]
    assert result["failures"] == [], result["failures"]
    assert "== Fuzzing:" in fuzz.render(result)
