"""Punctuation width never changes the result: every text document in full width, and one in ASCII.

Most real pages write ，；：（）！？ where the seeds write ,;:()!?. Each conversion below swaps one
character for one character, so spans stay comparable: the same figures (value, unit, span), the
same items (role and span) and the same sections must come out of the rules engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import reportkit
from reportkit.document import Document

ROOT = Path(__file__).resolve().parent.parent
TEXT_DOCS = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
    p for p in (ROOT / "corpus").glob("c*.txt") if not p.name.endswith(".source.txt")
)
ASCII_PUNCT = ",;:()!?"
FULL_PUNCT = "，；：（）！？"
TO_FULL = str.maketrans(ASCII_PUNCT, FULL_PUNCT)
TO_ASCII = str.maketrans(FULL_PUNCT, ASCII_PUNCT)


def _outcome(text: str) -> tuple[set, dict, dict]:
    report = reportkit.summarize(Document.from_text(text), engine="rules")
    figures = {(m.value, m.unit, m.span) for m in report.metrics}
    items = {kind: [i.span for i in getattr(report, kind)] for kind in ("review", "problems", "plans")}
    sections = {kind: bool(spans) for kind, spans in items.items()}
    return figures, items, sections


def _assert_same(original: str, converted: str) -> None:
    assert len(original) == len(converted)
    figures_a, items_a, sections_a = _outcome(original)
    figures_b, items_b, sections_b = _outcome(converted)
    assert sections_b == sections_a
    assert items_b == items_a
    assert figures_b == figures_a, (sorted(figures_a - figures_b, key=str)[:5], sorted(figures_b - figures_a, key=str)[:5])


@pytest.mark.parametrize("path", TEXT_DOCS, ids=lambda p: p.stem)
def test_full_width_punctuation_gives_the_same_result(path: Path) -> None:
    text = reportkit.load(path).text
    _assert_same(text, text.translate(TO_FULL))


def test_ascii_punctuation_of_a_full_width_report_gives_the_same_result() -> None:
    text = reportkit.load(ROOT / "corpus" / "c01_fengxi.txt").text
    assert sum(text.count(c) for c in FULL_PUNCT) > 500  # c01 is written in full width
    _assert_same(text, text.translate(TO_ASCII))


def test_full_width_seed_keeps_its_problems_and_review_items() -> None:
    # the symptom of issue 10: seed 000 found 0 problems, seed 002 17 review items in full width
    for stem, kind, n in (("000_0905f6282178ee7a", "problems", 3), ("002_5c548b74d12d1e64", "review", 6)):
        text = reportkit.load(ROOT / "seeds" / f"{stem}.txt").text.translate(TO_FULL)
        report = reportkit.summarize(Document.from_text(text), engine="rules")
        assert len(getattr(report, kind)) == n
